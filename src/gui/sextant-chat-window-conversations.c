#define G_LOG_DOMAIN "sextant-chat-window-conversations"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sextant-chat-window-private.h"

/* The sidebar and what acts on a whole conversation: the list (newest first), full-text
 * search, opening one, a new one, rename, delete with undo, export, and the price table. */

#define TITLE_CHARS 60

/* The sidebar ------------------------------------------------------------------------------------ */

/* Pin or Unpin, whichever applies to the open conversation (the menus hide the other). */
static void
update_pin_actions (SextantChatWindow *self)
{
  g_autoptr(SextantConversationInfo) info = NULL;

  if (self->conversation_id > 0)
    info = sextant_conversation_store_get (self->conversations, self->conversation_id, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pin-conversation", info != NULL && !info->pinned);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.unpin-conversation", info != NULL && info->pinned);
}

/* Selects the open conversation's item, if shown, without opening it again. */
static void
select_open_conversation (SextantChatWindow *self)
{
  guint position;

  update_pin_actions (self);
  self->filling = TRUE;
  if (self->conversation_id > 0 &&
      sextant_conversation_items_find (G_LIST_MODEL (self->conversation_items), self->conversation_id, &position))
    gtk_single_selection_set_selected (self->conversation_selection, position);
  else
    gtk_single_selection_set_selected (self->conversation_selection, GTK_INVALID_LIST_POSITION);
  self->filling = FALSE;
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return sextant_conversation_item_compare (*(gpointer const *) a, *(gpointer const *) b, NULL);
}

static GPtrArray *
list_conversations (SextantChatWindow *self)
{
  g_autoptr(GPtrArray) list = sextant_conversation_store_list (self->conversations, NULL);
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; list != NULL && i < list->len; i++)
    g_ptr_array_add (items, sextant_conversation_item_new_for_info (list->pdata[i]));
  g_ptr_array_sort_with_data (items, compare_items, NULL);

  return items;
}

static GPtrArray *
list_search_hits (SextantChatWindow *self,
                  const char        *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = sextant_conversation_store_search (self->conversations, query, 50, &error);
  g_autoptr(GHashTable) seen = NULL;
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  if (hits == NULL)
    {
      /* The store quotes every word, so only the database itself can fail here: no hits. */
      g_debug ("Search “%s”: %s", query, error->message);
      return items;
    }
  seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < hits->len; i++)
    {
      SextantSearchHit *hit = hits->pdata[i];
      g_autoptr(GPtrArray) blocks = NULL;
      const char *snippet;

      /* Hits are per message; the sidebar lists each conversation once, with its best hit. */
      if (!g_hash_table_add (seen, &hit->conversation_id))
        continue;
      blocks = sextant_markdown_render (hit->snippet, -1);
      snippet = blocks->len > 0 && ((SextantMarkdownBlock *) blocks->pdata[0])->markup != NULL
                            ? ((SextantMarkdownBlock *) blocks->pdata[0])->markup : "";
      g_ptr_array_add (items, sextant_conversation_item_new_for_hit (hit->conversation_id, hit->title, snippet));
    }

  return items;
}

static gboolean
searching (SextantChatWindow *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0';
}

/**
 * _sextant_chat_window_reload_list:
 *
 * Lists the stored conversations again, or the search's hits. Changes to one conversation go
 * through conversation_changed_cb() instead.
 */
void
_sextant_chat_window_reload_list (SextantChatWindow *self)
{
  g_autoptr(GPtrArray) items = NULL;

  if (searching (self))
    items = list_search_hits (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  else
    items = list_conversations (self);
  self->filling = TRUE;
  g_list_store_splice (self->conversation_items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->conversation_items)),
                       items->pdata, items->len);
  self->filling = FALSE;
  select_open_conversation (self);
}

/* Whether @item, changed, still sits between its neighbours at @position. */
static gboolean
in_order_at (GListModel              *items,
             SextantConversationItem *item,
             guint                    position)
{
  guint n = g_list_model_get_n_items (items);
  g_autoptr(SextantConversationItem) before = position > 0 ? g_list_model_get_item (items, position - 1) : NULL;
  g_autoptr(SextantConversationItem) after = position + 1 < n ? g_list_model_get_item (items, position + 1) : NULL;

  return (before == NULL || sextant_conversation_item_compare (before, item, NULL) < 0) &&
         (after == NULL || sextant_conversation_item_compare (item, after, NULL) < 0);
}

