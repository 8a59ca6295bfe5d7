#define G_LOG_DOMAIN "sextant-chart-paint-timeseries"

#include "config.h"

#include <math.h>

#include "chart/sextant-chart-paint.h"
#include "chart/sextant-chart-private.h"

#define PANE_GAP 14.0

static void
lines_range (const SextantTimeSeriesChart *model,
             gsize                         first,
             gsize                         last,
             double                       *lo,
             double                       *hi)
{
  *lo = 0, *hi = 0;
  for (gsize k = 0; k < model->n_lines; k++)
    if (model->lines[k].n == model->n)
      _sextant_chart_data_range (model->lines[k].y, first, last, lo, hi);
  *hi = *hi > 0 ? *hi * 1.1 : 1;
  sextant_chart_nice_range (lo, hi, 5);
}

/**
 * _sextant_chart_timeseries_layout:
 * @upper: (out): the bars' pane (zero height when there are no bars)
 * @lower: (out): the lines' pane (zero height when there are no lines)
 */
void
_sextant_chart_timeseries_layout (SextantChartCanvas           *canvas,
                                  const SextantTimeSeriesChart *model,
                                  double                        width,
                                  double                        height,
                                  SextantChartLayout           *upper,
                                  SextantChartLayout           *lower)
{
  SextantChartAxesOptions options = { SEXTANT_CHART_FORMAT_TIME, SEXTANT_CHART_FORMAT_NUMBER,
                                      NULL, NULL, TRUE, TRUE };
  gboolean has_bars = model->bars != NULL, has_lines = model->n_lines > 0;
  double lo = 0, hi = 0, step, total, top;
  gsize first = 0, last = 0;

  if (model->n > 0)
    _sextant_chart_visible_range (model->n, model->first_visible, model->last_visible, &first,
                                  &last);
  step = last > first ? (model->times[last] - model->times[first]) / (last - first) : 60;
  /* Half a bucket either side, so the first and last bars are not cut in half. */
  upper->x_axis = (SextantChartAxis) { model->n ? model->times[first] - step / 2 : 0,
                                       model->n ? model->times[last] + step / 2 : 60,
                                       SEXTANT_CHART_SCALE_LINEAR };
  if (has_bars && model->n > 0)
    _sextant_chart_data_range (model->bars, first, last, &lo, &hi);
  hi = hi > 0 ? hi * 1.1 : 1;
  sextant_chart_nice_range (&lo, &hi, 5);
  upper->y_axis = (SextantChartAxis) { 0, hi, SEXTANT_CHART_SCALE_LINEAR };
  lower->x_axis = upper->x_axis;
  lines_range (model, first, last, &lo, &hi);
  lower->y_axis = (SextantChartAxis) { lo, hi, SEXTANT_CHART_SCALE_LINEAR };

  /* The pane with the larger labels sets the left margin for both. */
  top = _sextant_chart_content_top (canvas, model->title);
  _sextant_chart_plot_area (canvas, lower, &options, top, width, height);
  _sextant_chart_plot_area (canvas, upper, &options, top, width, height);
  upper->x = lower->x = MAX (upper->x, lower->x);
  upper->width = lower->width = MIN (upper->width, lower->width);

  total = upper->height;
  if (has_bars && has_lines)
    {
      upper->height = round ((total - PANE_GAP) / 2);
      lower->y = upper->y + upper->height + PANE_GAP;
      lower->height = total - upper->height - PANE_GAP;
    }
  else if (has_bars)
    lower->height = 0;
  else
    upper->height = 0;
}

static void
paint_title_in_pane (SextantChartCanvas       *canvas,
                     const SextantChartLayout *layout,
                     const char               *title)
{
  SextantChartColor box = canvas->style->background;
  double w, h;

  if (title == NULL)
    return;
  _sextant_chart_text_size (canvas, title, FALSE, &w, &h);
  box.alpha = 0.85;
  _sextant_chart_set_color (canvas->cr, box);
  cairo_rectangle (canvas->cr, layout->x + layout->width - w - 10, layout->y + 2, w + 8, h);
  cairo_fill (canvas->cr);
  _sextant_chart_text (canvas, title, layout->x + layout->width - 6, layout->y + 2, 1, 0,
                       canvas->style->foreground, FALSE);
}

