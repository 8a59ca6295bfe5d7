#define G_LOG_DOMAIN "sextant-risk-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-risk-window-private.h"

G_DEFINE_FINAL_TYPE (SextantRiskWindow, sextant_risk_window, SEXTANT_TYPE_WORKSPACE_WINDOW)

static GtkWidget *
create_instrument_row (const char   *symbol,
                       const gint32 *days,
                       const double *closes,
                       gsize         n)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *last_label;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *close_text = NULL;
  gsize last_row = n;

  while (last_row > 0 && !isfinite (closes[last_row - 1]))
    last_row--;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), symbol);
  first = sextant_day_format_iso (days[0]);
  last = sextant_day_format_iso (days[n - 1]);
  /* Translators: number of daily closes, first date, last date */
  subtitle = g_strdup_printf (_("%'zu daily closes, %s to %s"), n, first, last);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  close_text = last_row > 0 ? g_strdup_printf ("%'.2f", closes[last_row - 1]) : g_strdup ("—");
  last_label = gtk_label_new (close_text);
  gtk_widget_add_css_class (last_label, "numeric");
  gtk_widget_set_tooltip_text (last_label, _("Last close"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), last_label);

  return row;
}

static void
sextant_risk_window_data_changed (SextantWorkspaceWindow *window)
{
  SextantRiskWindow *self = SEXTANT_RISK_WINDOW (window);
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (window);
  GtkWidget *child;
  SextantPriceSeries *index;
  SextantPriceTable *stocks;
  g_autofree char *description = NULL;

  index = sextant_workspace_get_index (workspace);
  stocks = sextant_workspace_get_stocks (workspace);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->instruments_list))))
    gtk_list_box_remove (self->instruments_list, child);

  gtk_list_box_append (self->instruments_list,
                       create_instrument_row (sextant_price_series_get_symbol (index),
                                              sextant_price_series_get_days (index),
                                              sextant_price_series_get_close (index),
                                              sextant_price_series_get_length (index)));
  for (gsize c = 0; c < sextant_price_table_get_n_columns (stocks); c++)
    gtk_list_box_append (self->instruments_list,
                         create_instrument_row (sextant_price_table_get_column_name (stocks, c),
                                                sextant_price_table_get_days (stocks),
                                                sextant_price_table_get_column (stocks, c),
                                                sextant_price_table_get_n_rows (stocks)));

  /* Translators: the number of instruments in the demo data */
  description = g_strdup_printf (_("%zu instruments in the bundled demo data"),
                                 sextant_price_table_get_n_columns (stocks) + 1);
  adw_preferences_group_set_description (self->instruments_group, description);
  _sextant_risk_window_update_choices (self);
  sextant_rates_view_set_portfolio (self->rates_view, self->portfolio_name);
  sextant_rates_view_set_workspace (self->rates_view, workspace);
  _sextant_risk_window_compute (self);
}

/* Lists the choices again, keeping the chosen one (by name) or, when it is gone, choosing the
 * first: the demo portfolio unless it is stored. Returns whether the choice changed. */
void
_sextant_risk_window_update_choices (SextantRiskWindow *self)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  g_auto(GStrv) names = NULL;
  guint position;

  if (!sextant_workspace_get_demo_loaded (workspace))
    return;
  names = sextant_portfolio_choices_list (workspace, sextant_risk_equal_weight_name ());
  self->updating_choices = TRUE;
  sextant_portfolio_choices_update (self->portfolio_names, (const char * const *) names);
  position = sextant_portfolio_choices_find (G_LIST_MODEL (self->portfolio_names), self->portfolio_name);
  /* At first, and when the chosen one is gone: the demo portfolio, stored or not. */
  if (position == GTK_INVALID_LIST_POSITION)
    position = sextant_portfolio_choices_find (G_LIST_MODEL (self->portfolio_names),
                                               sextant_portfolio_get_name (sextant_workspace_get_portfolio (workspace)));
  if (position == GTK_INVALID_LIST_POSITION)
    position = 0;
  gtk_drop_down_set_selected (self->portfolio_dropdown, position);
  g_free (self->portfolio_name);
  self->portfolio_name = g_strdup (sextant_portfolio_choices_get_name (self->portfolio_dropdown));
  self->updating_choices = FALSE;
}

static void
portfolio_selected_cb (SextantRiskWindow *self)
{
  if (self->updating_choices)
    return;
  g_free (self->portfolio_name);
  self->portfolio_name = g_strdup (sextant_portfolio_choices_get_name (self->portfolio_dropdown));
  sextant_rates_view_set_portfolio (self->rates_view, self->portfolio_name);
  _sextant_risk_window_compute (self);
}

/* A portfolio was created, saved, renamed or deleted, in this window or another: the list
 * follows, the chosen portfolio follows its renames, and its figures are computed again when
 * its holdings changed or it is gone. */
static void
portfolios_changed_cb (SextantRiskWindow *self,
                       const char        *old_name,
                       const char        *new_name)
{
  gboolean chosen = self->portfolio_name != NULL && old_name != NULL &&
                    g_str_equal (self->portfolio_name, old_name);
  g_autofree char *before = g_strdup (self->portfolio_name);

  if (chosen && new_name != NULL)
    {
      g_free (self->portfolio_name);
      self->portfolio_name = g_strdup (new_name);
    }
  _sextant_risk_window_update_choices (self);
  /* A rename alone leaves the figures as they are but for the name they carry. */
  if (chosen && new_name != NULL && !g_str_equal (old_name, new_name) && self->figures != NULL &&
      g_strcmp0 (self->figures->name, old_name) == 0)
    {
      g_free (self->figures->name);
      self->figures->name = g_strdup (new_name);
      _sextant_risk_window_show_status (self);
      return;
    }
  if (chosen || g_strcmp0 (before, self->portfolio_name) != 0 ||
      g_strcmp0 (new_name, self->portfolio_name) == 0)
    {
      sextant_rates_view_set_portfolio (self->rates_view, self->portfolio_name);
      _sextant_risk_window_compute (self);
    }
}

