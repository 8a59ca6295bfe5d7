#pragma once

#include <glib-object.h>
#include <sqlite3.h>

#include "base/sextant-store-error.h"
#include "base/sextant-store-key.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_STORE (sextant_store_get_type ())

G_DECLARE_FINAL_TYPE (SextantStore, sextant_store, SEXTANT, STORE, GObject)

/**
 * SextantMigration:
 * @version: the schema version the migration brings the database to
 * @feature: the folder of the core that owns its tables, for messages
 * @sql: the statements, run in one transaction with the version bump
 *
 * One step of a feature's schema. Append only: a released migration is never edited, since users'
 * databases have already run it.
 */
typedef struct
{
  int         version;
  const char *feature;
  const char *sql;
} SextantMigration;

SextantStore *sextant_store_open                (const char              *path,
                                                 const SextantMigration  *migrations,
                                                 guint                    n_migrations,
                                                 GError                 **error);
SextantStore *sextant_store_open_connection     (SextantStore  *self,
                                                 GError       **error);
gboolean      sextant_store_is_file             (SextantStore  *self);
const char   *sextant_store_get_path            (SextantStore  *self);
sqlite3      *sextant_store_get_db              (SextantStore  *self);
int           sextant_store_get_schema_version  (SextantStore  *self);
int           sextant_store_get_latest_version  (SextantStore  *self);
gboolean      sextant_store_exec                (SextantStore  *self,
                                                 const char    *sql,
                                                 GError       **error);
sqlite3_stmt *sextant_store_prepare             (SextantStore  *self,
                                                 const char    *sql,
                                                 GError       **error);
gboolean      sextant_store_step_done           (SextantStore  *self,
                                                 sqlite3_stmt  *stmt,
                                                 GError       **error);
gboolean      sextant_store_begin               (SextantStore  *self,
                                                 GError       **error);
gboolean      sextant_store_commit              (SextantStore  *self,
                                                 GError       **error);
void          sextant_store_rollback            (SextantStore  *self);
void          sextant_store_set_key             (SextantStore     *self,
                                                 SextantStoreKey  *key);
SextantStoreKey *sextant_store_get_key          (SextantStore  *self);
void          sextant_store_set_sealed          (SextantStore  *self,
                                                 gboolean       sealed);
gboolean      sextant_store_get_sealed          (SextantStore  *self);
void          sextant_store_set_all_sealed      (SextantStore  *self,
                                                 gboolean       all_sealed);
gboolean      sextant_store_get_all_sealed      (SextantStore  *self);
gboolean      sextant_store_check_writable      (SextantStore  *self,
                                                 GError       **error);
GBytes       *sextant_store_seal                (SextantStore  *self,
                                                 const char    *where,
                                                 gint64         row_id,
                                                 const char    *text);
void          sextant_store_bind_text_sealed    (SextantStore  *self,
                                                 sqlite3_stmt  *stmt,
                                                 int            column,
                                                 const char    *where,
                                                 gint64         row_id,
                                                 const char    *text);
gint64        sextant_store_next_row_id         (SextantStore  *self,
                                                 const char    *table,
                                                 GError       **error);
char         *sextant_store_column_dup_text     (SextantStore  *self,
                                                 sqlite3_stmt  *stmt,
                                                 int            column,
                                                 const char    *where,
                                                 gint64         row_id,
                                                 gboolean      *opened);
void          sextant_store_set_error_from_db   (SextantStore  *self,
                                                 GError       **error,
                                                 const char    *what);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
