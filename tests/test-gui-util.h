#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Helpers shared by the GUI tests (built into each as an extra source). */

gboolean test_gui_timeout_cb          (gpointer    data);
GdkTexture *test_gui_render           (GtkWidget  *window);
void     test_gui_save_screenshot     (GtkWidget  *window,
                                       const char *file_name);
/* Presents @window if needed and waits for two painted frames (call again after changes,
 * before a screenshot: the widget paintable reuses the last frame's nodes). */
void     test_gui_show_and_wait       (GtkWindow  *window,
                                       int         width,
                                       int         height);
void     test_gui_destroy_and_check   (GtkWindow  *window);
void     test_gui_iterate             (guint       n);
gboolean test_gui_activate_shortcut   (GtkWidget  *widget,
                                       guint       keyval,
                                       GdkModifierType modifiers);
void     test_gui_assert_file_magic   (const char *path,
                                       const char *magic,
                                       gsize       min_size);

typedef gboolean (*TestGuiMatchFunc) (GtkWidget     *widget,
                                      gconstpointer  data);

/* The first widget under @root, @root included, depth first, that @match accepts. */
GtkWidget *test_gui_find              (GtkWidget        *root,
                                       TestGuiMatchFunc  match,
                                       gconstpointer     data);

/* Iterates the main context until @condition holds, failing the test after @seconds. */
#define TEST_GUI_WAIT_FOR_SECONDS(condition, seconds)                               \
  G_STMT_START {                                                                    \
    gboolean __timed_out = FALSE;                                                   \
    guint __id = g_timeout_add_seconds ((seconds), test_gui_timeout_cb, &__timed_out); \
    while (!(condition) && !__timed_out)                                            \
      g_main_context_iteration (NULL, TRUE);                                        \
    if (__timed_out)                                                                \
      g_error ("Timed out waiting for %s", #condition);                             \
    g_source_remove (__id);                                                         \
  } G_STMT_END

#define TEST_GUI_WAIT_FOR(condition) TEST_GUI_WAIT_FOR_SECONDS (condition, 30)

G_END_DECLS
