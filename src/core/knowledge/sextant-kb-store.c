#define G_LOG_DOMAIN "sextant-kb-store"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "knowledge/sextant-kb-error.h"
#include "knowledge/sextant-kb-store-private.h"
#include "knowledge/sextant-kb-text.h"

/* The knowledge base's documents and chunks in Sextant's SQLite file (migrations 8 and 9). A
 * document is added in one transaction: its chunks, their FTS5 rows (written with them) and the
 * document row appear together or not at all, so a search never sees half a document and an
 * interrupted add leaves nothing behind. Each SextantKbStore wraps one connection; a worker
 * indexes through a store of its own connection (sextant_store_open_connection()). */

G_DEFINE_FINAL_TYPE (SextantKbStore, sextant_kb_store, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (SextantKbDocument, sextant_kb_document, sextant_kb_document_copy, sextant_kb_document_free)
G_DEFINE_BOXED_TYPE (SextantKbPassage, sextant_kb_passage, sextant_kb_passage_copy, sextant_kb_passage_free)

static const char * const format_names[] = { "pdf", "markdown", "text", "html", "csv" };

SextantKbDocument *
sextant_kb_document_copy (const SextantKbDocument *document)
{
  SextantKbDocument *copy = g_memdup2 (document, sizeof *document);

  copy->path = g_strdup (document->path);
  copy->title = g_strdup (document->title);
  copy->format = g_strdup (document->format);
  copy->sha256 = g_strdup (document->sha256);
  copy->tags = g_strdupv (document->tags);

  return copy;
}

void
sextant_kb_document_free (SextantKbDocument *document)
{
  if (document == NULL)
    return;
  g_free (document->path);
  g_free (document->title);
  g_free (document->format);
  g_free (document->sha256);
  g_strfreev (document->tags);
  g_free (document);
}

SextantKbPassage *
sextant_kb_passage_copy (const SextantKbPassage *passage)
{
  SextantKbPassage *copy = g_memdup2 (passage, sizeof *passage);

  copy->title = g_strdup (passage->title);
  copy->path = g_strdup (passage->path);
  copy->text = g_strdup (passage->text);

  return copy;
}

void
sextant_kb_passage_free (SextantKbPassage *passage)
{
  if (passage == NULL)
    return;
  g_free (passage->title);
  g_free (passage->path);
  g_free (passage->text);
  g_free (passage);
}

void
_sextant_kb_vector_cache_free (SextantKbVectorCache *cache)
{
  if (cache == NULL)
    return;
  g_free (cache->model);
  g_clear_pointer (&cache->ids, g_array_unref);
  g_clear_pointer (&cache->document_ids, g_array_unref);
  g_clear_pointer (&cache->matrix, g_array_unref);
  g_clear_pointer (&cache->quantized, sextant_kb_quantized_free);
  g_free (cache);
}

static void
sextant_kb_store_finalize (GObject *object)
{
  SextantKbStore *self = SEXTANT_KB_STORE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->cache, _sextant_kb_vector_cache_free);
  g_mutex_clear (&self->cache_lock);

  G_OBJECT_CLASS (sextant_kb_store_parent_class)->finalize (object);
}

static void
sextant_kb_store_class_init (SextantKbStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_kb_store_finalize;
}

static void
sextant_kb_store_init (SextantKbStore *self)
{
  g_mutex_init (&self->cache_lock);
}

/**
 * sextant_kb_store_new:
 * @store: a database opened with the knowledge base's migrations (sextant_schema_open())
 *
 * Returns: (transfer full): the knowledge base on @store's connection
 */
SextantKbStore *
sextant_kb_store_new (SextantStore *store)
{
  SextantKbStore *self;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), NULL);

  self = g_object_new (SEXTANT_TYPE_KB_STORE, NULL);
  self->store = g_object_ref (store);

  return self;
}

/**
 * sextant_kb_store_get_store:
 *
 * Returns: (transfer none): the connection the knowledge base uses
 */
