#pragma once

#include <adwaita.h>

#include "sextant-workspace-window.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_CHAT_WINDOW (sextant_chat_window_get_type ())

G_DECLARE_FINAL_TYPE (SextantChatWindow, sextant_chat_window, SEXTANT, CHAT_WINDOW, SextantWorkspaceWindow)

SextantChatWindow *sextant_chat_window_new (GtkApplication   *application,
                                            SextantWorkspace *workspace);

G_END_DECLS
