#define G_LOG_DOMAIN "sextant-rate-limiter"

#include "config.h"

#include "market/sextant-rate-limiter.h"

#define MINUTE_US (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define DAY_US    (24 * 60 * MINUTE_US)

typedef struct
{
  guint   max_requests;
  gint64  window_us;
  GArray *times;   /* gint64 µs of the requests still inside the window, oldest first */
} Window;

struct _SextantRateLimiter
{
  GObject           parent_instance;
  GArray           *windows;
  SextantClockFunc  clock;
  gpointer          clock_data;
  gint64            paused_until;
};

G_DEFINE_FINAL_TYPE (SextantRateLimiter, sextant_rate_limiter, G_TYPE_OBJECT)

static gint64
default_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static void
window_clear (gpointer data)
{
  Window *window = data;

  g_clear_pointer (&window->times, g_array_unref);
}

static void
sextant_rate_limiter_finalize (GObject *object)
{
  SextantRateLimiter *self = SEXTANT_RATE_LIMITER (object);

  g_clear_pointer (&self->windows, g_array_unref);

  G_OBJECT_CLASS (sextant_rate_limiter_parent_class)->finalize (object);
}

static void
sextant_rate_limiter_class_init (SextantRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_rate_limiter_finalize;
}

static void
sextant_rate_limiter_init (SextantRateLimiter *self)
{
  self->windows = g_array_new (FALSE, TRUE, sizeof (Window));
  g_array_set_clear_func (self->windows, window_clear);
  self->clock = default_clock;
}

/**
 * sextant_rate_limiter_new:
 *
 * Returns: (transfer full): a limiter with no window (it allows everything)
 */
SextantRateLimiter *
sextant_rate_limiter_new (void)
{
  return g_object_new (SEXTANT_TYPE_RATE_LIMITER, NULL);
}

/**
 * sextant_rate_limiter_new_for_provider:
 * @provider_id: `alphavantage`, `finnhub`, `stooq` or `yahoo`
 *
 * The free plans' published limits (market-apis/README.md, 2026-11): Alpha Vantage 25 a day and
 * the older 5 a minute; Finnhub 60 a minute and 30 a second. Stooq and Yahoo publish none: one
 * request a second keeps a batch polite without slowing a person down.
 *
 * Returns: (transfer full): a limiter with the provider's windows
 */
SextantRateLimiter *
sextant_rate_limiter_new_for_provider (const char *provider_id)
{
  SextantRateLimiter *self = sextant_rate_limiter_new ();

  if (g_strcmp0 (provider_id, "alphavantage") == 0)
    {
      sextant_rate_limiter_add_window (self, 25, DAY_US);
      sextant_rate_limiter_add_window (self, 5, MINUTE_US);
    }
  else if (g_strcmp0 (provider_id, "finnhub") == 0)
    {
      sextant_rate_limiter_add_window (self, 60, MINUTE_US);
      sextant_rate_limiter_add_window (self, 30, G_USEC_PER_SEC);
    }
  else if (g_strcmp0 (provider_id, "stooq") == 0 || g_strcmp0 (provider_id, "yahoo") == 0)
    sextant_rate_limiter_add_window (self, 1, G_USEC_PER_SEC);

  return self;
}

void
sextant_rate_limiter_add_window (SextantRateLimiter *self,
                                 guint               max_requests,
                                 gint64              window_us)
{
  Window window = { max_requests, window_us, g_array_new (FALSE, FALSE, sizeof (gint64)) };

  g_return_if_fail (SEXTANT_IS_RATE_LIMITER (self));
  g_return_if_fail (max_requests > 0 && window_us > 0);

  g_array_append_val (self->windows, window);
}

/**
 * sextant_rate_limiter_set_clock:
 * @self: a limiter
 * @clock: (nullable): the clock, or %NULL for g_get_monotonic_time()
 * @user_data: data for @clock
 *
 * Tests inject a clock they advance by hand, so that a day's limit is tested in microseconds.
 */
