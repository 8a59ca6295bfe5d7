#pragma once

#include <glib-object.h>

#include "base/sextant-day.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_PRICE_SERIES (sextant_price_series_get_type ())

/**
 * SextantPriceSeries:
 *
 * Daily OHLCV bars of one instrument, oldest first. Dates are days since 1970-01-01 (UTC), which
 * sort and subtract as integers. Columns are plain arrays so that analytics can work on
 * `const double *values, gsize n` without copying.
 */
typedef struct _SextantPriceSeries SextantPriceSeries;

GType               sextant_price_series_get_type    (void) G_GNUC_CONST;
SextantPriceSeries *sextant_price_series_new         (const char         *symbol,
                                                      gsize               n_rows);
SextantPriceSeries *sextant_price_series_ref         (SextantPriceSeries *self);
void                sextant_price_series_unref       (SextantPriceSeries *self);
const char         *sextant_price_series_get_symbol  (SextantPriceSeries *self);
gsize               sextant_price_series_get_length  (SextantPriceSeries *self);
void                sextant_price_series_set_row     (SextantPriceSeries *self,
                                                      gsize               row,
                                                      gint32              day,
                                                      double              open,
                                                      double              high,
                                                      double              low,
                                                      double              close,
                                                      double              volume);
const gint32       *sextant_price_series_get_days    (SextantPriceSeries *self);
const double       *sextant_price_series_get_open    (SextantPriceSeries *self);
const double       *sextant_price_series_get_high    (SextantPriceSeries *self);
const double       *sextant_price_series_get_low     (SextantPriceSeries *self);
const double       *sextant_price_series_get_close   (SextantPriceSeries *self);
const double       *sextant_price_series_get_volume  (SextantPriceSeries *self);
gboolean            sextant_price_series_validate    (SextantPriceSeries *self,
                                                      GError            **error);


G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantPriceSeries, sextant_price_series_unref)

G_END_DECLS
