#pragma once

#include <json-glib/json-glib.h>

#include "base/sextant-store.h"

G_BEGIN_DECLS

gboolean  sextant_backup_write    (SextantStore     *store,
                                   const char       *path,
                                   SextantStoreKey  *key,
                                   const char       *passphrase,
                                   JsonNode        **manifest,
                                   GError          **error);
gboolean  sextant_backup_restore  (const char       *backup_path,
                                   const char       *database_path,
                                   SextantStoreKey  *key,
                                   const char       *passphrase,
                                   JsonNode        **manifest,
                                   GError          **error);
gboolean  sextant_backup_needs_passphrase (const char  *backup_path,
                                           gboolean    *needs,
                                           GError     **error);
gboolean  sextant_backup_stage_restore (const char       *backup_path,
                                       const char       *database_path,
                                       SextantStoreKey  *key,
                                       const char       *passphrase,
                                       JsonNode        **manifest,
                                       GError          **error);
gboolean  sextant_backup_has_pending   (const char       *database_path);
gboolean  sextant_backup_apply_pending (const char       *database_path,
                                       gboolean         *applied,
                                       GError          **error);

G_END_DECLS
