#define G_LOG_DOMAIN "test-fred"

#include "config.h"

#include <math.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

/* The FRED client against the fixtures of tests/data/market-apis/fred (README.md there): the
 * API's JSON with the user's key, the keyless graph download, "." and empty values as missing,
 * the licensed ICE BofA series flagged, and FRED's error answers. */

/* A made-up key of FRED's shape (32 lower-case letters and digits), listed in leak-check-keys.txt. */
#define TEST_KEY "fredtestkey0123456789abcdefghijk"
#define OBSERVATIONS "/fred/series/observations"
#define GRAPH "/graph/fredgraph.csv"

typedef struct
{
  FakeMarketServer  *server;
  SoupSession       *session;
  SextantFredClient *client;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = fake_market_server_new ();
  f->session = fake_market_session_new ();
  f->client = sextant_fred_client_new ();
  sextant_fred_client_set_base_urls (f->client, fake_market_server_get_base_url (f->server),
                                     fake_market_server_get_base_url (f->server));
  sextant_fred_client_set_session (f->client, f->session);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  fake_market_server_free (f->server);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static SextantFredSeries *
fetch (Fixture     *f,
       const char  *series_id,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint32 from, to;

  g_assert_true (sextant_day_parse_iso ("2025-02-10", &from));
  g_assert_true (sextant_day_parse_iso ("2025-02-28", &to));
  sextant_fred_client_fetch_async (f->client, series_id, from, to, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return sextant_fred_client_fetch_finish (f->client, result, error);
}

/* The 10-year column of the Treasury's own file, which FRED republishes as DGS10: 2025-02-10 on,
 * oldest first; NaN on 17 February, a holiday without a row. */
static GArray *
treasury_ten_year (void)
{
  g_autofree char *path = sextant_test_reference_path ("rates/treasury_par_2025-02.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));
  int column = -1;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  {
    g_auto(GStrv) header = g_strsplit (lines[0], ",", -1);

    for (int i = 0; header[i] != NULL; i++)
      if (g_str_equal (header[i], "\"10 Yr\""))
        column = i;
  }
  g_assert_cmpint (column, >, 0);
  for (guint i = g_strv_length (lines); i-- > 1;)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
      double value;

      if (g_strv_length (fields) <= (guint) column || strcmp (fields[0], "02/10/2025") < 0)
        continue;
      if (g_str_equal (fields[0], "02/18/2025"))
        {
          double missing = NAN;

          g_array_append_val (values, missing);
        }
      value = g_ascii_strtod (fields[column], NULL);
      g_array_append_val (values, value);
    }
  return values;
}

static void
check_dgs10 (const SextantFredSeries *series)
{
  g_autoptr(GArray) expected = treasury_ten_year ();
  gint32 first, holiday;

  g_assert_true (sextant_day_parse_iso ("2025-02-10", &first));
  g_assert_true (sextant_day_parse_iso ("2025-02-17", &holiday));
  g_assert_cmpstr (series->series_id, ==, "DGS10");
  g_assert_false (series->licensed);
  g_assert_cmpuint (series->n, ==, expected->len);
  g_assert_cmpuint (series->n, ==, 15);
  g_assert_cmpint (series->days[0], ==, first);
  for (gsize i = 0; i < series->n; i++)
    {
      double want = g_array_index (expected, double, i);

      if (series->days[i] == holiday)
        g_assert_true (isnan (series->values[i]) && isnan (want));
      else
        g_assert_cmpfloat (series->values[i], ==, want);
    }
}

/* With a key, the API's JSON: the key and file type are asked for, "." is missing. */
static void
test_api (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(SextantFredSeries) series = NULL;
  g_autoptr(GError) error = NULL;
  const char *query;

  fake_market_server_push (f->server, OBSERVATIONS, "series_id=DGS10", 200, "application/json",
                           "fred/dgs10_observations.json");
  sextant_fred_client_set_api_key (f->client, TEST_KEY);
  series = fetch (f, "dgs10", &error);
  g_assert_no_error (error);
  check_dgs10 (series);
  g_assert_false (series->keyless);
  query = fake_market_server_get_last_query (f->server);
  g_assert_nonnull (strstr (query, "api_key=" TEST_KEY));
  g_assert_nonnull (strstr (query, "file_type=json"));
  g_assert_nonnull (strstr (query, "observation_start=2025-02-10"));
  g_assert_nonnull (strstr (query, "observation_end=2025-02-28"));
}

/* Without a key, the graph download: no key in the request, an empty field is missing. */
static void
test_keyless (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SextantFredSeries) series = NULL;
  g_autoptr(GError) error = NULL;
  const char *query;

  fake_market_server_push (f->server, GRAPH, "id=DGS10", 200, "text/csv", "fred/dgs10_graph.csv");
  series = fetch (f, "DGS10", &error);
  g_assert_no_error (error);
  check_dgs10 (series);
  g_assert_true (series->keyless);
  query = fake_market_server_get_last_query (f->server);
  g_assert_null (strstr (query, "api_key"));
  g_assert_nonnull (strstr (query, "cosd=2025-02-10"));
  g_assert_cmpuint (fake_market_server_get_count (f->server, OBSERVATIONS), ==, 0);
}

/* ICE BofA's spread series come back flagged as licensed (display and compute only), by either
 * route; the older "DATE" header and "." values of the download read too. */
static void
test_licensed_oas (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SextantFredSeries) keyless = NULL;
  g_autoptr(SextantFredSeries) api = NULL;
  g_autoptr(SextantFredSeries) old = NULL;
  g_autoptr(GError) error = NULL;
  const char *old_csv = "DATE,BAMLH0A0HYM2\n2025-02-14,2.61\n2025-02-17,.\n2025-02-18,2.64\n";

  fake_market_server_push (f->server, GRAPH, "id=BAMLH0A0HYM2", 200, "text/csv",
                           "fred/oas_synthetic_graph.csv");
  keyless = fetch (f, "BAMLH0A0HYM2", &error);
  g_assert_no_error (error);
  g_assert_true (keyless->licensed);
  fake_market_server_push (f->server, OBSERVATIONS, "series_id=BAMLH0A0HYM2", 200,
                           "application/json", "fred/oas_synthetic_observations.json");
  sextant_fred_client_set_api_key (f->client, TEST_KEY);
  api = fetch (f, "BAMLH0A0HYM2", &error);
  g_assert_no_error (error);
  g_assert_true (api->licensed);
  g_assert_cmpuint (api->n, ==, keyless->n);
  for (gsize i = 0; i < api->n; i++)
    {
      g_assert_cmpint (api->days[i], ==, keyless->days[i]);
      g_assert_true (api->values[i] == keyless->values[i] ||
                     (isnan (api->values[i]) && isnan (keyless->values[i])));
    }
  g_assert_true (sextant_fred_series_id_is_licensed ("BAMLC0A0CM"));
  g_assert_false (sextant_fred_series_id_is_licensed ("DGS10"));

  old = sextant_fred_parse_csv ("BAMLH0A0HYM2", old_csv, strlen (old_csv), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (old->n, ==, 3);
  g_assert_true (isnan (old->values[1]));
  g_assert_cmpfloat (old->values[2], ==, 2.64);
}

static void
expect_error (Fixture    *f,
              const char *series_id,
              int         code,
              const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantFredSeries) series = fetch (f, series_id, &error);

  g_assert_null (series);
  g_assert_error (error, SEXTANT_MARKET_ERROR, code);
  if (strstr (error->message, message) == NULL)
    g_error ("expected “%s” in “%s”", message, error->message);
  g_assert_null (strstr (error->message, TEST_KEY));
}

