#define G_LOG_DOMAIN "test-tools"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* The agent's tools against direct calls of the same core functions on the same data (the
 * bundled demo set and tests/data files), so a tool can only differ by its plumbing:
 * choosing rows, weights and defaults. The indicator check also goes back to TA-Lib's own
 * numbers in tests/data/ta/msft_talib.csv, and the forecast to R's forecast package in
 * tests/data/forecast/. */

static SextantWorkspace *workspace;

static SextantToolRegistry *
make_registry (void)
{
  g_autoptr(SextantToolData) data = sextant_tool_data_new (sextant_workspace_get_demo_set (workspace), NULL);

  return sextant_tool_registry_new_default (data);
}

static JsonNode *
invoke (SextantToolRegistry  *registry,
        const char           *name,
        const char           *input_json,
        GError              **error)
{
  g_autoptr(JsonNode) input = json_from_string (input_json, NULL);

  g_assert_nonnull (input);

  return sextant_tool_registry_invoke (registry, name, input, NULL, error);
}

static JsonObject *
invoke_ok (SextantToolRegistry *registry,
           const char          *name,
           const char          *input_json,
           JsonNode           **keep)
{
  g_autoptr(GError) error = NULL;

  *keep = invoke (registry, name, input_json, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*keep));

  return json_node_get_object (*keep);
}

/* The demo close column of a Dow stock. */
static const double *
demo_closes (const char *symbol,
             gsize      *n)
{
  SextantPriceTable *stocks = sextant_workspace_get_stocks (workspace);
  int column = sextant_price_table_find_column (stocks, symbol);

  g_assert_cmpint (column, >=, 0);
  *n = sextant_price_table_get_n_rows (stocks);

  return sextant_price_table_get_column (stocks, column);
}

