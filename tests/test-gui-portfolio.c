#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-application.h"
#include "sextant-chart-view.h"
#include "sextant-chat-window.h"
#include "sextant-portfolio-window.h"
#include "sextant-risk-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

static SextantWorkspace *workspace;

static gpointer
child (SextantPortfolioWindow *window,
       const char             *id)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, id);
}

static int
count_children (GtkWidget *widget)
{
  int n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;

  return n;
}

static SextantPortfolioWindow *
open_window (void)
{
  SextantPortfolioWindow *window = sextant_portfolio_window_new (NULL, workspace);

  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);

  return window;
}

static void
optimize (SextantPortfolioWindow *window,
          guint                   objective)
{
  adw_combo_row_set_selected (child (window, "objective_row"), objective);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (sextant_portfolio_window_get_busy (window));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_busy (window));
}

/* Types the data range's dates, as a user would, and applies them with Enter. */
static void
set_dates (SextantPortfolioWindow *window,
           const char             *from,
           const char             *to)
{
  gtk_editable_set_text (child (window, "from_entry"), from);
  gtk_editable_set_text (child (window, "to_entry"), to);
  g_signal_emit_by_name (child (window, "to_entry"), "activate");
}

/* The weights the window should show, computed here straight from the core: the request's
 * symbols and days cut from the demo table, simple returns, sample moments, the optimizer. */
static SextantReturnMatrix *
core_returns (const SextantOptimizationRequest *request)
{
  SextantPriceTable *stocks = sextant_workspace_get_stocks (workspace);
  g_autoptr(SextantPriceTable) used = NULL, cut = NULL, complete = NULL;
  g_autoptr(GError) error = NULL;
  SextantReturnMatrix *returns;
  const gint32 *days;
  gsize n = 0, first = 0;

  used = sextant_price_table_select (stocks, (const char * const *) request->symbols, &error);
  g_assert_no_error (error);
  days = sextant_price_table_get_days (used);
  for (gsize r = 0; r < sextant_price_table_get_n_rows (used); r++)
    if (days[r] >= request->first_day && days[r] <= request->last_day && n++ == 0)
      first = r;
  cut = sextant_price_table_new (n, (const char * const *) request->symbols);
  for (gsize r = 0; r < n; r++)
    sextant_price_table_get_days_mutable (cut)[r] = days[first + r];
  for (gsize c = 0; c < request->k; c++)
    for (gsize r = 0; r < n; r++)
      sextant_price_table_get_column_mutable (cut, c)[r] = sextant_price_table_get_column (used, c)[first + r];
  complete = sextant_price_table_drop_incomplete (cut, NULL);
  returns = sextant_return_matrix_from_prices (complete, SEXTANT_RETURN_SIMPLE, &error);
  g_assert_no_error (error);

  return returns;
}

static double *
core_weights (const SextantOptimizationRequest *request)
{
  g_autoptr(SextantReturnMatrix) returns = core_returns (request);
  g_autoptr(SextantOptimizer) opt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *mean = g_new (double, request->k);
  g_autofree double *cov = g_new (double, request->k * request->k);
  double *weights = g_new (double, request->k);

  g_assert_true (sextant_mean_vector (returns, mean, &error));
  g_assert_true (sextant_covariance_sample (returns, cov, &error));
  opt = sextant_optimizer_new (mean, cov, request->k, (const char * const *) request->symbols, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_optimizer_set_bounds (opt, request->lower, request->upper, &error));
  if (request->objective == SEXTANT_OBJECTIVE_MAX_SHARPE)
    g_assert_true (sextant_optimizer_max_sharpe (opt, 0.0, weights, &error));
  else
    g_assert_true (sextant_optimizer_min_variance (opt, weights, &error));
  g_assert_no_error (error);

  return weights;
}

static void
check_weights_table (SextantPortfolioWindow *window)
{
  g_autoptr(SextantOptimizationRequest) request = sextant_portfolio_window_dup_request (window);
  g_autofree double *expected = core_weights (request);
  SextantOptimizationResult *result = sextant_portfolio_window_get_result (window);
  GtkGrid *grid = child (window, "weights_grid");
  double sum = 0;

  g_assert_nonnull (result);
  g_assert_cmpuint (result->k, ==, request->k);
  for (gsize j = 0; j < request->k; j++)
    {
      g_autofree char *text = g_strdup_printf ("%.2f %%", 100 * expected[j]);
      GtkLabel *symbol = GTK_LABEL (gtk_grid_get_child_at (grid, 0, j + 1));
      GtkLabel *weight = GTK_LABEL (gtk_grid_get_child_at (grid, 1, j + 1));

      /* Same inputs, same solver: equal to rounding. */
      sextant_assert_close_mixed (result->weights[j], expected[j], 1e-10);
      g_assert_cmpstr (gtk_label_get_text (symbol), ==, request->symbols[j]);
      g_assert_cmpstr (gtk_label_get_text (weight), ==, text);
      sum += expected[j];
    }
  sextant_assert_close_mixed (sum, 1.0, 1e-9);
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static void
check_copied_summary (SextantPortfolioWindow *window)
{
  SextantOptimizationResult *result = sextant_portfolio_window_get_result (window);
  g_autofree char *text = NULL;
  g_autofree char *line = g_strdup_printf ("%-6s %7.2f %%", result->symbols[0], 100 * result->weights[0]);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-result", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 read_text_cb, &text);
  TEST_GUI_WAIT_FOR (text != NULL);
  g_assert_nonnull (strstr (text, "sample covariance, 252 days a year"));
  g_assert_nonnull (strstr (text, line));
}

static void
test_optimize (void)
{
  SextantPortfolioWindow *window = open_window ();
  SextantOptimizationResult *result;
  double ret, vol;

  /* Ten demo holdings (data/demo/demo-portfolio.json). */
  g_assert_cmpint (count_children (child (window, "holdings_list")), ==, 10);
  optimize (window, SEXTANT_OBJECTIVE_MIN_VARIANCE);
  check_weights_table (window);

  /* The metrics are the result's daily figures annualised (×252, ×√252), shown to 0.01. */
  result = sextant_portfolio_window_get_result (window);
  ret = 0;
  vol = 0;
  for (gsize i = 0; i < result->k; i++)
    {
      ret += result->weights[i] * result->mean[i];
      for (gsize j = 0; j < result->k; j++)
        vol += result->weights[i] * result->weights[j] * result->covariance[i * result->k + j];
    }
  sextant_assert_close_rel (result->expected_return, 252 * ret, 1e-9);
  sextant_assert_close_rel (result->volatility, sqrt (252 * vol), 1e-9);
  {
    g_autofree char *prefix = g_strdup_printf ("%.2f %%", 100 * result->volatility);

    g_assert_true (g_str_has_prefix (gtk_label_get_text (child (window, "volatility_label")), prefix));
  }
  g_assert_true (sextant_chart_view_has_chart (child (window, "frontier_view")));

  optimize (window, SEXTANT_OBJECTIVE_MAX_SHARPE);
  check_weights_table (window);
  check_copied_summary (window);
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-optimized.png");

  /* Scenarios and the backtest use the result. */
  gtk_spin_button_set_value (child (window, "paths_spin"), 1000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-scenarios", NULL));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_busy (window));
  g_assert_true (sextant_chart_view_has_chart (child (window, "fan_view")));
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "scenario_label")), "median"));
  adw_view_stack_set_visible_child_name (child (window, "view_stack"), "scenarios");
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-scenarios.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-backtest", NULL));
  g_assert_true (sextant_chart_view_has_chart (child (window, "backtest_view")));
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "backtest_label")), "CAGR"));
  adw_view_stack_set_visible_child_name (child (window, "view_stack"), "backtest");
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-backtest.png");

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_cancel (void)
{
  SextantPortfolioWindow *window = open_window ();
  GtkLabel *status = child (window, "status_label");

  optimize (window, SEXTANT_OBJECTIVE_MIN_VARIANCE);

  /* The largest simulation the window offers (10,000 paths over 5 years), cancelled with
   * Escape as soon as it starts. */
  gtk_spin_button_set_value (child (window, "paths_spin"), 10000);
  gtk_spin_button_set_value (child (window, "horizon_spin"), 1260);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-scenarios", NULL));
  g_assert_true (sextant_portfolio_window_get_busy (window));
  g_assert_true (gtk_widget_get_visible (child (window, "progress_bar")));
  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (window), GDK_KEY_Escape, 0));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_busy (window));

  g_assert_cmpstr (gtk_label_get_text (status), ==, "The simulation was cancelled.");
  g_assert_false (gtk_widget_get_visible (child (window, "progress_bar")));
  g_assert_false (sextant_chart_view_has_chart (child (window, "fan_view")));
  /* Idle again: Ctrl+R runs a new optimization. */
  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (window), GDK_KEY_r, GDK_CONTROL_MASK));
  g_assert_true (sextant_portfolio_window_get_busy (window));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_busy (window));
  g_assert_nonnull (strstr (gtk_label_get_text (status), "Optimized over"));

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* Types @text into Add Holding's search and waits for the providers' answer (or their absence). */
static void
search_for (SextantPortfolioWindow *window,
            const char             *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (window, "add_entry")), text);
  TEST_GUI_WAIT_FOR (sextant_portfolio_window_get_searching (window));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_searching (window));
}

static void
test_remove_undo (void)
{
  SextantSecretStore *secrets = sextant_workspace_get_secret_store (workspace);
  SextantPortfolioWindow *window;

  /* The search below is the one of a user without market data keys, whatever an earlier test
   * left in the suite's keyring. */
  sextant_secret_store_clear_sync (secrets, SEXTANT_SECRET_ALPHA_VANTAGE_KEY, NULL, NULL);
  sextant_secret_store_clear_sync (secrets, SEXTANT_SECRET_FINNHUB_KEY, NULL, NULL);
  window = open_window ();
  GtkWidget *list = child (window, "holdings_list");
  GtkLabel *total = child (window, "total_label");
  g_autofree char *total_before = g_strdup (gtk_label_get_text (total));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-holding", "u", 0));
  g_assert_cmpint (count_children (list), ==, 9);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_first_child (list))),
                   ==, "IBM");
  g_assert_cmpstr (gtk_label_get_text (total), !=, total_before);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-remove", NULL));
  g_assert_cmpint (count_children (list), ==, 10);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_first_child (list))),
                   ==, "MSFT");
  g_assert_cmpstr (gtk_label_get_text (total), ==, total_before);

  /* Adding a demo stock found by the search appends a row; adding it twice does not. Without a
   * market data key only the local store is searched, and the status says how to search more. */
  search_for (window, "AA");
  g_assert_cmpstr (gtk_label_get_text (child (window, "search_status")), ==,
                   "Only the local store was searched: add a market data key in Preferences to search the providers.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-holding", NULL));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_last_child (list))),
                   ==, "AA");
  search_for (window, "AA");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-holding", NULL));
  g_assert_cmpint (count_children (list), ==, 11);

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

