#define G_LOG_DOMAIN "test-scenarios"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sextant-core.h"
#include "analytics/sextant-scenarios.h"
#include "sextant-test-util.h"

/* Three assets, annual figures: vols 20 %, 30 %, 15 %; correlations 0.8 (1,2), −0.3 (1,3),
 * 0.2 (2,3). Σ_ij = ρ_ij σ_i σ_j. */
static const double vols[3] = { 0.20, 0.30, 0.15 };
static const double corr[3][3] = { { 1, 0.8, -0.3 }, { 0.8, 1, 0.2 }, { -0.3, 0.2, 1 } };
static const double s0[3] = { 100, 50, 20 };
static const double drift[3] = { 0.05, 0.08, 0.02 };

static void
make_covariance (double cov[9])
{
  for (guint i = 0; i < 3; i++)
    for (guint j = 0; j < 3; j++)
      cov[i * 3 + j] = corr[i][j] * vols[i] * vols[j];
}

static SextantScenarioResult *
run_gbm (guint    paths,
         guint    steps,
         guint64  seed,
         guint    threads,
         guint    flags)
{
  double cov[9];
  SextantGbmSpec spec = { 3, s0, drift, cov, 1.0 / 252, steps, paths, seed, threads };
  g_autoptr(GError) error = NULL;
  SextantScenarioResult *r;

  make_covariance (cov);
  r = sextant_scenarios_gbm (&spec, flags, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);

  return r;
}

static void
test_reproducible (void)
{
  g_autoptr(SextantScenarioResult) a = run_gbm (3000, 5, 7, 1, SEXTANT_SCENARIO_KEEP_PATHS);
  g_autoptr(SextantScenarioResult) b = run_gbm (3000, 5, 7, 4, SEXTANT_SCENARIO_KEEP_PATHS);
  g_autoptr(SextantScenarioResult) c = run_gbm (3000, 5, 8, 2, SEXTANT_SCENARIO_KEEP_PATHS);
  gsize size = sizeof (double) * 3000 * 6 * 3;

  /* same seed, 1 vs 4 threads: bit-identical paths and moments */
  g_assert_cmpmem (a->paths, size, b->paths, size);
  g_assert_cmpmem (a->log_mean, sizeof (double) * 3, b->log_mean, sizeof (double) * 3);
  g_assert_cmpmem (a->log_variance, sizeof (double) * 3, b->log_variance, sizeof (double) * 3);
  /* another seed: other paths */
  g_assert_true (memcmp (a->paths, c->paths, size) != 0);
  g_assert_cmpfloat (a->paths[0], ==, s0[0]);
  g_assert_cmpuint (a->n_normals, ==, 3000 * 5 * 3);

  /* Heston too, 1 vs 3 threads */
  {
    SextantHestonSpec spec = { 100, 0.04, 0.03, 2.0, 0.04, 0.5, -0.7, 1.0 / 252, 50, 1001, 9, 1 };
    g_autoptr(SextantScenarioResult) h1 = NULL;
    g_autoptr(SextantScenarioResult) h3 = NULL;

    h1 = sextant_scenarios_heston (&spec, SEXTANT_SCENARIO_KEEP_PATHS, NULL, NULL, NULL, NULL);
    spec.n_threads = 3;
    h3 = sextant_scenarios_heston (&spec, SEXTANT_SCENARIO_KEEP_PATHS, NULL, NULL, NULL, NULL);
    g_assert_cmpmem (h1->paths, sizeof (double) * 1001 * 51, h3->paths, sizeof (double) * 1001 * 51);
    g_assert_cmpmem (h1->variance, sizeof (double) * 1001 * 51, h3->variance,
                     sizeof (double) * 1001 * 51);
  }
}

/* The SSE2 and AVX2 kernels of the Cholesky product give the same bits. Each run names the
 * kernel it took, so the comparison cannot pass by running the SSE2 kernel twice: where this
 * processor has AVX2 the default run must have used it, and where it has none (or this is not
 * an x86 build) there is nothing to compare with, which the test says by skipping. */
