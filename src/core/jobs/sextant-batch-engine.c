#define G_LOG_DOMAIN "sextant-batch-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "jobs/sextant-batch-client.h"
#include "jobs/sextant-batch-engine.h"
#include "jobs/sextant-jobs-error.h"
#include "jobs/sextant-s3-client.h"
#include "jobs/sextant-scenario-shards.h"

/*
 * The Batch engine: the job file goes to S3, one SubmitJob starts an array of N children, each
 * of which runs `sextant-cli scenarios --job s3://… --shard array/N --out s3://…/` (the index
 * from AWS_BATCH_JOB_ARRAY_INDEX) and puts its shard file beside the job; DescribeJobs is polled
 * until the array ends, then the N shard files are fetched and merged as `sextant-cli merge`
 * merges them, so the result is the in-process run's.
 *
 * Its functions block: they run the clients on a main context of their own, so the CLI calls
 * them directly and the GUI from a worker thread.
 */

typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (wait->context, TRUE);
  return wait->result;
}

static gboolean
wake_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A pause between two polls that Cancel cuts short: a user's click terminates the job at once,
 * not at the next poll ten seconds later. */
static void
pause_on (GMainContext *context,
          guint         ms,
          GCancellable *cancellable)
{
  gboolean woken = FALSE;
  GSource *source = g_timeout_source_new (ms);
  GSource *cancel_source = NULL;

  g_source_set_callback (source, wake_cb, &woken, NULL);
  g_source_attach (source, context);
  if (cancellable != NULL)
    {
      cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (cancel_source, G_SOURCE_FUNC (cancelled_cb), &woken, NULL);
      g_source_attach (cancel_source, context);
    }
  while (!woken)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (source);
  g_source_unref (source);
  if (cancel_source != NULL)
    {
      g_source_destroy (cancel_source);
      g_source_unref (cancel_source);
    }
}

static GBytes *
get_object (SextantS3Client  *s3,
            GMainContext     *context,
            const char       *bucket,
            const char       *key,
            GError          **error)
{
  Wait wait = { context, NULL };
  GBytes *bytes;

  sextant_s3_client_get_object_async (s3, bucket, key, NULL, done_cb, &wait);
  bytes = sextant_s3_client_get_object_finish (s3, wait_result (&wait), error);
  g_object_unref (wait.result);
  return bytes;
}

static gboolean
put_object (SextantS3Client  *s3,
            GMainContext     *context,
            const char       *bucket,
            const char       *key,
            GBytes           *bytes,
            GError          **error)
{
  Wait wait = { context, NULL };
  gboolean ok;

  sextant_s3_client_put_object_async (s3, bucket, key, bytes, NULL, done_cb, &wait);
  ok = sextant_s3_client_put_object_finish (s3, wait_result (&wait), error);
  g_object_unref (wait.result);
  return ok;
}

static SextantBatchJobState *
describe (SextantBatchClient  *batch,
          GMainContext        *context,
          const char          *id,
          GError             **error)
{
  Wait wait = { context, NULL };
  SextantBatchJobState *state;

  sextant_batch_client_describe_job_async (batch, id, NULL, done_cb, &wait);
  state = sextant_batch_client_describe_job_finish (batch, wait_result (&wait), error);
  g_object_unref (wait.result);
  return state;
}

static gboolean
terminate (SextantBatchClient  *batch,
           GMainContext        *context,
           const char          *id,
           const char          *reason,
           GError             **error)
{
  Wait wait = { context, NULL };
  gboolean ok;

  sextant_batch_client_terminate_job_async (batch, id, reason, NULL, done_cb, &wait);
  ok = sextant_batch_client_terminate_job_finish (batch, wait_result (&wait), error);
  g_object_unref (wait.result);
  return ok;
}

static char *
submit (SextantBatchClient          *batch,
        GMainContext                *context,
        const char                  *name,
        const SextantBatchSettings  *settings,
        const char * const          *command,
        GError                     **error)
{
  Wait wait = { context, NULL };
  char *id;

  sextant_batch_client_submit_job_async (batch, name, settings->queue, settings->definition,
                                         settings->shards >= 2 ? settings->shards : 0, command,
                                         NULL, done_cb, &wait);
  id = sextant_batch_client_submit_job_finish (batch, wait_result (&wait), error);
  g_object_unref (wait.result);
  return id;
}

