#pragma once

#include "bedrock/sextant-bedrock-client.h"

G_BEGIN_DECLS

/**
 * SextantBedrockModel:
 * @id: the id to pass as model id (a base model id or an inference profile id)
 * @name: a display name
 * @provider: the provider name (“Anthropic”), or %NULL
 * @arn: the model or profile ARN
 * @is_profile: %TRUE for an inference profile
 * @streaming: whether ConverseStream works with it
 * @on_demand: whether it can be called by its plain id (otherwise through a profile only)
 * @output_modality: `TEXT`, `EMBEDDING`, `IMAGE` …
 * @status: `ACTIVE`, `LEGACY` …
 */
typedef struct
{
  char     *id;
  char     *name;
  char     *provider;
  char     *arn;
  gboolean  is_profile;
  gboolean  streaming;
  gboolean  on_demand;
  char     *output_modality;
  char     *status;
} SextantBedrockModel;

/**
 * SextantCatalogueSource:
 * @SEXTANT_CATALOGUE_LIVE: fetched from the control plane just now
 * @SEXTANT_CATALOGUE_MEMORY: fetched earlier in this process
 * @SEXTANT_CATALOGUE_DISK: read from the disk cache (the service was unreachable)
 * @SEXTANT_CATALOGUE_BUILTIN: Sextant's built-in list (unreachable and never cached)
 */
typedef enum
{
  SEXTANT_CATALOGUE_LIVE,
  SEXTANT_CATALOGUE_MEMORY,
  SEXTANT_CATALOGUE_DISK,
  SEXTANT_CATALOGUE_BUILTIN,
} SextantCatalogueSource;

/**
 * SextantModelAvailability:
 * @SEXTANT_MODEL_AVAILABLE: the region's catalogue lists it
 * @SEXTANT_MODEL_UNAVAILABLE: the region's catalogue does not list it, or it is a profile of
 *   another geography or the ARN of another region
 * @SEXTANT_MODEL_AVAILABILITY_UNKNOWN: no catalogue of the region to tell
 */
typedef enum
{
  SEXTANT_MODEL_AVAILABLE,
  SEXTANT_MODEL_UNAVAILABLE,
  SEXTANT_MODEL_AVAILABILITY_UNKNOWN,
} SextantModelAvailability;

void        sextant_bedrock_model_free             (SextantBedrockModel  *model);
SextantModelAvailability
            sextant_bedrock_model_availability     (const char           *model_id,
                                                    const char           *region,
                                                    GPtrArray            *listed);
GPtrArray  *sextant_bedrock_catalogue_parse        (JsonNode             *models,
                                                    JsonNode             *profiles,
                                                    GError              **error);
GPtrArray  *sextant_bedrock_catalogue_builtin      (const char           *region);
JsonNode   *sextant_bedrock_catalogue_to_json      (GPtrArray            *models);
GPtrArray  *sextant_bedrock_catalogue_from_json    (JsonNode             *node);
void        sextant_bedrock_catalogue_clear_memory (void);
void        sextant_bedrock_catalogue_list_async   (SextantBedrockClient *client,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GPtrArray  *sextant_bedrock_catalogue_list_finish  (SextantBedrockClient *client,
                                                    GAsyncResult         *result,
                                                    SextantCatalogueSource *source,
                                                    GError              **error);

G_END_DECLS
