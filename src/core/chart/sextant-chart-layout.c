#define G_LOG_DOMAIN "sextant-chart-layout"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/sextant-chart-layout.h"
#include "analytics/sextant-price-series.h"

/* Translated where a label is made, as the axis titles are; not the locale's own abbreviations
 * (%b), which vary in length and case from one C library to the next. */
static const char *month_names[12] = {
  NC_("abbreviated month", "Jan"), NC_("abbreviated month", "Feb"), NC_("abbreviated month", "Mar"),
  NC_("abbreviated month", "Apr"), NC_("abbreviated month", "May"), NC_("abbreviated month", "Jun"),
  NC_("abbreviated month", "Jul"), NC_("abbreviated month", "Aug"), NC_("abbreviated month", "Sep"),
  NC_("abbreviated month", "Oct"), NC_("abbreviated month", "Nov"), NC_("abbreviated month", "Dec"),
};

static const char *
month_name (int month)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "abbreviated month", month_names[month - 1]);
}

/**
 * sextant_chart_nice_number:
 * @x: a positive number
 * @round: %TRUE for the nearest nice number, %FALSE for the next one up
 *
 * Heckbert's "nice numbers" (Graphics Gems, 1990): 1, 2 or 5 times a power of ten.
 *
 * Returns: the nice number
 */
double
sextant_chart_nice_number (double   x,
                           gboolean round)
{
  double exponent, fraction, nice;

  if (!(x > 0) || !isfinite (x))
    return 1;

  exponent = floor (log10 (x));
  fraction = x / pow (10, exponent);
  if (round)
    nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else
    nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;

  return nice * pow (10, exponent);
}

static double
linear_step (double min,
             double max,
             guint  max_ticks)
{
  double range = sextant_chart_nice_number (max - min, FALSE);

  return sextant_chart_nice_number (range / MAX (max_ticks - 1, 1), TRUE);
}

/**
 * sextant_chart_nice_range:
 * @min: (inout): the smallest value, widened down to a tick
 * @max: (inout): the largest value, widened up to a tick
 * @max_ticks: the most ticks wanted
 *
 * Widens a data range to whole tick steps ("loose" labelling), so that the axis starts and ends
 * on a label. A range of zero width is opened around its value first.
 */
void
sextant_chart_nice_range (double *min,
                          double *max,
                          guint   max_ticks)
{
  double step;

  g_return_if_fail (min != NULL && max != NULL);

  if (!isfinite (*min) || !isfinite (*max))
    {
      *min = 0;
      *max = 1;
      return;
    }
  if (*max <= *min)
    {
      double pad = fabs (*min) > 0 ? fabs (*min) * 0.05 : 1;
      *min -= pad;
      *max += pad;
    }

  step = linear_step (*min, *max, MAX (max_ticks, 2));
  *min = floor (*min / step) * step;
  *max = ceil (*max / step) * step;
}

static void
ticks_clear (SextantChartTicks *ticks)
{
  ticks->n = 0;
  ticks->step = 0;
  ticks->unit = SEXTANT_CHART_TICK_UNIT_VALUE;
  ticks->unit_step = 1;
}

static void
ticks_append (SextantChartTicks *ticks,
              double             value,
              const char        *label)
{
  if (ticks->n >= SEXTANT_CHART_MAX_TICKS)
    return;
  ticks->values[ticks->n] = value;
  g_strlcpy (ticks->labels[ticks->n], label, SEXTANT_CHART_TICK_LABEL_SIZE);
  ticks->n++;
}

static guint
count_linear (double min,
              double max,
              double step)
{
  double first = ceil (min / step - 1e-9);
  double last = floor (max / step + 1e-9);

  return last >= first ? (guint) (last - first + 1) : 0;
}

