#define G_LOG_DOMAIN "sextant-curve-interp"

#include "config.h"

#include <math.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-curve-interp.h"

static int
sign_of (double v)
{
  return (v > 0) - (v < 0);
}

/* SciPy's end slope: a three-point estimate, set to 0 when it points against the first secant
 * and held to three secants when the data turn. */
static double
edge_slope (double h0,
            double h1,
            double m0,
            double m1)
{
  double d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);

  if (sign_of (d) != sign_of (m0))
    return 0;
  if (sign_of (m0) != sign_of (m1) && fabs (d) > 3 * fabs (m0))
    return 3 * m0;
  return d;
}

static void
pchip_slopes (const double *x,
              const double *y,
              gsize         n,
              double       *d)
{
  g_autofree double *h = g_new (double, n - 1);
  g_autofree double *m = g_new (double, n - 1);

  for (gsize k = 0; k + 1 < n; k++)
    {
      h[k] = x[k + 1] - x[k];
      m[k] = (y[k + 1] - y[k]) / h[k];
    }
  if (n == 2)
    {
      d[0] = d[1] = m[0];
      return;
    }
  for (gsize k = 1; k + 1 < n; k++)
    {
      double w1 = 2 * h[k] + h[k - 1], w2 = h[k] + 2 * h[k - 1];

      if (sign_of (m[k - 1]) != sign_of (m[k]) || m[k - 1] == 0 || m[k] == 0)
        d[k] = 0;
      else
        d[k] = (w1 + w2) / (w1 / m[k - 1] + w2 / m[k]);
    }
  d[0] = edge_slope (h[0], h[1], m[0], m[1]);
  d[n - 1] = edge_slope (h[n - 2], h[n - 3], m[n - 2], m[n - 3]);
}

static double
hermite (double x0,
         double x1,
         double y0,
         double y1,
         double d0,
         double d1,
         double at)
{
  double h = x1 - x0, s = (at - x0) / h, s2 = s * s, s3 = s2 * s;

  return (2 * s3 - 3 * s2 + 1) * y0 + (s3 - 2 * s2 + s) * h * d0 + (-2 * s3 + 3 * s2) * y1
         + (s3 - s2) * h * d1;
}

/**
 * sextant_curve_interpolate:
 * @method: linear or monotone cubic
 * @x: (array length=n): node abscissae (times), strictly increasing
 * @y: (array length=n): node values (zero rates)
 * @n: number of nodes, at least 2
 * @at: (array length=n_at): where to interpolate
 * @out: (out caller-allocates) (array length=n_at): the values there
 * @n_at: number of points
 * @error: return location for an error
 *
 * Outside the nodes the end values hold (flat extrapolation of zero rates).
 *
 * Returns: %TRUE unless the nodes are too few, not increasing or not finite
 */
gboolean
sextant_curve_interpolate (SextantCurveInterp   method,
                           const double        *x,
                           const double        *y,
                           gsize                n,
                           const double        *at,
                           double              *out,
                           gsize                n_at,
                           GError             **error)
{
  g_autofree double *d = NULL;

  if (n < 2)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "Interpolation needs at least two nodes, not %" G_GSIZE_FORMAT, n);
      return FALSE;
    }
  for (gsize k = 0; k < n; k++)
    if (!isfinite (x[k]) || !isfinite (y[k]) || (k > 0 && !(x[k] > x[k - 1])))
      {
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_DATE_ORDER,
                     "Node %" G_GSIZE_FORMAT " (%g, %g) is not finite or not after the one before",
                     k + 1, x[k], y[k]);
        return FALSE;
      }
  if (method == SEXTANT_CURVE_INTERP_MONOTONE_CUBIC)
    {
      d = g_new (double, n);
      pchip_slopes (x, y, n, d);
    }
  for (gsize i = 0; i < n_at; i++)
    {
      gsize k = 0;

      if (at[i] <= x[0])
        {
          out[i] = y[0];
          continue;
        }
      if (at[i] >= x[n - 1])
        {
          out[i] = y[n - 1];
          continue;
        }
      while (x[k + 1] < at[i])
        k++;
      if (d == NULL)
        out[i] = y[k] + (y[k + 1] - y[k]) * (at[i] - x[k]) / (x[k + 1] - x[k]);
      else
        out[i] = hermite (x[k], x[k + 1], y[k], y[k + 1], d[k], d[k + 1], at[i]);
    }
  return TRUE;
}
