#pragma once

#include <glib.h>

#include "market/sextant-portfolio.h"
#include "analytics/sextant-price-series.h"
#include "analytics/sextant-price-table.h"

G_BEGIN_DECLS

#define SEXTANT_DEMO_INDEX_SYMBOL "^GSPC"

SextantPriceSeries *sextant_demo_data_load_index     (GError **error);
SextantPriceTable  *sextant_demo_data_load_stocks    (GError **error);
SextantPortfolio   *sextant_demo_data_load_portfolio (GError **error);

G_END_DECLS
