#define G_LOG_DOMAIN "test-chart-export"

#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sextant-test-util.h"
#include "test-chart-fixtures.h"

static ChartFixtures *fixtures;

static char *
read_file (const char *path,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, length, &error);
  g_assert_no_error (error);

  return text;
}

static guint
count_occurrences (const char *haystack,
                   gsize       length,
                   const char *needle)
{
  gsize n = strlen (needle);
  guint count = 0;

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      count++;

  return count;
}

/* Runs a poppler tool on @path and returns its output, or NULL if poppler-utils is missing. */
static char *
run_poppler (const char *tool,
             const char *path)
{
  g_autofree char *program = g_find_program_in_path (tool);
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (program == NULL)
    return NULL;
  /* pdftotext writes to standard output when the output file is "-"; pdfinfo always does. */
  g_spawn_sync (NULL, (char *[]) { program, (char *) path,
                                   g_str_equal (tool, "pdftotext") ? (char *) "-" : NULL, NULL },
                NULL,
                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return out;
}

/* The value of "Key:   value" in pdfinfo's output, whose padding varies between versions. */
static char *
info_field (const char *info,
            const char *key)
{
  g_auto(GStrv) lines = g_strsplit (info, "\n", -1);
  g_autofree char *prefix = g_strconcat (key, ":", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strstrip (g_strdup (lines[i] + strlen (prefix)));

  return NULL;
}

static void
test_png (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "frontier.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_dark ();
  g_autoptr(GError) error = NULL;
  cairo_surface_t *image;
  const guint8 *data;
  guint32 corner;

  /* Scale 2: a 320 × 240 chart becomes a 640 × 480 image. */
  g_assert_true (sextant_chart_export_png (SEXTANT_CHART_KIND_FRONTIER, &fixtures->frontier, style,
                                           320, 240, 2, file, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 640);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 480);
  /* The bottom-left corner is the dark background, #1e1e1e. */
  data = cairo_image_surface_get_data (image);
  corner = *(const guint32 *) (data + 478 * cairo_image_surface_get_stride (image) + 4);
  g_assert_cmphex (corner & 0xffffff, ==, 0x1e1e1e);
  cairo_surface_destroy (image);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_svg (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "candles.svg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  g_autoptr(GError) error = NULL;
  g_autofree char *svg = NULL;
  gsize length;

  g_assert_true (sextant_chart_export (SEXTANT_CHART_KIND_PRICE, &fixtures->price_candles, style,
                                       SEXTANT_CHART_EXPORT_SVG, 800, 600, file, &error));
  g_assert_no_error (error);
  svg = read_file (path, &length);
  /* cairo writes sizes in points, the same numbers as the chart's size. */
  g_assert_nonnull (strstr (svg, "<svg"));
  g_assert_nonnull (strstr (svg, "width=\"800pt\""));
  g_assert_nonnull (strstr (svg, "height=\"600pt\""));
  /* Every stroke or fill the painter makes is at least one path: the background, 4 grids and
   * 4 frames, the band, 4 candle groups (wicks and bodies, up and down), 5 lines and 4 bar groups
   * (positive and negative, 2 panes) are 23, and glyph outlines come on top. */
  g_assert_cmpuint (count_occurrences (svg, length, "<path"), >=, 23);
  g_assert_nonnull (strstr (svg, "<symbol") ? strstr (svg, "<symbol") : strstr (svg, "glyph"));
  g_assert_true (g_str_has_suffix (g_strchomp (svg), "</svg>"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_pdf (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "heatmap.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = NULL, *info = NULL, *text = NULL;
  gsize length;

  g_assert_true (sextant_chart_export_pdf (SEXTANT_CHART_KIND_HEATMAP, &fixtures->heatmap, style,
                                           640, 560, file, &error));
  g_assert_no_error (error);
  pdf = read_file (path, &length);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  /* One page: "/Type /Page" occurs once more than "/Type /Pages". */
  g_assert_cmpuint (count_occurrences (pdf, length, "/Type /Page") -
                    count_occurrences (pdf, length, "/Type /Pages"), ==, 1);

  info = run_poppler ("pdfinfo", path);
  if (info == NULL)
    {
      g_test_skip ("pdfinfo and pdftotext (poppler-utils) are not installed");
      return;
    }
  {
    g_autofree char *pages = info_field (info, "Pages");
    g_autofree char *size = info_field (info, "Page size");
    g_autofree char *creator = info_field (info, "Creator");

    g_assert_cmpstr (pages, ==, "1");
    g_assert_cmpstr (size, ==, "640 x 560 pts");
    g_assert_cmpstr (creator, ==, "Sextant");
  }
  text = run_poppler ("pdftotext", path);
  /* The title, the labels and a cell value (UTIL–TELE correlation, 0.11, from the reference
   * covariance) are real text in the PDF. */
  g_assert_nonnull (strstr (text, "Correlation of daily returns"));
  g_assert_nonnull (strstr (text, "TECH"));
  g_assert_nonnull (strstr (text, "0.11"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_csv (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *price = sextant_chart_to_csv (SEXTANT_CHART_KIND_PRICE,
                                                 &fixtures->price_candles, &error);
  g_autofree char *heatmap = sextant_chart_to_csv (SEXTANT_CHART_KIND_HEATMAP, &fixtures->heatmap,
                                                   &error);
  g_autofree char *allocation = sextant_chart_to_csv (SEXTANT_CHART_KIND_ALLOCATION,
                                                      &fixtures->allocation_bars, &error);
  g_autofree char *timeseries = sextant_chart_to_csv (SEXTANT_CHART_KIND_TIMESERIES,
                                                      &fixtures->timeseries, &error);
  g_autofree char *histogram = sextant_chart_to_csv (SEXTANT_CHART_KIND_HISTOGRAM,
                                                     &fixtures->histogram, &error);
  g_auto(GStrv) price_lines = NULL, heat_lines = NULL, hist_lines = NULL;

  g_assert_no_error (error);
  price_lines = g_strsplit (price, "\r\n", -1);
  /* A header, one row per bar (5105 in the demo file) and the empty string after the last CRLF.
   * The band's name holds a comma, so it is quoted. */
  g_assert_cmpuint (g_strv_length (price_lines), ==, fixtures->sp500_n + 2);
  g_assert_cmpstr (price_lines[0], ==,
                   "date,open,high,low,close,SMA(20),EMA(20),\"Bollinger(20, 2) lower\","
                   "\"Bollinger(20, 2) upper\",Volume,RSI(14),MACD histogram,MACD,Signal");
  /* The first row of data/demo/sp500_2000-2020_ohlcv.csv; indicators are empty before their
   * lookback. */
  g_assert_cmpstr (price_lines[1], ==,
                   "2000-01-03,1469.25,1478,1438.359985,1455.219971,,,,,931800000,,,,");

  heat_lines = g_strsplit (heatmap, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (heat_lines), ==, 9 + 2);
  g_assert_cmpstr (heat_lines[0], ==, ",BASI,INDU,CONG,HLTH,CONS,TELE,UTIL,FINA,TECH");
  g_assert_true (g_str_has_prefix (heat_lines[1], "BASI,1,"));

  /* The equal weights are 1/9 each. */
  g_assert_true (g_str_has_prefix (allocation, "asset,weight,current_weight\r\nBASI,"));
  g_assert_nonnull (strstr (allocation, ",0.1111111111111111\r\n"));

  /* 13:00 UTC on 2026-11-23 is the first bucket (see test-chart-fixtures.c). */
  g_assert_true (g_str_has_prefix (timeseries, "time,Requests per minute,p50,p95\r\n"
                                               "2026-11-23T13:00:00Z,"));

  hist_lines = g_strsplit (histogram, "\r\n", -1);
  g_assert_cmpstr (hist_lines[0], ==, "return");
  g_assert_cmpuint (g_strv_length (hist_lines), ==, 2198 + 2);
  g_assert_cmpfloat (g_ascii_strtod (hist_lines[1], NULL), ==, fixtures->returns[0]);
}

static void
test_errors (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "chart.png", NULL);
  g_autofree char *existing = g_build_filename (dir, "keep.pdf", NULL);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GFile) existing_file = g_file_new_for_path (existing);
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  SextantChartExportFormat format;
  SextantDrawdownChart empty = { 0 };

  /* A folder that does not exist: GIO's own error, naming the cause. */
  g_assert_false (sextant_chart_export_png (SEXTANT_CHART_KIND_FAN, &fixtures->fan, style, 100, 100,
                                            1, missing_file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An invalid size fails before anything is written, leaving an existing file as it was. */
  g_assert_true (g_file_set_contents (existing, "keep me", -1, NULL));
  g_assert_false (sextant_chart_export_pdf (SEXTANT_CHART_KIND_FAN, &fixtures->fan, style, 0, 100,
                                            existing_file, &error));
  g_assert_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_INVALID_SIZE);
  g_clear_error (&error);
  g_assert_false (sextant_chart_export_png (SEXTANT_CHART_KIND_FAN, &fixtures->fan, style, 20000,
                                            100, 1, existing_file, &error));
  g_assert_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_INVALID_SIZE);
  g_clear_error (&error);
  kept = read_file (existing, NULL);
  g_assert_cmpstr (kept, ==, "keep me");

  /* A model without data has nothing to put in a CSV. */
  g_assert_false (sextant_chart_export_csv (SEXTANT_CHART_KIND_DRAWDOWN, &empty, existing_file,
                                            &error));
  g_assert_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_EMPTY);
  g_clear_error (&error);

  g_assert_true (sextant_chart_export_format_from_path ("Frontier.SVG", &format, &error));
  g_assert_cmpint (format, ==, SEXTANT_CHART_EXPORT_SVG);
  g_assert_true (sextant_chart_export_format_from_path ("/tmp/a.csv", &format, &error));
  g_assert_cmpint (format, ==, SEXTANT_CHART_EXPORT_CSV);
  g_assert_false (sextant_chart_export_format_from_path ("chart.jpeg", &format, &error));
  g_assert_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* Replacing an existing file works. */
  g_assert_true (sextant_chart_export (SEXTANT_CHART_KIND_DRAWDOWN, &fixtures->drawdown_chart,
                                       style,
                                       SEXTANT_CHART_EXPORT_CSV, 0, 0, existing_file, &error));
  g_assert_no_error (error);
  g_clear_pointer (&kept, g_free);
  kept = read_file (existing, NULL);
  g_assert_true (g_str_has_prefix (kept, "date,drawdown\r\n2000-01-03,0\r\n"));

  g_unlink (existing);
  g_rmdir (dir);
}

/* Exported charts are the user's alone (0600) whatever the umask, new or replacing an older
 * export (issue 19). */
static void
test_private_files (void)
{
  static const char * const names[] = { "frontier.png", "frontier.svg", "frontier.pdf", "frontier.csv" };
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_dark ();
  mode_t old_umask = umask (0);

  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);
        g_autoptr(GFile) file = g_file_new_for_path (path);
        g_autoptr(GError) error = NULL;
        GStatBuf st;

        /* The second round replaces a file left readable by all. */
        if (round == 1)
          g_assert_cmpint (g_chmod (path, 0644), ==, 0);
        if (i == 0)
          sextant_chart_export_png (SEXTANT_CHART_KIND_FRONTIER, &fixtures->frontier, style, 320, 240, 1, file, &error);
        else if (i == 1)
          sextant_chart_export_svg (SEXTANT_CHART_KIND_FRONTIER, &fixtures->frontier, style, 320, 240, file, &error);
        else if (i == 2)
          sextant_chart_export_pdf (SEXTANT_CHART_KIND_FRONTIER, &fixtures->frontier, style, 320, 240, file, &error);
        else
          sextant_chart_export_csv (SEXTANT_CHART_KIND_FRONTIER, &fixtures->frontier, file, &error);
        g_assert_no_error (error);
        g_assert_cmpint (g_stat (path, &st), ==, 0);
        if ((st.st_mode & 0777) != 0600)
          g_error ("%s has mode %03o after round %u, expected 600", names[i], st.st_mode & 0777, round);
      }
  umask (old_umask);
  sextant_test_remove_temp_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  fixtures = chart_fixtures_new ();

  g_test_add_func ("/sextant/chart/export/png", test_png);
  g_test_add_func ("/sextant/chart/export/svg", test_svg);
  g_test_add_func ("/sextant/chart/export/pdf", test_pdf);
  g_test_add_func ("/sextant/chart/export/csv", test_csv);
  g_test_add_func ("/sextant/chart/export/errors", test_errors);
  g_test_add_func ("/sextant/chart/export/private-files", test_private_files);

  ret = g_test_run ();
  chart_fixtures_free (fixtures);

  return ret;
}
