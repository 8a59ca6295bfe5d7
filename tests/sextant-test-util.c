#define G_LOG_DOMAIN "sextant-test-util"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sextant-test-util.h"

/**
 * sextant_test_reference_path:
 * @relative_path: a path below tests/data, such as `ta/msft_talib.csv`
 *
 * Returns: (transfer full): the absolute path
 */
char *
sextant_test_reference_path (const char *relative_path)
{
  const char *dir = g_getenv ("SEXTANT_REFERENCE_DIR");

  g_assert_nonnull (dir);

  return g_build_filename (dir, relative_path, NULL);
}

/**
 * sextant_test_output_path:
 * @file_name: a file name such as `chat-window.png`
 *
 * Returns: (transfer full): a path under the build dir's test-output folder, which is created
 */
char *
sextant_test_output_path (const char *file_name)
{
  const char *dir = g_getenv ("SEXTANT_TEST_OUTPUT_DIR");

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);

  return g_build_filename (dir, file_name, NULL);
}

/**
 * sextant_test_make_temp_dir:
 *
 * Returns: (transfer full): a fresh private directory
 */
char *
sextant_test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sextant-test-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

/**
 * sextant_test_use_own_database:
 *
 * Points `SEXTANT_DATABASE` at a database of this run's own, in a fresh folder, so that what a
 * test stores (saved results, conversations, portfolios) meets nothing another run left.
 *
 * Returns: (transfer full): the folder, for sextant_test_remove_temp_dir()
 */
char *
sextant_test_use_own_database (void)
{
  char *dir = sextant_test_make_temp_dir ();
  g_autofree char *database = g_build_filename (dir, "sextant.db", NULL);

  g_setenv ("SEXTANT_DATABASE", database, TRUE);

  return dir;
}

/**
 * sextant_test_wait_for_keyring:
 * @secrets: a secret store
 *
 * gnome-keyring makes its login collection a moment after it starts: waits until a value can be
 * saved (a probe, cleared at once) so that the test sees the keyring as a session would.
 */
void
sextant_test_wait_for_keyring (SextantSecretStore *secrets)
{
  g_autofree char *probe = g_strdup ("probe");

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autoptr(GError) error = NULL;

      if (sextant_secret_store_save_sync (secrets, SEXTANT_SECRET_STOOQ_KEY, probe, NULL, &error))
        {
          g_assert_true (sextant_secret_store_clear_sync (secrets, SEXTANT_SECRET_STOOQ_KEY, NULL, NULL));
          return;
        }
      g_usleep (100000);
    }
  g_error ("The private keyring never became usable");
}

typedef struct
{
  SextantToolRegistry *registry;
  const char          *tool;
  JsonNode            *input;
  JsonNode            *result;
  GError              *error;
  int                  done;
} ToolRun;

