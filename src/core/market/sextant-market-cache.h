#pragma once

#include <glib-object.h>

#include "market/sextant-market-response.h"
#include "analytics/sextant-price-series.h"
#include "market/sextant-fx-series.h"
#include "market/sextant-par-curve.h"
#include "market/sextant-quote.h"
#include "market/sextant-symbol-match.h"
#include "base/sextant-store.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_MARKET_CACHE (sextant_market_cache_get_type ())

G_DECLARE_FINAL_TYPE (SextantMarketCache, sextant_market_cache, SEXTANT, MARKET_CACHE, GObject)

/**
 * SextantBarCoverage:
 * @n_bars: how many bars are cached
 * @first_day: the oldest cached day
 * @last_day: the newest cached day
 * @fetched_at: the most recent fetch time among them, unix seconds
 */
typedef struct
{
  gint64 n_bars;
  gint32 first_day;
  gint32 last_day;
  gint64 fetched_at;
} SextantBarCoverage;

SextantMarketCache    *sextant_market_cache_new             (SextantStore                 *store);
SextantStore          *sextant_market_cache_get_store       (SextantMarketCache           *self);
gboolean               sextant_market_cache_begin_import    (SextantMarketCache           *self,
                                                             const char                   *provider,
                                                             gint64                        fetched_at,
                                                             GError                      **error);
gboolean               sextant_market_cache_import_bar      (SextantMarketCache           *self,
                                                             const char                   *symbol,
                                                             gint32                        day,
                                                             double                        open,
                                                             double                        high,
                                                             double                        low,
                                                             double                        close,
                                                             double                        volume,
                                                             GError                      **error);
gboolean               sextant_market_cache_commit_import   (SextantMarketCache           *self,
                                                             GError                      **error);
void                   sextant_market_cache_abort_import    (SextantMarketCache           *self);
gboolean               sextant_market_cache_put_bars        (SextantMarketCache           *self,
                                                             SextantPriceSeries           *series,
                                                             const char                   *provider,
                                                             gint64                        fetched_at,
                                                             GError                      **error);
gboolean               sextant_market_cache_store_fetch     (SextantMarketCache           *self,
                                                             GPtrArray                    *responses,
                                                             SextantPriceSeries           *series,
                                                             SextantQuote                 *quote,
                                                             const char                   *provider,
                                                             GError                      **error);
SextantPriceSeries    *sextant_market_cache_get_bars        (SextantMarketCache           *self,
                                                             const char                   *symbol,
                                                             gint32                        from_day,
                                                             gint32                        to_day,
                                                             GError                      **error);
gboolean               sextant_market_cache_get_coverage    (SextantMarketCache           *self,
                                                             const char                   *symbol,
                                                             SextantBarCoverage           *coverage,
                                                             GError                      **error);
char                  *sextant_market_cache_dup_bar_provider (SextantMarketCache          *self,
                                                             const char                   *symbol);
void                   sextant_market_cache_set_lake_limits (SextantMarketCache           *self,
                                                             gint64                        max_age,
                                                             gint64                        max_bytes);
gint64                 sextant_market_cache_put_response    (SextantMarketCache           *self,
                                                             const SextantMarketResponse  *response,
                                                             GError                      **error);
SextantMarketResponse *sextant_market_cache_get_response    (SextantMarketCache           *self,
                                                             gint64                        id,
                                                             GError                      **error);
GArray                *sextant_market_cache_list_responses  (SextantMarketCache           *self,
                                                             const char                   *symbol,
                                                             const char                   *kind,
                                                             GError                      **error);
gboolean               sextant_market_cache_was_fetched_since (SextantMarketCache        *self,
                                                             const char                   *symbol,
                                                             gint32                        from_day,
                                                             gint32                        to_day,
                                                             gint64                        since);
GArray                *sextant_market_cache_list_fetch_times (SextantMarketCache         *self,
                                                             const char                   *provider,
                                                             gint64                        since,
                                                             GError                      **error);
gboolean               sextant_market_cache_put_quote       (SextantMarketCache           *self,
                                                             const SextantQuote           *quote,
                                                             GError                      **error);
