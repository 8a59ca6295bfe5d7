#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantInvocationSeries:
 * @n: the number of buckets
 * @bucket_us: the width of a bucket, µs
 * @times: the middle of each bucket, unix seconds (what the time-series chart expects)
 * @requests_per_minute: invocations started in each bucket over the bucket's length in minutes
 * @latency_p50_ms: the median total latency of the bucket's invocations, NaN for an empty bucket
 * @latency_p95_ms: their 95th percentile (type-7 quantile, as the period's statistics)
 *
 * The monitoring page's charts: a period cut into equal buckets.
 */
typedef struct
{
  gsize   n;
  gint64  bucket_us;
  double *times;
  double *requests_per_minute;
  double *latency_p50_ms;
  double *latency_p95_ms;
} SextantInvocationSeries;

SextantInvocationSeries *sextant_invocation_series_new  (GPtrArray               *invocations,
                                                         gint64                   since,
                                                         gint64                   until,
                                                         gint64                   bucket_us);
void                     sextant_invocation_series_free (SextantInvocationSeries *series);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantInvocationSeries, sextant_invocation_series_free)

G_END_DECLS
