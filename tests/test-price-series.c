#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

static void
test_day_conversions (void)
{
  gint32 day;
  int y, m, d;
  g_autofree char *text = NULL;

  /* 1970-01-01 is day 0 by definition; 2000-01-03 is 30 × 365 + 7 leap days (1972 … 1996) + 2. */
  g_assert_cmpint (sextant_day_from_ymd (1970, 1, 1), ==, 0);
  g_assert_cmpint (sextant_day_from_ymd (2000, 1, 3), ==, 10959);
  g_assert_cmpint (sextant_day_from_ymd (1969, 12, 31), ==, -1);

  g_assert_true (sextant_day_parse_iso ("2008-02-29", &day));
  g_assert_true (sextant_day_to_ymd (day, &y, &m, &d));
  g_assert_cmpint (y, ==, 2008);
  g_assert_cmpint (m, ==, 2);
  g_assert_cmpint (d, ==, 29);
  text = sextant_day_format_iso (day);
  g_assert_cmpstr (text, ==, "2008-02-29");

  g_assert_false (sextant_day_parse_iso ("2007-02-29", &day));
  g_assert_false (sextant_day_parse_iso ("2008-13-01", &day));
  g_assert_false (sextant_day_parse_iso ("2008-01-01x", &day));
  g_assert_false (sextant_day_parse_iso ("01/02/2008", &day));
}

static SextantPriceSeries *
make_series (const double *closes,
             const gint32 *days,
             gsize         n)
{
  SextantPriceSeries *series = sextant_price_series_new ("TEST", n);

  for (gsize i = 0; i < n; i++)
    sextant_price_series_set_row (series, i, days[i], closes[i], closes[i], closes[i], closes[i], 1);

  return series;
}

static void
test_validate (void)
{
  static const gint32 days[] = { 100, 101, 102 };
  static const gint32 dup_days[] = { 100, 101, 101 };
  static const double good[] = { 10, 11, 12 };
  static const double with_nan[] = { 10, NAN, 12 };
  static const double with_zero[] = { 10, 11, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;

  series = make_series (good, days, 3);
  g_assert_true (sextant_price_series_validate (series, &error));
  g_assert_no_error (error);
  g_clear_pointer (&series, sextant_price_series_unref);

  series = make_series (good, dup_days, 3);
  g_assert_false (sextant_price_series_validate (series, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_DATE_ORDER);
  g_assert_nonnull (strstr (error->message, "row 3"));
  g_clear_error (&error);
  g_clear_pointer (&series, sextant_price_series_unref);

  series = make_series (with_nan, days, 3);
  g_assert_false (sextant_price_series_validate (series, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
  g_assert_nonnull (strstr (error->message, "row 2"));
  g_clear_error (&error);
  g_clear_pointer (&series, sextant_price_series_unref);

  series = make_series (with_zero, days, 3);
  g_assert_false (sextant_price_series_validate (series, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE);
  g_clear_error (&error);
  g_clear_pointer (&series, sextant_price_series_unref);

  series = sextant_price_series_new ("EMPTY", 0);
  g_assert_false (sextant_price_series_validate (series, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY);
}

static void
test_table_drop_and_select (void)
{
  static const char *names[] = { "A", "B", NULL };
  static const char *pick[] = { "b", NULL };
  static const char *missing[] = { "C", NULL };
  g_autoptr(SextantPriceTable) table = sextant_price_table_new (3, names);
  g_autoptr(SextantPriceTable) complete = NULL;
  g_autoptr(SextantPriceTable) selected = NULL;
  g_autoptr(GError) error = NULL;
  gsize dropped = 0;
  double *a = sextant_price_table_get_column_mutable (table, 0);
  double *b = sextant_price_table_get_column_mutable (table, 1);
  gint32 *days = sextant_price_table_get_days_mutable (table);

  for (int i = 0; i < 3; i++)
    {
      days[i] = 10 + i;
      a[i] = 1 + i;
      b[i] = 10 + i;
    }
  b[1] = NAN;

  complete = sextant_price_table_drop_incomplete (table, &dropped);
  g_assert_cmpuint (dropped, ==, 1);
  g_assert_cmpuint (sextant_price_table_get_n_rows (complete), ==, 2);
  g_assert_cmpint (sextant_price_table_get_days (complete)[1], ==, 12);
  g_assert_cmpfloat (sextant_price_table_get_column (complete, 1)[1], ==, 12);

  selected = sextant_price_table_select (table, pick, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_table_get_n_columns (selected), ==, 1);
  g_assert_cmpstr (sextant_price_table_get_column_name (selected, 0), ==, "B");
  g_assert_cmpfloat (sextant_price_table_get_column (selected, 0)[2], ==, 12);

  g_assert_null (sextant_price_table_select (table, missing, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
}

static void
test_returns_and_covariance (void)
{
  static const char *names[] = { "X", "Y", NULL };
  g_autoptr(SextantPriceTable) table = sextant_price_table_new (3, names);
  g_autoptr(SextantReturnMatrix) returns = NULL;
  g_autoptr(GError) error = NULL;
  double mean[2], cov[4];
  double *x = sextant_price_table_get_column_mutable (table, 0);
  double *y = sextant_price_table_get_column_mutable (table, 1);

  /* X: 100 → 110 → 99 gives returns 0.1 and −0.1; Y: 50 → 55 → 60.5 gives 0.1 and 0.1.
   * Means 0 and 0.1; var(X) = (0.01 + 0.01) / 1 = 0.02; var(Y) = 0; cov = 0 (Y constant). */
  x[0] = 100; x[1] = 110; x[2] = 99;
  y[0] = 50; y[1] = 55; y[2] = 60.5;

  returns = sextant_return_matrix_from_prices (table, SEXTANT_RETURN_SIMPLE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (returns->n_obs, ==, 2);
  sextant_assert_close_rel (sextant_return_matrix_get_column (returns, 0)[1], -0.1, 1e-12);
  g_assert_true (sextant_mean_vector (returns, mean, &error));
  g_assert_true (fabs (mean[0]) < 1e-15);
  sextant_assert_close_rel (mean[1], 0.1, 1e-12);
  g_assert_true (sextant_covariance_sample (returns, cov, &error));
  sextant_assert_close_rel (cov[0], 0.02, 1e-12);
  g_assert_true (fabs (cov[1]) < 1e-15 && fabs (cov[3]) < 1e-15);

  x[1] = -5;
  g_clear_pointer (&returns, sextant_return_matrix_free);
  returns = sextant_return_matrix_from_prices (table, SEXTANT_RETURN_LOG, &error);
  g_assert_null (returns);
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE);
  g_assert_nonnull (strstr (error->message, "X: Price 2"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/series/day-conversions", test_day_conversions);
  g_test_add_func ("/sextant/series/validate", test_validate);
  g_test_add_func ("/sextant/series/table-drop-and-select", test_table_drop_and_select);
  g_test_add_func ("/sextant/series/returns-and-covariance", test_returns_and_covariance);

  return g_test_run ();
}
