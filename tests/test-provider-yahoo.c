#define G_LOG_DOMAIN "test-provider-yahoo"

#include "config.h"

#include <math.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

#define CHART "/v8/finance/chart/MSFT"

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
  f->provider = g_object_new (SEXTANT_TYPE_YAHOO_PROVIDER, "session", session,
                              "base-url", fake_market_server_get_base_url (f->server), NULL);
  sextant_http_provider_set_backoff (SEXTANT_HTTP_PROVIDER (f->provider), 0, 1);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->provider);
  fake_market_server_free (f->server);
}

static void
test_labels (Fixture       *f,
             gconstpointer  data)
{
  g_assert_false (sextant_market_provider_get_official (f->provider));
  g_assert_false (sextant_market_provider_get_needs_key (f->provider));
  g_assert_nonnull (strstr (sextant_market_provider_get_name (f->provider), "unofficial"));
}

/* yahoo_chart_daily.json: session-open timestamps shifted by gmtoffset −14400 give 2001-09-25…27
 * (day 11590…11592). */
static void
test_daily (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  const char *agent;

  fake_market_server_push (f->server, CHART, NULL, 200, "application/json", "yahoo_chart_daily.json");
  series = fake_market_fetch_daily (f->provider, "MSFT", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (series), ==, 3);
  g_assert_cmpint (sextant_price_series_get_days (series)[0], ==, 11590);
  g_assert_cmpint (sextant_price_series_get_days (series)[2], ==, 11592);
  g_assert_cmpfloat (sextant_price_series_get_close (series)[1], ==, 50.27);
  agent = fake_market_server_get_last_header (f->server, "User-Agent");
  g_assert_true (g_str_has_prefix (agent, "Mozilla/5.0"));
}

/* The previous close is the previous session's close (50.27), not chartPreviousClose (52.01). */
static void
test_quote (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push (f->server, CHART, NULL, 200, "application/json", "yahoo_chart_daily.json");
  quote = fake_market_fetch_quote (f->provider, "MSFT", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (quote->price, ==, 49.96);
  g_assert_cmpfloat (quote->previous_close, ==, 50.27);
  g_assert_cmpint (quote->as_of, ==, 1001620800);
  g_assert_cmpstr (quote->provider, ==, "yahoo");
}

static void
test_nulls_are_gaps (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;

  fake_market_server_push_body (f->server, CHART, NULL, 200, "application/json",
                                "{\"chart\":{\"result\":[{\"meta\":{\"gmtoffset\":-14400},"
                                "\"timestamp\":[1001424600,1001511000],\"indicators\":{\"quote\":"
                                "[{\"open\":[52.27,null],\"high\":[53.0,null],\"low\":[50.16,null],"
                                "\"close\":[51.3,null],\"volume\":[42470300,null]}]}}],\"error\":null}}");
  series = fake_market_fetch_daily (f->provider, "MSFT", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (series), ==, 2);
  g_assert_true (isnan (sextant_price_series_get_close (series)[1]));
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;

  fake_market_server_push (f->server, "/v8/finance/chart/NOPE", NULL, 404, "application/json",
                           "yahoo_chart_not_found.json");
  series = fake_market_fetch_daily (f->provider, "NOPE", 0, 0, NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL);
  g_assert_true (g_str_has_prefix (error->message, "Yahoo (unofficial): HTTP 404"));
}

static void
test_429_plain_text (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push (f->server, CHART, NULL, 429, "text/plain", "yahoo_429.txt");
  quote = fake_market_fetch_quote (f->provider, "MSFT", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "Too Many Requests"));
}

static void
test_wrong_content_type (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push_body (f->server, CHART, NULL, 200, "text/plain", "Service is down");
  quote = fake_market_fetch_quote (f->provider, "MSFT", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CONTENT_TYPE);
  g_assert_nonnull (strstr (error->message, "text/plain instead of JSON"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sextant/market/yahoo/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("labels", test_labels);
  ADD ("daily", test_daily);
  ADD ("quote", test_quote);
  ADD ("nulls-are-gaps", test_nulls_are_gaps);
  ADD ("not-found", test_not_found);
  ADD ("429-plain-text", test_429_plain_text);
  ADD ("wrong-content-type", test_wrong_content_type);
#undef ADD

  return g_test_run ();
}
