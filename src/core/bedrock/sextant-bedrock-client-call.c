#define G_LOG_DOMAIN "sextant-bedrock-client-call"

#include "config.h"

#include <string.h>

#include "base/sextant-log-writer.h"
#include "bedrock/sextant-bedrock-client-private.h"
#include "bedrock/sextant-bedrock-error.h"

/* One call to Bedrock from start to finish: credentials, signing, sending, reading the body in
 * pieces (a stream is decoded as it arrives), timeouts and retries. Everything runs on the
 * context the call was started from. */

#define READ_SIZE 65536
#define MAX_BODY (64 * 1024 * 1024)
#define RETRY_COST 5
#define TIMEOUT_RETRY_COST 10
#define RETRY_BUDGET 500

static void attempt_begin (Call *call);
static void read_next (Call *call);

void
_sextant_bedrock_call_free (gpointer data)
{
  Call *call = data;

  g_assert (call->timer == NULL && call->wait_source == NULL);

  if (call->cancel_handler != 0)
    g_cancellable_disconnect (call->user_cancellable, call->cancel_handler);
  g_clear_object (&call->user_cancellable);
  g_clear_object (&call->attempt_cancellable);
  g_clear_object (&call->message);
  g_clear_object (&call->input);
  g_clear_pointer (&call->decoder, sextant_event_stream_decoder_free);
  g_clear_pointer (&call->received, g_byte_array_unref);
  g_clear_object (&call->result);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call->method);
  g_free (call->path);
  g_free (call->model_id);
  g_free (call->requested_model);
  g_main_context_unref (call->context);
  g_object_unref (call->client);
  g_free (call);
}

/* Only Converse calls move between regions; catalogue and InvokeModel calls stay on route 0. */
static BedrockRoute *
call_route (Call *call)
{
  return call->client->routes->pdata[call->route];
}

static const char *
call_region (Call *call)
{
  return call_route (call)->region;
}

static const char *
call_endpoint (Call *call)
{
  return call->plane == SEXTANT_BEDROCK_PLANE_CONTROL ? call->client->config->control_endpoint
                                                      : call_route (call)->endpoint;
}

static char *
working_key (const char *region,
             const char *model_id)
{
  return g_strconcat (region, "\n", model_id, NULL);
}

/* The model the current route calls: the route's own, else the caller's, replaced by the
 * inference profile that worked for it in this region before. */
void
_sextant_bedrock_call_choose_model (Call *call)
{
  BedrockRoute *route = call_route (call);
  const char *base = route->model_id != NULL ? route->model_id : call->requested_model;
  const char *working = sextant_bedrock_client_get_working_id (call->client, route->region, base);

  g_free (call->model_id);
  call->model_id = g_strdup (working != NULL ? working : base);
  g_free (call->path);
  call->path = sextant_bedrock_client_build_model_path (call->model_id, call->kind == CALL_STREAM ? "converse-stream"
                                                                                                   : "converse");
}

static const char *
route_base_model (Call *call)
{
  BedrockRoute *route = call_route (call);

  return route->model_id != NULL ? route->model_id : call->requested_model;
}

static void
cancel_timer (Call *call)
{
  if (call->timer != NULL)
    {
      g_source_destroy (call->timer);
      g_clear_pointer (&call->timer, g_source_unref);
    }
  call->timer_kind = TIMER_NONE;
}

static gboolean
timer_cb (gpointer data)
{
  Call *call = data;

  call->timed_out = call->timer_kind;
  g_clear_pointer (&call->timer, g_source_unref);
  g_cancellable_cancel (call->attempt_cancellable);

  return G_SOURCE_REMOVE;
}

static void
arm_timer (Call      *call,
           TimerKind  kind)
{
  guint ms = kind == TIMER_CONNECT ? call->client->connect_timeout_ms
           : kind == TIMER_RESPONSE ? call->client->response_timeout_ms
           : call->client->idle_timeout_ms;

  cancel_timer (call);
  call->timer_kind = kind;
  call->timer = g_timeout_source_new (ms);
  g_source_set_callback (call->timer, timer_cb, call, NULL);
  g_source_attach (call->timer, call->context);
}

