#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantKbQuantized:
 * @n_rows: how many vectors
 * @dims: their dimension
 * @stride: the bytes of one row of @codes, @dims rounded up to 32 (the rest zero)
 * @codes: each vector as int8, divided by its row's scale
 * @scales: per row, what a code is worth: max |v_i| / 127
 * @max_residual: the largest ‖v − scale · code‖ of any row
 * @max_norm: the largest ‖scale · code‖ of any row
 *
 * A quarter of the bytes of the float32 vectors, for a first pass of the scan; the two maxima
 * bound how far a score of the codes can be from the exact one.
 */
typedef struct
{
  gsize   n_rows;
  guint   dims;
  guint   stride;
  gint8  *codes;
  float  *scales;
  double  max_residual;
  double  max_norm;
} SextantKbQuantized;

SextantKbQuantized *sextant_kb_quantize             (const float              *matrix,
                                                     gsize                     n_rows,
                                                     guint                     dims);
void                sextant_kb_quantized_free       (SextantKbQuantized       *quantized);
GArray             *sextant_kb_quantized_top_k      (const SextantKbQuantized *quantized,
                                                     const float              *matrix,
                                                     const gint64             *ids,
                                                     const guint8             *excluded,
                                                     const float              *query,
                                                     guint                     k,
                                                     guint                    *n_exact);
const char         *sextant_kb_quantized_get_kernel (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantKbQuantized, sextant_kb_quantized_free)

G_END_DECLS
