#define G_LOG_DOMAIN "sextant-compute-job-monitor"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sextant-compute-job-monitor.h"

/*
 * The scenario jobs the Portfolio window sent to AWS Batch. A job belongs to the workspace, not
 * to the window: closing the window leaves the job running on Batch and this object following
 * it, and a window opened later shows it where it is. A job found unfinished in the database
 * (Sextant was quit while it ran) is followed again once a window has the keys.
 *
 * Batch is followed in a GTask thread through the core's blocking engine; what it learns comes
 * back to the main context, which alone writes the `compute_jobs` row through the workspace's
 * connection.
 */

#define DEFAULT_POLL_MS 10000

struct _SextantComputeJobMonitor
{
  GObject                parent_instance;
  SextantStore          *store;
  GMainContext          *context;
  SextantComputeJobInfo  latest;
  char                  *latest_region;
  char                  *latest_job_url;
  GCancellable          *cancellable;   /* of the latest job while a worker follows it */
  guint                  generation;    /* which job a worker's news are about */
};

G_DEFINE_FINAL_TYPE (SextantComputeJobMonitor, sextant_compute_job_monitor, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals [N_SIGNALS];

static void
info_clear (SextantComputeJobInfo *info)
{
  g_clear_pointer (&info->engine_job_id, g_free);
  g_clear_pointer (&info->queue, g_free);
  g_clear_pointer (&info->status, g_free);
  g_clear_pointer (&info->result, g_free);
  g_clear_pointer (&info->error, g_free);
  memset (info, 0, sizeof *info);
  info->vcpu_seconds = NAN;
}

static void
sextant_compute_job_monitor_finalize (GObject *object)
{
  SextantComputeJobMonitor *self = SEXTANT_COMPUTE_JOB_MONITOR (object);

  /* a worker holds the monitor while it follows a job, so none is left to stop here (at quit
   * the process ends with it, and the job runs on in Batch) */
  g_clear_object (&self->cancellable);
  info_clear (&self->latest);
  g_free (self->latest_region);
  g_free (self->latest_job_url);
  g_clear_object (&self->store);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (sextant_compute_job_monitor_parent_class)->finalize (object);
}

static void
sextant_compute_job_monitor_class_init (SextantComputeJobMonitorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_compute_job_monitor_finalize;

  signals [CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sextant_compute_job_monitor_init (SextantComputeJobMonitor *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->latest.vcpu_seconds = NAN;
}

static void
emit_changed (SextantComputeJobMonitor *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

/* The newest row of the database: what a window shows before anything runs in this process. */
static void
load_latest (SextantComputeJobMonitor *self)
{
  g_autoptr(GPtrArray) jobs = NULL;
  SextantComputeJob *row;

  if (self->store == NULL ||
      (jobs = sextant_compute_job_store_list (self->store, NULL)) == NULL || jobs->len == 0)
    return;
  row = jobs->pdata[0];
  self->latest.id = row->id;
  self->latest.engine_job_id = g_strdup (row->engine_job_id);
  self->latest.queue = g_strdup (row->queue);
  self->latest.status = g_strdup (row->status);
  self->latest.shards = row->shards;
  self->latest.n_succeeded = row->shards_succeeded;
  self->latest.n_failed = row->shards_failed;
  self->latest.result = g_strdup (row->result);
  self->latest_region = g_strdup (row->region);
  self->latest_job_url = g_strdup (row->job_url);
}

/**
 * sextant_compute_job_monitor_get_for_workspace:
 *
 * Returns: (transfer none): the workspace's monitor, made at the first call
 */
SextantComputeJobMonitor *
sextant_compute_job_monitor_get_for_workspace (SextantWorkspace *workspace)
{
  SextantComputeJobMonitor *self;
  SextantStore *store;

  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (workspace), NULL);

  self = g_object_get_data (G_OBJECT (workspace), "sextant-compute-job-monitor");
  if (self != NULL)
    return self;
  self = g_object_new (SEXTANT_TYPE_COMPUTE_JOB_MONITOR, NULL);
  if (sextant_workspace_get_store (workspace) == NULL)
    sextant_workspace_open_store (workspace, NULL);
  store = sextant_workspace_get_store (workspace);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  load_latest (self);
  g_object_set_data_full (G_OBJECT (workspace), "sextant-compute-job-monitor", self, g_object_unref);
  return self;
}

const SextantComputeJobInfo *
sextant_compute_job_monitor_get_latest (SextantComputeJobMonitor *self)
{
  g_return_val_if_fail (SEXTANT_IS_COMPUTE_JOB_MONITOR (self), NULL);

  return self->latest.status != NULL ? &self->latest : NULL;
}

gboolean
sextant_compute_job_monitor_get_busy (SextantComputeJobMonitor *self)
{
  g_return_val_if_fail (SEXTANT_IS_COMPUTE_JOB_MONITOR (self), FALSE);

  return self->latest.following;
}

/* The worker ------------------------------------------------------------------------------- */

typedef struct
{
  SextantComputeJobMonitor *monitor;
  guint                     generation;
  SextantScenarioJob       *job;           /* submit: the job to send */
  char                     *job_json;
  char                     *job_sha256;
  char                     *region;
  char                     *queue;
  char                     *definition;
  char                     *bucket;
  char                     *prefix;
  guint                     shards;
  guint                     poll_ms;
  SextantAwsCredentials    *credentials;
  char                     *engine_job_id; /* resume: the job to follow */
  char                     *job_url;
  gboolean                  usage_only;    /* a finished job: only its cost is asked */
  char                     *report;
  double                    vcpu_seconds;
} Work;

static void
work_free (Work *work)
{
  g_object_unref (work->monitor);
  g_clear_pointer (&work->job, sextant_scenario_job_free);
  g_free (work->job_json);
  g_free (work->job_sha256);
  g_free (work->region);
  g_free (work->queue);
  g_free (work->definition);
  g_free (work->bucket);
  g_free (work->prefix);
  g_clear_pointer (&work->credentials, sextant_aws_credentials_free);
  g_free (work->engine_job_id);
  g_free (work->job_url);
  g_free (work->report);
  g_free (work);
}

typedef struct
{
  Work                 *work;
  char                 *engine_job_id;
  char                 *job_url;
  SextantBatchJobState *state;
} News;

static void
news_free (News *news)
{
  g_free (news->engine_job_id);
  g_free (news->job_url);
  g_clear_pointer (&news->state, sextant_batch_job_state_free);
  g_free (news);
}

static gboolean
submitted_main_cb (gpointer user_data)
{
  News *news = user_data;
  Work *work = news->work;
  SextantComputeJobMonitor *self = work->monitor;
  g_autoptr(GError) error = NULL;
  SextantComputeJob row = { 0 };

  if (work->generation != self->generation)
    return G_SOURCE_REMOVE;
  row.engine = (char *) "batch";
  row.engine_job_id = news->engine_job_id;
  row.region = work->region;
  row.queue = work->queue;
  row.job_definition = work->definition;
  row.job_url = news->job_url;
  row.shards = work->shards;
  row.job_sha256 = work->job_sha256;
  row.status = (char *) "SUBMITTED";
  row.submitted_at = g_get_real_time () / G_USEC_PER_SEC;
  if (self->store != NULL &&
      (self->latest.id = sextant_compute_job_store_add (self->store, &row, work->job_json, &error)) == 0)
    g_warning ("The Batch job %s is not recorded: %s", news->engine_job_id, error->message);
  g_free (self->latest.engine_job_id);
  self->latest.engine_job_id = g_strdup (news->engine_job_id);
  g_free (self->latest.status);
  self->latest.status = g_strdup ("SUBMITTED");
  g_free (self->latest_job_url);
  self->latest_job_url = g_strdup (news->job_url);
  emit_changed (self);
  return G_SOURCE_REMOVE;
}

static void
submitted_cb (const char *batch_job_id,
              const char *job_url,
              gpointer    user_data)
{
  Work *work = user_data;
  News *news = g_new0 (News, 1);

  /* read by this thread only, for the usage asked at the end */
  work->engine_job_id = g_strdup (batch_job_id);
  news->work = work;
  news->engine_job_id = g_strdup (batch_job_id);
  news->job_url = g_strdup (job_url);
  /* the task holds @work until it returns, which is after these have run: they are queued on
   * the same context before the task's own callback */
  g_main_context_invoke_full (work->monitor->context, G_PRIORITY_DEFAULT, submitted_main_cb, news,
                              (GDestroyNotify) news_free);
}

static gboolean
progress_main_cb (gpointer user_data)
{
  News *news = user_data;
  SextantComputeJobMonitor *self = news->work->monitor;
  SextantBatchJobState *state = news->state;

  if (news->work->generation != self->generation)
    return G_SOURCE_REMOVE;
  if (self->store != NULL && self->latest.id != 0)
    sextant_compute_job_store_update (self->store, self->latest.id, state, NULL);
  g_free (self->latest.status);
  self->latest.status = g_strdup (state->status);
  if (state->array_size >= 2)
    {
      self->latest.n_succeeded = state->n_succeeded;
      self->latest.n_running = state->n_running;
      self->latest.n_failed = state->n_failed;
    }
  else
    {
      self->latest.n_succeeded = g_str_equal (state->status, "SUCCEEDED");
      self->latest.n_running = g_str_equal (state->status, "RUNNING");
      self->latest.n_failed = g_str_equal (state->status, "FAILED");
    }
  emit_changed (self);
  return G_SOURCE_REMOVE;
}

static void
progress_cb (const SextantBatchJobState *state,
             gpointer                    user_data)
{
  Work *work = user_data;
  News *news = g_new0 (News, 1);

  news->work = work;
  news->state = g_new0 (SextantBatchJobState, 1);
  *news->state = *state;
  news->state->job_id = g_strdup (state->job_id);
  news->state->status = g_strdup (state->status);
  news->state->status_reason = g_strdup (state->status_reason);
  g_main_context_invoke_full (work->monitor->context, G_PRIORITY_DEFAULT, progress_main_cb, news,
                              (GDestroyNotify) news_free);
}

static char *
report_text (SextantScenarioRun *result)
{
  g_autoptr(JsonNode) report = sextant_scenario_run_to_json (result);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, report);
  return json_generator_to_data (generator, NULL);
}

static void
work_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  g_auto(SextantScenarioRun) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) usage_error = NULL;
  SextantBatchSettings settings = {
    .region = work->region, .queue = work->queue, .definition = work->definition,
    .bucket = work->bucket, .prefix = work->prefix, .shards = work->shards,
    .poll_interval_ms = work->poll_ms,
  };
  gboolean ok = TRUE;

  if (work->job != NULL)
    ok = sextant_batch_engine_run (g_steal_pointer (&work->job), &settings, work->credentials,
                                   submitted_cb, progress_cb, work, cancellable, &result, &error);
  else if (!work->usage_only)
    ok = sextant_batch_engine_follow (&settings, work->credentials, work->engine_job_id,
                                      work->job_url, progress_cb, work, cancellable, &result,
                                      &error);
  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!work->usage_only)
    work->report = report_text (&result);
  /* the cost is Batch's account of the shards' attempts; without it the result still stands */
  if (!sextant_batch_engine_usage (work->region, work->credentials, work->engine_job_id,
                                   work->shards, &work->vcpu_seconds, &usage_error))
    {
      g_debug ("No vCPU-seconds for %s: %s", work->engine_job_id, usage_error->message);
      work->vcpu_seconds = NAN;
    }
  g_task_return_boolean (task, TRUE);
}

