#define G_LOG_DOMAIN "test-csv-import-robust"

#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Issue 15, imports: the files of tests/data/imports/ (each mimics a real export, see its README)
 * imported, and compared with what Python's csv, datetime and decimal modules read from the same
 * files (tests/data/imports/expected/, written by make_imports.py). */

typedef struct
{
  char               *dir;
  char               *db_path;
  SextantStore       *store;
  SextantMarketCache *cache;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = sextant_test_make_temp_dir ();
  f->db_path = g_build_filename (f->dir, "import.db", NULL);
  f->store = sextant_schema_open (f->db_path, &error);
  g_assert_no_error (error);
  f->cache = sextant_market_cache_new (f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->cache);
  g_assert_finalize_object (f->store);
  sextant_test_remove_temp_dir (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
}

static char *
fixture_path (const char *name)
{
  g_autofree char *relative = g_build_filename ("imports", name, NULL);

  return sextant_test_reference_path (relative);
}

static double
expected_number (const char *text)
{
  return *text == '\0' ? NAN : g_ascii_strtod (text, NULL);
}

static void
assert_same_number (double      got,
                    double      expected,
                    const char *what)
{
  if (isnan (expected))
    {
      if (!isnan (got))
        g_error ("%s: expected no value, got %.17g", what, got);
      return;
    }
  if (got != expected)
    g_error ("%s: expected %.17g, got %.17g", what, expected, got);
}

/* Every bar of expected/@name is in the cache with exactly its values, and no other bar of its
 * symbols is. */
static void
assert_cache_matches (Fixture    *f,
                      const char *name)
{
  g_autofree char *relative = g_build_filename ("expected", name, NULL);
  g_autofree char *path = fixture_path (relative);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;
  GHashTableIter iter;
  gpointer symbol, count;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "symbol,date,open,high,low,close,volume");
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      g_autoptr(SextantPriceSeries) bars = NULL;
      g_autofree char *what = NULL;
      gint32 day;

      g_assert_cmpuint (g_strv_length (cells), ==, 7);
      g_assert_true (sextant_day_parse_iso (cells[1], &day));
      bars = sextant_market_cache_get_bars (f->cache, cells[0], day, day, &error);
      g_assert_no_error (error);
      if (sextant_price_series_get_length (bars) != 1)
        g_error ("%s: no bar of %s on %s", name, cells[0], cells[1]);
      what = g_strdup_printf ("%s %s %s", name, cells[0], cells[1]);
      assert_same_number (sextant_price_series_get_open (bars)[0], expected_number (cells[2]), what);
      assert_same_number (sextant_price_series_get_high (bars)[0], expected_number (cells[3]), what);
      assert_same_number (sextant_price_series_get_low (bars)[0], expected_number (cells[4]), what);
      assert_same_number (sextant_price_series_get_close (bars)[0], expected_number (cells[5]), what);
      assert_same_number (sextant_price_series_get_volume (bars)[0], expected_number (cells[6]), what);
      count = g_hash_table_lookup (counts, cells[0]);
      g_hash_table_insert (counts, g_strdup (cells[0]), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
    }
  g_assert_cmpuint (g_hash_table_size (counts), >, 0);

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &symbol, &count))
    {
      SextantBarCoverage coverage;

      g_assert_true (sextant_market_cache_get_coverage (f->cache, symbol, &coverage, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (coverage.n_bars, ==, GPOINTER_TO_UINT (count));
    }
}

typedef struct
{
  const char *file;
  const char *symbol;      /* the symbol the file name or the file gives, NULL for a wide file */
  gboolean    intraday;
  guint       n_gaps;
} FormatCase;

static const FormatCase format_cases[] = {
  /* investing.com: every cell quoted, "1,469.25", "931.80M", "Jan 03, 2000", newest first. */
  { "SPX Historical Data.csv", "SPX", FALSE, 0 },
  /* yfinance's three header rows, one ticker and two. */
  { "yfinance_msft.csv", "MSFT", FALSE, 0 },
  { "yfinance_ibm_msft_closes.csv", NULL, FALSE, 0 },
  /* Alpha Vantage's daily_IBM.csv: newest first, the symbol after "daily_". */
  { "daily_IBM.csv", "IBM", FALSE, 0 },
  { "KO_excel_d-mmm-yy.csv", "KO", FALSE, 0 },
  { "GE_eu_dash.csv", "GE", FALSE, 0 },
  { "MSFT.USUSD_Candlestick_1_D_BID_2001.csv", "MSFT", FALSE, 0 },
  { "^spx_d.csv", "^SPX", FALSE, 0 },
  { "msft_intraday_hourly.csv", "MSFT", TRUE, 0 },
  { "msft_intraday_yfinance_newest_first.csv", "MSFT", TRUE, 0 },
  { "msft_quoted_semicolon_multiline.csv", "MSFT", FALSE, 0 },
  /* A spreadsheet's "Unicode Text": UTF-16 with its byte-order mark, tabs. */
  { "msft_unicode_text_utf16.csv", "MSFT", FALSE, 0 },
  /* The dividend row: five gaps, kept (no bar was there). */
  { "msft_with_dividend_row.csv", "MSFT", FALSE, 5 },
};

static void
test_format (Fixture       *f,
             gconstpointer  data)
{
  const FormatCase *c = data;
  g_autofree char *path = fixture_path (c->file);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_file (path, 0, &error);
  gsize n = 0;

  g_assert_no_error (error);
  if (c->symbol != NULL)
    {
      g_assert_cmpint (sextant_csv_importer_get_layout (importer), ==, SEXTANT_CSV_LAYOUT_SINGLE);
      g_assert_cmpstr (sextant_csv_importer_get_symbol (importer), ==, c->symbol);
    }
  else
    g_assert_cmpint (sextant_csv_importer_get_layout (importer), ==, SEXTANT_CSV_LAYOUT_WIDE);
  g_assert_cmpint (sextant_csv_importer_get_intraday (importer), ==, c->intraday);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < sextant_csv_importer_get_n_rejected (importer); i++)
    g_test_message ("%s", sextant_csv_importer_get_rejected (importer, i)->message);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, 0);
  g_assert_cmpuint (sextant_csv_importer_get_n_gaps (importer), ==, c->n_gaps);
  g_assert_cmpuint (n, >, 0);
  assert_cache_matches (f, c->file);
}

