#pragma once

#include <gio/gio.h>

#include "base/sextant-secret-store.h"
#include "base/sextant-store.h"

G_BEGIN_DECLS

/**
 * SextantEncryptionState:
 * @SEXTANT_ENCRYPTION_CLEAR: the history is stored clear (no keyring has ever held its key)
 * @SEXTANT_ENCRYPTION_MIGRATING: the key is at hand and some rows are still clear: run
 *   sextant_store_encryption_migrate()
 * @SEXTANT_ENCRYPTION_ENCRYPTED: every row is sealed and the key is at hand
 * @SEXTANT_ENCRYPTION_NO_KEYRING: the history is encrypted and no keyring answers: read-only
 * @SEXTANT_ENCRYPTION_KEY_MISSING: the history is encrypted and its key is gone from the
 *   keyring: read-only
 * @SEXTANT_ENCRYPTION_WRONG_KEY: the keyring holds another key than the one the history was
 *   encrypted with: read-only
 */
typedef enum
{
  SEXTANT_ENCRYPTION_CLEAR,
  SEXTANT_ENCRYPTION_MIGRATING,
  SEXTANT_ENCRYPTION_ENCRYPTED,
  SEXTANT_ENCRYPTION_NO_KEYRING,
  SEXTANT_ENCRYPTION_KEY_MISSING,
  SEXTANT_ENCRYPTION_WRONG_KEY,
} SextantEncryptionState;

/**
 * SextantEncryptionProgress:
 * @done: rows sealed so far in this run
 * @total: rows that were clear when it started
 * @user_data: the data given with the callback
 *
 * Called after each batch of a migration, on the thread that runs it.
 */
typedef void (*SextantEncryptionProgress) (gint64   done,
                                           gint64   total,
                                           gpointer user_data);

gboolean               sextant_store_encryption_is_sealed  (SextantStore               *store,
                                                            GError                    **error);
SextantEncryptionState sextant_store_encryption_attach     (SextantStore               *store,
                                                            SextantStoreKey            *key,
                                                            GError                    **error);
SextantStoreKey       *sextant_store_encryption_load_key   (SextantSecretStore         *secrets,
                                                            gboolean                    create,
                                                            GError                    **error);
SextantEncryptionState sextant_store_encryption_unlock     (SextantStore               *store,
                                                            SextantSecretStore         *secrets,
                                                            GError                    **error);
gboolean               sextant_store_encryption_migrate    (SextantStore               *store,
                                                            guint                       batch_rows,
                                                            SextantEncryptionProgress   progress,
                                                            gpointer                    user_data,
                                                            GCancellable               *cancellable,
                                                            GError                    **error);
gint64                 sextant_store_encryption_count_clear (SextantStore             *store,
                                                            GError                  **error);
const char            *sextant_encryption_state_describe   (SextantEncryptionState      state);
gboolean               sextant_encryption_state_is_read_only (SextantEncryptionState    state);

G_END_DECLS
