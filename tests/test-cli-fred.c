#define G_LOG_DOMAIN "test-cli-fred"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

/* `sextant-cli fred` against a fake FRED serving tests/data/market-apis/fred (README.md there). */

/* The key of test-fred.c (listed in leak-check-keys.txt), here through the environment. */
#define TEST_KEY "fredtestkey0123456789abcdefghijk"

static const char *cli_path;

typedef struct
{
  FakeMarketServer *server;
  char  *dir;
  char **env;
  char  *out;
  char  *err;
  int    status;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *db = NULL;

  f->dir = sextant_test_make_temp_dir ();
  db = g_build_filename (f->dir, "sextant.db", NULL);
  f->server = fake_market_server_new ();
  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "SEXTANT_DATABASE", db, TRUE);
  f->env = g_environ_setenv (f->env, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  f->env = g_environ_setenv (f->env, "SEXTANT_FRED_BASE_URL",
                             fake_market_server_get_base_url (f->server), TRUE);
  f->env = g_environ_unsetenv (f->env, "SEXTANT_FRED_KEY");
  fake_market_server_push (f->server, "/graph/fredgraph.csv", "id=DGS10&", 200, "text/csv",
                           "fred/dgs10_graph.csv");
  fake_market_server_push (f->server, "/fred/series/observations", "id=DGS10&", 200,
                           "application/json", "fred/dgs10_observations.json");
  fake_market_server_push (f->server, "/graph/fredgraph.csv", "id=BAMLH0A0HYM2&", 200, "text/csv",
                           "fred/oas_synthetic_graph.csv");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sextant_test_remove_temp_dir (f->dir);
  g_free (f->dir);
  g_strfreev (f->env);
  g_free (f->out);
  g_free (f->err);
  fake_market_server_free (f->server);
}

/* The CLI runs as a child while this process serves it: run it asynchronously. */
static void
runv (Fixture            *f,
      const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (char *) cli_path);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);
  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  f->status = sextant_test_run_in_env ((const char * const *) args->pdata,
                                       (const char * const *) f->env, &f->out, &f->err);
}

#define run(f, ...) runv ((f), (const char * const []) { __VA_ARGS__, NULL })

static void
check_dgs10_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *rows;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "series"), ==, "DGS10");
  rows = json_object_get_array_member (root, "observations");
  g_assert_cmpuint (json_array_get_length (rows), ==, 15);
  /* 2025-02-10: 4.51 in the Treasury's file; 2025-02-17, a holiday: null, never 0. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "date"),
                   ==, "2025-02-10");
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (rows, 0), "value"),
                     ==, 4.51);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 5), "date"),
                   ==, "2025-02-17");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (rows, 5), "value"));
}

/* Keyless, then with a key from the environment: the same figures, by the download then the API. */
static void
test_dgs10 (Fixture       *f,
            gconstpointer  data)
{
  run (f, "fred", "DGS10", "--from", "2025-02-10", "--to", "2025-02-28", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  check_dgs10_json (f->out);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/graph/fredgraph.csv"), ==, 1);

  f->env = g_environ_setenv (f->env, "SEXTANT_FRED_KEY", TEST_KEY, TRUE);
  run (f, "fred", "dgs10", "--from", "2025-02-10", "--to", "2025-02-28", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  check_dgs10_json (f->out);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/fred/series/observations"), ==, 1);
  g_assert_null (strstr (f->err, TEST_KEY));
}

/* ICE BofA's series are shown as text, never written as JSON. */
static void
test_licensed (Fixture       *f,
               gconstpointer  data)
{
  run (f, "fred", "BAMLH0A0HYM2", "--from", "2025-02-10", "--to", "2025-02-28", "--format", "json");
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "licensed to FRED"));
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 0);

  run (f, "fred", "BAMLH0A0HYM2", "--from", "2025-02-10", "--to", "2025-02-28");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "licensed to FRED, shown only"));
  g_assert_nonnull (strstr (f->out, "2025-02-17     missing"));
}

/* A refused key is exit 4; an unknown series exit 6 or 3 as the error says; bad usage 2. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  fake_market_server_push (f->server, "/fred/series/observations", "id=DGS2&", 400,
                           "application/json", "fred/error_bad_key.json");
  f->env = g_environ_setenv (f->env, "SEXTANT_FRED_KEY", TEST_KEY, TRUE);
  run (f, "fred", "DGS2", "--from", "2025-02-10", "--to", "2025-02-28");
  g_assert_cmpint (f->status, ==, 4);
  g_assert_nonnull (strstr (f->err, "API key was refused"));
  g_assert_null (strstr (f->err, TEST_KEY));
  run (f, "fred", "DGS10;", "--format", "json");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "fred", "DGS10", "--from", "2025-03-01", "--to", "2025-02-01");
  g_assert_cmpint (f->status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

#define ADD(path, func) \
  g_test_add ("/sextant/fred/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("dgs10", test_dgs10);
  ADD ("licensed", test_licensed);
  ADD ("errors", test_errors);

  return g_test_run ();
}
