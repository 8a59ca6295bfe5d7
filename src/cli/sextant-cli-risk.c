#define G_LOG_DOMAIN "sextant-cli-risk"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "sextant-cli-book.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"
#include "sextant-cli-risk-input.h"

typedef struct
{
  char    *prices;
  char    *returns;
  char    *portfolio;
  char    *from;
  char    *to;
  char    *weights;
  char    *benchmark;
  char    *confidence;
  char    *format;
  char    *shocks;
  int      simulations;
  gint64   seed;
  double   dof;
  double   periods_per_year;
  int      stress_window;
} RiskOptions;

static void
risk_options_clear (RiskOptions *o)
{
  g_free (o->prices);
  g_free (o->returns);
  g_free (o->portfolio);
  g_free (o->from);
  g_free (o->to);
  g_free (o->weights);
  g_free (o->benchmark);
  g_free (o->confidence);
  g_free (o->format);
  g_free (o->shocks);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RiskOptions, risk_options_clear)

typedef struct
{
  SextantCliReturns  in;
  double            *weights;
  double            *r;
  double            *mean;
  double            *cov;
  double            *mc_normal;
  double            *mc_t;
  gsize              n;
  gsize              k;
  gsize              n_sims;
  char              *mc_error;   /* why the Monte Carlo figures are missing, if they are */
} RiskData;

static void
risk_data_clear (RiskData *d)
{
  sextant_cli_returns_clear (&d->in);
  g_free (d->weights);
  g_free (d->r);
  g_free (d->mean);
  g_free (d->cov);
  g_free (d->mc_normal);
  g_free (d->mc_t);
  g_free (d->mc_error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RiskData, risk_data_clear)

static char *
level_suffix (double c)
{
  double pct = c * 100;

  if (fabs (pct - round (pct)) < 1e-9)
    return g_strdup_printf ("%d", (int) round (pct));
  return g_strdup_printf ("%g", pct);
}

static void
add_keyed (JsonBuilder *b,
           const char  *prefix,
           const char  *suffix,
           double       value)
{
  g_autofree char *name = g_strconcat (prefix, "_", suffix, NULL);

  sextant_json_add_double (b, name, value);
}

static void
add_per_asset (JsonBuilder  *b,
               const char   *prefix,
               const char   *suffix,
               RiskData     *d,
               const double *values)
{
  g_autofree char *name = g_strconcat (prefix, "_", suffix, NULL);

  json_builder_set_member_name (b, name);
  json_builder_add_value (b, sextant_cli_weights_object (d->in.assets, values));
}

/* Every figure for one confidence level: the keys of spisector_reference.json's
 * equal_weight_portfolio (var_hist_99, …) plus the Monte Carlo and component ones. */
static gboolean
add_level (JsonBuilder           *b,
           RiskData              *d,
           const SextantMoments  *m,
           double                 c,
           GError               **error)
{
  g_autofree char *sfx = level_suffix (c);
  g_autofree double *marginal = g_new (double, d->k), *component = g_new (double, d->k);
  double var, es, total;

  if (!sextant_var_historical (d->r, d->n, c, &var, &es, error))
    return FALSE;
  add_keyed (b, "var_hist", sfx, var);
  add_keyed (b, "es_hist", sfx, es);
  if (!sextant_var_gaussian (m->mean, m->sd, c, &var, &es, error))
    return FALSE;
  add_keyed (b, "var_gauss", sfx, var);
  add_keyed (b, "es_gauss", sfx, es);
  if (!sextant_var_cornish_fisher (m, c, &var, error))
    return FALSE;
  add_keyed (b, "var_cornish_fisher", sfx, var);
  var = es = NAN;
  if (d->mc_error == NULL && !sextant_var_historical (d->mc_normal, d->n_sims, c, &var, &es, error))
    return FALSE;
  add_keyed (b, "var_mc_normal", sfx, var);
  add_keyed (b, "es_mc_normal", sfx, es);
  if (d->mc_error == NULL && !sextant_var_historical (d->mc_t, d->n_sims, c, &var, &es, error))
    return FALSE;
  add_keyed (b, "var_mc_t", sfx, var);
  add_keyed (b, "es_mc_t", sfx, es);
  if (!sextant_var_components_gaussian (d->mean, d->cov, d->weights, d->k, c, marginal,
                                        component, &total, error))
    return FALSE;
  add_per_asset (b, "marginal_var_gauss", sfx, d, marginal);
  add_per_asset (b, "component_var_gauss", sfx, d, component);

  return TRUE;
}

static gboolean
parse_levels (const char  *text,
              GArray      *levels,
              GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  if (parts[0] == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--confidence needs at least one level between 0.5 and 1, such as 0.95,0.99");
      return FALSE;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *end = NULL;
      double c = g_ascii_strtod (parts[i], &end);

      if (end == parts[i] || *end != '\0' || !(c > 0.5 && c < 1))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--confidence takes levels between 0.5 and 1 such as 0.95,0.99, not “%s”",
                       parts[i]);
          return FALSE;
        }
      g_array_append_val (levels, c);
    }

  return TRUE;
}

