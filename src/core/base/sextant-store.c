#define G_LOG_DOMAIN "sextant-store"
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC, fchmod () */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/sextant-store.h"

struct _SextantStore
{
  GObject  parent_instance;
  char    *path;
  sqlite3 *db;
  int      schema_version;
  int      latest_version;

  /* Encryption at rest (see workspace/sextant-store-encryption.c): the key the user's text is
   * sealed with, if at hand, and whether the file holds sealed values at all. Sealed without a
   * key, the store is read-only for what is sealed. */
  SextantStoreKey *key;
  gboolean         sealed;
  gboolean         all_sealed;
};

G_DEFINE_FINAL_TYPE (SextantStore, sextant_store, G_TYPE_OBJECT)

static void
sextant_store_finalize (GObject *object)
{
  SextantStore *self = (SextantStore *)object;

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->key);

  G_OBJECT_CLASS (sextant_store_parent_class)->finalize (object);
}

static void
sextant_store_class_init (SextantStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sextant_store_finalize;
}

static void
sextant_store_init (SextantStore *self)
{
}

void
sextant_store_set_error_from_db (SextantStore  *self,
                                 GError       **error,
                                 const char    *what)
{
  int code;
  int domain_code = SEXTANT_STORE_ERROR_SQL;

  g_return_if_fail (SEXTANT_IS_STORE (self));

  code = sqlite3_extended_errcode (self->db) & 0xff;
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
    domain_code = SEXTANT_STORE_ERROR_CORRUPT;
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    domain_code = SEXTANT_STORE_ERROR_BUSY;
  else if (code == SQLITE_CONSTRAINT)
    domain_code = SEXTANT_STORE_ERROR_CONSTRAINT;

  if (domain_code == SEXTANT_STORE_ERROR_CORRUPT)
    g_set_error (error, SEXTANT_STORE_ERROR, domain_code,
                 "The database %s is damaged or is not a Sextant database (%s); "
                 "it has been left untouched", self->path, sqlite3_errmsg (self->db));
  else
    g_set_error (error, SEXTANT_STORE_ERROR, domain_code, "%s: %s", what,
                 sqlite3_errmsg (self->db));
}

gboolean
sextant_store_exec (SextantStore  *self,
                    const char    *sql,
                    GError       **error)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      sextant_store_set_error_from_db (self, error, "SQL failed");
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_store_prepare:
 * @self: a store
 * @sql: one statement
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the prepared statement; free with sqlite3_finalize()
 */
sqlite3_stmt *
sextant_store_prepare (SextantStore  *self,
                       const char    *sql,
                       GError       **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_STORE (self), NULL);

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sextant_store_set_error_from_db (self, error, "Cannot prepare statement");
      return NULL;
    }

  return stmt;
}

/**
 * sextant_store_step_done:
 * @self: a store
 * @stmt: a statement that returns no rows
 * @error: return location for an error
 *
 * Runs @stmt to completion and resets it so that it can be bound again.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_store_step_done (SextantStore  *self,
                         sqlite3_stmt  *stmt,
                         GError       **error)
{
  int rc;

  g_return_val_if_fail (SEXTANT_IS_STORE (self), FALSE);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (self, error, "Write failed");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  return TRUE;
}

gboolean
sextant_store_begin (SextantStore  *self,
                     GError       **error)
{
  return sextant_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
sextant_store_commit (SextantStore  *self,
                      GError       **error)
{
  return sextant_store_exec (self, "COMMIT", error);
}

void
sextant_store_rollback (SextantStore *self)
{
  g_return_if_fail (SEXTANT_IS_STORE (self));

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/**
 * sextant_store_get_latest_version:
 * @self: a store
 *
 * Returns: the schema version of the migrations the store was opened with
 */
int
sextant_store_get_latest_version (SextantStore *self)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (self), 0);

  return self->latest_version;
}

static gboolean
read_user_version (SextantStore  *self,
                   int           *version,
                   GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (self, "PRAGMA user_version", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (self, error, "Cannot read the schema version");
      return FALSE;
    }
  *version = sqlite3_column_int (stmt, 0);

  return TRUE;
}

