#define G_LOG_DOMAIN "sextant-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sextant-backup-group.h"
#include "sextant-model-picker.h"
#include "sextant-preferences-window.h"

struct _SextantPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  SextantSecretStore   *secret_store;
  GCancellable         *cancellable;
  guint                 n_pending;

  AdwPreferencesGroup  *keyring_group;
  AdwActionRow         *keyring_row;
  AdwEntryRow          *region_row;
  SextantModelPicker   *model_picker;
  SextantModelPrices   *prices;
  AdwEntryRow          *profile_row;
  AdwEntryRow          *fallback_row;
  AdwComboRow          *auth_row;
  AdwEntryRow          *access_key_row;
  AdwEntryRow          *secret_key_row;
  AdwEntryRow          *session_token_row;
  AdwEntryRow          *expiry_row;
  AdwEntryRow          *api_key_row;
  AdwEntryRow          *alpha_vantage_row;
  AdwEntryRow          *finnhub_row;
  AdwEntryRow          *stooq_row;
  AdwEntryRow          *fred_row;
  AdwPreferencesGroup  *providers_group;
  AdwPreferencesPage   *privacy_page;
  SextantBackupGroup   *backup_group;
  GtkSpinButton        *retention_conversations_spin;
  GtkSpinButton        *retention_metrics_spin;
  GtkSpinButton        *retention_raw_spin;
  GtkSpinButton        *retention_logs_spin;
  GtkSpinButton        *spending_monthly_spin;
  GtkSpinButton        *spending_conversation_spin;
  AdwEntryRow          *batch_queue_row;
  AdwEntryRow          *batch_definition_row;
  AdwEntryRow          *batch_bucket_row;
  GtkSpinButton        *batch_shards_spin;
  GtkSpinButton        *batch_price_spin;
  GPtrArray            *provider_rows;     /* AdwActionRow, as shown */
  guint                 providers_idle;
  GtkSwitch            *yahoo_switch;
  AdwComboRow          *color_scheme_row;
  AdwActionRow         *used_region_row;
  AdwActionRow         *used_credentials_row;
  AdwActionRow         *test_row;
  GtkSpinner           *test_spinner;
  GtkButton            *test_button;
  GCancellable         *connection_cancellable;
  SextantBedrockClient *client;               /* what the settings connect to, for Test */
  guint                 connection_idle;

  AdwEntryRow          *secret_rows[SEXTANT_SECRET_N_KEYS];
};

