#define G_LOG_DOMAIN "test-invocation-log"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Invocation records and the monitoring figures computed from them, on hand-made records whose
 * percentiles and rates are worked out in the comments. */

static SextantStore *
open_store (char **dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  SextantStore *store;

  *dir = sextant_test_make_temp_dir ();
  path = g_build_filename (*dir, "sextant.db", NULL);
  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);

  return store;
}

#define T0 ((gint64) 1700000000 * G_USEC_PER_SEC)
#define MINUTE ((gint64) 60 * G_USEC_PER_SEC)

static void
record (SextantInvocationLog *log,
        guint                 i,
        const char           *outcome,
        const char           *error_type)
{
  g_autoptr(GError) error = NULL;
  SextantInvocation inv = {
    .conversation_id = 0,
    .started_at = T0 + (i % 10) * MINUTE + i,
    .model = (char *) "amazon.nova-lite-v1:0",
    .role = (char *) "analyst",
    .ttft_ms = i % 2 == 0 ? 10 * (gint64) (i + 1) : -1,
    .latency_ms = 100 * (i + 1),
    .input_tokens = 1000,
    .output_tokens = 50,
    .tool_calls = 2,
    .retries = i == 3 ? 2 : 0,
    .outcome = (char *) outcome,
    .error_type = (char *) error_type,
  };

  g_assert_true (sextant_invocation_log_record (log, &inv, &error));
  g_assert_no_error (error);
}

static void
test_stats (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(SextantStore) store = open_store (&dir);
  g_autoptr(SextantInvocationLog) log = sextant_invocation_log_new (store);
  g_autoptr(SextantInvocationStats) stats = NULL;
  g_autoptr(SextantInvocationStats) empty = NULL;
  g_autoptr(GArray) per_minute = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  SextantErrorCount *top;

  /* 20 invocations, latencies 100, 200, …, 2000 ms; 3 throttled, 1 truncated, 1 offline. */
  for (guint i = 0; i < 20; i++)
    record (log, i, i < 3 ? "failed" : i == 3 ? "interrupted" : i == 4 ? "offline" : "success",
            i < 3 ? "throttled" : i == 3 ? "truncated" : NULL);
  /* One outside the period. */
  {
    SextantInvocation late = { .started_at = T0 + 11 * MINUTE, .latency_ms = 99999, .ttft_ms = -1,
                               .outcome = (char *) "success" };

    g_assert_true (sextant_invocation_log_record (log, &late, &error));
  }

  stats = sextant_invocation_log_query_stats (log, T0, T0 + 10 * MINUTE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stats->n_requests, ==, 20);
  /* 20 requests over 10 minutes. */
  g_assert_cmpfloat (stats->requests_per_minute, ==, 2.0);
  /* Type-7 quantiles of 100 … 2000 (n = 20): p50 at h = 19 × 0.5 = 9.5 → 1000 + 0.5 × 100 = 1050;
   * p95 at h = 19 × 0.95 = 18.05 → 1900 + 0.05 × 100 = 1905. */
  sextant_assert_close_rel (stats->latency_p50_ms, 1050, 1e-12);
  sextant_assert_close_rel (stats->latency_p95_ms, 1905, 1e-12);
  /* TTFT only for even i: 10, 30, …, 190 (n = 10): p50 at h = 4.5 → 90 + 0.5 × 20 = 100;
   * p95 at h = 8.55 → 170 + 0.55 × 20 = 181. */
  sextant_assert_close_rel (stats->ttft_p50_ms, 100, 1e-12);
  sextant_assert_close_rel (stats->ttft_p95_ms, 181, 1e-12);
  g_assert_cmpint (stats->input_tokens, ==, 20000);
  g_assert_cmpint (stats->output_tokens, ==, 1000);
  g_assert_cmpint (stats->tool_calls, ==, 40);
  g_assert_cmpint (stats->retries, ==, 2);
  /* Offline answers are not errors: 4 of 20. */
  g_assert_cmpint (stats->n_errors, ==, 4);
  g_assert_cmpfloat (stats->error_rate, ==, 0.2);
  g_assert_cmpuint (stats->errors->len, ==, 2);
  top = stats->errors->pdata[0];
  g_assert_cmpstr (top->error_type, ==, "throttled");
  g_assert_cmpint (top->count, ==, 3);
  g_assert_cmpfloat (top->rate, ==, 0.15);
  g_assert_cmpstr (((SextantErrorCount *) stats->errors->pdata[1])->error_type, ==, "truncated");

  /* i % 10 sets the minute: two per minute. */
  per_minute = sextant_invocation_log_requests_per_minute (log, T0, T0 + 12 * MINUTE, &error);
  g_assert_cmpuint (per_minute->len, ==, 12);
  for (guint m = 0; m < 10; m++)
    g_assert_cmpint (g_array_index (per_minute, gint64, m), ==, 2);
  g_assert_cmpint (g_array_index (per_minute, gint64, 10), ==, 0);
  g_assert_cmpint (g_array_index (per_minute, gint64, 11), ==, 1);

  /* Minute 1 holds i = 1 and i = 11, odd: no first token recorded. */
  list = sextant_invocation_log_list (log, T0 + MINUTE, T0 + 2 * MINUTE, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((SextantInvocation *) list->pdata[0])->model, ==, "amazon.nova-lite-v1:0");
  g_assert_cmpint (((SextantInvocation *) list->pdata[0])->ttft_ms, ==, -1);
  g_assert_cmpint (((SextantInvocation *) list->pdata[1])->latency_ms, ==, 1200);

  empty = sextant_invocation_log_query_stats (log, T0 - 10 * MINUTE, T0, &error);
  g_assert_cmpint (empty->n_requests, ==, 0);
  g_assert_true (isnan (empty->latency_p50_ms));
  g_assert_cmpfloat (empty->error_rate, ==, 0);
}