/* A stored portfolio on the cached closes: the returns and weights a wide CSV of the same
 * closes with `--weights` of the market values would give. */
static gboolean
load_portfolio (RiskOptions  *o,
                RiskData     *d,
                GStrv        *symbols,
                double      **given,
                GError      **error)
{
  g_auto(SextantBook) book = { 0 };

  if (!sextant_cli_book_load (o->portfolio, o->from, o->to, o->benchmark, &book, NULL, error) ||
      !sextant_cli_returns_from_table (book.closes, TRUE, (const char * const *) book.symbols,
                                       o->benchmark, NULL, &d->in, error))
    return FALSE;
  *symbols = g_steal_pointer (&book.symbols);
  *given = g_steal_pointer (&book.weights);

  return TRUE;
}

/* Portfolio returns, moments, sample mean and covariance, and both Monte Carlo samples. */
static gboolean
prepare (RiskOptions  *o,
         RiskData     *d,
         GError      **error)
{
  g_auto(GStrv) symbols = NULL;
  g_autofree double *given = NULL;
  g_autoptr(GError) mc_error = NULL;

  if (o->portfolio != NULL)
    {
      if (!load_portfolio (o, d, &symbols, &given, error))
        return FALSE;
    }
  else if ((o->weights != NULL &&
            !sextant_cli_parse_assignments (o->weights, "--weights", &symbols, &given, error)) ||
           !sextant_cli_load_returns (o->prices, o->returns, (const char * const *) symbols,
                                      o->benchmark, NULL, &d->in, error))
    return FALSE;

  d->n = d->in.assets->n_obs;
  d->k = d->in.assets->n_assets;
  d->weights = g_new (double, d->k);
  for (gsize j = 0; j < d->k; j++)
    d->weights[j] = given != NULL ? given[j] : 1.0 / d->k;
  d->r = g_new (double, d->n);
  d->mean = g_new (double, d->k);
  d->cov = g_new (double, d->k * d->k);
  if (!sextant_portfolio_returns (d->in.assets, d->weights, d->r, error) ||
      !sextant_mean_vector (d->in.assets, d->mean, error) ||
      !sextant_covariance_sample (d->in.assets, d->cov, error))
    return FALSE;

  d->n_sims = o->simulations;
  /* two samples of n_sims returns, each scenario drawing k normals */
  if (!sextant_work_size_check ("Monte Carlo VaR", 2.0 * d->n_sims, 2.0 * d->n_sims * d->k, error))
    return FALSE;
  d->mc_normal = g_new (double, d->n_sims);
  d->mc_t = g_new (double, d->n_sims);

  /* Monte Carlo needs a positive definite covariance; a cash column or two identical series make
   * it singular. The other figures stand without it, so its failure only empties its own keys. */
  if (!sextant_monte_carlo_portfolio (d->mean, d->cov, d->weights, d->k, SEXTANT_MC_NORMAL, 0,
                                      d->n_sims, o->seed, d->mc_normal, NULL, &mc_error) ||
      !sextant_monte_carlo_portfolio (d->mean, d->cov, d->weights, d->k, SEXTANT_MC_STUDENT_T,
                                      o->dof, d->n_sims, o->seed, d->mc_t, NULL, &mc_error))
    {
      if (!g_error_matches (mc_error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_SINGULAR))
        {
          g_propagate_error (error, g_steal_pointer (&mc_error));
          return FALSE;
        }
      d->mc_error = g_strdup (mc_error->message);
    }

  return TRUE;
}

