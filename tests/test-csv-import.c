#define G_LOG_DOMAIN "test-csv-import"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

typedef struct
{
  char               *dir;
  SextantStore       *store;
  SextantMarketCache *cache;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = sextant_test_make_temp_dir ();
  path = g_build_filename (f->dir, "import.db", NULL);
  f->store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  f->cache = sextant_market_cache_new (f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  const char *name;
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);

  g_clear_object (&f->cache);
  g_assert_finalize_object (f->store);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static SextantCsvImporter *
importer_for (const char         *text,
              SextantDateFormat   format,
              GError            **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return sextant_csv_importer_new_for_data (bytes, format, error);
}

static gsize
bar_count (Fixture    *f,
           const char *symbol)
{
  SextantBarCoverage coverage;

  g_assert_true (sextant_market_cache_get_coverage (f->cache, symbol, &coverage, NULL));
  return coverage.n_bars;
}

/* data/demo/msft_2000-09_2001-09_ohlcv.csv: 249 rows (counted with Python's csv module). */
static void
test_demo_single (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("SEXTANT_DATADIR"), "demo",
                                            "msft_2000-09_2001-09_ohlcv.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_file (path, 0, &error);
  g_autoptr(SextantPriceSeries) bars = NULL;
  gsize n = 0;

  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_layout (importer), ==, SEXTANT_CSV_LAYOUT_SINGLE);
  g_assert_cmpint (sextant_csv_importer_get_date_format (importer), ==, SEXTANT_DATE_FORMAT_ISO);
  sextant_csv_importer_set_symbol (importer, "MSFT");
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 249);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, 0);
  bars = sextant_market_cache_get_bars (f->cache, "MSFT", 0, 0, &error);
  /* First row: 2000-09-27,63.4375,63.5625,59.8125,60.625,53077800 */
  g_assert_cmpfloat (sextant_price_series_get_open (bars)[0], ==, 63.4375);
  g_assert_cmpfloat (sextant_price_series_get_volume (bars)[0], ==, 53077800);
}

/* Dow Jones 30: 2,529 rows × 30 symbols, no gaps. */
static void
test_demo_wide (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("SEXTANT_DATADIR"), "demo",
                                            "dowjones30_1990-2001_closes.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_file (path, 0, &error);
  gsize n = 0;

  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_layout (importer), ==, SEXTANT_CSV_LAYOUT_WIDE);
  g_assert_cmpint (sextant_csv_importer_get_column_role (importer, 1), ==,
                   SEXTANT_CSV_ROLE_SYMBOL_CLOSE);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_cmpuint (n, ==, 2529 * 30);
  g_assert_cmpuint (bar_count (f, "IBM"), ==, 2529);
  g_assert_cmpuint (sextant_csv_importer_get_n_gaps (importer), ==, 0);
}

/* SPISECTOR holds 17 NA cells (counted with Python): kept as NaN, each reported. */
static void
test_gaps_reported (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("SEXTANT_DATADIR"), "demo",
                                            "spisector_prices.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = sextant_csv_importer_new_for_file (path, 0, &error);
  const SextantCsvProblem *gap;
  gsize n = 0;

  g_assert_no_error (error);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_cmpuint (n, ==, 2216 * 10);
  g_assert_cmpuint (sextant_csv_importer_get_n_gaps (importer), ==, 17);
  gap = sextant_csv_importer_get_gap (importer, 0);
  g_assert_cmpint (gap->line, >, 1);
  g_assert_true (g_str_has_prefix (gap->message, "Line "));
}

