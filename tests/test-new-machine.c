#define G_LOG_DOMAIN "test-new-machine"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Issue 19's "done when": a user on a fresh computer imports a backup and a key export made on
 * another one and finds their conversations, portfolios, saved results and documents,
 * searchable, while the raw files hold no readable text. Each computer is a HOME of its own
 * with its own D-Bus session and gnome-keyring; the first writes its history (a conversation,
 * a saved result, a document added with `sextant-cli kb add`), exports its key and backs up
 * with `sextant-cli`; the second imports the key, restores, and finds everything through
 * `sextant-cli` alone. Portfolio names and holdings are stored clear (they name no client and
 * are looked up by name), so no secret word is put in them. */

#define TEST_MOVE_SECRET "new-machine-key-passphrase"

/* Words of the user's history, in a conversation's title and messages, a saved result, and a
 * document's title, path and text. None may be readable in any file either computer holds,
 * the backup and the key file included. */
static const char * const secret_words[] = {
  "zanzibarish", "quixotically", "brontosaurus", "thistlewood", "marmalade", "pumpernickel", "gooseberry",
};

static const char *cli_path;
static char *self_path;

static char *
run_cli (const char *stdin_text,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  char *out = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) cli_path);
  va_start (args, stdin_text);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  status = sextant_test_run_command ((const char * const *) argv->pdata, NULL, stdin_text, &out, &err);
  if (status != 0)
    g_error ("sextant-cli %s exited with %d:\n%s\n%s", (const char *) argv->pdata[1], status, out, err);

  return out;
}

/* Every file under @dir but @skip (the user's own document): no secret word readable. */
static void
assert_nothing_readable (const char *dir,
                         const char *skip,
                         guint      *n_files)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;

      if (g_strcmp0 (path, skip) == 0 || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_nothing_readable (path, skip, n_files);
          continue;
        }
      if (!g_file_get_contents (path, &bytes, &len, NULL))
        continue;
      (*n_files)++;
      for (gsize i = 0; i < len; i++)
        bytes[i] = bytes[i] == '\0' ? ' ' : g_ascii_tolower (bytes[i]);
      for (guint w = 0; w < G_N_ELEMENTS (secret_words); w++)
        if (strstr (bytes, secret_words[w]) != NULL)
          g_error ("“%s” is readable in %s", secret_words[w], path);
    }
}

/* The first computer: its history, sealed under the key its keyring makes, a key export and a
 * backup into the folder carried to the second. */
