#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "cli-fixture.h"
#include "fake-batch-server.h"
#include "sextant-compute-job-monitor.h"
#include "sextant-portfolio-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

/* The Portfolio window's scenarios on AWS Batch (issue 18), against the stand-ins for Batch and
 * S3 of test-cli-batch, which check every signature and run each array child as the container
 * would (the built sextant-cli with AWS_BATCH_JOB_ARRAY_INDEX). The window sends the job, shows
 * the shards' progress, is closed while the job runs, and a new window shows the job finish;
 * its result must be the in-process run of the same job file (the engine changes nothing), its
 * vCPU-seconds the fake's own record of the children's attempts, priced at the user's rate.
 * Cancel terminates the job on Batch. */

#define BUCKET "sextant-gui-bucket"
#define PRICE_PER_VCPU_HOUR 0.0475

static const char *cli_path;
static SextantWorkspace *workspace;
static char *home;

typedef struct
{
  FakeS3Server    *s3;
  FakeBatchServer *batch;
} Fakes;

static void
fakes_start (Fakes *f)
{
  g_autofree char *missing = g_build_filename (home, "missing", NULL);

  f->s3 = fake_s3_server_new ("us-east-1", CLI_FIXTURE_AKID, CLI_FIXTURE_SECRET);
  {
    const char *env[] = { "AWS_ENDPOINT_URL_S3", fake_s3_server_get_url (f->s3),
                          "AWS_ACCESS_KEY_ID", CLI_FIXTURE_AKID,
                          "AWS_SECRET_ACCESS_KEY", CLI_FIXTURE_SECRET,
                          "AWS_REGION", "us-east-1",
                          "AWS_CONFIG_FILE", missing,
                          "AWS_SHARED_CREDENTIALS_FILE", missing,
                          "HOME", home,
                          "DBUS_SESSION_BUS_ADDRESS", "disabled:",
                          NULL };

    f->batch = fake_batch_server_new ("us-east-1", CLI_FIXTURE_AKID, CLI_FIXTURE_SECRET, cli_path, env);
  }
  /* the window finds the endpoints and keys as the AWS SDKs do */
  g_setenv ("AWS_ENDPOINT_URL_S3", fake_s3_server_get_url (f->s3), TRUE);
  g_setenv ("AWS_ENDPOINT_URL_BATCH", fake_batch_server_get_url (f->batch), TRUE);
}

static void
fakes_stop (Fakes *f)
{
  g_assert_cmpuint (fake_s3_server_get_n_bad_signatures (f->s3), ==, 0);
  g_assert_cmpuint (fake_batch_server_get_n_bad_signatures (f->batch), ==, 0);
  fake_batch_server_free (f->batch);
  fake_s3_server_free (f->s3);
}

static gpointer
child (SextantPortfolioWindow *window,
       const char             *id)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, id);
}

static gboolean
is_simulate_button (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "win.run-scenarios") == 0;
}

/* The Simulate button follows its action's state. */
static gboolean
simulate_enabled (SextantPortfolioWindow *window)
{
  GtkWidget *button = test_gui_find (GTK_WIDGET (window), is_simulate_button, NULL);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static SextantPortfolioWindow *
open_window (void)
{
  SextantPortfolioWindow *window = sextant_portfolio_window_new (NULL, workspace);

  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 860);
  return window;
}

static void
optimize (SextantPortfolioWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_busy (window));
}

static void
set_batch_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_string (settings, "batch-queue", "desk-queue");
  g_settings_set_string (settings, "batch-job-definition", "sextant-cli:3");
  g_settings_set_string (settings, "batch-bucket", BUCKET);
  g_settings_set_uint (settings, "batch-shards", 4);
  g_settings_set_double (settings, "batch-vcpu-hour-price", PRICE_PER_VCPU_HOUR);
  g_settings_set_string (settings, "scenario-engine", "batch");
}

static const char *
label_text (SextantPortfolioWindow *window,
            const char             *id)
{
  return gtk_label_get_text (child (window, id));
}

