#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sextant-chat-window.h"
#include "sextant-portfolio-window.h"
#include "sextant-preferences-window.h"
#include "sextant-risk-window.h"
#include "sextant-test-util.h"

static SextantWorkspace *workspace;

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @condition holds, failing the test after 10 s. */
#define WAIT_FOR(condition)                                                         \
  G_STMT_START {                                                                    \
    gboolean __timed_out = FALSE;                                                   \
    guint __id = g_timeout_add_seconds (10, timeout_cb, &__timed_out);              \
    while (!(condition) && !__timed_out)                                            \
      g_main_context_iteration (NULL, TRUE);                                        \
    if (__timed_out)                                                                \
      g_error ("Timed out waiting for %s", #condition);                             \
    g_source_remove (__id);                                                         \
  } G_STMT_END

static void
save_screenshot (GtkWidget  *window,
                 const char *file_name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = sextant_test_output_path (file_name);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  GtkWidget *content;
  GdkRGBA background;
  int width, height;

  /* A toplevel draws nothing through GtkWidgetPaintable; its first mapped child is the whole
   * visible window (header bar included) without the client-side shadow. */
  content = gtk_widget_get_first_child (window);
  while (content != NULL && !gtk_widget_get_mapped (content))
    content = gtk_widget_get_next_sibling (content);
  g_assert_nonnull (content);

  g_test_message ("screenshot of %s", G_OBJECT_TYPE_NAME (content));
  width = gtk_widget_get_width (content);
  height = gtk_widget_get_height (content);
  /* The window's own background is drawn by the toplevel, so paint libadwaita's window colour
   * under the content. */
  gdk_rgba_parse (&background, adw_style_manager_get_dark (adw_style_manager_get_default ())
                               ? "#242424" : "#fafafa");
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  paintable = gtk_widget_paintable_new (content);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  guint *n_frames = user_data;

  (*n_frames)++;
}

static void
show_and_wait (GtkWindow *window)
{
  GdkFrameClock *clock;
  guint n_frames = 0;
  gulong handler;

  gtk_window_set_default_size (window, 1000, 760);
  gtk_window_present (window);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
            gtk_widget_get_width (GTK_WIDGET (window)) > 0);

  /* Two painted frames: the first may still run size negotiation of late-bound content. */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &n_frames);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  WAIT_FOR (n_frames >= 1);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  WAIT_FOR (n_frames >= 2);
  g_signal_handler_disconnect (clock, handler);
}

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
destroy_and_check_finalized (GtkWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (window);
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (window);
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
  show_and_wait (GTK_WINDOW (window));
  /* The welcome page offers the offline analyst's three example requests; the last names the
   * demo portfolio of data/demo/demo-portfolio.json. */
  examples = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_CHAT_WINDOW,
                                                          "examples_box");
  g_assert_cmpint (count_children (examples), ==, 3);
  button = gtk_widget_get_last_child (examples);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "VaR of portfolio Dow Blue Chips (demo)");
  g_assert_cmpuint (g_list_model_get_n_items (sextant_chat_window_get_messages (window)), ==, 0);
  save_screenshot (GTK_WIDGET (window), "chat-window.png");
  destroy_and_check_finalized (GTK_WINDOW (window));
}

static void
test_portfolio_window (void)
{
  SextantPortfolioWindow *window = sextant_portfolio_window_new (NULL, workspace);
  GtkWidget *list;
  GtkLabel *total;

  show_and_wait (GTK_WINDOW (window));
  list = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW,
                                        "holdings_list");
  total = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                    SEXTANT_TYPE_PORTFOLIO_WINDOW, "total_label"));
  /* data/demo/demo-portfolio.json holds ten stocks worth 135,455 at the 2001-01-02 closes
   * (worked out by hand in tests/test-demo-data.c). */
  g_assert_cmpint (count_children (list), ==, 10);
  g_assert_nonnull (strstr (gtk_label_get_text (total), "135"));
  g_assert_nonnull (strstr (gtk_label_get_text (total), "455.00"));
  save_screenshot (GTK_WIDGET (window), "portfolio-window.png");
  destroy_and_check_finalized (GTK_WINDOW (window));
}

static void
test_risk_window (void)
{
  SextantRiskWindow *window = sextant_risk_window_new (NULL, workspace);
  GtkWidget *list;

  show_and_wait (GTK_WINDOW (window));
  /* The figures are computed in a thread that holds the window until it returns. */
  WAIT_FOR (!sextant_risk_window_get_busy (window));
  list = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_RISK_WINDOW,
                                        "instruments_list");
  /* The S&P 500 plus the 30 Dow Jones stocks. */
  g_assert_cmpint (count_children (list), ==, 31);
  save_screenshot (GTK_WIDGET (window), "risk-window.png");
  destroy_and_check_finalized (GTK_WINDOW (window));
}

static void
test_preferences_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  SextantPreferencesWindow *window;
  GtkWidget *region_row;

  window = sextant_preferences_window_new (settings, sextant_workspace_get_secret_store (workspace));
  show_and_wait (GTK_WINDOW (window));
  WAIT_FOR (!sextant_preferences_window_get_busy (window));

  region_row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PREFERENCES_WINDOW,
                                              "region_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (region_row)), ==, "us-east-1");
  gtk_editable_set_text (GTK_EDITABLE (region_row), " eu-central-1 ");
  g_signal_emit_by_name (region_row, "apply");
  {
    g_autofree char *region = g_settings_get_string (settings, "aws-region");

    g_assert_cmpstr (region, ==, "eu-central-1");
  }
  destroy_and_check_finalized (GTK_WINDOW (window));
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
  show_and_wait (GTK_WINDOW (window));
  WAIT_FOR (!sextant_preferences_window_get_busy (window));

  row = sextant_preferences_window_get_secret_row (window, SEXTANT_SECRET_ALPHA_VANTAGE_KEY);
  gtk_editable_set_text (row, key);
  g_signal_emit_by_name (row, "apply");
  WAIT_FOR (!sextant_preferences_window_get_busy (window));

  g_clear_pointer (&stored, g_free);
  stored = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_ALPHA_VANTAGE_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, key);
  destroy_and_check_finalized (GTK_WINDOW (window));

  /* A new window reads it back from the keyring. */
  window = sextant_preferences_window_new (settings, secrets);
  show_and_wait (GTK_WINDOW (window));
  WAIT_FOR (!sextant_preferences_window_get_busy (window));
  row = sextant_preferences_window_get_secret_row (window, SEXTANT_SECRET_ALPHA_VANTAGE_KEY);
  g_assert_cmpstr (gtk_editable_get_text (row), ==, key);

  /* Applying an empty field removes the key. */
  gtk_editable_set_text (row, "");
  g_signal_emit_by_name (row, "apply");
  WAIT_FOR (!sextant_preferences_window_get_busy (window));
  g_clear_pointer (&stored, g_free);
  stored = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_ALPHA_VANTAGE_KEY, NULL, &error);
  g_assert_null (stored);
  destroy_and_check_finalized (GTK_WINDOW (window));
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

  g_test_add_func ("/sextant/gui/chat-window", test_chat_window);
  g_test_add_func ("/sextant/gui/portfolio-window", test_portfolio_window);
  g_test_add_func ("/sextant/gui/risk-window", test_risk_window);
  g_test_add_func ("/sextant/gui/preferences-settings", test_preferences_settings);
  g_test_add_func ("/sextant/gui/preferences-keyring", test_preferences_keyring);

  status = g_test_run ();
  g_clear_object (&workspace);

  return status;
}
