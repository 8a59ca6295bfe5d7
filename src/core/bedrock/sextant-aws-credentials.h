#pragma once

#include <gio/gio.h>

#include "bedrock/sextant-aws-config.h"
#include "base/sextant-secret-store.h"

G_BEGIN_DECLS

/**
 * SextantAwsCredentialSource:
 * @SEXTANT_AWS_CREDENTIAL_SOURCE_KEYRING: the app's own keyring entries
 * @SEXTANT_AWS_CREDENTIAL_SOURCE_ENVIRONMENT: `AWS_*` environment variables
 * @SEXTANT_AWS_CREDENTIAL_SOURCE_SHARED_FILE: `~/.aws/credentials` or `~/.aws/config`
 * @SEXTANT_AWS_CREDENTIAL_SOURCE_STATIC: given by the program (tests)
 */
typedef enum
{
  SEXTANT_AWS_CREDENTIAL_SOURCE_KEYRING,
  SEXTANT_AWS_CREDENTIAL_SOURCE_ENVIRONMENT,
  SEXTANT_AWS_CREDENTIAL_SOURCE_SHARED_FILE,
  SEXTANT_AWS_CREDENTIAL_SOURCE_STATIC,
} SextantAwsCredentialSource;

/**
 * SextantAwsCredentials:
 * @access_key_id: (nullable): the access key id (SigV4)
 * @secret_access_key: (nullable): the secret key (SigV4)
 * @session_token: (nullable): the session token of temporary credentials
 * @bearer_token: (nullable): a Bedrock API key; when set it is used instead of SigV4
 * @source: where they came from
 * @source_description: the same for people, e.g. “environment (AWS_ACCESS_KEY_ID)”
 */
typedef struct
{
  char                       *access_key_id;
  char                       *secret_access_key;
  char                       *session_token;
  char                       *bearer_token;
  SextantAwsCredentialSource  source;
  char                       *source_description;
} SextantAwsCredentials;

SextantAwsCredentials *sextant_aws_credentials_new_static (const char                  *access_key_id,
                                                           const char                  *secret_access_key,
                                                           const char                  *session_token,
                                                           const char                  *bearer_token);
SextantAwsCredentials *sextant_aws_credentials_copy       (const SextantAwsCredentials *credentials);
gboolean               sextant_aws_credentials_equal      (const SextantAwsCredentials *a,
                                                           const SextantAwsCredentials *b);
void                   sextant_aws_credentials_free       (SextantAwsCredentials       *credentials);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantAwsCredentials, sextant_aws_credentials_free)

#define SEXTANT_TYPE_AWS_CREDENTIALS_PROVIDER (sextant_aws_credentials_provider_get_type ())

G_DECLARE_FINAL_TYPE (SextantAwsCredentialsProvider, sextant_aws_credentials_provider, SEXTANT,
                      AWS_CREDENTIALS_PROVIDER, GObject)

SextantAwsCredentialsProvider *sextant_aws_credentials_provider_new          (SextantSecretStore            *store,
                                                                              const SextantAwsConfig        *config);
SextantAwsCredentialsProvider *sextant_aws_credentials_provider_new_static   (const SextantAwsCredentials   *credentials);
const char                    *sextant_aws_credentials_provider_get_keyring_problem (SextantAwsCredentialsProvider *self);
void                           sextant_aws_credentials_provider_resolve_async (SextantAwsCredentialsProvider *self,
                                                                              GCancellable                  *cancellable,
                                                                              GAsyncReadyCallback            callback,
                                                                              gpointer                       user_data);
SextantAwsCredentials         *sextant_aws_credentials_provider_resolve_finish (SextantAwsCredentialsProvider *self,
                                                                               GAsyncResult                  *result,
                                                                               GError                       **error);
SextantAwsCredentials         *sextant_aws_credentials_resolve_non_keyring   (const SextantAwsConfig        *config,
                                                                              GError                       **error);

G_END_DECLS
