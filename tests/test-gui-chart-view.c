#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sextant-chart-view-tooltip.h"
#include "sextant-chart-view.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

static SextantWorkspace *workspace;

static SextantPriceChart *
index_chart (void)
{
  SextantPriceSeries *index = sextant_workspace_get_index (workspace);
  SextantPriceChart *chart = g_new0 (SextantPriceChart, 1);

  chart->symbol = sextant_price_series_get_symbol (index);
  chart->style = SEXTANT_PRICE_CHART_LINE;
  chart->n = sextant_price_series_get_length (index);
  chart->days = sextant_price_series_get_days (index);
  chart->close = sextant_price_series_get_close (index);

  return chart;
}

static void
count_destroy (gpointer data)
{
  guint *count = data;

  (*count)++;
}

static void
test_new_destroy (void)
{
  GtkWidget *view = sextant_chart_view_new ();
  g_autofree SextantPriceChart *chart = index_chart ();
  guint destroyed = 0;

  g_object_ref_sink (view);
  sextant_chart_view_set_chart (SEXTANT_CHART_VIEW (view), SEXTANT_CHART_KIND_PRICE, chart,
                                &destroyed, count_destroy);
  g_assert_true (sextant_chart_view_has_chart (SEXTANT_CHART_VIEW (view)));
  /* Replacing the chart frees the first owner. */
  sextant_chart_view_set_chart (SEXTANT_CHART_VIEW (view), SEXTANT_CHART_KIND_PRICE, chart,
                                &destroyed, count_destroy);
  g_assert_cmpuint (destroyed, ==, 1);
  g_assert_finalize_object (view);
  g_assert_cmpuint (destroyed, ==, 2);
}

