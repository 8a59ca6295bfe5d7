#define G_LOG_DOMAIN "bench-risk"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sextant-core.h"

/* Monte Carlo VaR throughput: 1,000,000 scenarios of a 50-asset portfolio, normal and Student t.
 * The baseline, measured in the same run, is drawing the same number of standard normals with
 * the same generator (MT19937 + ziggurat) into nothing else: the cost of the randomness alone. */

#define N_ASSETS 50
#define N_SIMS 1000000

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  g_autofree double *cov = g_new0 (double, N_ASSETS * N_ASSETS);
  g_autofree double *mean = g_new (double, N_ASSETS);
  g_autofree double *w = g_new (double, N_ASSETS);
  g_autofree double *out = g_new (double, N_SIMS);
  g_autoptr(GError) error = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double t0, base_ms, normal_ms, t_ms, var_ms, sink = 0, var, es;
  double normals = (double) N_SIMS * N_ASSETS;

  for (gsize i = 0; i < N_ASSETS; i++)
    {
      double beta = 0.5 + i / (double) N_ASSETS;

      mean[i] = 2e-4;
      w[i] = 1.0 / N_ASSETS;
      for (gsize j = 0; j < N_ASSETS; j++)
        cov[i * N_ASSETS + j] = 1e-4 * beta * (0.5 + j / (double) N_ASSETS);
      cov[i * N_ASSETS + i] += 2e-4;
    }

  t0 = now_ms ();
  for (gsize s = 0; s < (gsize) normals; s++)
    sink += gsl_ran_gaussian_ziggurat (rng, 1.0);
  base_ms = now_ms () - t0;

  t0 = now_ms ();
  g_assert_true (sextant_monte_carlo_portfolio (mean, cov, w, N_ASSETS, SEXTANT_MC_NORMAL, 0,
                                                N_SIMS, 1, out, NULL, &error));
  normal_ms = now_ms () - t0;
  t0 = now_ms ();
  g_assert_true (sextant_var_historical (out, N_SIMS, 0.99, &var, &es, &error));
  var_ms = now_ms () - t0;
  t0 = now_ms ();
  g_assert_true (sextant_monte_carlo_portfolio (mean, cov, w, N_ASSETS, SEXTANT_MC_STUDENT_T, 5,
                                                N_SIMS, 1, out, NULL, &error));
  t_ms = now_ms () - t0;

  printf ("Sextant Monte Carlo VaR benchmark (%d scenarios × %d assets, one core)\n", N_SIMS,
          N_ASSETS);
  printf ("baseline, %.0f standard normals alone: %.1f ms (%.1f M normals/s; checksum %.3g)\n",
          normals, base_ms, normals / base_ms / 1e3, sink);
  printf ("Monte Carlo normal: %.1f ms, %.1f M normals/s, ratio to baseline %.2f\n", normal_ms,
          normals / normal_ms / 1e3, normal_ms / base_ms);
  printf ("Monte Carlo Student t (ν = 5): %.1f ms, ratio to baseline %.2f\n", t_ms, t_ms / base_ms);
  printf ("VaR and ES (selection over %d returns): %.1f ms (VaR99 %.5f, ES99 %.5f)\n", N_SIMS, var_ms,
          var, es);
  gsl_rng_free (rng);

  return 0;
}
