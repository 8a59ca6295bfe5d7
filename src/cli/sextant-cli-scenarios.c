#define G_LOG_DOMAIN "sextant-cli-scenarios"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sextant-core.h"
#include "sextant-cli-aws.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

#define COMMAND "scenarios"
#define DEMO_FILE "demo/sp500_2000-2020_ohlcv.csv"
#define MAX_SHARDS SEXTANT_SCENARIO_JOB_MAX_SHARDS
/* options not given, told apart from any value a user can give (the ordinary options' defaults
 * do not apply to --job) */
#define UNSET G_MININT
#define UNSET_SEED G_MININT64

typedef struct
{
  char    *model;
  char    *csv;
  char    *prices;
  char    *heston;
  char    *format;
  char    *job;
  char    *write_job;
  char    *shard;
  char    *out;
  char    *engine;
  char    *queue;
  char    *job_definition;
  char    *bucket;
  char    *prefix;
  char    *vcpu_hour_price;
  int      paths;
  int      steps;
  gint64   seed;
  int      shards;
  /* parsed */
  guint    shard_index;
  guint    shard_count;
  double   price;           /* per vCPU-hour, -1 for the Preferences' */
} Options;

static void
options_clear (Options *o)
{
  g_free (o->model);
  g_free (o->csv);
  g_free (o->prices);
  g_free (o->heston);
  g_free (o->format);
  g_free (o->job);
  g_free (o->write_job);
  g_free (o->shard);
  g_free (o->out);
  g_free (o->engine);
  g_free (o->queue);
  g_free (o->job_definition);
  g_free (o->bucket);
  g_free (o->prefix);
  g_free (o->vcpu_hour_price);
}

/* Per-period inputs estimated from the data: last prices, mean and covariance of log returns. */
typedef struct
{
  SextantPriceTable *table;
  gsize              n_dropped;
  guint              n_assets;
  double            *s0;
  double            *mean;   /* of log returns */
  double            *cov;    /* sample covariance of log returns */
} Inputs;

static void
inputs_clear (Inputs *in)
{
  g_clear_pointer (&in->table, sextant_price_table_unref);
  g_free (in->s0);
  g_free (in->mean);
  g_free (in->cov);
}

static SextantPriceTable *
load_table (Options  *o,
            char    **source,
            GError  **error)
{
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autofree char *path = NULL;
  g_autofree char *symbol = NULL;

  if (o->prices != NULL)
    {
      *source = g_strdup (o->prices);
      return sextant_csv_read_price_table (o->prices, error);
    }
  path = o->csv != NULL ? g_strdup (o->csv) : sextant_data_dirs_dup_bundled_file (DEMO_FILE);
  *source = g_strdup (path);
  symbol = g_path_get_basename (path);
  series = sextant_csv_read_price_series (path, symbol, error);
  if (series == NULL || !sextant_price_series_validate (series, error))
    return NULL;

  return sextant_align_series (&series, 1, error);
}

static gboolean
estimate_inputs (Options  *o,
                 Inputs   *in,
                 char    **source,
                 GError  **error)
{
  g_autoptr(SextantPriceTable) raw = load_table (o, source, error);
  g_autoptr(SextantPriceTable) ordered = NULL;
  g_autoptr(SextantReturnMatrix) returns = NULL;
  gsize n;

  /* aligning a table with itself checks that its dates increase, naming the first bad row */
  if (raw == NULL || (ordered = sextant_align_tables (&raw, 1, error)) == NULL)
    return FALSE;
  /* as the references do: a date with a missing price in any column is dropped, not filled */
  in->table = sextant_align_handle_gaps (ordered, SEXTANT_GAP_DROP, &in->n_dropped, error);
  if (in->table == NULL ||
      (returns = sextant_return_matrix_from_prices (in->table, SEXTANT_RETURN_LOG, error)) == NULL)
    return FALSE;

  in->n_assets = returns->n_assets;
  n = sextant_price_table_get_n_rows (in->table);
  in->s0 = g_new (double, in->n_assets);
  in->mean = g_new (double, in->n_assets);
  in->cov = g_new (double, (gsize) in->n_assets * in->n_assets);
  for (guint a = 0; a < in->n_assets; a++)
    in->s0[a] = sextant_price_table_get_column (in->table, a)[n - 1];

  return sextant_mean_vector (returns, in->mean, error) &&
         sextant_covariance_sample (returns, in->cov, error);
}

