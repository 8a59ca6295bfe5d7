#define G_LOG_DOMAIN "sextant-performance"

#include "config.h"

#include <math.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-performance.h"
#include "analytics/sextant-work-size.h"

static gboolean
check_series (const double  *r,
              gsize          n,
              gsize          min_n,
              GError       **error)
{
  if (n < min_n)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "Need at least %" G_GSIZE_FORMAT " returns, got %" G_GSIZE_FORMAT, min_n, n);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    if (!isfinite (r[i]) || r[i] <= -1.0)
      {
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                     "Return %" G_GSIZE_FORMAT " is %g: not a finite return above −100%%",
                     i + 1, r[i]);
        return FALSE;
      }

  return TRUE;
}

static void
mean_sd (const double *r,
         gsize         n,
         double       *mean,
         double       *sd)
{
  double sum = 0, ss = 0;

  for (gsize i = 0; i < n; i++)
    sum += r[i];
  *mean = sum / n;
  for (gsize i = 0; i < n; i++)
    ss += (r[i] - *mean) * (r[i] - *mean);
  *sd = sqrt (ss / (n - 1));
}

/**
 * sextant_max_drawdown:
 * @returns: (array length=n): simple returns per period
 * @n: at least 1
 * @drawdown: (out): the worst fall of wealth ∏(1 + r) from its running peak, and its dates
 * @error: return location for an error
 *
 * Wealth starts at 1 before the first return, so a loss on the first day counts as a drawdown.
 */
gboolean
sextant_max_drawdown (const double     *returns,
                      gsize             n,
                      SextantDrawdown  *drawdown,
                      GError          **error)
{
  double wealth = 1, peak = 1, worst_peak = 1;
  gsize peak_at = 0;

  if (!check_series (returns, n, 1, error))
    return FALSE;

  *drawdown = (SextantDrawdown) { 0, 0, 0, -1, 0 };
  for (gsize t = 1; t <= n; t++)
    {
      wealth *= 1 + returns[t - 1];
      if (wealth >= peak)
        {
          peak = wealth;
          peak_at = t;
        }
      else if (1 - wealth / peak > drawdown->max_drawdown)
        {
          *drawdown = (SextantDrawdown) { 1 - wealth / peak, peak_at, t, -1, 0 };
          worst_peak = peak;
        }
    }

  /* A second pass from the trough finds when wealth regained the peak of the worst drawdown. */
  wealth = worst_peak * (1 - drawdown->max_drawdown);
  for (gsize t = drawdown->trough + 1; t <= n && drawdown->max_drawdown > 0; t++)
    {
      wealth *= 1 + returns[t - 1];
      if (wealth >= worst_peak)
        {
          drawdown->recovery = t;
          break;
        }
    }
  drawdown->duration = (drawdown->recovery >= 0 ? (gsize) drawdown->recovery : n) - drawdown->peak;

  return TRUE;
}

/**
 * sextant_drawdown_series:
 * @returns: (array length=n): simple returns per period
 * @n: at least 1
 * @drawdown: (out caller-allocates) (array length=n): after each period, 1 − wealth / running
 *   peak (0 at a new high), for an "underwater" chart
 * @error: return location for an error
 *
 * The running peak includes the starting wealth of 1, as in sextant_max_drawdown().
 */
gboolean
sextant_drawdown_series (const double  *returns,
                         gsize          n,
                         double        *drawdown,
                         GError       **error)
{
  double wealth = 1, peak = 1;

  if (!check_series (returns, n, 1, error))
    return FALSE;

  for (gsize t = 0; t < n; t++)
    {
      wealth *= 1 + returns[t];
      peak = MAX (peak, wealth);
      drawdown[t] = 1 - wealth / peak;
    }

  return TRUE;
}

/**
 * sextant_volatility_annualised:
 * @returns: (array length=n): returns per period
 * @n: at least 2
 * @periods_per_year: 252 for daily data
 * @volatility: (out): sample sd × √periods_per_year
 * @error: return location for an error
 */
