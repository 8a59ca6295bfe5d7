#define G_LOG_DOMAIN "sextant-heston-estimate"

#include "config.h"

#include <math.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-heston-estimate.h"

/* Heston parameters from a return series by the moments of realized variance.
 *
 * The returns are cut into J blocks of m periods, aligned to the end of the series, and each
 * block gives a realized variance RV_j = (P/m) Σ (r_t − r̄)² (P periods a year) and a return
 * R_j = Σ r_t. In the Heston model the variance is a square-root (CIR) process with the
 * autocovariance of an Ornstein-Uhlenbeck one, Var v = θξ²/(2κ) and Corr (v_s, v_{s+h}) = e^{−κh};
 * RV_j is the block average v̄_j plus a measurement noise of conditional variance 2v̄_j²/m
 * (χ² with m degrees of freedom, for normal daily shocks), independent from block to block.
 * With a = κΔ, Δ = m/P:
 *
 *   θ        = mean RV
 *   Var v̄    = (Var RV − 2θ²/m) / (1 + 2/m)                        (the noise taken out)
 *   φ        = Cov (RV_j, RV_{j+1}) / Var v̄ = (1 − e^{−a})² / (2 (a − 1 + e^{−a}))
 *   Var v    = Var v̄ · a² / (2 (a − 1 + e^{−a}))                   (the averaging undone)
 *   ξ        = √(2κ Var v / θ)
 *   ρ        = Cov (R_j, RV_j − RV_{j−1}) / (ξ θ Δ c(a)),
 *              c(a) = (1 − (1 − e^{−a})/a) / a                        (→ ½ as a → 0)
 *
 * φ is solved for a by bisection (it falls from 1 to 0 as a grows). c(a) is the mean weight with
 * which a variance shock inside block j moves v̄_j (shocks before the block move v̄_j and v̄_{j−1}
 * but are independent of R_j; subtracting RV_{j−1} only takes their noise out). This
 * contemporaneous form catches the leverage effect of real indices, whose variance also has
 * components that revert within days; the next block's change would see mostly their reversal.
 * The third moment of the daily returns inside a block, which also enters the covariance, is
 * neglected. v₀ is the last block's
 * realized variance. These are method-of-moments estimates: consistent, not efficient; with five
 * years of daily data (60 blocks of 21 days) κ and ξ are known to within a factor of two at best,
 * which is why the window shows them and lets the user change them. */

static double
block_ratio (double a)
{
  double e = exp (-a);

  if (a < 1e-6)
    return 1 - a / 3;

  return (1 - e) * (1 - e) / (2 * (a - 1 + e));
}

static double
shock_weight (double a)
{
  if (a < 1e-6)
    return 0.5 - a / 6;

  return (1 + expm1 (-a) / a) / a;
}

/* The a = κΔ whose lag-one block autocorrelation is @phi, 0 < phi < 1. */
static double
solve_block_ratio (double phi)
{
  double lo = 1e-8, hi = 200;

  for (guint i = 0; i < 200; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (block_ratio (mid) > phi)
        lo = mid;
      else
        hi = mid;
    }

  return 0.5 * (lo + hi);
}

static gboolean
check_returns (const double  *log_returns,
               gsize          n,
               gsize          block,
               GError       **error)
{
  if (block < 2 || n / block < 8)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "Estimating a variance process needs at least 8 blocks of %" G_GSIZE_FORMAT
                   " returns, got %" G_GSIZE_FORMAT " returns", block, n);
      return FALSE;
    }
  for (gsize t = 0; t < n; t++)
    if (!isfinite (log_returns[t]))
      {
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                     "Return %" G_GSIZE_FORMAT " is %g", t + 1, log_returns[t]);
        return FALSE;
      }

  return TRUE;
}

/* Realized variance and return of each block, the blocks aligned to the end of the series. */
static void
make_blocks (const double *log_returns,
             gsize         n,
             gsize         block,
             double        periods_per_year,
             double       *rv,
             double       *ret,
             gsize         n_blocks)
{
  gsize skip = n - n_blocks * block;
  double mean = 0;

  for (gsize t = skip; t < n; t++)
    mean += log_returns[t];
  mean /= n - skip;
  for (gsize j = 0; j < n_blocks; j++)
    {
      const double *r = log_returns + skip + j * block;
      double ss = 0, sum = 0;

      for (gsize t = 0; t < block; t++)
        {
          ss += (r[t] - mean) * (r[t] - mean);
          sum += r[t];
        }
      rv[j] = ss * periods_per_year / block;
      ret[j] = sum;
    }
}

