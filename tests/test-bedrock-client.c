#define G_LOG_DOMAIN "test-bedrock-client"

#include "config.h"

#include <string.h>

#include "fake-bedrock-server.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* SextantBedrockClient against the in-process fake Bedrock (tests/fake-bedrock-server.c), whose
 * independent verifier checks every signature. Expected texts, token counts (12 input, one output
 * token per 5-character delta, latency 42 ms) are what the fake server scripts, see there. */

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define MODEL "anthropic.claude-3-haiku-20240307-v1:0"

typedef struct
{
  FakeBedrockServer     *server;
  SoupSession           *session;
  SextantBedrockClient  *client;
  SextantConverseResult *result;
  GString               *streamed;
  guint                  n_tool_use;
  char                  *tool_name;
  GCancellable          *cancellable;
  guint                  expected_bad_signatures;
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
tool_use_cb (SextantConverseResult *result,
             guint                  index,
             SextantContentBlock   *block,
             Fixture               *f)
{
  f->n_tool_use++;
  g_free (f->tool_name);
  f->tool_name = g_strdup (block->name);
}

static SextantBedrockClient *
make_client (Fixture                       *f,
             SextantAwsCredentialsProvider *provider)
{
  g_autoptr(SextantAwsConfig) config = sextant_aws_config_new_for_endpoint ("us-east-1", fake_bedrock_server_get_url (f->server));
  SextantBedrockClient *client = sextant_bedrock_client_new (config, provider, f->session);

  /* Backoff scaled down so three attempts take milliseconds. */
  g_object_set (client, "retry-base-delay-ms", 2, "idle-timeout-ms", 2000, NULL);

  return client;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);

  f->server = fake_bedrock_server_new ("us-east-1", AKID, SECRET);
  /* The app keeps the system proxy resolver; tests must not go through http_proxy. */
  f->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  f->client = make_client (f, provider);
  f->result = sextant_converse_result_new ();
  f->streamed = g_string_new (NULL);
  g_signal_connect (f->result, "text-delta", G_CALLBACK (text_delta_cb), f);
  g_signal_connect (f->result, "tool-use", G_CALLBACK (tool_use_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_cmpuint (fake_bedrock_server_get_n_bad_signatures (f->server), ==, f->expected_bad_signatures);
  g_clear_object (&f->cancellable);
  g_object_unref (f->result);
  g_assert_finalize_object (f->client);
  soup_session_abort (f->session);
  g_object_unref (f->session);
  fake_bedrock_server_free (f->server);
  g_string_free (f->streamed, TRUE);
  g_free (f->tool_name);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
run (Fixture                *f,
     const char             *model,
     SextantConverseRequest *request,
     gboolean                stream,
     GError                **error)
{
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(SextantConverseRequest) fallback = NULL;

  if (request == NULL)
    {
      request = fallback = sextant_converse_request_new ();
      sextant_converse_request_add_user_text (request, "Say hello.");
    }
  sextant_bedrock_client_converse_async (f->client, model, request, f->result, stream, f->cancellable,
                                         done_cb, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sextant_bedrock_client_converse_finish (f->client, async_result, error);
}

static void
assert_complete_text (Fixture    *f,
                      const char *expected)
{
  const SextantConverseUsage *usage = sextant_converse_result_get_usage (f->result);
  g_autofree char *joined = sextant_converse_message_dup_text (sextant_converse_result_get_message (f->result));

  g_assert_true (sextant_converse_result_is_complete (f->result));
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, expected);
  g_assert_cmpstr (joined, ==, expected);
  g_assert_cmpstr (f->streamed->str, ==, expected);
  g_assert_cmpint (usage->input_tokens, ==, 12);
  g_assert_cmpint (usage->total_tokens, ==, usage->input_tokens + usage->output_tokens);
  g_assert_cmpint (sextant_converse_result_get_latency_ms (f->result), ==, 42);
}

static void
test_stream_text (Fixture       *f,
                  gconstpointer  data)
{
  const char *text = "Hello, world! Ünïcödé split across deltas — streamed.";
  g_autoptr(GError) error = NULL;
  const FakeRequest *request;

  fake_bedrock_server_push_text (f->server, text);
  {
    gboolean ok = run (f, MODEL, NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  assert_complete_text (f, text);
  g_assert_cmpstr (sextant_converse_result_get_stop_reason (f->result), ==, "end_turn");
  g_assert_true (sextant_converse_result_stop_reason_is_known (f->result));
  /* ceil(54 characters / 5) = 11 deltas, one output token each (fake server's rule). */
  g_assert_cmpint (sextant_converse_result_get_usage (f->result)->output_tokens, ==, 11);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 1);
  request = fake_bedrock_server_get_request (f->server, 0);
  /* PROTOCOL.md §1: the model id's ':' travels as %3A. */
  g_assert_cmpstr (request->path, ==, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream");
  g_assert_cmpstr (request->model_id, ==, MODEL);
  g_assert_true (request->signature_ok);
  g_assert_cmpstr (sextant_converse_result_get_request_id (f->result), ==, "fake-request-0001");
}

static void
test_converse_text (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_bedrock_server_push_text (f->server, "A whole answer at once.");
  {
    gboolean ok = run (f, MODEL, NULL, FALSE, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  assert_complete_text (f, "A whole answer at once.");
  g_assert_cmpint (sextant_converse_result_get_usage (f->result)->output_tokens, ==, 7);
  g_assert_cmpstr (fake_bedrock_server_get_request (f->server, 0)->path, ==,
                   "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
}

static void
check_tool_use (Fixture *f)
{
  SextantConverseMessage *message = sextant_converse_result_get_message (f->result);
  SextantContentBlock *block = sextant_converse_message_get_block (message, 1);
  JsonObject *input;

  g_assert_nonnull (block);
  g_assert_cmpint (block->type, ==, SEXTANT_CONTENT_TOOL_USE);
  g_assert_cmpstr (block->tool_use_id, ==, "tooluse_abc123");
  g_assert_cmpstr (block->name, ==, "get_weather");
  input = json_node_get_object (block->json);
  g_assert_cmpstr (json_object_get_string_member (input, "city"), ==, "Paris");
  g_assert_cmpstr (json_object_get_string_member (input, "unit"), ==, "C");
  g_assert_cmpuint (f->n_tool_use, ==, 1);
  g_assert_cmpstr (f->tool_name, ==, "get_weather");
  g_assert_cmpstr (sextant_converse_result_get_stop_reason (f->result), ==, "tool_use");
}

static void
test_stream_tool_use (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_bedrock_server_push_tool_use (f->server, "Let me check.", "tooluse_abc123", "get_weather",
                                     "{\"city\": \"Paris\", \"unit\": \"C\"}");
  {
    gboolean ok = run (f, MODEL, NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "Let me check.");
  check_tool_use (f);
}

static void
test_converse_tool_use (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_bedrock_server_push_tool_use (f->server, "Let me check.", "tooluse_abc123", "get_weather",
                                     "{\"city\": \"Paris\", \"unit\": \"C\"}");
  {
    gboolean ok = run (f, MODEL, NULL, FALSE, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  check_tool_use (f);
}

static JsonObject *
request_body (Fixture    *f,
              guint       index,
              JsonParser *parser)
{
  GBytes *body = fake_bedrock_server_get_request (f->server, index)->body;
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_multi_turn_with_tools (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(SextantConverseRequest) request = sextant_converse_request_new ();
  g_autoptr(SextantConverseMessage) assistant = sextant_converse_message_new ("assistant");
  g_autoptr(SextantConverseMessage) tool_result = sextant_converse_message_new ("user");
  g_autoptr(JsonNode) schema = json_from_string ("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}", NULL);
  g_autoptr(JsonNode) input = json_from_string ("{\"city\":\"Paris\"}", NULL);
  g_autoptr(JsonNode) result_json = json_from_string ("{\"tempC\":21}", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonArray *messages;
  JsonObject *tr;

  sextant_converse_request_set_system (request, "You are terse.");
  sextant_converse_request_add_user_text (request, "What is the weather in Paris?");
  sextant_converse_message_add_tool_use (assistant, "tooluse_abc", "get_weather", input);
  sextant_converse_request_add_message (request, assistant);
  sextant_converse_message_add_tool_result (tool_result, "tooluse_abc", NULL, result_json, FALSE);
  sextant_converse_request_add_message (request, tool_result);
  sextant_converse_request_set_max_tokens (request, 512);
  sextant_converse_request_set_temperature (request, 0.5);
  sextant_converse_request_add_stop_sequence (request, "END");
  sextant_converse_request_add_tool (request, "get_weather", "Current weather", schema);
  sextant_converse_request_set_tool_choice (request, SEXTANT_TOOL_CHOICE_TOOL, "get_weather");
  fake_bedrock_server_push_text (f->server, "21 °C in Paris.");
  {
    gboolean ok = run (f, MODEL, request, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }

  /* The body must have the shape of PROTOCOL.md §2's example. */
  body = request_body (f, 0, parser);
  messages = json_object_get_array_member (body, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "role"), ==, "assistant");
  tr = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (messages, 2), "content"), 0), "toolResult");
  g_assert_cmpstr (json_object_get_string_member (tr, "toolUseId"), ==, "tooluse_abc");
  g_assert_cmpstr (json_object_get_string_member (tr, "status"), ==, "success");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (tr, "content"), 0), "json"), "tempC"), ==, 21);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (body, "system"), 0), "text"), ==, "You are terse.");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body, "inferenceConfig"), "maxTokens"), ==, 512);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (json_object_get_object_member (body, "toolConfig"), "toolChoice"), "tool"), "name"), ==, "get_weather");
  g_assert_true (json_object_has_member (json_object_get_object_member (json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (body, "toolConfig"), "tools"), 0), "toolSpec"), "inputSchema"), "json"));
}

