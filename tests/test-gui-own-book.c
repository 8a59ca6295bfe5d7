#define G_LOG_DOMAIN "test-gui-own-book"

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <poppler.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-portfolio-window.h"
#include "sextant-risk-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

/* Issue 14's "Done when": from a home with nothing of the user's, a portfolio manager finds an
 * instrument that is not in the demo data through the (fake) providers' symbol search, fetches
 * its history, imports a second instrument's prices from a CSV file, saves the two as a
 * portfolio valued in euros (the first is a dollar stock: the ECB's rates, from the fake ECB,
 * convert it), optimizes it, and opens the risk dashboard on it, whose VaR is in euros and is the
 * figure `sextant-cli risk --portfolio` prints for the same store times the book's value in
 * euros (`sextant-cli fx --portfolio`), both of which equal numpy's (the book "Own Book" of
 * tests/data/fx/book_reference.json). The windows of the flow are saved as screenshots; those
 * of the portfolio window and the risk dashboard are the AppStream screenshots
 * (data/screenshots/, see tests/test-gui-screenshots.c).
 *
 * The instruments' prices are real closes of the Dow file in tests/data/market: AAPL's fetched
 * history is Hewlett-Packard's column (HWP) and SAP's imported file the column DD, 2000-2001,
 * which the synthetic ECB-shaped rates of tests/data/fx cover. */

#define BOOK "Own Book"
#define WIDTH 1200
#define HEIGHT 800

static const char *cli_path;
static SextantWorkspace *workspace;

static gpointer
child (GtkWidget  *window,
       GType       type,
       const char *id)
{
  return gtk_widget_get_template_child (window, type, id);
}

/* The Dow file's closes of @column from 2000 on, as (date, close) rows, newest first. */
static GPtrArray *
read_column (const char *column)
{
  g_autofree char *path = sextant_test_reference_path ("market/dowjones30_1990-2001_closes.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint index = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_strchomp (text);
  lines = g_strsplit (text, "\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  while (g_strcmp0 (header[index], column) != 0)
    index++;
  for (guint i = g_strv_length (lines) - 1; i > 0; i--)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);

      if (strcmp (fields[0], "2000-01-01") < 0)
        break;
      g_ptr_array_add (rows, g_strdupv ((char *[]) { fields[0], fields[index], NULL }));
    }

  return rows;
}

/* An Alpha Vantage TIME_SERIES_DAILY answer, in the shape of
 * tests/data/market-apis/alphavantage_time_series_daily.json. */
static char *
alpha_vantage_daily (const char *symbol,
                     GPtrArray  *rows)
{
  GString *body = g_string_new (NULL);

  g_string_append_printf (body, "{\n  \"Meta Data\": {\n    \"1. Information\": \"Daily Prices (open, "
                          "high, low, close) and Volumes\",\n    \"2. Symbol\": \"%s\",\n    "
                          "\"3. Last Refreshed\": \"%s\",\n    \"4. Output Size\": \"Full size\",\n    "
                          "\"5. Time Zone\": \"US/Eastern\"\n  },\n  \"Time Series (Daily)\": {\n",
                          symbol, ((char **) rows->pdata[0])[0]);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = rows->pdata[i];

      g_string_append_printf (body, "    \"%s\": {\"1. open\": \"%s\", \"2. high\": \"%s\", "
                              "\"3. low\": \"%s\", \"4. close\": \"%s\", \"5. volume\": \"1000\"}%s\n",
                              row[0], row[1], row[1], row[1], row[1], i + 1 < rows->len ? "," : "");
    }
  g_string_append (body, "  }\n}\n");

  return g_string_free (body, FALSE);
}

static char *
write_prices_csv (const char *dir,
                  GPtrArray  *rows)
{
  g_autoptr(GString) csv = g_string_new ("Date,Close\n");
  char *path = g_build_filename (dir, "sap-prices.csv", NULL);

  for (guint i = rows->len; i > 0; i--)
    g_string_append_printf (csv, "%s,%s\n", ((char **) rows->pdata[i - 1])[0], ((char **) rows->pdata[i - 1])[1]);
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));

  return path;
}

