#define G_LOG_DOMAIN "bench-indicators"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sextant-core.h"
#include "bench-peers.h"

/* Each indicator on the same 1,000,000-point random walk, timed for Sextant and for its peers
 * TA-Lib and Tulip Indicators (built from their npm packages by build-peers.sh, plain cc -O2) in
 * this run, best of N_ROUNDS × N_BURST (thread CPU time) with the three taking turns. Prints
 * Sextant's time over the faster peer's; never asserts a time, and no figure comes from another
 * day. Beside them, timed in the same turns, the memory floor (run_floor()): the arrays are far
 * larger than the caches, and where the floor over the peer is above 0.5× no implementation can
 * take half the peer's time. */

#define N_POINTS 1000000
#define N_ROUNDS 3
#define N_BURST 4

typedef int (*BenchFunc) (BenchIndicator   indicator,
                          BenchPeerArrays *arrays);

static int
run_sextant (BenchIndicator   indicator,
             BenchPeerArrays *s)
{
  const gsize n = s->n;

  switch (indicator)
    {
    case BENCH_SMA:
      return sextant_sma_compute (s->close, n, BENCH_PERIOD, s->a, NULL);
    case BENCH_EMA:
      return sextant_ema_compute (s->close, n, BENCH_PERIOD, s->a, NULL);
    case BENCH_WMA:
      return sextant_wma_compute (s->close, n, BENCH_PERIOD, s->a, NULL);
    case BENCH_RSI:
      return sextant_rsi_compute (s->close, n, BENCH_WILDER_PERIOD, s->a, NULL);
    case BENCH_MACD:
      return sextant_macd_compute (s->close, n, 12, 26, 9, s->a, s->b, s->c, NULL);
    case BENCH_BBANDS:
      return sextant_bbands_compute (s->close, n, BENCH_PERIOD, 2.0, s->a, s->b, s->c, NULL);
    case BENCH_ATR:
      return sextant_atr_compute (s->high, s->low, s->close, n, BENCH_WILDER_PERIOD, s->a, NULL);
    case BENCH_STOCH:
      return sextant_stoch_compute (s->high, s->low, s->close, n, BENCH_STOCH_K, 3, 3, s->a, s->b,
                                    NULL);
    case BENCH_OBV:
      return sextant_obv_compute (s->close, s->volume, n, s->a, NULL);
    case BENCH_ROLLING_VOL:
      return sextant_rolling_volatility_compute (s->close, n, BENCH_PERIOD, 252, s->a, NULL);
    case BENCH_N_INDICATORS:
    default:
      g_assert_not_reached ();
    }
}

#ifdef __SSE2__
#include <emmintrin.h>
typedef __m128d V2;
#define LOAD2(p) _mm_loadu_pd (p)
/* non-temporal when the floor streams (the outputs are 16-byte aligned then) */
#define STORE2(p, v) (stream ? _mm_stream_pd ((p), (v)) : _mm_storeu_pd ((p), (v)))
#define ADD2(u, v) _mm_add_pd ((u), (v))
#else
typedef struct { double x, y; } V2;
#define LOAD2(p) ((V2) { (p)[0], (p)[1] })
#define STORE2(p, v) ((p)[0] = (v).x, (p)[1] = (v).y)
#define ADD2(u, v) ((V2) { (u).x + (v).x, (u).y + (v).y })
#endif

/* How many series each indicator reads and writes, for the memory floor below */
static const guint n_inputs[BENCH_N_INDICATORS] = { 1, 1, 1, 1, 1, 1, 3, 3, 2, 1 };
static const guint n_outputs[BENCH_N_INDICATORS] = { 1, 1, 1, 1, 3, 3, 1, 2, 1, 1 };

/* The memory floor: one pass that reads the indicator's inputs and writes its outputs, and does
 * nothing else, with ordinary stores or (@stream) non-temporal ones, which skip reading the
 * output's lines first; the faster of the two is printed. No implementation of the indicator can
 * be faster on these arrays; a target ratio to a peer that is itself within that ratio of the
 * floor cannot be met, whatever the algorithm. */
