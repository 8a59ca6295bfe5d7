#define G_LOG_DOMAIN "sextant-message-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-markdown-view.h"
#include "sextant-message-row.h"
#include "sextant-message-tool-card.h"

/* One row of the chat's GtkListView: a part of a message (SextantChatPart). The first part of a
 * message shows who wrote it, its state (offline, streaming, interrupted), its tokens and cost;
 * every part shows its piece of the Markdown body; the last one the tool-call cards. The list
 * view recycles rows, so everything is set from the part on bind and dropped on unbind. While a
 * message streams its text changes many times a frame; the row of its last part renders at most
 * once per frame, from a tick callback. */

struct _SextantMessageRow
{
  GtkWidget               parent_instance;

  GtkWidget              *header;
  GtkWidget              *author;
  GtkWidget              *badge;
  GtkWidget              *state;
  GtkWidget              *tokens;
  GtkWidget              *body;
  GtkWidget              *tools;

  SextantChatPart        *part;
  SextantChatMessage     *message;
  gulong                  text_handler;
  gulong                  state_handler;
  gulong                  tokens_handler;
  gulong                  tools_handler;
  guint                   tick_id;
  SextantMessageCostFunc  cost_func;
  gpointer                cost_data;
};

G_DEFINE_FINAL_TYPE (SextantMessageRow, sextant_message_row, GTK_TYPE_WIDGET)

static void
update_body (SextantMessageRow *self)
{
  g_autoptr(GPtrArray) blocks = self->part != NULL ? sextant_chat_part_render (self->part) : NULL;

  sextant_markdown_view_set_blocks (SEXTANT_MARKDOWN_VIEW (self->body), blocks);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  SextantMessageRow *self = SEXTANT_MESSAGE_ROW (widget);

  self->tick_id = 0;
  update_body (self);

  return G_SOURCE_REMOVE;
}

static void
text_changed_cb (SextantMessageRow *self)
{
  /* Unmapped rows have no frame clock to tick: render at once (cheap, they are not drawn). */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      update_body (self);
      return;
    }
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

static void
update_header (SextantMessageRow *self)
{
  SextantChatMessageState state = sextant_chat_message_get_state (self->message);
  gboolean user = sextant_chat_message_is_user (self->message);
  const char *state_text = NULL;

  gtk_label_set_text (GTK_LABEL (self->author), user ? _("You") : _("Assistant"));
  gtk_widget_set_visible (self->badge, !user && sextant_chat_message_get_offline (self->message));
  switch (state)
    {
    case SEXTANT_CHAT_MESSAGE_STREAMING: state_text = _("Answering…"); break;
    case SEXTANT_CHAT_MESSAGE_INTERRUPTED: state_text = _("Interrupted — the answer is partial"); break;
    case SEXTANT_CHAT_MESSAGE_FAILED: state_text = _("Not answered"); break;
    case SEXTANT_CHAT_MESSAGE_COMPLETE: default: break;
    }
  gtk_label_set_text (GTK_LABEL (self->state), state_text != NULL ? state_text : "");
  gtk_widget_set_visible (self->state, state_text != NULL);
  if (state == SEXTANT_CHAT_MESSAGE_INTERRUPTED || state == SEXTANT_CHAT_MESSAGE_FAILED)
    gtk_widget_add_css_class (self->state, "warning");
  else
    gtk_widget_remove_css_class (self->state, "warning");
}

static void
update_tokens (SextantMessageRow *self)
{
  gint64 input = 0, output = 0, cache_read = 0, cache_write = 0;
  g_autofree char *cost = NULL;
  g_autofree char *input_text = NULL;
  g_autofree char *output_text = NULL;
  g_autofree char *text = NULL;

  sextant_chat_message_get_tokens (self->message, &input, &output);
  if (input == 0 && output == 0)
    {
      gtk_widget_set_visible (self->tokens, FALSE);
      return;
    }
  cost = self->cost_func != NULL ? self->cost_func (self->message, self->cost_data) : NULL;
  /* Numbers formatted first: xgettext cannot read a msgid through G_GINT64_FORMAT. */
  input_text = g_strdup_printf ("%'" G_GINT64_FORMAT, input);
  output_text = g_strdup_printf ("%'" G_GINT64_FORMAT, output);
  /* Translators: tokens of one answer: input, output, then an optional cost estimate */
  text = g_strdup_printf (_("%s in · %s out%s%s"),
                          input_text, output_text, cost != NULL ? " · " : "", cost != NULL ? cost : "");
  sextant_chat_message_get_cache_tokens (self->message, &cache_read, &cache_write);
  if (cache_read > 0 || cache_write > 0)
    {
      g_autofree char *read_text = g_strdup_printf ("%'" G_GINT64_FORMAT, cache_read);
      g_autofree char *write_text = g_strdup_printf ("%'" G_GINT64_FORMAT, cache_write);
      char *with_cache;

      /* Translators: the tokens of an answer, then input tokens read from and written to the prompt cache */
      with_cache = g_strdup_printf (_("%s · cache: %s read, %s written"), text, read_text, write_text);
      g_free (text);
      text = with_cache;
    }
  /* With region fallback the answer may come from another region than the one configured. */
  if (sextant_chat_message_get_region (self->message) != NULL)
    {
      char *with_region;

      /* Translators: the tokens and cost of an answer, then the AWS region that answered */
      with_region = g_strdup_printf (_("%s · answered in %s"), text, sextant_chat_message_get_region (self->message));
      g_free (text);
      text = with_region;
    }
  gtk_label_set_text (GTK_LABEL (self->tokens), text);
  gtk_widget_set_visible (self->tokens, TRUE);
}

