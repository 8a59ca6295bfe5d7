#pragma once

#include <gio/gio.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/*
 * A stopgap: the core's sextant-chart-export.h (PNG/SVG/PDF/CSV) is being written on the charts
 * branch and is not in this tree yet. This is the minimal private piece the chart view needs;
 * replace the body of sextant_chart_file_save() with sextant_chart_export() once it lands.
 */

typedef enum
{
  SEXTANT_CHART_FILE_PNG,
  SEXTANT_CHART_FILE_SVG,
  SEXTANT_CHART_FILE_PDF,
  SEXTANT_CHART_FILE_CSV,
} SextantChartFileFormat;

gboolean    sextant_chart_file_format_from_path (const char             *path,
                                                 SextantChartFileFormat *format);
const char *sextant_chart_file_format_suffix    (SextantChartFileFormat  format);
gboolean    sextant_chart_file_save             (SextantChartKind        kind,
                                                 gconstpointer           model,
                                                 const SextantChartStyle *style,
                                                 SextantChartFileFormat  format,
                                                 double                  width,
                                                 double                  height,
                                                 const char             *path,
                                                 GError                **error);
char       *sextant_chart_file_to_csv           (SextantChartKind        kind,
                                                 gconstpointer           model);

G_END_DECLS
