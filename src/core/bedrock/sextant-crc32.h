#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint32 sextant_crc32_update (guint32       crc,
                              const guint8 *data,
                              gsize         len);
guint32 sextant_crc32        (const guint8 *data,
                              gsize         len);

G_END_DECLS
