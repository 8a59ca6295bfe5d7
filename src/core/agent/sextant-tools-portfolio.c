#define G_LOG_DOMAIN "sextant-tools-portfolio"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdlib.h>

#include "agent/sextant-agent-error.h"
#include "analytics/sextant-align.h"
#include "analytics/sextant-backtest.h"
#include "analytics/sextant-covariance.h"
#include "analytics/sextant-optimizer.h"
#include "analytics/sextant-performance.h"
#include "market/sextant-portfolio-valuation.h"
#include "market/sextant-book.h"
#include "analytics/sextant-risk.h"
#include "analytics/sextant-scenarios.h"
#include "agent/sextant-tool-registry.h"
#include "agent/sextant-tools-private.h"

/* The multi-asset tools: portfolio risk, optimization, backtests and Monte Carlo scenarios, all
 * on simple (or, for scenarios, log) daily returns of the symbols' common dates. */

#define WINDOW_PROPERTIES \
  "\"start\":{\"type\":\"string\",\"description\":\"First day, YYYY-MM-DD\"}," \
  "\"end\":{\"type\":\"string\",\"description\":\"Last day, YYYY-MM-DD\"}"

#define SYMBOLS_PROPERTY(min) \
  "\"symbols\":{\"type\":\"array\",\"minItems\":" #min ",\"maxItems\":50," \
  "\"items\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":20}}"

#define WEIGHTS_PROPERTY \
  "\"weights\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":50,\"items\":{\"type\":\"number\"," \
  "\"minimum\":-1,\"maximum\":2},\"description\":\"One per symbol, summing to 1 (default: equal)\"}"

static char *
sources_of (SextantToolData  *data,
            char            **symbols)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; symbols[i] != NULL; i++)
    {
      g_autofree char *source = NULL;
      g_autoptr(SextantPriceSeries) s = sextant_tool_data_get_series (data, symbols[i], &source, NULL);

      if (s != NULL && source != NULL &&
          !g_ptr_array_find_with_equal_func (seen, source, g_str_equal, NULL))
        g_ptr_array_add (seen, g_steal_pointer (&source));
    }
  g_ptr_array_add (seen, NULL);

  return g_strjoinv (",", (char **) seen->pdata);
}

static void
begin_result (JsonBuilder         *b,
              SextantToolData     *data,
              char               **symbols,
              SextantReturnMatrix *r)
{
  g_autofree char *sources = sources_of (data, symbols);

  json_builder_begin_object (b);
  _tool_add_data_note (b, sources, r->days[0], r->days[r->n_obs - 1]);
  sextant_json_add_int (b, "n_returns", r->n_obs);
}

static JsonNode *
end_result (JsonBuilder *b)
{
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* calculate_portfolio_metrics ---------------------------------------------------------------- */

/* A named portfolio's symbols and its value weights on the last common day. */
static char **
portfolio_symbols (SextantToolData  *data,
                   JsonObject       *input,
                   SextantPortfolio **portfolio,
                   GError          **error)
{
  const char *name = json_object_get_string_member_with_default (input, "portfolio", NULL);

  if ((*portfolio = sextant_tool_data_find_portfolio (data, name, error)) == NULL)
    return NULL;

  return sextant_portfolio_dup_symbols (*portfolio);
}

/* Each holding's currency when one differs from the portfolio's base currency, else NULL. */
static char **
foreign_currencies (SextantToolData  *data,
                    SextantPortfolio *portfolio)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *base = sextant_portfolio_get_base_currency (portfolio);
  gboolean foreign = FALSE;

  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      g_autofree char *currency = sextant_book_dup_holding_currency (sextant_tool_data_get_cache (data),
                                                                     portfolio, i);

      foreign |= base != NULL && g_ascii_strcasecmp (currency, base) != 0;
      g_strv_builder_add (builder, currency);
    }

  return foreign ? g_strv_builder_end (builder) : NULL;
}

