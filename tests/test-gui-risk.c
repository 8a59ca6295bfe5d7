#define _GNU_SOURCE
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "sextant-chart-view.h"
#include "sextant-risk-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

static SextantWorkspace *workspace;

static gpointer
child (SextantRiskWindow *window,
       const char        *id)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_RISK_WINDOW, id);
}

static void
assert_kpi (SextantRiskWindow *window,
            const char        *key,
            double             expected,
            gboolean           percent)
{
  GtkLabel *label = sextant_risk_window_get_kpi_label (window, key);
  g_autofree char *text = percent ? g_strdup_printf ("%.2f %%", 100 * expected)
                                  : g_strdup_printf ("%.2f", expected);

  g_assert_nonnull (label);
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    g_error ("KPI %s shows “%s”, the core gives %s", key, gtk_label_get_text (label), text);
}

/* The demo portfolio's daily returns, assembled here from the core independently of the
 * window: valuation weights, simple returns of every complete row of the 30 stocks. */
static double *
demo_portfolio_returns (gsize   *n,
                        double **market)
{
  SextantPriceTable *stocks = sextant_workspace_get_stocks (workspace);
  g_autoptr(SextantValuation) valuation = NULL;
  g_autoptr(SextantPriceTable) complete = sextant_price_table_drop_incomplete (stocks, NULL);
  g_autoptr(SextantReturnMatrix) all = NULL;
  g_autoptr(GError) error = NULL;
  double *r;

  valuation = sextant_portfolio_valuate (sextant_workspace_get_portfolio (workspace), stocks, &error);
  g_assert_no_error (error);
  all = sextant_return_matrix_from_prices (complete, SEXTANT_RETURN_SIMPLE, &error);
  g_assert_no_error (error);
  *n = all->n_obs;
  r = g_new0 (double, *n);
  *market = g_new0 (double, *n);
  for (guint j = 0; j < valuation->n_positions; j++)
    {
      int c = sextant_price_table_find_column (complete, valuation->positions[j].symbol);

      for (gsize t = 0; t < *n; t++)
        r[t] += valuation->positions[j].weight * sextant_return_matrix_get_column (all, c)[t];
    }
  for (gsize c = 0; c < all->n_assets; c++)
    for (gsize t = 0; t < *n; t++)
      (*market)[t] += sextant_return_matrix_get_column (all, c)[t] / all->n_assets;

  return r;
}

static void
check_demo_kpis (SextantRiskWindow *window)
{
  g_autofree double *market = NULL;
  gsize n;
  g_autofree double *r = demo_portfolio_returns (&n, &market);
  g_autoptr(GError) error = NULL;
  SextantMoments m;
  SextantDrawdown dd;
  SextantBenchmarkStats stats;
  double var, es, vol, sharpe;

  g_assert_true (sextant_moments_compute (r, n, &m, &error));
  g_assert_true (sextant_var_historical (r, n, 0.95, &var, &es, &error));
  assert_kpi (window, "var95-historical", var, TRUE);
  assert_kpi (window, "es95-historical", es, TRUE);
  sextant_assert_close_rel (sextant_risk_window_get_figures (window)->var_historical[0], var, 1e-9);
  g_assert_true (sextant_var_historical (r, n, 0.99, &var, &es, &error));
  assert_kpi (window, "var99-historical", var, TRUE);
  assert_kpi (window, "es99-historical", es, TRUE);
  g_assert_true (sextant_var_gaussian (m.mean, m.sd, 0.95, &var, NULL, &error));
  assert_kpi (window, "var95-gaussian", var, TRUE);
  g_assert_true (sextant_var_gaussian (m.mean, m.sd, 0.99, &var, NULL, &error));
  assert_kpi (window, "var99-gaussian", var, TRUE);
  g_assert_true (sextant_var_cornish_fisher (&m, 0.95, &var, &error));
  assert_kpi (window, "var95-cornish-fisher", var, TRUE);
  g_assert_true (sextant_var_cornish_fisher (&m, 0.99, &var, &error));
  assert_kpi (window, "var99-cornish-fisher", var, TRUE);
  g_assert_true (sextant_volatility_annualised (r, n, 252, &vol, &error));
  assert_kpi (window, "volatility", vol, TRUE);
  g_assert_true (sextant_sharpe_ratio (r, n, 0, 252, &sharpe, &error));
  assert_kpi (window, "sharpe", sharpe, FALSE);
  g_assert_true (sextant_max_drawdown (r, n, &dd, &error));
  assert_kpi (window, "max-drawdown", dd.max_drawdown, TRUE);
  g_assert_true (sextant_benchmark_stats (r, market, n, 252, &stats, &error));
  assert_kpi (window, "beta", stats.beta, FALSE);
  g_assert_no_error (error);
}

