#define G_LOG_DOMAIN "test-gui-backup"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sextant-backup-scheduler.h"
#include "sextant-preferences-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

/* Preferences → Privacy → Backups (issue 19): Back Up Now writes a sealed backup while the app
 * runs, Restore checks one and swaps it in at the next start (the open database untouched until
 * then), and the daily schedule's scheduler writes into the chosen folder and keeps the newest
 * N. The file chooser's answers are handed in as it would hand them. */

#define TEST_GUI_BACKUP_SECRET "rhubarb-custard-backup"
#define TEST_GUI_WRONG_SECRET "rhubarb-custard-backuq"

static SextantWorkspace *workspace;
static char *database;

static gint64
count_conversations (SextantStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "SELECT count(*) FROM conversations", NULL);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  return sqlite3_column_int64 (stmt, 0);
}

static void
add_conversation (const char *title)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sextant_conversation_store_create (sextant_workspace_get_conversations (workspace), title,
                                                      "analyst", NULL, &error), >, 0);
  g_assert_no_error (error);
}

static gboolean
is_message_dialog (GtkWidget     *widget,
                   gconstpointer  heading)
{
  return ADW_IS_MESSAGE_DIALOG (widget) &&
         g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (widget)), heading) == 0;
}

static AdwMessageDialog *
find_mapped_dialog (const char *heading);

static AdwMessageDialog *
find_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (is_message_dialog (window, heading))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* A dialog as the user meets it: on screen. */
static AdwMessageDialog *
find_mapped_dialog (const char *heading)
{
  AdwMessageDialog *dialog = find_dialog (heading);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)) ? dialog : NULL;
}

