#define G_LOG_DOMAIN "test-citations"

#include "config.h"

#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* The knowledge base's citations in an answer: bare [n] become links to the passage's document
 * at its page, a second search of the same question is numbered after the first, and the
 * passages an answer cites are found again in a stored conversation, for its Markdown export
 * and the committee report. The tool results are written here the way search_knowledge_base
 * writes them (tests/test-knowledge-index.c checks the tool itself). */

#define POLICY_URI "file:///desk/investment-policy.pdf#page=12"
#define MANUAL_URI "file:///desk/risk-manual.md"
#define PAGE12 "The committee caps any single issuer at seven percent of net assets."

static JsonNode *
search_result (guint first_page)
{
  g_autofree char *json = g_strdup_printf (
    "{\"search\":\"keywords only (bm25), offline\",\"passages\":["
    "{\"id\":1,\"document\":\"investment-policy.pdf\",\"title\":\"Investment Policy Statement\",\"page\":%u,"
    "\"start\":0,\"end\":68,\"text\":\"" PAGE12 "\",\"uri\":\"file:///desk/investment-policy.pdf#page=%u\","
    "\"score\":2.5},"
    "{\"id\":2,\"document\":\"risk-manual.md\",\"title\":\"Risk Manual\",\"page\":null,\"start\":10,\"end\":90,"
    "\"text\":\"A breach of the VaR limit must be escalated\\nto the chief risk officer within one hour.\","
    "\"uri\":\"" MANUAL_URI "\",\"score\":1.5}],\"cite_as\":\"…\"}", first_page, first_page);

  return json_from_string (json, NULL);
}

static void
test_link (void)
{
  g_autoptr(SextantCitations) citations = sextant_citations_new ();
  g_autoptr(JsonNode) result = search_result (12);
  g_autofree char *linked = NULL;
  g_autofree char *unchanged = NULL;

  g_assert_true (sextant_citations_is_empty (citations));
  sextant_citations_add_result (citations, result, FALSE);
  g_assert_false (sextant_citations_is_empty (citations));

  linked = sextant_citations_link (citations,
                                   "Single issuers are capped at 7 % [1]. Escalate within the hour [1, 2].\n\n"
                                   "Not [3], nor `x[1]`, a[1], \\[1] or [1](<" MANUAL_URI ">), nor [[2]](<" MANUAL_URI ">).\n"
                                   "```\nlist[1]\n[1]\n```\n[2]");
  g_assert_cmpstr (linked, ==,
                   "Single issuers are capped at 7 % [[1]](<" POLICY_URI ">). Escalate within the hour "
                   "[[1]](<" POLICY_URI ">), [[2]](<" MANUAL_URI ">).\n\n"
                   "Not [3], nor `x[1]`, a[1], \\[1] or [1](<" MANUAL_URI ">), nor [[2]](<" MANUAL_URI ">).\n"
                   "```\nlist[1]\n[1]\n```\n[[2]](<" MANUAL_URI ">)");

  /* A reference definition is not a citation; with no passages nothing changes. */
  unchanged = sextant_citations_link (citations, "[1]: https://example.org/policy\n");
  g_assert_cmpstr (unchanged, ==, "[1]: https://example.org/policy\n");
  g_clear_pointer (&unchanged, g_free);
  {
    g_autoptr(SextantCitations) none = sextant_citations_new ();

    unchanged = sextant_citations_link (none, "capped [1].");
    g_assert_cmpstr (unchanged, ==, "capped [1].");
  }
}

/* The answer as it streams, cut into pieces of every size: what is given out adds up to the
 * linked answer, and only an undecided citation is held back. */
