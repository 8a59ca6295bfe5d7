#define G_LOG_DOMAIN "sextant-par-curve"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "market/sextant-csv-fields.h"
#include "market/sextant-market-error.h"
#include "market/sextant-par-curve.h"

/* The US Treasury's Daily Treasury Par Yield Curve Rates as CSV, one file per year:
 *   Date,"1 Mo","1.5 Month","2 Mo","3 Mo","4 Mo","6 Mo","1 Yr","2 Yr",…,"30 Yr"
 *   02/28/2025,4.38,4.37,4.38,…
 * Dates MM/DD/YYYY, newest first, yields in percent. The columns differ by year (2 Mo from
 * 2018, 4 Mo from 2022, 1.5 Month from 18 February 2025, no 30 Yr in 2002–2006), so each is
 * found by its header; a field left empty (or ".", "N/A") is a tenor not published that day. */

#define MAX_COLUMNS 64

/**
 * sextant_par_curve_new:
 * @day: the curve's day
 * @source: (nullable): where it comes from
 *
 * Returns: (transfer full): a curve with no tenors yet
 */
SextantParCurve *
sextant_par_curve_new (gint32      day,
                       const char *source)
{
  SextantParCurve *curve = g_new0 (SextantParCurve, 1);

  curve->day = day;
  curve->source = g_strdup (source);
  return curve;
}

/**
 * sextant_par_curve_add:
 * @curve: a curve
 * @months: a tenor in months, longer than the ones already added
 * @yield: its par yield in percent
 */
void
sextant_par_curve_add (SextantParCurve *curve,
                       double           months,
                       double           yield)
{
  curve->months = g_renew (double, curve->months, curve->n + 1);
  curve->yield = g_renew (double, curve->yield, curve->n + 1);
  curve->months[curve->n] = months;
  curve->yield[curve->n] = yield;
  curve->n++;
}

/**
 * sextant_par_curve_free:
 * @curve: (nullable): a curve
 */
void
sextant_par_curve_free (SextantParCurve *curve)
{
  if (curve == NULL)
    return;
  g_free (curve->months);
  g_free (curve->yield);
  g_free (curve->source);
  g_free (curve);
}

/**
 * sextant_par_curve_tenor_months:
 * @header: a column name such as `1 Mo`, `1.5 Month`, `6 Mo`, `10 Yr` or `30 Year`
 * @length: its length
 * @months: (out): the tenor in months
 *
 * Returns: %TRUE when @header names a tenor
 */
gboolean
sextant_par_curve_tenor_months (const char *header,
                                gsize       length,
                                double     *months)
{
  g_autofree char *text = g_strstrip (g_strndup (header, length));
  char *unit = NULL;
  double count = g_ascii_strtod (text, &unit);

  if (unit == text || !(count > 0) || !isfinite (count))
    return FALSE;
  while (*unit == ' ')
    unit++;
  if (g_ascii_strcasecmp (unit, "Mo") == 0 || g_ascii_strcasecmp (unit, "Month") == 0
      || g_ascii_strcasecmp (unit, "Months") == 0)
    *months = count;
  else if (g_ascii_strcasecmp (unit, "Yr") == 0 || g_ascii_strcasecmp (unit, "Year") == 0
           || g_ascii_strcasecmp (unit, "Years") == 0)
    *months = count * 12;
  else
    return FALSE;
  return TRUE;
}

static gboolean
read_header (const char  *line,
             gsize        length,
             GString     *scratch,
             double      *months,
             int         *n_columns,
             GError     **error)
{
  SextantCsvField fields[MAX_COLUMNS];
  int n = sextant_csv_split_line (line, length, ',', fields, MAX_COLUMNS, scratch);

  if (n < 2 || n > MAX_COLUMNS || fields[0].length != 4 || memcmp (fields[0].start, "Date", 4) != 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "the header does not start with Date and tenors (not the Treasury's daily par "
                   "yield curve CSV?)");
      return FALSE;
    }
  for (int i = 1; i < n; i++)
    if (!sextant_par_curve_tenor_months (fields[i].start, fields[i].length, &months[i])
        || (i > 1 && months[i] <= months[i - 1]))
      {
        g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                     "column %d, “%.*s”, is not a tenor longer than the one before it", i + 1,
                     (int) fields[i].length, fields[i].start);
        return FALSE;
      }
  *n_columns = n;
  return TRUE;
}