static void
test_export (void)
{
  static const struct { const char *name; const char *magic; } files[] = {
    { "chart.png", "\x89PNG" },
    { "chart.svg", "<?xml" },
    { "chart.pdf", "%PDF-" },
    /* RFC 4180, as the core writes it (src/core/chart/sextant-chart-csv.c). */
    { "chart.csv", "date,open,high,low,close" },
  };
  g_autofree char *dir = sextant_test_make_temp_dir ();
  GtkWidget *view = sextant_chart_view_new ();
  g_autofree SextantPriceChart *chart = index_chart ();
  g_autoptr(GError) error = NULL;

  g_object_ref_sink (view);
  g_assert_false (sextant_chart_view_export_to_path (SEXTANT_CHART_VIEW (view), "/nonexistent.png",
                                                     &error));
  g_assert_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_EMPTY);
  g_clear_error (&error);

  sextant_chart_view_set_chart (SEXTANT_CHART_VIEW (view), SEXTANT_CHART_KIND_PRICE, chart,
                                NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i].name, NULL);

      g_assert_true (sextant_chart_view_export_to_path (SEXTANT_CHART_VIEW (view), path, &error));
      g_assert_no_error (error);
      /* Every picture is well over 1 kB; the CSV has one line per bar of the index. */
      test_gui_assert_file_magic (path, files[i].magic, 1024);
    }
  {
    g_autofree char *path = g_build_filename (dir, "chart.csv", NULL);
    g_autofree char *csv = NULL;
    guint lines = 0;

    g_file_get_contents (path, &csv, NULL, NULL);
    for (const char *p = csv; *p != '\0'; p++)
      lines += *p == '\n';
    g_assert_cmpuint (lines, ==, chart->n + 1);
  }

  /* A directory that does not exist is reported as such by GIO (the core writes through GFile),
   * not a crash. */
  g_assert_false (sextant_chart_view_export_to_path (SEXTANT_CHART_VIEW (view),
                                                     "/nonexistent/dir/chart.pdf", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_finalize_object (view);
}

static void
test_zoom_keys (void)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *view = sextant_chart_view_new ();
  g_autofree SextantPriceChart *chart = index_chart ();
  g_autofree char *description = NULL;
  gsize first, last, first2, last2;

  adw_window_set_content (ADW_WINDOW (window), view);
  sextant_chart_view_set_chart (SEXTANT_CHART_VIEW (view), SEXTANT_CHART_KIND_PRICE, chart,
                                NULL, NULL);
  test_gui_show_and_wait (GTK_WINDOW (window), 800, 500);
  gtk_widget_grab_focus (view);
  g_assert_true (gtk_widget_has_focus (view));

  description = sextant_chart_view_dup_description (SEXTANT_CHART_VIEW (view));
  g_assert_nonnull (description);
  g_assert_nonnull (strstr (description, chart->symbol));

  g_assert_true (sextant_chart_view_get_visible_range (SEXTANT_CHART_VIEW (view), &first, &last));
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpuint (last, ==, chart->n - 1);

  /* "+" zooms in by 1.25 around the middle: the span shrinks to n / 1.25. */
  g_assert_true (test_gui_activate_shortcut (view, GDK_KEY_plus, 0));
  g_assert_true (sextant_chart_view_get_visible_range (SEXTANT_CHART_VIEW (view), &first, &last));
  g_assert_cmpuint (last - first + 1, ==, (gsize) (chart->n / 1.25 + 0.5));
  g_assert_cmpuint (first, >, 0);

  /* Right pans towards later dates by a tenth of the span, keeping it. */
  g_assert_true (test_gui_activate_shortcut (view, GDK_KEY_Left, 0));
  g_assert_true (sextant_chart_view_get_visible_range (SEXTANT_CHART_VIEW (view), &first2, &last2));
  g_assert_cmpuint (first2, <, first);
  g_assert_cmpuint (last2 - first2, ==, last - first);

  /* "−" zooms back out, Home shows everything again. */
  g_assert_true (test_gui_activate_shortcut (view, GDK_KEY_minus, 0));
  g_assert_true (sextant_chart_view_get_visible_range (SEXTANT_CHART_VIEW (view), &first2, &last2));
  g_assert_cmpuint (last2 - first2, >, last - first);
  g_assert_true (test_gui_activate_shortcut (view, GDK_KEY_plus, 0));
  g_assert_true (test_gui_activate_shortcut (view, GDK_KEY_Home, 0));
  g_assert_true (sextant_chart_view_get_visible_range (SEXTANT_CHART_VIEW (view), &first, &last));
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpuint (last, ==, chart->n - 1);

  /* Shift+F10 opens the context menu (export, reset zoom) from the keyboard. */
  g_assert_true (test_gui_activate_shortcut (view, GDK_KEY_F10, GDK_SHIFT_MASK));
  {
    GtkWidget *menu = NULL;

    for (GtkWidget *c = gtk_widget_get_first_child (view); c != NULL; c = gtk_widget_get_next_sibling (c))
      if (GTK_IS_POPOVER_MENU (c))
        menu = c;
    g_assert_nonnull (menu);
    g_assert_true (gtk_widget_get_visible (menu));
    gtk_popover_popdown (GTK_POPOVER (menu));
  }

  /* The owner's model is untouched by the view's zoom. */
  g_assert_cmpuint (chart->first_visible, ==, 0);
  g_assert_cmpuint (chart->last_visible, ==, 0);
  /* Zoomed in, with the crosshair, for the screenshot. */
  g_assert_true (test_gui_activate_shortcut (view, GDK_KEY_plus, 0));
  test_gui_show_and_wait (GTK_WINDOW (window), 800, 500);
  test_gui_save_screenshot (window, "chart-view.png");

  /* Dark mode follows the style manager: the painter gets the dark preset. */
  g_assert_false (sextant_chart_view_get_style (SEXTANT_CHART_VIEW (view))->dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  test_gui_show_and_wait (GTK_WINDOW (window), 800, 500);
  g_assert_true (sextant_chart_view_get_style (SEXTANT_CHART_VIEW (view))->dark);
  test_gui_save_screenshot (window, "chart-view-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_tooltip (void)
{
  g_autofree SextantPriceChart *chart = index_chart ();
  g_autoptr(SextantChartStyle) style = sextant_chart_style_new_light ();
  SextantChartLayout layout;
  g_autofree char *text = NULL;
  g_autofree char *close = NULL;
  g_autofree char *day = NULL;
  gsize i = chart->n / 2;
  double x, y;

  /* The pointer over bar i, as the painter laid the chart out at 800 × 500, reads bar i. */
  g_assert_true (sextant_chart_compute_layout (SEXTANT_CHART_KIND_PRICE, chart, style, 800, 500,
                                               &layout));
  x = sextant_chart_layout_to_device_x (&layout, chart->days[i]);
  y = layout.y + layout.height / 2;
  text = _sextant_chart_view_tooltip_text (SEXTANT_CHART_KIND_PRICE, chart, &layout, x, y);
  day = sextant_day_format_iso (chart->days[i]);
  close = g_strdup_printf ("%.2f", chart->close[i]);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, day));
  g_assert_nonnull (strstr (text, close));
}

static void
test_accessible_description (void)
{
  GtkWidget *view = sextant_chart_view_new ();
  g_autofree SextantPriceChart *chart = index_chart ();
  g_autofree char *description = NULL;
  g_autofree char *failure = NULL;

  g_object_ref_sink (view);
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_ROLE_IMG));
  sextant_chart_view_set_chart (SEXTANT_CHART_VIEW (view), SEXTANT_CHART_KIND_PRICE, chart,
                                NULL, NULL);
  /* The screen reader's description is the core's description of the model. */
  description = sextant_chart_describe (SEXTANT_CHART_KIND_PRICE, chart);
  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description);
  g_assert_null (failure);
  g_assert_true (gtk_widget_get_focusable (view));
  g_assert_finalize_object (view);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* The in-process test backend (no AT-SPI bus) so the accessible properties can be read. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  workspace = sextant_test_load_demo_workspace ();

  g_test_add_func ("/sextant/gui/chart-view/new-destroy", test_new_destroy);
  g_test_add_func ("/sextant/gui/chart-view/export", test_export);
  g_test_add_func ("/sextant/gui/chart-view/zoom-keys", test_zoom_keys);
  g_test_add_func ("/sextant/gui/chart-view/tooltip", test_tooltip);
  g_test_add_func ("/sextant/gui/chart-view/accessible-description", test_accessible_description);

  status = g_test_run ();
  g_clear_object (&workspace);

  return status;
}
