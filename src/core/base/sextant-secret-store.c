#define G_LOG_DOMAIN "sextant-secret-store"

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "base/sextant-log-writer.h"
#include "base/sextant-secret-store.h"

/* A locked keyring's unlock prompt needs a person's time to type a password: five seconds cut
 * it off mid-word. The app's calls are asynchronous, so the bound only ends a prompt nobody
 * answers; sextant-cli sets its own, shorter one (a script cannot answer a prompt). */
#define DEFAULT_TIMEOUT_MS 60000

struct _SextantSecretStore
{
  GObject parent_instance;
  guint   timeout_ms;
};

G_DEFINE_FINAL_TYPE (SextantSecretStore, sextant_secret_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (sextant-secret-error-quark, sextant_secret_error)

/* One schema per kind of secret, so that a keyring browser (Seahorse) shows them grouped and a
 * user can delete all AWS credentials without touching the market-data keys. */
static const SecretSchema aws_schema = {
  .name = APP_ID ".AwsCredentials",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = "field", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = NULL, .type = 0 },
  },
};

static const SecretSchema bedrock_schema = {
  .name = APP_ID ".BedrockApiKey",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = "field", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = NULL, .type = 0 },
  },
};

static const SecretSchema provider_schema = {
  .name = APP_ID ".MarketDataKey",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = "provider", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = NULL, .type = 0 },
  },
};

/* Its own schema: deleting it loses the history, so a user cleaning up API keys in Seahorse
 * should see it apart. */
static const SecretSchema history_schema = {
  .name = APP_ID ".HistoryKey",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = "purpose", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = NULL, .type = 0 },
  },
};

typedef struct
{
  const char         *id;
  const SecretSchema *schema;
  const char         *attribute;
  const char         *label;
} SecretKeyInfo;

static const SecretKeyInfo key_info[SEXTANT_SECRET_HISTORY_KEY + 1] = {
  [SEXTANT_SECRET_AWS_ACCESS_KEY_ID] = { "aws-access-key-id", &aws_schema, "field",
                                         "Sextant: AWS access key ID" },
  [SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY] = { "aws-secret-access-key", &aws_schema, "field",
                                             "Sextant: AWS secret access key" },
  [SEXTANT_SECRET_AWS_SESSION_TOKEN] = { "aws-session-token", &aws_schema, "field",
                                         "Sextant: AWS session token" },
  [SEXTANT_SECRET_BEDROCK_API_KEY] = { "bedrock-api-key", &bedrock_schema, "field",
                                       "Sextant: Amazon Bedrock API key" },
  [SEXTANT_SECRET_ALPHA_VANTAGE_KEY] = { "alpha-vantage", &provider_schema, "provider",
                                         "Sextant: Alpha Vantage API key" },
  [SEXTANT_SECRET_FINNHUB_KEY] = { "finnhub", &provider_schema, "provider",
                                   "Sextant: Finnhub API key" },
  [SEXTANT_SECRET_STOOQ_KEY] = { "stooq", &provider_schema, "provider",
                                 "Sextant: Stooq API key" },
  [SEXTANT_SECRET_FRED_KEY] = { "fred", &provider_schema, "provider",
                                "Sextant: FRED API key" },
  [SEXTANT_SECRET_HISTORY_KEY] = { "history-encryption", &history_schema, "purpose",
                                   "Sextant: key of the encrypted history (do not delete)" },
};

enum { CHANGED, N_SIGNALS };
static guint signals [N_SIGNALS];

static void
sextant_secret_store_class_init (SextantSecretStoreClass *klass)
{
  /**
   * SextantSecretStore::changed:
   * @self: the store
   * @key: the #SextantSecretKey saved or cleared
   *
   * Emitted after a key was saved or cleared through this store, so that whatever uses it (a
   * chat window's Bedrock client) takes the new value at once instead of at the next start.
   */
  signals [CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
sextant_secret_store_init (SextantSecretStore *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
}

SextantSecretStore *
sextant_secret_store_new (void)
{
  return g_object_new (SEXTANT_TYPE_SECRET_STORE, NULL);
}

/**
 * sextant_secret_store_set_timeout:
 * @self: a store
 * @timeout_ms: how long a keyring call may take before it fails with
 *   %SEXTANT_SECRET_ERROR_TIMEOUT
 *
 * A locked keyring answers with an unlock prompt that may never be answered (no display, a
 * user who walked away). Every call is bounded so the app never hangs on it.
 */
void
sextant_secret_store_set_timeout (SextantSecretStore *self,
                                  guint               timeout_ms)
{
  g_return_if_fail (SEXTANT_IS_SECRET_STORE (self));

  self->timeout_ms = MAX (timeout_ms, 1);
}

const char *
sextant_secret_key_get_label (SextantSecretKey key)
{
  g_return_val_if_fail (key <= SEXTANT_SECRET_HISTORY_KEY, NULL);

  return key_info[key].label;
}

const char *
sextant_secret_key_get_id (SextantSecretKey key)
{
  g_return_val_if_fail (key <= SEXTANT_SECRET_HISTORY_KEY, NULL);

  return key_info[key].id;
}

gboolean
sextant_secret_key_from_id (const char       *id,
                            SextantSecretKey *key)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < SEXTANT_SECRET_N_KEYS; i++)
    if (g_strcmp0 (key_info[i].id, id) == 0)
      {
        if (key != NULL)
          *key = i;
        return TRUE;
      }

  return FALSE;
}