/* The returns of a portfolio's closes converted into its base currency with the ECB's rates,
 * as SextantBook does for the windows and the CLI: a figure mixing currencies would be in no
 * currency at all. Dates without a rate are dropped. */
static SextantReturnMatrix *
converted_returns (SextantToolData     *data,
                   SextantPortfolio    *portfolio,
                   char               **symbols,
                   char               **currencies,
                   JsonObject          *input,
                   SextantPriceTable  **closes,
                   GError             **error)
{
  g_autoptr(SextantPriceTable) all = NULL, converted = NULL, aligned = NULL, used = NULL;
  SextantReturnMatrix *returns;
  ToolWindow window;

  if (!_tool_read_window (input, &window, error) ||
      !(all = sextant_tool_data_get_closes (data, (const char * const *) symbols, error)) ||
      !(converted = sextant_book_convert_table (sextant_tool_data_get_cache (data), all,
                                                (const char * const *) currencies,
                                                sextant_portfolio_get_base_currency (portfolio), error)) ||
      !(aligned = sextant_align_handle_gaps (converted, SEXTANT_GAP_DROP, NULL, error)))
    return NULL;
  if (sextant_price_table_get_n_rows (aligned) < 2)
    {
      g_autofree char *list = g_strjoinv (", ", currencies);

      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA,
                   /* Translators: a portfolio, its holdings' currencies, its base currency */
                   _("“%s” holds instruments in %s: converting them to %s needs the ECB's "
                     "exchange rates for their dates, and too few are stored (Refresh in the "
                     "Risk dashboard, or “sextant-cli fx”, fetches them)"),
                   sextant_portfolio_get_name (portfolio), list,
                   sextant_portfolio_get_base_currency (portfolio));
      return NULL;
    }
  if (!(used = _tool_slice_table (aligned, &window, error)) ||
      !(returns = sextant_return_matrix_from_prices (used, SEXTANT_RETURN_SIMPLE, error)))
    return NULL;
  *closes = g_steal_pointer (&used);

  return returns;
}

static double *
value_weights (SextantPortfolio   *portfolio,
               SextantPriceTable  *closes,
               GError            **error)
{
  g_autoptr(SextantValuation) v = sextant_portfolio_valuate (portfolio, closes, error);
  double *w;

  if (v == NULL)
    return NULL;
  if (v->n_unpriced > 0 || !(v->total > 0))
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA,
                   ngettext ("%u holding of “%s” has no price", "%u holdings of “%s” have no price",
                             v->n_unpriced),
                   v->n_unpriced, sextant_portfolio_get_name (portfolio));
      return NULL;
    }
  w = g_new (double, v->n_positions);
  for (guint i = 0; i < v->n_positions; i++)
    w[i] = v->positions[i].weight;

  return w;
}

static gboolean
add_risk (JsonBuilder  *b,
          const double *r,
          gsize         n,
          double        c,
          GError      **error)
{
  SextantMoments m;
  SextantDrawdown dd;
  double var, es, x;

  if (!sextant_moments_compute (r, n, &m, error))
    return FALSE;
  sextant_json_add_double (b, "mean_daily_return", m.mean);
  sextant_json_add_double (b, "confidence", c);
  if (!sextant_var_historical (r, n, c, &var, &es, error))
    return FALSE;
  sextant_json_add_double (b, "var_historical_1d", var);
  sextant_json_add_double (b, "es_historical_1d", es);
  if (!sextant_var_gaussian (m.mean, m.sd, c, &var, &es, error))
    return FALSE;
  sextant_json_add_double (b, "var_gaussian_1d", var);
  sextant_json_add_double (b, "es_gaussian_1d", es);
  if (!sextant_var_cornish_fisher (&m, c, &var, error))
    return FALSE;
  sextant_json_add_double (b, "var_cornish_fisher_1d", var);
  if (!sextant_volatility_annualised (r, n, TOOL_PERIODS_PER_YEAR, &x, error))
    return FALSE;
  sextant_json_add_double (b, "volatility_annualised", x);
  if (!sextant_sharpe_ratio (r, n, 0, TOOL_PERIODS_PER_YEAR, &x, error))
    return FALSE;
  sextant_json_add_double (b, "sharpe_annualised_rf0", x);
  if (!sextant_sortino_ratio (r, n, 0, TOOL_PERIODS_PER_YEAR, &x, error))
    return FALSE;
  sextant_json_add_double (b, "sortino_annualised_mar0", x);
  if (!sextant_max_drawdown (r, n, &dd, error))
    return FALSE;
  sextant_json_add_double (b, "max_drawdown", dd.max_drawdown);
  sextant_json_add_int (b, "max_drawdown_duration_days", dd.duration);

  return TRUE;
}

