#define G_LOG_DOMAIN "sextant-covariance"

#include "config.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-covariance.h"

/**
 * sextant_mean_vector:
 * @returns: a return matrix
 * @mean: (out caller-allocates) (array): n_assets arithmetic means
 * @error: return location for an error
 */
gboolean
sextant_mean_vector (const SextantReturnMatrix  *returns,
                     double                     *mean,
                     GError                    **error)
{
  g_return_val_if_fail (returns != NULL, FALSE);

  if (returns->n_obs == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "No returns to average");
      return FALSE;
    }

  for (gsize j = 0; j < returns->n_assets; j++)
    {
      const double *x = sextant_return_matrix_get_column (returns, j);
      double sum = 0;

      for (gsize t = 0; t < returns->n_obs; t++)
        sum += x[t];
      mean[j] = sum / returns->n_obs;
    }

  return TRUE;
}

/**
 * sextant_covariance_sample:
 * @returns: a return matrix with at least two observations
 * @covariance: (out caller-allocates): n_assets × n_assets, row-major, divided by n − 1
 * @error: return location for an error
 *
 * Two-pass (centred) sums, which keep full precision for daily returns whose mean is tiny next to
 * their spread.
 */
gboolean
sextant_covariance_sample (const SextantReturnMatrix  *returns,
                           double                     *covariance,
                           GError                    **error)
{
  g_autofree double *mean = NULL;
  gsize n, k;

  g_return_val_if_fail (returns != NULL, FALSE);

  n = returns->n_obs;
  k = returns->n_assets;
  if (n < 2)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "A covariance needs at least two returns, got %" G_GSIZE_FORMAT, n);
      return FALSE;
    }

  mean = g_new (double, k);
  if (!sextant_mean_vector (returns, mean, error))
    return FALSE;

  for (gsize a = 0; a < k; a++)
    {
      const double *x = sextant_return_matrix_get_column (returns, a);

      for (gsize b = a; b < k; b++)
        {
          const double *y = sextant_return_matrix_get_column (returns, b);
          double sum = 0;

          for (gsize t = 0; t < n; t++)
            sum += (x[t] - mean[a]) * (y[t] - mean[b]);
          covariance[a * k + b] = covariance[b * k + a] = sum / (n - 1);
        }
    }

  return TRUE;
}

/**
 * sextant_correlation_from_covariance:
 * @covariance: (array): k × k
 * @k: number of assets
 * @correlation: (out caller-allocates): k × k, ones on the diagonal
 * @error: return location for an error naming the first asset without variance
 */
gboolean
sextant_correlation_from_covariance (const double  *covariance,
                                     gsize          k,
                                     double        *correlation,
                                     GError       **error)
{
  for (gsize i = 0; i < k; i++)
    if (!(covariance[i * k + i] > 0))
      {
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                     "Asset %" G_GSIZE_FORMAT " has variance %g: no correlation", i + 1,
                     covariance[i * k + i]);
        return FALSE;
      }

  for (gsize i = 0; i < k; i++)
    for (gsize j = 0; j < k; j++)
      correlation[i * k + j] = i == j ? 1.0
                                      : covariance[i * k + j] / sqrt (covariance[i * k + i] *
                                                                      covariance[j * k + j]);

  return TRUE;
}

static gboolean
check_variances (const SextantReturnMatrix  *returns,
                 const double               *variance,
                 GError                    **error)
{
  for (gsize j = 0; j < returns->n_assets; j++)
    if (!(variance[j] > 0))
      {
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                     "%s: its returns do not vary", returns->names[j]);
        return FALSE;
      }

  return TRUE;
}

/* π̂ − ρ̂ of Ledoit and Wolf (2004): the asymptotic variance of the sample entries minus their
 * covariance with the target's, from the demeaned returns @x (column-major, t × k). */
static double
ledoit_wolf_pi_minus_rho (const double *x,
                          gsize         t,
                          gsize         k,
                          const double *sample,
                          double        r_bar)
{
  double pi = 0, rho_diag = 0, rho_off = 0;

  for (gsize i = 0; i < k; i++)
    for (gsize j = 0; j < k; j++)
      {
        const double *xi = x + i * t, *xj = x + j * t;
        double s_ij = sample[i * k + j], phi = 0, theta = 0;

        for (gsize s = 0; s < t; s++)
          {
            double p = xi[s] * xj[s];

            phi += (p - s_ij) * (p - s_ij);
            theta += xi[s] * xi[s] * p;
          }
        phi /= t;
        pi += phi;
        if (i == j)
          {
            rho_diag += phi;
            continue;
          }
        theta = theta / t - sample[i * k + i] * s_ij;
        rho_off += sqrt (sample[j * k + j] / sample[i * k + i]) * theta;
      }

  return pi - (rho_diag + r_bar * rho_off);
}

/* Demeaned returns @x (column-major, t × k) and their cross-products divided by t. */
static void
demeaned_moments (const SextantReturnMatrix *returns,
                  const double              *mean,
                  double                    *x,
                  double                    *sample)
{
  gsize t = returns->n_obs, k = returns->n_assets;

  for (gsize j = 0; j < k; j++)
    for (gsize s = 0; s < t; s++)
      x[j * t + s] = sextant_return_matrix_get_column (returns, j)[s] - mean[j];
  for (gsize i = 0; i < k; i++)
    for (gsize j = i; j < k; j++)
      {
        double sum = 0;

        for (gsize s = 0; s < t; s++)
          sum += x[i * t + s] * x[j * t + s];
        sample[i * k + j] = sample[j * k + i] = sum / t;
      }
}

