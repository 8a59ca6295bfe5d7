#define G_LOG_DOMAIN "sextant-http-provider"

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "market/sextant-http-body.h"
#include "market/sextant-http-provider.h"
#include "market/sextant-market-error.h"

/* The longest Retry-After slept through before asking again; a longer one is reported at once. */
#define DEFAULT_MAX_RETRY_WAIT 30
/* Retry-After values are kept up to a day, so that the wait they ask for can be told. */
#define MAX_RETRY_AFTER (24 * 3600)

typedef struct
{
  char        *base_url;
  char        *api_key;
  SoupSession *session;
  guint        max_retries;
  guint        backoff_ms;
  gsize        max_body_size;
  guint        max_retry_wait;
} SextantHttpProviderPrivate;

static void market_provider_iface_init (SextantMarketProviderInterface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (SextantHttpProvider, sextant_http_provider, G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (SextantHttpProvider)
                                  G_IMPLEMENT_INTERFACE (SEXTANT_TYPE_MARKET_PROVIDER,
                                                         market_provider_iface_init))

enum { PROP_0, PROP_SESSION, PROP_HAS_KEY, PROP_BASE_URL, PROP_API_KEY, N_PROPS };

static GParamSpec *properties [N_PROPS];

/* The state of one fetch across retries. */
typedef struct
{
  char                  *symbol;
  gint32                 from_day;
  gint32                 to_day;
  gboolean               daily;
  gboolean               search;
  guint                  attempt;
  gboolean               downgraded;
  SoupMessage           *message;
  SextantMarketResponse *response;
  GSource               *wait_source;
  GSource               *cancel_source;
} FetchData;

static void clear_wait (FetchData *data);

static void
fetch_data_free (FetchData *data)
{
  clear_wait (data);
  g_free (data->symbol);
  g_clear_object (&data->message);
  g_clear_pointer (&data->response, sextant_market_response_free);
  g_free (data);
}

static void send_message (GTask *task);

static void
sextant_http_provider_finalize (GObject *object)
{
  SextantHttpProvider *self = SEXTANT_HTTP_PROVIDER (object);
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);

  g_clear_pointer (&priv->base_url, g_free);
  if (priv->api_key != NULL)
    memset (priv->api_key, 0, strlen (priv->api_key));
  g_clear_pointer (&priv->api_key, g_free);

  G_OBJECT_CLASS (sextant_http_provider_parent_class)->finalize (object);
}

static void
sextant_http_provider_dispose (GObject *object)
{
  SextantHttpProvider *self = SEXTANT_HTTP_PROVIDER (object);
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);

  g_clear_object (&priv->session);

  G_OBJECT_CLASS (sextant_http_provider_parent_class)->dispose (object);
}

static void
sextant_http_provider_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SextantHttpProvider *self = SEXTANT_HTTP_PROVIDER (object);
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, sextant_http_provider_get_session (self));
      break;
    case PROP_HAS_KEY:
      g_value_set_boolean (value, priv->api_key != NULL && *priv->api_key != '\0');
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, sextant_http_provider_get_base_url (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_base_url (SextantHttpProvider *self,
              const char          *base_url)
{
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);
  g_autofree char *normalized = NULL;

  /* A trailing slash would double up when paths are appended. */
  if (base_url != NULL && *base_url != '\0')
    {
      normalized = g_strdup (base_url);
      while (g_str_has_suffix (normalized, "/"))
        normalized[strlen (normalized) - 1] = '\0';
    }
  if (g_strcmp0 (priv->base_url, normalized) == 0)
    return;
  g_free (priv->base_url);
  priv->base_url = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

static void
sextant_http_provider_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SextantHttpProvider *self = SEXTANT_HTTP_PROVIDER (object);
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&priv->session, g_value_get_object (value));
      break;
    case PROP_BASE_URL:
      set_base_url (self, g_value_get_string (value));
      break;
    case PROP_API_KEY:
      g_free (priv->api_key);
      priv->api_key = g_value_dup_string (value);
      if (priv->api_key != NULL)
        g_strstrip (priv->api_key);
      g_object_notify_by_pspec (object, properties[PROP_HAS_KEY]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_http_provider_class_init (SextantHttpProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sextant_http_provider_dispose;
  object_class->finalize = sextant_http_provider_finalize;
  object_class->get_property = sextant_http_provider_get_property;
  object_class->set_property = sextant_http_provider_set_property;

  /**
   * SextantHttpProvider:session:
   *
   * The session to send with; one is made on first use when unset. Tests pass one without a
   * proxy resolver so that 127.0.0.1 is not sent through `http_proxy`.
   */
  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                                                  (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                                                   G_PARAM_STATIC_STRINGS));
  properties[PROP_HAS_KEY] = g_param_spec_boolean ("has-key", NULL, NULL, FALSE,
                                                   (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, PROP_BASE_URL, properties);

  g_object_class_override_property (object_class, PROP_BASE_URL, "base-url");
  g_object_class_override_property (object_class, PROP_API_KEY, "api-key");
  properties[PROP_BASE_URL] = g_object_class_find_property (object_class, "base-url");
}

static void
sextant_http_provider_init (SextantHttpProvider *self)
{
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);

  priv->max_retries = 2;
  priv->backoff_ms = 1000;
  priv->max_body_size = SEXTANT_HTTP_MAX_BODY_SIZE;
  priv->max_retry_wait = DEFAULT_MAX_RETRY_WAIT;
}

