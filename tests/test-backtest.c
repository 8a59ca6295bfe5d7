#define G_LOG_DOMAIN "test-backtest"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Two assets over three periods: A returns +10 % each period, B 0 %. Dates: 2020-01-30,
 * 2020-01-31, 2020-02-03 — a month ends after the second period. */
static SextantReturnMatrix *
two_assets (void)
{
  const char *names[] = { "A", "B", NULL };
  SextantReturnMatrix *m = sextant_return_matrix_new (3, names);

  for (gsize t = 0; t < 3; t++)
    {
      m->values[t] = 0.10;
      m->values[3 + t] = 0;
    }
  m->days[0] = sextant_day_from_ymd (2020, 1, 30);
  m->days[1] = sextant_day_from_ymd (2020, 1, 31);
  m->days[2] = sextant_day_from_ymd (2020, 2, 3);

  return m;
}

static void
test_buy_and_hold (void)
{
  g_autoptr(SextantReturnMatrix) m = two_assets ();
  g_autoptr(GError) error = NULL;
  const double w[] = { 0.5, 0.5 };
  SextantBacktestResult r;

  /* Holdings 0.5 · 1.1³ = 0.6655 and 0.5: wealth 1.1655. CAGR over 3 periods with 3 periods a
   * year is 0.1655. No trades, no turnover. */
  g_assert_true (sextant_backtest_run (m, w, SEXTANT_REBALANCE_NONE, 0, 10, 3, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (r.wealth[3], 1.1655, 1e-14);
  g_assert_cmpfloat_with_epsilon (r.cagr, 0.1655, 1e-14);
  g_assert_cmpfloat (r.turnover, ==, 0);
  g_assert_cmpuint (r.n_rebalances, ==, 0);
  g_assert_cmpfloat (r.max_drawdown, ==, 0);
  /* Period returns: 0.05; A gains 0.055 on 1.05 → 0.052381…; then 0.0605 on 1.105. */
  g_assert_cmpfloat_with_epsilon (r.returns[0], 0.05, 1e-15);
  g_assert_cmpfloat_with_epsilon (r.returns[1], 0.055 / 1.05, 1e-15);
  g_assert_cmpfloat_with_epsilon (r.returns[2], 0.0605 / 1.105, 1e-15);
  sextant_backtest_result_clear (&r);
}

static void
test_threshold_with_cost (void)
{
  g_autoptr(SextantReturnMatrix) m = two_assets ();
  g_autoptr(GError) error = NULL;
  const double w[] = { 0.5, 0.5 };
  SextantBacktestResult r;
  double w1, w2;

  /* Threshold 0.02: after period 1 A weighs 0.55/1.05 = 0.5238 (> 0.52): trade 0.025 out of A
   * into B, Σ|trade| = 0.05, cost 10 bps · 0.05 = 0.00005, wealth 1.04995, one-way turnover
   * 0.025/1.05. Period 2: 0.524975·1.1 + 0.524975 = 1.1024475, A weighs 0.5238 again → trade
   * Σ = 2 · 0.02624875 = 0.0524975, cost 0.0000524975, wealth 1.1023950025. Period 3 is the
   * last: no trade; wealth 0.55119750125·1.1 + 0.55119750125 = 1.157514752625. */
  g_assert_true (sextant_backtest_run (m, w, SEXTANT_REBALANCE_THRESHOLD, 0.02, 10, 252, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.n_rebalances, ==, 2);
  w1 = 1.04995;
  w2 = 1.1024475 - 0.0000524975;
  g_assert_cmpfloat_with_epsilon (r.wealth[1], w1, 1e-14);
  g_assert_cmpfloat_with_epsilon (r.wealth[2], w2, 1e-14);
  g_assert_cmpfloat_with_epsilon (r.wealth[3], w2 / 2 * 2.1, 1e-14);
  g_assert_cmpfloat_with_epsilon (r.turnover, 0.025 / 1.05 + 0.02624875 / 1.1024475, 1e-14);
  g_assert_cmpfloat_with_epsilon (r.total_cost, 0.00005 + 0.0000524975, 1e-16);
  sextant_backtest_result_clear (&r);
}

static void
test_monthly (void)
{
  g_autoptr(SextantReturnMatrix) m = two_assets ();
  g_autoptr(GError) error = NULL;
  const double w[] = { 0.5, 0.5 };
  SextantBacktestResult r;

  /* Only 2020-01-31 is followed by a date in a new month: one rebalance, after period 2, at
   * wealth 1.105 (holdings 0.605, 0.5): each becomes 0.5525; then 0.5525 · 1.1 + 0.5525. */
  g_assert_true (sextant_backtest_run (m, w, SEXTANT_REBALANCE_MONTHLY, 0, 0, 252, &r, &error));
  g_assert_cmpuint (r.n_rebalances, ==, 1);
  g_assert_cmpfloat_with_epsilon (r.wealth[3], 0.5525 * 2.1, 1e-14);
  g_assert_cmpfloat_with_epsilon (r.turnover, 0.0525 / 1.105, 1e-14);
  sextant_backtest_result_clear (&r);

  /* The quarter does not change between January and February: no rebalance. */
  g_assert_true (sextant_backtest_run (m, w, SEXTANT_REBALANCE_QUARTERLY, 0, 0, 252, &r, &error));
  g_assert_cmpuint (r.n_rebalances, ==, 0);
  sextant_backtest_result_clear (&r);
}

static void
test_bad_input (void)
{
  g_autoptr(SextantReturnMatrix) m = two_assets ();
  g_autoptr(GError) error = NULL;
  const double bad[] = { 0.5, 0.4 }, negative[] = { 1.5, -0.5 };
  SextantBacktestResult r;

  g_assert_false (sextant_backtest_run (m, bad, SEXTANT_REBALANCE_NONE, 0, 0, 252, &r, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "sum to 0.9"));
  g_clear_error (&error);
  g_assert_false (sextant_backtest_run (m, negative, SEXTANT_REBALANCE_NONE, 0, 0, 252, &r, &error));
  g_assert_nonnull (strstr (error->message, "B: target weight -0.5"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/backtest/buy-and-hold", test_buy_and_hold);
  g_test_add_func ("/sextant/backtest/threshold-with-cost", test_threshold_with_cost);
  g_test_add_func ("/sextant/backtest/monthly", test_monthly);
  g_test_add_func ("/sextant/backtest/bad-input", test_bad_input);

  return g_test_run ();
}
