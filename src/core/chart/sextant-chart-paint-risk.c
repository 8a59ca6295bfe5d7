#define G_LOG_DOMAIN "sextant-chart-paint-risk"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>

#include "chart/sextant-chart-paint.h"
#include "chart/sextant-chart-private.h"

/* Axis titles in the user's language, as the chart's other text. */
static SextantChartAxesOptions
histogram_options (void)
{
  return (SextantChartAxesOptions) { SEXTANT_CHART_FORMAT_PERCENT, SEXTANT_CHART_FORMAT_NUMBER,
                                     _("Return"), _("Frequency"), TRUE };
}

typedef struct
{
  double  lo;
  double  bin_width;
  guint   n_bins;
  guint  *counts;
  guint   max_count;
} Bins;

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Freedman–Diaconis: bin width 2·IQR·n^(−1/3), robust to the fat tails returns have. The
 * quartiles here only size bins, so the simple order statistics are enough. */
static guint
freedman_diaconis_bins (const double *sorted,
                        gsize         n)
{
  double iqr = sorted[(3 * n) / 4] - sorted[n / 4];
  double h = 2 * iqr / cbrt ((double) n);

  if (!(h > 0))
    return 20;
  return CLAMP ((guint) ceil ((sorted[n - 1] - sorted[0]) / h), 10, 100);
}

static gboolean
bins_compute (const SextantHistogramChart *model,
              Bins                        *bins)
{
  g_autofree double *sorted = g_new (double, MAX (model->n, 1));
  gsize m = 0;

  for (gsize i = 0; i < model->n; i++)
    if (isfinite (model->returns[i]))
      sorted[m++] = model->returns[i];
  if (m < 2)
    return FALSE;
  qsort (sorted, m, sizeof (double), compare_doubles);

  bins->n_bins = model->n_bins > 0 ? model->n_bins : freedman_diaconis_bins (sorted, m);
  bins->lo = sorted[0];
  bins->bin_width = (sorted[m - 1] - sorted[0]) / bins->n_bins;
  if (!(bins->bin_width > 0))
    bins->bin_width = 1e-3;
  bins->counts = g_new0 (guint, bins->n_bins);
  bins->max_count = 0;
  for (gsize i = 0; i < m; i++)
    {
      guint b = MIN ((guint) ((sorted[i] - bins->lo) / bins->bin_width), bins->n_bins - 1);

      bins->max_count = MAX (bins->max_count, ++bins->counts[b]);
    }

  return TRUE;
}

static void
histogram_layout_bins (SextantChartCanvas          *canvas,
                       const SextantHistogramChart *model,
                       const Bins                  *bins,
                       double                       width,
                       double                       height,
                       SextantChartLayout          *layout)
{
  SextantChartAxesOptions options = histogram_options ();
  double x0 = bins->lo, x1 = bins->lo + bins->bin_width * bins->n_bins;
  double y0 = 0, y1 = bins->max_count;

  if (isfinite (model->es))
    x0 = MIN (x0, -model->es);
  if (isfinite (model->var))
    x0 = MIN (x0, -model->var);
  x0 -= bins->bin_width, x1 += bins->bin_width;
  /* Head room for the VaR and ES labels above the tallest bar. */
  y1 *= 1.25;
  sextant_chart_nice_range (&y0, &y1, 6);
  layout->x_axis = (SextantChartAxis) { x0, x1, SEXTANT_CHART_SCALE_LINEAR };
  layout->y_axis = (SextantChartAxis) { 0, y1, SEXTANT_CHART_SCALE_LINEAR };
  _sextant_chart_plot_area (canvas, layout, &options,
                            _sextant_chart_content_top (canvas, model->title), width, height);
}

void
_sextant_chart_histogram_layout (SextantChartCanvas          *canvas,
                                 const SextantHistogramChart *model,
                                 double                       width,
                                 double                       height,
                                 SextantChartLayout          *layout)
{
  Bins bins = { 0 };

  if (!bins_compute (model, &bins))
    bins = (Bins) { -0.01, 0.002, 10, NULL, 1 };
  histogram_layout_bins (canvas, model, &bins, width, height, layout);
  g_free (bins.counts);
}

