#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sextant_format_date_time (GDateTime *when,
                                GDateTime *now);

G_END_DECLS
