#define G_LOG_DOMAIN "sextant-price-history"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-price-history.h"

/* More calendar days than this between two bars is a hole in the history, not a holiday. */
#define MAX_GAP_DAYS 31

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  gint32 x = *(const gint32 *) a, y = *(const gint32 *) b;

  return (x > y) - (x < y);
}

/* The newest run of @bars without a hole: older bars across a hole (the bundled 2001 set under
 * prices fetched today) would make one "daily" return of the years between. */
static gsize
newest_run_start (SextantPriceSeries *bars)
{
  const gint32 *days = sextant_price_series_get_days (bars);
  gsize n = sextant_price_series_get_length (bars);
  gsize start = n > 0 ? n - 1 : 0;

  while (start > 0 && days[start] - days[start - 1] <= MAX_GAP_DAYS)
    start--;

  return start;
}

/* The union of the series' days, one column each, NaN where a series has no close. */
static SextantPriceTable *
join_outer (SextantPriceSeries * const *series,
            const gsize                *starts,
            const char * const         *symbols,
            gsize                       k)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint32));
  SextantPriceTable *table;
  gsize n = 0;

  for (gsize c = 0; c < k; c++)
    if (series[c] != NULL)
      g_array_append_vals (all, sextant_price_series_get_days (series[c]) + starts[c],
                           sextant_price_series_get_length (series[c]) - starts[c]);
  g_array_sort (all, compare_days);
  for (guint i = 0; i < all->len; i++)
    if (n == 0 || g_array_index (all, gint32, i) != g_array_index (all, gint32, n - 1))
      g_array_index (all, gint32, n++) = g_array_index (all, gint32, i);

  table = sextant_price_table_new (n, symbols);
  memcpy (sextant_price_table_get_days_mutable (table), all->data, n * sizeof (gint32));
  for (gsize c = 0; c < k; c++)
    {
      double *column = sextant_price_table_get_column_mutable (table, c);
      gsize t = 0;

      for (gsize r = 0; r < n; r++)
        column[r] = NAN;
      if (series[c] == NULL)
        continue;
      for (gsize i = starts[c]; i < sextant_price_series_get_length (series[c]); i++)
        {
          gint32 day = sextant_price_series_get_days (series[c])[i];

          while (sextant_price_table_get_days (table)[t] < day)
            t++;
          column[t] = sextant_price_series_get_close (series[c])[i];
        }
    }

  return table;
}

/* @symbols' columns of @bundled, NaN for a symbol it does not have. */
static SextantPriceTable *
select_bundled (SextantPriceTable  *bundled,
                const char * const *symbols,
                gsize               k)
{
  gsize n = sextant_price_table_get_n_rows (bundled);
  SextantPriceTable *table = sextant_price_table_new (n, symbols);

  memcpy (sextant_price_table_get_days_mutable (table), sextant_price_table_get_days (bundled),
          n * sizeof (gint32));
  for (gsize c = 0; c < k; c++)
    {
      int found = sextant_price_table_find_column (bundled, symbols[c]);
      double *column = sextant_price_table_get_column_mutable (table, c);

      for (gsize r = 0; r < n; r++)
        column[r] = found >= 0 ? sextant_price_table_get_column (bundled, found)[r] : NAN;
    }

  return table;
}

/**
 * sextant_price_history_collect:
 * @cache: (nullable): the market cache, or %NULL without a database
 * @bundled: the bundled demo closes
 * @symbols: (array zero-terminated=1): the holdings' symbols
 * @fetched: (out) (optional): whether the closes came from the cache
 *
 * The holdings' closes for a data range: the cached bars of every symbol once each has bars
 * from a provider or an import (each symbol's newest run without a hole), else the bundled
 * closes, so that bundled and fetched prices are never joined in one column. Days on which a
 * symbol has no close are kept, as NaN: sextant_price_table_summarize_gaps() says what
 * dropping them costs.
 *
 * Returns: (transfer full): the closes, one column per symbol in @symbols' order
 */
SextantPriceTable *
sextant_price_history_collect (SextantMarketCache *cache,
                               SextantPriceTable  *bundled,
                               const char * const *symbols,
                               gboolean           *fetched)
{
  gsize k;
  g_autoptr(GPtrArray) series = NULL;
  g_autofree gsize *starts = NULL;
  gboolean all = cache != NULL;

  g_return_val_if_fail (bundled != NULL && symbols != NULL, NULL);

  k = g_strv_length ((char **) symbols);
  series = g_ptr_array_new_full (k, (GDestroyNotify) sextant_price_series_unref);
  starts = g_new0 (gsize, k);
  for (gsize c = 0; c < k && all; c++)
    {
      g_autofree char *provider = sextant_market_cache_dup_bar_provider (cache, symbols[c]);
      SextantPriceSeries *bars = NULL;

      if (provider != NULL && g_strcmp0 (provider, "demo") != 0)
        bars = sextant_market_cache_get_bars (cache, symbols[c], 0, 0, NULL);
      all = bars != NULL && sextant_price_series_get_length (bars) > 0;
      if (bars != NULL)
        {
          starts[c] = newest_run_start (bars);
          g_ptr_array_add (series, bars);
        }
    }
  if (fetched != NULL)
    *fetched = all && k > 0;
  if (all && k > 0)
    return join_outer ((SextantPriceSeries * const *) series->pdata, starts, symbols, k);

  return select_bundled (bundled, symbols, k);
}
