#define G_LOG_DOMAIN "sextant-portfolio-run"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sextant-money-format.h"
#include "sextant-portfolio-run-private.h"

#define N_FRONTIER 40

/* Heston parameters for equity portfolios when the data are too short to estimate them (see
 * sextant_scenario_defaults()): variance reverts to the sample variance within about half a year
 * (κ = 2), vol-of-vol 0.3 and a −0.7 leverage correlation, the usual orders of magnitude of
 * calibrations to index options. */
#define HESTON_KAPPA 2.0
#define HESTON_XI 0.3
#define HESTON_RHO -0.7

static const double fan_levels[5] = { 0.05, 0.25, 0.50, 0.75, 0.95 };

static void
set_progress (SextantRunProgress *progress,
              double              fraction)
{
  if (progress != NULL)
    g_atomic_int_set (&progress->permille, (int) lround (1000.0 * CLAMP (fraction, 0.0, 1.0)));
}

/**
 * sextant_optimization_request_new:
 * @k: the number of assets
 *
 * Returns: (transfer full): a request with room for @k assets (symbols %NULL, numbers 0)
 */
SextantOptimizationRequest *
sextant_optimization_request_new (gsize k)
{
  SextantOptimizationRequest *self = g_new0 (SextantOptimizationRequest, 1);

  self->k = k;
  self->symbols = g_new0 (char *, k + 1);
  self->quantities = g_new0 (double, k);
  self->lower = g_new0 (double, k);
  self->upper = g_new0 (double, k);
  self->current = g_new0 (double, k);
  self->closes = g_new (double, k);
  for (gsize j = 0; j < k; j++)
    self->closes[j] = NAN;
  self->value = NAN;
  self->currency = g_strdup ("USD");

  return self;
}

SextantOptimizationRequest *
sextant_optimization_request_copy (const SextantOptimizationRequest *self)
{
  SextantOptimizationRequest *copy = g_memdup2 (self, sizeof *self);

  copy->name = g_strdup (self->name);
  copy->currency = g_strdup (self->currency);
  copy->symbols = g_strdupv (self->symbols);
  copy->quantities = g_memdup2 (self->quantities, sizeof (double) * self->k);
  copy->lower = g_memdup2 (self->lower, sizeof (double) * self->k);
  copy->upper = g_memdup2 (self->upper, sizeof (double) * self->k);
  copy->current = g_memdup2 (self->current, sizeof (double) * self->k);
  copy->closes = g_memdup2 (self->closes, sizeof (double) * self->k);

  return copy;
}

void
sextant_optimization_request_free (SextantOptimizationRequest *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->currency);
  g_strfreev (self->symbols);
  g_free (self->quantities);
  g_free (self->lower);
  g_free (self->upper);
  g_free (self->current);
  g_free (self->closes);
  g_free (self);
}

/**
 * sextant_portfolio_run_returns:
 * @prices: closes of many instruments
 * @symbols: the columns wanted
 * @first_day: the first day kept
 * @last_day: the last day kept
 * @error: return location for an error naming a missing column or a too short range
 *
 * Simple daily returns of @symbols between two days, rows with a missing close dropped.
 *
 * Returns: (transfer full) (nullable): the returns
 */
