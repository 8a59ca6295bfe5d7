#define _POSIX_C_SOURCE 200809L /* umask () */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

static void
test_create_and_migrate (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_get_schema_version (store), ==, sextant_schema_get_latest_version ());

  stmt = sextant_store_prepare (store, "PRAGMA journal_mode", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  g_clear_pointer (&stmt, sqlite3_finalize);

  g_assert_true (sextant_store_exec (store, "INSERT INTO portfolios (name) VALUES ('Core')", &error));
  g_clear_object (&store);

  /* Reopening runs no migration twice and keeps the data. */
  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  stmt = sextant_store_prepare (store, "SELECT count(*) FROM portfolios", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
}

static void
test_transaction_rollback (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (path, &error);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_no_error (error);
  g_assert_true (sextant_store_begin (store, &error));
  g_assert_true (sextant_store_exec (store, "INSERT INTO portfolios (name) VALUES ('A')", &error));
  /* The UNIQUE name makes the second insert fail: the whole transaction goes. */
  g_assert_false (sextant_store_exec (store, "INSERT INTO portfolios (name) VALUES ('A')", &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT);
  sextant_store_rollback (store);

  stmt = sextant_store_prepare (store, "SELECT count(*) FROM portfolios", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
}

static void
assert_file_unchanged (const char *path,
                       const char *expected,
                       gsize       expected_length)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, expected, expected_length);
}

static void
test_corrupt_file_untouched (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = NULL;
  static const char garbage[] = "This is not an SQLite database, but it is the user's file.\n"
                                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

  g_assert_true (g_file_set_contents (path, garbage, sizeof garbage, NULL));
  store = sextant_schema_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "left untouched"));
  assert_file_unchanged (path, garbage, sizeof garbage);
}

static void
test_newer_version_refused (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = NULL;
  gsize before_length;
  sqlite3 *db;

  /* A database written by a future Sextant: a user_version beyond what this build knows. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 999",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (path, &before, &before_length, NULL));

  store = sextant_schema_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "999"));
  assert_file_unchanged (path, before, before_length);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
}

/* The base layer's migration runner knows no feature: a feature's own steps run in order, each
 * once, and a failing step leaves the database at the version before it. */
static void
test_feature_migrations (void)
{
  static const SextantMigration steps[] = {
    { 1, "first", "CREATE TABLE a (x INTEGER);" },
    { 2, "second", "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (7);" },
    { 3, "broken", "CREATE TABLE c (z INTEGER); SELECT * FROM no_such_table;" },
  };
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "feature.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  store = sextant_store_open (path, steps, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_get_schema_version (store), ==, 2);
  g_assert_cmpint (sextant_store_get_latest_version (store), ==, 2);
  g_clear_object (&store);

  /* The third step fails: its table is rolled back with the version bump, and the error says
   * which feature's step it was. */
  store = sextant_store_open (path, steps, 3, &error);
  g_assert_null (store);
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_SQL);
  g_assert_nonnull (strstr (error->message, "version 3 (broken)"));
  g_clear_error (&error);

  store = sextant_store_open (path, steps, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_get_schema_version (store), ==, 2);
  stmt = sextant_store_prepare (store, "SELECT count(*) FROM sqlite_schema WHERE name = 'c'", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = sextant_store_prepare (store, "SELECT y FROM b", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 7);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
}

/* Every feature's tables are in the composed schema, each created by its own feature's steps (a
 * later step of the same feature may rebuild one, as schema 7 does the search index). */
static void
test_schema_composes_features (void)
{
  static const struct { const char *table; const char *feature; } owners[] = {
    { "portfolios", "market" }, { "bar_blocks", "market" }, { "raw_responses", "market" },
    { "results", "market" }, { "conversations", "agent" }, { "messages_fts", "agent" },
    { "agent_invocations", "agent" },
  };
  guint n = 0;
  const SextantMigration *migrations = sextant_schema_get_migrations (&n);

  g_assert_cmpuint (n, ==, sextant_schema_get_latest_version ());
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (migrations[i].version, ==, i + 1);
  for (guint t = 0; t < G_N_ELEMENTS (owners); t++)
    {
      g_autofree char *create = g_strdup_printf ("TABLE %s ", owners[t].table);
      guint found = 0;

      for (guint i = 0; i < n; i++)
        if (strstr (migrations[i].sql, create) != NULL)
          {
            g_assert_cmpstr (migrations[i].feature, ==, owners[t].feature);
            found++;
          }
      g_assert_cmpuint (found, >=, 1);
    }
}

static void
assert_private (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 0777) != 0600)
    g_error ("%s has mode %03o, expected 600", path, st.st_mode & 0777);
}

/* The database, its write-ahead log and its shared-memory index are the user's alone, even under
 * a umask that lets everyone read new files (000). The -wal and -shm files exist while a
 * connection is open in WAL mode and has written. */
static void
test_file_modes (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = NULL;
  mode_t old_umask = umask (0);

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_store_exec (store, "INSERT INTO portfolios (name) VALUES ('Core')", &error));
  umask (old_umask);

  assert_private (path);
  assert_private (wal);
  assert_private (shm);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/store/create-and-migrate", test_create_and_migrate);
  g_test_add_func ("/sextant/store/transaction-rollback", test_transaction_rollback);
  g_test_add_func ("/sextant/store/corrupt-file-untouched", test_corrupt_file_untouched);
  g_test_add_func ("/sextant/store/newer-version-refused", test_newer_version_refused);
  g_test_add_func ("/sextant/store/feature-migrations", test_feature_migrations);
  g_test_add_func ("/sextant/store/schema-composes-features", test_schema_composes_features);
  g_test_add_func ("/sextant/store/file-modes", test_file_modes);

  return g_test_run ();
}
