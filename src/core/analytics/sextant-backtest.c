#define G_LOG_DOMAIN "sextant-backtest"

#include "config.h"

#include <math.h>
#include <string.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-backtest.h"
#include "analytics/sextant-performance.h"
#include "analytics/sextant-price-series.h"
#include "analytics/sextant-work-size.h"

void
sextant_backtest_result_clear (SextantBacktestResult *result)
{
  g_clear_pointer (&result->wealth, g_free);
  g_clear_pointer (&result->returns, g_free);
}

/* The calendar bucket of a date: months count 0, 1, 2, …; quarters likewise. */
static int
calendar_bucket (gint32           day,
                 SextantRebalance rebalance)
{
  int y, m, d;

  sextant_day_to_ymd (day, &y, &m, &d);
  return rebalance == SEXTANT_REBALANCE_QUARTERLY ? y * 4 + (m - 1) / 3 : y * 12 + m - 1;
}

static gboolean
due (const SextantReturnMatrix *returns,
     gsize                      t,
     SextantRebalance           rebalance,
     double                     threshold,
     const double              *targets,
     const double              *holdings,
     double                     wealth)
{
  switch (rebalance)
    {
    case SEXTANT_REBALANCE_MONTHLY:
    case SEXTANT_REBALANCE_QUARTERLY:
      /* The last date of a period is the one whose successor falls in the next period. */
      return calendar_bucket (returns->days[t], rebalance) !=
             calendar_bucket (returns->days[t + 1], rebalance);
    case SEXTANT_REBALANCE_THRESHOLD:
      for (gsize i = 0; i < returns->n_assets; i++)
        if (fabs (holdings[i] / wealth - targets[i]) > threshold)
          return TRUE;
      return FALSE;
    case SEXTANT_REBALANCE_NONE:
    default:
      return FALSE;
    }
}

static gboolean
check_inputs (const SextantReturnMatrix  *returns,
              const double               *targets,
              double                      threshold,
              double                      cost_bps,
              GError                    **error)
{
  double sum = 0;

  if (returns->n_obs < 2)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "A backtest needs at least two returns, got %" G_GSIZE_FORMAT, returns->n_obs);
      return FALSE;
    }
  for (gsize i = 0; i < returns->n_assets; i++)
    {
      if (!isfinite (targets[i]) || targets[i] < 0)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       "%s: target weight %g must be a non-negative number", returns->names[i],
                       targets[i]);
          return FALSE;
        }
      sum += targets[i];
    }
  if (fabs (sum - 1) > 1e-9)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "The target weights sum to %.12g, not 1", sum);
      return FALSE;
    }
  /* 10,000 bps is the whole value traded: a higher cost is no cost, it is a typing error */
  if (!(cost_bps >= 0 && cost_bps <= 10000) || !(threshold >= 0 && isfinite (threshold)))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "The cost (%g bps) must be between 0 and 10000 and the threshold (%g) a "
                   "number of 0 or more", cost_bps, threshold);
      return FALSE;
    }

  return TRUE;
}

/* Trades back to the targets. The cost is charged on the trades as computed before it is paid
 * (cost × Σ|W t_i − h_i|), the usual first-order approximation: the exact amount solves
 * C = c Σ|(W − C) t_i − h_i| and differs by terms of order c². */
static void
rebalance_now (gsize                   k,
               const double           *targets,
               double                 *holdings,
               double                 *wealth,
               double                  cost_rate,
               SextantBacktestResult  *result)
{
  double traded = 0, cost;

  for (gsize i = 0; i < k; i++)
    traded += fabs (*wealth * targets[i] - holdings[i]);
  cost = cost_rate * traded;
  result->turnover += 0.5 * traded / *wealth;
  result->total_cost += cost;
  result->n_rebalances++;
  *wealth -= cost;
  for (gsize i = 0; i < k; i++)
    holdings[i] = *wealth * targets[i];
}

static gboolean
summarise (SextantBacktestResult  *result,
           double                  periods_per_year,
           GError                **error)
{
  SextantDrawdown dd;
  gsize n = result->n_periods;
  double years = n / periods_per_year;

  result->cagr = pow (result->wealth[n], 1.0 / years) - 1;
  result->turnover_annualised = result->turnover / years;
  if (!sextant_volatility_annualised (result->returns, n, periods_per_year, &result->volatility,
                                      error) ||
      !sextant_max_drawdown (result->returns, n, &dd, error))
    return FALSE;
  result->max_drawdown = dd.max_drawdown;
  if (!sextant_sharpe_ratio (result->returns, n, 0, periods_per_year, &result->sharpe, NULL))
    result->sharpe = NAN;

  return TRUE;
}

