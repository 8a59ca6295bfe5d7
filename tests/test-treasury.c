#define G_LOG_DOMAIN "test-treasury"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fake-market-server.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* The fixture is the Treasury's CSV of 10–28 February 2025 (tests/data/rates/README.md); the
 * expected values below are read off its text. */

static GPtrArray *
parse_fixture (void)
{
  g_autofree char *path = sextant_test_reference_path ("rates/treasury_par_2025-02.csv");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  GPtrArray *curves;

  g_assert_true (g_file_get_contents (path, &text, &length, &error));
  curves = sextant_treasury_parse_csv (text, length, "treasury", &error);
  g_assert_no_error (error);
  return curves;
}

static void
test_parse_fixture (void)
{
  g_autoptr(GPtrArray) curves = parse_fixture ();
  const SextantParCurve *first, *last, *before_six_weeks;

  g_assert_cmpuint (curves->len, ==, 14);
  first = curves->pdata[0];
  last = curves->pdata[curves->len - 1];
  g_assert_cmpint (first->day, ==, sextant_day_from_ymd (2025, 2, 10));
  g_assert_cmpint (last->day, ==, sextant_day_from_ymd (2025, 2, 28));
  /* 02/28/2025: 4.38,4.37,4.38,4.32,4.32,4.25,4.08,3.99,3.99,4.03,4.14,4.24,4.55,4.51 */
  g_assert_cmpuint (last->n, ==, 14);
  g_assert_cmpfloat (last->months[1], ==, 1.5);
  g_assert_cmpfloat (last->yield[1], ==, 4.37);
  g_assert_cmpfloat (last->months[13], ==, 360);
  g_assert_cmpfloat (last->yield[13], ==, 4.51);
  g_assert_cmpstr (last->source, ==, "treasury");
  /* 02/14/2025, before the six-week bill: that tenor is absent, not zero. */
  before_six_weeks = sextant_par_curve_pick (curves, sextant_day_from_ymd (2025, 2, 16));
  g_assert_cmpint (before_six_weeks->day, ==, sextant_day_from_ymd (2025, 2, 14));
  g_assert_cmpuint (before_six_weeks->n, ==, 13);
  for (gsize i = 0; i < before_six_weeks->n; i++)
    {
      g_assert_cmpfloat (before_six_weeks->months[i], !=, 1.5);
      g_assert_cmpfloat (before_six_weeks->yield[i], >, 4);
    }
  g_assert_null (sextant_par_curve_pick (curves, sextant_day_from_ymd (2025, 2, 9)));
  g_assert_true (sextant_par_curve_pick (curves, 0) == last);
}

/* An older year's shape (no 1.5 Month, "." and empty fields, N/A as in the early files), with
 * CRLF line ends: every missing field is absent, never zero. */
static void
test_missing_values (void)
{
  const char *csv = "Date,\"1 Mo\",\"3 Mo\",\"6 Mo\",\"1 Yr\",\"10 Yr\",\"20 Yr\",\"30 Yr\"\r\n"
                    "12/31/2004,1.89,.,2.59,2.75,4.24,4.85,\r\n"
                    "12/30/2004,N/A,2.20,2.57,2.74,4.27,4.88,\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) curves = sextant_treasury_parse_csv (csv, strlen (csv), "file", &error);
  const SextantParCurve *newest;

  g_assert_no_error (error);
  g_assert_cmpuint (curves->len, ==, 2);
  newest = curves->pdata[1];
  g_assert_cmpuint (newest->n, ==, 5);
  g_assert_cmpfloat (newest->months[0], ==, 1);
  g_assert_cmpfloat (newest->months[1], ==, 6);
  g_assert_cmpfloat (newest->months[4], ==, 240);
  g_assert_cmpuint (((SextantParCurve *) curves->pdata[0])->n, ==, 5);
  for (guint c = 0; c < curves->len; c++)
    for (gsize i = 0; i < ((SextantParCurve *) curves->pdata[c])->n; i++)
      g_assert_cmpfloat (((SextantParCurve *) curves->pdata[c])->yield[i], >, 1);
}

static void
expect_error (const char *csv,
              int         code,
              const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) curves = sextant_treasury_parse_csv (csv, strlen (csv), "file", &error);

  g_assert_null (curves);
  g_assert_error (error, SEXTANT_MARKET_ERROR, code);
  if (strstr (error->message, words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, words);
}

