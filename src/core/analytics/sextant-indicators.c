#define G_LOG_DOMAIN "sextant-indicators"

#include "config.h"

#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if (defined (__GNUC__) || defined (__clang__)) && defined (__x86_64__)
#include <immintrin.h>
#define HAVE_AVX2_KERNELS 1
#endif

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-indicators.h"

/* TA-Lib treats |x| < 1e-8 as zero in RSI and a variance below 1e-8 as zero in BBANDS
 * (TA_IS_ZERO, TA_IS_ZERO_OR_NEG in ta_func.h); we keep the same thresholds so that flat
 * stretches give the same 0 it gives. */
#define TA_EPSILON 1e-8

/*
 * Non-finite inputs are found without a separate validation pass where the computation's
 * running state depends on every input (running sums, EMA and Wilder chains): NaN is sticky in
 * additions and inf − inf is NaN, so a finite final state proves every input finite. Only when it
 * is not do we scan for the row to name. Indicators whose state can skip an input (ATR's true
 * range, Stochastic, OBV) check their inputs explicitly.
 */
static gboolean
report_non_finite (const char    *what,
                   const double  *values,
                   gsize          n,
                   GError       **error)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (values[i]))
      {
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                     "%s: row %" G_GSIZE_FORMAT " is not a finite number (%g)",
                     what, i + 1, values[i]);
        return FALSE;
      }

  g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
               "%s: the values are too large (the computation overflowed)", what);
  return FALSE;
}

static gboolean
check_finite (const char    *what,
              const double  *values,
              gsize          n,
              GError       **error)
{
  double p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0;
  gsize i = 0;

  /* x·0 is NaN exactly when x is NaN or ±inf, and ±0 otherwise; one branch-free pass. On x86-64
   * the products are OR-ed together (NaN's exponent bits survive, a latency of one cycle per
   * step), eight values per step; elsewhere summed in four chains. */
#ifdef __SSE2__
  {
    const __m128d zero = _mm_setzero_pd ();
    __m128d acc0 = zero, acc1 = zero, acc2 = zero, acc3 = zero;

    for (; i + 7 < n; i += 8)
      {
        acc0 = _mm_or_pd (acc0, _mm_mul_pd (_mm_loadu_pd (values + i), zero));
        acc1 = _mm_or_pd (acc1, _mm_mul_pd (_mm_loadu_pd (values + i + 2), zero));
        acc2 = _mm_or_pd (acc2, _mm_mul_pd (_mm_loadu_pd (values + i + 4), zero));
        acc3 = _mm_or_pd (acc3, _mm_mul_pd (_mm_loadu_pd (values + i + 6), zero));
      }
    acc0 = _mm_or_pd (_mm_or_pd (acc0, acc1), _mm_or_pd (acc2, acc3));
    /* ±0 | ±0 is ±0; any NaN lane leaves a NaN bit pattern, which adds as NaN */
    p0 = _mm_cvtsd_f64 (acc0) + _mm_cvtsd_f64 (_mm_unpackhi_pd (acc0, acc0));
  }
#endif
  for (; i + 3 < n; i += 4)
    {
      p0 += values[i] * 0.0;
      p1 += values[i + 1] * 0.0;
      p2 += values[i + 2] * 0.0;
      p3 += values[i + 3] * 0.0;
    }
  for (; i < n; i++)
    p0 += values[i] * 0.0;

  return isfinite (p0 + p1 + p2 + p3) ? TRUE : report_non_finite (what, values, n, error);
}

static gboolean
check_input (const char    *what,
             const double  *values,
             gsize          n,
             guint          period,
             guint          min_period,
             GError       **error)
{
  if (values == NULL || n == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "%s: the series is empty", what);
      return FALSE;
    }
  if (period < min_period || period > SEXTANT_INDICATOR_MAX_PERIOD)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "%s: the period must be between %u and %u, not %u",
                   what, min_period, SEXTANT_INDICATOR_MAX_PERIOD, period);
      return FALSE;
    }

  return TRUE;
}

static void
fill_nan (double *out,
          gsize   from,
          gsize   to)
{
  for (gsize i = from; i < to; i++)
    out[i] = NAN;
}

/*
 * TA_INT_SMA keeps a running sum, adding the new value and then dropping the trailing one: two
 * dependent additions per point, which bound its speed. Here the difference x[i] − x[i − N] is
 * formed off the chain and the sum advances by two points per dependent addition (the middle
 * value is sum + d₀, also off the chain). The result differs from TA-Lib's by rounding only.
 * Returns the final running sum, which is NaN if any input was not finite.
 */
static double
sma_run (const double *x,
         gsize         n,
         guint         period,
         double       *out)
{
  const double inv = 1.0 / period;
  double sum = 0.0;
  gsize i;

  for (i = 0; i < period; i++)
    sum += x[i];
  out[period - 1] = sum * inv;

  for (i = period; i + 1 < n; i += 2)
    {
      double d0 = x[i] - x[i - period];
      double d1 = x[i + 1] - x[i + 1 - period];

      out[i] = (sum + d0) * inv;
      sum += d0 + d1;
      out[i + 1] = sum * inv;
    }
  for (; i < n; i++)
    {
      sum += x[i] - x[i - period];
      out[i] = sum * inv;
    }

  return sum;
}

/**
 * sextant_sma_compute:
 * @values: (array length=n): the series
 * @n: its length
 * @period: the window, 1 … %SEXTANT_INDICATOR_MAX_PERIOD
 * @out: (out caller-allocates) (array length=n): the simple moving average; first value at
 *   index @period − 1
 * @error: return location for an error naming the first non-finite row
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_sma_compute (const double  *values,
                     gsize          n,
                     guint          period,
                     double        *out,
                     GError       **error)
{
  if (!check_input ("SMA", values, n, period, 1, error))
    return FALSE;

  fill_nan (out, 0, MIN (n, period - 1));
  if (n < period)
    return check_finite ("SMA", values, n, error);

  if (!isfinite (sma_run (values, n, period, out)))
    return report_non_finite ("SMA", values, n, error);

  return TRUE;
}

/* The seed of TA_INT_EMA: the plain average of x[from .. from + period − 1]. */
static double
ema_seed (const double *x,
          gsize         from,
          guint         period)
{
  double sum = 0.0;

  for (gsize i = from; i < from + period; i++)
    sum += x[i];

  return sum / period;
}

/* Four EMA steps at once: @y receives the four values, the new state is returned; only the
 * last multiply-add is on the dependency chain, the three values between are formed beside it. */
static inline double
ema_step4 (double        prev,
           double        a,
           double        b,
           const double *x,
           double       *y)
{
  const double a2 = a * a;
  double u0 = b * x[0], u1 = b * x[1], u2 = b * x[2], u3 = b * x[3];
  double s01 = a * u0 + u1, s012 = a * s01 + u2;

  y[0] = a * prev + u0;
  y[1] = a2 * prev + s01;
  y[2] = a2 * a * prev + s012;
  return y[3] = a2 * a2 * prev + (a * s012 + u3);
}

/*
 * EMA is a first-order recursion, so its speed is bound by the latency of the chain
 * prev → prev, not by memory. Writing it as prev = a·prev + b·x (a = 1 − k, b = k) keeps only
 * one multiply and one add on that chain instead of TA-Lib's subtract, multiply and add; and
 * stepping four points at a time (prev₄ = a⁴·prev + (a³b·x₁ + a²b·x₂ + ab·x₃ + b·x₄)) quarters
 * the chain per point.
 * The rounding differs from TA-Lib's form by a few ulps, and the recursion is contracting
 * (|a| < 1), so the outputs stay within ~1e-15 relative of TA-Lib's.
 */