/* The case: the demo's MSFT close of 2001-09-27 (49.96) and a file whose row of that day
 * is a dividend with empty price cells. The import keeps the gap on record, the cache keeps the
 * close. */
static void
test_empty_row_keeps_bar (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = fixture_path ("msft_with_dividend_row.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(SextantPriceSeries) before = NULL;
  g_autoptr(SextantPriceSeries) after = NULL;
  gint32 day = sextant_day_from_ymd (2001, 9, 27);
  gsize n = 0;

  g_assert_true (sextant_market_cache_ensure_demo (f->cache, &error));
  g_assert_no_error (error);
  before = sextant_market_cache_get_bars (f->cache, "MSFT", day, day, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (before), ==, 1);
  g_assert_false (isnan (sextant_price_series_get_close (before)[0]));

  importer = sextant_csv_importer_new_for_file (path, 0, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_csv_importer_get_n_gaps (importer), ==, 5);

  after = sextant_market_cache_get_bars (f->cache, "MSFT", day, day, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (after), ==, 1);
  g_assert_cmpfloat (sextant_price_series_get_close (after)[0], ==,
                     sextant_price_series_get_close (before)[0]);
  g_assert_cmpfloat (sextant_price_series_get_volume (after)[0], ==,
                     sextant_price_series_get_volume (before)[0]);

  /* The same within one file: a later empty row of a day does not undo the earlier close. */
  g_clear_object (&importer);
  {
    static const char text[] = "date,symbol,close\n2001-09-27,ABC,10.5\n2001-09-28,ABC,11\n";
    static const char empty[] = "date,symbol,close\n2001-09-28,ABC,\n";
    g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
    g_autoptr(GBytes) empty_bytes = g_bytes_new_static (empty, strlen (empty));
    g_autoptr(SextantCsvImporter) second = NULL;
    g_autoptr(SextantPriceSeries) abc = NULL;

    importer = sextant_csv_importer_new_for_data (bytes, 0, &error);
    g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, NULL, &error));
    second = sextant_csv_importer_new_for_data (empty_bytes, 0, &error);
    g_assert_true (sextant_csv_importer_import_prices (second, f->cache, NULL, &error));
    g_assert_no_error (error);
    abc = sextant_market_cache_get_bars (f->cache, "ABC", 0, 0, &error);
    g_assert_cmpuint (sextant_price_series_get_length (abc), ==, 2);
    g_assert_cmpfloat (sextant_price_series_get_close (abc)[1], ==, 11);
  }
}

/* Broker activity files are refused, saying what they are, before anything is stored. */
static void
test_transaction_export (Fixture       *f,
                         gconstpointer  data)
{
  /* Interactive Brokers' flex query shape: no amount column, but the rows say BUY and SELL. */
  static const char ibkr[] = "TradeDate,Symbol,Buy/Sell,Quantity,TradePrice\n"
                             "20010926,MSFT,BUY,100,50.27\n"
                             "20010928,MSFT,SELL,-50,51.17\n";
  g_autofree char *path = fixture_path ("schwab_transactions.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (ibkr, strlen (ibkr));
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_file (path, 0, &error);
  SextantBarCoverage coverage;

  g_assert_null (importer);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER);
  g_assert_nonnull (strstr (error->message, "transaction export"));
  g_assert_nonnull (strstr (error->message, "“Action”"));
  g_clear_error (&error);

  importer = sextant_csv_importer_new_for_data (bytes, 0, &error);
  g_assert_null (importer);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER);
  g_assert_nonnull (strstr (error->message, "transaction export"));
  g_clear_error (&error);

  /* Not a transaction export, but as wrong: a wide file naming one symbol twice. */
  {
    static const char twice[] = "date,AAA,BBB,AAA\n2001-09-27,1,2,3\n";
    g_autoptr(GBytes) twice_bytes = g_bytes_new_static (twice, strlen (twice));
    g_autoptr(SextantCsvImporter) wide = sextant_csv_importer_new_for_data (twice_bytes, 0, &error);

    g_assert_null (wide);
    g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER);
    g_assert_cmpstr (error->message, ==, "Line 1: the column “AAA” appears twice (columns 2 and "
                                         "4); each instrument needs a column of its own name");
    g_clear_error (&error);
  }

  g_assert_true (sextant_market_cache_get_coverage (f->cache, "KO", &coverage, &error));
  g_assert_cmpuint (coverage.n_bars, ==, 0);
}

