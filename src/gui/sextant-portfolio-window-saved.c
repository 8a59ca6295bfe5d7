#define G_LOG_DOMAIN "sextant-portfolio-window-saved"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-date-format.h"
#include "sextant-portfolio-window-private.h"

/* Saved results. Every finished optimization is saved, with its inputs, in the workspace's
 * database: a result is a few kilobytes, saving it costs a millisecond, and the report and the
 * conversations about it refer to it, so a result the user forgot to save would be a loss.
 * The Saved Results menu lists them (newest first, each deletable); opening one restores its
 * holdings, bounds, objective and data range, and shows its stored weights and metrics, with
 * Run Again to recompute it on current data. */

#define MAX_LISTED 100

static SextantPortfolioStore *
dup_portfolio_store (SextantPortfolioWindow  *self,
                     GError                 **error)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));

  if (sextant_workspace_get_store (workspace) == NULL && !sextant_workspace_open_store (workspace, error))
    return NULL;

  return sextant_portfolio_store_new (sextant_workspace_get_store (workspace));
}

void
_sextant_portfolio_window_save_result (SextantPortfolioWindow    *self,
                                       SextantOptimizationResult *r)
{
  g_autoptr(SextantPortfolioStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kind = NULL, *parameters = NULL, *inputs = NULL, *result = NULL;

  self->saved_id = 0;
  if ((store = dup_portfolio_store (self, &error)) == NULL)
    {
      g_warning ("Results are not saved: %s", error->message);
      return;
    }
  sextant_optimization_result_serialize (r, &kind, &parameters, &inputs, &result);
  self->saved_id = sextant_portfolio_store_save_result (store, r->request->name, kind, parameters,
                                                        inputs, result, &error);
  if (self->saved_id < 0)
    {
      g_warning ("The result was not saved: %s", error->message);
      self->saved_id = 0;
    }
}

void
_sextant_portfolio_window_show_saved_banner (SextantPortfolioWindow *self,
                                             GDateTime              *saved_at)
{
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->saved_banner, saved_at != NULL);
  if (saved_at == NULL)
    return;
  when = sextant_format_date_time (saved_at, NULL);
  /* Translators: a date and time */
  text = g_strdup_printf (_("Saved result of %s, as it was computed then."), when);
  gtk_label_set_text (self->saved_label, text);
}

/* The list ------------------------------------------------------------------------------------ */

static char *
describe_saved (const SextantSavedResult *saved,
                SextantOptimizationRequest *q)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (saved->created_at);
  g_autofree char *date = sextant_format_date_time (when, NULL);
  int first_year, last_year, month, mday;

  sextant_day_to_ymd (q->first_day, &first_year, &month, &mday);
  sextant_day_to_ymd (q->last_day, &last_year, &month, &mday);

  /* Translators: date and time saved, number of holdings, first and last year of data */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %zu holding · %d–%d",
                                       "%s · %zu holdings · %d–%d", q->k),
                          date, q->k, first_year, last_year);
}

static GtkWidget *
create_saved_row (const SextantSavedResult *saved)
{
  g_autoptr(SextantOptimizationRequest) q = sextant_optimization_request_new_from_saved (saved, NULL);
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  GtkWidget *row, *remove;

  if (q == NULL)
    return NULL;
  subtitle = describe_saved (saved, q);
  /* Translators: an objective, then a portfolio's name */
  title = g_strdup_printf (_("%s · %s"), sextant_objective_get_name (q->objective), q->name);
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-saved-result");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x", saved->result_id);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Delete the saved result"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Delete the saved result"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "win.delete-saved-result");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "x", saved->result_id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  return row;
}

static void
fill_saved_list (SextantPortfolioWindow *self)
{
  g_autoptr(SextantPortfolioStore) store = dup_portfolio_store (self, NULL);
  g_autoptr(GPtrArray) results = NULL;
  GtkWidget *child;
  guint listed = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->saved_list))) != NULL)
    gtk_list_box_remove (self->saved_list, child);
  if (store == NULL || (results = sextant_portfolio_store_list_results (store, NULL, NULL, NULL)) == NULL)
    return;
  for (guint i = 0; i < results->len && listed < MAX_LISTED; i++)
    {
      SextantSavedResult *saved = results->pdata[i];
      GtkWidget *row;

      /* The store also keeps risk results; only optimizations reopen here. */
      if (!g_str_has_prefix (saved->kind, "optimize.") || (row = create_saved_row (saved)) == NULL)
        continue;
      gtk_list_box_append (self->saved_list, row);
      listed++;
    }
}

/* Reopening -------------------------------------------------------------------------------- */

