#define G_LOG_DOMAIN "sextant-store-key"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "base/sextant-store-error.h"
#include "base/sextant-store-key.h"

/* The key the user's history is sealed with at rest: 256 random bits kept in the keyring, from
 * which libsodium's KDF derives one subkey per use, so that the search index's hashes reveal
 * nothing about the cipher key and the key check stored in the database reveals neither.
 *
 * A sealed value is a header (magic, format version), a random 192-bit nonce and the
 * XChaCha20-Poly1305 ciphertext with its tag. The associated data names where the value lives
 * (table and column) and its row id, so a value moved to another row or column fails to open
 * instead of showing there. */

#define SEAL_MAGIC 0xA7
#define SEAL_VERSION 0x01
#define SEAL_HEADER 2
#define SEAL_OVERHEAD (SEAL_HEADER + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + \
                       crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define KDF_CONTEXT "SxtStore"
#define TOKEN_HASH_BYTES 8

enum { SUBKEY_CIPHER = 1, SUBKEY_SEARCH = 2, SUBKEY_CHECK = 3 };

struct _SextantStoreKey
{
  GObject  parent_instance;
  /* sodium_malloc: guarded pages, never swapped, wiped on free. */
  guint8  *master;
  guint8  *cipher;
  guint8  *search;
};

G_DEFINE_FINAL_TYPE (SextantStoreKey, sextant_store_key, G_TYPE_OBJECT)

static void
sextant_store_key_finalize (GObject *object)
{
  SextantStoreKey *self = SEXTANT_STORE_KEY (object);

  g_clear_pointer (&self->master, sodium_free);
  g_clear_pointer (&self->cipher, sodium_free);
  g_clear_pointer (&self->search, sodium_free);

  G_OBJECT_CLASS (sextant_store_key_parent_class)->finalize (object);
}

static void
sextant_store_key_class_init (SextantStoreKeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_store_key_finalize;
}

static void
sextant_store_key_init (SextantStoreKey *self)
{
  if (sodium_init () < 0)
    g_error ("libsodium cannot be initialised");
  self->master = sodium_malloc (SEXTANT_STORE_KEY_BYTES);
  self->cipher = sodium_malloc (crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  self->search = sodium_malloc (crypto_generichash_KEYBYTES);
  if (self->master == NULL || self->cipher == NULL || self->search == NULL)
    g_error ("Cannot allocate protected memory for the store key");
}

static void
derive_subkeys (SextantStoreKey *self)
{
  crypto_kdf_derive_from_key (self->cipher, crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
                              SUBKEY_CIPHER, KDF_CONTEXT, self->master);
  crypto_kdf_derive_from_key (self->search, crypto_generichash_KEYBYTES, SUBKEY_SEARCH,
                              KDF_CONTEXT, self->master);
}

/**
 * sextant_store_key_new_random:
 *
 * Returns: (transfer full): a new key from the system's random source
 */
SextantStoreKey *
sextant_store_key_new_random (void)
{
  SextantStoreKey *self = g_object_new (SEXTANT_TYPE_STORE_KEY, NULL);

  crypto_kdf_keygen (self->master);
  derive_subkeys (self);

  return self;
}

/**
 * sextant_store_key_new_from_data:
 * @data: (array length=len): the key's bytes
 * @len: %SEXTANT_STORE_KEY_BYTES
 * @error: return location for %SEXTANT_STORE_ERROR_WRONG_KEY
 *
 * Returns: (transfer full) (nullable): the key
 */
SextantStoreKey *
sextant_store_key_new_from_data (const guint8  *data,
                                 gsize          len,
                                 GError       **error)
{
  SextantStoreKey *self;

  if (data == NULL || len != SEXTANT_STORE_KEY_BYTES)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY,
                   _("A history key is %d bytes long; this one has %zu"),
                   SEXTANT_STORE_KEY_BYTES, data != NULL ? len : 0);
      return NULL;
    }
  self = g_object_new (SEXTANT_TYPE_STORE_KEY, NULL);
  memcpy (self->master, data, len);
  derive_subkeys (self);

  return self;
}