static void
use_fake_providers (FakeMarketServer *server)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *providers[] = { "alpha-vantage", "finnhub", NULL };

  g_settings_set_strv (settings, "market-providers", providers);
  g_settings_set_string (settings, "alpha-vantage-base-url", fake_market_server_get_base_url (server));
  g_settings_set_string (settings, "finnhub-base-url", fake_market_server_get_base_url (server));
  g_settings_set_boolean (settings, "enable-yahoo", FALSE);
  g_setenv ("SEXTANT_ALPHAVANTAGE_KEY", "test-key", TRUE);
  g_setenv ("SEXTANT_FINNHUB_KEY", "test-key", TRUE);
  g_setenv ("SEXTANT_ECB_BASE_URL", fake_market_server_get_base_url (server), TRUE);
}

static void
search_for (SextantPortfolioWindow *window,
            const char             *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, "add_entry")), text);
  TEST_GUI_WAIT_FOR (sextant_portfolio_window_get_searching (window));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_searching (window));
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static int
count_children (GtkWidget *widget)
{
  int n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;

  return n;
}

/* Runs the CLI on the window's database; returns its standard output. */
static char *
run_cli (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_ptr_array_add (argv, (char *) cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  env = g_environ_setenv (env, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  status = sextant_test_run_in_env ((const char * const *) argv->pdata, (const char * const *) env, &out, &err);
  if (status != 0)
    g_error ("sextant-cli %s %s: exit %d: %s", args[0], args[1], status, err);

  return out;
}

/* Runs the CLI on the window's database, the fake ECB answering it. */
static JsonNode *
run_cli_json (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, (char *) cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  env = g_environ_setenv (env, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  status = sextant_test_run_in_env ((const char * const *) argv->pdata, (const char * const *) env, &out, &err);
  if (status != 0)
    g_error ("sextant-cli %s: exit %d: %s", args[0], status, err);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

/* What New Portfolio… does once a name is given: an empty stored portfolio, chosen. */
static void
new_portfolio (SextantPortfolioWindow *window,
               const char             *name)
{
  g_autoptr(SextantPortfolio) empty = sextant_portfolio_new (name);
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_portfolio_store_create (sextant_workspace_get_portfolios (workspace), empty, &error));
  g_assert_no_error (error);
  g_assert_true (sextant_portfolio_window_load_portfolio (window, name, &error));
  g_assert_no_error (error);
}

static gboolean
is_mapped_toast (GtkWidget     *widget,
                 gconstpointer  data)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget") && gtk_widget_get_mapped (widget);
}

static gboolean
is_close_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "window-close-symbolic") == 0;
}

/* The flow's toasts (fetched, imported, saved) are dismissed one after the other, with their
 * close buttons, before the screenshot is taken. */
static void
wait_for_toasts (GtkWidget *window)
{
  GtkWidget *toast;

  while ((toast = test_gui_find (window, is_mapped_toast, NULL)) != NULL)
    {
      GtkWidget *close = test_gui_find (toast, is_close_button, NULL);

      g_assert_nonnull (close);
      g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &toast);
      g_signal_emit_by_name (close, "clicked");
      TEST_GUI_WAIT_FOR_SECONDS (toast == NULL || !gtk_widget_get_mapped (toast), 10);
      if (toast != NULL)
        g_object_remove_weak_pointer (G_OBJECT (toast), (gpointer *) &toast);
    }
}

static void
choose_base_currency (SextantPortfolioWindow *window,
                      const char             *code)
{
  AdwComboRow *row = child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, "currency_row");
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), code))
      adw_combo_row_set_selected (row, i);
  g_assert_cmpstr (sextant_portfolio_window_get_base_currency (window), ==, code);
}

/* The text of every page of a PDF, as poppler reads it. */
static char *
pdf_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PopplerDocument *document = poppler_document_new_from_gfile (file, NULL, NULL, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append_printf (text, "%s\n", page_text);
      g_object_unref (page);
    }
  g_object_unref (document);

  return g_string_free (text, FALSE);
}