static int
floor_pass (BenchIndicator   indicator,
            BenchPeerArrays *s,
            int              stream)
{
  const double *in0 = s->close, *in1 = indicator == BENCH_OBV ? s->volume : s->high;
  const double *in2 = s->low;
  double *a = s->a, *b = s->b, *c = s->c;
  const gsize n = s->n & ~(gsize) 1;

  /* two points a step with SSE2's 16-byte moves where there are, so that the floor is the
   * memory's cost and not this loop's */
  switch (n_inputs[indicator] * 10 + n_outputs[indicator])
    {
    case 11:
      for (gsize i = 0; i < n; i += 2)
        STORE2 (a + i, LOAD2 (in0 + i));
      break;
    case 13:
      for (gsize i = 0; i < n; i += 2)
        {
          V2 v = LOAD2 (in0 + i);

          STORE2 (a + i, v);
          STORE2 (b + i, v);
          STORE2 (c + i, v);
        }
      break;
    case 21:
      for (gsize i = 0; i < n; i += 2)
        STORE2 (a + i, ADD2 (LOAD2 (in0 + i), LOAD2 (in1 + i)));
      break;
    case 31:
    case 32:
      for (gsize i = 0; i < n; i += 2)
        {
          V2 v = ADD2 (ADD2 (LOAD2 (in0 + i), LOAD2 (in1 + i)), LOAD2 (in2 + i));

          STORE2 (a + i, v);
          if (n_outputs[indicator] == 2)
            STORE2 (b + i, v);
        }
      break;
    default:
      g_assert_not_reached ();
    }
#ifdef __SSE2__
  if (stream)
    _mm_sfence ();
#endif

  return 1;
}

static int
run_floor (BenchIndicator   indicator,
           BenchPeerArrays *s)
{
  return floor_pass (indicator, s, 0);
}

/* the non-temporal floor, where the outputs allow it */
static int
run_floor_stream (BenchIndicator   indicator,
                  BenchPeerArrays *s)
{
#ifdef __SSE2__
  if ((((guintptr) s->a | (guintptr) s->b | (guintptr) s->c) & 15) == 0)
    return floor_pass (indicator, s, 1);
#endif
  return 0;
}

static double
thread_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One timed call in ns per point, or NaN when @func lacks the indicator. The clock is this
 * thread's CPU time: the machine is shared, and time spent descheduled would otherwise land on
 * whichever implementation was running. */
static double
time_once (BenchFunc        func,
           BenchIndicator   indicator,
           BenchPeerArrays *arrays)
{
  double start = thread_ns ();

  if (!func (indicator, arrays))
    return NAN;

  return (thread_ns () - start) / N_POINTS;
}

static void
print_ns (double ns)
{
  if (isnan (ns))
    printf (" %9s", "-");
  else
    printf (" %9.3f", ns);
}

