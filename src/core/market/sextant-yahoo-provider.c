#define G_LOG_DOMAIN "sextant-yahoo-provider"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-market-error.h"
#include "market/sextant-yahoo-provider.h"

/* Yahoo answers 429 to clients that do not look like a browser. */
#define YAHOO_USER_AGENT "Mozilla/5.0 (X11; Linux x86_64) Sextant/" PACKAGE_VERSION

struct _SextantYahooProvider
{
  SextantHttpProvider parent_instance;
};

G_DEFINE_FINAL_TYPE (SextantYahooProvider, sextant_yahoo_provider, SEXTANT_TYPE_HTTP_PROVIDER)

static SoupMessage *
chart_message (SextantHttpProvider *provider,
               const char          *symbol,
               gint32               from_day,
               gint32               to_day)
{
  g_autofree char *escaped = g_uri_escape_string (symbol, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/v8/finance/chart/", escaped, NULL);
  g_autofree char *url = NULL;
  SoupMessage *message;

  if (from_day > 0)
    {
      g_autofree char *p1 = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) from_day * 86400);
      g_autofree char *p2 = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             to_day > 0 ? (gint64) to_day * 86400 + 86399
                                                        : g_get_real_time () / G_USEC_PER_SEC);

      url = sextant_http_provider_build_url (provider, path, "period1", p1, "period2", p2,
                                             "interval", "1d", NULL);
    }
  else
    url = sextant_http_provider_build_url (provider, path, "range", to_day == 0 && from_day < 0 ? "5d" : "1y",
                                           "interval", "1d", NULL);

  message = soup_message_new (SOUP_METHOD_GET, url);
  soup_message_headers_replace (soup_message_get_request_headers (message), "User-Agent",
                                YAHOO_USER_AGENT);

  return message;
}

static SoupMessage *
build_quote_message (SextantHttpProvider  *provider,
                     const char           *symbol,
                     GError              **error)
{
  return chart_message (provider, symbol, -1, 0);
}

static SoupMessage *
build_daily_message (SextantHttpProvider  *provider,
                     const char           *symbol,
                     gint32                from_day,
                     gint32                to_day,
                     GError              **error)
{
  return chart_message (provider, symbol, from_day, to_day);
}

static JsonObject *
parse_result (SextantHttpProvider          *provider,
              const SextantMarketResponse  *response,
              JsonNode                    **root,
              GError                      **error)
{
  JsonObject *object, *chart;
  JsonArray *results;

  if (response->status == 404)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                                       "HTTP 404: unknown symbol “%s” (may be delisted)",
                                       response->symbol);
      return NULL;
    }
  if (response->status == 429)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_RATE_LIMITED,
                                       "HTTP 429: Too Many Requests (Yahoo's chart API is unofficial "
                                       "and throttles without notice)");
      return NULL;
    }
  if (!sextant_http_provider_check_status (provider, response, error) ||
      (*root = sextant_http_provider_parse_json (provider, response, error)) == NULL)
    return NULL;

  object = json_node_get_object (*root);
  chart = object != NULL ? json_object_get_object_member (object, "chart") : NULL;
  results = chart != NULL ? json_object_get_array_member (chart, "result") : NULL;
  if (results == NULL || json_array_get_length (results) == 0 ||
      json_array_get_object_element (results, 0) == NULL)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "no chart result for %s", response->symbol);
      return NULL;
    }

  return json_array_get_object_element (results, 0);
}

static double
element_number (JsonArray *array,
                guint      i)
{
  JsonNode *node = array != NULL ? json_array_get_element (array, i) : NULL;

  /* Arrays hold null for sessions with no trade; those stay gaps, not zeros. */
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NAN;

  return json_node_get_double (node);
}

