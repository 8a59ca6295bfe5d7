#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "fake-bedrock-server.h"
#include "sextant-chat-message.h"
#include "sextant-chat-transcript.h"
#include "sextant-chat-window.h"
#include "sextant-chart-view.h"
#include "sextant-conversation-item.h"
#include "sextant-invocation-item.h"
#include "sextant-markdown-table-view.h"
#include "sextant-model-picker.h"
#include "sextant-monitoring-window.h"
#include "sextant-markdown-view.h"
#include "sextant-message-row.h"
#include "sextant-preferences-window.h"
#include "sextant-role-prompts-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

/* The chat window end to end under Xvfb: the offline analyst answers the issue's three example
 * requests on the demo data through the window, the rows are stored, a reopened conversation
 * shows the same messages, the sidebar searches and deletes with undo, the conversation menu
 * renames, exports and summarises for the committee, Enter sends and Shift+Enter does not, a
 * draft typed while an answer arrives is kept, and a streaming message re-renders only its
 * changed blocks. Against the fake Bedrock server: two tool calls, throttling, a cut stream and
 * Retry, Stop, the model picker, the invocation log, role prompts, a long answer in many rows;
 * and the price table behind the cost estimates. */

static SextantWorkspace *workspace;

#define WAIT_FOR(condition) TEST_GUI_WAIT_FOR (condition)

#define assert_contains(haystack, needle) \
  G_STMT_START { \
    if (strstr ((haystack), (needle)) == NULL) \
      g_error ("%s:%d: “%s” not found in:\n%s", __FILE__, __LINE__, (needle), (haystack)); \
  } G_STMT_END

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *n_frames)
{
  (*n_frames)++;
}

static void
wait_frames (GtkWidget *window,
             guint      n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  guint n_frames = 0;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &n_frames);

  for (guint i = 0; i < n; i++)
    {
      gtk_widget_queue_draw (window);
      WAIT_FOR (n_frames > i);
    }
  g_signal_handler_disconnect (clock, handler);
}

static SextantConversationStore *
new_conversations (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (":memory:", &error);

  g_assert_no_error (error);

  return sextant_conversation_store_new (store);
}

static SextantChatWindow *
new_offline_window (SextantConversationStore *conversations)
{
  SextantChatWindow *window = sextant_chat_window_new_with_store (NULL, workspace, conversations);

  sextant_chat_window_set_client (window, NULL, "no AWS credentials were found");
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);

  return window;
}

/* The answer the offline analyst gives directly, for the same request and reason: the window
 * must show and store exactly that (its figures are checked in tests/test-offline-analyst.c). */
static char *
direct_answer (const char *question)
{
  g_autoptr(SextantToolData) data = sextant_tool_data_new (sextant_workspace_get_demo_set (workspace), NULL);
  g_autoptr(SextantToolRegistry) registry = sextant_tool_registry_new_default (data);
  g_autoptr(SextantOfflineAnalyst) analyst = sextant_offline_analyst_new (registry);

  return sextant_offline_analyst_answer (analyst, question, "No AWS credentials were found.", NULL);
}

static SextantChatMessage *
message_at (SextantChatWindow *window,
            guint              index)
{
  GListModel *messages = sextant_chat_window_get_messages (window);
  g_autoptr(SextantChatMessage) message = NULL;

  g_assert_cmpuint (index, <, g_list_model_get_n_items (messages));
  message = g_list_model_get_item (messages, index);

  return message; /* the list holds a reference */
}

/* Asks the offline analyst: the question, then (when it ran tools) a message of their cards as
 * Claude's tool rounds show, then the answer. Returns the question's index. */
static guint
ask (SextantChatWindow *window,
     const char        *question)
{
  GListModel *messages = sextant_chat_window_get_messages (window);
  guint before = g_list_model_get_n_items (messages);

  sextant_chat_window_set_draft (window, question);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  g_assert_true (sextant_chat_window_get_busy (window));
  WAIT_FOR (!sextant_chat_window_get_busy (window));
  g_assert_null (sextant_chat_window_get_error (window));
  g_assert_cmpuint (g_list_model_get_n_items (messages), >=, before + 2);
  g_assert_cmpuint (g_list_model_get_n_items (messages), <=, before + 3);

  return before;
}

/* The offline answer to the question at @index: the same text as the analyst gives directly, and
 * the tools it ran shown as cards on the message between them. */
static void
check_offline_answer (SextantChatWindow *window,
                      guint              index,
                      const char        *question)
{
  g_autofree char *expected = direct_answer (question);
  SextantChatMessage *user = message_at (window, index);
  SextantChatMessage *cards = message_at (window, index + 1);
  SextantChatMessage *answer = sextant_chat_message_get_n_tool_calls (cards) > 0 ? message_at (window, index + 2)
                                                                                 : cards;

  g_assert_true (sextant_chat_message_is_user (user));
  g_assert_cmpstr (sextant_chat_message_get_text (user), ==, question);
  g_assert_cmpint (sextant_chat_message_get_id (user), >, 0);
  g_assert_false (sextant_chat_message_is_user (answer));
  g_assert_true (sextant_chat_message_get_offline (answer));
  g_assert_cmpint (sextant_chat_message_get_state (answer), ==, SEXTANT_CHAT_MESSAGE_COMPLETE);
  g_assert_cmpint (sextant_chat_message_get_id (answer), >, sextant_chat_message_get_id (user));
  g_assert_cmpstr (sextant_chat_message_get_text (answer), ==, expected);
}

static void
check_stored (SextantConversationStore *conversations,
              gint64                    conversation_id,
              guint                     n_expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = sextant_conversation_store_load_messages (conversations, conversation_id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, n_expected);
  for (guint i = 0; i < stored->len; i++)
    {
      SextantStoredMessage *m = stored->pdata[i];
      gboolean tools = sextant_chat_message_has_only_tool_results (m) ||
                       (g_strcmp0 (m->role, "assistant") == 0 && m->text[0] == '\0');

      /* Turns alternate, each complete: a question, the tools the analyst ran and their results
       * (as a round of Claude's is stored), then its answer. */
      g_assert_cmpstr (m->role, ==, i % 2 == 0 ? "user" : "assistant");
      g_assert_cmpint (m->state, ==, SEXTANT_MESSAGE_COMPLETE);
      if (i % 2 == 1 && !tools)
        g_assert_true (g_str_has_prefix (m->text, "> **" SEXTANT_OFFLINE_LABEL ".** No AWS credentials were found."));
    }
}

static guint
count_rows (GtkWidget *widget)
{
  guint n = SEXTANT_IS_MESSAGE_ROW (widget) && gtk_widget_get_mapped (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    n += count_rows (child);

  return n;
}

/* The sidebar ---------------------------------------------------------------------------------- */

static GListModel *
sidebar_items (SextantChatWindow *window)
{
  GtkWidget *list = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW,
                                                                 "conversation_list");

  return G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
}

static guint
sidebar_n_items (SextantChatWindow *window)
{
  return g_list_model_get_n_items (sidebar_items (window));
}

static const char *
sidebar_title (SextantChatWindow *window,
               guint              position)
{
  g_autoptr(SextantConversationItem) item = g_list_model_get_item (sidebar_items (window), position);

  g_assert_nonnull (item);
  /* The store keeps the item, and with it the title, alive. */
  return sextant_conversation_item_get_title (item);
}

/* As a click on the row does. */
static void
sidebar_select (SextantChatWindow *window,
                guint              position)
{
  g_assert_true (gtk_selection_model_select_item (GTK_SELECTION_MODEL (sidebar_items (window)), position, TRUE));
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  return test_gui_find (widget, is_label_with_text, text);
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  name)
{
  return gtk_widget_has_css_class (widget, name);
}

/* The card of the optimizer's call: a tool card whose title names its tool. */
static gboolean
is_optimizer_card (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_EXPANDER (widget) && gtk_widget_has_css_class (widget, "tool-card") &&
         gtk_expander_get_label (GTK_EXPANDER (widget)) != NULL &&
         g_str_has_prefix (gtk_expander_get_label (GTK_EXPANDER (widget)), "optimize_allocation_weights");
}

static void
test_offline_examples (void)
{
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  SextantChatWindow *window = new_offline_window (conversations);
  g_autofree char *var_question = g_strdup_printf ("VaR of portfolio %s",
                                                   sextant_portfolio_get_name (sextant_workspace_get_portfolio (workspace)));
  SextantPriceTable *stocks = sextant_workspace_get_stocks (workspace);
  const double *close = sextant_price_table_get_column (stocks, sextant_price_table_find_column (stocks, "MSFT"));
  gsize n = sextant_price_table_get_n_rows (stocks);
  g_autofree double *rsi = g_new (double, n);
  g_autofree char *rsi_cell = NULL;
  GtkWidget *view;
  guint at, optimise_at, n_shown;

  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (gtk_widget_get_template_child (
                     GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW, "window_title"))), ==,
                   "Offline analyst — no AWS credentials were found");

  at = ask (window, "RSI of MSFT");
  check_offline_answer (window, at, "RSI of MSFT");
  /* The tool it ran is a card, with its input and result, as Claude's calls are. */
  g_assert_cmpuint (sextant_chat_message_get_n_tool_calls (message_at (window, at + 1)), ==, 1);
  /* RSI(14) of the last demo close, as tests/test-offline-analyst.c computes it. */
  g_assert_true (sextant_rsi_compute (close, n, 14, rsi, NULL));
  rsi_cell = g_strdup_printf ("| RSI(14) | %.2f — ", rsi[n - 1]);
  assert_contains (sextant_chat_message_get_text (message_at (window, at + 2)), rsi_cell);

  at = ask (window, "optimise MSFT IBM INTC for minimum variance");
  optimise_at = at;
  check_offline_answer (window, at, "optimise MSFT IBM INTC for minimum variance");
  /* Its card, opened, draws the weights it found, as the cards of Claude's calls do. */
  wait_frames (GTK_WIDGET (window), 3);
  {
    GtkWidget *card = test_gui_find (GTK_WIDGET (window), is_optimizer_card, NULL);

    g_assert_nonnull (card);
    g_assert_null (test_gui_find (card, has_css_class, "tool-chart"));
    gtk_expander_set_expanded (GTK_EXPANDER (card), TRUE);
    g_assert_nonnull (test_gui_find (card, has_css_class, "tool-chart"));
  }
  at = ask (window, var_question);
  check_offline_answer (window, at, var_question);
  assert_contains (sextant_chat_message_get_text (message_at (window, at + 2)), "Dow Blue Chips");
  /* Something it cannot parse gets the list of what it can do, and runs no tool. */
  at = ask (window, "write me a poem");
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (window)), ==, at + 2);
  assert_contains (sextant_chat_message_get_text (message_at (window, at + 1)), "Offline, I can answer");

  n_shown = g_list_model_get_n_items (sextant_chat_window_get_messages (window));
  /* Three questions with tools (question, tool uses, results, answer) and one without. */
  check_stored (conversations, sextant_chat_window_get_conversation_id (window), 3 * 4 + 2);
  wait_frames (GTK_WIDGET (window), 3);
  /* The list view made rows for what is visible, not one per message ever. */
  view = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW, "message_view");
  g_assert_cmpuint (count_rows (view), >=, 1);
  g_assert_cmpuint (count_rows (view), <=, n_shown);
  test_gui_save_screenshot (GTK_WIDGET (window), "chat-offline.png");
  test_gui_destroy_and_check (GTK_WINDOW (window));

  /* A new window shows the stored conversation again. */
  window = new_offline_window (conversations);
  {
    g_assert_cmpuint (sidebar_n_items (window), ==, 1);
    g_assert_cmpstr (sidebar_title (window, 0), ==, "RSI of MSFT");
    sidebar_select (window, 0);
    /* The same messages and cards as when they were answered. */
    g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (window)), ==, n_shown);
    check_offline_answer (window, optimise_at, "optimise MSFT IBM INTC for minimum variance");
    g_assert_cmpuint (sextant_chat_message_get_n_tool_calls (message_at (window, optimise_at + 1)), >=, 1);
  }
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* The assistant's tools read the workspace's one portfolio store: a portfolio the Portfolio
 * window creates while the chat is open is known to the next question, its rename too, one
 * the CLI stores through its own connection as well, and a deleted one is gone. */
static void
test_portfolio_from_another_window (void)
{
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  SextantChatWindow *window = new_offline_window (conversations);
  SextantPortfolioStore *store = sextant_workspace_get_portfolios (workspace);
  g_autoptr(SextantPortfolio) book = sextant_portfolio_new ("Desk Book");
  g_autoptr(GError) error = NULL;
  SextantChatMessage *cards;
  guint at;

  g_assert_nonnull (store);
  sextant_portfolio_add_holding (book, "MSFT", 100, NAN, "USD");
  sextant_portfolio_add_holding (book, "IBM", 50, NAN, "USD");
  /* As the Portfolio window's Save as Portfolio… stores it. */
  g_assert_true (sextant_portfolio_store_create (store, book, &error));
  g_assert_no_error (error);

  at = ask (window, "VaR of portfolio Desk Book");
  cards = message_at (window, at + 1);
  g_assert_cmpuint (sextant_chat_message_get_n_tool_calls (cards), ==, 1);
  assert_contains (sextant_chat_message_get_text (message_at (window, at + 2)), "Desk Book");
  g_assert_null (strstr (sextant_chat_message_get_text (message_at (window, at + 2)), "No portfolio named"));

  g_assert_true (sextant_portfolio_store_rename (store, "Desk Book", "Desk Book 2", &error));
  at = ask (window, "VaR of portfolio Desk Book 2");
  assert_contains (sextant_chat_message_get_text (message_at (window, at + 2)), "Desk Book 2");

  /* As sextant-cli stores one: another connection to the same database file. */
  {
    g_autoptr(SextantStore) cli_store = sextant_schema_open (g_getenv ("SEXTANT_DATABASE"), &error);
    g_autoptr(SextantPortfolioStore) cli_portfolios = NULL;
    g_autoptr(SextantPortfolio) cli_book = sextant_portfolio_new ("CLI Book");

    g_assert_no_error (error);
    cli_portfolios = sextant_portfolio_store_new (cli_store);
    sextant_portfolio_add_holding (cli_book, "KO", 10, NAN, "USD");
    sextant_portfolio_add_holding (cli_book, "XOM", 10, NAN, "USD");
    g_assert_true (sextant_portfolio_store_create (cli_portfolios, cli_book, &error));
    g_assert_no_error (error);
  }
  at = ask (window, "VaR of portfolio CLI Book");
  assert_contains (sextant_chat_message_get_text (message_at (window, at + 2)), "Risk of “CLI Book”");
  g_assert_true (sextant_portfolio_store_delete (store, "CLI Book", &error));

  g_assert_true (sextant_portfolio_store_delete (store, "Desk Book 2", &error));
  at = ask (window, "VaR of portfolio Desk Book 2");
  assert_contains (sextant_chat_message_get_text (message_at (window, g_list_model_get_n_items (
                     sextant_chat_window_get_messages (window)) - 1)), "No portfolio named “Desk Book 2”");
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_draft_kept (void)
{
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  SextantChatWindow *window = new_offline_window (conversations);
  g_autofree char *draft = NULL;

  sextant_chat_window_set_draft (window, "RSI of IBM");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  /* Sent: the composer is free for the next question while the answer comes. */
  draft = sextant_chat_window_dup_draft (window);
  g_assert_cmpstr (draft, ==, "");
  sextant_chat_window_set_draft (window, "drawdown of IBM");
  /* A second send while busy does nothing and keeps the draft. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  WAIT_FOR (!sextant_chat_window_get_busy (window));
  g_clear_pointer (&draft, g_free);
  draft = sextant_chat_window_dup_draft (window);
  g_assert_cmpstr (draft, ==, "drawdown of IBM");
  /* The question, the card of the tool the analyst ran, the answer. */
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (window)), ==, 3);
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static GtkWidget *
find_popover_menu (GtkWidget *list)
{
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      return child;

  return NULL;
}

/* What a right click on @widget runs: its secondary-button gesture's pressed signal. */
static void
right_click (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller) &&
          gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY)
        {
          g_signal_emit_by_name (controller, "pressed", 1, 4.0, 4.0);
          return;
        }
    }
  g_error ("no right-click gesture on %s", G_OBJECT_TYPE_NAME (widget));
}

