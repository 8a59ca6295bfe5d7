#define G_LOG_DOMAIN "test-backup"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Backup and restore (issue 19): a snapshot taken while another connection writes, sealed with
 * the history key or a passphrase; restore checks version and checksum before it replaces
 * anything, equals the original row for row, and kill -9 during backup or restore leaves the
 * live database intact. */

#define TEST_HISTORY_KEY "c2V4dGFudC10ZXN0LWhpc3Rvcnkta2V5LTMyYnl0ZXM="
#define TEST_BACKUP_SECRET "backup-passphrase-for-tests"

static const char *cli_path;

static SextantStoreKey *
test_key (void)
{
  return sextant_store_key_new_from_base64 (TEST_HISTORY_KEY, NULL);
}

/* A sealed history with portfolios, a saved result and @blobs raw responses of 64 kB. */
static void
fill (const char *path,
      const char *word,
      guint       blobs)
{
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autoptr(SextantStore) store = sextant_schema_open (path, NULL);
  g_autoptr(SextantConversationStore) conversations = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_nonnull (store);
  sextant_store_encryption_attach (store, key, &error);
  g_assert_true (sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, &error));
  conversations = sextant_conversation_store_new (store);
  portfolios = sextant_portfolio_store_new (store);
  id = sextant_conversation_store_create (conversations, word, "analyst", NULL, &error);
  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(SextantConverseMessage) m = sextant_converse_message_new (i % 2 ? "assistant" : "user");
      g_autofree char *text = g_strdup_printf ("%s note %u about the book", word, i);

      sextant_converse_message_add_text (m, text);
      g_assert_cmpint (sextant_conversation_store_append (conversations, id, m, SEXTANT_MESSAGE_COMPLETE, 0, 0, &error), >, 0);
    }
  {
    g_autofree char *name = g_strdup_printf ("Thistlewood %s", word);
    g_autofree char *sql = g_strdup_printf ("INSERT INTO portfolios (name) VALUES ('%s')", name);

    g_assert_true (sextant_store_exec (store, sql, &error));
    g_assert_cmpint (sextant_portfolio_store_save_result (portfolios, name, "optimize.min-variance", NULL,
                                                          NULL, "{\"w\":1}", &error), >, 0);
  }
  for (guint i = 0; i < blobs; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO raw_responses (provider, kind, status, fetched_at, body_size, "
                                              "body) VALUES ('stooq', 'daily', 200, %u, 65536, randomblob (65536))", i);

      g_assert_true (sextant_store_exec (store, sql, &error));
    }
}

/* Every row of every table, as text: what "row for row" compares. */
static char *
dump (const char *path)
{
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *tables = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                       "'sqlite_%' ORDER BY name", -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1", sqlite3_column_text (tables, 0));
      sqlite3_stmt *rows = NULL;

      if (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL) != SQLITE_OK)
        continue;
      g_string_append_printf (out, "[%s]\n", sqlite3_column_text (tables, 0));
      while (sqlite3_step (rows) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (rows); c++)
            {
              g_autofree char *hex = NULL;
              const guint8 *bytes = sqlite3_column_blob (rows, c);
              int n = sqlite3_column_bytes (rows, c);

              hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes != NULL ? bytes : (const guint8 *) "", n);
              g_string_append_printf (out, "%d:%s ", sqlite3_column_type (rows, c), hex);
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (rows);
    }
  sqlite3_finalize (tables);
  sqlite3_close (db);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
