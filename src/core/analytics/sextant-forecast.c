#define G_LOG_DOMAIN "sextant-forecast"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-forecast.h"
#include "analytics/sextant-returns.h"
#include "analytics/sextant-scenarios.h"

/* Bounds of the damped-trend parameters, as R's forecast::ets uses them: φ in [0.8, 0.98] keeps
 * the trend from dominating long horizons, and β < α (Holt's β* = β / α below 1) keeps the model
 * forecastable. */
#define ALPHA_MIN 1e-4
#define ALPHA_MAX 0.9999
#define PHI_MIN   0.8
#define PHI_MAX   0.98
#define NM_MAX_ITERATIONS 2000

static SextantForecast *
forecast_new (SextantForecastMethod method,
              guint                 horizon)
{
  SextantForecast *self = g_new0 (SextantForecast, 1);

  self->method = method;
  self->horizon = horizon;
  self->holdout = horizon;
  self->point = g_new (double, horizon);
  self->lower80 = g_new (double, horizon);
  self->upper80 = g_new (double, horizon);
  self->lower95 = g_new (double, horizon);
  self->upper95 = g_new (double, horizon);

  return self;
}

/**
 * sextant_forecast_free:
 * @self: (transfer full) (nullable): a forecast
 */
void
sextant_forecast_free (SextantForecast *self)
{
  if (self == NULL)
    return;

  g_free (self->point);
  g_free (self->lower80);
  g_free (self->upper80);
  g_free (self->lower95);
  g_free (self->upper95);
  g_free (self);
}

/* Checks prices and horizon and returns their logs (the models work on log prices). */
static double *
log_prices (const double  *prices,
            gsize          n,
            guint          horizon,
            GError       **error)
{
  g_autofree double *returns = NULL;
  g_autofree double *y = NULL;
  gboolean varies = FALSE;

  if (horizon == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "The forecast horizon must be at least one period");
      return NULL;
    }
  returns = g_new (double, MAX (n, 2));
  if (!sextant_returns_compute (prices, n, SEXTANT_RETURN_LOG, returns, error))
    return NULL;
  if (n < (gsize) horizon + SEXTANT_FORECAST_MIN_FIT)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_HORIZON,
                   "A horizon of %u periods needs at least %u prices (the last %u are held out "
                   "to measure the forecast error, and the fit needs %u), but there are %"
                   G_GSIZE_FORMAT, horizon, horizon + SEXTANT_FORECAST_MIN_FIT, horizon,
                   SEXTANT_FORECAST_MIN_FIT, n);
      return NULL;
    }
  for (gsize i = 0; i + 1 < n; i++)
    varies |= returns[i] != 0.0;
  if (!varies)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                   "The prices never change; there is nothing to forecast");
      return NULL;
    }

  y = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    y[i] = log (prices[i]);

  return g_steal_pointer (&y);
}

/* Errors of a forecast of the last @h prices made from the others, against the naive one. */
static void
holdout_errors (SextantForecast *self,
                const double    *prices,
                gsize            n,
                const double    *forecast)
{
  const guint h = self->holdout;
  const double last = prices[n - h - 1];
  double se = 0, ae = 0, nse = 0, nae = 0;

  for (guint j = 0; j < h; j++)
    {
      double actual = prices[n - h + j];

      se += (forecast[j] - actual) * (forecast[j] - actual);
      ae += fabs (forecast[j] - actual);
      nse += (last - actual) * (last - actual);
      nae += fabs (last - actual);
    }
  self->rmse = sqrt (se / h);
  self->mae = ae / h;
  self->naive_rmse = sqrt (nse / h);
  self->naive_mae = nae / h;
  self->skill_ratio = self->naive_rmse > 0 ? self->rmse / self->naive_rmse : NAN;
}

/* ----- damped trend ------------------------------------------------------------------------- */

/**
 * sextant_damped_trend_sse:
 * @y: (array length=n): the series (log prices)
 * @n: its length, at least 2
 * @alpha: level smoothing
 * @beta: trend smoothing β of the error-correction form (R ets's beta; α β* in Holt's form)
 * @phi: damping
 * @level: (out) (optional): the final level ℓ_n
 * @trend: (out) (optional): the final trend b_n
 *
 * ETS(A,Ad,N) in error-correction form (Hyndman et al., *Forecasting with Exponential
 * Smoothing*, 2008, §2.5): with the one-step forecast f = ℓ + φb and e = y − f,
 * ℓ ← f + αe, b ← φb + βe. Starts from ℓ₀ = y₀ and b₀ = the mean change over the first ten
 * steps (a fixed heuristic rather than two more fitted parameters).
 *
 * Returns: the sum of squared one-step errors over y₁ … y_{n−1}
 */
