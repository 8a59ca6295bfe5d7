#define G_LOG_DOMAIN "sextant-cli-forecast"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

#define COMMAND "forecast"

static const char *
skill_verdict (const SextantForecast *f)
{
  if (isnan (f->skill_ratio))
    return "undefined (the naive forecast was exact)";
  return f->skill_ratio < 1.0 ? "beat the naive forecast"
                              : "NO SKILL: the naive random walk did as well or better";
}

static void
print_text (const char            *symbol,
            SextantPriceSeries    *series,
            const SextantForecast *f)
{
  gsize n = sextant_price_series_get_length (series);
  g_autofree char *last = sextant_day_format_iso (sextant_price_series_get_days (series)[n - 1]);

  printf ("%s: %s forecast, %u periods ahead of %s (last close %.6g)\n", symbol,
          f->method == SEXTANT_FORECAST_GBM ? "GBM price cone" : "damped-trend", f->horizon, last,
          sextant_price_series_get_close (series)[n - 1]);
  if (f->method == SEXTANT_FORECAST_GBM)
    printf ("Model: GBM, mean log return %.6g and volatility %.6g per period, %u paths; point = "
            "median path; intervals = percentiles of the paths\n", f->drift, f->sigma,
            f->n_paths);
  else
    printf ("Model: ETS(A,Ad,N) on log prices, alpha %.4f, beta %.4f, phi %.4f, sigma %.6g; "
            "point = median\nIntervals: exp (ŷ_h ± z σ √v_h), v_h = 1 + Σ_{j<h} (α + β (φ + … + "
            "φ^j))² (Hyndman et al. 2008, ETS(A,Ad,N))\n", f->alpha, f->beta, f->phi, f->sigma);
  printf ("%5s %14s %14s %14s %14s %14s\n", "step", "point", "80% low", "80% high", "95% low",
          "95% high");
  for (guint j = 0; j < f->horizon; j++)
    printf ("%5u %14.6g %14.6g %14.6g %14.6g %14.6g\n", j + 1, f->point[j], f->lower80[j],
            f->upper80[j], f->lower95[j], f->upper95[j]);
  printf ("Hold-out (last %u prices, fitted on the rest): RMSE %.6g, MAE %.6g; naive random walk: "
          "RMSE %.6g, MAE %.6g\n", f->holdout, f->rmse, f->mae, f->naive_rmse, f->naive_mae);
  printf ("Skill ratio (RMSE / naive RMSE): %.4f — %s\n", f->skill_ratio, skill_verdict (f));
}

static void
build_parameters (JsonBuilder           *b,
                  const SextantForecast *f)
{
  json_builder_set_member_name (b, "parameters");
  json_builder_begin_object (b);
  if (f->method == SEXTANT_FORECAST_GBM)
    {
      sextant_json_add_double (b, "drift_per_period", f->drift);
      sextant_json_add_double (b, "volatility_per_period", f->sigma);
      json_builder_set_member_name (b, "paths");
      json_builder_add_int_value (b, f->n_paths);
    }
  else
    {
      sextant_json_add_double (b, "alpha", f->alpha);
      sextant_json_add_double (b, "beta", f->beta);
      sextant_json_add_double (b, "phi", f->phi);
      sextant_json_add_double (b, "sigma", f->sigma);
    }
  json_builder_end_object (b);
}

