#define G_LOG_DOMAIN "test-knowledge"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "kb-fixtures.h"
#include "sextant-test-util.h"

/* The knowledge base's text, chunks and store. Expected values are the fixtures' own words:
 * each generated PDF page names its number and topic, and page 12 alone holds
 * KB_PAGE12_SENTENCE (tests/kb-fixtures.c). */

static void
test_pdf_pages (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "policy.pdf", NULL);
  g_autoptr(SextantKbText) text = NULL;
  g_autoptr(GError) error = NULL;

  kb_fixture_write_pdf (path, 15, "Investment Policy Statement", NULL, 0);
  text = sextant_kb_text_extract (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (text->paged);
  g_assert_cmpint (text->format, ==, SEXTANT_KB_FORMAT_PDF);
  g_assert_cmpstr (text->title, ==, "Investment Policy Statement");
  g_assert_cmpuint (text->pages->len, ==, 15);
  g_assert_cmpuint (text->pages_without_text->len, ==, 0);
  for (guint i = 0; i < 15; i++)
    {
      g_autofree char *heading = g_strdup_printf ("Section %u:", i + 1);

      g_assert_nonnull (strstr (text->pages->pdata[i], heading));
      g_assert_cmpint (strstr (text->pages->pdata[i], KB_PAGE12_SENTENCE) != NULL, ==, i == 11);
    }
  sextant_test_remove_temp_dir (dir);
}

static void
test_scanned_pdf (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "scan.pdf", NULL);
  g_autofree char *partial = g_build_filename (dir, "partial.pdf", NULL);
  const guint all[] = { 1, 2, 3 };
  const guint some[] = { 2 };
  g_autoptr(SextantKbText) text = NULL;
  g_autoptr(SextantKbText) partial_text = NULL;
  g_autoptr(GError) error = NULL;

  kb_fixture_write_pdf (path, 3, NULL, all, 3);
  text = sextant_kb_text_extract (path, NULL, &error);
  g_assert_null (text);
  g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NO_TEXT_LAYER);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "page 1"));
  g_assert_nonnull (strstr (error->message, "no text layer"));
  g_clear_error (&error);

  /* A document with one scanned page keeps its other pages and says which one it lost. */
  kb_fixture_write_pdf (partial, 3, NULL, some, 1);
  partial_text = sextant_kb_text_extract (partial, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (partial_text->pages->len, ==, 3);
  g_assert_cmpuint (partial_text->pages_without_text->len, ==, 1);
  g_assert_cmpuint (g_array_index (partial_text->pages_without_text, guint, 0), ==, 2);
  sextant_test_remove_temp_dir (dir);
}

static void
test_text_formats (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *html = NULL, *md = NULL, *csv = NULL, *bad = NULL, *empty = NULL;
  g_autoptr(SextantKbText) html_text = NULL;
  g_autoptr(SextantKbText) md_text = NULL;
  g_autoptr(SextantKbText) csv_text = NULL;
  g_autoptr(SextantKbText) none = NULL;
  g_autoptr(GError) error = NULL;
  const char *page;

  kb_fixture_write_corpus (dir);
  html = g_build_filename (dir, "research-note.html", NULL);
  html_text = sextant_kb_text_extract (html, NULL, &error);
  g_assert_no_error (error);
  page = html_text->pages->pdata[0];
  g_assert_cmpstr (html_text->title, ==, "Research note: Microsoft");
  g_assert_false (html_text->paged);
  g_assert_nonnull (strstr (page, "Cloud revenue grew strongly and margins expanded."));
  /* Scripts, styles, the head and the markup are not text a reader sees. */
  g_assert_null (strstr (page, "tracking"));
  g_assert_null (strstr (page, "color"));
  g_assert_null (strstr (page, "<p>"));
  g_assert_null (strstr (page, "Research note"));
  /* Paragraphs stay paragraphs. */
  g_assert_nonnull (strstr (page, "Microsoft outlook\n\nCloud revenue"));

  md = g_build_filename (dir, "risk-manual.md", NULL);
  md_text = sextant_kb_text_extract (md, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md_text->title, ==, "Risk Manual");
  g_assert_true (g_str_has_prefix (md_text->pages->pdata[0], "# Risk Manual\n"));

  csv = g_build_filename (dir, "approved-brokers.csv", NULL);
  csv_text = sextant_kb_text_extract (csv, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (csv_text->title, ==, "approved-brokers.csv");
  g_assert_nonnull (strstr (csv_text->pages->pdata[0], "Alpenblick Bank,Switzerland,2020"));

  bad = kb_fixture_write_file (dir, "photo.jpeg", "not really");
  none = sextant_kb_text_extract (bad, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "photo.jpeg"));
  g_clear_error (&error);

  empty = kb_fixture_write_file (dir, "empty.txt", " \n\n  ");
  none = sextant_kb_text_extract (empty, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_EMPTY);
  sextant_test_remove_temp_dir (dir);
}

