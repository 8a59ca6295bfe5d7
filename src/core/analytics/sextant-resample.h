#pragma once

#include <glib.h>

#include "analytics/sextant-price-series.h"
#include "analytics/sextant-price-table.h"

G_BEGIN_DECLS

/**
 * SextantResamplePeriod:
 * @SEXTANT_RESAMPLE_WEEKLY: ISO weeks, Monday to Sunday
 * @SEXTANT_RESAMPLE_MONTHLY: calendar months
 */
typedef enum
{
  SEXTANT_RESAMPLE_WEEKLY,
  SEXTANT_RESAMPLE_MONTHLY,
} SextantResamplePeriod;

SextantPriceSeries *sextant_resample_series (SextantPriceSeries     *series,
                                             SextantResamplePeriod   period,
                                             GError                **error);
SextantPriceTable  *sextant_resample_table  (SextantPriceTable      *table,
                                             SextantResamplePeriod   period,
                                             GError                **error);

G_END_DECLS
