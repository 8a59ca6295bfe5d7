#define G_LOG_DOMAIN "sextant-agent-turn"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "agent/sextant-agent-error.h"
#include "agent/sextant-agent-private.h"
#include "agent/sextant-agent-roles.h"
#include "agent/sextant-citations.h"
#include "base/sextant-log-writer.h"
#include "bedrock/sextant-bedrock-error.h"
#include "bedrock/sextant-model-limits.h"

/* One question, from the stored user message to the final answer: rounds of ConverseStream
 * calls, each possibly followed by tool calls whose results go back in the next round. Runs on
 * the main context of the caller; tools run on worker threads through GTask. */

typedef struct
{
  JsonNode *output;     /* the result, or {"error": message} */
  char     *error;      /* the message sent back as text when the call failed without a result */
  gboolean  is_error;
} ToolSlot;

static void
clear_slots (ToolSlot **slots,
             guint     *n_slots)
{
  for (guint i = 0; *slots != NULL && i < *n_slots; i++)
    {
      g_clear_pointer (&(*slots)[i].output, json_node_unref);
      g_free ((*slots)[i].error);
    }
  g_clear_pointer (slots, g_free);
  *n_slots = 0;
}

typedef struct
{
  SextantAgent          *agent;
  GTask                 *task;
  gint64                 conversation_id;
  gint64                 user_message_id;
  char                  *question;
  char                  *role;
  char                  *model;
  char                  *system;
  SextantConverseResult *result;
  SextantConverseMessage *tool_uses;     /* the current round's answer, while its tools run */
  SextantConverseMessage *tool_results;  /* the user turn being built from tool results */
  guint                  next_block;
  gint64                 tool_result_tokens;  /* of the results the next round answers from */
  guint                  rounds;
  guint                  tool_calls;
  gint64                 input_tokens;
  gint64                 output_tokens;
  gint64                 cache_read_tokens;
  gint64                 cache_write_tokens;
  char                  *region;
  gint64                 started_real;
  gint64                 started_mono;
  gint64                 first_event_mono;
  guint                  n_requests;
  gulong                 queued_handler;
  char                  *stop_reason;
  gint64                 last_message_id;
  char                  *final_text;
  gboolean               offline;
  GError                *fallback_error;
  /* This round's tool calls: one slot per block of tool_uses, filled as each finishes. Desks
   * run at once, side by side; the other tools one after another, as before. */
  ToolSlot              *slots;
  guint                  n_slots;
  guint                  pending;
  /* A desk's turn keeps its messages here instead of in the conversation store. */
  gboolean               ephemeral;
  GPtrArray             *memory;
  /* What the desks asked during this turn used, for the reply */
  guint                  desk_calls;
  guint                  desk_rounds;
  gint64                 desk_input_tokens;
  gint64                 desk_output_tokens;
  SextantCitations      *citations;      /* the knowledge base's passages returned so far */
} Turn;

static void send_round (Turn *turn);
static void run_next_tool (Turn *turn);
static void check_round_done (Turn *turn);

static void
turn_free (Turn *turn)
{
  if (turn->queued_handler != 0)
    g_signal_handler_disconnect (sextant_bedrock_client_get_session (turn->agent->client), turn->queued_handler);
  g_clear_object (&turn->agent);
  g_clear_object (&turn->task);
  g_free (turn->question);
  g_free (turn->role);
  g_free (turn->model);
  g_free (turn->system);
  g_clear_object (&turn->result);
  g_clear_pointer (&turn->tool_uses, sextant_converse_message_unref);
  g_clear_pointer (&turn->tool_results, sextant_converse_message_unref);
  g_clear_pointer (&turn->citations, sextant_citations_free);
  g_free (turn->stop_reason);
  g_free (turn->final_text);
  g_free (turn->region);
  g_clear_error (&turn->fallback_error);
  clear_slots (&turn->slots, &turn->n_slots);
  g_clear_pointer (&turn->memory, g_ptr_array_unref);
  g_free (turn);
}

static GCancellable *
turn_cancellable (Turn *turn)
{
  return g_task_get_cancellable (turn->task);
}

/* The turn as a line of the log, beside its row in the invocation log: the row has no region,
 * and the log is what someone reads when a request went wrong. */
