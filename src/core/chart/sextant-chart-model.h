#pragma once

#include <glib.h>

#include "chart/sextant-chart-layout.h"

G_BEGIN_DECLS

/*
 * Chart models are plain structs that borrow the caller's arrays: build one on the stack, point
 * it at the columns you already have (a SextantPriceSeries, analytics output) and paint. Nothing
 * here computes analytics; a model shows numbers computed elsewhere.
 */

/**
 * SextantChartKind:
 *
 * Which model a `gconstpointer` holds, for code that handles every chart alike (export, widget).
 */
typedef enum
{
  SEXTANT_CHART_KIND_PRICE,
  SEXTANT_CHART_KIND_FRONTIER,
  SEXTANT_CHART_KIND_ALLOCATION,
  SEXTANT_CHART_KIND_HISTOGRAM,
  SEXTANT_CHART_KIND_DRAWDOWN,
  SEXTANT_CHART_KIND_FAN,
  SEXTANT_CHART_KIND_HEATMAP,
  SEXTANT_CHART_KIND_TIMESERIES,
  SEXTANT_CHART_KIND_CURVE,
} SextantChartKind;

/**
 * SextantChartSeries:
 * @name: shown in the legend
 * @y: values; NaN leaves a gap (indicators before their lookback)
 * @n: the number of values
 *
 * A line aligned with its chart's x values (the price chart's days, the time-series chart's
 * times): @y[i] belongs at x[i].
 */
typedef struct
{
  const char   *name;
  const double *y;
  gsize         n;
} SextantChartSeries;

/**
 * SextantChartBand:
 * @name: shown in the legend
 * @lower: the lower edge, aligned with the chart's x values
 * @upper: the upper edge
 * @n: the number of values
 */
typedef struct
{
  const char   *name;
  const double *lower;
  const double *upper;
  gsize         n;
} SextantChartBand;

/**
 * SextantChartPane:
 * @title: the pane's label, drawn in its top-left corner ("RSI(14)", "Volume")
 * @bars: (nullable): bars from zero, aligned with the price days (MACD histogram, volume);
 *   positive bars take the positive colour, negative ones the negative colour
 * @lines: (array length=n_lines): lines (RSI, MACD line and signal)
 * @n_lines: the number of lines
 * @guides: (array length=n_guides): horizontal reference lines (RSI 30 and 70)
 * @n_guides: the number of guides
 * @min: the fixed bottom of the pane's axis, when @min < @max; otherwise the data decide
 * @max: the fixed top
 * @bars_name: (nullable): what the bars are, for exports ("MACD histogram"); the title if %NULL
 */
typedef struct
{
  const char               *title;
  const double             *bars;
  const SextantChartSeries *lines;
  gsize                     n_lines;
  const double             *guides;
  gsize                     n_guides;
  double                    min;
  double                    max;
  const char               *bars_name;
} SextantChartPane;

typedef enum
{
  SEXTANT_PRICE_CHART_LINE,
  SEXTANT_PRICE_CHART_CANDLES,
} SextantPriceChartStyle;

/**
 * SextantPriceChart:
 * @symbol: the instrument, in the title and the description
 * @style: close line or candlesticks
 * @n: the number of bars
 * @days: days since 1970-01-01, ascending
 * @open: (nullable): opens (candles only)
 * @high: (nullable): highs (candles only)
 * @low: (nullable): lows (candles only)
 * @close: closes
 * @overlays: (array length=n_overlays): lines over the price (SMA, EMA, Bollinger middle)
 * @n_overlays: the number of overlays
 * @bands: (array length=n_bands): shaded bands over the price (Bollinger)
 * @n_bands: the number of bands
 * @panes: (array length=n_panes): sub-panes under the price (volume, RSI, MACD)
 * @n_panes: the number of panes
 * @log_scale: a log price axis
 * @first_visible: the first index shown (zoom); with @last_visible 0, everything is shown
 * @last_visible: the last index shown
 */
