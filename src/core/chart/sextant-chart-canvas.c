#define G_LOG_DOMAIN "sextant-chart-canvas"

#include "config.h"

#include <math.h>

#include "chart/sextant-chart-private.h"

/* Space between the plot and its labels, and around the chart, in device units. */
#define PAD 6.0

/**
 * _sextant_chart_canvas_init:
 *
 * Fonts are rendered with grey antialiasing and neither hinting nor hinted metrics: the same
 * text then lands on the same pixels on every run and at every scale, which reference-image
 * tests and zooming both need.
 */
void
_sextant_chart_canvas_init (SextantChartCanvas      *canvas,
                            cairo_t                 *cr,
                            const SextantChartStyle *style)
{
  cairo_font_options_t *options;
  int ascent_px;

  canvas->cr = cr;
  canvas->style = style;
  canvas->layout = pango_cairo_create_layout (cr);

  options = cairo_font_options_create ();
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (pango_layout_get_context (canvas->layout), options);
  cairo_font_options_destroy (options);
  pango_layout_context_changed (canvas->layout);

  canvas->font = pango_font_description_new ();
  pango_font_description_set_family (canvas->font,
                                     style->font_family ? style->font_family : "Sans");
  pango_font_description_set_absolute_size (canvas->font, style->font_size * PANGO_SCALE);
  canvas->title_font = pango_font_description_copy (canvas->font);
  pango_font_description_set_weight (canvas->title_font, PANGO_WEIGHT_BOLD);
  pango_font_description_set_absolute_size (canvas->title_font,
                                            style->font_size * 1.25 * PANGO_SCALE);

  pango_layout_set_font_description (canvas->layout, canvas->font);
  pango_layout_set_text (canvas->layout, "0Ag", -1);
  pango_layout_get_pixel_size (canvas->layout, NULL, &ascent_px);
  canvas->line_height = ascent_px;
}

void
_sextant_chart_canvas_clear (SextantChartCanvas *canvas)
{
  g_clear_object (&canvas->layout);
  g_clear_pointer (&canvas->font, pango_font_description_free);
  g_clear_pointer (&canvas->title_font, pango_font_description_free);
}

void
_sextant_chart_set_color (cairo_t           *cr,
                          SextantChartColor  color)
{
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
}

void
_sextant_chart_text_size (SextantChartCanvas *canvas,
                          const char         *text,
                          gboolean            title,
                          double             *width,
                          double             *height)
{
  PangoRectangle logical;

  pango_layout_set_font_description (canvas->layout, title ? canvas->title_font : canvas->font);
  pango_layout_set_text (canvas->layout, text, -1);
  pango_layout_get_extents (canvas->layout, NULL, &logical);
  if (width != NULL)
    *width = (double) logical.width / PANGO_SCALE;
  if (height != NULL)
    *height = (double) logical.height / PANGO_SCALE;
}

/* Draws @text so that the point (@xalign, @yalign) of its box, in fractions of its size, lies
 * at (@x, @y). Returns the text's width. */
double
_sextant_chart_text (SextantChartCanvas *canvas,
                     const char         *text,
                     double              x,
                     double              y,
                     double              xalign,
                     double              yalign,
                     SextantChartColor   color,
                     gboolean            title)
{
  double w, h;

  _sextant_chart_text_size (canvas, text, title, &w, &h);
  _sextant_chart_set_color (canvas->cr, color);
  cairo_move_to (canvas->cr, round (x - w * xalign), round (y - h * yalign));
  pango_cairo_show_layout (canvas->cr, canvas->layout);

  return w;
}

