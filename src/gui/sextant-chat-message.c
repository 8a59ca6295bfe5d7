#define G_LOG_DOMAIN "sextant-chat-message"

#include "config.h"

#include <string.h>

#include "sextant-chat-message.h"

/* One item of the chat's message list. A message renders its Markdown once and keeps the
 * blocks, so scrolling back through a long chat binds rows to ready blocks; only a streaming
 * message renders again, when its text grows. */

struct _SextantChatMessage
{
  GObject                  parent_instance;
  gint64                   id;
  char                    *role;
  GString                 *text;
  GPtrArray               *blocks;
  GPtrArray               *tool_calls;
  SextantChatMessageState  state;
  gboolean                 offline;
  gint64                   input_tokens;
  gint64                   output_tokens;
  char                    *region;
  gint64                   cache_read_tokens;
  gint64                   cache_write_tokens;
};

enum { PROP_0, PROP_TEXT, PROP_STATE, PROP_OFFLINE, PROP_OUTPUT_TOKENS, N_PROPS };
static GParamSpec *properties [N_PROPS];

enum { TOOL_CALLS_CHANGED, N_SIGNALS };
static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (SextantChatMessage, sextant_chat_message, G_TYPE_OBJECT)

static void
tool_call_free (SextantChatToolCall *call)
{
  g_free (call->id);
  g_free (call->name);
  g_clear_pointer (&call->input, json_node_unref);
  g_clear_pointer (&call->result, json_node_unref);
  g_free (call);
}

static void
sextant_chat_message_finalize (GObject *object)
{
  SextantChatMessage *self = (SextantChatMessage *)object;

  g_free (self->role);
  g_free (self->region);
  g_string_free (self->text, TRUE);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_ptr_array_unref (self->tool_calls);

  G_OBJECT_CLASS (sextant_chat_message_parent_class)->finalize (object);
}

static void
sextant_chat_message_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SextantChatMessage *self = SEXTANT_CHAT_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_TEXT: g_value_set_string (value, self->text->str); break;
    case PROP_STATE: g_value_set_int (value, self->state); break;
    case PROP_OFFLINE: g_value_set_boolean (value, self->offline); break;
    case PROP_OUTPUT_TOKENS: g_value_set_int64 (value, self->output_tokens); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_chat_message_class_init (SextantChatMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sextant_chat_message_finalize;
  object_class->get_property = sextant_chat_message_get_property;

  properties [PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, SEXTANT_CHAT_MESSAGE_FAILED, 0,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_OUTPUT_TOKENS] =
    g_param_spec_int64 ("output-tokens", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SextantChatMessage::tool-calls-changed:
   *
   * A tool call was added, or one finished.
   */
  signals [TOOL_CALLS_CHANGED] =
    g_signal_new ("tool-calls-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sextant_chat_message_init (SextantChatMessage *self)
{
  self->text = g_string_new (NULL);
  self->tool_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) tool_call_free);
}

/**
 * sextant_chat_message_new:
 * @role: `user` or `assistant`
 *
 * Returns: (transfer full): an empty message
 */
SextantChatMessage *
sextant_chat_message_new (const char *role)
{
  SextantChatMessage *self;

  g_return_val_if_fail (role != NULL, NULL);

  self = g_object_new (SEXTANT_TYPE_CHAT_MESSAGE, NULL);
  self->role = g_strdup (role);

  return self;
}

/* Stored content is a JSON array of Converse blocks; the tool blocks are read from it directly. */
static guint
n_blocks (const SextantStoredMessage *stored)
{
  return stored->content != NULL && JSON_NODE_HOLDS_ARRAY (stored->content)
         ? json_array_get_length (json_node_get_array (stored->content)) : 0;
}

static JsonObject *
block_member (const SextantStoredMessage *stored,
              guint                       index,
              const char                 *member)
{
  JsonNode *block = json_array_get_element (json_node_get_array (stored->content), index);
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (block))
    return NULL;
  value = json_object_get_member (json_node_get_object (block), member);

  return value != NULL && JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value) : NULL;
}

static SextantChatMessageState
state_from_stored (SextantMessageState state)
{
  switch (state)
    {
    case SEXTANT_MESSAGE_INTERRUPTED: return SEXTANT_CHAT_MESSAGE_INTERRUPTED;
    case SEXTANT_MESSAGE_FAILED: return SEXTANT_CHAT_MESSAGE_FAILED;
    case SEXTANT_MESSAGE_COMPLETE:
    default: return SEXTANT_CHAT_MESSAGE_COMPLETE;
    }
}

/**
 * sextant_chat_message_new_from_stored:
 * @stored: a message of the #SextantConversationStore
 *
 * Returns: (transfer full): the message with its text and its tool calls (without results:
 *   those arrive with the next stored message, see sextant_chat_message_set_tool_result())
 */
