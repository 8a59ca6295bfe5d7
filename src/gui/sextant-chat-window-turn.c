#define G_LOG_DOMAIN "sextant-chat-window-turn"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "sextant-chat-window-private.h"

/* One question and its answer, as the session reports it: the question is shown at once and
 * gets its id when stored; text deltas grow a streaming answer; tool calls become cards on the
 * answer that asked for them; the end of the turn settles the states. The composer is emptied
 * on send and never touched again by the turn, so whatever the user types meanwhile survives
 * any failure, and Retry asks the stored question again without using the composer. */

static void
append_message (SextantChatWindow  *self,
                SextantChatMessage *message)
{
  g_list_store_append (self->messages, message);
  gtk_stack_set_visible_child_name (self->message_stack, "messages");
}

/* retry countdown ------------------------------------------------------------------------------ */

static gboolean
retry_tick_cb (gpointer data)
{
  SextantChatWindow *self = data;
  gint64 left_ms = (self->retry_deadline - g_get_monotonic_time ()) / 1000;
  g_autofree char *text = NULL;

  if (left_ms > 0)
    /* Translators: Bedrock's reason, the seconds left, then the attempt to come and of how many */
    text = g_strdup_printf (_("Bedrock did not answer (%s). Trying again in %.0f s — attempt %u of %u."),
                            self->retry_reason, ceil (left_ms / 1000.0), self->retry_attempt + 1, self->retry_max_attempts);
  else
    /* Translators: the attempt now running, and of how many */
    text = g_strdup_printf (_("Trying again — attempt %u of %u…"), self->retry_attempt + 1, self->retry_max_attempts);
  gtk_label_set_text (self->retry_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_label), TRUE);
  if (left_ms > 0)
    return G_SOURCE_CONTINUE;
  self->retry_source = 0;

  return G_SOURCE_REMOVE;
}

/* A throttled or failed attempt: say so and count down, so the wait does not look like a hang. */
static void
retrying_cb (SextantChatSession *session,
             guint               failed_attempt,
             guint               max_attempts,
             guint               delay_ms,
             const char         *reason,
             SextantChatWindow  *self)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_free (self->retry_reason);
  self->retry_reason = g_strdup (reason);
  self->retry_attempt = failed_attempt;
  self->turn_retries++;
  self->retry_max_attempts = max_attempts;
  self->retry_deadline = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  if (retry_tick_cb (self))
    self->retry_source = g_timeout_add (250, retry_tick_cb, self);
}

void
_sextant_chat_window_hide_retry (SextantChatWindow *self)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_pointer (&self->retry_reason, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_label), FALSE);
}

static void
text_delta_cb (SextantChatSession *session,
               const char         *delta,
               SextantChatWindow  *self)
{
  _sextant_chat_window_hide_retry (self);
  if (self->streaming == NULL)
    {
      self->streaming = sextant_chat_message_new ("assistant");
      sextant_chat_message_set_state (self->streaming, SEXTANT_CHAT_MESSAGE_STREAMING);
      append_message (self, self->streaming);
    }
  sextant_chat_message_append_text (self->streaming, delta);
  sextant_chat_transcript_queue_update (self->transcript, self->streaming);
}

static SextantChatMessage *
tool_target (SextantChatWindow *self)
{
  /* A round that asked for tools without any text has no message yet: make an empty one. */
  if (self->last_assistant == NULL)
    {
      self->last_assistant = sextant_chat_message_new ("assistant");
      append_message (self, self->last_assistant);
    }

  return self->last_assistant;
}

static void
tool_call_started_cb (SextantChatSession *session,
                      const char         *id,
                      const char         *name,
                      JsonNode           *input,
                      SextantChatWindow  *self)
{
  sextant_chat_message_add_tool_call (tool_target (self), id, name, input);
}

static void
tool_call_finished_cb (SextantChatSession *session,
                       const char         *id,
                       const char         *name,
                       JsonNode           *result,
                       gboolean            is_error,
                       SextantChatWindow  *self)
{
  sextant_chat_message_set_tool_result (tool_target (self), id, result, is_error);
  self->tool_results_due = TRUE;
}

