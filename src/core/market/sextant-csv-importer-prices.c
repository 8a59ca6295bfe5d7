#define G_LOG_DOMAIN "sextant-csv-importer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-csv-importer-private.h"
#include "market/sextant-market-error.h"

/* A small number per symbol: pending bars and duplicate keys carry it instead of the string. */
guint32
_sextant_csv_importer_symbol_id (SextantCsvImporter *self,
                                 const char         *symbol)
{
  gpointer id = NULL;

  if (!g_hash_table_lookup_extended (self->symbol_ids, symbol, NULL, &id))
    {
      id = GUINT_TO_POINTER (g_hash_table_size (self->symbol_ids) + 1);
      g_hash_table_insert (self->symbol_ids, g_strdup (symbol), id);
      g_ptr_array_add (self->bar_symbols, g_strdup (symbol));
    }

  return GPOINTER_TO_UINT (id);
}

/* A second row for the same instrument and date (and time, in an intraday file) would silently
 * replace the first, or be added to it; it is rejected instead, naming the line that came first.
 * @symbol is %NULL for a wide row, whose date stands for every column at once. */
static gboolean
is_duplicate_row (SextantCsvImporter *self,
                  const char         *symbol,
                  gint32              day,
                  int                 seconds,
                  int                 line)
{
  guint32 id = symbol != NULL ? _sextant_csv_importer_symbol_id (self, symbol) : 0;
  gint64 key;
  int first;
  g_autofree char *date = NULL;

  if (self->intraday)
    key = ((gint64) id << 40) | ((gint64) ((day + (1 << 21)) & 0x3fffff) << 17) |
          (gint64) (seconds + 1);
  else
    key = ((gint64) id << 32) | (guint32) day;
  first = GPOINTER_TO_INT (g_hash_table_lookup (self->seen_rows, &key));
  if (first == 0)
    {
      g_hash_table_insert (self->seen_rows, g_memdup2 (&key, sizeof key), GINT_TO_POINTER (line));
      return FALSE;
    }

  date = sextant_day_format_iso (day);
  if (self->intraday)
    {
      g_autofree char *stamp = g_strdup_printf ("%s %02d:%02d:%02d", date, seconds / 3600,
                                                seconds / 60 % 60, seconds % 60);

      g_free (date);
      date = g_steal_pointer (&stamp);
    }
  if (symbol != NULL)
    _sextant_csv_importer_reject (self, line, "%s on %s is already on line %d", symbol, date, first);
  else
    _sextant_csv_importer_reject (self, line, "%s is already on line %d", date, first);

  return TRUE;
}

/* Keeps the larger (@larger) or smaller of *@into and @value, a NaN counting as no value. */
static void
keep_extreme (double   *into,
              double    value,
              gboolean  larger)
{
  if (!isnan (value) && (isnan (*into) || (larger ? value > *into : value < *into)))
    *into = value;
}

/* Several rows of one day become its daily bar: the open of the earliest row, the highest high,
 * the lowest low, the close of the latest row and the summed volume (rows without an open or a
 * close skipped for those). Rows may come in any order (newest first too). */
static void
add_to_day (SextantCsvImporter *self,
            guint32             id,
            gint32              day,
            int                 seconds,
            const double        v[5])
{
  gint64 key = ((gint64) id << 32) | (guint32) day;
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->day_bars, &key));
  PendingBar *bar;

  if (index == 0)
    {
      PendingBar fresh = { id, day, seconds, seconds, { v[0], v[1], v[2], v[3], v[4] } };

      g_array_append_val (self->pending, fresh);
      g_hash_table_insert (self->day_bars, g_memdup2 (&key, sizeof key),
                           GUINT_TO_POINTER (self->pending->len));
      return;
    }
  bar = &g_array_index (self->pending, PendingBar, index - 1);
  /* A row without an open or close (a gap) does not give the day's. */
  if (!isnan (v[0]) && (seconds < bar->first_time || isnan (bar->v[0])))
    {
      bar->first_time = seconds;
      bar->v[0] = v[0];
    }
  if (!isnan (v[3]) && (seconds > bar->last_time || isnan (bar->v[3])))
    {
      bar->last_time = seconds;
      bar->v[3] = v[3];
    }
  keep_extreme (&bar->v[1], v[1], TRUE);
  keep_extreme (&bar->v[2], v[2], FALSE);
  if (!isnan (v[4]))
    bar->v[4] = isnan (bar->v[4]) ? v[4] : bar->v[4] + v[4];
}

