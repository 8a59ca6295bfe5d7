#define G_LOG_DOMAIN "sextant-risk-window-shocks"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "sextant-risk-window-private.h"

/* The risk page's user-defined stress scenarios: a market move, instrument and currency shocks,
 * applied to the figures' weights and a portfolio value (sextant_stress_scenario_apply()),
 * saved by name in the workspace's database and re-applied from the list of saved ones. */

#define N_LARGEST 3

static void reload_saved (SextantRiskWindow *self);

static SextantStore *
get_store (SextantRiskWindow *self)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));

  return workspace != NULL ? sextant_workspace_get_store (workspace) : NULL;
}

static void
clear_shock_rows (SextantRiskWindow *self)
{
  for (guint i = 0; i + 1 < self->shock_rows->len; i += 2)
    adw_expander_row_remove (self->shock_rows->pdata[i + 1], self->shock_rows->pdata[i]);
  g_ptr_array_set_size (self->shock_rows, 0);
  g_ptr_array_set_size (self->instrument_entries, 0);
  g_ptr_array_set_size (self->currency_entries, 0);
}

static void
add_shock_row (SextantRiskWindow *self,
               AdwExpanderRow    *expander,
               GPtrArray         *entries,
               const char        *key,
               const char        *placeholder)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *entry = gtk_entry_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), key);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 8);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NUMBER);
  /* Translators: the accessible name of a shock's field; the argument is a symbol or currency */
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  key, -1);
  g_object_set_data_full (G_OBJECT (entry), "key", g_strdup (key), g_free);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), entry);
  adw_expander_row_add_row (expander, row);
  g_ptr_array_add (self->shock_rows, row);
  g_ptr_array_add (self->shock_rows, expander);
  g_ptr_array_add (entries, entry);
}

/* The portfolio behind the figures, for its holdings' currencies and its value: the stored one
 * of that name, else (the built-in equal-weight choice) the demo portfolio. */
static SextantPortfolio *
load_portfolio (SextantRiskWindow *self)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  SextantPortfolio *portfolio = NULL;

  if (self->portfolio_name != NULL)
    portfolio = sextant_portfolio_choices_load (workspace, self->portfolio_name, NULL);
  if (portfolio == NULL)
    portfolio = g_object_ref (sextant_workspace_get_portfolio (workspace));

  return portfolio;
}

static void
fill_currencies (SextantRiskWindow *self,
                 SextantPortfolio  *portfolio)
{
  const SextantRiskFigures *f = self->figures;
  g_autoptr(GPtrArray) foreign = g_ptr_array_new ();

  g_clear_pointer (&self->shock_currencies, g_strfreev);
  g_free (self->base_currency);
  self->base_currency = g_strdup (sextant_portfolio_get_base_currency (portfolio));
  self->shock_currencies = g_new0 (char *, f->k + 1);
  for (gsize j = 0; j < f->k; j++)
    {
      int h = sextant_portfolio_find_holding (portfolio, f->symbols[j]);
      const SextantHolding *holding = h >= 0 ? sextant_portfolio_get_holding (portfolio, h) : NULL;
      const char *currency = holding != NULL && holding->currency != NULL ? holding->currency
                                                                         : self->base_currency;

      self->shock_currencies[j] = g_strdup (currency);
      if (g_strcmp0 (currency, self->base_currency) != 0 &&
          !g_ptr_array_find_with_equal_func (foreign, currency, g_str_equal, NULL))
        g_ptr_array_add (foreign, (gpointer) currency);
    }
  for (guint i = 0; i < foreign->len; i++)
    add_shock_row (self, self->currency_shocks_row, self->currency_entries, foreign->pdata[i], "0");
  if (foreign->len == 0)
    {
      /* Translators: a currency code */
      g_autofree char *text = g_strdup_printf (_("Every holding is in %s, the base currency"),
                                               self->base_currency);

      adw_expander_row_set_subtitle (self->currency_shocks_row, text);
    }
  else
    adw_expander_row_set_subtitle (self->currency_shocks_row,
                                   _("Against the base currency; empty: no move"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->currency_shocks_row), foreign->len > 0);
}

/**
 * _sextant_risk_window_show_shocks:
 * @self: a risk window whose figures were just shown
 *
 * One field per holding of the figures and per foreign currency, and the portfolio's value.
 */
void
_sextant_risk_window_show_shocks (SextantRiskWindow *self)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  const SextantRiskFigures *f = self->figures;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(SextantValuation) valuation = NULL;

  clear_shock_rows (self);
  if (f == NULL)
    return;
  portfolio = load_portfolio (self);
  for (gsize j = 0; j < f->k; j++)
    add_shock_row (self, self->instrument_shocks_row, self->instrument_entries, f->symbols[j],
                   _("market"));
  fill_currencies (self, portfolio);
  valuation = sextant_portfolio_valuate (portfolio, sextant_workspace_get_stocks (workspace), NULL);
  if (valuation != NULL && valuation->total > 0)
    gtk_spin_button_set_value (self->stress_value_spin, round (valuation->total));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.apply-stress", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.apply-saved-stress", TRUE);
  reload_saved (self);
}