/* A vendor's 0.00 for a session without trades, a high below the low, a negative volume and a
 * negative close: each row refused, naming its line and why; the other rows stored exactly
 * (expected/ from Python, which applies the same rules). */
static void
test_impossible_values (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { int line; const char *message; } refused[] = {
    { 4, "Line 4: Open “0.00” is not a positive price" },
    { 6, "Line 6: the high (68) is below the low (69.5)" },
    { 7, "Line 7: Volume “-40654700” is negative" },
    { 8, "Line 8: Close “-70.3125” is not a positive price" },
  };
  g_autofree char *path = fixture_path ("msft_impossible_values.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_file (path, 0, &error);
  gsize n = 0;

  g_assert_no_error (error);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, G_N_ELEMENTS (refused));
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      const SextantCsvProblem *problem = sextant_csv_importer_get_rejected (importer, i);

      g_assert_cmpint (problem->line, ==, refused[i].line);
      g_assert_cmpstr (problem->message, ==, refused[i].message);
    }
  assert_cache_matches (f, "msft_impossible_values.csv");

  /* The same in a wide file: a 0 close is refused, not stored as the day's close. */
  {
    static const char wide[] = "date,AAA,BBB\n2001-09-27,0,3\n2001-09-28,1.5,3.5\n";
    g_autoptr(GBytes) bytes = g_bytes_new_static (wide, strlen (wide));
    g_autoptr(SextantCsvImporter) second = sextant_csv_importer_new_for_data (bytes, 0, &error);
    g_autoptr(SextantPriceSeries) bbb = NULL;

    g_assert_no_error (error);
    g_assert_true (sextant_csv_importer_import_prices (second, f->cache, &n, &error));
    g_assert_cmpuint (n, ==, 2);
    g_assert_cmpuint (sextant_csv_importer_get_n_rejected (second), ==, 1);
    g_assert_cmpstr (sextant_csv_importer_get_rejected (second, 0)->message, ==,
                     "Line 2: AAA “0” is not a positive price");
    bbb = sextant_market_cache_get_bars (f->cache, "BBB", 0, 0, &error);
    g_assert_cmpuint (sextant_price_series_get_length (bbb), ==, 1);
  }
}

/* A positions export with a date, descriptions, prices and market values is holdings. */
static void
test_holdings_extra_columns (void)
{
  g_autofree char *path = fixture_path ("positions_with_extras.csv");
  g_autofree char *expected_path = fixture_path ("expected/positions_with_extras.csv");
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_file (path, 0, &error);
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_layout (importer), ==, SEXTANT_CSV_LAYOUT_HOLDINGS);
  portfolio = sextant_csv_importer_read_holdings (importer, "Positions", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, 0);

  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  lines = g_strsplit (expected, "\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++, n++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, n);

      g_assert_cmpstr (h->symbol, ==, cells[0]);
      g_assert_cmpfloat (h->quantity, ==, g_ascii_strtod (cells[1], NULL));
    }
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (portfolio), ==, n);

  /* Positions on two days: the latest day's are the holdings, the earlier rows are named. */
  {
    static const char two_days[] = "Date,Symbol,Quantity,Market Value\n"
                                   "09/27/2001,MSFT,1000,\"$49,960.00\"\n"
                                   "09/27/2001,KO,300,\"$14,055.00\"\n"
                                   "09/28/2001,MSFT,1200,\"$61,404.00\"\n"
                                   "09/28/2001,KO,250,\"$11,712.50\"\n";
    g_autoptr(GBytes) bytes = g_bytes_new_static (two_days, strlen (two_days));
    g_autoptr(SextantCsvImporter) dated = sextant_csv_importer_new_for_data (bytes, 0, &error);
    g_autoptr(SextantPortfolio) latest = NULL;

    g_assert_no_error (error);
    latest = sextant_csv_importer_read_holdings (dated, "Latest", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sextant_portfolio_get_n_holdings (latest), ==, 2);
    g_assert_cmpfloat (sextant_portfolio_get_holding (latest, 0)->quantity, ==, 1200);
    g_assert_cmpfloat (sextant_portfolio_get_holding (latest, 1)->quantity, ==, 250);
    g_assert_cmpuint (sextant_csv_importer_get_n_rejected (dated), ==, 2);
    g_assert_cmpstr (sextant_csv_importer_get_rejected (dated, 0)->message, ==,
                     "Line 2: a holding of 2001-09-27; the file's latest day is 2001-09-28");
  }
}

