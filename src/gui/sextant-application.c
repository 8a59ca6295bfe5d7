#define G_LOG_DOMAIN "sextant-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "sextant-application.h"
#include "sextant-chart-view.h"
#include "sextant-chat-window.h"
#include "sextant-backup-scheduler.h"
#include "sextant-encryption-dialog.h"
#include "sextant-monitoring-window.h"
#include "sextant-portfolio-window.h"
#include "sextant-preferences-window.h"
#include "sextant-risk-window.h"

struct _SextantApplication
{
  AdwApplication    parent_instance;
  GSettings        *settings;
  SextantWorkspace *workspace;
  gint64            started_at;
  guint             expiry_check_id;
  guint             retention_id;
  SextantBackupScheduler *backup_scheduler;
  SextantSessionExpiry last_expiry;
};

G_DEFINE_FINAL_TYPE (SextantApplication, sextant_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "chat", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open a chat window"), NULL },
  { "portfolio", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open a portfolio optimization window"), NULL },
  { "risk", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open a risk dashboard"), NULL },
  { NULL }
};

SextantApplication *
sextant_application_new (void)
{
  return g_object_new (SEXTANT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/sextantdesk/Sextant",
                       NULL);
}

static void
sextant_application_finalize (GObject *object)
{
  SextantApplication *self = (SextantApplication *)object;

  g_clear_handle_id (&self->expiry_check_id, g_source_remove);
  g_clear_handle_id (&self->retention_id, g_source_remove);
  g_clear_object (&self->backup_scheduler);
  g_clear_object (&self->settings);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (sextant_application_parent_class)->finalize (object);
}

static void
demo_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SextantApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sextant_workspace_load_demo_finish (SEXTANT_WORKSPACE (object), result, &error))
    g_warning ("%s", error->message);
}

/* The startup benchmark (tests/bench/bench-startup.c) sets SEXTANT_EXIT_AFTER_FIRST_FRAME or
 * SEXTANT_EXIT_WHEN_USABLE: the app prints how long it took from main() to the first painted
 * frame of its first window (`first-frame-ms N`), or to the first frame that shows the window
 * usable (`usable-ms N`), then quits. */
static void
print_and_quit (SextantApplication *self,
                const char         *what)
{
  printf ("%s %.3f\n", what, (g_get_monotonic_time () - self->started_at) / 1000.0);
  fflush (stdout);
  g_application_quit (G_APPLICATION (self));
}

static void
first_frame_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, user_data);
  print_and_quit (SEXTANT_APPLICATION (user_data), "first-frame-ms");
}

static GtkWidget *
find_mapped_chart_view (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (SEXTANT_IS_CHART_VIEW (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mapped_chart_view (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A window is usable once the demo data is in it and its first chart on screen, if it shows
 * one, has something to draw. Checked after the frame's layout, so what is true here is what
 * the frame's paint draws. */
static void
usable_layout_cb (GdkFrameClock *clock,
                  gpointer       user_data)
{
  GtkWidget *window = user_data;
  SextantApplication *self = SEXTANT_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));
  GtkWidget *chart;

  if (self == NULL || !sextant_workspace_get_demo_loaded (self->workspace))
    return;
  chart = find_mapped_chart_view (window);
  if (chart != NULL && !sextant_chart_view_has_chart (SEXTANT_CHART_VIEW (chart)))
    return;

  g_object_set_data (G_OBJECT (window), "sextant-usable-frame", GINT_TO_POINTER (TRUE));
}

static void
usable_after_paint_cb (GdkFrameClock *clock,
                       gpointer       user_data)
{
  GtkWidget *window = user_data;

  if (g_object_get_data (G_OBJECT (window), "sextant-usable-frame") == NULL)
    return;

  g_signal_handlers_disconnect_by_func (clock, usable_layout_cb, user_data);
  g_signal_handlers_disconnect_by_func (clock, usable_after_paint_cb, user_data);
  print_and_quit (SEXTANT_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))),
                  "usable-ms");
}

/* Frames are only drawn when something changed: the data arriving queues one. */
static void
usable_demo_loaded_cb (GtkWidget *window)
{
  gtk_widget_queue_draw (window);
}

