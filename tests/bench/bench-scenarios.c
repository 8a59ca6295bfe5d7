#define G_LOG_DOMAIN "bench-scenarios"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "sextant-core.h"

/* Monte Carlo speed (issue 3 targets, printed, never asserted):
 * - 1,000,000 paths × 1 step on 50 correlated assets: standard normals per second per core,
 *   target ≥ 100 M (the figure includes the Cholesky product and the log-price update), and its
 *   ratio to numpy drawing the same number of standard normals in the same run (issue 13:
 *   numpy-peer.py, numpy.random.default_rng (seed).standard_normal (n) timed inside Python);
 * - Heston 10,000 paths × 252 steps on 2 threads: target ≤ 1 s.
 * Each is run on 1 and on 2 threads, so the parallel speed-up is visible beside it. Every figure
 * is the best of ROUNDS, numpy's too. Seconds and normals/s/core are wall time, as the targets
 * are; the ratio to numpy divides normals per second of process CPU time on both sides (numpy
 * draws on one thread), which other work on a shared machine stretches far less.
 *
 *   bench-scenarios [NUMPY-PEER.PY]   (meson passes the script; without it, no peer) */

#define ROUNDS 3
#define GBM_PATHS 1000000
#define GBM_ASSETS 50
#define GBM_SEED 42

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs numpy-peer.py with one interpreter. Returns numpy's normals per CPU second, or NAN with
 * *reason set. */
static double
run_numpy_with (const char  *python,
                const char  *script,
                guint64      count,
                char       **reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count_arg = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  g_autofree char *rounds_arg = g_strdup_printf ("%d", ROUNDS);
  g_autofree char *seed_arg = g_strdup_printf ("%d", GBM_SEED);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_auto(GStrv) lines = NULL;
  const char *argv[] = { python, script, count_arg, rounds_arg, seed_arg, NULL };
  double secs, cpu_secs;
  char *end;
  int status;

  /* Some machines set these for older OpenBLAS builds, and they slow a current numpy's BLAS.
   * Standard normals never reach BLAS (numpy draws them with its own ziggurat in C), so they do
   * not change this figure; they are unset for this command alone all the same, so that the
   * peer runs as a stock numpy would. */
  envp = g_environ_unsetenv (envp, "OPENBLAS_CORETYPE");
  envp = g_environ_unsetenv (envp, "OPENBLAS_L2_SIZE");
  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error))
    {
      *reason = g_strdup_printf ("could not run %s: %s", python, error->message);
      return NAN;
    }
  if (WIFEXITED (status) && WEXITSTATUS (status) == 3
      && g_str_has_prefix (out, "PEER UNAVAILABLE: "))
    {
      *reason = g_strdup (g_strstrip (out) + strlen ("PEER UNAVAILABLE: "));
      return NAN;
    }
  if (!g_spawn_check_wait_status (status, &error))
    {
      *reason = g_strdup_printf ("%s %s failed (%s): %s", python, script, error->message,
                                 g_strstrip (err));
      return NAN;
    }
  lines = g_strsplit (g_strstrip (out), "\n", 2);
  secs = g_ascii_strtod (lines[0], &end);
  cpu_secs = g_ascii_strtod (end, NULL);
  if (lines[1] == NULL || !(secs > 0) || !(cpu_secs > 0))
    {
      *reason = g_strdup_printf ("numpy-peer.py printed no time: %s", out);
      return NAN;
    }
  printf ("peer: %s, %" G_GUINT64_FORMAT " normals timed inside Python (best of %d, same run): "
          "%.3f s, %.1f M normals/s; %.3f s CPU, %.1f M per CPU second\n", lines[1], count, ROUNDS,
          secs, count / secs / 1e6, cpu_secs, count / cpu_secs / 1e6);
  return count / cpu_secs;
}

/* numpy's normals per CPU second, or NAN after printing why there is none. The python3
 * first in PATH may be one without numpy (pyenv, a virtual environment), so Debian's, which
 * python3-numpy serves, is tried after it. */
