#define G_LOG_DOMAIN "sextant-csv-reader"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-csv-fields.h"
#include "market/sextant-csv-importer-private.h"
#include "market/sextant-csv-reader.h"
#include "market/sextant-market-error.h"

/* The analysis reader: strict (the first bad row is an error, as an analysis on a file with a
 * hole would be wrong), but with the importer's tokenizer (sextant_csv_split_record()), so that
 * quoted fields, `;`, tab and `|` files, decimal commas and quoted line breaks read the same
 * everywhere. The demo data is read at every start-up (5,105 index rows, 2,530 rows of 30
 * closes): fields are views into the text, and plain decimals have a fast path. */

#define MAX_FIELDS 4096

typedef struct
{
  const char      *text;
  const char      *end;
  const char      *cursor;
  int              line;         /* first line of the current record */
  int              next_line;
  char             delimiter;
  gboolean         decimal_comma;
  SextantDateFormat date_format;
  SextantCsvField *fields;
  GString         *scratch;
  int              n_header;
  char           **names;        /* header names, trimmed */
} Reader;

static void
reader_clear (Reader *reader)
{
  g_clear_pointer (&reader->fields, g_free);
  if (reader->scratch != NULL)
    g_string_free (g_steal_pointer (&reader->scratch), TRUE);
  g_clear_pointer (&reader->names, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reader, reader_clear)

/* The next non-empty record split into reader->fields; returns its field count, 0 at the end,
 * -1 with @error set for a broken record. */
static int
reader_next (Reader  *reader,
             GError **error)
{
  const char *record;
  gsize length;
  int n_lines = 1;

  while (sextant_csv_next_record (&reader->cursor, reader->end, reader->delimiter, &record,
                                  &length, &n_lines))
    {
      int bad_field = 0, n;

      reader->line = reader->next_line;
      reader->next_line += n_lines;
      if (length == 0)
        continue;
      n = sextant_csv_split_record (record, length, reader->delimiter, reader->fields, MAX_FIELDS,
                                    reader->scratch, &bad_field);
      if (n == SEXTANT_CSV_UNTERMINATED_QUOTE)
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "Line %d: unterminated quote", reader->line);
          return -1;
        }
      if (n == SEXTANT_CSV_TEXT_AFTER_QUOTE)
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "Line %d, column %d: text after the closing quote", reader->line,
                       bad_field + 1);
          return -1;
        }
      if (n > MAX_FIELDS)
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "Line %d: more than %d columns", reader->line, MAX_FIELDS);
          return -1;
        }
      return n;
    }

  return 0;
}

/* Decimal commas show as "12,5" in the values of a file whose delimiter is not a comma. */
static void
detect_decimal_comma (Reader *reader)
{
  Reader sample = *reader;
  int commas = 0, dots = 0;

  if (reader->delimiter == ',')
    return;
  sample.fields = g_new (SextantCsvField, MAX_FIELDS);
  sample.scratch = g_string_new (NULL);
  for (int i = 0; i < 50; i++)
    {
      int n = reader_next (&sample, NULL);

      if (n <= 0)
        break;
      for (int c = 0; c < n; c++)
        {
          commas += memchr (sample.fields[c].start, ',', sample.fields[c].length) != NULL;
          dots += memchr (sample.fields[c].start, '.', sample.fields[c].length) != NULL;
        }
    }
  g_free (sample.fields);
  g_string_free (sample.scratch, TRUE);
  reader->decimal_comma = commas > 0 && commas >= dots;
}

