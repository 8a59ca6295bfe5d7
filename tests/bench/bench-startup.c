/* Startup benchmark: time from exec to the first painted frame of Sextant's main window, and
 * peak RSS, against an empty libadwaita window measured the same way in the same run.
 * Targets (issue 2): first frame ≤ 300 ms, RSS ≤ 80 MB under Xvfb. Prints figures; asserts
 * nothing about time. Needs a display: run under xvfb-run. */
#define _DEFAULT_SOURCE

#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 5

typedef struct
{
  double wall_ms;
  double reported_ms;
  double rss_mb;
} Sample;

static gboolean
run_once (const char *program,
          Sample     *sample)
{
  int pipe_fds[2];
  gint64 start;
  struct rusage usage;
  int status;
  pid_t pid;
  char buffer[256] = { 0 };
  ssize_t n;

  if (pipe (pipe_fds) != 0)
    return FALSE;

  start = g_get_monotonic_time ();
  pid = fork ();
  if (pid == 0)
    {
      dup2 (pipe_fds[1], STDOUT_FILENO);
      close (pipe_fds[0]);
      execl (program, program, NULL);
      _exit (127);
    }
  close (pipe_fds[1]);
  n = read (pipe_fds[0], buffer, sizeof buffer - 1);
  sample->wall_ms = (g_get_monotonic_time () - start) / 1000.0;
  close (pipe_fds[0]);
  if (wait4 (pid, &status, 0, &usage) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return FALSE;

  sample->reported_ms = n > 0 && sscanf (buffer, "first-frame-ms %lf", &sample->reported_ms) == 1
                        ? sample->reported_ms : -1;
  sample->rss_mb = usage.ru_maxrss / 1024.0;

  return TRUE;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
measure (const char *label,
         const char *program,
         Sample     *median)
{
  double wall[RUNS], rss[RUNS];

  for (int i = 0; i < RUNS; i++)
    {
      Sample sample;

      if (!run_once (program, &sample))
        {
          fprintf (stderr, "%s: %s did not start and exit cleanly\n", label, program);
          return FALSE;
        }
      wall[i] = sample.wall_ms;
      rss[i] = sample.rss_mb;
    }
  qsort (wall, RUNS, sizeof (double), compare_doubles);
  qsort (rss, RUNS, sizeof (double), compare_doubles);
  median->wall_ms = wall[RUNS / 2];
  median->rss_mb = rss[RUNS - 1];
  printf ("%-22s first frame %7.1f ms (median of %d)   peak RSS %6.1f MB\n", label,
          median->wall_ms, RUNS, median->rss_mb);

  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  Sample sextant, baseline;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s SEXTANT BASELINE\n", argv[0]);
      return 2;
    }

  g_setenv ("SEXTANT_EXIT_AFTER_FIRST_FRAME", "1", TRUE);
  if (!measure ("empty libadwaita window", argv[2], &baseline) ||
      !measure ("sextant", argv[1], &sextant))
    return 1;

  printf ("ratio to the empty window: time %.2f×, RSS %.2f×\n",
          sextant.wall_ms / baseline.wall_ms, sextant.rss_mb / baseline.rss_mb);
  printf ("targets: first frame ≤ 300 ms (%s), RSS ≤ 80 MB (%s)\n",
          sextant.wall_ms <= 300 ? "met" : "missed", sextant.rss_mb <= 80 ? "met" : "missed");

  return 0;
}