/**
 * sextant_backtest_run:
 * @returns: simple returns of the assets, with dates (for calendar rebalancing)
 * @targets: (array): target weights, non-negative, summing to 1
 * @rebalance: the strategy
 * @threshold: for %SEXTANT_REBALANCE_THRESHOLD, the drift (absolute weight) that triggers a trade
 * @cost_bps: transaction cost in basis points of the value traded at each rebalance
 * @periods_per_year: 252 for daily data
 * @result: (out caller-allocates): the wealth path and its figures; free with
 *   sextant_backtest_result_clear()
 * @error: return location for an error
 *
 * The portfolio starts fully invested at the targets (that first purchase is not charged),
 * holdings grow with their assets' returns, and a rebalance happens after a period's returns,
 * never after the last one.
 */
gboolean
sextant_backtest_run (const SextantReturnMatrix  *returns,
                      const double               *targets,
                      SextantRebalance            rebalance,
                      double                      threshold,
                      double                      cost_bps,
                      double                      periods_per_year,
                      SextantBacktestResult      *result,
                      GError                    **error)
{
  g_autofree double *holdings = NULL;
  gsize n, k;
  double wealth = 1;

  g_return_val_if_fail (returns != NULL && targets != NULL && result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (!check_inputs (returns, targets, threshold, cost_bps, error) ||
      !sextant_check_periods_per_year (periods_per_year, error))
    return FALSE;

  n = returns->n_obs;
  k = returns->n_assets;
  holdings = g_memdup2 (targets, sizeof (double) * k);
  result->n_periods = n;
  result->wealth = g_new (double, n + 1);
  result->returns = g_new (double, n);
  result->wealth[0] = 1;
  for (gsize t = 0; t < n; t++)
    {
      double before = wealth;

      wealth = 0;
      for (gsize i = 0; i < k; i++)
        {
          holdings[i] *= 1 + sextant_return_matrix_get_column (returns, i)[t];
          wealth += holdings[i];
        }
      if (!isfinite (wealth) || wealth <= 0)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                       "Wealth is %g after period %" G_GSIZE_FORMAT ": a return is missing or "
                       "wipes the portfolio out", wealth, t + 1);
          sextant_backtest_result_clear (result);
          return FALSE;
        }
      if (t + 1 < n && due (returns, t, rebalance, threshold, targets, holdings, wealth))
        rebalance_now (k, targets, holdings, &wealth, cost_bps / 1e4, result);
      result->returns[t] = wealth / before - 1;
      result->wealth[t + 1] = wealth;
    }

  if (!summarise (result, periods_per_year, error))
    {
      sextant_backtest_result_clear (result);
      return FALSE;
    }

  return TRUE;
}

/* Walk-forward ----------------------------------------------------------------------------- */

/* Rows [begin, end) of @returns, for an optimization to see. */
static SextantReturnMatrix *
slice_rows (const SextantReturnMatrix *returns,
            gsize                      begin,
            gsize                      end)
{
  SextantReturnMatrix *m = sextant_return_matrix_new (end - begin,
                                                      (const char * const *) returns->names);

  memcpy (m->days, returns->days + begin, sizeof (gint32) * (end - begin));
  for (gsize j = 0; j < returns->n_assets; j++)
    memcpy (m->values + j * m->n_obs, returns->values + j * returns->n_obs + begin,
            sizeof (double) * (end - begin));

  return m;
}

/* The weights an optimization chooses on the @window returns ending before @end, checked as
 * sextant_backtest_run() checks its targets. */
static gboolean
optimize_before (const SextantReturnMatrix  *returns,
                 gsize                       end,
                 gsize                       window,
                 SextantBacktestOptimize     optimize,
                 gpointer                    user_data,
                 double                     *targets,
                 GError                    **error)
{
  g_autoptr(SextantReturnMatrix) train = NULL;
  gsize begin = window == 0 || window > end ? 0 : end - window;

  train = slice_rows (returns, begin, end);
  if (!optimize (train, targets, user_data, error))
    return FALSE;

  return check_inputs (returns, targets, 0, 0, error);
}

static gboolean
check_walk_forward (const SextantReturnMatrix  *returns,
                    const SextantWalkForward   *spec,
                    GError                    **error)
{
  if (spec->first < 2 || spec->first + 2 > returns->n_obs ||
      (spec->window != 0 && (spec->window < 2 || spec->window > spec->first)))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_HORIZON,
                   "A walk-forward test starting at return %" G_GSIZE_FORMAT " with %" G_GSIZE_FORMAT
                   " returns of training does not fit in %" G_GSIZE_FORMAT " returns: it needs two "
                   "before the start and two after it", spec->first + 1, spec->window,
                   returns->n_obs);
      return FALSE;
    }

  return TRUE;
}