static void
clear_wait (Call *call)
{
  if (call->wait_source != NULL)
    {
      g_source_destroy (call->wait_source);
      g_clear_pointer (&call->wait_source, g_source_unref);
    }
  if (call->wait_cancel_source != NULL)
    {
      g_source_destroy (call->wait_cancel_source);
      g_clear_pointer (&call->wait_cancel_source, g_source_unref);
    }
}

static void
end_attempt (Call *call)
{
  cancel_timer (call);
  if (call->message != NULL)
    g_signal_handlers_disconnect_by_data (call->message, call);
  g_clear_object (&call->input);
  g_clear_object (&call->message);
  g_clear_pointer (&call->decoder, sextant_event_stream_decoder_free);
  g_byte_array_set_size (call->received, 0);
}

static void
complete_error (Call   *call,
                GError *error)
{
  GTask *task = g_steal_pointer (&call->task);

  end_attempt (call);
  clear_wait (call);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
refund (Call *call)
{
  SextantBedrockClient *self = call->client;

  /* Standard mode: success refunds the last retry's cost, or 1 when there was no retry. */
  self->retry_tokens = MIN (RETRY_BUDGET, self->retry_tokens + (call->last_retry_cost > 0 ? call->last_retry_cost : 1));
}

static void
complete_ok (Call     *call,
             JsonNode *node)
{
  GTask *task = g_steal_pointer (&call->task);

  refund (call);
  if (call->kind != CALL_JSON && call->requested_model != NULL &&
      g_strcmp0 (call->model_id, route_base_model (call)) != 0)
    g_hash_table_replace (call->client->working_ids, working_key (call_region (call), route_base_model (call)),
                          g_strdup (call->model_id));
  end_attempt (call);
  if (call->kind == CALL_JSON)
    g_task_return_pointer (task, node, (GDestroyNotify)json_node_unref);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
user_cancelled (Call *call)
{
  return call->user_cancellable != NULL && g_cancellable_is_cancelled (call->user_cancellable);
}

static GError *
translate_io_error (Call   *call,
                    GError *error)
{
  const char *endpoint = call_endpoint (call);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && call->timed_out != TIMER_NONE)
    {
      switch (call->timed_out)
        {
        case TIMER_CONNECT:
          return g_error_new (SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_TIMEOUT,
                              "Could not connect to %s within %u ms (connect timeout)", endpoint,
                              call->client->connect_timeout_ms);
        case TIMER_RESPONSE:
          return g_error_new (SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_TIMEOUT,
                              "Bedrock did not answer within %u ms", call->client->response_timeout_ms);
        default:
          return g_error_new (SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_TIMEOUT,
                              "No data from Bedrock for %u ms (idle-read timeout) after %" G_GSIZE_FORMAT
                              " bytes", call->client->idle_timeout_ms, call->n_bytes);
        }
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (call->n_bytes == 0 && call->input == NULL)
    return g_error_new (SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_NETWORK,
                        "Cannot reach %s: %s", endpoint, error->message);

  return g_error_new (SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_NETWORK,
                      "The connection to Bedrock broke after %" G_GSIZE_FORMAT " bytes: %s",
                      call->n_bytes, error->message);
}

static gboolean
output_started (Call *call)
{
  return call->result != NULL && sextant_converse_result_get_n_events (call->result) > 0;
}

static gboolean
retry_wait_done_cb (gpointer data)
{
  Call *call = data;

  clear_wait (call);
  if (user_cancelled (call))
    {
      complete_error (call, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled"));
      return G_SOURCE_REMOVE;
    }
  attempt_begin (call);

  return G_SOURCE_REMOVE;
}

static gboolean
retry_cancelled_cb (GCancellable *cancellable,
                    gpointer      data)
{
  return retry_wait_done_cb (data);
}

static void
schedule_retry (Call         *call,
                const GError *error)
{
  SextantBedrockClient *self = call->client;
  guint cap = self->retry_max_delay_ms;
  double ceiling = MIN ((double)self->retry_base_delay_ms * (1u << MIN (call->attempt - 1, 20)), (double)cap);
  guint delay = (guint)(g_random_double () * ceiling);

  /* Every retry is in the log, with its reason: a throttle is the one a user asks about. */
  sextant_log_writer_note ("bedrock", "Retry of %s %s in %s: attempt %u of %u failed (%s); next attempt in %u ms",
                           call->method, call->model_id != NULL ? call->model_id : call->path,
                           call_region (call), call->attempt, self->max_attempts,
                           error->message, delay);
  if (call->result != NULL)
    _sextant_converse_result_reset (call->result);
  end_attempt (call);
  if (call->result != NULL)
    _sextant_converse_result_retrying (call->result, call->attempt, self->max_attempts, delay, error);
  call->wait_source = g_timeout_source_new (delay);
  g_source_set_callback (call->wait_source, retry_wait_done_cb, call, NULL);
  g_source_attach (call->wait_source, call->context);
  if (call->user_cancellable != NULL)
    {
      call->wait_cancel_source = g_cancellable_source_new (call->user_cancellable);
      g_source_set_callback (call->wait_cancel_source, G_SOURCE_FUNC (retry_cancelled_cb), call, NULL);
      g_source_attach (call->wait_cancel_source, call->context);
    }
}

static void credentials_refreshed_cb (GObject *, GAsyncResult *, gpointer);

/* The server took the request and then said nothing for the whole read timeout: asking it again
 * would only triple the wait (see sextant-bedrock-client.c). */
static gboolean
read_timed_out (Call         *call,
                const GError *error)
{
  return g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_TIMEOUT) &&
         (call->timed_out == TIMER_IDLE || call->timed_out == TIMER_RESPONSE);
}

/* Throttled or unavailable here, and nothing shown yet: the next region may have capacity. A
 * failure after the first frame is not moved, since the text already shown would be repeated. */
static gboolean
can_fall_back (Call         *call,
               const GError *error)
{
  return call->kind != CALL_JSON && call->route + 1 < call->client->routes->len && !output_started (call) &&
         (g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_THROTTLED) ||
          g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_SERVICE_UNAVAILABLE));
}

