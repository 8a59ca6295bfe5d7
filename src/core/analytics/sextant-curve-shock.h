#pragma once

#include <glib.h>

#include "analytics/sextant-bond.h"
#include "analytics/sextant-yield-curve.h"

G_BEGIN_DECLS

/**
 * SextantCurveShockKind:
 * @SEXTANT_CURVE_SHOCK_PARALLEL: every par yield moves by the size
 * @SEXTANT_CURVE_SHOCK_TWIST: −size/2 at the shortest tenor to +size/2 at the longest, linear
 *   in years (a steepener when the size is positive)
 * @SEXTANT_CURVE_SHOCK_BUTTERFLY: +size at both ends, −size at 5 years (the belly), linear in
 *   years between
 */
typedef enum
{
  SEXTANT_CURVE_SHOCK_PARALLEL,
  SEXTANT_CURVE_SHOCK_TWIST,
  SEXTANT_CURVE_SHOCK_BUTTERFLY,
} SextantCurveShockKind;

void               sextant_curve_shock_shifts        (SextantCurveShockKind    kind,
                                                      double                   size,
                                                      const double            *months,
                                                      gsize                    n,
                                                      double                  *shifts);
SextantYieldCurve *sextant_yield_curve_shifted       (const SextantYieldCurve *curve,
                                                      const double            *shifts,
                                                      GError                 **error);
gboolean           sextant_curve_shock_pnl           (const SextantYieldCurve *curve,
                                                      const SextantBond       *bond,
                                                      SextantCurveShockKind    kind,
                                                      double                   size,
                                                      double                  *dirty_after,
                                                      double                  *pnl,
                                                      GError                 **error);
gboolean           sextant_curve_key_rate_durations  (const SextantYieldCurve *curve,
                                                      const SextantBond       *bond,
                                                      double                  *durations,
                                                      GError                 **error);

G_END_DECLS
