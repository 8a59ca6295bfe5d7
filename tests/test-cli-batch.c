#define G_LOG_DOMAIN "test-cli-batch"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "cli-fixture.h"
#include "fake-batch-server.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* The Batch engine (issue 18) against stand-ins for AWS Batch and S3 that check every SigV4
 * signature (S3's rules for S3): `sextant-cli scenarios … --engine batch` uploads the job,
 * submits one array job, and the fake Batch runs each child as the container would (the shard
 * command with AWS_BATCH_JOB_ARRAY_INDEX); the merged output must be byte for byte what the
 * in-process run prints. The reference is the built sextant-cli's own one-process run: what is
 * tested is that the engine changes nothing (the numbers are checked in test-scenarios). Faults:
 * a child whose first attempt dies (retried by Batch), S3 503 (retried by Sextant), S3 403, a
 * child that succeeds without output, a child that fails for good, and a cancelled run. */

#define BUCKET "sextant-test-bucket"

static const char *cli_path;

typedef struct
{
  CliFixture       cli;
  FakeS3Server    *s3;
  FakeBatchServer *batch;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *missing = NULL;

  cli_fixture_setup (&f->cli, cli_path);
  missing = g_build_filename (f->cli.home, "missing", NULL);
  f->s3 = fake_s3_server_new ("us-east-1", CLI_FIXTURE_AKID, CLI_FIXTURE_SECRET);
  {
    const char *env[] = { "AWS_ENDPOINT_URL_S3", fake_s3_server_get_url (f->s3),
                          "AWS_ACCESS_KEY_ID", CLI_FIXTURE_AKID,
                          "AWS_SECRET_ACCESS_KEY", CLI_FIXTURE_SECRET,
                          "AWS_REGION", "us-east-1",
                          "AWS_CONFIG_FILE", missing,
                          "AWS_SHARED_CREDENTIALS_FILE", missing,
                          "HOME", f->cli.home,
                          "DBUS_SESSION_BUS_ADDRESS", "disabled:",
                          NULL };

    f->batch = fake_batch_server_new ("us-east-1", CLI_FIXTURE_AKID, CLI_FIXTURE_SECRET,
                                      cli_path, env);
  }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_cmpuint (fake_s3_server_get_n_bad_signatures (f->s3), ==, 0);
  g_assert_cmpuint (fake_batch_server_get_n_bad_signatures (f->batch), ==, 0);
  fake_batch_server_free (f->batch);
  fake_s3_server_free (f->s3);
  sextant_test_remove_temp_dir (f->cli.home);
  cli_fixture_teardown (&f->cli);
}

typedef struct
{
  char *out;
  char *err;
  int   status;
  gboolean done;
} Run;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (G_SUBPROCESS (object))
                ? g_subprocess_get_exit_status (G_SUBPROCESS (object)) : -1;
  run->done = TRUE;
}

static GSubprocess *
start (Fixture            *f,
       Run                *run,
       const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  launcher = cli_fixture_new_launcher (&f->cli, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                G_SUBPROCESS_FLAGS_STDERR_PIPE, TRUE, NULL);
  g_subprocess_launcher_setenv (launcher, "AWS_ENDPOINT_URL_S3", fake_s3_server_get_url (f->s3),
                                TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_ENDPOINT_URL_BATCH",
                                fake_batch_server_get_url (f->batch), TRUE);
  g_subprocess_launcher_setenv (launcher, "SEXTANT_BATCH_POLL_MS", "50", TRUE);
  g_ptr_array_add (argv, (gpointer) cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  memset (run, 0, sizeof *run);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, run);
  return process;
}

