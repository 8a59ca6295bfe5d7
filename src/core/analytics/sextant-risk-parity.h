#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean sextant_risk_parity_weights (const double  *covariance,
                                      gsize          k,
                                      const double  *budgets,
                                      double        *weights,
                                      GError       **error);

G_END_DECLS
