#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sextant-application.h"
#include "sextant-chat-window.h"
#include "sextant-portfolio-window.h"
#include "sextant-model-picker.h"
#include "sextant-monitoring-window.h"
#include "sextant-preferences-window.h"
#include "sextant-risk-window.h"
#include "sextant-test-util.h"
#include "sextant-bond-dialog.h"
#include "sextant-encryption-dialog.h"
#include "fake-bedrock-server.h"
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

/* The screenshots here show each window as it opens; the AppStream ones, with data, are made by
 * tests/test-gui-screenshots.c. */
static void
test_chat_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (":memory:", &error);
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
  test_gui_save_screenshot (GTK_WIDGET (window), "chat-window-opened.png");
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

/* The dialog that shows the history's migration to encryption at rest: made, shown and
 * destroyed without leaking (its work is tested in test-store-encryption). */
static void
test_encryption_dialog (void)
{
  SextantEncryptionDialog *dialog = sextant_encryption_dialog_new (NULL, workspace);

  g_assert_false (sextant_encryption_dialog_get_done (dialog));
  test_gui_show_and_wait (GTK_WINDOW (dialog), 420, 200);
  test_gui_save_screenshot (GTK_WIDGET (dialog), "encryption-dialog.png");
  test_gui_destroy_and_check (GTK_WINDOW (dialog));
}

/* The bond dialog of the Portfolio window, filled in as an edit: made, shown and destroyed
 * without leaking (its work is tested in test-gui-bond-holdings). */
static void
test_bond_dialog (void)
{
  const char *taken[] = { "MSFT", NULL };
  SextantBondDialog *dialog = sextant_bond_dialog_new (NULL, taken, "EUR");
  SextantBond bond = { .coupon = 0.0425, .maturity = sextant_day_from_ymd (2034, 5, 15), .frequency = 2,
                       .day_count = SEXTANT_DAY_COUNT_ACT_ACT_ICMA, .face = 100000 };

  sextant_bond_dialog_set_today (dialog, sextant_day_from_ymd (2026, 1, 1));
  sextant_bond_dialog_set_holding (dialog, "DE000BUND2034", &bond, "EUR");
  g_assert_null (sextant_bond_dialog_get_problem (dialog));
  test_gui_show_and_wait (GTK_WINDOW (dialog), 460, -1);
  test_gui_destroy_and_check (GTK_WINDOW (dialog));
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
  test_gui_save_screenshot (GTK_WIDGET (window), "portfolio-window-opened.png");
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
  test_gui_save_screenshot (GTK_WIDGET (window), "risk-window-opened.png");
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
collect_action_rows (GtkWidget *widget,
                     GPtrArray *rows)
{
  if (ADW_IS_ACTION_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_action_rows (child, rows);
}

/* The titles of the provider rows, in the order shown, as "A,B,C". */
static char *
provider_titles (SextantPreferencesWindow *window,
                 GPtrArray                *rows)
{
  GtkWidget *group = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PREFERENCES_WINDOW,
                                                                  "providers_group");
  g_autoptr(GString) titles = g_string_new (NULL);

  g_ptr_array_set_size (rows, 0);
  collect_action_rows (group, rows);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (titles, "%s%s", i > 0 ? "," : "",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rows->pdata[i])));

  return g_string_free (g_steal_pointer (&titles), FALSE);
}

typedef struct
{
  GType       type;
  const char *tooltip;   /* any, when NULL */
} Control;

static gboolean
is_control (GtkWidget     *widget,
            gconstpointer  data)
{
  const Control *control = data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, control->type) &&
         (control->tooltip == NULL || g_strcmp0 (gtk_widget_get_tooltip_text (widget), control->tooltip) == 0);
}

static GtkWidget *
find_control (GtkWidget  *widget,
              GType       type,
              const char *tooltip)
{
  return test_gui_find (widget, is_control, &(Control) { type, tooltip });
}

