#define G_LOG_DOMAIN "sextant-portfolio-window-book"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-portfolio-window-private.h"

/* The user's book: the stored portfolios, shared with the risk dashboards, the CLI and the
 * assistant's tools through the workspace's one portfolio store. The dropdown chooses one (its
 * holdings replace those being edited); New, Save, Save as, Rename, Duplicate and Delete (with
 * Undo) change the store, and every window follows the store's changed signal, this one too. */

typedef enum
{
  NAME_FOR_NEW,
  NAME_FOR_SAVE_AS,
  NAME_FOR_RENAME,
  NAME_FOR_DUPLICATE,
} NameFor;

static SextantWorkspace *
get_workspace (SextantPortfolioWindow *self)
{
  return sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
}

static gboolean
is_stored (SextantPortfolioWindow *self,
           const char             *name)
{
  SextantPortfolioStore *store = sextant_portfolio_choices_get_store (get_workspace (self));
  g_autoptr(SextantPortfolio) portfolio = NULL;

  if (store == NULL || name == NULL)
    return FALSE;
  portfolio = sextant_portfolio_store_load (store, name, NULL);

  return portfolio != NULL;
}

static void
update_book_actions (SextantPortfolioWindow *self)
{
  gboolean stored = is_stored (self, self->portfolio_name);
  gboolean have_store = sextant_portfolio_choices_get_store (get_workspace (self)) != NULL;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.new-portfolio", have_store);
  gtk_widget_action_set_enabled (widget, "win.save-portfolio", have_store);
  gtk_widget_action_set_enabled (widget, "win.save-portfolio-as", have_store);
  gtk_widget_action_set_enabled (widget, "win.rename-portfolio", stored);
  gtk_widget_action_set_enabled (widget, "win.duplicate-portfolio", have_store && self->portfolio_name != NULL);
  gtk_widget_action_set_enabled (widget, "win.delete-portfolio", stored);
}

/* Shows @name chosen without loading it (the holdings are already its own), or nothing. */
static void
set_chosen (SextantPortfolioWindow *self,
            const char             *name)
{
  guint position = sextant_portfolio_choices_find (G_LIST_MODEL (self->portfolio_names), name);
  /* @name may be self->portfolio_name itself: copied before that is freed. */
  char *chosen = position != GTK_INVALID_LIST_POSITION ? g_strdup (name) : NULL;

  g_free (self->portfolio_name);
  self->portfolio_name = chosen;
  self->updating_choices = TRUE;
  gtk_drop_down_set_selected (self->portfolio_dropdown, position);
  self->updating_choices = FALSE;
  update_book_actions (self);
}

void
_sextant_portfolio_window_update_choices (SextantPortfolioWindow *self)
{
  g_auto(GStrv) names = NULL;

  if (!sextant_workspace_get_demo_loaded (get_workspace (self)))
    return;
  names = sextant_portfolio_choices_list (get_workspace (self), NULL);
  self->updating_choices = TRUE;
  sextant_portfolio_choices_update (self->portfolio_names, (const char * const *) names);
  self->updating_choices = FALSE;
  set_chosen (self, self->portfolio_name);
}

/**
 * sextant_portfolio_window_load_portfolio:
 * @self: a portfolio window
 * @name: a stored portfolio's name, or the demo portfolio's
 * @error: return location; %SEXTANT_STORE_ERROR_NOT_FOUND for an unknown name
 *
 * Replaces the holdings being edited with the portfolio's, as choosing it in the dropdown does.
 * Holdings given as weights get the shares that buy them; a holding with no price is kept, shown
 * as needing prices.
 *
 * Returns: %TRUE if it was loaded
 */
