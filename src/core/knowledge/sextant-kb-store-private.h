#pragma once

#include "knowledge/sextant-kb-quantized.h"
#include "knowledge/sextant-kb-store.h"

G_BEGIN_DECLS

/* The vectors of one model and dimension, read once and kept while the database is unchanged. */
typedef struct
{
  char    *model;
  guint    dims;
  gint64   data_version;
  gint64   total_changes;
  GArray  *ids;           /* gint64 chunk ids */
  GArray  *document_ids;  /* gint64, beside ids */
  GArray  *matrix;        /* float, ids->len × dims */
  SextantKbQuantized *quantized;  /* the matrix's int8 codes, for the scan's first pass */
} SextantKbVectorCache;

struct _SextantKbStore
{
  GObject               parent_instance;
  SextantStore         *store;
  GMutex                cache_lock;
  SextantKbVectorCache *cache;
  gboolean              batch_commits;
  gboolean              fts_tuned;
};

void        _sextant_kb_vector_cache_free     (SextantKbVectorCache  *cache);
GHashTable *_sextant_kb_store_tagged_documents (SextantKbStore        *self,
                                                const char            *tag,
                                                GError               **error);
void     _sextant_kb_vector_cache_free (SextantKbVectorCache  *cache);
gboolean _sextant_kb_index_sealed      (SextantStore          *store,
                                        gint64                 chunk_id,
                                        const char            *text,
                                        GError               **error);
gboolean _sextant_kb_unindex_sealed    (SextantStore          *store,
                                        gint64                 document_id,
                                        GError               **error);
char    *_sextant_kb_path_hash         (SextantStore          *store,
                                        const char            *path);
void     _sextant_kb_bind_document     (SextantStore          *store,
                                        sqlite3_stmt          *stmt,
                                        int                    path_column,
                                        gint64                 document_id,
                                        const char            *path,
                                        const char            *title);
gboolean _sextant_kb_column_document   (SextantStore          *store,
                                        sqlite3_stmt          *stmt,
                                        int                    path_column,
                                        gint64                 document_id,
                                        char                 **path,
                                        char                 **title);
void     _sextant_kb_bind_vector       (SextantStore          *store,
                                        sqlite3_stmt          *stmt,
                                        int                    column,
                                        gint64                 chunk_id,
                                        const float           *vector,
                                        guint                  dims);
gboolean _sextant_kb_column_vector     (SextantStore          *store,
                                        sqlite3_stmt          *stmt,
                                        int                    column,
                                        gint64                 chunk_id,
                                        guint                  dims,
                                        float                 *out);

G_END_DECLS
