#define G_LOG_DOMAIN "test-gui-rates"

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <poppler.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-chart-view.h"
#include "sextant-money-format.h"
#include "sextant-rates-view-private.h"
#include "sextant-risk-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

/* Issue 17's Rates & FX view in the risk dashboard, on the desk book of tests/data/shock (a US
 * stock, three bonds in dollars and pounds, cash in three currencies; base EUR): its Refresh
 * fetches the Treasury's curve, the ECB's rates and FRED's high-yield spread from fake servers
 * (tests/data/rates, tests/data/shock, tests/data/market-apis/fred), and then
 * - the curve chart's series are `sextant-cli curve --source treasury --fit svensson` on the same
 *   store (par, zero, forward, the fit's parameters);
 * - the FX heatmap's cells are the changes worked out here from the ECB fixture's raw rows;
 * - the shock panel's P&L by holding is `sextant-cli shock` on the same store (which
 *   test-cli-shock checks against QuantLib);
 * - the curve chart exports as PNG, SVG and PDF, and the licensed spread chart as a picture but
 *   never as CSV;
 * and a screenshot is saved (rates-view.png in the test output). */

#define BOOK "Desk book"
#define WIDTH 1200
#define HEIGHT 1000

/* The key of test-rate-series-cache.c (leak-check-keys.txt), saved in the keyring here. */
#define KEYRING_FRED_KEY "fredkeyringkey0123456789abcdefgh"

static const char *cli_path;
static char **cli_env;
static FakeMarketServer *fake_server;

static gpointer
child (GtkWidget  *widget,
       GType       type,
       const char *id)
{
  return gtk_widget_get_template_child (widget, type, id);
}

static char *
run_cli (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_ptr_array_add (argv, (char *) cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  status = sextant_test_run_in_env ((const char * const *) argv->pdata, (const char * const *) cli_env,
                                    &out, &err);
  if (status != 0)
    g_error ("sextant-cli %s exited %d: %s", args[0], status, err);
  return g_steal_pointer (&out);
}

#define cli(...) run_cli ((const char * const []) { __VA_ARGS__, NULL })

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
check_array (JsonObject   *object,
             const char   *member,
             const double *values,
             gsize         n)
{
  JsonArray *array = json_object_get_array_member (object, member);

  g_assert_cmpuint (json_array_get_length (array), ==, n);
  for (guint i = 0; i < n; i++)
    sextant_assert_close_rel (values[i], json_array_get_double_element (array, i), 1e-12);
}

static void
select_portfolio (SextantRiskWindow *risk,
                  const char        *name)
{
  GtkDropDown *dropdown = child (GTK_WIDGET (risk), SEXTANT_TYPE_RISK_WINDOW, "portfolio_dropdown");
  GListModel *names = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (names, i);

      if (g_str_equal (gtk_string_object_get_string (item), name))
        gtk_drop_down_set_selected (dropdown, i);
    }
}