/* The store's SextantConversationStore::changed for conversation @id (0: several). Shows what
 * changed in place: its item is updated, added or removed, and moves only when its place in the
 * list (newest first) changed, so the list view lays out one row. Search hits stay as found,
 * with their titles kept current. */
static void
conversation_changed_cb (SextantChatWindow *self,
                         gint64             id)
{
  GListModel *items = G_LIST_MODEL (self->conversation_items);
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autoptr(SextantConversationItem) item = NULL;
  guint position;
  gboolean found;

  if (id <= 0)
    {
      _sextant_chat_window_reload_list (self);
      return;
    }
  info = sextant_conversation_store_get (self->conversations, id, NULL);
  /* The open one, renamed or deleted, perhaps in another window. */
  if (id == self->conversation_id && info != NULL)
    adw_window_title_set_title (self->window_title, info->title);
  else if (id == self->conversation_id)
    _sextant_chat_window_new_conversation (self);
  found = sextant_conversation_items_find (items, id, &position);
  if (found)
    item = g_list_model_get_item (items, position);
  self->filling = TRUE;
  if (found && info == NULL)
    g_list_store_remove (self->conversation_items, position);
  else if (searching (self))
    {
      if (found)
        sextant_conversation_item_set_title (item, info->title);
    }
  else if (!found && info != NULL)
    {
      item = sextant_conversation_item_new_for_info (info);
      g_list_store_insert_sorted (self->conversation_items, item, sextant_conversation_item_compare, NULL);
    }
  else if (found)
    {
      sextant_conversation_item_update (item, info);
      if (!in_order_at (items, item, position))
        {
          g_list_store_remove (self->conversation_items, position);
          g_list_store_insert_sorted (self->conversation_items, item, sextant_conversation_item_compare, NULL);
        }
    }
  self->filling = FALSE;
  select_open_conversation (self);
}

static void
selection_changed_cb (SextantChatWindow *self)
{
  SextantConversationItem *item = gtk_single_selection_get_selected_item (self->conversation_selection);

  if (!self->filling && item != NULL && sextant_conversation_item_get_id (item) != self->conversation_id)
    _sextant_chat_window_open_conversation (self, sextant_conversation_item_get_id (item));
}

static void
search_changed_cb (SextantChatWindow *self)
{
  _sextant_chat_window_reload_list (self);
}

/* The row's menu acts on the open conversation, as the window menu does: the row is opened
 * first, as a left click would, then the menu points at (@x, @y) of @widget. */
static void
popup_row_menu (SextantChatWindow *self,
                guint              position,
                GtkWidget         *widget,
                double             x,
                double             y)
{
  double list_x = x, list_y = y;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->conversation_selection), position, TRUE);
  if (self->conversation_id <= 0)
    return;
  if (self->conversation_row_popover == NULL)
    {
      self->conversation_row_popover = gtk_popover_menu_new_from_model (self->conversation_row_menu);
      gtk_widget_set_parent (self->conversation_row_popover, GTK_WIDGET (self->conversation_list));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->conversation_row_popover), FALSE);
      gtk_widget_set_halign (self->conversation_row_popover, GTK_ALIGN_START);
    }
  if (widget != GTK_WIDGET (self->conversation_list))
    gtk_widget_translate_coordinates (widget, GTK_WIDGET (self->conversation_list), x, y, &list_x, &list_y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->conversation_row_popover),
                               &(GdkRectangle) { (int) list_x, (int) list_y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->conversation_row_popover));
}

/* A right click on a row (the handler named in ui/sextant-conversation-row.ui). */
static void
conversation_row_pressed_cb (GtkListItem *list_item,
                             int          n_press,
                             double       x,
                             double       y,
                             GtkGesture  *gesture)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  SextantChatWindow *self = SEXTANT_CHAT_WINDOW (gtk_widget_get_root (row));

  gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_CLAIMED);
  popup_row_menu (self, gtk_list_item_get_position (list_item), row, x, y);
}

