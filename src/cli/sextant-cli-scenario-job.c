#define G_LOG_DOMAIN "sextant-cli-scenario-job"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-scenario-job.h"

#define JOB_KIND "sextant-scenario-job"
#define JOB_VERSION 1
#define SHARD_MAGIC "SEXTANT-SCENARIO-SHARD 1\n"
/* what one run keeps: the terminal prices of every path of every asset */
#define MAX_VALUES 50000000.0

static const double percentiles[] = { 0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99 };
static const char *percentile_names[] = { "p01", "p05", "p25", "p50", "p75", "p95", "p99" };

void
sextant_cli_scenario_job_free (SextantCliScenarioJob *job)
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

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_string (JsonBuilder *b,
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
static JsonNode *
job_to_json (const SextantCliScenarioJob *job,
             gboolean                     summary)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const guint n = job->n_assets;

  json_builder_begin_object (b);
  add_string (b, "kind", JOB_KIND);
  add_int (b, "version", JOB_VERSION);
  add_string (b, "model", job->model);
  json_builder_set_member_name (b, "parameters");
  json_builder_begin_object (b);
  add_double (b, "step_periods", 1.0);
  if (g_str_equal (job->model, "heston"))
    {
      add_double (b, "kappa_per_year", job->kappa);
      add_double (b, "xi_per_year", job->xi);
      add_double (b, "rho", job->rho);
    }
  json_builder_end_object (b);
  add_int (b, "seed", job->seed);
  json_builder_set_member_name (b, "size");
  json_builder_begin_object (b);
  add_int (b, "paths", job->paths);
  add_int (b, "steps", job->steps);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "inputs");
  json_builder_begin_object (b);
  add_string (b, "source", job->source);
  add_int (b, "dates", job->n_dates);
  add_int (b, "dates_dropped_for_gaps", job->n_dropped);
  json_builder_set_member_name (b, "assets");
  json_builder_begin_array (b);
  for (guint a = 0; a < n; a++)
    {
      json_builder_begin_object (b);
      add_string (b, "symbol", job->symbols[a]);
      add_double (b, "start_price", job->s0[a]);
      add_double (b, "mean_log_return_per_period", job->mean[a]);
      if (summary)
        add_double (b, "variance_per_period", job->cov[(gsize) a * n + a]);
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
sextant_cli_scenario_job_to_json (const SextantCliScenarioJob *job)
{
  return job_to_json (job, FALSE);
}

static char *
node_to_string (JsonNode *node,
                gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  return json_generator_to_data (generator, NULL);
}

char *
sextant_cli_scenario_job_dup_digest (const SextantCliScenarioJob *job)
{
  g_autoptr(JsonNode) node = job_to_json (job, FALSE);
  g_autofree char *text = node_to_string (node, FALSE);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

gboolean
sextant_cli_scenario_job_save (const SextantCliScenarioJob  *job,
                               const char                   *path,
                               gboolean                      replace,
                               GError                      **error)
{
  g_autoptr(JsonNode) node = job_to_json (job, FALSE);
  g_autofree char *text = node_to_string (node, TRUE);
  g_autofree char *with_newline = g_strconcat (text, "\n", NULL);

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

static gboolean
fail (GError     **error,
      const char  *what,
      const char  *problem)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s", what, problem);
  return FALSE;
}

static gboolean
get_number (JsonObject  *object,
            const char  *member,
            double      *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) == G_TYPE_STRING ||
      json_node_get_value_type (node) == G_TYPE_BOOLEAN || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

static gboolean
get_count (JsonObject  *object,
           const char  *member,
           double       max,
           guint64     *value)
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

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
read_header (SextantCliScenarioJob  *job,
             JsonObject             *root,
             const char             *what,
             GError                **error)
{
  JsonObject *parameters = get_object (root, "parameters"), *size = get_object (root, "size");
  const char *kind = get_string (root, "kind"), *model = get_string (root, "model");
  guint64 version = 0, paths = 0, steps = 0, seed = 0;
  double step_periods = 0;

  if (g_strcmp0 (kind, JOB_KIND) != 0 || !get_count (root, "version", G_MAXINT, &version))
    return fail (error, what, "not a Sextant scenario job (no \"kind\": \"" JOB_KIND "\")");
  if (version != JOB_VERSION)
    return fail (error, what, "a scenario job of a newer version than this sextant-cli reads");
  if (g_strcmp0 (model, "gbm") != 0 && g_strcmp0 (model, "heston") != 0)
    return fail (error, what, "\"model\" must be \"gbm\" or \"heston\"");
  if (parameters == NULL || !get_number (parameters, "step_periods", &step_periods) ||
      step_periods != 1.0)
    return fail (error, what, "\"parameters\" must hold \"step_periods\": 1");
  if (g_str_equal (model, "heston") &&
      (!get_number (parameters, "kappa_per_year", &job->kappa) ||
       !get_number (parameters, "xi_per_year", &job->xi) ||
       !get_number (parameters, "rho", &job->rho)))
    return fail (error, what, "a Heston job needs numbers kappa_per_year, xi_per_year and rho");
  if (!get_count (root, "seed", (double) G_MAXINT64, &seed))
    return fail (error, what, "\"seed\" must be a whole number, 0 or more");
  if (size == NULL || !get_count (size, "paths", G_MAXINT, &paths) || paths == 0 ||
      !get_count (size, "steps", G_MAXINT, &steps) || steps == 0)
    return fail (error, what, "\"size\" must hold positive whole numbers \"paths\" and \"steps\"");
  job->model = g_strdup (model);
  job->seed = (gint64) seed;
  job->paths = (guint) paths;
  job->steps = (guint) steps;
  return TRUE;
}

static gboolean
read_assets (SextantCliScenarioJob  *job,
             JsonObject             *inputs,
             const char             *what,
             GError                **error)
{
  JsonArray *assets = get_array (inputs, "assets");
  JsonArray *cov = get_array (inputs, "covariance_per_period");
  const char *source = get_string (inputs, "source");
  guint64 dates = 0, dropped = 0;
  guint n;

  if (source == NULL || !get_count (inputs, "dates", G_MAXINT64, &dates) ||
      !get_count (inputs, "dates_dropped_for_gaps", G_MAXINT64, &dropped))
    return fail (error, what, "\"inputs\" must hold \"source\", \"dates\" and \"dates_dropped_for_gaps\"");
  if (assets == NULL || (n = json_array_get_length (assets)) == 0 ||
      n > SEXTANT_CLI_SCENARIO_MAX_ASSETS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: \"inputs\" must hold a list of 1 to %d \"assets\"", what,
                   SEXTANT_CLI_SCENARIO_MAX_ASSETS);
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
      const char *symbol = asset != NULL ? get_string (asset, "symbol") : NULL;

      if (symbol == NULL || !get_number (asset, "start_price", &job->s0[a]) ||
          !get_number (asset, "mean_log_return_per_period", &job->mean[a]) ||
          (cov == NULL && !get_number (asset, "variance_per_period", &job->cov[(gsize) a * n + a])))
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
    return fail (error, what, "\"covariance_per_period\" must have one row per asset");
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

static SextantCliScenarioJob *
job_from_json (JsonNode    *root,
               const char  *what,
               gboolean     summary,
               GError     **error)
{
  g_autoptr(SextantCliScenarioJob) job = g_new0 (SextantCliScenarioJob, 1);
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                                     : NULL;
  JsonObject *inputs = object != NULL ? get_object (object, "inputs") : NULL;

  if (object == NULL)
    {
      fail (error, what, "not a Sextant scenario job (not a JSON object)");
      return NULL;
    }
  if (!read_header (job, object, what, error))
    return NULL;
  if (inputs == NULL)
    {
      fail (error, what, "no \"inputs\"");
      return NULL;
    }
  if (!summary && get_array (inputs, "covariance_per_period") == NULL)
    {
      fail (error, what, "\"inputs\" must hold \"covariance_per_period\"");
      return NULL;
    }
  if (!read_assets (job, inputs, what, error))
    return NULL;
  return g_steal_pointer (&job);
}

SextantCliScenarioJob *
sextant_cli_scenario_job_from_json (JsonNode    *root,
                                    const char  *what,
                                    GError     **error)
{
  return job_from_json (root, what, FALSE, error);
}

SextantCliScenarioJob *
sextant_cli_scenario_job_load (const char  *path,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      fail (error, path, "a folder, not a scenario job");
      return NULL;
    }
  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a scenario job: %s", path,
                   local_error->message);
      return NULL;
    }
  return job_from_json (json_parser_get_root (parser), path, FALSE, error);
}

