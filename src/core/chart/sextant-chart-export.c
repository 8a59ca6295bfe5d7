#define G_LOG_DOMAIN "sextant-chart-export"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

#include "chart/sextant-chart-error.h"
#include "chart/sextant-chart-export.h"
#include "chart/sextant-chart-paint.h"

/* Larger images than this are almost certainly a unit mix-up, and cairo caps surfaces at 32767. */
#define MAX_DIMENSION 16384

/* Every format is written through a GFileOutputStream from g_file_replace(): failures come back
 * as GIO errors naming the real cause (a missing folder, a full disk, no permission), which
 * cairo's own file functions reduce to "write error", and a failed export leaves any existing
 * file untouched. */
typedef struct
{
  GOutputStream *out;
  GError        *error;
} Sink;

static cairo_status_t
sink_write_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  Sink *sink = closure;

  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (sink->out, data, length, NULL, NULL, &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;

  return CAIRO_STATUS_SUCCESS;
}

static gboolean
sink_open (Sink    *sink,
           GFile   *file,
           GError **error)
{
  sink->error = NULL;
  sink->out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION | G_FILE_CREATE_PRIVATE,
                                               NULL, error));

  return sink->out != NULL;
}

/* Closes the stream; on failure the close is cancelled, which makes GIO drop the temporary file
 * instead of replacing the destination. */
static gboolean
sink_close (Sink           *sink,
            cairo_status_t  status,
            GError        **error)
{
  gboolean ok = status == CAIRO_STATUS_SUCCESS && sink->error == NULL;

  if (!ok)
    {
      g_autoptr(GCancellable) cancel = g_cancellable_new ();

      g_cancellable_cancel (cancel);
      g_output_stream_close (sink->out, cancel, NULL);
      if (sink->error != NULL)
        g_propagate_error (error, sink->error);
      else
        g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_CAIRO,
                     "Cairo could not draw the chart: %s", cairo_status_to_string (status));
    }
  else
    ok = g_output_stream_close (sink->out, NULL, error);
  g_clear_object (&sink->out);

  return ok;
}

static gboolean
check_size (double   width,
            double   height,
            GError **error)
{
  if (!(width >= 1 && height >= 1 && width <= MAX_DIMENSION && height <= MAX_DIMENSION))
    {
      g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_INVALID_SIZE,
                   "Chart size %g × %g is outside 1 to %d", width, height, MAX_DIMENSION);
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_chart_export_format_from_path:
 * @path: a file name
 * @format: (out): the format its extension names
 * @error: %SEXTANT_CHART_ERROR_UNSUPPORTED for other extensions
 *
 * Returns: %TRUE if the extension is .png, .svg, .pdf or .csv (in any case)
 */
gboolean
sextant_chart_export_format_from_path (const char               *path,
                                       SextantChartExportFormat *format,
                                       GError                  **error)
{
  static const struct { const char *ext; SextantChartExportFormat format; } known[] = {
    { ".png", SEXTANT_CHART_EXPORT_PNG }, { ".svg", SEXTANT_CHART_EXPORT_SVG },
    { ".pdf", SEXTANT_CHART_EXPORT_PDF }, { ".csv", SEXTANT_CHART_EXPORT_CSV },
  };
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL && format != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_has_suffix (lower, known[i].ext))
      {
        *format = known[i].format;
        return TRUE;
      }
  g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_UNSUPPORTED,
               "“%s” does not end in .png, .svg, .pdf or .csv", path);

  return FALSE;
}

/**
 * sextant_chart_export_png:
 * @kind: which model @model points to
 * @model: the chart's model
 * @style: colours and fonts
 * @width: the chart's width in logical pixels
 * @height: the chart's height
 * @scale: device pixels per logical pixel (2 for a HiDPI-sharp image)
 * @file: where to write
 * @error: a GIO error, or %SEXTANT_CHART_ERROR_INVALID_SIZE
 *
 * Returns: %TRUE if the PNG was written
 */
gboolean
sextant_chart_export_png (SextantChartKind         kind,
                          gconstpointer            model,
                          const SextantChartStyle *style,
                          double                   width,
                          double                   height,
                          double                   scale,
                          GFile                   *file,
                          GError                 **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  Sink sink;

  g_return_val_if_fail (model != NULL && style != NULL && G_IS_FILE (file), FALSE);

  if (!(scale > 0))
    {
      g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_INVALID_SIZE,
                   "Scale %g is not positive", scale);
      return FALSE;
    }
  if (!check_size (width * scale, height * scale, error) || !sink_open (&sink, file, error))
    return FALSE;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                        (int) ceil (height * scale));
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  sextant_chart_paint (cr, kind, model, style, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, sink_write_cb, &sink);
  cairo_surface_destroy (surface);

  return sink_close (&sink, status, error);
}

