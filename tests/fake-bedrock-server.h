#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* An in-process Bedrock for tests: Converse, ConverseStream (real event-stream framing),
 * ListFoundationModels, ListInferenceProfiles and InvokeModel for Titan embeddings (vectors
 * hashed from the text's words, so texts sharing words are near), on 127.0.0.1. Each request's SigV4 signature is checked with tests/sigv4-verifier.c; replies are
 * scripted per test and can inject the faults the client must survive. The server runs on the
 * thread-default main context it was made in (a thread of its own, for benchmarks); its
 * functions are then called from that thread. */

typedef enum
{
  FAKE_REPLY_TEXT,
  FAKE_REPLY_TOOL_USE,
  FAKE_REPLY_HTTP_ERROR,
  FAKE_REPLY_STREAM_EXCEPTION,
  FAKE_REPLY_STREAM_ERROR,
  FAKE_REPLY_CORRUPT_CRC,
  FAKE_REPLY_TRUNCATED,
  FAKE_REPLY_TRUNCATED_FRAME,
  FAKE_REPLY_RESET,
  FAKE_REPLY_STALL,
  FAKE_REPLY_EMPTY,
} FakeReplyKind;

typedef struct
{
  char    *method;
  char    *path;
  char    *query;
  char    *model_id;
  GBytes  *body;
  char    *session_token;
  char    *authorization;
  gboolean signature_ok;
  char    *verify_error;
} FakeRequest;

typedef struct _FakeBedrockServer FakeBedrockServer;

typedef void (*FakeRequestHook) (FakeBedrockServer *server,
                                 const FakeRequest *request,
                                 gpointer           user_data);

FakeBedrockServer *fake_bedrock_server_new              (const char        *region,
                                                         const char        *access_key_id,
                                                         const char        *secret_access_key);
void               fake_bedrock_server_free             (FakeBedrockServer *self);
const char        *fake_bedrock_server_get_url          (FakeBedrockServer *self);
void               fake_bedrock_server_set_bearer_key   (FakeBedrockServer *self,
                                                         const char        *api_key);
void               fake_bedrock_server_set_hook         (FakeBedrockServer *self,
                                                         FakeRequestHook    hook,
                                                         gpointer           user_data);
void               fake_bedrock_server_set_catalogue    (FakeBedrockServer *self,
                                                         const char        *models_json,
                                                         const char        *profiles_json);
void               fake_bedrock_server_push_text        (FakeBedrockServer *self,
                                                         const char        *text);
void               fake_bedrock_server_push_slow_text   (FakeBedrockServer *self,
                                                         const char        *text,
                                                         guint              first_byte_delay_ms);
void               fake_bedrock_server_push_tool_use    (FakeBedrockServer *self,
                                                         const char        *text,
                                                         const char        *tool_use_id,
                                                         const char        *tool_name,
                                                         const char        *input_json);
void               fake_bedrock_server_add_tool_use     (FakeBedrockServer *self,
                                                         const char        *tool_use_id,
                                                         const char        *tool_name,
                                                         const char        *input_json);
void               fake_bedrock_server_push_http_error  (FakeBedrockServer *self,
                                                         guint              status,
                                                         const char        *error_type,
                                                         const char        *message);
void               fake_bedrock_server_push_fault       (FakeBedrockServer *self,
                                                         FakeReplyKind      kind,
                                                         const char        *partial_text,
                                                         const char        *code,
                                                         const char        *message);
void               fake_bedrock_server_set_cache_usage  (FakeBedrockServer *self,
                                                         guint              cache_read_tokens,
                                                         guint              cache_write_tokens);
void               fake_bedrock_server_set_chunk_size   (FakeBedrockServer *self,
                                                         gsize              bytes);
guint              fake_bedrock_server_get_n_requests   (FakeBedrockServer *self);
void               fake_bedrock_server_push_embedding_error (FakeBedrockServer *self,
                                                         guint              status,
                                                         const char        *error_type,
                                                         const char        *message);
guint              fake_bedrock_server_get_n_embeddings (FakeBedrockServer *self);
const FakeRequest *fake_bedrock_server_get_request      (FakeBedrockServer *self,
                                                         guint              index);
guint              fake_bedrock_server_get_n_bad_signatures (FakeBedrockServer *self);
gint64             fake_bedrock_server_get_last_first_byte_time (FakeBedrockServer *self);

G_END_DECLS
