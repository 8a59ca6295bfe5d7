#define G_LOG_DOMAIN "sextant-chart-describe"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "chart/sextant-chart-paint.h"
#include "chart/sextant-chart-private.h"

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

static char *
format_day (gint32 day)
{
  char buffer[16];

  sextant_chart_format_day (day, buffer, sizeof buffer);

  return g_strdup (buffer);
}

/* Counts in the sentences below are printed with %u: xgettext cannot read a msgid through
 * G_GSIZE_FORMAT, and no chart holds four billion points. */
static guint
count (gsize n)
{
  return (guint) MIN (n, G_MAXUINT);
}

static char *
join_names (const SextantPriceChart *model,
            gboolean                 panes)
{
  GString *s = g_string_new (NULL);
  gsize n = panes ? model->n_panes : model->n_overlays + model->n_bands;

  for (gsize k = 0; k < n; k++)
    {
      const char *name;

      if (panes)
        name = model->panes[k].title ? model->panes[k].title : _("unnamed");
      else
        name = k < model->n_overlays ? model->overlays[k].name : model->bands[k - model->n_overlays].name;
      if (k > 0)
        g_string_append (s, ", ");
      g_string_append (s, name);
    }

  return g_string_free (s, FALSE);
}

static void
append_price_extras (GString                 *s,
                     const SextantPriceChart *model)
{
  if (model->n_overlays + model->n_bands > 0)
    {
      g_autofree char *names = join_names (model, FALSE);

      g_string_append_c (s, ' ');
      /* Translators: the lines drawn over a price chart, such as SMA(20), EMA(20) */
      g_string_append_printf (s, _("Overlays: %s."), names);
    }
  if (model->n_panes > 0)
    {
      g_autofree char *names = join_names (model, TRUE);

      g_string_append_c (s, ' ');
      /* Translators: the panes under a price chart, such as Volume, RSI(14) */
      g_string_append_printf (s, _("Panes: %s."), names);
    }
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
  g_autofree char *head = NULL;
  g_autofree char *from = NULL, *to = NULL, *low_day = NULL, *high_day = NULL;
  GString *s;
  gsize lo = 0, hi = 0, first = 0, last = 0;
  const char *symbol;

  g_return_val_if_fail (model != NULL, NULL);

  symbol = model->symbol ? model->symbol : _("a series");
  if (model->style == SEXTANT_PRICE_CHART_CANDLES)
    /* Translators: %s is a symbol such as MSFT */
    head = g_strdup_printf (_("Candlestick chart of %s close"), symbol);
  else
    /* Translators: %s is a symbol such as MSFT */
    head = g_strdup_printf (_("Line chart of %s close"), symbol);
  if (model->n > 0)
    _sextant_chart_visible_range (model->n, model->first_visible, model->last_visible, &first,
                                  &last);
  if (model->n == 0 || !extremes (model->close + first, last - first + 1, &lo, &hi))
    /* Translators: %s names a chart */
    return g_strdup_printf (_("%s, no data."), head);
  lo += first, hi += first;
  from = format_day (model->days[first]);
  to = format_day (model->days[last]);
  low_day = format_day (model->days[lo]);
  high_day = format_day (model->days[hi]);
  s = g_string_new (NULL);
  /* Translators: the chart's name, the first and last day shown, the first and last close, the
   * lowest close and its day, the highest close and its day */
  g_string_append_printf (s, _("%s, %s to %s, from %.2f to %.2f; low %.2f on %s, high %.2f on %s."), head,
                          from, to, model->close[first], model->close[last], model->close[lo], low_day,
                          model->close[hi], high_day);
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
  GString *s = g_string_new (NULL);
  gsize lo = 0, hi = 0;

  g_return_val_if_fail (model != NULL, NULL);

  if (model->n > 0 && extremes (model->risk, model->n, &lo, &hi))
    /* Translators: the number of portfolios on the frontier, its range of volatility and of
     * return, then the number of assets */
    g_string_append_printf (s, _("Efficient frontier of %u portfolios, volatility %.1f%% to %.1f%%, "
                                 "return %.1f%% to %.1f%%, with %u assets."), count (model->n),
                            model->risk[lo] * 100, model->risk[hi] * 100, model->ret[lo] * 100,
                            model->ret[hi] * 100, count (model->n_assets));
  else
    g_string_append_printf (s, _("Efficient frontier, with %u assets."), count (model->n_assets));
  if (model->chosen != NULL)
    {
      g_string_append_c (s, ' ');
      /* Translators: the chosen portfolio's name (such as Max Sharpe), its volatility and return */
      g_string_append_printf (s, _("Chosen portfolio %s: volatility %.1f%%, return %.1f%%."),
                              model->chosen->label ? model->chosen->label : "",
                              model->chosen->x * 100, model->chosen->y * 100);
    }
  if (model->current != NULL)
    {
      g_string_append_c (s, ' ');
      g_string_append_printf (s, _("Current portfolio: volatility %.1f%%, return %.1f%%."),
                              model->current->x * 100, model->current->y * 100);
    }

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
  g_autoptr(GString) weights = g_string_new (NULL);

  g_return_val_if_fail (model != NULL, NULL);

  for (gsize i = 0; i < model->n; i++)
    {
      if (i > 0)
        g_string_append (weights, ", ");
      if (model->compare != NULL)
        /* Translators: an asset, its proposed weight and its current one */
        g_string_append_printf (weights, _("%s %.1f%% (now %.1f%%)"), model->labels[i], model->weights[i] * 100,
                                model->compare[i] * 100);
      else
        g_string_append_printf (weights, "%s %.1f%%", model->labels[i], model->weights[i] * 100);
    }
  if (model->n == 0)
    return g_strdup (_("Allocation of 0 assets."));

  /* Translators: the number of assets, then each asset with its weight */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Allocation of %u asset: %s.", "Allocation of %u assets: %s.",
                                       model->n),
                          count (model->n), weights->str);
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
  GString *s = g_string_new (NULL);
  gsize lo = 0, hi = 0;

  g_return_val_if_fail (model != NULL, NULL);

  if (model->n > 0 && extremes (model->returns, model->n, &lo, &hi))
    /* Translators: the number of returns, the lowest and the highest */
    g_string_append_printf (s, _("Histogram of %u returns from %.2f%% to %.2f%%."), count (model->n),
                            model->returns[lo] * 100, model->returns[hi] * 100);
  else
    g_string_append_printf (s, _("Histogram of %u returns."), count (model->n));
  if (isfinite (model->var))
    {
      g_string_append_c (s, ' ');
      /* Translators: value at risk: its confidence level, then the loss */
      g_string_append_printf (s, _("VaR %.0f%%: %.2f%%."), model->confidence * 100, model->var * 100);
    }
  if (isfinite (model->es))
    {
      g_string_append_c (s, ' ');
      /* Translators: expected shortfall: its confidence level, then the loss */
      g_string_append_printf (s, _("ES %.0f%%: %.2f%%."), model->confidence * 100, model->es * 100);
    }

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
  g_autofree char *from = NULL, *to = NULL, *worst_day = NULL;
  gsize lo = 0, hi = 0, first = 0, last = 0;

  g_return_val_if_fail (model != NULL, NULL);

  if (model->n > 0)
    _sextant_chart_visible_range (model->n, model->first_visible, model->last_visible, &first,
                                  &last);
  if (model->n == 0 || !extremes (model->drawdown + first, last - first + 1, &lo, &hi))
    return g_strdup_printf (_("%s, no data."), _("Drawdown chart"));
  lo += first;
  from = format_day (model->days[first]);
  to = format_day (model->days[last]);
  worst_day = format_day (model->days[lo]);

  /* Translators: the first and last day shown, the deepest drawdown and its day, the last one */
  return g_strdup_printf (_("Drawdown chart, %s to %s; maximum drawdown %.1f%% on %s; %.1f%% at the end."), from,
                          to, model->drawdown[lo] * 100, worst_day, model->drawdown[last] * 100);
}