static void
risk_marker (SextantChartCanvas       *canvas,
             const SextantChartLayout *layout,
             double                    loss,
             const char               *name,
             double                    confidence,
             int                       row)
{
  double x = floor (sextant_chart_layout_to_device_x (layout, -loss)) + 0.5, w, h;
  double y = layout->y + 4 + row * (canvas->line_height + 6);
  SextantChartColor box = canvas->style->background;
  char text[64];

  cairo_save (canvas->cr);
  if (row == 1)
    cairo_set_dash (canvas->cr, (double[]) { 5, 3 }, 2, 0);
  _sextant_chart_set_color (canvas->cr, canvas->style->highlight);
  cairo_set_line_width (canvas->cr, 2);
  cairo_move_to (canvas->cr, x, layout->y + layout->height);
  cairo_line_to (canvas->cr, x, y);
  cairo_stroke (canvas->cr);
  cairo_restore (canvas->cr);

  g_snprintf (text, sizeof text, "%s %.0f%%: %.2f%%", name, confidence * 100, loss * 100);
  _sextant_chart_text_size (canvas, text, FALSE, &w, &h);
  /* VaR is labelled right of its line; ES, further out in the tail, left of its own where
   * there is room, so neither label crosses the other line. */
  if (row == 1 && x - w - 12 > layout->x)
    x -= w + 14;
  box.alpha = 0.85;
  _sextant_chart_set_color (canvas->cr, box);
  cairo_rectangle (canvas->cr, x + 4, y, w + 6, h);
  cairo_fill (canvas->cr);
  _sextant_chart_text (canvas, text, x + 7, y, 0, 0, canvas->style->highlight, FALSE);
}

/**
 * sextant_chart_paint_histogram:
 * @cr: any cairo context
 * @model: the returns and risk figures
 * @style: colours and fonts
 * @width: the width to fill
 * @height: the height to fill
 *
 * Draws the distribution of returns with the tail beyond VaR in the negative colour, and VaR
 * (solid) and expected shortfall (dashed) as labelled vertical lines at −VaR and −ES.
 */
void
sextant_chart_paint_histogram (cairo_t                     *cr,
                               const SextantHistogramChart *model,
                               const SextantChartStyle     *style,
                               double                       width,
                               double                       height)
{
  SextantChartAxesOptions options = histogram_options ();
  SextantChartCanvas canvas;
  SextantChartLayout layout;
  Bins bins = { 0 };

  g_return_if_fail (cr != NULL && model != NULL && style != NULL);

  _sextant_chart_canvas_init (&canvas, cr, style);
  _sextant_chart_background (&canvas, model->title, width, height);
  if (model->returns == NULL || !bins_compute (model, &bins))
    goto out;
  histogram_layout_bins (&canvas, model, &bins, width, height, &layout);
  _sextant_chart_axes (&canvas, &layout, &options);

  for (guint tail = 0; tail < 2; tail++)
    {
      for (guint b = 0; b < bins.n_bins; b++)
        {
          double left = bins.lo + b * bins.bin_width;
          double x0 = round (sextant_chart_layout_to_device_x (&layout, left));
          double x1 = round (sextant_chart_layout_to_device_x (&layout, left + bins.bin_width));
          double y = round (sextant_chart_layout_to_device_y (&layout, bins.counts[b]));
          gboolean in_tail = isfinite (model->var) && left + bins.bin_width / 2 < -model->var;

          if (in_tail == (tail == 1) && bins.counts[b] > 0)
            cairo_rectangle (cr, x0, y, MAX (1, x1 - x0 - 1), layout.y + layout.height - y);
        }
      _sextant_chart_set_color (cr, tail ? style->negative : style->palette[0]);
      cairo_fill (cr);
    }
  if (isfinite (model->var))
    /* Translators: value at risk, as a chart label */
    risk_marker (&canvas, &layout, model->var, _("VaR"), model->confidence, 0);
  if (isfinite (model->es))
    /* Translators: expected shortfall, as a chart label */
    risk_marker (&canvas, &layout, model->es, _("ES"), model->confidence, 1);

out:
  g_free (bins.counts);
  _sextant_chart_canvas_clear (&canvas);
}

static SextantChartAxesOptions
drawdown_options (void)
{
  return (SextantChartAxesOptions) { SEXTANT_CHART_FORMAT_DATE, SEXTANT_CHART_FORMAT_PERCENT, NULL,
                                     _("Drawdown"), TRUE };
}