static void
remove_dir (const char *dir,
            GPtrArray  *files)
{
  for (guint i = 0; i < files->len; i++)
    if (files->pdata[i] != NULL)
      g_remove (files->pdata[i]);
  g_rmdir (dir);
}

/* The shard files, fetched into a private folder and merged. A child that Batch reports as
 * succeeded but whose file is not there is an error naming the shard, never a smaller result. */
static gboolean
gather (SextantS3Client             *s3,
        GMainContext                *context,
        const SextantBatchSettings  *settings,
        const char                  *base_key,
        SextantScenarioRun          *result,
        GError                     **error)
{
  g_autofree char *dir = g_dir_make_tmp ("sextant-batch-XXXXXX", error);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;

  if (dir == NULL)
    return FALSE;
  for (guint i = 0; i < settings->shards && ok; i++)
    {
      g_autofree char *key = g_strdup_printf ("%sshard-%u", base_key, i);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      char *path = g_strdup_printf ("%s/shard-%u", dir, i);

      g_ptr_array_add (files, path);
      bytes = get_object (s3, context, settings->bucket, key, &local_error);
      if (bytes == NULL && g_error_matches (local_error, SEXTANT_JOBS_ERROR,
                                            SEXTANT_JOBS_ERROR_NOT_FOUND))
        {
          g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_SHARD_MISSING,
                       _("Shard %u/%u left no output (s3://%s/%s is missing although Batch "
                         "reports the job as succeeded)"), i, settings->shards,
                       settings->bucket, key);
          ok = FALSE;
        }
      else if (bytes == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
      else
        ok = g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  error);
    }
  g_ptr_array_add (files, NULL);
  if (ok)
    ok = sextant_scenario_run_merge ((const char * const *) files->pdata, result, error);
  remove_dir (dir, files);
  return ok;
}

static gboolean
follow (SextantBatchClient          *batch,
        GMainContext                *context,
        const char                  *id,
        const SextantBatchSettings  *settings,
        SextantBatchProgressFunc     progress,
        gpointer                     user_data,
        GCancellable                *cancellable,
        GError                     **error)
{
  for (;;)
    {
      g_autoptr(SextantBatchJobState) state = describe (batch, context, id, error);

      if (state == NULL)
        return FALSE;
      if (progress != NULL)
        progress (state, user_data);
      if (g_strcmp0 (state->status, "SUCCEEDED") == 0)
        return TRUE;
      if (g_strcmp0 (state->status, "FAILED") == 0)
        {
          g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_SHARD_FAILED,
                       _("Batch job %s failed (%u of %u shards failed after their retries): %s"),
                       id, state->n_failed, settings->shards,
                       state->status_reason != NULL ? state->status_reason : _("no reason given"));
          return FALSE;
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          /* the job is the user's bill: a cancelled run stops its children too */
          terminate (batch, context, id, "Cancelled in Sextant", NULL);
          g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_CANCELLED,
                       _("Batch job %s was cancelled"), id);
          return FALSE;
        }
      pause_on (context, settings->poll_interval_ms, cancellable);
    }
}

/**
 * sextant_batch_engine_run:
 * @job: (transfer full): the job, freed when the run ends (@result holds the merged shards' copy)
 * @settings: queue, job definition, bucket, prefix and shards
 * @credentials: the keys to sign with
 * @submitted: (nullable) (scope call): told the Batch job's id once it is submitted
 * @progress: (nullable) (scope call): told each state DescribeJobs returns
 * @cancellable: (nullable): cancels the run and terminates the Batch job
 *
 * Runs @job as an AWS Batch array job of @settings->shards children and merges their shards.
 *
 * Returns: %TRUE with @result the in-process run's, bit for bit
 */