static void
note_invocation (Turn                    *turn,
                 const SextantInvocation *inv,
                 const GError            *error)
{
  if (turn->offline)
    {
      sextant_log_writer_note ("agent", "Offline analyst answered with %u tool %s in %" G_GINT64_FORMAT " ms",
                               inv->tool_calls, inv->tool_calls == 1 ? "call" : "calls", inv->latency_ms);
      return;
    }
  sextant_log_writer_note ("bedrock", "Request to %s in %s: %s%s%s, %" G_GINT64_FORMAT " input and %"
                           G_GINT64_FORMAT " output tokens, %" G_GINT64_FORMAT " ms, %u %s, %u tool %s%s%s",
                           inv->model != NULL ? inv->model : "?",
                           inv->region != NULL ? inv->region : "?",
                           inv->outcome, inv->error_type != NULL ? " " : "",
                           inv->error_type != NULL ? inv->error_type : "",
                           inv->input_tokens, inv->output_tokens, inv->latency_ms, inv->retries,
                           inv->retries == 1 ? "retry" : "retries", inv->tool_calls,
                           inv->tool_calls == 1 ? "call" : "calls",
                           error != NULL ? ": " : "", error != NULL ? error->message : "");
}

static void
record_invocation (Turn         *turn,
                   const char   *outcome,
                   const GError *error)
{
  g_autoptr(GError) log_error = NULL;
  g_auto(SextantInvocation) inv = { 0, };

  inv.conversation_id = turn->conversation_id;
  inv.started_at = turn->started_real;
  inv.model = turn->offline ? NULL : g_strdup (turn->model);
  inv.role = g_strdup (turn->role);
  inv.ttft_ms = turn->first_event_mono > 0 ? (turn->first_event_mono - turn->started_mono) / 1000 : -1;
  inv.latency_ms = (g_get_monotonic_time () - turn->started_mono) / 1000;
  inv.input_tokens = turn->input_tokens;
  inv.output_tokens = turn->output_tokens;
  inv.tool_calls = turn->tool_calls;
  inv.retries = turn->n_requests > turn->rounds ? turn->n_requests - turn->rounds : 0;
  inv.outcome = g_strdup (outcome);
  inv.error_type = sextant_invocation_error_type (error != NULL ? error : turn->fallback_error);
  inv.region = turn->offline ? NULL : g_strdup (turn->region);
  inv.cache_read_tokens = turn->cache_read_tokens;
  inv.cache_write_tokens = turn->cache_write_tokens;
  if (turn->agent->log != NULL && !sextant_invocation_log_record (turn->agent->log, &inv, &log_error))
    g_warning ("Could not record the invocation: %s", log_error->message);
  note_invocation (turn, &inv, error != NULL ? error : turn->fallback_error);
}

/* Ends the turn: records it, tells the listeners, completes the task and frees @turn. */
static void
finish (Turn       *turn,
        const char *outcome,
        GError     *error)
{
  SextantAgent *agent = turn->agent;
  GTask *task = g_steal_pointer (&turn->task);
  SextantAgentReply *reply = NULL;

  record_invocation (turn, outcome, error);
  agent->last_rounds = turn->rounds;
  agent->last_tool_calls = turn->tool_calls;
  agent->last_input_tokens = turn->input_tokens;
  agent->last_output_tokens = turn->output_tokens;
  agent->last_offline = turn->offline;
  if (error == NULL)
    {
      reply = g_new0 (SextantAgentReply, 1);
      reply->conversation_id = turn->conversation_id;
      reply->message_id = turn->last_message_id;
      reply->text = g_steal_pointer (&turn->final_text);
      reply->offline = turn->offline;
      reply->rounds = turn->rounds;
      reply->tool_calls = turn->tool_calls;
      reply->input_tokens = turn->input_tokens;
      reply->output_tokens = turn->output_tokens;
      reply->stop_reason = g_steal_pointer (&turn->stop_reason);
      reply->desk_calls = turn->desk_calls;
      reply->desk_rounds = turn->desk_rounds;
      reply->desk_input_tokens = turn->desk_input_tokens;
      reply->desk_output_tokens = turn->desk_output_tokens;
      reply->region = turn->offline ? NULL : g_strdup (turn->region);
      reply->cache_read_tokens = turn->cache_read_tokens;
      reply->cache_write_tokens = turn->cache_write_tokens;
    }
  g_object_ref (agent);
  _sextant_agent_set_busy (agent, FALSE);
  g_signal_emit (agent, _sextant_agent_signals[AGENT_TURN_FINISHED], 0, turn->conversation_id, outcome);
  turn_free (turn);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) sextant_agent_reply_free);
  g_object_unref (task);
  g_object_unref (agent);
}

static gint64
message_stored (Turn         *turn,
                gint64        id,
                const GError *error)
{
  if (id == 0)
    {
      g_warning ("Could not store a message of conversation %" G_GINT64_FORMAT ": %s",
                 turn->conversation_id, error != NULL ? error->message : "unknown error");
      return 0;
    }
  turn->last_message_id = id;
  if (!turn->ephemeral)
    g_signal_emit (turn->agent, _sextant_agent_signals[AGENT_MESSAGE_STORED], 0, turn->conversation_id, id);

  return id;
}

