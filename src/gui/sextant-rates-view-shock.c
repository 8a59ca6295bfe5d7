#define G_LOG_DOMAIN "sextant-rates-view-shock"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-money-format.h"
#include "sextant-portfolio-choices.h"
#include "sextant-rates-shock.h"
#include "sextant-rates-view-private.h"

/* The shock panel: one move for rates, one for spreads and one per currency of the book; Apply
 * computes each holding's P&L in a thread, as `sextant-cli shock` does. */

typedef struct
{
  SextantMarketCache *cache;
  SextantPortfolio   *portfolio;
  double              rates;
  double              spreads;
  GHashTable         *fx;
} ShockData;

static void
shock_data_free (ShockData *data)
{
  g_clear_object (&data->cache);
  g_clear_object (&data->portfolio);
  g_clear_pointer (&data->fx, g_hash_table_unref);
  g_free (data);
}

static void
shock_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ShockData *data = task_data;
  GError *error = NULL;
  SextantRatesShock *shock;

  shock = sextant_rates_shock_compute (data->cache, data->portfolio, data->rates, data->spreads,
                                       data->fx, &error);
  if (shock == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, shock, (GDestroyNotify) sextant_rates_shock_free);
}

static void
clear_grid (SextantRatesView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->shock_grid))))
    gtk_grid_remove (self->shock_grid, child);
}

static GtkWidget *
cell (const char *text,
      gboolean    numeric,
      gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
add_row (SextantRatesView *self,
         int               row,
         const char       *name,
         const char       *kind,
         const char       *currency,
         const double     *figures,
         const char       *base,
         gboolean          heading)
{
  gtk_grid_attach (self->shock_grid, cell (name, FALSE, heading), 0, row, 1, 1);
  gtk_grid_attach (self->shock_grid, cell (kind, FALSE, FALSE), 1, row, 1, 1);
  gtk_grid_attach (self->shock_grid, cell (currency, FALSE, FALSE), 2, row, 1, 1);
  for (int k = 0; k < 5; k++)
    {
      g_autofree char *text = sextant_format_money (figures[k], base, 0);

      gtk_grid_attach (self->shock_grid, cell (text, TRUE, heading), 3 + k, row, 1, 1);
    }
}

static void
show_shock (SextantRatesView  *self,
            SextantRatesShock *shock)
{
  /* The lines point into the shock's portfolio: the view keeps the whole shock. */
  const char *base = sextant_portfolio_get_base_currency (shock->portfolio);
  const char *titles[] = { N_("Holding"), N_("Kind"), N_("Currency"), N_("Value"), N_("Rates"),
                           N_("Spreads"), N_("FX"), N_("P&L") };
  g_autofree char *date = sextant_day_format_iso (shock->day);
  g_autofree char *total = NULL;
  g_autofree char *text = NULL;
  double figures[5];

  clear_grid (self);
  for (guint k = 0; k < G_N_ELEMENTS (titles); k++)
    gtk_grid_attach (self->shock_grid, cell (_(titles[k]), k >= 3, TRUE), k, 0, 1, 1);
  for (guint i = 0; i < shock->lines->len; i++)
    {
      const SextantRatesShockLine *l = &g_array_index (shock->lines, SextantRatesShockLine, i);

      figures[0] = l->value;
      figures[1] = l->rates_pnl;
      figures[2] = l->spreads_pnl;
      figures[3] = l->fx_pnl;
      figures[4] = l->rates_pnl + l->spreads_pnl + l->fx_pnl;
      add_row (self, i + 1, l->holding->symbol, sextant_holding_kind_name (l->holding->kind),
               l->currency, figures, base, FALSE);
    }
  self->shock_total[0] = figures[0] = shock->value;
  self->shock_total[1] = figures[1] = shock->rates_pnl;
  self->shock_total[2] = figures[2] = shock->spreads_pnl;
  self->shock_total[3] = figures[3] = shock->fx_pnl;
  self->shock_total[4] = figures[4] = shock->rates_pnl + shock->spreads_pnl + shock->fx_pnl;
  add_row (self, shock->lines->len + 1, _("Total"), "", base, figures, base, TRUE);
  total = sextant_format_money (figures[4], base, 0);
  /* Translators: a date, then an amount of money */
  if (shock->curves_note != NULL)
    /* Translators: a date, an amount of money, then which curve each currency's bonds are on */
    text = g_strdup_printf (_("Valued on %s: profit or loss %s. %s. Exchange rates: ECB statistics."), date, total,
                            shock->curves_note);
  else
    text = g_strdup_printf (_("Valued on %s: profit or loss %s. Exchange rates: ECB statistics."), date, total);
  gtk_label_set_text (self->shock_status_label, text);
}

static void
shock_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SextantRatesView *self = SEXTANT_RATES_VIEW (object);
  g_autoptr(SextantRatesShock) shock = NULL;
  g_autoptr(GError) error = NULL;

  shock = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->shock_cancellable == NULL ||
      g_task_get_cancellable (G_TASK (result)) != self->shock_cancellable)
    return;
  g_clear_object (&self->shock_cancellable);
  _sextant_rates_view_update_busy (self);
  if (shock != NULL)
    {
      show_shock (self, shock);
      g_clear_pointer (&self->shock, sextant_rates_shock_free);
      self->shock = g_steal_pointer (&shock);
    }
  else
    {
      /* Translators: the reason */
      g_autofree char *text = g_strdup_printf (_("The shock could not be computed: %s"), error->message);

      clear_grid (self);
      g_clear_pointer (&self->shock, sextant_rates_shock_free);
      gtk_label_set_text (self->shock_status_label, text);
    }
}

