#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantDayCount:
 * @SEXTANT_DAY_COUNT_ACT_ACT_ICMA: actual days over the days of the coupon period times its
 *   frequency (ICMA rule 251; QuantLib's `ActualActual(ISMA)`)
 * @SEXTANT_DAY_COUNT_30_360: 30/360 Bond Basis (ISDA 2006 4.16(f); QuantLib's
 *   `Thirty360(BondBasis)`)
 * @SEXTANT_DAY_COUNT_ACT_360: actual days over 360
 * @SEXTANT_DAY_COUNT_ACT_365F: actual days over 365
 */
typedef enum
{
  SEXTANT_DAY_COUNT_ACT_ACT_ICMA,
  SEXTANT_DAY_COUNT_30_360,
  SEXTANT_DAY_COUNT_ACT_360,
  SEXTANT_DAY_COUNT_ACT_365F,
} SextantDayCount;

gboolean    sextant_day_count_from_name   (const char       *name,
                                           SextantDayCount  *day_count);
const char *sextant_day_count_name        (SextantDayCount   day_count);
double      sextant_day_count_fraction    (SextantDayCount   day_count,
                                           gint32            start,
                                           gint32            end,
                                           gint32            reference_start,
                                           gint32            reference_end);

G_END_DECLS
