#define G_LOG_DOMAIN "test-covariance"

#include "config.h"

#include <math.h>

#include "sextant-core.h"
#include "sextant-test-util.h"
#include "test-risk-fixture.h"

/* `mean` and `covariance_sample` of tests/data/portfolio/spisector_reference.json (R's
 * colMeans and cov, printed with 15 significant digits). */
static void
test_sample_against_reference (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  JsonArray *cov = json_object_get_array_member (fx->ref, "covariance_sample");

  g_assert_cmpuint (json_array_get_length (cov), ==, fx->k * fx->k);
  for (gsize j = 0; j < fx->k; j++)
    sextant_assert_close_rel (fx->mean[j], spi_ref_double (fx, "mean", fx->assets->names[j]), 1e-8);
  for (gsize i = 0; i < fx->k * fx->k; i++)
    sextant_assert_close_rel (fx->covariance[i], json_array_get_double_element (cov, i), 1e-8);
}

static void
test_correlation (void)
{
  /* Hand case: variances 4 and 9, covariance 3 → correlation 3 / (2 · 3) = 0.5. */
  const double cov[] = { 4, 3, 3, 9 }, bad[] = { 4, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  double corr[4];

  g_assert_true (sextant_correlation_from_covariance (cov, 2, corr, &error));
  g_assert_cmpfloat (corr[0], ==, 1);
  g_assert_cmpfloat_with_epsilon (corr[1], 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (corr[2], 0.5, 1e-15);
  g_assert_false (sextant_correlation_from_covariance (bad, 2, corr, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE);
}

/* Sextant shrinks towards the constant-correlation target of Ledoit and Wolf (2004), not the
 * scaled identity of their 2004 J. Multivariate Analysis paper (scikit-learn's ledoit_wolf) nor
 * corpcor's diagonal target, so the reference is the 2004 J. Portfolio Management formula
 * written out in R's matrix algebra: `ledoit_wolf_constant_correlation` of
 * tests/data/risk/spisector_risk_reference.json (make_risk_reference.R beside it). */
static void
test_ledoit_wolf (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(GError) error = NULL;
  g_autofree double *lw = g_new (double, fx->k * fx->k);
  g_autofree double *lower = g_new (double, fx->k * fx->k);
  JsonObject *ref = json_object_get_object_member (fx->risk_ref, "ledoit_wolf_constant_correlation");
  JsonArray *cov = json_object_get_array_member (ref, "covariance");
  double delta, r_bar = 0, t = fx->n;
  gsize k = fx->k;

  g_assert_true (sextant_covariance_ledoit_wolf (fx->assets, lw, &delta, &error));
  g_assert_no_error (error);
  sextant_assert_close_rel (delta, json_object_get_double_member (ref, "shrinkage"), 1e-10);
  g_assert_cmpfloat (delta, >, 0);
  g_assert_cmpfloat (delta, <, 1);
  g_assert_cmpuint (json_array_get_length (cov), ==, k * k);
  for (gsize i = 0; i < k * k; i++)
    sextant_assert_close_rel (lw[i], json_array_get_double_element (cov, i), 1e-10);

  /* Structure of δF + (1 − δ)S with S = sample · (t − 1)/t: the diagonal is untouched and each
   * off-diagonal entry moves towards r̄ √(s_ii s_jj). */
  for (gsize i = 0; i < k; i++)
    for (gsize j = 0; j < k; j++)
      if (i != j)
        r_bar += fx->covariance[i * k + j] / sqrt (fx->covariance[i * k + i] *
                                                   fx->covariance[j * k + j]);
  r_bar /= k * (k - 1.0);
  for (gsize i = 0; i < k; i++)
    for (gsize j = 0; j < k; j++)
      {
        double s_ij = fx->covariance[i * k + j] * (t - 1) / t;
        double f = i == j ? s_ij : r_bar * sqrt (fx->covariance[i * k + i] *
                                                 fx->covariance[j * k + j]) * (t - 1) / t;

        sextant_assert_close_rel (lw[i * k + j], delta * f + (1 - delta) * s_ij, 1e-12);
      }
  g_assert_true (sextant_cholesky (lw, k, lower, &error));
}

static void
test_cholesky (void)
{
  /* [[4, 2], [2, 5]] = L L' with L = [[2, 0], [1, 2]] by hand; [[1, 1], [1, 1]] is singular. */
  const double a[] = { 4, 2, 2, 5 }, singular[] = { 1, 1, 1, 1 };
  g_autoptr(GError) error = NULL;
  double l[4];

  g_assert_true (sextant_cholesky (a, 2, l, &error));
  g_assert_cmpfloat_with_epsilon (l[0], 2, 1e-15);
  g_assert_cmpfloat (l[1], ==, 0);
  g_assert_cmpfloat_with_epsilon (l[2], 1, 1e-15);
  g_assert_cmpfloat_with_epsilon (l[3], 2, 1e-15);
  g_assert_false (sextant_cholesky (singular, 2, l, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_SINGULAR);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/covariance/sample-reference", test_sample_against_reference);
  g_test_add_func ("/sextant/covariance/correlation", test_correlation);
  g_test_add_func ("/sextant/covariance/ledoit-wolf", test_ledoit_wolf);
  g_test_add_func ("/sextant/covariance/cholesky", test_cholesky);

  return g_test_run ();
}
