#define G_LOG_DOMAIN "sextant-aws-credentials"

#include "config.h"

#include <string.h>

#include "bedrock/sextant-aws-credentials.h"
#include "bedrock/sextant-bedrock-error.h"
#include "base/sextant-log-writer.h"

/* Credentials in the order users expect (issue 4): the app's keyring entries, then the
 * environment, then the shared files. Each resolve reads them afresh, which is how an
 * ExpiredToken is recovered from without a restart. No keyring is not an error: it is noted
 * (for the CLI to say so) and the other sources are tried. */

struct _SextantAwsCredentialsProvider
{
  GObject                parent_instance;
  SextantSecretStore    *store;
  SextantAwsConfig      *config;
  SextantAwsCredentials *fixed;
  char                  *keyring_problem;
};

G_DEFINE_FINAL_TYPE (SextantAwsCredentialsProvider, sextant_aws_credentials_provider, G_TYPE_OBJECT)

static const SextantSecretKey keyring_keys[] = {
  SEXTANT_SECRET_AWS_ACCESS_KEY_ID, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY,
  SEXTANT_SECRET_AWS_SESSION_TOKEN, SEXTANT_SECRET_BEDROCK_API_KEY,
};

typedef struct
{
  char  *values[G_N_ELEMENTS (keyring_keys)];
  guint  next;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  for (guint i = 0; i < G_N_ELEMENTS (keyring_keys); i++)
    g_free (lookup->values[i]);
  g_free (lookup);
}

static void
register_secrets (const SextantAwsCredentials *credentials)
{
  if (credentials->secret_access_key != NULL)
    sextant_log_writer_register_secret (credentials->secret_access_key);
  if (credentials->session_token != NULL)
    sextant_log_writer_register_secret (credentials->session_token);
  if (credentials->bearer_token != NULL)
    sextant_log_writer_register_secret (credentials->bearer_token);
}

static char *
dup_nonempty (const char *value)
{
  return value != NULL && *value ? g_strdup (value) : NULL;
}

SextantAwsCredentials *
sextant_aws_credentials_new_static (const char *access_key_id,
                                    const char *secret_access_key,
                                    const char *session_token,
                                    const char *bearer_token)
{
  SextantAwsCredentials *credentials = g_new0 (SextantAwsCredentials, 1);

  credentials->access_key_id = dup_nonempty (access_key_id);
  credentials->secret_access_key = dup_nonempty (secret_access_key);
  credentials->session_token = dup_nonempty (session_token);
  credentials->bearer_token = dup_nonempty (bearer_token);
  credentials->source = SEXTANT_AWS_CREDENTIAL_SOURCE_STATIC;
  credentials->source_description = g_strdup ("credentials given by the program");
  register_secrets (credentials);

  return credentials;
}

SextantAwsCredentials *
sextant_aws_credentials_copy (const SextantAwsCredentials *credentials)
{
  SextantAwsCredentials *copy;

  g_return_val_if_fail (credentials != NULL, NULL);

  copy = sextant_aws_credentials_new_static (credentials->access_key_id, credentials->secret_access_key,
                                             credentials->session_token, credentials->bearer_token);
  copy->source = credentials->source;
  g_free (copy->source_description);
  copy->source_description = g_strdup (credentials->source_description);

  return copy;
}

gboolean
sextant_aws_credentials_equal (const SextantAwsCredentials *a,
                               const SextantAwsCredentials *b)
{
  return g_strcmp0 (a->access_key_id, b->access_key_id) == 0 &&
         g_strcmp0 (a->secret_access_key, b->secret_access_key) == 0 &&
         g_strcmp0 (a->session_token, b->session_token) == 0 &&
         g_strcmp0 (a->bearer_token, b->bearer_token) == 0;
}

void
sextant_aws_credentials_free (SextantAwsCredentials *credentials)
{
  if (credentials == NULL)
    return;
  g_free (credentials->access_key_id);
  g_free (credentials->secret_access_key);
  g_free (credentials->session_token);
  g_free (credentials->bearer_token);
  g_free (credentials->source_description);
  g_free (credentials);
}

static void
sextant_aws_credentials_provider_finalize (GObject *object)
{
  SextantAwsCredentialsProvider *self = (SextantAwsCredentialsProvider *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->config, sextant_aws_config_free);
  g_clear_pointer (&self->fixed, sextant_aws_credentials_free);
  g_free (self->keyring_problem);

  G_OBJECT_CLASS (sextant_aws_credentials_provider_parent_class)->finalize (object);
}

static void
sextant_aws_credentials_provider_class_init (SextantAwsCredentialsProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_aws_credentials_provider_finalize;
}

static void
sextant_aws_credentials_provider_init (SextantAwsCredentialsProvider *self)
{
}