/* The same job file run in this process, as `sextant-cli scenarios --job` would. */
static char *
in_process_report (Fakes      *f,
                   const char *job_key)
{
  GBytes *bytes = fake_s3_server_get_object (f->s3, BUCKET, job_key);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(SextantScenarioRun) run = { 0 };
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  SextantScenarioJob *job;

  g_assert_nonnull (bytes);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  job = sextant_scenario_job_from_json (json_parser_get_root (parser), "job.json", &error);
  g_assert_no_error (error);
  g_assert_true (sextant_scenario_job_run (job, 0, 1, &run, &error));
  g_assert_no_error (error);
  report = sextant_scenario_run_to_json (&run);
  json_generator_set_root (generator, report);
  return json_generator_to_data (generator, NULL);
}

static void
test_run_close_reopen (void)
{
  SextantComputeJobMonitor *monitor = sextant_compute_job_monitor_get_for_workspace (workspace);
  const SextantComputeJobInfo *info;
  SextantPortfolioWindow *window;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *job_url = NULL;
  SextantComputeJob *row;
  Fakes f = { 0 };
  double vcpu_seconds;

  fakes_start (&f);
  set_batch_settings ();
  window = open_window ();
  g_assert_cmpuint (gtk_drop_down_get_selected (child (window, "run_on_dropdown")), ==, 1);
  optimize (window);
  /* more paths than this computer's fan chart keeps: Batch takes millions */
  gtk_spin_button_set_value (child (window, "paths_spin"), 40000);
  g_assert_cmpfloat (gtk_spin_button_get_value (child (window, "paths_spin")), ==, 40000);
  gtk_spin_button_set_value (child (window, "horizon_spin"), 21);
  /* the children wait, so that the window closes while the job runs */
  fake_batch_server_hold (f.batch, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-scenarios", NULL));
  TEST_GUI_WAIT_FOR (fake_batch_server_get_n_submits (f.batch) == 1 &&
                     (info = sextant_compute_job_monitor_get_latest (monitor)) != NULL &&
                     g_strcmp0 (info->status, "RUNNABLE") == 0);
  g_assert_nonnull (strstr (fake_batch_server_get_last_submit (f.batch), "\"arrayProperties\":{\"size\":4}"));
  g_assert_nonnull (strstr (label_text (window, "batch_status_label"), "0 of 4 shards done"));
  g_assert_true (gtk_widget_get_visible (child (window, "batch_cancel_button")));
  g_assert_false (simulate_enabled (window));
  test_gui_destroy_and_check (GTK_WINDOW (window));

  /* closed: the job runs on and the workspace's monitor follows it */
  g_assert_true (sextant_compute_job_monitor_get_busy (monitor));
  fake_batch_server_hold (f.batch, FALSE);
  TEST_GUI_WAIT_FOR ((info = sextant_compute_job_monitor_get_latest (monitor))->n_succeeded >= 1);

  window = open_window ();
  g_assert_true (gtk_widget_get_visible (child (window, "batch_box")));
  TEST_GUI_WAIT_FOR_SECONDS (!sextant_compute_job_monitor_get_busy (monitor), 60);
  info = sextant_compute_job_monitor_get_latest (monitor);
  g_test_message ("status: %s\nresult: %s", label_text (window, "batch_status_label"),
                  label_text (window, "batch_result_label"));
  g_assert_null (info->error);
  g_assert_cmpstr (info->status, ==, "SUCCEEDED");
  g_assert_nonnull (strstr (label_text (window, "batch_status_label"), "4 of 4 shards done"));
  g_assert_false (gtk_widget_get_visible (child (window, "batch_cancel_button")));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (child (window, "batch_progress")), ==, 1.0);

  /* the merged shards are the one-process run of the job file the window sent */
  rows = sextant_compute_job_store_list (sextant_workspace_get_store (workspace), NULL);
  g_assert_nonnull (rows);
  row = rows->pdata[0];
  g_assert_cmpint (row->id, ==, info->id);
  g_assert_cmpstr (row->status, ==, "SUCCEEDED");
  g_assert_cmpuint (row->shards_succeeded, ==, 4);
  g_assert_true (g_str_has_prefix (row->job_url, "s3://" BUCKET "/sextant-jobs/"));
  job_url = g_strdup (row->job_url + strlen ("s3://" BUCKET "/"));
  expected = in_process_report (&f, job_url);
  g_assert_cmpstr (row->result, ==, expected);
  g_assert_cmpstr (info->result, ==, expected);
  g_assert_nonnull (strstr (label_text (window, "batch_result_label"), "40000 paths on AWS Batch"));

  /* the cost: the fake's own account of its children's attempts × the user's price */
  vcpu_seconds = fake_batch_server_get_vcpu_seconds (f.batch);
  g_assert_cmpfloat (vcpu_seconds, >, 0);
  g_assert_cmpfloat_with_epsilon (info->vcpu_seconds, vcpu_seconds, 1e-9);
  {
    double dollars = vcpu_seconds / 3600 * PRICE_PER_VCPU_HOUR;
    g_autofree char *amount = dollars < 0.00005 ? g_strdup ("< $0.0001") : g_strdup_printf ("≈ $%.4f", dollars);

    cost = g_strdup_printf ("Cost %s: %.0f vCPU-seconds at $%.4f per vCPU-hour", amount, vcpu_seconds,
                            PRICE_PER_VCPU_HOUR);
  }
  g_assert_nonnull (strstr (label_text (window, "batch_result_label"), cost));
  adw_view_stack_set_visible_child_name (child (window, "view_stack"), "scenarios");
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 860);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-batch.png");
  test_gui_destroy_and_check (GTK_WINDOW (window));
  fakes_stop (&f);
}

