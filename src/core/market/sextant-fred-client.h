#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "base/sextant-secret-store.h"
#include "market/sextant-market-cache.h"

G_BEGIN_DECLS

/**
 * SEXTANT_FRED_DEFAULT_API_URL:
 *
 * The FRED API (`/fred/series/observations`, JSON, a free user key).
 */
#define SEXTANT_FRED_DEFAULT_API_URL "https://api.stlouisfed.org"

/**
 * SEXTANT_FRED_DEFAULT_GRAPH_URL:
 *
 * FRED's site, whose graph download (`/graph/fredgraph.csv`) needs no key.
 */
#define SEXTANT_FRED_DEFAULT_GRAPH_URL "https://fred.stlouisfed.org"

/**
 * SextantFredSeries:
 * @series_id: the FRED series (`DGS10`, `BAMLH0A0HYM2`)
 * @n: number of observations
 * @days: (array length=n): their days, oldest first
 * @values: (array length=n): the values as published (percent for these series); NaN where FRED
 *   has "." or nothing (a holiday): missing, never zero
 * @keyless: whether they came from the keyless CSV download rather than the API
 * @licensed: whether the series is licensed to FRED and not redistributable (ICE BofA's): shown
 *   and computed with, never exported raw (sextant_fred_series_id_is_licensed())
 * @fetched_at: when the observations were fetched, unix seconds (0 for a parsed text)
 * @cached_note: (nullable): set when FRED could not answer and the observations are the ones a
 *   client's cache kept: “as of DATE, cached (fetched …): why”, to show beside them
 */
typedef struct
{
  char     *series_id;
  gsize     n;
  gint32   *days;
  double   *values;
  gboolean  keyless;
  gboolean  licensed;
  gint64    fetched_at;
  char     *cached_note;
} SextantFredSeries;

gboolean           sextant_fred_check_series_id       (const char         *series_id,
                                                       GError            **error);
gboolean           sextant_fred_series_id_is_licensed (const char         *series_id);
SextantFredSeries *sextant_fred_parse_json            (const char         *series_id,
                                                       const char         *text,
                                                       gsize               length,
                                                       GError            **error);
SextantFredSeries *sextant_fred_parse_csv             (const char         *series_id,
                                                       const char         *text,
                                                       gsize               length,
                                                       GError            **error);
SextantFredSeries *sextant_fred_series_copy           (const SextantFredSeries *series);
SextantFredSeries *sextant_fred_series_load_cached    (SextantMarketCache *cache,
                                                       const char         *series_id,
                                                       gint32              from_day,
                                                       gint32              to_day,
                                                       const char         *reason,
                                                       GError            **error);
void               sextant_fred_series_free           (SextantFredSeries  *series);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantFredSeries, sextant_fred_series_free)

#define SEXTANT_TYPE_FRED_CLIENT (sextant_fred_client_get_type ())

G_DECLARE_FINAL_TYPE (SextantFredClient, sextant_fred_client, SEXTANT, FRED_CLIENT, GObject)

SextantFredClient *sextant_fred_client_new                  (void);
SextantFredClient *sextant_fred_client_new_from_environment (GError            **error);
SextantFredClient *sextant_fred_client_new_configured       (SextantSecretStore *secrets,
                                                             GError            **error);
gboolean           sextant_fred_client_has_api_key          (SextantFredClient  *self);
void               sextant_fred_client_set_base_urls        (SextantFredClient  *self,
                                                             const char         *api_url,
                                                             const char         *graph_url);
void               sextant_fred_client_set_api_key          (SextantFredClient  *self,
                                                             const char         *api_key);
void               sextant_fred_client_set_session          (SextantFredClient  *self,
                                                             SoupSession        *session);
void               sextant_fred_client_set_cache            (SextantFredClient  *self,
                                                             SextantMarketCache *cache);
void               sextant_fred_client_fetch_async          (SextantFredClient  *self,
                                                             const char         *series_id,
                                                             gint32              from_day,
                                                             gint32              to_day,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
SextantFredSeries *sextant_fred_client_fetch_finish         (SextantFredClient  *self,
                                                             GAsyncResult       *result,
                                                             GError            **error);

G_END_DECLS
