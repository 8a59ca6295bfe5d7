#define G_LOG_DOMAIN "bench-indicators"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sextant-core.h"

/* Indicators on 1,000,000 random-walk points, best of 7 runs, against one streaming pass over
 * the same array (memcpy into another: the memory-bandwidth floor) measured in the same run.
 * TA-Lib's figures on this machine kind come from tests/data/README.md ("ta/"). Prints;
 * never asserts a time. */

#define N_POINTS 1000000
#define N_RUNS 7

typedef struct
{
  const double *x, *high, *low;
  double       *a, *b, *c;
} Arrays;

typedef void (*BenchFunc) (Arrays *arrays);

static void
run_copy (Arrays *s)
{
  memcpy (s->a, s->x, sizeof (double) * N_POINTS);
}

static void
run_sma (Arrays *s)
{
  g_assert_true (sextant_sma_compute (s->x, N_POINTS, 20, s->a, NULL));
}

static void
run_ema (Arrays *s)
{
  g_assert_true (sextant_ema_compute (s->x, N_POINTS, 20, s->a, NULL));
}

static void
run_rsi (Arrays *s)
{
  g_assert_true (sextant_rsi_compute (s->x, N_POINTS, 14, s->a, NULL));
}

static void
run_macd (Arrays *s)
{
  g_assert_true (sextant_macd_compute (s->x, N_POINTS, 12, 26, 9, s->a, s->b, s->c, NULL));
}

static void
run_bbands (Arrays *s)
{
  g_assert_true (sextant_bbands_compute (s->x, N_POINTS, 20, 2.0, s->a, s->b, s->c, NULL));
}

static void
run_atr (Arrays *s)
{
  g_assert_true (sextant_atr_compute (s->high, s->low, s->x, N_POINTS, 14, s->a, NULL));
}

static void
run_wma (Arrays *s)
{
  g_assert_true (sextant_wma_compute (s->x, N_POINTS, 20, s->a, NULL));
}

static void
run_stoch (Arrays *s)
{
  g_assert_true (sextant_stoch_compute (s->high, s->low, s->x, N_POINTS, 14, 3, 3, s->a, s->b,
                                        NULL));
}

static void
run_obv (Arrays *s)
{
  g_assert_true (sextant_obv_compute (s->x, s->high, N_POINTS, s->a, NULL));
}

static void
run_rolling_vol (Arrays *s)
{
  g_assert_true (sextant_rolling_volatility_compute (s->x, N_POINTS, 20, 252, s->a, NULL));
}

static double
best_ns_per_point (BenchFunc  func,
                   Arrays    *arrays)
{
  double best = G_MAXDOUBLE;

  for (guint r = 0; r < N_RUNS; r++)
    {
      gint64 start = g_get_monotonic_time ();

      func (arrays);
      best = MIN (best, (g_get_monotonic_time () - start) * 1000.0 / N_POINTS);
    }

  return best;
}

int
main (void)
{
  static const struct { const char *name; BenchFunc func; double talib; } cases[] = {
    { "SMA(20)", run_sma, 1.40 },
    { "EMA(20)", run_ema, 3.19 },
    { "RSI(14)", run_rsi, 9.12 },
    { "MACD(12,26,9)", run_macd, 22.5 },
    { "BBANDS(20,2)", run_bbands, 6.57 },
    { "ATR(14)", run_atr, 10.0 },
    { "WMA(20)", run_wma, NAN },
    { "STOCH(14,3,3)", run_stoch, NAN },
    { "OBV", run_obv, NAN },
    { "ROLLVOL(20)", run_rolling_vol, NAN },
  };
  g_autofree double *x = g_new (double, N_POINTS);
  g_autofree double *high = g_new (double, N_POINTS);
  g_autofree double *low = g_new (double, N_POINTS);
  g_autofree double *a = g_new (double, N_POINTS);
  g_autofree double *b = g_new (double, N_POINTS);
  g_autofree double *c = g_new (double, N_POINTS);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  Arrays arrays = { x, high, low, a, b, c };
  double copy, price = 100.0;

  /* a positive random walk with a daily range around each close */
  for (gsize i = 0; i < N_POINTS; i++)
    {
      price *= exp (0.01 * (g_rand_double (rand) - 0.5));
      x[i] = price;
      high[i] = price * (1.0 + 0.01 * g_rand_double (rand));
      low[i] = price * (1.0 - 0.01 * g_rand_double (rand));
    }

  copy = best_ns_per_point (run_copy, &arrays);
  printf ("Indicators on %d random-walk points, best of %d (TA-Lib figures: reference README)\n",
          N_POINTS, N_RUNS);
  printf ("(× README copy: ns/point over the README's 0.62 ns/point copy on the machine kind "
          "TA-Lib was timed on)\n");
  printf ("%-15s %9s %8s %16s %10s %14s\n", "", "ns/point", "× copy", "× README copy", "TA-Lib ns",
          "TA-Lib / ours");
  printf ("%-15s %9.3f %8.2f %16.2f %10.2f\n", "copy (floor)", copy, 1.0, copy / 0.62, 0.62);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double ns = best_ns_per_point (cases[i].func, &arrays);

      if (isnan (cases[i].talib))
        printf ("%-15s %9.3f %8.2f %16.2f %10s %14s\n", cases[i].name, ns, ns / copy, ns / 0.62,
                "-", "-");
      else
        printf ("%-15s %9.3f %8.2f %16.2f %10.2f %14.2f\n", cases[i].name, ns, ns / copy,
                ns / 0.62, cases[i].talib, cases[i].talib / ns);
    }

  return 0;
}
