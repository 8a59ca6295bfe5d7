#define G_LOG_DOMAIN "test-yield-curve"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Expected numbers: tests/data/rates/curve_reference.json, made by make_curve_reference.py from
 * the Treasury par curves of treasury_par_2025-02.csv — QuantLib 1.29 for the bootstrap,
 * discount factors, forwards, key-rate durations and shocks; numpy/SciPy for interpolation and
 * the Nelson-Siegel and Svensson fits (README.md there). */

static JsonNode *
load_reference (void)
{
  g_autofree char *path = sextant_test_reference_path ("rates/curve_reference.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *root;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  return root;
}

static double *
numbers (JsonObject *object,
         const char *member,
         gsize      *n)
{
  JsonArray *array = json_object_get_array_member (object, member);
  double *values = g_new (double, json_array_get_length (array));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      values[i] = JSON_NODE_HOLDS_NULL (node) ? NAN : json_node_get_double (node);
    }
  if (n)
    *n = json_array_get_length (array);
  return values;
}

static SextantYieldCurve *
curve_for (JsonObject *c)
{
  g_autofree double *months = NULL, *par = NULL;
  g_autoptr(GError) error = NULL;
  SextantYieldCurve *curve;
  gint32 as_of;
  gsize n;

  g_assert_true (sextant_day_parse_iso (json_object_get_string_member (c, "date"), &as_of));
  months = numbers (c, "months", &n);
  par = numbers (c, "par", NULL);
  for (gsize i = 0; i < n; i++)
    par[i] /= 100;
  curve = sextant_yield_curve_bootstrap (as_of, months, par, n, &error);
  g_assert_no_error (error);
  return curve;
}

static void
test_bootstrap (void)
{
  g_autoptr(JsonNode) root = load_reference ();
  JsonArray *curves = json_object_get_array_member (json_node_get_object (root), "curves");

  g_assert_cmpuint (json_array_get_length (curves), ==, 3);
  for (guint c = 0; c < json_array_get_length (curves); c++)
    {
      JsonObject *ref = json_array_get_object_element (curves, c);
      g_autoptr(SextantYieldCurve) curve = curve_for (ref);
      g_autofree double *times = numbers (ref, "times", NULL);
      g_autofree double *discount = numbers (ref, "discount", NULL);
      g_autofree double *zero = numbers (ref, "zero", NULL);
      g_autofree double *forward = numbers (ref, "forward", NULL);
      g_autofree double *query = NULL, *query_discount = NULL;
      gsize n_query;

      for (gsize i = 0; i < curve->n; i++)
        {
          double previous = i > 0 ? curve->time[i - 1] : 0;

          sextant_assert_close_rel (curve->time[i], times[i], 1e-15);
          sextant_assert_close_rel (curve->discount[i], discount[i], 1e-12);
          sextant_assert_close_rel (sextant_yield_curve_zero (curve, curve->time[i]) * 100, zero[i],
                                    1e-10);
          sextant_assert_close_rel (sextant_yield_curve_forward (curve, previous, curve->time[i])
                                    * 100, forward[i], 1e-9);
        }
      query = numbers (ref, "query_times", &n_query);
      query_discount = numbers (ref, "query_discount", NULL);
      for (gsize q = 0; q < n_query; q++)
        sextant_assert_close_rel (sextant_yield_curve_discount (curve, query[q]), query_discount[q],
                                  1e-12);
    }
}

static void
test_interpolation (void)
{
  g_autoptr(JsonNode) root = load_reference ();
  JsonArray *curves = json_object_get_array_member (json_node_get_object (root), "curves");

  for (guint c = 0; c < json_array_get_length (curves); c++)
    {
      JsonObject *ref = json_array_get_object_element (curves, c);
      gsize n, n_query;
      g_autofree double *times = numbers (ref, "times", &n);
      g_autofree double *zero = numbers (ref, "zero", NULL);
      g_autofree double *query = numbers (ref, "query_times", &n_query);
      g_autofree double *linear = numbers (ref, "query_zero_linear", NULL);
      g_autofree double *pchip = numbers (ref, "query_zero_pchip", NULL);
      g_autofree double *got = g_new (double, n_query);
      g_autoptr(GError) error = NULL;

      g_assert_true (sextant_curve_interpolate (SEXTANT_CURVE_INTERP_LINEAR, times, zero, n, query,
                                                got, n_query, &error));
      for (gsize q = 0; q < n_query; q++)
        sextant_assert_close_rel (got[q], linear[q], 1e-14);
      g_assert_true (sextant_curve_interpolate (SEXTANT_CURVE_INTERP_MONOTONE_CUBIC, times, zero, n,
                                                query, got, n_query, &error));
      for (gsize q = 0; q < n_query; q++)
        if (isnan (pchip[q]))
          g_assert_cmpfloat (got[q], ==, query[q] < times[0] ? zero[0] : zero[n - 1]);
        else
          sextant_assert_close_rel (got[q], pchip[q], 1e-13);
    }
}

