#define G_LOG_DOMAIN "sextant-cli-merge"

#include "config.h"

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

#define COMMAND "merge"

/* `sextant-cli merge FILE…`: the shards written by `scenarios --shard I/N --out FILE`, put back
 * together and printed exactly as the one-process `scenarios` prints the same job. */
int
sextant_cli_merge_main (int    argc,
                        char **argv)
{
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "text (default) or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE… — merge the shard files of one scenario job");
  g_auto(SextantScenarioRun) result = { 0 };
  g_autoptr(GError) error = NULL;
  SextantCliFormat format;
  int exit_code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, COMMAND, &exit_code))
    return exit_code;
  if (argc < 2)
    return sextant_cli_usage_error (context, COMMAND,
                                    "give the shard files to merge (sextant-cli scenarios --shard "
                                    "I/N --out FILE wrote them)");
  if (!sextant_cli_parse_format (format_text,
                                 (1u << SEXTANT_CLI_FORMAT_TEXT) | (1u << SEXTANT_CLI_FORMAT_JSON),
                                 &format, &error) ||
      !sextant_scenario_run_merge ((const char * const *) argv + 1, &result, &error))
    return sextant_cli_fail (-1, COMMAND, error);

  sextant_cli_print_scenario_run (&result, format == SEXTANT_CLI_FORMAT_JSON);
  return SEXTANT_CLI_EXIT_OK;
}
