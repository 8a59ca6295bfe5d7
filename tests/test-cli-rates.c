#define G_LOG_DOMAIN "test-cli-rates"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

/* `sextant-cli bond price` and `sextant-cli curve` against the QuantLib reference values of
 * tests/data/rates/ (bond_reference.csv, curve_reference.json; README.md there). */

static const char *cli_path;

typedef struct
{
  FakeMarketServer *server;
  char  *dir;
  char **env;
  char  *out;
  char  *err;
  int    status;
  JsonParser *parser;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *db = NULL;

  f->dir = sextant_test_make_temp_dir ();
  db = g_build_filename (f->dir, "sextant.db", NULL);
  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "SEXTANT_DATABASE", db, TRUE);
  f->env = g_environ_setenv (f->env, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  f->env = g_environ_unsetenv (f->env, "SEXTANT_ALLOW_INSECURE_ENDPOINT");
  f->server = fake_market_server_new ();
  fake_market_server_serve_treasury (f->server, "rates/treasury_par_2025-02.csv", 2025);
  fake_market_server_serve_ecb_curve (f->server, "rates/ecb_yc_aaa_synthetic.csv");
  f->env = g_environ_setenv (f->env, "SEXTANT_TREASURY_BASE_URL",
                             fake_market_server_get_base_url (f->server), TRUE);
  f->env = g_environ_setenv (f->env, "SEXTANT_ECB_BASE_URL",
                             fake_market_server_get_base_url (f->server), TRUE);
  f->parser = json_parser_new ();
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
  g_object_unref (f->parser);
  fake_market_server_free (f->server);
}

static void
run_argv (Fixture            *f,
          const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  f->status = sextant_test_run_in_env ((const char * const *) argv->pdata,
                                       (const char * const *) f->env, &f->out, &f->err);
}

#define run(f, ...) run_argv ((f), (const char * const[]) { __VA_ARGS__, NULL })

static JsonObject *
output_object (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (f->status != 0)
    g_error ("sextant-cli exited %d: %s", f->status, f->err);
  json_parser_load_from_data (f->parser, f->out, -1, &error);
  g_assert_no_error (error);
  if (json_parser_get_root (f->parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (f->parser)))
    g_error ("sextant-cli printed no JSON object: stdout “%s”, stderr “%s”", f->out, f->err);
  return json_node_get_object (json_parser_get_root (f->parser));
}

static void
test_bond_against_quantlib (Fixture       *f,
                            gconstpointer  data)
{
  static const char * const keys[] = { "clean_price", "dirty_price", "accrued", "yield",
                                       "macaulay_duration", "modified_duration", "convexity",
                                       "dv01" };
  g_autofree char *path = sextant_test_reference_path ("rates/bond_reference.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint rows = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++, rows++)
    {
      g_auto(GStrv) c = g_strsplit (lines[i], ",", -1);
      JsonObject *out;

      run (f, "bond", "price", "--coupon", c[0], "--maturity", c[1], "--settlement", c[2],
           "--frequency", c[3], "--day-count", c[4], "--face", c[5],
           g_str_equal (c[6], "yield") ? "--yield" : "--price", c[7], "--format", "json");
      out = output_object (f);
      g_assert_cmpuint (json_object_get_size (out), ==, G_N_ELEMENTS (keys));
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          double got = json_object_get_double_member (out, keys[k]);
          double expected = g_ascii_strtod (c[8 + k], NULL);
          double tol = k < 4 ? 1e-10 : 1e-8;

          if (fabs (got - expected) > tol * MAX (fabs (expected), k == 2 ? 1.0 : 1e-300))
            g_error ("row %u %s: %.17g, QuantLib %.17g", i + 1, keys[k], got, expected);
        }
    }
  g_assert_cmpuint (rows, >=, 20);
}