SextantReturnMatrix *
sextant_portfolio_run_returns (SextantPriceTable   *prices,
                               const char * const  *symbols,
                               gint32               first_day,
                               gint32               last_day,
                               GError             **error)
{
  g_autoptr(SextantPriceTable) used = NULL, range = NULL, complete = NULL;
  const gint32 *days;
  gsize begin = 0, end, n_rows, k;

  used = sextant_price_table_select (prices, symbols, error);
  if (used == NULL)
    return NULL;
  days = sextant_price_table_get_days (used);
  n_rows = sextant_price_table_get_n_rows (used);
  while (begin < n_rows && days[begin] < first_day)
    begin++;
  for (end = begin; end < n_rows && days[end] <= last_day; end++)
    ;

  k = sextant_price_table_get_n_columns (used);
  range = sextant_price_table_new (end - begin, symbols);
  memcpy (sextant_price_table_get_days_mutable (range), days + begin,
          sizeof (gint32) * (end - begin));
  for (gsize c = 0; c < k; c++)
    memcpy (sextant_price_table_get_column_mutable (range, c),
            sextant_price_table_get_column (used, c) + begin, sizeof (double) * (end - begin));
  complete = sextant_price_table_drop_incomplete (range, NULL);
  if (sextant_price_table_get_n_rows (complete) < 3)
    {
      g_autofree char *from = sextant_day_format_iso (first_day);
      g_autofree char *to = sextant_day_format_iso (last_day);

      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   _("Only %zu days with prices for every holding between %s and %s"),
                   sextant_price_table_get_n_rows (complete), from, to);
      return NULL;
    }

  return sextant_return_matrix_from_prices (complete, SEXTANT_RETURN_SIMPLE, error);
}

static void
sextant_optimization_result_clear (SextantOptimizationResult *self)
{
  g_clear_pointer (&self->request, sextant_optimization_request_free);
  g_free (self->reference);
  g_strfreev (self->symbols);
  g_clear_pointer (&self->returns, sextant_return_matrix_free);
  g_free (self->mean);
  g_free (self->covariance);
  g_free (self->weights);
  g_free (self->current);
  g_free (self->frontier_return);
  g_free (self->frontier_volatility);
  g_free (self->assets);
}

SextantOptimizationResult *
sextant_optimization_result_ref (SextantOptimizationResult *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
sextant_optimization_result_unref (SextantOptimizationResult *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) sextant_optimization_result_clear);
}

/**
 * sextant_objective_get_name:
 * @objective: an objective
 *
 * Returns: its name, translated, as the window's objective list shows it
 */
const char *
sextant_objective_get_name (SextantObjective objective)
{
  static const char *names[] = {
    N_("Minimum variance"), N_("Maximum Sharpe ratio"), N_("Risk parity"), N_("Target return"),
    N_("Target volatility"),
  };

  g_return_val_if_fail ((guint) objective < G_N_ELEMENTS (names), "");

  return _(names[objective]);
}

/**
 * sextant_optimization_reference_new:
 *
 * Returns: (transfer full): a new result reference, `sextant-result-` and 8 random hex digits:
 *   distinctive enough to be found by full-text search in the conversations that quote it
 */
char *
sextant_optimization_reference_new (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("sextant-result-%.8s", uuid);
}

static gboolean
solve (SextantOptimizer                 *opt,
       const SextantOptimizationRequest *request,
       double                           *weights,
       GError                          **error)
{
  switch (request->objective)
    {
    case SEXTANT_OBJECTIVE_MIN_VARIANCE:
      return sextant_optimizer_min_variance (opt, weights, error);
    case SEXTANT_OBJECTIVE_MAX_SHARPE:
      return sextant_optimizer_max_sharpe (opt, 0.0, weights, error);
    case SEXTANT_OBJECTIVE_RISK_PARITY:
      return sextant_optimizer_risk_parity (opt, weights, error);
    case SEXTANT_OBJECTIVE_TARGET_RETURN:
      return sextant_optimizer_target_return (opt, request->target / SEXTANT_TRADING_DAYS,
                                              weights, error);
    case SEXTANT_OBJECTIVE_TARGET_VOLATILITY:
      return sextant_optimizer_target_volatility (opt, request->target / sqrt (SEXTANT_TRADING_DAYS),
                                                  weights, error);
    default:
      g_assert_not_reached ();
    }
}

static void
annualise (SextantOptimizer *opt,
           const double     *weights,
           double           *ret,
           double           *vol,
           double           *sharpe)
{
  double r, v;

  sextant_optimizer_evaluate (opt, weights, &r, &v);
  *ret = r * SEXTANT_TRADING_DAYS;
  *vol = v * sqrt (SEXTANT_TRADING_DAYS);
  *sharpe = *vol > 0 ? *ret / *vol : NAN;
}

