#define G_LOG_DOMAIN "test-provider-alphavantage"

#include "config.h"

#include <math.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

typedef struct
{
  FakeMarketServer      *server;
  SextantMarketProvider *provider;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SoupSession) session = fake_market_session_new ();

  f->server = fake_market_server_new ();
  f->provider = g_object_new (SEXTANT_TYPE_ALPHA_VANTAGE_PROVIDER, "session", session,
                              "base-url", fake_market_server_get_base_url (f->server),
                              "api-key", "TESTKEY", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->provider);
  fake_market_server_free (f->server);
}

static void
push (Fixture    *f,
      const char *function,
      const char *fixture)
{
  fake_market_server_push (f->server, "/query", function, 200, "application/json", fixture);
}

/* Expected values are the strings of alphavantage_global_quote.json. */
static void
test_quote (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  push (f, "GLOBAL_QUOTE", "alphavantage_global_quote.json");
  quote = fake_market_fetch_quote (f->provider, "MSFT", &response, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (quote->price, ==, 49.96);
  g_assert_cmpfloat (quote->previous_close, ==, 50.27);
  g_assert_cmpfloat (quote->change, ==, -0.31);
  g_assert_cmpfloat (quote->change_percent, ==, -0.6167);
  g_assert_cmpfloat (quote->volume, ==, 40595600);
  /* 2001-09-27 is day 11592 since 1970-01-01: 31 years incl. 8 leap days = 11323, + 269 days */
  g_assert_cmpint (quote->as_of, ==, (gint64) 11592 * 86400);
  g_assert_cmpstr (quote->provider, ==, "alphavantage");
  g_assert_nonnull (strstr (fake_market_server_get_last_query (f->server), "apikey=TESTKEY"));
  /* The stored URL never carries the key. */
  g_assert_null (strstr (response->url, "TESTKEY"));
  g_assert_nonnull (strstr (response->url, "apikey=REDACTED"));
}

static void
test_daily (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autofree char *first = NULL;

  push (f, "TIME_SERIES_DAILY", "alphavantage_time_series_daily.json");
  series = fake_market_fetch_daily (f->provider, "MSFT", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (series), ==, 3);
  /* The fixture is newest first; the series must be oldest first. */
  first = sextant_day_format_iso (sextant_price_series_get_days (series)[0]);
  g_assert_cmpstr (first, ==, "2001-09-25");
  g_assert_cmpfloat (sextant_price_series_get_close (series)[0], ==, 51.30);
  g_assert_cmpfloat (sextant_price_series_get_close (series)[2], ==, 49.96);
  g_assert_cmpfloat (sextant_price_series_get_volume (series)[1], ==, 29262200);
  g_assert_nonnull (strstr (fake_market_server_get_last_query (f->server), "outputsize=compact"));
}

static void
expect_error (Fixture    *f,
              const char *function,
              const char *fixture,
              int         code,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  static guint n_calls;
  g_autofree char *symbol = g_strdup_printf ("SYM%u", ++n_calls);
  g_autofree char *match = g_strdup_printf ("symbol=%s&", symbol);

  /* Each call gets its own symbol, hence its own route on the fake server. */
  fake_market_server_push (f->server, "/query", match, 200, "application/json", fixture);
  if (g_str_equal (function, "GLOBAL_QUOTE"))
    quote = fake_market_fetch_quote (f->provider, symbol, NULL, &error);
  else
    series = fake_market_fetch_daily (f->provider, symbol, 0, 0, NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, "Alpha Vantage: "));
  g_assert_nonnull (strstr (error->message, text));
}

static void
test_errors_with_200 (Fixture       *f,
                      gconstpointer  data)
{
  expect_error (f, "GLOBAL_QUOTE", "alphavantage_rate_limit_daily.json",
                SEXTANT_MARKET_ERROR_RATE_LIMITED, "25 requests per day");
  expect_error (f, "TIME_SERIES_DAILY", "alphavantage_rate_limit_legacy_note.json",
                SEXTANT_MARKET_ERROR_RATE_LIMITED, "5 calls per minute");
  expect_error (f, "GLOBAL_QUOTE", "alphavantage_invalid_key.json", SEXTANT_MARKET_ERROR_AUTH,
                "API key was refused");
  expect_error (f, "GLOBAL_QUOTE", "alphavantage_global_quote_unknown_symbol.json",
                SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL, "unknown symbol");
}