/* A desk's message, kept for the desk's next round only. */
static gint64
remember_message (Turn                   *turn,
                  SextantConverseMessage *message,
                  SextantMessageState     state)
{
  SextantStoredMessage *stored = g_new0 (SextantStoredMessage, 1);
  g_autoptr(JsonNode) json = sextant_converse_message_to_json (message);

  stored->id = turn->memory->len + 1;
  stored->role = g_strdup (sextant_converse_message_get_role (message));
  stored->content = json_node_copy (json_object_get_member (json_node_get_object (json), "content"));
  stored->text = sextant_converse_message_dup_text (message);
  stored->state = state;
  stored->created_at = g_get_real_time ();
  g_ptr_array_add (turn->memory, stored);

  return stored->id;
}

static gint64
store_message (Turn                   *turn,
               SextantConverseMessage *message,
               SextantMessageState     state,
               gint64                  input_tokens,
               gint64                  output_tokens)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (turn->ephemeral)
    return message_stored (turn, remember_message (turn, message, state), NULL);
  id = sextant_conversation_store_append (turn->agent->conversations, turn->conversation_id, message,
                                          state, input_tokens, output_tokens, &error);

  return message_stored (turn, id, error);
}

/* offline -------------------------------------------------------------------------------------- */

/* The tools the offline analyst ran, told and stored as a round of Claude's would be: an answer
 * of tool calls, the tools' results, then the text. The chat shows them as the same cards, and
 * the conversation keeps them; the ids are the analyst's own. */
static void
show_offline_calls (Turn      *turn,
                    GPtrArray *calls)
{
  g_autoptr(SextantConverseMessage) uses = NULL;
  g_autoptr(SextantConverseMessage) results = NULL;
  g_autoptr(GPtrArray) ids = NULL;

  if (calls == NULL || calls->len == 0)
    return;
  uses = sextant_converse_message_new ("assistant");
  results = sextant_converse_message_new ("user");
  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < calls->len; i++)
    {
      SextantOfflineToolCall *call = calls->pdata[i];
      char *id = g_strdup_printf ("offline-%" G_GINT64_FORMAT "-%u", turn->user_message_id, i + 1);

      g_ptr_array_add (ids, id);
      sextant_converse_message_add_tool_use (uses, id, call->name, call->input);
      sextant_converse_message_add_tool_result (results, id, NULL, call->result, call->is_error);
    }
  store_message (turn, uses, SEXTANT_MESSAGE_COMPLETE, 0, 0);
  for (guint i = 0; i < calls->len; i++)
    {
      SextantOfflineToolCall *call = calls->pdata[i];

      g_signal_emit (turn->agent, _sextant_agent_signals[AGENT_TOOL_CALL_STARTED], 0, ids->pdata[i],
                     call->name, call->input);
      g_signal_emit (turn->agent, _sextant_agent_signals[AGENT_TOOL_CALL_FINISHED], 0, ids->pdata[i],
                     call->name, call->result, call->is_error);
      turn->tool_calls++;
    }
  store_message (turn, results, SEXTANT_MESSAGE_COMPLETE, 0, 0);
}

static void
offline_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Turn *turn = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = sextant_offline_analyst_answer_finish (SEXTANT_OFFLINE_ANALYST (object), result, &error);
  g_autoptr(SextantConverseMessage) message = NULL;

  if (answer == NULL)
    {
      finish (turn, "cancelled", g_steal_pointer (&error));
      return;
    }
  show_offline_calls (turn, sextant_offline_analyst_answer_get_calls (SEXTANT_OFFLINE_ANALYST (object), result));
  g_signal_emit (turn->agent, _sextant_agent_signals[AGENT_TEXT_DELTA], 0, answer);
  message = sextant_converse_message_new ("assistant");
  sextant_converse_message_add_text (message, answer);
  store_message (turn, message, SEXTANT_MESSAGE_COMPLETE, 0, 0);
  turn->final_text = g_steal_pointer (&answer);
  finish (turn, "offline", NULL);
}

static void
answer_offline (Turn       *turn,
                const char *reason)
{
  turn->offline = TRUE;
  sextant_offline_analyst_answer_async (turn->agent->analyst, turn->question, reason, turn_cancellable (turn),
                                        offline_done_cb, turn);
}

/* Errors that mean “no Bedrock here”, as opposed to Bedrock refusing or failing the request. A
 * refused signature or missing permission is not one: answering offline would hide a setting
 * the user has to fix, so it is reported as what it is. */
static gboolean
is_unreachable (const GError *error)
{
  return g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_NETWORK) ||
         g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_TIMEOUT);
}

/* tools ---------------------------------------------------------------------------------------- */

