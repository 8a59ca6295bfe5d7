#define G_LOG_DOMAIN "sextant-cli-portfolio"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-cli-book.h"
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
    return sextant_cli_fail (-1, "portfolio list", error);
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

/* A holding whose symbol has no stored close is kept, and shown as needing prices. */
static gboolean
needs_prices (SextantMarketCache *cache,
              const char         *symbol)
{
  SextantBarCoverage coverage = { 0 };

  return !sextant_market_cache_get_coverage (cache, symbol, &coverage, NULL) || coverage.n_bars == 0;
}

/* The terms as `sextant-cli bond` takes them: percent, ISO dates, day count names; spread in bp. */
static void
add_bond_terms (JsonBuilder          *builder,
                const SextantHolding *h)
{
  g_autofree char *maturity = sextant_day_format_iso (h->bond.maturity);

  add_number (builder, "coupon", h->bond.coupon * 100);
  sextant_json_add_string (builder, "maturity", maturity);
  sextant_json_add_int (builder, "frequency", h->bond.frequency);
  sextant_json_add_string (builder, "day_count", sextant_day_count_name (h->bond.day_count));
  add_number (builder, "spread_bp", h->spread * 1e4);
}

static void
print_json (SextantPortfolio   *portfolio,
            SextantMarketCache *cache)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  sextant_json_add_string (builder, "name", sextant_portfolio_get_name (portfolio));
  sextant_json_add_string (builder, "benchmark", sextant_portfolio_get_benchmark (portfolio));
  sextant_json_add_string (builder, "base_currency", sextant_portfolio_get_base_currency (portfolio));
  json_builder_set_member_name (builder, "holdings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      json_builder_begin_object (builder);
      sextant_json_add_string (builder, "symbol", h->symbol);
      add_number (builder, "quantity", h->quantity);
      add_number (builder, "weight", h->weight);
      sextant_json_add_string (builder, "currency", h->currency);
      add_number (builder, "min_weight", h->min_weight);
      add_number (builder, "max_weight", h->max_weight);
      add_number (builder, "cost_basis", h->cost_basis);
      sextant_json_add_boolean (builder, "needs_prices", h->kind == SEXTANT_HOLDING_EQUITY &&
                                               needs_prices (cache, h->symbol));
      sextant_json_add_string (builder, "kind", sextant_holding_kind_name (h->kind));
      if (h->kind == SEXTANT_HOLDING_BOND)
        add_bond_terms (builder, h);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

/* A holding has shares or a weight, and may have no cost basis: what it lacks is NaN in the
 * core, null in JSON, and “-” here, never “nan”. */
static char *
cell (int    digits,
      double value)
{
  return isnan (value) ? g_strdup ("-") : g_strdup_printf ("%.*g", digits, value);
}

static void
print_text (SextantPortfolio   *portfolio,
            SextantMarketCache *cache)
{
  const char *benchmark = sextant_portfolio_get_benchmark (portfolio);

  printf ("%s%s%s\n", sextant_portfolio_get_name (portfolio), benchmark != NULL ? ", benchmark " : "",
          benchmark != NULL ? benchmark : "");
  printf ("%-10s %12s %8s %-4s %6s %6s %10s\n", "symbol", "quantity", "weight", "ccy", "min", "max",
          "cost");
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      g_autofree char *quantity = cell (6, h->quantity);
      g_autofree char *weight = cell (4, h->weight);
      g_autofree char *cost = cell (6, h->cost_basis);

      printf ("%-10s %12s %8s %-4s %6.3g %6.3g %10s%s\n", h->symbol, quantity, weight,
              h->currency, h->min_weight, h->max_weight, cost,
              h->kind == SEXTANT_HOLDING_BOND ? "  bond"
              : h->kind == SEXTANT_HOLDING_CASH ? "  cash"
              : needs_prices (cache, h->symbol) ? "  needs prices" : "");
    }
}

/* Every action opens the database as the app does: seeded with the demo portfolio on its
 * first use. */
static SextantStore *
open_store (const char  *action,
            int         *exit_code)
{
  g_autoptr(GError) error = NULL;
  SextantStore *store = sextant_cli_open_book_store (&error);

  if (store == NULL)
    *exit_code = sextant_cli_fail (-1, action, error);

  return store;
}

