#define G_LOG_DOMAIN "sextant-portfolio-run-saved"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "sextant-portfolio-run-private.h"

/*
 * Optimization results as the portfolio store keeps them (kind, parameters, inputs, result as
 * JSON text) and back. What is stored is what the window shows and what a re-run needs:
 *
 *   kind        optimize.min-variance | max-sharpe | risk-parity | target-return | target-volatility
 *   parameters  {"objective", "target", "first_day", "last_day"}          (days as ISO dates)
 *   inputs      {"name", "value", "currency", "valued_at", "holdings": [{"symbol", "quantity",
 *                "min_weight", "max_weight", "current_weight"}]}
 *   result      {"reference", "n_returns", "weights", "mean", "covariance", "frontier_return",
 *                "frontier_volatility", "expected_return", "volatility", "sharpe",
 *                "current_return", "current_volatility", "current_sharpe"}
 *
 * Numbers that are not finite are stored as null. The daily returns are not stored: a reopened
 * result recomputes them from the prices of its data range, for its backtest and report.
 */

static const char *objective_ids[] = {
  "min-variance", "max-sharpe", "risk-parity", "target-return", "target-volatility",
};

static void
add_day (JsonBuilder *builder,
         const char  *name,
         gint32       day)
{
  g_autofree char *text = sextant_day_format_iso (day);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
add_numbers (JsonBuilder  *builder,
             const char   *name,
             const double *values,
             gsize         n)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      json_builder_add_double_value (builder, values[i]);
    else
      json_builder_add_null_value (builder);
  json_builder_end_array (builder);
}

static char *
builder_to_text (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static char *
parameters_to_json (const SextantOptimizationRequest *q)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "objective");
  json_builder_add_string_value (builder, objective_ids[q->objective]);
  sextant_json_add_double (builder, "target", q->target);
  add_day (builder, "first_day", q->first_day);
  add_day (builder, "last_day", q->last_day);
  json_builder_end_object (builder);

  return builder_to_text (builder);
}

static char *
inputs_to_json (const SextantOptimizationRequest *q)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, q->name != NULL ? q->name : "");
  sextant_json_add_double (builder, "value", q->value);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, q->currency != NULL ? q->currency : "USD");
  add_day (builder, "valued_at", q->valued_at);
  json_builder_set_member_name (builder, "holdings");
  json_builder_begin_array (builder);
  for (gsize j = 0; j < q->k; j++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "symbol");
      json_builder_add_string_value (builder, q->symbols[j]);
      sextant_json_add_double (builder, "quantity", q->quantities[j]);
      sextant_json_add_double (builder, "min_weight", q->lower[j]);
      sextant_json_add_double (builder, "max_weight", q->upper[j]);
      sextant_json_add_double (builder, "current_weight", q->current[j]);
      sextant_json_add_double (builder, "close", q->closes[j]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return builder_to_text (builder);
}

static char *
result_to_json (SextantOptimizationResult *r)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, r->reference);
  json_builder_set_member_name (builder, "n_returns");
  json_builder_add_int_value (builder, r->returns->n_obs);
  add_numbers (builder, "weights", r->weights, r->k);
  add_numbers (builder, "mean", r->mean, r->k);
  add_numbers (builder, "covariance", r->covariance, r->k * r->k);
  add_numbers (builder, "frontier_return", r->frontier_return, r->n_frontier);
  add_numbers (builder, "frontier_volatility", r->frontier_volatility, r->n_frontier);
  sextant_json_add_double (builder, "expected_return", r->expected_return);
  sextant_json_add_double (builder, "volatility", r->volatility);
  sextant_json_add_double (builder, "sharpe", r->sharpe);
  sextant_json_add_double (builder, "current_return", r->current_return);
  sextant_json_add_double (builder, "current_volatility", r->current_volatility);
  sextant_json_add_double (builder, "current_sharpe", r->current_sharpe);
  json_builder_end_object (builder);

  return builder_to_text (builder);
}

/**
 * sextant_optimization_result_serialize:
 * @self: a result with its request
 * @kind: (out) (transfer full): the job kind, `optimize.` and the objective
 * @parameters: (out) (transfer full): the objective, target and data range, JSON
 * @inputs: (out) (transfer full): the holdings, JSON
 * @result: (out) (transfer full): the weights, moments, frontier and metrics, JSON
 *
 * What sextant_portfolio_store_save_result() takes, to reopen with
 * sextant_optimization_result_new_from_saved().
 */
