#define G_LOG_DOMAIN "sextant-bedrock-catalogue"

#include "config.h"

#include <string.h>

#include "bedrock/sextant-bedrock-catalogue.h"
#include "bedrock/sextant-bedrock-error.h"

/* The model picker's list: ListFoundationModels and ListInferenceProfiles (PROTOCOL.md §9)
 * merged for the client's region. Newer models only run through a profile, so profiles are
 * listed beside base models rather than hidden; nothing is filtered on ON_DEMAND alone. Kept in
 * memory and on disk; when the control plane is unreachable the last list or a built-in one
 * is used. */

#define MAX_PROFILE_PAGES 20

static GHashTable *memory_cache;   /* region → JsonNode (the serialised list) */
G_LOCK_DEFINE_STATIC (memory_cache);

void
sextant_bedrock_model_free (SextantBedrockModel *model)
{
  if (model == NULL)
    return;
  g_free (model->id);
  g_free (model->name);
  g_free (model->provider);
  g_free (model->arn);
  g_free (model->output_modality);
  g_free (model->status);
  g_free (model);
}

/* Whether a cross-region inference profile id can be called from @region: its prefix names the
 * geography it routes within, and only a region of that geography is a source for it
 * (PROTOCOL.md §1; `global.` from any commercial region). %TRUE for an id with no such prefix. */
static gboolean
geography_allows (const char *model_id,
                  const char *region)
{
  static const struct { const char *prefix, *regions; } geographies[] = {
    { "us-gov.", "us-gov-" }, { "us.", "us-" }, { "eu.", "eu-" }, { "apac.", "ap-" },
    { "ca.", "ca-" }, { "jp.", "ap-" }, { "au.", "ap-" },
  };

  if (g_str_has_prefix (model_id, "global."))
    return !g_str_has_prefix (region, "us-gov-") && !g_str_has_prefix (region, "cn-");
  for (guint i = 0; i < G_N_ELEMENTS (geographies); i++)
    if (g_str_has_prefix (model_id, geographies[i].prefix))
      return g_str_has_prefix (region, geographies[i].regions) &&
             (g_str_equal (geographies[i].prefix, "us-gov.") || !g_str_has_prefix (region, "us-gov-"));

  return TRUE;
}

/**
 * sextant_bedrock_model_availability:
 * @model_id: a model id, inference profile id or ARN
 * @region: the region requests are signed for
 * @listed: (nullable) (element-type SextantBedrockModel): the region's catalogue, as the service
 *   (or its cache) listed it; %NULL when there is none (the built-in list)
 *
 * Whether @model_id can be called in @region, as far as Sextant can tell without calling it: a
 * profile of another geography or the ARN of another region cannot, whatever the catalogue;
 * otherwise the region's catalogue decides, and without one nobody knows.
 *
 * Returns: the availability
 */
SextantModelAvailability
sextant_bedrock_model_availability (const char *model_id,
                                    const char *region,
                                    GPtrArray  *listed)
{
  g_return_val_if_fail (model_id != NULL, SEXTANT_MODEL_AVAILABILITY_UNKNOWN);

  if (region == NULL || region[0] == '\0')
    return SEXTANT_MODEL_AVAILABILITY_UNKNOWN;
  if (g_str_has_prefix (model_id, "arn:"))
    {
      g_auto(GStrv) parts = g_strsplit (model_id, ":", 5);

      /* arn:PARTITION:bedrock:REGION:ACCOUNT:…; foundation-model ARNs of any region name it. */
      if (g_strv_length (parts) >= 4 && parts[3][0] != '\0' && !g_str_equal (parts[3], region))
        return SEXTANT_MODEL_UNAVAILABLE;
    }
  else if (!geography_allows (model_id, region))
    return SEXTANT_MODEL_UNAVAILABLE;
  if (listed == NULL)
    return SEXTANT_MODEL_AVAILABILITY_UNKNOWN;
  for (guint i = 0; i < listed->len; i++)
    {
      const SextantBedrockModel *m = listed->pdata[i];

      if (g_strcmp0 (m->id, model_id) == 0 || g_strcmp0 (m->arn, model_id) == 0)
        return SEXTANT_MODEL_AVAILABLE;
    }

  /* The catalogue lists system-defined profiles only: an account's own (application) profile
   * or provisioned model is not in it, and may well exist. */
  return g_str_has_prefix (model_id, "arn:") ? SEXTANT_MODEL_AVAILABILITY_UNKNOWN : SEXTANT_MODEL_UNAVAILABLE;
}

