#define G_LOG_DOMAIN "sextant-cli-secrets"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

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

static void
wipe (char *text)
{
  if (text != NULL)
    memset (text, 0, strlen (text));
  g_free (text);
}

/* export-key FILE: the history key from the keyring, sealed under a passphrase, in a new file
 * readable by its owner only. */
static gboolean
sodium_memcmp_keys (SextantStoreKey *a,
                    SextantStoreKey *b)
{
  return memcmp (sextant_store_key_peek_data (a), sextant_store_key_peek_data (b), SEXTANT_STORE_KEY_BYTES) == 0;
}

static int
export_key (SextantSecretStore *store,
            const char         *path)
{
  g_autoptr(SextantStoreKey) key = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  char *passphrase;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("sextant-cli secrets: %s already exists; choose a new file name\n", path);
      return SEXTANT_CLI_EXIT_INPUT;
    }
  key = sextant_store_encryption_load_key (store, FALSE, &error);
  if (error != NULL)
    return sextant_cli_fail (-1, "secrets", error);
  if (key == NULL)
    {
      g_printerr ("sextant-cli secrets: the keyring holds no history key: Sextant has not encrypted a "
                  "history on this computer yet\n");
      return SEXTANT_CLI_EXIT_CREDENTIALS;
    }
  passphrase = sextant_cli_read_passphrase ("Passphrase for the key file: ", TRUE);
  if (passphrase == NULL)
    {
      g_printerr ("sextant-cli secrets: the passphrases differ\n");
      return SEXTANT_CLI_EXIT_INPUT;
    }
  data = sextant_store_key_export (key, passphrase, &error);
  wipe (passphrase);
  if (data == NULL)
    return sextant_cli_fail (SEXTANT_CLI_EXIT_INPUT, "secrets", error);
  if (!g_file_set_contents_full (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    return sextant_cli_fail (-1, "secrets", error);
  g_print ("History key written to %s, sealed with your passphrase. Keep both: without them an "
           "encrypted history or backup cannot be read on another computer.\n", path);

  return SEXTANT_CLI_EXIT_OK;
}

/* import-key FILE [--replace]: the key of a history from another computer into this keyring. */
static int
import_key (SextantSecretStore *store,
            const char         *path,
            gboolean            replace)
{
  g_autoptr(SextantStoreKey) key = NULL;
  g_autoptr(SextantStoreKey) present = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  char *passphrase;

  if (!g_file_get_contents (path, &contents, &len, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_INPUT, "secrets", error);
  data = g_bytes_new_take (g_steal_pointer (&contents), len);
  passphrase = sextant_cli_read_passphrase ("Passphrase of the key file: ", FALSE);
  key = sextant_store_key_import (data, passphrase, &error);
  wipe (passphrase);
  if (key == NULL)
    return sextant_cli_fail (SEXTANT_CLI_EXIT_INPUT, "secrets", error);
  present = sextant_store_encryption_load_key (store, FALSE, &error);
  if (error != NULL)
    return sextant_cli_fail (-1, "secrets", error);
  if (present != NULL && sodium_memcmp_keys (present, key))
    {
      g_print ("The keyring already holds this history key.\n");
      return SEXTANT_CLI_EXIT_OK;
    }
  if (present != NULL && !replace)
    {
      g_printerr ("sextant-cli secrets: the keyring already holds another history key; a history "
                  "encrypted with it could no longer be read. Export it first "
                  "(sextant-cli secrets export-key FILE), then import with --replace\n");
      return SEXTANT_CLI_EXIT_INPUT;
    }
  text = sextant_store_key_to_base64 (key);
  if (!sextant_secret_store_save_sync (store, SEXTANT_SECRET_HISTORY_KEY, text, NULL, &error))
    {
      wipe (g_steal_pointer (&text));
      return sextant_cli_fail (-1, "secrets", error);
    }
  wipe (g_steal_pointer (&text));
  g_print ("History key imported into the keyring.\n");

  return SEXTANT_CLI_EXIT_OK;
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
  gboolean replace = FALSE;
  SextantCliFormat format;
  SextantSecretKey key;
  int exit_code;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format of status: text or json", "FORMAT" },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, "import-key: put the key in place of another history key", NULL },
    { NULL }
  };
  g_autoptr(GString) keys = g_string_new (NULL);

  for (guint k = 0; k < SEXTANT_SECRET_N_KEYS; k++)
    g_string_append_printf (keys, "  %s\n", sextant_secret_key_get_id (k));

  context = g_option_context_new ("status|set KEY|clear KEY|export-key FILE|import-key FILE — keys in the system keyring");
  g_string_prepend (keys, "KEY is one of:\n");
  g_string_append (keys, "\n“set” reads the value from standard input, never from the command line.\n"
                         "“export-key FILE” writes the key of the encrypted history, sealed with a passphrase, to a\n"
                         "new file; “import-key FILE” puts it in this computer's keyring. The passphrase is asked\n"
                         "for at a terminal, or read from the first line of standard input.");
  g_option_context_set_description (context, keys->str);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, "secrets", &exit_code))
    return exit_code;
  if (!sextant_cli_parse_format (format_text, 1 << SEXTANT_CLI_FORMAT_TEXT | 1 << SEXTANT_CLI_FORMAT_JSON,
                                 &format, &error))
    return sextant_cli_usage_error (context, "secrets", error->message);

  if (argc == 2 && g_strcmp0 (argv[1], "status") == 0)
    return secrets_status (store, format);

  if (argc == 3 && (g_strcmp0 (argv[1], "export-key") == 0 || g_strcmp0 (argv[1], "import-key") == 0) &&
      argv[2][0] == '\0')
    return sextant_cli_usage_error (context, "secrets", "expected a FILE name");
  if (argc == 3 && g_strcmp0 (argv[1], "export-key") == 0)
    return export_key (store, argv[2]);
  if (argc == 3 && g_strcmp0 (argv[1], "import-key") == 0)
    return import_key (store, argv[2], replace);
  if (argc != 3 || (g_strcmp0 (argv[1], "set") != 0 && g_strcmp0 (argv[1], "clear") != 0))
    return sextant_cli_usage_error (context, "secrets", "expected “status”, “set KEY”, “clear KEY”, "
                                    "“export-key FILE” or “import-key FILE”");
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