static void
message_stored_cb (SextantChatSession *session,
                   gint64              conversation_id,
                   gint64              message_id,
                   SextantChatWindow  *self)
{
  if (conversation_id != self->conversation_id)
    return;
  if (self->pending_user != NULL)
    {
      sextant_chat_message_set_id (self->pending_user, message_id);
      g_set_object (&self->last_stored, self->pending_user);
      g_clear_object (&self->pending_user);
      return;
    }
  if (self->streaming != NULL)
    {
      sextant_chat_message_set_id (self->streaming, message_id);
      sextant_chat_message_set_state (self->streaming, SEXTANT_CHAT_MESSAGE_COMPLETE);
      g_set_object (&self->last_assistant, self->streaming);
      g_set_object (&self->last_stored, self->streaming);
      g_clear_object (&self->streaming);
      self->turn_stored_answer = TRUE;
      return;
    }
  if (self->tool_results_due)
    {
      /* The user turn carrying tool results: shown on the cards, not as a message. The next
       * round's answer is a new message. */
      self->tool_results_due = FALSE;
      g_clear_object (&self->last_assistant);
      g_clear_object (&self->last_stored);
      return;
    }
  /* An answer made of tool calls only. */
  g_clear_object (&self->last_assistant);
  sextant_chat_message_set_id (tool_target (self), message_id);
  g_set_object (&self->last_stored, self->last_assistant);
  self->turn_stored_answer = TRUE;
}

static void
spending_warning_cb (SextantChatSession *session,
                     gint64              conversation_id,
                     const char         *message,
                     SextantChatWindow  *self)
{
  g_free (self->spending_warning);
  self->spending_warning = g_strdup (message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

void
_sextant_chat_window_connect_session (SextantChatWindow *self)
{
  g_signal_connect (self->session, "text-delta", G_CALLBACK (text_delta_cb), self);
  g_signal_connect (self->session, "tool-call-started", G_CALLBACK (tool_call_started_cb), self);
  g_signal_connect (self->session, "tool-call-finished", G_CALLBACK (tool_call_finished_cb), self);
  g_signal_connect (self->session, "message-stored", G_CALLBACK (message_stored_cb), self);
  g_signal_connect (self->session, "retrying", G_CALLBACK (retrying_cb), self);
  g_signal_connect_swapped (self->session, "notify::busy", G_CALLBACK (_sextant_chat_window_update_busy), self);
  g_signal_connect (self->session, "spending-warning", G_CALLBACK (spending_warning_cb), self);
}

/* The last user message of the list, if no answer follows it. */
static SextantChatMessage *
unanswered_question (SextantChatWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));
  g_autoptr(SextantChatMessage) last = n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->messages), n - 1) : NULL;

  return last != NULL && sextant_chat_message_is_user (last) ? last : NULL;
}

static char *
describe_error (SextantChatWindow *self,
                const GError      *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup (_("Stopped. The partial answer is kept; Retry asks again."));
  /* The agent's sentence already says which limit and what to do. */
  if (g_error_matches (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_SPENDING_LIMIT))
    return g_strdup (error->message);
  if (g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_THROTTLED) &&
      self->turn_retries > 0)
    /* Translators: %s is Bedrock's own message */
    return g_strdup_printf (_("Amazon Bedrock is throttling requests and the retries ran out (%s). "
                              "Your question is kept: Retry in a moment."), error->message);
  /* Throttled in the middle of an answer: a stream cannot be resumed, so nothing was retried. */
  if (g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_THROTTLED))
    /* Translators: %s is Bedrock's own message */
    return g_strdup_printf (_("Amazon Bedrock throttled the answer while it was being written (%s). "
                              "What arrived is kept: Retry in a moment replaces it."), error->message);

  if (g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_ACCESS_DENIED) ||
      g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS) ||
      g_error_matches (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_EXPIRED_TOKEN))
    {
      SextantBedrockClient *client = sextant_chat_session_get_client (self->session);
      const char *region = client != NULL ? sextant_bedrock_client_get_region (client) : "?";

      /* Translators: %s are the AWS region and Bedrock's own message */
      return g_strdup_printf (_("Amazon Bedrock in %s refused the request: %s. Check the keys, the "
                                "region and the model's access in Preferences (Ctrl+,). Your question "
                                "is kept."), region, error->message);
    }

  /* Translators: %s says what went wrong */
  return g_strdup_printf (_("The answer failed: %s. Your question is kept: Retry asks it again."), error->message);
}

