#define G_LOG_DOMAIN "sextant-chart-paint-heatmap"

#include "config.h"

#include <math.h>

#include "chart/sextant-chart-paint.h"
#include "chart/sextant-chart-private.h"

#define SCALE_WIDTH 14.0

/* The diverging scale: heat_low at the model's min, heat_mid halfway, heat_high at its max. */
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

static double
widest_column_label (SextantChartCanvas        *canvas,
                     const SextantHeatmapChart *model)
{
  double widest = 0;

  if (model->column_labels == NULL)
    return widest_label (canvas, model);
  for (gsize i = 0; i < model->n_columns; i++)
    {
      double w;

      _sextant_chart_text_size (canvas, model->column_labels[i], FALSE, &w, NULL);
      widest = MAX (widest, w);
    }

  return widest;
}

typedef struct
{
  double   x0;
  double   y0;
  double   cell;
  gboolean labels;
  gboolean rotated;
} Geometry;

/* Where the grid goes: room on the left for row labels, above for column labels (upright when
 * they are wider than a cell), on the right for the colour scale. Cells smaller than a line of
 * text get no labels, which would overlap, and take the room instead. */
static void
heatmap_geometry (SextantChartCanvas        *canvas,
                  const SextantHeatmapChart *model,
                  double                     width,
                  double                     height,
                  Geometry                  *g)
{
  double top = _sextant_chart_content_top (canvas, model->title);
  double label_w = widest_label (canvas, model), column_h, cell;
  double column_w = widest_column_label (canvas, model);
  double scale_room = SCALE_WIDTH + 16 + canvas->style->font_size * 3;
  double bottom_room = canvas->line_height / 2 + 8;
  gsize columns = SEXTANT_HEATMAP_N_COLUMNS (model);

  cell = MIN ((width - label_w - 18 - scale_room) / columns,
              (height - top - canvas->line_height - 6 - bottom_room) / model->n);
  g->rotated = column_w > cell - 4;
  column_h = g->rotated ? column_w + 10 : canvas->line_height + 6;
  g->cell = MAX (1, MIN ((width - label_w - 18 - scale_room) / columns,
                         (height - top - column_h - bottom_room) / model->n));
  g->x0 = round (12 + label_w + 6);
  g->y0 = round (top + column_h);
  g->labels = g->cell >= canvas->line_height * 0.9;
  if (!g->labels)
    {
      g->x0 = 12;
      g->y0 = round (top);
      g->cell = MAX (1, MIN ((width - 12 - scale_room) / columns,
                             (height - top - bottom_room) / model->n));
    }
}

/* Cell edges on whole pixels, with a one-pixel gap when cells are large enough to spare it. */
static void
cell_box (const Geometry *g,
          gsize           row,
          gsize           column,
          double         *x,
          double         *y,
          double         *w,
          double         *h)
{
  double gap = g->cell >= 6 ? 1 : 0;

  *x = round (g->x0 + column * g->cell);
  *y = round (g->y0 + row * g->cell);
  *w = round (g->x0 + (column + 1) * g->cell) - *x - gap;
  *h = round (g->y0 + (row + 1) * g->cell) - *y - gap;
}

/* On an image at one unit per pixel, the cells are written into a pixel buffer the size of the
 * grid and painted in one go: thousands of separate fills cost ten times more. */
static void
paint_cells_image (SextantChartCanvas        *canvas,
                   const SextantHeatmapChart *model,
                   const Geometry            *g)
{
  gsize columns = SEXTANT_HEATMAP_N_COLUMNS (model);
  int size = (int) round (g->x0 + columns * g->cell) - (int) g->x0;
  int size_y = (int) round (g->y0 + model->n * g->cell) - (int) g->y0;
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size_y);
  guint8 *data = cairo_image_surface_get_data (image);
  int stride = cairo_image_surface_get_stride (image);

  for (gsize r = 0; r < model->n; r++)
    for (gsize c = 0; c < columns; c++)
      {
        SextantChartColor color = heat_color (canvas->style, model,
                                              model->values[r * columns + c]);
        /* Premultiplied ARGB, as cairo stores it; heat colours are opaque. */
        guint32 pixel = 0xff000000u | (guint32) round (color.red * 255) << 16 |
                        (guint32) round (color.green * 255) << 8 |
                        (guint32) round (color.blue * 255);
        double x, y, w, h;

        cell_box (g, r, c, &x, &y, &w, &h);
        for (int row = (int) (y - g->y0); row < (int) (y - g->y0 + h) && row < size_y; row++)
          {
            guint32 *line = (guint32 *) (data + row * stride);

            for (int col = (int) (x - g->x0); col < (int) (x - g->x0 + w) && col < size; col++)
              line[col] = pixel;
          }
      }
  cairo_surface_mark_dirty (image);
  cairo_set_source_surface (canvas->cr, image, g->x0, g->y0);
  cairo_paint (canvas->cr);
  cairo_surface_destroy (image);
}

static void
paint_cells (SextantChartCanvas        *canvas,
             const SextantHeatmapChart *model,
             const Geometry            *g)
{
  cairo_t *cr = canvas->cr;
  gsize columns = SEXTANT_HEATMAP_N_COLUMNS (model);

  if (_sextant_chart_is_pixel_exact (cr))
    {
      paint_cells_image (canvas, model, g);
      return;
    }
  for (gsize r = 0; r < model->n; r++)
    for (gsize c = 0; c < columns; c++)
      {
        double x, y, w, h;

        cell_box (g, r, c, &x, &y, &w, &h);
        cairo_rectangle (cr, x, y, w, h);
        _sextant_chart_set_color (cr, heat_color (canvas->style, model,
                                                  model->values[r * columns + c]));
        cairo_fill (cr);
      }
}