typedef struct
{
  const char               *symbol;
  SextantPriceChartStyle    style;
  gsize                     n;
  const gint32             *days;
  const double             *open;
  const double             *high;
  const double             *low;
  const double             *close;
  const SextantChartSeries *overlays;
  gsize                     n_overlays;
  const SextantChartBand   *bands;
  gsize                     n_bands;
  const SextantChartPane   *panes;
  gsize                     n_panes;
  gboolean                  log_scale;
  gsize                     first_visible;
  gsize                     last_visible;
} SextantPriceChart;

/**
 * SextantChartPoint:
 * @label: the asset's or portfolio's name
 * @x: risk (volatility, a fraction)
 * @y: return (a fraction)
 */
typedef struct
{
  const char *label;
  double      x;
  double      y;
} SextantChartPoint;

/**
 * SextantFrontierChart:
 * @title: (nullable): the title
 * @risk: the frontier's volatilities, ascending along the curve
 * @ret: the frontier's returns
 * @n: the number of frontier points
 * @assets: (array length=n_assets): the individual assets
 * @n_assets: the number of assets
 * @chosen: (nullable): the chosen portfolio, highlighted
 * @current: (nullable): the current portfolio, for comparison
 */
typedef struct
{
  const char              *title;
  const double            *risk;
  const double            *ret;
  gsize                    n;
  const SextantChartPoint *assets;
  gsize                    n_assets;
  const SextantChartPoint *chosen;
  const SextantChartPoint *current;
} SextantFrontierChart;

typedef enum
{
  SEXTANT_ALLOCATION_CHART_BARS,
  SEXTANT_ALLOCATION_CHART_DONUT,
} SextantAllocationChartStyle;

/**
 * SextantAllocationChart:
 * @title: (nullable): the title
 * @style: horizontal bars or a donut
 * @labels: (array length=n): asset names
 * @weights: (array length=n): weights as fractions
 * @compare: (nullable): other weights (the current portfolio) drawn as thin bars beside
 *   (bars only)
 * @n: the number of assets
 */
typedef struct
{
  const char                 *title;
  SextantAllocationChartStyle style;
  const char * const         *labels;
  const double               *weights;
  const double               *compare;
  gsize                       n;
} SextantAllocationChart;

/**
 * SextantHistogramChart:
 * @title: (nullable): the title
 * @returns: period returns as fractions
 * @n: the number of returns
 * @n_bins: the number of bins, or 0 for the Freedman–Diaconis choice
 * @var: value at risk as a positive loss fraction, or NaN to leave it out
 * @es: expected shortfall as a positive loss fraction, or NaN
 * @confidence: the level both were computed at (0.95), for their labels
 */
typedef struct
{
  const char   *title;
  const double *returns;
  gsize         n;
  guint         n_bins;
  double        var;
  double        es;
  double        confidence;
} SextantHistogramChart;

/**
 * SextantDrawdownChart:
 * @title: (nullable): the title
 * @days: days since 1970-01-01
 * @drawdown: the fall from the running peak, as fractions ≤ 0
 * @n: the number of days
 * @first_visible: the first index shown (zoom); with @last_visible 0, everything is shown
 * @last_visible: the last index shown
 */
typedef struct
{
  const char   *title;
  const gint32 *days;
  const double *drawdown;
  gsize         n;
  gsize         first_visible;
  gsize         last_visible;
} SextantDrawdownChart;

/**
 * SextantFanChart:
 * @title: (nullable): the title
 * @x: the horizon, in steps (days ahead) or as days since 1970-01-01 (see @x_is_days)
 * @n: the number of steps
 * @p5: the 5th percentile at each step
 * @p25: the 25th percentile
 * @p50: the median
 * @p75: the 75th percentile
 * @p95: the 95th percentile
 * @x_is_days: whether @x holds calendar days
 * @y_format: how values read (portfolio value as a number, or a return as a percentage)
 * @first_visible: the first step shown (zoom); with @last_visible 0, every step is shown
 * @last_visible: the last step shown
 */
