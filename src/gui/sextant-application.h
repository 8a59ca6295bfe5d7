#pragma once

#include <adwaita.h>

#include "sextant-core.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_APPLICATION (sextant_application_get_type ())

G_DECLARE_FINAL_TYPE (SextantApplication, sextant_application, SEXTANT, APPLICATION, AdwApplication)

SextantApplication *sextant_application_new            (void);
SextantWorkspace   *sextant_application_get_workspace  (SextantApplication *self);
GSettings          *sextant_application_get_settings   (SextantApplication *self);
GtkWindow          *sextant_application_open_chat      (SextantApplication *self);
GtkWindow          *sextant_application_open_portfolio (SextantApplication *self);
GtkWindow          *sextant_application_open_risk      (SextantApplication *self);
GtkWindow          *sextant_application_ask_assistant  (SextantApplication *self,
                                                        const char         *role,
                                                        const char         *draft);

G_END_DECLS
