#define G_LOG_DOMAIN "sextant-price-table"

#include "config.h"

#include <math.h>
#include <string.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-price-table.h"

struct _SextantPriceTable
{
  gsize    n_rows;
  gsize    n_columns;
  char   **names;
  gint32  *days;
  double  *values;
};

G_DEFINE_BOXED_TYPE (SextantPriceTable, sextant_price_table,
                     sextant_price_table_ref, sextant_price_table_unref)

/**
 * sextant_price_table_new:
 * @n_rows: number of dates
 * @column_names: (array zero-terminated=1): one name per instrument
 *
 * Returns: (transfer full): a table whose values are all NaN and dates all 0
 */
SextantPriceTable *
sextant_price_table_new (gsize               n_rows,
                         const char * const *column_names)
{
  SextantPriceTable *self;
  gsize cells;

  g_return_val_if_fail (column_names != NULL, NULL);

  self = g_atomic_rc_box_new0 (SextantPriceTable);
  self->n_rows = n_rows;
  self->n_columns = g_strv_length ((char **) column_names);
  self->names = g_strdupv ((char **) column_names);
  self->days = g_new0 (gint32, MAX (n_rows, 1));
  cells = MAX (n_rows * self->n_columns, 1);
  self->values = g_new (double, cells);
  for (gsize i = 0; i < cells; i++)
    self->values[i] = NAN;

  return self;
}

SextantPriceTable *
sextant_price_table_ref (SextantPriceTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
sextant_price_table_clear (gpointer data)
{
  SextantPriceTable *self = data;

  g_strfreev (self->names);
  g_free (self->days);
  g_free (self->values);
}

void
sextant_price_table_unref (SextantPriceTable *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, sextant_price_table_clear);
}

gsize
sextant_price_table_get_n_rows (SextantPriceTable *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_rows;
}

gsize
sextant_price_table_get_n_columns (SextantPriceTable *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_columns;
}

const char *
sextant_price_table_get_column_name (SextantPriceTable *self,
                                     gsize              column)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return self->names[column];
}

/**
 * sextant_price_table_find_column:
 * @self: a table
 * @name: a column name, matched case-insensitively
 *
 * Returns: the column's index, or -1
 */
int
sextant_price_table_find_column (SextantPriceTable *self,
                                 const char        *name)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (gsize i = 0; i < self->n_columns; i++)
    if (g_ascii_strcasecmp (self->names[i], name) == 0)
      return (int) i;

  return -1;
}

const gint32 *
sextant_price_table_get_days (SextantPriceTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->days;
}

gint32 *
sextant_price_table_get_days_mutable (SextantPriceTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->days;
}

const double *
sextant_price_table_get_column (SextantPriceTable *self,
                                gsize              column)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return self->values + column * self->n_rows;
}

double *
sextant_price_table_get_column_mutable (SextantPriceTable *self,
                                        gsize              column)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return self->values + column * self->n_rows;
}

/**
 * sextant_price_table_select:
 * @self: a table
 * @names: (array zero-terminated=1): the columns to keep, in the order wanted
 * @error: return location for an error naming the first unknown column
 *
 * Returns: (transfer full): a new table with only @names, or %NULL
 */
SextantPriceTable *
sextant_price_table_select (SextantPriceTable   *self,
                            const char * const  *names,
                            GError             **error)
{
  g_autoptr(SextantPriceTable) selected = NULL;
  g_autofree int *index = NULL;
  gsize n;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (names != NULL, NULL);

  n = g_strv_length ((char **) names);
  index = g_new (int, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      index[i] = sextant_price_table_find_column (self, names[i]);
      if (index[i] < 0)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       "No column named “%s”", names[i]);
          return NULL;
        }
    }

  selected = sextant_price_table_new (self->n_rows, names);
  memcpy (selected->days, self->days, sizeof (gint32) * self->n_rows);
  for (gsize i = 0; i < n; i++)
    {
      g_free (selected->names[i]);
      selected->names[i] = g_strdup (self->names[index[i]]);
      memcpy (selected->values + i * self->n_rows,
              self->values + (gsize) index[i] * self->n_rows,
              sizeof (double) * self->n_rows);
    }

  return g_steal_pointer (&selected);
}

/**
 * sextant_price_table_drop_incomplete:
 * @self: a table
 * @n_dropped: (out) (optional): how many rows had a missing or non-finite value
 *
 * The reference conventions (tests/data/README.md, portfolio/) drop every date on which any
 * used column lacks a price, rather than filling it, so that returns never span a gap silently.
 *
 * Returns: (transfer full): a table with only the complete rows
 */
SextantPriceTable *
sextant_price_table_drop_incomplete (SextantPriceTable *self,
                                     gsize             *n_dropped)
{
  g_autofree gboolean *keep = NULL;
  SextantPriceTable *complete;
  gsize n_keep = 0;

  g_return_val_if_fail (self != NULL, NULL);

  keep = g_new (gboolean, MAX (self->n_rows, 1));
  for (gsize r = 0; r < self->n_rows; r++)
    {
      keep[r] = TRUE;
      for (gsize c = 0; c < self->n_columns; c++)
        if (!isfinite (self->values[c * self->n_rows + r]))
          {
            keep[r] = FALSE;
            break;
          }
      n_keep += keep[r] ? 1 : 0;
    }

  complete = sextant_price_table_new (n_keep, (const char * const *) self->names);
  for (gsize r = 0, k = 0; r < self->n_rows; r++)
    {
      if (!keep[r])
        continue;
      complete->days[k] = self->days[r];
      for (gsize c = 0; c < self->n_columns; c++)
        complete->values[c * n_keep + k] = self->values[c * self->n_rows + r];
      k++;
    }

  if (n_dropped != NULL)
    *n_dropped = self->n_rows - n_keep;

  return complete;
}