static gboolean
migrate (SextantStore            *self,
         const SextantMigration  *migrations,
         GError                 **error)
{
  for (int v = self->schema_version; v < self->latest_version; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      g_assert (migrations[v].version == v + 1);
      if (!sextant_store_begin (self, error))
        return FALSE;
      if (!sextant_store_exec (self, migrations[v].sql, error) ||
          !sextant_store_exec (self, bump, error) ||
          !sextant_store_commit (self, error))
        {
          sextant_store_rollback (self);
          g_prefix_error (error, "Migration to schema version %d (%s) failed: ", v + 1,
                          migrations[v].feature);
          return FALSE;
        }
      self->schema_version = v + 1;
      g_debug ("Database migrated to schema version %d (%s)", v + 1, migrations[v].feature);
    }

  return TRUE;
}

static gboolean
check_integrity (SextantStore  *self,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (self, "PRAGMA quick_check", error);
  const char *result;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (self, error, "Integrity check failed");
      return FALSE;
    }

  result = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                   "The database %s is damaged (%s); it has been left untouched",
                   self->path, result);
      return FALSE;
    }

  return TRUE;
}

/* The database holds the user's holdings and conversations: a new one is created here, 0600
 * whatever the umask, before SQLite opens it, and SQLite gives its -wal and -shm files the mode of
 * the main file. An existing file keeps the mode its owner gave it. */
static void
create_private_file (const char *path)
{
  int fd;

  if (path[0] == '\0' || g_strcmp0 (path, ":memory:") == 0 || g_str_has_prefix (path, "file:"))
    return;
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return;                     /* it exists, or sqlite3_open_v2 () will say why it cannot */
  fchmod (fd, 0600);
  g_close (fd, NULL);
}

/* A connection to @path as every connection of a store has it (@flags: opening flags besides
 * read-write and serialized); nothing is read or written yet. */
static SextantStore *
new_connection (const char  *path,
                int          flags,
                GError     **error)
{
  g_autoptr(SextantStore) self = g_object_new (SEXTANT_TYPE_STORE, NULL);

  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_OPEN,
                   "Cannot open the database %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  return g_steal_pointer (&self);
}

/* What each connection sets for itself (the journal mode is the file's). */
static gboolean
set_connection_pragmas (SextantStore  *self,
                        GError       **error)
{
  /* secure_delete: a row rewritten sealed, or deleted, leaves no clear text in free pages. */
  return sextant_store_exec (self, "PRAGMA foreign_keys = ON", error) &&
         sextant_store_exec (self, "PRAGMA secure_delete = ON", error) &&
         sextant_store_exec (self, "PRAGMA synchronous = NORMAL", error);
}

/**
 * sextant_store_open:
 * @path: the database file, created if missing
 * @migrations: (array length=n_migrations): every migration of the schema, in version order:
 *   migration i brings the database from version i to i + 1
 * @n_migrations: the number of migrations, which is the latest schema version
 * @error: return location for a #SEXTANT_STORE_ERROR
 *
 * Opens the database in WAL mode and brings its schema up to date. A file that is damaged, is not
 * a database, or was written by a newer Sextant is reported and never written to: the user's
 * history is worth more than a working start. Each migration runs in its own transaction
 * together with the user_version bump, so a crash leaves the database at a known version.
 *
 * The features above this layer own their tables; the workspace composes their migrations
 * (sextant_schema_open()).
 *
 * Returns: (transfer full): the store, or %NULL
 */
