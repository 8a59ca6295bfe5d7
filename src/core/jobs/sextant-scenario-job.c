#define G_LOG_DOMAIN "sextant-scenario-job"

#include "config.h"

#include <math.h>
#include <string.h>

#include "analytics/sextant-scenarios.h"
#include "jobs/sextant-scenario-job.h"
#include "jobs/sextant-scenario-job-private.h"

/* what one run keeps: the terminal prices of every path of every asset */
#define MAX_VALUES 50000000.0
#define JOB_KIND SEXTANT_SCENARIO_JOB_KIND
#define JOB_VERSION SEXTANT_SCENARIO_JOB_VERSION

void
sextant_scenario_job_free (SextantScenarioJob *job)
{
  if (job == NULL)
    return;
  g_free (job->model);
  g_free (job->source);
  g_strfreev (job->symbols);
  g_free (job->s0);
  g_free (job->mean);
  g_free (job->cov);
  g_free (job);
}

void
_sextant_scenario_add_double (JsonBuilder *b,
                              const char  *name,
                              double       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

void
_sextant_scenario_add_int (JsonBuilder *b,
                           const char  *name,
                           gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

void
_sextant_scenario_add_string (JsonBuilder *b,
                              const char  *name,
                              const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

/* The canonical form: members always in this order, so the digest of a job read back from its
 * file is the digest of the job that wrote it (json-glib prints doubles with 17 digits, which
 * read back to the same bits). A shard's copy leaves the covariance out (@summary): merge needs
 * only the variances, and a 2,000-asset covariance in each of 100 shards would be 100 copies of
 * 4 million numbers. */
JsonNode *
_sextant_scenario_job_to_json_full (const SextantScenarioJob *job,
                                    gboolean                  summary)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const guint n = job->n_assets;

  json_builder_begin_object (b);
  _sextant_scenario_add_string (b, "kind", JOB_KIND);
  _sextant_scenario_add_int (b, "version", JOB_VERSION);
  _sextant_scenario_add_string (b, "model", job->model);
  json_builder_set_member_name (b, "parameters");
  json_builder_begin_object (b);
  _sextant_scenario_add_double (b, "step_periods", 1.0);
  if (g_str_equal (job->model, "heston"))
    {
      _sextant_scenario_add_double (b, "kappa_per_year", job->kappa);
      _sextant_scenario_add_double (b, "xi_per_year", job->xi);
      _sextant_scenario_add_double (b, "rho", job->rho);
      /* only when given, so that the jobs written before it keep their digest */
      if (job->v0 > 0)
        _sextant_scenario_add_double (b, "v0_per_period", job->v0);
    }
  json_builder_end_object (b);
  _sextant_scenario_add_int (b, "seed", job->seed);
  json_builder_set_member_name (b, "size");
  json_builder_begin_object (b);
  _sextant_scenario_add_int (b, "paths", job->paths);
  _sextant_scenario_add_int (b, "steps", job->steps);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "inputs");
  json_builder_begin_object (b);
  _sextant_scenario_add_string (b, "source", job->source);
  _sextant_scenario_add_int (b, "dates", job->n_dates);
  _sextant_scenario_add_int (b, "dates_dropped_for_gaps", job->n_dropped);
  json_builder_set_member_name (b, "assets");
  json_builder_begin_array (b);
  for (guint a = 0; a < n; a++)
    {
      json_builder_begin_object (b);
      _sextant_scenario_add_string (b, "symbol", job->symbols[a]);
      _sextant_scenario_add_double (b, "start_price", job->s0[a]);
      _sextant_scenario_add_double (b, "mean_log_return_per_period", job->mean[a]);
      if (summary)
        _sextant_scenario_add_double (b, "variance_per_period", job->cov[(gsize) a * n + a]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (!summary)
    {
      json_builder_set_member_name (b, "covariance_per_period");
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          json_builder_begin_array (b);
          for (guint j = 0; j < n; j++)
            json_builder_add_double_value (b, job->cov[(gsize) i * n + j]);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

JsonNode *
sextant_scenario_job_to_json (const SextantScenarioJob *job)
{
  return _sextant_scenario_job_to_json_full (job, FALSE);
}

char *
_sextant_scenario_node_to_string (JsonNode *node,
                                  gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  return json_generator_to_data (generator, NULL);
}

char *
sextant_scenario_job_dup_digest (const SextantScenarioJob *job)
{
  g_autoptr(JsonNode) node = _sextant_scenario_job_to_json_full (job, FALSE);
  g_autofree char *text = _sextant_scenario_node_to_string (node, FALSE);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/**
 * sextant_scenario_job_to_data:
 *
 * Returns: (transfer full): the job file's text, as `--write-job` writes it and `--job` reads it
 */
char *
sextant_scenario_job_to_data (const SextantScenarioJob *job)
{
  g_autoptr(JsonNode) node = _sextant_scenario_job_to_json_full (job, FALSE);
  g_autofree char *text = _sextant_scenario_node_to_string (node, TRUE);

  return g_strconcat (text, "\n", NULL);
}

gboolean
sextant_scenario_job_save (const SextantScenarioJob  *job,
                           const char                *path,
                           gboolean                   replace,
                           GError                   **error)
{
  g_autofree char *with_newline = sextant_scenario_job_to_data (job);

  /* a job file is the record of what was run: writing one never replaces another file */
  if (!replace && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   "%s already exists; a job file is not written over another file", path);
      return FALSE;
    }
  return g_file_set_contents (path, with_newline, -1, error);
}

/* ----- reading a job ------------------------------------------------------------------------ */

gboolean
_sextant_scenario_fail (GError     **error,
                        const char  *what,
                        const char  *problem)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s", what, problem);
  return FALSE;
}

gboolean
_sextant_scenario_get_number (JsonObject *object,
                              const char *member,
                              double     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) == G_TYPE_STRING ||
      json_node_get_value_type (node) == G_TYPE_BOOLEAN || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

gboolean
_sextant_scenario_get_count (JsonObject *object,
                             const char *member,
                             double      max,
                             guint64    *value)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  v = json_node_get_int (node);
  if (v < 0 || (double) v > max)
    return FALSE;
  *value = (guint64) v;
  return TRUE;
}

const char *
_sextant_scenario_get_string (JsonObject *object,
                              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
_sextant_scenario_get_object (JsonObject *object,
                              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
_sextant_scenario_get_array (JsonObject *object,
                             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
read_header (SextantScenarioJob  *job,
             JsonObject          *root,
             const char          *what,
             GError             **error)
{
  JsonObject *parameters = _sextant_scenario_get_object (root, "parameters"), *size = _sextant_scenario_get_object (root, "size");
  const char *kind = _sextant_scenario_get_string (root, "kind"), *model = _sextant_scenario_get_string (root, "model");
  guint64 version = 0, paths = 0, steps = 0, seed = 0;
  double step_periods = 0;

  if (g_strcmp0 (kind, JOB_KIND) != 0 || !_sextant_scenario_get_count (root, "version", G_MAXINT, &version))
    return _sextant_scenario_fail (error, what, "not a Sextant scenario job (no \"kind\": \"" JOB_KIND "\")");
  if (version != JOB_VERSION)
    return _sextant_scenario_fail (error, what, "a scenario job of a newer version than this sextant-cli reads");
  if (g_strcmp0 (model, "gbm") != 0 && g_strcmp0 (model, "heston") != 0)
    return _sextant_scenario_fail (error, what, "\"model\" must be \"gbm\" or \"heston\"");
  if (parameters == NULL || !_sextant_scenario_get_number (parameters, "step_periods", &step_periods) ||
      step_periods != 1.0)
    return _sextant_scenario_fail (error, what, "\"parameters\" must hold \"step_periods\": 1");
  if (g_str_equal (model, "heston") &&
      (!_sextant_scenario_get_number (parameters, "kappa_per_year", &job->kappa) ||
       !_sextant_scenario_get_number (parameters, "xi_per_year", &job->xi) ||
       !_sextant_scenario_get_number (parameters, "rho", &job->rho)))
    return _sextant_scenario_fail (error, what, "a Heston job needs numbers kappa_per_year, xi_per_year and rho");
  if (g_str_equal (model, "heston") && json_object_has_member (parameters, "v0_per_period") &&
      (!_sextant_scenario_get_number (parameters, "v0_per_period", &job->v0) || !isfinite (job->v0) ||
       job->v0 <= 0))
    return _sextant_scenario_fail (error, what, "\"v0_per_period\" must be a positive number (or absent, to start at θ)");
  if (!_sextant_scenario_get_count (root, "seed", (double) G_MAXINT64, &seed))
    return _sextant_scenario_fail (error, what, "\"seed\" must be a whole number, 0 or more");
  if (size == NULL || !_sextant_scenario_get_count (size, "paths", G_MAXINT, &paths) || paths == 0 ||
      !_sextant_scenario_get_count (size, "steps", G_MAXINT, &steps) || steps == 0)
    return _sextant_scenario_fail (error, what, "\"size\" must hold positive whole numbers \"paths\" and \"steps\"");
  job->model = g_strdup (model);
  job->seed = (gint64) seed;
  job->paths = (guint) paths;
  job->steps = (guint) steps;
  return TRUE;
}

static gboolean
read_assets (SextantScenarioJob  *job,
             JsonObject          *inputs,
             const char          *what,
             GError             **error)
{
  JsonArray *assets = _sextant_scenario_get_array (inputs, "assets");
  JsonArray *cov = _sextant_scenario_get_array (inputs, "covariance_per_period");
  const char *source = _sextant_scenario_get_string (inputs, "source");
  guint64 dates = 0, dropped = 0;
  guint n;

  if (source == NULL || !_sextant_scenario_get_count (inputs, "dates", G_MAXINT64, &dates) ||
      !_sextant_scenario_get_count (inputs, "dates_dropped_for_gaps", G_MAXINT64, &dropped))
    return _sextant_scenario_fail (error, what, "\"inputs\" must hold \"source\", \"dates\" and \"dates_dropped_for_gaps\"");
  if (assets == NULL || (n = json_array_get_length (assets)) == 0 ||
      n > SEXTANT_SCENARIO_JOB_MAX_ASSETS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: \"inputs\" must hold a list of 1 to %d \"assets\"", what,
                   SEXTANT_SCENARIO_JOB_MAX_ASSETS);
      return FALSE;
    }
  job->source = g_strdup (source);
  job->n_dates = dates;
  job->n_dropped = dropped;
  job->n_assets = n;
  job->symbols = g_new0 (char *, n + 1);
  job->s0 = g_new (double, n);
  job->mean = g_new (double, n);
  job->cov = g_new0 (double, (gsize) n * n);
  for (guint a = 0; a < n; a++)
    {
      JsonNode *node = json_array_get_element (assets, a);
      JsonObject *asset = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *symbol = asset != NULL ? _sextant_scenario_get_string (asset, "symbol") : NULL;

      if (symbol == NULL || !_sextant_scenario_get_number (asset, "start_price", &job->s0[a]) ||
          !_sextant_scenario_get_number (asset, "mean_log_return_per_period", &job->mean[a]) ||
          (cov == NULL && !_sextant_scenario_get_number (asset, "variance_per_period", &job->cov[(gsize) a * n + a])))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "%s: asset %u needs a \"symbol\" and numbers \"start_price\" and "
                       "\"mean_log_return_per_period\"", what, a + 1);
          return FALSE;
        }
      job->symbols[a] = g_strdup (symbol);
    }
  if (cov == NULL)
    return TRUE;
  if (json_array_get_length (cov) != n)
    return _sextant_scenario_fail (error, what, "\"covariance_per_period\" must have one row per asset");
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (cov, i);
      JsonArray *row = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint j = 0; row != NULL && j < json_array_get_length (row) && j < n; j++)
        {
          JsonNode *cell = json_array_get_element (row, j);

          if (!JSON_NODE_HOLDS_VALUE (cell) || json_node_get_value_type (cell) == G_TYPE_STRING ||
              json_node_get_value_type (cell) == G_TYPE_BOOLEAN ||
              !isfinite (job->cov[(gsize) i * n + j] = json_node_get_double (cell)))
            row = NULL;
        }
      if (row == NULL || json_array_get_length (row) != n)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "%s: row %u of \"covariance_per_period\" must hold %u numbers", what,
                       i + 1, n);
          return FALSE;
        }
    }
  return TRUE;
}

