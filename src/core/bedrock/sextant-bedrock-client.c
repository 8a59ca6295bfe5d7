#define G_LOG_DOMAIN "sextant-bedrock-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bedrock/sextant-bedrock-client-private.h"
#include "bedrock/sextant-bedrock-error.h"

/* The Bedrock client the chat window, the CLI and the tests share. Calls are async and run on
 * the caller's thread-default main context; stream events reach the caller as signals of the
 * SextantConverseResult it passes in, so a GUI updates as text arrives and a CLI prints it. */

/* SDK standard retry mode (PROTOCOL.md §4): 3 attempts, full jitter, base 1 s, cap 20 s, a
 * 500-token budget. Reads: the SDKs' default read timeout of 60 s, for each read of a stream
 * (the whole call has no limit) and for the wait on a non-streamed answer alike, so that a
 * server that accepts and then says nothing is given up on in a minute, not an hour. A read
 * timeout is not retried (the same server got the same request and went silent), and
 * SEXTANT_BEDROCK_READ_TIMEOUT_MS changes the 60 s, for tests and for very long non-streamed
 * generations. */
#define DEFAULT_MAX_ATTEMPTS 3
#define DEFAULT_BASE_DELAY_MS 1000
#define DEFAULT_MAX_DELAY_MS 20000
#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define DEFAULT_READ_TIMEOUT_MS 60000
#define DEFAULT_IDLE_TIMEOUT_MS DEFAULT_READ_TIMEOUT_MS
#define DEFAULT_RESPONSE_TIMEOUT_MS DEFAULT_READ_TIMEOUT_MS
#define RETRY_BUDGET 500

G_DEFINE_FINAL_TYPE (SextantBedrockClient, sextant_bedrock_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MAX_ATTEMPTS,
  PROP_RETRY_BASE_DELAY_MS,
  PROP_RETRY_MAX_DELAY_MS,
  PROP_CONNECT_TIMEOUT_MS,
  PROP_IDLE_TIMEOUT_MS,
  PROP_RESPONSE_TIMEOUT_MS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static guint *
uint_field (SextantBedrockClient *self,
            guint                 prop_id)
{
  switch (prop_id)
    {
    case PROP_MAX_ATTEMPTS: return &self->max_attempts;
    case PROP_RETRY_BASE_DELAY_MS: return &self->retry_base_delay_ms;
    case PROP_RETRY_MAX_DELAY_MS: return &self->retry_max_delay_ms;
    case PROP_CONNECT_TIMEOUT_MS: return &self->connect_timeout_ms;
    case PROP_IDLE_TIMEOUT_MS: return &self->idle_timeout_ms;
    case PROP_RESPONSE_TIMEOUT_MS: return &self->response_timeout_ms;
    default: return NULL;
    }
}

static void
sextant_bedrock_client_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  guint *field = uint_field (SEXTANT_BEDROCK_CLIENT (object), prop_id);

  if (field == NULL)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else
    g_value_set_uint (value, *field);
}

static void
sextant_bedrock_client_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  guint *field = uint_field (SEXTANT_BEDROCK_CLIENT (object), prop_id);

  if (field == NULL)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (*field != g_value_get_uint (value))
    {
      *field = g_value_get_uint (value);
      g_object_notify_by_pspec (object, pspec);
    }
}

static void
sextant_bedrock_client_dispose (GObject *object)
{
  SextantBedrockClient *self = (SextantBedrockClient *)object;

  g_clear_object (&self->session);
  g_clear_object (&self->provider);
  g_clear_object (&self->signer);
  g_clear_pointer (&self->routes, g_ptr_array_unref);

  G_OBJECT_CLASS (sextant_bedrock_client_parent_class)->dispose (object);
}

static void
sextant_bedrock_client_finalize (GObject *object)
{
  SextantBedrockClient *self = (SextantBedrockClient *)object;

  g_clear_pointer (&self->config, sextant_aws_config_free);
  g_clear_pointer (&self->credentials, sextant_aws_credentials_free);
  g_clear_pointer (&self->working_ids, g_hash_table_unref);

  G_OBJECT_CLASS (sextant_bedrock_client_parent_class)->finalize (object);
}

