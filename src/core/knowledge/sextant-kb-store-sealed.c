#define G_LOG_DOMAIN "sextant-kb-store-sealed"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "knowledge/sextant-kb-store-private.h"
#include "knowledge/sextant-kb-terms.h"

/* The chunks of a knowledge base whose store has a key (issue 19): each chunk's text sealed,
 * bound to its row (`kb_chunks.text`), and its index entry the keyed hashes of its terms. A
 * document's path and title are sealed too (`kb_documents.path`, `.title`), the path found again
 * through its keyed hash (`path_hash`, migration 16), and each chunk's vector
 * (`kb_vectors.vector`). The
 * schema's triggers keep clear rows' entries only (migration 13); the entries of sealed rows are
 * written and removed here, with the hashes made again from the opened text, since the external
 * content index must be told exactly what it holds of a row to remove it. */

#define WHERE_TEXT "kb_chunks.text"
#define WHERE_PATH "kb_documents.path"
#define WHERE_TITLE "kb_documents.title"
#define WHERE_VECTOR "kb_vectors.vector"
/* The subkey of path_hash (sextant_store_key_derive(); the backup's is 101). */
#define PATH_HASH_PURPOSE 102

/**
 * _sextant_kb_path_hash:
 * @store: a store
 * @path: a document's absolute path
 *
 * A keyed hash (BLAKE2b under a subkey of the history key) finds a sealed path without opening
 * every row, and tells nothing of the path without the key.
 *
 * Returns: (transfer full) (nullable): the path's hash, or %NULL when the store has no key
 */
char *
_sextant_kb_path_hash (SextantStore *store,
                       const char   *path)
{
  SextantStoreKey *key = sextant_store_get_key (store);
  guint8 subkey[crypto_generichash_KEYBYTES];
  guint8 hash[crypto_generichash_BYTES];
  char hex[2 * crypto_generichash_BYTES + 1];

  if (key == NULL)
    return NULL;
  sextant_store_key_derive (key, PATH_HASH_PURPOSE, subkey, sizeof subkey);
  crypto_generichash (hash, sizeof hash, (const guint8 *) path, strlen (path), subkey, sizeof subkey);
  sodium_memzero (subkey, sizeof subkey);

  return g_strdup (sodium_bin2hex (hex, sizeof hex, hash, sizeof hash));
}

/**
 * _sextant_kb_bind_document:
 * @store: a store
 * @stmt: a statement writing a document row
 * @document_id: the row's id (a sealed value is bound to it)
 * @path: the document's path, bound at @path_column
 * @title: its title, bound at @path_column + 1
 *
 * Binds the path and the title, sealed when the store has a key, and the path's hash at
 * @path_column + 2 (NULL in a clear store).
 */
void
_sextant_kb_bind_document (SextantStore *store,
                           sqlite3_stmt *stmt,
                           int           path_column,
                           gint64        document_id,
                           const char   *path,
                           const char   *title)
{
  char *hash = _sextant_kb_path_hash (store, path);

  sextant_store_bind_text_sealed (store, stmt, path_column, WHERE_PATH, document_id, path);
  sextant_store_bind_text_sealed (store, stmt, path_column + 1, WHERE_TITLE, document_id, title);
  if (hash != NULL)
    sqlite3_bind_text (stmt, path_column + 2, hash, -1, g_free);
  else
    sqlite3_bind_null (stmt, path_column + 2);
}

/**
 * _sextant_kb_column_document:
 * @store: a store
 * @stmt: a statement on a document row
 * @path_column: the column of the path; the title's is next
 * @document_id: the row's id
 * @path: (out) (transfer full): the path, "" when it does not open
 * @title: (out) (transfer full): the title, or a stand-in naming the document's id when it does
 *   not open (no key, another key)
 *
 * Returns: whether both opened
 */
