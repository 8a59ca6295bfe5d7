#define G_LOG_DOMAIN "sextant-alpha-vantage-provider"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-alpha-vantage-provider.h"
#include "market/sextant-market-error.h"

struct _SextantAlphaVantageProvider
{
  SextantHttpProvider parent_instance;
  gboolean            full_history;
};

G_DEFINE_FINAL_TYPE (SextantAlphaVantageProvider, sextant_alpha_vantage_provider,
                     SEXTANT_TYPE_HTTP_PROVIDER)

static SoupMessage *
build_quote_message (SextantHttpProvider  *provider,
                     const char           *symbol,
                     GError              **error)
{
  g_autofree char *url = sextant_http_provider_build_url (provider, "/query",
                                                          "function", "GLOBAL_QUOTE",
                                                          "symbol", symbol,
                                                          "apikey", sextant_http_provider_get_api_key (provider),
                                                          NULL);

  return soup_message_new (SOUP_METHOD_GET, url);
}

static SoupMessage *
build_daily (SextantHttpProvider *provider,
             const char          *symbol,
             gboolean             full)
{
  g_autofree char *url = sextant_http_provider_build_url (provider, "/query",
                                                          "function", "TIME_SERIES_DAILY",
                                                          "symbol", symbol,
                                                          "outputsize", full ? "full" : "compact",
                                                          "apikey", sextant_http_provider_get_api_key (provider),
                                                          NULL);

  return soup_message_new (SOUP_METHOD_GET, url);
}

static SoupMessage *
build_daily_message (SextantHttpProvider  *provider,
                     const char           *symbol,
                     gint32                from_day,
                     gint32                to_day,
                     GError              **error)
{
  /* Compact (the last 100 bars) is all the free plan gives; the range is applied by the cache. */
  return build_daily (provider, symbol, SEXTANT_ALPHA_VANTAGE_PROVIDER (provider)->full_history);
}

static SoupMessage *
retry_daily_message (SextantHttpProvider *provider,
                     const char          *symbol,
                     gint32               from_day,
                     gint32               to_day,
                     const GError        *error)
{
  if (SEXTANT_ALPHA_VANTAGE_PROVIDER (provider)->full_history &&
      g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_ENTITLED))
    {
      g_debug ("outputsize=full refused as premium; retrying with compact");
      return build_daily (provider, symbol, FALSE);
    }

  return NULL;
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  g_autofree char *lower = g_ascii_strdown (haystack, -1);

  return strstr (lower, needle) != NULL;
}

/* All of Alpha Vantage's errors arrive with HTTP 200 under "Note", "Information" or "Error
 * Message", and the same key is used for different causes: only the text tells them apart. */
static SextantMarketError
classify_message (const char *text)
{
  if (contains (text, "apikey") && (contains (text, "invalid") || contains (text, "missing")))
    return SEXTANT_MARKET_ERROR_AUTH;
  /* The shared `demo` key answers only for the documentation's examples. */
  if (contains (text, "demo") && contains (text, "api key"))
    return SEXTANT_MARKET_ERROR_AUTH;
  if (contains (text, "premium feature") || contains (text, "premium endpoint"))
    return SEXTANT_MARKET_ERROR_NOT_ENTITLED;
  if (contains (text, "rate limit") || contains (text, "call frequency") ||
      contains (text, "requests per day") || contains (text, "calls per minute") ||
      contains (text, "spreading out") || contains (text, "per second"))
    return SEXTANT_MARKET_ERROR_RATE_LIMITED;
  if (contains (text, "invalid api call"))
    return SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL;

  return SEXTANT_MARKET_ERROR_HTTP;
}

static JsonObject *
parse_object (SextantHttpProvider          *provider,
              const SextantMarketResponse  *response,
              JsonNode                    **root,
              GError                      **error)
{
  static const char *error_members[] = { "Error Message", "Information", "Note" };
  JsonObject *object;

  if (!sextant_http_provider_check_status (provider, response, error))
    return NULL;
  if ((*root = sextant_http_provider_parse_json (provider, response, error)) == NULL)
    return NULL;
  if ((object = sextant_http_provider_json_object (provider, *root, "the answer", response->symbol,
                                                   error)) == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (error_members); i++)
    {
      const char *text = sextant_market_json_get_string (object, error_members[i]);
      SextantMarketError code;

      if (text == NULL)
        continue;
      code = classify_message (text);
      sextant_http_provider_set_error (provider, error, code, "%s for %s: %s",
                                       code == SEXTANT_MARKET_ERROR_AUTH ? "the API key was refused"
                                       : code == SEXTANT_MARKET_ERROR_NOT_ENTITLED ? "not on this plan"
                                       : code == SEXTANT_MARKET_ERROR_RATE_LIMITED ? "rate limit reached"
                                       : code == SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL ? "unknown symbol"
                                       : "request refused",
                                       response->symbol, text);
      return NULL;
    }

  return object;
}