typedef struct
{
  const char         *title;
  const double       *x;
  gsize               n;
  const double       *p5;
  const double       *p25;
  const double       *p50;
  const double       *p75;
  const double       *p95;
  gboolean            x_is_days;
  SextantChartFormat  y_format;
  gsize               first_visible;
  gsize               last_visible;
} SextantFanChart;

/**
 * SextantHeatmapChart:
 * @title: (nullable): the title
 * @labels: (array length=n): row and column names
 * @values: @n × @n values, row-major
 * @n: the matrix size
 * @min: the value at the low end of the colour scale (−1 for correlations)
 * @max: the value at the high end (+1)
 * @show_values: print each value in its cell (when the cells are large enough)
 * @column_labels: (nullable) (array length=n_columns): the columns' names, when they are not the
 *   rows' (a table of currencies by horizon); %NULL for a square matrix
 * @n_columns: the number of columns when @column_labels is given; @values is then @n ×
 *   @n_columns, row-major
 */
typedef struct
{
  const char         *title;
  const char * const *labels;
  const double       *values;
  gsize               n;
  double              min;
  double              max;
  gboolean            show_values;
  const char * const *column_labels;
  gsize               n_columns;
} SextantHeatmapChart;

/* The columns of a heatmap: its own when it has column labels, else its rows'. */
#define SEXTANT_HEATMAP_N_COLUMNS(m) ((m)->column_labels != NULL ? (m)->n_columns : (m)->n)
#define SEXTANT_HEATMAP_COLUMN_LABEL(m, c) \
  ((m)->column_labels != NULL ? (m)->column_labels[(c)] : (m)->labels[(c)])

/**
 * SextantTimeSeriesChart:
 * @title: (nullable): the title
 * @times: seconds since the Unix epoch, ascending, one per bucket
 * @n: the number of buckets
 * @bars: (nullable): a count per bucket (requests per minute), drawn in the upper pane
 * @bars_label: the bars' name and unit
 * @lines: (array length=n_lines): lines in the lower pane (latency p50, p95)
 * @n_lines: the number of lines
 * @lines_label: the lines' axis title ("Latency (ms)")
 * @first_visible: the first bucket shown (zoom); with @last_visible 0, every bucket is shown
 * @last_visible: the last bucket shown
 */
typedef struct
{
  const char               *title;
  const double             *times;
  gsize                     n;
  const double             *bars;
  const char               *bars_label;
  const SextantChartSeries *lines;
  gsize                     n_lines;
  const char               *lines_label;
  gsize                     first_visible;
  gsize                     last_visible;
} SextantTimeSeriesChart;

/**
 * SextantCurveSeries:
 * @name: shown in the legend
 * @x: (array length=n): x values (a yield curve's maturities in years), ascending
 * @y: (array length=n): y values; NaN leaves a gap (a tenor not published that day)
 * @n: the number of points
 * @markers: draw a dot at each point (observed values) rather than a line (fitted ones)
 * @dashed: draw the line dashed (a second date, compared with the first)
 * @color: the palette entry it is drawn in, so a compared date's series can share the colour of
 *   the same series on the first date
 *
 * One line or set of points of a curve chart, each with x values of its own, so a fitted curve
 * on a fine grid and the published tenors share one chart.
 */
typedef struct
{
  const char   *name;
  const double *x;
  const double *y;
  gsize         n;
  gboolean      markers;
  gboolean      dashed;
  guint         color;
} SextantCurveSeries;

/**
 * SextantCurveChart:
 * @title: (nullable): the title
 * @x_title: (nullable): the x axis's title ("Maturity (years)")
 * @y_title: (nullable): the y axis's title ("Rate (%)")
 * @series: (array length=n_series): the lines and point sets
 * @n_series: the number of series
 * @y_format: how y values read
 *
 * Lines and points against a numeric x axis: yield curves (par, zero and forward rates against
 * maturity, observed and fitted, two dates compared).
 */
typedef struct
{
  const char               *title;
  const char               *x_title;
  const char               *y_title;
  const SextantCurveSeries *series;
  gsize                     n_series;
  SextantChartFormat        y_format;
} SextantCurveChart;

G_END_DECLS
