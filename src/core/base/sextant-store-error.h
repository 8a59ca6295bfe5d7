#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEXTANT_STORE_ERROR (sextant_store_error_quark ())

/**
 * SextantStoreError:
 * @SEXTANT_STORE_ERROR_OPEN: the database file cannot be opened or created
 * @SEXTANT_STORE_ERROR_CORRUPT: the file is not a database, or fails its integrity check
 * @SEXTANT_STORE_ERROR_TOO_NEW: the database was written by a newer Sextant
 * @SEXTANT_STORE_ERROR_SQL: a statement failed (the message carries SQLite's)
 * @SEXTANT_STORE_ERROR_BUSY: another process holds the database locked
 * @SEXTANT_STORE_ERROR_NOT_FOUND: no row with the given key
 * @SEXTANT_STORE_ERROR_CONSTRAINT: a value violates a constraint (duplicate name, …)
 * @SEXTANT_STORE_ERROR_NO_KEY: the history is encrypted and its key is not available (no
 *   keyring, or the key is gone): it opens read-only
 * @SEXTANT_STORE_ERROR_WRONG_KEY: a value does not open with the key at hand
 */
typedef enum
{
  SEXTANT_STORE_ERROR_OPEN,
  SEXTANT_STORE_ERROR_CORRUPT,
  SEXTANT_STORE_ERROR_TOO_NEW,
  SEXTANT_STORE_ERROR_SQL,
  SEXTANT_STORE_ERROR_BUSY,
  SEXTANT_STORE_ERROR_NOT_FOUND,
  SEXTANT_STORE_ERROR_CONSTRAINT,
  SEXTANT_STORE_ERROR_NO_KEY,
  SEXTANT_STORE_ERROR_WRONG_KEY,
} SextantStoreError;

GQuark sextant_store_error_quark (void);

G_END_DECLS