static void
count_recorded_cb (SextantInvocationLog *log,
                   gint64                started_at,
                   gpointer              user_data)
{
  gint64 *last = user_data;

  last[0]++;
  last[1] = started_at;
}

/* Buckets of the monitoring charts, on the same 20 records as above, and the signal the
 * monitoring page listens to. */
static void
test_series (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(SextantStore) store = open_store (&dir);
  g_autoptr(SextantInvocationLog) log = sextant_invocation_log_new (store);
  g_autoptr(SextantInvocationSeries) minutes = NULL;
  g_autoptr(SextantInvocationSeries) fives = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 recorded[2] = { 0, 0 };

  g_signal_connect (log, "recorded", G_CALLBACK (count_recorded_cb), recorded);
  for (guint i = 0; i < 20; i++)
    record (log, i, "success", NULL);
  /* One signal per stored row, carrying its start time (record () uses T0 + (i % 10) min + i µs). */
  g_assert_cmpint (recorded[0], ==, 20);
  g_assert_cmpint (recorded[1], ==, T0 + 9 * MINUTE + 19);

  list = sextant_invocation_log_list (log, T0, T0 + 12 * MINUTE, &error);
  g_assert_no_error (error);

  /* Minute buckets over 12 minutes: minute m holds i = m and i = m + 10, latencies
   * 100 (m + 1) and 100 (m + 11) ms; p50 of two values is their mean, 100 m + 600; p95 at
   * h = 0.95 is 100 (m + 1) + 0.95 × 1000. Minutes 10 and 11 are empty. */
  minutes = sextant_invocation_series_new (list, T0, T0 + 12 * MINUTE, MINUTE);
  g_assert_cmpuint (minutes->n, ==, 12);
  for (guint m = 0; m < 10; m++)
    {
      g_assert_cmpfloat (minutes->times[m], ==, (T0 + m * MINUTE + MINUTE / 2) / (double) G_USEC_PER_SEC);
      g_assert_cmpfloat (minutes->requests_per_minute[m], ==, 2.0);
      sextant_assert_close_rel (minutes->latency_p50_ms[m], 100.0 * m + 600, 1e-12);
      sextant_assert_close_rel (minutes->latency_p95_ms[m], 100.0 * (m + 1) + 950, 1e-12);
    }
  g_assert_cmpfloat (minutes->requests_per_minute[10], ==, 0);
  g_assert_true (isnan (minutes->latency_p50_ms[11]));

  /* Five-minute buckets: 10 invocations each, 2 per minute; the third bucket is cut at 12 min
   * but still counts per five minutes of its width. */
  fives = sextant_invocation_series_new (list, T0, T0 + 12 * MINUTE, 5 * MINUTE);
  g_assert_cmpuint (fives->n, ==, 3);
  g_assert_cmpfloat (fives->requests_per_minute[0], ==, 2.0);
  g_assert_cmpfloat (fives->requests_per_minute[1], ==, 2.0);
  g_assert_cmpfloat (fives->requests_per_minute[2], ==, 0);
  /* Bucket 0: minutes 0–4, latencies 100…500 and 1100…1500; sorted, p50 at h = 4.5 is
   * (500 + 1100) / 2 = 800. */
  sextant_assert_close_rel (fives->latency_p50_ms[0], 800, 1e-12);
}