static void
expect_exit (Fixture            *f,
             int                 status,
             const char         *words,
             const char * const *args)
{
  run_argv (f, args);
  g_assert_cmpint (f->status, ==, status);
  g_assert_cmpstr (f->out, ==, "");
  if (strstr (f->err, words) == NULL)
    g_error ("stderr “%s” does not say “%s”", f->err, words);
}

static void
test_bond_errors (Fixture       *f,
                  gconstpointer  data)
{
#define BOND "bond", "price", "--coupon", "4", "--maturity", "2030-05-15", "--settlement"
  expect_exit (f, 2, "exactly one of --yield and --price",
               (const char * const[]) { BOND, "2026-01-02", NULL });
  expect_exit (f, 2, "exactly one of --yield and --price",
               (const char * const[]) { BOND, "2026-01-02", "--yield", "4", "--price", "99", NULL });
  expect_exit (f, 2, "--frequency must be 1, 2, 4 or 12, not 3",
               (const char * const[]) { BOND, "2026-01-02", "--yield", "4", "--frequency", "3", NULL });
  expect_exit (f, 2, "--day-count must be",
               (const char * const[]) { BOND, "2026-01-02", "--yield", "4", "--day-count", "act/act", NULL });
  expect_exit (f, 2, "--settlement must be a date",
               (const char * const[]) { BOND, "02/01/2026", "--yield", "4", NULL });
  expect_exit (f, 2, "--yield must be a number, not “4%”",
               (const char * const[]) { BOND, "2026-01-02", "--yield", "4%", NULL });
  expect_exit (f, 3, "not before the maturity",
               (const char * const[]) { BOND, "2031-01-02", "--yield", "4", NULL });
  expect_exit (f, 3, "clean price must be positive",
               (const char * const[]) { BOND, "2026-01-02", "--price", "-5", NULL });
  expect_exit (f, 3, "No yield",
               (const char * const[]) { BOND, "2026-01-02", "--price", "0.0001", NULL });
#undef BOND
}

static JsonObject *
reference_curve (JsonParser *parser,
                 const char *date)
{
  g_autofree char *path = sextant_test_reference_path ("rates/curve_reference.json");
  g_autoptr(GError) error = NULL;
  JsonArray *curves;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  curves = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "curves");
  for (guint i = 0; i < json_array_get_length (curves); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (curves, i),
                                                    "date"), date))
      return json_array_get_object_element (curves, i);
  g_assert_not_reached ();
}

static void
compare_arrays (JsonObject *out,
                JsonObject *ref,
                const char *member,
                double      tol)
{
  JsonArray *got = json_object_get_array_member (out, member);
  JsonArray *expected = json_object_get_array_member (ref, member);

  g_assert_cmpuint (json_array_get_length (got), ==, json_array_get_length (expected));
  for (guint i = 0; i < json_array_get_length (got); i++)
    sextant_assert_close_rel (json_array_get_double_element (got, i),
                              json_array_get_double_element (expected, i), tol);
}

/* The whole contract: date, tenors, par, zero, forward and the fit with its model, parameters
 * and rmse, equal to the reference; the curve of a day without a row is the day before's. */
static void
check_curve (Fixture    *f,
             const char *date,
             const char *model)
{
  g_autoptr(JsonParser) ref_parser = json_parser_new ();
  JsonObject *ref = reference_curve (ref_parser, date);
  JsonObject *out = output_object (f);
  JsonObject *fit = json_object_get_object_member (out, "fit");
  JsonObject *fit_ref = json_object_get_object_member (ref, g_str_equal (model, "svensson")
                                                            ? "svensson" : "nelson_siegel");

  g_assert_cmpstr (json_object_get_string_member (out, "date"), ==, date);
  compare_arrays (out, ref, "tenors", 1e-15);
  compare_arrays (out, ref, "par", 1e-15);
  compare_arrays (out, ref, "zero", 1e-10);
  compare_arrays (out, ref, "forward", 1e-9);
  g_assert_cmpstr (json_object_get_string_member (fit, "model"), ==, model);
  sextant_assert_close_rel (json_object_get_double_member (fit, "rmse"),
                            json_object_get_double_member (fit_ref, "rmse"), 1e-8);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (fit, "params")), ==,
                    json_object_get_size (json_object_get_object_member (fit_ref, "params")));
}