/* Vertical text reading bottom to top, centred on (@x, @y): a y-axis title. */
void
_sextant_chart_text_rotated (SextantChartCanvas *canvas,
                             const char         *text,
                             double              x,
                             double              y,
                             SextantChartColor   color)
{
  double w, h;

  _sextant_chart_text_size (canvas, text, FALSE, &w, &h);
  cairo_save (canvas->cr);
  cairo_translate (canvas->cr, round (x - h / 2), round (y + w / 2));
  cairo_rotate (canvas->cr, -G_PI / 2);
  pango_cairo_update_layout (canvas->cr, canvas->layout);
  _sextant_chart_set_color (canvas->cr, color);
  cairo_move_to (canvas->cr, 0, 0);
  pango_cairo_show_layout (canvas->cr, canvas->layout);
  cairo_restore (canvas->cr);
  pango_cairo_update_layout (canvas->cr, canvas->layout);
}

/* Fills the background and draws the title; returns where the content may start. */
double
_sextant_chart_background (SextantChartCanvas *canvas,
                           const char         *title,
                           double              width,
                           double              height)
{
  double h = 0;

  _sextant_chart_set_color (canvas->cr, canvas->style->background);
  cairo_rectangle (canvas->cr, 0, 0, width, height);
  cairo_fill (canvas->cr);

  if (title != NULL && *title != '\0')
    {
      _sextant_chart_text_size (canvas, title, TRUE, NULL, &h);
      _sextant_chart_text (canvas, title, PAD * 2, PAD, 0, 0, canvas->style->foreground, TRUE);
    }

  return PAD + h + PAD;
}

/* Where content starts below the title; the same arithmetic as _sextant_chart_background(). */
double
_sextant_chart_content_top (SextantChartCanvas *canvas,
                            const char         *title)
{
  double h = 0;

  if (title != NULL && *title != '\0')
    _sextant_chart_text_size (canvas, title, TRUE, NULL, &h);

  return PAD + h + PAD;
}

static guint
y_max_ticks (SextantChartCanvas *canvas,
             double              plot_height)
{
  return CLAMP ((guint) (plot_height / (canvas->line_height * 2.2)), 2, 10);
}

static guint
x_max_ticks (SextantChartCanvas *canvas,
             SextantChartFormat  format,
             double              plot_width)
{
  double label_width = format == SEXTANT_CHART_FORMAT_DATE ? 8.5 : 6;

  return CLAMP ((guint) (plot_width / (canvas->style->font_size * label_width)), 2, 16);
}

/**
 * _sextant_chart_plot_area:
 * @layout: (inout): axes already set; the plot rectangle is filled in
 *
 * Leaves room on the left for the widest y label and the y title, and below for the x labels and
 * the x title.
 */
void
_sextant_chart_plot_area (SextantChartCanvas            *canvas,
                          SextantChartLayout            *layout,
                          const SextantChartAxesOptions *options,
                          double                         top,
                          double                         width,
                          double                         height)
{
  SextantChartTicks ticks;
  double bottom = PAD, left = PAD * 2, label_width = 0;

  if (options->x_labels)
    bottom += canvas->line_height + PAD;
  if (options->x_title != NULL)
    bottom += canvas->line_height + PAD / 2;

  sextant_chart_ticks_for_axis (&ticks, &layout->y_axis,
                                y_max_ticks (canvas, height - top - bottom), options->y_format);
  for (guint i = 0; i < ticks.n; i++)
    {
      double w;

      _sextant_chart_text_size (canvas, ticks.labels[i], FALSE, &w, NULL);
      label_width = MAX (label_width, w);
    }
  left += label_width + PAD;
  if (options->y_title != NULL)
    left += canvas->line_height + PAD;

  layout->x = round (left);
  layout->y = round (top + canvas->line_height / 2);
  layout->width = MAX (1, round (width - left - PAD * 3));
  layout->height = MAX (1, round (height - layout->y - bottom));
}

/**
 * _sextant_chart_y_grid:
 *
 * Horizontal grid lines and y labels; used alone by sub-panes, which share the price pane's x axis.
 * With @inset_labels, labels at the very top or bottom are moved inside the plot's height, so
 * that stacked panes' labels never collide.
 */