/**
 * sextant_chart_ticks_linear:
 * @ticks: (out caller-allocates): the ticks
 * @min: the start of the axis
 * @max: the end of the axis
 * @max_ticks: the most ticks wanted (at most %SEXTANT_CHART_MAX_TICKS)
 * @format: how to label them
 *
 * Places ticks on 1-2-5 steps inside [@min, @max] ("tight" labelling: the axis does not grow).
 */
void
sextant_chart_ticks_linear (SextantChartTicks  *ticks,
                            double              min,
                            double              max,
                            guint               max_ticks,
                            SextantChartFormat  format)
{
  double step, first;
  guint count;

  g_return_if_fail (ticks != NULL);

  ticks_clear (ticks);
  max_ticks = CLAMP (max_ticks, 2, SEXTANT_CHART_MAX_TICKS);
  if (!isfinite (min) || !isfinite (max) || max <= min)
    return;

  step = linear_step (min, max, max_ticks);
  /* The step is rounded to the nearest nice number, which can overshoot the count: go up. */
  while ((count = count_linear (min, max, step)) > max_ticks)
    step = sextant_chart_nice_number (step * 1.01, FALSE);

  first = ceil (min / step - 1e-9);
  ticks->step = step;
  for (guint i = 0; i < count; i++)
    {
      char label[SEXTANT_CHART_TICK_LABEL_SIZE];
      double value = (first + i) * step;

      /* Multiplying by the step leaves -0 and 1e-17 where the tick is zero. */
      if (fabs (value) < step * 1e-9)
        value = 0;
      sextant_chart_format_value (value, step, format, label, sizeof label);
      ticks_append (ticks, value, label);
    }
}

/**
 * sextant_chart_ticks_log:
 * @ticks: (out caller-allocates): the ticks
 * @min: the start of the axis (> 0)
 * @max: the end of the axis
 * @max_ticks: the most ticks wanted
 *
 * Powers of ten, with 2 and 5 between them when few decades are shown. Below one decade a log
 * axis has too few powers to label, so linear 1-2-5 ticks are used (they are still placed on
 * the log scale by the axis).
 */
void
sextant_chart_ticks_log (SextantChartTicks *ticks,
                         double             min,
                         double             max,
                         guint              max_ticks)
{
  static const double mantissas[] = { 1, 2, 5 };
  int lo, hi, every = 1;
  guint n_mantissas;

  g_return_if_fail (ticks != NULL);

  ticks_clear (ticks);
  max_ticks = CLAMP (max_ticks, 2, SEXTANT_CHART_MAX_TICKS);
  if (!(min > 0) || !isfinite (max) || max <= min)
    return;

  lo = (int) floor (log10 (min) + 1e-9);
  hi = (int) floor (log10 (max) + 1e-9);
  if (log10 (max) - log10 (min) < 1)
    {
      sextant_chart_ticks_linear (ticks, min, max, max_ticks, SEXTANT_CHART_FORMAT_NUMBER);
      return;
    }

  n_mantissas = (guint) (hi - lo + 1) * 3 <= max_ticks ? 3 : 1;
  while ((guint) ((hi - lo) / every + 1) > max_ticks)
    every++;

  for (int e = lo; e <= hi; e += every)
    for (guint m = 0; m < n_mantissas; m++)
      {
        char label[SEXTANT_CHART_TICK_LABEL_SIZE];
        double value = mantissas[m] * pow (10, e);

        if (value < min * (1 - 1e-9) || value > max * (1 + 1e-9))
          continue;
        sextant_chart_format_value (value, value, SEXTANT_CHART_FORMAT_NUMBER, label, sizeof label);
        ticks_append (ticks, value, label);
      }
  ticks->step = pow (10, every);
}

typedef struct
{
  SextantChartTickUnit unit;
  int                  step;
} TickCandidate;