/* ----- running a shard ---------------------------------------------------------------------- */

void
sextant_cli_scenario_result_clear (SextantCliScenarioResult *result)
{
  g_clear_pointer (&result->job, sextant_cli_scenario_job_free);
  g_clear_pointer (&result->terminal, g_free);
}

/* κ and ξ are given per year (252 periods) and converted to per-period units; v0 = θ = the data's
 * variance of log returns, r = its mean log return + v/2. */
static SextantScenarioResult *
simulate (SextantCliScenarioJob  *job,
          guint                   first_path,
          guint                   n_paths,
          GError                **error)
{
  if (g_str_equal (job->model, "gbm"))
    {
      g_autofree double *mu = g_new (double, job->n_assets);
      SextantGbmSpec spec = { job->n_assets, job->s0, mu, job->cov, 1.0, job->steps, n_paths,
                              job->seed, 0, first_path };

      /* arithmetic drift μ = m + σ²/2 reproduces the data's mean log return m */
      for (guint a = 0; a < job->n_assets; a++)
        mu[a] = job->mean[a] + 0.5 * job->cov[(gsize) a * job->n_assets + a];
      return sextant_scenarios_gbm (&spec, SEXTANT_SCENARIO_KEEP_TERMINAL, NULL, NULL, NULL, error);
    }
  else
    {
      SextantHestonSpec spec = { job->s0[0], job->cov[0], job->mean[0] + 0.5 * job->cov[0],
                                 job->kappa / 252, job->cov[0], job->xi / 252, job->rho, 1.0,
                                 job->steps, n_paths, job->seed, 0, first_path };

      return sextant_scenarios_heston (&spec, SEXTANT_SCENARIO_KEEP_TERMINAL, NULL, NULL, NULL,
                                       error);
    }
}