/* A value with gaps on both sides (a lone busy minute among idle ones) makes no line segment:
 * it gets a dot, or sparse latency would not show at all. */
static void
paint_isolated_points (SextantChartCanvas       *canvas,
                       const SextantChartLayout *layout,
                       const double             *xs,
                       const double             *ys,
                       gsize                     n,
                       SextantChartColor         color)
{
  double radius = canvas->style->line_width + 1.5;

  _sextant_chart_set_color (canvas->cr, color);
  for (gsize i = 0; i < n; i++)
    if (isfinite (ys[i]) && (i == 0 || !isfinite (ys[i - 1])) && (i + 1 == n || !isfinite (ys[i + 1])))
      {
        cairo_new_sub_path (canvas->cr);
        cairo_arc (canvas->cr, sextant_chart_layout_to_device_x (layout, xs[i]),
                   sextant_chart_layout_to_device_y (layout, ys[i]), radius, 0, 2 * G_PI);
      }
  cairo_fill (canvas->cr);
}

/**
 * sextant_chart_paint_timeseries:
 * @cr: any cairo context
 * @model: the buckets
 * @style: colours and fonts
 * @width: the width to fill
 * @height: the height to fill
 *
 * Draws the monitoring view: counts per bucket as bars above, and lines (latency percentiles)
 * below, on a shared clock axis.
 */
void
sextant_chart_paint_timeseries (cairo_t                      *cr,
                                const SextantTimeSeriesChart *model,
                                const SextantChartStyle      *style,
                                double                        width,
                                double                        height)
{
  SextantChartAxesOptions options = { SEXTANT_CHART_FORMAT_TIME, SEXTANT_CHART_FORMAT_NUMBER,
                                      NULL, NULL, TRUE, TRUE };
  SextantChartCanvas canvas;
  SextantChartLayout upper, lower;
  SextantChartLegendEntry legend[8];
  guint n_legend = 0;
  gsize first, last, n;

  g_return_if_fail (cr != NULL && model != NULL && style != NULL);

  _sextant_chart_canvas_init (&canvas, cr, style);
  _sextant_chart_background (&canvas, model->title, width, height);
  if (model->n == 0 || model->times == NULL)
    goto out;
  _sextant_chart_timeseries_layout (&canvas, model, width, height, &upper, &lower);
  _sextant_chart_visible_range (model->n, model->first_visible, model->last_visible, &first, &last);
  n = last - first + 1;

  if (upper.height > 0)
    {
      options.x_labels = lower.height == 0;
      _sextant_chart_axes (&canvas, &upper, &options);
      _sextant_chart_bars (&canvas, &upper, model->times + first, model->bars + first, n,
                           style->palette[0], style->negative);
      paint_title_in_pane (&canvas, &upper, model->bars_label);
    }
  if (lower.height > 0)
    {
      options.x_labels = TRUE;
      _sextant_chart_axes (&canvas, &lower, &options);
      for (gsize k = 0; k < model->n_lines && n_legend < G_N_ELEMENTS (legend); k++)
        {
          SextantChartColor color = sextant_chart_style_get_series_color (style, k + 1);

          if (model->lines[k].n != model->n)
            continue;
          _sextant_chart_line (&canvas, &lower, model->times + first, model->lines[k].y + first, n,
                               color, style->line_width);
          paint_isolated_points (&canvas, &lower, model->times + first, model->lines[k].y + first, n,
                                 color);
          legend[n_legend++] = (SextantChartLegendEntry) { model->lines[k].name, color,
                                                           SEXTANT_CHART_LEGEND_LINE };
        }
      _sextant_chart_legend (&canvas, &lower, legend, n_legend);
      paint_title_in_pane (&canvas, &lower, model->lines_label);
    }

out:
  _sextant_chart_canvas_clear (&canvas);
}
