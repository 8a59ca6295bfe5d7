#define G_LOG_DOMAIN "sextant-bedrock-error"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "bedrock/sextant-bedrock-error.h"
#include "base/sextant-log-writer.h"

G_DEFINE_QUARK (sextant-bedrock-error-quark, sextant_bedrock_error)

/**
 * sextant_bedrock_error_is_retryable:
 * @error: an error from the Bedrock client
 *
 * The SDK "standard" retry mode retries throttling, transient 5xx and connection errors
 * (PROTOCOL.md §4); everything else is the caller's problem and retrying only wastes quota.
 *
 * Returns: %TRUE if another attempt may succeed
 */
gboolean
sextant_bedrock_error_is_retryable (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain != SEXTANT_BEDROCK_ERROR)
    return FALSE;

  switch (error->code)
    {
    case SEXTANT_BEDROCK_ERROR_THROTTLED:
    case SEXTANT_BEDROCK_ERROR_MODEL_NOT_READY:
    case SEXTANT_BEDROCK_ERROR_INTERNAL:
    case SEXTANT_BEDROCK_ERROR_SERVICE_UNAVAILABLE:
    case SEXTANT_BEDROCK_ERROR_NETWORK:
    case SEXTANT_BEDROCK_ERROR_TIMEOUT:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * sextant_bedrock_error_parse_code:
 * @raw: an `x-amzn-ErrorType` value or a body `__type`
 *
 * botocore's rule (PROTOCOL.md §4): keep what is before the first `:` and after the last `#`,
 * so `ThrottlingException:http://internal.amazon.com/coral/…` and
 * `com.amazon.coral#ThrottlingException` both give `ThrottlingException`.
 *
 * Returns: (transfer full) (nullable): the bare code, or %NULL if @raw is empty
 */
char *
sextant_bedrock_error_parse_code (const char *raw)
{
  g_autofree char *code = NULL;
  const char *hash;
  char *colon;

  if (raw == NULL || *raw == '\0')
    return NULL;
  code = g_strdup (raw);
  colon = strchr (code, ':');
  if (colon != NULL)
    *colon = '\0';
  hash = strrchr (code, '#');
  if (hash != NULL)
    return g_strdup (hash + 1);
  g_strstrip (code);

  return *code ? g_steal_pointer (&code) : NULL;
}

/**
 * sextant_bedrock_suggest_profile_id:
 * @model_id: a base model id such as `anthropic.claude-sonnet-4-6`
 * @region: the region of the request
 *
 * Newer models only run through a cross-region inference profile, whose id is the geography's
 * prefix plus the model id (PROTOCOL.md §1).
 *
 * Returns: (transfer full) (nullable): the profile id to try, or %NULL if @model_id is
 *   already a profile or an ARN
 */
char *
sextant_bedrock_suggest_profile_id (const char *model_id,
                                    const char *region)
{
  static const char *geo_prefixes[] = { "us.", "eu.", "apac.", "global.", "us-gov.", "ca.", "jp.", "au." };
  const char *prefix = "us.";

  if (model_id == NULL || g_str_has_prefix (model_id, "arn:"))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (geo_prefixes); i++)
    if (g_str_has_prefix (model_id, geo_prefixes[i]))
      return NULL;
  if (region != NULL)
    {
      if (g_str_has_prefix (region, "us-gov-"))
        prefix = "us-gov.";
      else if (g_str_has_prefix (region, "us-"))
        prefix = "us.";
      else if (g_str_has_prefix (region, "eu-"))
        prefix = "eu.";
      else if (g_str_has_prefix (region, "ap-"))
        prefix = "apac.";
      else if (g_str_has_prefix (region, "ca-"))
        prefix = "ca.";
      else
        prefix = "global.";
    }

  return g_strconcat (prefix, model_id, NULL);
}

typedef struct
{
  const char *code;
  int         error_code;
} CodeMap;

/* Codes of PROTOCOL.md §4 (bedrock-runtime, bedrock, bedrock-agent-runtime) and the throttling
 * codes of botocore's standard retry mode. */