static gboolean
reader_open (Reader      *reader,
             const char  *text,
             gsize        length,
             GError     **error)
{
  const char *line = NULL;
  gsize line_length = 0;
  int n;

  reader->text = text;
  reader->date_format = SEXTANT_DATE_FORMAT_ISO;
  reader->end = text + length;
  reader->cursor = text;
  reader->next_line = 1;
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    reader->cursor += 3;

  /* The header: the first line that is not empty; its delimiter is judged on the rows below. */
  for (const char *probe = reader->cursor;
       sextant_csv_next_line (&probe, reader->end, &line, &line_length) && line_length == 0; )
    ;
  if (line == NULL || line_length == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER, "The file is empty");
      return FALSE;
    }
  if (sextant_csv_separator_hint (line, line_length, &reader->delimiter))
    {
      /* Excel's "sep=;" line: the header is the next line that is not empty. */
      const char *hint = line;

      while (sextant_csv_next_line (&reader->cursor, reader->end, &line, &line_length))
        {
          reader->next_line++;
          if (line == hint)
            break;
        }
    }
  else
    reader->delimiter = sextant_csv_detect_delimiter (line, line_length, line + line_length,
                                                      reader->end);
  reader->fields = g_new (SextantCsvField, MAX_FIELDS);
  reader->scratch = g_string_new (NULL);
  if ((n = reader_next (reader, error)) < 0)
    return FALSE;
  reader->n_header = n;
  reader->names = g_new0 (char *, n + 1);
  for (int i = 0; i < n; i++)
    reader->names[i] = g_strndup (reader->fields[i].start, reader->fields[i].length);
  detect_decimal_comma (reader);

  return TRUE;
}

static int
find_header (Reader     *reader,
             const char *name)
{
  for (int i = 0; i < reader->n_header; i++)
    if (g_ascii_strcasecmp (reader->names[i], name) == 0)
      return i;

  return -1;
}

/* `date`, or the first column the importer takes for the date (Alpha Vantage's `timestamp`,
 * yfinance's intraday `Datetime`). */
static int
find_date_header (Reader *reader)
{
  int column = find_header (reader, "date"), rank;

  for (int i = 0; i < reader->n_header && column < 0; i++)
    if (_sextant_csv_role_for_name (reader->names[i], &rank) == SEXTANT_CSV_ROLE_DATE)
      column = i;

  return column;
}

/* The open, high, low, close and volume columns by the importer's names for them (`Price`,
 * `Last`, `Adj Close`, `Vol.`; the raw close before an adjusted one). */
static void
find_bar_headers (Reader *reader,
                  int     cols[5])
{
  static const SextantCsvRole roles[] = { SEXTANT_CSV_ROLE_OPEN, SEXTANT_CSV_ROLE_HIGH,
                                          SEXTANT_CSV_ROLE_LOW, SEXTANT_CSV_ROLE_CLOSE,
                                          SEXTANT_CSV_ROLE_VOLUME };
  int best_close_rank = G_MAXINT;

  for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
    cols[r] = -1;
  for (int i = 0; i < reader->n_header; i++)
    {
      int rank = 0;
      SextantCsvRole role = _sextant_csv_role_for_name (reader->names[i], &rank);

      for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
        if (role == roles[r] && role == SEXTANT_CSV_ROLE_CLOSE && rank < best_close_rank)
          {
            cols[r] = i;
            best_close_rank = rank;
          }
        else if (role == roles[r] && role != SEXTANT_CSV_ROLE_CLOSE && cols[r] < 0)
          cols[r] = i;
    }
}

/* The date format the importer would choose: the one that reads every date of the column (ISO
 * when it does), day first when M/D and D/M both do in a file with European number format.
 * When none reads them all, ISO stays, and the first date it cannot read is the error. */
static gboolean
choose_date_format (Reader  *reader,
                    int      date_col,
                    GError **error)
{
  static const SextantDateFormat formats[] = {
    SEXTANT_DATE_FORMAT_ISO, SEXTANT_DATE_FORMAT_EU_DOT, SEXTANT_DATE_FORMAT_COMPACT,
    SEXTANT_DATE_FORMAT_EU_DASH, SEXTANT_DATE_FORMAT_DAY_MONTH_NAME,
    SEXTANT_DATE_FORMAT_MONTH_NAME_DAY, SEXTANT_DATE_FORMAT_US, SEXTANT_DATE_FORMAT_EU_SLASH,
  };
  gboolean reads_all[G_N_ELEMENTS (formats)];
  Reader sample = *reader;
  int n, rows = 0;

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    reads_all[f] = TRUE;
  sample.fields = g_new (SextantCsvField, MAX_FIELDS);
  sample.scratch = g_string_new (NULL);
  while ((n = reader_next (&sample, NULL)) > 0)
    {
      gint32 day;

      if (n <= date_col)
        continue;
      rows++;
      for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
        reads_all[f] = reads_all[f] &&
                       sextant_csv_parse_date (sample.fields[date_col].start,
                                               sample.fields[date_col].length, formats[f], &day);
      /* An ISO date reads as nothing else: the common case needs one row. */
      if (reads_all[0])
        break;
    }
  g_free (sample.fields);
  g_string_free (sample.scratch, TRUE);

  reader->date_format = SEXTANT_DATE_FORMAT_ISO;
  if (rows == 0 || reads_all[0])
    return TRUE;
  if (reads_all[G_N_ELEMENTS (formats) - 1] && reads_all[G_N_ELEMENTS (formats) - 2])
    {
      if (reader->decimal_comma || reader->delimiter == ';')
        {
          reader->date_format = SEXTANT_DATE_FORMAT_EU_SLASH;
          return TRUE;
        }
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_DATE,
                   "Every date reads as both M/D/YYYY and D/M/YYYY; write the dates as YYYY-MM-DD");
      return FALSE;
    }
  for (guint f = 1; f < G_N_ELEMENTS (formats); f++)
    if (reads_all[f])
      {
        reader->date_format = formats[f];
        break;
      }

  return TRUE;
}