/* The curve of 2025-02-28 and the one a week before, as the CLI computes them. */
static void
check_curve (SextantRatesFigures *f)
{
  g_autofree char *out = cli ("curve", "--source", "treasury", "--fit", "svensson", "--format", "json");
  g_autoptr(JsonNode) root = parse (out);
  JsonObject *curve = json_node_get_object (root);
  JsonObject *params = json_object_get_object_member (json_object_get_object_member (curve, "fit"), "params");
  g_autofree char *date = sextant_day_format_iso (f->curve.day);
  g_autofree char *before = sextant_day_format_iso (f->compare.day);

  g_assert_cmpstr (date, ==, "2025-02-28");
  g_assert_cmpstr (json_object_get_string_member (curve, "date"), ==, date);
  check_array (curve, "tenors", f->curve.tenors, f->curve.n);
  check_array (curve, "par", f->curve.par, f->curve.n);
  check_array (curve, "zero", f->curve.zero, f->curve.n);
  check_array (curve, "forward", f->curve.forward, f->curve.n);
  g_assert_true (f->has_fit);
  sextant_assert_close_rel (f->fit.rmse, json_object_get_double_member (json_object_get_object_member (curve, "fit"),
                                                                        "rmse"), 1e-9);
  sextant_assert_close_rel (f->fit.beta[0], json_object_get_double_member (params, "beta0"), 1e-9);
  sextant_assert_close_rel (f->fit.tau[0], json_object_get_double_member (params, "tau1"), 1e-9);

  /* The chart draws those arrays: observed par as points, zero and forward as lines, the fit,
   * then the week before, dashed. */
  g_assert_cmpuint (f->curve_chart.n_series, ==, 6);
  g_assert_true (f->curve_chart.series[0].markers);
  g_assert_true (f->curve_chart.series[0].y == f->curve.par);
  g_assert_true (f->curve_chart.series[1].y == f->curve.zero);
  g_assert_true (f->curve_chart.series[2].y == f->curve.forward);
  g_assert_true (f->curve_chart.series[3].dashed);
  for (gsize i = 0; i < f->curve_chart.series[3].n; i++)
    sextant_assert_close_rel (f->curve_chart.series[3].y[i],
                              sextant_curve_fit_value (&f->fit, f->curve_chart.series[3].x[i]), 1e-12);
  g_assert_cmpstr (before, ==, "2025-02-21");
  {
    g_autofree char *out2 = cli ("curve", "--source", "treasury", "--date", "2025-02-21", "--format", "json");
    g_autoptr(JsonNode) root2 = parse (out2);

    check_array (json_node_get_object (root2), "zero", f->compare.zero, f->compare.n);
    g_assert_true (f->curve_chart.series[5].y == f->compare.zero);
  }
}

/* EUR per unit of @currency on @date, straight from the ECB fixture's rows (currency per EUR). */
static double
fixture_rate (const char *currency,
              const char *date)
{
  g_autofree char *path = sextant_test_reference_path ("shock/ecb_exr_2025-01-02.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", 9);

      if (g_strv_length (fields) > 7 && g_str_equal (fields[2], currency) && g_str_equal (fields[6], date))
        return 1.0 / g_ascii_strtod (fields[7], NULL);
    }
  g_error ("no %s rate on %s in the fixture", currency, date);
}

static void
check_fx (SextantRatesFigures *f)
{
  g_autofree char *date = sextant_day_format_iso (f->fx_day);
  guint usd = G_MAXUINT, gbp = G_MAXUINT;

  g_assert_cmpstr (date, ==, "2025-02-28");
  g_assert_cmpuint (f->fx_chart.n_columns, ==, 4);
  for (guint r = 0; r < f->fx_chart.n; r++)
    {
      if (g_str_equal (f->currencies[r], "USD"))
        usd = r;
      if (g_str_equal (f->currencies[r], "GBP"))
        gbp = r;
    }
  /* The book's currencies first, in its order: USD, then GBP. */
  g_assert_cmpuint (usd, ==, 0);
  g_assert_cmpuint (gbp, ==, 1);
  /* 1 day: from Thursday the 27th; 1 week: the 21st; 1 month: 29 January; 1 year: no rate. */
  sextant_assert_close_rel (f->fx_changes[usd * 4 + 0],
                            (fixture_rate ("USD", "2025-02-28") / fixture_rate ("USD", "2025-02-27") - 1) * 100, 1e-12);
  sextant_assert_close_rel (f->fx_changes[usd * 4 + 1],
                            (fixture_rate ("USD", "2025-02-28") / fixture_rate ("USD", "2025-02-21") - 1) * 100, 1e-12);
  sextant_assert_close_rel (f->fx_changes[gbp * 4 + 2],
                            (fixture_rate ("GBP", "2025-02-28") / fixture_rate ("GBP", "2025-01-29") - 1) * 100, 1e-12);
  g_assert_true (isnan (f->fx_changes[usd * 4 + 3]));
}

