#pragma once

#include <adwaita.h>

#include "sextant-core.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_WORKSPACE_WINDOW (sextant_workspace_window_get_type ())

G_DECLARE_DERIVABLE_TYPE (SextantWorkspaceWindow, sextant_workspace_window, SEXTANT, WORKSPACE_WINDOW, AdwApplicationWindow)

/**
 * SextantWorkspaceWindowClass:
 * @settings_prefix: the GSettings key prefix of the window's size, such as `chat-window`
 * @data_changed: called once the workspace's data is loaded, and whenever it changes
 *
 * The base of Sextant's three window kinds: each shows the data of one #SextantWorkspace,
 * remembers its size, and shows the application's primary menu.
 */
struct _SextantWorkspaceWindowClass
{
  AdwApplicationWindowClass parent_class;

  const char *settings_prefix;
  void      (*data_changed) (SextantWorkspaceWindow *self);

  gpointer    padding[8];
};

SextantWorkspace *sextant_workspace_window_get_workspace   (SextantWorkspaceWindow *self);
GSettings        *sextant_workspace_window_get_settings    (SextantWorkspaceWindow *self);
void              sextant_workspace_window_set_menu_button (SextantWorkspaceWindow *self,
                                                            GtkMenuButton          *button);

G_END_DECLS