static double
ema_run (const double *x,
         gsize         start,
         gsize         n,
         double        k,
         double        prev,
         double       *out)
{
  const double a = 1.0 - k, b = k;
  gsize i = start;

  for (; i + 3 < n; i += 4)
    prev = ema_step4 (prev, a, b, x + i, out + i);
  for (; i < n; i++)
    out[i] = prev = a * prev + b * x[i];

  return prev;
}

/**
 * sextant_ema_compute:
 * @values: (array length=n): the series
 * @n: its length
 * @period: 1 … %SEXTANT_INDICATOR_MAX_PERIOD
 * @out: (out caller-allocates) (array length=n): the exponential moving average with
 *   k = 2 / (period + 1), seeded with the simple average of the first @period values (TA-Lib's
 *   default); first value at index @period − 1
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_ema_compute (const double  *values,
                     gsize          n,
                     guint          period,
                     double        *out,
                     GError       **error)
{
  double prev;

  if (!check_input ("EMA", values, n, period, 1, error))
    return FALSE;

  fill_nan (out, 0, MIN (n, period - 1));
  if (n < period)
    return check_finite ("EMA", values, n, error);

  prev = out[period - 1] = ema_seed (values, 0, period);
  prev = ema_run (values, period, n, 2.0 / (period + 1.0), prev, out);
  if (!isfinite (prev))
    return report_non_finite ("EMA", values, n, error);

  return TRUE;
}

/*
 * TA_WMA's O(1) update, with S the window's plain sum and W its weighted sum:
 * S_i = S_{i−1} + d_i (d_i = x_i − x_{i−N}) and W_i = W_{i−1} − S_{i−1} + N·x_i. Point by point
 * that is two dependent additions per point. Four points at once,
 * S_{i+3} = S_{i−1} + (d₀ + d₁ + d₂ + d₃) and W_{i+3} = W_{i−1} + (N·Σx − (3d₀ + 2d₁ + d₂) − 4·S_{i−1}),
 * so each chain takes one addition per four points, the three values between are formed beside
 * them, and the result is W / (N(N + 1)/2) as a multiplication. The sums are associated
 * differently from TA-Lib's, which moves the last bits only. Returns S + W at the end, NaN or
 * ±inf if an input was not finite (every input enters S).
 */
#ifdef HAVE_AVX2_KERNELS
/* {v₀, v₀ + v₁, v₀ + v₁ + v₂, v₀ + … + v₃}: two shifted additions */
__attribute__ ((target ("avx2"))) static inline __m256d
prefix4 (__m256d v)
{
  const __m256d zero = _mm256_setzero_pd ();

  v = _mm256_add_pd (v, _mm256_blend_pd (_mm256_permute4x64_pd (v, _MM_SHUFFLE (2, 1, 0, 0)),
                                         zero, 1));
  return _mm256_add_pd (v, _mm256_permute2f128_pd (v, v, 0x08));
}

/*
 * wma_run()'s recurrences four points to a vector: with D the window's changes d_k and E the
 * weighted sum's, e_k = N·x_k − S_{k−1}, the four plain sums before each point are S + (prefix
 * of D − D), the four weighted sums W + prefix of E; S and W then advance by the last lanes of
 * the prefixes, which are formed beside the chains, so that each chain is one addition per four
 * points. Starts at @i with @sum and @wsum, which it updates; returns where it stopped.
 */
__attribute__ ((target ("avx2"))) static gsize
wma_run_avx2 (const double *x,
              gsize         i,
              gsize         n,
              guint         period,
              double       *sum,
              double       *wsum,
              double       *out)
{
  const __m256d vp = _mm256_set1_pd (period), vinv = _mm256_set1_pd (2.0 / (period * (period + 1.0)));
  __m256d vs = _mm256_set1_pd (*sum), vw = _mm256_set1_pd (*wsum);

  for (; i + 3 < n; i += 4)
    {
      __m256d xs = _mm256_loadu_pd (x + i);
      __m256d d = _mm256_sub_pd (xs, _mm256_loadu_pd (x + i - period));
      __m256d pd = prefix4 (d);
      __m256d e = _mm256_sub_pd (_mm256_mul_pd (vp, xs), _mm256_add_pd (vs, _mm256_sub_pd (pd, d)));
      __m256d pe = prefix4 (e);

      _mm256_storeu_pd (out + i, _mm256_mul_pd (_mm256_add_pd (vw, pe), vinv));
      vw = _mm256_add_pd (vw, _mm256_permute4x64_pd (pe, 0xff));
      vs = _mm256_add_pd (vs, _mm256_permute4x64_pd (pd, 0xff));
    }
  *sum = _mm256_cvtsd_f64 (vs);
  *wsum = _mm256_cvtsd_f64 (vw);

  return i;
}

/* The AVX2 kernels also use FMA (every processor with AVX2 has had it, but each is asked).
 * SEXTANT_INDICATORS_NO_AVX2 keeps the SSE2 and scalar kernels, so that tests check them too on
 * a machine with AVX2. */
static gboolean
use_avx2 (void)
{
  return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma") &&
         g_getenv ("SEXTANT_INDICATORS_NO_AVX2") == NULL;
}

/* An EMA-like recursion y = a·y + b·x four points to a vector (ema_scan4()); @prev holds y in
 * every lane. */
typedef struct
{
  __m256d a, a2, b, powers, a4, prev;
} EmaScan4;

__attribute__ ((target ("avx2"))) static inline void
ema_scan4_init (EmaScan4 *scan,
                double    a,
                double    b,
                double    prev)
{
  scan->a = _mm256_set1_pd (a);
  scan->a2 = _mm256_set1_pd (a * a);
  scan->b = _mm256_set1_pd (b);
  scan->powers = _mm256_set_pd (a * a * a * a, a * a * a, a * a, a);
  scan->a4 = _mm256_set1_pd (a * a * a * a);
  scan->prev = _mm256_set1_pd (prev);
}

/*
 * The next four values y_k = a^(k+1)·y + Σ_{j≤k} a^(k−j)·b·x_j: the weighted prefix sum in two
 * shifted steps, then the chain y → a⁴·y + (its last lane), one fused multiply-add per four
 * points. The rounding differs from the point-by-point form's by a few ulps; the recursion is
 * contracting (|a| < 1).
 */
__attribute__ ((target ("avx2,fma"))) static inline __m256d
ema_scan4 (EmaScan4 *scan,
           __m256d   x)
{
  __m256d u = _mm256_mul_pd (scan->b, x), t, y;

  t = _mm256_fmadd_pd (scan->a, _mm256_blend_pd (_mm256_permute4x64_pd (u, _MM_SHUFFLE (2, 1, 0, 0)),
                                                 _mm256_setzero_pd (), 1), u);
  t = _mm256_fmadd_pd (scan->a2, _mm256_permute2f128_pd (t, t, 0x08), t);
  y = _mm256_fmadd_pd (scan->powers, scan->prev, t);
  scan->prev = _mm256_fmadd_pd (scan->a4, scan->prev, _mm256_permute4x64_pd (t, 0xff));

  return y;
}

/* four values to @p, non-temporally when @stream (then @p is 16-byte aligned) */
__attribute__ ((target ("avx2"))) static inline void
store_quad_avx (double  *p,
                __m256d  v,
                gboolean stream)
{
  if (stream)
    {
      _mm_stream_pd (p, _mm256_castpd256_pd128 (v));
      _mm_stream_pd (p + 2, _mm256_extractf128_pd (v, 1));
    }
  else
    _mm256_storeu_pd (p, v);
}
#endif

