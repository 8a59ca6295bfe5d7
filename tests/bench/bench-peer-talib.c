/* TA-Lib behind bench-peers.h; compiled by build-peers.sh, with BENCH_PEER_MISSING set to the
 * reason when TA-Lib could not be built. */

#include <stddef.h>

#include "bench-peers.h"

#ifdef BENCH_PEER_MISSING

const char *
bench_peer_talib_missing (void)
{
  return BENCH_PEER_MISSING;
}

int
bench_peer_talib_run (BenchIndicator   indicator,
                      BenchPeerArrays *s)
{
  (void) indicator;
  (void) s;
  return 0;
}

#else

#include "ta_libc.h"

const char *
bench_peer_talib_missing (void)
{
  return NULL;
}

/* TA-Lib writes from index 0 of the output; where is irrelevant to the timing. TA-Lib has no
 * rolling volatility. */
int
bench_peer_talib_run (BenchIndicator   indicator,
                      BenchPeerArrays *s)
{
  const int last = s->n - 1;
  TA_RetCode rc;
  int beg, nb;

  switch (indicator)
    {
    case BENCH_SMA:
      rc = TA_SMA (0, last, s->close, BENCH_PERIOD, &beg, &nb, s->a);
      break;
    case BENCH_EMA:
      rc = TA_EMA (0, last, s->close, BENCH_PERIOD, &beg, &nb, s->a);
      break;
    case BENCH_WMA:
      rc = TA_WMA (0, last, s->close, BENCH_PERIOD, &beg, &nb, s->a);
      break;
    case BENCH_RSI:
      rc = TA_RSI (0, last, s->close, BENCH_WILDER_PERIOD, &beg, &nb, s->a);
      break;
    case BENCH_MACD:
      rc = TA_MACD (0, last, s->close, 12, 26, 9, &beg, &nb, s->a, s->b, s->c);
      break;
    case BENCH_BBANDS:
      rc = TA_BBANDS (0, last, s->close, BENCH_PERIOD, 2.0, 2.0, TA_MAType_SMA, &beg, &nb, s->a,
                      s->b, s->c);
      break;
    case BENCH_ATR:
      rc = TA_ATR (0, last, s->high, s->low, s->close, BENCH_WILDER_PERIOD, &beg, &nb, s->a);
      break;
    case BENCH_STOCH:
      rc = TA_STOCH (0, last, s->high, s->low, s->close, BENCH_STOCH_K, 3, TA_MAType_SMA, 3,
                     TA_MAType_SMA, &beg, &nb, s->a, s->b);
      break;
    case BENCH_OBV:
      rc = TA_OBV (0, last, s->close, s->volume, &beg, &nb, s->a);
      break;
    case BENCH_ROLLING_VOL:
    case BENCH_N_INDICATORS:
    default:
      return 0;
    }

  return rc == TA_SUCCESS && nb > 0;
}

#endif
