#pragma once

#include <adwaita.h>

#include "sextant-core.h"
#include "sextant-backup-group.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_PREFERENCES_WINDOW (sextant_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (SextantPreferencesWindow, sextant_preferences_window, SEXTANT, PREFERENCES_WINDOW, AdwPreferencesWindow)

SextantPreferencesWindow *sextant_preferences_window_new          (GSettings          *settings,
                                                                   SextantSecretStore *secret_store);
GtkEditable              *sextant_preferences_window_get_secret_row (SextantPreferencesWindow *self,
                                                                   SextantSecretKey    key);
gboolean                  sextant_preferences_window_get_busy     (SextantPreferencesWindow *self);
void                      sextant_preferences_window_set_workspace (SextantPreferencesWindow *self,
                                                                    SextantWorkspace         *workspace);
SextantBackupGroup       *sextant_preferences_window_get_backup_group (SextantPreferencesWindow *self);

G_END_DECLS