static void
fill_slot (Turn       *turn,
           guint       index,
           JsonNode   *output,
           GError     *error,
           gboolean    is_error)
{
  ToolSlot *slot = &turn->slots[index];
  SextantContentBlock *block = sextant_converse_message_get_block (turn->tool_uses, index);

  turn->tool_calls++;
  slot->is_error = error != NULL || is_error;
  /* Numbered after the passages of an earlier search of this question, so each [n] is one. */
  if (output != NULL && !slot->is_error && g_strcmp0 (block->name, "search_knowledge_base") == 0)
    sextant_citations_add_result (turn->citations, output, TRUE);
  if (output == NULL)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      /* The model gets the message and may correct its input or explain the problem. */
      slot->error = g_strdup (error->message);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, error->message);
      json_builder_end_object (b);
      output = json_builder_get_root (b);
    }
  slot->output = output;
  g_signal_emit (turn->agent, _sextant_agent_signals[AGENT_TOOL_CALL_FINISHED], 0, block->tool_use_id,
                 block->name, slot->output, slot->is_error);
}

static void
tool_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Turn *turn = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *output = sextant_tool_registry_invoke_finish (SEXTANT_TOOL_REGISTRY (object), result, &error);

  fill_slot (turn, turn->next_block, output, error, FALSE);
  turn->next_block++;
  turn->pending--;
  run_next_tool (turn);
}

/* The desks this turn may ask: a portfolio manager's conversation, never a desk's own turn. */
static gboolean
may_delegate (Turn *turn)
{
  return !turn->ephemeral && !turn->agent->no_delegation &&
         g_strcmp0 (turn->role, SEXTANT_ROLE_PORTFOLIO_MANAGER) == 0;
}

static const char *
desk_of_block (Turn                *turn,
               SextantContentBlock *block)
{
  if (block == NULL || block->type != SEXTANT_CONTENT_TOOL_USE || !may_delegate (turn))
    return NULL;
  return sextant_agent_desk_from_tool_name (block->name);
}

typedef struct
{
  Turn  *turn;
  guint  index;
} DeskCall;

static void
desk_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  DeskCall *call = user_data;
  Turn *turn = call->turn;
  g_autoptr(GError) error = NULL;
  SextantDeskCounts counts = { 0, };
  JsonNode *output = _sextant_agent_run_desk_finish (result, &counts, &error);

  turn->desk_calls++;
  turn->desk_rounds += counts.rounds;
  turn->desk_input_tokens += counts.input_tokens;
  turn->desk_output_tokens += counts.output_tokens;
  fill_slot (turn, call->index, output, output == NULL ? error : NULL, counts.failed);
  turn->pending--;
  g_free (call);
  check_round_done (turn);
}

/* Every desk the round asks starts at once; they run side by side on this main context. */
static void
start_desks (Turn *turn)
{
  for (guint i = 0; i < turn->n_slots; i++)
    {
      SextantContentBlock *block = sextant_converse_message_get_block (turn->tool_uses, i);
      const char *desk = desk_of_block (turn, block);
      DeskCall *call;

      if (desk == NULL)
        continue;
      call = g_new0 (DeskCall, 1);
      call->turn = turn;
      call->index = i;
      g_signal_emit (turn->agent, _sextant_agent_signals[AGENT_TOOL_CALL_STARTED], 0, block->tool_use_id,
                     block->name, block->json);
      _sextant_agent_run_desk_async (turn->agent, desk, turn->model, block->json, turn->conversation_id,
                                     turn_cancellable (turn), desk_done_cb, call);
    }
}

static void
run_next_tool (Turn *turn)
{
  guint n = sextant_converse_message_get_n_blocks (turn->tool_uses);

  while (turn->next_block < n)
    {
      SextantContentBlock *block = sextant_converse_message_get_block (turn->tool_uses, turn->next_block);

      if (block != NULL && block->type == SEXTANT_CONTENT_TOOL_USE && desk_of_block (turn, block) == NULL)
        {
          g_signal_emit (turn->agent, _sextant_agent_signals[AGENT_TOOL_CALL_STARTED], 0, block->tool_use_id,
                         block->name, block->json);
          sextant_tool_registry_invoke_async (turn->agent->registry, block->name, block->json,
                                              turn_cancellable (turn), tool_done_cb, turn);
          return;
        }
      turn->next_block++;
    }
  check_round_done (turn);
}

