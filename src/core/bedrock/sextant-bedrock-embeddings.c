#define G_LOG_DOMAIN "sextant-bedrock-embeddings"

#include "config.h"

#include <math.h>
#include <string.h>

#include "bedrock/sextant-bedrock-embeddings.h"
#include "bedrock/sextant-bedrock-error.h"

/* Titan Text Embeddings V2 through InvokeModel (PROTOCOL.md §7), for the knowledge base. */

#define MAX_CHARS 50000

/**
 * sextant_titan_embedding_request:
 * @text: the text, at most 50,000 characters
 * @dimensions: 256, 512 or 1024
 * @normalize: whether the service returns a unit vector
 * @error: return location for %SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT
 *
 * Returns: (transfer full) (nullable): the InvokeModel body
 */
GBytes *
sextant_titan_embedding_request (const char  *text,
                                 guint        dimensions,
                                 gboolean     normalize,
                                 GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  glong n_chars;
  char *json;

  if (text == NULL || (n_chars = g_utf8_strlen (text, -1)) == 0 || n_chars > MAX_CHARS)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT,
                   "Titan embeddings take 1 to %d characters of text, not %ld", MAX_CHARS,
                   text != NULL ? g_utf8_strlen (text, -1) : 0);
      return NULL;
    }
  if (dimensions != 256 && dimensions != 512 && dimensions != 1024)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT,
                   "Titan embeddings have 256, 512 or 1024 dimensions, not %u", dimensions);
      return NULL;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "inputText");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "dimensions");
  json_builder_add_int_value (b, dimensions);
  json_builder_set_member_name (b, "normalize");
  json_builder_add_boolean_value (b, normalize);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);

  return g_bytes_new_take (json, strlen (json));
}

/**
 * sextant_titan_embedding_parse:
 * @response: an InvokeModel response
 * @input_tokens: (out) (optional): `inputTextTokenCount`
 * @error: return location for %SEXTANT_BEDROCK_ERROR_PARSE
 *
 * Returns: (transfer full) (element-type float): the vector
 */
GArray *
sextant_titan_embedding_parse (JsonNode  *response,
                               guint     *input_tokens,
                               GError   **error)
{
  g_autoptr(GArray) vector = g_array_new (FALSE, FALSE, sizeof (float));
  JsonObject *o = response != NULL && JSON_NODE_HOLDS_OBJECT (response) ? json_node_get_object (response) : NULL;
  JsonNode *embedding = o != NULL ? json_object_get_member (o, "embedding") : NULL;
  JsonArray *array;

  if (embedding == NULL || !JSON_NODE_HOLDS_ARRAY (embedding))
    {
      g_set_error_literal (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                           "Titan embedding response has no embedding array");
      return NULL;
    }
  array = json_node_get_array (embedding);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      GType type = json_node_get_value_type (e);
      float value;

      if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
        {
          g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                       "Titan embedding component %u is not a number", i);
          return NULL;
        }
      value = type == G_TYPE_DOUBLE ? json_node_get_double (e) : json_node_get_int (e);
      g_array_append_val (vector, value);
    }
  if (input_tokens != NULL)
    *input_tokens = json_object_has_member (o, "inputTextTokenCount") ? json_object_get_int_member (o, "inputTextTokenCount") : 0;

  return g_steal_pointer (&vector);
}