static void
turn_failed (SextantChatWindow *self,
             const GError      *error)
{
  g_autofree char *message = describe_error (self, error);
  SextantChatMessage *question = unanswered_question (self);

  /* Text that arrived before the failure is kept and marked as partial. */
  if (self->streaming != NULL)
    {
      sextant_chat_message_set_state (self->streaming, SEXTANT_CHAT_MESSAGE_INTERRUPTED);
      g_clear_object (&self->streaming);
    }
  else if (self->last_stored != NULL && !sextant_chat_message_is_user (self->last_stored) &&
           sextant_chat_message_get_n_tool_calls (self->last_stored) == 0)
    sextant_chat_message_set_state (self->last_stored, SEXTANT_CHAT_MESSAGE_INTERRUPTED);
  if (question != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sextant_chat_message_set_state (question, SEXTANT_CHAT_MESSAGE_FAILED);
  _sextant_chat_window_show_error (self, message);
  /* Stopped by a spending limit before the question was stored: Ask Anyway sends it. */
  g_clear_pointer (&self->blocked_question, g_free);
  if (g_error_matches (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_SPENDING_LIMIT) && question != NULL)
    {
      self->blocked_question = g_strdup (sextant_chat_message_get_text (question));
      gtk_widget_set_visible (self->ask_anyway_button, TRUE);
    }
}

static void start_turn (SextantChatWindow *self,
                        const char        *question);

/* A question a spending limit stopped, sent again: with @override, past the limit. */
static void
resend_blocked (SextantChatWindow *self,
                gboolean           override)
{
  g_autofree char *question = g_steal_pointer (&self->blocked_question);
  SextantChatMessage *bubble;

  if (question == NULL || self->conversation_id <= 0 || _sextant_chat_window_turn_running (self))
    return;
  if (override)
    sextant_chat_session_allow_over_limit (self->session, self->conversation_id);
  /* The question's bubble is still there, never stored: it becomes the one stored now. */
  if ((bubble = unanswered_question (self)) != NULL)
    {
      sextant_chat_message_set_state (bubble, SEXTANT_CHAT_MESSAGE_COMPLETE);
      g_set_object (&self->pending_user, bubble);
    }
  start_turn (self, question);
}

void
_sextant_chat_window_ask_anyway (SextantChatWindow *self)
{
  resend_blocked (self, TRUE);
}

/* The answer Retry asked for arrived: the interrupted one it replaces goes, from the view and
 * from the store, so the conversation has one answer per question. */
static void
replace_interrupted (SextantChatWindow *self)
{
  g_autoptr(GError) error = NULL;
  guint position;

  if (!g_list_store_find (self->messages, self->replacing, &position))
    return;
  if (sextant_chat_message_get_id (self->replacing) > 0 &&
      !sextant_conversation_store_replace_message (self->conversations, self->conversation_id,
                                                   sextant_chat_message_get_id (self->replacing), &error))
    {
      g_warning ("Could not remove the replaced answer: %s", error->message);
      return;
    }
  g_list_store_remove (self->messages, position);
}

static void
ask_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SextantChatWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantChatReply) reply = sextant_chat_session_ask_finish (SEXTANT_CHAT_SESSION (object), result, &error);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->pending_user);
  if (self->session == NULL)
    return;
  _sextant_chat_window_update_busy (self);
  /* The interrupted answer goes once Retry brought another: a whole one, or one cut off in turn
   * (throttled mid-stream again), which is now the answer Retry replaces. A Retry that failed
   * before any of its answer arrived keeps it. */
  if (self->replacing != NULL &&
      (reply != NULL || self->streaming != NULL ||
       (self->last_stored != NULL && !sextant_chat_message_is_user (self->last_stored))))
    replace_interrupted (self);
  g_clear_object (&self->replacing);
  if (reply == NULL)
    turn_failed (self, error);
  else if (self->last_stored != NULL && !sextant_chat_message_is_user (self->last_stored))
    {
      sextant_chat_message_set_offline (self->last_stored, reply->offline);
      /* Bedrock was set up but could not be reached: this answer came from the offline analyst. */
      if (reply->offline && sextant_chat_session_get_online (self->session))
        adw_window_title_set_subtitle (self->window_title, _("Offline analyst — Amazon Bedrock could not be reached"));
      sextant_chat_message_set_region (self->last_stored, reply->region);
      sextant_chat_message_set_cache_tokens (self->last_stored, reply->cache_read_tokens, reply->cache_write_tokens);
      sextant_chat_message_set_tokens (self->last_stored, reply->input_tokens, reply->output_tokens);
      /* The answer as stored: its bare [n] citations became links to the passages (the agent's
       * sextant_citations_link()), which the streamed text could not have. */
      if (reply->text != NULL && sextant_chat_message_get_n_tool_calls (self->last_stored) == 0 &&
          g_strcmp0 (reply->text, sextant_chat_message_get_text (self->last_stored)) != 0)
        {
          sextant_chat_message_set_text (self->last_stored, reply->text);
          sextant_chat_transcript_queue_update (self->transcript, self->last_stored);
        }
    }
  g_clear_object (&self->streaming);
  g_clear_object (&self->last_assistant);
  g_clear_object (&self->last_stored);
  _sextant_chat_window_update_usage (self);
}

