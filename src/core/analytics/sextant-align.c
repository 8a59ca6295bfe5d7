#define G_LOG_DOMAIN "sextant-align"

#include "config.h"

#include <string.h>

#include <math.h>

#include "analytics/sextant-align.h"
#include "analytics/sextant-analytics-error.h"

/* One input of a join: its dates and where its columns come from. */
typedef struct
{
  const char    *label;
  const gint32  *days;
  gsize          n;
  gsize          cursor;
} Source;

static gboolean
check_order (const Source  *src,
             GError       **error)
{
  if (src->n == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "%s has no rows to align", src->label);
      return FALSE;
    }
  for (gsize i = 1; i < src->n; i++)
    if (src->days[i] <= src->days[i - 1])
      {
        g_autofree char *date = sextant_day_format_iso (src->days[i]);

        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_DATE_ORDER,
                     "%s: row %" G_GSIZE_FORMAT " (%s) is %s the row before it", src->label,
                     i + 1, date, src->days[i] == src->days[i - 1] ? "a duplicate of"
                                                                   : "older than");
        return FALSE;
      }

  return TRUE;
}

/*
 * Inner join of sorted date lists, as a k-way merge: every source's cursor moves up to the
 * largest current date; when all agree the date is common. O(total rows). @rows receives, per
 * common date, the row index in each source (rows[k * n_sources + s]).
 */
static gsize
intersect (Source *src,
           guint   n_sources,
           GArray *rows)
{
  gsize count = 0;

  for (;;)
    {
      gint32 target = G_MININT32;
      gboolean all_equal = TRUE;

      for (guint s = 0; s < n_sources; s++)
        {
          if (src[s].cursor >= src[s].n)
            return count;
          target = MAX (target, src[s].days[src[s].cursor]);
        }
      for (guint s = 0; s < n_sources; s++)
        {
          while (src[s].cursor < src[s].n && src[s].days[src[s].cursor] < target)
            src[s].cursor++;
          if (src[s].cursor >= src[s].n)
            return count;
          all_equal &= src[s].days[src[s].cursor] == target;
        }
      if (!all_equal)
        continue;
      for (guint s = 0; s < n_sources; s++)
        {
          g_array_append_val (rows, src[s].cursor);
          src[s].cursor++;
        }
      count++;
    }
}

static gboolean
check_unique_names (GPtrArray  *names,
                    GError    **error)
{
  for (guint i = 0; i < names->len; i++)
    for (guint j = 0; j < i; j++)
      if (g_strcmp0 (names->pdata[i], names->pdata[j]) == 0)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       "“%s” appears in more than one input; column names must be unique",
                       (const char *) names->pdata[i]);
          return FALSE;
        }

  return TRUE;
}

/**
 * sextant_align_series:
 * @series: (array length=n_series): daily series, each with strictly increasing dates
 * @n_series: how many, at least 1
 * @error: return location for an error naming the series and row
 *
 * The closes of every series on the dates they all share (an inner join), one column per
 * series named by its symbol. Gaps (NaN closes) are kept; see sextant_align_handle_gaps().
 *
 * Returns: (transfer full): the table, or %NULL
 */
SextantPriceTable *
sextant_align_series (SextantPriceSeries * const  *series,
                      guint                        n_series,
                      GError                     **error)
{
  g_autofree Source *src = g_new0 (Source, MAX (n_series, 1));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  SextantPriceTable *table;
  gsize count;

  g_return_val_if_fail (series != NULL || n_series == 0, NULL);

  if (n_series == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "Nothing to align: no series given");
      return NULL;
    }
  for (guint s = 0; s < n_series; s++)
    {
      src[s].label = sextant_price_series_get_symbol (series[s]);
      src[s].days = sextant_price_series_get_days (series[s]);
      src[s].n = sextant_price_series_get_length (series[s]);
      if (!check_order (&src[s], error))
        return NULL;
      g_ptr_array_add (names, (gpointer) src[s].label);
    }
  if (!check_unique_names (names, error))
    return NULL;
  g_ptr_array_add (names, NULL);

  count = intersect (src, n_series, rows);
  table = sextant_price_table_new (count, (const char * const *) names->pdata);
  for (gsize k = 0; k < count; k++)
    {
      const gsize *at = &g_array_index (rows, gsize, k * n_series);

      sextant_price_table_get_days_mutable (table)[k] = src[0].days[at[0]];
      for (guint s = 0; s < n_series; s++)
        sextant_price_table_get_column_mutable (table, s)[k] =
          sextant_price_series_get_close (series[s])[at[s]];
    }

  return table;
}

/**
 * sextant_align_tables:
 * @tables: (array length=n_tables): tables with strictly increasing dates and distinct column
 *   names
 * @n_tables: how many, at least 1
 * @error: return location for an error
 *
 * Every column of every table on the dates all tables share (an inner join).
 *
 * Returns: (transfer full): the joined table, or %NULL
 */
