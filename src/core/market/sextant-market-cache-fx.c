#define G_LOG_DOMAIN "sextant-market-cache"

#include "config.h"

#include <math.h>

#include "market/sextant-market-cache-private.h"
#include "market/sextant-market-error.h"

/* Exchange rates: one row per currency and day in `fx_rates` (units per 1 EUR, NULL where the
 * source published the date without a value), each with its source and fetch time; the raw
 * answers go to the data lake like every provider's, and they also say which dates were asked
 * for, which is what sextant_market_cache_covers_fx() reads. */

/* The ECB publishes each day's rates in the afternoon: a fetch answers for the days before the
 * day it was made, and for the fetch's own day only for a while. */
#define SAME_DAY_TRUST_SECONDS 3600

/**
 * sextant_market_cache_put_fx_rates:
 * @self: a cache
 * @series: (element-type SextantFxSeries): rates per 1 EUR, with their source and fetch time
 * @response: (nullable): the raw answer they were parsed from, kept in the data lake
 * @error: return location
 *
 * Stores the rates and the answer in one transaction; a date already stored is replaced.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_market_cache_put_fx_rates (SextantMarketCache           *self,
                                   GPtrArray                    *series,
                                   const SextantMarketResponse  *response,
                                   GError                      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);
  g_return_val_if_fail (series != NULL, FALSE);

  if (!sextant_store_begin (self->store, error))
    return FALSE;
  if ((response != NULL &&
       _sextant_market_cache_insert_response (self, response, TRUE, error) < 0) ||
      (stmt = sextant_store_prepare (self->store,
                                     "INSERT INTO fx_rates (base, currency, day, rate, source, "
                                     "fetched_at) VALUES (?, ?, ?, ?, ?, ?) "
                                     "ON CONFLICT (base, currency, day) DO UPDATE SET "
                                     "rate = excluded.rate, source = excluded.source, "
                                     "fetched_at = excluded.fetched_at", error)) == NULL)
    goto failed;
  for (guint s = 0; s < series->len; s++)
    {
      SextantFxSeries *one = g_ptr_array_index (series, s);
      const char *source = sextant_fx_series_get_source (one);

      for (gsize i = 0; i < sextant_fx_series_get_length (one); i++)
        {
          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, 1, sextant_fx_series_get_base (one), -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, sextant_fx_series_get_quote (one), -1, SQLITE_STATIC);
          sqlite3_bind_int (stmt, 3, sextant_fx_series_get_days (one)[i]);
          _sextant_market_cache_bind_number (stmt, 4, sextant_fx_series_get_rates (one)[i]);
          sqlite3_bind_text (stmt, 5, source != NULL ? source : "unknown", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 6, sextant_fx_series_get_fetched_at (one));
          if (!sextant_store_step_done (self->store, stmt, error))
            goto failed;
        }
    }
  if (!sextant_store_commit (self->store, error))
    goto failed;

  return TRUE;

failed:
  sextant_store_rollback (self->store);
  return FALSE;
}

/**
 * sextant_market_cache_get_fx_rates:
 * @self: a cache
 * @currency: an ISO 4217 code
 * @from_day: the first day, or 0
 * @to_day: the last day, or 0 for the newest
 * @error: return location
 *
 * Returns: (transfer full): the stored units of @currency per 1 EUR, possibly empty, with the
 *   source of the newest row and the latest fetch time; %NULL on a storage error
 */
SextantFxSeries *
sextant_market_cache_get_fx_rates (SextantMarketCache  *self,
                                   const char          *currency,
                                   gint32               from_day,
                                   gint32               to_day,
                                   GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SextantFxSeries) series = NULL;
  gint64 fetched_at = 0;
  int rc;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  stmt = sextant_store_prepare (self->store,
                                "SELECT day, rate, source, fetched_at FROM fx_rates "
                                "WHERE base = 'EUR' AND currency = ?1 AND day >= ?2 "
                                "AND (?3 = 0 OR day <= ?3) ORDER BY day", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, currency, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, from_day);
  sqlite3_bind_int (stmt, 3, to_day);
  series = sextant_fx_series_new ("EUR", currency);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!sextant_fx_series_append (series, sqlite3_column_int (stmt, 0),
                                     _sextant_market_cache_column_number (stmt, 1), error))
        return NULL;
      sextant_fx_series_set_source (series, (const char *) sqlite3_column_text (stmt, 2));
      fetched_at = MAX (fetched_at, sqlite3_column_int64 (stmt, 3));
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_SQL, "Reading %s rates: %s",
                   currency, sqlite3_errmsg (sextant_store_get_db (self->store)));
      return NULL;
    }
  sextant_fx_series_set_fetched_at (series, fetched_at);

  return g_steal_pointer (&series);
}

