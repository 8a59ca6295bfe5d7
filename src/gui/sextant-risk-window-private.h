#pragma once

#include "sextant-chart-view.h"
#include "sextant-portfolio-choices.h"
#include "sextant-price-fetch.h"
#include "sextant-rates-view.h"
#include "sextant-risk-window.h"

G_BEGIN_DECLS

struct _SextantRiskWindow
{
  SextantWorkspaceWindow parent_instance;

  GtkMenuButton        *menu_button;
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  GtkDropDown          *portfolio_dropdown;
  GtkSpinner           *spinner;
  GtkLabel             *status_label;
  GtkProgressBar       *refresh_progress;
  GtkWidget            *cancel_refresh_button;
  GtkRevealer          *refresh_result_revealer;
  GtkLabel             *refresh_result_label;
  GtkListBox           *refresh_failures_list;
  GtkFlowBox           *kpi_box;
  SextantChartView     *histogram_view;
  SextantChartView     *drawdown_view;
  SextantChartView     *heatmap_view;
  SextantRatesView     *rates_view;
  GtkGrid              *component_grid;
  GtkGrid              *exposure_grid;
  GtkGrid              *stress_grid;
  GtkEntry             *stress_name_entry;
  GtkSpinButton        *stress_value_spin;
  GtkSpinButton        *market_shock_spin;
  AdwExpanderRow       *instrument_shocks_row;
  AdwExpanderRow       *currency_shocks_row;
  GtkLabel             *shock_result_label;
  GtkListBox           *saved_stress_list;
  AdwPreferencesGroup  *saved_stress_group;
  GPtrArray            *shock_rows;          /* (row, its expander) pairs, to remove them */
  GPtrArray            *instrument_entries;  /* one per holding, its symbol as "key" */
  GPtrArray            *currency_entries;    /* one per foreign currency, its code as "key" */
  char                **shock_currencies;    /* each holding's currency, as the figures' symbols */
  char                 *base_currency;
  AdwPreferencesGroup  *instruments_group;
  GtkListBox           *instruments_list;
  GtkStringList        *portfolio_names;    /* the dropdown's choices */
  char                 *portfolio_name;     /* the chosen one, followed through renames */
  gboolean              updating_choices;

  GHashTable           *kpi_labels;
  GCancellable         *cancellable;
  SextantPriceFetch    *refresh_fetch;        /* while prices are refreshed */
  SextantRiskFigures   *figures;
  char                 *prices_note;        /* where the figures' prices came from */
  gboolean              writing_report;
};

void _sextant_risk_window_create_tiles     (SextantRiskWindow *self);
void _sextant_risk_window_compute          (SextantRiskWindow *self);
void _sextant_risk_window_update_choices  (SextantRiskWindow *self);
void _sextant_risk_window_show_status     (SextantRiskWindow *self);

void _sextant_risk_window_refresh_prices         (SextantRiskWindow *self);
void _sextant_risk_window_cancel_refresh         (SextantRiskWindow *self);
void _sextant_risk_window_dispose_refresh        (SextantRiskWindow *self);
void _sextant_risk_window_refresh_action         (GtkWidget         *widget,
                                                  const char        *action_name,
                                                  GVariant          *parameter);
void _sextant_risk_window_refresh_prices_action  (GtkWidget         *widget,
                                                  const char        *action_name,
                                                  GVariant          *parameter);
void _sextant_risk_window_cancel_refresh_action  (GtkWidget         *widget,
                                                  const char        *action_name,
                                                  GVariant          *parameter);


void _sextant_risk_window_class_init_shocks      (GtkWidgetClass    *widget_class);
void _sextant_risk_window_init_shocks            (SextantRiskWindow *self);
void _sextant_risk_window_show_shocks            (SextantRiskWindow *self);
void _sextant_risk_window_dispose_shocks         (SextantRiskWindow *self);

void _sextant_risk_window_class_init_report      (GtkWidgetClass    *widget_class);
void _sextant_risk_window_update_report_action   (SextantRiskWindow *self);


G_END_DECLS