SextantStore *
sextant_kb_store_get_store (SextantKbStore *self)
{
  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), NULL);

  return self->store;
}

/* The file's size and SHA-256, read in blocks: a large file is never held whole for this. */
static char *
hash_file (const char    *path,
           gint64        *size,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  gssize n;

  *size = 0;
  if ((in = g_file_read (file, cancellable, &local_error)) == NULL)
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_READ, _("%s: cannot be read (%s)"), path,
                   local_error->message);
      return NULL;
    }
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 64 * 1024, cancellable, &local_error)) > 0)
    {
      g_checksum_update (checksum, buffer, n);
      *size += n;
    }
  if (n < 0)
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_READ, _("%s: cannot be read (%s)"), path,
                   local_error->message);
      return NULL;
    }

  return g_strdup (g_checksum_get_string (checksum));
}

/* The document's row and its hash, if the path is known: by the path's keyed hash in a store
 * with a key, or by the path itself in a clear row. */
static gint64
lookup_path (SextantKbStore  *self,
             const char      *path,
             char           **sha256,
             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (self->store, "SELECT id, sha256 FROM kb_documents "
                                                        "WHERE path_hash = ?1 OR path = ?2", error);
  g_autofree char *hash = NULL;
  int rc;

  if (stmt == NULL)
    return -1;
  if ((hash = _sextant_kb_path_hash (self->store, path)) != NULL)
    sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      return sqlite3_column_int64 (stmt, 0);
    }
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (self->store, error, "looking up a document");
      return -1;
    }

  return 0;
}

/* The document's row; its path and title sealed when the store has a key (a clear row of a
 * store being sealed is sealed as it is rewritten). */
static gint64
write_document (SextantKbStore       *self,
                gint64                id,
                const char           *path,
                const SextantKbText  *text,
                gint64                size,
                const char           *sha256,
                GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (id <= 0 && sextant_store_get_key (self->store) != NULL &&
      (id = -sextant_store_next_row_id (self->store, "kb_documents", error)) == 0)
    return -1;
  /* A negative id: a new row given its id, as a sealed value is bound to it. */
  if (id > 0)
    stmt = sextant_store_prepare (self->store,
                                  "UPDATE kb_documents SET path = ?8, title = ?9, path_hash = ?10, format = ?3, "
                                  "size = ?4, sha256 = ?5, n_pages = ?6, indexed_at = ?7 WHERE id = ?1", error);
  else
    stmt = sextant_store_prepare (self->store,
                                  "INSERT INTO kb_documents (id, path, title, path_hash, format, size, sha256, n_pages, "
                                  "added_at, indexed_at) VALUES (?1, ?8, ?9, ?10, ?3, ?4, ?5, ?6, ?7, ?7)", error);
  if (stmt == NULL)
    return -1;
  if (id != 0)
    sqlite3_bind_int64 (stmt, 1, ABS (id));
  sqlite3_bind_text (stmt, 3, format_names[text->format], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, size);
  sqlite3_bind_text (stmt, 5, sha256, -1, SQLITE_TRANSIENT);
  if (text->paged)
    sqlite3_bind_int (stmt, 6, text->pages->len);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_int64 (stmt, 7, now);
  _sextant_kb_bind_document (self->store, stmt, 8, ABS (id), path, text->title);
  if (!sextant_store_step_done (self->store, stmt, error))
    return -1;

  return id != 0 ? ABS (id) : sqlite3_last_insert_rowid (sextant_store_get_db (self->store));
}

/* One chunk's row and its index entry: its text as it is, or sealed with the keyed hashes of
 * its terms as the entry. */
