#pragma once

#include <gio/gio.h>

#include "base/sextant-store.h"

G_BEGIN_DECLS

/* A day between scheduled backups. */
#define SEXTANT_BACKUP_SCHEDULE_INTERVAL (24 * 60 * 60)

char      *sextant_backup_schedule_file_name (GDateTime   *when);
gboolean   sextant_backup_schedule_is_due    (gint64       last_run,
                                              gint64       now,
                                              gint64       interval);
GPtrArray *sextant_backup_schedule_list      (const char  *folder,
                                              GError     **error);
gboolean   sextant_backup_schedule_prune     (const char  *folder,
                                              guint        keep,
                                              guint       *n_removed,
                                              GError     **error);
gboolean   sextant_backup_schedule_run       (SextantStore     *store,
                                              SextantStoreKey  *key,
                                              const char       *folder,
                                              guint             keep,
                                              GDateTime        *now,
                                              char            **written,
                                              guint            *n_removed,
                                              GError          **error);

G_END_DECLS
