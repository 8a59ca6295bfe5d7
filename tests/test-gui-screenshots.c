#define G_LOG_DOMAIN "test-gui-screenshots"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sextant-chart-view.h"
#include "sextant-chat-window.h"
#include "sextant-markdown-view.h"
#include "sextant-portfolio-window.h"
#include "sextant-risk-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

/* The three AppStream screenshots (data/screenshots/, named by the metainfo), made from the
 * windows with data in them: the chat with the offline analyst's answer, the portfolio window
 * with an optimization result, the risk dashboard with its tiles and charts. Each is rendered
 * through the widget paintable to a PNG in test-output/screenshots/ and the test fails when a
 * window renders empty: its key widgets must hold data, and the image must have the many colours
 * and coloured (chart) pixels that a grey skeleton lacks. The committed screenshots pass the
 * same image checks, so a skeleton cannot be committed again either.
 *
 * To refresh data/screenshots/ after a visible change, look at the new PNGs, then copy them:
 *   cp _build/test-output/screenshots/chat-window.png data/screenshots/
 * The portfolio window's and the risk dashboard's AppStream screenshots come from issue 14's
 * own-book flow (tests/test-gui-own-book.c: a portfolio in euros of a fetched and an imported
 * instrument); this test still checks those windows on the demo data:
 *   cp _build/test-output/own-book-portfolio-window.png data/screenshots/portfolio-window.png
 *   cp _build/test-output/own-book-risk-window.png data/screenshots/risk-window.png */

#define WIDTH 1200
#define HEIGHT 800
#define MIN_WINDOW_COLOURED 0.001
#define MIN_CHART_COLOURED 0.002
#define MIN_CHART_INK 0.01
#define MIN_TEXT_INK 0.02

static SextantWorkspace *workspace;

typedef struct
{
  guint  n_colours;
  double coloured;    /* the share of pixels with a clear hue: chart lines, bars, accents */
  double ink;         /* the share of pixels far from the region's most common colour */
} ImageStats;

/* Statistics of a rectangle of @texture (the whole of it when @bounds is %NULL). */
static ImageStats
image_stats (GdkTexture            *texture,
             const graphene_rect_t *bounds)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize)width * 4;
  g_autofree guint8 *pixels = g_malloc (stride * height);
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);
  int x0 = 0, y0 = 0, x1 = width, y1 = height;
  guint64 n = 0, n_coloured = 0, n_ink = 0, best = 0;
  guint32 background = 0;
  ImageStats stats;

  if (bounds != NULL)
    {
      x0 = CLAMP ((int)bounds->origin.x, 0, width);
      y0 = CLAMP ((int)bounds->origin.y, 0, height);
      x1 = CLAMP ((int)(bounds->origin.x + bounds->size.width), x0, width);
      y1 = CLAMP ((int)(bounds->origin.y + bounds->size.height), y0, height);
    }
  /* CAIRO_FORMAT_ARGB32 in native byte order: one guint32 per pixel, alpha ignored. */
  gdk_texture_download (texture, pixels, stride);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        guint32 p;
        gpointer count;
        int r, g, b;

        memcpy (&p, pixels + y * stride + x * 4, 4);
        p &= 0xffffff;
        r = p >> 16, g = (p >> 8) & 0xff, b = p & 0xff;
        count = GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (colours, GUINT_TO_POINTER (p))) + 1);
        g_hash_table_insert (colours, GUINT_TO_POINTER (p), count);
        if (GPOINTER_TO_UINT (count) > best)
          best = GPOINTER_TO_UINT (count), background = p;
        if (MAX (r, MAX (g, b)) - MIN (r, MIN (g, b)) > 60)
          n_coloured++;
        n++;
      }
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        guint32 p;
        int d;

        memcpy (&p, pixels + y * stride + x * 4, 4);
        d = ABS ((int)((p >> 16) & 0xff) - (int)(background >> 16)) +
            ABS ((int)((p >> 8) & 0xff) - (int)((background >> 8) & 0xff)) +
            ABS ((int)(p & 0xff) - (int)(background & 0xff));
        if (d > 120)
          n_ink++;
      }
  stats.n_colours = g_hash_table_size (colours);
  stats.coloured = n > 0 ? (double)n_coloured / n : 0;
  stats.ink = n > 0 ? (double)n_ink / n : 0;

  return stats;
}

