#define G_LOG_DOMAIN "test-indicators"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "analytics/sextant-indicators.h"
#include "sextant-test-util.h"

/* Expected values come from the files in tests/data/ta/, made by make_talib_reference.sh there
 * (see tests/data/ta/README.md): <name>_talib.csv and <name>_talib_extra.csv hold TA-Lib's own C
 * functions run on the price files in tests/data/market/, <name>_numpy.csv the rolling volatility
 * numpy computes window by window, as TA-Lib has none. The tolerance is the issue's: 1e-9 relative; MACD and OBV cross
 * zero and Stochastic touches it, so they use |a − e| ≤ 1e-9·max(1, |e|). */
#define REL_TOL 1e-9

typedef struct
{
  GStrv   names;
  GStrv   dates;
  gsize   n_rows;
  double *values;   /* column-major, NaN where the file is empty */
} RefTable;

static void
ref_table_free (RefTable *self)
{
  g_strfreev (self->names);
  g_strfreev (self->dates);
  g_free (self->values);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RefTable, ref_table_free)

static RefTable *
ref_table_load (const char *relative)
{
  g_autofree char *path = sextant_test_reference_path (relative);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  RefTable *self = g_new0 (RefTable, 1);
  gsize n_lines, n_cols;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (g_strchomp (text), "\n", -1);
  n_lines = g_strv_length (lines);
  self->names = g_strsplit (lines[0], ",", -1);
  n_cols = g_strv_length (self->names);
  self->n_rows = n_lines - 1;
  self->dates = g_new0 (char *, n_lines);
  self->values = g_new (double, self->n_rows * n_cols);
  for (gsize r = 0; r < self->n_rows; r++)
    {
      g_auto(GStrv) fields = g_strsplit (g_strchomp (lines[r + 1]), ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, n_cols);
      self->dates[r] = g_strdup (fields[0]);
      for (gsize c = 0; c < n_cols; c++)
        self->values[c * self->n_rows + r] =
          (c == 0 || *fields[c] == '\0') ? NAN : g_ascii_strtod (fields[c], NULL);
    }

  return self;
}

static const double *
ref_column (RefTable   *self,
            const char *name)
{
  for (gsize c = 0; self->names[c] != NULL; c++)
    if (g_strcmp0 (self->names[c], name) == 0)
      return self->values + c * self->n_rows;

  return NULL;
}

static void
assert_series (const char   *label,
               const double *actual,
               const double *expected,
               gsize         n,
               gboolean      crosses_zero)
{
  for (gsize i = 0; i < n; i++)
    {
      gboolean ok = crosses_zero && !isnan (expected[i])
                      ? sextant_test_close_mixed (actual[i], expected[i], REL_TOL)
                      : sextant_test_close_rel (actual[i], expected[i], REL_TOL);

      if (!ok)
        g_error ("%s row %" G_GSIZE_FORMAT ": %.17g, reference %.17g", label, i + 1, actual[i],
                 expected[i]);
    }
}

/* Runs every indicator the references hold on @close (and @high, @low, @volume for ATR,
 * Stochastic(5, 3, 3) and OBV when given) and compares the first @n rows with @ref (SMA … ATR)
 * and @extra (WMA, Stochastic, OBV). */
