#define G_LOG_DOMAIN "sextant-csv-reader"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-csv-reader.h"
#include "market/sextant-market-error.h"

/* Splits @text into non-empty lines, keeping 1-based line numbers for error messages. Windows line
 * endings and a trailing line without newline are both common in exported files. */
static GPtrArray *
split_lines (const char *text,
             gsize       length,
             GArray     *line_numbers)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;
  const char *end = text + length;
  int number = 0;

  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *stop = eol != NULL ? eol : end;
      gsize len = stop - p;

      number++;
      if (len > 0 && p[len - 1] == '\r')
        len--;
      if (len > 0)
        {
          g_ptr_array_add (lines, g_strndup (p, len));
          g_array_append_val (line_numbers, number);
        }
      p = stop + 1;
    }

  return lines;
}

static gboolean
parse_number (const char *field,
              double     *value)
{
  char *end = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (field));

  if (*trimmed == '\0' || g_ascii_strcasecmp (trimmed, "NA") == 0 ||
      g_ascii_strcasecmp (trimmed, "null") == 0 || g_ascii_strcasecmp (trimmed, "NaN") == 0)
    {
      *value = NAN;
      return TRUE;
    }

  *value = g_ascii_strtod (trimmed, &end);
  return end != trimmed && *end == '\0';
}

static int
find_header (char       **header,
             const char  *name)
{
  for (int i = 0; header[i] != NULL; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (header[i]));

      if (g_ascii_strcasecmp (trimmed, name) == 0)
        return i;
    }

  return -1;
}

static gboolean
parse_date_field (const char  *field,
                  int          line,
                  gint32      *day,
                  GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (field));

  if (!sextant_day_parse_iso (trimmed, day))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "Line %d: “%s” is not a date in YYYY-MM-DD form", line, trimmed);
      return FALSE;
    }

  return TRUE;
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
  static const char *names[] = { "open", "high", "low", "close", "volume" };
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  g_auto(GStrv) header = NULL;
  int date_col, cols[5];

  g_return_val_if_fail (text != NULL, NULL);

  lines = split_lines (text, length, numbers);
  if (lines->len == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER, "The file is empty");
      return NULL;
    }

  header = g_strsplit (g_ptr_array_index (lines, 0), ",", -1);
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
      g_auto(GStrv) fields = g_strsplit (g_ptr_array_index (lines, r), ",", -1);
      int line = g_array_index (numbers, int, r);
      guint n_fields = g_strv_length (fields);
      double v[5];
      gint32 day;

      if (n_fields != g_strv_length (header))
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "Line %d: %u fields where the header has %u", line, n_fields,
                       g_strv_length (header));
          return NULL;
        }
      if (!parse_date_field (fields[date_col], line, &day, error))
        return NULL;
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          v[i] = NAN;
          if (cols[i] >= 0 && !parse_number (fields[cols[i]], &v[i]))
            {
              g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                           "Line %d: %s “%s” is not a number", line, names[i], fields[cols[i]]);
              return NULL;
            }
        }
      sextant_price_series_set_row (series, r - 1, day, v[0], v[1], v[2], v[3], v[4]);
    }

  return g_steal_pointer (&series);
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
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SextantPriceTable) table = NULL;
  g_auto(GStrv) header = NULL;
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (int));
  int date_col;
  gint32 *days;

  g_return_val_if_fail (text != NULL, NULL);

  lines = split_lines (text, length, numbers);
  if (lines->len == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER, "The file is empty");
      return NULL;
    }

  header = g_strsplit (g_ptr_array_index (lines, 0), ",", -1);
  date_col = find_header (header, "date");
  if (date_col < 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line 1: the header needs a “date” column");
      return NULL;
    }
  for (int i = 0; header[i] != NULL; i++)
    if (i != date_col)
      {
        g_ptr_array_add (names, g_strstrip (g_strdup (header[i])));
        g_array_append_val (columns, i);
      }
  g_ptr_array_add (names, NULL);
  if (columns->len == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line 1: the header names no price column");
      return NULL;
    }

  table = sextant_price_table_new (lines->len - 1, (const char * const *) names->pdata);
  days = sextant_price_table_get_days_mutable (table);
  for (guint r = 1; r < lines->len; r++)
    {
      g_auto(GStrv) fields = g_strsplit (g_ptr_array_index (lines, r), ",", -1);
      int line = g_array_index (numbers, int, r);

      if (g_strv_length (fields) != g_strv_length (header))
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "Line %d: %u fields where the header has %u", line,
                       g_strv_length (fields), g_strv_length (header));
          return NULL;
        }
      if (!parse_date_field (fields[date_col], line, &days[r - 1], error))
        return NULL;
      for (guint c = 0; c < columns->len; c++)
        {
          const char *field = fields[g_array_index (columns, int, c)];
          double *column = sextant_price_table_get_column_mutable (table, c);

          if (!parse_number (field, &column[r - 1]))
            {
              g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                           "Line %d: %s “%s” is not a number", line,
                           (const char *) g_ptr_array_index (names, c), field);
              return NULL;
            }
        }
    }

  return g_steal_pointer (&table);
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

  return sextant_csv_parse_price_series (text, length, symbol, error);
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

  return sextant_csv_parse_price_table (text, length, error);
}