/* Two turns as the chat window will run them: the model asks for a tool, the app answers with
 * the tool result, the model concludes. The assistant message sent back is the one the first
 * call produced. */
static void
test_tool_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SextantConverseRequest) request = sextant_converse_request_new ();
  g_autoptr(SextantConverseMessage) answer = sextant_converse_message_new ("user");
  g_autoptr(JsonNode) schema = json_from_string ("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  SextantContentBlock *call;
  JsonArray *messages;
  JsonObject *tool_use;
  gboolean ok;

  sextant_converse_request_add_user_text (request, "Weather in Paris?");
  sextant_converse_request_add_tool (request, "get_weather", "Current weather", schema);
  fake_bedrock_server_push_tool_use (f->server, "Let me check.", "tooluse_abc123", "get_weather",
                                     "{\"city\": \"Paris\", \"unit\": \"C\"}");
  fake_bedrock_server_push_text (f->server, "It is 21 °C in Paris.");
  ok = run (f, MODEL, request, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  call = sextant_converse_message_get_block (sextant_converse_result_get_message (f->result), 1);
  sextant_converse_request_add_message (request, sextant_converse_result_get_message (f->result));
  sextant_converse_message_add_tool_result (answer, call->tool_use_id, "21 °C, sunny", NULL, FALSE);
  sextant_converse_request_add_message (request, answer);

  g_clear_object (&f->result);
  f->result = sextant_converse_result_new ();
  ok = run (f, MODEL, request, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "It is 21 °C in Paris.");

  messages = json_object_get_array_member (request_body (f, 1, parser), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);
  tool_use = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (messages, 1), "content"), 1), "toolUse");
  g_assert_cmpstr (json_object_get_string_member (tool_use, "toolUseId"), ==, "tooluse_abc123");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (tool_use, "input"), "city"), ==, "Paris");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (messages, 1), "content"), 0), "text"), ==, "Let me check.");
}

