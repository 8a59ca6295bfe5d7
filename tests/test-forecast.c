#define G_LOG_DOMAIN "test-forecast"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "analytics/sextant-forecast.h"
#include "sextant-test-util.h"

static SextantPriceSeries *
load_msft (void)
{
  g_autofree char *path = sextant_test_reference_path ("market/msft_2000-09_2001-09_ohlcv.csv");
  g_autoptr(GError) error = NULL;
  SextantPriceSeries *series = sextant_csv_read_price_series (path, "MSFT", &error);

  g_assert_no_error (error);
  return series;
}

/* Hand calculations of the two building blocks. */
static void
test_hand_cases (void)
{
  const double y[] = { 0, 1, 3 };
  double level, trend, sse;

  /* Variance factor, α = 0.5, β = 0.1, φ = 0.9: c₁ = 0.5 + 0.1·0.9 = 0.59,
   * c₂ = 0.5 + 0.1·(0.9 + 0.81) = 0.671; factors 1, 1 + 0.59² = 1.3481,
   * 1.3481 + 0.671² = 1.798341. */
  g_assert_cmpfloat_with_epsilon (sextant_damped_trend_variance_factor (0.5, 0.1, 0.9, 1), 1.0,
                                  1e-15);
  g_assert_cmpfloat_with_epsilon (sextant_damped_trend_variance_factor (0.5, 0.1, 0.9, 2),
                                  1.3481, 1e-14);
  g_assert_cmpfloat_with_epsilon (sextant_damped_trend_variance_factor (0.5, 0.1, 0.9, 3),
                                  1.798341, 1e-14);

  /* SSE on y = 0, 1, 3 with α = 0.5, β = 0.2, φ = 0.9: ℓ₀ = 0, b₀ = (3 − 0)/2 = 1.5.
   * t=1: f = 1.35, e = −0.35, ℓ = 1.175, b = 1.35 − 0.07 = 1.28.
   * t=2: f = 1.175 + 1.152 = 2.327, e = 0.673, ℓ = 2.6635, b = 1.152 + 0.1346 = 1.2866.
   * SSE = 0.1225 + 0.452929 = 0.575429. */
  sse = sextant_damped_trend_sse (y, 3, 0.5, 0.2, 0.9, &level, &trend);
  g_assert_cmpfloat_with_epsilon (sse, 0.575429, 1e-14);
  g_assert_cmpfloat_with_epsilon (level, 2.6635, 1e-14);
  g_assert_cmpfloat_with_epsilon (trend, 1.2866, 1e-14);
}

static JsonParser *
load_reference (const char *name)
{
  g_autofree char *path = sextant_test_reference_path (name);
  g_autoptr(GError) error = NULL;
  JsonParser *parser = json_parser_new ();

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return parser;
}

static double
ref_at (JsonObject *ref,
        const char *member,
        guint       j)
{
  return json_array_get_double_element (json_object_get_array_member (ref, member), j);
}

/*
 * Against tests/data/forecast/<file> (R's forecast package, make_ets_reference.R beside it):
 * the same ETS(A,Ad,N) on log prices with the same fixed initial states, bounds and SSE.
 * - Sextant's recursion at R's optimum gives R's SSE and final states (rounding only).
 * - Sextant's own optimum is at least as good as R's (the surface is flat: a tie at 1e-9).
 * - Its point forecasts and hold-out errors are R's; the parameters need not be, since in the
 *   flat directions different ones give the same forecasts to about 1e-7.
 * - Intervals: R estimates σ² = SSE / sigma2_r_denominator (n − 6), Sextant SSE / (n − 3);
 *   the log-space half-widths are compared after that rescaling.
 * - The hold-out fits of both series sit on a bound (φ = 0.8, and β = 0 for KO), which R's
 *   L-BFGS-B reaches exactly and Sextant's logistic map only approaches, so the hold-out errors
 *   agree to 1e-5 rather than 1e-6.
 */
