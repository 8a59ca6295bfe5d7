#define G_LOG_DOMAIN "sextant-cli-import"

#include "config.h"

#include <stdio.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

/* Shown on stderr; the full lists go to --format json. */
#define MAX_LISTED 20

static void
add_problems (JsonBuilder        *builder,
              const char         *name,
              SextantCsvImporter *importer,
              gboolean            gaps)
{
  guint n = gaps ? sextant_csv_importer_get_n_gaps (importer)
                 : sextant_csv_importer_get_n_rejected (importer);

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      const SextantCsvProblem *p = gaps ? sextant_csv_importer_get_gap (importer, i)
                                        : sextant_csv_importer_get_rejected (importer, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, p->line);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, p->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_json_report (SextantCsvImporter *importer,
                   const char         *file,
                   const char         *portfolio,
                   gsize               n_imported)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *mapping = sextant_csv_importer_describe (importer);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, file);
  json_builder_set_member_name (builder, portfolio != NULL ? "portfolio" : "bars");
  if (portfolio != NULL)
    json_builder_add_string_value (builder, portfolio);
  else
    json_builder_add_int_value (builder, n_imported);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, n_imported);
  json_builder_set_member_name (builder, "mapping");
  json_builder_add_string_value (builder, mapping);
  add_problems (builder, "rejected", importer, FALSE);
  add_problems (builder, "gaps", importer, TRUE);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

static void
print_problems (SextantCsvImporter *importer)
{
  guint n_rejected = sextant_csv_importer_get_n_rejected (importer);
  guint n_gaps = sextant_csv_importer_get_n_gaps (importer);

  for (guint i = 0; i < MIN (n_rejected, MAX_LISTED); i++)
    fprintf (stderr, "sextant-cli import: rejected: %s\n",
             sextant_csv_importer_get_rejected (importer, i)->message);
  if (n_rejected > MAX_LISTED)
    fprintf (stderr, "sextant-cli import: … and %u more rejected rows (see --format json)\n",
             n_rejected - MAX_LISTED);
  for (guint i = 0; i < MIN (n_gaps, MAX_LISTED); i++)
    fprintf (stderr, "sextant-cli import: gap kept as missing: %s\n",
             sextant_csv_importer_get_gap (importer, i)->message);
  if (n_gaps > MAX_LISTED)
    fprintf (stderr, "sextant-cli import: … and %u more gaps\n", n_gaps - MAX_LISTED);
}

static gboolean
import_holdings (SextantStore        *store,
                 SextantCsvImporter  *importer,
                 const char          *name,
                 gsize               *n_imported,
                 GError             **error)
{
  g_autoptr(SextantPortfolioStore) portfolios = sextant_portfolio_store_new (store);
  g_autoptr(SextantPortfolio) portfolio = sextant_csv_importer_read_holdings (importer, name, error);
  g_autoptr(SextantPortfolio) existing = NULL;

  if (portfolio == NULL)
    return FALSE;
  /* The file replaces the holdings of an existing portfolio, not its base currency (a file has
   * none) or benchmark. */
  if ((existing = sextant_portfolio_store_load (portfolios, name, NULL)) != NULL)
    {
      sextant_portfolio_set_base_currency (portfolio, sextant_portfolio_get_base_currency (existing));
      sextant_portfolio_set_benchmark (portfolio, sextant_portfolio_get_benchmark (existing));
    }
  if (!sextant_portfolio_store_save (portfolios, portfolio, error))
    return FALSE;
  *n_imported = sextant_portfolio_get_n_holdings (portfolio);

  return TRUE;
}

static gboolean
import_file (SextantCsvImporter  *importer,
             const char          *portfolio,
             gsize               *n_imported,
             GError             **error)
{
  g_autoptr(SextantStore) store = sextant_schema_open_default (error);
  g_autoptr(SextantMarketCache) cache = NULL;

  if (store == NULL)
    return FALSE;
  if (portfolio != NULL)
    return import_holdings (store, importer, portfolio, n_imported, error);

  cache = sextant_market_cache_new (store);
  /* Demo first, so that a later first use does not think the cache was never seeded. */
  return sextant_market_cache_ensure_demo (cache, error) &&
         sextant_csv_importer_import_prices (importer, cache, n_imported, error);
}

