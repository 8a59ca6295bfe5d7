#define G_LOG_DOMAIN "test-knowledge-index"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fake-bedrock-server.h"
#include "kb-fixtures.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* Indexing folders in a worker, embedding through the fake Bedrock (Titan InvokeModel, vectors
 * hashed from the words), and searching hybrid and offline. The corpus and its known answers
 * are tests/kb-fixtures.c's. */

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

typedef struct
{
  FakeBedrockServer    *server;
  SoupSession          *session;
  SextantBedrockClient *client;
  char                 *dir;
  char                 *corpus;
  SextantStore         *store;
  SextantKbStore       *kb;
  guint                 last_reading_done;
  guint                 last_reading_total;
  guint                 last_embedding_done;
  guint                 last_embedding_total;
  guint                 n_progress;
  GCancellable         *cancel_on_first_file;
  const char           *model;
  const char           *remove_while_embedding;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->server = fake_bedrock_server_new ("us-east-1", AKID, SECRET);
  f->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  config = sextant_aws_config_new_for_endpoint ("us-east-1", fake_bedrock_server_get_url (f->server));
  f->client = sextant_bedrock_client_new (config, provider, f->session);
  g_object_set (f->client, "retry-base-delay-ms", 1, "max-attempts", 2, NULL);
  f->dir = sextant_test_make_temp_dir ();
  f->corpus = g_build_filename (f->dir, "library", NULL);
  g_mkdir (f->corpus, 0700);
  kb_fixture_write_corpus (f->corpus);
  /* A file database, so that the worker indexes through a connection of its own. */
  db = g_build_filename (f->dir, "sextant.db", NULL);
  f->store = sextant_schema_open (db, &error);
  g_assert_no_error (error);
  f->kb = sextant_kb_store_new (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->kb);
  g_clear_object (&f->store);
  g_clear_object (&f->client);
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  fake_bedrock_server_free (f->server);
  sextant_test_remove_temp_dir (f->dir);
  g_free (f->dir);
  g_free (f->corpus);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
progress_cb (SextantKbIndexer *indexer,
             const char       *phase,
             const char       *path,
             guint             done,
             guint             total,
             Fixture          *f)
{
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  f->n_progress++;
  if (g_str_equal (phase, "reading"))
    {
      f->last_reading_done = done;
      f->last_reading_total = total;
      if (f->cancel_on_first_file != NULL && path != NULL)
        g_cancellable_cancel (f->cancel_on_first_file);
    }
  else
    {
      g_assert_cmpstr (phase, ==, "embedding");
      f->last_embedding_done = done;
      f->last_embedding_total = total;
      /* The user removes a document while its passages are being embedded. */
      if (f->remove_while_embedding != NULL && done == 1)
        {
          g_autoptr(GError) error = NULL;
          gint64 id = sextant_kb_store_find_document (f->kb, f->remove_while_embedding, &error);

          g_assert_no_error (error);
          g_assert_true (sextant_kb_store_remove (f->kb, id, &error));
          f->remove_while_embedding = NULL;
        }
    }
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static SextantKbReport *
run_add (Fixture             *f,
         SextantBedrockClient *client,
         guint                 dims,
         const char * const   *paths,
         GCancellable         *cancellable,
         GError              **error)
{
  g_autoptr(SextantKbIndexer) indexer = sextant_kb_indexer_new (f->kb);
  g_autoptr(GAsyncResult) result = NULL;

  sextant_kb_indexer_set_embedder (indexer, client, f->model, dims);
  g_signal_connect (indexer, "progress", G_CALLBACK (progress_cb), f);
  sextant_kb_indexer_add_async (indexer, paths, cancellable, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sextant_kb_indexer_add_finish (indexer, result, error);
}

static gint64
count_chunks (Fixture *f)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (f->store, "SELECT count(*) FROM kb_chunks", NULL);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  return sqlite3_column_int64 (stmt, 0);
}

static const SextantKbFileReport *
find_file (SextantKbReport *report,
           const char      *name)
{
  for (guint i = 0; i < report->files->len; i++)
    {
      const SextantKbFileReport *file = report->files->pdata[i];

      if (g_str_has_suffix (file->path, name))
        return file;
    }
  g_error ("%s is not in the report", name);
}

static void
test_folder_online (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *scan = g_build_filename (f->corpus, "scan.pdf", NULL);
  g_autofree char *photo = kb_fixture_write_file (f->dir, "photo.jpeg", "not a document");
  const guint all[] = { 1, 2 };
  const char *paths[] = { f->corpus, photo, NULL };
  g_autoptr(SextantKbReport) report = NULL;
  g_autoptr(SextantKbReport) again = NULL;
  g_autoptr(SextantKbSearcher) searcher = NULL;
  g_autoptr(SextantKbResults) results = NULL;
  g_autoptr(GError) error = NULL;
  SextantKbPassage *best;
  gint64 n_chunks;
  guint n_requests;

  kb_fixture_write_pdf (scan, 2, NULL, all, 2);
  report = run_add (f, f->client, 256, paths, NULL, &error);
  g_assert_no_error (error);
  /* Five documents indexed; the scan and the photo skipped, each with its reason. */
  g_assert_cmpuint (report->n_indexed, ==, 5);
  g_assert_cmpuint (report->n_failed, ==, 2);
  g_assert_nonnull (strstr (find_file (report, "scan.pdf")->error, "no text layer"));
  g_assert_nonnull (strstr (find_file (report, "scan.pdf")->error, "page 1"));
  g_assert_nonnull (strstr (find_file (report, "photo.jpeg")->error, "photo.jpeg"));
  g_assert_cmpuint (f->last_reading_done, ==, 7);
  g_assert_cmpuint (f->last_reading_total, ==, 7);
  /* Every chunk embedded once, progress to the end. */
  n_chunks = count_chunks (f);
  g_assert_cmpint (report->n_embedded, ==, n_chunks);
  g_assert_null (report->embedding_error);
  g_assert_cmpuint (f->last_embedding_done, ==, n_chunks);
  g_assert_cmpuint (fake_bedrock_server_get_n_embeddings (f->server), ==, n_chunks);
  g_assert_cmpint (sextant_kb_store_count_vectors (f->kb, SEXTANT_TITAN_EMBED_V2, 256, NULL), ==, n_chunks);
  n_requests = fake_bedrock_server_get_n_embeddings (f->server);

  /* Added again: nothing read, nothing embedded. */
  again = run_add (f, f->client, 256, paths, NULL, &error);
  g_assert_cmpuint (again->n_unchanged, ==, 5);
  g_assert_cmpuint (again->n_indexed, ==, 0);
  g_assert_cmpuint (again->n_embedded, ==, 0);
  g_assert_cmpuint (fake_bedrock_server_get_n_embeddings (f->server), ==, n_requests);

  searcher = sextant_kb_searcher_new (f->kb, f->client, NULL, 256);
  results = sextant_kb_searcher_search (searcher, "What is the limit on a single issuer?", 0, 5, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (results->hybrid);
  g_assert_null (results->offline_reason);
  best = results->passages->pdata[0];
  g_assert_true (g_str_has_suffix (best->path, "investment-policy.pdf"));
  g_assert_cmpuint (best->page, ==, 12);
  g_assert_nonnull (strstr (best->text, KB_PAGE12_SENTENCE));
  /* The question itself was embedded: one more request. */
  g_assert_cmpuint (fake_bedrock_server_get_n_embeddings (f->server), ==, n_requests + 1);
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  const char *paths[] = { f->corpus, NULL };
  g_autoptr(SextantKbReport) report = NULL;
  g_autoptr(SextantKbSearcher) searcher = NULL;
  g_autoptr(SextantKbResults) results = NULL;
  g_autoptr(GError) error = NULL;
  SextantKbPassage *best;

  report = run_add (f, NULL, 256, paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_indexed, ==, 5);
  g_assert_cmpuint (report->n_embedded, ==, 0);
  g_assert_cmpuint (fake_bedrock_server_get_n_embeddings (f->server), ==, 0);

  searcher = sextant_kb_searcher_new (f->kb, NULL, NULL, 256);
  results = sextant_kb_searcher_search (searcher, "single issuer limit", 0, 5, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (results->hybrid);
  g_assert_nonnull (results->offline_reason);
  best = results->passages->pdata[0];
  g_assert_cmpuint (best->page, ==, 12);

  /* With a client but no vectors of its model, the search says so and uses keywords. */
  g_clear_object (&searcher);
  g_clear_pointer (&results, sextant_kb_results_free);
  searcher = sextant_kb_searcher_new (f->kb, f->client, NULL, 256);
  results = sextant_kb_searcher_search (searcher, "single issuer limit", 0, 5, FALSE, NULL, &error);
  g_assert_false (results->hybrid);
  g_assert_nonnull (strstr (results->offline_reason, "256"));
  g_assert_cmpuint (fake_bedrock_server_get_n_embeddings (f->server), ==, 0);
}

/* Throttled past the client's retries, embedding stops with the reason; the next run embeds what
 * is left and nothing twice. */
static void
test_throttled_resume (Fixture       *f,
                       gconstpointer  data)
{
  const char *paths[] = { f->corpus, NULL };
  g_autoptr(SextantKbReport) first = NULL;
  g_autoptr(SextantKbReport) second = NULL;
  g_autoptr(SextantKbReport) third = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_chunks;

  /* One throttle is retried by the client unseen. */
  fake_bedrock_server_push_embedding_error (f->server, 429, "ThrottlingException", "Rate exceeded");
  first = run_add (f, f->client, 512, paths, NULL, &error);
  g_assert_no_error (error);
  n_chunks = count_chunks (f);
  g_assert_null (first->embedding_error);
  g_assert_cmpint (first->n_embedded, ==, n_chunks);

  /* A change of dimension re-embeds everything; two throttles in a row stop it at once. */
  fake_bedrock_server_push_embedding_error (f->server, 429, "ThrottlingException", "Rate exceeded");
  fake_bedrock_server_push_embedding_error (f->server, 429, "ThrottlingException", "Rate exceeded");
  second = run_add (f, f->client, 1024, paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->n_unchanged, ==, 5);
  g_assert_nonnull (second->embedding_error);
  g_assert_cmpuint (second->n_embedded, ==, 0);

  third = run_add (f, f->client, 1024, paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (third->embedding_error);
  g_assert_cmpint (third->n_embedded, ==, n_chunks);
  g_assert_cmpint (sextant_kb_store_count_vectors (f->kb, SEXTANT_TITAN_EMBED_V2, 1024, NULL), ==, n_chunks);
  /* One vector per chunk: the 512-dimension ones were replaced, not kept beside. */
  g_assert_cmpint (sextant_kb_store_count_vectors (f->kb, SEXTANT_TITAN_EMBED_V2, 512, NULL), ==, 0);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *paths[] = { f->corpus, NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SextantKbReport) report = NULL;
  g_autoptr(GError) error = NULL;

  f->cancel_on_first_file = cancellable;
  report = run_add (f, f->client, 256, paths, cancellable, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelled before the second file: at most the first one is there, whole. */
  g_assert_cmpint (count_chunks (f), <=, 15);
  g_assert_cmpuint (fake_bedrock_server_get_n_embeddings (f->server), ==, 0);
  f->cancel_on_first_file = NULL;
}

static void
test_removed_while_embedding (Fixture       *f,
                              gconstpointer  data)
{
  const char *paths[] = { f->corpus, NULL };
  g_autoptr(SextantKbReport) report = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  /* Embedding goes in chunk order; the policy's 15 pages come after the brokers' list. */
  f->remove_while_embedding = "investment-policy.pdf";
  report = run_add (f, f->client, 256, paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (report->embedding_error);
  g_assert_null (f->remove_while_embedding);
  stmt = sextant_store_prepare (f->store, "SELECT count(*) FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id "
                                          "WHERE d.path LIKE '%investment-policy.pdf'", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 0);
  /* No vector without its chunk, and every remaining chunk embedded once. */
  g_assert_cmpint (sextant_kb_store_count_vectors (f->kb, SEXTANT_TITAN_EMBED_V2, 256, NULL), ==, count_chunks (f));
  g_assert_cmpint (report->n_embedded, ==, count_chunks (f));
}

/* Retrieval quality on the corpus: for each question, the document (and page) that answers it,
 * written with the corpus. Recall at 5 is reported for the hybrid and the offline search. */
static const struct
{
  const char *question;
  const char *document;
  guint       page;
} known_answers[] = {
  { "What is the limit on a single issuer?", "investment-policy.pdf", 12 },
  { "Who must be told when the VaR limit is breached?", "risk-manual.md", 0 },
  { "Which brokers are approved in Switzerland?", "approved-brokers.csv", 0 },
  { "What is our view on Microsoft shares?", "research-note.html", 0 },
  { "How large is the emerging market debt mandate?", "meeting-minutes.txt", 0 },
  { "How often are stress scenarios replayed?", "risk-manual.md", 0 },
  { "May derivatives be used to hedge?", "investment-policy.pdf", 13 },
  { "What are the rebalancing bands?", "investment-policy.pdf", 9 },
};

static double
recall_at_5 (SextantKbSearcher *searcher,
             gboolean           offline)
{
  guint found = 0;

  for (guint q = 0; q < G_N_ELEMENTS (known_answers); q++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SextantKbResults) results = sextant_kb_searcher_search (searcher, known_answers[q].question, 0, 5,
                                                                       offline, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (results->hybrid, ==, !offline);
      for (guint i = 0; i < results->passages->len; i++)
        {
          SextantKbPassage *passage = results->passages->pdata[i];

          if (g_str_has_suffix (passage->path, known_answers[q].document) &&
              (known_answers[q].page == 0 || passage->page == known_answers[q].page))
            {
              found++;
              break;
            }
        }
    }

  return found / (double) G_N_ELEMENTS (known_answers);
}

/* The store's vector search reads int8 codes first (sextant-kb-quantized.c); on the corpus's
 * own vectors, each chunk's vector a query, its best 50 are the float32 scan's, row for row and
 * score for score, over all documents and within one. */
static void
check_scan_is_exact (Fixture *f)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (f->store, "SELECT v.chunk_id, c.document_id, v.model, v.vector "
                                                        "FROM kb_vectors v JOIN kb_chunks c ON c.id = v.chunk_id "
                                                        "WHERE v.dims = 1024 ORDER BY v.chunk_id", NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) documents = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) matrix = g_array_new (FALSE, FALSE, sizeof (float));
  g_autofree char *model = NULL;
  g_autofree float *scores = NULL;
  guint n;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0), document = sqlite3_column_int64 (stmt, 1);

      g_assert_cmpint (sqlite3_column_bytes (stmt, 3), ==, 1024 * sizeof (float));
      g_array_append_val (ids, id);
      g_array_append_val (documents, document);
      g_array_append_vals (matrix, sqlite3_column_blob (stmt, 3), 1024);
      if (model == NULL)
        model = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  n = ids->len;
  g_assert_cmpuint (n, >, 15);
  scores = g_new (float, n);
  for (guint q = 0; q < n; q++)
    {
      const float *query = &g_array_index (matrix, float, q * 1024);

      for (guint scope = 0; scope < 2; scope++)
        {
          gint64 document = scope == 0 ? 0 : g_array_index (documents, gint64, q);
          g_autoptr(GError) error = NULL;
          g_autoptr(GArray) got = sextant_kb_store_search_vectors (f->kb, query, model, 1024, document, 50, &error);
          g_autoptr(GArray) exact = NULL;

          g_assert_no_error (error);
          sextant_kb_dot_products ((const float *) (gpointer) matrix->data, n, 1024, query, scores);
          for (guint r = 0; r < n; r++)
            if (document != 0 && g_array_index (documents, gint64, r) != document)
              scores[r] = -G_MAXFLOAT;
          exact = sextant_kb_top_k (scores, (const gint64 *) (gpointer) ids->data, n, 50);
          while (exact->len > 0 && g_array_index (exact, SextantKbScored, exact->len - 1).score == -G_MAXFLOAT)
            g_array_set_size (exact, exact->len - 1);
          g_assert_cmpuint (got->len, ==, exact->len);
          for (guint i = 0; i < got->len; i++)
            {
              g_assert_cmpint (g_array_index (got, SextantKbScored, i).id, ==, g_array_index (exact, SextantKbScored, i).id);
              g_assert_true (g_array_index (got, SextantKbScored, i).score == g_array_index (exact, SextantKbScored, i).score);
            }
        }
    }
}

static void
test_recall (Fixture       *f,
             gconstpointer  data)
{
  const char *paths[] = { f->corpus, NULL };
  g_autoptr(SextantKbReport) report = NULL;
  g_autoptr(SextantKbSearcher) searcher = NULL;
  g_autoptr(GError) error = NULL;
  double hybrid, keywords;

  report = run_add (f, f->client, 1024, paths, NULL, &error);
  g_assert_no_error (error);
  check_scan_is_exact (f);
  searcher = sextant_kb_searcher_new (f->kb, f->client, NULL, 1024);
  hybrid = recall_at_5 (searcher, FALSE);
  keywords = recall_at_5 (searcher, TRUE);
  g_test_message ("top-5 recall on %u questions: hybrid %.2f, bm25 alone %.2f", (guint) G_N_ELEMENTS (known_answers),
                  hybrid, keywords);
  g_assert_cmpfloat (hybrid, >=, 0.875);
  g_assert_cmpfloat (keywords, >=, 0.875);
}

/* Cohere Embed v4: 96 chunks a request, passages and questions embedded as such, vectors scaled
 * to unit length by the client. */
static void
test_cohere (Fixture       *f,
             gconstpointer  data)
{
  const char *paths[] = { f->corpus, NULL };
  g_autoptr(SextantKbReport) report = NULL;
  g_autoptr(SextantKbSearcher) searcher = NULL;
  g_autoptr(SextantKbResults) results = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last_body = NULL;
  const FakeRequest *last;
  gint64 n_chunks;
  double norm = 0;

  f->model = SEXTANT_COHERE_EMBED_V4;
  report = run_add (f, f->client, 512, paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (report->embedding_error);
  n_chunks = count_chunks (f);
  g_assert_cmpint (report->n_embedded, ==, n_chunks);
  g_assert_cmpuint (fake_bedrock_server_get_n_embeddings (f->server), ==, (n_chunks + 95) / 96);
  g_assert_cmpstr (fake_bedrock_server_get_request (f->server, 0)->path, ==, "/model/cohere.embed-v4%3A0/invoke");
  stmt = sextant_store_prepare (f->store, "SELECT vector FROM kb_vectors WHERE model = 'cohere.embed-v4:0' LIMIT 1", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_bytes (stmt, 0), ==, 512 * sizeof (float));
  for (guint i = 0; i < 512; i++)
    norm += ((const float *) sqlite3_column_blob (stmt, 0))[i] * (double) ((const float *) sqlite3_column_blob (stmt, 0))[i];
  g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-5);

  searcher = sextant_kb_searcher_new (f->kb, f->client, SEXTANT_COHERE_EMBED_V4, 512);
  results = sextant_kb_searcher_search (searcher, "single issuer concentration limit", 0, 5, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (results->hybrid);
  g_assert_cmpuint (((SextantKbPassage *) results->passages->pdata[0])->page, ==, 12);
  last = fake_bedrock_server_get_request (f->server, fake_bedrock_server_get_n_requests (f->server) - 1);
  last_body = g_strndup (g_bytes_get_data (last->body, NULL), g_bytes_get_size (last->body));
  g_assert_nonnull (strstr (last_body, "\"input_type\":\"search_query\""));
  g_assert_nonnull (strstr (last_body, "\"output_dimension\":512"));
}

static SextantToolRegistry *
registry_with_knowledge (Fixture              *f,
                         SextantBedrockClient *client,
                         guint                 dims)
{
  g_autoptr(SextantWorkspace) workspace = sextant_test_load_demo_workspace ();
  g_autoptr(SextantToolData) data = sextant_tool_data_new (sextant_workspace_get_demo_set (workspace), NULL);
  g_autoptr(SextantKbSearcher) searcher = sextant_kb_searcher_new (f->kb, client, NULL, dims);

  sextant_tool_data_set_knowledge (data, searcher);

  return sextant_tool_registry_new_default (data);
}

/* The assistant's tool, run as the agent runs it (a worker thread), and the offline analyst. */
static void
test_agent_tool (Fixture       *f,
                 gconstpointer  data)
{
  const char *paths[] = { f->corpus, NULL };
  g_autoptr(SextantKbReport) report = NULL;
  g_autoptr(SextantToolRegistry) registry = NULL;
  g_autoptr(SextantToolRegistry) offline_registry = NULL;
  g_autoptr(SextantOfflineAnalyst) analyst = NULL;
  g_autoptr(JsonNode) input = json_from_string ("{\"query\":\"single issuer concentration limit\",\"top_k\":3}", NULL);
  g_autoptr(JsonNode) bad = json_from_string ("{\"query\":\"x\",\"document\":\"nowhere.pdf\"}", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  JsonObject *first;
  JsonArray *passages;

  report = run_add (f, f->client, 256, paths, NULL, &error);
  g_assert_no_error (error);
  registry = registry_with_knowledge (f, f->client, 256);
  g_assert_nonnull (sextant_tool_registry_lookup (registry, "search_knowledge_base"));
  sextant_tool_registry_invoke_async (registry, "search_knowledge_base", input, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  output = sextant_tool_registry_invoke_finish (registry, result, &error);
  g_assert_no_error (error);
  passages = json_object_get_array_member (json_node_get_object (output), "passages");
  g_assert_cmpuint (json_array_get_length (passages), ==, 3);
  first = json_array_get_object_element (passages, 0);
  g_assert_cmpint (json_object_get_int_member (first, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (first, "document"), ==, "investment-policy.pdf");
  g_assert_cmpint (json_object_get_int_member (first, "page"), ==, 12);
  g_assert_nonnull (strstr (json_object_get_string_member (first, "text"), KB_PAGE12_SENTENCE));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (first, "uri"), "file:///"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (first, "uri"), "/investment-policy.pdf#page=12"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_node_get_object (output), "search"), "hybrid"));

  /* A document filter naming nothing stored is an error the model is told. */
  g_assert_null (sextant_tool_registry_invoke (registry, "search_knowledge_base", bad, NULL, &error));
  g_assert_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NOT_FOUND);

  /* Offline: the analyst quotes the passage and cites its page. */
  offline_registry = registry_with_knowledge (f, NULL, 256);
  analyst = sextant_offline_analyst_new (offline_registry);
  answer = sextant_offline_analyst_answer (analyst, "What does our investment policy say about a single issuer?",
                                           NULL, NULL);
  g_assert_nonnull (strstr (answer, SEXTANT_OFFLINE_LABEL));
  g_assert_nonnull (strstr (answer, "> " KB_PAGE12_SENTENCE));
  g_assert_nonnull (strstr (answer, "[1] *Investment Policy Statement* ([investment-policy.pdf, page 12](<file://"));
  g_assert_nonnull (strstr (answer, "/library/investment-policy.pdf#page=12>))"));
  /* Questions about prices still go to the finance tools. */
  g_clear_pointer (&answer, g_free);
  answer = sextant_offline_analyst_answer (analyst, "RSI of MSFT", NULL, NULL);
  g_assert_null (strstr (answer, "From your documents"));
  g_assert_nonnull (strstr (answer, "RSI"));
}

/* A folder of @n_files Markdown notes of some four chunks each. */
static char *
write_folder (const char *dir,
              const char *name,
              guint       n_files)
{
  static const char * const words[] = {
    "duration", "hedge", "issuer", "liquidity", "mandate", "collateral", "committee", "benchmark",
    "tracking", "error", "currency", "exposure", "rebalancing", "custodian", "counterparty", "limit",
  };
  char *folder = g_build_filename (dir, name, NULL);

  g_mkdir (folder, 0700);
  for (guint f = 0; f < n_files; f++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *file = g_strdup_printf ("note-%03u.md", f);

      g_string_append_printf (text, "# Note %u\n\n", f);
      for (guint w = 0; w < 900; w++)
        {
          g_string_append (text, words[(w * 7 + f) % G_N_ELEMENTS (words)]);
          g_string_append (text, w % 12 == 11 ? ". " : " ");
          if (w % 150 == 149)
            g_string_append (text, "\n\n");
        }
      g_free (kb_fixture_write_file (folder, file, text->str));
    }

  return folder;
}

/* Indexing a folder three times larger holds no more in memory: one document's text at a time
 * and one page of chunks to embed, both counted by the core (an observable count, not a
 * timing); the report keeps only the files it has something to say about. */
static void
test_bounded_memory (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *small = write_folder (f->dir, "small", 12);
  g_autofree char *large = write_folder (f->dir, "large", 36);
  const char *small_paths[] = { small, NULL };
  const char *large_paths[] = { large, NULL };
  g_autoptr(SextantKbReport) baseline = NULL;
  g_autoptr(SextantKbReport) report = NULL;
  g_autoptr(GError) error = NULL;
  guint baseline_documents, documents;
  gint64 n_chunks;

  f->model = SEXTANT_COHERE_EMBED_V4;
  sextant_kb_text_get_peak_held (TRUE);
  baseline = run_add (f, f->client, 256, small_paths, NULL, &error);
  g_assert_no_error (error);
  baseline_documents = sextant_kb_text_get_peak_held (TRUE);
  n_chunks = count_chunks (f);
  g_assert_cmpuint (baseline->n_indexed, ==, 12);
  g_assert_cmpint (baseline->n_embedded, ==, n_chunks);

  report = run_add (f, f->client, 256, large_paths, NULL, &error);
  g_assert_no_error (error);
  documents = sextant_kb_text_get_peak_held (FALSE);
  g_assert_cmpuint (report->n_indexed, ==, 36);
  g_assert_null (report->embedding_error);
  g_assert_cmpint (report->n_embedded, ==, count_chunks (f) - n_chunks);
  g_test_message ("%u chunks: at most %u documents and %u chunks held (baseline of %u chunks: %u and %u)",
                  report->n_embedded, documents, report->max_chunks_held, baseline->n_embedded,
                  baseline_documents, baseline->max_chunks_held);
  /* Holding them all would be three pages and more. */
  g_assert_cmpuint (report->n_embedded, >, 3 * SEXTANT_COHERE_MAX_TEXTS);
  g_assert_cmpuint (report->max_chunks_held, <=, SEXTANT_COHERE_MAX_TEXTS);
  g_assert_cmpuint (report->max_chunks_held, ==, baseline->max_chunks_held);
  g_assert_cmpuint (documents, ==, 1);
  g_assert_cmpuint (baseline_documents, ==, 1);
  g_assert_cmpuint (report->files->len, ==, 0);
  g_assert_cmpuint (f->last_embedding_done, ==, report->n_embedded);
  g_assert_cmpuint (f->last_embedding_total, ==, report->n_embedded);
  g_assert_cmpuint (fake_bedrock_server_get_n_embeddings (f->server), ==,
                    (baseline->n_embedded + 95) / 96 + (report->n_embedded + 95) / 96);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sextant/knowledge/index/folder-online", Fixture, NULL, fixture_set_up, test_folder_online,
              fixture_tear_down);
  g_test_add ("/sextant/knowledge/index/offline", Fixture, NULL, fixture_set_up, test_offline, fixture_tear_down);
  g_test_add ("/sextant/knowledge/index/throttled-resume", Fixture, NULL, fixture_set_up, test_throttled_resume,
              fixture_tear_down);
  g_test_add ("/sextant/knowledge/index/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/sextant/knowledge/index/agent-tool", Fixture, NULL, fixture_set_up, test_agent_tool, fixture_tear_down);
  g_test_add ("/sextant/knowledge/index/removed-while-embedding", Fixture, NULL, fixture_set_up,
              test_removed_while_embedding, fixture_tear_down);
  g_test_add ("/sextant/knowledge/index/cohere", Fixture, NULL, fixture_set_up, test_cohere, fixture_tear_down);
  g_test_add ("/sextant/knowledge/index/recall", Fixture, NULL, fixture_set_up, test_recall, fixture_tear_down);
  g_test_add ("/sextant/knowledge/index/bounded-memory", Fixture, NULL, fixture_set_up, test_bounded_memory,
              fixture_tear_down);

  return g_test_run ();
}
