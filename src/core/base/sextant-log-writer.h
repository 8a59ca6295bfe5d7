#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     sextant_log_writer_install           (const char *directory,
                                               gsize       max_bytes,
                                               guint       n_files);
void     sextant_log_writer_install_default   (void);
void     sextant_log_writer_uninstall         (void);
char    *sextant_log_writer_dup_path          (void);
void     sextant_log_writer_register_secret   (const char *secret);
char    *sextant_log_writer_redact            (const char *message);
char   **sextant_log_writer_read_tail         (guint       n_lines);
void     sextant_log_writer_note              (const char *topic,
                                               const char *format,
                                               ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
