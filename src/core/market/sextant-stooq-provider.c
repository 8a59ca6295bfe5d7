#define G_LOG_DOMAIN "sextant-stooq-provider"

#include "config.h"

#include <math.h>
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
  /* Stooq's answer to a key that has spent its day is a line of text with HTTP 200. */
  if (g_ascii_strncasecmp (text, "Exceeded the daily hits limit", 29) == 0)
    {
      g_autofree char *line = g_utf8_make_valid (text, MIN (strcspn (text, "\r\n"), 120));

      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_RATE_LIMITED,
                                       "the key's daily allowance is spent, requests per day "
                                       "resume tomorrow (“%s”)", line);
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

static gboolean
check_bars (SextantHttpProvider  *provider,
            SextantPriceSeries   *series,
            GError              **error)
{
  gsize n = sextant_price_series_get_length (series);
  const gint32 *days = sextant_price_series_get_days (series);
  const double *open = sextant_price_series_get_open (series);
  const double *high = sextant_price_series_get_high (series);
  const double *low = sextant_price_series_get_low (series);
  const double *close = sextant_price_series_get_close (series);
  const double *volume = sextant_price_series_get_volume (series);

  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *date = sextant_day_format_iso (days[i]);
      g_autofree char *row = g_strdup_printf ("bar %" G_GSIZE_FORMAT " (%s) of %s", i + 1, date,
                                              sextant_price_series_get_symbol (series));

      if (!sextant_http_provider_check_bar (provider, row, open[i], high[i], low[i], close[i],
                                            volume[i], error))
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
  if (!check_bars (provider, series, error))
    {
      sextant_price_series_unref (series);
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
  /* The newest row may have no close yet: the quote is the last real one. */
  while (n > 0 && isnan (close[n - 1]))
    n--;
  if (n == 0)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NO_DATA,
                                       "no close for %s", response->symbol);
      return NULL;
    }
  quote = sextant_quote_new (response->symbol, "stooq");
  quote->price = close[n - 1];
  quote->open = sextant_price_series_get_open (series)[n - 1];
  quote->high = sextant_price_series_get_high (series)[n - 1];
  quote->low = sextant_price_series_get_low (series)[n - 1];
  quote->volume = sextant_price_series_get_volume (series)[n - 1];
  if (n >= 2 && !isnan (close[n - 2]))
    {
      quote->previous_close = close[n - 2];
      quote->change = close[n - 1] - close[n - 2];
      quote->change_percent = 100.0 * quote->change / close[n - 2];
    }
  quote->as_of = (gint64) sextant_price_series_get_days (series)[n - 1] * 86400;
  quote->fetched_at = response->fetched_at;
  if (!sextant_http_provider_check_quote (provider, quote, error))
    {
      sextant_quote_free (quote);
      return NULL;
    }

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
