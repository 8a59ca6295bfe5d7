#define G_LOG_DOMAIN "sextant-batch-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "jobs/sextant-aws-request.h"
#include "jobs/sextant-batch-client.h"
#include "jobs/sextant-jobs-error.h"

/* AWS Batch's SubmitJob, DescribeJobs and TerminateJob: rest-json (POST /v1/<operation> with a
 * JSON body), signed with SigV4 for the service `batch`. */

struct _SextantBatchClient
{
  GObject            parent_instance;
  SextantAwsService  service;
  char              *endpoint;
};

G_DEFINE_FINAL_TYPE (SextantBatchClient, sextant_batch_client, G_TYPE_OBJECT)

void
sextant_batch_job_state_free (SextantBatchJobState *state)
{
  if (state == NULL)
    return;
  g_free (state->job_id);
  g_free (state->status);
  g_free (state->status_reason);
  g_free (state);
}

gboolean
sextant_batch_job_state_is_final (const SextantBatchJobState *state)
{
  return g_strcmp0 (state->status, "SUCCEEDED") == 0 || g_strcmp0 (state->status, "FAILED") == 0;
}

static void
sextant_batch_client_finalize (GObject *object)
{
  SextantBatchClient *self = SEXTANT_BATCH_CLIENT (object);

  sextant_aws_service_clear (&self->service);
  g_free (self->endpoint);
  G_OBJECT_CLASS (sextant_batch_client_parent_class)->finalize (object);
}

static void
sextant_batch_client_class_init (SextantBatchClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_batch_client_finalize;
}

static void
sextant_batch_client_init (SextantBatchClient *self)
{
}

/**
 * sextant_batch_client_new:
 * @region: the region of the queue
 * @credentials: the keys to sign with
 * @session: (nullable): a session to share; %NULL makes one
 *
 * The endpoint is `AWS_ENDPOINT_URL_BATCH`, then `AWS_ENDPOINT_URL`, then
 * `https://batch.REGION.amazonaws.com`.
 *
 * Returns: (transfer full) (nullable): a client, or %NULL for a refused endpoint
 */
SextantBatchClient *
sextant_batch_client_new (const char                   *region,
                          const SextantAwsCredentials  *credentials,
                          SoupSession                  *session,
                          GError                      **error)
{
  g_autoptr(SextantBatchClient) self = NULL;
  g_autofree char *endpoint = NULL;

  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (credentials != NULL, NULL);

  endpoint = sextant_aws_service_endpoint ("AWS_ENDPOINT_URL_BATCH", "batch", region, error);
  if (endpoint == NULL)
    return NULL;
  self = g_object_new (SEXTANT_TYPE_BATCH_CLIENT, NULL);
  sextant_aws_service_init (&self->service, region, "batch", credentials, session);
  self->endpoint = g_steal_pointer (&endpoint);
  return g_steal_pointer (&self);
}

typedef JsonNode *(*ReadAnswer) (JsonObject *answer, GError **error);

static void
answered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = sextant_aws_service_send_finish (result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_bytes_get_size (body) == 0)
    {
      g_task_return_pointer (task, json_object_new (), (GDestroyNotify) json_object_unref);
      return;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_new_error (task, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_PARSE,
                               _("%s: the answer is not a JSON object"),
                               (const char *) g_task_get_task_data (task));
      return;
    }
  g_task_return_pointer (task, json_object_ref (json_node_get_object (root)),
                         (GDestroyNotify) json_object_unref);
}

static void
call (SextantBatchClient  *self,
      const char          *operation,
      JsonBuilder         *builder,
      gpointer             source_tag,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *lower = g_ascii_strdown (operation, -1);
  g_autofree char *url = g_strdup_printf ("%s/v1/%s", self->endpoint, lower);
  g_autofree char *what = g_strdup_printf ("Batch %s", operation);
  g_autoptr(GBytes) body = NULL;
  char *text;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_strdup (what), g_free);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  body = g_bytes_new_take (text, strlen (text));
  sextant_aws_service_send_async (&self->service, self, "POST", url, "application/json", body,
                                  what, cancellable, answered_cb, g_steal_pointer (&task));
}

