#define G_LOG_DOMAIN "test-cli-analytics-a"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Runs the built sextant-cli (its path is the test's first argument, from tests/meson.build) on
 * the reference and demo files, and checks its output against tests/data/ta/ (TA-Lib's
 * values, see tests/data/README.md) and its exit codes on bad input (sextant-cli-common.h:
 * 2 bad usage, 3 bad input data). */

static const char *cli_path;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static Run *
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);
  va_list ap;

  g_ptr_array_add (args, (gpointer) cli_path);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  run->status = g_subprocess_get_exit_status (proc);

  return run;
}

static void
assert_cell (const char *label,
             gsize       row,
             const char *actual,
             const char *expected,
             gboolean    crosses_zero)
{
  double a, e;

  if (*expected == '\0' || *actual == '\0')
    {
      if (g_strcmp0 (actual, expected) != 0)
        g_error ("%s row %" G_GSIZE_FORMAT ": “%s”, TA-Lib “%s”", label, row, actual, expected);
      return;
    }
  a = g_ascii_strtod (actual, NULL);
  e = g_ascii_strtod (expected, NULL);
  if (!(crosses_zero ? sextant_test_close_mixed (a, e, 1e-9) : sextant_test_close_rel (a, e, 1e-9)))
    g_error ("%s row %" G_GSIZE_FORMAT ": %s, TA-Lib %s", label, row, actual, expected);
}

/* The CLI's CSV must have the reference's exact header, dates and empty cells, and its numbers
 * must match TA-Lib's to 1e-9 (MACD columns: 1e-9·max(1, |ref|), as they cross zero). */
static void
compare_csv (const char *output,
             const char *reference)
{
  g_autofree char *ref_path = sextant_test_reference_path (reference);
  g_autofree char *ref_text = NULL;
  g_auto(GStrv) ref_lines = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (ref_path, &ref_text, NULL, &error);
  g_assert_no_error (error);
  ref_lines = g_strsplit (g_strchomp (ref_text), "\n", -1);
  lines = g_strsplit (g_strchomp ((char *) output), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, g_strv_length (ref_lines));
  g_assert_cmpstr (lines[0], ==, ref_lines[0]);
  names = g_strsplit (ref_lines[0], ",", -1);

  for (gsize r = 1; lines[r] != NULL; r++)
    {
      g_auto(GStrv) got = g_strsplit (lines[r], ",", -1);
      g_auto(GStrv) want = g_strsplit (g_strchomp (ref_lines[r]), ",", -1);

      g_assert_cmpuint (g_strv_length (got), ==, g_strv_length (want));
      g_assert_cmpstr (got[0], ==, want[0]);
      for (gsize c = 1; want[c] != NULL; c++)
        assert_cell (names[c], r, got[c], want[c], g_str_has_prefix (names[c], "macd"));
    }
}

static void
test_indicators_msft (void)
{
  g_autofree char *csv = sextant_test_reference_path ("market/msft_2000-09_2001-09_ohlcv.csv");
  g_autoptr(Run) run = run_cli ("indicators", "--csv", csv, "--sma", "20", "--ema", "20", "--rsi",
                                "14", "--macd", "12,26,9", "--bbands", "20,2", "--atr", "14", NULL);

  g_assert_cmpint (run->status, ==, 0);
  compare_csv (run->out, "ta/msft_talib.csv");
}

/* The bundled demo copy of the S&P 500 file (data/demo/, found through SEXTANT_DATADIR). */
static void
test_indicators_sp500_demo (void)
{
  g_autofree char *csv = g_build_filename (g_getenv ("SEXTANT_DATADIR"), "demo",
                                           "sp500_2000-2020_ohlcv.csv", NULL);
  g_autoptr(Run) run = run_cli ("indicators", "--csv", csv, "--sma", "20", "--ema", "20", "--rsi",
                                "14", "--macd", "12,26,9", "--bbands", "20,2", "--atr", "14",
                                "--format", "csv", NULL);

  g_assert_cmpint (run->status, ==, 0);
  compare_csv (run->out, "ta/sp500_talib.csv");
}