static void
fall_back (Call         *call,
           const GError *error)
{
  const char *from_region = call_region (call);
  g_autofree char *from_model = g_strdup (call->model_id);

  if (call->result != NULL)
    _sextant_converse_result_reset (call->result);
  end_attempt (call);
  call->route++;
  call->attempt = 0;
  call->tried_profile = FALSE;
  _sextant_bedrock_call_choose_model (call);
  sextant_log_writer_note ("bedrock", "%s in %s answered “%s”; sending the request to %s in %s instead",
                           from_model, from_region, error->message, call->model_id, call_region (call));
  attempt_begin (call);
}

/* Bedrock refused the model's plain id (“on-demand throughput isn't supported”): its inference
 * profile for this region's geography is tried once. */
static char *
profile_to_try (Call         *call,
                const GError *error)
{
  if (call->kind == CALL_JSON || call->tried_profile || output_started (call) ||
      !g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_NEEDS_INFERENCE_PROFILE))
    return NULL;

  return sextant_bedrock_suggest_profile_id (call->model_id, call_region (call));
}

static void
attempt_failed (Call   *call,
                GError *error)
{
  g_autofree char *profile = NULL;
  SextantBedrockClient *self = call->client;
  int cost = g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_TIMEOUT) ? TIMEOUT_RETRY_COST : RETRY_COST;

  if (user_cancelled (call) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    }
  if (g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_EXPIRED_TOKEN) &&
      !call->refreshed_credentials && !output_started (call))
    {
      /* Re-read every source: the user may have refreshed the token meanwhile. */
      call->refreshed_credentials = TRUE;
      end_attempt (call);
      g_object_set_data_full (G_OBJECT (call->task), "expired-error", error, (GDestroyNotify)g_error_free);
      sextant_aws_credentials_provider_resolve_async (self->provider, call->user_cancellable,
                                                      credentials_refreshed_cb, call);
      return;
    }
  if ((profile = profile_to_try (call, error)) != NULL)
    {
      sextant_log_writer_note ("bedrock", "%s in %s refuses on-demand calls; trying its inference profile %s",
                               call->model_id, call_region (call), profile);
      call->tried_profile = TRUE;
      if (call->result != NULL)
        _sextant_converse_result_reset (call->result);
      end_attempt (call);
      g_free (call->model_id);
      call->model_id = g_steal_pointer (&profile);
      g_free (call->path);
      call->path = sextant_bedrock_client_build_model_path (call->model_id, call->kind == CALL_STREAM ? "converse-stream"
                                                                                                       : "converse");
      call->attempt--;
      g_error_free (error);
      attempt_begin (call);
      return;
    }
  if (can_fall_back (call, error))
    {
      fall_back (call, error);
      g_error_free (error);
      return;
    }
  if (sextant_bedrock_error_is_retryable (error) && call->attempt < self->max_attempts &&
      !output_started (call) && !read_timed_out (call, error) && self->retry_tokens >= cost)
    {
      self->retry_tokens -= cost;
      call->last_retry_cost = cost;
      schedule_retry (call, error);
      g_error_free (error);
      return;
    }
  if (sextant_bedrock_error_is_retryable (error) && call->route > 0)
    {
      char *text = g_strdup_printf ("%s (gave up after %u attempts in %s, the last of %u regions tried)",
                                    error->message, call->attempt, call_region (call), call->route + 1);

      g_free (error->message);
      error->message = text;
    }
  else if (sextant_bedrock_error_is_retryable (error) && call->attempt > 1)
    {
      char *text = g_strdup_printf ("%s (gave up after %u attempts)", error->message, call->attempt);

      g_free (error->message);
      error->message = text;
    }
  complete_error (call, error);
}

