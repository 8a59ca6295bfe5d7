#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* No answer of a data source comes near this (Stooq's longest index history is about 2 MB, a FRED
 * series since 1962 about 1.5 MB); a bigger body is a proxy's or a server's mistake, and is not
 * kept in memory. */
#define SEXTANT_HTTP_MAX_BODY_SIZE (32 * 1024 * 1024)
/* The ECB's series (every currency's rates, the yield curves' every maturity since 2004) are some
 * tens of megabytes at most. */
#define SEXTANT_HTTP_MAX_BULK_BODY_SIZE (128 * 1024 * 1024)

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
