#define G_LOG_DOMAIN "sextant-curve-fit"

#include "config.h"

#include <math.h>
#include <string.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-curve-fit.h"

/* Least squares by variable projection: for given decay times the betas are a linear least
 * squares problem (solved by Householder QR), so only τ (or τ1, τ2) is searched, first on a
 * logarithmic grid over the whole box, then refined from the best grid point (golden section
 * for one decay time, Nelder-Mead in log τ for two). tests/data/rates/README.md compares this
 * with SciPy's least_squares on all parameters from a grid of starts. */

#define MAX_POINTS 64
#define GRID_NS 80
#define GRID_SV 40

/**
 * sextant_curve_model_from_name:
 * @name: `nelson-siegel` or `svensson`
 * @model: (out): the model
 *
 * Returns: %TRUE when @name is one of them
 */
gboolean
sextant_curve_model_from_name (const char        *name,
                               SextantCurveModel *model)
{
  if (g_strcmp0 (name, "nelson-siegel") == 0)
    *model = SEXTANT_CURVE_MODEL_NELSON_SIEGEL;
  else if (g_strcmp0 (name, "svensson") == 0)
    *model = SEXTANT_CURVE_MODEL_SVENSSON;
  else
    return FALSE;
  return TRUE;
}

/**
 * sextant_curve_model_name:
 * @model: a model
 *
 * Returns: (transfer none): its name, as sextant_curve_model_from_name() reads it
 */
const char *
sextant_curve_model_name (SextantCurveModel model)
{
  return model == SEXTANT_CURVE_MODEL_SVENSSON ? "svensson" : "nelson-siegel";
}

static void
loadings (double  t,
          double  tau,
          double *slope,
          double *curvature)
{
  double x = t / tau, e = exp (-x);

  *slope = x > 1e-12 ? -expm1 (-x) / x : 1.0 - x / 2;
  *curvature = *slope - e;
}

static int
n_params (SextantCurveModel model)
{
  return model == SEXTANT_CURVE_MODEL_SVENSSON ? 4 : 3;
}

static void
design_row (SextantCurveModel  model,
            double             t,
            const double      *tau,
            double            *row)
{
  double unused;

  row[0] = 1;
  loadings (t, tau[0], &row[1], &row[2]);
  if (model == SEXTANT_CURVE_MODEL_SVENSSON)
    loadings (t, tau[1], &unused, &row[3]);
}

/* Householder QR of the n × p design whose columns after the constant are @columns; returns the
 * residual sum of squares and the betas. */
static double
linear_fit_columns (int                  p,
                    const double        *rate,
                    gsize                n,
                    const double * const *columns,
                    double              *beta)
{
  double a[MAX_POINTS][4], b[MAX_POINTS], rss = 0;

  for (gsize i = 0; i < n; i++)
    {
      a[i][0] = 1;
      for (int k = 1; k < p; k++)
        a[i][k] = columns[k - 1][i];
      b[i] = rate[i];
    }
  for (int j = 0; j < p; j++)
    {
      double norm = 0, v0, vnorm2, alpha;

      for (gsize i = j; i < n; i++)
        norm += a[i][j] * a[i][j];
      norm = sqrt (norm);
      if (norm == 0)
        return INFINITY;
      alpha = a[j][j] > 0 ? -norm : norm;
      v0 = a[j][j] - alpha;
      vnorm2 = v0 * v0;
      for (gsize i = j + 1; i < n; i++)
        vnorm2 += a[i][j] * a[i][j];
      if (vnorm2 == 0)
        continue;
      for (int k = j + 1; k < p; k++)
        {
          double s = v0 * a[j][k];

          for (gsize i = j + 1; i < n; i++)
            s += a[i][j] * a[i][k];
          s = 2 * s / vnorm2;
          a[j][k] -= s * v0;
          for (gsize i = j + 1; i < n; i++)
            a[i][k] -= s * a[i][j];
        }
      {
        double s = v0 * b[j];

        for (gsize i = j + 1; i < n; i++)
          s += a[i][j] * b[i];
        s = 2 * s / vnorm2;
        b[j] -= s * v0;
        for (gsize i = j + 1; i < n; i++)
          b[i] -= s * a[i][j];
      }
      a[j][j] = alpha;
    }
  for (int j = p - 1; j >= 0; j--)
    {
      double s = b[j];

      for (int k = j + 1; k < p; k++)
        s -= a[j][k] * beta[k];
      if (fabs (a[j][j]) < 1e-14 * fabs (a[0][0]))
        return INFINITY;
      beta[j] = s / a[j][j];
    }
  for (gsize i = p; i < n; i++)
    rss += b[i] * b[i];
  return rss;
}

