#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "base/sextant-store.h"

G_BEGIN_DECLS

/**
 * SextantExportCounts:
 * @conversations: conversations written (Markdown and JSON each)
 * @portfolios: portfolios written
 * @results: saved results written
 * @documents: knowledge-base documents listed
 * @files: files in the archive
 */
typedef struct
{
  guint conversations;
  guint portfolios;
  guint results;
  guint documents;
  guint files;
} SextantExportCounts;

JsonNode *sextant_export_settings_to_json (GSettings            *settings);
char     *sextant_export_file_name        (GDateTime            *when);
gboolean  sextant_export_write            (SextantStore         *store,
                                           JsonNode             *settings,
                                           const char           *path,
                                           SextantExportCounts  *counts,
                                           GError              **error);

G_END_DECLS
