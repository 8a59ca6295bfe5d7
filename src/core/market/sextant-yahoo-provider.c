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

  if ((object = sextant_http_provider_json_object (provider, *root, "the answer",
                                                   response->symbol, error)) == NULL ||
      (chart = sextant_http_provider_json_get_object (provider, object, "chart", response->symbol,
                                                      error)) == NULL ||
      (results = sextant_http_provider_json_get_array (provider, chart, "result",
                                                       response->symbol, error)) == NULL)
    return NULL;
  if (json_array_get_length (results) == 0)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "no chart result for %s", response->symbol);
      return NULL;
    }

  return sextant_http_provider_json_object (provider, json_array_get_element (results, 0),
                                            "result[0]", response->symbol, error);
}

/* The timestamps and the first "quote" object of "indicators", or NULL and the error. */
static gboolean
get_arrays (SextantHttpProvider          *provider,
            const SextantMarketResponse  *response,
            JsonObject                   *result,
            JsonArray                   **times,
            JsonObject                  **quote,
            GError                      **error)
{
  JsonObject *indicators;
  JsonArray *quotes;

  /* A range with no session has neither timestamps nor values. */
  if (!json_object_has_member (result, "timestamp"))
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NO_DATA,
                                       "no daily bars for %s", response->symbol);
      return FALSE;
    }
  if ((*times = sextant_http_provider_json_get_array (provider, result, "timestamp",
                                                      response->symbol, error)) == NULL ||
      (indicators = sextant_http_provider_json_get_object (provider, result, "indicators",
                                                           response->symbol, error)) == NULL ||
      (quotes = sextant_http_provider_json_get_array (provider, indicators, "quote",
                                                      response->symbol, error)) == NULL)
    return FALSE;
  if (json_array_get_length (quotes) == 0)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NO_DATA,
                                       "no daily bars for %s", response->symbol);
      return FALSE;
    }
  *quote = sextant_http_provider_json_object (provider, json_array_get_element (quotes, 0),
                                              "quote[0]", response->symbol, error);

  return *quote != NULL;
}

static gboolean
get_offset (SextantHttpProvider          *provider,
            const SextantMarketResponse  *response,
            JsonObject                   *result,
            double                       *offset,
            GError                      **error)
{
  JsonObject *meta;

  *offset = 0;
  if (!json_object_has_member (result, "meta"))
    return TRUE;
  if ((meta = sextant_http_provider_json_get_object (provider, result, "meta", response->symbol,
                                                     error)) == NULL ||
      !sextant_http_provider_json_get_number (provider, meta, "gmtoffset", response->symbol,
                                              FALSE, offset, error))
    return FALSE;
  if (isnan (*offset))
    *offset = 0;
  /* Exchanges are at most 14 hours from UTC. */
  if (fabs (*offset) > 14 * 3600)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "“gmtoffset” for %s is %g s", response->symbol, *offset);
      return FALSE;
    }

  return TRUE;
}

static SextantPriceSeries *
parse_daily (SextantHttpProvider          *provider,
             const SextantMarketResponse  *response,
             GError                      **error)
{
  static const char *columns[] = { "open", "high", "low", "close", "volume" };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  JsonArray *arrays[G_N_ELEMENTS (columns)] = { NULL, };
  JsonObject *result, *quote = NULL;
  JsonArray *times = NULL;
  double offset;
  guint n;

  if ((result = parse_result (provider, response, &root, error)) == NULL ||
      !get_offset (provider, response, result, &offset, error) ||
      !get_arrays (provider, response, result, &times, &quote, error))
    return NULL;

  n = json_array_get_length (times);
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      /* A column may be left out (indices have no volume): it stays a gap. */
      if (!json_object_has_member (quote, columns[c]))
        continue;
      if ((arrays[c] = sextant_http_provider_json_get_array (provider, quote, columns[c],
                                                             response->symbol, error)) == NULL)
        return NULL;
      if (json_array_get_length (arrays[c]) != n)
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
      double t, values[G_N_ELEMENTS (columns)];
      g_autofree char *date = NULL;
      g_autofree char *row = NULL;
      gint64 seconds;
      gint32 day;

      if (!sextant_http_provider_json_element_number (provider, times, i, "timestamp",
                                                      response->symbol, &t, error) ||
          !sextant_http_provider_check_timestamp (provider, t, "timestamp", response->symbol,
                                                  &seconds, error))
        return NULL;
      /* Timestamps are the session open; shifting by the exchange's UTC offset gives its date. */
      seconds += (gint64) offset;
      day = (gint32) (seconds / 86400 - (seconds % 86400 < 0));
      date = sextant_day_format_iso (day);
      row = g_strdup_printf ("bar %u (%s) of %s", i + 1, date, response->symbol);
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        {
          values[c] = NAN;
          /* Arrays hold null for sessions with no trade; those stay gaps, not zeros. */
          if (arrays[c] != NULL &&
              !sextant_http_provider_json_element_number (provider, arrays[c], i, columns[c], row,
                                                          &values[c], error))
            return NULL;
        }
      if (!sextant_http_provider_check_bar (provider, row, values[0], values[1], values[2],
                                            values[3], values[4], error))
        return NULL;
      sextant_price_series_set_row (series, i, day, values[0], values[1], values[2], values[3],
                                    values[4]);
    }

  return g_steal_pointer (&series);
}

