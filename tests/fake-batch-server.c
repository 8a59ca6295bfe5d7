#define G_LOG_DOMAIN "fake-batch-server"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fake-batch-server.h"
#include "sigv4-verifier.h"

typedef struct
{
  char  *region;
  char  *access_key_id;
  char  *secret_access_key;
  char  *url;
  SoupServer *server;
  guint  n_bad_signatures;
} Common;

static void
common_start (Common              *c,
              const char          *region,
              const char          *access_key_id,
              const char          *secret_access_key,
              SoupServerCallback   callback,
              gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  c->region = g_strdup (region);
  c->access_key_id = g_strdup (access_key_id);
  c->secret_access_key = g_strdup (secret_access_key);
  c->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (c->server, NULL, callback, user_data, NULL);
  soup_server_listen_local (c->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (c->server);
  c->url = g_uri_to_string (uris->data);
  if (g_str_has_suffix (c->url, "/"))
    c->url[strlen (c->url) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
common_stop (Common *c)
{
  soup_server_disconnect (c->server);
  g_object_unref (c->server);
  g_free (c->region);
  g_free (c->access_key_id);
  g_free (c->secret_access_key);
  g_free (c->url);
}

static gboolean
common_verify (Common            *c,
               SoupServerMessage *msg,
               const char        *service)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (body);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *reason = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  Sigv4VerifierRequest raw = { 0 };
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_ptr_array_add (names, (gpointer) name);
      g_ptr_array_add (values, (gpointer) value);
    }
  g_ptr_array_add (names, NULL);
  g_ptr_array_add (values, NULL);
  raw.method = soup_server_message_get_method (msg);
  raw.raw_path = g_uri_get_path (uri);
  raw.raw_query = g_uri_get_query (uri);
  raw.header_names = (const char **) names->pdata;
  raw.header_values = (const char **) values->pdata;
  raw.body = g_bytes_get_data (flat, &raw.body_len);
  if (sigv4_verifier_check (&raw, c->access_key_id, c->secret_access_key, c->region, service,
                            &reason))
    return TRUE;
  g_test_message ("fake %s: bad signature: %s", service, reason);
  c->n_bad_signatures++;
  soup_server_message_set_status (msg, 403, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC,
                                    "<Error><Code>SignatureDoesNotMatch</Code></Error>", 49);
  return FALSE;
}

/* ----- S3 ------------------------------------------------------------------------------------ */

typedef struct
{
  char  *method;
  guint  status;
  guint  count;
} Fault;

struct _FakeS3Server
{
  Common      common;
  GHashTable *objects;   /* "bucket/key" → GBytes */
  GPtrArray  *faults;
  GPtrArray  *drop_suffixes;
  guint       n_gets;
  guint       n_puts;
};

static void
fault_free (Fault *fault)
{
  g_free (fault->method);
  g_free (fault);
}

static gboolean
s3_fault (FakeS3Server      *self,
          SoupServerMessage *msg,
          const char        *method)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *fault = self->faults->pdata[i];
      const char *code;
      g_autofree char *xml = NULL;

      if (!g_str_equal (fault->method, method) || fault->count == 0)
        continue;
      fault->count--;
      code = fault->status == 403 ? "AccessDenied" : fault->status == 503 ? "SlowDown"
                                                                          : "InternalError";
      xml = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code>"
                             "<Message>injected</Message></Error>", code);
      soup_server_message_set_status (msg, fault->status, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY, xml,
                                        strlen (xml));
      return TRUE;
    }
  return FALSE;
}

