#define G_LOG_DOMAIN "sextant-backup-group"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "sextant-backup-group.h"

/* Preferences → Privacy → Backups (issue 19): Back Up Now…, Restore… and Export… (everything in
 * open formats) through the file chooser portal, and the daily schedule's switch, folder and count (GSettings backup-*; the
 * application's SextantBackupScheduler makes them). The work runs in the workspace's threads; a
 * restore is checked and unpacked now and swapped in at the next start, never under the open
 * database. */

struct _SextantBackupGroup
{
  AdwPreferencesGroup   parent_instance;

  GSettings            *settings;
  SextantWorkspace     *workspace;
  GtkFileChooserNative *chooser;
  gboolean              busy;
  /* The backup being restored with a passphrase, asked for again when it was wrong. */
  GFile                *restoring;

  AdwActionRow         *status_row;
  GtkSpinner           *spinner;
  GtkSwitch            *passphrase_switch;
  AdwExpanderRow       *schedule_row;
  AdwActionRow         *folder_row;
  GtkSpinButton        *keep_spin;
  AdwActionRow         *last_run_row;
};

enum { PROP_0, PROP_SETTINGS, PROP_WORKSPACE, PROP_BUSY, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantBackupGroup, sextant_backup_group, ADW_TYPE_PREFERENCES_GROUP)

static void
set_busy (SextantBackupGroup *self,
          gboolean            busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backup.back-up", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backup.restore", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backup.export", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
show_status (SextantBackupGroup *self,
             const char         *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  adw_action_row_set_subtitle (self->status_row, text);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

static char *
describe_counts (gint64 conversations,
                 gint64 portfolios,
                 gint64 results)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  a = g_strdup_printf (ngettext ("%" PRId64 " conversation", "%" PRId64 " conversations", conversations), conversations);
  b = g_strdup_printf (ngettext ("%" PRId64 " portfolio", "%" PRId64 " portfolios", portfolios), portfolios);
  c = g_strdup_printf (ngettext ("%" PRId64 " saved result", "%" PRId64 " saved results", results), results);

  /* Translators: "3 conversations, 2 portfolios, 5 saved results" */
  return g_strdup_printf (_("%s, %s, %s"), a, b, c);
}

static char *
describe_manifest (JsonNode *manifest)
{
  JsonObject *counts = NULL;
  JsonObject *o = manifest != NULL && JSON_NODE_HOLDS_OBJECT (manifest) ? json_node_get_object (manifest) : NULL;

  if (o != NULL && json_object_has_member (o, "counts"))
    counts = json_object_get_object_member (o, "counts");
  if (counts == NULL)
    return g_strdup ("");

  return describe_counts (json_object_get_int_member_with_default (counts, "conversations", 0),
                          json_object_get_int_member_with_default (counts, "portfolios", 0),
                          json_object_get_int_member_with_default (counts, "results", 0));
}

static void
backup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SextantBackupGroup) self = user_data;
  g_autoptr(JsonNode) manifest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;

  set_busy (self, FALSE);
  if (!sextant_workspace_backup_finish (SEXTANT_WORKSPACE (object), result, &manifest, &error))
    {
      /* Translators: %s is the reason */
      text = g_strdup_printf (_("The backup failed: %s"), error->message);
      show_status (self, text);
      return;
    }
  contents = describe_manifest (manifest);
  /* Translators: %s lists what the backup holds */
  text = g_strdup_printf (_("Backed up: %s"), contents);
  show_status (self, text);
}

#define MIN_PASSPHRASE 8

static void ask_backup_passphrase (SextantBackupGroup *self,
                                   GFile              *file);
static void ask_passphrase        (SextantBackupGroup *self,
                                   GFile              *file,
                                   const char         *body);

/**
 * sextant_backup_group_back_up_to:
 * @self: a backup group
 * @file: the backup file to write (what the file chooser answered)
 * @passphrase: (nullable): seal with it instead of the history key
 *
 * Writes a backup in a thread. Without @passphrase and with Seal With a Passphrase on, asks for
 * one first (typed twice); without either, seals with the history key.
 */
