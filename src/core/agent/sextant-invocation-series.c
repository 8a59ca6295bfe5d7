#define G_LOG_DOMAIN "sextant-invocation-series"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "agent/sextant-invocation-log.h"
#include "agent/sextant-invocation-series.h"
#include "analytics/sextant-risk.h"

/* Throughput and latency per bucket for the monitoring charts, from the rows that
 * sextant_invocation_log_list() returns, so that the charts and the period's figures are
 * computed from the same rows. */

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/**
 * sextant_invocation_series_new:
 * @invocations: (element-type SextantInvocation): rows, in any order
 * @since: start of the period, unix µs; buckets start here
 * @until: end of the period, unix µs (excluded; after @since)
 * @bucket_us: the bucket width, µs (positive); the last bucket may reach past @until
 *
 * Rows outside the period are ignored.
 *
 * Returns: (transfer full): the buckets
 */
SextantInvocationSeries *
sextant_invocation_series_new (GPtrArray *invocations,
                               gint64     since,
                               gint64     until,
                               gint64     bucket_us)
{
  g_autofree GArray **latencies = NULL;
  SextantInvocationSeries *series;
  double minutes;

  g_return_val_if_fail (invocations != NULL, NULL);
  g_return_val_if_fail (until > since && bucket_us > 0, NULL);

  series = g_new0 (SextantInvocationSeries, 1);
  series->n = (until - since + bucket_us - 1) / bucket_us;
  series->bucket_us = bucket_us;
  series->times = g_new (double, series->n);
  series->requests_per_minute = g_new0 (double, series->n);
  series->latency_p50_ms = g_new (double, series->n);
  series->latency_p95_ms = g_new (double, series->n);
  latencies = g_new0 (GArray *, series->n);

  for (guint i = 0; i < invocations->len; i++)
    {
      const SextantInvocation *inv = invocations->pdata[i];
      double latency = inv->latency_ms;
      gsize bucket;

      if (inv->started_at < since || inv->started_at >= until)
        continue;
      bucket = (inv->started_at - since) / bucket_us;
      if (latencies[bucket] == NULL)
        latencies[bucket] = g_array_new (FALSE, FALSE, sizeof (double));
      g_array_append_val (latencies[bucket], latency);
    }

  minutes = bucket_us / (60.0 * G_USEC_PER_SEC);
  for (gsize b = 0; b < series->n; b++)
    {
      GArray *values = latencies[b];

      series->times[b] = (since + b * bucket_us + bucket_us / 2) / (double) G_USEC_PER_SEC;
      series->latency_p50_ms[b] = series->latency_p95_ms[b] = NAN;
      if (values == NULL)
        continue;
      series->requests_per_minute[b] = values->len / minutes;
      qsort (values->data, values->len, sizeof (double), compare_doubles);
      series->latency_p50_ms[b] = sextant_quantile_type7 ((const double *) values->data, values->len, 0.50);
      series->latency_p95_ms[b] = sextant_quantile_type7 ((const double *) values->data, values->len, 0.95);
      g_array_unref (values);
    }

  return series;
}

void
sextant_invocation_series_free (SextantInvocationSeries *series)
{
  if (series == NULL)
    return;
  g_free (series->times);
  g_free (series->requests_per_minute);
  g_free (series->latency_p50_ms);
  g_free (series->latency_p95_ms);
  g_free (series);
}
