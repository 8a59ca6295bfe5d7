#define G_LOG_DOMAIN "sextant-price-series"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-price-series.h"

struct _SextantPriceSeries
{
  char   *symbol;
  gsize   n_rows;
  gint32 *days;
  /* One allocation holds the five columns back to back. */
  double *columns;
};

G_DEFINE_BOXED_TYPE (SextantPriceSeries, sextant_price_series,
                     sextant_price_series_ref, sextant_price_series_unref)

/**
 * sextant_price_series_new:
 * @symbol: the instrument's symbol
 * @n_rows: the number of daily bars
 *
 * Returns: (transfer full): a series of @n_rows bars, every value NaN until set
 */
SextantPriceSeries *
sextant_price_series_new (const char *symbol,
                          gsize       n_rows)
{
  SextantPriceSeries *self;

  g_return_val_if_fail (symbol != NULL, NULL);

  self = g_atomic_rc_box_new0 (SextantPriceSeries);
  self->symbol = g_strdup (symbol);
  self->n_rows = n_rows;
  self->days = g_new0 (gint32, MAX (n_rows, 1));
  self->columns = g_new (double, MAX (n_rows, 1) * 5);
  for (gsize i = 0; i < MAX (n_rows, 1) * 5; i++)
    self->columns[i] = NAN;

  return self;
}

SextantPriceSeries *
sextant_price_series_ref (SextantPriceSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
sextant_price_series_clear (gpointer data)
{
  SextantPriceSeries *self = data;

  g_free (self->symbol);
  g_free (self->days);
  g_free (self->columns);
}

void
sextant_price_series_unref (SextantPriceSeries *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, sextant_price_series_clear);
}

const char *
sextant_price_series_get_symbol (SextantPriceSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->symbol;
}

gsize
sextant_price_series_get_length (SextantPriceSeries *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_rows;
}

void
sextant_price_series_set_row (SextantPriceSeries *self,
                              gsize               row,
                              gint32              day,
                              double              open,
                              double              high,
                              double              low,
                              double              close,
                              double              volume)
{
  gsize n;

  g_return_if_fail (self != NULL);
  g_return_if_fail (row < self->n_rows);

  n = self->n_rows;
  self->days[row] = day;
  self->columns[row] = open;
  self->columns[n + row] = high;
  self->columns[2 * n + row] = low;
  self->columns[3 * n + row] = close;
  self->columns[4 * n + row] = volume;
}

const gint32 *
sextant_price_series_get_days (SextantPriceSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->days;
}

const double *
sextant_price_series_get_open (SextantPriceSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->columns;
}

const double *
sextant_price_series_get_high (SextantPriceSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->columns + self->n_rows;
}

const double *
sextant_price_series_get_low (SextantPriceSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->columns + 2 * self->n_rows;
}

const double *
sextant_price_series_get_close (SextantPriceSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->columns + 3 * self->n_rows;
}

const double *
sextant_price_series_get_volume (SextantPriceSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->columns + 4 * self->n_rows;
}

/**
 * sextant_price_series_validate:
 * @self: a series
 * @error: return location for a #SEXTANT_ANALYTICS_ERROR naming the offending row
 *
 * Checks what every computation on closes relies on: at least one row, strictly increasing dates,
 * finite and positive closes. Rows are reported 1-based, as a spreadsheet would show them.
 *
 * Returns: %TRUE if the series can be used as it is
 */
gboolean
sextant_price_series_validate (SextantPriceSeries  *self,
                               GError             **error)
{
  const double *close;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->n_rows == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "%s: the series has no rows", self->symbol);
      return FALSE;
    }

  close = sextant_price_series_get_close (self);
  for (gsize i = 0; i < self->n_rows; i++)
    {
      if (i > 0 && self->days[i] <= self->days[i - 1])
        {
          g_autofree char *date = sextant_day_format_iso (self->days[i]);

          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_DATE_ORDER,
                       "%s: row %" G_GSIZE_FORMAT " (%s) is %s the row before it",
                       self->symbol, i + 1, date,
                       self->days[i] == self->days[i - 1] ? "a duplicate of" : "older than");
          return FALSE;
        }
      if (!isfinite (close[i]))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                       "%s: row %" G_GSIZE_FORMAT " has no valid close", self->symbol, i + 1);
          return FALSE;
        }
      if (close[i] <= 0)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE,
                       "%s: row %" G_GSIZE_FORMAT " has a non-positive close (%g)",
                       self->symbol, i + 1, close[i]);
          return FALSE;
        }
    }

  return TRUE;
}