/* A text of many numbered sentences in paragraphs, some with non-ASCII letters, so byte and
 * character offsets differ. */
static char *
sentences_text (guint n)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (text, "Sentence %u says the fund’s exposure is %s and reviewed yearly.", i,
                              i % 3 == 0 ? "limité" : "bounded");
      g_string_append (text, i % 7 == 6 ? "\n\n" : " ");
    }

  return g_string_free (text, FALSE);
}

static void
test_chunker (void)
{
  g_autofree char *text = sentences_text (400);
  SextantKbChunkOptions options;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GError) error = NULL;
  gsize max_chars, covered_to = 0;

  sextant_kb_chunk_options_init (&options);
  g_assert_cmpuint (options.max_tokens, ==, 300);
  g_assert_cmpfloat (options.overlap, ==, 0.15);
  max_chars = options.max_tokens * SEXTANT_KB_CHARS_PER_TOKEN;
  spans = sextant_kb_chunk_text (text, &options);
  g_assert_cmpuint (spans->len, >, 10);
  for (guint i = 0; i < spans->len; i++)
    {
      const SextantKbSpan *span = &g_array_index (spans, SextantKbSpan, i);
      g_autofree char *chunk = g_strndup (text + span->start, span->end - span->start);

      /* Within size, on sentence boundaries, character offsets true to the bytes. */
      g_assert_cmpuint (span->char_end - span->char_start, <=, max_chars);
      g_assert_cmpuint (span->char_end - span->char_start, >=, max_chars / 2);
      g_assert_true (g_str_has_prefix (chunk, "Sentence "));
      g_assert_true (g_str_has_suffix (chunk, "yearly."));
      g_assert_cmpuint (g_utf8_strlen (chunk, -1), ==, span->char_end - span->char_start);
      g_assert_cmpuint (g_utf8_pointer_to_offset (text, text + span->start), ==, span->char_start);
      /* Every chunk starts no later than where the one before ended: nothing is skipped. */
      g_assert_cmpuint (span->start, <=, covered_to + 1);
      if (i > 0)
        {
          const SextantKbSpan *previous = &g_array_index (spans, SextantKbSpan, i - 1);
          gsize overlap = previous->char_end > span->char_start ? previous->char_end - span->char_start : 0;

          g_assert_cmpuint (span->start, >, previous->start);
          g_assert_cmpuint (overlap, <=, (gsize) (options.overlap * max_chars));
        }
      covered_to = span->end;
    }
  g_assert_cmpuint (covered_to, ==, strlen (g_strchomp (text)));

  /* No overlap asked, none given; smaller chunks make more of them. */
  {
    SextantKbChunkOptions small = { 64, 0 };
    g_autoptr(GArray) small_spans = sextant_kb_chunk_text (text, &small);

    g_assert_cmpuint (small_spans->len, >, spans->len);
    for (guint i = 1; i < small_spans->len; i++)
      g_assert_cmpuint (g_array_index (small_spans, SextantKbSpan, i).start, >=,
                        g_array_index (small_spans, SextantKbSpan, i - 1).end);
  }

  /* A sentence longer than a chunk is cut between words, never inside one. */
  {
    g_autoptr(GString) run_on = g_string_new (NULL);
    SextantKbChunkOptions tiny = { 16, 0.15 };
    g_autoptr(GArray) pieces = NULL;

    for (guint i = 0; i < 100; i++)
      g_string_append (run_on, "word ");
    pieces = sextant_kb_chunk_text (run_on->str, &tiny);
    g_assert_cmpuint (pieces->len, >, 5);
    for (guint i = 0; i < pieces->len; i++)
      {
        const SextantKbSpan *span = &g_array_index (pieces, SextantKbSpan, i);

        g_assert_cmpuint (span->end - span->start, <=, 64);
        g_assert_cmpint (run_on->str[span->start], ==, 'w');
        g_assert_cmpint (run_on->str[span->end - 1], ==, 'd');
      }
  }

  {
    SextantKbChunkOptions bad = { 8, 0.15 };
    SextantKbChunkOptions bad_overlap = { 300, 0.9 };

    g_assert_false (sextant_kb_chunk_options_check (&bad, &error));
    g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (sextant_kb_chunk_options_check (&bad_overlap, &error));
    g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID);
  }
}

static SextantKbStore *
open_kb (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (":memory:", &error);

  g_assert_no_error (error);

  return sextant_kb_store_new (store);
}

