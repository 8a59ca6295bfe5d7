#define G_LOG_DOMAIN "bench-knowledge"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <time.h>
#include <string.h>

#include "sextant-core.h"

/* The knowledge base's numbers (issue 16), each beside a baseline measured in the same run:
 *  - the exact scan of 100,000 vectors at 1024 and 256 dimensions, against one pass summing the
 *    same bytes (what memory bandwidth allows) and against a one-accumulator loop;
 *  - a hybrid query end to end (FTS5 bm25 + scan + fusion) over 100,000 chunks;
 *  - chunking and FTS indexing of text, against reading the same file and against SQLite's FTS5
 *    alone indexing the same chunks (the floor for any FTS5 index of them: what remains is
 *    Sextant's own work, reading, hashing, chunking and storing the rows).
 * SEXTANT_BENCH_KB_ROWS changes the number of vectors and chunks. Nothing is asserted. */

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* This process's CPU time: on a shared machine the wall clock also counts others' work. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);

  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* The bandwidth baseline: every float read once, eight sums so the loop vectorises. */
static __attribute__ ((noinline)) float
sum_all (const float *m,
         gsize        n)
{
  float acc[8] = { 0 };
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    for (guint j = 0; j < 8; j++)
      acc[j] += m[i + j];

  return acc[0] + acc[1] + acc[2] + acc[3] + acc[4] + acc[5] + acc[6] + acc[7];
}

static __attribute__ ((noinline)) void
naive_dots (const float *m,
            gsize        rows,
            guint        dims,
            const float *q,
            float       *out)
{
  for (gsize r = 0; r < rows; r++)
    {
      float s = 0;

      for (guint i = 0; i < dims; i++)
        s += m[r * dims + i] * q[i];
      out[r] = s;
    }
}

static double
best_of (int    repeats,
         double (*run) (gpointer),
         gpointer data)
{
  double best = G_MAXDOUBLE;

  for (int i = 0; i < repeats; i++)
    best = MIN (best, run (data));

  return best;
}

typedef struct
{
  float              *matrix;
  float              *query;
  float              *scores;
  gint64             *ids;
  gsize               rows;
  guint               dims;
  float               sink;
  SextantKbQuantized *quantized;
  guint               n_exact;
} Scan;

static double
run_scan (gpointer data)
{
  Scan *s = data;
  double t = now_ms ();
  g_autoptr(GArray) top = NULL;

  sextant_kb_dot_products (s->matrix, s->rows, s->dims, s->query, s->scores);
  top = sextant_kb_top_k (s->scores, s->ids, s->rows, 50);

  return now_ms () - t;
}

/* What the knowledge store runs: int8 codes first, then the float32 rows that can be among the
 * best (sextant-kb-quantized.c). */
static double
run_quantized (gpointer data)
{
  Scan *s = data;
  double t = now_ms ();
  g_autoptr(GArray) top = sextant_kb_quantized_top_k (s->quantized, s->matrix, s->ids, NULL, s->query, 50, &s->n_exact);

  return now_ms () - t;
}

static gboolean
same_top (Scan *s)
{
  g_autoptr(GArray) exact = NULL;
  g_autoptr(GArray) quick = sextant_kb_quantized_top_k (s->quantized, s->matrix, s->ids, NULL, s->query, 50, NULL);

  sextant_kb_dot_products (s->matrix, s->rows, s->dims, s->query, s->scores);
  exact = sextant_kb_top_k (s->scores, s->ids, s->rows, 50);
  if (exact->len != quick->len)
    return FALSE;
  for (guint i = 0; i < exact->len; i++)
    if (g_array_index (exact, SextantKbScored, i).id != g_array_index (quick, SextantKbScored, i).id ||
        g_array_index (exact, SextantKbScored, i).score != g_array_index (quick, SextantKbScored, i).score)
      return FALSE;

  return TRUE;
}

static double
run_sum (gpointer data)
{
  Scan *s = data;
  double t = now_ms ();

  s->sink += sum_all (s->matrix, s->rows * s->dims);

  return now_ms () - t;
}

static double
run_naive (gpointer data)
{
  Scan *s = data;
  double t = now_ms ();

  naive_dots (s->matrix, s->rows, s->dims, s->query, s->scores);

  return now_ms () - t;
}