/* The sidebar lists conversations newest first and follows each change in place: a new one
 * appears on top, one used again moves there as the same item with its new length, a deleted
 * one goes; rows show the items' text and have a context menu; search lists hits with their
 * snippets. */
static void
test_sidebar (void)
{
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  SextantChatWindow *window = new_offline_window (conversations);
  GtkWidget *list = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW,
                                                                 "conversation_list");
  GtkWidget *search = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW,
                                                                   "search_entry");
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autoptr(SextantConversationItem) moved = NULL;
  g_autoptr(SextantConversationItem) hit = NULL;
  gint64 first;

  ask (window, "RSI of MSFT");
  first = sextant_chat_window_get_conversation_id (window);
  g_assert_cmpuint (sidebar_n_items (window), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-conversation", NULL));
  g_assert_cmpint (sextant_chat_window_get_conversation_id (window), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (window)), ==, 0);
  g_assert_false (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (sidebar_items (window)), 0));
  ask (window, "drawdown of IBM");
  g_assert_cmpint (sextant_chat_window_get_conversation_id (window), !=, first);
  g_assert_cmpuint (sidebar_n_items (window), ==, 2);
  g_assert_cmpstr (sidebar_title (window, 0), ==, "drawdown of IBM");
  g_assert_cmpstr (sidebar_title (window, 1), ==, "RSI of MSFT");
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (sidebar_items (window)), 0));
  /* The rows' labels are bound to the items. */
  wait_frames (GTK_WIDGET (window), 2);
  g_assert_nonnull (find_label (list, "RSI of MSFT"));
  g_assert_nonnull (find_label (list, "drawdown of IBM"));

  /* A right click on the older conversation's row opens it and its menu; Shift+F10 opens the
   * menu of the focused row. */
  moved = g_list_model_get_item (sidebar_items (window), 1);
  g_assert_null (find_popover_menu (list));
  /* The row's box holds the title's line (title and pin) and the line under it. */
  right_click (gtk_widget_get_parent (gtk_widget_get_parent (find_label (list, "RSI of MSFT"))));
  g_assert_cmpint (sextant_chat_window_get_conversation_id (window), ==, first);
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (sidebar_items (window)), 1));
  g_assert_nonnull (find_popover_menu (list));
  g_assert_true (gtk_widget_get_visible (find_popover_menu (list)));
  gtk_popover_popdown (GTK_POPOVER (find_popover_menu (list)));
  g_assert_true (test_gui_activate_shortcut (list, GDK_KEY_F10, GDK_SHIFT_MASK));
  g_assert_true (gtk_widget_get_visible (find_popover_menu (list)));
  g_assert_cmpint (sextant_chat_window_get_conversation_id (window), ==, first);
  gtk_popover_popdown (GTK_POPOVER (find_popover_menu (list)));

  /* The older conversation, used again, moves to the top: the same item, now 4 messages long. */
  g_assert_true (g_str_has_suffix (sextant_conversation_item_get_subtitle (moved), " · 2 messages"));
  ask (window, "RSI of IBM");
  g_assert_cmpuint (sidebar_n_items (window), ==, 2);
  {
    g_autoptr(SextantConversationItem) top = g_list_model_get_item (sidebar_items (window), 0);

    g_assert_true (top == moved);
  }
  g_assert_true (g_str_has_suffix (sextant_conversation_item_get_subtitle (moved), " · 4 messages"));
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (sidebar_items (window)), 0));
  g_assert_cmpint (sextant_chat_window_get_conversation_id (window), ==, first);
  wait_frames (GTK_WIDGET (window), 2);
  g_assert_nonnull (find_label (list, sextant_conversation_item_get_subtitle (moved)));

  /* FTS search: only the conversation that mentions drawdown, with the term in bold. */
  gtk_editable_set_text (GTK_EDITABLE (search), "drawdown");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (sidebar_n_items (window), ==, 1);
  g_assert_cmpstr (sidebar_title (window, 0), ==, "drawdown of IBM");
  hit = g_list_model_get_item (sidebar_items (window), 0);
  g_assert_true (sextant_conversation_item_get_use_markup (hit));
  g_assert_nonnull (strstr (sextant_conversation_item_get_subtitle (hit), "<b>drawdown</b>"));
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (sidebar_n_items (window), ==, 2);
  g_assert_cmpstr (sidebar_title (window, 0), ==, "RSI of MSFT");

  /* Delete from the keyboard on the sidebar, then Undo from the toast's action. */
  sidebar_select (window, 1);
  g_assert_true (test_gui_activate_shortcut (list, GDK_KEY_Delete, 0));
  g_assert_cmpuint (sidebar_n_items (window), ==, 1);
  g_assert_cmpstr (sidebar_title (window, 0), ==, "RSI of MSFT");
  g_assert_cmpint (sextant_chat_window_get_conversation_id (window), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-delete", NULL));
  g_assert_cmpuint (sidebar_n_items (window), ==, 2);
  g_assert_cmpint (sextant_chat_window_get_conversation_id (window), !=, 0);
  /* The question, the card of the tool the analyst ran, the answer. */
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (window)), ==, 3);
  info = sextant_conversation_store_get (conversations, sextant_chat_window_get_conversation_id (window), NULL);
  g_assert_cmpstr (info->title, ==, "drawdown of IBM");
  /* Back in its place by date, and selected. */
  g_assert_cmpstr (sidebar_title (window, 1), ==, "drawdown of IBM");
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (sidebar_items (window)), 1));
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* The app's chat windows share the workspace's conversation store: what one starts, renames or
 * deletes shows in the other's sidebar, and a window whose open conversation is deleted elsewhere
 * starts a new one. */
static void
test_windows_share_conversations (void)
{
  SextantConversationStore *conversations = sextant_workspace_get_conversations (workspace);
  SextantChatWindow *first = sextant_chat_window_new (NULL, workspace);
  SextantChatWindow *second = sextant_chat_window_new (NULL, workspace);
  g_autoptr(GError) error = NULL;
  guint n_before;
  gint64 id;

  g_assert_true (sextant_workspace_get_conversations (workspace) == conversations);
  sextant_chat_window_set_client (first, NULL, "no AWS credentials were found");
  sextant_chat_window_set_client (second, NULL, "no AWS credentials were found");
  test_gui_show_and_wait (GTK_WINDOW (first), 900, 700);
  test_gui_show_and_wait (GTK_WINDOW (second), 900, 700);
  n_before = sidebar_n_items (second);

  ask (first, "RSI of KO");
  id = sextant_chat_window_get_conversation_id (first);
  g_assert_cmpuint (sidebar_n_items (second), ==, n_before + 1);
  g_assert_cmpstr (sidebar_title (second, 0), ==, "RSI of KO");
  /* Listed, not opened, in the second window. */
  g_assert_false (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (sidebar_items (second)), 0));
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (sidebar_items (first)), 0));

  /* Opened in the second, renamed from the first. */
  sidebar_select (second, 0);
  g_assert_cmpint (sextant_chat_window_get_conversation_id (second), ==, id);
  g_assert_true (sextant_conversation_store_rename (conversations, id, "KO momentum", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sidebar_title (first, 0), ==, "KO momentum");
  g_assert_cmpstr (sidebar_title (second, 0), ==, "KO momentum");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (gtk_widget_get_template_child (
                     GTK_WIDGET (second), SEXTANT_TYPE_CHAT_WINDOW, "window_title"))), ==, "KO momentum");

  /* Deleted in the first: gone from both, and the second starts afresh. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (first), "win.delete-conversation", NULL));
  g_assert_cmpuint (sidebar_n_items (first), ==, n_before);
  g_assert_cmpuint (sidebar_n_items (second), ==, n_before);
  g_assert_cmpint (sextant_chat_window_get_conversation_id (second), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (second)), ==, 0);
  /* Undo in the first brings it back to both. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (first), "win.undo-delete", NULL));
  g_assert_cmpuint (sidebar_n_items (second), ==, n_before + 1);
  g_assert_cmpint (sextant_chat_window_get_conversation_id (first), ==, id);
  test_gui_destroy_and_check (GTK_WINDOW (first));
  test_gui_destroy_and_check (GTK_WINDOW (second));
}

/* A streaming answer: each delta re-renders the message, and the view rebuilds only the blocks
 * that changed — the finished heading and table are made once. */
static void
test_streaming_row (void)
{
  g_autoptr(SextantChatMessage) message = sextant_chat_message_new ("assistant");
  GtkWidget *row = g_object_ref_sink (sextant_message_row_new ());
  SextantMarkdownView *body = SEXTANT_MARKDOWN_VIEW (sextant_message_row_get_body (SEXTANT_MESSAGE_ROW (row)));
  const char *deltas[] = { "## MSFT", "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n", "The RSI ", "is 58", ".3" };
  guint before;

  sextant_message_row_set_message (SEXTANT_MESSAGE_ROW (row), message);
  sextant_chat_message_append_text (message, deltas[0]);
  sextant_chat_message_append_text (message, deltas[1]);
  /* Heading and table: two widgets. */
  g_assert_cmpuint (sextant_markdown_view_get_n_rebuilt (body), ==, 2);
  before = sextant_markdown_view_get_n_rebuilt (body);
  for (guint i = 2; i < G_N_ELEMENTS (deltas); i++)
    sextant_chat_message_append_text (message, deltas[i]);
  /* Three deltas to the last paragraph: three paragraph labels, heading and table untouched. */
  g_assert_cmpuint (sextant_markdown_view_get_n_rebuilt (body), ==, before + 3);
  g_assert_cmpuint (sextant_chat_message_get_blocks (message)->len, ==, 3);

  /* Tool calls become cards. */
  {
    g_autoptr(JsonNode) input = json_from_string ("{\"symbols\":[\"MSFT\",\"IBM\"]}", NULL);
    g_autoptr(JsonNode) result = json_from_string ("{\"weights\":{\"MSFT\":0.4,\"IBM\":0.6}}", NULL);

    sextant_chat_message_add_tool_call (message, "t1", "optimize_allocation_weights", input);
    g_assert_true (sextant_chat_message_set_tool_result (message, "t1", result, FALSE));
    g_assert_false (sextant_chat_message_set_tool_result (message, "t2", result, FALSE));
    g_assert_cmpuint (sextant_chat_message_get_n_tool_calls (message), ==, 1);
  }
  sextant_message_row_set_message (SEXTANT_MESSAGE_ROW (row), NULL);
  g_assert_finalize_object (row);
}

static SextantMarkdownBlock *
find_block (GPtrArray                *blocks,
            SextantMarkdownBlockKind  kind)
{
  for (guint i = 0; i < blocks->len; i++)
    if (((SextantMarkdownBlock *) blocks->pdata[i])->kind == kind)
      return blocks->pdata[i];

  return NULL;
}

/* A table is one widget: its cells line up in columns, it wraps them when narrower than they
 * want, copies as tab-separated text (from its menu or Ctrl+C once focused) and reads to screen
 * readers as that text. */
static void
test_table_view (void)
{
  const char *markdown = "| Metric | **MSFT** | IBM |\n|---|--:|--:|\n| VaR 95% | 2.10% | 1.85% |\n"
                         "| Expected shortfall at 97.5% over ten days | 2.95% | 2.61% |\n";
  g_autoptr(GPtrArray) blocks = sextant_markdown_render (markdown, -1);
  SextantMarkdownBlock *block = find_block (blocks, SEXTANT_MARKDOWN_TABLE);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *table = sextant_markdown_table_view_new ();
  g_autofree char *text = NULL;
  g_autofree char *copied = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  int min_width, nat_width, wide_height, narrow_height, dummy;

  g_assert_nonnull (block);
  gtk_window_set_child (GTK_WINDOW (window), table);
  sextant_markdown_table_view_set_block (SEXTANT_MARKDOWN_TABLE_VIEW (table), block);
  g_assert_cmpuint (sextant_markdown_table_view_get_n_rows (SEXTANT_MARKDOWN_TABLE_VIEW (table)), ==, 3);
  g_assert_cmpuint (sextant_markdown_table_view_get_n_columns (SEXTANT_MARKDOWN_TABLE_VIEW (table)), ==, 3);

  /* Markup goes, the text stays. */
  text = sextant_markdown_table_view_get_text (SEXTANT_MARKDOWN_TABLE_VIEW (table));
  g_assert_cmpstr (text, ==, "Metric\tMSFT\tIBM\nVaR 95%\t2.10%\t1.85%\n"
                             "Expected shortfall at 97.5% over ten days\t2.95%\t2.61%\n");

  gtk_widget_measure (table, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
  g_assert_cmpint (min_width, <, nat_width);
  gtk_widget_measure (table, GTK_ORIENTATION_VERTICAL, nat_width, &wide_height, &dummy, NULL, NULL);
  gtk_widget_measure (table, GTK_ORIENTATION_VERTICAL, min_width, &narrow_height, &dummy, NULL, NULL);
  g_assert_cmpint (wide_height, >, 0);
  /* The long first cell wraps in a narrow table. */
  g_assert_cmpint (narrow_height, >, wide_height);

  /* Keyboard users reach it, copy it with Ctrl+C, and open its menu with Shift+F10. */
  g_assert_true (gtk_widget_get_focusable (table));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_grab_focus (table));
  g_assert_true (test_gui_activate_shortcut (table, GDK_KEY_c, GDK_CONTROL_MASK));
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (gtk_widget_get_clipboard (table)),
                                                 &value, NULL));
  copied = g_value_dup_string (&value);
  g_assert_cmpstr (copied, ==, text);
  g_assert_null (gtk_widget_get_first_child (table));
  g_assert_true (test_gui_activate_shortcut (table, GDK_KEY_F10, GDK_SHIFT_MASK));
  g_assert_true (GTK_IS_POPOVER_MENU (gtk_widget_get_first_child (table)));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_first_child (table)));
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_first_child (table)));

  /* A table that grows (streaming) takes its new rows. */
  {
    g_autoptr(GPtrArray) more = sextant_markdown_render ("| Metric | MSFT |\n|---|--:|\n| Beta | 1.12 |\n| Vol | 1.4% |\n"
                                                         "| RSI | 58 |\n", -1);

    sextant_markdown_table_view_set_block (SEXTANT_MARKDOWN_TABLE_VIEW (table), find_block (more, SEXTANT_MARKDOWN_TABLE));
    g_assert_cmpuint (sextant_markdown_table_view_get_n_rows (SEXTANT_MARKDOWN_TABLE_VIEW (table)), ==, 4);
    g_assert_cmpuint (sextant_markdown_table_view_get_n_columns (SEXTANT_MARKDOWN_TABLE_VIEW (table)), ==, 2);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A row the list view recycles shows other text: widgets of the same kinds take the new text
 * instead of being made again, and a block of another kind is made anew. */
static void
test_markdown_view_reuse (void)
{
  g_autoptr(GPtrArray) first = sextant_markdown_render ("## MSFT\n\nThe RSI is 58.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", -1);
  g_autoptr(GPtrArray) second = sextant_markdown_render ("## IBM\n\nThe drawdown is 6.8%.\n\n| c | d |\n|---|---|\n| 3 | 4 |\n"
                                                         "| 5 | 6 |\n", -1);
  g_autoptr(GPtrArray) third = sextant_markdown_render ("## IBM\n\n- a list now\n", -1);
  GtkWidget *view = g_object_ref_sink (sextant_markdown_view_new ());
  GtkWidget *heading, *paragraph, *table;

  sextant_markdown_view_set_blocks (SEXTANT_MARKDOWN_VIEW (view), first);
  heading = gtk_widget_get_first_child (view);
  paragraph = gtk_widget_get_next_sibling (heading);
  table = gtk_widget_get_next_sibling (paragraph);
  g_assert_true (SEXTANT_IS_MARKDOWN_TABLE_VIEW (table));

  sextant_markdown_view_set_blocks (SEXTANT_MARKDOWN_VIEW (view), second);
  g_assert_true (gtk_widget_get_first_child (view) == heading);
  g_assert_true (gtk_widget_get_next_sibling (heading) == paragraph);
  g_assert_true (gtk_widget_get_next_sibling (paragraph) == table);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (heading)), ==, "IBM");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (paragraph)), "drawdown"));
  g_assert_cmpuint (sextant_markdown_table_view_get_n_rows (SEXTANT_MARKDOWN_TABLE_VIEW (table)), ==, 3);

  /* A list where the paragraph was: the heading stays, the list is new, the table goes. */
  sextant_markdown_view_set_blocks (SEXTANT_MARKDOWN_VIEW (view), third);
  g_assert_true (gtk_widget_get_first_child (view) == heading);
  g_assert_true (gtk_widget_get_next_sibling (heading) != paragraph);
  g_assert_null (gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (heading)));

  /* Text breaks between words, and inside one only when a word may not fit in the column. */
  {
    g_autoptr(GPtrArray) plain = sextant_markdown_render ("Plain **words** only, none of them long.\n", -1);
    g_autoptr(GPtrArray) url = sextant_markdown_render ("See https://example.org/reports/2026/risk-dashboard-q3.pdf now.\n", -1);

    sextant_markdown_view_set_blocks (SEXTANT_MARKDOWN_VIEW (view), plain);
    g_assert_cmpint (gtk_label_get_wrap_mode (GTK_LABEL (gtk_widget_get_first_child (view))), ==, PANGO_WRAP_WORD);
    sextant_markdown_view_set_blocks (SEXTANT_MARKDOWN_VIEW (view), url);
    g_assert_cmpint (gtk_label_get_wrap_mode (GTK_LABEL (gtk_widget_get_first_child (view))), ==, PANGO_WRAP_WORD_CHAR);
  }
  g_assert_finalize_object (view);
}

