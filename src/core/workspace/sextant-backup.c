#define G_LOG_DOMAIN "sextant-backup"
#define _POSIX_C_SOURCE 200809L /* link () */

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "workspace/sextant-backup.h"
#include "workspace/sextant-schema.h"

/* Backup and restore of the whole database (issue 19). A backup is a consistent snapshot taken
 * with SQLite's online backup API while the app goes on writing, compressed (zlib, 1 MiB
 * blocks) and sealed as one libsodium secretstream (XChaCha20-Poly1305): blocks cannot be
 * dropped, reordered or cut off unnoticed. Its key is a subkey of the history key (the keyring),
 * or Argon2id of a passphrase. The first message is the manifest: format, schema version,
 * counts, size and SHA-256 of the database, which restore checks before it touches anything.
 *
 * File: "SXTBAK01", mode (1 keyring, 2 passphrase), Argon2id's limits and salt, the stream
 * header; then messages, each a 32-bit length and the sealed bytes. The clear header is the
 * associated data of every message. */

#define BACKUP_MAGIC "SXTBAK01"
#define MODE_KEYRING 1
#define MODE_PASSPHRASE 2
#define HEADER_SIZE (8 + 1 + 8 + 8 + crypto_pwhash_SALTBYTES + crypto_secretstream_xchacha20poly1305_HEADERBYTES)
#define BLOCK (1 << 20)
#define BACKUP_PURPOSE 101
#define BACKUP_FORMAT 1

static gboolean
fail_io (GError     **error,
         const char  *what,
         const char  *path)
{
  int saved = errno;

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s %s: %s", what, path, g_strerror (saved));

  return FALSE;
}

/* ICE BofA's series are licensed to FRED for display, not to be passed on: a backup may leave the
 * machine, so the copy keeps none of their values (secure_delete overwrites the freed pages).
 * Restored, the rates view or the desk fetches them again. */