static void
test_back_up_and_restore (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *backup = g_build_filename (dir, "by-hand.sxtbak", NULL);
  g_autofree char *kept = g_strconcat (database, ".before-restore", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (backup);
  SextantPreferencesWindow *window;
  SextantBackupGroup *group;
  AdwMessageDialog *dialog;
  gboolean needs = TRUE;

  add_conversation ("Before the backup");
  window = sextant_preferences_window_new (settings, sextant_workspace_get_secret_store (workspace));
  sextant_preferences_window_set_workspace (window, workspace);
  group = sextant_preferences_window_get_backup_group (window);
  g_assert_nonnull (group);
  test_gui_show_and_wait (GTK_WINDOW (window), 760, 900);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));

  /* Back Up Now: sealed with the history key, while the app keeps its database open. */
  sextant_backup_group_back_up_to (group, file, NULL);
  g_assert_true (sextant_backup_group_get_busy (group));
  TEST_GUI_WAIT_FOR (!sextant_backup_group_get_busy (group));
  g_assert_nonnull (strstr (sextant_backup_group_get_status (group), "Backed up: 1 conversation, 1 portfolio, 0 saved results"));
  g_assert_true (sextant_backup_needs_passphrase (backup, &needs, NULL));
  g_assert_false (needs);

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (window),
                                           ADW_PREFERENCES_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (group),
                                                                                          ADW_TYPE_PREFERENCES_PAGE)));
  test_gui_show_and_wait (GTK_WINDOW (window), 760, 900);
  test_gui_save_screenshot (GTK_WIDGET (window), "preferences-backup.png");

  add_conversation ("After the backup");
  g_assert_cmpint (count_conversations (sextant_workspace_get_store (workspace)), ==, 2);

  /* Restore: checked and staged, the open database untouched, and the user asked to restart. */
  sextant_backup_group_restore_from (group, file, NULL);
  TEST_GUI_WAIT_FOR (!sextant_backup_group_get_busy (group));
  g_assert_nonnull (strstr (sextant_backup_group_get_status (group), "takes effect when Sextant starts again"));
  TEST_GUI_WAIT_FOR ((dialog = find_dialog ("Restart to Finish Restoring")) != NULL);
  g_assert_true (sextant_backup_has_pending (database));
  g_assert_cmpint (count_conversations (sextant_workspace_get_store (workspace)), ==, 2);
  adw_message_dialog_response (dialog, "later");

  /* A damaged file is refused with the reason, and nothing more is staged. */
  {
    g_autofree char *bad = g_build_filename (dir, "not-a-backup.sxtbak", NULL);
    g_autoptr(GFile) bad_file = g_file_new_for_path (bad);

    g_assert_true (g_file_set_contents (bad, "SXTBAK01 but nothing else", -1, NULL));
    sextant_backup_group_restore_from (group, bad_file, NULL);
    TEST_GUI_WAIT_FOR (!sextant_backup_group_get_busy (group));
    g_assert_true (g_str_has_prefix (sextant_backup_group_get_status (group), "Not restored: "));
  }
  /* Export Everything: an archive that GNU tar lists (its contents are checked in test-export). */
  {
    g_autofree char *archive = g_build_filename (dir, "everything.tar.gz", NULL);
    g_autoptr(GFile) archive_file = g_file_new_for_path (archive);
    g_autofree char *listing = NULL;
    const char *tar[] = { "tar", "-tzf", archive, NULL };

    sextant_backup_group_export_to (group, archive_file);
    TEST_GUI_WAIT_FOR (!sextant_backup_group_get_busy (group));
    g_assert_cmpstr (sextant_backup_group_get_status (group), ==,
                     "Exported: 2 conversations, 1 portfolio, 0 saved results");
    g_assert_cmpint (sextant_test_run_command (tar, NULL, NULL, &listing, NULL), ==, 0);
    g_assert_nonnull (strstr (listing, "/conversations/0002-after-the-backup.md\n"));
    g_assert_nonnull (strstr (listing, "/settings.json\n"));
  }
  test_gui_destroy_and_check (GTK_WINDOW (window));

  /* The next start: the restored database is the one opened, the replaced one kept beside. */
  g_clear_object (&workspace);
  workspace = sextant_test_load_demo_workspace ();
  g_assert_true (sextant_workspace_open_store (workspace, NULL));
  g_assert_false (sextant_backup_has_pending (database));
  g_assert_cmpint (count_conversations (sextant_workspace_get_store (workspace)), ==, 1);
  g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
  sextant_test_remove_temp_dir (dir);
}

static void
answer_dialog (AdwMessageDialog *dialog,
               const char       *response)
{
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
}

static GtkEditable *
dialog_entry (AdwMessageDialog *dialog,
              const char       *name)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), name);

  g_assert_true (GTK_IS_EDITABLE (entry));

  return entry;
}

/* Seal With a Passphrase: Back Up Now asks for it twice (Back Up enabled only once it is long
 * enough and the same twice); Restore asks for it, a wrong one is said to be wrong and asked
 * for again, and the right one stages the restore. */