static void
s3_callback (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  FakeS3Server *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *decoded = g_uri_unescape_string (path + 1, NULL);
  GBytes *object;

  if (!common_verify (&self->common, msg, "s3"))
    return;
  if (g_str_equal (method, "PUT"))
    self->n_puts++;
  else
    self->n_gets++;
  if (s3_fault (self, msg, method))
    return;
  if (decoded == NULL || strchr (decoded, '/') == NULL)
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }
  if (g_str_equal (method, "PUT"))
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

      for (guint i = 0; i < self->drop_suffixes->len; i++)
        if (g_str_has_suffix (decoded, self->drop_suffixes->pdata[i]))
          {
            soup_server_message_set_status (msg, 200, NULL);
            return;
          }
      g_hash_table_replace (self->objects, g_strdup (decoded), g_bytes_ref (body));
      soup_server_message_set_status (msg, 200, NULL);
      return;
    }
  if (g_str_equal (method, "GET") && (object = g_hash_table_lookup (self->objects, decoded)) != NULL)
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (object, NULL), g_bytes_get_size (object));
      return;
    }
  soup_server_message_set_status (msg, 404, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC,
                                    "<Error><Code>NoSuchKey</Code></Error>", 37);
}

FakeS3Server *
fake_s3_server_new (const char *region,
                    const char *access_key_id,
                    const char *secret_access_key)
{
  FakeS3Server *self = g_new0 (FakeS3Server, 1);

  self->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_bytes_unref);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  self->drop_suffixes = g_ptr_array_new_with_free_func (g_free);
  common_start (&self->common, region, access_key_id, secret_access_key, s3_callback, self);
  return self;
}

void
fake_s3_server_free (FakeS3Server *self)
{
  common_stop (&self->common);
  g_hash_table_unref (self->objects);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->drop_suffixes);
  g_free (self);
}

const char *
fake_s3_server_get_url (FakeS3Server *self)
{
  return self->common.url;
}

GBytes *
fake_s3_server_get_object (FakeS3Server *self,
                           const char   *bucket,
                           const char   *key)
{
  g_autofree char *name = g_strdup_printf ("%s/%s", bucket, key);

  return g_hash_table_lookup (self->objects, name);
}

guint
fake_s3_server_get_n_objects (FakeS3Server *self)
{
  return g_hash_table_size (self->objects);
}

guint
fake_s3_server_get_n_bad_signatures (FakeS3Server *self)
{
  return self->common.n_bad_signatures;
}

guint
fake_s3_server_get_n_requests (FakeS3Server *self,
                               const char   *method)
{
  return g_str_equal (method, "PUT") ? self->n_puts : self->n_gets;
}

void
fake_s3_server_push_status (FakeS3Server *self,
                            const char   *method,
                            guint         status,
                            guint         count)
{
  Fault *fault = g_new0 (Fault, 1);

  fault->method = g_strdup (method);
  fault->status = status;
  fault->count = count;
  g_ptr_array_add (self->faults, fault);
}

void
fake_s3_server_drop_puts (FakeS3Server *self,
                          const char   *suffix)
{
  g_ptr_array_add (self->drop_suffixes, g_strdup (suffix));
}

/* ----- Batch --------------------------------------------------------------------------------- */

typedef enum { CHILD_PENDING, CHILD_RUNNING, CHILD_SUCCEEDED, CHILD_FAILED } ChildState;

typedef struct _Job Job;

typedef struct
{
  Job         *job;
  guint        index;
  ChildState   state;
  guint        attempts;
  GSubprocess *process;
  GArray      *times;      /* gint64 pairs: each attempt's startedAt, stoppedAt (ms) */
} Child;

struct _Job
{
  FakeBatchServer *server;
  char            *id;
  char            *name;
  char           **command;
  guint            size;
  guint            max_attempts;
  Child           *children;
  guint            n_children;
  gboolean         terminated;
  gint64           created_at;
  gint64           started_at;
  gint64           stopped_at;
};

struct _FakeBatchServer
{
  Common      common;
  char       *cli_path;
  char      **child_env;
  GPtrArray  *jobs;
  char       *last_submit;
  guint       n_submits;
  guint       n_terminates;
  guint       n_running;
  gboolean    hold;
  GHashTable *fail_first;   /* index → TRUE */
  GHashTable *fail_always;
};

static void
job_free (Job *job)
{
  for (guint i = 0; i < job->n_children; i++)
    {
      if (job->children[i].process != NULL)
        {
          g_subprocess_force_exit (job->children[i].process);
          g_clear_object (&job->children[i].process);
        }
      g_array_unref (job->children[i].times);
    }
  g_free (job->id);
  g_free (job->name);
  g_strfreev (job->command);
  g_free (job->children);
  g_free (job);
}

