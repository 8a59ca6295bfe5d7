#define G_LOG_DOMAIN "test-market-router"

#include "config.h"

#include "fake-market-server.h"
#include "sextant-test-util.h"

typedef struct
{
  FakeMarketServer      *server;
  SoupSession           *session;
  SextantMarketProvider *alpha;
  SextantMarketProvider *finnhub;
  SextantMarketRouter   *router;
  gint64                 now;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  return ((Fixture *) user_data)->now;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *base;

  f->server = fake_market_server_new ();
  f->session = fake_market_session_new ();
  base = fake_market_server_get_base_url (f->server);
  f->alpha = g_object_new (SEXTANT_TYPE_ALPHA_VANTAGE_PROVIDER, "session", f->session,
                           "base-url", base, "api-key", "AVKEY", NULL);
  f->finnhub = g_object_new (SEXTANT_TYPE_FINNHUB_PROVIDER, "session", f->session,
                             "base-url", base, "api-key", "FHKEY", NULL);
  sextant_http_provider_set_backoff (SEXTANT_HTTP_PROVIDER (f->finnhub), 0, 1);
  f->now = 1000 * G_USEC_PER_SEC;
  f->router = sextant_market_router_new ();
  sextant_market_router_set_clock (f->router, fake_clock, f);
  sextant_market_router_add_provider (f->router, f->alpha);
  sextant_market_router_add_provider (f->router, f->finnhub);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* libsoup finishes a message, and drops its hold on the session, in an idle after the body
   * stream is closed. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->router);
  g_assert_finalize_object (f->alpha);
  g_assert_finalize_object (f->finnhub);
  g_assert_finalize_object (f->session);
  fake_market_server_free (f->server);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static SextantQuote *
route_quote (SextantMarketRouter  *router,
             const char           *symbol,
             GPtrArray           **responses,
             GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_market_router_fetch_quote_async (router, symbol, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sextant_market_router_fetch_quote_finish (router, result, responses, error);
}

static void
test_fallback_on_rate_limit (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push (f->server, "/query", NULL, 200, "application/json",
                           "alphavantage_rate_limit_daily.json");
  fake_market_server_push (f->server, "/quote", NULL, 200, "application/json", "finnhub_quote.json");
  quote = route_quote (f->router, "MSFT", &responses, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quote->provider, ==, "finnhub");
  /* Both raw answers are kept, the refusal too. */
  g_assert_cmpuint (responses->len, ==, 2);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/query"), ==, 1);

  /* "25 requests per day" spent: Alpha Vantage is left alone for an hour (the clock is fixed). */
  {
    gint64 wait = 0;

    g_assert_false (sextant_rate_limiter_try_acquire (sextant_market_router_get_limiter (f->router,
                                                                                         "alphavantage"),
                                                      &wait));
    g_assert_cmpint (wait, ==, G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  }
}

static void
test_skips_provider_without_key (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  sextant_market_provider_set_api_key (f->alpha, NULL);
  fake_market_server_push (f->server, "/quote", NULL, 200, "application/json", "finnhub_quote.json");
  quote = route_quote (f->router, "MSFT", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quote->provider, ==, "finnhub");
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/query"), ==, 0);
}

static void
test_all_fail (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push (f->server, "/query", NULL, 200, "application/json",
                           "alphavantage_invalid_key.json");
  fake_market_server_push (f->server, "/quote", NULL, 429, "application/json",
                           "finnhub_429_rate_limit.json");
  quote = route_quote (f->router, "MSFT", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_ALL_FAILED);
  g_assert_nonnull (strstr (error->message, "Alpha Vantage: the API key was refused"));
  g_assert_nonnull (strstr (error->message, "Finnhub: HTTP 429"));
}

static void
test_unknown_symbol_stops (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  fake_market_server_push (f->server, "/query", NULL, 200, "application/json",
                           "alphavantage_global_quote_unknown_symbol.json");
  fake_market_server_push (f->server, "/quote", NULL, 200, "application/json", "finnhub_quote.json");
  quote = route_quote (f->router, "NOPE", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/quote"), ==, 0);
}

/* Alpha Vantage's legacy 5/min: the sixth quote inside a minute goes to Finnhub without touching
 * Alpha Vantage; a minute later Alpha Vantage is used again. */
static void
test_rate_limiter_skips (Fixture       *f,
                         gconstpointer  data)
{
  fake_market_server_push (f->server, "/query", NULL, 200, "application/json",
                           "alphavantage_global_quote.json");
  fake_market_server_push (f->server, "/quote", NULL, 200, "application/json", "finnhub_quote.json");
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SextantQuote) quote = route_quote (f->router, "MSFT", NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (quote->provider, ==, i < 5 ? "alphavantage" : "finnhub");
      f->now += G_USEC_PER_SEC;
    }
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/query"), ==, 5);

  f->now += 60 * G_USEC_PER_SEC;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SextantQuote) quote = route_quote (f->router, "MSFT", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (quote->provider, ==, "alphavantage");
  }
}

static void
test_network_down_falls_back (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *closed = g_strdup_printf ("http://127.0.0.1:%u", fake_market_closed_port ());
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  sextant_market_provider_set_base_url (f->alpha, closed);
  fake_market_server_push (f->server, "/quote", NULL, 200, "application/json", "finnhub_quote.json");
  quote = route_quote (f->router, "MSFT", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quote->provider, ==, "finnhub");
}

static void
test_no_provider (void)
{
  g_autoptr(SextantMarketRouter) router = sextant_market_router_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = route_quote (router, "MSFT", NULL, &error);

  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_PROVIDER);
}

