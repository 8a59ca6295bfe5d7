#pragma once

/* The benchmark's view of a peer library (TA-Lib, Tulip Indicators), built by build-peers.sh
 * with plain cc: no GLib here. Each peer has the same two entry points. */

typedef enum
{
  BENCH_SMA,
  BENCH_EMA,
  BENCH_WMA,
  BENCH_RSI,
  BENCH_MACD,
  BENCH_BBANDS,
  BENCH_ATR,
  BENCH_STOCH,
  BENCH_OBV,
  BENCH_ROLLING_VOL,
  BENCH_N_INDICATORS
} BenchIndicator;

/* The parameters every peer and Sextant use: SMA/EMA/WMA/BBANDS(20, 2), RSI/ATR(14),
 * MACD(12, 26, 9), STOCH(14, 3, 3) with SMA smoothing, rolling volatility over 20 returns. */
#define BENCH_PERIOD 20
#define BENCH_WILDER_PERIOD 14
#define BENCH_STOCH_K 14

typedef struct
{
  int           n;
  const double *close, *high, *low, *volume;
  double       *a, *b, *c;
} BenchPeerArrays;

/* NULL when the peer was built, otherwise why it was not (no npm, no network, …) */
const char *bench_peer_talib_missing (void);
const char *bench_peer_tulip_missing (void);

/* Runs one indicator over the whole arrays; returns 0 when the peer lacks it or is missing. */
int         bench_peer_talib_run     (BenchIndicator   indicator,
                                      BenchPeerArrays *arrays);
int         bench_peer_tulip_run     (BenchIndicator   indicator,
                                      BenchPeerArrays *arrays);
