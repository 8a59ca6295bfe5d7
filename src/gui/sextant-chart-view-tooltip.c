#define G_LOG_DOMAIN "sextant-chart-view-tooltip"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-chart-view-tooltip.h"

/* What the crosshair reads out: the data point under the pointer, picked through the same
 * layout the painter drew with, so the tooltip and the picture agree. */

static char *
format (double             value,
        SextantChartFormat kind)
{
  char buffer[64];

  if (!isfinite (value))
    return g_strdup ("—");
  if (kind == SEXTANT_CHART_FORMAT_PERCENT)
    return g_strdup_printf ("%.2f %%", 100.0 * value);
  sextant_chart_format_value (value, fabs (value) / 1000.0 + 1e-9, kind, buffer, sizeof buffer);

  return g_strdup (buffer);
}

static char *
price_text (const SextantPriceChart  *m,
            const SextantChartLayout *layout,
            double                    x)
{
  g_autofree char *day = NULL;
  g_autofree char *close = NULL;
  gsize i;

  if (!sextant_chart_layout_pick_day (layout, m->days, m->n, x, &i))
    return NULL;
  day = sextant_day_format_iso (m->days[i]);
  close = g_strdup_printf ("%.2f", m->close[i]);
  if (m->style == SEXTANT_PRICE_CHART_CANDLES && m->open != NULL && m->high != NULL &&
      m->low != NULL)
    /* Translators: a date, then open, high, low and close prices */
    return g_strdup_printf (_("%s\nOpen %.2f  High %.2f\nLow %.2f  Close %s"), day,
                            m->open[i], m->high[i], m->low[i], close);

  /* Translators: a date and a closing price */
  return g_strdup_printf (_("%s\nClose %s"), day, close);
}

static char *
frontier_text (const SextantFrontierChart *m,
               const SextantChartLayout   *layout,
               double                      x,
               double                      y)
{
  gsize n = m->n + m->n_assets, i;
  g_autofree double *xs = g_new (double, MAX (n, 1));
  g_autofree double *ys = g_new (double, MAX (n, 1));
  g_autofree char *risk = NULL;
  g_autofree char *ret = NULL;
  const char *label;

  for (i = 0; i < n; i++)
    {
      xs[i] = i < m->n ? m->risk[i] : m->assets[i - m->n].x;
      ys[i] = i < m->n ? m->ret[i] : m->assets[i - m->n].y;
    }
  if (!sextant_chart_layout_pick (layout, xs, ys, n, FALSE, x, y, &i))
    return NULL;
  risk = format (xs[i], SEXTANT_CHART_FORMAT_PERCENT);
  ret = format (ys[i], SEXTANT_CHART_FORMAT_PERCENT);
  label = i < m->n ? _("Efficient frontier") : m->assets[i - m->n].label;

  /* Translators: a portfolio or asset name, its volatility and its expected return */
  return g_strdup_printf (_("%s\nVolatility %s, return %s"), label, risk, ret);
}

static char *
drawdown_text (const SextantDrawdownChart *m,
               const SextantChartLayout   *layout,
               double                      x)
{
  g_autofree char *day = NULL;
  g_autofree char *value = NULL;
  gsize i;

  if (!sextant_chart_layout_pick_day (layout, m->days, m->n, x, &i))
    return NULL;
  day = sextant_day_format_iso (m->days[i]);
  value = format (m->drawdown[i], SEXTANT_CHART_FORMAT_PERCENT);

  /* Translators: a date and the drawdown on that date */
  return g_strdup_printf (_("%s\nDrawdown %s"), day, value);
}

static char *
fan_text (const SextantFanChart    *m,
          const SextantChartLayout *layout,
          double                    x)
{
  g_autofree char *p5 = NULL, *p50 = NULL, *p95 = NULL;
  gsize i;

  if (!sextant_chart_layout_pick (layout, m->x, m->p50, m->n, TRUE, x, layout->y, &i))
    return NULL;
  p5 = format (m->p5[i], m->y_format);
  p50 = format (m->p50[i], m->y_format);
  p95 = format (m->p95[i], m->y_format);

  /* Translators: a step of a simulation, its median, 5th and 95th percentiles */
  return g_strdup_printf (_("Step %.0f\nMedian %s (5%%: %s, 95%%: %s)"), m->x[i], p50, p5, p95);
}

static char *
timeseries_text (const SextantTimeSeriesChart *m,
                 const SextantChartLayout     *layout,
                 double                        x)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *stamp = NULL;
  gsize i;

  if (m->n == 0 || m->times == NULL)
    return NULL;
  i = 0;
  for (double t = sextant_chart_layout_from_device_x (layout, x); i + 1 < m->n; i++)
    if (fabs (m->times[i + 1] - t) > fabs (m->times[i] - t))
      break;
  time = g_date_time_new_from_unix_utc ((gint64) m->times[i]);
  stamp = g_date_time_format (time, "%Y-%m-%d %H:%M UTC");
  g_string_append (text, stamp);
  if (m->bars != NULL)
    g_string_append_printf (text, "\n%s: %.0f", m->bars_label != NULL ? m->bars_label : "", m->bars[i]);
  for (gsize l = 0; l < m->n_lines; l++)
    if (i < m->lines[l].n)
      g_string_append_printf (text, "\n%s: %.1f", m->lines[l].name, m->lines[l].y[i]);

  return g_strdup (text->str);
}

/*
 * _sextant_chart_view_tooltip_text:
 * @kind: the chart kind
 * @model: its model
 * @layout: the main plot's layout at the widget's size
 * @x: the pointer, in widget coordinates
 * @y: the pointer
 *
 * Returns: (transfer full) (nullable): what lies under the pointer, or %NULL for nothing
 */
char *
_sextant_chart_view_tooltip_text (SextantChartKind          kind,
                                  gconstpointer             model,
                                  const SextantChartLayout *layout,
                                  double                    x,
                                  double                    y)
{
  switch (kind)
    {
    case SEXTANT_CHART_KIND_PRICE:
      return price_text (model, layout, x);
    case SEXTANT_CHART_KIND_FRONTIER:
      return frontier_text (model, layout, x, y);
    case SEXTANT_CHART_KIND_DRAWDOWN:
      return drawdown_text (model, layout, x);
    case SEXTANT_CHART_KIND_FAN:
      return fan_text (model, layout, x);
    case SEXTANT_CHART_KIND_TIMESERIES:
      return timeseries_text (model, layout, x);
    case SEXTANT_CHART_KIND_HISTOGRAM:
      {
        g_autofree char *value = format (sextant_chart_layout_from_device_x (layout, x),
                                         SEXTANT_CHART_FORMAT_PERCENT);

        /* Translators: a daily return under the pointer */
        return g_strdup_printf (_("Return %s"), value);
      }
    case SEXTANT_CHART_KIND_ALLOCATION:
    case SEXTANT_CHART_KIND_HEATMAP:
    default:
      return NULL;
    }
}