typedef struct
{
  guint       index;
  const char *field;
} HoldingField;

static gboolean
is_holding_spin (GtkWidget     *widget,
                 gconstpointer  data)
{
  const HoldingField *wanted = data;

  return GTK_IS_SPIN_BUTTON (widget) &&
         GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "holding-index")) == wanted->index &&
         g_strcmp0 (g_object_get_data (G_OBJECT (widget), "holding-field"), wanted->field) == 0;
}

/* The editor's spin button for one field of one holding, found in the holdings list. */
static GtkSpinButton *
find_spin (GtkWidget  *widget,
           guint       index,
           const char *field)
{
  return GTK_SPIN_BUTTON (test_gui_find (widget, is_holding_spin, &(HoldingField) { index, field }));
}

static void
test_bounds_and_weights (void)
{
  SextantPortfolioWindow *window = open_window ();
  GtkWidget *list = child (window, "holdings_list");
  g_autoptr(SextantOptimizationRequest) request = NULL;
  SextantOptimizationResult *result;

  /* Typing a weight sets the shares that give it, the others' shares kept: MSFT at 20 %. */
  gtk_spin_button_set_value (find_spin (list, 0, "weight"), 20.0);
  request = sextant_portfolio_window_dup_request (window);
  /* Whole shares: 20 % to within one share of MSFT (about $43 in a $150k portfolio). */
  g_assert_cmpfloat_with_epsilon (request->current[0], 0.20, 0.001);
  g_clear_pointer (&request, sextant_optimization_request_free);

  /* A 12 % cap on every holding binds the minimum-variance solution. */
  for (guint i = 0; i < 10; i++)
    gtk_spin_button_set_value (find_spin (list, i, "max"), 12.0);
  request = sextant_portfolio_window_dup_request (window);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpfloat (request->upper[i], ==, 0.12);
  optimize (window, SEXTANT_OBJECTIVE_MIN_VARIANCE);
  check_weights_table (window);
  result = sextant_portfolio_window_get_result (window);
  for (gsize j = 0; j < result->k; j++)
    g_assert_cmpfloat (result->weights[j], <=, 0.12 + 1e-9);

  /* A cap that cannot add up to 100 % is the optimizer's error, shown in the status line. */
  for (guint i = 0; i < 10; i++)
    gtk_spin_button_set_value (find_spin (list, i, "max"), 5.0);
  optimize (window, SEXTANT_OBJECTIVE_MIN_VARIANCE);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (child (window, "status_label")),
                                   "The optimization failed: "));
  /* In the window's units: ten caps of 5 % sum to 50 %, not 0.5. */
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "status_label")),
                            "The maximum weights sum to 50 %, less than 100 %"));

  /* A target return out of reach says so a year and in percent, as the target was typed: the
   * largest achievable is the best holding's mean daily return × 252 (long-only, no cap). */
  for (guint i = 0; i < 10; i++)
    gtk_spin_button_set_value (find_spin (list, i, "max"), 100.0);
  gtk_spin_button_set_value (child (window, "target_spin"), 90.0);
  g_clear_pointer (&request, sextant_optimization_request_free);
  adw_combo_row_set_selected (child (window, "objective_row"), SEXTANT_OBJECTIVE_TARGET_RETURN);
  request = sextant_portfolio_window_dup_request (window);
  {
    g_autoptr(SextantReturnMatrix) returns = core_returns (request);
    g_autofree double *mean = g_new (double, request->k);
    g_autofree char *expected = NULL;
    double best = -G_MAXDOUBLE;

    g_assert_true (sextant_mean_vector (returns, mean, NULL));
    for (gsize j = 0; j < request->k; j++)
      best = MAX (best, mean[j]);
    expected = g_strdup_printf ("The target return 90 %% a year exceeds the largest achievable %.3g %% under "
                                "these bounds", 100 * 252 * best);
    optimize (window, SEXTANT_OBJECTIVE_TARGET_RETURN);
    g_assert_cmpstr (strstr (gtk_label_get_text (child (window, "status_label")), "The target"), ==, expected);
  }

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_import_csv (void)
{
  static const struct { const char *text; int code; const char *fragment; } bad[] = {
    { "name,amount\nMSFT,10\n", SEXTANT_MARKET_ERROR_CSV_HEADER, "Line 1" },
    { "symbol,quantity\nMSFT,ten\n", SEXTANT_MARKET_ERROR_CSV_ROW, "Line 2: quantity “ten” is not a number" },
    { "symbol,quantity\n", SEXTANT_MARKET_ERROR_CSV_ROW, "No readable holding" },
    { "", SEXTANT_MARKET_ERROR_CSV_HEADER, "empty" },
  };
  SextantPortfolioWindow *window = open_window ();
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "three.csv", NULL);
  g_autofree char *weights_path = g_build_filename (dir, "weights.csv", NULL);
  g_autoptr(SextantOptimizationRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  GtkLabel *problems = child (window, "import_problems_label");
  double total;

  /* A spreadsheet export from a decimal-comma locale: semicolons, header synonyms in any case,
   * bounds as percentages or fractions, a blank line, and a symbol with no prices (line 6). */
  g_assert_true (g_file_set_contents (path, "Ticker;Shares;Min Weight;Max Weight\n"
                                            "ko;100;10%;0,5\nIBM;50;;\n\nXOM;25;0;0,4\nNOPE;5;;\n", -1, NULL));
  g_assert_true (sextant_portfolio_window_import_holdings (window, path, &error));
  g_assert_no_error (error);
  /* NOPE has no prices but is a holding all the same. */
  g_assert_cmpint (count_children (child (window, "holdings_list")), ==, 4);
  request = sextant_portfolio_window_dup_request (window);
  g_assert_cmpstr (request->symbols[0], ==, "KO");
  g_assert_cmpfloat (request->lower[0], ==, 0.1);
  g_assert_cmpfloat (request->upper[0], ==, 0.5);
  g_assert_cmpfloat (request->upper[1], ==, 1.0);
  g_assert_cmpfloat (request->upper[2], ==, 0.4);
  g_assert_cmpstr (request->symbols[3], ==, "NOPE");
  g_assert_false (gtk_widget_get_visible (child (window, "import_problems_box")));
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (
                   ADW_EXPANDER_ROW (gtk_widget_get_last_child (child (window, "holdings_list")))),
                   "Needs prices"));

  /* A row that is no holding is skipped and listed with its line. */
  g_assert_true (g_file_set_contents (path, "Ticker;Shares\nko;100\nIBM;ten\nXOM;25\n", -1, NULL));
  g_assert_true (sextant_portfolio_window_import_holdings (window, path, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_get_visible (child (window, "import_problems_box")));
  g_assert_nonnull (strstr (gtk_label_get_text (problems), "1 row of three was skipped"));
  g_assert_nonnull (strstr (gtk_label_get_text (problems), "Line 3: "));
  g_assert_nonnull (strstr (gtk_label_get_text (problems), "“ten” is not a number"));
  g_clear_pointer (&request, sextant_optimization_request_free);
  request = sextant_portfolio_window_dup_request (window);
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-import-skipped.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-import-problems", NULL));
  g_assert_false (gtk_widget_get_visible (child (window, "import_problems_box")));

  /* Weights alone buy whole shares with the value of the holdings they replace, so they come
   * back as weights to within a share's price in a portfolio of that size. */
  total = request->value;
  g_clear_pointer (&request, sextant_optimization_request_free);
  g_assert_true (g_file_set_contents (weights_path, "symbol,weight\nMSFT,60%\nIBM,0.4\n", -1, NULL));
  g_assert_true (sextant_portfolio_window_import_holdings (window, weights_path, &error));
  g_assert_no_error (error);
  g_assert_false (gtk_widget_get_visible (child (window, "import_problems_box")));
  request = sextant_portfolio_window_dup_request (window);
  g_assert_cmpuint (request->k, ==, 2);
  g_assert_cmpfloat_with_epsilon (request->current[0], 0.6, 0.002);
  g_assert_cmpfloat_with_epsilon (request->current[1], 0.4, 0.002);
  /* Rounding to whole shares moves the value by at most half a share of each. */
  g_assert_cmpfloat (fabs (request->value - total), <=,
                     0.5 * (request->value * request->current[0] / request->quantities[0] +
                            request->value * request->current[1] / request->quantities[1]));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *bad_path = g_build_filename (dir, "bad.csv", NULL);

      g_assert_true (g_file_set_contents (bad_path, bad[i].text, -1, NULL));
      g_assert_false (sextant_portfolio_window_import_holdings (window, bad_path, &error));
      g_assert_error (error, SEXTANT_MARKET_ERROR, bad[i].code);
      g_assert_nonnull (strstr (error->message, bad[i].fragment));
      g_clear_error (&error);
    }
  /* A failed import leaves the holdings as they were. */
  g_assert_cmpint (count_children (child (window, "holdings_list")), ==, 2);

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* Counts "/Type /Page" not followed by "s" (the page tree), as tests/test-report.c does. */
static guint
count_pdf_pages (const char *path)
{
  g_autofree char *pdf = NULL;
  gsize length;
  guint pages = 0;

  g_assert_true (g_file_get_contents (path, &pdf, &length, NULL));
  g_assert_true (length > 4 && memcmp (pdf, "%PDF", 4) == 0);
  for (gsize i = 0; i + 11 < length; i++)
    if (memcmp (pdf + i, "/Type /Page", 11) == 0 && pdf[i + 11] != 's')
      pages++;

  return pages;
}

