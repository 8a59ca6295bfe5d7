#define G_LOG_DOMAIN "sextant-kb-store-search"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "knowledge/sextant-kb-error.h"
#include "knowledge/sextant-kb-store-private.h"
#include "knowledge/sextant-kb-terms.h"

/* Search: FTS5's bm25() over the chunks, an exact dot-product scan over their vectors, and the two
 * rankings fused (sextant-kb-rank.c). Each ranking contributes its best CANDIDATES, more than the
 * passages asked for, so a chunk second-best in both still surfaces. */

#define CANDIDATES 50

static void
append_phrase (GString    *query,
               const char *phrase,
               gssize      length)
{
  g_string_append_printf (query, "%s\"", query->len ? " OR " : "");
  g_string_append_len (query, phrase, length);
  g_string_append_c (query, '"');
}

/* The user's words as an FTS5 query: each word quoted (so AND, NEAR, a column name or a quote in
 * the question is a word, not syntax) and any of them may match; bm25() ranks those matching
 * more and rarer words first. With a key, each word is also (once every row is sealed, only)
 * the phrase of its terms' keyed hashes, which is what the index holds of a sealed chunk. */
static gboolean
fts_query (SextantStore  *store,
           const char    *text,
           GString       *query,
           GError       **error)
{
  SextantStoreKey *key = sextant_store_get_key (store);
  gboolean clear_words = key == NULL || !sextant_store_get_all_sealed (store);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        continue;
      if (clear_words)
        append_phrase (query, start, p - start);
      if (key != NULL)
        {
          g_autofree char *word = g_strndup (start, p - start);
          g_autoptr(GPtrArray) hashes = sextant_kb_terms_hash (sextant_store_get_db (store), key, word, TRUE, error);
          g_autofree char *phrase = NULL;

          if (hashes == NULL)
            return FALSE;
          if (hashes->len == 0)
            continue;
          g_ptr_array_add (hashes, NULL);
          phrase = g_strjoinv (" ", (char **) hashes->pdata);
          append_phrase (query, phrase, -1);
        }
    }

  return TRUE;
}

static GArray *search_bm25 (SextantKbStore  *self,
                            const char      *text,
                            gint64           document_id,
                            const char      *tag,
                            guint            limit,
                            GError         **error);

/**
 * sextant_kb_store_search_bm25:
 * @self: a knowledge base
 * @text: the words to look for
 * @document_id: only this document's chunks, 0 for all
 * @limit: how many chunks at most
 * @error: return location for %SEXTANT_KB_ERROR_INVALID (no words) or a store error
 *
 * Returns: (transfer full) (element-type SextantKbScored): chunks best first, scored −bm25()
 */
GArray *
sextant_kb_store_search_bm25 (SextantKbStore  *self,
                              const char      *text,
                              gint64           document_id,
                              guint            limit,
                              GError         **error)
{
  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  return search_bm25 (self, text, document_id, NULL, limit, error);
}

/* bm25() over the chunks of one document, of the documents carrying @tag, or of all. */
static GArray *
search_bm25 (SextantKbStore  *self,
             const char      *text,
             gint64           document_id,
             const char      *tag,
             guint            limit,
             GError         **error)
{
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (SextantKbScored));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) query = g_string_new (NULL);
  int rc;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID, _("The question is not UTF-8 text"));
      return NULL;
    }
  if (!fts_query (self->store, text, query, error))
    return NULL;
  if (query->len == 0)
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID,
                   _("Nothing to search for in “%s”: give some words"), text);
      return NULL;
    }
  stmt = sextant_store_prepare (self->store,
                                "SELECT f.rowid, bm25(kb_chunks_fts) AS rank FROM kb_chunks_fts f "
                                "JOIN kb_chunks c ON c.id = f.rowid "
                                "WHERE kb_chunks_fts MATCH ?1 AND (?2 = 0 OR c.document_id = ?2) AND (?4 IS NULL OR "
                                "c.document_id IN (SELECT document_id FROM kb_document_tags WHERE tag = ?4)) "
                                "ORDER BY rank, f.rowid LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, query->str, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, document_id);
  sqlite3_bind_int (stmt, 3, limit);
  if (tag != NULL)
    sqlite3_bind_text (stmt, 4, tag, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SextantKbScored scored = { sqlite3_column_int64 (stmt, 0), -sqlite3_column_double (stmt, 1) };

      g_array_append_val (ranked, scored);
    }
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (self->store, error, "searching the knowledge base");
      return NULL;
    }

  return g_steal_pointer (&ranked);
}