/* When the last call of the round is in: its results, in the order of the calls, go back. */
static void
check_round_done (Turn *turn)
{
  if (turn->pending > 0)
    return;
  for (guint i = 0; i < turn->n_slots; i++)
    {
      SextantContentBlock *block = sextant_converse_message_get_block (turn->tool_uses, i);
      ToolSlot *slot = &turn->slots[i];

      if (block == NULL || block->type != SEXTANT_CONTENT_TOOL_USE)
        continue;
      if (slot->error != NULL)
        sextant_converse_message_add_tool_result (turn->tool_results, block->tool_use_id, slot->error, NULL, TRUE);
      else
        sextant_converse_message_add_tool_result (turn->tool_results, block->tool_use_id, NULL, slot->output,
                                                  slot->is_error);
    }
  clear_slots (&turn->slots, &turn->n_slots);

  {
    g_autoptr(JsonNode) results = sextant_converse_message_to_json (turn->tool_results);

    turn->tool_result_tokens = sextant_conversation_estimate_tokens (results);
  }
  /* Every toolUse gets its toolResult stored, even when cancelled, so the history stays valid. */
  store_message (turn, turn->tool_results, SEXTANT_MESSAGE_COMPLETE, 0, 0);
  g_clear_pointer (&turn->tool_uses, sextant_converse_message_unref);
  g_clear_pointer (&turn->tool_results, sextant_converse_message_unref);
  if (g_cancellable_is_cancelled (turn_cancellable (turn)))
    finish (turn, "cancelled", g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The answer was stopped")));
  else
    send_round (turn);
}

static void
run_tools (Turn                   *turn,
           SextantConverseMessage *message)
{
  turn->tool_uses = sextant_converse_message_ref (message);
  turn->tool_results = sextant_converse_message_new ("user");
  turn->next_block = 0;
  turn->n_slots = sextant_converse_message_get_n_blocks (message);
  turn->slots = g_new0 (ToolSlot, turn->n_slots);
  turn->pending = 1;   /* held while the calls start, so none can end the round early */
  for (guint i = 0; i < turn->n_slots; i++)
    {
      SextantContentBlock *block = sextant_converse_message_get_block (message, i);

      turn->pending += block != NULL && block->type == SEXTANT_CONTENT_TOOL_USE;
    }
  start_desks (turn);
  turn->pending--;
  run_next_tool (turn);
}

static gboolean
has_tool_use (SextantConverseMessage *message)
{
  for (guint i = 0; i < sextant_converse_message_get_n_blocks (message); i++)
    {
      SextantContentBlock *block = sextant_converse_message_get_block (message, i);

      if (block != NULL && block->type == SEXTANT_CONTENT_TOOL_USE)
        return TRUE;
    }

  return FALSE;
}

/* rounds --------------------------------------------------------------------------------------- */

/* The model cites the knowledge base's passages as bare [n]; stored and shown, they are links
 * to the passage's document at its page, as the offline analyst writes them. */
static void
link_citations (Turn                   *turn,
                SextantConverseMessage *message)
{
  if (sextant_citations_is_empty (turn->citations))
    return;
  for (guint i = 0; i < sextant_converse_message_get_n_blocks (message); i++)
    {
      SextantContentBlock *block = sextant_converse_message_get_block (message, i);

      if (block != NULL && block->type == SEXTANT_CONTENT_TEXT && block->text != NULL)
        {
          char *linked = sextant_citations_link (turn->citations, block->text);

          g_free (block->text);
          block->text = linked;
        }
    }
}

typedef struct
{
  Turn       *turn;
  const char *outcome;
  GError     *error;
} Interrupted;

static void
partial_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Interrupted *interrupted = user_data;
  g_autoptr(GError) error = NULL;

  message_stored (interrupted->turn,
                  sextant_conversation_store_append_finish (SEXTANT_CONVERSATION_STORE (object), result, &error), error);
  finish (interrupted->turn, interrupted->outcome, interrupted->error);
  g_free (interrupted);
}