static gboolean
parse_heston (Options                *o,
              SextantScenarioJob  *job,
              GError                **error)
{
  g_auto(GStrv) parts = NULL;
  gboolean ok;

  job->kappa = 2.0;
  job->xi = 0.5;
  job->rho = -0.7;
  if (o->heston == NULL)
    return TRUE;
  parts = g_strsplit (o->heston, ",", -1);
  ok = g_strv_length (parts) == 3;
  for (guint i = 0; ok && i < 3; i++)
    {
      char *end = NULL;
      double v = g_ascii_strtod (parts[i], &end);

      ok = end != parts[i] && *end == '\0' && isfinite (v);
      *(i == 0 ? &job->kappa : i == 1 ? &job->xi : &job->rho) = v;
    }
  if (!ok)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--heston expects KAPPA,XI,RHO (numbers), not “%s”", o->heston);
  return ok;
}

/* The job the ordinary options describe: the inputs are estimated here, once, so that every
 * shard, on whatever machine, starts from the same numbers without the data file. */
static SextantScenarioJob *
job_from_options (Options  *o,
                  GError  **error)
{
  g_autoptr(SextantScenarioJob) job = g_new0 (SextantScenarioJob, 1);
  g_autofree char *source = NULL;
  Inputs in = { 0 };
  gboolean ok;

  job->model = g_strdup (o->model);
  job->paths = o->paths;
  job->steps = o->steps;
  job->seed = o->seed;
  ok = parse_heston (o, job, error) && estimate_inputs (o, &in, &source, error);
  if (ok)
    {
      job->source = g_steal_pointer (&source);
      job->n_dates = sextant_price_table_get_n_rows (in.table);
      job->n_dropped = in.n_dropped;
      job->n_assets = in.n_assets;
      job->symbols = g_new0 (char *, in.n_assets + 1);
      for (guint a = 0; a < in.n_assets; a++)
        job->symbols[a] = g_strdup (sextant_price_table_get_column_name (in.table, a));
      job->s0 = g_steal_pointer (&in.s0);
      job->mean = g_steal_pointer (&in.mean);
      job->cov = g_steal_pointer (&in.cov);
    }
  inputs_clear (&in);
  return ok ? g_steal_pointer (&job) : NULL;
}

static gboolean
parse_shard (Options  *o,
             GError  **error)
{
  g_auto(GStrv) parts = g_strsplit (o->shard, "/", -1);
  const char *array_index = g_getenv ("AWS_BATCH_JOB_ARRAY_INDEX");
  guint64 index = 0, count = 0;

  /* array/N: an AWS Batch array child, whose index Batch gives it in AWS_BATCH_JOB_ARRAY_INDEX
   * (a job of one shard is a plain job, without the variable) */
  if (g_strv_length (parts) == 2 && g_str_equal (parts[0], "array"))
    {
      g_free (parts[0]);
      parts[0] = g_strdup (array_index != NULL ? array_index : "0");
      if (array_index == NULL && g_strcmp0 (parts[1], "1") != 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--shard array/%s runs inside an AWS Batch array job, which sets "
                       "AWS_BATCH_JOB_ARRAY_INDEX; it is not set", parts[1]);
          return FALSE;
        }
    }
  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, MAX_SHARDS, &index, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, MAX_SHARDS, &count, NULL) || index >= count)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--shard expects I/N, shard I of N counted from 0 (0/4 … 3/4, N at most %d), "
                   "not “%s”", MAX_SHARDS, o->shard);
      return FALSE;
    }
  o->shard_index = index;
  o->shard_count = count;
  return TRUE;
}