static void
check_fit (JsonObject        *ref,
           const char        *member,
           SextantCurveModel  model)
{
  JsonObject *fit_ref = json_object_get_object_member (ref, member);
  JsonObject *params = json_object_get_object_member (fit_ref, "params");
  gsize n;
  g_autofree double *times = numbers (ref, "times", &n);
  g_autofree double *zero = numbers (ref, "zero", NULL);
  g_autofree double *fitted = numbers (fit_ref, "fitted", NULL);
  SextantCurveFit fit;
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_curve_fit (model, times, zero, n, &fit, &error));
  g_assert_no_error (error);
  /* The least squares optimum is flat in τ: the error and the fitted curve are compared tightly,
   * the parameters as far as the data determine them. */
  sextant_assert_close_rel (fit.rmse, json_object_get_double_member (fit_ref, "rmse"), 1e-8);
  for (gsize i = 0; i < n; i++)
    sextant_assert_close_mixed (sextant_curve_fit_value (&fit, times[i]), fitted[i], 1e-7);
  if (model == SEXTANT_CURVE_MODEL_NELSON_SIEGEL)
    {
      sextant_assert_close_rel (fit.tau[0], json_object_get_double_member (params, "tau"), 1e-6);
      for (int k = 0; k < 3; k++)
        {
          g_autofree char *name = g_strdup_printf ("beta%d", k);

          sextant_assert_close_mixed (fit.beta[k], json_object_get_double_member (params, name),
                                      1e-6);
        }
    }
  else
    {
      sextant_assert_close_rel (fit.tau[0], json_object_get_double_member (params, "tau1"), 1e-4);
      sextant_assert_close_rel (fit.tau[1], json_object_get_double_member (params, "tau2"), 1e-4);
      for (int k = 0; k < 4; k++)
        {
          g_autofree char *name = g_strdup_printf ("beta%d", k);

          sextant_assert_close_mixed (fit.beta[k], json_object_get_double_member (params, name),
                                      1e-4);
        }
    }
}

static void
test_fits (void)
{
  g_autoptr(JsonNode) root = load_reference ();
  JsonArray *curves = json_object_get_array_member (json_node_get_object (root), "curves");

  for (guint c = 0; c < json_array_get_length (curves); c++)
    {
      JsonObject *ref = json_array_get_object_element (curves, c);

      check_fit (ref, "nelson_siegel", SEXTANT_CURVE_MODEL_NELSON_SIEGEL);
      check_fit (ref, "svensson", SEXTANT_CURVE_MODEL_SVENSSON);
    }
}

static void
test_key_rates_and_shocks (void)
{
  g_autoptr(JsonNode) root = load_reference ();
  JsonArray *curves = json_object_get_array_member (json_node_get_object (root), "curves");
  static const char * const kinds[] = { "parallel", "twist", "butterfly" };

  for (guint c = 0; c < json_array_get_length (curves); c++)
    {
      JsonObject *ref = json_array_get_object_element (curves, c);
      JsonObject *bond_ref = json_object_get_object_member (ref, "bond");
      JsonObject *shocks = json_object_get_object_member (bond_ref, "shocks");
      g_autoptr(SextantYieldCurve) curve = curve_for (ref);
      g_autofree double *krd_ref = numbers (bond_ref, "key_rate_durations", NULL);
      g_autofree double *krd = g_new (double, curve->n);
      SextantBond bond = { json_object_get_double_member (bond_ref, "coupon") / 100, 0, 2,
                           SEXTANT_DAY_COUNT_ACT_ACT_ICMA,
                           json_object_get_double_member (bond_ref, "face") };
      g_autoptr(GError) error = NULL;
      double dirty;

      g_assert_true (sextant_day_parse_iso (json_object_get_string_member (bond_ref, "maturity"),
                                            &bond.maturity));
      g_assert_true (sextant_yield_curve_price_bond (curve, &bond, &dirty, &error));
      sextant_assert_close_rel (dirty, json_object_get_double_member (bond_ref, "dirty_price"), 1e-11);
      /* With no spread the spread-aware price is the same number (the spread's own figures are
       * checked against QuantLib by test-cli-shock). */
      {
        double spread_dirty, duration;

        g_assert_true (sextant_yield_curve_price_bond_spread (curve, &bond, 0, &spread_dirty,
                                                              &duration, &error));
        g_assert_cmpfloat (spread_dirty, ==, dirty);
        g_assert_cmpfloat (duration, >, 0);
        g_assert_false (sextant_yield_curve_price_bond_spread (curve, &bond, NAN, &spread_dirty,
                                                               NULL, &error));
        g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
        g_clear_error (&error);
      }
      g_assert_true (sextant_curve_key_rate_durations (curve, &bond, krd, &error));
      g_assert_no_error (error);
      /* Central differences of 1 bp: both sides round the same way only to about 1e-9 of the
       * duration, so the comparison is absolute against the largest key rate. */
      for (gsize k = 0; k < curve->n; k++)
        if (fabs (krd[k] - krd_ref[k]) > 1e-7)
          g_error ("key rate %" G_GSIZE_FORMAT ": %.17g, QuantLib %.17g", k, krd[k], krd_ref[k]);
      for (int s = 0; s < 3; s++)
        {
          JsonObject *shock = json_object_get_object_member (shocks, kinds[s]);
          double after, pnl;

          g_assert_true (sextant_curve_shock_pnl (curve, &bond, (SextantCurveShockKind) s,
                                                  json_object_get_double_member (shock, "size_bp")
                                                  / 1e4, &after, &pnl, &error));
          sextant_assert_close_rel (after, json_object_get_double_member (shock, "dirty_price"),
                                    1e-11);
          sextant_assert_close_rel (pnl, json_object_get_double_member (shock, "pnl"), 1e-9);
        }
    }
}

