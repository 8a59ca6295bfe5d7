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

#define _GNU_SOURCE /* syscall (SYS_gettid) */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../fake-bedrock-server.h"
#include "sextant-chat-message.h"
#include "sextant-chat-window.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define ANSWER_BYTES (1024 * 1024)
#define TARGET_MS 16.0
/* Rebuilding a sidebar row per conversation after each turn stalled the loop 220 ms here. */
#define PAST_CONVERSATIONS 300

static const char *const db_suffixes[] = { "", "-wal", "-shm" };

/* The fake server, in a thread with its own main context ------------------------------------- */

typedef struct
{
  GMutex             lock;
  GCond              cond;
  GThread           *thread;
  GMainContext      *context;
  GMainLoop         *loop;
  FakeBedrockServer *server;
} ServerThread;

static gpointer
server_thread_main (gpointer data)
{
  ServerThread *st = data;

  /* Bedrock runs on other machines: its stand-in must not take the cores the window needs.
   * At the lowest priority it still sends at full speed whenever the window is idle. */
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 19) != 0)
    g_printerr ("could not lower the fake server's priority: %s\n", g_strerror (errno));
  g_main_context_push_thread_default (st->context);
  g_mutex_lock (&st->lock);
  st->server = fake_bedrock_server_new ("us-east-1", AKID, SECRET);
  /* Big HTTP chunks: the client gets many frames per read, as from a fast link. */
  fake_bedrock_server_set_chunk_size (st->server, 16384);
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->lock);
  g_main_loop_run (st->loop);
  fake_bedrock_server_free (st->server);
  g_main_context_pop_thread_default (st->context);

  return NULL;
}

static ServerThread *
server_thread_start (void)
{
  ServerThread *st = g_new0 (ServerThread, 1);

  g_mutex_init (&st->lock);
  g_cond_init (&st->cond);
  st->context = g_main_context_new ();
  st->loop = g_main_loop_new (st->context, FALSE);
  g_mutex_lock (&st->lock);
  st->thread = g_thread_new ("fake-bedrock", server_thread_main, st);
  while (st->server == NULL)
    g_cond_wait (&st->cond, &st->lock);
  g_mutex_unlock (&st->lock);

  return st;
}

typedef struct
{
  ServerThread *st;
  const char   *text;
  gboolean      done;
} Push;

static gboolean
push_in_thread_cb (gpointer data)
{
  Push *push = data;

  fake_bedrock_server_push_text (push->st->server, push->text);
  g_mutex_lock (&push->st->lock);
  push->done = TRUE;
  g_cond_signal (&push->st->cond);
  g_mutex_unlock (&push->st->lock);

  return G_SOURCE_REMOVE;
}

/* The server's queue belongs to its thread: the reply is scripted there. */
static void
server_thread_push_text (ServerThread *st,
                         const char   *text)
{
  Push push = { st, text, FALSE };

  g_main_context_invoke (st->context, push_in_thread_cb, &push);
  g_mutex_lock (&st->lock);
  while (!push.done)
    g_cond_wait (&st->cond, &st->lock);
  g_mutex_unlock (&st->lock);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);

  return G_SOURCE_REMOVE;
}

static void
server_thread_stop (ServerThread *st)
{
  g_main_context_invoke (st->context, quit_cb, st->loop);
  g_thread_join (st->thread);
  g_main_loop_unref (st->loop);
  g_main_context_unref (st->context);
  g_mutex_clear (&st->lock);
  g_cond_clear (&st->cond);
  g_free (st);
}

/* The probe ------------------------------------------------------------------------------------- */

/* Two 1 ms timers: one at the priority of input events (G_PRIORITY_DEFAULT), one at the priority
 * GTK paints at (GDK_PRIORITY_REDRAW). A gap between two ticks of a timer is a time in which the
 * main loop could not have handled a key press, or begun a frame. The second catches what the
 * first cannot: work at default priority that never lets a frame start. */
typedef struct
{
  guint   id;
  gint64  last_tick;
  GArray *gaps;            /* µs between consecutive ticks */
  GArray *gap_ends;        /* when each gap ended */
} Timer;

typedef struct
{
  Timer   input;
  Timer   paint;
  gint64  last_delta;      /* when the last text delta arrived */
  guint   n_deltas;
  guint   n_frames;
  gint64  last_frame;
  gint64  longest_frame_interval;
} Probe;