static gboolean
compute_frontier (SextantOptimizer          *opt,
                  SextantOptimizationResult *r,
                  GError                   **error)
{
  g_autofree double *frontier_weights = g_new (double, N_FRONTIER * r->k);

  r->n_frontier = N_FRONTIER;
  r->frontier_return = g_new (double, N_FRONTIER);
  r->frontier_volatility = g_new (double, N_FRONTIER);
  if (!sextant_optimizer_frontier (opt, N_FRONTIER, r->frontier_return, r->frontier_volatility,
                                   frontier_weights, error))
    return FALSE;
  for (gsize i = 0; i < N_FRONTIER; i++)
    {
      r->frontier_return[i] *= SEXTANT_TRADING_DAYS;
      r->frontier_volatility[i] *= sqrt (SEXTANT_TRADING_DAYS);
    }

  return TRUE;
}

void
_sextant_optimization_result_fill_chart (SextantOptimizationResult *r)
{
  r->assets = g_new (SextantChartPoint, r->k);
  for (gsize j = 0; j < r->k; j++)
    r->assets[j] = (SextantChartPoint) {
      r->symbols[j],
      sqrt (r->covariance[j * r->k + j] * SEXTANT_TRADING_DAYS),
      r->mean[j] * SEXTANT_TRADING_DAYS,
    };
  r->chosen = (SextantChartPoint) { _("Optimized"), r->volatility, r->expected_return };
  r->current_point = (SextantChartPoint) { _("Current"), r->current_volatility, r->current_return };
  r->chart = (SextantFrontierChart) {
    .title = _("Efficient frontier (annualised)"),
    .risk = r->frontier_volatility,
    .ret = r->frontier_return,
    .n = r->n_frontier,
    .assets = r->assets,
    .n_assets = r->k,
    .chosen = &r->chosen,
    .current = &r->current_point,
  };
}

static SextantOptimizer *
make_optimizer (SextantOptimizationResult        *r,
                const SextantOptimizationRequest *request,
                GError                          **error)
{
  g_autoptr(SextantOptimizer) opt = NULL;

  r->mean = g_new (double, r->k);
  r->covariance = g_new (double, r->k * r->k);
  if (!sextant_mean_vector (r->returns, r->mean, error) ||
      !sextant_covariance_sample (r->returns, r->covariance, error))
    return NULL;
  opt = sextant_optimizer_new (r->mean, r->covariance, r->k, (const char * const *) r->symbols,
                               error);
  if (opt == NULL)
    return NULL;
  /* Its errors then speak the window's units: annual percent, not daily fractions. */
  sextant_optimizer_set_periods_per_year (opt, SEXTANT_TRADING_DAYS);
  if (!sextant_optimizer_set_bounds (opt, request->lower, request->upper, error))
    return NULL;

  return g_steal_pointer (&opt);
}

/**
 * sextant_optimization_run:
 * @prices: closes of the instruments
 * @request: what to optimize
 * @cancellable: (nullable): checked between stages
 * @progress: (nullable): where to report progress
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the optimized weights, metrics and frontier
 */