static void schedule (FakeBatchServer *self);

static void
child_finished (Child    *child,
                gboolean  ok)
{
  FakeBatchServer *self = child->job->server;
  gint64 now = g_get_real_time () / 1000;

  /* the attempt's end, at least a millisecond after its start as Batch's clock would have it */
  g_array_append_val (child->times, now);
  if (ok)
    child->state = CHILD_SUCCEEDED;
  else if (child->attempts < child->job->max_attempts && !child->job->terminated)
    child->state = CHILD_PENDING;
  else
    child->state = CHILD_FAILED;
  schedule (self);
}

static void
child_exited_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gboolean ok;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &out, &err, &error);
  ok = error == NULL && g_subprocess_get_if_exited (G_SUBPROCESS (object)) &&
       g_subprocess_get_exit_status (G_SUBPROCESS (object)) == 0;
  if (!ok)
    g_test_message ("fake Batch: child %u attempt %u failed: %s", child->index, child->attempts,
                    err != NULL ? err : "");
  g_clear_object (&child->process);
  child->job->server->n_running--;
  child_finished (child, ok);
}

static gboolean
child_crashed_cb (gpointer user_data)
{
  Child *child = user_data;

  child->job->server->n_running--;
  child_finished (child, FALSE);
  return G_SOURCE_REMOVE;
}

static void
child_start (Child *child)
{
  FakeBatchServer *self = child->job->server;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *index = g_strdup_printf ("%u", child->index);
  gint64 now = g_get_real_time () / 1000;

  child->attempts++;
  child->state = CHILD_RUNNING;
  self->n_running++;
  g_array_append_val (child->times, now);
  if (child->job->started_at == 0)
    child->job->started_at = g_get_real_time () / 1000;
  if ((child->attempts == 1 &&
       g_hash_table_contains (self->fail_first, GUINT_TO_POINTER (child->index))) ||
      g_hash_table_contains (self->fail_always, GUINT_TO_POINTER (child->index)))
    {
      g_idle_add (child_crashed_cb, child);
      return;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; self->child_env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, self->child_env[i], self->child_env[i + 1], TRUE);
  /* only array children get an index, as in Batch */
  if (child->job->size >= 2)
    g_subprocess_launcher_setenv (launcher, "AWS_BATCH_JOB_ARRAY_INDEX", index, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "AWS_BATCH_JOB_ARRAY_INDEX");
  for (guint i = 0; child->job->command[i] != NULL; i++)
    g_ptr_array_add (argv, i == 0 && g_str_equal (child->job->command[0], "sextant-cli")
                           ? self->cli_path : child->job->command[i]);
  g_ptr_array_add (argv, NULL);
  child->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                 &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (child->process, NULL, NULL, child_exited_cb, child);
}

/* Children start two at a time (the machine has two cores), in index order, as slots free. */
static void
schedule (FakeBatchServer *self)
{
  for (guint j = 0; j < self->jobs->len; j++)
    {
      Job *job = self->jobs->pdata[j];
      gboolean done = TRUE;

      for (guint i = 0; i < job->n_children; i++)
        {
          Child *child = &job->children[i];

          if (child->state == CHILD_PENDING && !job->terminated && !self->hold &&
              self->n_running < 2)
            child_start (child);
          if (child->state == CHILD_PENDING && job->terminated)
            child->state = CHILD_FAILED;
          done = done && (child->state == CHILD_SUCCEEDED || child->state == CHILD_FAILED);
        }
      if (done && job->stopped_at == 0)
        job->stopped_at = g_get_real_time () / 1000;
    }
}

static void
json_response (SoupServerMessage *msg,
               guint              status,
               JsonBuilder       *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text,
                                    strlen (text));
}

static void
client_error (SoupServerMessage *msg,
              const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "x-amzn-ErrorType", "ClientException");
  json_response (msg, 400, b);
}