void
_sextant_chart_y_grid (SextantChartCanvas       *canvas,
                       const SextantChartLayout *layout,
                       SextantChartFormat        format,
                       guint                     max_ticks,
                       gboolean                  inset_labels)
{
  SextantChartTicks ticks;
  cairo_t *cr = canvas->cr;

  if (max_ticks == 0)
    max_ticks = y_max_ticks (canvas, layout->height);
  sextant_chart_ticks_for_axis (&ticks, &layout->y_axis, max_ticks, format);

  cairo_set_line_width (cr, canvas->style->grid_line_width);
  _sextant_chart_set_color (cr, canvas->style->grid);
  for (guint i = 0; i < ticks.n; i++)
    {
      /* Half-pixel offsets keep one-pixel lines sharp. */
      double y = floor (sextant_chart_layout_to_device_y (layout, ticks.values[i])) + 0.5;

      cairo_move_to (cr, layout->x, y);
      cairo_line_to (cr, layout->x + layout->width, y);
    }
  cairo_stroke (cr);

  for (guint i = 0; i < ticks.n; i++)
    {
      double y = sextant_chart_layout_to_device_y (layout, ticks.values[i]);

      if (inset_labels)
        y = CLAMP (y, layout->y + canvas->line_height / 2,
                   layout->y + layout->height - canvas->line_height / 2);
      _sextant_chart_text (canvas, ticks.labels[i], layout->x - PAD, y, 1, 0.5,
                           canvas->style->axis_text, FALSE);
    }
}

void
_sextant_chart_x_grid (SextantChartCanvas            *canvas,
                       const SextantChartLayout      *layout,
                       const SextantChartAxesOptions *options)
{
  SextantChartTicks ticks;
  cairo_t *cr = canvas->cr;
  double last_right = -INFINITY;

  sextant_chart_ticks_for_axis (&ticks, &layout->x_axis,
                                x_max_ticks (canvas, options->x_format, layout->width),
                                options->x_format);

  cairo_set_line_width (cr, canvas->style->grid_line_width);
  _sextant_chart_set_color (cr, canvas->style->grid);
  for (guint i = 0; i < ticks.n; i++)
    {
      double x = floor (sextant_chart_layout_to_device_x (layout, ticks.values[i])) + 0.5;

      cairo_move_to (cr, x, layout->y);
      cairo_line_to (cr, x, layout->y + layout->height + (options->x_labels ? PAD / 2 : 0));
    }
  cairo_stroke (cr);

  if (!options->x_labels)
    return;
  for (guint i = 0; i < ticks.n; i++)
    {
      double x = sextant_chart_layout_to_device_x (layout, ticks.values[i]), w;

      /* A label that would overlap its neighbour or leave the surface is dropped, not squeezed. */
      _sextant_chart_text_size (canvas, ticks.labels[i], FALSE, &w, NULL);
      if (x - w / 2 < last_right + PAD || x - w / 2 < 0 ||
          x + w / 2 > layout->x + layout->width + PAD * 3)
        continue;
      _sextant_chart_text (canvas, ticks.labels[i], x, layout->y + layout->height + PAD, 0.5, 0,
                           canvas->style->axis_text, FALSE);
      last_right = x + w / 2;
    }
}

/**
 * _sextant_chart_axes:
 *
 * Grid, tick labels, axis lines and axis titles around @layout's plot area.
 */
void
_sextant_chart_axes (SextantChartCanvas            *canvas,
                     const SextantChartLayout      *layout,
                     const SextantChartAxesOptions *options)
{
  cairo_t *cr = canvas->cr;
  double bottom = layout->y + layout->height;

  _sextant_chart_y_grid (canvas, layout, options->y_format, 0, options->inset_labels);
  _sextant_chart_x_grid (canvas, layout, options);

  _sextant_chart_set_color (cr, canvas->style->axis);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, layout->x - 0.5, layout->y);
  cairo_line_to (cr, layout->x - 0.5, bottom + 0.5);
  cairo_line_to (cr, layout->x + layout->width, bottom + 0.5);
  cairo_stroke (cr);

  if (options->x_title != NULL)
    _sextant_chart_text (canvas, options->x_title, layout->x + layout->width / 2,
                         bottom + PAD + (options->x_labels ? canvas->line_height + PAD / 2 : 0),
                         0.5, 0, canvas->style->axis_text, FALSE);
  if (options->y_title != NULL)
    _sextant_chart_text_rotated (canvas, options->y_title, PAD * 2 + canvas->line_height / 2,
                                 layout->y + layout->height / 2, canvas->style->axis_text);
}