/* Thresholds from the renders (1190×790). The early skeleton screenshots (text on grey, no chart,
 * no data) had 211-617 colours and no coloured pixel at all; the windows with data have 611-737
 * colours and 0.26-3.3 % coloured pixels, their charts 0.57 % (the frontier's thin line) to 15 %
 * coloured and 3-17 % ink, their figures 6-25 % ink. With its frontier chart cleared, the
 * portfolio window falls to 339 colours. Blue buttons colour every window a little, so the charts
 * are checked where they are drawn. */
static void
assert_region (GdkTexture            *texture,
               const graphene_rect_t *bounds,
               const char            *what,
               guint                  min_colours,
               double                 min_coloured,
               double                 min_ink)
{
  ImageStats stats = image_stats (texture, bounds);

  g_test_message ("%s: %u colours, %.2f %% coloured pixels, %.2f %% ink", what, stats.n_colours,
                  100 * stats.coloured, 100 * stats.ink);
  if (stats.n_colours < min_colours || stats.coloured < min_coloured || stats.ink < min_ink)
    g_error ("%s renders nearly empty: %u colours (at least %u expected), %.2f %% coloured "
             "pixels (at least %.2f %%), %.2f %% ink (at least %.2f %%)", what, stats.n_colours,
             min_colours, 100 * stats.coloured, 100 * min_coloured, 100 * stats.ink, 100 * min_ink);
}

/* Where @widget is in the texture test_gui_render() makes of @window. */
static graphene_rect_t
bounds_in_render (GtkWindow *window,
                  gpointer   widget)
{
  GtkWidget *content = gtk_widget_get_first_child (GTK_WIDGET (window));
  graphene_rect_t bounds;

  while (content != NULL && !gtk_widget_get_mapped (content))
    content = gtk_widget_get_next_sibling (content);
  g_assert_nonnull (content);
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, content, &bounds));
  g_assert_cmpfloat (bounds.size.width, >, 50);
  g_assert_cmpfloat (bounds.size.height, >, 10);

  return bounds;
}

/* Renders @window as test_gui_save_screenshot() does, checks the whole image and then each of
 * @widgets (NULL-terminated pairs of a widget and the minimum coloured and ink shares, as
 * doubles), and saves the PNG under test-output/screenshots/. */
static void
save_screenshot (GtkWindow  *window,
                 const char *name,
                 ...)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = g_strconcat ("screenshots" G_DIR_SEPARATOR_S, name, NULL);
  g_autofree char *path = sextant_test_output_path (file_name);
  g_autofree char *dir = g_path_get_dirname (path);
  gpointer widget;
  va_list args;

  /* Two frames after the last change: the paintable reuses the last frame's nodes. */
  test_gui_show_and_wait (window, WIDTH, HEIGHT);
  texture = test_gui_render (GTK_WIDGET (window));
  g_assert_cmpint (gdk_texture_get_width (texture), >=, WIDTH - 20);
  assert_region (texture, NULL, name, 500, 0, 0);
  va_start (args, name);
  while ((widget = va_arg (args, gpointer)) != NULL)
    {
      double min_coloured = va_arg (args, double);
      double min_ink = va_arg (args, double);
      graphene_rect_t bounds = bounds_in_render (window, widget);
      g_autofree char *what = g_strdup_printf ("%s: %s", name, gtk_widget_get_name (widget));

      assert_region (texture, &bounds, what, 2, min_coloured, min_ink);
    }
  va_end (args);
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static gpointer
child (gpointer    window,
       GType       type,
       const char *id)
{
  gpointer widget = gtk_widget_get_template_child (GTK_WIDGET (window), type, id);

  g_assert_nonnull (widget);

  return widget;
}

static void
assert_chart_drawn (gpointer    window,
                    GType       type,
                    const char *id)
{
  SextantChartView *view = child (window, type, id);

  g_assert_true (sextant_chart_view_has_chart (view));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (view)), >, 100);
}

