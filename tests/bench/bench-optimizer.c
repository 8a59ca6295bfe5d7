#define G_LOG_DOMAIN "bench-optimizer"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sextant-core.h"

/* Long-only minimum variance on 500 assets (two covariances) and a 50-point frontier on 100,
 * each timed for Sextant and, in the same run, for R quadprog's solve.QP on the same matrices
 * (quadprog-peer.R, run once with Rscript for the three problems; R times its own solves, so its
 * start-up is not counted). Best of REPEATS in process CPU time on both sides (both solvers use one
 * thread, and wall time on a shared machine measures the neighbours too). Prints Sextant's time over
 * quadprog's and over one Cholesky of Σ, and the largest weight difference between the two
 * solutions; never asserts a time, and no figure comes from another day.
 *
 *   bench-optimizer [QUADPROG-PEER.R]   (meson passes the script; without it, no peer) */

#define REPEATS 7
#define N_PROBLEMS 3

typedef enum { NEARLY_INDEPENDENT, ONE_FACTOR } Kind;

/* One benchmark problem and what both solvers made of it. n_targets is 0 for minimum variance,
 * else the number of frontier points; weights and peer_weights hold n × MAX (n_targets, 1). */
typedef struct
{
  const char *label;
  gsize       n;
  gsize       n_targets;
  double     *cov;
  double     *mean;
  double     *targets;
  double     *weights;
  double      ms;
  double      chol_ms;
  double      peer_ms;
  double      peer_diff;
} Problem;

/* Daily-like covariance: either diagonal volatilities of 1–3 % plus a weak random coupling
 * (B B' / (4n), B standard normal), or one market factor (σ_m = 1 %, β ∈ [0.5, 1.5]) plus
 * idiosyncratic noise of 1–3 %. */
static void
make_covariance (Kind     kind,
                 gsize    n,
                 gsl_rng *rng,
                 double  *cov,
                 double  *mean)
{
  g_autofree double *b = g_new (double, n * n);
  g_autofree double *beta = g_new (double, n);

  for (gsize i = 0; i < n * n; i++)
    b[i] = gsl_ran_gaussian (rng, 1.0);
  for (gsize i = 0; i < n; i++)
    {
      beta[i] = gsl_ran_flat (rng, 0.5, 1.5);
      mean[i] = gsl_ran_flat (rng, -2e-4, 8e-4);
    }
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j <= i; j++)
      {
        double v = 0;

        if (kind == NEARLY_INDEPENDENT)
          {
            for (gsize t = 0; t < n; t++)
              v += b[i * n + t] * b[j * n + t];
            v *= 1e-4 / (4.0 * n) * 0.01;
          }
        else
          v = 1e-4 * beta[i] * beta[j];
        cov[i * n + j] = cov[j * n + i] = v;
      }
  for (gsize i = 0; i < n; i++)
    {
      double s = gsl_ran_flat (rng, 0.01, 0.03);

      cov[i * n + i] += s * s;
    }
}

/* Largest breach of the KKT conditions of long-only minimum variance, relative to max |Σw|:
 * (Σw)_i equal for positive weights, no smaller for zero weights. Printed so that a fast wrong
 * answer shows. */
static double
kkt_violation (const double *cov,
               gsize         n,
               const double *w)
{
  g_autofree double *g = g_new0 (double, n);
  double lambda = INFINITY, worst = 0, scale = 0;

  for (gsize i = 0; i < n; i++)
    {
      for (gsize j = 0; j < n; j++)
        g[i] += cov[i * n + j] * w[j];
      scale = MAX (scale, fabs (g[i]));
      if (w[i] > 0)
        lambda = MIN (lambda, g[i]);
    }
  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, w[i] > 0 ? g[i] - lambda : MAX (lambda - g[i], 0));

  return worst / scale;
}

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
best_ms (double *times)
{
  double best = INFINITY;

  for (guint r = 0; r < REPEATS; r++)
    best = MIN (best, times[r]);
  return best;
}

static gsize
problem_n_weights (const Problem *p)
{
  return p->n * MAX (p->n_targets, 1);
}

static void
problem_init (Problem    *p,
              const char *label,
              Kind        kind,
              gsize       n,
              gsize       n_targets,
              gsl_rng    *rng)
{
  p->label = label;
  p->n = n;
  p->n_targets = n_targets;
  p->cov = g_new (double, n * n);
  p->mean = g_new (double, n);
  p->targets = g_new0 (double, MAX (n_targets, 1));
  p->weights = g_new (double, problem_n_weights (p));
  p->peer_ms = p->peer_diff = NAN;
  make_covariance (kind, n, rng, p->cov, p->mean);
}

