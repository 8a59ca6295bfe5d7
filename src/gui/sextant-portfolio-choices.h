#pragma once

#include <gtk/gtk.h>

#include "sextant-core.h"

G_BEGIN_DECLS

SextantPortfolioStore *sextant_portfolio_choices_get_store (SextantWorkspace     *workspace);
char                 **sextant_portfolio_choices_list      (SextantWorkspace     *workspace,
                                                            const char           *extra);
SextantPortfolio      *sextant_portfolio_choices_load      (SextantWorkspace     *workspace,
                                                            const char           *name,
                                                            GError              **error);
void                   sextant_portfolio_choices_update    (GtkStringList        *list,
                                                            const char * const   *names);
guint                  sextant_portfolio_choices_find      (GListModel           *list,
                                                            const char           *name);
const char            *sextant_portfolio_choices_get_name  (GtkDropDown          *dropdown);

G_END_DECLS