static void
test_inference_profile_arn (Fixture       *f,
                            gconstpointer  data)
{
  const char *arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0";
  g_autoptr(GError) error = NULL;
  const FakeRequest *request;

  fake_bedrock_server_push_text (f->server, "From a profile.");
  {
    gboolean ok = run (f, arn, NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  request = fake_bedrock_server_get_request (f->server, 0);
  /* PROTOCOL.md §1: ':' -> %3A, '/' -> %2F on the wire; the verifier signed %253A / %252F. */
  g_assert_cmpstr (request->path, ==, "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2F"
                                      "us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse-stream");
  g_assert_cmpstr (request->model_id, ==, arn);
  g_assert_true (request->signature_ok);
}

static void
run_expect_error (Fixture *f,
                  gboolean stream,
                  int      code,
                  guint    n_requests)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (run (f, MODEL, NULL, stream, &error));
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, code);
  g_test_message ("error: %s", error->message);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, n_requests);
  g_assert_false (sextant_converse_result_is_complete (f->result));
  g_assert_null (strstr (error->message, SECRET));
}

static void
retrying_cb (SextantConverseResult *result,
             guint                  failed_attempt,
             guint                  max_attempts,
             guint                  delay_ms,
             const GError          *error,
             GString               *seen)
{
  g_string_append_printf (seen, "%u/%u:%s:%d;", failed_attempt, max_attempts,
                          g_quark_to_string (error->domain), error->code == SEXTANT_BEDROCK_ERROR_THROTTLED);
  /* Full jitter under the fixture's 2 ms base: attempt n waits at most 2·2^(n−1) ms. */
  g_assert_cmpuint (delay_ms, <=, 2u << (failed_attempt - 1));
}