static void
test_avx2_matches_sse2 (void)
{
  g_autoptr(SextantScenarioResult) best = NULL;
  g_autoptr(SextantScenarioResult) sse2 = NULL;
  gsize size = sizeof (double) * 3000 * 6 * 3;
  gboolean have_avx2 = FALSE;

#if (defined (__GNUC__) || defined (__clang__)) && (defined (__x86_64__) || defined (__i386__))
  have_avx2 = __builtin_cpu_supports ("avx2");
#endif
  g_setenv ("SEXTANT_SCENARIOS_NO_AVX2", "1", TRUE);
  sse2 = run_gbm (3000, 5, 7, 2, SEXTANT_SCENARIO_KEEP_PATHS);
  g_unsetenv ("SEXTANT_SCENARIOS_NO_AVX2");
  g_assert_cmpstr (sse2->kernel, ==, "sse2");
  if (!have_avx2)
    {
      g_test_skip ("this processor has no AVX2 (or this is not an x86 GCC/Clang build), so only "
                   "the SSE2 GBM kernel can run and there is no AVX2 kernel to compare it with");
      return;
    }

  best = run_gbm (3000, 5, 7, 1, SEXTANT_SCENARIO_KEEP_PATHS);
  g_assert_cmpstr (best->kernel, ==, "avx2");
  g_assert_cmpmem (best->paths, size, sse2->paths, size);
  g_assert_cmpmem (best->log_mean, sizeof (double) * 3, sse2->log_mean, sizeof (double) * 3);
  g_assert_cmpmem (best->log_variance, sizeof (double) * 3, sse2->log_variance,
                   sizeof (double) * 3);
}

/*
 * Terminal log-prices of GBM are normal with mean ln S₀ + (μ − σ²/2) T and variance σ² T.
 * With N = 200,000 paths the standard error of the mean is σ√T/√N and that of the sample
 * variance is σ²T·√(2/(N − 1)); we allow 5 standard errors (a false failure has probability
 * below 1e-6 per figure).
 */
static void
test_gbm_moments (void)
{
  const guint n = 200000, steps = 4;
  const double T = steps / 252.0;
  g_autoptr(SextantScenarioResult) r = run_gbm (n, steps, 12345, 0, 0);

  g_assert_null (r->terminal);
  for (guint a = 0; a < 3; a++)
    {
      double var = vols[a] * vols[a] * T;
      double mean = log (s0[a]) + (drift[a] - 0.5 * vols[a] * vols[a]) * T;

      g_assert_cmpfloat (fabs (r->log_mean[a] - mean), <=, 5 * sqrt (var / n));
      g_assert_cmpfloat (fabs (r->log_variance[a] - var), <=, 5 * var * sqrt (2.0 / (n - 1)));
    }
}

/* Sample correlation of the log increments of paths vs the input correlation. With
 * N = 4000 × 25 = 100,000 increments the standard error of r is about (1 − ρ²)/√N ≤ 0.0032;
 * the tolerance 0.016 is 5 of those. */
static void
test_gbm_correlation (void)
{
  const guint paths = 4000, steps = 25;
  g_autoptr(SextantScenarioResult) r = run_gbm (paths, steps, 99, 2, SEXTANT_SCENARIO_KEEP_PATHS);
  double sum[3] = { 0 }, cross[3][3] = { { 0 } };
  double n = (double) paths * steps;

  for (guint p = 0; p < paths; p++)
    for (guint t = 1; t <= steps; t++)
      {
        const double *now = r->paths + ((gsize) p * (steps + 1) + t) * 3;
        const double *before = now - 3;
        double d[3];

        for (guint a = 0; a < 3; a++)
          {
            d[a] = log (now[a] / before[a]);
            sum[a] += d[a];
          }
        for (guint i = 0; i < 3; i++)
          for (guint j = 0; j < 3; j++)
            cross[i][j] += d[i] * d[j];
      }

  for (guint i = 0; i < 3; i++)
    for (guint j = 0; j < i; j++)
      {
        double cij = cross[i][j] / n - sum[i] * sum[j] / (n * n);
        double cii = cross[i][i] / n - sum[i] * sum[i] / (n * n);
        double cjj = cross[j][j] / n - sum[j] * sum[j] / (n * n);

        g_assert_cmpfloat (fabs (cij / sqrt (cii * cjj) - corr[i][j]), <=, 0.016);
      }
}

