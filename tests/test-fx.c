#define G_LOG_DOMAIN "test-fx"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

/* Every rate here comes from tests/data/market-apis/ecb_exr_daily.csv, whose values are
 * synthetic (the ECB's real column layout, numbers made up to be checked by hand). */

#define DAY(y, m, d) sextant_day_from_ymd (y, m, d)

static GPtrArray *
parse_fixture (void)
{
  g_autofree char *path = sextant_test_reference_path ("market-apis/ecb_exr_daily.csv");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  GPtrArray *series;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  series = sextant_ecb_rates_parse_csv (text, len, &error);
  g_assert_no_error (error);

  return series;
}

static SextantFxSeries *
find_series (GPtrArray  *all,
             const char *currency)
{
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (sextant_fx_series_get_quote (g_ptr_array_index (all, i)), currency) == 0)
      return g_ptr_array_index (all, i);

  return NULL;
}

/* The fixture: GBP, JPY, USD on seven weekdays; 2024-01-01 empty (GBP, USD) or NaN (JPY). */
static void
test_parse (void)
{
  g_autoptr(GPtrArray) all = parse_fixture ();
  SextantFxSeries *usd = find_series (all, "USD");
  SextantFxSeries *jpy = find_series (all, "JPY");

  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (sextant_fx_series_get_quote (g_ptr_array_index (all, 0)), ==, "GBP");
  g_assert_cmpstr (sextant_fx_series_get_base (usd), ==, "EUR");
  g_assert_cmpstr (sextant_fx_series_get_source (usd), ==, "ecb");
  g_assert_cmpuint (sextant_fx_series_get_length (usd), ==, 7);
  g_assert_cmpint (sextant_fx_series_get_days (usd)[0], ==, DAY (2023, 12, 28));
  g_assert_cmpfloat (sextant_fx_series_get_rates (usd)[0], ==, 1.11);
  g_assert_cmpfloat (sextant_fx_series_get_rates (usd)[6], ==, 1.092);
  g_assert_cmpfloat (sextant_fx_series_get_rates (jpy)[3], ==, 155.0);
  /* Missing stays missing: the holiday is a date without a value, never zero. */
  g_assert_cmpint (sextant_fx_series_get_days (usd)[2], ==, DAY (2024, 1, 1));
  g_assert_true (isnan (sextant_fx_series_get_rates (usd)[2]));
  g_assert_true (isnan (sextant_fx_series_get_rates (jpy)[2]));
}

/* Columns are found by name, in any order, with others around them and quoted commas. */
static void
test_parse_by_header_name (void)
{
  const char *csv =
    "TITLE_COMPL,OBS_VALUE,EXTRA,TIME_PERIOD,CURRENCY_DENOM,CURRENCY,FREQ\r\n"
    "\"US dollar, Euro\",1.25,x,2024-01-03,EUR,USD,D\r\n"
    "\"US dollar, Euro\",1.2,x,2024-01-02,EUR,USD,D\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = sextant_ecb_rates_parse_csv (csv, strlen (csv), &error);
  SextantFxSeries *usd;

  g_assert_no_error (error);
  usd = g_ptr_array_index (all, 0);
  g_assert_cmpuint (sextant_fx_series_get_length (usd), ==, 2);
  /* Sorted by date whatever the order of the rows. */
  g_assert_cmpint (sextant_fx_series_get_days (usd)[0], ==, DAY (2024, 1, 2));
  g_assert_cmpfloat (sextant_fx_series_get_rates (usd)[1], ==, 1.25);
}

static void
expect_parse_error (const char *csv,
                    int         code,
                    const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = sextant_ecb_rates_parse_csv (csv, strlen (csv), &error);

  g_assert_null (all);
  g_assert_error (error, SEXTANT_MARKET_ERROR, code);
  if (strstr (error->message, text) == NULL)
    g_error ("“%s” does not say “%s”", error->message, text);
}

#define HEADER "KEY,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
#define ROW(day, value) "EXR.D.USD.EUR.SP00.A,D,USD,EUR,SP00,A," day "," value ",A\n"

