#define _GNU_SOURCE
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-chart-view.h"
#include "sextant-invocation-item.h"
#include "sextant-risk-report.h"
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

/* The built-in equal-weight portfolio, wherever the stored portfolios put it in the list. */
static void
choose_equal_weight (SextantRiskWindow *window)
{
  GListModel *model = gtk_drop_down_get_model (child (window, "portfolio_dropdown"));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), "Equal-weight Dow 30"))
      {
        gtk_drop_down_set_selected (child (window, "portfolio_dropdown"), i);
        return;
      }
  g_error ("No equal-weight portfolio in the list");
}

/* The value of the portfolio shown, which turns VaR and ES into money; NaN when it has none. */
static double kpi_portfolio_value = NAN;

static void
assert_kpi (SextantRiskWindow *window,
            const char        *key,
            double             expected,
            gboolean           percent)
{
  GtkLabel *label = sextant_risk_window_get_kpi_label (window, key);
  g_autofree char *text = percent ? g_strdup_printf ("%.2f %%", 100 * expected)
                                  : g_strdup_printf ("%.2f", expected);

  /* A loss in percent, then in dollars: the demo portfolio's value × the loss fraction. */
  if (isfinite (kpi_portfolio_value) && (g_str_has_prefix (key, "var") || g_str_has_prefix (key, "es")))
    {
      char *with_money = g_strdup_printf ("%s · $%'.0f", text, kpi_portfolio_value * expected);

      g_free (text);
      text = with_money;
    }

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
  kpi_portfolio_value = valuation->total;
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
  choose_equal_weight (window);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  g_assert_cmpuint (sextant_risk_window_get_figures (window)->k, ==, 30);
  sextant_assert_close_rel (sextant_risk_window_get_figures (window)->beta, 1.0, 1e-9);
  g_assert_cmpstr (gtk_label_get_text (sextant_risk_window_get_kpi_label (window, "beta")), ==, "1.00");
  /* It holds no shares, so its VaR is a fraction only. */
  g_assert_null (strstr (gtk_label_get_text (sextant_risk_window_get_kpi_label (window, "var95-historical")), "$"));

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

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  action)
{
  return GTK_IS_ACTIONABLE (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  return test_gui_find (widget, has_action, action);
}

static void
report_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The dashboard's report: the PDF written in a thread has every page the report laid out from
 * the figures shown (headline figures, returns, drawdown, correlation, contributions, stress). */
static void
test_save_report (void)
{
  SextantRiskWindow *window = sextant_risk_window_new (NULL, workspace);
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "risk.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SextantRiskReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *count = NULL;
  gsize length;

  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  /* The header's Save button can be used once figures are shown; the file chooser it opens is the
   * user's, and what follows it is this. */
  g_assert_true (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (window), "win.save-report")));
  sextant_risk_window_save_report_async (window, file, NULL, report_saved_cb, &result);
  TEST_GUI_WAIT_FOR (result != NULL);
  g_assert_true (sextant_risk_window_save_report_finish (window, result, &error));
  g_assert_no_error (error);
  test_gui_assert_file_magic (path, "%PDF-", 1024);

  report = sextant_risk_report_new (sextant_risk_window_get_figures (window), "Bundled demo prices.", "today");
  /* A title page and six sections, some longer than a page. */
  g_assert_cmpuint (sextant_risk_report_count_pages (report), >=, 7);
  count = g_strdup_printf ("/Count %u", sextant_risk_report_count_pages (report));
  g_assert_true (g_file_get_contents (path, &pdf, &length, NULL));
  g_assert_nonnull (memmem (pdf, length, count, strlen (count)));
  /* The task holds the window. */
  g_clear_object (&result);
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* Prices a refresh fetches: 90 weekdays ending a week ago, a different drift and wiggle per
 * symbol, rounded to 4 decimals so that the JSON the fake server sends holds them exactly. */
#define N_FETCHED 90

typedef struct
{
  gint32 days[N_FETCHED];
  double closes[30][N_FETCHED];
} FetchedPrices;

