#define G_LOG_DOMAIN "sextant-bedrock-error"

#include "config.h"

#include "sextant-bedrock-error.h"

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
