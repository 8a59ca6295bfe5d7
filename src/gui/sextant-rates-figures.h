#pragma once

#include <gio/gio.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/*
 * What the risk dashboard's Rates & FX view shows, computed off the main thread from the local
 * cache with the analytics core, with `sextant-cli curve`'s conventions (so every figure on it
 * equals the CLI's): the Treasury's par yields bootstrapped to continuously compounded act/365f
 * zero rates and forwards between tenors, or the ECB's AAA spot curve as published; a Svensson
 * fit of the zero rates; the same curve some time earlier; ECB reference rates' changes over
 * 1 day, 1 week, 1 month and 1 year; and FRED's ICE BofA high-yield spread when it was fetched.
 */

#define SEXTANT_RATES_N_HORIZONS 4
#define SEXTANT_RATES_SPREAD_SERIES "BAMLH0A0HYM2"

typedef enum
{
  SEXTANT_RATES_SOURCE_TREASURY,
  SEXTANT_RATES_SOURCE_ECB,
} SextantRatesSource;

typedef struct
{
  gint32  day;
  gsize   n;
  double *tenors;    /* years */
  double *par;       /* percent; NaN where the day has none */
  double *zero;      /* percent */
  double *forward;   /* percent */
} SextantRatesCurve;

typedef struct
{
  SextantRatesSource  source;
  char               *base_currency;

  SextantRatesCurve   curve;          /* day 0: no curve (see curve_note) */
  SextantRatesCurve   compare;        /* day 0: none */
  gboolean            has_fit;
  SextantCurveFit     fit;
  gsize               n_fit;
  double             *fit_x;
  double             *fit_y;
  char               *curve_note;     /* what is missing, or NULL */
  char               *series_names[8];
  SextantCurveSeries  series[8];
  SextantCurveChart   curve_chart;

  gint32              fx_day;
  char              **currencies;     /* the heatmap's rows */
  double             *fx_changes;     /* percent, rows × SEXTANT_RATES_N_HORIZONS */
  const char         *horizons[SEXTANT_RATES_N_HORIZONS];
  char               *fx_note;
  SextantHeatmapChart fx_chart;

  SextantFredSeries  *spreads;        /* NULL: not fetched (see spread_note) */
  char               *spread_note;
  double             *spread_times;
  SextantChartSeries  spread_line;
  SextantTimeSeriesChart spread_chart;
  char               *spread_title;
} SextantRatesFigures;

SextantRatesFigures *sextant_rates_figures_compute (SextantMarketCache  *cache,
                                                    SextantPortfolio    *portfolio,
                                                    SextantRatesSource   source,
                                                    int                  compare_days,
                                                    const SextantFredSeries *spreads,
                                                    GCancellable        *cancellable,
                                                    GError             **error);
SextantRatesFigures *sextant_rates_figures_ref     (SextantRatesFigures *self);
void                 sextant_rates_figures_unref   (SextantRatesFigures *self);
char               **sextant_rates_figures_dup_currencies (SextantMarketCache *cache,
                                                    SextantPortfolio    *portfolio);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantRatesFigures, sextant_rates_figures_unref)

G_END_DECLS
