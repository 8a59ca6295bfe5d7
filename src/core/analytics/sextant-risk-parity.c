#define G_LOG_DOMAIN "sextant-risk-parity"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-covariance.h"
#include "analytics/sextant-risk-parity.h"

#define MAX_ITERATIONS 200
#define TOLERANCE 1e-13

/* One damped Newton step on F(y) = ½ y'Σy − Σ b_i ln y_i. Returns the Newton decrement λ, or a
 * negative number if the Hessian Σ + diag(b/y²) could not be factorised. */
static double
newton_step (const double *cov,
             gsize         k,
             const double *b,
             double       *y,
             double       *hess,
             double       *grad)
{
  gsl_matrix_view h = gsl_matrix_view_array (hess, k, k);
  gsl_vector_view g = gsl_vector_view_array (grad, k);
  double lambda = 0;
  int status;

  for (gsize i = 0; i < k; i++)
    {
      double sy = 0;

      for (gsize j = 0; j < k; j++)
        sy += cov[i * k + j] * y[j];
      grad[i] = sy - b[i] / y[i];
      memcpy (hess + i * k, cov + i * k, sizeof (double) * k);
      hess[i * k + i] += b[i] / (y[i] * y[i]);
    }
  for (gsize i = 0; i < k; i++)
    lambda += grad[i] * grad[i];

  sextant_gsl_errors_as_status ();
  status = gsl_linalg_cholesky_decomp1 (&h.matrix);
  if (status == GSL_SUCCESS)
    status = gsl_linalg_cholesky_svx (&h.matrix, &g.vector);
  if (status != GSL_SUCCESS)
    return -1;

  /* λ² = g'H⁻¹g; F is self-concordant, so the step 1/(1 + λ) keeps y > 0 (Nesterov). */
  lambda = 0;
  for (gsize i = 0; i < k; i++)
    {
      double sy = 0;

      for (gsize j = 0; j < k; j++)
        sy += cov[i * k + j] * y[j];
      lambda += (sy - b[i] / y[i]) * grad[i];
    }
  lambda = sqrt (MAX (lambda, 0));
  for (gsize i = 0; i < k; i++)
    y[i] -= grad[i] / (lambda > 0.25 ? 1 + lambda : 1);

  return lambda;
}

/**
 * sextant_risk_parity_weights:
 * @covariance: (array): k × k positive definite covariance
 * @k: number of assets
 * @budgets: (array length=k) (nullable): risk budgets summing to 1, %NULL for 1/k each
 * @weights: (out caller-allocates) (array length=k): long-only weights whose risk contributions
 *   w_i (Σw)_i are proportional to the budgets
 * @error: SINGULAR or NOT_CONVERGED
 *
 * Spinu's convex formulation ("An algorithm for computing risk parity weights", 2013): the
 * minimiser y of ½ y'Σy − Σ b_i ln y_i satisfies y_i (Σy)_i = b_i, so w = y / Σy. Damped Newton
 * converges quadratically; it stops when the Newton decrement λ falls below 1e-13 (λ² bounds
 * twice the remaining gap to the optimum), which puts the risk contributions equal to about
 * 1e-13 relative.
 */
gboolean
sextant_risk_parity_weights (const double  *covariance,
                             gsize          k,
                             const double  *budgets,
                             double        *weights,
                             GError       **error)
{
  g_autofree double *b = g_new (double, MAX (k, 1));
  g_autofree double *hess = g_new (double, MAX (k * k, 1));
  g_autofree double *grad = g_new (double, MAX (k, 1));
  double sum = 0;

  g_return_val_if_fail (covariance != NULL && weights != NULL, FALSE);

  for (gsize i = 0; i < k; i++)
    {
      if (!(covariance[i * k + i] > 0))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                       _("Asset %zu has no variance: its risk cannot be budgeted"),
                       i + 1);
          return FALSE;
        }
      b[i] = budgets != NULL ? budgets[i] : 1.0 / k;
      if (!(b[i] > 0) || !isfinite (b[i]))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       _("Risk budget %zu is %g: budgets must be positive"), i + 1,
                       b[i]);
          return FALSE;
        }
      weights[i] = 1 / sqrt (covariance[i * k + i]);
    }

  for (guint it = 0;; it++)
    {
      double lambda = newton_step (covariance, k, b, weights, hess, grad);

      if (lambda < 0)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_SINGULAR,
                       _("The covariance matrix is not positive definite: no risk-parity portfolio"));
          return FALSE;
        }
      if (lambda < TOLERANCE)
        break;
      if (it == MAX_ITERATIONS)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NOT_CONVERGED,
                       _("Risk parity did not converge in %d Newton steps (decrement %g)"),
                       MAX_ITERATIONS, lambda);
          return FALSE;
        }
    }

  for (gsize i = 0; i < k; i++)
    sum += weights[i];
  for (gsize i = 0; i < k; i++)
    weights[i] /= sum;

  return TRUE;
}
