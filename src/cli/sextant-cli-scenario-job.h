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
#define SEXTANT_CLI_SCENARIO_MAX_SHARDS 10000
#define SEXTANT_CLI_SCENARIO_MAX_ASSETS 5000

typedef struct
{
  char    *model;          /* "gbm" or "heston" */
  guint    paths;
  guint    steps;
  gint64   seed;
  double   kappa;          /* Heston, per year */
  double   xi;             /* Heston, per year */
  double   rho;            /* Heston */
  char    *source;
  gsize    n_dates;
  gsize    n_dropped;
  guint    n_assets;
  char   **symbols;
  double  *s0;
  double  *mean;           /* of log returns per period */
  double  *cov;            /* of log returns per period, n_assets × n_assets */
} SextantCliScenarioJob;

/* What the output shows: a job's header and every path's terminal prices, path-major. */
typedef struct
{
  SextantCliScenarioJob *job;
  guint                  first_path;
  guint                  n_paths;
  guint64                n_truncated;
  double                *terminal;
} SextantCliScenarioResult;

void                   sextant_cli_scenario_job_free    (SextantCliScenarioJob  *job);
SextantCliScenarioJob *sextant_cli_scenario_job_from_json (JsonNode             *root,
                                                         const char           *what,
                                                         GError              **error);
SextantCliScenarioJob *sextant_cli_scenario_job_load    (const char             *path,
                                                         GError                **error);
JsonNode              *sextant_cli_scenario_job_to_json (const SextantCliScenarioJob *job);
char                  *sextant_cli_scenario_job_dup_digest (const SextantCliScenarioJob *job);
gboolean               sextant_cli_scenario_job_check   (const SextantCliScenarioJob *job,
                                                         GError                **error);
gboolean               sextant_cli_scenario_job_save    (const SextantCliScenarioJob *job,
                                                         const char             *path,
                                                         gboolean                replace,
                                                         GError                **error);

void                   sextant_cli_scenario_result_clear (SextantCliScenarioResult *result);
gboolean               sextant_cli_scenario_run         (SextantCliScenarioJob     *job,
                                                         guint                      shard,
                                                         guint                      shards,
                                                         SextantCliScenarioResult  *result,
                                                         GError                   **error);
gboolean               sextant_cli_scenario_shard_write (const SextantCliScenarioResult *result,
                                                         guint                      shard,
                                                         guint                      shards,
                                                         const char                *path,
                                                         GError                   **error);
gboolean               sextant_cli_scenario_merge       (const char * const        *paths,
                                                         SextantCliScenarioResult  *result,
                                                         GError                   **error);
gboolean               sextant_cli_scenario_run_processes (SextantCliScenarioJob *job,
                                                         guint                      shards,
                                                         SextantCliScenarioResult  *result,
                                                         GError                   **error);
void                   sextant_cli_scenario_print       (const SextantCliScenarioResult *result,
                                                         gboolean                   json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantCliScenarioJob, sextant_cli_scenario_job_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SextantCliScenarioResult, sextant_cli_scenario_result_clear)

G_END_DECLS