/**
 * sextant_cli_import_main:
 *
 * `sextant-cli import FILE [--portfolio NAME]`: prices into the cache (provider `csv`), or, with
 * `--portfolio`, holdings into the named portfolio. Rejected rows are listed with their line;
 * the readable rows stay imported and the exit code is 3 when any row was rejected.
 */
int
sextant_cli_import_main (int    argc,
                         char **argv)
{
  g_autofree char *portfolio = NULL;
  g_autofree char *symbol = NULL;
  g_autofree char *date_format_text = NULL;
  g_autofree char *format_text = NULL;
  gboolean preview = FALSE;
  const GOptionEntry entries[] = {
    { "portfolio", 0, 0, G_OPTION_ARG_STRING, &portfolio, "Import holdings into this portfolio", "NAME" },
    { "symbol", 0, 0, G_OPTION_ARG_STRING, &symbol, "Symbol of a one-instrument price file", "SYMBOL" },
    { "date-format", 0, 0, G_OPTION_ARG_STRING, &date_format_text, "Date format when ambiguous", "iso|us|eu|eu-dot|eu-dash|day-month|month-day|compact|unix" },
    { "preview", 0, 0, G_OPTION_ARG_NONE, &preview, "Show the detected mapping, import nothing", NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format", "text|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  SextantDateFormat date_format = SEXTANT_DATE_FORMAT_UNKNOWN;
  SextantCliFormat format;
  gsize n_imported = 0;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Import daily prices (single, long or wide CSV) into the "
                                         "cache, or holdings into a portfolio.");
  if (!sextant_cli_parse_options (context, &argc, &argv, "import", &exit_code))
    return exit_code;
  if (argc != 2)
    return sextant_cli_usage_error (context, "import", "expected one FILE");
  if (symbol != NULL && !sextant_cli_valid_symbol (symbol))
    return sextant_cli_usage_error (context, "import", "--symbol must be letters, digits and "
                                                       ".^=_-:&/ (at most 32), such as MSFT");
  if (!sextant_cli_parse_format (format_text, (1 << SEXTANT_CLI_FORMAT_TEXT) |
                                 (1 << SEXTANT_CLI_FORMAT_JSON), &format, &error))
    return sextant_cli_usage_error (context, "import", error->message);
  if (date_format_text != NULL && !sextant_date_format_from_name (date_format_text, &date_format))
    return sextant_cli_usage_error (context, "import", "--date-format must be iso, us, eu, "
                                                       "eu-dot, eu-dash, day-month, month-day, "
                                                       "compact or unix");

  if ((importer = sextant_csv_importer_new_for_file (argv[1], date_format, &error)) == NULL)
    return sextant_cli_fail (-1, "import", error);
  if (symbol != NULL)
    sextant_csv_importer_set_symbol (importer, symbol);
  if (preview)
    {
      g_autofree char *mapping = sextant_csv_importer_describe (importer);

      fputs (mapping, stdout);
      return SEXTANT_CLI_EXIT_OK;
    }
  if (!import_file (importer, portfolio, &n_imported, &error))
    return sextant_cli_fail (-1, "import", error);

  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json_report (importer, argv[1], portfolio, n_imported);
  else
    {
      print_problems (importer);
      printf ("Imported %" G_GSIZE_FORMAT " %s from %s", n_imported,
              portfolio != NULL ? "holdings" : "bars", argv[1]);
      if (sextant_csv_importer_get_layout (importer) == SEXTANT_CSV_LAYOUT_SINGLE)
        printf (" as %s", sextant_csv_importer_get_symbol (importer));
      printf ("\n");
    }

  return sextant_csv_importer_get_n_rejected (importer) > 0 ? SEXTANT_CLI_EXIT_INPUT
                                                            : SEXTANT_CLI_EXIT_OK;
}
