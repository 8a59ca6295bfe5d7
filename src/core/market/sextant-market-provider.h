#pragma once

#include <gio/gio.h>

#include "market/sextant-market-response.h"
#include "analytics/sextant-price-series.h"
#include "market/sextant-quote.h"
#include "market/sextant-symbol-match.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_MARKET_PROVIDER (sextant_market_provider_get_type ())

G_DECLARE_INTERFACE (SextantMarketProvider, sextant_market_provider, SEXTANT, MARKET_PROVIDER, GObject)

/**
 * SextantMarketProviderInterface:
 * @get_id: a stable lower-case id (`finnhub`), stored with every bar and response
 * @get_name: a human name for messages ("Finnhub")
 * @get_needs_key: whether requests are pointless without #SextantMarketProvider:api-key
 * @get_official: %FALSE for sources without published terms (Yahoo's chart API)
 * @fetch_quote_async: fetch the last price
 * @fetch_quote_finish: finish it; the raw response is returned even on error when there was one
 * @fetch_daily_async: fetch daily bars between two days (inclusive; 0 for "provider default")
 * @fetch_daily_finish: finish it
 * @parse_quote: parse a stored raw response (for re-parsing the data lake)
 * @parse_daily: the same for daily bars
 * @search_async: (nullable): look symbols up by symbol or name; %NULL for providers without a
 *   symbol search (Stooq, Yahoo)
 * @search_finish: finish it: a #GPtrArray of #SextantSymbolMatch, best first
 * @can_search: (nullable): whether @search_async does anything; %NULL means it does when set
 *
 * Every quote source behind one interface. Providers report every failure as a
 * #SEXTANT_MARKET_ERROR whose message starts with the provider's name.
 */
struct _SextantMarketProviderInterface
{
  GTypeInterface parent_iface;

  const char         *(*get_id)             (SextantMarketProvider        *self);
  const char         *(*get_name)           (SextantMarketProvider        *self);
  gboolean            (*get_needs_key)      (SextantMarketProvider        *self);
  gboolean            (*get_official)       (SextantMarketProvider        *self);
  void                (*fetch_quote_async)  (SextantMarketProvider        *self,
                                             const char                   *symbol,
                                             GCancellable                 *cancellable,
                                             GAsyncReadyCallback           callback,
                                             gpointer                      user_data);
  SextantQuote       *(*fetch_quote_finish) (SextantMarketProvider        *self,
                                             GAsyncResult                 *result,
                                             SextantMarketResponse       **response,
                                             GError                      **error);
  void                (*fetch_daily_async)  (SextantMarketProvider        *self,
                                             const char                   *symbol,
                                             gint32                        from_day,
                                             gint32                        to_day,
                                             GCancellable                 *cancellable,
                                             GAsyncReadyCallback           callback,
                                             gpointer                      user_data);
  SextantPriceSeries *(*fetch_daily_finish) (SextantMarketProvider        *self,
                                             GAsyncResult                 *result,
                                             SextantMarketResponse       **response,
                                             GError                      **error);
  SextantQuote       *(*parse_quote)        (SextantMarketProvider        *self,
                                             const SextantMarketResponse  *response,
                                             GError                      **error);
  SextantPriceSeries *(*parse_daily)        (SextantMarketProvider        *self,
                                             const SextantMarketResponse  *response,
                                             GError                      **error);
  void                (*search_async)       (SextantMarketProvider        *self,
                                             const char                   *query,
                                             GCancellable                 *cancellable,
                                             GAsyncReadyCallback           callback,
                                             gpointer                      user_data);
  GPtrArray          *(*search_finish)      (SextantMarketProvider        *self,
                                             GAsyncResult                 *result,
                                             SextantMarketResponse       **response,
                                             GError                      **error);
  gboolean            (*can_search)         (SextantMarketProvider        *self);
};

const char         *sextant_market_provider_get_id             (SextantMarketProvider        *self);
const char         *sextant_market_provider_get_name           (SextantMarketProvider        *self);
gboolean            sextant_market_provider_get_needs_key      (SextantMarketProvider        *self);
gboolean            sextant_market_provider_get_official       (SextantMarketProvider        *self);
gboolean            sextant_market_provider_has_key            (SextantMarketProvider        *self);
char               *sextant_market_provider_dup_base_url       (SextantMarketProvider        *self);
void                sextant_market_provider_set_base_url       (SextantMarketProvider        *self,
                                                                const char                   *base_url);
void                sextant_market_provider_set_api_key        (SextantMarketProvider        *self,
                                                                const char                   *api_key);
void                sextant_market_provider_fetch_quote_async  (SextantMarketProvider        *self,
                                                                const char                   *symbol,
                                                                GCancellable                 *cancellable,
                                                                GAsyncReadyCallback           callback,
                                                                gpointer                      user_data);
SextantQuote       *sextant_market_provider_fetch_quote_finish (SextantMarketProvider        *self,
                                                                GAsyncResult                 *result,
                                                                SextantMarketResponse       **response,
                                                                GError                      **error);
void                sextant_market_provider_fetch_daily_async  (SextantMarketProvider        *self,
                                                                const char                   *symbol,
                                                                gint32                        from_day,
                                                                gint32                        to_day,
                                                                GCancellable                 *cancellable,
                                                                GAsyncReadyCallback           callback,
                                                                gpointer                      user_data);
SextantPriceSeries *sextant_market_provider_fetch_daily_finish (SextantMarketProvider        *self,
                                                                GAsyncResult                 *result,
                                                                SextantMarketResponse       **response,
                                                                GError                      **error);
SextantQuote       *sextant_market_provider_parse_quote        (SextantMarketProvider        *self,
                                                                const SextantMarketResponse  *response,
                                                                GError                      **error);
SextantPriceSeries *sextant_market_provider_parse_daily        (SextantMarketProvider        *self,
                                                                const SextantMarketResponse  *response,
                                                                GError                      **error);
gboolean            sextant_market_provider_can_search         (SextantMarketProvider        *self);
void                sextant_market_provider_search_async       (SextantMarketProvider        *self,
                                                                const char                   *query,
                                                                GCancellable                 *cancellable,
                                                                GAsyncReadyCallback           callback,
                                                                gpointer                      user_data);
GPtrArray          *sextant_market_provider_search_finish      (SextantMarketProvider        *self,
                                                                GAsyncResult                 *result,
                                                                SextantMarketResponse       **response,
                                                                GError                      **error);

G_END_DECLS
