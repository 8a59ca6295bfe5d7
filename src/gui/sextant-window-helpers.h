#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void sextant_window_bind_size           (GtkWindow      *window,
                                         GSettings      *settings,
                                         const char     *prefix);
void sextant_window_attach_primary_menu (GtkMenuButton  *button,
                                         GtkWindow      *window);

G_END_DECLS