gboolean
sextant_batch_engine_run (SextantScenarioJob           *job,
                          const SextantBatchSettings   *settings,
                          const SextantAwsCredentials  *credentials,
                          SextantBatchSubmittedFunc     submitted,
                          SextantBatchProgressFunc      progress,
                          gpointer                      user_data,
                          GCancellable                 *cancellable,
                          SextantScenarioRun           *result,
                          GError                      **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SextantScenarioJob) owned = job;
  g_autoptr(SextantS3Client) s3 = NULL;
  g_autoptr(SextantBatchClient) batch = NULL;
  g_autofree char *digest = sextant_scenario_job_dup_digest (job);
  g_autofree char *base_key = NULL;
  g_autofree char *job_key = NULL;
  g_autofree char *job_url = NULL;
  g_autofree char *out_url = NULL;
  g_autofree char *shard_arg = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GBytes) job_bytes = NULL;
  char *job_text = sextant_scenario_job_to_data (job);
  gboolean ok = FALSE;

  g_return_val_if_fail (settings->shards >= 1 &&
                        settings->shards <= SEXTANT_SCENARIO_JOB_MAX_SHARDS, FALSE);

  if (!sextant_scenario_job_check (job, error))
    {
      g_free (job_text);
      return FALSE;
    }
  g_main_context_push_thread_default (context);
  if ((s3 = sextant_s3_client_new (settings->region, credentials, NULL, error)) == NULL ||
      (batch = sextant_batch_client_new (settings->region, credentials, NULL, error)) == NULL)
    goto out;
  /* one folder per job and cut: a rerun of the same job writes the same bytes again */
  base_key = g_strdup_printf ("%s%s%.16s-%u/", settings->prefix != NULL ? settings->prefix : "",
                              settings->prefix != NULL && *settings->prefix ? "/" : "", digest,
                              settings->shards);
  job_key = g_strconcat (base_key, "job.json", NULL);
  job_url = g_strdup_printf ("s3://%s/%s", settings->bucket, job_key);
  out_url = g_strdup_printf ("s3://%s/%s", settings->bucket, base_key);
  shard_arg = g_strdup_printf ("array/%u", settings->shards);
  job_bytes = g_bytes_new_take (job_text, strlen (job_text));
  if (!put_object (s3, context, settings->bucket, job_key, job_bytes, error))
    goto out;
  {
    const char *command[] = { "sextant-cli", "scenarios", "--job", job_url, "--shard", shard_arg,
                              "--out", out_url, NULL };

    name = g_strdup_printf ("sextant-scenarios-%.16s", digest);
    if ((id = submit (batch, context, name, settings, command, error)) == NULL)
      goto out;
  }
  if (submitted != NULL)
    submitted (id, job_url, user_data);
  ok = follow (batch, context, id, settings, progress, user_data, cancellable, error) &&
       gather (s3, context, settings, base_key, result, error);

out:
  g_clear_object (&s3);
  g_clear_object (&batch);
  /* what the sessions still hold (closing connections) is dispatched before the context goes */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return ok;
}

/**
 * sextant_batch_engine_follow:
 * @settings: the run's region, bucket, shards and poll interval (queue and definition unused)
 * @batch_job_id: the Batch job sextant_batch_engine_run() submitted
 * @job_url: where it put the job file, `s3://BUCKET/…/job.json`; the shards are beside it
 *
 * Follows a job submitted earlier (by another window, or before Sextant was restarted) to its
 * end and merges its shards, as sextant_batch_engine_run() does after submitting.
 */
gboolean
sextant_batch_engine_follow (const SextantBatchSettings   *settings,
                             const SextantAwsCredentials  *credentials,
                             const char                   *batch_job_id,
                             const char                   *job_url,
                             SextantBatchProgressFunc      progress,
                             gpointer                      user_data,
                             GCancellable                 *cancellable,
                             SextantScenarioRun           *result,
                             GError                      **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SextantS3Client) s3 = NULL;
  g_autoptr(SextantBatchClient) batch = NULL;
  g_autofree char *bucket = NULL;
  g_autofree char *key = NULL;
  SextantBatchSettings with_bucket = *settings;
  gboolean ok = FALSE;

  g_return_val_if_fail (settings->shards >= 1 &&
                        settings->shards <= SEXTANT_SCENARIO_JOB_MAX_SHARDS, FALSE);

  if (!sextant_s3_parse_url (job_url, &bucket, &key) || !g_str_has_suffix (key, "job.json"))
    {
      g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not the job file of a Batch run (s3://BUCKET/…/job.json)"), job_url);
      return FALSE;
    }
  key[strlen (key) - strlen ("job.json")] = '\0';
  with_bucket.bucket = bucket;
  g_main_context_push_thread_default (context);
  if ((s3 = sextant_s3_client_new (settings->region, credentials, NULL, error)) != NULL &&
      (batch = sextant_batch_client_new (settings->region, credentials, NULL, error)) != NULL)
    ok = follow (batch, context, batch_job_id, &with_bucket, progress, user_data, cancellable,
                 error) &&
         gather (s3, context, &with_bucket, key, result, error);
  g_clear_object (&s3);
  g_clear_object (&batch);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return ok;
}

