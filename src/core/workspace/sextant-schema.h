#pragma once

#include "base/sextant-secret-store.h"
#include "base/sextant-store.h"
#include "workspace/sextant-store-encryption.h"

G_BEGIN_DECLS

const SextantMigration *sextant_schema_get_migrations      (guint        *n_migrations);
int                     sextant_schema_get_latest_version  (void);
SextantStore           *sextant_schema_open                (const char   *path,
                                                            GError      **error);
SextantStore           *sextant_schema_open_unlocked       (const char              *path,
                                                            SextantSecretStore      *secrets,
                                                            gboolean                 finish_migration,
                                                            SextantEncryptionState  *state,
                                                            GError                 **error);
SextantStore           *sextant_schema_open_default        (GError      **error);

G_END_DECLS