enum { PROP_0, PROP_SETTINGS, PROP_SECRET_STORE, PROP_BUSY, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantPreferencesWindow, sextant_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const auth_nicks[] = { "access-keys", "api-key", NULL };
static const char * const color_scheme_nicks[] = { "default", "light", "dark", NULL };

typedef struct
{
  SextantPreferencesWindow *self;
  SextantSecretKey          key;
  gboolean                  clearing;
} SecretCall;

static void
toast (SextantPreferencesWindow *self,
       const char               *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static void
pending_changed (SextantPreferencesWindow *self,
                 int                       delta)
{
  gboolean was_busy = self->n_pending > 0;

  self->n_pending += delta;
  if (was_busy != (self->n_pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

/* No keyring is not fatal: the user is told once, here, and every other source still works. */
static void
show_secret_error (SextantPreferencesWindow *self,
                   const GError             *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  adw_action_row_set_subtitle (self->keyring_row, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_group), TRUE);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SecretCall *call = user_data;
  g_autoptr(SextantPreferencesWindow) self = call->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  value = sextant_secret_store_lookup_finish (SEXTANT_SECRET_STORE (object), result, &error);
  pending_changed (self, -1);
  if (error != NULL)
    show_secret_error (self, error);
  else if (value != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->secret_rows[call->key]), value);
  g_free (call);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SecretCall *call = user_data;
  g_autoptr(SextantPreferencesWindow) self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (call->clearing)
    ok = sextant_secret_store_clear_finish (SEXTANT_SECRET_STORE (object), result, &error);
  else
    ok = sextant_secret_store_save_finish (SEXTANT_SECRET_STORE (object), result, &error);
  pending_changed (self, -1);

  if (!ok)
    {
      show_secret_error (self, error);
      toast (self, _("The key was not saved; what you typed is still in the field"));
    }
  else
    toast (self, call->clearing ? _("Key removed from the keyring") : _("Key saved in the keyring"));
  g_free (call);
}

static void
secret_row_apply_cb (AdwEntryRow              *row,
                     SextantPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  SecretCall *call = g_new0 (SecretCall, 1);

  call->self = g_object_ref (self);
  call->key = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "sextant-secret-key"));
  call->clearing = text == NULL || *text == '\0';
  pending_changed (self, +1);

  if (call->clearing)
    sextant_secret_store_clear_async (self->secret_store, call->key, self->cancellable, save_cb,
                                      call);
  else
    sextant_secret_store_save_async (self->secret_store, call->key, text, self->cancellable,
                                     save_cb, call);
}

static void
load_secrets (SextantPreferencesWindow *self)
{
  for (guint key = 0; key < SEXTANT_SECRET_N_KEYS; key++)
    {
      SecretCall *call = g_new0 (SecretCall, 1);

      call->self = g_object_ref (self);
      call->key = key;
      pending_changed (self, +1);
      sextant_secret_store_lookup_async (self->secret_store, key, self->cancellable, lookup_cb,
                                         call);
    }
}

static void
settings_row_apply_cb (AdwEntryRow              *row,
                       SextantPreferencesWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "sextant-settings-key");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  g_settings_set_string (self->settings, key, text);
}

/* The `bedrock-fallback-routes` list as one line: entries REGION or REGION=MODEL, in order. */
static void
show_fallbacks (SextantPreferencesWindow *self)
{
  g_auto(GStrv) routes = g_settings_get_strv (self->settings, "bedrock-fallback-routes");
  g_autofree char *text = g_strjoinv (", ", routes);

  gtk_editable_set_text (GTK_EDITABLE (self->fallback_row), text);
}

static void
fallback_row_apply_cb (AdwEntryRow              *row,
                       SextantPreferencesWindow *self)
{
  g_auto(GStrv) parts = g_regex_split_simple ("[,\\s]+", gtk_editable_get_text (GTK_EDITABLE (row)), 0, 0);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) routes = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      if (!g_regex_match_simple ("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}(=[A-Za-z0-9.:/_-]+)?$", parts[i], 0, 0))
        {
          /* Left unsaved and marked, so a typing error is not taken for a region. */
          gtk_widget_add_css_class (GTK_WIDGET (row), "error");
          return;
        }
      g_strv_builder_add (builder, parts[i]);
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  routes = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "bedrock-fallback-routes", (const char * const *) routes);
}

static void
expiry_row_apply_cb (AdwEntryRow              *row,
                     SextantPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  int y, mo, d, h = 0, mi = 0;
  g_autoptr(GDateTime) when = NULL;

  if (*text == '\0')
    {
      g_settings_set_int64 (self->settings, "session-token-expiry", 0);
      return;
    }
  if (sscanf (text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi) < 3 ||
      (when = g_date_time_new_utc (y, mo, d, h, mi, 0)) == NULL)
    {
      toast (self, _("Write the expiry as YYYY-MM-DD HH:MM in UTC"));
      return;
    }

  g_settings_set_int64 (self->settings, "session-token-expiry", g_date_time_to_unix (when));
}

static void
show_expiry (SextantPreferencesWindow *self)
{
  gint64 expiry = g_settings_get_int64 (self->settings, "session-token-expiry");
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = NULL;

  if (expiry <= 0 || (when = g_date_time_new_from_unix_utc (expiry)) == NULL)
    return;

  text = g_date_time_format (when, "%Y-%m-%d %H:%M");
  gtk_editable_set_text (GTK_EDITABLE (self->expiry_row), text);
}