static void
test_passphrase (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *backup = g_build_filename (dir, "with-passphrase.sxtbak", NULL);
  g_autofree char *pending = g_strconcat (database, ".restore-pending", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (backup);
  SextantPreferencesWindow *window;
  SextantBackupGroup *group;
  AdwMessageDialog *dialog;
  GtkSwitch *passphrase_switch;
  gboolean needs = FALSE;

  window = sextant_preferences_window_new (settings, sextant_workspace_get_secret_store (workspace));
  sextant_preferences_window_set_workspace (window, workspace);
  group = sextant_preferences_window_get_backup_group (window);
  test_gui_show_and_wait (GTK_WINDOW (window), 760, 900);
  passphrase_switch = GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (group), SEXTANT_TYPE_BACKUP_GROUP,
                                                                 "passphrase_switch"));
  gtk_switch_set_active (passphrase_switch, TRUE);

  sextant_backup_group_back_up_to (group, file, NULL);
  g_assert_false (sextant_backup_group_get_busy (group));
  TEST_GUI_WAIT_FOR ((dialog = find_mapped_dialog ("Passphrase for the Backup")) != NULL);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "back-up"));
  gtk_editable_set_text (dialog_entry (dialog, "passphrase"), "short");
  gtk_editable_set_text (dialog_entry (dialog, "again"), "short");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "back-up"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "at least 8 characters"));
  gtk_editable_set_text (dialog_entry (dialog, "passphrase"), TEST_GUI_BACKUP_SECRET);
  gtk_editable_set_text (dialog_entry (dialog, "again"), TEST_GUI_WRONG_SECRET);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "back-up"));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "Type the same passphrase twice.");
  gtk_editable_set_text (dialog_entry (dialog, "again"), TEST_GUI_BACKUP_SECRET);
  answer_dialog (dialog, "back-up");
  g_assert_true (sextant_backup_group_get_busy (group));
  TEST_GUI_WAIT_FOR (!sextant_backup_group_get_busy (group));
  g_assert_nonnull (strstr (sextant_backup_group_get_status (group), "Backed up: "));
  g_assert_true (sextant_backup_needs_passphrase (backup, &needs, NULL));
  g_assert_true (needs);

  /* Restore: asked for, wrong, asked for again, right. */
  g_unlink (pending);
  sextant_backup_group_restore_from (group, file, NULL);
  g_assert_false (sextant_backup_group_get_busy (group));
  TEST_GUI_WAIT_FOR ((dialog = find_mapped_dialog ("Passphrase of the Backup")) != NULL);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "restore"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), TEST_GUI_WRONG_SECRET);
  answer_dialog (dialog, "restore");
  TEST_GUI_WAIT_FOR (!sextant_backup_group_get_busy (group));
  g_assert_cmpstr (sextant_backup_group_get_status (group), ==,
                   "Not restored: Wrong passphrase for this backup (or the file is damaged)");
  g_assert_false (g_file_test (pending, G_FILE_TEST_EXISTS));
  TEST_GUI_WAIT_FOR ((dialog = find_mapped_dialog ("Passphrase of the Backup")) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "That passphrase does not open this backup. Type it again.");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), TEST_GUI_BACKUP_SECRET);
  answer_dialog (dialog, "restore");
  TEST_GUI_WAIT_FOR (!sextant_backup_group_get_busy (group));
  g_assert_nonnull (strstr (sextant_backup_group_get_status (group), "takes effect when Sextant starts again"));
  g_assert_true (sextant_backup_has_pending (database));
  TEST_GUI_WAIT_FOR ((dialog = find_dialog ("Restart to Finish Restoring")) != NULL);
  answer_dialog (dialog, "later");

  gtk_switch_set_active (passphrase_switch, FALSE);
  test_gui_destroy_and_check (GTK_WINDOW (window));
  g_unlink (pending);
  sextant_test_remove_temp_dir (dir);
}

static void
finished_cb (SextantBackupScheduler  *scheduler,
             const char              *path,
             const GError            *error,
             char                   **written)
{
  g_assert_no_error (error);
  *written = g_strdup (path);
}

/* The schedule set in Preferences, then the scheduler: a backup into the folder, the oldest of
 * the folder's backups pruned to "keep", not again the same day. */