SextantScenarioJob *
_sextant_scenario_job_from_json_full (JsonNode    *root,
                                      const char  *what,
                                      gboolean     summary,
                                      GError     **error)
{
  g_autoptr(SextantScenarioJob) job = g_new0 (SextantScenarioJob, 1);
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                                     : NULL;
  JsonObject *inputs = object != NULL ? _sextant_scenario_get_object (object, "inputs") : NULL;

  if (object == NULL)
    {
      _sextant_scenario_fail (error, what, "not a Sextant scenario job (not a JSON object)");
      return NULL;
    }
  if (!read_header (job, object, what, error))
    return NULL;
  if (inputs == NULL)
    {
      _sextant_scenario_fail (error, what, "no \"inputs\"");
      return NULL;
    }
  if (!summary && _sextant_scenario_get_array (inputs, "covariance_per_period") == NULL)
    {
      _sextant_scenario_fail (error, what, "\"inputs\" must hold \"covariance_per_period\"");
      return NULL;
    }
  if (!read_assets (job, inputs, what, error))
    return NULL;
  return g_steal_pointer (&job);
}

SextantScenarioJob *
sextant_scenario_job_from_json (JsonNode    *root,
                                const char  *what,
                                GError     **error)
{
  return _sextant_scenario_job_from_json_full (root, what, FALSE, error);
}