/* `"61.3"125` is not 61.3: the row is rejected naming line and column, by the importer and by
 * the analysis reader alike. */
static void
test_text_after_quote (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = fixture_path ("msft_text_after_quote.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_file (path, 0, &error);
  g_autoptr(SextantPriceSeries) series = NULL;
  const SextantCsvProblem *problem;
  gsize n = 0;

  g_assert_no_error (error);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, 1);
  problem = sextant_csv_importer_get_rejected (importer, 0);
  g_assert_cmpint (problem->line, ==, 3);
  g_assert_cmpstr (problem->message, ==, "Line 3: column 5 (“close”): text after the closing quote");

  series = sextant_csv_read_price_series (path, "MSFT", &error);
  g_assert_null (series);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW);
  g_assert_cmpstr (error->message, ==, "Line 3, column 5: text after the closing quote");
}

/* The series the analysis reader gives for @name equals expected/@name, in date order. */
static void
assert_series_matches (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autofree char *relative = g_build_filename ("expected", name, NULL);
  g_autofree char *expected_path = fixture_path (relative);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = sextant_csv_read_price_series (path, "X", &error);
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  lines = g_strsplit (expected, "\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++, n++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      g_autofree char *what = g_strdup_printf ("%s %s", name, cells[1]);
      gint32 day;

      g_assert_true (sextant_day_parse_iso (cells[1], &day));
      g_assert_cmpint (sextant_price_series_get_days (series)[n], ==, day);
      assert_same_number (sextant_price_series_get_open (series)[n], expected_number (cells[2]), what);
      assert_same_number (sextant_price_series_get_high (series)[n], expected_number (cells[3]), what);
      assert_same_number (sextant_price_series_get_low (series)[n], expected_number (cells[4]), what);
      assert_same_number (sextant_price_series_get_close (series)[n], expected_number (cells[5]), what);
      assert_same_number (sextant_price_series_get_volume (series)[n], expected_number (cells[6]), what);
    }
  g_assert_cmpuint (sextant_price_series_get_length (series), ==, n);
}

/* The analysis reader (indicators --csv, risk, scenarios, forecast) reads what the importer
 * reads: `;`, every cell quoted, decimal commas, a quoted line break; and newest-first rows, which
 * it turns around (other orders stay as written, for the analyses to refuse). */
static void
test_reader_same_tokenizer (void)
{
  static const char newest_first[] = "Date;Close\n2001-09-27;49,96\n2001-09-26;50,27\n"
                                     "2001-09-25;51,3\n";
  static const char wide_newest_first[] = "date\tA\tB\n2001-09-27\t1\t3,5\n2001-09-26\t2\t4\n";
  g_autofree char *path = fixture_path ("msft_quoted_semicolon_multiline.csv");
  g_autofree char *expected_path = fixture_path ("expected/msft_quoted_semicolon_multiline.csv");
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = sextant_csv_read_price_series (path, "MSFT", &error);
  g_autoptr(SextantPriceSeries) sorted = NULL;
  g_autoptr(SextantPriceTable) table = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  lines = g_strsplit (expected, "\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++, n++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      gint32 day;

      g_assert_true (sextant_day_parse_iso (cells[1], &day));
      g_assert_cmpint (sextant_price_series_get_days (series)[n], ==, day);
      g_assert_cmpfloat (sextant_price_series_get_open (series)[n], ==, g_ascii_strtod (cells[2], NULL));
      g_assert_cmpfloat (sextant_price_series_get_close (series)[n], ==, g_ascii_strtod (cells[5], NULL));
      g_assert_cmpfloat (sextant_price_series_get_volume (series)[n], ==, g_ascii_strtod (cells[6], NULL));
    }
  g_assert_cmpuint (sextant_price_series_get_length (series), ==, n);

  /* The importer's date formats and column names, newest first: Alpha Vantage's timestamp
   * column, d-mmm-yy, day-first dashes with `;` and decimal commas. */
  assert_series_matches ("daily_IBM.csv");
  assert_series_matches ("KO_excel_d-mmm-yy.csv");
  assert_series_matches ("GE_eu_dash.csv");
  assert_series_matches ("msft_with_dividend_row.csv");
  assert_series_matches ("msft_unicode_text_utf16.csv");
  /* investing.com's names (Price, Vol.), thousands separators, M/B volumes. */
  assert_series_matches ("SPX Historical Data.csv");

  /* Excel's "sep=;" line above the header. */
  {
    static const char sep[] = "sep=;\r\nDate;Close\r\n2001-09-26;50,27\r\n2001-09-27;49,96\r\n";
    g_autoptr(SextantPriceSeries) hinted = sextant_csv_parse_price_series (sep, strlen (sep), "M",
                                                                          &error);
    g_autoptr(GBytes) bytes = g_bytes_new_static (sep, strlen (sep));
    g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_data (bytes, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (sextant_price_series_get_length (hinted), ==, 2);
    g_assert_cmpfloat (sextant_price_series_get_close (hinted)[1], ==, 49.96);
    g_assert_cmpint (sextant_csv_importer_get_delimiter (importer), ==, ';');
    g_assert_cmpstr (sextant_csv_importer_get_column_name (importer, 1), ==, "Close");
  }

  sorted = sextant_csv_parse_price_series (newest_first, strlen (newest_first), "MSFT", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_price_series_get_days (sorted)[0], ==, sextant_day_from_ymd (2001, 9, 25));
  g_assert_cmpfloat (sextant_price_series_get_close (sorted)[0], ==, 51.3);
  g_assert_cmpfloat (sextant_price_series_get_close (sorted)[2], ==, 49.96);

  table = sextant_csv_parse_price_table (wide_newest_first, strlen (wide_newest_first), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_price_table_get_days (table)[0], ==, sextant_day_from_ymd (2001, 9, 26));
  g_assert_cmpfloat (sextant_price_table_get_column (table, 0)[0], ==, 2);
  g_assert_cmpfloat (sextant_price_table_get_column (table, 1)[1], ==, 3.5);
}

/* A Latin-1 file: its symbol reaches the cache as UTF-8 (the bad byte replaced), its numbers
 * unchanged. */
static void
test_latin1 (Fixture       *f,
             gconstpointer  data)
{
  static const char text[] = "date,symbol,close\n2001-09-27,CAF\xc9,12.5\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_data (bytes, 0, &error);
  g_autoptr(SextantPriceSeries) bars = NULL;

  g_assert_no_error (error);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, NULL, &error));
  bars = sextant_market_cache_get_bars (f->cache, "CAF\xef\xbf\xbd", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sextant_price_series_get_close (bars)[0], ==, 12.5);
}

