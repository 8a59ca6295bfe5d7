#define G_LOG_DOMAIN "test-cli-analytics-b"

#include "config.h"

#include <math.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sextant-test-util.h"

/* Runs the built sextant-cli (its path is the test's first argument, from tests/meson.build) and
 * checks its JSON against tests/data/portfolio/spisector_reference.json. */

static const char *cli_path;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (args, (gpointer) cli_path);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (proc);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static JsonObject *
load_reference (JsonParser *parser)
{
  g_autofree char *path = sextant_test_reference_path ("portfolio/spisector_reference.json");
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_weights (JsonObject *got,
                JsonObject *ref,
                double      tol)
{
  g_autoptr(GList) names = json_object_get_members (ref);

  g_assert_cmpuint (json_object_get_size (got), ==, json_object_get_size (ref));
  for (GList *l = names; l != NULL; l = l->next)
    {
      double a = json_object_get_double_member (got, l->data);
      double e = json_object_get_double_member (ref, l->data);

      if (fabs (a - e) > tol)
        g_error ("weight %s = %.15g, expected %.15g", (const char *) l->data, a, e);
    }
}

/* Every key of equal_weight_portfolio, to 1e-8 relative. */
static void
test_risk_spisector (void)
{
  g_autofree char *prices = sextant_test_reference_path ("market/spisector_prices.csv");
  g_autoptr(JsonParser) rp = json_parser_new (), op = json_parser_new ();
  g_auto(Run) run = { 0 };
  JsonObject *ref, *ew, *out;
  g_autoptr(GList) keys = NULL;

  run_cli (&run, "risk", "--prices", prices, "--benchmark", "SPI", "--confidence", "0.95,0.99",
           "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  ref = load_reference (rp);
  ew = json_object_get_object_member (ref, "equal_weight_portfolio");
  out = parse_object (op, run.out);
  keys = json_object_get_members (ew);
  /* 4 moments, 10 VaR/ES figures, 8 ratios: 22 keys in the reference. */
  g_assert_cmpuint (g_list_length (keys), ==, 22);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_assert_true (json_object_has_member (out, l->data));
      sextant_assert_close_rel (json_object_get_double_member (out, l->data),
                                json_object_get_double_member (ew, l->data), 1e-8);
    }
  g_assert_cmpint (json_object_get_int_member (out, "n_obs"), ==,
                   json_object_get_int_member (ref, "n_obs"));
  /* Euler components add up to the Gaussian VaR. */
  {
    JsonObject *comp = json_object_get_object_member (out, "component_var_gauss_99");
    g_autoptr(GList) names = json_object_get_members (comp);
    double sum = 0;

    g_assert_cmpuint (g_list_length (names), ==, 9);
    for (GList *l = names; l != NULL; l = l->next)
      sum += json_object_get_double_member (comp, l->data);
    sextant_assert_close_rel (sum, json_object_get_double_member (ew, "var_gauss_99"), 1e-10);
  }
  g_assert_true (json_object_has_member (out, "var_mc_normal_99"));
  g_assert_true (json_object_has_member (out, "es_mc_t_99"));
}

static void
check_objective (const char *objective,
                 const char *bounds,
                 const char *ref_key)
{
  g_autofree char *prices = sextant_test_reference_path ("market/spisector_prices.csv");
  g_autoptr(JsonParser) rp = json_parser_new (), op = json_parser_new ();
  g_auto(Run) run = { 0 };
  JsonObject *ref, *out, *ann;
  double ret, vol;

  if (bounds != NULL)
    run_cli (&run, "optimize", "--prices", prices, "--exclude", "SPI", "--objective", objective,
             "--bounds", bounds, "--format", "json", NULL);
  else
    run_cli (&run, "optimize", "--prices", prices, "--exclude", "SPI", "--objective", objective,
             "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  ref = load_reference (rp);
  out = parse_object (op, run.out);
  assert_weights (json_object_get_object_member (out, "weights"),
                  json_object_get_object_member (ref, ref_key), 1e-6);

  /* Annualised figures are the per-period ones scaled by 252 and √252. */
  ret = json_object_get_double_member (out, "expected_return");
  vol = json_object_get_double_member (out, "volatility");
  ann = json_object_get_object_member (out, "annualised");
  g_assert_cmpfloat (json_object_get_double_member (out, "periods_per_year"), ==, 252);
  sextant_assert_close_rel (json_object_get_double_member (ann, "expected_return"), ret * 252, 1e-14);
  sextant_assert_close_rel (json_object_get_double_member (ann, "volatility"), vol * sqrt (252), 1e-14);
  sextant_assert_close_rel (json_object_get_double_member (out, "sharpe"), ret / vol, 1e-14);
}

/* Weights: the objects of spisector_reference.json named in each call. */
static void
test_optimize_spisector (void)
{
  check_objective ("min-variance", NULL, "min_variance_long_only");
  check_objective ("min-variance", "0,0.4", "min_variance_bounds_0_0.4");
  check_objective ("max-sharpe", NULL, "max_sharpe_long_only_rf0");
  check_objective ("risk-parity", NULL, "risk_parity_long_only");
}

/* target-volatility:V lands on V (per period); the weights lie on the reference frontier between
 * the two points whose volatilities bracket V (frontier_20 rows 4 and 5: 0.00853674806643043
 * and 0.00862298237401279), so its return must lie between theirs. */
static void
test_target_volatility (void)
{
  g_autofree char *prices = sextant_test_reference_path ("market/spisector_prices.csv");
  g_autoptr(JsonParser) rp = json_parser_new (), op = json_parser_new ();
  g_auto(Run) run = { 0 };
  JsonArray *rows;
  JsonObject *out;
  double ret;

  run_cli (&run, "optimize", "--prices", prices, "--exclude", "SPI", "--objective",
           "target-volatility:0.0086", "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = parse_object (op, run.out);
  rows = json_object_get_array_member (load_reference (rp), "frontier_20");
  sextant_assert_close_rel (json_object_get_double_member (out, "volatility"), 0.0086, 1e-10);
  ret = json_object_get_double_member (out, "expected_return");
  g_assert_cmpfloat (ret, >, json_array_get_double_element (json_array_get_array_element (rows, 4), 0));
  g_assert_cmpfloat (ret, <, json_array_get_double_element (json_array_get_array_element (rows, 5), 0));
}

/* frontier_20 of spisector_reference.json. */
static void
test_frontier_spisector (void)
{
  g_autofree char *prices = sextant_test_reference_path ("market/spisector_prices.csv");
  g_autoptr(JsonParser) rp = json_parser_new (), op = json_parser_new ();
  g_auto(Run) run = { 0 };
  JsonArray *ref_rows, *points;
  JsonArray *assets;

  run_cli (&run, "frontier", "--prices", prices, "--exclude", "SPI", "--points", "20",
           "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  ref_rows = json_object_get_array_member (load_reference (rp), "frontier_20");
  assets = json_object_get_array_member (json_node_get_object (json_parser_get_root (rp)), "assets");
  points = json_object_get_array_member (parse_object (op, run.out), "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 20);
  for (guint p = 0; p < 20; p++)
    {
      JsonObject *pt = json_array_get_object_element (points, p);
      JsonArray *row = json_array_get_array_element (ref_rows, p);
      JsonObject *w = json_object_get_object_member (pt, "weights");

      sextant_assert_close_rel (json_object_get_double_member (pt, "target_return"),
                                json_array_get_double_element (row, 0), 1e-8);
      sextant_assert_close_rel (json_object_get_double_member (pt, "volatility"),
                                json_array_get_double_element (row, 1), 1e-8);
      for (guint j = 0; j < json_array_get_length (assets); j++)
        g_assert_cmpfloat (fabs (json_object_get_double_member (
                             w, json_array_get_string_element (assets, j)) -
                           json_array_get_double_element (row, 2 + j)), <=, 1e-6);
    }
}

/* Bundled demo data: the Dow Jones 30 closes (data/demo). */
static void
test_dowjones_demo (void)
{
  g_autofree char *prices = g_build_filename (g_getenv ("SEXTANT_DATADIR"), "demo",
                                              "dowjones30_1990-2001_closes.csv", NULL);
  g_autoptr(JsonParser) p1 = json_parser_new (), p2 = json_parser_new (), p3 = json_parser_new ();
  g_autoptr(GList) names = NULL;
  g_auto(Run) risk = { 0 };
  g_auto(Run) opt = { 0 };
  g_auto(Run) bt = { 0 };
  JsonObject *out, *w;
  double sum = 0;

  run_cli (&risk, "risk", "--prices", prices, "--confidence", "0.99", "--format", "json", NULL);
  g_assert_cmpint (risk.status, ==, 0);
  out = parse_object (p1, risk.out);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (out, "weights")), ==, 30);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (out, "beta")));
  g_assert_cmpfloat (json_object_get_double_member (out, "var_hist_99"), >, 0);

  run_cli (&opt, "optimize", "--prices", prices, "--objective", "min-variance", "--format", "json",
           NULL);
  g_assert_cmpint (opt.status, ==, 0);
  w = json_object_get_object_member (parse_object (p2, opt.out), "weights");
  names = json_object_get_members (w);
  g_assert_cmpuint (g_list_length (names), ==, 30);
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_assert_cmpfloat (json_object_get_double_member (w, l->data), >=, 0);
      sum += json_object_get_double_member (w, l->data);
    }
  g_assert_cmpfloat_with_epsilon (sum, 1, 1e-12);

  /* Buy and hold by hand: the file's first and last closes are MSFT 2.08 → 43.38 and IBM
   * 27.86 → 84.5 (data/demo/dowjones30_1990-2001_closes.csv, rows 1990-12-31 and 2001-01-02),
   * so half in each ends at 0.5 · 43.38/2.08 + 0.5 · 84.5/27.86. */
  run_cli (&bt, "backtest", "--prices", prices, "--weights", "MSFT=0.5,IBM=0.5", "--strategy",
           "buy-and-hold", "--format", "json", NULL);
  g_assert_cmpint (bt.status, ==, 0);
  out = parse_object (p3, bt.out);
  sextant_assert_close_rel (json_object_get_double_member (out, "final_wealth"),
                            0.5 * 43.38 / 2.08 + 0.5 * 84.5 / 27.86, 1e-12);
  g_assert_cmpfloat (json_object_get_double_member (out, "turnover"), ==, 0);
}

