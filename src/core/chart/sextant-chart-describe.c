#define G_LOG_DOMAIN "sextant-chart-describe"

#include "config.h"

#include <math.h>

#include "sextant-chart-paint.h"
#include "sextant-chart-private.h"

/* Descriptions are for screen readers: one or two plain sentences with the numbers a sighted
 * reader would take from the chart first (range, extremes, highlighted marks). */

static gboolean
extremes (const double *ys,
          gsize         n,
          gsize        *lo,
          gsize        *hi)
{
  gboolean any = FALSE;

  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (ys[i]))
        continue;
      if (!any || ys[i] < ys[*lo])
        *lo = i;
      if (!any || ys[i] > ys[*hi])
        *hi = i;
      any = TRUE;
    }

  return any;
}

static void
append_day (GString *s,
            gint32   day)
{
  char buffer[16];

  sextant_chart_format_day (day, buffer, sizeof buffer);
  g_string_append (s, buffer);
}

static void
append_price_extras (GString                 *s,
                     const SextantPriceChart *model)
{
  for (gsize k = 0; k < model->n_overlays + model->n_bands; k++)
    g_string_append_printf (s, "%s%s", k == 0 ? " Overlays: " : ", ",
                            k < model->n_overlays ? model->overlays[k].name
                                                  : model->bands[k - model->n_overlays].name);
  if (model->n_overlays + model->n_bands > 0)
    g_string_append_c (s, '.');
  for (gsize k = 0; k < model->n_panes; k++)
    g_string_append_printf (s, "%s%s", k == 0 ? " Panes: " : ", ",
                            model->panes[k].title ? model->panes[k].title : "unnamed");
  if (model->n_panes > 0)
    g_string_append_c (s, '.');
}

/**
 * sextant_chart_describe_price:
 * @model: a price chart
 *
 * Describes what is shown: the visible range when the chart is zoomed.
 *
 * Returns: (transfer full): e.g. "Line chart of ^GSPC close, 2000-01-03 to 2020-04-17, from
 *   1455.22 to 2874.56; low 676.53 on 2009-03-09, high 3386.15 on 2020-02-19. Overlays: SMA(50)."
 */
char *
sextant_chart_describe_price (const SextantPriceChart *model)
{
  GString *s;
  gsize lo = 0, hi = 0, first = 0, last = 0;

  g_return_val_if_fail (model != NULL, NULL);

  s = g_string_new (model->style == SEXTANT_PRICE_CHART_CANDLES ? "Candlestick chart of "
                                                                   : "Line chart of ");
  g_string_append_printf (s, "%s close", model->symbol ? model->symbol : "a series");
  if (model->n > 0)
    _sextant_chart_visible_range (model->n, model->first_visible, model->last_visible, &first,
                                  &last);
  if (model->n == 0 || !extremes (model->close + first, last - first + 1, &lo, &hi))
    {
      g_string_append (s, ", no data.");
      return g_string_free (s, FALSE);
    }
  lo += first, hi += first;
  g_string_append (s, ", ");
  append_day (s, model->days[first]);
  g_string_append (s, " to ");
  append_day (s, model->days[last]);
  g_string_append_printf (s, ", from %.2f to %.2f; low %.2f on ", model->close[first],
                          model->close[last], model->close[lo]);
  append_day (s, model->days[lo]);
  g_string_append_printf (s, ", high %.2f on ", model->close[hi]);
  append_day (s, model->days[hi]);
  g_string_append_c (s, '.');
  append_price_extras (s, model);

  return g_string_free (s, FALSE);
}

/**
 * sextant_chart_describe_frontier:
 * @model: a frontier chart
 *
 * Returns: (transfer full): the frontier's span and the chosen portfolio's risk and return
 */
char *
sextant_chart_describe_frontier (const SextantFrontierChart *model)
{
  GString *s = g_string_new ("Efficient frontier");
  gsize lo = 0, hi = 0;

  g_return_val_if_fail (model != NULL, NULL);

  if (model->n > 0 && extremes (model->risk, model->n, &lo, &hi))
    g_string_append_printf (s, " of %" G_GSIZE_FORMAT " portfolios, volatility %.1f%% to %.1f%%, "
                            "return %.1f%% to %.1f%%", model->n, model->risk[lo] * 100,
                            model->risk[hi] * 100, model->ret[lo] * 100, model->ret[hi] * 100);
  g_string_append_printf (s, ", with %" G_GSIZE_FORMAT " assets.", model->n_assets);
  if (model->chosen != NULL)
    g_string_append_printf (s, " Chosen portfolio %s: volatility %.1f%%, return %.1f%%.",
                            model->chosen->label ? model->chosen->label : "",
                            model->chosen->x * 100, model->chosen->y * 100);
  if (model->current != NULL)
    g_string_append_printf (s, " Current portfolio: volatility %.1f%%, return %.1f%%.",
                            model->current->x * 100, model->current->y * 100);

  return g_string_free (s, FALSE);
}

