#define G_LOG_DOMAIN "test-market-cache"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "fake-market-server.h"
#include "market/sextant-bar-block.h"
#include "sextant-test-util.h"

typedef struct
{
  char               *dir;
  char               *path;
  SextantStore       *store;
  SextantMarketCache *cache;
  FakeMarketServer   *server;
  SoupSession        *session;
  SextantMarketProvider *finnhub;
  SextantMarketRouter *router;
  SextantMarketData  *data;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = sextant_test_make_temp_dir ();
  f->path = g_build_filename (f->dir, "cache.db", NULL);
  f->store = sextant_schema_open (f->path, &error);
  g_assert_no_error (error);
  f->cache = sextant_market_cache_new (f->store);
  f->server = fake_market_server_new ();
  f->session = fake_market_session_new ();
  f->finnhub = g_object_new (SEXTANT_TYPE_FINNHUB_PROVIDER, "session", f->session,
                             "base-url", fake_market_server_get_base_url (f->server),
                             "api-key", "K", NULL);
  sextant_http_provider_set_backoff (SEXTANT_HTTP_PROVIDER (f->finnhub), 0, 1);
  f->router = sextant_market_router_new ();
  sextant_market_router_add_provider (f->router, f->finnhub);
  f->data = sextant_market_data_new (f->cache, f->router);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->data);
  g_clear_object (&f->router);
  g_clear_object (&f->finnhub);
  g_clear_object (&f->session);
  fake_market_server_free (f->server);
  g_clear_object (&f->cache);
  g_clear_object (&f->store);
  g_unlink (f->path);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static SextantPriceSeries *
