#pragma once

#include "sextant-chart-view.h"
#include "sextant-rates-shock.h"
#include "sextant-rates-view.h"

G_BEGIN_DECLS

struct _SextantRatesView
{
  GtkWidget            parent_instance;

  GtkWidget           *scroller;
  GtkDropDown         *source_dropdown;
  GtkDropDown         *compare_dropdown;
  GtkSpinner          *spinner;
  GtkLabel            *status_label;
  SextantChartView    *curve_view;
  GtkLabel            *curve_caption;
  SextantChartView    *fx_view;
  GtkLabel            *fx_caption;
  SextantChartView    *spread_view;
  GtkLabel            *spread_caption;
  GtkSpinButton       *rates_spin;
  GtkSpinButton       *spreads_spin;
  AdwExpanderRow      *fx_shocks_row;
  GtkLabel            *shock_status_label;
  GtkGrid             *shock_grid;

  SextantWorkspace    *workspace;
  char                *portfolio_name;
  GCancellable        *cancellable;        /* while the figures are computed */
  SextantRatesFigures *figures;

  SextantMarketCache  *fetch_cache;
  GCancellable        *fetch_cancellable;
  guint                pending_fetches;
  int                  first_year;
  GString             *fetch_notes;
  SextantFredSeries   *spreads;            /* as fetched; the cache keeps them for display only */

  GPtrArray           *fx_shock_rows;      /* AdwActionRows, their spin button as "spin" */
  GCancellable        *shock_cancellable;
  SextantRatesShock   *shock;              /* the last applied */
  gboolean             exposure;           /* the book holds bonds or other currencies */
  double               shock_total[5];
};

void _sextant_rates_view_compute             (SextantRatesView *self);
void _sextant_rates_view_update_busy         (SextantRatesView *self);

void _sextant_rates_view_class_init_shock    (GtkWidgetClass   *widget_class);
void _sextant_rates_view_init_shock          (SextantRatesView *self);
void _sextant_rates_view_update_currencies   (SextantRatesView *self);
void _sextant_rates_view_clear_shock         (SextantRatesView *self);
void _sextant_rates_view_dispose_shock       (SextantRatesView *self);

G_END_DECLS
