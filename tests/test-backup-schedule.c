#define G_LOG_DOMAIN "test-backup-schedule"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Scheduled backups and the restore staged by the running app (issue 19): names that sort as
 * their times, when one is due, pruning to the newest N without touching anything else in the
 * folder, and a restore that waits beside the database until the next start. The expected
 * values are worked by hand from the cases. */

#define TEST_HISTORY_KEY "c2V4dGFudC10ZXN0LWhpc3Rvcnkta2V5LTMyYnl0ZXM="

static SextantStoreKey *
test_key (void)
{
  return sextant_store_key_new_from_base64 (TEST_HISTORY_KEY, NULL);
}

static void
touch (const char *folder,
       const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);

  g_assert_true (g_file_set_contents (path, "x", 1, NULL));
}

static gboolean
exists (const char *folder,
        const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_file_name (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) local = g_date_time_new (zone, 2026, 12, 8, 1, 2, 3);
  g_autofree char *name = sextant_backup_schedule_file_name (local);

  /* 01:02:03 at UTC+2 is 23:02:03 UTC the day before. */
  g_assert_cmpstr (name, ==, "sextant-backup-20261207-230203.sxtbak");
}

static void
test_is_due (void)
{
  const gint64 day = SEXTANT_BACKUP_SCHEDULE_INTERVAL, t = 1796000000;

  g_assert_cmpint (day, ==, 86400);
  g_assert_true (sextant_backup_schedule_is_due (0, t, day));            /* never made */
  g_assert_false (sextant_backup_schedule_is_due (t, t, day));           /* just made */
  g_assert_false (sextant_backup_schedule_is_due (t, t + day - 1, day)); /* a second early */
  g_assert_true (sextant_backup_schedule_is_due (t, t + day, day));      /* a day on */
  g_assert_true (sextant_backup_schedule_is_due (t, t + 10 * day, day)); /* the computer was off */
  g_assert_true (sextant_backup_schedule_is_due (t, t - 60, day));       /* the clock went back */
}