static GParamSpec *
uint_param (const char *name,
            guint       minimum,
            guint       maximum,
            guint       default_value)
{
  return g_param_spec_uint (name, NULL, NULL, minimum, maximum, default_value,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
sextant_bedrock_client_class_init (SextantBedrockClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sextant_bedrock_client_dispose;
  object_class->finalize = sextant_bedrock_client_finalize;
  object_class->get_property = sextant_bedrock_client_get_property;
  object_class->set_property = sextant_bedrock_client_set_property;

  properties [PROP_MAX_ATTEMPTS] = uint_param ("max-attempts", 1, 10, DEFAULT_MAX_ATTEMPTS);
  /* Scaled down by tests so retries take milliseconds. */
  properties [PROP_RETRY_BASE_DELAY_MS] = uint_param ("retry-base-delay-ms", 0, 60000, DEFAULT_BASE_DELAY_MS);
  properties [PROP_RETRY_MAX_DELAY_MS] = uint_param ("retry-max-delay-ms", 0, 600000, DEFAULT_MAX_DELAY_MS);
  properties [PROP_CONNECT_TIMEOUT_MS] = uint_param ("connect-timeout-ms", 1, G_MAXUINT, DEFAULT_CONNECT_TIMEOUT_MS);
  properties [PROP_IDLE_TIMEOUT_MS] = uint_param ("idle-timeout-ms", 1, G_MAXUINT, DEFAULT_IDLE_TIMEOUT_MS);
  properties [PROP_RESPONSE_TIMEOUT_MS] = uint_param ("response-timeout-ms", 1, G_MAXUINT, DEFAULT_RESPONSE_TIMEOUT_MS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
read_timeout_from_environment (SextantBedrockClient *self)
{
  const char *text = g_getenv ("SEXTANT_BEDROCK_READ_TIMEOUT_MS");
  guint64 ms = 0;

  if (text == NULL)
    return;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &ms, NULL))
    {
      g_warning ("SEXTANT_BEDROCK_READ_TIMEOUT_MS must be a number of milliseconds from 1, not "
                 "“%s”; using %u", text, DEFAULT_READ_TIMEOUT_MS);
      return;
    }
  self->idle_timeout_ms = (guint) ms;
  self->response_timeout_ms = (guint) ms;
}

static void
route_free (gpointer data)
{
  BedrockRoute *route = data;

  g_free (route->region);
  g_free (route->model_id);
  g_free (route->endpoint);
  g_clear_object (&route->signer);
  g_free (route);
}

static BedrockRoute *
route_new (const char *region,
           const char *model_id,
           const char *endpoint)
{
  BedrockRoute *route = g_new0 (BedrockRoute, 1);

  route->region = g_strdup (region);
  route->model_id = model_id != NULL && *model_id ? g_strdup (model_id) : NULL;
  route->endpoint = g_strdup (endpoint);
  route->signer = sextant_sigv4_signer_new (region, "bedrock");

  return route;
}

static void
sextant_bedrock_client_init (SextantBedrockClient *self)
{
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->retry_base_delay_ms = DEFAULT_BASE_DELAY_MS;
  self->retry_max_delay_ms = DEFAULT_MAX_DELAY_MS;
  self->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
  self->idle_timeout_ms = DEFAULT_IDLE_TIMEOUT_MS;
  self->response_timeout_ms = DEFAULT_RESPONSE_TIMEOUT_MS;
  self->retry_tokens = RETRY_BUDGET;
  self->routes = g_ptr_array_new_with_free_func (route_free);
  self->working_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  read_timeout_from_environment (self);
}

/**
 * sextant_bedrock_client_new:
 * @config: region and endpoints
 * @provider: where credentials come from
 * @session: (nullable): a session to use; %NULL makes one with the system proxy resolver and
 *   the system trust store, or only the `AWS_CA_BUNDLE` certificates when that is set (the bundle
 *   replaces the system's CAs, as in the AWS CLI). Tests pass one with `proxy-resolver` %NULL.
 *
 * Returns: (transfer full): a client
 */
SextantBedrockClient *
sextant_bedrock_client_new (const SextantAwsConfig        *config,
                            SextantAwsCredentialsProvider *provider,
                            SoupSession                   *session)
{
  SextantBedrockClient *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (SEXTANT_IS_AWS_CREDENTIALS_PROVIDER (provider), NULL);

  self = g_object_new (SEXTANT_TYPE_BEDROCK_CLIENT, NULL);
  self->config = sextant_aws_config_copy (config);
  self->provider = g_object_ref (provider);
  self->signer = sextant_sigv4_signer_new (config->region, "bedrock");
  g_ptr_array_add (self->routes, route_new (config->region, NULL, config->runtime_endpoint));
  if (session != NULL)
    self->session = g_object_ref (session);
  else
    {
      g_autoptr(GTlsDatabase) database = NULL;
      g_autoptr(GError) error = NULL;

      /* timeout 0: libsoup's own I/O timeout would cut long generations; ours is per read. */
      self->session = soup_session_new_with_options ("timeout", 0, "user-agent", "Sextant/" PACKAGE_VERSION, NULL);
      database = sextant_aws_config_load_ca_bundle (config, &error);
      if (database != NULL)
        soup_session_set_tls_database (self->session, database);
      else if (error != NULL)
        g_warning ("%s", error->message);
    }

  return self;
}

const char *
sextant_bedrock_client_get_region (SextantBedrockClient *self)
{
  g_return_val_if_fail (SEXTANT_IS_BEDROCK_CLIENT (self), NULL);

  return self->config->region;
}

/**
 * sextant_bedrock_client_add_fallback:
 * @self: a client
 * @region: an AWS region name such as us-west-2
 * @model_id: (nullable): the model or inference profile to call there (a `global.` profile, say);
 *   %NULL or empty for the model each call asks for
 * @endpoint: (nullable): the bedrock-runtime base URL there; %NULL for the region's default, or
 *   for the client's own endpoint when that was overridden (`AWS_ENDPOINT_URL_BEDROCK_RUNTIME`
 *   applies to every region, as in the AWS SDKs)
 * @error: return location for an error naming a malformed region
 *
 * Appends a place a Converse call moves to when the ones before it are throttled (HTTP 429) or
 * unavailable (503, `ServiceUnavailableException`) before the first stream frame. The request is
 * signed for that region.
 *
 * Returns: %TRUE if added
 */
gboolean
sextant_bedrock_client_add_fallback (SextantBedrockClient  *self,
                                     const char            *region,
                                     const char            *model_id,
                                     const char            *endpoint,
                                     GError               **error)
{
  g_autofree char *default_endpoint = NULL;
  g_autofree char *own_default = NULL;

  g_return_val_if_fail (SEXTANT_IS_BEDROCK_CLIENT (self), FALSE);
  g_return_val_if_fail (region != NULL, FALSE);

  if (!g_regex_match_simple ("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", region, 0, 0))
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an AWS region name such as us-west-2"), region);
      return FALSE;
    }
  if (model_id != NULL && (strchr (model_id, ' ') != NULL || strlen (model_id) > 2048))
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a model id, inference profile id or ARN"), model_id);
      return FALSE;
    }
  if (endpoint == NULL)
    {
      own_default = g_strdup_printf ("https://bedrock-runtime.%s.amazonaws.com", self->config->region);
      if (g_strcmp0 (self->config->runtime_endpoint, own_default) == 0)
        endpoint = default_endpoint = g_strdup_printf ("https://bedrock-runtime.%s.amazonaws.com", region);
      else
        endpoint = self->config->runtime_endpoint;
    }
  g_ptr_array_add (self->routes, route_new (region, model_id, endpoint));

  return TRUE;
}

