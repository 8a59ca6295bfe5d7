#define G_LOG_DOMAIN "sextant-risk"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-covariance.h"
#include "analytics/sextant-risk.h"
#include "analytics/sextant-work-size.h"

gboolean
sextant_check_confidence (double    confidence,
                          GError  **error)
{
  if (!(confidence > 0.5 && confidence < 1.0))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   _("Confidence must lie strictly between 0.5 and 1, got %g"), confidence);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_finite (const double  *r,
              gsize          n,
              GError       **error)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (r[i]))
      {
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                     _("Return %zu is missing or not a number"), i + 1);
        return FALSE;
      }

  return TRUE;
}

/**
 * sextant_portfolio_returns:
 * @returns: asset returns
 * @weights: (array): one weight per asset
 * @out: (out caller-allocates) (array): n_obs portfolio returns, Σ_j w_j r_tj
 * @error: return location for an error
 *
 * A constant-weight portfolio rebalanced every period, as make_reference.R's `R %*% w`.
 */
gboolean
sextant_portfolio_returns (const SextantReturnMatrix  *returns,
                           const double               *weights,
                           double                     *out,
                           GError                    **error)
{
  g_return_val_if_fail (returns != NULL && weights != NULL && out != NULL, FALSE);

  if (returns->n_obs == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   _("No returns to combine into a portfolio"));
      return FALSE;
    }

  memset (out, 0, sizeof (double) * returns->n_obs);
  for (gsize j = 0; j < returns->n_assets; j++)
    {
      const double *x = sextant_return_matrix_get_column (returns, j);

      for (gsize t = 0; t < returns->n_obs; t++)
        out[t] += weights[j] * x[t];
    }

  return check_finite (out, returns->n_obs, error);
}

/**
 * sextant_moments_compute:
 * @r: (array length=n): returns
 * @n: at least 2
 * @moments: (out): mean, sample sd, population skewness and excess kurtosis
 * @error: return location for an error
 */
gboolean
sextant_moments_compute (const double    *r,
                         gsize            n,
                         SextantMoments  *moments,
                         GError         **error)
{
  double sum = 0, m2 = 0, m3 = 0, m4 = 0, mean;

  g_return_val_if_fail (moments != NULL, FALSE);

  if (n < 2)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   _("Moments need at least two returns, got %zu"), n);
      return FALSE;
    }
  if (!check_finite (r, n, error))
    return FALSE;

  for (gsize i = 0; i < n; i++)
    sum += r[i];
  mean = sum / n;
  for (gsize i = 0; i < n; i++)
    {
      double d = r[i] - mean, d2 = d * d;

      m2 += d2;
      m3 += d2 * d;
      m4 += d2 * d2;
    }

  moments->mean = mean;
  moments->sd = sqrt (m2 / (n - 1));
  if (m2 == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                   _("The returns do not vary (all equal to %g)"), mean);
      return FALSE;
    }
  m2 /= n;
  moments->skewness = (m3 / n) / pow (m2, 1.5);
  moments->excess_kurtosis = (m4 / n) / (m2 * m2) - 3.0;

  return TRUE;
}

/**
 * sextant_quantile_type7:
 * @sorted: (array length=n): values in ascending order
 * @n: at least 1
 * @p: probability in [0, 1]
 *
 * Hyndman and Fan's type 7 (R's default): h = (n − 1) p, linear between the neighbours.
 */
