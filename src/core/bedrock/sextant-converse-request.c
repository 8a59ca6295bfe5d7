#define G_LOG_DOMAIN "sextant-converse-request"

#include "config.h"

#include "bedrock/sextant-converse-request.h"

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
build_tool_config (SextantConverseRequest *self,
                   JsonBuilder            *b)
{
  if (self->tools->len == 0)
    return;
  json_builder_set_member_name (b, "toolConfig");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tools");
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
  json_builder_end_array (b);
  build_tool_choice (self, b);
  json_builder_end_object (b);
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
    json_builder_add_value (b, sextant_converse_message_to_json (self->messages->pdata[i]));
  json_builder_end_array (b);
  if (self->system != NULL)
    {
      json_builder_set_member_name (b, "system");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, self->system);
      json_builder_end_object (b);
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
