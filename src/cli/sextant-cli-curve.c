#define G_LOG_DOMAIN "sextant-cli-curve"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"
#include "sextant-cli-curve.h"

#define CURVE_CONVENTIONS \
  "--source treasury fetches the US Treasury's daily par yield curve for the year of --date\n" \
  "(default: this year) unless the cache holds that day, keeps it in the local cache (source and\n" \
  "as-of), and answers from the cache when the Treasury cannot be reached (said on stderr:\n" \
  "\"as of DATE, cached (fetched …)\" and why).\n" \
  "--source FILE reads a CSV in the Treasury's daily par-yield format. The curve is the one of\n" \
  "--date, or of the last day before it that has one (default: the newest).\n" \
  "Bootstrap: tenors under 6 months are bills, 1/(1 + y τ) with τ act/365f; from 6 months out a\n" \
  "par yield is the coupon of a semi-annual act/act-icma bond issued on the curve's day priced at\n" \
  "par; discount factors are interpolated log-linearly. Output, rates in percent: tenors in years\n" \
  "(months / 12), the par yields, continuously compounded act/365f zero rates to each tenor's\n" \
  "maturity, and forward rates from the previous tenor's maturity to this one's. --fit fits\n" \
  "Nelson-Siegel or Svensson zero rates by least squares (decay times in 0.1–30 years); rmse in\n" \
  "percent.\n" \
  "--source ecb gives the ECB's euro-area AAA government curve (Svensson model): its spot rates\n" \
  "(continuously compounded, as published) as zero rates, its par yields (null where the day has\n" \
  "none), forwards between tenors from the spot rates, tenors in nominal years; fetched for the\n" \
  "two weeks up to --date unless the cache holds that day (when those weeks have none, the\n" \
  "newest cached day before them). Source: ECB statistics.\n" \
  "  SEXTANT_TREASURY_BASE_URL  where Treasury requests go (tests); http:// only to this\n" \
  "                             computer unless SEXTANT_ALLOW_INSECURE_ENDPOINT=1\n" \
  "  SEXTANT_ECB_BASE_URL       where ECB requests go, under the same rule\n" \
  "  SEXTANT_DATABASE           the database file\n" \
  "Exit status: 0 success, 2 bad usage, 3 bad or missing data, 6 the source has nothing for\n" \
  "those days (HTTP 404), 7 network with nothing cached.\n"

static gint32
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return sextant_day_from_ymd (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now));
}

static SextantParCurve *
copy_curve (const SextantParCurve *curve)
{
  SextantParCurve *copy = sextant_par_curve_new (curve->day, curve->source);

  for (gsize i = 0; i < curve->n; i++)
    sextant_par_curve_add (copy, curve->months[i], curve->yield[i]);
  copy->fetched_at = curve->fetched_at;
  return copy;
}

static SextantParCurve *
no_curve (gint32   day,
          GError **error)
{
  g_autofree char *date = day > 0 ? sextant_day_format_iso (day) : NULL;

  g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
               "no par yield curve on or before %s", date != NULL ? date : "today");
  return NULL;
}

static SextantParCurve *
curve_from_file (const char  *path,
                 gint32       day,
                 GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr(GPtrArray) curves = NULL;
  g_autoptr(GError) local_error = NULL;
  SextantParCurve *picked;
  gsize length;

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  if ((curves = sextant_treasury_parse_csv (text, length, name, &local_error)) == NULL)
    {
      /* Whatever is wrong with a file (empty too) is bad input, exit 3. */
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE, "%s: %s", path,
                   local_error->message);
      return NULL;
    }
  if ((picked = sextant_par_curve_pick (curves, day)) == NULL)
    return no_curve (day, error);
  return copy_curve (picked);
}

