#define G_LOG_DOMAIN "sextant-committee-summary"

#include "config.h"

#include "agent/sextant-agent-roles.h"
#include "agent/sextant-citations.h"
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
 * turn that has text of its own (tool results are user turns without text); its index in
 * @answer_index. */
static const SextantStoredMessage *
answer_to (GPtrArray *messages,
           guint      index,
           guint     *answer_index)
{
  const SextantStoredMessage *answer = NULL;

  for (guint i = index + 1; i < messages->len; i++)
    {
      const SextantStoredMessage *m = messages->pdata[i];

      if (g_str_equal (m->role, "user") && m->text != NULL && m->text[0] != '\0')
        break;
      if (g_str_equal (m->role, "assistant") && m->state == SEXTANT_MESSAGE_COMPLETE &&
          m->text != NULL && m->text[0] != '\0')
        {
          answer = m;
          *answer_index = i;
        }
    }

  return answer;
}

/* The newest summary in one conversation newer than @best, or @best; with the knowledge base's
 * passages it cites in @cited. */
static SextantStoredMessage *
newest_summary (GPtrArray            *messages,
                SextantStoredMessage *best,
                GPtrArray           **cited)
{
  for (guint i = 0; i < messages->len; i++)
    {
      const SextantStoredMessage *answer;
      guint answer_index = 0;

      if (!is_summary_request (messages->pdata[i]) || (answer = answer_to (messages, i, &answer_index)) == NULL)
        continue;
      if (best == NULL || answer->created_at > best->created_at ||
          (answer->created_at == best->created_at && answer->id > best->id))
        {
          g_clear_pointer (&best, sextant_stored_message_free);
          best = sextant_stored_message_copy (answer);
          g_clear_pointer (cited, g_ptr_array_unref);
          *cited = sextant_citations_dup_cited_answer (messages, answer_index);
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
  return sextant_committee_summary_find_cited (store, reference, conversation_id, NULL, error);
}

/**
 * sextant_committee_summary_find_cited:
 * @store: the conversations
 * @reference: a result's reference, as quoted in the conversations about it
 * @conversation_id: (out) (optional): the conversation the summary is in, or 0
 * @cited: (out) (optional) (transfer container) (element-type SextantCitedPassage): the
 *   knowledge base's passages the summary cites, in the order it first cites them; empty
 *   when it cites none, %NULL when there is no summary
 * @error: return location for a database error
 *
 * As sextant_committee_summary_find(), with the passages of the desk's documents the summary
 * relied on, so the report can quote them for the committee to check.
 *
 * Returns: (transfer full) (nullable): the summary's Markdown text, or %NULL with no error when
 *   there is none
 */
char *
sextant_committee_summary_find_cited (SextantConversationStore  *store,
                                      const char                *reference,
                                      gint64                    *conversation_id,
                                      GPtrArray                **cited,
                                      GError                   **error)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(SextantStoredMessage) best = NULL;
  g_autoptr(GPtrArray) best_cited = NULL;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (store), NULL);
  g_return_val_if_fail (reference != NULL, NULL);

  if (conversation_id != NULL)
    *conversation_id = 0;
  if (cited != NULL)
    *cited = NULL;
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
      best = newest_summary (messages, g_steal_pointer (&best), &best_cited);
    }
  if (best == NULL)
    return NULL;
  if (conversation_id != NULL)
    *conversation_id = best->conversation_id;
  if (cited != NULL)
    *cited = g_steal_pointer (&best_cited);

  return g_strdup (best->text);
}