static gboolean
strip_licensed_series (sqlite3  *copy,
                       GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean present;

  present = sqlite3_prepare_v2 (copy, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rate_series'",
                                -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  if (!present)
    return TRUE;
  if (sqlite3_exec (copy, "PRAGMA secure_delete = ON; DELETE FROM rate_series WHERE licensed = 1",
                    NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_SQL,
                   "Cannot leave the licensed series out of the backup: %s", sqlite3_errmsg (copy));
      return FALSE;
    }
  return TRUE;
}

/* The snapshot: the online backup API copies every page in one step, that is in one read
 * transaction, which in WAL mode other connections go on writing beside. Copied in steps,
 * SQLite starts the copy again whenever another connection commits, so a large store beside a
 * chat storing its answers might never be copied: 64 MB with a commit every 50 ms was started
 * 255 times over in 15 s and never finished, and is copied once, in 0.3 s, in one step. */
static gboolean
snapshot (SextantStore  *store,
          const char    *copy_path,
          GError       **error)
{
  sqlite3 *copy = NULL;
  sqlite3_backup *backup;
  int fd, rc;

  g_unlink (copy_path);
  if ((fd = g_open (copy_path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
    return fail_io (error, "Cannot create", copy_path);
  g_close (fd, NULL);
  if (sqlite3_open_v2 (copy_path, &copy, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_OPEN, "Cannot open %s: %s", copy_path,
                   sqlite3_errmsg (copy));
      sqlite3_close (copy);
      return FALSE;
    }
  backup = sqlite3_backup_init (copy, "main", sextant_store_get_db (store), "main");
  if (backup == NULL)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_SQL, "Cannot start the backup: %s",
                   sqlite3_errmsg (copy));
      sqlite3_close (copy);
      return FALSE;
    }
  do
    {
      rc = sqlite3_backup_step (backup, -1);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (5);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_SQL, "The backup failed: %s", sqlite3_errstr (rc));
      sqlite3_close (copy);
      return FALSE;
    }
  sqlite3_exec (copy, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  if (!strip_licensed_series (copy, error))
    {
      sqlite3_close (copy);
      return FALSE;
    }
  sqlite3_close (copy);

  return TRUE;
}

static gint64
count_rows (sqlite3    *db,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static gboolean
hash_file (const char  *path,
           char       **hex,
           gint64      *size,
           GError     **error)
{
  crypto_hash_sha256_state state;
  guint8 digest[crypto_hash_sha256_BYTES];
  char out[2 * crypto_hash_sha256_BYTES + 1];
  g_autofree guint8 *buffer = g_malloc (BLOCK);
  FILE *file = g_fopen (path, "rb");
  size_t n;

  if (file == NULL)
    return fail_io (error, "Cannot read", path);
  crypto_hash_sha256_init (&state);
  *size = 0;
  while ((n = fread (buffer, 1, BLOCK, file)) > 0)
    {
      crypto_hash_sha256_update (&state, buffer, n);
      *size += n;
    }
  fclose (file);
  crypto_hash_sha256_final (&state, digest);
  *hex = g_strdup (sodium_bin2hex (out, sizeof out, digest, sizeof digest));

  return TRUE;
}

static JsonNode *
make_manifest (const char  *copy_path,
               GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *sha = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  static const char * const tables[] = { "conversations", "messages", "portfolios", "holdings", "results", "raw_responses" };
  sqlite3 *db = NULL;
  gint64 size = 0;
  int version = 0;
  sqlite3_stmt *stmt = NULL;

  if (!hash_file (copy_path, &sha, &size, error))
    return NULL;
  if (sqlite3_open_v2 (copy_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, BACKUP_FORMAT);
  json_builder_set_member_name (b, "schema_version");
  json_builder_add_int_value (b, version);
  json_builder_set_member_name (b, "sextant_version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created);
  json_builder_set_member_name (b, "database_size");
  json_builder_add_int_value (b, size);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, sha);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      json_builder_set_member_name (b, tables[i]);
      json_builder_add_int_value (b, count_rows (db, tables[i]));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  sqlite3_close (db);

  return json_builder_get_root (b);
}

static gboolean
write_message (FILE                                *out,
               crypto_secretstream_xchacha20poly1305_state *state,
               const guint8                        *header,
               const guint8                        *data,
               gsize                                len,
               guint8                               tag)
{
  g_autofree guint8 *sealed = g_malloc (len + crypto_secretstream_xchacha20poly1305_ABYTES);
  unsigned long long sealed_len = 0;
  guint32 le;

  crypto_secretstream_xchacha20poly1305_push (state, sealed, &sealed_len, data, len, header, HEADER_SIZE, tag);
  le = GUINT32_TO_LE ((guint32) sealed_len);

  return fwrite (&le, 4, 1, out) == 1 && fwrite (sealed, 1, sealed_len, out) == sealed_len;
}

/* The stream's key: a subkey of the history key, or Argon2id of the passphrase. */
static guint8 *
stream_key (const guint8     *header,
            SextantStoreKey  *key,
            const char       *passphrase,
            GError          **error)
{
  guint64 opslimit, memlimit;
  guint8 *out;

  if (header[8] == MODE_PASSPHRASE)
    {
      if (passphrase == NULL)
        {
          g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY,
                       _("This backup is sealed with a passphrase"));
          return NULL;
        }
      memcpy (&opslimit, header + 9, 8), opslimit = GUINT64_FROM_LE (opslimit);
      memcpy (&memlimit, header + 17, 8), memlimit = GUINT64_FROM_LE (memlimit);
      if (opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
          memlimit < crypto_pwhash_MEMLIMIT_MIN || memlimit > crypto_pwhash_MEMLIMIT_SENSITIVE)
        {
          g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT, _("The backup's header is damaged"));
          return NULL;
        }
      return sextant_derive_passphrase_key (passphrase, header + 25, opslimit, memlimit, error);
    }
  if (key == NULL)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY,
                   _("This backup is sealed with the history key, which is not in the keyring; import it "
                     "first (sextant-cli secrets import-key FILE)"));
      return NULL;
    }
  out = sodium_malloc (crypto_secretstream_xchacha20poly1305_KEYBYTES);
  sextant_store_key_derive (key, BACKUP_PURPOSE, out, crypto_secretstream_xchacha20poly1305_KEYBYTES);

  return out;
}