static JsonNode *
calculate_portfolio_metrics (SextantToolData  *data,
                             JsonObject       *input,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(SextantPriceTable) closes = NULL;
  g_autoptr(SextantReturnMatrix) r = NULL;
  g_auto(GStrv) symbols = _tool_read_symbols (input, "symbols");
  g_auto(GStrv) currencies = NULL;
  g_autofree double *w = NULL, *pr = NULL;

  if (symbols == NULL && json_object_has_member (input, "weights"))
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                   _("input.weights needs input.symbols"));
      return NULL;
    }
  if (symbols == NULL && !(symbols = portfolio_symbols (data, input, &portfolio, error)))
    return NULL;
  if (portfolio != NULL && (currencies = foreign_currencies (data, portfolio)) != NULL)
    r = converted_returns (data, portfolio, symbols, currencies, input, &closes, error);
  else
    r = _tool_returns_for (data, symbols, input, SEXTANT_RETURN_SIMPLE, &closes, error);
  if (r == NULL)
    return NULL;
  w = portfolio != NULL ? value_weights (portfolio, closes, error) : _tool_read_weights (input, r->n_assets, error);
  if (w == NULL)
    return NULL;
  pr = g_new (double, r->n_obs);
  if (!sextant_portfolio_returns (r, w, pr, error))
    return NULL;

  begin_result (b, data, symbols, r);
  if (portfolio != NULL)
    sextant_json_add_string (b, "portfolio", sextant_portfolio_get_name (portfolio));
  _tool_add_weights (b, "weights", r, w);
  if (!add_risk (b, pr, r->n_obs, _tool_get_double (input, "confidence", 0.95), error))
    return NULL;
  sextant_json_add_string (b, "conventions", "simple daily returns; VaR/ES positive loss fractions for one day; "
                                             "annualised with 252 days");

  return end_result (b);
}

/* optimize_allocation_weights ---------------------------------------------------------------- */

static gboolean
set_bounds (SextantOptimizer  *opt,
            JsonObject        *input,
            gsize              k,
            GError           **error)
{
  g_autofree double *lo = g_new (double, k), *hi = g_new (double, k);
  double min_w = _tool_get_double (input, "min_weight", 0), max_w = _tool_get_double (input, "max_weight", 1);

  if (!json_object_has_member (input, "min_weight") && !json_object_has_member (input, "max_weight"))
    return TRUE;
  for (gsize j = 0; j < k; j++)
    {
      lo[j] = min_w;
      hi[j] = max_w;
    }

  return sextant_optimizer_set_bounds (opt, lo, hi, error);
}

