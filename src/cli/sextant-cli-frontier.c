#define G_LOG_DOMAIN "sextant-cli-frontier"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"
#include "sextant-cli-risk-input.h"

typedef struct
{
  char    *prices;
  char    *returns;
  char    *bounds;
  char    *format;
  char    *covariance;
  char   **exclude;
  int      points;
  double   periods_per_year;
} FrontierOptions;

static void
frontier_options_clear (FrontierOptions *o)
{
  g_free (o->prices);
  g_free (o->returns);
  g_free (o->bounds);
  g_free (o->format);
  g_free (o->covariance);
  g_strfreev (o->exclude);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FrontierOptions, frontier_options_clear)

static void
print_csv (SextantCliReturns *in,
           gsize              points,
           const double      *ret,
           const double      *vol,
           const double      *w)
{
  gsize k = in->assets->n_assets;

  printf ("target_return,volatility");
  for (gsize j = 0; j < k; j++)
    printf (",%s", in->assets->names[j]);
  printf ("\n");
  for (gsize p = 0; p < points; p++)
    {
      printf ("%.17g,%.17g", ret[p], vol[p]);
      for (gsize j = 0; j < k; j++)
        printf (",%.17g", w[p * k + j]);
      printf ("\n");
    }
}

static JsonNode *
build_json (FrontierOptions   *o,
            SextantCliReturns *in,
            gsize              points,
            const double      *ret,
            const double      *vol,
            const double      *w)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gsize k = in->assets->n_assets;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "periods_per_year");
  json_builder_add_double_value (b, o->periods_per_year);
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (gsize p = 0; p < points; p++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "target_return");
      json_builder_add_double_value (b, ret[p]);
      json_builder_set_member_name (b, "volatility");
      json_builder_add_double_value (b, vol[p]);
      json_builder_set_member_name (b, "annualised");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "expected_return");
      json_builder_add_double_value (b, ret[p] * o->periods_per_year);
      json_builder_set_member_name (b, "volatility");
      json_builder_add_double_value (b, vol[p] * sqrt (o->periods_per_year));
      json_builder_end_object (b);
      json_builder_set_member_name (b, "weights");
      json_builder_add_value (b, sextant_cli_weights_object (in->assets, w + p * k));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

int
sextant_cli_frontier_main (int    argc,
                           char **argv)
{
  g_auto(FrontierOptions) o = { .points = 20, .periods_per_year = 252 };
  const GOptionEntry entries[] = {
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &o.prices, "Wide CSV of prices (date, one column per symbol)", "FILE" },
    { "returns", 0, 0, G_OPTION_ARG_FILENAME, &o.returns, "Wide CSV of returns instead of prices", "FILE" },
    { "points", 0, 0, G_OPTION_ARG_INT, &o.points, "Number of frontier portfolios (default 20)", "N" },
    { "bounds", 0, 0, G_OPTION_ARG_STRING, &o.bounds, "Minimum and maximum weight of every asset (default 0,1)", "MIN,MAX" },
    { "exclude", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.exclude, "A column that is not an asset, e.g. a benchmark (repeatable)", "COLUMN" },
    { "covariance", 0, 0, G_OPTION_ARG_STRING, &o.covariance, "sample (default) or ledoit-wolf", "KIND" },
    { "periods-per-year", 0, 0, G_OPTION_ARG_DOUBLE, &o.periods_per_year, "Annualisation factor (default 252)", "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, "Output format: json (default) or csv", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- efficient frontier, minimum variance to the largest return");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantOptimizer) opt = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree double *ret = NULL, *vol = NULL, *w = NULL;
  g_auto(SextantCliReturns) in = { 0 };
  SextantCliFormat format;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_check_numbers (entries, argc, argv, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "frontier", error);
  if (!sextant_cli_parse_options (context, &argc, &argv, "frontier", &exit_code))
    return exit_code;
  if ((o.prices == NULL) == (o.returns == NULL))
    return sextant_cli_usage_error (context, "frontier", "give exactly one of --prices FILE and --returns FILE");
  if (!sextant_check_periods_per_year (o.periods_per_year, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "frontier", error);
  if (o.points < 2 || o.points > 100000)
    return sextant_cli_usage_error (context, "frontier", "--points must be between 2 and 100000");
  if (!sextant_cli_parse_format (o.format != NULL ? o.format : "json",
                                 1u << SEXTANT_CLI_FORMAT_JSON | 1u << SEXTANT_CLI_FORMAT_CSV,
                                 &format, &error))
    return sextant_cli_fail (-1, "frontier", error);

  opt = sextant_cli_make_optimizer (o.prices, o.returns, (const char * const *) o.exclude, o.bounds,
                                    o.covariance, &in, &error);
  if (opt == NULL)
    return sextant_cli_fail (-1, "frontier", error);
  ret = g_new (double, o.points);
  vol = g_new (double, o.points);
  w = g_new (double, (gsize) o.points * in.assets->n_assets);
  if (!sextant_optimizer_frontier (opt, o.points, ret, vol, w, &error))
    return sextant_cli_fail (-1, "frontier", error);

  if (format == SEXTANT_CLI_FORMAT_CSV)
    print_csv (&in, o.points, ret, vol, w);
  else
    {
      json = build_json (&o, &in, o.points, ret, vol, w);
      sextant_cli_print_json (json);
    }

  return SEXTANT_CLI_EXIT_OK;
}
