#define G_LOG_DOMAIN "test-chart-layout"

#include "config.h"

#include <math.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Every expectation below is worked out by hand in its comment from the rules in
 * sextant-chart-layout.c (Heckbert's nice numbers, the tick-unit candidate list). */

static void
assert_ticks (const SextantChartTicks *ticks,
              const double            *values,
              const char * const      *labels,
              guint                    n)
{
  g_assert_cmpuint (ticks->n, ==, n);
  for (guint i = 0; i < n; i++)
    {
      sextant_assert_close_mixed (ticks->values[i], values[i], 1e-12);
      g_assert_cmpstr (ticks->labels[i], ==, labels[i]);
    }
}

static void
test_nice_number (void)
{
  /* 888.62 = 8.8862 × 10²: the fraction rounds to 10 (≥ 7) and ceils to 10 (> 5). */
  g_assert_cmpfloat (sextant_chart_nice_number (888.62, TRUE), ==, 1000);
  g_assert_cmpfloat (sextant_chart_nice_number (888.62, FALSE), ==, 1000);
  /* 0.04 = 4 × 10⁻²: 4 rounds to 5 (3 ≤ f < 7). */
  sextant_assert_close_rel (sextant_chart_nice_number (0.04, TRUE), 0.05, 1e-15);
  /* 2.5 rounds to 2 (1.5 ≤ f < 3) but ceils to 5 (2 < f ≤ 5). */
  g_assert_cmpfloat (sextant_chart_nice_number (2.5, TRUE), ==, 2);
  g_assert_cmpfloat (sextant_chart_nice_number (2.5, FALSE), ==, 5);
  g_assert_cmpfloat (sextant_chart_nice_number (1.4, TRUE), ==, 1);
  sextant_assert_close_rel (sextant_chart_nice_number (0.3, FALSE), 0.5, 1e-15);
}

static void
test_ticks_linear (void)
{
  SextantChartTicks ticks;

  /* 0..100, 6 ticks: range nice(100, ceil) = 100, step nice(100/5 = 20, round) = 20. */
  sextant_chart_ticks_linear (&ticks, 0, 100, 6, SEXTANT_CHART_FORMAT_NUMBER);
  assert_ticks (&ticks, (double[]) { 0, 20, 40, 60, 80, 100 },
                (const char *[]) { "0", "20", "40", "60", "80", "100" }, 6);
  g_assert_cmpfloat (ticks.step, ==, 20);

  /* The S&P 500 closes' extremes 676.53..1565.15: range nice(888.62) = 1000, step
   * nice(200) = 200, ticks are the multiples of 200 inside: 800..1400. */
  sextant_chart_ticks_linear (&ticks, 676.53, 1565.15, 6, SEXTANT_CHART_FORMAT_NUMBER);
  assert_ticks (&ticks, (double[]) { 800, 1000, 1200, 1400 },
                (const char *[]) { "800", "1000", "1200", "1400" }, 4);

  /* ±10 % as fractions: range nice(0.2) = 0.2, step nice(0.05) = 0.05, labelled in percent
   * with no decimals (a 5 % step needs none); the middle tick is exactly 0, not "-0%". */
  sextant_chart_ticks_linear (&ticks, -0.1, 0.1, 5, SEXTANT_CHART_FORMAT_PERCENT);
  assert_ticks (&ticks, (double[]) { -0.1, -0.05, 0, 0.05, 0.1 },
                (const char *[]) { "-10%", "-5%", "0%", "5%", "10%" }, 5);

  /* 0..1 with at most 3 ticks: step nice(0.5) = 0.5 → 0, 0.5, 1 (one decimal for a 0.5 step;
   * zero is always plain "0"). */
  sextant_chart_ticks_linear (&ticks, 0, 1, 3, SEXTANT_CHART_FORMAT_NUMBER);
  assert_ticks (&ticks, (double[]) { 0, 0.5, 1 }, (const char *[]) { "0", "0.5", "1.0" }, 3);

  /* Volumes 0..2e9, 5 ticks: step nice(5e8) = 5e8, shown in millions (zero without a unit). */
  sextant_chart_ticks_linear (&ticks, 0, 2e9, 5, SEXTANT_CHART_FORMAT_NUMBER);
  assert_ticks (&ticks, (double[]) { 0, 5e8, 1e9, 1.5e9, 2e9 },
                (const char *[]) { "0", "500M", "1000M", "1500M", "2000M" }, 5);

  /* An empty range gives no ticks rather than a division by zero. */
  sextant_chart_ticks_linear (&ticks, 3, 3, 5, SEXTANT_CHART_FORMAT_NUMBER);
  g_assert_cmpuint (ticks.n, ==, 0);
}

static void
test_nice_range (void)
{
  double min = 676.53, max = 1565.15;

  /* Step 200 as above: widened to the multiples of 200 around the data. */
  sextant_chart_nice_range (&min, &max, 6);
  g_assert_cmpfloat (min, ==, 600);
  g_assert_cmpfloat (max, ==, 1600);
}

static void
test_ticks_log (void)
{
  SextantChartTicks ticks;

  /* 1..1000 spans 4 decades; 4 × 3 = 12 ticks with 1-2-5 would exceed 10, so powers only. */
  sextant_chart_ticks_log (&ticks, 1, 1000, 10);
  assert_ticks (&ticks, (double[]) { 1, 10, 100, 1000 },
                (const char *[]) { "1", "10", "100", "1000" }, 4);

  /* 1..100: 3 decades × 3 = 9 ≤ 10, so 1-2-5 in each decade up to 100. */
  sextant_chart_ticks_log (&ticks, 1, 100, 10);
  assert_ticks (&ticks, (double[]) { 1, 2, 5, 10, 20, 50, 100 },
                (const char *[]) { "1", "2", "5", "10", "20", "50", "100" }, 7);

  /* Less than a decade falls back to linear ticks, as test_ticks_linear() computed. */
  sextant_chart_ticks_log (&ticks, 676.53, 1565.15, 6);
  assert_ticks (&ticks, (double[]) { 800, 1000, 1200, 1400 },
                (const char *[]) { "800", "1000", "1200", "1400" }, 4);
}

static void
test_ticks_dates (void)
{
  SextantChartTicks ticks;

  /* 5 days, Monday 2 March to Friday 6 March 2020: one tick a day. */
  sextant_chart_ticks_dates (&ticks, sextant_day_from_ymd (2020, 3, 2),
                             sextant_day_from_ymd (2020, 3, 6), 8);
  g_assert_cmpint (ticks.unit, ==, SEXTANT_CHART_TICK_UNIT_DAY);
  assert_ticks (&ticks,
                (double[]) { sextant_day_from_ymd (2020, 3, 2), sextant_day_from_ymd (2020, 3, 3),
                             sextant_day_from_ymd (2020, 3, 4), sextant_day_from_ymd (2020, 3, 5),
                             sextant_day_from_ymd (2020, 3, 6) },
                (const char *[]) { "2 Mar", "3 Mar", "4 Mar", "5 Mar", "6 Mar" }, 5);

  /* 3 months, Q1 2020, room for 4 ticks: 13 weeks or 7 fortnights are too many; months fit. */
  sextant_chart_ticks_dates (&ticks, sextant_day_from_ymd (2020, 1, 1),
                             sextant_day_from_ymd (2020, 3, 31), 4);
  g_assert_cmpint (ticks.unit, ==, SEXTANT_CHART_TICK_UNIT_MONTH);
  assert_ticks (&ticks,
                (double[]) { sextant_day_from_ymd (2020, 1, 1), sextant_day_from_ymd (2020, 2, 1),
                             sextant_day_from_ymd (2020, 3, 1) },
                (const char *[]) { "Jan 2020", "Feb 2020", "Mar 2020" }, 3);

  /* The same 3 months with room for 8: every other Monday (weeks counted from the Monday
   * 1969-12-29; 2020-01-06 is week 2610, even), 7 ticks. */
  sextant_chart_ticks_dates (&ticks, sextant_day_from_ymd (2020, 1, 1),
                             sextant_day_from_ymd (2020, 3, 31), 8);
  g_assert_cmpint (ticks.unit, ==, SEXTANT_CHART_TICK_UNIT_WEEK);
  g_assert_cmpint (ticks.unit_step, ==, 2);
  g_assert_cmpuint (ticks.n, ==, 7);
  g_assert_cmpfloat (ticks.values[0], ==, sextant_day_from_ymd (2020, 1, 6));
  g_assert_cmpstr (ticks.labels[0], ==, "6 Jan");
  g_assert_cmpstr (ticks.labels[6], ==, "30 Mar");

  /* 2 years, 2018–2019, room for 8: 24 months are too many, 8 quarters fit exactly. */
  sextant_chart_ticks_dates (&ticks, sextant_day_from_ymd (2018, 1, 1),
                             sextant_day_from_ymd (2019, 12, 31), 8);
  g_assert_cmpint (ticks.unit, ==, SEXTANT_CHART_TICK_UNIT_QUARTER);
  g_assert_cmpuint (ticks.n, ==, 8);
  g_assert_cmpstr (ticks.labels[0], ==, "Jan 2018");
  g_assert_cmpstr (ticks.labels[1], ==, "Apr 2018");
  g_assert_cmpstr (ticks.labels[7], ==, "Oct 2019");

  /* 20 years, the S&P 500 demo file's 2000-01-03 .. 2020-04-17, room for 8: 20 single years or
   * 10 even years are too many; every 5th year gives 2005, 2010, 2015, 2020 (2000-01-01 is
   * before the first day). */
  sextant_chart_ticks_dates (&ticks, sextant_day_from_ymd (2000, 1, 3),
                             sextant_day_from_ymd (2020, 4, 17), 8);
  g_assert_cmpint (ticks.unit, ==, SEXTANT_CHART_TICK_UNIT_YEAR);
  g_assert_cmpint (ticks.unit_step, ==, 5);
  assert_ticks (&ticks,
                (double[]) { sextant_day_from_ymd (2005, 1, 1), sextant_day_from_ymd (2010, 1, 1),
                             sextant_day_from_ymd (2015, 1, 1), sextant_day_from_ymd (2020, 1, 1) },
                (const char *[]) { "2005", "2010", "2015", "2020" }, 4);

  /* 11 years with room for 8: 11 yearly ticks are too many, even years 2002..2010 fit. */
  sextant_chart_ticks_dates (&ticks, sextant_day_from_ymd (2000, 1, 3),
                             sextant_day_from_ymd (2010, 12, 31), 8);
  g_assert_cmpint (ticks.unit_step, ==, 2);
  assert_ticks (&ticks,
                (double[]) { sextant_day_from_ymd (2002, 1, 1), sextant_day_from_ymd (2004, 1, 1),
                             sextant_day_from_ymd (2006, 1, 1), sextant_day_from_ymd (2008, 1, 1),
                             sextant_day_from_ymd (2010, 1, 1) },
                (const char *[]) { "2002", "2004", "2006", "2008", "2010" }, 5);
}

static void
test_ticks_times (void)
{
  SextantChartTicks ticks;
  double t0 = sextant_day_from_ymd (2020, 1, 1) * 86400.0 + 14 * 3600;

  /* One hour, room for 8: 1, 2 and 5 minute steps give 61, 31 and 13 ticks; 10 minutes give 7. */
  sextant_chart_ticks_times (&ticks, t0, t0 + 3600, 8);
  g_assert_cmpint (ticks.unit, ==, SEXTANT_CHART_TICK_UNIT_MINUTE);
  assert_ticks (&ticks,
                (double[]) { t0, t0 + 600, t0 + 1200, t0 + 1800, t0 + 2400, t0 + 3000, t0 + 3600 },
                (const char *[]) { "14:00", "14:10", "14:20", "14:30", "14:40", "14:50",
                                   "15:00" }, 7);

  /* A week of seconds falls back to day ticks at midnight: 1..7 Jan 2020, 7 ticks. */
  sextant_chart_ticks_times (&ticks, t0 - 14 * 3600, t0 - 14 * 3600 + 6 * 86400, 8);
  g_assert_cmpint (ticks.unit, ==, SEXTANT_CHART_TICK_UNIT_DAY);
  g_assert_cmpuint (ticks.n, ==, 7);
  g_assert_cmpfloat (ticks.values[1], ==, t0 - 14 * 3600 + 86400);
  g_assert_cmpstr (ticks.labels[1], ==, "2 Jan");
}

static void
test_format (void)
{
  char buffer[32];

  sextant_chart_format_value (1.25, 0.25, SEXTANT_CHART_FORMAT_NUMBER, buffer, sizeof buffer);
  g_assert_cmpstr (buffer, ==, "1.25");
  sextant_chart_format_value (-1e-17, 1, SEXTANT_CHART_FORMAT_NUMBER, buffer, sizeof buffer);
  g_assert_cmpstr (buffer, ==, "0");
  sextant_chart_format_value (0.0171, 0.0001, SEXTANT_CHART_FORMAT_PERCENT, buffer, sizeof buffer);
  g_assert_cmpstr (buffer, ==, "1.71%");
  sextant_chart_format_value (25000, 10000, SEXTANT_CHART_FORMAT_NUMBER, buffer, sizeof buffer);
  g_assert_cmpstr (buffer, ==, "25k");
  sextant_chart_format_value (sextant_day_from_ymd (2009, 3, 9), 1, SEXTANT_CHART_FORMAT_DATE,
                              buffer, sizeof buffer);
  g_assert_cmpstr (buffer, ==, "2009-03-09");
}

static void
test_axis_map (void)
{
  SextantChartAxis linear = { 0, 200, SEXTANT_CHART_SCALE_LINEAR };
  SextantChartAxis log_axis = { 1, 100, SEXTANT_CHART_SCALE_LOG };

  g_assert_cmpfloat (sextant_chart_axis_map (&linear, 50), ==, 0.25);
  g_assert_cmpfloat (sextant_chart_axis_unmap (&linear, 0.25), ==, 50);
  /* log10(10) is halfway between log10(1) = 0 and log10(100) = 2. */
  sextant_assert_close_rel (sextant_chart_axis_map (&log_axis, 10), 0.5, 1e-15);
  sextant_assert_close_rel (sextant_chart_axis_unmap (&log_axis, 0.5), 10, 1e-14);
  g_assert_true (isnan (sextant_chart_axis_map (&log_axis, -1)));
}

/* Plot area at (10, 20), 100 × 50, x from 0 to 10, y from 0 to 5. */
static const SextantChartLayout test_layout = {
  10, 20, 100, 50, { 0, 10, SEXTANT_CHART_SCALE_LINEAR }, { 0, 5, SEXTANT_CHART_SCALE_LINEAR },
};

static void
test_layout_device (void)
{
  /* x = 5 is half of 100 px past 10; y = 5 is the top (20), y = 0 the bottom (20 + 50). */
  g_assert_cmpfloat (sextant_chart_layout_to_device_x (&test_layout, 5), ==, 60);
  g_assert_cmpfloat (sextant_chart_layout_to_device_y (&test_layout, 5), ==, 20);
  g_assert_cmpfloat (sextant_chart_layout_to_device_y (&test_layout, 0), ==, 70);
  g_assert_cmpfloat (sextant_chart_layout_from_device_x (&test_layout, 60), ==, 5);
  g_assert_cmpfloat (sextant_chart_layout_from_device_y (&test_layout, 45), ==, 2.5);
}

static void
test_pick (void)
{
  double xs[11], ys[11];
  double sx[3] = { 1, 9, 5 }, sy[3] = { 1, 4, 2.5 };
  gint32 days[3] = { 100, 101, 104 };
  SextantChartLayout day_layout = test_layout;
  gsize index = 99;

  for (guint i = 0; i < 11; i++)
    xs[i] = i, ys[i] = i * 0.5;

  /* Device x 64 is x = 5.4 → 5; 66 is 5.6 → 6; 65 is the tie 5.5 → the earlier point. */
  g_assert_true (sextant_chart_layout_pick (&test_layout, xs, ys, 11, TRUE, 64, 0, &index));
  g_assert_cmpuint (index, ==, 5);
  g_assert_true (sextant_chart_layout_pick (&test_layout, xs, ys, 11, TRUE, 66, 0, &index));
  g_assert_cmpuint (index, ==, 6);
  g_assert_true (sextant_chart_layout_pick (&test_layout, xs, ys, 11, TRUE, 65, 0, &index));
  g_assert_cmpuint (index, ==, 5);
  /* Past either end: the end points. */
  g_assert_true (sextant_chart_layout_pick (&test_layout, xs, ys, 11, TRUE, 500, 0, &index));
  g_assert_cmpuint (index, ==, 10);
  g_assert_true (sextant_chart_layout_pick (&test_layout, xs, ys, 11, TRUE, -5, 0, &index));
  g_assert_cmpuint (index, ==, 0);

  /* Scatter: (9, 4) is drawn at (100, 70 − 4·10 = 30); the click (98, 33) is nearest to it. */
  g_assert_true (sextant_chart_layout_pick (&test_layout, sx, sy, 3, FALSE, 98, 33, &index));
  g_assert_cmpuint (index, ==, 1);

  /* Days 100..104 over 100 px: device 85 is day 103, nearer 104 (1 day) than 101 (2 days). */
  day_layout.x_axis = (SextantChartAxis) { 100, 104, SEXTANT_CHART_SCALE_LINEAR };
  g_assert_true (sextant_chart_layout_pick_day (&day_layout, days, 3, 85, &index));
  g_assert_cmpuint (index, ==, 2);

  g_assert_false (sextant_chart_layout_pick (&test_layout, xs, ys, 0, TRUE, 60, 0, &index));
}

static void
test_decimate_small (void)
{
  const double ys[8] = { 1, 5, 2, 0, 3, 3, 4, -1 };
  const double gaps[4] = { NAN, 2, NAN, NAN };
  double ox[4], oy[4];
  gsize m;

  /* Two columns over x 0..8: indices 0-3 and 4-7. Column 0 keeps its max (index 1, 5) and
   * min (index 3, 0) in index order; column 1 its max (6, 4) then min (7, −1). */
  m = sextant_chart_decimate_minmax (NULL, ys, 8, 0, 8, 2, ox, oy);
  g_assert_cmpuint (m, ==, 4);
  g_assert_cmpfloat (ox[0], ==, 1);
  g_assert_cmpfloat (oy[0], ==, 5);
  g_assert_cmpfloat (ox[1], ==, 3);
  g_assert_cmpfloat (oy[1], ==, 0);
  g_assert_cmpfloat (ox[2], ==, 6);
  g_assert_cmpfloat (oy[2], ==, 4);
  g_assert_cmpfloat (ox[3], ==, 7);
  g_assert_cmpfloat (oy[3], ==, -1);

  /* NaN is skipped: column 0 has one value (a single point), column 1 none. */
  m = sextant_chart_decimate_minmax (NULL, gaps, 4, 0, 4, 2, ox, oy);
  g_assert_cmpuint (m, ==, 1);
  g_assert_cmpfloat (ox[0], ==, 1);
  g_assert_cmpfloat (oy[0], ==, 2);
}

static void
test_decimate_million (void)
{
  const gsize n = 1000000;
  const guint columns = 500;
  g_autofree double *xs = g_new (double, n);
  g_autofree double *ys = g_new (double, n);
  g_autofree double *ox = g_new (double, 2 * columns);
  g_autofree double *oy = g_new (double, 2 * columns);
  double out_min = INFINITY, out_max = -INFINITY;
  gsize m, column_start = 0;

  /* A sawtooth with one spike and one dip the decimated line must keep. */
  for (gsize i = 0; i < n; i++)
    xs[i] = i, ys[i] = (i % 1000) / 1000.0;
  ys[123457] = 50;
  ys[765432] = -50;

  m = sextant_chart_decimate_minmax (xs, ys, n, 0, n, columns, ox, oy);
  /* Every column of 2000 points holds distinct minima and maxima: exactly 2 × 500 points. */
  g_assert_cmpuint (m, ==, 2 * columns);
  for (gsize i = 0; i < m; i++)
    {
      if (i > 0)
        g_assert_cmpfloat (ox[i], >, ox[i - 1]);
      if (oy[i] > out_max)
        out_max = oy[i];
      if (oy[i] < out_min)
        out_min = oy[i];
    }
  g_assert_cmpfloat (out_max, ==, 50);
  g_assert_cmpfloat (out_min, ==, -50);

  /* Each column's output matches a brute-force min and max over its 2000 points. */
  for (guint c = 0; c < columns; c++)
    {
      double lo = INFINITY, hi = -INFINITY;

      for (gsize i = c * 2000; i < (c + 1) * 2000; i++)
        lo = MIN (lo, ys[i]), hi = MAX (hi, ys[i]);
      g_assert_cmpfloat (MIN (oy[2 * c], oy[2 * c + 1]), ==, lo);
      g_assert_cmpfloat (MAX (oy[2 * c], oy[2 * c + 1]), ==, hi);
      g_assert_cmpfloat (ox[2 * c], >=, (double) column_start);
      column_start += 2000;
    }
}

static void
test_style (void)
{
  g_autoptr(SextantChartStyle) light = sextant_chart_style_new_light ();
  g_autoptr(SextantChartStyle) dark = sextant_chart_style_new_dark ();
  g_autoptr(SextantChartStyle) copy = sextant_chart_style_copy (dark);

  g_assert_false (light->dark);
  g_assert_true (dark->dark);
  g_assert_cmpstr (copy->font_family, ==, dark->font_family);
  g_assert_true (copy->font_family != dark->font_family);
  /* Okabe-Ito blue #0072B2 leads the light palette. */
  g_assert_cmpfloat (light->palette[0].red, ==, 0);
  g_assert_cmpfloat (light->palette[0].blue, ==, 0xb2 / 255.0);

  /* Contrast (WCAG: (L1 + 0.05) / (L2 + 0.05)) of every series colour against its background
   * is at least 3:1, the minimum for graphical objects. */
  for (guint i = 0; i < SEXTANT_CHART_PALETTE_SIZE; i++)
    {
      double lb = sextant_chart_color_luminance (light->background);
      double lp = sextant_chart_color_luminance (light->palette[i]);
      double db = sextant_chart_color_luminance (dark->background);
      double dp = sextant_chart_color_luminance (dark->palette[i]);

      g_assert_cmpfloat ((lb + 0.05) / (lp + 0.05), >=, 3);
      g_assert_cmpfloat ((dp + 0.05) / (db + 0.05), >=, 3);
    }
  g_assert_true (G_TYPE_IS_BOXED (SEXTANT_TYPE_CHART_STYLE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/chart/layout/nice-number", test_nice_number);
  g_test_add_func ("/sextant/chart/layout/ticks-linear", test_ticks_linear);
  g_test_add_func ("/sextant/chart/layout/nice-range", test_nice_range);
  g_test_add_func ("/sextant/chart/layout/ticks-log", test_ticks_log);
  g_test_add_func ("/sextant/chart/layout/ticks-dates", test_ticks_dates);
  g_test_add_func ("/sextant/chart/layout/ticks-times", test_ticks_times);
  g_test_add_func ("/sextant/chart/layout/format", test_format);
  g_test_add_func ("/sextant/chart/layout/axis-map", test_axis_map);
  g_test_add_func ("/sextant/chart/layout/device", test_layout_device);
  g_test_add_func ("/sextant/chart/layout/pick", test_pick);
  g_test_add_func ("/sextant/chart/layout/decimate-small", test_decimate_small);
  g_test_add_func ("/sextant/chart/layout/decimate-million", test_decimate_million);
  g_test_add_func ("/sextant/chart/style/presets", test_style);

  return g_test_run ();
}
