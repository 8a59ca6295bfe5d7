#define G_LOG_DOMAIN "sextant-tool-registry"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "agent/sextant-agent-error.h"
#include "agent/sextant-tool-registry.h"
#include "agent/sextant-tools-private.h"

/* The tools offered to the model, by name, with the data source they read. */

struct _SextantToolRegistry
{
  GObject          parent_instance;
  SextantToolData *data;
  GPtrArray       *tools;
};

G_DEFINE_FINAL_TYPE (SextantToolRegistry, sextant_tool_registry, G_TYPE_OBJECT)

static void
sextant_tool_registry_finalize (GObject *object)
{
  SextantToolRegistry *self = (SextantToolRegistry *)object;

  g_clear_object (&self->data);
  g_ptr_array_unref (self->tools);

  G_OBJECT_CLASS (sextant_tool_registry_parent_class)->finalize (object);
}

static void
sextant_tool_registry_class_init (SextantToolRegistryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_tool_registry_finalize;
}

static void
sextant_tool_registry_init (SextantToolRegistry *self)
{
  self->tools = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * sextant_tool_registry_new:
 * @data: the data source every tool reads
 *
 * Returns: (transfer full): an empty registry
 */
SextantToolRegistry *
sextant_tool_registry_new (SextantToolData *data)
{
  SextantToolRegistry *self;

  g_return_val_if_fail (SEXTANT_IS_TOOL_DATA (data), NULL);

  self = g_object_new (SEXTANT_TYPE_TOOL_REGISTRY, NULL);
  self->data = g_object_ref (data);

  return self;
}

/**
 * sextant_tool_registry_new_default:
 * @data: the data source every tool reads
 *
 * Returns: (transfer full): a registry with Sextant's eight tools: `get_quote`,
 *   `get_price_history`, `compute_indicators`, `forecast_prices`, `calculate_portfolio_metrics`,
 *   `optimize_allocation_weights`, `evaluate_strategy_performance`, `generate_risk_scenarios`,
 *   the desks' `get_fx_rates`, `get_yield_curve`, `price_bond`, `shock_portfolio` and
 *   `get_credit_spreads`, and `search_knowledge_base` when @data has a knowledge base (sextant_tool_data_set_knowledge())
 */
SextantToolRegistry *
sextant_tool_registry_new_default (SextantToolData *data)
{
  SextantToolRegistry *self = sextant_tool_registry_new (data);
  g_autoptr(SextantKbSearcher) knowledge = sextant_tool_data_dup_knowledge (data);

  _sextant_tools_register_market (self);
  _sextant_tools_register_portfolio (self);
  _sextant_tools_register_rates (self);
  if (knowledge != NULL)
    _sextant_tools_register_knowledge (self);

  return self;
}

/**
 * sextant_tool_registry_get_data:
 *
 * Returns: (transfer none): the data source
 */
SextantToolData *
sextant_tool_registry_get_data (SextantToolRegistry *self)
{
  g_return_val_if_fail (SEXTANT_IS_TOOL_REGISTRY (self), NULL);

  return self->data;
}

/**
 * sextant_tool_registry_add:
 * @self: a registry
 * @tool: a tool whose name is not registered yet
 */
void
sextant_tool_registry_add (SextantToolRegistry *self,
                           SextantTool         *tool)
{
  g_return_if_fail (SEXTANT_IS_TOOL_REGISTRY (self));
  g_return_if_fail (SEXTANT_IS_TOOL (tool));
  g_return_if_fail (sextant_tool_registry_lookup (self, sextant_tool_get_name (tool)) == NULL);

  g_ptr_array_add (self->tools, g_object_ref (tool));
}

guint
sextant_tool_registry_get_n_tools (SextantToolRegistry *self)
{
  g_return_val_if_fail (SEXTANT_IS_TOOL_REGISTRY (self), 0);

  return self->tools->len;
}

/**
 * sextant_tool_registry_get_tool:
 *
 * Returns: (transfer none): the tool at @index, in registration order
 */
SextantTool *
sextant_tool_registry_get_tool (SextantToolRegistry *self,
                                guint                index)
{
  g_return_val_if_fail (SEXTANT_IS_TOOL_REGISTRY (self), NULL);
  g_return_val_if_fail (index < self->tools->len, NULL);

  return self->tools->pdata[index];
}

/**
 * sextant_tool_registry_lookup:
 *
 * Returns: (transfer none) (nullable): the tool called @name
 */
SextantTool *
sextant_tool_registry_lookup (SextantToolRegistry *self,
                              const char          *name)
{
  g_return_val_if_fail (SEXTANT_IS_TOOL_REGISTRY (self), NULL);

  for (guint i = 0; i < self->tools->len; i++)
    if (g_strcmp0 (sextant_tool_get_name (self->tools->pdata[i]), name) == 0)
      return self->tools->pdata[i];

  return NULL;
}

/**
 * sextant_tool_registry_add_to_request:
 * @self: a registry
 * @request: a Converse request
 *
 * Adds every tool's `toolSpec` to @request's tool configuration.
 */
void
sextant_tool_registry_add_to_request (SextantToolRegistry    *self,
                                      SextantConverseRequest *request)
{
  g_return_if_fail (SEXTANT_IS_TOOL_REGISTRY (self));

  for (guint i = 0; i < self->tools->len; i++)
    {
      SextantTool *tool = self->tools->pdata[i];

      sextant_converse_request_add_tool (request, sextant_tool_get_name (tool),
                                         sextant_tool_get_description (tool),
                                         sextant_tool_get_schema (tool));
    }
}

/**
 * sextant_tool_registry_invoke:
 * @self: a registry
 * @name: the tool the model asked for
 * @input: its input
 * @cancellable: (nullable): a cancellable
 * @error: %SEXTANT_AGENT_ERROR_UNKNOWN_TOOL, %SEXTANT_AGENT_ERROR_INVALID_INPUT or the tool's error
 *
 * Runs the tool on the calling thread.
 *
 * Returns: (transfer full): the tool's JSON result, or %NULL
 */
JsonNode *
sextant_tool_registry_invoke (SextantToolRegistry  *self,
                              const char           *name,
                              JsonNode             *input,
                              GCancellable         *cancellable,
                              GError              **error)
{
  SextantTool *tool;

  g_return_val_if_fail (SEXTANT_IS_TOOL_REGISTRY (self), NULL);

  if ((tool = sextant_tool_registry_lookup (self, name)) == NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < self->tools->len; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                                sextant_tool_get_name (self->tools->pdata[i]));
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_UNKNOWN_TOOL,
                   _("There is no tool called “%s”; the tools are %s"), name, names->str);
      return NULL;
    }

  return sextant_tool_invoke (tool, self->data, input, cancellable, error);
}