void
sextant_batch_client_submit_job_async (SextantBatchClient  *self,
                                       const char          *name,
                                       const char          *queue,
                                       const char          *definition,
                                       guint                array_size,
                                       const char * const  *command,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_if_fail (SEXTANT_IS_BATCH_CLIENT (self));
  g_return_if_fail (array_size == 0 || (array_size >= 2 && array_size <= 10000));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "jobName");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "jobQueue");
  json_builder_add_string_value (b, queue);
  json_builder_set_member_name (b, "jobDefinition");
  json_builder_add_string_value (b, definition);
  /* Batch refuses an array of one: a single shard is a plain job */
  if (array_size >= 2)
    {
      json_builder_set_member_name (b, "arrayProperties");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, array_size);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "containerOverrides");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "command");
  json_builder_begin_array (b);
  for (guint i = 0; command[i] != NULL; i++)
    json_builder_add_string_value (b, command[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  /* a child that dies with its instance (a reclaimed Spot instance) is run again */
  json_builder_set_member_name (b, "retryStrategy");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "attempts");
  json_builder_add_int_value (b, 3);
  json_builder_end_object (b);
  json_builder_end_object (b);
  call (self, "SubmitJob", b, sextant_batch_client_submit_job_async, cancellable, callback,
        user_data);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A count or time that Batch sends as a JSON number, read without trusting its range. */
static gint64
get_int (JsonObject *object,
         const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return 0;
  value = json_node_get_double (node);
  if (!isfinite (value) || value < 0 || value > 9.0e15)
    return 0;
  return (gint64) value;
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/**
 * sextant_batch_client_submit_job_finish:
 *
 * Returns: (transfer full): the new job's id
 */
char *
sextant_batch_client_submit_job_finish (SextantBatchClient  *self,
                                        GAsyncResult        *result,
                                        GError             **error)
{
  g_autoptr(JsonObject) answer = g_task_propagate_pointer (G_TASK (result), error);
  const char *id;

  if (answer == NULL)
    return NULL;
  if ((id = get_string (answer, "jobId")) == NULL || *id == '\0')
    {
      g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_PARSE,
                   _("Batch SubmitJob: the answer has no “jobId”"));
      return NULL;
    }
  return g_strdup (id);
}

void
sextant_batch_client_describe_job_async (SextantBatchClient  *self,
                                         const char          *job_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_if_fail (SEXTANT_IS_BATCH_CLIENT (self));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "jobs");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, job_id);
  json_builder_end_array (b);
  json_builder_end_object (b);
  call (self, "DescribeJobs", b, sextant_batch_client_describe_job_async, cancellable, callback,
        user_data);
}

/**
 * sextant_batch_client_describe_job_finish:
 *
 * Returns: (transfer full): the job's state; a job Batch does not know (any more: it forgets
 *   jobs after about a week) is %SEXTANT_JOBS_ERROR_NOT_FOUND
 */
SextantBatchJobState *
sextant_batch_client_describe_job_finish (SextantBatchClient  *self,
                                          GAsyncResult        *result,
                                          GError             **error)
{
  g_autoptr(JsonObject) answer = g_task_propagate_pointer (G_TASK (result), error);
  g_autoptr(SextantBatchJobState) state = NULL;
  JsonNode *jobs;
  JsonObject *job, *array, *summary;
  const char *id, *status;

  if (answer == NULL)
    return NULL;
  jobs = json_object_get_member (answer, "jobs");
  if (jobs == NULL || !JSON_NODE_HOLDS_ARRAY (jobs))
    {
      g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_PARSE,
                   _("Batch DescribeJobs: the answer has no “jobs” list"));
      return NULL;
    }
  if (json_array_get_length (json_node_get_array (jobs)) == 0)
    {
      g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_NOT_FOUND,
                   _("Batch does not know the job (it keeps finished jobs about a week)"));
      return NULL;
    }
  job = json_array_get_object_element (json_node_get_array (jobs), 0);
  if (job == NULL || (id = get_string (job, "jobId")) == NULL ||
      (status = get_string (job, "status")) == NULL)
    {
      g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_PARSE,
                   _("Batch DescribeJobs: a job without “jobId” or “status”"));
      return NULL;
    }
  state = g_new0 (SextantBatchJobState, 1);
  state->job_id = g_strdup (id);
  state->status = g_strdup (status);
  state->status_reason = g_strdup (get_string (job, "statusReason"));
  state->created_at = get_int (job, "createdAt");
  state->started_at = get_int (job, "startedAt");
  state->stopped_at = get_int (job, "stoppedAt");
  array = get_object (job, "arrayProperties");
  summary = get_object (array, "statusSummary");
  state->array_size = (guint) MIN (get_int (array, "size"), 10000);
  state->n_succeeded = (guint) MIN (get_int (summary, "SUCCEEDED"), 10000);
  state->n_failed = (guint) MIN (get_int (summary, "FAILED"), 10000);
  state->n_running = (guint) MIN (get_int (summary, "RUNNING") + get_int (summary, "STARTING"),
                                  10000);
  return g_steal_pointer (&state);
}

/**
 * sextant_batch_client_describe_usage_async:
 * @ids: (array zero-terminated=1): at most 100 job ids, array children as `JOBID:INDEX`
 *
 * Asks DescribeJobs for the jobs' attempts and vCPUs, to price what they used.
 */
