#define G_LOG_DOMAIN "test-bedrock-cli"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "cli-fixture.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* `sextant-cli ask` and `sextant-cli models` as a user runs them, against the fake Bedrock
 * running in this process (AWS_ENDPOINT_URL_BEDROCK_RUNTIME points at it), with fixed example
 * credentials in the environment and no session bus, so the keyring is unusable. Exit codes are
 * those of src/cli/sextant-cli-common.h. */

static const char *cli_path;

typedef CliFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  cli_fixture_setup (f, cli_path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_fixture_teardown (f);
}

#define run_cli cli_fixture_run

static void
test_ask_stream_model_with_colon (Fixture       *f,
                                  gconstpointer  data)
{
  const char *args[] = { "ask", "--model", "anthropic.claude-3-haiku-20240307-v1:0", "What", "is", "VaR?", NULL };

  fake_bedrock_server_push_text (f->server, "Value at Risk is a loss quantile.");
  g_assert_cmpint (run_cli (f, TRUE, NULL, args), ==, 0);
  g_assert_cmpstr (f->out, ==, "Value at Risk is a loss quantile.\n");
  g_assert_nonnull (strstr (f->err, "no usable keyring"));
  g_assert_cmpstr (fake_bedrock_server_get_request (f->server, 0)->path, ==,
                   "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream");
  g_assert_nonnull (strstr (g_bytes_get_data (fake_bedrock_server_get_request (f->server, 0)->body, NULL), "What is VaR?"));
}

static void
test_ask_inference_profile_arn (Fixture       *f,
                                gconstpointer  data)
{
  const char *arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0";
  const char *args[] = { "ask", "--model", arn, "--system", "Be brief.", "Hi", NULL };

  fake_bedrock_server_push_text (f->server, "Hello.");
  g_assert_cmpint (run_cli (f, TRUE, NULL, args), ==, 0);
  g_assert_cmpstr (f->out, ==, "Hello.\n");
  g_assert_cmpstr (fake_bedrock_server_get_request (f->server, 0)->model_id, ==, arn);
}

static void
test_ask_json_no_stream (Fixture       *f,
                         gconstpointer  data)
{
  const char *args[] = { "ask", "--no-stream", "--format", "json", "Hi", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  fake_bedrock_server_push_text (f->server, "Whole answer.");
  g_assert_cmpint (run_cli (f, TRUE, NULL, args), ==, 0);
  json_parser_load_from_data (parser, f->out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  /* The fake server's Converse reply: 12/7/19 tokens, latency 42 ms (fake-bedrock-server.c). */
  g_assert_cmpstr (json_object_get_string_member (o, "text"), ==, "Whole answer.");
  g_assert_cmpstr (json_object_get_string_member (o, "stopReason"), ==, "end_turn");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "usage"), "totalTokens"), ==, 19);
  g_assert_cmpint (json_object_get_int_member (o, "latencyMs"), ==, 42);
  g_assert_true (json_object_get_boolean_member (o, "complete"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "message"), "role"), ==, "assistant");
  /* Which region and id answered, and the prompt-cache counts (none here). */
  g_assert_cmpstr (json_object_get_string_member (o, "region"), ==, "us-east-1");
  g_assert_nonnull (json_object_get_string_member (o, "modelId"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "usage"), "cacheReadInputTokens"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "usage"), "cacheWriteInputTokens"), ==, 0);
  g_assert_true (g_str_has_suffix (fake_bedrock_server_get_request (f->server, 0)->path, "/converse"));
}

static void
test_ask_throttled (Fixture       *f,
                    gconstpointer  data)
{
  const char *args[] = { "ask", "Hi", NULL };

  for (guint i = 0; i < 3; i++)
    fake_bedrock_server_push_http_error (f->server, 429, "ThrottlingException", "Too many requests, please wait before trying again.");
  g_assert_cmpint (run_cli (f, TRUE, NULL, args), ==, 5);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_nonnull (strstr (f->err, "ThrottlingException"));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 3);
  /* The two waits were announced while they happened, the third failure was final. */
  g_assert_nonnull (strstr (f->err, "[retry] attempt 1 of 3 failed"));
  g_assert_nonnull (strstr (f->err, "[retry] attempt 2 of 3 failed"));
  g_assert_null (strstr (f->err, "[retry] attempt 3"));
}

static void
test_ask_partial_then_exception (Fixture       *f,
                                 gconstpointer  data)
{
  const char *args[] = { "ask", "Hi", NULL };

  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_STREAM_EXCEPTION, "The first half",
                                  "throttlingException", "Too many requests, please wait before trying again.");
  g_assert_cmpint (run_cli (f, TRUE, NULL, args), ==, 5);
  /* The partial text stays on stdout; the error is on stderr. */
  g_assert_cmpstr (f->out, ==, "The first half\n");
  g_assert_nonnull (strstr (f->err, "throttlingException"));
}

static void
test_ask_truncated (Fixture       *f,
                    gconstpointer  data)
{
  const char *args[] = { "ask", "Hi", NULL };

  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_TRUNCATED, "Cut", NULL, NULL);
  g_assert_cmpint (run_cli (f, TRUE, NULL, args), ==, 6);
  g_assert_cmpstr (f->out, ==, "Cut\n");
  g_assert_nonnull (strstr (f->err, "incomplete"));
}