static gboolean
usage (GError     **error,
       const char  *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

static gboolean
check_options (Options  *o,
               GError  **error)
{
  gboolean ordinary = o->model != NULL || o->paths != UNSET || o->steps != UNSET ||
                      o->seed != UNSET_SEED ||
                      o->csv != NULL || o->prices != NULL || o->heston != NULL;

  if (o->job != NULL && ordinary)
    return usage (error, "--job holds the model, size, seed and inputs: give either --job or "
                         "--model, --paths, --steps, --seed, --csv, --prices and --heston");
  if (o->job != NULL && o->write_job != NULL)
    return usage (error, "--write-job writes the job the other options describe; it does not "
                         "go with --job");
  if ((o->shard != NULL) != (o->out != NULL))
    return usage (error, "--shard I/N and --out FILE go together: a shard is written to a file");
  if (o->shard != NULL && (o->write_job != NULL || o->engine != NULL))
    return usage (error, "--shard runs one shard here; it does not go with --write-job or --engine");
  if (o->write_job != NULL && o->engine != NULL)
    return usage (error, "--write-job only writes the job; it does not go with --engine");
  if (o->engine != NULL && g_strcmp0 (o->engine, "local") != 0 &&
      g_strcmp0 (o->engine, "processes") != 0 && g_strcmp0 (o->engine, "batch") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--engine must be local, processes or batch, not “%s”", o->engine);
      return FALSE;
    }
  if (o->shards != UNSET && g_strcmp0 (o->engine, "processes") != 0 &&
      g_strcmp0 (o->engine, "batch") != 0)
    return usage (error, "--shards N goes with --engine processes or batch");
  if (g_strcmp0 (o->engine, "batch") == 0 &&
      (o->queue == NULL || o->job_definition == NULL || o->bucket == NULL))
    return usage (error, "--engine batch needs --queue Q, --job-definition D and --bucket B");
  if (g_strcmp0 (o->engine, "batch") != 0 &&
      (o->queue != NULL || o->job_definition != NULL || o->bucket != NULL || o->prefix != NULL))
    return usage (error, "--queue, --job-definition, --bucket and --prefix go with --engine batch");
  o->price = -1;
  if (o->vcpu_hour_price != NULL)
    {
      char *end = NULL;

      if (g_strcmp0 (o->engine, "batch") != 0)
        return usage (error, "--vcpu-hour-price goes with --engine batch");
      o->price = g_ascii_strtod (o->vcpu_hour_price, &end);
      if (end == o->vcpu_hour_price || *end != '\0' || !isfinite (o->price) || o->price < 0 || o->price > 1000)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--vcpu-hour-price must be US dollars from 0 to 1000, such as 0.04, not “%s”",
                       o->vcpu_hour_price);
          return FALSE;
        }
    }
  if (o->bucket != NULL && !g_regex_match_simple ("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
                                                  o->bucket, 0, 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--bucket must be an S3 bucket name (3 to 63 lower-case letters, digits, "
                   "dots and hyphens), not “%s”", o->bucket);
      return FALSE;
    }
  if (o->shards != UNSET && (o->shards < 1 || o->shards > MAX_SHARDS))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--shards must be 1 to %d, not %d", MAX_SHARDS, o->shards);
      return FALSE;
    }
  if (o->shard != NULL && !parse_shard (o, error))
    return FALSE;
  if (o->job != NULL)
    return TRUE;

  if (o->model == NULL)
    o->model = g_strdup ("gbm");
  if (o->paths == UNSET)
    o->paths = 10000;
  if (o->steps == UNSET)
    o->steps = 252;
  if (o->seed == UNSET_SEED)
    o->seed = 1;
  if (g_strcmp0 (o->model, "gbm") != 0 && g_strcmp0 (o->model, "heston") != 0)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--model must be gbm or heston, not “%s”", o->model);
  else if (o->paths <= 0 || o->steps <= 0)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--paths and --steps must be positive (got %d and %d)", o->paths, o->steps);
  else if (o->csv != NULL && o->prices != NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "give either --csv or --prices, not both");
  else if (o->heston != NULL && g_strcmp0 (o->model, "heston") != 0)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--heston goes with --model heston");
  else if (o->seed < 0)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--seed must not be negative");
  else
    return TRUE;

  return FALSE;
}

