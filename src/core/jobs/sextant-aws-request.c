#define G_LOG_DOMAIN "sextant-aws-request"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "base/sextant-endpoint.h"
#include "jobs/sextant-aws-request.h"
#include "jobs/sextant-jobs-error.h"

#define MAX_ATTEMPTS 4
/* S3 and Batch error bodies are short; a larger one is not read whole into a message */
#define MAX_ERROR_TEXT 300

void
sextant_aws_service_init (SextantAwsService           *service,
                          const char                  *region,
                          const char                  *signing_name,
                          const SextantAwsCredentials *credentials,
                          SoupSession                 *session)
{
  memset (service, 0, sizeof *service);
  service->signer = sextant_sigv4_signer_new (region, signing_name);
  sextant_sigv4_signer_set_credentials (service->signer, credentials->access_key_id,
                                        credentials->secret_access_key,
                                        credentials->session_token);
  service->s3 = g_str_equal (signing_name, "s3");
  service->retry_delay_ms = 200;
  if (session != NULL)
    service->session = g_object_ref (session);
  else
    service->session = soup_session_new_with_options ("timeout", 120,
                                                      "user-agent", "Sextant/" PACKAGE_VERSION,
                                                      NULL);
}

void
sextant_aws_service_clear (SextantAwsService *service)
{
  g_clear_object (&service->session);
  g_clear_object (&service->signer);
}

/**
 * sextant_aws_service_endpoint:
 * @variable: the service's own override, e.g. `AWS_ENDPOINT_URL_S3`
 * @service: the endpoint prefix, e.g. `s3` or `batch`
 *
 * The endpoint as the AWS SDKs pick it: the service's variable, then `AWS_ENDPOINT_URL`, then
 * the regional default. Plain http:// is refused unless it is this computer.
 *
 * Returns: (transfer full) (nullable): the base URL without a trailing slash
 */
char *
sextant_aws_service_endpoint (const char  *variable,
                              const char  *service,
                              const char  *region,
                              GError     **error)
{
  const char *value = g_getenv (variable);
  const char *source = variable;
  g_autofree char *url = NULL;

  if (value == NULL || *value == '\0')
    {
      value = g_getenv ("AWS_ENDPOINT_URL");
      source = "AWS_ENDPOINT_URL";
    }
  if (value != NULL && *value != '\0')
    url = g_strdup (value);
  else
    url = g_strdup_printf ("https://%s.%s.amazonaws.com", service, region);
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  if (!sextant_endpoint_check_transport (url, source, SEXTANT_JOBS_ERROR,
                                         SEXTANT_JOBS_ERROR_INVALID_ARGUMENT, error))
    return NULL;
  return g_steal_pointer (&url);
}

typedef struct
{
  SextantAwsService *service;
  char              *method;
  char              *url;
  char              *content_type;
  GBytes            *body;
  char              *what;
  guint              attempt;
  SoupMessage       *message;
} Send;

static void
send_free (Send *send)
{
  g_free (send->method);
  g_free (send->url);
  g_free (send->content_type);
  g_clear_pointer (&send->body, g_bytes_unref);
  g_free (send->what);
  g_clear_object (&send->message);
  g_free (send);
}

static void send_attempt (GTask *task);