static void
test_bad_csv (void)
{
  expect_error ("", SEXTANT_MARKET_ERROR_EMPTY, "empty body");
  expect_error ("Date,\"1 Mo\"\n", SEXTANT_MARKET_ERROR_EMPTY, "no days");
  expect_error ("Day,Close\n02/28/2025,4\n", SEXTANT_MARKET_ERROR_CSV_HEADER, "Date and tenors");
  expect_error ("Date,\"1 Mo\",\"Spread\"\n", SEXTANT_MARKET_ERROR_CSV_HEADER, "“Spread”");
  expect_error ("Date,\"1 Mo\",\"2 Mo\"\n2025-02-28,4,4\n", SEXTANT_MARKET_ERROR_CSV_ROW,
                "line 2: “2025-02-28” is not an MM/DD/YYYY date");
  expect_error ("Date,\"1 Mo\",\"2 Mo\"\n02/28/2025,4,x\n", SEXTANT_MARKET_ERROR_CSV_ROW,
                "line 2: the 2-month yield “x”");
  expect_error ("Date,\"1 Mo\",\"2 Mo\"\n02/28/2025,4\n", SEXTANT_MARKET_ERROR_CSV_ROW,
                "line 2 has 2 fields where the header has 3");
}

typedef struct
{
  GPtrArray             *curves;
  SextantMarketResponse *response;
  GError                *error;
  gboolean               done;
} Fetched;

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetched *f = user_data;

  f->curves = sextant_treasury_rates_fetch_year_finish (SEXTANT_TREASURY_RATES (object), result,
                                                        &f->response, &f->error);
  f->done = TRUE;
}

static void
fetch (SextantTreasuryRates *client,
       int                   year,
       Fetched              *f)
{
  memset (f, 0, sizeof *f);
  sextant_treasury_rates_fetch_year_async (client, year, NULL, fetched_cb, f);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_fetch_and_cache (void)
{
  g_autoptr(SoupSession) session = fake_market_session_new ();
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "rates.db", NULL);
  FakeMarketServer *server = fake_market_server_new ();
  g_autoptr(SextantTreasuryRates) client = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantParCurve) stored = NULL;
  g_autoptr(GError) error = NULL;
  Fetched f;

  fake_market_server_serve_treasury (server, "rates/treasury_par_2025-02.csv", 2025);
  client = g_object_new (SEXTANT_TYPE_TREASURY_RATES, "session", session, NULL);
  sextant_treasury_rates_set_base_url (client, fake_market_server_get_base_url (server));
  fetch (client, 2025, &f);
  g_assert_no_error (f.error);
  g_assert_cmpuint (f.curves->len, ==, 14);
  g_assert_nonnull (f.response);
  g_assert_cmpint (((SextantParCurve *) f.curves->pdata[0])->fetched_at, ==, f.response->fetched_at);

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  cache = sextant_market_cache_new (store);
  g_assert_true (sextant_market_cache_put_par_curves (cache, f.curves, f.response, &error));
  g_assert_no_error (error);
  g_assert_true (sextant_market_cache_get_par_curve (cache, "treasury", sextant_day_from_ymd (2025, 2, 17),
                                                     &stored, &error));
  g_assert_nonnull (stored);
  g_assert_cmpint (stored->day, ==, sextant_day_from_ymd (2025, 2, 14));
  g_assert_cmpuint (stored->n, ==, 13);
  g_assert_cmpfloat (stored->yield[12], ==, 4.69);
  g_assert_cmpstr (stored->source, ==, "treasury");
  g_assert_cmpint (stored->fetched_at, ==, f.response->fetched_at);
  g_clear_pointer (&stored, sextant_par_curve_free);
  g_assert_true (sextant_market_cache_get_par_curve (cache, "treasury", 0, &stored, &error));
  g_assert_cmpint (stored->day, ==, sextant_day_from_ymd (2025, 2, 28));
  g_assert_cmpuint (stored->n, ==, 14);
  g_clear_pointer (&stored, sextant_par_curve_free);
  g_assert_true (sextant_market_cache_get_par_curve (cache, "ecb", 0, &stored, &error));
  g_assert_null (stored);
  g_clear_pointer (&f.curves, g_ptr_array_unref);
  g_clear_pointer (&f.response, sextant_market_response_free);

  /* A year the service has no file for: its 404 page, said as such. */
  fetch (client, 2024, &f);
  g_assert_null (f.curves);
  g_assert_error (f.error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA);
  g_assert_nonnull (strstr (f.error->message, "2024"));
  g_clear_error (&f.error);
  g_clear_pointer (&f.response, sextant_market_response_free);
  g_assert_cmpuint (fake_market_server_get_count (server, NULL), ==, 2);

  g_clear_object (&cache);
  g_clear_object (&store);
  sextant_test_remove_temp_dir (dir);
  soup_session_abort (session);
  fake_market_server_free (server);
}

