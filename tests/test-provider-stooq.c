#define G_LOG_DOMAIN "test-provider-stooq"

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
  f->provider = g_object_new (SEXTANT_TYPE_STOOQ_PROVIDER, "session", session,
                              "base-url", fake_market_server_get_base_url (f->server),
                              "api-key", "STKEY", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->provider);
  fake_market_server_free (f->server);
}

/* Bars of stooq_daily.csv, oldest first. */
static void
test_daily (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  const char *query;

  fake_market_server_push (f->server, "/q/d/l/", NULL, 200, "text/csv", "stooq_daily.csv");
  /* 11590 = 2001-09-25, 11592 = 2001-09-27 */
  series = fake_market_fetch_daily (f->provider, "MSFT", 11590, 11592, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (series), ==, 3);
  g_assert_cmpint (sextant_price_series_get_days (series)[0], ==, 11590);
  g_assert_cmpfloat (sextant_price_series_get_open (series)[0], ==, 52.27);
  g_assert_cmpfloat (sextant_price_series_get_close (series)[2], ==, 49.96);
  query = fake_market_server_get_last_query (f->server);
  g_assert_nonnull (strstr (query, "s=msft.us"));
  g_assert_nonnull (strstr (query, "d1=20010925"));
  g_assert_nonnull (strstr (query, "d2=20010927"));
  g_assert_nonnull (strstr (query, "apikey=STKEY"));
}

/* The quote is the last bar: 49.96, previous close 50.27, change −0.31 (hand: 49.96 − 50.27). */
static void
test_quote_from_last_bars (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push (f->server, "/q/d/l/", NULL, 200, "text/csv", "stooq_daily.csv");
  quote = fake_market_fetch_quote (f->provider, "MSFT", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (quote->price, ==, 49.96);
  g_assert_cmpfloat (quote->previous_close, ==, 50.27);
  g_assert_cmpfloat_with_epsilon (quote->change, -0.31, 1e-12);
}

static void
expect_error (Fixture    *f,
              const char *content_type,
              const char *body,
              int         code,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  FakeMarketServer *server = fake_market_server_new ();

  g_object_set (f->provider, "base-url", fake_market_server_get_base_url (server), NULL);
  fake_market_server_push_body (server, "/q/d/l/", NULL, 200, content_type, body);
  series = fake_market_fetch_daily (f->provider, "MSFT", 0, 0, NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, "Stooq: "));
  g_assert_nonnull (strstr (error->message, text));
  fake_market_server_free (server);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = sextant_test_reference_path ("market-apis/stooq_no_data.txt");
  g_autofree char *no_data = NULL;

  g_assert_true (g_file_get_contents (path, &no_data, NULL, NULL));
  expect_error (f, "text/plain", no_data, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL, "no data");
  /* A challenge page with HTTP 200, with and without an honest content type. */
  expect_error (f, "text/html", "<!DOCTYPE html><html><body>Checking your browser…</body></html>",
                SEXTANT_MARKET_ERROR_BLOCKED, "Stooq blocked this request / needs a key");
  expect_error (f, "text/plain", "  <html><body>challenge</body></html>",
                SEXTANT_MARKET_ERROR_BLOCKED, "needs a key");
  expect_error (f, "text/csv", "", SEXTANT_MARKET_ERROR_EMPTY, "empty body");
  expect_error (f, "application/octet-stream", "Date,Open\n", SEXTANT_MARKET_ERROR_CONTENT_TYPE,
                "application/octet-stream");
  expect_error (f, "text/csv", "Date,Open,High,Low,Close,Volume\n2001-09-25,52.27,53,x,51.3,1\n",
                SEXTANT_MARKET_ERROR_PARSE, "Line 2");
}

static void
test_symbol_mapping (void)
{
  g_autofree char *a = sextant_stooq_provider_map_symbol ("MSFT");
  g_autofree char *b = sextant_stooq_provider_map_symbol ("^SPX");
  g_autofree char *c = sextant_stooq_provider_map_symbol ("SAP.DE");

  g_assert_cmpstr (a, ==, "msft.us");
  g_assert_cmpstr (b, ==, "^spx");
  g_assert_cmpstr (c, ==, "sap.de");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sextant/market/stooq/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("daily", test_daily);
  ADD ("quote-from-last-bars", test_quote_from_last_bars);
  ADD ("errors", test_errors);
#undef ADD
  g_test_add_func ("/sextant/market/stooq/symbol-mapping", test_symbol_mapping);

  return g_test_run ();
}