/* Quoted fields may span lines: the record's line numbers stay right for the rows after it. */
static void
test_multiline_record_lines (Fixture       *f,
                             gconstpointer  data)
{
  static const char text[] = "date,symbol,close,note\n"      /* line 1 */
                             "2001-09-25,MSFT,51.3,\"two\n"   /* 2 */
                             "lines\"\n"                      /* 3 */
                             "2001-09-26,MSFT,abc,\n"         /* 4: rejected */
                             "2001-09-27,MSFT,49.96,\"a \"\"quoted\"\" word\"\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_data (bytes, 0, &error);
  gsize n = 0;

  g_assert_no_error (error);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, 1);
  g_assert_cmpint (sextant_csv_importer_get_rejected (importer, 0)->line, ==, 4);

  /* A stray quote swallows the lines up to the next quote: the rejected record names them. */
  {
    static const char stray[] = "date,symbol,close\n"
                                "2001-09-25,MSFT,\"51.3\n"      /* line 2: the stray quote */
                                "2001-09-26,MSFT,50.27\n"
                                "2001-09-27,MSFT,\"49.96\"\n"  /* line 4: the next quote */
                                "2001-09-28,MSFT,49.5\n";
    g_autoptr(GBytes) stray_bytes = g_bytes_new_static (stray, strlen (stray));
    g_autoptr(SextantCsvImporter) second = sextant_csv_importer_new_for_data (stray_bytes, 0, &error);

    g_assert_no_error (error);
    g_assert_true (sextant_csv_importer_import_prices (second, f->cache, &n, &error));
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpuint (sextant_csv_importer_get_n_rejected (second), ==, 1);
    g_assert_cmpstr (sextant_csv_importer_get_rejected (second, 0)->message, ==,
                     "Line 2: a quoted field runs to line 4 (a stray quote?); column 3 (“close”): "
                     "text after the closing quote");
  }
}

