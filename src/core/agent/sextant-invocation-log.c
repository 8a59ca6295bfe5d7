#define G_LOG_DOMAIN "sextant-invocation-log"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <gio/gio.h>

#include "agent/sextant-agent-error.h"
#include "bedrock/sextant-bedrock-error.h"
#include "agent/sextant-invocation-log.h"
#include "analytics/sextant-risk.h"

/* Every agent turn, recorded for the risk dashboard's monitoring page (table agent_invocations
 * of migration 3), and the figures that page shows: throughput, latency percentiles, tokens and
 * errors by type over a period. */

struct _SextantInvocationLog
{
  GObject       parent_instance;
  SextantStore *store;
};

G_DEFINE_FINAL_TYPE (SextantInvocationLog, sextant_invocation_log, G_TYPE_OBJECT)

enum { RECORDED, N_SIGNALS };
static guint signals [N_SIGNALS];

void
sextant_invocation_clear (SextantInvocation *invocation)
{
  g_clear_pointer (&invocation->model, g_free);
  g_clear_pointer (&invocation->role, g_free);
  g_clear_pointer (&invocation->outcome, g_free);
  g_clear_pointer (&invocation->error_type, g_free);
  g_clear_pointer (&invocation->region, g_free);
}

void
sextant_invocation_free (SextantInvocation *invocation)
{
  if (invocation == NULL)
    return;
  sextant_invocation_clear (invocation);
  g_free (invocation);
}

static void
error_count_free (gpointer data)
{
  SextantErrorCount *count = data;

  g_free (count->error_type);
  g_free (count);
}

void
sextant_invocation_stats_free (SextantInvocationStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->errors, g_ptr_array_unref);
  g_free (stats);
}

static void
sextant_invocation_log_finalize (GObject *object)
{
  g_clear_object (&SEXTANT_INVOCATION_LOG (object)->store);

  G_OBJECT_CLASS (sextant_invocation_log_parent_class)->finalize (object);
}

static void
sextant_invocation_log_class_init (SextantInvocationLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_invocation_log_finalize;

  /**
   * SextantInvocationLog::recorded:
   * @self: the log
   * @started_at: the new invocation's start, unix µs
   *
   * Emitted after an invocation is stored, in the thread that recorded it (the agent records
   * on the main context), so that a monitoring view shows it without polling the database.
   */
  signals [RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
sextant_invocation_log_init (SextantInvocationLog *self)
{
}

/**
 * sextant_invocation_log_new:
 * @store: an open store (schema 3 or later)
 *
 * Returns: (transfer full): the log
 */
SextantInvocationLog *
sextant_invocation_log_new (SextantStore *store)
{
  SextantInvocationLog *self;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), NULL);

  self = g_object_new (SEXTANT_TYPE_INVOCATION_LOG, NULL);
  self->store = g_object_ref (store);

  return self;
}

/**
 * sextant_invocation_error_type:
 * @error: (nullable): why an invocation failed
 *
 * Returns: (transfer full) (nullable): a short stable name for @error: the enum nick of a
 *   Bedrock error (`throttled`, `truncated`, …), `cancelled`, or `<domain>:<code>`
 */
char *
sextant_invocation_error_type (const GError *error)
{
  static const char * const bedrock[] = {
    "throttled", "validation", "access-denied", "not-found", "model-not-ready", "model-timeout",
    "model-error", "internal", "service-unavailable", "quota-exceeded", "needs-inference-profile",
    "expired-token", "credentials", "http", "stream-exception", "event-stream", "prelude-crc",
    "message-crc", "headers-length", "payload-length", "duplicate-header", "truncated",
    "empty-answer", "parse", "timeout", "network", "invalid-argument",
  };

  if (error == NULL)
    return NULL;
  if (error->domain == SEXTANT_BEDROCK_ERROR && error->code >= 0 && (guint) error->code < G_N_ELEMENTS (bedrock))
    return g_strdup (bedrock[error->code]);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup ("cancelled");
  if (error->domain == SEXTANT_AGENT_ERROR && error->code == SEXTANT_AGENT_ERROR_TOO_MANY_ROUNDS)
    return g_strdup ("too-many-rounds");

  return g_strdup_printf ("%s:%d", g_quark_to_string (error->domain), error->code);
}

/**
 * sextant_invocation_log_record:
 * @self: a log
 * @invocation: the turn to record
 * @error: return location
 *
 * Stores @invocation and emits #SextantInvocationLog::recorded.
 */
