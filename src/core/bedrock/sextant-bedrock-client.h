#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "bedrock/sextant-aws-config.h"
#include "bedrock/sextant-aws-credentials.h"
#include "bedrock/sextant-converse-request.h"
#include "bedrock/sextant-converse-result.h"

G_BEGIN_DECLS

/**
 * SextantBedrockPlane:
 * @SEXTANT_BEDROCK_PLANE_RUNTIME: bedrock-runtime (Converse, InvokeModel)
 * @SEXTANT_BEDROCK_PLANE_CONTROL: bedrock (model catalogue)
 */
typedef enum
{
  SEXTANT_BEDROCK_PLANE_RUNTIME,
  SEXTANT_BEDROCK_PLANE_CONTROL,
} SextantBedrockPlane;

#define SEXTANT_TYPE_BEDROCK_CLIENT (sextant_bedrock_client_get_type ())

G_DECLARE_FINAL_TYPE (SextantBedrockClient, sextant_bedrock_client, SEXTANT, BEDROCK_CLIENT, GObject)

SextantBedrockClient   *sextant_bedrock_client_new              (const SextantAwsConfig         *config,
                                                                 SextantAwsCredentialsProvider  *provider,
                                                                 SoupSession                    *session);
const char             *sextant_bedrock_client_get_region       (SextantBedrockClient           *self);
gboolean                sextant_bedrock_client_add_fallback     (SextantBedrockClient           *self,
                                                                 const char                     *region,
                                                                 const char                     *model_id,
                                                                 const char                     *endpoint,
                                                                 GError                        **error);
gboolean                sextant_bedrock_client_add_fallback_specs (SextantBedrockClient         *self,
                                                                 const char * const             *specs,
                                                                 GError                        **error);
guint                   sextant_bedrock_client_get_n_routes     (SextantBedrockClient           *self);
const char             *sextant_bedrock_client_get_working_id   (SextantBedrockClient           *self,
                                                                 const char                     *region,
                                                                 const char                     *model_id);
SoupSession            *sextant_bedrock_client_get_session      (SextantBedrockClient           *self);
int                     sextant_bedrock_client_get_retry_tokens (SextantBedrockClient           *self);
char                   *sextant_bedrock_client_build_model_path (const char                     *model_id,
                                                                 const char                     *operation);
void                    sextant_bedrock_client_converse_async   (SextantBedrockClient           *self,
                                                                 const char                     *model_id,
                                                                 SextantConverseRequest         *request,
                                                                 SextantConverseResult          *result,
                                                                 gboolean                        stream,
                                                                 GCancellable                   *cancellable,
                                                                 GAsyncReadyCallback             callback,
                                                                 gpointer                        user_data);
gboolean                sextant_bedrock_client_converse_finish  (SextantBedrockClient           *self,
                                                                 GAsyncResult                   *result,
                                                                 GError                        **error);
gboolean                sextant_bedrock_client_converse_sync    (SextantBedrockClient           *self,
                                                                 const char                     *model_id,
                                                                 SextantConverseRequest         *request,
                                                                 SextantConverseResult          *result,
                                                                 gboolean                        stream,
                                                                 GCancellable                   *cancellable,
                                                                 GError                        **error);
void                    sextant_bedrock_client_request_json_async (SextantBedrockClient         *self,
                                                                 SextantBedrockPlane             plane,
                                                                 const char                     *method,
                                                                 const char                     *path,
                                                                 GBytes                         *body,
                                                                 const char                     *model_id,
                                                                 GCancellable                   *cancellable,
                                                                 GAsyncReadyCallback             callback,
                                                                 gpointer                        user_data);
JsonNode               *sextant_bedrock_client_request_json_finish (SextantBedrockClient        *self,
                                                                 GAsyncResult                   *result,
                                                                 GError                        **error);

G_END_DECLS