static void
bench_scan (gsize rows,
            guint dims)
{
  Scan s = { NULL };
  g_autoptr(GRand) rand = g_rand_new_with_seed (dims);
  double scan, sum, naive, quantized, quantizing, quantizing_cpu, t;

  s.rows = rows;
  s.dims = dims;
  s.matrix = g_new (float, rows * dims);
  s.query = g_new (float, dims);
  s.scores = g_new (float, rows);
  s.ids = g_new (gint64, rows);
  for (gsize i = 0; i < rows * dims; i++)
    s.matrix[i] = (float) g_rand_double_range (rand, -0.05, 0.05);
  for (guint i = 0; i < dims; i++)
    s.query[i] = (float) g_rand_double_range (rand, -0.05, 0.05);
  for (gsize r = 0; r < rows; r++)
    s.ids[r] = r + 1;
  scan = best_of (5, run_scan, &s);
  sum = best_of (5, run_sum, &s);
  naive = best_of (3, run_naive, &s);
  printf ("float32 scan %zu × %u (%.0f MB): %.1f ms, top 50 included (%.2f GB/s); reading the same bytes %.1f ms "
          "(ratio %.2f); one-accumulator loop %.1f ms (ratio %.2f)\n",
          rows, dims, rows * dims * 4 / 1e6, scan, rows * dims * 4 / 1e6 / scan, sum, scan / sum, naive, scan / naive);
  t = now_ms ();
  quantizing_cpu = cpu_ms ();
  s.quantized = sextant_kb_quantize (s.matrix, rows, dims);
  quantizing = now_ms () - t;
  quantizing_cpu = cpu_ms () - quantizing_cpu;
  quantized = best_of (5, run_quantized, &s);
  printf ("exact search as the store runs it (int8 codes, %.0f MB, then %u rows in float32; %s kernel): %.1f ms "
          "(target %u ms); the float32 scan %.1f ms (ratio %.2f); same top 50 as the float32 scan: %s; "
          "making the codes once when the vectors are read: %.0f ms (CPU %.0f ms)\n",
          rows * s.quantized->stride / 1e6, s.n_exact, sextant_kb_quantized_get_kernel (), quantized,
          dims >= 1024 ? 40 : 10, scan, quantized / scan, same_top (&s) ? "yes" : "NO", quantizing, quantizing_cpu);
  sextant_kb_quantized_free (s.quantized);
  g_free (s.matrix);
  g_free (s.query);
  g_free (s.scores);
  g_free (s.ids);
}

/* Words of a made-up language with a Zipf-like spread (a few very common, most rare), as real
 * text has: a query's words then match some chunks, not all of them. */
static const char * const syllables[] = {
  "ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe", "qui", "ro", "su", "ta", "ve",
  "wi", "xo", "yu", "za", "bre", "cla", "dro", "fri", "glo", "pra", "sti", "tru", "vla",
};

static void
append_word (GString *text,
             guint    index)
{
  guint n = G_N_ELEMENTS (syllables);

  g_string_append (text, syllables[index % n]);
  g_string_append (text, syllables[(index / n) % n]);
  if (index >= n * n)
    g_string_append (text, syllables[(index / (n * n)) % n]);
}

static char *
random_text (GRand *rand,
             guint  n_words)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    {
      double u = g_rand_double (rand);

      append_word (text, (guint) (20000 * u * u * u));
      g_string_append (text, (i + 1) % 15 == 0 ? ". " : " ");
      if ((i + 1) % 150 == 0)
        g_string_append (text, "\n\n");
    }

  return g_string_free (text, FALSE);
}

