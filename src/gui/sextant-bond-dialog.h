#pragma once

#include <adwaita.h>

#include "sextant-core.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_BOND_DIALOG (sextant_bond_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SextantBondDialog, sextant_bond_dialog, SEXTANT, BOND_DIALOG, AdwWindow)

SextantBondDialog *sextant_bond_dialog_new         (GtkWindow          *parent,
                                                    const char * const *taken,
                                                    const char         *currency);
void               sextant_bond_dialog_set_holding (SextantBondDialog  *self,
                                                    const char         *name,
                                                    const SextantBond  *bond,
                                                    const char         *currency);
void               sextant_bond_dialog_set_today   (SextantBondDialog  *self,
                                                    gint32              today);
const char        *sextant_bond_dialog_get_problem (SextantBondDialog  *self);
gboolean           sextant_bond_dialog_get_holding (SextantBondDialog  *self,
                                                    char              **name,
                                                    SextantBond        *bond,
                                                    char              **currency);

G_END_DECLS
