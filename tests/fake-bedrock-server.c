#define G_LOG_DOMAIN "fake-bedrock-server"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "fake-bedrock-server.h"
#include "sextant-core.h"
#include "sigv4-verifier.h"

/* Replies follow the real capture's shapes (PROTOCOL.md §3): header order, a "p" padding field
 * in every payload, no contentBlockStart for text, metadata last. */

#define CHUNK 37

typedef struct
{
  FakeReplyKind  kind;
  char          *text;
  guint          status;
  char          *code;
  char          *message;
  char          *tool_use_id;
  char          *tool_name;
  char          *tool_input;
  /* A second tool use in the same answer (a model asking two things at once) */
  char          *tool_use_id2;
  char          *tool_name2;
  char          *tool_input2;
  guint          delay_ms;
} FakeReply;

struct _FakeBedrockServer
{
  SoupServer      *server;
  char            *url;
  char            *region;
  char            *access_key_id;
  char            *secret_access_key;
  char            *bearer_key;
  char            *models_json;
  char            *profiles_json;
  GQueue           replies;
  GQueue           embedding_faults;
  guint            n_embeddings;
  GPtrArray       *requests;
  GPtrArray       *jobs;
  FakeRequestHook  hook;
  gpointer         hook_data;
  guint            n_bad_signatures;
  gint64           first_byte_time;
  GMainContext    *context;
  gsize            chunk_size;
  guint            cache_read_tokens;
  guint            cache_write_tokens;
};

/* libsoup's server hands handlers a fully unescaped path (%3A -> ':', %2F -> '/'), while SigV4
 * is computed on the path as sent. The wire path is rebuilt from the API's URI template the way
 * the service routes it: the model id is the one label between `/model/` and the operation, and
 * a correct client escapes everything in it but `A-Za-z0-9-_.~` (PROTOCOL.md §1). The verifier
 * then double-encodes that wire path itself. (Recording the raw request line through a wrapping
 * stream made libsoup 3.2 stall on bodiless GET requests.) */
static char *
wire_path (const char *decoded)
{
  const char *label;
  const char *operation;
  g_autofree char *model = NULL;
  g_autofree char *escaped = NULL;

  if (!g_str_has_prefix (decoded, "/model/") || (operation = strrchr (decoded, '/')) == decoded + 6)
    return g_strdup (decoded);
  label = decoded + strlen ("/model/");
  model = g_strndup (label, operation - label);
  escaped = g_uri_escape_string (model, NULL, FALSE);

  return g_strconcat ("/model/", escaped, operation, NULL);
}

typedef struct
{
  FakeBedrockServer *server;
  SoupServerMessage *msg;
  GBytes            *data;
  FakeReplyKind      kind;
  gboolean           stream;
  GSource           *source;
} Job;

static const char *default_models =
  "{\"modelSummaries\":["
  "{\"modelArn\":\"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0\",\"modelId\":\"amazon.nova-lite-v1:0\","
  "\"modelName\":\"Nova Lite\",\"providerName\":\"Amazon\",\"inputModalities\":[\"TEXT\",\"IMAGE\"],\"outputModalities\":[\"TEXT\"],"
  "\"responseStreamingSupported\":true,\"inferenceTypesSupported\":[\"ON_DEMAND\",\"INFERENCE_PROFILE\"],\"modelLifecycle\":{\"status\":\"ACTIVE\"}},"
  "{\"modelArn\":\"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6\",\"modelId\":\"anthropic.claude-sonnet-4-6\","
  "\"modelName\":\"Claude Sonnet 4.6\",\"providerName\":\"Anthropic\",\"inputModalities\":[\"TEXT\"],\"outputModalities\":[\"TEXT\"],"
  "\"responseStreamingSupported\":true,\"inferenceTypesSupported\":[\"INFERENCE_PROFILE\"],\"modelLifecycle\":{\"status\":\"ACTIVE\"}},"
  "{\"modelArn\":\"arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0\",\"modelId\":\"amazon.titan-embed-text-v2:0\","
  "\"modelName\":\"Titan Text Embeddings V2\",\"providerName\":\"Amazon\",\"inputModalities\":[\"TEXT\"],\"outputModalities\":[\"EMBEDDING\"],"
  "\"responseStreamingSupported\":false,\"inferenceTypesSupported\":[\"ON_DEMAND\"],\"modelLifecycle\":{\"status\":\"ACTIVE\"}}]}";