/* JSON: one object per row, null where the lookback leaves no value. Row 36 (2000-11-14) of
 * ta/msft_talib.csv has sma_20 = 66.243750000000006 and rsi_14 = 57.0748941498017. */
static void
test_indicators_json (void)
{
  g_autofree char *csv = sextant_test_reference_path ("market/msft_2000-09_2001-09_ohlcv.csv");
  g_autoptr(Run) run = run_cli ("indicators", "--csv", csv, "--sma", "20", "--rsi", "14",
                                "--format", "json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *rows;
  JsonObject *row;

  g_assert_cmpint (run->status, ==, 0);
  json_parser_load_from_data (parser, run->out, -1, &error);
  g_assert_no_error (error);
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (rows), ==, 249);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "date"), ==, "2000-09-27");
  g_assert_true (json_object_get_null_member (row, "sma_20"));
  row = json_array_get_object_element (rows, 34);
  g_assert_cmpstr (json_object_get_string_member (row, "date"), ==, "2000-11-14");
  sextant_assert_close_rel (json_object_get_double_member (row, "sma_20"), 66.243750000000006,
                            1e-9);
  sextant_assert_close_rel (json_object_get_double_member (row, "rsi_14"), 57.0748941498017,
                            1e-9);
}

/* The optional indicators print exactly what the library computes (%.17g round-trips a double):
 * the library's own figures are checked by hand in test-indicators.c. */
static void
test_indicators_extra (void)
{
  g_autofree char *csv = sextant_test_reference_path ("market/msft_2000-09_2001-09_ohlcv.csv");
  g_autoptr(Run) run = run_cli ("indicators", "--csv", csv, "--wma", "10", "--stoch", "14,3,3",
                                "--obv", "--rolling-vol", "20", NULL);
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  double wma[249], k[249], d[249], obv[249], vol[249];
  const double *hi, *lo, *cl;

  g_assert_cmpint (run->status, ==, 0);
  series = sextant_csv_read_price_series (csv, "MSFT", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_price_series_get_length (series), ==, 249);
  hi = sextant_price_series_get_high (series);
  lo = sextant_price_series_get_low (series);
  cl = sextant_price_series_get_close (series);
  g_assert_true (sextant_wma_compute (cl, 249, 10, wma, NULL));
  g_assert_true (sextant_stoch_compute (hi, lo, cl, 249, 14, 3, 3, k, d, NULL));
  g_assert_true (sextant_obv_compute (cl, sextant_price_series_get_volume (series), 249, obv,
                                      NULL));
  g_assert_true (sextant_rolling_volatility_compute (cl, 249, 20, 252, vol, NULL));

  lines = g_strsplit (g_strchomp (run->out), "\n", -1);
  g_assert_cmpstr (lines[0], ==, "date,wma_10,stoch_k,stoch_d,obv,rolling_vol_20");
  for (guint r = 0; r < 249; r++)
    {
      g_auto(GStrv) f = g_strsplit (lines[r + 1], ",", -1);
      const double want[] = { wma[r], k[r], d[r], obv[r], vol[r] };

      for (guint c = 0; c < G_N_ELEMENTS (want); c++)
        if (isnan (want[c]))
          g_assert_cmpstr (f[c + 1], ==, "");
        else
          g_assert_cmpfloat (g_ascii_strtod (f[c + 1], NULL), ==, want[c]);
    }
  /* first values where the lookbacks end: WMA at 9, Stochastic at 13 + 2 + 2 = 17, volatility
   * at 20 (20 returns need 21 prices) */
  g_assert_true (isnan (wma[8]) && !isnan (wma[9]));
  g_assert_true (isnan (k[16]) && !isnan (k[17]));
  g_assert_true (isnan (vol[19]) && !isnan (vol[20]));
}

