#define G_LOG_DOMAIN "test-chart-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-test-util.h"
#include "test-chart-fixtures.h"

/* Each chart kind is drawn from the demo data and reference values (see test-chart-fixtures.c)
 * into an image and compared with a reviewed PNG in tests/fixtures/charts/. The references are
 * rendered with Debian 12's cairo, pixman, FreeType and DejaVu fonts, and with those the
 * rendering is deterministic: every image matches its reference to the byte. The comparison is
 * tight enough that a changed label fails it. The subtlest one-character change measured,
 * "Volatility" → "Volatillty" on the frontier's axis title and "Median" → "Medlan" in the fan's
 * legend, moves only 4 pixels, 2 of them by more than 8 of 255, so no differing pixel is
 * allowed. A channel may still move by 8, which absorbs the ±1 rounding of pixman's SIMD
 * compositing paths on another CPU. Different fonts or a different FreeType fail the test.
 * SEXTANT_UPDATE_REFERENCE_PNGS=1 rewrites the references; look at them before committing. */

#define CHANNEL_TOLERANCE 8
#define MAX_DIFFERING_PIXELS 0

typedef struct
{
  const char       *name;
  SextantChartKind  kind;
  gsize             offset;
  int               width;
  int               height;
} RenderCase;

#define CASE(name, kind, field, width, height) \
  { name, SEXTANT_CHART_KIND_##kind, G_STRUCT_OFFSET (ChartFixtures, field), width, height }

static const RenderCase cases[] = {
  CASE ("price-line", PRICE, price_line, 720, 400),
  CASE ("price-log", PRICE, price_log, 720, 400),
  CASE ("price-candles", PRICE, price_candles, 800, 640),
  CASE ("frontier", FRONTIER, frontier, 720, 480),
  CASE ("allocation-bars", ALLOCATION, allocation_bars, 640, 420),
  CASE ("allocation-donut", ALLOCATION, allocation_donut, 560, 340),
  CASE ("histogram", HISTOGRAM, histogram, 720, 420),
  CASE ("drawdown", DRAWDOWN, drawdown_chart, 720, 360),
  CASE ("drawdown-zoom", DRAWDOWN, drawdown_zoom, 720, 360),
  CASE ("fan", FAN, fan, 720, 420),
  CASE ("heatmap", HEATMAP, heatmap, 640, 560),
  CASE ("timeseries", TIMESERIES, timeseries, 720, 440),
};

static ChartFixtures *fixtures;

static gconstpointer
case_model (const RenderCase *c)
{
  return G_STRUCT_MEMBER_P (fixtures, c->offset);
}

static cairo_surface_t *
render (const RenderCase        *c,
        const SextantChartStyle *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, c->width, c->height);
  cairo_t *cr = cairo_create (surface);

  sextant_chart_paint (cr, c->kind, case_model (c), style, c->width, c->height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

typedef struct
{
  gsize n_pixels;   /* pixels with a channel beyond the tolerance */
  int   largest;    /* the largest channel difference seen, within tolerance or not */
  int   first_x;    /* the first differing pixel, in reading order, or -1 */
  int   first_y;
} Differences;

/* Compares red, green and blue pixel by pixel; a pixel differs when one of them moves by more
 * than the tolerance. */
static Differences
count_differences (cairo_surface_t *a,
                   cairo_surface_t *b)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  const guint8 *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);
  int sa = cairo_image_surface_get_stride (a), sb = cairo_image_surface_get_stride (b);
  Differences d = { 0, 0, -1, -1 };

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 ca = *(const guint32 *) (pa + y * sa + 4 * x);
        guint32 cb = *(const guint32 *) (pb + y * sb + 4 * x);
        int pixel = 0;

        for (int shift = 0; shift < 24; shift += 8)
          pixel = MAX (pixel, ABS ((int) ((ca >> shift) & 0xff) - (int) ((cb >> shift) & 0xff)));
        d.largest = MAX (d.largest, pixel);
        if (pixel <= CHANNEL_TOLERANCE)
          continue;
        if (d.n_pixels++ == 0)
          d.first_x = x, d.first_y = y;
      }

  return d;
}

