#define G_LOG_DOMAIN "bench-rates"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "sextant-core.h"

/* Rates (issue 17): the targets are a 30-tenor Svensson fit in 2 ms and 10,000 bond
 * prices with durations in 10 ms. This prints Sextant's figures beside QuantLib's (through
 * quantlib-peer.py, timed inside Python) for the same bonds, and a SciPy least-squares Svensson
 * fit from one start, in the same run; none is asserted.
 *
 *   bench-rates [QUANTLIB-PEER.PY]   (meson passes the script) */

#define BONDS 10000
#define ROUNDS 5

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static void
curve_points (double *t,
              double *z)
{
  for (int i = 0; i < 30; i++)
    {
      t[i] = 0.25 + i;
      z[i] = 4 + 0.5 * (1 - exp (-t[i] / 2)) - 0.3 * exp (-t[i] / 5) * t[i] / 5;
    }
}

static double
bench_fit (SextantCurveModel model)
{
  double t[30], z[30], best = INFINITY;
  SextantCurveFit fit;

  curve_points (t, z);
  for (int r = 0; r < ROUNDS; r++)
    {
      double start = now ();

      g_assert_true (sextant_curve_fit (model, t, z, 30, &fit, NULL));
      best = MIN (best, now () - start);
    }
  return best;
}

/* Prices, durations and convexity of BONDS bonds: from scratch (schedule, flows) and on flows
 * built beforehand, as a book would keep them. */
static void
bench_bonds (double *scratch,
             double *prebuilt)
{
  SextantBond bond = { 0, sextant_day_from_ymd (2034, 11, 15), 2, SEXTANT_DAY_COUNT_ACT_ACT_ICMA,
                       100 };
  gint32 settlement = sextant_day_from_ymd (2026, 12, 7);
  g_autoptr(GPtrArray) flows = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_bond_flows_free);
  SextantBondAnalytics a;
  double sum = 0;

  *scratch = *prebuilt = INFINITY;
  for (int i = 0; i < BONDS; i++)
    {
      bond.coupon = 0.01 + i * 1e-6;
      g_ptr_array_add (flows, sextant_bond_flows_new (&bond, settlement, NULL));
    }
  for (int r = 0; r < ROUNDS; r++)
    {
      double start = now ();

      for (int i = 0; i < BONDS; i++)
        {
          bond.coupon = 0.01 + i * 1e-6;
          sextant_bond_from_yield (&bond, settlement, 0.04, &a, NULL);
          sum += a.dirty_price;
        }
      *scratch = MIN (*scratch, now () - start);
      start = now ();
      for (int i = 0; i < BONDS; i++)
        {
          bond.coupon = 0.01 + i * 1e-6;
          sextant_bond_flows_analytics (flows->pdata[i], &bond, 0.04, &a, NULL);
          sum += a.dirty_price;
        }
      *prebuilt = MIN (*prebuilt, now () - start);
    }
  g_assert_true (sum > 0);
}

/* QuantLib's bond seconds and SciPy's fit seconds, or FALSE after printing why there are none. */
static gboolean
run_peer (const char *script,
          double     *bonds,
          double     *fit)
{
  g_autofree char *count = g_strdup_printf ("%d", BONDS);
  g_autofree char *rounds = g_strdup_printf ("%d", ROUNDS);
  const char *argv[] = { "/usr/bin/python3", script, count, rounds, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  char *end;
  int status;

  if (script == NULL)
    {
      printf ("PEER UNAVAILABLE: QuantLib: no path to quantlib-peer.py was given (run it "
              "through meson test); Sextant's own figures follow\n");
      return FALSE;
    }
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                     &error))
    {
      printf ("PEER UNAVAILABLE: QuantLib: could not run /usr/bin/python3: %s; Sextant's own "
              "figures follow\n", error->message);
      return FALSE;
    }
  if (WIFEXITED (status) && WEXITSTATUS (status) == 3)
    {
      printf ("%s; Sextant's own figures follow\n", g_strstrip (out));
      return FALSE;
    }
  lines = g_strsplit (g_strstrip (out), "\n", 2);
  *bonds = g_ascii_strtod (lines[0], &end);
  *fit = g_ascii_strtod (end, NULL);
  if (!g_spawn_check_wait_status (status, NULL) || lines[1] == NULL || !(*bonds > 0))
    {
      printf ("PEER UNAVAILABLE: QuantLib: quantlib-peer.py printed no time (%s); Sextant's "
              "own figures follow\n", g_strstrip (err));
      return FALSE;
    }
  printf ("peer: %s, best of %d, same run\n", lines[1], ROUNDS);
  return TRUE;
}

int
main (int argc, char *argv[])
{
  double svensson = bench_fit (SEXTANT_CURVE_MODEL_SVENSSON);
  double nelson_siegel = bench_fit (SEXTANT_CURVE_MODEL_NELSON_SIEGEL);
  double scratch, prebuilt, peer_bonds = NAN, peer_fit = NAN;
  gboolean peer;

  bench_bonds (&scratch, &prebuilt);
  peer = run_peer (argc > 1 ? argv[1] : NULL, &peer_bonds, &peer_fit);
  printf ("Svensson fit, 30 tenors: %.3f ms (target 2 ms: %.2f×)", svensson * 1e3,
          svensson * 1e3 / 2);
  if (peer)
    printf ("; SciPy least_squares from one start %.3f ms (%.2f× Sextant's time)", peer_fit * 1e3,
            peer_fit / svensson);
  printf ("\nNelson-Siegel fit, 30 tenors: %.3f ms\n", nelson_siegel * 1e3);
  printf ("%d bonds, price + durations + convexity: %.3f ms from scratch (target 10 ms: %.2f×), "
          "%.3f ms on built cash flows", BONDS, scratch * 1e3, scratch * 1e3 / 10, prebuilt * 1e3);
  if (peer)
    printf ("; QuantLib through Python %.1f ms (%.1f× Sextant's from scratch)", peer_bonds * 1e3,
            peer_bonds / scratch);
  printf ("\n");
  return 0;
}
