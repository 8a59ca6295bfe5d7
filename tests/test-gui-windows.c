#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sextant-chat-window.h"
#include "sextant-portfolio-window.h"
#include "sextant-preferences-window.h"
#include "sextant-risk-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

static SextantWorkspace *workspace;

static int
count_children (GtkWidget *widget)
{
  int n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

static void
test_chat_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_store_open (":memory:", &error);
  g_autoptr(SextantConversationStore) conversations = NULL;
  SextantChatWindow *window;
  GtkWidget *examples;
  GtkWidget *button;

  g_assert_no_error (error);
  conversations = sextant_conversation_store_new (store);
  window = sextant_chat_window_new_with_store (NULL, workspace, conversations);
  test_gui_show_and_wait (GTK_WINDOW (window), 1000, 760);
  /* The welcome page offers the offline analyst's three example requests; the last names the
   * demo portfolio of data/demo/demo-portfolio.json. */
  examples = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW,
                                                          "examples_box");
  g_assert_cmpint (count_children (examples), ==, 3);
  button = gtk_widget_get_last_child (examples);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "VaR of portfolio Dow Blue Chips (demo)");
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (window)), ==, 0);
  test_gui_save_screenshot (GTK_WIDGET (window), "chat-window.png");
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_portfolio_window (void)
{
  SextantPortfolioWindow *window = sextant_portfolio_window_new (NULL, workspace);
  GtkWidget *list;
  GtkLabel *total;

  test_gui_show_and_wait (GTK_WINDOW (window), 1000, 760);
  list = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW,
                                        "holdings_list");
  total = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                    SEXTANT_TYPE_PORTFOLIO_WINDOW, "total_label"));
  /* data/demo/demo-portfolio.json holds ten stocks worth 135,455 at the 2001-01-02 closes
   * (worked out by hand in tests/test-demo-data.c). */
  g_assert_cmpint (count_children (list), ==, 10);
  g_assert_nonnull (strstr (gtk_label_get_text (total), "135"));
  g_assert_nonnull (strstr (gtk_label_get_text (total), "455.00"));
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-window.png");
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_risk_window (void)
{
  SextantRiskWindow *window = sextant_risk_window_new (NULL, workspace);
  GtkWidget *list;

  test_gui_show_and_wait (GTK_WINDOW (window), 1000, 760);
  /* The figures are computed in a thread that holds the window until it returns. */
  TEST_GUI_WAIT_FOR (!sextant_risk_window_get_busy (window));
  list = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_RISK_WINDOW,
                                        "instruments_list");
  /* The S&P 500 plus the 30 Dow Jones stocks. */
  g_assert_cmpint (count_children (list), ==, 31);
  test_gui_save_screenshot (GTK_WIDGET (window), "risk-window.png");
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_preferences_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  SextantPreferencesWindow *window;
  GtkWidget *region_row;

  window = sextant_preferences_window_new (settings, sextant_workspace_get_secret_store (workspace));
  test_gui_show_and_wait (GTK_WINDOW (window), 1000, 760);
  TEST_GUI_WAIT_FOR (!sextant_preferences_window_get_busy (window));

  region_row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PREFERENCES_WINDOW,
                                              "region_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (region_row)), ==, "us-east-1");
  gtk_editable_set_text (GTK_EDITABLE (region_row), " eu-central-1 ");
  g_signal_emit_by_name (region_row, "apply");
  {
    g_autofree char *region = g_settings_get_string (settings, "aws-region");

    g_assert_cmpstr (region, ==, "eu-central-1");
  }
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_preferences_keyring (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  SextantSecretStore *secrets = sextant_workspace_get_secret_store (workspace);
  SextantPreferencesWindow *window;
  GtkEditable *row;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  /* A made-up key: the suite later greps every log for it. */
  const char *key = "sextant-test-alpha-vantage-9d41e7";

  stored = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_ALPHA_VANTAGE_KEY, NULL, &error);
  if (error != NULL)
    {
      if (g_getenv ("SEXTANT_TEST_REQUIRE_KEYRING") != NULL)
        g_error ("The keyring is required but not usable: %s", error->message);
      g_test_skip (error->message);
      return;
    }

  window = sextant_preferences_window_new (settings, secrets);
  test_gui_show_and_wait (GTK_WINDOW (window), 1000, 760);
  TEST_GUI_WAIT_FOR (!sextant_preferences_window_get_busy (window));

  row = sextant_preferences_window_get_secret_row (window, SEXTANT_SECRET_ALPHA_VANTAGE_KEY);
  gtk_editable_set_text (row, key);
  g_signal_emit_by_name (row, "apply");
  TEST_GUI_WAIT_FOR (!sextant_preferences_window_get_busy (window));

  g_clear_pointer (&stored, g_free);
  stored = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_ALPHA_VANTAGE_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, key);
  test_gui_destroy_and_check (GTK_WINDOW (window));

  /* A new window reads it back from the keyring. */
  window = sextant_preferences_window_new (settings, secrets);
  test_gui_show_and_wait (GTK_WINDOW (window), 1000, 760);
  TEST_GUI_WAIT_FOR (!sextant_preferences_window_get_busy (window));
  row = sextant_preferences_window_get_secret_row (window, SEXTANT_SECRET_ALPHA_VANTAGE_KEY);
  g_assert_cmpstr (gtk_editable_get_text (row), ==, key);

  /* Applying an empty field removes the key. */
  gtk_editable_set_text (row, "");
  g_signal_emit_by_name (row, "apply");
  TEST_GUI_WAIT_FOR (!sextant_preferences_window_get_busy (window));
  g_clear_pointer (&stored, g_free);
  stored = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_ALPHA_VANTAGE_KEY, NULL, &error);
  g_assert_null (stored);
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  workspace = sextant_test_load_demo_workspace ();

  g_test_add_func ("/sextant/gui/chat-window", test_chat_window);
  g_test_add_func ("/sextant/gui/portfolio-window", test_portfolio_window);
  g_test_add_func ("/sextant/gui/risk-window", test_risk_window);
  g_test_add_func ("/sextant/gui/preferences-settings", test_preferences_settings);
  g_test_add_func ("/sextant/gui/preferences-keyring", test_preferences_keyring);

  status = g_test_run ();
  g_clear_object (&workspace);

  return status;
}
