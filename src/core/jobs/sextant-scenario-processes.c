#define G_LOG_DOMAIN "sextant-scenario-processes"

#include "config.h"

#include <glib/gstdio.h>

#include "jobs/sextant-scenario-processes.h"
#include "jobs/sextant-scenario-shards.h"

static void
remove_work_dir (const char *dir,
                 guint       shards)
{
  g_autofree char *job = g_build_filename (dir, "job.json", NULL);

  for (guint i = 0; i < shards; i++)
    {
      g_autofree char *name = g_strdup_printf ("shard-%u", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_remove (job);
  g_rmdir (dir);
}

static gboolean
wait_child (GSubprocess  *child,
            guint         shard,
            guint         shards,
            GError      **error)
{
  g_autofree char *err_text = NULL;

  if (!g_subprocess_communicate_utf8 (child, NULL, NULL, NULL, &err_text, error))
    return FALSE;
  if (g_subprocess_get_if_exited (child) && g_subprocess_get_exit_status (child) == 0)
    return TRUE;
  if (g_subprocess_get_if_exited (child))
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                 "Shard %u/%u failed with exit status %d: %s", shard, shards,
                 g_subprocess_get_exit_status (child),
                 err_text != NULL ? g_strstrip (err_text) : "");
  else
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Shard %u/%u was killed by signal %d",
                 shard, shards, g_subprocess_get_term_sig (child));
  return FALSE;
}

/**
 * sextant_scenario_job_run_processes:
 * @job: (transfer full): the job; @result owns it afterwards, even on failure
 * @program: the `sextant-cli` to start (the CLI passes itself, so children are the same build)
 * @shards: how many `sextant-cli scenarios --shard` processes to start
 *
 * The processes engine: the job is written to a private folder, @shards children run one shard
 * each at the same time, and their files are merged as `sextant-cli merge` merges them, so the
 * result is the in-process run's.
 */
gboolean
sextant_scenario_job_run_processes (SextantScenarioJob  *job,
                                    const char          *program,
                                    guint                shards,
                                    SextantScenarioRun  *result,
                                    GError             **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *job_path = NULL;
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SextantScenarioJob) owned = job;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  gboolean ok = TRUE;

  if (!sextant_scenario_job_check (job, error) ||
      (dir = g_dir_make_tmp ("sextant-scenarios-XXXXXX", error)) == NULL)
    return FALSE;
  job_path = g_build_filename (dir, "job.json", NULL);
  if (!sextant_scenario_job_save (job, job_path, FALSE, error))
    {
      remove_work_dir (dir, 0);
      return FALSE;
    }
  /* the children share the cores: each takes its part of them, unless the caller chose */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (g_getenv ("SEXTANT_SCENARIO_THREADS") == NULL)
    {
      g_autofree char *threads = g_strdup_printf ("%u", MAX (g_get_num_processors () / MAX (shards, 1), 1));

      g_subprocess_launcher_setenv (launcher, "SEXTANT_SCENARIO_THREADS", threads, TRUE);
    }
  for (guint i = 0; i < shards && ok; i++)
    {
      g_autofree char *name = g_strdup_printf ("shard-%u", i);
      g_autofree char *shard = g_strdup_printf ("%u/%u", i, shards);
      char *path = g_build_filename (dir, name, NULL);
      GSubprocess *child;

      g_ptr_array_add (files, path);
      child = g_subprocess_launcher_spawn (launcher, error, program, "scenarios", "--job", job_path,
                                           "--shard", shard, "--out", path, NULL);
      if (child == NULL)
        ok = FALSE;
      else
        g_ptr_array_add (children, child);
    }
  /* every child is waited for, even after one failed, so that none outlives the command */
  for (guint i = 0; i < children->len; i++)
    if (!wait_child (children->pdata[i], i, shards, ok ? error : NULL))
      ok = FALSE;
  g_ptr_array_add (files, NULL);
  if (ok)
    ok = sextant_scenario_run_merge ((const char * const *) files->pdata, result, error);
  remove_work_dir (dir, shards);
  return ok;
}