/* From finest to coarsest; the first one that fits wins. */
static const TickCandidate date_candidates[] = {
  { SEXTANT_CHART_TICK_UNIT_DAY, 1 },
  { SEXTANT_CHART_TICK_UNIT_DAY, 2 },
  { SEXTANT_CHART_TICK_UNIT_WEEK, 1 },
  { SEXTANT_CHART_TICK_UNIT_WEEK, 2 },
  { SEXTANT_CHART_TICK_UNIT_MONTH, 1 },
  { SEXTANT_CHART_TICK_UNIT_QUARTER, 1 },
  { SEXTANT_CHART_TICK_UNIT_QUARTER, 2 },
  { SEXTANT_CHART_TICK_UNIT_YEAR, 1 },
  { SEXTANT_CHART_TICK_UNIT_YEAR, 2 },
  { SEXTANT_CHART_TICK_UNIT_YEAR, 5 },
  { SEXTANT_CHART_TICK_UNIT_YEAR, 10 },
  { SEXTANT_CHART_TICK_UNIT_YEAR, 20 },
  { SEXTANT_CHART_TICK_UNIT_YEAR, 50 },
  { SEXTANT_CHART_TICK_UNIT_YEAR, 100 },
};

static void
label_day (gint32               day,
           SextantChartTickUnit unit,
           char                *buffer,
           gsize                size)
{
  int y, m, d;

  if (!sextant_day_to_ymd (day, &y, &m, &d))
    {
      g_strlcpy (buffer, "?", size);
      return;
    }
  if (unit == SEXTANT_CHART_TICK_UNIT_YEAR)
    g_snprintf (buffer, size, "%d", y);
  else if (unit == SEXTANT_CHART_TICK_UNIT_MONTH || unit == SEXTANT_CHART_TICK_UNIT_QUARTER)
    g_snprintf (buffer, size, "%s %d", month_name (m), y);
  else
    g_snprintf (buffer, size, "%d %s", d, month_name (m));
}

/* Monday is weekday 0; 1970-01-01 was a Thursday (3). Integer division rounds towards zero, so
 * negative days are shifted into the positive range first. */
static int
weekday (gint32 day)
{
  return (int) (((gint64) day + 3) % 7 + 7) % 7;
}

static gboolean
day_matches (gint32        day,
             TickCandidate c)
{
  int y, m, d;

  switch (c.unit)
    {
    case SEXTANT_CHART_TICK_UNIT_DAY:
      return ((gint64) day % c.step + c.step) % c.step == 0;
    case SEXTANT_CHART_TICK_UNIT_WEEK:
      return weekday (day) == 0 && ((((gint64) day + 3) / 7) % c.step + c.step) % c.step == 0;
    default:
      break;
    }

  sextant_day_to_ymd (day, &y, &m, &d);
  if (d != 1)
    return FALSE;
  if (c.unit == SEXTANT_CHART_TICK_UNIT_MONTH)
    return (m - 1) % c.step == 0;
  if (c.unit == SEXTANT_CHART_TICK_UNIT_QUARTER)
    return (m - 1) % (3 * c.step) == 0;
  return m == 1 && y % c.step == 0;
}

/* Steps from one candidate tick to the next without visiting every day in between. */
static gint32
next_candidate_day (gint32        day,
                    TickCandidate c)
{
  int y, m, d, months;

  if (c.unit == SEXTANT_CHART_TICK_UNIT_DAY)
    return day + c.step;
  if (c.unit == SEXTANT_CHART_TICK_UNIT_WEEK)
    return day + 7 * c.step;

  sextant_day_to_ymd (day, &y, &m, &d);
  months = c.unit == SEXTANT_CHART_TICK_UNIT_MONTH ? c.step
         : c.unit == SEXTANT_CHART_TICK_UNIT_QUARTER ? 3 * c.step
         : 12 * c.step;
  m += months;
  y += (m - 1) / 12;
  m = (m - 1) % 12 + 1;

  return sextant_day_from_ymd (y, m, 1);
}

