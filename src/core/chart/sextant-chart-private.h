#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "chart/sextant-chart-layout.h"
#include "chart/sextant-chart-model.h"
#include "chart/sextant-chart-style.h"

G_BEGIN_DECLS

/* What every painter draws with: the cairo context, the style and one reusable PangoLayout, so
 * that labelling a chart creates no Pango objects per label. */
typedef struct
{
  cairo_t                 *cr;
  const SextantChartStyle *style;
  PangoLayout             *layout;
  PangoFontDescription    *font;
  PangoFontDescription    *title_font;
  double                   line_height;
} SextantChartCanvas;

typedef enum
{
  SEXTANT_CHART_LEGEND_LINE,
  SEXTANT_CHART_LEGEND_BOX,
  SEXTANT_CHART_LEGEND_DOT,
} SextantChartLegendMark;

typedef struct
{
  const char             *label;
  SextantChartColor       color;
  SextantChartLegendMark  mark;
} SextantChartLegendEntry;

typedef struct
{
  SextantChartFormat x_format;
  SextantChartFormat y_format;
  const char        *x_title;
  const char        *y_title;
  gboolean           x_labels;
  gboolean           inset_labels;
} SextantChartAxesOptions;

void   _sextant_chart_canvas_init    (SextantChartCanvas            *canvas,
                                      cairo_t                       *cr,
                                      const SextantChartStyle       *style);
void   _sextant_chart_canvas_clear   (SextantChartCanvas            *canvas);
void   _sextant_chart_set_color      (cairo_t                       *cr,
                                      SextantChartColor              color);
void   _sextant_chart_text_size      (SextantChartCanvas            *canvas,
                                      const char                    *text,
                                      gboolean                       title,
                                      double                        *width,
                                      double                        *height);
double _sextant_chart_text           (SextantChartCanvas            *canvas,
                                      const char                    *text,
                                      double                         x,
                                      double                         y,
                                      double                         xalign,
                                      double                         yalign,
                                      SextantChartColor              color,
                                      gboolean                       title);
void   _sextant_chart_text_rotated   (SextantChartCanvas            *canvas,
                                      const char                    *text,
                                      double                         x,
                                      double                         y,
                                      SextantChartColor              color);
double _sextant_chart_background     (SextantChartCanvas            *canvas,
                                      const char                    *title,
                                      double                         width,
                                      double                         height);
double _sextant_chart_content_top   (SextantChartCanvas            *canvas,
                                      const char                    *title);
void   _sextant_chart_plot_area      (SextantChartCanvas            *canvas,
                                      SextantChartLayout            *layout,
                                      const SextantChartAxesOptions *options,
                                      double                         top,
                                      double                         width,
                                      double                         height);
void   _sextant_chart_axes           (SextantChartCanvas            *canvas,
                                      const SextantChartLayout      *layout,
                                      const SextantChartAxesOptions *options);
void   _sextant_chart_y_grid         (SextantChartCanvas            *canvas,
                                      const SextantChartLayout      *layout,
                                      SextantChartFormat             format,
                                      guint                          max_ticks,
                                      gboolean                       inset_labels);
void   _sextant_chart_x_grid         (SextantChartCanvas            *canvas,
                                      const SextantChartLayout      *layout,
                                      const SextantChartAxesOptions *options);
void   _sextant_chart_legend         (SextantChartCanvas            *canvas,
                                      const SextantChartLayout      *layout,
                                      const SextantChartLegendEntry *entries,
                                      guint                          n_entries);
void   _sextant_chart_line           (SextantChartCanvas            *canvas,
                                      const SextantChartLayout      *layout,
                                      const double                  *xs,
                                      const double                  *ys,
                                      gsize                          n,
                                      SextantChartColor              color,
                                      double                         line_width);
void   _sextant_chart_band           (SextantChartCanvas            *canvas,
                                      const SextantChartLayout      *layout,
                                      const double                  *xs,
                                      const double                  *lower,
                                      const double                  *upper,
                                      gsize                          n,
                                      SextantChartColor              color);
void   _sextant_chart_bars           (SextantChartCanvas            *canvas,
                                      const SextantChartLayout      *layout,
                                      const double                  *xs,
                                      const double                  *ys,
                                      gsize                          n,
                                      SextantChartColor              positive,
                                      SextantChartColor              negative);
void   _sextant_chart_data_range     (const double                  *ys,
                                      gsize                          first,
                                      gsize                          last,
                                      double                        *min,
                                      double                        *max);
void   _sextant_chart_visible_range  (gsize                          n,
                                      gsize                          first_visible,
                                      gsize                          last_visible,
                                      gsize                         *first,
                                      gsize                         *last);
gboolean _sextant_chart_is_pixel_exact (cairo_t                     *cr);
void   _sextant_chart_hline          (SextantChartCanvas            *canvas,
                                      const SextantChartLayout      *layout,
                                      double                         value,
                                      SextantChartColor              color,
                                      gboolean                       dashed);

/* Layout functions: what each painter computes before drawing, shared with
 * sextant_chart_compute_layout() so that a crosshair picks exactly where the painter drew. */
void   _sextant_chart_price_layout      (SextantChartCanvas           *canvas,
                                         const SextantPriceChart      *model,
                                         double                        width,
                                         double                        height,
                                         SextantChartLayout           *main,
                                         SextantChartLayout           *panes);
void   _sextant_chart_frontier_layout   (SextantChartCanvas           *canvas,
                                         const SextantFrontierChart   *model,
                                         double                        width,
                                         double                        height,
                                         SextantChartLayout           *layout);
void   _sextant_chart_histogram_layout  (SextantChartCanvas           *canvas,
                                         const SextantHistogramChart  *model,
                                         double                        width,
                                         double                        height,
                                         SextantChartLayout           *layout);
void   _sextant_chart_drawdown_layout   (SextantChartCanvas           *canvas,
                                         const SextantDrawdownChart   *model,
                                         double                        width,
                                         double                        height,
                                         SextantChartLayout           *layout);
void   _sextant_chart_fan_layout        (SextantChartCanvas           *canvas,
                                         const SextantFanChart        *model,
                                         double                        width,
                                         double                        height,
                                         SextantChartLayout           *layout);
void   _sextant_chart_timeseries_layout (SextantChartCanvas           *canvas,
                                         const SextantTimeSeriesChart *model,
                                         double                        width,
                                         double                        height,
                                         SextantChartLayout           *upper,
                                         SextantChartLayout           *lower);
void   _sextant_chart_curve_layout      (SextantChartCanvas           *canvas,
                                         const SextantCurveChart      *model,
                                         double                        width,
                                         double                        height,
                                         SextantChartLayout           *layout);

G_END_DECLS
