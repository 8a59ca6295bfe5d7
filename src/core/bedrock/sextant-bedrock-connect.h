#pragma once

#include <gio/gio.h>

#include "base/sextant-secret-store.h"
#include "bedrock/sextant-aws-config.h"
#include "bedrock/sextant-bedrock-client.h"

G_BEGIN_DECLS

void                  sextant_bedrock_connect_async   (SextantSecretStore      *secrets,
                                                       const SextantAwsConfig  *config,
                                                       GCancellable            *cancellable,
                                                       GAsyncReadyCallback      callback,
                                                       gpointer                 user_data);
SextantBedrockClient *sextant_bedrock_connect_finish  (GAsyncResult            *result,
                                                       char                   **keyring_problem,
                                                       char                   **credentials_source,
                                                       GError                 **error);
SextantBedrockClient *sextant_bedrock_connect         (SextantSecretStore      *secrets,
                                                       const SextantAwsConfig  *config,
                                                       char                   **keyring_problem,
                                                       GError                 **error);

G_END_DECLS
