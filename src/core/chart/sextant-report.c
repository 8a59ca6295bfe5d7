#define G_LOG_DOMAIN "sextant-report"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "chart/sextant-chart-error.h"
#include "chart/sextant-chart-paint.h"
#include "chart/sextant-report.h"

/* A4 portrait in points (210 × 297 mm at 72 pt per inch), with 2 cm margins. */
#define PAGE_WIDTH 595.2756
#define PAGE_HEIGHT 841.8898
#define MARGIN 56.6929
#define CONTENT_WIDTH (PAGE_WIDTH - 2 * MARGIN)
#define FOOTER_Y (PAGE_HEIGHT - MARGIN / 2)
#define BODY_BOTTOM (PAGE_HEIGHT - MARGIN)
#define ROW_HEIGHT 18.0
#define MIN_CHART_HEIGHT 220.0
#define FONT_FAMILY "DejaVu Sans"

typedef struct
{
  char                   *heading;
  GPtrArray              *paragraphs;
  GPtrArray              *labels;
  GPtrArray              *values;
  SextantReportPaintFunc  paint;
  gpointer                user_data;
  GDestroyNotify          destroy;
} Section;

typedef struct
{
  SextantChartKind   kind;
  gconstpointer      model;
  SextantChartStyle *style;
} ChartClosure;

struct _SextantReport
{
  char      *title;
  char      *portfolio_name;
  char      *date;
  GPtrArray *sections;
};

/* Rendering state: the page being filled, the cursor on it and the total for "Page n of m". */
typedef struct
{
  SextantReport *report;
  cairo_t       *cr;
  PangoLayout   *layout;
  guint          page;
  guint          total;
  double         y;
} Writer;

static void
section_free (gpointer data)
{
  Section *section = data;

  if (section->destroy != NULL)
    section->destroy (section->user_data);
  g_free (section->heading);
  g_ptr_array_unref (section->paragraphs);
  g_ptr_array_unref (section->labels);
  g_ptr_array_unref (section->values);
  g_free (section);
}

/**
 * sextant_report_new:
 * @title: the report's title ("Investment committee report")
 * @portfolio_name: the portfolio it is about
 * @date: the date it is as of, as the reader should see it
 *
 * Builds a committee report: a title page, then the pages added with sextant_report_add_page(),
 * each with a heading, optional paragraphs, an optional two-column table and an optional chart.
 * A4 portrait, page numbers in the footer.
 *
 * Returns: (transfer full): a new report
 */
SextantReport *
sextant_report_new (const char *title,
                    const char *portfolio_name,
                    const char *date)
{
  SextantReport *self;

  g_return_val_if_fail (title != NULL, NULL);

  self = g_new0 (SextantReport, 1);
  self->title = g_strdup (title);
  self->portfolio_name = g_strdup (portfolio_name ? portfolio_name : "");
  self->date = g_strdup (date ? date : "");
  self->sections = g_ptr_array_new_with_free_func (section_free);

  return self;
}

/**
 * sextant_report_free:
 * @self: (nullable): a report
 *
 * Frees the report and calls the destroy notifiers of its chart callbacks.
 */
void
sextant_report_free (SextantReport *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->portfolio_name);
  g_free (self->date);
  g_ptr_array_unref (self->sections);
  g_free (self);
}

/**
 * sextant_report_add_page:
 * @self: a report
 * @heading: the page's heading
 *
 * Starts a new page; what is added next goes on it (and on following pages if it overflows).
 */
void
sextant_report_add_page (SextantReport *self,
                         const char    *heading)
{
  Section *section;

  g_return_if_fail (self != NULL && heading != NULL);

  section = g_new0 (Section, 1);
  section->heading = g_strdup (heading);
  section->paragraphs = g_ptr_array_new_with_free_func (g_free);
  section->labels = g_ptr_array_new_with_free_func (g_free);
  section->values = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->sections, section);
}

static Section *
current_section (SextantReport *self)
{
  if (self->sections->len == 0)
    sextant_report_add_page (self, self->title);

  return g_ptr_array_index (self->sections, self->sections->len - 1);
}

/**
 * sextant_report_add_paragraph:
 * @self: a report
 * @text: plain text (the assistant's summary, a note), wrapped to the page width
 */
void
sextant_report_add_paragraph (SextantReport *self,
                              const char    *text)
{
  g_return_if_fail (self != NULL && text != NULL);

  g_ptr_array_add (current_section (self)->paragraphs, g_strdup (text));
}

