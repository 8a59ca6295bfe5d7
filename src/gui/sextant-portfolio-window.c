#define G_LOG_DOMAIN "sextant-portfolio-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sextant-money-format.h"
#include "sextant-portfolio-window-private.h"

/* The holdings editor: the window edits its own copy of the workspace's portfolio, so that
 * trying allocations out never changes what other windows show. */

G_DEFINE_FINAL_TYPE (SextantPortfolioWindow, sextant_portfolio_window, SEXTANT_TYPE_WORKSPACE_WINDOW)

static void sextant_portfolio_window_rebuild_rows (SextantPortfolioWindow *self);

static void
holding_edit_clear (gpointer data)
{
  SextantHoldingEdit *edit = data;

  g_clear_pointer (&edit->symbol, g_free);
  g_clear_pointer (&edit->currency, g_free);
}

static void
holding_edit_copy (SextantHoldingEdit       *copy,
                   const SextantHoldingEdit *edit)
{
  *copy = *edit;
  copy->symbol = g_strdup (edit->symbol);
  copy->currency = g_strdup (edit->currency);
}

static SextantHoldingEdit *
get_edit (SextantPortfolioWindow *self,
          guint                   index)
{
  return &g_array_index (self->holdings, SextantHoldingEdit, index);
}

static void
sextant_portfolio_window_revalue (SextantPortfolioWindow *self)
{
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new ("edit");
  g_autoptr(GError) error = NULL;
  g_autofree char *total = NULL;

  g_clear_pointer (&self->valuation, sextant_valuation_free);
  for (guint i = 0; i < self->holdings->len; i++)
    sextant_portfolio_add_holding (portfolio, get_edit (self, i)->symbol,
                                   get_edit (self, i)->quantity, NAN, self->base_currency);
  if (self->holdings->len > 0)
    self->valuation = sextant_portfolio_valuate (portfolio,
                                                 _sextant_portfolio_window_get_prices (self), &error);
  if (self->valuation == NULL)
    {
      gtk_label_set_text (self->total_label, "—");
      adw_preferences_group_set_description (self->holdings_group,
                                             error != NULL ? error->message : _("No holdings"));
      return;
    }

  total = sextant_format_money (self->valuation->total, self->base_currency, 2);
  gtk_label_set_text (self->total_label, total);
  {
    g_autofree char *as_of = sextant_day_format_iso (self->valuation->as_of);
    g_autofree char *description = NULL;
    g_autofree char *markup = NULL;
    gboolean amounts = FALSE;

    for (guint i = 0; i < self->holdings->len; i++)
      amounts |= get_edit (self, i)->kind != SEXTANT_HOLDING_EQUITY;
    /* Bonds and cash have no closes: the total says it leaves them out, and where they are
     * valued. */
    description = amounts
      /* Translators: a date */
      ? g_strdup_printf (_("Valued at the closes of %s. Bonds and cash are left out of this total and "
                           "of the optimization; the risk dashboard’s Rates & FX view values them."), as_of)
      /* Translators: a date */
      : g_strdup_printf (_("Valued at the closes of %s"), as_of);
    /* The group's description is markup. */
    markup = g_markup_escape_text (description, -1);
    adw_preferences_group_set_description (self->holdings_group, markup);
  }
}

static gboolean
holding_is_priced (SextantPortfolioWindow *self,
                   guint                   index)
{
  return self->valuation != NULL && index < self->valuation->n_positions &&
         isfinite (self->valuation->positions[index].price);
}

/* Why a holding has no prices: its last fetch's failure, or that none were ever there. */
static char *
needs_prices_reason (SextantPortfolioWindow *self,
                     guint                   index)
{
  const char *failure = _sextant_portfolio_window_price_error (self, get_edit (self, index)->symbol);

  if (failure != NULL)
    /* Translators: why fetching the holding's prices failed */
    return g_strdup_printf (_("Not fetched: %s"), failure);

  return g_strdup (_("No close of this instrument in the local store"));
}