static void
start_turn (SextantChatWindow *self,
            const char        *question)
{
  g_clear_object (&self->streaming);
  g_clear_object (&self->last_assistant);
  g_clear_object (&self->last_stored);
  self->turn_stored_answer = FALSE;
  self->tool_results_due = FALSE;
  self->turn_retries = 0;
  _sextant_chat_window_show_error (self, NULL);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  _sextant_chat_window_update_busy (self);
  _sextant_chat_window_scroll_to_end (self);
  sextant_chat_session_ask_async (self->session, self->conversation_id, question, self->cancellable,
                                  ask_done_cb, g_object_ref (self));
}

void
_sextant_chat_window_send (SextantChatWindow *self)
{
  g_autofree char *draft = sextant_chat_window_dup_draft (self);
  g_autoptr(GError) error = NULL;
  char *question = g_strstrip (draft);

  if (question[0] == '\0' || _sextant_chat_window_turn_running (self))
    return;
  if (!_sextant_chat_window_ensure_conversation (self, question, &error))
    {
      /* Nothing was sent: the draft stays where it is. */
      _sextant_chat_window_show_error (self, error->message);
      return;
    }
  self->pending_user = sextant_chat_message_new ("user");
  sextant_chat_message_set_text (self->pending_user, question);
  append_message (self, self->pending_user);
  sextant_chat_window_set_draft (self, NULL);
  start_turn (self, question);
}

void
_sextant_chat_window_retry (SextantChatWindow *self)
{
  SextantChatMessage *question;

  if (self->conversation_id <= 0 || _sextant_chat_window_turn_running (self))
    return;
  /* Retry after a spending stop asks again within the limits (a raised limit lets it through). */
  if (self->blocked_question != NULL)
    {
      resend_blocked (self, FALSE);
      return;
    }
  if ((question = unanswered_question (self)) != NULL)
    sextant_chat_message_set_state (question, SEXTANT_CHAT_MESSAGE_COMPLETE);
  else
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));
      g_autoptr(SextantChatMessage) last = n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->messages), n - 1) : NULL;

      /* An answer cut off is replaced by the one Retry brings, once that one is whole. */
      if (last != NULL && !sextant_chat_message_is_user (last) &&
          sextant_chat_message_get_state (last) == SEXTANT_CHAT_MESSAGE_INTERRUPTED &&
          sextant_chat_message_get_n_tool_calls (last) == 0)
        g_set_object (&self->replacing, last);
    }
  start_turn (self, NULL);
}

void
_sextant_chat_window_stop (SextantChatWindow *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}
