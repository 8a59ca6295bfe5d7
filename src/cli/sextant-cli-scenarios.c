#define G_LOG_DOMAIN "sextant-cli-scenarios"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

#define COMMAND "scenarios"
#define DEMO_FILE "demo/sp500_2000-2020_ohlcv.csv"
#define MAX_VALUES 50000000.0

static const double percentiles[] = { 0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99 };
static const char *percentile_names[] = { "p01", "p05", "p25", "p50", "p75", "p95", "p99" };

typedef struct
{
  char    *model;
  char    *csv;
  char    *prices;
  char    *heston;
  char    *format;
  int      paths;
  int      steps;
  gint64   seed;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->model);
  g_free (o->csv);
  g_free (o->prices);
  g_free (o->heston);
  g_free (o->format);
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

static SextantScenarioResult *
simulate_gbm (Options  *o,
              Inputs   *in,
              GError  **error)
{
  g_autofree double *mu = g_new (double, in->n_assets);
  SextantGbmSpec spec = { in->n_assets, in->s0, mu, in->cov, 1.0, o->steps, o->paths, o->seed, 0 };

  /* arithmetic drift μ = m + σ²/2 reproduces the data's mean log return m */
  for (guint a = 0; a < in->n_assets; a++)
    mu[a] = in->mean[a] + 0.5 * in->cov[a * in->n_assets + a];

  return sextant_scenarios_gbm (&spec, SEXTANT_SCENARIO_KEEP_TERMINAL, NULL, NULL, NULL, error);
}

/* κ and ξ are given per year (252 periods) and converted to per-period units; v0 = θ = the data's
 * variance of log returns, r = its mean log return + v/2. */
static gboolean
heston_spec (Options            *o,
             Inputs             *in,
             SextantHestonSpec  *spec,
             GError            **error)
{
  double kappa = 2.0, xi = 0.5, rho = -0.7;

  if (in->n_assets != 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--model heston simulates one asset, but the prices have %u columns",
                   in->n_assets);
      return FALSE;
    }
  if (o->heston != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (o->heston, ",", -1);
      char *end = NULL;
      gboolean ok = g_strv_length (parts) == 3;

      for (guint i = 0; ok && i < 3; i++)
        {
          double v = g_ascii_strtod (parts[i], &end);

          ok = end != parts[i] && *end == '\0' && isfinite (v);
          *(i == 0 ? &kappa : i == 1 ? &xi : &rho) = v;
        }
      if (!ok)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--heston expects KAPPA,XI,RHO (numbers), not “%s”", o->heston);
          return FALSE;
        }
    }

  *spec = (SextantHestonSpec) { in->s0[0], in->cov[0], in->mean[0] + 0.5 * in->cov[0],
                                kappa / 252, in->cov[0], xi / 252, rho, 1.0, o->steps, o->paths,
                                o->seed, 0 };
  return TRUE;
}