static SextantParCurve *
read_row (const char    *line,
          gsize          length,
          guint          line_number,
          const double  *months,
          int            n_columns,
          const char    *source,
          GString       *scratch,
          GError       **error)
{
  SextantCsvField fields[MAX_COLUMNS];
  int n = sextant_csv_split_line (line, length, ',', fields, MAX_COLUMNS, scratch);
  g_autoptr(SextantParCurve) curve = NULL;
  gint32 day;

  if (n != n_columns)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "line %u has %d fields where the header has %d", line_number, MAX (n, 0),
                   n_columns);
      return NULL;
    }
  if (!sextant_csv_parse_date (fields[0].start, fields[0].length, SEXTANT_DATE_FORMAT_US, &day))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "line %u: “%.*s” is not an MM/DD/YYYY date", line_number,
                   (int) fields[0].length, fields[0].start);
      return NULL;
    }
  curve = sextant_par_curve_new (day, source);
  for (int i = 1; i < n; i++)
    {
      gboolean missing = FALSE;
      double value;

      if (!sextant_csv_parse_double (fields[i].start, fields[i].length, FALSE, &value, &missing)
          || (!missing && (!isfinite (value) || value < -5 || value > 50)))
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "line %u: the %g-month yield “%.*s” is not a rate in percent", line_number,
                       months[i], (int) fields[i].length, fields[i].start);
          return NULL;
        }
      if (!missing)
        sextant_par_curve_add (curve, months[i], value);
    }
  return g_steal_pointer (&curve);
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  const SextantParCurve *ca = *(SextantParCurve * const *) a;
  const SextantParCurve *cb = *(SextantParCurve * const *) b;

  return (ca->day > cb->day) - (ca->day < cb->day);
}

/**
 * sextant_treasury_parse_csv:
 * @text: the body of a Treasury daily par yield curve CSV
 * @length: its length
 * @source: the source to record in each curve
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the line
 *
 * Returns: (transfer full) (element-type SextantParCurve): the days' curves, oldest first
 */
GPtrArray *
sextant_treasury_parse_csv (const char  *text,
                            gsize        length,
                            const char  *source,
                            GError     **error)
{
  g_autoptr(GPtrArray) curves = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_par_curve_free);
  g_autoptr(GString) scratch = g_string_new (NULL);
  const char *cursor = text != NULL ? text : "", *end = cursor + length, *line;
  double months[MAX_COLUMNS] = { 0 };
  int n_columns = 0;
  guint line_number = 0;
  gsize line_length;

  if (length >= 3 && memcmp (cursor, "\xEF\xBB\xBF", 3) == 0)
    cursor += 3;
  do
    {
      if (!sextant_csv_next_line (&cursor, end, &line, &line_length))
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_EMPTY,
                       "an empty body where a par yield curve CSV was expected");
          return NULL;
        }
      line_number++;
    }
  while (line_length == 0);
  if (!read_header (line, line_length, scratch, months, &n_columns, error))
    return NULL;
  while (sextant_csv_next_line (&cursor, end, &line, &line_length))
    {
      SextantParCurve *curve;

      line_number++;
      if (line_length == 0)
        continue;
      curve = read_row (line, line_length, line_number, months, n_columns, source, scratch, error);
      if (curve == NULL)
        return NULL;
      g_ptr_array_add (curves, curve);
    }
  if (curves->len == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_EMPTY,
                   "the par yield curve CSV has a header but no days");
      return NULL;
    }
  g_ptr_array_sort (curves, compare_days);
  for (guint i = 1; i < curves->len; i++)
    if (((SextantParCurve *) curves->pdata[i])->day == ((SextantParCurve *) curves->pdata[i - 1])->day)
      {
        g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                     "a day appears twice in the par yield curve CSV");
        return NULL;
      }
  return g_steal_pointer (&curves);
}

/**
 * sextant_par_curve_pick:
 * @curves: (element-type SextantParCurve): curves, oldest first
 * @day: the day wanted, or 0 for the newest
 *
 * Returns: (transfer none) (nullable): the curve of @day, or of the last day before it that has
 *   one; %NULL when every curve is later
 */
SextantParCurve *
sextant_par_curve_pick (GPtrArray *curves,
                        gint32     day)
{
  SextantParCurve *found = NULL;

  for (guint i = 0; i < curves->len; i++)
    {
      SextantParCurve *curve = curves->pdata[i];

      if (day == 0 || curve->day <= day)
        found = curve;
    }
  return found;
}
