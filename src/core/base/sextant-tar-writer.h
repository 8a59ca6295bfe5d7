#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SextantTarWriter SextantTarWriter;

SextantTarWriter *sextant_tar_writer_new   (const char        *path,
                                            GError           **error);
gboolean          sextant_tar_writer_add   (SextantTarWriter  *self,
                                            const char        *name,
                                            gconstpointer      data,
                                            gsize              len,
                                            gint64             mtime,
                                            GError           **error);
gboolean          sextant_tar_writer_close (SextantTarWriter  *self,
                                            GError           **error);
void              sextant_tar_writer_free  (SextantTarWriter  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantTarWriter, sextant_tar_writer_free)

G_END_DECLS