static void
compare_with_reference (cairo_surface_t *actual,
                        const char      *file_name)
{
  g_autofree char *reference_path = g_test_build_filename (G_TEST_DIST, "fixtures", "charts",
                                                           file_name, NULL);
  cairo_surface_t *reference;
  Differences d;

  if (g_strcmp0 (g_getenv ("SEXTANT_UPDATE_REFERENCE_PNGS"), "1") == 0)
    {
      g_assert_cmpint (cairo_surface_write_to_png (actual, reference_path), ==,
                       CAIRO_STATUS_SUCCESS);
      g_test_message ("updated %s", reference_path);
      return;
    }

  reference = cairo_image_surface_create_from_png (reference_path);
  if (cairo_surface_status (reference) != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *out = sextant_test_output_path (file_name);

      cairo_surface_write_to_png (actual, out);
      cairo_surface_destroy (reference);
      g_error ("no reference %s (%s); the rendering is in %s — review it and run with "
               "SEXTANT_UPDATE_REFERENCE_PNGS=1", reference_path,
               cairo_status_to_string (cairo_surface_status (reference)), out);
    }

  g_assert_cmpint (cairo_image_surface_get_width (reference), ==,
                   cairo_image_surface_get_width (actual));
  g_assert_cmpint (cairo_image_surface_get_height (reference), ==,
                   cairo_image_surface_get_height (actual));
  d = count_differences (actual, reference);
  cairo_surface_destroy (reference);
  if (d.n_pixels > MAX_DIFFERING_PIXELS)
    {
      g_autofree char *out = sextant_test_output_path (file_name);

      cairo_surface_write_to_png (actual, out);
      g_error ("%s: %" G_GSIZE_FORMAT " pixels differ from the reference by more than %d of 255 "
               "(at most %d may), the first at (%d, %d), by up to %d; the rendering is in %s",
               file_name, d.n_pixels, CHANNEL_TOLERANCE, MAX_DIFFERING_PIXELS, d.first_x,
               d.first_y, d.largest, out);
    }
  g_test_message ("%s: no pixel beyond tolerance; largest channel difference %d", file_name,
                  d.largest);
}

static void
assert_pixel_is (cairo_surface_t   *surface,
                 int                x,
                 int                y,
                 SextantChartColor  color)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  guint32 p = *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + 4 * x);

  g_assert_cmpint ((p >> 16) & 0xff, ==, (int) round (color.red * 255));
  g_assert_cmpint ((p >> 8) & 0xff, ==, (int) round (color.green * 255));
  g_assert_cmpint (p & 0xff, ==, (int) round (color.blue * 255));
}

static void
test_render (gconstpointer data)
{
  guint index = GPOINTER_TO_UINT (data);
  const RenderCase *c = &cases[index / 2];
  gboolean dark = index % 2 == 1;
  g_autoptr(SextantChartStyle) style = dark ? sextant_chart_style_new_dark ()
                                            : sextant_chart_style_new_light ();
  g_autofree char *file_name = g_strdup_printf ("%s-%s.png", c->name, dark ? "dark" : "light");
  cairo_surface_t *surface = render (c, style);
  cairo_surface_t *again = render (c, style);

  /* The corner is background, and a second rendering is identical to the byte: text rendering
   * is deterministic, which the reference comparison relies on. */
  assert_pixel_is (surface, 1, cairo_image_surface_get_height (surface) - 2, style->background);
  g_assert_cmpint (count_differences (surface, again).largest, ==, 0);
  g_assert_cmpmem (cairo_image_surface_get_data (surface),
                   cairo_image_surface_get_stride (surface) * c->height,
                   cairo_image_surface_get_data (again),
                   cairo_image_surface_get_stride (again) * c->height);

  compare_with_reference (surface, file_name);
  cairo_surface_destroy (surface);
  cairo_surface_destroy (again);
}

