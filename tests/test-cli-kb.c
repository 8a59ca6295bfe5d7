#define G_LOG_DOMAIN "test-cli-kb"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cli-fixture.h"
#include "kb-fixtures.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* `sextant-cli kb` as scripts use it (issue 16's contract): add, list, remove and search, online
 * against the fake Bedrock (Titan embeddings) and offline. */

static const char *cli_path;

typedef struct
{
  CliFixture  cli;
  char       *library;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *scan = NULL;
  const guint all[] = { 1 };

  cli_fixture_setup (&f->cli, cli_path);
  f->library = g_build_filename (f->cli.home, "library", NULL);
  g_mkdir_with_parents (f->library, 0700);
  kb_fixture_write_corpus (f->library);
  scan = g_build_filename (f->library, "scan.pdf", NULL);
  kb_fixture_write_pdf (scan, 1, NULL, all, 1);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->library);
  cli_fixture_teardown (&f->cli);
}

static JsonObject *
parse_object (const char  *text,
              JsonParser **parser)
{
  g_autoptr(GError) error = NULL;

  *parser = json_parser_new ();
  json_parser_load_from_data (*parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (*parser));
}

static void
check_first_result_page_12 (const char *json,
                            const char *search)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root = parse_object (json, &parser);
  JsonArray *results = json_object_get_array_member (root, "results");
  JsonObject *first;

  g_assert_cmpuint (json_array_get_length (results), >=, 1);
  g_assert_cmpuint (json_array_get_length (results), <=, 5);
  first = json_array_get_object_element (results, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "document"), ==, "investment-policy.pdf");
  g_assert_true (g_path_is_absolute (json_object_get_string_member (first, "path")));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (first, "path"), "/library/investment-policy.pdf"));
  g_assert_cmpint (json_object_get_int_member (first, "page"), ==, 12);
  g_assert_nonnull (strstr (json_object_get_string_member (first, "text"), KB_PAGE12_SENTENCE));
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (first, "score")));
  g_assert_cmpstr (json_object_get_string_member (root, "search"), ==, search);
  /* Best first; a document without pages has page null. */
  for (guint i = 1; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);

      g_assert_cmpfloat (json_object_get_double_member (r, "score"), <=,
                         json_object_get_double_member (json_array_get_object_element (results, i - 1), "score"));
      if (!g_str_has_suffix (json_object_get_string_member (r, "document"), ".pdf"))
        g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (r, "page")));
    }
}

