#define G_LOG_DOMAIN "test-series-ops"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "analytics/sextant-align.h"
#include "analytics/sextant-resample.h"
#include "sextant-test-util.h"

static SextantPriceSeries *
load_reference_series (const char *relative,
                       const char *symbol)
{
  g_autofree char *path = sextant_test_reference_path (relative);
  g_autoptr(GError) error = NULL;
  SextantPriceSeries *series = sextant_csv_read_price_series (path, symbol, &error);

  g_assert_no_error (error);
  return series;
}

/* Two weeks of bars, Monday 2024-01-01 to Friday 2024-01-12, weekends skipped; bar i has
 * open 10 + i, high 20 + i (30 on Wednesday 2024-01-03), low 5 + i (1 on Tuesday 2024-01-09),
 * close 11 + i, volume 100. By hand, week 1 (i = 0 … 4): open 10, high 30, low 5 (Monday),
 * close 15 (Friday, i = 4), volume 500, dated 2024-01-05. Week 2 (i = 5 … 9): open 15,
 * high 29 (i = 9), low 1, close 20, volume 500, dated 2024-01-12. */
static void
test_weekly_hand (void)
{
  g_autoptr(SextantPriceSeries) daily = sextant_price_series_new ("X", 10);
  g_autoptr(SextantPriceSeries) weekly = NULL;
  g_autoptr(GError) error = NULL;
  const int mdays[] = { 1, 2, 3, 4, 5, 8, 9, 10, 11, 12 };
  g_autofree char *d0 = NULL, *d1 = NULL;

  for (guint i = 0; i < 10; i++)
    sextant_price_series_set_row (daily, i, sextant_day_from_ymd (2024, 1, mdays[i]), 10 + i,
                                  mdays[i] == 3 ? 30 : 20 + i, mdays[i] == 9 ? 1 : 5 + i, 11 + i,
                                  100);
  weekly = sextant_resample_series (daily, SEXTANT_RESAMPLE_WEEKLY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (weekly), ==, 2);
  d0 = sextant_day_format_iso (sextant_price_series_get_days (weekly)[0]);
  d1 = sextant_day_format_iso (sextant_price_series_get_days (weekly)[1]);
  g_assert_cmpstr (d0, ==, "2024-01-05");
  g_assert_cmpstr (d1, ==, "2024-01-12");
  g_assert_cmpfloat (sextant_price_series_get_open (weekly)[0], ==, 10);
  g_assert_cmpfloat (sextant_price_series_get_high (weekly)[0], ==, 30);
  g_assert_cmpfloat (sextant_price_series_get_low (weekly)[0], ==, 5);
  g_assert_cmpfloat (sextant_price_series_get_close (weekly)[0], ==, 15);
  g_assert_cmpfloat (sextant_price_series_get_volume (weekly)[0], ==, 500);
  g_assert_cmpfloat (sextant_price_series_get_open (weekly)[1], ==, 15);
  g_assert_cmpfloat (sextant_price_series_get_high (weekly)[1], ==, 29);
  g_assert_cmpfloat (sextant_price_series_get_low (weekly)[1], ==, 1);
  g_assert_cmpfloat (sextant_price_series_get_close (weekly)[1], ==, 20);
}

/* MSFT 2000-09-27 … 2001-09-27 spans 13 calendar months. Values read off
 * tests/data/market/msft_2000-09_2001-09_ohlcv.csv: September 2000 ends 2000-09-29 at
 * 60.3125; October opens 2000-10-02 at 60.5 and ends 2000-10-31 at 68.875; February 2001 ends
 * 2001-02-28 at 59. */
static void
test_monthly_msft (void)
{
  g_autoptr(SextantPriceSeries) daily =
    load_reference_series ("market/msft_2000-09_2001-09_ohlcv.csv", "MSFT");
  g_autoptr(SextantPriceSeries) monthly = NULL;
  g_autoptr(GError) error = NULL;
  const double *close, *open;
  g_autofree char *oct = NULL;

  monthly = sextant_resample_series (daily, SEXTANT_RESAMPLE_MONTHLY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (monthly), ==, 13);
  close = sextant_price_series_get_close (monthly);
  open = sextant_price_series_get_open (monthly);
  oct = sextant_day_format_iso (sextant_price_series_get_days (monthly)[1]);
  g_assert_cmpstr (oct, ==, "2000-10-31");
  g_assert_cmpfloat (close[0], ==, 60.3125);
  g_assert_cmpfloat (open[1], ==, 60.5);
  g_assert_cmpfloat (close[1], ==, 68.875);
  g_assert_cmpfloat (close[5], ==, 59);
}