static double
wma_run (const double *x,
         gsize         n,
         guint         period,
         double       *out)
{
  const double p = period, inv = 2.0 / (p * (p + 1.0));
  double sum = 0.0, wsum = 0.0;
  gsize i;

  for (i = 0; i < period; i++)
    {
      sum += x[i];
      wsum += x[i] * (i + 1.0);
    }
  out[period - 1] = wsum * inv;

  i = period;
#ifdef HAVE_AVX2_KERNELS
  if (use_avx2 ())
    i = wma_run_avx2 (x, i, n, period, &sum, &wsum, out);
#endif
  for (; i + 3 < n; i += 4)
    {
      double d0 = x[i] - x[i - period], d1 = x[i + 1] - x[i + 1 - period];
      double d2 = x[i + 2] - x[i + 2 - period], d3 = x[i + 3] - x[i + 3 - period];
      double s0 = sum + d0, s1 = sum + (d0 + d1);
      double w0 = wsum + (p * x[i] - sum);
      double w1 = w0 + (p * x[i + 1] - s0);
      double w2 = w1 + (p * x[i + 2] - s1);
      double px = p * ((x[i] + x[i + 1]) + (x[i + 2] + x[i + 3]));

      out[i] = w0 * inv;
      out[i + 1] = w1 * inv;
      out[i + 2] = w2 * inv;
      wsum += (px - ((3.0 * d0 + 2.0 * d1) + d2)) - 4.0 * sum;
      out[i + 3] = wsum * inv;
      sum += (d0 + d1) + (d2 + d3);
    }
  for (; i < n; i++)
    {
      wsum += p * x[i] - sum;
      sum += x[i] - x[i - period];
      out[i] = wsum * inv;
    }

  return sum + wsum;
}

/**
 * sextant_wma_compute:
 * @values: (array length=n): the series
 * @n: its length
 * @period: 1 … %SEXTANT_INDICATOR_MAX_PERIOD
 * @out: (out caller-allocates) (array length=n): the linearly weighted moving average, weights
 *   1 … @period (newest heaviest) over @period (@period + 1) / 2; first value at @period − 1
 * @error: return location for an error
 *
 * Updated in O(1) per point as TA_WMA does: the weighted sum loses the plain window sum when the
 * window slides (see wma_run()).
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_wma_compute (const double  *values,
                     gsize          n,
                     guint          period,
                     double        *out,
                     GError       **error)
{
  if (!check_input ("WMA", values, n, period, 1, error))
    return FALSE;

  fill_nan (out, 0, MIN (n, period - 1));
  if (n < period)
    return check_finite ("WMA", values, n, error);

  if (!isfinite (wma_run (values, n, period, out)))
    return report_non_finite ("WMA", values, n, error);

  return TRUE;
}

static inline double
rsi_value (double gain,
           double loss)
{
  double total = gain + loss;

  return (total > -TA_EPSILON && total < TA_EPSILON) ? 0.0 : 100.0 * (gain / total);
}

#ifdef __SSE2__
/*
 * Wilder's smoothing of gain and loss as one vector {gain, loss} (one chain instead of two), the
 * split of each change into up = max (d, 0) and down = up − d without a data-dependent branch
 * (half of them would be mispredicted on prices), and one packed division for two points. SSE2
 * is part of every x86-64; other machines take the scalar loop. A NaN change gives up = 0 and
 * down = NaN (maxpd returns its second operand on NaN), which the caller's final check sees.
 * Returns the index it stopped at.
 */
static gsize
rsi_run_sse2 (const double *x,
              gsize         i,
              gsize         n,
              double        a,
              double        b,
              double       *gain,
              double       *loss,
              double       *out)
{
  const __m128d va = _mm_set1_pd (a), vb = _mm_set1_pd (b), zero = _mm_setzero_pd ();
  const __m128d va2 = _mm_set1_pd (a * a), vab = _mm_set1_pd (a * b);
  const __m128d eps = _mm_set1_pd (TA_EPSILON), neg_eps = _mm_set1_pd (-TA_EPSILON);
  const __m128d hundred = _mm_set1_pd (100.0);
  __m128d st = _mm_set_pd (*loss, *gain);

  for (; i + 1 < n; i += 2)
    {
      __m128d d = _mm_sub_pd (_mm_loadu_pd (x + i), _mm_loadu_pd (x + i - 1));
      __m128d up = _mm_max_pd (d, zero);
      __m128d down = _mm_sub_pd (up, d);
      __m128d st0, g, total, flat;

      /* the next state straight from this one (a², ab: as in ema_run), so the dependency chain
       * advances two points per multiply-add; the middle state is computed beside it */
      st0 = _mm_add_pd (_mm_mul_pd (st, va), _mm_mul_pd (_mm_unpacklo_pd (up, down), vb));
      st = _mm_add_pd (_mm_mul_pd (st, va2),
                       _mm_add_pd (_mm_mul_pd (_mm_unpacklo_pd (up, down), vab),
                                   _mm_mul_pd (_mm_unpackhi_pd (up, down), vb)));
      g = _mm_unpacklo_pd (st0, st);
      total = _mm_add_pd (g, _mm_unpackhi_pd (st0, st));
      flat = _mm_and_pd (_mm_cmpgt_pd (total, neg_eps), _mm_cmplt_pd (total, eps));
      _mm_storeu_pd (out + i, _mm_andnot_pd (flat, _mm_mul_pd (hundred, _mm_div_pd (g, total))));
    }
  _mm_storel_pd (gain, st);
  _mm_storeh_pd (loss, st);

  return i;
}
#endif

/* Wilder's (avg·(N−1) + x) / N as avg·a + x·b: one multiply-add on each chain instead of a
 * division (differs from TA-Lib's rounding by an ulp or two; the smoothing is contracting). On
 * x86-64, rsi_run_sse2() does the same two points at a time. */
static void
rsi_run (const double *values,
         gsize         n,
         guint         period,
         double       *gain,
         double       *loss,
         double       *out)
{
  const double a = (period - 1.0) / period, b = 1.0 / period;
  gsize i = period + 1;

#ifdef __SSE2__
  i = rsi_run_sse2 (values, i, n, a, b, gain, loss, out);
#endif
  for (; i < n; i++)
    {
      double d = values[i] - values[i - 1];
      double up = d > 0.0 ? d : 0.0;

      *gain = *gain * a + up * b;
      *loss = *loss * a + (up - d) * b;
      out[i] = rsi_value (*gain, *loss);
    }
}

/**
 * sextant_rsi_compute:
 * @values: (array length=n): the series
 * @n: its length
 * @period: 1 … %SEXTANT_INDICATOR_MAX_PERIOD
 * @out: (out caller-allocates) (array length=n): Wilder's relative strength index, 0 … 100;
 *   first value at index @period
 * @error: return location for an error
 *
 * As TA_RSI: average gain and loss seeded with the plain mean of the first @period changes, then
 * smoothed with k = 1 / @period; 0 where both averages vanish.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_rsi_compute (const double  *values,
                     gsize          n,
                     guint          period,
                     double        *out,
                     GError       **error)
{
  double gain = 0.0, loss = 0.0;

  if (!check_input ("RSI", values, n, period, 1, error))
    return FALSE;

  fill_nan (out, 0, MIN (n, period));
  if (n <= period)
    return check_finite ("RSI", values, n, error);

  /* Branch-free split of the change d: up = max (d, 0), down = up − d. A NaN change makes
   * down NaN, which the final check sees. */
  for (gsize i = 1; i <= period; i++)
    {
      double d = values[i] - values[i - 1];
      double up = d > 0.0 ? d : 0.0;

      gain += up;
      loss += up - d;
    }
  gain /= period;
  loss /= period;
  out[period] = rsi_value (gain, loss);

  rsi_run (values, n, period, &gain, &loss, out);
  if (!isfinite (gain + loss))
    return report_non_finite ("RSI", values, n, error);

  return TRUE;
}

static gboolean
check_macd_periods (guint    fast,
                    guint    slow,
                    guint    signal,
                    GError **error)
{
  if (fast < 1 || slow > SEXTANT_INDICATOR_MAX_PERIOD || signal < 1 ||
      signal > SEXTANT_INDICATOR_MAX_PERIOD || fast >= slow)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "MACD: the periods must satisfy 1 ≤ fast < slow ≤ %u and 1 ≤ signal ≤ %u "
                   "(got %u, %u, %u)", SEXTANT_INDICATOR_MAX_PERIOD,
                   SEXTANT_INDICATOR_MAX_PERIOD, fast, slow, signal);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  double kf, ks;
  double fast, slow;
} MacdState;