/* The date forms of the issue, each against the calendar day it names. */
static void
test_dates (void)
{
  static const struct { const char *text; SextantDateFormat format; int y, m, d, seconds; } cases[] = {
    { "2-Jan-90", SEXTANT_DATE_FORMAT_DAY_MONTH_NAME, 1990, 1, 2, -1 },
    { "02-Jan-2024", SEXTANT_DATE_FORMAT_DAY_MONTH_NAME, 2024, 1, 2, -1 },
    { "31-Dec-68", SEXTANT_DATE_FORMAT_DAY_MONTH_NAME, 2068, 12, 31, -1 },
    { "Dec 01, 2023", SEXTANT_DATE_FORMAT_MONTH_NAME_DAY, 2023, 12, 1, -1 },
    { "September 7 2001", SEXTANT_DATE_FORMAT_MONTH_NAME_DAY, 2001, 9, 7, -1 },
    { "19-12-2022", SEXTANT_DATE_FORMAT_EU_DASH, 2022, 12, 19, -1 },
    { "27.09.2001 16:05:30", SEXTANT_DATE_FORMAT_EU_DOT, 2001, 9, 27, 16 * 3600 + 5 * 60 + 30 },
    { "27.09.2001 00:00:00.000 GMT+0200", SEXTANT_DATE_FORMAT_EU_DOT, 2001, 9, 27, 0 },
    { "9/27/2001 4:00 PM", SEXTANT_DATE_FORMAT_US, 2001, 9, 27, 16 * 3600 },
    { "2024-01-02 09:30:00-05:00", SEXTANT_DATE_FORMAT_ISO, 2024, 1, 2, 9 * 3600 + 30 * 60 },
    { "1791-03-01", SEXTANT_DATE_FORMAT_ISO, 1791, 3, 1, -1 },
  };
  static const struct { const char *text; SextantDateFormat format; } refused[] = {
    { "32-Jan-90", SEXTANT_DATE_FORMAT_DAY_MONTH_NAME },
    { "2-Foo-90", SEXTANT_DATE_FORMAT_DAY_MONTH_NAME },
    { "Dec 01 23", SEXTANT_DATE_FORMAT_MONTH_NAME_DAY },
    { "19-13-2022", SEXTANT_DATE_FORMAT_EU_DASH },
    { "27.09.2001 25:00", SEXTANT_DATE_FORMAT_EU_DOT },
    { "27.09.2001 later", SEXTANT_DATE_FORMAT_EU_DOT },
    { "0001-01-01", SEXTANT_DATE_FORMAT_ISO },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint32 day = 0;
      int seconds = -2;

      if (!sextant_csv_parse_date_time (cases[i].text, strlen (cases[i].text), cases[i].format,
                                        &day, &seconds))
        g_error ("“%s” was not read", cases[i].text);
      g_assert_cmpint (day, ==, sextant_day_from_ymd (cases[i].y, cases[i].m, cases[i].d));
      g_assert_cmpint (seconds, ==, cases[i].seconds);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      gint32 day;

      if (sextant_csv_parse_date (refused[i].text, strlen (refused[i].text), refused[i].format, &day))
        g_error ("“%s” was read as a date", refused[i].text);
    }
}

/* Thousands separators and volume suffixes are read digit for digit: "73.40K" is the number
 * the text 73400 is, not 73.4 × 1000 rounded. */