static gboolean
nick_to_index_cb (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_strcmp0 (nicks[i], nick) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
index_to_nick_cb (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) nicks))
    return NULL;

  return g_variant_new_string (nicks[index]);
}

static void
bind_entry_row (SextantPreferencesWindow *self,
                AdwEntryRow              *row,
                const char               *key)
{
  g_autofree char *value = g_settings_get_string (self->settings, key);

  gtk_editable_set_text (GTK_EDITABLE (row), value);
  g_object_set_data (G_OBJECT (row), "sextant-settings-key", (gpointer) key);
  g_signal_connect (row, "apply", G_CALLBACK (settings_row_apply_cb), self);
}

/* The connection in use ------------------------------------------------------------------------ */

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SextantPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring_problem = NULL;
  g_autofree char *source = NULL;
  g_autofree char *text = NULL;
  g_autoptr(SextantBedrockClient) client = NULL;

  /* Cancelled: the window may be gone, so nothing of it is touched. */
  client = sextant_bedrock_connect_finish (result, &keyring_problem, &source, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_set_object (&self->client, client);
  sextant_model_picker_set_client (self->model_picker, self->client);
  if (self->client == NULL)
    /* Translators: %s says where Sextant looked */
    text = g_strdup_printf (_("None found: %s"), error->message);
  else if (keyring_problem != NULL)
    /* Translators: where the credentials came from, then why the keyring was skipped */
    text = g_strdup_printf (_("From %s (the keyring was skipped: %s)"), source, keyring_problem);
  else
    /* Translators: %s says where the credentials came from (the keyring, an environment variable, a profile) */
    text = g_strdup_printf (_("From %s"), source);
  adw_action_row_set_subtitle (self->used_credentials_row, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), self->client != NULL);
}

/* Shows the region and credentials the assistant uses with the settings as they are now: the
 * same configuration and lookup as the chat windows' (sextant_bedrock_connect()). */
static void
show_connection (SextantPreferencesWindow *self)
{
  g_autofree char *region = g_settings_get_string (self->settings, "aws-region");
  g_autofree char *profile = g_settings_get_string (self->settings, "aws-profile");
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_cancellable_cancel (self->connection_cancellable);
  g_set_object (&self->connection_cancellable, g_cancellable_new ());
  g_clear_object (&self->client);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  if ((config = sextant_aws_config_load_for_profile (NULL, region, profile, &error)) == NULL)
    {
      adw_action_row_set_subtitle (self->used_region_row, error->message);
      adw_action_row_set_subtitle (self->used_credentials_row, "");
      return;
    }
  /* Translators: an AWS region, then where it comes from (settings, AWS_REGION, a profile…) */
  text = g_strdup_printf (_("%s, from %s"), config->region, config->region_source);
  adw_action_row_set_subtitle (self->used_region_row, text);
  sextant_model_picker_set_client (self->model_picker, NULL);
  sextant_model_picker_set_region (self->model_picker, config->region);
  adw_action_row_set_subtitle (self->used_credentials_row, _("Looking…"));
  sextant_bedrock_connect_async (self->secret_store, config, self->connection_cancellable,
                                 connected_cb, self);
}

static gboolean
show_connection_cb (gpointer data)
{
  SextantPreferencesWindow *self = data;

  self->connection_idle = 0;
  show_connection (self);

  return G_SOURCE_REMOVE;
}

