#define G_LOG_DOMAIN "bench-charts"

#include "config.h"

#include <math.h>

#include "sextant-core.h"

/* Chart drawing speed on a 1920 × 1080 image surface, against two baselines measured in the same
 * run: one cairo_paint() of the whole surface (the floor of any full redraw) and a plain polyline
 * of 2 × width points (what a decimated line costs). Each figure is the fastest of repeated draws
 * after a warm-up that loads the fonts (the machine is shared, and the minimum is the figure
 * least disturbed by other work); the median is printed beside it. Nothing is asserted: the
 * targets are for reading. */

#define WIDTH 1920
#define HEIGHT 1080

typedef void (*DrawFunc) (cairo_t *cr, gpointer data);

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  double best;
  double median;
} Timing;

static Timing
time_ms (cairo_surface_t *surface,
         DrawFunc         draw,
         gpointer         data,
         guint            runs)
{
  double times[128];

  runs = MIN (runs, G_N_ELEMENTS (times));
  for (guint i = 0; i <= runs; i++)
    {
      cairo_t *cr = cairo_create (surface);
      gint64 start = g_get_monotonic_time ();

      draw (cr, data);
      cairo_surface_flush (surface);
      if (i > 0)
        times[i - 1] = (g_get_monotonic_time () - start) / 1000.0;
      cairo_destroy (cr);
    }
  qsort (times, runs, sizeof (double), compare_doubles);

  return (Timing) { times[0], times[runs / 2] };
}

static void
draw_fill_cb (cairo_t  *cr,
              gpointer  data)
{
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
}

static void
draw_polyline_cb (cairo_t  *cr,
                  gpointer  data)
{
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  /* A smooth wave with a few pixels of noise: what a decimated price line looks like. */
  cairo_move_to (cr, 0, HEIGHT / 2);
  for (guint i = 0; i < 2 * WIDTH; i++)
    cairo_line_to (cr, i / 2.0, HEIGHT / 2 + 300 * sin (i * 0.002) + ((i * 2654435761u) % 9));
  cairo_set_source_rgb (cr, 0, 0, 0.7);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
}

typedef struct
{
  SextantChartKind         kind;
  gconstpointer            model;
  const SextantChartStyle *style;
} ChartJob;

static void
draw_chart_cb (cairo_t  *cr,
               gpointer  data)
{
  ChartJob *job = data;

  sextant_chart_paint (cr, job->kind, job->model, job->style, WIDTH, HEIGHT);
}

static void
moving_average (const double *x,
                gsize         n,
                gsize         window,
                double       *out)
{
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    {
      sum += x[i];
      if (i >= window)
        sum -= x[i - window];
      out[i] = i + 1 >= window ? sum / window : NAN;
    }
}

typedef struct
{
  gint32 *days;
  double *open, *high, *low, *close, *volume, *ma[3], *osc;
} Candles;

/* 2,520 sessions (ten years) of a seeded random walk, weekdays only. */
static void
make_candles (Candles *c,
              gsize    n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  double price = 100;
  gint32 day = sextant_day_from_ymd (2010, 1, 4);

  c->days = g_new (gint32, n);
  c->open = g_new (double, n), c->high = g_new (double, n), c->low = g_new (double, n);
  c->close = g_new (double, n), c->volume = g_new (double, n), c->osc = g_new (double, n);
  for (guint k = 0; k < 3; k++)
    c->ma[k] = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    {
      double next = price * exp (g_rand_double_range (rand, -0.02, 0.021));

      c->days[i] = day;
      day += ((day + 3) % 7 == 4) ? 3 : 1;  /* Friday → Monday */
      c->open[i] = price, c->close[i] = next;
      c->high[i] = MAX (price, next) * (1 + g_rand_double_range (rand, 0, 0.01));
      c->low[i] = MIN (price, next) * (1 - g_rand_double_range (rand, 0, 0.01));
      c->volume[i] = g_rand_double_range (rand, 1e6, 5e6);
      c->osc[i] = 50 + 30 * sin (i * 0.1);
      price = next;
    }
  moving_average (c->close, n, 20, c->ma[0]);
  moving_average (c->close, n, 50, c->ma[1]);
  moving_average (c->close, n, 200, c->ma[2]);
}

static void
candles_free (Candles *c)
{
  g_free (c->days), g_free (c->open), g_free (c->high), g_free (c->low), g_free (c->close);
  g_free (c->volume), g_free (c->osc);
  for (guint k = 0; k < 3; k++)
    g_free (c->ma[k]);
}

