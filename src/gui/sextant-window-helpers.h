#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef void (*SextantFileChosenFunc) (GFile    *file,
                                       gpointer  user_data);

void sextant_window_bind_size           (GtkWindow             *window,
                                         GSettings             *settings,
                                         const char            *prefix);
void sextant_window_attach_primary_menu (GtkMenuButton         *button,
                                         GtkWindow             *window);
void sextant_window_choose_save_file    (GtkWindow             *parent,
                                         const char            *title,
                                         const char            *initial_name,
                                         GtkFileFilter         *filter,
                                         SextantFileChosenFunc  callback,
                                         gpointer               user_data);

G_END_DECLS
