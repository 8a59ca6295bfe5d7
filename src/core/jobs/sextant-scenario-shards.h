#pragma once

#include "jobs/sextant-scenario-job.h"

G_BEGIN_DECLS

gboolean sextant_scenario_run_write_shard (const SextantScenarioRun  *result,
                                           guint                      shard,
                                           guint                      shards,
                                           const char                *path,
                                           GError                   **error);
GBytes  *sextant_scenario_run_shard_bytes (const SextantScenarioRun  *result,
                                           guint                      shard,
                                           guint                      shards);
gboolean sextant_scenario_run_merge       (const char * const        *paths,
                                           SextantScenarioRun        *result,
                                           GError                   **error);

G_END_DECLS
