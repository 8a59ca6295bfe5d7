#pragma once

#include "sextant-chart-view.h"
#include "sextant-risk-window.h"

G_BEGIN_DECLS

struct _SextantRiskWindow
{
  SextantWorkspaceWindow parent_instance;

  GtkMenuButton        *menu_button;
  AdwViewStack         *view_stack;
  GtkDropDown          *portfolio_dropdown;
  GtkSpinner           *spinner;
  GtkLabel             *status_label;
  GtkFlowBox           *kpi_box;
  SextantChartView     *histogram_view;
  SextantChartView     *drawdown_view;
  SextantChartView     *heatmap_view;
  GtkGrid              *component_grid;
  GtkGrid              *stress_grid;
  AdwPreferencesGroup  *instruments_group;
  GtkListBox           *instruments_list;
  GtkLabel             *log_path_label;
  GtkTextView          *log_view;

  GHashTable           *kpi_labels;
  GCancellable         *cancellable;
  SextantRiskFigures   *figures;
};

void _sextant_risk_window_create_tiles     (SextantRiskWindow *self);
void _sextant_risk_window_compute          (SextantRiskWindow *self);
void _sextant_risk_window_refresh_action   (GtkWidget         *widget,
                                            const char        *action_name,
                                            GVariant          *parameter);

G_END_DECLS