static FetchedPrices *
make_fetched_prices (void)
{
  FetchedPrices *prices = g_new0 (FetchedPrices, 1);
  gint32 day = (gint32) (g_get_real_time () / G_USEC_PER_SEC / 86400) - 7;

  for (int t = N_FETCHED - 1; t >= 0; day--)
    if (((day % 7) + 7 + 3) % 7 < 5)   /* 1970-01-01 was a Thursday; 0 = Monday */
      prices->days[t--] = day;
  for (int j = 0; j < 30; j++)
    for (int t = 0; t < N_FETCHED; t++)
      {
        double x = (20 + j) * exp (0.0004 * (j % 5 - 2) * t + 0.03 * sin ((t + 1) * (j + 1) * 0.37));

        prices->closes[j][t] = round (x * 10000) / 10000;
      }

  return prices;
}

static char *
candle_json (const FetchedPrices *prices,
             int                  j)
{
  GString *json = g_string_new ("{\"s\":\"ok\"");
  static const char *columns[] = { "o", "h", "l", "c" };

  for (guint k = 0; k < G_N_ELEMENTS (columns); k++)
    {
      g_string_append_printf (json, ",\"%s\":[", columns[k]);
      for (int t = 0; t < N_FETCHED; t++)
        g_string_append_printf (json, "%s%.4f", t > 0 ? "," : "", prices->closes[j][t]);
      g_string_append_c (json, ']');
    }
  g_string_append (json, ",\"v\":[");
  for (int t = 0; t < N_FETCHED; t++)
    g_string_append_printf (json, "%s1000", t > 0 ? "," : "");
  g_string_append (json, "],\"t\":[");
  for (int t = 0; t < N_FETCHED; t++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, t > 0 ? "," : "", (gint64) prices->days[t] * 86400);
  g_string_append (json, "]}");

  return g_string_free (json, FALSE);
}

static void
use_finnhub_at (const char *base_url)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *providers[] = { "finnhub", NULL };

  g_settings_set_strv (settings, "market-providers", providers);
  g_settings_set_string (settings, "finnhub-base-url", base_url);
  g_settings_set_boolean (settings, "enable-yahoo", FALSE);
}

static gint64
cached_bars (const char *symbol,
             gint32     *last_day)
{
  g_autoptr(SextantMarketCache) cache = sextant_market_cache_new (sextant_workspace_get_store (workspace));
  SextantBarCoverage coverage = { 0, };

  g_assert_true (sextant_market_cache_get_coverage (cache, symbol, &coverage, NULL));
  if (last_day != NULL)
    *last_day = coverage.last_day;

  return coverage.n_bars;
}

static const char *
refresh_result (SextantRiskWindow *window)
{
  return gtk_label_get_text (child (window, "refresh_result_label"));
}

static void
wait_for_refresh (SextantRiskWindow *window)
{
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_refreshing (window));
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
}

static gboolean
hold_connection_cb (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source,
                    gpointer           user_data)
{
  g_ptr_array_add (user_data, g_object_ref (connection));

  return TRUE;
}

/* A provider that accepts the connection and never answers: the refresh is certainly still
 * fetching when Cancel is pressed. */
static void
test_refresh_cancel (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  SextantRiskWindow *window;
  gint32 last_day;
  gint64 n_bars;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (hold_connection_cb), held);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  use_finnhub_at (url);
  n_bars = cached_bars ("AA", &last_day);

  window = sextant_risk_window_new (NULL, workspace);
  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (window), GDK_KEY_F5, 0));
  g_assert_true (sextant_risk_window_get_refreshing (window));
  g_assert_true (gtk_widget_get_visible (child (window, "cancel_refresh_button")));
  g_assert_true (gtk_widget_get_visible (child (window, "refresh_progress")));
  TEST_GUI_WAIT_FOR (held->len > 0);
  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (window), GDK_KEY_Escape, 0));
  wait_for_refresh (window);

  g_assert_cmpstr (refresh_result (window), ==, "Refresh cancelled; the cached prices are unchanged.");
  g_assert_false (gtk_widget_get_visible (child (window, "cancel_refresh_button")));
  g_assert_false (gtk_widget_get_visible (child (window, "refresh_failures_list")));
  {
    gint32 last_after;

    g_assert_cmpint (cached_bars ("AA", &last_after), ==, n_bars);
    g_assert_cmpint (last_after, ==, last_day);
  }
  check_demo_kpis (window);
  test_gui_destroy_and_check (GTK_WINDOW (window));
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

