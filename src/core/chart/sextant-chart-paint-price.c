#define G_LOG_DOMAIN "sextant-chart-paint-price"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "chart/sextant-chart-paint.h"
#include "chart/sextant-chart-private.h"

#define PANE_GAP 8.0
/* Candles narrower than this many pixels are merged into wider ones (see paint_candles()). */
#define MIN_CANDLE_SPACING 3.0

static void
visible_range (const SextantPriceChart *model,
               gsize                   *first,
               gsize                   *last)
{
  _sextant_chart_visible_range (model->n, model->first_visible, model->last_visible, first, last);
}

static void
price_y_range (const SextantPriceChart *model,
               gsize                    first,
               gsize                    last,
               double                  *min,
               double                  *max)
{
  gboolean candles = model->style == SEXTANT_PRICE_CHART_CANDLES && model->high && model->low;

  *min = INFINITY, *max = -INFINITY;
  _sextant_chart_data_range (candles ? model->low : model->close, first, last, min, max);
  _sextant_chart_data_range (candles ? model->high : model->close, first, last, min, max);
  for (gsize k = 0; k < model->n_overlays; k++)
    if (model->overlays[k].n == model->n)
      _sextant_chart_data_range (model->overlays[k].y, first, last, min, max);
  for (gsize k = 0; k < model->n_bands; k++)
    if (model->bands[k].n == model->n)
      {
        _sextant_chart_data_range (model->bands[k].lower, first, last, min, max);
        _sextant_chart_data_range (model->bands[k].upper, first, last, min, max);
      }
  if (!isfinite (*min))
    *min = 0, *max = 1;
}

static void
pane_y_axis (const SextantChartPane *pane,
             gsize                   first,
             gsize                   last,
             SextantChartAxis       *axis)
{
  double min = INFINITY, max = -INFINITY, pad;

  axis->scale = SEXTANT_CHART_SCALE_LINEAR;
  if (pane->min < pane->max)
    {
      axis->min = pane->min, axis->max = pane->max;
      return;
    }
  if (pane->bars != NULL)
    {
      min = max = 0;
      _sextant_chart_data_range (pane->bars, first, last, &min, &max);
    }
  for (gsize k = 0; k < pane->n_lines; k++)
    _sextant_chart_data_range (pane->lines[k].y, first, last, &min, &max);
  for (gsize k = 0; k < pane->n_guides; k++)
    min = MIN (min, pane->guides[k]), max = MAX (max, pane->guides[k]);
  if (!isfinite (min) || max <= min)
    min = isfinite (min) ? min - 1 : 0, max = isfinite (max) ? max + 1 : 1;
  pad = (max - min) * 0.05;
  /* Bars stand on zero: no padding below a zero baseline. */
  axis->min = min == 0 ? 0 : min - pad;
  axis->max = max + pad;
}

/**
 * _sextant_chart_price_layout:
 * @panes: (out caller-allocates): one layout per model pane
 *
 * The price pane takes three shares of the height and each sub-pane one; all share the x axis.
 */
void
_sextant_chart_price_layout (SextantChartCanvas      *canvas,
                             const SextantPriceChart *model,
                             double                   width,
                             double                   height,
                             SextantChartLayout      *main,
                             SextantChartLayout      *panes)
{
  SextantChartAxesOptions options = { SEXTANT_CHART_FORMAT_DATE, SEXTANT_CHART_FORMAT_NUMBER,
                                      NULL, NULL, TRUE };
  double min, max, pad, top, total, share, title_h = 0;
  gsize first, last;

  visible_range (model, &first, &last);
  price_y_range (model, first, last, &min, &max);
  pad = (max - min) * 0.05;
  if (model->log_scale && min > 0)
    main->y_axis = (SextantChartAxis) { min / 1.03, max * 1.03, SEXTANT_CHART_SCALE_LOG };
  else
    main->y_axis = (SextantChartAxis) { min - pad, max + pad, SEXTANT_CHART_SCALE_LINEAR };
  /* Half a day either side, so the first and last candles are not cut in half. */
  main->x_axis = (SextantChartAxis) { model->days[first] - 0.5, model->days[last] + 0.5,
                                      SEXTANT_CHART_SCALE_LINEAR };

  if (model->symbol != NULL)
    _sextant_chart_text_size (canvas, model->symbol, TRUE, NULL, &title_h);
  top = 6 + title_h + 6;
  _sextant_chart_plot_area (canvas, main, &options, top, width, height);

  total = main->height;
  share = (total - PANE_GAP * model->n_panes) / (3 + model->n_panes);
  main->height = model->n_panes > 0 ? round (share * 3) : total;
  for (gsize k = 0; k < model->n_panes; k++)
    {
      panes[k] = *main;
      panes[k].y = round (main->y + share * 3 + PANE_GAP * (k + 1) + share * k);
      panes[k].height = round (share);
      pane_y_axis (&model->panes[k], first, last, &panes[k].y_axis);
    }
}

