#pragma once

#include <adwaita.h>

#include "sextant-workspace-window.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_RISK_WINDOW (sextant_risk_window_get_type ())

G_DECLARE_FINAL_TYPE (SextantRiskWindow, sextant_risk_window, SEXTANT, RISK_WINDOW, SextantWorkspaceWindow)

SextantRiskWindow *sextant_risk_window_new (GtkApplication   *application,
                                            SextantWorkspace *workspace);

G_END_DECLS
