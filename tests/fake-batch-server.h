#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* In-process stand-ins for Amazon S3 (PutObject, GetObject; path-style) and AWS Batch
 * (SubmitJob, DescribeJobs, TerminateJob; rest-json) on 127.0.0.1. Every request's SigV4
 * signature is checked with tests/sigv4-verifier.c, with S3's rules for S3. The fake Batch runs
 * each array child as Batch would run the container: the submitted command, with `sextant-cli`
 * replaced by the built one and AWS_BATCH_JOB_ARRAY_INDEX set, at most two at a time, retried
 * up to the job's retryStrategy attempts. Faults are injected per test. */

typedef struct _FakeS3Server FakeS3Server;
typedef struct _FakeBatchServer FakeBatchServer;

FakeS3Server    *fake_s3_server_new                (const char      *region,
                                                    const char      *access_key_id,
                                                    const char      *secret_access_key);
void             fake_s3_server_free               (FakeS3Server    *self);
const char      *fake_s3_server_get_url            (FakeS3Server    *self);
GBytes          *fake_s3_server_get_object         (FakeS3Server    *self,
                                                    const char      *bucket,
                                                    const char      *key);
guint            fake_s3_server_get_n_objects      (FakeS3Server    *self);
guint            fake_s3_server_get_n_bad_signatures (FakeS3Server  *self);
guint            fake_s3_server_get_n_requests     (FakeS3Server    *self,
                                                    const char      *method);
/* the next @count requests with @method are answered @status (503 SlowDown, 403 AccessDenied) */
void             fake_s3_server_push_status        (FakeS3Server    *self,
                                                    const char      *method,
                                                    guint            status,
                                                    guint            count);
/* keys ending in @suffix are never stored (a child that "succeeds" without its output) */
void             fake_s3_server_drop_puts          (FakeS3Server    *self,
                                                    const char      *suffix);

FakeBatchServer *fake_batch_server_new             (const char      *region,
                                                    const char      *access_key_id,
                                                    const char      *secret_access_key,
                                                    const char      *cli_path,
                                                    const char * const *child_env);
void             fake_batch_server_free            (FakeBatchServer *self);
const char      *fake_batch_server_get_url         (FakeBatchServer *self);
guint            fake_batch_server_get_n_bad_signatures (FakeBatchServer *self);
guint            fake_batch_server_get_n_submits   (FakeBatchServer *self);
const char      *fake_batch_server_get_last_submit (FakeBatchServer *self);
guint            fake_batch_server_get_n_attempts  (FakeBatchServer *self,
                                                    guint            index);
guint            fake_batch_server_get_n_terminates (FakeBatchServer *self);
/* vCPU-seconds the last job's children used, from the server's own record of their attempts */
double           fake_batch_server_get_vcpu_seconds (FakeBatchServer *self);
/* the first attempt of child @index dies before running (its host went away); Batch retries it */
void             fake_batch_server_fail_first_attempt (FakeBatchServer *self,
                                                       guint            index);
/* every attempt of child @index fails */
void             fake_batch_server_fail_always     (FakeBatchServer *self,
                                                    guint            index);
/* children stay RUNNABLE until released (for cancel tests) */
void             fake_batch_server_hold            (FakeBatchServer *self,
                                                    gboolean         hold);

G_END_DECLS
