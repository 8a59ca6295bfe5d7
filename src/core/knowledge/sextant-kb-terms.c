#define G_LOG_DOMAIN "sextant-kb-terms"

#include "config.h"

#include <string.h>

#include "base/sextant-store-error.h"
#include "knowledge/sextant-kb-terms.h"

/* What the search index holds of a sealed chunk: the keyed hash of each of its terms, where a
 * term is what kb_chunks_fts's own tokenizer (porter over unicode61 without diacritics) makes of
 * a word. Hashing FTS5's terms rather than words of our own keeps its stemming ("breach" finds
 * "breaches") and its word boundaries, so the index of hashes has the clear index's terms in a
 * one-to-one map: bm25() over it ranks, and scores, exactly as over the words. The tokenizer is
 * SQLite's, reached through the fts5_api of the connection. */

#define KB_TOKENIZER "porter"

/* xCreate takes (const char **) but never writes through it. */
static const char *tokenizer_args[] = { "unicode61", "remove_diacritics", "2" };

typedef struct
{
  SextantStoreKey *key;
  GPtrArray       *hashes;
} Collect;

static fts5_api *
get_fts5_api (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  return api;
}

static int
collect_token (void       *data,
               int         flags,
               const char *token,
               int         n_token,
               int         start,
               int         end)
{
  Collect *collect = data;
  g_autofree char *term = g_strndup (token, n_token);

  /* unicode61 and porter make no colocated tokens; one would be a synonym, not a term. */
  if ((flags & FTS5_TOKEN_COLOCATED) == 0)
    g_ptr_array_add (collect->hashes, sextant_store_key_hash_token (collect->key, term));

  return SQLITE_OK;
}

/**
 * sextant_kb_terms_hash:
 * @db: a connection with FTS5 (any of Sextant's)
 * @key: the history key
 * @text: clear text
 * @query: whether @text is a query term rather than a chunk
 * @error: return location for a %SEXTANT_STORE_ERROR
 *
 * Returns: (transfer full) (element-type utf8): the keyed hashes of @text's terms, in order
 */
GPtrArray *
sextant_kb_terms_hash (sqlite3          *db,
                       SextantStoreKey  *key,
                       const char       *text,
                       gboolean          query,
                       GError          **error)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  fts5_api *api = get_fts5_api (db);
  fts5_tokenizer tokenizer;
  Fts5Tokenizer *instance = NULL;
  void *user_data = NULL;
  Collect collect = { key, hashes };
  int rc;

  g_return_val_if_fail (SEXTANT_IS_STORE_KEY (key), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (api == NULL || api->xFindTokenizer (api, KB_TOKENIZER, &user_data, &tokenizer) != SQLITE_OK ||
      tokenizer.xCreate (user_data, tokenizer_args, G_N_ELEMENTS (tokenizer_args), &instance) != SQLITE_OK)
    {
      g_set_error_literal (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_SQL,
                           "SQLite's FTS5 porter tokenizer is not available");
      return NULL;
    }
  rc = tokenizer.xTokenize (instance, &collect, query ? FTS5_TOKENIZE_QUERY : FTS5_TOKENIZE_DOCUMENT, text,
                            (int) strlen (text), collect_token);
  tokenizer.xDelete (instance);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_SQL, "Cannot split a passage into terms (%s)",
                   sqlite3_errstr (rc));
      return NULL;
    }

  return g_steal_pointer (&hashes);
}

/**
 * sextant_kb_terms_hash_text:
 * @db: a connection with FTS5
 * @key: the history key
 * @text: a chunk's clear text
 * @error: return location
 *
 * Returns: (transfer full) (nullable): what the index holds for the chunk: its terms' hashes
 *   separated by spaces
 */
char *
sextant_kb_terms_hash_text (sqlite3          *db,
                            SextantStoreKey  *key,
                            const char       *text,
                            GError          **error)
{
  g_autoptr(GPtrArray) hashes = sextant_kb_terms_hash (db, key, text, FALSE, error);

  if (hashes == NULL)
    return NULL;
  g_ptr_array_add (hashes, NULL);

  return g_strjoinv (" ", (char **) hashes->pdata);
}