static void
test_retry_throttling_then_success (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);

  g_signal_connect (f->result, "retrying", G_CALLBACK (retrying_cb), seen);

  fake_bedrock_server_push_http_error (f->server, 429, "ThrottlingException", "Too many requests, please wait before trying again.");
  fake_bedrock_server_push_http_error (f->server, 429, "ThrottlingException", "Too many requests, please wait before trying again.");
  fake_bedrock_server_push_text (f->server, "Third time lucky.");
  {
    gboolean ok = run (f, MODEL, NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  assert_complete_text (f, "Third time lucky.");
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 3);
  /* Each failed attempt announced once, before its successor, as throttling. */
  g_assert_cmpstr (seen->str, ==, "1/3:sextant-bedrock-error-quark:1;2/3:sextant-bedrock-error-quark:1;");
  /* Budget 500, two retries at 5 each, success refunds the last retry's 5: 495. */
  g_assert_cmpint (sextant_bedrock_client_get_retry_tokens (f->client), ==, 495);
}

static void
test_retry_throttling_exhausted (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    fake_bedrock_server_push_http_error (f->server, 429, "ThrottlingException", "Too many tokens, please wait before trying again.");
  g_assert_false (run (f, MODEL, NULL, TRUE, &error));
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_THROTTLED);
  g_assert_nonnull (strstr (error->message, "gave up after 3 attempts"));
  g_assert_nonnull (strstr (error->message, "HTTP 429"));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 3);
}

static void
test_retry_500_then_success (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_bedrock_server_push_http_error (f->server, 500, "InternalServerException", "Internal error");
  fake_bedrock_server_push_text (f->server, "Recovered.");
  {
    gboolean ok = run (f, MODEL, NULL, FALSE, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 2);
}

static void
test_retry_503_exhausted (Fixture       *f,
                          gconstpointer  data)
{
  for (guint i = 0; i < 3; i++)
    fake_bedrock_server_push_http_error (f->server, 503, "ServiceUnavailableException", "Service unavailable");
  run_expect_error (f, TRUE, SEXTANT_BEDROCK_ERROR_SERVICE_UNAVAILABLE, 3);
}

static void
test_validation_not_retried (Fixture       *f,
                             gconstpointer  data)
{
  fake_bedrock_server_push_http_error (f->server, 400, "ValidationException", "messages: must not be empty");
  run_expect_error (f, TRUE, SEXTANT_BEDROCK_ERROR_VALIDATION, 1);
}

static void
test_access_denied (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fake_bedrock_server_push_http_error (f->server, 403, "AccessDeniedException",
                                       "You don't have access to the model with the specified model ID.");
  g_assert_false (run (f, MODEL, NULL, TRUE, &error));
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "us-east-1"));
  g_assert_nonnull (strstr (error->message, "Model access"));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 1);
}

static void
test_needs_inference_profile (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The real wording (PROTOCOL.md §1). */
  fake_bedrock_server_push_http_error (f->server, 400, "ValidationException",
                                       "Invocation of model ID anthropic.claude-sonnet-4-6 with on-demand throughput "
                                       "isn’t supported. Retry your request with the ID or ARN of an inference "
                                       "profile that contains this model.");
  fake_bedrock_server_push_http_error (f->server, 400, "ValidationException",
                                       "The provided model identifier is invalid.");
  /* Retried once with the region's profile (test-bedrock-regions covers the success). */
  g_assert_false (run (f, "anthropic.claude-sonnet-4-6", NULL, TRUE, &error));
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_VALIDATION);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpstr (fake_bedrock_server_get_request (f->server, 1)->model_id, ==, "us.anthropic.claude-sonnet-4-6");
}

static void
test_fault_stream_throttling (Fixture       *f,
                              gconstpointer  data)
{
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_STREAM_EXCEPTION, "Partial answer before the ",
                                  "throttlingException", "Too many requests, please wait before trying again.");
  /* Output had started: no retry, one request, and the text stays. */
  run_expect_error (f, TRUE, SEXTANT_BEDROCK_ERROR_THROTTLED, 1);
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "Partial answer before the ");
  g_assert_cmpstr (f->streamed->str, ==, "Partial answer before the ");
}