/* Cancel sends TerminateJob from the worker; the window says so and Run works again. */
static void
test_cancel (void)
{
  SextantComputeJobMonitor *monitor = sextant_compute_job_monitor_get_for_workspace (workspace);
  const SextantComputeJobInfo *info;
  SextantPortfolioWindow *window;
  Fakes f = { 0 };

  fakes_start (&f);
  set_batch_settings ();
  window = open_window ();
  optimize (window);
  gtk_spin_button_set_value (child (window, "horizon_spin"), 21);
  fake_batch_server_hold (f.batch, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-scenarios", NULL));
  TEST_GUI_WAIT_FOR ((info = sextant_compute_job_monitor_get_latest (monitor)) != NULL &&
                     g_strcmp0 (info->status, "RUNNABLE") == 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-batch", NULL));
  TEST_GUI_WAIT_FOR (!sextant_compute_job_monitor_get_busy (monitor));
  info = sextant_compute_job_monitor_get_latest (monitor);
  g_test_message ("cancel: status %s, error %s", info->status, info->error);
  g_assert_cmpstr (info->status, ==, "CANCELLED");
  g_assert_null (info->result);
  g_assert_cmpuint (fake_batch_server_get_n_terminates (f.batch), ==, 1);
  g_assert_nonnull (strstr (label_text (window, "batch_status_label"), "cancelled"));
  g_assert_false (gtk_widget_get_visible (child (window, "batch_cancel_button")));
  g_assert_true (simulate_enabled (window));
  test_gui_destroy_and_check (GTK_WINDOW (window));
  fakes_stop (&f);
}

/* Sextant quit while a job ran: a new workspace on the same database (the next start) finds the
 * job unfinished in compute_jobs, and its window follows it to its result and cost. */
static void
test_resume_after_restart (void)
{
  SextantComputeJobMonitor *monitor = sextant_compute_job_monitor_get_for_workspace (workspace);
  g_autoptr(SextantWorkspace) restarted = NULL;
  SextantComputeJobMonitor *resumed;
  const SextantComputeJobInfo *info;
  SextantPortfolioWindow *window;
  Fakes f = { 0 };
  gint64 id;

  fakes_start (&f);
  set_batch_settings ();
  window = open_window ();
  optimize (window);
  gtk_spin_button_set_value (child (window, "horizon_spin"), 21);
  fake_batch_server_hold (f.batch, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-scenarios", NULL));
  TEST_GUI_WAIT_FOR ((info = sextant_compute_job_monitor_get_latest (monitor)) != NULL && info->id != 0 &&
                     g_strcmp0 (info->status, "RUNNABLE") == 0);
  id = info->id;
  test_gui_destroy_and_check (GTK_WINDOW (window));
  /* (this process's monitor still follows it too: a second process on the database would) */

  restarted = sextant_test_load_demo_workspace ();
  window = sextant_portfolio_window_new (NULL, restarted);
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 860);
  resumed = sextant_compute_job_monitor_get_for_workspace (restarted);
  g_assert_true (resumed != monitor);
  info = sextant_compute_job_monitor_get_latest (resumed);
  g_assert_nonnull (info);
  g_assert_cmpint (info->id, ==, id);
  g_assert_true (gtk_widget_get_visible (child (window, "batch_box")));
  TEST_GUI_WAIT_FOR (sextant_compute_job_monitor_get_busy (resumed));
  fake_batch_server_hold (f.batch, FALSE);
  TEST_GUI_WAIT_FOR_SECONDS (!sextant_compute_job_monitor_get_busy (resumed), 60);
  info = sextant_compute_job_monitor_get_latest (resumed);
  g_test_message ("resumed: %s / %s", label_text (window, "batch_status_label"),
                  label_text (window, "batch_result_label"));
  g_assert_null (info->error);
  g_assert_cmpstr (info->status, ==, "SUCCEEDED");
  g_assert_nonnull (info->result);
  g_assert_cmpfloat_with_epsilon (info->vcpu_seconds, fake_batch_server_get_vcpu_seconds (f.batch), 1e-9);
  g_assert_nonnull (strstr (label_text (window, "batch_result_label"), "paths on AWS Batch"));
  g_assert_cmpuint (fake_batch_server_get_n_submits (f.batch), ==, 1);
  test_gui_destroy_and_check (GTK_WINDOW (window));
  TEST_GUI_WAIT_FOR (!sextant_compute_job_monitor_get_busy (monitor));
  fakes_stop (&f);
}

int
main (int    argc,
      char **argv)
{
  const char *proxies[] = { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                            "AWS_BATCH_JOB_ARRAY_INDEX", "AWS_PROFILE" };
  g_autofree char *database = NULL;
  g_autofree char *missing = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];
  for (guint i = 0; i < G_N_ELEMENTS (proxies); i++)
    g_unsetenv (proxies[i]);
  g_setenv ("no_proxy", "127.0.0.1", TRUE);

  home = sextant_test_make_temp_dir ();
  database = g_build_filename (home, "sextant.db", NULL);
  missing = g_build_filename (home, "missing", NULL);
  g_setenv ("SEXTANT_DATABASE", database, TRUE);
  /* the window's keys come from the environment, as the AWS tools' do */
  g_setenv ("AWS_ACCESS_KEY_ID", CLI_FIXTURE_AKID, TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", CLI_FIXTURE_SECRET, TRUE);
  g_setenv ("AWS_REGION", "us-east-1", TRUE);
  g_setenv ("AWS_CONFIG_FILE", missing, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", missing, TRUE);
  g_setenv ("SEXTANT_BATCH_POLL_MS", "50", TRUE);

  workspace = sextant_test_load_demo_workspace ();

  g_test_add_func ("/sextant/gui/batch/run-close-reopen", test_run_close_reopen);
  g_test_add_func ("/sextant/gui/batch/cancel", test_cancel);
  g_test_add_func ("/sextant/gui/batch/resume-after-restart", test_resume_after_restart);

  status = g_test_run ();
  g_object_unref (workspace);
  sextant_test_remove_temp_dir (home);
  g_free (home);
  return status;
}
