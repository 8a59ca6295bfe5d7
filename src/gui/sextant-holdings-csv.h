#pragma once

#include <glib.h>

#include "sextant-core.h"

G_BEGIN_DECLS

SextantPortfolio *sextant_holdings_csv_parse (const char         *text,
                                              const char         *name,
                                              SextantPriceTable  *known,
                                              GError            **error);
SextantPortfolio *sextant_holdings_csv_read  (const char         *path,
                                              SextantPriceTable  *known,
                                              GError            **error);

G_END_DECLS
