#define G_LOG_DOMAIN "sextant-window-helpers"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-window-helpers.h"

/**
 * sextant_window_bind_size:
 * @window: a window not yet shown
 * @settings: the application's settings
 * @prefix: the key prefix, such as `chat-window`
 *
 * Binds `PREFIX-width`, `PREFIX-height` and `PREFIX-maximized`. Windows of one kind share the
 * keys, so a new window opens at the size the user last left one of its kind.
 */
void
sextant_window_bind_size (GtkWindow  *window,
                                   GSettings  *settings,
                                   const char *prefix)
{
  g_autofree char *width = g_strdup_printf ("%s-width", prefix);
  g_autofree char *height = g_strdup_printf ("%s-height", prefix);
  g_autofree char *maximized = g_strdup_printf ("%s-maximized", prefix);

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_bind (settings, width, window, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, height, window, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, maximized, window, "maximized", G_SETTINGS_BIND_DEFAULT);
}

static void
window_application_changed_cb (GtkWindow     *window,
                               GParamSpec    *pspec,
                               GtkMenuButton *button)
{
  GtkApplication *app = gtk_window_get_application (window);

  if (app != NULL)
    gtk_menu_button_set_menu_model (button,
                                    G_MENU_MODEL (gtk_application_get_menu_by_id (app,
                                                                                  "primary_menu")));
}

/**
 * sextant_window_attach_primary_menu:
 * @button: the header bar's menu button
 * @window: the window that holds @button
 *
 * Every window kind shows the same primary menu, defined once in ui/gtk/menus.ui, which
 * GtkApplication loads. A window gets its application after construction, so the menu follows
 * the window's application property.
 */
void
sextant_window_attach_primary_menu (GtkMenuButton *button,
                                    GtkWindow     *window)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));
  g_return_if_fail (GTK_IS_WINDOW (window));

  g_signal_connect_object (window, "notify::application",
                           G_CALLBACK (window_application_changed_cb), button, 0);
  window_application_changed_cb (window, NULL, button);
}

typedef struct
{
  SextantFileChosenFunc callback;
  gpointer              user_data;
} FileChoice;

#if GTK_CHECK_VERSION (4, 10, 0)
#if GDK_VERSION_MAX_ALLOWED >= GDK_VERSION_4_10
#define SEXTANT_HAVE_FILE_DIALOG 1
#endif
#endif

#ifdef SEXTANT_HAVE_FILE_DIALOG
static void
save_dialog_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FileChoice *choice = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (object), result, NULL);

  choice->callback (file, choice->user_data);
  g_free (choice);
}
#else
static void
save_chooser_response_cb (GtkNativeDialog *dialog,
                          int              response,
                          gpointer         user_data)
{
  FileChoice *choice = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  choice->callback (file, choice->user_data);
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_free (choice);
}
#endif

/**
 * sextant_window_choose_save_file:
 * @parent: the window asking
 * @title: the dialog's title
 * @initial_name: the suggested file name
 * @filter: (transfer none): the files to show
 * @callback: called once, with the file chosen or %NULL when the user cancelled
 * @user_data: for @callback
 *
 * Asks where to save, with GtkFileDialog where GTK has it (4.10) and the portal-friendly
 * GtkFileChooserNative before.
 */
void
sextant_window_choose_save_file (GtkWindow             *parent,
                                 const char            *title,
                                 const char            *initial_name,
                                 GtkFileFilter         *filter,
                                 SextantFileChosenFunc  callback,
                                 gpointer               user_data)
{
  FileChoice *choice = g_new0 (FileChoice, 1);

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (callback != NULL);

  choice->callback = callback;
  choice->user_data = user_data;
#ifdef SEXTANT_HAVE_FILE_DIALOG
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_initial_name (dialog, initial_name);
    gtk_file_dialog_set_default_filter (dialog, filter);
    gtk_file_dialog_save (dialog, parent, NULL, save_dialog_done_cb, choice);
  }
