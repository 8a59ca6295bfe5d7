#define G_LOG_DOMAIN "sextant-chat-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-chat-window.h"

struct _SextantChatWindow
{
  SextantWorkspaceWindow parent_instance;

  GtkMenuButton        *menu_button;
  GtkDropDown          *role_dropdown;
  AdwActionRow         *index_row;
  AdwActionRow         *stocks_row;
  AdwActionRow         *portfolio_row;
};

G_DEFINE_FINAL_TYPE (SextantChatWindow, sextant_chat_window, SEXTANT_TYPE_WORKSPACE_WINDOW)

static char *
describe_index (SextantPriceSeries *index)
{
  gsize n = sextant_price_series_get_length (index);
  g_autofree char *first = sextant_day_format_iso (sextant_price_series_get_days (index)[0]);
  g_autofree char *last = sextant_day_format_iso (sextant_price_series_get_days (index)[n - 1]);

  /* Translators: daily bars of an index: count, first date, last date, last close */
  return g_strdup_printf (_("%'zu daily bars, %s to %s; last close %'.2f"),
                          n, first, last, sextant_price_series_get_close (index)[n - 1]);
}

static char *
describe_stocks (SextantPriceTable *stocks)
{
  gsize n = sextant_price_table_get_n_rows (stocks);
  const gint32 *days = sextant_price_table_get_days (stocks);
  g_autofree char *first = sextant_day_format_iso (days[0]);
  g_autofree char *last = sextant_day_format_iso (days[n - 1]);

  /* Translators: number of stocks, number of days, first date, last date */
  return g_strdup_printf (_("%zu stocks, %'zu daily closes each, %s to %s"),
                          sextant_price_table_get_n_columns (stocks), n, first, last);
}

static char *
describe_portfolio (SextantPortfolio  *portfolio,
                    SextantPriceTable *stocks)
{
  g_autoptr(SextantValuation) valuation = sextant_portfolio_valuate (portfolio, stocks, NULL);
  g_autofree char *as_of = NULL;

  if (valuation == NULL)
    return g_strdup (sextant_portfolio_get_name (portfolio));

  as_of = sextant_day_format_iso (valuation->as_of);
  /* Translators: portfolio name, number of holdings, total value, date */
  return g_strdup_printf (_("%s: %u holdings worth $%'.2f on %s"),
                          sextant_portfolio_get_name (portfolio), valuation->n_positions,
                          valuation->total, as_of);
}

static void
sextant_chat_window_data_changed (SextantWorkspaceWindow *window)
{
  SextantChatWindow *self = SEXTANT_CHAT_WINDOW (window);
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (window);
  g_autofree char *index = NULL;
  g_autofree char *stocks = NULL;
  g_autofree char *portfolio = NULL;

  index = describe_index (sextant_workspace_get_index (workspace));
  stocks = describe_stocks (sextant_workspace_get_stocks (workspace));
  portfolio = describe_portfolio (sextant_workspace_get_portfolio (workspace),
                                  sextant_workspace_get_stocks (workspace));
  adw_action_row_set_subtitle (self->index_row, index);
  adw_action_row_set_subtitle (self->stocks_row, stocks);
  adw_action_row_set_subtitle (self->portfolio_row, portfolio);
}

static void
sextant_chat_window_dispose (GObject *object)
{
  SextantChatWindow *self = (SextantChatWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_CHAT_WINDOW);

  G_OBJECT_CLASS (sextant_chat_window_parent_class)->dispose (object);
}

static void
sextant_chat_window_class_init (SextantChatWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sextant_chat_window_dispose;
  SEXTANT_WORKSPACE_WINDOW_CLASS (klass)->settings_prefix = "chat-window";
  SEXTANT_WORKSPACE_WINDOW_CLASS (klass)->data_changed = sextant_chat_window_data_changed;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "sextant-chat-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, role_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, index_row);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, stocks_row);
  gtk_widget_class_bind_template_child (widget_class, SextantChatWindow, portfolio_row);
}

static void
sextant_chat_window_init (SextantChatWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  sextant_workspace_window_set_menu_button (SEXTANT_WORKSPACE_WINDOW (self), self->menu_button);
  /* A new conversation starts in the default role; changing it here changes only this one. */
  gtk_drop_down_set_selected (self->role_dropdown,
                              g_settings_get_enum (sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self)),
                                                   "default-role"));
}

SextantChatWindow *
sextant_chat_window_new (GtkApplication   *application,
                         SextantWorkspace *workspace)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (workspace), NULL);

  return g_object_new (SEXTANT_TYPE_CHAT_WINDOW,
                       "application", application,
                       "workspace", workspace,
                       NULL);
}
