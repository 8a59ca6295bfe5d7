#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEXTANT_TYPE_PRICE_TABLE (sextant_price_table_get_type ())

/**
 * SextantPriceTable:
 *
 * Closes of several instruments on common dates (a "wide" table, as the Dow Jones 30 and
 * SPISECTOR demo files are). Stored column by column so that each asset's prices are one
 * contiguous `const double *`. Missing values are NaN.
 */
typedef struct _SextantPriceTable SextantPriceTable;

GType              sextant_price_table_get_type        (void) G_GNUC_CONST;
SextantPriceTable *sextant_price_table_new             (gsize               n_rows,
                                                        const char * const *column_names);
SextantPriceTable *sextant_price_table_ref             (SextantPriceTable  *self);
void               sextant_price_table_unref           (SextantPriceTable  *self);
gsize              sextant_price_table_get_n_rows      (SextantPriceTable  *self);
gsize              sextant_price_table_get_n_columns   (SextantPriceTable  *self);
const char        *sextant_price_table_get_column_name (SextantPriceTable  *self,
                                                        gsize               column);
int                sextant_price_table_find_column     (SextantPriceTable  *self,
                                                        const char         *name);
const gint32      *sextant_price_table_get_days        (SextantPriceTable  *self);
gint32            *sextant_price_table_get_days_mutable (SextantPriceTable *self);
const double      *sextant_price_table_get_column      (SextantPriceTable  *self,
                                                        gsize               column);
double            *sextant_price_table_get_column_mutable (SextantPriceTable *self,
                                                        gsize               column);
SextantPriceTable *sextant_price_table_select          (SextantPriceTable  *self,
                                                        const char * const *names,
                                                        GError            **error);
SextantPriceTable *sextant_price_table_drop_incomplete (SextantPriceTable  *self,
                                                        gsize              *n_dropped);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantPriceTable, sextant_price_table_unref)

G_END_DECLS
