#define G_LOG_DOMAIN "test-cli-history-key"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* `sextant-cli secrets export-key` / `import-key` (issue 19): a history encrypted on one
 * computer moves to another with its key file and passphrase. Runs in a private D-Bus session
 * with its own gnome-keyring, since it deletes and replaces the history key. */

#define TEST_EXPORT_SECRET "correct-horse-battery-staple"
#define OTHER_HISTORY_KEY "c2V4dGFudC1vdGhlci1oaXN0b3J5LWtleS0zMmJ5dGU="

static const char *cli_path;
static char *self_path;

static int
run_cli (const char * const  *args,
         const char          *stdin_text,
         char               **out,
         char               **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  return sextant_test_run_command ((const char * const *) argv->pdata, NULL, stdin_text, out, err);
}

static void
assert_first_message (const char             *text,
                      SextantEncryptionState  expected_state)
{
  g_autoptr(SextantSecretStore) secrets = sextant_secret_store_new ();
  g_autofree char *path = sextant_data_dirs_dup_database_path ();
  g_autoptr(GError) error = NULL;
  SextantEncryptionState state;
  g_autoptr(SextantStore) store = sextant_schema_open_unlocked (path, secrets, TRUE, &state, &error);
  g_autoptr(SextantConversationStore) conversations = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (state, ==, expected_state);
  conversations = sextant_conversation_store_new (store);
  messages = sextant_conversation_store_load_messages (conversations, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((SextantStoredMessage *) messages->pdata[0])->text, ==, text);
}

static void
test_move_child (void)
{
  g_autoptr(SextantSecretStore) secrets = sextant_secret_store_new ();
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *key_file = g_build_filename (dir, "history.key", NULL);
  g_autofree char *short_file = g_build_filename (dir, "short.key", NULL);
  g_autofree char *bytes = NULL;
  g_autofree char *key_text = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = "Trim the Zanzibarish position before the committee";
  GStatBuf st;
  gsize len = 0;
  mode_t old_umask;

  sextant_test_wait_for_keyring (secrets);
  /* A history on the first computer, encrypted under a key the keyring made. */
  {
    g_autoptr(SextantStore) store = sextant_schema_open_default (&error);
    g_autoptr(SextantConversationStore) conversations = NULL;
    g_autoptr(SextantConverseMessage) m = sextant_converse_message_new ("user");
    gint64 id;

    g_assert_no_error (error);
    conversations = sextant_conversation_store_new (store);
    id = sextant_conversation_store_create (conversations, "Moves", "analyst", NULL, &error);
    g_assert_cmpint (id, ==, 1);
    sextant_converse_message_add_text (m, text);
    g_assert_cmpint (sextant_conversation_store_append (conversations, id, m, SEXTANT_MESSAGE_COMPLETE, 0, 0, &error), >, 0);
  }
  assert_first_message (text, SEXTANT_ENCRYPTION_ENCRYPTED);
  key_text = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, NULL, &error);
  g_assert_nonnull (key_text);

  /* Exported under a umask that would let everyone read it: the file is the owner's alone and
   * holds neither the key nor the passphrase in clear. */
  old_umask = umask (0);
  {
    g_autofree char *out = NULL, *err = NULL;
    const char *args[] = { "secrets", "export-key", key_file, NULL };

    g_assert_cmpint (run_cli (args, TEST_EXPORT_SECRET "\n", &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "History key written"));
  }
  umask (old_umask);
  g_assert_cmpint (g_stat (key_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (key_file, &bytes, &len, NULL));
  g_assert_null (g_strstr_len (bytes, len, key_text));
  g_assert_null (g_strstr_len (bytes, len, "horse"));
  {
    g_autofree char *out = NULL, *err = NULL;
    const char *again[] = { "secrets", "export-key", key_file, NULL };
    const char *too_short[] = { "secrets", "export-key", short_file, NULL };
    const char *usage[] = { "secrets", "export-key", NULL };

    g_assert_cmpint (run_cli (again, TEST_EXPORT_SECRET "\n", NULL, &err), ==, 3);
    g_assert_nonnull (strstr (err, "already exists"));
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_cli (too_short, "short\n", NULL, &err), ==, 3);
    g_assert_nonnull (strstr (err, "at least 8 characters"));
    g_assert_false (g_file_test (short_file, G_FILE_TEST_EXISTS));
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_cli (usage, NULL, NULL, &err), ==, 2);
  }

  /* The second computer: the same file, no key in its keyring. The history is read-only. */
  g_assert_true (sextant_secret_store_clear_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, NULL, &error));
  assert_first_message ("This message is encrypted and its key is not available.", SEXTANT_ENCRYPTION_KEY_MISSING);
  {
    g_autofree char *out = NULL, *err = NULL;
    const char *args[] = { "secrets", "import-key", key_file, NULL };

    g_assert_cmpint (run_cli (args, "not the passphrase\n", NULL, &err), ==, 3);
    g_assert_nonnull (strstr (err, "Wrong passphrase"));
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_cli (args, TEST_EXPORT_SECRET "\n", &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "imported"));
  }
  assert_first_message (text, SEXTANT_ENCRYPTION_ENCRYPTED);

  /* A keyring holding another history key keeps it unless told to replace it. */
  g_assert_true (sextant_secret_store_save_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, OTHER_HISTORY_KEY, NULL, &error));
  {
    g_autofree char *out = NULL, *err = NULL;
    const char *args[] = { "secrets", "import-key", key_file, NULL };
    const char *replace[] = { "secrets", "import-key", "--replace", key_file, NULL };

    g_assert_cmpint (run_cli (args, TEST_EXPORT_SECRET "\n", NULL, &err), ==, 3);
    g_assert_nonnull (strstr (err, "another history key"));
    assert_first_message ("This message is encrypted and its key is not available.", SEXTANT_ENCRYPTION_WRONG_KEY);
    g_assert_cmpint (run_cli (replace, TEST_EXPORT_SECRET "\n", &out, NULL), ==, 0);
  }
  assert_first_message (text, SEXTANT_ENCRYPTION_ENCRYPTED);
  sextant_test_remove_temp_dir (dir);
}