static void
check_shock (SextantRatesView *view)
{
  g_autofree char *out = cli ("shock", "--portfolio", BOOK, "--rates", "+100bp", "--spreads", "+50bp",
                              "--fx", "USD=-10%", "--fx", "GBP=5%", "--format", "json");
  g_autoptr(JsonNode) root = parse (out);
  JsonArray *rows = json_object_get_array_member (json_node_get_object (root), "holdings");
  JsonObject *total = json_object_get_object_member (json_node_get_object (root), "total");
  static const char *names[] = { "value", "rates_pnl", "spreads_pnl", "fx_pnl", "pnl" };

  g_assert_nonnull (view->shock);
  g_assert_cmpuint (view->shock->lines->len, ==, json_array_get_length (rows));
  for (guint i = 0; i < view->shock->lines->len; i++)
    {
      const SextantRatesShockLine *line = &g_array_index (view->shock->lines, SextantRatesShockLine, i);
      JsonObject *row = json_array_get_object_element (rows, i);
      double mine[5] = { line->value, line->rates_pnl, line->spreads_pnl, line->fx_pnl,
                         line->rates_pnl + line->spreads_pnl + line->fx_pnl };

      g_assert_cmpstr (line->holding->symbol, ==, json_object_get_string_member (row, "symbol"));
      g_assert_cmpstr (line->currency, ==, json_object_get_string_member (row, "currency"));
      for (guint k = 0; k < G_N_ELEMENTS (names); k++)
        sextant_assert_close_mixed (mine[k], json_object_get_double_member (row, names[k]), 1e-9);
    }
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    sextant_assert_close_mixed (view->shock_total[k], json_object_get_double_member (total, names[k]), 1e-9);
  g_assert_cmpfloat (fabs (view->shock_total[4]), >, 1000);
  /* Each currency's bonds on their own curve, said under the table. */
  g_assert_nonnull (strstr (gtk_label_get_text (view->shock_status_label),
                            "USD bonds on the US Treasury par curve of 2025-02-28; "
                            "EUR bonds on the ECB AAA spot curve of 2025-02-28"));
}

static void
set_fx_shock (SextantRatesView *view,
              const char       *currency,
              double            percent)
{
  for (guint i = 0; i < view->fx_shock_rows->len; i++)
    if (g_str_equal (g_object_get_data (view->fx_shock_rows->pdata[i], "currency"), currency))
      {
        gtk_spin_button_set_value (g_object_get_data (view->fx_shock_rows->pdata[i], "spin"), percent);
        return;
      }
  g_error ("no shock row for %s", currency);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The committee report of a book with bonds and dollars and pounds has the rates and FX pages,
 * with the shock's figures as the panel shows them. */
static void
check_report (SextantRiskWindow *risk,
              SextantRatesView  *view)
{
  g_autofree char *path = sextant_test_output_path ("rates-risk-report.pdf");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PopplerDocument *document;
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *total = sextant_format_money (view->shock_total[4], "EUR", 0);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_true (sextant_rates_view_get_exposure (view));
  /* The refresh fetched the rates the dashboard lacked for the book: its figures follow. */
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));
  g_test_message ("risk status: %s",
                  gtk_label_get_text (child (GTK_WIDGET (risk), SEXTANT_TYPE_RISK_WINDOW, "status_label")));
  g_assert_cmpstr (sextant_risk_window_get_figures (risk)->name, ==, BOOK);
  g_assert_nonnull (sextant_risk_window_get_figures (risk));
  sextant_risk_window_save_report_async (risk, file, NULL, store_result_cb, &result);
  TEST_GUI_WAIT_FOR (result != NULL);
  g_assert_true (sextant_risk_window_save_report_finish (risk, result, &error));
  g_assert_no_error (error);
  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append (text, page_text);
      g_object_unref (page);
    }
  g_object_unref (document);
  g_assert_nonnull (strstr (text->str, "Yield Curve"));
  g_assert_nonnull (strstr (text->str, "Svensson"));
  g_assert_nonnull (strstr (text->str, "Currency Moves"));
  g_assert_nonnull (strstr (text->str, "UST 4.25 2034"));
  g_assert_nonnull (strstr (text->str, total));
}