static void
test_invalid_symbol (Fixture       *f,
                     gconstpointer  data)
{
  expect_error (f, "TIME_SERIES_DAILY", "alphavantage_invalid_symbol.json",
                SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL, "Invalid API call");
}

/* A key that arrives under "Information" is classified by its text, not its member name. */
static void
test_bad_key_as_information (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push_body (f->server, "/query", NULL, 200, "application/json",
                                "{\"Information\": \"the parameter apikey is invalid or missing.\"}");
  quote = fake_market_fetch_quote (f->provider, "MSFT", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_AUTH);
}

/* Asking for full history on a free key gets the premium notice; the provider retries compact. */
static void
test_premium_retries_compact (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;

  sextant_alpha_vantage_provider_set_full_history (SEXTANT_ALPHA_VANTAGE_PROVIDER (f->provider), TRUE);
  push (f, "outputsize=full", "alphavantage_premium_outputsize_full.json");
  push (f, "outputsize=compact", "alphavantage_time_series_daily.json");
  series = fake_market_fetch_daily (f->provider, "MSFT", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (series), ==, 3);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/query"), ==, 2);
  g_assert_nonnull (strstr (fake_market_server_get_last_query (f->server), "outputsize=compact"));
}

static void
test_bad_bodies (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GError) e4 = NULL;
  g_autoptr(SextantQuote) q = NULL;

  fake_market_server_push_body (f->server, "/query", "symbol=BAD1", 200, "application/json",
                                "{\"Global Quote\": {\"05. price\": ");
  fake_market_server_push_body (f->server, "/query", "symbol=BAD2", 200, "application/json", "");
  fake_market_server_push_body (f->server, "/query", "symbol=BAD3", 200, "text/html",
                                "<html><body>Service unavailable</body></html>");
  fake_market_server_push_body (f->server, "/query", "symbol=BAD4", 502, "text/plain",
                                "Bad gateway");
  q = fake_market_fetch_quote (f->provider, "BAD1", NULL, &e1);
  g_assert_error (e1, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE);
  g_assert_nonnull (strstr (e1->message, "malformed JSON"));
  q = fake_market_fetch_quote (f->provider, "BAD2", NULL, &e2);
  g_assert_error (e2, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_EMPTY);
  q = fake_market_fetch_quote (f->provider, "BAD3", NULL, &e3);
  g_assert_error (e3, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CONTENT_TYPE);
  g_assert_nonnull (strstr (e3->message, "HTML"));
  q = fake_market_fetch_quote (f->provider, "BAD4", NULL, &e4);
  g_assert_error (e4, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_HTTP);
  g_assert_nonnull (strstr (e4->message, "HTTP 502"));
}

/* Expected values are the strings of alphavantage_symbol_search.json, best match first. */
static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  const SextantSymbolMatch *best, *brazil;

  g_assert_true (sextant_market_provider_can_search (f->provider));
  push (f, "SYMBOL_SEARCH", "alphavantage_symbol_search.json");
  matches = fake_market_search (f->provider, "Apple Inc", &response, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 3);
  best = matches->pdata[0];
  g_assert_cmpstr (best->symbol, ==, "AAPL");
  g_assert_cmpstr (best->name, ==, "Apple Inc");
  g_assert_cmpstr (best->type, ==, "Equity");
  g_assert_cmpstr (best->region, ==, "United States");
  g_assert_cmpstr (best->currency, ==, "USD");
  g_assert_cmpstr (best->source, ==, "alphavantage");
  g_assert_cmpfloat (best->score, ==, 1.0);
  brazil = matches->pdata[1];
  g_assert_cmpstr (brazil->symbol, ==, "AAPL34.SAO");
  g_assert_cmpstr (brazil->currency, ==, "BRL");
  g_assert_cmpfloat (brazil->score, ==, 0.6667);
  /* The keywords are escaped in the query; the stored URL never carries the key. */
  g_assert_nonnull (strstr (fake_market_server_get_last_query (f->server), "keywords=Apple%20Inc"));
  g_assert_cmpstr (response->kind, ==, "search");
  g_assert_null (strstr (response->url, "TESTKEY"));
}

