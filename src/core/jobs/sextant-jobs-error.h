#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantJobsError:
 * @SEXTANT_JOBS_ERROR_ACCESS_DENIED: S3 or Batch answered 403 (names the bucket or the call)
 * @SEXTANT_JOBS_ERROR_NOT_FOUND: an S3 object or a Batch job that does not exist
 * @SEXTANT_JOBS_ERROR_UNAVAILABLE: 5xx or throttling, still so after the retries
 * @SEXTANT_JOBS_ERROR_HTTP: any other HTTP error status
 * @SEXTANT_JOBS_ERROR_PARSE: a response that is not the documented JSON
 * @SEXTANT_JOBS_ERROR_NETWORK: the endpoint could not be reached or the connection broke
 * @SEXTANT_JOBS_ERROR_INVALID_ARGUMENT: a request the client refuses to send
 * @SEXTANT_JOBS_ERROR_SHARD_FAILED: an array child failed for good
 * @SEXTANT_JOBS_ERROR_SHARD_MISSING: an array child succeeded but left no output
 * @SEXTANT_JOBS_ERROR_CANCELLED: the job was cancelled (TerminateJob)
 */
typedef enum
{
  SEXTANT_JOBS_ERROR_ACCESS_DENIED,
  SEXTANT_JOBS_ERROR_NOT_FOUND,
  SEXTANT_JOBS_ERROR_UNAVAILABLE,
  SEXTANT_JOBS_ERROR_HTTP,
  SEXTANT_JOBS_ERROR_PARSE,
  SEXTANT_JOBS_ERROR_NETWORK,
  SEXTANT_JOBS_ERROR_INVALID_ARGUMENT,
  SEXTANT_JOBS_ERROR_SHARD_FAILED,
  SEXTANT_JOBS_ERROR_SHARD_MISSING,
  SEXTANT_JOBS_ERROR_CANCELLED,
} SextantJobsError;

#define SEXTANT_JOBS_ERROR (sextant_jobs_error_quark ())

GQuark sextant_jobs_error_quark (void);

G_END_DECLS