/* Several keys may change at once (a pasted key pair): look once they have. */
static void
connection_changed_cb (SextantPreferencesWindow *self)
{
  if (self->connection_idle == 0)
    self->connection_idle = g_idle_add (show_connection_cb, self);
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SextantPreferencesWindow *self = user_data;
  SextantBedrockClient *client = SEXTANT_BEDROCK_CLIENT (object);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  reply = sextant_bedrock_client_request_json_finish (client, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->test_spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);
  if (reply == NULL)
    /* Translators: an AWS region, then what Amazon Bedrock or the network said */
    text = g_strdup_printf (_("Failed in %s: %s"), sextant_bedrock_client_get_region (client), error->message);
  else
    {
      JsonObject *root = JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
      JsonArray *models = root != NULL && json_object_has_member (root, "modelSummaries")
                          ? json_object_get_array_member (root, "modelSummaries") : NULL;
      guint n = models != NULL ? json_array_get_length (models) : 0;

      /* Translators: a number of models, then an AWS region */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Connected: %u model in %s",
                                           "Connected: %u models in %s", n),
                              n, sextant_bedrock_client_get_region (client));
    }
  adw_action_row_set_subtitle (self->test_row, text);
}

static void
test_connection_cb (SextantPreferencesWindow *self)
{
  if (self->client == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  gtk_spinner_start (self->test_spinner);
  adw_action_row_set_subtitle (self->test_row, _("Asking Amazon Bedrock…"));
  sextant_bedrock_client_request_json_async (self->client, SEXTANT_BEDROCK_PLANE_CONTROL, "GET",
                                             "/foundation-models", NULL, NULL,
                                             self->connection_cancellable, tested_cb, self);
}

static void
choose_region_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SextantPreferencesWindow *self = SEXTANT_PREFERENCES_WINDOW (widget);
  const char *region = g_variant_get_string (parameter, NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->region_row), region);
  g_settings_set_string (self->settings, "aws-region", region);
}

/* Market-data providers ------------------------------------------------------------------------ */

/* The providers the `market-providers` setting can name, by the names it uses. */
static const struct
{
  const char *name;
  const char *title;
} providers[] = {
  { "alpha-vantage", N_("Alpha Vantage") },
  { "finnhub", N_("Finnhub") },
  { "stooq", N_("Stooq") },
};

static int
provider_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    if (g_str_equal (providers[i].name, name))
      return (int) i;

  return -1;
}

/* Writes @order (provider indices as shown) with those in @enabled, keeping any name the setting
 * has that this version does not know. */
static void
save_providers (SextantPreferencesWindow *self,
                const int                *order,
                const gboolean           *enabled)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "market-providers");
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) value = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    if (enabled[order[i]])
      g_strv_builder_add (names, providers[order[i]].name);
  for (guint i = 0; old[i] != NULL; i++)
    if (provider_index (old[i]) < 0)
      g_strv_builder_add (names, old[i]);
  value = g_strv_builder_end (names);
  g_settings_set_strv (self->settings, "market-providers", (const char * const *) value);
}

/* The order shown: the setting's providers in its order, then those switched off. */
static void
read_providers (SextantPreferencesWindow *self,
                int                      *order,
                gboolean                 *enabled)
{
  g_auto(GStrv) names = g_settings_get_strv (self->settings, "market-providers");
  guint n = 0;

  memset (enabled, 0, sizeof (gboolean) * G_N_ELEMENTS (providers));
  for (guint i = 0; names[i] != NULL; i++)
    {
      int k = provider_index (names[i]);

      if (k >= 0 && !enabled[k])
        {
          enabled[k] = TRUE;
          order[n++] = k;
        }
    }
  for (guint k = 0; k < G_N_ELEMENTS (providers); k++)
    if (!enabled[k])
      order[n++] = (int) k;
}

static void
provider_changed (SextantPreferencesWindow *self,
                  GtkWidget                *control,
                  int                       move)
{
  int order[G_N_ELEMENTS (providers)];
  gboolean enabled[G_N_ELEMENTS (providers)];
  guint position = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (control), "position"));

  read_providers (self, order, enabled);
  if (move == 0)
    enabled[order[position]] = gtk_switch_get_active (GTK_SWITCH (control));
  else
    {
      int other = (int) position + move;
      int swap = order[position];

      if (other < 0 || other >= (int) G_N_ELEMENTS (providers))
        return;
      order[position] = order[other];
      order[other] = swap;
    }
  save_providers (self, order, enabled);
}

