/* Startup benchmark: time from exec to a usable Sextant window, and peak RSS, against an empty
 * libadwaita window measured the same way in the same run. Usable (SEXTANT_EXIT_WHEN_USABLE) is
 * the first frame painted with the demo data loaded and the window's first chart on screen, if
 * it shows one, drawn: the default window (the chat, which shows no chart) and the risk
 * dashboard (the first window whose first page draws charts from the demo data). The first frame
 * of the default window (SEXTANT_EXIT_AFTER_FIRST_FRAME) is printed beside them.
 * Runs alternate between the programs so that other load on the machine falls on all of them,
 * after one unmeasured run of each (the page cache; Sextant creates its database). Sextant's
 * files go to a temporary XDG home, not the user's: another version's database there (a newer
 * schema it refuses to open) would skip the store and make the start-up look faster.
 * Targets (issue 13): usable ≤ 1.15× the empty window's time and ≤ 1.1× its peak RSS. Prints
 * figures; asserts nothing about time. Needs a display: run under xvfb-run. */
#define _DEFAULT_SOURCE

#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 9
#define TIME_TARGET 1.15
#define RSS_TARGET 1.1

typedef struct
{
  const char *label;
  const char *program;
  const char *argument;
  const char *exit_variable;
  double      wall_ms[RUNS];
  double      rss_mb[RUNS];
  double      median_ms;
  double      median_rss_mb;
} Subject;

static gboolean
run_once (Subject *subject,
          guint    run)
{
  int pipe_fds[2];
  gint64 start;
  struct rusage usage;
  int status;
  pid_t pid;
  char buffer[256] = { 0 };

  if (pipe (pipe_fds) != 0)
    return FALSE;

  g_unsetenv ("SEXTANT_EXIT_AFTER_FIRST_FRAME");
  g_unsetenv ("SEXTANT_EXIT_WHEN_USABLE");
  if (subject->exit_variable != NULL)
    g_setenv (subject->exit_variable, "1", TRUE);
  start = g_get_monotonic_time ();
  pid = fork ();
  if (pid == 0)
    {
      dup2 (pipe_fds[1], STDOUT_FILENO);
      close (pipe_fds[0]);
      execl (subject->program, subject->program, subject->argument, NULL);
      _exit (127);
    }
  close (pipe_fds[1]);
  /* The program prints one line when it is done, then quits: time to that line. */
  if (read (pipe_fds[0], buffer, sizeof buffer - 1) <= 0)
    buffer[0] = '\0';
  subject->wall_ms[run] = (g_get_monotonic_time () - start) / 1000.0;
  close (pipe_fds[0]);
  if (wait4 (pid, &status, 0, &usage) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0 ||
      buffer[0] == '\0')
    {
      fprintf (stderr, "%s: %s did not start and exit cleanly\n", subject->label,
               subject->program);
      return FALSE;
    }
  subject->rss_mb[run] = usage.ru_maxrss / 1024.0;

  return TRUE;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v)
{
  qsort (v, RUNS, sizeof (double), compare_doubles);

  return v[RUNS / 2];
}

static void
report (Subject       *subject,
        const Subject *baseline)
{
  double time_ratio, rss_ratio;

  subject->median_ms = median (subject->wall_ms);
  subject->median_rss_mb = median (subject->rss_mb);
  printf ("%-34s %7.1f ms   peak RSS %6.1f MB", subject->label, subject->median_ms,
          subject->median_rss_mb);
  if (baseline == NULL)
    {
      printf ("   (baseline)\n");
      return;
    }

  time_ratio = subject->median_ms / baseline->median_ms;
  rss_ratio = subject->median_rss_mb / baseline->median_rss_mb;
  printf ("   ratio: time %.2f×, RSS %.2f×\n", time_ratio, rss_ratio);
  if (subject->exit_variable != NULL && g_str_equal (subject->exit_variable, "SEXTANT_EXIT_WHEN_USABLE"))
    printf ("  targets: time ≤ %.2f× (%s), peak RSS ≤ %.2f× (%s)\n", TIME_TARGET,
            time_ratio <= TIME_TARGET ? "met" : "missed", RSS_TARGET,
            rss_ratio <= RSS_TARGET ? "met" : "missed");
}

static void
remove_home (const char *home)
{
  const char *argv[] = { "rm", "-rf", home, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  Subject subjects[] = {
    { "empty libadwaita window, 1st frame", NULL, NULL, NULL },
    { "sextant, first frame", NULL, NULL, "SEXTANT_EXIT_AFTER_FIRST_FRAME" },
    { "sextant, usable (default window)", NULL, NULL, "SEXTANT_EXIT_WHEN_USABLE" },
    { "sextant --risk, usable (1st chart)", NULL, "--risk", "SEXTANT_EXIT_WHEN_USABLE" },
  };
  static const char * const xdg_dirs[] = {
    "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
  };
  g_autofree char *home = NULL;
  gboolean ok = TRUE;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s SEXTANT BASELINE\n", argv[0]);
      return 2;
    }

  subjects[0].program = argv[2];
  for (guint i = 1; i < G_N_ELEMENTS (subjects); i++)
    subjects[i].program = argv[1];

  home = g_dir_make_tmp ("sextant-bench-startup-XXXXXX", NULL);
  if (home == NULL)
    return 1;
  for (guint i = 0; i < G_N_ELEMENTS (xdg_dirs); i++)
    {
      g_autofree char *dir = g_build_filename (home, xdg_dirs[i], NULL);

      g_setenv (xdg_dirs[i], dir, TRUE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (subjects) && ok; i++)
    ok = run_once (&subjects[i], 0);
  for (guint run = 0; run < RUNS && ok; run++)
    for (guint i = 0; i < G_N_ELEMENTS (subjects) && ok; i++)
      ok = run_once (&subjects[i], run);
  remove_home (home);
  if (!ok)
    return 1;

  printf ("Start-up, medians of %d runs (peak RSS: median of each run's maximum)\n", RUNS);
  report (&subjects[0], NULL);
  for (guint i = 1; i < G_N_ELEMENTS (subjects); i++)
    report (&subjects[i], &subjects[0]);

  return 0;
}
