#define G_LOG_DOMAIN "test-optimizer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"
#include "test-risk-fixture.h"

/* Weights to 1e-6 as tests/data/README.md (portfolio/) states; quadprog's and ours differ
 * by far less in practice, but that is the documented bar. */
#define WEIGHT_TOL 1e-6

static SextantOptimizer *
spi_optimizer (SpiFixture *fx)
{
  g_autoptr(GError) error = NULL;
  SextantOptimizer *opt = sextant_optimizer_new (fx->mean, fx->covariance, fx->k,
                                                 (const char * const *) fx->assets->names, &error);

  g_assert_no_error (error);
  return opt;
}

static void
assert_weights (SpiFixture   *fx,
                const char   *object,
                const double *w)
{
  g_autofree double *ref = g_new (double, fx->k);
  double sum = 0;

  spi_ref_weights (fx, object, ref);
  for (gsize j = 0; j < fx->k; j++)
    {
      if (fabs (w[j] - ref[j]) > WEIGHT_TOL)
        g_error ("%s: %s = %.15g, expected %.15g", object, fx->assets->names[j], w[j], ref[j]);
      sum += w[j];
    }
  g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12);
}

/* Expected weights: objects min_variance_long_only, min_variance_bounds_0_0.4,
 * max_sharpe_long_only_rf0 and risk_parity_long_only of spisector_reference.json. */
static void
test_spisector_reference (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(SextantOptimizer) opt = spi_optimizer (fx);
  g_autoptr(GError) error = NULL;
  g_autofree double *w = g_new (double, fx->k);
  g_autofree double *lo = g_new0 (double, fx->k);
  g_autofree double *hi = g_new (double, fx->k);

  g_assert_true (sextant_optimizer_min_variance (opt, w, &error));
  assert_weights (fx, "min_variance_long_only", w);
  g_assert_true (sextant_optimizer_max_sharpe (opt, 0, w, &error));
  assert_weights (fx, "max_sharpe_long_only_rf0", w);
  g_assert_true (sextant_optimizer_risk_parity (opt, w, &error));
  assert_weights (fx, "risk_parity_long_only", w);

  for (gsize j = 0; j < fx->k; j++)
    hi[j] = 0.4;
  g_assert_true (sextant_optimizer_set_bounds (opt, lo, hi, &error));
  g_assert_true (sextant_optimizer_min_variance (opt, w, &error));
  assert_weights (fx, "min_variance_bounds_0_0.4", w);
  g_assert_no_error (error);
}

/* Risk parity by definition: every w_i (Σw)_i equal (hand-checkable property, no reference). */
static void
test_risk_parity_contributions (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(GError) error = NULL;
  g_autofree double *w = g_new (double, fx->k);
  double first = 0;

  g_assert_true (sextant_risk_parity_weights (fx->covariance, fx->k, NULL, w, &error));
  for (gsize i = 0; i < fx->k; i++)
    {
      double rc = 0;

      for (gsize j = 0; j < fx->k; j++)
        rc += w[i] * fx->covariance[i * fx->k + j] * w[j];
      if (i == 0)
        first = rc;
      sextant_assert_close_rel (rc, first, 1e-10);
    }
}

/* Risk budgets 2:1 on two independent assets with variances 1 and 4: contributions w_i²σ_i² in
 * ratio 2:1 mean w₁²/(4 w₂²) = 2, so w₁/w₂ = √8 and w₁ = √8/(1 + √8). A zero budget is refused. */