static void
test_insecure_base_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantTreasuryRates) client = NULL;

  g_setenv ("SEXTANT_TREASURY_BASE_URL", "http://treasury.example.com", TRUE);
  client = sextant_treasury_rates_new_from_environment (&error);
  g_assert_null (client);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT);
  g_unsetenv ("SEXTANT_TREASURY_BASE_URL");
}

/* The ECB's yield-curve csvdata (synthetic values in its layout, tests/data/rates/README.md):
 * par yields and spot rates apart, tenors in order, a day's empty value absent, and the title
 * columns' quoted commas no obstacle. */
static void
test_ecb_curve_csv (void)
{
  g_autofree char *path = sextant_test_reference_path ("rates/ecb_yc_aaa_synthetic.csv");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) days = NULL;
  g_autofree char *url = sextant_ecb_curve_build_url ("http://h", 20000, 20014);
  const char *no_columns = "KEY,TIME_PERIOD\nx,2025-01-02\n";
  const char *forward_row = "DATA_TYPE_FM,TIME_PERIOD,OBS_VALUE\nIF_10Y,2025-01-02,3\n";
  const SextantEcbCurveDay *last;
  gsize length;

  g_assert_true (g_file_get_contents (path, &text, &length, &error));
  days = sextant_ecb_curve_parse_csv (text, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 2);
  last = days->pdata[1];
  g_assert_cmpint (last->spot->day, ==, sextant_day_from_ymd (2025, 2, 28));
  g_assert_cmpstr (last->spot->source, ==, "ecb-aaa-spot");
  g_assert_cmpuint (last->spot->n, ==, 11);
  g_assert_cmpuint (last->par->n, ==, 10);   /* PY_15Y is empty that day */
  g_assert_cmpfloat (last->spot->months[0], ==, 3);
  g_assert_cmpfloat (last->spot->months[10], ==, 360);
  for (gsize i = 0; i < last->par->n; i++)
    g_assert_cmpfloat (last->par->months[i], !=, 180);

  g_clear_pointer (&days, g_ptr_array_unref);
  days = sextant_ecb_curve_parse_csv (no_columns, strlen (no_columns), &error);
  g_assert_null (days);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER);
  g_clear_error (&error);
  days = sextant_ecb_curve_parse_csv (forward_row, strlen (forward_row), &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);
  g_assert_cmpstr (url, ==,
                   "http://h/service/data/YC/B.U2.EUR.4F.G_N_A.SV_C_YM.PY_3M+PY_6M+PY_1Y+PY_2Y+"
                   "PY_3Y+PY_5Y+PY_7Y+PY_10Y+PY_15Y+PY_20Y+PY_30Y+SR_3M+SR_6M+SR_1Y+SR_2Y+SR_3Y+"
                   "SR_5Y+SR_7Y+SR_10Y+SR_15Y+SR_20Y+SR_30Y?startPeriod=2024-10-04&"
                   "endPeriod=2024-10-18&format=csvdata");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sextant/treasury/parse-fixture", test_parse_fixture);
  g_test_add_func ("/sextant/treasury/missing-values", test_missing_values);
  g_test_add_func ("/sextant/treasury/bad-csv", test_bad_csv);
  g_test_add_func ("/sextant/treasury/fetch-and-cache", test_fetch_and_cache);
  g_test_add_func ("/sextant/treasury/insecure-base-url", test_insecure_base_url);
  g_test_add_func ("/sextant/ecb-curve/csv", test_ecb_curve_csv);
  return g_test_run ();
}
