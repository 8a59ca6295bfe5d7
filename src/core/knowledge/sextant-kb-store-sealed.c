#define G_LOG_DOMAIN "sextant-kb-store-sealed"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "knowledge/sextant-kb-store-private.h"
#include "knowledge/sextant-kb-terms.h"

/* The chunks of a knowledge base whose store has a key (issue 19): each chunk's text sealed,
 * bound to its row (`kb_chunks.text`), and its index entry the keyed hashes of its terms. The
 * schema's triggers keep clear rows' entries only (migration 13); the entries of sealed rows are
 * written and removed here, with the hashes made again from the opened text, since the external
 * content index must be told exactly what it holds of a row to remove it. */

#define WHERE_TEXT "kb_chunks.text"

/**
 * _sextant_kb_index_sealed:
 * @store: a store with a key, in a write transaction
 * @chunk_id: a chunk just written sealed
 * @text: its clear text
 * @error: return location
 *
 * Returns: whether the chunk's hashed entry is in the index
 */
gboolean
_sextant_kb_index_sealed (SextantStore  *store,
                          gint64         chunk_id,
                          const char    *text,
                          GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hashes = sextant_kb_terms_hash_text (sextant_store_get_db (store), sextant_store_get_key (store),
                                                        text, error);

  if (hashes == NULL)
    return FALSE;
  stmt = sextant_store_prepare (store, "INSERT INTO kb_chunks_fts (rowid, text) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, chunk_id);
  sqlite3_bind_text (stmt, 2, hashes, -1, SQLITE_STATIC);

  return sextant_store_step_done (store, stmt, error);
}

/**
 * _sextant_kb_unindex_sealed:
 * @store: a store, in a write transaction
 * @document_id: the document whose chunks are about to be deleted
 * @error: %SEXTANT_STORE_ERROR_NO_KEY when a chunk is sealed and the key is not at hand
 *
 * Removes the index entries of the document's sealed chunks (the triggers remove the clear
 * ones' as the rows go).
 *
 * Returns: whether they are gone
 */
gboolean
_sextant_kb_unindex_sealed (SextantStore  *store,
                            gint64         document_id,
                            GError       **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) remove = NULL;
  int rc;

  if (!sextant_store_check_writable (store, error))
    return FALSE;
  select = sextant_store_prepare (store, "SELECT id, text FROM kb_chunks WHERE document_id = ? AND typeof (text) = 'blob'",
                                  error);
  remove = select != NULL ? sextant_store_prepare (store, "INSERT INTO kb_chunks_fts (kb_chunks_fts, rowid, text) "
                                                   "VALUES ('delete', ?, ?)", error) : NULL;
  if (remove == NULL)
    return FALSE;
  sqlite3_bind_int64 (select, 1, document_id);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (select, 0);
      gboolean opened = FALSE;
      g_autofree char *text = sextant_store_column_dup_text (store, select, 1, WHERE_TEXT, id, &opened);
      g_autofree char *hashes = NULL;

      if (!opened || sextant_store_get_key (store) == NULL)
        {
          g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY,
                       _("Passage %" PRId64 " of the knowledge base does not open with the key at hand"), id);
          return FALSE;
        }
      if ((hashes = sextant_kb_terms_hash_text (sextant_store_get_db (store), sextant_store_get_key (store), text,
                                                error)) == NULL)
        return FALSE;
      sqlite3_reset (remove);
      sqlite3_bind_int64 (remove, 1, id);
      sqlite3_bind_text (remove, 2, hashes, -1, SQLITE_TRANSIENT);
      if (!sextant_store_step_done (store, remove, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (store, error, "reading sealed passages");
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_kb_store_count_clear:
 * @store: a database
 * @error: return location
 *
 * Returns: how many chunks of the knowledge base still hold clear text, or -1
 */
gint64
sextant_kb_store_count_clear (SextantStore  *store,
                              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), -1);

  stmt = sextant_store_prepare (store, "SELECT count(*) FROM kb_chunks WHERE typeof (text) = 'text'", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (store, error, "counting the clear passages");
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

static gint64
seal_chunks (SextantStore  *store,
             guint          max_rows,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  gint64 n = 0;
  int rc;

  select = sextant_store_prepare (store, "SELECT id, text FROM kb_chunks WHERE typeof (text) = 'text' "
                                  "ORDER BY id LIMIT ?", error);
  update = select != NULL ? sextant_store_prepare (store, "UPDATE kb_chunks SET text = ? WHERE id = ?", error) : NULL;
  if (update == NULL)
    return -1;
  sqlite3_bind_int (select, 1, max_rows);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (select, 0);
      g_autofree char *text = g_strdup ((const char *) sqlite3_column_text (select, 1));
      g_autoptr(GBytes) sealed = sextant_store_seal (store, WHERE_TEXT, id, text);

      sqlite3_reset (update);
      sqlite3_bind_blob (update, 1, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), SQLITE_TRANSIENT);
      sqlite3_bind_int64 (update, 2, id);
      /* The update trigger drops the clear entry; the hashed one replaces it. */
      if (!sextant_store_step_done (store, update, error) || !_sextant_kb_index_sealed (store, id, text, error))
        return -1;
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (store, error, "reading clear passages");
      return -1;
    }

  return n;
}

/**
 * sextant_kb_store_seal_batch:
 * @store: a database with a key (sextant_store_set_key())
 * @max_rows: how many chunks at most
 * @error: return location
 *
 * One step of encrypting a clear knowledge base in place: seals up to @max_rows clear chunks
 * and swaps their index entries for hashed ones, in one transaction, so that an interrupted
 * migration loses nothing and resumes where it stopped.
 *
 * Returns: how many chunks were sealed (0 once none is left), or -1
 */
gint64
sextant_kb_store_seal_batch (SextantStore  *store,
                             guint          max_rows,
                             GError       **error)
{
  gint64 n;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), -1);
  g_return_val_if_fail (sextant_store_get_key (store) != NULL, -1);

  if (!sextant_store_begin (store, error))
    return -1;
  if ((n = seal_chunks (store, max_rows, error)) < 0 || !sextant_store_commit (store, error))
    {
      sextant_store_rollback (store);
      return -1;
    }

  return n;
}