static gboolean
get_numbers (SextantHttpProvider  *provider,
             JsonObject           *object,
             const char           *symbol,
             const char * const   *members,
             double * const       *values,
             GError              **error)
{
  for (guint i = 0; members[i] != NULL; i++)
    if (!sextant_http_provider_json_get_number (provider, object, members[i], symbol, FALSE,
                                                values[i], error))
      return FALSE;

  return TRUE;
}

static SextantQuote *
parse_quote (SextantHttpProvider          *provider,
             const SextantMarketResponse  *response,
             GError                      **error)
{
  static const char * const members[] = { "05. price", "02. open", "03. high", "04. low",
                                          "06. volume", "08. previous close", "09. change",
                                          "10. change percent", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  JsonObject *object, *global;
  JsonNode *day_node;
  const char *day_text;
  gint32 day;

  if ((object = parse_object (provider, response, &root, error)) == NULL)
    return NULL;
  if ((global = sextant_http_provider_json_get_object (provider, object, "Global Quote",
                                                       response->symbol, error)) == NULL)
    return NULL;

  quote = sextant_quote_new (response->symbol, "alphavantage");
  /* An unknown symbol is an empty object, or on some days one filled with zeros. */
  if (json_object_get_size (global) == 0)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                                       "unknown symbol “%s” (an empty quote came back)",
                                       response->symbol);
      return NULL;
    }
  {
    double * const values[] = { &quote->price, &quote->open, &quote->high, &quote->low,
                                &quote->volume, &quote->previous_close, &quote->change,
                                &quote->change_percent };

    if (!get_numbers (provider, global, response->symbol, members, values, error))
      return NULL;
  }
  if (quote->price == 0.0)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                                       "unknown symbol “%s” (a quote of zeros came back)",
                                       response->symbol);
      return NULL;
    }
  day_node = json_object_get_member (global, "07. latest trading day");
  day_text = day_node != NULL && JSON_NODE_HOLDS_VALUE (day_node) &&
             json_node_get_value_type (day_node) == G_TYPE_STRING
             ? json_node_get_string (day_node) : NULL;
  if (day_text == NULL || !sextant_day_parse_iso (day_text, &day))
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "“07. latest trading day” for %s is not a date",
                                       response->symbol);
      return NULL;
    }
  quote->as_of = (gint64) day * 86400;
  quote->fetched_at = response->fetched_at;
  if (!sextant_http_provider_check_quote (provider, quote, error))
    return NULL;

  return g_steal_pointer (&quote);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
fill_bar (SextantHttpProvider  *provider,
          SextantPriceSeries   *series,
          gsize                 row,
          const char           *date,
          JsonNode             *node,
          GError              **error)
{
  static const char * const members[] = { "1. open", "2. high", "3. low", "4. close", "5. volume",
                                          NULL };
  const char *symbol = sextant_price_series_get_symbol (series);
  g_autofree char *label = g_strdup_printf ("bar “%s” of %s", date, symbol);
  double open, high, low, close, volume;
  double * const values[] = { &open, &high, &low, &close, &volume };
  JsonObject *bar;
  gint32 day;

  if (!sextant_day_parse_iso (date, &day))
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "bar “%s” of %s is not dated", date, symbol);
      return FALSE;
    }
  if ((bar = sextant_http_provider_json_object (provider, node, label, symbol, error)) == NULL ||
      !get_numbers (provider, bar, label, members, values, error))
    return FALSE;
  if (isnan (close))
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "%s has no “4. close”", label);
      return FALSE;
    }
  if (!sextant_http_provider_check_bar (provider, label, open, high, low, close, volume, error))
    return FALSE;
  sextant_price_series_set_row (series, row, day, open, high, low, close, volume);

  return TRUE;
}