/**
 * sextant_store_key_new_from_base64:
 * @text: the key as the keyring keeps it
 * @error: return location
 *
 * Returns: (transfer full) (nullable): the key
 */
SextantStoreKey *
sextant_store_key_new_from_base64 (const char  *text,
                                   GError     **error)
{
  guint8 raw[SEXTANT_STORE_KEY_BYTES];
  size_t len = 0;
  SextantStoreKey *self;

  g_return_val_if_fail (text != NULL, NULL);

  if (sodium_base642bin (raw, sizeof raw, text, strlen (text), " \n", &len, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY,
                   _("The history key in the keyring is not valid base64"));
      return NULL;
    }
  self = sextant_store_key_new_from_data (raw, len, error);
  sodium_memzero (raw, sizeof raw);

  return self;
}

/**
 * sextant_store_key_to_base64:
 *
 * Returns: (transfer full): the key as text, for the keyring only
 */
char *
sextant_store_key_to_base64 (SextantStoreKey *self)
{
  gsize size = sodium_base64_ENCODED_LEN (SEXTANT_STORE_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL);
  char *text = g_malloc (size);

  g_return_val_if_fail (SEXTANT_IS_STORE_KEY (self), NULL);

  sodium_bin2base64 (text, size, self->master, SEXTANT_STORE_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL);

  return text;
}

/**
 * sextant_store_key_peek_data:
 *
 * Returns: (transfer none): the %SEXTANT_STORE_KEY_BYTES bytes of the key (for a key export)
 */
const guint8 *
sextant_store_key_peek_data (SextantStoreKey *self)
{
  g_return_val_if_fail (SEXTANT_IS_STORE_KEY (self), NULL);

  return self->master;
}

/**
 * sextant_store_key_dup_check:
 * @self: a key
 *
 * A value that tells whether a database was sealed with this key without revealing anything of
 * it (a subkey of its own, hashed): kept beside the sealed rows.
 *
 * Returns: (transfer full): the check, hex
 */
char *
sextant_store_key_dup_check (SextantStoreKey *self)
{
  guint8 subkey[crypto_generichash_KEYBYTES];
  guint8 check[16];
  char hex[2 * sizeof check + 1];

  g_return_val_if_fail (SEXTANT_IS_STORE_KEY (self), NULL);

  crypto_kdf_derive_from_key (subkey, sizeof subkey, SUBKEY_CHECK, KDF_CONTEXT, self->master);
  crypto_generichash (check, sizeof check, (const guint8 *) "sextant history key", 19, subkey, sizeof subkey);
  sodium_memzero (subkey, sizeof subkey);

  return g_strdup (sodium_bin2hex (hex, sizeof hex, check, sizeof check));
}

static void
make_ad (guint8     *ad,
         gsize      *ad_len,
         gsize       ad_size,
         const char *where,
         gint64      row_id)
{
  gsize where_len = MIN (strlen (where), ad_size - 8 - SEAL_HEADER - 1);
  guint64 id = GUINT64_TO_LE ((guint64) row_id);

  ad[0] = SEAL_MAGIC;
  ad[1] = SEAL_VERSION;
  memcpy (ad + SEAL_HEADER, where, where_len);
  ad[SEAL_HEADER + where_len] = '\0';
  memcpy (ad + SEAL_HEADER + where_len + 1, &id, 8);
  *ad_len = SEAL_HEADER + where_len + 1 + 8;
}

/**
 * sextant_store_key_encrypt:
 * @self: a key
 * @where: what the value is, such as `messages.content` (table and column)
 * @row_id: the id of the row that holds it
 * @data: (array length=len): the clear value
 * @len: its length
 *
 * Seals a value for the database, bound to @where and @row_id: any other layer of the core
 * (the knowledge base's chunks) stores its values through this and
 * sextant_store_key_decrypt().
 *
 * Returns: (transfer full): the sealed value, to be stored as a BLOB
 */