SextantChatMessage *
sextant_chat_message_new_from_stored (const SextantStoredMessage *stored)
{
  SextantChatMessage *self;

  g_return_val_if_fail (stored != NULL, NULL);

  self = sextant_chat_message_new (stored->role);
  self->id = stored->id;
  g_string_assign (self->text, stored->text != NULL ? stored->text : "");
  self->state = state_from_stored (stored->state);
  self->input_tokens = stored->input_tokens;
  self->output_tokens = stored->output_tokens;
  /* The offline analyst labels its answers in their first line; the store keeps no flag. */
  self->offline = g_str_has_prefix (self->text->str, "> **" SEXTANT_OFFLINE_LABEL);
  for (guint i = 0; i < n_blocks (stored); i++)
    {
      JsonObject *use = block_member (stored, i, "toolUse");

      if (use != NULL)
        sextant_chat_message_add_tool_call (self, json_object_get_string_member_with_default (use, "toolUseId", NULL),
                                            json_object_get_string_member_with_default (use, "name", NULL),
                                            json_object_get_member (use, "input"));
    }

  return self;
}

/**
 * sextant_chat_message_has_only_tool_results:
 * @stored: a stored message
 *
 * The user turns that carry tool results are shown on the cards of the answer that asked for
 * them, not as messages of their own.
 *
 * Returns: whether @stored holds tool results and nothing else
 */
gboolean
sextant_chat_message_has_only_tool_results (const SextantStoredMessage *stored)
{
  guint n;

  g_return_val_if_fail (stored != NULL, FALSE);

  if (g_strcmp0 (stored->role, "user") != 0)
    return FALSE;
  n = n_blocks (stored);
  for (guint i = 0; i < n; i++)
    if (block_member (stored, i, "toolResult") == NULL)
      return FALSE;

  return n > 0;
}

/**
 * sextant_chat_message_add_stored_results:
 * @self: the answer that asked for the tools
 * @stored: the stored user turn with their results
 *
 * Puts each `toolResult` of @stored on the card of its call: its JSON content, or its text.
 */
void
sextant_chat_message_add_stored_results (SextantChatMessage         *self,
                                         const SextantStoredMessage *stored)
{
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));
  g_return_if_fail (stored != NULL);

  for (guint i = 0; i < n_blocks (stored); i++)
    {
      JsonObject *result = block_member (stored, i, "toolResult");
      JsonArray *content = result != NULL ? json_object_get_array_member (result, "content") : NULL;
      JsonObject *first = content != NULL && json_array_get_length (content) > 0
                          ? json_array_get_object_element (content, 0) : NULL;
      g_autoptr(JsonNode) text = NULL;
      JsonNode *value = NULL;

      if (first == NULL)
        continue;
      if (json_object_has_member (first, "json"))
        value = json_object_get_member (first, "json");
      else
        {
          text = json_node_new (JSON_NODE_VALUE);
          json_node_set_string (text, json_object_get_string_member_with_default (first, "text", ""));
          value = text;
        }
      sextant_chat_message_set_tool_result (self, json_object_get_string_member_with_default (result, "toolUseId", NULL),
                                            value, g_strcmp0 (json_object_get_string_member_with_default (result, "status", NULL),
                                                              "error") == 0);
    }
}

gint64
sextant_chat_message_get_id (SextantChatMessage *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (self), 0);

  return self->id;
}

void
sextant_chat_message_set_id (SextantChatMessage *self,
                             gint64              id)
{
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));

  self->id = id;
}

const char *
sextant_chat_message_get_role (SextantChatMessage *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (self), NULL);

  return self->role;
}

gboolean
sextant_chat_message_is_user (SextantChatMessage *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (self), FALSE);

  return g_str_equal (self->role, "user");
}

const char *
sextant_chat_message_get_text (SextantChatMessage *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (self), NULL);

  return self->text->str;
}

static void
text_changed (SextantChatMessage *self)
{
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEXT]);
}

void
sextant_chat_message_set_text (SextantChatMessage *self,
                               const char         *text)
{
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));

  if (g_strcmp0 (self->text->str, text) == 0)
    return;
  g_string_assign (self->text, text != NULL ? text : "");
  text_changed (self);
}

void
sextant_chat_message_append_text (SextantChatMessage *self,
                                  const char         *delta)
{
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));

  if (delta == NULL || delta[0] == '\0')
    return;
  g_string_append (self->text, delta);
  text_changed (self);
}

/**
 * sextant_chat_message_get_blocks:
 * @self: a message
 *
 * Renders the Markdown on first use after a change.
 *
 * Returns: (transfer none) (element-type SextantMarkdownBlock): the blocks
 */
GPtrArray *
sextant_chat_message_get_blocks (SextantChatMessage *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (self), NULL);

  if (self->blocks == NULL)
    self->blocks = sextant_markdown_render (self->text->str, self->text->len);

  return self->blocks;
}

