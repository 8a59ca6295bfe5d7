#pragma once

#include <cairo.h>
#include <glib.h>

#include "chart/sextant-chart-layout.h"
#include "chart/sextant-chart-model.h"
#include "chart/sextant-chart-style.h"

G_BEGIN_DECLS

void     sextant_chart_paint_price          (cairo_t                      *cr,
                                             const SextantPriceChart      *model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height);
void     sextant_chart_paint_frontier       (cairo_t                      *cr,
                                             const SextantFrontierChart   *model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height);
void     sextant_chart_paint_allocation     (cairo_t                      *cr,
                                             const SextantAllocationChart *model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height);
void     sextant_chart_paint_histogram      (cairo_t                      *cr,
                                             const SextantHistogramChart  *model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height);
void     sextant_chart_paint_drawdown       (cairo_t                      *cr,
                                             const SextantDrawdownChart   *model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height);
void     sextant_chart_paint_fan            (cairo_t                      *cr,
                                             const SextantFanChart        *model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height);
void     sextant_chart_paint_heatmap        (cairo_t                      *cr,
                                             const SextantHeatmapChart    *model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height);
void     sextant_chart_paint_timeseries     (cairo_t                      *cr,
                                             const SextantTimeSeriesChart *model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height);
void     sextant_chart_paint_curve          (cairo_t                      *cr,
                                             const SextantCurveChart      *model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height);
void     sextant_chart_paint                (cairo_t                      *cr,
                                             SextantChartKind              kind,
                                             gconstpointer                 model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height);
gboolean sextant_chart_compute_layout       (SextantChartKind              kind,
                                             gconstpointer                 model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height,
                                             SextantChartLayout           *layout);
gboolean sextant_chart_heatmap_pick         (const SextantHeatmapChart    *model,
                                             const SextantChartStyle      *style,
                                             double                        width,
                                             double                        height,
                                             double                        x,
                                             double                        y,
                                             gsize                        *row,
                                             gsize                        *column);
gboolean sextant_chart_compute_price_layouts (const SextantPriceChart     *model,
                                              const SextantChartStyle     *style,
                                              double                       width,
                                              double                       height,
                                              SextantChartLayout          *main,
                                              SextantChartLayout          *panes);

char    *sextant_chart_describe_price       (const SextantPriceChart      *model);
char    *sextant_chart_describe_frontier    (const SextantFrontierChart   *model);
char    *sextant_chart_describe_allocation  (const SextantAllocationChart *model);
char    *sextant_chart_describe_histogram   (const SextantHistogramChart  *model);
char    *sextant_chart_describe_drawdown    (const SextantDrawdownChart   *model);
char    *sextant_chart_describe_fan         (const SextantFanChart        *model);
char    *sextant_chart_describe_heatmap     (const SextantHeatmapChart    *model);
char    *sextant_chart_describe_timeseries  (const SextantTimeSeriesChart *model);
char    *sextant_chart_describe_curve       (const SextantCurveChart      *model);
char    *sextant_chart_describe             (SextantChartKind              kind,
                                             gconstpointer                 model);

G_END_DECLS