static void
restore_inputs (SextantPortfolioWindow           *self,
                const SextantOptimizationRequest *q)
{
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new (q->name);

  for (gsize j = 0; j < q->k; j++)
    {
      double quantity = isfinite (q->quantities[j]) ? q->quantities[j] : 0;

      sextant_portfolio_add_holding (portfolio, q->symbols[j], quantity, NAN, NULL);
      sextant_portfolio_set_bounds (portfolio, j, isfinite (q->lower[j]) ? q->lower[j] : 0,
                                    isfinite (q->upper[j]) ? q->upper[j] : 1);
    }
  /* The result's money: reopened in it, the inputs match the result again. */
  _sextant_portfolio_window_set_base_currency (self, q->currency);
  _sextant_portfolio_window_set_holdings (self, portfolio);
  adw_combo_row_set_selected (self->objective_row, q->objective);
  if (isfinite (q->target))
    gtk_spin_button_set_value (self->target_spin, 100 * q->target);
  _sextant_portfolio_window_set_range (self, q->first_day, q->last_day);
}

/**
 * sextant_portfolio_window_open_saved_result:
 * @self: a portfolio window
 * @result_id: a saved result's id
 * @error: a store error, or why the stored result cannot be shown on the current prices
 *
 * Restores the result's holdings, bounds, objective and data range, and shows its stored
 * weights and metrics. When only the inputs can be restored (the prices no longer cover them),
 * they are, and the error says why the result is not shown.
 *
 * Returns: %TRUE if the result is shown
 */
gboolean
sextant_portfolio_window_open_saved_result (SextantPortfolioWindow  *self,
                                            gint64                   result_id,
                                            GError                 **error)
{
  SextantWorkspace *workspace;
  SextantPriceTable *stocks;
  g_autoptr(SextantPortfolioStore) store = NULL;
  g_autoptr(SextantSavedResult) saved = NULL;
  g_autoptr(SextantOptimizationRequest) q = NULL;
  g_autoptr(SextantOptimizationResult) r = NULL;
  g_autoptr(GDateTime) saved_at = NULL;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), FALSE);
  g_return_val_if_fail (!sextant_portfolio_window_get_busy (self), FALSE);

  workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  stocks = sextant_workspace_get_stocks (workspace);
  if ((store = dup_portfolio_store (self, error)) == NULL ||
      (saved = sextant_portfolio_store_get_result (store, result_id, error)) == NULL ||
      (q = sextant_optimization_request_new_from_saved (saved, error)) == NULL)
    return FALSE;
  restore_inputs (self, q);
  /* The holdings' closes, as a new run would use them. */
  if (self->range_prices != NULL)
    stocks = self->range_prices;
  if ((r = sextant_optimization_result_new_from_saved (saved, stocks, error)) == NULL)
    return FALSE;
  saved_at = g_date_time_new_from_unix_local (saved->created_at);
  _sextant_portfolio_window_show_result (self, r, saved_at);
  self->saved_id = result_id;
  _sextant_portfolio_window_update_actions (self);

  return TRUE;
}

/**
 * sextant_portfolio_window_get_saved_id:
 * @self: a portfolio window
 *
 * Returns: the saved result shown (just computed and saved, or reopened), or 0
 */
gint64
sextant_portfolio_window_get_saved_id (SextantPortfolioWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), 0);

  return self->result != NULL ? self->saved_id : 0;
}

static void
open_saved_result_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  gtk_menu_button_popdown (self->saved_button);
  if (sextant_portfolio_window_get_busy (self) ||
      sextant_portfolio_window_open_saved_result (self, g_variant_get_int64 (parameter), &error))
    return;
  /* Translators: why a saved result cannot be shown */
  {
    g_autofree char *text = g_strdup_printf (_("The saved result cannot be shown: %s"), error->message);

    _sextant_portfolio_window_set_status (self, text);
  }
}

static void
delete_saved_result_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  g_autoptr(SextantPortfolioStore) store = dup_portfolio_store (self, NULL);
  g_autoptr(GError) error = NULL;
  gint64 id = g_variant_get_int64 (parameter);

  if (store == NULL)
    return;
  if (!sextant_portfolio_store_delete_result (store, id, &error))
    g_warning ("%s", error->message);
  if (id == self->saved_id)
    self->saved_id = 0;
  fill_saved_list (self);
}

static void
show_saved_results_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  gtk_menu_button_popup (SEXTANT_PORTFOLIO_WINDOW (widget)->saved_button);
}

static void
saved_popover_shown_cb (SextantPortfolioWindow *self)
{
  fill_saved_list (self);
}

void
_sextant_portfolio_window_init_saved (SextantPortfolioWindow *self)
{
  GtkWidget *placeholder = gtk_label_new (_("No saved results yet: every optimization is saved here."));

  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (placeholder), 30);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->saved_list, placeholder);
  g_signal_connect_object (gtk_menu_button_get_popover (self->saved_button), "show",
                           G_CALLBACK (saved_popover_shown_cb), self, G_CONNECT_SWAPPED);
}

void
_sextant_portfolio_window_class_init_saved (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-saved-result", "x", open_saved_result_action);
  gtk_widget_class_install_action (widget_class, "win.delete-saved-result", "x", delete_saved_result_action);
  gtk_widget_class_install_action (widget_class, "win.show-saved-results", NULL, show_saved_results_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.show-saved-results", NULL);
}