static void
test_rates_view (void)
{
  g_autoptr(SextantWorkspace) workspace = NULL;
  g_autofree char *png = sextant_test_output_path ("rates-curve.png");
  g_autofree char *svg = sextant_test_output_path ("rates-curve.svg");
  g_autofree char *pdf = sextant_test_output_path ("rates-curve.pdf");
  g_autofree char *spread_png = sextant_test_output_path ("rates-spread.png");
  g_autofree char *spread_csv = sextant_test_output_path ("rates-spread.csv");
  g_autoptr(GError) error = NULL;
  SextantRiskWindow *risk;
  SextantRatesView *view;
  SextantRatesFigures *f;

  {
    g_autofree char *closes = sextant_test_reference_path ("shock/acme_2025-02.csv");
    g_autofree char *holdings = sextant_test_reference_path ("shock/desk_book.csv");
    g_autofree char *a = cli ("import", closes, "--symbol", "ACME");
    g_autofree char *b = cli ("portfolio", "create", BOOK, "--currency", "EUR");
    g_autofree char *c = cli ("import", holdings, "--portfolio", BOOK);
  }
  workspace = sextant_test_load_demo_workspace ();
  risk = sextant_risk_window_new (NULL, workspace);
  test_gui_show_and_wait (GTK_WINDOW (risk), WIDTH, HEIGHT);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));
  select_portfolio (risk, BOOK);
  adw_view_stack_set_visible_child_name (child (GTK_WIDGET (risk), SEXTANT_TYPE_RISK_WINDOW, "view_stack"), "rates");
  view = child (GTK_WIDGET (risk), SEXTANT_TYPE_RISK_WINDOW, "rates_view");
  TEST_GUI_WAIT_FOR (!sextant_rates_view_get_busy (view));

  /* Before any fetch the view says what it lacks rather than drawing anything. */
  f = sextant_rates_view_get_figures (view);
  g_assert_nonnull (f);
  g_assert_cmpint (f->curve.day, ==, 0);
  g_assert_nonnull (f->curve_note);
  g_assert_false (sextant_chart_view_has_chart (view->curve_view));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (view->spread_view)));
  g_assert_nonnull (strstr (gtk_label_get_text (view->spread_caption), "FRED"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "rates.refresh", NULL));
  g_assert_true (sextant_rates_view_get_busy (view));
  TEST_GUI_WAIT_FOR (!sextant_rates_view_get_busy (view));
  f = sextant_rates_view_get_figures (view);
  check_curve (f);
  check_fx (f);
  g_assert_nonnull (f->spreads);
  g_assert_true (f->spreads->licensed);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (view->spread_view)));
  g_assert_true (sextant_chart_view_has_chart (view->curve_view));
  g_assert_cmpint (sextant_chart_view_get_kind (view->curve_view), ==, SEXTANT_CHART_KIND_CURVE);

  /* The ECB's curve is not in the store (its fetch was answered 404): the view says so and draws
   * no curve rather than another source's. */
  gtk_drop_down_set_selected (view->source_dropdown, 1);
  TEST_GUI_WAIT_FOR (!sextant_rates_view_get_busy (view));
  f = sextant_rates_view_get_figures (view);
  g_assert_cmpint (f->source, ==, SEXTANT_RATES_SOURCE_ECB);
  g_assert_cmpint (f->curve.day, ==, 0);
  g_assert_nonnull (strstr (gtk_label_get_text (view->curve_caption), "ECB"));
  g_assert_false (sextant_chart_view_has_chart (view->curve_view));
  g_assert_nonnull (strstr (gtk_label_get_text (view->status_label), "ECB euro area curve could not be fetched"));
  gtk_drop_down_set_selected (view->source_dropdown, 0);
  TEST_GUI_WAIT_FOR (!sextant_rates_view_get_busy (view));
  g_assert_true (sextant_chart_view_has_chart (view->curve_view));

  /* Once `sextant-cli curve --source ecb` has stored the ECB's (synthetic) curve of 2025-02-28,
   * the ECB source draws it: the spot rates `sextant-cli curve --source ecb` prints. The book's
   * euro bond is valued on that curve in the shock panel below. */
  {
    g_autofree char *out = cli ("curve", "--source", "ecb", "--date", "2025-02-28", "--format", "json");
    g_autoptr(JsonNode) root = parse (out);
    g_autofree char *date = NULL;

    gtk_drop_down_set_selected (view->source_dropdown, 1);
    TEST_GUI_WAIT_FOR (!sextant_rates_view_get_busy (view));
    f = sextant_rates_view_get_figures (view);
    g_assert_cmpint (f->source, ==, SEXTANT_RATES_SOURCE_ECB);
    date = sextant_day_format_iso (f->curve.day);
    g_assert_cmpstr (date, ==, "2025-02-28");
    check_array (json_node_get_object (root), "zero", f->curve.zero, f->curve.n);
    g_assert_true (sextant_chart_view_has_chart (view->curve_view));
    test_gui_show_and_wait (GTK_WINDOW (risk), WIDTH, HEIGHT);
    test_gui_save_screenshot (GTK_WIDGET (risk), "rates-view-ecb.png");
    gtk_drop_down_set_selected (view->source_dropdown, 0);
    TEST_GUI_WAIT_FOR (!sextant_rates_view_get_busy (view));
    g_assert_true (sextant_chart_view_has_chart (view->curve_view));
  }

  /* Exports: the curve as pictures; the licensed spreads as a picture, never as data. */
  g_assert_true (sextant_chart_view_export_to_path (view->curve_view, png, &error));
  g_assert_no_error (error);
  test_gui_assert_file_magic (png, "\x89PNG", 1000);
  g_assert_true (sextant_chart_view_export_to_path (view->curve_view, svg, &error));
  test_gui_assert_file_magic (svg, "<?xml", 1000);
  g_assert_true (sextant_chart_view_export_to_path (view->curve_view, pdf, &error));
  test_gui_assert_file_magic (pdf, "%PDF", 1000);
  g_assert_true (sextant_chart_view_export_to_path (view->spread_view, spread_png, &error));
  g_assert_no_error (error);
  g_assert_false (sextant_chart_view_export_to_path (view->spread_view, spread_csv, &error));
  g_assert_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_UNSUPPORTED);
  g_assert_false (g_file_test (spread_csv, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The shock panel: +100 bp rates, +50 bp spreads, the dollar −10 %, the pound +5 %. */
  gtk_spin_button_set_value (view->rates_spin, 100);
  gtk_spin_button_set_value (view->spreads_spin, 50);
  set_fx_shock (view, "USD", -10);
  set_fx_shock (view, "GBP", 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "rates.apply-shock", NULL));
  TEST_GUI_WAIT_FOR (!sextant_rates_view_get_busy (view));
  check_shock (view);
  check_report (risk, view);

  test_gui_show_and_wait (GTK_WINDOW (risk), WIDTH, HEIGHT);
  test_gui_save_screenshot (GTK_WIDGET (risk), "rates-view.png");
  {
    GtkAdjustment *scroll = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (view->scroller));

    gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
    test_gui_show_and_wait (GTK_WINDOW (risk), WIDTH, HEIGHT);
    test_gui_save_screenshot (GTK_WIDGET (risk), "rates-view-shock.png");
  }
  /* Dark mode: the charts take the dark style. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  test_gui_show_and_wait (GTK_WINDOW (risk), WIDTH, HEIGHT);
  g_assert_true (sextant_chart_view_get_style (view->curve_view)->dark);
  test_gui_save_screenshot (GTK_WIDGET (risk), "rates-view-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  test_gui_destroy_and_check (GTK_WINDOW (risk));
}

static SextantRatesView *
open_rates_view (SextantWorkspace   *workspace,
                 SextantRiskWindow **risk)
{
  SextantRatesView *view;

  *risk = sextant_risk_window_new (NULL, workspace);
  test_gui_show_and_wait (GTK_WINDOW (*risk), WIDTH, HEIGHT);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (*risk));
  adw_view_stack_set_visible_child_name (child (GTK_WIDGET (*risk), SEXTANT_TYPE_RISK_WINDOW, "view_stack"), "rates");
  view = child (GTK_WIDGET (*risk), SEXTANT_TYPE_RISK_WINDOW, "rates_view");
  TEST_GUI_WAIT_FOR (!sextant_rates_view_get_busy (view));
  return view;
}

static void
refresh (SextantRatesView *view)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "rates.refresh", NULL));
  TEST_GUI_WAIT_FOR (!sextant_rates_view_get_busy (view));
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("expected “%s” in “%s”", part, text != NULL ? text : "(null)");
}

/* The FRED key saved in the keyring reaches FRED from the view's refresh; the spreads it fetched
 * are kept in the store, so that when FRED then fails, and in a window opened later before any
 * refresh, the chart shows them captioned "as of …, cached", never as today's. */