static void
sextant_risk_window_dispose (GObject *object)
{
  SextantRiskWindow *self = (SextantRiskWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  _sextant_risk_window_dispose_refresh (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_RISK_WINDOW);
  g_clear_pointer (&self->figures, sextant_risk_figures_unref);
  g_clear_pointer (&self->prices_note, g_free);
  g_clear_pointer (&self->portfolio_name, g_free);
  g_clear_object (&self->portfolio_names);
  _sextant_risk_window_dispose_shocks (self);
  g_clear_pointer (&self->kpi_labels, g_hash_table_unref);

  G_OBJECT_CLASS (sextant_risk_window_parent_class)->dispose (object);
}

static void
sextant_risk_window_constructed (GObject *object)
{
  SextantRiskWindow *self = SEXTANT_RISK_WINDOW (object);
  SextantPortfolioStore *portfolios;

  G_OBJECT_CLASS (sextant_risk_window_parent_class)->constructed (object);

  portfolios = sextant_portfolio_choices_get_store (sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self)));
  if (portfolios != NULL)
    g_signal_connect_object (portfolios, "changed", G_CALLBACK (portfolios_changed_cb), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect_object (self->rates_view, "fetched", G_CALLBACK (_sextant_risk_window_compute),
                           self, G_CONNECT_SWAPPED);
}

static void
sextant_risk_window_class_init (SextantRiskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sextant_risk_window_constructed;
  object_class->dispose = sextant_risk_window_dispose;
  SEXTANT_WORKSPACE_WINDOW_CLASS (klass)->settings_prefix = "risk-window";
  SEXTANT_WORKSPACE_WINDOW_CLASS (klass)->data_changed = sextant_risk_window_data_changed;

  g_type_ensure (SEXTANT_TYPE_CHART_VIEW);
  g_type_ensure (SEXTANT_TYPE_RATES_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "sextant-risk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, portfolio_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, refresh_progress);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, cancel_refresh_button);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, refresh_result_revealer);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, refresh_result_label);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, refresh_failures_list);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, kpi_box);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, histogram_view);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, drawdown_view);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, heatmap_view);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, rates_view);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, component_grid);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, exposure_grid);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, stress_grid);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, instruments_group);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, instruments_list);
  gtk_widget_class_install_action (widget_class, "win.refresh-prices", NULL,
                                   _sextant_risk_window_refresh_prices_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-refresh", NULL,
                                   _sextant_risk_window_cancel_refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-refresh", NULL);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, _sextant_risk_window_refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  _sextant_risk_window_class_init_report (widget_class);
  _sextant_risk_window_class_init_shocks (widget_class);
}

static void
sextant_risk_window_init (SextantRiskWindow *self)
{
  self->kpi_labels = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_widget_init_template (GTK_WIDGET (self));

  sextant_workspace_window_set_menu_button (SEXTANT_WORKSPACE_WINDOW (self), self->menu_button);
  _sextant_risk_window_create_tiles (self);
  _sextant_risk_window_init_shocks (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-refresh", FALSE);
  _sextant_risk_window_update_report_action (self);
  self->portfolio_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->portfolio_dropdown, G_LIST_MODEL (self->portfolio_names));
  g_signal_connect_object (self->portfolio_dropdown, "notify::selected",
                           G_CALLBACK (portfolio_selected_cb), self, G_CONNECT_SWAPPED);
}

SextantRiskWindow *
sextant_risk_window_new (GtkApplication   *application,
                         SextantWorkspace *workspace)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (workspace), NULL);

  return g_object_new (SEXTANT_TYPE_RISK_WINDOW,
                       "application", application,
                       "workspace", workspace,
                       NULL);
}

/**
 * sextant_risk_window_get_busy:
 * @self: a risk window
 *
 * Returns: whether figures are being computed
 */
gboolean
sextant_risk_window_get_busy (SextantRiskWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_RISK_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * sextant_risk_window_get_refreshing:
 * @self: a risk window
 *
 * Returns: whether stale prices are being fetched
 */
gboolean
sextant_risk_window_get_refreshing (SextantRiskWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_RISK_WINDOW (self), FALSE);

  return self->refresh_fetch != NULL;
}

/**
 * sextant_risk_window_get_figures:
 * @self: a risk window
 *
 * Returns: (transfer none) (nullable): the figures shown
 */
SextantRiskFigures *
sextant_risk_window_get_figures (SextantRiskWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_RISK_WINDOW (self), NULL);

  return self->figures;
}

/**
 * sextant_risk_window_get_kpi_label:
 * @self: a risk window
 * @key: a tile's key, such as `var99-historical` or `beta`
 *
 * Returns: (transfer none) (nullable): the label showing that tile's value
 */
GtkLabel *
sextant_risk_window_get_kpi_label (SextantRiskWindow *self,
                                   const char        *key)
{
  g_return_val_if_fail (SEXTANT_IS_RISK_WINDOW (self), NULL);

  return g_hash_table_lookup (self->kpi_labels, key);
}
