#pragma once

#include <glib-object.h>

#include "analytics/sextant-bond.h"

G_BEGIN_DECLS

/**
 * SextantHoldingKind:
 * @SEXTANT_HOLDING_EQUITY: an instrument with daily closes (shares, funds, indices)
 * @SEXTANT_HOLDING_BOND: a fixed-rate bullet bond, valued off a yield curve
 * @SEXTANT_HOLDING_CASH: an amount of money in a currency
 */
typedef enum
{
  SEXTANT_HOLDING_EQUITY,
  SEXTANT_HOLDING_BOND,
  SEXTANT_HOLDING_CASH,
} SextantHoldingKind;

/**
 * SextantHolding:
 * @symbol: the instrument
 * @quantity: units held, or NaN when the holding is given as a weight
 * @weight: fraction of the portfolio, or NaN when given as a quantity
 * @currency: ISO 4217 code
 * @min_weight: lower bound for optimization (0 for long-only)
 * @max_weight: upper bound for optimization (1 when unconstrained)
 * @cost_basis: price paid per unit, or NaN when not recorded
 * @kind: equity, bond or cash
 * @bond: a bond's terms (@bond.face is the face amount held, equal to @quantity); zero otherwise
 * @spread: a bond's spread over the curve it is discounted on, a fraction continuously
 *   compounded on act/365f time (a credit bond's), or NaN for none (a government bond)
 *
 * A cash holding's @quantity is its amount in @currency; its symbol is `CASH:` and the currency.
 */
typedef struct
{
  char   *symbol;
  double  quantity;
  double  weight;
  char   *currency;
  double  min_weight;
  double  max_weight;
  double  cost_basis;
  SextantHoldingKind kind;
  SextantBond        bond;
  double             spread;
} SextantHolding;

const char           *sextant_holding_kind_name        (SextantHoldingKind kind);
gboolean              sextant_holding_kind_from_name   (const char       *name,
                                                        SextantHoldingKind *kind);
char                 *sextant_holding_cash_symbol      (const char       *currency);

#define SEXTANT_TYPE_PORTFOLIO (sextant_portfolio_get_type ())

G_DECLARE_FINAL_TYPE (SextantPortfolio, sextant_portfolio, SEXTANT, PORTFOLIO, GObject)

SextantPortfolio     *sextant_portfolio_new            (const char       *name);
const char           *sextant_portfolio_get_name       (SextantPortfolio *self);
void                  sextant_portfolio_set_name       (SextantPortfolio *self,
                                                        const char       *name);
const char           *sextant_portfolio_get_base_currency (SextantPortfolio *self);
void                  sextant_portfolio_set_base_currency (SextantPortfolio *self,
                                                        const char       *currency);
const char           *sextant_portfolio_get_benchmark  (SextantPortfolio *self);
void                  sextant_portfolio_set_benchmark  (SextantPortfolio *self,
                                                        const char       *benchmark);
guint                 sextant_portfolio_get_n_holdings (SextantPortfolio *self);
const SextantHolding *sextant_portfolio_get_holding    (SextantPortfolio *self,
                                                        guint             index);
void                  sextant_portfolio_add_holding    (SextantPortfolio *self,
                                                        const char       *symbol,
                                                        double            quantity,
                                                        double            weight,
                                                        const char       *currency);
void                  sextant_portfolio_add_bond       (SextantPortfolio *self,
                                                        const char       *name,
                                                        const SextantBond *bond,
                                                        double            spread,
                                                        const char       *currency);
void                  sextant_portfolio_add_cash       (SextantPortfolio *self,
                                                        const char       *currency,
                                                        double            amount);
void                  sextant_portfolio_copy_holding   (SextantPortfolio *self,
                                                        const SextantHolding *holding);
void                  sextant_portfolio_take_terms     (SextantPortfolio *self,
                                                        SextantPortfolio *source);
gboolean              sextant_portfolio_has_kind       (SextantPortfolio *self,
                                                        SextantHoldingKind kind);
void                  sextant_portfolio_set_bounds     (SextantPortfolio *self,
                                                        guint             index,
                                                        double            min_weight,
                                                        double            max_weight);
void                  sextant_portfolio_set_cost_basis (SextantPortfolio *self,
                                                        guint             index,
                                                        double            cost_basis);
int                   sextant_portfolio_find_holding   (SextantPortfolio *self,
                                                        const char       *symbol);
gboolean              sextant_portfolio_remove_holding (SextantPortfolio *self,
                                                        const char       *symbol);
char                **sextant_portfolio_dup_symbols    (SextantPortfolio *self);

G_END_DECLS