static gboolean
seal_file (const char       *copy_path,
           const char       *out_path,
           SextantStoreKey  *key,
           const char       *passphrase,
           JsonNode         *manifest,
           GError          **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  guint8 header[HEADER_SIZE] = { 0 };
  g_autofree char *manifest_text = json_to_string (manifest, FALSE);
  g_autofree guint8 *block = g_malloc (BLOCK);
  g_autofree guint8 *packed = g_malloc (4 + compressBound (BLOCK));
  guint64 opslimit = crypto_pwhash_OPSLIMIT_MODERATE, memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE, le;
  guint8 *file_key;
  FILE *in, *out;
  gboolean ok = TRUE;
  size_t n;
  int fd;

  memcpy (header, BACKUP_MAGIC, 8);
  header[8] = passphrase != NULL ? MODE_PASSPHRASE : MODE_KEYRING;
  le = GUINT64_TO_LE (opslimit), memcpy (header + 9, &le, 8);
  le = GUINT64_TO_LE (memlimit), memcpy (header + 17, &le, 8);
  randombytes_buf (header + 25, crypto_pwhash_SALTBYTES);
  if ((file_key = stream_key (header, key, passphrase, error)) == NULL)
    return FALSE;
  crypto_secretstream_xchacha20poly1305_init_push (&state, header + 25 + crypto_pwhash_SALTBYTES, file_key);
  sodium_free (file_key);
  if ((fd = g_open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 || (out = fdopen (fd, "wb")) == NULL)
    return fail_io (error, "Cannot create", out_path);
  if ((in = g_fopen (copy_path, "rb")) == NULL)
    {
      fclose (out);
      return fail_io (error, "Cannot read", copy_path);
    }
  ok = fwrite (header, 1, HEADER_SIZE, out) == HEADER_SIZE &&
       write_message (out, &state, header, (const guint8 *) manifest_text, strlen (manifest_text), 0);
  while (ok && (n = fread (block, 1, BLOCK, in)) > 0)
    {
      uLongf packed_len = compressBound (BLOCK);
      guint32 raw_len = GUINT32_TO_LE ((guint32) n);

      memcpy (packed, &raw_len, 4);
      ok = compress2 (packed + 4, &packed_len, block, n, 6) == Z_OK &&
           write_message (out, &state, header, packed, packed_len + 4, 0);
    }
  ok = ok && !ferror (in) && write_message (out, &state, header, (const guint8 *) "", 0,
                                            crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  fclose (in);
  ok = fflush (out) == 0 && fsync (fileno (out)) == 0 && ok;
  if (fclose (out) != 0 || !ok)
    return fail_io (error, "Cannot write", out_path);

  return TRUE;
}

/**
 * sextant_backup_write:
 * @store: the live database (others may write to it meanwhile)
 * @path: the backup file to write (replaced once complete)
 * @key: (nullable): the history key, when sealing with it
 * @passphrase: (nullable): seal with this passphrase instead of the key
 * @manifest: (out) (optional) (transfer full): the backup's manifest
 * @error: return location
 *
 * Writes a consistent, compressed, sealed snapshot of the whole database. The file appears only
 * once complete (written aside, then renamed), readable by its owner only.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_backup_write (SextantStore     *store,
                      const char       *path,
                      SextantStoreKey  *key,
                      const char       *passphrase,
                      JsonNode        **manifest,
                      GError          **error)
{
  g_autofree char *copy_path = g_strconcat (path, ".snapshot", NULL);
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autoptr(JsonNode) made = NULL;
  gboolean ok;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), FALSE);
  g_return_val_if_fail (key != NULL || passphrase != NULL, FALSE);

  if (sodium_init () < 0)
    g_error ("libsodium cannot be initialised");
  ok = snapshot (store, copy_path, error) && (made = make_manifest (copy_path, error)) != NULL &&
       seal_file (copy_path, partial, key, passphrase, made, error);
  g_unlink (copy_path);
  if (ok && g_rename (partial, path) != 0)
    ok = fail_io (error, "Cannot rename to", path);
  if (!ok)
    g_unlink (partial);
  else if (manifest != NULL)
    *manifest = g_steal_pointer (&made);

  return ok;
}

/**
 * sextant_backup_needs_passphrase:
 * @backup_path: a backup
 * @needs: (out): whether it is sealed with a passphrase (else with the history key)
 * @error: return location
 *
 * Returns: %TRUE if @backup_path is a backup
 */
gboolean
sextant_backup_needs_passphrase (const char  *backup_path,
                                 gboolean    *needs,
                                 GError     **error)
{
  guint8 header[HEADER_SIZE];
  FILE *in = g_fopen (backup_path, "rb");
  gboolean ok;

  if (in == NULL)
    return fail_io (error, "Cannot read", backup_path);
  ok = fread (header, 1, HEADER_SIZE, in) == HEADER_SIZE && memcmp (header, BACKUP_MAGIC, 8) == 0;
  fclose (in);
  if (!ok)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                   _("%s is not a Sextant backup"), backup_path);
      return FALSE;
    }
  *needs = header[8] == MODE_PASSPHRASE;

  return TRUE;
}

