#define G_LOG_DOMAIN "sextant-finnhub-provider"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-finnhub-provider.h"
#include "market/sextant-market-error.h"

struct _SextantFinnhubProvider
{
  SextantHttpProvider parent_instance;
};

G_DEFINE_FINAL_TYPE (SextantFinnhubProvider, sextant_finnhub_provider, SEXTANT_TYPE_HTTP_PROVIDER)

/* The key goes in a header rather than the query so that it never lands in a URL that a proxy or
 * a log might keep. */
static SoupMessage *
message_with_token (SextantHttpProvider *provider,
                    const char          *url)
{
  SoupMessage *message = soup_message_new (SOUP_METHOD_GET, url);

  soup_message_headers_replace (soup_message_get_request_headers (message), "X-Finnhub-Token",
                                sextant_http_provider_get_api_key (provider));

  return message;
}

static SoupMessage *
build_quote_message (SextantHttpProvider  *provider,
                     const char           *symbol,
                     GError              **error)
{
  g_autofree char *url = sextant_http_provider_build_url (provider, "/quote", "symbol", symbol,
                                                          NULL);

  return message_with_token (provider, url);
}

static SoupMessage *
build_daily_message (SextantHttpProvider  *provider,
                     const char           *symbol,
                     gint32                from_day,
                     gint32                to_day,
                     GError              **error)
{
  gint64 to = to_day > 0 ? (gint64) to_day * 86400 + 86399 : g_get_real_time () / G_USEC_PER_SEC;
  gint64 from = from_day > 0 ? (gint64) from_day * 86400 : to - 366 * 86400;
  g_autofree char *from_text = g_strdup_printf ("%" G_GINT64_FORMAT, from);
  g_autofree char *to_text = g_strdup_printf ("%" G_GINT64_FORMAT, to);
  g_autofree char *url = sextant_http_provider_build_url (provider, "/stock/candle",
                                                          "symbol", symbol, "resolution", "D",
                                                          "from", from_text, "to", to_text, NULL);

  return message_with_token (provider, url);
}

/* Finnhub says 401 both for a wrong key and, for some non-US symbols, for "not on your plan";
 * the body tells which. */
static gboolean
check_finnhub_status (SextantHttpProvider          *provider,
                      const SextantMarketResponse  *response,
                      GError                      **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (response->body, &len);
  g_autofree char *body = g_strndup (data != NULL ? data : "", len);

  if (response->status == 401 && strstr (body, "access") != NULL)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NOT_ENTITLED,
                                       "HTTP 401: the plan has no access to %s", response->symbol);
      return FALSE;
    }
  if (response->status == 401)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_AUTH,
                                       "HTTP 401: the API key was refused");
      return FALSE;
    }
  if (response->status == 403)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NOT_ENTITLED,
                                       "HTTP 403: daily candles for %s are not on this plan",
                                       response->symbol);
      return FALSE;
    }
  if (response->status == 429)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_RATE_LIMITED,
                                       "HTTP 429: API limit reached (60 calls a minute on the free plan)");
      return FALSE;
    }

  return sextant_http_provider_check_status (provider, response, error);
}

static JsonObject *
parse_object (SextantHttpProvider          *provider,
              const SextantMarketResponse  *response,
              JsonNode                    **root,
              GError                      **error)
{
  JsonObject *object;

  if (!check_finnhub_status (provider, response, error))
    return NULL;
  if ((*root = sextant_http_provider_parse_json (provider, response, error)) == NULL)
    return NULL;
  if ((object = json_node_get_object (*root)) == NULL)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "expected a JSON object for %s", response->symbol);
      return NULL;
    }
  if (json_object_has_member (object, "error"))
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_HTTP, "%s",
                                       json_object_get_string_member_with_default (object, "error",
                                                                                   "error"));
      return NULL;
    }

  return object;
}

static SextantQuote *
parse_quote (SextantHttpProvider          *provider,
             const SextantMarketResponse  *response,
             GError                      **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  JsonObject *object;
  double t;

  if ((object = parse_object (provider, response, &root, error)) == NULL)
    return NULL;

  quote = sextant_quote_new (response->symbol, "finnhub");
  quote->price = sextant_market_json_get_number (object, "c");
  t = sextant_market_json_get_number (object, "t");
  /* An unknown symbol is HTTP 200 with zeros and nulls. */
  if (isnan (quote->price) || isnan (t) || (quote->price == 0.0 && t == 0.0))
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                                       "unknown symbol “%s” (an all-zero quote came back)",
                                       response->symbol);
      return NULL;
    }
  quote->change = sextant_market_json_get_number (object, "d");
  quote->change_percent = sextant_market_json_get_number (object, "dp");
  quote->high = sextant_market_json_get_number (object, "h");
  quote->low = sextant_market_json_get_number (object, "l");
  quote->open = sextant_market_json_get_number (object, "o");
  quote->previous_close = sextant_market_json_get_number (object, "pc");
  quote->as_of = (gint64) t;
  quote->fetched_at = response->fetched_at;

  return g_steal_pointer (&quote);
}

