#pragma once

#include <gio/gio.h>

#include "market/sextant-market-data.h"
#include "analytics/sextant-price-table.h"

G_BEGIN_DECLS

/**
 * SextantPriceRefreshOutcome:
 * @symbol: the symbol
 * @fetched: whether a provider answered and its bars are now in the cache
 * @error: (nullable): why no provider answered; whatever the cache held is kept
 */
typedef struct
{
  char     *symbol;
  gboolean  fetched;
  GError   *error;
} SextantPriceRefreshOutcome;

/**
 * SextantPriceRefreshFunc:
 * @symbol: the symbol being fetched
 * @done: how many symbols are finished
 * @total: how many there are
 * @user_data: the data given with the function
 *
 * Called in the refreshing thread before each symbol.
 */
typedef void (*SextantPriceRefreshFunc) (const char *symbol,
                                         guint       done,
                                         guint       total,
                                         gpointer    user_data);

char      **sextant_price_refresh_list_stale      (SextantMarketData           *data,
                                                   const char * const          *symbols);
GPtrArray  *sextant_price_refresh_run             (SextantMarketData           *data,
                                                   const char * const          *symbols,
                                                   GCancellable                *cancellable,
                                                   SextantPriceRefreshFunc      progress,
                                                   gpointer                     user_data,
                                                   GError                     **error);
SextantPriceTable *sextant_price_refresh_collect_closes (SextantMarketCache    *cache,
                                                   SextantPriceTable           *stale,
                                                   gsize                        min_rows,
                                                   gsize                       *n_missing,
                                                   GError                     **error);
void        sextant_price_refresh_outcome_free    (SextantPriceRefreshOutcome  *outcome);

G_END_DECLS