static void
legend_mark (cairo_t                       *cr,
             const SextantChartLegendEntry *entry,
             double                         x,
             double                         y,
             double                         size)
{
  _sextant_chart_set_color (cr, entry->color);
  switch (entry->mark)
    {
    case SEXTANT_CHART_LEGEND_LINE:
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x, y + size / 2);
      cairo_line_to (cr, x + size * 1.5, y + size / 2);
      cairo_stroke (cr);
      break;
    case SEXTANT_CHART_LEGEND_BOX:
      cairo_rectangle (cr, x + size * 0.25, y + size * 0.1, size, size * 0.8);
      cairo_fill (cr);
      break;
    case SEXTANT_CHART_LEGEND_DOT:
    default:
      cairo_new_path (cr);
      cairo_arc (cr, x + size * 0.75, y + size / 2, size * 0.35, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    }
}

/**
 * _sextant_chart_legend:
 *
 * One row of entries in the top-left corner of the plot, on a translucent box so that it stays
 * readable over data; rows wrap when the plot is narrow.
 */
void
_sextant_chart_legend (SextantChartCanvas            *canvas,
                       const SextantChartLayout      *layout,
                       const SextantChartLegendEntry *entries,
                       guint                          n_entries)
{
  double size = canvas->line_height, x, y, right = 0, widths[16];
  double x0 = layout->x + PAD, y0 = layout->y + PAD;
  SextantChartColor box = canvas->style->background;

  n_entries = MIN (n_entries, G_N_ELEMENTS (widths));
  if (n_entries == 0)
    return;

  /* First pass measures, to size the box; the second draws. */
  x = x0 + PAD, y = y0 + PAD / 2;
  for (guint i = 0; i < n_entries; i++)
    {
      _sextant_chart_text_size (canvas, entries[i].label, FALSE, &widths[i], NULL);
      widths[i] += size * 1.5 + PAD + PAD * 2;
      if (x + widths[i] > layout->x + layout->width - PAD && x > x0 + PAD)
        x = x0 + PAD, y += size + PAD / 2;
      x += widths[i];
      right = MAX (right, x);
    }
  box.alpha = 0.85;
  _sextant_chart_set_color (canvas->cr, box);
  cairo_rectangle (canvas->cr, x0, y0, right - x0 - PAD, y + size + PAD / 2 - y0);
  cairo_fill (canvas->cr);

  x = x0 + PAD, y = y0 + PAD / 2;
  for (guint i = 0; i < n_entries; i++)
    {
      if (x + widths[i] > layout->x + layout->width - PAD && x > x0 + PAD)
        x = x0 + PAD, y += size + PAD / 2;
      legend_mark (canvas->cr, &entries[i], x, y, size);
      _sextant_chart_text (canvas, entries[i].label, x + size * 1.5 + PAD, y, 0, 0,
                           canvas->style->foreground, FALSE);
      x += widths[i];
    }
}

static void
clip_to_plot (cairo_t                  *cr,
              const SextantChartLayout *layout)
{
  cairo_save (cr);
  cairo_rectangle (cr, layout->x, layout->y, layout->width, layout->height);
  cairo_clip (cr);
}

/* Adds a polyline through finite points to the path; NaN starts a new segment. */
static void
path_polyline (cairo_t                  *cr,
               const SextantChartLayout *layout,
               const double             *xs,
               const double             *ys,
               gsize                     n)
{
  gboolean pen_down = FALSE;

  for (gsize i = 0; i < n; i++)
    {
      double x, y;

      if (!isfinite (ys[i]))
        {
          pen_down = FALSE;
          continue;
        }
      x = sextant_chart_layout_to_device_x (layout, xs[i]);
      y = sextant_chart_layout_to_device_y (layout, ys[i]);
      if (pen_down)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      pen_down = TRUE;
    }
}