/* Hand case: A on days {1, 2, 3, 5}, B on {2, 3, 4, 5}, C on {0, 2, 5}: common {2, 5}. */
static void
test_align_hand (void)
{
  g_autoptr(SextantPriceSeries) a = sextant_price_series_new ("A", 4);
  g_autoptr(SextantPriceSeries) b = sextant_price_series_new ("B", 4);
  g_autoptr(SextantPriceSeries) c = sextant_price_series_new ("C", 3);
  g_autoptr(SextantPriceTable) table = NULL;
  g_autoptr(GError) error = NULL;
  const int da[] = { 1, 2, 3, 5 }, db[] = { 2, 3, 4, 5 }, dc[] = { 0, 2, 5 };
  SextantPriceSeries *all[3];

  for (guint i = 0; i < 4; i++)
    {
      sextant_price_series_set_row (a, i, da[i], NAN, NAN, NAN, 10 + da[i], NAN);
      sextant_price_series_set_row (b, i, db[i], NAN, NAN, NAN, 20 + db[i], NAN);
    }
  for (guint i = 0; i < 3; i++)
    sextant_price_series_set_row (c, i, dc[i], NAN, NAN, NAN, 30 + dc[i], NAN);
  all[0] = a, all[1] = b, all[2] = c;

  table = sextant_align_series (all, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_table_get_n_rows (table), ==, 2);
  g_assert_cmpint (sextant_price_table_get_days (table)[0], ==, 2);
  g_assert_cmpint (sextant_price_table_get_days (table)[1], ==, 5);
  g_assert_cmpstr (sextant_price_table_get_column_name (table, 1), ==, "B");
  g_assert_cmpfloat (sextant_price_table_get_column (table, 0)[1], ==, 15);
  g_assert_cmpfloat (sextant_price_table_get_column (table, 1)[0], ==, 22);
  g_assert_cmpfloat (sextant_price_table_get_column (table, 2)[1], ==, 35);

  /* a duplicated date is named */
  sextant_price_series_set_row (c, 2, 2, NAN, NAN, NAN, 1, NAN);
  g_clear_pointer (&table, sextant_price_table_unref);
  table = sextant_align_series (all, 3, &error);
  g_assert_null (table);
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_DATE_ORDER);
  g_assert_nonnull (strstr (error->message, "C: row 3"));
  g_assert_nonnull (strstr (error->message, "duplicate"));
}

/* Tables: T1 (X, Y) on days {1, 2, 4}, T2 (Z) on days {2, 3, 4}: common {2, 4}, columns X, Y, Z,
 * each value 100·column + day so that a misplaced cell shows. A second Z is refused. */
