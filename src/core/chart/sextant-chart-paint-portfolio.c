#define G_LOG_DOMAIN "sextant-chart-paint-portfolio"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "chart/sextant-chart-paint.h"
#include "chart/sextant-chart-private.h"

/* Axis titles in the user's language, as the chart's other text. */
static SextantChartAxesOptions
frontier_options (void)
{
  return (SextantChartAxesOptions) { SEXTANT_CHART_FORMAT_PERCENT, SEXTANT_CHART_FORMAT_PERCENT,
                                     _("Volatility"), _("Expected return"), TRUE };
}

static void
include_point (const SextantChartPoint *p,
               double                  *x0,
               double                  *x1,
               double                  *y0,
               double                  *y1)
{
  if (p == NULL || !isfinite (p->x) || !isfinite (p->y))
    return;
  *x0 = MIN (*x0, p->x), *x1 = MAX (*x1, p->x);
  *y0 = MIN (*y0, p->y), *y1 = MAX (*y1, p->y);
}

void
_sextant_chart_frontier_layout (SextantChartCanvas         *canvas,
                                const SextantFrontierChart *model,
                                double                      width,
                                double                      height,
                                SextantChartLayout         *layout)
{
  SextantChartAxesOptions options = frontier_options ();
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;

  for (gsize i = 0; i < model->n; i++)
    include_point (&(SextantChartPoint) { NULL, model->risk[i], model->ret[i] }, &x0, &x1, &y0,
                   &y1);
  for (gsize i = 0; i < model->n_assets; i++)
    include_point (&model->assets[i], &x0, &x1, &y0, &y1);
  include_point (model->chosen, &x0, &x1, &y0, &y1);
  include_point (model->current, &x0, &x1, &y0, &y1);
  if (!isfinite (x0))
    x0 = 0, x1 = 1, y0 = 0, y1 = 1;

  /* Volatility starts at zero so distances from the origin (Sharpe ratios) read true. */
  x0 = 0;
  x1 += (x1 - x0) * 0.08;
  sextant_chart_nice_range (&x0, &x1, 6);
  y0 -= (y1 - y0) * 0.08, y1 += (y1 - y0) * 0.08;
  sextant_chart_nice_range (&y0, &y1, 6);
  layout->x_axis = (SextantChartAxis) { x0, x1, SEXTANT_CHART_SCALE_LINEAR };
  layout->y_axis = (SextantChartAxis) { y0, y1, SEXTANT_CHART_SCALE_LINEAR };
  _sextant_chart_plot_area (canvas, layout, &options,
                            _sextant_chart_content_top (canvas, model->title), width, height);
}

typedef struct
{
  double x0, y0, x1, y1;
} Box;

/* Labels go right of their point, else left, above or below; if none of those is free the
 * label is dropped rather than drawn over another label or point (the accessible description
 * and the crosshair still name it). */
static void
point_label (SextantChartCanvas *canvas,
             const char         *label,
             double              x,
             double              y,
             Box                *placed,
             guint              *n_placed,
             SextantChartColor   color)
{
  double w, h;

  if (label == NULL)
    return;
  _sextant_chart_text_size (canvas, label, FALSE, &w, &h);
  for (int side = 0; side < 4; side++)
    {
      Box b = side == 0 ? (Box) { x + 7, y - h / 2, 0, 0 }
            : side == 1 ? (Box) { x - 7 - w, y - h / 2, 0, 0 }
            : side == 2 ? (Box) { x - w / 2, y - 5 - h, 0, 0 }
                        : (Box) { x - w / 2, y + 5, 0, 0 };
      gboolean free = TRUE;

      b.x1 = b.x0 + w, b.y1 = b.y0 + h;
      for (guint i = 0; i < *n_placed && free; i++)
        free = b.x1 < placed[i].x0 || b.x0 > placed[i].x1 ||
               b.y1 < placed[i].y0 || b.y0 > placed[i].y1;
      if (!free)
        continue;
      _sextant_chart_text (canvas, label, b.x0, b.y0, 0, 0, color, FALSE);
      placed[(*n_placed)++] = b;
      return;
    }
}