static const char *default_profiles =
  "{\"inferenceProfileSummaries\":[{\"inferenceProfileId\":\"us.anthropic.claude-sonnet-4-6\","
  "\"inferenceProfileName\":\"US Claude Sonnet 4.6\",\"inferenceProfileArn\":\"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6\","
  "\"models\":[{\"modelArn\":\"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6\"}],"
  "\"status\":\"ACTIVE\",\"type\":\"SYSTEM_DEFINED\"}]}";

static void
reply_free (FakeReply *reply)
{
  g_free (reply->text);
  g_free (reply->code);
  g_free (reply->message);
  g_free (reply->tool_use_id);
  g_free (reply->tool_name);
  g_free (reply->tool_input);
  g_free (reply->tool_use_id2);
  g_free (reply->tool_name2);
  g_free (reply->tool_input2);
  g_free (reply);
}

static void
request_free (gpointer data)
{
  FakeRequest *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->model_id);
  g_bytes_unref (request->body);
  g_free (request->session_token);
  g_free (request->authorization);
  g_free (request->verify_error);
  g_free (request);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->source != NULL)
    {
      g_source_destroy (job->source);
      g_source_unref (job->source);
    }
  g_object_unref (job->msg);
  g_bytes_unref (job->data);
  g_free (job);
}

/* Frames of one event; `p` pads like the real service does. */
static void
append_event (GByteArray *out,
              const char *event_type,
              const char *json_fields)
{
  g_autofree char *json = g_strdup_printf ("{%s%s\"p\":\"abcdefghijklmnop\"}", json_fields, *json_fields ? "," : "");
  g_autoptr(GBytes) frame = sextant_event_stream_encode_event (event_type, json);

  g_byte_array_append (out, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
}

static char *
json_quote (const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);

  return json_to_string (node, FALSE);
}

/* Five characters on from @p, or the end of the text: counted from @p, not to the end of the
 * text each time (with g_utf8_strlen a 1 MB answer took minutes to cut). */
static const char *
piece_end (const char *p)
{
  for (guint i = 0; i < 5 && *p != '\0'; i++)
    p = g_utf8_next_char (p);

  return p;
}

static void
append_text_deltas (GByteArray *out,
                    const char *text)
{
  gsize len = strlen (text);

  /* Five-character pieces, cut at UTF-8 character boundaries. */
  for (gsize pos = 0; pos < len;)
    {
      const char *end = piece_end (text + pos);
      g_autofree char *piece = g_strndup (text + pos, end - (text + pos));
      g_autofree char *quoted = json_quote (piece);
      g_autofree char *fields = g_strdup_printf ("\"contentBlockIndex\":0,\"delta\":{\"text\":%s}", quoted);

      append_event (out, "contentBlockDelta", fields);
      pos = end - text;
    }
}

static void
append_one_tool_use (GByteArray *out,
                     guint       index,
                     const char *id,
                     const char *name,
                     const char *input)
{
  g_autofree char *start = g_strdup_printf ("\"contentBlockIndex\":%u,\"start\":{\"toolUse\":{\"toolUseId\":\"%s\",\"name\":\"%s\"}}",
                                            index, id, name);
  gsize half = strlen (input) / 2;
  g_autofree char *first = g_strndup (input, half);
  g_autofree char *q1 = json_quote (first);
  g_autofree char *q2 = json_quote (input + half);
  g_autofree char *d0 = g_strdup_printf ("\"contentBlockIndex\":%u,\"delta\":{\"toolUse\":{\"input\":\"\"}}", index);
  g_autofree char *d1 = g_strdup_printf ("\"contentBlockIndex\":%u,\"delta\":{\"toolUse\":{\"input\":%s}}", index, q1);
  g_autofree char *d2 = g_strdup_printf ("\"contentBlockIndex\":%u,\"delta\":{\"toolUse\":{\"input\":%s}}", index, q2);
  g_autofree char *stop = g_strdup_printf ("\"contentBlockIndex\":%u", index);

  append_event (out, "contentBlockStart", start);
  append_event (out, "contentBlockDelta", d0);
  append_event (out, "contentBlockDelta", d1);
  append_event (out, "contentBlockDelta", d2);
  append_event (out, "contentBlockStop", stop);
}

