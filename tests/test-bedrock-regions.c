#define G_LOG_DOMAIN "test-bedrock-regions"

#include "config.h"

#include <string.h>

#include "fake-bedrock-server.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* Region fallback and the inference-profile retry, against two fake Bedrock servers, one per
 * region. Each fake checks signatures for its own region with the independent verifier
 * (tests/sigv4-verifier.c), so a request that was not re-signed for the second region fails
 * there as a bad signature. */

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define MODEL "anthropic.claude-3-haiku-20240307-v1:0"
#define ON_DEMAND_REFUSAL "Invocation of model ID " MODEL " with on-demand throughput isn't supported. " \
                          "Retry your request with the ID or ARN of an inference profile that contains this model."

typedef struct
{
  FakeBedrockServer     *east;
  FakeBedrockServer     *west;
  SoupSession           *session;
  SextantBedrockClient  *client;
  SextantConverseResult *result;
  GString               *streamed;
} Fixture;

static void
text_delta_cb (SextantConverseResult *result,
               guint                  index,
               const char            *text,
               Fixture               *f)
{
  g_string_append (f->streamed, text);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  f->east = fake_bedrock_server_new ("us-east-1", AKID, SECRET);
  f->west = fake_bedrock_server_new ("us-west-2", AKID, SECRET);
  f->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  config = sextant_aws_config_new_for_endpoint ("us-east-1", fake_bedrock_server_get_url (f->east));
  f->client = sextant_bedrock_client_new (config, provider, f->session);
  g_object_set (f->client, "retry-base-delay-ms", 2, "idle-timeout-ms", 5000, NULL);
  g_assert_true (sextant_bedrock_client_add_fallback (f->client, "us-west-2", NULL,
                                                      fake_bedrock_server_get_url (f->west), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_bedrock_client_get_n_routes (f->client), ==, 2);
  f->result = sextant_converse_result_new ();
  f->streamed = g_string_new (NULL);
  g_signal_connect (f->result, "text-delta", G_CALLBACK (text_delta_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Every request, in either region, was signed for the region it was sent to. */
  g_assert_cmpuint (fake_bedrock_server_get_n_bad_signatures (f->east), ==, 0);
  g_assert_cmpuint (fake_bedrock_server_get_n_bad_signatures (f->west), ==, 0);
  g_object_unref (f->result);
  g_assert_finalize_object (f->client);
  soup_session_abort (f->session);
  g_object_unref (f->session);
  fake_bedrock_server_free (f->east);
  fake_bedrock_server_free (f->west);
  g_string_free (f->streamed, TRUE);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
run (Fixture  *f,
     gboolean  stream,
     GError  **error)
{
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(SextantConverseRequest) request = sextant_converse_request_new ();

  sextant_converse_request_add_user_text (request, "Say hello.");
  g_string_truncate (f->streamed, 0);
  sextant_bedrock_client_converse_async (f->client, MODEL, request, f->result, stream, NULL, done_cb, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sextant_bedrock_client_converse_finish (f->client, async_result, error);
}

static void
test_throttled_region_falls_back (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_bedrock_server_push_http_error (f->east, 429, "ThrottlingException", "Too many requests, please wait before trying again.");
  fake_bedrock_server_push_text (f->west, "Hello from Oregon.");
  g_assert_true (run (f, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->streamed->str, ==, "Hello from Oregon.");
  g_assert_cmpstr (sextant_converse_result_get_region (f->result), ==, "us-west-2");
  g_assert_cmpstr (sextant_converse_result_get_model_id (f->result), ==, MODEL);
  /* Moved at once: one request to the throttled region, not three with backoff. */
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->east), ==, 1);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->west), ==, 1);
  g_assert_cmpstr (fake_bedrock_server_get_request (f->west, 0)->model_id, ==, MODEL);
  g_assert_nonnull (strstr (fake_bedrock_server_get_request (f->west, 0)->authorization, "/us-west-2/bedrock/aws4_request"));
}

static void
test_unavailable_region_falls_back (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_bedrock_server_push_http_error (f->east, 503, "ServiceUnavailableException", "Service is unavailable.");
  fake_bedrock_server_push_text (f->west, "Hello from Oregon.");
  g_assert_true (run (f, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "Hello from Oregon.");
  g_assert_cmpstr (sextant_converse_result_get_region (f->result), ==, "us-west-2");
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->east), ==, 1);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->west), ==, 1);
}

static void
test_throttle_after_first_frame_stays (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_bedrock_server_push_fault (f->east, FAKE_REPLY_STREAM_EXCEPTION, "The portfolio's VaR is",
                                  "throttlingException", "Too many tokens, please wait before trying again.");
  fake_bedrock_server_push_text (f->west, "Should never be sent.");
  g_assert_false (run (f, TRUE, &error));
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_THROTTLED);
  /* The streamed text is kept and nothing went to the second region. */
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "The portfolio's VaR is");
  g_assert_cmpstr (f->streamed->str, ==, "The portfolio's VaR is");
  g_assert_cmpstr (sextant_converse_result_get_region (f->result), ==, "us-east-1");
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->east), ==, 1);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->west), ==, 0);
}