static void
report_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GError **error = user_data;

  if (!sextant_portfolio_window_export_report_finish (SEXTANT_PORTFOLIO_WINDOW (object), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "written");
}

/* The committee report of the book in euros: its value, its trade list (a page of its own) and
 * the amounts to buy and sell are in euros, and no dollar sign is left anywhere. */
static void
check_report_in_euros (SextantPortfolioWindow *window)
{
  g_autofree char *path = sextant_test_output_path ("own-book-report.pdf");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *trades;

  sextant_portfolio_window_export_report_async (window, file, NULL, report_written_cb, &error);
  TEST_GUI_WAIT_FOR (error != NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  text = pdf_text (path);
  /* Lines wrap where the page ends them: only the words beside each amount are looked for. */
  g_assert_nonnull (strstr (text, "worth €"));
  trades = strstr (text, "Trade List");
  g_assert_nonnull (trades);
  g_assert_nonnull (strstr (trades, "target €"));
  g_assert_true (strstr (trades, "Buys €") != NULL);
  g_assert_nonnull (strstr (trades, "sells €"));
  g_assert_null (strchr (text, '$'));
}

static void
test_own_book (void)
{
  FakeMarketServer *server = fake_market_server_new ();
  g_autoptr(GPtrArray) aapl = read_column ("HWP");
  g_autoptr(GPtrArray) sap = read_column ("DD");
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *daily = alpha_vantage_daily ("AAPL", aapl);
  g_autofree char *csv = write_prices_csv (dir, sap);
  g_autoptr(SextantPortfolio) stored = NULL;
  g_autoptr(JsonNode) risk_json = NULL, exposure_json = NULL;
  g_autoptr(GError) error = NULL;
  SextantPortfolioWindow *window;
  SextantRiskWindow *risk;
  GtkWidget *results, *found, *list, *grid;
  const char *var_text, *at;
  double var99, total, money;
  g_autofree char *percent = NULL;

  fake_market_server_push (server, "/query", "SYMBOL_SEARCH", 200, "application/json",
                           "alphavantage_symbol_search.json");
  fake_market_server_push (server, "/query", "SYMBOL_SEARCH", 200, "application/json",
                           "alphavantage_symbol_search_empty.json");
  fake_market_server_push_body (server, "/query", "TIME_SERIES_DAILY", 200, "application/json", daily);
  fake_market_server_push (server, "/search", NULL, 200, "application/json", "finnhub_search.json");
  fake_market_server_push (server, "/search", NULL, 200, "application/json", "finnhub_search_empty.json");
  fake_market_server_serve_ecb (server, "../fx/ecb_exr_2000-2001.csv");
  use_fake_providers (server);
  g_assert_true (sextant_workspace_open_store (workspace, NULL) || sextant_workspace_get_store (workspace) != NULL);

  window = sextant_portfolio_window_new (NULL, workspace);
  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  list = child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, "holdings_list");
  new_portfolio (window, BOOK);
  g_assert_cmpint (count_children (list), ==, 0);

  /* 1. An instrument the demo data lacks, found through the providers and fetched. */
  search_for (window, "AAPL");
  results = child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, "search_list");
  found = test_gui_find (results, is_row_titled, "AAPL");
  g_assert_nonnull (found);
  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  test_gui_save_screenshot (GTK_WIDGET (window), "own-book-search.png");
  /* Chosen, its history is fetched at once. */
  g_signal_emit_by_name (results, "row-activated", found);
  g_assert_cmpint (count_children (list), ==, 1);
  g_assert_true (sextant_portfolio_window_get_fetching (window));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_fetching (window));
  g_assert_false (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (gtk_widget_get_first_child (list))),
                                    "Needs prices"));

  /* 2. A second instrument's prices imported from a CSV file, then added. */
  g_assert_true (sextant_portfolio_window_import_prices (window, "SAP", csv, &error));
  g_assert_no_error (error);
  search_for (window, "SAP");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-holding", NULL));
  g_assert_cmpint (count_children (list), ==, 2);
  g_assert_nonnull (test_gui_find (list, is_row_titled, "SAP"));

  /* 3. Valued in euros: the dollar stock through the (fake) ECB's rates; saved so. */
  choose_base_currency (window, "EUR");
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_fetching_rates (window));
  g_assert_cmpuint (fake_market_server_get_count (server, "/service/data/EXR/D.USD.EUR.SP00.A"), >=, 1);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW,
                                                             "total_label")), "€"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-portfolio", NULL));
  stored = sextant_portfolio_store_load (sextant_workspace_get_portfolios (workspace), BOOK, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sextant_portfolio_get_base_currency (stored), ==, "EUR");
  g_assert_cmpstr (sextant_portfolio_get_holding (stored, 0)->symbol, ==, "AAPL");
  g_assert_cmpstr (sextant_portfolio_get_holding (stored, 0)->currency, ==, "USD");

  wait_for_toasts (GTK_WIDGET (window));

  /* 4. Optimized. */
  adw_combo_row_set_selected (child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, "objective_row"),
                              SEXTANT_OBJECTIVE_MIN_VARIANCE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_busy (window));
  g_assert_nonnull (sextant_portfolio_window_get_result (window));
  g_assert_cmpstr (sextant_portfolio_window_get_result (window)->request->currency, ==, "EUR");
  {
    /* The trade list is in euros too. */
    g_autofree char *trades = sextant_optimization_result_to_csv (sextant_portfolio_window_get_result (window), &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (trades, ",action,currency\r\nAAPL,"));
    g_assert_nonnull (strstr (trades, ",EUR\r\nSAP,"));
  }
  check_report_in_euros (window);
  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  {
    /* The holdings pane scrolled to its end: the base currency and the total in euros show. */
    GtkWidget *row = child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, "currency_row");
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (
      GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW)));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  }
  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  test_gui_save_screenshot (GTK_WIDGET (window), "own-book-portfolio-window.png");

  /* 5. The risk dashboard on it: VaR in euros, the CLI's figure on the same store. */
  risk = sextant_risk_window_new (NULL, workspace);
  test_gui_show_and_wait (GTK_WINDOW (risk), WIDTH, HEIGHT);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));
  {
    GtkDropDown *dropdown = child (GTK_WIDGET (risk), SEXTANT_TYPE_RISK_WINDOW, "portfolio_dropdown");
    GListModel *names = gtk_drop_down_get_model (dropdown);
    guint position = GTK_INVALID_LIST_POSITION;

    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      {
        g_autoptr(GtkStringObject) item = g_list_model_get_item (names, i);

        if (g_str_equal (gtk_string_object_get_string (item), BOOK))
          position = i;
      }
    g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
    gtk_drop_down_set_selected (dropdown, position);
  }
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk) && sextant_risk_window_get_figures (risk) != NULL &&
                     g_strcmp0 (sextant_risk_window_get_figures (risk)->name, BOOK) == 0);
  g_assert_cmpstr (sextant_risk_window_get_figures (risk)->currency, ==, "EUR");
  grid = child (GTK_WIDGET (risk), SEXTANT_TYPE_RISK_WINDOW, "exposure_grid");
  g_assert_true (gtk_widget_get_visible (grid));
  {
    const char *first = gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), 0, 1)));
    const char *second = gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), 0, 2)));

    /* The dollar stock and the one imported in the book's own money. */
    g_assert_true ((g_str_equal (first, "USD") && g_str_equal (second, "EUR")) ||
                   (g_str_equal (first, "EUR") && g_str_equal (second, "USD")));
  }

  risk_json = run_cli_json ((const char *[]) { "risk", "--portfolio", BOOK, "--simulations", "1000",
                                               "--format", "json", NULL });
  exposure_json = run_cli_json ((const char *[]) { "fx", "--portfolio", BOOK, "--format", "json", NULL });
  var99 = json_object_get_double_member (json_node_get_object (risk_json), "var_hist_99");
  total = json_object_get_double_member (json_node_get_object (exposure_json), "total_value");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (exposure_json),
                                                                           "exposure")), ==, 2);
  var_text = gtk_label_get_text (sextant_risk_window_get_kpi_label (risk, "var99-historical"));
  percent = g_strdup_printf ("%.2f %%", 100 * var99);
  g_assert_true (g_str_has_prefix (var_text, percent));
  at = strstr (var_text, "€");
  g_assert_nonnull (at);
  money = g_ascii_strtod (at + strlen ("€"), NULL);
  g_assert_cmpfloat (fabs (money - round (var99 * total)), <=, 1.0);
  g_test_message ("VaR 99 %% in euros: %s (CLI: %.6f × %.2f)", var_text, var99, total);
  {
    /* And numpy's, from the committed closes and rates (tests/data/fx/make_book_reference.py). */
    g_autofree char *path = sextant_test_reference_path ("fx/book_reference.json");
    g_autoptr(JsonParser) reference = json_parser_new ();
    JsonArray *books;
    JsonObject *own = NULL;

    json_parser_load_from_file (reference, path, &error);
    g_assert_no_error (error);
    books = json_object_get_array_member (json_node_get_object (json_parser_get_root (reference)), "books");
    for (guint i = 0; i < json_array_get_length (books); i++)
      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (books, i), "name"), BOOK))
        own = json_array_get_object_element (books, i);
    g_assert_nonnull (own);
    sextant_assert_close_rel (var99, json_object_get_double_member (own, "var99"), 1e-10);
    sextant_assert_close_rel (total, json_object_get_double_member (own, "total_value"), 1e-10);
    g_assert_cmpfloat (fabs (money - round (json_object_get_double_member (own, "var99") *
                                            json_object_get_double_member (own, "total_value"))), <=, 1.0);
  }

  test_gui_show_and_wait (GTK_WINDOW (risk), WIDTH, HEIGHT);
  test_gui_save_screenshot (GTK_WIDGET (risk), "own-book-risk-window.png");

  /* The saved result reopens in euros, matching its inputs. */
  {
    SextantPortfolioWindow *reopened = sextant_portfolio_window_new (NULL, workspace);

    test_gui_show_and_wait (GTK_WINDOW (reopened), WIDTH, HEIGHT);
    g_assert_true (sextant_portfolio_window_open_saved_result (reopened, sextant_portfolio_window_get_saved_id (window),
                                                               &error));
    g_assert_no_error (error);
    g_assert_cmpstr (sextant_portfolio_window_get_base_currency (reopened), ==, "EUR");
    g_assert_cmpstr (sextant_portfolio_window_get_result (reopened)->request->currency, ==, "EUR");
    g_assert_false (gtk_widget_get_visible (child (GTK_WIDGET (reopened), SEXTANT_TYPE_PORTFOLIO_WINDOW, "stale_banner")));
    test_gui_destroy_and_check (GTK_WINDOW (reopened));
  }

  test_gui_destroy_and_check (GTK_WINDOW (risk));
  test_gui_destroy_and_check (GTK_WINDOW (window));
  fake_market_server_free (server);
  sextant_test_remove_temp_dir (dir);
}

