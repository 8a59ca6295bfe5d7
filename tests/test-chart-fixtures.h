#pragma once

#include "sextant-core.h"

G_BEGIN_DECLS

/* Chart models built from the bundled demo data and the shared reference values, for the
 * renderer, export and report tests. Everything is owned by the struct. */
typedef struct
{
  SextantPriceSeries     *sp500;
  gsize                   sp500_n;
  /* TA-Lib's sma, ema, rsi, macd, signal, hist, bb upper/middle/lower */
  double                 *ta[9];
  SextantChartSeries      overlays[2];
  SextantChartBand        band;
  SextantChartSeries      rsi_line;
  SextantChartSeries      macd_lines[2];
  double                  rsi_guides[2];
  SextantChartPane        panes[3];
  SextantPriceChart       price_line;
  SextantPriceChart       price_log;
  SextantPriceChart       price_candles;

  char                  **assets;
  gsize                   n_assets;
  double                 *frontier_risk;
  double                 *frontier_ret;
  gsize                   n_frontier;
  SextantChartPoint      *asset_points;
  SextantChartPoint       chosen;
  SextantFrontierChart    frontier;

  double                 *proposed_weights;
  double                 *equal_weights;
  double                 *min_variance_weights;
  SextantAllocationChart  allocation_bars;
  SextantAllocationChart  allocation_donut;

  double                 *returns;
  gsize                   n_returns;
  SextantHistogramChart   histogram;

  double                 *drawdown;
  SextantDrawdownChart    drawdown_chart;
  SextantDrawdownChart    drawdown_zoom;

  double                 *fan_data[6];
  SextantFanChart         fan;

  double                 *correlation;
  SextantHeatmapChart     heatmap;

  double                 *times;
  double                 *requests;
  double                 *latency[2];
  SextantChartSeries      latency_lines[2];
  SextantTimeSeriesChart  timeseries;
} ChartFixtures;

ChartFixtures *chart_fixtures_new  (void);
void           chart_fixtures_free (ChartFixtures *self);

G_END_DECLS