static inline double
macd_step (MacdState *st,
           double     x)
{
  st->fast = st->fast * (1.0 - st->kf) + x * st->kf;
  st->slow = st->slow * (1.0 - st->ks) + x * st->ks;
  return st->fast - st->slow;
}

#ifdef __SSE2__
/*
 * Outputs of at least this many points are written with non-temporal stores. MACD writes three
 * series for each one it reads, and one that long (1 MiB and more each) is larger than the
 * caches' share and would not be there when read anyway; an ordinary store first reads each line
 * from memory (the write-allocate), which on a busy machine's shared memory measured a sixth to
 * a quarter of MACD's time. Shorter outputs, the app's usual case, are stored normally and stay
 * in the cache for the chart that reads them next. (SMA, WMA, ATR and Bollinger bands were
 * measured too: no gain, or a loss.)
 */
#define STREAM_MIN_POINTS (1u << 17)

/* whether a pair store at @p may be non-temporal (MOVNTPD needs 16-byte alignment) */
static inline gboolean
pair_aligned (const double *p)
{
  return ((guintptr) p & 15) == 0;
}

/* two values to @p, non-temporally when @stream (then @p is 16-byte aligned) */
static inline void
store_pair (double  *p,
            __m128d  v,
            gboolean stream)
{
  if (stream)
    _mm_stream_pd (p, v);
  else
    _mm_storeu_pd (p, v);
}

/*
 * The fast and slow EMAs as one vector {fast, slow}, both advanced two points per multiply-add
 * on the chain (state₂ = a²·state + (ab·x₀ + b·x₁), as in ema_run()), and the signal likewise.
 * With @stream the pairs are stored non-temporally (see STREAM_MIN_POINTS). Returns the index
 * it stopped at; @sig is updated.
 */
static gsize
macd_run_sse2 (MacdState    *st,
               const double *x,
               gsize         i,
               gsize         n,
               double        kg,
               double       *sig,
               double       *macd,
               double       *signal,
               double       *hist,
               gboolean      stream)
{
  const __m128d a = _mm_set_pd (1.0 - st->ks, 1.0 - st->kf), b = _mm_set_pd (st->ks, st->kf);
  const __m128d a2 = _mm_mul_pd (a, a), ab = _mm_mul_pd (a, b);
  const double ag = 1.0 - kg, ag2 = ag * ag, agb = ag * kg;
  __m128d ema = _mm_set_pd (st->slow, st->fast);
  double g = *sig;

  for (; i + 1 < n; i += 2)
    {
      __m128d x0 = _mm_set1_pd (x[i]), x1 = _mm_set1_pd (x[i + 1]);
      __m128d ema0 = _mm_add_pd (_mm_mul_pd (ema, a), _mm_mul_pd (x0, b));
      double m0, m1, g0;

      ema = _mm_add_pd (_mm_mul_pd (ema, a2), _mm_add_pd (_mm_mul_pd (x0, ab), _mm_mul_pd (x1, b)));
      m0 = _mm_cvtsd_f64 (ema0) - _mm_cvtsd_f64 (_mm_unpackhi_pd (ema0, ema0));
      m1 = _mm_cvtsd_f64 (ema) - _mm_cvtsd_f64 (_mm_unpackhi_pd (ema, ema));
      g0 = g * ag + m0 * kg;
      g = g * ag2 + (m0 * agb + m1 * kg);
      {
        __m128d m = _mm_set_pd (m1, m0), sg = _mm_set_pd (g, g0);

        store_pair (macd + i, m, stream);
        store_pair (signal + i, sg, stream);
        store_pair (hist + i, _mm_sub_pd (m, sg), stream);
      }
    }
  /* the non-temporal stores made visible to other threads before the outputs are handed back */
  if (stream)
    _mm_sfence ();
  _mm_storel_pd (&st->fast, ema);
  _mm_storeh_pd (&st->slow, ema);
  *sig = g;

  return i;
}
#endif

#ifdef HAVE_AVX2_KERNELS
/* macd_run_sse2() four points to a vector: each of the three EMAs by ema_scan4() */
__attribute__ ((target ("avx2,fma"))) static gsize
macd_run_avx2 (MacdState    *st,
               const double *x,
               gsize         i,
               gsize         n,
               double        kg,
               double       *sig,
               double       *macd,
               double       *signal,
               double       *hist,
               gboolean      stream)
{
  EmaScan4 fast, slow, sg;

  ema_scan4_init (&fast, 1.0 - st->kf, st->kf, st->fast);
  ema_scan4_init (&slow, 1.0 - st->ks, st->ks, st->slow);
  ema_scan4_init (&sg, 1.0 - kg, kg, *sig);
  for (; i + 3 < n; i += 4)
    {
      __m256d xs = _mm256_loadu_pd (x + i);
      __m256d m = _mm256_sub_pd (ema_scan4 (&fast, xs), ema_scan4 (&slow, xs));
      __m256d g = ema_scan4 (&sg, m);

      store_quad_avx (macd + i, m, stream);
      store_quad_avx (signal + i, g, stream);
      store_quad_avx (hist + i, _mm256_sub_pd (m, g), stream);
    }
  st->fast = _mm256_cvtsd_f64 (fast.prev);
  st->slow = _mm256_cvtsd_f64 (slow.prev);
  *sig = _mm256_cvtsd_f64 (sg.prev);

  return i;
}
#endif

/* TA_MACD's start: both EMAs begin at index slow − 1 (the fast one seeded from the @fast values
 * ending there), and the signal's seed is the mean of the MACD values from slow − 1 to the first
 * output, slow + signal − 2. Leaves @st at that first output and returns the signal's seed. */
static double
macd_seed (const double *x,
           guint         fast,
           guint         slow,
           guint         signal,
           MacdState    *st)
{
  double sum;

  st->kf = 2.0 / (fast + 1.0);
  st->ks = 2.0 / (slow + 1.0);
  st->slow = ema_seed (x, 0, slow);
  st->fast = ema_seed (x, slow - fast, fast);
  sum = st->fast - st->slow;
  for (gsize i = slow; i <= (gsize) slow + signal - 2; i++)
    sum += macd_step (st, x[i]);

  return sum / signal;
}

