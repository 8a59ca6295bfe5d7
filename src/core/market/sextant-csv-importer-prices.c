#define G_LOG_DOMAIN "sextant-csv-importer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-csv-importer-private.h"
#include "market/sextant-market-error.h"

/* A second row for the same instrument and date would silently replace the first in the cache;
 * it is rejected instead, naming the line that came first. @symbol is %NULL for a wide row,
 * whose date stands for every column at once. */
static gboolean
is_duplicate_row (SextantCsvImporter *self,
                  const char         *symbol,
                  gint32              day,
                  int                 line)
{
  gpointer id = NULL;
  gint64 key;
  int first;
  g_autofree char *date = NULL;

  if (symbol != NULL && !g_hash_table_lookup_extended (self->symbol_ids, symbol, NULL, &id))
    {
      id = GUINT_TO_POINTER (g_hash_table_size (self->symbol_ids) + 1);
      g_hash_table_insert (self->symbol_ids, g_strdup (symbol), id);
    }
  key = ((gint64) GPOINTER_TO_UINT (id) << 32) | (guint32) day;
  first = GPOINTER_TO_INT (g_hash_table_lookup (self->seen_rows, &key));
  if (first == 0)
    {
      g_hash_table_insert (self->seen_rows, g_memdup2 (&key, sizeof key), GINT_TO_POINTER (line));
      return FALSE;
    }

  date = sextant_day_format_iso (day);
  if (symbol != NULL)
    _sextant_csv_importer_reject (self, line, "%s on %s is already on line %d", symbol, date, first);
  else
    _sextant_csv_importer_reject (self, line, "%s is already on line %d", date, first);

  return TRUE;
}

/* One row of a single-instrument or long file. */
static gboolean
import_bar_row (SextantCsvImporter  *self,
                SextantMarketCache  *cache,
                int                  line,
                gint32               day,
                gsize               *n_bars,
                GError             **error)
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
          return TRUE;
        }
      memcpy (symbol, field->start, field->length);
      symbol[field->length] = '\0';
    }
  else
    g_strlcpy (symbol, self->symbol, sizeof symbol);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (!_sextant_csv_importer_read_value (self, line, self->columns[order[i]], symbol, &v[i]))
      return TRUE;
  if (is_duplicate_row (self, symbol, day, line))
    return TRUE;
  if (!sextant_market_cache_import_bar (cache, symbol, day, v[0], v[1], v[2], v[3], v[4], error))
    return FALSE;
  (*n_bars)++;

  return TRUE;
}

static gboolean
import_wide_row (SextantCsvImporter  *self,
                 SextantMarketCache  *cache,
                 int                  line,
                 gint32               day,
                 double              *values,
                 gsize               *n_bars,
                 GError             **error)
{
  guint n = self->roles->len;

  /* Read the whole row first: a broken cell rejects the row, not half of it. */
  for (guint c = 0; c < n; c++)
    if (g_array_index (self->roles, SextantCsvRole, c) == SEXTANT_CSV_ROLE_SYMBOL_CLOSE &&
        !_sextant_csv_importer_read_value (self, line, c, g_ptr_array_index (self->names, c), &values[c]))
      return TRUE;
  if (is_duplicate_row (self, NULL, day, line))
    return TRUE;
  for (guint c = 0; c < n; c++)
    if (g_array_index (self->roles, SextantCsvRole, c) == SEXTANT_CSV_ROLE_SYMBOL_CLOSE)
      {
        if (!sextant_market_cache_import_bar (cache, g_ptr_array_index (self->names, c), day,
                                              NAN, NAN, NAN, values[c], NAN, error))
          return FALSE;
        (*n_bars)++;
      }

  return TRUE;
}

static gboolean
import_line (SextantCsvImporter  *self,
             SextantMarketCache  *cache,
             const char          *text,
             gsize                length,
             int                  line,
             double              *values,
             gsize               *n_bars,
             GError             **error)
{
  int n = sextant_csv_split_line (text, length, self->delimiter, self->fields, MAX_COLUMNS,
                                  self->scratch);
  gint32 day;

  if (n < 0)
    {
      _sextant_csv_importer_reject (self, line, "unterminated quote");
      return TRUE;
    }
  if (n != (int) self->roles->len)
    {
      _sextant_csv_importer_reject (self, line, "%d fields where the header has %u", n, self->roles->len);
      return TRUE;
    }
  if (!_sextant_csv_importer_read_date (self, line, &day))
    return TRUE;
  if (self->layout == SEXTANT_CSV_LAYOUT_WIDE)
    return import_wide_row (self, cache, line, day, values, n_bars, error);

  return import_bar_row (self, cache, line, day, n_bars, error);
}

/**
 * sextant_csv_importer_import_prices:
 * @self: an importer of a price file
 * @cache: where the bars go, with provider `csv`
 * @n_bars: (out) (optional): how many bars were written
 * @error: return location
 *
 * Imports every readable row in one transaction. Broken rows are rejected with their line and
 * reason (see sextant_csv_importer_get_rejected()) and do not stop the import; missing values
 * are kept as NaN and listed as gaps. Nothing is dropped without a report.
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
  int line;
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
  if (!sextant_market_cache_begin_import (cache, "csv", g_get_real_time () / G_USEC_PER_SEC, error))
    return FALSE;
  for (cursor = self->body, line = self->body_line;
       sextant_csv_next_line (&cursor, self->end, &text, &length); line++)
    if (length > 0 && !import_line (self, cache, text, length, line, values, &count, error))
      {
        sextant_market_cache_abort_import (cache);
        return FALSE;
      }
  if (!sextant_market_cache_commit_import (cache, error))
    return FALSE;
  if (n_bars != NULL)
    *n_bars = count;

  return TRUE;
}