/*
 * The normal generator's shape, tails included. One asset, one step, dt = 1, σ² = 1 and μ = 1/2
 * make ln S_T = Z exactly. With N = 400,000 draws the empirical CDF at z has standard error
 * √(Φ(z)(1 − Φ(z))/N) and the excess kurtosis √(24/N) ≈ 0.0077; we allow 5 of those.
 * Φ(−3) = 0.0013498980316301, Φ(−2) = 0.0227501319481792, Φ(−1) = 0.1586552539314571 (standard
 * normal tables; Φ(z) = 1 − Φ(−z)).
 */
static void
test_normal_shape (void)
{
  const double one = 1.0, half = 0.5;
  const double z[] = { -3, -2, -1, 0, 1, 2, 3 };
  const double phi[] = { 0.0013498980316301, 0.0227501319481792, 0.1586552539314571, 0.5,
                         1 - 0.1586552539314571, 1 - 0.0227501319481792, 1 - 0.0013498980316301 };
  const guint n = 400000;
  SextantGbmSpec spec = { 1, &one, &half, &one, 1.0, 1, n, 31337, 2 };
  g_autoptr(SextantScenarioResult) r = NULL;
  g_autoptr(GError) error = NULL;
  double m2 = 0, m4 = 0;

  r = sextant_scenarios_gbm (&spec, SEXTANT_SCENARIO_KEEP_TERMINAL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < G_N_ELEMENTS (z); k++)
    {
      guint below = 0;

      for (guint p = 0; p < n; p++)
        below += log (r->terminal[p]) < z[k];
      g_assert_cmpfloat (fabs ((double) below / n - phi[k]), <=,
                         5 * sqrt (phi[k] * (1 - phi[k]) / n));
    }
  for (guint p = 0; p < n; p++)
    {
      double x = log (r->terminal[p]);

      m2 += x * x;
      m4 += x * x * x * x;
    }
  m2 /= n;
  m4 /= n;
  g_assert_cmpfloat (fabs (m4 / (m2 * m2) - 3.0), <=, 5 * sqrt (24.0 / n));
}

