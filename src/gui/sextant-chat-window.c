#define G_LOG_DOMAIN "sextant-chat-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-chat-window-private.h"
#include "base/sextant-glib-compat.h"
#include "sextant-message-row.h"
#include "sextant-knowledge-window.h"
#include "sextant-monitoring-window.h"
#include "sextant-role-prompts-window.h"

/* The assistant's window: a sidebar of conversations, the messages of the open one in a
 * GtkListView (only visible rows exist, so a chat of thousands of messages scrolls and types
 * as fast as a short one), and a composer with role and model pickers and the token count. */

enum { PROP_0, PROP_CONVERSATIONS, N_PROPS };
static GParamSpec *properties [N_PROPS];

static const char * const role_ids[] = {
  SEXTANT_ROLE_ANALYST, SEXTANT_ROLE_PORTFOLIO_MANAGER, SEXTANT_ROLE_RISK_OFFICER,
};

G_DEFINE_FINAL_TYPE (SextantChatWindow, sextant_chat_window, SEXTANT_TYPE_WORKSPACE_WINDOW)

static void update_knowledge (SextantChatWindow    *self,
                              SextantBedrockClient *client);

const char *
_sextant_chat_window_role_id (SextantChatWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->role_dropdown);

  return role_ids[i < G_N_ELEMENTS (role_ids) ? i : 0];
}

/**
 * sextant_chat_window_set_role:
 * @self: a chat window
 * @role: %SEXTANT_ROLE_ANALYST, %SEXTANT_ROLE_PORTFOLIO_MANAGER or %SEXTANT_ROLE_RISK_OFFICER
 *
 * Picks the assistant's role, as the role picker does: for the open conversation if there is
 * one, else for the next one.
 */
void
sextant_chat_window_set_role (SextantChatWindow *self,
                              const char        *role)
{
  g_return_if_fail (SEXTANT_IS_CHAT_WINDOW (self));
  g_return_if_fail (sextant_agent_role_is_known (role));

  for (guint i = 0; i < G_N_ELEMENTS (role_ids); i++)
    if (g_str_equal (role_ids[i], role))
      gtk_drop_down_set_selected (self->role_dropdown, i);
}

static void connect_bedrock (SextantChatWindow *self);

/* composer ------------------------------------------------------------------------------------- */

static gboolean
composer_key_pressed_cb (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         SextantChatWindow     *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  /* Shift+Enter is a new line; Enter and Ctrl+Enter send. */
  if (state & GDK_SHIFT_MASK)
    return FALSE;
  _sextant_chat_window_send (self);

  return TRUE;
}