#else
  {
    GtkFileChooserNative *dialog;

    dialog = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                          _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), initial_name);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
    g_signal_connect (dialog, "response", G_CALLBACK (save_chooser_response_cb), choice);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
  }
#endif
}

/**
 * sextant_window_choose_pdf_file:
 * @parent: the window asking
 * @title: the dialog's title
 * @initial_name: the suggested file name, ending in .pdf
 * @callback: as for sextant_window_choose_save_file()
 * @user_data: for @callback
 *
 * Asks where to save a report, showing PDF documents.
 */
void
sextant_window_choose_pdf_file (GtkWindow             *parent,
                                const char            *title,
                                const char            *initial_name,
                                SextantFileChosenFunc  callback,
                                gpointer               user_data)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PDF Documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  sextant_window_choose_save_file (parent, title, initial_name, filter, callback, user_data);
}

typedef struct
{
  gpointer               report;
  GDestroyNotify         report_free;
  SextantReportWriteFunc write;
  GFile                 *file;
} ReportWrite;

static void
report_write_free (gpointer data)
{
  ReportWrite *write = data;

  write->report_free (write->report);
  g_object_unref (write->file);
  g_free (write);
}

static void
write_report_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ReportWrite *write = task_data;
  GError *error = NULL;

  if (!write->write (write->report, write->file, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sextant_window_write_report:
 * @task: the task of a window's export, finished with g_task_propagate_boolean()
 * @report: (transfer full): a report laid out on the main thread
 * @report_free: frees @report once written
 * @write: writes it, in a worker thread (Pango and Cairo over a dozen pages take a while)
 * @file: where
 */
void
sextant_window_write_report (GTask                  *task,
                             gpointer                report,
                             GDestroyNotify          report_free,
                             SextantReportWriteFunc  write,
                             GFile                  *file)
{
  ReportWrite *data = g_new0 (ReportWrite, 1);

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (report != NULL && report_free != NULL && write != NULL);
  g_return_if_fail (G_IS_FILE (file));

  data->report = report;
  data->report_free = report_free;
  data->write = write;
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, report_write_free);
  g_task_run_in_thread (task, write_report_thread);
}

/**
 * sextant_window_new_report_toast:
 * @saved: what to say once saved, such as “Risk report saved as x.pdf”
 * @file: the report's file
 * @error: (nullable): why it was not written
 *
 * Returns: (transfer floating): a toast that says why the report was not saved and stays, or
 *   says @saved and offers to open the file (`win.open-report`, see
 *   sextant_window_open_report_action())
 */
AdwToast *
sextant_window_new_report_toast (const char   *saved,
                                 GFile        *file,
                                 const GError *error)
{
  g_autofree char *uri = g_file_get_uri (file);
  AdwToast *toast;

  if (error != NULL)
    {
      /* Translators: why the report could not be written */
      g_autofree char *title = g_strdup_printf (_("The report was not saved: %s"), error->message);

      toast = adw_toast_new (title);
      adw_toast_set_timeout (toast, 0);
      return toast;
    }
  toast = adw_toast_new (saved);
  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_name (toast, "win.open-report");
  adw_toast_set_action_target_value (toast, g_variant_new_string (uri));

  return toast;
}

/**
 * sextant_window_open_report_action:
 *
 * `win.open-report` (a URI): opens a saved report in the user's PDF viewer.
 */
void
sextant_window_open_report_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

/* A headline figure as the risk dashboard and the monitoring window show them: a card with the
 * title, the value (selectable, labelled by the title for screen readers) and a caption. */
GtkWidget *
sextant_window_new_kpi_tile (const char *title,
                             const char *caption,
                             GtkWidget  *value)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *caption_label = gtk_label_new (caption);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "kpi-tile");
  gtk_widget_add_css_class (title_label, "caption-heading");
  gtk_widget_add_css_class (value, "kpi-value");
  gtk_widget_add_css_class (value, "numeric");
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_add_css_class (caption_label, "caption");
  gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (caption_label), TRUE);
  gtk_label_set_justify (GTK_LABEL (caption_label), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), caption_label);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  title_label, NULL, -1);

  return box;
}
