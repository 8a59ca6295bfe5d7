#pragma once

#include <glib.h>

#include "analytics/sextant-returns.h"

G_BEGIN_DECLS

/**
 * SextantRebalance:
 * @SEXTANT_REBALANCE_NONE: buy and hold: the weights drift with prices
 * @SEXTANT_REBALANCE_MONTHLY: back to the targets on the last date of each month
 * @SEXTANT_REBALANCE_QUARTERLY: on the last date of each calendar quarter
 * @SEXTANT_REBALANCE_THRESHOLD: whenever a weight drifts more than the threshold from its target
 */
typedef enum
{
  SEXTANT_REBALANCE_NONE,
  SEXTANT_REBALANCE_MONTHLY,
  SEXTANT_REBALANCE_QUARTERLY,
  SEXTANT_REBALANCE_THRESHOLD,
} SextantRebalance;

/**
 * SextantBacktestResult:
 * @n_periods: number of returns simulated
 * @wealth: (array length=n_periods+1): wealth after each period, starting at 1
 * @returns: (array length=n_periods): the strategy's return each period, net of costs
 * @cagr: compound annual growth rate, wealth^(periods_per_year / n) − 1
 * @volatility: annualised sample standard deviation of @returns
 * @sharpe: annualised Sharpe ratio with a zero risk-free rate
 * @max_drawdown: largest fall of @wealth from a peak
 * @turnover: one-way turnover, Σ over rebalances of ½ Σ_i |w_target − w_drifted|
 * @turnover_annualised: @turnover per year
 * @n_rebalances: how many times the portfolio was traded back to its targets
 * @total_cost: transaction costs paid, as a fraction of the starting wealth
 * @first: walk-forward only: the index of the first return simulated (the ones before it train
 *   the first optimization); 0 for sextant_backtest_run()
 * @n_optimizations: walk-forward only: how many times the weights were optimized
 */
typedef struct
{
  gsize   n_periods;
  double *wealth;
  double *returns;
  double  cagr;
  double  volatility;
  double  sharpe;
  double  max_drawdown;
  double  turnover;
  double  turnover_annualised;
  guint   n_rebalances;
  double  total_cost;
  gsize   first;
  guint   n_optimizations;
} SextantBacktestResult;

/**
 * SextantBacktestOptimize:
 * @train: the returns an optimization may see
 * @weights: (out caller-allocates) (array): the weights chosen, non-negative, summing to 1
 * @user_data: the closure
 * @error: return location for an error
 *
 * Returns: %TRUE with @weights set
 */
typedef gboolean (*SextantBacktestOptimize) (const SextantReturnMatrix  *train,
                                             double                     *weights,
                                             gpointer                    user_data,
                                             GError                    **error);

/**
 * SextantWalkForward:
 * @first: the first out-of-sample return: the first optimization sees the returns before it
 * @window: how many returns each optimization sees, ending with the latest one (0: all of them
 *   from the start of the data, an expanding window)
 * @every_months: re-optimize on the last date of every @every_months-th month; 0 never: one
 *   optimization on the returns before @first, held (and rebalanced) on the rest, an
 *   out-of-sample split
 */
typedef struct
{
  gsize first;
  gsize window;
  guint every_months;
} SextantWalkForward;

gboolean sextant_backtest_run          (const SextantReturnMatrix  *returns,
                                        const double               *targets,
                                        SextantRebalance            rebalance,
                                        double                      threshold,
                                        double                      cost_bps,
                                        double                      periods_per_year,
                                        SextantBacktestResult      *result,
                                        GError                    **error);
gboolean sextant_backtest_walk_forward (const SextantReturnMatrix  *returns,
                                        const SextantWalkForward   *spec,
                                        SextantBacktestOptimize     optimize,
                                        gpointer                    user_data,
                                        SextantRebalance            rebalance,
                                        double                      threshold,
                                        double                      cost_bps,
                                        double                      periods_per_year,
                                        SextantBacktestResult      *result,
                                        GError                    **error);
void     sextant_backtest_result_clear (SextantBacktestResult      *result);

G_END_DECLS
