#pragma once

#include <glib.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/*
 * The Rates & FX view's shock: `sextant-cli shock --portfolio NAME --rates … --spreads … --fx
 * CUR=…` on the newest cached curves (Treasury for dollar bonds, ECB AAA for euro bonds), computed by the same core routine
 * (SextantBookShock, which the desks' shock_portfolio calls too) and kept with its portfolio,
 * whose holdings its lines point into, for the panel and the risk report.
 */

typedef struct
{
  const SextantHolding *holding;
  const char           *currency;   /* interned */
  double                value;
  double                rates_pnl;
  double                spreads_pnl;
  double                fx_pnl;
} SextantRatesShockLine;

typedef struct
{
  SextantPortfolio *portfolio;
  gint32            day;
  gint32            curve_day;      /* the first curve's; 0: no curve (a book without bonds) */
  char             *curves_note;    /* which curve each currency's bonds are on, or NULL */
  GArray           *lines;          /* of SextantRatesShockLine */
  double            value;
  double            rates_pnl;
  double            spreads_pnl;
  double            fx_pnl;
} SextantRatesShock;

SextantRatesShock *sextant_rates_shock_compute (SextantMarketCache  *cache,
                                                SextantPortfolio    *portfolio,
                                                double               rates,
                                                double               spreads,
                                                GHashTable          *fx,
                                                GError             **error);
void               sextant_rates_shock_free    (SextantRatesShock   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantRatesShock, sextant_rates_shock_free)

G_END_DECLS