/* Fetches the year into the cache; unreachable, the cache answers alone and @offline says why. */
static gboolean
fetch_year (SextantMarketCache  *cache,
            int                  year,
            char               **offline,
            GError             **error)
{
  g_autoptr(SextantTreasuryRates) treasury = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(GPtrArray) curves = NULL;
  g_autoptr(GError) local_error = NULL;

  if ((treasury = sextant_treasury_rates_new_from_environment (error)) == NULL)
    return FALSE;
  sextant_treasury_rates_fetch_year_async (treasury, year, NULL, sextant_cli_store_result_cb,
                                           &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  curves = sextant_treasury_rates_fetch_year_finish (treasury, result, &response, &local_error);
  if (curves != NULL)
    return sextant_market_cache_put_par_curves (cache, curves, response, error);
  if (g_error_matches (local_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK))
    {
      *offline = sextant_log_writer_redact (local_error->message);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Never a stale curve taken for a fresh one: scripts read stdout, people see stderr. */
static void
say_cached (const char            *what,
            const SextantParCurve *curve,
            const char            *reason)
{
  g_autofree char *note = sextant_market_cache_describe_cached (curve->day, curve->fetched_at, reason);

  fprintf (stderr, "sextant-cli curve: offline; %s %s\n", what, note);
}

static SextantParCurve *
curve_from_treasury (gint32   day,
                     GError **error)
{
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantParCurve) cached = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autofree char *offline = NULL;
  int year, month, mday;

  if ((store = sextant_schema_open_default (error)) == NULL)
    return NULL;
  cache = sextant_market_cache_new (store);
  if (!sextant_market_cache_get_par_curve (cache, "treasury", day, &cached, error))
    return NULL;
  if (cached != NULL && day > 0 && cached->day == day)
    return g_steal_pointer (&cached);
  g_clear_pointer (&cached, sextant_par_curve_free);

  sextant_day_to_ymd (day > 0 ? day : today (), &year, &month, &mday);
  /* The first days of January are in the year before's file, which is also asked for when the
   * year's has no curve yet (the service answers 404 for a year without one). */
  for (int back = 0; back < 2 && cached == NULL && offline == NULL; back++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!fetch_year (cache, year - back, &offline, &local_error)
          && !g_error_matches (local_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (local_error != NULL && first_error == NULL)
        first_error = g_steal_pointer (&local_error);
      if (!sextant_market_cache_get_par_curve (cache, "treasury", day, &cached, error))
        return NULL;
    }
  if (cached == NULL && first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return NULL;
    }
  if (cached == NULL && offline != NULL)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK,
                   "the US Treasury cannot be reached and the cache has no curve on or before "
                   "that day");
      return NULL;
    }
  if (cached == NULL)
    return no_curve (day, error);
  if (offline != NULL)
    say_cached ("the US Treasury curve", cached, offline);
  return g_steal_pointer (&cached);
}

/**
 * sextant_cli_curve_load_par:
 * @source: `treasury` (the cache, fetched when it lacks the day) or a file in the Treasury's
 *   daily par-yield CSV format
 * @day: the curve of this day, or of the last day before it; 0 for the newest
 * @error: return location for an error
 *
 * Returns: (transfer full): the par curve, as `sextant-cli curve --source` reads it
 */
SextantParCurve *
sextant_cli_curve_load_par (const char  *source,
                            gint32       day,
                            GError     **error)
{
  if (g_strcmp0 (source, "treasury") == 0)
    return curve_from_treasury (day, error);
  return curve_from_file (source, day, error);
}

static void
add_array (JsonBuilder  *builder,
           const char   *name,
           const double *values,
           gsize         n,
           double        scale)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (gsize i = 0; i < n; i++)
    if (isnan (values[i]))
      json_builder_add_null_value (builder);   /* a tenor the source left out that day */
    else
      json_builder_add_double_value (builder, values[i] * scale);
  json_builder_end_array (builder);
}

static void
add_fit (JsonBuilder           *builder,
         const SextantCurveFit *fit)
{
  gboolean svensson;

  json_builder_set_member_name (builder, "fit");
  if (fit == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  svensson = fit->model == SEXTANT_CURVE_MODEL_SVENSSON;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, sextant_curve_model_name (fit->model));
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  for (int k = 0; k < (svensson ? 4 : 3); k++)
    {
      g_autofree char *name = g_strdup_printf ("beta%d", k);

      json_builder_set_member_name (builder, name);
      json_builder_add_double_value (builder, fit->beta[k]);
    }
  json_builder_set_member_name (builder, svensson ? "tau1" : "tau");
  json_builder_add_double_value (builder, fit->tau[0]);
  if (svensson)
    {
      json_builder_set_member_name (builder, "tau2");
      json_builder_add_double_value (builder, fit->tau[1]);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "rmse");
  json_builder_add_double_value (builder, fit->rmse);
  json_builder_end_object (builder);
}