get_daily (Fixture     *f,
           gint32       from_day,
           gint32       to_day,
           GError     **fetch_error,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_market_data_get_daily_async (f->data, "MSFT", from_day, to_day, NULL, store_result_cb,
                                       &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sextant_market_data_get_daily_finish (f->data, result, fetch_error, error);
}

static SextantQuote *
get_quote (Fixture  *f,
           GError  **fetch_error,
           GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_market_data_get_quote_async (f->data, "MSFT", NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sextant_market_data_get_quote_finish (f->data, result, fetch_error, error);
}

/* The market tables as they stand after every migration, written out by hand from the CREATE
 * TABLE statements in sextant-market-schema.c (migrations 1, 2 and 4, which adds the seeded table
 * and holdings' cost basis).
 * Each entry lists "name TYPE" in column order, as PRAGMA table_info reports it. The list is
 * independent of the code on purpose: a dropped, renamed, retyped or reordered column fails the
 * test, and a deliberate schema change must be made here too. */
static const struct
{
  const char *table;
  const char *columns;
} market_tables[] = {
  { "portfolios",
    "id INTEGER, name TEXT, base_currency TEXT, benchmark TEXT, created_at INTEGER, "
    "updated_at INTEGER" },
  { "holdings",
    "id INTEGER, portfolio_id INTEGER, symbol TEXT, quantity REAL, weight REAL, currency TEXT, "
    "min_weight REAL, max_weight REAL, cost_basis REAL, kind TEXT, coupon REAL, maturity INTEGER, "
    "frequency INTEGER, day_count TEXT, spread REAL" },
  { "seeded",
    "what TEXT, seeded_at INTEGER" },
  { "instruments",
    "symbol TEXT, name TEXT, currency TEXT, exchange TEXT, source TEXT, created_at INTEGER" },
  { "bar_blocks",
    "id INTEGER, symbol TEXT, year INTEGER, first_day INTEGER, last_day INTEGER, "
    "n_bars INTEGER, fetched_at INTEGER, providers TEXT, bars BLOB" },
  { "raw_responses",
    "id INTEGER, provider TEXT, kind TEXT, symbol TEXT, url TEXT, status INTEGER, "
    "content_type TEXT, fetched_at INTEGER, body_size INTEGER, body BLOB, from_day INTEGER, "
    "to_day INTEGER, parsed INTEGER" },
  { "quotes",
    "symbol TEXT, price REAL, change REAL, change_percent REAL, previous_close REAL, open REAL, "
    "high REAL, low REAL, volume REAL, as_of INTEGER, fetched_at INTEGER, provider TEXT" },
  { "jobs",
    "id INTEGER, portfolio_id INTEGER, kind TEXT, parameters TEXT, inputs TEXT, "
    "created_at INTEGER" },
  { "results",
    "id INTEGER, job_id INTEGER, result TEXT, created_at INTEGER" },
};

/* "name TYPE, name TYPE, …" for @table, or "" when the store has no such table. */
static char *
describe_columns (SextantStore *store,
                  const char   *table)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GString *columns = g_string_new (NULL);

  stmt = sextant_store_prepare (store, "SELECT name, type FROM pragma_table_info (?1) ORDER BY cid",
                                &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (columns, "%s%s %s", columns->len > 0 ? ", " : "",
                            (const char *) sqlite3_column_text (stmt, 0),
                            (const char *) sqlite3_column_text (stmt, 1));

  return g_string_free (columns, FALSE);
}

static void
test_schema (Fixture       *f,
             gconstpointer  data)
{
  g_assert_cmpint (sextant_store_get_schema_version (f->store), >=, 2);
  for (guint i = 0; i < G_N_ELEMENTS (market_tables); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *columns = NULL;

      stmt = sextant_store_prepare (f->store,
                                    "SELECT count(*) FROM sqlite_schema"
                                    " WHERE type = 'table' AND name = ?1", &error);
      g_assert_no_error (error);
      sqlite3_bind_text (stmt, 1, market_tables[i].table, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      if (sqlite3_column_int (stmt, 0) != 1)
        g_error ("table %s is missing from the schema", market_tables[i].table);

      columns = describe_columns (f->store, market_tables[i].table);
      if (g_strcmp0 (columns, market_tables[i].columns) != 0)
        g_error ("table %s has columns\n  %s\nexpected\n  %s", market_tables[i].table,
                 columns, market_tables[i].columns);
    }
}

static void
test_compress_round_trip (void)
{
  g_autofree char *text = g_strnfill (10000, 'x');
  g_autoptr(GBytes) plain = g_bytes_new (text, 10000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) packed = sextant_market_cache_compress (plain, &error);
  g_autoptr(GBytes) back = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (packed), <, 200);
  back = sextant_market_cache_decompress (packed, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (plain, back));
}

static void
test_bars_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SextantPriceSeries) series = sextant_price_series_new ("ABC", 3);
  g_autoptr(SextantPriceSeries) back = NULL;
  g_autoptr(GError) error = NULL;
  SextantBarCoverage coverage;

  sextant_price_series_set_row (series, 0, 100, 1, 2, 0.5, 1.5, 1000);
  sextant_price_series_set_row (series, 1, 101, NAN, NAN, NAN, NAN, NAN);
  sextant_price_series_set_row (series, 2, 104, 1.6, 1.7, 1.4, 1.65, 2000);
  g_assert_true (sextant_market_cache_put_bars (f->cache, series, "csv", 12345, &error));
  g_assert_no_error (error);

  back = sextant_market_cache_get_bars (f->cache, "ABC", 101, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (back), ==, 2);
  g_assert_true (isnan (sextant_price_series_get_close (back)[0]));   /* a gap stays a gap */
  g_assert_cmpfloat (sextant_price_series_get_close (back)[1], ==, 1.65);

  g_assert_true (sextant_market_cache_get_coverage (f->cache, "ABC", &coverage, &error));
  g_assert_cmpint (coverage.n_bars, ==, 3);
  g_assert_cmpint (coverage.first_day, ==, 100);
  g_assert_cmpint (coverage.last_day, ==, 104);
  g_assert_cmpint (coverage.fetched_at, ==, 12345);

  g_clear_pointer (&back, sextant_price_series_unref);
  back = sextant_market_cache_get_bars (f->cache, "ZZZ", 0, 0, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND);
}

/* Cache first: the second request for a range the cache holds costs no call. Range
 * 11590…11592 is 2001-09-25…27, the three bars of finnhub_candle.json. */