static gpointer
tool_thread (gpointer user_data)
{
  ToolRun *run = user_data;

  run->result = sextant_tool_registry_invoke (run->registry, run->tool, run->input, NULL, &run->error);
  g_atomic_int_set (&run->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

/**
 * sextant_test_invoke_tool:
 * @registry: the tools
 * @tool: the name of the one to run
 * @input: its input
 * @error: return location for its error
 *
 * Runs @tool on a worker thread, as the agent runs it, while this thread's default main context
 * goes on, so that a fake server in this process can answer it.
 *
 * Returns: (transfer full) (nullable): the tool's result
 */
JsonNode *
sextant_test_invoke_tool (SextantToolRegistry  *registry,
                          const char           *tool,
                          JsonNode             *input,
                          GError              **error)
{
  ToolRun run = { registry, tool, input, NULL, NULL, 0 };
  GThread *thread = g_thread_new ("tool", tool_thread, &run);

  while (!g_atomic_int_get (&run.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  if (run.error != NULL)
    g_propagate_error (error, run.error);
  return run.result;
}

/**
 * sextant_test_close_rel:
 *
 * Pure relative comparison: |a − e| ≤ tol · |e|; NaN matches only NaN.
 */
gboolean
sextant_test_close_rel (double actual,
                        double expected,
                        double rel_tol)
{
  if (isnan (expected))
    return isnan (actual);

  return fabs (actual - expected) <= rel_tol * fabs (expected);
}

/**
 * sextant_test_close_mixed:
 *
 * Relative comparison that turns absolute near zero, for values that cross zero (MACD, alpha):
 * |a − e| ≤ tol · max(1, |e|), the rule in tests/data/README.md.
 */
gboolean
sextant_test_close_mixed (double actual,
                          double expected,
                          double tol)
{
  if (isnan (expected))
    return isnan (actual);

  return fabs (actual - expected) <= tol * fmax (1.0, fabs (expected));
}

/**
 * sextant_test_run_command:
 * @argv: the program and its arguments
 * @extra_env: (nullable): `NAME=VALUE` strings added to the test's own environment
 * @stdin_text: (nullable): what the program reads on standard input
 * @stdout_text: (out) (optional): what it printed on standard output
 * @stderr_text: (out) (optional): what it printed on standard error
 *
 * Returns: the program's exit status
 */
int
sextant_test_run_command (const char * const  *argv,
                          const char * const  *extra_env,
                          const char          *stdin_text,
                          char               **stdout_text,
                          char               **stderr_text)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra_env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1] != NULL ? pair[1] : "", TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &out, &err, &error);
  g_assert_no_error (error);

  if (stdout_text != NULL)
    *stdout_text = g_steal_pointer (&out);
  if (stderr_text != NULL)
    *stderr_text = g_steal_pointer (&err);

  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Far above any command's time in the sanitized build on a loaded machine (a few seconds),
 * and below meson's per-test timeout times the sanitizer run's multiplier. */
#define CHILD_WATCHDOG_SECONDS 150

struct HungChild
{
  GSubprocess *process;
  gboolean    *timed_out;
};

/* Prints every thread's stack of the hung child, so that a hang seen once in CI can be
 * diagnosed from its log. Frame arguments are left out: they may hold the test's keys. */
static void
print_child_stacks (GSubprocess *process)
{
  const char *pid = g_subprocess_get_identifier (process);
  g_autofree char *gdb = g_find_program_in_path ("gdb");
  g_autofree char *stacks = NULL;
  const char *argv[] = { NULL, "-batch", "-nx", "-p", pid, "-ex", "set print frame-arguments none",
                         "-ex", "thread apply all bt", NULL };

  if (pid == NULL || gdb == NULL)
    return;
  argv[0] = gdb;
  if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &stacks, NULL,
                    NULL, NULL))
    g_printerr ("Stacks of the hung child %s:\n%s\n", pid, stacks);
}

static gboolean
abort_hung_child (gpointer user_data)
{
  struct HungChild *hung = user_data;

  *hung->timed_out = TRUE;
  print_child_stacks (hung->process);
  /* SIGABRT rather than SIGKILL: the sanitizers and GLib print where the child was stuck. */
  g_subprocess_send_signal (hung->process, SIGABRT);

  return G_SOURCE_REMOVE;
}

/**
 * sextant_test_watch_child:
 * @process: a child the test waits for
 * @timed_out: set to %TRUE when the child is aborted
 *
 * Aborts @process if it has not ended after CHILD_WATCHDOG_SECONDS. A child that never ends
 * would otherwise hold the test until meson's timeout kills it without a word about which
 * command hung or what it had printed.
 *
 * Returns: the watchdog's source, to remove once the child has ended unless @timed_out
 */
guint
sextant_test_watch_child (GSubprocess *process,
                          gboolean    *timed_out)
{
  struct HungChild *hung = g_new (struct HungChild, 1);

  hung->process = process;
  hung->timed_out = timed_out;
  *timed_out = FALSE;

  return g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, CHILD_WATCHDOG_SECONDS, abort_hung_child,
                                     hung, g_free);
}