/**
 * sextant_http_provider_get_base_url:
 * @self: a provider
 *
 * Returns: the configured base URL, or the class default, without a trailing slash
 */
const char *
sextant_http_provider_get_base_url (SextantHttpProvider *self)
{
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);

  g_return_val_if_fail (SEXTANT_IS_HTTP_PROVIDER (self), NULL);

  if (priv->base_url != NULL)
    return priv->base_url;

  return SEXTANT_HTTP_PROVIDER_GET_CLASS (self)->default_base_url;
}

/**
 * sextant_http_provider_get_api_key:
 * @self: a provider
 *
 * For subclasses building requests only; never log the result.
 *
 * Returns: (nullable): the key
 */
const char *
sextant_http_provider_get_api_key (SextantHttpProvider *self)
{
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);

  g_return_val_if_fail (SEXTANT_IS_HTTP_PROVIDER (self), NULL);

  return priv->api_key != NULL && *priv->api_key != '\0' ? priv->api_key : NULL;
}

/**
 * sextant_http_provider_get_session:
 * @self: a provider
 *
 * Returns: (transfer none): the session, made on first use
 */
SoupSession *
sextant_http_provider_get_session (SextantHttpProvider *self)
{
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);

  g_return_val_if_fail (SEXTANT_IS_HTTP_PROVIDER (self), NULL);

  if (priv->session == NULL)
    priv->session = soup_session_new_with_options ("timeout", 30,
                                                   "user-agent", "Sextant/" PACKAGE_VERSION,
                                                   NULL);

  return priv->session;
}

/**
 * sextant_http_provider_set_backoff:
 * @self: a provider
 * @max_retries: how many times to retry after HTTP 429 (0 to fail at once)
 * @backoff_ms: the first wait; it doubles on each retry unless the server sends Retry-After
 */
void
sextant_http_provider_set_backoff (SextantHttpProvider *self,
                                   guint                max_retries,
                                   guint                backoff_ms)
{
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);

  g_return_if_fail (SEXTANT_IS_HTTP_PROVIDER (self));

  priv->max_retries = max_retries;
  priv->backoff_ms = backoff_ms;
}

/**
 * sextant_http_provider_set_max_body_size:
 * @self: a provider
 * @max_bytes: the largest body read; a larger one fails with %SEXTANT_MARKET_ERROR_TOO_LARGE
 *   as soon as its Content-Length, or the bytes read so far, pass it
 */
void
sextant_http_provider_set_max_body_size (SextantHttpProvider *self,
                                         gsize                max_bytes)
{
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);

  g_return_if_fail (SEXTANT_IS_HTTP_PROVIDER (self));

  priv->max_body_size = max_bytes;
}

/**
 * sextant_http_provider_set_max_retry_wait:
 * @self: a provider
 * @seconds: the longest Retry-After to wait for before retrying; an HTTP 429 asking for longer
 *   is reported at once, with the time it names
 */
void
sextant_http_provider_set_max_retry_wait (SextantHttpProvider *self,
                                          guint                seconds)
{
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);

  g_return_if_fail (SEXTANT_IS_HTTP_PROVIDER (self));

  priv->max_retry_wait = seconds;
}

const char *
sextant_http_provider_get_name (SextantHttpProvider *self)
{
  return SEXTANT_HTTP_PROVIDER_GET_CLASS (self)->name;
}