typedef struct
{
  gsize   n;
  double *tenors, *par, *zero, *forward;   /* par and zero in percent, forward a fraction… */
} CurveFigures;

static void
print_json (const SextantParCurve   *par,
            const CurveFigures      *figures,
            const SextantCurveFit   *fit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *date = sextant_day_format_iso (par->day);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, date);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, par->source);
  if (g_strcmp0 (par->source, "ecb") == 0)
    {
      json_builder_set_member_name (builder, "citation");
      json_builder_add_string_value (builder, SEXTANT_FX_ECB_CITATION);
    }
  add_array (builder, "tenors", figures->tenors, figures->n, 1);
  add_array (builder, "par", figures->par, figures->n, 1);
  add_array (builder, "zero", figures->zero, figures->n, 100);
  add_array (builder, "forward", figures->forward, figures->n, 100);
  add_fit (builder, fit);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

static void
print_text (const SextantParCurve *par,
            const CurveFigures    *figures,
            const SextantCurveFit *fit)
{
  g_autofree char *date = sextant_day_format_iso (par->day);

  printf ("%s par yield curve of %s (percent)%s\n", par->source, date,
          g_strcmp0 (par->source, "ecb") == 0 ? "; " SEXTANT_FX_ECB_CITATION : "");
  printf ("%8s %10s %10s %10s\n", "years", "par", "zero", "forward");
  for (gsize i = 0; i < figures->n; i++)
    printf ("%8.4g %10.4f %10.4f %10.4f\n", figures->tenors[i], figures->par[i],
            figures->zero[i] * 100, figures->forward[i] * 100);
  if (fit != NULL)
    {
      printf ("%s: β0 %.6f, β1 %.6f, β2 %.6f", sextant_curve_model_name (fit->model),
              fit->beta[0], fit->beta[1], fit->beta[2]);
      if (fit->model == SEXTANT_CURVE_MODEL_SVENSSON)
        printf (", β3 %.6f, τ1 %.6f, τ2 %.6f", fit->beta[3], fit->tau[0], fit->tau[1]);
      else
        printf (", τ %.6f", fit->tau[0]);
      printf ("; rmse %.6f\n", fit->rmse);
    }
}

static gboolean
report (const SextantParCurve *par,
        const char            *fit_name,
        SextantCliFormat       format,
        GError               **error)
{
  g_autofree double *fractions = g_new (double, par->n);
  g_autoptr(SextantYieldCurve) curve = NULL;
  CurveFigures figures = { par->n, NULL, NULL, NULL, NULL };
  g_autofree double *tenors = g_new (double, par->n);
  g_autofree double *zero = g_new (double, par->n);
  g_autofree double *forward = g_new (double, par->n);
  g_autofree double *zero_percent = g_new (double, par->n);
  SextantCurveFit fit;
  SextantCurveModel model;

  for (gsize i = 0; i < par->n; i++)
    fractions[i] = par->yield[i] / 100.0;
  curve = sextant_yield_curve_bootstrap (par->day, par->months, fractions, par->n, error);
  if (curve == NULL)
    return FALSE;
  for (gsize i = 0; i < par->n; i++)
    {
      tenors[i] = par->months[i] / 12.0;
      zero[i] = sextant_yield_curve_zero (curve, curve->time[i]);
      forward[i] = sextant_yield_curve_forward (curve, i > 0 ? curve->time[i - 1] : 0,
                                                curve->time[i]);
      zero_percent[i] = zero[i] * 100;
    }
  figures.tenors = tenors;
  figures.par = par->yield;
  figures.zero = zero;
  figures.forward = forward;
  if (fit_name != NULL)
    {
      sextant_curve_model_from_name (fit_name, &model);
      if (!sextant_curve_fit (model, curve->time, zero_percent, curve->n, &fit, error))
        return FALSE;
    }
  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (par, &figures, fit_name != NULL ? &fit : NULL);
  else
    print_text (par, &figures, fit_name != NULL ? &fit : NULL);
  return TRUE;
}

#define ECB_WINDOW_DAYS 14