static void
append_tool_use (GByteArray *out,
                 FakeReply  *reply)
{
  append_one_tool_use (out, 1, reply->tool_use_id, reply->tool_name, reply->tool_input);
  if (reply->tool_use_id2 != NULL)
    append_one_tool_use (out, 2, reply->tool_use_id2, reply->tool_name2, reply->tool_input2);
}

static void
append_frame (GByteArray *out,
              GBytes     *frame)
{
  g_byte_array_append (out, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
}

static void
append_fault_tail (GByteArray *out,
                   FakeReply  *reply)
{
  g_autoptr(GBytes) frame = NULL;
  g_autofree char *json = NULL;

  switch (reply->kind)
    {
    case FAKE_REPLY_STREAM_EXCEPTION:
      json = g_strdup_printf ("{\"message\":\"%s\"}", reply->message);
      frame = sextant_event_stream_encode_exception (reply->code, json);
      append_frame (out, frame);
      break;
    case FAKE_REPLY_STREAM_ERROR:
      frame = sextant_event_stream_encode_error (reply->code, reply->message);
      append_frame (out, frame);
      break;
    case FAKE_REPLY_CORRUPT_CRC:
      {
        gsize start = out->len;

        append_event (out, "contentBlockDelta", "\"contentBlockIndex\":0,\"delta\":{\"text\":\"lost\"}");
        out->data[start + 20] ^= 0x55;
      }
      break;
    case FAKE_REPLY_TRUNCATED:
      append_event (out, "contentBlockStop", "\"contentBlockIndex\":0");
      break;
    default:
      break;
    }
}

/* The prompt-cache counts, when a test set them: Bedrock leaves them out otherwise. */
static char *
cache_usage (FakeBedrockServer *self)
{
  if (self->cache_read_tokens == 0 && self->cache_write_tokens == 0)
    return g_strdup ("");

  return g_strdup_printf (",\"cacheReadInputTokens\":%u,\"cacheWriteInputTokens\":%u",
                          self->cache_read_tokens, self->cache_write_tokens);
}

static GBytes *
build_stream (FakeBedrockServer *self,
              FakeReply         *reply)
{
  GByteArray *out = g_byte_array_new ();
  gboolean complete = reply->kind == FAKE_REPLY_TEXT || reply->kind == FAKE_REPLY_TOOL_USE ||
                      reply->kind == FAKE_REPLY_EMPTY || reply->kind == FAKE_REPLY_TRUNCATED_FRAME;
  guint n_pieces = reply->text != NULL ? (g_utf8_strlen (reply->text, -1) + 4) / 5 : 0;

  append_event (out, "messageStart", "\"role\":\"assistant\"");
  if (reply->kind != FAKE_REPLY_EMPTY && reply->text != NULL && *reply->text)
    append_text_deltas (out, reply->text);
  if (!complete)
    {
      append_fault_tail (out, reply);
      return g_byte_array_free_to_bytes (out);
    }
  if (reply->kind != FAKE_REPLY_EMPTY)
    append_event (out, "contentBlockStop", "\"contentBlockIndex\":0");
  if (reply->kind == FAKE_REPLY_TOOL_USE)
    append_tool_use (out, reply);
  {
    g_autofree char *stop = g_strdup_printf ("\"stopReason\":\"%s\"", reply->kind == FAKE_REPLY_TOOL_USE ? "tool_use" : "end_turn");
    g_autofree char *cache = cache_usage (self);
    g_autofree char *meta = g_strdup_printf ("\"usage\":{\"inputTokens\":12,\"outputTokens\":%u,\"totalTokens\":%u%s,\"serverToolUsage\":{}},"
                                             "\"metrics\":{\"latencyMs\":42}", n_pieces, 12 + n_pieces, cache);

    append_event (out, "messageStop", stop);
    append_event (out, "metadata", meta);
  }
  if (reply->kind == FAKE_REPLY_TRUNCATED_FRAME)
    g_byte_array_set_size (out, out->len - 20);

  return g_byte_array_free_to_bytes (out);
}

static GBytes *
build_converse_json (FakeBedrockServer *self,
                     FakeReply         *reply)
{
  g_autofree char *cache = cache_usage (self);
  g_autofree char *quoted = json_quote (reply->text != NULL ? reply->text : "");
  g_autofree char *tool = NULL;
  char *json;

  if (reply->kind == FAKE_REPLY_TOOL_USE)
    tool = g_strdup_printf (",{\"toolUse\":{\"toolUseId\":\"%s\",\"name\":\"%s\",\"input\":%s,\"type\":\"tool_use\"}}",
                            reply->tool_use_id, reply->tool_name, reply->tool_input);
  if (reply->kind == FAKE_REPLY_TOOL_USE && reply->tool_use_id2 != NULL)
    {
      char *both = g_strdup_printf ("%s,{\"toolUse\":{\"toolUseId\":\"%s\",\"name\":\"%s\",\"input\":%s,\"type\":\"tool_use\"}}",
                                    tool, reply->tool_use_id2, reply->tool_name2, reply->tool_input2);

      g_free (tool);
      tool = both;
    }
  /* Unmodeled keys (serverToolUsage, an unknown top-level member) must be ignored. */
  json = g_strdup_printf ("{\"metrics\":{\"latencyMs\":42},\"output\":{\"message\":{\"role\":\"assistant\",\"content\":["
                          "{\"text\":%s}%s]}},\"stopReason\":\"%s\",\"usage\":{\"inputTokens\":12,\"outputTokens\":7,"
                          "\"totalTokens\":19%s,\"serverToolUsage\":{}},\"someFutureField\":{\"x\":1}}",
                          quoted, tool != NULL ? tool : "", reply->kind == FAKE_REPLY_TOOL_USE ? "tool_use" : "end_turn",
                          cache);

  return g_bytes_new_take (json, strlen (json));
}

static void
write_chunks (SoupMessageBody *body,
              GBytes          *data,
              gsize            limit,
              gsize            chunk_size)
{
  const guint8 *p = g_bytes_get_data (data, NULL);

  for (gsize pos = 0; pos < limit; pos += chunk_size)
    soup_message_body_append (body, SOUP_MEMORY_COPY, p + pos, MIN (chunk_size, limit - pos));
}

/* Timers go to the context the server was made in, not the global default one, so a benchmark
 * can run the server in a thread of its own and keep its work out of the main loop it measures.
 * The job keeps a reference, to destroy the timer when it goes first. */
static GSource *
add_timeout (FakeBedrockServer *self,
             guint              ms,
             GSourceFunc        func,
             gpointer           data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, self->context);

  return source;
}