static gboolean
add_performance (JsonBuilder  *b,
                 RiskOptions  *o,
                 RiskData     *d,
                 GError      **error)
{
  SextantDrawdown dd;
  SextantBenchmarkStats bs = { NAN, NAN, NAN, NAN };
  double x;

  if (!sextant_volatility_annualised (d->r, d->n, o->periods_per_year, &x, error))
    return FALSE;
  sextant_json_add_double (b, "volatility_annualised", x);
  if (!sextant_sharpe_ratio (d->r, d->n, 0, o->periods_per_year, &x, error))
    return FALSE;
  sextant_json_add_double (b, "sharpe_annualised_rf0", x);
  if (!sextant_sortino_ratio (d->r, d->n, 0, o->periods_per_year, &x, error))
    return FALSE;
  sextant_json_add_double (b, "sortino_annualised_mar0", x);
  if (!sextant_max_drawdown (d->r, d->n, &dd, error))
    return FALSE;
  sextant_json_add_double (b, "max_drawdown", dd.max_drawdown);
  json_builder_set_member_name (b, "max_drawdown_duration");
  json_builder_add_int_value (b, dd.duration);
  json_builder_set_member_name (b, "max_drawdown_recovered");
  json_builder_add_boolean_value (b, dd.recovery >= 0);

  if (d->in.benchmark != NULL &&
      !sextant_benchmark_stats (d->r, d->in.benchmark, d->n, o->periods_per_year, &bs, error))
    return FALSE;
  sextant_json_add_double (b, "beta", bs.beta);
  sextant_json_add_double (b, "alpha_annualised", bs.alpha_annualised);
  sextant_json_add_double (b, "tracking_error_annualised", bs.tracking_error_annualised);
  sextant_json_add_double (b, "information_ratio", bs.information_ratio);

  return TRUE;
}

static gboolean
add_stress (JsonBuilder  *b,
            RiskOptions  *o,
            RiskData     *d,
            GError      **error)
{
  SextantStressWindow worst[3];
  gsize n_worst = 0;

  if (!sextant_stress_worst_windows (d->r, d->n, o->stress_window, 3, worst, &n_worst, error))
    return FALSE;
  json_builder_set_member_name (b, "stress_worst_windows");
  json_builder_begin_array (b);
  for (gsize i = 0; i < n_worst; i++)
    {
      g_autofree char *from = sextant_day_format_iso (d->in.assets->days[worst[i].start]);
      g_autofree char *to = sextant_day_format_iso (d->in.assets->days[worst[i].start +
                                                                       worst[i].length - 1]);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "first_date");
      json_builder_add_string_value (b, from);
      json_builder_set_member_name (b, "last_date");
      json_builder_add_string_value (b, to);
      json_builder_set_member_name (b, "periods");
      json_builder_add_int_value (b, worst[i].length);
      sextant_json_add_double (b, "loss", worst[i].loss);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  return TRUE;
}