static void
test_describe (void)
{
  g_autofree char *price = sextant_chart_describe_price (&fixtures->price_line);
  g_autofree char *drawdown = sextant_chart_describe_drawdown (&fixtures->drawdown_chart);
  g_autofree char *histogram = sextant_chart_describe_histogram (&fixtures->histogram);
  g_autofree char *frontier = sextant_chart_describe (SEXTANT_CHART_KIND_FRONTIER,
                                                      &fixtures->frontier);
  g_autofree char *heatmap = sextant_chart_describe_heatmap (&fixtures->heatmap);
  g_autofree char *candles = sextant_chart_describe_price (&fixtures->price_candles);
  g_autofree char *fan = sextant_chart_describe_fan (&fixtures->fan);

  /* First, last, lowest and highest closes of data/demo/sp500_2000-2020_ohlcv.csv, read off the
   * file: 1455.219971 (2000-01-03), 2874.560059 (2020-04-17), 676.530029 (2009-03-09),
   * 3386.149902 (2020-02-19). */
  g_assert_cmpstr (price, ==,
                   "Line chart of ^GSPC close, 2000-01-03 to 2020-04-17, from 1455.22 to "
                              "2874.56; low 676.53 on 2009-03-09, high 3386.15 on 2020-02-19.");
  /* The candles are zoomed on the last 120 sessions, which the description follows: read off
   * the file, 3022.55 on 2019-10-25 to 2874.56, low 2237.40 on 2020-03-23, high 3386.15. */
  g_assert_true (g_str_has_prefix (candles, "Candlestick chart of ^GSPC close, 2019-10-25 to "
                                            "2020-04-17, from 3022.55 to 2874.56; low 2237.40 on "
                                            "2020-03-23, high 3386.15 on 2020-02-19."));
  g_assert_true (g_str_has_suffix (candles, "Overlays: SMA(20), EMA(20), Bollinger(20, 2). "
                                            "Panes: Volume, RSI(14), MACD(12, 26, 9)."));
  /* The deepest fall of the closes from their running peak: 676.53 / 1565.15 − 1 = −56.78 %
   * (peak 2007-10-09) on 2009-03-09; the last close is 2874.56 / 3386.15 − 1 = −15.1 %. */
  g_assert_cmpstr (drawdown, ==,
                   "Drawdown chart, 2000-01-03 to 2020-04-17; maximum drawdown -56.8% "
                                 "on 2009-03-09; -15.1% at the end.");
  /* VaR and ES from spisector_reference.json: 0.0171172791771418 and 0.0259031558138299. */
  g_assert_nonnull (strstr (histogram, "Histogram of 2198 returns from "));
  g_assert_true (g_str_has_suffix (histogram, "VaR 95%: 1.71%. ES 95%: 2.59%."));
  /* Max Sharpe weights 0.2491 CONG + 0.7509 UTIL (the reference) give a return of
   * (0.249146748787102·0.000325768544902255 + 0.750853251212898·0.000671685714879476)·252
   * = 14.755 % a year, shown with one decimal. */
  g_assert_nonnull (strstr (frontier, "Chosen portfolio Max Sharpe: volatility "));
  g_assert_nonnull (strstr (frontier, "return 14.8%."));
  g_assert_true (g_str_has_prefix (heatmap, "Heatmap of 9 by 9; highest "));
  /* The GBM median after 252 days: 100000·exp(0.08 − 0.02) = 106183.65. */
  g_assert_nonnull (strstr (fan, "At the end: median 106183.65,"));
}

static void
test_layout_pick (void)
{
  const SextantPriceChart *model = &fixtures->price_candles;
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  SextantChartLayout layout;
  double low = INFINITY, high = -INFINITY, x;
  gsize index = 0;

  g_assert_true (sextant_chart_compute_layout (SEXTANT_CHART_KIND_PRICE, model, style, 800, 640,
                                               &layout));
  g_assert_cmpfloat (layout.x, >, 0);
  g_assert_cmpfloat (layout.x + layout.width, <, 800);
  /* The price axis spans every visible low and high (and the overlays within). */
  for (gsize i = model->first_visible; i <= model->last_visible; i++)
    low = MIN (low, model->low[i]), high = MAX (high, model->high[i]);
  g_assert_cmpfloat (layout.y_axis.min, <=, low);
  g_assert_cmpfloat (layout.y_axis.max, >=, high);

  /* A pointer over a bar picks it back: the 60th visible session and the last one. */
  x = sextant_chart_layout_to_device_x (&layout, model->days[model->first_visible + 60]);
  g_assert_true (sextant_chart_layout_pick_day (&layout, model->days, model->n, x, &index));
  g_assert_cmpuint (index, ==, model->first_visible + 60);
  x = sextant_chart_layout_to_device_x (&layout, model->days[model->n - 1]);
  g_assert_true (sextant_chart_layout_pick_day (&layout, model->days, model->n, x + 1, &index));
  g_assert_cmpuint (index, ==, model->n - 1);

  /* The three sub-panes lie below the price pane, in order, on the same x axis; RSI keeps its
   * fixed 0..100 range. */
  {
    SextantChartLayout main, panes[3];

    g_assert_true (sextant_chart_compute_price_layouts (model, style, 800, 640, &main, panes));
    g_assert_cmpfloat (main.x, ==, layout.x);
    g_assert_cmpfloat (main.height, ==, layout.height);
    for (guint k = 0; k < 3; k++)
      {
        g_assert_cmpfloat (panes[k].x, ==, main.x);
        g_assert_cmpfloat (panes[k].width, ==, main.width);
        g_assert_cmpfloat (panes[k].x_axis.min, ==, main.x_axis.min);
        g_assert_cmpfloat (panes[k].y, >=, (k == 0 ? main.y + main.height
                                                   : panes[k - 1].y + panes[k - 1].height));
      }
    g_assert_cmpfloat (panes[2].y + panes[2].height, <, 640);
    g_assert_cmpfloat (panes[1].y_axis.min, ==, 0);
    g_assert_cmpfloat (panes[1].y_axis.max, ==, 100);
    /* Volume bars stand on zero. */
    g_assert_cmpfloat (panes[0].y_axis.min, ==, 0);
  }

  /* Allocation charts have no data axes to pick on. */
  g_assert_false (sextant_chart_compute_layout (SEXTANT_CHART_KIND_ALLOCATION,
                                                &fixtures->allocation_bars, style, 640, 420,
                                                &layout));
}