file_sha (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) bytes, len);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *live = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *other = g_build_filename (dir, "elsewhere.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "sextant.backup", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *bytes = NULL;
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autoptr(JsonNode) manifest = NULL;
  g_autoptr(JsonNode) restored = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  GStatBuf st;
  mode_t old_umask;

  fill (live, "Zanzibarish", 20);
  before = dump (live);
  {
    g_autoptr(SextantStore) store = sextant_schema_open (live, NULL);

    sextant_store_encryption_attach (store, key, NULL);
    old_umask = umask (0);
    g_assert_true (sextant_backup_write (store, backup, key, NULL, &manifest, &error));
    umask (old_umask);
    g_assert_no_error (error);
  }
  g_assert_cmpint (g_stat (backup, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (manifest), "counts"),
                                               "messages"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (manifest), "schema_version"), ==,
                   sextant_schema_get_latest_version ());
  /* Sealed: no word, nor the clear portfolio name, can be read in it. */
  g_assert_true (g_file_get_contents (backup, &bytes, &len, NULL));
  g_assert_null (g_strstr_len (bytes, len, "Thistlewood"));
  g_assert_null (g_strstr_len (bytes, len, "SQLite format"));

  /* Restored on "another computer": row for row what was backed up. */
  g_assert_true (sextant_backup_restore (backup, other, key, NULL, &restored, &error));
  g_assert_no_error (error);
  after = dump (other);
  g_assert_cmpstr (after, ==, before);
  {
    g_autoptr(SextantStore) store = sextant_schema_open (other, NULL);
    g_autoptr(SextantConversationStore) conversations = NULL;
    g_autoptr(GPtrArray) hits = NULL;

    g_assert_cmpint (sextant_store_encryption_attach (store, key, NULL), ==, SEXTANT_ENCRYPTION_ENCRYPTED);
    conversations = sextant_conversation_store_new (store);
    hits = sextant_conversation_store_search (conversations, "zanzibarish note", 50, &error);
    g_assert_cmpuint (hits->len, ==, 30);
  }

  /* Over an existing database: replaced, the old one kept beside. */
  fill (other, "Brontosaurus", 0);
  g_assert_true (sextant_backup_restore (backup, other, key, NULL, NULL, &error));
  g_free (after);
  after = dump (other);
  g_assert_cmpstr (after, ==, before);
  {
    g_autofree char *kept = g_strconcat (other, ".before-restore", NULL);

    g_assert_true (g_file_test (kept, G_FILE_TEST_EXISTS));
  }
  sextant_test_remove_temp_dir (dir);
}

typedef struct
{
  const char *path;
  gint        stop;
  guint       commits;
  gboolean    gave_up;
} Writer;

/* Another connection committing a small row every few milliseconds, as a chat storing its
 * answers and the market cache its responses do, for at most 60 s. */
static gpointer
write_meanwhile (gpointer data)
{
  Writer *writer = data;
  g_autoptr(SextantStore) store = sextant_schema_open (writer->path, NULL);
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!g_atomic_int_get (&writer->stop))
    {
      if (g_get_monotonic_time () > give_up)
        {
          writer->gave_up = TRUE;
          break;
        }
      g_assert_true (sextant_store_exec (store, "INSERT INTO raw_responses (provider, kind, status, fetched_at, "
                                         "body_size, body) VALUES ('stooq', 'quote', 200, 1, 100, randomblob (100))",
                                         NULL));
      writer->commits++;
      g_usleep (5000);
    }

  return NULL;
}

/* A backup of a store that another connection keeps writing to is copied once, not started
 * again at each of the other's commits (which never ended before the copy was done in one
 * step), and the writer is not held up meanwhile. */
