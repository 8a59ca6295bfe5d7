#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantCurveInterp:
 * @SEXTANT_CURVE_INTERP_LINEAR: linear between nodes
 * @SEXTANT_CURVE_INTERP_MONOTONE_CUBIC: piecewise cubic Hermite with Fritsch-Carlson slopes
 *   (weighted harmonic means, Brodlie's weights; SciPy's `PchipInterpolator`), which keeps
 *   monotone data monotone and adds no extremum between nodes
 */
typedef enum
{
  SEXTANT_CURVE_INTERP_LINEAR,
  SEXTANT_CURVE_INTERP_MONOTONE_CUBIC,
} SextantCurveInterp;

gboolean sextant_curve_interpolate (SextantCurveInterp   method,
                                    const double        *x,
                                    const double        *y,
                                    gsize                n,
                                    const double        *at,
                                    double              *out,
                                    gsize                n_at,
                                    GError             **error);

G_END_DECLS