gboolean
sextant_portfolio_window_load_portfolio (SextantPortfolioWindow  *self,
                                         const char              *name,
                                         GError                 **error)
{
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(SextantPortfolio) held = NULL;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  portfolio = sextant_portfolio_choices_load (get_workspace (self), name, error);
  if (portfolio == NULL)
    return FALSE;
  _sextant_portfolio_window_set_base_currency (self, sextant_portfolio_get_base_currency (portfolio));
  held = _sextant_portfolio_window_with_quantities (portfolio,
                                                    sextant_workspace_get_stocks (get_workspace (self)),
                                                    100000.0, NULL);
  _sextant_portfolio_window_set_holdings (self, held != NULL ? held : portfolio);
  set_chosen (self, name);

  return TRUE;
}

/**
 * sextant_portfolio_window_get_portfolio_name:
 * @self: a portfolio window
 *
 * Returns: (nullable): the stored (or demo) portfolio chosen, or %NULL when the holdings are
 *   nobody's yet (imported, reopened from a result, or their portfolio was deleted)
 */
const char *
sextant_portfolio_window_get_portfolio_name (SextantPortfolioWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), NULL);

  return self->portfolio_name;
}

static void
portfolio_selected_cb (SextantPortfolioWindow *self)
{
  const char *name = sextant_portfolio_choices_get_name (self->portfolio_dropdown);
  g_autoptr(GError) error = NULL;

  if (self->updating_choices || name == NULL || g_strcmp0 (name, self->portfolio_name) == 0)
    return;
  if (!sextant_portfolio_window_load_portfolio (self, name, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

/* Another window (or this one) created, saved, renamed or deleted a portfolio. The list
 * follows; the chosen portfolio follows its renames; when it was saved elsewhere its holdings
 * are loaded again; when it was deleted, the holdings stay, belonging to no stored portfolio. */
static void
portfolios_changed_cb (SextantPortfolioWindow *self,
                       const char             *old_name,
                       const char             *new_name)
{
  gboolean chosen = old_name != NULL && g_strcmp0 (self->portfolio_name, old_name) == 0;

  if (chosen && new_name != NULL && !g_str_equal (old_name, new_name))
    {
      g_free (self->portfolio_name);
      self->portfolio_name = g_strdup (new_name);
      adw_view_switcher_title_set_subtitle (self->switcher_title, new_name);
    }
  _sextant_portfolio_window_update_choices (self);
  if (chosen && new_name != NULL && g_str_equal (old_name, new_name) && !self->saving)
    sextant_portfolio_window_load_portfolio (self, new_name, NULL);
}

/* Holdings that came without their kind (a saved result reopened) keep the stored portfolio's
 * bond and cash terms; those the window knows as bonds keep their edited terms. */
static void
take_stored_terms (SextantPortfolioWindow *self,
                   SextantPortfolio       *portfolio)
{
  g_autoptr(SextantPortfolio) stored = sextant_portfolio_choices_load (get_workspace (self),
                                                                       self->portfolio_name, NULL);
  g_autoptr(SextantPortfolio) terms = sextant_portfolio_new ("terms");

  for (guint i = 0; stored != NULL && i < sextant_portfolio_get_n_holdings (stored); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (stored, i);
      int j = sextant_portfolio_find_holding (portfolio, h->symbol);

      if (j >= 0 && sextant_portfolio_get_holding (portfolio, j)->kind == SEXTANT_HOLDING_EQUITY)
        sextant_portfolio_copy_holding (terms, h);
    }
  sextant_portfolio_take_terms (portfolio, terms);
}

/* The holdings being edited as a portfolio named @name. */
static SextantPortfolio *
dup_portfolio (SextantPortfolioWindow *self,
               const char             *name)
{
  SextantPortfolio *portfolio = sextant_portfolio_new (name);

  sextant_portfolio_set_base_currency (portfolio, self->base_currency);
  for (guint i = 0; i < self->holdings->len; i++)
    {
      const SextantHoldingEdit *edit = &g_array_index (self->holdings, SextantHoldingEdit, i);

      if (edit->kind == SEXTANT_HOLDING_BOND)
        {
          SextantBond bond = edit->bond;

          bond.face = edit->quantity;
          sextant_portfolio_add_bond (portfolio, edit->symbol, &bond, edit->spread, edit->currency);
        }
      else if (edit->kind == SEXTANT_HOLDING_CASH)
        sextant_portfolio_add_cash (portfolio, edit->currency, edit->quantity);
      else
        {
          g_autofree char *currency = _sextant_portfolio_window_dup_currency_of (self, edit->symbol);

          sextant_portfolio_add_holding (portfolio, edit->symbol, edit->quantity, NAN, currency);
        }
      sextant_portfolio_set_bounds (portfolio, i, edit->min_weight, edit->max_weight);
      sextant_portfolio_set_cost_basis (portfolio, i, edit->cost_basis);
    }
  if (self->portfolio_name != NULL)
    take_stored_terms (self, portfolio);

  return portfolio;
}

static gboolean
store_portfolio (SextantPortfolioWindow  *self,
                 SextantPortfolio        *portfolio,
                 gboolean                 replace,
                 GError                 **error)
{
  SextantPortfolioStore *store = sextant_portfolio_choices_get_store (get_workspace (self));
  gboolean ok;

  if (store == NULL)
    {
      g_set_error_literal (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_OPEN,
                           _("The database cannot be opened"));
      return FALSE;
    }
  self->saving = TRUE;
  ok = replace ? sextant_portfolio_store_save (store, portfolio, error)
               : sextant_portfolio_store_create (store, portfolio, error);
  self->saving = FALSE;

  return ok;
}

/**
 * sextant_portfolio_window_save_as:
 * @self: a portfolio window
 * @name: a name no stored portfolio has
 * @error: return location; %SEXTANT_STORE_ERROR_CONSTRAINT when @name is empty or taken
 *
 * Stores the holdings being edited as a new portfolio and chooses it, as Save as Portfolio…
 * does once a name is given.
 *
 * Returns: %TRUE if it was stored
 */
gboolean
sextant_portfolio_window_save_as (SextantPortfolioWindow  *self,
                                  const char              *name,
                                  GError                 **error)
{
  g_autoptr(SextantPortfolio) portfolio = NULL;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), FALSE);

  portfolio = dup_portfolio (self, name);
  if (!store_portfolio (self, portfolio, FALSE, error))
    return FALSE;
  adw_view_switcher_title_set_subtitle (self->switcher_title, name);
  set_chosen (self, name);

  return TRUE;
}

/* The name dialog ------------------------------------------------------------------------- */

/* Why @name cannot be used, said in the dialog as it is typed; NULL when it can. */
static char *
check_name (SextantPortfolioWindow *self,
            const char             *name,
            const char             *current)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name));

  if (stripped[0] == '\0')
    return g_strdup (_("Enter a name for the portfolio."));
  if (g_strcmp0 (stripped, current) != 0 &&
      sextant_portfolio_choices_find (G_LIST_MODEL (self->portfolio_names), stripped) != GTK_INVALID_LIST_POSITION)
    /* Translators: a portfolio's name */
    return g_strdup_printf (_("A portfolio named “%s” already exists."), stripped);

  return NULL;
}