static gboolean
shutdown_cb (gpointer data)
{
  Job *job = data;
  GSocket *socket = soup_server_message_get_socket (job->msg);

  g_clear_pointer (&job->source, g_source_unref);
  /* An abrupt close in the middle of a chunked body: what a reset looks like to the client. */
  g_assert_nonnull (socket);
  g_socket_shutdown (socket, TRUE, TRUE, NULL);

  return G_SOURCE_REMOVE;
}

static gboolean
write_job_cb (gpointer data)
{
  Job *job = data;
  SoupMessageBody *body = soup_server_message_get_response_body (job->msg);

  g_clear_pointer (&job->source, g_source_unref);
  job->server->first_byte_time = g_get_monotonic_time ();
  if (job->kind == FAKE_REPLY_RESET && g_bytes_get_size (job->data) == 0)
    return shutdown_cb (job);
  if (!job->stream)
    {
      soup_server_message_set_response (job->msg, "application/json", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (job->data, NULL), g_bytes_get_size (job->data));
      soup_server_message_unpause (job->msg);
      return G_SOURCE_REMOVE;
    }
  write_chunks (body, job->data, g_bytes_get_size (job->data), job->server->chunk_size);
  if (job->kind == FAKE_REPLY_RESET)
    job->source = add_timeout (job->server, 50, shutdown_cb, job);
  else if (job->kind != FAKE_REPLY_STALL)
    soup_message_body_complete (body);
  soup_server_message_unpause (job->msg);

  return G_SOURCE_REMOVE;
}

