#define G_LOG_DOMAIN "sextant-converse-message"

#include "config.h"

#include <string.h>

#include "bedrock/sextant-bedrock-error.h"
#include "bedrock/sextant-converse-message.h"

/* A Converse message: a role and its content blocks (PROTOCOL.md §2). Blocks are indexed like
 * the stream's contentBlockIndex, so a streamed answer fills the same structure as a whole one. */

struct _SextantConverseMessage
{
  gatomicrefcount  ref_count;
  char            *role;
  GPtrArray       *blocks;
};

G_DEFINE_BOXED_TYPE (SextantConverseMessage, sextant_converse_message,
                     sextant_converse_message_ref, sextant_converse_message_unref)

static void
block_free (gpointer data)
{
  SextantContentBlock *block = data;

  if (block == NULL)
    return;
  g_free (block->text);
  g_free (block->tool_use_id);
  g_free (block->name);
  g_clear_pointer (&block->json, json_node_unref);
  g_free (block);
}

SextantConverseMessage *
sextant_converse_message_new (const char *role)
{
  SextantConverseMessage *self = g_new0 (SextantConverseMessage, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->role = g_strdup (role != NULL ? role : "user");
  self->blocks = g_ptr_array_new_with_free_func (block_free);

  return self;
}

SextantConverseMessage *
sextant_converse_message_ref (SextantConverseMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
sextant_converse_message_unref (SextantConverseMessage *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->role);
  g_ptr_array_unref (self->blocks);
  g_free (self);
}

const char *
sextant_converse_message_get_role (SextantConverseMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->role;
}

guint
sextant_converse_message_get_n_blocks (SextantConverseMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->blocks->len;
}

/**
 * sextant_converse_message_get_block:
 *
 * Returns: (nullable) (transfer none): the block at @index; %NULL for a gap a stream left
 */
SextantContentBlock *
sextant_converse_message_get_block (SextantConverseMessage *self,
                                    guint                   index)
{
  g_return_val_if_fail (self != NULL, NULL);

  return index < self->blocks->len ? self->blocks->pdata[index] : NULL;
}

/**
 * sextant_converse_message_ensure_block:
 * @self: a message
 * @index: a contentBlockIndex
 * @type: the type for a new block
 *
 * Streams may open a text block with its first delta, without contentBlockStart (PROTOCOL.md §3).
 *
 * Returns: (transfer none): the block at @index, created if missing
 */
SextantContentBlock *
sextant_converse_message_ensure_block (SextantConverseMessage *self,
                                       guint                   index,
                                       SextantContentType      type)
{
  SextantContentBlock *block;

  g_return_val_if_fail (self != NULL, NULL);

  if (index >= self->blocks->len)
    g_ptr_array_set_size (self->blocks, index + 1);
  block = self->blocks->pdata[index];
  if (block == NULL)
    {
      block = g_new0 (SextantContentBlock, 1);
      block->type = type;
      self->blocks->pdata[index] = block;
    }

  return block;
}

void
sextant_converse_message_add_text (SextantConverseMessage *self,
                                   const char             *text)
{
  SextantContentBlock *block;

  g_return_if_fail (self != NULL && text != NULL);

  block = sextant_converse_message_ensure_block (self, self->blocks->len, SEXTANT_CONTENT_TEXT);
  block->text = g_strdup (text);
}

/**
 * sextant_converse_message_add_tool_use:
 * @input: (transfer none): the tool input object
 */
void
sextant_converse_message_add_tool_use (SextantConverseMessage *self,
                                       const char             *tool_use_id,
                                       const char             *name,
                                       JsonNode               *input)
{
  SextantContentBlock *block;

  g_return_if_fail (self != NULL && tool_use_id != NULL && name != NULL);

  block = sextant_converse_message_ensure_block (self, self->blocks->len, SEXTANT_CONTENT_TOOL_USE);
  block->tool_use_id = g_strdup (tool_use_id);
  block->name = g_strdup (name);
  block->json = input != NULL ? json_node_copy (input) : json_from_string ("{}", NULL);
}

/**
 * sextant_converse_message_add_tool_result:
 * @text: (nullable): a text result
 * @json: (nullable) (transfer none): a JSON result
 */
void
sextant_converse_message_add_tool_result (SextantConverseMessage *self,
                                          const char             *tool_use_id,
                                          const char             *text,
                                          JsonNode               *json,
                                          gboolean                is_error)
{
  SextantContentBlock *block;

  g_return_if_fail (self != NULL && tool_use_id != NULL);

  block = sextant_converse_message_ensure_block (self, self->blocks->len, SEXTANT_CONTENT_TOOL_RESULT);
  block->tool_use_id = g_strdup (tool_use_id);
  block->text = g_strdup (text);
  block->json = json != NULL ? json_node_copy (json) : NULL;
  block->is_error = is_error;
}

/**
 * sextant_converse_message_dup_text:
 *
 * Returns: (transfer full): the text blocks joined, "" when there are none
 */
char *
sextant_converse_message_dup_text (SextantConverseMessage *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      SextantContentBlock *block = self->blocks->pdata[i];

      if (block != NULL && block->type == SEXTANT_CONTENT_TEXT && block->text != NULL)
        g_string_append (out, block->text);
    }

  return g_string_free (out, FALSE);
}

