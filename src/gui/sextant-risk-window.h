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
void                sextant_risk_window_save_report_async  (SextantRiskWindow   *self,
                                                            GFile               *file,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean            sextant_risk_window_save_report_finish (SextantRiskWindow   *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_END_DECLS