static void
test_old_machine (void)
{
  const char *transfer = g_getenv ("SEXTANT_TEST_TRANSFER");
  g_autofree char *docs = g_build_filename (g_get_home_dir (), "Pumpernickel Research", NULL);
  g_autofree char *document = g_build_filename (docs, "marmalade-brief.md", NULL);
  g_autofree char *key_file = g_build_filename (transfer, "history.key", NULL);
  g_autofree char *backup = g_build_filename (transfer, "sextant.sxtbak", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantSecretStore) secrets = sextant_secret_store_new ();
  guint n_files = 0;

  sextant_test_wait_for_keyring (secrets);
  g_free (run_cli (NULL, "portfolio", "create", "Core Book", NULL));
  {
    g_autoptr(SextantStore) store = sextant_schema_open_default (&error);
    g_autoptr(SextantConversationStore) conversations = NULL;
    g_autoptr(SextantPortfolioStore) portfolios = NULL;
    gint64 id;

    g_assert_no_error (error);
    g_assert_nonnull (sextant_store_get_key (store));
    conversations = sextant_conversation_store_new (store);
    id = sextant_conversation_store_create (conversations, "Zanzibarish hedge review", "analyst", NULL, &error);
    g_assert_cmpint (id, >, 0);
    for (guint i = 0; i < 4; i++)
      {
        g_autoptr(SextantConverseMessage) m = sextant_converse_message_new (i % 2 ? "assistant" : "user");
        g_autofree char *text = g_strdup_printf ("Trim the book quixotically, step %u", i);

        sextant_converse_message_add_text (m, text);
        g_assert_cmpint (sextant_conversation_store_append (conversations, id, m, SEXTANT_MESSAGE_COMPLETE, 0, 0,
                                                            &error), >, 0);
      }
    portfolios = sextant_portfolio_store_new (store);
    g_assert_cmpint (sextant_portfolio_store_save_result (portfolios, "Core Book", "optimize.min-variance",
                                                          "{\"memo\":\"brontosaurus\"}", NULL,
                                                          "{\"w\":1,\"memo\":\"thistlewood\"}", &error), >, 0);
    g_assert_no_error (error);
  }
  g_assert_cmpint (g_mkdir_with_parents (docs, 0700), ==, 0);
  g_assert_true (g_file_set_contents (document, "# Marmalade Brief\n\nThe custodian holds the gooseberry "
                                      "collateral until the committee meets.\n", -1, NULL));
  out = run_cli (NULL, "kb", "add", "--offline", document, NULL);
  g_clear_pointer (&out, g_free);
  out = run_cli (TEST_MOVE_SECRET "\n", "secrets", "export-key", key_file, NULL);
  g_assert_nonnull (strstr (out, "History key written"));
  g_clear_pointer (&out, g_free);
  out = run_cli (NULL, "backup", backup, NULL);
  g_assert_nonnull (strstr (out, "Backup written"));

  /* The database, its WAL, the logs, the keyring's file, the backup and the key file. */
  assert_nothing_readable (g_get_home_dir (), document, &n_files);
  assert_nothing_readable (transfer, NULL, &n_files);
  g_test_message ("%u files of the first computer hold no readable word", n_files);
  g_assert_cmpuint (n_files, >=, 3);
}

/* The second computer: nothing of the first but the folder carried over. */
static void
test_new_machine (void)
{
  const char *transfer = g_getenv ("SEXTANT_TEST_TRANSFER");
  g_autofree char *key_file = g_build_filename (transfer, "history.key", NULL);
  g_autofree char *backup = g_build_filename (transfer, "sextant.sxtbak", NULL);
  g_autofree char *export_dir = g_build_filename (transfer, "export", NULL);
  g_autofree char *archive = g_build_filename (export_dir, "everything.tar.gz", NULL);
  g_autofree char *database = sextant_data_dirs_dup_database_path ();
  g_autofree char *out = NULL;
  g_autoptr(SextantSecretStore) secrets = sextant_secret_store_new ();
  guint n_files = 0;

  sextant_test_wait_for_keyring (secrets);
  g_assert_false (g_file_test (database, G_FILE_TEST_EXISTS));
  out = run_cli (TEST_MOVE_SECRET "\n", "secrets", "import-key", key_file, NULL);
  g_assert_nonnull (strstr (out, "imported"));
  g_clear_pointer (&out, g_free);
  out = run_cli (NULL, "restore", backup, NULL);
  g_assert_nonnull (strstr (out, "Restored"));
  /* Core Book and the demo's portfolio. */
  g_assert_nonnull (strstr (out, "1 conversations, 4 messages, 2 portfolios, 1 saved results"));
  g_clear_pointer (&out, g_free);

  /* Conversations: listed with their title, found by a word of their messages. */
  out = run_cli (NULL, "conversations", "list", NULL);
  g_assert_nonnull (strstr (out, "Zanzibarish hedge review"));
  g_clear_pointer (&out, g_free);
  out = run_cli (NULL, "conversations", "search", "quixotically", NULL);
  g_assert_nonnull (strstr (out, "Zanzibarish hedge review"));
  g_clear_pointer (&out, g_free);
  /* Portfolios. */
  out = run_cli (NULL, "portfolio", "list", NULL);
  g_assert_nonnull (strstr (out, "Core Book"));
  g_clear_pointer (&out, g_free);
  /* Documents: listed by title and path (the file itself stayed on the first computer), and
   * their passages found by a word. */
  out = run_cli (NULL, "kb", "list", NULL);
  g_assert_nonnull (strstr (out, "Marmalade Brief"));
  g_assert_nonnull (strstr (out, "Pumpernickel Research/marmalade-brief.md"));
  g_clear_pointer (&out, g_free);
  out = run_cli (NULL, "kb", "search", "--offline", "gooseberry", NULL);
  g_assert_nonnull (strstr (out, "Marmalade Brief"));
  g_assert_nonnull (strstr (out, "gooseberry collateral"));
  g_clear_pointer (&out, g_free);
  /* Saved results, read back in the export of everything (written outside this HOME, since it
   * is clear by design). */
  g_assert_cmpint (g_mkdir_with_parents (export_dir, 0700), ==, 0);
  g_free (run_cli (NULL, "export", archive, NULL));
  {
    const char *tar[] = { "tar", "-xzOf", archive, "--wildcards", "*/results/results.json", NULL };

    g_assert_cmpint (sextant_test_run_command (tar, NULL, NULL, &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "thistlewood"));
    g_assert_nonnull (strstr (out, "brontosaurus"));
    g_clear_pointer (&out, g_free);
  }
  g_assert_cmpint (g_remove (archive), ==, 0);

  assert_nothing_readable (g_get_home_dir (), NULL, &n_files);
  assert_nothing_readable (transfer, NULL, &n_files);
  g_test_message ("%u files of the second computer hold no readable word", n_files);
  g_assert_true (g_file_test (database, G_FILE_TEST_IS_REGULAR));
}