static void
test_cache_first_daily (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) first = NULL;
  g_autoptr(SextantPriceSeries) second = NULL;
  g_autofree char *provider = NULL;

  fake_market_server_push (f->server, "/stock/candle", NULL, 200, "application/json",
                           "finnhub_candle.json");
  first = get_daily (f, 11590, 11592, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (first), ==, 3);
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 1);

  second = get_daily (f, 11590, 11592, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (second), ==, 3);
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 1);
  provider = sextant_market_cache_dup_bar_provider (f->cache, "MSFT");
  g_assert_cmpstr (provider, ==, "finnhub");
}

static void
test_cache_first_quote (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) q1 = NULL;
  g_autoptr(SextantQuote) q2 = NULL;
  g_autoptr(SextantQuote) q3 = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  fake_market_server_push (f->server, "/quote", NULL, 200, "application/json", "finnhub_quote.json");
  sextant_market_data_set_now (f->data, now);
  q1 = get_quote (f, NULL, &error);
  g_assert_no_error (error);
  /* as_of 1001620800 (2001-09-27) is far older than a day: stale. */
  g_assert_true (q1->stale);
  q2 = get_quote (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (q2->price, ==, 49.96);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/quote"), ==, 1);

  /* 61 s later the 60 s quote cache has expired. */
  sextant_market_data_set_now (f->data, now + 61);
  q3 = get_quote (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/quote"), ==, 2);
}

/* The universe is the store: bars from any source, plus instruments remembered from a search. */
static void
test_search_instruments (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) by_symbol = NULL;
  g_autoptr(GPtrArray) by_name = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(SextantSymbolMatch) apple = sextant_symbol_match_new ("AAPL", "alphavantage");
  g_autoptr(SextantSymbolMatch) sap = sextant_symbol_match_new ("SAP.DEX", "alphavantage");
  const SextantSymbolMatch *m;

  g_assert_true (sextant_market_cache_begin_import (f->cache, "csv", 0, &error));
  g_assert_true (sextant_market_cache_import_bar (f->cache, "AAPL", 19000, NAN, NAN, NAN, 150, NAN,
                                                  &error));
  g_assert_true (sextant_market_cache_import_bar (f->cache, "AA", 19000, NAN, NAN, NAN, 30, NAN,
                                                  &error));
  g_assert_true (sextant_market_cache_commit_import (f->cache, &error));
  g_assert_no_error (error);
  apple->name = g_strdup ("Apple Inc");
  apple->currency = g_strdup ("USD");
  apple->region = g_strdup ("United States");
  sap->name = g_strdup ("SAP SE");
  sap->currency = g_strdup ("EUR");
  sap->exchange = g_strdup ("XETRA");
  g_assert_true (sextant_market_cache_put_match (f->cache, apple, &error));
  g_assert_true (sextant_market_cache_put_match (f->cache, sap, &error));

  /* The exact symbol first, then the other prefixes; an instrument without bars says so. */
  by_symbol = sextant_market_cache_search_instruments (f->cache, "aa", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_symbol->len, ==, 2);
  g_assert_cmpstr (((SextantSymbolMatch *) by_symbol->pdata[0])->symbol, ==, "AA");
  m = by_symbol->pdata[1];
  g_assert_cmpstr (m->symbol, ==, "AAPL");
  g_assert_cmpstr (m->name, ==, "Apple Inc");
  g_assert_cmpstr (m->currency, ==, "USD");
  g_assert_cmpstr (m->exchange, ==, "United States");
  g_assert_cmpstr (m->source, ==, "local");
  g_assert_true (m->has_bars);

  by_name = sextant_market_cache_search_instruments (f->cache, "sap", 10, &error);
  g_assert_cmpuint (by_name->len, ==, 1);
  m = by_name->pdata[0];
  g_assert_cmpstr (m->symbol, ==, "SAP.DEX");
  g_assert_cmpstr (m->exchange, ==, "XETRA");
  g_assert_false (m->has_bars);

  /* LIKE's wildcards are the user's text, not patterns. */
  none = sextant_market_cache_search_instruments (f->cache, "%", 10, &error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_stale_threshold (void)
{
  g_autoptr(SextantQuote) quote = sextant_quote_new ("MSFT", "finnhub");

  quote->as_of = 1001620800;
  sextant_quote_update_stale (quote, 1001620800 + 3600, 86400);
  g_assert_false (quote->stale);
  sextant_quote_update_stale (quote, 1001620800 + 86401, 86400);
  g_assert_true (quote->stale);
}

/* Every fetched body is kept compressed and parses again to the same bars. */
static void
test_raw_response_reparse (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autoptr(SextantPriceSeries) reparsed = NULL;
  g_autoptr(SextantMarketResponse) stored = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(SextantMarketProvider) fresh = sextant_finnhub_provider_new ();

  fake_market_server_push (f->server, "/stock/candle", NULL, 200, "application/json",
                           "finnhub_candle.json");
  series = get_daily (f, 11590, 11592, NULL, &error);
  g_assert_no_error (error);

  ids = sextant_market_cache_list_responses (f->cache, "MSFT", "daily", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  stored = sextant_market_cache_get_response (f->cache, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->provider, ==, "finnhub");
  g_assert_cmpuint (stored->status, ==, 200);
  g_assert_cmpstr (stored->content_type, ==, "application/json");
  /* 170 bytes: the size of finnhub_candle.json */
  g_assert_cmpuint (g_bytes_get_size (stored->body), ==, 170);

  reparsed = sextant_market_provider_parse_daily (fresh, stored, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (reparsed), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpfloat (sextant_price_series_get_close (reparsed)[i], ==,
                       sextant_price_series_get_close (series)[i]);
}

/* A failing provider leaves what was fetched before; its refusal is kept in the lake too. */
static void
test_failure_keeps_cache (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) fetch_error = NULL;
  g_autoptr(SextantPriceSeries) first = NULL;
  g_autoptr(SextantPriceSeries) second = NULL;
  g_autoptr(GArray) ids = NULL;

  fake_market_server_push (f->server, "/stock/candle", NULL, 200, "application/json",
                           "finnhub_candle.json");
  fake_market_server_push (f->server, "/stock/candle", NULL, 403, "application/json",
                           "finnhub_403_no_access.json");
  first = get_daily (f, 11590, 11592, NULL, &error);
  g_assert_no_error (error);
  /* A wider range is not cached: a call is made, refused, and the cached bars come back. */
  second = get_daily (f, 11500, 11592, &fetch_error, &error);
  g_assert_no_error (error);
  g_assert_error (fetch_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_ENTITLED);
  g_assert_cmpuint (sextant_price_series_get_length (second), ==, 3);
  ids = sextant_market_cache_list_responses (f->cache, "MSFT", NULL, &error);
  g_assert_cmpuint (ids->len, ==, 2);
}

static void
test_quote_offline_from_bars (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) fetch_error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  g_assert_true (sextant_market_cache_ensure_demo (f->cache, &error));
  g_assert_no_error (error);
  sextant_market_provider_set_api_key (f->finnhub, NULL);
  quote = get_quote (f, &fetch_error, &error);
  g_assert_no_error (error);
  g_assert_error (fetch_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_PROVIDER);
  /* The last MSFT bar of data/demo/msft_2000-09_2001-09_ohlcv.csv: 2001-09-27, close 49.96 */
  g_assert_cmpstr (quote->provider, ==, "demo");
  g_assert_cmpfloat (quote->price, ==, 49.96);
  g_assert_cmpfloat (quote->previous_close, ==, 50.27);
  g_assert_true (quote->stale);
}

static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) index = NULL;
  g_autoptr(SextantPriceSeries) msft = NULL;
  g_auto(GStrv) symbols = NULL;
  gint32 day;

  g_assert_true (sextant_market_cache_ensure_demo (f->cache, &error));
  g_assert_true (sextant_market_cache_ensure_demo (f->cache, &error));
  g_assert_no_error (error);
  /* sp500_2000-2020_ohlcv.csv has 5,105 data rows, 2000-01-03 … 2020-04-17 (counted with
   * Python's csv module; the READMEs say 5,104, one short). */
  index = sextant_market_cache_get_bars (f->cache, "^GSPC", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (index), ==, 5105);
  /* The 30 Dow stocks (MSFT among them) and ^GSPC */
  symbols = sextant_market_cache_list_symbols (f->cache, &error);
  g_assert_cmpuint (g_strv_length (symbols), ==, 31);
  /* 2000-09-27 has MSFT's full bar (open 63.4375), not the Dow file's close-only row. */
  g_assert_true (sextant_day_parse_iso ("2000-09-27", &day));
  msft = sextant_market_cache_get_bars (f->cache, "MSFT", day, day, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sextant_price_series_get_open (msft)[0], ==, 63.4375);
}


