#define G_LOG_DOMAIN "sextant-csv-importer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-csv-importer-private.h"
#include "market/sextant-market-error.h"

G_DEFINE_FINAL_TYPE (SextantCsvImporter, sextant_csv_importer, G_TYPE_OBJECT)

static const char *role_names[] = {
  "ignored", "date", "symbol", "open", "high", "low", "close", "volume", "quantity", "weight",
  "currency", "min weight", "max weight", "close (one symbol per column)", "time of day",
  "kind of holding", "coupon", "maturity", "coupons a year", "day count", "spread",
};

G_STATIC_ASSERT (G_N_ELEMENTS (role_names) == SEXTANT_CSV_N_ROLES);

const char *
sextant_csv_role_get_name (SextantCsvRole role)
{
  g_return_val_if_fail (role < SEXTANT_CSV_N_ROLES, NULL);

  return role_names[role];
}

static void
problem_clear (gpointer data)
{
  SextantCsvProblem *problem = data;

  g_free (problem->column);
  g_free (problem->message);
}

static void
sextant_csv_importer_finalize (GObject *object)
{
  SextantCsvImporter *self = SEXTANT_CSV_IMPORTER (object);

  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->roles, g_array_unref);
  g_clear_pointer (&self->rejected, g_array_unref);
  g_clear_pointer (&self->gaps, g_array_unref);
  g_string_free (self->scratch, TRUE);
  g_free (self->symbol);
  g_free (self->fields);
  g_clear_pointer (&self->symbol_ids, g_hash_table_unref);
  g_clear_pointer (&self->seen_rows, g_hash_table_unref);
  g_clear_pointer (&self->known, g_hash_table_unref);
  g_clear_pointer (&self->unpriced, g_ptr_array_unref);
  g_clear_pointer (&self->bar_symbols, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->day_bars, g_hash_table_unref);

  G_OBJECT_CLASS (sextant_csv_importer_parent_class)->finalize (object);
}

static void
sextant_csv_importer_class_init (SextantCsvImporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_csv_importer_finalize;
}

/* The keys pack a symbol id above a day: g_int64_hash() folds the halves with XOR, so symbol 1
 * of day d and symbol 2 of day d ^ 3 collide, and a million rows made a few thousand buckets of
 * hundreds of keys (most of a 40-second import). A 64-bit mix spreads them. */
static guint
mixed_int64_hash (gconstpointer key)
{
  guint64 x = *(const guint64 *) key;

  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  x ^= x >> 33;

  return (guint) x;
}

static void
sextant_csv_importer_init (SextantCsvImporter *self)
{
  self->unpriced = g_ptr_array_new_with_free_func (g_free);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->roles = g_array_new (FALSE, TRUE, sizeof (SextantCsvRole));
  self->rejected = g_array_new (FALSE, TRUE, sizeof (SextantCsvProblem));
  self->gaps = g_array_new (FALSE, TRUE, sizeof (SextantCsvProblem));
  g_array_set_clear_func (self->rejected, problem_clear);
  g_array_set_clear_func (self->gaps, problem_clear);
  self->scratch = g_string_sized_new (256);
  self->fields = g_new0 (SextantCsvField, MAX_COLUMNS);
  self->symbol_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen_rows = g_hash_table_new_full (mixed_int64_hash, g_int64_equal, g_free, NULL);
  self->bar_symbols = g_ptr_array_new_with_free_func (g_free);
  self->pending = g_array_new (FALSE, FALSE, sizeof (PendingBar));
  self->day_bars = g_hash_table_new_full (mixed_int64_hash, g_int64_equal, g_free, NULL);
}

void
_sextant_csv_importer_add_problem (GArray     *array,
             int         line,
             const char *column,
             char       *message)
{
  SextantCsvProblem problem = { line, g_strdup (column), message };

  g_array_append_val (array, problem);
}

void
_sextant_csv_importer_reject (SextantCsvImporter *self,
        int                 line,
        const char         *format,
        ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  _sextant_csv_importer_add_problem (self->rejected, line, NULL, g_strdup_printf ("Line %d: %s", line, message));
  g_free (message);
}

static GBytes *
repair_text (GBytes *data)
{
  gsize size = 0, length = 0;
  const char *text = g_bytes_get_data (data, &size);
  char *valid = sextant_csv_text_to_utf8 (text, size, &length);

  return valid != NULL ? g_bytes_new_take (valid, length) : g_bytes_ref (data);
}

