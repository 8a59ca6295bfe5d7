#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * A scenario job, engine-neutral: the model, its parameters, the seed, the size and the inputs
 * estimated from the data, so that any process on any machine runs the same paths from it. Its
 * canonical JSON's SHA-256 names it; shard files carry that name, so that merge refuses shards
 * of different jobs.
 */
/* the most shards one run is cut into, and the most assets a job holds (a covariance of 5,000²
 * doubles is 200 MB) */
#define SEXTANT_SCENARIO_JOB_MAX_SHARDS 10000
#define SEXTANT_SCENARIO_JOB_MAX_ASSETS 5000

typedef struct
{
  char    *model;          /* "gbm" or "heston" */
  guint    paths;
  guint    steps;
  gint64   seed;
  double   kappa;          /* Heston, per year */
  double   xi;             /* Heston, per year */
  double   rho;            /* Heston */
  double   v0;             /* Heston's starting variance per period; 0 starts it at θ */
  char    *source;
  gsize    n_dates;
  gsize    n_dropped;
  guint    n_assets;
  char   **symbols;
  double  *s0;
  double  *mean;           /* of log returns per period */
  double  *cov;            /* of log returns per period, n_assets × n_assets */
} SextantScenarioJob;

/* A whole run or one shard of it: the job and its paths' terminal prices, path-major. */
typedef struct
{
  SextantScenarioJob *job;
  guint               first_path;
  guint               n_paths;
  guint64             n_truncated;
  double             *terminal;
} SextantScenarioRun;

void                sextant_scenario_job_free        (SextantScenarioJob        *job);
SextantScenarioJob *sextant_scenario_job_from_json   (JsonNode                  *root,
                                                      const char                *what,
                                                      GError                   **error);
SextantScenarioJob *sextant_scenario_job_load        (const char                *path,
                                                      GError                   **error);
JsonNode           *sextant_scenario_job_to_json     (const SextantScenarioJob  *job);
char               *sextant_scenario_job_to_data     (const SextantScenarioJob  *job);
char               *sextant_scenario_job_dup_digest  (const SextantScenarioJob  *job);
gboolean            sextant_scenario_job_check       (const SextantScenarioJob  *job,
                                                      GError                   **error);
gboolean            sextant_scenario_job_save        (const SextantScenarioJob  *job,
                                                      const char                *path,
                                                      gboolean                   replace,
                                                      GError                   **error);
gboolean            sextant_scenario_job_run         (SextantScenarioJob        *job,
                                                      guint                      shard,
                                                      guint                      shards,
                                                      SextantScenarioRun        *result,
                                                      GError                   **error);
void                sextant_scenario_run_clear       (SextantScenarioRun        *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantScenarioJob, sextant_scenario_job_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SextantScenarioRun, sextant_scenario_run_clear)

G_END_DECLS
