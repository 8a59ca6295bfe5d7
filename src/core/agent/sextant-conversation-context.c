#define G_LOG_DOMAIN "sextant-conversation-context"

#include "config.h"

#include <string.h>

#include "agent/sextant-conversation-store.h"

/* What is sent to Bedrock from a stored conversation. Converse rejects a history that does not
 * alternate user/assistant, starts with an assistant turn, or has a toolUse without its
 * toolResult in the very next user turn (and the reverse). Stored history can be any of that:
 * a user message whose request failed, an answer cut off after a toolUse, a retried question.
 * So: failed answers go, a failed question only survives merged into the next question, a
 * question stopped before its answer began goes,
 * unpaired tool blocks go, turns of one role are merged, and the history is cut from the end at
 * a clean user turn to fit the token budget. */

typedef struct
{
  char      *role;
  JsonArray *content;
  gboolean   failed;
} Turn;

static void
turn_free (gpointer data)
{
  Turn *turn = data;

  if (turn == NULL)
    return;
  g_free (turn->role);
  json_array_unref (turn->content);
  g_free (turn);
}

static JsonObject *
block_member (JsonNode   *block,
              const char *name)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (block) ? json_node_get_object (block) : NULL;
  JsonNode *member = o != NULL ? json_object_get_member (o, name) : NULL;

  return member != NULL && JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;
}

static const char *
tool_id (JsonNode   *block,
         const char *kind)
{
  JsonObject *o = block_member (block, kind);

  return o != NULL ? json_object_get_string_member_with_default (o, "toolUseId", NULL) : NULL;
}

static gboolean
has_kind (JsonArray  *content,
          const char *kind)
{
  for (guint i = 0; i < json_array_get_length (content); i++)
    if (tool_id (json_array_get_element (content, i), kind) != NULL)
      return TRUE;

  return FALSE;
}

static void
append_all (JsonArray *to,
            JsonArray *from)
{
  for (guint i = 0; i < json_array_get_length (from); i++)
    json_array_add_element (to, json_node_copy (json_array_get_element (from, i)));
}

/* Merges neighbours of one role and drops leading assistant turns and empty turns. */
static GPtrArray *
merge_turns (GPtrArray *turns)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (turn_free);

  for (guint i = 0; i < turns->len; i++)
    {
      Turn *turn = turns->pdata[i];
      Turn *last = out->len > 0 ? out->pdata[out->len - 1] : NULL;

      if (json_array_get_length (turn->content) == 0)
        continue;
      if (last != NULL && g_str_equal (last->role, turn->role))
        {
          append_all (last->content, turn->content);
          continue;
        }
      if (out->len == 0 && !g_str_equal (turn->role, "user"))
        continue;
      g_ptr_array_add (out, g_steal_pointer (&turns->pdata[i]));
    }

  return out;
}

/* A question whose request failed is only sent merged into the question that followed it. */
static void
drop_lone_failed (GPtrArray *turns)
{
  for (guint i = turns->len; i-- > 0;)
    {
      Turn *turn = turns->pdata[i];
      Turn *next = i + 1 < turns->len ? turns->pdata[i + 1] : NULL;

      if (turn->failed && (next == NULL || !g_str_equal (next->role, "user")))
        g_ptr_array_remove_index (turns, i);
    }
}

static gboolean
id_in (JsonArray  *content,
       const char *kind,
       const char *id)
{
  for (guint i = 0; content != NULL && i < json_array_get_length (content); i++)
    if (g_strcmp0 (tool_id (json_array_get_element (content, i), kind), id) == 0)
      return TRUE;

  return FALSE;
}

/* Keeps the blocks of @content except tool blocks of @kind whose id is missing from @other. */
static JsonArray *
filter_blocks (JsonArray  *content,
               const char *kind,
               JsonArray  *other,
               const char *other_kind)
{
  JsonArray *kept = json_array_new ();

  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonNode *block = json_array_get_element (content, i);
      const char *id = tool_id (block, kind);

      if (id == NULL || id_in (other, other_kind, id))
        json_array_add_element (kept, json_node_copy (block));
    }

  return kept;
}

static void
pair_tools (GPtrArray *turns)
{
  for (guint i = 0; i < turns->len; i++)
    {
      Turn *turn = turns->pdata[i];
      Turn *prev = i > 0 ? turns->pdata[i - 1] : NULL;
      Turn *next = i + 1 < turns->len ? turns->pdata[i + 1] : NULL;
      JsonArray *kept;

      if (g_str_equal (turn->role, "assistant"))
        kept = filter_blocks (turn->content, "toolUse", next != NULL ? next->content : NULL, "toolResult");
      else
        kept = filter_blocks (turn->content, "toolResult",
                              prev != NULL && g_str_equal (prev->role, "assistant") ? prev->content : NULL,
                              "toolUse");
      json_array_unref (turn->content);
      turn->content = kept;
    }
}