/**
 * sextant_http_provider_build_url:
 * @self: a provider
 * @path: the path below the base URL, starting with `/`
 * @...: pairs of query parameter name and value (values are escaped), ending with %NULL;
 *   a pair whose value is %NULL is left out
 *
 * Returns: (transfer full): the URL
 */
char *
sextant_http_provider_build_url (SextantHttpProvider *self,
                                 const char          *path,
                                 ...)
{
  GString *url = g_string_new (sextant_http_provider_get_base_url (self));
  const char *name;
  char sep = '?';
  va_list args;

  g_string_append (url, path);
  va_start (args, path);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      g_autofree char *escaped = NULL;

      if (value == NULL)
        continue;
      escaped = g_uri_escape_string (value, NULL, FALSE);
      g_string_append_printf (url, "%c%s=%s", sep, name, escaped);
      sep = '&';
    }
  va_end (args);

  return g_string_free (url, FALSE);
}

/**
 * sextant_http_provider_set_error:
 * @self: a provider
 * @error: return location
 * @code: the #SextantMarketError
 * @format: printf-style message, prefixed with the provider's name
 * @...: arguments
 */
void
sextant_http_provider_set_error (SextantHttpProvider  *self,
                                 GError              **error,
                                 SextantMarketError    code,
                                 const char           *format,
                                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, SEXTANT_MARKET_ERROR, code, "%s: %s",
               sextant_http_provider_get_name (self), message);
}

/* A short, printable excerpt of a body for error messages: enough to recognise a page, never a
 * whole document in a dialog. */
static char *
body_excerpt (GBytes *body)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *text = g_utf8_make_valid (data != NULL ? data : "", MIN (len, 120));

  for (char *p = text; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';

  g_strstrip (text);

  return g_steal_pointer (&text);
}

/**
 * sextant_http_provider_check_status:
 * @self: a provider
 * @response: a response
 * @error: return location
 *
 * The generic meaning of HTTP statuses; providers check their own quirks first.
 *
 * Returns: %TRUE for a 2xx status
 */
gboolean
sextant_http_provider_check_status (SextantHttpProvider          *self,
                                    const SextantMarketResponse  *response,
                                    GError                      **error)
{
  g_autofree char *excerpt = NULL;
  SextantMarketError code;

  if (response->status >= 200 && response->status < 300)
    return TRUE;

  excerpt = body_excerpt (response->body);
  switch (response->status)
    {
    case 401: code = SEXTANT_MARKET_ERROR_AUTH; break;
    case 402:
    case 403: code = SEXTANT_MARKET_ERROR_NOT_ENTITLED; break;
    case 404: code = SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL; break;
    case 429: code = SEXTANT_MARKET_ERROR_RATE_LIMITED; break;
    default: code = SEXTANT_MARKET_ERROR_HTTP; break;
    }
  sextant_http_provider_set_error (self, error, code, "HTTP %u for %s: %s", response->status,
                                   response->symbol, *excerpt != '\0' ? excerpt : "(empty body)");

  return FALSE;
}

/**
 * sextant_http_provider_parse_json:
 * @self: a provider
 * @response: a response
 * @error: return location
 *
 * Rejects empty bodies, HTML pages and other content types with their own codes before trying
 * to parse, so that "the proxy sent a login page" is not reported as a JSON syntax error.
 *
 * Returns: (transfer full): the root node
 */
JsonNode *
sextant_http_provider_parse_json (SextantHttpProvider          *self,
                                  const SextantMarketResponse  *response,
                                  GError                      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (response->body, &len);

  if (len == 0)
    {
      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_EMPTY,
                                       "empty body (HTTP %u) for %s", response->status,
                                       response->symbol);
      return NULL;
    }
  if (sextant_market_response_looks_like_html (response))
    {
      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_CONTENT_TYPE,
                                       "an HTML page instead of JSON (HTTP %u) for %s",
                                       response->status, response->symbol);
      return NULL;
    }
  if (response->content_type != NULL && strstr (response->content_type, "json") == NULL &&
      data[0] != '{' && data[0] != '[')
    {
      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_CONTENT_TYPE,
                                       "%s instead of JSON (HTTP %u) for %s",
                                       response->content_type, response->status, response->symbol);
      return NULL;
    }
  if (!sextant_http_provider_check_json_integers (data, len))
    {
      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "an integer too large to be read exactly in the answer "
                                       "for %s", response->symbol);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &local_error) ||
      json_parser_get_root (parser) == NULL)
    {
      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "malformed JSON for %s: %s", response->symbol,
                                       local_error != NULL ? local_error->message : "no value");
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/* Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). */
static guint
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) date = NULL;
  char *end = NULL;
  guint64 seconds;

  if (value == NULL)
    return 0;
  seconds = g_ascii_strtoull (value, &end, 10);
  if (end != value && *end == '\0')
    return (guint) MIN (seconds, MAX_RETRY_AFTER);
  if ((date = soup_date_time_new_from_http_string (value)) != NULL)
    {
      gint64 wait = g_date_time_to_unix (date) - g_get_real_time () / G_USEC_PER_SEC;

      return (guint) CLAMP (wait, 1, MAX_RETRY_AFTER);
    }

  return 0;
}