double
sextant_quantile_type7 (const double *sorted,
                        gsize         n,
                        double        p)
{
  double h = (n - 1) * p;
  gsize lo = (gsize) floor (h);

  g_return_val_if_fail (n > 0, NAN);

  if (lo + 1 >= n)
    return sorted[n - 1];

  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/* Hoare's selection: afterwards v[k] holds the k-th smallest value, smaller ones before it and
 * larger ones after. Expected O(n), where a full sort of a million Monte Carlo returns is
 * O(n log n) and several times slower. */
static void
select_kth (double *v,
            gsize   n,
            gsize   k)
{
  gsize lo = 0, hi = n - 1;

  while (lo < hi)
    {
      double pivot = v[lo + (hi - lo) / 2];
      gsize i = lo, j = hi;

      while (i <= j)
        {
          while (v[i] < pivot)
            i++;
          while (v[j] > pivot)
            j--;
          if (i <= j)
            {
              double t = v[i];

              v[i] = v[j];
              v[j] = t;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        break;
    }
}

/**
 * sextant_var_historical:
 * @r: (array length=n): returns
 * @n: at least 2
 * @confidence: e.g. 0.99
 * @var: (out): −(type-7 quantile at 1 − confidence), a positive loss fraction
 * @es: (out) (optional): −(mean of the returns at or below that quantile)
 * @error: return location for an error
 */
gboolean
sextant_var_historical (const double  *r,
                        gsize          n,
                        double         confidence,
                        double        *var,
                        double        *es,
                        GError       **error)
{
  g_autofree double *work = NULL;
  double q, h, tail = 0;
  gsize lo, n_tail = 0;

  if (!sextant_check_confidence (confidence, error))
    return FALSE;
  if (n < 2)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   _("Historical VaR needs at least two returns, got %zu"), n);
      return FALSE;
    }
  if (!check_finite (r, n, error))
    return FALSE;

  /* The type-7 quantile needs only the order statistics at floor(h) and floor(h) + 1. */
  work = g_memdup2 (r, sizeof (double) * n);
  h = (n - 1) * (1.0 - confidence);
  lo = (gsize) floor (h);
  select_kth (work, n, lo);
  q = work[lo];
  if (lo + 1 < n)
    {
      double next = work[lo + 1];

      for (gsize i = lo + 2; i < n; i++)
        next = MIN (next, work[i]);
      q += (h - lo) * (next - q);
    }
  for (gsize i = 0; i < n; i++)
    if (r[i] <= q)
      {
        tail += r[i];
        n_tail++;
      }

  *var = -q;
  if (es != NULL)
    *es = -tail / n_tail;

  return TRUE;
}

/**
 * sextant_var_gaussian:
 * @mean: mean return per period
 * @sd: standard deviation per period
 * @confidence: e.g. 0.99
 * @var: (out): −(μ + σ z), z = Φ⁻¹(1 − c)
 * @es: (out) (optional): −μ + σ φ(z) / (1 − c)
 * @error: return location for an error
 */
gboolean
sextant_var_gaussian (double   mean,
                      double   sd,
                      double   confidence,
                      double  *var,
                      double  *es,
                      GError **error)
{
  double z;

  if (!sextant_check_confidence (confidence, error))
    return FALSE;

  z = gsl_cdf_ugaussian_Pinv (1.0 - confidence);
  *var = -(mean + sd * z);
  if (es != NULL)
    *es = -mean + sd * gsl_ran_ugaussian_pdf (z) / (1.0 - confidence);

  return TRUE;
}

/**
 * sextant_var_cornish_fisher:
 * @moments: from sextant_moments_compute()
 * @confidence: e.g. 0.99
 * @var: (out): −(μ + σ z_cf) with the Cornish-Fisher expansion of z
 * @error: return location for an error
 */
gboolean
sextant_var_cornish_fisher (const SextantMoments  *moments,
                            double                 confidence,
                            double                *var,
                            GError               **error)
{
  double z, z_cf, s, k;

  if (!sextant_check_confidence (confidence, error))
    return FALSE;

  z = gsl_cdf_ugaussian_Pinv (1.0 - confidence);
  s = moments->skewness;
  k = moments->excess_kurtosis;
  z_cf = z + (z * z - 1) * s / 6 + (z * z * z - 3 * z) * k / 24 - (2 * z * z * z - 5 * z) * s * s / 36;
  *var = -(moments->mean + moments->sd * z_cf);

  return TRUE;
}

/**
 * sextant_var_components_gaussian:
 * @mean: (array length=k): mean return per asset
 * @covariance: (array): k × k
 * @weights: (array length=k): portfolio weights
 * @k: number of assets
 * @confidence: e.g. 0.99
 * @marginal: (out caller-allocates) (optional): ∂VaR/∂w_i = −(μ_i + z (Σw)_i / σ_p)
 * @component: (out caller-allocates) (optional): w_i ∂VaR/∂w_i
 * @total: (out) (optional): the Gaussian VaR −(w'μ + z σ_p)
 * @error: return location for an error
 *
 * Gaussian VaR is homogeneous of degree one in the weights, so by Euler's theorem the components
 * sum exactly to the total: each is the asset's contribution to the portfolio's risk.
 */
gboolean
sextant_var_components_gaussian (const double  *mean,
                                 const double  *covariance,
                                 const double  *weights,
                                 gsize          k,
                                 double         confidence,
                                 double        *marginal,
                                 double        *component,
                                 double        *total,
                                 GError       **error)
{
  g_autofree double *sw = g_new0 (double, MAX (k, 1));
  double variance = 0, mu = 0, sd, z;

  if (!sextant_check_confidence (confidence, error))
    return FALSE;

  for (gsize i = 0; i < k; i++)
    {
      for (gsize j = 0; j < k; j++)
        sw[i] += covariance[i * k + j] * weights[j];
      variance += weights[i] * sw[i];
      mu += weights[i] * mean[i];
    }
  if (!(variance > 0))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                   _("The portfolio's variance is %g: no risk to decompose"), variance);
      return FALSE;
    }

  sd = sqrt (variance);
  z = gsl_cdf_ugaussian_Pinv (1.0 - confidence);
  for (gsize i = 0; i < k; i++)
    {
      double m = -(mean[i] + z * sw[i] / sd);

      if (marginal != NULL)
        marginal[i] = m;
      if (component != NULL)
        component[i] = weights[i] * m;
    }
  if (total != NULL)
    *total = -(mu + z * sd);

  return TRUE;
}