static double
run_numpy (const char *script,
           guint64     count)
{
  g_autoptr(GString) reasons = g_string_new (NULL);
  g_autofree char *first = g_find_program_in_path ("python3");
  const char *candidates[] = { first, "/usr/bin/python3" };

  if (script == NULL)
    g_string_append (reasons, "no path to numpy-peer.py was given (run it through meson test)");
  for (guint i = 0; script != NULL && i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *reason = NULL;
      double rate;

      if (candidates[i] == NULL || !g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE)
          || (i > 0 && g_strcmp0 (candidates[i], first) == 0))
        continue;
      rate = run_numpy_with (candidates[i], script, count, &reason);
      if (!isnan (rate))
        return rate;
      g_string_append_printf (reasons, "%s%s", reasons->len ? "; " : "", reason);
    }
  if (reasons->len == 0)
    g_string_append (reasons, "python3 is not installed (tests/bench/install-peers.sh "
                     "installs python3-numpy)");
  printf ("PEER UNAVAILABLE: numpy: %s; Sextant's own figures follow\n", reasons->str);
  return NAN;
}

static void
bench_gbm (guint  n_threads,
           double numpy_rate)
{
  enum { M = GBM_ASSETS };
  static double cov[M * M], s0[M], mu[M];
  SextantGbmSpec spec = { M, s0, mu, cov, 1.0 / 252, 1, GBM_PATHS, GBM_SEED, n_threads };
  double secs = INFINITY, cpu_secs = INFINITY, per_core;
  guint64 n_normals = 0;
  char kernel[16] = "";

  /* one common factor: ρ = 0.5 between every pair, vols 10 % … 59 % */
  for (guint i = 0; i < M; i++)
    {
      s0[i] = 100;
      mu[i] = 0.05;
      for (guint j = 0; j < M; j++)
        cov[i * M + j] = (i == j ? 1.0 : 0.5) * (0.10 + 0.01 * i) * (0.10 + 0.01 * j);
    }

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(SextantScenarioResult) r = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double start_cpu = cpu_seconds ();

      r = sextant_scenarios_gbm (&spec, 0, NULL, NULL, NULL, &error);
      cpu_secs = MIN (cpu_secs, cpu_seconds () - start_cpu);
      secs = MIN (secs, seconds_since (start));
      g_assert_no_error (error);
      n_normals = r->n_normals;
      g_strlcpy (kernel, r->kernel, sizeof kernel);
    }
  /* numpy draws this many too */
  g_assert_cmpuint (n_normals, ==, (guint64) GBM_PATHS * GBM_ASSETS);
  per_core = n_normals / secs / n_threads;
  /* the kernel the run reports, not the one asked for: without AVX2 both runs take SSE2 */
  printf ("GBM 1,000,000 paths × 1 step × 50 assets on %u thread%s (%s kernel): %.3f s, "
          "%.1f M normals/s/core (target ≥ 100 M: %.2f× target)\n", n_threads,
          n_threads > 1 ? "s" : "", kernel, secs, per_core / 1e6, per_core / 1e8);
  printf ("  %.3f s CPU, %.1f M normals per CPU second; ", cpu_secs, n_normals / cpu_secs / 1e6);
  if (isnan (numpy_rate))
    printf ("ratio to numpy: unavailable\n");
  else
    printf ("ratio to numpy's (same run): %.2f (above 1: faster)\n",
            n_normals / cpu_secs / numpy_rate);
}

static void
bench_heston (guint n_threads)
{
  SextantHestonSpec spec = { 100, 0.04, 0.03, 2.0, 0.04, 0.5, -0.7, 1.0 / 252, 252, 10000, 7,
                             n_threads };
  double secs = INFINITY;
  guint64 n_normals = 0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(SextantScenarioResult) r = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      r = sextant_scenarios_heston (&spec, SEXTANT_SCENARIO_KEEP_TERMINAL, NULL, NULL, NULL,
                                    &error);
      secs = MIN (secs, seconds_since (start));
      g_assert_no_error (error);
      n_normals = r->n_normals;
    }
  printf ("Heston 10,000 paths × 252 steps on %u thread%s: %.3f s (target ≤ 1 s: %.2f× target), "
          "%.1f M normals/s/core\n", n_threads, n_threads > 1 ? "s" : "", secs, secs / 1.0,
          n_normals / secs / n_threads / 1e6);
}

int
main (int    argc,
      char **argv)
{
  double numpy_rate;

  printf ("Sextant scenarios benchmark (best of %d)\n", ROUNDS);
  numpy_rate = run_numpy (argc > 1 ? argv[1] : NULL, (guint64) GBM_PATHS * GBM_ASSETS);
  bench_gbm (1, numpy_rate);
  bench_gbm (2, numpy_rate);
  g_setenv ("SEXTANT_SCENARIOS_NO_AVX2", "1", TRUE);
  bench_gbm (1, numpy_rate);
  g_unsetenv ("SEXTANT_SCENARIOS_NO_AVX2");
  bench_heston (1);
  bench_heston (2);

  return 0;
}