GBytes *
sextant_store_key_encrypt (SextantStoreKey *self,
                           const char      *where,
                           gint64           row_id,
                           gconstpointer    data,
                           gsize            len)
{
  guint8 ad[128];
  gsize ad_len = 0;
  guint8 *out;
  unsigned long long clen = 0;

  g_return_val_if_fail (SEXTANT_IS_STORE_KEY (self), NULL);
  g_return_val_if_fail (where != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  make_ad (ad, &ad_len, sizeof ad, where, row_id);
  out = g_malloc (len + SEAL_OVERHEAD);
  out[0] = SEAL_MAGIC;
  out[1] = SEAL_VERSION;
  randombytes_buf (out + SEAL_HEADER, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt (out + SEAL_HEADER + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                              &clen, data, len, ad, ad_len, NULL,
                                              out + SEAL_HEADER, self->cipher);

  return g_bytes_new_take (out, SEAL_HEADER + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + clen);
}

/**
 * sextant_store_key_is_sealed:
 * @data: (array length=len): a value read from the database
 * @len: its length
 *
 * Returns: whether @data has the form of a sealed value
 */
gboolean
sextant_store_key_is_sealed (gconstpointer data,
                             gsize         len)
{
  const guint8 *bytes = data;

  return data != NULL && len >= SEAL_OVERHEAD && bytes[0] == SEAL_MAGIC && bytes[1] == SEAL_VERSION;
}

/**
 * sextant_store_key_decrypt:
 * @self: a key
 * @where: as given to sextant_store_key_encrypt()
 * @row_id: as given to sextant_store_key_encrypt()
 * @data: (array length=len): the sealed value
 * @len: its length
 * @error: %SEXTANT_STORE_ERROR_WRONG_KEY when the value was sealed under another key, was moved
 *   or was changed
 *
 * Returns: (transfer full) (nullable): the clear value, followed by a NUL byte not counted in
 *   its size (so a text can be used as a string)
 */
GBytes *
sextant_store_key_decrypt (SextantStoreKey  *self,
                           const char       *where,
                           gint64            row_id,
                           gconstpointer     data,
                           gsize             len,
                           GError          **error)
{
  const guint8 *sealed = data;
  guint8 ad[128];
  gsize ad_len = 0;
  guint8 *out;
  unsigned long long mlen = 0;

  g_return_val_if_fail (SEXTANT_IS_STORE_KEY (self), NULL);
  g_return_val_if_fail (where != NULL, NULL);

  if (!sextant_store_key_is_sealed (data, len))
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                   _("%s of row %" PRId64 " is not a sealed value"), where, row_id);
      return NULL;
    }
  make_ad (ad, &ad_len, sizeof ad, where, row_id);
  out = g_malloc (len - SEAL_OVERHEAD + 1);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt (out, &mlen, NULL,
                                                  sealed + SEAL_HEADER + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                  len - SEAL_HEADER - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                  ad, ad_len, sealed + SEAL_HEADER, self->cipher) != 0)
    {
      g_free (out);
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY,
                   _("%s of row %" PRId64 " does not open with this key: it was sealed "
                     "under another key, or changed"), where, row_id);
      return NULL;
    }
  out[mlen] = '\0';

  return g_bytes_new_take (out, mlen);
}

static gboolean
is_token_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_PRIVATE_USE:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_mark (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
         type == G_UNICODE_ENCLOSING_MARK;
}

/* As FTS5's unicode61 tokenizer with remove_diacritics: lower case, the base letter of a letter
 * with diacritics. */
static void
append_folded (GString  *out,
               gunichar  c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));

  if (n > 0 && !is_mark (decomposed[0]))
    c = decomposed[0];
  g_string_append_unichar (out, g_unichar_tolower (c));
}

static void
text_token_clear (gpointer data)
{
  SextantTextToken *token = data;

  g_free (token->folded);
}

