#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantSessionExpiry:
 * @SEXTANT_SESSION_EXPIRY_UNKNOWN: no expiry is known (long-term keys, or not entered)
 * @SEXTANT_SESSION_EXPIRY_VALID: more than the warning period is left
 * @SEXTANT_SESSION_EXPIRY_SOON: less than the warning period is left
 * @SEXTANT_SESSION_EXPIRY_EXPIRED: the token has expired
 */
typedef enum
{
  SEXTANT_SESSION_EXPIRY_UNKNOWN,
  SEXTANT_SESSION_EXPIRY_VALID,
  SEXTANT_SESSION_EXPIRY_SOON,
  SEXTANT_SESSION_EXPIRY_EXPIRED,
} SextantSessionExpiry;

#define SEXTANT_SESSION_EXPIRY_WARNING_SECONDS (15 * 60)

SextantSessionExpiry sextant_session_expiry_classify (gint64  expires_at,
                                                      gint64  now,
                                                      gint64 *seconds_left);

G_END_DECLS