static void
work_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SextantComputeJobMonitor *self = SEXTANT_COMPUTE_JOB_MONITOR (object);
  Work *work = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (work->generation != self->generation)
    return;
  self->latest.following = FALSE;
  g_clear_object (&self->cancellable);
  if (error != NULL)
    {
      g_free (self->latest.error);
      self->latest.error = g_strdup (error->message);
      if (g_error_matches (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_CANCELLED))
        {
          g_free (self->latest.status);
          self->latest.status = g_strdup ("CANCELLED");
        }
      emit_changed (self);
      return;
    }
  if (work->report != NULL)
    {
      g_free (self->latest.result);
      self->latest.result = g_strdup (work->report);
      if (self->store != NULL && self->latest.id != 0)
        sextant_compute_job_store_set_result (self->store, self->latest.id, work->report, NULL);
    }
  self->latest.vcpu_seconds = work->vcpu_seconds;
  emit_changed (self);
}

static guint
poll_interval (void)
{
  const char *poll = g_getenv ("SEXTANT_BATCH_POLL_MS");

  return poll != NULL ? CLAMP (atoi (poll), 10, 600000) : DEFAULT_POLL_MS;
}

static void
start_work (SextantComputeJobMonitor *self,
            Work                     *work)
{
  g_autoptr(GTask) task = NULL;

  work->monitor = g_object_ref (self);
  work->generation = self->generation;
  work->poll_ms = poll_interval ();
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->latest.following = TRUE;
  task = g_task_new (self, self->cancellable, work_done_cb, NULL);
  g_task_set_source_tag (task, start_work);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  /* the engine answers a cancel with its own error, after its TerminateJob, not GIO's */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, work_thread);
}

