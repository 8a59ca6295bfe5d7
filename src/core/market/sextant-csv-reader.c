#define G_LOG_DOMAIN "sextant-csv-reader"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-csv-reader.h"
#include "market/sextant-market-error.h"

/* The demo data is read at every start-up (5,105 index rows, 2,530 rows of 30 closes), so the
 * reader works in one mutable copy of the text: lines and fields are cut in place with NULs
 * instead of being copied one by one. */

/* Cuts @text into non-empty lines, keeping 1-based line numbers for error messages. Windows line
 * endings and a trailing line without newline are both common in exported files. */
static GPtrArray *
split_lines (char   *text,
             gsize   length,
             GArray *line_numbers)
{
  GPtrArray *lines = g_ptr_array_sized_new (length / 40 + 1);
  char *p = text;
  char *end = text + length;
  int number = 0;

  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  while (p < end)
    {
      char *eol = memchr (p, '\n', end - p);
      char *stop = eol != NULL ? eol : end;
      gsize len = stop - p;

      number++;
      if (len > 0 && p[len - 1] == '\r')
        len--;
      p[len] = '\0';
      if (len > 0)
        {
          g_ptr_array_add (lines, p);
          g_array_append_val (line_numbers, number);
        }
      p = stop + 1;
    }

  return lines;
}

/* Cuts @line at each comma into @fields, which it empties first; returns the number of fields. */
static guint
split_fields (char      *line,
              GPtrArray *fields)
{
  char *p = line;

  g_ptr_array_set_size (fields, 0);
  for (;;)
    {
      char *comma = strchr (p, ',');

      g_ptr_array_add (fields, p);
      if (comma == NULL)
        break;
      *comma = '\0';
      p = comma + 1;
    }

  return fields->len;
}

/* Like g_strstrip(), without moving the text: returns where it starts. */
static char *
trim (char *field)
{
  char *end;

  while (g_ascii_isspace (*field))
    field++;
  end = field + strlen (field);
  while (end > field && g_ascii_isspace (end[-1]))
    *--end = '\0';

  return field;
}

/* Plain decimals ("1469.250000", "-0.5") of at most 15 significant digits and 22 decimals are
 * an integer below 2^53 over an exact power of ten: one division, correctly rounded, gives the
 * same double as strtod() (Clinger's fast path) at a fraction of its cost. Anything else
 * (exponents, longer numbers, junk) returns FALSE and goes to g_ascii_strtod(). */
static gboolean
parse_plain_decimal (const char *text,
                     double     *value)
{
  static const double powers[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  };
  const char *p = text;
  gboolean negative = FALSE;
  guint64 mantissa = 0;
  int digits = 0, decimals = 0, seen = 0;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  for (; g_ascii_isdigit (*p); p++, seen++)
    if (mantissa != 0 || *p != '0')
      {
        mantissa = mantissa * 10 + (*p - '0');
        digits++;
      }
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++, seen++, decimals++)
      if (mantissa != 0 || *p != '0')
        {
          mantissa = mantissa * 10 + (*p - '0');
          digits++;
        }
  if (*p != '\0' || seen == 0 || digits > 15 || decimals >= (int) G_N_ELEMENTS (powers))
    return FALSE;

  *value = (negative ? -(double) mantissa : (double) mantissa) / powers[decimals];
  return TRUE;
}

static gboolean
parse_number (char   *field,
              double *value)
{
  char *end = NULL;
  char *trimmed = trim (field);

  if (*trimmed == '\0' || g_ascii_strcasecmp (trimmed, "NA") == 0 ||
      g_ascii_strcasecmp (trimmed, "null") == 0 || g_ascii_strcasecmp (trimmed, "NaN") == 0)
    {
      *value = NAN;
      return TRUE;
    }
  if (parse_plain_decimal (trimmed, value))
    return TRUE;

  *value = g_ascii_strtod (trimmed, &end);
  return end != trimmed && *end == '\0';
}

static int
find_header (GPtrArray  *header,
             const char *name)
{
  for (guint i = 0; i < header->len; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (g_ptr_array_index (header, i)));

      if (g_ascii_strcasecmp (trimmed, name) == 0)
        return i;
    }

  return -1;
}

static gboolean
parse_date_field (char        *field,
                  int          line,
                  gint32      *day,
                  GError     **error)
{
  char *trimmed = trim (field);

  if (!sextant_day_parse_iso (trimmed, day))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "Line %d: “%s” is not a date in YYYY-MM-DD form", line, trimmed);
      return FALSE;
    }

  return TRUE;
}

