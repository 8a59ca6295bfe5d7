#pragma once

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
} SextantKbVectorCache;

struct _SextantKbStore
{
  GObject               parent_instance;
  SextantStore         *store;
  GMutex                cache_lock;
  SextantKbVectorCache *cache;
};

void        _sextant_kb_vector_cache_free     (SextantKbVectorCache  *cache);
GHashTable *_sextant_kb_store_tagged_documents (SextantKbStore        *self,
                                                const char            *tag,
                                                GError               **error);

G_END_DECLS