static gboolean
write_chunk (SextantKbStore       *self,
             sqlite3_stmt         *stmt,
             sqlite3_stmt         *index,
             gint64                chunk_id,
             const char           *text,
             gsize                 length,
             GError              **error)
{
  g_autofree char *clear = NULL;

  if (chunk_id == 0)
    {
      sqlite3_bind_null (stmt, 7);
      sqlite3_bind_text (stmt, 6, text, length, SQLITE_STATIC);
      if (!sextant_store_step_done (self->store, stmt, error))
        return FALSE;
      sqlite3_bind_int64 (index, 1, sqlite3_last_insert_rowid (sextant_store_get_db (self->store)));
      sqlite3_bind_text (index, 2, text, length, SQLITE_STATIC);
      return sextant_store_step_done (self->store, index, error);
    }
  clear = g_strndup (text, length);
  sqlite3_bind_int64 (stmt, 7, chunk_id);
  sextant_store_bind_text_sealed (self->store, stmt, 6, "kb_chunks.text", chunk_id, clear);

  return sextant_store_step_done (self->store, stmt, error) &&
         (clear[0] == '\0' || _sextant_kb_index_sealed (self->store, chunk_id, clear, error));
}

static gboolean
write_chunks (SextantKbStore               *self,
              gint64                        document_id,
              const SextantKbText          *text,
              const SextantKbChunkOptions  *options,
              GCancellable                 *cancellable,
              guint                        *n_chunks,
              GError                      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) index = NULL;
  guint ord = 0;
  gint64 next_id = 0;

  /* A sealed value is bound to its row, so sealed rows are given their ids here. */
  if (sextant_store_get_key (self->store) != NULL &&
      (next_id = sextant_store_next_row_id (self->store, "kb_chunks", error)) == 0)
    return FALSE;
  stmt = sextant_store_prepare (self->store,
                                "INSERT INTO kb_chunks (id, document_id, ord, page, char_start, char_end, text) "
                                "VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6)", error);
  index = stmt != NULL ? sextant_store_prepare (self->store, "INSERT INTO kb_chunks_fts (rowid, text) VALUES (?, ?)",
                                                error) : NULL;
  if (index == NULL)
    return FALSE;
  for (guint p = 0; p < text->pages->len; p++)
    {
      const char *page = text->pages->pdata[p];
      g_autoptr(GArray) spans = sextant_kb_chunk_text (page, options);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (guint i = 0; i < spans->len; i++)
        {
          const SextantKbSpan *span = &g_array_index (spans, SextantKbSpan, i);

          sqlite3_reset (stmt);
          sqlite3_bind_int64 (stmt, 1, document_id);
          sqlite3_bind_int (stmt, 2, ord++);
          if (text->paged)
            sqlite3_bind_int (stmt, 3, p + 1);
          else
            sqlite3_bind_null (stmt, 3);
          sqlite3_bind_int64 (stmt, 4, span->char_start);
          sqlite3_bind_int64 (stmt, 5, span->char_end);
          if (!write_chunk (self, stmt, index, next_id, page + span->start, span->end - span->start, error))
            return FALSE;
          if (next_id > 0)
            next_id++;
        }
    }
  *n_chunks = ord;

  return TRUE;
}

static gboolean
delete_chunks (SextantKbStore  *self,
               gint64           document_id,
               GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_sextant_kb_unindex_sealed (self->store, document_id, error))
    return FALSE;
  stmt = sextant_store_prepare (self->store, "DELETE FROM kb_chunks WHERE document_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);

  return sextant_store_step_done (self->store, stmt, error);
}

/* FTS5 merges a level's segments once 16 of them are there, not 4 (its automerge default):
 * each term is rewritten fewer times as segments grow, and chunking + indexing ran 20 to 40 %
 * faster in CPU time (tests/bench/bench-knowledge, same run), with bm25 queries no slower at
 * 100,000 chunks. FTS5 keeps the setting in the index's own config table, so it is written once
 * per store, in the first file's transaction, and only when it is not there yet; a migration
 * could hold it as migration 13 holds hashsize. */