static void
bench_hybrid (gsize rows)
{
  const guint dims = 256;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (":memory:", &error);
  g_autoptr(SextantKbStore) kb = sextant_kb_store_new (store);
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);
  g_autoptr(sqlite3_stmt) chunk = NULL;
  g_autoptr(sqlite3_stmt) entry = NULL;
  g_autoptr(sqlite3_stmt) vector = NULL;
  g_autofree float *v = g_new (float, dims);
  g_autofree float *q = g_new (float, dims);
  GString *words = g_string_new (NULL);
  SextantKbQuery query = { NULL, q, "bench", dims, 0, 5 };
  double t, hybrid = G_MAXDOUBLE, lexical = G_MAXDOUBLE;

  g_assert_no_error (error);
  sextant_store_exec (store, "INSERT INTO kb_documents (path, title, format, size, sha256, added_at, indexed_at) "
                             "VALUES ('/bench', 'bench', 'text', 0, '', 0, 0)", &error);
  /* The FTS5 setting the store's first add makes (sextant-kb-store.c, tune_fts). */
  sextant_store_exec (store, "INSERT INTO kb_chunks_fts (kb_chunks_fts, rank) VALUES ('automerge', 16)", &error);
  chunk = sextant_store_prepare (store, "INSERT INTO kb_chunks (document_id, ord, char_start, char_end, text) "
                                        "VALUES (1, ?1, 0, 0, ?2)", &error);
  /* The knowledge store writes each chunk's index entry beside it; so does this. */
  entry = sextant_store_prepare (store, "INSERT INTO kb_chunks_fts (rowid, text) VALUES (?1, ?2)", &error);
  vector = sextant_store_prepare (store, "INSERT INTO kb_vectors VALUES (?1, 'bench', ?2, ?3)", &error);
  t = now_ms ();
  sextant_store_begin (store, &error);
  for (gsize r = 0; r < rows; r++)
    {
      g_autofree char *text = random_text (rand, 60);
      double norm = 0;

      for (guint i = 0; i < dims; i++)
        {
          v[i] = (float) g_rand_double_range (rand, -1, 1);
          norm += v[i] * (double) v[i];
        }
      for (guint i = 0; i < dims; i++)
        v[i] /= sqrt (norm);
      sqlite3_reset (chunk);
      sqlite3_bind_int64 (chunk, 1, r);
      sqlite3_bind_text (chunk, 2, text, -1, SQLITE_TRANSIENT);
      sqlite3_step (chunk);
      sqlite3_reset (entry);
      sqlite3_bind_int64 (entry, 1, sqlite3_last_insert_rowid (sextant_store_get_db (store)));
      sqlite3_bind_text (entry, 2, text, -1, SQLITE_TRANSIENT);
      sqlite3_step (entry);
      sqlite3_reset (vector);
      sqlite3_bind_int64 (vector, 1, sqlite3_last_insert_rowid (sextant_store_get_db (store)));
      sqlite3_bind_int (vector, 2, dims);
      sqlite3_bind_blob (vector, 3, v, dims * sizeof (float), SQLITE_TRANSIENT);
      sqlite3_step (vector);
    }
  sextant_store_commit (store, &error);
  g_assert_no_error (error);
  printf ("(stored %zu chunks of 60 words with %u-dimension vectors in %.0f ms)\n", rows, dims, now_ms () - t);
  memcpy (q, v, dims * sizeof (float));
  /* Four words of middling frequency, as a question's content words are. */
  for (guint w = 0; w < 4; w++)
    {
      append_word (words, 300 + 700 * w);
      g_string_append_c (words, ' ');
    }
  query.text = words->str;
  /* The first query reads the vectors into memory; the others find them there. */
  t = now_ms ();
  g_ptr_array_unref (sextant_kb_store_search (kb, &query, &error));
  printf ("hybrid query, first (reads the vectors): %.1f ms\n", now_ms () - t);
  for (int i = 0; i < 5; i++)
    {
      SextantKbQuery keywords = query;

      t = now_ms ();
      g_ptr_array_unref (sextant_kb_store_search (kb, &query, &error));
      hybrid = MIN (hybrid, now_ms () - t);
      keywords.vector = NULL;
      t = now_ms ();
      g_ptr_array_unref (sextant_kb_store_search (kb, &keywords, &error));
      lexical = MIN (lexical, now_ms () - t);
    }
  g_assert_no_error (error);
  printf ("hybrid query over %zu chunks (bm25 + scan + fusion, top 5): %.1f ms; bm25 alone %.1f ms (ratio %.2f)\n",
          rows, hybrid, lexical, hybrid / lexical);
  g_string_free (words, TRUE);
}

/* The chunks the knowledge base made, indexed again by FTS5 alone, with the knowledge base's
 * tokenizer and settings, in a database of its own: CPU ms. */