static SextantPriceSeries *
parse_daily (SextantHttpProvider          *provider,
             const SextantMarketResponse  *response,
             GError                      **error)
{
  static const char *columns[] = { "open", "high", "low", "close", "volume" };
  g_autoptr(JsonNode) root = NULL;
  SextantPriceSeries *series;
  JsonArray *arrays[G_N_ELEMENTS (columns)] = { NULL, };
  JsonObject *result, *meta, *indicators, *quote = NULL;
  JsonArray *times, *quotes;
  gint64 offset;
  guint n;

  if ((result = parse_result (provider, response, &root, error)) == NULL)
    return NULL;
  meta = json_object_get_object_member (result, "meta");
  offset = meta != NULL ? json_object_get_int_member_with_default (meta, "gmtoffset", 0) : 0;
  times = json_object_get_array_member (result, "timestamp");
  indicators = json_object_get_object_member (result, "indicators");
  quotes = indicators != NULL ? json_object_get_array_member (indicators, "quote") : NULL;
  if (quotes != NULL && json_array_get_length (quotes) > 0)
    quote = json_array_get_object_element (quotes, 0);
  if (times == NULL || quote == NULL)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NO_DATA,
                                       "no daily bars for %s", response->symbol);
      return NULL;
    }

  n = json_array_get_length (times);
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      arrays[c] = json_object_get_array_member (quote, columns[c]);
      if (arrays[c] != NULL && json_array_get_length (arrays[c]) != n)
        {
          sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                           "“%s” for %s has %u values for %u timestamps",
                                           columns[c], response->symbol,
                                           json_array_get_length (arrays[c]), n);
          return NULL;
        }
    }

  series = sextant_price_series_new (response->symbol, n);
  for (guint i = 0; i < n; i++)
    {
      /* Timestamps are the session open; shifting by the exchange's UTC offset gives its date. */
      gint32 day = (gint32) floor ((element_number (times, i) + offset) / 86400.0);

      sextant_price_series_set_row (series, i, day, element_number (arrays[0], i),
                                    element_number (arrays[1], i), element_number (arrays[2], i),
                                    element_number (arrays[3], i), element_number (arrays[4], i));
    }

  return series;
}

static SextantQuote *
parse_quote (SextantHttpProvider          *provider,
             const SextantMarketResponse  *response,
             GError                      **error)
{
  g_autoptr(SextantPriceSeries) series = parse_daily (provider, response, error);
  g_autoptr(JsonNode) root = NULL;
  SextantQuote *quote;
  JsonObject *meta;
  const double *close;
  gsize n;

  if (series == NULL)
    return NULL;
  meta = json_object_get_object_member (parse_result (provider, response, &root, NULL), "meta");
  n = sextant_price_series_get_length (series);
  close = sextant_price_series_get_close (series);

  quote = sextant_quote_new (response->symbol, "yahoo");
  quote->price = sextant_market_json_get_number (meta, "regularMarketPrice");
  if (isnan (quote->price) && n > 0)
    quote->price = close[n - 1];
  quote->as_of = json_object_get_int_member_with_default (meta, "regularMarketTime", 0);
  /* chartPreviousClose is the close before the whole range, not the previous session. */
  quote->previous_close = n >= 2 ? close[n - 2] : sextant_market_json_get_number (meta, "chartPreviousClose");
  quote->change = quote->price - quote->previous_close;
  quote->change_percent = 100.0 * quote->change / quote->previous_close;
  if (n > 0)
    {
      quote->open = sextant_price_series_get_open (series)[n - 1];
      quote->high = sextant_price_series_get_high (series)[n - 1];
      quote->low = sextant_price_series_get_low (series)[n - 1];
      quote->volume = sextant_price_series_get_volume (series)[n - 1];
    }
  quote->fetched_at = response->fetched_at;

  return quote;
}

static void
sextant_yahoo_provider_class_init (SextantYahooProviderClass *klass)
{
  SextantHttpProviderClass *http_class = SEXTANT_HTTP_PROVIDER_CLASS (klass);

  http_class->id = "yahoo";
  http_class->name = "Yahoo (unofficial)";
  http_class->default_base_url = "https://query1.finance.yahoo.com";
  http_class->needs_key = FALSE;
  http_class->ranged_daily = TRUE;
  http_class->official = FALSE;
  http_class->build_quote_message = build_quote_message;
  http_class->build_daily_message = build_daily_message;
  http_class->parse_quote = parse_quote;
  http_class->parse_daily = parse_daily;
}

static void
sextant_yahoo_provider_init (SextantYahooProvider *self)
{
}

/**
 * sextant_yahoo_provider_new:
 *
 * Yahoo's chart API has no published terms: the provider is labelled unofficial, is opt-in, and
 * the router never puts it in a default order.
 *
 * Returns: (transfer full): a Yahoo chart provider
 */
SextantMarketProvider *
sextant_yahoo_provider_new (void)
{
  return g_object_new (SEXTANT_TYPE_YAHOO_PROVIDER, NULL);
}
