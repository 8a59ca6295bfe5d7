#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantParCurve:
 * @day: the curve's day (days since 1970-01-01)
 * @n: number of tenors published that day
 * @months: (array length=n): tenors in months, increasing (1.5 is the six-week bill)
 * @yield: (array length=n): par yields in percent, as published
 * @source: where it came from (`treasury`, or a file name)
 * @fetched_at: when it was fetched or read, unix seconds
 *
 * One day of a par yield curve. A tenor the source left empty, or marked ".", is absent: it is
 * never stored as zero.
 */
typedef struct
{
  gint32  day;
  gsize   n;
  double *months;
  double *yield;
  char   *source;
  gint64  fetched_at;
} SextantParCurve;

SextantParCurve *sextant_par_curve_new          (gint32                 day,
                                                 const char            *source);
void             sextant_par_curve_add          (SextantParCurve       *curve,
                                                 double                 months,
                                                 double                 yield);
void             sextant_par_curve_free         (SextantParCurve       *curve);
gboolean         sextant_par_curve_tenor_months (const char            *header,
                                                 gsize                  length,
                                                 double                *months);
GPtrArray       *sextant_treasury_parse_csv     (const char            *text,
                                                 gsize                  length,
                                                 const char            *source,
                                                 GError               **error);
SextantParCurve *sextant_par_curve_pick         (GPtrArray             *curves,
                                                 gint32                 day);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantParCurve, sextant_par_curve_free)

G_END_DECLS
