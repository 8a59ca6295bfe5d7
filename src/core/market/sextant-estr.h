#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "market/sextant-market-cache.h"

G_BEGIN_DECLS

/**
 * SEXTANT_ESTR_SERIES_KEY:
 *
 * The ECB Data Portal's key of the euro short-term rate, €STR (dataset EST, business days, the
 * volume-weighted trimmed mean rate, percent).
 */
#define SEXTANT_ESTR_SERIES_KEY "B.EU000A2X2A25.WT"

/**
 * SextantEstrRates:
 * @n: number of days
 * @days: (array length=n): the days, oldest first
 * @rates: (array length=n): €STR in percent; NaN where the ECB published the day without a value
 *   (missing, never zero)
 * @fetched_at: when they were fetched, unix seconds (0 for a parsed text)
 * @cached_note: (nullable): set when the ECB could not answer and the rates are the ones the
 *   cache kept: “as of DATE, cached (fetched …): why”, to show beside them
 *
 * €STR from the ECB's data API. Cite "Source: ECB statistics".
 */
typedef struct
{
  gsize   n;
  gint32 *days;
  double *rates;
  gint64  fetched_at;
  char   *cached_note;
} SextantEstrRates;

/**
 * SEXTANT_ESTR_CACHE_SERIES:
 *
 * The name €STR is cached under (provider `ecb`): the dataset and the series key.
 */
#define SEXTANT_ESTR_CACHE_SERIES "EST." SEXTANT_ESTR_SERIES_KEY

char             *sextant_estr_build_url   (const char        *base_url,
                                            gint32             from_day,
                                            gint32             to_day);
SextantEstrRates *sextant_estr_parse_csv   (const char        *text,
                                            gsize              length,
                                            GError           **error);
void              sextant_estr_rates_free  (SextantEstrRates  *rates);
void              sextant_estr_fetch_async (SoupSession       *session,
                                            const char        *base_url,
                                            gint32             from_day,
                                            gint32             to_day,
                                            GCancellable      *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer           user_data);
void              sextant_estr_fetch_cached_async (SoupSession        *session,
                                                  const char         *base_url,
                                                  SextantMarketCache *cache,
                                                  gint32              from_day,
                                                  gint32              to_day,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
SextantEstrRates *sextant_estr_fetch_finish (GAsyncResult     *result,
                                            GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantEstrRates, sextant_estr_rates_free)

G_END_DECLS