/* Transcript -------------------------------------------------------------------------------- */

/* About 8 KB of an analyst's Markdown: headings, paragraphs, lists, tables, code. */
static char *
long_answer (guint n_sections)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_sections; i++)
    g_string_append_printf (text, "## %u. MSFT against IBM\n\nOver the last quarter **MSFT** rose 4.2%% while *IBM* "
                            "fell 1.3%%; the RSI(14) of MSFT is 58.3.\n\n- momentum is positive\n- IBM trades "
                            "below its 50-day average\n\n| Metric | MSFT | IBM |\n|---|--:|--:|\n| VaR 95%% | 2.10%% | "
                            "1.85%% |\n\n```\nweights = optimise(['MSFT', 'IBM'])\n\nprint(weights)\n```\n\n", i + 1);

  return g_string_free (text, FALSE);
}

typedef struct
{
  guint n_items;
  guint n_changes;
} ItemsCount;

/* Keeps a count of items from the signal alone, to check the model reports its changes right. */
static void
count_items_cb (GListModel *model,
                guint       position,
                guint       removed,
                guint       added,
                ItemsCount *count)
{
  g_assert_cmpuint (position + removed, <=, count->n_items);
  count->n_items += added - removed;
  count->n_changes++;
}

/* The parts of each message follow each other without gap or overlap, from the first (with the
 * header) to the last (open, ending where the shown text does), and render together to the
 * blocks of the text shown. */
static void
check_parts_from (SextantChatTranscript *transcript,
                  guint                  first,
                  gsize                  shown_len)
{
  GListModel *model = G_LIST_MODEL (transcript);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GPtrArray) joined = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_markdown_block_free);
  g_autoptr(GPtrArray) whole = NULL;
  SextantChatMessage *message = NULL;
  gsize next = 0;

  for (guint i = first; i < n; i++)
    {
      g_autoptr(SextantChatPart) part = g_list_model_get_item (model, i);
      g_autoptr(GPtrArray) blocks = sextant_chat_part_render (part);
      gboolean last = i + 1 == n;

      if (message == NULL)
        message = sextant_chat_part_get_message (part);
      g_assert_true (sextant_chat_part_get_message (part) == message);
      g_assert_cmpuint (sextant_chat_part_get_start (part), ==, next);
      g_assert_true (sextant_chat_part_is_first (part) == (i == first));
      g_assert_true (sextant_chat_part_is_last (part) == last);
      /* Parts are at least PART_BYTES (512) long but for the last. */
      if (!last)
        g_assert_cmpuint (sextant_chat_part_get_end (part) - sextant_chat_part_get_start (part), >=, 512);
      next = sextant_chat_part_get_end (part);
      for (guint b = 0; b < blocks->len; b++)
        g_ptr_array_add (joined, g_steal_pointer (&blocks->pdata[b]));
      g_ptr_array_set_free_func (blocks, NULL);
    }
  g_assert_cmpuint (next, ==, shown_len);
  whole = sextant_markdown_render (sextant_chat_message_get_text (message), shown_len);
  g_assert_cmpuint (joined->len, ==, whole->len);
  for (guint b = 0; b < whole->len; b++)
    g_assert_true (sextant_markdown_block_equal (joined->pdata[b], whole->pdata[b]));
}

static void
check_parts (SextantChatTranscript *transcript,
             gsize                  shown_len)
{
  check_parts_from (transcript, 0, shown_len);
}

/* The parts of the last message, which starts after the question's one part. */
static void
check_parts_of_last (SextantChatTranscript *transcript,
                     gsize                  shown_len)
{
  check_parts_from (transcript, 1, shown_len);
}

/* A long message is many rows; short ones one each; the model follows the messages' list. */
static void
test_transcript_parts (void)
{
  g_autoptr(GListStore) messages = g_list_store_new (SEXTANT_TYPE_CHAT_MESSAGE);
  g_autoptr(SextantChatMessage) question = sextant_chat_message_new ("user");
  g_autoptr(SextantChatMessage) answer = sextant_chat_message_new ("assistant");
  g_autoptr(SextantChatTranscript) transcript = NULL;
  g_autofree char *text = long_answer (30);
  ItemsCount count = { 0, 0 };
  guint n_answer;

  sextant_chat_message_set_text (answer, text);
  g_list_store_append (messages, answer);
  transcript = sextant_chat_transcript_new (G_LIST_MODEL (messages));
  n_answer = g_list_model_get_n_items (G_LIST_MODEL (transcript));
  /* ~8 KB in pieces of at least 512 bytes, cut only where Markdown lets them render apart. */
  g_assert_cmpuint (n_answer, >, 5);
  g_assert_cmpuint (n_answer, <=, strlen (text) / 512);
  check_parts (transcript, strlen (text));
  g_assert_false (sextant_chat_transcript_get_pending (transcript));

  count.n_items = n_answer;
  g_signal_connect (transcript, "items-changed", G_CALLBACK (count_items_cb), &count);
  sextant_chat_message_set_text (question, "RSI of MSFT?");
  g_list_store_insert (messages, 0, question);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), ==, n_answer + 1);
  g_assert_cmpuint (count.n_items, ==, n_answer + 1);
  {
    g_autoptr(SextantChatPart) first = g_list_model_get_item (G_LIST_MODEL (transcript), 0);
    g_autoptr(SextantChatPart) second = g_list_model_get_item (G_LIST_MODEL (transcript), 1);

    g_assert_true (sextant_chat_part_get_message (first) == question);
    g_assert_true (sextant_chat_part_is_first (first) && sextant_chat_part_is_last (first));
    g_assert_true (sextant_chat_part_get_message (second) == answer);
    g_assert_true (sextant_chat_part_is_first (second));
  }
  g_list_store_remove (messages, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), ==, 1);
  g_assert_cmpuint (count.n_items, ==, 1);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (transcript), 1));
}

/* An answer arriving in deltas is shown a budget at a time: never more than the budget per
 * flush, the last part growing in place and closing when a cut passes it, until all is shown. */
static void
test_transcript_streaming (void)
{
  g_autoptr(GListStore) messages = g_list_store_new (SEXTANT_TYPE_CHAT_MESSAGE);
  g_autoptr(SextantChatMessage) answer = sextant_chat_message_new ("assistant");
  g_autoptr(SextantChatTranscript) transcript = sextant_chat_transcript_new (G_LIST_MODEL (messages));
  g_autofree char *text = long_answer (20);
  gsize len = strlen (text), shown = 0;
  ItemsCount count = { 0, 0 };
  guint n_closed = 0, n_flushes = 0;
  const gsize budget = 300;

  g_signal_connect (transcript, "items-changed", G_CALLBACK (count_items_cb), &count);
  g_list_store_append (messages, answer);
  g_assert_cmpuint (count.n_items, ==, 1);
  for (gsize pos = 0; pos < len || sextant_chat_transcript_get_pending (transcript);)
    {
      g_autoptr(SextantChatPart) last_before = NULL;
      g_autoptr(SextantChatPart) last_after = NULL;
      guint n = g_list_model_get_n_items (G_LIST_MODEL (transcript));

      /* 7-byte deltas, a flush every 40 of them, as frames come while text pours in. */
      for (guint d = 0; d < 40 && pos < len; d++, pos = MIN (pos + 7, len))
        {
          g_autofree char *delta = g_strndup (text + pos, MIN (7, len - pos));

          sextant_chat_message_append_text (answer, delta);
          sextant_chat_transcript_queue_update (transcript, answer);
        }
      last_before = g_list_model_get_item (G_LIST_MODEL (transcript), n - 1);
      sextant_chat_transcript_flush (transcript, budget);
      n_flushes++;
      last_after = g_list_model_get_item (G_LIST_MODEL (transcript), n - 1);
      /* The last part keeps its object (and so its row) when it closes. */
      g_assert_true (last_before == last_after);
      if (!sextant_chat_part_is_last (last_before))
        n_closed++;
      g_assert_cmpuint (count.n_items, ==, g_list_model_get_n_items (G_LIST_MODEL (transcript)));
      {
        g_autoptr(SextantChatPart) last = g_list_model_get_item (G_LIST_MODEL (transcript), count.n_items - 1);
        gsize now = sextant_chat_part_get_end (last);

        g_assert_cmpuint (now, <=, shown + budget);
        g_assert_cmpuint (now, <=, strlen (sextant_chat_message_get_text (answer)));
        shown = now;
      }
    }
  g_assert_cmpuint (shown, ==, len);
  g_assert_cmpuint (n_closed, >, 3);
  /* 5.4 KB at 300 bytes a flush takes at least 18 flushes. */
  g_assert_cmpuint (n_flushes, >=, len / budget);
  check_parts (transcript, len);
}

static gboolean
is_mapped_of_type (GtkWidget     *widget,
                   gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type)) && gtk_widget_get_mapped (widget);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  return test_gui_find (widget, is_mapped_of_type, GSIZE_TO_POINTER (type));
}

/* A conversation stored the way the agent stores a tool round (the answer with its toolUse, a
 * user turn with the toolResult, the final answer) opens as two answers, the first with a card
 * holding the input and the result. */
static void
test_stored_tool_round (void)
{
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  g_autoptr(SextantConverseMessage) question = sextant_converse_message_new ("user");
  g_autoptr(SextantConverseMessage) round = sextant_converse_message_new ("assistant");
  g_autoptr(SextantConverseMessage) results = sextant_converse_message_new ("user");
  g_autoptr(SextantConverseMessage) answer = sextant_converse_message_new ("assistant");
  g_autoptr(JsonNode) input = json_from_string ("{\"symbols\":[\"MSFT\",\"IBM\",\"INTC\"],\"objective\":\"min_variance\"}", NULL);
  g_autoptr(JsonNode) output = json_from_string ("{\"weights\":{\"MSFT\":0.3572,\"IBM\":0.5228,\"INTC\":0.12}}", NULL);
  g_autoptr(GError) error = NULL;
  SextantChatWindow *window;
  SextantChatMessage *first_answer;
  SextantChatToolCall *call;
  GtkWidget *expander;
  gint64 id;

  id = sextant_conversation_store_create (conversations, "Tech weights", SEXTANT_ROLE_PORTFOLIO_MANAGER,
                                          "us.anthropic.claude-sonnet-4-20250514-v1:0", &error);
  g_assert_no_error (error);
  sextant_converse_message_add_text (question, "What would a min-variance mix of MSFT, IBM and INTC be?");
  sextant_converse_message_add_text (round, "Let me run the optimizer.");
  sextant_converse_message_add_tool_use (round, "tool-1", "optimize_allocation_weights", input);
  sextant_converse_message_add_tool_result (results, "tool-1", NULL, output, FALSE);
  sextant_converse_message_add_text (answer, "## Minimum variance\n\n| Symbol | Weight |\n|---|--:|\n"
                                             "| IBM | 52.28% |\n| MSFT | 35.72% |\n| INTC | 12.00% |\n\n"
                                             "IBM carries the most weight: it had the **lowest volatility**.");
  g_assert_cmpint (sextant_conversation_store_append (conversations, id, question, SEXTANT_MESSAGE_COMPLETE, 0, 0, NULL), >, 0);
  g_assert_cmpint (sextant_conversation_store_append (conversations, id, round, SEXTANT_MESSAGE_COMPLETE, 1200, 80, NULL), >, 0);
  g_assert_cmpint (sextant_conversation_store_append (conversations, id, results, SEXTANT_MESSAGE_COMPLETE, 0, 0, NULL), >, 0);
  g_assert_cmpint (sextant_conversation_store_append (conversations, id, answer, SEXTANT_MESSAGE_COMPLETE, 1500, 120, NULL), >, 0);

  window = new_offline_window (conversations);
  sidebar_select (window, 0);
  g_assert_cmpint (sextant_chat_window_get_conversation_id (window), ==, id);
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (window)), ==, 3);
  first_answer = message_at (window, 1);
  g_assert_cmpstr (sextant_chat_message_get_text (first_answer), ==, "Let me run the optimizer.");
  g_assert_cmpuint (sextant_chat_message_get_n_tool_calls (first_answer), ==, 1);
  call = sextant_chat_message_get_tool_call (first_answer, 0);
  g_assert_cmpstr (call->name, ==, "optimize_allocation_weights");
  g_assert_nonnull (call->result);
  g_assert_true (json_node_equal (call->result, output));
  g_assert_false (call->is_error);
  /* The role comes back with the conversation. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (gtk_widget_get_template_child (
                      GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW, "role_dropdown"))), ==, 1);

  wait_frames (GTK_WIDGET (window), 3);
  expander = find_widget (GTK_WIDGET (window), GTK_TYPE_EXPANDER);
  g_assert_nonnull (expander);
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  wait_frames (GTK_WIDGET (window), 3);
  g_assert_nonnull (find_widget (expander, GTK_TYPE_DRAWING_AREA));
  g_assert_true (call->expanded);
  test_gui_save_screenshot (GTK_WIDGET (window), "chat-tools.png");
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* Prices ---------------------------------------------------------------------------------------- */

/* Whether a mapped label under @widget shows @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}

static const char *
usage_text (SextantChatWindow *window)
{
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW,
                                                                       "usage_label")));
}

static GtkWidget *
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
find_row_titled (GtkWidget  *widget,
                 const char *title)
{
  return test_gui_find (widget, is_row_titled, title);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  return test_gui_find (widget, is_button_labelled, label);
}

static void
open_first_conversation (SextantChatWindow *window)
{
  sidebar_select (window, 0);
  wait_frames (GTK_WIDGET (window), 3);
}

static gboolean
setting_is (GSettings  *settings,
            const char *json)
{
  g_autofree char *value = g_settings_get_string (settings, "model-prices");

  return g_str_equal (value, json);
}

/* Cost per answer and per conversation, from the core's price table; an edit in the Token
 * Prices window shows at once, is kept in the model-prices setting as the edit alone, reaches a
 * new window and any other window through the setting, and Reset to Defaults undoes it. */
