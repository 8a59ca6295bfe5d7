#define G_LOG_DOMAIN "sextant-converse-request"

#include "config.h"

#include <string.h>

#include "bedrock/sextant-converse-request.h"
#include "bedrock/sextant-model-limits.h"

/* The body shared by Converse and ConverseStream (PROTOCOL.md §2). Unset optional fields are
 * left out, so Bedrock applies the model's defaults. */

typedef struct
{
  char     *name;
  char     *description;
  JsonNode *schema;
} Tool;

struct _SextantConverseRequest
{
  gatomicrefcount    ref_count;
  char              *system;
  GPtrArray         *messages;
  GPtrArray         *tools;
  GPtrArray         *stop_sequences;
  int                max_tokens;
  double             temperature;
  double             top_p;
  SextantToolChoice  tool_choice;
  char              *tool_choice_name;
  gboolean           cache_tools;
  gboolean           cache_system;
  int                cache_after_message;  /* index of the message a cachePoint follows, or -1 */
};

G_DEFINE_BOXED_TYPE (SextantConverseRequest, sextant_converse_request,
                     sextant_converse_request_ref, sextant_converse_request_unref)

static void
tool_free (gpointer data)
{
  Tool *tool = data;

  g_free (tool->name);
  g_free (tool->description);
  g_clear_pointer (&tool->schema, json_node_unref);
  g_free (tool);
}

SextantConverseRequest *
sextant_converse_request_new (void)
{
  SextantConverseRequest *self = g_new0 (SextantConverseRequest, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)sextant_converse_message_unref);
  self->tools = g_ptr_array_new_with_free_func (tool_free);
  self->stop_sequences = g_ptr_array_new_with_free_func (g_free);
  self->max_tokens = -1;
  self->temperature = -1;
  self->top_p = -1;
  self->cache_after_message = -1;

  return self;
}

SextantConverseRequest *
sextant_converse_request_ref (SextantConverseRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
sextant_converse_request_unref (SextantConverseRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->system);
  g_ptr_array_unref (self->messages);
  g_ptr_array_unref (self->tools);
  g_ptr_array_unref (self->stop_sequences);
  g_free (self->tool_choice_name);
  g_free (self);
}

void
sextant_converse_request_set_system (SextantConverseRequest *self,
                                     const char             *system)
{
  g_return_if_fail (self != NULL);

  g_free (self->system);
  self->system = system != NULL && *system ? g_strdup (system) : NULL;
}

void
sextant_converse_request_add_message (SextantConverseRequest *self,
                                      SextantConverseMessage *message)
{
  g_return_if_fail (self != NULL && message != NULL);

  g_ptr_array_add (self->messages, sextant_converse_message_ref (message));
}

void
sextant_converse_request_add_user_text (SextantConverseRequest *self,
                                        const char             *text)
{
  g_autoptr(SextantConverseMessage) message = sextant_converse_message_new ("user");

  sextant_converse_message_add_text (message, text);
  sextant_converse_request_add_message (self, message);
}

guint
sextant_converse_request_get_n_messages (SextantConverseRequest *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->messages->len;
}

/**
 * sextant_converse_request_set_max_tokens:
 * @max_tokens: at least 1, or -1 for the model's default
 */
void
sextant_converse_request_set_max_tokens (SextantConverseRequest *self,
                                         int                     max_tokens)
{
  g_return_if_fail (self != NULL);

  self->max_tokens = max_tokens;
}

/**
 * sextant_converse_request_set_temperature:
 * @temperature: 0 … 1, or a negative value for the model's default
 */
void
sextant_converse_request_set_temperature (SextantConverseRequest *self,
                                          double                  temperature)
{
  g_return_if_fail (self != NULL);

  self->temperature = temperature;
}

void
sextant_converse_request_set_top_p (SextantConverseRequest *self,
                                    double                  top_p)
{
  g_return_if_fail (self != NULL);

  self->top_p = top_p;
}

void
sextant_converse_request_add_stop_sequence (SextantConverseRequest *self,
                                            const char             *stop)
{
  g_return_if_fail (self != NULL && stop != NULL);

  g_ptr_array_add (self->stop_sequences, g_strdup (stop));
}