static void
test_schema_validator (void)
{
  g_autoptr(JsonNode) schema = json_from_string (
    "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"enum\":[\"a\",\"b\"]},"
    "\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
    "\"xs\":{\"type\":\"array\",\"minItems\":2,\"items\":{\"type\":\"number\"}}},"
    "\"required\":[\"s\"],\"additionalProperties\":false}", NULL);
  const struct { const char *input; const char *message; } cases[] = {
    { "{\"n\":3}", "input: the required member “s” is missing" },
    { "{\"s\":\"c\"}", "input.s: “c” is not one of a, b" },
    { "{\"s\":\"a\",\"n\":0}", "input.n: 0 is below the minimum 1" },
    { "{\"s\":\"a\",\"n\":11}", "input.n: 11 is above the maximum 10" },
    { "{\"s\":\"a\",\"n\":2.5}", "input.n: expected an integer, got number" },
    { "{\"s\":\"a\",\"xs\":[1]}", "input.xs: 1 items, at least 2 are needed" },
    { "{\"s\":\"a\",\"xs\":[1,\"x\"]}", "input.xs[1]: expected a number, got string" },
    { "{\"s\":\"a\",\"zz\":1}", "input: unknown member “zz”" },
    { "[1]", "input: expected an object, got array" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) input = json_from_string (cases[i].input, NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (sextant_json_schema_validate (schema, input, &error));
      g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  {
    /* 3.0 counts as an integer, as JSON Schema says. */
    g_autoptr(JsonNode) ok = json_from_string ("{\"s\":\"b\",\"n\":3.0,\"xs\":[1,2.5]}", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (sextant_json_schema_validate (schema, ok, &error));
    g_assert_no_error (error);
  }
}

static void
test_registry (void)
{
  g_autoptr(SextantToolRegistry) registry = make_registry ();
  g_autoptr(SextantConverseRequest) request = sextant_converse_request_new ();
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  const char *names[] = { "get_quote", "get_price_history", "compute_indicators", "forecast_prices",
                          "calculate_portfolio_metrics", "optimize_allocation_weights",
                          "evaluate_strategy_performance", "generate_risk_scenarios", "get_fx_rates",
                          "get_yield_curve", "price_bond", "shock_portfolio", "get_credit_spreads" };
  JsonArray *tools;

  g_assert_cmpuint (sextant_tool_registry_get_n_tools (registry), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (sextant_tool_get_name (sextant_tool_registry_get_tool (registry, i)), ==, names[i]);

  sextant_converse_request_add_user_text (request, "hi");
  sextant_tool_registry_add_to_request (registry, request);
  json = sextant_converse_request_to_json (request);
  tools = json_object_get_array_member (json_object_get_object_member (json_node_get_object (json),
                                                                       "toolConfig"), "tools");
  g_assert_cmpuint (json_array_get_length (tools), ==, G_N_ELEMENTS (names));
  {
    JsonObject *spec = json_object_get_object_member (json_array_get_object_element (tools, 0), "toolSpec");
    JsonObject *schema = json_object_get_object_member (json_object_get_object_member (spec, "inputSchema"), "json");

    g_assert_cmpstr (json_object_get_string_member (spec, "name"), ==, "get_quote");
    g_assert_cmpstr (json_object_get_string_member (schema, "type"), ==, "object");
  }

  result = invoke (registry, "get_weather", "{}", &error);
  g_assert_null (result);
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_UNKNOWN_TOOL);
  g_assert_nonnull (strstr (error->message, "get_quote"));
  g_clear_error (&error);

  result = invoke (registry, "get_quote", "{\"ticker\":\"MSFT\"}", &error);
  g_assert_null (result);
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "get_quote: input: the required member “symbol” is missing");
}

static void
test_quote (void)
{
  g_autoptr(SextantToolRegistry) registry = make_registry ();
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o = invoke_ok (registry, "get_quote", "{\"symbol\":\"msft\"}", &keep);
  gsize n;
  const double *close = demo_closes ("MSFT", &n);

  /* The last two rows of data/demo/dowjones30_1990-2001_closes.csv, read through the workspace. */
  g_assert_cmpstr (json_object_get_string_member (o, "symbol"), ==, "MSFT");
  g_assert_cmpstr (json_object_get_string_member (o, "as_of"), ==, "2001-01-02");
  g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "demo");
  g_assert_nonnull (json_object_get_string_member (o, "note"));
  g_assert_cmpfloat (json_object_get_double_member (o, "price"), ==, close[n - 1]);
  g_assert_cmpfloat (json_object_get_double_member (o, "previous_close"), ==, close[n - 2]);
  sextant_assert_close_rel (json_object_get_double_member (o, "change_percent"),
                            100 * (close[n - 1] / close[n - 2] - 1), 1e-12);
}

static void
test_unknown_symbol (void)
{
  g_autoptr(SextantToolRegistry) registry = make_registry ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = invoke (registry, "get_quote", "{\"symbol\":\"TSLA\"}", &error);

  g_assert_null (result);
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_UNKNOWN_SYMBOL);
  g_assert_nonnull (strstr (error->message, "No price data for TSLA"));
  g_assert_nonnull (strstr (error->message, "MSFT"));
  g_assert_nonnull (strstr (error->message, "IBM"));
  g_assert_nonnull (strstr (error->message, "provider key"));
}

static void
test_history_window (void)
{
  g_autoptr(SextantToolRegistry) registry = make_registry ();
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bad = NULL;
  JsonObject *o = invoke_ok (registry, "get_price_history",
                             "{\"symbol\":\"IBM\",\"start\":\"2000-01-01\",\"end\":\"2000-12-31\",\"max_points\":3}",
                             &keep);
  JsonArray *rows = json_object_get_array_member (o, "rows");
  SextantPriceTable *stocks = sextant_workspace_get_stocks (workspace);
  const gint32 *days = sextant_price_table_get_days (stocks);
  gsize n, count = 0, last = 0;
  const double *close = demo_closes ("IBM", &n);

  for (gsize r = 0; r < n; r++)
    if (days[r] >= sextant_day_from_ymd (2000, 1, 1) && days[r] <= sextant_day_from_ymd (2000, 12, 31))
      {
        count++;
        last = r;
      }
  g_assert_cmpint (json_object_get_int_member (o, "n_rows"), ==, count);
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (rows, 2), 4), ==,
                     close[last]);
  g_assert_true (json_node_is_null (json_array_get_element (json_array_get_array_element (rows, 2), 1)));
  g_assert_cmpstr (json_object_get_string_member (o, "as_of"), ==, "2000-12-29");

  bad = invoke (registry, "get_price_history", "{\"symbol\":\"IBM\",\"start\":\"2000-13-01\"}", &error);
  g_assert_null (bad);
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "input.start"));
}