static void
credentials_refreshed_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  Call *call = user_data;
  SextantBedrockClient *self = call->client;
  g_autoptr(SextantAwsCredentials) fresh = NULL;
  GError *expired = g_object_steal_data (G_OBJECT (call->task), "expired-error");
  GError *error = NULL;

  fresh = sextant_aws_credentials_provider_resolve_finish (SEXTANT_AWS_CREDENTIALS_PROVIDER (object), result, &error);
  if (fresh == NULL)
    {
      g_error_free (expired);
      complete_error (call, error);
      return;
    }
  if (self->credentials != NULL && sextant_aws_credentials_equal (fresh, self->credentials))
    {
      char *text = g_strdup_printf ("%s — the credentials from %s have expired and re-reading them "
                                    "gave the same ones: refresh them (a new session token, "
                                    "`aws sso login`, or new keys in the keyring)",
                                    expired->message, fresh->source_description);

      g_free (expired->message);
      expired->message = text;
      complete_error (call, expired);
      return;
    }
  g_error_free (expired);
  g_clear_pointer (&self->credentials, sextant_aws_credentials_free);
  self->credentials = g_steal_pointer (&fresh);
  call->attempt--;
  attempt_begin (call);
}

static void
http_error_done (Call *call)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->message);
  GError *error;

  error = sextant_bedrock_error_new_from_response (soup_message_get_status (call->message),
                                                   soup_message_headers_get_one (headers, "x-amzn-ErrorType"),
                                                   (const char *)call->received->data, call->received->len,
                                                   soup_message_headers_get_one (headers, "x-amzn-RequestId"),
                                                   call_region (call), call->model_id);
  if ((error->code == SEXTANT_BEDROCK_ERROR_EXPIRED_TOKEN || error->code == SEXTANT_BEDROCK_ERROR_CREDENTIALS) &&
      call->client->credentials != NULL)
    {
      char *text = g_strdup_printf ("%s (credentials from %s)", error->message,
                                    call->client->credentials->source_description);

      g_free (error->message);
      error->message = text;
    }
  attempt_failed (call, error);
}

