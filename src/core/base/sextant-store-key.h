#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEXTANT_TYPE_STORE_KEY (sextant_store_key_get_type ())

G_DECLARE_FINAL_TYPE (SextantStoreKey, sextant_store_key, SEXTANT, STORE_KEY, GObject)

/* The length in bytes of a store key. */
#define SEXTANT_STORE_KEY_BYTES 32

SextantStoreKey *sextant_store_key_new_random        (void);
SextantStoreKey *sextant_store_key_new_from_data     (const guint8     *data,
                                                      gsize             len,
                                                      GError          **error);
SextantStoreKey *sextant_store_key_new_from_base64   (const char       *text,
                                                      GError          **error);
char            *sextant_store_key_to_base64         (SextantStoreKey  *self);
const guint8    *sextant_store_key_peek_data         (SextantStoreKey  *self);
char            *sextant_store_key_dup_check         (SextantStoreKey  *self);
GBytes          *sextant_store_key_encrypt           (SextantStoreKey  *self,
                                                      const char       *where,
                                                      gint64            row_id,
                                                      gconstpointer     data,
                                                      gsize             len);
GBytes          *sextant_store_key_decrypt           (SextantStoreKey  *self,
                                                      const char       *where,
                                                      gint64            row_id,
                                                      gconstpointer     data,
                                                      gsize             len,
                                                      GError          **error);
char            *sextant_store_key_hash_text         (SextantStoreKey  *self,
                                                      const char       *text);
char            *sextant_store_key_hash_text_cached  (SextantStoreKey  *self,
                                                      const char       *text,
                                                      GHashTable       *cache);
char            *sextant_store_key_hash_token        (SextantStoreKey  *self,
                                                      const char       *token);
gboolean         sextant_store_key_is_sealed         (gconstpointer     data,
                                                      gsize             len);

/**
 * SextantTextToken:
 * @start: byte offset of the token in the text
 * @end: byte offset just past it
 * @folded: the token as the search index knows it (case-folded, without diacritics)
 */
typedef struct
{
  gsize  start;
  gsize  end;
  char  *folded;
} SextantTextToken;

GArray          *sextant_text_tokenize               (const char       *text);

void             sextant_store_key_derive            (SextantStoreKey  *self,
                                                      guint64           purpose,
                                                      guint8           *out,
                                                      gsize             len);
guint8          *sextant_derive_passphrase_key       (const char       *passphrase,
                                                      const guint8     *salt,
                                                      guint64           opslimit,
                                                      guint64           memlimit,
                                                      GError          **error);
GBytes          *sextant_store_key_export            (SextantStoreKey  *self,
                                                      const char       *passphrase,
                                                      GError          **error);
SextantStoreKey *sextant_store_key_import            (GBytes           *file_data,
                                                      const char       *passphrase,
                                                      GError          **error);

G_END_DECLS