void
sextant_backup_group_back_up_to (SextantBackupGroup *self,
                                 GFile              *file,
                                 const char         *passphrase)
{
  g_autofree char *path = NULL;

  g_return_if_fail (SEXTANT_IS_BACKUP_GROUP (self));
  g_return_if_fail (G_IS_FILE (file));

  if ((path = g_file_get_path (file)) == NULL)
    {
      show_status (self, _("The backup failed: choose a file on this computer"));
      return;
    }
  if (passphrase == NULL && gtk_switch_get_active (self->passphrase_switch))
    {
      ask_backup_passphrase (self, file);
      return;
    }
  set_busy (self, TRUE);
  adw_action_row_set_subtitle (self->status_row, _("Backing up…"));
  sextant_workspace_backup_async (self->workspace, path, passphrase, backup_done_cb, g_object_ref (self));
}

/* GTK 4.8's GtkPasswordEntry is told of its text's focus going after it is gone when the
 * window closing holds the focus in it (an invalid cast, a crash under G_DEBUG=fatal-warnings):
 * the focus leaves it before the dialog closes. */
static void
release_focus (AdwMessageDialog *dialog)
{
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
}

static GtkEditable *
dialog_entry (AdwMessageDialog *dialog,
              const char       *name)
{
  return GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), name));
}

/* The Back Up button is enabled once the passphrase is long enough and typed the same twice;
 * the body says what is missing. */
static void
backup_passphrase_changed_cb (GtkEditable      *editable,
                              AdwMessageDialog *dialog)
{
  const char *first = gtk_editable_get_text (dialog_entry (dialog, "passphrase"));
  const char *second = gtk_editable_get_text (dialog_entry (dialog, "again"));
  gboolean long_enough = g_utf8_strlen (first, -1) >= MIN_PASSPHRASE;
  gboolean same = g_strcmp0 (first, second) == 0;

  adw_message_dialog_set_response_enabled (dialog, "back-up", long_enough && same);
  if (!long_enough)
    adw_message_dialog_format_body (dialog, ngettext ("The passphrase needs at least %d character.",
                                                      "The passphrase needs at least %d characters.",
                                                      MIN_PASSPHRASE),
                                    MIN_PASSPHRASE);
  else if (!same)
    adw_message_dialog_set_body (dialog, _("Type the same passphrase twice."));
  else
    adw_message_dialog_set_body (dialog, _("Keep the passphrase safe: without it, this backup cannot be "
                                           "restored."));
}

static void
backup_passphrase_response_cb (AdwMessageDialog *dialog,
                               const char       *response,
                               gpointer          user_data)
{
  SextantBackupGroup *self = SEXTANT_BACKUP_GROUP (user_data);
  GFile *file = g_object_get_data (G_OBJECT (dialog), "backup-file");

  if (g_strcmp0 (response, "back-up") == 0)
    sextant_backup_group_back_up_to (self, file, gtk_editable_get_text (dialog_entry (dialog, "passphrase")));
  gtk_editable_set_text (dialog_entry (dialog, "passphrase"), "");
  gtk_editable_set_text (dialog_entry (dialog, "again"), "");
  release_focus (dialog);
}

static GtkWidget *
new_password_entry (AdwMessageDialog *dialog,
                    GtkBox           *box,
                    const char       *name,
                    const char       *placeholder)
{
  GtkWidget *entry = gtk_password_entry_new ();

  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "placeholder-text", placeholder, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, placeholder, -1);
  gtk_box_append (box, entry);
  g_object_set_data (G_OBJECT (dialog), name, entry);

  return entry;
}