static void
test_add_list_search_remove (Fixture       *f,
                             gconstpointer  data)
{
  const char *add[] = { "kb", "add", f->library, NULL };
  const char *list[] = { "kb", "list", "--format", "json", NULL };
  const char *search[] = { "kb", "search", "single issuer concentration limit", "--format", "json", NULL };
  const char *offline[] = { "kb", "search", "single issuer limit", "--offline", "--format", "json", NULL };
  const char *text_search[] = { "kb", "search", "single issuer", "--top-k", "1", NULL };
  const char *remove[] = { "kb", "remove", "investment-policy.pdf", NULL };
  const char *remove_again[] = { "kb", "remove", "investment-policy.pdf", NULL };
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *documents;

  /* Indexed what it could, the scan named on stderr with its reason: exit 0. */
  g_assert_cmpint (cli_fixture_run (&f->cli, TRUE, NULL, add), ==, 0);
  g_assert_nonnull (strstr (f->cli.out, "5 indexed"));
  g_assert_nonnull (strstr (f->cli.err, "scan.pdf, page 1: no text layer"));
  g_assert_cmpuint (fake_bedrock_server_get_n_embeddings (f->cli.server), >, 15);

  g_assert_cmpint (cli_fixture_run (&f->cli, TRUE, NULL, list), ==, 0);
  documents = json_object_get_array_member (parse_object (f->cli.out, &parser), "documents");
  g_assert_cmpuint (json_array_get_length (documents), ==, 5);

  g_assert_cmpint (cli_fixture_run (&f->cli, TRUE, NULL, search), ==, 0);
  check_first_result_page_12 (f->cli.out, "hybrid");
  /* Offline: bm25 alone, and stderr says so. */
  g_assert_cmpint (cli_fixture_run (&f->cli, TRUE, NULL, offline), ==, 0);
  check_first_result_page_12 (f->cli.out, "bm25");
  g_assert_nonnull (strstr (f->cli.err, "keyword search only"));
  /* No credentials at all: the same search, keyword only. */
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, search), ==, 0);
  check_first_result_page_12 (f->cli.out, "bm25");

  g_assert_cmpint (cli_fixture_run (&f->cli, TRUE, NULL, text_search), ==, 0);
  g_assert_true (g_str_has_prefix (f->cli.out, "[1] investment-policy.pdf, page 12 (score "));

  g_assert_cmpint (cli_fixture_run (&f->cli, TRUE, NULL, remove), ==, 0);
  g_assert_cmpint (cli_fixture_run (&f->cli, TRUE, NULL, search), ==, 0);
  g_assert_null (strstr (f->cli.out, "investment-policy.pdf"));
  g_assert_cmpint (cli_fixture_run (&f->cli, TRUE, NULL, remove_again), ==, 3);
  g_assert_nonnull (strstr (f->cli.err, "investment-policy.pdf"));
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *scan = g_build_filename (f->library, "scan.pdf", NULL);
  const char *only_bad[] = { "kb", "add", scan, "/nonexistent/file.md", NULL };
  const char *no_verb[] = { "kb", NULL };
  const char *bad_verb[] = { "kb", "fetch", NULL };
  const char *bad_top_k[] = { "kb", "search", "x", "--top-k", "0", NULL };
  const char *no_words[] = { "kb", "search", "?!", NULL };
  const char *bad_dims[] = { "kb", "add", f->library, "--dimensions", "300", NULL };

  /* Nothing indexed: exit 3, each file named with why. */
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, only_bad), ==, 3);
  g_assert_nonnull (strstr (f->cli.err, "no text layer"));
  g_assert_nonnull (strstr (f->cli.err, "/nonexistent/file.md: no such file or folder"));
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, no_verb), ==, 2);
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, bad_verb), ==, 2);
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, bad_top_k), ==, 2);
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, no_words), ==, 3);
  g_assert_nonnull (strstr (f->cli.err, "Nothing to search for"));
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, bad_dims), ==, 2);
}

/* The "done when": a question whose answer is on page 12, answered with a citation of
 * that page — online (the model calls search_knowledge_base; the passage it gets back carries
 * document and page) and offline (the analyst quotes the passage and cites it). */
static void
test_ask_cites_page_12 (Fixture       *f,
                        gconstpointer  data)
{
  const char *add[] = { "kb", "add", f->library, NULL };
  const char *ask[] = { "ask", "--tools", "Does a 9% position in one issuer breach our investment policy?", NULL };
  const char *offline[] = { "ask", "--tools", "What does our investment policy say about a single issuer?", NULL };
  const char *export[] = { "conversations", "export", "1", "--format", "markdown", NULL };
  gboolean tool_result_seen = FALSE;

  g_assert_cmpint (cli_fixture_run (&f->cli, TRUE, NULL, add), ==, 0);
  fake_bedrock_server_push_tool_use (f->cli.server, "Checking the policy.", "tu-1", "search_knowledge_base",
                                     "{\"query\":\"single issuer concentration limit\"}");
  fake_bedrock_server_push_text (f->cli.server, "Yes: the policy caps any single issuer at seven percent [1].");
  g_assert_cmpint (cli_fixture_run (&f->cli, TRUE, NULL, ask), ==, 0);
  g_assert_nonnull (strstr (f->cli.err, "[tool] search_knowledge_base"));
  /* Streamed with the citation linked as it is stored, though "[1]" came in two pieces. */
  g_assert_nonnull (strstr (f->cli.out, "seven percent [[1]](<file://"));
  g_assert_nonnull (strstr (f->cli.out, "/library/investment-policy.pdf#page=12>).\n"));
  /* Stored with the citation linked to the passage's page, and exported with the passage. */
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, export), ==, 0);
  g_assert_nonnull (strstr (f->cli.out, "seven percent [[1]](<file://"));
  g_assert_nonnull (strstr (f->cli.out, "/library/investment-policy.pdf#page=12>).\n\n**Passages cited**\n\n"
                                        "- **[1]** *Investment Policy Statement*, [investment-policy.pdf, page 12]"));
  g_assert_nonnull (strstr (f->cli.out, KB_PAGE12_SENTENCE));
  for (guint i = 0; i < fake_bedrock_server_get_n_requests (f->cli.server); i++)
    {
      const FakeRequest *request = fake_bedrock_server_get_request (f->cli.server, i);
      g_autofree char *body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));

      /* The tool's result went back to the model with the passage, its document and page. */
      if (g_str_has_suffix (request->path, "/converse-stream") && strstr (body, "toolResult") != NULL)
        {
          g_assert_nonnull (strstr (body, KB_PAGE12_SENTENCE));
          g_assert_nonnull (strstr (body, "\"document\":\"investment-policy.pdf\""));
          g_assert_nonnull (strstr (body, "\"page\":12"));
          g_assert_nonnull (strstr (body, "\"id\":1"));
          tool_result_seen = TRUE;
        }
    }
  g_assert_true (tool_result_seen);

  /* No AWS account: the offline analyst answers from the documents, with the citation. */
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, offline), ==, 0);
  g_assert_nonnull (strstr (f->cli.out, "Offline analyst"));
  g_assert_nonnull (strstr (f->cli.out, KB_PAGE12_SENTENCE));
  g_assert_nonnull (strstr (f->cli.out, "[1] *Investment Policy Statement* ([investment-policy.pdf, page 12](<file://"));
}

