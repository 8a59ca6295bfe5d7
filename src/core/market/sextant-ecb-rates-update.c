#define G_LOG_DOMAIN "sextant-ecb-rates"

#include "config.h"

#include "market/sextant-ecb-rates.h"
#include "market/sextant-market-error.h"

/* Bringing the cache up to date: ask the ECB, in one request, only for the currencies whose
 * range the cache does not already cover, and store the answer (kept in the data lake even when
 * it is an error) and the rates. */

typedef struct
{
  SextantMarketCache *cache;
  GPtrArray          *missing;
} UpdateData;

static void
update_data_free (UpdateData *data)
{
  g_clear_object (&data->cache);
  g_clear_pointer (&data->missing, g_ptr_array_unref);
  g_free (data);
}

static void
update_fetch_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UpdateData *data = g_task_get_task_data (task);
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) lake_error = NULL;

  series = sextant_ecb_rates_fetch_finish (SEXTANT_ECB_RATES (object), result, &response, &error);
  if (series == NULL)
    {
      /* The failed answer is kept too, so that the data lake shows what the service said. */
      if (response != NULL && sextant_market_cache_put_response (data->cache, response,
                                                                 &lake_error) < 0)
        g_warning ("Could not keep the ECB's answer: %s", lake_error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!sextant_market_cache_put_fx_rates (data->cache, series, response, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, data->missing->len - 1);
}

/**
 * sextant_ecb_rates_update_cache_async:
 * @self: a client
 * @cache: where the rates and the raw answers are kept
 * @currencies: (array zero-terminated=1): ISO 4217 codes (the euro is skipped: it is the base)
 * @from_day: the first day wanted
 * @to_day: the last day wanted
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Fetches the rates of the currencies whose range the cache lacks
 * (sextant_market_cache_covers_fx()), all in one request, and stores them with the answer.
 */
void
sextant_ecb_rates_update_cache_async (SextantEcbRates     *self,
                                      SextantMarketCache  *cache,
                                      const char * const  *currencies,
                                      gint32               from_day,
                                      gint32               to_day,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  UpdateData *data;

  g_return_if_fail (SEXTANT_IS_ECB_RATES (self));
  g_return_if_fail (SEXTANT_IS_MARKET_CACHE (cache));
  g_return_if_fail (currencies != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_ecb_rates_update_cache_async);
  data = g_new0 (UpdateData, 1);
  data->cache = g_object_ref (cache);
  data->missing = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) update_data_free);

  for (guint i = 0; currencies[i] != NULL; i++)
    if (g_strcmp0 (currencies[i], "EUR") != 0 &&
        !g_ptr_array_find_with_equal_func (data->missing, currencies[i], g_str_equal, NULL) &&
        !sextant_market_cache_covers_fx (cache, currencies[i], from_day, to_day, now))
      g_ptr_array_add (data->missing, g_strdup (currencies[i]));
  if (data->missing->len == 0)
    {
      g_task_return_int (task, 0);
      return;
    }
  g_ptr_array_add (data->missing, NULL);
  sextant_ecb_rates_fetch_async (self, (const char * const *) data->missing->pdata, from_day,
                                 to_day, cancellable, update_fetch_cb, g_steal_pointer (&task));
}

/**
 * sextant_ecb_rates_update_cache_finish:
 * @self: a client
 * @result: the result
 * @n_fetched: (out) (optional): how many currencies were fetched (0: the cache had them all)
 * @error: return location for a #SEXTANT_MARKET_ERROR or #SEXTANT_STORE_ERROR
 *
 * Returns: %TRUE when the cache now holds what the ECB has for the range
 */
gboolean
sextant_ecb_rates_update_cache_finish (SextantEcbRates  *self,
                                       GAsyncResult     *result,
                                       guint            *n_fetched,
                                       GError          **error)
{
  gssize n;

  g_return_val_if_fail (SEXTANT_IS_ECB_RATES (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n_fetched != NULL)
    *n_fetched = n > 0 ? (guint) n : 0;

  return n >= 0;
}
