/* Streaming a 1 MB Markdown answer at full speed from the fake Bedrock server into a real chat
 * window (issue 6: "no main-loop stall over 16 ms, measured with a frame-clock or idle-timer
 * probe"). Two 1 ms timers on the main context, one at input priority and one at the priority
 * GTK paints at, record every gap between their ticks from the question until the window shows
 * the whole answer; a long gap is time in which the main loop could not answer a key or begin a
 * frame. The baseline is the same probe while the same stream is consumed by a bare
 * SextantBedrockClient, with no window (what decoding the event stream costs by itself). The
 * server runs in a thread of its own, at the lowest priority, so its work (building and writing
 * ~30 MB of event-stream frames) stays out of the measured loop as a remote server's would. At full speed the window shows the answer as fast as
 * it can lay it out, a frame's worth at a time, so it finishes showing after the stream ends:
 * both times are printed. The window has 300 past conversations in its sidebar, as a user's. Needs a display (run under xvfb-run). Prints, never asserts. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-stream.h"
#include "sextant-chat-message.h"
#include "sextant-chat-window.h"

/* Rebuilding a sidebar row per conversation after each turn stalled the loop 220 ms here. */
#define PAST_CONVERSATIONS 300

static const char *const db_suffixes[] = { "", "-wal", "-shm" };

/* The fake server, the probe and the answer are in bench-stream.c. */

static void
result_delta_cb (SextantConverseResult *result,
                 guint                  index,
                 const char            *text,
                 Probe                 *probe)
{
  delta_cb (G_OBJECT (result), text, probe);
}

static Stats
run_bare_client (ServerThread         *st,
                 SextantBedrockClient *client,
                 const char           *answer,
                 gsize                *received)
{
  g_autoptr(SextantConverseRequest) request = sextant_converse_request_new ();
  g_autoptr(SextantConverseResult) result = sextant_converse_result_new ();
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(GError) error = NULL;
  Probe probe;
  Stats stats;
  gint64 start;

  server_thread_push_text (st, answer);
  sextant_converse_request_add_user_text (request, "Write the long report.");
  probe_start (&probe);
  g_signal_connect (result, "text-delta", G_CALLBACK (result_delta_cb), &probe);
  start = g_get_monotonic_time ();
  sextant_bedrock_client_converse_async (client, "us.anthropic.claude-sonnet-4-20250514-v1:0", request, result,
                                         TRUE, NULL, done_cb, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  probe_stop (&probe);
  if (!sextant_bedrock_client_converse_finish (client, async_result, &error))
    g_printerr ("bare client: %s\n", error->message);
  *received = strlen (sextant_converse_result_get_partial_text (result));
  stats = probe_stats (&probe, start);
  print_stats ("bare SextantBedrockClient (baseline):", &stats, &probe);
  probe_clear (&probe);

  return stats;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
frame_update_cb (GdkFrameClock *clock,
                 gint64        *begun)
{
  *begun = g_get_monotonic_time ();
}

/* A second baseline, with no stream at all: what one frame of this window costs on this machine
 * (renderer, fonts, display server) while its view moves, as it does while an answer is revealed.
 * Each frame scrolls the finished answer up by a line and is timed from the frame clock's update
 * phase to its after-paint (the frame's work, not the wait for the next tick). Where this alone
 * comes near the target, no pacing of the reveal can meet it. */
static void
time_scrolled_frames (SextantChatWindow *window)
{
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                    SEXTANT_TYPE_CHAT_WINDOW,
                                                                                    "message_scroller"));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_autoptr(GArray) took = g_array_new (FALSE, FALSE, sizeof (double));
  Probe counter = { 0 };
  gint64 begun = 0;
  gulong paint_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &counter);
  gulong update_handler = g_signal_connect (clock, "update", G_CALLBACK (frame_update_cb), &begun);

  for (guint i = 0; i < 60; i++)
    {
      guint n = counter.n_frames;
      double ms;

      gtk_adjustment_set_value (adjustment, MAX (0, gtk_adjustment_get_value (adjustment) - 40));
      while (counter.n_frames == n)
        g_main_context_iteration (NULL, TRUE);
      ms = (counter.last_frame - begun) / 1e3;
      g_array_append_val (took, ms);
    }
  g_signal_handler_disconnect (clock, paint_handler);
  g_signal_handler_disconnect (clock, update_handler);
  g_array_sort (took, compare_doubles);
  printf ("    renderer baseline, no stream: the work of a frame of the window scrolled by a line: median %.1f ms, "
          "max %.1f ms\n", g_array_index (took, double, took->len / 2), g_array_index (took, double, took->len - 1));
}