static void
test_while_writing (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *live = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *other = g_build_filename (dir, "elsewhere.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "sextant.backup", NULL);
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  Writer writer = { live, 0, 0, FALSE };
  guint commits_before;
  gint64 raw_before;

  fill (live, "Gooseberry", 512);
  {
    g_autoptr(SextantStore) store = sextant_schema_open (live, NULL);
    g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "SELECT count(*) FROM raw_responses", NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    raw_before = sqlite3_column_int64 (stmt, 0);
    /* Its read transaction ends here: the backup reads the database as it is when it starts. */
    g_clear_pointer (&stmt, sqlite3_finalize);
    g_assert_cmpint (sextant_store_encryption_attach (store, key, NULL), ==, SEXTANT_ENCRYPTION_ENCRYPTED);
    thread = g_thread_new ("writer", write_meanwhile, &writer);
    while (g_atomic_int_get (&writer.commits) < 3)
      g_usleep (1000);
    commits_before = writer.commits;
    g_assert_true (sextant_backup_write (store, backup, key, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_false (writer.gave_up);
    g_test_message ("%u commits of the other connection during the backup", writer.commits - commits_before);
    g_assert_cmpuint (writer.commits, >, commits_before);
    g_atomic_int_set (&writer.stop, 1);
    g_thread_join (g_steal_pointer (&thread));
  }
  g_assert_true (sextant_backup_restore (backup, other, key, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(SextantStore) store = sextant_schema_open (other, NULL);
    g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "SELECT count(*) FROM raw_responses", NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 0), >=, raw_before + commits_before);
  }
  sextant_test_remove_temp_dir (dir);
}

/* Another key or passphrase, a damaged or cut-off file, a newer Sextant's backup: refused with
 * the reason, the live database not touched. */
static void
test_refused (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *live = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *source = g_build_filename (dir, "source.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "pass.backup", NULL);
  g_autofree char *damaged = g_build_filename (dir, "damaged.backup", NULL);
  g_autofree char *cut = g_build_filename (dir, "cut.backup", NULL);
  g_autofree char *future_db = g_build_filename (dir, "future.db", NULL);
  g_autofree char *future = g_build_filename (dir, "future.backup", NULL);
  g_autofree char *live_sha = NULL;
  g_autofree char *bytes = NULL;
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  fill (live, "Live", 0);
  fill (source, "Source", 5);
  {
    g_autoptr(SextantStore) store = sextant_schema_open (source, NULL);

    g_assert_true (sextant_backup_write (store, backup, NULL, TEST_BACKUP_SECRET, NULL, &error));
  }
  live_sha = file_sha (live);

  g_assert_false (sextant_backup_restore (backup, live, NULL, "not the passphrase", NULL, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);
  g_assert_false (sextant_backup_restore (backup, live, key, NULL, NULL, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (backup, &bytes, &len, NULL));
  bytes[len / 2] ^= 0x40;
  g_assert_true (g_file_set_contents (damaged, bytes, len, NULL));
  bytes[len / 2] ^= 0x40;
  g_assert_true (g_file_set_contents (cut, bytes, len - 100, NULL));
  g_assert_false (sextant_backup_restore (damaged, live, NULL, TEST_BACKUP_SECRET, NULL, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (sextant_backup_restore (cut, live, NULL, TEST_BACKUP_SECRET, NULL, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* A database of schema version 999, as a future Sextant would write. */
  {
    g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (SextantMigration));
    g_autoptr(SextantStore) store = NULL;

    for (int v = 1; v <= 999; v++)
      {
        SextantMigration m = { v, "future", "SELECT 1" };

        g_array_append_val (steps, m);
      }
    store = sextant_store_open (future_db, (const SextantMigration *) (gpointer) steps->data, steps->len, &error);
    g_assert_no_error (error);
    g_assert_true (sextant_backup_write (store, future, key, NULL, NULL, &error));
  }
  g_assert_false (sextant_backup_restore (future, live, key, NULL, NULL, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "schema version 999"));
  g_clear_error (&error);

  {
    g_autofree char *now_sha = file_sha (live);
    g_autofree char *partial = g_strconcat (live, ".restore-partial", NULL);

    g_assert_cmpstr (now_sha, ==, live_sha);
    g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  }
  sextant_test_remove_temp_dir (dir);
}

static gpointer
kill_soon (gpointer data)
{
  g_usleep (GPOINTER_TO_UINT (data));
  kill (getpid (), SIGKILL);

  return NULL;
}

static void
test_killed_subprocess (void)
{
  const char *what = g_getenv ("SEXTANT_TEST_KILL_DURING");
  g_autoptr(SextantStoreKey) key = test_key ();
  guint delay = (guint) g_ascii_strtoull (g_getenv ("SEXTANT_TEST_KILL_AFTER_US"), NULL, 10);

  g_thread_unref (g_thread_new ("killer", kill_soon, GUINT_TO_POINTER (delay)));
  if (g_strcmp0 (what, "backup") == 0)
    {
      g_autoptr(SextantStore) store = sextant_schema_open (g_getenv ("SEXTANT_TEST_LIVE"), NULL);

      sextant_backup_write (store, g_getenv ("SEXTANT_TEST_BACKUP"), key, NULL, NULL, NULL);
    }
  else
    sextant_backup_restore (g_getenv ("SEXTANT_TEST_BACKUP"), g_getenv ("SEXTANT_TEST_LIVE"), key, NULL, NULL, NULL);
  g_usleep (10 * G_USEC_PER_SEC);
}

/* kill -9 at several moments of a backup, then of a restore: the live database is as it was
 * (or, once the restore's rename is done, wholly the backup's), never a mix. */
static void
test_killed (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *live = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *source = g_build_filename (dir, "source.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "source.backup", NULL);
  g_autofree char *live_dump = NULL;
  g_autofree char *source_dump = NULL;
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autoptr(GError) error = NULL;
  static const guint delays_us[] = { 2000, 10000, 30000, 80000, 200000 };

  fill (live, "Live", 60);
  fill (source, "Source", 60);
  live_dump = dump (live);
  source_dump = dump (source);
  {
    g_autoptr(SextantStore) store = sextant_schema_open (source, NULL);

    g_assert_true (sextant_backup_write (store, backup, key, NULL, NULL, &error));
  }
  g_setenv ("SEXTANT_TEST_LIVE", live, TRUE);
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (delays_us); i++)
      {
        g_autofree char *delay = g_strdup_printf ("%u", delays_us[i]);
        g_autofree char *target = round == 0 ? g_build_filename (dir, "killed.backup", NULL) : g_strdup (backup);
        g_autofree char *now = NULL;

        g_setenv ("SEXTANT_TEST_KILL_DURING", round == 0 ? "backup" : "restore", TRUE);
        g_setenv ("SEXTANT_TEST_BACKUP", target, TRUE);
        g_setenv ("SEXTANT_TEST_KILL_AFTER_US", delay, TRUE);
        g_test_trap_subprocess ("/sextant/backup/killed/subprocess", 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
        g_test_trap_assert_failed ();
        now = dump (live);
        if (round == 0)
          g_assert_cmpstr (now, ==, live_dump);
        else if (g_strcmp0 (now, live_dump) != 0)
          {
            g_assert_cmpstr (now, ==, source_dump);
            g_test_message ("restore killed after %u µs: already swapped in", delays_us[i]);
            /* Put the live database back for the next round. */
            g_assert_true (g_rename (g_strconcat (live, ".before-restore", NULL), live) == 0);
          }
        {
          g_autoptr(SextantStore) store = sextant_schema_open (live, &error);

          g_assert_no_error (error);
        }
      }
  sextant_test_remove_temp_dir (dir);
}

/* The command line, without any keyring: a passphrase backup and its restore. */
static void
test_cli (void)
{
  g_autofree char *home = sextant_test_make_temp_dir ();
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *backup = g_build_filename (home, "sextant.backup", NULL);
  g_autofree char *data_home = g_strconcat ("XDG_DATA_HOME=", data, NULL);
  g_autofree char *home_env = g_strconcat ("HOME=", home, NULL);
  g_autofree char *db = g_build_filename (data, "sextant", "sextant.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *env[] = { data_home, home_env, "DBUS_SESSION_BUS_ADDRESS=disabled:", NULL };
  const char *backup_args[] = { cli_path, "backup", "--passphrase", backup, NULL };
  const char *no_key[] = { cli_path, "backup", backup, NULL };
  const char *restore_args[] = { cli_path, "restore", backup, NULL };
  const char *usage[] = { cli_path, "restore", NULL };
  const char *portfolio[] = { cli_path, "portfolio", "create", "Core Book", NULL };

  g_assert_cmpint (sextant_test_run_command (portfolio, env, NULL, NULL, NULL), ==, 0);
  before = dump (db);
  g_assert_cmpint (sextant_test_run_command (no_key, env, NULL, NULL, &err), ==, 4);
  g_assert_nonnull (strstr (err, "--passphrase"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sextant_test_run_command (backup_args, env, TEST_BACKUP_SECRET "\n" TEST_BACKUP_SECRET "\n", &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Backup written"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sextant_test_run_command (restore_args, env, "wrong passphrase\n", NULL, &err), ==, 3);
  g_assert_nonnull (strstr (err, "Wrong passphrase"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sextant_test_run_command (restore_args, env, TEST_BACKUP_SECRET "\n", &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Restored"));
  {
    g_autofree char *after = dump (db);

    g_assert_cmpstr (after, ==, before);
  }
  g_assert_cmpint (sextant_test_run_command (usage, env, NULL, NULL, NULL), ==, 2);
  sextant_test_remove_temp_dir (home);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  g_test_add_func ("/sextant/backup/round-trip", test_round_trip);
  g_test_add_func ("/sextant/backup/refused", test_refused);
  g_test_add_func ("/sextant/backup/while-writing", test_while_writing);
  g_test_add_func ("/sextant/backup/killed", test_killed);
  g_test_add_func ("/sextant/backup/killed/subprocess", test_killed_subprocess);
  g_test_add_func ("/sextant/backup/cli", test_cli);

  return g_test_run ();
}