static void
test_align_tables (void)
{
  const char *n1[] = { "X", "Y", NULL }, *n2[] = { "Z", NULL };
  g_autoptr(SextantPriceTable) t1 = sextant_price_table_new (3, n1);
  g_autoptr(SextantPriceTable) t2 = sextant_price_table_new (3, n2);
  g_autoptr(SextantPriceTable) joined = NULL;
  g_autoptr(GError) error = NULL;
  const int d1[] = { 1, 2, 4 }, d2[] = { 2, 3, 4 };
  SextantPriceTable *both[2] = { t1, t2 }, *twice[2] = { t2, t2 };

  for (guint r = 0; r < 3; r++)
    {
      sextant_price_table_get_days_mutable (t1)[r] = d1[r];
      sextant_price_table_get_days_mutable (t2)[r] = d2[r];
      sextant_price_table_get_column_mutable (t1, 0)[r] = 100 + d1[r];
      sextant_price_table_get_column_mutable (t1, 1)[r] = 200 + d1[r];
      sextant_price_table_get_column_mutable (t2, 0)[r] = 300 + d2[r];
    }
  joined = sextant_align_tables (both, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_table_get_n_rows (joined), ==, 2);
  g_assert_cmpuint (sextant_price_table_get_n_columns (joined), ==, 3);
  g_assert_cmpstr (sextant_price_table_get_column_name (joined, 2), ==, "Z");
  g_assert_cmpint (sextant_price_table_get_days (joined)[1], ==, 4);
  g_assert_cmpfloat (sextant_price_table_get_column (joined, 0)[0], ==, 102);
  g_assert_cmpfloat (sextant_price_table_get_column (joined, 1)[1], ==, 204);
  g_assert_cmpfloat (sextant_price_table_get_column (joined, 2)[0], ==, 302);
  g_assert_cmpfloat (sextant_price_table_get_column (joined, 2)[1], ==, 304);

  g_assert_null (sextant_align_tables (twice, 2, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Outer: days 1 2 3 4, NaN where a table has no row (X on 3, Z on 1). */
  {
    g_autoptr(SextantPriceTable) outer = sextant_align_tables_outer (both, 2, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (sextant_price_table_get_n_rows (outer), ==, 4);
    g_assert_cmpint (sextant_price_table_get_days (outer)[2], ==, 3);
    g_assert_cmpfloat (sextant_price_table_get_column (outer, 0)[0], ==, 101);
    g_assert_true (isnan (sextant_price_table_get_column (outer, 0)[2]));
    g_assert_true (isnan (sextant_price_table_get_column (outer, 2)[0]));
    g_assert_cmpfloat (sextant_price_table_get_column (outer, 2)[2], ==, 303);
    g_assert_cmpfloat (sextant_price_table_get_column (outer, 1)[3], ==, 204);
    g_assert_null (sextant_align_tables_outer (twice, 2, &error));
  }
  g_assert_nonnull (strstr (error->message, "“Z”"));
}

/* MSFT and the S&P 500 from the reference files: every one of MSFT's 249 dates is an S&P 500
 * trading day (checked with `comm` on the two date columns), so the join has 249 rows and keeps
 * each close where it was. */
static void
test_align_reference (void)
{
  g_autoptr(SextantPriceSeries) msft =
    load_reference_series ("market/msft_2000-09_2001-09_ohlcv.csv", "MSFT");
  g_autoptr(SextantPriceSeries) spx =
    load_reference_series ("market/sp500_2000-2020_ohlcv.csv", "SPX");
  g_autoptr(SextantPriceTable) table = NULL;
  g_autoptr(GError) error = NULL;
  SextantPriceSeries *both[2] = { msft, spx };

  table = sextant_align_series (both, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_table_get_n_rows (table), ==, 249);
  g_assert_cmpmem (sextant_price_table_get_column (table, 0), 249 * sizeof (double),
                   sextant_price_series_get_close (msft), 249 * sizeof (double));
  g_assert_cmpint (sextant_price_table_get_days (table)[0], ==,
                   sextant_day_from_ymd (2000, 9, 27));
}

/* SPISECTOR (tests/data/market/spisector_prices.csv) has 17 rows with an NA: BASI on
 * 2002-01-29 (data row 522) and SPI on 16 dates from 2008-09-02 (`grep -n ,NA`). Rejecting
 * names the first; dropping leaves 2216 − 17 = 2199 rows. */
static void
test_gaps (void)
{
  g_autofree char *path = sextant_test_reference_path ("market/spisector_prices.csv");
  g_autoptr(SextantPriceTable) table = NULL;
  g_autoptr(SextantPriceTable) complete = NULL;
  g_autoptr(SextantPriceTable) weekly = NULL;
  g_autoptr(GError) error = NULL;
  gsize dropped = 0;

  table = sextant_csv_read_price_table (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_table_get_n_rows (table), ==, 2216);

  g_assert_null (sextant_align_handle_gaps (table, SEXTANT_GAP_REJECT, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
  g_assert_nonnull (strstr (error->message, "Row 522 (2002-01-29)"));
  g_assert_nonnull (strstr (error->message, "BASI"));
  g_clear_error (&error);

  complete = sextant_align_handle_gaps (table, SEXTANT_GAP_DROP, &dropped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dropped, ==, 17);
  g_assert_cmpuint (sextant_price_table_get_n_rows (complete), ==, 2199);

  /* the weekly table keeps each week's last row */
  weekly = sextant_resample_table (complete, SEXTANT_RESAMPLE_WEEKLY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_table_get_n_rows (weekly), <, 2199 / 4);
  g_assert_cmpuint (sextant_price_table_get_n_rows (weekly), >, 2199 / 6);
  g_assert_cmpfloat (sextant_price_table_get_column (weekly, 0)[sextant_price_table_get_n_rows (weekly) - 1],
                     ==, sextant_price_table_get_column (complete, 0)[2198]);
}

static void
test_bad_input (void)
{
  g_autoptr(SextantPriceSeries) empty = sextant_price_series_new ("E", 0);
  g_autoptr(SextantPriceSeries) backwards = sextant_price_series_new ("B", 2);
  GError *error = NULL;

  g_assert_null (sextant_resample_series (empty, SEXTANT_RESAMPLE_MONTHLY, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY);
  g_clear_error (&error);
  sextant_price_series_set_row (backwards, 0, 10, 1, 1, 1, 1, 1);
  sextant_price_series_set_row (backwards, 1, 9, 1, 1, 1, 1, 1);
  g_assert_null (sextant_resample_series (backwards, SEXTANT_RESAMPLE_WEEKLY, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_DATE_ORDER);
  g_assert_nonnull (strstr (error->message, "row 2"));
  g_clear_error (&error);
  g_assert_null (sextant_align_series (NULL, 0, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY);
  g_clear_error (&error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/series-ops/weekly-hand", test_weekly_hand);
  g_test_add_func ("/sextant/series-ops/monthly-msft", test_monthly_msft);
  g_test_add_func ("/sextant/series-ops/align-hand", test_align_hand);
  g_test_add_func ("/sextant/series-ops/align-tables", test_align_tables);
  g_test_add_func ("/sextant/series-ops/align-reference", test_align_reference);
  g_test_add_func ("/sextant/series-ops/gaps", test_gaps);
  g_test_add_func ("/sextant/series-ops/bad-input", test_bad_input);

  return g_test_run ();
}
