#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "market/sextant-market-cache.h"
#include "market/sextant-par-curve.h"
#include "market/sextant-portfolio.h"

G_BEGIN_DECLS

/**
 * SextantShockScenario:
 * @rates: parallel move of every rate of every curve (par yields, or zero rates), a fraction
 *   (0.01 is +100 bp)
 * @spreads: move of the credit spread of the bonds held with one, a fraction
 * @fx: (element-type utf8 double): upper-case ISO 4217 code → change of what one unit of that
 *   currency is worth in the base currency, a fraction (-0.1 is a 10 % fall), as a `double *`
 *
 * The moves of a shock, as `sextant-cli shock` and the desks' `shock_portfolio` take them.
 */
typedef struct
{
  double      rates;
  double      spreads;
  GHashTable *fx;
} SextantShockScenario;

/**
 * SextantShockLine:
 * @holding: the holding, owned by the shock's portfolio
 * @currency: (not nullable): an interned ISO 4217 code the holding is priced in
 * @as_of: the day of its value (a stock's last close on or before the valuation day)
 * @value: its value in the base currency before any move
 * @rates_pnl: what the rates move does to it, in the base currency
 * @spreads_pnl: what the spread move does to it (bonds held with a spread)
 * @fx_pnl: what its currency's move does to it, after the other moves
 * @pnl: @rates_pnl + @spreads_pnl + @fx_pnl
 * @dirty_price: a bond's dirty price per 100 before the moves, else NaN
 * @dirty_price_after: a bond's dirty price per 100 on the moved curve, else NaN
 * @spread_duration: a bond's spread duration in years, else NaN
 */
typedef struct
{
  const SextantHolding *holding;
  const char           *currency;
  gint32                as_of;
  double                value;
  double                rates_pnl;
  double                spreads_pnl;
  double                fx_pnl;
  double                pnl;
  double                dirty_price;
  double                dirty_price_after;
  double                spread_duration;
} SextantShockLine;

/**
 * SextantShockCurveKind:
 * @SEXTANT_SHOCK_CURVE_PAR: par yields, bootstrapped as the US Treasury's (sextant_yield_curve_bootstrap())
 * @SEXTANT_SHOCK_CURVE_ZERO: continuously compounded zero rates, as the ECB publishes its spot
 *   rates (sextant_yield_curve_from_zero())
 *
 * What the rates of a shock's curve are; the rates move shifts them and the curve is built again.
 */
typedef enum
{
  SEXTANT_SHOCK_CURVE_PAR,
  SEXTANT_SHOCK_CURVE_ZERO,
} SextantShockCurveKind;

/**
 * SextantShockCurve:
 * @currency: the upper-case ISO 4217 code of the bonds it values
 * @kind: what its rates are
 * @rates: (not nullable): its day, tenors and rates in percent (a copy, owned)
 */
typedef struct
{
  char                  *currency;
  SextantShockCurveKind  kind;
  SextantParCurve       *rates;
} SextantShockCurve;

/**
 * SextantBookShock:
 * @portfolio: the portfolio shocked
 * @day: the valuation day
 * @curves: (element-type SextantShockCurve) (nullable): the curves by currency, in the order
 *   sextant_book_shock_add_curve() was called; a bond is valued on its currency's only
 * @curve_source: (nullable): the source of the first curve, %NULL when there is none
 * @curve_day: the first curve's day, 0 without one
 * @rates: the scenario's rates move, a fraction
 * @spreads: the scenario's spread move, a fraction
 * @fx: the scenario's currency moves (a reference to its table)
 * @lines: (element-type SextantShockLine): one per holding, in the portfolio's order
 * @total: the sums of the lines (@holding is %NULL, @currency the base currency)
 *
 * A rates, FX and credit-spread scenario's P&L on a stored portfolio, holding by holding, in
 * its base currency: what `sextant-cli shock` prints and the desks' `shock_portfolio` returns.
 * Zeroed, it takes curves (sextant_book_shock_add_curve()), then sextant_book_shock_run() fills
 * the rest.
 */
typedef struct
{
  SextantPortfolio *portfolio;
  gint32            day;
  GPtrArray        *curves;
  char             *curve_source;
  gint32            curve_day;
  double            rates;
  double            spreads;
  GHashTable       *fx;
  GArray           *lines;
  SextantShockLine  total;
} SextantBookShock;

/* Rates kept for converting stocks' closes over the days before the valuation day. */
#define SEXTANT_BOOK_SHOCK_CLOSE_WINDOW_DAYS 31

void        sextant_shock_scenario_init   (SextantShockScenario        *self);
void        sextant_shock_scenario_clear  (SextantShockScenario        *self);
gboolean    sextant_shock_scenario_add_fx (SextantShockScenario        *self,
                                           const char                  *currency,
                                           double                       change);

gboolean    sextant_book_shock_add_curve  (SextantBookShock            *self,
                                           const char                  *currency,
                                           SextantShockCurveKind        kind,
                                           const SextantParCurve       *rates);
const SextantShockCurve *
            sextant_book_shock_get_curve  (const SextantBookShock      *self,
                                           const char                  *currency);
gboolean    sextant_book_shock_holds_bonds_in (SextantPortfolio        *portfolio,
                                               const char              *currency);
gboolean    sextant_book_shock_add_cached_curves (SextantBookShock     *self,
                                                  SextantMarketCache   *cache,
                                                  SextantPortfolio     *portfolio,
                                                  gint32                day,
                                                  GError              **error);
gint32      sextant_book_shock_pick_day   (const SextantBookShock      *self,
                                           SextantMarketCache          *cache,
                                           SextantPortfolio            *portfolio,
                                           gint32                       day);
gboolean    sextant_book_shock_run        (SextantBookShock            *self,
                                           SextantMarketCache          *cache,
                                           SextantPortfolio            *portfolio,
                                           gint32                       day,
                                           const SextantShockScenario  *scenario,
                                           GError                     **error);
void        sextant_book_shock_clear      (SextantBookShock            *self);
JsonNode   *sextant_book_shock_to_json    (const SextantBookShock      *self);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SextantShockScenario, sextant_shock_scenario_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SextantBookShock, sextant_book_shock_clear)

G_END_DECLS