static void
start_job (FakeBedrockServer *self,
           SoupServerMessage *msg,
           FakeReply         *reply,
           gboolean           stream)
{
  Job *job = g_new0 (Job, 1);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  job->server = self;
  job->msg = g_object_ref (msg);
  job->kind = reply->kind;
  job->stream = stream;
  if (reply->kind == FAKE_REPLY_RESET && reply->text == NULL)
    job->data = g_bytes_new (NULL, 0);
  else
    job->data = stream ? build_stream (self, reply) : build_converse_json (self, reply);
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_replace (headers, "x-amzn-RequestId", "fake-request-0001");
  if (stream)
    {
      soup_message_headers_replace (headers, "Content-Type", "application/vnd.amazon.eventstream");
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
    }
  soup_server_message_pause (msg);
  job->source = add_timeout (self, reply->delay_ms, write_job_cb, job);
  g_ptr_array_add (self->jobs, job);
}

static void
reply_http_error (SoupServerMessage *msg,
                  guint              status,
                  const char        *code,
                  const char        *message)
{
  g_autofree char *type = g_strdup_printf ("%s:http://internal.amazon.com/coral/com.amazon.bedrock/", code);
  g_autofree char *quoted = json_quote (message);
  g_autofree char *body = g_strdup_printf ("{\"message\":%s}", quoted);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "x-amzn-ErrorType", type);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "x-amzn-RequestId", "fake-request-error");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static gboolean
verify (FakeBedrockServer *self,
        SoupServerMessage *msg,
        FakeRequest       *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  SoupMessageHeadersIter iter;
  Sigv4VerifierRequest raw = { 0 };
  const char *name;
  const char *value;

  if (self->bearer_key != NULL)
    {
      g_autofree char *expected = g_strconcat ("Bearer ", self->bearer_key, NULL);

      if (g_strcmp0 (request->authorization, expected) == 0)
        return TRUE;
      request->verify_error = g_strdup ("wrong or missing bearer key");
      return FALSE;
    }
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_ptr_array_add (names, (gpointer)name);
      g_ptr_array_add (values, (gpointer)value);
    }
  g_ptr_array_add (names, NULL);
  g_ptr_array_add (values, NULL);
  raw.method = request->method;
  raw.raw_path = request->path;
  raw.raw_query = request->query;
  raw.header_names = (const char **)names->pdata;
  raw.header_values = (const char **)values->pdata;
  raw.body = g_bytes_get_data (request->body, &raw.body_len);

  return sigv4_verifier_check (&raw, self->access_key_id, self->secret_access_key, self->region,
                               "bedrock", &request->verify_error);
}

static FakeRequest *
record_request (FakeBedrockServer *self,
                SoupServerMessage *msg)
{
  FakeRequest *request = g_new0 (FakeRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (body);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = wire_path (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->body = g_bytes_ref (flat);
  request->session_token = g_strdup (soup_message_headers_get_one (headers, "X-Amz-Security-Token"));
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  if (g_str_has_prefix (request->path, "/model/"))
    {
      const char *start = request->path + strlen ("/model/");
      const char *slash = strchr (start, '/');
      g_autofree char *escaped = slash != NULL ? g_strndup (start, slash - start) : g_strdup (start);

      request->model_id = g_uri_unescape_string (escaped, NULL);
    }
  request->signature_ok = verify (self, msg, request);
  if (!request->signature_ok)
    self->n_bad_signatures++;
  g_ptr_array_add (self->requests, request);

  return request;
}

/* A deterministic unit vector derived from the text, so that texts sharing words are near: each
 * lower-cased word adds ±1 to one component chosen by its hash (feature hashing); a text without
 * words gets ±1/√d alternating. Not a language model, but retrieval tests can rank with it. */
static void
fake_embedding (const char *text,
                gint64      dims,
                double     *vector)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  const char *p = lower;
  double norm = 0;

  memset (vector, 0, dims * sizeof (double));
  while (*p != '\0')
    {
      const char *start;
      guint32 hash = 2166136261u;

      while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      for (start = p; *p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)); p++)
        hash = (hash ^ (guint8) *p) * 16777619u;
      if (p > start)
        vector[hash % dims] += (hash >> 31) ? -1.0 : 1.0;
    }
  for (gint64 i = 0; i < dims; i++)
    norm += vector[i] * vector[i];
  for (gint64 i = 0; i < dims; i++)
    vector[i] = norm > 0 ? vector[i] / sqrt (norm) : (i % 2 ? -1.0 : 1.0) / sqrt ((double) dims);
}