/**
 * sextant_chart_describe_allocation:
 * @model: an allocation chart
 *
 * Returns: (transfer full): every asset with its weight, e.g. "Allocation of 3 assets: MSFT
 *   50.0%, IBM 30.0%, KO 20.0%."
 */
char *
sextant_chart_describe_allocation (const SextantAllocationChart *model)
{
  GString *s;

  g_return_val_if_fail (model != NULL, NULL);

  s = g_string_new (NULL);
  g_string_append_printf (s, "Allocation of %" G_GSIZE_FORMAT " assets", model->n);
  for (gsize i = 0; i < model->n; i++)
    {
      g_string_append_printf (s, "%s%s %.1f%%", i == 0 ? ": " : ", ", model->labels[i],
                              model->weights[i] * 100);
      if (model->compare != NULL)
        g_string_append_printf (s, " (now %.1f%%)", model->compare[i] * 100);
    }
  g_string_append_c (s, '.');

  return g_string_free (s, FALSE);
}

/**
 * sextant_chart_describe_histogram:
 * @model: a histogram
 *
 * Returns: (transfer full): the number and range of returns, and VaR and ES
 */
char *
sextant_chart_describe_histogram (const SextantHistogramChart *model)
{
  GString *s;
  gsize lo = 0, hi = 0;

  g_return_val_if_fail (model != NULL, NULL);

  s = g_string_new (NULL);
  g_string_append_printf (s, "Histogram of %" G_GSIZE_FORMAT " returns", model->n);
  if (model->n > 0 && extremes (model->returns, model->n, &lo, &hi))
    g_string_append_printf (s, " from %.2f%% to %.2f%%", model->returns[lo] * 100,
                            model->returns[hi] * 100);
  g_string_append_c (s, '.');
  if (isfinite (model->var))
    g_string_append_printf (s, " VaR %.0f%%: %.2f%%.", model->confidence * 100, model->var * 100);
  if (isfinite (model->es))
    g_string_append_printf (s, " ES %.0f%%: %.2f%%.", model->confidence * 100, model->es * 100);

  return g_string_free (s, FALSE);
}

/**
 * sextant_chart_describe_drawdown:
 * @model: a drawdown chart
 *
 * Returns: (transfer full): the period shown, its deepest drawdown and date, the last drawdown
 */
char *
sextant_chart_describe_drawdown (const SextantDrawdownChart *model)
{
  GString *s;
  gsize lo = 0, hi = 0, first = 0, last = 0;

  g_return_val_if_fail (model != NULL, NULL);

  s = g_string_new ("Drawdown chart");
  if (model->n > 0)
    _sextant_chart_visible_range (model->n, model->first_visible, model->last_visible, &first,
                                  &last);
  if (model->n == 0 || !extremes (model->drawdown + first, last - first + 1, &lo, &hi))
    {
      g_string_append (s, ", no data.");
      return g_string_free (s, FALSE);
    }
  lo += first;
  g_string_append (s, ", ");
  append_day (s, model->days[first]);
  g_string_append (s, " to ");
  append_day (s, model->days[last]);
  g_string_append_printf (s, "; maximum drawdown %.1f%% on ", model->drawdown[lo] * 100);
  append_day (s, model->days[lo]);
  g_string_append_printf (s, "; %.1f%% at the end.", model->drawdown[last] * 100);

  return g_string_free (s, FALSE);
}

static void
append_value (GString            *s,
              double              value,
              SextantChartFormat  format)
{
  if (format == SEXTANT_CHART_FORMAT_PERCENT)
    g_string_append_printf (s, "%.1f%%", value * 100);
  else
    g_string_append_printf (s, "%.2f", value);
}

/**
 * sextant_chart_describe_fan:
 * @model: a fan chart
 *
 * Returns: (transfer full): the horizon and the percentiles at its end
 */
char *
sextant_chart_describe_fan (const SextantFanChart *model)
{
  GString *s;
  gsize e;

  g_return_val_if_fail (model != NULL, NULL);

  s = g_string_new (NULL);
  g_string_append_printf (s, "Fan chart of simulated outcomes over %" G_GSIZE_FORMAT " steps",
                          model->n);
  if (model->n == 0)
    {
      g_string_append (s, ".");
      return g_string_free (s, FALSE);
    }
  e = model->n - 1;
  g_string_append (s, ". At the end: median ");
  append_value (s, model->p50[e], model->y_format);
  g_string_append (s, ", 25th to 75th percentile ");
  append_value (s, model->p25[e], model->y_format);
  g_string_append (s, " to ");
  append_value (s, model->p75[e], model->y_format);
  g_string_append (s, ", 5th to 95th percentile ");
  append_value (s, model->p5[e], model->y_format);
  g_string_append (s, " to ");
  append_value (s, model->p95[e], model->y_format);
  g_string_append_c (s, '.');

  return g_string_free (s, FALSE);
}