static double
fts5_alone (SextantStore *store,
            guint         automerge,
            gsize        *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) other = sextant_store_open (":memory:", NULL, 0, &error);
  g_autoptr(sqlite3_stmt) read = sextant_store_prepare (store, "SELECT id, text FROM kb_chunks ORDER BY id", &error);
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  double cpu;

  g_assert_no_error (error);
  *bytes = 0;
  while (sqlite3_step (read) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (read, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (texts, g_strdup ((const char *) sqlite3_column_text (read, 1)));
      *bytes += sqlite3_column_bytes (read, 1);
    }
  sextant_store_exec (other, "CREATE TABLE c (id INTEGER PRIMARY KEY, text TEXT);"
                             "CREATE VIRTUAL TABLE f USING fts5 (text, content='c', content_rowid='id',"
                             "  tokenize='porter unicode61 remove_diacritics 2');"
                             "INSERT INTO f (f, rank) VALUES ('hashsize', 2097152)", &error);
  g_assert_no_error (error);
  {
    g_autofree char *setting = g_strdup_printf ("INSERT INTO f (f, rank) VALUES ('automerge', %u)", automerge);

    sextant_store_exec (other, setting, &error);
    g_assert_no_error (error);
  }
  insert = sextant_store_prepare (other, "INSERT INTO f (rowid, text) VALUES (?, ?)", &error);
  cpu = cpu_ms ();
  sextant_store_begin (other, &error);
  for (guint i = 0; i < texts->len; i++)
    {
      sqlite3_bind_int64 (insert, 1, g_array_index (ids, gint64, i));
      sqlite3_bind_text (insert, 2, texts->pdata[i], -1, SQLITE_STATIC);
      sextant_store_step_done (other, insert, &error);
    }
  sextant_store_commit (other, &error);
  g_assert_no_error (error);

  return cpu_ms () - cpu;
}

static void
bench_indexing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (":memory:", &error);
  g_autoptr(SextantKbStore) kb = sextant_kb_store_new (store);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *dir = g_dir_make_tmp ("bench-kb-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "corpus.txt", NULL);
  g_autofree char *text = random_text (rand, 3000000);
  g_autofree char *back = NULL;
  gsize length = strlen (text), read_length, chunk_bytes;
  double t, cpu, reading, indexing, floor;

  g_file_set_contents (path, text, length, &error);
  g_assert_no_error (error);
  t = now_ms ();
  g_file_get_contents (path, &back, &read_length, &error);
  reading = now_ms () - t;
  t = now_ms ();
  cpu = cpu_ms ();
  sextant_kb_store_add_file (kb, path, NULL, NULL, NULL, NULL, &error);
  indexing = now_ms () - t;
  cpu = cpu_ms () - cpu;
  g_assert_no_error (error);
  printf ("chunking + FTS indexing of %.1f MB of text: %.0f ms, %.1f MB/s (CPU %.0f ms, %.1f MB/s); reading the file "
          "%.1f ms (ratio %.0f)\n", length / 1e6, indexing, length / 1e6 / (indexing / 1000), cpu,
          length / 1e6 / (cpu / 1000), reading, indexing / reading);
  floor = fts5_alone (sextant_kb_store_get_store (kb), 16, &chunk_bytes);
  printf ("SQLite's FTS5 alone indexing the same %.1f MB of chunks (overlaps included), with the knowledge base's "
          "settings: CPU %.0f ms, %.1f MB/s of the text (CPU ratio %.2f)\n",
          chunk_bytes / 1e6, floor, length / 1e6 / (floor / 1000), cpu / floor);
  floor = fts5_alone (sextant_kb_store_get_store (kb), 4, &chunk_bytes);
  printf ("the same with FTS5's default automerge (4) instead of 16: CPU %.0f ms, %.1f MB/s of the text "
          "(CPU ratio %.2f)\n", floor, length / 1e6 / (floor / 1000), cpu / floor);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  const char *rows_env = g_getenv ("SEXTANT_BENCH_KB_ROWS");
  gsize rows = rows_env != NULL ? g_ascii_strtoull (rows_env, NULL, 10) : 100000;

  bench_scan (rows, 1024);
  bench_scan (rows, 256);
  bench_hybrid (rows);
  bench_indexing ();

  return 0;
}
