#define G_LOG_DOMAIN "test-risk"

#include "config.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "sextant-core.h"
#include "sextant-test-util.h"
#include "test-risk-fixture.h"

#define REL 1e-8

/* Every expected number in this test comes from the object `equal_weight_portfolio` of
 * tests/data/portfolio/spisector_reference.json (R 4.2, make_reference.R beside it). */
static void
test_spisector_equal_weight (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(GError) error = NULL;
  g_autofree double *w = g_new (double, fx->k);
  g_autofree double *r = g_new (double, fx->n);
  const char *ew = "equal_weight_portfolio";
  SextantMoments m;
  SextantDrawdown dd;
  SextantBenchmarkStats bs;
  const double levels[] = { 0.95, 0.99 };
  double x, es;

  /* n_obs = 2198 in the reference: 2216 rows, NA rows dropped, one lost to differencing. */
  g_assert_cmpuint (fx->n, ==, json_object_get_int_member (fx->ref, "n_obs"));
  for (gsize j = 0; j < fx->k; j++)
    w[j] = 1.0 / fx->k;
  g_assert_true (sextant_portfolio_returns (fx->assets, w, r, &error));

  g_assert_true (sextant_moments_compute (r, fx->n, &m, &error));
  sextant_assert_close_rel (m.mean, spi_ref_double (fx, ew, "mean"), REL);
  sextant_assert_close_rel (m.sd, spi_ref_double (fx, ew, "sd"), REL);
  sextant_assert_close_rel (m.skewness, spi_ref_double (fx, ew, "skewness"), REL);
  sextant_assert_close_rel (m.excess_kurtosis, spi_ref_double (fx, ew, "excess_kurtosis"), REL);

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      int pct = (int) round (levels[i] * 100);
      g_autofree char *vh = g_strdup_printf ("var_hist_%d", pct);
      g_autofree char *eh = g_strdup_printf ("es_hist_%d", pct);
      g_autofree char *vg = g_strdup_printf ("var_gauss_%d", pct);
      g_autofree char *eg = g_strdup_printf ("es_gauss_%d", pct);
      g_autofree char *vc = g_strdup_printf ("var_cornish_fisher_%d", pct);

      g_assert_true (sextant_var_historical (r, fx->n, levels[i], &x, &es, &error));
      sextant_assert_close_rel (x, spi_ref_double (fx, ew, vh), REL);
      sextant_assert_close_rel (es, spi_ref_double (fx, ew, eh), REL);
      g_assert_true (sextant_var_gaussian (m.mean, m.sd, levels[i], &x, &es, &error));
      sextant_assert_close_rel (x, spi_ref_double (fx, ew, vg), REL);
      sextant_assert_close_rel (es, spi_ref_double (fx, ew, eg), REL);
      g_assert_true (sextant_var_cornish_fisher (&m, levels[i], &x, &error));
      sextant_assert_close_rel (x, spi_ref_double (fx, ew, vc), REL);
    }

  g_assert_true (sextant_volatility_annualised (r, fx->n, 252, &x, &error));
  sextant_assert_close_rel (x, spi_ref_double (fx, ew, "volatility_annualised"), REL);
  g_assert_true (sextant_sharpe_ratio (r, fx->n, 0, 252, &x, &error));
  sextant_assert_close_rel (x, spi_ref_double (fx, ew, "sharpe_annualised_rf0"), REL);
  g_assert_true (sextant_sortino_ratio (r, fx->n, 0, 252, &x, &error));
  sextant_assert_close_rel (x, spi_ref_double (fx, ew, "sortino_annualised_mar0"), REL);
  g_assert_true (sextant_max_drawdown (r, fx->n, &dd, &error));
  sextant_assert_close_rel (dd.max_drawdown, spi_ref_double (fx, ew, "max_drawdown"), REL);
  g_assert_true (sextant_benchmark_stats (r, fx->benchmark, fx->n, 252, &bs, &error));
  sextant_assert_close_rel (bs.beta, spi_ref_double (fx, ew, "beta"), REL);
  sextant_assert_close_rel (bs.alpha_annualised, spi_ref_double (fx, ew, "alpha_annualised"), REL);
  sextant_assert_close_rel (bs.tracking_error_annualised,
                            spi_ref_double (fx, ew, "tracking_error_annualised"), REL);
  sextant_assert_close_rel (bs.information_ratio, spi_ref_double (fx, ew, "information_ratio"), REL);
  g_assert_no_error (error);
}

