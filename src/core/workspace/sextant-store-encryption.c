#define G_LOG_DOMAIN "sextant-store-encryption"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "agent/sextant-conversation-store.h"
#include "knowledge/sextant-kb-store.h"
#include "market/sextant-portfolio-store.h"
#include "workspace/sextant-store-encryption.h"

/* Encryption at rest of the user's history (issue 19): what is sealed, with which key, and the
 * in-place migration of a clear store. The features seal their own rows (the conversation store
 * its titles, messages and their index entries; the portfolio store its saved jobs and results;
 * the knowledge base its chunks and their index entries)
 * once the store carries a key; this file decides whether it does, from the keyring and from
 * the `store_encryption` row (schema 7), and drives the migration batch by batch, so that an
 * interrupted one resumes where it stopped and loses nothing.
 *
 * Never lost, never overwritten: a history sealed under a key that is not at hand is opened
 * read-only (sextant_store_check_writable()), and a new key is made only for a history that has
 * never been sealed. */

/**
 * sextant_store_encryption_is_sealed:
 * @store: a database at schema 7 or later
 * @error: return location
 *
 * Returns: whether the history was ever sealed (a key check is recorded)
 */
gboolean
sextant_store_encryption_is_sealed (SextantStore  *store,
                                    GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "SELECT 1 FROM store_encryption", error);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
read_record (SextantStore  *store,
             char         **key_check,
             gboolean      *complete,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "SELECT key_check, complete FROM store_encryption", error);

  *key_check = NULL;
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *key_check = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *complete = sqlite3_column_int (stmt, 1) != 0;
    }

  return TRUE;
}

/**
 * sextant_store_encryption_attach:
 * @store: a database at schema 7 or later
 * @key: (nullable): the history key, if at hand
 * @error: return location (SQL failures only)
 *
 * Gives @store what it needs to read and write sealed values. With @key and a history never
 * sealed, records @key's check value: from then on new rows are sealed, and
 * sextant_store_encryption_migrate() seals the old ones. A sealed history and no key, or
 * another key, leaves @store read-only for sealed values.
 *
 * Returns: the state of the history
 */
SextantEncryptionState
sextant_store_encryption_attach (SextantStore     *store,
                                 SextantStoreKey  *key,
                                 GError          **error)
{
  g_autofree char *recorded = NULL;
  g_autofree char *check = NULL;
  gboolean complete = FALSE;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), SEXTANT_ENCRYPTION_CLEAR);

  if (!read_record (store, &recorded, &complete, error))
    return SEXTANT_ENCRYPTION_CLEAR;
  if (key == NULL)
    {
      sextant_store_set_key (store, NULL);
      sextant_store_set_sealed (store, recorded != NULL);
      return recorded != NULL ? SEXTANT_ENCRYPTION_KEY_MISSING : SEXTANT_ENCRYPTION_CLEAR;
    }
  check = sextant_store_key_dup_check (key);
  if (recorded != NULL && g_strcmp0 (recorded, check) != 0)
    {
      sextant_store_set_key (store, NULL);
      sextant_store_set_sealed (store, TRUE);
      return SEXTANT_ENCRYPTION_WRONG_KEY;
    }
  if (recorded == NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "INSERT INTO store_encryption (id, key_check, "
                                                            "complete, started_at) VALUES (1, ?, 0, ?)", error);

      if (stmt == NULL)
        return SEXTANT_ENCRYPTION_CLEAR;
      sqlite3_bind_text (stmt, 1, check, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
      if (!sextant_store_step_done (store, stmt, error))
        return SEXTANT_ENCRYPTION_CLEAR;
    }
  sextant_store_set_key (store, key);
  sextant_store_set_all_sealed (store, complete);

  return complete ? SEXTANT_ENCRYPTION_ENCRYPTED : SEXTANT_ENCRYPTION_MIGRATING;
}

/**
 * sextant_store_encryption_load_key:
 * @secrets: the keyring
 * @create: make a new key and save it when the keyring holds none
 * @error: %SEXTANT_SECRET_ERROR when no keyring answers
 *
 * Returns: (transfer full) (nullable): the history key; %NULL with no error set when the keyring
 *   holds none and @create is %FALSE
 */
