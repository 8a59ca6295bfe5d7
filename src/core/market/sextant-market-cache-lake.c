#define G_LOG_DOMAIN "sextant-market-cache"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "base/sextant-log-writer.h"
#include "market/sextant-market-cache-private.h"
#include "market/sextant-market-error.h"

/* The data lake: every raw provider response, kept zlib-compressed so that it can be parsed again
 * when a parser is fixed, and the fetch times the rate limiters and staleness checks read. */

/* Kept for a year, and at most 256 MB of compressed bodies; the last day is always kept, since
 * the rate limiters count its fetches. The ECB's answers are not pruned: they are small, and
 * the cache reads them to know which days' rates were asked for already. */
#define DEFAULT_LAKE_MAX_AGE (G_GINT64_CONSTANT (365) * 86400)
#define DEFAULT_LAKE_MAX_BYTES (G_GINT64_CONSTANT (256) * 1024 * 1024)
#define LAKE_KEEP_ALWAYS 86400

/**
 * sextant_market_cache_set_lake_limits:
 * @self: a cache
 * @max_age: seconds a raw response is kept, or 0 for a year
 * @max_bytes: the most compressed body bytes kept, oldest dropped first, or 0 for 256 MB
 *
 * Responses of the last day are kept whatever the limits: the rate limiters read them.
 */
void
sextant_market_cache_set_lake_limits (SextantMarketCache *self,
                                      gint64              max_age,
                                      gint64              max_bytes)
{
  g_return_if_fail (SEXTANT_IS_MARKET_CACHE (self));

  self->lake_max_age = max_age;
  self->lake_max_bytes = max_bytes;
}

/* Drops what is past the retention, in the caller's transaction. */
static gboolean
prune_responses (SextantMarketCache  *self,
                 gint64               now,
                 GError             **error)
{
  gint64 max_age = self->lake_max_age > 0 ? self->lake_max_age : DEFAULT_LAKE_MAX_AGE;
  gint64 max_bytes = self->lake_max_bytes > 0 ? self->lake_max_bytes : DEFAULT_LAKE_MAX_BYTES;
  g_autoptr(sqlite3_stmt) by_age = NULL;
  g_autoptr(sqlite3_stmt) by_size = NULL;

  by_age = sextant_store_prepare (self->store,
                                  "DELETE FROM raw_responses WHERE fetched_at < ?1 "
                                  "AND fetched_at < ?2 AND kind != 'fx'", error);
  if (by_age == NULL)
    return FALSE;
  sqlite3_bind_int64 (by_age, 1, now - max_age);
  sqlite3_bind_int64 (by_age, 2, now - LAKE_KEEP_ALWAYS);
  if (!sextant_store_step_done (self->store, by_age, error))
    return FALSE;

  by_size = sextant_store_prepare (self->store,
                                   "DELETE FROM raw_responses WHERE id IN (SELECT id FROM "
                                   "(SELECT id, fetched_at, SUM (length (body)) OVER "
                                   "(ORDER BY id DESC) AS newer FROM raw_responses) "
                                   "WHERE newer > ?1 AND fetched_at < ?2) AND kind != 'fx'",
                                   error);
  if (by_size == NULL)
    return FALSE;
  sqlite3_bind_int64 (by_size, 1, max_bytes);
  sqlite3_bind_int64 (by_size, 2, now - LAKE_KEEP_ALWAYS);

  return sextant_store_step_done (self->store, by_size, error);
}

/* The provider takes its own key out of a body; any other secret Sextant knows of (registered
 * with the log writer: keys read from the keyring) is taken out here, so that the lake never
 * holds one. Bodies with NUL bytes are not text and are kept as they are. */
