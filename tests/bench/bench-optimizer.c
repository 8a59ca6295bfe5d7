#define G_LOG_DOMAIN "bench-optimizer"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sextant-core.h"

/* R quadprog's times on this machine kind, from tests/data/README.md (portfolio/): 500
 * nearly independent assets ≈ 105 ms, 500 assets with a market factor ≈ 355 ms, 100 assets
 * ≈ 1 ms per programme (so ≈ 50 ms for 50 frontier points). */
#define R_QUADPROG_INDEPENDENT_MS 105.0
#define R_QUADPROG_FACTOR_MS 355.0
#define R_QUADPROG_FRONTIER_MS 50.0
#define REPEATS 7

typedef enum { NEARLY_INDEPENDENT, ONE_FACTOR } Kind;

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
best_ms (double *times)
{
  double best = INFINITY;

  for (guint r = 0; r < REPEATS; r++)
    best = MIN (best, times[r]);
  return best;
}

static void
bench_min_variance (Kind        kind,
                    gsize       n,
                    gsl_rng    *rng,
                    const char *label,
                    double      r_ms)
{
  g_autofree double *cov = g_new (double, n * n);
  g_autofree double *mean = g_new (double, n);
  g_autofree double *lower = g_new (double, n * n);
  g_autofree double *w = g_new (double, n);
  g_auto(GStrv) names = g_new0 (char *, n + 1);
  double t_opt[REPEATS], t_chol[REPEATS], opt_ms, chol_ms;
  gsize n_zero = 0;

  make_covariance (kind, n, rng, cov, mean);
  for (gsize i = 0; i < n; i++)
    names[i] = g_strdup_printf ("A%" G_GSIZE_FORMAT, i);

  for (guint r = 0; r < REPEATS; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SextantOptimizer) opt = NULL;
      gint64 t0 = g_get_monotonic_time ();

      g_assert_true (sextant_cholesky (cov, n, lower, &error));
      t_chol[r] = (g_get_monotonic_time () - t0) / 1000.0;
      t0 = g_get_monotonic_time ();
      opt = sextant_optimizer_new (mean, cov, n, (const char * const *) names, &error);
      g_assert_true (sextant_optimizer_min_variance (opt, w, &error));
      t_opt[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  for (gsize i = 0; i < n; i++)
    n_zero += w[i] == 0;

  opt_ms = best_ms (t_opt);
  chol_ms = best_ms (t_chol);
  printf ("min-variance long-only, %" G_GSIZE_FORMAT " assets, %s: %.2f ms (target ≤ 50 ms; "
          "%" G_GSIZE_FORMAT " weights at 0)\n", n, label, opt_ms, n_zero);
  printf ("  ratio to R quadprog (%.0f ms): %.3f; ratio to one Cholesky of Σ (%.2f ms): %.1f\n",
          r_ms, opt_ms / r_ms, chol_ms, opt_ms / chol_ms);
  printf ("  KKT violation (relative): %.1e\n", kkt_violation (cov, n, w));
}

static void
bench_frontier (gsl_rng *rng)
{
  const gsize n = 100, points = 50;
  g_autofree double *cov = g_new (double, n * n);
  g_autofree double *mean = g_new (double, n);
  g_autofree double *lower = g_new (double, n * n);
  g_autofree double *w = g_new (double, n * points);
  g_auto(GStrv) names = g_new0 (char *, n + 1);
  double ret[50], vol[50], t_front[REPEATS], t_chol[REPEATS], ms, chol_ms;

  make_covariance (ONE_FACTOR, n, rng, cov, mean);
  for (gsize i = 0; i < n; i++)
    names[i] = g_strdup_printf ("A%" G_GSIZE_FORMAT, i);
  for (guint r = 0; r < REPEATS; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SextantOptimizer) opt = NULL;
      gint64 t0 = g_get_monotonic_time ();

      g_assert_true (sextant_cholesky (cov, n, lower, &error));
      t_chol[r] = (g_get_monotonic_time () - t0) / 1000.0;
      t0 = g_get_monotonic_time ();
      opt = sextant_optimizer_new (mean, cov, n, (const char * const *) names, &error);
      g_assert_true (sextant_optimizer_frontier (opt, points, ret, vol, w, &error));
      t_front[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  ms = best_ms (t_front);
  chol_ms = best_ms (t_chol);
  printf ("frontier, 50 points on 100 assets (market factor): %.2f ms (target ≤ 50 ms)\n", ms);
  printf ("  ratio to R quadprog (≈ %.0f ms for 50 programmes): %.3f; ratio to one Cholesky "
          "(%.3f ms): %.1f\n", R_QUADPROG_FRONTIER_MS, ms / R_QUADPROG_FRONTIER_MS, chol_ms,
          ms / chol_ms);
}

int
main (int    argc,
      char **argv)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (rng, 20261123);
  printf ("Sextant optimizer benchmark (best of %d)\n", REPEATS);
  bench_min_variance (NEARLY_INDEPENDENT, 500, rng, "nearly independent", R_QUADPROG_INDEPENDENT_MS);
  bench_min_variance (ONE_FACTOR, 500, rng, "one market factor", R_QUADPROG_FACTOR_MS);
  bench_frontier (rng);
  gsl_rng_free (rng);

  return 0;
}