static void
ask_backup_passphrase (SextantBackupGroup *self,
                       GFile              *file)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog, *box, *first, *second;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Passphrase for the Backup"), NULL);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  first = new_password_entry (ADW_MESSAGE_DIALOG (dialog), GTK_BOX (box), "passphrase", _("Passphrase"));
  second = new_password_entry (ADW_MESSAGE_DIALOG (dialog), GTK_BOX (box), "again", _("Passphrase again"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "back-up", _("_Back Up"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "back-up", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "back-up");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (first, "changed", G_CALLBACK (backup_passphrase_changed_cb), dialog, 0);
  g_signal_connect_object (second, "changed", G_CALLBACK (backup_passphrase_changed_cb), dialog, 0);
  backup_passphrase_changed_cb (GTK_EDITABLE (first), ADW_MESSAGE_DIALOG (dialog));
  g_object_set_data_full (G_OBJECT (dialog), "backup-file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (backup_passphrase_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SextantBackupGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;
  SextantExportCounts counts = { 0 };

  set_busy (self, FALSE);
  if (!sextant_workspace_export_finish (SEXTANT_WORKSPACE (object), result, &counts, &error))
    /* Translators: %s is the reason */
    text = g_strdup_printf (_("The export failed: %s"), error->message);
  else
    {
      contents = describe_counts (counts.conversations, counts.portfolios, counts.results);
      /* Translators: %s lists what was exported */
      text = g_strdup_printf (_("Exported: %s"), contents);
    }
  show_status (self, text);
}

/**
 * sextant_backup_group_export_to:
 * @self: a backup group
 * @file: the archive to write (what the file chooser answered)
 *
 * Exports everything in open formats, the preferences included, in a thread.
 */
void
sextant_backup_group_export_to (SextantBackupGroup *self,
                                GFile              *file)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) settings = NULL;

  g_return_if_fail (SEXTANT_IS_BACKUP_GROUP (self));
  g_return_if_fail (G_IS_FILE (file));

  if ((path = g_file_get_path (file)) == NULL)
    {
      show_status (self, _("The export failed: choose a file on this computer"));
      return;
    }
  settings = sextant_export_settings_to_json (self->settings);
  set_busy (self, TRUE);
  adw_action_row_set_subtitle (self->status_row, _("Exporting…"));
  sextant_workspace_export_async (self->workspace, path, settings, export_done_cb, g_object_ref (self));
}

static void
quit_response_cb (AdwMessageDialog   *dialog,
                  const char         *response,
                  SextantBackupGroup *self)
{
  if (g_strcmp0 (response, "quit") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.quit", NULL);
}

static void
restore_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SextantBackupGroup) self = user_data;
  g_autoptr(JsonNode) manifest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;
  GtkRoot *root;
  GtkWidget *dialog;

  g_autoptr(GFile) restoring = g_steal_pointer (&self->restoring);

  set_busy (self, FALSE);
  if (!sextant_workspace_restore_finish (SEXTANT_WORKSPACE (object), result, &manifest, &error))
    {
      /* Translators: %s is the reason */
      text = g_strdup_printf (_("Not restored: %s"), error->message);
      show_status (self, text);
      /* A mistyped passphrase is asked for again, saying so. */
      if (restoring != NULL && g_error_matches (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY))
        ask_passphrase (self, restoring, _("That passphrase does not open this backup. Type it again."));
      return;
    }
  contents = describe_manifest (manifest);
  /* Translators: %s lists what the backup holds */
  text = g_strdup_printf (_("Restore checked (%s); it takes effect when Sextant starts again"), contents);
  adw_action_row_set_subtitle (self->status_row, text);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Restart to Finish Restoring"),
                                   NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The backup is checked and ready (%s). Sextant replaces its data with it "
                                    "when it starts again, and keeps the current data beside it."),
                                  contents);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "later", _("_Later"), "quit", _("_Quit Sextant"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "quit", ADW_RESPONSE_SUGGESTED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (quit_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * sextant_backup_group_restore_from:
 * @self: a backup group
 * @file: the backup (what the file chooser answered)
 * @passphrase: (nullable): its passphrase, if it is sealed with one
 *
 * Checks and unpacks @file in a thread, to be swapped in at the next start. A backup sealed
 * with a passphrase and no @passphrase given: asks for it first.
 */
void
sextant_backup_group_restore_from (SextantBackupGroup *self,
                                   GFile              *file,
                                   const char         *passphrase)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gboolean needs = FALSE;

  g_return_if_fail (SEXTANT_IS_BACKUP_GROUP (self));
  g_return_if_fail (G_IS_FILE (file));

  if ((path = g_file_get_path (file)) == NULL)
    {
      show_status (self, _("Not restored: choose a file on this computer"));
      return;
    }
  if (passphrase == NULL && sextant_backup_needs_passphrase (path, &needs, &error) && needs)
    {
      ask_passphrase (self, file, _("This backup is sealed with a passphrase instead of the history key."));
      return;
    }
  if (error != NULL)
    {
      /* Translators: %s is the reason */
      g_autofree char *text = g_strdup_printf (_("Not restored: %s"), error->message);

      show_status (self, text);
      return;
    }
  g_clear_object (&self->restoring);
  if (passphrase != NULL)
    self->restoring = g_object_ref (file);
  set_busy (self, TRUE);
  adw_action_row_set_subtitle (self->status_row, _("Checking the backup…"));
  sextant_workspace_restore_async (self->workspace, path, passphrase, restore_done_cb, g_object_ref (self));
}

static void
passphrase_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  SextantBackupGroup *self = SEXTANT_BACKUP_GROUP (user_data);
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  GFile *file = g_object_get_data (G_OBJECT (dialog), "backup-file");

  if (g_strcmp0 (response, "restore") == 0)
    sextant_backup_group_restore_from (self, file, gtk_editable_get_text (entry));
  gtk_editable_set_text (entry, "");
  release_focus (dialog);
}