static void
provider_switch_cb (GtkSwitch                *control,
                    GParamSpec               *pspec,
                    SextantPreferencesWindow *self)
{
  provider_changed (self, GTK_WIDGET (control), 0);
}

static void
provider_up_cb (GtkButton                *button,
                SextantPreferencesWindow *self)
{
  provider_changed (self, GTK_WIDGET (button), -1);
}

static void
provider_down_cb (GtkButton                *button,
                  SextantPreferencesWindow *self)
{
  provider_changed (self, GTK_WIDGET (button), 1);
}

static GtkWidget *
move_button (const char *icon_name,
             const char *label,
             guint       position,
             gboolean    sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_sensitive (button, sensitive);
  g_object_set_data (G_OBJECT (button), "position", GUINT_TO_POINTER (position));

  return button;
}

/* Rows for the providers as the setting has them; made again whenever it changes, here or
 * anywhere else. Only providers switched on can move: the others are never asked. */
static void
show_providers (SextantPreferencesWindow *self)
{
  int order[G_N_ELEMENTS (providers)];
  gboolean enabled[G_N_ELEMENTS (providers)];
  guint n_enabled = 0;

  read_providers (self, order, enabled);
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    n_enabled += enabled[i];
  for (guint i = 0; i < self->provider_rows->len; i++)
    adw_preferences_group_remove (self->providers_group, self->provider_rows->pdata[i]);
  g_ptr_array_set_size (self->provider_rows, 0);
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *control = gtk_switch_new ();
      GtkWidget *up, *down;
      gboolean on = enabled[order[i]];

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(providers[order[i]].title));
      gtk_switch_set_active (GTK_SWITCH (control), on);
      gtk_widget_set_valign (control, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (control), "position", GUINT_TO_POINTER (i));
      gtk_accessible_update_relation (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
      g_signal_connect (control, "notify::active", G_CALLBACK (provider_switch_cb), self);
      up = move_button ("go-up-symbolic", _("Move Up"), i, on && i > 0);
      down = move_button ("go-down-symbolic", _("Move Down"), i, on && i + 1 < n_enabled);
      g_signal_connect (up, "clicked", G_CALLBACK (provider_up_cb), self);
      g_signal_connect (down, "clicked", G_CALLBACK (provider_down_cb), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), control);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), up);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), down);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), control);
      adw_preferences_group_add (self->providers_group, row);
      g_ptr_array_add (self->provider_rows, row);
    }
}

static gboolean
show_providers_cb (gpointer data)
{
  SextantPreferencesWindow *self = data;

  self->providers_idle = 0;
  show_providers (self);

  return G_SOURCE_REMOVE;
}

/* Not at once: the change may come from a switch or button of the rows to be replaced, still
 * handling its click. */
static void
providers_changed_cb (SextantPreferencesWindow *self)
{
  if (self->providers_idle == 0)
    self->providers_idle = g_idle_add (show_providers_cb, self);
}

static void
load_prices (SextantPreferencesWindow *self)
{
  g_autofree char *json = g_settings_get_string (self->settings, "model-prices");
  g_autoptr(GError) error = NULL;

  sextant_model_prices_reset (self->prices);
  if (json[0] != '\0' && !sextant_model_prices_load_json (self->prices, json, &error))
    g_debug ("Ignoring the saved token prices: %s", error->message);
}