static char *
pdf_text (const char *path)
{
  g_autofree char *program = g_find_program_in_path ("pdftotext");
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (program == NULL)
    return NULL;
  g_spawn_sync (NULL, (char *[]) { program, (char *) path, (char *) "-", NULL }, NULL,
                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return out;
}

/* A search_knowledge_base round as the agent stores it: the toolUse, then its result (the
 * tool's own shape; tests/test-citations.c checks how answers cite it). */
static void
store_knowledge_round (SextantConversationStore *conversations,
                       gint64                    id)
{
  g_autoptr(SextantConverseMessage) use = sextant_converse_message_new ("assistant");
  g_autoptr(SextantConverseMessage) result = sextant_converse_message_new ("user");
  g_autoptr(JsonNode) input = json_from_string ("{\"query\":\"single issuer limit\"}", NULL);
  g_autoptr(JsonNode) output = json_from_string (
    "{\"passages\":[{\"id\":1,\"document\":\"investment-policy.pdf\",\"title\":\"Investment Policy Statement\","
    "\"page\":12,\"start\":0,\"end\":68,\"text\":\"The committee caps any single issuer at seven percent of "
    "net assets.\",\"uri\":\"file:///desk/investment-policy.pdf#page=12\",\"score\":2.5}]}", NULL);
  g_autoptr(GError) error = NULL;

  sextant_converse_message_add_tool_use (use, "kb-1", "search_knowledge_base", input);
  sextant_converse_message_add_tool_result (result, "kb-1", NULL, output, FALSE);
  sextant_conversation_store_append (conversations, id, use, SEXTANT_MESSAGE_COMPLETE, 0, 0, &error);
  g_assert_no_error (error);
  sextant_conversation_store_append (conversations, id, result, SEXTANT_MESSAGE_COMPLETE, 0, 0, &error);
  g_assert_no_error (error);
}

/* What the chat window stores when the user asks about a result and then presses “Summarise
 * for the committee”: a question quoting the reference, the committee prompt, a search of the
 * knowledge base, the answer citing it. */
static void
store_committee_summary (const char *reference,
                         const char *summary)
{
  g_autoptr(SextantConversationStore) conversations = NULL;
  g_autoptr(GError) error = NULL;
  const char *texts[][2] = {
    { "user", NULL }, { "assistant", "It lowers the volatility." },
    { "user", sextant_agent_committee_summary_prompt () }, { "assistant", summary },
  };
  g_autofree char *question = g_strdup_printf ("What do you think of this result?\n\nReference: %s", reference);
  gint64 id;

  g_assert_true (sextant_workspace_open_store (workspace, &error));
  conversations = sextant_conversation_store_new (sextant_workspace_get_store (workspace));
  id = sextant_conversation_store_create (conversations, "About the result", SEXTANT_ROLE_PORTFOLIO_MANAGER,
                                          NULL, &error);
  g_assert_no_error (error);
  texts[0][1] = question;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(SextantConverseMessage) m = sextant_converse_message_new (texts[i][0]);

      /* The summary rests on a passage of the desk's policy, found by the knowledge tool. */
      if (i == 3)
        store_knowledge_round (conversations, id);
      sextant_converse_message_add_text (m, texts[i][1]);
      sextant_conversation_store_append (conversations, id, m, SEXTANT_MESSAGE_COMPLETE, 0, 0, &error);
      g_assert_no_error (error);
    }
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

static void
test_report (void)
{
  SextantPortfolioWindow *window = open_window ();
  g_autofree char *path = sextant_test_output_path ("portfolio-committee-report.pdf");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SextantOptimizationResult *result;

  /* The report is of a result: there is none before the first optimization. */
  g_assert_false (gtk_widget_get_sensitive (child (window, "report_button")));
  optimize (window, SEXTANT_OBJECTIVE_MAX_SHARPE);
  g_assert_true (gtk_widget_get_sensitive (child (window, "report_button")));
  result = sextant_portfolio_window_get_result (window);
  gtk_spin_button_set_value (child (window, "paths_spin"), 500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-scenarios", NULL));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_busy (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-backtest", NULL));
  store_committee_summary (result->reference,
                           "## Recommendation\n\nThe committee should approve the **proposed** weights, within "
                           "the single issuer cap [[1]](<file:///desk/investment-policy.pdf#page=12>).\n\n"
                           "| Figure | Value |\n|---|---|\n| Sharpe | 1.23 |\n");

  sextant_portfolio_window_export_report_async (window, file, NULL, report_written_cb, &error);
  TEST_GUI_WAIT_FOR (error != NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);

  /* The title page, then one page per section at least: portfolio, weights, frontier, risk,
   * contributions and drawdown, scenarios, backtest, the assistant's summary. */
  g_assert_cmpuint (count_pdf_pages (path), >=, 9);
  text = pdf_text (path);
  if (text == NULL)
    {
      g_test_message ("pdftotext (poppler-utils) is not installed; only the pages were counted");
    }
  else
    {
      g_autofree char *weight = g_strdup_printf ("%.2f %%", 100 * result->weights[0]);

      g_assert_nonnull (strstr (text, "Investment Committee Report"));
      /* The reference may break after its last dash, which pdftotext takes for a hyphen. */
      g_assert_nonnull (strstr (text, result->reference + strlen ("sextant-result-")));
      g_assert_nonnull (strstr (text, "Maximum Sharpe ratio"));
      g_assert_nonnull (strstr (text, weight));
      g_assert_nonnull (strstr (text, "VaR 99 %, historical"));
      g_assert_nonnull (strstr (text, "Scenarios"));
      g_assert_nonnull (strstr (text, "Backtest"));
      g_assert_nonnull (strstr (text, "The Assistant's Summary"));
      /* The citation prints as its number: the link's markup does not reach the paper. */
      g_assert_nonnull (strstr (text, "The committee should approve the proposed weights, within the single issuer cap [1]."));
      g_assert_nonnull (strstr (text, "Sharpe | 1.23"));
      /* The passage the summary cites, with its document and page, after the summary. */
      g_assert_nonnull (strstr (text, "Passages Cited"));
      g_assert_nonnull (strstr (text, "[1] Investment Policy Statement — investment-policy.pdf, page 12"));
      /* The excerpt wraps where the page ends; its words are there. */
      g_assert_nonnull (strstr (text, "“The committee caps"));
      g_assert_nonnull (strstr (text, "any single issuer at seven percent of net assets.”"));
      g_assert_true (strstr (text, "Passages Cited") > strstr (text, "The Assistant's Summary"));
    }

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static SextantChatWindow *
find_chat_window (GtkApplication *application)
{
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (SEXTANT_IS_CHAT_WINDOW (l->data))
      return l->data;

  return NULL;
}

/* Through the application, as in the app: a registered SextantApplication (not unique, so
 * that tests running side by side do not find each other on the bus) owns the windows. */
static void
test_ask_assistant (void)
{
  g_autoptr(SextantApplication) application = sextant_application_new ();
  g_autoptr(GError) error = NULL;
  SextantWorkspace *app_workspace;
  SextantPortfolioWindow *window;
  SextantChatWindow *chat;
  SextantOptimizationResult *result;
  g_autofree char *draft = NULL;
  g_autofree char *role = NULL;

  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  app_workspace = sextant_application_get_workspace (application);
  TEST_GUI_WAIT_FOR (sextant_workspace_get_demo_loaded (app_workspace));

  window = sextant_portfolio_window_new (GTK_APPLICATION (application), app_workspace);
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  /* Nothing to ask about before the first optimization. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.ask-assistant", NULL);
  g_assert_null (find_chat_window (GTK_APPLICATION (application)));
  optimize (window, SEXTANT_OBJECTIVE_MIN_VARIANCE);
  result = sextant_portfolio_window_get_result (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.ask-assistant", NULL));
  chat = find_chat_window (GTK_APPLICATION (application));
  g_assert_nonnull (chat);

  /* The draft describes the result: every weight beside its current one, the metrics, the
   * objective and data range, and the reference the committee report looks for. */
  draft = sextant_chat_window_dup_draft (chat);
  for (gsize j = 0; j < result->k; j++)
    {
      g_autofree char *weight = g_strdup_printf ("%s %.2f %% (%.2f %%)", result->symbols[j],
                                                 100 * result->weights[j], 100 * result->current[j]);

      g_assert_nonnull (strstr (draft, weight));
    }
  {
    g_autofree char *volatility = g_strdup_printf ("volatility %.2f %%", 100 * result->volatility);
    g_autofree char *reference = g_strdup_printf ("Reference: %s", result->reference);

    g_assert_nonnull (strstr (draft, volatility));
    g_assert_nonnull (strstr (draft, reference));
  }
  g_assert_nonnull (strstr (draft, "Objective: Minimum variance."));
  g_assert_nonnull (strstr (draft, "Constraints: long only, fully invested, no other bounds."));

  /* Nothing was sent: no conversation yet. The role is the portfolio manager's (the second of
   * the chat window's role list), and the user's default role is left as it was. */
  g_assert_cmpint (sextant_chat_window_get_conversation_id (chat), ==, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (chat),
                                                                                             SEXTANT_TYPE_CHAT_WINDOW,
                                                                                             "role_dropdown"))), ==, 1);
  role = g_settings_get_string (sextant_application_get_settings (application), "default-role");
  g_assert_cmpstr (role, ==, "analyst");

  test_gui_show_and_wait (GTK_WINDOW (chat), 900, 700);
  test_gui_save_screenshot (GTK_WIDGET (chat), "portfolio-ask-assistant.png");
  test_gui_destroy_and_check (GTK_WINDOW (chat));
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
assert_same_request (const SextantOptimizationRequest *a,
                     const SextantOptimizationRequest *b)
{
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpuint (a->k, ==, b->k);
  for (gsize j = 0; j < a->k; j++)
    {
      g_assert_cmpstr (a->symbols[j], ==, b->symbols[j]);
      g_assert_cmpfloat (a->quantities[j], ==, b->quantities[j]);
      g_assert_cmpfloat (a->lower[j], ==, b->lower[j]);
      g_assert_cmpfloat (a->upper[j], ==, b->upper[j]);
    }
  g_assert_cmpint (a->objective, ==, b->objective);
  g_assert_cmpfloat (a->target, ==, b->target);
  g_assert_cmpint (a->first_day, ==, b->first_day);
  g_assert_cmpint (a->last_day, ==, b->last_day);
}

