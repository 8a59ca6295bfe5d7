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

/* One symbol's closes: a run of cached bars or a bundled column (NaN where it has none). */
typedef struct
{
  const gint32 *days;
  const double *closes;
  gsize         n;
} Closes;

/* The union of the columns' days, one column each, NaN where a column has no close. */
static SextantPriceTable *
join_outer (const Closes       *columns,
            const char * const *symbols,
            gsize               k)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint32));
  SextantPriceTable *table;
  const gint32 *days;
  gsize n = 0;

  for (gsize c = 0; c < k; c++)
    g_array_append_vals (all, columns[c].days, columns[c].n);
  g_array_sort (all, compare_days);
  for (guint i = 0; i < all->len; i++)
    if (n == 0 || g_array_index (all, gint32, i) != g_array_index (all, gint32, n - 1))
      g_array_index (all, gint32, n++) = g_array_index (all, gint32, i);

  table = sextant_price_table_new (n, symbols);
  /* No holdings or no closes: an empty table, whose days may be NULL. */
  if (n > 0)
    memcpy (sextant_price_table_get_days_mutable (table), all->data, n * sizeof (gint32));
  days = sextant_price_table_get_days (table);
  for (gsize c = 0; c < k; c++)
    {
      double *column = sextant_price_table_get_column_mutable (table, c);
      gsize t = 0;

      for (gsize r = 0; r < n; r++)
        column[r] = NAN;
      for (gsize i = 0; i < columns[c].n; i++)
        {
          while (days[t] < columns[c].days[i])
            t++;
          column[t] = columns[c].closes[i];
        }
    }

  return table;
}

/* The cached bars of @symbol from a provider or an import, not the bundled set's: their newest
 * run without a hole. */
static SextantPriceSeries *
dup_stored_bars (SextantMarketCache *cache,
                 const char         *symbol,
                 Closes             *closes)
{
  g_autofree char *provider = cache != NULL ? sextant_market_cache_dup_bar_provider (cache, symbol) : NULL;
  SextantPriceSeries *bars = NULL;
  gsize start;

  if (provider != NULL && g_strcmp0 (provider, "demo") != 0)
    bars = sextant_market_cache_get_bars (cache, symbol, 0, 0, NULL);
  if (bars == NULL || sextant_price_series_get_length (bars) == 0)
    {
      g_clear_pointer (&bars, sextant_price_series_unref);
      return NULL;
    }
  start = newest_run_start (bars);
  *closes = (Closes) {
    sextant_price_series_get_days (bars) + start,
    sextant_price_series_get_close (bars) + start,
    sextant_price_series_get_length (bars) - start,
  };

  return bars;
}

/**
 * sextant_price_history_collect:
 * @cache: (nullable): the market cache, or %NULL without a database
 * @bundled: the bundled demo closes
 * @symbols: (array zero-terminated=1): the holdings' symbols
 * @fetched: (out) (optional): whether every symbol's closes came from the cache
 *
 * The holdings' closes for choosing a data range. Once every symbol has bars from a provider
 * or an import, those (each symbol's newest run without a hole), up to the newest day; until
 * then the bundled closes for the symbols they have and the stored bars for the others, so
 * that bundled and fetched prices are never joined in one column. Days on which a symbol has
 * no close are kept, as NaN: sextant_price_table_summarize_gaps() says what dropping them
 * costs.
 *
 * Returns: (transfer full): the closes, one column per symbol in @symbols' order, on every day
 *   any of them has
 */
SextantPriceTable *
sextant_price_history_collect (SextantMarketCache *cache,
                               SextantPriceTable  *bundled,
                               const char * const *symbols,
                               gboolean           *fetched)
{
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_price_series_unref);
  g_autofree Closes *columns = NULL;
  gsize k, n_stored = 0;

  g_return_val_if_fail (bundled != NULL && symbols != NULL, NULL);

  k = g_strv_length ((char **) symbols);
  columns = g_new0 (Closes, MAX (k, 1));
  for (gsize c = 0; c < k; c++)
    {
      SextantPriceSeries *bars = dup_stored_bars (cache, symbols[c], &columns[c]);

      if (bars != NULL)
        {
          g_ptr_array_add (series, bars);
          n_stored++;
        }
    }

  /* Unless every holding has stored bars, the bundled closes stand for those it has. */
  if (fetched != NULL)
    *fetched = k > 0 && n_stored == k;
  if (n_stored < k)
    for (gsize c = 0; c < k; c++)
      {
        int found = sextant_price_table_find_column (bundled, symbols[c]);

        if (found >= 0)
          columns[c] = (Closes) {
            sextant_price_table_get_days (bundled),
            sextant_price_table_get_column (bundled, found),
            sextant_price_table_get_n_rows (bundled),
          };
      }

  return join_outer (columns, symbols, k);
}
