#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEXTANT_ANALYTICS_ERROR (sextant_analytics_error_quark ())

/**
 * SextantAnalyticsError:
 * @SEXTANT_ANALYTICS_ERROR_EMPTY: the series has no rows, or too few for the computation
 * @SEXTANT_ANALYTICS_ERROR_NON_FINITE: a NaN or infinite value where a number is required
 * @SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE: a price that is zero or negative
 * @SEXTANT_ANALYTICS_ERROR_DATE_ORDER: dates out of order or duplicated
 * @SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT: a parameter outside its domain (window, confidence, …)
 * @SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE: an asset whose returns do not vary
 * @SEXTANT_ANALYTICS_ERROR_SINGULAR: a covariance matrix that is singular or not positive definite
 * @SEXTANT_ANALYTICS_ERROR_INFEASIBLE: constraints that no portfolio can satisfy
 * @SEXTANT_ANALYTICS_ERROR_NOT_CONVERGED: an iterative method that did not reach its tolerance
 * @SEXTANT_ANALYTICS_ERROR_HORIZON: a horizon longer than the data allows
 * @SEXTANT_ANALYTICS_ERROR_CANCELLED: the caller cancelled the computation
 * @SEXTANT_ANALYTICS_ERROR_TOO_LARGE: a work size beyond the memory or time one run may take
 */
typedef enum
{
  SEXTANT_ANALYTICS_ERROR_EMPTY,
  SEXTANT_ANALYTICS_ERROR_NON_FINITE,
  SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE,
  SEXTANT_ANALYTICS_ERROR_DATE_ORDER,
  SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
  SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
  SEXTANT_ANALYTICS_ERROR_SINGULAR,
  SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
  SEXTANT_ANALYTICS_ERROR_NOT_CONVERGED,
  SEXTANT_ANALYTICS_ERROR_HORIZON,
  SEXTANT_ANALYTICS_ERROR_CANCELLED,
  SEXTANT_ANALYTICS_ERROR_TOO_LARGE,
} SextantAnalyticsError;

GQuark sextant_analytics_error_quark (void);

G_END_DECLS