char *
sextant_chat_window_dup_draft (SextantChatWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (SEXTANT_IS_CHAT_WINDOW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->composer_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
sextant_chat_window_set_draft (SextantChatWindow *self,
                               const char        *text)
{
  g_return_if_fail (SEXTANT_IS_CHAT_WINDOW (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->composer_view), text != NULL ? text : "", -1);
}

/* pickers -------------------------------------------------------------------------------------- */

static void
desk_models_changed_cb (SextantChatWindow *self,
                        const char        *key,
                        GSettings         *settings)
{
  g_autoptr(GVariant) desk_models = g_settings_get_value (settings, "desk-models");

  sextant_chat_session_set_desk_models (self->session, desk_models);
}

static void
use_model (SextantChatWindow *self,
           const char        *model_id)
{
  if (model_id == NULL || model_id[0] == '\0' || !sextant_set_str (&self->model, model_id))
    return;
  sextant_chat_session_set_model (self->session, model_id);
  sextant_model_picker_set_model_id (self->model_picker, model_id);
  if (self->conversation_id > 0 && !self->filling)
    sextant_conversation_store_set_model (self->conversations, self->conversation_id, model_id, NULL);
  _sextant_chat_window_update_usage (self);
}

static void
model_picked_cb (SextantChatWindow *self)
{
  if (!self->filling)
    use_model (self, sextant_model_picker_get_model_id (self->model_picker));
}

static void
role_selected_cb (SextantChatWindow *self)
{
  if (self->conversation_id > 0 && !self->filling)
    sextant_conversation_store_set_role (self->conversations, self->conversation_id,
                                         _sextant_chat_window_role_id (self), NULL);
}

/* The picker lists the region's models: the built-in list until Bedrock's catalogue is read. */
static void
fill_models (SextantChatWindow *self,
             const char        *region)
{
  if (region != self->region)
    {
      g_free (self->region);
      self->region = g_strdup (region);
    }
  sextant_model_picker_set_region (self->model_picker, self->region);
}

/* usage and status ----------------------------------------------------------------------------- */

/* “≈ $0.0123”: a turn costs cents or less, so below a dollar the figure keeps four decimals;
 * %NULL when the model has no price. */
static char *
format_cost (double cost)
{
  if (isnan (cost))
    return NULL;
  if (cost > 0 && cost < 0.00005)
    /* Translators: an estimated cost in US dollars, too small to show */
    return g_strdup (_("< $0.0001"));
  /* Translators: an estimated cost in US dollars */
  if (cost < 1)
    return g_strdup_printf (_("≈ $%.4f"), cost);

  /* Translators: an estimated cost in US dollars */
  return g_strdup_printf (_("≈ $%.2f"), cost);
}

static char *
message_cost_cb (SextantChatMessage *message,
                 gpointer            user_data)
{
  SextantChatWindow *self = user_data;
  gint64 input = 0, output = 0, cache_read = 0, cache_write = 0;

  sextant_chat_message_get_tokens (message, &input, &output);
  sextant_chat_message_get_cache_tokens (message, &cache_read, &cache_write);

  return format_cost (sextant_model_prices_estimate_usage (self->prices, self->model, input, output,
                                                           cache_read, cache_write));
}

void
_sextant_chat_window_update_usage (SextantChatWindow *self)
{
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *input_text = NULL;
  g_autofree char *output_text = NULL;
  g_autofree char *text = NULL;

  if (self->conversation_id <= 0 ||
      (info = sextant_conversation_store_get (self->conversations, self->conversation_id, NULL)) == NULL ||
      info->input_tokens + info->output_tokens == 0)
    {
      gtk_label_set_text (self->usage_label, "");
      return;
    }
  /* priced as each answer is: a cache read costs a tenth of an input token, a write a quarter
   * more (the table's own prices for the model) */
  cost = format_cost (sextant_model_prices_estimate_usage (self->prices,
                                                           info->model != NULL ? info->model : self->model,
                                                           info->input_tokens, info->output_tokens,
                                                           info->cache_read_tokens, info->cache_write_tokens));
  /* Numbers formatted first: xgettext cannot read a msgid through G_GINT64_FORMAT. */
  input_text = g_strdup_printf ("%'" G_GINT64_FORMAT, info->input_tokens);
  output_text = g_strdup_printf ("%'" G_GINT64_FORMAT, info->output_tokens);
  if (info->cache_read_tokens > 0 || info->cache_write_tokens > 0)
    {
      g_autofree char *read_text = g_strdup_printf ("%'" G_GINT64_FORMAT, info->cache_read_tokens);
      g_autofree char *write_text = g_strdup_printf ("%'" G_GINT64_FORMAT, info->cache_write_tokens);

      /* Translators: the token use of a whole conversation with its prompt-cache reads and
       * writes, then an optional cost estimate */
      text = g_strdup_printf (_("Conversation: %s tokens in, %s out, cache %s read, %s written%s%s%s"),
                              input_text, output_text, read_text, write_text, cost != NULL ? " · " : "",
                              cost != NULL ? cost : "", cost != NULL ? _(" (estimate)") : "");
    }
  else
    /* Translators: the token use of a whole conversation, then an optional cost estimate */
    text = g_strdup_printf (_("Conversation: %s tokens in, %s out%s%s%s"),
                            input_text, output_text, cost != NULL ? " · " : "",
                            cost != NULL ? cost : "", cost != NULL ? _(" (estimate)") : "");
  gtk_label_set_text (self->usage_label, text);
}

static void
update_subtitle (SextantChatWindow *self)
{
  g_autofree char *subtitle = NULL;

  if (sextant_chat_session_get_online (self->session))
    /* Translators: the chat window's subtitle when answers come from Amazon Bedrock */
    subtitle = g_strdup_printf (_("Amazon Bedrock · %s"), self->model != NULL ? self->model : "");
  else if (self->offline_reason != NULL)
    /* Translators: the chat window's subtitle in offline mode, with the reason */
    subtitle = g_strdup_printf (_("Offline analyst — %s"), self->offline_reason);
  else
    subtitle = g_strdup (_("Offline analyst — no language model"));
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

/* A turn runs from the window's ask until its answer is handled: the agent is idle a moment
 * before the window has seen the end of a stopped turn, and a question sent in that moment
 * would mix with the ending one. */
gboolean
_sextant_chat_window_turn_running (SextantChatWindow *self)
{
  return self->cancellable != NULL || (self->session != NULL && sextant_chat_session_get_busy (self->session));
}

void
_sextant_chat_window_update_busy (SextantChatWindow *self)
{
  gboolean busy = _sextant_chat_window_turn_running (self);

  if (!busy)
    _sextant_chat_window_hide_retry (self);
  if (!busy && self->reconnect_pending)
    {
      self->reconnect_pending = FALSE;
      connect_bedrock (self);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry", !busy);
}

void
_sextant_chat_window_show_error (SextantChatWindow *self,
                                 const char        *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
  /* Ask Anyway belongs to the one error that offers it (a spending limit). */
  gtk_widget_set_visible (self->ask_anyway_button, FALSE);
}

/**
 * sextant_chat_window_get_spending_warning:
 *
 * Returns: (nullable): the last spending warning shown (80 % of a limit, or past one)
 */
const char *
sextant_chat_window_get_spending_warning (SextantChatWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_WINDOW (self), NULL);

  return self->spending_warning;
}

/* The limits of Preferences and the window's price table, for the session's agents. */
static void
update_spending_limits (SextantChatWindow *self)
{
  GSettings *settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));

  if (self->session == NULL)
    return;
  sextant_chat_session_set_spending_limits (self->session, self->prices,
                                            g_settings_get_double (settings, "spending-limit-monthly"),
                                            g_settings_get_double (settings, "spending-limit-conversation"));
}

const char *
sextant_chat_window_get_error (SextantChatWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_WINDOW (self), NULL);

  return gtk_revealer_get_reveal_child (self->error_revealer) ? gtk_label_get_text (self->error_label) : NULL;
}