static void
test_prices (void)
{
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  SextantChatWindow *window;
  GtkWidget *prefs, *row;
  gint64 id;

  g_settings_reset (settings, "model-prices");
  id = sextant_conversation_store_create (conversations, "Costs", SEXTANT_ROLE_ANALYST,
                                          "us.anthropic.claude-sonnet-4-20250514-v1:0", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SextantConverseMessage) m = sextant_converse_message_new (i % 2 == 0 ? "user" : "assistant");

      sextant_converse_message_add_text (m, i % 2 == 0 ? "RSI of MSFT?" : "It is 58.");
      g_assert_cmpint (sextant_conversation_store_append (conversations, id, m, SEXTANT_MESSAGE_COMPLETE,
                                                          i == 1 ? 1200 : i == 3 ? 1500 : 0,
                                                          i == 1 ? 80 : i == 3 ? 120 : 0, NULL), >, 0);
    }

  /* Claude Sonnet 4 lists at $3 in and $15 out per million tokens (the core's default table).
   * The last answer: 1,500 × 3 + 120 × 15 = 6,300 µ$; the conversation: 2,700 in and 200 out,
   * 8,100 + 3,000 = 11,100 µ$. */
  window = new_offline_window (conversations);
  open_first_conversation (window);
  assert_contains (usage_text (window), "≈ $0.0111");
  g_assert_true (shows_text (GTK_WIDGET (window), "≈ $0.0063"));
  g_assert_true (shows_text (GTK_WIDGET (window), "≈ $0.0048"));

  /* Input at $6: the answer costs 9,000 + 1,800 µ$, the conversation 16,200 + 3,000 µ$. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-prices", NULL));
  prefs = find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  row = find_row_titled (prefs, "anthropic.claude-sonnet-4");
  g_assert_nonnull (row);
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (row), "input"), 6.0);
  assert_contains (usage_text (window), "≈ $0.0192");
  g_assert_true (shows_text (GTK_WIDGET (window), "≈ $0.0108"));
  g_assert_true (setting_is (settings, "{\"anthropic.claude-sonnet-4\":[6.0,15.0]}"));
  gtk_window_destroy (GTK_WINDOW (prefs));
  test_gui_destroy_and_check (GTK_WINDOW (window));

  /* A new window reads the edit from the setting. */
  window = new_offline_window (conversations);
  open_first_conversation (window);
  assert_contains (usage_text (window), "≈ $0.0192");
  /* Changed elsewhere (another window, dconf-editor): followed. */
  g_settings_set_string (settings, "model-prices", "{\"anthropic.claude-sonnet-4\":[3.0,30.0]}");
  WAIT_FOR (strstr (usage_text (window), "≈ $0.0141") != NULL);   /* 8,100 + 6,000 µ$ */
  g_assert_true (shows_text (GTK_WIDGET (window), "≈ $0.0081")); /* 4,500 + 3,600 µ$ */

  /* Reset to Defaults: back to the list price, nothing left in the setting. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-prices", NULL));
  prefs = find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  row = find_row_titled (prefs, "anthropic.claude-sonnet-4");
  g_assert_cmpfloat (gtk_spin_button_get_value (g_object_get_data (G_OBJECT (row), "output")), ==, 30.0);
  g_signal_emit_by_name (find_button_labelled (prefs, "_Reset to Defaults"), "clicked");
  g_assert_true (setting_is (settings, "{}"));
  assert_contains (usage_text (window), "≈ $0.0111");
  row = find_row_titled (prefs, "anthropic.claude-sonnet-4");
  g_assert_cmpfloat (gtk_spin_button_get_value (g_object_get_data (G_OBJECT (row), "output")), ==, 15.0);
  gtk_window_destroy (GTK_WINDOW (prefs));
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* The conversation's total prices its prompt-cache reads and writes as each answer's cost
 * does: Claude Sonnet 4 lists at $3 in, $15 out, cache writes 1.25 × and reads 0.1 × input
 * (the core's default table). One answer of 1,500 in and 120 out whose turn read 100,000
 * tokens from the cache and wrote 20,000: 4,500 + 1,800 + 30,000 + 75,000 = 111,300 µ$, where
 * input and output alone are 6,300 µ$. */
static void
test_prices_cache (void)
{
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  g_autoptr(SextantInvocationLog) log = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  SextantChatWindow *window;
  const char *model = "us.anthropic.claude-sonnet-4-20250514-v1:0";
  SextantInvocation turn = {
    .started_at = g_get_real_time (),
    .model = (char *) model,
    .role = (char *) "analyst",
    .input_tokens = 1500,
    .output_tokens = 120,
    .cache_read_tokens = 100000,
    .cache_write_tokens = 20000,
    .outcome = (char *) "success",
  };
  gint64 id;

  g_settings_reset (settings, "model-prices");
  id = sextant_conversation_store_create (conversations, "Cached", SEXTANT_ROLE_ANALYST, model, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SextantConverseMessage) m = sextant_converse_message_new (i == 0 ? "user" : "assistant");

      sextant_converse_message_add_text (m, i == 0 ? "RSI of MSFT?" : "It is 58.");
      g_assert_cmpint (sextant_conversation_store_append (conversations, id, m, SEXTANT_MESSAGE_COMPLETE,
                                                          i == 1 ? 1500 : 0, i == 1 ? 120 : 0, NULL), >, 0);
    }
  log = sextant_invocation_log_new (sextant_conversation_store_get_store (conversations));
  turn.conversation_id = id;
  g_assert_true (sextant_invocation_log_record (log, &turn, &error));
  g_assert_no_error (error);

  window = new_offline_window (conversations);
  open_first_conversation (window);
  g_test_message ("usage: %s", usage_text (window));
  {
    /* the counts in the locale's grouping, as the window writes them */
    g_autofree char *cache = g_strdup_printf ("cache %'d read, %'d written", 100000, 20000);

    assert_contains (usage_text (window), cache);
  }
  assert_contains (usage_text (window), "≈ $0.1113");
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static GtkEventController *
composer_keys (SextantChatWindow *window)
{
  GtkWidget *composer = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW,
                                                                     "composer_view");
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (composer);

  /* The window's own key controller is the one that runs before the text view's (capture). */
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        return controller;
    }
  g_assert_not_reached ();
}

static gboolean
press (SextantChatWindow *window,
       guint              keyval,
       GdkModifierType    state)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (composer_keys (window), "key-pressed", keyval, 0, state, &handled);

  return handled;
}

static char *
read_file (GFile *file)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, &error));
  g_assert_no_error (error);

  return contents;
}

/* What acts on the open conversation: Enter sends and Shift+Enter does not, Rename, export to
 * Markdown and JSON (the same text the store exports), and Summarise for the Committee, which
 * asks the committee prompt and leaves the draft alone. */
static void
test_conversation_actions (void)
{
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  SextantChatWindow *window = new_offline_window (conversations);
  g_autofree char *dir = g_dir_make_tmp ("sextant-export-XXXXXX", NULL);
  g_autoptr(GFile) md_file = g_file_new_build_filename (dir, "chat.md", NULL);
  g_autoptr(GFile) json_file = g_file_new_build_filename (dir, "chat.json", NULL);
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *draft = NULL, *md = NULL, *md_expected = NULL, *json = NULL;
  g_autoptr(JsonNode) json_expected = NULL;
  g_autoptr(JsonNode) json_read = NULL;
  GtkWidget *dialog;
  gint64 id;

  /* Shift+Enter is left to the text view (a new line); Enter sends. */
  sextant_chat_window_set_draft (window, "RSI of MSFT");
  g_assert_false (press (window, GDK_KEY_Return, GDK_SHIFT_MASK));
  g_assert_false (sextant_chat_window_get_busy (window));
  g_assert_true (press (window, GDK_KEY_Return, 0));
  g_assert_true (sextant_chat_window_get_busy (window));
  WAIT_FOR (!sextant_chat_window_get_busy (window));
  draft = sextant_chat_window_dup_draft (window);
  g_assert_cmpstr (draft, ==, "");
  /* The question, the card of the tool the analyst ran, the answer. */
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (window)), ==, 3);
  id = sextant_chat_window_get_conversation_id (window);

  /* Rename through the dialog, opened with F2 on the sidebar. */
  g_assert_true (test_gui_activate_shortcut ((GtkWidget *) gtk_widget_get_template_child (
                                               GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW, "conversation_list"),
                                             GDK_KEY_F2, 0));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog))), "  MSFT momentum ");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  gtk_window_destroy (GTK_WINDOW (dialog));
  info = sextant_conversation_store_get (conversations, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->title, ==, "MSFT momentum");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (gtk_widget_get_template_child (
                     GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW, "window_title"))), ==, "MSFT momentum");
  g_assert_cmpuint (sidebar_n_items (window), ==, 1);
  g_assert_cmpstr (sidebar_title (window, 0), ==, "MSFT momentum");

  /* Summarise: the committee prompt is asked; what the user was typing stays. */
  sextant_chat_window_set_draft (window, "and IBM?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.summarise", NULL));
  WAIT_FOR (!sextant_chat_window_get_busy (window));
  /* The committee prompt, the card of the tool the analyst ran for it, its answer. */
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (window)), ==, 6);
  g_assert_cmpstr (sextant_chat_message_get_text (message_at (window, 3)), ==, sextant_agent_committee_summary_prompt ());
  g_clear_pointer (&draft, g_free);
  draft = sextant_chat_window_dup_draft (window);
  g_assert_cmpstr (draft, ==, "and IBM?");

  /* Export: the files hold what the store exports. */
  g_assert_true (sextant_chat_window_export_to_file (window, md_file, "markdown", &error));
  g_assert_no_error (error);
  md = read_file (md_file);
  md_expected = sextant_conversation_store_export_markdown (conversations, id, &error);
  g_assert_cmpstr (md, ==, md_expected);
  assert_contains (md, "MSFT momentum");
  g_assert_true (sextant_chat_window_export_to_file (window, json_file, "json", &error));
  json = read_file (json_file);
  json_read = json_from_string (json, &error);
  g_assert_no_error (error);
  json_expected = sextant_conversation_store_export_json (conversations, id, &error);
  g_assert_true (json_node_equal (json_read, json_expected));
  /* Nothing open, nothing to export. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-conversation", NULL));
  g_assert_false (sextant_chat_window_export_to_file (window, md_file, "markdown", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_file_delete (md_file, NULL, NULL);
  g_file_delete (json_file, NULL, NULL);
  g_rmdir (dir);
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static gboolean
is_shown_pin (GtkWidget     *widget,
              gconstpointer  data)
{
  return GTK_IS_IMAGE (widget) && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "view-pin-symbolic") == 0 &&
         gtk_widget_get_mapped (widget);
}

static gboolean
is_menu_item (GtkWidget     *widget,
              gconstpointer  label)
{
  g_autofree char *text = NULL;

  if (g_strcmp0 (G_OBJECT_TYPE_NAME (widget), "GtkModelButton") != 0 || !gtk_widget_get_visible (widget))
    return FALSE;
  g_object_get (widget, "text", &text, NULL);

  return g_strcmp0 (text, label) == 0;
}

static gboolean
is_popover_menu (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_POPOVER_MENU (widget);
}

/* The sidebar's row menu, opened with Shift+F10 as a keyboard user would: whether it offers
 * @label (Pin or Unpin show only when they apply). */
static gboolean
row_menu_offers (SextantChatWindow *window,
                 const char        *label)
{
  GtkWidget *list = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW,
                                                                 "conversation_list");
  GtkWidget *popover;
  gboolean offered;

  g_assert_true (test_gui_activate_shortcut (list, GDK_KEY_F10, GDK_SHIFT_MASK));
  popover = test_gui_find (list, is_popover_menu, NULL);
  g_assert_nonnull (popover);
  wait_frames (GTK_WIDGET (window), 2);
  offered = test_gui_find (popover, is_menu_item, label) != NULL;
  gtk_popover_popdown (GTK_POPOVER (popover));

  return offered;
}

static gboolean
sidebar_pinned (SextantChatWindow *window,
                guint              position)
{
  g_autoptr(SextantConversationItem) item = g_list_model_get_item (sidebar_items (window), position);

  return sextant_conversation_item_get_pinned (item);
}

/* Pin and Unpin in the sidebar's menus: a pinned conversation heads the list with a pin shown,
 * survives retention however old, and unpinned goes back to its place by date. */