/* A member of an object of tests/data/risk/spisector_risk_reference.json (make_risk_reference.R
 * beside it, base R). */
static double
risk_ref (SpiFixture *fx,
          const char *object,
          const char *member)
{
  JsonObject *o = json_object_get_object_member (fx->risk_ref, object);

  g_assert_nonnull (o);
  g_assert_true (json_object_has_member (o, member));

  return json_object_get_double_member (o, member);
}

/* Marginal and component Gaussian VaR of the equal-weight portfolio against
 * gaussian_var_components_95/_99 of the risk reference: R's −(μ_i + z (Σw)_i / σ_p), whose
 * gradient the script checks by central differences, and w_i times it (Euler allocation). */
static void
test_component_var (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(GError) error = NULL;
  g_autofree double *w = g_new (double, fx->k);
  g_autofree double *marginal = g_new (double, fx->k);
  g_autofree double *component = g_new (double, fx->k);
  const double levels[] = { 0.95, 0.99 };
  double total;

  for (gsize j = 0; j < fx->k; j++)
    w[j] = 1.0 / fx->k;
  for (guint l = 0; l < G_N_ELEMENTS (levels); l++)
    {
      g_autofree char *name = g_strdup_printf ("gaussian_var_components_%d",
                                               (int) round (levels[l] * 100));
      JsonObject *o = json_object_get_object_member (fx->risk_ref, name);
      JsonObject *rm = json_object_get_object_member (o, "marginal");
      JsonObject *rc = json_object_get_object_member (o, "component");
      double sum = 0;

      g_assert_true (sextant_var_components_gaussian (fx->mean, fx->covariance, w, fx->k,
                                                      levels[l], marginal, component, &total,
                                                      &error));
      g_assert_no_error (error);
      for (gsize j = 0; j < fx->k; j++)
        {
          const char *asset = fx->assets->names[j];

          sextant_assert_close_rel (marginal[j], json_object_get_double_member (rm, asset), REL);
          sextant_assert_close_rel (component[j], json_object_get_double_member (rc, asset), REL);
          sum += component[j];
        }
      sextant_assert_close_rel (total, json_object_get_double_member (o, "total"), REL);
      sextant_assert_close_rel (sum, total, 1e-12);
    }
  /* and the total is make_reference.R's var_gauss_99, from the portfolio's own return series */
  sextant_assert_close_rel (total, spi_ref_double (fx, "equal_weight_portfolio", "var_gauss_99"),
                            REL);

  /* Hand case: two independent assets, σ = 3 % and 4 %, zero means, weights ½: σ_p = 2.5 %,
   * (Σw)_1 = 0.00045, so component_1 = ½ · (−z) · 0.00045 / 0.025 = −z · 0.009, and
   * component_2 = −z · 0.016: 36 % and 64 % of the total −z · 0.025. */
  {
    const double mu[] = { 0, 0 }, cov[] = { 0.0009, 0, 0, 0.0016 }, w2[] = { 0.5, 0.5 };
    double c2[2], z = gsl_cdf_ugaussian_Pinv (0.01);

    g_assert_true (sextant_var_components_gaussian (mu, cov, w2, 2, 0.99, NULL, c2, &total, &error));
    sextant_assert_close_rel (c2[0], -z * 0.009, 1e-12);
    sextant_assert_close_rel (c2[1], -z * 0.016, 1e-12);
    sextant_assert_close_rel (total, -z * 0.025, 1e-12);
  }
}

/* Dates and length of the equal-weight portfolio's worst drawdown against `drawdown` of the
 * risk reference, which follows Sextant's definition (SextantDrawdown): indices into the wealth
 * path, the peak being the last high before the trough, duration from the peak to the recovery
 * or, without one, to the end. Sextant has no other duration (no longest or current spell). */