/**
 * sextant_bedrock_client_add_fallback_specs:
 * @self: a client
 * @specs: (array zero-terminated=1) (nullable): entries `REGION` or `REGION=MODEL`, as the
 *   `bedrock-fallback-routes` setting and `sextant-cli ask --fallback` hold them
 * @error: return location for an error naming the bad entry
 *
 * Returns: %TRUE if every entry was added
 */
gboolean
sextant_bedrock_client_add_fallback_specs (SextantBedrockClient  *self,
                                           const char * const    *specs,
                                           GError               **error)
{
  g_return_val_if_fail (SEXTANT_IS_BEDROCK_CLIENT (self), FALSE);

  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (specs[i], "=", 2);
      g_autofree char *region = g_strstrip (g_strdup (parts[0] != NULL ? parts[0] : ""));
      g_autofree char *model = parts[0] != NULL && parts[1] != NULL ? g_strstrip (g_strdup (parts[1])) : NULL;

      if (region[0] == '\0')
        continue;
      if (!sextant_bedrock_client_add_fallback (self, region, model, NULL, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * sextant_bedrock_client_get_n_routes:
 *
 * Returns: the number of places a Converse call may go: 1 plus the fallbacks
 */
guint
sextant_bedrock_client_get_n_routes (SextantBedrockClient *self)
{
  g_return_val_if_fail (SEXTANT_IS_BEDROCK_CLIENT (self), 0);

  return self->routes->len;
}

/**
 * sextant_bedrock_client_get_working_id:
 * @self: a client
 * @region: a region
 * @model_id: the model id a caller asked for
 *
 * A model that refuses on-demand calls is retried once with its inference profile; when that
 * works, the profile is what later calls in @region send.
 *
 * Returns: (nullable): the profile id that worked for @model_id in @region, or %NULL
 */
const char *
sextant_bedrock_client_get_working_id (SextantBedrockClient *self,
                                       const char           *region,
                                       const char           *model_id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (SEXTANT_IS_BEDROCK_CLIENT (self), NULL);
  g_return_val_if_fail (region != NULL && model_id != NULL, NULL);

  key = g_strconcat (region, "\n", model_id, NULL);

  return g_hash_table_lookup (self->working_ids, key);
}

/**
 * sextant_bedrock_client_get_session:
 *
 * Returns: (transfer none): the HTTP session
 */
SoupSession *
sextant_bedrock_client_get_session (SextantBedrockClient *self)
{
  g_return_val_if_fail (SEXTANT_IS_BEDROCK_CLIENT (self), NULL);

  return self->session;
}

/**
 * sextant_bedrock_client_get_retry_tokens:
 *
 * Returns: what is left of the client-wide retry budget (500 when new)
 */
int
sextant_bedrock_client_get_retry_tokens (SextantBedrockClient *self)
{
  g_return_val_if_fail (SEXTANT_IS_BEDROCK_CLIENT (self), 0);

  return self->retry_tokens;
}

/**
 * sextant_bedrock_client_build_model_path:
 * @model_id: a model id, inference profile id or ARN
 * @operation: `converse`, `converse-stream` or `invoke`
 *
 * The model id is one URI label: everything but `A-Za-z0-9-_.~` is escaped, so `:` and `/`
 * travel as `%3A` and `%2F` (PROTOCOL.md §1).
 *
 * Returns: (transfer full): `/model/{escaped id}/{operation}`
 */
char *
sextant_bedrock_client_build_model_path (const char *model_id,
                                         const char *operation)
{
  g_autofree char *escaped = g_uri_escape_string (model_id, NULL, FALSE);

  return g_strdup_printf ("/model/%s/%s", escaped, operation);
}

static Call *
call_new (SextantBedrockClient *self,
          CallKind              kind,
          SextantBedrockPlane   plane,
          const char           *method,
          const char           *path,
          GBytes               *body,
          const char           *model_id,
          GCancellable         *cancellable)
{
  Call *call = g_new0 (Call, 1);

  call->client = g_object_ref (self);
  call->context = g_main_context_ref_thread_default ();
  call->kind = kind;
  call->plane = plane;
  call->method = g_strdup (method);
  call->path = g_strdup (path);
  call->model_id = g_strdup (model_id);
  call->body = body != NULL ? g_bytes_ref (body) : NULL;
  call->user_cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  call->attempt_cancellable = g_cancellable_new ();
  call->received = g_byte_array_new ();

  return call;
}

/**
 * sextant_bedrock_client_converse_async:
 * @self: a client
 * @model_id: a model id (`amazon.nova-lite-v1:0`), inference profile id or ARN
 * @request: the messages and options
 * @result: where the answer accumulates; connect to its signals for streamed text
 * @stream: %TRUE for ConverseStream, %FALSE for Converse
 * @cancellable: (nullable): a cancellable
 * @callback: called when the answer is complete or the call failed
 * @user_data: data for @callback
 *
 * Throttling, 5xx and connection errors are retried with backoff until output has reached the
 * caller; after that a failure is reported and @result keeps what arrived.
 */
void
sextant_bedrock_client_converse_async (SextantBedrockClient   *self,
                                       const char             *model_id,
                                       SextantConverseRequest *request,
                                       SextantConverseResult  *result,
                                       gboolean                stream,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) body = NULL;
  Call *call;

  g_return_if_fail (SEXTANT_IS_BEDROCK_CLIENT (self));
  g_return_if_fail (model_id != NULL && request != NULL);
  g_return_if_fail (SEXTANT_IS_CONVERSE_RESULT (result));

  path = sextant_bedrock_client_build_model_path (model_id, stream ? "converse-stream" : "converse");
  body = sextant_converse_request_to_bytes (request);
  call = call_new (self, stream ? CALL_STREAM : CALL_CONVERSE, SEXTANT_BEDROCK_PLANE_RUNTIME, "POST",
                   path, body, model_id, cancellable);
  call->requested_model = g_strdup (model_id);
  _sextant_bedrock_call_choose_model (call);
  call->result = g_object_ref (result);
  call->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (call->task, sextant_bedrock_client_converse_async);
  g_task_set_task_data (call->task, call, _sextant_bedrock_call_free);
  if (sextant_converse_request_get_n_messages (request) == 0)
    {
      g_task_return_new_error (call->task, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT,
                               "A Converse request needs at least one message");
      g_clear_object (&call->task);
      return;
    }
  _sextant_bedrock_call_start (call);
}

gboolean
sextant_bedrock_client_converse_finish (SextantBedrockClient  *self,
                                        GAsyncResult          *result,
                                        GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sextant_bedrock_client_request_json_async:
 * @self: a client
 * @plane: which endpoint
 * @method: `GET` or `POST`
 * @path: the path and query, already escaped
 * @body: (nullable): a JSON body
 * @model_id: (nullable): the model, for error hints
 * @cancellable: (nullable): a cancellable
 * @callback: called with the parsed JSON response
 * @user_data: data for @callback
 *
 * Any signed JSON call, with the same retries and errors as Converse (catalogue, InvokeModel).
 */
void
sextant_bedrock_client_request_json_async (SextantBedrockClient *self,
                                           SextantBedrockPlane   plane,
                                           const char           *method,
                                           const char           *path,
                                           GBytes               *body,
                                           const char           *model_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data)
{
  Call *call;

  g_return_if_fail (SEXTANT_IS_BEDROCK_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL);

  call = call_new (self, CALL_JSON, plane, method, path, body, model_id, cancellable);
  call->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (call->task, sextant_bedrock_client_request_json_async);
  g_task_set_task_data (call->task, call, _sextant_bedrock_call_free);
  _sextant_bedrock_call_start (call);
}

/**
 * sextant_bedrock_client_request_json_finish:
 *
 * Returns: (transfer full): the response JSON
 */
JsonNode *
sextant_bedrock_client_request_json_finish (SextantBedrockClient  *self,
                                            GAsyncResult          *result,
                                            GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * sextant_bedrock_client_converse_sync:
 *
 * Runs sextant_bedrock_client_converse_async() on a private main context, for the CLI: the
 * result's signals are emitted from this thread while it waits.
 *
 * Returns: %TRUE if the answer is complete
 */
gboolean
sextant_bedrock_client_converse_sync (SextantBedrockClient    *self,
                                      const char              *model_id,
                                      SextantConverseRequest  *request,
                                      SextantConverseResult   *result,
                                      gboolean                 stream,
                                      GCancellable            *cancellable,
                                      GError                 **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) async_result = NULL;
  gboolean ok;

  g_main_context_push_thread_default (context);
  sextant_bedrock_client_converse_async (self, model_id, request, result, stream, cancellable,
                                         sync_done_cb, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (context, TRUE);
  ok = sextant_bedrock_client_converse_finish (self, async_result, error);
  g_main_context_pop_thread_default (context);

  return ok;
}
