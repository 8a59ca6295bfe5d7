#define G_LOG_DOMAIN "test-eventstream"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* The event-stream vectors of tests/data/bedrock/eventstream/ (aws-sdk-go, botocore and
 * Bedrock captures): expectations are the decoded JSON files beside each .bin, and the
 * rejection kinds listed in eventstream/README.md. */

static GBytes *
read_vector (const char *relative)
{
  g_autofree char *path = sextant_test_reference_path (relative);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (data, len);
}

static JsonNode *
read_json (const char *relative)
{
  g_autofree char *path = sextant_test_reference_path (relative);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

/* Feeds @bytes in pieces of @step bytes (the whole at once when 0), or in two pieces split at
 * @split when @step is G_MAXSIZE, collecting every message. */
static GPtrArray *
decode_pieces (GBytes  *bytes,
               gsize    step,
               gsize    split,
               GError **error)
{
  g_autoptr(SextantEventStreamDecoder) decoder = sextant_event_stream_decoder_new ();
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify)sextant_event_stream_message_unref);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gsize pos = 0;

  while (pos < len)
    {
      gsize n = step == G_MAXSIZE ? (pos < split ? split - pos : len - pos)
                                  : (step == 0 ? len : MIN (step, len - pos));
      SextantEventStreamMessage *msg;

      sextant_event_stream_decoder_feed (decoder, data + pos, n);
      pos += n;
      while ((msg = sextant_event_stream_decoder_next (decoder, error)) != NULL)
        g_ptr_array_add (messages, msg);
      if (error != NULL && *error != NULL)
        return messages;
    }
  g_assert_cmpuint (sextant_event_stream_decoder_get_pending (decoder), ==, 0);

  return messages;
}

static void
assert_base64_equal (const char   *b64,
                     const guint8 *data,
                     gsize         len)
{
  gsize expected_len;
  g_autofree guchar *expected = g_base64_decode (b64, &expected_len);

  g_assert_cmpmem (data, len, expected, expected_len);
}

/* Compares one decoded message with a vector's JSON. @strings_base64: aws-sdk-go writes string
 * values as base64, botocore as text. */
static void
assert_message_matches (SextantEventStreamMessage *msg,
                        JsonObject                *expected,
                        gboolean                   strings_base64)
{
  JsonArray *headers = json_object_get_array_member (expected, "headers");
  guint32 total, headers_len, prelude_crc, message_crc;
  gsize payload_len;
  const guint8 *payload = g_bytes_get_data (sextant_event_stream_message_get_payload (msg), &payload_len);
  const char *payload_key = json_object_has_member (expected, "payload") ? "payload" : "payload_base64";

  sextant_event_stream_message_get_prelude (msg, &total, &headers_len, &prelude_crc, &message_crc);
  g_assert_cmpuint (total, ==, json_object_get_int_member (expected, "total_length"));
  g_assert_cmpuint (headers_len, ==, json_object_get_int_member (expected, "headers_length"));
  /* aws-sdk-go writes CRCs as signed int32: mask with 0xffffffff (README). */
  g_assert_cmpuint (prelude_crc, ==, (guint32)(json_object_get_int_member (expected, "prelude_crc") & 0xffffffff));
  g_assert_cmpuint (message_crc, ==, (guint32)(json_object_get_int_member (expected, "message_crc") & 0xffffffff));
  g_assert_cmpuint (sextant_event_stream_message_get_n_headers (msg), ==, json_array_get_length (headers));
  for (guint i = 0; i < json_array_get_length (headers); i++)
    {
      JsonObject *h = json_array_get_object_element (headers, i);
      const SextantEventStreamHeader *got = sextant_event_stream_message_get_nth_header (msg, i);
      gint64 type = json_object_get_int_member (h, "type");

      g_assert_cmpstr (got->name, ==, json_object_get_string_member (h, "name"));
      g_assert_cmpint (got->type, ==, type);
      if (type == SEXTANT_EVENT_STREAM_BOOL_TRUE || type == SEXTANT_EVENT_STREAM_BOOL_FALSE)
        g_assert_cmpint (got->integer, ==, json_object_get_boolean_member (h, "value"));
      else if (type == SEXTANT_EVENT_STREAM_STRING && !strings_base64)
        g_assert_cmpstr ((const char *)got->data, ==, json_object_get_string_member (h, "value"));
      else if (type == SEXTANT_EVENT_STREAM_BYTES || type == SEXTANT_EVENT_STREAM_STRING ||
               type == SEXTANT_EVENT_STREAM_UUID)
        assert_base64_equal (json_object_get_string_member (h, "value"), got->data, got->len);
      else
        g_assert_cmpint (got->integer, ==, json_object_get_int_member (h, "value"));
    }
  assert_base64_equal (json_object_get_string_member (expected, payload_key), payload, payload_len);
}

