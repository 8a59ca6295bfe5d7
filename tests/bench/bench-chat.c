/* Opening a 10,000-message conversation in the chat window: time from asking for it to the
 * first frame painted with its last messages, against loading the same rows from SQLite alone
 * (the baseline: what the window cannot avoid). Also the cost of one streaming frame: a delta
 * appended to a long answer, re-rendered; and why the chat's labels break inside words only
 * when they must: a paragraph laid out at a width with each wrap mode. Needs a display (run
 * under xvfb-run). Prints, never asserts. */

#include "config.h"

#include <adwaita.h>

#include "sextant-chat-message.h"
#include "sextant-chat-window.h"
#include "sextant-message-row.h"

#define N_MESSAGES 10000
#define ROUNDS 5

static const char *answer =
  "## MSFT\n\nThe **RSI(14)** is *58.3*: neutral. Over the last month the stock rose 4.2%.\n\n"
  "| Metric | Value |\n|---|--:|\n| VaR 95% | 2.10% |\n| ES 95% | 2.95% |\n\n"
  "- momentum is positive\n- volatility is below its one-year average\n";

static void
fill (SextantConversationStore *conversations,
      gint64                    id)
{
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autoptr(SextantConverseMessage) m = sextant_converse_message_new (i % 2 == 0 ? "user" : "assistant");
      g_autofree char *question = g_strdup_printf ("Question %u: how does MSFT's RSI look today?", i);

      sextant_converse_message_add_text (m, i % 2 == 0 ? question : answer);
      sextant_conversation_store_append (conversations, id, m, SEXTANT_MESSAGE_COMPLETE, 100, 50, NULL);
    }
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static double
time_open (SextantChatWindow *window,
           GtkListView       *list)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gboolean painted = FALSE;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gint64 start;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-conversation", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  painted = FALSE;
  start = g_get_monotonic_time ();
  gtk_selection_model_select_item (gtk_list_view_get_model (list), 0, TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);

  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
time_load (SextantConversationStore *conversations,
           gint64                    id)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GPtrArray) rows = sextant_conversation_store_load_messages (conversations, id, NULL);

  g_assert (rows != NULL && rows->len == N_MESSAGES);

  return (g_get_monotonic_time () - start) / 1000.0;
}

/* One frame of a streaming answer that is already 200 blocks long. */
static double
time_stream_frame (void)
{
  g_autoptr(SextantChatMessage) message = sextant_chat_message_new ("assistant");
  GtkWidget *row = g_object_ref_sink (sextant_message_row_new ());
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 start;

  for (guint i = 0; i < 40; i++)
    g_string_append (text, answer);
  sextant_message_row_set_message (SEXTANT_MESSAGE_ROW (row), message);
  sextant_chat_message_set_text (message, text->str);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    sextant_chat_message_append_text (message, "word ");
  sextant_message_row_set_message (SEXTANT_MESSAGE_ROW (row), NULL);
  g_object_unref (row);

  return (g_get_monotonic_time () - start) / 1000.0 / 100;
}

/* A 300-character paragraph, its text changed as while streaming, measured at a chat's width:
 * ms per layout. */
static double
time_label_layout (PangoWrapMode mode)
{
  const char *paragraph = "Over the last quarter <b>MSFT</b> rose 4.2% while <i>IBM</i> fell 1.3%. The RSI(14) of "
                          "MSFT is 58.3, neutral, and its 20-day volatility of 1.4% is below the one-year "
                          "average; IBM's drawdown since its March high is 6.8%, deeper than the sector's.";
  GtkWidget *label = g_object_ref_sink (gtk_label_new (NULL));
  gint64 start;
  int min, nat;

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), mode);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *markup = g_strdup_printf ("%s %u", paragraph, i);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, 773, &min, &nat, NULL, NULL);
    }
  g_object_unref (label);

  return (g_get_monotonic_time () - start) / 1000.0 / 200;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SextantWorkspace) workspace = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantConversationStore) conversations = NULL;
  SextantChatWindow *window;
  GtkListView *list;
  double open_ms = G_MAXDOUBLE, load_ms = G_MAXDOUBLE;
  gint64 id;

  gtk_init ();
  adw_init ();
  workspace = sextant_workspace_new ();
  if (!sextant_workspace_load_demo (workspace, NULL))
    return 1;
  store = sextant_schema_open (":memory:", NULL);
  conversations = sextant_conversation_store_new (store);
  id = sextant_conversation_store_create (conversations, "Long chat", SEXTANT_ROLE_ANALYST, NULL, NULL);
  fill (conversations, id);

  window = sextant_chat_window_new_with_store (NULL, workspace, conversations);
  sextant_chat_window_set_client (window, NULL, "benchmark");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  list = GTK_LIST_VIEW (gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW,
                                                      "conversation_list"));
  /* Best of a few rounds for both, so a stray scheduling hiccup does not decide the ratio. */
  for (guint r = 0; r < ROUNDS; r++)
    {
      load_ms = MIN (load_ms, time_load (conversations, id));
      open_ms = MIN (open_ms, time_open (window, list));
    }
  g_print ("load %u messages from SQLite (baseline): %8.1f ms\n", N_MESSAGES, load_ms);
  g_print ("open them in the chat window, first paint: %8.1f ms (%.1f× the baseline; target ≤ 150 ms)\n",
           open_ms, open_ms / load_ms);
  g_print ("one streaming delta on a 200-block answer: %8.3f ms (frame budget 16 ms)\n", time_stream_frame ());
  {
    double word = time_label_layout (PANGO_WRAP_WORD), word_char = time_label_layout (PANGO_WRAP_WORD_CHAR);

    g_print ("a 300-character paragraph laid out, breaking between words (baseline): %.3f ms; "
             "also inside words: %.3f ms (%.1f×)\n", word, word_char, word_char / word);
  }
  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
