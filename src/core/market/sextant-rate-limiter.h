#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEXTANT_TYPE_RATE_LIMITER (sextant_rate_limiter_get_type ())

G_DECLARE_FINAL_TYPE (SextantRateLimiter, sextant_rate_limiter, SEXTANT, RATE_LIMITER, GObject)

/**
 * SextantClockFunc:
 * @user_data: the data given with the clock
 *
 * Returns: the current time in microseconds (monotonic or wall-clock, as long as it never jumps
 *   back)
 */
typedef gint64 (*SextantClockFunc) (gpointer user_data);

SextantRateLimiter *sextant_rate_limiter_new              (void);
SextantRateLimiter *sextant_rate_limiter_new_for_provider (const char         *provider_id);
void                sextant_rate_limiter_add_window       (SextantRateLimiter *self,
                                                           guint               max_requests,
                                                           gint64              window_us);
void                sextant_rate_limiter_set_clock        (SextantRateLimiter *self,
                                                           SextantClockFunc    clock,
                                                           gpointer            user_data);
gboolean            sextant_rate_limiter_try_acquire      (SextantRateLimiter *self,
                                                           gint64             *wait_us);
void                sextant_rate_limiter_pause            (SextantRateLimiter *self,
                                                           gint64              duration_us);
void                sextant_rate_limiter_note_past_request (SextantRateLimiter *self,
                                                           gint64              age_us);
char               *sextant_rate_limiter_describe         (SextantRateLimiter *self);

G_END_DECLS