/* Cohere Embed v4's answer: `embeddings.float`, one row per text, of `output_dimension`. */
static void
reply_cohere_embeddings (SoupServerMessage *msg,
                         JsonObject        *object)
{
  JsonArray *texts = json_object_get_array_member (object, "texts");
  gint64 dims = json_object_get_int_member_with_default (object, "output_dimension", 1536);
  g_autoptr(GString) out = g_string_new ("{\"id\":\"fake\",\"response_type\":\"embeddings_by_type\",\"embeddings\":{\"float\":[");
  g_autofree double *vector = NULL;

  if (dims < 1 || dims > 4096)
    dims = 1536;
  vector = g_new (double, dims);
  for (guint t = 0; t < json_array_get_length (texts); t++)
    {
      fake_embedding (json_array_get_string_element (texts, t), dims, vector);
      g_string_append (out, t ? ",[" : "[");
      /* Cohere's vectors are not unit length: scaled here so the client must normalise them. */
      for (gint64 i = 0; i < dims; i++)
        g_string_append_printf (out, "%s%.9g", i ? "," : "", 3.0 * vector[i]);
      g_string_append_c (out, ']');
    }
  g_string_append (out, "]},\"texts\":[]}");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, out->str, out->len);
}

static void
reply_embedding (FakeBedrockServer *self,
                 SoupServerMessage *msg,
                 FakeRequest       *request)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) out = g_string_new ("{\"embedding\":[");
  g_autofree double *vector = NULL;
  JsonObject *object = NULL;
  const char *text = "";
  gint64 dims = 1024;
  g_auto(GStrv) words = NULL;
  FakeReply *fault = g_queue_pop_head (&self->embedding_faults);

  self->n_embeddings++;
  if (fault != NULL)
    {
      reply_http_error (msg, fault->status, fault->code, fault->message);
      reply_free (fault);
      return;
    }
  if (json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body), NULL))
    object = json_node_get_object (json_parser_get_root (parser));
  if (object != NULL && json_object_has_member (object, "texts"))
    {
      reply_cohere_embeddings (msg, object);
      return;
    }
  if (object != NULL && json_object_has_member (object, "inputText"))
    text = json_object_get_string_member (object, "inputText");
  if (object != NULL && json_object_has_member (object, "dimensions"))
    dims = json_object_get_int_member (object, "dimensions");
  if (dims < 1 || dims > 4096)
    dims = 1024;
  vector = g_new (double, dims);
  fake_embedding (text, dims, vector);
  for (gint64 i = 0; i < dims; i++)
    g_string_append_printf (out, "%s%.9g", i ? "," : "", vector[i]);
  words = g_strsplit (text, " ", -1);
  g_string_append_printf (out, "],\"inputTextTokenCount\":%u,\"embeddingsByType\":{\"float\":[]}}", g_strv_length (words));
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, out->str, out->len);
}

static void
reply_json (SoupServerMessage *msg,
            const char        *json)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
