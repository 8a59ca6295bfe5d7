#pragma once

#include <glib.h>

#include "analytics/sextant-price-table.h"
#include "market/sextant-market-cache.h"

G_BEGIN_DECLS

SextantPriceTable *sextant_price_history_collect (SextantMarketCache *cache,
                                                  SextantPriceTable  *bundled,
                                                  const char * const *symbols,
                                                  gboolean           *fetched);

G_END_DECLS
