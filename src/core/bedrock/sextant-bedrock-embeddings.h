#pragma once

#include "bedrock/sextant-bedrock-client.h"

G_BEGIN_DECLS

#define SEXTANT_TITAN_EMBED_V2 "amazon.titan-embed-text-v2:0"
#define SEXTANT_COHERE_EMBED_V4 "cohere.embed-v4:0"
/* Cohere Embed v4 takes at most 96 texts per request. */
#define SEXTANT_COHERE_MAX_TEXTS 96

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

gboolean   sextant_embedding_model_is_cohere          (const char           *model_id);
GBytes    *sextant_cohere_embedding_request           (const char * const   *texts,
                                                       guint                 n_texts,
                                                       const char           *input_type,
                                                       guint                 dimensions,
                                                       GError              **error);
GPtrArray *sextant_cohere_embedding_parse             (JsonNode             *response,
                                                       guint                 n_texts,
                                                       GError              **error);
void       sextant_bedrock_client_embed_batch_async   (SextantBedrockClient *self,
                                                       const char           *model_id,
                                                       const char * const   *texts,
                                                       guint                 n_texts,
                                                       const char           *input_type,
                                                       guint                 dimensions,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GPtrArray *sextant_bedrock_client_embed_batch_finish  (SextantBedrockClient *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