static void
test_stream (void)
{
  const char *answer = "Single issuers are capped at 7 % [1]. Escalate within the hour [1, 2].\n\n"
                       "Not [3], nor `x[1]`, a[1], \\[1] or [1](<" MANUAL_URI ">), nor [[2]](<" MANUAL_URI ">).\n"
                       "[1]: a definition\n```\nlist[1]\n[1]\n```\n[2]";
  g_autoptr(SextantCitations) citations = sextant_citations_new ();
  g_autoptr(JsonNode) result = search_result (12);
  g_autofree char *expected = NULL;
  gsize length = strlen (answer);

  sextant_citations_add_result (citations, result, FALSE);
  expected = sextant_citations_link (citations, answer);
  g_assert_nonnull (strstr (expected, "[[1]](<" POLICY_URI ">)"));
  for (gsize size = 1; size <= 9; size++)
    {
      g_autoptr(SextantCitationStream) stream = sextant_citation_stream_new ();
      g_autoptr(GString) shown = g_string_new (NULL);
      g_autofree char *rest = NULL;

      sextant_citation_stream_add_result (stream, result);
      for (gsize at = 0; at < length; at += size)
        {
          g_autofree char *piece = g_strndup (answer + at, size);
          g_autofree char *fresh = sextant_citation_stream_push (stream, piece);

          g_string_append (shown, fresh);
          /* Always a prefix of the linked answer: nothing shown is taken back. */
          g_assert_true (g_str_has_prefix (expected, shown->str));
        }
      rest = sextant_citation_stream_flush (stream);
      g_string_append (shown, rest);
      g_assert_cmpstr (shown->str, ==, expected);
    }

  {
    g_autoptr(SextantCitationStream) stream = sextant_citation_stream_new ();
    g_autoptr(JsonNode) later = search_result (3);
    g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL;

    /* Without passages the text passes as it comes. */
    a = sextant_citation_stream_push (stream, "Checking [1");
    g_assert_cmpstr (a, ==, "Checking [1");
    b = sextant_citation_stream_flush (stream);
    g_assert_cmpstr (b, ==, "");
    sextant_citation_stream_add_result (stream, result);
    c = sextant_citation_stream_push (stream, "capped [1");
    g_assert_cmpstr (c, ==, "capped ");
    d = sextant_citation_stream_push (stream, "]");
    g_assert_cmpstr (d, ==, "");
    /* A result arriving inside a block is for the next block. */
    sextant_citation_stream_add_result (stream, later);
    e = sextant_citation_stream_push (stream, ". More");
    g_assert_cmpstr (e, ==, "[[1]](<" POLICY_URI ">). More");
    g_free (sextant_citation_stream_flush (stream));
    f = sextant_citation_stream_push (stream, "now [1] ");
    g_assert_cmpstr (f, ==, "now [[1]](<file:///desk/investment-policy.pdf#page=3>) ");
  }
}

/* Two searches in one question: the second's passages are numbered 3 and 4, in what the model
 * reads too, so [3] is the second search's first passage. */
static void
test_renumber (void)
{
  g_autoptr(SextantCitations) citations = sextant_citations_new ();
  g_autoptr(JsonNode) first = search_result (12);
  g_autoptr(JsonNode) second = search_result (3);
  g_autoptr(GPtrArray) cited = NULL;
  g_autofree char *linked = NULL;
  JsonArray *passages;
  SextantCitedPassage *passage;

  sextant_citations_add_result (citations, first, TRUE);
  sextant_citations_add_result (citations, second, TRUE);
  passages = json_object_get_array_member (json_node_get_object (first), "passages");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (passages, 0), "id"), ==, 1);
  passages = json_object_get_array_member (json_node_get_object (second), "passages");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (passages, 0), "id"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (passages, 1), "id"), ==, 4);

  linked = sextant_citations_link (citations, "See [3] and [1].");
  g_assert_cmpstr (linked, ==, "See [[3]](<file:///desk/investment-policy.pdf#page=3>) and [[1]](<" POLICY_URI ">).");
  cited = sextant_citations_find_cited (citations, linked);
  g_assert_cmpuint (cited->len, ==, 2);
  passage = cited->pdata[0];
  g_assert_cmpuint (passage->number, ==, 3);
  g_assert_cmpuint (passage->page, ==, 3);
  g_assert_cmpuint (((SextantCitedPassage *) cited->pdata[1])->page, ==, 12);
}

/* Untrusted shapes (a stored result edited, an older format) are skipped, not read as 0. */
static void
test_bad_results (void)
{
  const char *bad[] = {
    "[]", "{\"passages\":{}}", "{\"passages\":[1,\"x\",null]}",
    "{\"passages\":[{\"id\":\"1\",\"document\":\"a\",\"text\":\"t\"}]}",
    "{\"passages\":[{\"id\":1e300,\"document\":\"a\",\"text\":\"t\"}]}",
    "{\"passages\":[{\"id\":-4,\"document\":\"a\",\"text\":\"t\"}]}",
    "{\"passages\":[{\"id\":1,\"document\":7,\"text\":\"t\"}]}",
  };
  g_autoptr(SextantCitations) citations = sextant_citations_new ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);

      g_assert_nonnull (node);
      sextant_citations_add_result (citations, node, TRUE);
      g_assert_true (sextant_citations_is_empty (citations));
    }
  sextant_citations_add_result (citations, NULL, TRUE);
  g_assert_true (sextant_citations_is_empty (citations));
}