static gint32
first_candidate_day (gint32        first_day,
                     TickCandidate c)
{
  int y, m, d;
  gint32 day;

  if (c.unit == SEXTANT_CHART_TICK_UNIT_DAY || c.unit == SEXTANT_CHART_TICK_UNIT_WEEK)
    {
      for (day = first_day; !day_matches (day, c); day++)
        ;
      return day;
    }

  /* Month-based units: walk the first of each month from the month that contains first_day. */
  sextant_day_to_ymd (first_day, &y, &m, &d);
  day = sextant_day_from_ymd (y, m, 1);
  if (day < first_day)
    day = next_candidate_day (day, (TickCandidate) { SEXTANT_CHART_TICK_UNIT_MONTH, 1 });
  while (!day_matches (day, c))
    day = next_candidate_day (day, (TickCandidate) { SEXTANT_CHART_TICK_UNIT_MONTH, 1 });

  return day;
}

static guint
fill_date_candidate (SextantChartTicks *ticks,
                     TickCandidate      c,
                     gint32             first_day,
                     gint32             last_day,
                     guint              max_ticks)
{
  ticks_clear (ticks);
  ticks->unit = c.unit;
  ticks->unit_step = c.step;
  ticks->step = c.unit == SEXTANT_CHART_TICK_UNIT_DAY ? c.step
              : c.unit == SEXTANT_CHART_TICK_UNIT_WEEK ? 7.0 * c.step
              : c.unit == SEXTANT_CHART_TICK_UNIT_MONTH ? 30.4375 * c.step
              : c.unit == SEXTANT_CHART_TICK_UNIT_QUARTER ? 91.3125 * c.step
              : 365.25 * c.step;

  for (gint32 day = first_candidate_day (first_day, c);
       day <= last_day;
       day = next_candidate_day (day, c))
    {
      char label[SEXTANT_CHART_TICK_LABEL_SIZE];

      if (ticks->n == max_ticks)
        return max_ticks + 1;
      label_day (day, c.unit, label, sizeof label);
      ticks_append (ticks, day, label);
    }

  return ticks->n;
}

/**
 * sextant_chart_ticks_dates:
 * @ticks: (out caller-allocates): the ticks
 * @first_day: the first day shown (days since 1970-01-01)
 * @last_day: the last day shown
 * @max_ticks: the most ticks that fit
 *
 * Picks the finest calendar unit whose ticks fit: days ("15 Mar"), Monday weeks ("15 Mar"),
 * months or quarters ("Mar 2008"), or years ("2008") in steps of 1, 2, 5, 10, 20, 50 or 100.
 */
void
sextant_chart_ticks_dates (SextantChartTicks *ticks,
                           gint32             first_day,
                           gint32             last_day,
                           guint              max_ticks)
{
  g_return_if_fail (ticks != NULL);

  max_ticks = CLAMP (max_ticks, 1, SEXTANT_CHART_MAX_TICKS);
  ticks_clear (ticks);
  if (last_day < first_day)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (date_candidates); i++)
    {
      /* Skip units whose ticks cannot fit before generating them. */
      double nominal = (date_candidates[i].unit == SEXTANT_CHART_TICK_UNIT_YEAR ? 365.0
                        : date_candidates[i].unit == SEXTANT_CHART_TICK_UNIT_QUARTER ? 90.0
                        : date_candidates[i].unit == SEXTANT_CHART_TICK_UNIT_MONTH ? 28.0
                        : date_candidates[i].unit == SEXTANT_CHART_TICK_UNIT_WEEK ? 7.0 : 1.0)
                       * date_candidates[i].step;

      if ((last_day - first_day) / nominal > max_ticks + 1)
        continue;
      if (fill_date_candidate (ticks, date_candidates[i], first_day, last_day,
                               max_ticks) <= max_ticks)
        return;
    }
  fill_date_candidate (ticks, date_candidates[G_N_ELEMENTS (date_candidates) - 1],
                       first_day, last_day, max_ticks);
}

