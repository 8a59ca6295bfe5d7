#define G_LOG_DOMAIN "sextant-cli-common"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include <stdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"

/**
 * sextant_cli_parse_format:
 * @text: the value of `--format`, or %NULL for the default (text)
 * @allowed: a bit mask of (1 << SextantCliFormat) the command supports
 * @format: (out): the parsed format
 * @error: return location for an error naming the allowed values
 */
gboolean
sextant_cli_parse_format (const char        *text,
                          guint              allowed,
                          SextantCliFormat  *format,
                          GError           **error)
{
  static const char *names[] = { "text", "json", "csv" };
  g_autoptr(GString) choices = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (!(allowed & (1u << i)))
        continue;
      if (text == NULL || g_strcmp0 (text, names[i]) == 0)
        {
          *format = i;
          return TRUE;
        }
      g_string_append_printf (choices, "%s%s", choices->len ? "|" : "", names[i]);
    }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--format must be one of %s, not “%s”", choices->str, text);
  return FALSE;
}

/**
 * sextant_cli_exit_for_error:
 * @error: the error that ended a command
 *
 * Maps error domains to the documented exit codes, so that each command need not.
 */
int
sextant_cli_exit_for_error (const GError *error)
{
  if (error == NULL)
    return SEXTANT_CLI_EXIT_OK;
  if (error->domain == G_OPTION_ERROR)
    return SEXTANT_CLI_EXIT_USAGE;
  if (error->domain == SEXTANT_ANALYTICS_ERROR || error->domain == G_FILE_ERROR ||
      error->domain == JSON_PARSER_ERROR)
    return SEXTANT_CLI_EXIT_INPUT;
  if (error->domain == SEXTANT_STORE_ERROR)
    return SEXTANT_CLI_EXIT_STORAGE;
  if (error->domain == SEXTANT_KB_ERROR)
    return SEXTANT_CLI_EXIT_INPUT;
  if (error->domain == SEXTANT_SECRET_ERROR)
    return SEXTANT_CLI_EXIT_CREDENTIALS;
  if (error->domain == SEXTANT_MARKET_ERROR)
    {
      switch (error->code)
        {
        case SEXTANT_MARKET_ERROR_PARSE:
        case SEXTANT_MARKET_ERROR_CSV_HEADER:
        case SEXTANT_MARKET_ERROR_CSV_ROW:
        case SEXTANT_MARKET_ERROR_CSV_DATE:
        case SEXTANT_MARKET_ERROR_NOT_FOUND:
          return SEXTANT_CLI_EXIT_INPUT;
        case SEXTANT_MARKET_ERROR_RATE_LIMITED:
          return SEXTANT_CLI_EXIT_THROTTLED;
        case SEXTANT_MARKET_ERROR_AUTH:
          return SEXTANT_CLI_EXIT_CREDENTIALS;
        case SEXTANT_MARKET_ERROR_NETWORK:
          return SEXTANT_CLI_EXIT_NETWORK;
        case SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT:
          return SEXTANT_CLI_EXIT_USAGE;
        default:
          return SEXTANT_CLI_EXIT_API;
        }
    }
  if (error->domain == SEXTANT_BEDROCK_ERROR)
    {
      switch (error->code)
        {
        case SEXTANT_BEDROCK_ERROR_THROTTLED:
        case SEXTANT_BEDROCK_ERROR_QUOTA_EXCEEDED:
          return SEXTANT_CLI_EXIT_THROTTLED;
        case SEXTANT_BEDROCK_ERROR_CREDENTIALS:
        case SEXTANT_BEDROCK_ERROR_EXPIRED_TOKEN:
        case SEXTANT_BEDROCK_ERROR_ACCESS_DENIED:
          return SEXTANT_CLI_EXIT_CREDENTIALS;
        case SEXTANT_BEDROCK_ERROR_NETWORK:
        case SEXTANT_BEDROCK_ERROR_TIMEOUT:
          return SEXTANT_CLI_EXIT_NETWORK;
        case SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT:
        case SEXTANT_BEDROCK_ERROR_INSECURE_ENDPOINT:
          return SEXTANT_CLI_EXIT_USAGE;
        default:
          return SEXTANT_CLI_EXIT_API;
        }
    }
  if (error->domain == SEXTANT_JOBS_ERROR)
    {
      switch (error->code)
        {
        case SEXTANT_JOBS_ERROR_ACCESS_DENIED:
          return SEXTANT_CLI_EXIT_CREDENTIALS;
        case SEXTANT_JOBS_ERROR_UNAVAILABLE:
          return SEXTANT_CLI_EXIT_THROTTLED;
        case SEXTANT_JOBS_ERROR_NETWORK:
          return SEXTANT_CLI_EXIT_NETWORK;
        case SEXTANT_JOBS_ERROR_INVALID_ARGUMENT:
          return SEXTANT_CLI_EXIT_USAGE;
        case SEXTANT_JOBS_ERROR_NOT_FOUND:
          return SEXTANT_CLI_EXIT_INPUT;
        default:
          return SEXTANT_CLI_EXIT_API;
        }
    }
  if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR)
    return SEXTANT_CLI_EXIT_NETWORK;

  return SEXTANT_CLI_EXIT_FAILURE;
}

