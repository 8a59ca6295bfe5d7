#pragma once

#include <adwaita.h>

#include "sextant-core.h"
#include "sextant-rates-figures.h"
#include "sextant-rates-shock.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_RATES_VIEW (sextant_rates_view_get_type ())

G_DECLARE_FINAL_TYPE (SextantRatesView, sextant_rates_view, SEXTANT, RATES_VIEW, GtkWidget)

void                 sextant_rates_view_set_workspace  (SextantRatesView *self,
                                                        SextantWorkspace *workspace);
void                 sextant_rates_view_set_portfolio  (SextantRatesView *self,
                                                        const char       *name);
void                 sextant_rates_view_refresh        (SextantRatesView *self);
gboolean             sextant_rates_view_get_busy       (SextantRatesView *self);
SextantRatesFigures *sextant_rates_view_get_figures    (SextantRatesView *self);
SextantRatesShock   *sextant_rates_view_get_shock      (SextantRatesView *self);
gboolean             sextant_rates_view_get_exposure   (SextantRatesView *self);
const char          *sextant_rates_view_get_portfolio  (SextantRatesView *self);

G_END_DECLS
