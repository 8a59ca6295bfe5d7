#pragma once

#include <glib.h>

#include "analytics/sextant-price-series.h"
#include "analytics/sextant-price-table.h"

G_BEGIN_DECLS

SextantPriceSeries *sextant_csv_read_price_series (const char  *path,
                                                   const char  *symbol,
                                                   GError     **error);
SextantPriceTable  *sextant_csv_read_price_table  (const char  *path,
                                                   GError     **error);
SextantPriceSeries *sextant_csv_parse_price_series (const char *text,
                                                   gsize        length,
                                                   const char  *symbol,
                                                   GError     **error);
SextantPriceTable  *sextant_csv_parse_price_table (const char  *text,
                                                   gsize        length,
                                                   GError     **error);

G_END_DECLS