void
sextant_optimization_result_serialize (SextantOptimizationResult  *self,
                                       char                      **kind,
                                       char                      **parameters,
                                       char                      **inputs,
                                       char                      **result)
{
  g_return_if_fail (self != NULL && self->request != NULL);

  *kind = g_strconcat ("optimize.", objective_ids[self->request->objective], NULL);
  *parameters = parameters_to_json (self->request);
  *inputs = inputs_to_json (self->request);
  *result = result_to_json (self);
}

/* Reading ------------------------------------------------------------------------------------ */

static JsonObject *
parse_object (const char  *text,
              const char  *what,
              JsonParser  *parser,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                   /* Translators: which part of a saved result ("inputs"), then why it is unreadable */
                   _("The saved result's %s are unreadable: %s"), what,
                   local_error != NULL ? local_error->message : _("not a JSON object"));
      return NULL;
    }

  return json_node_get_object (json_parser_get_root (parser));
}

static double
get_number (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : NAN;
}

static gboolean
get_day (JsonObject  *object,
         const char  *name,
         gint32      *day,
         GError     **error)
{
  const char *text = json_object_get_string_member_with_default (object, name, "");

  if (sextant_day_parse_iso (text, day))
    return TRUE;
  g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
               _("The saved result's %s “%s” is not a date"), name, text);

  return FALSE;
}

/* @n numbers from an array member, or NULL (and an error) when it has another length. */
static double *
get_numbers (JsonObject  *object,
             const char  *name,
             gsize        n,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  g_autofree double *values = NULL;

  if (array == NULL || json_array_get_length (array) != n)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                   _("The saved result has no %zu numbers of %s"), n, name);
      return NULL;
    }
  values = g_new (double, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      values[i] = JSON_NODE_HOLDS_VALUE (element) ? json_node_get_double (element) : NAN;
    }

  return g_steal_pointer (&values);
}

static gboolean
read_parameters (SextantOptimizationRequest  *q,
                 JsonObject                  *parameters,
                 GError                     **error)
{
  const char *objective = json_object_get_string_member_with_default (parameters, "objective", "");

  for (guint i = 0; i < G_N_ELEMENTS (objective_ids); i++)
    if (g_str_equal (objective, objective_ids[i]))
      {
        q->objective = i;
        q->target = get_number (parameters, "target");
        return get_day (parameters, "first_day", &q->first_day, error) &&
               get_day (parameters, "last_day", &q->last_day, error);
      }
  g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
               _("The saved result's objective “%s” is unknown"), objective);

  return FALSE;
}

static gboolean
read_holding (SextantOptimizationRequest  *q,
              gsize                        j,
              JsonNode                    *node,
              GError                     **error)
{
  JsonObject *holding = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *symbol = "";

  if (holding != NULL)
    symbol = json_object_get_string_member_with_default (holding, "symbol", "");

  if (symbol[0] == '\0')
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                   _("Holding %zu of the saved result has no symbol"), j + 1);
      return FALSE;
    }
  q->symbols[j] = g_strdup (symbol);
  q->quantities[j] = get_number (holding, "quantity");
  q->lower[j] = get_number (holding, "min_weight");
  q->upper[j] = get_number (holding, "max_weight");
  q->current[j] = get_number (holding, "current_weight");
  q->closes[j] = get_number (holding, "close");

  return TRUE;
}

/**
 * sextant_optimization_request_new_from_saved:
 * @saved: a saved optimization
 * @error: %SEXTANT_STORE_ERROR_CORRUPT naming what is unreadable
 *
 * Returns: (transfer full) (nullable): the inputs the result was computed from
 */