gboolean
sextant_invocation_log_record (SextantInvocationLog     *self,
                               const SextantInvocation  *inv,
                               GError                  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_INVOCATION_LOG (self), FALSE);
  g_return_val_if_fail (inv != NULL && inv->outcome != NULL, FALSE);

  stmt = sextant_store_prepare (self->store, "INSERT INTO agent_invocations (conversation_id, started_at, "
                                "model, role, ttft_ms, latency_ms, input_tokens, output_tokens, tool_calls, "
                                "retries, outcome, error_type, region, cache_read_tokens, cache_write_tokens) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  if (inv->conversation_id > 0)
    sqlite3_bind_int64 (stmt, 1, inv->conversation_id);
  sqlite3_bind_int64 (stmt, 2, inv->started_at);
  sqlite3_bind_text (stmt, 3, inv->model, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, inv->role, -1, SQLITE_STATIC);
  if (inv->ttft_ms >= 0)
    sqlite3_bind_int64 (stmt, 5, inv->ttft_ms);
  sqlite3_bind_int64 (stmt, 6, inv->latency_ms);
  sqlite3_bind_int64 (stmt, 7, inv->input_tokens);
  sqlite3_bind_int64 (stmt, 8, inv->output_tokens);
  sqlite3_bind_int (stmt, 9, inv->tool_calls);
  sqlite3_bind_int (stmt, 10, inv->retries);
  sqlite3_bind_text (stmt, 11, inv->outcome, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, inv->error_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, inv->region, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 14, inv->cache_read_tokens);
  sqlite3_bind_int64 (stmt, 15, inv->cache_write_tokens);
  if (!sextant_store_step_done (self->store, stmt, error))
    return FALSE;
  g_signal_emit (self, signals [RECORDED], 0, inv->started_at);

  return TRUE;
}

/**
 * sextant_invocation_log_get_store:
 *
 * Returns: (transfer none): the database the log is kept in
 */