static gint64
pragma_int (SextantStore *store,
            const char   *sql)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, sql, NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
}

/* The vectors of @model and @dims, read from the database only when it changed since (another
 * connection's commit moves PRAGMA data_version, this one's own writes total_changes). */
static SextantKbVectorCache *
load_vectors (SextantKbStore  *self,
              const char      *model,
              guint            dims,
              GError         **error)
{
  gint64 data_version = pragma_int (self->store, "PRAGMA data_version");
  gint64 total_changes = sqlite3_total_changes64 (sextant_store_get_db (self->store));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SextantKbVectorCache *cache = self->cache;
  int rc;

  if (cache != NULL && g_strcmp0 (cache->model, model) == 0 && cache->dims == dims &&
      cache->data_version == data_version && cache->total_changes == total_changes)
    return cache;
  stmt = sextant_store_prepare (self->store,
                                "SELECT v.chunk_id, c.document_id, v.vector FROM kb_vectors v "
                                "JOIN kb_chunks c ON c.id = v.chunk_id WHERE v.model = ? AND v.dims = ? "
                                "ORDER BY v.chunk_id", error);
  if (stmt == NULL)
    return NULL;
  g_clear_pointer (&self->cache, _sextant_kb_vector_cache_free);
  cache = g_new0 (SextantKbVectorCache, 1);
  cache->model = g_strdup (model);
  cache->dims = dims;
  cache->data_version = data_version;
  cache->total_changes = total_changes;
  cache->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  cache->document_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  cache->matrix = g_array_new (FALSE, FALSE, sizeof (float));
  sqlite3_bind_text (stmt, 1, model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, dims);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gint64 document_id = sqlite3_column_int64 (stmt, 1);
      guint at = cache->matrix->len;

      /* A damaged row, or a sealed one that does not open, is left out (and never read past its
       * end). */
      g_array_set_size (cache->matrix, at + dims);
      if (!_sextant_kb_column_vector (self->store, stmt, 2, id, dims, &g_array_index (cache->matrix, float, at)))
        {
          g_array_set_size (cache->matrix, at);
          continue;
        }
      g_array_append_val (cache->ids, id);
      g_array_append_val (cache->document_ids, document_id);
    }
  if (rc != SQLITE_DONE)
    {
      _sextant_kb_vector_cache_free (cache);
      sextant_store_set_error_from_db (self->store, error, "reading embeddings");
      return NULL;
    }
  cache->quantized = sextant_kb_quantize ((const float *) (gpointer) cache->matrix->data, cache->ids->len, dims);
  self->cache = cache;

  return cache;
}

static GArray *search_vectors (SextantKbStore  *self,
                               const float     *vector,
                               const char      *model,
                               guint            dims,
                               gint64           document_id,
                               GHashTable      *documents,
                               guint            limit,
                               GError         **error);

/**
 * sextant_kb_store_search_vectors:
 * @self: a knowledge base
 * @vector: the query's embedding, unit length
 * @model: the model that made it
 * @dims: its dimension
 * @document_id: only this document's chunks, 0 for all
 * @limit: how many chunks at most
 * @error: return location for an error
 *
 * An exact scan: every stored vector of @model and @dims is compared with @vector (a first pass
 * over their int8 codes, then the rows that can be among the best scored from their float32
 * vectors; the result is the full float32 scan's).
 *
 * Returns: (transfer full) (element-type SextantKbScored): chunks best first, scored by cosine
 */
