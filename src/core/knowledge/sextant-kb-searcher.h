#pragma once

#include <gio/gio.h>

#include "bedrock/sextant-bedrock-client.h"
#include "knowledge/sextant-kb-store.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_KB_SEARCHER (sextant_kb_searcher_get_type ())

G_DECLARE_FINAL_TYPE (SextantKbSearcher, sextant_kb_searcher, SEXTANT, KB_SEARCHER, GObject)

/**
 * SextantKbResults:
 * @passages: (element-type SextantKbPassage): best first
 * @hybrid: whether the vector scan took part (else bm25() alone: offline)
 * @offline_reason: (nullable): why a hybrid search fell back to keywords
 */
typedef struct
{
  GPtrArray *passages;
  gboolean   hybrid;
  char      *offline_reason;
} SextantKbResults;

void               sextant_kb_results_free        (SextantKbResults   *results);

SextantKbSearcher *sextant_kb_searcher_new        (SextantKbStore       *kb,
                                                   SextantBedrockClient *client,
                                                   const char           *model,
                                                   guint                 dims);
SextantKbStore    *sextant_kb_searcher_get_store  (SextantKbSearcher    *self);
SextantKbResults  *sextant_kb_searcher_search     (SextantKbSearcher    *self,
                                                   const char           *text,
                                                   gint64                document_id,
                                                   guint                 top_k,
                                                   gboolean              offline,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
SextantKbResults  *sextant_kb_searcher_search_tagged (SextantKbSearcher   *self,
                                                      const char          *text,
                                                      gint64               document_id,
                                                      const char          *tag,
                                                      guint                top_k,
                                                      gboolean             offline,
                                                      GCancellable        *cancellable,
                                                      GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantKbResults, sextant_kb_results_free)

G_END_DECLS
