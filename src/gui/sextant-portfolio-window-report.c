#define G_LOG_DOMAIN "sextant-portfolio-window-report"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-portfolio-report.h"
#include "sextant-portfolio-window-private.h"
#include "sextant-window-helpers.h"

/* The committee report of the result shown: laid out on the main thread (the risk figures take
 * milliseconds), written to PDF in a worker thread (Pango and Cairo over a dozen pages do not).
 * The assistant's summary is the newest answer to the committee prompt in a conversation that
 * quotes the result's reference, which “Ask the Assistant” puts in the draft it seeds. */

static char *
find_summary (SextantPortfolioWindow  *self,
              const char              *reference,
              GPtrArray              **cited)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  g_autoptr(GError) error = NULL;
  char *summary;

  /* Without a database there are no saved conversations, so no summary: not an error here. */
  if (sextant_workspace_get_store (workspace) == NULL && !sextant_workspace_open_store (workspace, NULL))
    return NULL;
  summary = sextant_committee_summary_find_cited (sextant_workspace_get_conversations (workspace), reference, NULL,
                                                  cited, &error);
  if (error != NULL)
    g_warning ("The report goes without the assistant's summary: %s", error->message);

  return summary;
}

/**
 * sextant_portfolio_window_export_report_async:
 * @self: a portfolio window showing a result
 * @file: where to write the PDF
 * @cancellable: (nullable): a cancellable (the writing itself runs to the end)
 * @callback: called when the file is written
 * @user_data: for @callback
 *
 * Writes the committee report of the result shown, with the simulation and backtest last run
 * on it and the assistant's committee summary when there is one.
 */
void
sextant_portfolio_window_export_report_async (SextantPortfolioWindow *self,
                                              GFile                  *file,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%-d %B %Y");
  g_autofree char *summary = NULL;
  g_autoptr(GPtrArray) cited = NULL;
  SextantPortfolioReport *report;

  g_return_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_portfolio_window_export_report_async);
  if (self->result == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("There is no result to report: run an optimization first"));
      return;
    }
  if (_sextant_portfolio_window_is_stale (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The result is out of date: optimize again to report on the current holdings, dates and constraints"));
      return;
    }
  summary = find_summary (self, self->result->reference, &cited);
  report = sextant_portfolio_report_new (&(SextantPortfolioReportInput) {
                                           .result = self->result,
                                           .scenario = self->scenario,
                                           .backtest = self->backtest,
                                           .summary = summary,
                                           .cited = cited,
                                           .date = date,
                                         }, &error);
  if (report == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sextant_window_write_report (task, report, (GDestroyNotify) sextant_portfolio_report_free,
                               (SextantReportWriteFunc) sextant_portfolio_report_write, file);
}

gboolean
sextant_portfolio_window_export_report_finish (SextantPortfolioWindow  *self,
                                               GAsyncResult            *result,
                                               GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
report_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *saved = NULL;

  self->writing_report = FALSE;
  _sextant_portfolio_window_update_actions (self);
  sextant_portfolio_window_export_report_finish (self, result, &error);
  /* Translators: a file name */
  saved = g_strdup_printf (_("Committee report saved as %s"), name);
  adw_toast_overlay_add_toast (self->toast_overlay, sextant_window_new_report_toast (saved, file, error));
}

static void
report_file_chosen_cb (GFile    *file,
                       gpointer  user_data)
{
  g_autoptr(SextantPortfolioWindow) self = user_data;

  if (file == NULL || self->result == NULL || self->writing_report || _sextant_portfolio_window_is_stale (self))
    return;
  self->writing_report = TRUE;
  _sextant_portfolio_window_update_actions (self);
  sextant_portfolio_window_export_report_async (self, file, NULL, report_written_cb, g_object_ref (file));
}

static void
export_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  g_autofree char *name = NULL;

  if (self->result == NULL || self->writing_report || _sextant_portfolio_window_is_stale (self))
    return;
  /* Translators: the default file name of the report; %s is the portfolio's name */
  name = g_strdup_printf (_("%s committee report.pdf"),
                          self->result->request->name != NULL && self->result->request->name[0] != '\0'
                            ? self->result->request->name : _("Portfolio"));
  sextant_window_choose_pdf_file (GTK_WINDOW (self), _("Save Committee Report"), name, report_file_chosen_cb,
                                  g_object_ref (self));
}

void
_sextant_portfolio_window_class_init_report (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-report", NULL, export_report_action);
  gtk_widget_class_install_action (widget_class, "win.open-report", "s", sextant_window_open_report_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.export-report", NULL);
}