/**
 * sextant_aws_credentials_provider_new:
 * @store: (nullable): the app's keyring store, or %NULL to skip the keyring
 * @config: the configuration naming the profile and shared files
 *
 * Returns: (transfer full): a provider
 */
SextantAwsCredentialsProvider *
sextant_aws_credentials_provider_new (SextantSecretStore     *store,
                                      const SextantAwsConfig *config)
{
  SextantAwsCredentialsProvider *self = g_object_new (SEXTANT_TYPE_AWS_CREDENTIALS_PROVIDER, NULL);

  g_return_val_if_fail (config != NULL, NULL);

  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->config = sextant_aws_config_copy (config);

  return self;
}

SextantAwsCredentialsProvider *
sextant_aws_credentials_provider_new_static (const SextantAwsCredentials *credentials)
{
  SextantAwsCredentialsProvider *self = g_object_new (SEXTANT_TYPE_AWS_CREDENTIALS_PROVIDER, NULL);

  self->fixed = sextant_aws_credentials_copy (credentials);

  return self;
}

/**
 * sextant_aws_credentials_provider_get_keyring_problem:
 *
 * Returns: (nullable): why the keyring was skipped at the last resolve, or %NULL
 */
const char *
sextant_aws_credentials_provider_get_keyring_problem (SextantAwsCredentialsProvider *self)
{
  g_return_val_if_fail (SEXTANT_IS_AWS_CREDENTIALS_PROVIDER (self), NULL);

  return self->keyring_problem;
}

static SextantAwsCredentials *
from_environment (void)
{
  const char *bearer = g_getenv ("AWS_BEARER_TOKEN_BEDROCK");
  const char *akid = g_getenv ("AWS_ACCESS_KEY_ID");
  const char *secret = g_getenv ("AWS_SECRET_ACCESS_KEY");
  SextantAwsCredentials *credentials;

  /* A Bedrock API key wins over keys, as in the SDKs' environment token provider. */
  if (bearer != NULL && *bearer)
    {
      credentials = sextant_aws_credentials_new_static (NULL, NULL, NULL, bearer);
      g_free (credentials->source_description);
      credentials->source_description = g_strdup ("environment (AWS_BEARER_TOKEN_BEDROCK)");
    }
  else if (akid != NULL && *akid && secret != NULL && *secret)
    {
      credentials = sextant_aws_credentials_new_static (akid, secret, g_getenv ("AWS_SESSION_TOKEN"), NULL);
      g_free (credentials->source_description);
      credentials->source_description = g_strdup ("environment (AWS_ACCESS_KEY_ID)");
    }
  else
    return NULL;
  credentials->source = SEXTANT_AWS_CREDENTIAL_SOURCE_ENVIRONMENT;

  return credentials;
}

static SextantAwsCredentials *
from_section (GHashTable *section,
              const char *description)
{
  SextantAwsCredentials *credentials;
  const char *akid = section != NULL ? g_hash_table_lookup (section, "aws_access_key_id") : NULL;
  const char *secret = section != NULL ? g_hash_table_lookup (section, "aws_secret_access_key") : NULL;

  if (akid == NULL || secret == NULL || !*akid || !*secret)
    return NULL;
  credentials = sextant_aws_credentials_new_static (akid, secret, g_hash_table_lookup (section, "aws_session_token"), NULL);
  credentials->source = SEXTANT_AWS_CREDENTIAL_SOURCE_SHARED_FILE;
  g_free (credentials->source_description);
  credentials->source_description = g_strdup (description);

  return credentials;
}

static SextantAwsCredentials *
from_shared_files (const SextantAwsConfig  *config,
                   GError                 **error)
{
  g_autoptr(GHashTable) creds_ini = NULL;
  g_autoptr(GHashTable) config_ini = NULL;
  g_autofree char *where = NULL;
  SextantAwsCredentials *credentials;

  creds_ini = sextant_aws_ini_parse (config->credentials_file, error);
  if (error != NULL && *error != NULL)
    return NULL;
  where = g_strdup_printf ("shared credentials file %s [%s]", config->credentials_file, config->profile);
  credentials = from_section (sextant_aws_ini_get_profile (creds_ini, config->profile, FALSE), where);
  if (credentials != NULL || config->config_file == NULL)
    return credentials;
  config_ini = sextant_aws_ini_parse (config->config_file, error);
  if (error != NULL && *error != NULL)
    return NULL;
  g_free (where);
  where = g_strdup_printf ("shared config file %s (profile %s)", config->config_file, config->profile);

  return from_section (sextant_aws_ini_get_profile (config_ini, config->profile, TRUE), where);
}

/**
 * sextant_aws_credentials_resolve_non_keyring:
 * @config: the configuration
 * @error: return location for %SEXTANT_BEDROCK_ERROR_CREDENTIALS
 *
 * Returns: (transfer full) (nullable): credentials from the environment or the shared files
 */
