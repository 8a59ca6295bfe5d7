#define G_LOG_DOMAIN "sextant-bedrock-connect"

#include "config.h"

#include "bedrock/sextant-aws-credentials.h"
#include "bedrock/sextant-bedrock-connect.h"

/* From a configuration to a client, as the chat window and `sextant-cli ask` both need it:
 * credentials are resolved once up front (keyring, then environment, then ~/.aws) so that missing
 * credentials or a missing keyring are reported before anything is sent; the client re-reads
 * them itself when a token expires. */

typedef struct
{
  SextantAwsConfig              *config;
  SextantAwsCredentialsProvider *provider;
  char                          *keyring_problem;
  char                          *credentials_source;
} Connect;

static void
connect_free (Connect *connect)
{
  g_clear_pointer (&connect->config, sextant_aws_config_free);
  g_clear_object (&connect->provider);
  g_free (connect->keyring_problem);
  g_free (connect->credentials_source);
  g_free (connect);
}

static void
resolved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Connect *connect = g_task_get_task_data (task);
  g_autoptr(SextantAwsCredentials) credentials = NULL;
  GError *error = NULL;

  credentials = sextant_aws_credentials_provider_resolve_finish (connect->provider, result, &error);
  connect->keyring_problem = g_strdup (sextant_aws_credentials_provider_get_keyring_problem (connect->provider));
  if (credentials == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("Using credentials from %s", credentials->source_description);
  connect->credentials_source = g_strdup (credentials->source_description);
  g_task_return_pointer (task, sextant_bedrock_client_new (connect->config, connect->provider, NULL),
                         g_object_unref);
}

/**
 * sextant_bedrock_connect_async:
 * @secrets: the keyring, asked first for credentials
 * @config: the region, endpoint and profile to use
 * @cancellable: (nullable): a cancellable
 * @callback: called with the client or the reason there is none
 * @user_data: data for @callback
 *
 * Resolves credentials for @config and makes a client with them.
 */
void
sextant_bedrock_connect_async (SextantSecretStore      *secrets,
                               const SextantAwsConfig  *config,
                               GCancellable            *cancellable,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  Connect *connect;

  g_return_if_fail (SEXTANT_IS_SECRET_STORE (secrets));
  g_return_if_fail (config != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_bedrock_connect_async);
  connect = g_new0 (Connect, 1);
  connect->config = sextant_aws_config_copy (config);
  connect->provider = sextant_aws_credentials_provider_new (secrets, connect->config);
  g_task_set_task_data (task, connect, (GDestroyNotify) connect_free);
  sextant_aws_credentials_provider_resolve_async (connect->provider, cancellable, resolved_cb,
                                                  g_steal_pointer (&task));
}

/**
 * sextant_bedrock_connect_finish:
 * @result: the result given to the callback
 * @keyring_problem: (out) (optional) (nullable): why the keyring could not be asked, if it could
 *   not (credentials may still have come from the environment or files)
 * @credentials_source: (out) (optional) (nullable): where the credentials came from (the
 *   keyring, an environment variable, a profile), for Preferences and messages
 * @error: return location for the reason there is no client (no credentials, cancelled)
 *
 * Returns: (transfer full) (nullable): the client
 */
SextantBedrockClient *
sextant_bedrock_connect_finish (GAsyncResult  *result,
                                char         **keyring_problem,
                                char         **credentials_source,
                                GError       **error)
{
  Connect *connect;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  connect = g_task_get_task_data (G_TASK (result));
  if (keyring_problem != NULL)
    *keyring_problem = g_strdup (connect->keyring_problem);
  if (credentials_source != NULL)
    *credentials_source = g_strdup (connect->credentials_source);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/**
 * sextant_bedrock_connect:
 * @secrets: the keyring, asked first for credentials
 * @config: the region, endpoint and profile to use
 * @keyring_problem: (out) (optional) (nullable): see sextant_bedrock_connect_finish()
 * @error: return location for the reason there is no client
 *
 * The blocking form, for the command line: runs the lookup in a main context of its own.
 *
 * Returns: (transfer full) (nullable): the client
 */
SextantBedrockClient *
sextant_bedrock_connect (SextantSecretStore      *secrets,
                         const SextantAwsConfig  *config,
                         char                   **keyring_problem,
                         GError                 **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_main_context_push_thread_default (context);
  sextant_bedrock_connect_async (secrets, config, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return sextant_bedrock_connect_finish (result, keyring_problem, NULL, error);
}