static void
check_positive (const char *bin,
                const char *json,
                gboolean    strings_base64)
{
  g_autoptr(GBytes) bytes = read_vector (bin);
  g_autoptr(JsonNode) expected = read_json (json);
  gsize len = g_bytes_get_size (bytes);

  g_test_message ("positive %s", bin);
  /* Whole, byte by byte, and split in two at every position. */
  for (gsize split = 0; split <= len + 1; split++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) messages = NULL;

      if (split == 0)
        messages = decode_pieces (bytes, 0, 0, &error);
      else if (split == len + 1)
        messages = decode_pieces (bytes, 1, 0, &error);
      else
        messages = decode_pieces (bytes, G_MAXSIZE, split, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (messages->len, ==, 1);
      assert_message_matches (messages->pdata[0], json_node_get_object (expected), strings_base64);
      if (split == 0)
        {
          g_autoptr(GBytes) encoded = sextant_event_stream_message_encode (messages->pdata[0]);

          /* The encoder reproduces the vector byte for byte (header order is kept). */
          g_assert_true (g_bytes_equal (encoded, bytes));
        }
    }
}

static const char *aws_sdk_go_positive[] = {
  "all_headers", "empty_message", "int32_header", "payload_no_headers", "payload_one_str_header",
};

static const char *botocore_positive[] = {
  "all_headers_types", "empty_message", "error_event_message", "int16_header", "int32_header",
  "int64_header", "int8_header", "payload_no_headers", "payload_one_str_header",
};

static void
test_aws_sdk_go_positive (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (aws_sdk_go_positive); i++)
    {
      g_autofree char *bin = g_strdup_printf ("bedrock/eventstream/aws-sdk-go/encoded/positive/%s.bin", aws_sdk_go_positive[i]);
      g_autofree char *json = g_strdup_printf ("bedrock/eventstream/aws-sdk-go/decoded/positive/%s.json", aws_sdk_go_positive[i]);

      check_positive (bin, json, TRUE);
    }
}

static void
test_botocore_positive (void)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GBytes) all_bytes = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (botocore_positive); i++)
    {
      g_autofree char *bin = g_strdup_printf ("bedrock/eventstream/botocore/positive/%s.bin", botocore_positive[i]);
      g_autofree char *json = g_strdup_printf ("bedrock/eventstream/botocore/positive/%s.json", botocore_positive[i]);
      g_autoptr(GBytes) bytes = read_vector (bin);

      check_positive (bin, json, FALSE);
      g_byte_array_append (all, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }

  /* README: all positive cases concatenated in one buffer decode in order. */
  all_bytes = g_bytes_new (all->data, all->len);
  messages = decode_pieces (all_bytes, 7, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, G_N_ELEMENTS (botocore_positive));
  for (guint i = 0; i < messages->len; i++)
    {
      g_autofree char *json = g_strdup_printf ("bedrock/eventstream/botocore/positive/%s.json", botocore_positive[i]);
      g_autoptr(JsonNode) expected = read_json (json);

      assert_message_matches (messages->pdata[i], json_node_get_object (expected), FALSE);
    }
}

static void
check_negative (GBytes *bytes,
                int     expected_code)
{
  gsize len = g_bytes_get_size (bytes);

  /* Rejected whole and when fed byte by byte, always with the same specific code. */
  for (guint mode = 0; mode < 2; mode++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) messages = decode_pieces (bytes, mode == 0 ? 0 : 1, 0, &error);

      g_assert_error (error, SEXTANT_BEDROCK_ERROR, expected_code);
      g_assert_cmpuint (messages->len, ==, 0);
      g_assert_cmpuint (len, >, 0);
    }
}

static void
test_aws_sdk_go_negative (void)
{
  /* decoded/negative/NAME.txt: "Prelude checksum mismatch" or "Message checksum mismatch". */
  const char *names[] = { "corrupted_header_len", "corrupted_headers", "corrupted_length", "corrupted_payload" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *bin = g_strdup_printf ("bedrock/eventstream/aws-sdk-go/encoded/negative/%s.bin", names[i]);
      g_autofree char *txt_rel = g_strdup_printf ("bedrock/eventstream/aws-sdk-go/decoded/negative/%s.txt", names[i]);
      g_autofree char *txt_path = sextant_test_reference_path (txt_rel);
      g_autofree char *expected = NULL;
      g_autoptr(GBytes) bytes = read_vector (bin);

      g_assert_true (g_file_get_contents (txt_path, &expected, NULL, NULL));
      g_test_message ("negative %s: %s", names[i], expected);
      if (g_str_has_prefix (expected, "Prelude checksum mismatch"))
        check_negative (bytes, SEXTANT_BEDROCK_ERROR_PRELUDE_CRC);
      else
        {
          g_assert_true (g_str_has_prefix (expected, "Message checksum mismatch"));
          check_negative (bytes, SEXTANT_BEDROCK_ERROR_MESSAGE_CRC);
        }
    }
}