static void
test_parse_errors (void)
{
  expect_parse_error ("", SEXTANT_MARKET_ERROR_EMPTY, "empty body");
  expect_parse_error ("\n\n", SEXTANT_MARKET_ERROR_EMPTY, "empty body");
  expect_parse_error ("KEY,FREQ,CURRENCY,TIME_PERIOD,OBS_STATUS\n", SEXTANT_MARKET_ERROR_CSV_HEADER,
                      "no CURRENCY_DENOM column");
  expect_parse_error ("<html><body>Maintenance</body></html>\n", SEXTANT_MARKET_ERROR_CSV_HEADER,
                      "no CURRENCY column");
  expect_parse_error (HEADER ROW ("2024-01-02", "1.1") ROW ("2024-01-03", "abc"),
                      SEXTANT_MARKET_ERROR_CSV_ROW, "line 3: OBS_VALUE “abc” for USD");
  expect_parse_error (HEADER ROW ("2024-01-02", "0"), SEXTANT_MARKET_ERROR_CSV_ROW,
                      "line 2: OBS_VALUE “0”");
  expect_parse_error (HEADER ROW ("2024-01-02", "-1.1"), SEXTANT_MARKET_ERROR_CSV_ROW,
                      "not an exchange rate");
  expect_parse_error (HEADER ROW ("02/01/2024", "1.1"), SEXTANT_MARKET_ERROR_CSV_ROW,
                      "TIME_PERIOD “02/01/2024”");
  expect_parse_error (HEADER ROW ("2024-01-02", "1.1") "EXR.D.USD.EUR.SP00.A,D,USD,EUR,SP00,A,2024-01-03,1.",
                      SEXTANT_MARKET_ERROR_CSV_ROW, "line 3 has 8 fields where the header has 9 (a truncated");
  expect_parse_error (HEADER ROW ("2024-01-02", "1.1") ROW ("2024-01-02", "1.2"),
                      SEXTANT_MARKET_ERROR_PARSE, "2024-01-02 is out of order or repeated");
  expect_parse_error (HEADER "EXR.D.USD.USD.SP00.A,D,USD,USD,SP00,A,2024-01-02,1,A\n",
                      SEXTANT_MARKET_ERROR_CSV_ROW, "line 2 is not a daily rate against the euro");
}

/* Hand: GBP per USD = (GBP per EUR) / (USD per EUR); on 2024-01-05 0.86 / 1.092 =
 * 0.787545787545…; on 2024-01-02 0.867 / 1.095 = 0.791780821917…; 2024-01-01 has no rate. */
