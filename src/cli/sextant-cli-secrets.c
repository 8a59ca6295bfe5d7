#define G_LOG_DOMAIN "sextant-cli-secrets"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-cli-commands.h"
#include "sextant-cli-common.h"

/* `secrets set` reads the value from standard input, never from the command line, where it would
 * land in the shell history and in every process listing. */
static char *
read_secret_from_stdin (void)
{
  g_autoptr(GString) value = g_string_new (NULL);
  char buffer[512];

  while (fgets (buffer, sizeof buffer, stdin) != NULL)
    g_string_append (value, buffer);
  while (value->len > 0 && (value->str[value->len - 1] == '\n' || value->str[value->len - 1] == '\r'))
    g_string_truncate (value, value->len - 1);

  return g_string_free (g_steal_pointer (&value), FALSE);
}

static int
secrets_status (SextantSecretStore *store,
                SextantCliFormat    format)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  for (guint key = 0; key < SEXTANT_SECRET_N_KEYS; key++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = sextant_secret_store_lookup_sync (store, key, NULL, &error);

      if (error != NULL)
        return sextant_cli_fail (-1, "secrets", error);
      json_builder_set_member_name (builder, sextant_secret_key_get_id (key));
      json_builder_add_string_value (builder, value != NULL ? "set" : "unset");
      if (format == SEXTANT_CLI_FORMAT_TEXT)
        printf ("%-22s %s\n", sextant_secret_key_get_id (key), value != NULL ? "set" : "unset");
    }
  json_builder_end_object (builder);

  if (format == SEXTANT_CLI_FORMAT_JSON)
    {
      root = json_builder_get_root (builder);
      sextant_cli_print_json (root);
    }

  return SEXTANT_CLI_EXIT_OK;
}

int
sextant_cli_secrets_main (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantSecretStore) store = sextant_secret_store_new ();
  g_autofree char *format_text = NULL;
  SextantCliFormat format;
  SextantSecretKey key;
  int exit_code;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format of status: text or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GString) keys = g_string_new (NULL);

  for (guint k = 0; k < SEXTANT_SECRET_N_KEYS; k++)
    g_string_append_printf (keys, "  %s\n", sextant_secret_key_get_id (k));

  context = g_option_context_new ("status|set KEY|clear KEY — keys in the system keyring");
  g_string_prepend (keys, "KEY is one of:\n");
  g_string_append (keys, "\n“set” reads the value from standard input, never from the command line.");
  g_option_context_set_description (context, keys->str);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, "secrets", &exit_code))
    return exit_code;
  if (!sextant_cli_parse_format (format_text, 1 << SEXTANT_CLI_FORMAT_TEXT | 1 << SEXTANT_CLI_FORMAT_JSON,
                                 &format, &error))
    return sextant_cli_usage_error (context, "secrets", error->message);

  if (argc == 2 && g_strcmp0 (argv[1], "status") == 0)
    return secrets_status (store, format);

  if (argc != 3 || (g_strcmp0 (argv[1], "set") != 0 && g_strcmp0 (argv[1], "clear") != 0))
    return sextant_cli_usage_error (context, "secrets", "expected “status”, “set KEY” or “clear KEY”");
  if (!sextant_secret_key_from_id (argv[2], &key))
    return sextant_cli_usage_error (context, "secrets", "unknown key name");

  if (g_strcmp0 (argv[1], "set") == 0)
    {
      g_autofree char *value = read_secret_from_stdin ();
      gboolean ok = sextant_secret_store_save_sync (store, key, value, NULL, &error);

      memset (value, 0, strlen (value));
      if (!ok)
        return sextant_cli_fail (-1, "secrets", error);
    }
  else if (!sextant_secret_store_clear_sync (store, key, NULL, &error))
    return sextant_cli_fail (-1, "secrets", error);

  return SEXTANT_CLI_EXIT_OK;
}
