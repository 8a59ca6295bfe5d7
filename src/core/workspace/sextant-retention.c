#define G_LOG_DOMAIN "sextant-retention"

#include "config.h"

#include <glib/gstdio.h>

#include "workspace/sextant-retention.h"

/* Retention (issue 19): what is kept how long, per kind. Each kind lives in another feature's
 * tables, so the workspace, which knows them all, expires them; then the freed pages go back
 * to the file system (incremental vacuum), so a shorter period makes the file smaller. */

static gint64
delete_older (SextantStore  *store,
              const char    *sql,
              gint64         cutoff,
              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, sql, error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, cutoff);
  if (!sextant_store_step_done (store, stmt, error))
    return -1;

  return sqlite3_changes (sextant_store_get_db (store));
}

static gint64
free_pages (SextantStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "PRAGMA freelist_count", NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* Rotated logs (`sextant.log.N`) last written before @cutoff (unix seconds); the live log stays. */
static gint64
expire_logs (const char *directory,
             gint64      cutoff)
{
  g_autoptr(GDir) dir = directory != NULL ? g_dir_open (directory, 0, NULL) : NULL;
  const char *name;
  gint64 n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (name, "sextant.log."))
        continue;
      path = g_build_filename (directory, name, NULL);
      if (g_stat (path, &st) == 0 && st.st_mtime < cutoff && g_unlink (path) == 0)
        n++;
    }

  return n;
}

/**
 * sextant_retention_apply:
 * @conversations: the history (its store holds every other kind too)
 * @retention: the periods
 * @log_directory: (nullable): where the rotated logs are
 * @now: the time to count from, unix µs
 * @report: (out caller-allocates) (optional): what was removed
 * @error: return location
 *
 * Removes what is older than its period, then reclaims the space. Meant for a worker thread with
 * a connection of its own: each kind is one statement, short enough not to hold writers up.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_retention_apply (SextantConversationStore *conversations,
                         const SextantRetention   *retention,
                         const char               *log_directory,
                         gint64                    now,
                         SextantRetentionReport   *report,
                         GError                  **error)
{
  SextantStore *store;
  SextantRetentionReport done = { 0 };
  gint64 day = G_USEC_PER_SEC * (gint64) 86400;
  gint64 before;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (conversations), FALSE);
  g_return_val_if_fail (retention != NULL, FALSE);

  store = sextant_conversation_store_get_store (conversations);
  if (retention->conversations_days > 0 &&
      (done.conversations = sextant_conversation_store_expire (conversations, now - retention->conversations_days * day,
                                                               error)) < 0)
    return FALSE;
  if (retention->metrics_days > 0 &&
      (done.metrics = delete_older (store, "DELETE FROM agent_invocations WHERE started_at < ?",
                                    now - retention->metrics_days * day, error)) < 0)
    return FALSE;
  /* The data lake counts in seconds. */
  if (retention->raw_days > 0 &&
      (done.raw_responses = delete_older (store, "DELETE FROM raw_responses WHERE fetched_at < ?",
                                          (now - retention->raw_days * day) / G_USEC_PER_SEC, error)) < 0)
    return FALSE;
  if (retention->logs_days > 0)
    done.log_files = expire_logs (log_directory, (now - retention->logs_days * day) / G_USEC_PER_SEC);
  before = free_pages (store);
  if (!sextant_store_exec (store, "PRAGMA incremental_vacuum", error))
    return FALSE;
  done.pages_freed = before - free_pages (store);
  if (report != NULL)
    *report = done;

  return TRUE;
}