/**
 * sextant_text_tokenize:
 * @text: UTF-8 text
 *
 * Splits text into words as the search index does: runs of letters and digits (marks inside a
 * word dropped), lower case, without diacritics.
 *
 * Returns: (transfer full) (element-type SextantTextToken): the words in order
 */
GArray *
sextant_text_tokenize (const char *text)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (SextantTextToken));
  g_autoptr(GString) word = g_string_new (NULL);
  const char *p = text;
  const char *start = NULL;

  g_array_set_clear_func (tokens, text_token_clear);
  if (text == NULL)
    return tokens;
  for (;;)
    {
      gunichar c = *p != '\0' ? g_utf8_get_char_validated (p, -1) : 0;
      gboolean inside = c != 0 && c != (gunichar) -1 && c != (gunichar) -2 &&
                        (is_token_char (c) || (start != NULL && is_mark (c)));

      if (inside)
        {
          if (start == NULL)
            start = p;
          if (!is_mark (c))
            append_folded (word, c);
        }
      else if (start != NULL)
        {
          SextantTextToken token = { start - text, p - text, g_strdup (word->str) };

          g_array_append_val (tokens, token);
          g_string_truncate (word, 0);
          start = NULL;
        }
      if (*p == '\0')
        break;
      if (c == (gunichar) -1 || c == (gunichar) -2)
        p++;
      else
        p = g_utf8_next_char (p);
    }

  return tokens;
}

/**
 * sextant_store_key_hash_token:
 * @self: a key
 * @token: a folded word (see sextant_text_tokenize())
 *
 * Returns: (transfer full): the word's keyed hash, as the search index holds it
 */
char *
sextant_store_key_hash_token (SextantStoreKey *self,
                              const char      *token)
{
  guint8 hash[crypto_generichash_BYTES_MIN];
  char hex[2 * TOKEN_HASH_BYTES + 1];

  g_return_val_if_fail (SEXTANT_IS_STORE_KEY (self), NULL);

  crypto_generichash (hash, sizeof hash, (const guint8 *) token, strlen (token), self->search,
                      crypto_generichash_KEYBYTES);
  /* 64 bits: a collision among a few million distinct words is a one in a million chance, and
   * would only add a hit to a search. Starting with a letter keeps it one word to FTS5. */
  sodium_bin2hex (hex, sizeof hex, hash, TOKEN_HASH_BYTES);
  hex[0] = "ghijklmnopqrstuv"[hash[0] & 0x0f];

  return g_strdup (hex);
}

/**
 * sextant_store_key_hash_text:
 * @self: a key
 * @text: clear text
 *
 * Returns: (transfer full): what the search index holds for @text: the keyed hash of each of
 *   its words, in order, separated by spaces
 */
char *
sextant_store_key_hash_text (SextantStoreKey *self,
                             const char      *text)
{
  return sextant_store_key_hash_text_cached (self, text, NULL);
}

/**
 * sextant_store_key_hash_text_cached:
 * @self: a key
 * @text: clear text
 * @cache: (nullable) (element-type utf8 utf8): folded words and their hashes under @self, from
 *   g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free), filled as words are met
 *
 * sextant_store_key_hash_text() for many texts at once (the encryption of a history): a word
 * met again is not hashed again, and most words of a history are met again.
 *
 * Returns: (transfer full): the hashes of @text's words, separated by spaces
 */
char *
sextant_store_key_hash_text_cached (SextantStoreKey *self,
                                    const char      *text,
                                    GHashTable      *cache)
{
  g_autoptr(GArray) tokens = NULL;
  GString *out;

  g_return_val_if_fail (SEXTANT_IS_STORE_KEY (self), NULL);

  tokens = sextant_text_tokenize (text);
  out = g_string_sized_new (tokens->len * (2 * TOKEN_HASH_BYTES + 1));
  for (guint i = 0; i < tokens->len; i++)
    {
      SextantTextToken *token = &g_array_index (tokens, SextantTextToken, i);
      const char *hash = cache != NULL ? g_hash_table_lookup (cache, token->folded) : NULL;
      g_autofree char *made = NULL;

      if (hash == NULL)
        {
          hash = made = sextant_store_key_hash_token (self, token->folded);
          if (cache != NULL)
            g_hash_table_insert (cache, g_strdup (token->folded), g_steal_pointer (&made));
        }
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, hash);
    }

  return g_string_free (out, FALSE);
}