static gboolean
titles_are (SextantPreferencesWindow *window,
            GPtrArray                *rows,
            const char               *expected)
{
  g_autofree char *titles = provider_titles (window, rows);

  return g_str_equal (titles, expected);
}

static void
assert_providers (GSettings  *settings,
                  const char *expected)
{
  g_auto(GStrv) names = g_settings_get_strv (settings, "market-providers");
  g_autofree char *joined = g_strjoinv (",", names);

  g_assert_cmpstr (joined, ==, expected);
}

/* The market-data providers: the order to ask them in and which are asked, kept in the
 * market-providers setting as the refresh reads it. */
static void
test_preferences_providers (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  SextantPreferencesWindow *window;
  g_autofree char *titles = NULL;

  window = sextant_preferences_window_new (settings, sextant_workspace_get_secret_store (workspace));
  test_gui_show_and_wait (GTK_WINDOW (window), 1000, 760);
  TEST_GUI_WAIT_FOR (!sextant_preferences_window_get_busy (window));
  titles = provider_titles (window, rows);
  g_assert_cmpstr (titles, ==, "Alpha Vantage,Finnhub,Stooq");

  /* Finnhub off: never asked, shown last. */
  gtk_switch_set_active (GTK_SWITCH (find_control (rows->pdata[1], GTK_TYPE_SWITCH, NULL)), FALSE);
  assert_providers (settings, "alpha-vantage,stooq");
  /* The rows are made again once the switch is done with its change. */
  TEST_GUI_WAIT_FOR (titles_are (window, rows, "Alpha Vantage,Stooq,Finnhub"));
  /* A provider switched off cannot move; Stooq, last of those asked, cannot move down. */
  g_assert_false (gtk_widget_get_sensitive (find_control (rows->pdata[2], GTK_TYPE_BUTTON, "Move Up")));
  g_assert_false (gtk_widget_get_sensitive (find_control (rows->pdata[1], GTK_TYPE_BUTTON, "Move Down")));

  /* Alpha Vantage moves down below Stooq. */
  g_signal_emit_by_name (find_control (rows->pdata[0], GTK_TYPE_BUTTON, "Move Down"), "clicked");
  assert_providers (settings, "stooq,alpha-vantage");
  TEST_GUI_WAIT_FOR (titles_are (window, rows, "Stooq,Alpha Vantage,Finnhub"));

  /* Finnhub back on: asked last. */
  gtk_switch_set_active (GTK_SWITCH (find_control (rows->pdata[2], GTK_TYPE_SWITCH, NULL)), TRUE);
  assert_providers (settings, "stooq,alpha-vantage,finnhub");
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (window),
                                           ADW_PREFERENCES_PAGE (gtk_widget_get_ancestor (rows->pdata[0],
                                                                                          ADW_TYPE_PREFERENCES_PAGE)));
  test_gui_show_and_wait (GTK_WINDOW (window), 1000, 760);
  test_gui_save_screenshot (GTK_WIDGET (window), "preferences-providers.png");
  test_gui_destroy_and_check (GTK_WINDOW (window));
  g_settings_reset (settings, "market-providers");
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

  /* Retention periods (issue 19): the defaults shown, a change kept in the settings. */
  {
    GtkSpinButton *metrics = (GtkSpinButton *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PREFERENCES_WINDOW,
                                                                             "retention_metrics_spin");
    GtkSpinButton *raw = (GtkSpinButton *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PREFERENCES_WINDOW,
                                                                         "retention_raw_spin");
    GtkSpinButton *conversations = (GtkSpinButton *) gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                   SEXTANT_TYPE_PREFERENCES_WINDOW,
                                                                                   "retention_conversations_spin");

    g_assert_cmpint (gtk_spin_button_get_value_as_int (metrics), ==, 90);
    g_assert_cmpint (gtk_spin_button_get_value_as_int (raw), ==, 30);
    g_assert_cmpint (gtk_spin_button_get_value_as_int (conversations), ==, 0);
    gtk_spin_button_set_value (conversations, 365);
    g_assert_cmpuint (g_settings_get_uint (settings, "retention-conversations-days"), ==, 365);
    g_settings_reset (settings, "retention-conversations-days");
  }

  /* Region fallback and spending limits (issue 18). */
  {
    GtkWidget *fallback = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PREFERENCES_WINDOW,
                                                                      "fallback_row");
    GtkSpinButton *monthly = (GtkSpinButton *) gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                             SEXTANT_TYPE_PREFERENCES_WINDOW,
                                                                             "spending_monthly_spin");
    g_auto(GStrv) routes = NULL;

    gtk_editable_set_text (GTK_EDITABLE (fallback), " us-west-2, eu-west-1=global.anthropic.claude-sonnet-4-20250514-v1:0 ");
    g_signal_emit_by_name (fallback, "apply");
    routes = g_settings_get_strv (settings, "bedrock-fallback-routes");
    g_assert_cmpuint (g_strv_length (routes), ==, 2);
    g_assert_cmpstr (routes[0], ==, "us-west-2");
    g_assert_cmpstr (routes[1], ==, "eu-west-1=global.anthropic.claude-sonnet-4-20250514-v1:0");
    /* A typing error is not saved, and the row says so. */
    gtk_editable_set_text (GTK_EDITABLE (fallback), "us-west-2, Oregon");
    g_signal_emit_by_name (fallback, "apply");
    g_assert_true (gtk_widget_has_css_class (fallback, "error"));
    g_clear_pointer (&routes, g_strfreev);
    routes = g_settings_get_strv (settings, "bedrock-fallback-routes");
    g_assert_cmpuint (g_strv_length (routes), ==, 2);
    g_settings_reset (settings, "bedrock-fallback-routes");

    g_assert_cmpfloat (gtk_spin_button_get_value (monthly), ==, 0);
    gtk_spin_button_set_value (monthly, 25.5);
    g_assert_cmpfloat (g_settings_get_double (settings, "spending-limit-monthly"), ==, 25.5);
    g_settings_reset (settings, "spending-limit-monthly");
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
  /* Compared without g_assert_cmpstr(), which would print the key into the test log. */
  g_assert_true (g_strcmp0 (stored, key) == 0);
  test_gui_destroy_and_check (GTK_WINDOW (window));

  /* A new window reads it back from the keyring. */
  window = sextant_preferences_window_new (settings, secrets);
  test_gui_show_and_wait (GTK_WINDOW (window), 1000, 760);
  TEST_GUI_WAIT_FOR (!sextant_preferences_window_get_busy (window));
  row = sextant_preferences_window_get_secret_row (window, SEXTANT_SECRET_ALPHA_VANTAGE_KEY);
  if (g_strcmp0 (gtk_editable_get_text (row), key) != 0)
    {
      AdwActionRow *keyring_row = (AdwActionRow *) gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                 SEXTANT_TYPE_PREFERENCES_WINDOW,
                                                                                 "keyring_row");

      /* The stored key is removed first: a later test must not find it. */
      sextant_secret_store_clear_sync (secrets, SEXTANT_SECRET_ALPHA_VANTAGE_KEY, NULL, NULL);
      g_error ("A new Preferences window did not read the saved key back (its field is %s); the keyring said: %s",
               *gtk_editable_get_text (row) == '\0' ? "empty" : "different",
               adw_action_row_get_subtitle (keyring_row) != NULL ? adw_action_row_get_subtitle (keyring_row) : "nothing");
    }

  /* Applying an empty field removes the key. */
  gtk_editable_set_text (row, "");
  g_signal_emit_by_name (row, "apply");
  TEST_GUI_WAIT_FOR (!sextant_preferences_window_get_busy (window));
  g_clear_pointer (&stored, g_free);
  stored = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_ALPHA_VANTAGE_KEY, NULL, &error);
  g_assert_null (stored);
  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static const char *