static void
build_tool_result (JsonBuilder         *b,
                   SextantContentBlock *block)
{
  json_builder_set_member_name (b, "toolResult");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "toolUseId");
  json_builder_add_string_value (b, block->tool_use_id);
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  if (block->json != NULL)
    {
      json_builder_set_member_name (b, "json");
      json_builder_add_value (b, json_node_copy (block->json));
    }
  else
    {
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, block->text != NULL ? block->text : "");
    }
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, block->is_error ? "error" : "success");
  json_builder_end_object (b);
}

static void
build_block (JsonBuilder         *b,
             SextantContentBlock *block)
{
  if (block->type == SEXTANT_CONTENT_OTHER && block->json != NULL)
    {
      json_builder_add_value (b, json_node_copy (block->json));
      return;
    }
  json_builder_begin_object (b);
  switch (block->type)
    {
    case SEXTANT_CONTENT_TOOL_USE:
      json_builder_set_member_name (b, "toolUse");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "toolUseId");
      json_builder_add_string_value (b, block->tool_use_id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, block->name);
      json_builder_set_member_name (b, "input");
      json_builder_add_value (b, block->json != NULL ? json_node_copy (block->json) : json_from_string ("{}", NULL));
      json_builder_end_object (b);
      break;
    case SEXTANT_CONTENT_TOOL_RESULT:
      build_tool_result (b, block);
      break;
    case SEXTANT_CONTENT_REASONING:
      json_builder_set_member_name (b, "reasoningContent");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "reasoningText");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, block->text != NULL ? block->text : "");
      json_builder_end_object (b);
      json_builder_end_object (b);
      break;
    default:
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, block->text != NULL ? block->text : "");
      break;
    }
  json_builder_end_object (b);
}

/**
 * sextant_converse_message_to_json:
 *
 * Empty gaps are skipped, and so are empty text blocks, which Bedrock rejects.
 *
 * Returns: (transfer full): `{"role": …, "content": […]}`
 */
JsonNode *
sextant_converse_message_to_json (SextantConverseMessage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, self->role);
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      SextantContentBlock *block = self->blocks->pdata[i];

      if (block == NULL || (block->type == SEXTANT_CONTENT_TEXT && (block->text == NULL || !*block->text)))
        continue;
      build_block (b, block);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
parse_block (SextantConverseMessage *self,
             JsonNode               *node)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonObject *tool_use = get_object (object, "toolUse");
  JsonObject *reasoning = get_object (get_object (object, "reasoningContent"), "reasoningText");
  SextantContentBlock *block;

  if (get_string (object, "text") != NULL)
    sextant_converse_message_add_text (self, get_string (object, "text"));
  else if (tool_use != NULL && get_string (tool_use, "toolUseId") != NULL && get_string (tool_use, "name") != NULL)
    sextant_converse_message_add_tool_use (self, get_string (tool_use, "toolUseId"),
                                           get_string (tool_use, "name"),
                                           json_object_get_member (tool_use, "input"));
  else if (reasoning != NULL && get_string (reasoning, "text") != NULL)
    {
      block = sextant_converse_message_ensure_block (self, self->blocks->len, SEXTANT_CONTENT_REASONING);
      block->text = g_strdup (get_string (reasoning, "text"));
    }
  else
    {
      block = sextant_converse_message_ensure_block (self, self->blocks->len, SEXTANT_CONTENT_OTHER);
      block->json = json_node_copy (node);
    }
}

/**
 * sextant_converse_message_new_from_json:
 * @node: a `{"role", "content"}` object; unknown keys and block kinds are kept or ignored
 * @error: return location for a %SEXTANT_BEDROCK_ERROR_PARSE error
 *
 * Returns: (transfer full) (nullable): the message
 */
SextantConverseMessage *
sextant_converse_message_new_from_json (JsonNode  *node,
                                        GError   **error)
{
  g_autoptr(SextantConverseMessage) self = NULL;
  JsonObject *object;
  JsonNode *content;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                           "Bedrock response: output.message is not an object");
      return NULL;
    }
  object = json_node_get_object (node);
  content = json_object_get_member (object, "content");
  if (content == NULL || !JSON_NODE_HOLDS_ARRAY (content))
    {
      g_set_error_literal (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                           "Bedrock response: output.message.content is not an array");
      return NULL;
    }
  self = sextant_converse_message_new (get_string (object, "role") != NULL ? get_string (object, "role") : "assistant");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (content)); i++)
    parse_block (self, json_array_get_element (json_node_get_array (content), i));

  return g_steal_pointer (&self);
}
