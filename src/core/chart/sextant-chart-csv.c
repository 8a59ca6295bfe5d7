#define G_LOG_DOMAIN "sextant-chart-csv"

#include "config.h"

#include <math.h>
#include <string.h>

#include "chart/sextant-chart-error.h"
#include "chart/sextant-chart-export.h"

/* CSV as RFC 4180 has it: comma-separated, a header row, fields quoted when they hold a comma,
 * quote or line break (indicator names such as "Bollinger(20, 2)" do). Numbers read back to the
 * same double and use the C locale; missing values are empty. */

static void
append_field (GString    *s,
              const char *text)
{
  if (text == NULL)
    text = "";
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

static void
append_sep_field (GString    *s,
                  const char *text)
{
  g_string_append_c (s, ',');
  append_field (s, text);
}

static void
append_value (GString *s,
              double   value)
{
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return;
  /* The shortest of 15, 16 or 17 significant digits that reads back as the same double: a
   * price parsed from "1438.359985" is written back as that, not as 1438.3599850000001. */
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, sizeof buffer, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (s, buffer);
}

static void
append_number (GString *s,
               double   value)
{
  g_string_append_c (s, ',');
  append_value (s, value);
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
append_suffixed (GString    *s,
                 const char *name,
                 const char *suffix)
{
  g_autofree char *text = g_strdup_printf ("%s %s", name ? name : "", suffix);

  append_sep_field (s, text);
}

static void
price_header (GString                 *s,
              const SextantPriceChart *m)
{
  g_string_append (s, "date,open,high,low,close");
  for (gsize k = 0; k < m->n_overlays; k++)
    append_sep_field (s, m->overlays[k].name);
  for (gsize k = 0; k < m->n_bands; k++)
    {
      append_suffixed (s, m->bands[k].name, "lower");
      append_suffixed (s, m->bands[k].name, "upper");
    }
  for (gsize p = 0; p < m->n_panes; p++)
    {
      if (m->panes[p].bars != NULL)
        append_sep_field (s, m->panes[p].bars_name ? m->panes[p].bars_name : m->panes[p].title);
      for (gsize k = 0; k < m->panes[p].n_lines; k++)
        append_sep_field (s, m->panes[p].lines[k].name);
    }
  g_string_append (s, "\r\n");
}

static double
at (const double *values,
    gsize         n,
    gsize         i)
{
  return values != NULL && i < n ? values[i] : NAN;
}

static void
price_csv (GString                 *s,
           const SextantPriceChart *m)
{
  price_header (s, m);
  for (gsize i = 0; i < m->n; i++)
    {
      append_day (s, m->days[i]);
      append_number (s, at (m->open, m->n, i));
      append_number (s, at (m->high, m->n, i));
      append_number (s, at (m->low, m->n, i));
      append_number (s, m->close[i]);
      for (gsize k = 0; k < m->n_overlays; k++)
        append_number (s, at (m->overlays[k].y, m->overlays[k].n, i));
      for (gsize k = 0; k < m->n_bands; k++)
        {
          append_number (s, at (m->bands[k].lower, m->bands[k].n, i));
          append_number (s, at (m->bands[k].upper, m->bands[k].n, i));
        }
      for (gsize p = 0; p < m->n_panes; p++)
        {
          if (m->panes[p].bars != NULL)
            append_number (s, m->panes[p].bars[i]);
          for (gsize k = 0; k < m->panes[p].n_lines; k++)
            append_number (s, at (m->panes[p].lines[k].y, m->panes[p].lines[k].n, i));
        }
      g_string_append (s, "\r\n");
    }
}

static void
point_row (GString                 *s,
           const char              *kind,
           const SextantChartPoint *p)
{
  g_string_append (s, kind);
  append_sep_field (s, p->label);
  append_number (s, p->x);
  append_number (s, p->y);
  g_string_append (s, "\r\n");
}

/* One table for the three kinds of points, told apart by the first column. */
static void
frontier_csv (GString                    *s,
              const SextantFrontierChart *m)
{
  g_string_append (s, "kind,label,volatility,return\r\n");
  for (gsize i = 0; i < m->n; i++)
    point_row (s, "frontier", &(SextantChartPoint) { NULL, m->risk[i], m->ret[i] });
  for (gsize i = 0; i < m->n_assets; i++)
    point_row (s, "asset", &m->assets[i]);
  if (m->chosen != NULL)
    point_row (s, "chosen", m->chosen);
  if (m->current != NULL)
    point_row (s, "current", m->current);
}

static void
allocation_csv (GString                      *s,
                const SextantAllocationChart *m)
{
  g_string_append (s, m->compare != NULL ? "asset,weight,current_weight\r\n" : "asset,weight\r\n");
  for (gsize i = 0; i < m->n; i++)
    {
      append_field (s, m->labels[i]);
      append_number (s, m->weights[i]);
      if (m->compare != NULL)
        append_number (s, m->compare[i]);
      g_string_append (s, "\r\n");
    }
}

static void
fan_csv (GString               *s,
         const SextantFanChart *m)
{
  g_string_append (s, m->x_is_days ? "date,p5,p25,p50,p75,p95\r\n" : "step,p5,p25,p50,p75,p95\r\n");
  for (gsize i = 0; i < m->n; i++)
    {
      if (m->x_is_days)
        append_day (s, (gint32) m->x[i]);
      else
        append_value (s, m->x[i]);
      append_number (s, m->p5[i]);
      append_number (s, m->p25[i]);
      append_number (s, m->p50[i]);
      append_number (s, m->p75[i]);
      append_number (s, m->p95[i]);
      g_string_append (s, "\r\n");
    }
}

static void
heatmap_csv (GString                   *s,
             const SextantHeatmapChart *m)
{
  gsize columns = SEXTANT_HEATMAP_N_COLUMNS (m);

  for (gsize c = 0; c < columns; c++)
    append_sep_field (s, SEXTANT_HEATMAP_COLUMN_LABEL (m, c));
  g_string_append (s, "\r\n");
  for (gsize r = 0; r < m->n; r++)
    {
      append_field (s, m->labels[r]);
      for (gsize c = 0; c < columns; c++)
        append_number (s, m->values[r * columns + c]);
      g_string_append (s, "\r\n");
    }
}

/* One row per point: the series' name, x and y. */
static void
curve_csv (GString                 *s,
           const SextantCurveChart *m)
{
  g_string_append (s, "series,x,y\r\n");
  for (gsize k = 0; k < m->n_series; k++)
    for (gsize i = 0; i < m->series[k].n; i++)
      {
        append_field (s, m->series[k].name);
        append_number (s, m->series[k].x[i]);
        append_number (s, m->series[k].y[i]);
        g_string_append (s, "\r\n");
      }
}

static void
timeseries_csv (GString                      *s,
                const SextantTimeSeriesChart *m)
{
  g_string_append (s, "time");
  if (m->bars != NULL)
    append_sep_field (s, m->bars_label ? m->bars_label : "bars");
  for (gsize k = 0; k < m->n_lines; k++)
    append_sep_field (s, m->lines[k].name);
  g_string_append (s, "\r\n");
  for (gsize i = 0; i < m->n; i++)
    {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc ((gint64) m->times[i]);
      g_autofree char *iso = t ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");

      g_string_append (s, iso);
      if (m->bars != NULL)
        append_number (s, m->bars[i]);
      for (gsize k = 0; k < m->n_lines; k++)
        append_number (s, at (m->lines[k].y, m->lines[k].n, i));
      g_string_append (s, "\r\n");
    }
}

static gsize
model_length (SextantChartKind kind,
              gconstpointer    model)
{
  switch (kind)
    {
    case SEXTANT_CHART_KIND_PRICE: return ((const SextantPriceChart *) model)->n;
    case SEXTANT_CHART_KIND_FRONTIER:
      return ((const SextantFrontierChart *) model)->n +
             ((const SextantFrontierChart *) model)->n_assets;
    case SEXTANT_CHART_KIND_ALLOCATION: return ((const SextantAllocationChart *) model)->n;
    case SEXTANT_CHART_KIND_HISTOGRAM: return ((const SextantHistogramChart *) model)->n;
    case SEXTANT_CHART_KIND_DRAWDOWN: return ((const SextantDrawdownChart *) model)->n;
    case SEXTANT_CHART_KIND_FAN: return ((const SextantFanChart *) model)->n;
    case SEXTANT_CHART_KIND_HEATMAP: return ((const SextantHeatmapChart *) model)->n;
    case SEXTANT_CHART_KIND_TIMESERIES: return ((const SextantTimeSeriesChart *) model)->n;
    case SEXTANT_CHART_KIND_CURVE:
      {
        const SextantCurveChart *m = model;
        gsize n = 0;

        for (gsize k = 0; k < m->n_series; k++)
          n += m->series[k].n;
        return n;
      }
    default: return 0;
    }
}

/**
 * sextant_chart_to_csv:
 * @kind: which model @model points to
 * @model: the chart's model
 * @error: %SEXTANT_CHART_ERROR_EMPTY when there is no data
 *
 * The chart's data as CSV with a header row: one row per date for price, drawdown and fan charts,
 * per time bucket for monitoring charts, per asset for allocations, per return for histograms;
 * frontier points with a `kind` column (frontier, asset, chosen, current); heatmaps as a
 * labelled matrix. Lines end in CRLF, as RFC 4180 says.
 *
 * Returns: (transfer full): the CSV text, or %NULL
 */
char *
sextant_chart_to_csv (SextantChartKind   kind,
                      gconstpointer      model,
                      GError           **error)
{
  GString *s;

  g_return_val_if_fail (model != NULL, NULL);

  if (model_length (kind, model) == 0)
    {
      g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_EMPTY,
                   "The chart has no data to export");
      return NULL;
    }

  s = g_string_new (NULL);
  switch (kind)
    {
    case SEXTANT_CHART_KIND_PRICE:
      price_csv (s, model);
      break;
    case SEXTANT_CHART_KIND_FRONTIER:
      frontier_csv (s, model);
      break;
    case SEXTANT_CHART_KIND_ALLOCATION:
      allocation_csv (s, model);
      break;
    case SEXTANT_CHART_KIND_HISTOGRAM:
      {
        const SextantHistogramChart *m = model;

        g_string_append (s, "return\r\n");
        for (gsize i = 0; i < m->n; i++)
          {
            append_value (s, m->returns[i]);
            g_string_append (s, "\r\n");
          }
      }
      break;
    case SEXTANT_CHART_KIND_DRAWDOWN:
      {
        const SextantDrawdownChart *m = model;

        g_string_append (s, "date,drawdown\r\n");
        for (gsize i = 0; i < m->n; i++)
          {
            append_day (s, m->days[i]);
            append_number (s, m->drawdown[i]);
            g_string_append (s, "\r\n");
          }
      }
      break;
    case SEXTANT_CHART_KIND_FAN:
      fan_csv (s, model);
      break;
    case SEXTANT_CHART_KIND_HEATMAP:
      heatmap_csv (s, model);
      break;
    case SEXTANT_CHART_KIND_TIMESERIES:
      timeseries_csv (s, model);
      break;
    case SEXTANT_CHART_KIND_CURVE:
      curve_csv (s, model);
      break;
    default:
      g_string_free (s, TRUE);
      g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_UNSUPPORTED,
                   "Unknown chart kind %d", (int) kind);
      return NULL;
    }

  return g_string_free (s, FALSE);
}