static void
problem_clear (Problem *p)
{
  g_free (p->cov);
  g_free (p->mean);
  g_free (p->targets);
  g_free (p->weights);
}

/* Times the optimizer (built anew each round, as the app does) and one Cholesky of Σ. */
static void
time_sextant (Problem *p)
{
  const gsize n = p->n;
  g_autofree double *lower = g_new (double, n * n);
  g_autofree double *vol = g_new (double, MAX (p->n_targets, 1));
  g_auto(GStrv) names = g_new0 (char *, n + 1);
  double t_opt[REPEATS], t_chol[REPEATS];

  for (gsize i = 0; i < n; i++)
    names[i] = g_strdup_printf ("A%" G_GSIZE_FORMAT, i);
  for (guint r = 0; r < REPEATS; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SextantOptimizer) opt = NULL;
      double t0 = cpu_ms ();

      g_assert_true (sextant_cholesky (p->cov, n, lower, &error));
      t_chol[r] = cpu_ms () - t0;
      t0 = cpu_ms ();
      opt = sextant_optimizer_new (p->mean, p->cov, n, (const char * const *) names, &error);
      if (p->n_targets == 0)
        g_assert_true (sextant_optimizer_min_variance (opt, p->weights, &error));
      else
        g_assert_true (sextant_optimizer_frontier (opt, p->n_targets, p->targets, vol,
                                                   p->weights, &error));
      t_opt[r] = cpu_ms () - t0;
    }
  p->ms = best_ms (t_opt);
  p->chol_ms = best_ms (t_chol);
}

/* The peer's file is little-endian doubles whatever this machine is (quadprog-peer.R says so). */
static void
append_doubles (GByteArray   *bytes,
                const double *values,
                gsize         n)
{
  for (gsize i = 0; i < n; i++)
    {
      guint64 bits;

      memcpy (&bits, &values[i], sizeof bits);
      bits = GUINT64_TO_LE (bits);
      g_byte_array_append (bytes, (const guint8 *) &bits, sizeof bits);
    }
}

static double
read_double (const char *data,
             gsize       index)
{
  guint64 bits;
  double value;

  memcpy (&bits, data + index * sizeof bits, sizeof bits);
  bits = GUINT64_FROM_LE (bits);
  memcpy (&value, &bits, sizeof value);
  return value;
}

static char *
write_peer_input (Problem *problems,
                  guint    n_problems,
                  GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree char *path = NULL;
  double count = n_problems;
  int fd;

  append_doubles (bytes, &count, 1);
  for (guint k = 0; k < n_problems; k++)
    {
      Problem *p = &problems[k];
      double sizes[2] = { p->n, p->n_targets };

      append_doubles (bytes, sizes, 2);
      append_doubles (bytes, p->mean, p->n);
      append_doubles (bytes, p->cov, p->n * p->n);
      append_doubles (bytes, p->targets, p->n_targets);
    }
  fd = g_file_open_tmp ("sextant-quadprog-in-XXXXXX", &path, error);
  if (fd < 0)
    return NULL;
  close (fd);
  if (!g_file_set_contents (path, (const char *) bytes->data, bytes->len, error))
    {
      g_unlink (path);
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* Reads each problem's best time and weights from the peer's output. */
static char *
read_peer_output (Problem    *problems,
                  guint       n_problems,
                  const char *data,
                  gsize       length)
{
  gsize at = 0, expected = 0;

  for (guint k = 0; k < n_problems; k++)
    expected += 1 + problem_n_weights (&problems[k]);
  if (length != expected * sizeof (double))
    return g_strdup_printf ("quadprog-peer.R wrote %" G_GSIZE_FORMAT " bytes, not %"
                            G_GSIZE_FORMAT, length, expected * sizeof (double));
  for (guint k = 0; k < n_problems; k++)
    {
      Problem *p = &problems[k];

      p->peer_ms = read_double (data, at++);
      p->peer_diff = 0;
      for (gsize i = 0; i < problem_n_weights (p); i++)
        {
          double diff = fabs (read_double (data, at++) - p->weights[i]);

          p->peer_diff = MAX (p->peer_diff, diff);
        }
    }
  return NULL;
}

/* Runs quadprog-peer.R on the problems. Returns NULL when it ran, else why not. */
static char *
run_quadprog (Problem    *problems,
              guint       n_problems,
              const char *script)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rscript = NULL;
  g_autofree char *in_path = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *data = NULL;
  g_autofree char *repeats = g_strdup_printf ("%d", REPEATS);
  char *reason = NULL;
  gsize length;
  int status, fd;

  if (script == NULL)
    return g_strdup ("no path to quadprog-peer.R was given (run it through meson test)");
  rscript = g_find_program_in_path ("Rscript");
  if (rscript == NULL)
    return g_strdup ("Rscript is not installed (tests/bench/install-peers.sh installs "
                     "r-base-core and r-cran-quadprog)");
  in_path = write_peer_input (problems, n_problems, &error);
  if (in_path == NULL)
    return g_strdup_printf ("could not write the matrices: %s", error->message);
  fd = g_file_open_tmp ("sextant-quadprog-out-XXXXXX", &out_path, &error);
  if (fd < 0)
    {
      g_unlink (in_path);
      return g_strdup_printf ("no temporary file: %s", error->message);
    }
  close (fd);

  {
    const char *argv[] = { rscript, "--vanilla", script, in_path, out_path, repeats, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                       &status, &error))
      reason = g_strdup_printf ("could not run Rscript: %s", error->message);
    else if (WIFEXITED (status) && WEXITSTATUS (status) == 3
             && g_str_has_prefix (out, "PEER UNAVAILABLE: "))
      reason = g_strdup (g_strstrip (out) + strlen ("PEER UNAVAILABLE: "));
    else if (!g_spawn_check_wait_status (status, &error))
      reason = g_strdup_printf ("Rscript %s failed (%s): %s", script, error->message,
                                g_strstrip (err));
    else if (!g_file_get_contents (out_path, &data, &length, &error))
      reason = g_strdup_printf ("no output from quadprog-peer.R: %s", error->message);
    else
      reason = read_peer_output (problems, n_problems, data, length);
  }
  g_unlink (in_path);
  g_unlink (out_path);
  if (reason == NULL)
    printf ("peer: %s, CPU time taken inside R around solve.QP only (best of %d, same run)\n",
            g_strstrip (out), REPEATS);
  return reason;
}

