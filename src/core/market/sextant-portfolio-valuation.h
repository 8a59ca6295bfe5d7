#pragma once

#include <glib.h>

#include "market/sextant-portfolio.h"
#include "analytics/sextant-price-table.h"

G_BEGIN_DECLS

/**
 * SextantPositionValue:
 * @symbol: the holding's symbol
 * @price: last available close at or before the valuation date, NaN if none
 * @price_day: the day of @price
 * @value: quantity × price, or weight × total for weight-only holdings
 * @weight: share of the portfolio's total value
 */
typedef struct
{
  const char *symbol;
  double      price;
  gint32      price_day;
  double      value;
  double      weight;
} SextantPositionValue;

/**
 * SextantValuation:
 * @n_positions: number of holdings
 * @positions: one entry per holding, in the portfolio's order
 * @total: the sum of position values
 * @as_of: the valuation day
 * @n_unpriced: holdings with no price in the table (their value is NaN, left out of @total)
 */
typedef struct
{
  guint                 n_positions;
  SextantPositionValue *positions;
  double                total;
  gint32                as_of;
  guint                 n_unpriced;
} SextantValuation;

SextantValuation *sextant_portfolio_valuate  (SextantPortfolio  *portfolio,
                                              SextantPriceTable *prices,
                                              GError           **error);
void              sextant_valuation_free     (SextantValuation  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantValuation, sextant_valuation_free)

G_END_DECLS
