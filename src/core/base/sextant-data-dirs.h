#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *sextant_data_dirs_get_bundled (void);
char       *sextant_data_dirs_dup_bundled_file (const char *relative_path);
char       *sextant_data_dirs_dup_user_data (void);
char       *sextant_data_dirs_dup_state (void);
char       *sextant_data_dirs_dup_database_path (void);

G_END_DECLS