/**
 * sextant_test_run_in_env:
 * @argv: the program and its arguments
 * @env: the program's whole environment
 * @stdout_text: (out): what it printed on standard output
 * @stderr_text: (out): what it printed on standard error
 *
 * Runs a program while this process's default main context goes on, so that a fake server in
 * this process can answer it.
 *
 * Returns: the program's exit status, -1 when a signal ended it
 */
int
sextant_test_run_in_env (const char * const  *argv,
                         const char * const  *env,
                         char               **stdout_text,
                         char               **stderr_text)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gboolean timed_out = FALSE;
  guint watchdog;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, (char **) env);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &result);

  watchdog = sextant_test_watch_child (process, &timed_out);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (watchdog);
  g_subprocess_communicate_utf8_finish (process, result, stdout_text, stderr_text, &error);
  g_assert_no_error (error);
  if (timed_out)
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv);

      g_error ("%s did not end within %d s (sent SIGABRT); it printed:\n%s\n%s", command,
               CHILD_WATCHDOG_SECONDS, *stdout_text ? *stdout_text : "", *stderr_text ? *stderr_text : "");
    }

  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/**
 * sextant_test_remove_temp_dir:
 * @dir: a folder made by sextant_test_make_temp_dir(), holding files only
 *
 * Removes the files in @dir, then @dir.
 */
void
sextant_test_remove_temp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/**
 * sextant_test_load_demo_workspace:
 *
 * Returns: (transfer full): a workspace with the bundled demo data; a test program that cannot
 *   load it stops there
 */
SextantWorkspace *
sextant_test_load_demo_workspace (void)
{
  g_autoptr(GError) error = NULL;
  SextantWorkspace *workspace = sextant_workspace_new ();

  if (!sextant_workspace_load_demo (workspace, &error))
    g_error ("demo data: %s", error->message);

  return workspace;
}

/**
 * sextant_test_put_par_curves:
 * @cache: a market cache
 * @treasury: store the Treasury's par curves of February 2025 (rates/treasury_par_2025-02.csv)
 * @ecb: store the synthetic ECB AAA par and spot curves of 27–28 February 2025
 *   (rates/ecb_yc_aaa_synthetic.csv)
 *
 * Puts the curves into @cache as `sextant-cli curve --source treasury|ecb` leaves them.
 */
void
sextant_test_put_par_curves (SextantMarketCache *cache,
                             gboolean            treasury,
                             gboolean            ecb)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length;

  if (treasury)
    {
      g_autofree char *path = sextant_test_reference_path ("rates/treasury_par_2025-02.csv");
      g_autoptr(GPtrArray) curves = NULL;

      g_assert_true (g_file_get_contents (path, &text, &length, &error));
      curves = sextant_treasury_parse_csv (text, length, "treasury", &error);
      g_assert_no_error (error);
      g_assert_true (sextant_market_cache_put_par_curves (cache, curves, NULL, &error));
      g_assert_no_error (error);
      g_clear_pointer (&text, g_free);
    }
  if (ecb)
    {
      g_autofree char *path = sextant_test_reference_path ("rates/ecb_yc_aaa_synthetic.csv");
      g_autoptr(GPtrArray) days = NULL;
      g_autoptr(GPtrArray) curves = g_ptr_array_new ();

      g_assert_true (g_file_get_contents (path, &text, &length, &error));
      days = sextant_ecb_curve_parse_csv (text, length, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < days->len; i++)
        {
          SextantEcbCurveDay *one = days->pdata[i];

          g_ptr_array_add (curves, one->par);
          g_ptr_array_add (curves, one->spot);
        }
      g_assert_true (sextant_market_cache_put_par_curves (cache, curves, NULL, &error));
      g_assert_no_error (error);
    }
}