/* A shock typed in percent; an empty field is no shock of its own. */
static gboolean
parse_shock (GtkEntry  *entry,
             gboolean  *set,
             double    *shock,
             GError   **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  char *end = NULL;
  double value;

  *set = text[0] != '\0';
  if (!*set)
    return TRUE;
  g_strdelimit (text, ",", '.');
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    {
      /* Translators: a symbol or currency, then what was typed */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: “%s” is not a percentage"),
                   (const char *) g_object_get_data (G_OBJECT (entry), "key"), text);
      return FALSE;
    }
  *shock = value / 100;

  return TRUE;
}

static SextantStressScenario *
scenario_from_fields (SextantRiskWindow  *self,
                      GError            **error)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->stress_name_entry))));
  g_autoptr(SextantStressScenario) s = sextant_stress_scenario_new (name);
  GPtrArray *lists[2] = { self->instrument_entries, self->currency_entries };

  s->market = gtk_spin_button_get_value (self->market_shock_spin) / 100;
  for (guint l = 0; l < 2; l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const char *key = g_object_get_data (lists[l]->pdata[i], "key");
        gboolean set;
        double shock;

        if (!parse_shock (lists[l]->pdata[i], &set, &shock, error))
          return NULL;
        if (set && l == 0)
          sextant_stress_scenario_set_instrument (s, key, shock);
        else if (set)
          sextant_stress_scenario_set_currency (s, key, shock);
      }

  return g_steal_pointer (&s);
}

static int
compare_pnl (const void *a,
             const void *b,
             void       *data)
{
  const double *pnl = data;
  double x = pnl[*(const gsize *) a], y = pnl[*(const gsize *) b];

  return (x > y) - (x < y);
}

static char *
describe_pnl (SextantRiskWindow           *self,
              const SextantStressScenario *s,
              const double                *pnl,
              double                       total,
              double                       value)
{
  const SextantRiskFigures *f = self->figures;
  g_autofree gsize *order = g_new (gsize, f->k);
  GString *text = g_string_new (NULL);

  /* Translators: the scenario's name, the P&L, its currency, the P&L in percent, the value */
  g_string_append_printf (text, _("%s: profit or loss %+.0f %s (%+.2f %% of %.0f %s)."),
                          s->name[0] != '\0' ? s->name : _("Unsaved scenario"), total,
                          self->base_currency, value > 0 ? 100 * total / value : 0.0, value,
                          self->base_currency);
  for (gsize j = 0; j < f->k; j++)
    order[j] = j;
  g_qsort_with_data (order, f->k, sizeof (gsize), compare_pnl, (gpointer) pnl);
  if (f->k > 0 && pnl[order[0]] < 0)
    g_string_append (text, _(" Largest losses:"));
  for (gsize i = 0; i < MIN (f->k, N_LARGEST) && pnl[order[i]] < 0; i++)
    g_string_append_printf (text, "%s %s %+.0f", i == 0 ? "" : ",", f->symbols[order[i]],
                            pnl[order[i]]);
  if (f->k > 0 && pnl[order[0]] < 0)
    g_string_append (text, ".");

  return g_string_free (text, FALSE);
}

static void
apply_scenario (SextantRiskWindow           *self,
                const SextantStressScenario *s)
{
  const SextantRiskFigures *f = self->figures;
  double value = gtk_spin_button_get_value (self->stress_value_spin), total;
  g_autofree double *pnl = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (f == NULL)
    return;
  pnl = g_new (double, f->k);
  if (!sextant_stress_scenario_apply (s, f->k, (const char * const *) f->symbols,
                                      (const char * const *) self->shock_currencies, f->weights,
                                      value, NULL, pnl, &total, &error))
    {
      gtk_label_set_text (self->shock_result_label, error->message);
      return;
    }
  text = describe_pnl (self, s, pnl, total, value);
  gtk_label_set_text (self->shock_result_label, text);
}

static void
apply_stress_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SextantRiskWindow *self = SEXTANT_RISK_WINDOW (widget);
  g_autoptr(SextantStressScenario) s = NULL;
  g_autoptr(GError) error = NULL;

  s = scenario_from_fields (self, &error);
  if (s == NULL)
    gtk_label_set_text (self->shock_result_label, error->message);
  else
    apply_scenario (self, s);
}

static void
reload_saved (SextantRiskWindow *self)
{
  SextantStore *store = get_store (self);
  g_auto(GStrv) names = NULL;
  GtkWidget *row;
  g_autoptr(GError) error = NULL;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->saved_stress_list))) != NULL)
    gtk_list_box_remove (self->saved_stress_list, row);
  names = store != NULL ? sextant_stress_scenario_list_names (store, &error) : NULL;
  if (error != NULL)
    g_warning ("Cannot list the stress scenarios: %s", error->message);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      GtkWidget *apply = gtk_button_new_with_label (_("Apply"));
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), names[i]);
      gtk_widget_set_valign (apply, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Delete"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (apply), "win.apply-saved-stress");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (apply), "s", names[i]);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "win.delete-saved-stress");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", names[i]);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), apply);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->saved_stress_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->saved_stress_group), names != NULL && names[0] != NULL);
}