static void
test_saved_results (void)
{
  SextantPortfolioWindow *first = open_window ();
  SextantPortfolioWindow *second = NULL;
  g_autoptr(SextantOptimizationRequest) asked = NULL;
  g_autoptr(SextantOptimizationRequest) restored = NULL;
  g_autoptr(SextantOptimizationResult) saved = NULL;
  g_autoptr(GError) error = NULL;
  SextantOptimizationResult *reopened;
  GtkWidget *list = child (first, "holdings_list");
  GtkWidget *row;
  gint64 id;

  /* Inputs unlike the defaults: MSFT removed, every weight capped at 30 %, a volatility
   * target of 20 % (the least volatile mix of these nine had 17.5 % over 1995–2000), data from
   * 1995 to 2000. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (first), "win.remove-holding", "u", 0));
  for (guint i = 0; i < 9; i++)
    gtk_spin_button_set_value (find_spin (list, i, "max"), 30.0);
  gtk_spin_button_set_value (child (first, "target_spin"), 20.0);
  set_dates (first, "1995-01-01", "2000-12-31");
  optimize (first, SEXTANT_OBJECTIVE_TARGET_VOLATILITY);
  saved = sextant_optimization_result_ref (sextant_portfolio_window_get_result (first));
  asked = sextant_optimization_request_copy (saved->request);
  id = sextant_portfolio_window_get_saved_id (first);
  g_assert_cmpint (id, >, 0);

  /* The Saved Results menu lists it first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (first), "win.show-saved-results", NULL));
  TEST_GUI_WAIT_FOR (gtk_widget_get_first_child (child (first, "saved_list")) != NULL);
  row = gtk_widget_get_first_child (child (first, "saved_list"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Target volatility · Dow Blue Chips (demo)");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "9 holdings · 1995–2000"));
  gtk_menu_button_popdown (child (first, "saved_button"));
  test_gui_destroy_and_check (GTK_WINDOW (first));

  /* A new window, on the demo holdings, reopens it: the inputs come back, and the weights and
   * metrics are the stored ones, bit for bit (JSON keeps 17 significant digits). */
  second = open_window ();
  g_assert_cmpint (count_children (child (second, "holdings_list")), ==, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (second), "win.open-saved-result", "x", id));
  reopened = sextant_portfolio_window_get_result (second);
  g_assert_nonnull (reopened);
  g_assert_cmpint (count_children (child (second, "holdings_list")), ==, 9);
  restored = sextant_portfolio_window_dup_request (second);
  assert_same_request (asked, restored);
  assert_same_request (asked, reopened->request);
  g_assert_cmpstr (reopened->reference, ==, saved->reference);
  for (gsize j = 0; j < saved->k; j++)
    {
      g_autofree char *text = g_strdup_printf ("%.2f %%", 100 * saved->weights[j]);

      g_assert_cmpfloat (reopened->weights[j], ==, saved->weights[j]);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (child (second, "weights_grid"), 1, j + 1))),
                       ==, text);
    }
  g_assert_cmpfloat (reopened->volatility, ==, saved->volatility);
  g_assert_cmpfloat (reopened->sharpe, ==, saved->sharpe);
  g_assert_cmpuint (reopened->returns->n_obs, ==, saved->returns->n_obs);
  g_assert_true (sextant_chart_view_has_chart (child (second, "frontier_view")));
  g_assert_true (gtk_widget_get_visible (child (second, "saved_banner")));
  g_assert_cmpint (sextant_portfolio_window_get_saved_id (second), ==, id);
  test_gui_show_and_wait (GTK_WINDOW (second), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (second), "portfolio-saved-reopened.png");

  /* Run Again recomputes the same inputs on the current (unchanged demo) prices: the same
   * weights to the solver's rounding, saved as a new result. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (second), "win.run", NULL));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_busy (second));
  g_assert_false (gtk_widget_get_visible (child (second, "saved_banner")));
  g_assert_cmpint (sextant_portfolio_window_get_saved_id (second), >, id);
  for (gsize j = 0; j < saved->k; j++)
    sextant_assert_close_mixed (sextant_portfolio_window_get_result (second)->weights[j], saved->weights[j], 1e-10);

  /* A deleted result is gone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (second), "win.delete-saved-result", "x", id));
  g_assert_false (sextant_portfolio_window_open_saved_result (second, id, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND);

  test_gui_destroy_and_check (GTK_WINDOW (second));
}

/* The book: stored portfolios shared by every window ------------------------------------- */

static AdwMessageDialog *
find_dialog (gpointer window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          gtk_window_get_transient_for (GTK_WINDOW (toplevel)) == window)
        return ADW_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

static gboolean
is_entry (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_ENTRY (widget);
}

static gboolean
is_error_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error");
}

/* Types @name into the open name dialog; returns what the dialog says is wrong, or NULL. */
static const char *
type_name (AdwMessageDialog *dialog,
           const char       *name)
{
  GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *problem = test_gui_find (extra, is_error_label, NULL);

  gtk_editable_set_text (GTK_EDITABLE (test_gui_find (extra, is_entry, NULL)), name);
  g_assert_cmpint (adw_message_dialog_get_response_enabled (dialog, "ok"), ==,
                   !gtk_widget_get_visible (problem));

  return gtk_widget_get_visible (problem) ? gtk_label_get_text (GTK_LABEL (problem)) : NULL;
}

static void
answer_name (gpointer    window,
             const char *name)
{
  AdwMessageDialog *dialog;

  TEST_GUI_WAIT_FOR ((dialog = find_dialog (window)) != NULL);
  g_assert_null (type_name (dialog, name));
  /* What the button does: the response, then the dialog closes. */
  adw_message_dialog_response (dialog, "ok");
  gtk_window_destroy (GTK_WINDOW (dialog));
  TEST_GUI_WAIT_FOR (find_dialog (window) == NULL);
}

static gpointer
risk_child (SextantRiskWindow *risk,
            const char        *id)
{
  return gtk_widget_get_template_child (GTK_WIDGET (risk), SEXTANT_TYPE_RISK_WINDOW, id);
}

static const char *
risk_choice (SextantRiskWindow *risk)
{
  GtkDropDown *dropdown = risk_child (risk, "portfolio_dropdown");
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static guint
risk_find (SextantRiskWindow *risk,
           const char        *name)
{
  GtkDropDown *dropdown = risk_child (risk, "portfolio_dropdown");
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), name))
      return i;

  return GTK_INVALID_LIST_POSITION;
}

static void
risk_choose (SextantRiskWindow *risk,
             const char        *name)
{
  guint position = risk_find (risk, name);

  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (risk_child (risk, "portfolio_dropdown"), position);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));
}

/* A portfolio saved in the portfolio window shows in a risk dashboard that was open already,
 * which computes its figures; a rename in one window is followed by the others; a delete is
 * undone from its toast. */
