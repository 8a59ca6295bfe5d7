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

/* Finnhub's error bodies are {"error": "…"}; that text is kept in every message. */
static char *
dup_error_text (const SextantMarketResponse *response)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (response->body, &len);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonNode *member;

  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  member = json_object_get_member (json_node_get_object (root), "error");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;

  return g_utf8_make_valid (json_node_get_string (member), MIN (strlen (json_node_get_string (member)), 200));
}

/* Finnhub says 401 both for a wrong key and, for some non-US symbols, for "not on your plan";
 * the body tells which. A 403 is "not on your plan" for whatever was asked: candles on the free
 * plan, but also a quote of a market the plan lacks. */
static gboolean
check_finnhub_status (SextantHttpProvider          *provider,
                      const SextantMarketResponse  *response,
                      GError                      **error)
{
  g_autofree char *text = NULL;
  const char *what = g_strcmp0 (response->kind, "daily") == 0 ? "daily candles"
                     : g_strcmp0 (response->kind, "search") == 0 ? "symbol search"
                     : "quotes";

  if (response->status != 401 && response->status != 403 && response->status != 429)
    return sextant_http_provider_check_status (provider, response, error);

  text = dup_error_text (response);
  if (text == NULL)
    text = g_strdup ("no error text");
  if (response->status == 401 && strstr (text, "access") != NULL)
    sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NOT_ENTITLED,
                                     "HTTP 401: the plan has no access to %s for %s (“%s”)", what,
                                     response->symbol, text);
  else if (response->status == 401)
    sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_AUTH,
                                     "HTTP 401: the API key was refused (“%s”)", text);
  else if (response->status == 403)
    sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NOT_ENTITLED,
                                     "HTTP 403: %s for %s are not on this plan (“%s”)", what,
                                     response->symbol, text);
  else
    sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_RATE_LIMITED,
                                     "HTTP 429: API limit reached, 60 calls a minute on the free "
                                     "plan (“%s”)", text);

  return FALSE;
}

static JsonObject *
parse_object (SextantHttpProvider          *provider,
              const SextantMarketResponse  *response,
              JsonNode                    **root,
              GError                      **error)
{
  JsonObject *object;
  JsonNode *message;

  if (!check_finnhub_status (provider, response, error))
    return NULL;
  if ((*root = sextant_http_provider_parse_json (provider, response, error)) == NULL)
    return NULL;
  if ((object = sextant_http_provider_json_object (provider, *root, "the answer", response->symbol,
                                                   error)) == NULL)
    return NULL;
  if ((message = json_object_get_member (object, "error")) != NULL)
    {
      const char *text = JSON_NODE_HOLDS_VALUE (message) &&
                         json_node_get_value_type (message) == G_TYPE_STRING
                         ? json_node_get_string (message) : "an error without text";

      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_HTTP, "%s", text);
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
  if (!sextant_http_provider_json_get_number (provider, object, "c", response->symbol, FALSE,
                                              &quote->price, error) ||
      !sextant_http_provider_json_get_number (provider, object, "t", response->symbol, FALSE,
                                              &t, error))
    return NULL;
  /* An unknown symbol is HTTP 200 with zeros and nulls. */
  if ((isnan (quote->price) || quote->price == 0.0) && (isnan (t) || t == 0.0))
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                                       "unknown symbol “%s” (an all-zero quote came back)",
                                       response->symbol);
      return NULL;
    }
  if (!sextant_http_provider_json_get_number (provider, object, "d", response->symbol, FALSE,
                                              &quote->change, error) ||
      !sextant_http_provider_json_get_number (provider, object, "dp", response->symbol, FALSE,
                                              &quote->change_percent, error) ||
      !sextant_http_provider_json_get_number (provider, object, "h", response->symbol, FALSE,
                                              &quote->high, error) ||
      !sextant_http_provider_json_get_number (provider, object, "l", response->symbol, FALSE,
                                              &quote->low, error) ||
      !sextant_http_provider_json_get_number (provider, object, "o", response->symbol, FALSE,
                                              &quote->open, error) ||
      !sextant_http_provider_json_get_number (provider, object, "pc", response->symbol, FALSE,
                                              &quote->previous_close, error) ||
      !sextant_http_provider_check_timestamp (provider, t, "t", response->symbol, &quote->as_of,
                                              error))
    return NULL;
  /* Outside a session Finnhub fills the session's fields with zeros: not prices. */
  if (quote->open == 0.0 && quote->high == 0.0 && quote->low == 0.0)
    quote->open = quote->high = quote->low = NAN;
  /* A first session has no previous close: zero there is "none", and so is the change from it. */
  if (quote->previous_close == 0.0)
    quote->previous_close = quote->change = quote->change_percent = NAN;
  quote->fetched_at = response->fetched_at;
  if (!sextant_http_provider_check_quote (provider, quote, error))
    return NULL;

  return g_steal_pointer (&quote);
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
  JsonNode *status;
  guint n;

  if ((object = parse_object (provider, response, &root, error)) == NULL)
    return NULL;
  status = json_object_get_member (object, "s");
  if (status != NULL && JSON_NODE_HOLDS_VALUE (status) &&
      json_node_get_value_type (status) == G_TYPE_STRING &&
      g_strcmp0 (json_node_get_string (status), "no_data") == 0)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NO_DATA,
                                       "no daily bars for %s in the requested range",
                                       response->symbol);
      return NULL;
    }
  if ((times = sextant_http_provider_json_get_array (provider, object, "t", response->symbol,
                                                     error)) == NULL)
    return NULL;
  n = json_array_get_length (times);
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      arrays[c] = sextant_http_provider_json_get_array (provider, object, columns[c],
                                                        response->symbol, error);
      if (arrays[c] == NULL)
        return NULL;
      if (json_array_get_length (arrays[c]) != n)
        {
          sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                           "candle arrays for %s are of unequal length (“%s” has "
                                           "%u values for %u times)", response->symbol,
                                           columns[c], json_array_get_length (arrays[c]), n);
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

      if (!sextant_http_provider_json_element_number (provider, times, i, "t", response->symbol,
                                                      &t, error) ||
          !sextant_http_provider_check_timestamp (provider, t, "t", response->symbol, &seconds,
                                                  error))
        return NULL;
      /* Candle times are midnight UTC of the session day. */
      day = (gint32) (seconds / 86400 - (seconds % 86400 < 0));
      date = sextant_day_format_iso (day);
      row = g_strdup_printf ("candle %u (%s) of %s", i + 1, date, response->symbol);
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        if (!sextant_http_provider_json_element_number (provider, arrays[c], i, columns[c], row,
                                                        &values[c], error))
          return NULL;
      if (!sextant_http_provider_check_bar (provider, row, values[0], values[1], values[2],
                                            values[3], values[4], error))
        return NULL;
      sextant_price_series_set_row (series, i, day, values[0], values[1], values[2], values[3],
                                    values[4]);
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
  if ((result = sextant_http_provider_json_get_array (provider, object, "result",
                                                      response->symbol, error)) == NULL)
    return NULL;

  matches = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_symbol_match_free);
  for (guint i = 0; i < json_array_get_length (result); i++)
    {
      JsonNode *node = json_array_get_element (result, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *symbol;
      SextantSymbolMatch *match;

      if (item == NULL ||
          (symbol = sextant_market_json_get_string (item, "symbol")) == NULL)
        continue;
      match = sextant_symbol_match_new (symbol, "finnhub");
      match->name = sextant_market_json_dup_text (item, "description");
      match->type = sextant_market_json_dup_text (item, "type");
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