/* The last row of tests/data/ta/msft_talib.csv, split into its columns. */
static char **
talib_last_row (void)
{
  g_autofree char *path = sextant_test_reference_path ("ta/msft_talib.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (g_strstrip (text), "\n", -1);
  n = g_strv_length (lines);

  return g_strsplit (lines[n - 1], ",", -1);
}

static void
test_indicators_reference (void)
{
  g_autofree char *path = sextant_test_reference_path ("market/msft_2000-09_2001-09_ohlcv.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) msft = sextant_csv_read_price_series (path, "MSFTREF", &error);
  g_autoptr(SextantToolData) data = sextant_tool_data_new (sextant_workspace_get_demo_set (workspace), NULL);
  g_autoptr(SextantToolRegistry) registry = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_auto(GStrv) ref = talib_last_row ();
  JsonObject *o;

  g_assert_no_error (error);
  sextant_tool_data_add_series (data, msft, "csv");
  registry = sextant_tool_registry_new_default (data);
  o = invoke_ok (registry, "compute_indicators",
                 "{\"symbol\":\"MSFTREF\",\"indicators\":[\"rsi\",\"sma\",\"ema\",\"macd\",\"bbands\",\"atr\"]}", &keep);

  /* Columns of msft_talib.csv: date, sma_20, ema_20, rsi_14, macd, macd_signal, macd_hist,
   * bb_upper, bb_middle, bb_lower, atr_14 (TA-Lib 0.4 algorithms, 17 significant digits). */
  g_assert_cmpstr (json_object_get_string_member (o, "as_of"), ==, ref[0]);
  sextant_assert_close_rel (json_object_get_double_member (json_object_get_object_member (o, "sma"), "value"),
                            g_ascii_strtod (ref[1], NULL), 1e-10);
  sextant_assert_close_rel (json_object_get_double_member (json_object_get_object_member (o, "ema"), "value"),
                            g_ascii_strtod (ref[2], NULL), 1e-10);
  sextant_assert_close_rel (json_object_get_double_member (json_object_get_object_member (o, "rsi"), "value"),
                            g_ascii_strtod (ref[3], NULL), 1e-10);
  sextant_assert_close_mixed (json_object_get_double_member (json_object_get_object_member (o, "macd"), "macd"),
                              g_ascii_strtod (ref[4], NULL), 1e-10);
  sextant_assert_close_mixed (json_object_get_double_member (json_object_get_object_member (o, "macd"), "histogram"),
                              g_ascii_strtod (ref[6], NULL), 1e-10);
  sextant_assert_close_rel (json_object_get_double_member (json_object_get_object_member (o, "bbands"), "upper"),
                            g_ascii_strtod (ref[7], NULL), 1e-10);
  sextant_assert_close_rel (json_object_get_double_member (json_object_get_object_member (o, "atr"), "value"),
                            g_ascii_strtod (ref[10], NULL), 1e-10);
  /* RSI 32.99… → 32.47…: between 30 and 70. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "rsi"), "reading"), ==,
                   "neutral (30–70)");
}

static void
test_indicators_demo (void)
{
  g_autoptr(SextantToolRegistry) registry = make_registry ();
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) atr = NULL;
  JsonObject *o = invoke_ok (registry, "compute_indicators",
                             "{\"symbol\":\"INTC\",\"indicators\":[\"rsi\"],\"period\":10}", &keep);
  gsize n;
  const double *close = demo_closes ("INTC", &n);
  g_autofree double *rsi = g_new (double, n);

  g_assert_true (sextant_rsi_compute (close, n, 10, rsi, &error));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (o, "rsi"), "value"), ==,
                     rsi[n - 1]);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "rsi"), "period"), ==, 10);

  /* The Dow demo file has closes only: ATR must say so rather than invent highs and lows. */
  atr = invoke (registry, "compute_indicators", "{\"symbol\":\"INTC\",\"indicators\":[\"atr\"]}", &error);
  g_assert_null (atr);
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "highs and lows"));
}

static double
ref_at (JsonObject *ref,
        const char *member,
        guint       j)
{
  return json_array_get_double_element (json_object_get_array_member (ref, member), j);
}

/* The tool's 10-day KO forecast against R's forecast package on the same closes
 * (tests/data/forecast/ko_ets_reference.json; the demo Dow file is tests/data/market's). The
 * intervals are R's with its σ² = SSE / (n − 6) rescaled to Sextant's SSE / (n − 3), as in
 * test-forecast.c; the hold-out fit sits on the bounds φ = 0.8, β = 0, which Sextant only
 * approaches, hence 1e-5 there. */
