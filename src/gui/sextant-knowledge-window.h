#pragma once

#include <adwaita.h>

#include "sextant-core.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_KNOWLEDGE_WINDOW (sextant_knowledge_window_get_type ())

G_DECLARE_FINAL_TYPE (SextantKnowledgeWindow, sextant_knowledge_window, SEXTANT, KNOWLEDGE_WINDOW, AdwWindow)

SextantKnowledgeWindow *sextant_knowledge_window_new           (SextantKbStore         *kb,
                                                                SextantBedrockClient   *client);
void                    sextant_knowledge_window_add_paths     (SextantKnowledgeWindow *self,
                                                                const char * const     *paths);
gboolean                sextant_knowledge_window_get_busy      (SextantKnowledgeWindow *self);
guint                   sextant_knowledge_window_get_n_documents (SextantKnowledgeWindow *self);
GPtrArray              *sextant_knowledge_window_get_results   (SextantKnowledgeWindow *self);
const char             *sextant_knowledge_window_get_status    (SextantKnowledgeWindow *self);

G_END_DECLS
