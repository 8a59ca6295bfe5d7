#define G_LOG_DOMAIN "test-provider-finnhub"

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
  f->provider = g_object_new (SEXTANT_TYPE_FINNHUB_PROVIDER, "session", session,
                              "base-url", fake_market_server_get_base_url (f->server),
                              "api-key", "FHKEY", NULL);
  /* Tests wait milliseconds, not the production second. */
  sextant_http_provider_set_backoff (SEXTANT_HTTP_PROVIDER (f->provider), 2, 5);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->provider);
  fake_market_server_free (f->server);
}

/* Expected values from finnhub_quote.json. */
static void
test_quote (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push (f->server, "/quote", NULL, 200, "application/json", "finnhub_quote.json");
  quote = fake_market_fetch_quote (f->provider, "MSFT", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (quote->price, ==, 49.96);
  g_assert_cmpfloat (quote->change, ==, -0.31);
  g_assert_cmpfloat (quote->previous_close, ==, 50.27);
  g_assert_cmpint (quote->as_of, ==, 1001620800);
  /* The key travels in a header, not in the URL. */
  g_assert_cmpstr (fake_market_server_get_last_header (f->server, "X-Finnhub-Token"), ==, "FHKEY");
  g_assert_null (strstr (fake_market_server_get_last_query (f->server), "FHKEY"));
}

static void
test_unknown_symbol (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push (f->server, "/quote", NULL, 200, "application/json",
                           "finnhub_quote_unknown_symbol.json");
  quote = fake_market_fetch_quote (f->provider, "NOPE", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL);
  g_assert_true (g_str_has_prefix (error->message, "Finnhub: unknown symbol “NOPE”"));
}

/* Candles of finnhub_candle.json: t = 1001376000 is 2001-09-25 00:00 UTC (11590 · 86400). */
static void
test_candle (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;

  fake_market_server_push (f->server, "/stock/candle", NULL, 200, "application/json",
                           "finnhub_candle.json");
  series = fake_market_fetch_daily (f->provider, "MSFT", 11590, 11592, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (series), ==, 3);
  g_assert_cmpint (sextant_price_series_get_days (series)[0], ==, 11590);
  g_assert_cmpfloat (sextant_price_series_get_close (series)[2], ==, 49.96);
  g_assert_nonnull (strstr (fake_market_server_get_last_query (f->server), "from=1001376000"));
}

static void
expect_candle_error (Fixture    *f,
                     guint       status,
                     const char *fixture,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  FakeMarketServer *server = fake_market_server_new ();

  g_object_set (f->provider, "base-url", fake_market_server_get_base_url (server), NULL);
  fake_market_server_push (server, "/stock/candle", NULL, status, "application/json", fixture);
  series = fake_market_fetch_daily (f->provider, "MSFT", 0, 0, NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, "Finnhub: "));
  fake_market_server_free (server);
}

static void
test_candle_errors (Fixture       *f,
                    gconstpointer  data)
{
  expect_candle_error (f, 403, "finnhub_403_no_access.json", SEXTANT_MARKET_ERROR_NOT_ENTITLED);
  /* Some non-US symbols answer 401 with the "no access" body: that is a plan, not a bad key. */
  expect_candle_error (f, 401, "finnhub_403_no_access.json", SEXTANT_MARKET_ERROR_NOT_ENTITLED);
  expect_candle_error (f, 401, "finnhub_401_invalid_key.json", SEXTANT_MARKET_ERROR_AUTH);
  expect_candle_error (f, 200, "finnhub_candle_no_data.json", SEXTANT_MARKET_ERROR_NO_DATA);
}