/* FRED's error answers, a challenge page, broken bodies and bad ids are specific errors; the
 * key never appears in a message. */
static void
push_fixture (Fixture    *f,
              const char *path,
              const char *series_id,
              guint       status,
              const char *fixture)
{
  g_autofree char *query = g_strdup_printf ("id=%s&", series_id);

  fake_market_server_push (f->server, path, query, status, "application/json", fixture);
}

static void
push_body (Fixture    *f,
           const char *path,
           const char *series_id,
           guint       status,
           const char *content_type,
           const char *body)
{
  g_autofree char *query = g_strdup_printf ("id=%s&", series_id);

  fake_market_server_push_body (f->server, path, query, status, content_type, body);
}

/* FRED's error answers, a challenge page, broken bodies and bad ids are specific errors; the
 * key never appears in a message. Each case is its own series, so its own route. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  sextant_fred_client_set_api_key (f->client, TEST_KEY);
  push_fixture (f, OBSERVATIONS, "BADKEY", 400, "fred/error_bad_key.json");
  expect_error (f, "BADKEY", SEXTANT_MARKET_ERROR_AUTH, "api_key is not registered");
  push_fixture (f, OBSERVATIONS, "NOSUCHSERIES", 400, "fred/error_no_series.json");
  expect_error (f, "NOSUCHSERIES", SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL, "no series NOSUCHSERIES");
  push_fixture (f, OBSERVATIONS, "LIMITED", 429, "fred/error_rate_limit.json");
  expect_error (f, "LIMITED", SEXTANT_MARKET_ERROR_RATE_LIMITED, "rate limit");
  push_body (f, OBSERVATIONS, "NUMBER", 200, "application/json",
             "{\"observations\": [{\"date\": \"2025-02-10\", \"value\": 4.5}]}");
  expect_error (f, "NUMBER", SEXTANT_MARKET_ERROR_PARSE, "observation 1 has no date or value");
  push_body (f, OBSERVATIONS, "INFINITE", 200, "application/json",
             "{\"observations\": [{\"date\": \"2025-02-10\", \"value\": \"inf\"}]}");
  expect_error (f, "INFINITE", SEXTANT_MARKET_ERROR_PARSE, "“inf” is not a number");
  push_body (f, OBSERVATIONS, "CHALLENGE", 200, "text/html",
             "<html><body>Just a moment…</body></html>");
  expect_error (f, "CHALLENGE", SEXTANT_MARKET_ERROR_BLOCKED, "HTML page");

  sextant_fred_client_set_api_key (f->client, NULL);
  push_body (f, GRAPH, "WORDS", 200, "text/csv",
             "observation_date,WORDS\n2025-02-10,4.51\n2025-02-11,abc\n");
  expect_error (f, "WORDS", SEXTANT_MARKET_ERROR_PARSE, "WORDS line 3: “abc” is not a number");
  push_body (f, GRAPH, "BACKWARDS", 200, "text/csv",
             "observation_date,BACKWARDS\n2025-02-11,4.51\n2025-02-10,4.50\n");
  expect_error (f, "BACKWARDS", SEXTANT_MARKET_ERROR_PARSE, "not after the date before it");
  push_body (f, GRAPH, "HEADLESS", 200, "text/csv", "nothing,here\n");
  expect_error (f, "HEADLESS", SEXTANT_MARKET_ERROR_CSV_HEADER, "does not start with");
  push_body (f, GRAPH, "GONE", 404, "text/html", "<html>Not found</html>");
  expect_error (f, "GONE", SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL, "no series GONE (HTTP 404)");
  expect_error (f, "DGS10;DROP", SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL, "letters, digits");
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 10);
}

/* A closed port is the network, not the data. */
static void
test_network (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", fake_market_closed_port ());

  sextant_fred_client_set_base_urls (f->client, url, url);
  expect_error (f, "DGS10", SEXTANT_MARKET_ERROR_NETWORK, "cannot reach");
}