/**
 * sextant_conversation_estimate_tokens:
 * @content: a message's content blocks
 *
 * A rough count for the context budget: the JSON's length in bytes divided by 4 (about four
 * characters per token for English with Claude's tokenizer), rounded up. It only has to keep
 * the request well inside the model's window, not match the bill.
 *
 * Returns: the estimate
 */
gint64
sextant_conversation_estimate_tokens (JsonNode *content)
{
  g_autofree char *text = json_to_string (content, FALSE);

  return (strlen (text) + 3) / 4;
}

static gint64
turn_tokens (Turn *turn)
{
  g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), turn->content);

  return sextant_conversation_estimate_tokens (node);
}

/* The first turn to send: the earliest clean user turn (one that answers no toolUse) such that
 * everything from it fits @budget; at least the last clean user turn. */
static guint
budget_start (GPtrArray *turns,
              gint64     budget)
{
  gint64 total = 0;
  guint start = turns->len;

  for (guint i = turns->len; i-- > 0;)
    {
      Turn *turn = turns->pdata[i];
      gboolean clean = g_str_equal (turn->role, "user") && !has_kind (turn->content, "toolResult");

      total += turn_tokens (turn);
      if (total > budget && start < turns->len)
        break;
      if (clean)
        start = i;
    }

  return start < turns->len ? start : 0;
}

/**
 * sextant_conversation_build_context:
 * @messages: (element-type SextantStoredMessage): stored messages, oldest first
 * @token_budget: the most tokens of history to send (see sextant_conversation_estimate_tokens())
 *
 * Returns: (transfer full) (element-type SextantConverseMessage): turns that alternate, start
 *   and end with a user turn and pair every toolUse with its toolResult
 */
GPtrArray *
sextant_conversation_build_context (GPtrArray *messages,
                                    gint64     token_budget)
{
  g_autoptr(GPtrArray) turns = g_ptr_array_new_with_free_func (turn_free);
  g_autoptr(GPtrArray) merged = NULL, paired = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_converse_message_unref);
  guint start;

  for (guint i = 0; i < messages->len; i++)
    {
      const SextantStoredMessage *m = messages->pdata[i];
      Turn *turn;

      if (g_str_equal (m->role, "assistant") && m->state == SEXTANT_MESSAGE_FAILED)
        continue;
      /* a question the user stopped before any answer: the next question replaces it */
      if (g_str_equal (m->role, "user") && m->state == SEXTANT_MESSAGE_INTERRUPTED)
        continue;
      turn = g_new0 (Turn, 1);
      turn->role = g_strdup (m->role);
      turn->content = json_array_new ();
      turn->failed = m->state == SEXTANT_MESSAGE_FAILED;
      append_all (turn->content, json_node_get_array (m->content));
      g_ptr_array_add (turns, turn);
    }
  drop_lone_failed (turns);
  merged = merge_turns (turns);
  pair_tools (merged);
  paired = merge_turns (merged);
  /* A request ends with a user turn: a retried question drops the answer it replaces. */
  while (paired->len > 0 && !g_str_equal (((Turn *) paired->pdata[paired->len - 1])->role, "user"))
    g_ptr_array_remove_index (paired, paired->len - 1);

  start = budget_start (paired, token_budget);
  for (guint i = start; i < paired->len; i++)
    {
      Turn *turn = paired->pdata[i];
      g_autoptr(JsonNode) content = json_node_init_array (json_node_alloc (), turn->content);
      SextantStoredMessage view = { .role = turn->role, .content = content };

      g_ptr_array_add (out, sextant_stored_message_to_converse (&view));
    }

  return out;
}

/**
 * sextant_conversation_store_build_context:
 * @self: a store
 * @conversation_id: the conversation
 * @token_budget: the most tokens of history
 * @error: return location
 *
 * Returns: (transfer full) (element-type SextantConverseMessage): the turns to send
 */
GPtrArray *
sextant_conversation_store_build_context (SextantConversationStore  *self,
                                          gint64                     conversation_id,
                                          gint64                     token_budget,
                                          GError                   **error)
{
  g_autoptr(GPtrArray) messages = sextant_conversation_store_load_messages (self, conversation_id, error);

  if (messages == NULL)
    return NULL;

  return sextant_conversation_build_context (messages, token_budget);
}
