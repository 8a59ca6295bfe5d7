#pragma once

#include <glib-object.h>

#include "analytics/sextant-price-series.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_FX_SERIES (sextant_fx_series_get_type ())

/**
 * SEXTANT_FX_MAX_STALE_DAYS:
 *
 * How many calendar days a rate stands in for a date that has none (a weekend, a TARGET holiday,
 * a day not yet published): enough for Easter's Friday-to-Monday closure, not for a real gap.
 */
#define SEXTANT_FX_MAX_STALE_DAYS 5

/**
 * SEXTANT_FX_ECB_CITATION:
 *
 * The attribution the ECB asks for wherever its rates are shown.
 */
#define SEXTANT_FX_ECB_CITATION "Source: ECB statistics"

/**
 * SextantFxSeries:
 *
 * Daily exchange rates of one currency pair, oldest first: on each day, how many units of the
 * quote currency one unit of the base currency buys (the ECB's series are `USD` per 1 `EUR`).
 * A published date without a value (a holiday row) holds NaN: missing, never zero.
 */
typedef struct _SextantFxSeries SextantFxSeries;

GType            sextant_fx_series_get_type       (void) G_GNUC_CONST;
SextantFxSeries *sextant_fx_series_new            (const char       *base,
                                                   const char       *quote);
SextantFxSeries *sextant_fx_series_ref            (SextantFxSeries  *self);
void             sextant_fx_series_unref          (SextantFxSeries  *self);
const char      *sextant_fx_series_get_base       (SextantFxSeries  *self);
const char      *sextant_fx_series_get_quote      (SextantFxSeries  *self);
const char      *sextant_fx_series_get_source     (SextantFxSeries  *self);
void             sextant_fx_series_set_source     (SextantFxSeries  *self,
                                                   const char       *source);
gint64           sextant_fx_series_get_fetched_at (SextantFxSeries  *self);
void             sextant_fx_series_set_fetched_at (SextantFxSeries  *self,
                                                   gint64            fetched_at);
gboolean         sextant_fx_series_append         (SextantFxSeries  *self,
                                                   gint32            day,
                                                   double            rate,
                                                   GError          **error);
gsize            sextant_fx_series_get_length     (SextantFxSeries  *self);
const gint32    *sextant_fx_series_get_days       (SextantFxSeries  *self);
const double    *sextant_fx_series_get_rates      (SextantFxSeries  *self);
double           sextant_fx_series_lookup         (SextantFxSeries  *self,
                                                   gint32            day,
                                                   gint32            max_stale_days,
                                                   gint32           *rate_day);
double           sextant_fx_series_get_latest     (SextantFxSeries  *self,
                                                   gint32           *day);
SextantFxSeries *sextant_fx_series_cross          (SextantFxSeries  *per_eur_from,
                                                   SextantFxSeries  *per_eur_to,
                                                   GError          **error);
SextantPriceSeries *sextant_fx_convert_series     (SextantPriceSeries *prices,
                                                   SextantFxSeries    *rates,
                                                   GArray            **dropped_days,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantFxSeries, sextant_fx_series_unref)

G_END_DECLS