SextantOptimizationRequest *
sextant_optimization_request_new_from_saved (const SextantSavedResult  *saved,
                                             GError                   **error)
{
  g_autoptr(JsonParser) parameters_parser = json_parser_new ();
  g_autoptr(JsonParser) inputs_parser = json_parser_new ();
  g_autoptr(SextantOptimizationRequest) q = NULL;
  JsonObject *parameters, *inputs;
  JsonArray *holdings;

  g_return_val_if_fail (saved != NULL, NULL);

  if ((parameters = parse_object (saved->parameters, _("parameters"), parameters_parser, error)) == NULL ||
      (inputs = parse_object (saved->inputs, _("inputs"), inputs_parser, error)) == NULL)
    return NULL;
  holdings = json_object_has_member (inputs, "holdings") &&
             JSON_NODE_HOLDS_ARRAY (json_object_get_member (inputs, "holdings"))
               ? json_object_get_array_member (inputs, "holdings") : NULL;
  if (holdings == NULL || json_array_get_length (holdings) == 0)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                   _("The saved result has no holdings"));
      return NULL;
    }
  q = sextant_optimization_request_new (json_array_get_length (holdings));
  q->name = g_strdup (json_object_get_string_member_with_default (inputs, "name", ""));
  q->value = get_number (inputs, "value");
  /* Results saved before portfolios had a base currency were in dollars. */
  g_free (q->currency);
  q->currency = g_strdup (json_object_get_string_member_with_default (inputs, "currency", "USD"));
  if (!read_parameters (q, parameters, error) || !get_day (inputs, "valued_at", &q->valued_at, error))
    return NULL;
  for (gsize j = 0; j < q->k; j++)
    if (!read_holding (q, j, json_array_get_element (holdings, j), error))
      return NULL;
  /* Results saved before the closes were kept: a close is the value held over the shares. */
  for (gsize j = 0; j < q->k; j++)
    if (!isfinite (q->closes[j]) && q->quantities[j] > 0)
      q->closes[j] = q->current[j] * q->value / q->quantities[j];

  return g_steal_pointer (&q);
}

static gboolean
read_result (SextantOptimizationResult  *r,
             JsonObject                 *object,
             GError                    **error)
{
  JsonNode *frontier = json_object_get_member (object, "frontier_return");

  r->n_frontier = frontier != NULL && JSON_NODE_HOLDS_ARRAY (frontier)
                    ? json_array_get_length (json_node_get_array (frontier)) : 0;
  if ((r->weights = get_numbers (object, "weights", r->k, error)) == NULL ||
      (r->mean = get_numbers (object, "mean", r->k, error)) == NULL ||
      (r->covariance = get_numbers (object, "covariance", r->k * r->k, error)) == NULL ||
      (r->frontier_return = get_numbers (object, "frontier_return", r->n_frontier, error)) == NULL ||
      (r->frontier_volatility = get_numbers (object, "frontier_volatility", r->n_frontier, error)) == NULL)
    return FALSE;
  r->expected_return = get_number (object, "expected_return");
  r->volatility = get_number (object, "volatility");
  r->sharpe = get_number (object, "sharpe");
  r->current_return = get_number (object, "current_return");
  r->current_volatility = get_number (object, "current_volatility");
  r->current_sharpe = get_number (object, "current_sharpe");
  r->reference = g_strdup (json_object_get_string_member_with_default (object, "reference", ""));
  if (r->reference[0] == '\0')
    {
      /* A result without one still gets a reference, new, for its report and questions. */
      g_free (r->reference);
      r->reference = sextant_optimization_reference_new ();
    }

  return TRUE;
}

/**
 * sextant_optimization_result_new_from_saved:
 * @saved: a saved optimization
 * @prices: the closes to recompute the daily returns of its data range from
 * @error: %SEXTANT_STORE_ERROR_CORRUPT, or an analytics error when the prices no longer cover
 *   its holdings
 *
 * The result as it was computed: stored weights, moments, frontier and metrics, with its
 * reference, so that the conversations about it and their summary still belong to it.
 *
 * Returns: (transfer full) (nullable): the result
 */
SextantOptimizationResult *
sextant_optimization_result_new_from_saved (const SextantSavedResult  *saved,
                                            SextantPriceTable         *prices,
                                            GError                   **error)
{
  g_autoptr(SextantOptimizationResult) r = g_atomic_rc_box_new0 (SextantOptimizationResult);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_return_val_if_fail (saved != NULL && prices != NULL, NULL);

  if ((r->request = sextant_optimization_request_new_from_saved (saved, error)) == NULL ||
      (object = parse_object (saved->result, _("results"), parser, error)) == NULL)
    return NULL;
  r->k = r->request->k;
  r->symbols = g_strdupv (r->request->symbols);
  r->current = g_memdup2 (r->request->current, sizeof (double) * r->k);
  if (!read_result (r, object, error))
    return NULL;
  r->returns = sextant_portfolio_run_returns (prices, (const char * const *) r->symbols,
                                              r->request->first_day, r->request->last_day, error);
  if (r->returns == NULL)
    return NULL;
  _sextant_optimization_result_fill_chart (r);

  return g_steal_pointer (&r);
}