static char *
write_temp_csv (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("sextant-cli-XXXXXX.csv", &path, &error);

  g_assert_no_error (error);
  g_close (fd, NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
expect_failure (int         exit_code,
                const char *message,
                const char *first,
                ...)
{
  const char *args[16] = { 0 };
  g_auto(Run) run = { 0 };
  va_list ap;
  guint n = 0;

  va_start (ap, first);
  for (const char *a = first; a != NULL && n < 15; a = va_arg (ap, const char *))
    args[n++] = a;
  va_end (ap);
  run_cli (&run, args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7],
           args[8], args[9], args[10], args[11], NULL);
  if (run.status != exit_code || strstr (run.err, message) == NULL)
    g_error ("%s: exit %d, stderr “%s”; expected exit %d and “%s”", first, run.status, run.err,
             exit_code, message);
}

/* --returns: a wide CSV of returns. A's returns −0.05, 0.02, −0.01, 0.03, 0.01 sort to −0.05,
 * −0.01, 0.01, 0.02, 0.03; at 80 %, h = 4 · 0.2 = 0.8 and the type-7 quantile is
 * −0.05 + 0.8 · 0.04 = −0.018: VaR 0.018, ES 0.05 (the only return at or below it). B is left out
 * by --weights A=1. */
static void
test_risk_returns_file (void)
{
  g_autofree char *path = write_temp_csv ("date,A,B\n2020-01-01,-0.05,0.5\n2020-01-02,0.02,NA\n"
                                          "2020-01-03,-0.01,0.1\n2020-01-06,0.03,0.2\n"
                                          "2020-01-07,0.01,0.3\n");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) run = { 0 };
  JsonObject *out;

  run_cli (&run, "risk", "--returns", path, "--weights", "A=1", "--confidence", "0.8",
           "--simulations", "1000", "--stress-window", "2", "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = parse_object (parser, run.out);
  g_assert_cmpint (json_object_get_int_member (out, "n_obs"), ==, 5);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (out, "var_hist_80"), 0.018, 1e-15);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (out, "es_hist_80"), 0.05, 1e-15);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (out, "mean"), 0, 1e-15);
  g_unlink (path);
}