static SextantPriceSeries *
parse_price_series (char        *text,
                    gsize        length,
                    const char  *symbol,
                    GError     **error)
{
  static const char *names[] = { "open", "high", "low", "close", "volume" };
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) header = g_ptr_array_new ();
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(SextantPriceSeries) series = NULL;
  int date_col, cols[5];

  lines = split_lines (text, length, numbers);
  if (lines->len == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER, "The file is empty");
      return NULL;
    }

  split_fields (g_ptr_array_index (lines, 0), header);
  date_col = find_header (header, "date");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    cols[i] = find_header (header, names[i]);
  if (date_col < 0 || cols[3] < 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line 1: the header needs a “date” and a “close” column");
      return NULL;
    }

  series = sextant_price_series_new (symbol, lines->len - 1);
  for (guint r = 1; r < lines->len; r++)
    {
      guint n_fields = split_fields (g_ptr_array_index (lines, r), fields);
      int line = g_array_index (numbers, int, r);
      double v[5];
      gint32 day;

      if (n_fields != header->len)
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "Line %d: %u fields where the header has %u", line, n_fields, header->len);
          return NULL;
        }
      if (!parse_date_field (g_ptr_array_index (fields, date_col), line, &day, error))
        return NULL;
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          v[i] = NAN;
          if (cols[i] >= 0 && !parse_number (g_ptr_array_index (fields, cols[i]), &v[i]))
            {
              g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                           "Line %d: %s “%s” is not a number", line, names[i],
                           trim (g_ptr_array_index (fields, cols[i])));
              return NULL;
            }
        }
      sextant_price_series_set_row (series, r - 1, day, v[0], v[1], v[2], v[3], v[4]);
    }

  return g_steal_pointer (&series);
}

/**
 * sextant_csv_parse_price_series:
 * @text: CSV text with a header naming date, open, high, low, close and volume (any case)
 * @length: length of @text
 * @symbol: the symbol to give the series
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the line
 *
 * Only `date` and `close` are required; missing OHLV columns stay NaN. Empty and `NA` fields are
 * NaN: whether a gap is acceptable is for the analysis to decide, not the reader.
 *
 * Returns: (transfer full): the series, or %NULL
 */
SextantPriceSeries *
sextant_csv_parse_price_series (const char  *text,
                                gsize        length,
                                const char  *symbol,
                                GError     **error)
{
  g_autofree char *copy = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  copy = g_strndup (text, length);

  return parse_price_series (copy, length, symbol, error);
}

static gboolean
parse_table_rows (GPtrArray          *lines,
                  GArray             *numbers,
                  guint               n_header,
                  int                 date_col,
                  GArray             *columns,
                  GPtrArray          *names,
                  SextantPriceTable  *table,
                  GError            **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  gint32 *days = sextant_price_table_get_days_mutable (table);

  for (guint r = 1; r < lines->len; r++)
    {
      guint n_fields = split_fields (g_ptr_array_index (lines, r), fields);
      int line = g_array_index (numbers, int, r);

      if (n_fields != n_header)
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "Line %d: %u fields where the header has %u", line, n_fields, n_header);
          return FALSE;
        }
      if (!parse_date_field (g_ptr_array_index (fields, date_col), line, &days[r - 1], error))
        return FALSE;
      for (guint c = 0; c < columns->len; c++)
        {
          char *field = g_ptr_array_index (fields, g_array_index (columns, int, c));
          double *column = sextant_price_table_get_column_mutable (table, c);

          if (!parse_number (field, &column[r - 1]))
            {
              g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                           "Line %d: %s “%s” is not a number", line,
                           (const char *) g_ptr_array_index (names, c), trim (field));
              return FALSE;
            }
        }
    }

  return TRUE;
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
parse_price_table (char        *text,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) header = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SextantPriceTable) table = NULL;
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (int));
  int date_col;

  lines = split_lines (text, length, numbers);
  if (lines->len == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER, "The file is empty");
      return NULL;
    }

  split_fields (g_ptr_array_index (lines, 0), header);
  date_col = find_header (header, "date");
  if (date_col < 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line 1: the header needs a “date” column");
      return NULL;
    }
  for (int i = 0; i < (int) header->len; i++)
    if (i != date_col)
      {
        g_ptr_array_add (names, g_strstrip (g_strdup (g_ptr_array_index (header, i))));
        g_array_append_val (columns, i);
      }
  g_ptr_array_add (names, NULL);
  if (columns->len == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line 1: the header names no price column");
      return NULL;
    }
  if (!check_unique_names (names, error))
    return NULL;

  table = sextant_price_table_new (lines->len - 1, (const char * const *) names->pdata);
  if (!parse_table_rows (lines, numbers, header->len, date_col, columns, names, table, error))
    return NULL;

  return g_steal_pointer (&table);
}

/**
 * sextant_csv_parse_price_table:
 * @text: CSV text: a date column, then one column of closes per instrument
 * @length: length of @text
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the line
 *
 * Returns: (transfer full): the table, or %NULL
 */
SextantPriceTable *
sextant_csv_parse_price_table (const char  *text,
                               gsize        length,
                               GError     **error)
{
  g_autofree char *copy = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  copy = g_strndup (text, length);

  return parse_price_table (copy, length, error);
}

/* A file saved in another encoding (a header “Caf\xe9” in Latin-1) has bytes that are not UTF-8;
 * numbers and dates are ASCII, so only its names change: each bad byte becomes U+FFFD, and no
 * column name or symbol that is not UTF-8 reaches the JSON output or the database. */
static void
repair_text (char  **text,
             gsize  *length)
{
  char *valid;

  if (g_utf8_validate_len (*text, *length, NULL))
    return;
  valid = g_utf8_make_valid (*text, *length);
  g_free (*text);
  *text = valid;
  *length = strlen (valid);
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