/* Shift+F10 or Menu on the sidebar: the focused row's menu, under its title. */
static gboolean
row_menu_shortcut_cb (GtkWidget *list,
                      GVariant  *args,
                      gpointer   user_data)
{
  SextantChatWindow *self = SEXTANT_CHAT_WINDOW (gtk_widget_get_root (list));
  GtkWidget *row = gtk_widget_get_focus_child (list);
  guint position = gtk_single_selection_get_selected (self->conversation_selection);
  graphene_rect_t bounds;

  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  if (row != NULL && gtk_widget_compute_bounds (row, list, &bounds))
    popup_row_menu (self, position, list, bounds.origin.x + 12, bounds.origin.y + bounds.size.height);
  else
    popup_row_menu (self, position, list, 12, 12);

  return TRUE;
}

void
_sextant_chat_window_setup_sidebar (SextantChatWindow *self)
{
  g_autoptr(GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkShortcutAction *open_menu = gtk_callback_action_new (row_menu_shortcut_cb, NULL, NULL);

  gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (scope), "conversation_row_pressed_cb",
                                          G_CALLBACK (conversation_row_pressed_cb));
  factory = gtk_builder_list_item_factory_new_from_resource (scope, RESOURCE_PREFIX "sextant-conversation-row.ui");
  gtk_list_view_set_factory (self->conversation_list, factory);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK),
                                                          g_object_ref (open_menu)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0), open_menu));
  /* The selected row is the open conversation (selection follows the focus), which these act on. */
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F2, 0),
                                                          gtk_named_action_new ("win.rename-conversation")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                                                          gtk_named_action_new ("win.delete-conversation")));
  gtk_widget_add_controller (GTK_WIDGET (self->conversation_list), shortcuts);
  self->conversation_items = g_list_store_new (SEXTANT_TYPE_CONVERSATION_ITEM);
  self->conversation_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->conversation_items)));
  gtk_single_selection_set_autoselect (self->conversation_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->conversation_selection, TRUE);
  gtk_list_view_set_model (self->conversation_list, GTK_SELECTION_MODEL (self->conversation_selection));
  g_signal_connect_swapped (self->conversation_selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  /* Whatever window or turn changed a conversation: the store says which. */
  g_signal_connect_object (self->conversations, "changed", G_CALLBACK (conversation_changed_cb), self,
                           G_CONNECT_SWAPPED);
  _sextant_chat_window_reload_list (self);
}

/* Builds the list items of a stored conversation. Tool results, stored as user turns, go onto
 * the cards of the answer that asked for them. */
/* A conversation opens on its newest page; older pages come as the user scrolls back to them.
 * Opening all of a 10,000-message chat at once took about 300 ms here, and each message put in
 * the list costs the list view about half a millisecond: 40 fill a tall screen and keep a page
 * within a frame (bench-chat). */
#define PAGE_MESSAGES 40

/* Puts the list items of stored messages at @position. Tool results, stored as user turns, go
 * onto the cards of the answer that asked for them (a page never starts with them). */
static void
insert_messages (SextantChatWindow *self,
                 guint              position,
                 guint              n_removed,
                 GPtrArray         *stored)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  SextantChatMessage *last_assistant = NULL;

  for (guint i = 0; i < stored->len; i++)
    {
      SextantStoredMessage *m = stored->pdata[i];

      if (sextant_chat_message_has_only_tool_results (m))
        {
          if (last_assistant != NULL)
            sextant_chat_message_add_stored_results (last_assistant, m);
          continue;
        }
      g_ptr_array_add (items, sextant_chat_message_new_from_stored (m));
      last_assistant = g_str_equal (m->role, "assistant") ? items->pdata[items->len - 1] : NULL;
    }
  if (stored->len > 0)
    self->oldest_loaded_id = ((SextantStoredMessage *) stored->pdata[0])->id;
  g_list_store_splice (self->messages, position, n_removed, items->pdata, items->len);
}

/**
 * _sextant_chat_window_load_older:
 *
 * Puts the page before the first message shown at the top of the list; the list view keeps
 * what is on screen where it is.
 */
void
_sextant_chat_window_load_older (SextantChatWindow *self)
{
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;

  if (self->conversation_id <= 0 || !self->more_history)
    return;
  stored = sextant_conversation_store_load_page (self->conversations, self->conversation_id,
                                                 self->oldest_loaded_id, PAGE_MESSAGES,
                                                 &self->more_history, &error);
  if (stored == NULL)
    {
      self->more_history = FALSE;
      _sextant_chat_window_show_error (self, error->message);
      return;
    }
  insert_messages (self, 0, 0, stored);
}