static void
test_pin (void)
{
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  SextantChatWindow *window;
  gint64 oldest = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *title = g_strdup_printf ("Review %u", i + 1);
      gint64 id = sextant_conversation_store_create (conversations, title, "analyst", NULL, &error);

      g_assert_no_error (error);
      if (i == 0)
        oldest = id;
    }
  window = new_offline_window (conversations);
  g_assert_cmpuint (sidebar_n_items (window), ==, 3);
  g_assert_cmpstr (sidebar_title (window, 0), ==, "Review 3");
  g_assert_cmpstr (sidebar_title (window, 2), ==, "Review 1");
  g_assert_null (test_gui_find (GTK_WIDGET (window), is_shown_pin, NULL));

  /* The oldest, pinned from its row's menu, heads the list. */
  sidebar_select (window, 2);
  wait_frames (GTK_WIDGET (window), 3);
  g_assert_cmpint (sextant_chat_window_get_conversation_id (window), ==, oldest);
  g_assert_true (row_menu_offers (window, "Pin"));
  g_assert_false (row_menu_offers (window, "Unpin"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pin-conversation", NULL));
  info = sextant_conversation_store_get (conversations, oldest, &error);
  g_assert_true (info->pinned);
  g_assert_cmpstr (sidebar_title (window, 0), ==, "Review 1");
  g_assert_true (sidebar_pinned (window, 0));
  g_assert_false (sidebar_pinned (window, 1));
  g_assert_cmpstr (sidebar_title (window, 1), ==, "Review 3");
  wait_frames (GTK_WIDGET (window), 3);
  g_assert_nonnull (test_gui_find (GTK_WIDGET (window), is_shown_pin, NULL));
  test_gui_save_screenshot (GTK_WIDGET (window), "chat-pinned.png");
  g_assert_false (row_menu_offers (window, "Pin"));
  g_assert_true (row_menu_offers (window, "Unpin"));

  /* Retention that would take every conversation keeps the pinned one. */
  g_assert_cmpint (sextant_conversation_store_expire (conversations, g_get_real_time () + G_USEC_PER_SEC, &error), ==, 2);
  sextant_conversation_store_emit_changed (conversations, 0);
  g_assert_cmpuint (sidebar_n_items (window), ==, 1);
  g_assert_cmpstr (sidebar_title (window, 0), ==, "Review 1");

  /* Unpinned: no pin shown, and retention may take it now. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.unpin-conversation", NULL));
  g_clear_pointer (&info, sextant_conversation_info_free);
  info = sextant_conversation_store_get (conversations, oldest, &error);
  g_assert_false (info->pinned);
  g_assert_false (sidebar_pinned (window, 0));
  wait_frames (GTK_WIDGET (window), 3);
  g_assert_null (test_gui_find (GTK_WIDGET (window), is_shown_pin, NULL));
  g_assert_cmpint (sextant_conversation_store_expire (conversations, g_get_real_time () + G_USEC_PER_SEC, &error), ==, 1);
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* Against the fake Bedrock server --------------------------------------------------------------- */

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

typedef struct
{
  FakeBedrockServer        *server;
  SoupSession              *session;
  SextantBedrockClient     *client;
  SextantConversationStore *conversations;
  SextantChatWindow        *window;
} Online;

static void
online_setup (Online *o)
{
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  g_autoptr(SextantAwsConfig) config = NULL;

  o->server = fake_bedrock_server_new ("us-east-1", AKID, SECRET);
  o->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  config = sextant_aws_config_new_for_endpoint ("us-east-1", fake_bedrock_server_get_url (o->server));
  o->client = sextant_bedrock_client_new (config, provider, o->session);
  /* Backoff scaled down so the throttling retry takes milliseconds. The idle-read limit is
   * shorter than the default 60 s so that a stall fails fast, yet long enough for a sanitized
   * build on a busy machine to answer the first request (2 s was not). */
  g_object_set (o->client, "retry-base-delay-ms", 2, "idle-timeout-ms", 15000, NULL);
  if (o->conversations == NULL)
    o->conversations = new_conversations ();
  o->window = sextant_chat_window_new_with_store (NULL, workspace, o->conversations);
  sextant_chat_window_set_client (o->window, o->client, NULL);
  test_gui_show_and_wait (GTK_WINDOW (o->window), 1100, 800);
}

static void
online_teardown (Online *o)
{
  g_assert_cmpuint (fake_bedrock_server_get_n_bad_signatures (o->server), ==, 0);
  test_gui_destroy_and_check (GTK_WINDOW (o->window));
  g_object_unref (o->client);
  soup_session_abort (o->session);
  g_object_unref (o->session);
  fake_bedrock_server_free (o->server);
  g_object_unref (o->conversations);
}

static GPtrArray *
stored_messages (Online *o)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *messages = sextant_conversation_store_load_messages (o->conversations,
                                                                  sextant_chat_window_get_conversation_id (o->window),
                                                                  &error);

  g_assert_no_error (error);

  return messages;
}

static void
send_and_wait (SextantChatWindow *window,
               const char        *question)
{
  sextant_chat_window_set_draft (window, question);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  g_assert_true (sextant_chat_window_get_busy (window));
  WAIT_FOR (!sextant_chat_window_get_busy (window));
}

/* The issue's scenario: a question that makes the model call two tools. The fake server
 * scripts the model; the tools run for real on the demo data. */
static void
test_bedrock_two_tools (void)
{
  Online o = { 0, };
  const char *final = "## Answer\n\nMSFT's **RSI(14)** is 31.86, near oversold.\n\n| Symbol | Weight |\n|---|--:|\n"
                      "| MSFT | 43% |\n| IBM | 57% |";
  g_autoptr(JsonNode) direct_input = json_from_string ("{\"symbol\":\"MSFT\",\"indicators\":[\"rsi\"]}", NULL);
  g_autoptr(JsonNode) direct = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) invocations = NULL;
  g_autoptr(GError) error = NULL;
  SextantChatMessage *first, *second, *last;
  SextantInvocation *invocation;
  gint64 input = 0, output = 0;
  guint n_invocations_before;

  invocations = sextant_invocation_log_list (sextant_workspace_get_invocation_log (workspace), 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  n_invocations_before = invocations->len;
  g_clear_pointer (&invocations, g_ptr_array_unref);
  /* Conversations in the workspace's database, as in the app. */
  o.conversations = g_object_ref (sextant_workspace_get_conversations (workspace));
  online_setup (&o);
  {
    g_autoptr(SextantToolData) data = sextant_tool_data_new (sextant_workspace_get_demo_set (workspace), NULL);
    g_autoptr(SextantToolRegistry) registry = sextant_tool_registry_new_default (data);

    direct = sextant_tool_registry_invoke (registry, "compute_indicators", direct_input, NULL, NULL);
  }
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (gtk_widget_get_template_child (
                     GTK_WIDGET (o.window), SEXTANT_TYPE_CHAT_WINDOW, "window_title"))), ==,
                   "Amazon Bedrock · us.anthropic.claude-sonnet-4-20250514-v1:0");
  fake_bedrock_server_push_tool_use (o.server, "Let me compute that.", "tu-1", "compute_indicators",
                                     "{\"symbol\":\"MSFT\",\"indicators\":[\"rsi\"]}");
  fake_bedrock_server_push_tool_use (o.server, "", "tu-2", "optimize_allocation_weights",
                                     "{\"symbols\":[\"MSFT\",\"IBM\"],\"objective\":\"min_variance\"}");
  fake_bedrock_server_push_text (o.server, final);
  send_and_wait (o.window, "How does MSFT's RSI look, and what would a min-variance mix of MSFT and IBM be?");
  g_assert_null (sextant_chat_window_get_error (o.window));

  /* Shown: the question, the first round's text with its card, a round of a card only, the answer. */
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (o.window)), ==, 4);
  first = message_at (o.window, 1);
  second = message_at (o.window, 2);
  last = message_at (o.window, 3);
  g_assert_cmpstr (sextant_chat_message_get_text (first), ==, "Let me compute that.");
  g_assert_cmpuint (sextant_chat_message_get_n_tool_calls (first), ==, 1);
  g_assert_cmpstr (sextant_chat_message_get_tool_call (first, 0)->name, ==, "compute_indicators");
  g_assert_true (json_node_equal (sextant_chat_message_get_tool_call (first, 0)->result, direct));
  g_assert_cmpstr (sextant_chat_message_get_text (second), ==, "");
  g_assert_cmpstr (sextant_chat_message_get_tool_call (second, 0)->name, ==, "optimize_allocation_weights");
  g_assert_nonnull (sextant_chat_message_get_tool_call (second, 0)->result);
  g_assert_false (sextant_chat_message_get_tool_call (second, 0)->is_error);
  g_assert_cmpstr (sextant_chat_message_get_text (last), ==, final);
  g_assert_cmpint (sextant_chat_message_get_state (last), ==, SEXTANT_CHAT_MESSAGE_COMPLETE);
  g_assert_false (sextant_chat_message_get_offline (last));
  /* 36 input tokens over the three rounds, as tests/test-agent.c counts the fake's usage. */
  sextant_chat_message_get_tokens (last, &input, &output);
  g_assert_cmpint (input, ==, 36);
  g_assert_cmpint (output, >, 0);
  /* The answer says which region answered (with fallback regions it may not be the first). */
  g_assert_cmpstr (sextant_chat_message_get_region (last), ==, "us-east-1");

  /* Stored: question, answer with toolUse, results, toolUse, results, final answer; and the
   * window's items carry the stored ids. */
  stored = stored_messages (&o);
  g_assert_cmpuint (stored->len, ==, 6);
  g_assert_cmpstr (((SextantStoredMessage *) stored->pdata[5])->text, ==, final);
  g_assert_cmpint (sextant_chat_message_get_id (last), ==, ((SextantStoredMessage *) stored->pdata[5])->id);
  g_assert_cmpint (sextant_chat_message_get_id (first), ==, ((SextantStoredMessage *) stored->pdata[1])->id);
  g_assert_cmpint (sextant_chat_message_get_id (message_at (o.window, 0)), ==,
                   ((SextantStoredMessage *) stored->pdata[0])->id);

  /* The turn is one invocation in the workspace's log, the one the Monitoring page follows:
   * three Bedrock rounds, two tool calls, the same 36 input tokens. */
  invocations = sextant_invocation_log_list (sextant_workspace_get_invocation_log (workspace), 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invocations->len, ==, n_invocations_before + 1);
  invocation = invocations->pdata[invocations->len - 1];
  g_assert_cmpstr (invocation->outcome, ==, "success");
  g_assert_cmpuint (invocation->tool_calls, ==, 2);
  g_assert_cmpint (invocation->input_tokens, ==, 36);
  g_assert_cmpstr (invocation->region, ==, "us-east-1");
  wait_frames (GTK_WIDGET (o.window), 3);
  test_gui_save_screenshot (GTK_WIDGET (o.window), "chat-bedrock.png");
  online_teardown (&o);
}

static gboolean
is_mapped_with_class (GtkWidget     *widget,
                      gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class) && gtk_widget_get_mapped (widget);
}

/* Issue 17: the portfolio manager's model asks the rates desk, whose own model (the desk-models
 * setting) prices a bond; the chat shows the delegation as a card holding the question, the
 * desk's tool call as a card of its own, the finding and what the desk used. */
static void
test_bedrock_desk_delegation (void)
{
  Online o = { 0, };
  const char *desk_model = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  const char *finding = "| Bond | Clean price | Modified duration |\n|---|--:|--:|\n| 4.25% 2034 | 101.0055 | 6.674 |";
  GSettings *settings;
  GtkDropDown *roles;
  GtkWidget *card, *inner, *usage;
  SextantChatMessage *asked;
  const SextantChatToolCall *call;
  JsonObject *result;
  g_autoptr(GVariantBuilder) models = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));

  online_setup (&o);
  settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (o.window));
  g_variant_builder_add (models, "{ss}", "rates-desk", desk_model);
  g_settings_set_value (settings, "desk-models", g_variant_builder_end (models));
  roles = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (o.window), SEXTANT_TYPE_CHAT_WINDOW, "role_dropdown"));
  gtk_drop_down_set_selected (roles, 1); /* Portfolio Manager */

  fake_bedrock_server_push_tool_use (o.server, "I'll ask the rates desk.", "tu-pm-1", "ask_rates_desk",
                                     "{\"question\":\"Price the 4.25% Treasury of 2034-11-15 at 4.1%, settling 2026-12-07.\"}");
  fake_bedrock_server_push_tool_use (o.server, "", "tu-desk-1", "price_bond",
                                     "{\"coupon\":4.25,\"maturity\":\"2034-11-15\",\"settlement\":\"2026-12-07\","
                                     "\"yield\":4.1,\"frequency\":2,\"day_count\":\"act/act-icma\",\"face\":100}");
  fake_bedrock_server_push_text (o.server, finding);
  fake_bedrock_server_push_text (o.server, "The rates desk prices the bond at **101.0055**.");
  send_and_wait (o.window, "What is the 4.25% 2034 Treasury worth at 4.1%?");
  g_assert_null (sextant_chat_window_get_error (o.window));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (o.server), ==, 4);
  g_assert_cmpstr (fake_bedrock_server_get_request (o.server, 1)->model_id, ==, desk_model);
  g_assert_cmpstr (fake_bedrock_server_get_request (o.server, 3)->model_id, !=, desk_model);

  /* The manager's round holds one card, the delegation, with the desk's work in its result. */
  asked = message_at (o.window, 1);
  g_assert_cmpuint (sextant_chat_message_get_n_tool_calls (asked), ==, 1);
  call = sextant_chat_message_get_tool_call (asked, 0);
  g_assert_cmpstr (call->name, ==, "ask_rates_desk");
  g_assert_false (call->is_error);
  result = json_node_get_object (call->result);
  g_assert_cmpstr (json_object_get_string_member (result, "answer"), ==, finding);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "calls")), ==, 1);

  WAIT_FOR ((card = test_gui_find (GTK_WIDGET (o.window), is_mapped_with_class, "desk-card")) != NULL);
  g_assert_cmpstr (gtk_expander_get_label (GTK_EXPANDER (card)), ==, "Rates desk — answered");
  gtk_expander_set_expanded (GTK_EXPANDER (card), TRUE);
  WAIT_FOR ((inner = test_gui_find (card, is_mapped_with_class, "desk-tool-call")) != NULL);
  g_assert_cmpstr (gtk_expander_get_label (GTK_EXPANDER (inner)), ==, "price_bond — done");
  usage = test_gui_find (card, is_mapped_with_class, "desk-usage");
  g_assert_nonnull (usage);
  assert_contains (gtk_label_get_text (GTK_LABEL (usage)), "2 rounds · 1 tool call · 24 in · ");
  assert_contains (gtk_label_get_text (GTK_LABEL (usage)), "≈ $");
  wait_frames (GTK_WIDGET (o.window), 3);
  test_gui_save_screenshot (GTK_WIDGET (o.window), "chat-desk-delegation.png");
  /* And the desk's own call opened: its input and QuantLib's price. */
  gtk_expander_set_expanded (GTK_EXPANDER (inner), TRUE);
  wait_frames (GTK_WIDGET (o.window), 3);
  test_gui_save_screenshot (GTK_WIDGET (o.window), "chat-desk-delegation-call.png");
  g_settings_reset (settings, "desk-models");
  online_teardown (&o);
}

static void
label_changed_cb (GtkLabel   *label,
                  GParamSpec *pspec,
                  GString    *seen)
{
  g_string_append_printf (seen, "%s\n", gtk_label_get_text (label));
}

static void
test_bedrock_throttled (void)
{
  Online o = { 0, };
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GString) retry_texts = g_string_new (NULL);
  GtkLabel *retry_label;

  online_setup (&o);
  /* A wait long enough to be seen (full jitter: anywhere up to 400 ms). */
  g_object_set (o.client, "retry-base-delay-ms", 400, NULL);
  retry_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (o.window), SEXTANT_TYPE_CHAT_WINDOW, "retry_label"));
  g_signal_connect (retry_label, "notify::label", G_CALLBACK (label_changed_cb), retry_texts);
  fake_bedrock_server_push_http_error (o.server, 429, "ThrottlingException", "Rate exceeded");
  fake_bedrock_server_push_text (o.server, "Hello after a retry.");
  send_and_wait (o.window, "Hello?");
  /* The client retried: nothing failed, one answer. */
  g_assert_null (sextant_chat_window_get_error (o.window));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (o.server), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (o.window)), ==, 2);
  g_assert_cmpstr (sextant_chat_message_get_text (message_at (o.window, 1)), ==, "Hello after a retry.");
  stored = stored_messages (&o);
  g_assert_cmpuint (stored->len, ==, 2);
  g_assert_cmpint (((SextantStoredMessage *) stored->pdata[0])->state, ==, SEXTANT_MESSAGE_COMPLETE);
  /* While it waited, the window said why and which attempt came next; the answer hid it. */
  g_test_message ("retry label: %s", retry_texts->str);
  g_assert_nonnull (strstr (retry_texts->str, "attempt 2 of 3"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (retry_label)));
  online_teardown (&o);
}

/* The monthly spending limit of Preferences: reached, the question is not sent and the error
 * offers Ask Anyway, which sends it with a warning. $3.00 spent (Claude Sonnet 4 input at $3 per
 * million tokens) against a $1.00 limit. */
static void
test_bedrock_spending_limit (void)
{
  Online o = { 0, };
  g_autoptr(SextantInvocationLog) log = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *ask_anyway;
  GSettings *settings;
  SextantInvocation spent = {
    .started_at = g_get_real_time () - G_USEC_PER_SEC,
    .model = (char *) "us.anthropic.claude-sonnet-4-20250514-v1:0",
    .role = (char *) "portfolio-manager",
    .input_tokens = 1000000,
    .outcome = (char *) "success",
  };

  online_setup (&o);
  log = sextant_invocation_log_new (sextant_conversation_store_get_store (o.conversations));
  g_assert_true (sextant_invocation_log_record (log, &spent, &error));
  g_assert_no_error (error);
  settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (o.window));
  g_settings_set_double (settings, "spending-limit-monthly", 1.0);
  ask_anyway = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (o.window), SEXTANT_TYPE_CHAT_WINDOW, "ask_anyway_button");
  fake_bedrock_server_push_text (o.server, "Over the limit, on request.");

  send_and_wait (o.window, "What did the assistant cost?");
  g_assert_nonnull (sextant_chat_window_get_error (o.window));
  g_assert_nonnull (strstr (sextant_chat_window_get_error (o.window), "monthly limit of $1.00"));
  g_assert_true (gtk_widget_get_visible (ask_anyway));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (o.server), ==, 0);

  /* The answer reports prompt-cache use: the message carries it beside its tokens. */
  fake_bedrock_server_set_cache_usage (o.server, 2048, 512);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.ask-anyway", NULL));
  WAIT_FOR (!sextant_chat_window_get_busy (o.window));
  g_assert_null (sextant_chat_window_get_error (o.window));
  g_assert_false (gtk_widget_get_visible (ask_anyway));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (o.server), ==, 1);
  g_assert_nonnull (sextant_chat_window_get_spending_warning (o.window));
  g_assert_nonnull (strstr (sextant_chat_window_get_spending_warning (o.window), "$1.00"));
  /* One question and its answer, shown and stored once. */
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (o.window)), ==, 2);
  g_assert_cmpstr (sextant_chat_message_get_text (message_at (o.window, 1)), ==, "Over the limit, on request.");
  {
    gint64 cache_read = 0, cache_write = 0;

    sextant_chat_message_get_cache_tokens (message_at (o.window, 1), &cache_read, &cache_write);
    g_assert_cmpint (cache_read, ==, 2048);
    g_assert_cmpint (cache_write, ==, 512);
  }
  stored = stored_messages (&o);
  g_assert_cmpuint (stored->len, ==, 2);
  g_assert_cmpstr (((SextantStoredMessage *) stored->pdata[0])->text, ==, "What did the assistant cost?");
  g_settings_set_double (settings, "spending-limit-monthly", 0);
  online_teardown (&o);
}

/* A stream cut mid-answer: the partial text stays, marked interrupted; the draft typed while
 * it streamed is untouched; Retry asks again and the full answer follows. */
static void
test_bedrock_stream_cut (void)
{
  Online o = { 0, };
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree char *draft = NULL;
  SextantChatMessage *partial;

  online_setup (&o);
  fake_bedrock_server_push_fault (o.server, FAKE_REPLY_TRUNCATED, "The portfolio's 95% VaR is", NULL, NULL);
  sextant_chat_window_set_draft (o.window, "VaR of my portfolio?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.send", NULL));
  sextant_chat_window_set_draft (o.window, "And its expected shortfall?");
  WAIT_FOR (!sextant_chat_window_get_busy (o.window));

  g_assert_nonnull (sextant_chat_window_get_error (o.window));
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (o.window)), ==, 2);
  partial = message_at (o.window, 1);
  g_assert_cmpstr (sextant_chat_message_get_text (partial), ==, "The portfolio's 95% VaR is");
  g_assert_cmpint (sextant_chat_message_get_state (partial), ==, SEXTANT_CHAT_MESSAGE_INTERRUPTED);
  draft = sextant_chat_window_dup_draft (o.window);
  g_assert_cmpstr (draft, ==, "And its expected shortfall?");
  stored = stored_messages (&o);
  g_assert_cmpuint (stored->len, ==, 2);
  g_assert_cmpint (((SextantStoredMessage *) stored->pdata[1])->state, ==, SEXTANT_MESSAGE_INTERRUPTED);

  /* Retry's whole answer replaces the cut one, in the window and in the store. */
  fake_bedrock_server_push_text (o.server, "The portfolio's 95% VaR is 1.70%.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.retry", NULL));
  WAIT_FOR (!sextant_chat_window_get_busy (o.window));
  g_assert_null (sextant_chat_window_get_error (o.window));
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (o.window)), ==, 2);
  g_assert_cmpstr (sextant_chat_message_get_text (message_at (o.window, 1)), ==, "The portfolio's 95% VaR is 1.70%.");
  g_assert_cmpint (sextant_chat_message_get_state (message_at (o.window, 1)), ==, SEXTANT_CHAT_MESSAGE_COMPLETE);
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = stored_messages (&o);
  g_assert_cmpuint (stored->len, ==, 2);
  g_assert_cmpint (((SextantStoredMessage *) stored->pdata[1])->state, ==, SEXTANT_MESSAGE_COMPLETE);
  g_clear_pointer (&draft, g_free);
  draft = sextant_chat_window_dup_draft (o.window);
  g_assert_cmpstr (draft, ==, "And its expected shortfall?");
  online_teardown (&o);
}