SextantOptimizationResult *
sextant_optimization_run (SextantPriceTable                *prices,
                          const SextantOptimizationRequest *request,
                          GCancellable                     *cancellable,
                          SextantRunProgress               *progress,
                          GError                          **error)
{
  g_autoptr(SextantOptimizationResult) r = g_atomic_rc_box_new0 (SextantOptimizationResult);
  g_autoptr(SextantOptimizer) opt = NULL;

  r->request = sextant_optimization_request_copy (request);
  r->reference = sextant_optimization_reference_new ();
  r->k = request->k;
  r->symbols = g_strdupv (request->symbols);
  r->current = g_memdup2 (request->current, sizeof (double) * r->k);
  r->weights = g_new0 (double, r->k);
  r->returns = sextant_portfolio_run_returns (prices, (const char * const *) r->symbols,
                                              request->first_day, request->last_day, error);
  if (r->returns == NULL)
    return NULL;
  set_progress (progress, 0.25);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  opt = make_optimizer (r, request, error);
  if (opt == NULL || !solve (opt, request, r->weights, error))
    return NULL;
  annualise (opt, r->weights, &r->expected_return, &r->volatility, &r->sharpe);
  annualise (opt, r->current, &r->current_return, &r->current_volatility, &r->current_sharpe);
  set_progress (progress, 0.5);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (!compute_frontier (opt, r, error))
    return NULL;
  _sextant_optimization_result_fill_chart (r);
  set_progress (progress, 1.0);

  return g_steal_pointer (&r);
}

/**
 * sextant_optimization_result_to_text:
 * @self: a result
 *
 * Returns: (transfer full): the weights and metrics as plain text, for the clipboard
 */
char *
sextant_optimization_result_to_text (SextantOptimizationResult *self)
{
  GString *text = g_string_new (NULL);
  g_autofree char *from = sextant_day_format_iso (self->returns->days[0]);
  g_autofree char *to = sextant_day_format_iso (self->returns->days[self->returns->n_obs - 1]);

  /* Translators: first date, last date, number of daily returns */
  g_string_append_printf (text, _("Daily returns %s to %s (%zu days), sample covariance, 252 days a year\n"),
                          from, to, self->returns->n_obs);
  for (gsize j = 0; j < self->k; j++)
    g_string_append_printf (text, "%-6s %7.2f %%  (%s %.2f %%)\n", self->symbols[j],
                            100 * self->weights[j], _("current"), 100 * self->current[j]);
  g_string_append_printf (text, _("Expected return %.2f %%, volatility %.2f %%, Sharpe %.2f\n"),
                          100 * self->expected_return, 100 * self->volatility, self->sharpe);

  return g_string_free (text, FALSE);
}

static void
append_constraints (GString                          *text,
                    const SextantOptimizationRequest *q)
{
  gboolean bounded = FALSE;

  for (gsize j = 0; j < q->k; j++)
    bounded |= q->lower[j] > 0 || q->upper[j] < 1;
  if (!bounded)
    {
      g_string_append (text, _("Constraints: long only, fully invested, no other bounds.\n"));
      return;
    }
  g_string_append (text, _("Constraints: long only, fully invested; weight bounds"));
  for (gsize j = 0, n = 0; j < q->k; j++)
    if (q->lower[j] > 0 || q->upper[j] < 1)
      g_string_append_printf (text, "%s %s %.0f–%.0f %%", n++ == 0 ? "" : ",", q->symbols[j],
                              100 * q->lower[j], 100 * q->upper[j]);
  g_string_append (text, ".\n");
}

/**
 * sextant_optimization_result_describe:
 * @self: a result with its request
 *
 * A compact description for the assistant: objective, data range, constraints, weights against
 * the current ones, the metrics, and the result's reference on a line of its own.
 *
 * Returns: (transfer full): the text, translated
 */