static void
window_mapped_cb (GtkWidget *widget,
                  gpointer   user_data)
{
  SextantApplication *self = user_data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, window_mapped_cb, user_data);
  if (g_getenv ("SEXTANT_EXIT_WHEN_USABLE") == NULL)
    {
      g_signal_connect (clock, "after-paint", G_CALLBACK (first_frame_cb), self);
      return;
    }

  g_signal_connect_object (clock, "layout", G_CALLBACK (usable_layout_cb), widget,
                           G_CONNECT_AFTER);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (usable_after_paint_cb), widget, 0);
  g_signal_connect_object (self->workspace, "notify::demo-loaded",
                           G_CALLBACK (usable_demo_loaded_cb), widget, G_CONNECT_SWAPPED);
}

static void
watch_first_frame (SextantApplication *self,
                   GtkWindow          *window)
{
  if (g_getenv ("SEXTANT_EXIT_AFTER_FIRST_FRAME") == NULL &&
      g_getenv ("SEXTANT_EXIT_WHEN_USABLE") == NULL)
    return;

  g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), self);
}

GtkWindow *
sextant_application_open_chat (SextantApplication *self)
{
  GtkWindow *window;

  g_return_val_if_fail (SEXTANT_IS_APPLICATION (self), NULL);

  window = GTK_WINDOW (sextant_chat_window_new (GTK_APPLICATION (self), self->workspace));
  watch_first_frame (self, window);
  gtk_window_present (window);

  return window;
}

GtkWindow *
sextant_application_open_portfolio (SextantApplication *self)
{
  GtkWindow *window;

  g_return_val_if_fail (SEXTANT_IS_APPLICATION (self), NULL);

  window = GTK_WINDOW (sextant_portfolio_window_new (GTK_APPLICATION (self), self->workspace));
  watch_first_frame (self, window);
  gtk_window_present (window);

  return window;
}

GtkWindow *
sextant_application_open_risk (SextantApplication *self)
{
  GtkWindow *window;

  g_return_val_if_fail (SEXTANT_IS_APPLICATION (self), NULL);

  window = GTK_WINDOW (sextant_risk_window_new (GTK_APPLICATION (self), self->workspace));
  watch_first_frame (self, window);
  gtk_window_present (window);

  return window;
}

/**
 * sextant_application_ask_assistant:
 * @self: the application
 * @role: (nullable): the assistant's role (%SEXTANT_ROLE_PORTFOLIO_MANAGER, …), or %NULL for
 *   the user's default
 * @draft: the question, left in the composer for the user to edit and send
 *
 * Opens a chat window on a new conversation with @draft waiting in it: nothing is sent.
 *
 * Returns: (transfer none): the chat window
 */
GtkWindow *
sextant_application_ask_assistant (SextantApplication *self,
                                   const char         *role,
                                   const char         *draft)
{
  SextantChatWindow *window;

  g_return_val_if_fail (SEXTANT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  window = sextant_chat_window_new (GTK_APPLICATION (self), self->workspace);
  if (role != NULL)
    sextant_chat_window_set_role (window, role);
  sextant_chat_window_set_draft (window, draft);
  watch_first_frame (self, GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));

  return GTK_WINDOW (window);
}

static void
sextant_application_activate (GApplication *app)
{
  SextantApplication *self = SEXTANT_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_window_present (window);
  else
    sextant_application_open_chat (self);
}

static int
sextant_application_command_line (GApplication            *app,
                                  GApplicationCommandLine *command_line)
{
  SextantApplication *self = SEXTANT_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  gboolean opened = FALSE;

  if (g_variant_dict_contains (options, "chat"))
    opened = sextant_application_open_chat (self) != NULL;
  if (g_variant_dict_contains (options, "portfolio"))
    opened = sextant_application_open_portfolio (self) != NULL;
  if (g_variant_dict_contains (options, "risk"))
    opened = sextant_application_open_risk (self) != NULL;
  if (!opened)
    g_application_activate (app);

  return 0;
}

static void
new_chat_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  sextant_application_open_chat (SEXTANT_APPLICATION (user_data));
}

static void
new_portfolio_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  sextant_application_open_portfolio (SEXTANT_APPLICATION (user_data));
}

static void
new_risk_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  sextant_application_open_risk (SEXTANT_APPLICATION (user_data));
}

static void
monitoring_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  SextantApplication *self = user_data;

  sextant_monitoring_window_present_for (GTK_APPLICATION (self), self->workspace);
}

/* For any window: app.ask-assistant('question') opens a chat with the question as its draft,
 * the assistant in the portfolio manager's role, whose questions these are. */
