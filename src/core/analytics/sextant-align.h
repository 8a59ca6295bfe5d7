#pragma once

#include <glib.h>

#include "analytics/sextant-price-series.h"
#include "analytics/sextant-price-table.h"

G_BEGIN_DECLS

/**
 * SextantGapPolicy:
 * @SEXTANT_GAP_REJECT: a missing or non-finite price is an error naming its row and column
 * @SEXTANT_GAP_DROP: rows with any missing price are dropped (what the references do)
 */
typedef enum
{
  SEXTANT_GAP_REJECT,
  SEXTANT_GAP_DROP,
} SextantGapPolicy;

SextantPriceTable *sextant_align_series      (SextantPriceSeries * const *series,
                                              guint                       n_series,
                                              GError                    **error);
SextantPriceTable *sextant_align_tables      (SextantPriceTable * const  *tables,
                                              guint                       n_tables,
                                              GError                    **error);
SextantPriceTable *sextant_align_tables_outer (SextantPriceTable * const  *tables,
                                              guint                       n_tables,
                                              GError                    **error);
SextantPriceTable *sextant_align_handle_gaps (SextantPriceTable          *table,
                                              SextantGapPolicy            policy,
                                              gsize                      *n_dropped,
                                              GError                    **error);

G_END_DECLS
