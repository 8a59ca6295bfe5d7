#pragma once

#include <glib.h>

#include "analytics/sextant-returns.h"

G_BEGIN_DECLS

gboolean sextant_mean_vector        (const SextantReturnMatrix  *returns,
                                     double                     *mean,
                                     GError                    **error);
gboolean sextant_covariance_sample  (const SextantReturnMatrix  *returns,
                                     double                     *covariance,
                                     GError                    **error);
gboolean sextant_correlation_from_covariance (const double  *covariance,
                                     gsize                       k,
                                     double                     *correlation,
                                     GError                    **error);
gboolean sextant_covariance_ledoit_wolf (const SextantReturnMatrix *returns,
                                     double                     *covariance,
                                     double                     *shrinkage,
                                     GError                    **error);
gboolean sextant_cholesky           (const double               *covariance,
                                     gsize                       k,
                                     double                     *lower,
                                     GError                    **error);

void     sextant_gsl_errors_as_status (void);

G_END_DECLS
