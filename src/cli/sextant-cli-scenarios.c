#define G_LOG_DOMAIN "sextant-cli-scenarios"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "sextant-core.h"
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
  int      paths;
  int      steps;
  gint64   seed;
  int      shards;
  /* parsed */
  guint    shard_index;
  guint    shard_count;
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
  guint64 index = 0, count = 0;

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
      g_strcmp0 (o->engine, "processes") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--engine must be local or processes, not “%s”", o->engine);
      return FALSE;
    }
  if (o->shards != UNSET && g_strcmp0 (o->engine, "processes") != 0)
    return usage (error, "--shards N goes with --engine processes");
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

static gboolean
run_command (Options           *o,
             SextantCliFormat   format,
             GError           **error)
{
  g_auto(SextantScenarioRun) result = { 0 };
  SextantScenarioJob *job;

  job = o->job != NULL ? sextant_scenario_job_load (o->job, error)
                       : job_from_options (o, error);
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
           sextant_scenario_run_write_shard (&result, o->shard_index, o->shard_count, o->out,
                                             error);
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
    { "engine", 0, 0, G_OPTION_ARG_STRING, &o.engine, "local (default: threads in this process) or processes (sextant-cli shards on this computer)", "ENGINE" },
    { "shards", 0, 0, G_OPTION_ARG_INT, &o.shards, "Processes for --engine processes (default 2)", "N" },
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
