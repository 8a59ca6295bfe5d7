#pragma once

#include "bedrock/sextant-bedrock-client.h"

G_BEGIN_DECLS

#define SEXTANT_TITAN_EMBED_V2 "amazon.titan-embed-text-v2:0"

GBytes  *sextant_titan_embedding_request     (const char           *text,
                                              guint                 dimensions,
                                              gboolean              normalize,
                                              GError              **error);
GArray  *sextant_titan_embedding_parse       (JsonNode             *response,
                                              guint                *input_tokens,
                                              GError              **error);
void     sextant_bedrock_client_embed_async  (SextantBedrockClient *self,
                                              const char           *model_id,
                                              const char           *text,
                                              guint                 dimensions,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GArray  *sextant_bedrock_client_embed_finish (SextantBedrockClient *self,
                                              GAsyncResult         *result,
                                              guint                *input_tokens,
                                              GError              **error);

G_END_DECLS