/* Semicolons, decimal commas and D.M.YYYY dates, as a German bank exports them. */
static void
test_european (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(SextantPriceSeries) bars = NULL;
  gint32 day;

  importer = importer_for ("Datum;Ticker;Schluss\n" /* unknown header names are not guessed */
                           , 0, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER);
  g_clear_error (&error);

  importer = importer_for ("Trade Date;Ticker;Last;Volume\n"
                           "26.09.2001;MSFT;50,27;29.262.200\n"
                           "27.09.2001;MSFT;49,96;40.595.600\n", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_delimiter (importer), ==, ';');
  g_assert_true (sextant_csv_importer_get_decimal_comma (importer));
  g_assert_cmpint (sextant_csv_importer_get_layout (importer), ==, SEXTANT_CSV_LAYOUT_LONG);
  g_assert_cmpint (sextant_csv_importer_get_date_format (importer), ==, SEXTANT_DATE_FORMAT_EU_DOT);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, NULL, &error));
  bars = sextant_market_cache_get_bars (f->cache, "MSFT", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_day_parse_iso ("2001-09-27", &day));
  g_assert_cmpint (sextant_price_series_get_days (bars)[1], ==, day);
  g_assert_cmpfloat (sextant_price_series_get_close (bars)[1], ==, 49.96);
  /* Dots group thousands in a decimal-comma file: 40.595.600 is 40595600. */
  g_assert_cmpfloat (sextant_price_series_get_volume (bars)[1], ==, 40595600);
}

/* Tabs, quoted headers, and the raw Close preferred over Adj Close. */
static void
test_tab_quoted (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(SextantPriceSeries) bars = NULL;

  importer = importer_for ("\"Symbol\"\t\"Date\"\t\"Adj Close\"\t\"Close\"\n"
                           "\"BRK \"\"B\"\"\"\t2001-09-27\t40.1\t49.96\n", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_delimiter (importer), ==, '\t');
  g_assert_cmpint (sextant_csv_importer_get_column_role (importer, 2), ==, SEXTANT_CSV_ROLE_IGNORED);
  g_assert_cmpint (sextant_csv_importer_get_column_role (importer, 3), ==, SEXTANT_CSV_ROLE_CLOSE);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, NULL, &error));
  bars = sextant_market_cache_get_bars (f->cache, "BRK \"B\"", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sextant_price_series_get_close (bars)[0], ==, 49.96);
}

/* Pipes and US dates: 9/27/2001 can only be month first. */
static void
test_pipe_us_dates (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = NULL;
  gsize n = 0;

  importer = importer_for ("date|ticker|price\n9/26/2001|MSFT|50.27\n9/27/2001|MSFT|49.96\n",
                           0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_delimiter (importer), ==, '|');
  g_assert_cmpint (sextant_csv_importer_get_date_format (importer), ==, SEXTANT_DATE_FORMAT_US);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_cmpuint (n, ==, 2);
}

static void
test_ambiguous_dates (Fixture       *f,
                      gconstpointer  data)
{
  static const char *text = "date,symbol,close\n01/02/2020,A,1\n03/04/2020,A,2\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = importer_for (text, 0, &error);
  g_autoptr(SextantCsvImporter) chosen = NULL;
  g_autoptr(SextantCsvImporter) european = NULL;

  g_assert_null (importer);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_DATE);
  g_clear_error (&error);

  chosen = importer_for (text, SEXTANT_DATE_FORMAT_US, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_date_format (chosen), ==, SEXTANT_DATE_FORMAT_US);

  /* The stated rule: day first in a file with European number format. */
  european = importer_for ("date;symbol;close\n01/02/2020;A;1,5\n03/04/2020;A;2,5\n", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_date_format (european), ==, SEXTANT_DATE_FORMAT_EU_SLASH);
}

/* Mixed date formats and broken rows: each rejected with its line; the rest is imported and
 * stays. */