static const char *
str (JsonObject *o,
     const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

static gboolean
array_has (JsonObject *o,
           const char *name,
           const char *value)
{
  JsonNode *node = json_object_get_member (o, name);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);

      if (json_node_get_value_type (e) == G_TYPE_STRING && g_strcmp0 (json_node_get_string (e), value) == 0)
        return TRUE;
    }

  return FALSE;
}

static const char *
first_string (JsonObject *o,
              const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return NULL;
  node = json_array_get_element (json_node_get_array (node), 0);

  return json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

static SextantBedrockModel *
model_from_summary (JsonObject *o)
{
  SextantBedrockModel *model;
  JsonNode *lifecycle = json_object_get_member (o, "modelLifecycle");
  JsonNode *streaming = json_object_get_member (o, "responseStreamingSupported");

  if (str (o, "modelId") == NULL)
    return NULL;
  model = g_new0 (SextantBedrockModel, 1);
  model->id = g_strdup (str (o, "modelId"));
  model->name = g_strdup (str (o, "modelName") != NULL ? str (o, "modelName") : model->id);
  model->provider = g_strdup (str (o, "providerName"));
  model->arn = g_strdup (str (o, "modelArn"));
  model->streaming = streaming != NULL && json_node_get_value_type (streaming) == G_TYPE_BOOLEAN && json_node_get_boolean (streaming);
  model->on_demand = array_has (o, "inferenceTypesSupported", "ON_DEMAND");
  model->output_modality = g_strdup (first_string (o, "outputModalities"));
  if (lifecycle != NULL && JSON_NODE_HOLDS_OBJECT (lifecycle))
    model->status = g_strdup (str (json_node_get_object (lifecycle), "status"));

  return model;
}

static SextantBedrockModel *
model_from_profile (JsonObject *o,
                    GHashTable *by_arn)
{
  SextantBedrockModel *model;
  JsonNode *models = json_object_get_member (o, "models");
  SextantBedrockModel *base = NULL;

  if (str (o, "inferenceProfileId") == NULL)
    return NULL;
  if (models != NULL && JSON_NODE_HOLDS_ARRAY (models) && json_array_get_length (json_node_get_array (models)) > 0)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (models), 0);

      if (JSON_NODE_HOLDS_OBJECT (first))
        base = g_hash_table_lookup (by_arn, str (json_node_get_object (first), "modelArn") ?: "");
    }
  model = g_new0 (SextantBedrockModel, 1);
  model->id = g_strdup (str (o, "inferenceProfileId"));
  model->name = g_strdup (str (o, "inferenceProfileName") != NULL ? str (o, "inferenceProfileName") : model->id);
  model->arn = g_strdup (str (o, "inferenceProfileArn"));
  model->is_profile = TRUE;
  model->on_demand = TRUE;
  model->status = g_strdup (str (o, "status"));
  model->provider = g_strdup (base != NULL ? base->provider : NULL);
  model->streaming = base != NULL ? base->streaming : TRUE;
  model->output_modality = g_strdup (base != NULL ? base->output_modality : "TEXT");

  return model;
}

static JsonArray *
member_array (JsonNode   *node,
              const char *name)
{
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  member = json_object_get_member (json_node_get_object (node), name);

  return member != NULL && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
}

/**
 * sextant_bedrock_catalogue_parse:
 * @models: a ListFoundationModels response
 * @profiles: (nullable): a ListInferenceProfiles response (one or more pages merged)
 * @error: return location for %SEXTANT_BEDROCK_ERROR_PARSE
 *
 * Returns: (transfer full) (element-type SextantBedrockModel): base models, then profiles
 */
GPtrArray *
sextant_bedrock_catalogue_parse (JsonNode  *models,
                                 JsonNode  *profiles,
                                 GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)sextant_bedrock_model_free);
  g_autoptr(GHashTable) by_arn = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *summaries = member_array (models, "modelSummaries");
  JsonArray *profile_list = member_array (profiles, "inferenceProfileSummaries");

  if (summaries == NULL)
    {
      g_set_error_literal (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                           "ListFoundationModels response has no modelSummaries array");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (summaries); i++)
    {
      JsonNode *e = json_array_get_element (summaries, i);
      SextantBedrockModel *model = JSON_NODE_HOLDS_OBJECT (e) ? model_from_summary (json_node_get_object (e)) : NULL;

      if (model == NULL)
        continue;
      g_ptr_array_add (list, model);
      if (model->arn != NULL)
        g_hash_table_insert (by_arn, model->arn, model);
    }
  for (guint i = 0; profile_list != NULL && i < json_array_get_length (profile_list); i++)
    {
      JsonNode *e = json_array_get_element (profile_list, i);
      SextantBedrockModel *model = JSON_NODE_HOLDS_OBJECT (e) ? model_from_profile (json_node_get_object (e), by_arn) : NULL;

      if (model != NULL)
        g_ptr_array_add (list, model);
    }

  return g_steal_pointer (&list);
}

