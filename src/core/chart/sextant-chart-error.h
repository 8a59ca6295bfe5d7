#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEXTANT_CHART_ERROR (sextant_chart_error_quark ())

/**
 * SextantChartError:
 * @SEXTANT_CHART_ERROR_INVALID_SIZE: a width or height that is not positive or too large
 * @SEXTANT_CHART_ERROR_CAIRO: cairo reported a failure (the message carries its status string)
 * @SEXTANT_CHART_ERROR_EMPTY: the model has no data to export
 * @SEXTANT_CHART_ERROR_UNSUPPORTED: the chart kind cannot be exported in that format
 */
typedef enum
{
  SEXTANT_CHART_ERROR_INVALID_SIZE,
  SEXTANT_CHART_ERROR_CAIRO,
  SEXTANT_CHART_ERROR_EMPTY,
  SEXTANT_CHART_ERROR_UNSUPPORTED,
} SextantChartError;

GQuark sextant_chart_error_quark (void);

G_END_DECLS