/* Bars are stored in symbol-year blocks: re-imported days replace, ranges cross years.
 * Day 363 is 1970-12-30 and day 365 is 1971-01-01 (1970 has 365 days). */
static void
test_blocks (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SextantPriceSeries) first = sextant_price_series_new ("XY", 4);
  g_autoptr(SextantPriceSeries) update = sextant_price_series_new ("XY", 1);
  g_autoptr(SextantPriceSeries) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider = NULL;
  SextantBarCoverage coverage;

  for (int i = 0; i < 4; i++)
    sextant_price_series_set_row (first, i, 363 + i, NAN, NAN, NAN, 10 + i, NAN);
  g_assert_true (sextant_market_cache_put_bars (f->cache, first, "csv", 1, &error));
  sextant_price_series_set_row (update, 0, 364, NAN, NAN, NAN, 99, NAN);
  g_assert_true (sextant_market_cache_put_bars (f->cache, update, "finnhub", 2, &error));
  g_assert_no_error (error);

  back = sextant_market_cache_get_bars (f->cache, "XY", 364, 365, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (back), ==, 2);
  g_assert_cmpfloat (sextant_price_series_get_close (back)[0], ==, 99);
  g_assert_cmpfloat (sextant_price_series_get_close (back)[1], ==, 12);
  g_assert_true (sextant_market_cache_get_coverage (f->cache, "XY", &coverage, &error));
  g_assert_cmpint (coverage.n_bars, ==, 4);
  g_assert_cmpint (coverage.first_day, ==, 363);
  g_assert_cmpint (coverage.last_day, ==, 366);
  g_assert_cmpint (coverage.fetched_at, ==, 2);
  provider = sextant_market_cache_dup_bar_provider (f->cache, "XY");
  g_assert_cmpstr (provider, ==, "csv");
}