row_subtitle (SextantPreferencesWindow *window,
              const char               *name)
{
  GObject *row = gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PREFERENCES_WINDOW, name);

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* Preferences says which region and credentials the assistant uses and where each comes from,
 * offers Bedrock's regions, and Test Connection asks the (fake) Bedrock with them: a region
 * whose signature the server does not accept is reported as a failure in that region. */
static void
test_preferences_connection (void)
{
  static const SextantSecretKey aws_keys[] = {
    SEXTANT_SECRET_AWS_ACCESS_KEY_ID, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY,
    SEXTANT_SECRET_AWS_SESSION_TOKEN, SEXTANT_SECRET_BEDROCK_API_KEY,
  };
  static const char *unset[] = {
    "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE",
    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL_BEDROCK",
  };
  FakeBedrockServer *server = fake_bedrock_server_new ("eu-west-3", "AKIDEXAMPLE",
                                                       "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  SextantPreferencesWindow *window;

  for (guint i = 0; i < G_N_ELEMENTS (aws_keys); i++)
    sextant_secret_store_clear_sync (sextant_workspace_get_secret_store (workspace), aws_keys[i], NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (unset); i++)
    g_unsetenv (unset[i]);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", missing, TRUE);
  g_setenv ("AWS_CONFIG_FILE", missing, TRUE);
  g_setenv ("AWS_ENDPOINT_URL", fake_bedrock_server_get_url (server), TRUE);
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", TRUE);
  fake_bedrock_server_set_catalogue (server,
                                     "{\"modelSummaries\":[{\"modelId\":\"anthropic.claude-3-haiku-20240307-v1:0\","
                                     "\"modelName\":\"Claude 3 Haiku\",\"providerName\":\"Anthropic\"},"
                                     "{\"modelId\":\"amazon.titan-embed-text-v2:0\",\"modelName\":\"Titan "
                                     "Text Embeddings V2\",\"providerName\":\"Amazon\"}]}",
                                     "{\"inferenceProfileSummaries\":[]}");
  g_settings_set_string (settings, "aws-region", "eu-west-3");
  g_settings_set_string (settings, "aws-profile", "");

  window = sextant_preferences_window_new (settings, sextant_workspace_get_secret_store (workspace));
  test_gui_show_and_wait (GTK_WINDOW (window), 1000, 760);
  TEST_GUI_WAIT_FOR (g_strcmp0 (row_subtitle (window, "used_region_row"), "eu-west-3, from settings") == 0);
  TEST_GUI_WAIT_FOR (g_str_has_prefix (row_subtitle (window, "used_credentials_row"), "From environment (AWS_ACCESS_KEY_ID)"));

  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PREFERENCES_WINDOW,
                                                        "test_button"), "clicked");
  TEST_GUI_WAIT_FOR (g_str_has_prefix (row_subtitle (window, "test_row"), "Connected"));
  g_assert_cmpstr (row_subtitle (window, "test_row"), ==, "Connected: 2 models in eu-west-3");

  /* The model for new conversations is the chat window's picker: the region's catalogue, the
   * price table, and any id typed in its list becomes the setting. */
  {
    GtkWidget *picker = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PREFERENCES_WINDOW, "model_picker"));
    GtkWidget *entry = GTK_WIDGET (gtk_widget_get_template_child (picker, SEXTANT_TYPE_MODEL_PICKER, "search_entry"));
    GtkLabel *status = GTK_LABEL (gtk_widget_get_template_child (picker, SEXTANT_TYPE_MODEL_PICKER, "status_label"));
    g_autofree char *model = g_settings_get_string (settings, "bedrock-model-id");
    g_autofree char *chosen = NULL;
    g_autofree char *description = NULL;

    g_assert_cmpstr (sextant_model_picker_get_model_id (SEXTANT_MODEL_PICKER (picker)), ==, model);
    gtk_menu_button_popup (GTK_MENU_BUTTON (gtk_widget_get_template_child (picker, SEXTANT_TYPE_MODEL_PICKER, "button")));
    TEST_GUI_WAIT_FOR (g_str_has_prefix (gtk_label_get_text (status), "Text models that Amazon Bedrock lists in eu-west-3"));
    gtk_editable_set_text (GTK_EDITABLE (entry), "anthropic.claude-3-haiku-20240307-v1:0");
    g_signal_emit_by_name (entry, "activate");
    chosen = g_settings_get_string (settings, "bedrock-model-id");
    g_assert_cmpstr (chosen, ==, "anthropic.claude-3-haiku-20240307-v1:0");
    description = sextant_model_picker_describe (SEXTANT_MODEL_PICKER (picker), chosen);
    g_assert_nonnull (strstr (description, "Available in eu-west-3 · $0.25 in, $1.25 out per million tokens"));
    g_settings_reset (settings, "bedrock-model-id");
  }
  test_gui_show_and_wait (GTK_WINDOW (window), 1000, 760);
  test_gui_save_screenshot (GTK_WIDGET (window), "preferences-connection.png");
  g_assert_cmpuint (fake_bedrock_server_get_n_bad_signatures (server), ==, 0);

  /* Chosen from the list of regions: shown at once as the region in use, and the server,
   * which accepts only eu-west-3 signatures, refuses it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.region", "s", "us-east-2"));
  {
    g_autofree char *region = g_settings_get_string (settings, "aws-region");

    g_assert_cmpstr (region, ==, "us-east-2");
  }
  TEST_GUI_WAIT_FOR (g_strcmp0 (row_subtitle (window, "used_region_row"), "us-east-2, from settings") == 0);
  TEST_GUI_WAIT_FOR (g_str_has_prefix (row_subtitle (window, "used_credentials_row"), "From "));
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PREFERENCES_WINDOW,
                                                        "test_button"), "clicked");
  TEST_GUI_WAIT_FOR (g_str_has_prefix (row_subtitle (window, "test_row"), "Failed"));
  g_assert_nonnull (strstr (row_subtitle (window, "test_row"), "Failed in us-east-2"));
  g_assert_nonnull (strstr (row_subtitle (window, "test_row"), "InvalidSignatureException"));

  /* The environment wins over the setting, as in the AWS tools, and Preferences says so. */
  g_setenv ("AWS_REGION", "ap-southeast-2", TRUE);
  g_settings_set_string (settings, "aws-region", "eu-west-3");
  TEST_GUI_WAIT_FOR (g_strcmp0 (row_subtitle (window, "used_region_row"), "ap-southeast-2, from AWS_REGION") == 0);

  test_gui_destroy_and_check (GTK_WINDOW (window));
  g_unsetenv ("AWS_REGION");
  g_unsetenv ("AWS_ENDPOINT_URL");
  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_settings_reset (settings, "aws-region");
  fake_bedrock_server_free (server);
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