static void
test_excerpt (void)
{
  SextantCitedPassage passage = { 1, (char *) "risk-manual.md", NULL, 0,
                                  (char *) "  A breach of the VaR limit\n\nmust be escalated  within one hour. ", NULL };
  g_autofree char *whole = sextant_cited_passage_dup_excerpt (&passage, 400);
  g_autofree char *cut = sextant_cited_passage_dup_excerpt (&passage, 36);
  g_autofree char *at_word = sextant_cited_passage_dup_excerpt (&passage, 30);
  g_autofree char *place = sextant_cited_passage_dup_place (&passage);

  g_assert_cmpstr (whole, ==, "A breach of the VaR limit must be escalated within one hour.");
  /* 36 characters end inside “escalated”: cut after “be”; 30 end with “must”. */
  g_assert_cmpstr (cut, ==, "A breach of the VaR limit must be…");
  g_assert_cmpstr (at_word, ==, "A breach of the VaR limit must…");
  g_assert_cmpstr (place, ==, "risk-manual.md");
  passage.page = 12;
  g_clear_pointer (&place, g_free);
  place = sextant_cited_passage_dup_place (&passage);
  g_assert_cmpstr (place, ==, "risk-manual.md, page 12");
}

/* stored conversations ------------------------------------------------------------------------- */

typedef struct
{
  SextantStore             *store;
  SextantConversationStore *conversations;
  gint64                    id;
} Fixture;

static void
append_text (Fixture    *f,
             const char *role,
             const char *text)
{
  g_autoptr(SextantConverseMessage) m = sextant_converse_message_new (role);

  sextant_converse_message_add_text (m, text);
  g_assert_cmpint (sextant_conversation_store_append (f->conversations, f->id, m, SEXTANT_MESSAGE_COMPLETE, 0, 0,
                                                      NULL), >, 0);
}

/* A round as the agent stores it: the model's toolUse, then the tool's result as a user turn. */
static void
append_search (Fixture    *f,
               const char *tool_use_id,
               const char *tool,
               guint       first_page)
{
  g_autoptr(SextantConverseMessage) use = sextant_converse_message_new ("assistant");
  g_autoptr(SextantConverseMessage) result = sextant_converse_message_new ("user");
  g_autoptr(JsonNode) input = json_from_string ("{\"query\":\"single issuer\"}", NULL);
  g_autoptr(JsonNode) output = search_result (first_page);

  sextant_converse_message_add_tool_use (use, tool_use_id, tool, input);
  sextant_converse_message_add_tool_result (result, tool_use_id, NULL, output, FALSE);
  g_assert_cmpint (sextant_conversation_store_append (f->conversations, f->id, use, SEXTANT_MESSAGE_COMPLETE, 0, 0,
                                                      NULL), >, 0);
  g_assert_cmpint (sextant_conversation_store_append (f->conversations, f->id, result, SEXTANT_MESSAGE_COMPLETE, 0, 0,
                                                      NULL), >, 0);
}

static void
fixture_setup (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = sextant_schema_open (":memory:", &error);
  g_assert_no_error (error);
  f->conversations = sextant_conversation_store_new (f->store);
  f->id = sextant_conversation_store_create (f->conversations, "Policy", SEXTANT_ROLE_PORTFOLIO_MANAGER, NULL, &error);
  g_assert_no_error (error);
  /* An earlier question searched too: its passages are not the later answer's. */
  append_text (f, "user", "What does the risk manual say?");
  append_search (f, "kb-0", "search_knowledge_base", 5);
  append_text (f, "assistant", "Escalate within the hour [2].");
  append_text (f, "user", "What is our single issuer limit?");
  /* Another tool's result is not a search, whatever it holds. */
  append_search (f, "q-1", "get_quote", 7);
  append_search (f, "kb-1", "search_knowledge_base", 12);
  append_text (f, "assistant", "Seven percent of net assets [[1]](<" POLICY_URI ">).");
}

static void
fixture_teardown (Fixture *f)
{
  g_clear_object (&f->conversations);
  g_assert_finalize_object (f->store);
}