static GBytes *
redact_body (GBytes *body)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *text = NULL;
  g_autofree char *redacted = NULL;

  if (data == NULL || len == 0 || memchr (data, '\0', len) != NULL)
    return g_bytes_ref (body);
  text = g_strndup (data, len);
  redacted = sextant_log_writer_redact (text);
  if (strcmp (text, redacted) == 0)
    return g_bytes_ref (body);
  g_debug ("a secret was taken out of a %" G_GSIZE_FORMAT "-byte response before storing it", len);

  return g_bytes_new_take (g_steal_pointer (&redacted), strlen (redacted));
}

static GBytes *
convert (GConverter  *converter,
         GBytes      *data,
         GError     **error)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, converter);
  gsize len = 0;
  const void *bytes = g_bytes_get_data (data, &len);

  if (len > 0 && !g_output_stream_write_all (out, bytes, len, NULL, NULL, error))
    return NULL;
  if (!g_output_stream_close (out, NULL, error))
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/**
 * sextant_market_cache_compress:
 * @data: bytes
 * @error: return location
 *
 * Returns: (transfer full): @data in zlib format
 */
GBytes *
sextant_market_cache_compress (GBytes  *data,
                               GError **error)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);

  return convert (G_CONVERTER (compressor), data, error);
}

/**
 * sextant_market_cache_decompress:
 * @data: zlib-format bytes
 * @error: return location
 *
 * Returns: (transfer full): the original bytes
 */
GBytes *
sextant_market_cache_decompress (GBytes  *data,
                                 GError **error)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);

  return convert (G_CONVERTER (decompressor), data, error);
}

gint64
_sextant_market_cache_insert_response (SextantMarketCache           *self,
                 const SextantMarketResponse  *response,
                 gboolean                      parsed,
                 GError                      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) body = redact_body (response->body);
  g_autoptr(GBytes) packed = sextant_market_cache_compress (body, error);
  gint64 id;

  if (packed == NULL)
    return -1;
  stmt = sextant_store_prepare (self->store,
                                "INSERT INTO raw_responses (provider, kind, symbol, url, status, "
                                "content_type, fetched_at, body_size, body, from_day, to_day, "
                                "parsed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, response->provider, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, response->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, response->symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, response->url, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, response->status);
  sqlite3_bind_text (stmt, 6, response->content_type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, response->fetched_at);
  sqlite3_bind_int64 (stmt, 8, g_bytes_get_size (body));
  sqlite3_bind_blob (stmt, 9, g_bytes_get_data (packed, NULL), g_bytes_get_size (packed),
                     SQLITE_STATIC);
  sqlite3_bind_int (stmt, 10, response->from_day);
  sqlite3_bind_int (stmt, 11, response->to_day);
  sqlite3_bind_int (stmt, 12, parsed);
  if (!sextant_store_step_done (self->store, stmt, error))
    return -1;
  id = sqlite3_last_insert_rowid (sextant_store_get_db (self->store));
  if (!prune_responses (self, MAX (response->fetched_at, g_get_real_time () / G_USEC_PER_SEC),
                        error))
    return -1;

  return id;
}

/**
 * sextant_market_cache_put_response:
 * @self: a cache
 * @response: a raw response (its URL must already be redacted)
 * @error: return location
 *
 * Returns: the row id, or -1
 */
gint64
sextant_market_cache_put_response (SextantMarketCache           *self,
                                   const SextantMarketResponse  *response,
                                   GError                      **error)
{
  gint64 id;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), -1);

  if (!sextant_store_begin (self->store, error))
    return -1;
  id = _sextant_market_cache_insert_response (self, response, FALSE, error);
  if (id < 0 || !sextant_store_commit (self->store, error))
    {
      sextant_store_rollback (self->store);
      return -1;
    }

  return id;
}

/**
 * sextant_market_cache_get_response:
 * @self: a cache
 * @id: a row id
 * @error: return location; %SEXTANT_STORE_ERROR_NOT_FOUND for an unknown id
 *
 * Returns: (transfer full): the response with its body decompressed
 */
