#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantQp:
 *
 * A dense convex quadratic programme solver, min ½ x'Gx + a'x subject to C_eq x = b_eq,
 * C_in x ≥ b_in and lower ≤ x ≤ upper, with G positive definite. G is factorised once by
 * sextant_qp_new(), so one solver solves many programmes that share G (an efficient frontier).
 */
typedef struct _SextantQp SextantQp;

/**
 * SextantQpConstraints:
 * @m: number of general constraints (rows of @c)
 * @meq: the first @meq rows are equalities, the rest are ≥ inequalities
 * @c: (array): m × n, row-major, or %NULL when @m is 0
 * @b: (array length=m): right-hand sides
 * @lower: (array) (nullable): per-variable lower bounds, −∞ allowed; %NULL for none
 * @upper: (array) (nullable): per-variable upper bounds, +∞ allowed; %NULL for none
 */
typedef struct
{
  gsize         m;
  gsize         meq;
  const double *c;
  const double *b;
  const double *lower;
  const double *upper;
} SextantQpConstraints;

SextantQp *sextant_qp_new         (const double                *g,
                                   gsize                        n,
                                   GError                     **error);
void       sextant_qp_free        (SextantQp                   *self);
gboolean   sextant_qp_solve       (SextantQp                   *self,
                                   const double                *a,
                                   const SextantQpConstraints  *constraints,
                                   double                      *x,
                                   GError                     **error);
gboolean   sextant_qp_solve_from  (SextantQp                   *self,
                                   const double                *a,
                                   const SextantQpConstraints  *constraints,
                                   const double                *start,
                                   double                      *x,
                                   GError                     **error);
guint      sextant_qp_get_iterations (SextantQp                *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantQp, sextant_qp_free)

G_END_DECLS