/**
 * sextant_covariance_ledoit_wolf:
 * @returns: a return matrix with at least two observations and two assets
 * @covariance: (out caller-allocates): k × k shrunk covariance, row-major
 * @shrinkage: (out) (optional): the intensity δ in [0, 1]
 * @error: return location for an error
 *
 * Shrinks towards the constant-correlation target F (F_ii = s_ii, F_ij = r̄ √(s_ii s_jj), r̄ the
 * mean sample correlation) with δ = max(0, min(1, (π̂ − ρ̂) / (γ̂ t))), γ̂ = ‖S − F‖²_F, following
 * Ledoit and Wolf, "Honey, I shrunk the sample covariance matrix", J. Portfolio Management 30
 * (2004), and their published covCor.m line by line — including its use of the sample covariance
 * divided by t (not t − 1), so the result is δ F + (1 − δ) S with that S.
 */
gboolean
sextant_covariance_ledoit_wolf (const SextantReturnMatrix  *returns,
                                double                     *covariance,
                                double                     *shrinkage,
                                GError                    **error)
{
  g_autofree double *mean = NULL, *x = NULL, *sample = NULL, *var = NULL;
  gsize t, k;
  double r_bar = 0, gamma = 0, delta;

  g_return_val_if_fail (returns != NULL, FALSE);

  t = returns->n_obs;
  k = returns->n_assets;
  if (t < 2 || k < 2)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "Shrinkage needs at least two returns of two assets (got %" G_GSIZE_FORMAT
                   " × %" G_GSIZE_FORMAT ")", t, k);
      return FALSE;
    }

  mean = g_new (double, k);
  if (!sextant_mean_vector (returns, mean, error))
    return FALSE;
  x = g_new (double, t * k);
  sample = g_new0 (double, k * k);
  var = g_new (double, k);
  demeaned_moments (returns, mean, x, sample);
  for (gsize i = 0; i < k; i++)
    var[i] = sample[i * k + i];
  if (!check_variances (returns, var, error))
    return FALSE;

  for (gsize i = 0; i < k; i++)
    for (gsize j = 0; j < k; j++)
      if (i != j)
        r_bar += sample[i * k + j] / sqrt (var[i] * var[j]);
  r_bar /= (double) k * (k - 1);

  for (gsize i = 0; i < k; i++)
    for (gsize j = 0; j < k; j++)
      {
        double f = i == j ? var[i] : r_bar * sqrt (var[i] * var[j]);

        covariance[i * k + j] = f;
        gamma += (sample[i * k + j] - f) * (sample[i * k + j] - f);
      }

  delta = gamma > 0 ? ledoit_wolf_pi_minus_rho (x, t, k, sample, r_bar) / gamma / t : 0;
  delta = CLAMP (delta, 0.0, 1.0);
  for (gsize i = 0; i < k * k; i++)
    covariance[i] = delta * covariance[i] + (1 - delta) * sample[i];
  if (shrinkage != NULL)
    *shrinkage = delta;

  return TRUE;
}

/**
 * sextant_gsl_errors_as_status:
 *
 * GSL's default error handler aborts the process, but a matrix that is not positive definite is
 * bad input here, not a programming error. Turning the handler off once for the whole process
 * (rather than around each call) keeps this safe when analytics run in worker threads; GSL
 * functions still return their status codes, which Sextant checks.
 */
void
sextant_gsl_errors_as_status (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      gsl_set_error_handler_off ();
      g_once_init_leave (&done, 1);
    }
}

/**
 * sextant_cholesky:
 * @covariance: (array): k × k symmetric, row-major
 * @k: order
 * @lower: (out caller-allocates): k × k, L with L L' = @covariance in the lower triangle, zeros above
 * @error: SEXTANT_ANALYTICS_ERROR_SINGULAR if the matrix is not positive definite
 */
gboolean
sextant_cholesky (const double  *covariance,
                  gsize          k,
                  double        *lower,
                  GError       **error)
{
  gsl_matrix_view m = gsl_matrix_view_array (lower, k, k);
  int status;

  for (gsize i = 0; i < k; i++)
    for (gsize j = 0; j <= i; j++)
      {
        double a = covariance[i * k + j], b = covariance[j * k + i];

        if (!isfinite (a) || !isfinite (b))
          {
            g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                         "Covariance entry (%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT ") is not a "
                         "number", i + 1, j + 1);
            return FALSE;
          }
        if (fabs (a - b) > 1e-12 * MAX (1.0, fabs (a)))
          {
            g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                         "The covariance matrix is not symmetric at (%" G_GSIZE_FORMAT ", %"
                         G_GSIZE_FORMAT "): %g vs %g", i + 1, j + 1, a, b);
            return FALSE;
          }
      }

  memcpy (lower, covariance, sizeof (double) * k * k);
  sextant_gsl_errors_as_status ();
  status = gsl_linalg_cholesky_decomp1 (&m.matrix);
  if (status != GSL_SUCCESS)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_SINGULAR,
                   "The covariance matrix (%" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT ") is singular "
                   "or not positive definite", k, k);
      return FALSE;
    }
  for (gsize i = 0; i < k; i++)
    for (gsize j = i + 1; j < k; j++)
      lower[i * k + j] = 0;

  /* L_ii² is what is left of variable i's variance once the variables before it explain what
   * they can. A remainder below 1e-12 of the variance means i is, to rounding error, a linear
   * combination of them: the matrix is singular even though the factorisation went through. */
  for (gsize i = 0; i < k; i++)
    if (lower[i * k + i] * lower[i * k + i] < 1e-12 * covariance[i * k + i])
      {
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_SINGULAR,
                     "The covariance matrix is singular: column %" G_GSIZE_FORMAT " is (almost) "
                     "a linear combination of the columns before it", i + 1);
        return FALSE;
      }

  return TRUE;
}