gboolean
_sextant_kb_column_document (SextantStore  *store,
                             sqlite3_stmt  *stmt,
                             int            path_column,
                             gint64         document_id,
                             char         **path,
                             char         **title)
{
  gboolean path_opened = FALSE, title_opened = FALSE;

  *path = sextant_store_column_dup_text (store, stmt, path_column, WHERE_PATH, document_id, &path_opened);
  *title = sextant_store_column_dup_text (store, stmt, path_column + 1, WHERE_TITLE, document_id, &title_opened);
  if (*path == NULL)
    *path = g_strdup ("");
  if (*title == NULL)
    *title = g_strdup_printf (_("Encrypted document %" PRId64), document_id);

  return path_opened && title_opened;
}

/**
 * _sextant_kb_bind_vector:
 * @store: a store
 * @stmt: a statement writing a vector
 * @column: the parameter
 * @chunk_id: the chunk (a sealed vector is bound to it)
 * @vector: @dims floats
 * @dims: the dimension
 *
 * Binds the vector sealed when the store has a key, as it is otherwise.
 */
void
_sextant_kb_bind_vector (SextantStore *store,
                         sqlite3_stmt *stmt,
                         int           column,
                         gint64        chunk_id,
                         const float  *vector,
                         guint         dims)
{
  SextantStoreKey *key = sextant_store_get_key (store);
  g_autoptr(GBytes) sealed = NULL;

  if (key == NULL)
    {
      sqlite3_bind_blob (stmt, column, vector, dims * sizeof (float), SQLITE_TRANSIENT);
      return;
    }
  sealed = sextant_store_key_encrypt (key, WHERE_VECTOR, chunk_id, vector, dims * sizeof (float));
  sqlite3_bind_blob (stmt, column, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), SQLITE_TRANSIENT);
}

/**
 * _sextant_kb_column_vector:
 * @store: a store
 * @stmt: a statement on a vector row
 * @column: the vector's column
 * @chunk_id: the chunk
 * @dims: the dimension expected
 * @out: (array length=dims): where the vector goes
 *
 * A clear vector is exactly @dims floats; a sealed one is longer and opens to that many.
 *
 * Returns: whether @out holds the vector (%FALSE for a damaged row or one that does not open)
 */
gboolean
_sextant_kb_column_vector (SextantStore *store,
                           sqlite3_stmt *stmt,
                           int           column,
                           gint64        chunk_id,
                           guint         dims,
                           float        *out)
{
  SextantStoreKey *key = sextant_store_get_key (store);
  gsize len = sqlite3_column_bytes (stmt, column);
  const void *data = sqlite3_column_blob (stmt, column);
  g_autoptr(GBytes) clear = NULL;

  if (len == dims * sizeof (float))
    {
      memcpy (out, data, len);
      return TRUE;
    }
  if (key == NULL || !sextant_store_key_is_sealed (data, len) ||
      (clear = sextant_store_key_decrypt (key, WHERE_VECTOR, chunk_id, data, len, NULL)) == NULL ||
      g_bytes_get_size (clear) != dims * sizeof (float))
    return FALSE;
  memcpy (out, g_bytes_get_data (clear, NULL), dims * sizeof (float));

  return TRUE;
}

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
 * Returns: how many rows of the knowledge base are still clear (chunks, documents and vectors), or -1
 */
gint64
sextant_kb_store_count_clear (SextantStore  *store,
                              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), -1);

  stmt = sextant_store_prepare (store, "SELECT (SELECT count(*) FROM kb_chunks WHERE typeof (text) = 'text') + "
                                "(SELECT count(*) FROM kb_documents WHERE typeof (path) = 'text') + "
                                "(SELECT count(*) FROM kb_vectors WHERE length (vector) = 4 * dims)", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (store, error, "counting the clear passages");
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/* Seals the clear row @select is on through @update; the clear values are bound before the
 * next step moves the cursor. */
typedef gboolean (*SealRow) (SextantStore  *store,
                             sqlite3_stmt  *select,
                             sqlite3_stmt  *update,
                             GError       **error);

static gboolean
seal_chunk (SextantStore  *store,
            sqlite3_stmt  *select,
            sqlite3_stmt  *update,
            GError       **error)
{
  gint64 id = sqlite3_column_int64 (select, 0);
  g_autofree char *text = g_strdup ((const char *) sqlite3_column_text (select, 1));
  g_autoptr(GBytes) sealed = sextant_store_seal (store, WHERE_TEXT, id, text);

  sqlite3_bind_blob (update, 1, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), SQLITE_TRANSIENT);
  sqlite3_bind_int64 (update, 2, id);
  /* The update trigger drops the clear entry; the hashed one replaces it. */
  return sextant_store_step_done (store, update, error) && _sextant_kb_index_sealed (store, id, text, error);
}

