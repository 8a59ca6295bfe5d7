#define G_LOG_DOMAIN "test-retention"

#include "config.h"

#include <string.h>
#include <utime.h>
#include <glib/gstdio.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Retention (issue 19): each kind expires after its own period, pinned conversations never do,
 * expired messages leave the search index, and the file gives the space back. */

#define TEST_HISTORY_KEY "c2V4dGFudC10ZXN0LWhpc3Rvcnkta2V5LTMyYnl0ZXM="
#define DAY (G_USEC_PER_SEC * (gint64) 86400)

static gint64
conversation_aged (SextantConversationStore *conversations,
                   const char               *title,
                   const char               *text,
                   gint64                    updated_at)
{
  SextantStore *store = sextant_conversation_store_get_store (conversations);
  g_autoptr(SextantConverseMessage) m = sextant_converse_message_new ("user");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = sextant_conversation_store_create (conversations, title, "analyst", NULL, &error);

  g_assert_no_error (error);
  sextant_converse_message_add_text (m, text);
  g_assert_cmpint (sextant_conversation_store_append (conversations, id, m, SEXTANT_MESSAGE_COMPLETE, 0, 0, &error), >, 0);
  stmt = sextant_store_prepare (store, "UPDATE conversations SET updated_at = ? WHERE id = ?", &error);
  sqlite3_bind_int64 (stmt, 1, updated_at);
  sqlite3_bind_int64 (stmt, 2, id);
  g_assert_true (sextant_store_step_done (store, stmt, &error));

  return id;
}

static void
add_invocation (SextantStore *store,
                gint64        started_at)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "INSERT INTO agent_invocations (started_at, latency_ms, "
                                                        "outcome) VALUES (?, 10, 'ok')", NULL);

  sqlite3_bind_int64 (stmt, 1, started_at);
  g_assert_true (sextant_store_step_done (store, stmt, NULL));
}

static void
add_raw_responses (SextantStore *store,
                   gint64        fetched_at_s,
                   guint         n)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "INSERT INTO raw_responses (provider, kind, status, "
                                                        "fetched_at, body_size, body) VALUES ('stooq', 'daily', 200, "
                                                        "?, 20000, randomblob (20000))", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (stmt);
  for (guint i = 0; i < n; i++)
    {
      sqlite3_bind_int64 (stmt, 1, fetched_at_s);
      g_assert_true (sextant_store_step_done (store, stmt, &error));
    }
}

static gint64
count (SextantStore *store,
       const char   *sql)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, sql, NULL);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  return sqlite3_column_int64 (stmt, 0);
}