static gboolean
retry_cb (gpointer user_data)
{
  send_attempt (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
is_retryable (guint status)
{
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

/* The error's code and message as S3 (XML <Code>, <Message>) or Batch (JSON "message",
 * x-amzn-ErrorType) state them, shortened: they go into a message for people. */
static char *
describe_answer (SoupMessage *message,
                 GBytes      *body)
{
  const char *type = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                   "x-amzn-ErrorType");
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *text = g_strndup (data != NULL ? data : "", MIN (size, MAX_ERROR_TEXT));
  g_autofree char *code = NULL;
  const char *start, *end;

  if ((start = strstr (text, "<Code>")) != NULL && (end = strstr (start, "</Code>")) != NULL)
    code = g_strndup (start + 6, end - start - 6);
  else if (type != NULL)
    code = g_strndup (type, strcspn (type, ":"));
  return g_strdup_printf ("HTTP %u%s%s", soup_message_get_status (message),
                          code != NULL ? " " : "", code != NULL ? code : "");
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autofree char *answer = NULL;
  guint status;
  int code;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_NETWORK,
                                 _("%s: %s could not be reached: %s"), send->what, send->url,
                                 error->message);
      return;
    }
  status = soup_message_get_status (send->message);
  if (status >= 200 && status < 300)
    {
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (is_retryable (status) && send->attempt < MAX_ATTEMPTS)
    {
      guint delay = send->service->retry_delay_ms << (send->attempt - 1);

      g_debug ("%s: HTTP %u, attempt %u of %u again in %u ms", send->what, status, send->attempt,
               MAX_ATTEMPTS, delay);
      GSource *source = g_timeout_source_new (delay);

      /* on the context the request was made on: the Batch engine runs a private one */
      g_source_attach (source, g_task_get_context (task));
      g_source_set_callback (source, retry_cb, g_steal_pointer (&task), NULL);
      g_source_unref (source);
      return;
    }
  answer = describe_answer (send->message, body);
  code = status == 403 ? SEXTANT_JOBS_ERROR_ACCESS_DENIED
         : status == 404 ? SEXTANT_JOBS_ERROR_NOT_FOUND
         : is_retryable (status) ? SEXTANT_JOBS_ERROR_UNAVAILABLE
         : SEXTANT_JOBS_ERROR_HTTP;
  if (code == SEXTANT_JOBS_ERROR_UNAVAILABLE)
    g_task_return_new_error (task, SEXTANT_JOBS_ERROR, code,
                             _("%s: %s, still after %u attempts"), send->what, answer,
                             send->attempt);
  else if (code == SEXTANT_JOBS_ERROR_ACCESS_DENIED)
    g_task_return_new_error (task, SEXTANT_JOBS_ERROR, code,
                             _("%s: access denied (%s); the IAM policy must allow it"),
                             send->what, answer);
  else
    g_task_return_new_error (task, SEXTANT_JOBS_ERROR, code, "%s: %s", send->what, answer);
}

static void
send_attempt (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean signed_ok;

  send->attempt++;
  g_clear_object (&send->message);
  send->message = soup_message_new (send->method, send->url);
  if (send->message == NULL)
    {
      g_task_return_new_error (task, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_INVALID_ARGUMENT,
                               _("%s: “%s” is not a URL"), send->what, send->url);
      g_object_unref (task);
      return;
    }
  if (send->content_type != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (send->message),
                                  "Content-Type", send->content_type);
  if (send->service->s3)
    signed_ok = sextant_sigv4_signer_sign_s3_message (send->service->signer, send->message,
                                                      send->body, NULL, &error);
  else
    {
      if (send->body != NULL)
        soup_message_set_request_body_from_bytes (send->message, send->content_type, send->body);
      signed_ok = sextant_sigv4_signer_sign_message (send->service->signer, send->message,
                                                     send->body, NULL, &error);
    }
  if (!signed_ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  soup_session_send_and_read_async (send->service->session, send->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), sent_cb, task);
}

void
sextant_aws_service_send_async (SextantAwsService   *service,
                                gpointer             source_object,
                                const char          *method,
                                const char          *url,
                                const char          *content_type,
                                GBytes              *body,
                                const char          *what,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (source_object, cancellable, callback, user_data);
  Send *send = g_new0 (Send, 1);

  g_task_set_source_tag (task, sextant_aws_service_send_async);
  send->service = service;
  send->method = g_strdup (method);
  send->url = g_strdup (url);
  send->content_type = g_strdup (content_type);
  send->body = body != NULL ? g_bytes_ref (body) : NULL;
  send->what = g_strdup (what);
  g_task_set_task_data (task, send, (GDestroyNotify) send_free);
  send_attempt (task);
}

/**
 * sextant_aws_service_send_finish:
 *
 * Returns: (transfer full): the body of a 2xx answer, or %NULL with @error set
 */
GBytes *
sextant_aws_service_send_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
