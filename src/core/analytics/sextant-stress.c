#define G_LOG_DOMAIN "sextant-stress"

#include "config.h"

#include <math.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-stress.h"

/**
 * sextant_stress_worst_windows:
 * @returns: (array length=n): portfolio returns per period
 * @n: number of returns
 * @window: length k of each window, 1 ≤ k ≤ n
 * @max_windows: how many windows to report at most
 * @out: (out caller-allocates) (array length=max_windows): the worst windows, worst first
 * @n_out: (out): how many were written
 * @error: return location for an error
 *
 * Windows never overlap: once the worst is taken, windows sharing a period with it are skipped,
 * so one crash is not reported k times with shifted dates.
 */
gboolean
sextant_stress_worst_windows (const double         *returns,
                              gsize                 n,
                              gsize                 window,
                              gsize                 max_windows,
                              SextantStressWindow  *out,
                              gsize                *n_out,
                              GError              **error)
{
  g_autofree double *log_wealth = NULL;
  g_autofree gboolean *used = NULL;
  gsize n_windows;

  if (window == 0 || window > n)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_HORIZON,
                   "A stress window of %" G_GSIZE_FORMAT " periods does not fit in %" G_GSIZE_FORMAT
                   " returns", window, n);
      return FALSE;
    }

  log_wealth = g_new (double, n + 1);
  log_wealth[0] = 0;
  for (gsize t = 0; t < n; t++)
    {
      if (!isfinite (returns[t]) || returns[t] <= -1)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                       "Return %" G_GSIZE_FORMAT " is %g", t + 1, returns[t]);
          return FALSE;
        }
      log_wealth[t + 1] = log_wealth[t] + log1p (returns[t]);
    }

  n_windows = n - window + 1;
  used = g_new0 (gboolean, n);
  *n_out = 0;
  while (*n_out < max_windows)
    {
      gssize best = -1;
      double best_log = INFINITY;

      for (gsize s = 0; s < n_windows; s++)
        {
          double g = log_wealth[s + window] - log_wealth[s];

          if (g < best_log && !used[s] && !used[s + window - 1])
            {
              best_log = g;
              best = s;
            }
        }
      if (best < 0)
        break;
      for (gsize t = best; t < (gsize) best + window; t++)
        used[t] = TRUE;
      out[(*n_out)++] = (SextantStressWindow) { best, window, -expm1 (best_log) };
    }

  return TRUE;
}

/**
 * sextant_stress_shock:
 * @weights: (array length=k): portfolio weights
 * @shocks: (array length=k): the return applied to each asset, e.g. −0.3 for a 30 % fall
 * @k: number of assets
 * @portfolio_return: (out): Σ w_i shock_i
 * @contributions: (out caller-allocates) (optional) (array length=k): w_i shock_i
 * @error: return location for an error
 */
gboolean
sextant_stress_shock (const double  *weights,
                      const double  *shocks,
                      gsize          k,
                      double        *portfolio_return,
                      double        *contributions,
                      GError       **error)
{
  double total = 0;

  for (gsize i = 0; i < k; i++)
    {
      /* a rise of more than 10,000% is a typing error: a percentage typed for a fraction */
      if (!(shocks[i] >= -1 && shocks[i] <= 100))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       "Shock %" G_GSIZE_FORMAT " is %g: a return must be from −100%% to +10,000%%",
                       i + 1, shocks[i]);
          return FALSE;
        }
      if (contributions != NULL)
        contributions[i] = weights[i] * shocks[i];
      total += weights[i] * shocks[i];
    }
  *portfolio_return = total;

  return TRUE;
}