/* Throttled in the middle of an answer: the client cannot retry a stream, so the banner does not
 * say retries ran out; a failed Retry keeps the cut answer, a whole one replaces it. */
static void
test_bedrock_throttled_mid_stream (void)
{
  Online o = { 0, };
  const char *error;

  online_setup (&o);
  fake_bedrock_server_push_fault (o.server, FAKE_REPLY_STREAM_EXCEPTION, "MSFT's RSI is",
                                  "throttlingException", "Too many requests, please wait before trying again.");
  send_and_wait (o.window, "RSI of MSFT?");
  error = sextant_chat_window_get_error (o.window);
  g_assert_nonnull (error);
  g_assert_null (strstr (error, "retries ran out"));
  g_assert_nonnull (strstr (error, "throttled the answer while it was being written"));
  g_assert_cmpint (sextant_chat_message_get_state (message_at (o.window, 1)), ==, SEXTANT_CHAT_MESSAGE_INTERRUPTED);

  /* A Retry that fails before any text keeps the cut answer. */
  fake_bedrock_server_push_http_error (o.server, 400, "ValidationException", "Malformed input request");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.retry", NULL));
  WAIT_FOR (!sextant_chat_window_get_busy (o.window));
  g_assert_nonnull (sextant_chat_window_get_error (o.window));
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (o.window)), ==, 2);
  g_assert_cmpstr (sextant_chat_message_get_text (message_at (o.window, 1)), ==, "MSFT's RSI is");

  /* A Retry throttled mid-answer again replaces the first partial answer with the second: one
   * answer, not two. */
  fake_bedrock_server_push_fault (o.server, FAKE_REPLY_STREAM_EXCEPTION, "The RSI(14) of MSFT",
                                  "throttlingException", "Too many requests, please wait before trying again.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.retry", NULL));
  WAIT_FOR (!sextant_chat_window_get_busy (o.window));
  g_assert_nonnull (sextant_chat_window_get_error (o.window));
  g_assert_null (strstr (sextant_chat_window_get_error (o.window), "retries ran out"));
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (o.window)), ==, 2);
  g_assert_cmpstr (sextant_chat_message_get_text (message_at (o.window, 1)), ==, "The RSI(14) of MSFT");
  g_assert_cmpint (sextant_chat_message_get_state (message_at (o.window, 1)), ==, SEXTANT_CHAT_MESSAGE_INTERRUPTED);
  {
    g_autoptr(GPtrArray) stored = stored_messages (&o);

    g_assert_cmpuint (stored->len, ==, 2);
  }

  fake_bedrock_server_push_text (o.server, "MSFT's RSI is 31.9.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.retry", NULL));
  WAIT_FOR (!sextant_chat_window_get_busy (o.window));
  g_assert_null (sextant_chat_window_get_error (o.window));
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (o.window)), ==, 2);
  g_assert_cmpstr (sextant_chat_message_get_text (message_at (o.window, 1)), ==, "MSFT's RSI is 31.9.");
  online_teardown (&o);
}

/* A 403 is reported as what it is, with the region and where to fix it, never as an
 * unreachable Bedrock followed by a silent switch to the offline analyst. */
static void
test_bedrock_access_denied (void)
{
  Online o = { 0, };
  const char *error;

  online_setup (&o);
  fake_bedrock_server_push_http_error (o.server, 403, "InvalidSignatureException",
                                       "The request signature we calculated does not match the "
                                       "signature you provided.");
  send_and_wait (o.window, "RSI of MSFT?");
  error = sextant_chat_window_get_error (o.window);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "Amazon Bedrock in us-east-1 refused the request"));
  g_assert_nonnull (strstr (error, "Preferences"));
  g_assert_null (strstr (error, "could not be reached"));
  /* Only the question: no offline answer was made up in place of Bedrock's. */
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (o.window)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (o.window)), ==, 1);

  fake_bedrock_server_push_http_error (o.server, 403, "AccessDeniedException",
                                       "You don't have access to the model with the specified model ID.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.retry", NULL));
  WAIT_FOR (!sextant_chat_window_get_busy (o.window));
  g_assert_nonnull (strstr (sextant_chat_window_get_error (o.window), "us-east-1 refused the request"));
  online_teardown (&o);
}

/* A long answer streamed into the window: shown as several rows, all of it by the end, its last
 * lines in view. */
static void
test_bedrock_long_answer (void)
{
  Online o = { 0, };
  g_autofree char *text = long_answer (12);
  SextantChatTranscript *transcript;

  online_setup (&o);
  transcript = sextant_chat_window_get_transcript (o.window);
  fake_bedrock_server_push_text (o.server, text);
  send_and_wait (o.window, "Compare MSFT and IBM, section by section.");
  WAIT_FOR (!sextant_chat_transcript_get_pending (transcript));
  wait_frames (GTK_WIDGET (o.window), 3);
  g_assert_cmpstr (sextant_chat_message_get_text (message_at (o.window, 1)), ==, text);
  /* The question, then the answer's ~3 KB in pieces of at least 512 bytes. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), >=, 1 + 3);
  check_parts_of_last (transcript, strlen (text));
  g_assert_true (shows_text (GTK_WIDGET (o.window), "12. MSFT against IBM"));
  /* The view followed the answer to its end. */
  {
    GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (GTK_WIDGET (o.window),
                                                                                      SEXTANT_TYPE_CHAT_WINDOW,
                                                                                      "message_scroller"));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);

    g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) -
                       gtk_adjustment_get_value (adjustment), <, 1);
    g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
  }
  test_gui_save_screenshot (GTK_WIDGET (o.window), "chat-long-answer.png");
  online_teardown (&o);
}

/* A long conversation opens on its newest page; scrolling up (a wheel turn: the scroll
 * controller, then the adjustment) brings the older pages in, until all of it is there. */
static void
test_long_conversation_pages (void)
{
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  g_autoptr(GListModel) controllers = NULL;
  g_autoptr(SextantChatMessage) last = NULL;
  SextantChatWindow *window;
  GtkScrolledWindow *scroller;
  GtkEventController *scroll = NULL;
  GtkAdjustment *adjustment;
  GListModel *messages;
  gint64 id = sextant_conversation_store_create (conversations, "Long", SEXTANT_ROLE_ANALYST, NULL, NULL);
  guint n_shown;

  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(SextantConverseMessage) m = sextant_converse_message_new (i % 2 == 0 ? "user" : "assistant");
      g_autofree char *text = g_strdup_printf ("Message %u", i);

      sextant_converse_message_add_text (m, text);
      g_assert_cmpint (sextant_conversation_store_append (conversations, id, m, SEXTANT_MESSAGE_COMPLETE, 0, 0, NULL),
                       >, 0);
    }
  window = new_offline_window (conversations);
  open_first_conversation (window);
  messages = sextant_chat_window_get_messages (window);
  n_shown = g_list_model_get_n_items (messages);
  g_assert_cmpuint (n_shown, <, 300);
  last = g_list_model_get_item (messages, n_shown - 1);
  g_assert_cmpstr (sextant_chat_message_get_text (last), ==, "Message 299");
  g_clear_object (&last);

  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW,
                                                                 "message_scroller"));
  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (scroller));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && scroll == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
        scroll = GTK_EVENT_CONTROLLER (controller);
    }
  g_assert_nonnull (scroll);
  for (guint round = 0; round < 20 && g_list_model_get_n_items (messages) < 300; round++)
    {
      gboolean handled = FALSE;

      g_signal_emit_by_name (scroll, "scroll", 0.0, -1.0, &handled);
      gtk_adjustment_set_value (adjustment, 0);
      wait_frames (GTK_WIDGET (window), 2);
    }
  /* Every message once, in order, the oldest first. */
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 300);
  for (guint i = 0; i < 300; i += 37)
    {
      g_autoptr(SextantChatMessage) m = g_list_model_get_item (messages, i);
      g_autofree char *text = g_strdup_printf ("Message %u", i);

      g_assert_cmpstr (sextant_chat_message_get_text (m), ==, text);
    }
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* The model id typed in the picker is the one asked and stored; Stop ends an answer that has not
 * come yet, keeps the question and the draft; each turn is in the invocation log of the same
 * database, as the risk dashboard's monitoring page reads it. */
static void
test_bedrock_model_stop_log (void)
{
  Online o = { 0, };
  g_autoptr(SextantInvocationLog) log = NULL;
  g_autoptr(GPtrArray) invocations = NULL;
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *draft = NULL;
  GtkWidget *entry, *picker;

  online_setup (&o);
  /* Typed in the picker's search field, as a user would, and taken with Enter. */
  picker = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (o.window), SEXTANT_TYPE_CHAT_WINDOW, "model_picker");
  entry = (GtkWidget *) gtk_widget_get_template_child (picker, SEXTANT_TYPE_MODEL_PICKER, "search_entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), "amazon.nova-lite-v1:0");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (sextant_model_picker_get_model_id (SEXTANT_MODEL_PICKER (picker)), ==, "amazon.nova-lite-v1:0");

  fake_bedrock_server_push_slow_text (o.server, "Too late.", 20000);
  sextant_chat_window_set_draft (o.window, "What moved MSFT today?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.send", NULL));
  WAIT_FOR (fake_bedrock_server_get_n_requests (o.server) == 1);
  sextant_chat_window_set_draft (o.window, "typed while waiting");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.stop", NULL));
  WAIT_FOR (!sextant_chat_window_get_busy (o.window));
  assert_contains (sextant_chat_window_get_error (o.window), "Stopped");
  g_assert_cmpstr (fake_bedrock_server_get_request (o.server, 0)->model_id, ==, "amazon.nova-lite-v1:0");
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (o.window)), ==, 1);
  g_assert_cmpstr (sextant_chat_message_get_text (message_at (o.window, 0)), ==, "What moved MSFT today?");
  draft = sextant_chat_window_dup_draft (o.window);
  g_assert_cmpstr (draft, ==, "typed while waiting");
  info = sextant_conversation_store_get (o.conversations, sextant_chat_window_get_conversation_id (o.window), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->model, ==, "amazon.nova-lite-v1:0");

  fake_bedrock_server_push_text (o.server, "Cloud revenue.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.retry", NULL));
  WAIT_FOR (!sextant_chat_window_get_busy (o.window));
  g_assert_null (sextant_chat_window_get_error (o.window));

  log = sextant_invocation_log_new (sextant_conversation_store_get_store (o.conversations));
  invocations = sextant_invocation_log_list (log, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invocations->len, ==, 2);
  for (guint i = 0; i < invocations->len; i++)
    {
      SextantInvocation *inv = invocations->pdata[i];

      g_assert_cmpint (inv->conversation_id, ==, sextant_chat_window_get_conversation_id (o.window));
      g_assert_cmpstr (inv->model, ==, "amazon.nova-lite-v1:0");
      g_assert_cmpstr (inv->role, ==, SEXTANT_ROLE_ANALYST);
      /* One stopped, one answered (the log's order is not assumed). */
      g_assert_true (g_str_equal (inv->outcome, "cancelled") || g_str_equal (inv->outcome, "success"));
    }
  g_assert_false (g_str_equal (((SextantInvocation *) invocations->pdata[0])->outcome,
                               ((SextantInvocation *) invocations->pdata[1])->outcome));
  online_teardown (&o);
}

static GtkWidget *
picker_row (GtkWidget  *picker,
            const char *model_id)
{
  GtkWidget *list = (GtkWidget *) gtk_widget_get_template_child (picker, SEXTANT_TYPE_MODEL_PICKER, "list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "model-id"), model_id) == 0)
      return row;

  return NULL;
}

/* The model picker is one control: models by name, each with its provider, whether the region
 * offers it and its price per million tokens (the window's price table); opening it reads the
 * region's catalogue from Bedrock (the fake server's: Nova Lite, Claude Sonnet 4.6 and its `us.`
 * profile); an id it does not list is typed in its search field. */
static void
test_model_picker (void)
{
  Online o = { 0, };
  GtkWidget *picker, *button, *entry, *row, *other;
  GtkLabel *status, *label;
  const char *arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/desk1";
  g_autofree char *description = NULL;

  online_setup (&o);
  picker = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (o.window), SEXTANT_TYPE_CHAT_WINDOW, "model_picker");
  button = (GtkWidget *) gtk_widget_get_template_child (picker, SEXTANT_TYPE_MODEL_PICKER, "button");
  entry = (GtkWidget *) gtk_widget_get_template_child (picker, SEXTANT_TYPE_MODEL_PICKER, "search_entry");
  status = (GtkLabel *) gtk_widget_get_template_child (picker, SEXTANT_TYPE_MODEL_PICKER, "status_label");
  label = (GtkLabel *) gtk_widget_get_template_child (picker, SEXTANT_TYPE_MODEL_PICKER, "button_label");
  other = (GtkWidget *) gtk_widget_get_template_child (picker, SEXTANT_TYPE_MODEL_PICKER, "other_row");

  /* Before it opens: the built-in list, availability not yet checked, names not ids. */
  row = picker_row (picker, "us.anthropic.claude-sonnet-4-6");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Claude Sonnet 4.6 (cross-region)");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Anthropic · Availability in us-east-1 not checked · $3.00 in, $15.00 out per million tokens");
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (o.server), ==, 0);

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  WAIT_FOR (g_str_has_prefix (gtk_label_get_text (status), "Text models that Amazon Bedrock lists in us-east-1"));
  g_assert_cmpstr (fake_bedrock_server_get_request (o.server, 0)->path, ==, "/foundation-models");
  row = picker_row (picker, "amazon.nova-lite-v1:0");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Nova Lite");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Amazon · Available in us-east-1 · $0.06 in, $0.24 out per million tokens");
  row = picker_row (picker, "us.anthropic.claude-sonnet-4-6");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "US Claude Sonnet 4.6");
  assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Available in us-east-1");
  /* Embedding models cannot answer, and a model callable only through a profile is offered as
   * its profile: neither is listed. */
  g_assert_null (picker_row (picker, "amazon.titan-embed-text-v2:0"));
  g_assert_null (picker_row (picker, "anthropic.claude-sonnet-4-6"));

  /* Typing filters by name; Enter takes the one model left, and the button shows its name. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "nova");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (sextant_model_picker_get_model_id (SEXTANT_MODEL_PICKER (picker)), ==, "amazon.nova-lite-v1:0");
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Nova Lite");
  g_assert_cmpstr (sextant_chat_window_get_model (o.window), ==, "amazon.nova-lite-v1:0");

  /* An id it does not list (an account's own profile) through the “Use …” row of the same list. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  gtk_editable_set_text (GTK_EDITABLE (entry), arn);
  g_signal_emit_by_name (entry, "search-changed");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (other)), ==,
                   "Use “arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/desk1”");
  g_signal_emit_by_name (gtk_widget_get_template_child (picker, SEXTANT_TYPE_MODEL_PICKER, "list"), "row-activated", other);
  g_assert_cmpstr (sextant_model_picker_get_model_id (SEXTANT_MODEL_PICKER (picker)), ==, arn);
  g_assert_cmpstr (sextant_chat_window_get_model (o.window), ==, arn);
  row = picker_row (picker, arn);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Custom id · Availability in us-east-1 not checked · No price set");
  /* A profile of another geography is said not to be offered. */
  description = sextant_model_picker_describe (SEXTANT_MODEL_PICKER (picker), "eu.anthropic.claude-sonnet-4-6");
  assert_contains (description, "Not available in us-east-1");
  online_teardown (&o);

  /* The widget alone is freed with nothing left behind. */
  picker = sextant_model_picker_new ();
  g_object_ref_sink (picker);
  g_assert_finalize_object (picker);
}