static void
test_broken_rows (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = NULL;
  gsize n = 0;

  importer = importer_for ("date,symbol,close\n"       /* line 1 */
                           "2001-09-25,MSFT,51.30\n"   /* 2 */
                           "09/26/2001,MSFT,50.27\n"   /* 3: another format */
                           "2001-09-27,MSFT,abc\n"     /* 4: not a number */
                           "2001-09-28,MSFT\n"         /* 5: a field short */
                           "\n"                        /* 6: blank, skipped */
                           "2001-02-30,MSFT,1\n"       /* 7: no such day */
                           "2001-10-01,MSFT,NA\n"      /* 8: a gap, kept */
                           "2001-10-02,\"MSFT,49\n"    /* 9: unterminated quote */
                           "2001-10-03,MSFT,48.5\n",   /* 10 */
                           0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_date_format (importer), ==, SEXTANT_DATE_FORMAT_ISO);
  g_assert_true (sextant_csv_importer_import_prices (importer, f->cache, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (bar_count (f, "MSFT"), ==, 3);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, 5);
  g_assert_cmpint (sextant_csv_importer_get_rejected (importer, 0)->line, ==, 3);
  g_assert_nonnull (strstr (sextant_csv_importer_get_rejected (importer, 0)->message,
                            "is M/D/YYYY, but the column is YYYY-MM-DD"));
  g_assert_cmpint (sextant_csv_importer_get_rejected (importer, 1)->line, ==, 4);
  g_assert_nonnull (strstr (sextant_csv_importer_get_rejected (importer, 1)->message, "not a number"));
  g_assert_cmpint (sextant_csv_importer_get_rejected (importer, 2)->line, ==, 5);
  g_assert_cmpint (sextant_csv_importer_get_rejected (importer, 3)->line, ==, 7);
  g_assert_cmpint (sextant_csv_importer_get_rejected (importer, 4)->line, ==, 9);
  g_assert_cmpuint (sextant_csv_importer_get_n_gaps (importer), ==, 1);
  g_assert_cmpint (sextant_csv_importer_get_gap (importer, 0)->line, ==, 8);
}

static double
cached_close (Fixture    *f,
              const char *symbol,
              gint32      day)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) bars = sextant_market_cache_get_bars (f->cache, symbol, day, day,
                                                                      &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (bars), ==, 1);

  return sextant_price_series_get_close (bars)[0];
}

static void
test_duplicate_rows (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) long_file = NULL;
  g_autoptr(SextantCsvImporter) wide_file = NULL;
  gsize n = 0;

  /* A second row for the same symbol and date would overwrite the first without a word; it is
   * rejected naming the line that came first, and the first value is what the cache keeps. */
  long_file = importer_for ("date,symbol,close\n"       /* line 1 */
                            "2001-09-25,MSFT,51.30\n"   /* 2 */
                            "2001-09-25,IBM,100.00\n"   /* 3: same date, other symbol: fine */
                            "2001-09-25,MSFT,99.99\n"   /* 4: duplicate of line 2 */
                            "2001-09-26,MSFT,50.27\n",  /* 5 */
                            0, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_csv_importer_import_prices (long_file, f->cache, &n, &error));
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (long_file), ==, 1);
  g_assert_cmpint (sextant_csv_importer_get_rejected (long_file, 0)->line, ==, 4);
  g_assert_nonnull (strstr (sextant_csv_importer_get_rejected (long_file, 0)->message,
                            "MSFT on 2001-09-25 is already on line 2"));
  g_assert_cmpfloat (cached_close (f, "MSFT", sextant_day_from_ymd (2001, 9, 25)), ==, 51.30);

  wide_file = importer_for ("date,AAA,BBB\n"
                            "2001-01-02,1,2\n"
                            "2001-01-03,3,4\n"
                            "2001-01-02,5,6\n",
                            0, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_csv_importer_import_prices (wide_file, f->cache, &n, &error));
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (wide_file), ==, 1);
  g_assert_nonnull (strstr (sextant_csv_importer_get_rejected (wide_file, 0)->message,
                            "2001-01-02 is already on line 2"));
  g_assert_cmpfloat (cached_close (f, "BBB", sextant_day_from_ymd (2001, 1, 2)), ==, 2);
}

static void
test_holdings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  const SextantHolding *h;

  importer = importer_for ("Ticker;Weight;CCY;Max\nMSFT;40%;usd;0,5\nIBM;0,35;USD;\n"
                           "MSFT;10%;USD;\nKO;;USD;\nGE;25 %;USD;\n", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_layout (importer), ==, SEXTANT_CSV_LAYOUT_HOLDINGS);
  portfolio = sextant_csv_importer_read_holdings (importer, "Imported", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (portfolio), ==, 2);
  h = sextant_portfolio_get_holding (portfolio, 0);
  g_assert_cmpstr (h->symbol, ==, "MSFT");
  g_assert_cmpfloat (h->weight, ==, 0.40);
  g_assert_cmpstr (h->currency, ==, "USD");
  g_assert_cmpfloat (h->max_weight, ==, 0.5);
  g_assert_true (isnan (h->quantity));
  /* Line 4 repeats MSFT, line 5 has no amount, line 6's "25 %" is no number. */
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, 3);
  g_assert_cmpint (sextant_csv_importer_get_rejected (importer, 0)->line, ==, 4);
  g_assert_nonnull (strstr (sextant_csv_importer_get_rejected (importer, 0)->message, "line 2"));
  g_assert_cmpint (sextant_csv_importer_get_rejected (importer, 1)->line, ==, 5);
  g_assert_cmpint (sextant_csv_importer_get_rejected (importer, 2)->line, ==, 6);
}

