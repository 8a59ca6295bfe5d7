#define G_LOG_DOMAIN "sextant-tool"

#include "config.h"

#include "agent/sextant-json-schema.h"
#include "agent/sextant-tool.h"

/* One tool the model may call: what Bedrock sees (name, description, input schema) and the
 * handler that answers it from Sextant's own analytics and market core. */

struct _SextantTool
{
  GObject             parent_instance;
  char               *name;
  char               *description;
  JsonNode           *schema;
  SextantToolHandler  handler;
};

G_DEFINE_FINAL_TYPE (SextantTool, sextant_tool, G_TYPE_OBJECT)

static void
sextant_tool_finalize (GObject *object)
{
  SextantTool *self = (SextantTool *)object;

  g_free (self->name);
  g_free (self->description);
  g_clear_pointer (&self->schema, json_node_unref);

  G_OBJECT_CLASS (sextant_tool_parent_class)->finalize (object);
}

static void
sextant_tool_class_init (SextantToolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_tool_finalize;
}

static void
sextant_tool_init (SextantTool *self)
{
}

/**
 * sextant_tool_new:
 * @name: the tool name the model uses (`[a-zA-Z0-9_-]+`)
 * @description: what it does and when to use it, for the model
 * @schema_json: its input schema, a JSON Schema object as text (programmer input: it must parse)
 * @handler: the function that runs it
 *
 * Returns: (transfer full): a tool
 */
SextantTool *
sextant_tool_new (const char         *name,
                  const char         *description,
                  const char         *schema_json,
                  SextantToolHandler  handler)
{
  g_autoptr(GError) error = NULL;
  SextantTool *self;
  JsonNode *schema;

  g_return_val_if_fail (name != NULL && description != NULL && handler != NULL, NULL);

  schema = json_from_string (schema_json, &error);
  if (schema == NULL || !JSON_NODE_HOLDS_OBJECT (schema))
    g_error ("The schema of tool %s is not a JSON object: %s", name,
             error != NULL ? error->message : "not an object");

  self = g_object_new (SEXTANT_TYPE_TOOL, NULL);
  self->name = g_strdup (name);
  self->description = g_strdup (description);
  self->schema = schema;
  self->handler = handler;

  return self;
}

const char *
sextant_tool_get_name (SextantTool *self)
{
  g_return_val_if_fail (SEXTANT_IS_TOOL (self), NULL);

  return self->name;
}

const char *
sextant_tool_get_description (SextantTool *self)
{
  g_return_val_if_fail (SEXTANT_IS_TOOL (self), NULL);

  return self->description;
}

/**
 * sextant_tool_get_schema:
 *
 * Returns: (transfer none): the input schema sent as `toolSpec.inputSchema.json`
 */
JsonNode *
sextant_tool_get_schema (SextantTool *self)
{
  g_return_val_if_fail (SEXTANT_IS_TOOL (self), NULL);

  return self->schema;
}

/**
 * sextant_tool_validate:
 * @self: a tool
 * @input: the input the model sent
 * @error: %SEXTANT_AGENT_ERROR_INVALID_INPUT naming the member and the problem
 *
 * Returns: %TRUE if @input matches the tool's schema
 */
gboolean
sextant_tool_validate (SextantTool  *self,
                       JsonNode     *input,
                       GError      **error)
{
  g_return_val_if_fail (SEXTANT_IS_TOOL (self), FALSE);

  if (!sextant_json_schema_validate (self->schema, input, error))
    {
      g_prefix_error (error, "%s: ", self->name);
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_tool_invoke:
 * @self: a tool
 * @data: the data source
 * @input: the model's input, validated here first
 * @cancellable: (nullable): a cancellable
 * @error: return location
 *
 * Thread-safe as long as @data is: the agent runs heavy tools on worker threads.
 *
 * Returns: (transfer full): the result, or %NULL
 */
JsonNode *
sextant_tool_invoke (SextantTool      *self,
                     SextantToolData  *data,
                     JsonNode         *input,
                     GCancellable     *cancellable,
                     GError          **error)
{
  JsonNode *result;

  g_return_val_if_fail (SEXTANT_IS_TOOL (self), NULL);
  g_return_val_if_fail (SEXTANT_IS_TOOL_DATA (data), NULL);

  if (!sextant_tool_validate (self, input, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  result = self->handler (data, json_node_get_object (input), cancellable, error);
  g_assert (result != NULL || error == NULL || *error != NULL);

  return result;
}