static const CodeMap code_map[] = {
  { "ThrottlingException", SEXTANT_BEDROCK_ERROR_THROTTLED },
  { "Throttling", SEXTANT_BEDROCK_ERROR_THROTTLED },
  { "ThrottledException", SEXTANT_BEDROCK_ERROR_THROTTLED },
  { "TooManyRequestsException", SEXTANT_BEDROCK_ERROR_THROTTLED },
  { "RequestLimitExceeded", SEXTANT_BEDROCK_ERROR_THROTTLED },
  { "ValidationException", SEXTANT_BEDROCK_ERROR_VALIDATION },
  { "AccessDeniedException", SEXTANT_BEDROCK_ERROR_ACCESS_DENIED },
  { "ResourceNotFoundException", SEXTANT_BEDROCK_ERROR_NOT_FOUND },
  { "ModelNotReadyException", SEXTANT_BEDROCK_ERROR_MODEL_NOT_READY },
  { "ModelTimeoutException", SEXTANT_BEDROCK_ERROR_MODEL_TIMEOUT },
  { "ModelErrorException", SEXTANT_BEDROCK_ERROR_MODEL_ERROR },
  { "ModelStreamErrorException", SEXTANT_BEDROCK_ERROR_MODEL_ERROR },
  { "InternalServerException", SEXTANT_BEDROCK_ERROR_INTERNAL },
  { "InternalFailure", SEXTANT_BEDROCK_ERROR_INTERNAL },
  { "ServiceUnavailableException", SEXTANT_BEDROCK_ERROR_SERVICE_UNAVAILABLE },
  { "ServiceQuotaExceededException", SEXTANT_BEDROCK_ERROR_QUOTA_EXCEEDED },
  { "ExpiredTokenException", SEXTANT_BEDROCK_ERROR_EXPIRED_TOKEN },
  { "ExpiredToken", SEXTANT_BEDROCK_ERROR_EXPIRED_TOKEN },
  { "UnrecognizedClientException", SEXTANT_BEDROCK_ERROR_CREDENTIALS },
  { "InvalidSignatureException", SEXTANT_BEDROCK_ERROR_CREDENTIALS },
  { "IncompleteSignatureException", SEXTANT_BEDROCK_ERROR_CREDENTIALS },
  { "MissingAuthenticationTokenException", SEXTANT_BEDROCK_ERROR_CREDENTIALS },
};

static int
code_for_status (guint status)
{
  switch (status)
    {
    case 400: return SEXTANT_BEDROCK_ERROR_VALIDATION;
    case 403: return SEXTANT_BEDROCK_ERROR_ACCESS_DENIED;
    case 404: return SEXTANT_BEDROCK_ERROR_NOT_FOUND;
    case 408: return SEXTANT_BEDROCK_ERROR_MODEL_TIMEOUT;
    case 424: return SEXTANT_BEDROCK_ERROR_MODEL_ERROR;
    case 429: return SEXTANT_BEDROCK_ERROR_THROTTLED;
    case 503: return SEXTANT_BEDROCK_ERROR_SERVICE_UNAVAILABLE;
    case 500:
    case 502:
    case 504:
      return SEXTANT_BEDROCK_ERROR_INTERNAL;
    default:
      return SEXTANT_BEDROCK_ERROR_HTTP;
    }
}

static int
classify (const char *code,
          guint       status,
          const char *message)
{
  if (message != NULL && (strstr (message, "security token included in the request is expired") != NULL ||
                          strstr (message, "ExpiredToken") != NULL))
    return SEXTANT_BEDROCK_ERROR_EXPIRED_TOKEN;
  if (code != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (code_map); i++)
        if (g_ascii_strcasecmp (code, code_map[i].code) == 0)
          {
            if (code_map[i].error_code == SEXTANT_BEDROCK_ERROR_VALIDATION && message != NULL &&
                strstr (message, "inference profile") != NULL)
              return SEXTANT_BEDROCK_ERROR_NEEDS_INFERENCE_PROFILE;
            return code_map[i].error_code;
          }
    }
  if (status == 0)
    return SEXTANT_BEDROCK_ERROR_STREAM_EXCEPTION;

  return code_for_status (status);
}

static void
append_hint (GString    *text,
             int         kind,
             const char *region,
             const char *model_id)
{
  g_autofree char *profile = NULL;

  switch (kind)
    {
    case SEXTANT_BEDROCK_ERROR_ACCESS_DENIED:
      g_string_append_printf (text, " — access denied in region %s: check that model access for %s is "
                              "enabled in the Bedrock console (Model access) for this region and that "
                              "your IAM policy allows bedrock:InvokeModel",
                              region != NULL ? region : "(unknown)", model_id != NULL ? model_id : "this model");
      break;
    case SEXTANT_BEDROCK_ERROR_NEEDS_INFERENCE_PROFILE:
      profile = sextant_bedrock_suggest_profile_id (model_id, region);
      if (profile != NULL)
        g_string_append_printf (text, " — use the inference profile “%s” instead of “%s”", profile, model_id);
      else
        g_string_append (text, " — pick an inference profile id or ARN (sextant-cli models lists them)");
      break;
    case SEXTANT_BEDROCK_ERROR_THROTTLED:
      g_string_append (text, " — request rate or token quota reached; wait before trying again");
      break;
    default:
      break;
    }
}

