#include "config.h"

#include <string.h>

#include "cli-fixture.h"
#include "sextant-test-util.h"

/* sextant-cli as a user runs it, against the fake Bedrock of this process: every AWS setting
 * that could leak in from the developer's environment (profiles, proxies, tokens, ~/.aws) is
 * pinned or removed, and the session bus is disabled so the keyring is unusable. */

void
cli_fixture_setup (CliFixture *f,
                   const char *cli_path)
{
  f->server = fake_bedrock_server_new ("us-east-1", CLI_FIXTURE_AKID, CLI_FIXTURE_SECRET);
  f->cli_path = cli_path;
  f->home = sextant_test_make_temp_dir ();
}

void
cli_fixture_teardown (CliFixture *f)
{
  g_assert_cmpuint (fake_bedrock_server_get_n_bad_signatures (f->server), ==, 0);
  fake_bedrock_server_free (f->server);
  g_free (f->home);
  g_free (f->out);
  g_free (f->err);
}

/**
 * cli_fixture_new_launcher:
 * @endpoint: (nullable): the Bedrock endpoint; %NULL for the fake server
 *
 * Returns: (transfer full): a launcher with the test's environment
 */
GSubprocessLauncher *
cli_fixture_new_launcher (CliFixture       *f,
                          GSubprocessFlags  flags,
                          gboolean          with_credentials,
                          const char       *endpoint)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autofree char *missing = g_build_filename (f->home, "missing", NULL);
  g_autofree char *cache = g_build_filename (f->home, "cache", NULL);
  g_autofree char *db = g_build_filename (f->home, "sextant.db", NULL);
  const char *url = endpoint != NULL ? endpoint : fake_bedrock_server_get_url (f->server);
  const char *unset[] = { "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK",
                          "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy" };

  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", f->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "SEXTANT_DATABASE", db, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_CONFIG_FILE", missing, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_SHARED_CREDENTIALS_FILE", missing, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_REGION", "us-east-1", TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", url, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_ENDPOINT_URL_BEDROCK", url, TRUE);
  g_subprocess_launcher_setenv (launcher, "SEXTANT_BEDROCK_RETRY_BASE_DELAY_MS", "2", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (unset); i++)
    g_subprocess_launcher_unsetenv (launcher, unset[i]);
  if (with_credentials)
    {
      g_subprocess_launcher_setenv (launcher, "AWS_ACCESS_KEY_ID", CLI_FIXTURE_AKID, TRUE);
      g_subprocess_launcher_setenv (launcher, "AWS_SECRET_ACCESS_KEY", CLI_FIXTURE_SECRET, TRUE);
    }
  else
    {
      g_subprocess_launcher_unsetenv (launcher, "AWS_ACCESS_KEY_ID");
      g_subprocess_launcher_unsetenv (launcher, "AWS_SECRET_ACCESS_KEY");
    }

  return launcher;
}

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CliFixture *f = user_data;
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (process, result, &f->out, &f->err, &error);
  g_assert_no_error (error);
  f->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/**
 * cli_fixture_run:
 * @endpoint: (nullable): the Bedrock endpoint; %NULL for the fake server
 * @args: the CLI's arguments, %NULL-terminated
 *
 * Runs the CLI to its end while this thread keeps serving the fake Bedrock.
 *
 * Returns: the exit status; stdout and stderr are in @f
 */
int
cli_fixture_run (CliFixture         *f,
                 gboolean            with_credentials,
                 const char         *endpoint,
                 const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean timed_out = FALSE;
  guint watchdog;

  launcher = cli_fixture_new_launcher (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                       with_credentials, endpoint);
  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  f->status = -2;
  g_ptr_array_add (argv, (gpointer) f->cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, f);
  watchdog = sextant_test_watch_child (process, &timed_out);
  while (f->status == -2)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (watchdog);
  g_test_message ("%s: exit %d\nstdout: %s\nstderr: %s", args[0], f->status, f->out, f->err);
  if (timed_out)
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv->pdata + 1);

      g_error ("sextant-cli %s did not end in time (sent SIGABRT); it printed:\n%s\n%s", command,
               f->out != NULL ? f->out : "", f->err != NULL ? f->err : "");
    }
  /* Whatever happened, no secret reaches the terminal. */
  g_assert_null (strstr (f->out, CLI_FIXTURE_SECRET));
  g_assert_null (strstr (f->err, CLI_FIXTURE_SECRET));

  return f->status;
}
