#define G_LOG_DOMAIN "sextant-market-cache"

#include "config.h"

#include <gio/gio.h>
#include <math.h>

#include "base/sextant-data-dirs.h"
#include "market/sextant-csv-reader.h"
#include "market/sextant-demo-data.h"
#include "market/sextant-market-cache-private.h"
#include "market/sextant-market-error.h"

/* The bundled demo set, seeded into the cache once so that every window and tool reads the demo
 * instruments like any other. */

static gboolean
demo_loaded (SextantMarketCache *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sextant_store_prepare (self->store,
                                "SELECT 1 FROM instruments WHERE symbol = ? AND source = 'demo'",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, SEXTANT_DEMO_INDEX_SYMBOL, -1, SQLITE_STATIC);

  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
import_demo_table (SextantMarketCache  *self,
                   SextantPriceTable   *table,
                   GError             **error)
{
  const gint32 *days = sextant_price_table_get_days (table);

  for (gsize c = 0; c < sextant_price_table_get_n_columns (table); c++)
    {
      const char *symbol = sextant_price_table_get_column_name (table, c);
      const double *close = sextant_price_table_get_column (table, c);

      if (!_sextant_market_cache_insert_instrument (self, symbol, NULL, "USD", "demo", error))
        return FALSE;
      for (gsize r = 0; r < sextant_price_table_get_n_rows (table); r++)
        if (!sextant_market_cache_import_bar (self, symbol, days[r], NAN, NAN, NAN, close[r], NAN,
                                              error))
          return FALSE;
    }

  return TRUE;
}

/**
 * sextant_market_cache_ensure_demo:
 * @self: a cache
 * @error: return location
 *
 * Loads the bundled demo prices (data/demo/: the S&P 500 as `^GSPC`, the 30 Dow stocks' closes,
 * Microsoft's OHLCV) into the cache once, with provider `demo`. Demo bars never replace bars
 * from a provider or a CSV; MSFT's OHLCV goes in after the Dow file, so that within the batch
 * (where a later bar of a day wins) it replaces the Dow file's close-only rows.
 *
 * Returns: %TRUE on success or if already loaded
 */
gboolean
sextant_market_cache_ensure_demo (SextantMarketCache  *self,
                                  GError             **error)
{
  g_autoptr(SextantPriceSeries) index = NULL;
  g_autoptr(SextantPriceSeries) msft = NULL;
  g_autoptr(SextantPriceTable) stocks = NULL;
  g_autofree char *msft_path = sextant_data_dirs_dup_bundled_file ("demo/msft_2000-09_2001-09_ohlcv.csv");

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);

  if (demo_loaded (self))
    return TRUE;
  if ((index = sextant_demo_data_load_index (error)) == NULL ||
      (stocks = sextant_demo_data_load_stocks (error)) == NULL ||
      (msft = sextant_csv_read_price_series (msft_path, "MSFT", error)) == NULL)
    return FALSE;

  if (!_sextant_market_cache_begin_import_full (self, "demo", g_get_real_time () / G_USEC_PER_SEC, FALSE, error))
    return FALSE;
  if (!import_demo_table (self, stocks, error) || !_sextant_market_cache_import_series (self, msft, error) ||
      !_sextant_market_cache_import_series (self, index, error) ||
      !_sextant_market_cache_insert_instrument (self, SEXTANT_DEMO_INDEX_SYMBOL, "S&P 500", "USD", "demo", error))
    {
      sextant_market_cache_abort_import (self);
      return FALSE;
    }

  return sextant_market_cache_commit_import (self, error);
}