/**
 * sextant_macd_compute:
 * @values: (array length=n): the series
 * @n: its length
 * @fast_period: the fast EMA's period (12 by convention), less than @slow_period
 * @slow_period: the slow EMA's period (26)
 * @signal_period: the signal EMA's period (9)
 * @macd: (out caller-allocates) (array length=n): fast EMA − slow EMA
 * @signal: (out caller-allocates) (array length=n): EMA of @macd
 * @hist: (out caller-allocates) (array length=n): @macd − @signal
 * @error: return location for an error
 *
 * Follows TA_MACD exactly, including its alignment: both EMAs start at index slow − 1, the slow
 * one seeded with the mean of x[0 .. slow − 1] and the fast one with the mean of
 * x[slow − fast .. slow − 1] (not of the first @fast_period values); the signal is seeded with
 * the mean of the first @signal_period MACD values. All three outputs start at index
 * slow + signal − 2 (33 for 12, 26, 9). One pass, no allocation.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_macd_compute (const double  *values,
                      gsize          n,
                      guint          fast_period,
                      guint          slow_period,
                      guint          signal_period,
                      double        *macd,
                      double        *signal,
                      double        *hist,
                      GError       **error)
{
  const gsize first = slow_period + signal_period - 2;
  MacdState st;
  double kg, sig, seed;

  if (!check_input ("MACD", values, n, slow_period, 2, error) ||
      !check_macd_periods (fast_period, slow_period, signal_period, error))
    return FALSE;

  fill_nan (macd, 0, MIN (n, first));
  fill_nan (signal, 0, MIN (n, first));
  fill_nan (hist, 0, MIN (n, first));
  if (n <= first)
    return check_finite ("MACD", values, n, error);

  seed = macd_seed (values, fast_period, slow_period, signal_period, &st);
  sig = seed;
  macd[first] = st.fast - st.slow;
  signal[first] = sig;
  hist[first] = macd[first] - sig;

  /* three chains of one multiply-add each, run side by side; on x86-64 macd_run_sse2() takes
   * two points per step (four-point steps were measured slower: their temporaries spill) */
  kg = 2.0 / (signal_period + 1.0);
  {
    gsize i = first + 1;

#ifdef __SSE2__
    gboolean stream = n >= STREAM_MIN_POINTS;

    /* one point alone, so that the pairs' stores are aligned; streaming needs all three so */
    if (stream && !pair_aligned (macd + i) && i < n)
      {
        double m = macd_step (&st, values[i]);

        sig = sig * (1.0 - kg) + m * kg;
        macd[i] = m;
        signal[i] = sig;
        hist[i] = m - sig;
        i++;
      }
    stream = stream && pair_aligned (macd + i) && pair_aligned (signal + i) &&
             pair_aligned (hist + i);
#ifdef HAVE_AVX2_KERNELS
    if (use_avx2 ())
      i = macd_run_avx2 (&st, values, i, n, kg, &sig, macd, signal, hist, stream);
#endif
    i = macd_run_sse2 (&st, values, i, n, kg, &sig, macd, signal, hist, stream);
#endif
    for (; i < n; i++)
      {
        double m = macd_step (&st, values[i]);

        sig = sig * (1.0 - kg) + m * kg;
        macd[i] = m;
        signal[i] = sig;
        hist[i] = m - sig;
      }
  }

  if (!isfinite (sig + seed))
    return report_non_finite ("MACD", values, n, error);

  return TRUE;
}

static inline void
bbands_point (double  mean,
              double  mean2,
              double  k,
              gsize   i,
              double *upper,
              double *middle,
              double *lower)
{
  double var = mean2 - mean * mean;
  double width = var < TA_EPSILON ? 0.0 : sqrt (var) * k;

  middle[i] = mean;
  upper[i] = mean + width;
  lower[i] = mean - width;
}

#ifdef __SSE2__
/* bbands_point() for two points with one packed square root, which bounds BBANDS' speed.
 * SSE2 is part of every x86-64 processor; other machines take the scalar loop. */
static inline void
bbands_pair (double  mean0,
             double  mean20,
             double  mean1,
             double  mean21,
             double  k,
             gsize   i,
             double *upper,
             double *middle,
             double *lower)
{
  __m128d mean = _mm_set_pd (mean1, mean0);
  __m128d var = _mm_sub_pd (_mm_set_pd (mean21, mean20), _mm_mul_pd (mean, mean));
  /* lanes with a variance below ε become 0, whose root is 0, as in TA-Lib */
  __m128d kept = _mm_and_pd (var, _mm_cmpge_pd (var, _mm_set1_pd (TA_EPSILON)));
  __m128d width = _mm_mul_pd (_mm_sqrt_pd (kept), _mm_set1_pd (k));

  _mm_storeu_pd (middle + i, mean);
  _mm_storeu_pd (upper + i, _mm_add_pd (mean, width));
  _mm_storeu_pd (lower + i, _mm_sub_pd (mean, width));
}
#endif

/* The running sums of x and x² (TA_INT_stddev_using_precalc_ma), each output from
 * bbands_point() or bbands_pair(). Returns sum + sum of squares, NaN if an input was not finite. */
static double
bbands_run (const double *values,
            gsize         n,
            guint         period,
            double        k,
            double       *upper,
            double       *middle,
            double       *lower)
{
  const double inv = 1.0 / period;
  double sum = 0.0, sum2 = 0.0;

  for (gsize i = 0; i < period; i++)
    {
      sum += values[i];
      sum2 += values[i] * values[i];
    }
  bbands_point (sum * inv, sum2 * inv, k, period - 1, upper, middle, lower);

  /* as in sma_run: the sums advance by the differences, formed off the dependency chain */
  {
    gsize i = period;

#ifdef __SSE2__
    for (; i + 1 < n; i += 2)
      {
        double x0 = values[i], old0 = values[i - period];
        double x1 = values[i + 1], old1 = values[i + 1 - period];
        double mean0, mean20;

        sum += x0 - old0;
        sum2 += x0 * x0 - old0 * old0;
        mean0 = sum * inv;
        mean20 = sum2 * inv;
        sum += x1 - old1;
        sum2 += x1 * x1 - old1 * old1;
        bbands_pair (mean0, mean20, sum * inv, sum2 * inv, k, i, upper, middle, lower);
      }
#endif
    for (; i < n; i++)
      {
        double x = values[i], old = values[i - period];

        sum += x - old;
        sum2 += x * x - old * old;
        bbands_point (sum * inv, sum2 * inv, k, i, upper, middle, lower);
      }
  }

  return sum + sum2;
}

/**
 * sextant_bbands_compute:
 * @values: (array length=n): the series
 * @n: its length
 * @period: 2 … %SEXTANT_INDICATOR_MAX_PERIOD
 * @k: how many standard deviations the bands lie from the middle (2 by convention)
 * @upper: (out caller-allocates) (array length=n): middle + k·σ
 * @middle: (out caller-allocates) (array length=n): the simple moving average
 * @lower: (out caller-allocates) (array length=n): middle − k·σ
 * @error: return location for an error
 *
 * σ is the population standard deviation of the window (divide by @period), computed as TA-Lib
 * does from running sums of x and x² and taken as 0 when the variance is below 1e-8. First value
 * at index @period − 1.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_bbands_compute (const double  *values,
                        gsize          n,
                        guint          period,
                        double         k,
                        double        *upper,
                        double        *middle,
                        double        *lower,
                        GError       **error)
{
  if (!check_input ("Bollinger bands", values, n, period, 2, error))
    return FALSE;
  /* above 1000 the bands are no bands, and k·σ can overflow to infinity */
  if (!(k >= 0 && k <= 1000))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "Bollinger bands: the width must be a number of standard deviations from 0 "
                   "to 1000, not %g", k);
      return FALSE;
    }

  fill_nan (upper, 0, MIN (n, period - 1));
  fill_nan (middle, 0, MIN (n, period - 1));
  fill_nan (lower, 0, MIN (n, period - 1));
  if (n < period)
    return check_finite ("Bollinger bands", values, n, error);

  if (!isfinite (bbands_run (values, n, period, k, upper, middle, lower)))
    return report_non_finite ("Bollinger bands", values, n, error);

  return TRUE;
}

static inline double
true_range (double high,
            double low,
            double prev_close)
{
  double greatest = high - low;
  double up = fabs (prev_close - high);
  double down = fabs (prev_close - low);

  if (up > greatest)
    greatest = up;
  if (down > greatest)
    greatest = down;

  return greatest;
}

#ifdef __SSE2__
/* true_range() of bars i and i + 1: the maximum is the same value whichever order it is taken
 * in, so this matches TA-Lib's comparisons exactly. MAXPD passes a NaN on in one operand only,
 * so a NaN input could vanish from the result: @bad gains a set lane where H − L or C₋₁ − L is
 * NaN, which every NaN among the three inputs makes one of them (an infinite one gives an
 * infinite or NaN range, which the smoothed value keeps). */