/* With the symbols there are prices for, holdings match them ignoring case, and rows of other
 * symbols, repeats in another case, negative amounts and bounds outside 0..1 are rejected with
 * their lines (the header is line 1; the blank line 5 still counts). */
static void
test_holdings_known_symbols (void)
{
  static const char * const known[] = { "MSFT", "KO", "IBM", "XOM", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  static const struct { int line; const char *text; } rejected[] = {
    { 3, "Line 3: no prices for NOPE" },
    { 4, "Line 4: MSFT is already listed on line 2" },
    { 6, "Line 6: IBM has a negative quantity" },
    { 7, "Line 7: bounds 0.2 to 1.5 of XOM are not within 0 to 1 in order" },
    { 8, "Line 8: bounds 0.6 to 0.5 of XOM are not within 0 to 1 in order" },
  };

  importer = importer_for ("shares,symbol,min,max\n10,msft,,\n5,NOPE,,\n7,Msft,,\n\n-3,IBM,,\n"
                           "4,XOM,0.2,1.5\n4,XOM,0.6,0.5\n2,ko,10%,50%\n", 0, &error);
  g_assert_no_error (error);
  sextant_csv_importer_set_known_symbols (importer, known);
  portfolio = sextant_csv_importer_read_holdings (importer, "Known", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (portfolio), ==, 2);
  g_assert_cmpstr (sextant_portfolio_get_holding (portfolio, 0)->symbol, ==, "MSFT");
  g_assert_cmpfloat (sextant_portfolio_get_holding (portfolio, 0)->quantity, ==, 10);
  g_assert_cmpstr (sextant_portfolio_get_holding (portfolio, 1)->symbol, ==, "KO");
  g_assert_cmpfloat (sextant_portfolio_get_holding (portfolio, 1)->min_weight, ==, 0.1);
  g_assert_cmpfloat (sextant_portfolio_get_holding (portfolio, 1)->max_weight, ==, 0.5);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, G_N_ELEMENTS (rejected));
  for (guint i = 0; i < G_N_ELEMENTS (rejected); i++)
    {
      g_assert_cmpint (sextant_csv_importer_get_rejected (importer, i)->line, ==, rejected[i].line);
      g_assert_cmpstr (sextant_csv_importer_get_rejected (importer, i)->message, ==, rejected[i].text);
    }

  /* Without the list, any symbol goes, as written; a repeat in another case is still one. */
  sextant_csv_importer_set_known_symbols (importer, NULL);
  g_clear_object (&portfolio);
  portfolio = sextant_csv_importer_read_holdings (importer, "Any", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (portfolio), ==, 3);
  g_assert_cmpstr (sextant_portfolio_get_holding (portfolio, 0)->symbol, ==, "msft");
  g_assert_cmpstr (sextant_portfolio_get_holding (portfolio, 1)->symbol, ==, "NOPE");
  g_assert_cmpstr (sextant_csv_importer_get_rejected (importer, 0)->message, ==,
                   "Line 4: Msft is already listed on line 2");
}

/* Bonds and cash beside a stock: a bond's terms (coupon in percent or with a percent sign,
 * coupons a year as a number or a word, spread in bp), cash under its currency, the known
 * symbols asked of stocks only; a weight for a bond is rejected. A price file's "Type" column is
 * still one instrument's closes in a wide file. */