typedef struct
{
  char     *name;
  JsonNode *input;
} InvokeData;

static void
invoke_data_free (gpointer data)
{
  InvokeData *d = data;

  g_free (d->name);
  g_clear_pointer (&d->input, json_node_unref);
  g_free (d);
}

static void
invoke_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  InvokeData *d = task_data;
  GError *error = NULL;
  JsonNode *result = sextant_tool_registry_invoke (source_object, d->name, d->input, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) json_node_unref);
}

/**
 * sextant_tool_registry_invoke_async:
 * @self: a registry
 * @name: the tool
 * @input: its input (a copy is kept)
 * @cancellable: (nullable): a cancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Runs the tool on a worker thread, so that a Monte Carlo run never blocks the main loop.
 */
void
sextant_tool_registry_invoke_async (SextantToolRegistry *self,
                                    const char          *name,
                                    JsonNode            *input,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  InvokeData *d = g_new0 (InvokeData, 1);

  g_return_if_fail (SEXTANT_IS_TOOL_REGISTRY (self));

  d->name = g_strdup (name);
  d->input = input != NULL ? json_node_copy (input) : NULL;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_tool_registry_invoke_async);
  g_task_set_task_data (task, d, invoke_data_free);
  g_task_run_in_thread (task, invoke_thread);
}

/**
 * sextant_tool_registry_invoke_finish:
 *
 * Returns: (transfer full): the tool's result, or %NULL
 */
JsonNode *
sextant_tool_registry_invoke_finish (SextantToolRegistry  *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
