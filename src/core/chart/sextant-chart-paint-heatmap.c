#define G_LOG_DOMAIN "sextant-chart-paint-heatmap"

#include "config.h"

#include <math.h>

#include "sextant-chart-paint.h"
#include "sextant-chart-private.h"

#define SCALE_WIDTH 14.0

/**
 * sextant_chart_heatmap_color:
 *
 * Diverging scale: @heat_low at @min, @heat_mid halfway, @heat_high at @max.
 */
static SextantChartColor
heat_color (const SextantChartStyle   *style,
            const SextantHeatmapChart *model,
            double                     value)
{
  double t = model->max > model->min ? (value - model->min) / (model->max - model->min) : 0.5;

  if (!isfinite (t))
    return style->grid;
  t = CLAMP (t, 0, 1);
  if (t < 0.5)
    return sextant_chart_color_mix (style->heat_low, style->heat_mid, t * 2);

  return sextant_chart_color_mix (style->heat_mid, style->heat_high, t * 2 - 1);
}

static double
widest_label (SextantChartCanvas        *canvas,
              const SextantHeatmapChart *model)
{
  double widest = 0;

  for (gsize i = 0; i < model->n; i++)
    {
      double w;

      _sextant_chart_text_size (canvas, model->labels[i], FALSE, &w, NULL);
      widest = MAX (widest, w);
    }

  return widest;
}

static void
paint_cells (SextantChartCanvas        *canvas,
             const SextantHeatmapChart *model,
             double                     x0,
             double                     y0,
             double                     cell)
{
  cairo_t *cr = canvas->cr;
  gboolean values = model->show_values && cell >= canvas->style->font_size * 3.2;

  for (gsize r = 0; r < model->n; r++)
    for (gsize c = 0; c < model->n; c++)
      {
        double v = model->values[r * model->n + c];
        SextantChartColor color = heat_color (canvas->style, model, v);

        /* Cells on whole pixels, 1 px apart: no seams of blended colour between them. */
        cairo_rectangle (cr, round (x0 + c * cell), round (y0 + r * cell),
                         round (x0 + (c + 1) * cell) - round (x0 + c * cell) - (cell >= 6 ? 1 : 0),
                         round (y0 + (r + 1) * cell) - round (y0 + r * cell) - (cell >= 6 ? 1 : 0));
        _sextant_chart_set_color (cr, color);
        cairo_fill (cr);
        if (values && isfinite (v))
          {
            char text[16];
            SextantChartColor ink = sextant_chart_color_luminance (color) > 0.3
                                    ? sextant_chart_color_from_hex (0x000000, 1)
                                    : sextant_chart_color_from_hex (0xffffff, 1);

            g_snprintf (text, sizeof text, "%.2f", v);
            _sextant_chart_text (canvas, text, x0 + (c + 0.5) * cell, y0 + (r + 0.5) * cell, 0.5, 0.5,
                                 ink, FALSE);
          }
      }
}

static void
paint_labels (SextantChartCanvas        *canvas,
              const SextantHeatmapChart *model,
              double                     x0,
              double                     y0,
              double                     cell,
              gboolean                   rotated)
{
  /* Labels are left out when cells are smaller than a line of text: they would overlap. */
  if (cell < canvas->line_height * 0.9)
    return;
  for (gsize i = 0; i < model->n; i++)
    {
      _sextant_chart_text (canvas, model->labels[i], x0 - 6, y0 + (i + 0.5) * cell, 1, 0.5,
                           canvas->style->axis_text, FALSE);
      if (rotated)
        {
          double w;

          _sextant_chart_text_size (canvas, model->labels[i], FALSE, &w, NULL);
          _sextant_chart_text_rotated (canvas, model->labels[i], x0 + (i + 0.5) * cell,
                                       y0 - 6 - w / 2, canvas->style->axis_text);
        }
      else
        _sextant_chart_text (canvas, model->labels[i], x0 + (i + 0.5) * cell, y0 - 4, 0.5, 1,
                             canvas->style->axis_text, FALSE);
    }
}

