#define G_LOG_DOMAIN "test-knowledge-sealed"
#define _GNU_SOURCE /* memmem () */

#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* The knowledge base's chunks encrypted at rest (issues 16 and 19): no known word of the
 * documents, nor their titles, paths or vectors, in the raw database file or its WAL, search over the index of keyed term hashes
 * giving the clear index's answers with the same scores (stemming included), removal and
 * re-indexing leaving the index exactly as a clear one, and a clear knowledge base encrypted in
 * place by the history's migration. */

#define TEST_HISTORY_KEY "c2V4dGFudC10ZXN0LWhpc3Rvcnkta2V5LTMyYnl0ZXM="

/* Words no file would hold by chance: none of them may be found in a sealed file. */
static const char * const secret_words[] = { "zanzibarish", "quixotically", "brontosaurus", "thistlewood" };

/* Words with forms that only porter stemming joins (breach, breaches, breached), diacritics
 * that the index folds (café, naïve), and common ones, so that bm25() has real work. */
static const char * const vocabulary[] = {
  "breach", "breaches", "breached", "hedging", "hedges", "hedge", "liquidity", "café", "naïve",
  "naive", "duration", "convexity", "issuer", "issuers", "limit", "limits", "committee", "the",
  "of", "and", "portfolio", "policy", "equity", "bonds", "rebalancing", "rebalanced", "custodian",
  "Zürich", "counterparty", "collateral", "stress", "scenario", "scenarios", "mandate", "NEAR",
  "zanzibarish", "quixotically", "Brontosaurus", "Thistlewood",
};

static const char * const queries[] = {
  "breach", "breaches", "hedging limits", "cafe", "Café", "naive", "zurich", "the", "issuer concentration",
  "\"stress\" OR NEAR(:", "quixotically", "Thistlewood brontosaurus", "absent", "hedged", "committee-mandate",
};

#define N_DOCUMENTS 24

static SextantStoreKey *
test_key (void)
{
  g_autoptr(GError) error = NULL;
  SextantStoreKey *key = sextant_store_key_new_from_base64 (TEST_HISTORY_KEY, &error);

  g_assert_no_error (error);

  return key;
}

static char *
document_text (guint index,
               guint version)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1000 * version + index);
  GString *text = g_string_new (NULL);
  guint n_words = 200 + g_rand_int_range (rand, 0, 900);

  /* The heading is the document's title, sealed with the path (assert_no_document_names()). */
  g_string_append_printf (text, "# Policy note %u\n\n", index);
  for (guint i = 0; i < n_words; i++)
    {
      double u = g_rand_double (rand);

      g_string_append (text, vocabulary[(guint) (G_N_ELEMENTS (vocabulary) * u * u) % G_N_ELEMENTS (vocabulary)]);
      g_string_append (text, (i + 1) % 11 == 0 ? ". " : " ");
      if ((i + 1) % 120 == 0)
        g_string_append (text, "\n\n");
    }

  return g_string_free (text, FALSE);
}