/**
 * sextant_cli_fail:
 * @exit_code: the code to return, or -1 to derive it from @error
 * @command: the subcommand's name
 * @error: what went wrong
 *
 * Prints `sextant-cli COMMAND: MESSAGE` on stderr, redacted of any secret.
 *
 * Returns: the exit code
 */
int
sextant_cli_fail (int           exit_code,
                  const char   *command,
                  const GError *error)
{
  g_autofree char *message = NULL;

  /* A failure without an error is a bug of the command, never a success: exit 0 here once
   * turned `risk --confidence ''` into a silent “unknown error” that scripts took for a result. */
  if (error == NULL)
    {
      g_critical ("sextant-cli %s failed without saying why", command);
      fprintf (stderr, "sextant-cli %s: internal error (no message)\n", command);
      return exit_code > 0 ? exit_code : SEXTANT_CLI_EXIT_FAILURE;
    }
  message = sextant_log_writer_redact (error->message);
  fprintf (stderr, "sextant-cli %s: %s\n", command, message);

  return exit_code >= 0 ? exit_code : sextant_cli_exit_for_error (error);
}

int
sextant_cli_usage_error (GOptionContext *context,
                         const char     *command,
                         const char     *message)
{
  fprintf (stderr, "sextant-cli %s: %s\nTry “sextant-cli %s --help”.\n", command, message, command);

  return SEXTANT_CLI_EXIT_USAGE;
}

/**
 * sextant_cli_parse_options:
 * @context: the subcommand's option context
 * @argc: (inout): argument count
 * @argv: (inout): arguments
 * @command: the subcommand's name
 * @exit_code: (out): the code to exit with when this returns %FALSE
 *
 * Returns: %TRUE if the command should go on
 */
gboolean
sextant_cli_parse_options (GOptionContext   *context,
                           int              *argc,
                           char           ***argv,
                           const char       *command,
                           int              *exit_code)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = sextant_cli_usage_error (context, command, error->message);
      return FALSE;
    }

  return TRUE;
}

static const char *
double_option_value (const GOptionEntry  *entry,
                     int                  argc,
                     char               **argv,
                     int                 *i)
{
  const char *arg = argv[*i];
  gsize name_len = strlen (entry->long_name);

  if (g_str_has_prefix (arg, "--") && strncmp (arg + 2, entry->long_name, name_len) == 0)
    {
      if (arg[2 + name_len] == '=')
        return arg + 3 + name_len;
      if (arg[2 + name_len] == '\0' && *i + 1 < argc)
        return argv[++*i];
    }
  else if (entry->short_name != 0 && arg[0] == '-' && arg[1] == entry->short_name)
    {
      if (arg[2] != '\0')
        return arg + 2;
      if (*i + 1 < argc)
        return argv[++*i];
    }

  return NULL;
}