/**
 * sextant_converse_request_add_tool:
 * @name: the tool name, `[a-zA-Z0-9_-]{1,64}`
 * @description: (nullable): what the tool does, for the model
 * @input_schema: (transfer none): the JSON schema of the tool's input
 */
void
sextant_converse_request_add_tool (SextantConverseRequest *self,
                                   const char             *name,
                                   const char             *description,
                                   JsonNode               *input_schema)
{
  Tool *tool;

  g_return_if_fail (self != NULL && name != NULL && input_schema != NULL);

  tool = g_new0 (Tool, 1);
  tool->name = g_strdup (name);
  tool->description = g_strdup (description);
  tool->schema = json_node_copy (input_schema);
  g_ptr_array_add (self->tools, tool);
}

void
sextant_converse_request_set_tool_choice (SextantConverseRequest *self,
                                          SextantToolChoice       choice,
                                          const char             *tool_name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (choice != SEXTANT_TOOL_CHOICE_TOOL || tool_name != NULL);

  self->tool_choice = choice;
  g_free (self->tool_choice_name);
  self->tool_choice_name = g_strdup (tool_name);
}

static void
build_inference_config (SextantConverseRequest *self,
                        JsonBuilder            *b)
{
  if (self->max_tokens < 1 && self->temperature < 0 && self->top_p < 0 && self->stop_sequences->len == 0)
    return;
  json_builder_set_member_name (b, "inferenceConfig");
  json_builder_begin_object (b);
  if (self->max_tokens >= 1)
    {
      json_builder_set_member_name (b, "maxTokens");
      json_builder_add_int_value (b, self->max_tokens);
    }
  if (self->temperature >= 0)
    {
      json_builder_set_member_name (b, "temperature");
      json_builder_add_double_value (b, self->temperature);
    }
  if (self->top_p >= 0)
    {
      json_builder_set_member_name (b, "topP");
      json_builder_add_double_value (b, self->top_p);
    }
  if (self->stop_sequences->len > 0)
    {
      json_builder_set_member_name (b, "stopSequences");
      json_builder_begin_array (b);
      for (guint i = 0; i < self->stop_sequences->len; i++)
        json_builder_add_string_value (b, self->stop_sequences->pdata[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

static void
build_tool_choice (SextantConverseRequest *self,
                   JsonBuilder            *b)
{
  static const char *names[] = { NULL, "auto", "any", "tool" };

  if (self->tool_choice == SEXTANT_TOOL_CHOICE_DEFAULT)
    return;
  json_builder_set_member_name (b, "toolChoice");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, names[self->tool_choice]);
  json_builder_begin_object (b);
  if (self->tool_choice == SEXTANT_TOOL_CHOICE_TOOL)
    {
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, self->tool_choice_name);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_cache_point (JsonBuilder *b)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "cachePoint");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "default");
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
build_tools (SextantConverseRequest *self,
             JsonBuilder            *b)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < self->tools->len; i++)
    {
      Tool *tool = self->tools->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "toolSpec");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, tool->name);
      if (tool->description != NULL)
        {
          json_builder_set_member_name (b, "description");
          json_builder_add_string_value (b, tool->description);
        }
      json_builder_set_member_name (b, "inputSchema");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "json");
      json_builder_add_value (b, json_node_copy (tool->schema));
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  if (self->cache_tools)
    add_cache_point (b);
  json_builder_end_array (b);
}

static void
build_tool_config (SextantConverseRequest *self,
                   JsonBuilder            *b)
{
  if (self->tools->len == 0)
    return;
  json_builder_set_member_name (b, "toolConfig");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tools");
  build_tools (self, b);
  build_tool_choice (self, b);
  json_builder_end_object (b);
}

static JsonNode *
message_json (SextantConverseRequest *self,
              guint                   index)
{
  JsonNode *node = sextant_converse_message_to_json (self->messages->pdata[index]);
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonArray *content = object != NULL ? json_object_get_array_member (object, "content") : NULL;

  if ((int) index == self->cache_after_message && content != NULL)
    {
      JsonObject *point = json_object_new ();
      JsonObject *type = json_object_new ();

      json_object_set_string_member (type, "type", "default");
      json_object_set_object_member (point, "cachePoint", type);
      json_array_add_object_element (content, point);
    }

  return node;
}