/* The one-call helpers below serve `sextant-cli jobs` and the shard command inside the
 * container: each makes its client on a private context, runs one request and drops it. */

typedef struct
{
  GMainContext       *context;
  SextantS3Client    *s3;
  SextantBatchClient *batch;
} OneCall;

static gboolean
one_call_begin (OneCall                      *call,
                const char                   *region,
                const SextantAwsCredentials  *credentials,
                gboolean                      want_batch,
                GError                      **error)
{
  call->context = g_main_context_new ();
  g_main_context_push_thread_default (call->context);
  if (want_batch)
    call->batch = sextant_batch_client_new (region, credentials, NULL, error);
  else
    call->s3 = sextant_s3_client_new (region, credentials, NULL, error);
  return call->batch != NULL || call->s3 != NULL;
}

static void
one_call_end (OneCall *call)
{
  g_clear_object (&call->s3);
  g_clear_object (&call->batch);
  while (g_main_context_iteration (call->context, FALSE))
    ;
  g_main_context_pop_thread_default (call->context);
  g_main_context_unref (call->context);
}

/**
 * sextant_batch_engine_describe:
 *
 * Returns: (transfer full) (nullable): the state of a Batch job
 */
SextantBatchJobState *
sextant_batch_engine_describe (const char                   *region,
                               const SextantAwsCredentials  *credentials,
                               const char                   *batch_job_id,
                               GError                      **error)
{
  OneCall call = { 0 };
  SextantBatchJobState *state = NULL;

  if (one_call_begin (&call, region, credentials, TRUE, error))
    state = describe (call.batch, call.context, batch_job_id, error);
  one_call_end (&call);
  return state;
}

gboolean
sextant_batch_engine_terminate (const char                   *region,
                                const SextantAwsCredentials  *credentials,
                                const char                   *batch_job_id,
                                const char                   *reason,
                                GError                      **error)
{
  OneCall call = { 0 };
  gboolean ok = FALSE;

  if (one_call_begin (&call, region, credentials, TRUE, error))
    ok = terminate (call.batch, call.context, batch_job_id, reason, error);
  one_call_end (&call);
  return ok;
}

static gboolean
parse_url (const char  *url,
           char       **bucket,
           char       **key,
           GError     **error)
{
  if (sextant_s3_parse_url (url, bucket, key))
    return TRUE;
  g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_INVALID_ARGUMENT,
               _("“%s” is not an S3 URL of the form s3://BUCKET/KEY"), url);
  return FALSE;
}

/**
 * sextant_s3_get_sync:
 * @url: `s3://BUCKET/KEY`
 *
 * Returns: (transfer full) (nullable): the object's bytes
 */
GBytes *
sextant_s3_get_sync (const char                   *region,
                     const SextantAwsCredentials  *credentials,
                     const char                   *url,
                     GError                      **error)
{
  g_autofree char *bucket = NULL;
  g_autofree char *key = NULL;
  OneCall call = { 0 };
  GBytes *bytes = NULL;

  if (!parse_url (url, &bucket, &key, error))
    return NULL;
  if (one_call_begin (&call, region, credentials, FALSE, error))
    bytes = get_object (call.s3, call.context, bucket, key, error);
  one_call_end (&call);
  return bytes;
}