static void
round_failed (Turn   *turn,
              GError *error)
{
  const char *partial = sextant_converse_result_get_partial_text (turn->result);
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (partial != NULL && partial[0] != '\0' && turn->ephemeral)
    {
      g_autoptr(SextantConverseMessage) message = sextant_converse_message_new ("assistant");

      sextant_converse_message_add_text (message, partial);
      store_message (turn, message, SEXTANT_MESSAGE_INTERRUPTED, 0, 0);
      finish (turn, cancelled ? "cancelled" : "interrupted", error);
      return;
    }
  if (partial != NULL && partial[0] != '\0')
    {
      g_autoptr(SextantConverseMessage) message = sextant_converse_message_new ("assistant");
      Interrupted *interrupted = g_new0 (Interrupted, 1);

      /* Keep what was streamed; it is marked interrupted and never sent back as complete. Stored
       * in a thread as a whole answer is: what was streamed before Stop can be as long. */
      sextant_converse_message_add_text (message, partial);
      link_citations (turn, message);
      interrupted->turn = turn;
      interrupted->outcome = cancelled ? "cancelled" : "interrupted";
      interrupted->error = error;
      sextant_conversation_store_append_async (turn->agent->conversations, turn->conversation_id, message,
                                               SEXTANT_MESSAGE_INTERRUPTED, 0, 0, partial_stored_cb, interrupted);
      return;
    }
  if (turn->rounds == 1 && !cancelled && is_unreachable (error) && !turn->agent->no_offline_fallback)
    {
      g_autofree char *reason = g_strdup_printf ("Amazon Bedrock could not be reached (%s).", error->message);

      turn->fallback_error = error;
      answer_offline (turn, reason);
      return;
    }
  /* A question stopped before any answer came is marked interrupted: unlike a failed one, it is
   * not sent along with the next question, which the user asked instead of it. */
  if (turn->rounds == 1 && turn->user_message_id > 0 && !turn->ephemeral)
    sextant_conversation_store_set_state (turn->agent->conversations, turn->user_message_id,
                                          cancelled ? SEXTANT_MESSAGE_INTERRUPTED : SEXTANT_MESSAGE_FAILED,
                                          NULL);
  finish (turn, cancelled ? "cancelled" : "failed", error);
}

static void round_stored_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);
static void round_stored    (Turn         *turn);

static void
round_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Turn *turn = user_data;
  GError *error = NULL;
  SextantConverseMessage *message;
  const SextantConverseUsage *usage = sextant_converse_result_get_usage (turn->result);
  gint64 first = sextant_converse_result_get_first_event_time (turn->result);

  turn->rounds++;
  turn->input_tokens += usage->input_tokens;
  turn->output_tokens += usage->output_tokens;
  turn->cache_read_tokens += usage->cache_read_tokens;
  turn->cache_write_tokens += usage->cache_write_tokens;
  if (sextant_converse_result_get_region (turn->result) != NULL)
    {
      g_free (turn->region);
      turn->region = g_strdup (sextant_converse_result_get_region (turn->result));
    }
  if (turn->first_event_mono == 0 && first > 0)
    turn->first_event_mono = first;
  if (!sextant_bedrock_client_converse_finish (SEXTANT_BEDROCK_CLIENT (object), result, &error))
    {
      round_failed (turn, error);
      return;
    }

  message = sextant_converse_result_get_message (turn->result);
  link_citations (turn, message);
  g_free (turn->stop_reason);
  turn->stop_reason = g_strdup (sextant_converse_result_get_stop_reason (turn->result));
  if (turn->ephemeral)
    {
      store_message (turn, message, SEXTANT_MESSAGE_COMPLETE, usage->input_tokens, usage->output_tokens);
      round_stored (turn);
      return;
    }
  /* An answer can be long, and indexing it for search takes the main loop tens of milliseconds
   * while the window is still showing it: it is stored in a thread, the turn goes on after. */
  sextant_conversation_store_append_async (turn->agent->conversations, turn->conversation_id, message,
                                           SEXTANT_MESSAGE_COMPLETE, usage->input_tokens, usage->output_tokens,
                                           round_stored_cb, turn);
}

static void
round_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Turn *turn = user_data;
  g_autoptr(GError) error = NULL;

  message_stored (turn, sextant_conversation_store_append_finish (SEXTANT_CONVERSATION_STORE (object), result, &error),
                  error);
  round_stored (turn);
}

static void
round_stored (Turn *turn)
{
  SextantConverseMessage *message = sextant_converse_result_get_message (turn->result);
  gint64 used = turn->input_tokens + turn->output_tokens;

  if (!has_tool_use (message))
    {
      turn->final_text = sextant_converse_message_dup_text (message);
      finish (turn, "success", NULL);
      return;
    }
  if (turn->rounds >= turn->agent->max_rounds)
    {
      /* The unanswered toolUse stays in the history; the context builder leaves it out. */
      finish (turn, "failed", g_error_new (SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_TOO_MANY_ROUNDS,
                                           _("The model was still asking for tools after %u rounds; "
                                             "stopped there"), turn->rounds));
      return;
    }
  if (turn->agent->max_total_tokens > 0 && used >= turn->agent->max_total_tokens)
    {
      finish (turn, "failed", g_error_new (SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_TOKEN_LIMIT,
                                           _("The model was still asking for tools after %" PRId64
                                             " tokens, over the bound of %" PRId64 "; stopped there"),
                                           used, turn->agent->max_total_tokens));
      return;
    }
  run_tools (turn, message);
}

static void
text_delta_cb (SextantConverseResult *result,
               guint                  index,
               const char            *text,
               Turn                  *turn)
{
  g_signal_emit (turn->agent, _sextant_agent_signals[AGENT_TEXT_DELTA], 0, text);
}

