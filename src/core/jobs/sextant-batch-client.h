#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "bedrock/sextant-aws-credentials.h"

G_BEGIN_DECLS

/**
 * SextantBatchJobState:
 * @job_id: the job's id
 * @status: SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING, SUCCEEDED or FAILED
 * @status_reason: (nullable): why, as Batch says it
 * @array_size: the array's size, 0 for a single job
 * @n_succeeded: array children that succeeded
 * @n_failed: array children that failed for good
 * @n_running: array children running or starting
 * @created_at: milliseconds since 1970, or 0
 * @started_at: milliseconds since 1970, or 0
 * @stopped_at: milliseconds since 1970, or 0
 */
typedef struct
{
  char   *job_id;
  char   *status;
  char   *status_reason;
  guint   array_size;
  guint   n_succeeded;
  guint   n_failed;
  guint   n_running;
  gint64  created_at;
  gint64  started_at;
  gint64  stopped_at;
} SextantBatchJobState;

void                  sextant_batch_job_state_free (SextantBatchJobState *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantBatchJobState, sextant_batch_job_state_free)

#define SEXTANT_TYPE_BATCH_CLIENT (sextant_batch_client_get_type ())

G_DECLARE_FINAL_TYPE (SextantBatchClient, sextant_batch_client, SEXTANT, BATCH_CLIENT, GObject)

SextantBatchClient   *sextant_batch_client_new             (const char                   *region,
                                                            const SextantAwsCredentials  *credentials,
                                                            SoupSession                  *session,
                                                            GError                      **error);
void                  sextant_batch_client_submit_job_async (SextantBatchClient          *self,
                                                             const char                  *name,
                                                             const char                  *queue,
                                                             const char                  *definition,
                                                             guint                        array_size,
                                                             const char * const          *command,
                                                             GCancellable                *cancellable,
                                                             GAsyncReadyCallback          callback,
                                                             gpointer                     user_data);
char                 *sextant_batch_client_submit_job_finish (SextantBatchClient         *self,
                                                              GAsyncResult               *result,
                                                              GError                    **error);
void                  sextant_batch_client_describe_job_async (SextantBatchClient        *self,
                                                               const char                *job_id,
                                                               GCancellable              *cancellable,
                                                               GAsyncReadyCallback        callback,
                                                               gpointer                   user_data);
SextantBatchJobState *sextant_batch_client_describe_job_finish (SextantBatchClient       *self,
                                                                GAsyncResult             *result,
                                                                GError                  **error);
void                  sextant_batch_client_terminate_job_async (SextantBatchClient       *self,
                                                                const char               *job_id,
                                                                const char               *reason,
                                                                GCancellable             *cancellable,
                                                                GAsyncReadyCallback       callback,
                                                                gpointer                  user_data);
gboolean              sextant_batch_client_terminate_job_finish (SextantBatchClient      *self,
                                                                 GAsyncResult            *result,
                                                                 GError                 **error);
void                  sextant_batch_client_describe_usage_async (SextantBatchClient  *self,
                                                                 const char * const  *ids,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean              sextant_batch_client_describe_usage_finish (SextantBatchClient *self,
                                                                  GAsyncResult       *result,
                                                                  double             *vcpu_seconds,
                                                                  guint              *n_described,
                                                                  guint              *n_without_vcpus,
                                                                  GError            **error);
gboolean              sextant_batch_job_state_is_final     (const SextantBatchJobState   *state);

G_END_DECLS