GArray *
sextant_kb_store_search_vectors (SextantKbStore  *self,
                                 const float     *vector,
                                 const char      *model,
                                 guint            dims,
                                 gint64           document_id,
                                 guint            limit,
                                 GError         **error)
{
  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), NULL);
  g_return_val_if_fail (vector != NULL && model != NULL && dims > 0, NULL);

  return search_vectors (self, vector, model, dims, document_id, NULL, limit, error);
}

/* The scan, of one document, of the documents in @documents (a set of gint64 ids), or of all. */
static GArray *
search_vectors (SextantKbStore  *self,
                const float     *vector,
                const char      *model,
                guint            dims,
                gint64           document_id,
                GHashTable      *documents,
                guint            limit,
                GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree guint8 *excluded = NULL;
  SextantKbVectorCache *cache;

  locker = g_mutex_locker_new (&self->cache_lock);
  if ((cache = load_vectors (self, model, dims, error)) == NULL)
    return NULL;
  if (document_id != 0 || documents != NULL)
    {
      excluded = g_new0 (guint8, MAX (cache->ids->len, 1));
      for (guint i = 0; i < cache->ids->len; i++)
        {
          gint64 id = g_array_index (cache->document_ids, gint64, i);

          excluded[i] = (document_id != 0 && id != document_id) ||
                        (documents != NULL && !g_hash_table_contains (documents, &id));
        }
    }

  /* The exact scan's result, from a first pass over int8 codes (sextant-kb-quantized.c). */
  return sextant_kb_quantized_top_k (cache->quantized, (const float *) (gpointer) cache->matrix->data,
                                     (const gint64 *) (gpointer) cache->ids->data, excluded, vector, limit, NULL);
}

/**
 * sextant_kb_store_get_passage:
 * @self: a knowledge base
 * @chunk_id: a chunk
 * @error: return location for %SEXTANT_KB_ERROR_NOT_FOUND or a store error
 *
 * Returns: (transfer full): the chunk with its document, score 0
 */
SextantKbPassage *
sextant_kb_store_get_passage (SextantKbStore  *self,
                              gint64           chunk_id,
                              GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SextantKbPassage *passage;
  int rc;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), NULL);

  stmt = sextant_store_prepare (self->store,
                                "SELECT c.document_id, d.path, d.title, c.page, c.char_start, c.char_end, c.text "
                                "FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id WHERE c.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, chunk_id);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NOT_FOUND,
                     _("No passage %" PRId64 " in the knowledge base"), chunk_id);
      else
        sextant_store_set_error_from_db (self->store, error, "reading a passage");
      return NULL;
    }
  passage = g_new0 (SextantKbPassage, 1);
  passage->chunk_id = chunk_id;
  passage->document_id = sqlite3_column_int64 (stmt, 0);
  _sextant_kb_column_document (self->store, stmt, 1, passage->document_id, &passage->path, &passage->title);
  passage->page = sqlite3_column_int (stmt, 3);
  passage->char_start = sqlite3_column_int64 (stmt, 4);
  passage->char_end = sqlite3_column_int64 (stmt, 5);
  passage->text = sextant_store_column_dup_text (self->store, stmt, 6, "kb_chunks.text", chunk_id, NULL);
  if (passage->text == NULL)
    {
      sextant_kb_passage_free (passage);
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY,
                   _("Passage %" PRId64 " of the knowledge base is encrypted and does not open with the key "
                     "at hand (no keyring, or another key)"), chunk_id);
      return NULL;
    }

  return passage;
}

/**
 * sextant_kb_store_search:
 * @self: a knowledge base
 * @query: what to look for
 * @error: return location for an error
 *
 * With @query's vector, the hybrid search: bm25() and the vector scan fused by reciprocal rank
 * (k = 60), scored by the fused score. Without one (offline), bm25() alone, scored −bm25().
 * With a tag, both rankings hold only the chunks of documents carrying it; a tag no document
 * carries is %SEXTANT_KB_ERROR_NOT_FOUND.
 *
 * Returns: (transfer full) (element-type SextantKbPassage): at most top_k passages, best first
 */