SextantScenarioJob *
sextant_scenario_job_load (const char  *path,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      _sextant_scenario_fail (error, path, "a folder, not a scenario job");
      return NULL;
    }
  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a scenario job: %s", path,
                   local_error->message);
      return NULL;
    }
  return _sextant_scenario_job_from_json_full (json_parser_get_root (parser), path, FALSE, error);
}

/* ----- running a shard ---------------------------------------------------------------------- */

void
sextant_scenario_run_clear (SextantScenarioRun *result)
{
  g_clear_pointer (&result->job, sextant_scenario_job_free);
  g_clear_pointer (&result->terminal, g_free);
}

/* Worker threads for one run: SEXTANT_SCENARIO_THREADS, else one per processor. The processes
 * engine sets it for its children, so that N of them share the machine's cores rather than
 * each starting one thread per core. The paths do not depend on it. */
static guint
thread_count (void)
{
  const char *env = g_getenv ("SEXTANT_SCENARIO_THREADS");
  guint64 n;

  return env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 4096, &n, NULL) ? (guint) n : 0;
}

/* κ and ξ are given per year (252 periods) and converted to per-period units; θ = the data's
 * variance of log returns, v0 = the job's when given (the Portfolio window's estimate of the
 * current variance), else θ; r = the mean log return + θ/2. */
