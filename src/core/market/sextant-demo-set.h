#pragma once

#include <gio/gio.h>

#include "analytics/sextant-price-series.h"
#include "analytics/sextant-price-table.h"
#include "market/sextant-portfolio.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_DEMO_SET (sextant_demo_set_get_type ())

G_DECLARE_FINAL_TYPE (SextantDemoSet, sextant_demo_set, SEXTANT, DEMO_SET, GObject)

SextantDemoSet     *sextant_demo_set_new           (void);
gboolean            sextant_demo_set_load          (SextantDemoSet       *self,
                                                    GError              **error);
void                sextant_demo_set_load_async    (SextantDemoSet       *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean            sextant_demo_set_load_finish   (SextantDemoSet       *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
gboolean            sextant_demo_set_get_loaded    (SextantDemoSet       *self);
SextantPriceSeries *sextant_demo_set_get_index     (SextantDemoSet       *self);
SextantPriceTable  *sextant_demo_set_get_stocks    (SextantDemoSet       *self);
SextantPortfolio   *sextant_demo_set_get_portfolio (SextantDemoSet       *self);

G_END_DECLS