/**
 * sextant_report_add_row:
 * @self: a report
 * @label: the row's label ("VaR 95 %, historical")
 * @value: its value, already formatted ("1.71 %")
 *
 * Adds a row to the current page's table.
 */
void
sextant_report_add_row (SextantReport *self,
                        const char    *label,
                        const char    *value)
{
  Section *section;

  g_return_if_fail (self != NULL && label != NULL && value != NULL);

  section = current_section (self);
  g_ptr_array_add (section->labels, g_strdup (label));
  g_ptr_array_add (section->values, g_strdup (value));
}

/**
 * sextant_report_set_chart:
 * @self: a report
 * @paint: (scope notified): draws the chart into its box
 * @user_data: data for @paint
 * @destroy: (nullable): frees @user_data with the report
 *
 * Puts a chart below the current page's table, filling the rest of the page (or the next page
 * when less than a third of a page is left).
 */
void
sextant_report_set_chart (SextantReport          *self,
                          SextantReportPaintFunc  paint,
                          gpointer                user_data,
                          GDestroyNotify          destroy)
{
  Section *section;

  g_return_if_fail (self != NULL && paint != NULL);

  section = current_section (self);
  if (section->destroy != NULL)
    section->destroy (section->user_data);
  section->paint = paint;
  section->user_data = user_data;
  section->destroy = destroy;
}

static void
chart_closure_free (gpointer data)
{
  ChartClosure *closure = data;

  sextant_chart_style_free (closure->style);
  g_free (closure);
}

static void
paint_chart_model_cb (cairo_t  *cr,
                      double    width,
                      double    height,
                      gpointer  user_data)
{
  ChartClosure *closure = user_data;

  sextant_chart_paint (cr, closure->kind, closure->model, closure->style, width, height);
}

/**
 * sextant_report_set_chart_model:
 * @self: a report
 * @kind: which model @model points to
 * @model: (transfer none): the model, which must stay valid until the report is written
 * @style: (nullable): the style (copied); %NULL for the light style, which prints best
 *
 * Puts one of Sextant's charts on the current page (see sextant_report_set_chart()).
 */
void
sextant_report_set_chart_model (SextantReport           *self,
                                SextantChartKind         kind,
                                gconstpointer            model,
                                const SextantChartStyle *style)
{
  ChartClosure *closure;

  g_return_if_fail (self != NULL && model != NULL);

  closure = g_new0 (ChartClosure, 1);
  closure->kind = kind;
  closure->model = model;
  closure->style = style ? sextant_chart_style_copy (style) : sextant_chart_style_new_light ();
  /* Charts on paper keep the screen's proportions but need smaller text than a full page. */
  closure->style->font_size = MIN (closure->style->font_size, 9);
  sextant_report_set_chart (self, paint_chart_model_cb, closure, chart_closure_free);
}

/* Draws @text at (@x, @y), wrapped to @width when @width > 0, aligned left (0), centre (0.5) or
 * right (1) within @width. Returns the text's height. With no cairo context, only measures. */
static double
writer_text (Writer     *w,
             const char *text,
             double      size,
             gboolean    bold,
             double      x,
             double      y,
             double      width,
             double      align,
             double      grey)
{
  PangoFontDescription *font = pango_font_description_new ();
  int tw, th;

  pango_font_description_set_family (font, FONT_FAMILY);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (w->layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (w->layout, width > 0 && align == 0 ? (int) (width * PANGO_SCALE) : -1);
  pango_layout_set_wrap (w->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (w->layout, text, -1);
  pango_layout_get_size (w->layout, &tw, &th);

  cairo_set_source_rgb (w->cr, grey, grey, grey);
  cairo_move_to (w->cr, x + (width > 0 ? (width - (double) tw / PANGO_SCALE) * align : 0), y);
  pango_cairo_show_layout (w->cr, w->layout);

  return (double) th / PANGO_SCALE;
}

/* Layouts with unhinted metrics: text is laid out the same whatever the output device, so the
 * page count from the counting pass holds for the real one. */
static PangoLayout *
create_layout (cairo_t *cr)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), options);
  cairo_font_options_destroy (options);
  pango_layout_context_changed (layout);

  return layout;
}