static double
linear_fit (SextantCurveModel  model,
            const double      *time,
            const double      *rate,
            gsize              n,
            const double      *tau,
            double            *beta)
{
  double slope[MAX_POINTS], curvature[MAX_POINTS], curvature2[MAX_POINTS], unused;
  const double *columns[3] = { slope, curvature, curvature2 };

  for (gsize i = 0; i < n; i++)
    {
      loadings (time[i], tau[0], &slope[i], &curvature[i]);
      if (model == SEXTANT_CURVE_MODEL_SVENSSON)
        loadings (time[i], tau[1], &unused, &curvature2[i]);
    }
  return linear_fit_columns (n_params (model), rate, n, columns, beta);
}

typedef struct
{
  SextantCurveModel model;
  const double     *time;
  const double     *rate;
  gsize             n;
} Problem;

/* The objective in log τ, held inside the box. */
static double
objective (const Problem *pb,
           const double  *log_tau,
           double        *beta)
{
  double tau[2] = { 0, 0 }, scratch[4];

  for (int k = 0; k < (pb->model == SEXTANT_CURVE_MODEL_SVENSSON ? 2 : 1); k++)
    tau[k] = CLAMP (exp (log_tau[k]), SEXTANT_CURVE_FIT_TAU_MIN, SEXTANT_CURVE_FIT_TAU_MAX);
  return linear_fit (pb->model, pb->time, pb->rate, pb->n, tau, beta ? beta : scratch);
}

static double
grid_point (int i,
            int n)
{
  double lo = log (SEXTANT_CURVE_FIT_TAU_MIN), hi = log (SEXTANT_CURVE_FIT_TAU_MAX);

  return lo + (hi - lo) * i / (n - 1);
}

static void
refine_one (const Problem *pb,
            double        *log_tau)
{
  const double golden = (sqrt (5) - 1) / 2;
  double step = (grid_point (1, GRID_NS) - grid_point (0, GRID_NS));
  double a = MAX (*log_tau - step, grid_point (0, GRID_NS));
  double b = MIN (*log_tau + step, grid_point (GRID_NS - 1, GRID_NS));
  double c = b - golden * (b - a), d = a + golden * (b - a);
  double fc = objective (pb, &c, NULL), fd = objective (pb, &d, NULL);

  while (b - a > 1e-13)
    {
      if (fc < fd)
        {
          b = d, d = c, fd = fc;
          c = b - golden * (b - a);
          fc = objective (pb, &c, NULL);
        }
      else
        {
          a = c, c = d, fc = fd;
          d = a + golden * (b - a);
          fd = objective (pb, &d, NULL);
        }
    }
  *log_tau = (a + b) / 2;
}

static void
clamp_point (double *p)
{
  for (int k = 0; k < 2; k++)
    p[k] = CLAMP (p[k], grid_point (0, 2), grid_point (1, 2));
}

/* Nelder-Mead in (log τ1, log τ2), points held inside the box. */
static void
refine_two (const Problem *pb,
            double        *start)
{
  double step = grid_point (1, GRID_SV) - grid_point (0, GRID_SV);
  double p[3][2] = { { start[0], start[1] }, { start[0] + step, start[1] },
                     { start[0], start[1] + step } };
  double f[3];

  for (int i = 0; i < 3; i++)
    {
      clamp_point (p[i]);
      f[i] = objective (pb, p[i], NULL);
    }
  for (int iteration = 0; iteration < 2000; iteration++)
    {
      int best = 0, worst = 0, middle;
      double centre[2], trial[2], ft;

      for (int i = 1; i < 3; i++)
        {
          if (f[i] < f[best])
            best = i;
          if (f[i] > f[worst])
            worst = i;
        }
      if (best == worst)
        worst = (best + 1) % 3;
      middle = 3 - best - worst;
      if (fabs (p[worst][0] - p[best][0]) + fabs (p[worst][1] - p[best][1]) < 1e-13
          && fabs (p[middle][0] - p[best][0]) + fabs (p[middle][1] - p[best][1]) < 1e-13)
        break;
      for (int k = 0; k < 2; k++)
        {
          centre[k] = (p[best][k] + p[middle][k]) / 2;
          trial[k] = centre[k] + (centre[k] - p[worst][k]);
        }
      clamp_point (trial);
      ft = objective (pb, trial, NULL);
      if (ft < f[best])
        {
          double expanded[2] = { centre[0] + 2 * (trial[0] - centre[0]),
                                 centre[1] + 2 * (trial[1] - centre[1]) };
          double fe;

          clamp_point (expanded);
          fe = objective (pb, expanded, NULL);
          if (fe < ft)
            memcpy (trial, expanded, sizeof trial), ft = fe;
        }
      else if (ft >= f[middle])
        {
          for (int k = 0; k < 2; k++)
            trial[k] = centre[k] + 0.5 * (p[worst][k] - centre[k]);
          ft = objective (pb, trial, NULL);
          if (ft >= f[worst])
            {
              for (int i = 0; i < 3; i++)
                if (i != best)
                  {
                    for (int k = 0; k < 2; k++)
                      p[i][k] = p[best][k] + 0.5 * (p[i][k] - p[best][k]);
                    f[i] = objective (pb, p[i], NULL);
                  }
              continue;
            }
        }
      memcpy (p[worst], trial, sizeof trial);
      f[worst] = ft;
    }
  {
    int best = 0;

    for (int i = 1; i < 3; i++)
      if (f[i] < f[best])
        best = i;
    start[0] = p[best][0];
    start[1] = p[best][1];
  }
}