SextantStoreKey *
sextant_store_encryption_load_key (SextantSecretStore  *secrets,
                                   gboolean             create,
                                   GError             **error)
{
  g_autofree char *text = NULL;
  g_autoptr(SextantStoreKey) key = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (SEXTANT_IS_SECRET_STORE (secrets), NULL);

  text = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (text != NULL)
    return sextant_store_key_new_from_base64 (text, error);
  if (!create)
    return NULL;
  key = sextant_store_key_new_random ();
  text = sextant_store_key_to_base64 (key);
  if (!sextant_secret_store_save_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, text, NULL, error))
    return NULL;

  return g_steal_pointer (&key);
}

/**
 * sextant_store_encryption_unlock:
 * @store: a database at schema 7 or later
 * @secrets: the keyring
 * @error: return location (SQL failures only)
 *
 * Takes the history key from the keyring (making one for a history never sealed) and attaches
 * it (sextant_store_encryption_attach()). A sealed history is never given a new key: its key
 * gone, it stays read-only until the key is imported.
 *
 * Returns: the state of the history
 */
SextantEncryptionState
sextant_store_encryption_unlock (SextantStore        *store,
                                 SextantSecretStore  *secrets,
                                 GError             **error)
{
  g_autoptr(SextantStoreKey) key = NULL;
  g_autoptr(GError) keyring_error = NULL;
  SextantEncryptionState state;
  gboolean sealed;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), SEXTANT_ENCRYPTION_CLEAR);

  sealed = sextant_store_encryption_is_sealed (store, NULL);
  key = sextant_store_encryption_load_key (secrets, !sealed, &keyring_error);
  if (keyring_error != NULL)
    g_debug ("History key not available: %s", keyring_error->message);
  state = sextant_store_encryption_attach (store, key, error);
  if (state == SEXTANT_ENCRYPTION_KEY_MISSING && keyring_error != NULL &&
      keyring_error->domain == SEXTANT_SECRET_ERROR)
    return SEXTANT_ENCRYPTION_NO_KEYRING;

  return state;
}

static gint64
count_clear (SextantStore  *store,
             GError       **error)
{
  gint64 messages = sextant_conversation_store_count_clear (store, error);
  gint64 results = messages >= 0 ? sextant_portfolio_store_count_clear (store, error) : -1;
  gint64 chunks = results >= 0 ? sextant_kb_store_count_clear (store, error) : -1;

  return chunks >= 0 ? messages + results + chunks : -1;
}

/* At the start of a migration (no message sealed yet), the index of clear words is dropped whole
 * instead of row by row as each row is sealed: removing a row from FTS5 costs as much as indexing
 * it, and dropping the table costs a page write each. The sealed rows' hashed entries fill the new
 * one as they are sealed; until then a search finds nothing in the clear rows (the app shows the
 * migration's progress meanwhile). Killed in between, the next run finds no sealed message and
 * drops the (empty) index again. Same definition as schema 7's. */
static gboolean
drop_clear_index (SextantStore  *store,
                  GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "SELECT EXISTS (SELECT 1 FROM messages WHERE "
                                                        "typeof (content) = 'blob') OR NOT EXISTS (SELECT 1 FROM "
                                                        "messages WHERE typeof (content) = 'text')", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int (stmt, 0))
    return TRUE;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!sextant_store_begin (store, error))
    return FALSE;
  if (!sextant_store_exec (store, "DROP TABLE messages_fts;"
                           "CREATE VIRTUAL TABLE messages_fts USING fts5 (text, tokenize='unicode61 remove_diacritics 2');",
                           error) ||
      !sextant_store_commit (store, error))
    {
      sextant_store_rollback (store);
      return FALSE;
    }

  return TRUE;
}

/* What the clear rows left behind: index segments holding their words (merged away by
 * 'optimize'), freed pages (VACUUM) and the WAL (truncated). */
static gint64
free_pages (SextantStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "PRAGMA freelist_count", NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 1;
}

/* A history that had nothing clear and no free page (a new file) needs no VACUUM, which takes
 * seconds on a large market cache. */
static gboolean
scrub (SextantStore  *store,
       gboolean       sealed_any,
       GError       **error)
{
  return sextant_store_exec (store, "INSERT INTO messages_fts (messages_fts) VALUES ('optimize')", error) &&
         sextant_store_exec (store, "INSERT INTO kb_chunks_fts (kb_chunks_fts) VALUES ('optimize')", error) &&
         sextant_store_exec (store, "UPDATE store_encryption SET complete = 1", error) &&
         ((!sealed_any && free_pages (store) == 0) ||
          (sextant_store_exec (store, "PRAGMA auto_vacuum = INCREMENTAL", error) &&
           sextant_store_exec (store, "VACUUM", error))) &&
         sextant_store_exec (store, "PRAGMA wal_checkpoint (TRUNCATE)", error);
}

