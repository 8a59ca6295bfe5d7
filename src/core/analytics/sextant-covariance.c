#define G_LOG_DOMAIN "sextant-covariance"

#include "config.h"

#include "sextant-analytics-error.h"
#include "sextant-covariance.h"

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
