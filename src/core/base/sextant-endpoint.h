#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean sextant_endpoint_is_loopback        (const char  *url);
gboolean sextant_endpoint_check_transport    (const char  *url,
                                              const char  *source,
                                              GQuark       domain,
                                              int          code,
                                              GError     **error);

G_END_DECLS