static void
apply_shock_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SextantRatesView *self = SEXTANT_RATES_VIEW (widget);
  g_autoptr(GTask) task = NULL;
  ShockData *data;

  if (self->workspace == NULL || sextant_workspace_get_store (self->workspace) == NULL)
    return;
  g_cancellable_cancel (self->shock_cancellable);
  g_clear_object (&self->shock_cancellable);
  self->shock_cancellable = g_cancellable_new ();
  data = g_new0 (ShockData, 1);
  data->cache = sextant_market_cache_new (sextant_workspace_get_store (self->workspace));
  data->portfolio = self->portfolio_name != NULL
                    ? sextant_portfolio_choices_load (self->workspace, self->portfolio_name, NULL) : NULL;
  if (data->portfolio == NULL)
    data->portfolio = g_object_ref (sextant_workspace_get_portfolio (self->workspace));
  data->rates = gtk_spin_button_get_value (self->rates_spin) / 1e4;
  data->spreads = gtk_spin_button_get_value (self->spreads_spin) / 1e4;
  data->fx = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; self->fx_shock_rows != NULL && i < self->fx_shock_rows->len; i++)
    {
      GtkWidget *row = self->fx_shock_rows->pdata[i];
      GtkSpinButton *spin = g_object_get_data (G_OBJECT (row), "spin");
      double change = gtk_spin_button_get_value (spin);

      if (change != 0)
        g_hash_table_insert (data->fx, g_strdup (g_object_get_data (G_OBJECT (row), "currency")),
                             g_memdup2 (&(double) { change / 100 }, sizeof (double)));
    }
  gtk_label_set_text (self->shock_status_label, _("Computing…"));
  _sextant_rates_view_update_busy (self);
  task = g_task_new (self, self->shock_cancellable, shock_done_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) shock_data_free);
  g_task_run_in_thread (task, shock_thread);
}

/* One spin button per currency of the book other than its base, kept when the currencies stay
 * the same so a move typed in survives a refresh. */
void
_sextant_rates_view_update_currencies (SextantRatesView *self)
{
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) currencies = NULL;
  g_autofree char *joined = NULL;
  const char *base;

  if (self->workspace == NULL || sextant_workspace_get_store (self->workspace) == NULL)
    return;
  cache = sextant_market_cache_new (sextant_workspace_get_store (self->workspace));
  portfolio = self->portfolio_name != NULL
              ? sextant_portfolio_choices_load (self->workspace, self->portfolio_name, NULL) : NULL;
  if (portfolio == NULL)
    portfolio = g_object_ref (sextant_workspace_get_portfolio (self->workspace));
  base = sextant_portfolio_get_base_currency (portfolio);
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      g_autofree char *currency = sextant_book_dup_holding_currency (cache, portfolio, i);

      if (currency != NULL && g_ascii_strcasecmp (currency, base) != 0)
        {
          g_auto(GStrv) so_far = g_strv_builder_end (builder);

          g_strv_builder_addv (builder, (const char **) so_far);
          if (!g_strv_contains ((const char * const *) so_far, currency))
            g_strv_builder_add (builder, currency);
        }
    }
  currencies = g_strv_builder_end (builder);
  self->exposure = currencies[0] != NULL || sextant_portfolio_has_kind (portfolio, SEXTANT_HOLDING_BOND);
  joined = g_strjoinv (",", currencies);
  if (g_strcmp0 (joined, g_object_get_data (G_OBJECT (self->fx_shocks_row), "currencies")) == 0)
    return;
  g_object_set_data_full (G_OBJECT (self->fx_shocks_row), "currencies", g_steal_pointer (&joined), g_free);
  for (guint i = 0; self->fx_shock_rows != NULL && i < self->fx_shock_rows->len; i++)
    adw_expander_row_remove (self->fx_shocks_row, self->fx_shock_rows->pdata[i]);
  g_ptr_array_set_size (self->fx_shock_rows, 0);
  for (guint i = 0; currencies[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (-99, 1000, 1);
      /* Translators: a currency code, then the base currency's */
      g_autofree char *label = g_strdup_printf (_("%s against %s, in percent"), currencies[i], base);

      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 1);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), currencies[i]);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      g_object_set_data (G_OBJECT (row), "spin", spin);
      g_object_set_data_full (G_OBJECT (row), "currency", g_strdup (currencies[i]), g_free);
      adw_expander_row_add_row (self->fx_shocks_row, row);
      g_ptr_array_add (self->fx_shock_rows, row);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->fx_shocks_row), currencies[0] != NULL);
}

void
_sextant_rates_view_clear_shock (SextantRatesView *self)
{
  g_cancellable_cancel (self->shock_cancellable);
  g_clear_object (&self->shock_cancellable);
  g_clear_pointer (&self->shock, sextant_rates_shock_free);
  clear_grid (self);
  gtk_label_set_text (self->shock_status_label,
                      _("Set the moves and apply them to see the profit or loss of each holding."));
}

void
_sextant_rates_view_class_init_shock (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "rates.apply-shock", NULL, apply_shock_action);
}

void
_sextant_rates_view_init_shock (SextantRatesView *self)
{
  self->fx_shock_rows = g_ptr_array_new ();
}

void
_sextant_rates_view_dispose_shock (SextantRatesView *self)
{
  g_cancellable_cancel (self->shock_cancellable);
  g_clear_object (&self->shock_cancellable);
  g_clear_pointer (&self->shock, sextant_rates_shock_free);
  g_clear_pointer (&self->fx_shock_rows, g_ptr_array_unref);
}