static void
test_numbers (void)
{
  static const struct { const char *text; const char *same_as; } volumes[] = {
    { "73.40K", "73400" }, { "1.2M", "1200000" }, { "931.80M", "931800000" },
    { "1.13B", "1130000000" }, { "0.123456K", "123.456" }, { "12", "12" },
  };
  static const struct { const char *text; const char *same_as; } grouped[] = {
    { "41,903.5", "41903.5" }, { "1,234,567", "1234567" }, { "-1,000.25", "-1000.25" },
  };
  static const char *refused[] = { "1,23", "12,3456", ",123", "1,234,56", "1.2X" };
  gboolean missing;
  double value;

  for (guint i = 0; i < G_N_ELEMENTS (volumes); i++)
    {
      g_assert_true (sextant_csv_parse_volume (volumes[i].text, strlen (volumes[i].text), FALSE,
                                               &value, &missing));
      g_assert_cmpfloat (value, ==, g_ascii_strtod (volumes[i].same_as, NULL));
    }
  g_assert_true (sextant_csv_parse_volume ("1,5M", 4, TRUE, &value, &missing));
  g_assert_cmpfloat (value, ==, 1500000);
  for (guint i = 0; i < G_N_ELEMENTS (grouped); i++)
    {
      g_assert_true (sextant_csv_parse_double (grouped[i].text, strlen (grouped[i].text), FALSE,
                                               &value, &missing));
      g_assert_cmpfloat (value, ==, g_ascii_strtod (grouped[i].same_as, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    if (sextant_csv_parse_volume (refused[i], strlen (refused[i]), FALSE, &value, &missing))
      g_error ("“%s” was read as %g", refused[i], value);
}

/* Intraday rows without a time, or the same minute twice, are rejected, not summed. */
static void
test_intraday_problems (Fixture       *f,
                        gconstpointer  data)
{
  static const char text[] = "Date,Time,Close,Volume\n"
                             "2024-01-02,09:30,10,100\n"
                             "2024-01-02,10:30,11,100\n"
                             "2024-01-02,10:30,12,100\n"    /* line 4: the same hour again */
                             "2024-01-02,,13,100\n"         /* line 5: no time */
                             "2024-01-02,16:00,14,100\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_data (bytes, 0, &error);
  g_autoptr(SextantPriceSeries) bars = NULL;
  g_autofree char *mapping = NULL;
  gsize n = 0;

  g_assert_no_error (error);
  sextant_csv_importer_set_symbol (importer, "T");
  g_assert_true (sextant_csv_importer_get_intraday (importer));
  mapping = sextant_csv_importer_describe (importer);
  g_assert_nonnull (strstr (mapping, "aggregated into daily bars"));
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, 2);
  g_assert_cmpint (sextant_csv_importer_get_rejected (importer, 0)->line, ==, 4);
  g_assert_nonnull (strstr (sextant_csv_importer_get_rejected (importer, 0)->message,
                            "T on 2024-01-02 10:30:00 is already on line 3"));
  g_assert_cmpint (sextant_csv_importer_get_rejected (importer, 1)->line, ==, 5);
  bars = sextant_market_cache_get_bars (f->cache, "T", 0, 0, &error);
  g_assert_cmpuint (sextant_price_series_get_length (bars), ==, 1);
  g_assert_cmpfloat (sextant_price_series_get_close (bars)[0], ==, 14);
  g_assert_cmpfloat (sextant_price_series_get_volume (bars)[0], ==, 300);
}

/* A wide intraday file, its days' rows not even together: each column's day closes at its
 * latest price.
 * CRLF line ends, also inside a quoted field. */
static void
test_intraday_wide (Fixture       *f,
                    gconstpointer  data)
{
  static const char text[] = "Datetime,AAA,BBB\r\n"
                             "2024-01-02 16:00,11,21\r\n"
                             "2024-01-03 09:30,12,22\r\n"
                             "2024-01-02 09:30,10,20\r\n"
                             "2024-01-03 16:00,13,\r\n";
  static const char note[] = "Date,Close,Note\r\n"
                             "2024-01-02,11,\"closing\r\nauction\"\r\n"
                             "2024-01-03,13,\r\n";
  g_autoptr(GBytes) note_bytes = g_bytes_new_static (note, strlen (note));
  g_autoptr(SextantCsvImporter) noted = NULL;
  g_autoptr(SextantPriceSeries) ccc = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_data (bytes, 0, &error);
  g_autoptr(SextantPriceSeries) aaa = NULL;
  g_autoptr(SextantPriceSeries) bbb = NULL;
  gsize n = 0;

  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_layout (importer), ==, SEXTANT_CSV_LAYOUT_WIDE);
  g_assert_true (sextant_csv_importer_get_intraday (importer));
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, 0);
  g_assert_cmpuint (n, ==, 4);
  aaa = sextant_market_cache_get_bars (f->cache, "AAA", 0, 0, &error);
  bbb = sextant_market_cache_get_bars (f->cache, "BBB", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sextant_price_series_get_close (aaa)[0], ==, 11);
  g_assert_cmpfloat (sextant_price_series_get_close (aaa)[1], ==, 13);
  g_assert_cmpfloat (sextant_price_series_get_close (bbb)[0], ==, 21);
  /* BBB has no close at 16:00 on the 3rd: its day closes at its last price, 22. */
  g_assert_cmpfloat (sextant_price_series_get_close (bbb)[1], ==, 22);

  noted = sextant_csv_importer_new_for_data (note_bytes, 0, &error);
  g_assert_no_error (error);
  sextant_csv_importer_set_symbol (noted, "CCC");
  g_assert_true (sextant_csv_importer_import_prices (noted, f->cache, &n, &error));
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (noted), ==, 0);
  ccc = sextant_market_cache_get_bars (f->cache, "CCC", 0, 0, &error);
  g_assert_cmpuint (sextant_price_series_get_length (ccc), ==, 2);
  g_assert_cmpfloat (sextant_price_series_get_close (ccc)[1], ==, 13);
}

/* A large import and, on a second connection, a writer that waits at most a quarter second for the
 * lock saving a portfolio and storing a chat question over and over: every write gets through
 * while the import runs, because the import writes in short batches. */
typedef struct
{
  SextantStore *store;
  gint          importing;
  guint         saved_during_import;
  guint         failed;
  char         *first_error;
  gint64        conversation;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr(SextantPortfolioStore) portfolios = sextant_portfolio_store_new (w->store);
  g_autoptr(SextantConversationStore) conversations = sextant_conversation_store_new (w->store);
  g_autoptr(GError) create_error = NULL;

  w->conversation = sextant_conversation_store_create (conversations, "Asked while importing",
                                                    SEXTANT_ROLE_ANALYST, NULL, &create_error);
  g_assert_no_error (create_error);
  while (!g_atomic_int_get (&w->importing))
    g_usleep (1000);
  for (guint i = 0; g_atomic_int_get (&w->importing); i++)
    {
      g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new ("Saved while importing");
      g_autoptr(SextantConverseMessage) question = sextant_converse_message_new ("user");
      g_autoptr(GError) error = NULL;

      sextant_portfolio_add_holding (portfolio, "MSFT", i + 1, NAN, "USD");
      sextant_converse_message_add_text (question, "What is the VaR of my book?");
      if (sextant_portfolio_store_save (portfolios, portfolio, &error) &&
          sextant_conversation_store_append (conversations, w->conversation, question,
                                             SEXTANT_MESSAGE_COMPLETE, 0, 0, &error) > 0)
        w->saved_during_import++;
      else
        {
          w->failed++;
          if (w->first_error == NULL)
            w->first_error = g_strdup (error->message);
        }
      g_usleep (20000);
    }

  return NULL;
}