static void
test_botocore_negative (void)
{
  /* The mapping of eventstream/README.md's table ("ChecksumMismatch (prelude)" etc.). */
  static const struct { const char *name; int code; } cases[] = {
    { "corrupted_length", SEXTANT_BEDROCK_ERROR_PRELUDE_CRC },
    { "corrupted_header_length", SEXTANT_BEDROCK_ERROR_PRELUDE_CRC },
    { "corrupted_headers", SEXTANT_BEDROCK_ERROR_MESSAGE_CRC },
    { "corrupted_payload", SEXTANT_BEDROCK_ERROR_MESSAGE_CRC },
    { "duplicate_header", SEXTANT_BEDROCK_ERROR_DUPLICATE_HEADER },
    { "invalid_headers_length", SEXTANT_BEDROCK_ERROR_HEADERS_LENGTH },
  };
  g_autofree char *prelude_path = sextant_test_reference_path ("bedrock/eventstream/botocore/negative/invalid_payload_length.prelude.hex");
  g_autofree char *hex = NULL;
  g_autoptr(GByteArray) prelude = g_byte_array_new ();
  g_autoptr(GBytes) prelude_bytes = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *bin = g_strdup_printf ("bedrock/eventstream/botocore/negative/%s.bin", cases[i].name);
      g_autoptr(GBytes) bytes = read_vector (bin);

      g_test_message ("negative %s", cases[i].name);
      check_negative (bytes, cases[i].code);
    }

  /* invalid_payload_length must be refused from its 12-byte prelude alone (README). */
  g_assert_true (g_file_get_contents (prelude_path, &hex, NULL, NULL));
  g_strstrip (hex);
  g_assert_cmpuint (strlen (hex), ==, 24);
  for (guint i = 0; i < 12; i++)
    {
      guint8 byte = g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]);

      g_byte_array_append (prelude, &byte, 1);
    }
  prelude_bytes = g_bytes_new (prelude->data, prelude->len);
  check_negative (prelude_bytes, SEXTANT_BEDROCK_ERROR_PAYLOAD_LENGTH);
}

static void
assert_frames_match (GPtrArray  *messages,
                     JsonObject *expected)
{
  JsonArray *frames = json_object_get_array_member (expected, "frames");

  g_assert_cmpuint (messages->len, ==, json_array_get_length (frames));
  for (guint i = 0; i < messages->len; i++)
    {
      JsonObject *frame = json_array_get_object_element (frames, i);
      JsonObject *headers = json_object_get_object_member (frame, "headers");
      g_autoptr(GList) names = json_object_get_members (headers);
      GBytes *payload = sextant_event_stream_message_get_payload (messages->pdata[i]);

      g_assert_cmpuint (sextant_event_stream_message_get_n_headers (messages->pdata[i]), ==, g_list_length (names));
      for (GList *l = names; l != NULL; l = l->next)
        g_assert_cmpstr (sextant_event_stream_message_get_string (messages->pdata[i], l->data), ==,
                         json_object_get_string_member (headers, l->data));
      if (json_object_has_member (frame, "payload_json"))
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          json_parser_load_from_data (parser, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), &error);
          g_assert_no_error (error);
          g_assert_true (json_node_equal (json_parser_get_root (parser),
                                          json_object_get_member (frame, "payload_json")));
        }
      else
        assert_base64_equal (json_object_get_string_member (frame, "payload_base64"),
                             g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
    }
}

static void
test_bedrock_frames (void)
{
  const char *names[] = {
    "converse-stream-live-eu-central-1", "model-stream-error-exception",
    "synthetic/converse-stream-throttling-exception", "synthetic/converse-stream-tool-use",
    "synthetic/error-message-type-error", "synthetic/invoke-agent-chunk-returncontrol",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *bin = g_strdup_printf ("bedrock/eventstream/bedrock/%s.bin", names[i]);
      g_autofree char *json = g_strdup_printf ("bedrock/eventstream/bedrock/%s.decoded.json", names[i]);
      g_autoptr(GBytes) bytes = read_vector (bin);
      g_autoptr(JsonNode) expected = read_json (json);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) messages = decode_pieces (bytes, 0, 0, &error);

      g_test_message ("bedrock %s", names[i]);
      g_assert_no_error (error);
      assert_frames_match (messages, json_node_get_object (expected));
    }
}