/**
 * sextant_csv_importer_new_for_data:
 * @data: the file's bytes
 * @date_format: the date format, or %SEXTANT_DATE_FORMAT_UNKNOWN to detect it from the column
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the line
 *
 * Reads the header and detects the delimiter (`,` `;` tab `|`), the decimal separator, the
 * layout (one instrument, long, wide or holdings) and the date format, judged on the whole date
 * column. Nothing is imported yet: the importer is the preview of what will be. UTF-16 with a
 * byte-order mark is converted, and bytes that are not UTF-8 (a file in another encoding) become
 * U+FFFD (sextant_csv_text_to_utf8()).
 *
 * Returns: (transfer full): the importer, or %NULL if the file cannot be understood
 */
SextantCsvImporter *
sextant_csv_importer_new_for_data (GBytes             *data,
                                   SextantDateFormat   date_format,
                                   GError            **error)
{
  g_autoptr(SextantCsvImporter) self = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (SEXTANT_TYPE_CSV_IMPORTER, NULL);
  self->data = repair_text (data);
  if (!_sextant_csv_importer_detect (self, date_format, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* The symbol a file name gives: its first word that is not a word for what the file holds or
 * a number (`msft_2000-09_2001-09_ohlcv.csv` is MSFT, Alpha Vantage's `daily_IBM.csv` is IBM,
 * `daily_adjusted_IBM.csv` too), in upper case; NULL if there is none. */
static char *
symbol_from_file_name (const char *path)
{
  static const char *generic[] = { "daily", "weekly", "monthly", "intraday", "adjusted", "adj",
                                   "prices", "price", "history", "historical", "data", "quotes",
                                   "ohlc", "ohlcv", "bars", "candles", "stock", "csv", "export",
                                   "download", "time", "series", "timeseries", "1min", "5min",
                                   "15min", "30min", "60min", "1h", "1d", "d1", "h1", "m1" };
  g_autofree char *base = g_path_get_basename (path);
  g_auto(GStrv) words = NULL;
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  words = g_strsplit_set (base, "_.- ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean skip = *words[i] == '\0';

      for (guint g = 0; !skip && g < G_N_ELEMENTS (generic); g++)
        skip = g_ascii_strcasecmp (words[i], generic[g]) == 0;
      for (const char *p = words[i]; !skip && *p != '\0' && g_ascii_isdigit (*p); p++)
        skip = p[1] == '\0';
      if (!skip)
        return g_ascii_strup (words[i], -1);
    }

  /* Nothing but such words: the first word, as before (`prices.csv` is PRICES). */
  return *words[0] != '\0' ? g_ascii_strup (words[0], -1) : g_ascii_strup (base, -1);
}

/**
 * sextant_csv_importer_new_for_file:
 * @path: a CSV file
 * @date_format: the date format, or %SEXTANT_DATE_FORMAT_UNKNOWN
 * @error: return location
 *
 * The file is mapped, not read, so that large files cost no copy. A single-instrument file gets
 * a symbol from its file name, until sextant_csv_importer_set_symbol(): the first word (between
 * `_`, `.`, `-` or spaces) that is not a number or a word such as `daily`, `prices` or `ohlcv`,
 * in upper case (`msft_2000-09_2001-09_ohlcv.csv` is MSFT, `daily_IBM.csv` is IBM). A ticker
 * row in the file (yfinance's) wins over the file name.
 *
 * Returns: (transfer full): the importer, or %NULL
 */
SextantCsvImporter *
sextant_csv_importer_new_for_file (const char         *path,
                                   SextantDateFormat   date_format,
                                   GError            **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SextantCsvImporter *self;

  g_return_val_if_fail (path != NULL, NULL);

  if ((file = g_mapped_file_new (path, FALSE, error)) == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (file);
  if ((self = sextant_csv_importer_new_for_data (bytes, date_format, error)) == NULL)
    return NULL;
  if (self->symbol == NULL)
    self->symbol = symbol_from_file_name (path);

  return self;
}

char
sextant_csv_importer_get_delimiter (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), ',');

  return self->delimiter;
}

gboolean
sextant_csv_importer_get_decimal_comma (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), FALSE);

  return self->decimal_comma;
}

SextantCsvLayout
sextant_csv_importer_get_layout (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), SEXTANT_CSV_LAYOUT_SINGLE);

  return self->layout;
}

SextantDateFormat
sextant_csv_importer_get_date_format (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), SEXTANT_DATE_FORMAT_UNKNOWN);

  return self->date_format;
}

/**
 * sextant_csv_importer_get_date_rule:
 * @self: an importer
 *
 * Returns: (nullable): why this date format was chosen, in words
 */
