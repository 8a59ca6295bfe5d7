#define G_LOG_DOMAIN "sextant-market-cache"

#include "config.h"

#include "market/sextant-market-cache-private.h"
#include "market/sextant-market-error.h"

/* Par yield curves in `par_yields`: a day's curve replaces what was stored for that day and
 * source, so a tenor the source no longer publishes does not linger. */

static gboolean
put_one (SextantMarketCache     *self,
         sqlite3_stmt           *clear,
         sqlite3_stmt           *insert,
         const SextantParCurve  *curve,
         GError                **error)
{
  const char *source = curve->source != NULL ? curve->source : "unknown";

  sqlite3_reset (clear);
  sqlite3_bind_text (clear, 1, source, -1, SQLITE_STATIC);
  sqlite3_bind_int (clear, 2, curve->day);
  if (!sextant_store_step_done (self->store, clear, error))
    return FALSE;
  for (gsize i = 0; i < curve->n; i++)
    {
      sqlite3_reset (insert);
      sqlite3_bind_text (insert, 1, source, -1, SQLITE_STATIC);
      sqlite3_bind_int (insert, 2, curve->day);
      sqlite3_bind_double (insert, 3, curve->months[i]);
      sqlite3_bind_double (insert, 4, curve->yield[i]);
      sqlite3_bind_int64 (insert, 5, curve->fetched_at);
      if (!sextant_store_step_done (self->store, insert, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * sextant_market_cache_put_par_curves:
 * @self: a cache
 * @curves: (element-type SextantParCurve): curves with their source and fetch time
 * @response: (nullable): the raw answer they came from, kept in the data lake
 * @error: return location
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_market_cache_put_par_curves (SextantMarketCache           *self,
                                     GPtrArray                    *curves,
                                     const SextantMarketResponse  *response,
                                     GError                      **error)
{
  g_autoptr(sqlite3_stmt) clear = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);

  if (!sextant_store_begin (self->store, error))
    return FALSE;
  if ((response != NULL && _sextant_market_cache_insert_response (self, response, TRUE, error) < 0)
      || (clear = sextant_store_prepare (self->store, "DELETE FROM par_yields WHERE source = ? "
                                         "AND day = ?", error)) == NULL
      || (insert = sextant_store_prepare (self->store, "INSERT INTO par_yields (source, day, "
                                          "tenor_months, yield, fetched_at) VALUES (?, ?, ?, ?, ?)",
                                          error)) == NULL)
    goto failed;
  for (guint c = 0; c < curves->len; c++)
    if (!put_one (self, clear, insert, curves->pdata[c], error))
      goto failed;
  if (!sextant_store_commit (self->store, error))
    goto failed;
  return TRUE;

failed:
  sextant_store_rollback (self->store);
  return FALSE;
}

/**
 * sextant_market_cache_get_par_curve:
 * @self: a cache
 * @source: the source, such as `treasury`
 * @day: the day wanted, or 0 for the newest stored
 * @curve: (out) (transfer full) (nullable): the stored curve of @day or of the last day before
 *   it, %NULL when there is none
 * @error: return location
 *
 * Returns: %FALSE on a storage error only
 */
gboolean
sextant_market_cache_get_par_curve (SextantMarketCache  *self,
                                    const char          *source,
                                    gint32               day,
                                    SextantParCurve    **curve,
                                    GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SextantParCurve) found = NULL;
  int rc;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);

  *curve = NULL;
  stmt = sextant_store_prepare (self->store,
                                "SELECT day, tenor_months, yield, fetched_at FROM par_yields "
                                "WHERE source = ?1 AND day = (SELECT MAX (day) FROM par_yields "
                                "WHERE source = ?1 AND (?2 = 0 OR day <= ?2)) "
                                "ORDER BY tenor_months", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, source, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, day);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (found == NULL)
        found = sextant_par_curve_new (sqlite3_column_int (stmt, 0), source);
      sextant_par_curve_add (found, sqlite3_column_double (stmt, 1),
                             sqlite3_column_double (stmt, 2));
      found->fetched_at = MAX (found->fetched_at, sqlite3_column_int64 (stmt, 3));
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_SQL, "Reading %s par yields: %s",
                   source, sqlite3_errmsg (sextant_store_get_db (self->store)));
      return FALSE;
    }
  *curve = g_steal_pointer (&found);
  return TRUE;
}