static gboolean
is_mapped_label_with_text (GtkWidget     *widget,
                           gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
is_mapped_markdown_view (GtkWidget     *widget,
                         gconstpointer  data)
{
  return SEXTANT_IS_MARKDOWN_VIEW (widget) && gtk_widget_get_mapped (widget) &&
         gtk_widget_get_height (widget) > 0;
}

static void
test_portfolio (void)
{
  SextantPortfolioWindow *window = sextant_portfolio_window_new (NULL, workspace);
  GType type = SEXTANT_TYPE_PORTFOLIO_WINDOW;
  GtkLabel *volatility;

  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  adw_combo_row_set_selected (child (window, type, "objective_row"), SEXTANT_OBJECTIVE_MAX_SHARPE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_busy (window));
  g_assert_nonnull (sextant_portfolio_window_get_result (window));
  volatility = child (window, type, "volatility_label");
  g_assert_true (g_str_has_suffix (gtk_label_get_text (volatility), "%"));
  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  assert_chart_drawn (window, type, "frontier_view");
  save_screenshot (GTK_WINDOW (window), "portfolio-window.png",
                   child (window, type, "frontier_view"), MIN_CHART_COLOURED, MIN_CHART_INK,
                   volatility, 0.0, MIN_TEXT_INK,
                   NULL);
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_risk (void)
{
  SextantRiskWindow *window = sextant_risk_window_new (NULL, workspace);
  GType type = SEXTANT_TYPE_RISK_WINDOW;
  GtkLabel *beta;

  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  /* The tiles hold figures, not their placeholder. */
  beta = sextant_risk_window_get_kpi_label (window, "beta");
  g_assert_nonnull (beta);
  g_assert_true (g_ascii_isdigit (gtk_label_get_text (beta)[0]));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (beta)));
  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  assert_chart_drawn (window, type, "histogram_view");
  assert_chart_drawn (window, type, "drawdown_view");
  save_screenshot (GTK_WINDOW (window), "risk-window.png",
                   child (window, type, "histogram_view"), MIN_CHART_COLOURED, MIN_CHART_INK,
                   child (window, type, "drawdown_view"), MIN_CHART_COLOURED, MIN_CHART_INK,
                   beta, 0.0, MIN_TEXT_INK,
                   NULL);
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_chat (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (":memory:", &error);
  g_autoptr(SextantConversationStore) conversations = NULL;
  SextantChatWindow *window;
  GListModel *messages;
  GtkWidget *question, *answer;

  g_assert_no_error (error);
  conversations = sextant_conversation_store_new (store);
  window = sextant_chat_window_new_with_store (NULL, workspace, conversations);
  sextant_chat_window_set_client (window, NULL, "no AWS credentials were found");
  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  sextant_chat_window_set_draft (window, "optimise MSFT IBM INTC for minimum variance");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  TEST_GUI_WAIT_FOR (!sextant_chat_window_get_busy (window));
  g_assert_null (sextant_chat_window_get_error (window));
  messages = sextant_chat_window_get_messages (window);
  /* The question, the card of the optimizer the analyst ran, the answer. */
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 3);
  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  /* The question and the answer are on screen, not only in the model. */
  question = test_gui_find (GTK_WIDGET (window), is_mapped_label_with_text,
                           "optimise MSFT IBM INTC for minimum variance");
  g_assert_nonnull (question);
  answer = test_gui_find (GTK_WIDGET (window), is_mapped_markdown_view, NULL);
  g_assert_nonnull (answer);
  save_screenshot (GTK_WINDOW (window), "chat-window.png",
                   question, 0.0, MIN_TEXT_INK,
                   answer, 0.0, MIN_TEXT_INK,
                   NULL);
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* The PNGs in data/screenshots/ pass the same image checks as the renders. */
static void
test_committed (void)
{
  const char *names[] = { "portfolio-window.png", "risk-window.png", "chat-window.png" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (g_getenv ("SEXTANT_DATADIR"), "screenshots", names[i], NULL);
      g_autoptr(GdkTexture) texture = NULL;
      g_autoptr(GError) error = NULL;

      texture = gdk_texture_new_from_filename (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), >=, WIDTH - 20);
      assert_region (texture, NULL, path, 500, MIN_WINDOW_COLOURED, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  workspace = sextant_test_load_demo_workspace ();

  g_test_add_func ("/sextant/gui/screenshots/portfolio", test_portfolio);
  g_test_add_func ("/sextant/gui/screenshots/risk", test_risk);
  g_test_add_func ("/sextant/gui/screenshots/chat", test_chat);
  g_test_add_func ("/sextant/gui/screenshots/committed", test_committed);

  status = g_test_run ();
  g_clear_object (&workspace);

  return status;
}
