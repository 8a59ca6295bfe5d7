#define G_LOG_DOMAIN "sextant-session-expiry"

#include "config.h"

#include "bedrock/sextant-session-expiry.h"

/**
 * sextant_session_expiry_classify:
 * @expires_at: when the session token expires, Unix seconds; 0 or less when unknown
 * @now: the current time, Unix seconds
 * @seconds_left: (out) (optional): time left, negative once expired
 *
 * Temporary AWS credentials stop working mid-conversation; users of other Bedrock clients learn
 * it from a 403. Sextant warns a quarter of an hour ahead, and says plainly once it has expired.
 *
 * Returns: how the token stands
 */
SextantSessionExpiry
sextant_session_expiry_classify (gint64  expires_at,
                                 gint64  now,
                                 gint64 *seconds_left)
{
  gint64 left = expires_at - now;

  if (seconds_left != NULL)
    *seconds_left = expires_at > 0 ? left : 0;

  if (expires_at <= 0)
    return SEXTANT_SESSION_EXPIRY_UNKNOWN;
  if (left <= 0)
    return SEXTANT_SESSION_EXPIRY_EXPIRED;
  if (left <= SEXTANT_SESSION_EXPIRY_WARNING_SECONDS)
    return SEXTANT_SESSION_EXPIRY_SOON;

  return SEXTANT_SESSION_EXPIRY_VALID;
}