/* memmem() without _GNU_SOURCE: bodies may hold NUL bytes, so no string search will do. */
static const char *
find_bytes (const char *haystack,
            gsize       len,
            const char *needle,
            gsize       needle_len)
{
  const char *end = haystack + len;

  for (const char *p = haystack; (gsize) (end - p) >= needle_len; p++)
    {
      p = memchr (p, needle[0], end - p - needle_len + 1);
      if (p == NULL)
        return NULL;
      if (memcmp (p, needle, needle_len) == 0)
        return p;
    }

  return NULL;
}

/* A copy of @data with every occurrence of @needle replaced by REDACTED (or @data itself). */
static GBytes *
replace_all (GBytes     *data,
             const char *needle)
{
  gsize len = 0, needle_len = strlen (needle);
  const char *bytes = g_bytes_get_data (data, &len);
  const char *p = bytes, *end = bytes + len, *hit;
  GString *out;

  if (needle_len == 0 || bytes == NULL ||
      find_bytes (bytes, len, needle, needle_len) == NULL)
    return g_bytes_ref (data);
  out = g_string_sized_new (len);
  while ((hit = find_bytes (p, end - p, needle, needle_len)) != NULL)
    {
      g_string_append_len (out, p, hit - p);
      g_string_append (out, "REDACTED");
      p = hit + needle_len;
    }
  g_string_append_len (out, p, end - p);

  return g_string_free_to_bytes (out);
}

/* Some providers echo the key in an answer ("We have detected your API key as …"). The key is
 * taken out of the body, raw and percent-encoded, before anything keeps it (the data lake, error
 * messages, logs). */
static GBytes *
redact_key (GBytes     *body,
            const char *api_key)
{
  g_autofree char *escaped = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GBytes) once = NULL;
  g_autoptr(GBytes) twice = NULL;

  /* A key of a few letters would match ordinary text; real keys are 16 characters or more. */
  if (api_key == NULL || strlen (api_key) < 8)
    return g_bytes_ref (body);
  escaped = g_uri_escape_string (api_key, NULL, FALSE);
  /* The same escapes in lower case (%2b), the key's own letters as they are. */
  lower = g_strdup (escaped);
  for (char *p = strchr (lower, '%'); p != NULL && p[1] != '\0' && p[2] != '\0';
       p = strchr (p + 3, '%'))
    {
      p[1] = g_ascii_tolower (p[1]);
      p[2] = g_ascii_tolower (p[2]);
    }
  once = replace_all (body, api_key);
  twice = replace_all (once, escaped);

  return replace_all (twice, lower);
}

static SextantMarketResponse *
response_from_message (SextantHttpProvider *self,
                       FetchData           *data,
                       GBytes              *received)
{
  g_autoptr(GBytes) body = redact_key (received, sextant_http_provider_get_api_key (self));
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->message);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  const char *retry_after = soup_message_headers_get_one (headers, "Retry-After");
  g_autofree char *uri = g_uri_to_string (soup_message_get_uri (data->message));
  SextantMarketResponse *response;

  response = sextant_market_response_new (SEXTANT_HTTP_PROVIDER_GET_CLASS (self)->id,
                                          data->daily ? "daily" : data->search ? "search" : "quote",
                                          data->symbol,
                                          soup_message_get_status (data->message),
                                          content_type, body);
  response->url = sextant_market_redact_url (uri);
  if (data->daily && SEXTANT_HTTP_PROVIDER_GET_CLASS (self)->ranged_daily)
    {
      response->from_day = data->from_day;
      response->to_day = data->to_day;
    }
  response->retry_after = parse_retry_after (retry_after);

  return response;
}

