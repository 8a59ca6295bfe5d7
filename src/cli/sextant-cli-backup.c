#define G_LOG_DOMAIN "sextant-cli-backup"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-cli-commands.h"
#include "sextant-cli-common.h"

/* `sextant-cli backup FILE [--passphrase]` and `sextant-cli restore FILE` (issue 19): a sealed,
 * compressed snapshot of the whole database, taken while the app may be running, and its
 * restore (with Sextant closed), checked before anything is replaced. */

static void
wipe (char *text)
{
  if (text != NULL)
    memset (text, 0, strlen (text));
  g_free (text);
}

static void
print_manifest (JsonNode *manifest)
{
  JsonObject *o = json_node_get_object (manifest);
  JsonObject *counts = json_object_get_object_member (o, "counts");

  g_print ("schema version %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " bytes, sha256 %s\n",
           json_object_get_int_member (o, "schema_version"), json_object_get_int_member (o, "database_size"),
           json_object_get_string_member (o, "sha256"));
  g_print ("%" G_GINT64_FORMAT " conversations, %" G_GINT64_FORMAT " messages, %" G_GINT64_FORMAT " portfolios, "
           "%" G_GINT64_FORMAT " saved results\n",
           json_object_get_int_member (counts, "conversations"), json_object_get_int_member (counts, "messages"),
           json_object_get_int_member (counts, "portfolios"), json_object_get_int_member (counts, "results"));
}

int
sextant_cli_backup_main (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — a sealed snapshot of Sextant's database");
  g_autoptr(SextantSecretStore) secrets = sextant_secret_store_new ();
  g_autoptr(SextantStoreKey) key = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(JsonNode) manifest = NULL;
  g_autoptr(GError) error = NULL;
  gboolean use_passphrase = FALSE;
  char *passphrase = NULL;
  gboolean ok;
  int exit_code;
  GOptionEntry entries[] = {
    { "passphrase", 0, 0, G_OPTION_ARG_NONE, &use_passphrase,
      "Seal with a passphrase (asked for, or the first line of standard input) instead of the history key", NULL },
    { NULL }
  };

  g_option_context_set_description (context, "The backup is compressed and sealed with the history key from the "
                                    "keyring, or with a passphrase. Sextant may be running meanwhile.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, "backup", &exit_code))
    return exit_code;
  if (argc != 2 || argv[1][0] == '\0')
    return sextant_cli_usage_error (context, "backup", "expected one FILE");
  /* A backup never replaces a file: an older backup may be the only good one. */
  if (g_file_test (argv[1], G_FILE_TEST_EXISTS))
    {
      g_printerr ("sextant-cli backup: %s already exists; choose a new file name\n", argv[1]);
      return SEXTANT_CLI_EXIT_INPUT;
    }
  if ((store = sextant_schema_open_default (&error)) == NULL)
    return sextant_cli_fail (-1, "backup", error);
  if (use_passphrase)
    {
      passphrase = sextant_cli_read_passphrase ("Passphrase for the backup: ", TRUE);
      if (passphrase == NULL || g_utf8_strlen (passphrase, -1) < 8)
        {
          wipe (passphrase);
          g_printerr ("sextant-cli backup: the passphrase must have at least 8 characters, typed the same twice\n");
          return SEXTANT_CLI_EXIT_INPUT;
        }
    }
  else if ((key = sextant_store_encryption_load_key (secrets, FALSE, &error)) == NULL)
    {
      g_printerr ("sextant-cli backup: %s; use --passphrase\n",
                  error != NULL ? error->message : "the keyring holds no history key");
      return SEXTANT_CLI_EXIT_CREDENTIALS;
    }
  ok = sextant_backup_write (store, argv[1], key, passphrase, &manifest, &error);
  wipe (passphrase);
  if (!ok)
    return sextant_cli_fail (-1, "backup", error);
  g_print ("Backup written to %s\n", argv[1]);
  print_manifest (manifest);

  return SEXTANT_CLI_EXIT_OK;
}

int
sextant_cli_restore_main (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — replace Sextant's database with a backup");
  g_autoptr(SextantSecretStore) secrets = sextant_secret_store_new ();
  g_autoptr(SextantStoreKey) key = NULL;
  g_autoptr(JsonNode) manifest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  char *passphrase = NULL;
  gboolean needs = FALSE, ok;
  int exit_code;

  g_option_context_set_description (context, "Close Sextant first. The backup's version and checksum are checked "
                                    "before anything is replaced; the database it replaces is kept beside it "
                                    "as sextant.db.before-restore.");
  if (!sextant_cli_parse_options (context, &argc, &argv, "restore", &exit_code))
    return exit_code;
  if (argc != 2 || argv[1][0] == '\0')
    return sextant_cli_usage_error (context, "restore", "expected one FILE");
  if (!sextant_backup_needs_passphrase (argv[1], &needs, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_INPUT, "restore", error);
  if (needs)
    passphrase = sextant_cli_read_passphrase ("Passphrase of the backup: ", FALSE);
  else if ((key = sextant_store_encryption_load_key (secrets, FALSE, &error)) == NULL && error != NULL)
    return sextant_cli_fail (-1, "restore", error);
  database = sextant_data_dirs_dup_database_path ();
  ok = sextant_backup_restore (argv[1], database, key, passphrase, &manifest, &error);
  wipe (passphrase);
  if (!ok)
    return sextant_cli_fail (g_error_matches (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_BUSY) ? -1
                                                                                                    : SEXTANT_CLI_EXIT_INPUT,
                             "restore", error);
  g_print ("Restored %s from %s\n", database, argv[1]);
  print_manifest (manifest);

  return SEXTANT_CLI_EXIT_OK;
}
