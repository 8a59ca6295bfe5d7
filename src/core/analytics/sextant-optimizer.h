#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantOptimizer:
 *
 * Mean-variance portfolio construction over one mean vector and covariance matrix: fully
 * invested (weights sum to 1), with per-asset minimum and maximum weights (long-only, 0 … 1, by
 * default). Every objective works on returns per period of the input.
 */
typedef struct _SextantOptimizer SextantOptimizer;

SextantOptimizer *sextant_optimizer_new               (const double        *mean,
                                                       const double        *covariance,
                                                       gsize                k,
                                                       const char * const  *names,
                                                       GError             **error);
void              sextant_optimizer_free              (SextantOptimizer    *self);
void              sextant_optimizer_set_periods_per_year (SextantOptimizer *self,
                                                       double            periods_per_year);
gboolean          sextant_optimizer_set_bounds        (SextantOptimizer    *self,
                                                       const double        *lower,
                                                       const double        *upper,
                                                       GError             **error);
gboolean          sextant_optimizer_min_variance      (SextantOptimizer    *self,
                                                       double              *weights,
                                                       GError             **error);
gboolean          sextant_optimizer_max_sharpe        (SextantOptimizer    *self,
                                                       double               rf,
                                                       double              *weights,
                                                       GError             **error);
gboolean          sextant_optimizer_target_return     (SextantOptimizer    *self,
                                                       double               target,
                                                       double              *weights,
                                                       GError             **error);
gboolean          sextant_optimizer_target_volatility (SextantOptimizer    *self,
                                                       double               target,
                                                       double              *weights,
                                                       GError             **error);
gboolean          sextant_optimizer_risk_parity       (SextantOptimizer    *self,
                                                       double              *weights,
                                                       GError             **error);
gboolean          sextant_optimizer_frontier          (SextantOptimizer    *self,
                                                       gsize                n_points,
                                                       double              *target_returns,
                                                       double              *volatilities,
                                                       double              *weights,
                                                       GError             **error);
void              sextant_optimizer_evaluate          (SextantOptimizer    *self,
                                                       const double        *weights,
                                                       double              *expected_return,
                                                       double              *volatility);
gboolean          sextant_optimizer_return_range      (SextantOptimizer    *self,
                                                       double              *lowest,
                                                       double              *highest);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantOptimizer, sextant_optimizer_free)

G_END_DECLS
