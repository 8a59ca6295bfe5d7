#include "config.h"

#include <math.h>
#include <string.h>

#include "analytics/sextant-scenarios.h"
#include "jobs/sextant-scenario-job.h"

/* A Heston job as the Portfolio window sends it to AWS Batch: the window's starting variance
 * v0 travels in the job file, so that the paths run elsewhere start where a run on this
 * computer does, not at the long-run variance θ. */

#define THETA 0.00015749859701626537
#define MEAN  0.00013337432750180927
#define S0    2874.56

static SextantScenarioJob *
parse_job (const char  *v0_member,
           GError     **error)
{
  g_autofree char *text = g_strdup_printf (
    "{\"kind\": \"sextant-scenario-job\", \"version\": 1, \"model\": \"heston\","
    " \"parameters\": {\"step_periods\": 1.0, \"kappa_per_year\": 2.0, \"xi_per_year\": 0.5,"
    "  \"rho\": -0.7 %s},"
    " \"seed\": 5, \"size\": {\"paths\": 600, \"steps\": 40},"
    " \"inputs\": {\"source\": \"test\", \"dates\": 100, \"dates_dropped_for_gaps\": 0,"
    "  \"assets\": [{\"symbol\": \"X\", \"start_price\": %.17g, \"mean_log_return_per_period\": %.17g}],"
    "  \"covariance_per_period\": [[%.17g]]}}",
    v0_member, S0, MEAN, THETA);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return sextant_scenario_job_from_json (json_parser_get_root (parser), "job.json", error);
}

/* The engine run directly with the spec the job describes, v0 as given. */
static SextantScenarioResult *
direct_run (double v0)
{
  SextantHestonSpec spec = { S0, v0, MEAN + 0.5 * THETA, 2.0 / 252, THETA, 0.5 / 252, -0.7, 1.0,
                             40, 600, 5, 1, 0 };
  g_autoptr(GError) error = NULL;
  SextantScenarioResult *result = sextant_scenarios_heston (&spec, SEXTANT_SCENARIO_KEEP_TERMINAL,
                                                            NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return result;
}

static void
assert_same_terminal (const SextantScenarioRun    *run,
                      const SextantScenarioResult *expected)
{
  g_assert_cmpuint (run->n_paths, ==, expected->n_paths);
  for (guint p = 0; p < run->n_paths; p++)
    g_assert_cmpfloat (run->terminal[p], ==, expected->terminal[p]);
}

static void
test_heston_v0 (void)
{
  const double v0 = 4 * THETA;
  g_autoptr(GError) error = NULL;
  SextantScenarioJob *with_v0 = NULL;   /* the runs own their jobs */
  SextantScenarioJob *without = NULL;
  g_autoptr(SextantScenarioResult) at_v0 = direct_run (v0);
  g_autoptr(SextantScenarioResult) at_theta = direct_run (THETA);
  g_auto(SextantScenarioRun) run_v0 = { 0 };
  g_auto(SextantScenarioRun) run_theta = { 0 };
  g_autofree char *member = g_strdup_printf (", \"v0_per_period\": %.17g", v0);
  g_autofree char *data = NULL;

  with_v0 = parse_job (member, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (with_v0->v0, ==, v0);
  g_assert_true (sextant_scenario_job_run (with_v0, 0, 1, &run_v0, &error));
  g_assert_no_error (error);
  assert_same_terminal (&run_v0, at_v0);

  /* absent, the variance starts at θ, as every job written before v0 travelled */
  without = parse_job ("", &error);
  g_assert_no_error (error);
  g_assert_true (sextant_scenario_job_run (without, 0, 1, &run_theta, &error));
  assert_same_terminal (&run_theta, at_theta);
  /* a start at four times the long-run variance spreads the 40-day outcomes wider */
  g_assert_cmpfloat (at_v0->log_variance[0], >, 1.5 * at_theta->log_variance[0]);

  /* the job file keeps v0, bit for bit, and a job without it keeps its digest's text */
  data = sextant_scenario_job_to_data (with_v0);
  g_assert_nonnull (strstr (data, "\"v0_per_period\""));
  g_clear_pointer (&data, g_free);
  data = sextant_scenario_job_to_data (without);
  g_assert_null (strstr (data, "v0_per_period"));
}

static void
test_heston_bad_v0 (void)
{
  const char *bad[] = { ", \"v0_per_period\": -0.0001", ", \"v0_per_period\": 0",
                        ", \"v0_per_period\": \"high\"" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SextantScenarioJob) job = parse_job (bad[i], &error);

      g_assert_null (job);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "v0_per_period"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sextant/scenario-job/heston-v0", test_heston_v0);
  g_test_add_func ("/sextant/scenario-job/heston-bad-v0", test_heston_bad_v0);
  return g_test_run ();
}