static void
body_done (Call *call)
{
  g_autoptr(JsonParser) parser = NULL;
  GError *error = NULL;

  if (call->kind == CALL_STREAM)
    {
      if (!sextant_converse_result_end_stream (call->result, sextant_event_stream_decoder_get_pending (call->decoder), &error))
        attempt_failed (call, error);
      else
        complete_ok (call, NULL);
      return;
    }
  if (call->kind == CALL_CONVERSE)
    {
      if (!sextant_converse_result_load_response (call->result, (const char *)call->received->data,
                                                  call->received->len, &error))
        attempt_failed (call, error);
      else
        complete_ok (call, NULL);
      return;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *)call->received->data, call->received->len, &error))
    {
      GError *parse = g_error_new (SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                                   "Bedrock %s %s: the response is not JSON: %s", call->method, call->path,
                                   error->message);

      g_error_free (error);
      attempt_failed (call, parse);
      return;
    }
  complete_ok (call, json_node_ref (json_parser_get_root (parser)));
}

static gboolean
handle_stream_bytes (Call          *call,
                     const guint8  *data,
                     gsize          len,
                     GError       **error)
{
  SextantEventStreamMessage *msg;

  sextant_event_stream_decoder_feed (call->decoder, data, len);
  while ((msg = sextant_event_stream_decoder_next (call->decoder, error)) != NULL)
    {
      gboolean ok = sextant_converse_result_handle_message (call->result, msg, error);

      sextant_event_stream_message_unref (msg);
      if (!ok)
        return FALSE;
    }

  return error == NULL || *error == NULL;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize len;
  const guint8 *data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  cancel_timer (call);
  if (bytes == NULL)
    {
      GError *translated = translate_io_error (call, error);

      g_error_free (error);
      attempt_failed (call, translated);
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      if (call->http_error)
        http_error_done (call);
      else
        body_done (call);
      return;
    }
  call->n_bytes += len;
  if (call->kind == CALL_STREAM && !call->http_error)
    {
      if (!handle_stream_bytes (call, data, len, &error))
        {
          attempt_failed (call, error);
          return;
        }
    }
  else if (call->received->len + len > MAX_BODY)
    {
      attempt_failed (call, g_error_new (SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                                         "Bedrock response body exceeds %u bytes", MAX_BODY));
      return;
    }
  else
    g_byte_array_append (call->received, data, len);
  read_next (call);
}

static void
read_next (Call *call)
{
  /* Our own idle-read timeout: each read may wait this long, the whole call has no limit. */
  arm_timer (call, TIMER_IDLE);
  /* Below the priority toolkits paint at (GTK: G_PRIORITY_HIGH_IDLE + 20): an answer streamed
   * at full speed keeps the socket readable all the time, and at default priority its reads
   * would starve every frame until the stream ends. Input events still go first too. */
  g_input_stream_read_bytes_async (call->input, READ_SIZE, G_PRIORITY_DEFAULT_IDLE,
                                   call->attempt_cancellable, read_cb, call);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;
  GError *error = NULL;
  GInputStream *input;
  guint status;

  input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  cancel_timer (call);
  if (input == NULL)
    {
      GError *translated = translate_io_error (call, error);

      g_error_free (error);
      attempt_failed (call, translated);
      return;
    }
  call->input = input;
  status = soup_message_get_status (call->message);
  call->http_error = !SOUP_STATUS_IS_SUCCESSFUL (status);
  if (call->result != NULL)
    _sextant_converse_result_set_context (call->result, call_region (call), call->model_id,
                                          soup_message_headers_get_one (soup_message_get_response_headers (call->message),
                                                                        "x-amzn-RequestId"));
  if (call->kind == CALL_STREAM && !call->http_error)
    call->decoder = sextant_event_stream_decoder_new ();
  read_next (call);
}

