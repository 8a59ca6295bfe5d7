#define G_LOG_DOMAIN "sextant-chart-paint-curve"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "chart/sextant-chart-paint.h"
#include "chart/sextant-chart-private.h"

#define MAX_LEGEND 12

static SextantChartAxesOptions
curve_options (const SextantCurveChart *model)
{
  return (SextantChartAxesOptions) { SEXTANT_CHART_FORMAT_NUMBER, model->y_format,
                                     model->x_title, model->y_title, TRUE };
}

void
_sextant_chart_curve_layout (SextantChartCanvas      *canvas,
                             const SextantCurveChart *model,
                             double                   width,
                             double                   height,
                             SextantChartLayout      *layout)
{
  SextantChartAxesOptions options = curve_options (model);
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;

  for (gsize k = 0; k < model->n_series; k++)
    for (gsize i = 0; i < model->series[k].n; i++)
      {
        double x = model->series[k].x[i], y = model->series[k].y[i];

        if (!isfinite (x) || !isfinite (y))
          continue;
        x0 = MIN (x0, x), x1 = MAX (x1, x);
        y0 = MIN (y0, y), y1 = MAX (y1, y);
      }
  if (!isfinite (x0))
    x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  if (!(y1 > y0))
    y0 -= 0.5, y1 += 0.5;
  /* Maturities start at zero: the short end reads against the origin. */
  x0 = MIN (x0, 0);
  if (!(x1 > x0))
    x1 = x0 + 1;
  sextant_chart_nice_range (&x0, &x1, 8);
  y0 -= (y1 - y0) * 0.06, y1 += (y1 - y0) * 0.06;
  sextant_chart_nice_range (&y0, &y1, 6);
  layout->x_axis = (SextantChartAxis) { x0, x1, SEXTANT_CHART_SCALE_LINEAR };
  layout->y_axis = (SextantChartAxis) { y0, y1, SEXTANT_CHART_SCALE_LINEAR };
  _sextant_chart_plot_area (canvas, layout, &options,
                            _sextant_chart_content_top (canvas, model->title), width, height);
}

static void
paint_markers (SextantChartCanvas       *canvas,
               const SextantChartLayout *layout,
               const SextantCurveSeries *series,
               SextantChartColor         color)
{
  cairo_t *cr = canvas->cr;

  cairo_save (cr);
  cairo_rectangle (cr, layout->x - 4, layout->y - 4, layout->width + 8, layout->height + 8);
  cairo_clip (cr);
  _sextant_chart_set_color (cr, color);
  for (gsize i = 0; i < series->n; i++)
    {
      double x, y;

      if (!isfinite (series->x[i]) || !isfinite (series->y[i]))
        continue;
      x = sextant_chart_layout_to_device_x (layout, series->x[i]);
      y = sextant_chart_layout_to_device_y (layout, series->y[i]);
      /* Text leaves a current point behind, and cairo_arc() would draw a line from it. */
      cairo_new_path (cr);
      if (series->dashed)
        {
          /* The compared date's points are hollow, so both dates read apart in grey print. */
          cairo_arc (cr, x, y, 3.5, 0, 2 * G_PI);
          cairo_set_line_width (cr, 1.5);
          cairo_stroke (cr);
        }
      else
        {
          cairo_arc (cr, x, y, 3.5, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);
}

/* A line through the finite points, broken where a value is missing. */
static void
paint_line (SextantChartCanvas       *canvas,
            const SextantChartLayout *layout,
            const SextantCurveSeries *series,
            SextantChartColor         color)
{
  cairo_t *cr = canvas->cr;
  gsize start = 0;

  cairo_save (cr);
  if (series->dashed)
    cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
  while (start < series->n)
    {
      gsize end = start;

      while (end < series->n && isfinite (series->x[end]) && isfinite (series->y[end]))
        end++;
      if (end > start)
        _sextant_chart_line (canvas, layout, series->x + start, series->y + start, end - start,
                             color, canvas->style->line_width * 1.5);
      start = end + 1;
    }
  cairo_restore (cr);
}

/**
 * sextant_chart_paint_curve:
 * @cr: any cairo context
 * @model: the series
 * @style: colours and fonts
 * @width: the width to fill
 * @height: the height to fill
 *
 * Draws lines and point sets against a numeric x axis (a yield curve's maturities), each series
 * in its palette colour, dashed or hollow when it is a compared date's.
 */
void
sextant_chart_paint_curve (cairo_t                 *cr,
                           const SextantCurveChart *model,
                           const SextantChartStyle *style,
                           double                   width,
                           double                   height)
{
  SextantChartAxesOptions options;
  SextantChartCanvas canvas;
  SextantChartLayout layout;
  SextantChartLegendEntry legend[MAX_LEGEND];
  guint n_legend = 0;

  g_return_if_fail (cr != NULL && model != NULL && style != NULL);

  options = curve_options (model);
  _sextant_chart_canvas_init (&canvas, cr, style);
  _sextant_chart_background (&canvas, model->title, width, height);
  _sextant_chart_curve_layout (&canvas, model, width, height, &layout);
  _sextant_chart_axes (&canvas, &layout, &options);
  for (gsize k = 0; k < model->n_series; k++)
    {
      const SextantCurveSeries *series = &model->series[k];
      SextantChartColor color = style->palette[series->color % SEXTANT_CHART_PALETTE_SIZE];

      if (series->markers)
        paint_markers (&canvas, &layout, series, color);
      else
        paint_line (&canvas, &layout, series, color);
      if (n_legend < MAX_LEGEND && series->name != NULL)
        legend[n_legend++] = (SextantChartLegendEntry) {
          series->name, color, series->markers ? SEXTANT_CHART_LEGEND_DOT : SEXTANT_CHART_LEGEND_LINE
        };
    }
  _sextant_chart_legend (&canvas, &layout, legend, n_legend);
  _sextant_chart_canvas_clear (&canvas);
}