const char *
sextant_csv_importer_get_date_rule (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);

  return self->date_rule;
}

/**
 * sextant_csv_importer_get_intraday:
 * @self: an importer
 *
 * Returns: whether the file has several rows per day (intraday bars), which
 *   sextant_csv_importer_import_prices() aggregates into daily bars
 */
gboolean
sextant_csv_importer_get_intraday (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), FALSE);

  return self->intraday;
}

guint
sextant_csv_importer_get_n_columns (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), 0);

  return self->names->len;
}

const char *
sextant_csv_importer_get_column_name (SextantCsvImporter *self,
                                      guint               column)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);
  g_return_val_if_fail (column < self->names->len, NULL);

  return g_ptr_array_index (self->names, column);
}

SextantCsvRole
sextant_csv_importer_get_column_role (SextantCsvImporter *self,
                                      guint               column)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), SEXTANT_CSV_ROLE_IGNORED);
  g_return_val_if_fail (column < self->roles->len, SEXTANT_CSV_ROLE_IGNORED);

  return g_array_index (self->roles, SextantCsvRole, column);
}

/**
 * sextant_csv_importer_set_symbol:
 * @self: an importer
 * @symbol: the symbol of a single-instrument file
 */
void
sextant_csv_importer_set_symbol (SextantCsvImporter *self,
                                 const char         *symbol)
{
  g_return_if_fail (SEXTANT_IS_CSV_IMPORTER (self));

  g_free (self->symbol);
  self->symbol = g_strdup (symbol);
}

/**
 * sextant_csv_importer_get_symbol:
 * @self: an importer
 *
 * Returns: (nullable): the symbol a single-instrument file is imported as
 */
const char *
sextant_csv_importer_get_symbol (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);

  return self->symbol;
}

/**
 * sextant_csv_importer_set_known_symbols:
 * @self: an importer
 * @symbols: (nullable) (array zero-terminated=1): the symbols there are prices for, or %NULL
 *   to accept any symbol
 *
 * Makes sextant_csv_importer_read_holdings() reject the rows of symbols outside @symbols, and
 * match the others ignoring case: a file's `ko` becomes the `KO` of the list, so that a row
 * repeating a symbol in another case is caught as a repeat.
 */
void
sextant_csv_importer_set_known_symbols (SextantCsvImporter *self,
                                        const char * const *symbols)
{
  g_return_if_fail (SEXTANT_IS_CSV_IMPORTER (self));

  g_clear_pointer (&self->known, g_hash_table_unref);
  if (symbols == NULL)
    return;
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; symbols[i] != NULL; i++)
    g_hash_table_insert (self->known, g_ascii_strup (symbols[i], -1), g_strdup (symbols[i]));
}

/**
 * sextant_csv_importer_set_keep_unknown:
 * @self: an importer
 * @keep: whether rows of symbols outside sextant_csv_importer_set_known_symbols() are holdings
 *
 * A holding is what the user owns, prices or not: with @keep, such rows are read like the others
 * (their symbol in capitals) and listed by sextant_csv_importer_get_unpriced(), so the caller can
 * offer to fetch or import their prices instead of dropping them.
 */
void
sextant_csv_importer_set_keep_unknown (SextantCsvImporter *self,
                                       gboolean            keep)
{
  g_return_if_fail (SEXTANT_IS_CSV_IMPORTER (self));

  self->keep_unknown = keep;
}

/**
 * sextant_csv_importer_get_unpriced:
 * @self: an importer
 *
 * Returns: (transfer none) (element-type utf8): the symbols kept by the last
 *   sextant_csv_importer_read_holdings() that are not among the known ones, in file order
 */
GPtrArray *
sextant_csv_importer_get_unpriced (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);

  return self->unpriced;
}

/**
 * sextant_csv_importer_describe:
 * @self: an importer
 *
 * Returns: (transfer full): the detected mapping in words, one item per line
 */
