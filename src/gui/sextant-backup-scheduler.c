#define G_LOG_DOMAIN "sextant-backup-scheduler"

#include "config.h"

#include "sextant-backup-scheduler.h"

/* Daily backups (issue 19) while the app runs: an hourly look at whether one is due
 * (sextant_backup_schedule_is_due() over the backup-last-run key), and the backup itself in a
 * thread through the workspace, which prunes the folder to backup-keep afterwards. A failed one
 * is tried again at the next look and reported through ::finished (the app shows it). */

#define CHECK_INTERVAL_SECONDS 3600

struct _SextantBackupScheduler
{
  GObject           parent_instance;
  GSettings        *settings;
  SextantWorkspace *workspace;
  guint             check_id;
  gboolean          busy;
};

enum { PROP_0, PROP_SETTINGS, PROP_WORKSPACE, PROP_BUSY, N_PROPS };
static GParamSpec *properties [N_PROPS];

enum { FINISHED, N_SIGNALS };
static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (SextantBackupScheduler, sextant_backup_scheduler, G_TYPE_OBJECT)

static void
set_busy (SextantBackupScheduler *self,
          gboolean                busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
backup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SextantBackupScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  guint n_removed = 0;

  set_busy (self, FALSE);
  if (!sextant_workspace_scheduled_backup_finish (SEXTANT_WORKSPACE (object), result, &written, &n_removed, &error))
    {
      g_warning ("The scheduled backup failed: %s", error->message);
      g_signal_emit (self, signals [FINISHED], 0, NULL, error);
      return;
    }
  g_debug ("Scheduled backup %s written, %u old ones removed", written, n_removed);
  g_settings_set_int64 (self->settings, "backup-last-run", g_get_real_time () / G_USEC_PER_SEC);
  g_signal_emit (self, signals [FINISHED], 0, written, NULL);
}

/**
 * sextant_backup_scheduler_check:
 * @self: a scheduler
 *
 * Starts a scheduled backup if they are on, a folder is chosen, none is running and the last
 * one is a day old.
 *
 * Returns: whether a backup was started
 */
gboolean
sextant_backup_scheduler_check (SextantBackupScheduler *self)
{
  g_autofree char *folder = NULL;
  SextantEncryptionState state;

  g_return_val_if_fail (SEXTANT_IS_BACKUP_SCHEDULER (self), FALSE);

  folder = g_settings_get_string (self->settings, "backup-folder");
  state = sextant_workspace_get_encryption_state (self->workspace);
  if (self->busy || !g_settings_get_boolean (self->settings, "backup-scheduled") || folder[0] == '\0' ||
      sextant_workspace_get_store (self->workspace) == NULL || state == SEXTANT_ENCRYPTION_MIGRATING ||
      !sextant_backup_schedule_is_due (g_settings_get_int64 (self->settings, "backup-last-run"),
                                       g_get_real_time () / G_USEC_PER_SEC, SEXTANT_BACKUP_SCHEDULE_INTERVAL))
    return FALSE;
  set_busy (self, TRUE);
  sextant_workspace_scheduled_backup_async (self->workspace, folder, g_settings_get_uint (self->settings, "backup-keep"),
                                            backup_done_cb, g_object_ref (self));

  return TRUE;
}

static void
settings_changed_cb (SextantBackupScheduler *self)
{
  sextant_backup_scheduler_check (self);
}

static gboolean
check_cb (gpointer user_data)
{
  SextantBackupScheduler *self = user_data;

  sextant_backup_scheduler_check (self);
  if (g_source_get_id (g_main_current_source ()) == self->check_id)
    self->check_id = g_timeout_add_seconds (CHECK_INTERVAL_SECONDS, check_cb, self);

  return G_SOURCE_REMOVE;
}

/**
 * sextant_backup_scheduler_start:
 * @self: a scheduler
 * @first_delay_seconds: when to look first (not to compete with the first windows)
 *
 * Looks whether a backup is due after @first_delay_seconds and then every hour, and whenever
 * the schedule or its folder change.
 */
void
sextant_backup_scheduler_start (SextantBackupScheduler *self,
                                guint                   first_delay_seconds)
{
  g_return_if_fail (SEXTANT_IS_BACKUP_SCHEDULER (self));

  g_clear_handle_id (&self->check_id, g_source_remove);
  self->check_id = g_timeout_add_seconds (first_delay_seconds, check_cb, self);
  g_signal_connect_object (self->settings, "changed::backup-scheduled", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::backup-folder", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

gboolean
sextant_backup_scheduler_get_busy (SextantBackupScheduler *self)
{
  g_return_val_if_fail (SEXTANT_IS_BACKUP_SCHEDULER (self), FALSE);

  return self->busy;
}

static void
sextant_backup_scheduler_dispose (GObject *object)
{
  SextantBackupScheduler *self = (SextantBackupScheduler *)object;

  g_clear_handle_id (&self->check_id, g_source_remove);
  g_clear_object (&self->settings);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (sextant_backup_scheduler_parent_class)->dispose (object);
}

static void
sextant_backup_scheduler_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  SextantBackupScheduler *self = SEXTANT_BACKUP_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_backup_scheduler_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  SextantBackupScheduler *self = SEXTANT_BACKUP_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_backup_scheduler_class_init (SextantBackupSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sextant_backup_scheduler_dispose;
  object_class->get_property = sextant_backup_scheduler_get_property;
  object_class->set_property = sextant_backup_scheduler_set_property;

  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, SEXTANT_TYPE_WORKSPACE,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SextantBackupScheduler::finished:
   * @path: (nullable): the new backup, or %NULL when it failed
   * @error: (nullable): why it failed
   */
  signals [FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
sextant_backup_scheduler_init (SextantBackupScheduler *self)
{
}

SextantBackupScheduler *
sextant_backup_scheduler_new (GSettings        *settings,
                              SextantWorkspace *workspace)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (workspace), NULL);

  return g_object_new (SEXTANT_TYPE_BACKUP_SCHEDULER, "settings", settings, "workspace", workspace, NULL);
}
