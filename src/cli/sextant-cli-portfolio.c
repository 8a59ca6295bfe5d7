#define G_LOG_DOMAIN "sextant-cli-portfolio"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isnan (value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, value);
}

static int
list_portfolios (SextantPortfolioStore *portfolios,
                 SextantCliFormat       format)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = sextant_portfolio_store_list_names (portfolios, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (names == NULL)
    return sextant_cli_fail (-1, "portfolio", error);
  if (format == SEXTANT_CLI_FORMAT_TEXT)
    {
      for (guint i = 0; names[i] != NULL; i++)
        printf ("%s\n", names[i]);
      return SEXTANT_CLI_EXIT_OK;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);

  return SEXTANT_CLI_EXIT_OK;
}

static void
print_json (SextantPortfolio *portfolio)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, sextant_portfolio_get_name (portfolio));
  json_builder_set_member_name (builder, "benchmark");
  json_builder_add_string_value (builder, sextant_portfolio_get_benchmark (portfolio));
  json_builder_set_member_name (builder, "holdings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "symbol");
      json_builder_add_string_value (builder, h->symbol);
      add_number (builder, "quantity", h->quantity);
      add_number (builder, "weight", h->weight);
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, h->currency);
      add_number (builder, "min_weight", h->min_weight);
      add_number (builder, "max_weight", h->max_weight);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

static void
print_text (SextantPortfolio *portfolio)
{
  const char *benchmark = sextant_portfolio_get_benchmark (portfolio);

  printf ("%s%s%s\n", sextant_portfolio_get_name (portfolio), benchmark != NULL ? ", benchmark " : "",
          benchmark != NULL ? benchmark : "");
  printf ("%-10s %12s %8s %-4s %6s %6s\n", "symbol", "quantity", "weight", "ccy", "min", "max");
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      printf ("%-10s %12.6g %8.4g %-4s %6.3g %6.3g\n", h->symbol, h->quantity, h->weight,
              h->currency, h->min_weight, h->max_weight);
    }
}

static int
show_portfolio (SextantPortfolioStore *portfolios,
                const char            *name,
                SextantCliFormat       format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_store_load (portfolios, name, &error);

  /* An unknown name is the user's input, not a storage failure. */
  if (portfolio == NULL)
    return sextant_cli_fail (g_error_matches (error, SEXTANT_STORE_ERROR,
                                              SEXTANT_STORE_ERROR_NOT_FOUND)
                             ? SEXTANT_CLI_EXIT_INPUT : -1, "portfolio", error);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (portfolio);
  else
    print_text (portfolio);

  return SEXTANT_CLI_EXIT_OK;
}

/**
 * sextant_cli_portfolio_main:
 *
 * `sextant-cli portfolio list|show NAME [--format text|json]`. The demo portfolio is seeded into
 * a database that has none.
 */
int
sextant_cli_portfolio_main (int    argc,
                            char **argv)
{
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format", "text|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("list | show NAME");
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(GError) error = NULL;
  SextantCliFormat format;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "List the saved portfolios, or show one's holdings.");
  if (!sextant_cli_parse_options (context, &argc, &argv, "portfolio", &exit_code))
    return exit_code;
  if (!sextant_cli_parse_format (format_text, (1 << SEXTANT_CLI_FORMAT_TEXT) |
                                 (1 << SEXTANT_CLI_FORMAT_JSON), &format, &error))
    return sextant_cli_usage_error (context, "portfolio", error->message);
  if (!(argc == 2 && g_str_equal (argv[1], "list")) &&
      !(argc == 3 && g_str_equal (argv[1], "show")))
    return sextant_cli_usage_error (context, "portfolio", "expected “list” or “show NAME”");

  if ((store = sextant_schema_open_default (&error)) == NULL)
    return sextant_cli_fail (-1, "portfolio", error);
  portfolios = sextant_portfolio_store_new (store);
  if (!sextant_portfolio_store_ensure_demo (portfolios, &error))
    return sextant_cli_fail (-1, "portfolio", error);

  if (argc == 2)
    return list_portfolios (portfolios, format);

  return show_portfolio (portfolios, argv[2], format);
}