/* Whether return @t closes the month of a scheduled re-optimization: the last date of every
 * @every-th month counted from the start of the test. */
static gboolean
reoptimization_due (const SextantReturnMatrix *returns,
                    gsize                      t,
                    guint                      every,
                    guint                     *month_ends)
{
  if (every == 0 ||
      calendar_bucket (returns->days[t], SEXTANT_REBALANCE_MONTHLY) ==
      calendar_bucket (returns->days[t + 1], SEXTANT_REBALANCE_MONTHLY))
    return FALSE;

  return ++*month_ends % every == 0;
}

/**
 * sextant_backtest_walk_forward:
 * @returns: simple returns of the assets, with dates
 * @spec: where the test starts, how much each optimization sees and how often it runs
 * @optimize: (scope call): chooses weights from the returns it is given
 * @user_data: the closure
 * @rebalance: how the portfolio is traded back to the latest weights between optimizations
 * @threshold: for %SEXTANT_REBALANCE_THRESHOLD, the drift that triggers a trade
 * @cost_bps: transaction cost in basis points of the value traded
 * @periods_per_year: 252 for daily data
 * @result: (out caller-allocates): the wealth path of the returns from @spec->first on
 * @error: return location for an error
 *
 * An out-of-sample test: the weights are only ever chosen from returns before the ones they are
 * held over. The first optimization sees the returns before @spec->first and the portfolio starts
 * fully invested at its weights (not charged, as in sextant_backtest_run()); with
 * @spec->every_months, after the last return of every such month the optimization runs again on
 * the trailing @spec->window returns and the portfolio trades to the new weights, paying costs
 * and counting turnover like any rebalance. Figures (CAGR, turnover a year …) are of the
 * out-of-sample part only.
 */
gboolean
sextant_backtest_walk_forward (const SextantReturnMatrix  *returns,
                               const SextantWalkForward   *spec,
                               SextantBacktestOptimize     optimize,
                               gpointer                    user_data,
                               SextantRebalance            rebalance,
                               double                      threshold,
                               double                      cost_bps,
                               double                      periods_per_year,
                               SextantBacktestResult      *result,
                               GError                    **error)
{
  g_autofree double *targets = NULL;
  g_autofree double *holdings = NULL;
  gsize n, k, first;
  double wealth = 1;
  guint month_ends = 0;

  g_return_val_if_fail (returns != NULL && spec != NULL && optimize != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (!check_walk_forward (returns, spec, error))
    return FALSE;
  n = returns->n_obs;
  k = returns->n_assets;
  first = spec->first;
  targets = g_new (double, k);
  if (!optimize_before (returns, first, spec->window, optimize, user_data, targets, error) ||
      !check_inputs (returns, targets, threshold, cost_bps, error))
    return FALSE;

  holdings = g_memdup2 (targets, sizeof (double) * k);
  result->first = first;
  result->n_optimizations = 1;
  result->n_periods = n - first;
  result->wealth = g_new (double, n - first + 1);
  result->returns = g_new (double, n - first);
  result->wealth[0] = 1;
  for (gsize t = first; t < n; t++)
    {
      double before = wealth;

      wealth = 0;
      for (gsize i = 0; i < k; i++)
        {
          holdings[i] *= 1 + sextant_return_matrix_get_column (returns, i)[t];
          wealth += holdings[i];
        }
      if (!isfinite (wealth) || wealth <= 0)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                       "Wealth is %g after period %" G_GSIZE_FORMAT ": a return is missing or "
                       "wipes the portfolio out", wealth, t + 1);
          sextant_backtest_result_clear (result);
          return FALSE;
        }
      if (t + 1 < n && reoptimization_due (returns, t, spec->every_months, &month_ends))
        {
          if (!optimize_before (returns, t + 1, spec->window, optimize, user_data, targets, error))
            {
              sextant_backtest_result_clear (result);
              return FALSE;
            }
          result->n_optimizations++;
          rebalance_now (k, targets, holdings, &wealth, cost_bps / 1e4, result);
        }
      else if (t + 1 < n && due (returns, t, rebalance, threshold, targets, holdings, wealth))
        rebalance_now (k, targets, holdings, &wealth, cost_bps / 1e4, result);
      result->returns[t - first] = wealth / before - 1;
      result->wealth[t - first + 1] = wealth;
    }

  if (!summarise (result, periods_per_year, error))
    {
      sextant_backtest_result_clear (result);
      return FALSE;
    }

  return TRUE;
}
