#pragma once

#include <gio/gio.h>

#include "bedrock/sextant-aws-credentials.h"

G_BEGIN_DECLS

gboolean               sextant_container_credentials_available (void);
SextantAwsCredentials *sextant_container_credentials_fetch     (GError **error);

G_END_DECLS