static void
test_schedule (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *folder = g_build_filename (dir, "daily", NULL);
  g_autoptr(GFile) folder_file = g_file_new_for_path (folder);
  g_autoptr(SextantBackupScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *written = NULL;
  static const char * const old[] = { "sextant-backup-20200101-000000.sxtbak", "sextant-backup-20200102-000000.sxtbak",
                                      "sextant-backup-20200103-000000.sxtbak" };
  SextantPreferencesWindow *window;
  SextantBackupGroup *group;
  GtkWidget *expander;
  GtkSpinButton *spin;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean needs = TRUE;

  g_settings_reset (settings, "backup-last-run");
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (old); i++)
    {
      g_autofree char *path = g_build_filename (folder, old[i], NULL);

      g_assert_true (g_file_set_contents (path, "old", -1, NULL));
    }

  window = sextant_preferences_window_new (settings, sextant_workspace_get_secret_store (workspace));
  sextant_preferences_window_set_workspace (window, workspace);
  group = sextant_preferences_window_get_backup_group (window);
  test_gui_show_and_wait (GTK_WINDOW (window), 760, 900);
  expander = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (group), SEXTANT_TYPE_BACKUP_GROUP, "schedule_row");
  spin = GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (group), SEXTANT_TYPE_BACKUP_GROUP, "keep_spin"));
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (expander), TRUE);
  gtk_spin_button_set_value (spin, 2);
  sextant_backup_group_set_folder (group, folder_file);
  g_assert_true (g_settings_get_boolean (settings, "backup-scheduled"));
  g_assert_cmpuint (g_settings_get_uint (settings, "backup-keep"), ==, 2);
  {
    g_autofree char *chosen = g_settings_get_string (settings, "backup-folder");

    g_assert_cmpstr (chosen, ==, folder);
  }
  test_gui_destroy_and_check (GTK_WINDOW (window));

  scheduler = sextant_backup_scheduler_new (settings, workspace);
  g_signal_connect (scheduler, "finished", G_CALLBACK (finished_cb), &written);
  g_assert_true (sextant_backup_scheduler_check (scheduler));
  g_assert_true (sextant_backup_scheduler_get_busy (scheduler));
  /* Asked again meanwhile, it does not start a second one. */
  g_assert_false (sextant_backup_scheduler_check (scheduler));
  TEST_GUI_WAIT_FOR (!sextant_backup_scheduler_get_busy (scheduler));
  g_assert_nonnull (written);
  g_assert_true (g_str_has_prefix (written, folder));
  g_assert_true (sextant_backup_needs_passphrase (written, &needs, NULL));
  g_assert_false (needs);
  g_assert_cmpint (g_settings_get_int64 (settings, "backup-last-run"), >=, now);

  names = sextant_backup_schedule_list (folder, NULL);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_true (g_str_has_suffix (written, g_ptr_array_index (names, 0)));
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, old[2]);

  /* Done today: not due again until tomorrow. */
  g_assert_false (sextant_backup_scheduler_check (scheduler));
  /* Turned off: nothing, even when due. */
  g_settings_set_int64 (settings, "backup-last-run", now - 2 * SEXTANT_BACKUP_SCHEDULE_INTERVAL);
  g_settings_set_boolean (settings, "backup-scheduled", FALSE);
  g_assert_false (sextant_backup_scheduler_check (scheduler));
  g_settings_reset (settings, "backup-last-run");
  g_settings_reset (settings, "backup-folder");
  g_settings_reset (settings, "backup-keep");
  sextant_test_remove_temp_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database_dir = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* A database of the test's own, opened as the app opens it (its history key in the suite's
   * keyring). */
  database = g_build_filename (database_dir = sextant_test_make_temp_dir (), "sextant.db", NULL);
  g_setenv ("SEXTANT_DATABASE", database, TRUE);
  workspace = sextant_test_load_demo_workspace ();
  if (!sextant_workspace_open_store (workspace, &error))
    g_error ("%s", error->message);
  if (sextant_store_get_key (sextant_workspace_get_store (workspace)) == NULL)
    g_error ("The history key is not at hand: the GUI tests run with an unlocked keyring");

  g_test_add_func ("/sextant/gui/backup/back-up-and-restore", test_back_up_and_restore);
  g_test_add_func ("/sextant/gui/backup/schedule", test_schedule);
  g_test_add_func ("/sextant/gui/backup/passphrase", test_passphrase);

  status = g_test_run ();
  g_clear_object (&workspace);
  sextant_test_remove_temp_dir (database_dir);
  g_free (database);

  return status;
}
