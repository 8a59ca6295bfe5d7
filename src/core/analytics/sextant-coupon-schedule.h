#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantCouponPeriod:
 * @start: first day of the accrual period (days since 1970-01-01)
 * @end: its last day, the payment day (unadjusted: no calendar)
 * @reference_start: start of the regular period the coupon is measured against; differs from
 *   @start only for a short first period
 * @reference_end: end of that regular period
 */
typedef struct
{
  gint32 start;
  gint32 end;
  gint32 reference_start;
  gint32 reference_end;
} SextantCouponPeriod;

void                 sextant_civil_from_day             (gint32    day,
                                                         int      *year,
                                                         int      *month,
                                                         int      *mday);
gint32               sextant_civil_to_day               (int       year,
                                                         int       month,
                                                         int       mday);
gint32               sextant_day_add_months             (gint32    day,
                                                         int       months,
                                                         gboolean  end_of_month);
gboolean             sextant_day_is_month_end           (gint32    day);
SextantCouponPeriod *sextant_coupon_schedule_backward   (gint32    effective,
                                                         gint32    maturity,
                                                         int       months_per_period,
                                                         gboolean  end_of_month,
                                                         gsize    *n_periods);
gint32               sextant_coupon_schedule_grid_before (gint32   settlement,
                                                         gint32    maturity,
                                                         int       months_per_period,
                                                         gboolean  end_of_month);

G_END_DECLS