static void
embed_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  GArray *vector;
  guint tokens = 0;

  node = sextant_bedrock_client_request_json_finish (SEXTANT_BEDROCK_CLIENT (object), result, &error);
  if (node == NULL || (vector = sextant_titan_embedding_parse (node, &tokens, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, GUINT_TO_POINTER (tokens), NULL);
  g_task_return_pointer (task, vector, (GDestroyNotify)g_array_unref);
}

/**
 * sextant_bedrock_client_embed_async:
 * @self: a client
 * @model_id: (nullable): the embedding model, %NULL for Titan Text Embeddings V2
 * @text: the text to embed
 * @dimensions: 256, 512 or 1024
 * @cancellable: (nullable): a cancellable
 * @callback: called with the vector
 * @user_data: data for @callback
 */
void
sextant_bedrock_client_embed_async (SextantBedrockClient *self,
                                    const char           *model_id,
                                    const char           *text,
                                    guint                 dimensions,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, sextant_bedrock_client_embed_async);
  if (model_id == NULL)
    model_id = SEXTANT_TITAN_EMBED_V2;
  if ((body = sextant_titan_embedding_request (text, dimensions, TRUE, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  path = sextant_bedrock_client_build_model_path (model_id, "invoke");
  sextant_bedrock_client_request_json_async (self, SEXTANT_BEDROCK_PLANE_RUNTIME, "POST", path, body, model_id,
                                             cancellable, embed_cb, g_steal_pointer (&task));
}

/**
 * sextant_bedrock_client_embed_finish:
 * @input_tokens: (out) (optional): tokens the service counted
 *
 * Returns: (transfer full) (element-type float): the embedding
 */
GArray *
sextant_bedrock_client_embed_finish (SextantBedrockClient  *self,
                                     GAsyncResult          *result,
                                     guint                 *input_tokens,
                                     GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (input_tokens != NULL)
    *input_tokens = GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result)));

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Cohere Embed v4 through InvokeModel: up to 96 texts a request, which makes bulk indexing far
 * cheaper in requests than Titan's one text each. `input_type` tells documents from queries. */

/**
 * sextant_embedding_model_is_cohere:
 * @model_id: a model or inference profile id (`cohere.embed-v4:0`, `global.cohere.embed-v4:0`)
 *
 * Returns: whether the model takes Cohere's batch request
 */
gboolean
sextant_embedding_model_is_cohere (const char *model_id)
{
  return model_id != NULL && strstr (model_id, "cohere.embed") != NULL;
}

/**
 * sextant_cohere_embedding_request:
 * @texts: (array length=n_texts): the texts
 * @n_texts: 1 to 96
 * @input_type: `search_document` or `search_query`
 * @dimensions: 256, 512, 1024 or 1536
 * @error: return location for %SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT
 *
 * Returns: (transfer full) (nullable): the InvokeModel body
 */
GBytes *
sextant_cohere_embedding_request (const char * const  *texts,
                                  guint                n_texts,
                                  const char          *input_type,
                                  guint                dimensions,
                                  GError             **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *json;

  if (n_texts == 0 || n_texts > SEXTANT_COHERE_MAX_TEXTS)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT,
                   "Cohere embeddings take 1 to %d texts per request, not %u", SEXTANT_COHERE_MAX_TEXTS, n_texts);
      return NULL;
    }
  if (dimensions != 256 && dimensions != 512 && dimensions != 1024 && dimensions != 1536)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT,
                   "Cohere Embed v4 has 256, 512, 1024 or 1536 dimensions, not %u", dimensions);
      return NULL;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "texts");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_texts; i++)
    json_builder_add_string_value (b, texts[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "input_type");
  json_builder_add_string_value (b, input_type);
  json_builder_set_member_name (b, "embedding_types");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "float");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "output_dimension");
  json_builder_add_int_value (b, dimensions);
  json_builder_set_member_name (b, "truncate");
  json_builder_add_string_value (b, "RIGHT");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);

  return g_bytes_new_take (json, strlen (json));
}

/**
 * sextant_cohere_embedding_parse:
 * @response: an InvokeModel response (`{"embeddings": {"float": [[…], …]}, …}`)
 * @n_texts: how many texts were sent
 * @error: return location for %SEXTANT_BEDROCK_ERROR_PARSE
 *
 * Returns: (transfer full) (element-type GArray): one vector of floats per text, scaled to unit
 *   length so that a dot product is the cosine, as with Titan's `normalize`
 */