int
main (void)
{
  static const char * const names[BENCH_N_INDICATORS] = {
    "SMA(20)", "EMA(20)", "WMA(20)", "RSI(14)", "MACD(12,26,9)", "BBANDS(20,2)", "ATR(14)",
    "STOCH(14,3,3)", "OBV", "ROLLVOL(20)",
  };
  const BenchFunc funcs[] = { run_sextant, bench_peer_talib_run, bench_peer_tulip_run, run_floor,
                              run_floor_stream };
  const char *missing[] = { NULL, bench_peer_talib_missing (), bench_peer_tulip_missing (), NULL,
                            NULL };
  const char *peer_names[] = { "Sextant", "TA-Lib", "Tulip", "Floor", "Floor (streaming)" };
  g_autofree double *close = g_new (double, N_POINTS);
  g_autofree double *high = g_new (double, N_POINTS);
  g_autofree double *low = g_new (double, N_POINTS);
  g_autofree double *volume = g_new (double, N_POINTS);
  g_autofree double *a = g_new0 (double, N_POINTS);
  g_autofree double *b = g_new0 (double, N_POINTS);
  g_autofree double *c = g_new0 (double, N_POINTS);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  BenchPeerArrays arrays = { N_POINTS, close, high, low, volume, a, b, c };
  double price = 100.0, worst = 0.0;
  guint n_compared = 0, n_within = 0;

  /* a positive random walk with a daily range around each close and a random volume */
  for (gsize i = 0; i < N_POINTS; i++)
    {
      price *= exp (0.01 * (g_rand_double (rand) - 0.5));
      close[i] = price;
      high[i] = price * (1.0 + 0.01 * g_rand_double (rand));
      low[i] = price * (1.0 - 0.01 * g_rand_double (rand));
      volume[i] = g_rand_double_range (rand, 1e5, 1e7);
    }

  printf ("Indicators on %d random-walk points, CPU ns/point, best of %d (%d rounds of %d), all "
          "timed in this run\n", N_POINTS, N_ROUNDS * N_BURST, N_ROUNDS, N_BURST);
  for (guint p = 1; p < 3; p++)
    if (missing[p] != NULL)
      printf ("PEER UNAVAILABLE: %s (%s); its column is empty\n", peer_names[p], missing[p]);
    else
      printf ("peer: %s, built from its npm package with cc -O2\n", peer_names[p]);
  printf ("Floor: one pass reading the indicator's inputs and writing its outputs, nothing more (the "
          "faster of ordinary and non-temporal stores)\n");
  printf ("%-15s %9s %9s %9s %28s %9s %16s\n", "", "Sextant", "TA-Lib", "Tulip",
          "Sextant / faster peer", "Floor", "Floor / peer");

  for (guint i = 0; i < BENCH_N_INDICATORS; i++)
    {
      double best[] = { G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE }, peer;

      /* The three take turns, N_BURST runs each, N_ROUNDS times, so that a slow spell of the
       * machine hits them alike. Runs come in bursts because a peer's temporary arrays (TA_MACD
       * allocates two of n values) evict the caches: run by run, whoever followed it was timed
       * against memory, not in its best case. */
      for (guint r = 0; r < N_ROUNDS; r++)
        for (guint p = 0; p < G_N_ELEMENTS (funcs); p++)
          for (guint k = 0; k < N_BURST; k++)
            {
              double ns = time_once (funcs[p], i, &arrays);

              best[p] = MIN (best[p], ns);
            }
      for (guint p = 0; p < G_N_ELEMENTS (funcs); p++)
        if (best[p] == G_MAXDOUBLE)
          best[p] = NAN;

      printf ("%-15s", names[i]);
      for (guint p = 0; p < 3; p++)
        print_ns (best[p]);
      peer = fmin (best[1], best[2]);   /* fmin ignores a NaN */
      if (isnan (peer))
        {
          printf (" %28s\n", "- (no peer)");
          continue;
        }
      printf (" %20.2f× %-6s", best[0] / peer, best[1] <= best[2] || isnan (best[2])
                                               ? "TA-Lib" : "Tulip");
      best[3] = fmin (best[3], best[4]);
      print_ns (best[3]);
      printf (" %15.2f×%s\n", best[3] / peer,
              i == BENCH_ROLLING_VOL ? " (not counted: a different formula)" : "");
      /* ti_volatility takes simple returns and the population deviation, and needs no
       * logarithm: a neighbour, not a peer, so it is shown but not counted */
      if (i == BENCH_ROLLING_VOL)
        continue;
      n_compared++;
      n_within += best[0] / peer <= 0.5;
      worst = MAX (worst, best[0] / peer);
    }

  if (n_compared == 0)
    printf ("No peer was available: nothing to compare with\n");
  else
    printf ("%u of %u indicators with a peer take at most 0.5× the faster peer's time; "
            "the slowest ratio is %.2f×\n", n_within, n_compared, worst);

  return 0;
}
