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

/* An optimizer simple enough to follow by hand: everything in the asset with the highest mean
 * return over the returns it is shown (the first on a tie). */
static gboolean
best_asset (const SextantReturnMatrix  *train,
            double                     *weights,
            gpointer                    user_data,
            GError                    **error)
{
  gsize best = 0;
  double best_mean = -INFINITY;

  for (gsize j = 0; j < train->n_assets; j++)
    {
      double mean = 0;

      for (gsize t = 0; t < train->n_obs; t++)
        mean += sextant_return_matrix_get_column (train, j)[t] / train->n_obs;
      if (mean > best_mean)
        {
          best_mean = mean;
          best = j;
        }
      weights[j] = 0;
    }
  weights[best] = 1;
  if (user_data != NULL)
    g_ptr_array_add (user_data, g_memdup2 (train->days, sizeof (gint32) * train->n_obs));

  return TRUE;
}

static gboolean
failing_optimizer (const SextantReturnMatrix  *train,
                   double                     *weights,
                   gpointer                    user_data,
                   GError                    **error)
{
  g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE, "no weights");

  return FALSE;
}

/* Six returns, four dates at the end of January and two in February:
 *   A  +10 %  +10 %  +10 %  −10 %    0      0
 *   B    0      0      0    +5 %   +2 %     0   */
static SextantReturnMatrix *
walk_assets (void)
{
  const char *names[] = { "A", "B", NULL };
  const double a[] = { 0.10, 0.10, 0.10, -0.10, 0, 0 }, b[] = { 0, 0, 0, 0.05, 0.02, 0 };
  const int day[] = { 27, 28, 30, 31 };
  SextantReturnMatrix *m = sextant_return_matrix_new (6, names);

  memcpy (m->values, a, sizeof a);
  memcpy (m->values + 6, b, sizeof b);
  for (gsize t = 0; t < 4; t++)
    m->days[t] = sextant_day_from_ymd (2020, 1, day[t]);
  m->days[4] = sextant_day_from_ymd (2020, 2, 3);
  m->days[5] = sextant_day_from_ymd (2020, 2, 4);

  return m;
}

static void
test_out_of_sample_split (void)
{
  g_autoptr(SextantReturnMatrix) m = walk_assets ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  SextantWalkForward spec = { .first = 2, .window = 0, .every_months = 0 };
  SextantBacktestResult r;

  /* Trained on the first two returns only (A: +10 %, +10 %): all in A, then held over the last
   * four: 1.1 · 0.9 · 1 · 1 = 0.99, never traded. The month end after return 4 does not matter. */
  g_assert_true (sextant_backtest_walk_forward (m, &spec, best_asset, seen, SEXTANT_REBALANCE_MONTHLY,
                                                0, 10, 252, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpint (((gint32 *) seen->pdata[0])[1], ==, m->days[1]);
  g_assert_cmpuint (r.n_periods, ==, 4);
  g_assert_cmpuint (r.first, ==, 2);
  g_assert_cmpuint (r.n_optimizations, ==, 1);
  g_assert_cmpfloat_with_epsilon (r.wealth[4], 0.99, 1e-15);
  g_assert_cmpfloat_with_epsilon (r.returns[0], 0.10, 1e-15);
  /* All in one asset: rebalancing to (1, 0) trades nothing. */
  g_assert_cmpfloat (r.turnover, ==, 0);
  g_assert_cmpfloat (r.total_cost, ==, 0);
  sextant_backtest_result_clear (&r);
}

static void
test_walk_forward_monthly (void)
{
  g_autoptr(SextantReturnMatrix) m = walk_assets ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  SextantWalkForward spec = { .first = 2, .window = 2, .every_months = 1 };
  SextantBacktestResult r;

  /* Returns 1–2 choose A. Wealth 1.1 after Jan 30 and 0.99 after Jan 31, the month's last date,
   * where the optimization sees the trailing two returns, 3–4: A +10 %, −10 % (mean 0) against
   * B 0, +5 % (mean 2.5 %), so all in B. The trade sells 0.99 of A and buys 0.99 of B: one-way
   * turnover ½ · 1.98 / 0.99 = 1, cost 10 bps of 1.98 = 0.00198, wealth 0.98802; then B's +2 %
   * gives 1.0077804. */
  g_assert_true (sextant_backtest_walk_forward (m, &spec, best_asset, seen, SEXTANT_REBALANCE_NONE,
                                                0, 10, 252, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.n_optimizations, ==, 2);
  g_assert_cmpuint (r.n_rebalances, ==, 1);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpint (((gint32 *) seen->pdata[1])[0], ==, m->days[2]);
  g_assert_cmpint (((gint32 *) seen->pdata[1])[1], ==, m->days[3]);
  g_assert_cmpfloat_with_epsilon (r.turnover, 1.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (r.total_cost, 0.00198, 1e-15);
  g_assert_cmpfloat_with_epsilon (r.wealth[2], 0.98802, 1e-15);
  g_assert_cmpfloat_with_epsilon (r.returns[1], 0.98802 / 1.1 - 1, 1e-15);
  g_assert_cmpfloat_with_epsilon (r.wealth[4], 0.98802 * 1.02, 1e-15);
  /* Four returns are 4/252 of a year: turnover a year 1 · 252 / 4 = 63. */
  g_assert_cmpfloat_with_epsilon (r.turnover_annualised, 63.0, 1e-12);
  sextant_backtest_result_clear (&r);
}

static void
test_walk_forward_bad_input (void)
{
  g_autoptr(SextantReturnMatrix) m = walk_assets ();
  GError *error = NULL;
  SextantWalkForward spec = { .first = 1 };
  SextantBacktestResult r;

  g_assert_false (sextant_backtest_walk_forward (m, &spec, best_asset, NULL, SEXTANT_REBALANCE_NONE,
                                                 0, 10, 252, &r, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_HORIZON);
  g_clear_error (&error);
  spec = (SextantWalkForward) { .first = 2, .window = 3 };
  g_assert_false (sextant_backtest_walk_forward (m, &spec, best_asset, NULL, SEXTANT_REBALANCE_NONE,
                                                 0, 10, 252, &r, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_HORIZON);
  g_clear_error (&error);
  spec = (SextantWalkForward) { .first = 2 };
  g_assert_false (sextant_backtest_walk_forward (m, &spec, failing_optimizer, NULL,
                                                 SEXTANT_REBALANCE_NONE, 0, 10, 252, &r, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE);
  g_clear_error (&error);
  g_assert_null (r.wealth);
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
  g_test_add_func ("/sextant/backtest/out-of-sample-split", test_out_of_sample_split);
  g_test_add_func ("/sextant/backtest/walk-forward-monthly", test_walk_forward_monthly);
  g_test_add_func ("/sextant/backtest/walk-forward-bad-input", test_walk_forward_bad_input);

  return g_test_run ();
}