/**
 * sextant_cli_check_numbers:
 * @entries: the command's options
 * @argc: argument count, before parsing
 * @argv: arguments, before parsing
 * @error: return location for a %G_OPTION_ERROR naming the option
 *
 * GOption reads “nan”, “inf” and 1e308 as numbers, and a command that marks an option it was not
 * given with NaN cannot tell `--weight nan` from no `--weight`. Every number option is therefore
 * checked here, on the text typed: finite and of a magnitude no figure Sextant takes reaches
 * (10¹⁵), with the command's own ranges checked after parsing.
 *
 * Returns: %TRUE if every number option is usable
 */
gboolean
sextant_cli_check_numbers (const GOptionEntry  *entries,
                           int                  argc,
                           char               **argv,
                           GError             **error)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      for (const GOptionEntry *e = entries; e->long_name != NULL; e++)
        {
          const char *text;
          char *end = NULL;
          double value;

          if (e->arg != G_OPTION_ARG_DOUBLE ||
              (text = double_option_value (e, argc, argv, &i)) == NULL)
            continue;
          value = g_ascii_strtod (text, &end);
          if (end != text && *end == '\0' && !(fabs (value) <= 1e15))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--%s must be a finite number of a sensible size, not “%s”",
                           e->long_name, text);
              return FALSE;
            }
          break;
        }
    }

  return TRUE;
}

/**
 * sextant_cli_valid_symbol:
 * @symbol: a symbol typed by the user
 *
 * Symbols are stored, sent to providers and matched against file columns: letters, digits and
 * the punctuation exchanges and providers use (BRK-B, ^GSPC, EURUSD=X, 7203.T, BRK/B), at most
 * 32 characters. A file path, a space or a comma is a typing error, not a ticker.
 *
 * Returns: %TRUE if @symbol can be one
 */
gboolean
sextant_cli_valid_symbol (const char *symbol)
{
  gsize length = strlen (symbol);

  if (length == 0 || length > 32 || symbol[0] == '/')
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (symbol[i]) && strchr (".^=_-:&/", symbol[i]) == NULL)
      return FALSE;

  return TRUE;
}

void
sextant_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  /* json-glib writes a string's bytes as they are: one that is not UTF-8 (a file name, an old
   * stored title) would make the whole document invalid JSON. Outside strings JSON is ASCII, so
   * replacing the bad bytes keeps the document whole. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      char *valid = g_utf8_make_valid (text, -1);

      g_free (text);
      text = valid;
    }
  fputs (text, stdout);
  fputc ('\n', stdout);
}

/* Prints a whole scenario run (one process's, or merged shards'): the same bytes either way. */
void
sextant_cli_print_scenario_run (const SextantScenarioRun *run,
                                gboolean                  json)
{
  if (json)
    {
      g_autoptr(JsonNode) root = sextant_scenario_run_to_json (run);

      sextant_cli_print_json (root);
    }
  else
    {
      g_autofree char *text = sextant_scenario_run_to_text (run);

      fputs (text, stdout);
    }
}

/* This very program, so that the children a command starts are the same build as it. */
char *
sextant_cli_dup_self_path (GError **error)
{
  char *path = g_file_read_link ("/proc/self/exe", NULL);

  if (path == NULL)
    path = g_find_program_in_path ("sextant-cli");
  if (path == NULL)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 "--engine processes cannot find the sextant-cli program to start");
  return path;
}

/**
 * sextant_cli_store_result_cb:
 * @user_data: a `GAsyncResult **` that receives a reference to the result
 *
 * Commands drive async core APIs by iterating the default context until the slot is filled.
 */