static SextantMonitoringWindow *
find_monitoring_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  SextantMonitoringWindow *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (SEXTANT_IS_MONITORING_WINDOW (item))
        {
          g_assert_null (found);
          found = SEXTANT_MONITORING_WINDOW (item);
        }
    }

  return found;
}

static gpointer
mchild (SextantMonitoringWindow *window,
        const char              *name)
{
  gpointer widget = gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_MONITORING_WINDOW, name);

  g_assert_nonnull (widget);

  return widget;
}

#define MINUTE_US ((gint64) 60 * G_USEC_PER_SEC)

/* The rows the monitoring test records, relative to "now": two answers, two throttled failures
 * (no token streamed), one offline answer, and one two hours old that only the 24-hour period
 * includes. */
static const struct
{
  gint64      minutes_ago;
  const char *model;
  gint64      ttft_ms;
  gint64      latency_ms;
  gint64      input_tokens;
  gint64      output_tokens;
  guint       tool_calls;
  guint       retries;
  const char *outcome;
  const char *error_type;
} rows[] = {
  { 9, "us.anthropic.claude-sonnet-4-20250514-v1:0", 300, 1200, 1500, 400, 2, 0, "success", NULL },
  { 7, "us.anthropic.claude-sonnet-4-20250514-v1:0", 500, 2600, 2100, 650, 1, 1, "success", NULL },
  { 5, "us.anthropic.claude-sonnet-4-20250514-v1:0", -1, 800, 0, 0, 0, 3, "failed", "throttled" },
  { 4, "us.anthropic.claude-sonnet-4-20250514-v1:0", -1, 900, 0, 0, 0, 3, "failed", "throttled" },
  { 2, NULL, -1, 50, 0, 0, 1, 0, "offline", NULL },
  { 120, "amazon.nova-lite-v1:0", 100, 400, 800, 100, 0, 0, "success", NULL },
};

static void
record_row (SextantInvocationLog *log,
            guint                 i,
            gint64                now)
{
  g_autoptr(GError) error = NULL;
  SextantInvocation inv = {
    .started_at = now - rows[i].minutes_ago * MINUTE_US,
    .model = (char *) rows[i].model,
    .role = (char *) "risk-officer",
    .ttft_ms = rows[i].ttft_ms,
    .latency_ms = rows[i].latency_ms,
    .input_tokens = rows[i].input_tokens,
    .output_tokens = rows[i].output_tokens,
    .tool_calls = rows[i].tool_calls,
    .retries = rows[i].retries,
    .outcome = (char *) rows[i].outcome,
    .error_type = (char *) rows[i].error_type,
    /* The second answer came from the fallback region. */
    .region = rows[i].model == NULL ? NULL : (char *) (i == 1 ? "us-west-2" : "us-east-1"),
  };

  g_assert_true (sextant_invocation_log_record (log, &inv, &error));
  g_assert_no_error (error);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Hyndman and Fan's type 7, written out here rather than taken from the core. */
static double
quantile7 (GArray *values,
           double  p)
{
  double h, *v;
  gsize lo;

  g_array_sort (values, compare_doubles);
  v = (double *) values->data;
  h = (values->len - 1) * p;
  lo = (gsize) floor (h);

  return lo + 1 < values->len ? v[lo] + (h - lo) * (v[lo + 1] - v[lo]) : v[lo];
}

static void
assert_text (GtkLabel   *label,
             const char *key,
             char       *expected)
{
  g_assert_nonnull (label);
  if (g_strcmp0 (gtk_label_get_text (label), expected) != 0)
    g_error ("Tile %s shows “%s”, the inserted rows give “%s”", key, gtk_label_get_text (label), expected);
  g_free (expected);
}

/* The tiles as the inserted rows give them, summed and ranked here from the rows[] table; the
 * formats are the page's: two decimals for the rate, whole milliseconds, integers, one decimal
 * for the error rate. Errors are the outcomes other than success and offline. */
static void
check_tiles (SextantMonitoringWindow *window,
             gint64             max_minutes_ago,
             double             period_minutes)
{
  g_autoptr(GArray) latency = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ttft = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 in = 0, out = 0, tools = 0, n = 0, errors = 0;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      double l = rows[i].latency_ms, t = rows[i].ttft_ms;

      if (rows[i].minutes_ago > max_minutes_ago)
        continue;
      n++;
      g_array_append_val (latency, l);
      if (rows[i].ttft_ms >= 0)
        g_array_append_val (ttft, t);
      in += rows[i].input_tokens;
      out += rows[i].output_tokens;
      tools += rows[i].tool_calls;
      errors += !g_str_equal (rows[i].outcome, "success") && !g_str_equal (rows[i].outcome, "offline");
    }

#define TILE(key) sextant_monitoring_window_get_kpi_label (window, key), key
  assert_text (TILE ("requests-per-minute"), g_strdup_printf ("%.2f", n / period_minutes));
  assert_text (TILE ("latency-p50"), g_strdup_printf ("%.0f ms", quantile7 (latency, 0.50)));
  assert_text (TILE ("latency-p95"), g_strdup_printf ("%.0f ms", quantile7 (latency, 0.95)));
  assert_text (TILE ("ttft-p50"), g_strdup_printf ("%.0f ms", quantile7 (ttft, 0.50)));
  assert_text (TILE ("input-tokens"), g_strdup_printf ("%" G_GINT64_FORMAT, in));
  assert_text (TILE ("output-tokens"), g_strdup_printf ("%" G_GINT64_FORMAT, out));
  assert_text (TILE ("tool-calls"), g_strdup_printf ("%" G_GINT64_FORMAT, tools));
  assert_text (TILE ("error-rate"), g_strdup_printf ("%.1f %%", 100.0 * errors / n));
#undef TILE
}

static GListModel *
invocation_rows (SextantMonitoringWindow *window)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (mchild (window, "invocations_view"));

  return gtk_no_selection_get_model (GTK_NO_SELECTION (selection));
}

static char *
cell (GListModel              *model,
      guint                    position,
      SextantInvocationColumn  column)
{
  g_autoptr(SextantInvocationItem) item = g_list_model_get_item (model, position);

  return sextant_invocation_item_format (item, column);
}

static void
assert_cell (GListModel              *model,
             guint                    position,
             SextantInvocationColumn  column,
             const char              *expected)
{
  g_autofree char *text = cell (model, position, column);

  g_assert_cmpstr (text, ==, expected);
}

/* The assistant's telemetry is a window of its own on the chat side, no longer a page of the
 * risk dashboard: the invocations recorded in the workspace's log, as tiles, charts, errors by
 * type and the table, following the log as rows are recorded. */
static void
test_monitoring (void)
{
  SextantMonitoringWindow *window = sextant_monitoring_window_new (NULL, workspace);
  SextantInvocationLog *log;
  GListModel *table;
  GtkListBoxRow *row;
  gint64 now = g_get_real_time ();

  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  /* The window and the chat share the workspace's one log over its one database. */
  log = sextant_workspace_get_invocation_log (workspace);
  g_assert_nonnull (log);
  g_assert_true (log == sextant_workspace_get_invocation_log (workspace));
  table = invocation_rows (window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (mchild (window, "monitoring_stack")), ==, "empty");
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 0);

  /* Recorded through the core while the page is on screen: the log's signal brings them in. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    record_row (log, i, now);
  TEST_GUI_WAIT_FOR (g_list_model_get_n_items (table) == 5);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (mchild (window, "monitoring_stack")), ==, "metrics");
  check_tiles (window, 60, 60);

  /* Newest first: the offline answer, then the two throttled failures. */
  assert_cell (table, 0, SEXTANT_INVOCATION_COLUMN_MODEL, "Offline analyst");
  assert_cell (table, 0, SEXTANT_INVOCATION_COLUMN_OUTCOME, "offline");
  assert_cell (table, 1, SEXTANT_INVOCATION_COLUMN_ERROR_TYPE, "throttled");
  assert_cell (table, 1, SEXTANT_INVOCATION_COLUMN_TTFT, "—");
  assert_cell (table, 1, SEXTANT_INVOCATION_COLUMN_LATENCY, "900 ms");
  assert_cell (table, 1, SEXTANT_INVOCATION_COLUMN_RETRIES, "3");
  assert_cell (table, 4, SEXTANT_INVOCATION_COLUMN_TTFT, "300 ms");
  assert_cell (table, 4, SEXTANT_INVOCATION_COLUMN_INPUT_TOKENS, "1500");
  assert_cell (table, 4, SEXTANT_INVOCATION_COLUMN_ROLE, "risk-officer");
  /* Which region answered each request; none for the offline analyst. */
  assert_cell (table, 3, SEXTANT_INVOCATION_COLUMN_REGION, "us-west-2");
  assert_cell (table, 4, SEXTANT_INVOCATION_COLUMN_REGION, "us-east-1");
  assert_cell (table, 0, SEXTANT_INVOCATION_COLUMN_REGION, "—");

  /* Spending this month: its total first, then a row per day, model and role. */
  {
    g_autoptr(GDateTime) utc_now = g_date_time_new_now_utc ();
    g_autofree char *month = g_date_time_format (utc_now, "%Y-%m");
    const char *title;

    row = gtk_list_box_get_row_at_index (mchild (window, "spending_list"), 0);
    title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
    g_assert_true (g_str_has_prefix (title, month));
    g_assert_nonnull (strstr (title, "no monthly limit"));
    g_assert_nonnull (gtk_list_box_get_row_at_index (mchild (window, "spending_list"), 1));
  }

  /* Errors by type: throttled twice out of five invocations. */
  row = gtk_list_box_get_row_at_index (mchild (window, "errors_list"), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "throttled");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "2 invocations, 40.0 % of all");
  g_assert_null (gtk_list_box_get_row_at_index (mchild (window, "errors_list"), 1));
  g_assert_true (sextant_chart_view_has_chart (mchild (window, "requests_view")));
  g_assert_true (sextant_chart_view_has_chart (mchild (window, "latency_view")));

  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  test_gui_save_screenshot (GTK_WIDGET (window), "assistant-monitoring.png");

  /* The 24-hour period takes in the two-hour-old row too. */
  gtk_drop_down_set_selected (mchild (window, "period_dropdown"), 1);
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 6);
  check_tiles (window, 24 * 60, 24 * 60);

  /* A hidden window does not reload; it catches up when shown again. */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  record_row (log, 0, now);
  test_gui_iterate (50);
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 6);
  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  TEST_GUI_WAIT_FOR (g_list_model_get_n_items (table) == 7);

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* A request to the fake Bedrock is a line of the monitoring window's log, with its model,
 * region, tokens, latency and outcome; a throttle answered by a retry is a retry line with its
 * reason. The window is the chat window's (its menu, Ctrl+Shift+M): one per workspace. */
static void
test_monitoring_log (void)
{
  Online o = { 0, };
  SextantMonitoringWindow *monitoring, *again;
  g_autofree char *text = NULL;
  g_autofree char *all = NULL;
  g_autofree char *retry = NULL;
  g_autofree char *request = NULL;

  online_setup (&o);
  fake_bedrock_server_push_http_error (o.server, 429, "ThrottlingException", "Rate exceeded");
  fake_bedrock_server_push_text (o.server, "Hello after a retry.");
  send_and_wait (o.window, "Hello?");
  g_assert_null (sextant_chat_window_get_error (o.window));
  g_message ("A line of no interest to monitoring");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.show-monitoring", NULL));
  monitoring = find_monitoring_window ();
  g_assert_nonnull (monitoring);
  test_gui_show_and_wait (GTK_WINDOW (monitoring), 1200, 1000);
  text = sextant_monitoring_window_dup_log_text (monitoring);
  g_test_message ("monitoring log: %s", text);
  retry = g_strdup_printf (" NOTE bedrock: Retry of POST %s in us-east-1: attempt 1 of 3 failed (",
                           sextant_chat_window_get_model (o.window));
  request = g_strdup_printf (" NOTE bedrock: Request to %s in us-east-1: success, ", sextant_chat_window_get_model (o.window));
  assert_contains (text, retry);
  assert_contains (text, "Rate exceeded");
  assert_contains (text, request);
  assert_contains (text, " output tokens, ");
  assert_contains (text, " ms, 1 retry, 0 tool calls");
  /* Not every line: other messages stay out unless asked for. */
  g_assert_null (strstr (text, "of no interest to monitoring"));
  gtk_check_button_set_active (mchild (monitoring, "all_lines_check"), TRUE);
  all = sextant_monitoring_window_dup_log_text (monitoring);
  assert_contains (all, "A line of no interest to monitoring");
  assert_contains (all, " NOTE bedrock: Request to ");

  /* Asked again, the same window comes forward. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.show-monitoring", NULL));
  again = find_monitoring_window ();
  g_assert_true (again == monitoring);
  test_gui_destroy_and_check (GTK_WINDOW (monitoring));
  online_teardown (&o);
}

/* The system prompt of request @index, as the fake server received it. */
static char *
request_system_prompt (Online *o,
                       guint   index)
{
  const FakeRequest *request = fake_bedrock_server_get_request (o->server, index);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *json = NULL;
  JsonArray *system;

  g_assert_nonnull (request);
  json = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
  body = json_from_string (json, NULL);
  g_assert_nonnull (body);
  system = json_object_get_array_member (json_node_get_object (body), "system");
  g_assert_nonnull (system);
  /* The prompt, and a prompt-cache point after it when the model caches (Claude Sonnet 4). */
  g_assert_cmpuint (json_array_get_length (system), >=, 1);
  g_assert_cmpuint (json_array_get_length (system), <=, 2);
  if (json_array_get_length (system) == 2)
    g_assert_true (json_object_has_member (json_array_get_object_element (system, 1), "cachePoint"));

  return g_strdup (json_object_get_string_member (json_array_get_object_element (system, 0), "text"));
}

static gboolean
is_sensitive (GtkWidget  *page,
              const char *label)
{
  GtkWidget *button = find_button_labelled (page, label);

  g_assert_nonnull (button);

  return gtk_widget_get_sensitive (button);
}

static void
click (GtkWidget  *page,
       const char *label)
{
  g_assert_true (is_sensitive (page, label));
  g_signal_emit_by_name (find_button_labelled (page, label), "clicked");
}

static char *
dup_prompt (Online     *o,
            const char *role)
{
  g_autoptr(GError) error = NULL;
  char *prompt = sextant_conversation_store_dup_role_prompt (o->conversations, role, &error);

  g_assert_no_error (error);

  return prompt;
}

/* Role Prompts from the conversation menu: it opens on the role in use; an edited prompt is
 * stored, and the next question sends it to Bedrock as the system prompt; Reset to Default
 * stores the built-in prompt again, and the question after that sends it. */
static void
test_role_prompts (void)
{
  Online o = { 0, };
  const char *edited = "You are the desk's portfolio manager. Answer in one short paragraph.";
  const char *builtin = sextant_agent_role_get_default_prompt (SEXTANT_ROLE_PORTFOLIO_MANAGER);
  GtkDropDown *roles;
  GtkWidget *editor, *page, *view;
  GtkTextBuffer *buffer;
  g_autofree char *shown = NULL, *stored = NULL, *sent = NULL, *analyst = NULL;
  GtkTextIter start, end;

  online_setup (&o);
  roles = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (o.window), SEXTANT_TYPE_CHAT_WINDOW, "role_dropdown"));
  gtk_drop_down_set_selected (roles, 1); /* Portfolio Manager */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (o.window), "win.edit-role-prompts", NULL));
  editor = find_toplevel (SEXTANT_TYPE_ROLE_PROMPTS_WINDOW);
  g_assert_nonnull (editor);
  g_object_ref (editor);
  WAIT_FOR (gtk_widget_get_mapped (editor));
  page = sextant_role_prompts_window_get_page (SEXTANT_ROLE_PROMPTS_WINDOW (editor), SEXTANT_ROLE_PORTFOLIO_MANAGER);
  g_assert_true (gtk_widget_get_mapped (page));
  view = find_widget (page, GTK_TYPE_TEXT_VIEW);
  g_assert_nonnull (view);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (shown, ==, builtin);
  /* Nothing to save or reset yet; a blank prompt cannot be saved. */
  g_assert_false (is_sensitive (page, "_Save"));
  g_assert_false (is_sensitive (page, "_Reset to Default"));
  gtk_text_buffer_set_text (buffer, "  \n ", -1);
  g_assert_false (is_sensitive (page, "_Save"));

  gtk_text_buffer_set_text (buffer, edited, -1);
  click (page, "_Save");
  stored = dup_prompt (&o, SEXTANT_ROLE_PORTFOLIO_MANAGER);
  g_assert_cmpstr (stored, ==, edited);
  g_assert_false (is_sensitive (page, "_Save"));
  g_assert_true (is_sensitive (page, "_Reset to Default"));
  wait_frames (editor, 2);
  test_gui_save_screenshot (editor, "chat-role-prompts.png");
  /* The other roles keep theirs. */
  analyst = dup_prompt (&o, SEXTANT_ROLE_ANALYST);
  g_assert_cmpstr (analyst, ==, sextant_agent_role_get_default_prompt (SEXTANT_ROLE_ANALYST));

  fake_bedrock_server_push_text (o.server, "Noted.");
  send_and_wait (o.window, "What should we do about NVDA?");
  g_assert_null (sextant_chat_window_get_error (o.window));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (o.server), ==, 1);
  sent = request_system_prompt (&o, 0);
  g_assert_cmpstr (sent, ==, edited);

  click (page, "_Reset to Default");
  g_clear_pointer (&stored, g_free);
  stored = dup_prompt (&o, SEXTANT_ROLE_PORTFOLIO_MANAGER);
  g_assert_cmpstr (stored, ==, builtin);
  g_clear_pointer (&shown, g_free);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (shown, ==, builtin);
  g_assert_false (is_sensitive (page, "_Reset to Default"));

  fake_bedrock_server_push_text (o.server, "Noted again.");
  send_and_wait (o.window, "And about MSFT?");
  g_clear_pointer (&sent, g_free);
  sent = request_system_prompt (&o, 1);
  g_assert_cmpstr (sent, ==, builtin);

  gtk_window_destroy (GTK_WINDOW (editor));
  g_assert_finalize_object (editor);
  online_teardown (&o);
}