/* The diverging scale as documented on SextantChartStyle: heat_low at −1, heat_mid at 0,
 * heat_high at +1, mixed linearly in between. */
static guint32
expected_heat (const SextantChartStyle *style,
               double                   v)
{
  double t = (v + 1) / 2;
  SextantChartColor c = t < 0.5 ? sextant_chart_color_mix (style->heat_low, style->heat_mid, 2 * t)
                                : sextant_chart_color_mix (style->heat_mid, style->heat_high,
                                                           2 * t - 1);

  return (guint32) round (c.red * 255) << 16 | (guint32) round (c.green * 255) << 8 |
         (guint32) round (c.blue * 255);
}

static void
test_heatmap_pick (void)
{
  const RenderCase *c = &cases[10];
  const SextantHeatmapChart *model = &fixtures->heatmap;
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  cairo_surface_t *surface;
  const guint8 *data;
  gboolean seen[9][9] = { { FALSE } };
  guint on_grid = 0, matching = 0;
  gsize row, column;

  g_assert_cmpstr (c->name, ==, "heatmap");
  surface = render (c, style);
  data = cairo_image_surface_get_data (surface);

  /* Points the pick puts on a cell show that cell's colour, except in the one-pixel gaps
   * between cells and under the values printed in them; and every cell can be picked. */
  /* Every 13th pixel: a dozen samples in each 50-pixel cell. */
  for (int y = 0; y < c->height; y += 13)
    for (int x = 0; x < c->width; x += 13)
      {
        guint32 pixel;

        if (!sextant_chart_heatmap_pick (model, style, c->width, c->height, x, y, &row, &column))
          continue;
        g_assert_cmpuint (row, <, 9);
        g_assert_cmpuint (column, <, 9);
        seen[row][column] = TRUE;
        on_grid++;
        pixel = *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + 4 * x);
        pixel &= 0xffffff;
        if (pixel == expected_heat (style, model->values[row * 9 + column]))
          matching++;
      }
  for (guint r = 0; r < 9; r++)
    for (guint k = 0; k < 9; k++)
      g_assert_true (seen[r][k]);
  /* Gaps are 1 px of cells about 50 px wide, and "0.54" covers a small part of a cell. */
  g_assert_cmpuint (matching, >, on_grid * 8 / 10);

  /* The title's corner is not on the grid. */
  g_assert_false (sextant_chart_heatmap_pick (model, style, c->width, c->height, 2, 2, &row,
                                              &column));
  cairo_surface_destroy (surface);
}