gboolean
sextant_chat_window_get_busy (SextantChatWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_WINDOW (self), FALSE);

  return _sextant_chat_window_turn_running (self);
}

/* scrolling ------------------------------------------------------------------------------------ */

static void
stick_to_end (SextantChatWindow *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->message_scroller);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (self->stick_to_bottom && g_list_model_get_n_items (G_LIST_MODEL (self->messages)) > 0 &&
      gtk_adjustment_get_value (adjustment) < bottom)
    gtk_adjustment_set_value (adjustment, bottom);
}

/* The list view measures rows as they appear and corrects its height over a few frames, so
 * the view is kept at the end after every frame while it should follow the answer. */
static gboolean
follow_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  SextantChatWindow *self = SEXTANT_CHAT_WINDOW (widget);

  /* The answer that grew since the last frame is shown once, before layout, as much of it as
   * a frame can lay out (see frame_painted_cb()). */
  self->frame_start = g_get_monotonic_time ();
  if (self->transcript != NULL)
    {
      self->frame_revealed = sextant_chat_transcript_flush (self->transcript,
                                                            sextant_reveal_pacer_next_budget (&self->pacer));
      /* Text left to show: the budget, not the text, limited this frame. */
      self->budget_limited = sextant_chat_transcript_get_pending (self->transcript);
    }
  stick_to_end (self);

  return G_SOURCE_CONTINUE;
}

/* How much more of a streaming answer the next frame shows is chosen before the frame from its
 * measured costs (SextantRevealPacer). The aim is 8 ms of the 16 ms a frame has at 60 Hz: the
 * same text can cost half as much again from one frame to the next, and 1 MB still shows at
 * tens of KB a second, far faster than any model writes. */
#define FRAME_TARGET_US 8000
#define MIN_REVEAL 256
#define MAX_REVEAL 16384

static void
frame_painted_cb (GdkFrameClock     *clock,
                  SextantChatWindow *self)
{
  gint64 took = g_get_monotonic_time () - self->frame_start;

  if (self->frame_start == 0)
    return;
  self->frame_start = 0;
  /* Frames during a turn say what a frame costs; others (a menu opening) are not this work. */
  if (self->frame_revealed > 0 || sextant_chat_session_get_busy (self->session))
    sextant_reveal_pacer_frame_done (&self->pacer, took, self->frame_revealed);
}

static void
realize_cb (SextantChatWindow *self)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (frame_painted_cb), self, 0);
}

static gboolean
load_older_cb (gpointer data)
{
  SextantChatWindow *self = data;

  self->older_source = 0;
  _sextant_chat_window_load_older (self);

  return G_SOURCE_REMOVE;
}

static void
adjustment_value_changed_cb (GtkAdjustment     *adjustment,
                             SextantChatWindow *self)
{
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  /* Within a screen of the top: the older page is loaded before the user gets there. Not from
   * inside the scroll (the list view is mid-allocation), from an idle. */
  if (self->more_history && self->older_source == 0 && !self->stick_to_bottom &&
      gtk_adjustment_get_value (adjustment) < gtk_adjustment_get_page_size (adjustment))
    self->older_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, load_older_cb, self, NULL);

  /* Back at the end: follow again. Leaving it is only ever the user's doing (scroll_cb). */
  if (gtk_adjustment_get_value (adjustment) >= bottom - 24)
    self->stick_to_bottom = TRUE;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           SextantChatWindow        *self)
{
  if (dy < 0)
    self->stick_to_bottom = FALSE;

  return FALSE;
}

static gboolean
scroll_key_cb (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               SextantChatWindow     *self)
{
  if (keyval == GDK_KEY_Page_Up || keyval == GDK_KEY_Up || keyval == GDK_KEY_Home || keyval == GDK_KEY_KP_Page_Up)
    self->stick_to_bottom = FALSE;

  return FALSE;
}

/* At the next frame, from follow_tick_cb(): the list view has not laid out rows it was just
 * given (a conversation opened), and GTK 4.8 refuses to scroll a list to a position it has not
 * measured yet. */
