#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantStressWindow:
 * @start: index of the window's first return
 * @length: number of returns in it
 * @loss: −(∏(1 + r) − 1) over the window, a positive number for a loss
 */
typedef struct
{
  gsize  start;
  gsize  length;
  double loss;
} SextantStressWindow;

gboolean sextant_stress_worst_windows (const double         *returns,
                                       gsize                 n,
                                       gsize                 window,
                                       gsize                 max_windows,
                                       SextantStressWindow  *out,
                                       gsize                *n_out,
                                       GError              **error);
gboolean sextant_stress_shock         (const double         *weights,
                                       const double         *shocks,
                                       gsize                 k,
                                       double               *portfolio_return,
                                       double               *contributions,
                                       GError              **error);

G_END_DECLS
