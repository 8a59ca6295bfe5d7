#define G_LOG_DOMAIN "sextant-price-refresh"

#include "config.h"

#include <math.h>

#include "analytics/sextant-align.h"
#include "market/sextant-market-error.h"
#include "market/sextant-price-refresh.h"

/* "Refresh" on the risk dashboard: fetch again the symbols whose cached daily bars are stale,
 * one after the other (free plans count every request), and say per symbol what failed. The
 * market data service stores each answer before it returns it and keeps the cached bars when
 * every provider fails, so a failed refresh never loses data. */

/* A provider whose limiter says "not yet" is asked again after this long: Stooq and Yahoo allow
 * one request a second, and a refresh of thirty symbols should not report twenty-nine of them
 * as rate limited. Longer waits (a spent daily allowance) are reported instead. */
#define RATE_LIMIT_RETRY_US (G_USEC_PER_SEC + G_USEC_PER_SEC / 10)

void
sextant_price_refresh_outcome_free (SextantPriceRefreshOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_free (outcome->symbol);
  g_clear_error (&outcome->error);
  g_free (outcome);
}

/**
 * sextant_price_refresh_list_stale:
 * @data: a market data service
 * @symbols: (array zero-terminated=1): symbols
 *
 * A symbol is stale when its cached bars do not reach the last weekday and no provider was
 * asked for them in the last 12 hours (see sextant_market_data_range_is_cached()).
 *
 * Returns: (transfer full): the stale ones, in the order given
 */
char **
sextant_price_refresh_list_stale (SextantMarketData  *data,
                                  const char * const *symbols)
{
  g_autoptr(GStrvBuilder) stale = g_strv_builder_new ();

  g_return_val_if_fail (SEXTANT_IS_MARKET_DATA (data), NULL);

  for (guint i = 0; symbols != NULL && symbols[i] != NULL; i++)
    if (!sextant_market_data_range_is_cached (data, symbols[i], 0, 0))
      g_strv_builder_add (stale, symbols[i]);

  return g_strv_builder_end (stale);
}

typedef struct
{
  gboolean  done;
  gboolean  fetched;
  GError   *error;
} Fetch;

static void
daily_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(SextantPriceSeries) series = NULL;
  GError *fetch_error = NULL;

  series = sextant_market_data_get_daily_finish (SEXTANT_MARKET_DATA (object), result, &fetch_error,
                                                 &fetch->error);
  /* Without bars, the error already says why the providers failed. */
  if (series == NULL)
    g_clear_error (&fetch_error);
  else if (fetch_error == NULL)
    fetch->fetched = TRUE;
  else
    fetch->error = fetch_error;
  fetch->done = TRUE;
}

static void
fetch_one (SextantMarketData *data,
           const char        *symbol,
           GCancellable      *cancellable,
           Fetch             *fetch)
{
  GMainContext *context = g_main_context_get_thread_default ();

  *fetch = (Fetch) { FALSE, FALSE, NULL };
  sextant_market_data_get_daily_async (data, symbol, 0, 0, cancellable, daily_cb, fetch);
  while (!fetch->done)
    g_main_context_iteration (context, TRUE);
}

static gboolean
wait_cancellable (gint64        us,
                  GCancellable *cancellable)
{
  gint64 end = g_get_monotonic_time () + us;

  while (g_get_monotonic_time () < end)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      g_usleep (MIN (50000, MAX (0, end - g_get_monotonic_time ())));
    }

  return !g_cancellable_is_cancelled (cancellable);
}

/**
 * sextant_price_refresh_run:
 * @data: a market data service made in this thread
 * @symbols: (array zero-terminated=1): the symbols to fetch (sextant_price_refresh_list_stale())
 * @cancellable: (nullable): stops between and during fetches
 * @progress: (nullable) (scope call): told before each symbol
 * @user_data: data for @progress
 * @error: only %G_IO_ERROR_CANCELLED: a provider's failure is an outcome, not an error
 *
 * Fetches each symbol's daily bars up to today through @data (cache, router, providers), one at
 * a time, on the thread-default main context, which it iterates until each fetch is done: call
 * it from a worker thread that pushed a context of its own and made @data there.
 *
 * Returns: (transfer full) (element-type SextantPriceRefreshOutcome): one outcome per symbol,
 *   or %NULL when cancelled
 */