static gboolean
check_input (SextantCurveModel  model,
             const double      *time,
             const double      *rate,
             gsize              n,
             GError           **error)
{
  if (n <= (gsize) n_params (model) + (model == SEXTANT_CURVE_MODEL_SVENSSON ? 2 : 1)
      || n > MAX_POINTS)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "A %s fit needs between %d and %d rates, not %" G_GSIZE_FORMAT,
                   sextant_curve_model_name (model),
                   n_params (model) + (model == SEXTANT_CURVE_MODEL_SVENSSON ? 3 : 2), MAX_POINTS,
                   n);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    if (!isfinite (time[i]) || time[i] <= 0 || !isfinite (rate[i]))
      {
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                     "Point %" G_GSIZE_FORMAT " (%g years, %g) cannot be fitted", i + 1, time[i],
                     rate[i]);
        return FALSE;
      }
  return TRUE;
}

/**
 * sextant_curve_fit:
 * @model: Nelson-Siegel or Svensson
 * @time: (array length=n): maturities in years, positive
 * @rate: (array length=n): the rates to fit (Sextant fits zero rates, in percent)
 * @n: number of points: more than the model's parameters, at most 64
 * @fit: (out caller-allocates): parameters and the root mean square error
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_curve_fit (SextantCurveModel   model,
                   const double       *time,
                   const double       *rate,
                   gsize               n,
                   SextantCurveFit    *fit,
                   GError            **error)
{
  Problem pb = { model, time, rate, n };
  double best[2] = { 0, 0 }, best_value = INFINITY, rss;

  if (!check_input (model, time, rate, n, error))
    return FALSE;
  memset (fit, 0, sizeof *fit);
  fit->model = model;
  if (model == SEXTANT_CURVE_MODEL_NELSON_SIEGEL)
    {
      for (int i = 0; i < GRID_NS; i++)
        {
          double at = grid_point (i, GRID_NS), value = objective (&pb, &at, NULL);

          if (value < best_value)
            best_value = value, best[0] = at;
        }
      refine_one (&pb, &best[0]);
    }
  else
    {
      /* The grid's loadings are computed once: the search is then QR solves only. */
      static const int grid = GRID_SV;
      g_autofree double *slope = g_new (double, grid * n);
      g_autofree double *curvature = g_new (double, grid * n);

      for (int g = 0; g < grid; g++)
        for (gsize k = 0; k < n; k++)
          loadings (time[k], exp (grid_point (g, grid)), &slope[g * n + k], &curvature[g * n + k]);
      for (int i = 0; i < grid; i++)
        for (int j = 0; j < grid; j++)
          {
            const double *columns[3] = { &slope[i * n], &curvature[i * n], &curvature[j * n] };
            double scratch[4];
            double value = linear_fit_columns (4, rate, n, columns, scratch);

            if (value < best_value)
              best_value = value, best[0] = grid_point (i, grid), best[1] = grid_point (j, grid);
          }
      refine_two (&pb, best);
    }
  rss = objective (&pb, best, fit->beta);
  if (!isfinite (rss))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NOT_CONVERGED,
                   "The %s fit found no solution", sextant_curve_model_name (model));
      return FALSE;
    }
  for (int k = 0; k < (model == SEXTANT_CURVE_MODEL_SVENSSON ? 2 : 1); k++)
    fit->tau[k] = CLAMP (exp (best[k]), SEXTANT_CURVE_FIT_TAU_MIN, SEXTANT_CURVE_FIT_TAU_MAX);
  fit->rmse = sqrt (rss / n);
  return TRUE;
}

/**
 * sextant_curve_fit_value:
 * @fit: a fit
 * @time: years, positive
 *
 * Returns: the model's rate at @time
 */
double
sextant_curve_fit_value (const SextantCurveFit *fit,
                         double                 time)
{
  double row[4] = { 0, 0, 0, 0 }, value = 0;

  design_row (fit->model, time, fit->tau, row);
  for (int k = 0; k < n_params (fit->model); k++)
    value += fit->beta[k] * row[k];
  return value;
}