static void
name_changed_cb (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  GtkLabel *problem = g_object_get_data (G_OBJECT (dialog), "problem-label");
  g_autofree char *text = check_name (self, gtk_editable_get_text (entry),
                                      g_object_get_data (G_OBJECT (dialog), "current-name"));

  gtk_label_set_text (problem, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (problem), text != NULL);
  adw_message_dialog_set_response_enabled (dialog, "ok", text == NULL);
  if (text != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
}

static gboolean
apply_name (SextantPortfolioWindow  *self,
            NameFor                  what,
            const char              *name,
            GError                 **error)
{
  SextantPortfolioStore *store = sextant_portfolio_choices_get_store (get_workspace (self));
  g_autoptr(SextantPortfolio) portfolio = NULL;

  switch (what)
    {
    case NAME_FOR_NEW:
      portfolio = sextant_portfolio_new (name);
      if (!store_portfolio (self, portfolio, FALSE, error))
        return FALSE;
      return sextant_portfolio_window_load_portfolio (self, name, error);
    case NAME_FOR_SAVE_AS:
      return sextant_portfolio_window_save_as (self, name, error);
    case NAME_FOR_RENAME:
      {
        g_autofree char *old_name = g_strdup (self->portfolio_name);

        return store != NULL && sextant_portfolio_store_rename (store, old_name, name, error);
      }
    case NAME_FOR_DUPLICATE:
      if ((portfolio = sextant_portfolio_choices_load (get_workspace (self), self->portfolio_name, error)) == NULL)
        return FALSE;
      {
        g_autoptr(SextantPortfolio) copy = sextant_portfolio_new (name);

        sextant_portfolio_set_benchmark (copy, sextant_portfolio_get_benchmark (portfolio));
        sextant_portfolio_set_base_currency (copy, sextant_portfolio_get_base_currency (portfolio));
        for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
          {
            sextant_portfolio_copy_holding (copy, sextant_portfolio_get_holding (portfolio, i));
          }
        if (!store_portfolio (self, copy, FALSE, error))
          return FALSE;
      }
      return sextant_portfolio_window_load_portfolio (self, name, error);
    default:
      g_assert_not_reached ();
    }
}

static void
name_response_cb (AdwMessageDialog       *dialog,
                  const char             *response,
                  SextantPortfolioWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "name-entry");
  NameFor what = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "name-for"));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "ok") || check_name (self, name, NULL) != NULL)
    return;
  if (!apply_name (self, what, name, &error))
    {
      /* Translators: the reason */
      g_autofree char *text = g_strdup_printf (_("The portfolio was not changed: %s"), error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
    }
}

