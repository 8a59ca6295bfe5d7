#define G_LOG_DOMAIN "sextant-portfolio-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-portfolio-window.h"

struct _SextantPortfolioWindow
{
  SextantWorkspaceWindow parent_instance;

  GtkMenuButton        *menu_button;
  AdwWindowTitle       *window_title;
  AdwPreferencesGroup  *holdings_group;
  GtkListBox           *holdings_list;
  GtkLabel             *total_label;
};

G_DEFINE_FINAL_TYPE (SextantPortfolioWindow, sextant_portfolio_window, SEXTANT_TYPE_WORKSPACE_WINDOW)

static GtkWidget *
create_position_row (const SextantHolding       *holding,
                     const SextantPositionValue *position)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new (NULL);
  GtkWidget *weight = gtk_label_new (NULL);
  g_autofree char *subtitle = NULL;
  g_autofree char *value_text = NULL;
  g_autofree char *weight_text = NULL;
  g_autofree char *day = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), holding->symbol);
  if (isfinite (position->price))
    {
      day = sextant_day_format_iso (position->price_day);
      /* Translators: quantity, price, date of the price */
      subtitle = g_strdup_printf (_("%'.0f shares at %'.2f (close of %s)"),
                                  holding->quantity, position->price, day);
      value_text = g_strdup_printf ("$%'.2f", position->value);
      weight_text = g_strdup_printf ("%.2f %%", 100.0 * position->weight);
    }
  else
    {
      subtitle = g_strdup (_("No price available"));
      value_text = g_strdup ("—");
      weight_text = g_strdup ("—");
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_label_set_text (GTK_LABEL (value), value_text);
  gtk_label_set_text (GTK_LABEL (weight), weight_text);
  gtk_label_set_width_chars (GTK_LABEL (weight), 8);
  gtk_label_set_xalign (GTK_LABEL (weight), 1.0);
  for (GtkWidget *label = value; label != NULL; label = label == value ? weight : NULL)
    {
      gtk_widget_add_css_class (label, "numeric");
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }

  return row;
}

static void
sextant_portfolio_window_data_changed (SextantWorkspaceWindow *window)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (window);
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (window);
  g_autoptr(SextantValuation) valuation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *total = NULL;
  g_autofree char *description = NULL;
  g_autofree char *as_of = NULL;
  SextantPortfolio *portfolio;
  GtkWidget *child;

  portfolio = sextant_workspace_get_portfolio (workspace);
  adw_window_title_set_subtitle (self->window_title, sextant_portfolio_get_name (portfolio));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->holdings_list))))
    gtk_list_box_remove (self->holdings_list, child);

  valuation = sextant_portfolio_valuate (portfolio, sextant_workspace_get_stocks (workspace),
                                         &error);
  if (valuation == NULL)
    {
      adw_preferences_group_set_description (self->holdings_group, error->message);
      return;
    }

  for (guint i = 0; i < valuation->n_positions; i++)
    gtk_list_box_append (self->holdings_list,
                         create_position_row (sextant_portfolio_get_holding (portfolio, i),
                                              &valuation->positions[i]));

  as_of = sextant_day_format_iso (valuation->as_of);
  /* Translators: portfolio name and valuation date */
  description = g_strdup_printf (_("%s, valued at the closes of %s"),
                                 sextant_portfolio_get_name (portfolio), as_of);
  adw_preferences_group_set_description (self->holdings_group, description);
  total = g_strdup_printf ("$%'.2f", valuation->total);
  gtk_label_set_text (self->total_label, total);
}

static void
sextant_portfolio_window_dispose (GObject *object)
{
  SextantPortfolioWindow *self = (SextantPortfolioWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_PORTFOLIO_WINDOW);

  G_OBJECT_CLASS (sextant_portfolio_window_parent_class)->dispose (object);
}

static void
sextant_portfolio_window_class_init (SextantPortfolioWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sextant_portfolio_window_dispose;
  SEXTANT_WORKSPACE_WINDOW_CLASS (klass)->settings_prefix = "portfolio-window";
  SEXTANT_WORKSPACE_WINDOW_CLASS (klass)->data_changed = sextant_portfolio_window_data_changed;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "sextant-portfolio-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, holdings_group);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, holdings_list);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, total_label);
}

static void
sextant_portfolio_window_init (SextantPortfolioWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  sextant_workspace_window_set_menu_button (SEXTANT_WORKSPACE_WINDOW (self), self->menu_button);
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