static void
ask_assistant_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  sextant_application_ask_assistant (SEXTANT_APPLICATION (user_data), SEXTANT_ROLE_PORTFOLIO_MANAGER,
                                     g_variant_get_string (parameter, NULL));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  SextantApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  SextantPreferencesWindow *preferences;

  preferences = sextant_preferences_window_new (self->settings,
                                                sextant_workspace_get_secret_store (self->workspace));
  sextant_preferences_window_set_workspace (preferences, self->workspace);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  SextantApplication *self = user_data;
  static const char *developers[] = { "The Sextant developers", NULL };
  g_autofree char *comments = NULL;
  GtkWindow *about;

  /* AdwAboutWindow shows the comments as Pango markup: escaped here, so that neither the "&" of
   * "S&P 500" nor a translation's punctuation can make the label fail to render. */
  comments = g_markup_escape_text (_("Portfolio optimization, risk and an analyst assistant. "
                                     "Demo data: S&P 500 (vega-datasets, BSD-3-Clause) and Dow "
                                     "Jones 30 (R package fBasics, GPL-2.0-or-later)."), -1);

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", "Sextant",
                        "application-icon", APP_ID,
                        "developer-name", _("The Sextant developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/sextantdesk/sextant",
                        "issue-url", "https://github.com/sextantdesk/sextant/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your name here, one per line */
                        "translator-credits", _("translator-credits"),
                        "comments", comments,
                        NULL);
  gtk_window_present (about);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "new-chat", new_chat_action },
  { "new-portfolio", new_portfolio_action },
  { "new-risk", new_risk_action },
  { "monitoring", monitoring_action },
  { "ask-assistant", ask_assistant_action, "s" },
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
};

/* Checks the saved session token's expiry once a minute and tells the user once per change of
 * state: a quarter of an hour ahead, and when it has expired. */
static gboolean
check_session_expiry_cb (gpointer user_data)
{
  SextantApplication *self = user_data;
  gint64 expires_at = g_settings_get_int64 (self->settings, "session-token-expiry");
  gint64 left = 0;
  SextantSessionExpiry state;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  state = sextant_session_expiry_classify (expires_at, g_get_real_time () / G_USEC_PER_SEC, &left);
  if (state == self->last_expiry)
    return G_SOURCE_CONTINUE;
  self->last_expiry = state;

  if (state == SEXTANT_SESSION_EXPIRY_SOON)
    {
      notification = g_notification_new (_("AWS Session Token Expires Soon"));
      /* Translators: %d is a number of minutes */
      body = g_strdup_printf (ngettext ("It expires in %d minute. Enter a new one in Preferences.",
                                        "It expires in %d minutes. Enter a new one in Preferences.",
                                        (int) ((left + 59) / 60)),
                              (int) ((left + 59) / 60));
    }
  else if (state == SEXTANT_SESSION_EXPIRY_EXPIRED)
    {
      notification = g_notification_new (_("AWS Session Token Expired"));
      body = g_strdup (_("The assistant answers offline until you enter a new one in Preferences."));
    }
  else
    {
      g_application_withdraw_notification (G_APPLICATION (self), "session-token-expiry");
      return G_SOURCE_CONTINUE;
    }

  g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.preferences");
  g_application_send_notification (G_APPLICATION (self), "session-token-expiry", notification);

  return G_SOURCE_CONTINUE;
}

static void
color_scheme_changed_cb (SextantApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK,
  };
  guint index = g_settings_get_enum (self->settings, "color-scheme");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      schemes[MIN (index, G_N_ELEMENTS (schemes) - 1)]);
}

static void
retention_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SextantRetentionReport report;
  g_autoptr(GError) error = NULL;

  if (!sextant_workspace_apply_retention_finish (SEXTANT_WORKSPACE (object), result, &report, &error))
    g_debug ("Retention not applied: %s", error->message);
  else
    g_debug ("Retention removed %" G_GINT64_FORMAT " conversations, %" G_GINT64_FORMAT " invocation records, "
             "%" G_GINT64_FORMAT " raw responses, %" G_GINT64_FORMAT " log files; %" G_GINT64_FORMAT " pages freed",
             report.conversations, report.metrics, report.raw_responses, report.log_files, report.pages_freed);
}

/* Expiry runs a while after the start (not to compete with the first windows), then daily; a
 * history being encrypted or read-only is left alone. */