handle_converse (FakeBedrockServer *self,
                 SoupServerMessage *msg,
                 gboolean           stream)
{
  FakeReply *reply = g_queue_pop_head (&self->replies);

  if (reply == NULL)
    {
      reply = g_new0 (FakeReply, 1);
      reply->kind = FAKE_REPLY_TEXT;
      reply->text = g_strdup ("Hello from the fake server.");
    }
  if (reply->kind == FAKE_REPLY_HTTP_ERROR)
    reply_http_error (msg, reply->status, reply->code, reply->message);
  else
    start_job (self, msg, reply, stream);
  reply_free (reply);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  FakeBedrockServer *self = user_data;
  FakeRequest *request;

  request = record_request (self, msg);

  if (self->hook != NULL)
    self->hook (self, request, self->hook_data);
  if (!request->signature_ok)
    {
      g_debug ("Rejecting %s %s: %s", request->method, request->path, request->verify_error);
      reply_http_error (msg, 403, "InvalidSignatureException",
                        "The request signature we calculated does not match the signature you provided.");
      return;
    }
  if (g_str_has_suffix (request->path, "/converse-stream"))
    handle_converse (self, msg, TRUE);
  else if (g_str_has_suffix (request->path, "/converse"))
    handle_converse (self, msg, FALSE);
  else if (g_str_has_suffix (request->path, "/invoke"))
    reply_embedding (self, msg, request);
  else if (strcmp (request->path, "/foundation-models") == 0)
    reply_json (msg, self->models_json);
  else if (strcmp (request->path, "/inference-profiles") == 0)
    reply_json (msg, self->profiles_json);
  else
    reply_http_error (msg, 404, "UnknownOperationException", "Unknown operation");
}