/* What any run of the job would refuse, checked before a job file is written too. */
gboolean
sextant_cli_scenario_job_check (const SextantCliScenarioJob  *job,
                                GError                      **error)
{
  if (job->n_assets > SEXTANT_CLI_SCENARIO_MAX_ASSETS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "A scenario job holds at most %d assets; the prices have %u columns",
                   SEXTANT_CLI_SCENARIO_MAX_ASSETS, job->n_assets);
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
 * sextant_cli_scenario_run:
 * @job: (transfer full): the job; @result owns it afterwards, even on failure
 * @shard: 0 … @shards − 1
 * @shards: 1 for the whole run
 *
 * Simulates the shard's paths, which are the whole run's paths at the same indices.
 */
gboolean
sextant_cli_scenario_run (SextantCliScenarioJob     *job,
                          guint                      shard,
                          guint                      shards,
                          SextantCliScenarioResult  *result,
                          GError                   **error)
{
  g_autoptr(SextantScenarioResult) r = NULL;

  result->job = job;
  if (!sextant_cli_scenario_job_check (job, error) ||
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

/* ----- shard files -------------------------------------------------------------------------- */

/*
 * A shard file: the magic line, one line of JSON (the job's digest and summary, which shard,
 * which paths), then the shard's terminal prices as little-endian IEEE doubles, path-major: text
 * would cost a merge of 100 shards of a million values seconds of parsing, and would have to be
 * printed with 17 digits to come back bit for bit.
 */
gboolean
sextant_cli_scenario_shard_write (const SextantCliScenarioResult  *result,
                                  guint                            shard,
                                  guint                            shards,
                                  const char                      *path,
                                  GError                         **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *digest = sextant_cli_scenario_job_dup_digest (result->job);
  g_autofree char *header = NULL;
  g_autoptr(GString) data = NULL;
  gsize n_values = (gsize) result->n_paths * result->job->n_assets;

  json_builder_begin_object (b);
  add_string (b, "job_sha256", digest);
  add_int (b, "shard", shard);
  add_int (b, "shards", shards);
  add_int (b, "first_path", result->first_path);
  add_int (b, "paths", result->n_paths);
  add_int (b, "variance_truncations", (gint64) result->n_truncated);
  json_builder_set_member_name (b, "job");
  json_builder_add_value (b, job_to_json (result->job, TRUE));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  header = node_to_string (root, FALSE);

  data = g_string_sized_new (strlen (SHARD_MAGIC) + strlen (header) + 1 + n_values * 8);
  g_string_append (data, SHARD_MAGIC);
  g_string_append (data, header);
  g_string_append_c (data, '\n');
  for (gsize i = 0; i < n_values; i++)
    {
      guint64 bits;

      memcpy (&bits, &result->terminal[i], 8);
      bits = GUINT64_TO_LE (bits);
      g_string_append_len (data, (const char *) &bits, 8);
    }
  return g_file_set_contents (path, data->str, data->len, error);
}

typedef struct
{
  char                  *path;
  GMappedFile           *file;
  char                  *digest;
  guint                  shard;
  guint                  shards;
  guint                  first_path;
  guint                  n_paths;
  guint64                n_truncated;
  SextantCliScenarioJob *job;
  const char            *values;
} Shard;

static void
shard_clear (Shard *s)
{
  g_free (s->path);
  g_clear_pointer (&s->file, g_mapped_file_unref);
  g_free (s->digest);
  sextant_cli_scenario_job_free (s->job);
}

static gboolean
shard_read (Shard       *s,
            const char  *path,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  const char *data, *end_of_header, *digest;
  gsize length, magic = strlen (SHARD_MAGIC);
  guint64 shard = 0, shards = 0, first = 0, paths = 0, truncated = 0;

  s->path = g_strdup (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return fail (error, path, "a folder, not a shard file");
  if ((s->file = g_mapped_file_new (path, FALSE, error)) == NULL)
    return FALSE;
  data = g_mapped_file_get_contents (s->file);
  length = g_mapped_file_get_length (s->file);
  if (length < magic || memcmp (data, SHARD_MAGIC, magic) != 0 ||
      (end_of_header = memchr (data + magic, '\n', length - magic)) == NULL)
    return fail (error, path, "not a shard file of sextant-cli scenarios --shard");
  if (!json_parser_load_from_data (parser, data + magic, end_of_header - (data + magic), &local_error) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return fail (error, path, "the shard file's header is damaged");
  root = json_node_get_object (json_parser_get_root (parser));
  digest = get_string (root, "job_sha256");
  if (digest == NULL || !get_count (root, "shard", G_MAXUINT, &shard) ||
      !get_count (root, "shards", SEXTANT_CLI_SCENARIO_MAX_SHARDS, &shards) || shard >= shards ||
      !get_count (root, "first_path", G_MAXUINT, &first) ||
      !get_count (root, "paths", G_MAXUINT, &paths) ||
      !get_count (root, "variance_truncations", (double) G_MAXINT64, &truncated) ||
      json_object_get_member (root, "job") == NULL)
    return fail (error, path, "the shard file's header is damaged");
  if ((s->job = job_from_json (json_object_get_member (root, "job"), path, TRUE, error)) == NULL)
    return FALSE;
  s->digest = g_strdup (digest);
  s->shard = shard;
  s->shards = shards;
  s->first_path = first;
  s->n_paths = paths;
  s->n_truncated = truncated;
  s->values = end_of_header + 1;
  if ((guint64) (data + length - s->values) != paths * s->job->n_assets * 8)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: shard %u/%u should hold %" G_GUINT64_FORMAT " prices but holds %"
                   G_GSIZE_FORMAT " bytes of them: the file is cut short or damaged", path,
                   s->shard, s->shards, paths * s->job->n_assets,
                   (gsize) (data + length - s->values));
      return FALSE;
    }
  return TRUE;
}

static gboolean
shard_fits (const Shard  *s,
            const Shard  *first,
            Shard       **seen,
            GError      **error)
{
  guint expected_first, expected_paths;

  if (!g_str_equal (s->digest, first->digest))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s is a shard of another job than %s (job %.12s…, not %.12s…): merge only "
                   "the shards of one job", s->path, first->path, s->digest, first->digest);
      return FALSE;
    }
  if (s->shards != first->shards)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s is a shard of a run cut into %u shards, %s of one cut into %u", s->path,
                   s->shards, first->path, first->shards);
      return FALSE;
    }
  if (seen[s->shard] != NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "Shard %u/%u is given twice: %s and %s", s->shard, s->shards,
                   seen[s->shard]->path, s->path);
      return FALSE;
    }
  if (!sextant_scenarios_shard_range (s->job->paths, s->shard, s->shards, &expected_first,
                                      &expected_paths, error))
    return FALSE;
  if (expected_first != s->first_path || expected_paths != s->n_paths)
    return fail (error, s->path, "the shard's paths are not the ones its number stands for");
  return TRUE;
}