static char *
write_temp_csv (const char *name,
                const char *text)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_fails (Run        *run,
              int         status,
              const char *fragment)
{
  g_assert_cmpint (run->status, ==, status);
  g_assert_cmpstr (run->out, ==, "");
  if (strstr (run->err, fragment) == NULL)
    g_error ("stderr “%s” lacks “%s”", run->err, fragment);
}

static void
test_bad_input (void)
{
  g_autofree char *nan_csv = write_temp_csv ("nan.csv",
                                             "Date,Open,High,Low,Close,Volume\n"
                                             "2024-01-02,1,2,0.5,1.5,100\n"
                                             "2024-01-03,1,2,0.5,NA,100\n"
                                             "2024-01-04,1,2,0.5,1.7,100\n");
  g_autofree char *dup_csv = write_temp_csv ("dup.csv",
                                             "date,close\n2024-01-02,1\n2024-01-02,2\n");
  g_autofree char *one_csv = write_temp_csv ("one.csv", "date,close\n2024-01-02,1\n");
  g_autofree char *neg_csv = write_temp_csv ("neg.csv",
                                             "date,close\n2024-01-02,1\n2024-01-03,-2\n");
  g_autofree char *msft = sextant_test_reference_path ("market/msft_2000-09_2001-09_ohlcv.csv");
  Run *run;

  run = run_cli ("indicators", "--csv", one_csv, "--sma", "1", NULL);
  assert_fails (run, 3, "at least two rows");
  run_free (run);
  run = run_cli ("indicators", "--csv", neg_csv, "--sma", "1", NULL);
  assert_fails (run, 3, "row 2 has a non-positive close");
  run_free (run);
  run = run_cli ("indicators", "--csv", msft, "--sma", "-3", NULL);
  assert_fails (run, 2, "--sma");
  run_free (run);
  run = run_cli ("scenarios", "--csv", neg_csv, NULL);
  assert_fails (run, 3, "non-positive");
  run_free (run);

  run = run_cli ("indicators", "--csv", "/nonexistent/prices.csv", "--sma", "5", NULL);
  assert_fails (run, 3, "/nonexistent/prices.csv");
  run_free (run);
  run = run_cli ("indicators", "--csv", nan_csv, "--sma", "2", NULL);
  assert_fails (run, 3, "row 2");
  run_free (run);
  run = run_cli ("indicators", "--csv", dup_csv, "--sma", "2", NULL);
  assert_fails (run, 3, "duplicate");
  run_free (run);
  run = run_cli ("indicators", "--csv", msft, "--macd", "12,26", NULL);
  assert_fails (run, 2, "--macd");
  run_free (run);
  run = run_cli ("indicators", "--csv", msft, "--macd", "26,12,9", NULL);
  assert_fails (run, 3, "fast < slow");
  run_free (run);
  run = run_cli ("indicators", "--csv", msft, "--bbands", "20,-2", NULL);
  assert_fails (run, 2, "--bbands");
  run_free (run);
  run = run_cli ("indicators", "--csv", msft, NULL);
  assert_fails (run, 2, "at least one indicator");
  run_free (run);
  run = run_cli ("forecast", "--csv", msft, "--horizon", "300", NULL);
  assert_fails (run, 3, "horizon of 300");
  run_free (run);
  run = run_cli ("forecast", "--csv", nan_csv, "--horizon", "1", NULL);
  assert_fails (run, 3, "row 2");
  run_free (run);
  run = run_cli ("scenarios", "--model", "brownian", NULL);
  assert_fails (run, 2, "--model");
  run_free (run);
  run = run_cli ("scenarios", "--csv", "/nonexistent/x.csv", NULL);
  assert_fails (run, 3, "/nonexistent/x.csv");
  run_free (run);
}

/* Forecast JSON on MSFT: the hold-out skill ratio is RMSE / naive RMSE, and the point forecast
 * lies inside both intervals. */