static void
marker (cairo_t           *cr,
        double             x,
        double             y,
        double             r,
        SextantChartColor  color,
        gboolean           diamond)
{
  /* Text leaves a current point behind, and cairo_arc() would draw a line from it. */
  cairo_new_path (cr);
  if (diamond)
    {
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x + r, y);
      cairo_line_to (cr, x, y + r);
      cairo_line_to (cr, x - r, y);
      cairo_close_path (cr);
    }
  else
    cairo_arc (cr, x, y, r, 0, 2 * G_PI);
  _sextant_chart_set_color (cr, color);
  cairo_fill (cr);
}

/* Every marker is an obstacle for labels, so no label covers another point. */
static void
add_marker_box (const SextantChartLayout *layout,
                const SextantChartPoint  *p,
                double                    r,
                Box                      *placed,
                guint                    *n_placed)
{
  double x = sextant_chart_layout_to_device_x (layout, p->x);
  double y = sextant_chart_layout_to_device_y (layout, p->y);

  placed[(*n_placed)++] = (Box) { x - r, y - r, x + r, y + r };
}

static void
paint_point (SextantChartCanvas       *canvas,
             const SextantChartLayout *layout,
             const SextantChartPoint  *p,
             double                    r,
             SextantChartColor         color,
             gboolean                  diamond,
             SextantChartColor         text_color,
             Box                      *placed,
             guint                    *n_placed)
{
  double x = sextant_chart_layout_to_device_x (layout, p->x);
  double y = sextant_chart_layout_to_device_y (layout, p->y);

  marker (canvas->cr, x, y, r, color, diamond);
  point_label (canvas, p->label, diamond ? x + 2 : x, y, placed, n_placed, text_color);
}

static void
paint_frontier_points (SextantChartCanvas         *canvas,
                       const SextantChartLayout   *layout,
                       const SextantFrontierChart *model)
{
  const SextantChartStyle *style = canvas->style;
  g_autofree Box *placed = g_new (Box, 2 * (model->n_assets + 2));
  guint n_placed = 0;

  for (gsize i = 0; i < model->n_assets; i++)
    add_marker_box (layout, &model->assets[i], 4, placed, &n_placed);
  if (model->chosen != NULL)
    add_marker_box (layout, model->chosen, 7, placed, &n_placed);
  if (model->current != NULL)
    add_marker_box (layout, model->current, 5, placed, &n_placed);

  /* The highlighted portfolios are labelled first, so they win any contest for space. */
  if (model->chosen != NULL)
    paint_point (canvas, layout, model->chosen, 7, style->highlight, TRUE, style->foreground,
                 placed, &n_placed);
  if (model->current != NULL)
    paint_point (canvas, layout, model->current, 5, style->palette[1], FALSE, style->foreground,
                 placed, &n_placed);
  for (gsize i = 0; i < model->n_assets; i++)
    paint_point (canvas, layout, &model->assets[i], 3.5, style->palette[7], FALSE,
                 style->axis_text, placed, &n_placed);
}

/**
 * sextant_chart_paint_frontier:
 * @cr: any cairo context
 * @model: the frontier, assets and chosen portfolio
 * @style: colours and fonts
 * @width: the width to fill
 * @height: the height to fill
 *
 * Draws the efficient frontier as a line in risk/return space, each asset as a labelled dot and
 * the chosen portfolio as a highlighted diamond.
 */
void
sextant_chart_paint_frontier (cairo_t                    *cr,
                              const SextantFrontierChart *model,
                              const SextantChartStyle    *style,
                              double                      width,
                              double                      height)
{
  SextantChartAxesOptions options = frontier_options ();
  SextantChartCanvas canvas;
  SextantChartLayout layout;
  SextantChartLegendEntry legend[4];
  guint n_legend = 0;

  g_return_if_fail (cr != NULL && model != NULL && style != NULL);

  _sextant_chart_canvas_init (&canvas, cr, style);
  _sextant_chart_background (&canvas, model->title, width, height);
  _sextant_chart_frontier_layout (&canvas, model, width, height, &layout);
  _sextant_chart_axes (&canvas, &layout, &options);

  if (model->n > 0)
    {
      _sextant_chart_line (&canvas, &layout, model->risk, model->ret, model->n, style->palette[0],
                           style->line_width * 1.5);
      legend[n_legend++] = (SextantChartLegendEntry) { _("Efficient frontier"), style->palette[0],
                                                       SEXTANT_CHART_LEGEND_LINE };
    }
  paint_frontier_points (&canvas, &layout, model);
  if (model->n_assets > 0)
    legend[n_legend++] = (SextantChartLegendEntry) { _("Assets"), style->palette[7],
                                                     SEXTANT_CHART_LEGEND_DOT };
  if (model->chosen != NULL)
    legend[n_legend++] = (SextantChartLegendEntry) { _("Chosen portfolio"), style->highlight,
                                                     SEXTANT_CHART_LEGEND_DOT };
  if (model->current != NULL)
    legend[n_legend++] = (SextantChartLegendEntry) { _("Current portfolio"), style->palette[1],
                                                     SEXTANT_CHART_LEGEND_DOT };
  _sextant_chart_legend (&canvas, &layout, legend, n_legend);
  _sextant_chart_canvas_clear (&canvas);
}

