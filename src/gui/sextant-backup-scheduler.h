#pragma once

#include <gio/gio.h>

#include "sextant-core.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_BACKUP_SCHEDULER (sextant_backup_scheduler_get_type ())

G_DECLARE_FINAL_TYPE (SextantBackupScheduler, sextant_backup_scheduler, SEXTANT, BACKUP_SCHEDULER, GObject)

SextantBackupScheduler *sextant_backup_scheduler_new      (GSettings              *settings,
                                                           SextantWorkspace       *workspace);
void                    sextant_backup_scheduler_start    (SextantBackupScheduler *self,
                                                           guint                   first_delay_seconds);
gboolean                sextant_backup_scheduler_check    (SextantBackupScheduler *self);
gboolean                sextant_backup_scheduler_get_busy (SextantBackupScheduler *self);

G_END_DECLS
