#pragma once

#include "bedrock/sextant-bedrock-client.h"
#include "bedrock/sextant-event-stream-decoder.h"
#include "bedrock/sextant-sigv4-signer.h"

G_BEGIN_DECLS

/* Shared between sextant-bedrock-client.c (the object and its API) and
 * sextant-bedrock-client-call.c (one call: attempts, timeouts, retries, stream reading). */

/* Where a Converse call may go: the client's own region first (route 0), then the fallbacks in
 * the order the user listed them. */
typedef struct
{
  char               *region;
  char               *model_id;   /* NULL: the model the caller asked for */
  char               *endpoint;
  SextantSigv4Signer *signer;
} BedrockRoute;

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
  GPtrArray                     *routes;       /* BedrockRoute, [0] is the configured region */
  GHashTable                    *working_ids;  /* "region\nmodel" → the profile id that worked */
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
  char                      *requested_model;
  guint                      route;
  gboolean                   tried_profile;
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
void _sextant_bedrock_call_choose_model (Call *call);
void _sextant_bedrock_call_free  (gpointer data);

G_END_DECLS