/* Plain decimals ("1469.250000", "-0.5") of at most 15 significant digits and 22 decimals are
 * an integer below 2^53 over an exact power of ten: one division, correctly rounded, gives the
 * same double as strtod() (Clinger's fast path) at a fraction of its cost. Anything else
 * (exponents, longer numbers, junk) returns FALSE and goes the slow way. */
static gboolean
parse_plain_decimal (const char *text,
                     gsize       length,
                     double     *value)
{
  static const double powers[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  };
  const char *p = text, *end = text + length;
  gboolean negative = FALSE;
  guint64 mantissa = 0;
  int digits = 0, decimals = 0, seen = 0;

  if (p < end && (*p == '-' || *p == '+'))
    negative = *p++ == '-';
  for (; p < end && g_ascii_isdigit (*p); p++, seen++)
    if (mantissa != 0 || *p != '0')
      {
        mantissa = mantissa * 10 + (*p - '0');
        digits++;
      }
  if (p < end && *p == '.')
    for (p++; p < end && g_ascii_isdigit (*p); p++, seen++, decimals++)
      if (mantissa != 0 || *p != '0')
        {
          mantissa = mantissa * 10 + (*p - '0');
          digits++;
        }
  if (p != end || seen == 0 || digits > 15 || decimals >= (int) G_N_ELEMENTS (powers))
    return FALSE;

  *value = (negative ? -(double) mantissa : (double) mantissa) / powers[decimals];
  return TRUE;
}

static gboolean
parse_number (Reader          *reader,
              SextantCsvField *field,
              double          *value)
{
  gboolean missing;

  char buffer[64];
  char *end = NULL;

  if (!reader->decimal_comma && parse_plain_decimal (field->start, field->length, value))
    return TRUE;
  if (sextant_csv_parse_double (field->start, field->length, reader->decimal_comma, value, &missing))
    return TRUE;

  /* What strtod() reads whole ("inf", hexadecimal) is passed on as before: the analyses name a
   * value that is not finite with its column. */
  if (field->length == 0 || field->length >= sizeof buffer)
    return FALSE;
  memcpy (buffer, field->start, field->length);
  buffer[field->length] = '\0';
  *value = g_ascii_strtod (buffer, &end);

  return *end == '\0';
}

static gboolean
parse_date_field (Reader           *reader,
                  SextantCsvField  *field,
                  gint32           *day,
                  GError          **error)
{
  if (!sextant_csv_parse_date (field->start, field->length, reader->date_format, day))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "Line %d: “%.*s” is not a date in %s form", reader->line,
                   (int) MIN (field->length, 40), field->start,
                   sextant_date_format_get_name (reader->date_format));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_row_width (Reader  *reader,
                 int      n_fields,
                 GError **error)
{
  if (n_fields != reader->n_header)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "Line %d: %d fields where the header has %d", reader->line, n_fields,
                   reader->n_header);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  gint32 day;
  guint  row;
  int    line;
} RowDay;

/* Newest-first files (most brokers' and investing.com's) are turned around. Any other order is
 * kept as written: the analyses refuse dates out of order or repeated, naming them. Returns the
 * order in @order (NULL when kept). */