static void
test_forecast (void)
{
  g_autoptr(SextantToolRegistry) registry = make_registry ();
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = sextant_test_reference_path ("forecast/ko_ets_reference.json");
  JsonObject *o = invoke_ok (registry, "forecast_prices", "{\"symbol\":\"KO\",\"horizon\":10}",
                             &keep);
  JsonObject *ref;
  gsize n;
  const double *close = demo_closes ("KO", &n);
  double scale, mean, point;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  ref = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (n, ==, json_object_get_int_member (ref, "n_prices"));
  g_assert_cmpint (json_object_get_int_member (ref, "horizon"), ==, 10);
  scale = sqrt (json_object_get_int_member (ref, "sigma2_r_denominator") /
                (json_object_get_int_member (ref, "n_errors") - 3.0));
  mean = ref_at (ref, "log_mean", 9);
  point = json_object_get_double_member (o, "forecast");

  g_assert_cmpfloat (json_object_get_double_member (o, "last_close"), ==, close[n - 1]);
  sextant_assert_close_rel (point, ref_at (ref, "point", 9), 1e-6);
  sextant_assert_close_rel (log (point / json_object_get_double_member (o, "lower95")),
                            (mean - ref_at (ref, "log_lower95", 9)) * scale, 1e-6);
  sextant_assert_close_rel (log (json_object_get_double_member (o, "upper80") / point),
                            (ref_at (ref, "log_upper80", 9) - mean) * scale, 1e-6);
  sextant_assert_close_rel (json_object_get_double_member (o, "holdout_rmse"),
                            json_object_get_double_member (ref, "holdout_rmse"), 1e-5);
  sextant_assert_close_rel (json_object_get_double_member (o, "naive_rmse"),
                            json_object_get_double_member (ref, "naive_rmse"), 1e-12);
  sextant_assert_close_rel (json_object_get_double_member (o, "skill_ratio"),
                            json_object_get_double_member (ref, "skill_ratio"), 1e-5);
  g_assert_cmpstr (json_object_get_string_member (o, "method"), ==, "damped_trend");
}

/* Returns of the demo columns on all their dates (the Dow file has no gaps). */
static SextantReturnMatrix *
demo_returns (const char * const *symbols,
              SextantReturnKind   kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceTable) sel = sextant_price_table_select (sextant_workspace_get_stocks (workspace),
                                                                 symbols, &error);
  SextantReturnMatrix *r;

  g_assert_no_error (error);
  r = sextant_return_matrix_from_prices (sel, kind, &error);
  g_assert_no_error (error);

  return r;
}

static void
test_portfolio_metrics (void)
{
  g_autoptr(SextantToolRegistry) registry = make_registry ();
  g_autoptr(JsonNode) keep = NULL, keep2 = NULL;
  const char *symbols[] = { "MSFT", "IBM", "INTC", NULL };
  const double w[] = { 0.5, 0.3, 0.2 };
  g_autoptr(SextantReturnMatrix) r = demo_returns (symbols, SEXTANT_RETURN_SIMPLE);
  g_autofree double *pr = g_new (double, r->n_obs);
  g_autoptr(GError) error = NULL;
  double var, es, dd_expected;
  SextantDrawdown dd;
  JsonObject *o, *weights;
  double sum = 0;

  o = invoke_ok (registry, "calculate_portfolio_metrics",
                 "{\"symbols\":[\"MSFT\",\"IBM\",\"INTC\"],\"weights\":[0.5,0.3,0.2],\"confidence\":0.99}", &keep);
  g_assert_true (sextant_portfolio_returns (r, w, pr, &error));
  g_assert_true (sextant_var_historical (pr, r->n_obs, 0.99, &var, &es, &error));
  g_assert_true (sextant_max_drawdown (pr, r->n_obs, &dd, &error));
  dd_expected = dd.max_drawdown;
  g_assert_cmpint (json_object_get_int_member (o, "n_returns"), ==, r->n_obs);
  g_assert_cmpfloat (json_object_get_double_member (o, "var_historical_1d"), ==, var);
  g_assert_cmpfloat (json_object_get_double_member (o, "es_historical_1d"), ==, es);
  g_assert_cmpfloat (json_object_get_double_member (o, "max_drawdown"), ==, dd_expected);
  g_assert_cmpstr (json_object_get_string_member (o, "as_of"), ==, "2001-01-02");

  /* The demo portfolio by default: value weights (quantity × last close) that sum to 1. */
  o = invoke_ok (registry, "calculate_portfolio_metrics", "{}", &keep2);
  g_assert_cmpstr (json_object_get_string_member (o, "portfolio"), ==, "Dow Blue Chips (demo)");
  weights = json_object_get_object_member (o, "weights");
  g_assert_cmpuint (json_object_get_size (weights), ==, 10);
  {
    g_autoptr(GList) members = json_object_get_members (weights);

    for (GList *l = members; l; l = l->next)
      sum += json_object_get_double_member (weights, l->data);
  }
  sextant_assert_close_rel (sum, 1.0, 1e-12);
  g_assert_true (json_object_get_double_member (o, "var_historical_1d") > 0);
}