/* Figures of the equal-weight portfolio on the fetched prices, assembled here from the
 * generated closes: simple returns, their average over the 30 stocks each day. */
static void
check_fetched_kpis (SextantRiskWindow   *window,
                    const FetchedPrices *prices)
{
  double r[N_FETCHED - 1] = { 0 };
  g_autoptr(GError) error = NULL;
  double var, es, vol;

  /* The equal-weight portfolio holds no shares: its losses are in percent only. */
  kpi_portfolio_value = NAN;
  for (int t = 1; t < N_FETCHED; t++)
    for (int j = 0; j < 30; j++)
      r[t - 1] += (prices->closes[j][t] / prices->closes[j][t - 1] - 1) / 30;
  g_assert_true (sextant_var_historical (r, N_FETCHED - 1, 0.95, &var, &es, &error));
  assert_kpi (window, "var95-historical", var, TRUE);
  assert_kpi (window, "es95-historical", es, TRUE);
  g_assert_true (sextant_volatility_annualised (r, N_FETCHED - 1, 252, &vol, &error));
  assert_kpi (window, "volatility", vol, TRUE);
  g_assert_cmpstr (gtk_label_get_text (sextant_risk_window_get_kpi_label (window, "beta")), ==, "1.00");
}

/* Every Dow stock's cached bars are the demo's, so all 30 are stale. The first refresh gets 29
 * and a 403 for IBM: IBM is listed with the provider's reason, its cached bars stay, and the
 * figures keep the demo prices (the newer ones are not complete). The second refresh (Ctrl+R)
 * asks for IBM alone, and the figures move to the fetched prices. */