static void
test_fred_keyring_and_cache (void)
{
  g_autoptr(SextantWorkspace) workspace = sextant_test_load_demo_workspace ();
  SextantSecretStore *secrets = sextant_workspace_get_secret_store (workspace);
  g_autoptr(GError) error = NULL;
  g_autofree char *probe = NULL;
  SextantRiskWindow *risk;
  SextantRatesView *view;
  SextantRatesFigures *f;

  probe = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_FRED_KEY, NULL, &error);
  if (error != NULL)
    {
      if (g_getenv ("SEXTANT_TEST_REQUIRE_KEYRING") != NULL)
        g_error ("The keyring is required but not usable: %s", error->message);
      g_test_skip (error->message);
      return;
    }
  g_assert_true (sextant_secret_store_save_sync (secrets, SEXTANT_SECRET_FRED_KEY, KEYRING_FRED_KEY, NULL, &error));
  g_setenv ("SEXTANT_FRED_KEY", "fredtestkey0123456789abcdefghijk", TRUE);
  fake_market_server_push (fake_server, "/fred/series/observations", "series_id=BAMLH0A0HYM2&", 200,
                           "application/json", "fred/oas_synthetic_observations.json");
  fake_market_server_push_body (fake_server, "/fred/series/observations", "series_id=BAMLH0A0HYM2&", 500,
                                "text/html", "<html>Internal Server Error</html>");

  view = open_rates_view (workspace, &risk);
  refresh (view);
  g_assert_cmpuint (fake_market_server_get_count (fake_server, "/fred/series/observations"), ==, 1);
  /* The keyring's key, ahead of SEXTANT_FRED_KEY's. */
  assert_contains (fake_market_server_get_last_query_for (fake_server, "/fred/series/observations"),
                   "api_key=" KEYRING_FRED_KEY);
  f = sextant_rates_view_get_figures (view);
  g_assert_nonnull (f->spreads);
  g_assert_false (f->spreads->keyless);
  g_assert_null (f->spreads->cached_note);

  /* FRED fails, and the Treasury cannot be reached: the stored spreads and curve, said to be
   * cached. */
  {
    g_autofree char *closed = g_strdup_printf ("http://127.0.0.1:%u", fake_market_closed_port ());

    g_setenv ("SEXTANT_TREASURY_BASE_URL", closed, TRUE);
    refresh (view);
    g_setenv ("SEXTANT_TREASURY_BASE_URL", fake_market_server_get_base_url (fake_server), TRUE);
  }
  assert_contains (gtk_label_get_text (view->status_label), "US Treasury curve is as of 2025-02-28, cached (fetched ");
  g_assert_cmpuint (fake_market_server_get_count (fake_server, "/fred/series/observations"), ==, 2);
  f = sextant_rates_view_get_figures (view);
  g_assert_nonnull (f->spreads);
  assert_contains (f->spreads->cached_note, "as of 2025-02-28, cached");
  assert_contains (gtk_label_get_text (view->spread_caption), "as of 2025-02-28, cached");
  assert_contains (gtk_label_get_text (view->status_label), "credit spreads are as of 2025-02-28, cached");
  assert_contains (gtk_label_get_text (view->status_label), "HTTP 500");
  test_gui_destroy_and_check (GTK_WINDOW (risk));

  /* A window opened later shows them from the store before any refresh. */
  view = open_rates_view (workspace, &risk);
  f = sextant_rates_view_get_figures (view);
  g_assert_nonnull (f->spreads);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (view->spread_view)));
  assert_contains (gtk_label_get_text (view->spread_caption), "as of 2025-02-28, cached");
  test_gui_destroy_and_check (GTK_WINDOW (risk));

  g_assert_true (sextant_secret_store_clear_sync (secrets, SEXTANT_SECRET_FRED_KEY, NULL, &error));
  g_unsetenv ("SEXTANT_FRED_KEY");
}