/**
 * sextant_cli_scenario_merge:
 * @paths: (array zero-terminated=1): shard files, in any order
 *
 * Puts the shards of one job back together, refusing shards of different jobs, a shard given
 * twice or a missing one; the result is the one-process run's, bit for bit.
 */
gboolean
sextant_cli_scenario_merge (const char * const        *paths,
                            SextantCliScenarioResult  *result,
                            GError                   **error)
{
  guint n_files = g_strv_length ((char **) paths);
  g_autofree Shard *shards = g_new0 (Shard, MAX (n_files, 1));
  g_autofree Shard **seen = NULL;
  gboolean ok = FALSE;
  guint n_assets;

  if (n_files == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "No shard files to merge");
      return FALSE;
    }
  for (guint i = 0; i < n_files; i++)
    if (!shard_read (&shards[i], paths[i], error))
      goto out;
  seen = g_new0 (Shard *, shards[0].shards);
  for (guint i = 0; i < n_files; i++)
    {
      if (!shard_fits (&shards[i], &shards[0], seen, error))
        goto out;
      seen[shards[i].shard] = &shards[i];
    }
  for (guint i = 0; i < shards[0].shards; i++)
    if (seen[i] == NULL)
      {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                     "Shard %u/%u is missing: give all %u shard files of the job", i,
                     shards[0].shards, shards[0].shards);
        goto out;
      }

  n_assets = shards[0].job->n_assets;
  result->job = g_steal_pointer (&shards[0].job);
  result->first_path = 0;
  result->n_paths = result->job->paths;
  result->n_truncated = 0;
  result->terminal = g_new (double, (gsize) result->n_paths * n_assets);
  for (guint i = 0; i < n_files; i++)
    {
      const Shard *s = &shards[i];
      double *to = result->terminal + (gsize) s->first_path * n_assets;
      gsize n_values = (gsize) s->n_paths * n_assets;

      result->n_truncated += s->n_truncated;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
      memcpy (to, s->values, n_values * 8);
#else
      for (gsize v = 0; v < n_values; v++)
        {
          guint64 bits;

          memcpy (&bits, s->values + v * 8, 8);
          bits = GUINT64_FROM_LE (bits);
          memcpy (&to[v], &bits, 8);
        }
#endif
    }
  ok = TRUE;

