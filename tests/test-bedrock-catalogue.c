#define G_LOG_DOMAIN "test-bedrock-catalogue"

#include "config.h"

#include <math.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fake-bedrock-server.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* Model catalogue and Titan embeddings against the fake server. The fake catalogue holds three
 * base models and one profile (tests/fake-bedrock-server.c, default_models/default_profiles);
 * the fake embedding is ±1/√d per component, so its norm is exactly 1. */

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

static SextantBedrockClient *
client_for (const char  *url,
            SoupSession *session)
{
  g_autoptr(SextantAwsConfig) config = sextant_aws_config_new_for_endpoint ("us-east-1", url);
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  SextantBedrockClient *client = sextant_bedrock_client_new (config, provider, session);

  g_object_set (client, "retry-base-delay-ms", 1, "max-attempts", 2, NULL);

  return client;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GPtrArray *
list (SextantBedrockClient   *client,
      SextantCatalogueSource *source,
      GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_bedrock_catalogue_list_async (client, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sextant_bedrock_catalogue_list_finish (client, result, source, error);
}

static SextantBedrockModel *
find (GPtrArray  *models,
      const char *id)
{
  for (guint i = 0; i < models->len; i++)
    if (g_strcmp0 (((SextantBedrockModel *)models->pdata[i])->id, id) == 0)
      return models->pdata[i];
  g_error ("model %s is not in the list", id);
}

static char *
dead_url (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);

  /* Closed at once: nothing listens on that port afterwards. */
  g_socket_listener_close (listener);

  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

static void
test_catalogue (void)
{
  g_autofree char *cache = sextant_test_make_temp_dir ();
  FakeBedrockServer *server = fake_bedrock_server_new ("us-east-1", AKID, SECRET);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(SextantBedrockClient) client = client_for (fake_bedrock_server_get_url (server), session);
  g_autofree char *dead = dead_url ();
  g_autoptr(SextantBedrockClient) offline = client_for (dead, session);
  g_autoptr(GPtrArray) live = NULL, memory = NULL, disk = NULL, builtin = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_file = NULL;
  SextantCatalogueSource source;
  SextantBedrockModel *profile;

  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  sextant_bedrock_catalogue_clear_memory ();
  live = list (client, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, SEXTANT_CATALOGUE_LIVE);
  g_assert_cmpuint (live->len, ==, 4);
  profile = find (live, "us.anthropic.claude-sonnet-4-6");
  g_assert_true (profile->is_profile);
  /* Provider taken from the base model the profile wraps. */
  g_assert_cmpstr (profile->provider, ==, "Anthropic");
  g_assert_false (find (live, "anthropic.claude-sonnet-4-6")->on_demand);
  g_assert_cmpstr (find (live, "amazon.titan-embed-text-v2:0")->output_modality, ==, "EMBEDDING");
  g_assert_cmpstr (fake_bedrock_server_get_request (server, 1)->path, ==, "/inference-profiles");
  g_assert_cmpstr (fake_bedrock_server_get_request (server, 1)->query, ==, "maxResults=100");
  g_assert_cmpuint (fake_bedrock_server_get_n_bad_signatures (server), ==, 0);

  memory = list (client, &source, &error);
  g_assert_cmpint (source, ==, SEXTANT_CATALOGUE_MEMORY);
  g_assert_cmpuint (memory->len, ==, 4);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (server), ==, 2);

  sextant_bedrock_catalogue_clear_memory ();
  disk = list (offline, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, SEXTANT_CATALOGUE_DISK);
  g_assert_cmpuint (disk->len, ==, 4);

  cache_file = g_build_filename (cache, "sextant", "bedrock-models-us-east-1.json", NULL);
  g_assert_cmpint (g_unlink (cache_file), ==, 0);
  builtin = list (offline, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, SEXTANT_CATALOGUE_BUILTIN);
  g_assert_true (find (builtin, "us.anthropic.claude-sonnet-4-6")->is_profile);

  g_clear_object (&client);
  g_clear_object (&offline);
  soup_session_abort (session);
  fake_bedrock_server_free (server);
}

static void
test_embeddings (void)
{
  FakeBedrockServer *server = fake_bedrock_server_new ("us-east-1", AKID, SECRET);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(SextantBedrockClient) client = client_for (fake_bedrock_server_get_url (server), session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(GArray) vector = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GError) error = NULL;
  guint tokens = 0;
  double norm = 0;

  sextant_bedrock_client_embed_async (client, NULL, "risk parity portfolio", 256, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  vector = sextant_bedrock_client_embed_finish (client, result, &tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vector->len, ==, 256);
  for (guint i = 0; i < vector->len; i++)
    norm += g_array_index (vector, float, i) * (double)g_array_index (vector, float, i);
  g_assert_cmpfloat_with_epsilon (sqrt (norm), 1.0, 1e-6);
  g_assert_cmpuint (tokens, ==, 3);
  g_assert_cmpstr (fake_bedrock_server_get_request (server, 0)->path, ==, "/model/amazon.titan-embed-text-v2%3A0/invoke");

  sextant_bedrock_client_embed_async (client, NULL, "x", 300, NULL, done_cb, &bad_result);
  while (bad_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  none = sextant_bedrock_client_embed_finish (client, bad_result, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (server), ==, 1);

  g_clear_object (&client);
  soup_session_abort (session);
  fake_bedrock_server_free (server);
}

/* Availability in a region: the catalogue the fake server lists for us-east-1 (three base models,
 * one `us.` profile), the geography rule of profile ids (PROTOCOL.md §1) and ARNs' regions. */
static void
test_availability (void)
{
  FakeBedrockServer *server = fake_bedrock_server_new ("us-east-1", AKID, SECRET);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(SextantBedrockClient) client = client_for (fake_bedrock_server_get_url (server), session);
  g_autofree char *cache = sextant_test_make_temp_dir ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) builtin = sextant_bedrock_catalogue_builtin ("eu-west-3");
  g_autoptr(GError) error = NULL;
  SextantCatalogueSource source;

  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  sextant_bedrock_catalogue_clear_memory ();
  listed = list (client, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_bedrock_model_availability ("amazon.nova-lite-v1:0", "us-east-1", listed), ==,
                   SEXTANT_MODEL_AVAILABLE);
  g_assert_cmpint (sextant_bedrock_model_availability ("us.anthropic.claude-sonnet-4-6", "us-east-1", listed), ==,
                   SEXTANT_MODEL_AVAILABLE);
  /* Not in the region's list. */
  g_assert_cmpint (sextant_bedrock_model_availability ("amazon.nova-pro-v1:0", "us-east-1", listed), ==,
                   SEXTANT_MODEL_UNAVAILABLE);
  /* Without a list: unknown, unless the id itself rules the region out. */
  g_assert_cmpint (sextant_bedrock_model_availability ("amazon.nova-pro-v1:0", "us-east-1", NULL), ==,
                   SEXTANT_MODEL_AVAILABILITY_UNKNOWN);
  g_assert_cmpint (sextant_bedrock_model_availability ("us.anthropic.claude-sonnet-4-6", "eu-west-3", NULL), ==,
                   SEXTANT_MODEL_UNAVAILABLE);
  g_assert_cmpint (sextant_bedrock_model_availability ("us.anthropic.claude-sonnet-4-6", "us-gov-west-1", NULL), ==,
                   SEXTANT_MODEL_UNAVAILABLE);
  g_assert_cmpint (sextant_bedrock_model_availability ("eu.anthropic.claude-sonnet-4-6", "eu-west-3", NULL), ==,
                   SEXTANT_MODEL_AVAILABILITY_UNKNOWN);
  g_assert_cmpint (sextant_bedrock_model_availability ("global.anthropic.claude-sonnet-4-6", "ap-south-1", NULL), ==,
                   SEXTANT_MODEL_AVAILABILITY_UNKNOWN);
  g_assert_cmpint (sextant_bedrock_model_availability (
                     "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6",
                     "us-east-1", listed), ==, SEXTANT_MODEL_UNAVAILABLE);
  g_assert_cmpint (sextant_bedrock_model_availability (
                     "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6",
                     "us-east-1", listed), ==, SEXTANT_MODEL_AVAILABLE);
  g_assert_cmpint (sextant_bedrock_model_availability (
                     "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
                     "us-east-1", listed), ==, SEXTANT_MODEL_AVAILABILITY_UNKNOWN);
  /* The built-in list of a region offers its own geography's profiles, by name. */
  g_assert_cmpstr (find (builtin, "eu.anthropic.claude-sonnet-4-6")->name, ==, "Claude Sonnet 4.6 (cross-region)");
  g_assert_cmpstr (find (builtin, "anthropic.claude-3-haiku-20240307-v1:0")->name, ==, "Claude 3 Haiku");

  g_clear_object (&client);
  soup_session_abort (session);
  fake_bedrock_server_free (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/bedrock/catalogue/list-cache-builtin", test_catalogue);
  g_test_add_func ("/sextant/bedrock/catalogue/titan-embeddings", test_embeddings);
  g_test_add_func ("/sextant/bedrock/catalogue/availability", test_availability);

  return g_test_run ();
}
