#define G_LOG_DOMAIN "sextant-reveal-pacer"

#include "config.h"

#include <math.h>

#include "sextant-reveal-pacer.h"

/* A frame that shows more of a streaming answer costs a fixed part (the rows on screen, the
 * paint) and a part that grows with the bytes it reveals (Pango laying out the new text). Both
 * are measured on this machine, frame by frame, and the next frame's budget is chosen from them
 * BEFORE the frame, so that a slow or busy machine keeps its frames short from the start instead
 * of learning it from a frame that was already too long. A cost that rises (the machine slowed
 * down, a table began) is believed at once; one that falls is believed slowly, since one cheap
 * frame says little. The target is well under the 16 ms of a frame at 60 Hz: the same bytes can
 * cost half as much again from one frame to the next. */

#define FIXED_START_US     2000.0
#define PER_BYTE_START_US  2.0
#define FALL_WEIGHT        0.1

void
sextant_reveal_pacer_init (SextantRevealPacer *pacer,
                           double              target_us,
                           gsize               min_bytes,
                           gsize               max_bytes)
{
  g_return_if_fail (pacer != NULL);
  g_return_if_fail (target_us > 0 && min_bytes > 0 && min_bytes <= max_bytes);

  pacer->target_us = target_us;
  pacer->fixed_us = FIXED_START_US;
  pacer->per_byte_us = PER_BYTE_START_US;
  pacer->min_bytes = min_bytes;
  pacer->max_bytes = max_bytes;
}

/**
 * sextant_reveal_pacer_next_budget:
 * @pacer: a pacer
 *
 * Returns: how many bytes the next frame may reveal: what the measured costs say fits in the
 *   target, never fewer than the minimum (a slow machine still sees the answer move)
 */
gsize
sextant_reveal_pacer_next_budget (SextantRevealPacer *pacer)
{
  double room;
  double bytes;

  g_return_val_if_fail (pacer != NULL, 0);

  room = pacer->target_us - pacer->fixed_us;
  bytes = room > 0 ? room / MAX (pacer->per_byte_us, 1e-3) : 0;

  return (gsize) CLAMP (bytes, (double) pacer->min_bytes, (double) pacer->max_bytes);
}

static double
follow (double estimate,
        double observed)
{
  if (observed > estimate)
    return observed;

  return estimate + FALL_WEIGHT * (observed - estimate);
}

/**
 * sextant_reveal_pacer_frame_done:
 * @pacer: a pacer
 * @took_us: how long the frame took, from the reveal to the end of its paint
 * @revealed: how many bytes it revealed
 *
 * Learns the costs from a frame. A frame that revealed nothing measures the fixed part. One that
 * revealed text is compared with what the costs predicted for it: the machine was that much
 * slower or faster than believed, for the fixed part and the bytes alike (a busy machine slows
 * both), so both are scaled by that ratio, at once when it is above one and a tenth of the way
 * when below.
 */
void
sextant_reveal_pacer_frame_done (SextantRevealPacer *pacer,
                                 gint64              took_us,
                                 gsize               revealed)
{
  double predicted;
  double ratio;

  g_return_if_fail (pacer != NULL);

  if (took_us <= 0)
    return;
  if (revealed == 0)
    {
      pacer->fixed_us = follow (pacer->fixed_us, (double) took_us);
      return;
    }
  predicted = pacer->fixed_us + pacer->per_byte_us * revealed;
  ratio = (double) took_us / predicted;
  if (ratio < 1)
    ratio = 1 + FALL_WEIGHT * (ratio - 1);
  pacer->fixed_us *= ratio;
  pacer->per_byte_us *= ratio;
}
