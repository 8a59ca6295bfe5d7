#pragma once

#include "market/sextant-bar-block.h"
#include "market/sextant-market-cache.h"

G_BEGIN_DECLS

/* The cache's state, shared by its files: sextant-market-cache.c (bars, instruments, one fetch
 * stored whole), -lake.c (raw responses, compressed), -quotes.c and -demo.c (the bundled demo
 * set seeded into the cache). */

struct _SextantMarketCache
{
  GObject          parent_instance;
  SextantStore    *store;

  /* The import in progress: bars are gathered per symbol-year and written at commit. */
  GHashTable      *pending;
  char            *import_provider;
  gint64           import_fetched_at;
  gboolean         import_replace;
  SextantBarBlock *last_block;
  gint32           last_first_day;
  gint32           last_last_day;

  /* The data lake's retention (0: the defaults of sextant-market-cache-lake.c). */
  gint64           lake_max_age;
  gint64           lake_max_bytes;
};

void     _sextant_market_cache_bind_number        (sqlite3_stmt                 *stmt,
                                                   int                           index,
                                                   double                        value);
double   _sextant_market_cache_column_number      (sqlite3_stmt                 *stmt,
                                                   int                           column);
gboolean _sextant_market_cache_begin_import_full  (SextantMarketCache           *self,
                                                   const char                   *provider,
                                                   gint64                        fetched_at,
                                                   gboolean                      replace,
                                                   GError                      **error);
gboolean _sextant_market_cache_import_series      (SextantMarketCache           *self,
                                                   SextantPriceSeries           *series,
                                                   GError                      **error);
gboolean _sextant_market_cache_insert_instrument  (SextantMarketCache           *self,
                                                   const char                   *symbol,
                                                   const char                   *name,
                                                   const char                   *currency,
                                                   const char                   *source,
                                                   GError                      **error);
gint64   _sextant_market_cache_insert_response    (SextantMarketCache           *self,
                                                   const SextantMarketResponse  *response,
                                                   gboolean                      parsed,
                                                   GError                      **error);
gboolean _sextant_market_cache_insert_quote       (SextantMarketCache           *self,
                                                   const SextantQuote           *quote,
                                                   GError                      **error);

G_END_DECLS
