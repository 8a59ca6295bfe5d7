#define G_LOG_DOMAIN "sextant-portfolio-valuation"

#include "config.h"

#include <math.h>

#include "market/sextant-market-error.h"
#include "market/sextant-portfolio-valuation.h"

static gboolean
last_price (SextantPriceTable *prices,
            int                column,
            double            *price,
            gint32            *day)
{
  const double *values = sextant_price_table_get_column (prices, column);
  const gint32 *days = sextant_price_table_get_days (prices);

  for (gsize r = sextant_price_table_get_n_rows (prices); r > 0; r--)
    if (isfinite (values[r - 1]))
      {
        *price = values[r - 1];
        *day = days[r - 1];
        return TRUE;
      }

  return FALSE;
}

/**
 * sextant_portfolio_valuate:
 * @portfolio: holdings by quantity, by weight, or a mix
 * @prices: closes whose column names are the holdings' symbols
 * @error: return location for an error
 *
 * Values each holding at its last available close. Holdings given only as weights take their
 * share of what the quantity holdings are worth, so that a mixed portfolio still adds up.
 *
 * Returns: (transfer full): the valuation, or %NULL when no holding can be priced
 */
SextantValuation *
sextant_portfolio_valuate (SextantPortfolio   *portfolio,
                           SextantPriceTable  *prices,
                           GError            **error)
{
  g_autoptr(SextantValuation) valuation = g_new0 (SextantValuation, 1);
  double quantity_total = 0, weight_total = 0;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (portfolio), NULL);
  g_return_val_if_fail (prices != NULL, NULL);

  valuation->n_positions = sextant_portfolio_get_n_holdings (portfolio);
  valuation->positions = g_new0 (SextantPositionValue, MAX (valuation->n_positions, 1));

  for (guint i = 0; i < valuation->n_positions; i++)
    {
      const SextantHolding *holding = sextant_portfolio_get_holding (portfolio, i);
      SextantPositionValue *position = &valuation->positions[i];
      int column = sextant_price_table_find_column (prices, holding->symbol);

      position->symbol = holding->symbol;
      position->price = NAN;
      position->value = NAN;
      if (column < 0 || !last_price (prices, column, &position->price, &position->price_day))
        {
          valuation->n_unpriced++;
          continue;
        }
      valuation->as_of = MAX (valuation->as_of, position->price_day);
      if (isfinite (holding->quantity))
        {
          position->value = holding->quantity * position->price;
          quantity_total += position->value;
        }
      else if (isfinite (holding->weight))
        weight_total += holding->weight;
    }

  if (valuation->n_unpriced == valuation->n_positions)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                   "None of the portfolio’s %u holdings has a price", valuation->n_positions);
      return NULL;
    }

  /* Weight-only holdings scale the quantity holdings up: if they claim 30 %, the quantities
   * are the other 70 %. With no quantities at all the total is 1 (pure weights). */
  valuation->total = quantity_total > 0 && weight_total < 1 ? quantity_total / (1 - weight_total)
                                                             : (quantity_total > 0 ? quantity_total
                                                                                   : 1.0);
  for (guint i = 0; i < valuation->n_positions; i++)
    {
      const SextantHolding *holding = sextant_portfolio_get_holding (portfolio, i);
      SextantPositionValue *position = &valuation->positions[i];

      if (!isfinite (position->price))
        continue;
      if (!isfinite (holding->quantity) && isfinite (holding->weight))
        position->value = holding->weight * valuation->total;
      position->weight = position->value / valuation->total;
    }

  return g_steal_pointer (&valuation);
}

void
sextant_valuation_free (SextantValuation *self)
{
  if (self == NULL)
    return;

  g_free (self->positions);
  g_free (self);
}
