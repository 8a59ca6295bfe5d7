#define G_LOG_DOMAIN "sextant-day"

#include "config.h"

#include <stdio.h>

#include "base/sextant-day.h"

/* Days since 1970-01-01 in the proleptic Gregorian calendar; GDate's Julian day count starts at
 * 0001-01-01, which is day 1, and 1970-01-01 is its day 719163. */
#define EPOCH_JULIAN 719163

gint32
sextant_day_from_ymd (int year,
                      int month,
                      int day)
{
  GDate date;

  g_return_val_if_fail (g_date_valid_dmy (day, month, year), G_MININT32);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);

  return (gint32) g_date_get_julian (&date) - EPOCH_JULIAN;
}

gboolean
sextant_day_to_ymd (gint32  day,
                    int    *year,
                    int    *month,
                    int    *mday)
{
  GDate date;

  if (day + EPOCH_JULIAN < 1)
    return FALSE;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, day + EPOCH_JULIAN);
  if (year != NULL)
    *year = g_date_get_year (&date);
  if (month != NULL)
    *month = g_date_get_month (&date);
  if (mday != NULL)
    *mday = g_date_get_day (&date);

  return TRUE;
}

/**
 * sextant_day_format_iso:
 * @day: days since 1970-01-01
 *
 * Returns: (transfer full): the date as `YYYY-MM-DD`
 */
char *
sextant_day_format_iso (gint32 day)
{
  int y, m, d;

  if (!sextant_day_to_ymd (day, &y, &m, &d))
    return g_strdup ("invalid-date");

  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

/**
 * sextant_day_parse_iso:
 * @text: a date as `YYYY-MM-DD`
 * @day: (out): days since 1970-01-01
 *
 * Returns: %TRUE if @text is a valid ISO calendar date and nothing else
 */
gboolean
sextant_day_parse_iso (const char *text,
                       gint32     *day)
{
  int y, m, d, consumed = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  if (sscanf (text, "%4d-%2d-%2d%n", &y, &m, &d, &consumed) != 3 || text[consumed] != '\0')
    return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;

  if (day != NULL)
    *day = sextant_day_from_ymd (y, m, d);

  return TRUE;
}