static inline __m128d
true_range_pair (const double *high,
                 const double *low,
                 const double *close,
                 gsize         i,
                 __m128d      *bad)
{
  const __m128d sign = _mm_set1_pd (-0.0);
  __m128d h = _mm_loadu_pd (high + i), l = _mm_loadu_pd (low + i);
  __m128d prev = _mm_loadu_pd (close + i - 1);
  __m128d range = _mm_sub_pd (h, l), below = _mm_sub_pd (prev, l);
  __m128d up = _mm_andnot_pd (sign, _mm_sub_pd (prev, h));
  __m128d down = _mm_andnot_pd (sign, below);

  *bad = _mm_or_pd (*bad, _mm_cmpunord_pd (range, below));
  return _mm_max_pd (_mm_max_pd (range, up), down);
}
#endif

static gboolean
check_hlc_present (const char    *what,
                   const double  *high,
                   const double  *low,
                   const double  *close,
                   gsize          n,
                   GError       **error)
{
  if (high == NULL || low == NULL || close == NULL || n == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "%s: the series is empty or lacks high, low or close", what);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_hlc_finite (const char    *what,
                  const double  *high,
                  const double  *low,
                  const double  *close,
                  gsize          n,
                  GError       **error)
{
  if (!check_finite ("high", high, n, error) || !check_finite ("low", low, n, error) ||
      !check_finite ("close", close, n, error))
    {
      g_prefix_error (error, "%s ", what);
      return FALSE;
    }

  return TRUE;
}

#ifdef HAVE_AVX2_KERNELS
/*
 * atr_run() four bars to a vector: the true ranges as in true_range_pair(), then the smoothing
 * by ema_scan4(). Returns where it stopped; @atr is updated and @finite cleared if an input was
 * NaN.
 */
__attribute__ ((target ("avx2,fma"))) static gsize
atr_run_avx2 (const double *high,
              const double *low,
              const double *close,
              gsize         i,
              gsize         n,
              double        a,
              double        b,
              double       *atr,
              gboolean     *finite,
              double       *out)
{
  const __m256d sign = _mm256_set1_pd (-0.0);
  __m256d bad = _mm256_setzero_pd ();
  EmaScan4 scan;

  ema_scan4_init (&scan, a, b, *atr);

  for (; i + 3 < n; i += 4)
    {
      __m256d h = _mm256_loadu_pd (high + i), l = _mm256_loadu_pd (low + i);
      __m256d c = _mm256_loadu_pd (close + i - 1);
      __m256d range = _mm256_sub_pd (h, l), below = _mm256_sub_pd (c, l);
      __m256d up = _mm256_andnot_pd (sign, _mm256_sub_pd (c, h));
      __m256d down = _mm256_andnot_pd (sign, below);

      bad = _mm256_or_pd (bad, _mm256_cmp_pd (range, below, _CMP_UNORD_Q));
      _mm256_storeu_pd (out + i, ema_scan4 (&scan, _mm256_max_pd (_mm256_max_pd (range, up), down)));
    }
  *atr = _mm256_cvtsd_f64 (scan.prev);
  if (_mm256_movemask_pd (bad) != 0)
    *finite = FALSE;

  return i;
}
#endif

/*
 * Wilder's smoothing of the true ranges of bars @i … n − 1, four points per step of the chain as
 * in ema_run() (it is an EMA with k = 1 / N). On x86-64 the true ranges are formed two at a time
 * and the inputs checked in the same pass (a NaN through true_range_pair()'s @bad, an infinity
 * through the smoothed value, which stays infinite or NaN), since reading the three series a
 * second time cost as much as the rest. Returns FALSE if an input it read from bar @i − 1 on was
 * not finite (close[n − 1] is never read).
 */
static gboolean
atr_run (const double *high,
         const double *low,
         const double *close,
         gsize         i,
         gsize         n,
         double        a,
         double        b,
         double        atr,
         double       *out)
{
  gboolean finite = TRUE;
#ifdef __SSE2__
  __m128d bad = _mm_setzero_pd ();
#endif

#ifdef HAVE_AVX2_KERNELS
  if (use_avx2 ())
    i = atr_run_avx2 (high, low, close, i, n, a, b, &atr, &finite, out);
#endif
  for (; i + 3 < n; i += 4)
    {
      double tr[4];

#ifdef __SSE2__
      for (guint j = 0; j < 4; j += 2)
        _mm_storeu_pd (tr + j, true_range_pair (high, low, close, i + j, &bad));
#else
      for (guint j = 0; j < 4; j++)
        {
          finite = finite && isfinite (high[i + j]) && isfinite (low[i + j]) &&
                   isfinite (close[i + j - 1]);
          tr[j] = true_range (high[i + j], low[i + j], close[i + j - 1]);
        }
#endif
      atr = ema_step4 (atr, a, b, tr, out + i);
    }
#ifdef __SSE2__
  finite = finite && _mm_movemask_pd (bad) == 0;
#endif
  for (; i < n; i++)
    {
      finite = finite && isfinite (high[i] + low[i]) && isfinite (close[i - 1]);
      out[i] = atr = atr * a + true_range (high[i], low[i], close[i - 1]) * b;
    }

  return finite && isfinite (atr);
}

/**
 * sextant_atr_compute:
 * @high: (array length=n): highs
 * @low: (array length=n): lows
 * @close: (array length=n): closes
 * @n: the number of bars
 * @period: 1 … %SEXTANT_INDICATOR_MAX_PERIOD
 * @out: (out caller-allocates) (array length=n): Wilder's average true range; first value at
 *   index @period (the first true range needs the previous close)
 * @error: return location for an error naming a non-finite row
 *
 * As TA_ATR: seeded with the mean of the true ranges of bars 1 … @period, then
 * atr = (atr·(N − 1) + tr) / N.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_atr_compute (const double  *high,
                     const double  *low,
                     const double  *close,
                     gsize          n,
                     guint          period,
                     double        *out,
                     GError       **error)
{
  double atr = 0.0;

  if (!check_hlc_present ("ATR", high, low, close, n, error) ||
      !check_input ("ATR", close, n, period, 1, error))
    return FALSE;

  fill_nan (out, 0, MIN (n, period));
  if (n <= period)
    return check_hlc_finite ("ATR", high, low, close, n, error);

  /* the seed's bars are checked here, the rest by atr_run(); a failure is named by a full check */
  if (!check_hlc_finite ("ATR", high, low, close, period + 1, error))
    return FALSE;

  for (gsize i = 1; i <= period; i++)
    atr += true_range (high[i], low[i], close[i - 1]);
  atr /= period;
  out[period] = atr;

  if (!atr_run (high, low, close, period + 1, n, (period - 1.0) / period, 1.0 / period, atr,
                out) ||
      !isfinite (close[n - 1]))
    return check_hlc_finite ("ATR", high, low, close, n, error);

  return TRUE;
}

static inline double
stoch_value (double close,
             double highest,
             double lowest)
{
  double range = highest - lowest;

  return range != 0.0 ? 100.0 * (close - lowest) / range : 0.0;
}

/* The suffix extremes of one block, high[from .. from + len − 1] and low likewise: sh[k] is the
 * highest high from from + k to the block's end, sl[k] the lowest low; sh[len], sl[len] hold
 * the identities −∞ and +∞. */
static void
stoch_block_suffix (const double *high,
                    const double *low,
                    gsize         from,
                    gsize         len,
                    double       *sh,
                    double       *sl)
{
  double h = -INFINITY, l = INFINITY;

  sh[len] = h;
  sl[len] = l;
  for (gsize k = len; k-- > 0; )
    {
      h = high[from + k] > h ? high[from + k] : h;
      l = low[from + k] < l ? low[from + k] : l;
      sh[k] = h;
      sl[k] = l;
    }
}

/*
 * Raw %K for the bars of one block, given the previous block's suffix extremes @sh, @sl (see
 * stoch_raw_k()). The running prefix extremes are a chain of one comparison per bar; on x86-64
 * two bars advance it per comparison (the pair's own extreme is formed beside it), the pair's
 * divisions are one instruction, and the inputs are checked on the way (x·0 OR-ed, as in
 * check_finite()): a comparison would skip a NaN. Returns FALSE if an input was not finite.
 */