GPtrArray *
sextant_price_refresh_run (SextantMarketData        *data,
                           const char * const       *symbols,
                           GCancellable             *cancellable,
                           SextantPriceRefreshFunc   progress,
                           gpointer                  user_data,
                           GError                  **error)
{
  g_autoptr(GPtrArray) outcomes = NULL;
  gboolean retry_pays = TRUE;
  guint total;

  g_return_val_if_fail (SEXTANT_IS_MARKET_DATA (data), NULL);

  total = symbols != NULL ? g_strv_length ((char **) symbols) : 0;
  outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_price_refresh_outcome_free);
  for (guint i = 0; i < total; i++)
    {
      SextantPriceRefreshOutcome *outcome = g_new0 (SextantPriceRefreshOutcome, 1);
      Fetch fetch;

      g_ptr_array_add (outcomes, outcome);
      outcome->symbol = g_strdup (symbols[i]);
      if (progress != NULL)
        progress (symbols[i], i, total, user_data);
      fetch_one (data, symbols[i], cancellable, &fetch);
      /* Once a retry did not help (a provider paused after its own "limit reached"), the
       * other symbols fail at once rather than each waiting in vain. */
      if (retry_pays &&
          g_error_matches (fetch.error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED) &&
          wait_cancellable (RATE_LIMIT_RETRY_US, cancellable))
        {
          g_clear_error (&fetch.error);
          fetch_one (data, symbols[i], cancellable, &fetch);
          retry_pays = fetch.error == NULL;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_clear_error (&fetch.error);
          return NULL;
        }
      outcome->fetched = fetch.fetched;
      outcome->error = fetch.error;
    }
  if (progress != NULL && total > 0)
    progress (NULL, total, total, user_data);

  return g_steal_pointer (&outcomes);
}

/**
 * sextant_price_refresh_collect_closes:
 * @cache: a market cache
 * @stale: prices whose columns name the symbols wanted; only bars after its last day are used
 * @min_rows: how many days every symbol must share
 * @n_missing: (out) (optional): how many symbols have no newer bars at all
 * @error: %SEXTANT_MARKET_ERROR_NOT_FOUND naming the symbols without newer bars, or
 *   %SEXTANT_MARKET_ERROR_NO_DATA when they share too few days
 *
 * The newer prices that replace @stale once every one of its symbols has them: the cached
 * closes after @stale's last day, on the days all symbols share, in @stale's column order. A
 * symbol whose newest cached bar is from the bundled demo set (provider `demo`) has none.
 * Joining them to @stale instead would make one "daily" return of the years in between.
 *
 * Returns: (transfer full) (nullable): the closes, or %NULL
 */
SextantPriceTable *
sextant_price_refresh_collect_closes (SextantMarketCache  *cache,
                                      SextantPriceTable   *stale,
                                      gsize                min_rows,
                                      gsize               *n_missing,
                                      GError             **error)
{
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_price_series_unref);
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  g_auto(GStrv) missing_names = NULL;
  g_autoptr(SextantPriceTable) joined = NULL;
  g_autoptr(SextantPriceTable) complete = NULL;
  gsize n_columns, n_rows;
  gint32 after;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (cache), NULL);
  g_return_val_if_fail (stale != NULL && sextant_price_table_get_n_rows (stale) > 0, NULL);

  n_columns = sextant_price_table_get_n_columns (stale);
  n_rows = sextant_price_table_get_n_rows (stale);
  after = sextant_price_table_get_days (stale)[n_rows - 1] + 1;
  for (gsize c = 0; c < n_columns; c++)
    {
      const char *symbol = sextant_price_table_get_column_name (stale, c);
      g_autofree char *provider = sextant_market_cache_dup_bar_provider (cache, symbol);
      SextantPriceSeries *bars = NULL;

      /* The bundled set itself reaches past @stale for one symbol (MSFT's OHLCV file). */
      if (g_strcmp0 (provider, "demo") != 0)
        bars = sextant_market_cache_get_bars (cache, symbol, after, 0, NULL);
      if (bars == NULL || sextant_price_series_get_length (bars) == 0)
        g_strv_builder_add (missing, symbol);
      if (bars != NULL)
        g_ptr_array_add (series, bars);
    }
  missing_names = g_strv_builder_end (missing);
  if (n_missing != NULL)
    *n_missing = g_strv_length (missing_names);
  if (missing_names[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", missing_names);
      g_autofree char *last = sextant_day_format_iso (after - 1);

      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
                   "No prices after %s for %s", last, list);
      return NULL;
    }

  joined = sextant_align_series ((SextantPriceSeries * const *) series->pdata, series->len, error);
  if (joined == NULL)
    return NULL;
  complete = sextant_price_table_drop_incomplete (joined, NULL);
  if (sextant_price_table_get_n_rows (complete) < min_rows)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                   "The newer prices share %zu days, fewer than the %zu needed",
                   sextant_price_table_get_n_rows (complete), min_rows);
      return NULL;
    }

  return g_steal_pointer (&complete);
}
