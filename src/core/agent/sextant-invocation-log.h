#pragma once

#include <glib-object.h>

#include "base/sextant-store.h"

G_BEGIN_DECLS

/**
 * SextantInvocation:
 * @conversation_id: the conversation, 0 for none (the CLI's one-off questions)
 * @started_at: unix microseconds when the request was sent
 * @model: (nullable): the model id, %NULL for the offline analyst
 * @role: (nullable): the role id
 * @ttft_ms: milliseconds to the first streamed event, -1 when none arrived
 * @latency_ms: milliseconds from the request to the end of the answer (or the failure)
 * @input_tokens: input tokens summed over the turn's rounds
 * @output_tokens: output tokens summed over the turn's rounds
 * @tool_calls: tool calls run during the turn
 * @retries: HTTP attempts beyond the first, over all rounds
 * @outcome: `success`, `interrupted`, `failed`, `cancelled` or `offline`
 * @error_type: (nullable): the error for a failure: a #SextantBedrockError nick such as
 *   `throttled`, or another domain's name
 * @region: (nullable): the region that answered the last model call (with region fallback it may
 *   not be the configured one); %NULL offline
 * @cache_read_tokens: input tokens read from the prompt cache (not in @input_tokens)
 * @cache_write_tokens: input tokens written to the prompt cache (not in @input_tokens)
 *
 * One agent turn as the monitoring view sees it.
 */
typedef struct
{
  gint64  conversation_id;
  gint64  started_at;
  char   *model;
  char   *role;
  gint64  ttft_ms;
  gint64  latency_ms;
  gint64  input_tokens;
  gint64  output_tokens;
  guint   tool_calls;
  guint   retries;
  char   *outcome;
  char   *error_type;
  char   *region;
  gint64  cache_read_tokens;
  gint64  cache_write_tokens;
} SextantInvocation;

/**
 * SextantErrorCount:
 * @error_type: the error type
 * @count: how many invocations failed with it
 * @rate: @count over all invocations in the period
 */
typedef struct
{
  char   *error_type;
  gint64  count;
  double  rate;
} SextantErrorCount;

/**
 * SextantInvocationStats:
 * @n_requests: invocations in the period
 * @requests_per_minute: @n_requests over the period's length in minutes
 * @latency_p50_ms: median total latency (type-7 quantile), NaN without data
 * @latency_p95_ms: 95th percentile of total latency
 * @ttft_p50_ms: median time to first token, over invocations that streamed anything
 * @ttft_p95_ms: 95th percentile of time to first token
 * @input_tokens: input tokens in the period
 * @output_tokens: output tokens in the period
 * @tool_calls: tool calls in the period
 * @retries: retries in the period
 * @n_errors: invocations whose outcome is not `success` or `offline`
 * @error_rate: @n_errors / @n_requests (0 without data)
 * @errors: (element-type SextantErrorCount): counts by error type, most frequent first
 */
typedef struct
{
  gint64      n_requests;
  double      requests_per_minute;
  double      latency_p50_ms;
  double      latency_p95_ms;
  double      ttft_p50_ms;
  double      ttft_p95_ms;
  gint64      input_tokens;
  gint64      output_tokens;
  gint64      tool_calls;
  gint64      retries;
  gint64      n_errors;
  double      error_rate;
  GPtrArray  *errors;
} SextantInvocationStats;

void                    sextant_invocation_clear           (SextantInvocation      *invocation);
void                    sextant_invocation_free            (SextantInvocation      *invocation);
void                    sextant_invocation_stats_free      (SextantInvocationStats *stats);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SextantInvocation, sextant_invocation_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantInvocationStats, sextant_invocation_stats_free)

#define SEXTANT_TYPE_INVOCATION_LOG (sextant_invocation_log_get_type ())

G_DECLARE_FINAL_TYPE (SextantInvocationLog, sextant_invocation_log, SEXTANT, INVOCATION_LOG, GObject)

SextantInvocationLog   *sextant_invocation_log_new                 (SextantStore          *store);
SextantStore           *sextant_invocation_log_get_store           (SextantInvocationLog  *self);
gboolean                sextant_invocation_log_record              (SextantInvocationLog  *self,
                                                                    const SextantInvocation *invocation,
                                                                    GError               **error);
GPtrArray              *sextant_invocation_log_list                (SextantInvocationLog  *self,
                                                                    gint64                 since,
                                                                    gint64                 until,
                                                                    GError               **error);
SextantInvocationStats *sextant_invocation_log_query_stats         (SextantInvocationLog  *self,
                                                                    gint64                 since,
                                                                    gint64                 until,
                                                                    GError               **error);
GArray                 *sextant_invocation_log_requests_per_minute (SextantInvocationLog  *self,
                                                                    gint64                 since,
                                                                    gint64                 until,
                                                                    GError               **error);
char                   *sextant_invocation_error_type              (const GError          *error);

G_END_DECLS