typedef struct
{
  cairo_t *cr;
  gboolean bridges;
  double   half_width;
  double   column;
  double   lo;
  double   hi;
  double   last_y;
} Spans;

static void
spans_flush (Spans *spans)
{
  double top, bottom;

  if (!isfinite (spans->column) || spans->bridges)
    return;
  /* Whole pixels: cairo fills pixel-aligned boxes about eight times faster than unaligned ones
   * (measured on cairo 1.16), and at more than a point per pixel anti-aliasing adds nothing. */
  top = round (spans->lo - spans->half_width);
  bottom = MAX (round (spans->hi + spans->half_width), top + 1);
  cairo_rectangle (spans->cr, spans->column, top, 1, bottom - top);
}

/* Adds one point (device coordinates) to the spans; NaN y ends the line. */
static void
spans_add (Spans  *spans,
           double  x,
           double  y)
{
  double column = floor (x);

  if (!isfinite (y))
    {
      spans_flush (spans);
      spans->column = spans->last_y = NAN;
      return;
    }
  if (column == spans->column)
    {
      spans->lo = MIN (spans->lo, y), spans->hi = MAX (spans->hi, y);
      spans->last_y = y;
      return;
    }
  spans_flush (spans);
  /* Columns without points between two with points: bridge them with one box spanning both
   * ends, or with a stroked segment when the hole is wider than a couple of pixels. */
  if (isfinite (spans->column) && column - spans->column > 3)
    {
      if (spans->bridges)
        {
          cairo_move_to (spans->cr, spans->column + 0.5, spans->last_y);
          cairo_line_to (spans->cr, column + 0.5, y);
        }
    }
  else if (isfinite (spans->column) && column - spans->column > 1 && !spans->bridges)
    {
      double top = round (MIN (spans->last_y, y) - spans->half_width);

      cairo_rectangle (spans->cr, spans->column + 1, top, column - spans->column - 1,
                       MAX (1, round (fabs (y - spans->last_y) + 2 * spans->half_width)));
    }
  /* Each column's box reaches the previous column's last point, so the line has no breaks. */
  spans->lo = isfinite (spans->last_y) ? MIN (spans->last_y, y) : y;
  spans->hi = isfinite (spans->last_y) ? MAX (spans->last_y, y) : y;
  spans->column = column;
  spans->last_y = y;
}

/* Draws a line with more points than pixel columns as one box per column, from its lowest to its
 * highest point (joined to the previous column). It covers the pixels the stroked line would,
 * but boxes rasterise far faster than a long stroke whose segments are shorter than a pixel. */
static void
fill_spans (cairo_t                  *cr,
            const SextantChartLayout *layout,
            const double             *xs,
            const double             *ys,
            gsize                     n,
            double                    line_width)
{
  /* Two passes over the points: boxes are filled, the rare wide bridges stroked. */
  for (int bridges = 0; bridges < 2; bridges++)
    {
      Spans spans = { cr, bridges, line_width / 2, NAN, 0, 0, NAN };

      cairo_new_path (cr);
      for (gsize i = 0; i < n; i++)
        spans_add (&spans, sextant_chart_layout_to_device_x (layout, xs[i]),
                   isfinite (ys[i]) ? sextant_chart_layout_to_device_y (layout, ys[i]) : NAN);
      spans_flush (&spans);
      if (bridges)
        {
          cairo_set_line_width (cr, line_width);
          cairo_stroke (cr);
        }
      else
        cairo_fill (cr);
    }
}

/**
 * _sextant_chart_line:
 *
 * Strokes a series. One with more points than pixel columns is decimated first (min and max
 * per column) and drawn as per-column boxes (see fill_spans()): the same pixels at a fraction of
 * the cost.
 */