SextantQuote          *sextant_market_cache_get_quote       (SextantMarketCache           *self,
                                                             const char                   *symbol,
                                                             GError                      **error);
gboolean               sextant_market_cache_put_instrument  (SextantMarketCache           *self,
                                                             const char                   *symbol,
                                                             const char                   *name,
                                                             const char                   *currency,
                                                             const char                   *source,
                                                             GError                      **error);
char                  *sextant_market_cache_dup_currency    (SextantMarketCache           *self,
                                                             const char                   *symbol);
char                 **sextant_market_cache_list_symbols    (SextantMarketCache           *self,
                                                             GError                      **error);
gboolean               sextant_market_cache_put_match       (SextantMarketCache           *self,
                                                             const SextantSymbolMatch     *match,
                                                             GError                      **error);
GPtrArray             *sextant_market_cache_search_instruments (SextantMarketCache        *self,
                                                             const char                   *query,
                                                             guint                         limit,
                                                             GError                      **error);
gboolean               sextant_market_cache_ensure_demo     (SextantMarketCache           *self,
                                                             GError                      **error);
GBytes                *sextant_market_cache_compress        (GBytes                       *data,
                                                             GError                      **error);
GBytes                *sextant_market_cache_decompress      (GBytes                       *data,
                                                             GError                      **error);

gboolean               sextant_market_cache_put_fx_rates    (SextantMarketCache           *self,
                                                             GPtrArray                    *series,
                                                             const SextantMarketResponse  *response,
                                                             GError                      **error);
SextantFxSeries       *sextant_market_cache_get_fx_rates    (SextantMarketCache           *self,
                                                             const char                   *currency,
                                                             gint32                        from_day,
                                                             gint32                        to_day,
                                                             GError                      **error);
gboolean               sextant_market_cache_covers_fx       (SextantMarketCache           *self,
                                                             const char                   *currency,
                                                             gint32                        from_day,
                                                             gint32                        to_day,
                                                             gint64                        now);
char                  *sextant_market_cache_dup_instrument_currency (SextantMarketCache   *self,
                                                             const char                   *symbol);
SextantPriceSeries    *sextant_market_cache_convert_series  (SextantMarketCache           *self,
                                                             SextantPriceSeries           *prices,
                                                             const char                   *currency,
                                                             const char                   *base,
                                                             GArray                      **dropped_days,
                                                             GError                      **error);

/* Par yield curves (issue 17): sextant-market-cache-rates.c */
gboolean               sextant_market_cache_put_par_curves  (SextantMarketCache           *self,
                                                             GPtrArray                    *curves,
                                                             const SextantMarketResponse  *response,
                                                             GError                      **error);
gboolean               sextant_market_cache_get_par_curve   (SextantMarketCache           *self,
                                                             const char                   *source,
                                                             gint32                        day,
                                                             SextantParCurve             **curve,
                                                             GError                      **error);

/* Rates and credit series, FRED's and €STR (issue 17): sextant-market-cache-series.c */
gboolean               sextant_market_cache_put_series      (SextantMarketCache           *self,
                                                             const char                   *provider,
                                                             const char                   *series_id,
                                                             const char                   *source,
                                                             gboolean                      licensed,
                                                             gint32                        from_day,
                                                             gint32                        to_day,
                                                             const gint32                 *days,
                                                             const double                 *values,
                                                             gsize                         n,
                                                             gint64                        fetched_at,
                                                             GError                      **error);
gboolean               sextant_market_cache_get_series      (SextantMarketCache           *self,
                                                             const char                   *provider,
                                                             const char                   *series_id,
                                                             gint32                        from_day,
                                                             gint32                        to_day,
                                                             GArray                      **days,
                                                             GArray                      **values,
                                                             char                        **source,
                                                             gint64                       *fetched_at,
                                                             GError                      **error);
char                  *sextant_market_cache_describe_cached (gint32                        as_of,
                                                             gint64                        fetched_at,
                                                             const char                   *reason);

G_END_DECLS
