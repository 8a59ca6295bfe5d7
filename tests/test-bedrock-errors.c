#define G_LOG_DOMAIN "test-bedrock-errors"

#include "config.h"

#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* HTTP error parsing per PROTOCOL.md §4 (botocore's RestJSONParser rule) and the table of codes. */

static void
test_parse_code (void)
{
  struct { const char *raw; const char *code; } cases[] = {
    { "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", "ThrottlingException" },
    { "com.amazon.coral.validate#ValidationException", "ValidationException" },
    { "AccessDeniedException", "AccessDeniedException" },
    { "aws.protocoltests#Foo:http://x", "Foo" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *code = sextant_bedrock_error_parse_code (cases[i].raw);

      g_assert_cmpstr (code, ==, cases[i].code);
    }
  g_assert_null (sextant_bedrock_error_parse_code (""));
  g_assert_null (sextant_bedrock_error_parse_code (NULL));
}

static void
test_from_response (void)
{
  const char *body_type = "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"Message\":\"bad input\"}";
  const char *body_plain = "{\"message\":\"Too many requests\"}";
  g_autoptr(GError) a = sextant_bedrock_error_new_from_response (400, NULL, body_type, strlen (body_type), "rid-1", "us-east-1", NULL);
  g_autoptr(GError) b = sextant_bedrock_error_new_from_response (429, NULL, body_plain, strlen (body_plain), NULL, "us-east-1", NULL);
  g_autoptr(GError) c = sextant_bedrock_error_new_from_response (503, NULL, "<html>oops</html>", 17, NULL, NULL, NULL);
  g_autoptr(GError) d = sextant_bedrock_error_new_from_response (400, "ServiceQuotaExceededException:http://x", "{}", 2, NULL, NULL, NULL);
  g_autoptr(GError) e = sextant_bedrock_error_new_from_response (424, "ModelErrorException", "{\"message\":\"model failed\",\"originalStatusCode\":500}", 50, NULL, NULL, NULL);
  g_autoptr(GError) f = sextant_bedrock_error_new_from_response (429, "ModelNotReadyException", NULL, 0, NULL, NULL, NULL);
  g_autoptr(GError) g = sextant_bedrock_error_new_from_response (408, "ModelTimeoutException", NULL, 0, NULL, NULL, NULL);
  g_autoptr(GError) h = sextant_bedrock_error_new_from_response (404, "ResourceNotFoundException", NULL, 0, NULL, NULL, NULL);

  g_assert_error (a, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_VALIDATION);
  g_assert_nonnull (strstr (a->message, "bad input"));
  g_assert_nonnull (strstr (a->message, "HTTP 400"));
  g_assert_nonnull (strstr (a->message, "rid-1"));
  g_assert_error (b, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_THROTTLED);
  g_assert_error (c, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_SERVICE_UNAVAILABLE);
  g_assert_error (d, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_QUOTA_EXCEEDED);
  g_assert_error (e, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_MODEL_ERROR);
  g_assert_error (f, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_MODEL_NOT_READY);
  g_assert_error (g, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_MODEL_TIMEOUT);
  g_assert_error (h, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_NOT_FOUND);
  /* PROTOCOL.md §4 retry column. */
  g_assert_true (sextant_bedrock_error_is_retryable (b));
  g_assert_true (sextant_bedrock_error_is_retryable (c));
  g_assert_true (sextant_bedrock_error_is_retryable (f));
  g_assert_false (sextant_bedrock_error_is_retryable (a));
  g_assert_false (sextant_bedrock_error_is_retryable (d));
  g_assert_false (sextant_bedrock_error_is_retryable (e));
  g_assert_false (sextant_bedrock_error_is_retryable (g));
}

static void
test_in_stream_codes (void)
{
  g_autoptr(GError) a = sextant_bedrock_error_new_for_code ("throttlingException", 0, "slow down", NULL, NULL);
  g_autoptr(GError) b = sextant_bedrock_error_new_for_code ("modelStreamErrorException", 0, "Model Stream Error", NULL, NULL);
  g_autoptr(GError) c = sextant_bedrock_error_new_for_code ("somethingNewException", 0, "?", NULL, NULL);

  g_assert_error (a, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_THROTTLED);
  g_assert_nonnull (strstr (a->message, "inside the response stream"));
  g_assert_error (b, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_MODEL_ERROR);
  g_assert_error (c, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_STREAM_EXCEPTION);
}

static void
test_profile_suggestion (void)
{
  struct { const char *model; const char *region; const char *expected; } cases[] = {
    { "anthropic.claude-sonnet-4-6", "us-west-2", "us.anthropic.claude-sonnet-4-6" },
    { "anthropic.claude-sonnet-4-6", "eu-central-1", "eu.anthropic.claude-sonnet-4-6" },
    { "amazon.nova-lite-v1:0", "ap-northeast-1", "apac.amazon.nova-lite-v1:0" },
    { "us.anthropic.claude-sonnet-4-6", "us-east-1", NULL },
    { "arn:aws:bedrock:us-east-1:1:inference-profile/x", "us-east-1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = sextant_bedrock_suggest_profile_id (cases[i].model, cases[i].region);

      g_assert_cmpstr (id, ==, cases[i].expected);
    }
}

static void
test_secret_never_in_message (void)
{
  g_autoptr(GError) error = NULL;

  /* A server that echoes a key back: the message is passed through the log redactor. */
  sextant_log_writer_register_secret ("SUPERSECRETKEYVALUE123");
  error = sextant_bedrock_error_new_for_code ("ValidationException", 400, "bad key SUPERSECRETKEYVALUE123", NULL, NULL);
  g_assert_null (strstr (error->message, "SUPERSECRETKEYVALUE123"));
}

/* A body of white space, or none, parses to no JSON root at all: it is a parse error, never a
 * json-glib CRITICAL (which g_test_init () makes fatal). Found by fuzz-converse-response. */
static void
test_blank_bodies (void)
{
  static const char *bodies[] = { "", " ", "\n\t " };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(SextantConverseResult) result = sextant_converse_result_new ();
      g_autoptr(GError) parse_error = NULL;
      g_autoptr(GError) http = NULL;

      g_assert_false (sextant_converse_result_load_response (result, bodies[i], strlen (bodies[i]),
                                                             &parse_error));
      g_assert_error (parse_error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE);
      http = sextant_bedrock_error_new_from_response (400, NULL, bodies[i], strlen (bodies[i]), NULL,
                                                      "us-east-1", "m:0");
      g_assert_nonnull (http);
      g_assert_true (http->domain == SEXTANT_BEDROCK_ERROR);
    }
}

/* A token count written as a huge or fractional number is read without overflowing the cast to
 * an integer (undefined behaviour that UBSan reported). Found by fuzz-converse-response. */
static void
test_huge_token_counts (void)
{
  static const char body[] =
    "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hi\"}]}},"
    "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":1e300,\"outputTokens\":-1e300,"
    "\"totalTokens\":7.0}}";
  g_autoptr(SextantConverseResult) result = sextant_converse_result_new ();
  g_autoptr(GError) error = NULL;
  const SextantConverseUsage *usage;

  g_assert_true (sextant_converse_result_load_response (result, body, strlen (body), &error));
  g_assert_no_error (error);
  usage = sextant_converse_result_get_usage (result);
  g_assert_cmpint (usage->input_tokens, ==, 0);
  g_assert_cmpint (usage->output_tokens, ==, 0);
  g_assert_cmpint (usage->total_tokens, ==, 7);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/bedrock/errors/parse-code", test_parse_code);
  g_test_add_func ("/sextant/bedrock/errors/from-response", test_from_response);
  g_test_add_func ("/sextant/bedrock/errors/in-stream", test_in_stream_codes);
  g_test_add_func ("/sextant/bedrock/errors/profile-suggestion", test_profile_suggestion);
  g_test_add_func ("/sextant/bedrock/errors/no-secret", test_secret_never_in_message);
  g_test_add_func ("/sextant/bedrock/errors/huge-token-counts", test_huge_token_counts);
  g_test_add_func ("/sextant/bedrock/errors/blank-bodies", test_blank_bodies);

  return g_test_run ();
}
