#pragma once

#include <json-glib/json-glib.h>

#include "base/sextant-store.h"
#include "jobs/sextant-batch-client.h"

G_BEGIN_DECLS

/**
 * SextantComputeJob:
 * @id: the row's id
 * @engine: `batch`
 * @engine_job_id: the engine's id (Batch's job id)
 * @region: (nullable): where the engine runs it
 * @queue: (nullable): the Batch queue
 * @job_url: (nullable): where the job file is (`s3://…/job.json`)
 * @shards: how many shards
 * @job_sha256: the job's digest
 * @status: the last state seen (SUBMITTED … SUCCEEDED, FAILED)
 * @shards_succeeded: children that succeeded when last seen
 * @shards_failed: children that failed when last seen
 * @submitted_at: seconds since 1970
 * @started_at: milliseconds since 1970 (Batch's own), or 0
 * @stopped_at: milliseconds since 1970, or 0
 * @result: (nullable): the report, JSON, once merged
 */
typedef struct
{
  gint64  id;
  char   *engine;
  char   *engine_job_id;
  char   *region;
  char   *queue;
  char   *job_definition;
  char   *job_url;
  guint   shards;
  char   *job_sha256;
  char   *status;
  guint   shards_succeeded;
  guint   shards_failed;
  gint64  submitted_at;
  gint64  started_at;
  gint64  stopped_at;
  char   *result;
} SextantComputeJob;

void               sextant_compute_job_free         (SextantComputeJob          *job);
gint64             sextant_compute_job_store_add    (SextantStore               *store,
                                                     const SextantComputeJob    *job,
                                                     const char                 *job_json,
                                                     GError                    **error);
gboolean           sextant_compute_job_store_update (SextantStore               *store,
                                                     gint64                      id,
                                                     const SextantBatchJobState *state,
                                                     GError                    **error);
gboolean           sextant_compute_job_store_set_result (SextantStore           *store,
                                                         gint64                  id,
                                                         const char             *result,
                                                         GError                **error);
GPtrArray         *sextant_compute_job_store_list   (SextantStore               *store,
                                                     GError                    **error);
SextantComputeJob *sextant_compute_job_store_find   (SextantStore               *store,
                                                     const char                 *id_or_engine_id,
                                                     GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantComputeJob, sextant_compute_job_free)

G_END_DECLS
