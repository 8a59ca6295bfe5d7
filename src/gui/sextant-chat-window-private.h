#pragma once

#include "sextant-chat-message.h"
#include "sextant-chat-session.h"
#include "sextant-chat-transcript.h"
#include "sextant-chat-window.h"
#include "sextant-reveal-pacer.h"
#include "sextant-conversation-item.h"
#include "sextant-model-picker.h"

G_BEGIN_DECLS

/* Shared by sextant-chat-window.c (the window, composer, pickers and actions),
 * sextant-chat-window-turn.c (one question and its streamed answer) and
 * sextant-chat-window-conversations.c (the sidebar: list, search, rename, delete, export). */

struct _SextantChatWindow
{
  SextantWorkspaceWindow    parent_instance;

  /* template */
  AdwWindowTitle           *window_title;
  GtkMenuButton            *menu_button;
  AdwToastOverlay          *toast_overlay;
  AdwFlap                  *flap;
  GtkSearchEntry           *search_entry;
  GtkListView              *conversation_list;
  GMenuModel               *conversation_row_menu;
  GtkWidget                *conversation_row_popover;
  GtkStack                 *message_stack;
  GtkBox                   *examples_box;
  GtkScrolledWindow        *message_scroller;
  GtkListView              *message_view;
  GtkRevealer              *error_revealer;
  GtkWidget                *key_banner;
  GtkLabel                 *key_banner_label;
  GtkLabel                 *error_label;
  GtkWidget                *ask_anyway_button;
  GtkTextView              *composer_view;
  GtkDropDown              *role_dropdown;
  SextantModelPicker       *model_picker;
  GtkLabel                 *usage_label;
  GtkLabel                 *retry_label;
  guint                     retry_source;       /* counts the wait before Bedrock is asked again */
  gint64                    retry_deadline;
  guint                     retry_attempt;
  guint                     retry_max_attempts;
  char                     *retry_reason;
  GtkButton                *stop_button;
  GtkButton                *send_button;

  /* state */
  SextantConversationStore *conversations;
  SextantChatSession       *session;
  SextantToolData          *tool_data;          /* the session's tools read it */
  SextantKbStore           *knowledge;          /* the documents search_knowledge_base searches */
  SextantBedrockClient     *knowledge_client;   /* embeds their questions, or NULL offline */
  SextantModelPrices       *prices;
  GListStore               *messages;
  SextantChatTranscript    *transcript;
  GListStore               *conversation_items; /* SextantConversationItem, the sidebar's */
  GtkSingleSelection       *conversation_selection;
  gint64                    conversation_id;
  gint64                    oldest_loaded_id;   /* of the open conversation's first page shown */
  guint                     older_source;       /* idle that loads the page before it */
  gboolean                  more_history;
  gint64                    deleted_id;
  char                     *model;
  char                     *region;
  char                     *offline_reason;
  GCancellable             *cancellable;
  GCancellable             *setup_cancellable;
  gboolean                  stick_to_bottom;
  SextantRevealPacer        pacer;
  gsize                     frame_revealed;
  gboolean                  reconnect_pending;
  SextantChatMessage       *replacing;      /* the interrupted answer Retry's answer replaces */
  guint                     turn_retries;   /* attempts Bedrock's client retried in this turn */
  gboolean                  budget_limited;
  gint64                    frame_start;
  gboolean                  filling;

  /* the turn being answered */
  SextantChatMessage       *pending_user;
  SextantChatMessage       *streaming;
  SextantChatMessage       *last_assistant;
  SextantChatMessage       *last_stored;
  gboolean                  turn_stored_answer;
  gboolean                  tool_results_due;

  /* spending limits */
  char                     *blocked_question;   /* stopped by a limit, for Ask Anyway */
  char                     *spending_warning;   /* the last warning shown */
};

void     _sextant_chat_window_send               (SextantChatWindow *self);
void     _sextant_chat_window_retry              (SextantChatWindow *self);
void     _sextant_chat_window_ask_anyway         (SextantChatWindow *self);
void     _sextant_chat_window_stop               (SextantChatWindow *self);
void     _sextant_chat_window_connect_session    (SextantChatWindow *self);
void     _sextant_chat_window_show_error         (SextantChatWindow *self,
                                                  const char        *message);
void     _sextant_chat_window_update_usage       (SextantChatWindow *self);
void     _sextant_chat_window_update_busy        (SextantChatWindow *self);
gboolean _sextant_chat_window_turn_running      (SextantChatWindow *self);
void     _sextant_chat_window_scroll_to_end      (SextantChatWindow *self);
gboolean _sextant_chat_window_ensure_conversation (SextantChatWindow *self,
                                                  const char        *first_question,
                                                  GError           **error);

void     _sextant_chat_window_reload_list        (SextantChatWindow *self);
void     _sextant_chat_window_load_older         (SextantChatWindow *self);
void     _sextant_chat_window_hide_retry         (SextantChatWindow *self);
void     _sextant_chat_window_open_conversation  (SextantChatWindow *self,
                                                  gint64             id);
void     _sextant_chat_window_new_conversation   (SextantChatWindow *self);
void     _sextant_chat_window_rename             (SextantChatWindow *self);
void     _sextant_chat_window_set_pinned         (SextantChatWindow *self,
                                                  gboolean           pinned);
void     _sextant_chat_window_delete             (SextantChatWindow *self);
void     _sextant_chat_window_undo_delete        (SextantChatWindow *self);
void     _sextant_chat_window_export             (SextantChatWindow *self,
                                                  const char        *format);
void     _sextant_chat_window_edit_prices        (SextantChatWindow *self);
void     _sextant_chat_window_load_prices        (SextantChatWindow *self);
void     _sextant_chat_window_setup_sidebar      (SextantChatWindow *self);
const char *_sextant_chat_window_role_id         (SextantChatWindow *self);

G_END_DECLS