/* Clock steps in seconds; beyond a day, time axes fall back to date ticks. */
static const int time_steps[] = {
  60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
};

/**
 * sextant_chart_ticks_times:
 * @ticks: (out caller-allocates): the ticks
 * @first: the start, seconds since the Unix epoch
 * @last: the end
 * @max_ticks: the most ticks that fit
 *
 * Ticks on whole minutes or hours in UTC ("14:30"); ranges over a few days get date ticks
 * placed at midnight UTC.
 */
void
sextant_chart_ticks_times (SextantChartTicks *ticks,
                           double             first,
                           double             last,
                           guint              max_ticks)
{
  g_return_if_fail (ticks != NULL);

  max_ticks = CLAMP (max_ticks, 1, SEXTANT_CHART_MAX_TICKS);
  ticks_clear (ticks);
  if (!isfinite (first) || !isfinite (last) || last < first)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (time_steps); i++)
    {
      double step = time_steps[i];

      if (count_linear (first, last, step) > max_ticks)
        continue;
      ticks->step = step;
      ticks->unit = step < 3600 ? SEXTANT_CHART_TICK_UNIT_MINUTE : SEXTANT_CHART_TICK_UNIT_HOUR;
      ticks->unit_step = step < 3600 ? (int) step / 60 : (int) step / 3600;
      for (double t = ceil (first / step - 1e-9) * step; t <= last + 1e-6; t += step)
        {
          char label[SEXTANT_CHART_TICK_LABEL_SIZE];

          sextant_chart_format_value (t, step, SEXTANT_CHART_FORMAT_TIME, label, sizeof label);
          ticks_append (ticks, t, label);
        }
      return;
    }

  sextant_chart_ticks_dates (ticks, (gint32) ceil (first / 86400), (gint32) floor (last / 86400),
                             max_ticks);
  for (guint i = 0; i < ticks->n; i++)
    ticks->values[i] *= 86400;
  ticks->step *= 86400;
}

static int
decimals_for_step (double step)
{
  int decimals;

  if (!(step > 0) || !isfinite (step))
    return 2;
  /* Enough decimals to write the step itself exactly: 0.5 needs one, 0.25 two. */
  decimals = CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 8);
  while (decimals < 8)
    {
      double scaled = step * pow (10, decimals);

      if (fabs (scaled - round (scaled)) < 1e-6 * scaled)
        break;
      decimals++;
    }

  return decimals;
}

/**
 * sextant_chart_format_value:
 * @value: the value
 * @step: the precision to show (a tick step, or the value itself for a lone label)
 * @format: how to show it
 * @buffer: (out caller-allocates): where the text goes
 * @size: the size of @buffer
 *
 * Formats with as many decimals as @step needs, so that 0.05-spaced ticks read "0.05", "0.10".
 */
void
sextant_chart_format_value (double              value,
                            double              step,
                            SextantChartFormat  format,
                            char               *buffer,
                            gsize               size)
{
  g_return_if_fail (buffer != NULL && size > 0);

  if (!isfinite (value))
    {
      g_strlcpy (buffer, "–", size);
      return;
    }

  switch (format)
    {
    case SEXTANT_CHART_FORMAT_PERCENT:
      g_snprintf (buffer, size, "%.*f%%", decimals_for_step (step * 100), value * 100);
      break;
    case SEXTANT_CHART_FORMAT_DATE:
      sextant_chart_format_day ((gint32) floor (value + 0.5), buffer, size);
      break;
    case SEXTANT_CHART_FORMAT_TIME:
      {
        gint64 t = (gint64) floor (value + 0.5);
        gint64 of_day = ((t % 86400) + 86400) % 86400;

        if (step < 86400)
          g_snprintf (buffer, size, "%02d:%02d", (int) (of_day / 3600), (int) (of_day % 3600 / 60));
        else
          label_day ((gint32) ((t - of_day) / 86400), SEXTANT_CHART_TICK_UNIT_DAY, buffer, size);
      }
      break;
    case SEXTANT_CHART_FORMAT_NUMBER:
    default:
      {
        double scale = 1;
        const char *suffix = "";

        /* Zero needs no unit: "0", not "0M". */
        if (value == 0)
          {
            g_strlcpy (buffer, "0", size);
            break;
          }
        if (fabs (step) >= 1e9)
          scale = 1e9, suffix = "B";
        else if (fabs (step) >= 1e6)
          scale = 1e6, suffix = "M";
        else if (fabs (step) >= 1e4)
          scale = 1e3, suffix = "k";
        g_snprintf (buffer, size, "%.*f%s", decimals_for_step (step / scale), value / scale,
                    suffix);
        /* "-0" reads as a bug on an axis. */
        if (strcmp (buffer, "-0") == 0)
          g_strlcpy (buffer, "0", size);
      }
      break;
    }
}

