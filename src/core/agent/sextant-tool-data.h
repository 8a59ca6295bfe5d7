#pragma once

#include <glib-object.h>

#include "market/sextant-demo-set.h"
#include "market/sextant-market-cache.h"
#include "market/sextant-portfolio.h"
#include "market/sextant-portfolio-store.h"
#include "analytics/sextant-price-series.h"
#include "analytics/sextant-price-table.h"
#include "knowledge/sextant-kb-searcher.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_TOOL_DATA (sextant_tool_data_get_type ())

G_DECLARE_FINAL_TYPE (SextantToolData, sextant_tool_data, SEXTANT, TOOL_DATA, GObject)

SextantToolData    *sextant_tool_data_new                (SextantDemoSet      *demo_set,
                                                          SextantMarketCache  *cache);
void                sextant_tool_data_add_series         (SextantToolData     *self,
                                                          SextantPriceSeries  *series,
                                                          const char          *source);
void                sextant_tool_data_add_portfolio      (SextantToolData     *self,
                                                          SextantPortfolio    *portfolio);
void                sextant_tool_data_set_portfolio_store (SextantToolData    *self,
                                                          SextantPortfolioStore *store);
void                sextant_tool_data_set_knowledge      (SextantToolData     *self,
                                                          SextantKbSearcher   *searcher);
SextantKbSearcher  *sextant_tool_data_dup_knowledge      (SextantToolData     *self);
SextantMarketCache *sextant_tool_data_get_cache          (SextantToolData     *self);
SextantPriceSeries *sextant_tool_data_get_series         (SextantToolData     *self,
                                                          const char          *symbol,
                                                          char               **source,
                                                          GError             **error);
SextantPriceTable  *sextant_tool_data_get_closes         (SextantToolData     *self,
                                                          const char * const  *symbols,
                                                          GError             **error);
char              **sextant_tool_data_list_symbols       (SextantToolData     *self);
gboolean            sextant_tool_data_has_symbol         (SextantToolData     *self,
                                                          const char          *symbol);
SextantPortfolio   *sextant_tool_data_find_portfolio     (SextantToolData     *self,
                                                          const char          *name,
                                                          GError             **error);
char              **sextant_tool_data_list_portfolios    (SextantToolData     *self);
char               *sextant_tool_data_describe_symbols   (SextantToolData     *self);

G_END_DECLS
