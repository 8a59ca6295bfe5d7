#pragma once

/* What bench-chat-stream and bench-backup-stream share: the fake Bedrock server in a thread of
 * its own, the main-loop probe (two 1 ms timers) and its statistics, and the streamed answer. */

#include <adwaita.h>

#include "../fake-bedrock-server.h"
#include "sextant-core.h"

G_BEGIN_DECLS

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define ANSWER_BYTES (1024 * 1024)
#define TARGET_MS 16.0

typedef struct
{
  GMutex             lock;
  GCond              cond;
  GThread           *thread;
  GMainContext      *context;
  GMainLoop         *loop;
  FakeBedrockServer *server;
} ServerThread;

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

ServerThread         *server_thread_start     (void);
void                  server_thread_push_text (ServerThread         *st,
                                               const char           *text);
void                  server_thread_stop      (ServerThread         *st);
void                  probe_start             (Probe                *probe);
void                  probe_stop              (Probe                *probe);
void                  probe_clear             (Probe                *probe);
Stats                 probe_stats             (Probe                *probe,
                                               gint64                start);
void                  print_timer             (const char           *what,
                                               const TimerStats     *stats);
void                  print_stats             (const char           *what,
                                               const Stats          *stats,
                                               Probe                *probe);
char                 *make_answer             (void);
SextantBedrockClient *new_client              (ServerThread         *st,
                                               SoupSession          *session);
void                  delta_cb                (GObject              *object,
                                               const char           *delta,
                                               Probe                *probe);
void                  done_cb                 (GObject              *object,
                                               GAsyncResult         *result,
                                               gpointer              user_data);
void                  after_paint_cb          (GdkFrameClock        *clock,
                                               Probe                *probe);
void                  wait_frames             (GtkWidget            *widget,
                                               guint                 n);

G_END_DECLS