static void
test_not_positive_definite (void)
{
  /* eigenvalues of [[1, 2], [2, 1]] are 3 and −1 */
  const double cov[4] = { 1, 2, 2, 1 };
  const double start[2] = { 1, 1 }, mu[2] = { 0, 0 };
  SextantGbmSpec spec = { 2, start, mu, cov, 1, 1, 10, 1, 1 };
  g_autoptr(GError) error = NULL;
  SextantScenarioResult *r;

  r = sextant_scenarios_gbm (&spec, 0, NULL, NULL, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_SINGULAR);
  g_assert_nonnull (strstr (error->message, "not positive definite"));
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

/*
 * Heston with the Feller condition violated (2κθ = 0.08 < ξ² = 0.81) so that the Euler variance
 * goes negative often: the variance used (and kept) must never be negative, truncations must have
 * happened, and E[S_T] = S₀ e^{rT} holds for the log-Euler price step (see sextant-scenarios.c),
 * checked within 5 standard errors of the sample mean.
 */
static void
test_heston (void)
{
  SextantHestonSpec spec = { 100, 0.04, 0.03, 1.0, 0.04, 0.9, -0.7, 1.0 / 252, 252, 20000, 2024,
                             2 };
  g_autoptr(SextantScenarioResult) r = NULL;
  g_autoptr(GError) error = NULL;
  double last = 0, mean = 0, m2 = 0, expected = 100 * exp (0.03);
  gsize n_values = (gsize) spec.n_paths * (spec.n_steps + 1);

  r = sextant_scenarios_heston (&spec, SEXTANT_SCENARIO_KEEP_PATHS | SEXTANT_SCENARIO_KEEP_TERMINAL,
                                NULL, progress_cb, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
  g_assert_cmpuint (r->n_truncated, >, 0);
  for (gsize i = 0; i < n_values; i++)
    g_assert_cmpfloat (r->variance[i], >=, 0.0);

  for (guint p = 0; p < spec.n_paths; p++)
    {
      g_assert_cmpfloat (r->terminal[p], ==, r->paths[(gsize) p * 253 + 252]);
      mean += r->terminal[p];
      m2 += r->terminal[p] * r->terminal[p];
    }
  mean /= spec.n_paths;
  m2 = m2 / spec.n_paths - mean * mean;
  g_assert_cmpfloat (fabs (mean - expected), <=, 5 * sqrt (m2 / spec.n_paths));
}

/*
 * Shards: the slices sextant_scenarios_shard_range() cuts, each run on its own with first_path
 * set, hold exactly the whole run's terminal prices (and whole paths), bit for bit, for GBM with
 * three correlated assets and for Heston, whatever the number of shards; 2,000 paths are 8
 * blocks of 256 (the last one short), so 7 shards are uneven and 11 leave some shards empty.
 */
static void
test_shards (void)
{
  static const guint counts[] = { 1, 2, 3, 7, 8, 11 };
  const guint paths = 2000, steps = 10;
  double cov[9];
  SextantGbmSpec gbm = { 3, s0, drift, cov, 1.0 / 252, steps, paths, 77, 2, 0 };
  SextantHestonSpec heston = { 100, 0.04, 0.03, 1.0, 0.04, 0.9, -0.7, 1.0 / 252, steps, paths,
                               77, 2, 0 };
  const SextantScenarioFlags flags = SEXTANT_SCENARIO_KEEP_TERMINAL | SEXTANT_SCENARIO_KEEP_PATHS;
  g_autoptr(SextantScenarioResult) whole_gbm = NULL;
  g_autoptr(SextantScenarioResult) whole_heston = NULL;
  g_autoptr(GError) error = NULL;
  guint first = 0, n = 0;

  make_covariance (cov);
  whole_gbm = sextant_scenarios_gbm (&gbm, flags, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  whole_heston = sextant_scenarios_heston (&heston, flags, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
    {
      guint covered = 0, empty = 0;

      for (guint i = 0; i < counts[c]; i++)
        {
          g_autoptr(SextantScenarioResult) g = NULL;
          g_autoptr(SextantScenarioResult) h = NULL;
          SextantGbmSpec gs = gbm;
          SextantHestonSpec hs = heston;

          g_assert_true (sextant_scenarios_shard_range (paths, i, counts[c], &first, &n, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (first, ==, covered);   /* contiguous, in order */
          g_assert_cmpuint (first % SEXTANT_SCENARIO_BLOCK_PATHS, ==, 0);
          covered += n;
          if (n == 0)
            {
              empty++;
              continue;
            }
          gs.first_path = hs.first_path = first;
          gs.n_paths = hs.n_paths = n;
          g = sextant_scenarios_gbm (&gs, flags, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          h = sextant_scenarios_heston (&hs, flags, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpmem (g->terminal, (gsize) n * 3 * sizeof (double),
                           whole_gbm->terminal + (gsize) first * 3, (gsize) n * 3 * sizeof (double));
          g_assert_cmpmem (g->paths, (gsize) n * (steps + 1) * 3 * sizeof (double),
                           whole_gbm->paths + (gsize) first * (steps + 1) * 3,
                           (gsize) n * (steps + 1) * 3 * sizeof (double));
          g_assert_cmpmem (h->terminal, (gsize) n * sizeof (double),
                           whole_heston->terminal + first, (gsize) n * sizeof (double));
        }
      g_assert_cmpuint (covered, ==, paths);
      g_assert_cmpuint (empty, ==, counts[c] > 8 ? counts[c] - 8 : 0);
    }

  g_assert_false (sextant_scenarios_shard_range (paths, 3, 3, &first, &n, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  gbm.first_path = 100;   /* not at a block's start: its paths would not be the run's */
  g_assert_null (sextant_scenarios_gbm (&gbm, flags, NULL, NULL, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
}

static void
cancel_cb (double   fraction,
           gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (void)
{
  SextantHestonSpec spec = { 100, 0.04, 0.03, 2.0, 0.04, 0.3, -0.5, 1.0 / 252, 252, 100000, 1, 2 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  SextantScenarioResult *r;

  r = sextant_scenarios_heston (&spec, 0, cancellable, cancel_cb, cancellable, &error);
  g_assert_null (r);
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_CANCELLED);
}

static void
test_bad_specs (void)
{
  SextantHestonSpec heston = { 100, 0.04, 0.03, 2.0, 0.04, 0.3, -1.5, 1.0 / 252, 10, 10, 1, 1 };
  const double cov[1] = { 0.04 }, bad_s0[1] = { -5 }, mu[1] = { 0 };
  SextantGbmSpec gbm = { 1, bad_s0, mu, cov, 1, 1, 10, 1, 1 };
  GError *error = NULL;

  g_assert_null (sextant_scenarios_heston (&heston, 0, NULL, NULL, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (sextant_scenarios_gbm (&gbm, 0, NULL, NULL, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE);
  g_clear_error (&error);
  gbm.s0 = s0;
  gbm.n_paths = 0;
  g_assert_null (sextant_scenarios_gbm (&gbm, 0, NULL, NULL, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

/* One estimate of sextant-heston-estimate.c on 200 years of daily returns simulated from known
 * parameters (Feller's condition holds: 2κθ = 0.24 > ξ² = 0.16). */
static void
estimate_simulated (guint64                seed,
                    SextantHestonEstimate *e)
{
  SextantHestonSpec spec = {
    .s0 = 100, .v0 = 0.04, .rate = 0.0, .kappa = 3.0, .theta = 0.04, .xi = 0.4, .rho = -0.6,
    .dt = 1.0 / 252, .n_steps = 252 * 200, .n_paths = 1, .seed = seed, .n_threads = 1,
  };
  g_autoptr(SextantScenarioResult) sim = NULL;
  g_autofree double *r = g_new (double, spec.n_steps);
  g_autoptr(GError) error = NULL;

  sim = sextant_scenarios_heston (&spec, SEXTANT_SCENARIO_KEEP_PATHS, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint t = 0; t < spec.n_steps; t++)
    r[t] = log (sim->paths[t + 1] / sim->paths[t]);
  g_assert_true (sextant_heston_estimate (r, spec.n_steps, 21, 252, e, &error));
  g_assert_no_error (error);
  if (g_getenv ("SEXTANT_HESTON_ESTIMATE_PRINT") != NULL)
    g_printerr ("seed %" G_GUINT64_FORMAT " kappa %g theta %g xi %g rho %g v0 %g (%s)\n", seed,
                e->kappa, e->theta, e->xi, e->rho, e->v0, e->clamped ? "clamped" : "free");
  g_assert_cmpuint (e->n_blocks, ==, 2400);
  g_assert_false (e->clamped);
  g_assert_cmpfloat (e->v0, >, 0);
}

/* The truth is κ 3, θ 0.04, ξ 0.4, ρ −0.6. Over 42 other seeds (100 … 141; set
 * SEXTANT_HESTON_ESTIMATE_PRINT=1 to print the estimates) the estimates had means 3.22, 0.0401,
 * 0.413, −0.571 and standard deviations 0.60, 0.0019, 0.034, 0.086: close to unbiased (κ +7 %,
 * ξ +3 %, ρ +0.03), κ the loosest, as expected of a persistence estimate. Each of 8 seeds must
 * land within 3.5 standard deviations of the truth, and their mean within 3 standard errors
 * (σ/√8) plus the bias: κ ±0.9, θ ±0.0021, ξ ±0.05, ρ ±0.12. */
static void
test_heston_estimate_known (void)
{
  SextantHestonEstimate mean = { 0 };

  for (guint64 seed = 1; seed <= 8; seed++)
    {
      SextantHestonEstimate e;

      estimate_simulated (seed, &e);
      g_assert_cmpfloat (fabs (e.kappa - 3.0), <, 3.5 * 0.60);
      g_assert_cmpfloat (fabs (e.theta - 0.04), <, 3.5 * 0.0019);
      g_assert_cmpfloat (fabs (e.xi - 0.4), <, 3.5 * 0.034);
      g_assert_cmpfloat (fabs (e.rho + 0.6), <, 3.5 * 0.086);
      mean.kappa += e.kappa / 8;
      mean.theta += e.theta / 8;
      mean.xi += e.xi / 8;
      mean.rho += e.rho / 8;
    }
  g_assert_cmpfloat (fabs (mean.kappa - 3.0), <, 0.9);
  g_assert_cmpfloat (fabs (mean.theta - 0.04), <, 0.0021);
  g_assert_cmpfloat (fabs (mean.xi - 0.4), <, 0.05);
  g_assert_cmpfloat (fabs (mean.rho + 0.6), <, 0.12);
}

/* Constant volatility (ξ = 0): no persistence to see, so the variance is taken as constant. */
static void
test_heston_estimate_constant (void)
{
  SextantHestonSpec spec = {
    .s0 = 100, .v0 = 0.04, .rate = 0.0, .kappa = 1.0, .theta = 0.04, .xi = 0.0, .rho = 0.0,
    .dt = 1.0 / 252, .n_steps = 252 * 50, .n_paths = 1, .seed = 7, .n_threads = 1,
  };
  g_autoptr(SextantScenarioResult) sim = NULL;
  g_autofree double *r = g_new (double, spec.n_steps);
  g_autoptr(GError) error = NULL;
  SextantHestonEstimate e;

  sim = sextant_scenarios_heston (&spec, SEXTANT_SCENARIO_KEEP_PATHS, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint t = 0; t < spec.n_steps; t++)
    r[t] = log (sim->paths[t + 1] / sim->paths[t]);
  g_assert_true (sextant_heston_estimate (r, spec.n_steps, 21, 252, &e, &error));
  g_assert_cmpfloat (fabs (e.theta / 0.04 - 1), <, 0.05);
  g_assert_true (e.clamped);
  g_assert_cmpfloat (e.xi, ==, 0);
  g_assert_cmpfloat (e.kappa, ==, SEXTANT_HESTON_KAPPA_MAX);

  /* Too short: 7 blocks. */
  g_assert_false (sextant_heston_estimate (r, 7 * 21, 21, 252, &e, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY);
}

/* The estimate on real closes against base R's implementation of the same estimator
 * (tests/data/heston/make_heston_reference.R, uniroot where Sextant bisects): the S&P 500 of
 * 2000–2020 (243 blocks), and a year of MSFT (11 blocks, too little persistence to see: the
 * variance is taken as constant). */
static void
test_heston_estimate_reference (gconstpointer data)
{
  const char *file = data;
  g_autofree char *json_path = sextant_test_reference_path ("heston/heston_reference.json");
  g_autofree char *relative = g_strdup_printf ("market/%s", file);
  g_autofree char *csv_path = sextant_test_reference_path (relative);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *r = NULL;
  JsonObject *ref;
  const double *close;
  SextantHestonEstimate e;
  gsize n;

  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  ref = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), file);
  g_assert_nonnull (ref);
  series = sextant_csv_read_price_series (csv_path, "REF", &error);
  g_assert_no_error (error);
  n = sextant_price_series_get_length (series) - 1;
  close = sextant_price_series_get_close (series);
  r = g_new (double, n);
  for (gsize t = 0; t < n; t++)
    r[t] = log (close[t + 1] / close[t]);
  g_assert_cmpint (n, ==, json_object_get_int_member (ref, "n_returns"));
  g_assert_true (sextant_heston_estimate (r, n, 21, 252, &e, &error));
  g_assert_no_error (error);
  g_assert_cmpint (e.n_blocks, ==, json_object_get_int_member (ref, "n_blocks"));
  g_assert_cmpint (e.clamped, ==, json_object_get_boolean_member (ref, "clamped"));
  sextant_assert_close_rel (e.theta, json_object_get_double_member (ref, "theta"), 1e-12);
  sextant_assert_close_rel (e.v0, json_object_get_double_member (ref, "v0"), 1e-12);
  sextant_assert_close_rel (e.kappa, json_object_get_double_member (ref, "kappa"), 1e-9);
  g_assert_cmpfloat (fabs (e.xi - json_object_get_double_member (ref, "xi")), <, 1e-9);
  g_assert_cmpfloat (fabs (e.rho - json_object_get_double_member (ref, "rho")), <, 1e-9);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The report's statistics read from its own sort of the terminal values; here the C library's
 * qsort sorts the same values, mixed signs, zeros, subnormals and repeats among them, and the
 * type-7 quantiles (GSL's and numpy's default, written out here) must come out the same. */
static void
test_report_sort (void)
{
  static const double levels[] = { 0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99 };
  static const char *names[] = { "p01", "p05", "p25", "p50", "p75", "p95", "p99" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (18);
  g_autoptr(JsonNode) report = NULL;
  SextantScenarioJob *job = g_new0 (SextantScenarioJob, 1);
  g_auto(SextantScenarioRun) run = { 0 };
  const guint n = 100003;
  g_autofree double *sorted = NULL;
  JsonObject *terminal;

  job->model = g_strdup ("gbm");
  job->paths = n;
  job->steps = 1;
  job->source = g_strdup ("test");
  job->n_assets = 1;
  job->symbols = g_strsplit ("X", " ", -1);
  job->s0 = g_new0 (double, 1);
  job->mean = g_new0 (double, 1);
  job->cov = g_new0 (double, 1);
  run.job = job;
  run.n_paths = n;
  run.terminal = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      double u = g_rand_double_range (rand, -1e3, 1e3);

      run.terminal[i] = i % 97 == 0 ? 0.0 : i % 101 == 0 ? -0.0 : i % 103 == 0 ? 4.9e-324 * (i % 2 ? 1 : -1)
                        : i % 7 == 0 ? 42.0 : u;
    }
  sorted = g_memdup2 (run.terminal, n * sizeof (double));
  qsort (sorted, n, sizeof (double), compare_doubles);
  report = sextant_scenario_run_to_json (&run);
  terminal = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (report), "assets"), 0),
    "terminal");
  g_assert_cmpfloat (json_object_get_double_member (terminal, "min"), ==, sorted[0]);
  g_assert_cmpfloat (json_object_get_double_member (terminal, "max"), ==, sorted[n - 1]);
  for (guint q = 0; q < G_N_ELEMENTS (levels); q++)
    {
      double h = (n - 1) * levels[q];
      gsize lo = (gsize) floor (h);
      double expected = lo + 1 < n ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];

      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (terminal, names[q]), expected,
                                      1e-12 * MAX (1.0, fabs (expected)));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/scenarios/reproducible", test_reproducible);
  g_test_add_func ("/sextant/scenarios/avx2-matches-sse2", test_avx2_matches_sse2);
  g_test_add_func ("/sextant/scenarios/gbm-moments", test_gbm_moments);
  g_test_add_func ("/sextant/scenarios/gbm-correlation", test_gbm_correlation);
  g_test_add_func ("/sextant/scenarios/normal-shape", test_normal_shape);
  g_test_add_func ("/sextant/scenarios/not-positive-definite", test_not_positive_definite);
  g_test_add_func ("/sextant/scenarios/heston", test_heston);
  g_test_add_func ("/sextant/scenarios/shards", test_shards);
  g_test_add_func ("/sextant/scenarios/cancel", test_cancel);
  g_test_add_func ("/sextant/scenarios/report-sort", test_report_sort);
  g_test_add_func ("/sextant/scenarios/bad-specs", test_bad_specs);
  g_test_add_func ("/sextant/scenarios/heston-estimate/known", test_heston_estimate_known);
  g_test_add_data_func ("/sextant/scenarios/heston-estimate/reference-sp500",
                        "sp500_2000-2020_ohlcv.csv", test_heston_estimate_reference);
  g_test_add_data_func ("/sextant/scenarios/heston-estimate/reference-msft",
                        "msft_2000-09_2001-09_ohlcv.csv", test_heston_estimate_reference);
  g_test_add_func ("/sextant/scenarios/heston-estimate/constant", test_heston_estimate_constant);

  return g_test_run ();
}
