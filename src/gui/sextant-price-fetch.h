#pragma once

#include <gio/gio.h>

#include "sextant-core.h"
#include "sextant-provider-settings.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_PRICE_FETCH (sextant_price_fetch_get_type ())
G_DECLARE_FINAL_TYPE (SextantPriceFetch, sextant_price_fetch, SEXTANT, PRICE_FETCH, GObject)

/**
 * SextantPriceFetchPrepareFunc:
 * @cache: the worker's market cache, on its own connection to the database
 * @cancellable: the fetch's cancellable
 * @user_data: the data given with the function
 *
 * Called in the worker thread, on its own main context, before the providers are asked.
 */
typedef void (*SextantPriceFetchPrepareFunc) (SextantMarketCache *cache,
                                              GCancellable       *cancellable,
                                              gpointer            user_data);

SextantPriceFetch *sextant_price_fetch_new              (const char                   *database_path,
                                                         SextantProviderSettings      *providers,
                                                         char                        **symbols,
                                                         gboolean                      only_stale);
void               sextant_price_fetch_set_prepare      (SextantPriceFetch            *self,
                                                         SextantPriceFetchPrepareFunc  prepare,
                                                         gpointer                      user_data,
                                                         GDestroyNotify                destroy);
gpointer           sextant_price_fetch_get_prepare_data (SextantPriceFetch            *self);
void               sextant_price_fetch_run_async        (SextantPriceFetch            *self,
                                                         GAsyncReadyCallback           callback,
                                                         gpointer                      user_data);
GPtrArray         *sextant_price_fetch_run_finish       (SextantPriceFetch            *self,
                                                         GAsyncResult                 *result,
                                                         GError                      **error);
void               sextant_price_fetch_cancel           (SextantPriceFetch            *self);

G_END_DECLS