static Job *
find_job (FakeBatchServer *self,
          const char      *id)
{
  for (guint j = 0; j < self->jobs->len; j++)
    if (g_str_equal (((Job *) self->jobs->pdata[j])->id, id))
      return self->jobs->pdata[j];
  return NULL;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  return json_object_has_member (object, name) ? json_object_get_object_member (object, name)
                                               : NULL;
}

static void
submit_job (FakeBatchServer   *self,
            SoupServerMessage *msg,
            JsonObject        *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonObject *array = member_object (request, "arrayProperties");
  JsonObject *overrides = member_object (request, "containerOverrides");
  JsonArray *command = overrides != NULL && json_object_has_member (overrides, "command")
                       ? json_object_get_array_member (overrides, "command") : NULL;
  JsonObject *retry = member_object (request, "retryStrategy");
  Job *job;

  if (!json_object_has_member (request, "jobQueue") ||
      !json_object_has_member (request, "jobDefinition") || command == NULL)
    {
      client_error (msg, "jobQueue, jobDefinition and containerOverrides.command are required");
      return;
    }
  job = g_new0 (Job, 1);
  job->server = self;
  job->id = g_uuid_string_random ();
  job->name = g_strdup (json_object_get_string_member (request, "jobName"));
  job->size = array != NULL ? json_object_get_int_member (array, "size") : 0;
  if (array != NULL && (job->size < 2 || job->size > 10000))
    {
      job_free (job);
      client_error (msg, "arrayProperties.size must be between 2 and 10000");
      return;
    }
  job->max_attempts = retry != NULL ? json_object_get_int_member (retry, "attempts") : 1;
  job->command = g_new0 (char *, json_array_get_length (command) + 1);
  for (guint i = 0; i < json_array_get_length (command); i++)
    job->command[i] = g_strdup (json_array_get_string_element (command, i));
  job->n_children = MAX (job->size, 1);
  job->children = g_new0 (Child, job->n_children);
  for (guint i = 0; i < job->n_children; i++)
    {
      job->children[i].job = job;
      job->children[i].index = i;
      job->children[i].times = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  job->created_at = g_get_real_time () / 1000;
  g_ptr_array_add (self->jobs, job);
  schedule (self);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "jobId");
  json_builder_add_string_value (b, job->id);
  json_builder_set_member_name (b, "jobName");
  json_builder_add_string_value (b, job->name);
  json_builder_end_object (b);
  json_response (msg, 200, b);
}

static void
describe_one (JsonBuilder *b,
              Job         *job)
{
  guint counts[4] = { 0 };
  const char *status;

  for (guint i = 0; i < job->n_children; i++)
    counts[job->children[i].state]++;
  if (counts[CHILD_SUCCEEDED] == job->n_children)
    status = "SUCCEEDED";
  else if (counts[CHILD_SUCCEEDED] + counts[CHILD_FAILED] == job->n_children)
    status = "FAILED";
  else if (counts[CHILD_RUNNING] > 0 || counts[CHILD_SUCCEEDED] + counts[CHILD_FAILED] > 0)
    status = "RUNNING";
  else
    status = "RUNNABLE";
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "jobId");
  json_builder_add_string_value (b, job->id);
  json_builder_set_member_name (b, "jobName");
  json_builder_add_string_value (b, job->name);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  if (g_str_equal (status, "FAILED"))
    {
      json_builder_set_member_name (b, "statusReason");
      json_builder_add_string_value (b, job->terminated ? "Terminated by the user"
                                                        : "Array Child Job failed");
    }
  json_builder_set_member_name (b, "createdAt");
  json_builder_add_int_value (b, job->created_at);
  if (job->started_at != 0)
    {
      json_builder_set_member_name (b, "startedAt");
      json_builder_add_int_value (b, job->started_at);
    }
  if (job->stopped_at != 0 && (g_str_equal (status, "SUCCEEDED") || g_str_equal (status, "FAILED")))
    {
      json_builder_set_member_name (b, "stoppedAt");
      json_builder_add_int_value (b, job->stopped_at);
    }
  if (job->size >= 2)
    {
      json_builder_set_member_name (b, "arrayProperties");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, job->size);
      json_builder_set_member_name (b, "statusSummary");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "RUNNABLE");
      json_builder_add_int_value (b, counts[CHILD_PENDING]);
      json_builder_set_member_name (b, "RUNNING");
      json_builder_add_int_value (b, counts[CHILD_RUNNING]);
      json_builder_set_member_name (b, "SUCCEEDED");
      json_builder_add_int_value (b, counts[CHILD_SUCCEEDED]);
      json_builder_set_member_name (b, "FAILED");
      json_builder_add_int_value (b, counts[CHILD_FAILED]);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