static gint64
count_rows (SextantKbStore *kb,
            const char     *sql)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (sextant_kb_store_get_store (kb), sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  return sqlite3_column_int64 (stmt, 0);
}

static void
test_store_lifecycle (void)
{
  g_autoptr(SextantKbStore) kb = open_kb ();
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = kb_fixture_write_file (dir, "notes.txt", "Gold is a hedge against inflation.\n");
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  SextantKbAddOutcome outcome;
  SextantKbDocument *document;
  gint64 id, chunks_before;

  g_assert_true (sextant_kb_store_add_file (kb, path, NULL, NULL, &outcome, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, SEXTANT_KB_ADD_NEW);
  /* The first add sets FTS5's automerge to 16 (faster indexing, tests/bench/bench-knowledge). */
  {
    g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (sextant_kb_store_get_store (kb),
                                                          "SELECT v FROM kb_chunks_fts_config WHERE k = 'automerge'", NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 16);
  }
  documents = sextant_kb_store_list (kb, &error);
  g_assert_cmpuint (documents->len, ==, 1);
  document = documents->pdata[0];
  g_assert_cmpstr (document->path, ==, path);
  g_assert_cmpstr (document->title, ==, "notes.txt");
  g_assert_cmpint (document->size, ==, strlen ("Gold is a hedge against inflation.\n"));
  /* sha256sum of the same 35 bytes */
  g_assert_cmpstr (document->sha256, ==, "d5ba00b26dd90c466fc5c92e58f4f0385e58bfe4ebee73853e18834ea398a8f3");
  g_assert_cmpuint (document->n_pages, ==, 0);
  g_assert_cmpint (document->n_chunks, ==, 1);
  g_assert_cmpint (llabs (document->added_at - g_get_real_time () / G_USEC_PER_SEC), <, 60);

  /* The same file again: nothing to do. */
  chunks_before = count_rows (kb, "SELECT max(id) FROM kb_chunks");
  g_assert_true (sextant_kb_store_add_file (kb, path, NULL, NULL, &outcome, NULL, &error));
  g_assert_cmpint (outcome, ==, SEXTANT_KB_ADD_UNCHANGED);
  g_assert_cmpint (count_rows (kb, "SELECT max(id) FROM kb_chunks"), ==, chunks_before);

  /* Changed: its chunks are replaced, and the index follows. */
  g_free (kb_fixture_write_file (dir, "notes.txt", "Silver is too volatile for the reserve.\n"));
  g_assert_true (sextant_kb_store_add_file (kb, path, NULL, NULL, &outcome, NULL, &error));
  g_assert_cmpint (outcome, ==, SEXTANT_KB_ADD_UPDATED);
  g_assert_cmpint (count_rows (kb, "SELECT count(*) FROM kb_chunks"), ==, 1);
  hits = sextant_kb_store_search_bm25 (kb, "gold", 0, 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_array_unref);
  hits = sextant_kb_store_search_bm25 (kb, "silver", 0, 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);

  /* Removed by file name: no chunk, no index entry, no vector left. */
  id = sextant_kb_store_find_document (kb, "notes.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (sextant_kb_store_remove (kb, id, &error));
  g_assert_cmpint (count_rows (kb, "SELECT count(*) FROM kb_chunks"), ==, 0);
  g_assert_cmpint (count_rows (kb, "SELECT count(*) FROM kb_chunks_fts WHERE kb_chunks_fts MATCH 'silver'"), ==, 0);
  g_assert_cmpint (sextant_kb_store_find_document (kb, "notes.txt", &error), ==, 0);
  g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NOT_FOUND);
  sextant_test_remove_temp_dir (dir);
}

static void
test_store_page_12 (void)
{
  g_autoptr(SextantKbStore) kb = open_kb ();
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *pdf = g_build_filename (dir, "investment-policy.pdf", NULL);
  g_autoptr(GPtrArray) passages = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(SextantKbText) text = NULL;
  g_autoptr(GError) error = NULL;
  const char * const names[] = { "investment-policy.pdf", "risk-manual.md", "research-note.html",
                                 "approved-brokers.csv", "meeting-minutes.txt" };
  SextantKbQuery query = { .text = "What is the limit on a single issuer?", .top_k = 5 };
  SextantKbPassage *best;
  g_autofree char *span_text = NULL;
  const char *page_text;

  kb_fixture_write_corpus (dir);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_assert_true (sextant_kb_store_add_file (kb, path, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  documents = sextant_kb_store_list (kb, &error);
  g_assert_cmpuint (documents->len, ==, 5);
  g_assert_cmpstr (((SextantKbDocument *) documents->pdata[0])->title, ==, "approved-brokers.csv");
  g_assert_cmpstr (((SextantKbDocument *) documents->pdata[1])->title, ==, "Investment Policy Statement");
  g_assert_cmpuint (((SextantKbDocument *) documents->pdata[1])->n_pages, ==, 15);
  /* One chunk per page at the least: a chunk never spans two pages. */
  g_assert_cmpint (((SextantKbDocument *) documents->pdata[1])->n_chunks, ==, 15);
  g_assert_cmpint (count_rows (kb, "SELECT count(DISTINCT page) FROM kb_chunks WHERE page IS NOT NULL"), ==, 15);

  passages = sextant_kb_store_search (kb, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (passages->len, >=, 1);
  best = passages->pdata[0];
  g_assert_cmpstr (best->path, ==, pdf);
  g_assert_cmpuint (best->page, ==, 12);
  g_assert_nonnull (strstr (best->text, KB_PAGE12_SENTENCE));
  g_assert_cmpfloat (best->score, >, 0);
  for (guint i = 1; i < passages->len; i++)
    g_assert_cmpfloat (((SextantKbPassage *) passages->pdata[i])->score, <=,
                       ((SextantKbPassage *) passages->pdata[i - 1])->score);
  /* The span is the passage's place in the page's text. */
  text = sextant_kb_text_extract (pdf, NULL, &error);
  page_text = text->pages->pdata[11];
  span_text = g_utf8_substring (page_text, best->char_start, best->char_end);
  g_assert_cmpstr (span_text, ==, best->text);

  /* Filtered by another document, the PDF's page is not among the results. */
  query.document_id = sextant_kb_store_find_document (kb, "risk-manual.md", &error);
  g_clear_pointer (&passages, g_ptr_array_unref);
  passages = sextant_kb_store_search (kb, &query, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < passages->len; i++)
    g_assert_cmpstr (((SextantKbPassage *) passages->pdata[i])->title, ==, "Risk Manual");

  /* A question without words is an error, not an empty answer. */
  query.text = "?! …";
  g_clear_pointer (&passages, g_ptr_array_unref);
  passages = sextant_kb_store_search (kb, &query, &error);
  g_assert_null (passages);
  g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID);
  sextant_test_remove_temp_dir (dir);
}

static GArray *
read_scored (JsonArray *pairs)
{
  GArray *scored = g_array_new (FALSE, FALSE, sizeof (SextantKbScored));

  for (guint i = 0; i < json_array_get_length (pairs); i++)
    {
      JsonArray *pair = json_array_get_array_element (pairs, i);
      SextantKbScored entry = { json_array_get_int_element (pair, 0), json_array_get_double_element (pair, 1) };

      g_array_append_val (scored, entry);
    }

  return scored;
}

/* Fusion against numpy: tests/data/knowledge/make-rrf-reference.py ranks the same scores and
 * fuses them on its own; ids must come in the same order, scores agree to rounding. */
static void
test_rrf_reference (void)
{
  g_autofree char *path = sextant_test_reference_path ("knowledge/rrf-reference.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) semantic = NULL;
  g_autoptr(GArray) lexical = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) fused = NULL;
  GArray *rankings[2];
  JsonObject *root;
  JsonArray *lists;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  lists = json_object_get_array_member (root, "lists");
  semantic = read_scored (json_array_get_array_element (lists, 0));
  lexical = read_scored (json_array_get_array_element (lists, 1));
  expected = read_scored (json_object_get_array_member (root, "fused"));
  sextant_kb_rank_sort (semantic);
  sextant_kb_rank_sort (lexical);
  rankings[0] = semantic;
  rankings[1] = lexical;
  fused = sextant_kb_rank_fuse (rankings, 2, json_object_get_double_member (root, "k"));
  g_assert_cmpfloat (json_object_get_double_member (root, "k"), ==, SEXTANT_KB_RRF_K);
  g_assert_cmpuint (fused->len, ==, expected->len);
  for (guint i = 0; i < fused->len; i++)
    {
      g_assert_cmpint (g_array_index (fused, SextantKbScored, i).id, ==, g_array_index (expected, SextantKbScored, i).id);
      g_assert_cmpfloat_with_epsilon (g_array_index (fused, SextantKbScored, i).score,
                                      g_array_index (expected, SextantKbScored, i).score, 1e-15);
    }
}

/* The scan against a plain double-precision loop, and top-k against a full sort. */
static void
test_dot_scan (void)
{
  const guint dims = 37, n = 500;
  g_autofree float *matrix = g_new (float, n * dims);
  g_autofree float *query = g_new (float, dims);
  g_autofree float *scores = g_new (float, n);
  g_autofree gint64 *ids = g_new (gint64, n);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (SextantKbScored));
  g_autoptr(GArray) top = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);

  for (guint i = 0; i < n * dims; i++)
    matrix[i] = g_rand_double_range (rand, -1, 1);
  for (guint i = 0; i < dims; i++)
    query[i] = g_rand_double_range (rand, -1, 1);
  sextant_kb_dot_products (matrix, n, dims, query, scores);
  for (guint r = 0; r < n; r++)
    {
      double sum = 0;
      SextantKbScored entry;

      for (guint i = 0; i < dims; i++)
        sum += (double) matrix[r * dims + i] * query[i];
      g_assert_cmpfloat_with_epsilon (scores[r], sum, 1e-4);
      ids[r] = 1000 + r;
      entry = (SextantKbScored) { ids[r], scores[r] };
      g_array_append_val (all, entry);
    }
  sextant_kb_rank_sort (all);
  top = sextant_kb_top_k (scores, ids, n, 7);
  g_assert_cmpuint (top->len, ==, 7);
  for (guint i = 0; i < 7; i++)
    g_assert_cmpint (g_array_index (top, SextantKbScored, i).id, ==, g_array_index (all, SextantKbScored, i).id);
}

/* The exact scan's best k, filtered rows dropped: what the quantized search must give. */
static GArray *
exact_top_k (const float  *matrix,
             gsize         n,
             guint         dims,
             const gint64 *ids,
             const guint8 *excluded,
             const float  *query,
             guint         k)
{
  g_autofree float *scores = g_new (float, MAX (n, 1));
  GArray *top;

  sextant_kb_dot_products (matrix, n, dims, query, scores);
  for (gsize r = 0; r < n; r++)
    if (excluded != NULL && excluded[r])
      scores[r] = -G_MAXFLOAT;
  top = sextant_kb_top_k (scores, ids, n, k);
  while (top->len > 0 && g_array_index (top, SextantKbScored, top->len - 1).score == -G_MAXFLOAT)
    g_array_set_size (top, top->len - 1);

  return top;
}

static void
check_quantized (const float  *matrix,
                 gsize         n,
                 guint         dims,
                 const gint64 *ids,
                 const guint8 *excluded,
                 const float  *query,
                 guint         k)
{
  const char * const kernels[] = { NULL, "sse2", "plain" };
  g_autoptr(SextantKbQuantized) quantized = sextant_kb_quantize (matrix, n, dims);
  g_autoptr(GArray) exact = exact_top_k (matrix, n, dims, ids, excluded, query, k);

  for (guint kernel = 0; kernel < G_N_ELEMENTS (kernels); kernel++)
    {
      g_autoptr(GArray) got = NULL;
      guint n_exact;

      if (kernels[kernel] != NULL)
        g_setenv ("SEXTANT_KB_KERNEL", kernels[kernel], TRUE);
      else
        g_unsetenv ("SEXTANT_KB_KERNEL");
      got = sextant_kb_quantized_top_k (quantized, matrix, ids, excluded, query, k, &n_exact);
      g_assert_cmpuint (got->len, ==, exact->len);
      g_assert_cmpuint (n_exact, >=, got->len);
      for (guint i = 0; i < got->len; i++)
        {
          g_assert_cmpint (g_array_index (got, SextantKbScored, i).id, ==, g_array_index (exact, SextantKbScored, i).id);
          g_assert_true (g_array_index (got, SextantKbScored, i).score == g_array_index (exact, SextantKbScored, i).score);
        }
    }
  g_unsetenv ("SEXTANT_KB_KERNEL");
}

static void
normalize (float *v,
           guint  dims)
{
  double norm = 0;

  for (guint i = 0; i < dims; i++)
    norm += (double) v[i] * v[i];
  for (guint i = 0; i < dims && norm > 0; i++)
    v[i] /= sqrt (norm);
}

/* The int8 first pass and float32 second pass give the float32 scan's top k, row for row and
 * score for score, with every kernel: on random unit vectors, on near-duplicates closer than
 * the int8 codes can tell apart, on exact duplicates (ties broken by id), with zero rows, with
 * rows filtered out, with k above the rows left, and at a dimension that is no multiple of 32. */
static void
test_quantized_scan (void)
{
  const guint dims_list[] = { 1024, 256, 37 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (1016);

  for (guint d = 0; d < G_N_ELEMENTS (dims_list); d++)
    {
      const guint dims = dims_list[d], n = 3000;
      g_autofree float *matrix = g_new (float, n * dims);
      g_autofree float *query = g_new (float, dims);
      g_autofree gint64 *ids = g_new (gint64, n);
      g_autofree guint8 *excluded = g_new0 (guint8, n);

      for (guint r = 0; r < n; r++)
        {
          float *row = matrix + r * dims;

          ids[r] = 7 + 3 * (gint64) r;
          if (r < 1000)
            /* random directions */
            for (guint i = 0; i < dims; i++)
              row[i] = g_rand_double_range (rand, -1, 1);
          else if (r < 2000)
            /* one direction with noise far below an int8 step */
            for (guint i = 0; i < dims; i++)
              row[i] = matrix[i] + g_rand_double_range (rand, -1e-4, 1e-4);
          else if (r < 2990)
            /* copies of row 1000 + (r % 20): ties */
            memcpy (row, matrix + (1000 + r % 20) * dims, dims * sizeof (float));
          else
            memset (row, 0, dims * sizeof (float));
          if (r < 2990)
            normalize (row, dims);
          excluded[r] = r % 3 == 1;
        }
      /* A query near the cluster, one near a random row, and one at a random direction. */
      for (guint q = 0; q < 3; q++)
        {
          for (guint i = 0; i < dims; i++)
            query[i] = (q == 0 ? matrix[i] : q == 1 ? matrix[5 * dims + i] : 0) + g_rand_double_range (rand, -0.02, 0.02);
          normalize (query, dims);
          check_quantized (matrix, n, dims, ids, NULL, query, 50);
          check_quantized (matrix, n, dims, ids, NULL, query, 1);
          check_quantized (matrix, n, dims, ids, excluded, query, 50);
          check_quantized (matrix, 40, dims, ids, excluded, query, 50);
          check_quantized (matrix, n, dims, ids, NULL, query, 0);
        }
    }
}

static void
test_vectors (void)
{
  g_autoptr(SextantKbStore) kb = open_kb ();
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *a = kb_fixture_write_file (dir, "a.txt", "Alpha one is the first paragraph of text.\n\nAlpha two is the second paragraph here.");
  g_autofree char *b = kb_fixture_write_file (dir, "b.txt", "Beta one.");
  g_autoptr(GPtrArray) todo = NULL;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  SextantKbChunkOptions small = { 16, 0 };
  gint64 b_id;
  gboolean stored;

  g_assert_true (sextant_kb_store_add_file (kb, a, &small, NULL, NULL, NULL, &error));
  g_assert_true (sextant_kb_store_add_file (kb, b, &small, NULL, NULL, NULL, &error));
  todo = sextant_kb_store_list_unembedded (kb, "m", 4, &error);
  g_assert_cmpuint (todo->len, ==, 3);
  /* Chunk i gets the i-th unit vector: the query (0.6, 0.8, 0, 0) prefers the second chunk. */
  for (guint i = 0; i < todo->len; i++)
    {
      float v[4] = { 0 };

      v[i] = 1;
      g_assert_true (sextant_kb_store_put_vector (kb, ((SextantKbPassage *) todo->pdata[i])->chunk_id, "m", 4, v,
                                                  &stored, &error));
      g_assert_true (stored);
    }
  g_clear_pointer (&todo, g_ptr_array_unref);
  todo = sextant_kb_store_list_unembedded (kb, "m", 4, &error);
  g_assert_cmpuint (todo->len, ==, 0);
  {
    const float q[4] = { 0.6f, 0.8f, 0, 0 };

    hits = sextant_kb_store_search_vectors (kb, q, "m", 4, 0, 10, &error);
    g_assert_cmpuint (hits->len, ==, 3);
    g_assert_cmpfloat_with_epsilon (g_array_index (hits, SextantKbScored, 0).score, 0.8, 1e-6);
    g_assert_cmpfloat_with_epsilon (g_array_index (hits, SextantKbScored, 1).score, 0.6, 1e-6);
    g_clear_pointer (&hits, g_array_unref);
    b_id = sextant_kb_store_find_document (kb, "b.txt", &error);
    hits = sextant_kb_store_search_vectors (kb, q, "m", 4, b_id, 10, &error);
    g_assert_cmpuint (hits->len, ==, 1);
    g_assert_cmpfloat (g_array_index (hits, SextantKbScored, 0).score, ==, 0);
  }
  /* Another model or dimension: every chunk is to be embedded again. */
  g_clear_pointer (&todo, g_ptr_array_unref);
  todo = sextant_kb_store_list_unembedded (kb, "m", 8, &error);
  g_assert_cmpuint (todo->len, ==, 3);
  /* A chunk removed meanwhile takes no vector, and that is no error. */
  g_assert_true (sextant_kb_store_remove (kb, b_id, &error));
  g_assert_true (sextant_kb_store_put_vector (kb, ((SextantKbPassage *) todo->pdata[2])->chunk_id, "m", 8,
                                              (const float[8]) { 1 }, &stored, &error));
  g_assert_false (stored);
  g_assert_cmpint (sextant_kb_store_count_vectors (kb, "m", 4, &error), ==, 2);
  sextant_test_remove_temp_dir (dir);
}

static gboolean
only_documents (GPtrArray   *passages,
                const char  *path_a,
                const char  *path_b)
{
  for (guint i = 0; i < passages->len; i++)
    {
      const char *path = ((SextantKbPassage *) passages->pdata[i])->path;

      if (g_strcmp0 (path, path_a) != 0 && g_strcmp0 (path, path_b) != 0)
        return FALSE;
    }

  return TRUE;
}

/* Tags: given, listed, matched without regard to case, kept through a re-index and gone with
 * their document; a search limited to a tag sees only its documents, by keyword and by vector;
 * a tag no document carries is an error that names it. */
static void
test_tags (void)
{
  g_autoptr(SextantKbStore) kb = open_kb ();
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *policy = kb_fixture_write_file (dir, "policy.md", "# Policy\n\nThe single issuer limit is seven percent.\n");
  g_autofree char *manual = kb_fixture_write_file (dir, "manual.md", "# Manual\n\nA breach of the VaR limit is escalated.\n");
  g_autofree char *note = kb_fixture_write_file (dir, "note.txt", "A note on the issuer limit of the fund.\n");
  g_autofree char *long_tag = g_strnfill (65, 't');
  const char *bad[] = { "", "   ", "a,b", "x\ty", long_tag, "\xff\xfe" };
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) passages = NULL;
  g_autoptr(GPtrArray) todo = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tags = NULL;
  const float toward_note[3] = { 0, 0, 1 };
  SextantKbQuery query = { .text = "issuer limit", .top_k = 5 };
  SextantKbAddOutcome outcome;
  gint64 policy_id, manual_id;

  g_assert_true (sextant_kb_store_add_file (kb, policy, NULL, NULL, NULL, NULL, &error));
  g_assert_true (sextant_kb_store_add_file (kb, manual, NULL, NULL, NULL, NULL, &error));
  g_assert_true (sextant_kb_store_add_file (kb, note, NULL, NULL, NULL, NULL, &error));
  policy_id = sextant_kb_store_find_document (kb, "policy.md", &error);
  manual_id = sextant_kb_store_find_document (kb, "manual.md", &error);
  g_assert_no_error (error);

  g_assert_true (sextant_kb_store_add_tag (kb, policy_id, "Policy", &error));
  g_assert_true (sextant_kb_store_add_tag (kb, policy_id, "POLICY", &error));
  g_assert_true (sextant_kb_store_add_tag (kb, policy_id, " limits ", &error));
  g_assert_true (sextant_kb_store_add_tag (kb, manual_id, "limits", &error));
  g_assert_true (sextant_kb_store_add_tag (kb, manual_id, "risk", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (kb, "SELECT count(*) FROM kb_document_tags"), ==, 4);
  tags = sextant_kb_store_list_tags (kb, &error);
  g_assert_cmpstrv (tags, ((const char * const[]) { "limits", "Policy", "risk", NULL }));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (sextant_kb_store_add_tag (kb, policy_id, bad[i], &error));
      g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_false (sextant_kb_store_add_tag (kb, 9999, "policy", &error));
  g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Listed with their documents, sorted; a document without tags has none. */
  documents = sextant_kb_store_list (kb, &error);
  g_assert_cmpstr (((SextantKbDocument *) documents->pdata[0])->title, ==, "Manual");
  g_assert_cmpstrv (((SextantKbDocument *) documents->pdata[0])->tags,
                    ((const char * const[]) { "limits", "risk", NULL }));
  g_assert_cmpstr (((SextantKbDocument *) documents->pdata[1])->title, ==, "note.txt");
  g_assert_null (((SextantKbDocument *) documents->pdata[1])->tags[0]);
  g_assert_cmpstrv (((SextantKbDocument *) documents->pdata[2])->tags,
                    ((const char * const[]) { "limits", "Policy", NULL }));
  {
    g_autoptr(SextantKbDocument) copy = sextant_kb_document_copy (documents->pdata[2]);

    g_assert_cmpstrv (copy->tags, ((const char * const[]) { "limits", "Policy", NULL }));
  }

  /* By keyword: all three match; the tag keeps one or two. */
  passages = sextant_kb_store_search (kb, &query, &error);
  g_assert_cmpuint (passages->len, ==, 3);
  g_clear_pointer (&passages, g_ptr_array_unref);
  query.tag = "policy";
  passages = sextant_kb_store_search (kb, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (passages->len, ==, 1);
  g_assert_cmpstr (((SextantKbPassage *) passages->pdata[0])->path, ==, policy);
  g_clear_pointer (&passages, g_ptr_array_unref);
  query.tag = "Limits";
  passages = sextant_kb_store_search (kb, &query, &error);
  g_assert_cmpuint (passages->len, ==, 2);
  g_assert_true (only_documents (passages, policy, manual));
  g_clear_pointer (&passages, g_ptr_array_unref);

  /* By vector too: the note's chunk is the nearest, yet outside the tag it is not found. */
  todo = sextant_kb_store_list_unembedded (kb, "m", 3, &error);
  g_assert_cmpuint (todo->len, ==, 3);
  for (guint i = 0; i < todo->len; i++)
    {
      float v[3] = { 0 };

      v[i] = 1;
      g_assert_true (sextant_kb_store_put_vector (kb, ((SextantKbPassage *) todo->pdata[i])->chunk_id, "m", 3, v,
                                                  NULL, &error));
    }
  query.text = "breach";
  query.vector = toward_note;
  query.model = "m";
  query.dims = 3;
  query.tag = NULL;
  passages = sextant_kb_store_search (kb, &query, &error);
  /* “breach” is only in the manual: the others are found by their vectors, the note first. */
  g_assert_cmpuint (passages->len, ==, 3);
  g_assert_false (only_documents (passages, policy, manual));
  g_clear_pointer (&passages, g_ptr_array_unref);
  query.tag = "limits";
  passages = sextant_kb_store_search (kb, &query, &error);
  g_assert_cmpuint (passages->len, ==, 2);
  g_assert_true (only_documents (passages, policy, manual));
  g_clear_pointer (&passages, g_ptr_array_unref);

  /* A tag nobody carries is named, not an empty answer. */
  query.tag = "minutes";
  g_assert_null (sextant_kb_store_search (kb, &query, &error));
  g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“minutes”"));
  g_clear_error (&error);

  /* A changed file is re-indexed with its tags; removing a tag or the document drops them. */
  g_free (kb_fixture_write_file (dir, "policy.md", "# Policy\n\nThe single issuer limit is five percent.\n"));
  g_assert_true (sextant_kb_store_add_file (kb, policy, NULL, NULL, &outcome, NULL, &error));
  g_assert_cmpint (outcome, ==, SEXTANT_KB_ADD_UPDATED);
  g_assert_cmpint (count_rows (kb, "SELECT count(*) FROM kb_document_tags"), ==, 4);
  /* Replaced all at once, blanks skipped; one wrong tag changes nothing. */
  g_assert_false (sextant_kb_store_set_tags (kb, policy_id, (const char * const[]) { "x", "a\tb", NULL }, &error));
  g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (kb, "SELECT count(*) FROM kb_document_tags"), ==, 4);
  g_assert_true (sextant_kb_store_set_tags (kb, policy_id, (const char * const[]) { " Policy", " ", "", "ESG ", NULL },
                                            &error));
  g_assert_no_error (error);
  g_clear_pointer (&documents, g_ptr_array_unref);
  documents = sextant_kb_store_list (kb, &error);
  g_assert_cmpstrv (((SextantKbDocument *) documents->pdata[2])->tags, ((const char * const[]) { "ESG", "Policy", NULL }));
  g_assert_true (sextant_kb_store_remove_tag (kb, policy_id, "esg", &error));
  g_assert_true (sextant_kb_store_remove_tag (kb, policy_id, "policy", &error));
  g_assert_true (sextant_kb_store_add_tag (kb, policy_id, "limits", &error));
  g_assert_true (sextant_kb_store_remove (kb, manual_id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&tags, g_strfreev);
  tags = sextant_kb_store_list_tags (kb, &error);
  g_assert_cmpstrv (tags, ((const char * const[]) { "limits", NULL }));
  sextant_test_remove_temp_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/knowledge/text/pdf-pages", test_pdf_pages);
  g_test_add_func ("/sextant/knowledge/text/scanned-pdf", test_scanned_pdf);
  g_test_add_func ("/sextant/knowledge/text/formats", test_text_formats);
  g_test_add_func ("/sextant/knowledge/chunker", test_chunker);
  g_test_add_func ("/sextant/knowledge/store/lifecycle", test_store_lifecycle);
  g_test_add_func ("/sextant/knowledge/store/page-12", test_store_page_12);
  g_test_add_func ("/sextant/knowledge/rank/rrf", test_rrf_reference);
  g_test_add_func ("/sextant/knowledge/rank/dot-scan", test_dot_scan);
  g_test_add_func ("/sextant/knowledge/rank/quantized-scan", test_quantized_scan);
  g_test_add_func ("/sextant/knowledge/store/vectors", test_vectors);
  g_test_add_func ("/sextant/knowledge/store/tags", test_tags);

  return g_test_run ();
}
