#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantChartScale:
 * @SEXTANT_CHART_SCALE_LINEAR: values map linearly onto the axis
 * @SEXTANT_CHART_SCALE_LOG: log10 of the values maps linearly (values must be > 0)
 */
typedef enum
{
  SEXTANT_CHART_SCALE_LINEAR,
  SEXTANT_CHART_SCALE_LOG,
} SextantChartScale;

/**
 * SextantChartFormat:
 * @SEXTANT_CHART_FORMAT_NUMBER: plain numbers, with k/M/B suffixes for large magnitudes
 * @SEXTANT_CHART_FORMAT_PERCENT: fractions shown as percentages (0.05 → "5%")
 * @SEXTANT_CHART_FORMAT_DATE: days since 1970-01-01
 * @SEXTANT_CHART_FORMAT_TIME: seconds since the Unix epoch, shown in UTC
 */
typedef enum
{
  SEXTANT_CHART_FORMAT_NUMBER,
  SEXTANT_CHART_FORMAT_PERCENT,
  SEXTANT_CHART_FORMAT_DATE,
  SEXTANT_CHART_FORMAT_TIME,
} SextantChartFormat;

/**
 * SextantChartTickUnit:
 *
 * The calendar or clock unit date and time ticks were placed on; numeric ticks use
 * %SEXTANT_CHART_TICK_UNIT_VALUE.
 */
typedef enum
{
  SEXTANT_CHART_TICK_UNIT_VALUE,
  SEXTANT_CHART_TICK_UNIT_MINUTE,
  SEXTANT_CHART_TICK_UNIT_HOUR,
  SEXTANT_CHART_TICK_UNIT_DAY,
  SEXTANT_CHART_TICK_UNIT_WEEK,
  SEXTANT_CHART_TICK_UNIT_MONTH,
  SEXTANT_CHART_TICK_UNIT_QUARTER,
  SEXTANT_CHART_TICK_UNIT_YEAR,
} SextantChartTickUnit;

#define SEXTANT_CHART_MAX_TICKS 32
#define SEXTANT_CHART_TICK_LABEL_SIZE 24

/**
 * SextantChartTicks:
 * @n: the number of ticks
 * @values: tick positions in data units, ascending
 * @labels: the label of each tick
 * @step: the distance between ticks in data units (nominal for months and years)
 * @unit: the unit ticks were placed on
 * @unit_step: how many units lie between two ticks (2 for every other year, …)
 *
 * Fixed-size so that painting a chart allocates nothing for its axes.
 */
typedef struct
{
  guint                n;
  double               values[SEXTANT_CHART_MAX_TICKS];
  char                 labels[SEXTANT_CHART_MAX_TICKS][SEXTANT_CHART_TICK_LABEL_SIZE];
  double               step;
  SextantChartTickUnit unit;
  int                  unit_step;
} SextantChartTicks;

/**
 * SextantChartAxis:
 * @min: the value at the start of the axis
 * @max: the value at the end of the axis
 * @scale: linear or log
 */
typedef struct
{
  double            min;
  double            max;
  SextantChartScale scale;
} SextantChartAxis;

/**
 * SextantChartLayout:
 * @x: left edge of the plot area, device units
 * @y: top edge of the plot area, device units
 * @width: width of the plot area
 * @height: height of the plot area
 * @x_axis: the horizontal axis
 * @y_axis: the vertical axis (its minimum is at the bottom)
 *
 * Where data lands on the surface: what a painter draws with and what a crosshair picks with.
 */
typedef struct
{
  double           x;
  double           y;
  double           width;
  double           height;
  SextantChartAxis x_axis;
  SextantChartAxis y_axis;
} SextantChartLayout;

double   sextant_chart_nice_number          (double                    x,
                                             gboolean                  round);
void     sextant_chart_nice_range           (double                   *min,
                                             double                   *max,
                                             guint                     max_ticks);
void     sextant_chart_ticks_linear         (SextantChartTicks        *ticks,
                                             double                    min,
                                             double                    max,
                                             guint                     max_ticks,
                                             SextantChartFormat        format);
void     sextant_chart_ticks_log            (SextantChartTicks        *ticks,
                                             double                    min,
                                             double                    max,
                                             guint                     max_ticks);
void     sextant_chart_ticks_dates          (SextantChartTicks        *ticks,
                                             gint32                    first_day,
                                             gint32                    last_day,
                                             guint                     max_ticks);
void     sextant_chart_ticks_times          (SextantChartTicks        *ticks,
                                             double                    first,
                                             double                    last,
                                             guint                     max_ticks);
void     sextant_chart_ticks_for_axis       (SextantChartTicks        *ticks,
                                             const SextantChartAxis   *axis,
                                             guint                     max_ticks,
                                             SextantChartFormat        format);
void     sextant_chart_format_value         (double                    value,
                                             double                    step,
                                             SextantChartFormat        format,
                                             char                     *buffer,
                                             gsize                     size);
void     sextant_chart_format_day           (gint32                    day,
                                             char                     *buffer,
                                             gsize                     size);

double   sextant_chart_axis_map             (const SextantChartAxis   *axis,
                                             double                    value);
double   sextant_chart_axis_unmap           (const SextantChartAxis   *axis,
                                             double                    t);

double   sextant_chart_layout_to_device_x   (const SextantChartLayout *layout,
                                             double                    value);
double   sextant_chart_layout_to_device_y   (const SextantChartLayout *layout,
                                             double                    value);
double   sextant_chart_layout_from_device_x (const SextantChartLayout *layout,
                                             double                    device_x);
double   sextant_chart_layout_from_device_y (const SextantChartLayout *layout,
                                             double                    device_y);
gboolean sextant_chart_layout_pick          (const SextantChartLayout *layout,
                                             const double             *xs,
                                             const double             *ys,
                                             gsize                     n,
                                             gboolean                  sorted_x,
                                             double                    device_x,
                                             double                    device_y,
                                             gsize                    *index);
gboolean sextant_chart_layout_pick_day      (const SextantChartLayout *layout,
                                             const gint32             *days,
                                             gsize                     n,
                                             double                    device_x,
                                             gsize                    *index);

gsize    sextant_chart_decimate_minmax      (const double             *xs,
                                             const double             *ys,
                                             gsize                     n,
                                             double                    x_min,
                                             double                    x_max,
                                             guint                     columns,
                                             double                   *out_x,
                                             double                   *out_y);

G_END_DECLS