static void
update_tools (SextantMessageRow *self)
{
  GtkWidget *child;
  gboolean shown = self->part != NULL && sextant_chat_part_is_last (self->part);
  guint n = shown ? sextant_chat_message_get_n_tool_calls (self->message) : 0;

  while ((child = gtk_widget_get_first_child (self->tools)) != NULL)
    gtk_box_remove (GTK_BOX (self->tools), child);
  for (guint i = 0; i < n; i++)
    gtk_box_append (GTK_BOX (self->tools),
                    sextant_message_tool_card_new (sextant_chat_message_get_tool_call (self->message, i)));
  gtk_widget_set_visible (self->tools, n > 0);
}

static void
disconnect_message (SextantMessageRow *self)
{
  GtkWidget *child;

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  if (self->message == NULL)
    return;
  /* Cards point into the message's tool calls: they go first. */
  while ((child = gtk_widget_get_first_child (self->tools)) != NULL)
    gtk_box_remove (GTK_BOX (self->tools), child);
  g_clear_signal_handler (&self->text_handler, self->message);
  g_clear_signal_handler (&self->state_handler, self->message);
  g_clear_signal_handler (&self->tokens_handler, self->message);
  g_clear_signal_handler (&self->tools_handler, self->message);
  g_signal_handlers_disconnect_by_data (self->message, self);
  g_signal_handlers_disconnect_by_data (self->part, self);
  g_clear_object (&self->message);
  g_clear_object (&self->part);
}

static void
sextant_message_row_dispose (GObject *object)
{
  SextantMessageRow *self = (SextantMessageRow *)object;
  GtkWidget *child;

  disconnect_message (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sextant_message_row_parent_class)->dispose (object);
}

static void
sextant_message_row_class_init (SextantMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sextant_message_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messagerow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
make_caption (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, css_class);

  return label;
}

static void
sextant_message_row_init (SextantMessageRow *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *spacer;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  self->header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  self->author = make_caption ("heading");
  /* Translators: a badge on answers from the offline analyst (no language model) */
  self->badge = gtk_label_new (_("Offline analyst"));
  gtk_widget_add_css_class (self->badge, "offline-badge");
  self->state = make_caption ("caption");
  self->tokens = make_caption ("caption");
  gtk_widget_add_css_class (self->tokens, "dim-label");
  gtk_widget_add_css_class (self->tokens, "numeric");
  spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_box_append (GTK_BOX (self->header), self->author);
  gtk_box_append (GTK_BOX (self->header), self->badge);
  gtk_box_append (GTK_BOX (self->header), self->state);
  gtk_box_append (GTK_BOX (self->header), spacer);
  gtk_box_append (GTK_BOX (self->header), self->tokens);
  gtk_widget_set_parent (self->header, GTK_WIDGET (self));

  self->body = sextant_markdown_view_new ();
  gtk_widget_set_parent (self->body, GTK_WIDGET (self));
  self->tools = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_parent (self->tools, GTK_WIDGET (self));
}

GtkWidget *
sextant_message_row_new (void)
{
  return g_object_new (SEXTANT_TYPE_MESSAGE_ROW, NULL);
}

/**
 * sextant_message_row_get_message:
 *
 * Returns: (transfer none) (nullable): the message shown
 */
SextantChatMessage *
sextant_message_row_get_message (SextantMessageRow *self)
{
  g_return_val_if_fail (SEXTANT_IS_MESSAGE_ROW (self), NULL);

  return self->message;
}

/**
 * sextant_message_row_get_body:
 *
 * Returns: (transfer none): the #SextantMarkdownView of the text
 */
GtkWidget *
sextant_message_row_get_body (SextantMessageRow *self)
{
  g_return_val_if_fail (SEXTANT_IS_MESSAGE_ROW (self), NULL);

  return self->body;
}

/**
 * sextant_message_row_set_cost_func:
 * @self: a row
 * @func: (nullable): returns the cost estimate of a message's tokens, or %NULL
 * @user_data: (nullable): data for @func; must outlive the row
 */