/* The estimate the context budget uses too: a JSON byte is about a quarter of a token. */
static gint64
estimate_tokens (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return ((gint64) strlen (text) + 3) / 4;
}

/**
 * sextant_converse_request_add_cache_points:
 * @self: a request, complete but for its cache points
 * @model_id: (nullable): the model it goes to
 *
 * Prompt caching: a `cachePoint` after the tool specs, after the system prompt and, in a long
 * conversation, after the older turns (every message but the newest), each only where the
 * prefix up to it (tools, then system, then messages, the order the model reads them) holds the
 * model's minimum cacheable tokens: a shorter prefix is not cached and the point would be
 * refused or wasted. The older turns get a point only when they alone reach the minimum too,
 * so that the point adds a span worth caching. Models without prompt caching get none; Nova
 * gets none after tools.
 *
 * Returns: how many cache points were placed (0 to 3)
 */
guint
sextant_converse_request_add_cache_points (SextantConverseRequest *self,
                                           const char             *model_id)
{
  gboolean caches_tools = FALSE;
  guint minimum;
  gint64 prefix = 0, older = 0;
  guint placed = 0;

  g_return_val_if_fail (self != NULL, 0);

  self->cache_tools = self->cache_system = FALSE;
  self->cache_after_message = -1;
  minimum = sextant_model_limits_cache_min_tokens (model_id, &caches_tools);
  if (minimum == 0)
    return 0;
  if (self->tools->len > 0)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) tools = NULL;

      build_tools (self, b);
      tools = json_builder_get_root (b);
      prefix += estimate_tokens (tools);
      if (caches_tools && prefix >= minimum)
        self->cache_tools = TRUE, placed++;
    }
  if (self->system != NULL)
    {
      g_autoptr(JsonNode) system = json_node_init_string (json_node_alloc (), self->system);

      prefix += estimate_tokens (system);
      if (prefix >= minimum)
        self->cache_system = TRUE, placed++;
    }
  for (guint i = 0; i + 1 < self->messages->len; i++)
    {
      g_autoptr(JsonNode) message = sextant_converse_message_to_json (self->messages->pdata[i]);

      older += estimate_tokens (message);
    }
  if (self->messages->len >= 2 && older >= minimum && prefix + older >= minimum)
    self->cache_after_message = (int) self->messages->len - 2, placed++;

  return placed;
}

/**
 * sextant_converse_request_get_cache_points:
 * @self: a request
 * @after_tools: (out) (optional): whether a cache point follows the tool specs
 * @after_system: (out) (optional): whether one follows the system prompt
 *
 * Returns: the index of the message a cache point follows, or -1
 */
int
sextant_converse_request_get_cache_points (SextantConverseRequest *self,
                                           gboolean               *after_tools,
                                           gboolean               *after_system)
{
  g_return_val_if_fail (self != NULL, -1);

  if (after_tools != NULL)
    *after_tools = self->cache_tools;
  if (after_system != NULL)
    *after_system = self->cache_system;

  return self->cache_after_message;
}

/**
 * sextant_converse_request_to_json:
 *
 * Returns: (transfer full): the Converse request body
 */
JsonNode *
sextant_converse_request_to_json (SextantConverseRequest *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->messages->len; i++)
    json_builder_add_value (b, message_json (self, i));
  json_builder_end_array (b);
  if (self->system != NULL)
    {
      json_builder_set_member_name (b, "system");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, self->system);
      json_builder_end_object (b);
      if (self->cache_system)
        add_cache_point (b);
      json_builder_end_array (b);
    }
  build_inference_config (self, b);
  build_tool_config (self, b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/**
 * sextant_converse_request_to_bytes:
 *
 * Returns: (transfer full): the compact JSON body, exactly as signed and sent
 */
GBytes *
sextant_converse_request_to_bytes (SextantConverseRequest *self)
{
  g_autoptr(JsonNode) root = sextant_converse_request_to_json (self);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  return g_bytes_new_take (text, len);
}
