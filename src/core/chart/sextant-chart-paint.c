#define G_LOG_DOMAIN "sextant-chart-paint"

#include "config.h"

#include "chart/sextant-chart-paint.h"
#include "chart/sextant-chart-private.h"

/**
 * sextant_chart_paint:
 * @cr: any cairo context
 * @kind: which model @model points to
 * @model: a #SextantPriceChart, #SextantFrontierChart, … matching @kind
 * @style: colours and fonts
 * @width: the width to fill
 * @height: the height to fill
 *
 * Calls the painter for @kind: what a widget or an exporter holding any chart uses.
 */
void
sextant_chart_paint (cairo_t                 *cr,
                     SextantChartKind         kind,
                     gconstpointer            model,
                     const SextantChartStyle *style,
                     double                   width,
                     double                   height)
{
  g_return_if_fail (cr != NULL && model != NULL && style != NULL);

  switch (kind)
    {
    case SEXTANT_CHART_KIND_PRICE:
      sextant_chart_paint_price (cr, model, style, width, height);
      break;
    case SEXTANT_CHART_KIND_FRONTIER:
      sextant_chart_paint_frontier (cr, model, style, width, height);
      break;
    case SEXTANT_CHART_KIND_ALLOCATION:
      sextant_chart_paint_allocation (cr, model, style, width, height);
      break;
    case SEXTANT_CHART_KIND_HISTOGRAM:
      sextant_chart_paint_histogram (cr, model, style, width, height);
      break;
    case SEXTANT_CHART_KIND_DRAWDOWN:
      sextant_chart_paint_drawdown (cr, model, style, width, height);
      break;
    case SEXTANT_CHART_KIND_FAN:
      sextant_chart_paint_fan (cr, model, style, width, height);
      break;
    case SEXTANT_CHART_KIND_HEATMAP:
      sextant_chart_paint_heatmap (cr, model, style, width, height);
      break;
    case SEXTANT_CHART_KIND_TIMESERIES:
      sextant_chart_paint_timeseries (cr, model, style, width, height);
      break;
    case SEXTANT_CHART_KIND_CURVE:
      sextant_chart_paint_curve (cr, model, style, width, height);
      break;
    default:
      g_return_if_reached ();
    }
}

static gboolean
layout_for_kind (SextantChartCanvas *canvas,
                 SextantChartKind    kind,
                 gconstpointer       model,
                 double              width,
                 double              height,
                 SextantChartLayout *layout)
{
  switch (kind)
    {
    case SEXTANT_CHART_KIND_PRICE:
      {
        const SextantPriceChart *price = model;
        g_autofree SextantChartLayout *panes = g_new (SextantChartLayout, price->n_panes + 1);

        if (price->n == 0 || price->days == NULL)
          return FALSE;
        _sextant_chart_price_layout (canvas, price, width, height, layout, panes);
        return TRUE;
      }
    case SEXTANT_CHART_KIND_FRONTIER:
      _sextant_chart_frontier_layout (canvas, model, width, height, layout);
      return TRUE;
    case SEXTANT_CHART_KIND_HISTOGRAM:
      _sextant_chart_histogram_layout (canvas, model, width, height, layout);
      return TRUE;
    case SEXTANT_CHART_KIND_DRAWDOWN:
      _sextant_chart_drawdown_layout (canvas, model, width, height, layout);
      return TRUE;
    case SEXTANT_CHART_KIND_FAN:
      _sextant_chart_fan_layout (canvas, model, width, height, layout);
      return TRUE;
    case SEXTANT_CHART_KIND_TIMESERIES:
      {
        SextantChartLayout upper, lower;

        _sextant_chart_timeseries_layout (canvas, model, width, height, &upper, &lower);
        *layout = lower.height > 0 ? lower : upper;
        return TRUE;
      }
    case SEXTANT_CHART_KIND_CURVE:
      _sextant_chart_curve_layout (canvas, model, width, height, layout);
      return TRUE;
    case SEXTANT_CHART_KIND_ALLOCATION:
    case SEXTANT_CHART_KIND_HEATMAP:
    default:
      return FALSE;
    }
}

/**
 * sextant_chart_compute_price_layouts:
 * @model: a price chart
 * @style: the style it will be painted with
 * @width: the width it will be painted at
 * @height: the height
 * @main: (out caller-allocates): the price pane's layout
 * @panes: (out caller-allocates) (array): one layout per sub-pane, @model->n_panes of them
 *
 * Like sextant_chart_compute_layout(), with the sub-panes too, so a crosshair can read RSI or
 * volume under the pointer.
 *
 * Returns: %TRUE if the model has data
 */
gboolean
sextant_chart_compute_price_layouts (const SextantPriceChart *model,
                                     const SextantChartStyle *style,
                                     double                   width,
                                     double                   height,
                                     SextantChartLayout      *main,
                                     SextantChartLayout      *panes)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  SextantChartCanvas canvas;

  g_return_val_if_fail (model != NULL && style != NULL && main != NULL, FALSE);
  g_return_val_if_fail (model->n_panes == 0 || panes != NULL, FALSE);

  if (model->n == 0 || model->days == NULL)
    return FALSE;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  _sextant_chart_canvas_init (&canvas, cr, style);
  _sextant_chart_price_layout (&canvas, model, width, height, main, panes);
  _sextant_chart_canvas_clear (&canvas);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return TRUE;
}

/**
 * sextant_chart_compute_layout:
 * @kind: which model @model points to
 * @model: the model
 * @style: the style it will be painted with (fonts change margins)
 * @width: the width it will be painted at
 * @height: the height
 * @layout: (out caller-allocates): the main plot's layout
 *
 * Computes, without drawing, where the painter puts the main plot and its axes, for
 * sextant_chart_layout_pick() and for translating pointer positions to data values.
 *
 * Returns: %TRUE if @kind has data axes (allocation charts and heatmaps have none)
 */
gboolean
sextant_chart_compute_layout (SextantChartKind         kind,
                              gconstpointer            model,
                              const SextantChartStyle *style,
                              double                   width,
                              double                   height,
                              SextantChartLayout      *layout)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  SextantChartCanvas canvas;
  gboolean ret;

  g_return_val_if_fail (model != NULL && style != NULL && layout != NULL, FALSE);

  /* Text is measured the same on every surface since hinting is off: a 1×1 image will do. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  _sextant_chart_canvas_init (&canvas, cr, style);
  ret = layout_for_kind (&canvas, kind, model, width, height, layout);
  _sextant_chart_canvas_clear (&canvas);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return ret;
}