void
_sextant_chat_window_scroll_to_end (SextantChatWindow *self)
{
  self->stick_to_bottom = TRUE;
  gtk_widget_queue_allocate (GTK_WIDGET (self->message_scroller));
}

/* list factory --------------------------------------------------------------------------------- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SextantChatWindow        *self)
{
  GtkWidget *row = sextant_message_row_new ();

  sextant_message_row_set_cost_func (SEXTANT_MESSAGE_ROW (row), message_cost_cb, self);
  /* An edited price shows at once on the answers in view. */
  g_signal_connect_object (self->prices, "changed", G_CALLBACK (sextant_message_row_update_cost), row,
                           G_CONNECT_SWAPPED);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, row);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             SextantChatWindow        *self)
{
  sextant_message_row_set_part (SEXTANT_MESSAGE_ROW (gtk_list_item_get_child (item)),
                                gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SextantChatWindow        *self)
{
  sextant_message_row_set_part (SEXTANT_MESSAGE_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
setup_message_view (SextantChatWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->message_scroller);
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->transcript)));
  gtk_list_view_set_model (self->message_view, GTK_SELECTION_MODEL (selection));
  gtk_list_view_set_factory (self->message_view, factory);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self, 0);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->message_scroller), scroll);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (scroll_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->message_scroller), keys);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), follow_tick_cb, NULL, NULL);
  g_signal_connect (self, "realize", G_CALLBACK (realize_cb), NULL);
  self->stick_to_bottom = TRUE;
  sextant_reveal_pacer_init (&self->pacer, FRAME_TARGET_US, MIN_REVEAL, MAX_REVEAL);
}

/* actions -------------------------------------------------------------------------------------- */

static void
send_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  _sextant_chat_window_send (SEXTANT_CHAT_WINDOW (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  _sextant_chat_window_stop (SEXTANT_CHAT_WINDOW (widget));
}

static void
retry_action (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  _sextant_chat_window_retry (SEXTANT_CHAT_WINDOW (widget));
}

static void
ask_anyway_action (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  _sextant_chat_window_ask_anyway (SEXTANT_CHAT_WINDOW (widget));
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  _sextant_chat_window_show_error (SEXTANT_CHAT_WINDOW (widget), NULL);
}

static void
new_conversation_action (GtkWidget  *widget,
                         const char *name,
                         GVariant   *param)
{
  _sextant_chat_window_new_conversation (SEXTANT_CHAT_WINDOW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  SextantChatWindow *self = SEXTANT_CHAT_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
copy_last_answer_action (GtkWidget  *widget,
                         const char *name,
                         GVariant   *param)
{
  SextantChatWindow *self = SEXTANT_CHAT_WINDOW (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));

  for (guint i = n; i-- > 0;)
    {
      g_autoptr(SextantChatMessage) message = g_list_model_get_item (G_LIST_MODEL (self->messages), i);

      if (!sextant_chat_message_is_user (message) && sextant_chat_message_get_text (message)[0] != '\0')
        {
          gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), sextant_chat_message_get_text (message));
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Answer copied")));
          return;
        }
    }
}

static void
rename_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  _sextant_chat_window_rename (SEXTANT_CHAT_WINDOW (widget));
}

static void
pin_action (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  _sextant_chat_window_set_pinned (SEXTANT_CHAT_WINDOW (widget), g_str_equal (name, "win.pin-conversation"));
}

static void
delete_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  _sextant_chat_window_delete (SEXTANT_CHAT_WINDOW (widget));
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  _sextant_chat_window_undo_delete (SEXTANT_CHAT_WINDOW (widget));
}

static void
export_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  _sextant_chat_window_export (SEXTANT_CHAT_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
edit_prices_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  _sextant_chat_window_edit_prices (SEXTANT_CHAT_WINDOW (widget));
}

/* Opens on the role of the conversation in view; what is saved applies from its next question. */
static void
knowledge_base_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SextantChatWindow *self = SEXTANT_CHAT_WINDOW (widget);
  SextantKnowledgeWindow *window;

  if (self->knowledge == NULL)
    return;
  window = sextant_knowledge_window_new (self->knowledge, self->knowledge_client);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (window));
}

static void
edit_role_prompts_action (GtkWidget  *widget,
                          const char *name,
                          GVariant   *param)
{
  SextantChatWindow *self = SEXTANT_CHAT_WINDOW (widget);
  SextantRolePromptsWindow *editor = sextant_role_prompts_window_new (self->conversations);

  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  sextant_role_prompts_window_show_role (editor, _sextant_chat_window_role_id (self));
  gtk_window_present (GTK_WINDOW (editor));
}

/* The assistant's telemetry: the workspace's one monitoring window. */
static void
show_monitoring_action (GtkWidget  *widget,
                        const char *name,
                        GVariant   *param)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (widget));

  sextant_monitoring_window_present_for (gtk_window_get_application (GTK_WINDOW (widget)), workspace);
}

