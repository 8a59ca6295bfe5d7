#define G_LOG_DOMAIN "sextant-cli-aws"

#include "config.h"

#include "sextant-core.h"
#include "sextant-cli-aws.h"
#include "sextant-cli-common.h"

/**
 * sextant_cli_aws_resolve:
 * @region: (out): the region (AWS_REGION, the profile, …)
 * @credentials: (out): the keys
 *
 * The region and keys for S3 and Batch, found as `ask` finds them for Bedrock (the keyring, the
 * environment, ~/.aws); inside a Batch container, where neither is set, the job role's keys from
 * the container credentials endpoint.
 */
gboolean
sextant_cli_aws_resolve (char                   **region,
                         SextantAwsCredentials  **credentials,
                         GError                 **error)
{
  g_autoptr(SextantAwsConfig) config = sextant_aws_config_load (NULL, NULL, error);
  g_autoptr(SextantSecretStore) store = NULL;
  g_autoptr(SextantAwsCredentialsProvider) provider = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (config == NULL)
    return FALSE;
  *region = g_strdup (config->region);
  if (g_getenv ("AWS_ACCESS_KEY_ID") == NULL && sextant_container_credentials_available ())
    {
      *credentials = sextant_container_credentials_fetch (error);
      return *credentials != NULL;
    }
  store = sextant_secret_store_new ();
  sextant_secret_store_set_timeout (store, 3000);
  provider = sextant_aws_credentials_provider_new (store, config);
  sextant_aws_credentials_provider_resolve_async (provider, NULL, sextant_cli_store_result_cb,
                                                  &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  *credentials = sextant_aws_credentials_provider_resolve_finish (provider, result, error);
  if (*credentials != NULL && (*credentials)->access_key_id == NULL)
    {
      g_clear_pointer (credentials, sextant_aws_credentials_free);
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS,
                   "S3 and Batch need an AWS access key (a Bedrock API key does not sign them)");
    }
  return *credentials != NULL;
}