static gboolean
fetch_ecb (SextantMarketCache  *cache,
           gint32               day,
           char               **offline,
           GError             **error)
{
  const char *url = g_getenv ("SEXTANT_ECB_BASE_URL");
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(GPtrArray) curves = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;

  if (url != NULL && *url != '\0'
      && !sextant_endpoint_check_transport (url, "SEXTANT_ECB_BASE_URL", SEXTANT_MARKET_ERROR,
                                            SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT, error))
    return FALSE;
  session = soup_session_new_with_options ("timeout", 30, "user-agent",
                                           "Sextant/" PACKAGE_VERSION, NULL);
  sextant_ecb_curve_fetch_async (session, url != NULL && *url != '\0'
                                          ? url : SEXTANT_ECB_DEFAULT_BASE_URL,
                                 day - ECB_WINDOW_DAYS, day, NULL, sextant_cli_store_result_cb,
                                 &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  days = sextant_ecb_curve_fetch_finish (result, &response, &local_error);
  if (days == NULL
      && g_error_matches (local_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK))
    {
      *offline = sextant_log_writer_redact (local_error->message);
      return TRUE;
    }
  if (days == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < days->len; i++)
    {
      SextantEcbCurveDay *one = days->pdata[i];

      g_ptr_array_add (curves, one->par);
      g_ptr_array_add (curves, one->spot);
    }
  return sextant_market_cache_put_par_curves (cache, curves, response, error);
}

/* The ECB's spot curve of @day (or the last day before it) and the par yields of that day. */
static gboolean
curve_from_ecb (gint32            day,
                SextantParCurve **spot,
                SextantParCurve **par,
                GError          **error)
{
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autofree char *offline = NULL;
  gint32 wanted = day > 0 ? day : today ();

  if ((store = sextant_schema_open_default (error)) == NULL)
    return FALSE;
  cache = sextant_market_cache_new (store);
  if (!sextant_market_cache_get_par_curve (cache, "ecb-aaa-spot", wanted, spot, error))
    return FALSE;
  if (*spot == NULL || (*spot)->day != wanted)
    {
      g_autoptr(GError) fetch_error = NULL;

      g_clear_pointer (spot, sextant_par_curve_free);
      /* Nothing published in the window (a 404) leaves the last cached day before it to answer,
       * as the Treasury's curve does; with none cached, the 404 is the answer. */
      if (!fetch_ecb (cache, wanted, &offline, &fetch_error)
          && !g_error_matches (fetch_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA))
        {
          g_propagate_error (error, g_steal_pointer (&fetch_error));
          return FALSE;
        }
      if (!sextant_market_cache_get_par_curve (cache, "ecb-aaa-spot", wanted, spot, error))
        return FALSE;
      if (*spot == NULL && fetch_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&fetch_error));
          return FALSE;
        }
    }
  if (*spot == NULL)
    {
      if (offline != NULL)
        g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK,
                     "the ECB cannot be reached and the cache has no curve on or before that day");
      else
        no_curve (day, error);
      return FALSE;
    }
  if (!sextant_market_cache_get_par_curve (cache, "ecb-aaa-par", (*spot)->day, par, error))
    return FALSE;
  if (offline != NULL)
    say_cached ("the ECB euro area curve", *spot, offline);
  return TRUE;
}

/**
 * sextant_cli_curve_load_ecb_spot:
 * @day: the curve of this day, or of the last day before it; 0 for the newest
 * @error: return location for an error
 *
 * Returns: (transfer full): the ECB's euro-area AAA spot curve (source `ecb-aaa-spot`), from
 *   the cache or fetched, as `sextant-cli curve --source ecb` reads it
 */
SextantParCurve *
sextant_cli_curve_load_ecb_spot (gint32   day,
                                 GError **error)
{
  g_autoptr(SextantParCurve) spot = NULL;
  g_autoptr(SextantParCurve) par = NULL;

  if (!curve_from_ecb (day, &spot, &par, error))
    return NULL;
  return g_steal_pointer (&spot);
}

/* The ECB publishes spot rates itself (Svensson model, continuous compounding): the forward
 * between two tenors follows from them, with the tenors' nominal years as times. */