/**
 * sextant_chart_format_day:
 * @day: days since 1970-01-01
 * @buffer: (out caller-allocates): where the ISO date goes
 * @size: the size of @buffer (11 bytes or more)
 */
void
sextant_chart_format_day (gint32  day,
                          char   *buffer,
                          gsize   size)
{
  int y, m, d;

  g_return_if_fail (buffer != NULL && size > 0);

  if (sextant_day_to_ymd (day, &y, &m, &d))
    g_snprintf (buffer, size, "%04d-%02d-%02d", y, m, d);
  else
    g_strlcpy (buffer, "?", size);
}

/**
 * sextant_chart_ticks_for_axis:
 * @ticks: (out caller-allocates): the ticks
 * @axis: the axis
 * @max_ticks: the most ticks that fit
 * @format: what the values are
 *
 * Chooses date, time, log or linear ticks to suit @axis and @format.
 */
void
sextant_chart_ticks_for_axis (SextantChartTicks      *ticks,
                              const SextantChartAxis *axis,
                              guint                   max_ticks,
                              SextantChartFormat      format)
{
  g_return_if_fail (ticks != NULL && axis != NULL);

  if (format == SEXTANT_CHART_FORMAT_DATE)
    sextant_chart_ticks_dates (ticks, (gint32) ceil (axis->min), (gint32) floor (axis->max),
                               max_ticks);
  else if (format == SEXTANT_CHART_FORMAT_TIME)
    sextant_chart_ticks_times (ticks, axis->min, axis->max, max_ticks);
  else if (axis->scale == SEXTANT_CHART_SCALE_LOG)
    sextant_chart_ticks_log (ticks, axis->min, axis->max, max_ticks);
  else
    sextant_chart_ticks_linear (ticks, axis->min, axis->max, max_ticks, format);
}

/**
 * sextant_chart_axis_map:
 * @axis: the axis
 * @value: a data value
 *
 * Returns: where @value lies on the axis, 0 at @axis->min and 1 at @axis->max
 */
double
sextant_chart_axis_map (const SextantChartAxis *axis,
                        double                  value)
{
  g_return_val_if_fail (axis != NULL, NAN);

  if (axis->scale == SEXTANT_CHART_SCALE_LOG)
    {
      if (!(value > 0) || !(axis->min > 0) || !(axis->max > axis->min))
        return NAN;
      return (log (value) - log (axis->min)) / (log (axis->max) - log (axis->min));
    }
  if (axis->max == axis->min)
    return 0.5;

  return (value - axis->min) / (axis->max - axis->min);
}

/**
 * sextant_chart_axis_unmap:
 * @axis: the axis
 * @t: a position along the axis, 0 to 1
 *
 * Returns: the data value at @t, the inverse of sextant_chart_axis_map()
 */