SextantStore *
sextant_invocation_log_get_store (SextantInvocationLog *self)
{
  g_return_val_if_fail (SEXTANT_IS_INVOCATION_LOG (self), NULL);

  return self->store;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/**
 * sextant_invocation_log_list:
 * @self: a log
 * @since: first time included, unix µs
 * @until: first time excluded, unix µs
 * @error: return location
 *
 * Returns: (transfer full) (element-type SextantInvocation): the invocations, oldest first
 */
GPtrArray *
sextant_invocation_log_list (SextantInvocationLog  *self,
                             gint64                 since,
                             gint64                 until,
                             GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *list;

  g_return_val_if_fail (SEXTANT_IS_INVOCATION_LOG (self), NULL);

  stmt = sextant_store_prepare (self->store, "SELECT coalesce(conversation_id, 0), started_at, model, role, "
                                "coalesce(ttft_ms, -1), latency_ms, input_tokens, output_tokens, tool_calls, "
                                "retries, outcome, error_type, region, cache_read_tokens, cache_write_tokens FROM agent_invocations "
                                "WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, until);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_invocation_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SextantInvocation *inv = g_new0 (SextantInvocation, 1);

      inv->conversation_id = sqlite3_column_int64 (stmt, 0);
      inv->started_at = sqlite3_column_int64 (stmt, 1);
      inv->model = dup_column (stmt, 2);
      inv->role = dup_column (stmt, 3);
      inv->ttft_ms = sqlite3_column_int64 (stmt, 4);
      inv->latency_ms = sqlite3_column_int64 (stmt, 5);
      inv->input_tokens = sqlite3_column_int64 (stmt, 6);
      inv->output_tokens = sqlite3_column_int64 (stmt, 7);
      inv->tool_calls = sqlite3_column_int (stmt, 8);
      inv->retries = sqlite3_column_int (stmt, 9);
      inv->outcome = dup_column (stmt, 10);
      inv->error_type = dup_column (stmt, 11);
      inv->region = dup_column (stmt, 12);
      inv->cache_read_tokens = sqlite3_column_int64 (stmt, 13);
      inv->cache_write_tokens = sqlite3_column_int64 (stmt, 14);
      g_ptr_array_add (list, inv);
    }

  return list;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
percentiles (GArray *values,
             double *p50,
             double *p95)
{
  *p50 = *p95 = NAN;
  if (values->len == 0)
    return;
  qsort (values->data, values->len, sizeof (double), compare_doubles);
  *p50 = sextant_quantile_type7 ((const double *) values->data, values->len, 0.50);
  *p95 = sextant_quantile_type7 ((const double *) values->data, values->len, 0.95);
}

static void
count_error (GPtrArray  *errors,
             const char *type)
{
  SextantErrorCount *count;

  for (guint i = 0; i < errors->len; i++)
    if (g_str_equal (((SextantErrorCount *) errors->pdata[i])->error_type, type))
      {
        ((SextantErrorCount *) errors->pdata[i])->count++;
        return;
      }
  count = g_new0 (SextantErrorCount, 1);
  count->error_type = g_strdup (type);
  count->count = 1;
  g_ptr_array_add (errors, count);
}

static int
compare_counts (gconstpointer a,
                gconstpointer b)
{
  const SextantErrorCount *x = *(const SextantErrorCount * const *) a;
  const SextantErrorCount *y = *(const SextantErrorCount * const *) b;

  return x->count != y->count ? (x->count < y->count ? 1 : -1) : g_strcmp0 (x->error_type, y->error_type);
}

/**
 * sextant_invocation_log_query_stats:
 * @self: a log
 * @since: start of the period, unix µs (included)
 * @until: end of the period, unix µs (excluded; must be after @since)
 * @error: return location
 *
 * Returns: (transfer full): the period's figures
 */
SextantInvocationStats *
sextant_invocation_log_query_stats (SextantInvocationLog  *self,
                                    gint64                 since,
                                    gint64                 until,
                                    GError               **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GArray) latency = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ttft = g_array_new (FALSE, FALSE, sizeof (double));
  SextantInvocationStats *stats;

  g_return_val_if_fail (until > since, NULL);

  if (!(list = sextant_invocation_log_list (self, since, until, error)))
    return NULL;
  stats = g_new0 (SextantInvocationStats, 1);
  stats->errors = g_ptr_array_new_with_free_func (error_count_free);
  for (guint i = 0; i < list->len; i++)
    {
      SextantInvocation *inv = list->pdata[i];
      double v = inv->latency_ms, t = inv->ttft_ms;

      g_array_append_val (latency, v);
      if (inv->ttft_ms >= 0)
        g_array_append_val (ttft, t);
      stats->input_tokens += inv->input_tokens;
      stats->output_tokens += inv->output_tokens;
      stats->tool_calls += inv->tool_calls;
      stats->retries += inv->retries;
      if (!g_str_equal (inv->outcome, "success") && !g_str_equal (inv->outcome, "offline"))
        {
          stats->n_errors++;
          count_error (stats->errors, inv->error_type != NULL ? inv->error_type : inv->outcome);
        }
    }
  stats->n_requests = list->len;
  stats->requests_per_minute = list->len / ((until - since) / (60.0 * G_USEC_PER_SEC));
  stats->error_rate = list->len > 0 ? (double) stats->n_errors / list->len : 0;
  for (guint i = 0; i < stats->errors->len; i++)
    ((SextantErrorCount *) stats->errors->pdata[i])->rate = (double) ((SextantErrorCount *) stats->errors->pdata[i])->count / list->len;
  g_ptr_array_sort (stats->errors, compare_counts);
  percentiles (latency, &stats->latency_p50_ms, &stats->latency_p95_ms);
  percentiles (ttft, &stats->ttft_p50_ms, &stats->ttft_p95_ms);

  return stats;
}

/**
 * sextant_invocation_log_requests_per_minute:
 * @self: a log
 * @since: start, unix µs; minute buckets start here
 * @until: end, unix µs (excluded)
 * @error: return location
 *
 * Returns: (transfer full) (element-type gint64): invocations started in each minute from @since
 */
GArray *
sextant_invocation_log_requests_per_minute (SextantInvocationLog  *self,
                                            gint64                 since,
                                            gint64                 until,
                                            GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 minute = 60 * G_USEC_PER_SEC;
  guint n_buckets;
  GArray *buckets;

  g_return_val_if_fail (SEXTANT_IS_INVOCATION_LOG (self), NULL);
  g_return_val_if_fail (until > since, NULL);

  stmt = sextant_store_prepare (self->store, "SELECT (started_at - ?1) / ?3, count(*) FROM agent_invocations "
                                "WHERE started_at >= ?1 AND started_at < ?2 GROUP BY 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, until);
  sqlite3_bind_int64 (stmt, 3, minute);
  n_buckets = (until - since + minute - 1) / minute;
  buckets = g_array_sized_new (FALSE, TRUE, sizeof (gint64), n_buckets);
  g_array_set_size (buckets, n_buckets);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 bucket = sqlite3_column_int64 (stmt, 0);

      if (bucket >= 0 && bucket < n_buckets)
        g_array_index (buckets, gint64, bucket) = sqlite3_column_int64 (stmt, 1);
    }

  return buckets;
}