/* The demo book in euros: valued in euros, and the range says the dates before the first rate
 * are dropped for want of one; back in dollars, nothing is converted. */
static void
test_demo_in_euros (void)
{
  FakeMarketServer *server = fake_market_server_new ();
  SextantPortfolioWindow *window;
  GtkLabel *total, *range;
  g_autofree char *dollars = NULL;

  fake_market_server_serve_ecb (server, "../fx/ecb_exr_2000-2001.csv");
  g_setenv ("SEXTANT_ECB_BASE_URL", fake_market_server_get_base_url (server), TRUE);
  window = sextant_portfolio_window_new (NULL, workspace);
  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  g_assert_true (sextant_portfolio_window_load_portfolio (window, "Dow Blue Chips (demo)", NULL));
  total = child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, "total_label");
  range = child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, "range_label");
  g_assert_cmpstr (sextant_portfolio_window_get_base_currency (window), ==, "USD");
  dollars = g_strdup (gtk_label_get_text (total));
  g_assert_true (g_str_has_prefix (dollars, "$"));

  choose_base_currency (window, "EUR");
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_fetching_rates (window));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (total), "€"));
  g_assert_nonnull (strstr (gtk_label_get_text (range), "no exchange rate to EUR, before 2000-01-03"));

  choose_base_currency (window, "USD");
  g_assert_cmpstr (gtk_label_get_text (total), ==, dollars);
  test_gui_destroy_and_check (GTK_WINDOW (window));
  fake_market_server_free (server);
}