static void
passphrase_entry_changed_cb (GtkEditable      *entry,
                             AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "restore", gtk_editable_get_text (entry)[0] != '\0');
}

static void
ask_passphrase (SextantBackupGroup *self,
                GFile              *file,
                const char         *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog, *entry;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Passphrase of the Backup"), body);
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Passphrase"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "restore", FALSE);
  g_signal_connect_object (entry, "changed", G_CALLBACK (passphrase_entry_changed_cb), dialog, 0);
  g_object_set_data_full (G_OBJECT (dialog), "backup-file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (passphrase_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * sextant_backup_group_set_folder:
 * @self: a backup group
 * @folder: the folder of the daily backups (what the file chooser answered)
 */
void
sextant_backup_group_set_folder (SextantBackupGroup *self,
                                 GFile              *folder)
{
  g_autofree char *path = NULL;

  g_return_if_fail (SEXTANT_IS_BACKUP_GROUP (self));
  g_return_if_fail (G_IS_FILE (folder));

  if ((path = g_file_get_path (folder)) == NULL)
    {
      show_status (self, _("Choose a folder on this computer for the daily backups"));
      return;
    }
  g_settings_set_string (self->settings, "backup-folder", path);
}

typedef enum { CHOOSE_BACKUP, CHOOSE_RESTORE, CHOOSE_FOLDER, CHOOSE_EXPORT } ChooserPurpose;

static void
chooser_response_cb (GtkNativeDialog    *chooser,
                     int                 response,
                     SextantBackupGroup *self)
{
  ChooserPurpose purpose = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "purpose"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  if (purpose == CHOOSE_BACKUP)
    sextant_backup_group_back_up_to (self, file, NULL);
  else if (purpose == CHOOSE_FOLDER)
    sextant_backup_group_set_folder (self, file);
  else if (purpose == CHOOSE_EXPORT)
    sextant_backup_group_export_to (self, file);
  else
    sextant_backup_group_restore_from (self, file, NULL);
}

static void
open_chooser (SextantBackupGroup   *self,
              ChooserPurpose        purpose,
              const char           *title,
              GtkFileChooserAction  action,
              const char           *accept)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, action,
                                               accept, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_object_set_data (G_OBJECT (self->chooser), "purpose", GINT_TO_POINTER (purpose));
  if (purpose == CHOOSE_BACKUP)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *name = sextant_backup_schedule_file_name (now);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
    }
  else if (purpose == CHOOSE_EXPORT)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *name = sextant_export_file_name (now);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
    }
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
back_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  open_chooser (SEXTANT_BACKUP_GROUP (widget), CHOOSE_BACKUP, _("Back Up Sextant’s Data"),
                GTK_FILE_CHOOSER_ACTION_SAVE, _("_Back Up"));
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  open_chooser (SEXTANT_BACKUP_GROUP (widget), CHOOSE_RESTORE, _("Restore a Backup"),
                GTK_FILE_CHOOSER_ACTION_OPEN, _("_Restore"));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_chooser (SEXTANT_BACKUP_GROUP (widget), CHOOSE_EXPORT, _("Export Everything"),
                GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  open_chooser (SEXTANT_BACKUP_GROUP (widget), CHOOSE_FOLDER, _("Folder for Daily Backups"),
                GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Choose"));
}

static void
show_schedule (SextantBackupGroup *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "backup-folder");
  gint64 last_run = g_settings_get_int64 (self->settings, "backup-last-run");

  adw_action_row_set_subtitle (self->folder_row, folder[0] != '\0' ? folder : _("None chosen"));
  if (last_run <= 0)
    adw_action_row_set_subtitle (self->last_run_row, _("None yet"));
  else
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (last_run);
      g_autofree char *text = when != NULL ? g_date_time_format (when, "%x %X") : NULL;

      adw_action_row_set_subtitle (self->last_run_row, text != NULL ? text : "");
    }
}