static void
date_order (GArray  *row_days,
            guint  **order)
{
  const RowDay *r = (const RowDay *) row_days->data;
  gboolean descending = row_days->len > 1;

  *order = NULL;
  for (guint i = 1; i < row_days->len && descending; i++)
    descending = r[i - 1].day > r[i].day;
  if (!descending)
    return;

  *order = g_new (guint, row_days->len);
  for (guint i = 0; i < row_days->len; i++)
    (*order)[i] = row_days->len - 1 - i;
}

static SextantPriceSeries *
parse_price_series (const char  *text,
                    gsize        length,
                    const char  *symbol,
                    GError     **error)
{
  static const char *names[] = { "open", "high", "low", "close", "volume" };
  g_auto(Reader) reader = { 0 };
  g_autoptr(GArray) row_days = g_array_new (FALSE, FALSE, sizeof (RowDay));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double) * 5);
  g_autofree guint *order = NULL;
  SextantPriceSeries *series;
  int date_col, cols[5], n;

  if (!reader_open (&reader, text, length, error))
    return NULL;
  date_col = find_date_header (&reader);
  find_bar_headers (&reader, cols);
  if (date_col < 0 || cols[3] < 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line %d: the header needs a “date” and a “close” column", reader.line);
      return NULL;
    }
  if (!choose_date_format (&reader, date_col, error))
    return NULL;

  while ((n = reader_next (&reader, error)) > 0)
    {
      RowDay row_day = { 0, row_days->len, reader.line };
      double v[5];

      if (!check_row_width (&reader, n, error) ||
          !parse_date_field (&reader, &reader.fields[date_col], &row_day.day, error))
        return NULL;
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          gboolean missing;

          v[i] = NAN;
          if (cols[i] >= 0 && i == 4 &&
              sextant_csv_parse_volume (reader.fields[cols[i]].start, reader.fields[cols[i]].length,
                                        reader.decimal_comma, &v[i], &missing))
            continue;
          if (cols[i] >= 0 && !parse_number (&reader, &reader.fields[cols[i]], &v[i]))
            {
              g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                           "Line %d: %s “%.*s” is not a number", reader.line, names[i],
                           (int) MIN (reader.fields[cols[i]].length, 40),
                           reader.fields[cols[i]].start);
              return NULL;
            }
        }
      g_array_append_val (row_days, row_day);
      g_array_append_vals (values, v, 1);
    }
  if (n < 0)
    return NULL;
  date_order (row_days, &order);

  series = sextant_price_series_new (symbol, row_days->len);
  for (guint r = 0; r < row_days->len; r++)
    {
      guint from = order != NULL ? order[r] : r;
      const double *v = (const double *) values->data + 5 * from;

      sextant_price_series_set_row (series, r, g_array_index (row_days, RowDay, from).day,
                                    v[0], v[1], v[2], v[3], v[4]);
    }

  return series;
}

/**
 * sextant_csv_parse_price_series:
 * @text: CSV text with a header naming date, open, high, low, close and volume (any case, or
 *   the importer's other names for them: `timestamp`, `Price`, `Last`, `Adj Close`, `Vol.`)
 * @length: length of @text
 * @symbol: the symbol to give the series
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the line
 *
 * Only `date` and `close` are required; missing OHLV columns stay NaN. Empty and `NA` fields are
 * NaN: whether a gap is acceptable is for the analysis to decide, not the reader. The delimiter
 * (`,` `;` tab `|`) and a decimal comma are detected; fields may be quoted. A newest-first file is
 * turned around; other orders are kept for the analyses to judge.
 *
 * Returns: (transfer full): the series, or %NULL
 */
SextantPriceSeries *
sextant_csv_parse_price_series (const char  *text,
                                gsize        length,
                                const char  *symbol,
                                GError     **error)
{
  g_return_val_if_fail (text != NULL, NULL);

  return parse_price_series (text, length, symbol, error);
}

/* A column is found by its name (`--weights MSFT=…`, `--benchmark SPX`): with two of the same
 * name the first would silently stand for both. */