/* The vCPUs the job definition gives each child (Batch reports them per child, as a string). */
#define FAKE_VCPUS 2

static const char *
child_status (const Child *child)
{
  static const char *names[] = { "RUNNABLE", "RUNNING", "SUCCEEDED", "FAILED" };

  return names[child->state];
}

/* An array child, `JOBID:INDEX`, as DescribeJobs shows it: its attempts with their times and the
 * vCPUs its container had. */
static void
describe_child (JsonBuilder *b,
                Job         *job,
                Child       *child,
                const char  *id)
{
  guint n_times = child->times->len;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "jobId");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "jobName");
  json_builder_add_string_value (b, job->name);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, child_status (child));
  if (n_times > 0)
    {
      json_builder_set_member_name (b, "startedAt");
      json_builder_add_int_value (b, g_array_index (child->times, gint64, (n_times - 1) & ~1u));
    }
  if (n_times > 0 && n_times % 2 == 0)
    {
      json_builder_set_member_name (b, "stoppedAt");
      json_builder_add_int_value (b, g_array_index (child->times, gint64, n_times - 1));
    }
  json_builder_set_member_name (b, "attempts");
  json_builder_begin_array (b);
  for (guint i = 0; i + 1 < n_times; i += 2)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "startedAt");
      json_builder_add_int_value (b, g_array_index (child->times, gint64, i));
      json_builder_set_member_name (b, "stoppedAt");
      json_builder_add_int_value (b, g_array_index (child->times, gint64, i + 1));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "container");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "resourceRequirements");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "VCPU");
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, G_STRINGIFY (FAKE_VCPUS));
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
describe_id (FakeBatchServer *self,
             JsonBuilder     *b,
             const char      *id)
{
  const char *colon = strchr (id, ':');
  g_autofree char *parent = colon != NULL ? g_strndup (id, colon - id) : g_strdup (id);
  Job *job = find_job (self, parent);
  guint64 index;

  if (job == NULL)
    return;
  if (colon == NULL)
    {
      describe_one (b, job);
      return;
    }
  if (job->size >= 2 && g_ascii_string_to_unsigned (colon + 1, 10, 0, job->size - 1, &index, NULL))
    describe_child (b, job, &job->children[index], id);
}

