#pragma once

#include <adwaita.h>

#include "sextant-risk-figures.h"
#include "sextant-workspace-window.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_RISK_WINDOW (sextant_risk_window_get_type ())

G_DECLARE_FINAL_TYPE (SextantRiskWindow, sextant_risk_window, SEXTANT, RISK_WINDOW, SextantWorkspaceWindow)

SextantRiskWindow  *sextant_risk_window_new           (GtkApplication    *application,
                                                       SextantWorkspace  *workspace);
gboolean            sextant_risk_window_get_busy      (SextantRiskWindow *self);
gboolean            sextant_risk_window_get_refreshing (SextantRiskWindow *self);
SextantRiskFigures *sextant_risk_window_get_figures   (SextantRiskWindow *self);
GtkLabel           *sextant_risk_window_get_kpi_label (SextantRiskWindow *self,
                                                       const char        *key);

G_END_DECLS