static char *
holding_subtitle (SextantPortfolioWindow *self,
                  guint                   index)
{
  const SextantHoldingEdit *edit = get_edit (self, index);
  const SextantPositionValue *position;

  if (edit->kind == SEXTANT_HOLDING_BOND)
    {
      /* The terms alone fit the row; the face amount held is the first field inside it. */
      return _sextant_portfolio_window_dup_bond_terms (edit);
    }
  if (edit->kind == SEXTANT_HOLDING_CASH)
    /* Translators: an amount of cash, then its currency */
    return g_strdup_printf (_("Cash · %'.2f %s"), edit->quantity, edit->currency);
  if (!holding_is_priced (self, index))
    /* Translators: shares of a holding that has no prices yet */
    return g_strdup_printf (_("Needs prices · %'.0f shares"), edit->quantity);
  position = &self->valuation->positions[index];

  /* Translators: shares, weight in percent, minimum and maximum weights in percent */
  return g_strdup_printf (_("%'.0f shares · %.2f %% · bounds %.0f–%.0f %%"), edit->quantity,
                          100 * position->weight, 100 * edit->min_weight, 100 * edit->max_weight);
}

static void
update_subtitles (SextantPortfolioWindow *self)
{
  guint i = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->holdings_list));
       row != NULL && i < self->holdings->len; row = gtk_widget_get_next_sibling (row), i++)
    {
      g_autofree char *subtitle = holding_subtitle (self, i);

      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
    }
}

static void spin_changed_cb (GtkSpinButton          *spin,
                             SextantPortfolioWindow *self);

static void
sync_spin (GtkWidget              *widget,
           SextantPortfolioWindow *self,
           guint                   index)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    sync_spin (c, self, index);
  if (GTK_IS_SPIN_BUTTON (widget) &&
      GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "holding-index")) == index)
    {
      const char *field = g_object_get_data (G_OBJECT (widget), "holding-field");
      const SextantPositionValue *position = self->valuation != NULL && index < self->valuation->n_positions
                                               ? &self->valuation->positions[index] : NULL;
      double value = NAN;

      if (g_strcmp0 (field, "quantity") == 0)
        value = get_edit (self, index)->quantity;
      else if (g_strcmp0 (field, "weight") == 0 && position != NULL)
        value = 100 * position->weight;
      else if (g_strcmp0 (field, "value") == 0 && position != NULL)
        value = position->value;
      if (!isfinite (value))
        return;
      g_signal_handlers_block_by_func (widget, spin_changed_cb, self);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), value);
      g_signal_handlers_unblock_by_func (widget, spin_changed_cb, self);
    }
}

/* Shares, weight and value are three ways to say one amount: typed in one, all three show what
 * it comes to in whole shares. */
static void
sync_spins (SextantPortfolioWindow *self,
            guint                   index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->holdings_list, index);

  if (row != NULL)
    sync_spin (GTK_WIDGET (row), self, index);
}

static void
spin_changed_cb (GtkSpinButton          *spin,
                 SextantPortfolioWindow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "holding-index"));
  const char *field = g_object_get_data (G_OBJECT (spin), "holding-field");
  SextantHoldingEdit *edit;
  double value = gtk_spin_button_get_value (spin);

  g_assert (index < self->holdings->len);
  edit = get_edit (self, index);
  if (g_str_equal (field, "quantity"))
    edit->quantity = value;
  else if (g_str_equal (field, "min"))
    edit->min_weight = value / 100.0;
  else if (g_str_equal (field, "max"))
    edit->max_weight = value / 100.0;
  else if (g_str_equal (field, "cost"))
    {
      /* Not recorded is what an empty field means; a price of zero is not one. */
      edit->cost_basis = value > 0 ? value : NAN;
      return;
    }
  else if (g_str_equal (field, "weight") && self->valuation != NULL &&
           isfinite (self->valuation->positions[index].price) && value < 100)
    {
      /* Keep the other holdings' shares and solve q·p / (q·p + rest) = w for this one. */
      const SextantPositionValue *position = &self->valuation->positions[index];
      double rest = self->valuation->total - position->value;
      double w = value / 100.0;

      edit->quantity = round (w * rest / ((1 - w) * position->price));
    }
  else if (g_str_equal (field, "value") && self->valuation != NULL &&
           isfinite (self->valuation->positions[index].price) && self->valuation->positions[index].price > 0)
    /* Whole shares worth about the amount, at the close the holdings are valued at. */
    edit->quantity = round (value / self->valuation->positions[index].price);
  sextant_portfolio_window_revalue (self);
  update_subtitles (self);
  sync_spins (self, index);
  _sextant_portfolio_window_inputs_changed (self);
}