/**
 * sextant_market_cache_covers_fx:
 * @self: a cache
 * @currency: an ISO 4217 code
 * @from_day: the first day wanted
 * @to_day: the last day wanted
 * @now: the time now, unix seconds
 *
 * Whether a stored, parsed answer of the source asked for @currency over the whole range, so
 * that asking again would bring nothing new. An answer covers the days before the day it was
 * fetched, and its own day for an hour: the day's rates may not have been published yet.
 *
 * Returns: %TRUE when the cache already has every rate the source would give
 */
gboolean
sextant_market_cache_covers_fx (SextantMarketCache *self,
                                const char         *currency,
                                gint32              from_day,
                                gint32              to_day,
                                gint64              now)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *pattern = NULL;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);
  g_return_val_if_fail (currency != NULL, FALSE);

  stmt = sextant_store_prepare (self->store,
                                "SELECT 1 FROM raw_responses WHERE kind = 'fx' AND parsed = 1 "
                                "AND '+' || symbol || '+' LIKE ?1 "
                                "AND (from_day = 0 OR from_day <= ?2) "
                                "AND (CASE WHEN ?4 - fetched_at < "
                                G_STRINGIFY (SAME_DAY_TRUST_SECONDS) " THEN "
                                "  (CASE WHEN to_day = 0 THEN fetched_at / 86400 ELSE to_day END) "
                                "ELSE min (CASE WHEN to_day = 0 THEN 1 << 30 ELSE to_day END, "
                                "          fetched_at / 86400 - 1) END) >= ?3 LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  pattern = g_strdup_printf ("%%+%s+%%", currency);
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, from_day);
  sqlite3_bind_int (stmt, 3, to_day);
  sqlite3_bind_int64 (stmt, 4, now);

  return sqlite3_step (stmt) == SQLITE_ROW;
}

/**
 * sextant_market_cache_dup_instrument_currency:
 * @self: a cache
 * @symbol: an instrument's symbol
 *
 * Returns: (transfer full) (nullable): the ISO 4217 code its prices are in, or %NULL when the
 *   instrument or its currency is unknown
 */
char *
sextant_market_cache_dup_instrument_currency (SextantMarketCache *self,
                                              const char         *symbol)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), NULL);
  g_return_val_if_fail (symbol != NULL, NULL);

  stmt = sextant_store_prepare (self->store,
                                "SELECT currency FROM instruments WHERE symbol = ? "
                                "AND currency IS NOT NULL AND currency != ''", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* The stored rates of @currency per 1 EUR; %NULL without an error for the euro itself. */
static gboolean
load_per_eur (SextantMarketCache  *self,
              const char          *currency,
              gint32               from_day,
              gint32               to_day,
              SextantFxSeries    **rates,
              GError             **error)
{
  *rates = NULL;
  if (g_strcmp0 (currency, "EUR") == 0)
    return TRUE;
  *rates = sextant_market_cache_get_fx_rates (self, currency, from_day, to_day, error);

  return *rates != NULL;
}

/**
 * sextant_market_cache_convert_series:
 * @self: a cache
 * @prices: daily bars priced in @currency
 * @currency: the ISO 4217 code of @prices
 * @base: the ISO 4217 code to convert into
 * @dropped_days: (out) (optional) (transfer full) (element-type gint32): dates left out for want
 *   of a rate (see sextant_fx_convert_series())
 * @error: return location
 *
 * Converts @prices with the cached rates, crossed through the euro; fetch the rates first
 * (sextant_ecb_rates_update_cache_async()) for dates the cache may lack.
 *
 * Returns: (transfer full): the bars in @base, or %NULL when no date had a rate
 */
SextantPriceSeries *
sextant_market_cache_convert_series (SextantMarketCache  *self,
                                     SextantPriceSeries  *prices,
                                     const char          *currency,
                                     const char          *base,
                                     GArray             **dropped_days,
                                     GError             **error)
{
  g_autoptr(SextantFxSeries) from_per_eur = NULL;
  g_autoptr(SextantFxSeries) to_per_eur = NULL;
  g_autoptr(SextantFxSeries) cross = NULL;
  gsize n;
  gint32 first, last;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), NULL);
  g_return_val_if_fail (prices != NULL, NULL);
  g_return_val_if_fail (currency != NULL && base != NULL, NULL);

  if (g_strcmp0 (currency, base) == 0)
    {
      if (dropped_days != NULL)
        *dropped_days = g_array_new (FALSE, FALSE, sizeof (gint32));
      return sextant_price_series_ref (prices);
    }
  if ((n = sextant_price_series_get_length (prices)) == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                   "%s has no bars to convert", sextant_price_series_get_symbol (prices));
      return NULL;
    }
  first = sextant_price_series_get_days (prices)[0] - SEXTANT_FX_MAX_STALE_DAYS;
  last = sextant_price_series_get_days (prices)[n - 1];
  if (!load_per_eur (self, currency, first, last, &from_per_eur, error) ||
      !load_per_eur (self, base, first, last, &to_per_eur, error) ||
      (cross = sextant_fx_series_cross (from_per_eur, to_per_eur, error)) == NULL)
    return NULL;

  return sextant_fx_convert_series (prices, cross, dropped_days, error);
}