/**
 * sextant_compute_job_monitor_submit:
 * @job: (transfer full): the scenario job
 * @settings: the queue, job definition, bucket, prefix, shards and region
 * @credentials: the keys that sign S3 and Batch
 *
 * Sends @job to Batch and follows it; the latest job is this one from now on.
 */
void
sextant_compute_job_monitor_submit (SextantComputeJobMonitor     *self,
                                    SextantScenarioJob           *job,
                                    const SextantBatchSettings   *settings,
                                    const SextantAwsCredentials  *credentials)
{
  Work *work;

  g_return_if_fail (SEXTANT_IS_COMPUTE_JOB_MONITOR (self));
  g_return_if_fail (!self->latest.following);

  self->generation++;
  info_clear (&self->latest);
  self->latest.status = g_strdup ("SUBMITTING");
  self->latest.queue = g_strdup (settings->queue);
  self->latest.shards = settings->shards;
  g_free (self->latest_region);
  self->latest_region = g_strdup (settings->region);
  work = g_new0 (Work, 1);
  work->job_json = sextant_scenario_job_to_data (job);
  work->job_sha256 = sextant_scenario_job_dup_digest (job);
  work->job = job;
  work->region = g_strdup (settings->region);
  work->queue = g_strdup (settings->queue);
  work->definition = g_strdup (settings->definition);
  work->bucket = g_strdup (settings->bucket);
  work->prefix = g_strdup (settings->prefix);
  work->shards = settings->shards;
  work->credentials = sextant_aws_credentials_copy (credentials);
  start_work (self, work);
  emit_changed (self);
}