static gboolean
add_shocks (JsonBuilder  *b,
            RiskOptions  *o,
            RiskData     *d,
            GError      **error)
{
  g_auto(GStrv) symbols = NULL;
  g_autofree double *values = NULL;
  g_autofree double *shock = g_new0 (double, d->k), *contrib = g_new (double, d->k);
  double total;

  if (o->shocks == NULL)
    return TRUE;
  if (!sextant_cli_parse_assignments (o->shocks, "--shock", &symbols, &values, error))
    return FALSE;
  for (guint i = 0; symbols[i] != NULL; i++)
    {
      gsize j = 0;

      while (j < d->k && g_ascii_strcasecmp (d->in.assets->names[j], symbols[i]) != 0)
        j++;
      if (j == d->k)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       "--shock names %s, which is not in the portfolio", symbols[i]);
          return FALSE;
        }
      shock[j] = values[i];
    }
  if (!sextant_stress_shock (d->weights, shock, d->k, &total, contrib, error))
    return FALSE;
  sextant_json_add_double (b, "stress_shock_return", total);
  json_builder_set_member_name (b, "stress_shock_contributions");
  json_builder_add_value (b, sextant_cli_weights_object (d->in.assets, contrib));

  return TRUE;
}

static JsonNode *
build_report (RiskOptions  *o,
              RiskData     *d,
              GArray       *levels,
              GError      **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  SextantMoments m;

  if (!sextant_moments_compute (d->r, d->n, &m, error))
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "n_obs");
  json_builder_add_int_value (b, d->n);
  json_builder_set_member_name (b, "rows_dropped");
  json_builder_add_int_value (b, d->in.n_dropped);
  json_builder_set_member_name (b, "periods_per_year");
  json_builder_add_double_value (b, o->periods_per_year);
  json_builder_set_member_name (b, "weights");
  json_builder_add_value (b, sextant_cli_weights_object (d->in.assets, d->weights));
  json_builder_set_member_name (b, "benchmark");
  if (d->in.benchmark_name != NULL)
    json_builder_add_string_value (b, d->in.benchmark_name);
  else
    json_builder_add_null_value (b);
  sextant_json_add_double (b, "mean", m.mean);
  sextant_json_add_double (b, "sd", m.sd);
  sextant_json_add_double (b, "skewness", m.skewness);
  sextant_json_add_double (b, "excess_kurtosis", m.excess_kurtosis);
  for (guint i = 0; i < levels->len; i++)
    if (!add_level (b, d, &m, g_array_index (levels, double, i), error))
      return NULL;
  {
    g_autofree double *contrib = g_new (double, d->k);

    if (!sextant_risk_contributions (d->cov, d->weights, d->k, contrib, NULL, error))
      return NULL;
    json_builder_set_member_name (b, "volatility_contributions");
    json_builder_add_value (b, sextant_cli_weights_object (d->in.assets, contrib));
  }
  if (!add_performance (b, o, d, error) || !add_stress (b, o, d, error) ||
      !add_shocks (b, o, d, error))
    return NULL;
  json_builder_set_member_name (b, "monte_carlo");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "simulations");
  json_builder_add_int_value (b, d->n_sims);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, o->seed);
  json_builder_set_member_name (b, "t_degrees_of_freedom");
  json_builder_add_double_value (b, o->dof);
  json_builder_set_member_name (b, "error");
  if (d->mc_error != NULL)
    json_builder_add_string_value (b, d->mc_error);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