static char *
write_document (const char *dir,
                guint       index,
                guint       version)
{
  g_autofree char *name = g_strdup_printf ("note-%02u.md", index);
  g_autofree char *text = document_text (index, version);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
write_documents (const char *dir,
                 guint       n_documents)
{
  for (guint i = 0; i < n_documents; i++)
    g_free (write_document (dir, i, 0));
}

static void
write_corpus (const char *dir)
{
  write_documents (dir, N_DOCUMENTS);
}

static void
index_documents (SextantKbStore *kb,
                 const char     *dir,
                 guint           n_documents)
{
  for (guint i = 0; i < n_documents; i++)
    {
      g_autofree char *name = g_strdup_printf ("note-%02u.md", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      SextantKbAddOutcome outcome;

      g_assert_true (sextant_kb_store_add_file (kb, path, NULL, NULL, &outcome, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
index_corpus (SextantKbStore *kb,
              const char     *dir)
{
  index_documents (kb, dir, N_DOCUMENTS);
}

/* The vector put_vectors() gives a chunk. */
static void
chunk_vector (gint64  chunk_id,
              float  *v)
{
  double norm = 0;

  for (guint d = 0; d < 8; d++)
    {
      v[d] = (float) sin (chunk_id * (d + 1) * 0.37);
      norm += v[d] * (double) v[d];
    }
  for (guint d = 0; d < 8; d++)
    v[d] /= sqrt (norm);
}

/* A vector of its own for each chunk, the same in both stores: the hybrid search then has a
 * scan to fuse with bm25. */
static void
put_vectors (SextantKbStore *kb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chunks = sextant_kb_store_list_unembedded (kb, "test", 8, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (chunks->len, >, 0);
  for (guint i = 0; i < chunks->len; i++)
    {
      SextantKbPassage *chunk = chunks->pdata[i];
      float v[8];

      chunk_vector (chunk->chunk_id, v);
      g_assert_true (sextant_kb_store_put_vector (kb, chunk->chunk_id, "test", 8, v, NULL, &error));
    }
}

static char *
read_lowered (const char *path)
{
  char *bytes = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &bytes, &len, NULL))
    return g_strdup ("");
  for (gsize i = 0; i < len; i++)
    bytes[i] = bytes[i] == '\0' ? ' ' : g_ascii_tolower (bytes[i]);

  return bytes;
}

static gboolean
file_holds_secret_word (const char *path)
{
  g_autofree char *bytes = read_lowered (path);

  for (guint w = 0; w < G_N_ELEMENTS (secret_words); w++)
    if (strstr (bytes, secret_words[w]) != NULL)
      {
        g_test_message ("“%s” is readable in %s", secret_words[w], path);
        return TRUE;
      }

  return FALSE;
}

static void
assert_no_secret_word (const char *db_path)
{
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);

  g_assert_false (file_holds_secret_word (db_path));
  g_assert_false (file_holds_secret_word (wal_path));
}

static gboolean
file_holds_bytes (const char    *path,
                  gconstpointer  bytes,
                  gsize          len)
{
  g_autofree char *contents = NULL;
  gsize size = 0;

  if (!g_file_get_contents (path, &contents, &size, NULL))
    return FALSE;

  return memmem (contents, size, bytes, len) != NULL;
}

static gboolean
file_holds_text (const char *path,
                 const char *text)
{
  g_autofree char *bytes = read_lowered (path);
  g_autofree char *lowered = g_ascii_strdown (text, -1);

  return strstr (bytes, lowered) != NULL;
}

/* Whether the database or its WAL holds, readable, a title or path of the first @n_documents of
 * the corpus in @docs, or the vector of chunk 1. */
static gboolean
holds_document_names (const char *db_path,
                      const char *docs,
                      guint       n_documents)
{
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  const char *files[] = { db_path, wal_path };
  float vector[8];

  chunk_vector (1, vector);
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      if (file_holds_bytes (files[f], vector, sizeof vector))
        {
          g_test_message ("a vector is readable in %s", files[f]);
          return TRUE;
        }
      for (guint i = 0; i < n_documents; i++)
        {
          g_autofree char *title = g_strdup_printf ("Policy note %u", i);
          g_autofree char *name = g_strdup_printf ("note-%02u.md", i);
          g_autofree char *path = g_build_filename (docs, name, NULL);

          if (file_holds_text (files[f], title) || file_holds_text (files[f], path) || file_holds_text (files[f], docs))
            {
              g_test_message ("“%s” or its path is readable in %s", title, files[f]);
              return TRUE;
            }
        }
    }

  return FALSE;
}

/* The documents as listed, by path: the same titles, chunks and vectors as @reference's. */
static void
assert_same_documents (SextantKbStore *reference,
                       SextantKbStore *kb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) expected = sextant_kb_store_list (reference, &error);
  g_autoptr(GPtrArray) found = sextant_kb_store_list (kb, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, expected->len);
  g_assert_cmpuint (found->len, >, 0);
  for (guint i = 0; i < found->len; i++)
    {
      SextantKbDocument *e = expected->pdata[i], *f = found->pdata[i];

      g_assert_cmpstr (f->title, ==, e->title);
      g_assert_cmpstr (f->path, ==, e->path);
      g_assert_cmpstr (f->sha256, ==, e->sha256);
      g_assert_cmpint (f->n_chunks, ==, e->n_chunks);
      g_assert_cmpint (f->n_vectors, ==, e->n_vectors);
      g_assert_cmpint (sextant_kb_store_find_document (kb, e->path, &error), ==, f->id);
      g_assert_no_error (error);
    }
}

static gint64
count_chunks (SextantStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "SELECT count(*) FROM kb_chunks", NULL);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  return sqlite3_column_int64 (stmt, 0);
}

/* The index as FTS5 counts it: distinct terms and their occurrences. A sealed index whose
 * entries were removed exactly has the clear one's counts. */
static void
index_counts (SextantStore *store,
              gint64       *terms,
              gint64       *occurrences)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  sextant_store_exec (store, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_vocab USING fts5vocab (main, kb_chunks_fts, 'row')",
                      &error);
  g_assert_no_error (error);
  stmt = sextant_store_prepare (store, "SELECT count(*), coalesce (sum (cnt), 0) FROM temp.kb_vocab", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *terms = sqlite3_column_int64 (stmt, 0);
  *occurrences = sqlite3_column_int64 (stmt, 1);
}

static SextantStore *
open_sealed (const char *path)
{
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autoptr(GError) error = NULL;
  SextantStore *store = sextant_schema_open (path, &error);

  g_assert_no_error (error);
  sextant_store_encryption_attach (store, key, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, &error));

  return store;
}

