#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Dates are days since 1970-01-01 (UTC) in the proleptic Gregorian calendar, as gint32. */
gint32    sextant_day_from_ymd    (int          year,
                                   int          month,
                                   int          day);
gboolean  sextant_day_to_ymd      (gint32       day,
                                   int         *year,
                                   int         *month,
                                   int         *mday);
char     *sextant_day_format_iso  (gint32       day);
gboolean  sextant_day_parse_iso   (const char  *text,
                                   gint32      *day);

G_END_DECLS
