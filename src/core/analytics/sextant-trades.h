#pragma once

#include <glib.h>

#include "analytics/sextant-price-table.h"

G_BEGIN_DECLS

/**
 * SextantTrade:
 * @close: the last close the trade is priced at
 * @current_value: the shares held × @close
 * @target_value: the target weight × the portfolio's value
 * @shares: whole shares to buy (positive) or sell (negative)
 * @amount: @shares × @close, what the trade costs (positive) or brings in (negative)
 */
typedef struct
{
  double close;
  double current_value;
  double target_value;
  double shares;
  double amount;
} SextantTrade;

/**
 * SextantGapSummary:
 * @first_day: the first day of the range that has a price of every column
 * @last_day: the last such day
 * @n_rows: the days of the range with every price
 * @n_dropped: the days of the range dropped because a column has no price on them
 * @late_column: the column whose prices start last, or -1 if no column starts late
 * @late_first_day: the first day with a price in @late_column (G_MAXINT32: none in the range)
 * @gap_column: the column missing on most of the other dropped days, or -1
 * @n_gap_rows: how many days @gap_column misses after its first price
 */
typedef struct
{
  gint32 first_day;
  gint32 last_day;
  gsize  n_rows;
  gsize  n_dropped;
  int    late_column;
  gint32 late_first_day;
  int    gap_column;
  gsize  n_gap_rows;
} SextantGapSummary;

gboolean sextant_trade_list_compute        (const double       *weights,
                                            const double       *quantities,
                                            const double       *closes,
                                            gsize               k,
                                            SextantTrade       *trades,
                                            double             *portfolio_value,
                                            GError            **error);
void     sextant_price_table_summarize_gaps (SextantPriceTable *table,
                                            gint32              first_day,
                                            gint32              last_day,
                                            SextantGapSummary  *summary);

G_END_DECLS