static void
test_prune (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  guint removed = 99;

  touch (dir, "sextant-backup-20261201-080000.sxtbak");
  touch (dir, "sextant-backup-20261203-080000.sxtbak");
  touch (dir, "sextant-backup-20261202-080000.sxtbak");
  touch (dir, "sextant-backup-20261130-235959.sxtbak");
  touch (dir, "sextant-backup-20261204-080000.sxtbak");
  /* The user's own files, and names that only look like ours, stay whatever their age. */
  touch (dir, "notes.txt");
  touch (dir, "sextant-backup-old.sxtbak");
  touch (dir, "sextant-backup-20250101-000000.sxtbak.partial");
  touch (dir, "sextant-backup-2025010X-000000.sxtbak");

  names = sextant_backup_schedule_list (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (names->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "sextant-backup-20261204-080000.sxtbak");
  g_assert_cmpstr (g_ptr_array_index (names, 4), ==, "sextant-backup-20261130-235959.sxtbak");

  g_assert_true (sextant_backup_schedule_prune (dir, 2, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 3);
  g_assert_true (exists (dir, "sextant-backup-20261204-080000.sxtbak"));
  g_assert_true (exists (dir, "sextant-backup-20261203-080000.sxtbak"));
  g_assert_false (exists (dir, "sextant-backup-20261202-080000.sxtbak"));
  g_assert_false (exists (dir, "sextant-backup-20261201-080000.sxtbak"));
  g_assert_false (exists (dir, "sextant-backup-20261130-235959.sxtbak"));
  g_assert_true (exists (dir, "notes.txt"));
  g_assert_true (exists (dir, "sextant-backup-old.sxtbak"));
  g_assert_true (exists (dir, "sextant-backup-20250101-000000.sxtbak.partial"));
  g_assert_true (exists (dir, "sextant-backup-2025010X-000000.sxtbak"));

  /* Keep 0 means keep one: the newest backup is never pruned away. */
  g_assert_true (sextant_backup_schedule_prune (dir, 0, &removed, &error));
  g_assert_cmpuint (removed, ==, 1);
  g_assert_true (exists (dir, "sextant-backup-20261204-080000.sxtbak"));

  g_assert_false (sextant_backup_schedule_prune ("/nonexistent/sextant-backups", 2, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  sextant_test_remove_temp_dir (dir);
}

static gint64
add_conversation (SextantStore *store,
                  const char   *title)
{
  g_autoptr(SextantConversationStore) conversations = sextant_conversation_store_new (store);
  g_autoptr(GError) error = NULL;
  gint64 id = sextant_conversation_store_create (conversations, title, "analyst", NULL, &error);

  g_assert_no_error (error);

  return id;
}

static gint64
count_conversations (const char *path)
{
  g_autoptr(SextantStore) store = sextant_schema_open (path, NULL);
  sqlite3_stmt *stmt = sextant_store_prepare (store, "SELECT count(*) FROM conversations", NULL);
  gint64 n;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

/* Three daily runs keeping two: the two newest stay, and the newest restores what was there. */
static void
test_run (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *live = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *folder = g_build_filename (dir, "backups", "daily", NULL);
  g_autofree char *elsewhere = g_build_filename (dir, "elsewhere.db", NULL);
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autoptr(SextantStore) store = sextant_schema_open (live, NULL);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *newest = NULL;

  sextant_store_encryption_attach (store, key, &error);
  g_assert_true (sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, &error));
  for (guint day = 1; day <= 3; day++)
    {
      g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 12, day, 3, 0, 0);
      g_autofree char *title = g_strdup_printf ("Day %u review", day);
      g_autofree char *written = NULL;
      guint removed = 99;

      add_conversation (store, title);
      g_assert_true (sextant_backup_schedule_run (store, key, folder, 2, when, &written, &removed, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_test (written, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpuint (removed, ==, day == 3 ? 1 : 0);
      if (day == 3)
        newest = g_steal_pointer (&written);
    }
  names = sextant_backup_schedule_list (folder, &error);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "sextant-backup-20261203-030000.sxtbak");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "sextant-backup-20261202-030000.sxtbak");
  g_assert_true (sextant_backup_restore (newest, elsewhere, key, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_conversations (elsewhere), ==, 3);

  /* Without the history key nothing is written and nothing pruned. */
  {
    g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 12, 4, 3, 0, 0);
    g_autoptr(GPtrArray) after = NULL;

    g_assert_false (sextant_backup_schedule_run (store, NULL, folder, 1, when, NULL, NULL, &error));
    g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
    after = sextant_backup_schedule_list (folder, NULL);
    g_assert_cmpuint (after->len, ==, 2);
  }
  g_clear_object (&store);
  sextant_test_remove_temp_dir (dir);
}

/* A restore chosen in the running app: checked and unpacked beside the database, which stays as
 * it is until the next start swaps the restored one in and keeps the old one. */
static void
test_staged_restore (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *live = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "one.sxtbak", NULL);
  g_autofree char *kept = g_strconcat (live, ".before-restore", NULL);
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autoptr(GError) error = NULL;
  gboolean applied = TRUE;

  {
    g_autoptr(SextantStore) store = sextant_schema_open (live, NULL);

    sextant_store_encryption_attach (store, key, NULL);
    g_assert_true (sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, &error));
    add_conversation (store, "Kept in the backup");
    g_assert_true (sextant_backup_write (store, backup, key, NULL, NULL, &error));
    add_conversation (store, "After the backup");
    add_conversation (store, "After the backup too");

    g_assert_false (sextant_backup_has_pending (live));
    g_assert_true (sextant_backup_stage_restore (backup, live, key, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (sextant_backup_has_pending (live));
    /* The open database is untouched meanwhile. */
    g_assert_cmpint (count_conversations (live), ==, 3);
  }
  g_assert_true (sextant_backup_apply_pending (live, &applied, &error));
  g_assert_no_error (error);
  g_assert_true (applied);
  g_assert_false (sextant_backup_has_pending (live));
  g_assert_cmpint (count_conversations (live), ==, 1);
  g_assert_cmpint (count_conversations (kept), ==, 3);
  /* Nothing waits any more: the next start changes nothing. */
  g_assert_true (sextant_backup_apply_pending (live, &applied, &error));
  g_assert_false (applied);

  /* A damaged backup is refused before anything is staged. */
  {
    g_autofree char *bytes = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (backup, &bytes, &len, NULL));
    bytes[len - 10] ^= 0x55;
    g_assert_true (g_file_set_contents (backup, bytes, len, NULL));
    g_assert_false (sextant_backup_stage_restore (backup, live, key, NULL, NULL, &error));
    g_assert_nonnull (error);
    g_assert_false (sextant_backup_has_pending (live));
  }
  sextant_test_remove_temp_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/backup-schedule/file-name", test_file_name);
  g_test_add_func ("/sextant/backup-schedule/is-due", test_is_due);
  g_test_add_func ("/sextant/backup-schedule/prune", test_prune);
  g_test_add_func ("/sextant/backup-schedule/run", test_run);
  g_test_add_func ("/sextant/backup-schedule/staged-restore", test_staged_restore);

  return g_test_run ();
}