double
sextant_damped_trend_sse (const double *y,
                          gsize         n,
                          double        alpha,
                          double        beta,
                          double        phi,
                          double       *level,
                          double       *trend)
{
  gsize k = MIN (n - 1, 10);
  double l = y[0], b = (y[k] - y[0]) / k, sse = 0.0;

  for (gsize t = 1; t < n; t++)
    {
      double f = l + phi * b;
      double e = y[t] - f;

      sse += e * e;
      l = f + alpha * e;
      b = phi * b + beta * e;
    }
  if (level != NULL)
    *level = l;
  if (trend != NULL)
    *trend = b;

  return sse;
}

/**
 * sextant_damped_trend_variance_factor:
 * @alpha: level smoothing
 * @beta: trend smoothing β (error-correction form)
 * @phi: damping
 * @h: steps ahead, ≥ 1
 *
 * The h-step forecast variance of ETS(A,Ad,N) divided by σ², from Hyndman et al. (2008), Table
 * 6.1 (class 1): 1 + Σ_{j=1}^{h−1} c_j² with c_j = α + β φ (1 − φ^j) / (1 − φ), i.e. α + β
 * (φ + φ² + … + φ^j).
 *
 * Returns: the factor
 */
double
sextant_damped_trend_variance_factor (double alpha,
                                      double beta,
                                      double phi,
                                      guint  h)
{
  double factor = 1.0, phi_sum = 0.0, phi_pow = 1.0;

  for (guint j = 1; j < h; j++)
    {
      double c;

      phi_pow *= phi;
      phi_sum += phi_pow;
      c = alpha + beta * phi_sum;
      factor += c * c;
    }

  return factor;
}

static double
logistic (double u)
{
  return 1.0 / (1.0 + exp (-u));
}

/* Unconstrained u ↦ (α, β, φ) inside the bounds, so the simplex never leaves them. */
static void
unpack (const gsl_vector *u,
        double           *alpha,
        double           *beta,
        double           *phi)
{
  *alpha = ALPHA_MIN + (ALPHA_MAX - ALPHA_MIN) * logistic (gsl_vector_get (u, 0));
  *beta = *alpha * logistic (gsl_vector_get (u, 1));
  *phi = PHI_MIN + (PHI_MAX - PHI_MIN) * logistic (gsl_vector_get (u, 2));
}

typedef struct
{
  const double *y;
  gsize         n;
} FitData;

static double
objective (const gsl_vector *u,
           void             *params)
{
  FitData *data = params;
  double alpha, beta, phi;

  unpack (u, &alpha, &beta, &phi);
  return sextant_damped_trend_sse (data->y, data->n, alpha, beta, phi, NULL, NULL);
}

/* Nelder-Mead (GSL's nmsimplex2) from @start; writes the best vertex to @best and returns its
 * SSE. It stops when the simplex is small or after NM_MAX_ITERATIONS. */
static double
simplex_from (gsl_multimin_function *f,
              const double          *start,
              double                *best)
{
  gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc (gsl_multimin_fminimizer_nmsimplex2, 3);
  gsl_vector_const_view x0 = gsl_vector_const_view_array (start, 3);
  gsl_vector *step = gsl_vector_alloc (3);
  double value;

  gsl_vector_set_all (step, 1.0);
  gsl_multimin_fminimizer_set (s, f, &x0.vector, step);
  for (guint i = 0; i < NM_MAX_ITERATIONS; i++)
    {
      if (gsl_multimin_fminimizer_iterate (s) != GSL_SUCCESS)
        break;
      if (gsl_multimin_test_size (gsl_multimin_fminimizer_size (s), 1e-8) == GSL_SUCCESS)
        break;
    }
  for (guint j = 0; j < 3; j++)
    best[j] = gsl_vector_get (gsl_multimin_fminimizer_x (s), j);
  value = gsl_multimin_fminimizer_minimum (s);

  gsl_vector_free (step);
  gsl_multimin_fminimizer_free (s);

  return value;
}

/*
 * Minimises the SSE. Its surface is smooth but often flat in β and φ and can have more than one
 * valley: from a single start the simplex settled at β ≈ 0 on the MSFT closes of tests/data with
 * an SSE 0.06 % above the minimum that R's optimiser finds (tests/data/forecast/). So the
 * simplex runs from the N_STARTS best points of a coarse grid over the unconstrained parameters
 * (α from about 0.05 to 0.9999, β from 0.002 α to nearly α, φ across its range) and the best
 * result wins. A derivative-free simplex copes with the flat directions, as in R's ets().
 */
#define N_STARTS 3

