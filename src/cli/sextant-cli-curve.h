#pragma once

#include <glib.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/* The par curves of `sextant-cli curve`, for the commands that value bonds on one. */
SextantParCurve *sextant_cli_curve_load_par (const char  *source,
                                             gint32       day,
                                             GError     **error);
SextantParCurve *sextant_cli_curve_load_ecb_spot (gint32       day,
                                                  GError     **error);

G_END_DECLS