static const char *
window_region (SextantChatWindow *window)
{
  SextantBedrockClient *client = sextant_chat_session_get_client (sextant_chat_window_get_session (window));

  return client != NULL ? sextant_bedrock_client_get_region (client) : NULL;
}

/* What test_region_from_preferences() and test_keys_from_preferences() start from: no AWS
 * credentials in the keyring, the environment or the files, the fake Bedrock as the endpoint. */
static void
forget_aws_credentials (const char *missing_file)
{
  static const SextantSecretKey aws_keys[] = {
    SEXTANT_SECRET_AWS_ACCESS_KEY_ID, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY,
    SEXTANT_SECRET_AWS_SESSION_TOKEN, SEXTANT_SECRET_BEDROCK_API_KEY,
  };
  static const char *unset[] = {
    "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE",
    "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BEDROCK", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
  };

  for (guint i = 0; i < G_N_ELEMENTS (aws_keys); i++)
    sextant_secret_store_clear_sync (sextant_workspace_get_secret_store (workspace), aws_keys[i], NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (unset); i++)
    g_unsetenv (unset[i]);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", missing_file, TRUE);
  g_setenv ("AWS_CONFIG_FILE", missing_file, TRUE);
}

static SextantPreferencesWindow *
open_preferences (GSettings *settings)
{
  SextantPreferencesWindow *preferences = sextant_preferences_window_new (settings,
                                                                          sextant_workspace_get_secret_store (workspace));

  test_gui_show_and_wait (GTK_WINDOW (preferences), 1000, 760);
  WAIT_FOR (!sextant_preferences_window_get_busy (preferences));

  return preferences;
}

/* The region chosen in Preferences (its list of Bedrock regions) is the region the next request
 * is signed for, in a chat window that is already open: the window connects again when the
 * setting changes. The fake Bedrock checks the signature for eu-west-3 only. Credentials come
 * from the environment (the keyring's AWS entries are cleared first, as another test may have
 * left some there). */
static void
test_region_from_preferences (void)
{
  FakeBedrockServer *server = fake_bedrock_server_new ("eu-west-3", AKID, SECRET);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  SextantPreferencesWindow *preferences;
  SextantChatWindow *window;
  const FakeRequest *request;

  forget_aws_credentials (missing);
  g_setenv ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake_bedrock_server_get_url (server), TRUE);
  g_setenv ("AWS_ACCESS_KEY_ID", AKID, TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", SECRET, TRUE);
  g_settings_set_string (settings, "aws-region", "us-east-1");

  window = sextant_chat_window_new_with_store (NULL, workspace, conversations);
  test_gui_show_and_wait (GTK_WINDOW (window), 900, 700);
  WAIT_FOR (g_strcmp0 (window_region (window), "us-east-1") == 0);

  /* Chosen from Preferences' list of regions while the chat window is open. */
  preferences = open_preferences (settings);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "prefs.region", "s", "eu-west-3"));
  WAIT_FOR (g_strcmp0 (window_region (window), "eu-west-3") == 0);
  test_gui_destroy_and_check (GTK_WINDOW (preferences));
  fake_bedrock_server_push_text (server, "Bonjour.");
  send_and_wait (window, "Which region answers?");
  g_assert_null (sextant_chat_window_get_error (window));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (server), >=, 1);
  request = fake_bedrock_server_get_request (server, fake_bedrock_server_get_n_requests (server) - 1);
  g_assert_true (request->signature_ok);
  g_assert_nonnull (strstr (request->authorization, "/eu-west-3/bedrock/aws4_request"));
  g_assert_cmpuint (fake_bedrock_server_get_n_bad_signatures (server), ==, 0);

  test_gui_destroy_and_check (GTK_WINDOW (window));
  g_settings_reset (settings, "aws-region");
  g_unsetenv ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  fake_bedrock_server_free (server);
}

/* Keys saved in Preferences while a chat window is open are used by it at once: the window
 * starts with the offline analyst (no credentials anywhere), the access key and secret are
 * typed into Preferences and stored in the keyring, and the window's next question goes to the
 * (fake) Bedrock signed with them. */
static void
test_keys_from_preferences (void)
{
  FakeBedrockServer *server = fake_bedrock_server_new ("eu-west-3", AKID, SECRET);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  SextantSecretStore *secrets = sextant_workspace_get_secret_store (workspace);
  SextantPreferencesWindow *preferences;
  SextantChatWindow *window;
  const FakeRequest *request;
  GtkEditable *row;

  stored = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_AWS_ACCESS_KEY_ID, NULL, &error);
  if (error != NULL)
    {
      if (g_getenv ("SEXTANT_TEST_REQUIRE_KEYRING") != NULL)
        g_error ("The keyring is required but not usable: %s", error->message);
      g_test_skip (error->message);
      fake_bedrock_server_free (server);
      return;
    }
  forget_aws_credentials (missing);
  g_setenv ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake_bedrock_server_get_url (server), TRUE);
  g_settings_set_string (settings, "aws-region", "eu-west-3");

  window = sextant_chat_window_new_with_store (NULL, workspace, conversations);
  test_gui_show_and_wait (GTK_WINDOW (window), 900, 700);
  /* Connected, to nothing: the offline analyst answers. */
  WAIT_FOR (g_str_has_prefix (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (gtk_widget_get_template_child (
              GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW, "window_title"))), "Offline analyst"));
  g_assert_null (window_region (window));

  preferences = open_preferences (settings);
  row = sextant_preferences_window_get_secret_row (preferences, SEXTANT_SECRET_AWS_ACCESS_KEY_ID);
  gtk_editable_set_text (row, AKID);
  g_signal_emit_by_name (row, "apply");
  WAIT_FOR (!sextant_preferences_window_get_busy (preferences));
  row = sextant_preferences_window_get_secret_row (preferences, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY);
  gtk_editable_set_text (row, SECRET);
  g_signal_emit_by_name (row, "apply");
  WAIT_FOR (!sextant_preferences_window_get_busy (preferences));
  /* Preferences says where the credentials in use now come from. */
  WAIT_FOR (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_template_child (
              GTK_WIDGET (preferences), SEXTANT_TYPE_PREFERENCES_WINDOW, "used_credentials_row"))),
                       "From the Sextant keyring entries") == 0);
  test_gui_destroy_and_check (GTK_WINDOW (preferences));

  WAIT_FOR (g_strcmp0 (window_region (window), "eu-west-3") == 0);
  fake_bedrock_server_push_text (server, "Connected with the keys of Preferences.");
  send_and_wait (window, "Who signs this?");
  g_assert_null (sextant_chat_window_get_error (window));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (server), ==, 1);
  request = fake_bedrock_server_get_request (server, 0);
  g_assert_true (request->signature_ok);
  g_assert_nonnull (strstr (request->authorization, "Credential=" AKID "/"));
  g_assert_cmpstr (sextant_chat_message_get_text (message_at (window, 1)), ==, "Connected with the keys of Preferences.");

  test_gui_destroy_and_check (GTK_WINDOW (window));
  forget_aws_credentials (missing);
  g_settings_reset (settings, "aws-region");
  g_unsetenv ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
  fake_bedrock_server_free (server);
}

/* A profile named in Preferences while a chat window is open takes effect at once: its keys
 * (the shared credentials file) and its region (the config file, which wins over the region
 * setting as in the AWS tools) sign the window's next request. */
static void
test_profile_from_preferences (void)
{
  FakeBedrockServer *server = fake_bedrock_server_new ("eu-west-3", AKID, SECRET);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SextantConversationStore) conversations = new_conversations ();
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *credentials = g_build_filename (dir, "credentials", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  SextantPreferencesWindow *preferences;
  SextantChatWindow *window;
  const FakeRequest *request;
  GtkWidget *profile_row;

  forget_aws_credentials (missing);
  g_assert_true (g_file_set_contents (credentials, "[desk]\naws_access_key_id = " AKID "\n"
                                      "aws_secret_access_key = " SECRET "\n", -1, NULL));
  g_assert_true (g_file_set_contents (config, "[profile desk]\nregion = eu-west-3\n", -1, NULL));
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", credentials, TRUE);
  g_setenv ("AWS_CONFIG_FILE", config, TRUE);
  g_setenv ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake_bedrock_server_get_url (server), TRUE);
  g_settings_set_string (settings, "aws-region", "us-east-1");
  g_settings_set_string (settings, "aws-profile", "");

  window = sextant_chat_window_new_with_store (NULL, workspace, conversations);
  test_gui_show_and_wait (GTK_WINDOW (window), 900, 700);
  WAIT_FOR (g_str_has_prefix (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (gtk_widget_get_template_child (
              GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW, "window_title"))), "Offline analyst"));

  preferences = open_preferences (settings);
  profile_row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences), SEXTANT_TYPE_PREFERENCES_WINDOW,
                                                           "profile_row"));
  gtk_editable_set_text (GTK_EDITABLE (profile_row), "desk");
  g_signal_emit_by_name (profile_row, "apply");
  {
    g_autofree char *profile = g_settings_get_string (settings, "aws-profile");

    g_assert_cmpstr (profile, ==, "desk");
  }
  WAIT_FOR (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_template_child (
              GTK_WIDGET (preferences), SEXTANT_TYPE_PREFERENCES_WINDOW, "used_region_row"))),
                              "eu-west-3, from profile desk"));
  test_gui_destroy_and_check (GTK_WINDOW (preferences));

  WAIT_FOR (g_strcmp0 (window_region (window), "eu-west-3") == 0);
  fake_bedrock_server_push_text (server, "Signed with the desk profile.");
  send_and_wait (window, "Which profile signs this?");
  g_assert_null (sextant_chat_window_get_error (window));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (server), ==, 1);
  request = fake_bedrock_server_get_request (server, 0);
  g_assert_true (request->signature_ok);
  g_assert_nonnull (strstr (request->authorization, "/eu-west-3/bedrock/aws4_request"));

  test_gui_destroy_and_check (GTK_WINDOW (window));
  g_settings_reset (settings, "aws-profile");
  g_settings_reset (settings, "aws-region");
  forget_aws_credentials (missing);
  g_unsetenv ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
  fake_bedrock_server_free (server);
  /* The credentials file held a (test) secret: nothing of it is left behind. */
  sextant_test_remove_temp_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database_dir = NULL;
  g_autofree char *database = NULL;
  g_autofree char *log_dir = NULL;
  int status;

  /* A log file of the test's own, as the app writes one: the monitoring window shows its lines.
   * Installed before any thread starts, as GLib requires. */
  log_dir = sextant_test_make_temp_dir ();
  sextant_log_writer_install (log_dir, 1 << 20, 2);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  workspace = sextant_test_load_demo_workspace ();
  /* A database of the test's own, so the workspace has the invocation log the app would have. */
  database = g_build_filename (database_dir = sextant_test_make_temp_dir (), "sextant.db", NULL);
  g_setenv ("SEXTANT_DATABASE", database, TRUE);
  if (!sextant_workspace_open_store (workspace, &error))
    g_error ("%s", error->message);

  /* First: it starts from the workspace's empty invocation log. */
  g_test_add_func ("/sextant/gui/chat/monitoring", test_monitoring);
  g_test_add_func ("/sextant/gui/chat/offline-examples", test_offline_examples);
  g_test_add_func ("/sextant/gui/chat/portfolio-from-another-window", test_portfolio_from_another_window);
  g_test_add_func ("/sextant/gui/chat/draft-kept", test_draft_kept);
  g_test_add_func ("/sextant/gui/chat/sidebar", test_sidebar);
  g_test_add_func ("/sextant/gui/chat/windows-share-conversations", test_windows_share_conversations);
  g_test_add_func ("/sextant/gui/chat/conversation-actions", test_conversation_actions);
  g_test_add_func ("/sextant/gui/chat/pin", test_pin);
  g_test_add_func ("/sextant/gui/chat/streaming-row", test_streaming_row);
  g_test_add_func ("/sextant/gui/chat/table-view", test_table_view);
  g_test_add_func ("/sextant/gui/chat/markdown-view-reuse", test_markdown_view_reuse);
  g_test_add_func ("/sextant/gui/chat/transcript-parts", test_transcript_parts);
  g_test_add_func ("/sextant/gui/chat/transcript-streaming", test_transcript_streaming);
  g_test_add_func ("/sextant/gui/chat/stored-tool-round", test_stored_tool_round);
  g_test_add_func ("/sextant/gui/chat/bedrock-two-tools", test_bedrock_two_tools);
  g_test_add_func ("/sextant/gui/chat/bedrock-desk-delegation", test_bedrock_desk_delegation);
  g_test_add_func ("/sextant/gui/chat/bedrock-throttled", test_bedrock_throttled);
  g_test_add_func ("/sextant/gui/chat/bedrock-spending-limit", test_bedrock_spending_limit);
  g_test_add_func ("/sextant/gui/chat/bedrock-stream-cut", test_bedrock_stream_cut);
  g_test_add_func ("/sextant/gui/chat/bedrock-throttled-mid-stream", test_bedrock_throttled_mid_stream);
  g_test_add_func ("/sextant/gui/chat/bedrock-access-denied", test_bedrock_access_denied);
  g_test_add_func ("/sextant/gui/chat/bedrock-long-answer", test_bedrock_long_answer);
  g_test_add_func ("/sextant/gui/chat/bedrock-model-stop-log", test_bedrock_model_stop_log);
  g_test_add_func ("/sextant/gui/chat/model-picker", test_model_picker);
  g_test_add_func ("/sextant/gui/chat/monitoring-log", test_monitoring_log);
  g_test_add_func ("/sextant/gui/chat/prices", test_prices);
  g_test_add_func ("/sextant/gui/chat/prices-cache", test_prices_cache);
  g_test_add_func ("/sextant/gui/chat/role-prompts", test_role_prompts);
  g_test_add_func ("/sextant/gui/chat/long-conversation-pages", test_long_conversation_pages);
  g_test_add_func ("/sextant/gui/chat/region-from-preferences", test_region_from_preferences);
  g_test_add_func ("/sextant/gui/chat/keys-from-preferences", test_keys_from_preferences);
  g_test_add_func ("/sextant/gui/chat/profile-from-preferences", test_profile_from_preferences);

  status = g_test_run ();
  g_clear_object (&workspace);

  return status;
}