static gboolean
report_spot (const SextantParCurve *spot,
             const SextantParCurve *par,
             const char            *fit_name,
             SextantCliFormat       format,
             GError               **error)
{
  gsize n = spot->n;
  g_autofree double *tenors = g_new (double, n);
  g_autofree double *par_values = g_new (double, n);
  g_autofree double *zero = g_new (double, n);
  g_autofree double *forward = g_new (double, n);
  CurveFigures figures = { n, tenors, par_values, zero, forward };
  SextantParCurve shown = *spot;
  SextantCurveFit fit;
  SextantCurveModel model;

  for (gsize i = 0; i < n; i++)
    {
      tenors[i] = spot->months[i] / 12.0;
      zero[i] = spot->yield[i] / 100.0;
      forward[i] = i == 0 ? zero[0]
                          : (spot->yield[i] * tenors[i] - spot->yield[i - 1] * tenors[i - 1])
                            / (tenors[i] - tenors[i - 1]) / 100.0;
      par_values[i] = NAN;
      for (gsize j = 0; par != NULL && j < par->n; j++)
        if (par->months[j] == spot->months[i])
          par_values[i] = par->yield[j];
    }
  if (fit_name != NULL)
    {
      sextant_curve_model_from_name (fit_name, &model);
      if (!sextant_curve_fit (model, tenors, spot->yield, n, &fit, error))
        return FALSE;
    }
  shown.source = (char *) "ecb";
  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (&shown, &figures, fit_name != NULL ? &fit : NULL);
  else
    print_text (&shown, &figures, fit_name != NULL ? &fit : NULL);
  return TRUE;
}

/**
 * sextant_cli_curve_main:
 *
 * `sextant-cli curve --source treasury|ecb|FILE [--date DATE] [--fit nelson-siegel|svensson]
 * [--format text|json]`: a par yield curve with its zero and forward rates, and a fit.
 */
int
sextant_cli_curve_main (int    argc,
                        char **argv)
{
  g_autofree char *source = NULL, *date_text = NULL, *fit_name = NULL, *format_text = NULL;
  const GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "Where the par yields come from",
      "treasury|ecb|FILE" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      "The curve of this day, or the last before it (default: the newest)", "YYYY-MM-DD" },
    { "fit", 0, 0, G_OPTION_ARG_STRING, &fit_name, "Fit a model to the zero rates",
      "nelson-siegel|svensson" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format (default text)",
      "text|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantParCurve) par = NULL;
  SextantCliFormat format = SEXTANT_CLI_FORMAT_TEXT;
  SextantCurveModel model;
  gint32 day = 0;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "A par yield curve: zero rates, forward rates and a "
                                         "Nelson-Siegel or Svensson fit.");
  g_option_context_set_description (context, CURVE_CONVENTIONS);
  if (!sextant_cli_parse_options (context, &argc, &argv, "curve", &exit_code))
    return exit_code;
  if (argc != 1)
    return sextant_cli_usage_error (context, "curve", "unexpected arguments");
  if (source == NULL || *source == '\0')
    return sextant_cli_usage_error (context, "curve", "--source is required");
  if (!sextant_cli_parse_format (format_text, (1 << SEXTANT_CLI_FORMAT_TEXT)
                                 | (1 << SEXTANT_CLI_FORMAT_JSON), &format, &error))
    return sextant_cli_usage_error (context, "curve", error->message);
  if (date_text != NULL && !sextant_day_parse_iso (date_text, &day))
    return sextant_cli_usage_error (context, "curve", "--date must be a date in YYYY-MM-DD form");
  if (fit_name != NULL && !sextant_curve_model_from_name (fit_name, &model))
    return sextant_cli_usage_error (context, "curve",
                                    "--fit must be nelson-siegel or svensson");

  if (g_strcmp0 (source, "ecb") == 0)
    {
      g_autoptr(SextantParCurve) spot = NULL;
      g_autoptr(SextantParCurve) ecb_par = NULL;

      if (!curve_from_ecb (day, &spot, &ecb_par, &error)
          || !report_spot (spot, ecb_par, fit_name, format, &error))
        return sextant_cli_fail (-1, "curve", error);
      return SEXTANT_CLI_EXIT_OK;
    }
  if (g_strcmp0 (source, "treasury") == 0)
    par = curve_from_treasury (day, &error);
  else
    par = curve_from_file (source, day, &error);
  if (par == NULL || !report (par, fit_name, format, &error))
    return sextant_cli_fail (-1, "curve", error);
  return SEXTANT_CLI_EXIT_OK;
}