gboolean
sextant_volatility_annualised (const double  *returns,
                               gsize          n,
                               double         periods_per_year,
                               double        *volatility,
                               GError       **error)
{
  double mean, sd;

  if (!check_series (returns, n, 2, error) ||
      !sextant_check_periods_per_year (periods_per_year, error))
    return FALSE;

  mean_sd (returns, n, &mean, &sd);
  *volatility = sd * sqrt (periods_per_year);

  return TRUE;
}

/**
 * sextant_sharpe_ratio:
 * @returns: (array length=n): returns per period
 * @n: at least 2
 * @rf_per_period: the risk-free return per period
 * @periods_per_year: 252 for daily data
 * @sharpe: (out): mean(r − rf) / sd(r) × √periods_per_year
 * @error: return location for an error
 */
gboolean
sextant_sharpe_ratio (const double  *returns,
                      gsize          n,
                      double         rf_per_period,
                      double         periods_per_year,
                      double        *sharpe,
                      GError       **error)
{
  double mean, sd;

  if (!check_series (returns, n, 2, error) ||
      !sextant_check_periods_per_year (periods_per_year, error))
    return FALSE;

  mean_sd (returns, n, &mean, &sd);
  if (sd == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                   "The returns do not vary: the Sharpe ratio is undefined");
      return FALSE;
    }
  *sharpe = (mean - rf_per_period) / sd * sqrt (periods_per_year);

  return TRUE;
}

/**
 * sextant_sortino_ratio:
 * @returns: (array length=n): returns per period
 * @n: at least 2
 * @mar_per_period: the minimum acceptable return per period
 * @periods_per_year: 252 for daily data
 * @sortino: (out): (mean(r) − MAR) / DD × √periods_per_year, DD = √(Σ min(r − MAR, 0)² / n)
 * @error: return location for an error
 */
gboolean
sextant_sortino_ratio (const double  *returns,
                       gsize          n,
                       double         mar_per_period,
                       double         periods_per_year,
                       double        *sortino,
                       GError       **error)
{
  double mean, sd, down = 0;

  if (!check_series (returns, n, 2, error) ||
      !sextant_check_periods_per_year (periods_per_year, error))
    return FALSE;

  mean_sd (returns, n, &mean, &sd);
  for (gsize i = 0; i < n; i++)
    {
      double d = MIN (returns[i] - mar_per_period, 0.0);

      down += d * d;
    }
  if (down == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                   "No return falls below %g: the Sortino ratio is undefined", mar_per_period);
      return FALSE;
    }
  *sortino = (mean - mar_per_period) / sqrt (down / n) * sqrt (periods_per_year);

  return TRUE;
}

/**
 * sextant_benchmark_stats:
 * @returns: (array length=n): the portfolio's returns
 * @benchmark: (array length=n): the benchmark's returns on the same dates
 * @n: at least 2
 * @periods_per_year: 252 for daily data
 * @stats: (out): beta, alpha, tracking error and information ratio
 * @error: return location for an error
 */
gboolean
sextant_benchmark_stats (const double           *returns,
                         const double           *benchmark,
                         gsize                   n,
                         double                  periods_per_year,
                         SextantBenchmarkStats  *stats,
                         GError                **error)
{
  double mr, sr, mb, sb, cov = 0, mean_diff, sd_diff, ss = 0;

  if (!check_series (returns, n, 2, error) || !check_series (benchmark, n, 2, error) ||
      !sextant_check_periods_per_year (periods_per_year, error))
    return FALSE;

  mean_sd (returns, n, &mr, &sr);
  mean_sd (benchmark, n, &mb, &sb);
  if (sb == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                   "The benchmark's returns do not vary: beta is undefined");
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    cov += (returns[i] - mr) * (benchmark[i] - mb);
  cov /= n - 1;

  mean_diff = mr - mb;
  for (gsize i = 0; i < n; i++)
    {
      double d = returns[i] - benchmark[i] - mean_diff;

      ss += d * d;
    }
  sd_diff = sqrt (ss / (n - 1));

  stats->beta = cov / (sb * sb);
  stats->alpha_annualised = (mr - stats->beta * mb) * periods_per_year;
  stats->tracking_error_annualised = sd_diff * sqrt (periods_per_year);
  stats->information_ratio = sd_diff > 0 ? mean_diff * periods_per_year /
                                           stats->tracking_error_annualised : NAN;

  return TRUE;
}