/* The tool results the model was sent, in order. */
static GPtrArray *
tool_results_sent (Fixture *f)
{
  GPtrArray *bodies = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < fake_bedrock_server_get_n_requests (f->cli.server); i++)
    {
      const FakeRequest *request = fake_bedrock_server_get_request (f->cli.server, i);
      char *body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));

      if (g_str_has_suffix (request->path, "/converse-stream") && strstr (body, "toolResult") != NULL)
        g_ptr_array_add (bodies, body);
      else
        g_free (body);
    }

  return bodies;
}

/* Tags: `kb add --tag` gives them (to files already indexed too), `kb list` shows them,
 * `kb search --tag` and the assistant's search_knowledge_base (input "tag") search only the
 * documents carrying one; a tag nobody carries is exit 3, a malformed one exit 2. */
static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *policy = g_build_filename (f->library, "investment-policy.pdf", NULL);
  g_autofree char *manual = g_build_filename (f->library, "risk-manual.md", NULL);
  const char *add[] = { "kb", "add", f->library, NULL };
  const char *tag_policy[] = { "kb", "add", policy, "--tag", "Policy", "--tag", "limits", NULL };
  const char *tag_manual[] = { "kb", "add", manual, "--tag", "limits", NULL };
  const char *list[] = { "kb", "list", "--format", "json", NULL };
  const char *list_text[] = { "kb", "list", NULL };
  const char *search_policy[] = { "kb", "search", "committee limits", "--tag", "policy", "--format", "json", NULL };
  const char *search_limits[] = { "kb", "search", "committee limits", "--tag", "LIMITS", "--format", "json", NULL };
  const char *search_untagged[] = { "kb", "search", "committee limits", "--format", "json", NULL };
  const char *search_nobody[] = { "kb", "search", "limit", "--tag", "minutes", NULL };
  const char *list_tag[] = { "kb", "list", "--tag", "policy", NULL };
  const char *two_tags[] = { "kb", "search", "limit", "--tag", "a", "--tag", "b", NULL };
  const char *comma[] = { "kb", "add", policy, "--tag", "a,b", NULL };
  const char *ask[] = { "ask", "--tools", "What limits apply to a single issuer?", NULL };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) sent = NULL;
  JsonArray *documents, *results;

  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, add), ==, 0);
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, tag_policy), ==, 0);
  g_assert_nonnull (strstr (f->cli.out, "0 indexed, 1 unchanged"));
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, tag_manual), ==, 0);

  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, list), ==, 0);
  documents = json_object_get_array_member (parse_object (f->cli.out, &parser), "documents");
  for (guint i = 0; i < json_array_get_length (documents); i++)
    {
      JsonObject *document = json_array_get_object_element (documents, i);
      JsonArray *tags = json_object_get_array_member (document, "tags");
      const char *name = json_object_get_string_member (document, "document");

      if (g_str_equal (name, "investment-policy.pdf"))
        {
          g_assert_cmpuint (json_array_get_length (tags), ==, 2);
          g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "limits");
          g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "Policy");
        }
      else if (g_str_equal (name, "risk-manual.md"))
        {
          g_assert_cmpuint (json_array_get_length (tags), ==, 1);
          g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "limits");
        }
      else
        g_assert_cmpuint (json_array_get_length (tags), ==, 0);
    }
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, list_text), ==, 0);
  g_assert_nonnull (strstr (f->cli.out, "investment-policy.pdf  [limits, Policy]\n"));

  /* Untagged, the policy, the manual and the minutes all speak of the committee; with a tag,
   * only the documents carrying it. */
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, search_untagged), ==, 0);
  g_clear_object (&parser);
  results = json_object_get_array_member (parse_object (f->cli.out, &parser), "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    g_hash_table_add (seen, (gpointer) json_object_get_string_member (json_array_get_object_element (results, i),
                                                                      "document"));
  g_assert_true (g_hash_table_contains (seen, "investment-policy.pdf"));
  g_assert_true (g_hash_table_contains (seen, "risk-manual.md"));
  g_assert_true (g_hash_table_contains (seen, "meeting-minutes.txt"));

  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, search_policy), ==, 0);
  g_clear_object (&parser);
  results = json_object_get_array_member (parse_object (f->cli.out, &parser), "results");
  g_assert_cmpuint (json_array_get_length (results), >=, 1);
  for (guint i = 0; i < json_array_get_length (results); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, i), "document"), ==,
                     "investment-policy.pdf");

  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, search_limits), ==, 0);
  g_clear_object (&parser);
  g_hash_table_remove_all (seen);
  results = json_object_get_array_member (parse_object (f->cli.out, &parser), "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    g_hash_table_add (seen, (gpointer) json_object_get_string_member (json_array_get_object_element (results, i),
                                                                      "document"));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2);
  g_assert_true (g_hash_table_contains (seen, "investment-policy.pdf"));
  g_assert_true (g_hash_table_contains (seen, "risk-manual.md"));

  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, search_nobody), ==, 3);
  g_assert_nonnull (strstr (f->cli.err, "No document is tagged “minutes”"));
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, list_tag), ==, 2);
  g_assert_nonnull (strstr (f->cli.err, "--tag is an option of kb add and kb search"));
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, two_tags), ==, 2);
  g_assert_cmpint (cli_fixture_run (&f->cli, FALSE, NULL, comma), ==, 2);
  g_assert_nonnull (strstr (f->cli.err, "“a,b” is not a tag"));

  /* The assistant's tool: "tag" limits its passages; a tag nobody carries comes back as an
   * error the model reads. */
  fake_bedrock_server_push_tool_use (f->cli.server, "", "tu-1", "search_knowledge_base",
                                     "{\"query\":\"limit\",\"tag\":\"Policy\",\"top_k\":10}");
  fake_bedrock_server_push_tool_use (f->cli.server, "", "tu-2", "search_knowledge_base",
                                     "{\"query\":\"limit\",\"tag\":\"minutes\"}");
  fake_bedrock_server_push_text (f->cli.server, "Seven percent [1].");
  g_assert_cmpint (cli_fixture_run (&f->cli, TRUE, NULL, ask), ==, 0);
  sent = tool_results_sent (f);
  g_assert_cmpuint (sent->len, ==, 2);
  g_assert_nonnull (strstr (sent->pdata[0], "\"document\":\"investment-policy.pdf\""));
  g_assert_null (strstr (sent->pdata[0], "\"document\":\"risk-manual.md\""));
  g_assert_null (strstr (sent->pdata[0], "\"document\":\"meeting-minutes.txt\""));
  g_assert_nonnull (strstr (sent->pdata[1], "No document is tagged “minutes”"));
  g_assert_nonnull (strstr (sent->pdata[1], "\"status\":\"error\""));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  g_test_add ("/sextant/cli-kb/add-list-search-remove", Fixture, NULL, fixture_setup, test_add_list_search_remove,
              fixture_teardown);
  g_test_add ("/sextant/cli-kb/bad-input", Fixture, NULL, fixture_setup, test_bad_input, fixture_teardown);
  g_test_add ("/sextant/cli-kb/ask-cites-page-12", Fixture, NULL, fixture_setup, test_ask_cites_page_12,
              fixture_teardown);
  g_test_add ("/sextant/cli-kb/tags", Fixture, NULL, fixture_setup, test_tags, fixture_teardown);

  return g_test_run ();
}
