#define G_LOG_DOMAIN "test-report"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sextant-test-util.h"
#include "test-chart-fixtures.h"

static ChartFixtures *fixtures;

typedef struct
{
  guint  calls;
  double width;
  double height;
  gboolean destroyed;
} PaintProbe;

static void
probe_paint_cb (cairo_t  *cr,
                double    width,
                double    height,
                gpointer  user_data)
{
  PaintProbe *probe = user_data;

  probe->calls++;
  probe->width = width;
  probe->height = height;
  cairo_set_source_rgb (cr, 0.8, 0.1, 0.1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_stroke (cr);
}

static void
probe_destroy_cb (gpointer user_data)
{
  ((PaintProbe *) user_data)->destroyed = TRUE;
}

static char *
run_tool (const char *tool,
          const char *path)
{
  g_autofree char *program = g_find_program_in_path (tool);
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (program == NULL)
    return NULL;
  g_spawn_sync (NULL, (char *[]) { program, (char *) path,
                                   g_str_equal (tool, "pdftotext") ? (char *) "-" : NULL, NULL },
                NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return out;
}

static guint
count_pages_in_pdf (const char *path)
{
  g_autofree char *pdf = NULL;
  gsize length;
  guint pages = 0;

  g_assert_true (g_file_get_contents (path, &pdf, &length, NULL));
  /* Count "/Type /Page" not followed by "s" (that would be the page tree). */
  for (gsize i = 0; i + 11 < length; i++)
    if (memcmp (pdf + i, "/Type /Page", 11) == 0 && pdf[i + 11] != 's')
      pages++;

  return pages;
}

static SextantReport *
build_report (PaintProbe *probe)
{
  SextantReport *report = sextant_report_new ("Investment committee report",
                                              "Dow Blue Chips (demo)",
                                              "2 January 2001");
  const SextantChartStyle *style = NULL;

  sextant_report_add_page (report, "Proposed weights");
  for (gsize i = 0; i < fixtures->n_assets; i++)
    {
      g_autofree char *value = g_strdup_printf ("%.1f%%", fixtures->proposed_weights[i] * 100);

      sextant_report_add_row (report, fixtures->assets[i], value);
    }
  sextant_report_set_chart_model (report, SEXTANT_CHART_KIND_ALLOCATION,
                                  &fixtures->allocation_bars, style);

  sextant_report_add_page (report, "Efficient frontier");
  sextant_report_set_chart_model (report, SEXTANT_CHART_KIND_FRONTIER, &fixtures->frontier, NULL);

  sextant_report_add_page (report, "Risk");
  sextant_report_add_row (report, "VaR 95% (historical)", "1.71%");
  sextant_report_add_row (report, "ES 95% (historical)", "2.59%");
  sextant_report_set_chart_model (report, SEXTANT_CHART_KIND_HISTOGRAM, &fixtures->histogram, NULL);

  sextant_report_add_page (report, "Assistant summary");
  sextant_report_add_paragraph (report, "The proposed portfolio concentrates in utilities and "
                                        "consumer goods, which lowers volatility at the cost of "
                                        "sector diversification.");
  sextant_report_set_chart (report, probe_paint_cb, probe, probe_destroy_cb);

  /* 80 sentences, 6,568 characters of 10.5 pt text, make 75 to 85 lines of 80 to 90 characters;
   * a page holds about 55 under its heading, so the appendix flows onto a second page. */
  sextant_report_add_page (report, "Appendix: assistant transcript");
  {
    g_autoptr(GString) transcript = g_string_new (NULL);

    for (guint i = 0; i < 80; i++)
      g_string_append_printf (transcript, "Sentence %u of the transcript discusses risk, weights "
                                          "and the efficient frontier. ", i + 1);
    g_string_append (transcript, "END-OF-TRANSCRIPT");
    sextant_report_add_paragraph (report, transcript->str);
  }

  /* 60 rows of 18 pt do not fit under a heading on one A4 page (about 38 do), so this section
   * takes two pages, the second headed "Holdings (continued)". */
  sextant_report_add_page (report, "Holdings");
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *label = g_strdup_printf ("Holding %u", i + 1);
      g_autofree char *value = g_strdup_printf ("%u shares", (i + 1) * 10);

      sextant_report_add_row (report, label, value);
    }

  return report;
}

static void
test_report_pdf (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "committee.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PaintProbe probe = { 0 };
  SextantReport *report = build_report (&probe);

  /* Title page, weights, frontier, risk, summary, the appendix and the holdings over two pages
   * each: 9. */
  g_assert_cmpuint (sextant_report_count_pages (report), ==, 9);
  g_assert_true (sextant_report_write_pdf (report, file, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_pages_in_pdf (path), ==, 9);

  /* The chart callback got the page's content width: A4's 595.2756 pt less 2 × 56.6929 pt
   * margins = 481.8898 pt, and at most 3/4 of that in height. It ran once per layout: the
   * explicit count above, then write_pdf's own count and its writing pass. */
  g_assert_cmpuint (probe.calls, ==, 3);
  sextant_assert_close_rel (probe.width, 481.8898, 1e-9);
  g_assert_cmpfloat (probe.height, <=, probe.width * 0.75 + 1e-9);
  g_assert_cmpfloat (probe.height, >=, 220);

  sextant_report_free (report);
  g_assert_true (probe.destroyed);

  text = run_tool ("pdftotext", path);
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed; only the page count was checked");
      return;
    }
  g_assert_nonnull (strstr (text, "Investment committee report"));
  g_assert_nonnull (strstr (text, "Dow Blue Chips (demo)"));
  g_assert_nonnull (strstr (text, "2 January 2001"));
  g_assert_nonnull (strstr (text, "Page 1 of 9"));
  g_assert_nonnull (strstr (text, "Page 9 of 9"));
  g_assert_nonnull (strstr (text, "Appendix: assistant transcript (continued)"));
  g_assert_nonnull (strstr (text, "END-OF-TRANSCRIPT"));
  g_assert_nonnull (strstr (text, "VaR 95% (historical)"));
  g_assert_nonnull (strstr (text, "2.59%"));
  g_assert_nonnull (strstr (text, "Holdings (continued)"));
  g_assert_nonnull (strstr (text, "Holding 60"));
  g_assert_nonnull (strstr (text, "which lowers volatility"));
  /* Text the chart painters drew: the frontier's title and the histogram's VaR label. */
  g_assert_nonnull (strstr (text, "Efficient frontier (SPI sectors)"));
  g_assert_nonnull (strstr (text, "VaR 95%: 1.71%"));

  {
    g_autofree char *info = run_tool ("pdfinfo", path);

    g_assert_nonnull (strstr (info, "595.276 x 841.89 pts (A4)"));
  }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_report_errors (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "missing", "report.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantReport) report = sextant_report_new ("Empty", NULL, NULL);

  /* A report with no pages is just its title page. */
  g_assert_cmpuint (sextant_report_count_pages (report), ==, 1);
  g_assert_false (sextant_report_write_pdf (report, file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  fixtures = chart_fixtures_new ();

  g_test_add_func ("/sextant/report/pdf", test_report_pdf);
  g_test_add_func ("/sextant/report/errors", test_report_errors);

  ret = g_test_run ();
  chart_fixtures_free (fixtures);

  return ret;
}