static void
summarise_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  SextantChatWindow *self = SEXTANT_CHAT_WINDOW (widget);
  g_autofree char *draft = sextant_chat_window_dup_draft (self);

  /* The committee prompt is sent as a question of its own; the draft waits in the composer. */
  if (self->conversation_id <= 0)
    return;
  sextant_chat_window_set_draft (self, sextant_agent_committee_summary_prompt ());
  _sextant_chat_window_send (self);
  if (!_sextant_chat_window_turn_running (self))
    return;
  sextant_chat_window_set_draft (self, draft);
}

static void
install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_action);
  gtk_widget_class_install_action (widget_class, "win.ask-anyway", NULL, ask_anyway_action);
  gtk_widget_class_install_action (widget_class, "win.new-conversation", NULL, new_conversation_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.copy-last-answer", NULL, copy_last_answer_action);
  gtk_widget_class_install_action (widget_class, "win.rename-conversation", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "win.pin-conversation", NULL, pin_action);
  gtk_widget_class_install_action (widget_class, "win.unpin-conversation", NULL, pin_action);
  gtk_widget_class_install_action (widget_class, "win.delete-conversation", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", NULL, undo_delete_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.edit-prices", NULL, edit_prices_action);
  gtk_widget_class_install_action (widget_class, "win.edit-role-prompts", NULL, edit_role_prompts_action);
  gtk_widget_class_install_action (widget_class, "win.knowledge-base", NULL, knowledge_base_action);
  gtk_widget_class_install_action (widget_class, "win.summarise", NULL, summarise_action);
  gtk_widget_class_install_action (widget_class, "win.show-monitoring", NULL, show_monitoring_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-monitoring", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-conversation", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-last-answer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_C, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-last-answer", NULL);
}

/* setup ---------------------------------------------------------------------------------------- */

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SextantChatWindow *self = user_data;
  g_autoptr(SextantBedrockClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = sextant_bedrock_connect_finish (result, NULL, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (_sextant_chat_window_turn_running (self))
    {
      /* Found while a question is being answered: connect again once it is. */
      self->reconnect_pending = TRUE;
      return;
    }
  if (client == NULL)
    g_debug ("No Bedrock credentials: %s", error->message);
  else
    {
      GSettings *settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));
      g_auto(GStrv) fallbacks = g_settings_get_strv (settings, "bedrock-fallback-routes");
      g_autoptr(GError) fallback_error = NULL;

      if (!sextant_bedrock_client_add_fallback_specs (client, (const char * const *) fallbacks, &fallback_error))
        g_warning ("Bedrock fallback regions: %s", fallback_error->message);
    }
  sextant_chat_window_set_client (self, client, client == NULL ? _("no AWS credentials were found") : NULL);
}

/* Connects without blocking the first frame (the keyring may take a moment). Also called when
 * the region or a key changes in Preferences, so the next question uses them: a connection
 * still being made is dropped for the new one, and during a turn the change waits for its end. */
static void
connect_bedrock (SextantChatWindow *self)
{
  GSettings *settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  g_autofree char *region = g_settings_get_string (settings, "aws-region");
  g_autofree char *profile = g_settings_get_string (settings, "aws-profile");
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  if ((config = sextant_aws_config_load_for_profile (NULL, region, profile, &error)) == NULL)
    {
      sextant_chat_window_set_client (self, NULL, error->message);
      return;
    }
  fill_models (self, config->region);
  g_cancellable_cancel (self->setup_cancellable);
  g_set_object (&self->setup_cancellable, g_cancellable_new ());
  sextant_bedrock_connect_async (sextant_workspace_get_secret_store (workspace), config,
                                 self->setup_cancellable, connected_cb, self);
}

static void
connection_settings_changed_cb (SextantChatWindow *self)
{
  if (_sextant_chat_window_turn_running (self))
    {
      self->reconnect_pending = TRUE;
      return;
    }
  connect_bedrock (self);
}

static void
secret_changed_cb (SextantSecretStore *secrets,
                   guint               key,
                   SextantChatWindow  *self)
{
  if (key == SEXTANT_SECRET_AWS_ACCESS_KEY_ID || key == SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY ||
      key == SEXTANT_SECRET_AWS_SESSION_TOKEN || key == SEXTANT_SECRET_BEDROCK_API_KEY)
    connection_settings_changed_cb (self);
}

static void
example_clicked_cb (GtkButton         *button,
                    SextantChatWindow *self)
{
  sextant_chat_window_set_draft (self, gtk_button_get_label (button));
  _sextant_chat_window_send (self);
}