static gboolean
timer_tick_cb (gpointer data)
{
  Timer *timer = data;
  gint64 now = g_get_monotonic_time ();

  if (timer->last_tick != 0)
    {
      gint64 gap = now - timer->last_tick;

      g_array_append_val (timer->gaps, gap);
      g_array_append_val (timer->gap_ends, now);
    }
  timer->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void
timer_start (Timer *timer,
             int    priority)
{
  timer->gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  timer->gap_ends = g_array_new (FALSE, FALSE, sizeof (gint64));
  timer->id = g_timeout_add_full (priority, 1, timer_tick_cb, timer, NULL);
}

static void
timer_stop (Timer *timer)
{
  g_source_remove (timer->id);
  timer_tick_cb (timer);
}

static void
timer_clear (Timer *timer)
{
  g_array_unref (timer->gaps);
  g_array_unref (timer->gap_ends);
}

static void
probe_start (Probe *probe)
{
  *probe = (Probe) { 0 };
  timer_start (&probe->input, G_PRIORITY_DEFAULT);
  timer_start (&probe->paint, GDK_PRIORITY_REDRAW);
}

static void
probe_stop (Probe *probe)
{
  timer_stop (&probe->input);
  timer_stop (&probe->paint);
}

static void
probe_clear (Probe *probe)
{
  timer_clear (&probe->input);
  timer_clear (&probe->paint);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  double max_ms;
  double p99_ms;
  double max_streaming_ms;   /* gaps that began before the last delta */
  double max_after_ms;       /* gaps that began after it: storing the answer, the final render */
  guint  n_over_target;
  guint  n_gaps;
} TimerStats;

typedef struct
{
  TimerStats input;
  TimerStats paint;
  double     total_ms;
} Stats;

static TimerStats
timer_stats (Timer  *timer,
             gint64  last_delta)
{
  g_autoptr(GArray) sorted = g_array_copy (timer->gaps);
  TimerStats stats = { 0 };

  g_array_sort (sorted, compare_gint64);
  if (sorted->len > 0)
    {
      stats.max_ms = g_array_index (sorted, gint64, sorted->len - 1) / 1e3;
      stats.p99_ms = g_array_index (sorted, gint64, sorted->len * 99 / 100) / 1e3;
    }
  for (guint i = 0; i < timer->gaps->len; i++)
    {
      double gap = g_array_index (timer->gaps, gint64, i) / 1e3;

      if (g_array_index (timer->gap_ends, gint64, i) - g_array_index (timer->gaps, gint64, i) < last_delta)
        stats.max_streaming_ms = MAX (stats.max_streaming_ms, gap);
      else
        stats.max_after_ms = MAX (stats.max_after_ms, gap);
      stats.n_over_target += gap > TARGET_MS;
      stats.n_gaps++;
    }

  return stats;
}

static Stats
probe_stats (Probe  *probe,
             gint64  start)
{
  Stats stats;

  stats.input = timer_stats (&probe->input, probe->last_delta);
  stats.paint = timer_stats (&probe->paint, probe->last_delta);
  stats.total_ms = (probe->input.last_tick - start) / 1e3;

  return stats;
}

static void
print_timer (const char       *what,
             const TimerStats *stats)
{
  printf ("    %s gaps: p99 %6.2f ms, max %7.2f ms (begun while deltas arrive %7.2f ms, after the last one %7.2f ms), "
          "%u over %.0f ms\n", what, stats->p99_ms, stats->max_ms, stats->max_streaming_ms, stats->max_after_ms,
          stats->n_over_target, TARGET_MS);
}

static void
print_stats (const char  *what,
             const Stats *stats,
             Probe       *probe)
{
  printf ("%s %.0f ms, %u deltas", what, stats->total_ms, probe->n_deltas);
  if (probe->n_frames > 0)
    printf (", %u frames painted (longest interval %.1f ms)", probe->n_frames, probe->longest_frame_interval / 1e3);
  printf ("\n");
  print_timer ("input-priority", &stats->input);
  print_timer ("paint-priority", &stats->paint);
}

/* The answer ------------------------------------------------------------------------------------ */

/* About 1 MiB of the Markdown an analyst's answer is made of: headings, paragraphs with
 * emphasis, lists, tables and code blocks. */
static char *
make_answer (void)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; text->len < ANSWER_BYTES; i++)
    {
      g_string_append_printf (text, "## %u. MSFT against IBM\n\n", i + 1);
      g_string_append (text, "Over the last quarter **MSFT** rose 4.2% while *IBM* fell 1.3%. The RSI(14) of MSFT "
                             "is 58.3, neutral, and its 20-day volatility of 1.4% is below the one-year "
                             "average; IBM's drawdown since its March high is 6.8%, deeper than the sector's. "
                             "A minimum-variance mix of the two keeps `52%` in IBM.\n\n");
      g_string_append (text, "- momentum is positive for MSFT\n- IBM trades below its 50-day average\n"
                             "- correlation over 90 days: 0.41\n\n");
      g_string_append (text, "| Metric | MSFT | IBM |\n|---|--:|--:|\n| VaR 95% | 2.10% | 1.85% |\n"
                             "| ES 95% | 2.95% | 2.61% |\n| Beta | 1.12 | 0.83 |\n\n");
      if (i % 4 == 0)
        g_string_append (text, "```\nweights = optimise(['MSFT', 'IBM'], objective='min_variance')\n"
                               "print(weights)\n```\n\n");
    }

  return g_string_free (text, FALSE);
}

/* Runs ------------------------------------------------------------------------------------------ */

static SextantBedrockClient *
new_client (ServerThread *st,
            SoupSession  *session)
{
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  g_autoptr(SextantAwsConfig) config = sextant_aws_config_new_for_endpoint ("us-east-1",
                                                                            fake_bedrock_server_get_url (st->server));
  SextantBedrockClient *client = sextant_bedrock_client_new (config, provider, session);

  g_object_set (client, "idle-timeout-ms", 60000, NULL);

  return client;
}

static void
delta_cb (GObject    *object,
          const char *delta,
          Probe      *probe)
{
  probe->n_deltas++;
  probe->last_delta = g_get_monotonic_time ();
}

static void
result_delta_cb (SextantConverseResult *result,
                 guint                  index,
                 const char            *text,
                 Probe                 *probe)
{
  delta_cb (G_OBJECT (result), text, probe);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
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

static void
after_paint_cb (GdkFrameClock *clock,
                Probe         *probe)
{
  gint64 now = g_get_monotonic_time ();

  if (probe->last_frame != 0)
    probe->longest_frame_interval = MAX (probe->longest_frame_interval, now - probe->last_frame);
  probe->last_frame = now;
  probe->n_frames++;
}

static void
wait_frames (GtkWidget *widget,
             guint      n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  Probe counter = { 0 };
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &counter);

  while (counter.n_frames < n)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, handler);
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
