#define G_LOG_DOMAIN "sextant-market-cache-instruments"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-market-cache-private.h"

/* The instrument universe is whatever the store has: every symbol with bars (demo, imported,
 * fetched) and every instrument remembered from a search, with its name, currency and exchange
 * where one was ever given. */

/**
 * sextant_market_cache_put_match:
 * @self: a cache
 * @match: an instrument found by a search
 * @error: return location
 *
 * Remembers @match's name, currency and exchange; what is known already is kept where @match
 * says nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_market_cache_put_match (SextantMarketCache        *self,
                                const SextantSymbolMatch  *match,
                                GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);
  g_return_val_if_fail (match != NULL, FALSE);

  stmt = sextant_store_prepare (self->store,
                                "INSERT INTO instruments (symbol, name, currency, exchange, source) "
                                "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (symbol) DO UPDATE SET "
                                "name = coalesce (?2, name), currency = coalesce (?3, currency), "
                                "exchange = coalesce (?4, exchange)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, match->symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, match->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, match->currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, match->exchange != NULL ? match->exchange : match->region, -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, match->source, -1, SQLITE_STATIC);

  return sextant_store_step_done (self->store, stmt, error);
}

static char *
like_pattern (const char *query,
              gboolean    contains)
{
  GString *pattern = g_string_new (contains ? "%" : NULL);

  for (const char *p = query; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');

  return g_string_free (pattern, FALSE);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/**
 * sextant_market_cache_search_instruments:
 * @self: a cache
 * @query: what the user typed: the start of a symbol, or part of a name (any case)
 * @limit: at most this many matches
 * @error: return location
 *
 * Finds instruments of the store: those with bars first, an exact symbol before the others.
 *
 * Returns: (transfer container) (element-type SextantSymbolMatch): the matches, source `local`,
 *   or %NULL on error
 */
GPtrArray *
sextant_market_cache_search_instruments (SextantMarketCache  *self,
                                         const char          *query,
                                         guint                limit,
                                         GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *contains = NULL;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  trimmed = g_strstrip (g_strdup (query));
  prefix = like_pattern (trimmed, FALSE);
  contains = like_pattern (trimmed, TRUE);
  stmt = sextant_store_prepare (self->store,
                                "WITH known (symbol, has_bars) AS ("
                                "  SELECT symbol, 1 FROM bar_blocks GROUP BY symbol"
                                "  UNION ALL SELECT symbol, 0 FROM instruments"
                                "  WHERE symbol NOT IN (SELECT symbol FROM bar_blocks)) "
                                "SELECT k.symbol, i.name, i.currency, i.exchange, k.has_bars "
                                "FROM known k LEFT JOIN instruments i USING (symbol) "
                                "WHERE k.symbol LIKE ?1 ESCAPE '\\' OR i.name LIKE ?2 ESCAPE '\\' "
                                "ORDER BY upper (k.symbol) = upper (?3) DESC, k.has_bars DESC, "
                                "k.symbol LIKE ?1 ESCAPE '\\' DESC, k.symbol LIMIT ?4",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, contains, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, trimmed, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, (int) MIN (limit, G_MAXINT));

  matches = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_symbol_match_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SextantSymbolMatch *match;

      match = sextant_symbol_match_new ((const char *) sqlite3_column_text (stmt, 0), "local");
      match->name = dup_column (stmt, 1);
      match->currency = dup_column (stmt, 2);
      match->exchange = dup_column (stmt, 3);
      match->has_bars = sqlite3_column_int (stmt, 4) != 0;
      match->score = g_ascii_strcasecmp (match->symbol, trimmed) == 0 ? 1.0 : NAN;
      g_ptr_array_add (matches, match);
    }

  return g_steal_pointer (&matches);
}