double
sextant_chart_axis_unmap (const SextantChartAxis *axis,
                          double                  t)
{
  g_return_val_if_fail (axis != NULL, NAN);

  if (axis->scale == SEXTANT_CHART_SCALE_LOG)
    return exp (log (axis->min) + t * (log (axis->max) - log (axis->min)));

  return axis->min + t * (axis->max - axis->min);
}

/**
 * sextant_chart_layout_to_device_x:
 * @layout: a layout
 * @value: a value on the x axis
 *
 * No argument checks: painters call this once per point.
 *
 * Returns: the device x where @value is drawn
 */
double
sextant_chart_layout_to_device_x (const SextantChartLayout *layout,
                                  double                    value)
{
  return layout->x + sextant_chart_axis_map (&layout->x_axis, value) * layout->width;
}

/**
 * sextant_chart_layout_to_device_y:
 * @layout: a layout
 * @value: a value on the y axis
 *
 * Returns: the device y where @value is drawn (larger values higher up)
 */
double
sextant_chart_layout_to_device_y (const SextantChartLayout *layout,
                                  double                    value)
{
  return layout->y + (1 - sextant_chart_axis_map (&layout->y_axis, value)) * layout->height;
}

/**
 * sextant_chart_layout_from_device_x:
 * @layout: a layout
 * @device_x: a device x, such as the pointer's
 *
 * Returns: the x value drawn there
 */
double
sextant_chart_layout_from_device_x (const SextantChartLayout *layout,
                                    double                    device_x)
{
  return sextant_chart_axis_unmap (&layout->x_axis, (device_x - layout->x) / layout->width);
}

/**
 * sextant_chart_layout_from_device_y:
 * @layout: a layout
 * @device_y: a device y
 *
 * Returns: the y value drawn there
 */
double
sextant_chart_layout_from_device_y (const SextantChartLayout *layout,
                                    double                    device_y)
{
  return sextant_chart_axis_unmap (&layout->y_axis, 1 - (device_y - layout->y) / layout->height);
}

