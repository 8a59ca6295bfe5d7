#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "market/sextant-market-response.h"
#include "market/sextant-par-curve.h"

G_BEGIN_DECLS

/**
 * SextantEcbCurveDay:
 * @par: the day's par yields (source `ecb-aaa-par`), percent
 * @spot: the day's spot rates (source `ecb-aaa-spot`), percent, continuously compounded as the
 *   ECB publishes them
 *
 * One day of the ECB's euro-area AAA government yield curve (Svensson model).
 */
typedef struct
{
  SextantParCurve *par;
  SextantParCurve *spot;
} SextantEcbCurveDay;

char      *sextant_ecb_curve_build_url     (const char            *base_url,
                                            gint32                 from_day,
                                            gint32                 to_day);
GPtrArray *sextant_ecb_curve_parse_csv     (const char            *text,
                                            gsize                  length,
                                            GError               **error);
void       sextant_ecb_curve_day_free      (SextantEcbCurveDay    *day);
void       sextant_ecb_curve_fetch_async   (SoupSession           *session,
                                            const char            *base_url,
                                            gint32                 from_day,
                                            gint32                 to_day,
                                            GCancellable          *cancellable,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data);
GPtrArray *sextant_ecb_curve_fetch_finish  (GAsyncResult          *result,
                                            SextantMarketResponse **response,
                                            GError               **error);

G_END_DECLS