static void
report (const char *name,
        Timing      t,
        double      target,
        Timing      fill,
        Timing      line)
{
  g_print ("%-42s %7.3f ms (median %7.3f)  target <= %g ms; x%.1f a full-surface paint, "
           "x%.2f a %d-point polyline\n", name, t.best, t.median, target, t.best / fill.best,
           t.best / line.best, 2 * WIDTH);
}

int
main (int   argc,
      char *argv[])
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  const gsize n_candles = 2520, n_points = 1000000, n_assets = 50;
  double guides[2] = { 30, 70 };
  Timing fill, line;
  Candles c;
  SextantChartSeries overlays[3], osc_line;
  SextantChartPane panes[2];
  SextantPriceChart price = { 0 };
  SextantTimeSeriesChart series = { 0 };
  SextantHeatmapChart heatmap = { 0 };
  SextantChartSeries big_line;
  g_autofree double *times = g_new (double, n_points);
  g_autofree double *values = g_new (double, n_points);
  g_autofree double *matrix = g_new (double, n_assets * n_assets);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  ChartJob job = { 0, NULL, style };

  fill = time_ms (surface, draw_fill_cb, NULL, 101);
  line = time_ms (surface, draw_polyline_cb, NULL, 51);
  g_print ("%-42s %7.3f ms (median %7.3f)\n%-42s %7.3f ms (median %7.3f)\n",
           "baseline: cairo_paint of 1920x1080", fill.best, fill.median,
           "baseline: 3840-point polyline", line.best, line.median);

  make_candles (&c, n_candles);
  overlays[0] = (SextantChartSeries) { "SMA(20)", c.ma[0], n_candles };
  overlays[1] = (SextantChartSeries) { "SMA(50)", c.ma[1], n_candles };
  overlays[2] = (SextantChartSeries) { "SMA(200)", c.ma[2], n_candles };
  osc_line = (SextantChartSeries) { "RSI(14)", c.osc, n_candles };
  panes[0] = (SextantChartPane) { .title = "Volume", .bars = c.volume };
  panes[1] = (SextantChartPane) { .title = "RSI(14)", .lines = &osc_line, .n_lines = 1,
                                  .guides = guides, .n_guides = 2, .min = 0, .max = 100 };
  price = (SextantPriceChart) { .symbol = "BENCH", .style = SEXTANT_PRICE_CHART_CANDLES,
                                .n = n_candles, .days = c.days, .open = c.open, .high = c.high, .low = c.low,
                                .close = c.close, .overlays = overlays, .n_overlays = 3,
                                .panes = panes, .n_panes = 2 };
  job.kind = SEXTANT_CHART_KIND_PRICE, job.model = &price;
  report ("2,520 candles, 3 overlays, 2 sub-panes",
          time_ms (surface, draw_chart_cb, &job, 101), 4, fill, line);

  /* A million one-second samples of a noisy sine. */
  for (gsize i = 0; i < n_points; i++)
    {
      times[i] = 1.7e9 + i;
      values[i] = sin (i * 1e-4) * 100 + ((i * 2654435761u) % 1000) / 50.0;
    }
  big_line = (SextantChartSeries) { "signal", values, n_points };
  series = (SextantTimeSeriesChart) { .title = "1,000,000 points", .times = times, .n = n_points,
                                      .lines = &big_line, .n_lines = 1, .lines_label = "value" };
  job.kind = SEXTANT_CHART_KIND_TIMESERIES, job.model = &series;
  report ("1,000,000-point line (min/max decimation)",
          time_ms (surface, draw_chart_cb, &job, 41), 15, fill, line);

  for (gsize i = 0; i < n_assets; i++)
    {
      g_ptr_array_add (labels, g_strdup_printf ("A%02" G_GSIZE_FORMAT, i));
      for (gsize j = 0; j < n_assets; j++)
        matrix[i * n_assets + j] = i == j ? 1 : cos ((double) (i * 7 + j * 3)) * 0.9;
    }
  heatmap = (SextantHeatmapChart) { "50 x 50 correlations", (const char * const *) labels->pdata,
                                    matrix, n_assets, -1, 1, TRUE };
  job.kind = SEXTANT_CHART_KIND_HEATMAP, job.model = &heatmap;
  report ("50x50 correlation heatmap", time_ms (surface, draw_chart_cb, &job, 101), 2,
          fill, line);

  candles_free (&c);
  cairo_surface_destroy (surface);

  return 0;
}