/* Runs the CLI to its end while this thread serves the fakes (and their children). */
static void
run_cli (Fixture            *f,
         Run                *run,
         const char * const *args)
{
  g_autoptr(GSubprocess) process = start (f, run, args);

  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

#define JOB_ARGS "scenarios", "--model", "heston", "--paths", "3000", "--steps", "20", \
                 "--seed", "7"
#define BATCH_ARGS "--engine", "batch", "--queue", "sextant-queue", "--job-definition", \
                   "sextant-shard:1", "--bucket", BUCKET

static char *
local_reference (Fixture *f)
{
  const char *args[] = { JOB_ARGS, "--format", "json", NULL };
  Run run;

  run_cli (f, &run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_free (run.err);
  return run.out;
}

typedef struct
{
  const char *job_id;
  guint       shards;
  double      vcpu_seconds;
  gboolean    ok;
  gboolean    done;
} Usage;

static gpointer
usage_thread (gpointer user_data)
{
  Usage *usage = user_data;
  g_autoptr(SextantAwsCredentials) credentials =
    sextant_aws_credentials_new_static (CLI_FIXTURE_AKID, CLI_FIXTURE_SECRET, NULL, NULL);
  g_autoptr(GError) error = NULL;

  usage->ok = sextant_batch_engine_usage ("us-east-1", credentials, usage->job_id, usage->shards,
                                          &usage->vcpu_seconds, &error);
  g_assert_no_error (error);
  g_atomic_int_set (&usage->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* What the shards used, asked of Batch as the GUI asks it (in a thread: this one serves the
 * fakes), against the fake's own record of each attempt's time: the retried child counts twice. */
static void
check_usage (Fixture    *f,
             const char *job_id,
             guint       shards)
{
  Usage usage = { job_id, shards, 0, FALSE, FALSE };
  GThread *thread;

  g_setenv ("AWS_ENDPOINT_URL_BATCH", fake_batch_server_get_url (f->batch), TRUE);
  thread = g_thread_new ("usage", usage_thread, &usage);
  while (!g_atomic_int_get (&usage.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  g_unsetenv ("AWS_ENDPOINT_URL_BATCH");
  g_assert_true (usage.ok);
  g_test_message ("vCPU-seconds: %.3f (fake: %.3f)", usage.vcpu_seconds,
                  fake_batch_server_get_vcpu_seconds (f->batch));
  g_assert_cmpfloat (usage.vcpu_seconds, >, 0);
  g_assert_cmpfloat_with_epsilon (usage.vcpu_seconds, fake_batch_server_get_vcpu_seconds (f->batch),
                                  1e-9);
}

static void
test_identical (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *expected = local_reference (f);
  const char *args[] = { JOB_ARGS, BATCH_ARGS, "--shards", "5", "--vcpu-hour-price", "0.05", "--format", "json",
                         NULL };
  const char *list[] = { "jobs", "list", "--format", "json", NULL };
  g_autofree char *cost = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *job;
  Run run;

  /* child 2's host goes away on its first attempt; one GetObject of the gather is a 503 */
  fake_batch_server_fail_first_attempt (f->batch, 2);
  fake_s3_server_push_status (f->s3, "GET", 503, 1);
  run_cli (f, &run, args);
  g_test_message ("stderr: %s", run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, expected);
  g_assert_nonnull (strstr (run.err, "5 of 5 shards succeeded"));
  g_assert_cmpuint (fake_batch_server_get_n_submits (f->batch), ==, 1);
  g_assert_nonnull (strstr (fake_batch_server_get_last_submit (f->batch),
                            "\"arrayProperties\":{\"size\":5}"));
  g_assert_cmpuint (fake_batch_server_get_n_attempts (f->batch, 2), ==, 2);
  g_assert_cmpuint (fake_batch_server_get_n_attempts (f->batch, 1), ==, 1);
  /* the job file and five shards */
  g_assert_cmpuint (fake_s3_server_get_n_objects (f->s3), ==, 6);
  /* the cost: the fake's own account of its children's attempts (the failed one included) × the
   * price given, on stderr, stdout staying the in-process run's */
  g_assert_cmpfloat (fake_batch_server_get_vcpu_seconds (f->batch), >, 0);
  cost = g_strdup_printf ("%.0f vCPU-seconds at $0.0500 per vCPU-hour.",
                          fake_batch_server_get_vcpu_seconds (f->batch));
  g_assert_nonnull (strstr (run.err, "Cost "));
  g_assert_nonnull (strstr (run.err, cost));
  run_clear (&run);

  run_cli (f, &run, list);
  g_assert_cmpint (run.status, ==, 0);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 1);
  job = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_cmpstr (json_object_get_string_member (job, "status"), ==, "SUCCEEDED");
  g_assert_cmpint (json_object_get_int_member (job, "shards_succeeded"), ==, 5);
  {
    g_autofree char *id = g_strdup (json_object_get_string_member (job, "engine_job_id"));
    const char *show[] = { "jobs", "show", id, "--format", "json", NULL };
    g_autoptr(JsonParser) shown = json_parser_new ();
    JsonObject *result;

    run_clear (&run);
    run_cli (f, &run, show);
    g_assert_cmpint (run.status, ==, 0);
    json_parser_load_from_data (shown, run.out, -1, &error);
    g_assert_no_error (error);
    result = json_object_get_object_member (json_node_get_object (json_parser_get_root (shown)),
                                            "result");
    g_assert_nonnull (result);
    g_assert_cmpint (json_object_get_int_member (result, "paths"), ==, 3000);
    check_usage (f, id, 5);
  }
  run_clear (&run);
}

/* The "done when" at full size: ten million Heston paths as fifty Batch shards, one of
 * whose hosts dies on its first attempt, merge to exactly the bytes of the one-process run.
 * A month of daily steps keeps it to about a minute on two cores; run with -m slow only (the
 * normal build's 'exhaustive' suite), since the sanitized build would take ten times as long to
 * show nothing the five-shard case above does not. */
#define FULL_JOB_ARGS "scenarios", "--model", "heston", "--paths", "10000000", "--steps", "21", \
                      "--seed", "7"

static void
test_full_size (Fixture       *f,
                gconstpointer  data)
{
  const char *local[] = { FULL_JOB_ARGS, "--format", "json", NULL };
  const char *batch[] = { FULL_JOB_ARGS, BATCH_ARGS, "--shards", "50", "--format", "json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  Run run;

  run_cli (f, &run, local);
  g_assert_cmpint (run.status, ==, 0);
  expected = g_steal_pointer (&run.out);
  run_clear (&run);

  fake_batch_server_fail_first_attempt (f->batch, 31);
  run_cli (f, &run, batch);
  g_test_message ("stderr: %s", run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "50 of 50 shards succeeded"));
  g_assert_cmpuint (fake_batch_server_get_n_attempts (f->batch, 31), ==, 2);
  g_assert_nonnull (strstr (fake_batch_server_get_last_submit (f->batch),
                            "\"arrayProperties\":{\"size\":50}"));
  g_assert_cmpstr (run.out, ==, expected);

  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                               "paths"), ==, 10000000);
  run_clear (&run);
}

static void
test_one_shard (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *expected = local_reference (f);
  const char *args[] = { JOB_ARGS, BATCH_ARGS, "--shards", "1", "--prefix", "runs/desk",
                         "--format", "json", NULL };
  Run run;

  run_cli (f, &run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, expected);
  /* Batch refuses an array of one: a plain job, its child without an index */
  g_assert_null (strstr (fake_batch_server_get_last_submit (f->batch), "arrayProperties"));
  run_clear (&run);
}

static void
test_missing_shard (Fixture       *f,
                    gconstpointer  data)
{
  const char *args[] = { JOB_ARGS, BATCH_ARGS, "--shards", "4", "--format", "json", NULL };
  Run run;

  fake_s3_server_drop_puts (f->s3, "/shard-3");
  run_cli (f, &run, args);
  g_assert_cmpint (run.status, ==, 6);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "Shard 3/4 left no output"));
  run_clear (&run);
}

static void
test_failed_shard (Fixture       *f,
                   gconstpointer  data)
{
  const char *args[] = { JOB_ARGS, BATCH_ARGS, "--shards", "3", "--format", "json", NULL };
  Run run;

  fake_batch_server_fail_always (f->batch, 1);
  run_cli (f, &run, args);
  g_assert_cmpint (run.status, ==, 6);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "1 of 3 shards failed"));
  /* retryStrategy attempts: 3 */
  g_assert_cmpuint (fake_batch_server_get_n_attempts (f->batch, 1), ==, 3);
  run_clear (&run);
}