static void
test_drawdown_dates (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(GError) error = NULL;
  g_autofree double *w = g_new (double, fx->k);
  g_autofree double *r = g_new (double, fx->n);
  SextantDrawdown dd;

  for (gsize j = 0; j < fx->k; j++)
    w[j] = 1.0 / fx->k;
  g_assert_true (sextant_portfolio_returns (fx->assets, w, r, &error));
  g_assert_true (sextant_max_drawdown (r, fx->n, &dd, &error));
  g_assert_no_error (error);
  sextant_assert_close_rel (dd.max_drawdown, risk_ref (fx, "drawdown", "max_drawdown"), REL);
  g_assert_cmpuint (dd.peak, ==, (gsize) risk_ref (fx, "drawdown", "peak"));
  g_assert_cmpuint (dd.trough, ==, (gsize) risk_ref (fx, "drawdown", "trough"));
  g_assert_cmpint (dd.recovery, ==, (gssize) risk_ref (fx, "drawdown", "recovery"));
  g_assert_cmpuint (dd.duration, ==, (gsize) risk_ref (fx, "drawdown", "duration"));
}

/* The five worst non-overlapping 1-, 5- and 21-day windows of the equal-weight portfolio (the
 * risk window's choices) against `stress_worst_windows` of the risk reference: R's direct
 * products 1 − ∏(1 + r) and its own greedy selection. */