static void
sextant_chat_window_data_changed (SextantWorkspaceWindow *window)
{
  SextantChatWindow *self = SEXTANT_CHAT_WINDOW (window);
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (window);
  g_autofree char *var = NULL;
  const char *examples[3];
  GtkWidget *child;

  /* Requests the offline analyst answers on the bundled data, so they work for everyone. */
  var = g_strdup_printf (_("VaR of portfolio %s"), sextant_portfolio_get_name (sextant_workspace_get_portfolio (workspace)));
  examples[0] = _("RSI of MSFT");
  examples[1] = _("Optimise MSFT IBM INTC for minimum variance");
  examples[2] = var;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->examples_box))) != NULL)
    gtk_box_remove (self->examples_box, child);
  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      GtkWidget *button = gtk_button_new_with_label (examples[i]);

      gtk_widget_add_css_class (button, "pill");
      g_signal_connect_object (button, "clicked", G_CALLBACK (example_clicked_cb), self, 0);
      gtk_box_append (self->examples_box, button);
    }
}

static void
load_css (void)
{
  static gsize loaded;

  if (g_once_init_enter (&loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "sextant-chat.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&loaded, 1);
    }
}

static SextantConversationStore *
open_conversations (SextantChatWindow *self)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) memory = NULL;

  if (sextant_workspace_get_store (workspace) != NULL || sextant_workspace_open_store (workspace, &error))
    {
      SextantEncryptionState state = sextant_workspace_get_encryption_state (workspace);

      /* An encrypted history without its key is shown read-only, and says why. */
      gtk_widget_set_visible (self->key_banner, sextant_encryption_state_is_read_only (state));
      gtk_label_set_text (self->key_banner_label, sextant_encryption_state_describe (state));
      return g_object_ref (sextant_workspace_get_conversations (workspace));
    }
  /* Without a database the chat still works; it is forgotten on close, and said so. */
  g_warning ("Conversations will not be saved: %s", error->message);
  memory = sextant_schema_open (":memory:", NULL);

  return memory != NULL ? sextant_conversation_store_new (memory) : NULL;
}

static void
sextant_chat_window_constructed (GObject *object)
{
  SextantChatWindow *self = (SextantChatWindow *)object;
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  GSettings *settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantToolData) data = NULL;
  g_autoptr(SextantToolRegistry) registry = NULL;
  g_autoptr(SextantInvocationLog) log = NULL;
  g_autofree char *model = g_settings_get_string (settings, "bedrock-model-id");
  SextantStore *store;

  G_OBJECT_CLASS (sextant_chat_window_parent_class)->constructed (object);

  if (self->conversations == NULL)
    self->conversations = open_conversations (self);
  g_assert (self->conversations != NULL);
  /* The tools see what the user imported, fetched and saved, as the CLI's do; invocations go
   * to the workspace's log, which the risk dashboard's Monitoring page follows. */
  store = sextant_workspace_get_store (workspace);
  if (store != NULL)
    cache = sextant_market_cache_new (store);
  data = sextant_tool_data_new (sextant_workspace_get_demo_set (workspace), cache);
  /* The workspace's one portfolio store, which the Portfolio window and the risk dashboard
   * write through: what they create, rename or delete is what the tools see next. */
  if (store != NULL)
    sextant_tool_data_set_portfolio_store (data, sextant_workspace_get_portfolios (workspace));
  self->tool_data = g_object_ref (data);
  /* The knowledge base (sextant-cli kb add): keyword search until a Bedrock client is set. */
  if (store != NULL)
    {
      self->knowledge = sextant_kb_store_new (store);
      update_knowledge (self, NULL);
    }
  registry = sextant_tool_registry_new_default (data);
  /* An invocation refers to its conversation, so it is logged in the conversation's database:
   * the workspace's shared log when that is where conversations live (always, in the app). */
  if (sextant_conversation_store_get_store (self->conversations) == store)
    log = g_object_ref (sextant_workspace_get_invocation_log (workspace));
  else
    log = sextant_invocation_log_new (sextant_conversation_store_get_store (self->conversations));
  self->session = sextant_chat_session_new (self->conversations, registry, log);
  desk_models_changed_cb (self, NULL, settings);
  g_signal_connect_object (settings, "changed::desk-models", G_CALLBACK (desk_models_changed_cb), self,
                           G_CONNECT_SWAPPED);
  _sextant_chat_window_connect_session (self);
  _sextant_chat_window_load_prices (self);
  g_signal_connect_object (settings, "changed::model-prices", G_CALLBACK (_sextant_chat_window_load_prices), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->prices, "changed", G_CALLBACK (_sextant_chat_window_update_usage), self,
                           G_CONNECT_SWAPPED);
  update_spending_limits (self);
  g_signal_connect_object (settings, "changed::spending-limit-monthly", G_CALLBACK (update_spending_limits), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::spending-limit-conversation", G_CALLBACK (update_spending_limits),
                           self, G_CONNECT_SWAPPED);

  gtk_drop_down_set_selected (self->role_dropdown, g_settings_get_enum (settings, "default-role"));
  sextant_model_picker_set_prices (self->model_picker, self->prices);
  fill_models (self, "us-east-1");
  use_model (self, model);
  g_signal_connect_object (self->model_picker, "notify::model-id", G_CALLBACK (model_picked_cb), self,
                           G_CONNECT_SWAPPED);
  update_subtitle (self);
  _sextant_chat_window_update_busy (self);
  _sextant_chat_window_setup_sidebar (self);
  connect_bedrock (self);
  g_signal_connect_object (settings, "changed::aws-region", G_CALLBACK (connection_settings_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::aws-profile", G_CALLBACK (connection_settings_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::bedrock-fallback-routes", G_CALLBACK (connection_settings_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sextant_workspace_get_secret_store (workspace), "changed",
                           G_CALLBACK (secret_changed_cb), self, 0);
}

static void
sextant_chat_window_dispose (GObject *object)
{
  SextantChatWindow *self = (SextantChatWindow *)object;

  g_cancellable_cancel (self->setup_cancellable);
  g_clear_handle_id (&self->older_source, g_source_remove);
  _sextant_chat_window_hide_retry (self);
  /* A key saved or a setting changed after the window closed must not connect it again. */
  {
    SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
    GSettings *settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));

    if (workspace != NULL)
      g_signal_handlers_disconnect_by_data (sextant_workspace_get_secret_store (workspace), self);
    if (settings != NULL)
      g_signal_handlers_disconnect_by_data (settings, self);
  }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->conversation_selection != NULL)
    g_signal_handlers_disconnect_by_data (self->conversation_selection, self);
  /* Parented to the sidebar's list view, which leaves foreign children to their owner. */
  g_clear_pointer (&self->conversation_row_popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_CHAT_WINDOW);
  g_clear_object (&self->conversation_selection);
  g_clear_object (&self->conversation_items);
  g_clear_object (&self->session);
  g_clear_object (&self->tool_data);
  g_clear_object (&self->knowledge);
  g_clear_object (&self->knowledge_client);
  g_clear_object (&self->conversations);
  g_clear_object (&self->prices);
  g_clear_object (&self->replacing);
  g_clear_object (&self->transcript);
  g_clear_object (&self->messages);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->setup_cancellable);
  g_clear_object (&self->pending_user);
  g_clear_object (&self->streaming);
  g_clear_object (&self->last_assistant);
  g_clear_object (&self->last_stored);

  G_OBJECT_CLASS (sextant_chat_window_parent_class)->dispose (object);
}