static void
test_s3_forbidden (Fixture       *f,
                   gconstpointer  data)
{
  const char *args[] = { JOB_ARGS, BATCH_ARGS, "--shards", "2", NULL };
  Run run;

  fake_s3_server_push_status (f->s3, "PUT", 403, 1);
  run_cli (f, &run, args);
  g_assert_cmpint (run.status, ==, 4);
  g_assert_nonnull (strstr (run.err, "access denied"));
  g_assert_nonnull (strstr (run.err, "s3://" BUCKET "/"));
  g_assert_cmpuint (fake_batch_server_get_n_submits (f->batch), ==, 0);
  run_clear (&run);
}

static void
test_s3_unavailable (Fixture       *f,
                     gconstpointer  data)
{
  const char *args[] = { JOB_ARGS, BATCH_ARGS, "--shards", "2", NULL };
  Run run;

  /* more 503s than attempts: the run stops, saying so, before anything is submitted */
  fake_s3_server_push_status (f->s3, "PUT", 503, 10);
  run_cli (f, &run, args);
  g_assert_cmpint (run.status, ==, 5);
  g_assert_nonnull (strstr (run.err, "HTTP 503 SlowDown, still after 4 attempts"));
  g_assert_cmpuint (fake_s3_server_get_n_requests (f->s3, "PUT"), ==, 4);
  g_assert_cmpuint (fake_batch_server_get_n_submits (f->batch), ==, 0);
  run_clear (&run);
}

static gboolean
submitted (Fixture *f)
{
  return fake_batch_server_get_n_submits (f->batch) > 0;
}