/**
 * sextant_risk_contributions:
 * @covariance: (array): k × k
 * @weights: (array length=k): portfolio weights
 * @k: number of assets
 * @contribution: (out caller-allocates) (array length=k): w_i (Σw)_i / σ_p, each asset's share
 *   of the portfolio's volatility; they sum to σ_p (Euler), and are equal for a risk-parity
 *   portfolio
 * @volatility: (out) (optional): σ_p = √(w'Σw)
 * @error: ZERO_VARIANCE if the portfolio has no variance
 */
gboolean
sextant_risk_contributions (const double  *covariance,
                            const double  *weights,
                            gsize          k,
                            double        *contribution,
                            double        *volatility,
                            GError       **error)
{
  double variance = 0, sd;

  for (gsize i = 0; i < k; i++)
    {
      double row = 0;

      for (gsize j = 0; j < k; j++)
        row += covariance[i * k + j] * weights[j];
      contribution[i] = weights[i] * row;
      variance += contribution[i];
    }
  if (!(variance > 0))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                   _("The portfolio's variance is %g: no risk to decompose"), variance);
      return FALSE;
    }
  sd = sqrt (variance);
  for (gsize i = 0; i < k; i++)
    contribution[i] /= sd;
  if (volatility != NULL)
    *volatility = sd;

  return TRUE;
}

/**
 * sextant_monte_carlo_portfolio:
 * @mean: (array length=k): mean return per asset
 * @covariance: (array): k × k, positive definite
 * @weights: (array length=k): portfolio weights
 * @k: number of assets
 * @distribution: normal or Student t
 * @dof: degrees of freedom of the t (> 2), ignored for the normal
 * @n_sims: number of scenarios
 * @seed: the generator's seed (MT19937): the same seed gives the same scenarios
 * @out: (out caller-allocates) (array length=n_sims): simulated portfolio returns
 * @cancellable: (nullable): checked every 65,536 scenarios, for runs in a worker thread
 * @error: return location for an error (CANCELLED when @cancellable fired)
 *
 * Each scenario is x = μ + L z (L the Cholesky factor of Σ), scaled for the t by
 * √((ν − 2) / W) with W ~ χ²_ν so that its covariance is still Σ. The portfolio return w'x equals
 * w'μ + (L'w)'z, so L'w is formed once and each scenario costs k normals and k multiply-adds.
 * Feed @out to sextant_var_historical() for VaR and ES.
 */
gboolean
sextant_monte_carlo_portfolio (const double           *mean,
                               const double           *covariance,
                               const double           *weights,
                               gsize                   k,
                               SextantMcDistribution   distribution,
                               double                  dof,
                               gsize                   n_sims,
                               guint64                 seed,
                               double                 *out,
                               GCancellable           *cancellable,
                               GError                **error)
{
  g_autofree double *lower = g_new (double, MAX (k * k, 1));
  g_autofree double *v = g_new0 (double, MAX (k, 1));
  gsl_rng *rng;
  double mu = 0;

  if (n_sims < 2 || k == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   _("Monte Carlo needs at least one asset and two scenarios"));
      return FALSE;
    }
  /* @out is the caller's: its size is checked by the caller before allocating (as the CLI
   * does); the draws are this function's */
  if (!sextant_work_size_check (_("Monte Carlo VaR"), 0, (double) n_sims * k, error))
    return FALSE;
  /* beyond a million degrees of freedom the t is the normal to every printed digit */
  if (distribution == SEXTANT_MC_STUDENT_T && !(dof > 2 && dof <= 1e6))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   _("Student t degrees of freedom must exceed 2 for a finite variance and be at "
                     "most 10⁶ (the normal), got %g"), dof);
      return FALSE;
    }
  if (!sextant_cholesky (covariance, k, lower, error))
    return FALSE;

  for (gsize i = 0; i < k; i++)
    {
      mu += weights[i] * mean[i];
      for (gsize j = 0; j <= i; j++)
        v[j] += weights[i] * lower[i * k + j];
    }

  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, (unsigned long) seed);
  for (gsize s = 0; s < n_sims; s++)
    {
      double x = 0;

      if ((s & 0xffff) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          gsl_rng_free (rng);
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_CANCELLED,
                       _("Monte Carlo cancelled after %zu of %zu scenarios"), s, n_sims);
          return FALSE;
        }

      for (gsize j = 0; j < k; j++)
        x += v[j] * gsl_ran_gaussian_ziggurat (rng, 1.0);
      if (distribution == SEXTANT_MC_STUDENT_T)
        x *= sqrt ((dof - 2) / gsl_ran_chisq (rng, dof));
      out[s] = mu + x;
    }
  gsl_rng_free (rng);

  return TRUE;
}
