#define G_LOG_DOMAIN "sextant-portfolio-window-stale"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sextant-portfolio-window-private.h"
#include "sextant-window-helpers.h"

/* A result is of the inputs it was computed from. Once the holdings, the dates or the
 * constraints differ from those (or a run on them failed), the result is marked out of date,
 * and neither the committee report nor the trade list can be written from it. Changing an
 * input back makes it current again: the comparison is with the result's own request. */

static gboolean
same_number (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || fabs (a - b) <= 1e-9 * MAX (1.0, fabs (a));
}

static gboolean
requests_match (const SextantOptimizationRequest *a,
                const SextantOptimizationRequest *b)
{
  gboolean targeted = a->objective == SEXTANT_OBJECTIVE_TARGET_RETURN ||
                      a->objective == SEXTANT_OBJECTIVE_TARGET_VOLATILITY;

  if (a->k != b->k || a->objective != b->objective || a->first_day != b->first_day ||
      g_strcmp0 (a->currency, b->currency) != 0 ||
      a->last_day != b->last_day || (targeted && !same_number (a->target, b->target)))
    return FALSE;
  for (gsize j = 0; j < a->k; j++)
    if (g_strcmp0 (a->symbols[j], b->symbols[j]) != 0 || !same_number (a->quantities[j], b->quantities[j]) ||
        !same_number (a->lower[j], b->lower[j]) || !same_number (a->upper[j], b->upper[j]))
      return FALSE;

  return TRUE;
}

/**
 * _sextant_portfolio_window_is_stale:
 * @self: a portfolio window
 *
 * Returns: whether a result is shown that no longer matches the window's inputs
 */
gboolean
_sextant_portfolio_window_is_stale (SextantPortfolioWindow *self)
{
  g_autoptr(SextantOptimizationRequest) request = NULL;

  if (self->result == NULL)
    return FALSE;
  if (self->run_failed)
    return TRUE;
  request = sextant_portfolio_window_dup_request (self);

  return request == NULL || !requests_match (request, self->result->request);
}

/* Called after any input changes: the range's coverage, the banner and the actions follow. */
void
_sextant_portfolio_window_inputs_changed (SextantPortfolioWindow *self)
{
  _sextant_portfolio_window_update_coverage (self);
  _sextant_portfolio_window_update_actions (self);
}

/**
 * sextant_portfolio_window_export_trades:
 * @self: a portfolio window showing a result that matches its inputs
 * @file: where to write the CSV
 * @error: why it was not written: no current result, a holding without a close, or I/O
 *
 * Writes the holdings, their current and optimized weights and the trade list as CSV (see
 * sextant_optimization_result_to_csv()). A few hundred bytes: written at once.
 *
 * Returns: %TRUE if the file was written
 */
gboolean
sextant_portfolio_window_export_trades (SextantPortfolioWindow  *self,
                                        GFile                   *file,
                                        GError                 **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->result == NULL || _sextant_portfolio_window_is_stale (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("The result is out of date: optimize again to export its trade list"));
      return FALSE;
    }
  if ((csv = sextant_optimization_result_to_csv (self->result, error)) == NULL)
    return FALSE;

  return g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION | G_FILE_CREATE_PRIVATE,
                                  NULL, NULL, error);
}

/* The holdings' stored prices may have changed (a fetch, an import, other holdings): the data
 * range is worked out again from them. */
void
_sextant_portfolio_window_prices_changed (SextantPortfolioWindow *self)
{
  g_clear_pointer (&self->range_symbols, g_free);
  _sextant_portfolio_window_inputs_changed (self);
}

static void
export_file_chosen_cb (GFile    *file,
                       gpointer  user_data)
{
  g_autoptr(SextantPortfolioWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (file == NULL)
    return;
  name = g_file_get_basename (file);
  if (!sextant_portfolio_window_export_trades (self, file, &error))
    /* Translators: a file name, then the reason */
    text = g_strdup_printf (_("%s was not saved: %s"), name, error->message);
  else
    /* Translators: a file name */
    text = g_strdup_printf (_("Trade list saved as %s"), name);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
export_trades_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->result == NULL || _sextant_portfolio_window_is_stale (self))
    return;
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  /* Translators: the default file name of the trade list; %s is the portfolio's name */
  name = g_strdup_printf (_("%s trades.csv"),
                          self->result->request->name != NULL && self->result->request->name[0] != '\0'
                            ? self->result->request->name : _("Portfolio"));
  sextant_window_choose_save_file (GTK_WINDOW (self), _("Export Trade List"), name, filter,
                                   export_file_chosen_cb, g_object_ref (self));
}

static void
input_changed_cb (SextantPortfolioWindow *self)
{
  _sextant_portfolio_window_inputs_changed (self);
}

/* The chart keeps the simulation it shows, titled with its model; choosing the other model
 * says so until Simulate runs it. */
static void
scenario_model_changed_cb (SextantPortfolioWindow *self)
{
  guint chosen = gtk_drop_down_get_selected (self->scenario_model_dropdown);

  if (self->scenario == NULL)
    return;
  if (chosen == self->scenario_model)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->scenario_label), "warning");
      return;
    }
  gtk_label_set_text (self->scenario_label,
                      self->scenario_model == SEXTANT_SCENARIO_MODEL_HESTON
                        ? _("The chart shows the Heston simulation: press Simulate to run the chosen model.")
                        : _("The chart shows the geometric Brownian motion simulation: press Simulate to run the chosen model."));
  gtk_widget_add_css_class (GTK_WIDGET (self->scenario_label), "warning");
}

void
_sextant_portfolio_window_init_stale (SextantPortfolioWindow *self)
{
  g_signal_connect_object (self->scenario_model_dropdown, "notify::selected",
                           G_CALLBACK (scenario_model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->objective_row, "notify::selected", G_CALLBACK (input_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->target_spin, "value-changed", G_CALLBACK (input_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

void
_sextant_portfolio_window_class_init_stale (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-trades", NULL, export_trades_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-trades", NULL);
}
