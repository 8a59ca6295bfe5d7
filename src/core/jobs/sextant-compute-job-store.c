#define G_LOG_DOMAIN "sextant-compute-job-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "jobs/sextant-compute-job-store.h"
#include "jobs/sextant-jobs-error.h"

/* The compute_jobs table (migration 14): one row per run sent to Batch, written when it is
 * submitted and updated as it is followed, so any terminal finds it by its Batch id. */

#define COLUMNS "id, engine, engine_job_id, region, queue, job_definition, job_url, shards, " \
                "job_sha256, status, shards_succeeded, shards_failed, submitted_at, "       \
                "started_at, stopped_at, result"

void
sextant_compute_job_free (SextantComputeJob *job)
{
  if (job == NULL)
    return;
  g_free (job->engine);
  g_free (job->engine_job_id);
  g_free (job->region);
  g_free (job->queue);
  g_free (job->job_definition);
  g_free (job->job_url);
  g_free (job->job_sha256);
  g_free (job->status);
  g_free (job->result);
  g_free (job);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static SextantComputeJob *
read_row (sqlite3_stmt *stmt)
{
  SextantComputeJob *job = g_new0 (SextantComputeJob, 1);

  job->id = sqlite3_column_int64 (stmt, 0);
  job->engine = column_text (stmt, 1);
  job->engine_job_id = column_text (stmt, 2);
  job->region = column_text (stmt, 3);
  job->queue = column_text (stmt, 4);
  job->job_definition = column_text (stmt, 5);
  job->job_url = column_text (stmt, 6);
  job->shards = (guint) CLAMP (sqlite3_column_int64 (stmt, 7), 0, G_MAXUINT);
  job->job_sha256 = column_text (stmt, 8);
  job->status = column_text (stmt, 9);
  job->shards_succeeded = (guint) CLAMP (sqlite3_column_int64 (stmt, 10), 0, G_MAXUINT);
  job->shards_failed = (guint) CLAMP (sqlite3_column_int64 (stmt, 11), 0, G_MAXUINT);
  job->submitted_at = sqlite3_column_int64 (stmt, 12);
  job->started_at = sqlite3_column_int64 (stmt, 13);
  job->stopped_at = sqlite3_column_int64 (stmt, 14);
  job->result = column_text (stmt, 15);
  return job;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
step_and_finalize (SextantStore  *store,
                   sqlite3_stmt  *stmt,
                   GError       **error)
{
  gboolean ok = sextant_store_step_done (store, stmt, error);

  sqlite3_finalize (stmt);
  return ok;
}

/**
 * sextant_compute_job_store_add:
 * @job_json: the job's canonical JSON
 *
 * Returns: the new row's id, or 0 with @error set
 */
gint64
sextant_compute_job_store_add (SextantStore             *store,
                               const SextantComputeJob  *job,
                               const char               *job_json,
                               GError                  **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!sextant_store_check_writable (store, error) ||
      (stmt = sextant_store_prepare (store,
                                     "INSERT INTO compute_jobs (engine, engine_job_id, kind, "
                                     "region, queue, job_definition, job_url, shards, "
                                     "job_sha256, job, status, submitted_at) VALUES "
                                     "(?, ?, 'scenarios', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                     error)) == NULL)
    return 0;
  bind_text (stmt, 1, job->engine);
  bind_text (stmt, 2, job->engine_job_id);
  bind_text (stmt, 3, job->region);
  bind_text (stmt, 4, job->queue);
  bind_text (stmt, 5, job->job_definition);
  bind_text (stmt, 6, job->job_url);
  sqlite3_bind_int64 (stmt, 7, job->shards);
  bind_text (stmt, 8, job->job_sha256);
  bind_text (stmt, 9, job_json);
  bind_text (stmt, 10, job->status);
  sqlite3_bind_int64 (stmt, 11, job->submitted_at);
  ok = sextant_store_step_done (store, stmt, error);
  sqlite3_finalize (stmt);
  return ok ? sqlite3_last_insert_rowid (sextant_store_get_db (store)) : 0;
}

gboolean
sextant_compute_job_store_update (SextantStore                *store,
                                  gint64                       id,
                                  const SextantBatchJobState  *state,
                                  GError                     **error)
{
  sqlite3_stmt *stmt;

  if (!sextant_store_check_writable (store, error) ||
      (stmt = sextant_store_prepare (store,
                                     "UPDATE compute_jobs SET status = ?, shards_succeeded = ?, "
                                     "shards_failed = ?, started_at = NULLIF (?, 0), "
                                     "stopped_at = NULLIF (?, 0) WHERE id = ?", error)) == NULL)
    return FALSE;
  bind_text (stmt, 1, state->status);
  sqlite3_bind_int64 (stmt, 2, state->array_size >= 2 ? state->n_succeeded
                                : g_str_equal (state->status, "SUCCEEDED"));
  sqlite3_bind_int64 (stmt, 3, state->array_size >= 2 ? state->n_failed
                                : g_str_equal (state->status, "FAILED"));
  sqlite3_bind_int64 (stmt, 4, state->started_at);
  sqlite3_bind_int64 (stmt, 5, state->stopped_at);
  sqlite3_bind_int64 (stmt, 6, id);
  return step_and_finalize (store, stmt, error);
}

gboolean
sextant_compute_job_store_set_result (SextantStore  *store,
                                      gint64         id,
                                      const char    *result,
                                      GError       **error)
{
  sqlite3_stmt *stmt;

  if (!sextant_store_check_writable (store, error) ||
      (stmt = sextant_store_prepare (store, "UPDATE compute_jobs SET result = ? WHERE id = ?",
                                     error)) == NULL)
    return FALSE;
  bind_text (stmt, 1, result);
  sqlite3_bind_int64 (stmt, 2, id);
  return step_and_finalize (store, stmt, error);
}

/**
 * sextant_compute_job_store_list:
 *
 * Returns: (transfer full) (element-type SextantComputeJob): the jobs, newest first
 */
GPtrArray *
sextant_compute_job_store_list (SextantStore  *store,
                                GError       **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_compute_job_free);
  sqlite3_stmt *stmt = sextant_store_prepare (store, "SELECT " COLUMNS " FROM compute_jobs "
                                              "ORDER BY id DESC", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (jobs, read_row (stmt));
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (store, error, "Cannot read the jobs");
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&jobs);
}

/**
 * sextant_compute_job_store_find:
 * @id_or_engine_id: the row's number or the engine's id
 *
 * Returns: (transfer full) (nullable): the job; an unknown one is %SEXTANT_JOBS_ERROR_NOT_FOUND
 */
SextantComputeJob *
sextant_compute_job_store_find (SextantStore  *store,
                                const char    *id_or_engine_id,
                                GError       **error)
{
  sqlite3_stmt *stmt = sextant_store_prepare (store, "SELECT " COLUMNS " FROM compute_jobs "
                                              "WHERE engine_job_id = ? OR CAST (id AS TEXT) = ?",
                                              error);
  SextantComputeJob *job = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id_or_engine_id);
  bind_text (stmt, 2, id_or_engine_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    job = read_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_NOT_FOUND,
                 _("No job “%s” in this database (sextant-cli jobs list shows them)"),
                 id_or_engine_id);
  else
    sextant_store_set_error_from_db (store, error, "Cannot read the jobs");
  sqlite3_finalize (stmt);
  return job;
}