static void
test_stress_spisector (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(GError) error = NULL;
  g_autofree double *w = g_new (double, fx->k);
  g_autofree double *r = g_new (double, fx->n);
  JsonArray *cases = json_object_get_array_member (fx->risk_ref, "stress_worst_windows");

  for (gsize j = 0; j < fx->k; j++)
    w[j] = 1.0 / fx->k;
  g_assert_true (sextant_portfolio_returns (fx->assets, w, r, &error));
  g_assert_cmpuint (json_array_get_length (cases), ==, 3);
  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *o = json_array_get_object_element (cases, c);
      JsonArray *start = json_object_get_array_member (o, "start");
      JsonArray *loss = json_object_get_array_member (o, "loss");
      SextantStressWindow out[5];
      gsize n_out;

      g_assert_true (sextant_stress_worst_windows (r, fx->n, json_object_get_int_member (o, "window"),
                                                   5, out, &n_out, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (n_out, ==, json_array_get_length (start));
      for (gsize i = 0; i < n_out; i++)
        {
          g_assert_cmpuint (out[i].start, ==, json_array_get_int_element (start, i));
          sextant_assert_close_rel (out[i].loss, json_array_get_double_element (loss, i), 1e-10);
        }
    }
}

/* Hand-checkable cases for the definitions in tests/data/README.md (portfolio/). */
static void
test_hand_cases (void)
{
  const double sorted[] = { 1, 2, 3, 4, 5 };
  const double r[] = { -0.05, 0.02, -0.01, 0.03, 0.01 };
  const double path[] = { 0.1, -0.5, 0.2, 1.0 };
  g_autoptr(GError) error = NULL;
  SextantMoments m;
  SextantDrawdown dd;
  double var, es, cf, x;

  /* Type 7: h = (5 − 1) · 0.1 = 0.4 → 1 + 0.4 · (2 − 1) = 1.4. */
  g_assert_cmpfloat_with_epsilon (sextant_quantile_type7 (sorted, 5, 0.1), 1.4, 1e-15);
  g_assert_cmpfloat_with_epsilon (sextant_quantile_type7 (sorted, 5, 1.0), 5.0, 1e-15);

  /* Sorted r: −0.05, −0.01, 0.01, 0.02, 0.03. At c = 0.8, h = 4 · 0.2 = 0.8:
   * q = −0.05 + 0.8 · 0.04 = −0.018; only −0.05 ≤ q, so VaR = 0.018, ES = 0.05. */
  g_assert_true (sextant_var_historical (r, 5, 0.8, &var, &es, &error));
  g_assert_cmpfloat_with_epsilon (var, 0.018, 1e-15);
  g_assert_cmpfloat_with_epsilon (es, 0.05, 1e-15);

  /* Standard normal at 97.5 %: z = −1.959963984540054, φ(z) = exp(−z²/2)/√(2π) = 0.05844506980503538
   * (computed by hand with Python's math module), ES = φ(z) / 0.025 = 2.337802792201415. */
  g_assert_true (sextant_var_gaussian (0, 1, 0.975, &var, &es, &error));
  sextant_assert_close_rel (var, 1.959963984540054, 1e-12);
  sextant_assert_close_rel (es, 2.337802792201415, 1e-12);

  /* With no skew and no excess kurtosis Cornish-Fisher is the Gaussian VaR. */
  m = (SextantMoments) { 0.001, 0.02, 0, 0 };
  g_assert_true (sextant_var_cornish_fisher (&m, 0.99, &cf, &error));
  g_assert_true (sextant_var_gaussian (0.001, 0.02, 0.99, &var, NULL, &error));
  sextant_assert_close_rel (cf, var, 1e-15);

  /* Wealth 1 → 1.1 → 0.55 → 0.66 → 1.32: worst fall 50 % from index 1 to 2, regained at 4. */
  g_assert_true (sextant_max_drawdown (path, 4, &dd, &error));
  g_assert_cmpfloat_with_epsilon (dd.max_drawdown, 0.5, 1e-15);
  g_assert_cmpuint (dd.peak, ==, 1);
  g_assert_cmpuint (dd.trough, ==, 2);
  g_assert_cmpint (dd.recovery, ==, 4);
  g_assert_cmpuint (dd.duration, ==, 3);

  /* Sortino, r above: mean 0, downside √((0.05² + 0.01²) / 5) = √0.00052 → ratio 0. Sharpe with
   * rf 0.01 per period: (0 − 0.01) / sd; sd = √(0.0040 / 4) = √0.001. Σ r² = 0.0040. */
  g_assert_true (sextant_sortino_ratio (r, 5, 0, 1, &x, &error));
  g_assert_cmpfloat_with_epsilon (x, 0, 1e-15);
  g_assert_true (sextant_sharpe_ratio (r, 5, 0.01, 4, &x, &error));
  sextant_assert_close_rel (x, -0.01 / sqrt (0.001) * 2, 1e-12);
  g_assert_no_error (error);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The selection-based historical VaR against the textbook route (sort, type-7 quantile, mean of
 * the tail) on random samples of 2 … 60 values with many ties (values on a grid of 7 levels). */
static void
test_historical_against_sort (void)
{
  GRand *rand = g_rand_new_with_seed (314);
  const double levels[] = { 0.51, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999 };

  for (gsize n = 2; n <= 60; n++)
    for (guint rep = 0; rep < 5; rep++)
      {
        g_autofree double *r = g_new (double, n), *sorted = g_new (double, n);

        for (gsize i = 0; i < n; i++)
          r[i] = sorted[i] = (g_rand_int_range (rand, 0, 7) - 3) / 100.0;
        qsort (sorted, n, sizeof (double), cmp_double);
        for (guint l = 0; l < G_N_ELEMENTS (levels); l++)
          {
            g_autoptr(GError) error = NULL;
            double q = sextant_quantile_type7 (sorted, n, 1 - levels[l]), tail = 0, var, es;
            gsize k = 0;

            for (gsize i = 0; i < n && sorted[i] <= q; i++, k++)
              tail += sorted[i];
            g_assert_true (sextant_var_historical (r, n, levels[l], &var, &es, &error));
            g_assert_cmpfloat_with_epsilon (var, -q, 1e-15);
            g_assert_cmpfloat_with_epsilon (es, -tail / k, 1e-15);
          }
      }
  g_rand_free (rand);
}

static void
test_monte_carlo (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(GError) error = NULL;
  g_autofree double *w = g_new (double, fx->k);
  JsonObject *limits = json_object_get_object_member (fx->risk_ref, "monte_carlo_limits");
  JsonArray *rows = json_object_get_array_member (limits, "rows");
  gsize n_sims = json_object_get_int_member (limits, "n_scenarios");
  g_autofree double *a = g_new (double, n_sims);
  g_autofree double *b = g_new (double, n_sims);
  double var_mc;

  for (gsize j = 0; j < fx->k; j++)
    w[j] = 1.0 / fx->k;

  /* The same seed gives the same scenarios; another seed does not. */
  g_assert_true (sextant_monte_carlo_portfolio (fx->mean, fx->covariance, w, fx->k,
                                                SEXTANT_MC_NORMAL, 0, 1000, 42, a, NULL, &error));
  g_assert_true (sextant_monte_carlo_portfolio (fx->mean, fx->covariance, w, fx->k,
                                                SEXTANT_MC_NORMAL, 0, 1000, 42, b, NULL, &error));
  g_assert_cmpmem (a, 1000 * sizeof (double), b, 1000 * sizeof (double));
  g_assert_true (sextant_monte_carlo_portfolio (fx->mean, fx->covariance, w, fx->k,
                                                SEXTANT_MC_NORMAL, 0, 1000, 43, b, NULL, &error));
  g_assert_cmpfloat (a[0], !=, b[0]);
  g_assert_true (sextant_monte_carlo_portfolio (fx->mean, fx->covariance, w, fx->k,
                                                SEXTANT_MC_STUDENT_T, 5, 1000, 42, a, NULL, &error));
  g_assert_true (sextant_monte_carlo_portfolio (fx->mean, fx->covariance, w, fx->k,
                                                SEXTANT_MC_STUDENT_T, 5, 1000, 42, b, NULL, &error));
  g_assert_cmpmem (a, 1000 * sizeof (double), b, 1000 * sizeof (double));

  /* Against the limits the simulation converges to (monte_carlo_limits of the risk reference:
   * R's qnorm/qt, scaled as Sextant scales the t to unit variance, and the tail means). VaR and ES
   * of 200,000 seeded scenarios must lie within 4 standard errors of them; the script derives
   * those errors at this count from the asymptotic variance of a sample quantile and of a tail
   * mean. A correct simulator misses that band for a given seed with probability about 6e-5. */
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      gboolean t = g_str_equal (json_object_get_string_member (row, "distribution"), "student_t");
      double es_mc;

      g_assert_cmpint (n_sims, ==, 200000);
      g_assert_true (sextant_monte_carlo_portfolio (fx->mean, fx->covariance, w, fx->k,
                                                    t ? SEXTANT_MC_STUDENT_T : SEXTANT_MC_NORMAL,
                                                    json_object_get_double_member (row, "dof"),
                                                    n_sims, 7, a, NULL, &error));
      g_assert_true (sextant_var_historical (a, n_sims,
                                             json_object_get_double_member (row, "confidence"),
                                             &var_mc, &es_mc, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (fabs (var_mc - json_object_get_double_member (row, "var")), <=,
                         4 * json_object_get_double_member (row, "se_var"));
      g_assert_cmpfloat (fabs (es_mc - json_object_get_double_member (row, "es")), <=,
                         4 * json_object_get_double_member (row, "se_es"));
    }

  g_assert_false (sextant_monte_carlo_portfolio (fx->mean, fx->covariance, w, fx->k,
                                                 SEXTANT_MC_STUDENT_T, 2, 10, 1, b, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A cancelled run stops with CANCELLED. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (sextant_monte_carlo_portfolio (fx->mean, fx->covariance, w, fx->k,
                                                   SEXTANT_MC_NORMAL, 0, 1000, 1, b, cancellable,
                                                   &error));
    g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_CANCELLED);
  }
}

/* Volatility contributions of the reference's risk-parity weights (risk_parity_long_only in
 * spisector_reference.json) are equal by construction, and sum to σ_p; those of equal weights
 * are R's (tests/data/risk/); the drawdown series of
 * the hand path 0.1, −0.5, 0.2, 1.0 is 0, 0.5, 0.4, 0 (wealth 1.1, 0.55, 0.66, 1.32). */
static void
test_contributions_and_underwater (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(GError) error = NULL;
  g_autofree double *w = g_new (double, fx->k);
  g_autofree double *c = g_new (double, fx->k);
  const double path[] = { 0.1, -0.5, 0.2, 1.0 };
  double dd[4], vol, sum = 0;

  spi_ref_weights (fx, "risk_parity_long_only", w);
  g_assert_true (sextant_risk_contributions (fx->covariance, w, fx->k, c, &vol, &error));
  for (gsize j = 0; j < fx->k; j++)
    {
      /* The reference weights carry 15 significant digits: equal to about 1e-12. */
      sextant_assert_close_rel (c[j], vol / fx->k, 1e-9);
      sum += c[j];
    }
  sextant_assert_close_rel (sum, vol, 1e-14);

  /* equal weights: volatility_contributions of the risk reference, w_i (Σw)_i / σ_p in R */
  for (gsize j = 0; j < fx->k; j++)
    w[j] = 1.0 / fx->k;
  g_assert_true (sextant_risk_contributions (fx->covariance, w, fx->k, c, &vol, &error));
  sextant_assert_close_rel (vol, json_object_get_double_member (fx->risk_ref, "portfolio_sd"), REL);
  for (gsize j = 0; j < fx->k; j++)
    sextant_assert_close_rel (c[j], risk_ref (fx, "volatility_contributions", fx->assets->names[j]),
                              REL);

  g_assert_true (sextant_drawdown_series (path, 4, dd, &error));
  g_assert_cmpfloat (dd[0], ==, 0);
  g_assert_cmpfloat_with_epsilon (dd[1], 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (dd[2], 0.4, 1e-15);
  g_assert_cmpfloat (dd[3], ==, 0);
}

static void
test_stress (void)
{
  const double r[] = { 0.01, -0.10, -0.10, 0.05, -0.20, 0.30, -0.02 };
  const double w[] = { 0.6, 0.4 }, shock[] = { -0.3, 0.1 };
  g_autoptr(GError) error = NULL;
  SextantStressWindow out[3];
  double contrib[2], total;
  gsize n_out;

  /* Windows of 2: products 1.01·0.9, 0.9·0.9 = 0.81, 0.9·1.05, 1.05·0.8 = 0.84, 0.8·1.3,
   * 1.3·0.98. Worst 0.81 at 1 (loss 0.19); next not overlapping it is 0.84 at 3 (loss 0.16);
   * then 1.274 at 5 (a gain, loss −0.274); nothing else fits. */
  g_assert_true (sextant_stress_worst_windows (r, 7, 2, 3, out, &n_out, &error));
  g_assert_cmpuint (n_out, ==, 3);
  g_assert_cmpuint (out[0].start, ==, 1);
  sextant_assert_close_rel (out[0].loss, 0.19, 1e-12);
  g_assert_cmpuint (out[1].start, ==, 3);
  sextant_assert_close_rel (out[1].loss, 0.16, 1e-12);
  g_assert_cmpuint (out[2].start, ==, 5);
  sextant_assert_close_rel (out[2].loss, -0.274, 1e-12);

  /* 0.6 · −0.3 + 0.4 · 0.1 = −0.14. */
  g_assert_true (sextant_stress_shock (w, shock, 2, &total, contrib, &error));
  sextant_assert_close_rel (total, -0.14, 1e-15);
  sextant_assert_close_rel (contrib[0], -0.18, 1e-15);

  g_assert_false (sextant_stress_worst_windows (r, 7, 8, 1, out, &n_out, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_HORIZON);
}

static void
test_bad_input (void)
{
  const double r[] = { 0.01, NAN, 0.02 }, flat[] = { 0.01, 0.01, 0.01 };
  g_autoptr(GError) error = NULL;
  SextantMoments m;
  double var;

  g_assert_false (sextant_var_historical (r, 3, 0.95, &var, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
  g_assert_nonnull (strstr (error->message, "Return 2"));
  g_clear_error (&error);
  g_assert_false (sextant_var_historical (flat, 3, 1.5, &var, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (sextant_var_historical (flat, 1, 0.95, &var, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_false (sextant_moments_compute (flat, 3, &m, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/risk/spisector-equal-weight", test_spisector_equal_weight);
  g_test_add_func ("/sextant/risk/component-var", test_component_var);
  g_test_add_func ("/sextant/risk/drawdown-dates", test_drawdown_dates);
  g_test_add_func ("/sextant/risk/stress-spisector", test_stress_spisector);
  g_test_add_func ("/sextant/risk/hand-cases", test_hand_cases);
  g_test_add_func ("/sextant/risk/historical-against-sort", test_historical_against_sort);
  g_test_add_func ("/sextant/risk/monte-carlo", test_monte_carlo);
  g_test_add_func ("/sextant/risk/contributions-and-underwater", test_contributions_and_underwater);
  g_test_add_func ("/sextant/risk/stress", test_stress);
  g_test_add_func ("/sextant/risk/bad-input", test_bad_input);

  return g_test_run ();
}
