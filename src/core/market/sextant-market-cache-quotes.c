#define G_LOG_DOMAIN "sextant-market-cache"

#include "config.h"

#include <gio/gio.h>
#include <math.h>

#include "market/sextant-market-cache-private.h"
#include "market/sextant-market-error.h"

/* The latest quote per symbol, with its "as of" and fetch times. */

gboolean
_sextant_market_cache_insert_quote (SextantMarketCache  *self,
              const SextantQuote  *quote,
              GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (self->store,
                                                        "INSERT OR REPLACE INTO quotes VALUES "
                                                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, quote->symbol, -1, SQLITE_STATIC);
  _sextant_market_cache_bind_number (stmt, 2, quote->price);
  _sextant_market_cache_bind_number (stmt, 3, quote->change);
  _sextant_market_cache_bind_number (stmt, 4, quote->change_percent);
  _sextant_market_cache_bind_number (stmt, 5, quote->previous_close);
  _sextant_market_cache_bind_number (stmt, 6, quote->open);
  _sextant_market_cache_bind_number (stmt, 7, quote->high);
  _sextant_market_cache_bind_number (stmt, 8, quote->low);
  _sextant_market_cache_bind_number (stmt, 9, quote->volume);
  sqlite3_bind_int64 (stmt, 10, quote->as_of);
  sqlite3_bind_int64 (stmt, 11, quote->fetched_at);
  sqlite3_bind_text (stmt, 12, quote->provider != NULL ? quote->provider : "unknown", -1,
                     SQLITE_STATIC);

  return sextant_store_step_done (self->store, stmt, error);
}

/**
 * sextant_market_cache_put_quote:
 * @self: a cache
 * @quote: the quote
 * @error: return location
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_market_cache_put_quote (SextantMarketCache  *self,
                                const SextantQuote  *quote,
                                GError             **error)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);

  if (!sextant_store_begin (self->store, error))
    return FALSE;
  if (!_sextant_market_cache_insert_quote (self, quote, error) || !sextant_store_commit (self->store, error))
    {
      sextant_store_rollback (self->store);
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_market_cache_get_quote:
 * @self: a cache
 * @symbol: the symbol
 * @error: return location; %SEXTANT_MARKET_ERROR_NOT_FOUND when none is cached
 *
 * Returns: (transfer full): the last stored quote, or %NULL
 */
SextantQuote *
sextant_market_cache_get_quote (SextantMarketCache  *self,
                                const char          *symbol,
                                GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SextantQuote *quote;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), NULL);

  stmt = sextant_store_prepare (self->store, "SELECT * FROM quotes WHERE symbol = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
                   "No cached quote for %s", symbol);
      return NULL;
    }

  quote = sextant_quote_new (symbol, (const char *) sqlite3_column_text (stmt, 11));
  quote->price = _sextant_market_cache_column_number (stmt, 1);
  quote->change = _sextant_market_cache_column_number (stmt, 2);
  quote->change_percent = _sextant_market_cache_column_number (stmt, 3);
  quote->previous_close = _sextant_market_cache_column_number (stmt, 4);
  quote->open = _sextant_market_cache_column_number (stmt, 5);
  quote->high = _sextant_market_cache_column_number (stmt, 6);
  quote->low = _sextant_market_cache_column_number (stmt, 7);
  quote->volume = _sextant_market_cache_column_number (stmt, 8);
  quote->as_of = sqlite3_column_int64 (stmt, 9);
  quote->fetched_at = sqlite3_column_int64 (stmt, 10);

  return quote;
}