static void
test_book_across_windows (void)
{
  SextantPortfolioWindow *window = open_window ();
  SextantPortfolioWindow *other = open_window ();
  SextantRiskWindow *risk = sextant_risk_window_new (NULL, workspace);
  SextantPortfolio *demo = sextant_workspace_get_portfolio (workspace);
  AdwMessageDialog *dialog;
  SextantRiskFigures *f;
  g_autofree char *demo_var = NULL;
  g_autoptr(SextantSavedResult) saved = NULL;
  gint64 result_id;

  test_gui_show_and_wait (GTK_WINDOW (risk), 1100, 800);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));
  g_assert_cmpstr (risk_choice (risk), ==, sextant_portfolio_get_name (demo));
  demo_var = g_strdup (gtk_label_get_text (sextant_risk_window_get_kpi_label (risk, "var99-historical")));
  g_assert_cmpuint (risk_find (risk, "Core Book"), ==, GTK_INVALID_LIST_POSITION);

  /* Save as Portfolio…: an empty name and a taken one are refused in the dialog itself. */
  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (window), GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  TEST_GUI_WAIT_FOR ((dialog = find_dialog (window)) != NULL);
  g_assert_cmpstr (type_name (dialog, "  "), ==, "Enter a name for the portfolio.");
  g_assert_nonnull (strstr (type_name (dialog, sextant_portfolio_get_name (demo)), "already exists"));
  answer_name (window, "Core Book");
  g_assert_cmpstr (sextant_portfolio_window_get_portfolio_name (window), ==, "Core Book");

  /* The open dashboard lists it without being reopened, and computes on it: the same holdings
   * as the demo portfolio, so the same figures. */
  g_assert_cmpuint (risk_find (risk, "Core Book"), !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpstr (risk_choice (risk), ==, sextant_portfolio_get_name (demo));
  risk_choose (risk, "Core Book");
  f = sextant_risk_window_get_figures (risk);
  g_assert_cmpstr (f->name, ==, "Core Book");
  g_assert_cmpuint (f->k, ==, 10);
  g_assert_cmpstr (gtk_label_get_text (sextant_risk_window_get_kpi_label (risk, "var99-historical")), ==, demo_var);

  /* Rename (F2) in one portfolio window: the other one showing it and the dashboard follow. */
  g_assert_true (sextant_portfolio_window_load_portfolio (other, "Core Book", NULL));
  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (window), GDK_KEY_F2, 0));
  answer_name (window, "Core Book 2026");
  g_assert_cmpstr (sextant_portfolio_window_get_portfolio_name (window), ==, "Core Book 2026");
  g_assert_cmpstr (sextant_portfolio_window_get_portfolio_name (other), ==, "Core Book 2026");
  g_assert_cmpstr (risk_choice (risk), ==, "Core Book 2026");
  g_assert_cmpuint (risk_find (risk, "Core Book"), ==, GTK_INVALID_LIST_POSITION);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));
  g_assert_cmpstr (sextant_risk_window_get_figures (risk)->name, ==, "Core Book 2026");

  /* Delete, then Undo from the toast's action: gone from every list, then back, with the
   * results saved on it still its own (the delete had detached them). */
  result_id = sextant_portfolio_store_save_result (sextant_workspace_get_portfolios (workspace), "Core Book 2026",
                                                   "optimize.min-variance", NULL, NULL, "{\"weights\":{}}", NULL);
  g_assert_cmpint (result_id, >, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-portfolio", NULL));
  saved = sextant_portfolio_store_get_result (sextant_workspace_get_portfolios (workspace), result_id, NULL);
  g_assert_null (saved->portfolio);
  g_clear_pointer (&saved, sextant_saved_result_free);
  g_assert_cmpuint (risk_find (risk, "Core Book 2026"), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpstr (risk_choice (risk), ==, sextant_portfolio_get_name (demo));
  g_assert_null (sextant_portfolio_window_get_portfolio_name (other));
  g_assert_cmpint (count_children (child (window, "holdings_list")), ==, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-delete-portfolio", NULL));
  g_assert_cmpstr (sextant_portfolio_window_get_portfolio_name (window), ==, "Core Book 2026");
  g_assert_cmpuint (risk_find (risk, "Core Book 2026"), !=, GTK_INVALID_LIST_POSITION);
  saved = sextant_portfolio_store_get_result (sextant_workspace_get_portfolios (workspace), result_id, NULL);
  g_assert_cmpstr (saved->portfolio, ==, "Core Book 2026");
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));

  /* New and Duplicate store under names of their own. */
  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (window), GDK_KEY_n, GDK_CONTROL_MASK));
  answer_name (window, "Empty");
  g_assert_cmpint (count_children (child (window, "holdings_list")), ==, 0);
  g_assert_true (sextant_portfolio_window_load_portfolio (window, "Core Book 2026", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.duplicate-portfolio", NULL));
  answer_name (window, "Core Book copy");
  g_assert_cmpint (count_children (child (window, "holdings_list")), ==, 10);
  g_assert_cmpuint (risk_find (risk, "Empty"), !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (risk_find (risk, "Core Book copy"), !=, GTK_INVALID_LIST_POSITION);

  test_gui_destroy_and_check (GTK_WINDOW (other));
  test_gui_destroy_and_check (GTK_WINDOW (risk));
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* A stored holding with no prices (as the CLI's import can leave) is listed as needing prices
 * in both windows; the dashboard computes on the others. */
static void
test_needs_prices (void)
{
  SextantPortfolioWindow *window = open_window ();
  SextantRiskWindow *risk = sextant_risk_window_new (NULL, workspace);
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new ("Unpriced Book");
  g_autoptr(GError) error = NULL;
  GtkWidget *row;
  GtkGrid *grid;

  test_gui_show_and_wait (GTK_WINDOW (risk), 1100, 800);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));
  sextant_portfolio_add_holding (portfolio, "IBM", 10, NAN, "USD");
  sextant_portfolio_add_holding (portfolio, "ZZZZ", 5, NAN, "USD");
  g_assert_true (sextant_portfolio_store_save (sextant_workspace_get_portfolios (workspace), portfolio, &error));
  g_assert_no_error (error);

  g_assert_true (sextant_portfolio_window_load_portfolio (window, "Unpriced Book", &error));
  g_assert_cmpint (count_children (child (window, "holdings_list")), ==, 2);
  row = gtk_widget_get_last_child (child (window, "holdings_list"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "ZZZZ");
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "Needs prices"));

  risk_choose (risk, "Unpriced Book");
  g_assert_cmpuint (sextant_risk_window_get_figures (risk)->k, ==, 1);
  grid = risk_child (risk, "component_grid");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 0, 2))), ==, "ZZZZ");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 1, 2))), ==, "needs prices");
  g_assert_nonnull (strstr (gtk_label_get_text (risk_child (risk, "status_label")), "needs prices: ZZZZ"));
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 760);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-needs-prices.png");
  test_gui_show_and_wait (GTK_WINDOW (risk), 1100, 760);
  test_gui_save_screenshot (GTK_WIDGET (risk), "risk-needs-prices.png");

  test_gui_destroy_and_check (GTK_WINDOW (risk));
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
is_expander_titled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return ADW_IS_EXPANDER_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

/* Shows the end of the holdings pane, where an added holding goes. */
static void
scroll_to_end (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  test_gui_iterate (20);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  test_gui_iterate (20);
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
}

static void
forget_fake_providers (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "market-providers");
  g_settings_reset (settings, "alpha-vantage-base-url");
  g_settings_reset (settings, "finnhub-base-url");
  g_settings_reset (settings, "enable-yahoo");
  g_unsetenv ("SEXTANT_ALPHAVANTAGE_KEY");
  g_unsetenv ("SEXTANT_FINNHUB_KEY");
}

/* AAPL is not in the demo data: Add Holding's search finds it through the providers' symbol
 * search (Alpha Vantage first, so its name and currency; Finnhub adds other listings); chosen,
 * the holding needs prices while its daily bars are fetched from the fake Alpha Vantage at once
 * (alphavantage_time_series_daily.json: last close 49.96 on 2001-09-27), and then it is priced. */
static void
test_search_and_fetch (void)
{
  FakeMarketServer *server = fake_market_server_new ();
  SextantPortfolioWindow *window;
  GtkWidget *results, *list, *found, *row;
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "unknown.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantOptimizationRequest) request = NULL;

  fake_market_server_push (server, "/query", "SYMBOL_SEARCH", 200, "application/json",
                           "alphavantage_symbol_search.json");
  fake_market_server_push (server, "/query", "TIME_SERIES_DAILY", 200, "application/json",
                           "alphavantage_time_series_daily.json");
  fake_market_server_push (server, "/search", NULL, 200, "application/json", "finnhub_search.json");
  use_fake_providers (server);
  g_assert_true (sextant_workspace_open_store (workspace, NULL) ||
                 sextant_workspace_get_store (workspace) != NULL);
  window = open_window ();
  results = child (window, "search_list");
  list = child (window, "holdings_list");

  search_for (window, "AAPL");
  g_assert_nonnull (strstr (fake_market_server_get_last_query (server), "AAPL"));
  /* Nothing local matches AAPL: the first row is the providers' best match. */
  found = gtk_widget_get_first_child (results);
  g_assert_true (found == test_gui_find (results, is_row_titled, "AAPL"));
  g_assert_nonnull (found);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (found)), ==,
                   "Apple Inc · USD · United States · no prices yet");
  g_assert_nonnull (test_gui_find (results, is_row_titled, "AAPL.SW"));
  g_assert_true (gtk_revealer_get_reveal_child (child (window, "search_revealer")));
  g_assert_cmpstr (gtk_label_get_text (child (window, "search_status")), ==, "6 instruments found");
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  TEST_GUI_WAIT_FOR (gtk_revealer_get_child_revealed (child (window, "search_revealer")));
  test_gui_iterate (20);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-search.png");

  /* Chosen, it is a holding that needs prices, and its history is being fetched already. */
  g_signal_emit_by_name (results, "row-activated", found);
  g_assert_false (gtk_revealer_get_reveal_child (child (window, "search_revealer")));
  row = gtk_widget_get_last_child (list);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "AAPL");
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "Needs prices"));
  g_assert_true (sextant_portfolio_window_get_fetching (window));
  g_assert_true (gtk_widget_get_visible (child (window, "fetch_box")));
  scroll_to_end (list);
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-needs-prices-actions.png");

  /* The search remembered the name and currency: the next search finds AAPL locally. */
  {
    g_autoptr(SextantMarketCache) cache = sextant_market_cache_new (sextant_workspace_get_store (workspace));
    g_autoptr(GPtrArray) local = sextant_market_cache_search_instruments (cache, "apple", 5, NULL);

    g_assert_cmpuint (local->len, ==, 1);
    g_assert_cmpstr (((SextantSymbolMatch *) local->pdata[0])->currency, ==, "USD");
  }

  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_fetching (window));
  g_assert_false (gtk_widget_get_visible (child (window, "fetch_box")));
  row = gtk_widget_get_last_child (list);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "AAPL");
  g_assert_cmpuint (fake_market_server_get_count (server, "/query"), ==, 2);
  g_assert_false (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "Needs prices"));
  /* The demo stocks' bundled closes and AAPL's fetched ones. */
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "range_label")), "(bundled demo closes and stored prices)"));
  request = sextant_portfolio_window_dup_request (window);
  g_assert_cmpstr (request->symbols[request->k - 1], ==, "AAPL");
  /* 100 shares at 49.96 */
  g_assert_cmpfloat_with_epsilon (request->current[request->k - 1] * request->value, 4996.0, 1e-6);
  scroll_to_end (list);
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-fetched.png");

  /* A holdings file with a symbol nobody has prices for keeps it, needing prices. */
  g_assert_true (g_file_set_contents (path, "symbol,quantity\nIBM,10\nZZTOP,5\n", -1, NULL));
  g_assert_true (sextant_portfolio_window_import_holdings (window, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_children (list), ==, 2);
  g_assert_false (gtk_widget_get_visible (child (window, "import_problems_box")));
  row = gtk_widget_get_last_child (list);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "ZZTOP");
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "Needs prices"));
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-import-needs-prices.png");

  test_gui_destroy_and_check (GTK_WINDOW (window));
  forget_fake_providers ();
  fake_market_server_free (server);
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

/* The reason under a holding that needs prices: the subtitle of its inner "Prices" row. */
static const char *
prices_reason (GtkWidget *holding)
{
  GtkWidget *inner = test_gui_find (holding, is_row_titled, "Prices");

  g_assert_nonnull (inner);

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (inner));
}

/* Fetching the holdings that need prices: each instrument on its own, so the one the provider
 * does not know keeps needing prices and says why under its holding, while the other is priced;
 * and a fetch that hangs is cancelled from the window, leaving the holding as it was. */