static void
save_stress_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SextantRiskWindow *self = SEXTANT_RISK_WINDOW (widget);
  g_autoptr(SextantStressScenario) s = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *toast = NULL;

  s = scenario_from_fields (self, &error);
  if (s != NULL && s->name[0] == '\0')
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("Name the scenario to save it"));
  else if (s != NULL && get_store (self) == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The database is not open: the scenario cannot be saved"));
  else if (s != NULL)
    sextant_stress_scenario_save (get_store (self), s, &error);
  if (error != NULL)
    {
      gtk_label_set_text (self->shock_result_label, error->message);
      return;
    }
  reload_saved (self);
  apply_scenario (self, s);
  /* Translators: a stress scenario's name */
  toast = g_strdup_printf (_("Saved “%s”"), s->name);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (toast));
}

static void
set_entries (GPtrArray *entries,
             GArray    *shocks)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const char *key = g_object_get_data (entries->pdata[i], "key");
      g_autofree char *text = NULL;

      for (guint s = 0; s < shocks->len && text == NULL; s++)
        if (g_strcmp0 (g_array_index (shocks, SextantStressShock, s).key, key) == 0)
          text = g_strdup_printf ("%g", 100 * g_array_index (shocks, SextantStressShock, s).shock);
      gtk_editable_set_text (GTK_EDITABLE (entries->pdata[i]), text != NULL ? text : "");
    }
}

static void
apply_saved_stress_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  SextantRiskWindow *self = SEXTANT_RISK_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autoptr(SextantStressScenario) s = NULL;
  g_autoptr(GError) error = NULL;

  s = get_store (self) != NULL ? sextant_stress_scenario_load (get_store (self), name, &error) : NULL;
  if (s == NULL)
    {
      gtk_label_set_text (self->shock_result_label, error != NULL ? error->message : name);
      return;
    }
  /* The fields show what is applied, so that it can be changed and saved again. */
  gtk_editable_set_text (GTK_EDITABLE (self->stress_name_entry), s->name);
  gtk_spin_button_set_value (self->market_shock_spin, 100 * s->market);
  set_entries (self->instrument_entries, s->instruments);
  set_entries (self->currency_entries, s->currencies);
  apply_scenario (self, s);
}

static void
delete_saved_stress_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  SextantRiskWindow *self = SEXTANT_RISK_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (get_store (self) == NULL)
    return;
  if (!sextant_stress_scenario_delete (get_store (self), g_variant_get_string (parameter, NULL), &error))
    gtk_label_set_text (self->shock_result_label, error->message);
  reload_saved (self);
}

void
_sextant_risk_window_class_init_shocks (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, stress_name_entry);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, stress_value_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, market_shock_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, instrument_shocks_row);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, currency_shocks_row);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, shock_result_label);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, saved_stress_list);
  gtk_widget_class_bind_template_child (widget_class, SextantRiskWindow, saved_stress_group);
  gtk_widget_class_install_action (widget_class, "win.apply-stress", NULL, apply_stress_action);
  gtk_widget_class_install_action (widget_class, "win.save-stress", NULL, save_stress_action);
  gtk_widget_class_install_action (widget_class, "win.apply-saved-stress", "s",
                                   apply_saved_stress_action);
  gtk_widget_class_install_action (widget_class, "win.delete-saved-stress", "s",
                                   delete_saved_stress_action);
}

static void
name_activate_cb (SextantRiskWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.apply-stress", NULL);
}

void
_sextant_risk_window_init_shocks (SextantRiskWindow *self)
{
  self->shock_rows = g_ptr_array_new ();
  self->instrument_entries = g_ptr_array_new ();
  self->currency_entries = g_ptr_array_new ();
  /* Nothing to apply until the figures give weights. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.apply-stress", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.apply-saved-stress", FALSE);
  g_signal_connect_object (self->stress_name_entry, "activate", G_CALLBACK (name_activate_cb),
                           self, G_CONNECT_SWAPPED);
  /* The saved scenarios are listed once the workspace is there, with the figures. */
  gtk_widget_set_visible (GTK_WIDGET (self->saved_stress_group), FALSE);
}

void
_sextant_risk_window_dispose_shocks (SextantRiskWindow *self)
{
  g_clear_pointer (&self->shock_rows, g_ptr_array_unref);
  g_clear_pointer (&self->instrument_entries, g_ptr_array_unref);
  g_clear_pointer (&self->currency_entries, g_ptr_array_unref);
  g_clear_pointer (&self->shock_currencies, g_strfreev);
  g_clear_pointer (&self->base_currency, g_free);
}