/* Index of the element of the ascending @xs closest to @x. */
static gsize
nearest_sorted (const double *xs,
                gsize         n,
                double        x)
{
  gsize lo = 0, hi = n;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (xs[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == n)
    return n - 1;
  if (lo > 0 && x - xs[lo - 1] <= xs[lo] - x)
    return lo - 1;

  return lo;
}

/**
 * sextant_chart_layout_pick:
 * @layout: the layout the data was drawn with
 * @xs: x values (ascending when @sorted_x)
 * @ys: y values
 * @n: the number of points
 * @sorted_x: %TRUE for a series over time: the point nearest in x wins, as a crosshair wants;
 *   %FALSE for a scatter: the point nearest on screen wins
 * @device_x: the pointer's x in device units
 * @device_y: the pointer's y (ignored when @sorted_x)
 * @index: (out): the index of the picked point
 *
 * Returns: %TRUE if a point was picked (there is one with finite coordinates)
 */
gboolean
sextant_chart_layout_pick (const SextantChartLayout *layout,
                           const double             *xs,
                           const double             *ys,
                           gsize                     n,
                           gboolean                  sorted_x,
                           double                    device_x,
                           double                    device_y,
                           gsize                    *index)
{
  double best = INFINITY;
  gboolean found = FALSE;

  g_return_val_if_fail (layout != NULL && xs != NULL && index != NULL, FALSE);

  if (n == 0)
    return FALSE;
  if (sorted_x)
    {
      *index = nearest_sorted (xs, n, sextant_chart_layout_from_device_x (layout, device_x));
      return TRUE;
    }

  g_return_val_if_fail (ys != NULL, FALSE);
  for (gsize i = 0; i < n; i++)
    {
      double dx = sextant_chart_layout_to_device_x (layout, xs[i]) - device_x;
      double dy = sextant_chart_layout_to_device_y (layout, ys[i]) - device_y;
      double d = dx * dx + dy * dy;

      if (d < best)
        {
          best = d;
          *index = i;
          found = TRUE;
        }
    }

  return found;
}

/**
 * sextant_chart_layout_pick_day:
 * @layout: the layout, with days since 1970-01-01 on the x axis
 * @days: ascending days
 * @n: the number of days
 * @device_x: the pointer's x
 * @index: (out): the index of the nearest day
 *
 * Returns: %TRUE if @n > 0
 */
gboolean
sextant_chart_layout_pick_day (const SextantChartLayout *layout,
                               const gint32             *days,
                               gsize                     n,
                               double                    device_x,
                               gsize                    *index)
{
  double x;
  gsize lo = 0, hi = n;

  g_return_val_if_fail (layout != NULL && days != NULL && index != NULL, FALSE);

  if (n == 0)
    return FALSE;
  x = sextant_chart_layout_from_device_x (layout, device_x);
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (days[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == n)
    lo = n - 1;
  else if (lo > 0 && x - days[lo - 1] <= days[lo] - x)
    lo--;
  *index = lo;

  return TRUE;
}

/**
 * sextant_chart_decimate_minmax:
 * @xs: (nullable): ascending x values, or %NULL for 0, 1, 2, …
 * @ys: y values; NaN values are skipped
 * @n: the number of points
 * @x_min: the x at the left edge
 * @x_max: the x at the right edge
 * @columns: the number of pixel columns (the plot width)
 * @out_x: (out caller-allocates): room for 2 × @columns values
 * @out_y: (out caller-allocates): room for 2 × @columns values
 *
 * Keeps, for each pixel column, the points with the smallest and the largest y, in their original
 * order. A line through them covers exactly the pixels the full line would (its vertical extent in
 * each column is the same), at 2 × @columns points however long the series. Points outside
 * [@x_min, @x_max] are counted in the edge columns.
 *
 * Returns: the number of points written
 */
gsize
sextant_chart_decimate_minmax (const double *xs,
                               const double *ys,
                               gsize         n,
                               double        x_min,
                               double        x_max,
                               guint         columns,
                               double       *out_x,
                               double       *out_y)
{
  double width;
  gsize written = 0, i = 0;

  g_return_val_if_fail (ys != NULL && out_x != NULL && out_y != NULL, 0);
  g_return_val_if_fail (columns > 0 && x_max > x_min, 0);

  width = (x_max - x_min) / columns;
  while (i < n)
    {
      double x = xs ? xs[i] : (double) i;
      gint64 column = CLAMP ((gint64) floor ((x - x_min) / width), 0, (gint64) columns - 1);
      /* Comparing with the column's right edge is cheaper than a floor() per point; the last
       * column takes everything to its right. */
      double edge = column + 1 < (gint64) columns ? x_min + (column + 1) * width : INFINITY;
      gsize lo = isnan (ys[i]) ? G_MAXSIZE : i, hi = lo;
      double lo_v = isnan (ys[i]) ? INFINITY : ys[i], hi_v = isnan (ys[i]) ? -INFINITY : ys[i];

      /* One pass over the points of this column; the first point always belongs to it. The
       * extremes are kept in locals so they stay in registers. NaN fails both comparisons. */
      for (i++; i < n; i++)
        {
          double v = ys[i];

          if ((xs ? xs[i] : (double) i) >= edge)
            break;
          if (v < lo_v)
            lo_v = v, lo = i;
          if (v > hi_v)
            hi_v = v, hi = i;
        }
      if (lo == G_MAXSIZE || hi == G_MAXSIZE)
        continue;
      out_x[written] = xs ? xs[MIN (lo, hi)] : (double) MIN (lo, hi);
      out_y[written++] = ys[MIN (lo, hi)];
      if (lo != hi)
        {
          out_x[written] = xs ? xs[MAX (lo, hi)] : (double) MAX (lo, hi);
          out_y[written++] = ys[MAX (lo, hi)];
        }
    }

  return written;
}
