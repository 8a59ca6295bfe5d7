#pragma once

#include <glib.h>

#include "analytics/sextant-bond.h"

G_BEGIN_DECLS

/**
 * SextantYieldCurve:
 * @as_of: the curve's day (days since 1970-01-01)
 * @n: number of nodes
 * @months: (array length=n): each node's tenor in months (1.5 is the six-week bill)
 * @par: (array length=n): the par yields it was built from, fractions
 * @maturity: (array length=n): each tenor's maturity day
 * @time: (array length=n): act/365f years from @as_of to @maturity
 * @discount: (array length=n): discount factors at the nodes
 *
 * A discount curve bootstrapped from a US Treasury par curve (the conventions are those of
 * sextant_yield_curve_bootstrap()), interpolated log-linearly in discount factors between
 * nodes, from 1 at @as_of.
 */
typedef struct
{
  gint32  as_of;
  gsize   n;
  double *months;
  double *par;
  gint32 *maturity;
  double *time;
  double *discount;
} SextantYieldCurve;

gint32             sextant_tenor_maturity            (gint32                   as_of,
                                                      double                   months);
SextantYieldCurve *sextant_yield_curve_bootstrap     (gint32                   as_of,
                                                      const double            *months,
                                                      const double            *par,
                                                      gsize                    n,
                                                      GError                 **error);
SextantYieldCurve *sextant_yield_curve_from_zero     (gint32                   as_of,
                                                      const double            *months,
                                                      const double            *zero,
                                                      gsize                    n,
                                                      GError                 **error);
void               sextant_yield_curve_free          (SextantYieldCurve       *curve);
double             sextant_yield_curve_discount      (const SextantYieldCurve *curve,
                                                      double                   time);
double             sextant_yield_curve_zero          (const SextantYieldCurve *curve,
                                                      double                   time);
double             sextant_yield_curve_forward       (const SextantYieldCurve *curve,
                                                      double                   from,
                                                      double                   to);
double             sextant_yield_curve_time          (const SextantYieldCurve *curve,
                                                      gint32                   day);
gboolean           sextant_yield_curve_price_bond    (const SextantYieldCurve *curve,
                                                      const SextantBond       *bond,
                                                      double                  *dirty_price,
                                                      GError                 **error);

gboolean           sextant_yield_curve_price_bond_spread (const SextantYieldCurve *curve,
                                                      const SextantBond       *bond,
                                                      double                   spread,
                                                      double                  *dirty_price,
                                                      double                  *spread_duration,
                                                      GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantYieldCurve, sextant_yield_curve_free)

G_END_DECLS