static gpointer
parse_response (SextantHttpProvider          *self,
                FetchData                    *data,
                GError                      **error)
{
  SextantHttpProviderClass *klass = SEXTANT_HTTP_PROVIDER_GET_CLASS (self);

  if (data->daily)
    return klass->parse_daily (self, data->response, error);
  if (data->search)
    return klass->parse_search (self, data->response, error);

  return klass->parse_quote (self, data->response, error);
}

static void
clear_wait (FetchData *data)
{
  if (data->wait_source != NULL)
    g_source_destroy (data->wait_source);
  if (data->cancel_source != NULL)
    g_source_destroy (data->cancel_source);
  g_clear_pointer (&data->wait_source, g_source_unref);
  g_clear_pointer (&data->cancel_source, g_source_unref);
}

/* Ends a back-off wait, by its timeout or by the cancellable: send_message() then either sends
 * the retry or returns the cancellation at once rather than after a Retry-After of minutes. */
static gboolean
end_wait_cb (gpointer user_data)
{
  GTask *task = user_data;

  clear_wait (g_task_get_task_data (task));
  send_message (task);

  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  return end_wait_cb (user_data);
}

static void
wait_then_retry (GTask *task,
                 guint  wait_ms)
{
  FetchData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  data->wait_source = g_timeout_source_new (wait_ms);
  g_source_set_callback (data->wait_source, end_wait_cb, g_object_ref (task), g_object_unref);
  g_source_attach (data->wait_source, g_main_context_get_thread_default ());
  if (cancellable != NULL)
    {
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel_source, G_SOURCE_FUNC (cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (data->cancel_source, g_main_context_get_thread_default ());
    }
}

/* Decides whether a failed attempt is worth another: HTTP 429 after a back-off, or a downgraded
 * request the provider offers once. */
static gboolean
maybe_retry (GTask        *task,
             const GError *error)
{
  SextantHttpProvider *self = g_task_get_source_object (task);
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);
  SextantHttpProviderClass *klass = SEXTANT_HTTP_PROVIDER_GET_CLASS (self);
  FetchData *data = g_task_get_task_data (task);

  if (g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED) &&
      data->response->status == 429 && data->attempt < priv->max_retries &&
      data->response->retry_after <= priv->max_retry_wait)
    {
      guint wait_ms = data->response->retry_after > 0 ? data->response->retry_after * 1000
                                                      : priv->backoff_ms << data->attempt;

      g_debug ("%s: HTTP 429, retrying in %u ms", klass->name, wait_ms);
      data->attempt++;
      g_clear_object (&data->message);
      wait_then_retry (task, wait_ms);
      return TRUE;
    }
  if (data->daily && !data->downgraded && klass->retry_daily_message != NULL)
    {
      SoupMessage *message = klass->retry_daily_message (self, data->symbol, data->from_day,
                                                         data->to_day, error);

      if (message != NULL)
        {
          data->downgraded = TRUE;
          g_clear_object (&data->message);
          data->message = message;
          send_message (task);
          return TRUE;
        }
    }

  return FALSE;
}

/* The whole body is read: parse it, retry, or return. */
static void
body_complete (GTask  *task,
               GBytes *body)
{
  SextantHttpProvider *self = g_task_get_source_object (task);
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gpointer value;

  g_clear_pointer (&data->response, sextant_market_response_free);
  data->response = response_from_message (self, data, body);
  value = parse_response (self, data, &error);
  if (value != NULL)
    {
      g_task_return_pointer (task, value, data->daily ? (GDestroyNotify) sextant_price_series_unref
                                          : data->search ? (GDestroyNotify) g_ptr_array_unref
                                          : (GDestroyNotify) sextant_quote_free);
      return;
    }
  if (maybe_retry (task, error))
    return;
  if (g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED) &&
      data->response->retry_after > priv->max_retry_wait)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) then = g_date_time_add_seconds (now, data->response->retry_after);
      g_autofree char *when = g_date_time_format (then, "%Y-%m-%d %H:%M:%S UTC");

      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED,
                               "%s; the provider asks to wait %u s, until %s, longer than "
                               "Sextant waits (%u s): try again then", error->message,
                               data->response->retry_after, when, priv->max_retry_wait);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SextantHttpProvider *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = sextant_http_read_body_finish (result, &error);
  if (body != NULL)
    body_complete (task, body);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE))
    g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE, "%s: %s",
                             sextant_http_provider_get_name (self), error->message);
  else
    {
      g_autofree char *uri = g_uri_to_string (soup_message_get_uri (data->message));
      g_autofree char *redacted = sextant_market_redact_url (uri);

      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK,
                               "%s: cannot reach %s: %s", sextant_http_provider_get_name (self),
                               redacted, error->message);
    }
}