out:
  for (guint i = 0; i < n_files; i++)
    shard_clear (&shards[i]);
  return ok;
}

/* ----- what the command prints -------------------------------------------------------------- */

static void
terminal_stats (const SextantCliScenarioResult *r,
                guint                           asset,
                double                         *column,
                double                         *stats)
{
  const SextantCliScenarioJob *job = r->job;
  gsize below = 0;

  for (guint p = 0; p < r->n_paths; p++)
    {
      column[p] = r->terminal[(gsize) p * job->n_assets + asset];
      below += column[p] < job->s0[asset];
    }
  /* sorted first, so that the mean and sd do not depend on the order of the paths either */
  gsl_sort (column, 1, r->n_paths);
  stats[0] = gsl_stats_mean (column, 1, r->n_paths);
  stats[1] = r->n_paths > 1 ? gsl_stats_sd (column, 1, r->n_paths) : 0.0;
  stats[2] = column[0];
  stats[3] = column[r->n_paths - 1];
  stats[4] = (double) below / r->n_paths;
  for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
    stats[5 + i] = gsl_stats_quantile_from_sorted_data (column, 1, r->n_paths, percentiles[i]);
}

static void
print_text (const SextantCliScenarioResult *r)
{
  const SextantCliScenarioJob *job = r->job;
  g_autofree double *column = g_new (double, r->n_paths);
  double stats[5 + G_N_ELEMENTS (percentiles)];

  printf ("%s scenarios: %u paths × %u steps, seed %" G_GINT64_FORMAT ", from %s "
          "(%" G_GSIZE_FORMAT " dates, %" G_GSIZE_FORMAT " dropped for gaps)\n",
          job->model, r->n_paths, job->steps, job->seed, job->source, job->n_dates,
          job->n_dropped);
  if (r->n_truncated > 0)
    printf ("Heston full-truncation Euler: %" G_GUINT64_FORMAT " steps had a negative variance "
            "truncated to 0\n", r->n_truncated);
  printf ("%-20s %10s %10s %10s %10s %10s %8s", "asset", "start", "mean", "sd", "min", "max",
          "P(loss)");
  for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
    printf (" %10s", percentile_names[i]);
  printf ("\n");
  for (guint a = 0; a < job->n_assets; a++)
    {
      terminal_stats (r, a, column, stats);
      printf ("%-20.20s %10.6g %10.6g %10.6g %10.6g %10.6g %8.4f", job->symbols[a], job->s0[a],
              stats[0], stats[1], stats[2], stats[3], stats[4]);
      for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
        printf (" %10.6g", stats[5 + i]);
      printf ("\n");
    }
}

