#define G_LOG_DOMAIN "bench-stream"
#define _GNU_SOURCE /* syscall (SYS_gettid) */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench-stream.h"

/* The fake server, in a thread with its own main context ------------------------------------- */

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

ServerThread *
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
void
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

void
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

void
probe_start (Probe *probe)
{
  *probe = (Probe) { 0 };
  timer_start (&probe->input, G_PRIORITY_DEFAULT);
  timer_start (&probe->paint, GDK_PRIORITY_REDRAW);
}

void
probe_stop (Probe *probe)
{
  timer_stop (&probe->input);
  timer_stop (&probe->paint);
}

void
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

Stats
probe_stats (Probe  *probe,
             gint64  start)
{
  Stats stats;

  stats.input = timer_stats (&probe->input, probe->last_delta);
  stats.paint = timer_stats (&probe->paint, probe->last_delta);
  stats.total_ms = (probe->input.last_tick - start) / 1e3;

  return stats;
}

void
print_timer (const char       *what,
             const TimerStats *stats)
{
  printf ("    %s gaps: p99 %6.2f ms, max %7.2f ms (begun while deltas arrive %7.2f ms, after the last one %7.2f ms), "
          "%u over %.0f ms\n", what, stats->p99_ms, stats->max_ms, stats->max_streaming_ms, stats->max_after_ms,
          stats->n_over_target, TARGET_MS);
}

void
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
char *
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

SextantBedrockClient *
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

void
delta_cb (GObject    *object,
          const char *delta,
          Probe      *probe)
{
  probe->n_deltas++;
  probe->last_delta = g_get_monotonic_time ();
}

void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

void
after_paint_cb (GdkFrameClock *clock,
                Probe         *probe)
{
  gint64 now = g_get_monotonic_time ();

  if (probe->last_frame != 0)
    probe->longest_frame_interval = MAX (probe->longest_frame_interval, now - probe->last_frame);
  probe->last_frame = now;
  probe->n_frames++;
}

void
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

