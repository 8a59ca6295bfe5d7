#define G_LOG_DOMAIN "sextant-cli-export"

#include "config.h"

#include "sextant-core.h"
#include "sextant-cli-commands.h"
#include "sextant-cli-common.h"

/* `sextant-cli export FILE` (issue 19): everything Sextant keeps for the user in open formats, one
 * .tar.gz readable without Sextant (the layout is in workspace/sextant-export.c). */

/* The app's preferences when its schema is installed (or named by GSETTINGS_SCHEMA_DIR). */
static JsonNode *
read_settings (void)
{
  g_autoptr(GSettings) settings = sextant_cli_dup_app_settings ();

  return settings != NULL ? sextant_export_settings_to_json (settings) : NULL;
}

int
sextant_cli_export_main (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — everything in open formats, in one .tar.gz");
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(JsonNode) settings = NULL;
  g_autoptr(GError) error = NULL;
  SextantExportCounts counts = { 0 };
  int exit_code;

  g_option_context_set_description (context, "Conversations (Markdown and JSON), portfolios and saved results (CSV "
                                    "and JSON), the knowledge base's document list and the preferences, readable "
                                    "without Sextant. The archive is not encrypted.");
  if (!sextant_cli_parse_options (context, &argc, &argv, "export", &exit_code))
    return exit_code;
  if (argc != 2 || argv[1][0] == '\0')
    return sextant_cli_usage_error (context, "export", "expected one FILE");
  if (g_file_test (argv[1], G_FILE_TEST_EXISTS))
    {
      g_printerr ("sextant-cli export: %s already exists; choose a new file name\n", argv[1]);
      return SEXTANT_CLI_EXIT_INPUT;
    }
  if ((store = sextant_schema_open_default (&error)) == NULL)
    return sextant_cli_fail (-1, "export", error);
  settings = read_settings ();
  if (!sextant_export_write (store, settings, argv[1], &counts, &error))
    return sextant_cli_fail (-1, "export", error);
  g_print ("Exported to %s: %u conversations, %u portfolios, %u saved results, %u knowledge-base documents%s\n",
           argv[1], counts.conversations, counts.portfolios, counts.results, counts.documents,
           settings != NULL ? ", settings" : "");
  g_print ("The archive is not encrypted: keep it as safe as the data it holds.\n");

  return SEXTANT_CLI_EXIT_OK;
}