static void
check_against_r (const double *close,
                 gsize         n,
                 const char   *reference)
{
  g_autoptr(JsonParser) parser = load_reference (reference);
  JsonObject *ref = json_node_get_object (json_parser_get_root (parser));
  guint h = json_object_get_int_member (ref, "horizon");
  double n_err = json_object_get_int_member (ref, "n_errors");
  double scale = sqrt (json_object_get_int_member (ref, "sigma2_r_denominator") / (n_err - 3));
  double r_sse = json_object_get_double_member (ref, "sse"), level, trend, sse;
  g_autoptr(SextantForecast) f = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *y = g_new (double, n);

  g_assert_cmpuint (n, ==, json_object_get_int_member (ref, "n_prices"));
  for (gsize i = 0; i < n; i++)
    y[i] = log (close[i]);
  sse = sextant_damped_trend_sse (y, n, json_object_get_double_member (ref, "alpha"),
                                  json_object_get_double_member (ref, "beta"),
                                  json_object_get_double_member (ref, "phi"), &level, &trend);
  sextant_assert_close_rel (sse, r_sse, 1e-11);
  sextant_assert_close_rel (level, json_object_get_double_member (ref, "final_level"), 1e-13);
  g_assert_cmpfloat_with_epsilon (trend, json_object_get_double_member (ref, "final_trend"), 1e-13);

  f = sextant_forecast_damped_trend (close, n, h, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sextant_damped_trend_sse (y, n, f->alpha, f->beta, f->phi, NULL, NULL), <=,
                     r_sse * (1 + 1e-9));
  sextant_assert_close_rel (f->sigma * f->sigma, r_sse / (n_err - 3), 1e-7);
  for (guint j = 0; j < h; j++)
    {
      double mean = ref_at (ref, "log_mean", j);

      sextant_assert_close_rel (f->point[j], ref_at (ref, "point", j), 1e-6);
      sextant_assert_close_rel (log (f->upper95[j]) - log (f->point[j]),
                                (ref_at (ref, "log_upper95", j) - mean) * scale, 1e-6);
      sextant_assert_close_rel (log (f->point[j]) - log (f->lower80[j]),
                                (mean - ref_at (ref, "log_lower80", j)) * scale, 1e-6);
    }
  sextant_assert_close_rel (f->rmse, json_object_get_double_member (ref, "holdout_rmse"), 1e-5);
  sextant_assert_close_rel (f->naive_rmse, json_object_get_double_member (ref, "naive_rmse"), 1e-12);
  sextant_assert_close_rel (f->skill_ratio, json_object_get_double_member (ref, "skill_ratio"), 1e-5);
}

static void
test_msft_against_r (void)
{
  g_autoptr(SextantPriceSeries) series = load_msft ();

  check_against_r (sextant_price_series_get_close (series),
                   sextant_price_series_get_length (series), "forecast/msft_ets_reference.json");
}