typedef struct
{
  double sse;
  double u[3];
} Start;

static int
compare_starts (const void *a,
                const void *b)
{
  double x = ((const Start *) a)->sse, y = ((const Start *) b)->sse;

  return (x > y) - (x < y);
}

/* The SSE on the grid, in @starts (6 × 5 × 4 of them), best first. */
static void
grid_starts (FitData *data,
             Start   *starts)
{
  static const double grid_a[] = { -3, -1.5, 0, 1.5, 3, 6 }, grid_b[] = { -6, -3, -1, 1, 3 };
  static const double grid_f[] = { -3, -1, 1, 3 };
  guint m = 0;

  for (guint i = 0; i < G_N_ELEMENTS (grid_a); i++)
    for (guint j = 0; j < G_N_ELEMENTS (grid_b); j++)
      for (guint l = 0; l < G_N_ELEMENTS (grid_f); l++, m++)
        {
          gsl_vector_view v = gsl_vector_view_array (starts[m].u, 3);

          starts[m].u[0] = grid_a[i];
          starts[m].u[1] = grid_b[j];
          starts[m].u[2] = grid_f[l];
          starts[m].sse = objective (&v.vector, data);
        }
  qsort (starts, m, sizeof (Start), compare_starts);
}

static void
fit_damped (const double *y,
            gsize         n,
            double       *alpha,
            double       *beta,
            double       *phi)
{
  FitData data = { y, n };
  gsl_multimin_function f = { objective, 3, &data };
  Start starts[6 * 5 * 4];
  double best[3], best_sse = INFINITY;
  gsl_vector_view v = gsl_vector_view_array (best, 3);

  grid_starts (&data, starts);
  for (guint s = 0; s < N_STARTS; s++)
    {
      double x[3], sse = simplex_from (&f, starts[s].u, x);

      if (sse < best_sse)
        {
          best_sse = sse;
          memcpy (best, x, sizeof x);
        }
    }
  unpack (&v.vector, alpha, beta, phi);
}

/* Fits on y[0 .. n−1] and writes the median price forecast for 1 … h into @point; with @self,
 * also the parameters and the intervals exp (ŷ ± z σ √factor). */
static void
damped_forecast (const double    *y,
                 gsize            n,
                 guint            h,
                 double          *point,
                 SextantForecast *self)
{
  double alpha, beta, phi, level, trend, sse, sigma, phi_sum = 0, phi_pow = 1;
  const double z80 = gsl_cdf_ugaussian_Pinv (0.90), z95 = gsl_cdf_ugaussian_Pinv (0.975);

  fit_damped (y, n, &alpha, &beta, &phi);
  sse = sextant_damped_trend_sse (y, n, alpha, beta, phi, &level, &trend);
  /* n − 1 one-step errors, three fitted parameters */
  sigma = sqrt (sse / MAX (1.0, n - 1.0 - 3.0));
  for (guint j = 0; j < h; j++)
    {
      double mean, sd;

      phi_pow *= phi;
      phi_sum += phi_pow;
      mean = level + phi_sum * trend;
      point[j] = exp (mean);
      if (self == NULL)
        continue;
      sd = sigma * sqrt (sextant_damped_trend_variance_factor (alpha, beta, phi, j + 1));
      self->lower80[j] = exp (mean - z80 * sd);
      self->upper80[j] = exp (mean + z80 * sd);
      self->lower95[j] = exp (mean - z95 * sd);
      self->upper95[j] = exp (mean + z95 * sd);
    }
  if (self != NULL)
    {
      self->alpha = alpha;
      self->beta = beta;
      self->phi = phi;
      self->sigma = sigma;
    }
}

/**
 * sextant_forecast_damped_trend:
 * @prices: (array length=n): positive prices, oldest first
 * @n: their number; at least @horizon + %SEXTANT_FORECAST_MIN_FIT
 * @horizon: how many periods ahead
 * @error: return location for %SEXTANT_ANALYTICS_ERROR_HORIZON, _NON_FINITE, … naming the row
 *
 * Holt's damped trend, ETS(A,Ad,N), on log prices: α, β, φ minimise the one-step SSE. The point
 * forecast is exp of the log forecast (the median price); the 80 % and 95 % intervals are
 * exp (ŷ_h ± z σ √v_h) with v_h from sextant_damped_trend_variance_factor() and σ² = SSE /
 * (n − 4). The hold-out figures come from a separate fit without the last @horizon prices,
 * compared with the naive forecast (the last price of that fit, held flat).
 *
 * Returns: (transfer full): the forecast, or %NULL
 */