static GtkWidget *
create_spin_row (SextantPortfolioWindow *self,
                 guint                   index,
                 const char             *title,
                 const char             *field,
                 double                  value,
                 double                  upper,
                 guint                   digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, upper, digits > 0 ? 0.5 : 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_set_data (G_OBJECT (spin), "holding-index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (spin), "holding-field", (gpointer) field);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (spin_changed_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);

  return row;
}

static GtkWidget *
create_prices_button (const char *icon_name,
                      const char *label,
                      const char *tooltip,
                      const char *action_name,
                      const char *symbol)
{
  GtkWidget *button = icon_name != NULL ? gtk_button_new_from_icon_name (icon_name)
                                        : gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  if (icon_name != NULL)
    {
      gtk_widget_add_css_class (button, "flat");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", symbol);

  return button;
}

/* A holding without prices is kept and says how to get them: from the providers, or a file.
 * The header has room for icons only; the row inside spells the two ways out. */
static void
add_needs_prices_actions (GtkWidget  *row,
                          const char *symbol,
                          const char *reason)
{
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *inner = adw_action_row_new ();
  const char *fetch_tip = _("Fetch the price history through the market data providers of Preferences");
  const char *import_tip = _("Import the price history from a CSV file of dates and closes");

  gtk_widget_add_css_class (icon, "warning");
  gtk_widget_set_tooltip_text (icon, _("Needs prices"));
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                               create_prices_button ("folder-download-symbolic", _("Fetch Prices"),
                                                     fetch_tip, "win.fetch-prices", symbol));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                               create_prices_button ("document-open-symbolic", _("Import Prices…"),
                                                     import_tip, "win.import-prices", symbol));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (inner), _("Prices"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (inner), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (inner), reason);
  adw_action_row_add_suffix (ADW_ACTION_ROW (inner),
                             create_prices_button (NULL, _("_Import Prices…"), import_tip,
                                                   "win.import-prices", symbol));
  adw_action_row_add_suffix (ADW_ACTION_ROW (inner),
                             create_prices_button (NULL, _("_Fetch Prices"), fetch_tip,
                                                   "win.fetch-prices", symbol));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), inner);
}

static void
add_bound_rows (SextantPortfolioWindow *self,
                GtkWidget              *row,
                guint                   index)
{
  const SextantHoldingEdit *edit = get_edit (self, index);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            create_spin_row (self, index, _("Minimum Weight (%)"), "min",
                                             100 * edit->min_weight, 100, 1));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            create_spin_row (self, index, _("Maximum Weight (%)"), "max",
                                             100 * edit->max_weight, 100, 1));
}

static GtkWidget *
create_edit_bond_button (guint index)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("document-edit-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Edit the bond’s terms"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Edit Bond"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.edit-bond");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", index);

  return button;
}

/* Shares, weight and value are one amount at the close; the cost basis is per share. */
static void
add_instrument_rows (SextantPortfolioWindow *self,
                     GtkWidget              *row,
                     guint                   index)
{
  const SextantHoldingEdit *edit = get_edit (self, index);
  double weight = self->valuation != NULL ? 100 * self->valuation->positions[index].weight : 0;
  double value = self->valuation != NULL && index < self->valuation->n_positions
                   ? self->valuation->positions[index].value : NAN;
  /* Translators: the holding's value in the portfolio's base currency, as "Value (EUR)" */
  g_autofree char *value_title = g_strdup_printf (_("Value (%s)"), self->base_currency);
  g_autofree char *currency = _sextant_portfolio_window_dup_currency_of (self, edit->symbol);
  g_autofree char *cost_title = NULL;

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            create_spin_row (self, index, _("Shares"), "quantity", edit->quantity,
                                             1e9, 0));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            create_spin_row (self, index, _("Weight (%)"), "weight",
                                             isfinite (weight) ? weight : 0, 99, 2));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            create_spin_row (self, index, value_title, "value",
                                             isfinite (value) ? value : 0, 1e12, 2));
  /* Translators: the price paid per share, in the instrument's own currency, as
   * "Cost Basis per Share (USD)" */
  cost_title = g_strdup_printf (_("Cost Basis per Share (%s)"), currency);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            create_spin_row (self, index, cost_title, "cost",
                                             isfinite (edit->cost_basis) ? edit->cost_basis : 0, 1e9, 2));
}