static gboolean
stoch_block_prefix (const double *high,
                    const double *low,
                    const double *close,
                    gsize         len,
                    const double *sh,
                    const double *sl,
                    double       *raw)
{
  double ph = -INFINITY, pl = INFINITY;
  gboolean finite = TRUE;
  gsize k = 0;

#ifdef __SSE2__
  {
    const __m128d zero = _mm_setzero_pd (), hundred = _mm_set1_pd (100.0);
    __m128d vph = _mm_set1_pd (ph), vpl = _mm_set1_pd (pl), bad = zero;

    for (; k + 1 < len; k += 2)
      {
        __m128d h = _mm_loadu_pd (high + k), l = _mm_loadu_pd (low + k);
        __m128d c = _mm_loadu_pd (close + k), hh, ll, range, value;

        bad = _mm_or_pd (bad, _mm_or_pd (_mm_mul_pd (h, zero), _mm_mul_pd (l, zero)));
        bad = _mm_or_pd (bad, _mm_mul_pd (c, zero));
        /* {h₀, max (h₀, h₁)} off the chain, then one max with the running extreme */
        vph = _mm_max_pd (_mm_max_pd (h, _mm_unpacklo_pd (h, h)), vph);
        vpl = _mm_min_pd (_mm_min_pd (l, _mm_unpacklo_pd (l, l)), vpl);
        hh = _mm_max_pd (_mm_loadu_pd (sh + k + 1), vph);
        ll = _mm_min_pd (_mm_loadu_pd (sl + k + 1), vpl);
        range = _mm_sub_pd (hh, ll);
        value = _mm_div_pd (_mm_mul_pd (hundred, _mm_sub_pd (c, ll)), range);
        /* 0 where HH = LL, as TA-Lib (the division gave NaN or ±inf there) */
        _mm_storeu_pd (raw + k, _mm_and_pd (_mm_cmpneq_pd (range, zero), value));
        vph = _mm_unpackhi_pd (vph, vph);
        vpl = _mm_unpackhi_pd (vpl, vpl);
      }
    ph = _mm_cvtsd_f64 (vph);
    pl = _mm_cvtsd_f64 (vpl);
    finite = isfinite (_mm_cvtsd_f64 (bad) + _mm_cvtsd_f64 (_mm_unpackhi_pd (bad, bad)));
  }
#endif
  for (; k < len; k++)
    {
      double hh, ll;

      finite = finite && isfinite (high[k] + low[k]) && isfinite (close[k]);
      ph = high[k] > ph ? high[k] : ph;
      pl = low[k] < pl ? low[k] : pl;
      hh = sh[k + 1] > ph ? sh[k + 1] : ph;
      ll = sl[k + 1] < pl ? sl[k + 1] : pl;
      raw[k] = stoch_value (close[k], hh, ll);
    }

  return finite;
}

/*
 * Raw %K = 100 (C − LL) / (HH − LL) over @period bars (0 when HH = LL, as TA-Lib). HH and LL come
 * from van Herk and Gil-Werman's sliding extremes: the series is cut into blocks of @period bars,
 * and a window ending at bar i of one block is the tail of the previous block (its suffix
 * extremes, kept in @sh, @sl) joined to the head of this one (running prefix extremes). That is
 * three comparisons per bar and series whatever the data, with no data-dependent branch; TA-Lib's
 * rescan when the extreme leaves (and a monotonic deque, measured 4× slower) branch on every bar.
 * The extremes are the same values TA-Lib finds, so only the final division's rounding differs.
 * Returns FALSE if an input past the first block was not finite (the caller checks that block).
 */
static gboolean
stoch_raw_k (const double *high,
             const double *low,
             const double *close,
             gsize         n,
             guint         period,
             double       *raw,
             double       *sh,
             double       *sl)
{
  /* the first window is the first block */
  stoch_block_suffix (high, low, 0, period, sh, sl);
  raw[period - 1] = stoch_value (close[period - 1], sh[0], sl[0]);

  for (gsize from = period; from < n; from += period)
    {
      gsize len = MIN (period, n - from);

      if (!stoch_block_prefix (high + from, low + from, close + from, len, sh, sl, raw + from))
        return FALSE;
      if (len == period)
        stoch_block_suffix (high, low, from, period, sh, sl);
    }

  return TRUE;
}

/**
 * sextant_stoch_compute:
 * @high: (array length=n): highs
 * @low: (array length=n): lows
 * @close: (array length=n): closes
 * @n: the number of bars
 * @fastk_period: the high/low window of raw %K (5 in TA-Lib, 14 in many charting tools)
 * @slowk_period: the SMA that smooths raw %K into slow %K (3)
 * @slowd_period: the SMA of slow %K that gives %D (3)
 * @slowk: (out caller-allocates) (array length=n): slow %K
 * @slowd: (out caller-allocates) (array length=n): %D
 * @error: return location for an error
 *
 * TA_STOCH with SMA smoothing; as there, both outputs start at index
 * (@fastk_period − 1) + (@slowk_period − 1) + (@slowd_period − 1).
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_stoch_compute (const double  *high,
                       const double  *low,
                       const double  *close,
                       gsize          n,
                       guint          fastk_period,
                       guint          slowk_period,
                       guint          slowd_period,
                       double        *slowk,
                       double        *slowd,
                       GError       **error)
{
  g_autofree double *extremes = NULL;
  gsize k_start, first;

  if (!check_hlc_present ("Stochastic", high, low, close, n, error) ||
      !check_input ("Stochastic %K", close, n, fastk_period, 1, error) ||
      !check_input ("Stochastic slow %K", close, n, slowk_period, 1, error) ||
      !check_input ("Stochastic %D", close, n, slowd_period, 1, error))
    return FALSE;

  k_start = fastk_period - 1 + slowk_period - 1;
  first = k_start + slowd_period - 1;
  if (n <= first)
    {
      fill_nan (slowk, 0, n);
      fill_nan (slowd, 0, n);
      return check_hlc_finite ("Stochastic", high, low, close, n, error);
    }

  /* raw %K goes into @slowd, which is free until the last step; stoch_raw_k() checks the inputs
   * past the first block, a failure is named by the full check */
  extremes = g_new (double, 2 * (fastk_period + 1));
  if (!check_hlc_finite ("Stochastic", high, low, close, fastk_period, error))
    return FALSE;
  if (!stoch_raw_k (high, low, close, n, fastk_period, slowd, extremes,
                    extremes + fastk_period + 1))
    return check_hlc_finite ("Stochastic", high, low, close, n, error);
  sma_run (slowd + fastk_period - 1, n - (fastk_period - 1), slowk_period,
           slowk + fastk_period - 1);
  sma_run (slowk + k_start, n - k_start, slowd_period, slowd + k_start);
  fill_nan (slowk, 0, first);
  fill_nan (slowd, 0, first);

  return TRUE;
}

/*
 * OBV after the first bar, signed volumes added branch-free (up and down days alternate
 * unpredictably); ±v and 0 are exact, so only the association of the sum differs from TA_OBV's.
 * The running total takes one addition per four bars, the values between formed beside it, as
 * in sma_run(). A non-finite volume makes the total non-finite; a comparison would skip a
 * non-finite close, so closes are checked on the way (x·0 OR-ed, as in check_finite()).
 * Returns FALSE if a close after the first was not finite.
 */