/* A book in sterling whose rates the store lacks: the dashboard says which, and its Refresh
 * fetches them from the (fake) ECB, even with no price provider set up; then VaR is in pounds. */
static void
test_risk_refresh_fetches_rates (void)
{
  FakeMarketServer *server = fake_market_server_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SextantPortfolio) sterling = sextant_portfolio_new ("Sterling Book");
  g_autoptr(GError) error = NULL;
  SextantRiskWindow *risk;
  GtkLabel *status;
  GtkDropDown *dropdown;
  GListModel *names;

  fake_market_server_serve_ecb (server, "../fx/ecb_exr_2000-2001.csv");
  g_setenv ("SEXTANT_ECB_BASE_URL", fake_market_server_get_base_url (server), TRUE);
  g_settings_set_strv (settings, "market-providers", (const char *[]) { NULL });
  sextant_portfolio_set_base_currency (sterling, "GBP");
  sextant_portfolio_add_holding (sterling, "KO", 300, NAN, "USD");
  sextant_portfolio_add_holding (sterling, "IBM", 100, NAN, "USD");
  g_assert_true (sextant_portfolio_store_create (sextant_workspace_get_portfolios (workspace), sterling, &error));
  g_assert_no_error (error);

  risk = sextant_risk_window_new (NULL, workspace);
  test_gui_show_and_wait (GTK_WINDOW (risk), WIDTH, HEIGHT);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));
  dropdown = child (GTK_WIDGET (risk), SEXTANT_TYPE_RISK_WINDOW, "portfolio_dropdown");
  names = gtk_drop_down_get_model (dropdown);
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (names, i);

      if (g_str_equal (gtk_string_object_get_string (item), "Sterling Book"))
        gtk_drop_down_set_selected (dropdown, i);
    }
  status = child (GTK_WIDGET (risk), SEXTANT_TYPE_RISK_WINDOW, "status_label");
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk) &&
                     strstr (gtk_label_get_text (status), "No ECB exchange rates for GBP are stored") != NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (risk), "win.refresh-prices", NULL));
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_refreshing (risk));
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk) && sextant_risk_window_get_figures (risk) != NULL &&
                     g_strcmp0 (sextant_risk_window_get_figures (risk)->name, "Sterling Book") == 0);
  g_assert_cmpuint (fake_market_server_get_count (server, NULL), >=, 1);
  g_assert_cmpstr (sextant_risk_window_get_figures (risk)->currency, ==, "GBP");
  g_assert_nonnull (strstr (gtk_label_get_text (sextant_risk_window_get_kpi_label (risk, "var99-historical")), "£"));

  test_gui_destroy_and_check (GTK_WINDOW (risk));
  fake_market_server_free (server);
}