SextantStore *
sextant_store_open (const char              *path,
                    const SextantMigration  *migrations,
                    guint                    n_migrations,
                    GError                 **error)
{
  g_autoptr(SextantStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (migrations != NULL || n_migrations == 0, NULL);

  create_private_file (path);
  self = new_connection (path, SQLITE_OPEN_CREATE, error);
  if (self == NULL)
    return NULL;
  self->latest_version = n_migrations;

  /* Read the version before anything that writes (journal_mode=WAL does) so that a file from
   * a newer Sextant or a non-database is refused untouched. */
  if (!read_user_version (self, &self->schema_version, error))
    return NULL;
  if (self->schema_version > self->latest_version)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_TOO_NEW,
                   "The database %s has schema version %d, newer than this Sextant knows (%d); "
                   "update Sextant to open it. The file has been left untouched",
                   path, self->schema_version, self->latest_version);
      return NULL;
    }
  if (self->schema_version > 0 && !check_integrity (self, error))
    return NULL;

  /* A new file frees pages as retention deletes rows (PRAGMA incremental_vacuum); an older one
   * takes the setting at its next VACUUM (the history's encryption runs one). */
  if (self->schema_version == 0 && !sextant_store_exec (self, "PRAGMA auto_vacuum = INCREMENTAL", error))
    return NULL;
  if (!sextant_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !set_connection_pragmas (self, error))
    return NULL;

  if (!migrate (self, migrations, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * sextant_store_open_connection:
 * @self: a store opened on a file
 * @error: return location for a #SEXTANT_STORE_ERROR
 *
 * Opens another connection to the database of @self, for work done in a thread of its own while
 * the main loop goes on with @self. The file is already checked and up to date: nothing is
 * checked or migrated again. WAL lets readers on @self go on while it writes; writers wait for
 * each other.
 *
 * Returns: (transfer full): the connection, or %NULL (a database in memory has no other)
 */
SextantStore *
sextant_store_open_connection (SextantStore  *self,
                               GError       **error)
{
  g_autoptr(SextantStore) other = NULL;

  g_return_val_if_fail (SEXTANT_IS_STORE (self), NULL);

  if (!sextant_store_is_file (self))
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_OPEN,
                   "A database in memory has no other connection");
      return NULL;
    }
  other = new_connection (self->path, 0, error);
  if (other == NULL || !set_connection_pragmas (other, error))
    return NULL;
  other->schema_version = self->schema_version;
  other->latest_version = self->latest_version;
  other->key = self->key != NULL ? g_object_ref (self->key) : NULL;
  other->sealed = self->sealed;
  other->all_sealed = self->all_sealed;

  return g_steal_pointer (&other);
}

/**
 * sextant_store_is_file:
 * @self: a store
 *
 * Returns: whether the database is a file (not one in memory)
 */
gboolean
sextant_store_is_file (SextantStore *self)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (self), FALSE);

  return self->path != NULL && self->path[0] != '\0' && g_strcmp0 (self->path, ":memory:") != 0 &&
         !g_str_has_prefix (self->path, "file:");
}

const char *
sextant_store_get_path (SextantStore *self)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (self), NULL);

  return self->path;
}

sqlite3 *
sextant_store_get_db (SextantStore *self)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (self), NULL);

  return self->db;
}

int
sextant_store_get_schema_version (SextantStore *self)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (self), 0);

  return self->schema_version;
}

/**
 * sextant_store_set_key:
 * @self: a store
 * @key: (nullable): the key the user's text is sealed with
 *
 * With a key, the features seal what they store of the user's text (messages, saved results)
 * and open it when they read it; connections opened from @self later share it.
 */
void
sextant_store_set_key (SextantStore    *self,
                       SextantStoreKey *key)
{
  g_return_if_fail (SEXTANT_IS_STORE (self));

  g_set_object (&self->key, key);
  if (key != NULL)
    self->sealed = TRUE;
}

/**
 * sextant_store_get_key:
 *
 * Returns: (transfer none) (nullable): the key, or %NULL when the text is stored clear or the
 *   key is not at hand
 */
SextantStoreKey *
sextant_store_get_key (SextantStore *self)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (self), NULL);

  return self->key;
}

/**
 * sextant_store_set_sealed:
 * @self: a store
 * @sealed: whether the file holds sealed values
 *
 * Marks a store whose file holds sealed values: without its key it is read-only for them
 * (sextant_store_check_writable()), so clear text never goes in beside them and nothing sealed is
 * overwritten by a guess.
 */
void
sextant_store_set_sealed (SextantStore *self,
                          gboolean      sealed)
{
  g_return_if_fail (SEXTANT_IS_STORE (self));

  self->sealed = sealed;
}

gboolean
sextant_store_get_sealed (SextantStore *self)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (self), FALSE);

  return self->sealed;
}

/**
 * sextant_store_check_writable:
 * @self: a store
 * @error: %SEXTANT_STORE_ERROR_NO_KEY
 *
 * Returns: whether the user's text may be written: it is stored clear, or sealed with the key
 *   at hand
 */
gboolean
sextant_store_check_writable (SextantStore  *self,
                              GError       **error)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (self), FALSE);

  if (!self->sealed || self->key != NULL)
    return TRUE;
  g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY,
               "The history in %s is encrypted and its key is not available (no keyring, or the "
               "key is gone from it): it is open read-only. Import the key with "
               "“sextant-cli secrets import-key FILE” to write to it again",
               self->path);

  return FALSE;
}

