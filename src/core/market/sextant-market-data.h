#pragma once

#include <gio/gio.h>

#include "market/sextant-market-cache.h"
#include "market/sextant-market-router.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_MARKET_DATA (sextant_market_data_get_type ())

G_DECLARE_FINAL_TYPE (SextantMarketData, sextant_market_data, SEXTANT, MARKET_DATA, GObject)

SextantMarketData  *sextant_market_data_new               (SextantMarketCache   *cache,
                                                           SextantMarketRouter  *router);
void                sextant_market_data_set_quote_max_age (SextantMarketData    *self,
                                                           gint64                seconds);
void                sextant_market_data_set_stale_after   (SextantMarketData    *self,
                                                           gint64                seconds);
void                sextant_market_data_set_now           (SextantMarketData    *self,
                                                           gint64                unix_seconds);
gboolean            sextant_market_data_range_is_cached   (SextantMarketData    *self,
                                                           const char           *symbol,
                                                           gint32                from_day,
                                                           gint32                to_day);
void                sextant_market_data_get_quote_async   (SextantMarketData    *self,
                                                           const char           *symbol,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
SextantQuote       *sextant_market_data_get_quote_finish  (SextantMarketData    *self,
                                                           GAsyncResult         *result,
                                                           GError              **fetch_error,
                                                           GError              **error);
void                sextant_market_data_get_daily_async   (SextantMarketData    *self,
                                                           const char           *symbol,
                                                           gint32                from_day,
                                                           gint32                to_day,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
SextantPriceSeries *sextant_market_data_get_daily_finish  (SextantMarketData    *self,
                                                           GAsyncResult         *result,
                                                           GError              **fetch_error,
                                                           GError              **error);

G_END_DECLS