char *
sextant_optimization_result_describe (SextantOptimizationResult *self)
{
  const SextantOptimizationRequest *q = self->request;
  GString *text = g_string_new (NULL);
  g_autofree char *from = sextant_day_format_iso (self->returns->days[0]);
  g_autofree char *to = sextant_day_format_iso (self->returns->days[self->returns->n_obs - 1]);
  g_autofree char *valued = sextant_day_format_iso (q->valued_at);
  g_autofree char *money = NULL;

  g_string_append (text, _("Please review this portfolio optimization.\n\n"));
  /* Translators: portfolio name, its value, a date */
  money = sextant_format_money (q->value, q->currency, 2);
  g_string_append_printf (text, _("Portfolio: %s, worth %s at the closes of %s.\n"), q->name,
                          money, valued);
  g_string_append_printf (text, _("Objective: %s"), sextant_objective_get_name (q->objective));
  if (q->objective == SEXTANT_OBJECTIVE_TARGET_RETURN || q->objective == SEXTANT_OBJECTIVE_TARGET_VOLATILITY)
    g_string_append_printf (text, " (%.1f %%)", 100 * q->target);
  /* Translators: number of returns, first date, last date */
  g_string_append_printf (text, _(".\nData: %zu simple daily returns of closes from %s to %s; sample "
                                  "covariance, 252 trading days a year, risk-free rate 0.\n"),
                          self->returns->n_obs, from, to);
  append_constraints (text, q);
  g_string_append (text, _("Weights, optimized (current):"));
  for (gsize j = 0; j < self->k; j++)
    g_string_append_printf (text, "%s %s %.2f %% (%.2f %%)", j == 0 ? "" : ",", self->symbols[j],
                            100 * self->weights[j], 100 * self->current[j]);
  /* Translators: optimized and current expected return, volatility and Sharpe ratio */
  g_string_append_printf (text, _(".\nExpected return %.2f %% (current %.2f %%), volatility %.2f %% "
                                  "(current %.2f %%), Sharpe ratio %.2f (current %.2f), annualised.\n\n"),
                          100 * self->expected_return, 100 * self->current_return, 100 * self->volatility,
                          100 * self->current_volatility, self->sharpe, self->current_sharpe);
  g_string_append (text, _("What drives these weights, and what are the main risks of the change?\n\n"));
  /* Translators: the result's reference, which lets the committee report find this conversation */
  g_string_append_printf (text, _("Reference: %s"), self->reference);

  return g_string_free (text, FALSE);
}

/* Scenarios ------------------------------------------------------------------------------- */

static void
scenario_progress_cb (double   fraction,
                      gpointer user_data)
{
  /* The simulation is most of the work; percentiles take the last tenth. */
  set_progress (user_data, 0.9 * fraction);
}

/**
 * sextant_scenario_defaults:
 * @result: an optimization
 * @out: (out caller-allocates): the parameters the Scenarios page starts from
 *
 * The optimized portfolio's daily log returns (constant weights) give its volatility and, by
 * sextant_heston_estimate() over blocks of 21 days, its variance process. With fewer than 8
 * blocks the conventional values above are used and @out->estimated is %FALSE.
 */
void
sextant_scenario_defaults (SextantOptimizationResult *result,
                           SextantScenarioDefaults   *out)
{
  const SextantReturnMatrix *m = result->returns;
  g_autofree double *log_returns = g_new (double, m->n_obs);
  double variance = result->volatility * result->volatility;

  *out = (SextantScenarioDefaults) {
    .historical_drift = result->expected_return,
    .volatility = result->volatility,
  };
  for (gsize t = 0; t < m->n_obs; t++)
    {
      double r = 0;

      for (gsize j = 0; j < m->n_assets; j++)
        r += result->weights[j] * sextant_return_matrix_get_column (m, j)[t];
      log_returns[t] = log1p (r);
    }
  out->estimated = sextant_heston_estimate (log_returns, m->n_obs, 21, SEXTANT_TRADING_DAYS,
                                            &out->heston, NULL);
  if (!out->estimated)
    out->heston = (SextantHestonEstimate) {
      .v0 = variance, .kappa = HESTON_KAPPA, .theta = variance, .xi = HESTON_XI, .rho = HESTON_RHO,
    };
}