void
_sextant_chat_window_open_conversation (SextantChatWindow *self,
                                        gint64             id)
{
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  gboolean more_history = FALSE;

  if (_sextant_chat_window_turn_running (self))
    _sextant_chat_window_stop (self);
  if ((info = sextant_conversation_store_get (self->conversations, id, &error)) == NULL ||
      (stored = sextant_conversation_store_load_page (self->conversations, id, 0, PAGE_MESSAGES,
                                                      &more_history, &error)) == NULL)
    {
      _sextant_chat_window_show_error (self, error->message);
      return;
    }
  self->conversation_id = id;
  self->filling = TRUE;
  for (guint i = 0; i < 3; i++)
    if (g_strcmp0 (info->role, (const char *[]) { SEXTANT_ROLE_ANALYST, SEXTANT_ROLE_PORTFOLIO_MANAGER,
                                                  SEXTANT_ROLE_RISK_OFFICER }[i]) == 0)
      gtk_drop_down_set_selected (self->role_dropdown, i);
  self->filling = FALSE;
  if (info->model != NULL)
    sextant_model_picker_set_model_id (self->model_picker, info->model);
  self->more_history = more_history;
  self->oldest_loaded_id = 0;
  insert_messages (self, 0, g_list_model_get_n_items (G_LIST_MODEL (self->messages)), stored);
  adw_window_title_set_title (self->window_title, info->title);
  select_open_conversation (self);
  gtk_stack_set_visible_child_name (self->message_stack, stored->len > 0 ? "messages" : "empty");
  _sextant_chat_window_show_error (self, NULL);
  _sextant_chat_window_update_usage (self);
  _sextant_chat_window_scroll_to_end (self);
}

void
_sextant_chat_window_new_conversation (SextantChatWindow *self)
{
  if (_sextant_chat_window_turn_running (self))
    _sextant_chat_window_stop (self);
  self->conversation_id = 0;
  self->more_history = FALSE;
  self->oldest_loaded_id = 0;
  g_list_store_remove_all (self->messages);
  adw_window_title_set_title (self->window_title, _("Assistant"));
  gtk_stack_set_visible_child_name (self->message_stack, "empty");
  select_open_conversation (self);
  _sextant_chat_window_show_error (self, NULL);
  _sextant_chat_window_update_usage (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer_view));
}

/* The first question names the conversation, cut at a word near TITLE_CHARS characters. */
static char *
title_for (const char *question)
{
  g_autofree char *line = g_strndup (question, strcspn (question, "\n"));
  g_autofree char *head = NULL;
  const char *cut;

  if (g_utf8_strlen (line, -1) <= TITLE_CHARS)
    return g_steal_pointer (&line);
  cut = g_utf8_offset_to_pointer (line, TITLE_CHARS);
  while (cut > line + 20 && *cut != ' ')
    cut--;

  head = g_strndup (line, cut - line);

  return g_strconcat (head, "…", NULL);
}

gboolean
_sextant_chat_window_ensure_conversation (SextantChatWindow  *self,
                                          const char         *first_question,
                                          GError            **error)
{
  g_autofree char *title = NULL;
  gint64 id;

  if (self->conversation_id > 0)
    return TRUE;
  title = title_for (first_question);
  id = sextant_conversation_store_create (self->conversations, title, _sextant_chat_window_role_id (self),
                                          self->model, error);
  if (id <= 0)
    return FALSE;
  self->conversation_id = id;
  adw_window_title_set_title (self->window_title, title);
  select_open_conversation (self);

  return TRUE;
}

/* pin ------------------------------------------------------------------------------------------ */

/**
 * _sextant_chat_window_set_pinned:
 *
 * Pins or unpins the open conversation: a pinned one heads the sidebar and never expires
 * (Preferences → Privacy → Retention). The store's ::changed moves its row.
 */
void
_sextant_chat_window_set_pinned (SextantChatWindow *self,
                                 gboolean           pinned)
{
  g_autoptr(GError) error = NULL;

  if (self->conversation_id <= 0)
    return;
  if (!sextant_conversation_store_set_pinned (self->conversations, self->conversation_id, pinned, &error))
    _sextant_chat_window_show_error (self, error->message);
}