static void
sextant_backup_group_constructed (GObject *object)
{
  SextantBackupGroup *self = (SextantBackupGroup *)object;

  G_OBJECT_CLASS (sextant_backup_group_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_assert (SEXTANT_IS_WORKSPACE (self->workspace));

  g_settings_bind (self->settings, "backup-scheduled", self->schedule_row, "enable-expansion",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "backup-keep", self->keep_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::backup-folder", G_CALLBACK (show_schedule), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::backup-last-run", G_CALLBACK (show_schedule), self,
                           G_CONNECT_SWAPPED);
  show_schedule (self);
}

gboolean
sextant_backup_group_get_busy (SextantBackupGroup *self)
{
  g_return_val_if_fail (SEXTANT_IS_BACKUP_GROUP (self), FALSE);

  return self->busy;
}

/**
 * sextant_backup_group_get_status:
 * @self: a backup group
 *
 * Returns: (transfer none): what the last backup or restore came to, as shown
 */
const char *
sextant_backup_group_get_status (SextantBackupGroup *self)
{
  g_return_val_if_fail (SEXTANT_IS_BACKUP_GROUP (self), NULL);

  return adw_action_row_get_subtitle (self->status_row);
}

static void
sextant_backup_group_dispose (GObject *object)
{
  SextantBackupGroup *self = (SextantBackupGroup *)object;

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_BACKUP_GROUP);
  g_clear_object (&self->restoring);
  g_clear_object (&self->settings);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (sextant_backup_group_parent_class)->dispose (object);
}

static void
sextant_backup_group_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SextantBackupGroup *self = SEXTANT_BACKUP_GROUP (object);

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
sextant_backup_group_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SextantBackupGroup *self = SEXTANT_BACKUP_GROUP (object);

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
sextant_backup_group_class_init (SextantBackupGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sextant_backup_group_constructed;
  object_class->dispose = sextant_backup_group_dispose;
  object_class->get_property = sextant_backup_group_get_property;
  object_class->set_property = sextant_backup_group_set_property;

  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, SEXTANT_TYPE_WORKSPACE,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "sextant-backup-group.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantBackupGroup, status_row);
  gtk_widget_class_bind_template_child (widget_class, SextantBackupGroup, spinner);
  gtk_widget_class_bind_template_child (widget_class, SextantBackupGroup, passphrase_switch);
  gtk_widget_class_bind_template_child (widget_class, SextantBackupGroup, schedule_row);
  gtk_widget_class_bind_template_child (widget_class, SextantBackupGroup, folder_row);
  gtk_widget_class_bind_template_child (widget_class, SextantBackupGroup, keep_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantBackupGroup, last_run_row);
  gtk_widget_class_install_action (widget_class, "backup.back-up", NULL, back_up_action);
  gtk_widget_class_install_action (widget_class, "backup.restore", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "backup.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "backup.choose-folder", NULL, choose_folder_action);
}

static void
sextant_backup_group_init (SextantBackupGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SextantBackupGroup *
sextant_backup_group_new (GSettings        *settings,
                          SextantWorkspace *workspace)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (workspace), NULL);

  return g_object_new (SEXTANT_TYPE_BACKUP_GROUP, "settings", settings, "workspace", workspace, NULL);
}