static gboolean
check_unique_names (GPtrArray  *names,
                    GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < names->len && g_ptr_array_index (names, i) != NULL; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      gpointer first;

      if (g_hash_table_lookup_extended (seen, name, NULL, &first))
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                       "Line 1: the column “%s” appears twice (price columns %u and %u); "
                       "each instrument needs a column of its own name",
                       name, GPOINTER_TO_UINT (first) + 1, i + 1);
          return FALSE;
        }
      g_hash_table_insert (seen, (gpointer) name, GUINT_TO_POINTER (i));
    }

  return TRUE;
}

static SextantPriceTable *
parse_price_table (const char  *text,
                   gsize        length,
                   GError     **error)
{
  g_auto(Reader) reader = { 0 };
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) row_days = g_array_new (FALSE, FALSE, sizeof (RowDay));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint *order = NULL;
  SextantPriceTable *table;
  gint32 *days;
  int date_col, n;

  if (!reader_open (&reader, text, length, error))
    return NULL;
  date_col = find_date_header (&reader);
  if (date_col < 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line %d: the header needs a “date” column", reader.line);
      return NULL;
    }
  if (!choose_date_format (&reader, date_col, error))
    return NULL;
  for (int i = 0; i < reader.n_header; i++)
    if (i != date_col)
      {
        g_ptr_array_add (names, reader.names[i]);
        g_array_append_val (columns, i);
      }
  g_ptr_array_add (names, NULL);
  if (columns->len == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line %d: the header names no price column", reader.line);
      return NULL;
    }
  if (!check_unique_names (names, error))
    return NULL;

  while ((n = reader_next (&reader, error)) > 0)
    {
      RowDay row_day = { 0, row_days->len, reader.line };

      if (!check_row_width (&reader, n, error) ||
          !parse_date_field (&reader, &reader.fields[date_col], &row_day.day, error))
        return NULL;
      for (guint c = 0; c < columns->len; c++)
        {
          SextantCsvField *field = &reader.fields[g_array_index (columns, int, c)];
          double value;

          if (!parse_number (&reader, field, &value))
            {
              g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                           "Line %d: %s “%.*s” is not a number", reader.line,
                           (const char *) g_ptr_array_index (names, c),
                           (int) MIN (field->length, 40), field->start);
              return NULL;
            }
          g_array_append_val (values, value);
        }
      g_array_append_val (row_days, row_day);
    }
  if (n < 0)
    return NULL;
  date_order (row_days, &order);

  table = sextant_price_table_new (row_days->len, (const char * const *) names->pdata);
  days = sextant_price_table_get_days_mutable (table);
  for (guint c = 0; c < columns->len; c++)
    {
      double *column = sextant_price_table_get_column_mutable (table, c);

      for (guint r = 0; r < row_days->len; r++)
        column[r] = g_array_index (values, double,
                                   (order != NULL ? order[r] : r) * columns->len + c);
    }
  for (guint r = 0; r < row_days->len; r++)
    days[r] = g_array_index (row_days, RowDay, order != NULL ? order[r] : r).day;

  return table;
}

/**
 * sextant_csv_parse_price_table:
 * @text: CSV text: a date column, then one column of closes per instrument
 * @length: length of @text
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the line
 *
 * Read as sextant_csv_parse_price_series() reads.
 *
 * Returns: (transfer full): the table, or %NULL
 */
SextantPriceTable *
sextant_csv_parse_price_table (const char  *text,
                               gsize        length,
                               GError     **error)
{
  g_return_val_if_fail (text != NULL, NULL);

  return parse_price_table (text, length, error);
}

/* UTF-16 converted, other bytes that are not UTF-8 replaced (sextant_csv_text_to_utf8()). */
static void
repair_text (char  **text,
             gsize  *length)
{
  gsize valid_length = 0;
  char *valid = sextant_csv_text_to_utf8 (*text, *length, &valid_length);

  if (valid == NULL)
    return;
  g_free (*text);
  *text = valid;
  *length = valid_length;
}

SextantPriceSeries *
sextant_csv_read_price_series (const char  *path,
                               const char  *symbol,
                               GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  repair_text (&text, &length);

  return parse_price_series (text, length, symbol, error);
}

SextantPriceTable *
sextant_csv_read_price_table (const char  *path,
                              GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  repair_text (&text, &length);

  return parse_price_table (text, length, error);
}
