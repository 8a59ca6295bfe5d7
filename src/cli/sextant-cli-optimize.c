#define G_LOG_DOMAIN "sextant-cli-optimize"

#include "config.h"

#include <math.h>
#include <string.h>

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
  char    *objective;
  char    *bounds;
  char    *format;
  char    *covariance;
  char   **exclude;
  double   rf;
  double   periods_per_year;
} OptimizeOptions;

static void
optimize_options_clear (OptimizeOptions *o)
{
  g_free (o->prices);
  g_free (o->returns);
  g_free (o->portfolio);
  g_free (o->from);
  g_free (o->to);
  g_free (o->objective);
  g_free (o->bounds);
  g_free (o->format);
  g_free (o->covariance);
  g_strfreev (o->exclude);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OptimizeOptions, optimize_options_clear)

static gboolean
parse_target (const char  *objective,
              const char  *prefix,
              double      *value,
              GError     **error)
{
  const char *text = objective + strlen (prefix);
  char *end = NULL;

  *value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (*value))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--objective %s needs a number per period after the colon, not “%s”",
                   prefix, text);
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_objective (SextantOptimizer  *opt,
               OptimizeOptions   *o,
               double            *w,
               GError           **error)
{
  const char *obj = o->objective;
  double target;

  if (g_strcmp0 (obj, "min-variance") == 0)
    return sextant_optimizer_min_variance (opt, w, error);
  if (g_strcmp0 (obj, "max-sharpe") == 0)
    return sextant_optimizer_max_sharpe (opt, o->rf, w, error);
  if (g_strcmp0 (obj, "risk-parity") == 0)
    return sextant_optimizer_risk_parity (opt, w, error);
  if (g_str_has_prefix (obj, "target-return:"))
    return parse_target (obj, "target-return:", &target, error) &&
           sextant_optimizer_target_return (opt, target, w, error);
  if (g_str_has_prefix (obj, "target-volatility:"))
    return parse_target (obj, "target-volatility:", &target, error) &&
           sextant_optimizer_target_volatility (opt, target, w, error);

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--objective must be min-variance, max-sharpe, risk-parity, target-return:R or "
               "target-volatility:V, not “%s”", obj);
  return FALSE;
}

static void
add_figures (JsonBuilder *b,
             double       ret,
             double       vol,
             double       rf,
             double       scale)
{
  json_builder_set_member_name (b, "expected_return");
  json_builder_add_double_value (b, ret * scale);
  json_builder_set_member_name (b, "volatility");
  json_builder_add_double_value (b, vol * sqrt (scale));
  json_builder_set_member_name (b, "sharpe");
  if (vol > 0)
    json_builder_add_double_value (b, (ret - rf) / vol * sqrt (scale));
  else
    json_builder_add_null_value (b);
}

static JsonNode *
build_result (OptimizeOptions   *o,
              SextantCliReturns *in,
              SextantOptimizer  *opt,
              const double      *w)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  double ret, vol;

  sextant_optimizer_evaluate (opt, w, &ret, &vol);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "objective");
  json_builder_add_string_value (b, o->objective);
  json_builder_set_member_name (b, "weights");
  json_builder_add_value (b, sextant_cli_weights_object (in->assets, w));
  add_figures (b, ret, vol, o->rf, 1);
  json_builder_set_member_name (b, "periods_per_year");
  json_builder_add_double_value (b, o->periods_per_year);
  json_builder_set_member_name (b, "annualised");
  json_builder_begin_object (b);
  add_figures (b, ret, vol, o->rf, o->periods_per_year);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "n_obs");
  json_builder_add_int_value (b, in->assets->n_obs);
  json_builder_set_member_name (b, "rows_dropped");
  json_builder_add_int_value (b, in->n_dropped);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* A stored portfolio on the cached closes. Each asset's bounds are its holding's (`portfolio add
 * --min/--max`, 0 and 1 by default) unless --bounds sets them all. */
static SextantOptimizer *
make_portfolio_optimizer (OptimizeOptions    *o,
                          SextantCliReturns  *in,
                          GError            **error)
{
  g_auto(SextantBook) book = { 0 };
  g_autofree double *lo = NULL, *hi = NULL;
  double blo = 0, bhi = 1;
  gsize k;

  if (!sextant_cli_check_covariance (o->covariance, error) ||
      (o->bounds != NULL && !sextant_cli_parse_bounds (o->bounds, &blo, &bhi, error)) ||
      !sextant_cli_book_load (o->portfolio, o->from, o->to, NULL, &book, NULL, error) ||
      !sextant_cli_returns_from_table (book.closes, TRUE, NULL, NULL,
                                       (const char * const *) o->exclude, in, error))
    return NULL;

  k = in->assets->n_assets;
  lo = g_new (double, k);
  hi = g_new (double, k);
  for (gsize j = 0; j < k; j++)
    {
      int h = sextant_portfolio_find_holding (book.portfolio, in->assets->names[j]);

      lo[j] = o->bounds == NULL && h >= 0 ? book.min_weight[h] : blo;
      hi[j] = o->bounds == NULL && h >= 0 ? book.max_weight[h] : bhi;
    }

  return sextant_cli_optimizer_for_returns (in, lo, hi, o->covariance, error);
}