static void
test_search_empty (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) matches = NULL;

  push (f, "SYMBOL_SEARCH", "alphavantage_symbol_search_empty.json");
  matches = fake_market_search (f->provider, "zzzz", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 0);
}

/* SYMBOL_SEARCH reports its errors like the other functions: HTTP 200 and a text to classify. */
static void
expect_search_error (Fixture    *f,
                     const char *fixture,
                     int         code,
                     const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  static guint n_calls;
  g_autofree char *keywords = g_strdup_printf ("KW%u", ++n_calls);
  g_autofree char *match = g_strdup_printf ("keywords=%s&", keywords);

  fake_market_server_push (f->server, "/query", match, 200, "application/json", fixture);
  matches = fake_market_search (f->provider, keywords, NULL, &error);
  g_assert_null (matches);
  g_assert_error (error, SEXTANT_MARKET_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, "Alpha Vantage: "));
  g_assert_nonnull (strstr (error->message, text));
}

static void
test_search_errors (Fixture       *f,
                    gconstpointer  data)
{
  expect_search_error (f, "alphavantage_rate_limit_daily.json", SEXTANT_MARKET_ERROR_RATE_LIMITED,
                       "25 requests per day");
  expect_search_error (f, "alphavantage_rate_limit_legacy_note.json",
                       SEXTANT_MARKET_ERROR_RATE_LIMITED, "5 calls per minute");
  expect_search_error (f, "alphavantage_invalid_key.json", SEXTANT_MARKET_ERROR_AUTH,
                       "API key was refused");
  expect_search_error (f, "alphavantage_invalid_symbol.json", SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                       "Invalid API call");
  /* A body of another function has no bestMatches. */
  expect_search_error (f, "alphavantage_global_quote.json", SEXTANT_MARKET_ERROR_PARSE,
                       "bestMatches");
}

static void
test_missing_key (void)
{
  g_autoptr(SextantMarketProvider) provider = sextant_alpha_vantage_provider_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  g_assert_false (sextant_market_provider_has_key (provider));
  quote = fake_market_fetch_quote (provider, "MSFT", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "no API key"));
}

static void
test_network_down (void)
{
  g_autoptr(SoupSession) session = fake_market_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", fake_market_closed_port ());
  g_autoptr(SextantMarketProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  provider = g_object_new (SEXTANT_TYPE_ALPHA_VANTAGE_PROVIDER, "session", session,
                           "base-url", url, "api-key", "SECRETKEY", NULL);
  quote = fake_market_fetch_quote (provider, "MSFT", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, "Alpha Vantage: cannot reach"));
  g_assert_null (strstr (error->message, "SECRETKEY"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sextant/market/alphavantage/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("quote", test_quote);
  ADD ("daily", test_daily);
  ADD ("errors-with-200", test_errors_with_200);
  ADD ("invalid-symbol", test_invalid_symbol);
  ADD ("bad-key-as-information", test_bad_key_as_information);
  ADD ("premium-retries-compact", test_premium_retries_compact);
  ADD ("bad-bodies", test_bad_bodies);
  ADD ("search", test_search);
  ADD ("search-empty", test_search_empty);
  ADD ("search-errors", test_search_errors);
#undef ADD
  g_test_add_func ("/sextant/market/alphavantage/missing-key", test_missing_key);
  g_test_add_func ("/sextant/market/alphavantage/network-down", test_network_down);

  return g_test_run ();
}