static SextantPortfolio *
load (SextantPortfolioStore *portfolios,
      const char            *action,
      const char            *name,
      int                   *exit_code)
{
  g_autoptr(GError) error = NULL;
  SextantPortfolio *portfolio = sextant_portfolio_store_load (portfolios, name, &error);

  if (portfolio == NULL)
    *exit_code = sextant_cli_fail (sextant_cli_book_exit_for_error (error), action, error);

  return portfolio;
}

static int
show_portfolio (SextantStore     *store,
                const char       *name,
                SextantCliFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = sextant_portfolio_store_new (store);
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  int exit_code;

  /* An unknown name is the user's input, not a storage failure. */
  if ((portfolio = load (portfolios, "portfolio show", name, &exit_code)) == NULL)
    return exit_code;
  /* The demo closes count as stored prices from the first use on, as for every price command. */
  cache = sextant_market_cache_new (store);
  if (!sextant_market_cache_ensure_demo (cache, &error))
    return sextant_cli_fail (-1, "portfolio show", error);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (portfolio, cache);
  else
    print_text (portfolio, cache);

  return SEXTANT_CLI_EXIT_OK;
}

/* Each action has its own options and --help, as `sextant-cli portfolio ACTION`. */
static GOptionContext *
action_context (const char         *action,
                const char         *parameters,
                const char         *summary,
                const GOptionEntry *entries)
{
  g_autofree char *prgname = g_strdup_printf ("sextant-cli portfolio %s", action);
  GOptionContext *context = g_option_context_new (parameters);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);

  return context;
}

static int
list_action (int    argc,
             char **argv)
{
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format", "text|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = action_context ("list", NULL, "List the saved portfolios.", entries);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(GError) error = NULL;
  SextantCliFormat format;
  int exit_code;

  if (!sextant_cli_parse_options (context, &argc, &argv, "portfolio list", &exit_code))
    return exit_code;
  if (!sextant_cli_parse_format (format_text, (1 << SEXTANT_CLI_FORMAT_TEXT) |
                                 (1 << SEXTANT_CLI_FORMAT_JSON), &format, &error))
    return sextant_cli_usage_error (context, "portfolio list", error->message);
  if (argc != 1)
    return sextant_cli_usage_error (context, "portfolio list", "“list” takes no argument");
  if ((store = open_store ("portfolio list", &exit_code)) == NULL)
    return exit_code;
  portfolios = sextant_portfolio_store_new (store);

  return list_portfolios (portfolios, format);
}

static int
show_action (int    argc,
             char **argv)
{
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format", "text|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    action_context ("show", "NAME", "Show a portfolio's holdings; a holding with no stored "
                    "prices is marked “needs prices”.", entries);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  SextantCliFormat format;
  int exit_code;

  if (!sextant_cli_parse_options (context, &argc, &argv, "portfolio show", &exit_code))
    return exit_code;
  if (!sextant_cli_parse_format (format_text, (1 << SEXTANT_CLI_FORMAT_TEXT) |
                                 (1 << SEXTANT_CLI_FORMAT_JSON), &format, &error))
    return sextant_cli_usage_error (context, "portfolio show", error->message);
  if (argc != 2)
    return sextant_cli_usage_error (context, "portfolio show", "expected “show NAME”");
  if ((store = open_store ("portfolio show", &exit_code)) == NULL)
    return exit_code;

  return show_portfolio (store, argv[1], format);
}

static gboolean
valid_name (const char *name)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name));

  return g_utf8_validate (name, -1, NULL) && *stripped != '\0' && g_str_equal (stripped, name);
}

static gboolean
valid_currency (const char *code)
{
  if (strlen (code) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_isalpha (code[i]))
      return FALSE;

  return TRUE;
}

