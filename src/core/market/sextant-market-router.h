#pragma once

#include <gio/gio.h>

#include "market/sextant-market-provider.h"
#include "market/sextant-rate-limiter.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_MARKET_ROUTER (sextant_market_router_get_type ())

G_DECLARE_FINAL_TYPE (SextantMarketRouter, sextant_market_router, SEXTANT, MARKET_ROUTER, GObject)

SextantMarketRouter   *sextant_market_router_new                (void);
void                   sextant_market_router_add_provider       (SextantMarketRouter    *self,
                                                                 SextantMarketProvider  *provider);
guint                  sextant_market_router_get_n_providers    (SextantMarketRouter    *self);
SextantMarketProvider *sextant_market_router_get_provider       (SextantMarketRouter    *self,
                                                                 guint                   index);
SextantRateLimiter    *sextant_market_router_get_limiter        (SextantMarketRouter    *self,
                                                                 const char             *provider_id);
void                   sextant_market_router_set_clock          (SextantMarketRouter    *self,
                                                                 SextantClockFunc        clock,
                                                                 gpointer                user_data);
void                   sextant_market_router_fetch_quote_async  (SextantMarketRouter    *self,
                                                                 const char             *symbol,
                                                                 GCancellable           *cancellable,
                                                                 GAsyncReadyCallback     callback,
                                                                 gpointer                user_data);
SextantQuote          *sextant_market_router_fetch_quote_finish (SextantMarketRouter    *self,
                                                                 GAsyncResult           *result,
                                                                 GPtrArray             **responses,
                                                                 GError                **error);
void                   sextant_market_router_fetch_daily_async  (SextantMarketRouter    *self,
                                                                 const char             *symbol,
                                                                 gint32                  from_day,
                                                                 gint32                  to_day,
                                                                 GCancellable           *cancellable,
                                                                 GAsyncReadyCallback     callback,
                                                                 gpointer                user_data);
SextantPriceSeries    *sextant_market_router_fetch_daily_finish (SextantMarketRouter    *self,
                                                                 GAsyncResult           *result,
                                                                 GPtrArray             **responses,
                                                                 char                  **provider_id,
                                                                 GError                **error);
void                   sextant_market_router_search_async       (SextantMarketRouter    *self,
                                                                 const char             *query,
                                                                 GCancellable           *cancellable,
                                                                 GAsyncReadyCallback     callback,
                                                                 gpointer                user_data);
GPtrArray             *sextant_market_router_search_finish      (SextantMarketRouter    *self,
                                                                 GAsyncResult           *result,
                                                                 GError                **provider_error,
                                                                 GError                **error);
SextantMarketProvider *sextant_market_provider_new_for_id       (const char             *provider_id);

G_END_DECLS