static double
array_number (JsonArray *array,
              guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NAN;

  return json_node_get_double (node);
}

static SextantPriceSeries *
parse_daily (SextantHttpProvider          *provider,
             const SextantMarketResponse  *response,
             GError                      **error)
{
  static const char *columns[] = { "o", "h", "l", "c", "v" };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  JsonArray *arrays[G_N_ELEMENTS (columns)];
  JsonObject *object;
  JsonArray *times;
  guint n;

  if ((object = parse_object (provider, response, &root, error)) == NULL)
    return NULL;
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "s", ""), "no_data") == 0)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NO_DATA,
                                       "no daily bars for %s in the requested range",
                                       response->symbol);
      return NULL;
    }
  times = json_object_get_array_member (object, "t");
  n = times != NULL ? json_array_get_length (times) : 0;
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      arrays[c] = json_object_get_array_member (object, columns[c]);
      if (times == NULL || arrays[c] == NULL || json_array_get_length (arrays[c]) != n)
        {
          sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                           "candle arrays for %s are missing or of unequal length",
                                           response->symbol);
          return NULL;
        }
    }

  series = sextant_price_series_new (response->symbol, n);
  for (guint i = 0; i < n; i++)
    {
      /* Candle times are midnight UTC of the session day. */
      gint32 day = (gint32) floor (array_number (times, i) / 86400.0);

      sextant_price_series_set_row (series, i, day, array_number (arrays[0], i),
                                    array_number (arrays[1], i), array_number (arrays[2], i),
                                    array_number (arrays[3], i), array_number (arrays[4], i));
    }

  return g_steal_pointer (&series);
}

static SoupMessage *
build_search_message (SextantHttpProvider  *provider,
                      const char           *query,
                      GError              **error)
{
  g_autofree char *url = sextant_http_provider_build_url (provider, "/search", "q", query, NULL);

  return message_with_token (provider, url);
}

static char *
dup_member (JsonObject *object,
            const char *member)
{
  const char *text = json_object_get_string_member_with_default (object, member, NULL);

  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/* `/search` answers {"count": N, "result": [{"description", "displaySymbol", "symbol",
 * "type"}]}; it gives no score, so an exact symbol is marked as the best. */
static GPtrArray *
parse_search (SextantHttpProvider          *provider,
              const SextantMarketResponse  *response,
              GError                      **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  JsonObject *object;
  JsonArray *result;

  if ((object = parse_object (provider, response, &root, error)) == NULL)
    return NULL;
  result = json_object_has_member (object, "result")
         ? json_object_get_array_member (object, "result") : NULL;
  if (result == NULL)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "no “result” array for “%s”", response->symbol);
      return NULL;
    }

  matches = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_symbol_match_free);
  for (guint i = 0; i < json_array_get_length (result); i++)
    {
      JsonObject *item = json_array_get_object_element (result, i);
      const char *symbol;
      SextantSymbolMatch *match;

      if (item == NULL ||
          (symbol = json_object_get_string_member_with_default (item, "symbol", NULL)) == NULL)
        continue;
      match = sextant_symbol_match_new (symbol, "finnhub");
      match->name = dup_member (item, "description");
      match->type = dup_member (item, "type");
      match->score = g_ascii_strcasecmp (symbol, response->symbol) == 0 ? 1.0 : NAN;
      g_ptr_array_add (matches, match);
    }

  return g_steal_pointer (&matches);
}

static void
sextant_finnhub_provider_class_init (SextantFinnhubProviderClass *klass)
{
  SextantHttpProviderClass *http_class = SEXTANT_HTTP_PROVIDER_CLASS (klass);

  http_class->id = "finnhub";
  http_class->name = "Finnhub";
  http_class->default_base_url = "https://finnhub.io/api/v1";
  http_class->needs_key = TRUE;
  http_class->ranged_daily = TRUE;
  http_class->official = TRUE;
  http_class->build_quote_message = build_quote_message;
  http_class->build_daily_message = build_daily_message;
  http_class->parse_quote = parse_quote;
  http_class->parse_daily = parse_daily;
  http_class->build_search_message = build_search_message;
  http_class->parse_search = parse_search;
}

static void
sextant_finnhub_provider_init (SextantFinnhubProvider *self)
{
}

/**
 * sextant_finnhub_provider_new:
 *
 * Returns: (transfer full): a Finnhub provider (`/quote`; `/stock/candle` where the plan allows)
 */
SextantMarketProvider *
sextant_finnhub_provider_new (void)
{
  return g_object_new (SEXTANT_TYPE_FINNHUB_PROVIDER, NULL);
}