static gint64 limiter_now;

static gint64
limiter_clock (gpointer user_data)
{
  return limiter_now;
}

/* 25 a day: the 26th request is refused until the first is 24 h old. */
static void
test_limiter_daily (void)
{
  g_autoptr(SextantRateLimiter) limiter = sextant_rate_limiter_new_for_provider ("alphavantage");
  g_autofree char *text = sextant_rate_limiter_describe (limiter);
  gint64 wait = 0;

  g_assert_cmpstr (text, ==, "25/day, 5/min");
  sextant_rate_limiter_set_clock (limiter, limiter_clock, NULL);
  limiter_now = 0;
  for (guint i = 0; i < 25; i++)
    {
      g_assert_true (sextant_rate_limiter_try_acquire (limiter, &wait));
      limiter_now += 13 * G_USEC_PER_SEC;   /* 13 s apart stays under 5/min */
    }
  g_assert_false (sextant_rate_limiter_try_acquire (limiter, &wait));
  /* The first request was at 0; 25 · 13 s later it is 24 h − 325 s until it expires. */
  g_assert_cmpint (wait, ==, G_GINT64_CONSTANT (86400 - 325) * G_USEC_PER_SEC);
  limiter_now = G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC;
  g_assert_true (sextant_rate_limiter_try_acquire (limiter, &wait));
}

/* Finnhub: 30 a second even though 60 a minute would allow more. */
static void
test_limiter_per_second (void)
{
  g_autoptr(SextantRateLimiter) limiter = sextant_rate_limiter_new_for_provider ("finnhub");
  gint64 wait = 0;

  sextant_rate_limiter_set_clock (limiter, limiter_clock, NULL);
  limiter_now = 0;
  for (guint i = 0; i < 30; i++)
    g_assert_true (sextant_rate_limiter_try_acquire (limiter, NULL));
  g_assert_false (sextant_rate_limiter_try_acquire (limiter, &wait));
  g_assert_cmpint (wait, ==, G_USEC_PER_SEC);
  limiter_now = G_USEC_PER_SEC;
  for (guint i = 0; i < 30; i++)
    g_assert_true (sextant_rate_limiter_try_acquire (limiter, NULL));
  /* 60 in the minute now: refused until the first second's requests are a minute old. */
  limiter_now = 2 * G_USEC_PER_SEC;
  g_assert_false (sextant_rate_limiter_try_acquire (limiter, &wait));
  g_assert_cmpint (wait, ==, 58 * G_USEC_PER_SEC);
}

static void
test_pause (void)
{
  g_autoptr(SextantRateLimiter) limiter = sextant_rate_limiter_new ();
  gint64 wait = 0;

  sextant_rate_limiter_set_clock (limiter, limiter_clock, NULL);
  limiter_now = 0;
  sextant_rate_limiter_pause (limiter, 10);
  g_assert_false (sextant_rate_limiter_try_acquire (limiter, &wait));
  g_assert_cmpint (wait, ==, 10);
  limiter_now = 10;
  g_assert_true (sextant_rate_limiter_try_acquire (limiter, &wait));
}

