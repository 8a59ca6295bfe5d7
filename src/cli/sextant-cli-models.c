#define G_LOG_DOMAIN "sextant-cli-models"

#include "config.h"

#include <stdio.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

/* `sextant-cli models`: the Bedrock catalogue for a region, base models and inference
 * profiles merged; a cached or built-in list when the control plane cannot be reached. */

static const char *source_names[] = { "live", "memory", "disk", "builtin" };

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GPtrArray *
list_models (SextantBedrockClient   *client,
             SextantCatalogueSource *source,
             GError                **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_main_context_push_thread_default (context);
  sextant_bedrock_catalogue_list_async (client, NULL, listed_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return sextant_bedrock_catalogue_list_finish (client, result, source, error);
}

static void
print_text (GPtrArray *models)
{
  printf ("%-55s %-10s %-11s %s\n", "ID", "KIND", "PROVIDER", "NAME");
  for (guint i = 0; i < models->len; i++)
    {
      SextantBedrockModel *m = models->pdata[i];

      printf ("%-55s %-10s %-11s %s\n", m->id,
              m->is_profile ? "profile" : (g_strcmp0 (m->output_modality, "EMBEDDING") == 0 ? "embedding" : "model"),
              m->provider != NULL ? m->provider : "-", m->name != NULL ? m->name : "");
    }
}

static void
print_json (const char             *region,
            SextantCatalogueSource  source,
            GPtrArray              *models)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "region");
  json_builder_add_string_value (b, region);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, source_names[source]);
  json_builder_set_member_name (b, "models");
  json_builder_add_value (b, sextant_bedrock_catalogue_to_json (models));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  sextant_cli_print_json (root);
}

int
sextant_cli_models_main (int    argc,
                         char **argv)
{
  g_autofree char *region = NULL, *format_text = NULL;
  GOptionEntry entries[] = {
    { "region", 'r', 0, G_OPTION_ARG_STRING, &region, "AWS region (default: AWS_REGION, profile)", "R" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text, "Output format: text or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— list Bedrock models and inference profiles");
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(SextantSecretStore) store = NULL;
  g_autoptr(SextantAwsCredentialsProvider) provider = NULL;
  g_autoptr(SextantBedrockClient) client = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  SextantCatalogueSource source = SEXTANT_CATALOGUE_LIVE;
  SextantCliFormat format;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, "models", &exit_code))
    return exit_code;
  if (!sextant_cli_parse_format (format_text, (1u << SEXTANT_CLI_FORMAT_TEXT) | (1u << SEXTANT_CLI_FORMAT_JSON), &format, &error))
    return sextant_cli_usage_error (context, "models", error->message);
  if (argc > 1)
    return sextant_cli_usage_error (context, "models", "unexpected argument");
  if ((config = sextant_aws_config_load (region, NULL, &error)) == NULL)
    return sextant_cli_fail (-1, "models", error);
  store = sextant_secret_store_new ();
  sextant_secret_store_set_timeout (store, 3000);
  provider = sextant_aws_credentials_provider_new (store, config);
  client = sextant_bedrock_client_new (config, provider, NULL);
  if ((models = list_models (client, &source, &error)) == NULL)
    return sextant_cli_fail (-1, "models", error);
  if (source == SEXTANT_CATALOGUE_DISK || source == SEXTANT_CATALOGUE_BUILTIN)
    fprintf (stderr, "sextant-cli models: Bedrock unreachable; showing the %s list\n",
             source == SEXTANT_CATALOGUE_DISK ? "cached" : "built-in");
  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (config->region, source, models);
  else
    print_text (models);

  return SEXTANT_CLI_EXIT_OK;
}