gboolean
sextant_s3_put_sync (const char                   *region,
                     const SextantAwsCredentials  *credentials,
                     const char                   *url,
                     GBytes                       *bytes,
                     GError                      **error)
{
  g_autofree char *bucket = NULL;
  g_autofree char *key = NULL;
  OneCall call = { 0 };
  gboolean ok = FALSE;

  if (!parse_url (url, &bucket, &key, error))
    return FALSE;
  if (one_call_begin (&call, region, credentials, FALSE, error))
    ok = put_object (call.s3, call.context, bucket, key, bytes, error);
  one_call_end (&call);
  return ok;
}

/**
 * sextant_batch_engine_usage:
 * @shards: the array's size (1 for a single job)
 * @vcpu_seconds: (out): what the job's children used: each attempt's seconds × its vCPUs, NaN
 *   when Batch no longer describes every child or one does not say its vCPUs
 *
 * Asks Batch how long each child ran, 100 children a call, so that the cost shown is what the
 * compute environment billed for, retried attempts included, not the job's wall time.
 */
gboolean
sextant_batch_engine_usage (const char                   *region,
                            const SextantAwsCredentials  *credentials,
                            const char                   *batch_job_id,
                            guint                         shards,
                            double                       *vcpu_seconds,
                            GError                      **error)
{
  OneCall call = { 0 };
  gboolean ok;
  guint complete = 0;

  *vcpu_seconds = 0;
  ok = one_call_begin (&call, region, credentials, TRUE, error);
  for (guint first = 0; ok && first < MAX (shards, 1); first += 100)
    {
      guint count = MIN (MAX (shards, 1) - first, 100);
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      Wait wait = { call.context, NULL };
      double seconds = 0;
      guint described = 0, without = 0;

      for (guint i = 0; i < count; i++)
        g_ptr_array_add (ids, shards >= 2 ? g_strdup_printf ("%s:%u", batch_job_id, first + i)
                                          : g_strdup (batch_job_id));
      g_ptr_array_add (ids, NULL);
      sextant_batch_client_describe_usage_async (call.batch, (const char * const *) ids->pdata,
                                                 NULL, done_cb, &wait);
      ok = sextant_batch_client_describe_usage_finish (call.batch, wait_result (&wait), &seconds,
                                                       &described, &without, error);
      g_object_unref (wait.result);
      *vcpu_seconds += seconds;
      complete += ok && without == 0 ? described : 0;
    }
  one_call_end (&call);
  if (ok && complete != MAX (shards, 1))
    *vcpu_seconds = NAN;
  return ok;
}

/**
 * sextant_batch_engine_describe_cost:
 * @vcpu_seconds: what the job's children used (sextant_batch_engine_usage()), NaN when unknown
 * @price_per_vcpu_hour: the user's price in US dollars, 0 when not set
 *
 * The cost line shown beside a Batch result, in the Portfolio window and by sextant-cli alike.
 *
 * Returns: (transfer full): one sentence
 */
char *
sextant_batch_engine_describe_cost (double vcpu_seconds,
                                    double price_per_vcpu_hour)
{
  g_autofree char *amount = NULL;
  double cost;

  if (isnan (vcpu_seconds))
    return g_strdup (_("Cost unknown: Batch no longer describes the job's shards."));
  if (!(price_per_vcpu_hour > 0))
    /* Translators: vCPU-seconds the job's shards used */
    return g_strdup_printf (_("%.0f vCPU-seconds (set your price per vCPU-hour in Preferences to see the cost)."),
                            vcpu_seconds);
  cost = vcpu_seconds / 3600 * price_per_vcpu_hour;
  if (cost > 0 && cost < 0.00005)
    /* Translators: an estimated cost in US dollars, too small to show */
    amount = g_strdup (_("< $0.0001"));
  else
    /* Translators: an estimated cost in US dollars */
    amount = g_strdup_printf (_("≈ $%.4f"), cost);
  /* Translators: a cost in US dollars, the vCPU-seconds it is made of and the user's price */
  return g_strdup_printf (_("Cost %s: %.0f vCPU-seconds at $%.4f per vCPU-hour."), amount, vcpu_seconds,
                          price_per_vcpu_hour);
}