void
_sextant_chart_line (SextantChartCanvas       *canvas,
                     const SextantChartLayout *layout,
                     const double             *xs,
                     const double             *ys,
                     gsize                     n,
                     SextantChartColor         color,
                     double                    line_width)
{
  cairo_t *cr = canvas->cr;
  guint columns = (guint) MAX (1, ceil (layout->width));

  clip_to_plot (cr, layout);
  _sextant_chart_set_color (cr, color);
  if (n > 2 * (gsize) columns && layout->x_axis.scale == SEXTANT_CHART_SCALE_LINEAR)
    {
      g_autofree double *dx = g_new (double, 2 * (gsize) columns);
      g_autofree double *dy = g_new (double, 2 * (gsize) columns);
      gsize m = sextant_chart_decimate_minmax (xs, ys, n, layout->x_axis.min, layout->x_axis.max,
                                               columns, dx, dy);

      fill_spans (cr, layout, dx, dy, m, line_width);
    }
  else if (n > columns)
    fill_spans (cr, layout, xs, ys, n, line_width);
  else
    {
      path_polyline (cr, layout, xs, ys, n);
      cairo_set_line_width (cr, line_width);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
fill_band_segment (cairo_t                  *cr,
                   const SextantChartLayout *layout,
                   const double             *xs,
                   const double             *lower,
                   const double             *upper,
                   gsize                     start,
                   gsize                     end)
{
  if (end - start < 2)
    return;
  for (gsize i = start; i < end; i++)
    cairo_line_to (cr, sextant_chart_layout_to_device_x (layout, xs[i]),
                   sextant_chart_layout_to_device_y (layout, upper[i]));
  for (gsize i = end; i-- > start;)
    cairo_line_to (cr, sextant_chart_layout_to_device_x (layout, xs[i]),
                   sextant_chart_layout_to_device_y (layout, lower[i]));
  cairo_close_path (cr);
  cairo_new_sub_path (cr);
}

/**
 * _sextant_chart_band:
 *
 * Fills between @lower and @upper. Long bands are reduced to one point per pixel column holding
 * the column's lowest lower and highest upper edge, so the band covers what the full one would.
 */
void
_sextant_chart_band (SextantChartCanvas       *canvas,
                     const SextantChartLayout *layout,
                     const double             *xs,
                     const double             *lower,
                     const double             *upper,
                     gsize                     n,
                     SextantChartColor         color)
{
  g_autofree double *bx = g_new (double, n + 1);
  g_autofree double *blo = g_new (double, n + 1);
  g_autofree double *bhi = g_new (double, n + 1);
  gsize m = 0, start = 0;
  double column = NAN;
  gboolean reduce = n > 2 * MAX (1, layout->width);

  for (gsize i = 0; i < n; i++)
    {
      double c = floor (sextant_chart_layout_to_device_x (layout, xs[i]));
      gboolean ok = isfinite (lower[i]) && isfinite (upper[i]);

      if (reduce && ok && m > 0 && c == column && isfinite (blo[m - 1]))
        {
          blo[m - 1] = MIN (blo[m - 1], lower[i]);
          bhi[m - 1] = MAX (bhi[m - 1], upper[i]);
          continue;
        }
      bx[m] = xs[i], blo[m] = ok ? lower[i] : NAN, bhi[m] = ok ? upper[i] : NAN;
      column = c;
      m++;
    }

  clip_to_plot (canvas->cr, layout);
  cairo_new_path (canvas->cr);
  for (gsize i = 0; i <= m; i++)
    if (i == m || !isfinite (blo[i]))
      {
        fill_band_segment (canvas->cr, layout, bx, blo, bhi, start, i);
        start = i + 1;
      }
  _sextant_chart_set_color (canvas->cr, color);
  cairo_fill (canvas->cr);
  cairo_restore (canvas->cr);
}

/* Adds one bar of a dense bar chart (one per pixel column) to a "skyline": a single outline
 * along the bar tops, closed along the baseline. cairo fills that about twice as fast as the
 * same bars as one-pixel-wide boxes, which it composites row by row. */
static void
skyline_add (cairo_t *cr,
             double   column,
             double   top,
             double   zero,
             double  *last_column)
{
  if (column != *last_column + 1)
    {
      if (isfinite (*last_column))
        {
          cairo_line_to (cr, *last_column + 1, zero);
          cairo_close_path (cr);
        }
      cairo_move_to (cr, column, zero);
    }
  cairo_line_to (cr, column, top);
  cairo_line_to (cr, column + 1, top);
  *last_column = column;
}

static void
bars_of_sign (cairo_t                  *cr,
              const SextantChartLayout *layout,
              const double             *xs,
              const double             *ys,
              gsize                     n,
              double                    bar,
              double                    zero,
              int                       sign)
{
  double column = NAN, extreme = 0, last_column = NAN;

  cairo_new_path (cr);
  for (gsize i = 0; i <= n; i++)
    {
      double x = i < n ? sextant_chart_layout_to_device_x (layout, xs[i]) : NAN;
      double c = bar > 1 ? x : floor (x);
      double v = i < n ? ys[i] : NAN;

      if (i < n && c == column)
        {
          if (isfinite (v) && (sign > 0 ? v > extreme : v < extreme))
            extreme = v;
          continue;
        }
      if (isfinite (column))
        {
          double top = round (sextant_chart_layout_to_device_y (layout, extreme));

          /* Empty columns break the skyline, so a sign with no bars adds no outline at all. */
          if (bar <= 1 && extreme != 0)
            skyline_add (cr, column, top, zero, &last_column);
          else if (extreme != 0)
            cairo_rectangle (cr, round (column - bar / 2), zero, bar, top - zero);
        }
      column = c;
      extreme = isfinite (v) && (sign > 0 ? v > 0 : v < 0) ? v : 0;
    }
  if (isfinite (last_column))
    {
      cairo_line_to (cr, last_column + 1, zero);
      cairo_close_path (cr);
    }
}

/* Whether user units are device pixels on an image: then dense marks can be rasterised by hand. */
gboolean
_sextant_chart_is_pixel_exact (cairo_t *cr)
{
  double dx = 1, dy = 1, ox = 0, oy = 0;

  if (cairo_surface_get_type (cairo_get_target (cr)) != CAIRO_SURFACE_TYPE_IMAGE)
    return FALSE;
  cairo_user_to_device_distance (cr, &dx, &dy);
  cairo_user_to_device (cr, &ox, &oy);

  return dx == 1 && dy == 1 && ox == floor (ox) && oy == floor (oy);
}

/* Dense bars on an image: cairo rasterises a skyline of thousands of one-pixel columns row by
 * row, crossing every column's edges on every row; writing the columns into an A8 mask and
 * painting the colour through it costs a fraction of that. Vector surfaces keep real paths. */
static void
bars_mask (cairo_t                  *cr,
           const SextantChartLayout *layout,
           const double             *xs,
           const double             *ys,
           gsize                     n,
           double                    zero,
           int                       sign)
{
  int w = (int) layout->width, h = (int) layout->height, stride;
  cairo_surface_t *mask = cairo_image_surface_create (CAIRO_FORMAT_A8, w, h);
  guint8 *data = cairo_image_surface_get_data (mask);
  gboolean any = FALSE;

  stride = cairo_image_surface_get_stride (mask);
  for (gsize i = 0; i < n; i++)
    {
      int c = (int) floor (sextant_chart_layout_to_device_x (layout, xs[i]) - layout->x);
      double v = ys[i];
      int top, bottom;

      if (c < 0 || c >= w || !isfinite (v) || (sign > 0 ? v <= 0 : v >= 0))
        continue;
      top = (int) round (sextant_chart_layout_to_device_y (layout, v) - layout->y);
      bottom = (int) (zero - layout->y);
      if (top > bottom)
        top ^= bottom, bottom ^= top, top ^= bottom;
      for (int row = MAX (top, 0); row < MIN (bottom, h); row++)
        data[row * stride + c] = 0xff;
      any = TRUE;
    }
  cairo_surface_mark_dirty (mask);
  if (any)
    cairo_mask_surface (cr, mask, layout->x, layout->y);
  cairo_surface_destroy (mask);
}

/**
 * _sextant_chart_bars:
 *
 * Bars from zero. Bars narrower than two pixels are merged per pixel column (tallest positive
 * and deepest negative) and drawn as a skyline or a mask; each colour is filled in one go.
 */
void
_sextant_chart_bars (SextantChartCanvas       *canvas,
                     const SextantChartLayout *layout,
                     const double             *xs,
                     const double             *ys,
                     gsize                     n,
                     SextantChartColor         positive,
                     SextantChartColor         negative)
{
  cairo_t *cr = canvas->cr;
  double spacing = INFINITY, zero, bar;
  double y0 = layout->y_axis.min > 0 ? layout->y_axis.min : 0;

  for (gsize i = 1; i < n; i++)
    spacing = MIN (spacing, sextant_chart_layout_to_device_x (layout, xs[i]) -
                            sextant_chart_layout_to_device_x (layout, xs[i - 1]));
  if (!isfinite (spacing))
    spacing = layout->width / 2;
  bar = spacing >= 2 ? MAX (1, round (spacing * 0.7)) : 1;
  /* Whole pixels, as in spans_flush(): crisp, and much faster to fill. */
  zero = round (sextant_chart_layout_to_device_y (layout, y0));

  clip_to_plot (cr, layout);
  for (int sign = 1; sign >= -1; sign -= 2)
    {
      _sextant_chart_set_color (cr, sign > 0 ? positive : negative);
      if (bar <= 1 && _sextant_chart_is_pixel_exact (cr))
        {
          bars_mask (cr, layout, xs, ys, n, zero, sign);
          continue;
        }
      bars_of_sign (cr, layout, xs, ys, n, bar, zero, sign);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

/* The indices a model's first_visible/last_visible select: everything when last_visible is 0
 * or out of range, as a zero-initialised model expects. @n must be > 0. */
void
_sextant_chart_visible_range (gsize  n,
                              gsize  first_visible,
                              gsize  last_visible,
                              gsize *first,
                              gsize *last)
{
  *first = MIN (first_visible, n - 1);
  *last = last_visible > *first && last_visible < n ? last_visible : n - 1;
}

void
_sextant_chart_data_range (const double *ys,
                           gsize         first,
                           gsize         last,
                           double       *min,
                           double       *max)
{
  /* Locals, not *min and *max: through the pointers the compiler must assume they alias @ys and
   * reload them on every point, which made this loop the slowest part of a long chart. */
  double lo = *min, hi = *max;

  for (gsize i = first; i <= last; i++)
    {
      double v = ys[i];

      /* v − v is 0 for finite values and NaN otherwise, so NaN and ±∞ are skipped. */
      if (v - v == 0)
        {
          lo = v < lo ? v : lo;
          hi = v > hi ? v : hi;
        }
    }
  *min = lo;
  *max = hi;
}

void
_sextant_chart_hline (SextantChartCanvas       *canvas,
                      const SextantChartLayout *layout,
                      double                    value,
                      SextantChartColor         color,
                      gboolean                  dashed)
{
  static const double dash[] = { 4, 3 };
  double y = floor (sextant_chart_layout_to_device_y (layout, value)) + 0.5;

  cairo_save (canvas->cr);
  if (dashed)
    cairo_set_dash (canvas->cr, dash, 2, 0);
  _sextant_chart_set_color (canvas->cr, color);
  cairo_set_line_width (canvas->cr, 1);
  cairo_move_to (canvas->cr, layout->x, y);
  cairo_line_to (canvas->cr, layout->x + layout->width, y);
  cairo_stroke (canvas->cr);
  cairo_restore (canvas->cr);
}