/* Scripted: 429 then 200. The provider backs off and retries once. */
static void
test_429_then_success (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push (f->server, "/quote", NULL, 429, "application/json",
                           "finnhub_429_rate_limit.json");
  fake_market_server_push (f->server, "/quote", NULL, 200, "application/json", "finnhub_quote.json");
  quote = fake_market_fetch_quote (f->provider, "MSFT", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (quote->price, ==, 49.96);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/quote"), ==, 2);
}

/* Always 429: one try plus two retries, then a rate-limit error. */
static void
test_429_gives_up (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push (f->server, "/quote", NULL, 429, "application/json",
                           "finnhub_429_rate_limit.json");
  quote = fake_market_fetch_quote (f->provider, "MSFT", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/quote"), ==, 3);
}

static void
test_malformed_json (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push_body (f->server, "/quote", NULL, 200, "application/json", "{\"c\":49.96,");
  quote = fake_market_fetch_quote (f->provider, "MSFT", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Cancelled before the answer: G_IO_ERROR_CANCELLED, not a market error, and nothing parsed. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push (f->server, "/quote", NULL, 200, "application/json", "finnhub_quote.json");
  sextant_market_provider_fetch_quote_async (f->provider, "MSFT", cancellable, store_cb, &result);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  quote = sextant_market_provider_fetch_quote_finish (f->provider, result, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (quote);
}

/* Cancelled while backing off after a 429: the retry is never sent. */
static void
test_cancel_during_backoff (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  /* A minute's back-off: the test would time out if cancelling did not end the wait at once. */
  sextant_http_provider_set_backoff (SEXTANT_HTTP_PROVIDER (f->provider), 2, 60000);
  fake_market_server_push (f->server, "/quote", NULL, 429, "application/json",
                           "finnhub_429_rate_limit.json");
  sextant_market_provider_fetch_quote_async (f->provider, "MSFT", cancellable, store_cb, &result);
  while (fake_market_server_get_count (f->server, "/quote") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  quote = sextant_market_provider_fetch_quote_finish (f->provider, result, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/quote"), ==, 1);
}

/* Expected values from finnhub_search.json; Finnhub gives no score, so only the exact symbol
 * gets one. */
static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  const SextantSymbolMatch *first, *second;

  g_assert_true (sextant_market_provider_can_search (f->provider));
  fake_market_server_push (f->server, "/search", NULL, 200, "application/json",
                           "finnhub_search.json");
  matches = fake_market_search (f->provider, "AAPL", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 4);
  first = matches->pdata[0];
  second = matches->pdata[1];
  g_assert_cmpstr (first->symbol, ==, "AAPL");
  g_assert_cmpstr (first->name, ==, "APPLE INC");
  g_assert_cmpstr (first->type, ==, "Common Stock");
  g_assert_cmpstr (first->source, ==, "finnhub");
  g_assert_null (first->currency);
  g_assert_cmpfloat (first->score, ==, 1.0);
  g_assert_cmpstr (second->symbol, ==, "AAPL.SW");
  g_assert_true (isnan (second->score));
  g_assert_nonnull (strstr (fake_market_server_get_last_query (f->server), "q=AAPL"));
  /* The key travels in a header, never in the query. */
  g_assert_cmpstr (fake_market_server_get_last_header (f->server, "X-Finnhub-Token"), ==, "FHKEY");
  g_assert_null (strstr (fake_market_server_get_last_query (f->server), "FHKEY"));
}

static void
test_search_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GPtrArray) m1 = NULL;
  g_autoptr(GPtrArray) m2 = NULL;
  g_autoptr(GPtrArray) m3 = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) e4 = NULL;

  fake_market_server_push (f->server, "/search", "q=LIMIT", 429, "application/json",
                           "finnhub_429_rate_limit.json");
  fake_market_server_push (f->server, "/search", "q=KEY", 401, "application/json",
                           "finnhub_401_invalid_key.json");
  fake_market_server_push_body (f->server, "/search", "q=BROKEN", 200, "application/json",
                                "{\"count\":1,");
  fake_market_server_push (f->server, "/search", "q=ZZZZ", 200, "application/json",
                           "finnhub_search_empty.json");
  /* Rate limited: one try plus two retries, then the error. */
  m1 = fake_market_search (f->provider, "LIMIT", NULL, &e1);
  g_assert_error (e1, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/search"), ==, 3);
  m2 = fake_market_search (f->provider, "KEY", NULL, &e2);
  g_assert_error (e2, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_AUTH);
  m3 = fake_market_search (f->provider, "BROKEN", NULL, &e3);
  g_assert_error (e3, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE);
  none = fake_market_search (f->provider, "ZZZZ", NULL, &e4);
  g_assert_no_error (e4);
  g_assert_cmpuint (none->len, ==, 0);
}

/* Stooq and Yahoo have no symbol search: asking says so at once, without a request. */
static void
test_search_unsupported (void)
{
  g_autoptr(SextantMarketProvider) yahoo = g_object_new (SEXTANT_TYPE_YAHOO_PROVIDER, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) matches = NULL;

  g_assert_false (sextant_market_provider_can_search (yahoo));
  matches = fake_market_search (yahoo, "AAPL", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_ENTITLED);
  g_assert_null (matches);
}

static void
test_network_down (void)
{
  g_autoptr(SoupSession) session = fake_market_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1", fake_market_closed_port ());
  g_autoptr(SextantMarketProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  provider = g_object_new (SEXTANT_TYPE_FINNHUB_PROVIDER, "session", session, "base-url", url,
                           "api-key", "K", NULL);
  quote = fake_market_fetch_quote (provider, "MSFT", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, "Finnhub: cannot reach"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sextant/market/finnhub/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("quote", test_quote);
  ADD ("unknown-symbol", test_unknown_symbol);
  ADD ("candle", test_candle);
  ADD ("candle-errors", test_candle_errors);
  ADD ("429-then-success", test_429_then_success);
  ADD ("429-gives-up", test_429_gives_up);
  ADD ("search", test_search);
  ADD ("search-errors", test_search_errors);
  ADD ("malformed-json", test_malformed_json);
  ADD ("cancel", test_cancel);
  ADD ("cancel-during-backoff", test_cancel_during_backoff);
#undef ADD
  g_test_add_func ("/sextant/market/finnhub/network-down", test_network_down);
  g_test_add_func ("/sextant/market/finnhub/search-unsupported", test_search_unsupported);

  return g_test_run ();
}