static void
test_error_types (void)
{
  g_autoptr(GError) throttled = g_error_new (SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_THROTTLED, "x");
  g_autoptr(GError) invalid = g_error_new (SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT, "x");
  g_autoptr(GError) cancelled = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  g_autoptr(GError) rounds = g_error_new (SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_TOO_MANY_ROUNDS, "x");
  g_autofree char *a = sextant_invocation_error_type (throttled);
  g_autofree char *b = sextant_invocation_error_type (invalid);
  g_autofree char *c = sextant_invocation_error_type (cancelled);
  g_autofree char *d = sextant_invocation_error_type (rounds);

  g_assert_cmpstr (a, ==, "throttled");
  g_assert_cmpstr (b, ==, "invalid-argument");
  g_assert_cmpstr (c, ==, "cancelled");
  g_assert_cmpstr (d, ==, "too-many-rounds");
  g_assert_null (sextant_invocation_error_type (NULL));
}

static void
test_model_prices (void)
{
  g_autoptr(SextantModelPrices) prices = sextant_model_prices_new ();
  g_autoptr(SextantModelPrices) copy = sextant_model_prices_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  double in, out;

  /* Built-in: Claude 3 Haiku at $0.25 / $1.25 per million tokens, found through a cross-region
   * profile id too; 1,000,000 in and 200,000 out cost 0.25 + 0.2 × 1.25 = 0.50 dollars. */
  g_assert_true (sextant_model_prices_lookup (prices, "us.anthropic.claude-3-haiku-20240307-v1:0", &in, &out));
  g_assert_cmpfloat (in, ==, 0.25);
  g_assert_cmpfloat (out, ==, 1.25);
  sextant_assert_close_rel (sextant_model_prices_estimate (prices, "anthropic.claude-3-haiku-20240307-v1:0",
                                                           1000000, 200000), 0.50, 1e-12);
  /* The longest pattern wins: claude-3-5-haiku is not claude-3-haiku. */
  g_assert_true (sextant_model_prices_lookup (prices, "anthropic.claude-3-5-haiku-20241022-v1:0", &in, NULL));
  g_assert_cmpfloat (in, ==, 0.80);
  g_assert_true (isnan (sextant_model_prices_estimate (prices, "mistral.unknown", 10, 10)));

  /* Edited, saved as JSON, loaded elsewhere. */
  sextant_model_prices_set (prices, "amazon.nova-lite", 0.1, 0.4);
  sextant_model_prices_set (prices, "mistral.unknown", 1, 2);
  json = sextant_model_prices_to_json (prices);
  g_assert_true (sextant_model_prices_load_json (copy, json, &error));
  g_assert_true (sextant_model_prices_lookup (copy, "amazon.nova-lite-v1:0", &in, &out));
  g_assert_cmpfloat (out, ==, 0.4);
  g_assert_cmpfloat (sextant_model_prices_estimate (copy, "mistral.unknown", 1000000, 1000000), ==, 3.0);
  g_assert_false (sextant_model_prices_load_json (copy, "{\"x\": [1]}", &error));
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“x”"));
  sextant_model_prices_reset (copy);
  g_assert_false (sextant_model_prices_lookup (copy, "mistral.unknown", NULL, NULL));
}