SextantPriceTable *
sextant_align_tables (SextantPriceTable * const  *tables,
                      guint                       n_tables,
                      GError                    **error)
{
  g_autofree Source *src = g_new0 (Source, MAX (n_tables, 1));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  SextantPriceTable *table;
  gsize count, column = 0;

  if (n_tables == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "Nothing to align: no table given");
      return NULL;
    }
  for (guint t = 0; t < n_tables; t++)
    {
      src[t].label = "price table";
      src[t].days = sextant_price_table_get_days (tables[t]);
      src[t].n = sextant_price_table_get_n_rows (tables[t]);
      if (!check_order (&src[t], error))
        return NULL;
      for (gsize c = 0; c < sextant_price_table_get_n_columns (tables[t]); c++)
        g_ptr_array_add (names, (gpointer) sextant_price_table_get_column_name (tables[t], c));
    }
  if (!check_unique_names (names, error))
    return NULL;
  g_ptr_array_add (names, NULL);

  count = intersect (src, n_tables, rows);
  table = sextant_price_table_new (count, (const char * const *) names->pdata);
  for (gsize k = 0; k < count; k++)
    sextant_price_table_get_days_mutable (table)[k] =
      src[0].days[g_array_index (rows, gsize, k * n_tables)];
  for (guint t = 0; t < n_tables; t++)
    for (gsize c = 0; c < sextant_price_table_get_n_columns (tables[t]); c++, column++)
      {
        const double *from = sextant_price_table_get_column (tables[t], c);
        double *to = sextant_price_table_get_column_mutable (table, column);

        for (gsize k = 0; k < count; k++)
          to[k] = from[g_array_index (rows, gsize, k * n_tables + t)];
      }

  return table;
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  gint32 x = *(const gint32 *) a, y = *(const gint32 *) b;

  return x < y ? -1 : x > y;
}

/**
 * sextant_align_tables_outer:
 * @tables: (array length=n_tables): tables with strictly increasing dates and distinct column
 *   names
 * @n_tables: how many, at least 1
 * @error: return location for an error
 *
 * Every column of every table on every date any of them has (an outer join), NaN where a table
 * has no row for a date: for valuing holdings at their own last closes, whose histories need not
 * overlap. Analyses that need shared dates drop the gaps (sextant_align_handle_gaps()).
 *
 * Returns: (transfer full): the joined table, or %NULL
 */
SextantPriceTable *
sextant_align_tables_outer (SextantPriceTable * const  *tables,
                            guint                       n_tables,
                            GError                    **error)
{
  g_autofree Source *src = g_new0 (Source, MAX (n_tables, 1));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (gint32));
  SextantPriceTable *table;
  gsize count = 0, column = 0;

  if (n_tables == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "Nothing to align: no table given");
      return NULL;
    }
  for (guint t = 0; t < n_tables; t++)
    {
      src[t].label = "price table";
      src[t].days = sextant_price_table_get_days (tables[t]);
      src[t].n = sextant_price_table_get_n_rows (tables[t]);
      if (!check_order (&src[t], error))
        return NULL;
      g_array_append_vals (days, src[t].days, src[t].n);
      for (gsize c = 0; c < sextant_price_table_get_n_columns (tables[t]); c++)
        g_ptr_array_add (names, (gpointer) sextant_price_table_get_column_name (tables[t], c));
    }
  if (!check_unique_names (names, error))
    return NULL;
  g_ptr_array_add (names, NULL);

  g_array_sort (days, compare_days);
  for (guint k = 0; k < days->len; k++)
    if (count == 0 || g_array_index (days, gint32, k) != g_array_index (days, gint32, count - 1))
      g_array_index (days, gint32, count++) = g_array_index (days, gint32, k);

  table = sextant_price_table_new (count, (const char * const *) names->pdata);
  memcpy (sextant_price_table_get_days_mutable (table), days->data, count * sizeof (gint32));
  for (guint t = 0; t < n_tables; t++)
    for (gsize c = 0; c < sextant_price_table_get_n_columns (tables[t]); c++, column++)
      {
        const double *from = sextant_price_table_get_column (tables[t], c);
        double *to = sextant_price_table_get_column_mutable (table, column);
        gsize r = 0;

        /* Both date lists are increasing: one walk places every row. */
        for (gsize k = 0; k < count; k++)
          {
            while (r < src[t].n && src[t].days[r] < g_array_index (days, gint32, k))
              r++;
            to[k] = r < src[t].n && src[t].days[r] == g_array_index (days, gint32, k) ? from[r] : NAN;
          }
      }

  return table;
}

/**
 * sextant_align_handle_gaps:
 * @table: a table that may hold NaN (missing) prices
 * @policy: reject or drop
 * @n_dropped: (out) (optional): rows dropped
 * @error: return location for %SEXTANT_ANALYTICS_ERROR_NON_FINITE naming the first gap's row
 *   (1-based, as in the file without its header), date and column
 *
 * Returns: (transfer full): @table itself (a new reference) when complete, the complete rows
 *   under %SEXTANT_GAP_DROP, or %NULL
 */
SextantPriceTable *
sextant_align_handle_gaps (SextantPriceTable  *table,
                           SextantGapPolicy    policy,
                           gsize              *n_dropped,
                           GError            **error)
{
  gsize n_rows, n_cols;

  g_return_val_if_fail (table != NULL, NULL);

  if (n_dropped != NULL)
    *n_dropped = 0;
  if (policy == SEXTANT_GAP_DROP)
    return sextant_price_table_drop_incomplete (table, n_dropped);

  n_rows = sextant_price_table_get_n_rows (table);
  n_cols = sextant_price_table_get_n_columns (table);
  for (gsize r = 0; r < n_rows; r++)
    for (gsize c = 0; c < n_cols; c++)
      if (!isfinite (sextant_price_table_get_column (table, c)[r]))
        {
          g_autofree char *date = sextant_day_format_iso (sextant_price_table_get_days (table)[r]);

          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                       "Row %" G_GSIZE_FORMAT " (%s) has no valid price for %s; drop incomplete "
                       "rows or fill the gap", r + 1, date,
                       sextant_price_table_get_column_name (table, c));
          return NULL;
        }

  return sextant_price_table_ref (table);
}