/* Rows run top to bottom, so the y axis goes from n at the bottom to 0 at the top; the weight
 * axis leaves room for the value printed at the end of the longest bar. */
static void
allocation_bars_layout (SextantChartCanvas           *canvas,
                        const SextantAllocationChart *model,
                        double                        top,
                        double                        width,
                        double                        height,
                        SextantChartLayout           *layout)
{
  double lo = 0, hi = 0, label_w = 0;

  _sextant_chart_data_range (model->weights, 0, model->n - 1, &lo, &hi);
  if (model->compare != NULL)
    _sextant_chart_data_range (model->compare, 0, model->n - 1, &lo, &hi);
  hi += (hi - lo) * 0.12;
  sextant_chart_nice_range (&lo, &hi, 6);
  for (gsize i = 0; i < model->n; i++)
    {
      double w;

      _sextant_chart_text_size (canvas, model->labels[i], FALSE, &w, NULL);
      label_w = MAX (label_w, w);
    }

  layout->x_axis = (SextantChartAxis) { lo, hi, SEXTANT_CHART_SCALE_LINEAR };
  layout->y_axis = (SextantChartAxis) { model->n, 0, SEXTANT_CHART_SCALE_LINEAR };
  layout->x = round (12 + label_w + 8);
  layout->y = top;
  layout->width = MAX (1, width - layout->x - 24);
  layout->height = MAX (1, height - top - canvas->line_height - 18);
}

/* One asset: its label, its bar with the weight at the end, and the current weight below. */
static void
paint_allocation_row (SextantChartCanvas           *canvas,
                      const SextantAllocationChart *model,
                      const SextantChartLayout     *layout,
                      gsize                         i)
{
  const SextantChartStyle *style = canvas->style;
  double row = layout->height / model->n, y = layout->y + row * i;
  double x0 = sextant_chart_layout_to_device_x (layout, 0);
  double x1 = sextant_chart_layout_to_device_x (layout, model->weights[i]);
  double bar_h = model->compare ? row * 0.45 : row * 0.7;
  char text[32];

  _sextant_chart_text (canvas, model->labels[i], layout->x - 8, y + row / 2, 1, 0.5,
                       style->axis_text, FALSE);
  _sextant_chart_set_color (canvas->cr,
                            model->weights[i] >= 0 ? style->palette[0] : style->negative);
  cairo_rectangle (canvas->cr, MIN (x0, x1), round (y + row * 0.15), fabs (x1 - x0), round (bar_h));
  cairo_fill (canvas->cr);
  g_snprintf (text, sizeof text, "%.1f%%", model->weights[i] * 100);
  _sextant_chart_text (canvas, text, MAX (x0, x1) + 4, y + row * 0.15 + bar_h / 2, 0, 0.5,
                       style->foreground, FALSE);
  if (model->compare != NULL)
    {
      double xc = sextant_chart_layout_to_device_x (layout, model->compare[i]);

      _sextant_chart_set_color (canvas->cr, style->palette[1]);
      cairo_rectangle (canvas->cr, MIN (x0, xc), round (y + row * 0.15 + bar_h + 2),
                       fabs (xc - x0), round (row * 0.25));
      cairo_fill (canvas->cr);
    }
}

