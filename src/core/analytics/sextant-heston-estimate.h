#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantHestonEstimate:
 * @v0: the variance now: the realized variance of the last block
 * @kappa: mean-reversion speed of the variance, per year
 * @theta: long-run variance, per year (the mean realized variance)
 * @xi: volatility of the variance
 * @rho: correlation of the price and variance shocks, −1 … 1
 * @n_blocks: how many blocks of realized variance the estimate rests on
 * @clamped: whether a figure was out of its range and was moved to it (too little data, or data
 *   that a Heston variance process does not describe well)
 *
 * Annualised figures, in the units of #SextantHestonSpec.
 */
typedef struct
{
  double   v0;
  double   kappa;
  double   theta;
  double   xi;
  double   rho;
  gsize    n_blocks;
  gboolean clamped;
} SextantHestonEstimate;

/* The ranges an estimate is held to: κ from a week to twenty years of half-life, ξ below 3. */
#define SEXTANT_HESTON_KAPPA_MIN 0.05
#define SEXTANT_HESTON_KAPPA_MAX 50.0
#define SEXTANT_HESTON_XI_MAX    3.0

gboolean sextant_heston_estimate (const double           *log_returns,
                                  gsize                   n,
                                  gsize                   block,
                                  double                  periods_per_year,
                                  SextantHestonEstimate  *out,
                                  GError                **error);

G_END_DECLS