static void
build_asset (JsonBuilder                    *b,
             const SextantCliScenarioResult *r,
             guint                           a,
             double                         *column)
{
  const SextantCliScenarioJob *job = r->job;
  double stats[5 + G_N_ELEMENTS (percentiles)];

  terminal_stats (r, a, column, stats);
  json_builder_begin_object (b);
  add_string (b, "symbol", job->symbols[a]);
  add_double (b, "start_price", job->s0[a]);
  add_double (b, "mean_log_return_per_period", job->mean[a]);
  add_double (b, "volatility_per_period", sqrt (job->cov[(gsize) a * job->n_assets + a]));
  json_builder_set_member_name (b, "terminal");
  json_builder_begin_object (b);
  add_double (b, "mean", stats[0]);
  add_double (b, "sd", stats[1]);
  add_double (b, "min", stats[2]);
  add_double (b, "max", stats[3]);
  add_double (b, "prob_below_start", stats[4]);
  for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
    add_double (b, percentile_names[i], stats[5 + i]);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
print_json (const SextantCliScenarioResult *r)
{
  const SextantCliScenarioJob *job = r->job;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree double *column = g_new (double, r->n_paths);

  json_builder_begin_object (b);
  add_string (b, "model", job->model);
  add_int (b, "paths", r->n_paths);
  add_int (b, "steps", job->steps);
  add_int (b, "seed", job->seed);
  add_string (b, "source", job->source);
  add_int (b, "dates_dropped_for_gaps", job->n_dropped);
  add_int (b, "variance_truncations", r->n_truncated);
  json_builder_set_member_name (b, "assets");
  json_builder_begin_array (b);
  for (guint a = 0; a < job->n_assets; a++)
    build_asset (b, r, a, column);
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  sextant_cli_print_json (root);
}

/* Prints a whole run (one process's, or merged shards'): the same bytes either way. */
void
sextant_cli_scenario_print (const SextantCliScenarioResult *result,
                            gboolean                        json)
{
  if (json)
    print_json (result);
  else
    print_text (result);
}

/* ----- the processes engine ----------------------------------------------------------------- */

/* This very program, so that the children are the same build as the parent. */
static char *
dup_self_path (GError **error)
{
  char *path = g_file_read_link ("/proc/self/exe", NULL);

  if (path == NULL)
    path = g_find_program_in_path ("sextant-cli");
  if (path == NULL)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 "--engine processes cannot find the sextant-cli program to start");
  return path;
}