void
_sextant_chart_drawdown_layout (SextantChartCanvas         *canvas,
                                const SextantDrawdownChart *model,
                                double                      width,
                                double                      height,
                                SextantChartLayout         *layout)
{
  SextantChartAxesOptions options = drawdown_options ();
  double lo = 0, hi = 0;
  gsize first = 0, last = 0;

  if (model->n > 0)
    {
      _sextant_chart_visible_range (model->n, model->first_visible, model->last_visible, &first,
                                    &last);
      _sextant_chart_data_range (model->drawdown, first, last, &lo, &hi);
    }
  lo *= 1.05;
  hi = 0;
  sextant_chart_nice_range (&lo, &hi, 6);
  layout->y_axis = (SextantChartAxis) { lo, 0, SEXTANT_CHART_SCALE_LINEAR };
  layout->x_axis = (SextantChartAxis) { model->n ? model->days[first] : 0,
                                        model->n ? model->days[last] : 1,
                                        SEXTANT_CHART_SCALE_LINEAR };
  if (layout->x_axis.max <= layout->x_axis.min)
    layout->x_axis.max = layout->x_axis.min + 1;
  _sextant_chart_plot_area (canvas, layout, &options,
                            _sextant_chart_content_top (canvas, model->title), width, height);
}

/**
 * sextant_chart_paint_drawdown:
 * @cr: any cairo context
 * @model: the drawdown series
 * @style: colours and fonts
 * @width: the width to fill
 * @height: the height to fill
 *
 * Draws the "underwater" chart: the area between zero and the drawdown, with the deepest point
 * marked and labelled.
 */
void
sextant_chart_paint_drawdown (cairo_t                    *cr,
                              const SextantDrawdownChart *model,
                              const SextantChartStyle    *style,
                              double                      width,
                              double                      height)
{
  SextantChartAxesOptions options = drawdown_options ();
  SextantChartCanvas canvas;
  SextantChartLayout layout;
  g_autofree double *xs = NULL, *zeros = NULL;
  SextantChartColor fill = style->negative;
  gsize worst, first, last, n;
  char text[64], date[16];

  g_return_if_fail (cr != NULL && model != NULL && style != NULL);

  _sextant_chart_canvas_init (&canvas, cr, style);
  _sextant_chart_background (&canvas, model->title, width, height);
  if (model->n < 2 || model->days == NULL || model->drawdown == NULL)
    goto out;
  _sextant_chart_drawdown_layout (&canvas, model, width, height, &layout);
  _sextant_chart_axes (&canvas, &layout, &options);

  /* The visible days only: the deepest point marked is the deepest one in view. */
  _sextant_chart_visible_range (model->n, model->first_visible, model->last_visible, &first, &last);
  n = last - first + 1;
  worst = first;
  xs = g_new (double, n);
  zeros = g_new0 (double, n);
  for (gsize i = first; i <= last; i++)
    {
      xs[i - first] = model->days[i];
      if (model->drawdown[i] < model->drawdown[worst])
        worst = i;
    }
  fill.alpha = 0.35;
  _sextant_chart_band (&canvas, &layout, xs, model->drawdown + first, zeros, n, fill);
  _sextant_chart_line (&canvas, &layout, xs, model->drawdown + first, n, style->negative,
                       style->line_width);

  sextant_chart_format_day (model->days[worst], date, sizeof date);
  /* Translators: the deepest drawdown in view, then its date */
  g_snprintf (text, sizeof text, _("Max drawdown %.1f%% (%s)"), model->drawdown[worst] * 100, date);
  {
    double x = sextant_chart_layout_to_device_x (&layout, model->days[worst]);
    double y = sextant_chart_layout_to_device_y (&layout, model->drawdown[worst]);
    double w;

    cairo_new_path (cr);
    cairo_arc (cr, x, y, 4, 0, 2 * G_PI);
    _sextant_chart_set_color (cr, style->foreground);
    cairo_fill (cr);
    _sextant_chart_text_size (&canvas, text, FALSE, &w, NULL);
    /* Keep the label inside the plot: flip it to the left near the right edge. */
    _sextant_chart_text (&canvas, text, x + w + 8 < layout.x + layout.width ? x + 8 : x - 8 - w,
                         y - canvas.line_height - 2, 0, 0, style->foreground, FALSE);
  }

out:
  _sextant_chart_canvas_clear (&canvas);
}