/* Writes the parsed bars in transactions of at most IMPORT_BATCH_BARS bars. */
static gboolean
write_pending (SextantCsvImporter  *self,
               SextantMarketCache  *cache,
               gint64               fetched_at,
               GError             **error)
{
  for (guint start = 0; start < self->pending->len; start += IMPORT_BATCH_BARS)
    {
      guint stop = MIN (self->pending->len, start + IMPORT_BATCH_BARS);

      if (!sextant_market_cache_begin_import (cache, "csv", fetched_at, error))
        return FALSE;
      for (guint i = start; i < stop; i++)
        {
          const PendingBar *bar = &g_array_index (self->pending, PendingBar, i);
          const char *symbol = g_ptr_array_index (self->bar_symbols, bar->symbol - 1);

          if (!sextant_market_cache_import_bar (cache, symbol, bar->day, bar->v[0], bar->v[1],
                                                bar->v[2], bar->v[3], bar->v[4], error))
            {
              sextant_market_cache_abort_import (cache);
              return FALSE;
            }
        }
      if (!sextant_market_cache_commit_import (cache, error))
        return FALSE;
    }
  g_array_set_size (self->pending, 0);

  return TRUE;
}

static void
add_bar (SextantCsvImporter *self,
         guint32             id,
         gint32              day,
         int                 seconds,
         const double        v[5])
{
  if (self->intraday)
    add_to_day (self, id, day, seconds, v);
  else
    {
      PendingBar bar = { id, day, -1, -1, { v[0], v[1], v[2], v[3], v[4] } };

      g_array_append_val (self->pending, bar);
    }
}

/* One row of a single-instrument or long file. */
static void
read_bar_row (SextantCsvImporter *self,
              int                 line,
              gint32              day,
              int                 seconds)
{
  static const SextantCsvRole order[] = { SEXTANT_CSV_ROLE_OPEN, SEXTANT_CSV_ROLE_HIGH,
                                          SEXTANT_CSV_ROLE_LOW, SEXTANT_CSV_ROLE_CLOSE,
                                          SEXTANT_CSV_ROLE_VOLUME };
  char symbol[64];
  double v[5];

  if (self->layout == SEXTANT_CSV_LAYOUT_LONG)
    {
      SextantCsvField *field = &self->fields[self->columns[SEXTANT_CSV_ROLE_SYMBOL]];

      if (field->length == 0 || field->length >= sizeof symbol)
        {
          _sextant_csv_importer_reject (self, line, field->length == 0 ? "no symbol" : "symbol longer than 63 bytes");
          return;
        }
      memcpy (symbol, field->start, field->length);
      symbol[field->length] = '\0';
    }
  else
    g_strlcpy (symbol, self->symbol, sizeof symbol);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (!_sextant_csv_importer_read_value (self, line, self->columns[order[i]], symbol, &v[i]))
      return;
  if (v[1] < v[2])
    {
      _sextant_csv_importer_reject (self, line, "the high (%g) is below the low (%g)", v[1], v[2]);
      return;
    }
  if (is_duplicate_row (self, symbol, day, seconds, line))
    return;
  add_bar (self, _sextant_csv_importer_symbol_id (self, symbol), day, seconds, v);
}

static void
read_wide_row (SextantCsvImporter *self,
               int                 line,
               gint32              day,
               int                 seconds,
               double             *values)
{
  guint n = self->roles->len;

  /* Read the whole row first: a broken cell rejects the row, not half of it. */
  for (guint c = 0; c < n; c++)
    if (g_array_index (self->roles, SextantCsvRole, c) == SEXTANT_CSV_ROLE_SYMBOL_CLOSE &&
        !_sextant_csv_importer_read_value (self, line, c, g_ptr_array_index (self->names, c), &values[c]))
      return;
  if (is_duplicate_row (self, NULL, day, seconds, line))
    return;
  for (guint c = 0; c < n; c++)
    if (g_array_index (self->roles, SextantCsvRole, c) == SEXTANT_CSV_ROLE_SYMBOL_CLOSE)
      {
        double v[5] = { NAN, NAN, NAN, values[c], NAN };

        add_bar (self, _sextant_csv_importer_symbol_id (self, g_ptr_array_index (self->names, c)),
                 day, seconds, v);
      }
}