static void
remove_work_dir (const char  *dir,
                 guint        shards)
{
  g_autofree char *job = g_build_filename (dir, "job.json", NULL);

  for (guint i = 0; i < shards; i++)
    {
      g_autofree char *name = g_strdup_printf ("shard-%u", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_remove (job);
  g_rmdir (dir);
}

static gboolean
wait_child (GSubprocess  *child,
            guint         shard,
            guint         shards,
            GError      **error)
{
  g_autofree char *err_text = NULL;

  if (!g_subprocess_communicate_utf8 (child, NULL, NULL, NULL, &err_text, error))
    return FALSE;
  if (g_subprocess_get_if_exited (child) && g_subprocess_get_exit_status (child) == 0)
    return TRUE;
  if (g_subprocess_get_if_exited (child))
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                 "Shard %u/%u failed with exit status %d: %s", shard, shards,
                 g_subprocess_get_exit_status (child),
                 err_text != NULL ? g_strstrip (err_text) : "");
  else
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Shard %u/%u was killed by signal %d",
                 shard, shards, g_subprocess_get_term_sig (child));
  return FALSE;
}

/**
 * sextant_cli_scenario_run_processes:
 * @job: (transfer full): the job; @result owns it afterwards, even on failure
 * @shards: how many `sextant-cli scenarios --shard` processes to start
 *
 * The processes engine: the job is written to a private folder, @shards children run one shard
 * each at the same time, and their files are merged as `sextant-cli merge` merges them, so the
 * result is the in-process run's.
 */
gboolean
sextant_cli_scenario_run_processes (SextantCliScenarioJob     *job,
                                    guint                      shards,
                                    SextantCliScenarioResult  *result,
                                    GError                   **error)
{
  g_autofree char *self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *job_path = NULL;
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SextantCliScenarioJob) owned = job;
  gboolean ok = TRUE;

  if (!sextant_cli_scenario_job_check (job, error) || (self = dup_self_path (error)) == NULL ||
      (dir = g_dir_make_tmp ("sextant-scenarios-XXXXXX", error)) == NULL)
    return FALSE;
  job_path = g_build_filename (dir, "job.json", NULL);
  if (!sextant_cli_scenario_job_save (job, job_path, FALSE, error))
    {
      remove_work_dir (dir, 0);
      return FALSE;
    }
  for (guint i = 0; i < shards && ok; i++)
    {
      g_autofree char *name = g_strdup_printf ("shard-%u", i);
      g_autofree char *shard = g_strdup_printf ("%u/%u", i, shards);
      char *path = g_build_filename (dir, name, NULL);
      GSubprocess *child;

      g_ptr_array_add (files, path);
      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                error, self, "scenarios", "--job", job_path, "--shard", shard,
                                "--out", path, NULL);
      if (child == NULL)
        ok = FALSE;
      else
        g_ptr_array_add (children, child);
    }
  /* every child is waited for, even after one failed, so that none outlives the command */
  for (guint i = 0; i < children->len; i++)
    if (!wait_child (children->pdata[i], i, shards, ok ? error : NULL))
      ok = FALSE;
  g_ptr_array_add (files, NULL);
  if (ok)
    ok = sextant_cli_scenario_merge ((const char * const *) files->pdata, result, error);
  remove_work_dir (dir, shards);
  return ok;
}
