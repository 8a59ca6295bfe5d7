#pragma once

#include "agent/sextant-offline-analyst.h"

G_BEGIN_DECLS

/* Shared by sextant-offline-analyst.c (the object and the parser) and
 * sextant-offline-analyst-render.c (tool calls and the Markdown answer). */

char *_sextant_offline_render (SextantToolRegistry         *registry,
                               const SextantOfflineRequest *request,
                               GCancellable                *cancellable,
                               GPtrArray                   *calls);
char *_sextant_offline_help   (void);

G_END_DECLS