/* Prompt-cache tokens priced apart (AWS's published rule for current Claude models: a cache
 * write costs 1.25 times an input token, a read 0.1 times; Nova: a write as input, a read a
 * quarter), the multiples written out here rather than taken from the table. */
static void
test_model_prices_cache (void)
{
  g_autoptr(SextantModelPrices) prices = sextant_model_prices_new ();
  g_autoptr(SextantModelPrices) copy = sextant_model_prices_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  double write, read;

  g_assert_cmpstr (sextant_model_prices_get_as_of (prices), ==, "2026-12-01");
  g_assert_true (sextant_model_prices_lookup_cache (prices, "us.anthropic.claude-sonnet-4-20250514-v1:0", &write, &read));
  sextant_assert_close_rel (write, 3.00 * 1.25, 1e-12);
  sextant_assert_close_rel (read, 3.00 * 0.10, 1e-12);
  /* 1,000 input, 500 output, 10,000 written to the cache and 100,000 read from it. */
  sextant_assert_close_rel (sextant_model_prices_estimate_usage (prices, "us.anthropic.claude-sonnet-4-20250514-v1:0",
                                                                 1000, 500, 100000, 10000),
                            (1000 * 3.00 + 500 * 15.00 + 10000 * 3.00 * 1.25 + 100000 * 3.00 * 0.10) / 1e6, 1e-12);
  /* Without cache tokens it is the plain estimate. */
  sextant_assert_close_rel (sextant_model_prices_estimate_usage (prices, "anthropic.claude-3-haiku-20240307-v1:0",
                                                                 1000000, 200000, 0, 0), 0.50, 1e-12);
  sextant_assert_close_rel (sextant_model_prices_estimate_usage (prices, "amazon.nova-pro-v1:0", 0, 0, 1000000, 1000000),
                            0.80 * 0.25 + 0.80 * 1.00, 1e-12);
  g_assert_true (isnan (sextant_model_prices_estimate_usage (prices, "mistral.unknown", 1, 1, 1, 1)));

  /* A user's own cache prices survive saving; derived ones are not written out. */
  g_assert_true (sextant_model_prices_set_cache (prices, "anthropic.claude-sonnet-4", 4.0, 0.5));
  g_assert_false (sextant_model_prices_set_cache (prices, "mistral.unknown", 1, 1));
  sextant_model_prices_set (prices, "mistral.large", 4, 12);
  json = sextant_model_prices_edits_to_json (prices);
  g_assert_cmpstr (json, ==, "{\"anthropic.claude-sonnet-4\":[3.0,15.0,4.0,0.5],\"mistral.large\":[4.0,12.0]}");
  g_assert_true (sextant_model_prices_load_json (copy, json, &error));
  g_assert_no_error (error);
  g_assert_true (sextant_model_prices_lookup_cache (copy, "anthropic.claude-sonnet-4-x", &write, &read));
  g_assert_cmpfloat (write, ==, 4.0);
  g_assert_cmpfloat (read, ==, 0.5);
  g_assert_true (sextant_model_prices_lookup_cache (copy, "mistral.large-2", &write, &read));
  sextant_assert_close_rel (write, 4 * 1.25, 1e-12);
  g_assert_false (sextant_model_prices_load_json (copy, "{\"x\": [1, 2, 3]}", &error));
  g_clear_error (&error);
  g_assert_false (sextant_model_prices_load_json (copy, "{\"x\": [1, 2, -3, 1]}", &error));
}

static void
count_cb (SextantModelPrices *prices,
          guint              *n)
{
  (*n)++;
}

/* What the chat window's price editor and its setting rely on: the table listed by index, one
 * "changed" per real change, and a saved form that holds only the user's edits. */