static void
test_optimize (void)
{
  g_autoptr(SextantToolRegistry) registry = make_registry ();
  g_autoptr(JsonNode) keep = NULL, keep2 = NULL;
  const char *symbols[] = { "MSFT", "IBM", "INTC", "KO", NULL };
  g_autoptr(SextantReturnMatrix) r = demo_returns (symbols, SEXTANT_RETURN_SIMPLE);
  g_autofree double *mean = g_new (double, 4), *cov = g_new (double, 16), *w = g_new (double, 4);
  g_autoptr(SextantOptimizer) opt = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *o, *weights;
  double er, vol;

  g_assert_true (sextant_mean_vector (r, mean, &error) && sextant_covariance_sample (r, cov, &error));
  opt = sextant_optimizer_new (mean, cov, 4, symbols, &error);
  g_assert_true (sextant_optimizer_min_variance (opt, w, &error));
  sextant_optimizer_evaluate (opt, w, &er, &vol);

  o = invoke_ok (registry, "optimize_allocation_weights", "{\"symbols\":[\"MSFT\",\"IBM\",\"INTC\",\"KO\"]}", &keep);
  weights = json_object_get_object_member (o, "weights");
  for (guint j = 0; j < 4; j++)
    g_assert_cmpfloat (json_object_get_double_member (weights, symbols[j]), ==, w[j]);
  g_assert_cmpfloat (json_object_get_double_member (o, "volatility_annualised"), ==, vol * sqrt (252));

  /* A 0.3 cap is binding or not, but never exceeded. */
  o = invoke_ok (registry, "optimize_allocation_weights",
                 "{\"symbols\":[\"MSFT\",\"IBM\",\"INTC\",\"KO\"],\"objective\":\"max_sharpe\",\"max_weight\":0.3}", &keep2);
  weights = json_object_get_object_member (o, "weights");
  for (guint j = 0; j < 4; j++)
    g_assert_cmpfloat (json_object_get_double_member (weights, symbols[j]), <=, 0.3 + 1e-9);
}

static void
test_strategy (void)
{
  g_autoptr(SextantToolRegistry) registry = make_registry ();
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GError) error = NULL;
  const char *symbols[] = { "XOM", "GE", NULL };
  const double w[] = { 0.6, 0.4 };
  g_autoptr(SextantReturnMatrix) r = demo_returns (symbols, SEXTANT_RETURN_SIMPLE);
  SextantBacktestResult bt = { 0, };
  JsonObject *o = invoke_ok (registry, "evaluate_strategy_performance",
                             "{\"symbols\":[\"XOM\",\"GE\"],\"weights\":[0.6,0.4],\"rebalance\":\"quarterly\",\"cost_bps\":10}",
                             &keep);

  g_assert_true (sextant_backtest_run (r, w, SEXTANT_REBALANCE_QUARTERLY, 0.05, 10, 252, &bt, &error));
  g_assert_cmpfloat (json_object_get_double_member (o, "cagr"), ==, bt.cagr);
  g_assert_cmpfloat (json_object_get_double_member (o, "max_drawdown"), ==, bt.max_drawdown);
  g_assert_cmpint (json_object_get_int_member (o, "n_rebalances"), ==, bt.n_rebalances);
  g_assert_cmpfloat (json_object_get_double_member (o, "final_wealth"), ==, bt.wealth[bt.n_periods]);
  sextant_backtest_result_clear (&bt);
}