/* A key export: a header (magic, Argon2id's limits, its salt, the AEAD nonce), then the key
 * sealed with XChaCha20-Poly1305 under a key Argon2id derives from the passphrase, the whole
 * header as associated data so that no field of it can be changed. */
#define EXPORT_MAGIC "SXTKEY01"
#define EXPORT_MAGIC_LEN 8
#define EXPORT_HEADER (EXPORT_MAGIC_LEN + 8 + 8 + crypto_pwhash_SALTBYTES + \
                       crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
#define EXPORT_SIZE (EXPORT_HEADER + SEXTANT_STORE_KEY_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define MIN_PASSPHRASE 8

static gboolean
derive_file_key (guint8       *out,
                 const char   *passphrase,
                 const guint8 *salt,
                 guint64       opslimit,
                 guint64       memlimit,
                 GError      **error)
{
  if (crypto_pwhash (out, crypto_aead_xchacha20poly1305_ietf_KEYBYTES, passphrase, strlen (passphrase), salt,
                     opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_OPEN,
                   _("Not enough memory to derive the key file's key from the passphrase"));
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_store_key_export:
 * @self: a key
 * @passphrase: at least 8 characters
 * @error: %SEXTANT_STORE_ERROR_CONSTRAINT for a passphrase too short
 *
 * The key sealed under a passphrase (Argon2id, XChaCha20-Poly1305), to carry the history to
 * another computer with sextant_store_key_import().
 *
 * Returns: (transfer full) (nullable): the key file's bytes
 */
GBytes *
sextant_store_key_export (SextantStoreKey  *self,
                          const char       *passphrase,
                          GError          **error)
{
  guint8 *out;
  guint8 *file_key;
  guint64 opslimit = crypto_pwhash_OPSLIMIT_MODERATE, memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  guint64 le;
  guint8 *p;

  g_return_val_if_fail (SEXTANT_IS_STORE_KEY (self), NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  if (g_utf8_strlen (passphrase, -1) < MIN_PASSPHRASE)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT,
                   _("The passphrase must have at least %d characters"), MIN_PASSPHRASE);
      return NULL;
    }
  out = g_malloc (EXPORT_SIZE);
  p = out;
  memcpy (p, EXPORT_MAGIC, EXPORT_MAGIC_LEN), p += EXPORT_MAGIC_LEN;
  le = GUINT64_TO_LE (opslimit), memcpy (p, &le, 8), p += 8;
  le = GUINT64_TO_LE (memlimit), memcpy (p, &le, 8), p += 8;
  randombytes_buf (p, crypto_pwhash_SALTBYTES), p += crypto_pwhash_SALTBYTES;
  randombytes_buf (p, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  file_key = sodium_malloc (crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  if (!derive_file_key (file_key, passphrase, out + EXPORT_MAGIC_LEN + 16, opslimit, memlimit, error))
    {
      sodium_free (file_key);
      g_free (out);
      return NULL;
    }
  crypto_aead_xchacha20poly1305_ietf_encrypt (out + EXPORT_HEADER, NULL, self->master, SEXTANT_STORE_KEY_BYTES,
                                              out, EXPORT_HEADER, NULL, p, file_key);
  sodium_free (file_key);

  return g_bytes_new_take (out, EXPORT_SIZE);
}

/**
 * sextant_store_key_import:
 * @file_data: a key file's bytes (sextant_store_key_export())
 * @passphrase: its passphrase
 * @error: %SEXTANT_STORE_ERROR_CORRUPT for a file that is not a key export,
 *   %SEXTANT_STORE_ERROR_WRONG_KEY for a wrong passphrase (or a changed file)
 *
 * Returns: (transfer full) (nullable): the key
 */
SextantStoreKey *
sextant_store_key_import (GBytes      *file_data,
                          const char  *passphrase,
                          GError     **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (file_data, &len);
  guint64 opslimit, memlimit;
  guint8 *file_key;
  guint8 raw[SEXTANT_STORE_KEY_BYTES];
  SextantStoreKey *key;
  int rc;

  g_return_val_if_fail (passphrase != NULL, NULL);

  if (sodium_init () < 0)
    g_error ("libsodium cannot be initialised");
  if (len != EXPORT_SIZE || memcmp (data, EXPORT_MAGIC, EXPORT_MAGIC_LEN) != 0)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                   _("This is not a Sextant history key file (made by “sextant-cli secrets export-key”)"));
      return NULL;
    }
  memcpy (&opslimit, data + EXPORT_MAGIC_LEN, 8), opslimit = GUINT64_FROM_LE (opslimit);
  memcpy (&memlimit, data + EXPORT_MAGIC_LEN + 8, 8), memlimit = GUINT64_FROM_LE (memlimit);
  /* Limits beyond libsodium's strongest preset would only be a way to exhaust memory. */
  if (opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      memlimit < crypto_pwhash_MEMLIMIT_MIN || memlimit > crypto_pwhash_MEMLIMIT_SENSITIVE)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                   _("The key file asks for key derivation limits out of range; it is damaged"));
      return NULL;
    }
  file_key = sodium_malloc (crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  if (!derive_file_key (file_key, passphrase, data + EXPORT_MAGIC_LEN + 16, opslimit, memlimit, error))
    {
      sodium_free (file_key);
      return NULL;
    }
  rc = crypto_aead_xchacha20poly1305_ietf_decrypt (raw, NULL, NULL, data + EXPORT_HEADER, len - EXPORT_HEADER,
                                                   data, EXPORT_HEADER,
                                                   data + EXPORT_MAGIC_LEN + 16 + crypto_pwhash_SALTBYTES, file_key);
  sodium_free (file_key);
  if (rc != 0)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY,
                   _("Wrong passphrase for this key file (or the file was changed)"));
      return NULL;
    }
  key = sextant_store_key_new_from_data (raw, sizeof raw, error);
  sodium_memzero (raw, sizeof raw);

  return key;
}