static void
test_refresh (void)
{
  FakeMarketServer *server = fake_market_server_new ();
  g_autofree FetchedPrices *prices = make_fetched_prices ();
  SextantPriceTable *stocks = sextant_workspace_get_stocks (workspace);
  SextantRiskWindow *window;
  GtkListBoxRow *row;
  gint32 ibm_last, aa_last, last;
  gint64 ibm_bars;

  g_assert_cmpuint (sextant_price_table_get_n_columns (stocks), ==, 30);
  for (int j = 0; j < 30; j++)
    {
      const char *symbol = sextant_price_table_get_column_name (stocks, j);
      g_autofree char *query = g_strdup_printf ("symbol=%s&", symbol);
      g_autofree char *body = candle_json (prices, j);

      if (g_str_equal (symbol, "IBM"))
        fake_market_server_push (server, "/stock/candle", query, 403, "application/json",
                                 "finnhub_403_no_access.json");
      fake_market_server_push_body (server, "/stock/candle", query, 200, "application/json", body);
    }
  use_finnhub_at (fake_market_server_get_base_url (server));
  ibm_bars = cached_bars ("IBM", &ibm_last);
  g_assert_cmpint (ibm_bars, >, 2000);

  window = sextant_risk_window_new (NULL, workspace);
  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (window), GDK_KEY_F5, 0));
  g_assert_true (sextant_risk_window_get_refreshing (window));
  wait_for_refresh (window);

  g_assert_cmpuint (fake_market_server_get_count (server, "/stock/candle"), ==, 30);
  g_assert_cmpstr (refresh_result (window), ==,
                   "1 of 30 stale instruments could not be fetched; its cached prices are kept:");
  g_assert_true (gtk_widget_get_visible (child (window, "refresh_failures_list")));
  row = gtk_list_box_get_row_at_index (child (window, "refresh_failures_list"), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "IBM");
  g_test_message ("IBM: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "403"));
  g_assert_null (gtk_list_box_get_row_at_index (child (window, "refresh_failures_list"), 1));
  /* IBM keeps its demo bars; AA gained the fetched ones. */
  g_assert_cmpint (cached_bars ("IBM", &last), ==, ibm_bars);
  g_assert_cmpint (last, ==, ibm_last);
  cached_bars ("AA", &aa_last);
  g_assert_cmpint (aa_last, ==, prices->days[N_FETCHED - 1]);
  /* Without IBM's newer prices, the figures are still the demo's. */
  check_demo_kpis (window);
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "status_label")), "IBM"));

  TEST_GUI_WAIT_FOR (gtk_revealer_get_child_revealed (child (window, "refresh_result_revealer")));
  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  test_gui_save_screenshot (GTK_WIDGET (window), "risk-refresh.png");

  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (window), GDK_KEY_r, GDK_CONTROL_MASK));
  wait_for_refresh (window);
  g_assert_cmpuint (fake_market_server_get_count (server, "/stock/candle"), ==, 31);
  g_assert_cmpstr (refresh_result (window), ==, "Fetched the prices of 1 stale instrument.");
  g_assert_false (gtk_widget_get_visible (child (window, "refresh_failures_list")));
  /* 90 fetched closes give 89 returns, from the second fetched day. */
  g_assert_cmpuint (sextant_risk_window_get_figures (window)->n, ==, N_FETCHED - 1);
  g_assert_cmpint (sextant_risk_window_get_figures (window)->returns->days[0], ==, prices->days[1]);
  choose_equal_weight (window);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  check_fetched_kpis (window, prices);

  /* Nothing is stale any more: no request goes out. */
  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (window), GDK_KEY_F5, 0));
  wait_for_refresh (window);
  g_assert_cmpuint (fake_market_server_get_count (server, "/stock/candle"), ==, 31);
  g_assert_cmpstr (refresh_result (window), ==, "Every price is up to date: nothing needed fetching.");

  test_gui_destroy_and_check (GTK_WINDOW (window));
  fake_market_server_free (server);
}

/* A base URL setting in plain HTTP to another host: the refresh stops before any request, and
 * says which URL was refused and how to allow it, rather than "no provider has a key". */
static void
test_refresh_insecure_base_url (void)
{
  SextantRiskWindow *window;

  g_unsetenv ("SEXTANT_ALLOW_INSECURE_ENDPOINT");
  use_finnhub_at ("http://example.com");
  window = sextant_risk_window_new (NULL, workspace);
  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (window), GDK_KEY_F5, 0));
  wait_for_refresh (window);
  g_assert_true (g_str_has_prefix (refresh_result (window), "The prices could not be refreshed: "));
  g_assert_nonnull (strstr (refresh_result (window), "http://example.com"));
  g_assert_nonnull (strstr (refresh_result (window), "SEXTANT_ALLOW_INSECURE_ENDPOINT=1"));
  test_gui_destroy_and_check (GTK_WINDOW (window));
  use_finnhub_at ("");
}

/* A shock's field, found by its symbol or currency under an expander row. */
static GtkEditable *
find_shock_entry (GtkWidget  *widget,
                  const char *key)
{
  if (GTK_IS_ENTRY (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "key"), key) == 0)
    return GTK_EDITABLE (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkEditable *found = find_shock_entry (c, key);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
choose_portfolio (SextantRiskWindow *window,
                  const char        *name)
{
  GListModel *model = gtk_drop_down_get_model (child (window, "portfolio_dropdown"));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), name))
      {
        gtk_drop_down_set_selected (child (window, "portfolio_dropdown"), i);
        TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
        return;
      }
  g_error ("No portfolio %s in the list", name);
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;

  return n;
}

