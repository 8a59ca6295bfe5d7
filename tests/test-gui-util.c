#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sextant-test-util.h"
#include "test-gui-util.h"

gboolean
test_gui_timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

void
test_gui_iterate (guint n)
{
  for (guint i = 0; i < n; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* The toplevel's first mapped child is the whole visible window, without the shadow around it. */
GdkTexture *
test_gui_render (GtkWidget *window)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  GtkWidget *content;
  GdkRGBA background;
  int width, height;

  content = gtk_widget_get_first_child (window);
  while (content != NULL && !gtk_widget_get_mapped (content))
    content = gtk_widget_get_next_sibling (content);
  g_assert_nonnull (content);

  g_test_message ("screenshot of %s", G_OBJECT_TYPE_NAME (content));
  width = gtk_widget_get_width (content);
  height = gtk_widget_get_height (content);
  gdk_rgba_parse (&background, adw_style_manager_get_dark (adw_style_manager_get_default ())
                               ? "#242424" : "#fafafa");
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  paintable = gtk_widget_paintable_new (content);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

void
test_gui_save_screenshot (GtkWidget  *window,
                          const char *file_name)
{
  g_autoptr(GdkTexture) texture = test_gui_render (window);
  g_autofree char *path = sextant_test_output_path (file_name);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  guint *n_frames = user_data;

  (*n_frames)++;
}

/* The application loads style.css and adds its icons to the theme itself (AdwApplication);
 * tests have no application, so do both here for screenshots that look like the app. */
static void
load_css_once (void)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      GtkCssProvider *provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "style.css");
      gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                        RESOURCE_PREFIX "icons");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&loaded, 1);
    }
}

void
test_gui_show_and_wait (GtkWindow *window,
                        int        width,
                        int        height)
{
  GdkFrameClock *clock;
  guint n_frames = 0;
  gulong handler;

  load_css_once ();
  gtk_window_set_default_size (window, width, height);
  gtk_window_present (window);
  TEST_GUI_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
                     gtk_widget_get_width (GTK_WIDGET (window)) > 0);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &n_frames);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  TEST_GUI_WAIT_FOR (n_frames >= 1);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  TEST_GUI_WAIT_FOR (n_frames >= 2);
  g_signal_handler_disconnect (clock, handler);
}

void
test_gui_destroy_and_check (GtkWindow *window)
{
  gpointer window_alive = window;

  g_object_add_weak_pointer (G_OBJECT (window), &window_alive);
  gtk_window_destroy (window);
  test_gui_iterate (20);
  /* Work the window started (a worker thread handing back its result, an idle) may hold it a
   * little longer on a busy machine; a reference that is never given back still fails here. */
  TEST_GUI_WAIT_FOR_SECONDS (window_alive == NULL, 20);
}

/* Finds the class shortcut bound to @keyval and @modifiers on @widget and activates it, as a
 * key press would: what is tested is the binding as well as the action behind it. */
gboolean
test_gui_activate_shortcut (GtkWidget       *widget,
                            guint            keyval,
                            GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  return FALSE;
}

void
test_gui_assert_file_magic (const char *path,
                            const char *magic,
                            gsize       min_size)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, min_size);
  if (memcmp (contents, magic, strlen (magic)) != 0)
    g_error ("%s does not start with “%s”", path, magic);
}

GtkWidget *
test_gui_find (GtkWidget        *root,
               TestGuiMatchFunc  match,
               gconstpointer     data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = test_gui_find (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}