static void
paint_line_from (SextantChartCanvas       *canvas,
                 const SextantChartLayout *layout,
                 const double             *xs,
                 const double             *ys,
                 gsize                     first,
                 gsize                     last,
                 SextantChartColor         color)
{
  _sextant_chart_line (canvas, layout, xs + first, ys + first, last - first + 1, color,
                       canvas->style->line_width);
}

typedef struct
{
  double x, open, high, low, close;
} Candle;

/* Merges the bars from @start to @end into one candle: first open, highest high, lowest low,
 * last close, which is what a chart of a longer period would show. */
static Candle
merge_candles (const SextantPriceChart *model,
               const double            *xs,
               gsize                    start,
               gsize                    end)
{
  Candle c = { (xs[start] + xs[end - 1]) / 2, model->open[start], -INFINITY, INFINITY,
               model->close[end - 1] };

  for (gsize i = start; i < end; i++)
    {
      c.high = MAX (c.high, model->high[i]);
      c.low = MIN (c.low, model->low[i]);
    }

  return c;
}

/* Adds the wicks of one colour's candles, and their outlines when @hollow, to the path. */
static void
path_wicks (cairo_t                  *cr,
            const SextantChartLayout *layout,
            const Candle             *candles,
            gsize                     n,
            gboolean                  up,
            gboolean                  hollow,
            double                    body)
{
  for (gsize i = 0; i < n; i++)
    {
      const Candle *c = &candles[i];
      double x = floor (sextant_chart_layout_to_device_x (layout, c->x)) + 0.5;
      double yo = sextant_chart_layout_to_device_y (layout, c->open);
      double yc = sextant_chart_layout_to_device_y (layout, c->close);

      if ((c->close >= c->open) != up || !isfinite (yo + yc + c->high + c->low))
        continue;
      cairo_move_to (cr, x, sextant_chart_layout_to_device_y (layout, c->high));
      cairo_line_to (cr, x, MIN (yo, yc));
      cairo_move_to (cr, x, MAX (yo, yc));
      cairo_line_to (cr, x, sextant_chart_layout_to_device_y (layout, c->low));
      if (hollow)
        cairo_rectangle (cr, x - floor (body / 2), round (MIN (yo, yc)) + 0.5, body - 1,
                         MAX (1, round (fabs (yo - yc)) - 1));
    }
}

/* Adds the filled bodies of one colour's candles to the path, on whole pixels. */
static void
path_bodies (cairo_t                  *cr,
             const SextantChartLayout *layout,
             const Candle             *candles,
             gsize                     n,
             gboolean                  up,
             double                    body)
{
  for (gsize i = 0; i < n; i++)
    {
      const Candle *c = &candles[i];
      double x = floor (sextant_chart_layout_to_device_x (layout, c->x));
      double yo = sextant_chart_layout_to_device_y (layout, c->open);
      double yc = sextant_chart_layout_to_device_y (layout, c->close);

      if ((c->close >= c->open) != up || !isfinite (yo + yc))
        continue;
      cairo_rectangle (cr, x - floor (body / 2), round (MIN (yo, yc)), body,
                       MAX (1, round (fabs (yo - yc))));
    }
}

