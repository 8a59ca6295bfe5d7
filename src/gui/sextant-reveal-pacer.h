#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantRevealPacer:
 *
 * How much of a streaming answer a frame may show. Plain data, owned by the chat window.
 */
typedef struct
{
  /*< private >*/
  double target_us;
  double fixed_us;
  double per_byte_us;
  gsize  min_bytes;
  gsize  max_bytes;
} SextantRevealPacer;

void   sextant_reveal_pacer_init        (SextantRevealPacer *pacer,
                                         double              target_us,
                                         gsize               min_bytes,
                                         gsize               max_bytes);
gsize  sextant_reveal_pacer_next_budget (SextantRevealPacer *pacer);
void   sextant_reveal_pacer_frame_done  (SextantRevealPacer *pacer,
                                         gint64              took_us,
                                         gsize               revealed);

G_END_DECLS