static SextantQuote *
parse_quote (SextantHttpProvider          *provider,
             const SextantMarketResponse  *response,
             GError                      **error)
{
  g_autoptr(SextantPriceSeries) series = parse_daily (provider, response, error);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  JsonObject *result, *meta = NULL;
  const double *close;
  double market_time = NAN;
  gssize last = -1, previous = -1;
  gsize n;

  if (series == NULL)
    return NULL;
  /* parse_daily() has checked the shape up to here. */
  result = parse_result (provider, response, &root, NULL);
  if (json_object_has_member (result, "meta") &&
      (meta = sextant_http_provider_json_get_object (provider, result, "meta", response->symbol,
                                                     error)) == NULL)
    return NULL;
  n = sextant_price_series_get_length (series);
  close = sextant_price_series_get_close (series);
  /* The newest session may have no trade yet (nulls): the quote is the last real close. */
  for (gssize i = (gssize) n - 1; i >= 0; i--)
    if (!isnan (close[i]))
      {
        if (last < 0)
          last = i;
        else
          {
            previous = i;
            break;
          }
      }

  quote = sextant_quote_new (response->symbol, "yahoo");
  if (meta != NULL &&
      (!sextant_http_provider_json_get_number (provider, meta, "regularMarketPrice",
                                               response->symbol, FALSE, &quote->price, error) ||
       !sextant_http_provider_json_get_number (provider, meta, "regularMarketTime",
                                               response->symbol, FALSE, &market_time, error)))
    return NULL;
  if (!isnan (quote->price) && !isnan (market_time))
    {
      if (!sextant_http_provider_check_timestamp (provider, market_time, "regularMarketTime",
                                                  response->symbol, &quote->as_of, error))
        return NULL;
    }
  else if (last >= 0)
    {
      quote->price = close[last];
      quote->as_of = (gint64) sextant_price_series_get_days (series)[last] * 86400;
    }
  else
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NO_DATA,
                                       "no price for %s (no session with a close)",
                                       response->symbol);
      return NULL;
    }
  /* chartPreviousClose is the close before the whole range, not the previous session. */
  if (previous >= 0)
    quote->previous_close = close[previous];
  else if (meta != NULL &&
           !sextant_http_provider_json_get_number (provider, meta, "chartPreviousClose",
                                                   response->symbol, FALSE,
                                                   &quote->previous_close, error))
    return NULL;
  if (quote->previous_close > 0)
    {
      quote->change = quote->price - quote->previous_close;
      quote->change_percent = 100.0 * quote->change / quote->previous_close;
    }
  if (last >= 0)
    {
      quote->open = sextant_price_series_get_open (series)[last];
      quote->high = sextant_price_series_get_high (series)[last];
      quote->low = sextant_price_series_get_low (series)[last];
      quote->volume = sextant_price_series_get_volume (series)[last];
    }
  quote->fetched_at = response->fetched_at;
  if (!sextant_http_provider_check_quote (provider, quote, error))
    return NULL;

  return g_steal_pointer (&quote);
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