/* One computer: @test_path of this program in a HOME of its own, with its own session bus and
 * keyring. */
static void
run_machine (const char *home,
             const char *transfer,
             const char *test_path)
{
  g_autofree char *runtime = g_dir_make_tmp ("sextant-runtime-XXXXXX", NULL);
  g_autofree char *transfer_env = g_strconcat ("SEXTANT_TEST_TRANSFER=", transfer, NULL);
  g_autofree char *ok_line = g_strconcat ("^ok [0-9]+ ", test_path, "$", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *env[] = { transfer_env, NULL };
  const char *argv[] = {
    "dbus-run-session", "--", "sh", "-c",
    "unset SEXTANT_DATABASE; "
    "export HOME=\"$1\" XDG_RUNTIME_DIR=\"$2\" XDG_DATA_HOME=\"$1/data\" XDG_STATE_HOME=\"$1/state\" "
    "XDG_CONFIG_HOME=\"$1/config\" XDG_CACHE_HOME=\"$1/cache\" SEXTANT_TEST_MACHINE=1; "
    "eval \"$(printf %s test | gnome-keyring-daemon --unlock --components=secrets)\"; "
    "exec \"$3\" -p \"$4\" \"$5\"",
    "sh", home, runtime, self_path, test_path, cli_path, NULL,
  };
  int status;

  g_chmod (runtime, 0700);
  status = sextant_test_run_command (argv, env, NULL, &out, &err);
  if (status != 0 || !g_regex_match_simple (ok_line, out, G_REGEX_MULTILINE, 0))
    g_error ("%s failed (%d):\n%s\n%s", test_path, status, out, err);
  g_test_message ("%s", out);
  sextant_test_remove_temp_dir (runtime);
}

static void
test_move (void)
{
  g_autofree char *old_home = sextant_test_make_temp_dir ();
  g_autofree char *new_home = sextant_test_make_temp_dir ();
  g_autofree char *transfer = sextant_test_make_temp_dir ();

  run_machine (old_home, transfer, "/sextant/new-machine/old");
  run_machine (new_home, transfer, "/sextant/new-machine/new");
  sextant_test_remove_temp_dir (old_home);
  sextant_test_remove_temp_dir (new_home);
  sextant_test_remove_temp_dir (transfer);
}

int
main (int    argc,
      char **argv)
{
  self_path = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  if (g_getenv ("SEXTANT_TEST_MACHINE") != NULL)
    {
      g_test_add_func ("/sextant/new-machine/old", test_old_machine);
      g_test_add_func ("/sextant/new-machine/new", test_new_machine);
    }
  else
    g_test_add_func ("/sextant/new-machine/move", test_move);

  return g_test_run ();
}
