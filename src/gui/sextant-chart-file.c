#define G_LOG_DOMAIN "sextant-chart-file"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

#include "sextant-chart-file.h"

/**
 * sextant_chart_file_format_from_path:
 * @path: a file name
 * @format: (out): the format its suffix names
 *
 * Returns: %TRUE if the suffix is .png, .svg, .pdf or .csv (any case)
 */
gboolean
sextant_chart_file_format_from_path (const char             *path,
                                     SextantChartFileFormat *format)
{
  static const SextantChartFileFormat formats[] = {
    SEXTANT_CHART_FILE_PNG, SEXTANT_CHART_FILE_SVG, SEXTANT_CHART_FILE_PDF, SEXTANT_CHART_FILE_CSV,
  };
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);

  dot = strrchr (path, '.');
  for (guint i = 0; dot != NULL && i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (dot + 1, sextant_chart_file_format_suffix (formats[i])) == 0)
      {
        *format = formats[i];
        return TRUE;
      }

  return FALSE;
}

const char *
sextant_chart_file_format_suffix (SextantChartFileFormat format)
{
  switch (format)
    {
    case SEXTANT_CHART_FILE_PNG: return "png";
    case SEXTANT_CHART_FILE_SVG: return "svg";
    case SEXTANT_CHART_FILE_PDF: return "pdf";
    case SEXTANT_CHART_FILE_CSV: return "csv";
    default: g_return_val_if_reached ("png");
    }
}

static void
append_number (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isfinite (value))
    g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.10g", value));
}

static void
append_day (GString *out,
            gint32   day)
{
  g_autofree char *iso = sextant_day_format_iso (day);

  g_string_append (out, iso);
}

static void
append_columns (GString             *out,
                const char          *header,
                const double * const *columns,
                guint                n_columns,
                const gint32        *days,
                const double        *x,
                gsize                n)
{
  g_string_append_printf (out, "%s\n", header);
  for (gsize i = 0; i < n; i++)
    {
      if (days != NULL)
        append_day (out, days[i]);
      else
        append_number (out, x != NULL ? x[i] : (double) i);
      for (guint c = 0; c < n_columns; c++)
        {
          g_string_append_c (out, ',');
          if (columns[c] != NULL)
            append_number (out, columns[c][i]);
        }
      g_string_append_c (out, '\n');
    }
}

static void
price_to_csv (GString                 *out,
              const SextantPriceChart *m)
{
  const double *columns[] = { m->open, m->high, m->low, m->close };

  append_columns (out, "date,open,high,low,close", columns, 4, m->days, NULL, m->n);
}

static void
frontier_to_csv (GString                    *out,
                 const SextantFrontierChart *m)
{
  g_string_append (out, "kind,label,volatility,return\n");
  for (gsize i = 0; i < m->n; i++)
    {
      g_string_append (out, "frontier,,");
      append_number (out, m->risk[i]);
      g_string_append_c (out, ',');
      append_number (out, m->ret[i]);
      g_string_append_c (out, '\n');
    }
  for (gsize i = 0; i < m->n_assets + 2; i++)
    {
      const SextantChartPoint *p = i < m->n_assets ? &m->assets[i]
                                   : i == m->n_assets ? m->chosen : m->current;
      const char *kind = i < m->n_assets ? "asset" : i == m->n_assets ? "chosen" : "current";

      if (p == NULL)
        continue;
      g_string_append_printf (out, "%s,%s,", kind, p->label != NULL ? p->label : "");
      append_number (out, p->x);
      g_string_append_c (out, ',');
      append_number (out, p->y);
      g_string_append_c (out, '\n');
    }
}

static void
allocation_to_csv (GString                      *out,
                   const SextantAllocationChart *m)
{
  g_string_append (out, m->compare != NULL ? "asset,weight,compare\n" : "asset,weight\n");
  for (gsize i = 0; i < m->n; i++)
    {
      g_string_append_printf (out, "%s,", m->labels[i]);
      append_number (out, m->weights[i]);
      if (m->compare != NULL)
        {
          g_string_append_c (out, ',');
          append_number (out, m->compare[i]);
        }
      g_string_append_c (out, '\n');
    }
}

static void
heatmap_to_csv (GString                   *out,
                const SextantHeatmapChart *m)
{
  g_string_append (out, "");
  for (gsize j = 0; j < m->n; j++)
    g_string_append_printf (out, ",%s", m->labels[j]);
  g_string_append_c (out, '\n');
  for (gsize i = 0; i < m->n; i++)
    {
      g_string_append (out, m->labels[i]);
      for (gsize j = 0; j < m->n; j++)
        {
          g_string_append_c (out, ',');
          append_number (out, m->values[i * m->n + j]);
        }
      g_string_append_c (out, '\n');
    }
}

