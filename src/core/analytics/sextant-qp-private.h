#pragma once

#include "analytics/sextant-qp.h"

G_BEGIN_DECLS

#define SEXTANT_QP_MAX_EQ 4

gboolean _sextant_qp_small_solve (double                       m[][SEXTANT_QP_MAX_EQ],
                                  const double                *rhs,
                                  double                      *x,
                                  gsize                        me);

gboolean _sextant_qp_primal (const double                *g,
                             gsize                        n,
                             const double                *a,
                             const SextantQpConstraints  *constraints,
                             const double                *start,
                             double                      *x,
                             guint                       *iterations);

G_END_DECLS