static void
test_model_prices_edits (void)
{
  g_autoptr(SextantModelPrices) prices = sextant_model_prices_new ();
  g_autoptr(SextantModelPrices) fresh = sextant_model_prices_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *edits = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *whole_again = NULL;
  g_autofree char *after_bad = NULL;
  guint n_changed = 0, n_builtin;
  double in = -1, out = -1;
  const char *pattern = NULL;

  g_signal_connect (prices, "changed", G_CALLBACK (count_cb), &n_changed);
  n_builtin = sextant_model_prices_get_n_prices (prices);
  g_assert_cmpuint (n_builtin, >, 0);
  /* Every listed pattern prices itself at the listed figures. */
  for (guint i = 0; i < n_builtin; i++)
    {
      double lin, lout;

      pattern = sextant_model_prices_get_price (prices, i, &in, &out);
      g_assert_true (sextant_model_prices_lookup (prices, pattern, &lin, &lout));
      g_assert_cmpfloat (lin, ==, in);
      g_assert_cmpfloat (lout, ==, out);
    }
  /* Nothing edited: nothing to save. */
  none = sextant_model_prices_edits_to_json (prices);
  g_assert_cmpstr (none, ==, "{}");

  /* Same figures: no change, no signal. */
  sextant_model_prices_get_price (prices, 0, &in, &out);
  pattern = sextant_model_prices_get_price (prices, 0, NULL, NULL);
  sextant_model_prices_set (prices, pattern, in, out);
  g_assert_cmpuint (n_changed, ==, 0);
  sextant_model_prices_set (prices, "anthropic.claude-sonnet-4", 2.5, 12.5);
  sextant_model_prices_set (prices, "mistral.large", 4, 12);
  g_assert_cmpuint (n_changed, ==, 2);
  g_assert_cmpuint (sextant_model_prices_get_n_prices (prices), ==, n_builtin + 1);
  g_assert_cmpstr (sextant_model_prices_get_price (prices, n_builtin, &in, &out), ==, "mistral.large");
  g_assert_cmpfloat (in, ==, 4);
  g_assert_cmpfloat (out, ==, 12);

  /* The edits only, in table order; loaded into a fresh table they give the whole table again. */
  edits = sextant_model_prices_edits_to_json (prices);
  g_assert_cmpstr (edits, ==, "{\"anthropic.claude-sonnet-4\":[2.5,12.5],\"mistral.large\":[4.0,12.0]}");
  g_assert_true (sextant_model_prices_load_json (fresh, edits, &error));
  g_assert_no_error (error);
  whole = sextant_model_prices_to_json (prices);
  whole_again = sextant_model_prices_to_json (fresh);
  g_assert_cmpstr (whole, ==, whole_again);

  /* A bad entry anywhere leaves the table as it was, good entries before it included. */
  g_assert_false (sextant_model_prices_load_json (prices, "{\"amazon.nova-pro\": [9, 9], \"x\": [-1, 2]}", &error));
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  after_bad = sextant_model_prices_to_json (prices);
  g_assert_cmpstr (after_bad, ==, whole);
  g_assert_cmpuint (n_changed, ==, 2);

  /* Reset: one signal, the built-in table, nothing to save; a second reset changes nothing. */
  sextant_model_prices_reset (prices);
  g_assert_cmpuint (n_changed, ==, 3);
  g_assert_cmpuint (sextant_model_prices_get_n_prices (prices), ==, n_builtin);
  g_clear_pointer (&edits, g_free);
  edits = sextant_model_prices_edits_to_json (prices);
  g_assert_cmpstr (edits, ==, "{}");
  sextant_model_prices_reset (prices);
  g_assert_cmpuint (n_changed, ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/invocation-log/stats", test_stats);
  g_test_add_func ("/sextant/invocation-log/series", test_series);
  g_test_add_func ("/sextant/invocation-log/error-types", test_error_types);
  g_test_add_func ("/sextant/invocation-log/model-prices", test_model_prices);
  g_test_add_func ("/sextant/invocation-log/model-prices-edits", test_model_prices_edits);
  g_test_add_func ("/sextant/invocation-log/model-prices-cache", test_model_prices_cache);

  return g_test_run ();
}