static SoupMessage *
build_message (SextantHttpProvider  *self,
               FetchData            *data,
               GError              **error)
{
  SextantHttpProviderClass *klass = SEXTANT_HTTP_PROVIDER_GET_CLASS (self);

  if (klass->needs_key && sextant_http_provider_get_api_key (self) == NULL)
    {
      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_AUTH,
                                       "no API key is set; add one in Preferences");
      return NULL;
    }
  if (data->daily)
    return klass->build_daily_message (self, data->symbol, data->from_day, data->to_day, error);
  if (data->search)
    return klass->build_search_message (self, data->symbol, error);

  return klass->build_quote_message (self, data->symbol, error);
}

static void
send_message (GTask *task)
{
  SextantHttpProvider *self = g_task_get_source_object (task);
  SextantHttpProviderPrivate *priv = sextant_http_provider_get_instance_private (self);
  FetchData *data = g_task_get_task_data (task);
  g_autofree char *what = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  /* A retry after 429 sends a fresh message: a SoupMessage is not meant to be sent twice. */
  if (data->message == NULL)
    {
      data->message = build_message (self, data, &error);
      if (data->message == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  what = g_strdup_printf ("the answer for %s", data->symbol);
  sextant_http_read_body_async (sextant_http_provider_get_session (self), data->message,
                                priv->max_body_size, what, g_task_get_cancellable (task), send_cb,
                                g_object_ref (task));
}

static void
start_fetch (SextantHttpProvider *self,
             FetchData           *data,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);
  send_message (task);
}

static void
http_fetch_quote_async (SextantMarketProvider *provider,
                        const char            *symbol,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  FetchData *data = g_new0 (FetchData, 1);

  data->symbol = g_strdup (symbol);
  start_fetch (SEXTANT_HTTP_PROVIDER (provider), data, http_fetch_quote_async, cancellable,
               callback, user_data);
}

static void
http_fetch_daily_async (SextantMarketProvider *provider,
                        const char            *symbol,
                        gint32                 from_day,
                        gint32                 to_day,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  FetchData *data = g_new0 (FetchData, 1);

  data->symbol = g_strdup (symbol);
  data->from_day = from_day;
  data->to_day = to_day;
  data->daily = TRUE;
  start_fetch (SEXTANT_HTTP_PROVIDER (provider), data, http_fetch_daily_async, cancellable,
               callback, user_data);
}

static gpointer
http_fetch_finish (GAsyncResult           *result,
                   SextantMarketResponse **response,
                   GError                **error)
{
  FetchData *data = g_task_get_task_data (G_TASK (result));

  if (response != NULL)
    *response = data->response != NULL ? sextant_market_response_copy (data->response) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

static SextantQuote *
http_fetch_quote_finish (SextantMarketProvider  *provider,
                         GAsyncResult           *result,
                         SextantMarketResponse **response,
                         GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return http_fetch_finish (result, response, error);
}

static SextantPriceSeries *
http_fetch_daily_finish (SextantMarketProvider  *provider,
                         GAsyncResult           *result,
                         SextantMarketResponse **response,
                         GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return http_fetch_finish (result, response, error);
}

/* The query travels in FetchData's symbol: the response and its errors name what was asked. */
static void
http_search_async (SextantMarketProvider *provider,
                   const char            *query,
                   GCancellable          *cancellable,
                   GAsyncReadyCallback    callback,
                   gpointer               user_data)
{
  FetchData *data = g_new0 (FetchData, 1);

  g_assert (SEXTANT_HTTP_PROVIDER_GET_CLASS (provider)->build_search_message != NULL);

  data->symbol = g_strdup (query);
  data->search = TRUE;
  start_fetch (SEXTANT_HTTP_PROVIDER (provider), data, http_search_async, cancellable,
               callback, user_data);
}

static GPtrArray *
http_search_finish (SextantMarketProvider  *provider,
                    GAsyncResult           *result,
                    SextantMarketResponse **response,
                    GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return http_fetch_finish (result, response, error);
}

static gboolean
http_can_search (SextantMarketProvider *provider)
{
  return SEXTANT_HTTP_PROVIDER_GET_CLASS (provider)->build_search_message != NULL;
}

static const char *
http_get_id (SextantMarketProvider *provider)
{
  return SEXTANT_HTTP_PROVIDER_GET_CLASS (provider)->id;
}

static const char *
http_get_name (SextantMarketProvider *provider)
{
  return SEXTANT_HTTP_PROVIDER_GET_CLASS (provider)->name;
}

static gboolean
http_get_needs_key (SextantMarketProvider *provider)
{
  return SEXTANT_HTTP_PROVIDER_GET_CLASS (provider)->needs_key;
}

static gboolean
http_get_official (SextantMarketProvider *provider)
{
  return SEXTANT_HTTP_PROVIDER_GET_CLASS (provider)->official;
}

static SextantQuote *
http_parse_quote (SextantMarketProvider        *provider,
                  const SextantMarketResponse  *response,
                  GError                      **error)
{
  SextantHttpProvider *self = SEXTANT_HTTP_PROVIDER (provider);

  return SEXTANT_HTTP_PROVIDER_GET_CLASS (self)->parse_quote (self, response, error);
}

static SextantPriceSeries *
http_parse_daily (SextantMarketProvider        *provider,
                  const SextantMarketResponse  *response,
                  GError                      **error)
{
  SextantHttpProvider *self = SEXTANT_HTTP_PROVIDER (provider);

  return SEXTANT_HTTP_PROVIDER_GET_CLASS (self)->parse_daily (self, response, error);
}

static void
market_provider_iface_init (SextantMarketProviderInterface *iface)
{
  iface->get_id = http_get_id;
  iface->get_name = http_get_name;
  iface->get_needs_key = http_get_needs_key;
  iface->get_official = http_get_official;
  iface->fetch_quote_async = http_fetch_quote_async;
  iface->fetch_quote_finish = http_fetch_quote_finish;
  iface->fetch_daily_async = http_fetch_daily_async;
  iface->fetch_daily_finish = http_fetch_daily_finish;
  iface->parse_quote = http_parse_quote;
  iface->parse_daily = http_parse_daily;
  iface->search_async = http_search_async;
  iface->search_finish = http_search_finish;
  iface->can_search = http_can_search;
}

/**
 * sextant_market_parse_number:
 * @text: a decimal number as a provider writes it (`"50.1000"`, `"-0.6167%"`)
 * @value: (out): the number
 *
 * Alpha Vantage sends every number as a string; a trailing `%` is accepted and dropped.
 *
 * Returns: %TRUE if all of @text was a number
 */
gboolean
sextant_market_parse_number (const char *text,
                             double     *value)
{
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  if (end == text)
    return FALSE;
  if (*end == '%')
    end++;
  while (g_ascii_isspace (*end))
    end++;

  return *end == '\0';
}

/**
 * sextant_market_json_get_number:
 * @object: a JSON object
 * @member: a member name
 *
 * Returns: the member as a number whether the provider sent a number or a numeric string; NaN
 *   when it is missing, null or not numeric
 */
double
sextant_market_json_get_number (JsonObject *object,
                                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return sextant_market_parse_number (json_node_get_string (node), &value) ? value : NAN;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return NAN;

  return json_node_get_double (node);
}

/**
 * sextant_market_json_get_string:
 * @object: a JSON object
 * @member: a member name
 *
 * json-glib's own getters assert (a CRITICAL) when the member is an object or an array, which a
 * provider's answer may hold anywhere.
 *
 * Returns: (nullable): the member's string, or %NULL when it is missing or anything but a string
 */
const char *
sextant_market_json_get_string (JsonObject *object,
                                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/**
 * sextant_market_json_dup_text:
 * @object: a JSON object
 * @member: a member name
 *
 * Returns: (transfer full) (nullable): a copy of the member's string, or %NULL when it is
 *   missing, empty or anything but a string (search results leave optional fields empty)
 */
char *
sextant_market_json_dup_text (JsonObject *object,
                              const char *member)
{
  const char *text = sextant_market_json_get_string (object, member);

  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}