static void
assert_same_ranking (GArray *expected,
                     GArray *found)
{
  g_assert_cmpuint (found->len, ==, expected->len);
  for (guint i = 0; i < found->len; i++)
    {
      SextantKbScored *e = &g_array_index (expected, SextantKbScored, i);
      SextantKbScored *f = &g_array_index (found, SextantKbScored, i);

      g_assert_cmpint (f->id, ==, e->id);
      g_assert_cmpfloat_with_epsilon (f->score, e->score, 1e-9 * MAX (1, fabs (e->score)));
    }
}

/* bm25() and the hybrid search of @kb equal @reference's, passage by passage. */
static void
assert_same_search (SextantKbStore *reference,
                    SextantKbStore *kb)
{
  static const float query_vector[8] = { 0.5f, -0.5f, 0.5f, -0.5f, 0, 0, 0, 0 };
  guint nonempty = 0;

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) expected = sextant_kb_store_search_bm25 (reference, queries[q], 0, 200, &error);
      g_autoptr(GArray) found = sextant_kb_store_search_bm25 (kb, queries[q], 0, 200, &error);
      SextantKbQuery query = { queries[q], query_vector, "test", 8, 0, 10 };
      g_autoptr(GPtrArray) expected_passages = sextant_kb_store_search (reference, &query, &error);
      g_autoptr(GPtrArray) passages = sextant_kb_store_search (kb, &query, &error);

      g_assert_no_error (error);
      assert_same_ranking (expected, found);
      nonempty += expected->len > 0;
      g_assert_cmpuint (passages->len, ==, expected_passages->len);
      for (guint i = 0; i < passages->len; i++)
        {
          SextantKbPassage *e = expected_passages->pdata[i], *f = passages->pdata[i];

          g_assert_cmpint (f->chunk_id, ==, e->chunk_id);
          g_assert_cmpstr (f->text, ==, e->text);
          g_assert_cmpint (f->char_start, ==, e->char_start);
          g_assert_cmpfloat_with_epsilon (f->score, e->score, 1e-12);
        }
    }
  /* All but "absent" find something: the comparison is not of empty lists. */
  g_assert_cmpuint (nonempty, ==, G_N_ELEMENTS (queries) - 1);
}

