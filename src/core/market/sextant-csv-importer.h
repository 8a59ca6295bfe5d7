#pragma once

#include <glib-object.h>

#include "market/sextant-csv-fields.h"
#include "market/sextant-market-cache.h"
#include "market/sextant-portfolio.h"

G_BEGIN_DECLS

/**
 * SextantCsvLayout:
 * @SEXTANT_CSV_LAYOUT_SINGLE: one instrument: date and OHLCV columns
 * @SEXTANT_CSV_LAYOUT_LONG: symbol, date and price columns, one row per symbol and day
 * @SEXTANT_CSV_LAYOUT_WIDE: a date column, then one column of closes per symbol
 * @SEXTANT_CSV_LAYOUT_HOLDINGS: symbol with quantity or weight, no dates
 */
typedef enum
{
  SEXTANT_CSV_LAYOUT_SINGLE,
  SEXTANT_CSV_LAYOUT_LONG,
  SEXTANT_CSV_LAYOUT_WIDE,
  SEXTANT_CSV_LAYOUT_HOLDINGS,
} SextantCsvLayout;

/**
 * SextantCsvRole:
 *
 * What a column holds. Wide files give each price column %SEXTANT_CSV_ROLE_SYMBOL_CLOSE.
 * %SEXTANT_CSV_ROLE_TIME is a time of day beside a date column (`Date,Time,Open,…`).
 * The roles from %SEXTANT_CSV_ROLE_KIND on are a holdings file's bond terms (kind of holding,
 * coupon, maturity, coupons a year, day count, spread); other files ignore those columns.
 */
typedef enum
{
  SEXTANT_CSV_ROLE_IGNORED,
  SEXTANT_CSV_ROLE_DATE,
  SEXTANT_CSV_ROLE_SYMBOL,
  SEXTANT_CSV_ROLE_OPEN,
  SEXTANT_CSV_ROLE_HIGH,
  SEXTANT_CSV_ROLE_LOW,
  SEXTANT_CSV_ROLE_CLOSE,
  SEXTANT_CSV_ROLE_VOLUME,
  SEXTANT_CSV_ROLE_QUANTITY,
  SEXTANT_CSV_ROLE_WEIGHT,
  SEXTANT_CSV_ROLE_CURRENCY,
  SEXTANT_CSV_ROLE_MIN_WEIGHT,
  SEXTANT_CSV_ROLE_MAX_WEIGHT,
  SEXTANT_CSV_ROLE_SYMBOL_CLOSE,
  SEXTANT_CSV_ROLE_TIME,
  SEXTANT_CSV_ROLE_KIND,
  SEXTANT_CSV_ROLE_COUPON,
  SEXTANT_CSV_ROLE_MATURITY,
  SEXTANT_CSV_ROLE_FREQUENCY,
  SEXTANT_CSV_ROLE_DAY_COUNT,
  SEXTANT_CSV_ROLE_SPREAD,
  SEXTANT_CSV_N_ROLES,
} SextantCsvRole;

/**
 * SextantCsvProblem:
 * @line: the 1-based line number in the file
 * @column: (nullable): the column concerned, for gaps
 * @message: what is wrong, for rejected rows
 *
 * A rejected row, or a gap (a missing value kept as NaN).
 */
typedef struct
{
  int   line;
  char *column;
  char *message;
} SextantCsvProblem;

#define SEXTANT_TYPE_CSV_IMPORTER (sextant_csv_importer_get_type ())

G_DECLARE_FINAL_TYPE (SextantCsvImporter, sextant_csv_importer, SEXTANT, CSV_IMPORTER, GObject)

SextantCsvImporter      *sextant_csv_importer_new_for_data     (GBytes             *data,
                                                                SextantDateFormat   date_format,
                                                                GError            **error);
SextantCsvImporter      *sextant_csv_importer_new_for_file     (const char         *path,
                                                                SextantDateFormat   date_format,
                                                                GError            **error);
char                     sextant_csv_importer_get_delimiter    (SextantCsvImporter *self);
gboolean                 sextant_csv_importer_get_decimal_comma (SextantCsvImporter *self);
SextantCsvLayout         sextant_csv_importer_get_layout       (SextantCsvImporter *self);
SextantDateFormat        sextant_csv_importer_get_date_format  (SextantCsvImporter *self);
const char              *sextant_csv_importer_get_date_rule    (SextantCsvImporter *self);
gboolean                 sextant_csv_importer_get_intraday     (SextantCsvImporter *self);
guint                    sextant_csv_importer_get_n_columns    (SextantCsvImporter *self);
const char              *sextant_csv_importer_get_column_name  (SextantCsvImporter *self,
                                                                guint               column);
SextantCsvRole           sextant_csv_importer_get_column_role  (SextantCsvImporter *self,
                                                                guint               column);
void                     sextant_csv_importer_set_symbol       (SextantCsvImporter *self,
                                                                const char         *symbol);
const char              *sextant_csv_importer_get_symbol       (SextantCsvImporter *self);
void                     sextant_csv_importer_set_known_symbols (SextantCsvImporter *self,
                                                                const char * const *symbols);
void                     sextant_csv_importer_set_keep_unknown (SextantCsvImporter *self,
                                                                gboolean            keep);
GPtrArray               *sextant_csv_importer_get_unpriced     (SextantCsvImporter *self);
char                    *sextant_csv_importer_describe         (SextantCsvImporter *self);
gboolean                 sextant_csv_importer_import_prices    (SextantCsvImporter *self,
                                                                SextantMarketCache *cache,
                                                                gsize              *n_bars,
                                                                GError            **error);
SextantPortfolio        *sextant_csv_importer_read_holdings    (SextantCsvImporter *self,
                                                                const char         *name,
                                                                GError            **error);
guint                    sextant_csv_importer_get_n_rejected   (SextantCsvImporter *self);
const SextantCsvProblem *sextant_csv_importer_get_rejected     (SextantCsvImporter *self,
                                                                guint               index);
guint                    sextant_csv_importer_get_n_gaps       (SextantCsvImporter *self);
const SextantCsvProblem *sextant_csv_importer_get_gap          (SextantCsvImporter *self,
                                                                guint               index);
const char              *sextant_csv_role_get_name             (SextantCsvRole      role);

G_END_DECLS
