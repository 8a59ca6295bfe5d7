#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SEXTANT_SECRET_ERROR (sextant_secret_error_quark ())

/**
 * SextantSecretError:
 * @SEXTANT_SECRET_ERROR_NO_KEYRING: no Secret Service is reachable, or its keyring is locked
 * @SEXTANT_SECRET_ERROR_TIMEOUT: the keyring did not answer in time (an unlock prompt, usually)
 * @SEXTANT_SECRET_ERROR_INVALID: an empty or malformed value
 */
typedef enum
{
  SEXTANT_SECRET_ERROR_NO_KEYRING,
  SEXTANT_SECRET_ERROR_TIMEOUT,
  SEXTANT_SECRET_ERROR_INVALID,
} SextantSecretError;

/**
 * SextantSecretKey:
 *
 * Every secret Sextant keeps. Each maps to a schema and an attribute in the keyring; nothing of
 * them is ever written to GSettings, the database or a log.
 */
typedef enum
{
  SEXTANT_SECRET_AWS_ACCESS_KEY_ID,
  SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY,
  SEXTANT_SECRET_AWS_SESSION_TOKEN,
  SEXTANT_SECRET_BEDROCK_API_KEY,
  SEXTANT_SECRET_ALPHA_VANTAGE_KEY,
  SEXTANT_SECRET_FINNHUB_KEY,
  SEXTANT_SECRET_STOOQ_KEY,
  SEXTANT_SECRET_FRED_KEY,
  SEXTANT_SECRET_N_KEYS,
  /* Not a credential the user enters, so not among the N_KEYS that Preferences and `sextant-cli
   * secrets` list: the key the history is encrypted with at rest (see SextantStoreKey). */
  SEXTANT_SECRET_HISTORY_KEY = SEXTANT_SECRET_N_KEYS,
} SextantSecretKey;

#define SEXTANT_TYPE_SECRET_STORE (sextant_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (SextantSecretStore, sextant_secret_store, SEXTANT, SECRET_STORE, GObject)

GQuark              sextant_secret_error_quark            (void);
SextantSecretStore *sextant_secret_store_new              (void);
void                sextant_secret_store_set_timeout      (SextantSecretStore   *self,
                                                           guint                 timeout_ms);
const char         *sextant_secret_key_get_label          (SextantSecretKey      key);
const char         *sextant_secret_key_get_id             (SextantSecretKey      key);
gboolean            sextant_secret_key_from_id            (const char           *id,
                                                           SextantSecretKey     *key);
void                sextant_secret_store_save_async       (SextantSecretStore   *self,
                                                           SextantSecretKey      key,
                                                           const char           *value,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean            sextant_secret_store_save_finish      (SextantSecretStore   *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void                sextant_secret_store_lookup_async     (SextantSecretStore   *self,
                                                           SextantSecretKey      key,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
char               *sextant_secret_store_lookup_finish    (SextantSecretStore   *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void                sextant_secret_store_clear_async      (SextantSecretStore   *self,
                                                           SextantSecretKey      key,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean            sextant_secret_store_clear_finish     (SextantSecretStore   *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
char               *sextant_secret_store_lookup_sync      (SextantSecretStore   *self,
                                                           SextantSecretKey      key,
                                                           GCancellable         *cancellable,
                                                           GError              **error);
gboolean            sextant_secret_store_save_sync        (SextantSecretStore   *self,
                                                           SextantSecretKey      key,
                                                           const char           *value,
                                                           GCancellable         *cancellable,
                                                           GError              **error);
gboolean            sextant_secret_store_clear_sync       (SextantSecretStore   *self,
                                                           SextantSecretKey      key,
                                                           GCancellable         *cancellable,
                                                           GError              **error);

G_END_DECLS