static SextantScenarioResult *
simulate (SextantScenarioJob  *job,
          guint                first_path,
          guint                n_paths,
          GError             **error)
{
  if (g_str_equal (job->model, "gbm"))
    {
      g_autofree double *mu = g_new (double, job->n_assets);
      SextantGbmSpec spec = { job->n_assets, job->s0, mu, job->cov, 1.0, job->steps, n_paths,
                              job->seed, thread_count (), first_path };

      /* arithmetic drift μ = m + σ²/2 reproduces the data's mean log return m */
      for (guint a = 0; a < job->n_assets; a++)
        mu[a] = job->mean[a] + 0.5 * job->cov[(gsize) a * job->n_assets + a];
      return sextant_scenarios_gbm (&spec, SEXTANT_SCENARIO_KEEP_TERMINAL, NULL, NULL, NULL, error);
    }
  else
    {
      SextantHestonSpec spec = { job->s0[0], job->v0 > 0 ? job->v0 : job->cov[0],
                                 job->mean[0] + 0.5 * job->cov[0],
                                 job->kappa / 252, job->cov[0], job->xi / 252, job->rho, 1.0,
                                 job->steps, n_paths, job->seed, thread_count (), first_path };

      return sextant_scenarios_heston (&spec, SEXTANT_SCENARIO_KEEP_TERMINAL, NULL, NULL, NULL,
                                       error);
    }
}

/* What any run of the job would refuse, checked before a job file is written too. */
gboolean
sextant_scenario_job_check (const SextantScenarioJob  *job,
                            GError                   **error)
{
  if (job->n_assets > SEXTANT_SCENARIO_JOB_MAX_ASSETS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "A scenario job holds at most %d assets; the prices have %u columns",
                   SEXTANT_SCENARIO_JOB_MAX_ASSETS, job->n_assets);
      return FALSE;
    }
  if (g_str_equal (job->model, "heston") && job->n_assets != 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--model heston simulates one asset, but the prices have %u columns",
                   job->n_assets);
      return FALSE;
    }
  if ((double) job->paths * job->n_assets > MAX_VALUES)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%u paths × %u assets is more terminal prices than this command keeps "
                   "(%.0f)", job->paths, job->n_assets, MAX_VALUES);
      return FALSE;
    }
  return TRUE;
}

/**
 * sextant_scenario_job_run:
 * @job: (transfer full): the job; @result owns it afterwards, even on failure
 * @shard: 0 … @shards − 1
 * @shards: 1 for the whole run
 *
 * Simulates the shard's paths, which are the whole run's paths at the same indices.
 */
gboolean
sextant_scenario_job_run (SextantScenarioJob  *job,
                          guint                shard,
                          guint                shards,
                          SextantScenarioRun  *result,
                          GError             **error)
{
  g_autoptr(SextantScenarioResult) r = NULL;

  result->job = job;
  if (!sextant_scenario_job_check (job, error) ||
      !sextant_scenarios_shard_range (job->paths, shard, shards, &result->first_path,
                                      &result->n_paths, error))
    return FALSE;
  /* more shards than blocks of paths leaves some empty: they still count as shards */
  if (result->n_paths == 0)
    return TRUE;
  if ((r = simulate (job, result->first_path, result->n_paths, error)) == NULL)
    return FALSE;
  result->n_truncated = r->n_truncated;
  result->terminal = g_steal_pointer (&r->terminal);
  return TRUE;
}