static void
test_fetch_errors_and_cancel (void)
{
  FakeMarketServer *server = fake_market_server_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "two-unknown.csv", NULL);
  g_autofree char *url = NULL;
  g_autofree char *failed_symbol = NULL;
  g_autoptr(GError) error = NULL;
  SextantPortfolioWindow *window;
  GtkWidget *list, *first, *second, *failed, *priced;
  guint16 port;

  fake_market_server_push (server, "/query", "TIME_SERIES_DAILY", 200, "application/json",
                           "alphavantage_time_series_daily.json");
  fake_market_server_push (server, "/query", "TIME_SERIES_DAILY", 200, "application/json",
                           "alphavantage_invalid_symbol.json");
  use_fake_providers (server);
  g_settings_set_strv (settings, "market-providers", (const char *[]) { "alpha-vantage", NULL });
  g_assert_true (sextant_workspace_open_store (workspace, NULL) || sextant_workspace_get_store (workspace) != NULL);
  window = open_window ();
  list = child (window, "holdings_list");
  g_assert_true (g_file_set_contents (path, "symbol,quantity\nQQFIRST,10\nQQSECOND,5\n", -1, NULL));
  g_assert_true (sextant_portfolio_window_import_holdings (window, path, &error));
  g_assert_no_error (error);
  first = gtk_widget_get_first_child (list);
  second = gtk_widget_get_last_child (list);
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (first)), "Needs prices"));
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (second)), "Needs prices"));

  /* Every holding that needs prices, one request each; which one the provider refuses depends
   * on the order they are asked in. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.fetch-prices", "s", ""));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_fetching (window));
  g_assert_cmpuint (fake_market_server_get_count (server, "/query"), ==, 2);
  first = gtk_widget_get_first_child (list);
  second = gtk_widget_get_last_child (list);
  failed = g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (first)), "Needs prices") ? first : second;
  priced = failed == first ? second : first;
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (failed)), "Needs prices"));
  g_assert_false (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (priced)), "Needs prices"));
  g_assert_true (g_str_has_prefix (prices_reason (failed), "Not fetched: "));
  /* Neither holding is a demo instrument: the range is the stored prices'. */
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "range_label")), "(stored from the providers and imports)"));
  g_assert_nonnull (strstr (prices_reason (failed), "Invalid API call"));
  g_test_message ("%s: %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (failed)), prices_reason (failed));
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-fetch-error.png");

  /* A provider that accepts the connection and never answers: Cancel stops the fetch. */
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (hold_connection_cb), held);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_settings_set_string (settings, "alpha-vantage-base-url", url);
  failed_symbol = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (failed)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.fetch-prices", "s", failed_symbol));
  g_assert_true (sextant_portfolio_window_get_fetching (window));
  g_assert_true (gtk_widget_get_visible (child (window, "fetch_box")));
  TEST_GUI_WAIT_FOR (held->len > 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-fetch", NULL));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_fetching (window));
  g_assert_false (gtk_widget_get_visible (child (window, "fetch_box")));
  /* The rows were made again for the holdings as they now are. */
  failed = test_gui_find (list, is_expander_titled, failed_symbol);
  g_assert_nonnull (failed);
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (failed)), "Needs prices"));

  test_gui_destroy_and_check (GTK_WINDOW (window));
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  forget_fake_providers ();
  fake_market_server_free (server);
  sextant_test_remove_temp_dir (dir);
}

/* Holdings by shares, by weight or by value, with a cost basis: typing one amount shows the
 * others; a cost basis typed in the window is stored with the portfolio, and one stored by the
 * CLI survives the window's save. */
static void
test_value_and_cost_basis (void)
{
  SextantPortfolioWindow *window = open_window ();
  SextantPortfolioStore *store = sextant_workspace_get_portfolios (workspace);
  GtkWidget *list = child (window, "holdings_list");
  g_autoptr(SextantOptimizationRequest) request = NULL;
  g_autoptr(SextantPortfolio) book = sextant_portfolio_new ("Cost Book");
  g_autoptr(SextantPortfolio) stored = NULL;
  g_autoptr(GError) error = NULL;
  double price, shares;

  /* By value: $10,000 of the first holding is the whole shares nearest to it at its close. */
  request = sextant_portfolio_window_dup_request (window);
  price = request->current[0] * request->value / request->quantities[0];
  g_clear_pointer (&request, sextant_optimization_request_free);
  gtk_spin_button_set_value (find_spin (list, 0, "value"), 10000.0);
  shares = round (10000.0 / price);
  request = sextant_portfolio_window_dup_request (window);
  g_assert_cmpfloat (request->quantities[0], ==, shares);
  g_assert_cmpfloat (gtk_spin_button_get_value (find_spin (list, 0, "quantity")), ==, shares);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (find_spin (list, 0, "weight")),
                                  100 * request->current[0], 0.006);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (find_spin (list, 0, "value")), shares * price, 0.006);
  g_clear_pointer (&request, sextant_optimization_request_free);

  /* By weight, then the value shows what the weight means. */
  gtk_spin_button_set_value (find_spin (list, 1, "weight"), 25.0);
  request = sextant_portfolio_window_dup_request (window);
  g_assert_cmpfloat (gtk_spin_button_get_value (find_spin (list, 1, "quantity")), ==, request->quantities[1]);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (find_spin (list, 1, "value")),
                                  request->current[1] * request->value, 0.006);
  g_clear_pointer (&request, sextant_optimization_request_free);

  /* A cost basis stored by the CLI (sextant-cli portfolio add … --cost-basis) is kept when the
   * window saves the portfolio with other shares; one typed in the window is stored. */
  sextant_portfolio_add_holding (book, "IBM", 10, NAN, "USD");
  sextant_portfolio_set_cost_basis (book, 0, 95.25);
  sextant_portfolio_add_holding (book, "KO", 20, NAN, "USD");
  g_assert_true (sextant_portfolio_store_create (store, book, &error));
  g_assert_no_error (error);
  g_assert_true (sextant_portfolio_window_load_portfolio (window, "Cost Book", &error));
  g_assert_cmpfloat (gtk_spin_button_get_value (find_spin (list, 0, "cost")), ==, 95.25);
  g_assert_cmpfloat (gtk_spin_button_get_value (find_spin (list, 1, "cost")), ==, 0);
  gtk_spin_button_set_value (find_spin (list, 0, "quantity"), 15);
  gtk_spin_button_set_value (find_spin (list, 1, "cost"), 41.5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-portfolio", NULL));
  stored = sextant_portfolio_store_load (store, "Cost Book", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sextant_portfolio_get_holding (stored, 0)->quantity, ==, 15);
  g_assert_cmpfloat (sextant_portfolio_get_holding (stored, 0)->cost_basis, ==, 95.25);
  g_assert_cmpfloat (sextant_portfolio_get_holding (stored, 1)->cost_basis, ==, 41.5);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_first_child (list)), TRUE);
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-value-cost.png");

  g_assert_true (sextant_portfolio_store_delete (store, "Cost Book", &error));
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* Two windows side by side on 1920 px: each fits in 800. At the default size (1100 × 760) the
 * Objective row is in sight; the Saved Results popover is wide enough for its titles; one
 * suggested action shows at a time. */
static void
test_layout (void)
{
  SextantPortfolioWindow *window = sextant_portfolio_window_new (NULL, workspace);
  SextantRiskWindow *risk = sextant_risk_window_new (NULL, workspace);
  graphene_rect_t bounds;
  int minimum;

  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 760);
  test_gui_show_and_wait (GTK_WINDOW (risk), 1100, 760);
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (risk));
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("portfolio window minimum width %d", minimum);
  g_assert_cmpint (minimum, <=, 800);
  gtk_widget_measure (GTK_WIDGET (risk), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("risk window minimum width %d", minimum);
  g_assert_cmpint (minimum, <=, 800);

  g_assert_true (gtk_widget_compute_bounds (child (window, "objective_row"), GTK_WIDGET (window), &bounds));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (window)));
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-default.png");
  test_gui_save_screenshot (GTK_WIDGET (risk), "risk-default.png");

  g_assert_true (gtk_widget_has_css_class (child (window, "run_button"), "suggested-action"));
  adw_view_stack_set_visible_child_name (child (window, "view_stack"), "scenarios");
  g_assert_false (gtk_widget_has_css_class (child (window, "run_button"), "suggested-action"));
  adw_view_stack_set_visible_child_name (child (window, "view_stack"), "optimize");

  gtk_menu_button_popup (child (window, "saved_button"));
  test_gui_iterate (20);
  g_test_message ("saved results list width %d", gtk_widget_get_width (child (window, "saved_list")));
  g_assert_cmpint (gtk_widget_get_width (child (window, "saved_list")), >=, 360);
  gtk_menu_button_popdown (child (window, "saved_button"));

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 760);
  gtk_window_set_default_size (GTK_WINDOW (risk), 800, 760);
  test_gui_show_and_wait (GTK_WINDOW (window), 800, 760);
  test_gui_show_and_wait (GTK_WINDOW (risk), 800, 760);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-800.png");
  test_gui_save_screenshot (GTK_WIDGET (risk), "risk-800.png");

  test_gui_destroy_and_check (GTK_WINDOW (risk));
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* The end value of a percentile, read back from the Scenarios page's summary. */
static double
scenario_percentile (SextantPortfolioWindow *window,
                     const char             *which)
{
  const char *text = gtk_label_get_text (child (window, "scenario_label"));
  const char *at = strstr (text, which);
  double value = NAN;

  g_assert_nonnull (at);
  g_assert_cmpint (sscanf (at + strlen (which), " $%lf", &value), ==, 1);

  return value;
}

static void
run_scenarios (SextantPortfolioWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-scenarios", NULL));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_busy (window));
  g_assert_true (sextant_chart_view_has_chart (child (window, "fan_view")));
}

/* Issue 14: the Scenarios page shows the parameters it simulates, estimated from the data and
 * editable, and starts from zero drift. With the maximum-Sharpe portfolio of the demo's bull
 * market the historical drift made even the 5th percentile of a 5-year Heston fan a gain. */