/* The next message of the stream, opened; %NULL at a damaged or cut-off file. */
static guint8 *
read_message (FILE                                        *in,
              crypto_secretstream_xchacha20poly1305_state *state,
              const guint8                                *header,
              gsize                                       *len,
              guint8                                      *tag)
{
  guint32 le;
  gsize sealed_len;
  g_autofree guint8 *sealed = NULL;
  guint8 *clear;
  unsigned long long clear_len = 0;

  if (fread (&le, 4, 1, in) != 1)
    return NULL;
  sealed_len = GUINT32_FROM_LE (le);
  if (sealed_len < crypto_secretstream_xchacha20poly1305_ABYTES || sealed_len > 8 + 2 * (gsize) BLOCK)
    return NULL;
  sealed = g_malloc (sealed_len);
  if (fread (sealed, 1, sealed_len, in) != sealed_len)
    return NULL;
  clear = g_malloc (sealed_len + 1);
  if (crypto_secretstream_xchacha20poly1305_pull (state, clear, &clear_len, tag, sealed, sealed_len, header,
                                                  HEADER_SIZE) != 0)
    {
      g_free (clear);
      return NULL;
    }
  clear[clear_len] = '\0';
  *len = clear_len;

  return clear;
}

static JsonNode *
open_manifest (FILE                                        *in,
               crypto_secretstream_xchacha20poly1305_state *state,
               const guint8                                *header,
               GError                                     **error)
{
  g_autofree guint8 *text = NULL;
  gsize len = 0;
  guint8 tag = 0;

  text = read_message (in, state, header, &len, &tag);
  if (text == NULL)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY,
                   header[8] == MODE_PASSPHRASE ? _("Wrong passphrase for this backup (or the file is damaged)")
                                                : _("This backup was sealed with another history key (or the file is damaged)"));
      return NULL;
    }

  return json_from_string ((const char *) text, error);
}

static gboolean
check_manifest (JsonNode  *manifest,
                GError   **error)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (manifest) ? json_node_get_object (manifest) : NULL;
  gint64 version = o != NULL ? json_object_get_int_member_with_default (o, "schema_version", -1) : -1;
  gint64 format = o != NULL ? json_object_get_int_member_with_default (o, "format", -1) : -1;

  if (format < 1 || version < 1 || json_object_get_string_member_with_default (o, "sha256", NULL) == NULL)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT, _("The backup's manifest is damaged"));
      return FALSE;
    }
  if (format > BACKUP_FORMAT || version > sextant_schema_get_latest_version ())
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_TOO_NEW,
                   _("The backup was made by a newer Sextant (%s, schema version %" PRId64 "; this one knows "
                     "%d): update Sextant to restore it. Nothing was changed"),
                   json_object_get_string_member_with_default (o, "sextant_version", "?"), version,
                   sextant_schema_get_latest_version ());
      return FALSE;
    }

  return TRUE;
}