static char *
format_fan_value (double             value,
                  SextantChartFormat format)
{
  if (format == SEXTANT_CHART_FORMAT_PERCENT)
    return g_strdup_printf ("%.1f%%", value * 100);

  return g_strdup_printf ("%.2f", value);
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
  g_autofree char *p50 = NULL, *p25 = NULL, *p75 = NULL, *p5 = NULL, *p95 = NULL;
  gsize e;

  g_return_val_if_fail (model != NULL, NULL);

  if (model->n == 0)
    return g_strdup_printf (_("Fan chart of simulated outcomes over %u steps."), 0u);
  e = model->n - 1;
  p50 = format_fan_value (model->p50[e], model->y_format);
  p25 = format_fan_value (model->p25[e], model->y_format);
  p75 = format_fan_value (model->p75[e], model->y_format);
  p5 = format_fan_value (model->p5[e], model->y_format);
  p95 = format_fan_value (model->p95[e], model->y_format);

  /* Translators: the number of steps, then the median and percentiles of the outcomes at the end */
  return g_strdup_printf (_("Fan chart of simulated outcomes over %u steps. At the end: median %s, 25th to 75th "
                            "percentile %s to %s, 5th to 95th percentile %s to %s."),
                          count (model->n), p50, p25, p75, p5, p95);
}

/* A table of rows by columns of their own: every cell read out, row by row, since a screen
 * reader has no other way to the numbers. */