static gboolean
tune_fts (SextantKbStore  *self,
          GError         **error)
{
  if (self->fts_tuned)
    return TRUE;
  if (!sextant_store_exec (self->store,
                           "INSERT INTO kb_chunks_fts (kb_chunks_fts, rank) SELECT 'automerge', 16 WHERE NOT EXISTS "
                           "(SELECT 1 FROM kb_chunks_fts_config WHERE k = 'automerge' AND v = 16)", error))
    return FALSE;
  self->fts_tuned = TRUE;

  return TRUE;
}

static char *
describe_pages_without_text (const SextantKbText *text)
{
  g_autoptr(GString) pages = g_string_new (NULL);

  if (text->pages_without_text->len == 0)
    return NULL;
  for (guint i = 0; i < text->pages_without_text->len; i++)
    g_string_append_printf (pages, "%s%u", i ? ", " : "", g_array_index (text->pages_without_text, guint, i));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "page %s: no text layer, not indexed",
                                       "pages %s: no text layer, not indexed", text->pages_without_text->len),
                          pages->str);
}

/**
 * sextant_kb_store_add_file:
 * @self: a knowledge base
 * @path: a PDF, Markdown, text, HTML or CSV file
 * @options: (nullable): chunk size and overlap, %NULL for the defaults
 * @cancellable: (nullable): a cancellable
 * @outcome: (out) (optional): whether it was new, changed or unchanged
 * @note: (out) (optional) (transfer full): what of it could not be indexed (PDF pages without
 *   text), or %NULL
 * @error: return location for a %SEXTANT_KB_ERROR or %SEXTANT_STORE_ERROR naming the file
 *
 * Indexes a file: an unchanged one (same path, same SHA-256) costs a read and nothing else, a
 * changed one replaces its chunks. Its rows go in one transaction (a savepoint inside the
 * caller's, if one is open), so a file is indexed whole or not at all.
 *
 * Returns: whether the file is indexed as it is now
 */
gboolean
sextant_kb_store_add_file (SextantKbStore               *self,
                           const char                   *path,
                           const SextantKbChunkOptions  *options,
                           GCancellable                 *cancellable,
                           SextantKbAddOutcome          *outcome,
                           char                        **note,
                           GError                      **error)
{
  g_autofree char *absolute = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *stored_sha256 = NULL;
  g_autoptr(SextantKbText) text = NULL;
  SextantKbChunkOptions defaults;
  gint64 size, id;
  guint n_chunks = 0;
  gboolean own = FALSE;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (options == NULL)
    {
      sextant_kb_chunk_options_init (&defaults);
      options = &defaults;
    }
  if (!sextant_kb_chunk_options_check (options, error) || !sextant_store_check_writable (self->store, error))
    return FALSE;
  absolute = g_canonicalize_filename (path, NULL);
  if ((sha256 = hash_file (absolute, &size, cancellable, error)) == NULL ||
      (id = lookup_path (self, absolute, &stored_sha256, error)) < 0)
    return FALSE;
  if (id > 0 && g_strcmp0 (sha256, stored_sha256) == 0)
    {
      if (outcome != NULL)
        *outcome = SEXTANT_KB_ADD_UNCHANGED;
      return TRUE;
    }
  if ((text = sextant_kb_text_extract (absolute, cancellable, error)) == NULL)
    return FALSE;
  own = sqlite3_get_autocommit (sextant_store_get_db (self->store));
  if (own && !sextant_store_begin (self->store, error))
    return FALSE;
  if (!sextant_store_exec (self->store, "SAVEPOINT kb_add_file", error) || !tune_fts (self, error))
    goto fail;
  if (id > 0 && !delete_chunks (self, id, error))
    goto fail;
  if ((id = write_document (self, id, absolute, text, size, sha256, error)) < 0 ||
      !write_chunks (self, id, text, options, cancellable, &n_chunks, error) ||
      !sextant_store_exec (self->store, "RELEASE kb_add_file", error) ||
      (own && !self->batch_commits && !sextant_store_commit (self->store, error)))
    goto fail;
  if (outcome != NULL)
    *outcome = stored_sha256 != NULL ? SEXTANT_KB_ADD_UPDATED : SEXTANT_KB_ADD_NEW;
  if (note != NULL)
    *note = describe_pages_without_text (text);
  g_debug ("Indexed %s: %u chunks", absolute, n_chunks);

  return TRUE;

fail:
  if (own && !self->batch_commits)
    sextant_store_rollback (self->store);
  else if (!sqlite3_get_autocommit (sextant_store_get_db (self->store)))
    /* Only this file's work is undone; the caller's transaction goes on. */
    sqlite3_exec (sextant_store_get_db (self->store), "ROLLBACK TO kb_add_file; RELEASE kb_add_file", NULL, NULL, NULL);
  return FALSE;
}