/* --job s3://BUCKET/KEY: the job file a Batch child fetches */
static SextantScenarioJob *
load_job (const char  *path,
          GError     **error)
{
  g_autofree char *region = NULL;
  g_autoptr(SextantAwsCredentials) credentials = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_str_has_prefix (path, "s3://"))
    return sextant_scenario_job_load (path, error);
  if (!sextant_cli_aws_resolve (&region, &credentials, error) ||
      (bytes = sextant_s3_get_sync (region, credentials, path, error)) == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a scenario job: %s", path,
                   local_error->message);
      return NULL;
    }
  return sextant_scenario_job_from_json (json_parser_get_root (parser), path, error);
}

/* --out s3://BUCKET/PREFIX/: a Batch child puts its shard beside the job, as shard-I */
static gboolean
write_shard (Options             *o,
             SextantScenarioRun  *result,
             GError             **error)
{
  g_autofree char *region = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SextantAwsCredentials) credentials = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (!g_str_has_prefix (o->out, "s3://"))
    return sextant_scenario_run_write_shard (result, o->shard_index, o->shard_count, o->out,
                                             error);
  if (!g_str_has_suffix (o->out, "/"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--out s3://BUCKET/PREFIX/ names a folder (ending in /) for shard-%u, not “%s”",
                   o->shard_index, o->out);
      return FALSE;
    }
  url = g_strdup_printf ("%sshard-%u", o->out, o->shard_index);
  bytes = sextant_scenario_run_shard_bytes (result, o->shard_index, o->shard_count);
  return sextant_cli_aws_resolve (&region, &credentials, error) &&
         sextant_s3_put_sync (region, credentials, url, bytes, error);
}

typedef struct
{
  SextantStore       *store;
  SextantComputeJob   row;
  char               *job_json;
  guint               last_succeeded;
  guint               last_failed;
  char               *last_status;
} BatchFollow;

static void
batch_submitted_cb (const char *batch_job_id,
                    const char *job_url,
                    gpointer    user_data)
{
  BatchFollow *follow = user_data;
  g_autoptr(GError) error = NULL;

  follow->row.engine_job_id = g_strdup (batch_job_id);
  follow->row.job_url = g_strdup (job_url);
  follow->row.submitted_at = g_get_real_time () / G_USEC_PER_SEC;
  follow->row.id = sextant_compute_job_store_add (follow->store, &follow->row, follow->job_json,
                                                  &error);
  if (follow->row.id == 0)
    fprintf (stderr, "sextant-cli scenarios: the job is not recorded (%s); follow it in the AWS "
             "console\n", error->message);
  fprintf (stderr, "Submitted AWS Batch job %s (%u shards, job %s); sextant-cli jobs show %s\n",
           batch_job_id, follow->row.shards, job_url, batch_job_id);
}

static void
batch_progress_cb (const SextantBatchJobState *state,
                   gpointer                    user_data)
{
  BatchFollow *follow = user_data;

  if (follow->row.id != 0)
    sextant_compute_job_store_update (follow->store, follow->row.id, state, NULL);
  if (g_strcmp0 (follow->last_status, state->status) == 0 &&
      follow->last_succeeded == state->n_succeeded && follow->last_failed == state->n_failed)
    return;
  g_free (follow->last_status);
  follow->last_status = g_strdup (state->status);
  follow->last_succeeded = state->n_succeeded;
  follow->last_failed = state->n_failed;
  if (state->array_size >= 2)
    fprintf (stderr, "%s: %u of %u shards succeeded, %u running, %u failed\n", state->status,
             state->n_succeeded, state->array_size, state->n_running, state->n_failed);
  else
    fprintf (stderr, "%s\n", state->status);
}

/* The price per vCPU-hour set in the app's Preferences, 0 without its schema installed. */
static double
preferences_price (void)
{
  g_autoptr(GSettings) settings = sextant_cli_dup_app_settings ();

  return settings != NULL && sextant_cli_settings_has_key (settings, "batch-vcpu-hour-price")
         ? g_settings_get_double (settings, "batch-vcpu-hour-price") : 0;
}