/* A bond or cash is an amount in its currency with no close to convert shares, weight and
 * value into one another: the amount is what the window edits of it. */
static void
add_amount_rows (SextantPortfolioWindow *self,
                 GtkWidget              *row,
                 guint                   index)
{
  const SextantHoldingEdit *edit = get_edit (self, index);
  gboolean bond = edit->kind == SEXTANT_HOLDING_BOND;

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            create_spin_row (self, index, bond ? _("Face Amount Held") : _("Amount"),
                                             "quantity", edit->quantity, 1e12, bond ? 0 : 2));
}

static GtkWidget *
create_holding_row (SextantPortfolioWindow *self,
                    guint                   index)
{
  const SextantHoldingEdit *edit = get_edit (self, index);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *subtitle = holding_subtitle (self, index);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), edit->symbol);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove the holding"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "win.remove-holding");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", index);
  if (edit->kind == SEXTANT_HOLDING_EQUITY && !holding_is_priced (self, index))
    {
      g_autofree char *reason = needs_prices_reason (self, index);

      add_needs_prices_actions (row, edit->symbol, reason);
      /* Open, so the way to prices is in sight. */
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    }
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), remove);
  /* Actions are shown last added first: Edit left of Remove. */
  if (edit->kind == SEXTANT_HOLDING_BOND)
    adw_expander_row_add_action (ADW_EXPANDER_ROW (row), create_edit_bond_button (index));

  /* Bounds are the optimizer's, which bonds and cash are not in. */
  if (edit->kind == SEXTANT_HOLDING_EQUITY)
    {
      add_instrument_rows (self, row, index);
      add_bound_rows (self, row, index);
    }
  else
    add_amount_rows (self, row, index);

  return row;
}

static void
sextant_portfolio_window_rebuild_rows (SextantPortfolioWindow *self)
{
  GtkWidget *child;

  _sextant_portfolio_window_update_prices (self);
  sextant_portfolio_window_revalue (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->holdings_list))))
    gtk_list_box_remove (self->holdings_list, child);
  for (guint i = 0; i < self->holdings->len; i++)
    gtk_list_box_append (self->holdings_list, create_holding_row (self, i));
  _sextant_portfolio_window_prices_changed (self);
}

static void
add_holding (SextantPortfolioWindow *self,
             guint                   index,
             const char             *symbol,
             double                  quantity,
             double                  min_weight,
             double                  max_weight)
{
  SextantHoldingEdit edit = { g_strdup (symbol), quantity, min_weight, max_weight, NAN,
                              SEXTANT_HOLDING_EQUITY, { 0 }, NAN, NULL };

  g_array_insert_val (self->holdings, MIN (index, self->holdings->len), edit);
}

static void
sextant_portfolio_window_data_changed (SextantWorkspaceWindow *window)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (window);
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (window);
  SextantPortfolio *portfolio = sextant_workspace_get_portfolio (workspace);

  _sextant_portfolio_window_update_choices (self);
  if (!self->loaded)
    {
      /* The demo portfolio, stored or not, until the user chooses another. */
      self->loaded = TRUE;
      if (!sextant_portfolio_window_load_portfolio (self, sextant_portfolio_get_name (portfolio), NULL))
        _sextant_portfolio_window_set_holdings (self, portfolio);
    }

  sextant_portfolio_window_rebuild_rows (self);
}