SextantAwsCredentials *
sextant_aws_credentials_resolve_non_keyring (const SextantAwsConfig  *config,
                                             GError                 **error)
{
  SextantAwsCredentials *credentials = from_environment ();
  g_autoptr(GError) local = NULL;

  if (credentials != NULL)
    return credentials;
  if (config->credentials_file != NULL && (credentials = from_shared_files (config, &local)) != NULL)
    return credentials;
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS,
               "No AWS credentials found: checked the keyring, the environment (AWS_ACCESS_KEY_ID + "
               "AWS_SECRET_ACCESS_KEY, AWS_BEARER_TOKEN_BEDROCK) and the shared files %s and %s "
               "(profile %s)", config->credentials_file != NULL ? config->credentials_file : "(none)",
               config->config_file != NULL ? config->config_file : "(none)", config->profile);

  return NULL;
}

static SextantAwsCredentials *
from_keyring_values (Lookup *lookup)
{
  SextantAwsCredentials *credentials = NULL;

  if (lookup->values[3] != NULL)
    credentials = sextant_aws_credentials_new_static (NULL, NULL, NULL, lookup->values[3]);
  else if (lookup->values[0] != NULL && lookup->values[1] != NULL)
    credentials = sextant_aws_credentials_new_static (lookup->values[0], lookup->values[1],
                                                      lookup->values[2], NULL);
  if (credentials == NULL)
    return NULL;
  credentials->source = SEXTANT_AWS_CREDENTIAL_SOURCE_KEYRING;
  g_free (credentials->source_description);
  credentials->source_description = g_strdup ("the Sextant keyring entries");

  return credentials;
}

static void
finish_without_keyring (GTask *task)
{
  SextantAwsCredentialsProvider *self = g_task_get_source_object (task);
  GError *error = NULL;
  SextantAwsCredentials *credentials = sextant_aws_credentials_resolve_non_keyring (self->config, &error);

  if (credentials == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, credentials, (GDestroyNotify)sextant_aws_credentials_free);
}

static void lookup_next (GTask *task);

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SextantAwsCredentialsProvider *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *value = sextant_secret_store_lookup_finish (SEXTANT_SECRET_STORE (object), result, &error);

  if (error != NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      /* Not fatal: the keyring is optional (headless sessions, CI, SSH). */
      g_debug ("Keyring unusable, trying the other credential sources: %s", error->message);
      g_free (self->keyring_problem);
      self->keyring_problem = g_strdup_printf ("no usable keyring (%s)", error->message);
      finish_without_keyring (task);
      return;
    }
  lookup->values[lookup->next++] = value;
  lookup_next (g_steal_pointer (&task));
}

static void
lookup_next (GTask *task)
{
  SextantAwsCredentialsProvider *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);
  SextantAwsCredentials *credentials;

  if (lookup->next < G_N_ELEMENTS (keyring_keys))
    {
      sextant_secret_store_lookup_async (self->store, keyring_keys[lookup->next],
                                         g_task_get_cancellable (task), lookup_cb, task);
      return;
    }
  credentials = from_keyring_values (lookup);
  if (credentials != NULL)
    g_task_return_pointer (task, credentials, (GDestroyNotify)sextant_aws_credentials_free);
  else
    finish_without_keyring (task);
  g_object_unref (task);
}

/**
 * sextant_aws_credentials_provider_resolve_async:
 * @self: a provider
 * @cancellable: (nullable): a cancellable
 * @callback: called with the credentials
 * @user_data: data for @callback
 *
 * Reads every source afresh (so rotated or refreshed credentials are picked up).
 */
void
sextant_aws_credentials_provider_resolve_async (SextantAwsCredentialsProvider *self,
                                                GCancellable                  *cancellable,
                                                GAsyncReadyCallback            callback,
                                                gpointer                       user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEXTANT_IS_AWS_CREDENTIALS_PROVIDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_aws_credentials_provider_resolve_async);
  if (self->fixed != NULL)
    {
      g_task_return_pointer (task, sextant_aws_credentials_copy (self->fixed),
                             (GDestroyNotify)sextant_aws_credentials_free);
      return;
    }
  g_clear_pointer (&self->keyring_problem, g_free);
  if (self->store == NULL)
    {
      g_debug ("No keyring store given; using the environment and shared files");
      finish_without_keyring (task);
      return;
    }
  g_task_set_task_data (task, g_new0 (Lookup, 1), (GDestroyNotify)lookup_free);
  lookup_next (g_steal_pointer (&task));
}

/**
 * sextant_aws_credentials_provider_resolve_finish:
 *
 * Returns: (transfer full): the credentials
 */
SextantAwsCredentials *
sextant_aws_credentials_provider_resolve_finish (SextantAwsCredentialsProvider  *self,
                                                 GAsyncResult                   *result,
                                                 GError                        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
