#define G_LOG_DOMAIN "sextant-committee-summary"

#include "config.h"

#include "agent/sextant-agent-roles.h"
#include "agent/sextant-committee-summary.h"

/* The assistant's committee summary of a result, for the committee report. A conversation is
 * about a result when one of its messages quotes the result's reference (the portfolio window
 * seeds “Ask the assistant” with it); a summary is the answer to the committee prompt that the
 * chat window's “Summarise for the committee” sends. Both live only in the conversation store,
 * so the link survives restarts and needs no table of its own. */

#define MAX_HITS 50

static gboolean
is_summary_request (const SextantStoredMessage *m)
{
  g_autofree char *text = NULL;

  if (!g_str_equal (m->role, "user") || m->text == NULL)
    return FALSE;
  text = g_strstrip (g_strdup (m->text));

  return g_str_equal (text, sextant_agent_committee_summary_prompt ());
}

/* The answer to the request at @index: the last complete assistant text before the next user
 * turn that has text of its own (tool results are user turns without text). */
static const SextantStoredMessage *
answer_to (GPtrArray *messages,
           guint      index)
{
  const SextantStoredMessage *answer = NULL;

  for (guint i = index + 1; i < messages->len; i++)
    {
      const SextantStoredMessage *m = messages->pdata[i];

      if (g_str_equal (m->role, "user") && m->text != NULL && m->text[0] != '\0')
        break;
      if (g_str_equal (m->role, "assistant") && m->state == SEXTANT_MESSAGE_COMPLETE &&
          m->text != NULL && m->text[0] != '\0')
        answer = m;
    }

  return answer;
}

/* The newest summary in one conversation newer than @best, or @best. */
static SextantStoredMessage *
newest_summary (GPtrArray            *messages,
                SextantStoredMessage *best)
{
  for (guint i = 0; i < messages->len; i++)
    {
      const SextantStoredMessage *answer;

      if (!is_summary_request (messages->pdata[i]) || (answer = answer_to (messages, i)) == NULL)
        continue;
      if (best == NULL || answer->created_at > best->created_at ||
          (answer->created_at == best->created_at && answer->id > best->id))
        {
          g_clear_pointer (&best, sextant_stored_message_free);
          best = sextant_stored_message_copy (answer);
        }
    }

  return best;
}

/**
 * sextant_committee_summary_find:
 * @store: the conversations
 * @reference: a result's reference, as quoted in the conversations about it
 * @conversation_id: (out) (optional): the conversation the summary is in, or 0
 * @error: return location for a database error
 *
 * Finds the most recent committee summary in the conversations (not deleted) that quote
 * @reference.
 *
 * Returns: (transfer full) (nullable): the summary's Markdown text, or %NULL with no error when
 *   there is none
 */
char *
sextant_committee_summary_find (SextantConversationStore  *store,
                                const char                *reference,
                                gint64                    *conversation_id,
                                GError                   **error)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(SextantStoredMessage) best = NULL;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (store), NULL);
  g_return_val_if_fail (reference != NULL, NULL);

  if (conversation_id != NULL)
    *conversation_id = 0;
  if ((hits = sextant_conversation_store_search (store, reference, MAX_HITS, error)) == NULL)
    return NULL;
  seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < hits->len; i++)
    {
      SextantSearchHit *hit = hits->pdata[i];
      g_autoptr(GPtrArray) messages = NULL;

      if (!g_hash_table_add (seen, &hit->conversation_id))
        continue;
      messages = sextant_conversation_store_load_messages (store, hit->conversation_id, error);
      if (messages == NULL)
        return NULL;
      best = newest_summary (messages, g_steal_pointer (&best));
    }
  if (best == NULL)
    return NULL;
  if (conversation_id != NULL)
    *conversation_id = best->conversation_id;

  return g_strdup (best->text);
}
