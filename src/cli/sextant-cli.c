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
  /* Analytics */
  /* Bedrock */
  { "ask", sextant_cli_ask_main, "Ask Amazon Bedrock a question (streams the answer)" },
  { "models", sextant_cli_models_main, "List Bedrock models and inference profiles" },
  /* Market data */
};

static void
print_help (FILE *out)
{
  fprintf (out, "Usage: sextant-cli COMMAND [OPTIONS…]\n\n");
  fprintf (out, "Sextant's analytics, market data and assistant from a terminal.\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, commands[i].summary);
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

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (argv[1], commands[i].name) == 0)
      return commands[i].main (argc - 1, argv + 1);

  fprintf (stderr, "sextant-cli: unknown command “%s”\n\n", argv[1]);
  print_help (stderr);

  return SEXTANT_CLI_EXIT_USAGE;
}
