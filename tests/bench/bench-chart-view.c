/* The chart widget's cost over the core painter: a 2,520-candle price chart with three
 * overlays and two sub-panes at 1920 × 1080, drawn by SextantChartView's snapshot() and
 * rendered by GSK's cairo renderer, against the painter drawing straight into an image
 * surface (the baseline, the same drawing without the widget). Prints, never asserts. */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "sextant-chart-view.h"

#define N_BARS 2520
#define WIDTH 1920
#define HEIGHT 1080
#define ROUNDS 20

typedef struct
{
  gint32 days[N_BARS];
  double open[N_BARS], high[N_BARS], low[N_BARS], close[N_BARS], volume[N_BARS];
  double sma[3][N_BARS];
  double rsi[N_BARS];
  SextantChartSeries overlays[3];
  SextantChartPane panes[2];
  SextantChartSeries rsi_line;
  double guides[2];
  SextantPriceChart chart;
} Data;

static void
fill (Data *d)
{
  static const int windows[3] = { 20, 50, 200 };
  GRand *rand = g_rand_new_with_seed (7);
  double price = 100;

  for (gsize i = 0; i < N_BARS; i++)
    {
      d->days[i] = 10957 + (gint32) (i * 7 / 5);
      d->open[i] = price;
      price *= exp (g_rand_double_range (rand, -0.02, 0.021));
      d->close[i] = price;
      d->high[i] = MAX (d->open[i], price) * 1.01;
      d->low[i] = MIN (d->open[i], price) * 0.99;
      d->volume[i] = g_rand_double_range (rand, 1e6, 5e6);
      d->rsi[i] = 50 + 30 * sin (i / 15.0);
    }
  /* Plain moving averages: bench input only, the indicators have their own tests. */
  for (guint w = 0; w < 3; w++)
    for (gsize i = 0; i < N_BARS; i++)
      {
        double sum = 0;

        if (i + 1 < (gsize) windows[w])
          {
            d->sma[w][i] = NAN;
            continue;
          }
        for (int j = 0; j < windows[w]; j++)
          sum += d->close[i - j];
        d->sma[w][i] = sum / windows[w];
      }
  for (guint w = 0; w < 3; w++)
    d->overlays[w] = (SextantChartSeries) { "SMA", d->sma[w], N_BARS };
  d->rsi_line = (SextantChartSeries) { "RSI(14)", d->rsi, N_BARS };
  d->guides[0] = 30;
  d->guides[1] = 70;
  d->panes[0] = (SextantChartPane) { .title = "Volume", .bars = d->volume };
  d->panes[1] = (SextantChartPane) { .title = "RSI(14)", .lines = &d->rsi_line, .n_lines = 1,
                                     .guides = d->guides, .n_guides = 2, .min = 0, .max = 100 };
  d->chart = (SextantPriceChart) {
    .symbol = "BENCH", .style = SEXTANT_PRICE_CHART_CANDLES, .n = N_BARS, .days = d->days,
    .open = d->open, .high = d->high, .low = d->low, .close = d->close,
    .overlays = d->overlays, .n_overlays = 3, .panes = d->panes, .n_panes = 2,
  };
  g_rand_free (rand);
}

static double
bench_painter (Data *d)
{
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  gint64 start = g_get_monotonic_time ();

  for (int r = 0; r < ROUNDS; r++)
    {
      cairo_t *cr = cairo_create (surface);

      sextant_chart_paint (cr, SEXTANT_CHART_KIND_PRICE, &d->chart, style, WIDTH, HEIGHT);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
    }
  cairo_surface_destroy (surface);

  return (g_get_monotonic_time () - start) / 1000.0 / ROUNDS;
}

static double
bench_widget (GtkWidget *window,
              GtkWidget *view)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  gint64 start = g_get_monotonic_time ();

  for (int r = 0; r < ROUNDS; r++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      GskRenderNode *node;
      GdkTexture *texture;

      GTK_WIDGET_GET_CLASS (view)->snapshot (view, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
      g_object_unref (texture);
      gsk_render_node_unref (node);
    }

  return (g_get_monotonic_time () - start) / 1000.0 / ROUNDS;
}

int
main (int    argc,
      char **argv)
{
  g_autofree Data *d = g_new0 (Data, 1);
  GtkWidget *window, *view;
  double painter, widget;

  if (!gtk_init_check ())
    {
      g_print ("bench-chart-view: no display, skipped (run under xvfb-run)\n");
      return 0;
    }
  adw_init ();
  fill (d);

  window = gtk_window_new ();
  view = sextant_chart_view_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), view);
  sextant_chart_view_set_chart (SEXTANT_CHART_VIEW (view), SEXTANT_CHART_KIND_PRICE, &d->chart,
                                NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (view) < WIDTH / 2)
    g_main_context_iteration (NULL, TRUE);

  painter = bench_painter (d);
  widget = bench_widget (window, view);
  g_print ("view size: %d × %d\n", gtk_widget_get_width (view), gtk_widget_get_height (view));
  g_print ("core painter to an image surface: %8.2f ms (baseline)\n", painter);
  g_print ("chart view snapshot + GSK cairo render: %8.2f ms (%.2f × baseline)\n", widget,
           widget / painter);
  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
