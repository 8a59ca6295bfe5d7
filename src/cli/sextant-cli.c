#define G_LOG_DOMAIN "sextant-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

/* Commands are listed in the order `--help` shows them; each lives in sextant-cli-<name>.c. */
static const SextantCliCommand commands[] = {
  /* Foundation */
  { "info", sextant_cli_info_main, "Where Sextant keeps its data, and whether it is usable" },
  { "secrets", sextant_cli_secrets_main, "Keys in the system keyring: status, set, clear, export-key, import-key" },
  /* Analytics */
  { "indicators", sextant_cli_indicators_main, "Technical indicators (SMA, EMA, RSI, MACD, …) of daily bars" },
  { "forecast", sextant_cli_forecast_main, "Price forecast with intervals and hold-out skill vs naive" },
  { "scenarios", sextant_cli_scenarios_main, "Monte Carlo GBM/Heston paths: terminal price statistics" },
  { "merge", sextant_cli_merge_main, "Merge the shard files of one scenarios job" },
  { "jobs", sextant_cli_jobs_main, "Scenario jobs sent to AWS Batch: list, show ID, cancel ID" },
  { "risk", sextant_cli_risk_main, "VaR, ES, drawdown, ratios and risk contributions of a portfolio" },
  { "optimize", sextant_cli_optimize_main, "Mean-variance and risk-parity portfolio weights" },
  { "frontier", sextant_cli_frontier_main, "Efficient frontier of N portfolios" },
  { "backtest", sextant_cli_backtest_main, "Buy-and-hold and rebalancing backtests" },
  /* Bedrock */
  { "ask", sextant_cli_ask_main, "Ask Amazon Bedrock a question (streams the answer)" },
  { "models", sextant_cli_models_main, "List Bedrock models and inference profiles" },
  /* Market data */
  { "quote", sextant_cli_quote_main, "Last price of a symbol, with its “as of” time" },
  { "history", sextant_cli_history_main, "Daily bars of a symbol (CSV or JSON)" },
  { "import", sextant_cli_import_main, "Import a price or holdings CSV" },
  { "portfolio", sextant_cli_portfolio_main, "Portfolios: list, show, create, rename, delete, add, remove" },
  { "fx", sextant_cli_fx_main, "ECB exchange rates in a base currency (latest, or daily series); a portfolio's FX exposure" },
  { "bond", sextant_cli_bond_main, "Fixed-rate bond: price or yield, accrued, durations, convexity, DV01" },
  { "curve", sextant_cli_curve_main, "Par yield curve: zero and forward rates, Nelson-Siegel/Svensson fit" },
  { "fred", sextant_cli_fred_main, "A FRED series (DGS10, ICE BofA spreads shown only), with your key or keyless" },
  { "shock", sextant_cli_shock_main, "Rates, FX and spread scenario P&L of a portfolio, per holding and in total" },
  /* Agent */
  { "conversations", sextant_cli_conversations_main, "Stored chats: list, show, search, export, rename, delete, restore, pin, unpin" },
  { "usage", sextant_cli_usage_main, "What the assistant cost in a month, by day, model and role" },
  /* Privacy and continuity */
  { "backup", sextant_cli_backup_main, "A sealed, compressed snapshot of the database (while Sextant runs)" },
  { "restore", sextant_cli_restore_main, "Replace the database with a backup, checked first" },
  { "export", sextant_cli_export_main, "Everything in open formats (Markdown, JSON, CSV) in one .tar.gz" },
  /* Knowledge base */
  { "kb", sextant_cli_kb_main, "Your documents: add, list, remove, search (cited by the assistant)" },
};

static void
print_help (FILE *out)
{
  int width = 0;

  fprintf (out, "Usage: sextant-cli COMMAND [OPTIONS…]\n\n");
  fprintf (out, "Sextant's analytics, market data and assistant from a terminal.\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, (int) strlen (commands[i].name));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-*s  %s\n", width, commands[i].name, commands[i].summary);
  fprintf (out, "\nRun “sextant-cli COMMAND --help” for a command's options.\n");
  fprintf (out, "\nExit codes: 0 success, 1 failure, 2 bad usage, 3 bad input data, 4 credentials,\n"
                "5 throttled after retries, 6 other API error, 7 network, 8 storage.\n");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* As the app does: every message is redacted, and diagnostics go to stderr, never into the
   * CSV or JSON on stdout. */
  sextant_log_writer_install_default ();

  if (argc < 2 || g_strcmp0 (argv[1], "--help") == 0 || g_strcmp0 (argv[1], "-h") == 0 ||
      g_strcmp0 (argv[1], "help") == 0)
    {
      print_help (argc < 2 ? stderr : stdout);
      return argc < 2 ? SEXTANT_CLI_EXIT_USAGE : SEXTANT_CLI_EXIT_OK;
    }
  if (g_strcmp0 (argv[1], "--version") == 0)
    {
      printf ("sextant-cli %s\n", PACKAGE_VERSION);
      return SEXTANT_CLI_EXIT_OK;
    }

  /* Text that is not UTF-8 would reach the database, JSON and the model as it is. A file name may
   * be any bytes on Linux, so an argument naming an existing file is let through. */
  for (int i = 1; i < argc; i++)
    if (!g_utf8_validate (argv[i], -1, NULL) && !g_file_test (argv[i], G_FILE_TEST_EXISTS))
      {
        g_autofree char *shown = g_utf8_make_valid (argv[i], -1);

        fprintf (stderr, "sextant-cli: argument %d (“%s”) is not valid UTF-8 text\n", i, shown);
        return SEXTANT_CLI_EXIT_USAGE;
      }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (argv[1], commands[i].name) == 0)
      {
        /* GOption's --help says "Usage: PRGNAME"; make that the whole command to type. */
        g_autofree char *prgname = g_strdup_printf ("sextant-cli %s", commands[i].name);

        g_set_prgname (prgname);
        return commands[i].main (argc - 1, argv + 1);
      }

  fprintf (stderr, "sextant-cli: unknown command “%s”\n\n", argv[1]);
  print_help (stderr);

  return SEXTANT_CLI_EXIT_USAGE;
}