/* Appends @symbol as a holding of 100 shares, priced or not; a holding already there is said so
 * rather than added twice. */
void
_sextant_portfolio_window_add_symbol (SextantPortfolioWindow *self,
                                      const char             *symbol)
{
  for (guint i = 0; i < self->holdings->len; i++)
    if (g_str_equal (get_edit (self, i)->symbol, symbol))
      {
        g_autofree char *text = g_strdup_printf (_("%s is already a holding"), symbol);

        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
        return;
      }

  add_holding (self, self->holdings->len, symbol, 100, 0, 1);
  sextant_portfolio_window_rebuild_rows (self);
}

/* Adds the bond entered in the bond dialog, or puts it in the place of @replaced (the bond it
 * was before an edit), keeping that one's bounds and spread. */
void
_sextant_portfolio_window_put_bond (SextantPortfolioWindow *self,
                                    const char             *replaced,
                                    const char             *name,
                                    const SextantBond      *bond,
                                    const char             *currency)
{
  SextantHoldingEdit *edit = NULL;

  for (guint i = 0; replaced != NULL && i < self->holdings->len; i++)
    if (g_str_equal (get_edit (self, i)->symbol, replaced))
      edit = get_edit (self, i);
  if (edit == NULL)
    {
      add_holding (self, self->holdings->len, name, bond->face, 0, 1);
      edit = get_edit (self, self->holdings->len - 1);
    }
  g_free (edit->symbol);
  edit->symbol = g_strdup (name);
  edit->quantity = bond->face;
  edit->kind = SEXTANT_HOLDING_BOND;
  edit->bond = *bond;
  g_free (edit->currency);
  edit->currency = g_strdup (currency);
  sextant_portfolio_window_rebuild_rows (self);
  _sextant_portfolio_window_inputs_changed (self);
}

/* Prices arrived (fetched or imported): value again, and the rows say so. */
void
_sextant_portfolio_window_holdings_changed (SextantPortfolioWindow *self)
{
  sextant_portfolio_window_rebuild_rows (self);
}

static void
remove_holding_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  guint index = g_variant_get_uint32 (parameter);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (index >= self->holdings->len)
    return;

  /* One level of undo: the holding removed last. */
  holding_edit_clear (&self->removed);
  holding_edit_copy (&self->removed, get_edit (self, index));
  self->removed_index = index;
  g_array_remove_index (self->holdings, index);
  sextant_portfolio_window_rebuild_rows (self);

  /* Translators: a stock symbol */
  title = g_strdup_printf (_("%s removed"), self->removed.symbol);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-remove");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);

  if (self->removed.symbol == NULL)
    return;
  /* The array owns the removed holding's strings again. */
  g_array_insert_val (self->holdings, MIN (self->removed_index, self->holdings->len), self->removed);
  memset (&self->removed, 0, sizeof self->removed);
  sextant_portfolio_window_rebuild_rows (self);
}

/* Replaces the holdings being edited with @portfolio's, which must all have quantities. */
void
_sextant_portfolio_window_set_holdings (SextantPortfolioWindow *self,
                                        SextantPortfolio       *portfolio)
{
  g_array_set_size (self->holdings, 0);
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      SextantHoldingEdit *edit;

      add_holding (self, i, h->symbol, isfinite (h->quantity) ? h->quantity : 0, h->min_weight,
                   h->max_weight);
      edit = get_edit (self, i);
      edit->cost_basis = h->cost_basis;
      if (h->kind != SEXTANT_HOLDING_EQUITY)
        {
          edit->kind = h->kind;
          edit->bond = h->bond;
          edit->spread = h->spread;
          edit->currency = g_strdup (h->currency);
        }
    }
  adw_view_switcher_title_set_subtitle (self->switcher_title, sextant_portfolio_get_name (portfolio));
  sextant_portfolio_window_rebuild_rows (self);
  /* Holdings from elsewhere belong to no stored portfolio until saved; loading one says whose. */
  g_clear_pointer (&self->portfolio_name, g_free);
  self->updating_choices = TRUE;
  gtk_drop_down_set_selected (self->portfolio_dropdown, GTK_INVALID_LIST_POSITION);
  self->updating_choices = FALSE;
}

