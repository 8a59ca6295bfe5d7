#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void    sextant_http_read_body_async  (SoupSession          *session,
                                       SoupMessage          *message,
                                       gsize                 max_size,
                                       const char           *what,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GBytes *sextant_http_read_body_finish (GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