/* Demo bars never replace bars a user imported. 11592 is 2001-09-27. */
static void
test_demo_keeps_user_bars (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(SextantPriceSeries) mine = sextant_price_series_new ("MSFT", 1);
  g_autoptr(SextantPriceSeries) back = NULL;
  g_autoptr(GError) error = NULL;

  sextant_price_series_set_row (mine, 0, 11592, NAN, NAN, NAN, 1.25, NAN);
  g_assert_true (sextant_market_cache_put_bars (f->cache, mine, "csv", 1, &error));
  g_assert_true (sextant_market_cache_ensure_demo (f->cache, &error));
  back = sextant_market_cache_get_bars (f->cache, "MSFT", 11591, 11592, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (back), ==, 2);
  /* 2001-09-26 from the demo file (close 50.27), 2001-09-27 still the user's */
  g_assert_cmpfloat (sextant_price_series_get_close (back)[0], ==, 50.27);
  g_assert_cmpfloat (sextant_price_series_get_close (back)[1], ==, 1.25);
}

/* Within one batch a later bar of the same day wins; NaN survives encoding. */
static void
test_block_codec (void)
{
  g_autoptr(SextantBarBlock) block = sextant_bar_block_new ("Z", 1970);
  g_autoptr(SextantBarBlock) back = sextant_bar_block_new ("Z", 1970);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *providers = NULL;
  SextantBarRecord r1 = { 5, 0, 7, 1, 2, 0.5, 1.5, 5 };
  SextantBarRecord r2 = { 3, 0, 7, 1, 2, 0.5, 2.5, NAN };
  SextantBarRecord r3 = { 5, 0, 8, 1, 2, 0.5, 3.5, 20 };
  const SextantBarRecord *out;

  sextant_bar_block_intern (block, "csv");
  g_array_append_val (block->records, r1);
  g_array_append_val (block->records, r2);
  g_array_append_val (block->records, r3);
  sextant_bar_block_normalize (block);
  g_assert_cmpuint (block->records->len, ==, 2);
  bytes = sextant_bar_block_encode (block);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 2 * 56);
  providers = sextant_bar_block_join_providers (block);
  g_assert_true (sextant_bar_block_decode (back, g_bytes_get_data (bytes, NULL),
                                           g_bytes_get_size (bytes), providers));
  out = (const SextantBarRecord *) back->records->data;
  g_assert_cmpint (out[0].day, ==, 3);
  g_assert_true (isnan (out[0].volume));
  g_assert_cmpint (out[1].day, ==, 5);
  g_assert_cmpfloat (out[1].close, ==, 3.5);
  g_assert_cmpint (out[1].fetched_at, ==, 8);
  g_assert_cmpstr (g_ptr_array_index (back->providers, 0), ==, "csv");
  g_assert_false (sextant_bar_block_decode (back, g_bytes_get_data (bytes, NULL), 55, providers));
}