void
sextant_batch_client_describe_usage_async (SextantBatchClient  *self,
                                           const char * const  *ids,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_if_fail (SEXTANT_IS_BATCH_CLIENT (self));
  g_return_if_fail (ids != NULL && g_strv_length ((char **) ids) <= 100);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "jobs");
  json_builder_begin_array (b);
  for (guint i = 0; ids[i] != NULL; i++)
    json_builder_add_string_value (b, ids[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  call (self, "DescribeJobs", b, sextant_batch_client_describe_usage_async, cancellable, callback,
        user_data);
}

/* A job's vCPUs: resourceRequirements' VCPU (a string, fractions for Fargate), else the older
 * `vcpus`; 0 when neither says. */
static double
job_vcpus (JsonObject *job)
{
  JsonObject *container = get_object (job, "container");
  JsonNode *requirements = container != NULL ? json_object_get_member (container, "resourceRequirements")
                                             : NULL;

  if (requirements != NULL && JSON_NODE_HOLDS_ARRAY (requirements))
    {
      JsonArray *array = json_node_get_array (requirements);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *requirement = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *value = get_string (requirement, "value");
          char *end = NULL;
          double vcpus;

          if (g_strcmp0 (get_string (requirement, "type"), "VCPU") != 0 || value == NULL)
            continue;
          vcpus = g_ascii_strtod (value, &end);
          if (end != value && *end == '\0' && isfinite (vcpus) && vcpus > 0 && vcpus <= 4096)
            return vcpus;
        }
    }
  return (double) MIN (get_int (container, "vcpus"), 4096);
}

/* Seconds the job's attempts ran (a retried child is billed for each), from Batch's own times. */
static double
job_seconds (JsonObject *job)
{
  JsonNode *attempts = json_object_get_member (job, "attempts");
  gint64 started, stopped;
  double seconds = 0;

  if (attempts != NULL && JSON_NODE_HOLDS_ARRAY (attempts) &&
      json_array_get_length (json_node_get_array (attempts)) > 0)
    {
      JsonArray *array = json_node_get_array (attempts);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *attempt = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

          started = get_int (attempt, "startedAt");
          stopped = get_int (attempt, "stoppedAt");
          if (started > 0 && stopped >= started)
            seconds += (stopped - started) / 1000.0;
        }
      return seconds;
    }
  started = get_int (job, "startedAt");
  stopped = get_int (job, "stoppedAt");
  return started > 0 && stopped >= started ? (stopped - started) / 1000.0 : 0;
}

/**
 * sextant_batch_client_describe_usage_finish:
 * @vcpu_seconds: (out): the jobs' attempts' seconds × their vCPUs, summed
 * @n_described: (out): how many of the ids Batch described
 * @n_without_vcpus: (out): how many of those did not say their vCPUs (left out of the sum)
 */
gboolean
sextant_batch_client_describe_usage_finish (SextantBatchClient  *self,
                                            GAsyncResult        *result,
                                            double              *vcpu_seconds,
                                            guint               *n_described,
                                            guint               *n_without_vcpus,
                                            GError             **error)
{
  g_autoptr(JsonObject) answer = g_task_propagate_pointer (G_TASK (result), error);
  JsonNode *jobs;
  JsonArray *array;

  *vcpu_seconds = 0;
  *n_described = 0;
  *n_without_vcpus = 0;
  if (answer == NULL)
    return FALSE;
  jobs = json_object_get_member (answer, "jobs");
  if (jobs == NULL || !JSON_NODE_HOLDS_ARRAY (jobs))
    {
      g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_PARSE,
                   _("Batch DescribeJobs: the answer has no “jobs” list"));
      return FALSE;
    }
  array = json_node_get_array (jobs);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *job = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      double vcpus;

      if (job == NULL)
        continue;
      (*n_described)++;
      vcpus = job_vcpus (job);
      if (vcpus <= 0)
        (*n_without_vcpus)++;
      else
        *vcpu_seconds += vcpus * job_seconds (job);
    }
  return TRUE;
}

void
sextant_batch_client_terminate_job_async (SextantBatchClient  *self,
                                          const char          *job_id,
                                          const char          *reason,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_if_fail (SEXTANT_IS_BATCH_CLIENT (self));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "jobId");
  json_builder_add_string_value (b, job_id);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_end_object (b);
  call (self, "TerminateJob", b, sextant_batch_client_terminate_job_async, cancellable, callback,
        user_data);
}

gboolean
sextant_batch_client_terminate_job_finish (SextantBatchClient  *self,
                                           GAsyncResult        *result,
                                           GError             **error)
{
  g_autoptr(JsonObject) answer = g_task_propagate_pointer (G_TASK (result), error);

  return answer != NULL;
}
