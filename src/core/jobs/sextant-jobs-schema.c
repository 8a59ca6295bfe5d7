#define G_LOG_DOMAIN "sextant-jobs-schema"

#include "config.h"

#include "jobs/sextant-jobs-schema.h"

/* The jobs' tables. The versions are the database's user_version, shared with the other features
 * (see workspace/sextant-schema.c). */
static const SextantMigration migrations[] = {
  /* 14: scenario jobs sent to an engine outside this process (issue 18), so that `sextant-cli
   * jobs` and the GUI follow a Batch run from any terminal or window: the engine's id for it,
   * where its files are, the job itself (its canonical JSON, whose SHA-256 names it), its last
   * known state and, once merged, the report. `jobs` is the optimizations' table already. */
  { 14, "jobs",
    "CREATE TABLE compute_jobs ("
    "  id INTEGER PRIMARY KEY,"
    "  engine TEXT NOT NULL,"
    "  engine_job_id TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  region TEXT,"
    "  queue TEXT,"
    "  job_definition TEXT,"
    "  job_url TEXT,"
    "  shards INTEGER NOT NULL,"
    "  job_sha256 TEXT NOT NULL,"
    "  job TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  shards_succeeded INTEGER NOT NULL DEFAULT 0,"
    "  shards_failed INTEGER NOT NULL DEFAULT 0,"
    "  submitted_at INTEGER NOT NULL,"
    "  started_at INTEGER,"
    "  stopped_at INTEGER,"
    "  result TEXT,"
    "  UNIQUE (engine, engine_job_id));" },
};

const SextantMigration *
sextant_jobs_schema_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
