#pragma once

#include "market/sextant-csv-fields.h"
#include "market/sextant-csv-importer.h"

G_BEGIN_DECLS

/* The importer's state, shared by its files: sextant-csv-importer.c (the object, its accessors and
 * problems), -detect.c (delimiter, header, layout, decimal separator and date format),
 * -prices.c (price rows into the cache) and -holdings.c (holdings into a portfolio). */

/* More columns than this is not a price file anyone exports; it bounds the per-row arrays. */
#define MAX_COLUMNS 4096
#define SAMPLE_LINES 50

struct _SextantCsvImporter
{
  GObject            parent_instance;
  GBytes            *data;
  const char        *body;          /* first byte after the header line */
  const char        *end;
  int                body_line;     /* line number of the first line after the header */
  char               delimiter;
  gboolean           decimal_comma;
  SextantCsvLayout   layout;
  SextantDateFormat  date_format;
  const char        *date_rule;
  GPtrArray         *names;
  GArray            *roles;         /* SextantCsvRole per column */
  int                columns[SEXTANT_CSV_N_ROLES];  /* first column with each role, or -1 */
  char              *symbol;
  GArray            *rejected;
  GArray            *gaps;
  GString           *scratch;
  SextantCsvField   *fields;
  GHashTable        *symbol_ids;    /* symbol → small integer, for duplicate detection */
  GHashTable        *seen_rows;     /* (symbol id << 32 | day) → line that gave it first */
  GHashTable        *known;         /* upper-case symbol → its spelling, or NULL: any symbol */
  gboolean           keep_unknown;  /* unknown symbols are holdings too, listed in unpriced */
  GPtrArray         *unpriced;      /* the kept symbols outside known, as held */
  gboolean           intraday;      /* several rows per day: aggregated into daily bars */
  gboolean           wide_by_header; /* yfinance's ticker row made the wide columns */
  GPtrArray         *bar_symbols;   /* symbol id - 1 → symbol, for the pending bars */
  GArray            *pending;       /* parsed bars not yet written (PendingBar) */
  GHashTable        *day_bars;      /* intraday: (symbol id << 32 | day) → index in pending + 1 */
};

/* A bar parsed from the file, waiting to be written in a batch. */
typedef struct
{
  guint32 symbol;      /* id in symbol_ids */
  gint32  day;
  int     first_time;  /* intraday: seconds of the earliest row, which gave the open */
  int     last_time;   /* intraday: seconds of the latest row, which gave the close */
  double  v[5];        /* open, high, low, close, volume */
} PendingBar;

/* Bars per write transaction: a batch takes milliseconds to write, so another writer (the chat
 * storing a question, a portfolio save) waits that long at most, never a whole import. */
#define IMPORT_BATCH_BARS 10000

void     _sextant_csv_importer_add_problem  (GArray              *array,
                                             int                  line,
                                             const char          *column,
                                             char                *message);
void     _sextant_csv_importer_reject       (SextantCsvImporter  *self,
                                             int                  line,
                                             const char          *format,
                                             ...) G_GNUC_PRINTF (3, 4);
gboolean _sextant_csv_importer_read_value   (SextantCsvImporter  *self,
                                             int                  line,
                                             int                  column,
                                             const char          *symbol,
                                             double              *value);
gboolean _sextant_csv_importer_detect       (SextantCsvImporter  *self,
                                             SextantDateFormat    date_format,
                                             GError             **error);
gboolean _sextant_csv_importer_read_date    (SextantCsvImporter  *self,
                                             int                  line,
                                             gint32              *day,
                                             int                 *seconds);
guint32  _sextant_csv_importer_symbol_id    (SextantCsvImporter  *self,
                                             const char          *symbol);
SextantCsvRole _sextant_csv_role_for_name   (const char          *name,
                                             int                 *close_rank);

G_END_DECLS