static void
objective_changed_cb (SextantPortfolioWindow *self)
{
  guint objective = adw_combo_row_get_selected (self->objective_row);

  gtk_widget_set_sensitive (GTK_WIDGET (self->target_row),
                            objective == SEXTANT_OBJECTIVE_TARGET_RETURN ||
                            objective == SEXTANT_OBJECTIVE_TARGET_VOLATILITY);
}

/* One suggested action in sight: Optimize on its page, Simulate and Run Backtest on theirs. */
static void
page_changed_cb (SextantPortfolioWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (page, "optimize") == 0)
    gtk_widget_add_css_class (self->run_button, "suggested-action");
  else
    gtk_widget_remove_css_class (self->run_button, "suggested-action");
}

static void
sextant_portfolio_window_constructed (GObject *object)
{
  G_OBJECT_CLASS (sextant_portfolio_window_parent_class)->constructed (object);

  _sextant_portfolio_window_connect_book (SEXTANT_PORTFOLIO_WINDOW (object));
  _sextant_portfolio_window_connect_batch (SEXTANT_PORTFOLIO_WINDOW (object));
}

static void
sextant_portfolio_window_dispose (GObject *object)
{
  SextantPortfolioWindow *self = (SextantPortfolioWindow *)object;

  _sextant_portfolio_window_abandon_run (self);
  _sextant_portfolio_window_dispose_book (self);
  _sextant_portfolio_window_dispose_prices (self);
  _sextant_portfolio_window_dispose_currency (self);
  _sextant_portfolio_window_dispose_range (self);
  _sextant_portfolio_window_dispose_batch (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_PORTFOLIO_WINDOW);
  g_clear_pointer (&self->result, sextant_optimization_result_unref);
  g_clear_pointer (&self->scenario, sextant_scenario_outcome_unref);
  g_clear_pointer (&self->backtest, sextant_backtest_outcome_unref);
  g_clear_pointer (&self->valuation, sextant_valuation_free);

  G_OBJECT_CLASS (sextant_portfolio_window_parent_class)->dispose (object);
}

static void
sextant_portfolio_window_finalize (GObject *object)
{
  SextantPortfolioWindow *self = (SextantPortfolioWindow *)object;

  g_clear_pointer (&self->holdings, g_array_unref);
  holding_edit_clear (&self->removed);

  G_OBJECT_CLASS (sextant_portfolio_window_parent_class)->finalize (object);
}

static void
bind_children (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, portfolio_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, holdings_group);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, holdings_list);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, add_entry);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, search_revealer);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, search_list);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, search_status);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, fetch_box);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, fetch_progress);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, import_problems_box);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, import_problems_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, objective_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, target_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, target_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, from_entry);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, to_entry);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, range_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, stale_banner);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, stale_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, return_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, volatility_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, sharpe_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, frontier_view);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, weights_grid);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, report_button);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, saved_button);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, saved_list);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, saved_banner);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, saved_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, scenario_model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, paths_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, horizon_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, scenario_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, fan_view);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, rebalance_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, backtest_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, backtest_view);
}

static void
sextant_portfolio_window_class_init (SextantPortfolioWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sextant_portfolio_window_constructed;
  object_class->dispose = sextant_portfolio_window_dispose;
  object_class->finalize = sextant_portfolio_window_finalize;
  SEXTANT_WORKSPACE_WINDOW_CLASS (klass)->settings_prefix = "portfolio-window";
  SEXTANT_WORKSPACE_WINDOW_CLASS (klass)->data_changed = sextant_portfolio_window_data_changed;

  g_type_ensure (SEXTANT_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "sextant-portfolio-window.ui");
  bind_children (widget_class);

  gtk_widget_class_install_action (widget_class, "win.remove-holding", "u", remove_holding_action);
  gtk_widget_class_install_action (widget_class, "win.undo-remove", NULL, undo_remove_action);
  _sextant_portfolio_window_class_init_import (widget_class);
  _sextant_portfolio_window_class_init_report (widget_class);
  _sextant_portfolio_window_class_init_saved (widget_class);
  _sextant_portfolio_window_class_init_run (widget_class);
  _sextant_portfolio_window_class_init_book (widget_class);
  _sextant_portfolio_window_class_init_prices (widget_class);
  _sextant_portfolio_window_class_init_range (widget_class);
  _sextant_portfolio_window_class_init_stale (widget_class);
  _sextant_portfolio_window_class_init_currency (widget_class);
  _sextant_portfolio_window_class_init_batch (widget_class);
  _sextant_portfolio_window_class_init_bonds (widget_class);
}