/**
 * sextant_bedrock_error_new_for_code:
 * @code: (nullable): the AWS error code, UpperCamel or lowerCamel (in-stream)
 * @status: the HTTP status, or 0 for an exception inside a stream
 * @message: (nullable): the service's message
 * @region: (nullable): the request's region, named in access errors
 * @model_id: (nullable): the model, for the inference-profile suggestion
 *
 * Returns: (transfer full): a #SEXTANT_BEDROCK_ERROR naming the code, status and hint; the text
 *   is passed through the log redactor so a secret echoed by a server never shows
 */
GError *
sextant_bedrock_error_new_for_code (const char *code,
                                    guint       status,
                                    const char *message,
                                    const char *region,
                                    const char *model_id)
{
  g_autofree char *upper = NULL;
  g_autofree char *redacted = NULL;
  GString *text = g_string_new ("Bedrock ");
  int kind;

  if (code != NULL && g_ascii_islower (code[0]))
    {
      upper = g_strdup (code);
      upper[0] = g_ascii_toupper (upper[0]);
    }
  kind = classify (upper != NULL ? upper : code, status, message);
  g_string_append (text, code != NULL ? code : "error");
  if (status != 0)
    g_string_append_printf (text, " (HTTP %u)", status);
  else
    g_string_append (text, " inside the response stream");
  if (message != NULL && *message)
    g_string_append_printf (text, ": %s", message);
  append_hint (text, kind, region, model_id);
  redacted = sextant_log_writer_redact (text->str);
  g_string_free (text, TRUE);

  return g_error_new_literal (SEXTANT_BEDROCK_ERROR, kind, redacted);
}

static char *
json_string_member (JsonObject *object,
                    const char *a,
                    const char *b)
{
  if (object == NULL)
    return NULL;
  if (json_object_has_member (object, a) && JSON_NODE_HOLDS_VALUE (json_object_get_member (object, a)))
    return g_strdup (json_object_get_string_member (object, a));
  if (b != NULL && json_object_has_member (object, b) && JSON_NODE_HOLDS_VALUE (json_object_get_member (object, b)))
    return g_strdup (json_object_get_string_member (object, b));

  return NULL;
}

/**
 * sextant_bedrock_error_new_from_response:
 * @status: the HTTP status
 * @error_type_header: (nullable): the `x-amzn-ErrorType` header
 * @body: (nullable) (array length=body_len): the body
 * @body_len: its length
 * @request_id: (nullable): the `x-amzn-RequestId` header, named in the message
 * @region: (nullable): the request's region
 * @model_id: (nullable): the model of the request
 *
 * Returns: (transfer full): the typed error for an HTTP error response
 */
GError *
sextant_bedrock_error_new_from_response (guint       status,
                                         const char *error_type_header,
                                         const char *body,
                                         gsize       body_len,
                                         const char *request_id,
                                         const char *region,
                                         const char *model_id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *code = sextant_bedrock_error_parse_code (error_type_header);
  g_autofree char *message = NULL;
  JsonObject *object = NULL;
  GError *error;

  /* A body of white space parses to no root, which JSON_NODE_HOLDS_OBJECT () asserts on. */
  if (body != NULL && body_len > 0 && json_parser_load_from_data (parser, body, body_len, NULL) &&
      json_parser_get_root (parser) != NULL &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));
  if (code == NULL)
    {
      g_autofree char *raw = json_string_member (object, "__type", "code");

      if (raw == NULL)
        raw = json_string_member (object, "Code", NULL);
      code = sextant_bedrock_error_parse_code (raw);
    }
  message = json_string_member (object, "message", "Message");
  error = sextant_bedrock_error_new_for_code (code, status, message, region, model_id);
  if (request_id != NULL)
    {
      char *with_id = g_strdup_printf ("%s [request id %s]", error->message, request_id);

      g_free (error->message);
      error->message = with_id;
    }

  return error;
}
