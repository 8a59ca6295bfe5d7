#pragma once

#include <adwaita.h>

#include "sextant-core.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_BACKUP_GROUP (sextant_backup_group_get_type ())

G_DECLARE_FINAL_TYPE (SextantBackupGroup, sextant_backup_group, SEXTANT, BACKUP_GROUP, AdwPreferencesGroup)

SextantBackupGroup *sextant_backup_group_new          (GSettings          *settings,
                                                       SextantWorkspace   *workspace);
void                sextant_backup_group_back_up_to   (SextantBackupGroup *self,
                                                       GFile              *file,
                                                       const char         *passphrase);
void                sextant_backup_group_restore_from (SextantBackupGroup *self,
                                                       GFile              *file,
                                                       const char         *passphrase);
void                sextant_backup_group_export_to    (SextantBackupGroup *self,
                                                       GFile              *file);
void                sextant_backup_group_set_folder   (SextantBackupGroup *self,
                                                       GFile              *folder);
gboolean            sextant_backup_group_get_busy     (SextantBackupGroup *self);
const char         *sextant_backup_group_get_status   (SextantBackupGroup *self);

G_END_DECLS
