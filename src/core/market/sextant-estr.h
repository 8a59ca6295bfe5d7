#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

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
 *
 * €STR from the ECB's data API. Cite "Source: ECB statistics".
 */
typedef struct
{
  gsize   n;
  gint32 *days;
  double *rates;
} SextantEstrRates;

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
SextantEstrRates *sextant_estr_fetch_finish (GAsyncResult     *result,
                                            GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantEstrRates, sextant_estr_rates_free)

G_END_DECLS