static gboolean
apply_retention_cb (gpointer data)
{
  SextantApplication *self = data;
  SextantEncryptionState state = sextant_workspace_get_encryption_state (self->workspace);
  SextantRetention retention = {
    .conversations_days = g_settings_get_uint (self->settings, "retention-conversations-days"),
    .metrics_days = g_settings_get_uint (self->settings, "retention-metrics-days"),
    .raw_days = g_settings_get_uint (self->settings, "retention-raw-days"),
    .logs_days = g_settings_get_uint (self->settings, "retention-logs-days"),
  };

  self->retention_id = g_timeout_add_seconds (24 * 3600, apply_retention_cb, self);
  if (sextant_workspace_get_store (self->workspace) != NULL && state != SEXTANT_ENCRYPTION_MIGRATING &&
      !sextant_encryption_state_is_read_only (state))
    sextant_workspace_apply_retention_async (self->workspace, &retention, retention_done_cb, NULL);

  return G_SOURCE_REMOVE;
}

/* A failed daily backup is said once, until one succeeds again. */
static void
backup_finished_cb (SextantApplication *self,
                    const char         *path,
                    const GError       *error)
{
  g_autoptr(GNotification) notification = NULL;

  if (error == NULL)
    {
      g_application_withdraw_notification (G_APPLICATION (self), "backup-failed");
      return;
    }
  notification = g_notification_new (_("Daily Backup Failed"));
  g_notification_set_body (notification, error->message);
  g_notification_set_default_action (notification, "app.preferences");
  g_application_send_notification (G_APPLICATION (self), "backup-failed", notification);
}

static void
sextant_application_startup (GApplication *app)
{
  SextantApplication *self = SEXTANT_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *chat_accels[] = { "<Control>1", NULL };
  static const char *portfolio_accels[] = { "<Control>2", NULL };
  static const char *risk_accels[] = { "<Control>3", NULL };
  static const char *monitoring_accels[] = { "<Control>4", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (sextant_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-chat", chat_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-portfolio",
                                         portfolio_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-risk", risk_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.monitoring", monitoring_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);

  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (color_scheme_changed_cb), self, G_CONNECT_SWAPPED);
  color_scheme_changed_cb (self);

  check_session_expiry_cb (self);
  self->expiry_check_id = g_timeout_add_seconds (60, check_session_expiry_cb, self);
  g_signal_connect_object (self->settings, "changed::session-token-expiry",
                           G_CALLBACK (check_session_expiry_cb), self, G_CONNECT_SWAPPED);

  /* Demo data loads off the main thread so the first frame is not held up; windows fill in
   * when the workspace says it is ready. */
  sextant_workspace_load_demo_async (self->workspace, NULL, demo_loaded_cb, g_object_ref (self));
  sextant_workspace_open_store (self->workspace, NULL);
  /* A history still clear (the first start since encryption at rest came, or an interrupted
   * migration) is encrypted now, its progress shown. */
  if (sextant_workspace_get_encryption_state (self->workspace) == SEXTANT_ENCRYPTION_MIGRATING)
    {
      SextantEncryptionDialog *dialog = sextant_encryption_dialog_new (GTK_APPLICATION (self), self->workspace);

      gtk_window_present (GTK_WINDOW (dialog));
      sextant_encryption_dialog_start (dialog);
    }
  self->retention_id = g_timeout_add_seconds (60, apply_retention_cb, self);
  self->backup_scheduler = sextant_backup_scheduler_new (self->settings, self->workspace);
  g_signal_connect_object (self->backup_scheduler, "finished", G_CALLBACK (backup_finished_cb), self,
                           G_CONNECT_SWAPPED);
  sextant_backup_scheduler_start (self->backup_scheduler, 120);
}

static void
sextant_application_class_init (SextantApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sextant_application_finalize;
  app_class->activate = sextant_application_activate;
  app_class->startup = sextant_application_startup;
  app_class->command_line = sextant_application_command_line;
}

static void
sextant_application_init (SextantApplication *self)
{
  self->started_at = g_get_monotonic_time ();
  self->settings = g_settings_new (APP_ID);
  self->workspace = sextant_workspace_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

SextantWorkspace *
sextant_application_get_workspace (SextantApplication *self)
{
  g_return_val_if_fail (SEXTANT_IS_APPLICATION (self), NULL);

  return self->workspace;
}

GSettings *
sextant_application_get_settings (SextantApplication *self)
{
  g_return_val_if_fail (SEXTANT_IS_APPLICATION (self), NULL);

  return self->settings;
}
