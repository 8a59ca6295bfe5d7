#pragma once

#include <glib.h>

#include "analytics/sextant-price-table.h"
#include "market/sextant-market-cache.h"
#include "market/sextant-portfolio.h"

G_BEGIN_DECLS

/**
 * SextantFxExposure:
 * @currency: an ISO 4217 code the book holds instruments in
 * @value: their market value in the base currency, NaN when the book has no value in money
 *   (every holding is given by weight)
 * @share: their share of the book (the sum of their weights)
 * @n_holdings: how many holdings are priced in @currency
 */
typedef struct
{
  char   *currency;
  double  value;
  double  share;
  guint   n_holdings;
} SextantFxExposure;

/**
 * SextantFxVar:
 * @confidence: e.g. 0.99
 * @var: the one-day loss of the book's value from currency moves alone that is exceeded with
 *   probability 1 − @confidence, in the base currency (positive)
 * @es: the mean of the losses at or beyond @var, in the base currency
 * @share: @var as a fraction of the book's value
 */
typedef struct
{
  double confidence;
  double var;
  double es;
  double share;
} SextantFxVar;

/**
 * SextantBook:
 * @portfolio: the portfolio
 * @closes: one column per holding (then the benchmark, if any), in the portfolio's base
 *   currency, on every date in the range on which any of them has a close, NaN where one has
 *   none: what a wide CSV of the same converted closes holds
 * @symbols: the holdings' symbols, in the portfolio's order
 * @currencies: the currency each holding's prices are in
 * @weights: each holding's weight: its market value in the base currency (shares × converted
 *   close) on @last_day as a share of the book's, or its stored weight
 * @values: each holding's market value in the base currency on @last_day (NaN when the book
 *   has no value in money)
 * @min_weight: each holding's lowest weight for optimization
 * @max_weight: each holding's highest weight for optimization
 * @total_value: the book's market value in the base currency, NaN when it has none
 * @last_day: the last date all the columns share, on which the values are taken
 *
 * A stored portfolio on the cached closes, every amount in its base currency: the input of
 * risk figures and optimization for the CLI and the windows alike.
 */
typedef struct
{
  SextantPortfolio  *portfolio;
  SextantPriceTable *closes;
  char             **symbols;
  char             **currencies;
  double            *weights;
  double            *values;
  double            *min_weight;
  double            *max_weight;
  double             total_value;
  gint32             last_day;
} SextantBook;

gboolean  sextant_book_load                (SextantBook         *self,
                                            SextantMarketCache  *cache,
                                            SextantPortfolio    *portfolio,
                                            gint32               from_day,
                                            gint32               to_day,
                                            const char          *benchmark,
                                            GError             **error);
void      sextant_book_clear               (SextantBook         *self);
char     *sextant_book_dup_holding_currency (SextantMarketCache *cache,
                                            SextantPortfolio    *portfolio,
                                            guint                index);
char    **sextant_book_dup_rate_currencies (SextantMarketCache  *cache,
                                            SextantPortfolio    *portfolio);
gboolean  sextant_book_get_rate_range      (SextantMarketCache  *cache,
                                            SextantPortfolio    *portfolio,
                                            gint32               from_day,
                                            gint32               to_day,
                                            gint32              *first_day,
                                            gint32              *last_day);
SextantPriceTable *sextant_book_convert_table (SextantMarketCache *cache,
                                            SextantPriceTable   *table,
                                            const char * const  *currencies,
                                            const char          *base,
                                            GError             **error);
GArray   *sextant_book_get_fx_exposure     (const SextantBook   *self);
gboolean  sextant_book_get_fx_var          (const SextantBook   *self,
                                            SextantMarketCache  *cache,
                                            const double        *confidences,
                                            guint                n_levels,
                                            SextantFxVar        *levels,
                                            guint               *n_changes,
                                            gint32              *first_day,
                                            GError             **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SextantBook, sextant_book_clear)

G_END_DECLS