static void
add_builtin (GPtrArray  *list,
             const char *id,
             const char *name,
             const char *provider,
             gboolean    is_profile,
             const char *modality)
{
  SextantBedrockModel *model = g_new0 (SextantBedrockModel, 1);

  model->id = g_strdup (id);
  model->name = g_strdup (name);
  model->provider = g_strdup (provider);
  model->is_profile = is_profile;
  model->on_demand = TRUE;
  model->streaming = g_strcmp0 (modality, "TEXT") == 0;
  model->output_modality = g_strdup (modality);
  model->status = g_strdup ("ACTIVE");
  g_ptr_array_add (list, model);
}

/**
 * sextant_bedrock_catalogue_builtin:
 * @region: the region, whose geography prefixes the profile ids
 *
 * Ids from PROTOCOL.md's examples, so a first run without network still offers a choice.
 *
 * Returns: (transfer full) (element-type SextantBedrockModel): a short built-in list
 */
GPtrArray *
sextant_bedrock_catalogue_builtin (const char *region)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)sextant_bedrock_model_free);
  g_autofree char *sonnet = sextant_bedrock_suggest_profile_id ("anthropic.claude-sonnet-4-6", region);
  g_autofree char *haiku = sextant_bedrock_suggest_profile_id ("anthropic.claude-3-5-haiku-20241022-v1:0", region);
  /* Sextant's default model (the bedrock-model-id setting), so that it shows by name. */
  g_autofree char *sonnet4 = sextant_bedrock_suggest_profile_id ("anthropic.claude-sonnet-4-20250514-v1:0", region);
  g_autofree char *sonnet35 = sextant_bedrock_suggest_profile_id ("anthropic.claude-3-5-sonnet-20241022-v2:0", region);

  add_builtin (list, "amazon.nova-lite-v1:0", "Nova Lite", "Amazon", FALSE, "TEXT");
  add_builtin (list, "amazon.nova-pro-v1:0", "Nova Pro", "Amazon", FALSE, "TEXT");
  add_builtin (list, sonnet, "Claude Sonnet 4.6 (cross-region)", "Anthropic", TRUE, "TEXT");
  add_builtin (list, sonnet4, "Claude Sonnet 4 (cross-region)", "Anthropic", TRUE, "TEXT");
  add_builtin (list, sonnet35, "Claude 3.5 Sonnet v2 (cross-region)", "Anthropic", TRUE, "TEXT");
  add_builtin (list, haiku, "Claude 3.5 Haiku (cross-region)", "Anthropic", TRUE, "TEXT");
  add_builtin (list, "anthropic.claude-3-haiku-20240307-v1:0", "Claude 3 Haiku", "Anthropic", FALSE, "TEXT");
  add_builtin (list, "amazon.titan-embed-text-v2:0", "Titan Text Embeddings V2", "Amazon", FALSE, "EMBEDDING");

  return list;
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/**
 * sextant_bedrock_catalogue_to_json:
 *
 * Returns: (transfer full): `[{id, name, provider, arn, profile, streaming, onDemand,
 *   outputModality, status}]`, the disk cache format and `sextant-cli models --format json`
 */
JsonNode *
sextant_bedrock_catalogue_to_json (GPtrArray *models)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < models->len; i++)
    {
      SextantBedrockModel *m = models->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "id", m->id);
      add_string (b, "name", m->name);
      add_string (b, "provider", m->provider);
      add_string (b, "arn", m->arn);
      json_builder_set_member_name (b, "profile");
      json_builder_add_boolean_value (b, m->is_profile);
      json_builder_set_member_name (b, "streaming");
      json_builder_add_boolean_value (b, m->streaming);
      json_builder_set_member_name (b, "onDemand");
      json_builder_add_boolean_value (b, m->on_demand);
      add_string (b, "outputModality", m->output_modality);
      add_string (b, "status", m->status);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  return json_builder_get_root (b);
}