/* The About window's comments are Pango markup (AdwAboutWindow:comments): an unescaped "&" (in
 * "S&P 500") made GTK refuse the whole text, leaving the description blank with only a warning.
 * Opened through the app action, as from the menu; so is Assistant Monitoring (one application
 * per test process). */
static void
test_about_window (void)
{
  g_autoptr(SextantApplication) application = sextant_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *comments = NULL;
  GtkWindow *about = NULL;
  GtkWindow *monitoring = NULL;
  g_auto(GStrv) accels = NULL;
  guint n_monitoring = 0;
  GtkWidget *label;
  GList *toplevels;

  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (application), "about", NULL);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_ABOUT_WINDOW (l->data))
      about = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (about);

  g_object_get (about, "comments", &comments, NULL);
  pango_parse_markup (comments, -1, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  test_gui_show_and_wait (about, 500, 600);
  /* What is drawn: the label's text with the markup applied, "&amp;" shown as "&". */
  label = test_gui_find (GTK_WIDGET (about), is_label_with_text, "Demo data: S&P 500 (vega-datasets");
  g_assert_nonnull (label);
  test_gui_destroy_and_check (about);

  /* Assistant Monitoring from the main menu's action and its shortcut, Ctrl+4: one window,
   * shown again rather than doubled when asked for twice. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (application), "app.monitoring");
  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "<Control>4");
  g_action_group_activate_action (G_ACTION_GROUP (application), "monitoring", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (application), "monitoring", NULL);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (SEXTANT_IS_MONITORING_WINDOW (l->data))
      {
        monitoring = l->data;
        n_monitoring++;
      }
  g_list_free (toplevels);
  g_assert_cmpuint (n_monitoring, ==, 1);
  test_gui_show_and_wait (monitoring, 1100, 800);
  g_assert_true (gtk_window_get_application (monitoring) == GTK_APPLICATION (application));
  test_gui_destroy_and_check (monitoring);
  g_application_quit (G_APPLICATION (application));
}

/* The resource holds the app icon as PNGs at 128 and 256 px (the chat's empty page shows it at
 * 128, times 1 or 2) so that the first window does not load librsvg and libxml2 (about 8 MB of
 * memory and their start-up time). They must be the SVG drawn at that size, pixel for pixel:
 * regenerate them with gdk_pixbuf_new_from_file_at_scale() and gdk_pixbuf_save() when the SVG
 * changes. */
static void
test_app_icon_pngs (void)
{
  static const int sizes[] = { 128, 256 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *png_path = g_strdup_printf (RESOURCE_PREFIX "icons/%dx%d/apps/" APP_ID ".png",
                                                   sizes[i], sizes[i]);
      g_autoptr(GdkPixbuf) svg = NULL;
      g_autoptr(GdkPixbuf) png = NULL;
      g_autoptr(GBytes) svg_pixels = NULL;
      g_autoptr(GBytes) png_pixels = NULL;
      g_autoptr(GError) error = NULL;

      svg = gdk_pixbuf_new_from_resource_at_scale (RESOURCE_PREFIX "icons/scalable/apps/" APP_ID ".svg",
                                                   sizes[i], sizes[i], TRUE, &error);
      g_assert_no_error (error);
      png = gdk_pixbuf_new_from_resource (png_path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (png), ==, gdk_pixbuf_get_width (svg));
      g_assert_cmpint (gdk_pixbuf_get_height (png), ==, gdk_pixbuf_get_height (svg));
      g_assert_cmpint (gdk_pixbuf_get_rowstride (png), ==, gdk_pixbuf_get_rowstride (svg));
      svg_pixels = gdk_pixbuf_read_pixel_bytes (svg);
      png_pixels = gdk_pixbuf_read_pixel_bytes (png);
      g_assert_true (g_bytes_equal (png_pixels, svg_pixels));
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

  g_test_add_func ("/sextant/gui/app-icon-pngs", test_app_icon_pngs);
  g_test_add_func ("/sextant/gui/chat-window", test_chat_window);
  g_test_add_func ("/sextant/gui/encryption-dialog", test_encryption_dialog);
  g_test_add_func ("/sextant/gui/bond-dialog", test_bond_dialog);
  g_test_add_func ("/sextant/gui/portfolio-window", test_portfolio_window);
  g_test_add_func ("/sextant/gui/risk-window", test_risk_window);
  g_test_add_func ("/sextant/gui/preferences-settings", test_preferences_settings);
  g_test_add_func ("/sextant/gui/preferences-providers", test_preferences_providers);
  g_test_add_func ("/sextant/gui/preferences-keyring", test_preferences_keyring);
  g_test_add_func ("/sextant/gui/preferences-connection", test_preferences_connection);
  g_test_add_func ("/sextant/gui/about-window", test_about_window);

  status = g_test_run ();
  g_clear_object (&workspace);

  return status;
}
