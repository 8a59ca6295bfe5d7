#pragma once

#include "jobs/sextant-scenario-job.h"

G_BEGIN_DECLS

char     *sextant_scenario_run_to_text (const SextantScenarioRun *r);
JsonNode *sextant_scenario_run_to_json (const SextantScenarioRun *r);

G_END_DECLS