/* rename --------------------------------------------------------------------------------------- */

static void
rename_response_cb (AdwMessageDialog  *dialog,
                    const char        *response,
                    SextantChatWindow *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "rename") || title[0] == '\0')
    return;
  if (!sextant_conversation_store_rename (self->conversations, self->conversation_id, title, &error))
    {
      _sextant_chat_window_show_error (self, error->message);
      return;
    }
  adw_window_title_set_title (self->window_title, title);
}

void
_sextant_chat_window_rename (SextantChatWindow *self)
{
  GtkWidget *dialog, *entry;

  if (self->conversation_id <= 0)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Rename Conversation"), NULL);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), adw_window_title_get_title (self->window_title));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Title"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* delete --------------------------------------------------------------------------------------- */

void
_sextant_chat_window_delete (SextantChatWindow *self)
{
  g_autoptr(GError) error = NULL;
  AdwToast *toast;
  gint64 id = self->conversation_id;

  if (id <= 0)
    return;
  /* A soft delete: the rows stay in the database until purged, so Undo restores everything. */
  if (!sextant_conversation_store_delete (self->conversations, id, &error))
    {
      _sextant_chat_window_show_error (self, error->message);
      return;
    }
  _sextant_chat_window_new_conversation (self);
  self->deleted_id = id;
  toast = adw_toast_new (_("Conversation deleted"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_sextant_chat_window_undo_delete (SextantChatWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = self->deleted_id;

  if (id <= 0)
    return;
  self->deleted_id = 0;
  if (!sextant_conversation_store_undelete (self->conversations, id, &error))
    {
      _sextant_chat_window_show_error (self, error->message);
      return;
    }
  _sextant_chat_window_open_conversation (self, id);
}

/* export --------------------------------------------------------------------------------------- */

/**
 * sextant_chat_window_export_to_file:
 * @self: a window
 * @file: where to write
 * @format: `markdown` or `json`
 * @error: return location
 *
 * Writes the open conversation, as the Export menu items do once a file is chosen.
 *
 * Returns: whether it was written
 */
gboolean
sextant_chat_window_export_to_file (SextantChatWindow  *self,
                                    GFile              *file,
                                    const char         *format,
                                    GError            **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (SEXTANT_IS_CHAT_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (g_strcmp0 (format, "markdown") == 0 || g_strcmp0 (format, "json") == 0, FALSE);

  if (self->conversation_id <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No conversation is open"));
      return FALSE;
    }
  if (g_str_equal (format, "json"))
    {
      g_autoptr(JsonNode) node = sextant_conversation_store_export_json (self->conversations,
                                                                         self->conversation_id, error);

      if (node == NULL)
        return FALSE;
      text = json_to_string (node, TRUE);
    }
  else if ((text = sextant_conversation_store_export_markdown (self->conversations, self->conversation_id,
                                                               error)) == NULL)
    return FALSE;

  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION | G_FILE_CREATE_PRIVATE,
                                  NULL, NULL, error);
}

static void
export_response_cb (GtkNativeDialog   *chooser,
                    int                response,
                    SextantChatWindow *self)
{
  const char *format = g_object_get_data (G_OBJECT (chooser), "format");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    {
      if (sextant_chat_window_export_to_file (self, file, format, &error))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Conversation exported")));
      else
        _sextant_chat_window_show_error (self, error->message);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
_sextant_chat_window_export (SextantChatWindow *self,
                             const char        *format)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  gboolean json = g_strcmp0 (format, "json") == 0;

  if (self->conversation_id <= 0)
    return;
  chooser = gtk_file_chooser_native_new (json ? _("Export as JSON") : _("Export as Markdown"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s.%s", adw_window_title_get_title (self->window_title), json ? "json" : "md");
  g_strdelimit (name, "/\\:", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "format", g_strdup (json ? "json" : "markdown"), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* prices --------------------------------------------------------------------------------------- */

/* The price table lives in the `model-prices` setting, as the JSON of the user's edits only
 * (sextant_model_prices_edits_to_json()). A GSettings key rather than a file of our own: the app
 * keeps every other preference there, each open chat window hears an edit at once through
 * changed::, tests get GSettings' memory backend instead of a path to fake, and there is no file
 * to half-write or migrate. Edits only, so a release with new list prices still updates every
 * price the user never touched. */
void
_sextant_chat_window_load_prices (SextantChatWindow *self)
{
  GSettings *settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));
  g_autofree char *json = g_settings_get_string (settings, "model-prices");
  g_autoptr(GError) error = NULL;

  sextant_model_prices_reset (self->prices);
  if (json[0] != '\0' && !sextant_model_prices_load_json (self->prices, json, &error))
    g_warning ("Ignoring the saved token prices: %s", error->message);
}

static void
save_prices (SextantChatWindow *self)
{
  GSettings *settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));
  g_autofree char *json = sextant_model_prices_edits_to_json (self->prices);

  g_settings_set_string (settings, "model-prices", json);
}

static void
price_changed_cb (GtkSpinButton     *spin,
                  SextantChatWindow *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (spin), ADW_TYPE_ACTION_ROW);
  GtkSpinButton *input = g_object_get_data (G_OBJECT (row), "input");
  GtkSpinButton *output = g_object_get_data (G_OBJECT (row), "output");

  sextant_model_prices_set (self->prices, g_object_get_data (G_OBJECT (row), "pattern"),
                            gtk_spin_button_get_value (input), gtk_spin_button_get_value (output));
  save_prices (self);
}

static GtkWidget *
make_spin (double      value,
           const char *label)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 1000, 0.01);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  return spin;
}

static GtkWidget *
make_price_row (SextantChatWindow *self,
                guint              index)
{
  double in, out;
  const char *pattern = sextant_model_prices_get_price (self->prices, index, &in, &out);
  GtkWidget *row = adw_action_row_new ();
  /* Translators: the accessible name of a spin button; %s is a model id pattern */
  g_autofree char *input_label = g_strdup_printf (_("Input price of %s"), pattern);
  /* Translators: the accessible name of a spin button; %s is a model id pattern */
  g_autofree char *output_label = g_strdup_printf (_("Output price of %s"), pattern);
  GtkWidget *input = make_spin (in, input_label);
  GtkWidget *output = make_spin (out, output_label);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pattern);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), input);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), output);
  g_object_set_data_full (G_OBJECT (row), "pattern", g_strdup (pattern), g_free);
  g_object_set_data (G_OBJECT (row), "input", input);
  g_object_set_data (G_OBJECT (row), "output", output);
  g_signal_connect_object (input, "value-changed", G_CALLBACK (price_changed_cb), self, 0);
  g_signal_connect_object (output, "value-changed", G_CALLBACK (price_changed_cb), self, 0);

  return row;
}