static char *
describe_parameters (const SextantScenarioRequest *request)
{
  const char *drift = request->drift == SEXTANT_DRIFT_ZERO ? _("zero drift")
                    : request->drift == SEXTANT_DRIFT_HISTORICAL ? _("historical drift")
                    : _("your drift");

  if (request->model == SEXTANT_SCENARIO_MODEL_HESTON)
    /* Translators: the drift's origin, the drift, then Heston's κ, θ, ξ, ρ, v₀ */
    return g_strdup_printf (_("Heston, %s %.2f %% a year; κ %.2f, θ %.4f (volatility %.1f %%), "
                              "ξ %.2f, ρ %.2f, v₀ %.4f."),
                            drift, 100 * request->annual_return, request->kappa, request->theta,
                            100 * sqrt (request->theta), request->xi, request->rho, request->v0);
  /* Translators: the drift's origin, the drift, the volatility */
  return g_strdup_printf (_("Geometric Brownian motion, %s %.2f %% a year, volatility %.2f %%."),
                          drift, 100 * request->annual_return, 100 * request->annual_volatility);
}

static SextantScenarioResult *
simulate (const SextantScenarioRequest *request,
          GCancellable                 *cancellable,
          SextantRunProgress           *progress,
          GError                      **error)
{
  double variance = request->annual_volatility * request->annual_volatility;

  if (request->model == SEXTANT_SCENARIO_MODEL_HESTON)
    {
      SextantHestonSpec spec = {
        .s0 = request->start_value, .v0 = request->v0, .rate = request->annual_return,
        .kappa = request->kappa, .theta = request->theta, .xi = request->xi, .rho = request->rho,
        .dt = 1.0 / SEXTANT_TRADING_DAYS, .n_steps = request->n_steps,
        .n_paths = request->n_paths, .seed = request->seed, .n_threads = 2,
      };

      return sextant_scenarios_heston (&spec, SEXTANT_SCENARIO_KEEP_PATHS, cancellable,
                                       scenario_progress_cb, progress, error);
    }
  else
    {
      SextantGbmSpec spec = {
        .n_assets = 1, .s0 = &request->start_value, .drift = &request->annual_return,
        .covariance = &variance, .dt = 1.0 / SEXTANT_TRADING_DAYS, .n_steps = request->n_steps,
        .n_paths = request->n_paths, .seed = request->seed, .n_threads = 2,
      };

      return sextant_scenarios_gbm (&spec, SEXTANT_SCENARIO_KEEP_PATHS, cancellable,
                                    scenario_progress_cb, progress, error);
    }
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/**
 * sextant_scenario_run:
 * @request: the model and its inputs
 * @cancellable: (nullable): checked by the simulation and between steps
 * @progress: (nullable): where to report progress
 * @error: return location for an error
 *
 * Simulates the portfolio's value and reduces the paths to the 5/25/50/75/95th percentiles
 * (type 7) at each step, for a fan chart.
 *
 * Returns: (transfer full) (nullable): the percentile bands
 */
SextantScenarioOutcome *
sextant_scenario_run (const SextantScenarioRequest *request,
                      GCancellable                 *cancellable,
                      SextantRunProgress           *progress,
                      GError                      **error)
{
  g_autoptr(SextantScenarioResult) sim = NULL;
  g_autoptr(SextantScenarioOutcome) out = NULL;
  g_autofree double *column = NULL;
  gsize n_paths = request->n_paths, stride = request->n_steps + 1;

  sim = simulate (request, cancellable, progress, error);
  if (sim == NULL)
    return NULL;

  out = g_atomic_rc_box_new0 (SextantScenarioOutcome);
  out->parameters = describe_parameters (request);
  out->n = stride;
  out->x = g_new (double, stride);
  for (guint q = 0; q < 5; q++)
    out->p[q] = g_new (double, stride);
  column = g_new (double, n_paths);
  for (gsize t = 0; t < stride; t++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      for (gsize p = 0; p < n_paths; p++)
        column[p] = sim->paths[p * stride + t];
      qsort (column, n_paths, sizeof (double), compare_doubles);
      out->x[t] = t;
      for (guint q = 0; q < 5; q++)
        out->p[q][t] = sextant_quantile_type7 (column, n_paths, fan_levels[q]);
    }
  out->chart = (SextantFanChart) {
    .title = request->model == SEXTANT_SCENARIO_MODEL_HESTON
               ? _("Portfolio value, Heston simulation") : _("Portfolio value, GBM simulation"),
    .x = out->x, .n = stride, .p5 = out->p[0], .p25 = out->p[1], .p50 = out->p[2],
    .p75 = out->p[3], .p95 = out->p[4], .x_is_days = FALSE, .y_format = SEXTANT_CHART_FORMAT_NUMBER,
  };
  set_progress (progress, 1.0);

  return g_steal_pointer (&out);
}

static void
sextant_scenario_outcome_clear (SextantScenarioOutcome *self)
{
  g_free (self->x);
  g_free (self->parameters);
  for (guint q = 0; q < 5; q++)
    g_free (self->p[q]);
}

SextantScenarioOutcome *
sextant_scenario_outcome_ref (SextantScenarioOutcome *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
sextant_scenario_outcome_unref (SextantScenarioOutcome *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, (GDestroyNotify) sextant_scenario_outcome_clear);
}

/* Backtests ------------------------------------------------------------------------------- */

/* The window's optimization (objective and bounds of @result's request) on the returns of a
 * backtest's training window. */
static gboolean
optimize_window_cb (const SextantReturnMatrix  *train,
                    double                     *weights,
                    gpointer                    user_data,
                    GError                    **error)
{
  const SextantOptimizationRequest *request = user_data;
  g_autofree double *mean = g_new (double, request->k);
  g_autofree double *covariance = g_new (double, request->k * request->k);
  g_autoptr(SextantOptimizer) opt = NULL;

  if (!sextant_mean_vector (train, mean, error) ||
      !sextant_covariance_sample (train, covariance, error))
    return FALSE;
  opt = sextant_optimizer_new (mean, covariance, request->k,
                               (const char * const *) request->symbols, error);
  if (opt != NULL)
    sextant_optimizer_set_periods_per_year (opt, SEXTANT_TRADING_DAYS);

  return opt != NULL && sextant_optimizer_set_bounds (opt, request->lower, request->upper, error) &&
         solve (opt, request, weights, error);
}

/* The current weights, whatever the data: the comparison over the same dates. */
static gboolean
current_weights_cb (const SextantReturnMatrix  *train,
                    double                     *weights,
                    gpointer                    user_data,
                    GError                    **error)
{
  const SextantOptimizationRequest *request = user_data;

  memcpy (weights, request->current, sizeof (double) * request->k);

  return TRUE;
}

static gboolean
run_out_of_sample (SextantOptimizationResult     *result,
                   const SextantBacktestRequest  *request,
                   SextantBacktestOutcome        *out,
                   GError                       **error)
{
  const SextantReturnMatrix *m = result->returns;
  SextantWalkForward spec = { 0 };

  if (request->evaluation == SEXTANT_BACKTEST_SPLIT)
    spec.first = (gsize) lround (request->train_share * m->n_obs);
  else
    spec = (SextantWalkForward) {
      .first = request->window, .window = request->window, .every_months = request->every_months,
    };

  return sextant_backtest_walk_forward (m, &spec, optimize_window_cb, result->request,
                                        request->rebalance, 0.05, request->cost_bps,
                                        SEXTANT_TRADING_DAYS, &out->optimized, error) &&
         sextant_backtest_walk_forward (m, &spec, current_weights_cb, result->request,
                                        request->rebalance, 0.05, request->cost_bps,
                                        SEXTANT_TRADING_DAYS, &out->current, error);
}

static char *
describe_backtest (SextantOptimizationResult    *result,
                   const SextantBacktestRequest *request,
                   const SextantBacktestResult  *r)
{
  const gint32 *days = result->returns->days;
  g_autofree char *from = sextant_day_format_iso (days[r->first]);
  g_autofree char *to = sextant_day_format_iso (days[r->first + r->n_periods - 1]);
  g_autofree char *train_from = sextant_day_format_iso (days[0]);
  g_autofree char *train_to = r->first > 0 ? sextant_day_format_iso (days[r->first - 1]) : NULL;

  switch (request->evaluation)
    {
    case SEXTANT_BACKTEST_SPLIT:
      /* Translators: training dates, then test dates, then the trading cost */
      return g_strdup_printf (_("Out of sample: optimized on %s to %s, held from %s to %s; %.0f basis "
                                "points per trade."), train_from, train_to, from, to, request->cost_bps);
    case SEXTANT_BACKTEST_WALK_FORWARD:
      /* Translators: months, trading days, number of optimizations, first and last test date, cost */
      return g_strdup_printf (_("Walk-forward: re-optimized every %u months on the trailing %zu trading "
                                "days (%u optimizations), tested from %s to %s; %.0f basis points per "
                                "trade."), request->every_months, request->window, r->n_optimizations,
                              from, to, request->cost_bps);
    case SEXTANT_BACKTEST_IN_SAMPLE:
    default:
      /* Translators: first and last date, then the trading cost */
      return g_strdup_printf (_("In sample: the weights were chosen knowing these returns, %s to %s; "
                                "%.0f basis points per trade."), from, to, request->cost_bps);
    }
}

/**
 * sextant_backtest_outcome_run:
 * @result: an optimization, whose returns, weights and current weights are tested
 * @request: in sample or out of sample, rebalancing and costs
 * @error: return location for an error
 *
 * In sample, the optimized and current weights are backtested over the optimization's returns.
 * Out of sample the optimization is run again (same objective and bounds) on the first part of
 * the returns, or every few months on a trailing window (sextant_backtest_walk_forward()), and
 * the current weights are tested over the same dates.
 *
 * Returns: (transfer full) (nullable): both backtests and a chart of their wealth
 */
SextantBacktestOutcome *
sextant_backtest_outcome_run (SextantOptimizationResult     *result,
                              const SextantBacktestRequest  *request,
                              GError                       **error)
{
  g_autoptr(SextantBacktestOutcome) out = g_atomic_rc_box_new0 (SextantBacktestOutcome);
  gsize n, first;

  if (request->evaluation == SEXTANT_BACKTEST_IN_SAMPLE)
    {
      if (!sextant_backtest_run (result->returns, result->weights, request->rebalance, 0.05,
                                 request->cost_bps, SEXTANT_TRADING_DAYS, &out->optimized, error) ||
          !sextant_backtest_run (result->returns, result->current, request->rebalance, 0.05,
                                 request->cost_bps, SEXTANT_TRADING_DAYS, &out->current, error))
        return NULL;
    }
  else if (!run_out_of_sample (result, request, out, error))
    return NULL;
  out->description = describe_backtest (result, request, &out->optimized);

  /* Wealth after each day's return, dated by that day; the starting 1 is left out. The
   * time-series chart (not the price chart) so that both lines carry their own legend. */
  n = out->optimized.n_periods;
  first = out->optimized.first;
  out->times = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    out->times[i] = 86400.0 * result->returns->days[first + i];
  out->lines[0] = (SextantChartSeries) { _("Optimized weights"), out->optimized.wealth + 1, n };
  out->lines[1] = (SextantChartSeries) { _("Current weights"), out->current.wealth + 1, n };
  out->chart = (SextantTimeSeriesChart) {
    .title = _("Growth of 1, optimized vs current weights"),
    .times = out->times,
    .n = n,
    .lines = out->lines,
    .n_lines = 2,
    .lines_label = _("Wealth"),
  };

  return g_steal_pointer (&out);
}

static void
sextant_backtest_outcome_clear (SextantBacktestOutcome *self)
{
  sextant_backtest_result_clear (&self->optimized);
  sextant_backtest_result_clear (&self->current);
  g_free (self->description);
  g_free (self->times);
}

SextantBacktestOutcome *
sextant_backtest_outcome_ref (SextantBacktestOutcome *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
sextant_backtest_outcome_unref (SextantBacktestOutcome *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, (GDestroyNotify) sextant_backtest_outcome_clear);
}