static void
compare_with_talib (RefTable     *ref,
                    RefTable     *extra,
                    const double *high,
                    const double *low,
                    const double *close,
                    const double *volume,
                    gsize         n_input,
                    gsize         n)
{
  g_autofree double *a = g_new (double, n_input);
  g_autofree double *b = g_new (double, n_input);
  g_autofree double *c = g_new (double, n_input);
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_sma_compute (close, n_input, 20, a, &error));
  assert_series ("sma_20", a, ref_column (ref, "sma_20"), n, FALSE);
  g_assert_true (sextant_ema_compute (close, n_input, 20, a, &error));
  assert_series ("ema_20", a, ref_column (ref, "ema_20"), n, FALSE);
  g_assert_true (sextant_rsi_compute (close, n_input, 14, a, &error));
  assert_series ("rsi_14", a, ref_column (ref, "rsi_14"), n, FALSE);
  g_assert_true (sextant_macd_compute (close, n_input, 12, 26, 9, a, b, c, &error));
  assert_series ("macd", a, ref_column (ref, "macd"), n, TRUE);
  assert_series ("macd_signal", b, ref_column (ref, "macd_signal"), n, TRUE);
  assert_series ("macd_hist", c, ref_column (ref, "macd_hist"), n, TRUE);
  g_assert_true (sextant_bbands_compute (close, n_input, 20, 2.0, a, b, c, &error));
  assert_series ("bb_upper", a, ref_column (ref, "bb_upper"), n, FALSE);
  assert_series ("bb_middle", b, ref_column (ref, "bb_middle"), n, FALSE);
  assert_series ("bb_lower", c, ref_column (ref, "bb_lower"), n, FALSE);
  g_assert_true (sextant_wma_compute (close, n_input, 20, a, &error));
  assert_series ("wma_20", a, ref_column (extra, "wma_20"), n, FALSE);
  if (high != NULL)
    {
      g_assert_true (sextant_atr_compute (high, low, close, n_input, 14, a, &error));
      assert_series ("atr_14", a, ref_column (ref, "atr_14"), n, FALSE);
      g_assert_true (sextant_stoch_compute (high, low, close, n_input, 5, 3, 3, a, b, &error));
      assert_series ("stoch_k", a, ref_column (extra, "stoch_k"), n, TRUE);
      assert_series ("stoch_d", b, ref_column (extra, "stoch_d"), n, TRUE);
      g_assert_true (sextant_obv_compute (close, volume, n_input, a, &error));
      assert_series ("obv", a, ref_column (extra, "obv"), n, TRUE);
    }
  g_assert_no_error (error);
}

/* Rolling volatility (20 log returns, annualised with 252) against numpy's, first @n rows. */
static void
compare_with_numpy (RefTable     *ref,
                    const double *close,
                    gsize         n_input,
                    gsize         n)
{
  g_autofree double *a = g_new (double, n_input);
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_rolling_volatility_compute (close, n_input, 20, 252, a, &error));
  g_assert_no_error (error);
  assert_series ("rolling_vol_20", a, ref_column (ref, "rolling_vol_20"), n, FALSE);
}

static void
assert_same_dates (RefTable      *ref,
                   const gint32  *days,
                   gsize          n)
{
  g_assert_cmpuint (ref->n_rows, ==, n);
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *date = sextant_day_format_iso (days[i]);

      g_assert_cmpstr (date, ==, ref->dates[i]);
    }
}

static void
test_talib_ohlc (gconstpointer data)
{
  const char * const *files = data;
  g_autofree char *path = sextant_test_reference_path (files[0]);
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autoptr(RefTable) ref = ref_table_load (files[1]);
  g_autoptr(RefTable) extra = ref_table_load (files[2]);
  g_autoptr(RefTable) vol = ref_table_load (files[3]);
  g_autoptr(GError) error = NULL;
  gsize n;

  series = sextant_csv_read_price_series (path, "REF", &error);
  g_assert_no_error (error);
  n = sextant_price_series_get_length (series);
  assert_same_dates (ref, sextant_price_series_get_days (series), n);
  assert_same_dates (extra, sextant_price_series_get_days (series), n);
  assert_same_dates (vol, sextant_price_series_get_days (series), n);
  compare_with_talib (ref, extra, sextant_price_series_get_high (series),
                      sextant_price_series_get_low (series),
                      sextant_price_series_get_close (series),
                      sextant_price_series_get_volume (series), n, n);
  compare_with_numpy (vol, sextant_price_series_get_close (series), n, n);
}

/* The same references through the kernels a machine without AVX2 runs (WMA, MACD and ATR have
 * AVX2 ones) */
static void
test_talib_ohlc_no_avx2 (gconstpointer data)
{
#if defined (__x86_64__)
  if (!__builtin_cpu_supports ("avx2"))
    g_test_message ("this machine has no AVX2: the kernels checked here are the default ones");
#endif
  g_setenv ("SEXTANT_INDICATORS_NO_AVX2", "1", TRUE);
  test_talib_ohlc (data);
  g_unsetenv ("SEXTANT_INDICATORS_NO_AVX2");
}