void
sextant_rate_limiter_set_clock (SextantRateLimiter *self,
                                SextantClockFunc    clock,
                                gpointer            user_data)
{
  g_return_if_fail (SEXTANT_IS_RATE_LIMITER (self));

  self->clock = clock != NULL ? clock : default_clock;
  self->clock_data = user_data;
}

static void
window_expire (Window *window,
               gint64  now)
{
  guint keep = 0;

  while (keep < window->times->len &&
         g_array_index (window->times, gint64, keep) <= now - window->window_us)
    keep++;
  if (keep > 0)
    g_array_remove_range (window->times, 0, keep);
}

/**
 * sextant_rate_limiter_try_acquire:
 * @self: a limiter
 * @wait_us: (out) (optional): when refused, how long until a slot frees
 *
 * Takes a slot in every window if all have one.
 *
 * Returns: %TRUE if a request may be sent now
 */
gboolean
sextant_rate_limiter_try_acquire (SextantRateLimiter *self,
                                  gint64             *wait_us)
{
  gint64 now, wait = 0;

  g_return_val_if_fail (SEXTANT_IS_RATE_LIMITER (self), FALSE);

  now = self->clock (self->clock_data);
  if (now < self->paused_until)
    wait = self->paused_until - now;
  for (guint i = 0; i < self->windows->len; i++)
    {
      Window *window = &g_array_index (self->windows, Window, i);

      window_expire (window, now);
      if (window->times->len >= window->max_requests)
        wait = MAX (wait, g_array_index (window->times, gint64, 0) + window->window_us - now);
    }
  if (wait_us != NULL)
    *wait_us = wait;
  if (wait > 0)
    return FALSE;

  for (guint i = 0; i < self->windows->len; i++)
    g_array_append_val (g_array_index (self->windows, Window, i).times, now);

  return TRUE;
}

/**
 * sextant_rate_limiter_pause:
 * @self: a limiter
 * @duration_us: how long to refuse every request
 *
 * For when the provider said "limit reached" before our own count did (another app shares the
 * key, or the plan changed).
 */
void
sextant_rate_limiter_pause (SextantRateLimiter *self,
                            gint64              duration_us)
{
  g_return_if_fail (SEXTANT_IS_RATE_LIMITER (self));

  self->paused_until = MAX (self->paused_until, self->clock (self->clock_data) + duration_us);
}

/**
 * sextant_rate_limiter_note_past_request:
 * @self: a limiter
 * @age_us: how long ago the request was sent
 *
 * Counts a request made before this limiter existed (by an earlier run of Sextant or of the
 * command line), so that a daily allowance is shared across processes.
 */
void
sextant_rate_limiter_note_past_request (SextantRateLimiter *self,
                                        gint64              age_us)
{
  gint64 when;

  g_return_if_fail (SEXTANT_IS_RATE_LIMITER (self));

  when = self->clock (self->clock_data) - MAX (age_us, 0);
  for (guint i = 0; i < self->windows->len; i++)
    {
      GArray *times = g_array_index (self->windows, Window, i).times;
      guint at = times->len;

      /* Keep the times sorted: the oldest is what try_acquire() waits on. */
      while (at > 0 && g_array_index (times, gint64, at - 1) > when)
        at--;
      g_array_insert_val (times, at, when);
    }
}

/**
 * sextant_rate_limiter_describe:
 * @self: a limiter
 *
 * Returns: (transfer full): the limits in words, such as "25/day, 5/min"
 */
char *
sextant_rate_limiter_describe (SextantRateLimiter *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->windows->len; i++)
    {
      Window *window = &g_array_index (self->windows, Window, i);
      const char *unit = window->window_us == DAY_US ? "day"
                         : window->window_us == MINUTE_US ? "min"
                         : window->window_us == G_USEC_PER_SEC ? "s" : "window";

      g_string_append_printf (text, "%s%u/%s", i > 0 ? ", " : "", window->max_requests, unit);
    }

  return g_string_free (text, FALSE);
}
