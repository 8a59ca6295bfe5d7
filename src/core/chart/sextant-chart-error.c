#define G_LOG_DOMAIN "sextant-chart-error"

#include "config.h"

#include "chart/sextant-chart-error.h"

G_DEFINE_QUARK (sextant-chart-error-quark, sextant_chart_error)