static void
paint_values (SextantChartCanvas        *canvas,
              const SextantHeatmapChart *model,
              const Geometry            *g)
{
  gsize columns = SEXTANT_HEATMAP_N_COLUMNS (model);

  if (!model->show_values || g->cell < canvas->style->font_size * 3.2)
    return;
  for (gsize r = 0; r < model->n; r++)
    for (gsize c = 0; c < columns; c++)
      {
        double v = model->values[r * columns + c];
        SextantChartColor color = heat_color (canvas->style, model, v);
        /* Black or white, whichever contrasts more with the cell. */
        SextantChartColor ink = sextant_chart_color_luminance (color) > 0.3
                                ? sextant_chart_color_from_hex (0x000000, 1)
                                : sextant_chart_color_from_hex (0xffffff, 1);
        char text[16];

        if (!isfinite (v))
          continue;
        g_snprintf (text, sizeof text, "%.2f", v);
        _sextant_chart_text (canvas, text, g->x0 + (c + 0.5) * g->cell, g->y0 + (r + 0.5) * g->cell,
                             0.5, 0.5, ink, FALSE);
      }
}

static void
paint_labels (SextantChartCanvas        *canvas,
              const SextantHeatmapChart *model,
              const Geometry            *g)
{
  cairo_t *cr = canvas->cr;
  gsize columns = SEXTANT_HEATMAP_N_COLUMNS (model);

  if (!g->labels)
    return;
  for (gsize i = 0; i < model->n; i++)
    _sextant_chart_text (canvas, model->labels[i], g->x0 - 6, g->y0 + (i + 0.5) * g->cell, 1, 0.5,
                         canvas->style->axis_text, FALSE);
  if (!g->rotated)
    {
      for (gsize i = 0; i < columns; i++)
        _sextant_chart_text (canvas, SEXTANT_HEATMAP_COLUMN_LABEL (model, i),
                             g->x0 + (i + 0.5) * g->cell, g->y0 - 4,
                             0.5, 1, canvas->style->axis_text, FALSE);
      return;
    }

  /* Upright labels, all drawn in one rotated frame: x runs up the page from the grid's top
   * edge, y runs right. Pango is told about the rotation once, not once per label. */
  cairo_save (cr);
  cairo_translate (cr, g->x0, g->y0 - 6);
  cairo_rotate (cr, -G_PI / 2);
  pango_cairo_update_layout (cr, canvas->layout);
  for (gsize i = 0; i < columns; i++)
    _sextant_chart_text (canvas, SEXTANT_HEATMAP_COLUMN_LABEL (model, i), 0, (i + 0.5) * g->cell,
                         0, 0.5, canvas->style->axis_text, FALSE);
  cairo_restore (cr);
  pango_cairo_update_layout (cr, canvas->layout);
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
 * Draws a square matrix (a correlation matrix), or a table with columns of its own (changes of
 * currencies over horizons), as coloured cells on a diverging scale, with row and column labels,
 * optional values in the cells, and the colour scale on the right.
 */
void
sextant_chart_paint_heatmap (cairo_t                   *cr,
                             const SextantHeatmapChart *model,
                             const SextantChartStyle   *style,
                             double                     width,
                             double                     height)
{
  SextantChartCanvas canvas;
  Geometry g;

  g_return_if_fail (cr != NULL && model != NULL && style != NULL);

  _sextant_chart_canvas_init (&canvas, cr, style);
  _sextant_chart_background (&canvas, model->title, width, height);
  if (model->n > 0 && model->values != NULL && model->labels != NULL)
    {
      heatmap_geometry (&canvas, model, width, height, &g);
      paint_cells (&canvas, model, &g);
      paint_values (&canvas, model, &g);
      paint_labels (&canvas, model, &g);
      paint_scale (&canvas, model, g.x0 + g.cell * SEXTANT_HEATMAP_N_COLUMNS (model) + 16, g.y0,
                   g.cell * model->n);
    }
  _sextant_chart_canvas_clear (&canvas);
}

/**
 * sextant_chart_heatmap_pick:
 * @model: the heatmap
 * @style: the style it is painted with
 * @width: the width it is painted at
 * @height: the height
 * @x: a point's x, in the same units
 * @y: the point's y
 * @row: (out): the row of the cell under the point
 * @column: (out): its column
 *
 * Finds the cell under a point, for a tooltip naming the pair and its value.
 *
 * Returns: %TRUE if the point is on the grid
 */
gboolean
sextant_chart_heatmap_pick (const SextantHeatmapChart *model,
                            const SextantChartStyle   *style,
                            double                     width,
                            double                     height,
                            double                     x,
                            double                     y,
                            gsize                     *row,
                            gsize                     *column)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  SextantChartCanvas canvas;
  Geometry g;
  double fx, fy;

  g_return_val_if_fail (model != NULL && style != NULL && row != NULL && column != NULL, FALSE);

  if (model->n == 0 || model->labels == NULL)
    return FALSE;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  _sextant_chart_canvas_init (&canvas, cr, style);
  heatmap_geometry (&canvas, model, width, height, &g);
  _sextant_chart_canvas_clear (&canvas);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  fx = floor ((x - g.x0) / g.cell);
  fy = floor ((y - g.y0) / g.cell);
  if (fx < 0 || fy < 0 || fx >= SEXTANT_HEATMAP_N_COLUMNS (model) || fy >= model->n)
    return FALSE;
  *row = (gsize) fy;
  *column = (gsize) fx;

  return TRUE;
}
