#define G_LOG_DOMAIN "sextant-cli-backtest"

#include "config.h"

#include <string.h>

#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"
#include "sextant-cli-risk-input.h"

typedef struct
{
  char    *prices;
  char    *returns;
  char    *weights;
  char    *strategy;
  char    *format;
  double   cost_bps;
  double   periods_per_year;
} BacktestOptions;

static void
backtest_options_clear (BacktestOptions *o)
{
  g_free (o->prices);
  g_free (o->returns);
  g_free (o->weights);
  g_free (o->strategy);
  g_free (o->format);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BacktestOptions, backtest_options_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SextantBacktestResult, sextant_backtest_result_clear)

static gboolean
parse_strategy (const char        *text,
                SextantRebalance  *rebalance,
                double            *threshold,
                GError           **error)
{
  *threshold = 0;
  if (g_strcmp0 (text, "buy-and-hold") == 0)
    *rebalance = SEXTANT_REBALANCE_NONE;
  else if (g_strcmp0 (text, "periodic:monthly") == 0)
    *rebalance = SEXTANT_REBALANCE_MONTHLY;
  else if (g_strcmp0 (text, "periodic:quarterly") == 0)
    *rebalance = SEXTANT_REBALANCE_QUARTERLY;
  else if (g_str_has_prefix (text, "threshold:"))
    {
      const char *value = text + strlen ("threshold:");
      char *end = NULL;

      *rebalance = SEXTANT_REBALANCE_THRESHOLD;
      *threshold = g_ascii_strtod (value, &end);
      if (end == value || *end != '\0' || !(*threshold > 0 && *threshold < 1))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--strategy threshold:X needs a drift between 0 and 1, such as 0.05, not “%s”",
                       value);
          return FALSE;
        }
    }
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--strategy must be buy-and-hold, periodic:monthly, periodic:quarterly or "
                   "threshold:X, not “%s”", text);
      return FALSE;
    }

  return TRUE;
}

static JsonNode *
build_result (BacktestOptions             *o,
              const SextantCliReturns     *in,
              const double                *targets,
              const SextantBacktestResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const SextantReturnMatrix *m = in->assets;
  g_autofree char *first = sextant_day_format_iso (m->days[0]);
  g_autofree char *last = sextant_day_format_iso (m->days[m->n_obs - 1]);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "strategy");
  json_builder_add_string_value (b, o->strategy);
  json_builder_set_member_name (b, "weights");
  json_builder_add_value (b, sextant_cli_weights_object (m, targets));
  json_builder_set_member_name (b, "first_date");
  json_builder_add_string_value (b, first);
  json_builder_set_member_name (b, "last_date");
  json_builder_add_string_value (b, last);
  json_builder_set_member_name (b, "n_obs");
  json_builder_add_int_value (b, r->n_periods);
  sextant_json_add_double (b, "periods_per_year", o->periods_per_year);
  sextant_json_add_double (b, "cost_bps", o->cost_bps);
  sextant_json_add_double (b, "final_wealth", r->wealth[r->n_periods]);
  sextant_json_add_double (b, "cagr", r->cagr);
  sextant_json_add_double (b, "volatility", r->volatility);
  sextant_json_add_double (b, "sharpe", r->sharpe);
  sextant_json_add_double (b, "max_drawdown", r->max_drawdown);
  sextant_json_add_double (b, "turnover", r->turnover);
  sextant_json_add_double (b, "turnover_annualised", r->turnover_annualised);
  json_builder_set_member_name (b, "rebalances");
  json_builder_add_int_value (b, r->n_rebalances);
  sextant_json_add_double (b, "total_cost", r->total_cost);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

int
sextant_cli_backtest_main (int    argc,
                           char **argv)
{
  g_auto(BacktestOptions) o = { .periods_per_year = 252 };
  const GOptionEntry entries[] = {
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &o.prices, "Wide CSV of prices (date, one column per symbol)", "FILE" },
    { "returns", 0, 0, G_OPTION_ARG_FILENAME, &o.returns, "Wide CSV of returns instead of prices", "FILE" },
    { "weights", 0, 0, G_OPTION_ARG_STRING, &o.weights, "Target weights, summing to 1", "S=w,…" },
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &o.strategy, "buy-and-hold, periodic:monthly, periodic:quarterly or threshold:X", "STRATEGY" },
    { "cost", 0, 0, G_OPTION_ARG_DOUBLE, &o.cost_bps, "Transaction cost in basis points of the value traded (default 0)", "BPS" },
    { "periods-per-year", 0, 0, G_OPTION_ARG_DOUBLE, &o.periods_per_year, "Annualisation factor (default 252)", "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, "Output format: text or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- backtest a rebalancing strategy");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_auto(GStrv) symbols = NULL;
  g_autofree double *targets = NULL;
  g_auto(SextantCliReturns) in = { 0 };
  g_auto(SextantBacktestResult) result = { 0 };
  SextantRebalance rebalance;
  SextantCliFormat format;
  double threshold;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_check_numbers (entries, argc, argv, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "backtest", error);
  if (!sextant_cli_parse_options (context, &argc, &argv, "backtest", &exit_code))
    return exit_code;
  if ((o.prices == NULL) == (o.returns == NULL))
    return sextant_cli_usage_error (context, "backtest", "give exactly one of --prices FILE and --returns FILE");
  if (!sextant_check_periods_per_year (o.periods_per_year, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "backtest", error);
  if (o.weights == NULL || o.strategy == NULL)
    return sextant_cli_usage_error (context, "backtest", "--weights and --strategy are required");
  if (!sextant_cli_parse_format (o.format, 1u << SEXTANT_CLI_FORMAT_TEXT | 1u << SEXTANT_CLI_FORMAT_JSON,
                                 &format, &error) ||
      !parse_strategy (o.strategy, &rebalance, &threshold, &error) ||
      !sextant_cli_parse_assignments (o.weights, "--weights", &symbols, &targets, &error))
    return sextant_cli_fail (-1, "backtest", error);

  if (!sextant_cli_load_returns (o.prices, o.returns, (const char * const *) symbols, NULL, NULL,
                                 &in, &error) ||
      !sextant_backtest_run (in.assets, targets, rebalance, threshold, o.cost_bps,
                             o.periods_per_year, &result, &error))
    return sextant_cli_fail (-1, "backtest", error);

  json = build_result (&o, &in, targets, &result);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    sextant_cli_print_json (json);
  else
    sextant_cli_print_table (json);

  return SEXTANT_CLI_EXIT_OK;
}
