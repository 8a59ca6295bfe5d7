#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

static void
test_series_basic (void)
{
  static const char text[] = "Date,Open,High,Low,Close,Volume\r\n"
                             "2001-09-25,1,2,0.5,1.5,100\r\n"
                             "2001-09-26,1.5,2.5,1,2,NA\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;

  series = sextant_csv_parse_price_series (text, strlen (text), "T", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (series), ==, 2);
  g_assert_cmpfloat (sextant_price_series_get_close (series)[1], ==, 2.0);
  g_assert_true (isnan (sextant_price_series_get_volume (series)[1]));
  g_assert_cmpint (sextant_price_series_get_days (series)[0], ==,
                   sextant_day_from_ymd (2001, 9, 25));
}

static void
test_series_errors (void)
{
  static const char no_close[] = "date,open\n2001-01-01,1\n";
  static const char bad_number[] = "date,close\n2001-01-01,1\n2001-01-02,abc\n";
  static const char bad_date[] = "date,close\n2001-01-01,1\n\n01/02/2001,2\n";
  static const char short_row[] = "date,open,close\n2001-01-01,1\n";
  g_autoptr(GError) error = NULL;

  g_assert_null (sextant_csv_parse_price_series (no_close, strlen (no_close), "T", &error));
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER);
  g_clear_error (&error);

  g_assert_null (sextant_csv_parse_price_series (bad_number, strlen (bad_number), "T", &error));
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW);
  g_assert_nonnull (strstr (error->message, "Line 3"));
  g_clear_error (&error);

  /* The blank line 3 is skipped but still counted, so the bad date is reported on line 4. */
  g_assert_null (sextant_csv_parse_price_series (bad_date, strlen (bad_date), "T", &error));
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW);
  g_assert_nonnull (strstr (error->message, "Line 4"));
  g_clear_error (&error);

  g_assert_null (sextant_csv_parse_price_series (short_row, strlen (short_row), "T", &error));
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW);
  g_clear_error (&error);

  g_assert_null (sextant_csv_parse_price_series ("", 0, "T", &error));
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER);
}

/* The reader reads plain decimals itself (a fast path); every number must come out as the same
 * double as g_ascii_strtod() gives, which is the reference here, the exponent and long forms
 * included (they take the slow path). */
static void
test_numbers_as_strtod (void)
{
  static const char * const numbers[] = {
    "1469.250000", "1455.219971", "931800000", "0", "-0", "+5", "1.", ".5", "0.000123",
    "-12.75", " 7.05 ", "1e3", "2.5E-4", "123456789012345", "1234567890123456789",
    "0.1", "0.3", "9007199254740993", "3.14159265358979323846", "0.0000000000000000000001",
  };
  g_autoptr(GString) text = g_string_new ("date");
  g_autoptr(SextantPriceTable) table = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    g_string_append_printf (text, ",c%u", i);
  g_string_append (text, "\n2001-01-02");
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    g_string_append_printf (text, ",%s", numbers[i]);

  table = sextant_csv_parse_price_table (text->str, text->len, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      double expected = g_ascii_strtod (numbers[i], NULL);
      double got = sextant_price_table_get_column (table, i)[0];

      g_assert_cmpmem (&got, sizeof got, &expected, sizeof expected);
    }
}

static void
test_table_with_gaps (void)
{
  g_autofree char *path = sextant_test_reference_path ("market/spisector_prices.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceTable) table = NULL;
  g_autoptr(SextantPriceTable) complete = NULL;
  gsize dropped;

  /* tests/data/README.md: 2,216 rows, SPI and 9 sectors, with real NA gaps. The reference
   * (portfolio/spisector_reference.json) keeps n_obs = 2198 returns, so 2199 complete rows. */
  table = sextant_csv_read_price_table (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_table_get_n_rows (table), ==, 2216);
  g_assert_cmpuint (sextant_price_table_get_n_columns (table), ==, 10);
  g_assert_cmpstr (sextant_price_table_get_column_name (table, 0), ==, "SPI");

  complete = sextant_price_table_drop_incomplete (table, &dropped);
  g_assert_cmpuint (sextant_price_table_get_n_rows (complete), ==, 2199);
  g_assert_cmpuint (dropped, ==, 2216 - 2199);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/csv/series-basic", test_series_basic);
  g_test_add_func ("/sextant/csv/series-errors", test_series_errors);
  g_test_add_func ("/sextant/csv/table-with-gaps", test_table_with_gaps);
  g_test_add_func ("/sextant/csv/numbers-as-strtod", test_numbers_as_strtod);

  return g_test_run ();
}
