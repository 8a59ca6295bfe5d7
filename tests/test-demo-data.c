#include "config.h"

#include <math.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

static void
test_index (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) index = sextant_demo_data_load_index (&error);
  gsize n;

  g_assert_no_error (error);
  g_assert_true (sextant_price_series_validate (index, &error));
  n = sextant_price_series_get_length (index);
  /* data/demo/sp500_2000-2020_ohlcv.csv: 5,105 data lines after the header (the last one has no
   * newline); first row 2000-01-03 close 1455.219971, last row 2020-04-17 close 2874.560059. */
  g_assert_cmpuint (n, ==, 5105);
  g_assert_cmpint (sextant_price_series_get_days (index)[0], ==, sextant_day_from_ymd (2000, 1, 3));
  sextant_assert_close_rel (sextant_price_series_get_close (index)[0], 1455.219971, 1e-15);
  sextant_assert_close_rel (sextant_price_series_get_close (index)[n - 1], 2874.560059, 1e-15);
  sextant_assert_close_rel (sextant_price_series_get_volume (index)[0], 931800000, 1e-15);
}

static void
test_portfolio_valuation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceTable) stocks = sextant_demo_data_load_stocks (&error);
  g_autoptr(SextantPortfolio) portfolio = sextant_demo_data_load_portfolio (&error);
  g_autoptr(SextantValuation) valuation = NULL;
  double total = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_table_get_n_columns (stocks), ==, 30);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (portfolio), ==, 10);

  valuation = sextant_portfolio_valuate (portfolio, stocks, &error);
  g_assert_no_error (error);
  g_assert_cmpint (valuation->as_of, ==, sextant_day_from_ymd (2001, 1, 2));
  g_assert_cmpuint (valuation->n_unpriced, ==, 0);

  /* By hand from the last line of dowjones30_1990-2001_closes.csv (2001-01-02) and
   * data/demo/demo-portfolio.json: MSFT 400 × 43.38 = 17,352; IBM 150 × 84.5 = 12,675;
   * INTC 500 × 31.01 = 15,505; KO 300 × 60.36 = 18,108; JNJ 200 × 50.48 = 10,096;
   * XOM 250 × 43.87 = 10,967.5; GE 400 × 43.26 = 17,304; PG 150 × 76.81 = 11,521.5;
   * WMT 250 × 53.64 = 13,410; JPM 200 × 42.58 = 8,516; total 135,455. */
  sextant_assert_close_rel (valuation->positions[0].value, 17352.0, 1e-12);
  sextant_assert_close_rel (valuation->total, 135455.0, 1e-12);
  sextant_assert_close_rel (valuation->positions[0].weight, 17352.0 / 135455.0, 1e-12);
  for (guint i = 0; i < valuation->n_positions; i++)
    total += valuation->positions[i].weight;
  sextant_assert_close_rel (total, 1.0, 1e-12);
}

static void
test_mixed_weights_and_unknown_symbols (void)
{
  static const char *names[] = { "A", "B", NULL };
  g_autoptr(SextantPriceTable) prices = sextant_price_table_new (1, names);
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new ("Mixed");
  g_autoptr(SextantValuation) valuation = NULL;
  g_autoptr(GError) error = NULL;

  sextant_price_table_get_column_mutable (prices, 0)[0] = 10;
  sextant_price_table_get_column_mutable (prices, 1)[0] = 20;
  /* 7 × 10 = 70 by quantity; B claims 30 % by weight, so the total is 70 / 0.7 = 100. */
  sextant_portfolio_add_holding (portfolio, "A", 7, NAN, NULL);
  sextant_portfolio_add_holding (portfolio, "B", NAN, 0.3, NULL);
  sextant_portfolio_add_holding (portfolio, "ZZZ", 5, NAN, NULL);

  valuation = sextant_portfolio_valuate (portfolio, prices, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (valuation->n_unpriced, ==, 1);
  sextant_assert_close_rel (valuation->total, 100.0, 1e-12);
  sextant_assert_close_rel (valuation->positions[1].value, 30.0, 1e-12);
  g_assert_true (isnan (valuation->positions[2].value));

  g_clear_pointer (&valuation, sextant_valuation_free);
  g_clear_object (&portfolio);
  portfolio = sextant_portfolio_new ("Nothing priced");
  sextant_portfolio_add_holding (portfolio, "ZZZ", 5, NAN, NULL);
  g_assert_null (sextant_portfolio_valuate (portfolio, prices, &error));
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA);
}

static void
workspace_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_workspace_load_demo_finish (SEXTANT_WORKSPACE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_workspace_async (void)
{
  g_autoptr(SextantWorkspace) workspace = sextant_workspace_new ();
  gboolean done = FALSE;

  g_assert_false (sextant_workspace_get_demo_loaded (workspace));
  sextant_workspace_load_demo_async (workspace, NULL, workspace_loaded_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (sextant_workspace_get_demo_loaded (workspace));
  g_assert_cmpuint (sextant_price_series_get_length (sextant_workspace_get_index (workspace)), ==,
                    5105);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (sextant_workspace_get_portfolio (workspace)),
                    ==, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/demo/index", test_index);
  g_test_add_func ("/sextant/demo/portfolio-valuation", test_portfolio_valuation);
  g_test_add_func ("/sextant/demo/mixed-weights", test_mixed_weights_and_unknown_symbols);
  g_test_add_func ("/sextant/demo/workspace-async", test_workspace_async);

  return g_test_run ();
}
