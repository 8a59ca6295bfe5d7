#define G_LOG_DOMAIN "sextant-trades"

#include "config.h"

#include <math.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-trades.h"

/**
 * sextant_trade_list_compute:
 * @weights: (array length=k): the target weights
 * @quantities: (array length=k): the shares held now
 * @closes: (array length=k): the last close of each holding
 * @k: the number of holdings
 * @trades: (out caller-allocates) (array length=k): the trade of each holding
 * @portfolio_value: (out) (optional): Σ quantity × close, what the targets are weights of
 * @error: return location for an error naming the holding without a usable close
 *
 * The trades that take the holdings to @weights at the last closes: the target value of a
 * holding is its weight × the portfolio's value, and the shares to trade are
 * (target value − current value) / close, rounded to whole shares (half away from zero), so
 * the amounts are whole shares × close and need not add up to exactly zero.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
sextant_trade_list_compute (const double  *weights,
                            const double  *quantities,
                            const double  *closes,
                            gsize          k,
                            SextantTrade  *trades,
                            double        *portfolio_value,
                            GError       **error)
{
  double total = 0;

  g_return_val_if_fail (k == 0 || (weights != NULL && quantities != NULL && closes != NULL), FALSE);
  g_return_val_if_fail (k == 0 || trades != NULL, FALSE);

  for (gsize j = 0; j < k; j++)
    {
      if (!isfinite (closes[j]) || closes[j] <= 0)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE,
                       "Holding %" G_GSIZE_FORMAT " has no usable close (%g)", j + 1, closes[j]);
          return FALSE;
        }
      if (!isfinite (quantities[j]) || !isfinite (weights[j]))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                       "Holding %" G_GSIZE_FORMAT " has a quantity of %g and a weight of %g",
                       j + 1, quantities[j], weights[j]);
          return FALSE;
        }
      total += quantities[j] * closes[j];
    }

  for (gsize j = 0; j < k; j++)
    {
      SextantTrade *t = &trades[j];

      t->close = closes[j];
      t->current_value = quantities[j] * closes[j];
      t->target_value = weights[j] * total;
      t->shares = round ((t->target_value - t->current_value) / closes[j]);
      /* −0 would print as "-0" shares. */
      if (t->shares == 0)
        t->shares = 0;
      t->amount = t->shares * closes[j];
    }
  if (portfolio_value != NULL)
    *portfolio_value = total;

  return TRUE;
}

/* The first and last rows of @days inside [first_day, last_day], as [*begin, *end). */
static void
find_range (const gint32 *days,
            gsize         n_rows,
            gint32        first_day,
            gint32        last_day,
            gsize        *begin,
            gsize        *end)
{
  *begin = 0;
  while (*begin < n_rows && days[*begin] < first_day)
    (*begin)++;
  for (*end = *begin; *end < n_rows && days[*end] <= last_day; (*end)++)
    ;
}

/**
 * sextant_price_table_summarize_gaps:
 * @table: closes of several instruments, NaN where one has no price
 * @first_day: the first day of the range looked at
 * @last_day: the last day
 * @summary: (out caller-allocates): what is kept and what is dropped, and why
 *
 * Says what aligning the instruments costs over a range: the days kept (those with every
 * price), how many are dropped, the instrument whose prices start last (the usual cause: it
 * listed later or its history is shorter) and the one with most holes after its start.
 */
void
sextant_price_table_summarize_gaps (SextantPriceTable *table,
                                    gint32             first_day,
                                    gint32             last_day,
                                    SextantGapSummary *summary)
{
  const gint32 *days;
  gsize n_rows, n_columns, begin, end;

  g_return_if_fail (table != NULL && summary != NULL);

  *summary = (SextantGapSummary) { .late_column = -1, .gap_column = -1 };
  days = sextant_price_table_get_days (table);
  n_rows = sextant_price_table_get_n_rows (table);
  n_columns = sextant_price_table_get_n_columns (table);
  find_range (days, n_rows, first_day, last_day, &begin, &end);

  for (gsize t = begin; t < end; t++)
    {
      gboolean complete = TRUE;

      for (gsize c = 0; c < n_columns && complete; c++)
        complete = isfinite (sextant_price_table_get_column (table, c)[t]);
      if (!complete)
        {
          summary->n_dropped++;
          continue;
        }
      if (summary->n_rows++ == 0)
        summary->first_day = days[t];
      summary->last_day = days[t];
    }

  for (gsize c = 0; c < n_columns; c++)
    {
      const double *column = sextant_price_table_get_column (table, c);
      gsize t = begin, holes = 0;

      while (t < end && !isfinite (column[t]))
        t++;
      /* A column without any price in the range starts "never", G_MAXINT32. */
      if (t > begin && (summary->late_column < 0 ||
                        (t < end ? days[t] : G_MAXINT32) > summary->late_first_day))
        {
          summary->late_column = c;
          summary->late_first_day = t < end ? days[t] : G_MAXINT32;
        }
      for (; t < end; t++)
        holes += !isfinite (column[t]);
      if (holes > summary->n_gap_rows)
        {
          summary->gap_column = c;
          summary->n_gap_rows = holes;
        }
    }
}