static void
make_log (const char *dir,
          const char *name,
          gint64      mtime_s)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  struct utimbuf times = { (time_t) mtime_s, (time_t) mtime_s };

  g_assert_true (g_file_set_contents (path, "log line\n", -1, NULL));
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static void
run_retention (gconstpointer data)
{
  gboolean sealed = GPOINTER_TO_INT (data);
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *logs = g_build_filename (dir, "logs", NULL);
  g_autoptr(SextantStore) store = sextant_schema_open (path, NULL);
  g_autoptr(SextantConversationStore) conversations = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  SextantRetention retention = { .conversations_days = 365, .metrics_days = 90, .raw_days = 30, .logs_days = 14 };
  SextantRetentionReport report;
  gint64 now = g_get_real_time ();
  gint64 old, pinned, recent, size_before, size_after;
  GStatBuf st;

  if (sealed)
    {
      g_autoptr(SextantStoreKey) key = sextant_store_key_new_from_base64 (TEST_HISTORY_KEY, NULL);

      sextant_store_encryption_attach (store, key, &error);
      g_assert_no_error (error);
    }
  conversations = sextant_conversation_store_new (store);
  old = conversation_aged (conversations, "Old", "zanzibarish old view", now - 400 * DAY);
  pinned = conversation_aged (conversations, "Pinned", "zanzibarish pinned view", now - 400 * DAY);
  recent = conversation_aged (conversations, "Recent", "zanzibarish recent view", now - 10 * DAY);
  g_assert_true (sextant_conversation_store_set_pinned (conversations, pinned, TRUE, &error));
  add_invocation (store, now - 100 * DAY);
  add_invocation (store, now - 80 * DAY);
  add_raw_responses (store, (now - 40 * DAY) / G_USEC_PER_SEC, 300);
  add_raw_responses (store, (now - 20 * DAY) / G_USEC_PER_SEC, 2);
  g_assert_cmpint (g_mkdir (logs, 0700), ==, 0);
  make_log (logs, "sextant.log", (now - 30 * DAY) / G_USEC_PER_SEC);
  make_log (logs, "sextant.log.1", (now - 20 * DAY) / G_USEC_PER_SEC);
  make_log (logs, "sextant.log.2", (now - 5 * DAY) / G_USEC_PER_SEC);
  g_assert_true (sextant_store_exec (store, "PRAGMA wal_checkpoint (TRUNCATE)", &error));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  size_before = st.st_size;

  g_assert_true (sextant_retention_apply (conversations, &retention, logs, now, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.conversations, ==, 1);
  g_assert_cmpint (report.metrics, ==, 1);
  g_assert_cmpint (report.raw_responses, ==, 300);
  g_assert_cmpint (report.log_files, ==, 1);
  g_assert_cmpint (report.pages_freed, >, 300 * 4);

  {
    g_autoptr(SextantConversationInfo) old_info = sextant_conversation_store_get (conversations, old, NULL);
    g_autoptr(SextantConversationInfo) pinned_info = sextant_conversation_store_get (conversations, pinned, NULL);
    g_autoptr(SextantConversationInfo) recent_info = sextant_conversation_store_get (conversations, recent, NULL);

    g_assert_null (old_info);
    g_assert_true (pinned_info->pinned);
    g_assert_nonnull (recent_info);
    g_assert_false (recent_info->pinned);
  }
  g_assert_cmpint (count (store, "SELECT count(*) FROM messages"), ==, 2);
  /* Gone from the index too: the index holds one entry per remaining message. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM messages_fts"), ==, 2);
  hits = sextant_conversation_store_search (conversations, "zanzibarish", 10, &error);
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpint (count (store, "SELECT count(*) FROM agent_invocations"), ==, 1);
  g_assert_cmpint (count (store, "SELECT count(*) FROM raw_responses"), ==, 2);
  g_assert_true (g_file_test (logs, G_FILE_TEST_IS_DIR));
  {
    g_autofree char *live = g_build_filename (logs, "sextant.log", NULL);
    g_autofree char *one = g_build_filename (logs, "sextant.log.1", NULL);
    g_autofree char *two = g_build_filename (logs, "sextant.log.2", NULL);

    g_assert_true (g_file_test (live, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (one, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (two, G_FILE_TEST_EXISTS));
  }
  /* The space is given back: 300 responses of 20 kB made the file some 6 MB larger. */
  g_assert_true (sextant_store_exec (store, "PRAGMA wal_checkpoint (TRUNCATE)", &error));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  size_after = st.st_size;
  g_test_message ("database %" G_GINT64_FORMAT " bytes before, %" G_GINT64_FORMAT " after", size_before, size_after);
  g_assert_cmpint (size_after, <, size_before - 5000000);

  /* Zero keeps a kind forever. */
  retention = (SextantRetention) { 0 };
  g_assert_true (sextant_retention_apply (conversations, &retention, logs, now + 1000 * DAY, &report, &error));
  g_assert_cmpint (report.conversations + report.metrics + report.raw_responses + report.log_files, ==, 0);
  g_clear_object (&conversations);
  g_clear_object (&store);
  sextant_test_remove_temp_dir (dir);
}

/* A history sealed with a key that is not at hand is never written to, retention included. */
static void
test_read_only (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(SextantStoreKey) key = sextant_store_key_new_from_base64 (TEST_HISTORY_KEY, NULL);
  g_autoptr(SextantStore) store = sextant_schema_open (path, NULL);
  g_autoptr(SextantConversationStore) conversations = NULL;
  g_autoptr(GError) error = NULL;
  SextantRetention retention = { .conversations_days = 1 };

  sextant_store_encryption_attach (store, key, &error);
  conversations = sextant_conversation_store_new (store);
  conversation_aged (conversations, "Old", "old view", g_get_real_time () - 400 * DAY);
  g_clear_object (&conversations);
  g_clear_object (&store);

  store = sextant_schema_open (path, NULL);
  g_assert_cmpint (sextant_store_encryption_attach (store, NULL, &error), ==, SEXTANT_ENCRYPTION_KEY_MISSING);
  conversations = sextant_conversation_store_new (store);
  g_assert_false (sextant_retention_apply (conversations, &retention, NULL, g_get_real_time (), NULL, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
  g_assert_cmpint (count (store, "SELECT count(*) FROM conversations"), ==, 1);
  g_clear_object (&conversations);
  g_clear_object (&store);
  sextant_test_remove_temp_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/sextant/retention/clear", GINT_TO_POINTER (FALSE), run_retention);
  g_test_add_data_func ("/sextant/retention/sealed", GINT_TO_POINTER (TRUE), run_retention);
  g_test_add_func ("/sextant/retention/read-only", test_read_only);

  return g_test_run ();
}