static void
ask_name (SextantPortfolioWindow *self,
          NameFor                 what,
          const char             *heading,
          const char             *body,
          const char             *initial,
          const char             *verb)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *problem = gtk_label_new (NULL);

  gtk_editable_set_text (GTK_EDITABLE (entry), initial != NULL ? initial : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Portfolio name"), -1);
  gtk_label_set_wrap (GTK_LABEL (problem), TRUE);
  gtk_label_set_xalign (GTK_LABEL (problem), 0);
  gtk_widget_add_css_class (problem, "error");
  gtk_widget_set_visible (problem, FALSE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  problem, NULL, -1);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), problem);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "ok", verb, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "name-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "problem-label", problem);
  g_object_set_data (G_OBJECT (dialog), "name-for", GINT_TO_POINTER (what));
  g_object_set_data_full (G_OBJECT (dialog), "current-name",
                          what == NAME_FOR_RENAME ? g_strdup (self->portfolio_name) : NULL, g_free);
  g_signal_connect_object (entry, "changed", G_CALLBACK (name_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (name_response_cb), self, 0);
  name_changed_cb (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Actions ---------------------------------------------------------------------------------- */

static void
new_portfolio_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ask_name (SEXTANT_PORTFOLIO_WINDOW (widget), NAME_FOR_NEW, _("New Portfolio"),
            _("An empty portfolio: add holdings, then save it."), "", _("C_reate"));
}

static void
save_portfolio_as_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);

  ask_name (self, NAME_FOR_SAVE_AS, _("Save as Portfolio"),
            _("The holdings shown, with their bounds, under a new name."),
            adw_view_switcher_title_get_subtitle (self->switcher_title), _("_Save"));
}

static void
save_portfolio_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* Saving the demo portfolio, or holdings that are nobody's, needs a name of their own. */
  if (!is_stored (self, self->portfolio_name))
    {
      save_portfolio_as_action (widget, action_name, parameter);
      return;
    }
  portfolio = dup_portfolio (self, self->portfolio_name);
  if (!store_portfolio (self, portfolio, TRUE, &error))
    /* Translators: the reason */
    text = g_strdup_printf (_("The portfolio was not saved: %s"), error->message);
  else
    /* Translators: a portfolio's name */
    text = g_strdup_printf (_("“%s” saved"), self->portfolio_name);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
