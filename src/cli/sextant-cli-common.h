#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "jobs/sextant-scenario-job.h"
#include "market/sextant-market-data.h"

G_BEGIN_DECLS

/**
 * SextantCliExit:
 *
 * Exit codes that scripts rely on. Never renumber; add new ones at the end.
 */
typedef enum
{
  SEXTANT_CLI_EXIT_OK          = 0,
  SEXTANT_CLI_EXIT_FAILURE     = 1,
  SEXTANT_CLI_EXIT_USAGE       = 2,
  SEXTANT_CLI_EXIT_INPUT       = 3,
  SEXTANT_CLI_EXIT_CREDENTIALS = 4,
  SEXTANT_CLI_EXIT_THROTTLED   = 5,
  SEXTANT_CLI_EXIT_API         = 6,
  SEXTANT_CLI_EXIT_NETWORK     = 7,
  SEXTANT_CLI_EXIT_STORAGE     = 8,
} SextantCliExit;

typedef enum
{
  SEXTANT_CLI_FORMAT_TEXT,
  SEXTANT_CLI_FORMAT_JSON,
  SEXTANT_CLI_FORMAT_CSV,
} SextantCliFormat;

typedef int (*SextantCliCommandFunc) (int argc, char **argv);

typedef struct
{
  const char            *name;
  SextantCliCommandFunc  main;
  const char            *summary;
} SextantCliCommand;

gboolean  sextant_cli_parse_format (const char        *text,
                                    guint              allowed,
                                    SextantCliFormat  *format,
                                    GError           **error);
int       sextant_cli_fail         (int                exit_code,
                                    const char        *command,
                                    const GError      *error);
int       sextant_cli_usage_error  (GOptionContext    *context,
                                    const char        *command,
                                    const char        *message);
int       sextant_cli_exit_for_error (const GError    *error);
void      sextant_cli_print_json   (JsonNode          *node);
void      sextant_cli_print_scenario_run (const SextantScenarioRun *run,
                                          gboolean                  json);
char     *sextant_cli_dup_self_path (GError           **error);
GSettings *sextant_cli_dup_app_settings (void);
gboolean  sextant_cli_settings_has_key (GSettings  *settings,
                                       const char *key);
gboolean  sextant_cli_valid_symbol (const char        *symbol);
gboolean  sextant_cli_check_numbers (const GOptionEntry *entries,
                                    int                argc,
                                    char             **argv,
                                    GError           **error);
gboolean  sextant_cli_parse_options (GOptionContext   *context,
                                    int               *argc,
                                    char            ***argv,
                                    const char        *command,
                                    int               *exit_code);

void      sextant_cli_store_result_cb (GObject         *object,
                                       GAsyncResult    *result,
                                       gpointer         user_data);
SextantMarketData *sextant_cli_open_market_data (GError **error);

/* An answer streamed to stdout, whose last line may still be open. */
typedef struct
{
  gboolean printed;
  gboolean ends_with_newline;
} SextantCliStream;

void      sextant_cli_stream_text     (SextantCliStream *stream,
                                       const char       *text);
void      sextant_cli_stream_end_line (SextantCliStream *stream);
void      sextant_cli_print_retry     (guint             failed_attempt,
                                       guint             max_attempts,
                                       guint             delay_ms,
                                       const char       *reason);

char     *sextant_cli_read_passphrase (const char *prompt,
                                      gboolean    confirm);

G_END_DECLS