static void
test_risk_budgets (void)
{
  const double cov[] = { 1, 0, 0, 4 }, budgets[] = { 2.0 / 3, 1.0 / 3 }, bad[] = { 1, 0 };
  g_autoptr(GError) error = NULL;
  double w[2];

  g_assert_true (sextant_risk_parity_weights (cov, 2, budgets, w, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (w[0], sqrt (8) / (1 + sqrt (8)), 1e-12);
  g_assert_false (sextant_risk_parity_weights (cov, 2, bad, w, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
}

/* Two assets by hand: σ₁² = 0.04, σ₂² = 0.09, σ₁₂ = 0.012. Unconstrained minimum variance:
 * w₁ = (σ₂² − σ₁₂) / (σ₁² + σ₂² − 2σ₁₂) = 0.078 / 0.106 = 0.735849056603774. With w₁ ≤ 0.6 the
 * bound binds: (0.6, 0.4). Target return 0.07 with μ = (0.05, 0.10): w₁ = 0.6 exactly. */
static void
test_two_assets (void)
{
  const double mean[] = { 0.05, 0.10 }, cov[] = { 0.04, 0.012, 0.012, 0.09 };
  const double hi[] = { 0.6, 1.0 };
  const char *names[] = { "A", "B", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantOptimizer) opt = sextant_optimizer_new (mean, cov, 2, names, &error);
  double w[2], ret, vol;

  g_assert_no_error (error);
  g_assert_true (sextant_optimizer_min_variance (opt, w, &error));
  g_assert_cmpfloat_with_epsilon (w[0], 0.078 / 0.106, 1e-14);
  g_assert_true (sextant_optimizer_target_return (opt, 0.07, w, &error));
  g_assert_cmpfloat_with_epsilon (w[0], 0.6, 1e-14);
  sextant_optimizer_evaluate (opt, w, &ret, &vol);
  g_assert_cmpfloat_with_epsilon (ret, 0.07, 1e-15);
  /* vol² = 0.36·0.04 + 0.16·0.09 + 2·0.24·0.012 = 0.03456. */
  g_assert_cmpfloat_with_epsilon (vol, sqrt (0.03456), 1e-15);
  g_assert_true (sextant_optimizer_target_volatility (opt, sqrt (0.03456), w, &error));
  g_assert_cmpfloat_with_epsilon (w[0], 0.6, 1e-9);
  /* Tangency with rf = 0.02: w ∝ Σ⁻¹(μ − rf). Σ⁻¹ = [[0.09, −0.012], [−0.012, 0.04]] / 0.003456
   * and μ − rf = (0.03, 0.08) give (0.00174, 0.00284) / 0.003456, both positive, so the
   * long-only answer is w = (0.00174, 0.00284) / 0.00458. */
  g_assert_true (sextant_optimizer_max_sharpe (opt, 0.02, w, &error));
  g_assert_cmpfloat_with_epsilon (w[0], 0.00174 / 0.00458, 1e-12);
  g_assert_cmpfloat_with_epsilon (w[1], 0.00284 / 0.00458, 1e-12);

  g_assert_true (sextant_optimizer_set_bounds (opt, NULL, hi, &error));
  g_assert_true (sextant_optimizer_min_variance (opt, w, &error));
  g_assert_cmpfloat_with_epsilon (w[0], 0.6, 1e-14);
  g_assert_cmpfloat_with_epsilon (w[1], 0.4, 1e-14);
  g_assert_no_error (error);
}

static void
test_infeasible (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(SextantOptimizer) opt = spi_optimizer (fx);
  g_autoptr(GError) error = NULL;
  g_autofree double *w = g_new (double, fx->k);
  g_autofree double *hi = g_new (double, fx->k);
  g_autofree double *lo = g_new (double, fx->k);

  /* Nine maxima of 0.1 sum to 0.9. */
  for (gsize j = 0; j < fx->k; j++)
    {
      hi[j] = 0.1;
      lo[j] = 0.2;
    }
  g_assert_false (sextant_optimizer_set_bounds (opt, NULL, hi, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE);
  g_assert_nonnull (strstr (error->message, "maximum weights sum to 0.9 < 1"));
  g_clear_error (&error);
  g_assert_false (sextant_optimizer_set_bounds (opt, lo, NULL, &error));
  g_assert_nonnull (strstr (error->message, "minimum weights sum to 1.8 > 1"));
  g_clear_error (&error);

  /* The largest asset mean is UTIL's 0.000671685714879476 (reference `mean`). */
  g_assert_false (sextant_optimizer_target_return (opt, 0.05, w, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE);
  g_assert_nonnull (strstr (error->message, "0.05 exceeds the largest achievable 0.000671686"));
  g_clear_error (&error);
  g_assert_false (sextant_optimizer_target_volatility (opt, 0.001, w, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE);
  g_assert_nonnull (strstr (error->message, "below the smallest achievable"));
  g_clear_error (&error);
  g_assert_false (sextant_optimizer_max_sharpe (opt, 0.01, w, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE);
  g_clear_error (&error);

  /* The same failures in a window's units, 252 days a year: UTIL's reference mean
   * 0.000671685714879476 × 252 = 16.93 % a year is the largest achievable return; a target of
   * 90 % a year is 0.9 / 252 a day. */
  sextant_optimizer_set_periods_per_year (opt, 252);
  g_assert_false (sextant_optimizer_target_return (opt, 0.9 / 252, w, &error));
  g_assert_cmpstr (error->message, ==,
                   "The target return 90 % a year exceeds the largest achievable 16.9 % under these bounds");
  g_clear_error (&error);
  g_assert_false (sextant_optimizer_max_sharpe (opt, 0.2 / 252, w, &error));
  g_assert_nonnull (strstr (error->message, "risk-free rate of 20 % a year (the largest achievable return is 16.9 %)"));
  g_clear_error (&error);
  g_assert_false (sextant_optimizer_target_volatility (opt, 0.001, w, &error));
  g_assert_nonnull (strstr (error->message, "The target volatility 1.59 % a year is below the smallest achievable "));
  g_clear_error (&error);
  g_assert_false (sextant_optimizer_set_bounds (opt, NULL, hi, &error));
  g_assert_cmpstr (error->message, ==,
                   "The maximum weights sum to 90 %, less than 100 %: the portfolio cannot be fully invested");
  g_clear_error (&error);
}

static void
test_bad_covariance (void)
{
  const double mean[] = { 0.01, 0.02, 0.03 };
  const double flat[] = { 0.04, 0, 0, 0, 0, 0, 0, 0, 0.09 };
  const double singular[] = { 1, 1, 0, 1, 1, 0, 0, 0, 1 };
  const char *names[] = { "AAA", "BBB", "CCC", NULL };
  g_autoptr(GError) error = NULL;
  SextantOptimizer *opt;

  opt = sextant_optimizer_new (mean, flat, 3, names, &error);
  g_assert_null (opt);
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE);
  g_assert_nonnull (strstr (error->message, "BBB"));
  g_clear_error (&error);
  opt = sextant_optimizer_new (mean, singular, 3, names, &error);
  g_assert_null (opt);
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_SINGULAR);
  g_assert_nonnull (strstr (error->message, "AAA and BBB move identically"));
  g_clear_error (&error);

  /* CCC = AAA + BBB exactly (returns 1, 2, 4, 3 and 2, 1, 1, 5 → 3, 3, 5, 8): the sample
   * covariance is singular, and rounding may leave a tiny positive pivot that GSL accepts. */
  {
    const char *cols[] = { "AAA", "BBB", "CCC", NULL };
    g_autoptr(SextantReturnMatrix) r = sextant_return_matrix_new (4, cols);
    const double v[] = { 1, 2, 4, 3, 2, 1, 1, 5, 3, 3, 5, 8 };
    double cov[9];

    for (guint i = 0; i < 12; i++)
      r->values[i] = v[i] / 100;
    g_assert_true (sextant_covariance_sample (r, cov, &error));
    opt = sextant_optimizer_new (mean, cov, 3, names, &error);
    g_assert_null (opt);
    g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_SINGULAR);
  }
}

/* The QP solver alone, on a problem solved by hand: min ½(x₁² + x₂²) − x₁ − 2x₂ subject to
 * x₁ + x₂ ≤ 1 (as −x₁ − x₂ ≥ −1), x ≥ 0. Unconstrained minimum (1, 2); projecting onto
 * x₁ + x₂ = 1 gives (0, 1), where the lower bound on x₁ is just met. */
static void
test_qp_hand (void)
{
  const double g[] = { 1, 0, 0, 1 }, a[] = { -1, -2 }, c[] = { -1, -1 }, b[] = { -1 };
  const double lower[] = { 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQp) qp = sextant_qp_new (g, 2, &error);
  SextantQpConstraints cons = { 1, 0, c, b, lower, NULL };
  const double infeasible_b[] = { 1 };
  SextantQpConstraints bad = { 1, 1, c, infeasible_b, lower, NULL };
  double x[2];

  g_assert_true (sextant_qp_solve (qp, a, &cons, x, &error));
  g_assert_cmpfloat_with_epsilon (x[0], 0, 1e-14);
  g_assert_cmpfloat_with_epsilon (x[1], 1, 1e-14);
  /* −x₁ − x₂ = 1 with x ≥ 0 has no solution. */
  g_assert_false (sextant_qp_solve (qp, a, &bad, x, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE);
}

/* Optimality by the KKT conditions, on a one-factor covariance of 120 assets (β_i = 0.5 + i/120,
 * σ_m = 1 %, idiosyncratic (1 + (i · 37 mod 17)/8) %): with g = Σw and λ the multiplier of
 * 1'w = 1, free weights have g_i = λ, weights at their minimum g_i ≥ λ, at their maximum
 * g_i ≤ λ. For a convex programme these conditions prove the answer optimal. */
static void
check_kkt (const double *cov,
           gsize         n,
           const double *w,
           double        lo,
           double        hi)
{
  g_autofree double *g = g_new0 (double, n);
  double lambda = 0, sum = 0, scale = 0;
  gsize n_free = 0, n_low = 0;

  for (gsize i = 0; i < n; i++)
    {
      for (gsize j = 0; j < n; j++)
        g[i] += cov[i * n + j] * w[j];
      scale = MAX (scale, fabs (g[i]));
      sum += w[i];
      if (w[i] > lo && w[i] < hi)
        {
          lambda += g[i];
          n_free++;
        }
      n_low += w[i] == lo;
    }
  g_assert_cmpuint (n_free, >, 0);
  g_assert_cmpuint (n_low, >, 0);
  g_assert_cmpfloat_with_epsilon (sum, 1, 1e-12);
  lambda /= n_free;
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat (w[i], >=, lo);
      g_assert_cmpfloat (w[i], <=, hi);
      if (w[i] > lo && w[i] < hi)
        g_assert_cmpfloat (fabs (g[i] - lambda), <=, 1e-9 * scale);
      else if (w[i] == lo)
        g_assert_cmpfloat (g[i], >=, lambda - 1e-9 * scale);
      else
        g_assert_cmpfloat (g[i], <=, lambda + 1e-9 * scale);
    }
}

static void
test_kkt_one_factor (void)
{
  const gsize n = 120;
  g_autofree double *cov = g_new (double, n * n);
  g_autofree double *mean = g_new0 (double, n);
  g_autofree double *w = g_new (double, n);
  g_autofree double *lo = g_new0 (double, n);
  g_autofree double *hi = g_new (double, n);
  g_auto(GStrv) names = g_new0 (char *, n + 1);
  g_autoptr(SextantOptimizer) opt = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < n; i++)
    {
      double s = (1 + (i * 37 % 17) / 8.0) / 100;

      names[i] = g_strdup_printf ("S%" G_GSIZE_FORMAT, i);
      for (gsize j = 0; j < n; j++)
        cov[i * n + j] = 1e-4 * (0.5 + i / 120.0) * (0.5 + j / 120.0);
      cov[i * n + i] += s * s;
      hi[i] = 0.03;
    }
  opt = sextant_optimizer_new (mean, cov, n, (const char * const *) names, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_optimizer_min_variance (opt, w, &error));
  check_kkt (cov, n, w, 0, 1);
  g_assert_true (sextant_optimizer_set_bounds (opt, lo, hi, &error));
  g_assert_true (sextant_optimizer_min_variance (opt, w, &error));
  check_kkt (cov, n, w, 0, 0.03);
  g_assert_no_error (error);
}

/* The optimizer's warm-started primal method against the dual method alone on the same
 * programmes: random one-factor covariances (fixed seeds), capped at 1, 0.1 or 0.05, with or
 * without a floor of 0.005; minimum variance, five target returns and a warm-started 30-point
 * frontier each. Both solve a strictly convex programme, whose answer
 * is unique, so they must agree to rounding. */
static void
test_primal_matches_dual (void)
{
  const gsize n = 40;

  for (guint seed = 1; seed <= 24; seed++)
    {
      g_autofree double *cov = g_new (double, n * n), *mean = g_new (double, n);
      g_autofree double *w = g_new (double, n), *x = g_new (double, n);
      g_autofree double *lo = g_new0 (double, n), *hi = g_new (double, n);
      g_autofree double *rows = g_new (double, 2 * n), *beta = g_new (double, n);
      g_auto(GStrv) names = g_new0 (char *, n + 1);
      g_autoptr(SextantOptimizer) opt = NULL;
      g_autoptr(SextantQp) qp = NULL;
      g_autoptr(GError) error = NULL;
      GRand *rand = g_rand_new_with_seed (seed);
      double cap = seed % 3 == 0 ? 1.0 : seed % 3 == 1 ? 0.1 : 0.05, floor = seed % 2 ? 0.005 : 0;
      double r_lo, r_hi, fr[30], fv[30];
      g_autofree double *fw = g_new (double, 30 * n);

      for (gsize i = 0; i < n; i++)
        {
          names[i] = g_strdup_printf ("S%" G_GSIZE_FORMAT, i);
          beta[i] = g_rand_double_range (rand, 0.5, 1.5);
          mean[i] = g_rand_double_range (rand, -2e-4, 8e-4);
          hi[i] = cap;
          lo[i] = floor;
          rows[i] = 1;
          rows[n + i] = mean[i];
        }
      for (gsize i = 0; i < n; i++)
        {
          double s = g_rand_double_range (rand, 0.01, 0.03);

          for (gsize j = 0; j < n; j++)
            cov[i * n + j] = 1e-4 * beta[i] * beta[j];
          cov[i * n + i] += s * s;
        }
      g_rand_free (rand);

      opt = sextant_optimizer_new (mean, cov, n, (const char * const *) names, &error);
      g_assert_no_error (error);
      g_assert_true (sextant_optimizer_set_bounds (opt, lo, hi, &error));
      qp = sextant_qp_new (cov, n, &error);
      g_assert_no_error (error);

      g_assert_true (sextant_optimizer_min_variance (opt, w, &error));
      {
        const double b[] = { 1 };
        SextantQpConstraints c = { 1, 1, rows, b, lo, hi };

        g_assert_true (sextant_qp_solve (qp, NULL, &c, x, &error));
        for (gsize i = 0; i < n; i++)
          g_assert_cmpfloat (fabs (w[i] - x[i]), <=, 1e-9);
      }
      sextant_optimizer_evaluate (opt, w, &r_lo, NULL);
      sextant_optimizer_return_range (opt, NULL, &r_hi);
      for (guint t = 0; t < 5; t++)
        {
          double b[] = { 1, r_lo + (r_hi - r_lo) * (t + 0.5) / 5 };
          SextantQpConstraints c = { 2, 2, rows, b, lo, hi };

          g_assert_true (sextant_optimizer_target_return (opt, b[1], w, &error));
          g_assert_true (sextant_qp_solve (qp, NULL, &c, x, &error));
          g_assert_no_error (error);
          for (gsize i = 0; i < n; i++)
            if (fabs (w[i] - x[i]) > 1e-9)
              g_error ("seed %u, target %u, weight %" G_GSIZE_FORMAT ": %.15g vs %.15g", seed, t,
                       i, w[i], x[i]);
        }
      g_assert_true (sextant_optimizer_frontier (opt, 30, fr, fv, fw, &error));
      for (guint t = 0; t < 30; t++)
        {
          double b[] = { 1, fr[t] };
          SextantQpConstraints c = { 2, 2, rows, b, lo, hi };

          g_assert_true (sextant_qp_solve (qp, NULL, &c, x, &error));
          g_assert_no_error (error);
          for (gsize i = 0; i < n; i++)
            if (fabs (fw[t * n + i] - x[i]) > 1e-9)
              g_error ("seed %u, frontier point %u, weight %" G_GSIZE_FORMAT ": %.15g vs %.15g",
                       seed, t, i, fw[t * n + i], x[i]);
        }
    }
}

/* Max Sharpe under bounds other than long-only (the homogeneous rows y_i − lo_i Σy ≥ 0 and
 * hi_i Σy − y_i ≥ 0): no portfolio on a fine frontier under the same bounds may have a higher
 * Sharpe ratio (rf 0), and the answer must meet the bounds. SPISECTOR data, bounds 0.02 … 0.5. */
static void
test_max_sharpe_bounded (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(SextantOptimizer) opt = spi_optimizer (fx);
  g_autoptr(GError) error = NULL;
  g_autofree double *w = g_new (double, fx->k);
  g_autofree double *lo = g_new (double, fx->k), *hi = g_new (double, fx->k);
  g_autofree double *fw = g_new (double, 400 * fx->k);
  double fr[400], fv[400], ret, vol, best = -INFINITY, sum = 0;

  for (gsize j = 0; j < fx->k; j++)
    {
      lo[j] = 0.02;
      hi[j] = 0.5;
    }
  g_assert_true (sextant_optimizer_set_bounds (opt, lo, hi, &error));
  g_assert_true (sextant_optimizer_max_sharpe (opt, 0, w, &error));
  g_assert_no_error (error);
  for (gsize j = 0; j < fx->k; j++)
    {
      g_assert_cmpfloat (w[j], >=, 0.02);
      g_assert_cmpfloat (w[j], <=, 0.5);
      sum += w[j];
    }
  g_assert_cmpfloat_with_epsilon (sum, 1, 1e-12);
  sextant_optimizer_evaluate (opt, w, &ret, &vol);

  g_assert_true (sextant_optimizer_frontier (opt, 400, fr, fv, fw, &error));
  for (guint p = 0; p < 400; p++)
    best = MAX (best, fr[p] / fv[p]);
  g_assert_cmpfloat (ret / vol, >=, best - 1e-12);
  /* …and the frontier brackets it closely: 400 points leave at most a small gap. */
  g_assert_cmpfloat (ret / vol, <=, best * (1 + 1e-4));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/optimizer/spisector-reference", test_spisector_reference);
  g_test_add_func ("/sextant/optimizer/risk-parity-contributions", test_risk_parity_contributions);
  g_test_add_func ("/sextant/optimizer/two-assets", test_two_assets);
  g_test_add_func ("/sextant/optimizer/risk-budgets", test_risk_budgets);
  g_test_add_func ("/sextant/optimizer/infeasible", test_infeasible);
  g_test_add_func ("/sextant/optimizer/bad-covariance", test_bad_covariance);
  g_test_add_func ("/sextant/optimizer/qp-hand", test_qp_hand);
  g_test_add_func ("/sextant/optimizer/kkt-one-factor", test_kkt_one_factor);
  g_test_add_func ("/sextant/optimizer/primal-matches-dual", test_primal_matches_dual);
  g_test_add_func ("/sextant/optimizer/max-sharpe-bounded", test_max_sharpe_bounded);

  return g_test_run ();
}
