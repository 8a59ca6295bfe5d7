#pragma once

#include "sextant-qp.h"

G_BEGIN_DECLS

gboolean _sextant_qp_primal (const double                *g,
                             gsize                        n,
                             const double                *a,
                             const SextantQpConstraints  *constraints,
                             const double                *start,
                             double                      *x,
                             guint                       *iterations);

G_END_DECLS
