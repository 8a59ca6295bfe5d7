#define G_LOG_DOMAIN "test-cli-usage"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cli-fixture.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* `sextant-cli usage --month YYYY-MM` over an invocation log written here through the core. The
 * expected dollars are AWS's published on-demand prices per million tokens written out (Claude
 * Sonnet 4 $3 in, $15 out; Amazon Nova Lite $0.06 in, $0.24 out) with the prompt-cache rule for
 * Claude (a write 1.25 times an input token, a read 0.1 times), not the price table's code. */

#define SONNET "us.anthropic.claude-sonnet-4-20250514-v1:0"

typedef CliFixture Fixture;

static const char *cli_path;

static gint64
utc (int year, int month, int day, int hour, int minute, int second)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (year, month, day, hour, minute, second);

  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

static void
record (SextantInvocationLog *log,
        gint64                started_at,
        const char           *model,
        const char           *role,
        gint64                input,
        gint64                output,
        gint64                cache_read,
        gint64                cache_write)
{
  g_autoptr(GError) error = NULL;
  SextantInvocation inv = {
    .started_at = started_at,
    .model = (char *) model,
    .role = (char *) role,
    .ttft_ms = 100,
    .latency_ms = 500,
    .input_tokens = input,
    .output_tokens = output,
    .outcome = (char *) (model != NULL ? "success" : "offline"),
    .region = (char *) (model != NULL ? "us-east-1" : NULL),
    .cache_read_tokens = cache_read,
    .cache_write_tokens = cache_write,
  };

  g_assert_true (sextant_invocation_log_record (log, &inv, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantInvocationLog) log = NULL;
  g_autoptr(GError) error = NULL;

  cli_fixture_setup (f, cli_path);
  path = g_build_filename (f->home, "sextant.db", NULL);
  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  log = sextant_invocation_log_new (store);
  record (log, utc (2026, 11, 30, 23, 59, 59), SONNET, "portfolio-manager", 9000000, 0, 0, 0);
  record (log, utc (2026, 12, 3, 12, 0, 0), SONNET, "portfolio-manager", 1000, 500, 100000, 10000);
  record (log, utc (2026, 12, 3, 13, 0, 0), SONNET, "risk-officer", 2000, 1000, 0, 0);
  record (log, utc (2026, 12, 5, 9, 0, 0), "amazon.nova-lite-v1:0", "risk-officer", 1000000, 100000, 0, 0);
  record (log, utc (2026, 12, 5, 10, 0, 0), NULL, "risk-officer", 0, 0, 0, 0);
  record (log, utc (2026, 12, 31, 23, 59, 59), "mistral.unknown-v1:0", "portfolio-manager", 10, 10, 0, 0);
  record (log, utc (2027, 1, 1, 0, 0, 0), SONNET, "portfolio-manager", 9000000, 0, 0, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_fixture_teardown (f);
}

static JsonObject *
parse (JsonParser *parser,
       const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  const char *args[] = { "usage", "--month", "2026-12", "--format", "json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  double sonnet_cached = (1000 * 3.00 + 500 * 15.00 + 10000 * 3.00 * 1.25 + 100000 * 3.00 * 0.10) / 1e6;
  double sonnet_plain = (2000 * 3.00 + 1000 * 15.00) / 1e6;
  double nova = (1000000 * 0.06 + 100000 * 0.24) / 1e6;
  JsonObject *o, *row;
  JsonArray *days, *by_model, *by_role;

  g_assert_cmpint (cli_fixture_run (f, FALSE, NULL, args), ==, 0);
  o = parse (parser, f->out);
  g_assert_cmpstr (json_object_get_string_member (o, "month"), ==, "2026-12");
  g_assert_cmpstr (json_object_get_string_member (o, "currency"), ==, "USD");
  g_assert_nonnull (json_object_get_string_member (o, "prices_as_of"));
  /* The month's five invocations, none of November's or January's. */
  g_assert_cmpint (json_object_get_int_member (o, "requests"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "input_tokens"), ==, 1000 + 2000 + 1000000 + 10);
  g_assert_cmpint (json_object_get_int_member (o, "cache_read_tokens"), ==, 100000);
  g_assert_cmpint (json_object_get_int_member (o, "cache_write_tokens"), ==, 10000);
  sextant_assert_close_rel (json_object_get_double_member (o, "cost"), sonnet_cached + sonnet_plain + nova, 1e-9);
  g_assert_true (json_object_get_boolean_member (o, "unpriced"));
  g_assert_true (json_object_get_null_member (o, "monthly_limit"));

  /* By day, then model, then role. */
  days = json_object_get_array_member (o, "days");
  g_assert_cmpuint (json_array_get_length (days), ==, 5);
  row = json_array_get_object_element (days, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "day"), ==, "2026-12-03");
  g_assert_cmpstr (json_object_get_string_member (row, "model"), ==, SONNET);
  g_assert_cmpstr (json_object_get_string_member (row, "role"), ==, "portfolio-manager");
  sextant_assert_close_rel (json_object_get_double_member (row, "cost"), sonnet_cached, 1e-9);
  /* The offline analyst (no model) sorts first on its day, and costs nothing. */
  row = json_array_get_object_element (days, 2);
  g_assert_cmpstr (json_object_get_string_member (row, "day"), ==, "2026-12-05");
  g_assert_true (json_object_get_null_member (row, "model"));
  g_assert_cmpfloat (json_object_get_double_member (row, "cost"), ==, 0);
  row = json_array_get_object_element (days, 4);
  g_assert_cmpstr (json_object_get_string_member (row, "day"), ==, "2026-12-31");
  g_assert_true (json_object_get_null_member (row, "cost"));

  by_model = json_object_get_array_member (o, "by_model");
  g_assert_cmpuint (json_array_get_length (by_model), ==, 4);
  row = json_array_get_object_element (by_model, 3);
  g_assert_cmpstr (json_object_get_string_member (row, "model"), ==, SONNET);
  g_assert_cmpint (json_object_get_int_member (row, "requests"), ==, 2);
  sextant_assert_close_rel (json_object_get_double_member (row, "cost"), sonnet_cached + sonnet_plain, 1e-9);
  by_role = json_object_get_array_member (o, "by_role");
  g_assert_cmpuint (json_array_get_length (by_role), ==, 2);
  row = json_array_get_object_element (by_role, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "role"), ==, "risk-officer");
  g_assert_cmpint (json_object_get_int_member (row, "requests"), ==, 3);
  sextant_assert_close_rel (json_object_get_double_member (row, "cost"), sonnet_plain + nova, 1e-9);
}

static void
test_text (Fixture       *f,
           gconstpointer  data)
{
  const char *args[] = { "usage", "--month", "2026-12", NULL };
  const char *empty[] = { "usage", "--month", "2025-01", NULL };

  g_assert_cmpint (cli_fixture_run (f, FALSE, NULL, args), ==, 0);
  g_assert_nonnull (strstr (f->out, "Assistant usage in 2026-12"));
  g_assert_nonnull (strstr (f->out, "2026-12-03  " SONNET));
  g_assert_nonnull (strstr (f->out, "By model:"));
  g_assert_nonnull (strstr (f->out, "By role:"));
  /* 0.078 + 0.021 + 0.084 dollars. */
  g_assert_nonnull (strstr (f->out, "Total: $0.1830 over 5 requests"));
  g_assert_cmpint (cli_fixture_run (f, FALSE, NULL, empty), ==, 0);
  g_assert_nonnull (strstr (f->out, "No assistant requests in 2025-01."));
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  const char *bad_months[] = { "2026-13", "2026-1", "26-12", "2026-12-01", "1969-12", "", "abcd-ef" };
  const char *bad_format[] = { "usage", "--format", "csv", NULL };
  const char *extra[] = { "usage", "2026-12", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (bad_months); i++)
    {
      const char *args[] = { "usage", "--month", bad_months[i], NULL };

      g_assert_cmpint (cli_fixture_run (f, FALSE, NULL, args), ==, 2);
      g_assert_nonnull (strstr (f->err, "YYYY-MM"));
    }
  g_assert_cmpint (cli_fixture_run (f, FALSE, NULL, bad_format), ==, 2);
  g_assert_cmpint (cli_fixture_run (f, FALSE, NULL, extra), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli_path = argv[1];

  g_test_add ("/cli-usage/json", Fixture, NULL, fixture_setup, test_json, fixture_teardown);
  g_test_add ("/cli-usage/text", Fixture, NULL, fixture_setup, test_text, fixture_teardown);
  g_test_add ("/cli-usage/usage-errors", Fixture, NULL, fixture_setup, test_usage_errors, fixture_teardown);

  return g_test_run ();
}
