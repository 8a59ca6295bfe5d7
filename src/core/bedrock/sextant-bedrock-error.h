#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEXTANT_BEDROCK_ERROR (sextant_bedrock_error_quark ())

/**
 * SextantBedrockError:
 * @SEXTANT_BEDROCK_ERROR_THROTTLED: ThrottlingException (HTTP 429 or in-stream), after retries
 * @SEXTANT_BEDROCK_ERROR_VALIDATION: ValidationException (HTTP 400)
 * @SEXTANT_BEDROCK_ERROR_ACCESS_DENIED: AccessDeniedException (HTTP 403); names the region
 * @SEXTANT_BEDROCK_ERROR_NOT_FOUND: ResourceNotFoundException (HTTP 404)
 * @SEXTANT_BEDROCK_ERROR_MODEL_NOT_READY: ModelNotReadyException
 * @SEXTANT_BEDROCK_ERROR_MODEL_TIMEOUT: ModelTimeoutException (HTTP 408)
 * @SEXTANT_BEDROCK_ERROR_MODEL_ERROR: ModelErrorException / modelStreamErrorException (HTTP 424)
 * @SEXTANT_BEDROCK_ERROR_INTERNAL: InternalServerException (HTTP 500) or another 5xx
 * @SEXTANT_BEDROCK_ERROR_SERVICE_UNAVAILABLE: ServiceUnavailableException (HTTP 503)
 * @SEXTANT_BEDROCK_ERROR_QUOTA_EXCEEDED: ServiceQuotaExceededException
 * @SEXTANT_BEDROCK_ERROR_NEEDS_INFERENCE_PROFILE: the model needs an inference profile id
 * @SEXTANT_BEDROCK_ERROR_EXPIRED_TOKEN: the credentials expired (names their source)
 * @SEXTANT_BEDROCK_ERROR_CREDENTIALS: no usable credentials, or an unreadable config file
 * @SEXTANT_BEDROCK_ERROR_HTTP: any other HTTP error status
 * @SEXTANT_BEDROCK_ERROR_STREAM_EXCEPTION: an exception or error frame inside a 200 stream
 * @SEXTANT_BEDROCK_ERROR_EVENT_STREAM: malformed event-stream framing (lengths, headers)
 * @SEXTANT_BEDROCK_ERROR_PRELUDE_CRC: the prelude CRC-32 of an event-stream message mismatches
 * @SEXTANT_BEDROCK_ERROR_MESSAGE_CRC: the message CRC-32 of an event-stream message mismatches
 * @SEXTANT_BEDROCK_ERROR_HEADERS_LENGTH: an event-stream headers length over the 128 KiB limit
 * @SEXTANT_BEDROCK_ERROR_PAYLOAD_LENGTH: an event-stream payload over the 24 MiB limit
 * @SEXTANT_BEDROCK_ERROR_DUPLICATE_HEADER: an event-stream message repeats a header name
 * @SEXTANT_BEDROCK_ERROR_TRUNCATED: the stream ended before messageStop and metadata
 * @SEXTANT_BEDROCK_ERROR_EMPTY_ANSWER: the model finished without any content
 * @SEXTANT_BEDROCK_ERROR_PARSE: a response body that is not the documented JSON
 * @SEXTANT_BEDROCK_ERROR_TIMEOUT: no byte arrived within the connect or idle-read timeout
 * @SEXTANT_BEDROCK_ERROR_NETWORK: the endpoint could not be reached or the connection broke
 * @SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT: a request the client refuses to send
 * @SEXTANT_BEDROCK_ERROR_INSECURE_ENDPOINT: an endpoint override in plain http:// to a host other
 *   than this computer (`SEXTANT_ALLOW_INSECURE_ENDPOINT=1` allows it)
 *
 * Error codes of #SEXTANT_BEDROCK_ERROR. Messages name the HTTP status, the AWS error code
 * and the request id where there is one; they never contain a key or a token.
 */
typedef enum
{
  SEXTANT_BEDROCK_ERROR_THROTTLED,
  SEXTANT_BEDROCK_ERROR_VALIDATION,
  SEXTANT_BEDROCK_ERROR_ACCESS_DENIED,
  SEXTANT_BEDROCK_ERROR_NOT_FOUND,
  SEXTANT_BEDROCK_ERROR_MODEL_NOT_READY,
  SEXTANT_BEDROCK_ERROR_MODEL_TIMEOUT,
  SEXTANT_BEDROCK_ERROR_MODEL_ERROR,
  SEXTANT_BEDROCK_ERROR_INTERNAL,
  SEXTANT_BEDROCK_ERROR_SERVICE_UNAVAILABLE,
  SEXTANT_BEDROCK_ERROR_QUOTA_EXCEEDED,
  SEXTANT_BEDROCK_ERROR_NEEDS_INFERENCE_PROFILE,
  SEXTANT_BEDROCK_ERROR_EXPIRED_TOKEN,
  SEXTANT_BEDROCK_ERROR_CREDENTIALS,
  SEXTANT_BEDROCK_ERROR_HTTP,
  SEXTANT_BEDROCK_ERROR_STREAM_EXCEPTION,
  SEXTANT_BEDROCK_ERROR_EVENT_STREAM,
  SEXTANT_BEDROCK_ERROR_PRELUDE_CRC,
  SEXTANT_BEDROCK_ERROR_MESSAGE_CRC,
  SEXTANT_BEDROCK_ERROR_HEADERS_LENGTH,
  SEXTANT_BEDROCK_ERROR_PAYLOAD_LENGTH,
  SEXTANT_BEDROCK_ERROR_DUPLICATE_HEADER,
  SEXTANT_BEDROCK_ERROR_TRUNCATED,
  SEXTANT_BEDROCK_ERROR_EMPTY_ANSWER,
  SEXTANT_BEDROCK_ERROR_PARSE,
  SEXTANT_BEDROCK_ERROR_TIMEOUT,
  SEXTANT_BEDROCK_ERROR_NETWORK,
  SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT,
  SEXTANT_BEDROCK_ERROR_INSECURE_ENDPOINT,
} SextantBedrockError;

GQuark   sextant_bedrock_error_quark            (void);
gboolean sextant_bedrock_error_is_retryable     (const GError *error);
char    *sextant_bedrock_error_parse_code       (const char   *raw);
char    *sextant_bedrock_suggest_profile_id     (const char   *model_id,
                                                 const char   *region);
GError  *sextant_bedrock_error_new_for_code     (const char   *code,
                                                 guint         status,
                                                 const char   *message,
                                                 const char   *region,
                                                 const char   *model_id);
GError  *sextant_bedrock_error_new_from_response (guint         status,
                                                  const char   *error_type_header,
                                                  const char   *body,
                                                  gsize         body_len,
                                                  const char   *request_id,
                                                  const char   *region,
                                                  const char   *model_id);

G_END_DECLS