static void
test_scenario_parameters (void)
{
  SextantPortfolioWindow *window = open_window ();
  SextantOptimizationResult *result;
  SextantScenarioDefaults d;
  double start, p5;

  optimize (window, SEXTANT_OBJECTIVE_MAX_SHARPE);
  result = sextant_portfolio_window_get_result (window);
  sextant_scenario_defaults (result, &d);
  g_assert_true (d.estimated);
  g_assert_cmpuint (gtk_drop_down_get_selected (child (window, "drift_dropdown")), ==, SEXTANT_DRIFT_ZERO);
  g_assert_cmpfloat (gtk_spin_button_get_value (child (window, "drift_spin")), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (child (window, "drift_spin")));
  /* The spin buttons show the estimates to their digits. */
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (child (window, "volatility_spin")) - 100 * d.volatility), <, 0.006);
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (child (window, "kappa_spin")) - d.heston.kappa), <, 0.006);
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (child (window, "theta_spin")) - d.heston.theta), <, 6e-5);
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (child (window, "xi_spin")) - d.heston.xi), <, 0.006);
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (child (window, "rho_spin")) - d.heston.rho), <, 0.006);
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "scenario_params_label")), "blocks of 21 days"));

  /* Five years of Heston with zero drift: the 5th percentile is a loss. */
  start = result->request->value;
  gtk_drop_down_set_selected (child (window, "scenario_model_dropdown"), SEXTANT_SCENARIO_MODEL_HESTON);
  g_assert_false (gtk_widget_get_sensitive (child (window, "volatility_spin")));
  g_assert_true (gtk_widget_get_sensitive (child (window, "kappa_spin")));
  gtk_spin_button_set_value (child (window, "paths_spin"), 1000);
  gtk_spin_button_set_value (child (window, "horizon_spin"), 1260);
  run_scenarios (window);
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "scenario_label")), "Heston, zero drift 0.00 %"));
  p5 = scenario_percentile (window, "5th percentile");
  g_assert_cmpfloat (p5, <, start);
  /* The chart's title names the model that was simulated. */
  g_assert_cmpstr (((const SextantFanChart *) sextant_chart_view_get_model (child (window, "fan_view")))->title, ==,
                   "Portfolio value, Heston simulation");

  /* The historical drift is offered, and shown, but not the default. */
  gtk_drop_down_set_selected (child (window, "drift_dropdown"), SEXTANT_DRIFT_HISTORICAL);
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (child (window, "drift_spin")) - 100 * result->expected_return), <, 0.006);
  run_scenarios (window);
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "scenario_label")), "historical drift"));
  g_assert_cmpfloat (scenario_percentile (window, "5th percentile"), >, p5);

  /* A value of the user's and an edited κ are what is simulated. */
  gtk_drop_down_set_selected (child (window, "drift_dropdown"), SEXTANT_DRIFT_USER);
  g_assert_true (gtk_widget_get_sensitive (child (window, "drift_spin")));
  gtk_spin_button_set_value (child (window, "drift_spin"), 3);
  gtk_spin_button_set_value (child (window, "kappa_spin"), 5);
  run_scenarios (window);
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "scenario_label")), "your drift 3.00 %"));
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "scenario_label")), "κ 5.00"));

  /* Back to GBM: the title follows the model shown. */
  gtk_drop_down_set_selected (child (window, "scenario_model_dropdown"), SEXTANT_SCENARIO_MODEL_GBM);
  run_scenarios (window);
  g_assert_cmpstr (((const SextantFanChart *) sextant_chart_view_get_model (child (window, "fan_view")))->title, ==,
                   "Portfolio value, GBM simulation");

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static gboolean
is_backtest_button (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "win.run-backtest") == 0;
}

static GtkWidget *
backtest_button (SextantPortfolioWindow *window)
{
  GtkWidget *button = test_gui_find (GTK_WIDGET (window), is_backtest_button, NULL);

  g_assert_nonnull (button);

  return button;
}

