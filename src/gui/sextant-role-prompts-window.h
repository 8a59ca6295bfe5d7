#pragma once

#include <adwaita.h>

#include "sextant-core.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_ROLE_PROMPTS_WINDOW (sextant_role_prompts_window_get_type ())

G_DECLARE_FINAL_TYPE (SextantRolePromptsWindow, sextant_role_prompts_window, SEXTANT, ROLE_PROMPTS_WINDOW, AdwWindow)

SextantRolePromptsWindow *sextant_role_prompts_window_new        (SextantConversationStore *conversations);
void                      sextant_role_prompts_window_show_role  (SextantRolePromptsWindow *self,
                                                                  const char               *role);
GtkWidget                *sextant_role_prompts_window_get_page   (SextantRolePromptsWindow *self,
                                                                  const char               *role);

G_END_DECLS