static void
retrying_cb (SextantConverseResult *result,
             guint                  failed_attempt,
             guint                  max_attempts,
             guint                  delay_ms,
             const GError          *error,
             Turn                  *turn)
{
  g_signal_emit (turn->agent, _sextant_agent_signals[AGENT_RETRYING], 0, turn->conversation_id,
                 failed_attempt, max_attempts, delay_ms, error->message);
}

static void
send_round (Turn *turn)
{
  g_autoptr(SextantConverseRequest) request = sextant_converse_request_new ();
  g_autoptr(GPtrArray) context = NULL;
  g_autoptr(GError) error = NULL;
  guint n_cache_points;
  int max_tokens;

  if (turn->ephemeral)
    context = sextant_conversation_build_context (turn->memory, turn->agent->token_budget);
  else
    context = sextant_conversation_store_build_context (turn->agent->conversations, turn->conversation_id,
                                                        turn->agent->token_budget, &error);
  if (context == NULL)
    {
      finish (turn, "failed", g_steal_pointer (&error));
      return;
    }
  sextant_converse_request_set_system (request, turn->system);
  for (guint i = 0; i < context->len; i++)
    sextant_converse_request_add_message (request, context->pdata[i]);
  sextant_tool_registry_add_to_request (turn->agent->registry, request);
  if (may_delegate (turn))
    _sextant_agent_add_desk_tools (request);
  max_tokens = sextant_model_limits_size_max_tokens (turn->model,
                                                    turn->question != NULL ? (gint64) (strlen (turn->question) + 3) / 4 : 0,
                                                    turn->tool_result_tokens, turn->agent->max_tokens);
  sextant_converse_request_set_max_tokens (request, max_tokens);
  n_cache_points = sextant_converse_request_add_cache_points (request, turn->model);
  {
    /* What the request holds of the tokens-per-minute quota while it runs (input plus maxTokens
     * times the model's burndown), for whoever reads the debug log after a throttle. */
    g_autoptr(GBytes) body = sextant_converse_request_to_bytes (request);

    g_debug ("Round %u of conversation %" G_GINT64_FORMAT ": maxTokens %d, %u cache points, about %"
             G_GINT64_FORMAT " tokens of quota reserved", turn->rounds + 1, turn->conversation_id, max_tokens,
             n_cache_points,
             sextant_model_limits_quota_reserved (turn->model, (gint64) (g_bytes_get_size (body) + 3) / 4, max_tokens));
  }

  g_clear_object (&turn->result);
  turn->result = sextant_converse_result_new ();
  g_signal_connect (turn->result, "text-delta", G_CALLBACK (text_delta_cb), turn);
  g_signal_connect (turn->result, "retrying", G_CALLBACK (retrying_cb), turn);
  sextant_bedrock_client_converse_async (turn->agent->client, turn->model, request, turn->result, TRUE,
                                         turn_cancellable (turn), round_done_cb, turn);
}

/* start ---------------------------------------------------------------------------------------- */

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *message,
                   Turn        *turn)
{
  turn->n_requests++;
}

/* The question to answer: a new one is stored first; a retry takes the last one and clears its
 * failed mark. */
static gboolean
take_question (Turn        *turn,
               const char  *question,
               GError     **error)
{
  g_autoptr(SextantConverseMessage) message = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  if (question != NULL)
    {
      message = sextant_converse_message_new ("user");
      sextant_converse_message_add_text (message, question);
      turn->question = g_strdup (question);
      turn->user_message_id = store_message (turn, message, SEXTANT_MESSAGE_COMPLETE, 0, 0);
      return turn->user_message_id > 0 ||
             (g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND,
                           _("The question could not be stored")), FALSE);
    }
  if (!(messages = sextant_conversation_store_load_messages (turn->agent->conversations, turn->conversation_id, error)))
    return FALSE;
  for (guint i = messages->len; i-- > 0;)
    {
      SextantStoredMessage *m = messages->pdata[i];

      if (g_str_equal (m->role, "user") && m->text[0] != '\0')
        {
          turn->question = g_strdup (m->text);
          turn->user_message_id = m->id;
          return m->state == SEXTANT_MESSAGE_COMPLETE ||
                 sextant_conversation_store_set_state (turn->agent->conversations, m->id, SEXTANT_MESSAGE_COMPLETE, error);
        }
    }
  g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND,
               _("Conversation %" PRId64 " has no question to retry"), turn->conversation_id);

  return FALSE;
}

/* The spending limits, before anything is stored or sent: a stop leaves the conversation as it
 * was, so that Ask anyway sends the same question. */