static void
test_concurrent_writer (Fixture       *f,
                        gconstpointer  data)
{
  enum { N_SYMBOLS = 80, N_DAYS = 6000 };
  g_autofree char *csv = g_build_filename (f->dir, "large.csv", NULL);
  g_autoptr(GString) text = g_string_sized_new (N_SYMBOLS * N_DAYS * 32);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(SextantPriceSeries) bars = NULL;
  Writer writer = { 0 };
  GThread *thread;
  gint64 start;
  gsize n = 0;

  g_string_append (text, "date,symbol,close\n");
  for (int s = 0; s < N_SYMBOLS; s++)
    for (int d = 0; d < N_DAYS; d++)
      {
        g_autofree char *date = sextant_day_format_iso (10000 + d);

        g_string_append_printf (text, "%s,S%02d,%d.%02d\n", date, s, 10 + d % 90, s);
      }
  g_assert_true (g_file_set_contents (csv, text->str, text->len, &error));

  writer.store = sextant_store_open_connection (f->store, &error);
  g_assert_no_error (error);
  sqlite3_busy_timeout (sextant_store_get_db (writer.store), 250);
  importer = sextant_csv_importer_new_for_file (csv, 0, &error);
  g_assert_no_error (error);

  thread = g_thread_new ("writer", writer_thread, &writer);
  start = g_get_monotonic_time ();
  g_atomic_int_set (&writer.importing, TRUE);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_atomic_int_set (&writer.importing, FALSE);
  g_thread_join (thread);
  g_test_message ("import of %d rows: %.2f s, %u saves during it", N_SYMBOLS * N_DAYS,
                  (g_get_monotonic_time () - start) / 1e6, writer.saved_during_import);

  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, N_SYMBOLS * N_DAYS);
  if (writer.failed > 0)
    g_error ("%u saves failed during the import: %s", writer.failed, writer.first_error);
  g_assert_cmpuint (writer.saved_during_import, >=, 2);
  /* Every question stored during the import is in the conversation. */
  {
    g_autoptr(SextantConversationStore) conversations = sextant_conversation_store_new (f->store);
    g_autoptr(GPtrArray) messages = sextant_conversation_store_load_messages (conversations,
                                                                              writer.conversation,
                                                                              &error);

    g_assert_no_error (error);
    g_assert_cmpuint (messages->len, ==, writer.saved_during_import);
  }
  bars = sextant_market_cache_get_bars (f->cache, "S07", 0, 0, &error);
  g_assert_cmpuint (sextant_price_series_get_length (bars), ==, N_DAYS);
  {
    g_autofree char *last = g_strdup_printf ("%d.%02d", 10 + (N_DAYS - 1) % 90, 7);

    g_assert_cmpfloat (sextant_price_series_get_close (bars)[N_DAYS - 1], ==,
                       g_ascii_strtod (last, NULL));
  }
  g_object_unref (writer.store);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/sextant/market/csv-import-robust/format/%s",
                                               format_cases[i].file);

      g_test_add (name, Fixture, &format_cases[i], fixture_setup, test_format, fixture_teardown);
    }
  g_test_add ("/sextant/market/csv-import-robust/empty-row-keeps-bar", Fixture, NULL,
              fixture_setup, test_empty_row_keeps_bar, fixture_teardown);
  g_test_add ("/sextant/market/csv-import-robust/impossible-values", Fixture, NULL,
              fixture_setup, test_impossible_values, fixture_teardown);
  g_test_add ("/sextant/market/csv-import-robust/transaction-export", Fixture, NULL,
              fixture_setup, test_transaction_export, fixture_teardown);
  g_test_add ("/sextant/market/csv-import-robust/text-after-quote", Fixture, NULL,
              fixture_setup, test_text_after_quote, fixture_teardown);
  g_test_add ("/sextant/market/csv-import-robust/multiline-record-lines", Fixture, NULL,
              fixture_setup, test_multiline_record_lines, fixture_teardown);
  g_test_add ("/sextant/market/csv-import-robust/intraday-problems", Fixture, NULL,
              fixture_setup, test_intraday_problems, fixture_teardown);
  g_test_add ("/sextant/market/csv-import-robust/latin1", Fixture, NULL,
              fixture_setup, test_latin1, fixture_teardown);
  g_test_add ("/sextant/market/csv-import-robust/intraday-wide", Fixture, NULL,
              fixture_setup, test_intraday_wide, fixture_teardown);
  g_test_add ("/sextant/market/csv-import-robust/concurrent-writer", Fixture, NULL,
              fixture_setup, test_concurrent_writer, fixture_teardown);
  g_test_add_func ("/sextant/market/csv-import-robust/holdings-extra-columns",
                   test_holdings_extra_columns);
  g_test_add_func ("/sextant/market/csv-import-robust/reader-same-tokenizer",
                   test_reader_same_tokenizer);
  g_test_add_func ("/sextant/market/csv-import-robust/dates", test_dates);
  g_test_add_func ("/sextant/market/csv-import-robust/numbers", test_numbers);

  return g_test_run ();
}
