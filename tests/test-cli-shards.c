#define G_LOG_DOMAIN "test-cli-shards"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include <gio/gio.h>

#include "sextant-test-util.h"

/* One scenario job, run in shards (issue 18): `sextant-cli scenarios … --shard I/N --out FILE`
 * for every I and `sextant-cli merge` of the files print exactly the bytes that the one-process
 * `sextant-cli scenarios …` prints, for N = 1, 3 and 7, in JSON and text; the same holds for a
 * job written with --write-job and run with --job, and for --engine processes. The reference is
 * the built sextant-cli's own one-process run: what is tested is that cutting a run into shards
 * changes nothing (the numbers themselves are checked in test-scenarios and test-cli-analytics-a). */

static const char *cli_path;
static char *work_dir;

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
run_argv (GPtrArray *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);

  g_ptr_array_insert (args, 0, (gpointer) cli_path);
  g_ptr_array_add (args, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, work_dir);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  run->status = g_subprocess_get_exit_status (proc);
  return run;
}

static void
clean_work_dir (void)
{
  sextant_test_remove_temp_dir (work_dir);
  g_free (work_dir);
  work_dir = sextant_test_make_temp_dir ();
}

static char *
work_file (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

/* @job_args (NULL-terminated) then the other arguments up to NULL */
static Run *
run_cli (const char * const *job_args,
         const char         *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (args, (gpointer) "scenarios");
  for (guint i = 0; job_args != NULL && job_args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) job_args[i]);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  return run_argv (args);
}

static Run *
run_merge (GPtrArray  *files,
           const char *format)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer) "merge");
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (args, files->pdata[i]);
  if (format != NULL)
    {
      g_ptr_array_add (args, (gpointer) "--format");
      g_ptr_array_add (args, (gpointer) format);
    }
  return run_argv (args);
}

static void
assert_ok (const Run *run)
{
  if (run->status != 0)
    g_error ("sextant-cli exited with %d: %s", run->status, run->err);
}

static void
assert_fails (const Run  *run,
              int         status,
              const char *message)
{
  g_assert_cmpint (run->status, ==, status);
  if (strstr (run->err, message) == NULL)
    g_error ("expected “%s” in: %s", message, run->err);
}

/* Writes shards 0 … n − 1 of the job in @tag-I files (in reverse order, to show that the order
 * of runs and of files does not matter) and returns their names. */
static GPtrArray *
write_shards (const char * const *job_args,
              const char         *tag,
              guint               n)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  for (guint k = n; k-- > 0;)
    {
      g_autofree char *shard = g_strdup_printf ("%u/%u", k, n);
      char *file = g_strdup_printf ("%s-%u-of-%u", tag, k, n);
      g_autoptr(Run) run = run_cli (job_args, "--shard", shard, "--out", file, NULL);

      assert_ok (run);
      g_assert_cmpstr (run->out, ==, "");
      g_ptr_array_add (files, file);
    }
  return files;
}

static void
check_job (const char * const *job_args,
           const char         *tag)
{
  static const guint counts[] = { 1, 3, 7 };
  g_autoptr(Run) json = run_cli (job_args, "--format", "json", NULL);
  g_autoptr(Run) text = run_cli (job_args, NULL);

  assert_ok (json);
  assert_ok (text);
  g_assert_true (g_str_has_prefix (json->out, "{"));
  for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
    {
      g_autoptr(GPtrArray) files = write_shards (job_args, tag, counts[c]);
      g_autoptr(Run) merged_json = run_merge (files, "json");
      g_autoptr(Run) merged_text = run_merge (files, NULL);

      assert_ok (merged_json);
      assert_ok (merged_text);
      g_assert_cmpstr (merged_json->out, ==, json->out);
      g_assert_cmpstr (merged_text->out, ==, text->out);
    }
}

/* GBM on the bundled S&P 500 (its last block of paths short: 5,000 = 19 × 256 + 136), correlated
 * GBM on ten sector indices, and Heston, whose output also counts truncated variances. */
static void
test_merge_equals_one_process (void)
{
  g_autofree char *prices = sextant_test_reference_path ("market/spisector_prices.csv");
  const char *gbm[] = { "--paths", "5000", "--steps", "20", "--seed", "9", NULL };
  const char *sectors[] = { "--prices", prices, "--paths", "3000", "--steps", "5", NULL };
  const char *heston[] = { "--model", "heston", "--heston", "3,0.9,-0.5", "--paths", "2000",
                           "--steps", "30", NULL };

  check_job (gbm, "gbm");
  check_job (sectors, "sectors");
  check_job (heston, "heston");
}

/* A job file is what any engine runs: --write-job writes it, --job runs it, and its shards merge
 * with shards run from the options that described it (they are the same job). */