int
sextant_cli_optimize_main (int    argc,
                           char **argv)
{
  g_auto(OptimizeOptions) o = { .periods_per_year = 252 };
  const GOptionEntry entries[] = {
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &o.prices, "Wide CSV of prices (date, one column per symbol)", "FILE" },
    { "returns", 0, 0, G_OPTION_ARG_FILENAME, &o.returns, "Wide CSV of returns instead of prices", "FILE" },
    { "portfolio", 0, 0, G_OPTION_ARG_STRING, &o.portfolio, "A stored portfolio's instruments on stored closes (instead of --prices)", "NAME" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &o.from, "With --portfolio: first date (default: the oldest stored)", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &o.to, "With --portfolio: last date (default: the newest stored)", "DATE" },
    { "objective", 0, 0, G_OPTION_ARG_STRING, &o.objective, "min-variance, max-sharpe, risk-parity, target-return:R or target-volatility:V (R and V per period of the input)", "OBJ" },
    { "bounds", 0, 0, G_OPTION_ARG_STRING, &o.bounds, "Minimum and maximum weight of every asset (default 0,1; with --portfolio, each holding's --min/--max)", "MIN,MAX" },
    { "rf", 0, 0, G_OPTION_ARG_DOUBLE, &o.rf, "Risk-free return per period (default 0)", "R" },
    { "exclude", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.exclude, "A column that is not an asset, e.g. a benchmark (repeatable; its missing dates are still dropped)", "COLUMN" },
    { "covariance", 0, 0, G_OPTION_ARG_STRING, &o.covariance, "sample (default) or ledoit-wolf (constant-correlation shrinkage)", "KIND" },
    { "periods-per-year", 0, 0, G_OPTION_ARG_DOUBLE, &o.periods_per_year, "Annualisation factor (default 252)", "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, "Output format: text or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- optimal portfolio weights");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantOptimizer) opt = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autofree double *w = NULL;
  g_auto(SextantCliReturns) in = { 0 };
  SextantCliFormat format;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "With --portfolio, the stored portfolio's instruments are priced from the market cache on the\n"
    "dates within --from/--to that all of them share, converted to the portfolio's base currency\n"
    "with the ECB's daily reference rates (as for `risk --portfolio`), and the output is the one\n"
    "--prices gives for a wide CSV of the same converted closes.\n");
  if (!sextant_cli_check_numbers (entries, argc, argv, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "optimize", error);
  if (!sextant_cli_parse_options (context, &argc, &argv, "optimize", &exit_code))
    return exit_code;
  if ((o.prices != NULL) + (o.returns != NULL) + (o.portfolio != NULL) != 1)
    return sextant_cli_usage_error (context, "optimize", "give exactly one of --prices FILE, --returns FILE and --portfolio NAME");
  if (o.portfolio == NULL && (o.from != NULL || o.to != NULL))
    return sextant_cli_usage_error (context, "optimize", "--from and --to go with --portfolio");
  if (!sextant_check_periods_per_year (o.periods_per_year, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "optimize", error);
  if (!(fabs (o.rf) < 1))
    return sextant_cli_usage_error (context, "optimize", "--rf is a return per period, between -1 and 1");
  if (o.objective == NULL)
    return sextant_cli_usage_error (context, "optimize", "--objective is required");
  if (!sextant_cli_parse_format (o.format, 1u << SEXTANT_CLI_FORMAT_TEXT | 1u << SEXTANT_CLI_FORMAT_JSON,
                                 &format, &error))
    return sextant_cli_fail (-1, "optimize", error);

  opt = o.portfolio != NULL ? make_portfolio_optimizer (&o, &in, &error)
                            : sextant_cli_make_optimizer (o.prices, o.returns,
                                                          (const char * const *) o.exclude,
                                                          o.bounds, o.covariance, &in, &error);
  if (opt == NULL)
    return sextant_cli_fail (sextant_cli_book_exit_for_error (error), "optimize", error);
  w = g_new (double, in.assets->n_assets);
  if (!run_objective (opt, &o, w, &error))
    return sextant_cli_fail (-1, "optimize", error);

  result = build_result (&o, &in, opt, w);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    sextant_cli_print_json (result);
  else
    sextant_cli_print_table (result);

  return SEXTANT_CLI_EXIT_OK;
}