/**
 * sextant_kb_store_set_batch_commits:
 * @self: a knowledge base
 * @batch_commits: whether sextant_kb_store_add_file() leaves the transaction it began open
 *
 * In batches, the files added go in one transaction that the caller commits
 * (sextant_store_commit()) every so many files: a folder of many small files is not a commit
 * each. Each file is still whole or absent: a failed one is rolled back alone.
 */
void
sextant_kb_store_set_batch_commits (SextantKbStore *self,
                                    gboolean        batch_commits)
{
  g_return_if_fail (SEXTANT_IS_KB_STORE (self));

  self->batch_commits = batch_commits;
}

static int
compare_documents (gconstpointer a,
                   gconstpointer b)
{
  const SextantKbDocument *da = *(SextantKbDocument * const *) a;
  const SextantKbDocument *db = *(SextantKbDocument * const *) b;
  int by_title = g_ascii_strcasecmp (da->title, db->title);

  /* As SQLite's NOCASE, which the list was sorted by while titles were clear. */
  return by_title != 0 ? by_title : strcmp (da->path, db->path);
}

/**
 * sextant_kb_store_list:
 * @self: a knowledge base
 * @error: return location for a %SEXTANT_STORE_ERROR
 *
 * A document whose path and title are sealed and do not open (no key) is listed with an empty
 * path and a title naming its id.
 *
 * Returns: (transfer full) (element-type SextantKbDocument): the documents by title
 */
GPtrArray *
sextant_kb_store_list (SextantKbStore  *self,
                       GError         **error)
{
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_kb_document_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), NULL);

  stmt = sextant_store_prepare (self->store,
                                "SELECT d.id, d.path, d.title, d.format, d.size, d.sha256, d.n_pages, d.added_at, "
                                "d.indexed_at, (SELECT count(*) FROM kb_chunks c WHERE c.document_id = d.id), "
                                "(SELECT count(*) FROM kb_chunks c JOIN kb_vectors v ON v.chunk_id = c.id "
                                "WHERE c.document_id = d.id), "
                                "(SELECT group_concat (tag, char (31)) FROM (SELECT tag FROM kb_document_tags t "
                                "WHERE t.document_id = d.id ORDER BY tag COLLATE NOCASE)) "
                                "FROM kb_documents d", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SextantKbDocument *document = g_new0 (SextantKbDocument, 1);

      document->id = sqlite3_column_int64 (stmt, 0);
      _sextant_kb_column_document (self->store, stmt, 1, document->id, &document->path, &document->title);
      document->format = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      document->size = sqlite3_column_int64 (stmt, 4);
      document->sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      document->n_pages = sqlite3_column_int (stmt, 6);
      document->added_at = sqlite3_column_int64 (stmt, 7);
      document->indexed_at = sqlite3_column_int64 (stmt, 8);
      document->n_chunks = sqlite3_column_int64 (stmt, 9);
      document->n_vectors = sqlite3_column_int64 (stmt, 10);
      /* Tags hold no control character (sextant_kb_tag_normalize()), so 0x1f separates them. */
      document->tags = sqlite3_column_type (stmt, 11) == SQLITE_NULL
                       ? g_new0 (char *, 1)
                       : g_strsplit ((const char *) sqlite3_column_text (stmt, 11), "\x1f", -1);
      g_ptr_array_add (documents, document);
    }
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (self->store, error, "listing documents");
      return NULL;
    }
  g_ptr_array_sort (documents, compare_documents);

  return g_steal_pointer (&documents);
}