/* Unpacks the database into @out_path, checking its size and SHA-256 against the manifest. */
static gboolean
unpack (FILE                                        *in,
        crypto_secretstream_xchacha20poly1305_state *state,
        const guint8                                *header,
        JsonObject                                  *manifest,
        const char                                  *out_path,
        GError                                     **error)
{
  crypto_hash_sha256_state hash;
  guint8 digest[crypto_hash_sha256_BYTES];
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  g_autofree guint8 *block = g_malloc (BLOCK);
  gint64 size = 0;
  guint8 tag = 0;
  gboolean ok = TRUE;
  FILE *out;
  int fd;

  if ((fd = g_open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 || (out = fdopen (fd, "wb")) == NULL)
    return fail_io (error, "Cannot create", out_path);
  crypto_hash_sha256_init (&hash);
  while (ok && tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL)
    {
      gsize len = 0;
      g_autofree guint8 *packed = read_message (in, state, header, &len, &tag);
      guint32 raw_len;
      uLongf out_len = BLOCK;

      if (packed == NULL)
        ok = FALSE;
      else if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        ok = len == 0;
      else if (len < 4 || (memcpy (&raw_len, packed, 4), GUINT32_FROM_LE (raw_len) > BLOCK) ||
               uncompress (block, &out_len, packed + 4, len - 4) != Z_OK || out_len != GUINT32_FROM_LE (raw_len))
        ok = FALSE;
      else
        {
          crypto_hash_sha256_update (&hash, block, out_len);
          size += out_len;
          ok = fwrite (block, 1, out_len, out) == out_len;
        }
    }
  crypto_hash_sha256_final (&hash, digest);
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  ok = fflush (out) == 0 && fsync (fileno (out)) == 0 && ok;
  fclose (out);
  if (!ok || size != json_object_get_int_member (manifest, "database_size") ||
      g_strcmp0 (hex, json_object_get_string_member (manifest, "sha256")) != 0)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                   _("The backup is damaged or cut off (its contents do not match its checksum). Nothing was changed"));
      return FALSE;
    }

  return TRUE;
}

/* The restored file opens as a database of the manifest's version and passes its check. */
static gboolean
check_database (const char  *path,
                gint64       version,
                GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
                sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) == SQLITE_OK &&
                sqlite3_step (stmt) == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;

  sqlite3_finalize (stmt);
  stmt = NULL;
  ok = ok && sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
       sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) == version;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (!ok)
    g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                 _("The restored database fails its integrity check. Nothing was changed"));

  return ok;
}

/* Swaps the restored file in. The live file's log is folded into it first (so no stale WAL is
 * applied to the new file), and it is kept beside as `.before-restore`. */