static SextantPriceSeries *
parse_daily (SextantHttpProvider          *provider,
             const SextantMarketResponse  *response,
             GError                      **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autoptr(GPtrArray) dates = NULL;
  JsonObject *object, *bars;
  GList *members;

  if ((object = parse_object (provider, response, &root, error)) == NULL)
    return NULL;
  if ((bars = sextant_http_provider_json_get_object (provider, object, "Time Series (Daily)",
                                                     response->symbol, error)) == NULL)
    return NULL;
  if (json_object_get_size (bars) == 0)
    {
      sextant_http_provider_set_error (provider, error, SEXTANT_MARKET_ERROR_NO_DATA,
                                       "no daily bars for %s", response->symbol);
      return NULL;
    }

  /* Dates are object keys, newest first; ISO dates sort as strings. */
  dates = g_ptr_array_new ();
  members = json_object_get_members (bars);
  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (dates, l->data);
  g_list_free (members);
  g_ptr_array_sort (dates, compare_strings);

  series = sextant_price_series_new (response->symbol, dates->len);
  for (guint i = 0; i < dates->len; i++)
    {
      const char *date = g_ptr_array_index (dates, i);

      if (!fill_bar (provider, series, i, date, json_object_get_member (bars, date), error))
        return NULL;
    }

  return g_steal_pointer (&series);
}

static SoupMessage *
build_search_message (SextantHttpProvider  *provider,
                      const char           *query,
                      GError              **error)
{
  g_autofree char *url = sextant_http_provider_build_url (provider, "/query",
                                                          "function", "SYMBOL_SEARCH",
                                                          "keywords", query,
                                                          "apikey", sextant_http_provider_get_api_key (provider),
                                                          NULL);

  return soup_message_new (SOUP_METHOD_GET, url);
}

/* SYMBOL_SEARCH answers {"bestMatches": [{"1. symbol": …, "9. matchScore": "1.0000"}]}, best
 * first; errors come as for every other function, with HTTP 200. */
static GPtrArray *
parse_search (SextantHttpProvider          *provider,
              const SextantMarketResponse  *response,
              GError                      **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  JsonObject *object;
  JsonArray *best;

  if ((object = parse_object (provider, response, &root, error)) == NULL)
    return NULL;
  if ((best = sextant_http_provider_json_get_array (provider, object, "bestMatches",
                                                    response->symbol, error)) == NULL)
    return NULL;

  matches = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_symbol_match_free);
  for (guint i = 0; i < json_array_get_length (best); i++)
    {
      JsonNode *node = json_array_get_element (best, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *symbol;
      SextantSymbolMatch *match;

      if (item == NULL ||
          (symbol = sextant_market_json_get_string (item, "1. symbol")) == NULL)
        continue;
      match = sextant_symbol_match_new (symbol, "alphavantage");
      match->name = sextant_market_json_dup_text (item, "2. name");
      match->type = sextant_market_json_dup_text (item, "3. type");
      match->region = sextant_market_json_dup_text (item, "4. region");
      match->currency = sextant_market_json_dup_text (item, "8. currency");
      match->score = sextant_market_json_get_number (item, "9. matchScore");
      g_ptr_array_add (matches, match);
    }

  return g_steal_pointer (&matches);
}

static void
sextant_alpha_vantage_provider_class_init (SextantAlphaVantageProviderClass *klass)
{
  SextantHttpProviderClass *http_class = SEXTANT_HTTP_PROVIDER_CLASS (klass);

  http_class->id = "alphavantage";
  http_class->name = "Alpha Vantage";
  http_class->default_base_url = "https://www.alphavantage.co";
  http_class->needs_key = TRUE;
  http_class->official = TRUE;
  http_class->build_quote_message = build_quote_message;
  http_class->build_daily_message = build_daily_message;
  http_class->parse_quote = parse_quote;
  http_class->parse_daily = parse_daily;
  http_class->retry_daily_message = retry_daily_message;
  http_class->build_search_message = build_search_message;
  http_class->parse_search = parse_search;
}

static void
sextant_alpha_vantage_provider_init (SextantAlphaVantageProvider *self)
{
}

/**
 * sextant_alpha_vantage_provider_new:
 *
 * Returns: (transfer full): an Alpha Vantage provider (GLOBAL_QUOTE, TIME_SERIES_DAILY compact)
 */
SextantMarketProvider *
sextant_alpha_vantage_provider_new (void)
{
  return g_object_new (SEXTANT_TYPE_ALPHA_VANTAGE_PROVIDER, NULL);
}

/**
 * sextant_alpha_vantage_provider_set_full_history:
 * @self: a provider
 * @full: ask for `outputsize=full` (premium plans); refused requests are retried compact
 */
void
sextant_alpha_vantage_provider_set_full_history (SextantAlphaVantageProvider *self,
                                                 gboolean                     full)
{
  g_return_if_fail (SEXTANT_IS_ALPHA_VANTAGE_PROVIDER (self));

  self->full_history = full;
}