/* The KO column of the Dow Jones closes, whose forecast the agent's tool also reports. */
static void
test_ko_against_r (void)
{
  g_autofree char *path = sextant_test_reference_path ("market/dowjones30_1990-2001_closes.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceTable) table = sextant_csv_read_price_table (path, &error);
  int column;

  g_assert_no_error (error);
  column = sextant_price_table_find_column (table, "KO");
  g_assert_cmpint (column, >=, 0);
  check_against_r (sextant_price_table_get_column (table, column),
                   sextant_price_table_get_n_rows (table), "forecast/ko_ets_reference.json");
}

/* A property check with no outside reference: the fit's SSE, by Sextant's own SSE function, is
 * not beaten by any of 500 random parameter sets inside the bounds, and the intervals nest. */
static void
test_fit_beats_random_points (void)
{
  g_autoptr(SextantPriceSeries) series = load_msft ();
  const double *close = sextant_price_series_get_close (series);
  gsize n = sextant_price_series_get_length (series);
  g_autoptr(SextantForecast) f = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autofree double *y = g_new (double, n);
  double best;

  f = sextant_forecast_damped_trend (close, n, 10, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    y[i] = log (close[i]);
  best = sextant_damped_trend_sse (y, n, f->alpha, f->beta, f->phi, NULL, NULL);
  g_assert_cmpfloat (f->beta, <, f->alpha);
  g_assert_cmpfloat (f->phi, >=, 0.8);
  g_assert_cmpfloat (f->phi, <=, 0.98);
  for (guint i = 0; i < 500; i++)
    {
      double alpha = g_rand_double_range (rand, 1e-4, 0.9999);
      double beta = alpha * g_rand_double (rand);
      double phi = g_rand_double_range (rand, 0.8, 0.98);

      g_assert_cmpfloat (best, <=, sextant_damped_trend_sse (y, n, alpha, beta, phi, NULL, NULL)
                                     * (1 + 1e-9));
    }

  /* intervals nest around the point and widen with the horizon */
  for (guint j = 0; j < 10; j++)
    {
      g_assert_cmpfloat (f->lower95[j], <, f->lower80[j]);
      g_assert_cmpfloat (f->lower80[j], <, f->point[j]);
      g_assert_cmpfloat (f->point[j], <, f->upper80[j]);
      g_assert_cmpfloat (f->upper80[j], <, f->upper95[j]);
      if (j > 0)
        g_assert_cmpfloat (f->upper95[j] - f->lower95[j], >, f->upper95[j - 1] - f->lower95[j - 1]);
    }
  g_assert_true (isfinite (f->skill_ratio) && f->skill_ratio > 0);
}

/* On a steady 1 %-a-period trend with a small wiggle, the damped trend must beat the naive
 * forecast clearly on the 10 held-out points: naive errors grow like 1 %, 2 %, … 10 % of the
 * price, the trend's stay near the wiggle and the damping's shortfall (Σφ^j vs j). */
static void
test_trend_has_skill (void)
{
  double prices[120];
  g_autoptr(SextantForecast) f = NULL;
  g_autoptr(GError) error = NULL;

  for (guint t = 0; t < 120; t++)
    prices[t] = 100 * exp (0.01 * t + 0.001 * sin (t));
  f = sextant_forecast_damped_trend (prices, 120, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (f->skill_ratio, <, 0.5);
  g_assert_cmpfloat (f->point[0], >, prices[119]);
}

/*
 * GBM cone. Hold-out by hand: the fit window is prices[0 .. n−h−1], m' = ln (p[n−h−1]/p[0]) /
 * (n−h−1), forecast p[n−h−1]·e^{m' j}; naive = p[n−h−1]. The simulated median at h must be
 * within 5 standard errors of the analytic median S_n e^{m h}: in log space the sample median's
 * standard error is √(π/2)·s√h/√N.
 */
static void
test_gbm_cone (void)
{
  g_autoptr(SextantPriceSeries) series = load_msft ();
  const double *p = sextant_price_series_get_close (series);
  gsize n = sextant_price_series_get_length (series);
  const guint h = 5, paths = 20000;
  g_autoptr(SextantForecast) f = NULL;
  g_autoptr(SextantForecast) g = NULL;
  g_autoptr(GError) error = NULL;
  double m1, se = 0, nse = 0, m, median;

  f = sextant_forecast_gbm (p, n, h, paths, 77, NULL, &error);
  g_assert_no_error (error);
  g = sextant_forecast_gbm (p, n, h, paths, 77, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (f->upper95, sizeof (double) * h, g->upper95, sizeof (double) * h);

  m1 = log (p[n - h - 1] / p[0]) / (n - h - 1);
  for (guint j = 0; j < h; j++)
    {
      double fc = p[n - h - 1] * exp (m1 * (j + 1)), actual = p[n - h + j];

      se += (fc - actual) * (fc - actual);
      nse += (p[n - h - 1] - actual) * (p[n - h - 1] - actual);
    }
  sextant_assert_close_rel (f->rmse, sqrt (se / h), 1e-12);
  sextant_assert_close_rel (f->naive_rmse, sqrt (nse / h), 1e-12);
  sextant_assert_close_rel (f->skill_ratio, sqrt (se / nse), 1e-12);

  m = log (p[n - 1] / p[0]) / (n - 1);
  sextant_assert_close_rel (f->drift, m, 1e-12);
  median = p[n - 1] * exp (m * h);
  g_assert_cmpfloat (fabs (log (f->point[h - 1] / median)), <=,
                     5 * sqrt (G_PI / 2) * f->sigma * sqrt (h) / sqrt (paths));
  g_assert_cmpfloat (f->lower95[h - 1], <, f->lower80[h - 1]);
  g_assert_cmpfloat (f->upper80[h - 1], <, f->upper95[h - 1]);
}

static void
test_bad_input (void)
{
  double prices[40];
  GError *error = NULL;

  for (guint i = 0; i < 40; i++)
    prices[i] = 10 + i % 3;

  g_assert_null (sextant_forecast_damped_trend (prices, 40, 21, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_HORIZON);
  g_clear_error (&error);
  g_assert_null (sextant_forecast_damped_trend (prices, 40, 0, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (sextant_forecast_gbm (prices, 40, 5, 10, 1, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (sextant_forecast_damped_trend (prices, 1, 1, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY);
  g_clear_error (&error);

  prices[7] = NAN;
  g_assert_null (sextant_forecast_damped_trend (prices, 40, 5, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
  g_assert_nonnull (strstr (error->message, "Price 8"));
  g_clear_error (&error);
  prices[7] = -1;
  g_assert_null (sextant_forecast_gbm (prices, 40, 5, 1000, 1, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE);
  g_clear_error (&error);

  for (guint i = 0; i < 40; i++)
    prices[i] = 10;
  g_assert_null (sextant_forecast_damped_trend (prices, 40, 5, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE);
  g_clear_error (&error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/forecast/hand-cases", test_hand_cases);
  g_test_add_func ("/sextant/forecast/msft-against-r", test_msft_against_r);
  g_test_add_func ("/sextant/forecast/ko-against-r", test_ko_against_r);
  g_test_add_func ("/sextant/forecast/fit-beats-random-points", test_fit_beats_random_points);
  g_test_add_func ("/sextant/forecast/trend-has-skill", test_trend_has_skill);
  g_test_add_func ("/sextant/forecast/gbm-cone", test_gbm_cone);
  g_test_add_func ("/sextant/forecast/bad-input", test_bad_input);

  return g_test_run ();
}