GPtrArray *
sextant_cohere_embedding_parse (JsonNode  *response,
                                guint      n_texts,
                                GError   **error)
{
  g_autoptr(GPtrArray) vectors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  JsonObject *o = response != NULL && JSON_NODE_HOLDS_OBJECT (response) ? json_node_get_object (response) : NULL;
  JsonNode *embeddings = o != NULL ? json_object_get_member (o, "embeddings") : NULL;
  JsonNode *floats = NULL;
  JsonArray *rows;

  if (embeddings != NULL && JSON_NODE_HOLDS_OBJECT (embeddings))
    floats = json_object_get_member (json_node_get_object (embeddings), "float");
  else
    floats = embeddings;
  if (floats == NULL || !JSON_NODE_HOLDS_ARRAY (floats) ||
      json_array_get_length (rows = json_node_get_array (floats)) != n_texts)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                   "Cohere embedding response has no float embedding for each of the %u texts", n_texts);
      return NULL;
    }
  for (guint r = 0; r < n_texts; r++)
    {
      JsonNode *row = json_array_get_element (rows, r);
      GArray *vector;
      JsonArray *values;
      double norm = 0;

      if (!JSON_NODE_HOLDS_ARRAY (row))
        {
          g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                       "Cohere embedding %u is not an array", r);
          return NULL;
        }
      values = json_node_get_array (row);
      vector = g_array_sized_new (FALSE, FALSE, sizeof (float), json_array_get_length (values));
      g_ptr_array_add (vectors, vector);
      for (guint i = 0; i < json_array_get_length (values); i++)
        {
          JsonNode *e = json_array_get_element (values, i);
          GType type = json_node_get_value_type (e);
          float value;

          if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
            {
              g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                           "Cohere embedding %u component %u is not a number", r, i);
              return NULL;
            }
          value = type == G_TYPE_DOUBLE ? json_node_get_double (e) : json_node_get_int (e);
          norm += (double) value * value;
          g_array_append_val (vector, value);
        }
      for (guint i = 0; i < vector->len && norm > 0; i++)
        g_array_index (vector, float, i) /= sqrt (norm);
    }

  return g_steal_pointer (&vectors);
}

typedef struct
{
  guint n_texts;
} BatchData;

static void
embed_batch_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  GPtrArray *vectors;

  node = sextant_bedrock_client_request_json_finish (SEXTANT_BEDROCK_CLIENT (object), result, &error);
  if (node == NULL ||
      (vectors = sextant_cohere_embedding_parse (node, GPOINTER_TO_UINT (g_task_get_task_data (task)), &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, vectors, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * sextant_bedrock_client_embed_batch_async:
 * @self: a client
 * @model_id: a Cohere embedding model (%SEXTANT_COHERE_EMBED_V4 or a profile of it)
 * @texts: (array length=n_texts): up to 96 texts
 * @n_texts: how many
 * @input_type: `search_document` for passages, `search_query` for a question
 * @dimensions: 256, 512, 1024 or 1536
 * @cancellable: (nullable): a cancellable
 * @callback: called with the vectors
 * @user_data: data for @callback
 */
void
sextant_bedrock_client_embed_batch_async (SextantBedrockClient *self,
                                          const char           *model_id,
                                          const char * const   *texts,
                                          guint                 n_texts,
                                          const char           *input_type,
                                          guint                 dimensions,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, sextant_bedrock_client_embed_batch_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (n_texts), NULL);
  if ((body = sextant_cohere_embedding_request (texts, n_texts, input_type, dimensions, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  path = sextant_bedrock_client_build_model_path (model_id, "invoke");
  sextant_bedrock_client_request_json_async (self, SEXTANT_BEDROCK_PLANE_RUNTIME, "POST", path, body, model_id,
                                             cancellable, embed_batch_cb, g_steal_pointer (&task));
}

/**
 * sextant_bedrock_client_embed_batch_finish:
 *
 * Returns: (transfer full) (element-type GArray): one unit vector per text, in order
 */
GPtrArray *
sextant_bedrock_client_embed_batch_finish (SextantBedrockClient  *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