/* 25 Alpha Vantage answers in the lake from the last hour: a new process must not send a 26th
 * (the free plan's 25 a day, market-apis/README.md). */
static void
test_daily_allowance_persists (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(SextantMarketProvider) alpha = NULL;
  g_autoptr(SextantMarketRouter) router = sextant_market_router_new ();
  g_autoptr(SextantMarketData) service = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) fetch_error = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(SextantMarketResponse) response =
        sextant_market_response_new ("alphavantage", "quote", "MSFT", 200, "application/json", NULL);

      response->fetched_at = now - 3600 + i * 100;
      g_assert_cmpint (sextant_market_cache_put_response (f->cache, response, &error), >, 0);
    }
  alpha = g_object_new (SEXTANT_TYPE_ALPHA_VANTAGE_PROVIDER, "session", f->session,
                        "base-url", fake_market_server_get_base_url (f->server),
                        "api-key", "K", NULL);
  fake_market_server_push (f->server, "/query", NULL, 200, "application/json",
                           "alphavantage_global_quote.json");
  sextant_market_router_add_provider (router, alpha);
  service = sextant_market_data_new (f->cache, router);
  sextant_market_data_get_quote_async (service, "ZZZ", NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  quote = sextant_market_data_get_quote_finish (service, result, &fetch_error, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "25/day"));
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 0);
}

/* Alpha Vantage answers with its last bars whatever the range: once asked, a request for older
 * history is answered from the cache for 12 hours instead of spending the 25-a-day quota on the
 * same answer. 11000 is 2000-02-12; the fixture's bars are 2001-09-25 … 27. */
static void
test_unranged_provider_not_asked_twice (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(SextantMarketProvider) alpha = NULL;
  g_autoptr(SextantMarketRouter) router = sextant_market_router_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) first = NULL;
  g_autoptr(SextantPriceSeries) second = NULL;
  g_autoptr(SextantPriceSeries) third = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  alpha = g_object_new (SEXTANT_TYPE_ALPHA_VANTAGE_PROVIDER, "session", f->session,
                        "base-url", fake_market_server_get_base_url (f->server),
                        "api-key", "K", NULL);
  fake_market_server_push (f->server, "/query", NULL, 200, "application/json",
                           "alphavantage_time_series_daily.json");
  sextant_market_router_add_provider (router, alpha);
  g_clear_object (&f->data);
  f->data = sextant_market_data_new (f->cache, router);

  first = get_daily (f, 11500, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (first), ==, 3);
  second = get_daily (f, 11000, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (second), ==, 3);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/query"), ==, 1);

  /* 13 hours on, the provider is asked again. */
  sextant_market_data_set_now (f->data, now + 13 * 3600);
  g_assert_false (sextant_market_data_range_is_cached (f->data, "MSFT", 11000, 0));
  third = get_daily (f, 11000, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/query"), ==, 2);
}

