#include "config.h"

#include <locale.h>

#include "sextant-date-format.h"

/* Dates in lists never show a two-digit year: the time alone today, "Yesterday" and the time,
 * day and month this year, the full year before. In the C locale (month names in English). */
static void
check (GDateTime  *now,
       int         year,
       int         month,
       int         day,
       const char *expected)
{
  g_autoptr(GDateTime) when = g_date_time_new_local (year, month, day, 9, 5, 0);
  g_autofree char *text = sextant_format_date_time (when, now);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_formats (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 3, 1, 18, 30, 0);

  check (now, 2026, 3, 1, "09:05");
  /* The day before the first of March, in a year that is not a leap year. */
  check (now, 2026, 2, 28, "Yesterday, 09:05");
  check (now, 2026, 1, 7, "7 Jan, 09:05");
  check (now, 2025, 12, 31, "31 Dec 2025, 09:05");
  check (now, 1999, 3, 1, "1 Mar 1999, 09:05");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/date-format/formats", test_formats);

  return g_test_run ();
}
