#pragma once

#include "sextant-workspace-window.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_MONITORING_WINDOW (sextant_monitoring_window_get_type ())

G_DECLARE_FINAL_TYPE (SextantMonitoringWindow, sextant_monitoring_window, SEXTANT, MONITORING_WINDOW, SextantWorkspaceWindow)

SextantMonitoringWindow *sextant_monitoring_window_new           (GtkApplication          *application,
                                                                  SextantWorkspace        *workspace);
GtkLabel                *sextant_monitoring_window_get_kpi_label (SextantMonitoringWindow *self,
                                                                  const char              *key);
char                    *sextant_monitoring_window_dup_log_text  (SextantMonitoringWindow *self);
void                     sextant_monitoring_window_reload        (SextantMonitoringWindow *self);
SextantMonitoringWindow *sextant_monitoring_window_present_for   (GtkApplication          *application,
                                                                  SextantWorkspace        *workspace);

G_END_DECLS