/**
 * sextant_chart_describe_heatmap:
 * @model: a heatmap
 *
 * Returns: (transfer full): the matrix size and its highest and lowest off-diagonal pairs
 */
char *
sextant_chart_describe_heatmap (const SextantHeatmapChart *model)
{
  GString *s;
  gsize best_r = 0, best_c = 0, worst_r = 0, worst_c = 0;
  gboolean any = FALSE;

  g_return_val_if_fail (model != NULL, NULL);

  s = g_string_new (NULL);
  g_string_append_printf (s, "Heatmap of %" G_GSIZE_FORMAT " by %" G_GSIZE_FORMAT,
                          model->n, model->n);
  for (gsize r = 0; r < model->n; r++)
    for (gsize c = r + 1; c < model->n; c++)
      {
        double v = model->values[r * model->n + c];

        if (!isfinite (v))
          continue;
        if (!any || v > model->values[best_r * model->n + best_c])
          best_r = r, best_c = c;
        if (!any || v < model->values[worst_r * model->n + worst_c])
          worst_r = r, worst_c = c;
        any = TRUE;
      }
  if (any)
    g_string_append_printf (s, "; highest %.2f (%s and %s), lowest %.2f (%s and %s)",
                            model->values[best_r * model->n + best_c], model->labels[best_r],
                            model->labels[best_c], model->values[worst_r * model->n + worst_c],
                            model->labels[worst_r], model->labels[worst_c]);
  g_string_append_c (s, '.');

  return g_string_free (s, FALSE);
}

/**
 * sextant_chart_describe_timeseries:
 * @model: a monitoring chart
 *
 * Returns: (transfer full): the period, the bars' total and peak, and each line's range
 */
char *
sextant_chart_describe_timeseries (const SextantTimeSeriesChart *model)
{
  GString *s;
  char a[24], b[24];
  gsize lo = 0, hi = 0;

  g_return_val_if_fail (model != NULL, NULL);

  s = g_string_new (model->title ? model->title : "Time series");
  if (model->n == 0)
    {
      g_string_append (s, ", no data.");
      return g_string_free (s, FALSE);
    }
  sextant_chart_format_value (model->times[0], 60, SEXTANT_CHART_FORMAT_TIME, a, sizeof a);
  sextant_chart_format_value (model->times[model->n - 1], 60, SEXTANT_CHART_FORMAT_TIME, b,
                              sizeof b);
  g_string_append_printf (s, ", %s to %s UTC.", a, b);
  if (model->bars != NULL && extremes (model->bars, model->n, &lo, &hi))
    {
      double total = 0;

      for (gsize i = 0; i < model->n; i++)
        total += isfinite (model->bars[i]) ? model->bars[i] : 0;
      sextant_chart_format_value (model->times[hi], 60, SEXTANT_CHART_FORMAT_TIME, a, sizeof a);
      g_string_append_printf (s, " %s: total %g, peak %g at %s.",
                              model->bars_label ? model->bars_label : "Bars", total,
                              model->bars[hi], a);
    }
  for (gsize k = 0; k < model->n_lines; k++)
    if (model->lines[k].n == model->n && extremes (model->lines[k].y, model->n, &lo, &hi))
      g_string_append_printf (s, " %s: %g to %g.", model->lines[k].name, model->lines[k].y[lo],
                              model->lines[k].y[hi]);

  return g_string_free (s, FALSE);
}

/**
 * sextant_chart_describe:
 * @kind: which model @model points to
 * @model: the model
 *
 * Returns: (transfer full): the accessible description of the chart
 */
char *
sextant_chart_describe (SextantChartKind kind,
                        gconstpointer    model)
{
  g_return_val_if_fail (model != NULL, NULL);

  switch (kind)
    {
    case SEXTANT_CHART_KIND_PRICE:
      return sextant_chart_describe_price (model);
    case SEXTANT_CHART_KIND_FRONTIER:
      return sextant_chart_describe_frontier (model);
    case SEXTANT_CHART_KIND_ALLOCATION:
      return sextant_chart_describe_allocation (model);
    case SEXTANT_CHART_KIND_HISTOGRAM:
      return sextant_chart_describe_histogram (model);
    case SEXTANT_CHART_KIND_DRAWDOWN:
      return sextant_chart_describe_drawdown (model);
    case SEXTANT_CHART_KIND_FAN:
      return sextant_chart_describe_fan (model);
    case SEXTANT_CHART_KIND_HEATMAP:
      return sextant_chart_describe_heatmap (model);
    case SEXTANT_CHART_KIND_TIMESERIES:
      return sextant_chart_describe_timeseries (model);
    default:
      g_return_val_if_reached (NULL);
    }
}