static void
test_curve_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *file = sextant_test_reference_path ("rates/treasury_par_2025-02.csv");

  run (f, "curve", "--source", file, "--date", "2025-02-28", "--fit", "svensson", "--format",
       "json");
  check_curve (f, "2025-02-28", "svensson");
  run (f, "curve", "--source", file, "--date", "2025-02-16", "--fit", "nelson-siegel",
       "--format", "json");
  check_curve (f, "2025-02-14", "nelson-siegel");
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 0);
}

static void
test_curve_treasury (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *closed = NULL;

  run (f, "curve", "--source", "treasury", "--date", "2025-02-17", "--fit", "nelson-siegel",
       "--format", "json");
  check_curve (f, "2025-02-14", "nelson-siegel");
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 1);
  /* The year's file brought every day of it: a day the cache holds is not fetched again; a day
   * it lacks (a Sunday) is asked for again, in case it was published since. */
  run (f, "curve", "--source", "treasury", "--date", "2025-02-28", "--fit", "svensson",
       "--format", "json");
  check_curve (f, "2025-02-28", "svensson");
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 1);
  run (f, "curve", "--source", "treasury", "--date", "2025-03-02", "--fit", "svensson",
       "--format", "json");
  check_curve (f, "2025-02-28", "svensson");
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 2);
  /* The Treasury out of reach: the cache answers, and stderr says so. */
  closed = g_strdup_printf ("http://127.0.0.1:%u", fake_market_closed_port ());
  f->env = g_environ_setenv (f->env, "SEXTANT_TREASURY_BASE_URL", closed, TRUE);
  run (f, "curve", "--source", "treasury", "--date", "2025-02-17", "--fit", "nelson-siegel",
       "--format", "json");
  check_curve (f, "2025-02-14", "nelson-siegel");
  g_assert_nonnull (strstr (f->err, "offline"));
  g_assert_nonnull (strstr (f->err, "US Treasury curve as of 2025-02-14, cached (fetched "));
  expect_exit (f, 7, "cannot be reached",
               (const char * const[]) { "curve", "--source", "treasury", "--date", "2024-06-03", NULL });
}

static void
test_curve_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *file = sextant_test_reference_path ("rates/treasury_par_2025-02.csv");
  g_autofree char *bad = g_build_filename (f->dir, "bad.csv", NULL);

  expect_exit (f, 2, "--source is required", (const char * const[]) { "curve", NULL });
  expect_exit (f, 2, "--fit must be nelson-siegel or svensson",
               (const char * const[]) { "curve", "--source", file, "--fit", "cubic", NULL });
  expect_exit (f, 3, "no par yield curve on or before 2025-01-31",
               (const char * const[]) { "curve", "--source", file, "--date", "2025-01-31", NULL });
  expect_exit (f, 3, "missing.csv",
               (const char * const[]) { "curve", "--source", "missing.csv", NULL });
  g_assert_true (g_file_set_contents (bad, "Date,\"1 Mo\",\"2 Mo\"\n02/28/2025,4.1,abc\n", -1,
                                      NULL));
  expect_exit (f, 3, "line 2: the 2-month yield “abc”",
               (const char * const[]) { "curve", "--source", bad, NULL });
  /* Neither the 2024 file nor the 2023 one is served: the Treasury's 404, exit 6, naming the
   * year asked for. */
  expect_exit (f, 6, "no par yield curve for 2024",
               (const char * const[]) { "curve", "--source", "treasury", "--date", "2024-06-03", NULL });
}

/* The ECB publishes spot rates: Sextant passes them through, aligns the par yields (null where
 * the day has none) and derives the forwards and fits, against ecb_curve_reference.json
 * (numpy, SciPy; synthetic values in the ECB's layout). */