/* Stemming survives hashing: "hedged", a word no document holds, finds the passages with
 * "hedge", "hedges" and "hedging" in a sealed index. */
static void
assert_stemmed_match (SextantKbStore *kb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found = sextant_kb_store_search_bm25 (kb, "hedged", 0, 1000, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >, 0);
  for (guint i = 0; i < found->len; i++)
    {
      g_autoptr(SextantKbPassage) passage = sextant_kb_store_get_passage (kb, g_array_index (found, SextantKbScored, i).id,
                                                                         &error);
      g_auto(GStrv) words = NULL;
      gboolean stem = FALSE;

      g_assert_no_error (error);
      words = g_strsplit_set (passage->text, " .\n", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          g_assert_cmpstr (words[w], !=, "hedged");
          stem |= g_str_has_prefix (words[w], "hedg");
        }
      g_assert_true (stem);
    }
}

/* A knowledge base in a store with a key from its first day: no secret word in the file or the
 * WAL (read while the connection is open, before any checkpoint), passages open, removing and
 * re-indexing keep the index exact, and it all holds after reopening. */
static void
test_sealed_store (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *docs = g_build_filename (dir, "docs", NULL);
  g_autofree char *path = g_build_filename (dir, "sealed.db", NULL);
  g_autofree char *clear_path = g_build_filename (dir, "clear.db", NULL);
  g_autofree char *changed = NULL;
  g_autofree char *clear_wal = g_strconcat (clear_path, "-wal", NULL);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantStore) clear = NULL;
  g_autoptr(SextantKbStore) kb = NULL;
  g_autoptr(SextantKbStore) clear_kb = NULL;
  g_autoptr(GError) error = NULL;
  gint64 terms, occurrences, clear_terms, clear_occurrences, id;
  SextantKbAddOutcome outcome;

  g_mkdir (docs, 0700);
  write_corpus (docs);
  store = open_sealed (path);
  clear = sextant_schema_open (clear_path, &error);
  g_assert_no_error (error);
  kb = sextant_kb_store_new (store);
  clear_kb = sextant_kb_store_new (clear);
  index_corpus (kb, docs);
  index_corpus (clear_kb, docs);
  g_assert_cmpint (sextant_kb_store_count_clear (store, &error), ==, 0);
  g_assert_cmpint (sextant_kb_store_count_clear (clear, &error), >, 100);
  /* The clear store shows the test would see the words. */
  g_assert_true (file_holds_secret_word (clear_path) || file_holds_secret_word (clear_wal));
  assert_no_secret_word (path);
  assert_stemmed_match (kb);

  /* Remove one document, change another: the sealed index loses exactly their entries. */
  for (guint s = 0; s < 2; s++)
    {
      SextantKbStore *each = s == 0 ? kb : clear_kb;
      g_autofree char *removed = g_build_filename (docs, "note-03.md", NULL);

      id = sextant_kb_store_find_document (each, removed, &error);
      g_assert_no_error (error);
      g_assert_true (sextant_kb_store_remove (each, id, &error));
      g_assert_no_error (error);
    }
  changed = write_document (docs, 5, 1);
  g_assert_true (sextant_kb_store_add_file (kb, changed, NULL, NULL, &outcome, NULL, &error));
  g_assert_cmpint (outcome, ==, SEXTANT_KB_ADD_UPDATED);
  g_assert_true (sextant_kb_store_add_file (clear_kb, changed, NULL, NULL, &outcome, NULL, &error));
  g_assert_no_error (error);
  index_counts (store, &terms, &occurrences);
  index_counts (clear, &clear_terms, &clear_occurrences);
  g_test_message ("index: %" G_GINT64_FORMAT " terms, %" G_GINT64_FORMAT " occurrences", terms, occurrences);
  g_assert_cmpint (terms, ==, clear_terms);
  g_assert_cmpint (occurrences, ==, clear_occurrences);
  put_vectors (kb);
  put_vectors (clear_kb);
  assert_same_search (clear_kb, kb);
  assert_no_secret_word (path);
  /* Titles, paths and vectors: readable in the clear store, not in the sealed one; listed,
   * found by path, and an unchanged file known as such, as in the clear store. */
  g_assert_true (holds_document_names (clear_path, docs, N_DOCUMENTS));
  g_assert_false (holds_document_names (path, docs, N_DOCUMENTS));
  assert_same_documents (clear_kb, kb);
  g_assert_true (sextant_kb_store_add_file (kb, changed, NULL, NULL, &outcome, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, SEXTANT_KB_ADD_UNCHANGED);
  g_clear_object (&kb);
  g_clear_object (&store);
  assert_no_secret_word (path);

  g_assert_false (holds_document_names (path, docs, N_DOCUMENTS));

  store = open_sealed (path);
  kb = sextant_kb_store_new (store);
  assert_same_search (clear_kb, kb);
  assert_same_documents (clear_kb, kb);
  g_clear_object (&kb);
  g_clear_object (&store);
  g_clear_object (&clear_kb);
  g_clear_object (&clear);
  sextant_test_remove_temp_dir (dir);
}

