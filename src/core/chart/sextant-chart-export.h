#pragma once

#include <gio/gio.h>

#include "chart/sextant-chart-model.h"
#include "chart/sextant-chart-style.h"

G_BEGIN_DECLS

/**
 * SextantChartExportFormat:
 * @SEXTANT_CHART_EXPORT_PNG: a raster image
 * @SEXTANT_CHART_EXPORT_SVG: vector, for the web and editing
 * @SEXTANT_CHART_EXPORT_PDF: vector, one page the size of the chart
 * @SEXTANT_CHART_EXPORT_CSV: the model's data, not the picture
 */
typedef enum
{
  SEXTANT_CHART_EXPORT_PNG,
  SEXTANT_CHART_EXPORT_SVG,
  SEXTANT_CHART_EXPORT_PDF,
  SEXTANT_CHART_EXPORT_CSV,
} SextantChartExportFormat;

gboolean  sextant_chart_export_format_from_path (const char               *path,
                                                 SextantChartExportFormat *format,
                                                 GError                  **error);
gboolean  sextant_chart_export                  (SextantChartKind          kind,
                                                 gconstpointer             model,
                                                 const SextantChartStyle  *style,
                                                 SextantChartExportFormat  format,
                                                 double                    width,
                                                 double                    height,
                                                 GFile                    *file,
                                                 GError                  **error);
gboolean  sextant_chart_export_png              (SextantChartKind          kind,
                                                 gconstpointer             model,
                                                 const SextantChartStyle  *style,
                                                 double                    width,
                                                 double                    height,
                                                 double                    scale,
                                                 GFile                    *file,
                                                 GError                  **error);
gboolean  sextant_chart_export_svg              (SextantChartKind          kind,
                                                 gconstpointer             model,
                                                 const SextantChartStyle  *style,
                                                 double                    width,
                                                 double                    height,
                                                 GFile                    *file,
                                                 GError                  **error);
gboolean  sextant_chart_export_pdf              (SextantChartKind          kind,
                                                 gconstpointer             model,
                                                 const SextantChartStyle  *style,
                                                 double                    width,
                                                 double                    height,
                                                 GFile                    *file,
                                                 GError                  **error);
gboolean  sextant_chart_export_csv              (SextantChartKind          kind,
                                                 gconstpointer             model,
                                                 GFile                    *file,
                                                 GError                  **error);
char     *sextant_chart_to_csv                  (SextantChartKind          kind,
                                                 gconstpointer             model,
                                                 GError                  **error);

G_END_DECLS