static guint
find_choice (GtkDropDown *dropdown,
             const char  *name)
{
  GListModel *names = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (names, i);

      if (g_str_equal (gtk_string_object_get_string (item), name))
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* The book is shared with the CLI: what `sextant-cli portfolio …` changes while the windows are
 * open reaches them without reopening them. A portfolio the CLI creates is offered by the
 * portfolio window and the risk dashboard; a holding it adds is in both (the dashboard computes
 * again); its rename is followed; its delete removes it. */
static void
test_cli_changes_followed (void)
{
  SextantPortfolioWindow *window;
  SextantRiskWindow *risk;
  GtkDropDown *dropdown;
  GtkWidget *list;

  window = sextant_portfolio_window_new (NULL, workspace);
  risk = sextant_risk_window_new (NULL, workspace);
  test_gui_show_and_wait (GTK_WINDOW (window), WIDTH, HEIGHT);
  test_gui_show_and_wait (GTK_WINDOW (risk), WIDTH, HEIGHT);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));
  dropdown = child (GTK_WIDGET (risk), SEXTANT_TYPE_RISK_WINDOW, "portfolio_dropdown");
  list = child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, "holdings_list");
  g_assert_cmpuint (find_choice (dropdown, "CLI Book"), ==, GTK_INVALID_LIST_POSITION);

  g_free (run_cli ((const char *[]) { "portfolio", "create", "CLI Book", NULL }));
  g_free (run_cli ((const char *[]) { "portfolio", "add", "CLI Book", "KO", "--shares", "300", NULL }));
  TEST_GUI_WAIT_FOR_SECONDS (find_choice (dropdown, "CLI Book") != GTK_INVALID_LIST_POSITION, 10);
  gtk_drop_down_set_selected (dropdown, find_choice (dropdown, "CLI Book"));
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk) && sextant_risk_window_get_figures (risk) != NULL &&
                     g_strcmp0 (sextant_risk_window_get_figures (risk)->name, "CLI Book") == 0);
  g_assert_cmpuint (sextant_risk_window_get_figures (risk)->k, ==, 1);
  g_assert_true (sextant_portfolio_window_load_portfolio (window, "CLI Book", NULL));
  g_assert_cmpint (count_children (list), ==, 1);

  g_free (run_cli ((const char *[]) { "portfolio", "add", "CLI Book", "IBM", "--shares", "100", NULL }));
  TEST_GUI_WAIT_FOR_SECONDS (count_children (list) == 2, 10);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk) && sextant_risk_window_get_figures (risk) != NULL &&
                     sextant_risk_window_get_figures (risk)->k == 2);

  g_free (run_cli ((const char *[]) { "portfolio", "rename", "CLI Book", "CLI Book 2", NULL }));
  TEST_GUI_WAIT_FOR_SECONDS (g_strcmp0 (sextant_portfolio_window_get_portfolio_name (window), "CLI Book 2") == 0, 10);
  TEST_GUI_WAIT_FOR (find_choice (dropdown, "CLI Book") == GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, find_choice (dropdown, "CLI Book 2"));

  g_free (run_cli ((const char *[]) { "portfolio", "delete", "CLI Book 2", NULL }));
  TEST_GUI_WAIT_FOR_SECONDS (find_choice (dropdown, "CLI Book 2") == GTK_INVALID_LIST_POSITION, 10);
  TEST_GUI_WAIT_FOR (sextant_portfolio_window_get_portfolio_name (window) == NULL);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));

  test_gui_destroy_and_check (GTK_WINDOW (risk));
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *database_dir = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

  /* An empty home: a database of this run's own, nothing stored but what the flow adds. */
  database_dir = sextant_test_use_own_database ();
  g_setenv ("no_proxy", "127.0.0.1", TRUE);
  g_unsetenv ("SEXTANT_ALLOW_INSECURE_ENDPOINT");

  workspace = sextant_test_load_demo_workspace ();
  g_test_add_func ("/sextant/gui/own-book/done-when", test_own_book);
  g_test_add_func ("/sextant/gui/own-book/risk-refresh-fetches-rates", test_risk_refresh_fetches_rates);
  g_test_add_func ("/sextant/gui/own-book/demo-in-euros", test_demo_in_euros);
  g_test_add_func ("/sextant/gui/own-book/cli-changes-followed", test_cli_changes_followed);
  status = g_test_run ();
  g_clear_object (&workspace);
  sextant_test_remove_temp_dir (database_dir);

  return status;
}