static void
test_forecast (void)
{
  static const char *methods[] = { "damped-trend", "gbm" };
  g_autofree char *csv = sextant_test_reference_path ("market/msft_2000-09_2001-09_ohlcv.csv");

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autoptr(Run) run = run_cli ("forecast", "--csv", csv, "--horizon", "10", "--method",
                                    methods[m], "--paths", "2000", "--format", "json", NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *root, *holdout;
      JsonArray *steps;

      g_assert_cmpint (run->status, ==, 0);
      json_parser_load_from_data (parser, run->out, -1, &error);
      g_assert_no_error (error);
      root = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (root, "method"), ==, methods[m]);
      g_assert_cmpstr (json_object_get_string_member (root, "last_date"), ==, "2001-09-27");
      holdout = json_object_get_object_member (root, "holdout");
      g_assert_cmpint (json_object_get_int_member (holdout, "points"), ==, 10);
      sextant_assert_close_rel (json_object_get_double_member (holdout, "skill_ratio"),
                                json_object_get_double_member (holdout, "rmse") /
                                json_object_get_double_member (holdout, "naive_rmse"), 1e-12);
      steps = json_object_get_array_member (root, "forecast");
      g_assert_cmpuint (json_array_get_length (steps), ==, 10);
      for (guint j = 0; j < 10; j++)
        {
          JsonObject *s = json_array_get_object_element (steps, j);
          double point = json_object_get_double_member (s, "point");

          g_assert_cmpfloat (json_object_get_double_member (s, "lower_95"), <, point);
          g_assert_cmpfloat (json_object_get_double_member (s, "upper_95"), >, point);
        }
    }
}

/* Scenarios with no file use the bundled S&P 500 demo; the same seed prints the same figures. */
static void
test_scenarios (void)
{
  static const char *models[] = { "gbm", "heston" };

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      g_autoptr(Run) a = run_cli ("scenarios", "--model", models[m], "--paths", "3000", "--steps",
                                  "20", "--seed", "5", "--format", "json", NULL);
      g_autoptr(Run) b = run_cli ("scenarios", "--model", models[m], "--paths", "3000", "--steps",
                                  "20", "--seed", "5", "--format", "json", NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *asset, *terminal;

      g_assert_cmpint (a->status, ==, 0);
      g_assert_cmpstr (a->out, ==, b->out);
      json_parser_load_from_data (parser, a->out, -1, &error);
      g_assert_no_error (error);
      asset = json_array_get_object_element (
        json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                      "assets"), 0);
      g_assert_nonnull (strstr (json_object_get_string_member (asset, "symbol"), "sp500"));
      /* the S&P 500 file's last close, 2020-04-17 */
      g_assert_cmpfloat (json_object_get_double_member (asset, "start_price"), ==, 2874.560059);
      terminal = json_object_get_object_member (asset, "terminal");
      g_assert_cmpfloat (json_object_get_double_member (terminal, "p05"), <,
                         json_object_get_double_member (terminal, "p50"));
      g_assert_cmpfloat (json_object_get_double_member (terminal, "p50"), <,
                         json_object_get_double_member (terminal, "p95"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  cli_path = argc > 1 ? argv[1] : g_getenv ("SEXTANT_CLI");
  if (cli_path == NULL)
    g_error ("pass the path of sextant-cli as the first argument");

  g_test_add_func ("/sextant/cli-analytics-a/indicators-msft", test_indicators_msft);
  g_test_add_func ("/sextant/cli-analytics-a/indicators-sp500-demo", test_indicators_sp500_demo);
  g_test_add_func ("/sextant/cli-analytics-a/indicators-json", test_indicators_json);
  g_test_add_func ("/sextant/cli-analytics-a/indicators-extra", test_indicators_extra);
  g_test_add_func ("/sextant/cli-analytics-a/bad-input", test_bad_input);
  g_test_add_func ("/sextant/cli-analytics-a/forecast", test_forecast);
  g_test_add_func ("/sextant/cli-analytics-a/scenarios", test_scenarios);

  return g_test_run ();
}