static void
fill_price_group (SextantChatWindow *self,
                  GtkWidget         *group)
{
  GtkWidget **rows = g_object_get_data (G_OBJECT (group), "rows");

  for (guint i = 0; rows != NULL && rows[i] != NULL; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), rows[i]);
  /* The old array goes when the new one replaces it. */
  rows = g_new0 (GtkWidget *, sextant_model_prices_get_n_prices (self->prices) + 1);
  for (guint i = 0; i < sextant_model_prices_get_n_prices (self->prices); i++)
    {
      rows[i] = make_price_row (self, i);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), rows[i]);
    }
  g_object_set_data_full (G_OBJECT (group), "rows", rows, g_free);
}

static void
reset_prices_cb (GtkButton         *button,
                 SextantChatWindow *self)
{
  GtkWidget *group = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_PREFERENCES_GROUP);

  sextant_model_prices_reset (self->prices);
  save_prices (self);
  fill_price_group (self, group);
}

void
_sextant_chat_window_edit_prices (SextantChatWindow *self)
{
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *reset = gtk_button_new_with_mnemonic (_("_Reset to Defaults"));

  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_title (GTK_WINDOW (window), _("Token Prices"));
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (window), FALSE);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("US Dollars per Million Tokens"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Costs shown in the chat are estimates from this table: input price, "
                                           "then output price. A model takes the price of the longest pattern "
                                           "its id contains. Your AWS bill is what counts."));
  gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
  g_signal_connect_object (reset, "clicked", G_CALLBACK (reset_prices_cb), self, 0);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), reset);
  fill_price_group (self, group);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));
}