static void
fit_moments (const double          *rv,
             const double          *ret,
             gsize                  J,
             double                 m,
             double                 delta,
             SextantHestonEstimate *out)
{
  double theta = 0, mean_ret = 0, var = 0, c1 = 0, c_rho = 0, var_bar, phi, a, var_v;

  for (gsize j = 0; j < J; j++)
    {
      theta += rv[j];
      mean_ret += ret[j];
    }
  theta /= J;
  mean_ret /= J;
  for (gsize j = 0; j < J; j++)
    var += (rv[j] - theta) * (rv[j] - theta);
  var /= J - 1;
  for (gsize j = 0; j + 1 < J; j++)
    {
      c1 += (rv[j] - theta) * (rv[j + 1] - theta);
      c_rho += (ret[j + 1] - mean_ret) * (rv[j + 1] - rv[j]);
    }
  c1 /= J - 1;
  c_rho /= J - 2;

  out->theta = theta;
  var_bar = (var - 2 * theta * theta / m) / (1 + 2 / m);
  phi = var_bar > 0 ? c1 / var_bar : 0;
  if (var_bar <= 0 || c1 / var < 2 / sqrt (J))
    {
      /* No persistence distinguishable from sampling noise (the lag-one autocorrelation of RV
       * is below two standard errors, 2/√J): the variance is taken as constant. */
      out->clamped = TRUE;
      out->kappa = SEXTANT_HESTON_KAPPA_MAX;
      out->xi = 0;
      out->rho = 0;
      return;
    }
  if (phi >= 1)
    {
      out->clamped = TRUE;
      a = SEXTANT_HESTON_KAPPA_MIN * delta;
    }
  else
    a = solve_block_ratio (phi);
  out->kappa = a / delta;
  if (out->kappa < SEXTANT_HESTON_KAPPA_MIN || out->kappa > SEXTANT_HESTON_KAPPA_MAX)
    {
      out->clamped = TRUE;
      out->kappa = CLAMP (out->kappa, SEXTANT_HESTON_KAPPA_MIN, SEXTANT_HESTON_KAPPA_MAX);
      a = out->kappa * delta;
    }
  var_v = MAX (var_bar, 0) * a * a / (2 * (a - 1 + exp (-a)));
  out->xi = sqrt (2 * out->kappa * var_v / theta);
  if (out->xi > SEXTANT_HESTON_XI_MAX)
    {
      out->clamped = TRUE;
      out->xi = SEXTANT_HESTON_XI_MAX;
    }
  out->rho = out->xi > 0 ? c_rho / (out->xi * theta * delta * shock_weight (a)) : 0;
  if (fabs (out->rho) > 1)
    {
      out->clamped = TRUE;
      out->rho = CLAMP (out->rho, -1.0, 1.0);
    }
}

/**
 * sextant_heston_estimate:
 * @log_returns: (array length=n): log returns per period, oldest first
 * @n: number of returns
 * @block: periods per block of realized variance (21 for months of daily data)
 * @periods_per_year: 252 for daily data
 * @out: (out caller-allocates): the estimate
 * @error: return location for an error
 *
 * Estimates the parameters of a Heston variance process from the moments of realized variance
 * (see the comment at the top of this file): θ the mean, κ from the persistence, ξ from the
 * dispersion with the sampling noise taken out, ρ from how block returns move the next realized
 * variance, v₀ the latest block's. Figures outside the ranges a simulation can use are moved to
 * them and @out->clamped set.
 *
 * Returns: %TRUE, or %FALSE with fewer than 8 blocks, a non-finite return or no variance
 */
gboolean
sextant_heston_estimate (const double           *log_returns,
                         gsize                   n,
                         gsize                   block,
                         double                  periods_per_year,
                         SextantHestonEstimate  *out,
                         GError                **error)
{
  g_autofree double *rv = NULL;
  g_autofree double *ret = NULL;
  gsize J;

  g_return_val_if_fail (log_returns != NULL || n == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (periods_per_year > 0, FALSE);

  *out = (SextantHestonEstimate) { 0 };
  if (!check_returns (log_returns, n, block, error))
    return FALSE;

  J = n / block;
  rv = g_new (double, J);
  ret = g_new (double, J);
  make_blocks (log_returns, n, block, periods_per_year, rv, ret, J);
  out->n_blocks = J;
  fit_moments (rv, ret, J, block, block / periods_per_year, out);
  if (!(out->theta > 0))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                   "The returns do not vary: no variance process to estimate");
      return FALSE;
    }
  out->v0 = MAX (rv[J - 1], 1e-3 * out->theta);

  return TRUE;
}
