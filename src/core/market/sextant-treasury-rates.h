#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "market/sextant-market-response.h"
#include "market/sextant-par-curve.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_TREASURY_RATES (sextant_treasury_rates_get_type ())

G_DECLARE_FINAL_TYPE (SextantTreasuryRates, sextant_treasury_rates, SEXTANT, TREASURY_RATES, GObject)

/**
 * SEXTANT_TREASURY_DEFAULT_BASE_URL:
 *
 * The US Treasury's site, which serves the daily par yield curve per year as CSV (no key).
 */
#define SEXTANT_TREASURY_DEFAULT_BASE_URL "https://home.treasury.gov"

SextantTreasuryRates *sextant_treasury_rates_new                  (void);
SextantTreasuryRates *sextant_treasury_rates_new_from_environment (GError               **error);
const char           *sextant_treasury_rates_get_base_url         (SextantTreasuryRates  *self);
void                  sextant_treasury_rates_set_base_url         (SextantTreasuryRates  *self,
                                                                   const char            *base_url);
char                 *sextant_treasury_rates_build_url            (SextantTreasuryRates  *self,
                                                                   int                    year);
GPtrArray            *sextant_treasury_rates_parse_response       (const SextantMarketResponse *response,
                                                                   GError               **error);
void                  sextant_treasury_rates_fetch_year_async     (SextantTreasuryRates  *self,
                                                                   int                    year,
                                                                   GCancellable          *cancellable,
                                                                   GAsyncReadyCallback    callback,
                                                                   gpointer               user_data);
GPtrArray            *sextant_treasury_rates_fetch_year_finish    (SextantTreasuryRates  *self,
                                                                   GAsyncResult          *result,
                                                                   SextantMarketResponse **response,
                                                                   GError               **error);

G_END_DECLS