static void
test_new_destroy (void)
{
  GtkWidget *view = g_object_ref_sink (g_object_new (SEXTANT_TYPE_RATES_VIEW, NULL));

  g_assert_false (sextant_rates_view_get_busy (SEXTANT_RATES_VIEW (view)));
  g_assert_null (sextant_rates_view_get_figures (SEXTANT_RATES_VIEW (view)));
  g_assert_finalize_object (view);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *database_dir = NULL;
  FakeMarketServer *server;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

  database_dir = sextant_test_use_own_database ();
  server = fake_server = fake_market_server_new ();
  fake_market_server_serve_ecb (server, "../shock/ecb_exr_2025-01-02.csv");
  fake_market_server_serve_treasury (server, "rates/treasury_par_2025-02.csv", 2025);
  /* Its days are long past: the view's fetch of the last weeks is answered 404. */
  fake_market_server_serve_ecb_curve (server, "rates/ecb_yc_aaa_synthetic.csv");
  fake_market_server_push (server, "/graph/fredgraph.csv", "id=BAMLH0A0HYM2&", 200, "text/csv",
                           "fred/oas_synthetic_graph.csv");
  g_setenv ("no_proxy", "127.0.0.1", TRUE);
  g_unsetenv ("SEXTANT_ALLOW_INSECURE_ENDPOINT");
  g_unsetenv ("SEXTANT_FRED_KEY");
  g_setenv ("SEXTANT_ECB_BASE_URL", fake_market_server_get_base_url (server), TRUE);
  g_setenv ("SEXTANT_TREASURY_BASE_URL", fake_market_server_get_base_url (server), TRUE);
  g_setenv ("SEXTANT_FRED_BASE_URL", fake_market_server_get_base_url (server), TRUE);
  cli_env = g_get_environ ();
  cli_env = g_environ_setenv (cli_env, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);

  g_test_add_func ("/sextant/gui/rates/new-destroy", test_new_destroy);
  g_test_add_func ("/sextant/gui/rates/view", test_rates_view);
  g_test_add_func ("/sextant/gui/rates/fred-keyring-and-cache", test_fred_keyring_and_cache);
  status = g_test_run ();
  g_strfreev (cli_env);
  fake_market_server_free (server);
  sextant_test_remove_temp_dir (database_dir);

  return status;
}