static GPtrArray *
search (Fixture     *f,
        const char  *query,
        GError     **provider_error,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_market_router_search_async (f->router, query, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sextant_market_router_search_finish (f->router, result, provider_error, error);
}

/* Both providers are asked; AAPL, named by both, keeps Alpha Vantage's name and currency (first
 * in the order); Finnhub adds the listings Alpha Vantage did not name. */
static void
test_search_merges (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) provider_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  const SextantSymbolMatch *first;

  fake_market_server_push (f->server, "/query", "SYMBOL_SEARCH", 200, "application/json",
                           "alphavantage_symbol_search.json");
  fake_market_server_push (f->server, "/search", NULL, 200, "application/json",
                           "finnhub_search.json");
  matches = search (f, "AAPL", &provider_error, &error);
  g_assert_no_error (error);
  g_assert_no_error (provider_error);
  /* 3 of Alpha Vantage + 4 of Finnhub, AAPL once */
  g_assert_cmpuint (matches->len, ==, 6);
  first = matches->pdata[0];
  g_assert_cmpstr (first->symbol, ==, "AAPL");
  g_assert_cmpstr (first->name, ==, "Apple Inc");
  g_assert_cmpstr (first->currency, ==, "USD");
  g_assert_cmpstr (((SextantSymbolMatch *) matches->pdata[3])->symbol, ==, "AAPL.SW");
}

/* One provider rate-limited: the other's answer comes back, and the limit is reported beside it;
 * both failing is an error. */
static void
test_search_failures (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) provider_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) both = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GPtrArray) none = NULL;

  fake_market_server_push (f->server, "/query", "keywords=AAPL", 200, "application/json",
                           "alphavantage_rate_limit_daily.json");
  fake_market_server_push (f->server, "/search", "q=AAPL", 200, "application/json",
                           "finnhub_search.json");
  matches = search (f, "AAPL", &provider_error, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 4);
  g_assert_error (provider_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED);

  fake_market_server_push (f->server, "/query", "keywords=MSFT", 200, "application/json",
                           "alphavantage_invalid_key.json");
  fake_market_server_push (f->server, "/search", "q=MSFT", 429, "application/json",
                           "finnhub_429_rate_limit.json");
  none = search (f, "MSFT", NULL, &both);
  g_assert_null (none);
  g_assert_error (both, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_AUTH);
}

static void
test_search_no_key (void)
{
  g_autoptr(SextantMarketRouter) router = sextant_market_router_new ();
  g_autoptr(SextantMarketProvider) finnhub = sextant_finnhub_provider_new ();
  g_autoptr(SextantMarketProvider) yahoo = g_object_new (SEXTANT_TYPE_YAHOO_PROVIDER, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) matches = NULL;

  sextant_market_router_add_provider (router, finnhub);
  sextant_market_router_add_provider (router, yahoo);
  sextant_market_router_search_async (router, "AAPL", NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  matches = sextant_market_router_search_finish (router, result, NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_PROVIDER);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sextant/market/router/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("fallback-on-rate-limit", test_fallback_on_rate_limit);
  ADD ("skips-provider-without-key", test_skips_provider_without_key);
  ADD ("all-fail", test_all_fail);
  ADD ("unknown-symbol-stops", test_unknown_symbol_stops);
  ADD ("rate-limiter-skips", test_rate_limiter_skips);
  ADD ("network-down-falls-back", test_network_down_falls_back);
  ADD ("search-merges", test_search_merges);
  ADD ("search-failures", test_search_failures);
#undef ADD
  g_test_add_func ("/sextant/market/router/no-provider", test_no_provider);
  g_test_add_func ("/sextant/market/router/search-no-key", test_search_no_key);
  g_test_add_func ("/sextant/market/rate-limiter/daily", test_limiter_daily);
  g_test_add_func ("/sextant/market/rate-limiter/per-second", test_limiter_per_second);
  g_test_add_func ("/sextant/market/rate-limiter/pause", test_pause);

  return g_test_run ();
}
