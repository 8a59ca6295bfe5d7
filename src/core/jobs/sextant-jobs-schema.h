#pragma once

#include "base/sextant-store.h"

G_BEGIN_DECLS

const SextantMigration *sextant_jobs_schema_get_migrations (guint *n_migrations);

G_END_DECLS