static void
paint_scale (SextantChartCanvas        *canvas,
             const SextantHeatmapChart *model,
             double                     x,
             double                     y,
             double                     height)
{
  cairo_pattern_t *gradient = cairo_pattern_create_linear (0, y + height, 0, y);
  SextantChartLayout layout = { x, y, SCALE_WIDTH, height, { 0, 1, 0 },
                                { model->min, model->max, SEXTANT_CHART_SCALE_LINEAR } };
  SextantChartTicks ticks;

  for (guint i = 0; i <= 8; i++)
    {
      SextantChartColor c = heat_color (canvas->style, model,
                                        model->min + (model->max - model->min) * i / 8.0);

      cairo_pattern_add_color_stop_rgba (gradient, i / 8.0, c.red, c.green, c.blue, c.alpha);
    }
  cairo_rectangle (canvas->cr, x, y, SCALE_WIDTH, height);
  cairo_set_source (canvas->cr, gradient);
  cairo_fill (canvas->cr);
  cairo_pattern_destroy (gradient);

  sextant_chart_ticks_linear (&ticks, model->min, model->max, 5, SEXTANT_CHART_FORMAT_NUMBER);
  for (guint i = 0; i < ticks.n; i++)
    _sextant_chart_text (canvas, ticks.labels[i], x + SCALE_WIDTH + 5,
                         sextant_chart_layout_to_device_y (&layout, ticks.values[i]), 0, 0.5,
                         canvas->style->axis_text, FALSE);
}

/**
 * sextant_chart_paint_heatmap:
 * @cr: any cairo context
 * @model: the matrix and its labels
 * @style: colours and fonts
 * @width: the width to fill
 * @height: the height to fill
 *
 * Draws a square matrix (a correlation matrix) as coloured cells on a diverging scale, with row
 * and column labels, optional values in the cells, and the colour scale on the right.
 */
void
sextant_chart_paint_heatmap (cairo_t                   *cr,
                             const SextantHeatmapChart *model,
                             const SextantChartStyle   *style,
                             double                     width,
                             double                     height)
{
  SextantChartCanvas canvas;
  double top, label_w, cell, x0, y0, column_h, scale_room;
  gboolean rotated;

  g_return_if_fail (cr != NULL && model != NULL && style != NULL);

  _sextant_chart_canvas_init (&canvas, cr, style);
  top = _sextant_chart_background (&canvas, model->title, width, height);
  if (model->n == 0 || model->values == NULL || model->labels == NULL)
    goto out;

  label_w = widest_label (&canvas, model);
  scale_room = SCALE_WIDTH + 16 + canvas.style->font_size * 3;
  /* Column labels stand upright when they are wider than a cell would be. */
  cell = MIN ((width - label_w - 18 - scale_room) / model->n,
              (height - top - canvas.line_height * 1.5 - 12) / model->n);
  rotated = label_w > cell - 4;
  column_h = rotated ? label_w + 10 : canvas.line_height + 6;
  cell = MAX (1, MIN ((width - label_w - 18 - scale_room) / model->n,
                      (height - top - column_h - canvas.line_height / 2 - 8) / model->n));
  x0 = round (12 + label_w + 6);
  y0 = round (top + column_h);
  if (cell < canvas.line_height * 0.9)
    x0 = 12, cell = MAX (1, MIN ((width - 12 - scale_room) / model->n, (height - top - canvas.line_height / 2 - 8) / model->n)),
    y0 = round (top);

  paint_cells (&canvas, model, x0, y0, cell);
  paint_labels (&canvas, model, x0, y0, cell, rotated);
  paint_scale (&canvas, model, x0 + cell * model->n + 16, y0, cell * model->n);

out:
  _sextant_chart_canvas_clear (&canvas);
}