static void
test_dashboard (void)
{
  SextantRiskWindow *window = sextant_risk_window_new (NULL, workspace);
  SextantRiskFigures *f;
  double sum = 0;

  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  check_demo_kpis (window);

  /* Component VaRs add up to the Gaussian 99 % VaR (Euler allocation, see sextant-risk.c). */
  f = sextant_risk_window_get_figures (window);
  for (gsize j = 0; j < f->k; j++)
    sum += f->component_var[j];
  sextant_assert_close_rel (sum, f->var_gaussian[SEXTANT_RISK_99], 1e-9);
  g_assert_true (sextant_chart_view_has_chart (child (window, "histogram_view")));
  g_assert_true (sextant_chart_view_has_chart (child (window, "drawdown_view")));
  g_assert_true (sextant_chart_view_has_chart (child (window, "heatmap_view")));
  /* Stress table: a header and 3 windows for each of 1, 5 and 21 days. */
  g_assert_nonnull (gtk_grid_get_child_at (child (window, "stress_grid"), 3, 9));
  /* Then the replay: Σ w_j (∏(1 + r_jt) − 1) over the market's worst 21 days, summed here. */
  {
    const SextantStressWindow *w = &f->market_worst_month;
    double expected = 0;
    g_autofree char *text = NULL;

    g_assert_cmpuint (w->length, ==, 21);
    for (gsize j = 0; j < f->k; j++)
      {
        double growth = 1;

        for (gsize t = w->start; t < w->start + w->length; t++)
          growth *= 1 + f->returns->values[j * f->n + t];
        expected += f->weights[j] * (growth - 1);
      }
    sextant_assert_close_rel (f->replay_return, expected, 1e-12);
    text = g_strdup_printf ("%.2f %%", -100 * expected);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (child (window, "stress_grid"), 3, 10))),
                     ==, text);
  }
  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  test_gui_save_screenshot (GTK_WIDGET (window), "risk-dashboard.png");

  /* The equal-weight portfolio of the 30 stocks is the market itself: its beta is exactly 1. */
  gtk_drop_down_set_selected (child (window, "portfolio_dropdown"), 1);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  g_assert_cmpuint (sextant_risk_window_get_figures (window)->k, ==, 30);
  sextant_assert_close_rel (sextant_risk_window_get_figures (window)->beta, 1.0, 1e-9);
  g_assert_cmpstr (gtk_label_get_text (sextant_risk_window_get_kpi_label (window, "beta")), ==, "1.00");

  adw_view_stack_set_visible_child_name (child (window, "view_stack"), "monitoring");
  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  test_gui_save_screenshot (GTK_WIDGET (window), "risk-monitoring.png");
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_export_charts (void)
{
  static const struct { const char *name; const char *magic; } files[] = {
    { "histogram.png", "\x89PNG" },
    { "histogram.svg", "<?xml" },
    { "histogram.pdf", "%PDF-" },
    /* RFC 4180, as the core writes it (src/core/chart/sextant-chart-csv.c). */
    { "histogram.csv", "return\r\n" },
  };
  SextantRiskWindow *window = sextant_risk_window_new (NULL, workspace);
  g_autofree char *dir = sextant_test_make_temp_dir ();
  SextantChartView *view;

  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  view = child (window, "histogram_view");
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i].name, NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (sextant_chart_view_export_to_path (view, path, &error));
      g_assert_no_error (error);
      test_gui_assert_file_magic (path, files[i].magic, 1024);
    }
  {
    /* The PDF is one page. */
    g_autofree char *path = g_build_filename (dir, "histogram.pdf", NULL);
    g_autofree char *pdf = NULL;
    gsize length;

    g_file_get_contents (path, &pdf, &length, NULL);
    /* memmem: the PDF holds binary streams with NUL bytes. */
    g_assert_nonnull (memmem (pdf, length, "/Count 1", strlen ("/Count 1")));
  }
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  workspace = sextant_workspace_new ();
  if (!sextant_workspace_load_demo (workspace, &error))
    g_error ("%s", error->message);

  g_test_add_func ("/sextant/gui/risk/dashboard", test_dashboard);
  g_test_add_func ("/sextant/gui/risk/export-charts", test_export_charts);

  status = g_test_run ();
  g_clear_object (&workspace);

  return status;
}