static void
test_scenarios (void)
{
  g_autoptr(SextantToolRegistry) registry = make_registry ();
  g_autoptr(JsonNode) keep = NULL, keep2 = NULL;
  const char *input = "{\"symbols\":[\"MSFT\",\"KO\"],\"weights\":[0.5,0.5],\"horizon_days\":10,"
                      "\"n_paths\":2000,\"seed\":7,\"start\":\"2000-01-01\"}";
  JsonObject *a = invoke_ok (registry, "generate_risk_scenarios", input, &keep);
  JsonObject *b = invoke_ok (registry, "generate_risk_scenarios", input, &keep2);
  double p05 = json_object_get_double_member (a, "return_p05");

  /* Same seed, same paths. */
  g_assert_cmpfloat (json_object_get_double_member (a, "var"), ==, json_object_get_double_member (b, "var"));
  g_assert_cmpint (json_object_get_int_member (a, "n_paths"), ==, 2000);
  /* VaR at 95% is minus the 5th percentile of the same sample (type-7 quantile both ways). */
  sextant_assert_close_rel (json_object_get_double_member (a, "var"), -p05, 1e-12);
  g_assert_cmpfloat (p05, <, json_object_get_double_member (a, "return_median"));
  g_assert_cmpfloat (json_object_get_double_member (a, "return_median"), <,
                     json_object_get_double_member (a, "return_p95"));
  g_assert_cmpfloat (json_object_get_double_member (a, "probability_of_loss"), >, 0.2);
  g_assert_cmpfloat (json_object_get_double_member (a, "probability_of_loss"), <, 0.8);
  g_assert_cmpstr (json_object_get_string_member (a, "data_from"), ==, "2000-01-04");
}

/* Imported bars (the market cache) and saved portfolios (the portfolio store) reach the tools. */
static void
test_cache_and_saved_portfolio (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (path, &error);
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(SextantToolData) data = NULL;
  g_autoptr(SextantToolRegistry) registry = NULL;
  g_autoptr(SextantPriceSeries) acme = sextant_price_series_new ("ACME", 3);
  g_autoptr(SextantPortfolio) mine = sextant_portfolio_new ("Tech book");
  g_autoptr(SextantPortfolio) edited_demo = sextant_portfolio_new ("Dow Blue Chips (demo)");
  g_autoptr(JsonNode) keep = NULL, keep2 = NULL, keep3 = NULL;
  guint n_demo = 0;
  g_auto(GStrv) names = NULL;
  JsonObject *o;

  g_assert_no_error (error);
  cache = sextant_market_cache_new (store);
  portfolios = sextant_portfolio_store_new (store);
  sextant_price_series_set_row (acme, 0, sextant_day_from_ymd (2024, 3, 4), 10, 11, 9, 10.5, 1000);
  sextant_price_series_set_row (acme, 1, sextant_day_from_ymd (2024, 3, 5), 10.5, 12, 10, 11.5, 1200);
  sextant_price_series_set_row (acme, 2, sextant_day_from_ymd (2024, 3, 6), 11.5, 12, 11, 11.0, 900);
  g_assert_true (sextant_market_cache_put_bars (cache, acme, "csv", 1709800000, &error));
  sextant_portfolio_add_holding (mine, "MSFT", 10, NAN, "USD");
  sextant_portfolio_add_holding (mine, "INTC", 30, NAN, "USD");
  g_assert_true (sextant_portfolio_store_save (portfolios, mine, &error));

  data = sextant_tool_data_new (sextant_workspace_get_demo_set (workspace), cache);
  sextant_tool_data_set_portfolio_store (data, portfolios);
  registry = sextant_tool_registry_new_default (data);

  /* 11.0 after 11.5: a change of −0.5, −4.35 % (hand calculation: −0.5 / 11.5). */
  o = invoke_ok (registry, "get_quote", "{\"symbol\":\"acme\"}", &keep);
  g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "csv");
  g_assert_cmpstr (json_object_get_string_member (o, "as_of"), ==, "2024-03-06");
  g_assert_cmpfloat (json_object_get_double_member (o, "price"), ==, 11.0);
  sextant_assert_close_rel (json_object_get_double_member (o, "change_percent"), -100 * 0.5 / 11.5, 1e-12);
  g_assert_false (json_object_has_member (o, "note"));

  o = invoke_ok (registry, "calculate_portfolio_metrics", "{\"portfolio\":\"tech book\"}", &keep2);
  g_assert_cmpstr (json_object_get_string_member (o, "portfolio"), ==, "Tech book");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (o, "weights")), ==, 2);
  names = sextant_tool_data_list_portfolios (data);
  g_assert_true (g_strv_contains ((const char * const *) names, "Tech book"));
  g_assert_true (g_strv_contains ((const char * const *) names, "Dow Blue Chips (demo)"));

  /* The seeded demo portfolio, edited by the user, is the stored one: that is what the tools
   * analyse, not the bundled copy, and its name is listed once. */
  sextant_portfolio_add_holding (edited_demo, "MSFT", 5, NAN, "USD");
  g_assert_true (sextant_portfolio_store_save (portfolios, edited_demo, &error));
  o = invoke_ok (registry, "calculate_portfolio_metrics", "{\"portfolio\":\"Dow Blue Chips (demo)\"}", &keep3);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (o, "weights")), ==, 1);
  g_strfreev (names);
  names = sextant_tool_data_list_portfolios (data);
  for (guint i = 0; names[i] != NULL; i++)
    n_demo += g_str_equal (names[i], "Dow Blue Chips (demo)");
  g_assert_cmpuint (n_demo, ==, 1);

  /* A euro portfolio of dollar stocks with no exchange rates stored: the tools convert (see
   * test-book's /assistant-tool-*), and without rates they say so rather than mix currencies. */
  {
    g_autoptr(SextantPortfolio) euro = sextant_portfolio_new ("Euro book");
    g_autoptr(JsonNode) refused = NULL;

    sextant_portfolio_set_base_currency (euro, "EUR");
    sextant_portfolio_add_holding (euro, "MSFT", 10, NAN, "USD");
    g_assert_true (sextant_portfolio_store_save (portfolios, euro, &error));
    refused = invoke (registry, "calculate_portfolio_metrics", "{\"portfolio\":\"Euro book\"}", &error);
    g_assert_null (refused);
    g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA);
    g_assert_nonnull (strstr (error->message, "converting them to EUR needs the ECB's exchange rates"));
    g_clear_error (&error);
  }
}