/**
 * sextant_compute_job_monitor_resume:
 * @region: the region to use for a job whose row does not say it
 *
 * Follows the latest job again if it was left unfinished (Sextant was quit while it ran), or
 * asks Batch what a finished one used, so that its cost shows.
 */
void
sextant_compute_job_monitor_resume (SextantComputeJobMonitor     *self,
                                    const char                   *region,
                                    const SextantAwsCredentials  *credentials)
{
  SextantComputeJobInfo *latest = &self->latest;
  Work *work;

  g_return_if_fail (SEXTANT_IS_COMPUTE_JOB_MONITOR (self));

  if (latest->following || latest->engine_job_id == NULL || self->latest_job_url == NULL ||
      latest->error != NULL || g_strcmp0 (latest->status, "CANCELLED") == 0 ||
      (latest->result != NULL && !isnan (latest->vcpu_seconds)) ||
      (latest->result == NULL && g_strcmp0 (latest->status, "FAILED") == 0))
    return;
  work = g_new0 (Work, 1);
  work->region = g_strdup (self->latest_region != NULL ? self->latest_region : region);
  work->shards = MAX (latest->shards, 1);
  work->credentials = sextant_aws_credentials_copy (credentials);
  work->engine_job_id = g_strdup (latest->engine_job_id);
  work->job_url = g_strdup (self->latest_job_url);
  work->usage_only = latest->result != NULL;
  start_work (self, work);
  emit_changed (self);
}

/**
 * sextant_compute_job_monitor_cancel:
 *
 * Stops the latest job: its worker sends TerminateJob, so Batch stops its shards too.
 *
 * Returns: %TRUE if a job was being followed
 */
gboolean
sextant_compute_job_monitor_cancel (SextantComputeJobMonitor *self)
{
  g_return_val_if_fail (SEXTANT_IS_COMPUTE_JOB_MONITOR (self), FALSE);

  if (!self->latest.following)
    return FALSE;
  g_cancellable_cancel (self->cancellable);
  return TRUE;
}