static void
test_stored_answer (void)
{
  Fixture f = { 0, };
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) earlier = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GError) error = NULL;
  SextantCitedPassage *passage;

  fixture_setup (&f);
  messages = sextant_conversation_store_load_messages (f.conversations, f.id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 10);

  earlier = sextant_citations_dup_cited_answer (messages, 3);
  g_assert_cmpuint (earlier->len, ==, 1);
  passage = earlier->pdata[0];
  g_assert_cmpuint (passage->number, ==, 2);
  g_assert_cmpstr (passage->document, ==, "risk-manual.md");
  g_assert_cmpuint (passage->page, ==, 0);

  later = sextant_citations_dup_cited_answer (messages, 9);
  g_assert_cmpuint (later->len, ==, 1);
  passage = later->pdata[0];
  g_assert_cmpuint (passage->number, ==, 1);
  g_assert_cmpstr (passage->document, ==, "investment-policy.pdf");
  g_assert_cmpstr (passage->title, ==, "Investment Policy Statement");
  g_assert_cmpuint (passage->page, ==, 12);
  g_assert_cmpstr (passage->text, ==, PAGE12);
  g_assert_cmpstr (passage->uri, ==, POLICY_URI);

  /* A question is not an answer: nothing cited. */
  g_clear_pointer (&later, g_ptr_array_unref);
  later = sextant_citations_dup_cited_answer (messages, 4);
  g_assert_cmpuint (later->len, ==, 0);
  fixture_teardown (&f);
}

/* The Markdown export lists, after each answer citing the knowledge base, what it cites. */
static void
test_export_markdown (void)
{
  Fixture f = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *markdown = NULL;
  const char *first, *second;

  fixture_setup (&f);
  markdown = sextant_conversation_store_export_markdown (f.conversations, f.id, &error);
  g_assert_no_error (error);
  first = strstr (markdown, "Escalate within the hour [2].\n\n**Passages cited**\n\n"
                            "- **[2]** *Risk Manual*, [risk-manual.md](<" MANUAL_URI ">): "
                            "“A breach of the VaR limit must be escalated to the chief risk officer within one hour.”\n\n");
  g_assert_nonnull (first);
  second = strstr (markdown, "**Passages cited**\n\n- **[1]** *Investment Policy Statement*, "
                             "[investment-policy.pdf, page 12](<" POLICY_URI ">): “" PAGE12 "”\n\n");
  g_assert_nonnull (second);
  g_assert_true (second > first);
  /* Each answer lists its own: the second does not repeat the manual. */
  g_assert_null (strstr (second, "*Risk Manual*"));
  fixture_teardown (&f);
}

/* The committee report's summary comes with the passages it cites. */
static void
test_committee_summary (void)
{
  Fixture f = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cited = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *question = g_strdup_printf ("Is this within policy?\n\nReference: sextant-result-0a1b2c3d");
  gint64 conversation_id = 0;

  fixture_setup (&f);
  append_text (&f, "user", question);
  append_text (&f, "assistant", "Yes.");
  append_text (&f, "user", sextant_agent_committee_summary_prompt ());
  append_search (&f, "kb-2", "search_knowledge_base", 12);
  append_text (&f, "assistant", "The weights respect the single issuer cap [1] and the escalation rule [2].");

  summary = sextant_committee_summary_find_cited (f.conversations, "sextant-result-0a1b2c3d", &conversation_id,
                                                  &cited, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (summary, ==, "The weights respect the single issuer cap [1] and the escalation rule [2].");
  g_assert_cmpint (conversation_id, ==, f.id);
  g_assert_cmpuint (cited->len, ==, 2);
  g_assert_cmpstr (((SextantCitedPassage *) cited->pdata[0])->document, ==, "investment-policy.pdf");
  g_assert_cmpuint (((SextantCitedPassage *) cited->pdata[0])->page, ==, 12);
  g_assert_cmpstr (((SextantCitedPassage *) cited->pdata[1])->document, ==, "risk-manual.md");

  /* No summary: no passages either. */
  g_clear_pointer (&summary, g_free);
  g_clear_pointer (&cited, g_ptr_array_unref);
  summary = sextant_committee_summary_find_cited (f.conversations, "sextant-result-ffffffff", NULL, &cited, &error);
  g_assert_no_error (error);
  g_assert_null (summary);
  g_assert_null (cited);
  fixture_teardown (&f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/citations/link", test_link);
  g_test_add_func ("/sextant/citations/stream", test_stream);
  g_test_add_func ("/sextant/citations/renumber", test_renumber);
  g_test_add_func ("/sextant/citations/bad-results", test_bad_results);
  g_test_add_func ("/sextant/citations/excerpt", test_excerpt);
  g_test_add_func ("/sextant/citations/stored-answer", test_stored_answer);
  g_test_add_func ("/sextant/citations/export-markdown", test_export_markdown);
  g_test_add_func ("/sextant/citations/committee-summary", test_committee_summary);

  return g_test_run ();
}