static JsonNode *
optimize_allocation_weights (SextantToolData  *data,
                             JsonObject       *input,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(SextantReturnMatrix) r = NULL;
  g_autoptr(SextantOptimizer) opt = NULL;
  g_auto(GStrv) symbols = _tool_read_symbols (input, "symbols");
  const char *objective = json_object_get_string_member_with_default (input, "objective", "min_variance");
  g_autofree double *mean = NULL, *cov = NULL, *w = NULL;
  double er, vol;
  gboolean ok;

  if (!(r = _tool_returns_for (data, symbols, input, SEXTANT_RETURN_SIMPLE, NULL, error)))
    return NULL;
  mean = g_new (double, r->n_assets);
  cov = g_new (double, r->n_assets * r->n_assets);
  w = g_new (double, r->n_assets);
  if (!sextant_mean_vector (r, mean, error) || !sextant_covariance_sample (r, cov, error) ||
      !(opt = sextant_optimizer_new (mean, cov, r->n_assets, (const char * const *) r->names, error)))
    return NULL;
  /* The results are annualised, so are the errors. */
  sextant_optimizer_set_periods_per_year (opt, TOOL_PERIODS_PER_YEAR);
  if (!set_bounds (opt, input, r->n_assets, error))
    return NULL;
  if (g_str_equal (objective, "max_sharpe"))
    ok = sextant_optimizer_max_sharpe (opt, 0, w, error);
  else if (g_str_equal (objective, "risk_parity"))
    ok = sextant_optimizer_risk_parity (opt, w, error);
  else
    ok = sextant_optimizer_min_variance (opt, w, error);
  if (!ok)
    return NULL;
  sextant_optimizer_evaluate (opt, w, &er, &vol);

  begin_result (b, data, symbols, r);
  sextant_json_add_string (b, "objective", objective);
  _tool_add_weights (b, "weights", r, w);
  sextant_json_add_double (b, "expected_return_annualised", er * TOOL_PERIODS_PER_YEAR);
  sextant_json_add_double (b, "volatility_annualised", vol * sqrt (TOOL_PERIODS_PER_YEAR));
  sextant_json_add_string (b, "conventions", "fully invested, long-only unless bounds are given; sample mean and "
                                             "covariance of simple daily returns; risk-free rate 0");

  return end_result (b);
}

/* evaluate_strategy_performance -------------------------------------------------------------- */

static SextantRebalance
rebalance_from_name (const char *name)
{
  if (g_str_equal (name, "none"))
    return SEXTANT_REBALANCE_NONE;
  if (g_str_equal (name, "quarterly"))
    return SEXTANT_REBALANCE_QUARTERLY;
  if (g_str_equal (name, "threshold"))
    return SEXTANT_REBALANCE_THRESHOLD;

  return SEXTANT_REBALANCE_MONTHLY;
}

static JsonNode *
evaluate_strategy_performance (SextantToolData  *data,
                               JsonObject       *input,
                               GCancellable     *cancellable,
                               GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(SextantReturnMatrix) r = NULL;
  g_auto(GStrv) symbols = _tool_read_symbols (input, "symbols");
  const char *rebalance = json_object_get_string_member_with_default (input, "rebalance", "monthly");
  g_autofree double *w = NULL;
  SextantBacktestResult bt = { 0, };

  if (!(r = _tool_returns_for (data, symbols, input, SEXTANT_RETURN_SIMPLE, NULL, error)) ||
      !(w = _tool_read_weights (input, r->n_assets, error)))
    return NULL;
  if (!sextant_backtest_run (r, w, rebalance_from_name (rebalance), _tool_get_double (input, "threshold", 0.05),
                             _tool_get_double (input, "cost_bps", 0), TOOL_PERIODS_PER_YEAR, &bt, error))
    return NULL;

  begin_result (b, data, symbols, r);
  sextant_json_add_string (b, "rebalance", rebalance);
  _tool_add_weights (b, "target_weights", r, w);
  sextant_json_add_double (b, "final_wealth", bt.wealth[bt.n_periods]);
  sextant_json_add_double (b, "cagr", bt.cagr);
  sextant_json_add_double (b, "volatility_annualised", bt.volatility);
  sextant_json_add_double (b, "sharpe_annualised_rf0", bt.sharpe);
  sextant_json_add_double (b, "max_drawdown", bt.max_drawdown);
  sextant_json_add_double (b, "turnover_annualised", bt.turnover_annualised);
  sextant_json_add_int (b, "n_rebalances", bt.n_rebalances);
  sextant_json_add_double (b, "total_cost", bt.total_cost);
  sextant_backtest_result_clear (&bt);

  return end_result (b);
}