static void
sextant_chat_window_finalize (GObject *object)
{
  SextantChatWindow *self = (SextantChatWindow *)object;

  g_free (self->model);
  g_free (self->region);
  g_free (self->offline_reason);
  g_free (self->blocked_question);
  g_free (self->spending_warning);

  G_OBJECT_CLASS (sextant_chat_window_parent_class)->finalize (object);
}

static void
sextant_chat_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SextantChatWindow *self = SEXTANT_CHAT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONVERSATIONS:
      self->conversations = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bind_template (GtkWidgetClass *widget_class)
{
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "sextant-chat-window.ui");
  /* Named in the sidebar rows' expressions, built from a resource. */
  g_type_ensure (SEXTANT_TYPE_CONVERSATION_ITEM);
  g_type_ensure (SEXTANT_TYPE_MODEL_PICKER);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, conversation_list);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, conversation_row_menu);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, message_stack);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, examples_box);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, message_scroller);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, message_view);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, key_banner);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, key_banner_label);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, ask_anyway_button);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, composer_view);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, role_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, model_picker);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, usage_label);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, retry_label);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, send_button);
}

static void
sextant_chat_window_class_init (SextantChatWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sextant_chat_window_constructed;
  object_class->dispose = sextant_chat_window_dispose;
  object_class->finalize = sextant_chat_window_finalize;
  object_class->set_property = sextant_chat_window_set_property;
  SEXTANT_WORKSPACE_WINDOW_CLASS (klass)->settings_prefix = "chat-window";
  SEXTANT_WORKSPACE_WINDOW_CLASS (klass)->data_changed = sextant_chat_window_data_changed;

  properties [PROP_CONVERSATIONS] =
    g_param_spec_object ("conversations", NULL, NULL, SEXTANT_TYPE_CONVERSATION_STORE,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  bind_template (widget_class);
  install_actions (widget_class);
}

static void
sextant_chat_window_init (SextantChatWindow *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  load_css ();

  sextant_workspace_window_set_menu_button (SEXTANT_WORKSPACE_WINDOW (self), self->menu_button);
  self->messages = g_list_store_new (SEXTANT_TYPE_CHAT_MESSAGE);
  self->transcript = sextant_chat_transcript_new (G_LIST_MODEL (self->messages));
  self->prices = sextant_model_prices_new ();
  self->setup_cancellable = g_cancellable_new ();
  setup_message_view (self);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (composer_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->composer_view), keys);

  g_signal_connect_swapped (self->role_dropdown, "notify::selected", G_CALLBACK (role_selected_cb), self);
}