GPtrArray *
sextant_kb_store_search (SextantKbStore        *self,
                         const SextantKbQuery  *query,
                         GError               **error)
{
  g_autoptr(GPtrArray) passages = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_kb_passage_free);
  g_autoptr(GArray) lexical = NULL;
  g_autoptr(GArray) semantic = NULL;
  g_autoptr(GArray) fused = NULL;
  g_autoptr(GHashTable) tagged = NULL;
  g_autofree char *tag = NULL;
  guint top_k = query->top_k > 0 ? query->top_k : 5;
  guint candidates = MAX (CANDIDATES, top_k);
  GArray *ranking;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), NULL);
  g_return_val_if_fail (query->text != NULL, NULL);

  if (query->tag != NULL &&
      ((tag = sextant_kb_tag_normalize (query->tag, error)) == NULL ||
       (tagged = _sextant_kb_store_tagged_documents (self, tag, error)) == NULL))
    return NULL;
  if ((lexical = search_bm25 (self, query->text, query->document_id, tag, candidates, error)) == NULL)
    return NULL;
  ranking = lexical;
  if (query->vector != NULL)
    {
      GArray *rankings[2];

      semantic = search_vectors (self, query->vector, query->model, query->dims, query->document_id, tagged,
                                 candidates, error);
      if (semantic == NULL)
        return NULL;
      rankings[0] = semantic;
      rankings[1] = lexical;
      fused = sextant_kb_rank_fuse (rankings, 2, SEXTANT_KB_RRF_K);
      ranking = fused;
    }
  for (guint i = 0; i < ranking->len && passages->len < top_k; i++)
    {
      const SextantKbScored *scored = &g_array_index (ranking, SextantKbScored, i);
      SextantKbPassage *passage = sextant_kb_store_get_passage (self, scored->id, error);

      if (passage == NULL)
        return NULL;
      passage->score = scored->score;
      g_ptr_array_add (passages, passage);
    }

  return g_steal_pointer (&passages);
}

/**
 * sextant_kb_store_list_unembedded:
 * @self: a knowledge base
 * @model: an embedding model
 * @dims: its dimension
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type SextantKbPassage): the chunks without a vector of @model
 *   and @dims (new ones, and all of them after a change of model), oldest first
 */
GPtrArray *
sextant_kb_store_list_unembedded (SextantKbStore  *self,
                                  const char      *model,
                                  guint            dims,
                                  GError         **error)
{
  return sextant_kb_store_list_unembedded_after (self, model, dims, 0, 0, error);
}

/**
 * sextant_kb_store_list_unembedded_after:
 * @self: a knowledge base
 * @model: an embedding model
 * @dims: its dimension
 * @after: only chunks with a larger id (0 from the first)
 * @limit: how many chunks at most, 0 for all
 * @error: return location for an error
 *
 * A page of the chunks to embed, so that a large knowledge base is embedded without holding
 * all of its text.
 *
 * Returns: (transfer full) (element-type SextantKbPassage): chunks without a vector of @model
 *   and @dims, by id
 */
GPtrArray *
sextant_kb_store_list_unembedded_after (SextantKbStore  *self,
                                        const char      *model,
                                        guint            dims,
                                        gint64           after,
                                        guint            limit,
                                        GError         **error)
{
  g_autoptr(GPtrArray) chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_kb_passage_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), NULL);

  stmt = sextant_store_prepare (self->store,
                                "SELECT c.id, c.document_id, c.page, c.text FROM kb_chunks c "
                                "LEFT JOIN kb_vectors v ON v.chunk_id = c.id AND v.model = ?1 AND v.dims = ?2 "
                                "WHERE v.chunk_id IS NULL AND c.id > ?3 ORDER BY c.id LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, dims);
  sqlite3_bind_int64 (stmt, 3, after);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SextantKbPassage *chunk = g_new0 (SextantKbPassage, 1);

      chunk->chunk_id = sqlite3_column_int64 (stmt, 0);
      chunk->document_id = sqlite3_column_int64 (stmt, 1);
      chunk->page = sqlite3_column_int (stmt, 2);
      chunk->text = sextant_store_column_dup_text (self->store, stmt, 3, "kb_chunks.text", chunk->chunk_id, NULL);
      if (chunk->text == NULL)
        {
          g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY,
                       _("Passage %" PRId64 " of the knowledge base is encrypted and does not open with the key "
                         "at hand (no keyring, or another key)"), chunk->chunk_id);
          sextant_kb_passage_free (chunk);
          return NULL;
        }
      g_ptr_array_add (chunks, chunk);
    }
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (self->store, error, "listing chunks to embed");
      return NULL;
    }

  return g_steal_pointer (&chunks);
}