static void
test_job_file (void)
{
  const char *options[] = { "--model", "heston", "--paths", "1500", "--steps", "12", NULL };
  const char *from_file[] = { "--job", "job.json", NULL };
  g_autoptr(Run) expected = run_cli (options, "--format", "json", NULL);
  g_autoptr(Run) written = run_cli (options, "--write-job", "job.json", NULL);
  g_autoptr(Run) again = run_cli (options, "--write-job", "job.json", NULL);
  g_autoptr(Run) from_job = NULL;
  g_autoptr(Run) merged = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) mixed = g_ptr_array_new ();
  g_autofree char *contents = NULL;
  g_autofree char *job_path = NULL;

  assert_ok (expected);
  assert_ok (written);
  g_assert_nonnull (strstr (written->out, "job.json"));
  /* a job file is a record: never written over */
  assert_fails (again, 3, "already exists");
  job_path = work_file ("job.json");
  g_assert_true (g_file_get_contents (job_path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"kind\" : \"sextant-scenario-job\""));
  g_assert_nonnull (strstr (contents, "\"covariance_per_period\""));

  from_job = run_cli (from_file, "--format", "json", NULL);
  assert_ok (from_job);
  g_assert_cmpstr (from_job->out, ==, expected->out);

  files = write_shards (from_file, "file", 3);
  g_ptr_array_add (mixed, files->pdata[0]);
  {
    g_autoptr(Run) shard = run_cli (options, "--shard", "1/3", "--out", "options-1", NULL);

    assert_ok (shard);
  }
  g_ptr_array_add (mixed, (gpointer) "options-1");
  g_ptr_array_add (mixed, files->pdata[2]);
  merged = run_merge (mixed, "json");
  assert_ok (merged);
  g_assert_cmpstr (merged->out, ==, expected->out);
}

static void
test_engines (void)
{
  g_autofree char *prices = sextant_test_reference_path ("market/spisector_prices.csv");
  const char *job[] = { "--prices", prices, "--paths", "4000", "--steps", "10", NULL };
  g_autoptr(Run) expected = NULL;
  g_autoptr(Run) local = NULL;
  g_autoptr(Run) two = NULL;
  g_autoptr(Run) five = NULL;
  g_autoptr(Run) text = NULL;
  g_autoptr(GDir) dir = NULL;

  clean_work_dir ();
  expected = run_cli (job, "--format", "json", NULL);
  local = run_cli (job, "--engine", "local", "--format", "json", NULL);
  two = run_cli (job, "--engine", "processes", "--format", "json", NULL);
  five = run_cli (job, "--engine", "processes", "--shards", "5", NULL);
  text = run_cli (job, NULL);
  assert_ok (expected);
  assert_ok (local);
  assert_ok (two);
  assert_ok (five);
  assert_ok (text);
  g_assert_cmpstr (local->out, ==, expected->out);
  g_assert_cmpstr (two->out, ==, expected->out);
  g_assert_cmpstr (five->out, ==, text->out);
  /* the processes engine works in a folder of its own, which it removes */
  dir = g_dir_open (work_dir, 0, NULL);
  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));
}