static int
create_action (int    argc,
               char **argv)
{
  g_autofree char *currency = NULL, *benchmark = NULL;
  const GOptionEntry entries[] = {
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, "Base currency, an ISO 4217 code (default USD)", "CUR" },
    { "benchmark", 0, 0, G_OPTION_ARG_STRING, &benchmark, "Benchmark symbol, such as ^GSPC", "SYM" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    action_context ("create", "NAME", "Create an empty portfolio.", entries);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  if (!sextant_cli_parse_options (context, &argc, &argv, "portfolio create", &exit_code))
    return exit_code;
  if (argc != 2)
    return sextant_cli_usage_error (context, "portfolio create", "expected “create NAME”");
  if (!valid_name (argv[1]))
    return sextant_cli_usage_error (context, "portfolio create",
                                    "a portfolio name must be non-empty text without leading or trailing spaces");
  if (currency != NULL && !valid_currency (currency))
    return sextant_cli_usage_error (context, "portfolio create",
                                    "--currency takes an ISO 4217 code such as USD or EUR");
  if (benchmark != NULL && !sextant_cli_valid_symbol (benchmark))
    return sextant_cli_usage_error (context, "portfolio create",
                                    "--benchmark needs a symbol (letters, digits and .^=_-:&/, "
                                    "at most 32), such as ^GSPC");
  if ((store = open_store ("portfolio create", &exit_code)) == NULL)
    return exit_code;

  portfolios = sextant_portfolio_store_new (store);
  portfolio = sextant_portfolio_new (argv[1]);
  if (currency != NULL)
    {
      g_autofree char *upper = g_ascii_strup (currency, -1);

      sextant_portfolio_set_base_currency (portfolio, upper);
    }
  sextant_portfolio_set_benchmark (portfolio, benchmark);
  if (!sextant_portfolio_store_create (portfolios, portfolio, &error))
    return sextant_cli_fail (sextant_cli_book_exit_for_error (error), "portfolio create", error);
  printf ("Created portfolio “%s” (%s)\n", argv[1], sextant_portfolio_get_base_currency (portfolio));

  return SEXTANT_CLI_EXIT_OK;
}

static int
rename_action (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context =
    action_context ("rename", "OLD NEW", "Rename a portfolio; its holdings and saved results follow it.", NULL);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  if (!sextant_cli_parse_options (context, &argc, &argv, "portfolio rename", &exit_code))
    return exit_code;
  if (argc != 3)
    return sextant_cli_usage_error (context, "portfolio rename", "expected “rename OLD NEW”");
  if (!valid_name (argv[2]))
    return sextant_cli_usage_error (context, "portfolio rename",
                                    "a portfolio name must be non-empty text without leading or trailing spaces");
  if ((store = open_store ("portfolio rename", &exit_code)) == NULL)
    return exit_code;

  portfolios = sextant_portfolio_store_new (store);
  if (!sextant_portfolio_store_rename (portfolios, argv[1], argv[2], &error))
    return sextant_cli_fail (sextant_cli_book_exit_for_error (error), "portfolio rename", error);
  printf ("Renamed portfolio “%s” to “%s”\n", argv[1], argv[2]);

  return SEXTANT_CLI_EXIT_OK;
}

static int
delete_action (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context =
    action_context ("delete", "NAME", "Delete a portfolio and its holdings; its saved results are kept.", NULL);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  if (!sextant_cli_parse_options (context, &argc, &argv, "portfolio delete", &exit_code))
    return exit_code;
  if (argc != 2)
    return sextant_cli_usage_error (context, "portfolio delete", "expected “delete NAME”");
  if ((store = open_store ("portfolio delete", &exit_code)) == NULL)
    return exit_code;

  portfolios = sextant_portfolio_store_new (store);
  if (!sextant_portfolio_store_delete (portfolios, argv[1], &error))
    return sextant_cli_fail (sextant_cli_book_exit_for_error (error), "portfolio delete", error);
  printf ("Deleted portfolio “%s”\n", argv[1]);

  return SEXTANT_CLI_EXIT_OK;
}

/* More units than any listed company has shares (the largest have about 2·10¹⁰), and a price
 * above that in any currency, are typing errors; their market values would overflow nothing but
 * mean nothing either. */
#define MAX_UNITS 1e12

typedef struct
{
  double shares;
  double weight;
  double min;
  double max;
  double cost_basis;
} HoldingOptions;

static const char *
check_holding (const HoldingOptions *h)
{
  if (isnan (h->shares) == isnan (h->weight))
    return "give exactly one of --shares N and --weight W";
  if (!isnan (h->shares) && !(h->shares > 0 && h->shares <= MAX_UNITS))
    return "--shares must be a positive number of at most 10¹² (short positions are not supported)";
  if (!isnan (h->weight) && !(h->weight > 0 && h->weight <= 1))
    return "--weight must be more than 0 and at most 1";
  if (!(h->min >= 0 && h->min <= 1) || !(h->max >= 0 && h->max <= 1))
    return "--min and --max must be between 0 and 1";
  if (h->min > h->max)
    return "--min must not be more than --max";
  if (!isnan (h->cost_basis) && !(h->cost_basis >= 0 && h->cost_basis <= MAX_UNITS))
    return "--cost-basis must be a price of 0 or more, at most 10¹²";

  return NULL;
}

/* The holding's currency is its instrument's when the cache knows it, else the portfolio's. */
static int
save_holding (SextantStore         *store,
              const char           *name,
              const char           *symbol,
              const HoldingOptions *o)
{
  g_autoptr(SextantPortfolioStore) portfolios = sextant_portfolio_store_new (store);
  g_autoptr(SextantMarketCache) cache = sextant_market_cache_new (store);
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;
  gboolean replaced;
  guint index;
  int exit_code;

  if ((portfolio = load (portfolios, "portfolio add", name, &exit_code)) == NULL)
    return exit_code;
  if (!sextant_market_cache_ensure_demo (cache, &error))
    return sextant_cli_fail (-1, "portfolio add", error);
  if ((currency = sextant_market_cache_dup_currency (cache, symbol)) == NULL)
    currency = g_strdup (sextant_portfolio_get_base_currency (portfolio));
  replaced = sextant_portfolio_find_holding (portfolio, symbol) >= 0;
  sextant_portfolio_add_holding (portfolio, symbol, o->shares, o->weight, currency);
  index = sextant_portfolio_get_n_holdings (portfolio) - 1;
  sextant_portfolio_set_bounds (portfolio, index, o->min, o->max);
  sextant_portfolio_set_cost_basis (portfolio, index, o->cost_basis);
  if (!sextant_portfolio_store_save (portfolios, portfolio, &error))
    return sextant_cli_fail (-1, "portfolio add", error);

  printf ("%s %s %s “%s”\n", replaced ? "Updated" : "Added", symbol, replaced ? "in" : "to", name);
  if (needs_prices (cache, symbol))
    fprintf (stderr, "sextant-cli portfolio add: %s needs prices: none are stored yet; import "
                     "them (sextant-cli import FILE) or fetch them (sextant-cli history %s)\n",
             symbol, symbol);

  return SEXTANT_CLI_EXIT_OK;
}

static int
add_action (int    argc,
            char **argv)
{
  HoldingOptions h = { NAN, NAN, 0, 1, NAN };
  const GOptionEntry entries[] = {
    { "shares", 0, 0, G_OPTION_ARG_DOUBLE, &h.shares, "Units held; weighted by market value", "N" },
    { "weight", 0, 0, G_OPTION_ARG_DOUBLE, &h.weight, "A fixed fraction of the portfolio instead", "W" },
    { "min", 0, 0, G_OPTION_ARG_DOUBLE, &h.min, "Lowest weight when optimizing (default 0)", "W" },
    { "max", 0, 0, G_OPTION_ARG_DOUBLE, &h.max, "Highest weight when optimizing (default 1)", "W" },
    { "cost-basis", 0, 0, G_OPTION_ARG_DOUBLE, &h.cost_basis, "Price paid per unit", "PRICE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    action_context ("add", "NAME SYMBOL (--shares N | --weight W)",
                    "Add a holding to a portfolio, or update the one of that symbol. A symbol "
                    "with no stored prices is kept and shown as needing prices.", entries);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *symbol = NULL;
  const char *problem;
  int exit_code;

  if (!sextant_cli_check_numbers (entries, argc, argv, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "portfolio add", error);
  if (!sextant_cli_parse_options (context, &argc, &argv, "portfolio add", &exit_code))
    return exit_code;
  if (argc != 3 || *argv[2] == '\0')
    return sextant_cli_usage_error (context, "portfolio add", "expected “add NAME SYMBOL”");
  if (!sextant_cli_valid_symbol (argv[2]))
    return sextant_cli_usage_error (context, "portfolio add",
                                    "SYMBOL must be letters, digits and .^=_-:&/ (at most 32), "
                                    "such as MSFT or BRK-B");
  if ((problem = check_holding (&h)) != NULL)
    return sextant_cli_usage_error (context, "portfolio add", problem);
  if ((store = open_store ("portfolio add", &exit_code)) == NULL)
    return exit_code;

  /* Tickers are upper case in the cache, whatever case they are typed in. */
  symbol = g_ascii_strup (argv[2], -1);

  return save_holding (store, argv[1], symbol, &h);
}

static int
remove_action (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context =
    action_context ("remove", "NAME SYMBOL", "Remove a holding from a portfolio.", NULL);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  if (!sextant_cli_parse_options (context, &argc, &argv, "portfolio remove", &exit_code))
    return exit_code;
  if (argc != 3)
    return sextant_cli_usage_error (context, "portfolio remove", "expected “remove NAME SYMBOL”");
  if ((store = open_store ("portfolio remove", &exit_code)) == NULL)
    return exit_code;

  portfolios = sextant_portfolio_store_new (store);
  if ((portfolio = load (portfolios, "portfolio remove", argv[1], &exit_code)) == NULL)
    return exit_code;
  if (!sextant_portfolio_remove_holding (portfolio, argv[2]))
    {
      fprintf (stderr, "sextant-cli portfolio remove: the portfolio “%s” holds no %s\n", argv[1],
               argv[2]);
      return SEXTANT_CLI_EXIT_INPUT;
    }
  if (!sextant_portfolio_store_save (portfolios, portfolio, &error))
    return sextant_cli_fail (-1, "portfolio remove", error);
  printf ("Removed %s from “%s”\n", argv[2], argv[1]);

  return SEXTANT_CLI_EXIT_OK;
}

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *usage;
} actions[] = {
  { "list", list_action, "list [--format text|json]" },
  { "show", show_action, "show NAME [--format text|json]" },
  { "create", create_action, "create NAME [--currency CUR] [--benchmark SYM]" },
  { "rename", rename_action, "rename OLD NEW" },
  { "delete", delete_action, "delete NAME" },
  { "add", add_action, "add NAME SYMBOL (--shares N | --weight W) [--min W] [--max W] [--cost-basis PRICE]" },
  { "remove", remove_action, "remove NAME SYMBOL" },
};

static char *
describe_actions (void)
{
  GString *text = g_string_new ("Actions:\n");

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_string_append_printf (text, "  %s\n", actions[i].usage);
  g_string_append (text, "\nRun “sextant-cli portfolio ACTION --help” for an action's options.\n"
                         "Exit codes: 1 failure, 2 bad usage, 3 no such portfolio or holding, name "
                         "taken, 8 storage.\n");

  return g_string_free (text, FALSE);
}

/**
 * sextant_cli_portfolio_main:
 *
 * `sextant-cli portfolio list|show|create|rename|delete|add|remove …`. Each action has its own
 * options and --help; the database is seeded with the demo portfolio on its first use.
 * `portfolio --format json list` (options before the action) still works for list and show.
 */
int
sextant_cli_portfolio_main (int    argc,
                            char **argv)
{
  g_autofree char *format_text = NULL;
  g_autofree char *description = describe_actions ();
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format of list and show", "text|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("ACTION …");
  g_autoptr(GPtrArray) args = NULL;
  int exit_code;

  for (guint i = 0; argc >= 2 && i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (argv[1], actions[i].name))
      return actions[i].run (argc - 1, argv + 1);

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Your own book: list, show, create, rename and delete "
                                         "portfolios, add and remove holdings.");
  g_option_context_set_description (context, description);
  if (!sextant_cli_parse_options (context, &argc, &argv, "portfolio", &exit_code))
    return exit_code;
  if (argc < 2 || (!g_str_equal (argv[1], "list") && !g_str_equal (argv[1], "show")))
    return sextant_cli_usage_error (context, "portfolio", argc < 2 ? "expected an action such as “list” or “show NAME”"
                                                                   : "unknown action; see “sextant-cli portfolio --help”");

  /* The options came before the action: hand them to it. */
  args = g_ptr_array_new ();
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  if (format_text != NULL)
    {
      g_ptr_array_add (args, (gpointer) "--format");
      g_ptr_array_add (args, format_text);
    }
  g_ptr_array_add (args, NULL);

  return (g_str_equal (argv[1], "list") ? list_action : show_action) (args->len - 1, (char **) args->pdata);
}