/* generate_risk_scenarios -------------------------------------------------------------------- */

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* GBM paths with the data's drift and covariance of daily log returns (as `sextant-cli scenarios`
 * estimates them), then the weighted portfolio's return over the horizon on every path. */
static SextantScenarioResult *
simulate (SextantReturnMatrix  *r,
          SextantPriceTable    *closes,
          JsonObject           *input,
          GCancellable         *cancellable,
          GError              **error)
{
  gsize k = r->n_assets;
  g_autofree double *mean = g_new (double, k), *cov = g_new (double, k * k);
  g_autofree double *drift = g_new (double, k), *s0 = g_new (double, k);
  SextantGbmSpec spec = { 0, };

  if (!sextant_mean_vector (r, mean, error) || !sextant_covariance_sample (r, cov, error))
    return NULL;
  for (gsize j = 0; j < k; j++)
    {
      drift[j] = mean[j] + cov[j * k + j] / 2;
      s0[j] = sextant_price_table_get_column (closes, j)[sextant_price_table_get_n_rows (closes) - 1];
    }
  spec.n_assets = k;
  spec.s0 = s0;
  spec.drift = drift;
  spec.covariance = cov;
  spec.dt = 1;
  spec.n_steps = _tool_get_uint (input, "horizon_days", 20);
  spec.n_paths = _tool_get_uint (input, "n_paths", 10000);
  spec.seed = (guint64) _tool_get_double (input, "seed", 1);
  spec.n_threads = 1;

  return sextant_scenarios_gbm (&spec, SEXTANT_SCENARIO_KEEP_TERMINAL, cancellable, NULL, NULL, error);
}

static JsonNode *
generate_risk_scenarios (SextantToolData  *data,
                         JsonObject       *input,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(SextantReturnMatrix) r = NULL;
  g_autoptr(SextantPriceTable) closes = NULL;
  g_autoptr(SextantScenarioResult) sim = NULL;
  g_auto(GStrv) symbols = _tool_read_symbols (input, "symbols");
  g_autofree double *w = NULL, *pr = NULL;
  double c = _tool_get_double (input, "confidence", 0.95), var, es, mean = 0;
  gsize n_loss = 0;

  if (!(r = _tool_returns_for (data, symbols, input, SEXTANT_RETURN_LOG, &closes, error)) ||
      !(w = _tool_read_weights (input, r->n_assets, error)) ||
      !(sim = simulate (r, closes, input, cancellable, error)))
    return NULL;
  pr = g_new0 (double, sim->n_paths);
  for (guint p = 0; p < sim->n_paths; p++)
    {
      for (gsize j = 0; j < r->n_assets; j++)
        pr[p] += w[j] * (sim->terminal[p * r->n_assets + j] /
                         sextant_price_table_get_column (closes, j)[sextant_price_table_get_n_rows (closes) - 1]);
      pr[p] -= 1;
      mean += pr[p] / sim->n_paths;
      n_loss += pr[p] < 0;
    }
  if (!sextant_var_historical (pr, sim->n_paths, c, &var, &es, error))
    return NULL;

  begin_result (b, data, symbols, r);
  sextant_json_add_string (b, "model", "correlated geometric Brownian motion fitted to daily log returns");
  sextant_json_add_int (b, "horizon_days", sim->n_steps);
  sextant_json_add_int (b, "n_paths", sim->n_paths);
  _tool_add_weights (b, "weights", r, w);
  sextant_json_add_double (b, "confidence", c);
  sextant_json_add_double (b, "expected_return", mean);
  sextant_json_add_double (b, "probability_of_loss", (double) n_loss / sim->n_paths);
  sextant_json_add_double (b, "var", var);
  sextant_json_add_double (b, "es", es);
  qsort (pr, sim->n_paths, sizeof (double), compare_doubles);
  sextant_json_add_double (b, "return_p05", sextant_quantile_type7 (pr, sim->n_paths, 0.05));
  sextant_json_add_double (b, "return_median", sextant_quantile_type7 (pr, sim->n_paths, 0.5));
  sextant_json_add_double (b, "return_p95", sextant_quantile_type7 (pr, sim->n_paths, 0.95));

  return end_result (b);
}