static gboolean
get_bool (JsonObject *o,
          const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/**
 * sextant_bedrock_catalogue_from_json:
 *
 * Returns: (transfer full) (nullable): the list read back, or %NULL if @node is not one
 */
GPtrArray *
sextant_bedrock_catalogue_from_json (JsonNode *node)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)sextant_bedrock_model_free);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      SextantBedrockModel *m;

      if (o == NULL || str (o, "id") == NULL)
        return NULL;
      m = g_new0 (SextantBedrockModel, 1);
      m->id = g_strdup (str (o, "id"));
      m->name = g_strdup (str (o, "name"));
      m->provider = g_strdup (str (o, "provider"));
      m->arn = g_strdup (str (o, "arn"));
      m->is_profile = get_bool (o, "profile");
      m->streaming = get_bool (o, "streaming");
      m->on_demand = get_bool (o, "onDemand");
      m->output_modality = g_strdup (str (o, "outputModality"));
      m->status = g_strdup (str (o, "status"));
      g_ptr_array_add (list, m);
    }

  return g_steal_pointer (&list);
}

void
sextant_bedrock_catalogue_clear_memory (void)
{
  G_LOCK (memory_cache);
  g_clear_pointer (&memory_cache, g_hash_table_unref);
  G_UNLOCK (memory_cache);
}

static char *
cache_path (const char *region)
{
  g_autofree char *leaf = g_strdup_printf ("bedrock-models-%s.json", region);

  return g_build_filename (g_get_user_cache_dir (), "sextant", leaf, NULL);
}

typedef struct
{
  JsonNode  *models;
  JsonArray *profiles;
  guint      pages;
} ListState;

static void
list_state_free (ListState *state)
{
  g_clear_pointer (&state->models, json_node_unref);
  g_clear_pointer (&state->profiles, json_array_unref);
  g_free (state);
}

static void
return_list (GTask                  *task,
             GPtrArray              *list,
             SextantCatalogueSource  source)
{
  g_task_set_task_data (task, GINT_TO_POINTER (source), NULL);
  g_task_return_pointer (task, list, (GDestroyNotify)g_ptr_array_unref);
}

static void
fall_back (GTask  *task,
           GError *error)
{
  SextantBedrockClient *client = g_task_get_source_object (task);
  g_autofree char *path = cache_path (sextant_bedrock_client_get_region (client));
  g_autoptr(JsonParser) parser = json_parser_new ();
  GPtrArray *list = NULL;

  /* Offline or throttled: an older list is better than none; other errors are the user's. */
  if (error->domain != SEXTANT_BEDROCK_ERROR ||
      (error->code != SEXTANT_BEDROCK_ERROR_NETWORK && error->code != SEXTANT_BEDROCK_ERROR_TIMEOUT &&
       error->code != SEXTANT_BEDROCK_ERROR_THROTTLED && error->code != SEXTANT_BEDROCK_ERROR_SERVICE_UNAVAILABLE &&
       error->code != SEXTANT_BEDROCK_ERROR_INTERNAL))
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("Model catalogue unavailable (%s); using a cached or built-in list", error->message);
  if (json_parser_load_from_file (parser, path, NULL))
    list = sextant_bedrock_catalogue_from_json (json_parser_get_root (parser));
  g_error_free (error);
  if (list != NULL)
    return_list (task, list, SEXTANT_CATALOGUE_DISK);
  else
    return_list (task, sextant_bedrock_catalogue_builtin (sextant_bedrock_client_get_region (client)),
                 SEXTANT_CATALOGUE_BUILTIN);
}

static void
store_caches (const char *region,
              GPtrArray  *list)
{
  g_autoptr(JsonNode) node = sextant_bedrock_catalogue_to_json (list);
  g_autofree char *path = cache_path (region);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = json_to_string (node, TRUE);

  G_LOCK (memory_cache);
  if (memory_cache == NULL)
    memory_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)json_node_unref);
  g_hash_table_replace (memory_cache, g_strdup (region), json_node_ref (node));
  G_UNLOCK (memory_cache);
  if (g_mkdir_with_parents (dir, 0700) != 0 || !g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL))
    g_debug ("Could not write the model cache %s", path);
}

static void fetch_profiles (GTask *task, const char *next_token);