static gboolean
seal_document (SextantStore  *store,
               sqlite3_stmt  *select,
               sqlite3_stmt  *update,
               GError       **error)
{
  gint64 id = sqlite3_column_int64 (select, 0);

  _sextant_kb_bind_document (store, update, 1, id, (const char *) sqlite3_column_text (select, 1),
                             (const char *) sqlite3_column_text (select, 2));
  sqlite3_bind_int64 (update, 4, id);
  return sextant_store_step_done (store, update, error);
}

static gboolean
seal_vector (SextantStore  *store,
             sqlite3_stmt  *select,
             sqlite3_stmt  *update,
             GError       **error)
{
  gint64 id = sqlite3_column_int64 (select, 0);

  _sextant_kb_bind_vector (store, update, 1, id, sqlite3_column_blob (select, 2), sqlite3_column_int (select, 1));
  sqlite3_bind_int64 (update, 2, id);
  return sextant_store_step_done (store, update, error);
}

static const struct
{
  const char *select;        /* the clear rows, oldest first, LIMIT ? */
  const char *update;
  SealRow     seal_row;
  const char *what;          /* for a read error */
} sealed_tables[] = {
  { "SELECT id, text FROM kb_chunks WHERE typeof (text) = 'text' ORDER BY id LIMIT ?",
    "UPDATE kb_chunks SET text = ? WHERE id = ?", seal_chunk, "reading clear passages" },
  { "SELECT id, path, title FROM kb_documents WHERE typeof (path) = 'text' ORDER BY id LIMIT ?",
    "UPDATE kb_documents SET path = ?1, title = ?2, path_hash = ?3 WHERE id = ?4", seal_document,
    "reading clear documents" },
  { "SELECT chunk_id, dims, vector FROM kb_vectors WHERE length (vector) = 4 * dims ORDER BY chunk_id LIMIT ?",
    "UPDATE kb_vectors SET vector = ? WHERE chunk_id = ?", seal_vector, "reading clear vectors" },
};

/* Seals up to @max_rows clear rows of one table; returns how many, or -1. */
static gint64
seal_rows (SextantStore  *store,
           guint          table,
           guint          max_rows,
           GError       **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  gint64 n = 0;
  int rc;

  select = sextant_store_prepare (store, sealed_tables[table].select, error);
  update = select != NULL ? sextant_store_prepare (store, sealed_tables[table].update, error) : NULL;
  if (update == NULL)
    return -1;
  sqlite3_bind_int (select, 1, max_rows);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      sqlite3_reset (update);
      if (!sealed_tables[table].seal_row (store, select, update, error))
        return -1;
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (store, error, sealed_tables[table].what);
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
 * and swaps their index entries for hashed ones, then documents' paths and titles, then
 * vectors, in one transaction, so that an interrupted
 * migration loses nothing and resumes where it stopped.
 *
 * Returns: how many rows were sealed (0 once none is left), or -1
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
  /* chunks first, then documents, then vectors: one table a batch */
  n = 0;
  for (guint table = 0; table < G_N_ELEMENTS (sealed_tables) && n == 0; table++)
    n = seal_rows (store, table, max_rows, error);
  if (n < 0 || !sextant_store_commit (store, error))
    {
      sextant_store_rollback (store);
      return -1;
    }

  return n;
}
