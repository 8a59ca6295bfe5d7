#define G_LOG_DOMAIN "sextant-treasury-rates"

#include "config.h"

#include <string.h>

#include "base/sextant-endpoint.h"
#include "market/sextant-http-body.h"
#include "market/sextant-market-error.h"
#include "market/sextant-treasury-rates.h"

/* The US Treasury's daily par yield curve, one CSV per year:
 * `GET {base}/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/{year}/all
 *  ?type=daily_treasury_yield_curve&field_tdr_date_value={year}&page&_format=csv`.
 * No key. The parser is sextant_treasury_parse_csv(). */

#define BASE_URL_VARIABLE "SEXTANT_TREASURY_BASE_URL"
#define SOURCE "treasury"

struct _SextantTreasuryRates
{
  GObject      parent_instance;
  SoupSession *session;
  char        *base_url;
};

G_DEFINE_FINAL_TYPE (SextantTreasuryRates, sextant_treasury_rates, G_TYPE_OBJECT)

enum { PROP_0, PROP_SESSION, N_PROPS };

static GParamSpec *properties [N_PROPS];

static void
sextant_treasury_rates_dispose (GObject *object)
{
  SextantTreasuryRates *self = SEXTANT_TREASURY_RATES (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (sextant_treasury_rates_parent_class)->dispose (object);
}

static void
sextant_treasury_rates_finalize (GObject *object)
{
  SextantTreasuryRates *self = SEXTANT_TREASURY_RATES (object);

  g_free (self->base_url);
  G_OBJECT_CLASS (sextant_treasury_rates_parent_class)->finalize (object);
}

static void
sextant_treasury_rates_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SextantTreasuryRates *self = SEXTANT_TREASURY_RATES (object);

  if (prop_id == PROP_SESSION)
    g_value_set_object (value, self->session);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
sextant_treasury_rates_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SextantTreasuryRates *self = SEXTANT_TREASURY_RATES (object);

  if (prop_id == PROP_SESSION)
    g_set_object (&self->session, g_value_get_object (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
sextant_treasury_rates_class_init (SextantTreasuryRatesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sextant_treasury_rates_dispose;
  object_class->finalize = sextant_treasury_rates_finalize;
  object_class->get_property = sextant_treasury_rates_get_property;
  object_class->set_property = sextant_treasury_rates_set_property;

  /**
   * SextantTreasuryRates:session:
   *
   * The session to send with; one is made on first use when unset.
   */
  properties [PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                                                   (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                                                    G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sextant_treasury_rates_init (SextantTreasuryRates *self)
{
}

/**
 * sextant_treasury_rates_new:
 *
 * Returns: (transfer full): a client of the Treasury's own site
 */
SextantTreasuryRates *
sextant_treasury_rates_new (void)
{
  return g_object_new (SEXTANT_TYPE_TREASURY_RATES, NULL);
}

/**
 * sextant_treasury_rates_new_from_environment:
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * A client whose requests go to `SEXTANT_TREASURY_BASE_URL` when it is set; a plain http://
 * address only to this computer unless `SEXTANT_ALLOW_INSECURE_ENDPOINT=1`.
 *
 * Returns: (transfer full): the client, or %NULL for a refused base URL
 */
SextantTreasuryRates *
sextant_treasury_rates_new_from_environment (GError **error)
{
  const char *url = g_getenv (BASE_URL_VARIABLE);
  SextantTreasuryRates *self;

  if (url != NULL && *url != '\0'
      && !sextant_endpoint_check_transport (url, BASE_URL_VARIABLE, SEXTANT_MARKET_ERROR,
                                            SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT, error))
    return NULL;
  self = sextant_treasury_rates_new ();
  sextant_treasury_rates_set_base_url (self, url);
  return self;
}

const char *
sextant_treasury_rates_get_base_url (SextantTreasuryRates *self)
{
  g_return_val_if_fail (SEXTANT_IS_TREASURY_RATES (self), NULL);
  return self->base_url != NULL ? self->base_url : SEXTANT_TREASURY_DEFAULT_BASE_URL;
}

void
sextant_treasury_rates_set_base_url (SextantTreasuryRates *self,
                                     const char           *base_url)
{
  g_return_if_fail (SEXTANT_IS_TREASURY_RATES (self));
  g_clear_pointer (&self->base_url, g_free);
  if (base_url != NULL && *base_url != '\0')
    {
      self->base_url = g_strdup (base_url);
      while (g_str_has_suffix (self->base_url, "/"))
        self->base_url[strlen (self->base_url) - 1] = '\0';
    }
}

/**
 * sextant_treasury_rates_build_url:
 * @self: a client
 * @year: the year whose days are wanted
 *
 * Returns: (transfer full): the request URL
 */
char *
sextant_treasury_rates_build_url (SextantTreasuryRates *self,
                                  int                   year)
{
  return g_strdup_printf ("%s/resource-center/data-chart-center/interest-rates/"
                          "daily-treasury-rates.csv/%d/all?type=daily_treasury_yield_curve"
                          "&field_tdr_date_value=%d&page&_format=csv",
                          sextant_treasury_rates_get_base_url (self), year, year);
}

/**
 * sextant_treasury_rates_parse_response:
 * @response: an answer of the Treasury's site, fresh or from the data lake
 * @error: return location for a #SEXTANT_MARKET_ERROR (prefixed `US Treasury: `)
 *
 * Returns: (transfer full) (element-type SextantParCurve): the year's curves, oldest first
 */
GPtrArray *
sextant_treasury_rates_parse_response (const SextantMarketResponse  *response,
                                       GError                      **error)
{
  g_autoptr(GError) local_error = NULL;
  GPtrArray *curves;
  const char *data;
  gsize len = 0;

  if (response->status == 404)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                   "US Treasury: no par yield curve for %s (HTTP 404)", response->symbol);
      return NULL;
    }
  if (response->status != 200)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_HTTP,
                   "US Treasury: HTTP %u for the par yield curve of %s", response->status,
                   response->symbol);
      return NULL;
    }
  if (sextant_market_response_looks_like_html (response))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_BLOCKED,
                   "US Treasury: an HTML page came back instead of the CSV for %s",
                   response->symbol);
      return NULL;
    }
  data = g_bytes_get_data (response->body, &len);
  curves = sextant_treasury_parse_csv (data, len, SOURCE, &local_error);
  if (curves == NULL)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, local_error->code,
                   "US Treasury: unreadable par yield curve CSV for %s: %s", response->symbol,
                   local_error->message);
      return NULL;
    }
  for (guint i = 0; i < curves->len; i++)
    ((SextantParCurve *) curves->pdata[i])->fetched_at = response->fetched_at;
  return curves;
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = sextant_http_read_body_finish (result, &error);
  g_autofree char *uri = g_uri_to_string (soup_message_get_uri (message));
  SextantMarketResponse *response;
  GPtrArray *curves;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE))
        g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE,
                                 "US Treasury: %s", error->message);
      else
        g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK,
                                 "US Treasury: cannot reach %s: %s", uri, error->message);
      return;
    }
  response = sextant_market_response_new (SOURCE, "par-curve",
                                           g_object_get_data (G_OBJECT (task), "year"),
                                           soup_message_get_status (message),
                                           soup_message_headers_get_content_type (
                                             soup_message_get_response_headers (message), NULL),
                                           body);
  response->url = g_strdup (uri);
  g_object_set_data_full (G_OBJECT (task), "response", response,
                          (GDestroyNotify) sextant_market_response_free);
  if ((curves = sextant_treasury_rates_parse_response (response, &error)) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, curves, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * sextant_treasury_rates_fetch_year_async:
 * @self: a client
 * @year: the year
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Asks for a year's daily par yield curves.
 */
void
sextant_treasury_rates_fetch_year_async (SextantTreasuryRates *self,
                                         int                   year,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = sextant_treasury_rates_build_url (self, year);
  g_autofree char *what = g_strdup_printf ("the answer for %d", year);
  SoupMessage *message = soup_message_new (SOUP_METHOD_GET, url);

  g_task_set_source_tag (task, sextant_treasury_rates_fetch_year_async);
  if (message == NULL)
    {
      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_HTTP,
                               "US Treasury: “%s” is not a URL", url);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "year", g_strdup_printf ("%d", year), g_free);
  g_task_set_task_data (task, message, g_object_unref);
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", 30,
                                                   "user-agent", "Sextant/" PACKAGE_VERSION, NULL);
  sextant_http_read_body_async (self->session, message, SEXTANT_HTTP_MAX_BODY_SIZE, what,
                                cancellable, fetch_cb, g_steal_pointer (&task));
}

/**
 * sextant_treasury_rates_fetch_year_finish:
 * @self: a client
 * @result: the result
 * @response: (out) (optional) (transfer full): the raw answer, for the data lake, when one came
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * Returns: (transfer full) (element-type SextantParCurve): the curves, oldest first
 */
GPtrArray *
sextant_treasury_rates_fetch_year_finish (SextantTreasuryRates   *self,
                                          GAsyncResult           *result,
                                          SextantMarketResponse **response,
                                          GError                **error)
{
  SextantMarketResponse *raw = g_object_get_data (G_OBJECT (result), "response");

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  if (response != NULL)
    *response = raw != NULL ? sextant_market_response_copy (raw) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}
