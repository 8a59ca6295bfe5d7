#pragma once

#include <adwaita.h>

#include "sextant-core.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_ENCRYPTION_DIALOG (sextant_encryption_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SextantEncryptionDialog, sextant_encryption_dialog, SEXTANT, ENCRYPTION_DIALOG, AdwWindow)

SextantEncryptionDialog *sextant_encryption_dialog_new   (GtkApplication   *application,
                                                          SextantWorkspace *workspace);
void                     sextant_encryption_dialog_start (SextantEncryptionDialog *self);
gboolean                 sextant_encryption_dialog_get_done (SextantEncryptionDialog *self);

G_END_DECLS
