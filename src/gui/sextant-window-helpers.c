#define G_LOG_DOMAIN "sextant-window-helpers"

#include "config.h"

#include "sextant-window-helpers.h"

/**
 * sextant_window_bind_size:
 * @window: a window not yet shown
 * @settings: the application's settings
 * @prefix: the key prefix, such as `chat-window`
 *
 * Binds `PREFIX-width`, `PREFIX-height` and `PREFIX-maximized`. Windows of one kind share the
 * keys, so a new window opens at the size the user last left one of its kind.
 */
void
sextant_window_bind_size (GtkWindow  *window,
                                   GSettings  *settings,
                                   const char *prefix)
{
  g_autofree char *width = g_strdup_printf ("%s-width", prefix);
  g_autofree char *height = g_strdup_printf ("%s-height", prefix);
  g_autofree char *maximized = g_strdup_printf ("%s-maximized", prefix);

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_bind (settings, width, window, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, height, window, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, maximized, window, "maximized", G_SETTINGS_BIND_DEFAULT);
}

static void
window_application_changed_cb (GtkWindow     *window,
                               GParamSpec    *pspec,
                               GtkMenuButton *button)
{
  GtkApplication *app = gtk_window_get_application (window);

  if (app != NULL)
    gtk_menu_button_set_menu_model (button,
                                    G_MENU_MODEL (gtk_application_get_menu_by_id (app,
                                                                                  "primary_menu")));
}

/**
 * sextant_window_attach_primary_menu:
 * @button: the header bar's menu button
 * @window: the window that holds @button
 *
 * Every window kind shows the same primary menu, defined once in ui/gtk/menus.ui, which
 * GtkApplication loads. A window gets its application after construction, so the menu follows
 * the window's application property.
 */
void
sextant_window_attach_primary_menu (GtkMenuButton *button,
                                    GtkWindow     *window)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));
  g_return_if_fail (GTK_IS_WINDOW (window));

  g_signal_connect_object (window, "notify::application",
                           G_CALLBACK (window_application_changed_cb), button, 0);
  window_application_changed_cb (window, NULL, button);
}