/* Candles closer than MIN_CANDLE_SPACING pixels are merged k at a time into longer-period
 * candles, so thousands of sessions stay legible and the cost follows the width. */
static void
paint_candles (SextantChartCanvas       *canvas,
               const SextantChartLayout *layout,
               const SextantPriceChart  *model,
               const double             *xs,
               gsize                     first,
               gsize                     last)
{
  cairo_t *cr = canvas->cr;
  gsize n = last - first + 1, m = 0;
  gsize k = (gsize) MAX (1, ceil (n * MIN_CANDLE_SPACING / layout->width));
  double body = MAX (1, floor (layout->width * k / n * 0.7));
  g_autofree Candle *candles = g_new (Candle, n / k + 1);

  for (gsize i = first; i <= last; i += k)
    candles[m++] = merge_candles (model, xs, i, MIN (i + k, last + 1));

  cairo_save (cr);
  cairo_rectangle (cr, layout->x, layout->y, layout->width, layout->height);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1);
  for (int up = 0; up < 2; up++)
    {
      /* Rising candles are hollow when there is room: shape as well as colour tells them apart. */
      gboolean hollow = up && body >= 4;

      _sextant_chart_set_color (cr, up ? canvas->style->positive : canvas->style->negative);
      cairo_new_path (cr);
      path_wicks (cr, layout, candles, m, up, hollow, body);
      cairo_stroke (cr);
      if (hollow)
        continue;
      path_bodies (cr, layout, candles, m, up, body);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

static void
paint_main (SextantChartCanvas       *canvas,
            const SextantChartLayout *layout,
            const SextantPriceChart  *model,
            const double             *xs,
            gsize                     first,
            gsize                     last)
{
  const SextantChartStyle *style = canvas->style;
  SextantChartLegendEntry legend[16];
  guint n_legend = 0;

  for (gsize k = 0; k < model->n_bands; k++)
    if (model->bands[k].n == model->n)
      {
        _sextant_chart_band (canvas, layout, xs + first, model->bands[k].lower + first,
                             model->bands[k].upper + first, last - first + 1, style->band_fill);
        if (n_legend < G_N_ELEMENTS (legend))
          legend[n_legend++] = (SextantChartLegendEntry) { model->bands[k].name, style->band_fill,
                                                           SEXTANT_CHART_LEGEND_BOX };
      }

  if (model->style == SEXTANT_PRICE_CHART_CANDLES && model->open && model->high && model->low)
    paint_candles (canvas, layout, model, xs, first, last);
  else
    {
      paint_line_from (canvas, layout, xs, model->close, first, last, style->palette[0]);
      legend[n_legend++] = (SextantChartLegendEntry) { _("Close"), style->palette[0],
                                                       SEXTANT_CHART_LEGEND_LINE };
    }

  for (gsize k = 0; k < model->n_overlays; k++)
    if (model->overlays[k].n == model->n)
      {
        SextantChartColor color = sextant_chart_style_get_series_color (style, k + 1);

        paint_line_from (canvas, layout, xs, model->overlays[k].y, first, last, color);
        if (n_legend < G_N_ELEMENTS (legend))
          legend[n_legend++] = (SextantChartLegendEntry) { model->overlays[k].name, color,
                                                           SEXTANT_CHART_LEGEND_LINE };
      }
  _sextant_chart_legend (canvas, layout, legend, n_legend);
}

static void
paint_pane (SextantChartCanvas       *canvas,
            const SextantChartLayout *layout,
            const SextantChartPane   *pane,
            const double             *xs,
            gsize                     first,
            gsize                     last)
{
  const SextantChartStyle *style = canvas->style;
  guint max_ticks = CLAMP ((guint) (layout->height / (canvas->line_height * 1.6)), 2, 4);

  _sextant_chart_y_grid (canvas, layout, SEXTANT_CHART_FORMAT_NUMBER, max_ticks, TRUE);
  for (gsize g = 0; g < pane->n_guides; g++)
    _sextant_chart_hline (canvas, layout, pane->guides[g], style->axis, TRUE);
  if (pane->bars != NULL)
    _sextant_chart_bars (canvas, layout, xs + first, pane->bars + first, last - first + 1,
                         style->positive, style->negative);
  for (gsize k = 0; k < pane->n_lines; k++)
    paint_line_from (canvas, layout, xs, pane->lines[k].y, first, last,
                     sextant_chart_style_get_series_color (style, k));
  if (pane->title != NULL)
    {
      SextantChartColor box = style->background;
      double x = layout->x + 6, w, total;

      /* A translucent box under the labels keeps them readable over the lines. */
      _sextant_chart_text_size (canvas, pane->title, FALSE, &total, NULL);
      for (gsize k = 0; pane->n_lines > 1 && k < pane->n_lines; k++)
        {
          _sextant_chart_text_size (canvas, pane->lines[k].name, FALSE, &w, NULL);
          total += 10 + w;
        }
      box.alpha = 0.85;
      _sextant_chart_set_color (canvas->cr, box);
      cairo_rectangle (canvas->cr, x - 4, layout->y + 1, total + 8, canvas->line_height + 2);
      cairo_fill (canvas->cr);
      x += _sextant_chart_text (canvas, pane->title, x, layout->y + 2, 0, 0, style->foreground,
                                FALSE);
      /* With several lines, their names follow the title in their colours: a compact legend. */
      for (gsize k = 0; pane->n_lines > 1 && k < pane->n_lines; k++)
        x += 10 + _sextant_chart_text (canvas, pane->lines[k].name, x + 10, layout->y + 2, 0, 0,
                                       sextant_chart_style_get_series_color (style, k), FALSE);
    }

  _sextant_chart_set_color (canvas->cr, style->axis);
  cairo_set_line_width (canvas->cr, 1);
  cairo_rectangle (canvas->cr, layout->x - 0.5, layout->y - 0.5, layout->width + 1,
                   layout->height + 1);
  cairo_stroke (canvas->cr);
}

/**
 * sextant_chart_paint_price:
 * @cr: any cairo context (screen, image, SVG, PDF)
 * @model: the bars, overlays and panes
 * @style: colours and fonts
 * @width: the width to fill, in @cr's user units
 * @height: the height to fill
 *
 * Draws a close line or candlesticks with indicator overlays and bands, and sub-panes below
 * sharing the date axis. Long ranges are decimated (lines) or merged into longer candles so the
 * cost follows the width, not the number of bars.
 */
void
sextant_chart_paint_price (cairo_t                 *cr,
                           const SextantPriceChart *model,
                           const SextantChartStyle *style,
                           double                   width,
                           double                   height)
{
  SextantChartAxesOptions options = { SEXTANT_CHART_FORMAT_DATE, SEXTANT_CHART_FORMAT_NUMBER,
                                      NULL, NULL, TRUE };
  SextantChartCanvas canvas;
  SextantChartLayout main, *panes;
  g_autofree double *xs = NULL;
  gsize first, last;

  g_return_if_fail (cr != NULL && model != NULL && style != NULL);

  _sextant_chart_canvas_init (&canvas, cr, style);
  _sextant_chart_background (&canvas, model->symbol, width, height);
  if (model->n == 0 || model->days == NULL || model->close == NULL)
    goto out;

  panes = g_newa (SextantChartLayout, model->n_panes + 1);
  _sextant_chart_price_layout (&canvas, model, width, height, &main, panes);
  visible_range (model, &first, &last);
  xs = g_new (double, model->n);
  for (gsize i = first; i <= last; i++)
    xs[i] = model->days[i];

  options.x_labels = model->n_panes == 0;
  _sextant_chart_axes (&canvas, &main, &options);
  paint_main (&canvas, &main, model, xs, first, last);
  for (gsize k = 0; k < model->n_panes; k++)
    {
      SextantChartAxesOptions pane_options = options;

      pane_options.x_labels = k + 1 == model->n_panes;
      _sextant_chart_x_grid (&canvas, &panes[k], &pane_options);
      paint_pane (&canvas, &panes[k], &model->panes[k], xs, first, last);
    }

out:
  _sextant_chart_canvas_clear (&canvas);
}