static void
finish_fetch (GTask *task)
{
  SextantBedrockClient *client = g_task_get_source_object (task);
  ListState *state = g_object_get_data (G_OBJECT (task), "state");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) profiles = NULL;
  GError *error = NULL;
  GPtrArray *list;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "inferenceProfileSummaries");
  json_builder_add_value (b, json_node_init_array (json_node_alloc (), state->profiles));
  json_builder_end_object (b);
  profiles = json_builder_get_root (b);
  list = sextant_bedrock_catalogue_parse (state->models, profiles, &error);
  if (list == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  store_caches (sextant_bedrock_client_get_region (client), list);
  return_list (task, list, SEXTANT_CATALOGUE_LIVE);
}

static void
profiles_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListState *state = g_object_get_data (G_OBJECT (task), "state");
  g_autoptr(JsonNode) node = NULL;
  JsonArray *page;
  const char *next = NULL;
  GError *error = NULL;

  node = sextant_bedrock_client_request_json_finish (SEXTANT_BEDROCK_CLIENT (object), result, &error);
  if (node == NULL)
    {
      /* Some accounts may not list profiles (IAM): base models alone are still a list. */
      g_debug ("ListInferenceProfiles failed: %s", error->message);
      g_error_free (error);
      finish_fetch (task);
      return;
    }
  page = member_array (node, "inferenceProfileSummaries");
  for (guint i = 0; page != NULL && i < json_array_get_length (page); i++)
    json_array_add_element (state->profiles, json_node_copy (json_array_get_element (page, i)));
  if (JSON_NODE_HOLDS_OBJECT (node))
    next = str (json_node_get_object (node), "nextToken");
  if (next != NULL && ++state->pages < MAX_PROFILE_PAGES)
    fetch_profiles (g_steal_pointer (&task), next);
  else
    finish_fetch (task);
}

static void
fetch_profiles (GTask      *task,
                const char *next_token)
{
  g_autofree char *escaped = next_token != NULL ? g_uri_escape_string (next_token, NULL, FALSE) : NULL;
  g_autofree char *path = g_strdup_printf ("/inference-profiles?maxResults=100%s%s",
                                           escaped != NULL ? "&nextToken=" : "", escaped != NULL ? escaped : "");

  sextant_bedrock_client_request_json_async (g_task_get_source_object (task), SEXTANT_BEDROCK_PLANE_CONTROL,
                                             "GET", path, NULL, NULL, g_task_get_cancellable (task),
                                             profiles_cb, task);
}

static void
models_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListState *state = g_object_get_data (G_OBJECT (task), "state");
  GError *error = NULL;

  state->models = sextant_bedrock_client_request_json_finish (SEXTANT_BEDROCK_CLIENT (object), result, &error);
  if (state->models == NULL)
    {
      fall_back (task, error);
      return;
    }
  fetch_profiles (g_steal_pointer (&task), NULL);
}

/**
 * sextant_bedrock_catalogue_list_async:
 * @client: a client for the region to list
 * @cancellable: (nullable): a cancellable
 * @callback: called with the list
 * @user_data: data for @callback
 */
void
sextant_bedrock_catalogue_list_async (SextantBedrockClient *client,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);
  ListState *state = g_new0 (ListState, 1);
  JsonNode *cached = NULL;

  g_task_set_source_tag (task, sextant_bedrock_catalogue_list_async);
  G_LOCK (memory_cache);
  if (memory_cache != NULL && (cached = g_hash_table_lookup (memory_cache, sextant_bedrock_client_get_region (client))) != NULL)
    cached = json_node_ref (cached);
  G_UNLOCK (memory_cache);
  if (cached != NULL)
    {
      return_list (task, sextant_bedrock_catalogue_from_json (cached), SEXTANT_CATALOGUE_MEMORY);
      json_node_unref (cached);
      list_state_free (state);
      return;
    }
  state->profiles = json_array_new ();
  g_object_set_data_full (G_OBJECT (task), "state", state, (GDestroyNotify)list_state_free);
  sextant_bedrock_client_request_json_async (client, SEXTANT_BEDROCK_PLANE_CONTROL, "GET", "/foundation-models",
                                             NULL, NULL, cancellable, models_cb, g_steal_pointer (&task));
}

/**
 * sextant_bedrock_catalogue_list_finish:
 * @source: (out) (optional): where the list came from
 *
 * Returns: (transfer full) (element-type SextantBedrockModel): the models
 */
GPtrArray *
sextant_bedrock_catalogue_list_finish (SextantBedrockClient    *client,
                                       GAsyncResult            *result,
                                       SextantCatalogueSource  *source,
                                       GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);

  if (source != NULL)
    *source = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));

  return g_task_propagate_pointer (G_TASK (result), error);
}
