#pragma once

#include <gio/gio.h>

#include "analytics/sextant-returns.h"

G_BEGIN_DECLS

/**
 * SextantMoments:
 * @mean: arithmetic mean
 * @sd: sample standard deviation (divides by n − 1)
 * @skewness: skewness from population central moments, m3 / m2^1.5
 * @excess_kurtosis: m4 / m2² − 3, population central moments
 *
 * The conventions of tests/data/portfolio/make_reference.R.
 */
typedef struct
{
  double mean;
  double sd;
  double skewness;
  double excess_kurtosis;
} SextantMoments;

/**
 * SextantMcDistribution:
 * @SEXTANT_MC_NORMAL: multivariate normal
 * @SEXTANT_MC_STUDENT_T: multivariate Student t, scaled so its covariance is the given one
 */
typedef enum
{
  SEXTANT_MC_NORMAL,
  SEXTANT_MC_STUDENT_T,
} SextantMcDistribution;

gboolean sextant_portfolio_returns        (const SextantReturnMatrix  *returns,
                                           const double               *weights,
                                           double                     *out,
                                           GError                    **error);
gboolean sextant_moments_compute          (const double               *r,
                                           gsize                       n,
                                           SextantMoments             *moments,
                                           GError                    **error);
double   sextant_quantile_type7           (const double               *sorted,
                                           gsize                       n,
                                           double                      p);
gboolean sextant_var_historical           (const double               *r,
                                           gsize                       n,
                                           double                      confidence,
                                           double                     *var,
                                           double                     *es,
                                           GError                    **error);
gboolean sextant_var_gaussian             (double                      mean,
                                           double                      sd,
                                           double                      confidence,
                                           double                     *var,
                                           double                     *es,
                                           GError                    **error);
gboolean sextant_var_cornish_fisher       (const SextantMoments       *moments,
                                           double                      confidence,
                                           double                     *var,
                                           GError                    **error);
gboolean sextant_var_components_gaussian  (const double               *mean,
                                           const double               *covariance,
                                           const double               *weights,
                                           gsize                       k,
                                           double                      confidence,
                                           double                     *marginal,
                                           double                     *component,
                                           double                     *total,
                                           GError                    **error);
gboolean sextant_risk_contributions       (const double               *covariance,
                                           const double               *weights,
                                           gsize                       k,
                                           double                     *contribution,
                                           double                     *volatility,
                                           GError                    **error);
gboolean sextant_monte_carlo_portfolio    (const double               *mean,
                                           const double               *covariance,
                                           const double               *weights,
                                           gsize                       k,
                                           SextantMcDistribution       distribution,
                                           double                      dof,
                                           gsize                       n_sims,
                                           guint64                     seed,
                                           double                     *out,
                                           GCancellable               *cancellable,
                                           GError                    **error);
gboolean sextant_check_confidence         (double                      confidence,
                                           GError                    **error);

G_END_DECLS
