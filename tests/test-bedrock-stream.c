#define G_LOG_DOMAIN "test-bedrock-stream"

#include "config.h"

#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* The ConverseStream accumulator on the captured and labelled streams of
 * eventstream/bedrock/; every expected value is the `botocore_parsed_events` of the file's
 * .decoded.json (e.g. the live capture: "OK" + ".", end_turn, usage 12/5/17, 802 ms). */

typedef struct
{
  GString *deltas;
  guint    n_tool_use;
} Seen;

static void
delta_cb (SextantConverseResult *result,
          guint                  index,
          const char            *text,
          Seen                  *seen)
{
  g_string_append (seen->deltas, text);
}

static void
tool_cb (SextantConverseResult *result,
         guint                  index,
         SextantContentBlock   *block,
         Seen                  *seen)
{
  seen->n_tool_use++;
}

/* Feeds a vector byte by byte through the decoder into a result; returns the first error. */
static gboolean
play (const char             *name,
      SextantConverseResult  *result,
      GError                **error)
{
  g_autofree char *rel = g_strdup_printf ("bedrock/eventstream/bedrock/%s.bin", name);
  g_autofree char *path = sextant_test_reference_path (rel);
  g_autoptr(SextantEventStreamDecoder) decoder = sextant_event_stream_decoder_new ();
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  for (gsize i = 0; i < len; i++)
    {
      SextantEventStreamMessage *msg;

      sextant_event_stream_decoder_feed (decoder, (const guint8 *)data + i, 1);
      while ((msg = sextant_event_stream_decoder_next (decoder, error)) != NULL)
        {
          gboolean ok = sextant_converse_result_handle_message (result, msg, error);

          sextant_event_stream_message_unref (msg);
          if (!ok)
            return FALSE;
        }
      g_assert_no_error (*error);
    }

  return sextant_converse_result_end_stream (result, sextant_event_stream_decoder_get_pending (decoder), error);
}