/**
 * sextant_store_seal:
 * @self: a store with a key
 * @where: table and column
 * @row_id: the row
 * @text: (nullable): clear text
 *
 * Returns: (transfer full) (nullable): @text sealed for @where and @row_id, or %NULL for %NULL
 */
GBytes *
sextant_store_seal (SextantStore *self,
                    const char   *where,
                    gint64        row_id,
                    const char   *text)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (self), NULL);
  g_return_val_if_fail (self->key != NULL, NULL);

  if (text == NULL)
    return NULL;

  return sextant_store_key_encrypt (self->key, where, row_id, text, strlen (text));
}

/**
 * sextant_store_column_dup_text:
 * @self: a store
 * @stmt: a statement on a row
 * @column: the column holding clear text or a sealed value
 * @where: table and column, as it was sealed for
 * @row_id: the row's id
 * @opened: (out) (optional): %FALSE when the value is sealed and could not be opened
 *
 * Reads text that may be sealed: clear text (a store not encrypted, or a row not migrated yet)
 * as it is, a sealed value opened with the store's key.
 *
 * Returns: (transfer full) (nullable): the text; %NULL for SQL NULL or a value that does not
 *   open (no key, another key)
 */
char *
sextant_store_column_dup_text (SextantStore *self,
                               sqlite3_stmt *stmt,
                               int           column,
                               const char   *where,
                               gint64        row_id,
                               gboolean     *opened)
{
  g_autoptr(GBytes) clear = NULL;
  g_autoptr(GError) error = NULL;

  if (opened != NULL)
    *opened = TRUE;
  if (sqlite3_column_type (stmt, column) != SQLITE_BLOB)
    return g_strdup ((const char *) sqlite3_column_text (stmt, column));
  if (self->key != NULL)
    clear = sextant_store_key_decrypt (self->key, where, row_id, sqlite3_column_blob (stmt, column),
                                       sqlite3_column_bytes (stmt, column), &error);
  if (clear == NULL)
    {
      if (error != NULL)
        g_debug ("%s", error->message);
      if (opened != NULL)
        *opened = FALSE;
      return NULL;
    }

  return g_strndup (g_bytes_get_data (clear, NULL), g_bytes_get_size (clear));
}

/**
 * sextant_store_bind_text_sealed:
 * @self: a store
 * @stmt: a statement
 * @column: the parameter to bind
 * @where: table and column
 * @row_id: the row's id
 * @text: (nullable): clear text
 *
 * Binds @text sealed when the store has a key, as it is otherwise. Empty text stays empty (a
 * message of tool results only has none, and counts rely on it).
 */
void
sextant_store_bind_text_sealed (SextantStore *self,
                                sqlite3_stmt *stmt,
                                int           column,
                                const char   *where,
                                gint64        row_id,
                                const char   *text)
{
  g_autoptr(GBytes) sealed = NULL;

  g_return_if_fail (SEXTANT_IS_STORE (self));

  if (self->key == NULL || text == NULL || text[0] == '\0')
    {
      sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
      return;
    }
  sealed = sextant_store_seal (self, where, row_id, text);
  sqlite3_bind_blob (stmt, column, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed),
                     SQLITE_TRANSIENT);
}

/**
 * sextant_store_next_row_id:
 * @self: a store, in a write transaction
 * @table: a table with an `id INTEGER PRIMARY KEY`
 * @error: return location
 *
 * A sealed value is bound to its row id, so a row that holds one is given its id first: the one
 * SQLite would give it (one past the largest), chosen inside the transaction that inserts it.
 *
 * Returns: the id, or 0
 */
gint64
sextant_store_next_row_id (SextantStore  *self,
                           const char    *table,
                           GError       **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (max (id), 0) + 1 FROM %s", table);
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (self, sql, error);

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (self, error, "Cannot choose a row id");
      return 0;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * sextant_store_set_all_sealed:
 * @self: a store
 * @all_sealed: whether no row holds clear text any more (the migration is complete)
 *
 * Lets searches look for the hashed words alone, instead of the clear ones too.
 */
void
sextant_store_set_all_sealed (SextantStore *self,
                              gboolean      all_sealed)
{
  g_return_if_fail (SEXTANT_IS_STORE (self));

  self->all_sealed = all_sealed;
}

gboolean
sextant_store_get_all_sealed (SextantStore *self)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (self), FALSE);

  return self->all_sealed;
}