static void
test_curve_ecb (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = sextant_test_reference_path ("rates/ecb_curve_reference.json");
  g_autoptr(JsonParser) ref_parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *ref, *out, *fit, *fit_ref;
  JsonArray *par, *par_ref;

  json_parser_load_from_file (ref_parser, path, &error);
  g_assert_no_error (error);
  ref = json_array_get_object_element (json_object_get_array_member (
          json_node_get_object (json_parser_get_root (ref_parser)), "curves"), 1);
  run (f, "curve", "--source", "ecb", "--date", "2025-03-02", "--fit", "svensson", "--format",
       "json");
  out = output_object (f);
  g_assert_cmpstr (json_object_get_string_member (out, "date"), ==, "2025-02-28");
  g_assert_cmpstr (json_object_get_string_member (out, "source"), ==, "ecb");
  g_assert_cmpstr (json_object_get_string_member (out, "citation"), ==, "Source: ECB statistics");
  compare_arrays (out, ref, "tenors", 1e-15);
  compare_arrays (out, ref, "zero", 1e-13);
  compare_arrays (out, ref, "forward", 1e-12);
  par = json_object_get_array_member (out, "par");
  par_ref = json_object_get_array_member (ref, "par");
  g_assert_cmpuint (json_array_get_length (par), ==, 11);
  for (guint i = 0; i < 11; i++)
    if (JSON_NODE_HOLDS_NULL (json_array_get_element (par_ref, i)))
      g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (par, i)));
    else
      sextant_assert_close_rel (json_array_get_double_element (par, i),
                                json_array_get_double_element (par_ref, i), 1e-15);
  fit = json_object_get_object_member (out, "fit");
  fit_ref = json_object_get_object_member (ref, "svensson");
  /* These synthetic spot rates are a Svensson curve: both fits find it, the rmse near 0. */
  sextant_assert_close_mixed (json_object_get_double_member (fit, "rmse"),
                              json_object_get_double_member (fit_ref, "rmse"), 1e-8);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/service/data/YC"), ==, 1);
  /* The day is cached now. */
  run (f, "curve", "--source", "ecb", "--date", "2025-02-28", "--fit", "nelson-siegel",
       "--format", "json");
  out = output_object (f);
  fit = json_object_get_object_member (out, "fit");
  sextant_assert_close_rel (json_object_get_double_member (fit, "rmse"),
                            json_object_get_double_member (json_object_get_object_member (
                              ref, "nelson_siegel"), "rmse"), 1e-8);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/service/data/YC"), ==, 1);
  /* Before the fixture's days the service answers 404: exit 6, said as such. */
  expect_exit (f, 6, "no yield curve in those days",
               (const char * const[]) { "curve", "--source", "ecb", "--date", "2025-01-10", NULL });
  /* The ECB out of reach: the cached day answers, and stderr says as of when. */
  {
    g_autofree char *closed = g_strdup_printf ("http://127.0.0.1:%u", fake_market_closed_port ());

    f->env = g_environ_setenv (f->env, "SEXTANT_ECB_BASE_URL", closed, TRUE);
    run (f, "curve", "--source", "ecb", "--date", "2025-03-02", "--format", "json");
    out = output_object (f);
    g_assert_cmpstr (json_object_get_string_member (out, "date"), ==, "2025-02-28");
    g_assert_nonnull (strstr (f->err, "ECB euro area curve as of 2025-02-28, cached (fetched "));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];
#define ADD(path, fn) g_test_add ("/sextant/cli-rates/" path, Fixture, NULL, fixture_setup, fn, \
                                  fixture_teardown)
  ADD ("bond-against-quantlib", test_bond_against_quantlib);
  ADD ("bond-errors", test_bond_errors);
  ADD ("curve-file", test_curve_file);
  ADD ("curve-treasury", test_curve_treasury);
  ADD ("curve-errors", test_curve_errors);
  ADD ("curve-ecb", test_curve_ecb);
  return g_test_run ();
}