static void
test_cross (void)
{
  g_autoptr(GPtrArray) all = parse_fixture ();
  g_autoptr(SextantFxSeries) usd_gbp = NULL;
  g_autoptr(SextantFxSeries) usd_eur = NULL;
  g_autoptr(SextantFxSeries) eur_usd = NULL;
  g_autoptr(SextantFxSeries) none = NULL;
  g_autoptr(GError) error = NULL;
  gint32 day = 0;

  usd_gbp = sextant_fx_series_cross (find_series (all, "USD"), find_series (all, "GBP"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sextant_fx_series_get_base (usd_gbp), ==, "USD");
  g_assert_cmpstr (sextant_fx_series_get_quote (usd_gbp), ==, "GBP");
  g_assert_cmpuint (sextant_fx_series_get_length (usd_gbp), ==, 7);
  sextant_assert_close_rel (sextant_fx_series_get_latest (usd_gbp, &day), 0.787545787545787, 1e-14);
  g_assert_cmpint (day, ==, DAY (2024, 1, 5));
  sextant_assert_close_rel (sextant_fx_series_get_rates (usd_gbp)[3], 0.791780821917808, 1e-14);
  g_assert_true (isnan (sextant_fx_series_get_rates (usd_gbp)[2]));

  /* Into the euro: 1 / 1.092 = 0.915750915750…; out of it, the ECB's own figure. */
  usd_eur = sextant_fx_series_cross (find_series (all, "USD"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sextant_fx_series_get_quote (usd_eur), ==, "EUR");
  sextant_assert_close_rel (sextant_fx_series_get_rates (usd_eur)[6], 0.915750915750916, 1e-14);
  g_assert_true (isnan (sextant_fx_series_get_rates (usd_eur)[2]));
  eur_usd = sextant_fx_series_cross (NULL, find_series (all, "USD"), &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sextant_fx_series_get_rates (eur_usd)[6], ==, 1.092);

  none = sextant_fx_series_cross (NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA);
}

/* A date without a rate takes the last earlier one within five days, and no older one. */
static void
test_lookup (void)
{
  g_autoptr(GPtrArray) all = parse_fixture ();
  SextantFxSeries *usd = find_series (all, "USD");
  gint32 used = 0;

  g_assert_cmpfloat (sextant_fx_series_lookup (usd, DAY (2024, 1, 3), 5, &used), ==, 1.09);
  g_assert_cmpint (used, ==, DAY (2024, 1, 3));
  /* The holiday row has no value: Friday's rate. */
  g_assert_cmpfloat (sextant_fx_series_lookup (usd, DAY (2024, 1, 1), 5, &used), ==, 1.105);
  g_assert_cmpint (used, ==, DAY (2023, 12, 29));
  g_assert_true (isnan (sextant_fx_series_lookup (usd, DAY (2024, 1, 1), 0, NULL)));
  g_assert_cmpfloat (sextant_fx_series_lookup (usd, DAY (2024, 1, 10), 5, NULL), ==, 1.092);
  g_assert_true (isnan (sextant_fx_series_lookup (usd, DAY (2024, 1, 11), 5, NULL)));
  g_assert_true (isnan (sextant_fx_series_lookup (usd, DAY (2023, 12, 27), 5, NULL)));
}

/* A USD series into EUR, each close divided by that date's USD per EUR (hand):
 *   2023-12-20  no rate before it at all                → dropped
 *   2023-12-29  221.00 / 1.1050 = 200                   (high 232.05 / 1.105 = 210)
 *   2024-01-01  110.50 / 1.1050 = 100  (holiday: Friday 2023-12-29's rate)
 *   2024-01-02  109.50 / 1.0950 = 100
 *   2024-01-06  218.40 / 1.0920 = 200  (Saturday: Friday 2024-01-05's rate)
 *   2024-01-12  seven days after the last rate          → dropped */
static void
test_convert_usd_to_eur (void)
{
  g_autoptr(GPtrArray) all = parse_fixture ();
  g_autoptr(SextantFxSeries) usd_eur = sextant_fx_series_cross (find_series (all, "USD"), NULL, NULL);
  g_autoptr(SextantPriceSeries) prices = sextant_price_series_new ("MSFT", 6);
  g_autoptr(SextantPriceSeries) eur = NULL;
  g_autoptr(GArray) dropped = NULL;
  g_autoptr(GError) error = NULL;

  sextant_price_series_set_row (prices, 0, DAY (2023, 12, 20), 1, 1, 1, 1, 10);
  sextant_price_series_set_row (prices, 1, DAY (2023, 12, 29), 221.0, 232.05, 210.0, 221.0, 500);
  sextant_price_series_set_row (prices, 2, DAY (2024, 1, 1), 110.5, 110.5, 110.5, 110.5, 0);
  sextant_price_series_set_row (prices, 3, DAY (2024, 1, 2), 109.5, 109.5, 109.5, 109.5, 7);
  sextant_price_series_set_row (prices, 4, DAY (2024, 1, 6), 218.4, 218.4, 218.4, 218.4, 8);
  sextant_price_series_set_row (prices, 5, DAY (2024, 1, 12), 1, 1, 1, 1, 9);

  eur = sextant_fx_convert_series (prices, usd_eur, &dropped, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sextant_price_series_get_symbol (eur), ==, "MSFT");
  g_assert_cmpuint (sextant_price_series_get_length (eur), ==, 4);
  g_assert_cmpint (sextant_price_series_get_days (eur)[0], ==, DAY (2023, 12, 29));
  sextant_assert_close_rel (sextant_price_series_get_close (eur)[0], 200.0, 1e-14);
  sextant_assert_close_rel (sextant_price_series_get_high (eur)[0], 210.0, 1e-14);
  sextant_assert_close_rel (sextant_price_series_get_low (eur)[0], 210.0 / 1.105, 1e-14);
  g_assert_cmpfloat (sextant_price_series_get_volume (eur)[0], ==, 500);
  sextant_assert_close_rel (sextant_price_series_get_close (eur)[1], 100.0, 1e-14);
  sextant_assert_close_rel (sextant_price_series_get_close (eur)[2], 100.0, 1e-14);
  g_assert_cmpint (sextant_price_series_get_days (eur)[3], ==, DAY (2024, 1, 6));
  sextant_assert_close_rel (sextant_price_series_get_close (eur)[3], 200.0, 1e-14);
  g_assert_cmpuint (dropped->len, ==, 2);
  g_assert_cmpint (g_array_index (dropped, gint32, 0), ==, DAY (2023, 12, 20));
  g_assert_cmpint (g_array_index (dropped, gint32, 1), ==, DAY (2024, 1, 12));
}

static void
test_convert_no_rate (void)
{
  g_autoptr(GPtrArray) all = parse_fixture ();
  g_autoptr(SextantPriceSeries) prices = sextant_price_series_new ("IBM", 1);
  g_autoptr(SextantPriceSeries) converted = NULL;
  g_autoptr(GError) error = NULL;

  sextant_price_series_set_row (prices, 0, DAY (2020, 1, 2), 1, 1, 1, 1, 1);
  converted = sextant_fx_convert_series (prices, find_series (all, "USD"), NULL, &error);
  g_assert_null (converted);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "No USD per EUR rate within 5 days"));
}