static void
read_record (SextantCsvImporter *self,
             const char         *text,
             gsize               length,
             int                 line,
             int                 n_lines,
             double             *values)
{
  int bad_field = 0;
  int n = sextant_csv_split_record (text, length, self->delimiter, self->fields, MAX_COLUMNS,
                                    self->scratch, &bad_field);
  g_autofree char *span = NULL;
  gint32 day;
  int seconds;

  /* A record over several lines is a quoted line break, or a stray quote that swallowed the
   * lines up to the next one: when it does not read, those lines are named, not lost without a
   * word. */
  if (n_lines > 1)
    span = g_strdup_printf ("a quoted field runs to line %d (a stray quote?); ",
                            line + n_lines - 1);
  if (n == SEXTANT_CSV_UNTERMINATED_QUOTE)
    {
      _sextant_csv_importer_reject (self, line, "unterminated quote");
      return;
    }
  if (n == SEXTANT_CSV_TEXT_AFTER_QUOTE)
    {
      _sextant_csv_importer_reject (self, line, "%scolumn %d (“%s”): text after the closing quote",
                                    span != NULL ? span : "", bad_field + 1,
                                    bad_field < (int) self->names->len
                                    ? (const char *) g_ptr_array_index (self->names, bad_field) : "");
      return;
    }
  if (n != (int) self->roles->len)
    {
      _sextant_csv_importer_reject (self, line, "%s%d fields where the header has %u",
                                    span != NULL ? span : "", n, self->roles->len);
      return;
    }
  if (!_sextant_csv_importer_read_date (self, line, &day, &seconds))
    return;
  if (self->intraday && seconds < 0)
    {
      _sextant_csv_importer_reject (self, line,
                                    "no time of day, in a file with several rows per day");
      return;
    }
  if (self->layout == SEXTANT_CSV_LAYOUT_WIDE)
    read_wide_row (self, line, day, seconds, values);
  else
    read_bar_row (self, line, day, seconds);
}

/**
 * sextant_csv_importer_import_prices:
 * @self: an importer of a price file
 * @cache: where the bars go, with provider `csv`
 * @n_bars: (out) (optional): how many bars were written
 * @error: return location
 *
 * Imports every readable row. Broken rows are rejected with their line and reason (see
 * sextant_csv_importer_get_rejected()) and do not stop the import; missing values are kept as NaN
 * and listed as gaps, and never replace a price the cache has. Nothing is dropped without a
 * report. Intraday files (sextant_csv_importer_get_intraday()) become daily bars.
 *
 * The file is read outside any transaction and written in transactions of a bounded number of
 * bars, so that another writer of the database waits milliseconds, not the whole import. If
 * writing fails, the batches written before stay.
 *
 * Returns: %TRUE if the readable rows were stored (check the rejected rows)
 */
gboolean
sextant_csv_importer_import_prices (SextantCsvImporter  *self,
                                    SextantMarketCache  *cache,
                                    gsize               *n_bars,
                                    GError             **error)
{
  g_autofree double *values = NULL;
  const char *cursor, *text;
  gint64 fetched_at = g_get_real_time () / G_USEC_PER_SEC;
  int line, n_lines = 1;
  gsize length, count = 0;

  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), FALSE);
  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (cache), FALSE);

  if (self->layout == SEXTANT_CSV_LAYOUT_HOLDINGS)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "This file holds holdings, not prices; import it into a portfolio");
      return FALSE;
    }
  if (self->layout == SEXTANT_CSV_LAYOUT_SINGLE && (self->symbol == NULL || *self->symbol == '\0'))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "The file has no symbol column; say which instrument it holds");
      return FALSE;
    }

  values = g_new0 (double, self->roles->len);
  g_array_set_size (self->rejected, 0);
  g_array_set_size (self->gaps, 0);
  g_hash_table_remove_all (self->symbol_ids);
  g_hash_table_remove_all (self->seen_rows);
  g_hash_table_remove_all (self->day_bars);
  g_ptr_array_set_size (self->bar_symbols, 0);
  g_array_set_size (self->pending, 0);
  for (cursor = self->body, line = self->body_line;
       sextant_csv_next_record (&cursor, self->end, self->delimiter, &text, &length, &n_lines);
       line += n_lines)
    {
      if (length > 0)
        read_record (self, text, length, line, n_lines, values);
      /* Daily rows go out batch by batch as they are read; intraday rows wait for their days. */
      if (!self->intraday && self->pending->len >= IMPORT_BATCH_BARS)
        {
          count += self->pending->len;
          if (!write_pending (self, cache, fetched_at, error))
            return FALSE;
        }
    }
  count += self->pending->len;
  if (!write_pending (self, cache, fetched_at, error))
    return FALSE;
  if (n_bars != NULL)
    *n_bars = count;

  return TRUE;
}