/**
 * sextant_kb_store_count_unembedded:
 *
 * Returns: how many chunks have no vector of @model and @dims, or -1 with @error set
 */
gint64
sextant_kb_store_count_unembedded (SextantKbStore  *self,
                                   const char      *model,
                                   guint            dims,
                                   GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), -1);

  stmt = sextant_store_prepare (self->store,
                                "SELECT count(*) FROM kb_chunks c LEFT JOIN kb_vectors v ON v.chunk_id = c.id "
                                "AND v.model = ?1 AND v.dims = ?2 WHERE v.chunk_id IS NULL", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, dims);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (self->store, error, "counting chunks to embed");
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * sextant_kb_store_put_vector:
 * @self: a knowledge base
 * @chunk_id: a chunk
 * @model: the model that embedded it
 * @dims: the vector's dimension
 * @vector: @dims floats
 * @stored: (out) (optional): whether the chunk was still there to take it
 * @error: return location for an error
 *
 * Replaces the chunk's vector. A chunk removed meanwhile (its document removed while it was
 * being embedded) takes none, and that is no error.
 *
 * Returns: whether the statement ran
 */
gboolean
sextant_kb_store_put_vector (SextantKbStore  *self,
                             gint64           chunk_id,
                             const char      *model,
                             guint            dims,
                             const float     *vector,
                             gboolean        *stored,
                             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), FALSE);

  stmt = sextant_store_prepare (self->store,
                                "INSERT OR REPLACE INTO kb_vectors (chunk_id, model, dims, vector) "
                                "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM kb_chunks WHERE id = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, chunk_id);
  sqlite3_bind_text (stmt, 2, model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, dims);
  _sextant_kb_bind_vector (self->store, stmt, 4, chunk_id, vector, dims);
  if (!sextant_store_step_done (self->store, stmt, error))
    return FALSE;
  if (stored != NULL)
    *stored = sqlite3_changes (sextant_store_get_db (self->store)) > 0;

  return TRUE;
}

/**
 * sextant_kb_store_count_vectors:
 *
 * Returns: how many chunks have a vector of @model and @dims, or -1 with @error set
 */
gint64
sextant_kb_store_count_vectors (SextantKbStore  *self,
                                const char      *model,
                                guint            dims,
                                GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), -1);

  stmt = sextant_store_prepare (self->store, "SELECT count(*) FROM kb_vectors WHERE model = ? AND dims = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, dims);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (self->store, error, "counting embeddings");
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * sextant_kb_store_get_embedding:
 * @self: a knowledge base
 * @model: (out) (transfer full) (nullable): the model most chunks are embedded with
 * @dims: (out): its dimension
 *
 * Returns: whether any chunk has a vector
 */
gboolean
sextant_kb_store_get_embedding (SextantKbStore  *self,
                                char           **model,
                                guint           *dims)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), FALSE);

  *model = NULL;
  *dims = 0;
  stmt = sextant_store_prepare (self->store,
                                "SELECT model, dims FROM kb_vectors GROUP BY model, dims ORDER BY count(*) DESC LIMIT 1",
                                NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *model = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *dims = sqlite3_column_int (stmt, 1);

  return TRUE;
}