/* Issue 14: backtests out of sample, and their turnover. */
static void
test_backtest_out_of_sample (void)
{
  SextantPortfolioWindow *window = open_window ();
  SextantOptimizationResult *result;
  const SextantReturnMatrix *m;
  GtkLabel *label = child (window, "backtest_label");
  g_autofree char *expected = NULL;
  guint month_ends = 0, n_optimizations = 0;
  const char *at;

  /* The backtest page knows whether an optimization ran: before, it asks for one and cannot
   * run; after, it says what it compares and runs. */
  g_assert_true (g_str_has_suffix (gtk_label_get_text (label), "run an optimization first."));
  g_assert_false (gtk_widget_is_sensitive (backtest_button (window)));
  optimize (window, SEXTANT_OBJECTIVE_MIN_VARIANCE);
  result = sextant_portfolio_window_get_result (window);
  m = result->returns;
  g_assert_true (g_str_has_prefix (gtk_label_get_text (label), "Compares the optimized and the current weights"));
  g_assert_null (strstr (gtk_label_get_text (label), "run an optimization first"));
  g_assert_true (gtk_widget_is_sensitive (backtest_button (window)));

  /* In sample, as before, now with the turnover. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-backtest", NULL));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (label), "In sample"));
  g_assert_nonnull (strstr (gtk_label_get_text (label), "turnover"));

  /* Out of sample: trained on the first 60 % of the returns, tested from the next day on. */
  gtk_drop_down_set_selected (child (window, "evaluation_dropdown"), SEXTANT_BACKTEST_SPLIT);
  g_assert_true (gtk_widget_get_sensitive (child (window, "train_spin")));
  g_assert_false (gtk_widget_get_sensitive (child (window, "every_spin")));
  gtk_spin_button_set_value (child (window, "train_spin"), 60);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-backtest", NULL));
  {
    gsize first = (gsize) lround (0.6 * m->n_obs);
    g_autofree char *train_to = sextant_day_format_iso (m->days[first - 1]);
    g_autofree char *from = sextant_day_format_iso (m->days[first]);

    expected = g_strdup_printf ("to %s, held from %s to", train_to, from);
    g_assert_true (g_str_has_prefix (gtk_label_get_text (label), "Out of sample: optimized on"));
    g_assert_nonnull (strstr (gtk_label_get_text (label), expected));
  }
  g_assert_true (sextant_chart_view_has_chart (child (window, "backtest_view")));

  /* Walk-forward every 3 months on a year: one optimization at the start and one after every
   * third month end of the test (not after the last return). */
  gtk_drop_down_set_selected (child (window, "evaluation_dropdown"), SEXTANT_BACKTEST_WALK_FORWARD);
  gtk_spin_button_set_value (child (window, "every_spin"), 3);
  gtk_spin_button_set_value (child (window, "window_spin"), 252);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-backtest", NULL));
  for (gsize t = 252; t + 1 < m->n_obs; t++)
    {
      int y0, m0, d0, y1, m1, d1;

      sextant_day_to_ymd (m->days[t], &y0, &m0, &d0);
      sextant_day_to_ymd (m->days[t + 1], &y1, &m1, &d1);
      month_ends += m0 != m1;
    }
  at = strstr (gtk_label_get_text (label), "trading days (");
  g_assert_nonnull (at);
  g_assert_cmpint (sscanf (at, "trading days (%u optimizations)", &n_optimizations), ==, 1);
  g_assert_cmpuint (n_optimizations, ==, 1 + month_ends / 3);
  g_assert_cmpuint (n_optimizations, >=, 2);
  adw_view_stack_set_visible_child_name (child (window, "view_stack"), "backtest");
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-walk-forward.png");

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static gboolean
is_stale (SextantPortfolioWindow *window)
{
  return gtk_widget_get_visible (child (window, "stale_banner"));
}

/* Out of date: the banner shows, and neither the report nor the trade list can be written; the
 * report button's tooltip says why. */
static void
assert_stale (SextantPortfolioWindow *window,
              gboolean                stale)
{
  const char *tooltip = gtk_widget_get_tooltip_text (child (window, "report_button"));

  g_assert_cmpint (is_stale (window), ==, stale);
  g_assert_cmpint (gtk_widget_get_sensitive (child (window, "report_button")), ==, !stale);
  g_assert_cmpint (gtk_widget_get_sensitive (child (window, "export_button")), ==, !stale);
  g_assert_cmpint (strstr (tooltip, "out of date") != NULL, ==, stale);
}

/* Each kind of input makes the result out of date, changing it back makes it current again,
 * and a failed run leaves it out of date. */
static void
test_out_of_date (void)
{
  SextantPortfolioWindow *window = open_window ();
  GtkWidget *list = child (window, "holdings_list");
  g_autofree char *path = sextant_test_output_path ("portfolio-stale-trades.csv");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;
  char *banner;

  optimize (window, SEXTANT_OBJECTIVE_MIN_VARIANCE);
  assert_stale (window, FALSE);

  /* Constraints: a bound, then the objective. */
  gtk_spin_button_set_value (find_spin (list, 1, "max"), 50.0);
  assert_stale (window, TRUE);
  banner = g_strdup (gtk_label_get_text (child (window, "stale_label")));
  g_assert_true (g_str_has_prefix (banner, "Out of date — run again"));
  g_free (banner);
  g_assert_false (sextant_portfolio_window_export_trades (window, file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-out-of-date.png");
  gtk_spin_button_set_value (find_spin (list, 1, "max"), 100.0);
  assert_stale (window, FALSE);
  adw_combo_row_set_selected (child (window, "objective_row"), SEXTANT_OBJECTIVE_RISK_PARITY);
  assert_stale (window, TRUE);
  adw_combo_row_set_selected (child (window, "objective_row"), SEXTANT_OBJECTIVE_MIN_VARIANCE);
  assert_stale (window, FALSE);

  /* Holdings: shares, then a holding removed and put back. */
  gtk_spin_button_set_value (find_spin (list, 0, "quantity"), 401);
  assert_stale (window, TRUE);
  gtk_spin_button_set_value (find_spin (list, 0, "quantity"), 400);
  assert_stale (window, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-holding", "u", 9));
  assert_stale (window, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-remove", NULL));
  assert_stale (window, FALSE);

  /* Dates: the 5Y preset counts back from the newest close (2001-01-02 in the demo set). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.data-range", "s", "5y"));
  assert_stale (window, TRUE);
  g_assert_cmpstr (gtk_editable_get_text (child (window, "from_entry")), ==, "1996-01-03");
  g_assert_cmpstr (gtk_editable_get_text (child (window, "to_entry")), ==, "2001-01-02");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.data-range", "s", "max"));
  g_assert_cmpstr (gtk_editable_get_text (child (window, "from_entry")), ==, "1990-12-31");
  assert_stale (window, FALSE);
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "range_label")),
                            "Prices cover 1990-12-31 to 2001-01-02"));
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "range_label")), "No dates dropped."));

  /* A date that does not parse is marked, and changes nothing. */
  set_dates (window, "1999-13-01", "2001-01-02");
  g_assert_true (gtk_widget_has_css_class (child (window, "from_entry"), "error"));
  assert_stale (window, FALSE);

  /* A run that fails (two closes give one return) leaves the result out of date. */
  set_dates (window, "2000-12-29", "2001-01-02");
  assert_stale (window, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  TEST_GUI_WAIT_FOR (!sextant_portfolio_window_get_busy (window));
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "status_label")), "failed"));
  g_assert_true (g_str_has_suffix (gtk_label_get_text (child (window, "stale_label")), "the last run failed"));
  set_dates (window, "1990-12-31", "2001-01-02");
  assert_stale (window, TRUE);
  optimize (window, SEXTANT_OBJECTIVE_MIN_VARIANCE);
  assert_stale (window, FALSE);
  from = sextant_day_format_iso (sextant_portfolio_window_get_result (window)->request->first_day);
  g_assert_cmpstr (from, ==, "1990-12-31");

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* The trade list, worked out here from the demo closes: the holdings' value V = Σ q·p at the
 * newest close, target value w·V, shares round((w·V − q·p)/p), amount shares·p. */
static void
test_trade_list (void)
{
  SextantPortfolioWindow *window = open_window ();
  SextantPriceTable *stocks = sextant_workspace_get_stocks (workspace);
  gsize last = sextant_price_table_get_n_rows (stocks) - 1;
  g_autofree char *path = sextant_test_output_path ("portfolio-trades.csv");
  g_autofree char *report_path = sextant_test_output_path ("portfolio-trades-report.pdf");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) report_file = g_file_new_for_path (report_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  SextantOptimizationResult *r;
  double value = 0;

  optimize (window, SEXTANT_OBJECTIVE_MAX_SHARPE);
  r = sextant_portfolio_window_get_result (window);
  g_assert_true (sextant_portfolio_window_export_trades (window, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &csv, NULL, &error));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "symbol,shares_held,last_close,current_value,current_weight,"
                                 "optimized_weight,target_value,trade_shares,trade_amount,action,currency");
  g_assert_cmpuint (g_strv_length (lines), ==, r->k + 2);
  for (gsize j = 0; j < r->k; j++)
    {
      int c = sextant_price_table_find_column (stocks, r->symbols[j]);

      value += r->request->quantities[j] * sextant_price_table_get_column (stocks, c)[last];
    }
  for (gsize j = 0; j < r->k; j++)
    {
      int c = sextant_price_table_find_column (stocks, r->symbols[j]);
      double p = sextant_price_table_get_column (stocks, c)[last];
      double q = r->request->quantities[j];
      double shares = round ((r->weights[j] * value - q * p) / p);
      g_auto(GStrv) cells = g_strsplit (lines[j + 1], ",", -1);

      g_assert_cmpuint (g_strv_length (cells), ==, 11);
      g_assert_cmpstr (cells[0], ==, r->symbols[j]);
      g_assert_cmpfloat (g_ascii_strtod (cells[1], NULL), ==, q);
      sextant_assert_close_mixed (g_ascii_strtod (cells[2], NULL), p, 1e-4);
      sextant_assert_close_mixed (g_ascii_strtod (cells[6], NULL), r->weights[j] * value, 0.006);
      g_assert_cmpfloat (g_ascii_strtod (cells[7], NULL), ==, shares == 0 ? 0 : shares);
      sextant_assert_close_mixed (g_ascii_strtod (cells[8], NULL), shares * p, 0.006);
      g_assert_cmpstr (cells[9], ==, shares > 0 ? "buy" : shares < 0 ? "sell" : "hold");
      g_assert_cmpstr (cells[10], ==, "USD");

      /* The weights table shows the same shares. */
      {
        g_autofree char *shown = shares > 0 ? g_strdup_printf ("buy %.0f", shares)
                                 : shares < 0 ? g_strdup_printf ("sell %.0f", -shares) : g_strdup ("—");
        GtkLabel *label = GTK_LABEL (gtk_grid_get_child_at (child (window, "weights_grid"), 4, j + 1));

        g_assert_cmpstr (gtk_label_get_text (label), ==, shown);
      }
    }
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-trades.png");

  /* The committee report has the trade list as a page of its own. */
  sextant_portfolio_window_export_report_async (window, report_file, NULL, report_written_cb, &error);
  TEST_GUI_WAIT_FOR (error != NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  text = pdf_text (report_path);
  if (text != NULL)
    {
      g_assert_nonnull (strstr (text, "Trade List"));
      g_assert_true (strstr (text, "buy") != NULL || strstr (text, "sell") != NULL);
    }

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* Prices stored in the cache for every holding (as after a fetch or an import) replace the
 * bundled ones, up to their newest day; one holding that starts later costs the dates before
 * it, and the window says so. Runs last: the cache keeps these bars. */
static void
test_stored_range (void)
{
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  SextantPortfolioWindow *window;
  SextantPortfolio *demo = sextant_workspace_get_portfolio (workspace);
  gint32 first = sextant_day_from_ymd (2025, 1, 1);
  gint32 late = sextant_day_from_ymd (2025, 3, 1);
  gint32 today = sextant_day_from_ymd (2026, 1, 1);
  gsize n_late = 0;
  g_autofree char *expected = NULL;

  g_assert_true (sextant_workspace_open_store (workspace, &error));
  cache = sextant_market_cache_new (sextant_workspace_get_store (workspace));
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (demo); i++)
    {
      const char *symbol = sextant_portfolio_get_holding (demo, i)->symbol;
      gint32 start = g_str_equal (symbol, "IBM") ? late : first;
      g_autoptr(SextantPriceSeries) bars = sextant_price_series_new (symbol, today - start + 1);

      /* Every calendar day, each symbol with its own wiggle so the covariance is regular. */
      for (gint32 d = start; d <= today; d++)
        {
          double close = 100 + 10 * sin ((d - first) * (0.05 + 0.011 * i)) + 0.01 * (d - first) * (i + 1);

          sextant_price_series_set_row (bars, d - start, d, close, close, close, close, 1000);
        }
      g_assert_true (sextant_market_cache_put_bars (cache, bars, "csv", g_get_real_time () / G_USEC_PER_SEC, &error));
      g_assert_no_error (error);
    }
  n_late = late - first;

  window = open_window ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.data-range", "s", "max"));
  g_assert_cmpstr (gtk_editable_get_text (child (window, "from_entry")), ==, "2025-01-01");
  g_assert_cmpstr (gtk_editable_get_text (child (window, "to_entry")), ==, "2026-01-01");
  /* Translators aside, the status names the holding and the first day it has. */
  expected = g_strdup_printf ("%zu dates dropped: IBM has no prices before 2025-03-01.", n_late);
  g_test_message ("%s", gtk_label_get_text (child (window, "range_label")));
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "range_label")), "Prices cover 2025-01-01 to 2026-01-01"));
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "range_label")), expected));
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-stored-range.png");

  /* The optimization runs on those days: from IBM's first to the newest. */
  optimize (window, SEXTANT_OBJECTIVE_MIN_VARIANCE);
  g_assert_nonnull (sextant_portfolio_window_get_result (window));
  g_assert_cmpint (sextant_portfolio_window_get_result (window)->returns->days[0], >, late);
  g_assert_cmpint (sextant_portfolio_window_get_result (window)->returns->days[
                     sextant_portfolio_window_get_result (window)->returns->n_obs - 1], ==, today);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.data-range", "s", "1y"));
  g_assert_cmpstr (gtk_editable_get_text (child (window, "from_entry")), ==, "2025-01-02");
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

  /* Saved results and conversations go to a database of this run's own. */
  database_dir = sextant_test_use_own_database ();
  /* The search and fetch test's providers are fake servers on 127.0.0.1, reached directly. */
  g_setenv ("no_proxy", "127.0.0.1", TRUE);

  workspace = sextant_test_load_demo_workspace ();

  g_test_add_func ("/sextant/gui/portfolio/optimize", test_optimize);
  g_test_add_func ("/sextant/gui/portfolio/cancel", test_cancel);
  g_test_add_func ("/sextant/gui/portfolio/scenario-parameters", test_scenario_parameters);
  g_test_add_func ("/sextant/gui/portfolio/backtest-out-of-sample", test_backtest_out_of_sample);
  g_test_add_func ("/sextant/gui/portfolio/remove-undo", test_remove_undo);
  g_test_add_func ("/sextant/gui/portfolio/bounds-and-weights", test_bounds_and_weights);
  g_test_add_func ("/sextant/gui/portfolio/value-and-cost-basis", test_value_and_cost_basis);
  g_test_add_func ("/sextant/gui/portfolio/import-csv", test_import_csv);
  g_test_add_func ("/sextant/gui/portfolio/report", test_report);
  g_test_add_func ("/sextant/gui/portfolio/ask-assistant", test_ask_assistant);
  g_test_add_func ("/sextant/gui/portfolio/saved-results", test_saved_results);
  g_test_add_func ("/sextant/gui/portfolio/book-across-windows", test_book_across_windows);
  g_test_add_func ("/sextant/gui/portfolio/needs-prices", test_needs_prices);
  g_test_add_func ("/sextant/gui/portfolio/layout", test_layout);
  g_test_add_func ("/sextant/gui/portfolio/out-of-date", test_out_of_date);
  g_test_add_func ("/sextant/gui/portfolio/trade-list", test_trade_list);
  g_test_add_func ("/sextant/gui/portfolio/search-and-fetch", test_search_and_fetch);
  g_test_add_func ("/sextant/gui/portfolio/fetch-errors-and-cancel", test_fetch_errors_and_cancel);
  g_test_add_func ("/sextant/gui/portfolio/stored-range", test_stored_range);

  status = g_test_run ();
  g_clear_object (&workspace);

  return status;
}