/* A cash column (constant price) makes the covariance singular: the Monte Carlo figures are
 * null with the reason given, and the historical ones stand. The text format prints a table. */
static void
test_risk_cash_and_text (void)
{
  g_autofree char *path = write_temp_csv ("date,A,CASH\n2020-01-01,10,1\n2020-01-02,11,1\n"
                                          "2020-01-03,10.5,1\n2020-01-06,10.8,1\n"
                                          "2020-01-07,10.1,1\n");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) run = { 0 };
  g_auto(Run) text = { 0 };
  JsonObject *out;

  run_cli (&run, "risk", "--prices", path, "--stress-window", "2", "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = parse_object (parser, run.out);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (out, "var_mc_normal_99")));
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (out, "monte_carlo"), "error"),
                            "singular"));
  g_assert_cmpfloat (json_object_get_double_member (out, "var_hist_99"), >, 0);

  run_cli (&text, "risk", "--prices", path, "--stress-window", "2", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "var_hist_99"));
  g_assert_nonnull (strstr (text.out, "max_drawdown"));
  g_unlink (path);
}

static void
test_bad_input (void)
{
  g_autofree char *prices = sextant_test_reference_path ("market/spisector_prices.csv");
  g_autofree char *flat = write_temp_csv ("date,A,B\n2020-01-01,10,5\n2020-01-02,11,5\n"
                                          "2020-01-03,10.5,5\n2020-01-06,10.8,5\n");
  g_autofree char *negative = write_temp_csv ("date,A,B\n2020-01-01,10,5\n2020-01-02,-1,5\n"
                                              "2020-01-03,10.5,5.2\n");
  g_autofree char *inf = write_temp_csv ("date,A,B\n2020-01-01,10,5\n2020-01-02,inf,5\n"
                                         "2020-01-03,10.5,5.2\n");
  g_autofree char *one_row = write_temp_csv ("date,A,B\n2020-01-01,10,5\n");
  g_autofree char *order = write_temp_csv ("date,A,B\n2020-01-02,10,5\n2020-01-01,11,5.1\n"
                                           "2020-01-03,10.5,5.2\n");

  /* Exit 3 is "bad input data", 2 "bad usage" (sextant-cli --help). */
  expect_failure (3, "maximum weights sum to 0.9 < 1", "optimize", "--prices", prices,
                  "--exclude", "SPI", "--objective", "min-variance", "--bounds", "0,0.1", NULL);
  expect_failure (3, "target return 0.05 exceeds the largest achievable 0.000671686", "optimize",
                  "--prices", prices, "--exclude", "SPI", "--objective", "target-return:0.05", NULL);
  expect_failure (3, "B: its returns do not vary", "optimize", "--prices", flat, "--objective",
                  "min-variance", NULL);
  expect_failure (3, "not positive", "risk", "--prices", negative, NULL);
  expect_failure (3, "2020-01-01", "risk", "--prices", order, NULL);
  expect_failure (3, "column A: inf is not a finite number", "risk", "--prices", inf, NULL);
  expect_failure (3, "at least two", "optimize", "--prices", one_row, "--objective",
                  "min-variance", NULL);
  expect_failure (2, "--objective must be", "optimize", "--prices", prices, "--objective",
                  "max-return", NULL);
  expect_failure (2, "exactly one of --prices", "risk", "--format", "json", NULL);
  expect_failure (2, "--confidence", "risk", "--prices", prices, "--confidence", "1.5", NULL);
  expect_failure (3, "No column named", "risk", "--prices", prices, "--benchmark", "NOPE", NULL);
  expect_failure (3, "sum to 0.8", "backtest", "--prices", prices, "--weights", "UTIL=0.4,CONG=0.4",
                  "--strategy", "buy-and-hold", NULL);

  g_unlink (flat);
  g_unlink (negative);
  g_unlink (order);
  g_unlink (inf);
  g_unlink (one_row);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    {
      g_printerr ("usage: %s [--tap] PATH-TO-SEXTANT-CLI\n", argv[0]);
      return 1;
    }
  cli_path = argv[1];

  g_test_add_func ("/sextant/cli-analytics-b/risk-spisector", test_risk_spisector);
  g_test_add_func ("/sextant/cli-analytics-b/optimize-spisector", test_optimize_spisector);
  g_test_add_func ("/sextant/cli-analytics-b/frontier-spisector", test_frontier_spisector);
  g_test_add_func ("/sextant/cli-analytics-b/target-volatility", test_target_volatility);
  g_test_add_func ("/sextant/cli-analytics-b/dowjones-demo", test_dowjones_demo);
  g_test_add_func ("/sextant/cli-analytics-b/risk-returns-file", test_risk_returns_file);
  g_test_add_func ("/sextant/cli-analytics-b/risk-cash-and-text", test_risk_cash_and_text);
  g_test_add_func ("/sextant/cli-analytics-b/bad-input", test_bad_input);

  return g_test_run ();
}