SextantChatMessageState
sextant_chat_message_get_state (SextantChatMessage *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (self), 0);

  return self->state;
}

void
sextant_chat_message_set_state (SextantChatMessage      *self,
                                SextantChatMessageState  state)
{
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
}

gboolean
sextant_chat_message_get_offline (SextantChatMessage *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (self), FALSE);

  return self->offline;
}

void
sextant_chat_message_set_offline (SextantChatMessage *self,
                                  gboolean            offline)
{
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));

  if (self->offline == !!offline)
    return;
  self->offline = !!offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_OFFLINE]);
}

void
sextant_chat_message_get_tokens (SextantChatMessage *self,
                                 gint64             *input_tokens,
                                 gint64             *output_tokens)
{
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));

  if (input_tokens != NULL)
    *input_tokens = self->input_tokens;
  if (output_tokens != NULL)
    *output_tokens = self->output_tokens;
}

void
sextant_chat_message_set_tokens (SextantChatMessage *self,
                                 gint64              input_tokens,
                                 gint64              output_tokens)
{
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));

  self->input_tokens = input_tokens;
  self->output_tokens = output_tokens;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_OUTPUT_TOKENS]);
}

/**
 * sextant_chat_message_set_region:
 * @region: (nullable): the AWS region that answered
 *
 * Shown beside the tokens, which notify: set it before sextant_chat_message_set_tokens().
 */
void
sextant_chat_message_set_region (SextantChatMessage *self,
                                 const char         *region)
{
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));

  g_free (self->region);
  self->region = g_strdup (region);
}

/**
 * sextant_chat_message_set_cache_tokens:
 *
 * The prompt cache's share of the answer's input: shown and priced apart. Set it before
 * sextant_chat_message_set_tokens(), which notifies.
 */
void
sextant_chat_message_set_cache_tokens (SextantChatMessage *self,
                                       gint64              cache_read_tokens,
                                       gint64              cache_write_tokens)
{
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));

  self->cache_read_tokens = cache_read_tokens;
  self->cache_write_tokens = cache_write_tokens;
}

void
sextant_chat_message_get_cache_tokens (SextantChatMessage *self,
                                       gint64             *cache_read_tokens,
                                       gint64             *cache_write_tokens)
{
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));

  if (cache_read_tokens != NULL)
    *cache_read_tokens = self->cache_read_tokens;
  if (cache_write_tokens != NULL)
    *cache_write_tokens = self->cache_write_tokens;
}

const char *
sextant_chat_message_get_region (SextantChatMessage *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (self), NULL);

  return self->region;
}

guint
sextant_chat_message_get_n_tool_calls (SextantChatMessage *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (self), 0);

  return self->tool_calls->len;
}

/**
 * sextant_chat_message_get_tool_call:
 *
 * Returns: (transfer none): the tool call at @index
 */
SextantChatToolCall *
sextant_chat_message_get_tool_call (SextantChatMessage *self,
                                    guint               index)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (self), NULL);
  g_return_val_if_fail (index < self->tool_calls->len, NULL);

  return self->tool_calls->pdata[index];
}

void
sextant_chat_message_add_tool_call (SextantChatMessage *self,
                                    const char         *id,
                                    const char         *name,
                                    JsonNode           *input)
{
  SextantChatToolCall *call;

  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (self));

  /* The agent announces a call it is about to run; a stored message may already list it. */
  for (guint i = 0; id != NULL && i < self->tool_calls->len; i++)
    if (g_strcmp0 (((SextantChatToolCall *) self->tool_calls->pdata[i])->id, id) == 0)
      return;
  call = g_new0 (SextantChatToolCall, 1);
  call->id = g_strdup (id);
  call->name = g_strdup (name != NULL ? name : "?");
  call->input = input != NULL ? json_node_copy (input) : NULL;
  g_ptr_array_add (self->tool_calls, call);
  g_signal_emit (self, signals [TOOL_CALLS_CHANGED], 0);
}

/**
 * sextant_chat_message_set_tool_result:
 * @self: an assistant message
 * @id: the tool-use id
 * @result: (nullable): the result
 * @is_error: whether the call failed
 *
 * Returns: whether @self has a call with that id
 */
gboolean
sextant_chat_message_set_tool_result (SextantChatMessage *self,
                                      const char         *id,
                                      JsonNode           *result,
                                      gboolean            is_error)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (self), FALSE);

  for (guint i = 0; i < self->tool_calls->len; i++)
    {
      SextantChatToolCall *call = self->tool_calls->pdata[i];

      if (g_strcmp0 (call->id, id) != 0)
        continue;
      g_clear_pointer (&call->result, json_node_unref);
      call->result = result != NULL ? json_node_copy (result) : json_node_new (JSON_NODE_NULL);
      call->is_error = is_error;
      g_signal_emit (self, signals [TOOL_CALLS_CHANGED], 0);
      return TRUE;
    }

  return FALSE;
}