/**
 * sextant_store_key_derive:
 * @self: a key
 * @purpose: a number of its own per use, 100 and above (below are the store's)
 * @out: (out caller-allocates) (array length=len): the subkey
 * @len: 16 to 64 bytes
 *
 * A subkey for another use of the history key (a backup's cipher key), independent of the
 * store's own.
 */
void
sextant_store_key_derive (SextantStoreKey *self,
                          guint64          purpose,
                          guint8          *out,
                          gsize            len)
{
  g_return_if_fail (SEXTANT_IS_STORE_KEY (self));
  g_return_if_fail (purpose >= 100);

  crypto_kdf_derive_from_key (out, len, purpose, KDF_CONTEXT, self->master);
}

/**
 * sextant_derive_passphrase_key:
 * @passphrase: the passphrase
 * @salt: crypto_pwhash_SALTBYTES (16) bytes
 * @opslimit: Argon2id's passes
 * @memlimit: Argon2id's memory
 * @error: return location
 *
 * Returns: (transfer full) (nullable): 32 bytes in protected memory; free with sodium_free()
 *   through sextant_free_secret_bytes()
 */
guint8 *
sextant_derive_passphrase_key (const char    *passphrase,
                               const guint8  *salt,
                               guint64        opslimit,
                               guint64        memlimit,
                               GError       **error)
{
  guint8 *key;

  if (sodium_init () < 0)
    g_error ("libsodium cannot be initialised");
  key = sodium_malloc (crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  if (!derive_file_key (key, passphrase, salt, opslimit, memlimit, error))
    {
      sodium_free (key);
      return NULL;
    }

  return key;
}