static char *
describe_table (const SextantHeatmapChart *model)
{
  GString *s = g_string_new (NULL);

  /* Translators: the number of rows and of columns of a table shown as a heatmap */
  g_string_append_printf (s, _("Heatmap of %u rows by %u columns."), count (model->n),
                          count (model->n_columns));
  for (gsize r = 0; r < model->n; r++)
    {
      g_string_append_printf (s, " %s:", model->labels[r]);
      for (gsize c = 0; c < model->n_columns; c++)
        {
          double v = model->values[r * model->n_columns + c];

          if (isfinite (v))
            g_string_append_printf (s, " %s %.2f%s", model->column_labels[c], v,
                                    c + 1 < model->n_columns ? "," : ".");
          else
            /* Translators: a table cell without a value, after the column's name */
            g_string_append_printf (s, _(" %s none%s"), model->column_labels[c],
                                    c + 1 < model->n_columns ? "," : ".");
        }
    }
  return g_string_free (s, FALSE);
}

/**
 * sextant_chart_describe_curve:
 * @model: a curve chart
 *
 * Returns: (transfer full): each series with its range over x
 */
char *
sextant_chart_describe_curve (const SextantCurveChart *model)
{
  GString *s;

  g_return_val_if_fail (model != NULL, NULL);

  s = g_string_new (NULL);
  if (model->title != NULL)
    g_string_append_printf (s, "%s. ", model->title);
  /* Translators: the number of lines or point sets in a chart */
  g_string_append_printf (s, _("Curve chart of %u series."), count (model->n_series));
  for (gsize k = 0; k < model->n_series; k++)
    {
      const SextantCurveSeries *series = &model->series[k];
      gsize first = G_MAXSIZE, last = 0;

      for (gsize i = 0; i < series->n; i++)
        if (isfinite (series->x[i]) && isfinite (series->y[i]))
          {
            first = MIN (first, i);
            last = i;
          }
      if (first == G_MAXSIZE)
        continue;
      /* Translators: a series' name, then its first x and y and its last x and y */
      g_string_append_printf (s, _(" %s: %.4g at %.4g to %.4g at %.4g."), series->name,
                              series->y[first], series->x[first], series->y[last],
                              series->x[last]);
    }
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
  gsize best_r = 0, best_c = 0, worst_r = 0, worst_c = 0;
  gboolean any = FALSE;

  g_return_val_if_fail (model != NULL, NULL);

  if (model->column_labels != NULL)
    return describe_table (model);
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
  if (!any)
    /* Translators: the size of a square matrix, twice */
    return g_strdup_printf (_("Heatmap of %u by %u."), count (model->n), count (model->n));

  /* Translators: the matrix size twice, then its highest value and the pair that has it, and
   * its lowest value and that pair */
  return g_strdup_printf (_("Heatmap of %u by %u; highest %.2f (%s and %s), lowest %.2f (%s and %s)."),
                          count (model->n), count (model->n), model->values[best_r * model->n + best_c],
                          model->labels[best_r], model->labels[best_c],
                          model->values[worst_r * model->n + worst_c], model->labels[worst_r],
                          model->labels[worst_c]);
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
  const char *title;

  g_return_val_if_fail (model != NULL, NULL);

  title = model->title ? model->title : _("Time series");
  if (model->n == 0)
    return g_strdup_printf (_("%s, no data."), title);
  sextant_chart_format_value (model->times[0], 60, SEXTANT_CHART_FORMAT_TIME, a, sizeof a);
  sextant_chart_format_value (model->times[model->n - 1], 60, SEXTANT_CHART_FORMAT_TIME, b,
                              sizeof b);
  s = g_string_new (NULL);
  /* Translators: the chart's title, then the first and last time shown */
  g_string_append_printf (s, _("%s, %s to %s UTC."), title, a, b);
  if (model->bars != NULL && extremes (model->bars, model->n, &lo, &hi))
    {
      double total = 0;

      for (gsize i = 0; i < model->n; i++)
        total += isfinite (model->bars[i]) ? model->bars[i] : 0;
      sextant_chart_format_value (model->times[hi], 60, SEXTANT_CHART_FORMAT_TIME, a, sizeof a);
      g_string_append_c (s, ' ');
      /* Translators: what the bars count, their total, their peak and its time */
      g_string_append_printf (s, _("%s: total %g, peak %g at %s."),
                              model->bars_label ? model->bars_label : _("Bars"), total,
                              model->bars[hi], a);
    }
  for (gsize k = 0; k < model->n_lines; k++)
    if (model->lines[k].n == model->n && extremes (model->lines[k].y, model->n, &lo, &hi))
      {
        g_string_append_c (s, ' ');
        /* Translators: a line's name, its lowest and highest value */
        g_string_append_printf (s, _("%s: %g to %g."), model->lines[k].name, model->lines[k].y[lo],
                                model->lines[k].y[hi]);
      }

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
    case SEXTANT_CHART_KIND_CURVE:
      return sextant_chart_describe_curve (model);
    case SEXTANT_CHART_KIND_TIMESERIES:
      return sextant_chart_describe_timeseries (model);
    default:
      g_return_val_if_reached (NULL);
    }
}