static void
test_fault_error_frame (Fixture       *f,
                        gconstpointer  data)
{
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_STREAM_ERROR, "Some words", "InternalFailure",
                                  "An internal error occurred.");
  run_expect_error (f, TRUE, SEXTANT_BEDROCK_ERROR_STREAM_EXCEPTION, 1);
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "Some words");
}

static void
test_fault_corrupt_crc (Fixture       *f,
                        gconstpointer  data)
{
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_CORRUPT_CRC, "Kept text", NULL, NULL);
  run_expect_error (f, TRUE, SEXTANT_BEDROCK_ERROR_MESSAGE_CRC, 1);
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "Kept text");
}

static void
test_fault_truncated (Fixture       *f,
                      gconstpointer  data)
{
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_TRUNCATED, "Cut short", NULL, NULL);
  run_expect_error (f, TRUE, SEXTANT_BEDROCK_ERROR_TRUNCATED, 1);
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "Cut short");
}

static void
test_fault_truncated_frame (Fixture       *f,
                            gconstpointer  data)
{
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_TRUNCATED_FRAME, "All the text arrived", NULL, NULL);
  run_expect_error (f, TRUE, SEXTANT_BEDROCK_ERROR_TRUNCATED, 1);
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "All the text arrived");
}

static void
test_fault_reset (Fixture       *f,
                  gconstpointer  data)
{
  /* libsoup reports a connection closed inside a chunked body as the end of the body; the
   * missing messageStop is what tells the answer was cut. Not retried: output had started. */
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_RESET, "Before the reset", NULL, NULL);
  run_expect_error (f, TRUE, SEXTANT_BEDROCK_ERROR_TRUNCATED, 1);
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "Before the reset");
}

static void
test_fault_reset_before_response (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* Closed before any byte of the response: a connection error, retried. */
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_RESET, NULL, NULL, NULL);
  fake_bedrock_server_push_text (f->server, "After the reset.");
  ok = run (f, MODEL, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_complete_text (f, "After the reset.");
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 2);
}

static void
test_fault_reset_exhausted (Fixture       *f,
                            gconstpointer  data)
{
  for (guint i = 0; i < 3; i++)
    fake_bedrock_server_push_fault (f->server, FAKE_REPLY_RESET, NULL, NULL, NULL);
  run_expect_error (f, FALSE, SEXTANT_BEDROCK_ERROR_NETWORK, 3);
}

static void
test_fault_stall (Fixture       *f,
                  gconstpointer  data)
{
  g_object_set (f->client, "idle-timeout-ms", 300, NULL);
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_STALL, "Then silence", NULL, NULL);
  run_expect_error (f, TRUE, SEXTANT_BEDROCK_ERROR_TIMEOUT, 1);
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "Then silence");
}

