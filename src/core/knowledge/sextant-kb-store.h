#pragma once

#include <gio/gio.h>

#include "base/sextant-store.h"
#include "knowledge/sextant-kb-chunker.h"
#include "knowledge/sextant-kb-rank.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_KB_STORE (sextant_kb_store_get_type ())

G_DECLARE_FINAL_TYPE (SextantKbStore, sextant_kb_store, SEXTANT, KB_STORE, GObject)

/**
 * SextantKbAddOutcome:
 * @SEXTANT_KB_ADD_NEW: the file was not known and is indexed now
 * @SEXTANT_KB_ADD_UPDATED: the file had changed and was indexed again
 * @SEXTANT_KB_ADD_UNCHANGED: the file is indexed as it is: nothing was done
 */
typedef enum
{
  SEXTANT_KB_ADD_NEW,
  SEXTANT_KB_ADD_UPDATED,
  SEXTANT_KB_ADD_UNCHANGED,
} SextantKbAddOutcome;

/**
 * SextantKbDocument:
 * @id: its row
 * @path: the absolute path it was read from
 * @title: its title
 * @format: "pdf", "markdown", "text", "html" or "csv"
 * @size: bytes
 * @sha256: hex SHA-256 of the file
 * @n_pages: pages of a PDF, 0 for formats without pages
 * @added_at: when it was first added, unix seconds
 * @indexed_at: when it was last indexed, unix seconds
 * @n_chunks: its chunks
 * @n_vectors: its chunks with an embedding of any model
 * @tags: (array zero-terminated=1): its tags, sorted without regard to case; empty when none
 */
typedef struct
{
  gint64  id;
  char   *path;
  char   *title;
  char   *format;
  gint64  size;
  char   *sha256;
  guint   n_pages;
  gint64  added_at;
  gint64  indexed_at;
  gint64  n_chunks;
  gint64  n_vectors;
  char  **tags;
} SextantKbDocument;

/**
 * SextantKbPassage:
 * @chunk_id: the chunk
 * @document_id: its document
 * @title: the document's title
 * @path: the document's absolute path
 * @page: the 1-based page, 0 for a document without pages
 * @char_start: the first character of the passage in the page's text
 * @char_end: the character after its last
 * @text: the passage
 * @score: its score in the search that found it (higher is better)
 */
typedef struct
{
  gint64  chunk_id;
  gint64  document_id;
  char   *title;
  char   *path;
  guint   page;
  gint64  char_start;
  gint64  char_end;
  char   *text;
  double  score;
} SextantKbPassage;

/**
 * SextantKbQuery:
 * @text: the words to look for
 * @vector: (nullable): the query's embedding, for the hybrid search
 * @model: the embedding model of @vector
 * @dims: its dimension
 * @document_id: only this document's chunks, 0 for all
 * @top_k: how many passages
 * @tag: (nullable): only the chunks of documents carrying this tag, %NULL for all
 */
typedef struct
{
  const char  *text;
  const float *vector;
  const char  *model;
  guint        dims;
  gint64       document_id;
  guint        top_k;
  const char  *tag;
} SextantKbQuery;

GType              sextant_kb_document_get_type   (void) G_GNUC_CONST;
SextantKbDocument *sextant_kb_document_copy       (const SextantKbDocument *document);
void               sextant_kb_document_free       (SextantKbDocument       *document);
GType              sextant_kb_passage_get_type    (void) G_GNUC_CONST;
SextantKbPassage  *sextant_kb_passage_copy        (const SextantKbPassage  *passage);
void               sextant_kb_passage_free        (SextantKbPassage        *passage);

SextantKbStore    *sextant_kb_store_new           (SextantStore            *store);
SextantStore      *sextant_kb_store_get_store     (SextantKbStore          *self);
void               sextant_kb_store_set_batch_commits (SextantKbStore      *self,
                                                   gboolean                 batch_commits);
gboolean           sextant_kb_store_add_file      (SextantKbStore          *self,
                                                   const char              *path,
                                                   const SextantKbChunkOptions *options,
                                                   GCancellable            *cancellable,
                                                   SextantKbAddOutcome     *outcome,
                                                   char                   **note,
                                                   GError                 **error);
GPtrArray         *sextant_kb_store_list          (SextantKbStore          *self,
                                                   GError                 **error);
gint64             sextant_kb_store_find_document (SextantKbStore          *self,
                                                   const char              *name_or_path,
                                                   GError                 **error);
gboolean           sextant_kb_store_remove        (SextantKbStore          *self,
                                                   gint64                   document_id,
                                                   GError                 **error);
GArray            *sextant_kb_store_search_bm25   (SextantKbStore          *self,
                                                   const char              *text,
                                                   gint64                   document_id,
                                                   guint                    limit,
                                                   GError                 **error);
GArray            *sextant_kb_store_search_vectors (SextantKbStore         *self,
                                                   const float             *vector,
                                                   const char              *model,
                                                   guint                    dims,
                                                   gint64                   document_id,
                                                   guint                    limit,
                                                   GError                 **error);
GPtrArray         *sextant_kb_store_search        (SextantKbStore          *self,
                                                   const SextantKbQuery    *query,
                                                   GError                 **error);
SextantKbPassage  *sextant_kb_store_get_passage   (SextantKbStore          *self,
                                                   gint64                   chunk_id,
                                                   GError                 **error);
GPtrArray         *sextant_kb_store_list_unembedded (SextantKbStore        *self,
                                                   const char              *model,
                                                   guint                    dims,
                                                   GError                 **error);
GPtrArray         *sextant_kb_store_list_unembedded_after (SextantKbStore  *self,
                                                   const char              *model,
                                                   guint                    dims,
                                                   gint64                   after,
                                                   guint                    limit,
                                                   GError                 **error);
gint64             sextant_kb_store_count_unembedded (SextantKbStore       *self,
                                                   const char              *model,
                                                   guint                    dims,
                                                   GError                 **error);
gboolean           sextant_kb_store_put_vector    (SextantKbStore          *self,
                                                   gint64                   chunk_id,
                                                   const char              *model,
                                                   guint                    dims,
                                                   const float             *vector,
                                                   gboolean                *stored,
                                                   GError                 **error);
gboolean           sextant_kb_store_get_embedding (SextantKbStore          *self,
                                                   char                   **model,
                                                   guint                   *dims);
gint64             sextant_kb_store_count_vectors (SextantKbStore          *self,
                                                   const char              *model,
                                                   guint                    dims,
                                                   GError                 **error);
gint64             sextant_kb_store_count_clear   (SextantStore            *store,
                                                   GError                 **error);
gint64             sextant_kb_store_seal_batch    (SextantStore            *store,
                                                   guint                    max_rows,
                                                   GError                 **error);

char              *sextant_kb_tag_normalize       (const char              *tag,
                                                   GError                 **error);
gboolean           sextant_kb_store_add_tag       (SextantKbStore          *self,
                                                   gint64                   document_id,
                                                   const char              *tag,
                                                   GError                 **error);
gboolean           sextant_kb_store_remove_tag    (SextantKbStore          *self,
                                                   gint64                   document_id,
                                                   const char              *tag,
                                                   GError                 **error);
gboolean           sextant_kb_store_set_tags      (SextantKbStore          *self,
                                                   gint64                   document_id,
                                                   const char * const      *tags,
                                                   GError                 **error);
char             **sextant_kb_store_list_tags     (SextantKbStore          *self,
                                                   GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantKbDocument, sextant_kb_document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantKbPassage, sextant_kb_passage_free)

G_END_DECLS