rename_portfolio_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);

  if (is_stored (self, self->portfolio_name))
    ask_name (self, NAME_FOR_RENAME, _("Rename Portfolio"), NULL, self->portfolio_name, _("_Rename"));
}

static void
duplicate_portfolio_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  g_autofree char *name = NULL;

  if (self->portfolio_name == NULL)
    return;
  /* Translators: the name proposed for a copy of a portfolio */
  name = g_strdup_printf (_("%s (copy)"), self->portfolio_name);
  ask_name (self, NAME_FOR_DUPLICATE, _("Duplicate Portfolio"),
            _("A stored copy of the portfolio, as it was last saved."), name, _("_Duplicate"));
}

static void
delete_portfolio_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  SextantPortfolioStore *store = sextant_portfolio_choices_get_store (get_workspace (self));
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (store == NULL || self->portfolio_name == NULL ||
      (portfolio = sextant_portfolio_store_load (store, self->portfolio_name, NULL)) == NULL)
    return;
  g_clear_pointer (&self->deleted_jobs, g_array_unref);
  if (!sextant_portfolio_store_delete_full (store, sextant_portfolio_get_name (portfolio),
                                            &self->deleted_jobs, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  /* Undo stores it again, holdings, bounds, benchmark and its saved results; the holdings stay
   * in the editor. */
  g_set_object (&self->deleted, portfolio);
  /* Translators: a portfolio's name */
  title = g_strdup_printf (_("“%s” deleted"), sextant_portfolio_get_name (portfolio));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete-portfolio");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_delete_portfolio_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  SextantPortfolioStore *store = sextant_portfolio_choices_get_store (get_workspace (self));
  g_autoptr(SextantPortfolio) portfolio = g_steal_pointer (&self->deleted);
  g_autoptr(GArray) jobs = g_steal_pointer (&self->deleted_jobs);
  g_autoptr(GError) error = NULL;
  gboolean restored;

  if (portfolio == NULL || store == NULL)
    return;
  self->saving = TRUE;
  restored = sextant_portfolio_store_restore (store, portfolio, jobs, &error);
  self->saving = FALSE;
  if (!restored ||
      !sextant_portfolio_window_load_portfolio (self, sextant_portfolio_get_name (portfolio), &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

void
_sextant_portfolio_window_init_book (SextantPortfolioWindow *self)
{
  self->portfolio_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->portfolio_dropdown, G_LIST_MODEL (self->portfolio_names));
  g_signal_connect_object (self->portfolio_dropdown, "notify::selected",
                           G_CALLBACK (portfolio_selected_cb), self, G_CONNECT_SWAPPED);
}

void
_sextant_portfolio_window_connect_book (SextantPortfolioWindow *self)
{
  SextantPortfolioStore *store = sextant_portfolio_choices_get_store (get_workspace (self));

  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (portfolios_changed_cb), self,
                             G_CONNECT_SWAPPED);
  update_book_actions (self);
}

void
_sextant_portfolio_window_dispose_book (SextantPortfolioWindow *self)
{
  g_clear_object (&self->deleted);
  g_clear_pointer (&self->deleted_jobs, g_array_unref);
  g_clear_object (&self->portfolio_names);
  g_clear_pointer (&self->portfolio_name, g_free);
}

void
_sextant_portfolio_window_class_init_book (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-portfolio", NULL, new_portfolio_action);
  gtk_widget_class_install_action (widget_class, "win.save-portfolio", NULL, save_portfolio_action);
  gtk_widget_class_install_action (widget_class, "win.save-portfolio-as", NULL, save_portfolio_as_action);
  gtk_widget_class_install_action (widget_class, "win.rename-portfolio", NULL, rename_portfolio_action);
  gtk_widget_class_install_action (widget_class, "win.duplicate-portfolio", NULL, duplicate_portfolio_action);
  gtk_widget_class_install_action (widget_class, "win.delete-portfolio", NULL, delete_portfolio_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete-portfolio", NULL, undo_delete_portfolio_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-portfolio", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save-portfolio", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-portfolio-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "win.rename-portfolio", NULL);
}