/* What the job cost, from Batch's own account of its children's attempts, on stderr: stdout is
 * the in-process run's output, byte for byte. */
static void
print_cost (Options                     *o,
            const char                  *region,
            const SextantAwsCredentials *credentials,
            const char                  *batch_job_id,
            guint                        shards)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  double vcpu_seconds = NAN;

  if (!sextant_batch_engine_usage (region, credentials, batch_job_id, shards, &vcpu_seconds, &error))
    {
      fprintf (stderr, "The cost is unknown: %s\n", error->message);
      return;
    }
  text = sextant_batch_engine_describe_cost (vcpu_seconds, o->price >= 0 ? o->price : preferences_price ());
  fprintf (stderr, "%s\n", text);
}

static gboolean
run_batch (Options             *o,
           SextantScenarioJob  *job,
           SextantScenarioRun  *result,
           GError             **error)
{
  g_autofree char *region = NULL;
  g_autoptr(SextantAwsCredentials) credentials = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantScenarioJob) owned = job;
  const char *poll = g_getenv ("SEXTANT_BATCH_POLL_MS");
  SextantBatchSettings settings = { 0 };
  BatchFollow follow = { 0 };
  gboolean ok;

  if (!sextant_scenario_job_check (job, error) ||
      !sextant_cli_aws_resolve (&region, &credentials, error) ||
      (store = sextant_schema_open_default (error)) == NULL)
    return FALSE;
  settings.region = region;
  settings.queue = o->queue;
  settings.definition = o->job_definition;
  settings.bucket = o->bucket;
  settings.prefix = o->prefix != NULL ? o->prefix : "sextant-jobs";
  settings.shards = o->shards == UNSET ? 2 : o->shards;
  settings.poll_interval_ms = poll != NULL ? CLAMP (atoi (poll), 10, 600000) : 10000;
  follow.store = store;
  follow.row.engine = (char *) "batch";
  follow.row.region = region;
  follow.row.queue = o->queue;
  follow.row.job_definition = o->job_definition;
  follow.row.shards = settings.shards;
  follow.row.job_sha256 = sextant_scenario_job_dup_digest (job);
  follow.row.status = (char *) "SUBMITTED";
  follow.job_json = sextant_scenario_job_to_data (job);
  ok = sextant_batch_engine_run (g_steal_pointer (&owned), &settings, credentials,
                                 batch_submitted_cb, batch_progress_cb, &follow, NULL, result,
                                 error);
  if (ok && follow.row.id != 0)
    {
      g_autoptr(JsonNode) report = sextant_scenario_run_to_json (result);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (generator, report);
      text = json_generator_to_data (generator, NULL);
      sextant_compute_job_store_set_result (store, follow.row.id, text, NULL);
    }
  if (ok && follow.row.engine_job_id != NULL)
    print_cost (o, region, credentials, follow.row.engine_job_id, settings.shards);
  g_free (follow.row.engine_job_id);
  g_free (follow.row.job_url);
  g_free (follow.row.job_sha256);
  g_free (follow.job_json);
  g_free (follow.last_status);
  return ok;
}

static gboolean
run_command (Options           *o,
             SextantCliFormat   format,
             GError           **error)
{
  g_auto(SextantScenarioRun) result = { 0 };
  SextantScenarioJob *job;

  job = o->job != NULL ? load_job (o->job, error) : job_from_options (o, error);
  if (job == NULL)
    return FALSE;
  if (o->write_job != NULL)
    {
      g_autoptr(SextantScenarioJob) owned = job;
      g_autofree char *digest = sextant_scenario_job_dup_digest (job);

      if (!sextant_scenario_job_check (job, error) ||
          !sextant_scenario_job_save (job, o->write_job, FALSE, error))
        return FALSE;
      printf ("Wrote scenario job %s (%s, %u paths × %u steps, seed %" G_GINT64_FORMAT
              ", job sha256 %s)\n", o->write_job, job->model, job->paths, job->steps, job->seed,
              digest);
      return TRUE;
    }
  if (o->shard != NULL)
    return sextant_scenario_job_run (job, o->shard_index, o->shard_count, &result, error) &&
           write_shard (o, &result, error);
  if (g_strcmp0 (o->engine, "processes") == 0)
    {
      g_autofree char *self = sextant_cli_dup_self_path (error);

      if (self == NULL)
        {
          sextant_scenario_job_free (job);
          return FALSE;
        }
      if (!sextant_scenario_job_run_processes (job, self, o->shards == UNSET ? 2 : o->shards,
                                               &result, error))
        return FALSE;
    }
  else if (g_strcmp0 (o->engine, "batch") == 0)
    {
      if (!run_batch (o, job, &result, error))
        return FALSE;
    }
  else if (!sextant_scenario_job_run (job, 0, 1, &result, error))
    return FALSE;
  sextant_cli_print_scenario_run (&result, format == SEXTANT_CLI_FORMAT_JSON);
  return TRUE;
}