static void
test_other_errors_stay (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_bedrock_server_push_http_error (f->east, 403, "AccessDeniedException", "You don't have access to the model.");
  g_assert_false (run (f, TRUE, &error));
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_ACCESS_DENIED);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->west), ==, 0);
}

static void
test_every_region_throttled (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The last region is retried with backoff as a single region is. */
  fake_bedrock_server_push_http_error (f->east, 429, "ThrottlingException", "Too many requests.");
  for (guint i = 0; i < 3; i++)
    fake_bedrock_server_push_http_error (f->west, 429, "ThrottlingException", "Too many requests.");
  g_assert_false (run (f, TRUE, &error));
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_THROTTLED);
  g_assert_nonnull (strstr (error->message, "us-west-2"));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->east), ==, 1);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->west), ==, 3);
}

static void
test_route_model (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  g_autoptr(SextantAwsConfig) config = sextant_aws_config_new_for_endpoint ("us-east-1", fake_bedrock_server_get_url (f->east));
  g_autoptr(GError) error = NULL;

  /* A fallback with a model of its own: the global profile, sent to the second region. */
  g_assert_finalize_object (f->client);
  f->client = sextant_bedrock_client_new (config, provider, f->session);
  g_assert_true (sextant_bedrock_client_add_fallback (f->client, "us-west-2", "global." MODEL,
                                                      fake_bedrock_server_get_url (f->west), &error));
  fake_bedrock_server_push_http_error (f->east, 429, "ThrottlingException", "Too many requests.");
  g_assert_true (run (f, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fake_bedrock_server_get_request (f->west, 0)->model_id, ==, "global." MODEL);
  g_assert_cmpstr (sextant_converse_result_get_model_id (f->result), ==, "global." MODEL);
}

static void
test_specs (Fixture       *f,
            gconstpointer  data)
{
  const char *good[] = { "eu-west-1", " ap-southeast-2 = global." MODEL " ", "", NULL };
  const char *bad[] = { "eu-west-1", "Oregon", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_bedrock_client_add_fallback_specs (f->client, good, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_bedrock_client_get_n_routes (f->client), ==, 4);
  g_assert_false (sextant_bedrock_client_add_fallback_specs (f->client, bad, &error));
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Oregon"));
}

static void
test_profile_retry_remembered (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_bedrock_server_push_http_error (f->east, 400, "ValidationException", ON_DEMAND_REFUSAL);
  g_assert_true (run (f, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->east), ==, 2);
  g_assert_cmpstr (fake_bedrock_server_get_request (f->east, 0)->model_id, ==, MODEL);
  g_assert_cmpstr (fake_bedrock_server_get_request (f->east, 1)->model_id, ==, "us." MODEL);
  g_assert_cmpstr (sextant_converse_result_get_model_id (f->result), ==, "us." MODEL);
  g_assert_cmpstr (sextant_bedrock_client_get_working_id (f->client, "us-east-1", MODEL), ==, "us." MODEL);

  /* The next call goes to the profile straight away. */
  g_assert_true (run (f, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->east), ==, 3);
  g_assert_cmpstr (fake_bedrock_server_get_request (f->east, 2)->model_id, ==, "us." MODEL);
}

static void
test_profile_retry_once (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_bedrock_server_push_http_error (f->east, 400, "ValidationException", ON_DEMAND_REFUSAL);
  fake_bedrock_server_push_http_error (f->east, 400, "ValidationException", ON_DEMAND_REFUSAL);
  g_assert_false (run (f, FALSE, &error));
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_NEEDS_INFERENCE_PROFILE);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->east), ==, 2);
  g_assert_null (sextant_bedrock_client_get_working_id (f->client, "us-east-1", MODEL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/bedrock-regions/throttled-region-falls-back", test_throttled_region_falls_back);
  ADD ("/bedrock-regions/unavailable-region-falls-back", test_unavailable_region_falls_back);
  ADD ("/bedrock-regions/throttle-after-first-frame-stays", test_throttle_after_first_frame_stays);
  ADD ("/bedrock-regions/other-errors-stay", test_other_errors_stay);
  ADD ("/bedrock-regions/every-region-throttled", test_every_region_throttled);
  ADD ("/bedrock-regions/route-model", test_route_model);
  ADD ("/bedrock-regions/specs", test_specs);
  ADD ("/bedrock-regions/profile-retry-remembered", test_profile_retry_remembered);
  ADD ("/bedrock-regions/profile-retry-once", test_profile_retry_once);
#undef ADD

  return g_test_run ();
}