static void
test_fault_slow_first_byte (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* A gap shorter than the idle timeout is fine however long the whole call takes. */
  g_object_set (f->client, "idle-timeout-ms", 1500, NULL);
  fake_bedrock_server_push_slow_text (f->server, "Worth the wait.", 400);
  {
    gboolean ok = run (f, MODEL, NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  assert_complete_text (f, "Worth the wait.");
}

static void
test_fault_slow_first_byte_not_retried (Fixture       *f,
                                        gconstpointer  data)
{
  /* Over the read timeout before any output: the server took the request and went silent, so
   * it is given up on after one read timeout, not asked twice more (issue 15). */
  g_object_set (f->client, "idle-timeout-ms", 200, NULL);
  fake_bedrock_server_push_slow_text (f->server, "Too late.", 1000);
  fake_bedrock_server_push_text (f->server, "Never asked for.");
  run_expect_error (f, TRUE, SEXTANT_BEDROCK_ERROR_TIMEOUT, 1);
}

static void
test_converse_response_timeout (Fixture       *f,
                                gconstpointer  data)
{
  /* Non-streamed Converse waits for the whole answer under the same read timeout, once. */
  g_object_set (f->client, "response-timeout-ms", 200, NULL);
  fake_bedrock_server_push_slow_text (f->server, "Too slow.", 1000);
  fake_bedrock_server_push_text (f->server, "Never asked for.");
  run_expect_error (f, FALSE, SEXTANT_BEDROCK_ERROR_TIMEOUT, 1);
}

/* The SDKs' default read timeout, for streams and non-streamed answers alike, unless
 * SEXTANT_BEDROCK_READ_TIMEOUT_MS says otherwise. */
static void
test_read_timeout_default (void)
{
  g_autoptr(SextantAwsConfig) config = sextant_aws_config_new_for_endpoint ("us-east-1", "http://127.0.0.1:9");
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(SextantBedrockClient) plain = NULL, configured = NULL;
  guint idle = 0, response = 0;

  g_unsetenv ("SEXTANT_BEDROCK_READ_TIMEOUT_MS");
  plain = sextant_bedrock_client_new (config, provider, session);
  g_object_get (plain, "idle-timeout-ms", &idle, "response-timeout-ms", &response, NULL);
  g_assert_cmpuint (idle, ==, 60000);
  g_assert_cmpuint (response, ==, 60000);

  g_setenv ("SEXTANT_BEDROCK_READ_TIMEOUT_MS", "2500", TRUE);
  configured = sextant_bedrock_client_new (config, provider, session);
  g_unsetenv ("SEXTANT_BEDROCK_READ_TIMEOUT_MS");
  g_object_get (configured, "idle-timeout-ms", &idle, "response-timeout-ms", &response, NULL);
  g_assert_cmpuint (idle, ==, 2500);
  g_assert_cmpuint (response, ==, 2500);
}

static void
test_fault_empty (Fixture       *f,
                  gconstpointer  data)
{
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_EMPTY, NULL, NULL, NULL);
  run_expect_error (f, TRUE, SEXTANT_BEDROCK_ERROR_EMPTY_ANSWER, 1);
}

static gboolean
cancel_later_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->cancellable = g_cancellable_new ();
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_STALL, "Partial", NULL, NULL);
  g_timeout_add (200, cancel_later_cb, f->cancellable);
  g_assert_false (run (f, MODEL, NULL, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (sextant_converse_result_get_partial_text (f->result), ==, "Partial");
}

static void
test_cancel_during_backoff (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* A 5 s backoff must not hold a cancel: the wait itself is cancellable. */
  g_object_set (f->client, "retry-base-delay-ms", 5000, "retry-max-delay-ms", 5000, NULL);
  f->cancellable = g_cancellable_new ();
  for (guint i = 0; i < 3; i++)
    fake_bedrock_server_push_http_error (f->server, 429, "ThrottlingException", "Too many requests");
  g_timeout_add (100, cancel_later_cb, f->cancellable);
  g_assert_false (run (f, MODEL, NULL, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

typedef struct
{
  const char *next_token;
} HookData;

static void
rotate_token_hook (FakeBedrockServer *server,
                   const FakeRequest *request,
                   gpointer           user_data)
{
  HookData *hook = user_data;

  /* The user refreshes their session while the first request is in flight. */
  if (hook->next_token != NULL)
    g_setenv ("AWS_SESSION_TOKEN", hook->next_token, TRUE);
}

static void
use_env_credentials (Fixture *f)
{
  g_autoptr(SextantAwsConfig) config = sextant_aws_config_new_for_endpoint ("us-east-1", fake_bedrock_server_get_url (f->server));
  g_autoptr(SextantAwsCredentialsProvider) provider = NULL;

  g_setenv ("AWS_ACCESS_KEY_ID", AKID, TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", SECRET, TRUE);
  g_setenv ("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLEOLDTOKEN", TRUE);
  g_unsetenv ("AWS_BEARER_TOKEN_BEDROCK");
  provider = sextant_aws_credentials_provider_new (NULL, config);
  g_assert_finalize_object (f->client);
  f->client = make_client (f, provider);
}

static void
test_expired_token_reread (Fixture       *f,
                           gconstpointer  data)
{
  HookData hook = { "FwoGZXIvYXdzEXAMPLENEWTOKEN" };
  g_autoptr(GError) error = NULL;

  use_env_credentials (f);
  fake_bedrock_server_set_hook (f->server, rotate_token_hook, &hook);
  fake_bedrock_server_push_http_error (f->server, 403, "ExpiredTokenException",
                                       "The security token included in the request is expired");
  fake_bedrock_server_push_text (f->server, "Fresh credentials work.");
  {
    gboolean ok = run (f, MODEL, NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpstr (fake_bedrock_server_get_request (f->server, 0)->session_token, ==, "FwoGZXIvYXdzEXAMPLEOLDTOKEN");
  g_assert_cmpstr (fake_bedrock_server_get_request (f->server, 1)->session_token, ==, "FwoGZXIvYXdzEXAMPLENEWTOKEN");
}

static void
test_expired_token_names_source (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  use_env_credentials (f);
  fake_bedrock_server_push_http_error (f->server, 403, "ExpiredTokenException",
                                       "The security token included in the request is expired");
  g_assert_false (run (f, MODEL, NULL, TRUE, &error));
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_EXPIRED_TOKEN);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "environment (AWS_ACCESS_KEY_ID)"));
  g_assert_null (strstr (error->message, SECRET));
  g_assert_null (strstr (error->message, "FwoGZXIvYXdzEXAMPLEOLDTOKEN"));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 1);
}

static void
test_bearer_key (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (NULL, NULL, NULL, "ABSKbedrockEXAMPLEKEY");
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  g_autoptr(GError) error = NULL;

  g_assert_finalize_object (f->client);
  f->client = make_client (f, provider);
  fake_bedrock_server_set_bearer_key (f->server, "ABSKbedrockEXAMPLEKEY");
  fake_bedrock_server_push_text (f->server, "Bearer works.");
  {
    gboolean ok = run (f, MODEL, NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpstr (fake_bedrock_server_get_request (f->server, 0)->authorization, ==, "Bearer ABSKbedrockEXAMPLEKEY");
}

static void
test_wrong_secret_rejected (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, "wrongSECRETwrongSECRET", NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  g_autoptr(GError) error = NULL;

  /* The verifier is not a rubber stamp: a bad signature gets the service's 403. */
  g_assert_finalize_object (f->client);
  f->client = make_client (f, provider);
  g_assert_false (run (f, MODEL, NULL, TRUE, &error));
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "InvalidSignatureException"));
  g_assert_cmpuint (fake_bedrock_server_get_n_bad_signatures (f->server), ==, 1);
  f->expected_bad_signatures = 1;
  g_assert_false (fake_bedrock_server_get_request (f->server, 0)->signature_ok);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/sextant/bedrock/client/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("stream-text", test_stream_text);
  ADD ("converse-text", test_converse_text);
  ADD ("stream-tool-use", test_stream_tool_use);
  ADD ("converse-tool-use", test_converse_tool_use);
  ADD ("multi-turn-tools", test_multi_turn_with_tools);
  ADD ("inference-profile-arn", test_inference_profile_arn);
  ADD ("tool-round-trip", test_tool_round_trip);
  ADD ("retry/throttling-then-success", test_retry_throttling_then_success);
  ADD ("retry/throttling-exhausted", test_retry_throttling_exhausted);
  ADD ("retry/500-then-success", test_retry_500_then_success);
  ADD ("retry/503-exhausted", test_retry_503_exhausted);
  ADD ("errors/validation", test_validation_not_retried);
  ADD ("errors/access-denied", test_access_denied);
  ADD ("errors/needs-inference-profile", test_needs_inference_profile);
  ADD ("errors/expired-token-reread", test_expired_token_reread);
  ADD ("errors/expired-token-source", test_expired_token_names_source);
  ADD ("faults/stream-throttling-exception", test_fault_stream_throttling);
  ADD ("faults/error-frame", test_fault_error_frame);
  ADD ("faults/corrupt-crc", test_fault_corrupt_crc);
  ADD ("faults/truncated", test_fault_truncated);
  ADD ("faults/truncated-frame", test_fault_truncated_frame);
  ADD ("faults/connection-reset", test_fault_reset);
  ADD ("faults/connection-reset-before-response", test_fault_reset_before_response);
  ADD ("faults/connection-reset-exhausted", test_fault_reset_exhausted);
  ADD ("faults/stalled-read", test_fault_stall);
  ADD ("faults/slow-first-byte", test_fault_slow_first_byte);
  ADD ("faults/slow-first-byte-not-retried", test_fault_slow_first_byte_not_retried);
  ADD ("faults/empty-answer", test_fault_empty);
  ADD ("faults/converse-response-timeout", test_converse_response_timeout);
  ADD ("cancel", test_cancel);
  g_test_add_func ("/sextant/bedrock/client/read-timeout-default", test_read_timeout_default);
  ADD ("cancel-during-backoff", test_cancel_during_backoff);
  ADD ("bearer", test_bearer_key);
  ADD ("wrong-secret", test_wrong_secret_rejected);
#undef ADD

  return g_test_run ();
}
