#define G_LOG_DOMAIN "sextant-resample"

#include "config.h"

#include <math.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-resample.h"

/* Day 0 (1970-01-01) was a Thursday, so day + 3 counts from Monday 1969-12-29. */
static gint64
period_key (gint32                day,
            SextantResamplePeriod period)
{
  int year = 0, month = 0;

  if (period == SEXTANT_RESAMPLE_WEEKLY)
    {
      gint64 shifted = (gint64) day + 3;

      return shifted >= 0 ? shifted / 7 : -((-shifted + 6) / 7);
    }

  sextant_day_to_ymd (day, &year, &month, NULL);
  return (gint64) year * 12 + (month - 1);
}

static gboolean
check_days (const gint32  *days,
            gsize          n,
            const char    *what,
            GError       **error)
{
  if (n == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "%s: nothing to resample, there are no rows", what);
      return FALSE;
    }
  for (gsize i = 1; i < n; i++)
    if (days[i] <= days[i - 1])
      {
        g_autofree char *date = sextant_day_format_iso (days[i]);

        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_DATE_ORDER,
                     "%s: row %" G_GSIZE_FORMAT " (%s) is %s the row before it", what, i + 1,
                     date, days[i] == days[i - 1] ? "a duplicate of" : "older than");
        return FALSE;
      }

  return TRUE;
}

/* Fills @last with the index of each period's last row; returns how many periods there are. */
static gsize
period_ends (const gint32          *days,
             gsize                  n,
             SextantResamplePeriod  period,
             gsize                 *last)
{
  gsize count = 0;

  for (gsize i = 0; i < n; i++)
    if (i + 1 == n || period_key (days[i], period) != period_key (days[i + 1], period))
      last[count++] = i;

  return count;
}

/* NaN-aware sum: missing volumes are skipped, and a period with none stays NaN. */
static double
sum_present (const double *x,
             gsize         from,
             gsize         to)
{
  double sum = 0.0;
  gboolean any = FALSE;

  for (gsize i = from; i <= to; i++)
    if (!isnan (x[i]))
      {
        sum += x[i];
        any = TRUE;
      }

  return any ? sum : NAN;
}

/**
 * sextant_resample_series:
 * @series: daily bars with strictly increasing dates
 * @period: weekly or monthly
 * @error: return location for an error naming an out-of-order or duplicated row
 *
 * One bar per period, dated on the period's last trading day: the first open, the highest high,
 * the lowest low (missing highs and lows are skipped), the last close, and the summed volume.
 *
 * Returns: (transfer full): the resampled series, or %NULL
 */
SextantPriceSeries *
sextant_resample_series (SextantPriceSeries     *series,
                         SextantResamplePeriod   period,
                         GError                **error)
{
  const gint32 *days;
  const double *open, *high, *low, *close, *volume;
  g_autofree gsize *last = NULL;
  SextantPriceSeries *out;
  gsize n, count, first = 0;

  g_return_val_if_fail (series != NULL, NULL);

  n = sextant_price_series_get_length (series);
  days = sextant_price_series_get_days (series);
  if (!check_days (days, n, sextant_price_series_get_symbol (series), error))
    return NULL;

  open = sextant_price_series_get_open (series);
  high = sextant_price_series_get_high (series);
  low = sextant_price_series_get_low (series);
  close = sextant_price_series_get_close (series);
  volume = sextant_price_series_get_volume (series);
  last = g_new (gsize, n);
  count = period_ends (days, n, period, last);
  out = sextant_price_series_new (sextant_price_series_get_symbol (series), count);
  for (gsize k = 0; k < count; k++)
    {
      double hi = NAN, lo = NAN;

      for (gsize i = first; i <= last[k]; i++)
        {
          hi = fmax (hi, high[i]);
          lo = fmin (lo, low[i]);
        }
      sextant_price_series_set_row (out, k, days[last[k]], open[first], hi, lo, close[last[k]],
                                    sum_present (volume, first, last[k]));
      first = last[k] + 1;
    }

  return out;
}

/**
 * sextant_resample_table:
 * @table: closes of several instruments, strictly increasing dates
 * @period: weekly or monthly
 * @error: return location for an error
 *
 * Keeps each period's last row (its closes, NaN included: gaps are not filled from earlier days;
 * see sextant_align_handle_gaps()).
 *
 * Returns: (transfer full): the resampled table, or %NULL
 */
SextantPriceTable *
sextant_resample_table (SextantPriceTable      *table,
                        SextantResamplePeriod   period,
                        GError                **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree gsize *last = NULL;
  SextantPriceTable *out;
  const gint32 *days;
  gsize n, n_cols, count;

  g_return_val_if_fail (table != NULL, NULL);

  n = sextant_price_table_get_n_rows (table);
  n_cols = sextant_price_table_get_n_columns (table);
  days = sextant_price_table_get_days (table);
  if (!check_days (days, n, "price table", error))
    return NULL;

  for (gsize c = 0; c < n_cols; c++)
    g_ptr_array_add (names, (gpointer) sextant_price_table_get_column_name (table, c));
  g_ptr_array_add (names, NULL);
  last = g_new (gsize, n);
  count = period_ends (days, n, period, last);
  out = sextant_price_table_new (count, (const char * const *) names->pdata);
  for (gsize k = 0; k < count; k++)
    sextant_price_table_get_days_mutable (out)[k] = days[last[k]];
  for (gsize c = 0; c < n_cols; c++)
    {
      const double *src = sextant_price_table_get_column (table, c);
      double *dst = sextant_price_table_get_column_mutable (out, c);

      for (gsize k = 0; k < count; k++)
        dst[k] = src[last[k]];
    }

  return out;
}