static void
test_move (void)
{
  g_autofree char *home = sextant_test_make_temp_dir ();
  g_autofree char *runtime = g_dir_make_tmp ("sextant-runtime-XXXXXX", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = {
    "dbus-run-session", "--", "sh", "-c",
    "export HOME=\"$1\" XDG_RUNTIME_DIR=\"$2\" XDG_DATA_HOME=\"$1/data\" XDG_STATE_HOME=\"$1/state\" "
    "SEXTANT_TEST_PRIVATE_KEYRING=1; "
    "eval \"$(printf %s test | gnome-keyring-daemon --unlock --components=secrets)\"; "
    "exec \"$3\" -p /sextant/cli/history-key/move/child \"$4\"",
    "sh", home, runtime, self_path, cli_path, NULL,
  };
  int status;

  g_chmod (runtime, 0700);
  status = sextant_test_run_command (argv, NULL, NULL, &out, &err);
  if (status != 0)
    g_error ("The key move test failed (%d):\n%s\n%s", status, out, err);
  g_assert_nonnull (strstr (out, "ok 1 /sextant/cli/history-key/move/child"));
  sextant_test_remove_temp_dir (home);
  sextant_test_remove_temp_dir (runtime);
}

int
main (int    argc,
      char **argv)
{
  self_path = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  if (g_getenv ("SEXTANT_TEST_PRIVATE_KEYRING") != NULL)
    g_test_add_func ("/sextant/cli/history-key/move/child", test_move_child);
  else
    g_test_add_func ("/sextant/cli/history-key/move", test_move);

  return g_test_run ();
}