static void
test_holdings_bonds_and_cash (void)
{
  static const char * const known[] = { "MSFT", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(SextantCsvImporter) prices = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  const SextantHolding *h;
  gint32 maturity;

  importer = importer_for ("Type,Symbol,Quantity,Weight,Currency,Coupon,Maturity,Frequency,"
                           "Day count,Spread\n"
                           "stock,msft,10,,USD,,,,,\n"
                           "Bond,XS0000000001,250000,,eur,4.5%,2031-06-30,annual,30/360,120bp\n"
                           "bond,UST 2034,1000000,,USD,4.25,2034-11-15,2,act/act-icma,\n"
                           "CASH,,1500.5,,gbp,,,,,\n"
                           "bond,BYWEIGHT,,0.1,USD,4,2030-01-15,2,act/360,\n", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_layout (importer), ==, SEXTANT_CSV_LAYOUT_HOLDINGS);
  sextant_csv_importer_set_known_symbols (importer, known);
  portfolio = sextant_csv_importer_read_holdings (importer, "Desk", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (portfolio), ==, 4);
  h = sextant_portfolio_get_holding (portfolio, 0);
  g_assert_cmpint (h->kind, ==, SEXTANT_HOLDING_EQUITY);
  g_assert_cmpstr (h->symbol, ==, "MSFT");
  h = sextant_portfolio_get_holding (portfolio, 1);
  g_assert_cmpint (h->kind, ==, SEXTANT_HOLDING_BOND);
  g_assert_cmpstr (h->symbol, ==, "XS0000000001");
  g_assert_cmpstr (h->currency, ==, "EUR");
  g_assert_cmpfloat (h->bond.coupon, ==, 0.045);
  g_assert_true (sextant_day_parse_iso ("2031-06-30", &maturity));
  g_assert_cmpint (h->bond.maturity, ==, maturity);
  g_assert_cmpint (h->bond.frequency, ==, 1);
  g_assert_cmpint (h->bond.day_count, ==, SEXTANT_DAY_COUNT_30_360);
  g_assert_cmpfloat (h->bond.face, ==, 250000);
  g_assert_cmpfloat_with_epsilon (h->spread, 0.012, 1e-15);
  h = sextant_portfolio_get_holding (portfolio, 2);
  g_assert_cmpfloat (h->bond.coupon, ==, 0.0425);
  g_assert_cmpint (h->bond.frequency, ==, 2);
  g_assert_true (isnan (h->spread));
  h = sextant_portfolio_get_holding (portfolio, 3);
  g_assert_cmpint (h->kind, ==, SEXTANT_HOLDING_CASH);
  g_assert_cmpstr (h->symbol, ==, "CASH:GBP");
  g_assert_cmpfloat (h->quantity, ==, 1500.5);
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, 1);
  g_assert_cmpstr (sextant_csv_importer_get_rejected (importer, 0)->message, ==,
                   "Line 6: BYWEIGHT is held by weight: a bond needs its face amount in the "
                   "quantity column");

  prices = importer_for ("Date,Type,Coupon\n2024-01-02,1.5,2.5\n2024-01-03,1.6,2.4\n", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_csv_importer_get_layout (prices), ==, SEXTANT_CSV_LAYOUT_WIDE);
}

static void
test_header_errors (void)
{
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(SextantCsvImporter) i1 = importer_for ("", 0, &e1);
  g_autoptr(SextantCsvImporter) i2 = importer_for ("name,value\na,1\n", 0, &e2);
  g_autoptr(SextantCsvImporter) i3 = importer_for ("date,close\nyesterday,1\n", 0, &e3);

  g_assert_error (e1, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER);
  g_assert_error (e2, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER);
  g_assert_nonnull (strstr (e2->message, "Line 1"));
  g_assert_error (e3, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_DATE);
  g_assert_nonnull (strstr (e3->message, "Line 2: “yesterday”"));
}