static void
terminal_stats (const SextantScenarioResult *r,
                guint                        asset,
                double                       s0,
                double                      *column,
                double                      *stats)
{
  gsize below = 0;

  for (guint p = 0; p < r->n_paths; p++)
    {
      column[p] = r->terminal[(gsize) p * r->n_assets + asset];
      below += column[p] < s0;
    }
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
print_text (Options                     *o,
            Inputs                      *in,
            const char                  *source,
            const SextantScenarioResult *r)
{
  g_autofree double *column = g_new (double, r->n_paths);
  double stats[5 + G_N_ELEMENTS (percentiles)];

  printf ("%s scenarios: %u paths × %u steps, seed %" G_GINT64_FORMAT ", from %s "
          "(%" G_GSIZE_FORMAT " dates, %" G_GSIZE_FORMAT " dropped for gaps)\n",
          o->model, r->n_paths, r->n_steps, o->seed, source,
          sextant_price_table_get_n_rows (in->table), in->n_dropped);
  if (r->n_truncated > 0)
    printf ("Heston full-truncation Euler: %" G_GUINT64_FORMAT " steps had a negative variance "
            "truncated to 0\n", r->n_truncated);
  printf ("%-20s %10s %10s %10s %10s %10s %8s", "asset", "start", "mean", "sd", "min", "max",
          "P(loss)");
  for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
    printf (" %10s", percentile_names[i]);
  printf ("\n");
  for (guint a = 0; a < r->n_assets; a++)
    {
      terminal_stats (r, a, in->s0[a], column, stats);
      printf ("%-20.20s %10.6g %10.6g %10.6g %10.6g %10.6g %8.4f",
              sextant_price_table_get_column_name (in->table, a), in->s0[a], stats[0], stats[1],
              stats[2], stats[3], stats[4]);
      for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
        printf (" %10.6g", stats[5 + i]);
      printf ("\n");
    }
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
build_asset (JsonBuilder                 *b,
             Inputs                      *in,
             const SextantScenarioResult *r,
             guint                        a,
             double                      *column)
{
  double stats[5 + G_N_ELEMENTS (percentiles)];

  terminal_stats (r, a, in->s0[a], column, stats);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "symbol");
  json_builder_add_string_value (b, sextant_price_table_get_column_name (in->table, a));
  add_double (b, "start_price", in->s0[a]);
  add_double (b, "mean_log_return_per_period", in->mean[a]);
  add_double (b, "volatility_per_period", sqrt (in->cov[a * in->n_assets + a]));
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
print_json (Options                     *o,
            Inputs                      *in,
            const char                  *source,
            const SextantScenarioResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree double *column = g_new (double, r->n_paths);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, o->model);
  json_builder_set_member_name (b, "paths");
  json_builder_add_int_value (b, r->n_paths);
  json_builder_set_member_name (b, "steps");
  json_builder_add_int_value (b, r->n_steps);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, o->seed);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, source);
  json_builder_set_member_name (b, "dates_dropped_for_gaps");
  json_builder_add_int_value (b, in->n_dropped);
  json_builder_set_member_name (b, "variance_truncations");
  json_builder_add_int_value (b, r->n_truncated);
  json_builder_set_member_name (b, "assets");
  json_builder_begin_array (b);
  for (guint a = 0; a < r->n_assets; a++)
    build_asset (b, in, r, a, column);
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  sextant_cli_print_json (root);
}

static gboolean
check_options (Options  *o,
               GError  **error)
{
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

static SextantScenarioResult *
simulate (Options  *o,
          Inputs   *in,
          GError  **error)
{
  SextantHestonSpec heston;

  if ((double) o->paths * in->n_assets > MAX_VALUES)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%d paths × %u assets is more terminal prices than this command keeps "
                   "(%.0f)", o->paths, in->n_assets, MAX_VALUES);
      return NULL;
    }
  if (g_strcmp0 (o->model, "gbm") == 0)
    return simulate_gbm (o, in, error);
  if (!heston_spec (o, in, &heston, error))
    return NULL;

  return sextant_scenarios_heston (&heston, SEXTANT_SCENARIO_KEEP_TERMINAL, NULL, NULL, NULL,
                                   error);
}

int
sextant_cli_scenarios_main (int    argc,
                            char **argv)
{
  Options o = { .paths = 10000, .steps = 252, .seed = 1 };
  const GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_STRING, &o.model, "gbm (default) or heston", "MODEL" },
    { "paths", 0, 0, G_OPTION_ARG_INT, &o.paths, "Paths (default 10000)", "N" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &o.steps, "Steps of one period each (default 252)", "T" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, "Seed (default 1)", "S" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &o.csv, "One instrument's daily bars (default: the bundled S&P 500 demo)", "FILE" },
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &o.prices, "Closes of several instruments: date,SYM1,SYM2,… (correlated GBM)", "FILE" },
    { "heston", 0, 0, G_OPTION_ARG_STRING, &o.heston, "Heston κ, ξ per year and ρ (default 2,0.5,-0.7)", "K,XI,RHO" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, "text (default) or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— simulate price paths from the data's drift and volatility");
  g_autoptr(SextantScenarioResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  Inputs in = { 0 };
  SextantCliFormat format;
  int exit_code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, COMMAND, &exit_code))
    goto out;
  if (o.model == NULL)
    o.model = g_strdup ("gbm");
  if (!check_options (&o, &error) ||
      !sextant_cli_parse_format (o.format,
                                 (1u << SEXTANT_CLI_FORMAT_TEXT) | (1u << SEXTANT_CLI_FORMAT_JSON),
                                 &format, &error) ||
      !estimate_inputs (&o, &in, &source, &error) ||
      (result = simulate (&o, &in, &error)) == NULL)
    {
      exit_code = sextant_cli_fail (-1, COMMAND, error);
      goto out;
    }

  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (&o, &in, source, result);
  else
    print_text (&o, &in, source, result);

out:
  inputs_clear (&in);
  options_clear (&o);
  return exit_code;
}
