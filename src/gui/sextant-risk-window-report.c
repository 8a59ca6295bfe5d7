#define G_LOG_DOMAIN "sextant-risk-window-report"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-risk-report.h"
#include "sextant-risk-window-private.h"
#include "sextant-window-helpers.h"

/* The dashboard's report: laid out on the main thread from the figures shown, written to PDF in
 * a worker thread, announced by a toast that opens it. */

void
_sextant_risk_window_update_report_action (SextantRiskWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-report",
                                 self->figures != NULL && !self->writing_report);
}

/**
 * sextant_risk_window_save_report_async:
 * @self: a risk dashboard
 * @file: where to write the PDF
 * @cancellable: (nullable): a cancellable (the writing itself runs to the end)
 * @callback: called when the file is written
 * @user_data: for @callback
 *
 * Writes the report of the figures shown: what Save Risk Report does once a file is chosen. A
 * book with bonds or holdings in other currencies than its base gets the Rates & FX view's
 * section (its curve, currency moves and the shock applied there).
 */
void
sextant_risk_window_save_report_async (SextantRiskWindow   *self,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%-d %B %Y");
  SextantRiskReport *report;

  g_return_if_fail (SEXTANT_IS_RISK_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_risk_window_save_report_async);
  if (self->figures == NULL || self->figures->n == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("There are no risk figures to report yet"));
      return;
    }
  report = sextant_risk_report_new (self->figures, self->prices_note ? self->prices_note : "", date);
  /* Only beside the risk figures of the same book: a failed computation leaves the last ones. */
  if (sextant_rates_view_get_exposure (self->rates_view) && sextant_rates_view_get_figures (self->rates_view) != NULL &&
      g_strcmp0 (sextant_rates_view_get_portfolio (self->rates_view), self->figures->name) == 0)
    sextant_risk_report_add_rates (report, sextant_rates_view_get_figures (self->rates_view),
                                   sextant_rates_view_get_shock (self->rates_view));
  sextant_window_write_report (task, report, (GDestroyNotify) sextant_risk_report_free,
                               (SextantReportWriteFunc) sextant_risk_report_write, file);
}

gboolean
sextant_risk_window_save_report_finish (SextantRiskWindow  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
report_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SextantRiskWindow *self = SEXTANT_RISK_WINDOW (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *saved = NULL;

  self->writing_report = FALSE;
  _sextant_risk_window_update_report_action (self);
  sextant_risk_window_save_report_finish (self, result, &error);
  /* Translators: a file name */
  saved = g_strdup_printf (_("Risk report saved as %s"), name);
  adw_toast_overlay_add_toast (self->toast_overlay, sextant_window_new_report_toast (saved, file, error));
}

static void
report_file_chosen_cb (GFile    *file,
                       gpointer  user_data)
{
  g_autoptr(SextantRiskWindow) self = user_data;

  if (file == NULL || self->figures == NULL || self->writing_report)
    return;
  self->writing_report = TRUE;
  _sextant_risk_window_update_report_action (self);
  sextant_risk_window_save_report_async (self, file, NULL, report_written_cb, g_object_ref (file));
}

static void
save_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SextantRiskWindow *self = SEXTANT_RISK_WINDOW (widget);
  g_autofree char *name = NULL;

  if (self->figures == NULL || self->writing_report)
    return;
  /* Translators: the default file name of the risk report; %s is the portfolio's name */
  name = g_strdup_printf (_("%s risk report.pdf"), self->figures->name);
  sextant_window_choose_pdf_file (GTK_WINDOW (self), _("Save Risk Report"), name, report_file_chosen_cb,
                                  g_object_ref (self));
}

void
_sextant_risk_window_class_init_report (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.save-report", NULL, save_report_action);
  gtk_widget_class_install_action (widget_class, "win.open-report", "s", sextant_window_open_report_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.save-report", NULL);
}