static void
print_json (const char            *symbol,
            SextantPriceSeries    *series,
            const SextantForecast *f)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize n = sextant_price_series_get_length (series);
  g_autofree char *last = sextant_day_format_iso (sextant_price_series_get_days (series)[n - 1]);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "symbol");
  json_builder_add_string_value (b, symbol);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, f->method == SEXTANT_FORECAST_GBM ? "gbm" : "damped-trend");
  json_builder_set_member_name (b, "horizon");
  json_builder_add_int_value (b, f->horizon);
  json_builder_set_member_name (b, "last_date");
  json_builder_add_string_value (b, last);
  sextant_json_add_double (b, "last_price", sextant_price_series_get_close (series)[n - 1]);
  build_parameters (b, f);
  json_builder_set_member_name (b, "forecast");
  json_builder_begin_array (b);
  for (guint j = 0; j < f->horizon; j++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "step");
      json_builder_add_int_value (b, j + 1);
      sextant_json_add_double (b, "point", f->point[j]);
      sextant_json_add_double (b, "lower_80", f->lower80[j]);
      sextant_json_add_double (b, "upper_80", f->upper80[j]);
      sextant_json_add_double (b, "lower_95", f->lower95[j]);
      sextant_json_add_double (b, "upper_95", f->upper95[j]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "holdout");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "points");
  json_builder_add_int_value (b, f->holdout);
  sextant_json_add_double (b, "rmse", f->rmse);
  sextant_json_add_double (b, "mae", f->mae);
  sextant_json_add_double (b, "naive_rmse", f->naive_rmse);
  sextant_json_add_double (b, "naive_mae", f->naive_mae);
  sextant_json_add_double (b, "skill_ratio", f->skill_ratio);
  json_builder_set_member_name (b, "has_skill");
  json_builder_add_boolean_value (b, f->skill_ratio < 1.0);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  sextant_cli_print_json (root);
}

static SextantForecast *
run_forecast (SextantPriceSeries  *series,
              const char          *method,
              int                  horizon,
              int                  paths,
              gint64               seed,
              GError             **error)
{
  const double *close = sextant_price_series_get_close (series);
  gsize n = sextant_price_series_get_length (series);

  if (horizon <= 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--horizon must be a positive number of periods, not %d", horizon);
      return NULL;
    }
  /* checked whatever the method, so that a typing error is never silently ignored */
  if (paths <= 0 || paths > 10000000)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--paths must be between 1 and 10000000, not %d", paths);
      return NULL;
    }
  if (g_strcmp0 (method, "damped-trend") == 0)
    return sextant_forecast_damped_trend (close, n, horizon, error);
  if (g_strcmp0 (method, "gbm") == 0)
    {
      if (paths <= 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--paths must be positive, not %d", paths);
          return NULL;
        }
      return sextant_forecast_gbm (close, n, horizon, paths, (guint64) seed, NULL, error);
    }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--method must be damped-trend or gbm, not “%s”", method);
  return NULL;
}

int
sextant_cli_forecast_main (int    argc,
                           char **argv)
{
  g_autofree char *csv = NULL;
  g_autofree char *method = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *symbol = NULL;
  int horizon = 0, paths = 10000;
  gint64 seed = 1;
  const GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Daily bars (date and close at least)", "FILE" },
    { "horizon", 0, 0, G_OPTION_ARG_INT, &horizon, "Periods ahead", "H" },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method, "damped-trend (default) or gbm", "METHOD" },
    { "paths", 0, 0, G_OPTION_ARG_INT, &paths, "GBM paths (default 10000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "GBM seed (default 1)", "S" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "text (default) or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— forecast prices with intervals and hold-out skill");
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autoptr(SextantForecast) forecast = NULL;
  g_autoptr(GError) error = NULL;
  SextantCliFormat format;
  int exit_code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, COMMAND, &exit_code))
    return exit_code;
  if (csv == NULL || horizon == 0)
    return sextant_cli_usage_error (context, COMMAND, "--csv FILE and --horizon H are required");

  symbol = g_path_get_basename (csv);
  if (!sextant_cli_parse_format (format_text,
                                 (1u << SEXTANT_CLI_FORMAT_TEXT) | (1u << SEXTANT_CLI_FORMAT_JSON),
                                 &format, &error) ||
      (series = sextant_csv_read_price_series (csv, symbol, &error)) == NULL ||
      !sextant_price_series_validate (series, &error) ||
      (forecast = run_forecast (series, method != NULL ? method : "damped-trend", horizon, paths,
                                seed, &error)) == NULL)
    return sextant_cli_fail (-1, COMMAND, error);

  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (symbol, series, forecast);
  else
    print_text (symbol, series, forecast);

  return SEXTANT_CLI_EXIT_OK;
}