SextantMarketResponse *
sextant_market_cache_get_response (SextantMarketCache  *self,
                                   gint64               id,
                                   GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) packed = NULL;
  g_autoptr(GBytes) body = NULL;
  SextantMarketResponse *response;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), NULL);

  stmt = sextant_store_prepare (self->store,
                                "SELECT provider, kind, symbol, url, status, content_type, "
                                "fetched_at, body, from_day, to_day FROM raw_responses "
                                "WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND,
                   "No stored response with id %" G_GINT64_FORMAT, id);
      return NULL;
    }
  packed = g_bytes_new (sqlite3_column_blob (stmt, 7), sqlite3_column_bytes (stmt, 7));
  if ((body = sextant_market_cache_decompress (packed, error)) == NULL)
    return NULL;

  response = sextant_market_response_new ((const char *) sqlite3_column_text (stmt, 0),
                                          (const char *) sqlite3_column_text (stmt, 1),
                                          (const char *) sqlite3_column_text (stmt, 2),
                                          sqlite3_column_int (stmt, 4),
                                          (const char *) sqlite3_column_text (stmt, 5), body);
  response->url = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  response->fetched_at = sqlite3_column_int64 (stmt, 6);
  response->from_day = sqlite3_column_int (stmt, 8);
  response->to_day = sqlite3_column_int (stmt, 9);

  return response;
}

/**
 * sextant_market_cache_list_responses:
 * @self: a cache
 * @symbol: (nullable): only this symbol's responses
 * @kind: (nullable): only `quote` or `daily`
 * @error: return location
 *
 * Returns: (transfer full) (element-type gint64): row ids, oldest first
 */
GArray *
sextant_market_cache_list_responses (SextantMarketCache  *self,
                                     const char          *symbol,
                                     const char          *kind,
                                     GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GArray *ids;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), NULL);

  stmt = sextant_store_prepare (self->store,
                                "SELECT id FROM raw_responses WHERE (?1 IS NULL OR symbol = ?1) "
                                "AND (?2 IS NULL OR kind = ?2) ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }

  return ids;
}

/**
 * sextant_market_cache_was_fetched_since:
 * @self: a cache
 * @symbol: the symbol
 * @from_day: first day wanted, or 0
 * @to_day: last day wanted, or 0 for "up to now"
 * @since: unix seconds
 *
 * Returns: %TRUE if a provider's daily bars for @symbol were fetched and stored since @since
 *   from a request that covered the range (a provider that ignores ranges covers every range)
 */
gboolean
sextant_market_cache_was_fetched_since (SextantMarketCache *self,
                                        const char         *symbol,
                                        gint32              from_day,
                                        gint32              to_day,
                                        gint64              since)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);

  stmt = sextant_store_prepare (self->store,
                                "SELECT 1 FROM raw_responses WHERE symbol = ?1 AND kind = 'daily' "
                                "AND parsed = 1 AND fetched_at >= ?2 "
                                "AND (from_day = 0 OR (?3 > 0 AND from_day <= ?3)) "
                                "AND (to_day = 0 OR (?4 > 0 AND to_day >= ?4)) LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int (stmt, 3, from_day);
  sqlite3_bind_int (stmt, 4, to_day);

  return sqlite3_step (stmt) == SQLITE_ROW;
}

/**
 * sextant_market_cache_list_fetch_times:
 * @self: a cache
 * @provider: a provider id
 * @since: unix seconds
 * @error: return location
 *
 * Returns: (transfer full) (element-type gint64): when each stored response of @provider
 *   arrived, from @since on, oldest first
 */
GArray *
sextant_market_cache_list_fetch_times (SextantMarketCache  *self,
                                       const char          *provider,
                                       gint64               since,
                                       GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GArray *times;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), NULL);

  stmt = sextant_store_prepare (self->store,
                                "SELECT fetched_at FROM raw_responses WHERE provider = ? "
                                "AND fetched_at >= ? ORDER BY fetched_at", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, provider, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  times = g_array_new (FALSE, FALSE, sizeof (gint64));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (times, t);
    }

  return times;
}