/* The expected P&L, summed here from the figures' weights: value × Σ w_j × move_j. */
static char *
expected_pnl (SextantRiskWindow *window,
              double             value,
              double             market,
              const char        *symbol,
              double             shock,
              const char        *foreign,
              double             fx)
{
  SextantRiskFigures *f = sextant_risk_window_get_figures (window);
  double total = 0;

  for (gsize j = 0; j < f->k; j++)
    {
      double move = g_strcmp0 (f->symbols[j], symbol) == 0 ? shock : market;

      if (g_strcmp0 (f->symbols[j], foreign) == 0)
        move = (1 + move) * (1 + fx) - 1;
      total += value * f->weights[j] * move;
    }

  return g_strdup_printf ("profit or loss %+.0f USD", total);
}

/* The ECB-shaped rates of tests/data/fx (synthetic, 2000-2001) in the workspace's store, as a
 * fetch would leave them: a book with a holding in another currency is converted with them. */
static void
put_ecb_rates (SextantStore *store)
{
  g_autofree char *path = sextant_test_reference_path ("fx/ecb_exr_2000-2001.csv");
  g_autoptr(SextantMarketCache) cache = sextant_market_cache_new (store);
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  series = sextant_ecb_rates_parse_csv (text, length, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_market_cache_put_fx_rates (cache, series, NULL, &error));
  g_assert_no_error (error);
}

