#define G_LOG_DOMAIN "sextant-bedrock-embeddings"

#include "config.h"

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