static gboolean
swap_in (const char  *restored,
         const char  *database_path,
         GError     **error)
{
  g_autofree char *kept = g_strconcat (database_path, ".before-restore", NULL);
  g_autofree char *wal = g_strconcat (database_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (database_path, "-shm", NULL);

  if (g_file_test (database_path, G_FILE_TEST_EXISTS))
    {
      sqlite3 *db = NULL;

      if (sqlite3_open_v2 (database_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
          sqlite3_exec (db, "PRAGMA wal_checkpoint (TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
        {
          g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_BUSY,
                       _("The database %s is in use; close Sextant and restore again. Nothing was changed"),
                       database_path);
          sqlite3_close (db);
          return FALSE;
        }
      sqlite3_close (db);
      g_unlink (kept);
      if (link (database_path, kept) != 0)
        return fail_io (error, "Cannot keep the current database as", kept);
    }
  if (g_rename (restored, database_path) != 0)
    return fail_io (error, "Cannot move the restored database to", database_path);
  g_unlink (wal);
  g_unlink (shm);

  return TRUE;
}

/**
 * sextant_backup_restore:
 * @backup_path: a file from sextant_backup_write()
 * @database_path: the database to replace (Sextant closed)
 * @key: (nullable): the history key, for a backup sealed with it
 * @passphrase: (nullable): the passphrase, for a backup sealed with one
 * @manifest: (out) (optional) (transfer full): the backup's manifest
 * @error: %SEXTANT_STORE_ERROR_TOO_NEW for a backup of a newer Sextant,
 *   %SEXTANT_STORE_ERROR_CORRUPT for a damaged one, %SEXTANT_STORE_ERROR_WRONG_KEY
 *
 * Checks the backup's version, then unpacks it into a new file beside the database and checks
 * its checksum and integrity, and only then swaps it in (a rename); the database it replaces
 * is kept as `.before-restore`. Killed at any moment before the rename, the live database is
 * untouched.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_backup_restore (const char       *backup_path,
                        const char       *database_path,
                        SextantStoreKey  *key,
                        const char       *passphrase,
                        JsonNode        **manifest,
                        GError          **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  g_autofree char *partial = g_strconcat (database_path, ".restore-partial", NULL);
  g_autoptr(JsonNode) opened = NULL;
  guint8 header[HEADER_SIZE];
  gboolean needs = FALSE, ok;
  guint8 *file_key;
  FILE *in;

  g_return_val_if_fail (backup_path != NULL && database_path != NULL, FALSE);

  if (sodium_init () < 0)
    g_error ("libsodium cannot be initialised");
  if (!sextant_backup_needs_passphrase (backup_path, &needs, error))
    return FALSE;
  if ((in = g_fopen (backup_path, "rb")) == NULL)
    return fail_io (error, "Cannot read", backup_path);
  if (fread (header, 1, HEADER_SIZE, in) != HEADER_SIZE ||
      (file_key = stream_key (header, key, passphrase, error)) == NULL)
    {
      fclose (in);
      return error == NULL || *error != NULL ? FALSE : fail_io (error, "Cannot read", backup_path);
    }
  ok = crypto_secretstream_xchacha20poly1305_init_pull (&state, header + 25 + crypto_pwhash_SALTBYTES, file_key) == 0;
  sodium_free (file_key);
  ok = ok && (opened = open_manifest (in, &state, header, error)) != NULL && check_manifest (opened, error) &&
       unpack (in, &state, header, json_node_get_object (opened), partial, error) &&
       check_database (partial, json_object_get_int_member (json_node_get_object (opened), "schema_version"), error) &&
       swap_in (partial, database_path, error);
  fclose (in);
  g_unlink (partial);
  if (ok && manifest != NULL)
    *manifest = g_steal_pointer (&opened);

  return ok;
}

static char *
pending_path (const char *database_path)
{
  return g_strconcat (database_path, ".restore-pending", NULL);
}

/**
 * sextant_backup_stage_restore:
 * @backup_path: a file from sextant_backup_write()
 * @database_path: the database in use, which stays untouched
 * @key: (nullable): the history key, for a backup sealed with it
 * @passphrase: (nullable): the passphrase, for a backup sealed with one
 * @manifest: (out) (optional) (transfer full): the backup's manifest
 * @error: as for sextant_backup_restore()
 *
 * A restore while Sextant runs: the backup is checked and unpacked beside the database as
 * `.restore-pending`, and sextant_backup_apply_pending() swaps it in at the next start, before
 * the database is opened. The open database is never replaced under its connections.
 *
 * Returns: %TRUE once the checked database waits for the next start
 */
gboolean
sextant_backup_stage_restore (const char       *backup_path,
                              const char       *database_path,
                              SextantStoreKey  *key,
                              const char       *passphrase,
                              JsonNode        **manifest,
                              GError          **error)
{
  g_autofree char *pending = NULL;
  g_autofree char *unpacked = NULL;

  g_return_val_if_fail (backup_path != NULL && database_path != NULL, FALSE);

  pending = pending_path (database_path);
  /* Unpacked under another name and renamed at the end, so that a `.restore-pending` is always
   * whole: a kill in the middle leaves no half database to be swapped in at the next start. */
  unpacked = g_strconcat (pending, ".new", NULL);
  g_unlink (unpacked);
  if (!sextant_backup_restore (backup_path, unpacked, key, passphrase, manifest, error))
    return FALSE;
  if (g_rename (unpacked, pending) != 0)
    {
      g_unlink (unpacked);
      return fail_io (error, "Cannot rename to", pending);
    }

  return TRUE;
}

/**
 * sextant_backup_has_pending:
 * @database_path: the database
 *
 * Returns: whether a restore waits for the next start (sextant_backup_stage_restore())
 */
gboolean
sextant_backup_has_pending (const char *database_path)
{
  g_autofree char *pending = pending_path (database_path);

  return g_file_test (pending, G_FILE_TEST_IS_REGULAR);
}

/**
 * sextant_backup_apply_pending:
 * @database_path: the database, not open anywhere
 * @applied: (out) (optional): whether a restore was waiting and is now done
 * @error: return location
 *
 * Swaps in a restore staged by sextant_backup_stage_restore(), keeping the database it replaces
 * as `.before-restore`, as sextant_backup_restore() does.
 *
 * Returns: %TRUE if nothing waited or it was swapped in
 */
gboolean
sextant_backup_apply_pending (const char  *database_path,
                              gboolean    *applied,
                              GError     **error)
{
  g_autofree char *pending = NULL;

  g_return_val_if_fail (database_path != NULL, FALSE);

  pending = pending_path (database_path);
  if (applied != NULL)
    *applied = FALSE;
  if (!g_file_test (pending, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  if (!swap_in (pending, database_path, error))
    return FALSE;
  if (applied != NULL)
    *applied = TRUE;

  return TRUE;
}