SextantForecast *
sextant_forecast_damped_trend (const double  *prices,
                               gsize          n,
                               guint          horizon,
                               GError       **error)
{
  g_autoptr(SextantForecast) self = NULL;
  g_autofree double *y = log_prices (prices, n, horizon, error);
  g_autofree double *holdout = NULL;

  if (y == NULL)
    return NULL;

  self = forecast_new (SEXTANT_FORECAST_DAMPED_TREND, horizon);
  holdout = g_new (double, horizon);
  damped_forecast (y, n - horizon, horizon, holdout, NULL);
  holdout_errors (self, prices, n, holdout);
  damped_forecast (y, n, horizon, self->point, self);

  return g_steal_pointer (&self);
}

/* ----- GBM cone ----------------------------------------------------------------------------- */

/* Percentiles of the simulated prices at each step ahead; the point forecast is the median. */
static void
cone_percentiles (SextantForecast             *self,
                  const SextantScenarioResult *sim)
{
  const guint h = self->horizon, n_paths = sim->n_paths;
  g_autofree double *column = g_new (double, n_paths);

  for (guint j = 0; j < h; j++)
    {
      for (guint p = 0; p < n_paths; p++)
        column[p] = sim->paths[(gsize) p * (h + 1) + j + 1];
      gsl_sort (column, 1, n_paths);
      self->lower95[j] = gsl_stats_quantile_from_sorted_data (column, 1, n_paths, 0.025);
      self->lower80[j] = gsl_stats_quantile_from_sorted_data (column, 1, n_paths, 0.10);
      self->point[j] = gsl_stats_quantile_from_sorted_data (column, 1, n_paths, 0.50);
      self->upper80[j] = gsl_stats_quantile_from_sorted_data (column, 1, n_paths, 0.90);
      self->upper95[j] = gsl_stats_quantile_from_sorted_data (column, 1, n_paths, 0.975);
    }
}

/**
 * sextant_forecast_gbm:
 * @prices: (array length=n): positive prices, oldest first
 * @n: their number; at least @horizon + %SEXTANT_FORECAST_MIN_FIT
 * @horizon: how many periods ahead
 * @n_paths: simulated paths, 100 … 1,000,000
 * @seed: the simulation's seed (same seed, same cone)
 * @cancellable: (nullable): stops the simulation
 * @error: return location for an error
 *
 * A price cone from geometric Brownian motion with the per-period mean m and sample standard
 * deviation s of the log returns (so the median path grows as e^{m h}): percentiles of @n_paths
 * simulated paths, the point forecast being their median. The hold-out forecast is the analytic
 * median S_{n−h} e^{m' j}, m' estimated without the held-out prices.
 *
 * Returns: (transfer full): the forecast, or %NULL
 */
SextantForecast *
sextant_forecast_gbm (const double  *prices,
                      gsize          n,
                      guint          horizon,
                      guint          n_paths,
                      guint64        seed,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(SextantForecast) self = NULL;
  g_autoptr(SextantScenarioResult) sim = NULL;
  g_autofree double *y = log_prices (prices, n, horizon, error);
  g_autofree double *returns = NULL;
  g_autofree double *holdout = NULL;
  double m, s0, mu, var;
  gsize fit;

  if (y == NULL)
    return NULL;
  if (n_paths < 100 || n_paths > 1000000)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "The price cone needs 100 to 1,000,000 paths, not %u", n_paths);
      return NULL;
    }

  self = forecast_new (SEXTANT_FORECAST_GBM, horizon);
  fit = n - horizon;
  m = (y[fit - 1] - y[0]) / (fit - 1);
  holdout = g_new (double, horizon);
  for (guint j = 0; j < horizon; j++)
    holdout[j] = exp (y[fit - 1] + m * (j + 1));
  holdout_errors (self, prices, n, holdout);

  returns = g_new (double, n - 1);
  for (gsize i = 0; i + 1 < n; i++)
    returns[i] = y[i + 1] - y[i];
  self->drift = (y[n - 1] - y[0]) / (n - 1);
  self->sigma = gsl_stats_sd (returns, 1, n - 1);
  self->n_paths = n_paths;

  /* GBM's arithmetic drift μ = m + s²/2 gives log increments of mean m */
  s0 = prices[n - 1];
  var = self->sigma * self->sigma;
  mu = self->drift + 0.5 * var;
  {
    SextantGbmSpec spec = { 1, &s0, &mu, &var, 1.0, horizon, n_paths, seed, 0 };

    sim = sextant_scenarios_gbm (&spec, SEXTANT_SCENARIO_KEEP_PATHS, cancellable, NULL, NULL,
                                 error);
  }
  if (sim == NULL)
    return NULL;
  cone_percentiles (self, sim);

  return g_steal_pointer (&self);
}