static void
print_problem (const Problem *p)
{
  gsize n_zero = 0;

  if (p->n_targets == 0)
    {
      for (gsize i = 0; i < p->n; i++)
        n_zero += p->weights[i] == 0;
      printf ("min-variance long-only, %" G_GSIZE_FORMAT " assets, %s: %.2f ms (target ≤ 50 ms; "
              "%" G_GSIZE_FORMAT " weights at 0)\n", p->n, p->label, p->ms, n_zero);
    }
  else
    printf ("frontier, %" G_GSIZE_FORMAT " points on %" G_GSIZE_FORMAT " assets (%s): %.2f ms "
            "(target ≤ 50 ms)\n", p->n_targets, p->n, p->label, p->ms);
  if (isnan (p->peer_ms))
    printf ("  ratio to R quadprog: unavailable; ");
  else
    printf ("  ratio to R quadprog (%.2f ms, same run): %.3f; ", p->peer_ms, p->ms / p->peer_ms);
  printf ("ratio to one Cholesky of Σ (%.3f ms): %.1f\n", p->chol_ms, p->ms / p->chol_ms);
  if (p->n_targets == 0)
    printf ("  KKT violation (relative): %.1e\n", kkt_violation (p->cov, p->n, p->weights));
  if (!isnan (p->peer_diff))
    printf ("  max weight difference to quadprog: %.1e (%s)\n", p->peer_diff,
            p->peer_diff <= 1e-6 ? "agree to 1e-6" : "DISAGREE beyond 1e-6");
}

int
main (int    argc,
      char **argv)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  Problem problems[N_PROBLEMS];
  g_autofree char *missing = NULL;

  gsl_rng_set (rng, 20261123);
  problem_init (&problems[0], "nearly independent", NEARLY_INDEPENDENT, 500, 0, rng);
  problem_init (&problems[1], "one market factor", ONE_FACTOR, 500, 0, rng);
  problem_init (&problems[2], "market factor", ONE_FACTOR, 100, 50, rng);
  gsl_rng_free (rng);

  printf ("Sextant optimizer benchmark (best of %d, process CPU time)\n", REPEATS);
  for (guint k = 0; k < N_PROBLEMS; k++)
    time_sextant (&problems[k]);
  missing = run_quadprog (problems, N_PROBLEMS, argc > 1 ? argv[1] : NULL);
  if (missing != NULL)
    printf ("PEER UNAVAILABLE: R quadprog: %s; Sextant's own figures follow\n", missing);
  for (guint k = 0; k < N_PROBLEMS; k++)
    {
      print_problem (&problems[k]);
      problem_clear (&problems[k]);
    }

  return 0;
}