/**
 * sextant_kb_store_find_document:
 * @self: a knowledge base
 * @name_or_path: a stored document's path (absolute or relative to the working folder) or file name
 * @error: return location for %SEXTANT_KB_ERROR_NOT_FOUND or %SEXTANT_KB_ERROR_AMBIGUOUS
 *
 * Returns: the document's id, or 0
 */
gint64
sextant_kb_store_find_document (SextantKbStore  *self,
                                const char      *name_or_path,
                                GError         **error)
{
  g_autoptr(GPtrArray) documents = NULL;
  g_autofree char *absolute = NULL;
  g_autoptr(GString) matches = g_string_new (NULL);
  gint64 found = 0;
  guint n_found = 0;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), 0);
  g_return_val_if_fail (name_or_path != NULL, 0);

  if ((documents = sextant_kb_store_list (self, error)) == NULL)
    return 0;
  absolute = g_canonicalize_filename (name_or_path, NULL);
  for (guint i = 0; i < documents->len; i++)
    {
      SextantKbDocument *document = documents->pdata[i];

      if (g_strcmp0 (document->path, absolute) == 0)
        return document->id;
    }
  /* A bare file name: the one document of that name. */
  for (guint i = 0; i < documents->len && strchr (name_or_path, G_DIR_SEPARATOR) == NULL; i++)
    {
      SextantKbDocument *document = documents->pdata[i];
      g_autofree char *base = g_path_get_basename (document->path);

      if (g_strcmp0 (base, name_or_path) == 0)
        {
          found = document->id;
          n_found++;
          g_string_append_printf (matches, "%s%s", matches->len ? ", " : "", document->path);
        }
    }
  if (n_found == 1)
    return found;
  if (n_found > 1)
    g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_AMBIGUOUS,
                 _("Several documents are named “%s” (%s): give the path"), name_or_path, matches->str);
  else
    g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NOT_FOUND,
                 _("No document “%s” in the knowledge base"), name_or_path);

  return 0;
}

/**
 * sextant_kb_store_remove:
 * @self: a knowledge base
 * @document_id: a document (sextant_kb_store_find_document())
 * @error: return location for an error
 *
 * Removes the document with its chunks, their index entries and their vectors.
 *
 * Returns: whether it was there and is gone
 */
gboolean
sextant_kb_store_remove (SextantKbStore  *self,
                         gint64           document_id,
                         GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean own;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), FALSE);

  /* The sealed chunks' index entries go first, with the rows, in one transaction (a savepoint
   * in the caller's, if one is open). */
  own = sqlite3_get_autocommit (sextant_store_get_db (self->store));
  if (own && !sextant_store_begin (self->store, error))
    return FALSE;
  if (!sextant_store_exec (self->store, "SAVEPOINT kb_remove", error) || !delete_chunks (self, document_id, error) ||
      (stmt = sextant_store_prepare (self->store, "DELETE FROM kb_documents WHERE id = ?", error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, document_id);
  if (!sextant_store_step_done (self->store, stmt, error))
    goto fail;
  if (sqlite3_changes (sextant_store_get_db (self->store)) == 0)
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NOT_FOUND,
                   _("No document %" PRId64 " in the knowledge base"), document_id);
      goto fail;
    }
  if (sextant_store_exec (self->store, "RELEASE kb_remove", error) && (!own || sextant_store_commit (self->store, error)))
    return TRUE;

fail:
  if (own)
    sextant_store_rollback (self->store);
  else
    sqlite3_exec (sextant_store_get_db (self->store), "ROLLBACK TO kb_remove; RELEASE kb_remove", NULL, NULL, NULL);
  return FALSE;
}