typedef struct
{
  char               *dir;
  char               *path;
  SextantStore       *store;
  SextantMarketCache *cache;
  FakeMarketServer   *server;
  SextantEcbRates    *ecb;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SoupSession) session = fake_market_session_new ();
  g_autoptr(GError) error = NULL;

  f->dir = sextant_test_make_temp_dir ();
  f->path = g_build_filename (f->dir, "fx.db", NULL);
  f->store = sextant_schema_open (f->path, &error);
  g_assert_no_error (error);
  f->cache = sextant_market_cache_new (f->store);
  f->server = fake_market_server_new ();
  fake_market_server_serve_ecb (f->server, "ecb_exr_daily.csv");
  f->ecb = g_object_new (SEXTANT_TYPE_ECB_RATES, "session", session,
                         "base-url", fake_market_server_get_base_url (f->server), NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_assert_finalize_object (f->ecb);
  fake_market_server_free (f->server);
  g_assert_finalize_object (f->cache);
  g_assert_finalize_object (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_unlink (file);
    }
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

static GPtrArray *
fetch (Fixture                *f,
       const char * const     *currencies,
       gint32                  from_day,
       gint32                  to_day,
       SextantMarketResponse **response,
       GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_ecb_rates_fetch_async (f->ecb, currencies, from_day, to_day, NULL, store_result_cb,
                                 &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sextant_ecb_rates_fetch_finish (f->ecb, result, response, error);
}

/* The request is the documented one, and the answer holds what was asked for. */
static void
test_fetch (Fixture       *f,
            gconstpointer  data)
{
  const char *currencies[] = { "USD", "GBP", NULL };
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  all = fetch (f, currencies, DAY (2024, 1, 2), DAY (2024, 1, 4), &response, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fake_market_server_get_last_query (f->server), ==,
                   "startPeriod=2024-01-02&endPeriod=2024-01-04&format=csvdata");
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/service/data/EXR/D.USD+GBP.EUR.SP00.A"), ==, 1);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpuint (sextant_fx_series_get_length (find_series (all, "GBP")), ==, 3);
  g_assert_cmpfloat (sextant_fx_series_get_rates (find_series (all, "USD"))[2], ==, 1.095);
  g_assert_cmpint (sextant_fx_series_get_fetched_at (find_series (all, "USD")), ==, response->fetched_at);
  g_assert_cmpstr (response->provider, ==, "ecb");
  g_assert_cmpstr (response->kind, ==, "fx");
  g_assert_cmpstr (response->symbol, ==, "USD+GBP");
  g_assert_cmpint (response->from_day, ==, DAY (2024, 1, 2));

  url = sextant_ecb_rates_build_url (f->ecb, currencies, DAY (1999, 1, 4), 0);
  g_assert_true (g_str_has_suffix (url, "/service/data/EXR/D.USD+GBP.EUR.SP00.A?"
                                        "startPeriod=1999-01-04&format=csvdata"));
  g_assert_cmpint (DAY (1999, 1, 4), ==, SEXTANT_ECB_FIRST_DAY);
}

static void
expect_fetch_error (Fixture            *f,
                    const char * const *currencies,
                    int                 code,
                    const char         *text)
{
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  all = fetch (f, currencies, DAY (2024, 1, 2), DAY (2024, 1, 5), &response, &error);
  g_assert_null (all);
  g_assert_error (error, SEXTANT_MARKET_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, "ECB: "));
  if (strstr (error->message, text) == NULL)
    g_error ("“%s” does not say “%s”", error->message, text);
}

static void
test_fetch_errors (Fixture       *f,
                   gconstpointer  data)
{
  const char *usd[] = { "USD", NULL };
  const char *unknown[] = { "ZZZ", NULL };
  const char *bad[] = { "usd1", NULL };
  const char *eur[] = { "EUR", NULL };
  g_autofree char *closed = NULL;

  expect_fetch_error (f, unknown, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                      "no such series for ZZZ (an unknown currency");
  expect_fetch_error (f, bad, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL, "“usd1” is not an ISO 4217");
  expect_fetch_error (f, eur, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL, "no rate of its own");
  fake_market_server_set_ecb_fault (f->server, FAKE_ECB_NOT_FOUND);
  expect_fetch_error (f, usd, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL, "HTTP 404: No results found.");
  fake_market_server_set_ecb_fault (f->server, FAKE_ECB_SERVER_ERROR);
  expect_fetch_error (f, usd, SEXTANT_MARKET_ERROR_HTTP, "HTTP 500 for USD: Internal Server Error");
  fake_market_server_set_ecb_fault (f->server, FAKE_ECB_TRUNCATED);
  expect_fetch_error (f, usd, SEXTANT_MARKET_ERROR_CSV_ROW, "(a truncated response?)");

  closed = g_strdup_printf ("http://127.0.0.1:%u", fake_market_closed_port ());
  sextant_ecb_rates_set_base_url (f->ecb, closed);
  expect_fetch_error (f, usd, SEXTANT_MARKET_ERROR_NETWORK, "cannot reach http://127.0.0.1:");
}

/* Rows with empty values parse as missing rates, never as zero. */
static void
test_fetch_empty_values (Fixture       *f,
                         gconstpointer  data)
{
  const char *usd[] = { "USD", NULL };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  SextantFxSeries *series;

  fake_market_server_set_ecb_fault (f->server, FAKE_ECB_EMPTY_VALUES);
  all = fetch (f, usd, DAY (2024, 1, 2), DAY (2024, 1, 5), NULL, &error);
  g_assert_no_error (error);
  series = g_ptr_array_index (all, 0);
  g_assert_cmpuint (sextant_fx_series_get_length (series), ==, 4);
  for (gsize i = 0; i < 4; i++)
    g_assert_true (isnan (sextant_fx_series_get_rates (series)[i]));
  g_assert_true (isnan (sextant_fx_series_get_latest (series, NULL)));
}

static void
test_environment (void)
{
  g_autoptr(SextantEcbRates) plain = NULL;
  g_autoptr(SextantEcbRates) local = NULL;
  g_autoptr(SextantEcbRates) remote = NULL;
  g_autoptr(GError) error = NULL;

  g_unsetenv ("SEXTANT_ALLOW_INSECURE_ENDPOINT");
  g_unsetenv ("SEXTANT_ECB_BASE_URL");
  plain = sextant_ecb_rates_new_from_environment (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (sextant_ecb_rates_get_base_url (plain), ==, "https://data-api.ecb.europa.eu");

  g_setenv ("SEXTANT_ECB_BASE_URL", "http://127.0.0.1:9/", TRUE);
  local = sextant_ecb_rates_new_from_environment (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (sextant_ecb_rates_get_base_url (local), ==, "http://127.0.0.1:9");

  g_setenv ("SEXTANT_ECB_BASE_URL", "http://rates.example.org", TRUE);
  remote = sextant_ecb_rates_new_from_environment (&error);
  g_assert_null (remote);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT);
  g_assert_nonnull (strstr (error->message, "SEXTANT_ECB_BASE_URL"));
  g_unsetenv ("SEXTANT_ECB_BASE_URL");
}

static gboolean
update (Fixture            *f,
        const char * const *currencies,
        gint32              from_day,
        gint32              to_day,
        guint              *n_fetched,
        GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_ecb_rates_update_cache_async (f->ecb, f->cache, currencies, from_day, to_day, NULL,
                                        store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sextant_ecb_rates_update_cache_finish (f->ecb, result, n_fetched, error);
}

/* Fetched once, then answered from the cache; holidays stored as missing; the raw answer kept. */
static void
test_cache (Fixture       *f,
            gconstpointer  data)
{
  const char *currencies[] = { "USD", "GBP", "EUR", NULL };
  const char *jpy[] = { "JPY", "USD", NULL };
  g_autoptr(SextantFxSeries) usd = NULL;
  g_autoptr(GArray) lake = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 99;

  g_assert_true (update (f, currencies, DAY (2023, 12, 28), DAY (2024, 1, 5), &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 1);
  g_assert_true (update (f, currencies, DAY (2024, 1, 1), DAY (2024, 1, 4), &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 1);
  /* Only the currency the cache lacks is asked for. */
  g_assert_true (update (f, jpy, DAY (2024, 1, 1), DAY (2024, 1, 4), &n, &error));
  g_assert_cmpuint (n, ==, 1);
  g_assert_nonnull (strstr (fake_market_server_get_last_query (f->server), "startPeriod=2024-01-01"));
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/service/data/EXR/D.JPY.EUR.SP00.A"), ==, 1);

  usd = sextant_market_cache_get_fx_rates (f->cache, "USD", DAY (2023, 12, 29), DAY (2024, 1, 2), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_fx_series_get_length (usd), ==, 3);
  g_assert_cmpfloat (sextant_fx_series_get_rates (usd)[0], ==, 1.105);
  g_assert_true (isnan (sextant_fx_series_get_rates (usd)[1]));
  g_assert_cmpstr (sextant_fx_series_get_source (usd), ==, "ecb");
  g_assert_cmpint (sextant_fx_series_get_fetched_at (usd), >, 0);

  lake = sextant_market_cache_list_responses (f->cache, "USD+GBP", "fx", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lake->len, ==, 1);
}

/* A USD series into GBP with the cached rates (hand, GBP per USD = GBP per EUR / USD per EUR):
 *   2024-01-01 (holiday)  110.5 × 0.869 / 1.105 = 86.9   (Friday 2023-12-29's rates)
 *   2024-01-02            109.5 × 0.867 / 1.095 = 86.7
 *   2024-01-20            no rate within 5 days           → dropped */
static void
test_cache_convert (Fixture       *f,
                    gconstpointer  data)
{
  const char *currencies[] = { "USD", "GBP", NULL };
  g_autoptr(SextantPriceSeries) prices = sextant_price_series_new ("IBM", 3);
  g_autoptr(SextantPriceSeries) gbp = NULL;
  g_autoptr(SextantPriceSeries) same = NULL;
  g_autoptr(GArray) dropped = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (update (f, currencies, DAY (2023, 12, 28), DAY (2024, 1, 5), NULL, &error));
  sextant_price_series_set_row (prices, 0, DAY (2024, 1, 1), 110.5, 110.5, 110.5, 110.5, 1);
  sextant_price_series_set_row (prices, 1, DAY (2024, 1, 2), 109.5, 109.5, 109.5, 109.5, 1);
  sextant_price_series_set_row (prices, 2, DAY (2024, 1, 20), 100, 100, 100, 100, 1);
  gbp = sextant_market_cache_convert_series (f->cache, prices, "USD", "GBP", &dropped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (gbp), ==, 2);
  sextant_assert_close_rel (sextant_price_series_get_close (gbp)[0], 86.9, 1e-14);
  sextant_assert_close_rel (sextant_price_series_get_close (gbp)[1], 86.7, 1e-14);
  g_assert_cmpuint (dropped->len, ==, 1);
  g_assert_cmpint (g_array_index (dropped, gint32, 0), ==, DAY (2024, 1, 20));

  same = sextant_market_cache_convert_series (f->cache, prices, "USD", "USD", NULL, &error);
  g_assert_true (same == prices);
}

/* A failed fetch leaves the cache as it was and its answer in the data lake. */
static void
test_cache_failure (Fixture       *f,
                    gconstpointer  data)
{
  const char *unknown[] = { "ZZZ", NULL };
  g_autoptr(SextantFxSeries) zzz = NULL;
  g_autoptr(GArray) lake = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (update (f, unknown, DAY (2024, 1, 1), DAY (2024, 1, 4), NULL, &error));
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL);
  g_clear_error (&error);
  lake = sextant_market_cache_list_responses (f->cache, "ZZZ", "fx", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lake->len, ==, 1);
  g_assert_false (sextant_market_cache_covers_fx (f->cache, "ZZZ", DAY (2024, 1, 1),
                                                  DAY (2024, 1, 4), g_get_real_time () / G_USEC_PER_SEC));
  zzz = sextant_market_cache_get_fx_rates (f->cache, "ZZZ", 0, 0, &error);
  g_assert_cmpuint (sextant_fx_series_get_length (zzz), ==, 0);
}

/* A fetch answers for the days before the day it was made; for its own day, only an hour. */
static void
test_coverage (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gint64 fetched = (gint64) DAY (2024, 1, 5) * 86400 + 12 * 3600;

  response = sextant_market_response_new ("ecb", "fx", "USD+GBP", 200, "text/csv", NULL);
  response->fetched_at = fetched;
  response->from_day = DAY (2024, 1, 1);
  response->to_day = DAY (2024, 1, 5);
  g_assert_true (sextant_market_cache_put_fx_rates (f->cache, none, response, &error));
  g_assert_no_error (error);

#define COVERS(c, from, to, now) sextant_market_cache_covers_fx (f->cache, c, from, to, now)
  g_assert_true (COVERS ("GBP", DAY (2024, 1, 2), DAY (2024, 1, 4), fetched + 86400 * 30));
  g_assert_true (COVERS ("USD", DAY (2024, 1, 1), DAY (2024, 1, 5), fetched + 600));
  g_assert_false (COVERS ("USD", DAY (2024, 1, 1), DAY (2024, 1, 5), fetched + 7200));
  g_assert_false (COVERS ("USD", DAY (2023, 12, 29), DAY (2024, 1, 4), fetched + 600));
  g_assert_false (COVERS ("US", DAY (2024, 1, 2), DAY (2024, 1, 4), fetched + 600));
  g_assert_false (COVERS ("JPY", DAY (2024, 1, 2), DAY (2024, 1, 4), fetched + 600));
#undef COVERS
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/fx/parse", test_parse);
  g_test_add_func ("/sextant/fx/parse-by-header-name", test_parse_by_header_name);
  g_test_add_func ("/sextant/fx/parse-errors", test_parse_errors);
  g_test_add_func ("/sextant/fx/cross", test_cross);
  g_test_add_func ("/sextant/fx/lookup", test_lookup);
  g_test_add_func ("/sextant/fx/convert-usd-to-eur", test_convert_usd_to_eur);
  g_test_add_func ("/sextant/fx/convert-no-rate", test_convert_no_rate);
  g_test_add_func ("/sextant/fx/environment", test_environment);
#define ADD(path, func) \
  g_test_add ("/sextant/fx/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("fetch", test_fetch);
  ADD ("fetch-errors", test_fetch_errors);
  ADD ("fetch-empty-values", test_fetch_empty_values);
  ADD ("cache", test_cache);
  ADD ("cache-convert", test_cache_convert);
  ADD ("cache-failure", test_cache_failure);
  ADD ("coverage", test_coverage);
#undef ADD

  return g_test_run ();
}