static void
timeseries_to_csv (GString                      *out,
                   const SextantTimeSeriesChart *m)
{
  g_string_append (out, "time");
  if (m->bars != NULL)
    g_string_append_printf (out, ",%s", m->bars_label != NULL ? m->bars_label : "count");
  for (gsize l = 0; l < m->n_lines; l++)
    g_string_append_printf (out, ",%s", m->lines[l].name);
  g_string_append_c (out, '\n');
  for (gsize i = 0; i < m->n; i++)
    {
      append_number (out, m->times[i]);
      if (m->bars != NULL)
        {
          g_string_append_c (out, ',');
          append_number (out, m->bars[i]);
        }
      for (gsize l = 0; l < m->n_lines; l++)
        {
          g_string_append_c (out, ',');
          if (i < m->lines[l].n)
            append_number (out, m->lines[l].y[i]);
        }
      g_string_append_c (out, '\n');
    }
}

/**
 * sextant_chart_file_to_csv:
 * @kind: which model @model points to
 * @model: the model
 *
 * The numbers a chart shows, as CSV with a header row (dates ISO 8601, '.' decimals).
 *
 * Returns: (transfer full): the CSV text
 */
char *
sextant_chart_file_to_csv (SextantChartKind kind,
                           gconstpointer    model)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (model != NULL, NULL);

  switch (kind)
    {
    case SEXTANT_CHART_KIND_PRICE:
      price_to_csv (out, model);
      break;
    case SEXTANT_CHART_KIND_FRONTIER:
      frontier_to_csv (out, model);
      break;
    case SEXTANT_CHART_KIND_ALLOCATION:
      allocation_to_csv (out, model);
      break;
    case SEXTANT_CHART_KIND_HISTOGRAM:
      {
        const SextantHistogramChart *m = model;
        const double *columns[] = { m->returns };

        append_columns (out, "observation,return", columns, 1, NULL, NULL, m->n);
        break;
      }
    case SEXTANT_CHART_KIND_DRAWDOWN:
      {
        const SextantDrawdownChart *m = model;
        const double *columns[] = { m->drawdown };

        append_columns (out, "date,drawdown", columns, 1, m->days, NULL, m->n);
        break;
      }
    case SEXTANT_CHART_KIND_FAN:
      {
        const SextantFanChart *m = model;
        const double *columns[] = { m->p5, m->p25, m->p50, m->p75, m->p95 };

        append_columns (out, "step,p5,p25,p50,p75,p95", columns, 5, NULL, m->x, m->n);
        break;
      }
    case SEXTANT_CHART_KIND_HEATMAP:
      heatmap_to_csv (out, model);
      break;
    case SEXTANT_CHART_KIND_TIMESERIES:
      timeseries_to_csv (out, model);
      break;
    default:
      g_assert_not_reached ();
    }

  return g_string_free (out, FALSE);
}

static gboolean
check_cairo (cairo_status_t   status,
             const char      *path,
             GError         **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;

  g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_CAIRO,
               "Cannot write %s: %s", path, cairo_status_to_string (status));
  return FALSE;
}

static cairo_surface_t *
create_surface (SextantChartFileFormat format,
                double                 width,
                double                 height,
                const char            *path)
{
  switch (format)
    {
    case SEXTANT_CHART_FILE_SVG:
      return cairo_svg_surface_create (path, width, height);
    case SEXTANT_CHART_FILE_PDF:
      return cairo_pdf_surface_create (path, width, height);
    case SEXTANT_CHART_FILE_PNG:
    case SEXTANT_CHART_FILE_CSV:
    default:
      return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width),
                                         (int) ceil (height));
    }
}

/**
 * sextant_chart_file_save:
 * @kind: which model @model points to
 * @model: the model
 * @style: the colours and fonts to draw with
 * @format: the file format
 * @width: the picture's width (pixels for PNG, points for SVG and PDF)
 * @height: the picture's height
 * @path: where to write
 * @error: %SEXTANT_CHART_ERROR_INVALID_SIZE, %SEXTANT_CHART_ERROR_CAIRO or a #GFileError
 *
 * Draws the chart with the same painter as the screen into a file, or writes its data as CSV.
 *
 * Returns: %TRUE when the file was written
 */
gboolean
sextant_chart_file_save (SextantChartKind         kind,
                         gconstpointer            model,
                         const SextantChartStyle *style,
                         SextantChartFileFormat   format,
                         double                   width,
                         double                   height,
                         const char              *path,
                         GError                 **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_return_val_if_fail (model != NULL && style != NULL && path != NULL, FALSE);

  if (format == SEXTANT_CHART_FILE_CSV)
    {
      g_autofree char *csv = sextant_chart_file_to_csv (kind, model);

      return g_file_set_contents (path, csv, -1, error);
    }
  if (!(width >= 1 && height >= 1 && width <= 16384 && height <= 16384))
    {
      g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_INVALID_SIZE,
                   "A chart of %g × %g cannot be exported", width, height);
      return FALSE;
    }

  surface = create_surface (format, width, height, path);
  cr = cairo_create (surface);
  sextant_chart_paint (cr, kind, model, style, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == SEXTANT_CHART_FILE_PNG)
    status = cairo_surface_write_to_png (surface, path);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  return check_cairo (status, path, error);
}