int
sextant_cli_risk_main (int    argc,
                       char **argv)
{
  g_auto(RiskOptions) o = { .simulations = 100000, .seed = 1, .dof = 5, .periods_per_year = 252,
                    .stress_window = 20 };
  const GOptionEntry entries[] = {
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &o.prices, "Wide CSV of prices (date, one column per symbol)", "FILE" },
    { "returns", 0, 0, G_OPTION_ARG_FILENAME, &o.returns, "Wide CSV of returns instead of prices", "FILE" },
    { "portfolio", 0, 0, G_OPTION_ARG_STRING, &o.portfolio, "A stored portfolio on stored closes, weighted by market value on the last shared date (instead of --prices)", "NAME" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &o.from, "With --portfolio: first date (default: the oldest stored)", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &o.to, "With --portfolio: last date (default: the newest stored)", "DATE" },
    { "weights", 0, 0, G_OPTION_ARG_STRING, &o.weights, "Portfolio weights (default: every column, equal weights)", "S=w,…" },
    { "benchmark", 0, 0, G_OPTION_ARG_STRING, &o.benchmark, "Benchmark column (not part of the portfolio); with --portfolio, a stored symbol", "COLUMN" },
    { "confidence", 0, 0, G_OPTION_ARG_STRING, &o.confidence, "Confidence levels (default 0.95,0.99)", "C,…" },
    { "simulations", 0, 0, G_OPTION_ARG_INT, &o.simulations, "Monte Carlo scenarios (default 100000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, "Monte Carlo seed (default 1)", "S" },
    { "dof", 0, 0, G_OPTION_ARG_DOUBLE, &o.dof, "Student t degrees of freedom (default 5)", "NU" },
    { "periods-per-year", 0, 0, G_OPTION_ARG_DOUBLE, &o.periods_per_year, "Annualisation factor (default 252)", "N" },
    { "stress-window", 0, 0, G_OPTION_ARG_INT, &o.stress_window, "Length of the worst historical windows (default 20)", "K" },
    { "shock", 0, 0, G_OPTION_ARG_STRING, &o.shocks, "Shock returns per asset, e.g. UTIL=-0.3", "S=r,…" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, "Output format: text or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- risk figures of a portfolio");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) levels = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(JsonNode) report = NULL;
  g_auto(RiskData) d = { 0 };
  SextantCliFormat format;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "With --portfolio, the stored portfolio's holdings are priced from the market cache on the\n"
    "dates within --from/--to that all of them share, converted to the portfolio's base currency\n"
    "with the ECB's daily reference rates (cross rates through the euro; fetched when the cache\n"
    "lacks them, SEXTANT_ECB_BASE_URL as for `fx`); the figures are those of --prices for a wide\n"
    "CSV of the same converted closes with --weights set to their market values. Without --from,\n"
    "a book with holdings in other currencies starts on the first date every rate it needs has.\n"
    "Exit code 3 when a holding needs prices or a date has no exchange rate.\n");
  if (!sextant_cli_check_numbers (entries, argc, argv, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "risk", error);
  if (!sextant_cli_parse_options (context, &argc, &argv, "risk", &exit_code))
    return exit_code;
  if ((o.prices != NULL) + (o.returns != NULL) + (o.portfolio != NULL) != 1)
    return sextant_cli_usage_error (context, "risk", "give exactly one of --prices FILE, --returns FILE and --portfolio NAME");
  if (o.portfolio != NULL && o.weights != NULL)
    return sextant_cli_usage_error (context, "risk", "--weights does not go with --portfolio, whose weights are its holdings'");
  if (o.portfolio == NULL && (o.from != NULL || o.to != NULL))
    return sextant_cli_usage_error (context, "risk", "--from and --to go with --portfolio");
  if (!sextant_check_periods_per_year (o.periods_per_year, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "risk", error);
  if (o.simulations < 2 || o.stress_window < 1)
    return sextant_cli_usage_error (context, "risk", "--simulations must be ≥ 2 and --stress-window ≥ 1");
  if (!sextant_cli_parse_format (o.format, 1u << SEXTANT_CLI_FORMAT_TEXT | 1u << SEXTANT_CLI_FORMAT_JSON,
                                 &format, &error) ||
      !parse_levels (o.confidence != NULL ? o.confidence : "0.95,0.99", levels, &error))
    return sextant_cli_fail (-1, "risk", error);

  if (!prepare (&o, &d, &error) || (report = build_report (&o, &d, levels, &error)) == NULL)
    return sextant_cli_fail (sextant_cli_book_exit_for_error (error), "risk", error);

  if (format == SEXTANT_CLI_FORMAT_JSON)
    sextant_cli_print_json (report);
  else
    sextant_cli_print_table (report);

  return SEXTANT_CLI_EXIT_OK;
}