/* A steep, partly negative curve: no reference library is needed to know that each par bond
 * must price at 100 on the curve bootstrapped from it. */
static void
test_steep_curve_reprices (void)
{
  const double months[] = { 1, 12, 120, 360 }, par[] = { 0.043, -0.002, 0.15, 0.16 };
  const double impossible[] = { 0.043, -0.002, 0.15, 0.40 };
  gint32 as_of = sextant_day_from_ymd (2025, 2, 14);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantYieldCurve) curve = sextant_yield_curve_bootstrap (as_of, months, par, 4,
                                                                       &error);

  g_assert_no_error (error);
  for (gsize k = 1; k < 4; k++)
    {
      SextantBond bond = { par[k], curve->maturity[k], 2, SEXTANT_DAY_COUNT_ACT_ACT_ICMA, 100 };
      double dirty;

      if (par[k] < 0)
        continue;   /* a bond's coupon is not negative; that node is checked through the next */
      g_assert_true (sextant_yield_curve_price_bond (curve, &bond, &dirty, &error));
      sextant_assert_close_rel (dirty, 100, 1e-12);
    }
  /* At 40 % the 30-year bond's coupons before the 10-year node are already worth more than
   * 100: no curve prices it at par, and the error says so. */
  g_clear_pointer (&curve, sextant_yield_curve_free);
  curve = sextant_yield_curve_bootstrap (as_of, months, impossible, 4, &error);
  g_assert_null (curve);
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "360-month par bond of 40 %"));
}

static void
test_bad_curves (void)
{
  const double months[] = { 1, 3, 3 }, par[] = { 0.04, 0.041, 0.042 };
  const double nan_par[] = { 0.04, NAN, 0.042 };
  g_autoptr(GError) error = NULL;
  SextantCurveFit fit;

  g_assert_null (sextant_yield_curve_bootstrap (20000, months, par, 3, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_DATE_ORDER);
  g_clear_error (&error);
  g_assert_null (sextant_yield_curve_bootstrap (20000, months, nan_par, 2, &error));
  g_assert_nonnull (strstr (error->message, "3-month par yield is nan"));
  g_clear_error (&error);
  g_assert_null (sextant_yield_curve_bootstrap (20000, months, par, 0, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_false (sextant_curve_fit (SEXTANT_CURVE_MODEL_SVENSSON, months, par, 3, &fit, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY);
  g_clear_error (&error);
  /* Zero rates (the ECB's spot curve) are checked alike, and named as zero rates. */
  g_assert_null (sextant_yield_curve_from_zero (20000, months, nan_par, 2, &error));
  g_assert_nonnull (strstr (error->message, "3-month zero rate is nan"));
  g_clear_error (&error);
  g_assert_null (sextant_yield_curve_from_zero (20000, months, par, 3, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_DATE_ORDER);
  g_clear_error (&error);
  g_assert_null (sextant_yield_curve_from_zero (20000, months, par, 0, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sextant/yield-curve/bootstrap-against-quantlib", test_bootstrap);
  g_test_add_func ("/sextant/yield-curve/interpolation-against-scipy", test_interpolation);
  g_test_add_func ("/sextant/yield-curve/fits-against-scipy", test_fits);
  g_test_add_func ("/sextant/yield-curve/key-rates-and-shocks-against-quantlib",
                   test_key_rates_and_shocks);
  g_test_add_func ("/sextant/yield-curve/steep-curve-reprices", test_steep_curve_reprices);
  g_test_add_func ("/sextant/yield-curve/bad-curves", test_bad_curves);
  return g_test_run ();
}