static void
test_parse_date (void)
{
  gint32 day, expected;

  g_assert_true (sextant_day_parse_iso ("2001-09-27", &expected));
  g_assert_true (sextant_csv_parse_date ("2001-09-27", 10, SEXTANT_DATE_FORMAT_ISO, &day));
  g_assert_cmpint (day, ==, expected);
  g_assert_true (sextant_csv_parse_date ("2001-09-27T16:00:00Z", 20, SEXTANT_DATE_FORMAT_ISO, &day));
  g_assert_cmpint (day, ==, expected);
  g_assert_true (sextant_csv_parse_date ("27/09/2001", 10, SEXTANT_DATE_FORMAT_EU_SLASH, &day));
  g_assert_cmpint (day, ==, expected);
  g_assert_true (sextant_csv_parse_date ("20010927", 8, SEXTANT_DATE_FORMAT_COMPACT, &day));
  g_assert_cmpint (day, ==, expected);
  /* 1001548800 = 11592 · 86400, 2001-09-27 00:00 UTC */
  g_assert_true (sextant_csv_parse_date ("1001548800", 10, SEXTANT_DATE_FORMAT_UNIX, &day));
  g_assert_cmpint (day, ==, expected);
  g_assert_false (sextant_csv_parse_date ("27/09/2001", 10, SEXTANT_DATE_FORMAT_US, &day));
  g_assert_false (sextant_csv_parse_date ("2001-13-01", 10, SEXTANT_DATE_FORMAT_ISO, &day));
  g_assert_false (sextant_csv_parse_date ("2001-09-27x", 11, SEXTANT_DATE_FORMAT_ISO, &day));
}

/* The four functions of the old reader still work for the code that calls them. */
static void
test_legacy_reader (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("SEXTANT_DATADIR"), "demo",
                                            "msft_2000-09_2001-09_ohlcv.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = sextant_csv_read_price_series (path, "MSFT", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (series), ==, 249);
}

/* Kept unknown symbols are holdings in capitals, listed once as unpriced; the other checks still
 * apply to them (a repeat in another case is rejected). */
static void
test_holdings_keep_unknown (void)
{
  static const char * const known[] = { "MSFT", "KO", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  GPtrArray *unpriced;

  importer = importer_for ("symbol,quantity\nmsft,10\naapl,5\nAAPL,7\nKO,2\n", 0, &error);
  g_assert_no_error (error);
  sextant_csv_importer_set_known_symbols (importer, known);
  sextant_csv_importer_set_keep_unknown (importer, TRUE);
  portfolio = sextant_csv_importer_read_holdings (importer, "Kept", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (portfolio), ==, 3);
  g_assert_cmpstr (sextant_portfolio_get_holding (portfolio, 1)->symbol, ==, "AAPL");
  g_assert_cmpfloat (sextant_portfolio_get_holding (portfolio, 1)->quantity, ==, 5);
  unpriced = sextant_csv_importer_get_unpriced (importer);
  g_assert_cmpuint (unpriced->len, ==, 1);
  g_assert_cmpstr (unpriced->pdata[0], ==, "AAPL");
  g_assert_cmpuint (sextant_csv_importer_get_n_rejected (importer), ==, 1);
  g_assert_cmpstr (sextant_csv_importer_get_rejected (importer, 0)->message, ==,
                   "Line 4: AAPL is already listed on line 3");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sextant/market/csv-import/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("demo-single", test_demo_single);
  ADD ("demo-wide", test_demo_wide);
  ADD ("gaps-reported", test_gaps_reported);
  ADD ("european", test_european);
  ADD ("tab-quoted", test_tab_quoted);
  ADD ("pipe-us-dates", test_pipe_us_dates);
  ADD ("ambiguous-dates", test_ambiguous_dates);
  ADD ("broken-rows", test_broken_rows);
  ADD ("duplicate-rows", test_duplicate_rows);
  ADD ("holdings", test_holdings);
#undef ADD
  g_test_add_func ("/sextant/market/csv-import/holdings-known-symbols", test_holdings_known_symbols);
  g_test_add_func ("/sextant/market/csv-import/holdings-bonds-and-cash", test_holdings_bonds_and_cash);
  g_test_add_func ("/sextant/market/csv-import/header-errors", test_header_errors);
  g_test_add_func ("/sextant/market/csv-import/parse-date", test_parse_date);
  g_test_add_func ("/sextant/market/csv-import/legacy-reader", test_legacy_reader);
  g_test_add_func ("/sextant/market/csv-import/holdings-keep-unknown", test_holdings_keep_unknown);

  return g_test_run ();
}