static Stats
run_window (ServerThread         *st,
            SextantBedrockClient *client,
            SextantWorkspace     *workspace,
            const char           *answer,
            gsize                *received)
{
  /* A file, as the application's: a finished answer is then stored in a thread. */
  g_autofree char *dir = g_dir_make_tmp ("bench-chat-stream-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(SextantStore) store = sextant_schema_open (path, NULL);
  g_autoptr(SextantConversationStore) conversations = sextant_conversation_store_new (store);
  /* A user's history: the sidebar lists it, and shows the new conversation among it. */
  for (guint i = 0; i < PAST_CONVERSATIONS; i++)
    sextant_conversation_store_create (conversations, "Drawdown of the Dow Blue Chips", SEXTANT_ROLE_RISK_OFFICER,
                                       NULL, NULL);
  SextantChatWindow *window = sextant_chat_window_new_with_store (NULL, workspace, conversations);
  GListModel *messages = sextant_chat_window_get_messages (window);
  g_autoptr(SextantChatMessage) last = NULL;
  GdkFrameClock *clock;
  gulong paint_handler, delta_handler;
  Probe probe;
  Stats stats;
  gint64 start, shown;

  sextant_chat_window_set_client (window, client, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  wait_frames (GTK_WIDGET (window), 3);

  server_thread_push_text (st, answer);
  sextant_chat_window_set_draft (window, "Write the long report.");
  probe_start (&probe);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  paint_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &probe);
  delta_handler = g_signal_connect (sextant_chat_window_get_session (window), "text-delta",
                                    G_CALLBACK (delta_cb), &probe);
  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);
  /* Until the turn is over and the window shows all of the answer. */
  while (sextant_chat_window_get_busy (window) ||
         sextant_chat_transcript_get_pending (sextant_chat_window_get_transcript (window)))
    g_main_context_iteration (NULL, TRUE);
  shown = g_get_monotonic_time ();
  probe_stop (&probe);
  g_signal_handler_disconnect (clock, paint_handler);
  g_signal_handler_disconnect (sextant_chat_window_get_session (window), delta_handler);

  if (sextant_chat_window_get_error (window) != NULL)
    g_printerr ("chat window: %s\n", sextant_chat_window_get_error (window));
  last = g_list_model_get_item (messages, g_list_model_get_n_items (messages) - 1);
  *received = strlen (sextant_chat_message_get_text (last));
  stats = probe_stats (&probe, start);
  print_stats ("chat window:", &stats, &probe);
  printf ("    last delta after %.0f ms, whole answer shown after %.0f ms\n", (probe.last_delta - start) / 1e3,
          (shown - start) / 1e3);
  probe_clear (&probe);
  time_scrolled_frames (window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&conversations);
  g_clear_object (&store);
  for (guint i = 0; i < G_N_ELEMENTS (db_suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, db_suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);

  return stats;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SextantWorkspace) workspace = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SextantBedrockClient) client = NULL;
  g_autofree char *answer = make_answer ();
  ServerThread *st;
  Stats bare, window;
  gsize bare_received = 0, window_received = 0;
  const char *runs_text = g_getenv ("SEXTANT_BENCH_RUNS");
  guint runs = runs_text != NULL ? MAX (1, atoi (runs_text)) : 3;
  guint window_over = 0, window_gaps = 0, bare_over = 0, bare_gaps = 0;
  double longest = 0;

  gtk_init ();
  adw_init ();
  workspace = sextant_workspace_new ();
  if (!sextant_workspace_load_demo (workspace, NULL))
    return 1;
  st = server_thread_start ();
  session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  client = new_client (st, session);

  printf ("a %.2f MiB Markdown answer, streamed at full speed in 5-character deltas by the fake server "
          "(own thread); probes: 1 ms timers on the main loop; %u runs\n", strlen (answer) / 1048576.0, runs);
  for (guint run = 0; run < runs; run++)
    {
      double window_max, bare_max;

      printf ("run %u of %u\n", run + 1, runs);
      bare = run_bare_client (st, client, answer, &bare_received);
      window = run_window (st, client, workspace, answer, &window_received);
      if (bare_received != strlen (answer) || window_received != strlen (answer))
        printf ("warning: received %zu (bare) and %zu (window) of %zu bytes\n",
                bare_received, window_received, strlen (answer));
      window_max = MAX (window.input.max_ms, window.paint.max_ms);
      bare_max = MAX (bare.input.max_ms, bare.paint.max_ms);
      printf ("  longest stall: window %.1f ms, baseline %.1f ms (%.1f×); p99 paint-priority gap %.1f× the "
              "baseline's\n", window_max, bare_max, window_max / MAX (bare_max, 0.001),
              window.paint.p99_ms / MAX (bare.paint.p99_ms, 0.001));
      window_over += window.paint.n_over_target;
      window_gaps += window.paint.n_gaps;
      bare_over += bare.paint.n_over_target;
      bare_gaps += bare.paint.n_gaps;
      longest = MAX (longest, window_max);
    }
  /* One long frame in a run can be the machine's (another process took the core); the share of
   * frames over the budget across runs says whether the window holds it. */
  printf ("paint-priority gaps over %.0f ms across %u runs: window %u of %u (%.3f %%), bare client %u of %u "
          "(%.3f %%); longest window stall %.1f ms; target of no stall over %.0f ms: %s\n",
          TARGET_MS, runs, window_over, window_gaps, 100.0 * window_over / MAX (window_gaps, 1), bare_over,
          bare_gaps, 100.0 * bare_over / MAX (bare_gaps, 1), longest, TARGET_MS,
          window_over == 0 ? "met" : "NOT met");

  g_clear_object (&client);
  soup_session_abort (session);
  server_thread_stop (st);

  return 0;
}