/* Without its key a sealed knowledge base is read-only: nothing is added or removed (no clear
 * text goes in beside sealed rows), and a passage that does not open is said to be encrypted. */
static void
test_read_only_without_key (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *docs = g_build_filename (dir, "docs", NULL);
  g_autofree char *path = g_build_filename (dir, "sealed.db", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = g_build_filename (docs, "note-01.md", NULL);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantKbStore) kb = NULL;
  g_autoptr(SextantKbPassage) passage = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_mkdir (docs, 0700);
  write_corpus (docs);
  store = open_sealed (path);
  kb = sextant_kb_store_new (store);
  index_corpus (kb, docs);
  g_clear_object (&kb);
  g_clear_object (&store);

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_encryption_attach (store, NULL, &error), ==, SEXTANT_ENCRYPTION_KEY_MISSING);
  kb = sextant_kb_store_new (store);
  /* Listed without their sealed titles and paths, which a path cannot find. */
  documents = sextant_kb_store_list (kb, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, N_DOCUMENTS);
  id = ((SextantKbDocument *) documents->pdata[0])->id;
  {
    g_autofree char *stand_in = g_strdup_printf ("Encrypted document %" G_GINT64_FORMAT, id);

    g_assert_cmpstr (((SextantKbDocument *) documents->pdata[0])->title, ==, stand_in);
    g_assert_cmpstr (((SextantKbDocument *) documents->pdata[0])->path, ==, "");
  }
  first = g_build_filename (docs, "note-00.md", NULL);
  g_assert_cmpint (sextant_kb_store_find_document (kb, first, &error), ==, 0);
  g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (sextant_kb_store_remove (kb, id, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
  g_clear_error (&error);
  g_assert_false (sextant_kb_store_add_file (kb, second, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
  g_clear_error (&error);
  passage = sextant_kb_store_get_passage (kb, 1, &error);
  g_assert_null (passage);
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
  g_clear_error (&error);
  g_assert_cmpint (sextant_kb_store_count_clear (store, &error), ==, 0);
  g_clear_object (&kb);
  g_clear_object (&store);
  sextant_test_remove_temp_dir (dir);
}

static void
record_progress_cb (gint64   done,
                    gint64   total,
                    gpointer user_data)
{
  GArray *steps = user_data;

  g_assert_cmpint (done, <=, total);
  g_array_append_val (steps, done);
}

/* A clear knowledge base from before encryption is sealed in place by the history's migration,
 * in batches: afterwards no word is readable in the file or the WAL and every search answers
 * as it did. */
static void
test_migration (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *docs = g_build_filename (dir, "docs", NULL);
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *reference_path = g_build_filename (dir, "reference.db", NULL);
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantStore) reference = NULL;
  g_autoptr(SextantKbStore) kb = NULL;
  g_autoptr(SextantKbStore) reference_kb = NULL;
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  gint64 n_clear;

  g_mkdir (docs, 0700);
  write_corpus (docs);
  reference = sextant_schema_open (reference_path, &error);
  reference_kb = sextant_kb_store_new (reference);
  index_corpus (reference_kb, docs);
  put_vectors (reference_kb);
  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_encryption_attach (store, NULL, &error), ==, SEXTANT_ENCRYPTION_CLEAR);
  kb = sextant_kb_store_new (store);
  index_corpus (kb, docs);
  put_vectors (kb);
  n_clear = sextant_kb_store_count_clear (store, &error);
  g_assert_cmpint (n_clear, >, 100);
  g_clear_object (&kb);
  g_clear_object (&store);
  g_assert_true (holds_document_names (path, docs, N_DOCUMENTS));

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_encryption_attach (store, key, &error), ==, SEXTANT_ENCRYPTION_MIGRATING);
  g_assert_cmpint (sextant_store_encryption_count_clear (store, &error), ==, n_clear);
  g_assert_true (sextant_store_encryption_migrate (store, 40, record_progress_cb, steps, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, >=, n_clear / 40);
  g_assert_cmpint (g_array_index (steps, gint64, steps->len - 1), ==, n_clear);
  g_assert_cmpint (sextant_kb_store_count_clear (store, &error), ==, 0);
  kb = sextant_kb_store_new (store);
  assert_same_search (reference_kb, kb);
  assert_same_documents (reference_kb, kb);
  assert_stemmed_match (kb);
  g_clear_object (&kb);
  g_clear_object (&store);
  assert_no_secret_word (path);
  g_assert_false (holds_document_names (path, docs, N_DOCUMENTS));

  store = sextant_schema_open (path, &error);
  g_assert_cmpint (sextant_store_encryption_attach (store, key, &error), ==, SEXTANT_ENCRYPTION_ENCRYPTED);
  kb = sextant_kb_store_new (store);
  assert_same_search (reference_kb, kb);
  g_clear_object (&kb);
  g_clear_object (&store);
  g_clear_object (&reference_kb);
  g_clear_object (&reference);
  sextant_test_remove_temp_dir (dir);
}

/* The child of test_migration_killed: seals the knowledge base and is killed with SIGKILL a few
 * milliseconds after a third of it is done, wherever it is (inside a batch's transaction most
 * likely). */
static gpointer
kill_soon (gpointer data)
{
  g_usleep (g_random_int_range (0, 3000));
  kill (getpid (), SIGKILL);

  return NULL;
}

static void
killing_progress_cb (gint64   done,
                     gint64   total,
                     gpointer user_data)
{
  gboolean *started = user_data;

  if (!*started && done >= total / 3)
    {
      *started = TRUE;
      g_thread_unref (g_thread_new ("killer", kill_soon, NULL));
    }
}

static void
test_migration_killed_child (void)
{
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autoptr(SextantStore) store = sextant_schema_open (g_getenv ("SEXTANT_TEST_DATABASE"), NULL);
  gboolean started = FALSE;

  g_assert_cmpint (sextant_store_encryption_attach (store, key, NULL), ==, SEXTANT_ENCRYPTION_MIGRATING);
  sextant_store_encryption_migrate (store, 5, killing_progress_cb, &started, NULL, NULL);
  g_usleep (10 * G_USEC_PER_SEC);
  g_error ("The migration was not killed");
}

/* kill -9 while a clear knowledge base is being sealed loses nothing: half sealed, it searches
 * and reads whole; the next run finishes, and it then answers as a clear one. */
static void
test_migration_killed (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *docs = g_build_filename (dir, "docs", NULL);
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *reference_path = g_build_filename (dir, "reference.db", NULL);
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantStore) reference = NULL;
  g_autoptr(SextantKbStore) kb = NULL;
  g_autoptr(SextantKbStore) reference_kb = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_clear, left;

  /* Enough passages that the kill, a few milliseconds after a third, comes well before the end. */
  g_mkdir (docs, 0700);
  write_documents (docs, 2 * N_DOCUMENTS);
  reference = sextant_schema_open (reference_path, &error);
  reference_kb = sextant_kb_store_new (reference);
  index_documents (reference_kb, docs, 2 * N_DOCUMENTS);
  put_vectors (reference_kb);
  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  kb = sextant_kb_store_new (store);
  index_documents (kb, docs, 2 * N_DOCUMENTS);
  put_vectors (kb);
  n_clear = sextant_kb_store_count_clear (store, &error);
  g_clear_object (&kb);
  g_clear_object (&store);

  g_setenv ("SEXTANT_TEST_DATABASE", path, TRUE);
  g_test_trap_subprocess ("/sextant/knowledge/sealed/migration-killed/subprocess", 60 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr_unmatched ("*was not killed*");

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  left = sextant_kb_store_count_clear (store, &error);
  g_test_message ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " passages still clear after the kill", left, n_clear);
  g_assert_cmpint (left, >, 0);
  g_assert_cmpint (left, <, n_clear);
  g_assert_cmpint (sextant_store_encryption_attach (store, key, &error), ==, SEXTANT_ENCRYPTION_MIGRATING);
  /* Half-done, every passage reads: sealed ones opened, clear ones as they are. */
  kb = sextant_kb_store_new (store);
  assert_same_documents (reference_kb, kb);
  for (gint64 id = 1, n_chunks = count_chunks (store); id <= n_chunks; id++)
    {
      g_autoptr(SextantKbPassage) passage = sextant_kb_store_get_passage (kb, id, &error);
      g_autoptr(SextantKbPassage) expected = sextant_kb_store_get_passage (reference_kb, id, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (passage->text, ==, expected->text);
    }
  g_clear_object (&kb);
  g_assert_true (sextant_store_encryption_migrate (store, 50, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sextant_kb_store_count_clear (store, &error), ==, 0);
  kb = sextant_kb_store_new (store);
  assert_same_search (reference_kb, kb);
  assert_same_documents (reference_kb, kb);
  g_clear_object (&kb);
  g_clear_object (&store);
  assert_no_secret_word (path);
  g_assert_false (holds_document_names (path, docs, 2 * N_DOCUMENTS));
  g_clear_object (&reference_kb);
  g_clear_object (&reference);
  sextant_test_remove_temp_dir (dir);
}

/* A history sealed before migration 16, its knowledge base's titles, paths and vectors clear:
 * migration 16 marks it incomplete, so the next start's migration seals them, and the
 * knowledge base then lists and finds its documents as before. */
static void
test_upgrade (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *docs = g_build_filename (dir, "docs", NULL);
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *note = g_build_filename (docs, "note-00.md", NULL);
  g_autoptr(SextantStoreKey) key = test_key ();
  g_autofree char *check = sextant_store_key_dup_check (key);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantKbStore) kb = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GError) error = NULL;
  const SextantMigration *migrations;
  float vector[8];
  guint n_migrations;
  SextantKbAddOutcome outcome;

  g_mkdir (docs, 0700);
  write_documents (docs, 1);
  migrations = sextant_schema_get_migrations (&n_migrations);
  g_assert_cmpint (migrations[14].version, ==, 15);
  store = sextant_store_open (path, migrations, 15, &error);
  g_assert_no_error (error);
  /* As Sextant before migration 16 left it: the history sealed, the document row clear (its
   * passage is left clear too, which the migration seals as before). */
  stmt = sextant_store_prepare (store, "INSERT INTO store_encryption (id, key_check, complete, started_at) "
                                "VALUES (1, ?1, 1, 0);"
                                , &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, check, -1, SQLITE_STATIC);
  g_assert_true (sextant_store_step_done (store, stmt, &error));
  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = sextant_store_prepare (store, "INSERT INTO kb_documents (id, path, title, format, size, sha256, n_pages, "
                                "added_at, indexed_at) VALUES (1, ?1, 'Policy note 0', 'markdown', 1, 'x', NULL, 0, 0)",
                                &error);
  sqlite3_bind_text (stmt, 1, note, -1, SQLITE_STATIC);
  g_assert_true (sextant_store_step_done (store, stmt, &error));
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_assert_true (sextant_store_exec (store, "INSERT INTO kb_chunks (id, document_id, ord, page, char_start, char_end, "
                                     "text) VALUES (1, 1, 0, NULL, 0, 9, 'Quixotically');"
                                     "INSERT INTO kb_chunks_fts (rowid, text) VALUES (1, 'Quixotically')", &error));
  chunk_vector (1, vector);
  stmt = sextant_store_prepare (store, "INSERT INTO kb_vectors (chunk_id, model, dims, vector) VALUES (1, 'test', 8, ?)",
                                &error);
  sqlite3_bind_blob (stmt, 1, vector, sizeof vector, SQLITE_STATIC);
  g_assert_true (sextant_store_step_done (store, stmt, &error));
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_clear_object (&store);
  g_assert_true (holds_document_names (path, docs, 1));

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_get_schema_version (store), ==, (int) n_migrations);
  g_assert_cmpint (sextant_store_encryption_attach (store, key, &error), ==, SEXTANT_ENCRYPTION_MIGRATING);
  g_assert_cmpint (sextant_kb_store_count_clear (store, &error), ==, 3);
  g_assert_true (sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sextant_kb_store_count_clear (store, &error), ==, 0);
  kb = sextant_kb_store_new (store);
  documents = sextant_kb_store_list (kb, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 1);
  g_assert_cmpstr (((SextantKbDocument *) documents->pdata[0])->title, ==, "Policy note 0");
  g_assert_cmpstr (((SextantKbDocument *) documents->pdata[0])->path, ==, note);
  g_assert_cmpint (((SextantKbDocument *) documents->pdata[0])->n_vectors, ==, 1);
  /* Found by its path's hash: re-adding it updates the row (its stored digest is not the file's). */
  g_assert_cmpint (sextant_kb_store_find_document (kb, note, &error), ==, 1);
  g_assert_true (sextant_kb_store_add_file (kb, note, NULL, NULL, &outcome, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, SEXTANT_KB_ADD_UPDATED);
  g_clear_pointer (&documents, g_ptr_array_unref);
  documents = sextant_kb_store_list (kb, &error);
  g_assert_cmpuint (documents->len, ==, 1);
  g_clear_object (&kb);
  g_clear_object (&store);
  g_assert_false (holds_document_names (path, docs, 1));
  g_assert_false (file_holds_secret_word (path));
  sextant_test_remove_temp_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/knowledge/sealed/store", test_sealed_store);
  g_test_add_func ("/sextant/knowledge/sealed/read-only-without-key", test_read_only_without_key);
  g_test_add_func ("/sextant/knowledge/sealed/migration", test_migration);
  g_test_add_func ("/sextant/knowledge/sealed/migration-killed", test_migration_killed);
  g_test_add_func ("/sextant/knowledge/sealed/migration-killed/subprocess", test_migration_killed_child);
  g_test_add_func ("/sextant/knowledge/sealed/upgrade", test_upgrade);

  return g_test_run ();
}
