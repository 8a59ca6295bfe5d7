#pragma once

#include <glib.h>

#include "sextant-returns.h"

G_BEGIN_DECLS

gboolean sextant_mean_vector        (const SextantReturnMatrix  *returns,
                                     double                     *mean,
                                     GError                    **error);
gboolean sextant_covariance_sample  (const SextantReturnMatrix  *returns,
                                     double                     *covariance,
                                     GError                    **error);

G_END_DECLS