static void
test_refusals (void)
{
  const char *job[] = { "--paths", "1000", "--steps", "5", NULL };
  const char *other[] = { "--paths", "1000", "--steps", "5", "--seed", "2", NULL };
  g_autoptr(GPtrArray) files = write_shards (job, "a", 3);
  g_autoptr(GPtrArray) others = write_shards (other, "b", 3);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autofree char *contents = NULL;
  char *path;
  gsize length;
  Run *run;

  /* shards of another job (another seed) */
  g_ptr_array_add (list, files->pdata[0]);
  g_ptr_array_add (list, others->pdata[1]);
  g_ptr_array_add (list, files->pdata[2]);
  run = run_merge (list, "json");
  assert_fails (run, 3, "is a shard of another job");
  g_assert_cmpstr (run->out, ==, "");
  run_free (run);

  /* a shard missing (files are named by run order: pdata[2] is shard 0/3) */
  g_ptr_array_set_size (list, 0);
  g_ptr_array_add (list, files->pdata[0]);
  g_ptr_array_add (list, files->pdata[2]);
  run = run_merge (list, NULL);
  assert_fails (run, 3, "Shard 1/3 is missing");
  run_free (run);

  /* a shard twice */
  g_ptr_array_add (list, files->pdata[2]);
  g_ptr_array_add (list, files->pdata[1]);
  run = run_merge (list, NULL);
  assert_fails (run, 3, "Shard 0/3 is given twice");
  run_free (run);

  /* shards of the same job cut otherwise */
  {
    g_autoptr(GPtrArray) halves = write_shards (job, "c", 2);

    g_ptr_array_set_size (list, 0);
    g_ptr_array_add (list, files->pdata[0]);
    g_ptr_array_add (list, halves->pdata[0]);
    run = run_merge (list, NULL);
    assert_fails (run, 3, "cut into");
    run_free (run);
  }

  /* a file cut short, and one that is no shard */
  path = work_file (files->pdata[0]);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_free (path);
  path = work_file ("short");
  g_assert_true (g_file_set_contents (path, contents, length - 8, NULL));
  g_free (path);
  g_ptr_array_set_size (list, 0);
  g_ptr_array_add (list, (gpointer) "short");
  run = run_merge (list, NULL);
  assert_fails (run, 3, "cut short or damaged");
  run_free (run);
  g_ptr_array_set_size (list, 0);
  g_ptr_array_add (list, (gpointer) "job-is-not-here");
  run = run_merge (list, NULL);
  assert_fails (run, 3, "job-is-not-here");
  run_free (run);
  path = work_file ("text");
  g_assert_true (g_file_set_contents (path, "date,close\n", -1, NULL));
  g_free (path);
  g_ptr_array_set_size (list, 0);
  g_ptr_array_add (list, (gpointer) "text");
  run = run_merge (list, NULL);
  assert_fails (run, 3, "not a shard file");
  run_free (run);
  /* a header that asks for more shards than a run may have is refused before anything is
   * allocated for them */
  path = work_file ("many");
  g_assert_true (g_file_set_contents (path, "SEXTANT-SCENARIO-SHARD 1\n{\"job_sha256\":\"x\","
                                      "\"shard\":0,\"shards\":4000000000,\"first_path\":0,"
                                      "\"paths\":0,\"variance_truncations\":0,\"job\":{}}\n",
                                      -1, NULL));
  g_free (path);
  g_ptr_array_set_size (list, 0);
  g_ptr_array_add (list, (gpointer) "many");
  run = run_merge (list, NULL);
  assert_fails (run, 3, "header is damaged");
  run_free (run);
  g_ptr_array_set_size (list, 0);
  run = run_merge (list, NULL);
  assert_fails (run, 2, "give the shard files");
  run_free (run);

  /* usage */
  run = run_cli (job, "--shard", "3/3", "--out", "x", NULL);
  assert_fails (run, 2, "--shard expects I/N");
  run_free (run);
  run = run_cli (job, "--shard", "0/3", NULL);
  assert_fails (run, 2, "go together");
  run_free (run);
  run = run_cli (NULL, "--job", "text", "--paths", "5", NULL);
  assert_fails (run, 2, "give either --job");
  run_free (run);
  run = run_cli (job, "--engine", "cluster", NULL);
  assert_fails (run, 2, "--engine must be local, processes or batch");
  run_free (run);
  /* batch is an engine now (test-cli-batch), but only with its queue, definition and bucket */
  run = run_cli (job, "--engine", "batch", NULL);
  assert_fails (run, 2, "--engine batch needs --queue Q, --job-definition D and --bucket B");
  run_free (run);
  run = run_cli (job, "--shards", "3", NULL);
  assert_fails (run, 2, "--shards N goes with --engine processes");
  run_free (run);

  /* job files that are not jobs */
  run = run_cli (NULL, "--job", "text", NULL);
  assert_fails (run, 3, "not a scenario job");
  run_free (run);
  path = work_file ("bad.json");
  g_assert_true (g_file_set_contents (path,
                                      "{\"kind\":\"sextant-scenario-job\",\"version\":1,"
                                      "\"model\":\"gbm\",\"parameters\":{\"step_periods\":1},"
                                      "\"seed\":1,\"size\":{\"paths\":10,\"steps\":1},"
                                      "\"inputs\":{\"source\":\"x\",\"dates\":2,"
                                      "\"dates_dropped_for_gaps\":0,\"assets\":[{\"symbol\":\"A\","
                                      "\"start_price\":1,\"mean_log_return_per_period\":0}],"
                                      "\"covariance_per_period\":[[\"a\"]]}}", -1, NULL));
  g_free (path);
  run = run_cli (NULL, "--job", "bad.json", NULL);
  assert_fails (run, 3, "row 1 of \"covariance_per_period\" must hold 1 numbers");
  run_free (run);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cli_path = argc > 1 ? argv[1] : g_getenv ("SEXTANT_CLI");
  if (cli_path == NULL)
    g_error ("pass the path of sextant-cli as the first argument");
  work_dir = sextant_test_make_temp_dir ();

  g_test_add_func ("/sextant/cli-shards/merge-equals-one-process", test_merge_equals_one_process);
  g_test_add_func ("/sextant/cli-shards/job-file", test_job_file);
  g_test_add_func ("/sextant/cli-shards/engines", test_engines);
  g_test_add_func ("/sextant/cli-shards/refusals", test_refusals);
  status = g_test_run ();

  clean_work_dir ();
  sextant_test_remove_temp_dir (work_dir);
  g_free (work_dir);
  return status;
}