static gboolean
obv_run (const double *close,
         const double *volume,
         gsize         n,
         double       *total,
         double       *out)
{
  double obv = *total;
  gboolean finite = TRUE;
  gsize i = 1;
#ifdef __SSE2__
  const __m128d zero = _mm_setzero_pd ();
  __m128d bad = zero;
#endif

  for (; i + 3 < n; i += 4)
    {
      double v[4];

#ifdef __SSE2__
      /* +v where the close rose, −v where it fell: masks instead of branches */
      for (guint j = 0; j < 4; j += 2)
        {
          __m128d c = _mm_loadu_pd (close + i + j), prev = _mm_loadu_pd (close + i + j - 1);
          __m128d vol = _mm_loadu_pd (volume + i + j);

          bad = _mm_or_pd (bad, _mm_mul_pd (c, zero));
          _mm_storeu_pd (v + j, _mm_sub_pd (_mm_and_pd (_mm_cmpgt_pd (c, prev), vol),
                                            _mm_and_pd (_mm_cmplt_pd (c, prev), vol)));
        }
#else
      for (guint j = 0; j < 4; j++)
        v[j] = ((close[i + j] > close[i + j - 1]) - (close[i + j] < close[i + j - 1])) *
               volume[i + j];
#endif
      out[i] = obv + v[0];
      out[i + 1] = obv + (v[0] + v[1]);
      out[i + 2] = obv + ((v[0] + v[1]) + v[2]);
      out[i + 3] = obv += (v[0] + v[1]) + (v[2] + v[3]);
    }
#ifdef __SSE2__
  finite = isfinite (_mm_cvtsd_f64 (bad) + _mm_cvtsd_f64 (_mm_unpackhi_pd (bad, bad)));
#else
  finite = i == 1 || check_finite ("OBV close", close, i, NULL);
#endif
  for (; i < n; i++)
    {
      finite = finite && isfinite (close[i]);
      out[i] = obv += ((close[i] > close[i - 1]) - (close[i] < close[i - 1])) * volume[i];
    }
  *total = obv;

  return finite;
}

/**
 * sextant_obv_compute:
 * @close: (array length=n): closes
 * @volume: (array length=n): volumes
 * @n: the number of bars
 * @out: (out caller-allocates) (array length=n): on-balance volume, starting at volume[0] as
 *   TA_OBV does, then adding the volume of up days and subtracting that of down days
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_obv_compute (const double  *close,
                     const double  *volume,
                     gsize          n,
                     double        *out,
                     GError       **error)
{
  double obv;

  /* the full checks below run only after a failure, to name the row */
  if (close == NULL || volume == NULL || n == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "OBV: the series is empty or has no volume");
      return FALSE;
    }
  out[0] = obv = volume[0];
  if (!obv_run (close, volume, n, &obv, out) || !isfinite (obv) || !isfinite (close[0]))
    return check_finite ("OBV close", close, n, error) &&
           check_finite ("OBV volume", volume, n, error) &&
           report_non_finite ("OBV", volume, n, error);

  return TRUE;
}

static gboolean
check_positive (const char    *what,
                const double  *prices,
                gsize          n,
                GError       **error)
{
#ifdef __SSE2__
  /* 0 < x < inf, two at a time without a branch; only a failure is scanned for its row */
  {
    const __m128d zero = _mm_setzero_pd (), inf = _mm_set1_pd (INFINITY);
    __m128d ok = _mm_castsi128_pd (_mm_set1_epi32 (-1));
    gsize i = 0;

    for (; i + 1 < n; i += 2)
      {
        __m128d x = _mm_loadu_pd (prices + i);

        ok = _mm_and_pd (ok, _mm_and_pd (_mm_cmpgt_pd (x, zero), _mm_cmplt_pd (x, inf)));
      }
    if (_mm_movemask_pd (ok) == 3 && (i == n || (prices[i] > 0 && prices[i] < INFINITY)))
      return TRUE;
  }
#endif
  for (gsize i = 0; i < n; i++)
    if (!isfinite (prices[i]) || prices[i] <= 0)
      {
        g_set_error (error, SEXTANT_ANALYTICS_ERROR,
                     isfinite (prices[i]) ? SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE
                                          : SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                     "%s: price in row %" G_GSIZE_FORMAT " is %g", what, i + 1, prices[i]);
        return FALSE;
      }

  return TRUE;
}

#define VOL_BLOCK 256

/* @out = √max (@out, 0) · @scale in place; on x86-64 two roots per instruction (and no branch to
 * libm's error path for negative arguments, which the clamp rules out) */
static void
vol_sqrt (double *out,
          gsize   n,
          double  scale)
{
  gsize i = 0;

#ifdef __SSE2__
  const __m128d zero = _mm_setzero_pd (), vscale = _mm_set1_pd (scale);

  for (; i + 1 < n; i += 2)
    _mm_storeu_pd (out + i, _mm_mul_pd (_mm_sqrt_pd (_mm_max_pd (_mm_loadu_pd (out + i), zero)),
                                        vscale));
#endif
  for (; i < n; i++)
    out[i] = sqrt (out[i] > 0 ? out[i] : 0.0) * scale;
}

/* The running sums of the returns @r of rows @from … @from + @len − 1 (each return leaves
 * through @ring, whose index wraps by a compare), and from row @window on the sample variance
 * into @out, with multiplications by the reciprocals. */
static void
vol_block (const double *r,
           gsize         from,
           gsize         len,
           guint         window,
           double       *ring,
           gsize        *slot,
           double       *sum,
           double       *sum2,
           double       *out)
{
  const double inv = 1.0 / window, inv1 = 1.0 / (window - 1.0);
  double s = *sum, s2 = *sum2;
  gsize at = *slot;

  for (gsize k = 0; k < len; k++)
    {
      gsize i = from + k;
      double old = i > window ? ring[at] : 0.0;

      ring[at] = r[k];
      at = at + 1 == window ? 0 : at + 1;
      s += r[k] - old;
      s2 += r[k] * r[k] - old * old;
      if (i >= window)
        out[i] = (s2 - s * s * inv) * inv1;
    }
  *sum = s;
  *sum2 = s2;
  *slot = at;
}

/**
 * sextant_rolling_volatility_compute:
 * @prices: (array length=n): positive prices
 * @n: their number
 * @window: how many log returns each value uses, 2 … %SEXTANT_INDICATOR_MAX_PERIOD
 * @periods_per_year: annualisation factor (252 for daily data), or 0 for per-period figures
 * @out: (out caller-allocates) (array length=n): the sample standard deviation (divide by
 *   @window − 1) of the last @window log returns, times √@periods_per_year; first value at index
 *   @window
 * @error: return location for an error naming a non-positive or non-finite price
 *
 * The last @window returns are kept in a ring (one allocation), so each point costs one
 * logarithm; running sums are exact enough here because returns have a mean near zero. The
 * logarithms of a block of rows are taken before its sums (vol_block()), and the square roots in
 * a last pass, two per instruction on x86-64 (vol_sqrt()).
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_rolling_volatility_compute (const double  *prices,
                                    gsize          n,
                                    guint          window,
                                    double         periods_per_year,
                                    double        *out,
                                    GError       **error)
{
  g_autofree double *ring = NULL;
  double sum = 0.0, sum2 = 0.0, scale;

  if (!check_input ("Rolling volatility", prices, n, window, 2, error))
    return FALSE;
  if (!isfinite (periods_per_year) || periods_per_year < 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "Rolling volatility: periods per year must be ≥ 0, not %g", periods_per_year);
      return FALSE;
    }
  if (!check_positive ("Rolling volatility", prices, n, error))
    return FALSE;

  scale = periods_per_year > 0 ? sqrt (periods_per_year) : 1.0;
  fill_nan (out, 0, MIN (n, window));
  ring = g_new (double, window);
  for (gsize from = 1, slot = 0; from < n; from += VOL_BLOCK)
    {
      gsize len = MIN (VOL_BLOCK, n - from);
      double r[VOL_BLOCK];

      /* the logarithms apart from the sums, so that the calls do not split the arithmetic */
      for (gsize k = 0; k < len; k++)
        r[k] = log (prices[from + k] / prices[from + k - 1]);
      vol_block (r, from, len, window, ring, &slot, &sum, &sum2, out);
    }
  vol_sqrt (out + MIN (n, window), n - MIN (n, window), scale);

  return TRUE;
}
