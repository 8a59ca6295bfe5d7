#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "base/sextant-store-key.h"

G_BEGIN_DECLS

GPtrArray *sextant_kb_terms_hash (sqlite3          *db,
                                  SextantStoreKey  *key,
                                  const char       *text,
                                  gboolean          query,
                                  GError          **error);
char      *sextant_kb_terms_hash_text (sqlite3          *db,
                                       SextantStoreKey  *key,
                                       const char       *text,
                                       GError          **error);

G_END_DECLS
