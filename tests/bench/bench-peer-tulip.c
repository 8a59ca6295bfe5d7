/* Tulip Indicators behind bench-peers.h; compiled by build-peers.sh, with BENCH_PEER_MISSING
 * set to the reason when Tulip could not be built. */

#include <stddef.h>

#include "bench-peers.h"

#ifdef BENCH_PEER_MISSING

const char *
bench_peer_tulip_missing (void)
{
  return BENCH_PEER_MISSING;
}

int
bench_peer_tulip_run (BenchIndicator   indicator,
                      BenchPeerArrays *s)
{
  (void) indicator;
  (void) s;
  return 0;
}

#else

#include "indicators.h"

const char *
bench_peer_tulip_missing (void)
{
  return NULL;
}

/* ti_volatility is the peer of Sextant's rolling volatility: the same work (a window of
 * returns, annualised by √252) with simple rather than log returns and the population rather
 * than the sample deviation, so its values differ; only its time is compared. */
int
bench_peer_tulip_run (BenchIndicator   indicator,
                      BenchPeerArrays *s)
{
  const double period[] = { BENCH_PERIOD, 2.0 };
  const double wilder[] = { BENCH_WILDER_PERIOD };
  const double macd[] = { 12, 26, 9 };
  const double stoch[] = { BENCH_STOCH_K, 3, 3 };
  const double *close[] = { s->close };
  const double *hlc[] = { s->high, s->low, s->close };
  const double *cv[] = { s->close, s->volume };
  double *a[] = { s->a }, *ab[] = { s->a, s->b }, *abc[] = { s->a, s->b, s->c };

  switch (indicator)
    {
    case BENCH_SMA:
      return ti_sma (s->n, close, period, a) == TI_OKAY;
    case BENCH_EMA:
      return ti_ema (s->n, close, period, a) == TI_OKAY;
    case BENCH_WMA:
      return ti_wma (s->n, close, period, a) == TI_OKAY;
    case BENCH_RSI:
      return ti_rsi (s->n, close, wilder, a) == TI_OKAY;
    case BENCH_MACD:
      return ti_macd (s->n, close, macd, abc) == TI_OKAY;
    case BENCH_BBANDS:
      return ti_bbands (s->n, close, period, abc) == TI_OKAY;
    case BENCH_ATR:
      return ti_atr (s->n, hlc, wilder, a) == TI_OKAY;
    case BENCH_STOCH:
      return ti_stoch (s->n, hlc, stoch, ab) == TI_OKAY;
    case BENCH_OBV:
      return ti_obv (s->n, cv, NULL, a) == TI_OKAY;
    case BENCH_ROLLING_VOL:
      return ti_volatility (s->n, close, period, a) == TI_OKAY;
    case BENCH_N_INDICATORS:
    default:
      return 0;
    }
}

#endif
