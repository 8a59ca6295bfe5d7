#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "market/sextant-fx-series.h"
#include "market/sextant-market-cache.h"
#include "market/sextant-market-response.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_ECB_RATES (sextant_ecb_rates_get_type ())

G_DECLARE_FINAL_TYPE (SextantEcbRates, sextant_ecb_rates, SEXTANT, ECB_RATES, GObject)

/**
 * SEXTANT_ECB_DEFAULT_BASE_URL:
 *
 * The ECB Data Portal's SDMX 2.1 REST service (no key).
 */
#define SEXTANT_ECB_DEFAULT_BASE_URL "https://data-api.ecb.europa.eu"

/**
 * SEXTANT_ECB_FIRST_DAY:
 *
 * 1999-01-04, the first day of the euro reference rates.
 */
#define SEXTANT_ECB_FIRST_DAY 10595

SextantEcbRates *sextant_ecb_rates_new                  (void);
SextantEcbRates *sextant_ecb_rates_new_from_environment (GError              **error);
const char      *sextant_ecb_rates_get_base_url         (SextantEcbRates      *self);
void             sextant_ecb_rates_set_base_url         (SextantEcbRates      *self,
                                                         const char           *base_url);
char            *sextant_ecb_rates_build_url            (SextantEcbRates      *self,
                                                         const char * const   *currencies,
                                                         gint32                from_day,
                                                         gint32                to_day);
gboolean         sextant_ecb_rates_check_currency       (const char           *code,
                                                         GError              **error);
GPtrArray       *sextant_ecb_rates_parse_csv            (const char           *text,
                                                         gsize                 length,
                                                         GError              **error);
GPtrArray       *sextant_ecb_rates_parse_response       (const SextantMarketResponse *response,
                                                         GError              **error);
void             sextant_ecb_rates_fetch_async          (SextantEcbRates      *self,
                                                         const char * const   *currencies,
                                                         gint32                from_day,
                                                         gint32                to_day,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GPtrArray       *sextant_ecb_rates_fetch_finish         (SextantEcbRates      *self,
                                                         GAsyncResult         *result,
                                                         SextantMarketResponse **response,
                                                         GError              **error);
void             sextant_ecb_rates_update_cache_async   (SextantEcbRates      *self,
                                                         SextantMarketCache   *cache,
                                                         const char * const   *currencies,
                                                         gint32                from_day,
                                                         gint32                to_day,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean         sextant_ecb_rates_update_cache_finish  (SextantEcbRates      *self,
                                                         GAsyncResult         *result,
                                                         guint                *n_fetched,
                                                         GError              **error);

G_END_DECLS
