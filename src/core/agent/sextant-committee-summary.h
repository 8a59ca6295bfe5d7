#pragma once

#include <glib.h>

#include "agent/sextant-conversation-store.h"

G_BEGIN_DECLS

char *sextant_committee_summary_find       (SextantConversationStore  *store,
                                            const char                *reference,
                                            gint64                    *conversation_id,
                                            GError                   **error);
char *sextant_committee_summary_find_cited (SextantConversationStore  *store,
                                            const char                *reference,
                                            gint64                    *conversation_id,
                                            GPtrArray                **cited,
                                            GError                   **error);

G_END_DECLS