void
_sextant_chart_fan_layout (SextantChartCanvas    *canvas,
                           const SextantFanChart *model,
                           double                 width,
                           double                 height,
                           SextantChartLayout    *layout)
{
  SextantChartAxesOptions options = { model->x_is_days ? SEXTANT_CHART_FORMAT_DATE
                                                       : SEXTANT_CHART_FORMAT_NUMBER,
                                      model->y_format, model->x_is_days ? NULL : _("Days ahead"),
                                      NULL, TRUE };
  double lo = INFINITY, hi = -INFINITY, pad;
  gsize first = 0, last = 0;

  if (model->n > 0)
    {
      _sextant_chart_visible_range (model->n, model->first_visible, model->last_visible, &first,
                                    &last);
      _sextant_chart_data_range (model->p5, first, last, &lo, &hi);
      _sextant_chart_data_range (model->p95, first, last, &lo, &hi);
    }
  if (!isfinite (lo) || hi <= lo)
    lo = 0, hi = 1;
  pad = (hi - lo) * 0.05;
  layout->y_axis = (SextantChartAxis) { lo - pad, hi + pad, SEXTANT_CHART_SCALE_LINEAR };
  layout->x_axis = (SextantChartAxis) { model->n ? model->x[first] : 0,
                                        last > first ? model->x[last] : model->x[first] + 1,
                                        SEXTANT_CHART_SCALE_LINEAR };
  _sextant_chart_plot_area (canvas, layout, &options,
                            _sextant_chart_content_top (canvas, model->title), width, height);
}

/**
 * sextant_chart_paint_fan:
 * @cr: any cairo context
 * @model: the percentile paths
 * @style: colours and fonts
 * @width: the width to fill
 * @height: the height to fill
 *
 * Draws a Monte Carlo fan: the 5–95 % band lightly shaded, the 25–75 % band darker and the median
 * as a line.
 */
void
sextant_chart_paint_fan (cairo_t                 *cr,
                         const SextantFanChart   *model,
                         const SextantChartStyle *style,
                         double                   width,
                         double                   height)
{
  SextantChartAxesOptions options = { model->x_is_days ? SEXTANT_CHART_FORMAT_DATE
                                                       : SEXTANT_CHART_FORMAT_NUMBER,
                                      model->y_format, model->x_is_days ? NULL : _("Days ahead"),
                                      NULL, TRUE };
  SextantChartCanvas canvas;
  SextantChartLayout layout;
  SextantChartColor outer = style->palette[0], inner = style->palette[0];
  gsize first, last, n;

  g_return_if_fail (cr != NULL && model != NULL && style != NULL);

  _sextant_chart_canvas_init (&canvas, cr, style);
  _sextant_chart_background (&canvas, model->title, width, height);
  if (model->n < 2 || !model->x || !model->p5 || !model->p25 || !model->p50 || !model->p75 ||
      !model->p95)
    goto out;
  _sextant_chart_fan_layout (&canvas, model, width, height, &layout);
  _sextant_chart_axes (&canvas, &layout, &options);

  /* On a dark background the same alpha reads much fainter: the bands get more of it there. */
  outer.alpha = style->dark ? 0.30 : 0.18;
  inner.alpha = style->dark ? 0.55 : 0.40;
  _sextant_chart_visible_range (model->n, model->first_visible, model->last_visible, &first, &last);
  n = last - first + 1;
  _sextant_chart_band (&canvas, &layout, model->x + first, model->p5 + first, model->p95 + first,
                       n, outer);
  _sextant_chart_band (&canvas, &layout, model->x + first, model->p25 + first, model->p75 + first,
                       n, inner);
  _sextant_chart_line (&canvas, &layout, model->x + first, model->p50 + first, n, style->palette[0],
                       style->line_width * 1.3);
  {
    SextantChartLegendEntry legend[] = {
      { "5–95%", outer, SEXTANT_CHART_LEGEND_BOX },
      { "25–75%", inner, SEXTANT_CHART_LEGEND_BOX },
      { _("Median"), style->palette[0], SEXTANT_CHART_LEGEND_LINE },
    };

    _sextant_chart_legend (&canvas, &layout, legend, G_N_ELEMENTS (legend));
  }

out:
  _sextant_chart_canvas_clear (&canvas);
}