/**
 * sextant_store_encryption_migrate:
 * @store: a database with its key attached (%SEXTANT_ENCRYPTION_MIGRATING)
 * @batch_rows: rows sealed per transaction (0 for a default)
 * @progress: (nullable) (scope call): called after each batch
 * @user_data: data for @progress
 * @cancellable: (nullable): stops between batches
 * @error: return location
 *
 * Seals every clear row of the history in place, a batch per transaction: killed at any
 * moment, the file holds every row, clear or sealed, and the next run goes on from there. Once
 * none is left, the index is merged, the file vacuumed and the WAL truncated, so that no clear
 * word remains in either.
 *
 * Returns: %TRUE when the history is wholly sealed
 */
gboolean
sextant_store_encryption_migrate (SextantStore               *store,
                                  guint                       batch_rows,
                                  SextantEncryptionProgress   progress,
                                  gpointer                    user_data,
                                  GCancellable               *cancellable,
                                  GError                    **error)
{
  gint64 total, done = 0, after_id = 0, started = g_get_monotonic_time ();

  g_return_val_if_fail (SEXTANT_IS_STORE (store), FALSE);

  if (sextant_store_get_key (store) == NULL)
    return sextant_store_check_writable (store, error) &&
           (g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY,
                         "The history cannot be encrypted without a key"), FALSE);
  if (batch_rows == 0)
    batch_rows = 500;
  if ((total = count_clear (store, error)) < 0)
    return FALSE;
  if (!drop_clear_index (store, error))
    return FALSE;
  if (progress != NULL)
    progress (0, total, user_data);
  for (;;)
    {
      gint64 n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      n = sextant_conversation_store_seal_batch (store, batch_rows, &after_id, error);
      /* At the end, one look from the start, for a row left clear behind the cursor. */
      if (n == 0 && after_id > 0)
        {
          after_id = 0;
          continue;
        }
      if (n == 0)
        n = sextant_portfolio_store_seal_batch (store, batch_rows, error);
      if (n == 0)
        n = sextant_kb_store_seal_batch (store, batch_rows, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      done += n;
      if (progress != NULL)
        progress (done, MAX (total, done), user_data);
    }

  g_debug ("Sealed %" G_GINT64_FORMAT " rows in %.0f ms", done, (g_get_monotonic_time () - started) / 1000.0);
  started = g_get_monotonic_time ();
  if (!scrub (store, done > 0, error))
    return FALSE;
  g_debug ("Index merged, file vacuumed and log truncated in %.0f ms", (g_get_monotonic_time () - started) / 1000.0);
  sextant_store_set_all_sealed (store, TRUE);

  return TRUE;
}

/**
 * sextant_encryption_state_describe:
 *
 * Returns: (transfer none): what the state means for the user, translated
 */
const char *
sextant_encryption_state_describe (SextantEncryptionState state)
{
  switch (state)
    {
    case SEXTANT_ENCRYPTION_CLEAR:
      return _("The history is not encrypted: no keyring was available to keep its key.");
    case SEXTANT_ENCRYPTION_MIGRATING:
      return _("The history is being encrypted.");
    case SEXTANT_ENCRYPTION_ENCRYPTED:
      return _("The history is encrypted with a key kept in the keyring.");
    case SEXTANT_ENCRYPTION_NO_KEYRING:
      return _("The history is encrypted and no keyring is available to unlock it: it is open "
               "read-only, and encrypted messages cannot be shown.");
    case SEXTANT_ENCRYPTION_KEY_MISSING:
      return _("The history is encrypted and its key is no longer in the keyring: it is open "
               "read-only. Import the key (sextant-cli secrets import-key FILE) to read and write it again.");
    case SEXTANT_ENCRYPTION_WRONG_KEY:
      return _("The history was encrypted with another key than the one in the keyring: it is "
               "open read-only. Import its key (sextant-cli secrets import-key FILE --replace).");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * sextant_store_encryption_count_clear:
 * @store: a database
 * @error: return location
 *
 * Returns: how many rows of the history are still clear, or -1
 */
gint64
sextant_store_encryption_count_clear (SextantStore  *store,
                                      GError       **error)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (store), -1);

  return count_clear (store, error);
}

gboolean
sextant_encryption_state_is_read_only (SextantEncryptionState state)
{
  return state == SEXTANT_ENCRYPTION_NO_KEYRING || state == SEXTANT_ENCRYPTION_KEY_MISSING ||
         state == SEXTANT_ENCRYPTION_WRONG_KEY;
}