static void
finish_page (Writer *w)
{
  /* Translators: the report's page footer */
  g_autofree char *number = g_strdup_printf (_("Page %u of %u"), w->page, w->total);
  g_autofree char *left = g_strdup_printf ("%s — %s", w->report->title, w->report->portfolio_name);

  cairo_set_source_rgb (w->cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (w->cr, 0.5);
  cairo_move_to (w->cr, MARGIN, FOOTER_Y - 6);
  cairo_line_to (w->cr, PAGE_WIDTH - MARGIN, FOOTER_Y - 6);
  cairo_stroke (w->cr);
  writer_text (w, left, 8, FALSE, MARGIN, FOOTER_Y, CONTENT_WIDTH * 0.7, 0, 0.35);
  writer_text (w, number, 8, FALSE, MARGIN, FOOTER_Y, CONTENT_WIDTH, 1, 0.35);
  cairo_show_page (w->cr);
}

static void
start_page (Writer     *w,
            const char *heading,
            gboolean    continued)
{
  g_autofree char *text = NULL;

  text = continued ? g_strdup_printf ("%s (continued)", heading) : g_strdup (heading);
  if (w->page > 0)
    finish_page (w);
  w->page++;
  w->y = MARGIN;
  if (!continued)
    {
      g_autofree char *link = g_strdup_printf ("page=%u pos=[%g %g]", w->page, MARGIN, MARGIN);

      cairo_pdf_surface_add_outline (cairo_get_target (w->cr), CAIRO_PDF_OUTLINE_ROOT, heading,
                                     link, 0);
    }
  w->y += writer_text (w, text, 16, TRUE, MARGIN, w->y, CONTENT_WIDTH, 0, 0.1) + 14;
}

static void
title_page (Writer *w)
{
  SextantReport *r = w->report;
  double y = PAGE_HEIGHT * 0.33;

  w->page = 1;
  cairo_set_source_rgb (w->cr, 0, 0.447, 0.698);
  cairo_rectangle (w->cr, MARGIN, y - 24, 64, 4);
  cairo_fill (w->cr);
  y += writer_text (w, r->title, 26, TRUE, MARGIN, y, CONTENT_WIDTH, 0, 0.1) + 18;
  y += writer_text (w, r->portfolio_name, 16, FALSE, MARGIN, y, CONTENT_WIDTH, 0, 0.2) + 8;
  writer_text (w, r->date, 12, FALSE, MARGIN, y, CONTENT_WIDTH, 0, 0.35);
  writer_text (w, _("Prepared with Sextant"), 9, FALSE, MARGIN, BODY_BOTTOM - 20, CONTENT_WIDTH, 0,
               0.45);
}

static void
write_table (Writer  *w,
             Section *section)
{
  for (guint i = 0; i < section->labels->len; i++)
    {
      if (w->y + ROW_HEIGHT > BODY_BOTTOM)
        start_page (w, section->heading, TRUE);
      if (i % 2 == 0)
        {
          cairo_set_source_rgb (w->cr, 0.95, 0.95, 0.95);
          cairo_rectangle (w->cr, MARGIN, w->y, CONTENT_WIDTH, ROW_HEIGHT);
          cairo_fill (w->cr);
        }
      writer_text (w, g_ptr_array_index (section->labels, i), 10, FALSE, MARGIN + 6, w->y + 3,
                   CONTENT_WIDTH * 0.6, 0, 0.1);
      writer_text (w, g_ptr_array_index (section->values, i), 10, TRUE, MARGIN, w->y + 3,
                   CONTENT_WIDTH - 6, 1, 0.1);
      w->y += ROW_HEIGHT;
    }
  if (section->labels->len > 0)
    w->y += 14;
}

/* A paragraph flows line by line and continues on the next page when it reaches the footer,
 * so an assistant summary of any length fits. It has its own layout because starting a page
 * draws headings and footers with the writer's. */
static void
write_paragraph (Writer     *w,
                 Section    *section,
                 const char *text)
{
  PangoLayout *layout = create_layout (w->cr);
  PangoFontDescription *font = pango_font_description_from_string (FONT_FAMILY);
  PangoLayoutIter *iter;

  pango_font_description_set_absolute_size (font, 10.5 * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, (int) (CONTENT_WIDTH * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);

  iter = pango_layout_get_iter (layout);
  do
    {
      PangoRectangle logical;
      double baseline;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      baseline = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;
      if (w->y + (double) logical.height / PANGO_SCALE > BODY_BOTTOM)
        start_page (w, section->heading, TRUE);
      cairo_set_source_rgb (w->cr, 0.1, 0.1, 0.1);
      cairo_move_to (w->cr, MARGIN + (double) logical.x / PANGO_SCALE, w->y + baseline);
      pango_cairo_show_layout_line (w->cr, pango_layout_iter_get_line_readonly (iter));
      w->y += (double) logical.height / PANGO_SCALE;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  g_object_unref (layout);
  w->y += 10;
}

static void
write_section (Writer  *w,
               Section *section)
{
  start_page (w, section->heading, FALSE);
  for (guint i = 0; i < section->paragraphs->len; i++)
    write_paragraph (w, section, g_ptr_array_index (section->paragraphs, i));
  write_table (w, section);
  if (section->paint != NULL)
    {
      double height;

      if (BODY_BOTTOM - w->y < MIN_CHART_HEIGHT)
        start_page (w, section->heading, TRUE);
      height = MIN (BODY_BOTTOM - w->y - 8, CONTENT_WIDTH * 0.75);
      cairo_save (w->cr);
      cairo_translate (w->cr, MARGIN, w->y);
      cairo_rectangle (w->cr, 0, 0, CONTENT_WIDTH, height);
      cairo_clip (w->cr);
      section->paint (w->cr, CONTENT_WIDTH, height, section->user_data);
      cairo_restore (w->cr);
      w->y += height + 8;
    }
}

static cairo_status_t
discard_cb (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  return CAIRO_STATUS_SUCCESS;
}

/* Renders the whole report onto @surface; returns the number of pages. */
static guint
render (SextantReport   *self,
        cairo_surface_t *surface,
        guint            total)
{
  Writer w = { self, cairo_create (surface), NULL, 0, total, 0 };

  w.layout = create_layout (w.cr);

  title_page (&w);
  for (guint i = 0; i < self->sections->len; i++)
    write_section (&w, g_ptr_array_index (self->sections, i));
  finish_page (&w);

  g_object_unref (w.layout);
  cairo_destroy (w.cr);

  return w.page;
}

/**
 * sextant_report_count_pages:
 * @self: a report
 *
 * Lays the report out without writing it.
 *
 * Returns: the number of pages it will have, the title page included
 */
guint
sextant_report_count_pages (SextantReport *self)
{
  cairo_surface_t *surface;
  guint pages;

  g_return_val_if_fail (self != NULL, 0);

  surface = cairo_pdf_surface_create_for_stream (discard_cb, NULL, PAGE_WIDTH, PAGE_HEIGHT);
  pages = render (self, surface, 0);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);

  return pages;
}

static cairo_status_t
stream_write_cb (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  GOutputStream *out = G_OUTPUT_STREAM (((gpointer *) closure)[0]);
  GError **error = ((gpointer *) closure)[1];

  if (*error != NULL || !g_output_stream_write_all (out, data, length, NULL, NULL, error))
    return CAIRO_STATUS_WRITE_ERROR;

  return CAIRO_STATUS_SUCCESS;
}

/**
 * sextant_report_write_pdf:
 * @self: a report
 * @file: where to write
 * @error: a GIO error, or %SEXTANT_CHART_ERROR_CAIRO
 *
 * Writes the report. It is laid out twice: once to count the pages for the "Page n of m"
 * footers, once for real. An existing file is only replaced when writing succeeds.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_report_write_pdf (SextantReport  *self,
                          GFile          *file,
                          GError        **error)
{
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) write_error = NULL;
  gpointer closure[2];
  cairo_surface_t *surface;
  cairo_status_t status;
  guint total;

  g_return_val_if_fail (self != NULL && G_IS_FILE (file), FALSE);

  total = sextant_report_count_pages (self);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION | G_FILE_CREATE_PRIVATE, NULL, error);
  if (out == NULL)
    return FALSE;

  closure[0] = out, closure[1] = &write_error;
  surface = cairo_pdf_surface_create_for_stream (stream_write_cb, closure, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, self->portfolio_name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Sextant");
  render (self, surface, total);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS || write_error != NULL)
    {
      g_autoptr(GCancellable) cancel = g_cancellable_new ();

      /* A cancelled close makes GIO drop the temporary file and keep any existing report. */
      g_cancellable_cancel (cancel);
      g_output_stream_close (G_OUTPUT_STREAM (out), cancel, NULL);
      if (write_error != NULL)
        g_propagate_error (error, g_steal_pointer (&write_error));
      else
        g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_CAIRO,
                     "Cairo could not write the report: %s", cairo_status_to_string (status));
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}