static void
sextant_preferences_window_constructed (GObject *object)
{
  SextantPreferencesWindow *self = (SextantPreferencesWindow *)object;

  G_OBJECT_CLASS (sextant_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_assert (SEXTANT_IS_SECRET_STORE (self->secret_store));

  bind_entry_row (self, self->region_row, "aws-region");
  /* The chat window's own picker and price table (the prices the user edited included). */
  g_settings_bind (self->settings, "bedrock-model-id", self->model_picker, "model-id", G_SETTINGS_BIND_DEFAULT);
  load_prices (self);
  g_signal_connect_object (self->settings, "changed::model-prices", G_CALLBACK (load_prices), self,
                           G_CONNECT_SWAPPED);
  sextant_model_picker_set_prices (self->model_picker, self->prices);
  bind_entry_row (self, self->profile_row, "aws-profile");
  show_fallbacks (self);
  g_signal_connect (self->fallback_row, "apply", G_CALLBACK (fallback_row_apply_cb), self);
  show_expiry (self);
  g_signal_connect (self->expiry_row, "apply", G_CALLBACK (expiry_row_apply_cb), self);

  g_settings_bind_with_mapping (self->settings, "bedrock-auth", self->auth_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_index_cb, index_to_nick_cb,
                                (gpointer) auth_nicks, NULL);
  g_settings_bind_with_mapping (self->settings, "color-scheme", self->color_scheme_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, nick_to_index_cb,
                                index_to_nick_cb, (gpointer) color_scheme_nicks, NULL);
  g_settings_bind (self->settings, "spending-limit-monthly", self->spending_monthly_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "spending-limit-conversation", self->spending_conversation_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  bind_entry_row (self, self->batch_queue_row, "batch-queue");
  bind_entry_row (self, self->batch_definition_row, "batch-job-definition");
  bind_entry_row (self, self->batch_bucket_row, "batch-bucket");
  g_settings_bind (self->settings, "batch-shards", self->batch_shards_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "batch-vcpu-hour-price", self->batch_price_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "retention-conversations-days", self->retention_conversations_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "retention-metrics-days", self->retention_metrics_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "retention-raw-days", self->retention_raw_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "retention-logs-days", self->retention_logs_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "enable-yahoo", self->yahoo_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  self->provider_rows = g_ptr_array_new ();
  show_providers (self);
  g_signal_connect_object (self->settings, "changed::market-providers", G_CALLBACK (providers_changed_cb), self,
                           G_CONNECT_SWAPPED);

  load_secrets (self);

  show_connection (self);
  g_signal_connect_object (self->settings, "changed::aws-region", G_CALLBACK (connection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::aws-profile", G_CALLBACK (connection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->secret_store, "changed", G_CALLBACK (connection_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
sextant_preferences_window_dispose (GObject *object)
{
  SextantPreferencesWindow *self = (SextantPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->connection_cancellable);
  if (self->secret_store != NULL)
    g_signal_handlers_disconnect_by_data (self->secret_store, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->connection_cancellable);
  g_clear_object (&self->client);
  g_clear_handle_id (&self->connection_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->secret_store);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->providers_idle, g_source_remove);
  g_clear_pointer (&self->provider_rows, g_ptr_array_unref);
  g_clear_object (&self->prices);

  G_OBJECT_CLASS (sextant_preferences_window_parent_class)->dispose (object);
}

static void
sextant_preferences_window_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  SextantPreferencesWindow *self = SEXTANT_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_preferences_window_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  SextantPreferencesWindow *self = SEXTANT_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_SECRET_STORE:
      self->secret_store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_preferences_window_class_init (SextantPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sextant_preferences_window_constructed;
  object_class->dispose = sextant_preferences_window_dispose;
  g_type_ensure (SEXTANT_TYPE_MODEL_PICKER);
  object_class->get_property = sextant_preferences_window_get_property;
  object_class->set_property = sextant_preferences_window_set_property;

  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_SECRET_STORE] =
    g_param_spec_object ("secret-store", NULL, NULL, SEXTANT_TYPE_SECRET_STORE,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "sextant-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, keyring_group);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, providers_group);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, privacy_page);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, retention_conversations_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, spending_monthly_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, spending_conversation_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, batch_queue_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, batch_definition_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, batch_bucket_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, batch_shards_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, batch_price_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, retention_metrics_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, retention_raw_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, retention_logs_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, keyring_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, region_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, model_picker);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, profile_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, fallback_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, auth_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, access_key_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, secret_key_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, session_token_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, api_key_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, alpha_vantage_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, finnhub_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, stooq_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, fred_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, yahoo_switch);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, used_region_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, used_credentials_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, SextantPreferencesWindow, test_button);
  gtk_widget_class_bind_template_callback (widget_class, test_connection_cb);
  gtk_widget_class_install_action (widget_class, "prefs.region", "s", choose_region_action);
}

static void
sextant_preferences_window_init (SextantPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->prices = sextant_model_prices_new ();
  self->cancellable = g_cancellable_new ();
  self->secret_rows[SEXTANT_SECRET_AWS_ACCESS_KEY_ID] = self->access_key_row;
  self->secret_rows[SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY] = self->secret_key_row;
  self->secret_rows[SEXTANT_SECRET_AWS_SESSION_TOKEN] = self->session_token_row;
  self->secret_rows[SEXTANT_SECRET_BEDROCK_API_KEY] = self->api_key_row;
  self->secret_rows[SEXTANT_SECRET_ALPHA_VANTAGE_KEY] = self->alpha_vantage_row;
  self->secret_rows[SEXTANT_SECRET_FINNHUB_KEY] = self->finnhub_row;
  self->secret_rows[SEXTANT_SECRET_STOOQ_KEY] = self->stooq_row;
  self->secret_rows[SEXTANT_SECRET_FRED_KEY] = self->fred_row;

  for (guint key = 0; key < SEXTANT_SECRET_N_KEYS; key++)
    {
      g_object_set_data (G_OBJECT (self->secret_rows[key]), "sextant-secret-key",
                         GUINT_TO_POINTER (key));
      g_signal_connect (self->secret_rows[key], "apply", G_CALLBACK (secret_row_apply_cb), self);
    }
}

SextantPreferencesWindow *
sextant_preferences_window_new (GSettings          *settings,
                                SextantSecretStore *secret_store)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (SEXTANT_IS_SECRET_STORE (secret_store), NULL);

  return g_object_new (SEXTANT_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       "secret-store", secret_store,
                       NULL);
}

/**
 * sextant_preferences_window_get_secret_row:
 *
 * Returns: (transfer none): the entry for @key, for tests and for focusing from elsewhere
 */
GtkEditable *
sextant_preferences_window_get_secret_row (SextantPreferencesWindow *self,
                                           SextantSecretKey          key)
{
  g_return_val_if_fail (SEXTANT_IS_PREFERENCES_WINDOW (self), NULL);
  g_return_val_if_fail (key < SEXTANT_SECRET_N_KEYS, NULL);

  return GTK_EDITABLE (self->secret_rows[key]);
}

gboolean
sextant_preferences_window_get_busy (SextantPreferencesWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->n_pending > 0;
}

/**
 * sextant_preferences_window_set_workspace:
 * @self: a preferences window
 * @workspace: the app's workspace
 *
 * Adds what needs the database: the Backups group of the Privacy page.
 */
void
sextant_preferences_window_set_workspace (SextantPreferencesWindow *self,
                                          SextantWorkspace         *workspace)
{
  g_return_if_fail (SEXTANT_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (SEXTANT_IS_WORKSPACE (workspace));
  g_return_if_fail (self->backup_group == NULL);

  self->backup_group = sextant_backup_group_new (self->settings, workspace);
  adw_preferences_page_add (self->privacy_page, ADW_PREFERENCES_GROUP (self->backup_group));
}

/**
 * sextant_preferences_window_get_backup_group:
 * @self: a preferences window
 *
 * Returns: (transfer none) (nullable): the Backups group, once there is a workspace
 */
SextantBackupGroup *
sextant_preferences_window_get_backup_group (SextantPreferencesWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_PREFERENCES_WINDOW (self), NULL);

  return self->backup_group;
}