static void
test_live_capture_every_split (void)
{
  g_autoptr(GBytes) bytes = read_vector ("bedrock/eventstream/bedrock/converse-stream-live-eu-central-1.bin");
  g_autoptr(JsonNode) expected = read_json ("bedrock/eventstream/bedrock/converse-stream-live-eu-central-1.decoded.json");
  gsize len = g_bytes_get_size (bytes);

  /* PROTOCOL.md §5: the capture decodes to the same 6 messages at every one of its 1,158 split
   * points (offsets 0 … 1157 of the 1,157-byte file; the two ends are the whole-buffer case). */
  g_assert_cmpuint (len + 1, ==, 1158);
  for (gsize split = 0; split <= len; split++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) messages = decode_pieces (bytes, G_MAXSIZE, split, &error);

      g_assert_no_error (error);
      assert_frames_match (messages, json_node_get_object (expected));
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) messages = decode_pieces (bytes, 1, 0, &error);

    g_assert_no_error (error);
    assert_frames_match (messages, json_node_get_object (expected));
  }
}

static void
test_truncated_is_pending (void)
{
  g_autoptr(GBytes) bytes = read_vector ("bedrock/eventstream/bedrock/converse-stream-live-eu-central-1.bin");
  g_autoptr(SextantEventStreamDecoder) decoder = sextant_event_stream_decoder_new ();
  g_autoptr(GError) error = NULL;
  SextantEventStreamMessage *msg;
  guint n = 0;

  /* All but the last 10 bytes: five messages come out, the sixth stays pending. */
  sextant_event_stream_decoder_feed (decoder, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes) - 10);
  while ((msg = sextant_event_stream_decoder_next (decoder, &error)) != NULL)
    {
      n++;
      sextant_event_stream_message_unref (msg);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (sextant_event_stream_decoder_get_pending (decoder), >, 0);
}

static void
test_malformed_headers (void)
{
  g_autoptr(SextantEventStreamMessage) msg = sextant_event_stream_message_new ();
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(GByteArray) bad = g_byte_array_new ();
  g_autoptr(GBytes) bad_bytes = NULL;
  g_autoptr(SextantEventStreamDecoder) decoder = sextant_event_stream_decoder_new ();
  g_autoptr(SextantEventStreamMessage) none = NULL;
  g_autoptr(GError) error = NULL;
  guint32 crc;
  gsize len;

  /* An unknown header value type (10) with valid CRCs: its own error, not a CRC error. */
  sextant_event_stream_message_add_string (msg, "a", "b");
  /* The encoder side refuses a duplicate name too. */
  g_assert_false (sextant_event_stream_message_add_header (msg, "a", SEXTANT_EVENT_STREAM_INT8, 1, NULL, 0));
  encoded = sextant_event_stream_message_encode (msg);
  len = g_bytes_get_size (encoded);
  g_byte_array_append (bad, g_bytes_get_data (encoded, NULL), len);
  bad->data[12 + 2] = 10;
  crc = sextant_crc32 (bad->data, bad->len - 4);
  for (guint i = 0; i < 4; i++)
    bad->data[bad->len - 4 + i] = crc >> (24 - 8 * i);
  bad_bytes = g_bytes_new (bad->data, bad->len);
  sextant_event_stream_decoder_feed (decoder, bad->data, bad->len);
  none = sextant_event_stream_decoder_next (decoder, &error);
  g_assert_null (none);
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_EVENT_STREAM);
}

static void
test_crc32_known_values (void)
{
  /* The standard CRC-32 check value: crc32("123456789") = 0xCBF43926 (zlib, IEEE 802.3). */
  g_assert_cmphex (sextant_crc32 ((const guint8 *)"123456789", 9), ==, 0xCBF43926);
  g_assert_cmphex (sextant_crc32 ((const guint8 *)"", 0), ==, 0);
  /* Incremental update equals one pass (slice-by-8 path and tail path both used). */
  g_assert_cmphex (sextant_crc32_update (sextant_crc32 ((const guint8 *)"12345", 5), (const guint8 *)"6789", 4),
                   ==, 0xCBF43926);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/bedrock/eventstream/crc32", test_crc32_known_values);
  g_test_add_func ("/sextant/bedrock/eventstream/aws-sdk-go-positive", test_aws_sdk_go_positive);
  g_test_add_func ("/sextant/bedrock/eventstream/aws-sdk-go-negative", test_aws_sdk_go_negative);
  g_test_add_func ("/sextant/bedrock/eventstream/botocore-positive", test_botocore_positive);
  g_test_add_func ("/sextant/bedrock/eventstream/botocore-negative", test_botocore_negative);
  g_test_add_func ("/sextant/bedrock/eventstream/bedrock-frames", test_bedrock_frames);
  g_test_add_func ("/sextant/bedrock/eventstream/live-capture-every-split", test_live_capture_every_split);
  g_test_add_func ("/sextant/bedrock/eventstream/truncated", test_truncated_is_pending);
  g_test_add_func ("/sextant/bedrock/eventstream/malformed-header", test_malformed_headers);

  return g_test_run ();
}