static void
invoke_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  JsonNode **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = sextant_tool_registry_invoke_finish (SEXTANT_TOOL_REGISTRY (object), result, &error);
  g_assert_no_error (error);
}

static void
test_invoke_async (void)
{
  g_autoptr(SextantToolRegistry) registry = make_registry ();
  g_autoptr(JsonNode) input = json_from_string ("{\"symbol\":\"^gspc\"}", NULL);
  g_autoptr(JsonNode) result = NULL;

  sextant_tool_registry_invoke_async (registry, "get_quote", input, NULL, invoke_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* data/demo/sp500_2000-2020_ohlcv.csv ends on 2020-04-17. */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result), "as_of"), ==, "2020-04-17");
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  workspace = sextant_test_load_demo_workspace ();

  g_test_add_func ("/sextant/tools/schema-validator", test_schema_validator);
  g_test_add_func ("/sextant/tools/registry", test_registry);
  g_test_add_func ("/sextant/tools/quote", test_quote);
  g_test_add_func ("/sextant/tools/unknown-symbol", test_unknown_symbol);
  g_test_add_func ("/sextant/tools/history-window", test_history_window);
  g_test_add_func ("/sextant/tools/indicators-talib", test_indicators_reference);
  g_test_add_func ("/sextant/tools/indicators-demo", test_indicators_demo);
  g_test_add_func ("/sextant/tools/forecast", test_forecast);
  g_test_add_func ("/sextant/tools/portfolio-metrics", test_portfolio_metrics);
  g_test_add_func ("/sextant/tools/optimize", test_optimize);
  g_test_add_func ("/sextant/tools/strategy", test_strategy);
  g_test_add_func ("/sextant/tools/scenarios", test_scenarios);
  g_test_add_func ("/sextant/tools/invoke-async", test_invoke_async);
  g_test_add_func ("/sextant/tools/cache-and-saved-portfolio", test_cache_and_saved_portfolio);

  status = g_test_run ();
  g_object_unref (workspace);

  return status;
}
