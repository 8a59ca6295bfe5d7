#pragma once

#include <glib.h>

#include "analytics/sextant-day-count.h"

G_BEGIN_DECLS

/**
 * SextantBond:
 * @coupon: annual coupon rate as a fraction (0.045 for 4.5 %)
 * @maturity: maturity day (days since 1970-01-01), the last coupon and the redemption
 * @frequency: coupons a year: 1, 2, 4 or 12
 * @day_count: the day count of coupons, accrued interest and the yield
 * @face: face amount; prices are per 100 of it, the DV01 in its money
 *
 * A fixed-rate bullet bond with QuantLib `FixedRateBond`'s conventions: the schedule is built
 * backward from maturity, unadjusted, with no calendar, on months' last days exactly when the
 * maturity is one; a coupon pays 100 × rate × its period's year fraction.
 */
typedef struct
{
  double          coupon;
  gint32          maturity;
  int             frequency;
  SextantDayCount day_count;
  double          face;
} SextantBond;

/**
 * SextantBondAnalytics:
 * @clean_price: price without accrued interest, percent of face
 * @dirty_price: price with it, percent of face
 * @accrued: accrued interest, percent of face
 * @yield: yield to maturity compounded @frequency times a year in the bond's day count, a fraction
 * @macaulay_duration: years, (1 + y/f) × @modified_duration
 * @modified_duration: −(dP/dy)/P on the dirty price, years
 * @convexity: (d²P/dy²)/P on the dirty price
 * @dv01: the fall in value, in the money of @face, for a yield 1 bp higher, to second order
 *   (QuantLib's `BondFunctions.basisPointValue` with its sign flipped)
 */
typedef struct
{
  double clean_price;
  double dirty_price;
  double accrued;
  double yield;
  double macaulay_duration;
  double modified_duration;
  double convexity;
  double dv01;
} SextantBondAnalytics;

/**
 * SextantBondFlows:
 * @n: number of cash flows after settlement
 * @amount: (array length=n): each flow per 100 of face (the last includes the redemption)
 * @time: (array length=n): years from settlement to each flow, summed period by period in the
 *   bond's day count as QuantLib's yield functions do
 * @day: (array length=n): the payment days
 * @accrued: accrued interest at settlement per 100 of face
 */
typedef struct
{
  gsize   n;
  double *amount;
  double *time;
  gint32 *day;
  double  accrued;
} SextantBondFlows;

gboolean          sextant_bond_validate        (const SextantBond     *bond,
                                                gint32                 settlement,
                                                GError               **error);
SextantBondFlows *sextant_bond_flows_new       (const SextantBond     *bond,
                                                gint32                 settlement,
                                                GError               **error);
void              sextant_bond_flows_free      (SextantBondFlows      *flows);
gboolean          sextant_bond_from_yield      (const SextantBond     *bond,
                                                gint32                 settlement,
                                                double                 yield,
                                                SextantBondAnalytics  *out,
                                                GError               **error);
gboolean          sextant_bond_from_clean_price (const SextantBond    *bond,
                                                gint32                 settlement,
                                                double                 clean_price,
                                                SextantBondAnalytics  *out,
                                                GError               **error);
gboolean          sextant_bond_flows_analytics (const SextantBondFlows *flows,
                                                const SextantBond     *bond,
                                                double                 yield,
                                                SextantBondAnalytics  *out,
                                                GError               **error);
gboolean          sextant_bond_flows_yield     (const SextantBondFlows *flows,
                                                int                    frequency,
                                                double                 dirty_price,
                                                double                *yield,
                                                GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantBondFlows, sextant_bond_flows_free)

G_END_DECLS