static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  Call *call = user_data;

  /* Connected: from now on the wait is for the model, under another limit. */
  if (event == G_SOCKET_CLIENT_COMPLETE && call->timer_kind == TIMER_CONNECT)
    arm_timer (call, call->kind == CALL_STREAM ? TIMER_IDLE : TIMER_RESPONSE);
}

static void
wrote_body_cb (SoupMessage *message,
               gpointer     user_data)
{
  Call *call = user_data;

  /* A reused keep-alive connection emits no network event. */
  if (call->timer_kind == TIMER_CONNECT)
    arm_timer (call, call->kind == CALL_STREAM ? TIMER_IDLE : TIMER_RESPONSE);
}

static SoupMessage *
build_message (Call    *call,
               GError **error)
{
  SextantBedrockClient *self = call->client;
  const char *endpoint = call_endpoint (call);
  SextantSigv4Signer *signer = call->plane == SEXTANT_BEDROCK_PLANE_CONTROL ? self->signer : call_route (call)->signer;
  g_autofree char *url = g_strconcat (endpoint, call->path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (call->method, url);
  SoupMessageHeaders *headers;

  if (message == NULL)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT,
                   "Invalid Bedrock URL “%s”", url);
      return NULL;
    }
  headers = soup_message_get_request_headers (message);
  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", call->body);
  soup_message_headers_replace (headers, "Accept", call->kind == CALL_STREAM ? "application/vnd.amazon.eventstream"
                                                                             : "application/json");
  if (self->credentials->bearer_token != NULL)
    sextant_bearer_auth_apply (message, self->credentials->bearer_token);
  else
    {
      sextant_sigv4_signer_set_credentials (signer, self->credentials->access_key_id,
                                            self->credentials->secret_access_key,
                                            self->credentials->session_token);
      if (!sextant_sigv4_signer_sign_message (signer, message, call->body, NULL, error))
        return NULL;
    }

  return g_steal_pointer (&message);
}

static void
send_attempt (Call *call)
{
  GError *error = NULL;

  call->attempt++;
  call->timed_out = TIMER_NONE;
  call->n_bytes = 0;
  g_cancellable_reset (call->attempt_cancellable);
  if ((call->message = build_message (call, &error)) == NULL)
    {
      complete_error (call, error);
      return;
    }
  g_signal_connect (call->message, "network-event", G_CALLBACK (network_event_cb), call);
  g_signal_connect (call->message, "wrote-body", G_CALLBACK (wrote_body_cb), call);
  arm_timer (call, TIMER_CONNECT);
  soup_session_send_async (call->client->session, call->message, G_PRIORITY_DEFAULT,
                           call->attempt_cancellable, send_cb, call);
}

static void
credentials_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Call *call = user_data;
  GError *error = NULL;
  SextantAwsCredentials *credentials;

  credentials = sextant_aws_credentials_provider_resolve_finish (SEXTANT_AWS_CREDENTIALS_PROVIDER (object), result, &error);
  if (credentials == NULL)
    {
      complete_error (call, error);
      return;
    }
  g_clear_pointer (&call->client->credentials, sextant_aws_credentials_free);
  call->client->credentials = credentials;
  send_attempt (call);
}

static void
attempt_begin (Call *call)
{
  if (user_cancelled (call))
    {
      complete_error (call, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled"));
      return;
    }
  if (call->client->credentials == NULL)
    {
      sextant_aws_credentials_provider_resolve_async (call->client->provider, call->user_cancellable,
                                                      credentials_cb, call);
      return;
    }
  send_attempt (call);
}

static void
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GCancellable *attempt = user_data;

  /* May run in another thread; cancelling is thread-safe. */
  g_cancellable_cancel (attempt);
}

void
_sextant_bedrock_call_start (Call *call)
{
  if (call->user_cancellable != NULL)
    call->cancel_handler = g_cancellable_connect (call->user_cancellable, G_CALLBACK (user_cancelled_cb),
                                                  g_object_ref (call->attempt_cancellable), g_object_unref);
  attempt_begin (call);
}
