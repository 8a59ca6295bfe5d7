#define G_LOG_DOMAIN "sextant-market-cache"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>

#include "base/sextant-day.h"
#include "market/sextant-market-cache-private.h"
#include "market/sextant-market-error.h"

/* Rates and credit series in `rate_series` (migration 17): FRED's and the ECB's €STR, a row a
 * day with its source and fetch time, so that a provider that cannot be reached is answered from
 * what was fetched before, and says so.
 *
 * A fetch of FRED runs in the agent's tool thread too, over the connection the window's thread
 * shares: an explicit transaction there could interleave with the other thread's. So the rows go
 * in as single statements, each correct on its own: the days the new answer no longer has are
 * dropped first, then each day is replaced. A reader in between sees the day's older value. */

static gboolean
drop_days_not_in (SextantMarketCache  *self,
                  const char          *provider,
                  const char          *series_id,
                  gint32               from_day,
                  gint32               to_day,
                  const gint32        *days,
                  gsize                n,
                  GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) list = g_string_new ("[");

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (list, "%s%d", i > 0 ? "," : "", days[i]);
  g_string_append_c (list, ']');
  stmt = sextant_store_prepare (self->store,
                                "DELETE FROM rate_series WHERE provider = ? AND series = ? "
                                "AND day BETWEEN ? AND ? "
                                "AND day NOT IN (SELECT value FROM json_each (?))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, provider, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, series_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, from_day);
  sqlite3_bind_int (stmt, 4, to_day);
  sqlite3_bind_text (stmt, 5, list->str, (int) list->len, SQLITE_STATIC);
  return sextant_store_step_done (self->store, stmt, error);
}

/**
 * sextant_market_cache_put_series:
 * @self: a cache
 * @provider: `fred` or `ecb`
 * @series_id: the series (FRED's id in upper case, `EST.` and the ECB's key for €STR)
 * @source: how it was fetched (`fred`, `fred-csv`, `ecb`)
 * @licensed: whether the series may not be redistributed (ICE BofA's)
 * @from_day: the first day asked for
 * @to_day: the last day asked for
 * @days: (array length=n): the days of the answer
 * @values: (array length=n): their values, NaN for missing (kept as NULL, never zero)
 * @n: number of days
 * @fetched_at: when, unix seconds
 * @error: return location
 *
 * Stores an answer for the days from @from_day to @to_day: it replaces what was stored for them,
 * so a day the source no longer publishes does not linger.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_market_cache_put_series (SextantMarketCache  *self,
                                 const char          *provider,
                                 const char          *series_id,
                                 const char          *source,
                                 gboolean             licensed,
                                 gint32               from_day,
                                 gint32               to_day,
                                 const gint32        *days,
                                 const double        *values,
                                 gsize                n,
                                 gint64               fetched_at,
                                 GError             **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);
  g_return_val_if_fail (provider != NULL && series_id != NULL && source != NULL, FALSE);

  if (!drop_days_not_in (self, provider, series_id, from_day, to_day, days, n, error))
    return FALSE;
  insert = sextant_store_prepare (self->store,
                                  "INSERT OR REPLACE INTO rate_series (provider, series, day, value, "
                                  "source, fetched_at, licensed) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (insert == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      sqlite3_reset (insert);
      sqlite3_bind_text (insert, 1, provider, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, series_id, -1, SQLITE_STATIC);
      sqlite3_bind_int (insert, 3, days[i]);
      if (isfinite (values[i]))
        sqlite3_bind_double (insert, 4, values[i]);
      else
        sqlite3_bind_null (insert, 4);
      sqlite3_bind_text (insert, 5, source, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 6, fetched_at);
      sqlite3_bind_int (insert, 7, licensed ? 1 : 0);
      if (!sextant_store_step_done (self->store, insert, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * sextant_market_cache_get_series:
 * @self: a cache
 * @provider: `fred` or `ecb`
 * @series_id: the series, as stored
 * @from_day: the first day wanted
 * @to_day: the last day wanted
 * @days: (out) (transfer full): the stored days, oldest first
 * @values: (out) (transfer full): their values, NaN where missing
 * @source: (out) (optional) (transfer full): how the newest day was fetched
 * @fetched_at: (out) (optional): the latest fetch time among them, unix seconds
 * @error: return location
 *
 * Returns: %FALSE on a storage error only; @days is then %NULL, and empty when nothing is stored
 */
gboolean
sextant_market_cache_get_series (SextantMarketCache  *self,
                                 const char          *provider,
                                 const char          *series_id,
                                 gint32               from_day,
                                 gint32               to_day,
                                 GArray             **days,
                                 GArray             **values,
                                 char               **source,
                                 gint64              *fetched_at,
                                 GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) found_days = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) found_values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *newest_source = NULL;
  gint64 newest_fetch = 0;
  int rc;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);

  *days = NULL;
  *values = NULL;
  stmt = sextant_store_prepare (self->store,
                                "SELECT day, value, source, fetched_at FROM rate_series "
                                "WHERE provider = ? AND series = ? AND day BETWEEN ? AND ? "
                                "ORDER BY day", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, provider, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, series_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, from_day);
  sqlite3_bind_int (stmt, 4, to_day);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint32 day = sqlite3_column_int (stmt, 0);
      double value = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 1);

      g_array_append_val (found_days, day);
      g_array_append_val (found_values, value);
      g_free (newest_source);
      newest_source = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      newest_fetch = MAX (newest_fetch, sqlite3_column_int64 (stmt, 3));
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_SQL, "Reading the cached %s series %s: %s",
                   provider, series_id, sqlite3_errmsg (sextant_store_get_db (self->store)));
      return FALSE;
    }
  *days = g_steal_pointer (&found_days);
  *values = g_steal_pointer (&found_values);
  if (source != NULL)
    *source = g_steal_pointer (&newest_source);
  if (fetched_at != NULL)
    *fetched_at = newest_fetch;
  return TRUE;
}

/**
 * sextant_market_cache_describe_cached:
 * @as_of: the newest day of the cached answer
 * @fetched_at: when it was fetched, unix seconds
 * @reason: (nullable): why the source itself did not answer
 *
 * The note that goes with an answer from the cache, so that it is never taken for a fresh one.
 *
 * Returns: (transfer full): “as of 2025-02-28, cached (fetched 2025-03-01 09:30 UTC): …”
 */
char *
sextant_market_cache_describe_cached (gint32      as_of,
                                      gint64      fetched_at,
                                      const char *reason)
{
  g_autofree char *day = sextant_day_format_iso (as_of);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (fetched_at);
  g_autofree char *fetched = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M") : g_strdup ("?");

  if (reason != NULL && *reason != '\0')
    /* Translators: a date, then a date and time, then why the source did not answer */
    return g_strdup_printf (_("as of %s, cached (fetched %s UTC): %s"), day, fetched, reason);
  /* Translators: a date, then a date and time */
  return g_strdup_printf (_("as of %s, cached (fetched %s UTC)"), day, fetched);
}