FakeBedrockServer *
fake_bedrock_server_new (const char *region,
                         const char *access_key_id,
                         const char *secret_access_key)
{
  FakeBedrockServer *self = g_new0 (FakeBedrockServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->context = g_main_context_ref_thread_default ();
  self->chunk_size = CHUNK;
  self->server = soup_server_new (NULL, NULL);

  self->region = g_strdup (region);
  self->access_key_id = g_strdup (access_key_id);
  self->secret_access_key = g_strdup (secret_access_key);
  self->models_json = g_strdup (default_models);
  self->profiles_json = g_strdup (default_profiles);
  self->requests = g_ptr_array_new_with_free_func (request_free);
  self->jobs = g_ptr_array_new_with_free_func (job_free);
  g_queue_init (&self->replies);
  g_queue_init (&self->embedding_faults);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  self->url = g_uri_to_string (uris->data);
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return self;
}

void
fake_bedrock_server_free (FakeBedrockServer *self)
{
  g_ptr_array_unref (self->jobs);
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_unref (self->context);
  g_queue_clear_full (&self->replies, (GDestroyNotify)reply_free);
  g_queue_clear_full (&self->embedding_faults, (GDestroyNotify)reply_free);
  g_ptr_array_unref (self->requests);
  g_free (self->url);
  g_free (self->region);
  g_free (self->access_key_id);
  g_free (self->secret_access_key);
  g_free (self->bearer_key);
  g_free (self->models_json);
  g_free (self->profiles_json);
  g_free (self);
}

const char *
fake_bedrock_server_get_url (FakeBedrockServer *self)
{
  return self->url;
}

void
fake_bedrock_server_set_bearer_key (FakeBedrockServer *self,
                                    const char        *api_key)
{
  g_free (self->bearer_key);
  self->bearer_key = g_strdup (api_key);
}

void
fake_bedrock_server_set_hook (FakeBedrockServer *self,
                              FakeRequestHook    hook,
                              gpointer           user_data)
{
  self->hook = hook;
  self->hook_data = user_data;
}

void
fake_bedrock_server_set_catalogue (FakeBedrockServer *self,
                                   const char        *models_json,
                                   const char        *profiles_json)
{
  g_free (self->models_json);
  g_free (self->profiles_json);
  self->models_json = g_strdup (models_json);
  self->profiles_json = g_strdup (profiles_json);
}

static FakeReply *
push (FakeBedrockServer *self,
      FakeReplyKind      kind,
      const char        *text)
{
  FakeReply *reply = g_new0 (FakeReply, 1);

  reply->kind = kind;
  reply->text = g_strdup (text);
  g_queue_push_tail (&self->replies, reply);

  return reply;
}

void
fake_bedrock_server_push_text (FakeBedrockServer *self,
                               const char        *text)
{
  push (self, FAKE_REPLY_TEXT, text);
}

void
fake_bedrock_server_push_slow_text (FakeBedrockServer *self,
                                    const char        *text,
                                    guint              first_byte_delay_ms)
{
  push (self, FAKE_REPLY_TEXT, text)->delay_ms = first_byte_delay_ms;
}

void
fake_bedrock_server_push_tool_use (FakeBedrockServer *self,
                                   const char        *text,
                                   const char        *tool_use_id,
                                   const char        *tool_name,
                                   const char        *input_json)
{
  FakeReply *reply = push (self, FAKE_REPLY_TOOL_USE, text);

  reply->tool_use_id = g_strdup (tool_use_id);
  reply->tool_name = g_strdup (tool_name);
  reply->tool_input = g_strdup (input_json);
}

/* Adds a second tool use to the answer pushed last, which must be a tool use. */
void
fake_bedrock_server_add_tool_use (FakeBedrockServer *self,
                                  const char        *tool_use_id,
                                  const char        *tool_name,
                                  const char        *input_json)
{
  FakeReply *reply = g_queue_peek_tail (&self->replies);

  g_assert (reply != NULL && reply->kind == FAKE_REPLY_TOOL_USE && reply->tool_use_id2 == NULL);
  reply->tool_use_id2 = g_strdup (tool_use_id);
  reply->tool_name2 = g_strdup (tool_name);
  reply->tool_input2 = g_strdup (input_json);
}

void
fake_bedrock_server_push_http_error (FakeBedrockServer *self,
                                     guint              status,
                                     const char        *error_type,
                                     const char        *message)
{
  FakeReply *reply = push (self, FAKE_REPLY_HTTP_ERROR, NULL);

  reply->status = status;
  reply->code = g_strdup (error_type);
  reply->message = g_strdup (message);
}

/* The next InvokeModel (embedding) request fails with this HTTP error; later ones succeed. */
void
fake_bedrock_server_push_embedding_error (FakeBedrockServer *self,
                                          guint              status,
                                          const char        *error_type,
                                          const char        *message)
{
  FakeReply *reply = g_new0 (FakeReply, 1);

  reply->kind = FAKE_REPLY_HTTP_ERROR;
  reply->status = status;
  reply->code = g_strdup (error_type);
  reply->message = g_strdup (message);
  g_queue_push_tail (&self->embedding_faults, reply);
}

guint
fake_bedrock_server_get_n_embeddings (FakeBedrockServer *self)
{
  return self->n_embeddings;
}

void
fake_bedrock_server_push_fault (FakeBedrockServer *self,
                                FakeReplyKind      kind,
                                const char        *partial_text,
                                const char        *code,
                                const char        *message)
{
  FakeReply *reply = push (self, kind, partial_text);

  reply->code = g_strdup (code);
  reply->message = g_strdup (message);
}

/**
 * fake_bedrock_server_set_chunk_size:
 * @bytes: the size of the HTTP chunks streams are written in; small by default, so frames
 *   arrive split, large for a benchmark that streams at full speed
 */
void
fake_bedrock_server_set_cache_usage (FakeBedrockServer *self,
                                     guint              cache_read_tokens,
                                     guint              cache_write_tokens)
{
  self->cache_read_tokens = cache_read_tokens;
  self->cache_write_tokens = cache_write_tokens;
}

void
fake_bedrock_server_set_chunk_size (FakeBedrockServer *self,
                                    gsize              bytes)
{
  g_assert (bytes > 0);

  self->chunk_size = bytes;
}

guint
fake_bedrock_server_get_n_requests (FakeBedrockServer *self)
{
  return self->requests->len;
}

const FakeRequest *
fake_bedrock_server_get_request (FakeBedrockServer *self,
                                 guint              index)
{
  g_assert_cmpuint (index, <, self->requests->len);

  return self->requests->pdata[index];
}

guint
fake_bedrock_server_get_n_bad_signatures (FakeBedrockServer *self)
{
  return self->n_bad_signatures;
}

gint64
fake_bedrock_server_get_last_first_byte_time (FakeBedrockServer *self)
{
  return self->first_byte_time;
}