static GHashTable *
attributes_for (SextantSecretKey key)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) key_info[key].attribute, (gpointer) key_info[key].id);

  return attributes;
}

/* libsecret reports "no usable keyring" in half a dozen ways depending on what is missing (bus,
 * service, collection, unlock). Users need one message that says what to do. */
static GError *
translate_error (GError *error,
                 gboolean timed_out)
{
  GError *translated;

  if (timed_out)
    translated = g_error_new (SEXTANT_SECRET_ERROR, SEXTANT_SECRET_ERROR_TIMEOUT,
                              "The keyring did not answer within the time limit; it may be "
                              "locked and waiting for a password");
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  else if (error == NULL)
    /* libsecret fails without an error when the user dismisses its unlock prompt. */
    return g_error_new (SEXTANT_SECRET_ERROR, SEXTANT_SECRET_ERROR_NO_KEYRING,
                        "The keyring stayed locked: its unlock prompt was dismissed. Sextant "
                        "keeps working without saved keys and never writes them to disk");
  else
    translated = g_error_new (SEXTANT_SECRET_ERROR, SEXTANT_SECRET_ERROR_NO_KEYRING,
                              "No keyring is available to keep secrets (%s). Sextant keeps "
                              "working without saved keys and never writes them to disk",
                              error->message);
  g_error_free (error);

  return translated;
}

typedef struct
{
  GCancellable *inner;
  gulong        outer_handler;
  GCancellable *outer;
  GMainContext *context;
  GSource      *timeout;
  gboolean      timed_out;
  guint         key;
} Call;

/* Once libsecret has answered, the timeout has nothing left to guard. It goes at once, in the
 * thread and context it was attached in: the call itself may be freed later, in another thread,
 * after the synchronous wrappers' private context is gone. */
static void
call_stop_timeout (Call *call)
{
  if (call->timeout != NULL)
    g_source_destroy (call->timeout);
  g_clear_pointer (&call->timeout, g_source_unref);
}

static void
call_free (Call *call)
{
  call_stop_timeout (call);
  g_clear_pointer (&call->context, g_main_context_unref);
  if (call->outer != NULL)
    g_cancellable_disconnect (call->outer, call->outer_handler);
  g_clear_object (&call->outer);
  g_clear_object (&call->inner);
  g_free (call);
}

static gboolean
call_timeout_cb (gpointer data)
{
  Call *call = data;

  call->timed_out = TRUE;
  g_cancellable_cancel (call->inner);

  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

static GTask *
start_call (SextantSecretStore  *self,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, source_tag);
  call->inner = g_cancellable_new ();
  if (cancellable != NULL)
    {
      call->outer = g_object_ref (cancellable);
      call->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                                   call->inner, NULL);
    }
  /* Attached to the caller's context, not the global one, so that the synchronous wrappers'
   * private context dispatches it too. */
  call->context = g_main_context_ref_thread_default ();
  call->timeout = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (call->timeout, call_timeout_cb, call, NULL);
  g_source_attach (call->timeout, call->context);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  return task;
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;

  call_stop_timeout (call);

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, translate_error (error, call->timed_out));
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_signal_emit (g_task_get_source_object (task), signals [CHANGED], 0, call->key);
}

void
sextant_secret_store_save_async (SextantSecretStore  *self,
                                 SextantSecretKey     key,
                                 const char          *value,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  Call *call;

  g_return_if_fail (SEXTANT_IS_SECRET_STORE (self));
  g_return_if_fail (key <= SEXTANT_SECRET_HISTORY_KEY);

  task = start_call (self, cancellable, callback, user_data, sextant_secret_store_save_async);
  if (value == NULL || *value == '\0')
    {
      g_task_return_new_error (task, SEXTANT_SECRET_ERROR, SEXTANT_SECRET_ERROR_INVALID,
                               "An empty value cannot be saved; clear the key instead");
      return;
    }

  sextant_log_writer_register_secret (value);
  call = g_task_get_task_data (task);
  call->key = key;
  attributes = attributes_for (key);
  secret_password_storev (key_info[key].schema, attributes, SECRET_COLLECTION_DEFAULT,
                          key_info[key].label, value, call->inner, save_cb,
                          g_steal_pointer (&task));
}