static void
describe_jobs (FakeBatchServer   *self,
               SoupServerMessage *msg,
               JsonObject        *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonArray *ids = json_object_has_member (request, "jobs")
                   ? json_object_get_array_member (request, "jobs") : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "jobs");
  json_builder_begin_array (b);
  if (ids != NULL && json_array_get_length (ids) > 100)
    {
      client_error (msg, "jobs: at most 100 ids");
      return;
    }
  for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
    describe_id (self, b, json_array_get_string_element (ids, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_response (msg, 200, b);
}

static void
terminate_job (FakeBatchServer   *self,
               SoupServerMessage *msg,
               JsonObject        *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  Job *job = find_job (self, json_object_get_string_member_with_default (request, "jobId", ""));

  self->n_terminates++;
  if (job == NULL)
    {
      client_error (msg, "Job not found");
      return;
    }
  job->terminated = TRUE;
  for (guint i = 0; i < job->n_children; i++)
    if (job->children[i].process != NULL)
      g_subprocess_force_exit (job->children[i].process);
  schedule (self);
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_response (msg, 200, b);
}

static void
batch_callback (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  FakeBatchServer *self = user_data;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *request;

  if (!common_verify (&self->common, msg, "batch"))
    return;
  if (!g_str_equal (soup_server_message_get_method (msg), "POST") ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      client_error (msg, "expected a POST with a JSON object");
      return;
    }
  request = json_node_get_object (json_parser_get_root (parser));
  if (g_str_equal (path, "/v1/submitjob"))
    {
      self->n_submits++;
      g_free (self->last_submit);
      self->last_submit = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      submit_job (self, msg, request);
    }
  else if (g_str_equal (path, "/v1/describejobs"))
    describe_jobs (self, msg, request);
  else if (g_str_equal (path, "/v1/terminatejob"))
    terminate_job (self, msg, request);
  else
    client_error (msg, "unknown operation");
}

/**
 * fake_batch_server_new:
 * @child_env: NAME, VALUE, … NULL: what the children's environment gets (the S3 endpoint and
 *   the keys a job role would give them)
 */
FakeBatchServer *
fake_batch_server_new (const char         *region,
                       const char         *access_key_id,
                       const char         *secret_access_key,
                       const char         *cli_path,
                       const char * const *child_env)
{
  FakeBatchServer *self = g_new0 (FakeBatchServer, 1);

  self->cli_path = g_strdup (cli_path);
  self->child_env = g_strdupv ((char **) child_env);
  self->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  self->fail_first = g_hash_table_new (NULL, NULL);
  self->fail_always = g_hash_table_new (NULL, NULL);
  common_start (&self->common, region, access_key_id, secret_access_key, batch_callback, self);
  return self;
}

void
fake_batch_server_free (FakeBatchServer *self)
{
  common_stop (&self->common);
  g_ptr_array_unref (self->jobs);
  g_free (self->cli_path);
  g_strfreev (self->child_env);
  g_free (self->last_submit);
  g_hash_table_unref (self->fail_first);
  g_hash_table_unref (self->fail_always);
  g_free (self);
}

const char *
fake_batch_server_get_url (FakeBatchServer *self)
{
  return self->common.url;
}

guint
fake_batch_server_get_n_bad_signatures (FakeBatchServer *self)
{
  return self->common.n_bad_signatures;
}

guint
fake_batch_server_get_n_submits (FakeBatchServer *self)
{
  return self->n_submits;
}

const char *
fake_batch_server_get_last_submit (FakeBatchServer *self)
{
  return self->last_submit;
}

guint
fake_batch_server_get_n_attempts (FakeBatchServer *self,
                                  guint            index)
{
  Job *job = self->jobs->len > 0 ? g_ptr_array_index (self->jobs, self->jobs->len - 1) : NULL;

  return job != NULL && index < job->n_children ? job->children[index].attempts : 0;
}

guint
fake_batch_server_get_n_terminates (FakeBatchServer *self)
{
  return self->n_terminates;
}

void
fake_batch_server_fail_first_attempt (FakeBatchServer *self,
                                      guint            index)
{
  g_hash_table_add (self->fail_first, GUINT_TO_POINTER (index));
}

void
fake_batch_server_fail_always (FakeBatchServer *self,
                               guint            index)
{
  g_hash_table_add (self->fail_always, GUINT_TO_POINTER (index));
}

void
fake_batch_server_hold (FakeBatchServer *self,
                        gboolean         hold)
{
  self->hold = hold;
  schedule (self);
}

/* What the last job's children used: each finished attempt's seconds × the vCPUs, from the
 * server's own clock. */
double
fake_batch_server_get_vcpu_seconds (FakeBatchServer *self)
{
  Job *job = self->jobs->len > 0 ? g_ptr_array_index (self->jobs, self->jobs->len - 1) : NULL;
  double ms = 0;

  for (guint c = 0; job != NULL && c < job->n_children; c++)
    for (guint i = 0; i + 1 < job->children[c].times->len; i += 2)
      ms += g_array_index (job->children[c].times, gint64, i + 1) -
            g_array_index (job->children[c].times, gint64, i);
  return ms / 1000 * FAKE_VCPUS;
}