static void
sextant_portfolio_window_init (SextantPortfolioWindow *self)
{
  self->holdings = g_array_new (FALSE, TRUE, sizeof (SextantHoldingEdit));
  g_array_set_clear_func (self->holdings, holding_edit_clear);

  gtk_widget_init_template (GTK_WIDGET (self));

  sextant_workspace_window_set_menu_button (SEXTANT_WORKSPACE_WINDOW (self), self->menu_button);
  g_signal_connect_object (self->objective_row, "notify::selected",
                           G_CALLBACK (objective_changed_cb), self, G_CONNECT_SWAPPED);
  objective_changed_cb (self);
  _sextant_portfolio_window_init_currency (self);
  _sextant_portfolio_window_init_saved (self);
  _sextant_portfolio_window_init_book (self);
  _sextant_portfolio_window_init_prices (self);
  _sextant_portfolio_window_init_range (self);
  _sextant_portfolio_window_init_stale (self);
  _sextant_portfolio_window_init_batch (self);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (page_changed_cb), self, G_CONNECT_SWAPPED);
  page_changed_cb (self);
  _sextant_portfolio_window_update_actions (self);
}

SextantPortfolioWindow *
sextant_portfolio_window_new (GtkApplication   *application,
                              SextantWorkspace *workspace)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (workspace), NULL);

  return g_object_new (SEXTANT_TYPE_PORTFOLIO_WINDOW,
                       "application", application,
                       "workspace", workspace,
                       NULL);
}

/**
 * sextant_portfolio_window_dup_request:
 * @self: a portfolio window
 *
 * Returns: (transfer full) (nullable): the optimization the window's inputs describe, or %NULL
 *   before the holdings are valued
 */
SextantOptimizationRequest *
sextant_portfolio_window_dup_request (SextantPortfolioWindow *self)
{
  g_autoptr(SextantOptimizationRequest) request = NULL;
  gsize k = 0;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), NULL);

  /* The optimizer, the scenarios and the backtest work on daily closes: bonds and cash, which
   * have none, are left out of them (the rates view and the shocks take them). */
  for (guint i = 0; i < self->holdings->len; i++)
    k += get_edit (self, i)->kind == SEXTANT_HOLDING_EQUITY;
  if (self->valuation == NULL || k == 0)
    return NULL;
  request = sextant_optimization_request_new (k);
  request->name = g_strdup (adw_view_switcher_title_get_subtitle (self->switcher_title));
  for (guint i = 0, j = 0; i < self->holdings->len; i++)
    {
      const SextantHoldingEdit *edit = get_edit (self, i);

      if (edit->kind != SEXTANT_HOLDING_EQUITY)
        continue;
      request->symbols[j] = g_strdup (edit->symbol);
      request->quantities[j] = edit->quantity;
      request->lower[j] = edit->min_weight;
      request->upper[j] = edit->max_weight;
      request->current[j] = isfinite (self->valuation->positions[i].weight)
                              ? self->valuation->positions[i].weight : 0;
      request->closes[j] = self->valuation->positions[i].price;
      j++;
    }
  request->value = self->valuation->total;
  g_free (request->currency);
  request->currency = g_strdup (self->base_currency);
  request->valued_at = self->valuation->as_of;
  request->first_day = self->range_first;
  request->last_day = self->range_last;
  request->objective = adw_combo_row_get_selected (self->objective_row);
  request->target = gtk_spin_button_get_value (self->target_spin) / 100.0;

  return g_steal_pointer (&request);
}