static gboolean
within_spending_limits (SextantAgent  *self,
                        gint64         conversation_id,
                        GError       **error)
{
  SextantSpendingStatus status;
  g_autofree char *message = NULL;
  gboolean allowed;

  if (self->prices == NULL || self->log == NULL || (self->monthly_limit <= 0 && self->conversation_limit <= 0))
    return TRUE;
  if (!sextant_spending_check (sextant_invocation_log_get_store (self->log), self->prices, self->monthly_limit,
                               self->conversation_limit, conversation_id, g_get_real_time (), &status, error))
    return FALSE;
  if ((message = sextant_spending_describe (&status)) == NULL)
    return TRUE;
  allowed = g_hash_table_contains (self->over_limit, &conversation_id);
  if (status.level == SEXTANT_SPENDING_STOP && !allowed)
    {
      sextant_log_writer_note ("agent", "Spending limit reached; conversation %" G_GINT64_FORMAT " not sent: %s",
                               conversation_id, message);
      g_set_error_literal (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_SPENDING_LIMIT, message);
      return FALSE;
    }
  g_signal_emit (self, _sextant_agent_signals[AGENT_SPENDING_WARNING], 0, conversation_id, message);

  return TRUE;
}

void
_sextant_agent_turn_start (SextantAgent *self,
                           GTask        *task,
                           gint64        conversation_id,
                           const char   *question)
{
  g_autoptr(SextantConversationInfo) info = NULL;
  GError *error = NULL;
  Turn *turn;

  if (!(info = sextant_conversation_store_get (self->conversations, conversation_id, &error)) ||
      (self->client != NULL && (self->model != NULL || info->model != NULL) &&
       !within_spending_limits (self, conversation_id, &error)))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  turn = g_new0 (Turn, 1);
  turn->agent = g_object_ref (self);
  turn->citations = sextant_citations_new ();
  turn->task = task;
  turn->conversation_id = conversation_id;
  turn->role = g_strdup (info->role);
  turn->model = g_strdup (self->model != NULL ? self->model : info->model);
  turn->started_real = g_get_real_time ();
  turn->started_mono = g_get_monotonic_time ();
  _sextant_agent_set_busy (self, TRUE);
  if (!take_question (turn, question, &error))
    {
      finish (turn, "failed", error);
      return;
    }
  if (self->client == NULL || turn->model == NULL)
    {
      answer_offline (turn, self->client != NULL ? "No Bedrock model is chosen." :
                            self->offline_reason != NULL ? self->offline_reason :
                            "No Amazon Bedrock connection is set up.");
      return;
    }

  if (g_strcmp0 (info->model, turn->model) != 0)
    sextant_conversation_store_set_model (self->conversations, conversation_id, turn->model, NULL);
  if (!(turn->system = sextant_conversation_store_dup_role_prompt (self->conversations, info->role, &error)))
    {
      finish (turn, "failed", error);
      return;
    }
  turn->queued_handler = g_signal_connect (sextant_bedrock_client_get_session (self->client), "request-queued",
                                           G_CALLBACK (request_queued_cb), turn);
  send_round (turn);
}

void
_sextant_agent_desk_turn_start (SextantAgent *self,
                                GTask        *task,
                                gint64        parent_conversation_id,
                                const char   *question)
{
  g_autoptr(SextantConverseMessage) message = sextant_converse_message_new ("user");
  GError *error = NULL;
  Turn *turn = g_new0 (Turn, 1);

  turn->agent = g_object_ref (self);
  turn->task = task;
  turn->citations = sextant_citations_new ();
  turn->conversation_id = parent_conversation_id;
  turn->ephemeral = TRUE;
  turn->memory = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_stored_message_free);
  turn->role = g_strdup (self->desk);
  turn->model = g_strdup (self->model);
  turn->question = g_strdup (question);
  turn->started_real = g_get_real_time ();
  turn->started_mono = g_get_monotonic_time ();
  _sextant_agent_set_busy (self, TRUE);
  sextant_converse_message_add_text (message, question);
  turn->user_message_id = store_message (turn, message, SEXTANT_MESSAGE_COMPLETE, 0, 0);
  if (self->client == NULL || turn->model == NULL)
    {
      answer_offline (turn, self->client != NULL ? "No Bedrock model is chosen." :
                            self->offline_reason != NULL ? self->offline_reason :
                            "No Amazon Bedrock connection is set up.");
      return;
    }
  if (!(turn->system = sextant_conversation_store_dup_role_prompt (self->conversations, self->desk, &error)))
    {
      finish (turn, "failed", error);
      return;
    }
  turn->queued_handler = g_signal_connect (sextant_bedrock_client_get_session (self->client), "request-queued",
                                           G_CALLBACK (request_queued_cb), turn);
  send_round (turn);
}
