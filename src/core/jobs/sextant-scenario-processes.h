#pragma once

#include "jobs/sextant-scenario-job.h"

G_BEGIN_DECLS

gboolean sextant_scenario_job_run_processes (SextantScenarioJob  *job,
                                             const char          *program,
                                             guint                shards,
                                             SextantScenarioRun  *result,
                                             GError             **error);

G_END_DECLS
