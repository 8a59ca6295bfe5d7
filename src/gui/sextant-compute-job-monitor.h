#pragma once

#include <gio/gio.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/**
 * SextantComputeJobInfo:
 * @id: the `compute_jobs` row, 0 until Batch has accepted the job
 * @engine_job_id: (nullable): Batch's id for it
 * @queue: (nullable): the queue it went to
 * @status: the last state seen: SUBMITTING, then Batch's (SUBMITTED … SUCCEEDED, FAILED)
 * @shards: the array's size
 * @n_succeeded: shards done
 * @n_running: shards running
 * @n_failed: shards that failed for good
 * @following: a worker is following it now
 * @result: (nullable): the merged report, JSON (`sextant-cli scenarios --format json`)
 * @error: (nullable): why the run ended without a result (failed, cancelled, a shard missing)
 * @vcpu_seconds: what its shards used, NaN until known (or when Batch no longer says)
 *
 * What the Portfolio window shows of a scenario job on AWS Batch.
 */
typedef struct
{
  gint64    id;
  char     *engine_job_id;
  char     *queue;
  char     *status;
  guint     shards;
  guint     n_succeeded;
  guint     n_running;
  guint     n_failed;
  gboolean  following;
  char     *result;
  char     *error;
  double    vcpu_seconds;
} SextantComputeJobInfo;

#define SEXTANT_TYPE_COMPUTE_JOB_MONITOR (sextant_compute_job_monitor_get_type ())

G_DECLARE_FINAL_TYPE (SextantComputeJobMonitor, sextant_compute_job_monitor, SEXTANT, COMPUTE_JOB_MONITOR, GObject)

SextantComputeJobMonitor    *sextant_compute_job_monitor_get_for_workspace (SextantWorkspace             *workspace);
void                         sextant_compute_job_monitor_submit  (SextantComputeJobMonitor     *self,
                                                                  SextantScenarioJob           *job,
                                                                  const SextantBatchSettings   *settings,
                                                                  const SextantAwsCredentials  *credentials);
void                         sextant_compute_job_monitor_resume  (SextantComputeJobMonitor     *self,
                                                                  const char                   *region,
                                                                  const SextantAwsCredentials  *credentials);
gboolean                     sextant_compute_job_monitor_cancel  (SextantComputeJobMonitor     *self);
const SextantComputeJobInfo *sextant_compute_job_monitor_get_latest (SextantComputeJobMonitor  *self);
gboolean                     sextant_compute_job_monitor_get_busy (SextantComputeJobMonitor    *self);

G_END_DECLS
