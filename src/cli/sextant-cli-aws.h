#pragma once

#include "bedrock/sextant-aws-credentials.h"

G_BEGIN_DECLS

gboolean sextant_cli_aws_resolve (char                   **region,
                                  SextantAwsCredentials  **credentials,
                                  GError                 **error);

G_END_DECLS