static gboolean
export_vector (SextantChartKind          kind,
               gconstpointer             model,
               const SextantChartStyle  *style,
               SextantChartExportFormat  format,
               double                    width,
               double                    height,
               GFile                    *file,
               GError                  **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  Sink sink;

  if (!check_size (width, height, error) || !sink_open (&sink, file, error))
    return FALSE;

  if (format == SEXTANT_CHART_EXPORT_PDF)
    {
      g_autofree char *description = sextant_chart_describe (kind, model);

      surface = cairo_pdf_surface_create_for_stream (sink_write_cb, &sink, width, height);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Sextant");
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, description);
    }
  else
    surface = cairo_svg_surface_create_for_stream (sink_write_cb, &sink, width, height);

  cr = cairo_create (surface);
  sextant_chart_paint (cr, kind, model, style, width, height);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  return sink_close (&sink, status, error);
}

/**
 * sextant_chart_export_svg:
 * @kind: which model @model points to
 * @model: the chart's model
 * @style: colours and fonts
 * @width: the width in points
 * @height: the height in points
 * @file: where to write
 * @error: a GIO error, or %SEXTANT_CHART_ERROR_INVALID_SIZE
 *
 * Returns: %TRUE if the SVG was written
 */
gboolean
sextant_chart_export_svg (SextantChartKind         kind,
                          gconstpointer            model,
                          const SextantChartStyle *style,
                          double                   width,
                          double                   height,
                          GFile                   *file,
                          GError                 **error)
{
  g_return_val_if_fail (model != NULL && style != NULL && G_IS_FILE (file), FALSE);

  return export_vector (kind, model, style, SEXTANT_CHART_EXPORT_SVG, width, height, file, error);
}

/**
 * sextant_chart_export_pdf:
 * @kind: which model @model points to
 * @model: the chart's model
 * @style: colours and fonts
 * @width: the page width in points
 * @height: the page height in points
 * @file: where to write
 * @error: a GIO error, or %SEXTANT_CHART_ERROR_INVALID_SIZE
 *
 * Writes one page the size of the chart; its subject is the chart's accessible description.
 *
 * Returns: %TRUE if the PDF was written
 */
gboolean
sextant_chart_export_pdf (SextantChartKind         kind,
                          gconstpointer            model,
                          const SextantChartStyle *style,
                          double                   width,
                          double                   height,
                          GFile                   *file,
                          GError                 **error)
{
  g_return_val_if_fail (model != NULL && style != NULL && G_IS_FILE (file), FALSE);

  return export_vector (kind, model, style, SEXTANT_CHART_EXPORT_PDF, width, height, file, error);
}

/**
 * sextant_chart_export_csv:
 * @kind: which model @model points to
 * @model: the chart's model
 * @file: where to write
 * @error: %SEXTANT_CHART_ERROR_EMPTY, or a GIO error
 *
 * Writes the chart's data (see sextant_chart_to_csv()).
 *
 * Returns: %TRUE if the CSV was written
 */
gboolean
sextant_chart_export_csv (SextantChartKind   kind,
                          gconstpointer      model,
                          GFile             *file,
                          GError           **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (model != NULL && G_IS_FILE (file), FALSE);

  csv = sextant_chart_to_csv (kind, model, error);
  if (csv == NULL)
    return FALSE;

  return g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION | G_FILE_CREATE_PRIVATE, NULL, NULL, error);
}

/**
 * sextant_chart_export:
 * @kind: which model @model points to
 * @model: the chart's model
 * @style: colours and fonts (unused for CSV)
 * @format: the format
 * @width: the width (logical pixels for PNG, points for SVG and PDF)
 * @height: the height
 * @file: where to write
 * @error: see the per-format functions
 *
 * Exports in any format; PNGs are written at scale 2 so they stay sharp on HiDPI screens and
 * in documents.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_chart_export (SextantChartKind          kind,
                      gconstpointer             model,
                      const SextantChartStyle  *style,
                      SextantChartExportFormat  format,
                      double                    width,
                      double                    height,
                      GFile                    *file,
                      GError                  **error)
{
  switch (format)
    {
    case SEXTANT_CHART_EXPORT_PNG:
      return sextant_chart_export_png (kind, model, style, width, height, 2, file, error);
    case SEXTANT_CHART_EXPORT_SVG:
      return sextant_chart_export_svg (kind, model, style, width, height, file, error);
    case SEXTANT_CHART_EXPORT_PDF:
      return sextant_chart_export_pdf (kind, model, style, width, height, file, error);
    case SEXTANT_CHART_EXPORT_CSV:
      return sextant_chart_export_csv (kind, model, file, error);
    default:
      g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_UNSUPPORTED,
                   "Unknown export format %d", (int) format);
      return FALSE;
    }
}
