#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sextant_format_money (double      amount,
                            const char *currency,
                            int         decimals);

G_END_DECLS
