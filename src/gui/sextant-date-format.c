#define G_LOG_DOMAIN "sextant-date-format"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-date-format.h"

/**
 * sextant_format_date_time:
 * @when: a local time
 * @now: (nullable): the time to compare with, or %NULL for the current time
 *
 * A date and time as a list shows it: the time alone today, "Yesterday" and the time, the day
 * and month this year, and the full year otherwise — never a two-digit year, which reads as a
 * day or a month in half the world's date orders.
 *
 * Returns: (transfer full): the text
 */
char *
sextant_format_date_time (GDateTime *when,
                          GDateTime *now)
{
  g_autoptr(GDateTime) current = NULL;
  g_autoptr(GDateTime) when_local = NULL;
  int year, month, day, now_year, now_month, now_day;
  g_autoptr(GDateTime) yesterday = NULL;
  int y_year, y_month, y_day;

  g_return_val_if_fail (when != NULL, NULL);

  current = now != NULL ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  when_local = g_date_time_to_local (when);
  g_date_time_get_ymd (when_local, &year, &month, &day);
  g_date_time_get_ymd (current, &now_year, &now_month, &now_day);
  yesterday = g_date_time_add_days (current, -1);
  g_date_time_get_ymd (yesterday, &y_year, &y_month, &y_day);

  if (year == now_year && month == now_month && day == now_day)
    /* Translators: a time today, in g_date_time_format() notation */
    return g_date_time_format (when_local, C_("time today", "%H:%M"));
  if (year == y_year && month == y_month && day == y_day)
    /* Translators: a time yesterday, in g_date_time_format() notation */
    return g_date_time_format (when_local, C_("time yesterday", "Yesterday, %H:%M"));
  if (year == now_year)
    /* Translators: a date this year and a time, in g_date_time_format() notation */
    return g_date_time_format (when_local, C_("date this year", "%-d %b, %H:%M"));

  /* Translators: a date and time in another year, in g_date_time_format() notation */
  return g_date_time_format (when_local, C_("date in another year", "%-d %b %Y, %H:%M"));
}