/* Issue 14: a stress of the user's own, its P&L in money, saved by name, listed and re-applied. */
static void
test_user_stress (void)
{
  SextantRiskWindow *window = sextant_risk_window_new (NULL, workspace);
  SextantStore *store = sextant_workspace_get_store (workspace);
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new ("Two Currencies");
  g_autoptr(SextantStressScenario) saved = NULL;
  g_autoptr(GError) error = NULL;
  GtkLabel *label = child (window, "shock_result_label");
  const char *first;
  double value;

  test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  first = sextant_risk_window_get_figures (window)->symbols[0];
  value = gtk_spin_button_get_value (child (window, "stress_value_spin"));
  g_assert_cmpfloat (value, >, 0);
  /* The demo book is all in dollars: no currency to shock. */
  g_assert_false (gtk_widget_get_sensitive (child (window, "currency_shocks_row")));

  /* Market −20 %, the first holding −50 %. */
  gtk_editable_set_text (child (window, "stress_name_entry"), "Crash, first holding halves");
  gtk_spin_button_set_value (child (window, "market_shock_spin"), -20);
  gtk_editable_set_text (find_shock_entry (child (window, "instrument_shocks_row"), first), "-50");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.apply-stress", NULL));
  {
    g_autofree char *expected = expected_pnl (window, value, -0.2, first, -0.5, NULL, 0);

    g_assert_nonnull (strstr (gtk_label_get_text (label), expected));
  }
  g_assert_nonnull (strstr (gtk_label_get_text (label), "Largest losses:"));

  /* Saved in the database, listed, and re-applied with the fields as they were saved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-stress", NULL));
  g_assert_true (gtk_widget_get_visible (child (window, "saved_stress_group")));
  g_assert_cmpuint (count_rows (child (window, "saved_stress_list")), ==, 1);
  saved = sextant_stress_scenario_load (store, "Crash, first holding halves", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (saved->market, -0.2, 1e-12);
  g_assert_cmpuint (saved->instruments->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (saved->instruments, SextantStressShock, 0).shock, -0.5, 1e-12);
  gtk_spin_button_set_value (child (window, "market_shock_spin"), 0);
  gtk_editable_set_text (find_shock_entry (child (window, "instrument_shocks_row"), first), "");
  gtk_label_set_text (label, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.apply-saved-stress", "s",
                                             "Crash, first holding halves"));
  g_assert_cmpfloat (gtk_spin_button_get_value (child (window, "market_shock_spin")), ==, -20);
  g_assert_cmpstr (gtk_editable_get_text (find_shock_entry (child (window, "instrument_shocks_row"), first)), ==, "-50");
  {
    g_autofree char *expected = expected_pnl (window, value, -0.2, first, -0.5, NULL, 0);

    g_assert_nonnull (strstr (gtk_label_get_text (label), expected));
  }
  {
    /* Scrolled to the scenario, for the screenshot. */
    GtkWidget *entry = child (window, "stress_name_entry");
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (entry, GTK_TYPE_SCROLLED_WINDOW));
    graphene_point_t at;

    test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
    g_assert_true (gtk_widget_compute_point (entry, GTK_WIDGET (scrolled), &GRAPHENE_POINT_INIT (0, 0), &at));
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scrolled),
                              gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (scrolled)) + at.y - 80);
    test_gui_show_and_wait (GTK_WINDOW (window), 1200, 1000);
    test_gui_save_screenshot (GTK_WIDGET (window), "risk-user-stress.png");
  }

  /* A holding in euros gets a currency shock on top of its price move. */
  sextant_portfolio_add_holding (portfolio, "IBM", 100, NAN, "USD");
  sextant_portfolio_add_holding (portfolio, "KO", 300, NAN, "EUR");
  g_assert_true (sextant_portfolio_store_save (sextant_workspace_get_portfolios (workspace), portfolio, &error));
  g_assert_no_error (error);
  put_ecb_rates (store);
  choose_portfolio (window, "Two Currencies");
  g_assert_true (gtk_widget_get_sensitive (child (window, "currency_shocks_row")));
  value = gtk_spin_button_get_value (child (window, "stress_value_spin"));
  gtk_editable_set_text (find_shock_entry (child (window, "currency_shocks_row"), "EUR"), "-10");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.apply-stress", NULL));
  {
    g_autofree char *expected = expected_pnl (window, value, -0.2, NULL, 0, "KO", -0.1);

    g_assert_nonnull (strstr (gtk_label_get_text (label), expected));
  }
  gtk_editable_set_text (find_shock_entry (child (window, "currency_shocks_row"), "EUR"), "lots");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.apply-stress", NULL));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "EUR: “lots” is not a percentage");

  /* Deleted: the list is empty and hidden. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-saved-stress", "s",
                                             "Crash, first holding halves"));
  g_assert_cmpuint (count_rows (child (window, "saved_stress_list")), ==, 0);
  g_assert_false (gtk_widget_get_visible (child (window, "saved_stress_group")));
  g_assert_true (sextant_portfolio_store_delete (sextant_workspace_get_portfolios (workspace),
                                                 "Two Currencies", &error));
  /* The dashboard follows the deletion back to the demo portfolio and computes it again: the
   * computation holds the window until it ends (slowly, in the sanitized build). */
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *db = g_build_filename (dir, "sextant.db", NULL);

  /* The windows open the workspace's database; keep it away from the user's. */
  g_setenv ("SEXTANT_DATABASE", db, TRUE);
  /* The refresh tests' providers are fake servers on 127.0.0.1, reached without a proxy, with
   * a key from the environment when the keyring has none. */
  g_setenv ("no_proxy", "127.0.0.1", TRUE);
  g_setenv ("SEXTANT_FINNHUB_KEY", "test-key", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  workspace = sextant_test_load_demo_workspace ();
  if (!sextant_workspace_open_store (workspace, &error))
    g_error ("%s", error->message);
  {
    /* The Dow stocks' cached bars are the demo's: stale, so a refresh fetches them all. */
    g_autoptr(SextantMarketCache) cache = sextant_market_cache_new (sextant_workspace_get_store (workspace));

    if (!sextant_market_cache_ensure_demo (cache, &error))
      g_error ("%s", error->message);
  }

  g_test_add_func ("/sextant/gui/risk/dashboard", test_dashboard);
  g_test_add_func ("/sextant/gui/risk/user-stress", test_user_stress);
  g_test_add_func ("/sextant/gui/risk/export-charts", test_export_charts);
  g_test_add_func ("/sextant/gui/risk/save-report", test_save_report);
  g_test_add_func ("/sextant/gui/risk/refresh-cancel", test_refresh_cancel);
  g_test_add_func ("/sextant/gui/risk/refresh", test_refresh);
  g_test_add_func ("/sextant/gui/risk/refresh-insecure-base-url", test_refresh_insecure_base_url);

  status = g_test_run ();
  g_clear_object (&workspace);

  return status;
}
