#pragma once

#include <gio/gio.h>

#include "bedrock/sextant-aws-credentials.h"
#include "jobs/sextant-batch-client.h"
#include "jobs/sextant-scenario-job.h"

G_BEGIN_DECLS

/**
 * SextantBatchSettings:
 * @region: the region of the queue and the bucket
 * @queue: the user's job queue
 * @definition: the user's job definition (the image of data/container/)
 * @bucket: the bucket the job and the shards go through
 * @prefix: the key prefix inside it, without a trailing slash
 * @shards: the array's size
 * @poll_interval_ms: the pause between two DescribeJobs
 */
typedef struct
{
  const char *region;
  const char *queue;
  const char *definition;
  const char *bucket;
  const char *prefix;
  guint       shards;
  guint       poll_interval_ms;
} SextantBatchSettings;

typedef void (*SextantBatchSubmittedFunc) (const char                 *batch_job_id,
                                           const char                 *job_url,
                                           gpointer                    user_data);
typedef void (*SextantBatchProgressFunc)  (const SextantBatchJobState *state,
                                           gpointer                    user_data);

gboolean              sextant_batch_engine_run       (SextantScenarioJob           *job,
                                                      const SextantBatchSettings   *settings,
                                                      const SextantAwsCredentials  *credentials,
                                                      SextantBatchSubmittedFunc     submitted,
                                                      SextantBatchProgressFunc      progress,
                                                      gpointer                      user_data,
                                                      GCancellable                 *cancellable,
                                                      SextantScenarioRun           *result,
                                                      GError                      **error);
gboolean              sextant_batch_engine_follow    (const SextantBatchSettings   *settings,
                                                      const SextantAwsCredentials  *credentials,
                                                      const char                   *batch_job_id,
                                                      const char                   *job_url,
                                                      SextantBatchProgressFunc      progress,
                                                      gpointer                      user_data,
                                                      GCancellable                 *cancellable,
                                                      SextantScenarioRun           *result,
                                                      GError                      **error);
gboolean              sextant_batch_engine_usage     (const char                   *region,
                                                      const SextantAwsCredentials  *credentials,
                                                      const char                   *batch_job_id,
                                                      guint                         shards,
                                                      double                       *vcpu_seconds,
                                                      GError                      **error);
char                 *sextant_batch_engine_describe_cost (double                  vcpu_seconds,
                                                          double                  price_per_vcpu_hour);
SextantBatchJobState *sextant_batch_engine_describe  (const char                   *region,
                                                      const SextantAwsCredentials  *credentials,
                                                      const char                   *batch_job_id,
                                                      GError                      **error);
gboolean              sextant_batch_engine_terminate (const char                   *region,
                                                      const SextantAwsCredentials  *credentials,
                                                      const char                   *batch_job_id,
                                                      const char                   *reason,
                                                      GError                      **error);
GBytes               *sextant_s3_get_sync            (const char                   *region,
                                                      const SextantAwsCredentials  *credentials,
                                                      const char                   *url,
                                                      GError                      **error);
gboolean              sextant_s3_put_sync            (const char                   *region,
                                                      const SextantAwsCredentials  *credentials,
                                                      const char                   *url,
                                                      GBytes                       *bytes,
                                                      GError                      **error);

G_END_DECLS