void
sextant_message_row_set_cost_func (SextantMessageRow      *self,
                                   SextantMessageCostFunc  func,
                                   gpointer                user_data)
{
  g_return_if_fail (SEXTANT_IS_MESSAGE_ROW (self));

  self->cost_func = func;
  self->cost_data = user_data;
}

/**
 * sextant_message_row_update_cost:
 * @self: a row
 *
 * Asks the cost function again, after the prices behind it changed.
 */
void
sextant_message_row_update_cost (SextantMessageRow *self)
{
  g_return_if_fail (SEXTANT_IS_MESSAGE_ROW (self));

  if (self->part != NULL && sextant_chat_part_is_first (self->part))
    update_tokens (self);
}

static void
set_css_class (GtkWidget  *widget,
               const char *name,
               gboolean    on)
{
  if (on)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

static void
set_part_classes (SextantMessageRow *self)
{
  /* One message over several rows reads as one block: no gap, rounded corners at its ends. */
  set_css_class (GTK_WIDGET (self), "user", sextant_chat_message_is_user (self->message));
  set_css_class (GTK_WIDGET (self), "continued", !sextant_chat_part_is_first (self->part));
  set_css_class (GTK_WIDGET (self), "continues", !sextant_chat_part_is_last (self->part));
  gtk_widget_set_visible (self->header, sextant_chat_part_is_first (self->part));
}

/* The part stopped being its message's last: the tool cards move to the new last part. */
static void
part_closed_cb (SextantMessageRow *self)
{
  g_clear_signal_handler (&self->tools_handler, self->message);
  set_part_classes (self);
  update_tools (self);
}

/**
 * sextant_message_row_set_part:
 * @self: a row
 * @part: (nullable): the part to show (bind), or %NULL (unbind)
 */
void
sextant_message_row_set_part (SextantMessageRow *self,
                              SextantChatPart   *part)
{
  SextantChatMessage *message;

  g_return_if_fail (SEXTANT_IS_MESSAGE_ROW (self));
  g_return_if_fail (part == NULL || SEXTANT_IS_CHAT_PART (part));

  if (self->part == part)
    return;
  disconnect_message (self);
  if (part == NULL)
    {
      update_body (self);
      update_tools (self);
      return;
    }
  message = sextant_chat_part_get_message (part);
  self->part = g_object_ref (part);
  self->message = g_object_ref (message);
  /* A part cut off never changes; a whole message follows its text; the last part of a
   * message in a transcript follows what the transcript reveals of it. */
  if (sextant_chat_part_get_end (part) == SEXTANT_CHAT_PART_OPEN)
    self->text_handler = g_signal_connect_swapped (message, "notify::text", G_CALLBACK (text_changed_cb), self);
  else if (sextant_chat_part_is_last (part))
    {
      g_signal_connect_swapped (part, "notify::end", G_CALLBACK (text_changed_cb), self);
      g_signal_connect_swapped (part, "notify::last", G_CALLBACK (part_closed_cb), self);
    }
  if (sextant_chat_part_is_first (part))
    {
      self->state_handler = g_signal_connect_swapped (message, "notify::state", G_CALLBACK (update_header), self);
      g_signal_connect_swapped (message, "notify::offline", G_CALLBACK (update_header), self);
      self->tokens_handler = g_signal_connect_swapped (message, "notify::output-tokens", G_CALLBACK (update_tokens), self);
      update_header (self);
      update_tokens (self);
    }
  if (sextant_chat_part_is_last (part))
    self->tools_handler = g_signal_connect_swapped (message, "tool-calls-changed", G_CALLBACK (update_tools), self);
  set_part_classes (self);
  update_body (self);
  update_tools (self);
}

/**
 * sextant_message_row_get_part:
 *
 * Returns: (transfer none) (nullable): the part shown
 */
SextantChatPart *
sextant_message_row_get_part (SextantMessageRow *self)
{
  g_return_val_if_fail (SEXTANT_IS_MESSAGE_ROW (self), NULL);

  return self->part;
}

/**
 * sextant_message_row_set_message:
 * @self: a row
 * @message: (nullable): a message to show whole, or %NULL
 */
void
sextant_message_row_set_message (SextantMessageRow  *self,
                                 SextantChatMessage *message)
{
  g_autoptr(SextantChatPart) whole = NULL;

  g_return_if_fail (SEXTANT_IS_MESSAGE_ROW (self));

  if (self->message == message && (message == NULL || (sextant_chat_part_get_start (self->part) == 0 &&
                                                       sextant_chat_part_get_end (self->part) == SEXTANT_CHAT_PART_OPEN)))
    return;
  if (message != NULL)
    whole = sextant_chat_part_new (message, 0, SEXTANT_CHAT_PART_OPEN, TRUE, TRUE);
  sextant_message_row_set_part (self, whole);
}