char *
sextant_csv_importer_describe (SextantCsvImporter *self)
{
  static const char *layouts[] = { "one instrument", "long (symbol, date, price)",
                                   "wide (one column per symbol)", "holdings" };
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "Layout: %s\n", layouts[self->layout]);
  g_string_append_printf (text, "Delimiter: %s\n", self->delimiter == '\t' ? "tab"
                                                    : self->delimiter == ';' ? "semicolon"
                                                    : self->delimiter == '|' ? "pipe" : "comma");
  g_string_append_printf (text, "Decimal separator: %s\n", self->decimal_comma ? "comma" : "point");
  if (self->layout != SEXTANT_CSV_LAYOUT_HOLDINGS)
    g_string_append_printf (text, "Dates: %s (%s)\n", sextant_date_format_get_name (self->date_format),
                            self->date_rule);
  if (self->intraday)
    g_string_append (text, "Rows: intraday, aggregated into daily bars (first open, highest high, "
                           "lowest low, last close, summed volume)\n");
  if (self->layout == SEXTANT_CSV_LAYOUT_SINGLE)
    g_string_append_printf (text, "Symbol: %s\n", self->symbol != NULL ? self->symbol : "(none)");
  for (guint i = 0; i < self->names->len; i++)
    g_string_append_printf (text, "Column %u “%s”: %s\n", i + 1,
                            (const char *) g_ptr_array_index (self->names, i),
                            role_names[g_array_index (self->roles, SextantCsvRole, i)]);

  return g_string_free (text, FALSE);
}

guint
sextant_csv_importer_get_n_rejected (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), 0);

  return self->rejected->len;
}

/**
 * sextant_csv_importer_get_rejected:
 * @self: an importer
 * @index: which rejected row
 *
 * Returns: (transfer none): the row's line and reason (the message starts with "Line N: ")
 */
const SextantCsvProblem *
sextant_csv_importer_get_rejected (SextantCsvImporter *self,
                                   guint               index)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);
  g_return_val_if_fail (index < self->rejected->len, NULL);

  return &g_array_index (self->rejected, SextantCsvProblem, index);
}

guint
sextant_csv_importer_get_n_gaps (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), 0);

  return self->gaps->len;
}

/**
 * sextant_csv_importer_get_gap:
 * @self: an importer
 * @index: which gap
 *
 * Returns: (transfer none): the line and column of a missing value, kept as NaN
 */
const SextantCsvProblem *
sextant_csv_importer_get_gap (SextantCsvImporter *self,
                              guint               index)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);
  g_return_val_if_fail (index < self->gaps->len, NULL);

  return &g_array_index (self->gaps, SextantCsvProblem, index);
}

static gboolean
is_price_role (SextantCsvRole role)
{
  return (role >= SEXTANT_CSV_ROLE_OPEN && role <= SEXTANT_CSV_ROLE_VOLUME) ||
         role == SEXTANT_CSV_ROLE_SYMBOL_CLOSE;
}

/* Reads one value cell. Gaps are kept (NaN) and reported; text that is no number rejects the
 * row. */
gboolean
_sextant_csv_importer_read_value (SextantCsvImporter *self,
            int                 line,
            int                 column,
            const char         *symbol,
            double             *value)
{
  SextantCsvField *field;
  SextantCsvRole role;
  gboolean missing = FALSE;

  if (column < 0)
    {
      *value = NAN;
      return TRUE;
    }
  field = &self->fields[column];
  role = g_array_index (self->roles, SextantCsvRole, column);
  if (role == SEXTANT_CSV_ROLE_VOLUME
      ? !sextant_csv_parse_volume (field->start, field->length, self->decimal_comma, value, &missing)
      : !sextant_csv_parse_double (field->start, field->length, self->decimal_comma, value, &missing))
    {
      _sextant_csv_importer_reject (self, line, "%s “%.*s” is not a number",
              (const char *) g_ptr_array_index (self->names, column), (int) MIN (field->length, 40),
              field->start);
      return FALSE;
    }
  /* The providers' rule (sextant_http_provider_check_bar()): a price that is there is positive,
   * a volume is not negative. A 0 is what some exports write for "no trade"; stored, it would be
   * a close the instrument never had. */
  if (!missing && is_price_role (role) && (role == SEXTANT_CSV_ROLE_VOLUME ? *value < 0 : !(*value > 0)))
    {
      _sextant_csv_importer_reject (self, line, role == SEXTANT_CSV_ROLE_VOLUME
                                                ? "%s “%.*s” is negative"
                                                : "%s “%.*s” is not a positive price",
              (const char *) g_ptr_array_index (self->names, column), (int) MIN (field->length, 40),
              field->start);
      return FALSE;
    }
  /* Gaps are reported for prices and volumes; an empty weight beside a quantity is no gap. */
  if (missing && is_price_role (g_array_index (self->roles, SextantCsvRole, column)))
    _sextant_csv_importer_add_problem (self->gaps, line, symbol, g_strdup_printf ("Line %d: no %s for %s", line,
                                                            (const char *) g_ptr_array_index (self->names, column),
                                                            symbol));

  return TRUE;
}
