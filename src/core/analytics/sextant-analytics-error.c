#define G_LOG_DOMAIN "sextant-analytics-error"

#include "config.h"

#include "analytics/sextant-analytics-error.h"

G_DEFINE_QUARK (sextant-analytics-error-quark, sextant_analytics_error)