/* registration ------------------------------------------------------------------------------- */

void
_sextant_tools_register_portfolio (SextantToolRegistry *self)
{
  const struct { const char *name, *description, *schema; SextantToolHandler handler; } tools[] = {
    { "calculate_portfolio_metrics",
      "Risk and performance of a portfolio (a saved one by name, the demo portfolio by default, or symbols with weights): "
      "historical, Gaussian and Cornish-Fisher one-day VaR and ES, volatility, Sharpe, Sortino, max drawdown.",
      "{\"type\":\"object\",\"properties\":{"
      "\"portfolio\":{\"type\":\"string\",\"minLength\":1,\"description\":\"Saved portfolio name (default: the demo portfolio)\"},"
      SYMBOLS_PROPERTY (1) "," WEIGHTS_PROPERTY "," WINDOW_PROPERTIES ","
      "\"confidence\":{\"type\":\"number\",\"minimum\":0.5,\"maximum\":0.9999}},"
      "\"additionalProperties\":false}",
      calculate_portfolio_metrics },
    { "optimize_allocation_weights",
      "Optimal long-only weights for a set of symbols: minimum variance, maximum Sharpe (rf 0) or risk parity, "
      "with optional per-asset weight bounds.",
      "{\"type\":\"object\",\"properties\":{" SYMBOLS_PROPERTY (2) "," WINDOW_PROPERTIES ","
      "\"objective\":{\"type\":\"string\",\"enum\":[\"min_variance\",\"max_sharpe\",\"risk_parity\"]},"
      "\"min_weight\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1},"
      "\"max_weight\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1}},"
      "\"required\":[\"symbols\"],\"additionalProperties\":false}",
      optimize_allocation_weights },
    { "evaluate_strategy_performance",
      "Backtest of a fixed-weight strategy: buy and hold or rebalanced monthly, quarterly or on a drift threshold, "
      "with transaction costs; CAGR, volatility, Sharpe, max drawdown, turnover.",
      "{\"type\":\"object\",\"properties\":{" SYMBOLS_PROPERTY (1) "," WEIGHTS_PROPERTY "," WINDOW_PROPERTIES ","
      "\"rebalance\":{\"type\":\"string\",\"enum\":[\"none\",\"monthly\",\"quarterly\",\"threshold\"]},"
      "\"threshold\":{\"type\":\"number\",\"minimum\":0.001,\"maximum\":1},"
      "\"cost_bps\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1000}},"
      "\"required\":[\"symbols\"],\"additionalProperties\":false}",
      evaluate_strategy_performance },
    { "generate_risk_scenarios",
      "Monte Carlo scenarios of a weighted basket over a horizon (correlated GBM fitted to the data): expected "
      "return, probability of loss, VaR and ES, 5th/50th/95th percentile returns.",
      "{\"type\":\"object\",\"properties\":{" SYMBOLS_PROPERTY (1) "," WEIGHTS_PROPERTY "," WINDOW_PROPERTIES ","
      "\"horizon_days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":252},"
      "\"n_paths\":{\"type\":\"integer\",\"minimum\":100,\"maximum\":200000},"
      "\"seed\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":9007199254740991},"
      "\"confidence\":{\"type\":\"number\",\"minimum\":0.5,\"maximum\":0.9999}},"
      "\"required\":[\"symbols\"],\"additionalProperties\":false}",
      generate_risk_scenarios },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autoptr(SextantTool) tool = sextant_tool_new (tools[i].name, tools[i].description,
                                                      tools[i].schema, tools[i].handler);

      sextant_tool_registry_add (self, tool);
    }
}
