#pragma once

#include "jobs/sextant-scenario-job.h"

G_BEGIN_DECLS

/* Shared by the job, its shard files and its report: one canonical JSON form and one set of
 * checked getters (json-glib's own ones assert on a wrong type). */
#define SEXTANT_SCENARIO_JOB_KIND "sextant-scenario-job"
#define SEXTANT_SCENARIO_JOB_VERSION 1

void                _sextant_scenario_add_double          (JsonBuilder               *b,
                                                           const char                *name,
                                                           double                     value);
void                _sextant_scenario_add_int             (JsonBuilder               *b,
                                                           const char                *name,
                                                           gint64                     value);
void                _sextant_scenario_add_string          (JsonBuilder               *b,
                                                           const char                *name,
                                                           const char                *value);
char               *_sextant_scenario_node_to_string      (JsonNode                  *node,
                                                           gboolean                   pretty);
gboolean            _sextant_scenario_fail                (GError                   **error,
                                                           const char                *what,
                                                           const char                *problem);
gboolean            _sextant_scenario_get_number          (JsonObject                *object,
                                                           const char                *member,
                                                           double                    *value);
gboolean            _sextant_scenario_get_count           (JsonObject                *object,
                                                           const char                *member,
                                                           double                     max,
                                                           guint64                   *value);
const char         *_sextant_scenario_get_string          (JsonObject                *object,
                                                           const char                *member);
JsonObject         *_sextant_scenario_get_object          (JsonObject                *object,
                                                           const char                *member);
JsonArray          *_sextant_scenario_get_array           (JsonObject                *object,
                                                           const char                *member);
JsonNode           *_sextant_scenario_job_to_json_full    (const SextantScenarioJob  *job,
                                                           gboolean                   summary);
SextantScenarioJob *_sextant_scenario_job_from_json_full  (JsonNode                  *root,
                                                           const char                *what,
                                                           gboolean                   summary,
                                                           GError                   **error);

G_END_DECLS