/*
 * The SPI column of SPISECTOR has 16 NA closes (2008-09-02 onwards). The reference file keeps all
 * 2,216 dates (same row count and dates as the prices), and its values show what it did with the
 * gaps: on 2008-09-02 EMA(20) falls from 1189.5097 to 1076.2231 = 1189.5097 · 19/21, i.e. the NA
 * was fed to TA-Lib as 0. So: (1) every row before the first NA is independent of the gap
 * handling and must match as it is; (2) the whole file matches when we feed zeros as the reference
 * did — which checks our arithmetic on all rows, not a convention Sextant uses (Sextant rejects
 * NaN, or drops incomplete rows when asked).
 */
static void
test_talib_spi (void)
{
  g_autofree char *path = sextant_test_reference_path ("market/spisector_prices.csv");
  g_autoptr(SextantPriceTable) table = NULL;
  g_autoptr(RefTable) ref = ref_table_load ("ta/spisector_spi_talib.csv");
  g_autoptr(RefTable) extra = ref_table_load ("ta/spisector_spi_talib_extra.csv");
  g_autoptr(RefTable) vol = ref_table_load ("ta/spisector_spi_numpy.csv");
  g_autoptr(GError) error = NULL;
  g_autofree double *zero_filled = NULL;
  g_autofree double *out = NULL;
  const double *spi;
  gsize n, first_gap = G_MAXSIZE;

  table = sextant_csv_read_price_table (path, &error);
  g_assert_no_error (error);
  n = sextant_price_table_get_n_rows (table);
  assert_same_dates (ref, sextant_price_table_get_days (table), n);
  assert_same_dates (extra, sextant_price_table_get_days (table), n);
  assert_same_dates (vol, sextant_price_table_get_days (table), n);
  spi = sextant_price_table_get_column (table, sextant_price_table_find_column (table, "SPI"));
  zero_filled = g_memdup2 (spi, sizeof (double) * n);
  for (gsize i = 0; i < n; i++)
    if (isnan (spi[i]))
      {
        first_gap = MIN (first_gap, i);
        zero_filled[i] = 0.0;
      }
  g_assert_cmpuint (first_gap, ==, 2182);   /* 2008-09-02, line 2184 of the file */

  /* SPI has closes only: no ATR, Stochastic or OBV; volatility needs positive prices, so only
   * the rows before the gap (numpy's file leaves the windows that touch it empty) */
  compare_with_talib (ref, extra, NULL, NULL, spi, NULL, first_gap, first_gap);
  compare_with_talib (ref, extra, NULL, NULL, zero_filled, NULL, n, n);
  compare_with_numpy (vol, spi, first_gap, first_gap);

  /* and on the real column, the gap is an error naming the row */
  out = g_new (double, n);
  g_assert_false (sextant_ema_compute (spi, n, 20, out, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
  g_assert_nonnull (strstr (error->message, "row 2183"));
}

/* Hand-checkable cases: small inputs where each value can be worked out on paper. */
static void
test_hand_cases (void)
{
  const double x[] = { 1, 2, 3, 4, 5 };
  double out[6], k[6], d[6];
  g_autoptr(GError) error = NULL;

  /* SMA(2) of 1..5: (1+2)/2 = 1.5, 2.5, 3.5, 4.5 */
  g_assert_true (sextant_sma_compute (x, 5, 2, out, &error));
  g_assert_true (isnan (out[0]));
  g_assert_cmpfloat_with_epsilon (out[1], 1.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (out[4], 4.5, 1e-15);

  /* EMA(3), k = 0.5: seed (1+2+3)/3 = 2 at index 2; 0.5·2 + 0.5·4 = 3; 0.5·3 + 0.5·5 = 4 */
  g_assert_true (sextant_ema_compute (x, 5, 3, out, &error));
  g_assert_true (isnan (out[1]));
  g_assert_cmpfloat_with_epsilon (out[2], 2.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (out[3], 3.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (out[4], 4.0, 1e-15);

  /* WMA(3), weights 1,2,3 over 6: (1+4+9)/6 = 14/6, (2+6+12)/6 = 20/6, (3+8+15)/6 = 26/6 */
  g_assert_true (sextant_wma_compute (x, 5, 3, out, &error));
  g_assert_true (isnan (out[1]));
  g_assert_cmpfloat_with_epsilon (out[2], 14.0 / 6, 1e-14);
  g_assert_cmpfloat_with_epsilon (out[3], 20.0 / 6, 1e-14);
  g_assert_cmpfloat_with_epsilon (out[4], 26.0 / 6, 1e-14);

  /* OBV: starts at the first volume; +200 (up), 0 (flat), −400 (down), +500 (up) */
  {
    const double close[] = { 10, 11, 11, 10, 12 };
    const double volume[] = { 100, 200, 300, 400, 500 };
    const double expected[] = { 100, 300, 300, -100, 400 };

    g_assert_true (sextant_obv_compute (close, volume, 5, out, &error));
    for (guint i = 0; i < 5; i++)
      g_assert_cmpfloat (out[i], ==, expected[i]);
  }

  /* Stochastic(3, 2, 2). Raw %K, 100 (C − LL) / (HH − LL) over 3 bars:
   * i=2: HH 12, LL 8 → 100·2/4 = 50;  i=3: HH 13, LL 9 → 100·3/4 = 75;
   * i=4: HH 14, LL 9 → 100·4/5 = 80;  i=5: HH 14, LL 10 → 100·1/4 = 25.
   * slow %K = SMA2: 62.5 (i=3), 77.5 (i=4), 52.5 (i=5); %D = SMA2 of that: 70 (i=4), 65 (i=5).
   * TA-Lib aligns both outputs at lookback 2 + 1 + 1 = 4. */
  {
    const double high[] = { 10, 12, 11, 13, 14, 12 };
    const double low[] = { 8, 9, 9, 10, 11, 10 };
    const double close[] = { 9, 11, 10, 12, 13, 11 };

    g_assert_true (sextant_stoch_compute (high, low, close, 6, 3, 2, 2, k, d, &error));
    g_assert_true (isnan (k[3]) && isnan (d[3]));
    g_assert_cmpfloat_with_epsilon (k[4], 77.5, 1e-12);
    g_assert_cmpfloat_with_epsilon (k[5], 52.5, 1e-12);
    g_assert_cmpfloat_with_epsilon (d[4], 70.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (d[5], 65.0, 1e-12);
  }

  /* Rolling volatility of prices e^0, e^1, e^3, e^6: log returns 1, 2, 3.
   * window 2: sd(1,2) = sd(2,3) = √0.5; window 3: sd(1,2,3) = 1, annualised ×√252. */
  {
    const double p[] = { 1.0, exp (1.0), exp (3.0), exp (6.0) };

    g_assert_true (sextant_rolling_volatility_compute (p, 4, 2, 0, out, &error));
    g_assert_true (isnan (out[1]));
    g_assert_cmpfloat_with_epsilon (out[2], sqrt (0.5), 1e-12);
    g_assert_cmpfloat_with_epsilon (out[3], sqrt (0.5), 1e-12);
    g_assert_true (sextant_rolling_volatility_compute (p, 4, 3, 252, out, &error));
    g_assert_true (isnan (out[2]));
    g_assert_cmpfloat_with_epsilon (out[3], sqrt (252.0), 1e-10);
  }
  g_assert_no_error (error);
}

/* MACD(12, 26, 9) of a ramp x_i = i, long enough (200,000 points) for the path that streams its
 * outputs past the cache, and with outputs at an odd offset (its unaligned start). An EMA with
 * k = 2 / (N + 1) follows a ramp (N − 1) / 2 behind, and both TA-Lib seeds (the means of the
 * last 26 and last 12 values at index 25) start exactly there: so MACD = 12.5 − 5.5 = 7 at every
 * output, the signal (seeded with their mean) 7, the histogram 0. */
static void
test_macd_long_ramp (void)
{
  const gsize n = 200000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *space = g_new (double, 3 * n + 4);

  for (gsize i = 0; i < n; i++)
    x[i] = i;
  for (guint offset = 0; offset < 2; offset++)
    {
      double *macd = space + offset, *signal = macd + n + 1, *hist = signal + n + 1;
      g_autoptr(GError) error = NULL;

      g_assert_true (sextant_macd_compute (x, n, 12, 26, 9, macd, signal, hist, &error));
      g_assert_no_error (error);
      g_assert_true (isnan (macd[32]) && isnan (signal[32]) && isnan (hist[32]));
      for (gsize i = 33; i < n; i++)
        {
          g_assert_cmpfloat_with_epsilon (macd[i], 7.0, 1e-8);
          g_assert_cmpfloat_with_epsilon (signal[i], 7.0, 1e-8);
          g_assert_cmpfloat_with_epsilon (hist[i], 0.0, 1e-8);
        }
    }
}

static void
test_bad_input (void)
{
  const double x[] = { 1, 2, NAN, 4, 5, 6 };
  const double y[] = { 1, 2, 3, 4, 5, 6 };
  double a[6], b[6], c[6], a12[12], b12[12];
  char *row_text = NULL;
  GError *error = NULL;

  /* the NaN is row 3 (1-based), for chained and windowed indicators alike */
  g_assert_false (sextant_sma_compute (x, 6, 2, a, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
  g_assert_nonnull (strstr (error->message, "row 3"));
  g_clear_error (&error);
  g_assert_false (sextant_rsi_compute (x, 6, 2, a, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
  g_clear_error (&error);
  g_assert_false (sextant_wma_compute (x, 6, 2, a, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
  g_clear_error (&error);
  /* ATR, Stochastic and OBV check their inputs while they compute: a NaN or inf anywhere (past the
   * seed, in the last close, which no true range reads, at any place in a block) is reported
   * with its row */
  {
    double h[12], l[12], cl[12];

    for (guint row = 0; row < 12; row++)
      for (guint which = 0; which < 3; which++)
        {
          for (guint i = 0; i < 12; i++)
            {
              h[i] = 11 + i;
              l[i] = 9 + i;
              cl[i] = 10 + i;
            }
          (which == 0 ? h : which == 1 ? l : cl)[row] = row % 3 == 0 ? -INFINITY
                                                        : row % 3 == 1 ? NAN : INFINITY;
          row_text = g_strdup_printf ("row %u ", row + 1);
          g_assert_false (sextant_atr_compute (h, l, cl, 12, 2, a12, &error));
          g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
          g_assert_nonnull (strstr (error->message, row_text));
          g_clear_error (&error);
          g_assert_false (sextant_stoch_compute (h, l, cl, 12, 3, 2, 2, a12, b12, &error));
          g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
          g_assert_nonnull (strstr (error->message, row_text));
          g_clear_error (&error);
          /* OBV of closes @cl with volumes @h */
          g_assert_true (which == 1 || !sextant_obv_compute (cl, h, 12, a12, &error));
          g_assert_true (which == 1 || strstr (error->message, row_text) != NULL);
          g_clear_error (&error);
          g_clear_pointer (&row_text, g_free);
        }
  }
  /* too short for the window: still checked */
  g_assert_false (sextant_ema_compute (x, 6, 10, a, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
  g_clear_error (&error);

  g_assert_false (sextant_sma_compute (y, 0, 2, a, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_false (sextant_sma_compute (y, 6, 0, a, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (sextant_macd_compute (y, 6, 26, 12, 9, a, b, c, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (sextant_bbands_compute (y, 6, 3, -1.0, a, b, c, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (sextant_rolling_volatility_compute (x, 6, 2, 0, a, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE);
  g_clear_error (&error);

  /* a series shorter than the lookback is not an error: every value is NaN, as TA-Lib
   * returns no output */
  g_assert_true (sextant_macd_compute (y, 6, 12, 26, 9, a, b, c, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 6; i++)
    g_assert_true (isnan (a[i]) && isnan (b[i]) && isnan (c[i]));
}

int
main (int    argc,
      char **argv)
{
  static const char *msft[] = { "market/msft_2000-09_2001-09_ohlcv.csv", "ta/msft_talib.csv",
                                "ta/msft_talib_extra.csv", "ta/msft_numpy.csv" };
  static const char *sp500[] = { "market/sp500_2000-2020_ohlcv.csv", "ta/sp500_talib.csv",
                                 "ta/sp500_talib_extra.csv", "ta/sp500_numpy.csv" };

  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/sextant/indicators/talib-msft", msft, test_talib_ohlc);
  g_test_add_data_func ("/sextant/indicators/talib-sp500", sp500, test_talib_ohlc);
  g_test_add_data_func ("/sextant/indicators/talib-sp500-no-avx2", sp500, test_talib_ohlc_no_avx2);
  g_test_add_func ("/sextant/indicators/talib-spi", test_talib_spi);
  g_test_add_func ("/sextant/indicators/hand-cases", test_hand_cases);
  g_test_add_func ("/sextant/indicators/macd-long-ramp", test_macd_long_ramp);
  g_test_add_func ("/sextant/indicators/bad-input", test_bad_input);

  return g_test_run ();
}