static void
test_live_capture (void)
{
  g_autoptr(SextantConverseResult) result = sextant_converse_result_new ();
  g_autoptr(GError) error = NULL;
  Seen seen = { g_string_new (NULL), 0 };
  const SextantConverseUsage *usage;
  g_autofree char *text = NULL;

  g_signal_connect (result, "text-delta", G_CALLBACK (delta_cb), &seen);
  g_assert_true (play ("converse-stream-live-eu-central-1", result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (seen.deltas->str, ==, "OK.");
  text = sextant_converse_message_dup_text (sextant_converse_result_get_message (result));
  g_assert_cmpstr (text, ==, "OK.");
  g_assert_cmpstr (sextant_converse_result_get_stop_reason (result), ==, "end_turn");
  usage = sextant_converse_result_get_usage (result);
  g_assert_cmpint (usage->input_tokens, ==, 12);
  g_assert_cmpint (usage->output_tokens, ==, 5);
  g_assert_cmpint (usage->total_tokens, ==, 17);
  g_assert_cmpint (sextant_converse_result_get_latency_ms (result), ==, 802);
  g_assert_true (sextant_converse_result_is_complete (result));
  g_string_free (seen.deltas, TRUE);
}

static void
test_tool_use (void)
{
  g_autoptr(SextantConverseResult) result = sextant_converse_result_new ();
  g_autoptr(GError) error = NULL;
  Seen seen = { g_string_new (NULL), 0 };
  SextantContentBlock *block;
  JsonObject *input;

  g_signal_connect (result, "tool-use", G_CALLBACK (tool_cb), &seen);
  g_assert_true (play ("synthetic/converse-stream-tool-use", result, &error));
  g_assert_no_error (error);
  block = sextant_converse_message_get_block (sextant_converse_result_get_message (result), 1);
  g_assert_cmpint (block->type, ==, SEXTANT_CONTENT_TOOL_USE);
  g_assert_cmpstr (block->tool_use_id, ==, "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");
  g_assert_cmpstr (block->name, ==, "get_weather");
  input = json_node_get_object (block->json);
  g_assert_cmpstr (json_object_get_string_member (input, "city"), ==, "Paris");
  g_assert_cmpstr (json_object_get_string_member (input, "unit"), ==, "C");
  g_assert_cmpuint (seen.n_tool_use, ==, 1);
  g_assert_cmpstr (sextant_converse_result_get_partial_text (result), ==, "Let me check.");
  g_assert_cmpstr (sextant_converse_result_get_stop_reason (result), ==, "tool_use");
  g_assert_cmpint (sextant_converse_result_get_usage (result)->total_tokens, ==, 471);
  g_string_free (seen.deltas, TRUE);
}

static void
test_in_stream_failures (void)
{
  static const struct { const char *name; int code; const char *partial; } cases[] = {
    { "synthetic/converse-stream-throttling-exception", SEXTANT_BEDROCK_ERROR_THROTTLED, "Partial" },
    { "synthetic/error-message-type-error", SEXTANT_BEDROCK_ERROR_STREAM_EXCEPTION, "" },
    { "model-stream-error-exception", SEXTANT_BEDROCK_ERROR_MODEL_ERROR, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SextantConverseResult) result = sextant_converse_result_new ();
      g_autoptr(GError) error = NULL;

      g_assert_false (play (cases[i].name, result, &error));
      g_assert_error (error, SEXTANT_BEDROCK_ERROR, cases[i].code);
      g_test_message ("%s: %s", cases[i].name, error->message);
      g_assert_cmpstr (sextant_converse_result_get_partial_text (result), ==, cases[i].partial);
      g_assert_false (sextant_converse_result_is_complete (result));
    }
}

static void
test_unknown_stop_reason_and_events (void)
{
  g_autoptr(SextantConverseResult) result = sextant_converse_result_new ();
  g_autoptr(GError) error = NULL;
  const char *frames[][2] = {
    { "messageStart", "{\"role\":\"assistant\",\"p\":\"x\"}" },
    { "someFutureEvent", "{\"whatever\":1}" },
    { "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"},\"newField\":[1,2]}" },
    { "messageStop", "{\"stopReason\":\"brand_new_reason\"}" },
    { "metadata", "{\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2},\"metrics\":{\"latencyMs\":5}}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(GBytes) bytes = sextant_event_stream_encode_event (frames[i][0], frames[i][1]);
      g_autoptr(SextantEventStreamDecoder) decoder = sextant_event_stream_decoder_new ();
      g_autoptr(SextantEventStreamMessage) msg = NULL;

      sextant_event_stream_decoder_feed (decoder, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      msg = sextant_event_stream_decoder_next (decoder, &error);
      g_assert_no_error (error);
      g_assert_true (sextant_converse_result_handle_message (result, msg, &error));
    }
  g_assert_true (sextant_converse_result_end_stream (result, 0, &error));
  g_assert_cmpstr (sextant_converse_result_get_stop_reason (result), ==, "brand_new_reason");
  g_assert_false (sextant_converse_result_stop_reason_is_known (result));
}

static void
test_bad_tool_input (void)
{
  g_autoptr(SextantConverseResult) result = sextant_converse_result_new ();
  g_autoptr(GError) error = NULL;
  const char *frames[][2] = {
    { "contentBlockStart", "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"calc\"}}}" },
    { "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"{\\\"a\\\":\"}}}" },
    { "contentBlockStop", "{\"contentBlockIndex\":0}" },
  };
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (frames) && ok; i++)
    {
      g_autoptr(GBytes) bytes = sextant_event_stream_encode_event (frames[i][0], frames[i][1]);
      g_autoptr(SextantEventStreamDecoder) decoder = sextant_event_stream_decoder_new ();
      g_autoptr(SextantEventStreamMessage) msg = NULL;

      sextant_event_stream_decoder_feed (decoder, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      msg = sextant_event_stream_decoder_next (decoder, NULL);
      ok = sextant_converse_result_handle_message (result, msg, &error);
    }
  g_assert_false (ok);
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "calc"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/bedrock/stream/live-capture", test_live_capture);
  g_test_add_func ("/sextant/bedrock/stream/tool-use", test_tool_use);
  g_test_add_func ("/sextant/bedrock/stream/in-stream-failures", test_in_stream_failures);
  g_test_add_func ("/sextant/bedrock/stream/unknown-stop-reason", test_unknown_stop_reason_and_events);
  g_test_add_func ("/sextant/bedrock/stream/bad-tool-input", test_bad_tool_input);

  return g_test_run ();
}