gboolean
sextant_secret_store_save_finish (SextantSecretStore  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  char *value;

  call_stop_timeout (call);

  value = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error, call->timed_out));
      return;
    }

  if (value != NULL)
    sextant_log_writer_register_secret (value);
  g_task_return_pointer (task, g_strdup (value), g_free);
  secret_password_free (value);
}

/**
 * sextant_secret_store_lookup_async:
 * @self: a store
 * @key: which secret
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Looks a secret up. A secret that was never saved is not an error: the finish function returns
 * %NULL with no error set.
 */
void
sextant_secret_store_lookup_async (SextantSecretStore  *self,
                                   SextantSecretKey     key,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  Call *call;

  g_return_if_fail (SEXTANT_IS_SECRET_STORE (self));
  g_return_if_fail (key <= SEXTANT_SECRET_HISTORY_KEY);

  task = start_call (self, cancellable, callback, user_data, sextant_secret_store_lookup_async);
  call = g_task_get_task_data (task);
  attributes = attributes_for (key);
  secret_password_lookupv (key_info[key].schema, attributes, call->inner, lookup_cb,
                           g_steal_pointer (&task));
}

/**
 * sextant_secret_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret, or %NULL if none is saved or on error
 */
char *
sextant_secret_store_lookup_finish (SextantSecretStore  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;

  call_stop_timeout (call);

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error, call->timed_out));
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_signal_emit (g_task_get_source_object (task), signals [CHANGED], 0, call->key);
}

void
sextant_secret_store_clear_async (SextantSecretStore  *self,
                                  SextantSecretKey     key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  Call *call;

  g_return_if_fail (SEXTANT_IS_SECRET_STORE (self));
  g_return_if_fail (key <= SEXTANT_SECRET_HISTORY_KEY);

  task = start_call (self, cancellable, callback, user_data, sextant_secret_store_clear_async);
  call = g_task_get_task_data (task);
  call->key = key;
  attributes = attributes_for (key);
  secret_password_clearv (key_info[key].schema, attributes, call->inner, clear_cb,
                          g_steal_pointer (&task));
}

gboolean
sextant_secret_store_clear_finish (SextantSecretStore  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The synchronous variants serve the command-line tool and tests. They run the async call on a
 * private main context, so the timeout still applies and no other source is dispatched. */
typedef struct
{
  GAsyncResult *result;
} SyncData;

static void
sync_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SyncData *data = user_data;

  data->result = g_object_ref (result);
}

static GAsyncResult *
run_sync (SextantSecretStore *self,
          void              (*start) (SextantSecretStore *, SextantSecretKey, GCancellable *,
                                      GAsyncReadyCallback, gpointer),
          SextantSecretKey    key,
          GCancellable       *cancellable)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  SyncData data = { NULL };

  g_main_context_push_thread_default (context);
  start (self, key, cancellable, sync_ready_cb, &data);
  while (data.result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return data.result;
}

char *
sextant_secret_store_lookup_sync (SextantSecretStore  *self,
                                  SextantSecretKey     key,
                                  GCancellable        *cancellable,
                                  GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (SEXTANT_IS_SECRET_STORE (self), NULL);

  result = run_sync (self, sextant_secret_store_lookup_async, key, cancellable);

  return sextant_secret_store_lookup_finish (self, result, error);
}

gboolean
sextant_secret_store_clear_sync (SextantSecretStore  *self,
                                 SextantSecretKey     key,
                                 GCancellable        *cancellable,
                                 GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (SEXTANT_IS_SECRET_STORE (self), FALSE);

  result = run_sync (self, sextant_secret_store_clear_async, key, cancellable);

  return sextant_secret_store_clear_finish (self, result, error);
}

gboolean
sextant_secret_store_save_sync (SextantSecretStore  *self,
                                SextantSecretKey     key,
                                const char          *value,
                                GCancellable        *cancellable,
                                GError             **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  SyncData data = { NULL };
  gboolean ok;

  g_return_val_if_fail (SEXTANT_IS_SECRET_STORE (self), FALSE);

  g_main_context_push_thread_default (context);
  sextant_secret_store_save_async (self, key, value, cancellable, sync_ready_cb, &data);
  while (data.result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  ok = sextant_secret_store_save_finish (self, data.result, error);
  g_object_unref (data.result);

  return ok;
}