/* The tool on a worker thread, as the agent runs it, while this thread's fake FRED answers. */
static JsonNode *
invoke_credit_spreads (const char  *input_json,
                       GError     **error)
{
  g_autoptr(SextantToolData) data = sextant_tool_data_new (NULL, NULL);
  g_autoptr(SextantToolRegistry) registry = sextant_tool_registry_new_default (data);
  g_autoptr(JsonNode) input = json_from_string (input_json, NULL);

  return sextant_test_invoke_tool (registry, "get_credit_spreads", input, error);
}

/* The desks' get_credit_spreads on the licensed synthetic OAS through FRED's keyless download:
 * numpy's figures (oas_synthetic_stats.json, make_spread_reference.py), and no observation
 * handed on raw. */
static void
test_tool_credit_spreads (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = sextant_test_reference_path ("market-apis/fred/oas_synthetic_stats.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *ref, *out, *percentiles, *ref_percentiles;
  const char *figures[] = { "latest", "latest_percentile_rank", "min", "max", "mean" };
  const char *levels[] = { "p5", "p25", "p50", "p75", "p95" };

  g_setenv ("SEXTANT_FRED_BASE_URL", fake_market_server_get_base_url (f->server), TRUE);
  g_unsetenv ("SEXTANT_FRED_KEY");
  fake_market_server_push (f->server, GRAPH, "id=BAMLH0A0HYM2&", 200, "text/csv", "fred/oas_synthetic_graph.csv");
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  ref = json_node_get_object (json_parser_get_root (parser));

  result = invoke_credit_spreads ("{\"series\":\"BAMLH0A0HYM2\",\"start\":\"2025-02-10\",\"end\":\"2025-02-28\"}", &error);
  g_assert_no_error (error);
  out = json_node_get_object (result);
  g_assert_cmpuint (fake_market_server_get_count (f->server, GRAPH), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (out, "retrieved_from"), ==, "fred-csv");
  g_assert_cmpstr (json_object_get_string_member (out, "latest_date"), ==, json_object_get_string_member (ref, "latest_date"));
  for (guint k = 0; k < G_N_ELEMENTS (figures); k++)
    sextant_assert_close_rel (json_object_get_double_member (out, figures[k]), json_object_get_double_member (ref, figures[k]), 1e-12);
  percentiles = json_object_get_object_member (out, "percentiles");
  ref_percentiles = json_object_get_object_member (ref, "percentiles");
  for (guint k = 0; k < G_N_ELEMENTS (levels); k++)
    sextant_assert_close_rel (json_object_get_double_member (percentiles, levels[k]),
                              json_object_get_double_member (ref_percentiles, levels[k]), 1e-12);
  g_assert_cmpint (json_object_get_int_member (out, "observations"), ==, json_object_get_int_member (ref, "observations"));
  g_assert_cmpint (json_object_get_int_member (out, "missing"), ==, json_object_get_int_member (ref, "missing"));
  g_assert_true (json_object_get_boolean_member (out, "licensed"));
  /* Licensed data: figures computed from it, never the series itself. */
  members = json_object_get_members (out);
  for (GList *l = members; l != NULL; l = l->next)
    g_assert_false (JSON_NODE_HOLDS_ARRAY (json_object_get_member (out, l->data)));

  /* A bad series id is refused before any request; FRED's own refusal is passed on. */
  g_clear_pointer (&result, json_node_unref);
  result = invoke_credit_spreads ("{\"series\":\"BAML;DROP\"}", &error);
  g_assert_null (result);
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  fake_market_server_push (f->server, GRAPH, "id=BAMLNOPE&", 404, "text/html", "fred/error_no_series.json");
  result = invoke_credit_spreads ("{\"series\":\"BAMLNOPE\"}", &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_assert_cmpuint (fake_market_server_get_count (f->server, GRAPH), ==, 2);
  g_unsetenv ("SEXTANT_FRED_BASE_URL");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sextant/market/fred/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("api", test_api);
  ADD ("keyless", test_keyless);
  ADD ("licensed-oas", test_licensed_oas);
  ADD ("errors", test_errors);
  ADD ("network", test_network);
  ADD ("tool-credit-spreads", test_tool_credit_spreads);

  return g_test_run ();
}