SextantChatWindow *
sextant_chat_window_new (GtkApplication   *application,
                         SextantWorkspace *workspace)
{
  return sextant_chat_window_new_with_store (application, workspace, NULL);
}

/**
 * sextant_chat_window_new_with_store:
 * @application: (nullable): the application
 * @workspace: the workspace
 * @conversations: (nullable): where conversations are kept; %NULL for the workspace's database
 *
 * Returns: (transfer floating): a chat window
 */
SextantChatWindow *
sextant_chat_window_new_with_store (GtkApplication           *application,
                                    SextantWorkspace         *workspace,
                                    SextantConversationStore *conversations)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (conversations == NULL || SEXTANT_IS_CONVERSATION_STORE (conversations), NULL);

  return g_object_new (SEXTANT_TYPE_CHAT_WINDOW,
                       "application", application,
                       "workspace", workspace,
                       "conversations", conversations,
                       NULL);
}

/**
 * sextant_chat_window_get_session:
 *
 * Returns: (transfer none): what answers the questions
 */
SextantChatSession *
sextant_chat_window_get_session (SextantChatWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_WINDOW (self), NULL);

  return self->session;
}

/* “no AWS credentials were found” → “No AWS credentials were found.” for the offline label. */
static char *
as_sentence (const char *reason)
{
  gunichar first;

  if (reason == NULL || reason[0] == '\0')
    return NULL;
  first = g_utf8_get_char (reason);
  {
    char head[8] = { 0 };

    g_unichar_to_utf8 (g_unichar_totitle (first), head);
    return g_strconcat (head, g_utf8_next_char (reason), ".", NULL);
  }
}

/* Questions to the documents are embedded as their passages were, with the chat's client. */
static void
update_knowledge (SextantChatWindow    *self,
                  SextantBedrockClient *client)
{
  g_autoptr(SextantKbSearcher) searcher = NULL;
  g_autofree char *model = NULL;
  guint dims = 0;

  if (self->knowledge == NULL || self->tool_data == NULL)
    return;
  g_set_object (&self->knowledge_client, client);
  sextant_kb_store_get_embedding (self->knowledge, &model, &dims);
  searcher = sextant_kb_searcher_new (self->knowledge, client, model, dims > 0 ? dims : 1024);
  sextant_tool_data_set_knowledge (self->tool_data, searcher);
}

/**
 * sextant_chat_window_set_client:
 * @self: a window
 * @client: (nullable): a Bedrock client, or %NULL for offline mode
 * @offline_reason: (nullable): why there is none, shown in the subtitle and on offline answers
 */
void
sextant_chat_window_set_client (SextantChatWindow    *self,
                                SextantBedrockClient *client,
                                const char           *offline_reason)
{
  g_autofree char *sentence = NULL;

  g_return_if_fail (SEXTANT_IS_CHAT_WINDOW (self));

  if (sextant_chat_session_get_busy (self->session))
    {
      /* Credentials found while a first question is answered offline: used from the next one. */
      g_debug ("Not changing the Bedrock client during a turn");
      return;
    }

  /* A client given by the caller (tests) wins over the credentials found at start-up. */
  g_cancellable_cancel (self->setup_cancellable);
  sextant_chat_session_set_client (self->session, client, NULL);
  g_free (self->offline_reason);
  if (sextant_chat_session_get_online (self->session))
    self->offline_reason = NULL;
  else
    self->offline_reason = g_strdup (offline_reason != NULL ? offline_reason : _("no Amazon Bedrock connection is set up"));
  sentence = as_sentence (self->offline_reason);
  sextant_chat_session_set_client (self->session, client, sentence);
  update_knowledge (self, client);
  sextant_model_picker_set_client (self->model_picker, client);
  if (client != NULL)
    fill_models (self, sextant_bedrock_client_get_region (client));
  update_subtitle (self);
}

/**
 * sextant_chat_window_get_model:
 *
 * Returns: (nullable): the model id the next question is asked of
 */
const char *
sextant_chat_window_get_model (SextantChatWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_WINDOW (self), NULL);

  return self->model;
}

/**
 * sextant_chat_window_get_messages:
 *
 * Returns: (transfer none): the #SextantChatMessage items shown
 */
GListModel *
sextant_chat_window_get_messages (SextantChatWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_WINDOW (self), NULL);

  return G_LIST_MODEL (self->messages);
}

/**
 * sextant_chat_window_get_transcript:
 *
 * Returns: (transfer none): the rows shown: the messages' parts
 */
SextantChatTranscript *
sextant_chat_window_get_transcript (SextantChatWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_WINDOW (self), NULL);

  return self->transcript;
}

gint64
sextant_chat_window_get_conversation_id (SextantChatWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_WINDOW (self), 0);

  return self->conversation_id;
}