static gboolean
recorded (Fixture *f)
{
  const char *list[] = { "jobs", "list", NULL };
  gboolean found;
  Run run;

  run_cli (f, &run, list);
  found = run.status == 0 && strstr (run.out, "RUNNABLE") != NULL;
  run_clear (&run);
  return found;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *args[] = { JOB_ARGS, BATCH_ARGS, "--shards", "3", NULL };
  const char *cancel[] = { "jobs", "cancel", "1", NULL };
  g_autoptr(GSubprocess) process = NULL;
  Run run, cancelled;

  fake_batch_server_hold (f->batch, TRUE);
  process = start (f, &run, args);
  while (!submitted (f))
    g_main_context_iteration (NULL, TRUE);
  /* the row is written once SubmitJob has answered: wait until another terminal sees it */
  for (guint i = 0; i < 200 && !recorded (f); i++)
    g_usleep (20000);
  run_cli (f, &cancelled, cancel);
  g_test_message ("cancel: %s %s", cancelled.out, cancelled.err);
  g_assert_cmpint (cancelled.status, ==, 0);
  g_assert_nonnull (strstr (cancelled.out, "Cancelled AWS Batch job"));
  g_assert_cmpuint (fake_batch_server_get_n_terminates (f->batch), ==, 1);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (run.status, ==, 6);
  g_assert_nonnull (strstr (run.err, "Terminated by the user"));
  run_clear (&run);
  run_clear (&cancelled);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  const char *no_queue[] = { JOB_ARGS, "--engine", "batch", "--bucket", BUCKET, NULL };
  const char *stray[] = { JOB_ARGS, "--queue", "q", NULL };
  const char *bad_bucket[] = { JOB_ARGS, "--engine", "batch", "--queue", "q", "--job-definition",
                               "d", "--bucket", "Not_A_Bucket", NULL };
  const char *no_index[] = { JOB_ARGS, "--shard", "array/4", "--out", "x", NULL };
  const char *bad_price[] = { JOB_ARGS, BATCH_ARGS, "--vcpu-hour-price", "cheap", NULL };
  const char *local_price[] = { JOB_ARGS, "--vcpu-hour-price", "0.05", NULL };
  const char *unknown[] = { "jobs", "show", "nope", NULL };
  Run run;

  run_cli (f, &run, no_queue);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--engine batch needs --queue Q"));
  run_clear (&run);
  run_cli (f, &run, stray);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_cli (f, &run, bad_bucket);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "S3 bucket name"));
  run_clear (&run);
  run_cli (f, &run, no_index);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "AWS_BATCH_JOB_ARRAY_INDEX"));
  run_clear (&run);
  run_cli (f, &run, bad_price);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--vcpu-hour-price must be US dollars"));
  run_clear (&run);
  run_cli (f, &run, local_price);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--vcpu-hour-price goes with --engine batch"));
  run_clear (&run);
  run_cli (f, &run, unknown);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "No job “nope”"));
  run_clear (&run);
}

int
main (int    argc,
      char **argv)
{
  const char *proxies[] = { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                            "no_proxy", "AWS_BATCH_JOB_ARRAY_INDEX" };

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];
  /* the fake Batch's children inherit this environment */
  for (guint i = 0; i < G_N_ELEMENTS (proxies); i++)
    g_unsetenv (proxies[i]);

  g_test_add ("/sextant/cli-batch/identical", Fixture, NULL, fixture_setup, test_identical,
              fixture_teardown);
  g_test_add ("/sextant/cli-batch/one-shard", Fixture, NULL, fixture_setup, test_one_shard,
              fixture_teardown);
  g_test_add ("/sextant/cli-batch/missing-shard", Fixture, NULL, fixture_setup,
              test_missing_shard, fixture_teardown);
  g_test_add ("/sextant/cli-batch/failed-shard", Fixture, NULL, fixture_setup, test_failed_shard,
              fixture_teardown);
  g_test_add ("/sextant/cli-batch/s3-forbidden", Fixture, NULL, fixture_setup, test_s3_forbidden,
              fixture_teardown);
  g_test_add ("/sextant/cli-batch/s3-unavailable", Fixture, NULL, fixture_setup,
              test_s3_unavailable, fixture_teardown);
  g_test_add ("/sextant/cli-batch/cancel", Fixture, NULL, fixture_setup, test_cancel,
              fixture_teardown);
  g_test_add ("/sextant/cli-batch/usage", Fixture, NULL, fixture_setup, test_usage,
              fixture_teardown);
  if (g_test_slow ())
    g_test_add ("/sextant/cli-batch/full-size", Fixture, NULL, fixture_setup, test_full_size,
                fixture_teardown);

  return g_test_run ();
}