void
sextant_cli_store_result_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/**
 * sextant_cli_open_market_data:
 * @error: return location for an error
 *
 * The market-data stack every price command uses: the default database as cache (seeded with
 * the demo set), providers from the environment, keys from the keyring when it answers within
 * two seconds.
 *
 * Returns: (transfer full): the market data, or %NULL
 */
SextantMarketData *
sextant_cli_open_market_data (GError **error)
{
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantSecretStore) secrets = NULL;
  g_autoptr(SextantMarketRouter) router = NULL;

  if ((store = sextant_schema_open_default (error)) == NULL)
    return NULL;
  cache = sextant_market_cache_new (store);
  if (!sextant_market_cache_ensure_demo (cache, error))
    return NULL;
  secrets = sextant_secret_store_new ();
  sextant_secret_store_set_timeout (secrets, 2000);
  if ((router = sextant_market_router_new_from_environment (secrets, error)) == NULL)
    return NULL;

  return sextant_market_data_new (cache, router);
}

/**
 * sextant_cli_stream_text:
 * @stream: the answer's state
 * @text: more of the answer
 *
 * Prints @text to stdout at once.
 */
void
sextant_cli_stream_text (SextantCliStream *stream,
                         const char       *text)
{
  fputs (text, stdout);
  fflush (stdout);
  if (*text != '\0')
    {
      stream->printed = TRUE;
      stream->ends_with_newline = text[strlen (text) - 1] == '\n';
    }
}

/**
 * sextant_cli_stream_end_line:
 * @stream: the answer's state
 *
 * Ends the answer's last line if it is open, before a note on stderr or the end.
 */
void
sextant_cli_stream_end_line (SextantCliStream *stream)
{
  if (stream->printed && !stream->ends_with_newline)
    fputc ('\n', stdout);
  fflush (stdout);
  stream->ends_with_newline = TRUE;
}

/**
 * sextant_cli_print_retry:
 *
 * Says on stderr that Bedrock's request failed and is tried again, and when.
 */
void
sextant_cli_print_retry (guint       failed_attempt,
                         guint       max_attempts,
                         guint       delay_ms,
                         const char *reason)
{
  fprintf (stderr, "[retry] attempt %u of %u failed (%s); trying again in %.1f s\n",
           failed_attempt, max_attempts, reason, delay_ms / 1000.0);
}

static char *
read_secret_from_stdin_line (void)
{
  g_autoptr(GString) value = g_string_new (NULL);
  int c;

  while ((c = fgetc (stdin)) != EOF && c != '\n')
    g_string_append_c (value, (char) c);
  if (value->len > 0 && value->str[value->len - 1] == '\r')
    g_string_truncate (value, value->len - 1);

  return g_string_free (g_steal_pointer (&value), FALSE);
}

/* A passphrase: typed at a terminal without echo (asked twice for a new file), or the first line
 * of standard input for scripts. */
char *
sextant_cli_read_passphrase (const char *prompt,
                             gboolean    confirm)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  g_autofree char *first = NULL;
  char *value;

  if (!tty)
    return read_secret_from_stdin_line ();
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  for (guint round = 0; round < (confirm ? 2u : 1u); round++)
    {
      fputs (round == 0 ? prompt : "Again: ", stderr);
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
      value = read_secret_from_stdin_line ();
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
      if (round == 0)
        first = value;
      else if (g_strcmp0 (first, value) != 0)
        {
          g_free (value);
          return NULL;
        }
      else
        g_free (value);
    }

  return g_steal_pointer (&first);
}


/**
 * sextant_cli_dup_app_settings:
 *
 * The app's preferences, so that the CLI and the windows agree (model, prices), when the app's
 * schema is installed or named by GSETTINGS_SCHEMA_DIR; without it the CLI runs on its defaults.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL without the schema
 */
GSettings *
sextant_cli_dup_app_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source != NULL ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

/* An older installed schema may lack a newer key: reading it would abort. */
gboolean
sextant_cli_settings_has_key (GSettings  *settings,
                              const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);

  return g_settings_schema_has_key (schema, key);
}