static void
paint_allocation_bars (SextantChartCanvas           *canvas,
                       const SextantAllocationChart *model,
                       double                        top,
                       double                        width,
                       double                        height)
{
  const SextantChartStyle *style = canvas->style;
  SextantChartAxesOptions options = { SEXTANT_CHART_FORMAT_PERCENT, SEXTANT_CHART_FORMAT_NUMBER,
                                      NULL, NULL, TRUE };
  SextantChartLayout layout;

  allocation_bars_layout (canvas, model, top, width, height, &layout);
  _sextant_chart_x_grid (canvas, &layout, &options);
  for (gsize i = 0; i < model->n; i++)
    paint_allocation_row (canvas, model, &layout, i);

  /* The zero line, which short positions extend left of. */
  _sextant_chart_set_color (canvas->cr, style->axis);
  cairo_set_line_width (canvas->cr, 1);
  cairo_move_to (canvas->cr, floor (sextant_chart_layout_to_device_x (&layout, 0)) + 0.5, layout.y);
  cairo_rel_line_to (canvas->cr, 0, layout.height);
  cairo_stroke (canvas->cr);
  if (model->compare != NULL)
    {
      SextantChartLegendEntry legend[2] = {
        { _("Proposed"), style->palette[0], SEXTANT_CHART_LEGEND_BOX },
        { _("Current"), style->palette[1], SEXTANT_CHART_LEGEND_BOX },
      };
      SextantChartLayout corner = layout;

      corner.x = layout.x + layout.width * 0.55, corner.width = layout.width * 0.45;
      _sextant_chart_legend (canvas, &corner, legend, 2);
    }
}

static void
paint_allocation_donut (SextantChartCanvas           *canvas,
                        const SextantAllocationChart *model,
                        double                        top,
                        double                        width,
                        double                        height)
{
  const SextantChartStyle *style = canvas->style;
  double total = 0, angle = -G_PI / 2, cy = top + (height - top) / 2;
  double r = MAX (10, MIN ((height - top) / 2 - 12, width * 0.3));
  double cx = 16 + r, lx = cx + r + 28, ly;
  double row = canvas->line_height * 1.4;

  for (gsize i = 0; i < model->n; i++)
    total += MAX (0, model->weights[i]);
  if (!(total > 0))
    return;

  ly = cy - MIN (model->n, (gsize) ((height - top) / row)) * row / 2;
  for (gsize i = 0; i < model->n; i++)
    {
      double sweep = MAX (0, model->weights[i]) / total * 2 * G_PI;
      SextantChartColor color = sextant_chart_style_get_series_color (style, i);
      char text[96];

      cairo_new_path (canvas->cr);
      cairo_arc (canvas->cr, cx, cy, r, angle, angle + sweep);
      cairo_arc_negative (canvas->cr, cx, cy, r * 0.58, angle + sweep, angle);
      cairo_close_path (canvas->cr);
      _sextant_chart_set_color (canvas->cr, color);
      cairo_fill_preserve (canvas->cr);
      /* A background-coloured edge separates neighbours that share a colour after the
       * palette wraps. */
      _sextant_chart_set_color (canvas->cr, style->background);
      cairo_set_line_width (canvas->cr, 1.5);
      cairo_stroke (canvas->cr);
      angle += sweep;

      if (ly + row > height)
        continue;
      cairo_rectangle (canvas->cr, lx, ly + row / 2 - 5, 10, 10);
      _sextant_chart_set_color (canvas->cr, color);
      cairo_fill (canvas->cr);
      g_snprintf (text, sizeof text, "%s  %.1f%%", model->labels[i], model->weights[i] * 100);
      _sextant_chart_text (canvas, text, lx + 16, ly + row / 2, 0, 0.5, style->foreground, FALSE);
      ly += row;
    }
}

/**
 * sextant_chart_paint_allocation:
 * @cr: any cairo context
 * @model: the weights
 * @style: colours and fonts
 * @width: the width to fill
 * @height: the height to fill
 *
 * Draws weights as labelled horizontal bars (optionally beside the current weights) or as a
 * donut with a legend. A donut cannot show short positions; bars can.
 */
void
sextant_chart_paint_allocation (cairo_t                      *cr,
                                const SextantAllocationChart *model,
                                const SextantChartStyle      *style,
                                double                        width,
                                double                        height)
{
  SextantChartCanvas canvas;
  double top;

  g_return_if_fail (cr != NULL && model != NULL && style != NULL);

  _sextant_chart_canvas_init (&canvas, cr, style);
  top = _sextant_chart_background (&canvas, model->title, width, height);
  if (model->n > 0 && model->weights != NULL && model->labels != NULL)
    {
      if (model->style == SEXTANT_ALLOCATION_CHART_DONUT)
        paint_allocation_donut (&canvas, model, top, width, height);
      else
        paint_allocation_bars (&canvas, model, top, width, height);
    }
  _sextant_chart_canvas_clear (&canvas);
}