static void
test_ask_usage_and_credentials (Fixture       *f,
                                gconstpointer  data)
{
  const char *no_question[] = { "ask", NULL };
  const char *bad_format[] = { "ask", "--format", "csv", "Hi", NULL };
  const char *question[] = { "ask", "Hi", NULL };
  const char *bad_fallback[] = { "ask", "--fallback", "us-west-2", "--fallback", "Oregon", "Hi", NULL };

  g_assert_cmpint (run_cli (f, TRUE, NULL, no_question), ==, 2);
  g_assert_cmpint (run_cli (f, TRUE, NULL, bad_format), ==, 2);
  g_assert_cmpint (run_cli (f, TRUE, NULL, bad_fallback), ==, 2);
  g_assert_nonnull (strstr (f->err, "--fallback takes REGION"));
  g_assert_cmpint (run_cli (f, FALSE, NULL, question), ==, 4);
  g_assert_nonnull (strstr (f->err, "No AWS credentials"));
  g_assert_nonnull (strstr (f->err, "no usable keyring"));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 0);
}

static void
test_ask_network (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_autofree char *dead = NULL;
  const char *args[] = { "ask", "Hi", NULL };

  g_socket_listener_close (listener);
  dead = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_assert_cmpint (run_cli (f, TRUE, dead, args), ==, 7);
  g_assert_nonnull (strstr (f->err, "Cannot reach"));
}

typedef struct
{
  GString  *received;
  gboolean  eof;
  gboolean  pending;
} StdoutReader;

static void
stdout_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  StdoutReader *reader = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);

  reader->pending = FALSE;
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    reader->eof = TRUE;
  else
    g_string_append_len (reader->received, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Reads the child's stdout on this thread's main context (the fake server lives there too) until
 * @wanted appears (or, with %NULL, until the stream ends), failing after 60 s. */
static void
read_stdout (GInputStream *stream,
             StdoutReader *reader,
             const char   *wanted)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!reader->eof && (wanted == NULL || strstr (reader->received->str, wanted) == NULL))
    {
      if (!reader->pending)
        {
          reader->pending = TRUE;
          g_input_stream_read_bytes_async (stream, 4096, G_PRIORITY_DEFAULT, NULL, stdout_read_cb,
                                           reader);
        }
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static void
test_ask_interrupted (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = cli_fixture_new_launcher (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE, TRUE, NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err_path = g_build_filename (f->home, "ask-stderr.txt", NULL);
  g_autofree char *err_text = NULL;
  StdoutReader reader = { g_string_new (NULL), FALSE, FALSE };

  /* A stalled stream, then Ctrl-C once the partial text has reached stdout: it stays there, the
   * error goes to stderr, exit 130. Waiting for the text (not for a fixed time) keeps this
   * independent of how fast a sanitized build runs. */
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_STALL, "Streaming until", NULL, NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  process = g_subprocess_launcher_spawn (launcher, &error, cli_path, "ask", "Hi", NULL);
  g_assert_no_error (error);

  read_stdout (g_subprocess_get_stdout_pipe (process), &reader, "Streaming until");
  g_subprocess_send_signal (process, SIGINT);
  read_stdout (g_subprocess_get_stdout_pipe (process), &reader, NULL);
  g_assert_true (g_subprocess_wait (process, NULL, &error));

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_cmpstr (reader.received->str, ==, "Streaming until\n");
  g_assert_true (g_file_get_contents (err_path, &err_text, NULL, NULL));
  g_assert_nonnull (strstr (err_text, "interrupted"));
  g_string_free (reader.received, TRUE);
}

static void
test_models (Fixture       *f,
             gconstpointer  data)
{
  const char *json_args[] = { "models", "--format", "json", NULL };
  const char *text_args[] = { "models", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  g_assert_cmpint (run_cli (f, TRUE, NULL, json_args), ==, 0);
  json_parser_load_from_data (parser, f->out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "live");
  g_assert_cmpstr (json_object_get_string_member (o, "region"), ==, "us-east-1");
  /* Three base models and one profile in the fake catalogue. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "models")), ==, 4);
  g_assert_cmpint (run_cli (f, TRUE, NULL, text_args), ==, 0);
  g_assert_nonnull (strstr (f->out, "us.anthropic.claude-sonnet-4-6"));
  g_assert_nonnull (strstr (f->out, "profile"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

#define ADD(path, func) g_test_add ("/sextant/bedrock/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("ask-stream-colon-model", test_ask_stream_model_with_colon);
  ADD ("ask-inference-profile-arn", test_ask_inference_profile_arn);
  ADD ("ask-json-no-stream", test_ask_json_no_stream);
  ADD ("ask-throttled", test_ask_throttled);
  ADD ("ask-partial-then-exception", test_ask_partial_then_exception);
  ADD ("ask-truncated", test_ask_truncated);
  ADD ("ask-usage-credentials", test_ask_usage_and_credentials);
  ADD ("ask-network", test_ask_network);
  ADD ("ask-interrupted", test_ask_interrupted);
  ADD ("models", test_models);
#undef ADD

  return g_test_run ();
}