static void
count_progress_cb (const char *symbol,
                   guint       done,
                   guint       total,
                   gpointer    user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "%s %u/%u;", symbol != NULL ? symbol : "-", done, total);
}

static void
put_series (Fixture    *f,
            const char *symbol,
            gint32      first_day,
            gsize       n,
            const char *provider)
{
  g_autoptr(SextantPriceSeries) series = sextant_price_series_new (symbol, n);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < n; i++)
    sextant_price_series_set_row (series, i, first_day + i, NAN, NAN, NAN, 10.0 + i, NAN);
  g_assert_true (sextant_market_cache_put_bars (f->cache, series, provider, 1000, &error));
  g_assert_no_error (error);
}

/* The dashboard's refresh: which symbols are stale, one fetch each, failures per symbol with
 * the cached bars kept. The candle fixture holds 2001-09-25 to 27 (days 11590–11592). */
static void
test_price_refresh (Fixture       *f,
                    gconstpointer  data)
{
  const char *symbols[] = { "AA", "BB", "CC", "DD", NULL };
  g_auto(GStrv) stale = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GString) progress = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(SextantPriceSeries) bb = NULL;
  const SextantPriceRefreshOutcome *o;

  put_series (f, "AA", 11000, 5, "csv");
  put_series (f, "BB", 11000, 5, "csv");
  fake_market_server_push (f->server, "/stock/candle", "symbol=DD&", 200, "application/json",
                           "finnhub_candle.json");
  fake_market_server_push (f->server, "/stock/candle", "symbol=AA&", 200, "application/json",
                           "finnhub_candle.json");
  fake_market_server_push (f->server, "/stock/candle", NULL, 403, "application/json",
                           "finnhub_403_no_access.json");
  /* DD was just fetched: fresh for 12 hours. AA and BB end in 2000; CC has nothing. */
  {
    g_autoptr(GPtrArray) dd = sextant_price_refresh_run (f->data, (const char *[]) { "DD", NULL }, NULL,
                                                         NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (((SextantPriceRefreshOutcome *) dd->pdata[0])->fetched);
  }
  stale = sextant_price_refresh_list_stale (f->data, symbols);
  g_assert_cmpstrv (stale, ((const char *[]) { "AA", "BB", "CC", NULL }));

  g_cancellable_cancel (cancelled);
  g_assert_null (sextant_price_refresh_run (f->data, (const char * const *) stale, cancelled, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/stock/candle"), ==, 1);

  outcomes = sextant_price_refresh_run (f->data, (const char * const *) stale, NULL, count_progress_cb,
                                        progress, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (progress->str, ==, "AA 0/3;BB 1/3;CC 2/3;- 3/3;");
  g_assert_cmpuint (outcomes->len, ==, 3);
  o = outcomes->pdata[0];
  g_assert_cmpstr (o->symbol, ==, "AA");
  g_assert_true (o->fetched);
  g_assert_no_error (o->error);
  /* BB: refused, its five cached bars kept. CC: refused with nothing cached. */
  o = outcomes->pdata[1];
  g_assert_false (o->fetched);
  g_assert_error (o->error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_ENTITLED);
  bb = sextant_market_cache_get_bars (f->cache, "BB", 0, 0, &error);
  g_assert_cmpuint (sextant_price_series_get_length (bb), ==, 5);
  o = outcomes->pdata[2];
  g_assert_error (o->error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_ENTITLED);
  g_assert_nonnull (strstr (o->error->message, "No cached data for CC"));
  g_clear_pointer (&stale, g_strfreev);
  stale = sextant_price_refresh_list_stale (f->data, symbols);
  g_assert_cmpstrv (stale, ((const char *[]) { "BB", "CC", NULL }));
}

/* A provider that says "limit reached" is paused: one retry shows it, and the next symbol
 * fails at once without a request. */
static void
test_price_refresh_rate_limited (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;

  fake_market_server_push (f->server, "/stock/candle", NULL, 429, "application/json",
                           "finnhub_429_rate_limit.json");
  outcomes = sextant_price_refresh_run (f->data, (const char *[]) { "AA", "BB", NULL }, NULL, NULL, NULL,
                                        &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    g_assert_error (((SextantPriceRefreshOutcome *) outcomes->pdata[i])->error, SEXTANT_MARKET_ERROR,
                    SEXTANT_MARKET_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (((SextantPriceRefreshOutcome *) outcomes->pdata[1])->error->message, "rate limit"));
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/stock/candle"), ==, 1);
}

/* Newer closes replace the stale table only when every symbol has them; bars of the bundled
 * demo set do not count. */
static void
test_price_refresh_collect (Fixture       *f,
                            gconstpointer  data)
{
  const char *names[] = { "AA", "BB", NULL };
  g_autoptr(SextantPriceTable) stale = sextant_price_table_new (2, names);
  g_autoptr(SextantPriceTable) table = NULL;
  g_autoptr(GError) error = NULL;
  gsize n_missing = 0;

  sextant_price_table_get_days_mutable (stale)[0] = 11000;
  sextant_price_table_get_days_mutable (stale)[1] = 11001;
  put_series (f, "AA", 10990, 20, "csv");
  put_series (f, "BB", 10990, 20, "demo");
  /* AA has 8 days after 11001 (11002–11009); BB's are the demo's own. Day 10957 is 2000-01-01,
   * so 11001 is 44 days later, 2000-02-14. */
  g_assert_null (sextant_price_refresh_collect_closes (f->cache, stale, 3, &n_missing, &error));
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No prices after 2000-02-14 for BB");
  g_assert_cmpuint (n_missing, ==, 1);
  g_clear_error (&error);

  /* BB's newer bars from an import, 11005–11014, over its demo ones: BB now has every day from
   * 11002 (demo up to 11004), so the two share AA's 8. */
  put_series (f, "BB", 11005, 10, "csv");
  g_assert_null (sextant_price_refresh_collect_closes (f->cache, stale, 9, &n_missing, &error));
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA);
  g_clear_error (&error);
  table = sextant_price_refresh_collect_closes (f->cache, stale, 8, &n_missing, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_missing, ==, 0);
  g_assert_cmpuint (sextant_price_table_get_n_rows (table), ==, 8);
  g_assert_cmpstr (sextant_price_table_get_column_name (table, 0), ==, "AA");
  g_assert_cmpint (sextant_price_table_get_days (table)[0], ==, 11002);
  /* On 11005 AA closes at 10 + (11005 − 10990) = 25, and BB at the import's first close, 10. */
  g_assert_cmpfloat (sextant_price_table_get_column (table, 0)[3], ==, 25.0);
  g_assert_cmpfloat (sextant_price_table_get_column (table, 1)[3], ==, 10.0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sextant/market/cache/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("schema", test_schema);
  ADD ("search-instruments", test_search_instruments);
  ADD ("bars-round-trip", test_bars_round_trip);
  ADD ("cache-first-daily", test_cache_first_daily);
  ADD ("cache-first-quote", test_cache_first_quote);
  ADD ("raw-response-reparse", test_raw_response_reparse);
  ADD ("failure-keeps-cache", test_failure_keeps_cache);
  ADD ("quote-offline-from-bars", test_quote_offline_from_bars);
  ADD ("demo", test_demo);
  ADD ("blocks", test_blocks);
  ADD ("unranged-provider-not-asked-twice", test_unranged_provider_not_asked_twice);
  ADD ("daily-allowance-persists", test_daily_allowance_persists);
  ADD ("demo-keeps-user-bars", test_demo_keeps_user_bars);
  ADD ("price-refresh", test_price_refresh);
  ADD ("price-refresh-rate-limited", test_price_refresh_rate_limited);
  ADD ("price-refresh-collect", test_price_refresh_collect);
#undef ADD
  g_test_add_func ("/sextant/market/cache/compress-round-trip", test_compress_round_trip);
  g_test_add_func ("/sextant/market/cache/stale-threshold", test_stale_threshold);
  g_test_add_func ("/sextant/market/cache/block-codec", test_block_codec);

  return g_test_run ();
}