static cairo_surface_t *
paint_model (SextantChartKind         kind,
             gconstpointer            model,
             const SextantChartStyle *style,
             int                      width,
             int                      height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  sextant_chart_paint (cr, kind, model, style, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* A table heatmap (currencies by horizon, issue 17): every cell can be picked, shows its value's
 * colour, and the columns are its own; its CSV and description name rows and columns. */
static void
test_heatmap_table (void)
{
  static const char *rows[] = { "USD", "GBP", "JPY" };
  static const char *columns[] = { "1 day", "1 week", "1 month", "1 year" };
  static const double values[] = { 0.25, -0.5, 1, NAN, -1, 0, 0.75, -0.25, 0.5, 0.125, -0.75, 0.9 };
  SextantHeatmapChart model = { "Moves", rows, values, 3, -1, 1, FALSE, columns, 4 };
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  cairo_surface_t *surface = paint_model (SEXTANT_CHART_KIND_HEATMAP, &model, style, 640, 400);
  const guint8 *data = cairo_image_surface_get_data (surface);
  gboolean seen[3][4] = { { FALSE } };
  guint inside = 0, matching = 0;
  g_autofree char *csv = NULL;
  g_autofree char *description = NULL;
  gsize row, column, row2, column2;

  for (int y = 2; y < 398; y += 7)
    for (int x = 2; x < 638; x += 7)
      {
        guint32 pixel;

        if (!sextant_chart_heatmap_pick (&model, style, 640, 400, x, y, &row, &column))
          continue;
        g_assert_cmpuint (row, <, 3);
        g_assert_cmpuint (column, <, 4);
        seen[row][column] = TRUE;
        /* Away from the one-pixel gaps between cells, a cell with a value shows its colour. */
        if (!isfinite (values[row * 4 + column]) ||
            !sextant_chart_heatmap_pick (&model, style, 640, 400, x + 2, y + 2, &row2, &column2) ||
            row2 != row || column2 != column ||
            !sextant_chart_heatmap_pick (&model, style, 640, 400, x - 2, y - 2, &row2, &column2) ||
            row2 != row || column2 != column)
          continue;
        inside++;
        pixel = *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + 4 * x) & 0xffffff;
        if (pixel == expected_heat (style, values[row * 4 + column]))
          matching++;
      }
  g_assert_cmpuint (inside, >, 100);
  g_assert_cmpuint (matching, ==, inside);
  for (guint r = 0; r < 3; r++)
    for (guint k = 0; k < 4; k++)
      g_assert_true (seen[r][k]);
  cairo_surface_destroy (surface);

  csv = sextant_chart_to_csv (SEXTANT_CHART_KIND_HEATMAP, &model, NULL);
  g_assert_cmpstr (csv, ==, ",1 day,1 week,1 month,1 year\r\n"
                            "USD,0.25,-0.5,1,\r\n"
                            "GBP,-1,0,0.75,-0.25\r\n"
                            "JPY,0.5,0.125,-0.75,0.9\r\n");
  description = sextant_chart_describe (SEXTANT_CHART_KIND_HEATMAP, &model);
  g_assert_nonnull (strstr (description, "3 rows by 4 columns"));
  g_assert_nonnull (strstr (description, "USD: 1 day 0.25, 1 week -0.50, 1 month 1.00, 1 year none."));
}

/* A curve chart: each observed point is drawn in its series' colour where the layout puts it,
 * the maturity axis starts at zero and holds every point, and the CSV lists every point. */
static void
test_curve (void)
{
  static const double tenors[] = { 0.25, 2, 10, 30 };
  static const double par[] = { 4.3, 4.0, 4.25, 4.5 };
  static const double fit_x[] = { 0.25, 5, 15, 30 };
  static const double fit_y[] = { 4.29, 4.05, 4.35, 4.52 };
  SextantCurveSeries series[] = {
    { "Par", tenors, par, 4, TRUE, FALSE, 0 },
    { "Fit", fit_x, fit_y, 4, FALSE, TRUE, 4 },
  };
  SextantCurveChart model = { "Curve", "Maturity (years)", "Rate (%)", series, 2, SEXTANT_CHART_FORMAT_NUMBER };
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  cairo_surface_t *surface = paint_model (SEXTANT_CHART_KIND_CURVE, &model, style, 800, 500);
  SextantChartLayout layout;
  g_autofree char *csv = NULL;
  g_autofree char *description = NULL;

  g_assert_true (sextant_chart_compute_layout (SEXTANT_CHART_KIND_CURVE, &model, style, 800, 500, &layout));
  g_assert_cmpfloat (layout.x_axis.min, ==, 0);
  g_assert_cmpfloat (layout.x_axis.max, >=, 30);
  g_assert_cmpfloat (layout.y_axis.min, <=, 4.0);
  g_assert_cmpfloat (layout.y_axis.max, >=, 4.52);
  for (guint i = 0; i < 4; i++)
    assert_pixel_is (surface, (int) floor (sextant_chart_layout_to_device_x (&layout, tenors[i])),
                     (int) floor (sextant_chart_layout_to_device_y (&layout, par[i])), style->palette[0]);
  cairo_surface_destroy (surface);

  csv = sextant_chart_to_csv (SEXTANT_CHART_KIND_CURVE, &model, NULL);
  g_assert_true (g_str_has_prefix (csv, "series,x,y\r\nPar,0.25,4.3\r\nPar,2,4\r\n"));
  g_assert_nonnull (strstr (csv, "Fit,30,4.52\r\n"));
  description = sextant_chart_describe (SEXTANT_CHART_KIND_CURVE, &model);
  g_assert_nonnull (strstr (description, "Par: 4.3 at 0.25 to 4.5 at 30."));
}

static void
test_zoom (void)
{
  const SextantDrawdownChart *model = &fixtures->drawdown_zoom;
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  SextantTimeSeriesChart traffic = fixtures->timeseries;
  SextantChartLayout layout;
  int y, m, d;

  /* The zoomed drawdown spans exactly its visible days, 2008-01-02 to 2009-12-31. */
  g_assert_true (sextant_chart_compute_layout (SEXTANT_CHART_KIND_DRAWDOWN, model, style, 720, 360,
                                               &layout));
  g_assert_true (sextant_day_to_ymd ((gint32) layout.x_axis.min, &y, &m, &d));
  g_assert_cmpint (y * 10000 + m * 100 + d, ==, 20080102);
  g_assert_true (sextant_day_to_ymd ((gint32) layout.x_axis.max, &y, &m, &d));
  g_assert_cmpint (y * 10000 + m * 100 + d, ==, 20091231);
  /* Its deepest point in view is the whole series' (−56.8 % on 2009-03-09), so the axis goes to
   * the nice −60 %. */
  sextant_assert_close_mixed (layout.y_axis.min, -0.6, 1e-12);
  /* The description covers the same days; the last close in view, 1115.10 on 2009-12-31, is
   * 1115.10 / 1565.15 − 1 = −28.8 % below the 2007 peak. */
  {
    g_autofree char *text = sextant_chart_describe_drawdown (model);

    g_assert_cmpstr (text, ==, "Drawdown chart, 2008-01-02 to 2009-12-31; maximum drawdown -56.8% "
                               "on 2009-03-09; -28.8% at the end.");
  }

  /* Buckets 10..19 of the traffic chart: the axis runs from half a minute before the 10th to
   * half a minute after the 19th. */
  traffic.first_visible = 10;
  traffic.last_visible = 19;
  g_assert_true (sextant_chart_compute_layout (SEXTANT_CHART_KIND_TIMESERIES, &traffic, style, 720,
                                               440, &layout));
  g_assert_cmpfloat (layout.x_axis.min, ==, traffic.times[10] - 30);
  g_assert_cmpfloat (layout.x_axis.max, ==, traffic.times[19] + 30);
}

static void
test_empty_models (void)
{
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 100);
  cairo_t *cr = cairo_create (surface);
  SextantPriceChart price = { .symbol = "EMPTY" };
  SextantHistogramChart histogram = { .title = "None", .var = NAN, .es = NAN };
  SextantHeatmapChart heatmap = { 0 };
  SextantTimeSeriesChart timeseries = { 0 };
  g_autofree char *text = sextant_chart_describe_price (&price);

  /* Models without data draw just a background and title, and never crash. */
  sextant_chart_paint_price (cr, &price, style, 200, 100);
  sextant_chart_paint_histogram (cr, &histogram, style, 200, 100);
  sextant_chart_paint_heatmap (cr, &heatmap, style, 200, 100);
  sextant_chart_paint_timeseries (cr, &timeseries, style, 200, 100);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpstr (text, ==, "Line chart of EMPTY close, no data.");
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  fixtures = chart_fixtures_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases) * 2; i++)
    {
      g_autofree char *path = g_strdup_printf ("/sextant/chart/render/%s/%s", cases[i / 2].name,
                                               i % 2 ? "dark" : "light");

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_render);
    }
  g_test_add_func ("/sextant/chart/render/describe", test_describe);
  g_test_add_func ("/sextant/chart/render/layout-pick", test_layout_pick);
  g_test_add_func ("/sextant/chart/render/heatmap-pick", test_heatmap_pick);
  g_test_add_func ("/sextant/chart/render/zoom", test_zoom);
  g_test_add_func ("/sextant/chart/render/heatmap-table", test_heatmap_table);
  g_test_add_func ("/sextant/chart/render/curve", test_curve);
  g_test_add_func ("/sextant/chart/render/empty-models", test_empty_models);

  ret = g_test_run ();
  chart_fixtures_free (fixtures);

  return ret;
}
