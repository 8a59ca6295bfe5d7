#define G_LOG_DOMAIN "sextant-stooq-provider"

#include "config.h"

#include <string.h>

#include "market/sextant-csv-reader.h"
#include "market/sextant-market-error.h"
#include "market/sextant-stooq-provider.h"

struct _SextantStooqProvider
{
  SextantHttpProvider parent_instance;
};

G_DEFINE_FINAL_TYPE (SextantStooqProvider, sextant_stooq_provider, SEXTANT_TYPE_HTTP_PROVIDER)

/**
 * sextant_stooq_provider_map_symbol:
 * @symbol: a ticker as users type it (`MSFT`, `^SPX`, `sap.de`)
 *
 * Stooq wants lower case and a market suffix; a bare ticker is taken to be a US listing, and
 * indices (`^…`) and symbols that already have a suffix are kept.
 *
 * Returns: (transfer full): the Stooq symbol
 */
char *
sextant_stooq_provider_map_symbol (const char *symbol)
{
  g_autofree char *lower = g_ascii_strdown (symbol, -1);

  if (lower[0] == '^' || strchr (lower, '.') != NULL)
    return g_steal_pointer (&lower);

  return g_strconcat (lower, ".us", NULL);
}

static char *
format_day (gint32 day)
{
  int y, m, d;

  if (day <= 0 || !sextant_day_to_ymd (day, &y, &m, &d))
    return NULL;

  return g_strdup_printf ("%04d%02d%02d", y, m, d);
}

static SoupMessage *
build_daily_message (SextantHttpProvider  *provider,
                     const char           *symbol,
                     gint32                from_day,
                     gint32                to_day,
                     GError              **error)
{
  g_autofree char *stooq_symbol = sextant_stooq_provider_map_symbol (symbol);
  g_autofree char *d1 = format_day (from_day);
  g_autofree char *d2 = format_day (to_day);
  g_autofree char *url = sextant_http_provider_build_url (provider, "/q/d/l/",
                                                          "s", stooq_symbol, "i", "d",
                                                          "d1", d1, "d2", d2,
                                                          "apikey", sextant_http_provider_get_api_key (provider),
                                                          NULL);

  return soup_message_new (SOUP_METHOD_GET, url);
}

/* Stooq has no quote endpoint in its keyed API; the last two daily bars give the last close and
 * its change, which is what a free end-of-day source can honestly offer. */
static SoupMessage *
build_quote_message (SextantHttpProvider  *provider,
                     const char           *symbol,
                     GError              **error)
{
  return build_daily_message (provider, symbol, 0, 0, error);
}

static gboolean
check_body (SextantHttpProvider          *provider,
            const SextantMarketResponse  *response,
            GError                      **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (response->body, &len);
  g_autofree char *text = NULL;

  if (!sextant_http_provider_check_status (provider, response, error))
    return FALSE;
  if (sextant_market_response_looks_like_html (response))
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_BLOCKED,
                                       "Stooq blocked this request / needs a key (an HTML page "
                                       "came back with HTTP %u for %s)", response->status,
                                       response->symbol);
      return FALSE;
    }
  text = g_strstrip (g_strndup (data != NULL ? data : "", len));
  if (*text == '\0')
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_EMPTY,
                                       "empty body for %s", response->symbol);
      return FALSE;
    }
  if (g_ascii_strncasecmp (text, "No data", 7) == 0)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                                       "no data for “%s” (unknown symbol, or no bars in range)",
                                       response->symbol);
      return FALSE;
    }
  if (response->content_type != NULL && strstr (response->content_type, "csv") == NULL &&
      !g_str_has_prefix (response->content_type, "text/"))
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_CONTENT_TYPE,
                                       "%s instead of CSV for %s", response->content_type,
                                       response->symbol);
      return FALSE;
    }

  return TRUE;
}

static SextantPriceSeries *
parse_daily (SextantHttpProvider          *provider,
             const SextantMarketResponse  *response,
             GError                      **error)
{
  g_autoptr(GError) local_error = NULL;
  SextantPriceSeries *series;
  gsize len = 0;
  const char *data;

  if (!check_body (provider, response, error))
    return NULL;

  data = g_bytes_get_data (response->body, &len);
  series = sextant_csv_parse_price_series (data, len, response->symbol, &local_error);
  if (series == NULL)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "unreadable CSV for %s: %s", response->symbol,
                                       local_error->message);
      return NULL;
    }
  if (sextant_price_series_get_length (series) == 0)
    {
      sextant_price_series_unref (series);
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NO_DATA,
                                       "no daily bars for %s", response->symbol);
      return NULL;
    }

  return series;
}

static SextantQuote *
parse_quote (SextantHttpProvider          *provider,
             const SextantMarketResponse  *response,
             GError                      **error)
{
  g_autoptr(SextantPriceSeries) series = parse_daily (provider, response, error);
  SextantQuote *quote;
  const double *close;
  gsize n;

  if (series == NULL)
    return NULL;

  n = sextant_price_series_get_length (series);
  close = sextant_price_series_get_close (series);
  quote = sextant_quote_new (response->symbol, "stooq");
  quote->price = close[n - 1];
  quote->open = sextant_price_series_get_open (series)[n - 1];
  quote->high = sextant_price_series_get_high (series)[n - 1];
  quote->low = sextant_price_series_get_low (series)[n - 1];
  quote->volume = sextant_price_series_get_volume (series)[n - 1];
  if (n >= 2)
    {
      quote->previous_close = close[n - 2];
      quote->change = close[n - 1] - close[n - 2];
      quote->change_percent = 100.0 * quote->change / close[n - 2];
    }
  quote->as_of = (gint64) sextant_price_series_get_days (series)[n - 1] * 86400;
  quote->fetched_at = response->fetched_at;

  return quote;
}

static void
sextant_stooq_provider_class_init (SextantStooqProviderClass *klass)
{
  SextantHttpProviderClass *http_class = SEXTANT_HTTP_PROVIDER_CLASS (klass);

  http_class->id = "stooq";
  http_class->name = "Stooq";
  http_class->default_base_url = "https://stooq.com";
  http_class->needs_key = TRUE;
  http_class->ranged_daily = TRUE;
  http_class->official = TRUE;
  http_class->build_quote_message = build_quote_message;
  http_class->build_daily_message = build_daily_message;
  http_class->parse_quote = parse_quote;
  http_class->parse_daily = parse_daily;
}

static void
sextant_stooq_provider_init (SextantStooqProvider *self)
{
}

/**
 * sextant_stooq_provider_new:
 *
 * Returns: (transfer full): a Stooq daily-CSV provider (a key is required since 2026)
 */
SextantMarketProvider *
sextant_stooq_provider_new (void)
{
  return g_object_new (SEXTANT_TYPE_STOOQ_PROVIDER, NULL);
}
