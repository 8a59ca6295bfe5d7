#pragma once

#include "bedrock/sextant-bedrock-client.h"
#include "bedrock/sextant-event-stream-decoder.h"
#include "bedrock/sextant-sigv4-signer.h"

G_BEGIN_DECLS

/* Shared between sextant-bedrock-client.c (the object and its API) and
 * sextant-bedrock-client-call.c (one call: attempts, timeouts, retries, stream reading). */

struct _SextantBedrockClient
{
  GObject                        parent_instance;
  SoupSession                   *session;
  SextantAwsConfig              *config;
  SextantAwsCredentialsProvider *provider;
  SextantAwsCredentials         *credentials;
  SextantSigv4Signer            *signer;
  guint                          max_attempts;
  guint                          retry_base_delay_ms;
  guint                          retry_max_delay_ms;
  guint                          connect_timeout_ms;
  guint                          idle_timeout_ms;
  guint                          response_timeout_ms;
  int                            retry_tokens;
};

typedef enum
{
  CALL_CONVERSE,
  CALL_STREAM,
  CALL_JSON,
} CallKind;

typedef enum
{
  TIMER_NONE,
  TIMER_CONNECT,
  TIMER_RESPONSE,
  TIMER_IDLE,
} TimerKind;

typedef struct
{
  SextantBedrockClient      *client;
  GTask                     *task;
  GMainContext              *context;
  CallKind                   kind;
  SextantBedrockPlane        plane;
  char                      *method;
  char                      *path;
  char                      *model_id;
  GBytes                    *body;
  SextantConverseResult     *result;
  GCancellable              *user_cancellable;
  gulong                     cancel_handler;
  GCancellable              *attempt_cancellable;
  SoupMessage               *message;
  GInputStream              *input;
  SextantEventStreamDecoder *decoder;
  GByteArray                *received;
  GSource                   *timer;
  TimerKind                  timer_kind;
  TimerKind                  timed_out;
  GSource                   *wait_source;
  GSource                   *wait_cancel_source;
  guint                      attempt;
  int                        last_retry_cost;
  gsize                      n_bytes;
  gboolean                   http_error;
  gboolean                   refreshed_credentials;
} Call;

void _sextant_bedrock_call_start (Call *call);
void _sextant_bedrock_call_free  (gpointer data);

G_END_DECLS