int
sextant_cli_scenarios_main (int    argc,
                            char **argv)
{
  Options o = { .paths = UNSET, .steps = UNSET, .seed = UNSET_SEED, .shards = UNSET };
  const GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_STRING, &o.model, "gbm (default) or heston", "MODEL" },
    { "paths", 0, 0, G_OPTION_ARG_INT, &o.paths, "Paths (default 10000)", "N" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &o.steps, "Steps of one period each (default 252)", "T" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, "Seed (default 1)", "S" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &o.csv, "One instrument's daily bars (default: the bundled S&P 500 demo)", "FILE" },
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &o.prices, "Closes of several instruments: date,SYM1,SYM2,… (correlated GBM)", "FILE" },
    { "heston", 0, 0, G_OPTION_ARG_STRING, &o.heston, "Heston κ, ξ per year and ρ (default 2,0.5,-0.7)", "K,XI,RHO" },
    { "job", 0, 0, G_OPTION_ARG_FILENAME, &o.job, "Run the job in FILE (written by --write-job) instead of the options above", "FILE" },
    { "write-job", 0, 0, G_OPTION_ARG_FILENAME, &o.write_job, "Write the job the options describe (model, parameters, seed, size, estimated inputs) to a new FILE and stop", "FILE" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &o.shard, "Run only shard I of N (from 0) and write it to --out; merge the N files with sextant-cli merge", "I/N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &o.out, "The shard file --shard writes", "FILE" },
    { "engine", 0, 0, G_OPTION_ARG_STRING, &o.engine, "local (default: threads in this process), processes (sextant-cli shards on this computer) or batch (an AWS Batch array job)", "ENGINE" },
    { "shards", 0, 0, G_OPTION_ARG_INT, &o.shards, "Shards for --engine processes or batch (default 2)", "N" },
    { "queue", 0, 0, G_OPTION_ARG_STRING, &o.queue, "The AWS Batch job queue (--engine batch)", "Q" },
    { "job-definition", 0, 0, G_OPTION_ARG_STRING, &o.job_definition, "The AWS Batch job definition of the sextant-cli image (--engine batch)", "D" },
    { "bucket", 0, 0, G_OPTION_ARG_STRING, &o.bucket, "The S3 bucket the job and its shards go through (--engine batch)", "B" },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &o.prefix, "The key prefix in the bucket (default sextant-jobs)", "P" },
    { "vcpu-hour-price", 0, 0, G_OPTION_ARG_STRING, &o.vcpu_hour_price, "Your price per vCPU-hour in US dollars, for the cost printed after a Batch run (default: the app's Preferences)", "USD" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, "text (default) or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— simulate price paths from the data's drift and volatility");
  g_autoptr(GError) error = NULL;
  SextantCliFormat format;
  int exit_code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, COMMAND, &exit_code))
    goto out;
  if (!check_options (&o, &error) ||
      !sextant_cli_parse_format (o.format,
                                 (1u << SEXTANT_CLI_FORMAT_TEXT) | (1u << SEXTANT_CLI_FORMAT_JSON),
                                 &format, &error) ||
      !run_command (&o, format, &error))
    exit_code = sextant_cli_fail (-1, COMMAND, error);

out:
  options_clear (&o);
  return exit_code;
}
