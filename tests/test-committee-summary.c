#define G_LOG_DOMAIN "test-committee-summary"

#include "config.h"

#include "sextant-core.h"
#include "sextant-test-util.h"

/* The committee report's link to the assistant: conversations that quote a result's reference,
 * and in them the answers to the committee prompt. The conversations are written here the way
 * the chat session stores a turn (see tests/test-conversation-store.c). */

#define REFERENCE "sextant-result-1f2e3d4c"

typedef struct
{
  SextantStore             *store;
  SextantConversationStore *conversations;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->store = sextant_schema_open (":memory:", &error);
  g_assert_no_error (error);
  f->conversations = sextant_conversation_store_new (f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->conversations);
  g_assert_finalize_object (f->store);
}

static gint64
new_conversation (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 id = sextant_conversation_store_create (f->conversations, "About a result",
                                                 SEXTANT_ROLE_PORTFOLIO_MANAGER, NULL, &error);

  g_assert_no_error (error);

  return id;
}

static void
append (Fixture             *f,
        gint64               conversation,
        const char          *role,
        const char          *text,
        SextantMessageState  state)
{
  g_autoptr(SextantConverseMessage) m = sextant_converse_message_new (role);
  g_autoptr(GError) error = NULL;

  sextant_converse_message_add_text (m, text);
  sextant_conversation_store_append (f->conversations, conversation, m, state, 0, 0, &error);
  g_assert_no_error (error);
}

static void
append_tool_round (Fixture *f,
                   gint64   conversation)
{
  g_autoptr(SextantConverseMessage) use = sextant_converse_message_new ("assistant");
  g_autoptr(SextantConverseMessage) result = sextant_converse_message_new ("user");
  g_autoptr(JsonNode) input = json_from_string ("{\"symbol\":\"MSFT\"}", NULL);
  g_autoptr(JsonNode) output = json_from_string ("{\"price\":43.5}", NULL);

  sextant_converse_message_add_tool_use (use, "t1", "get_quote", input);
  sextant_converse_message_add_tool_result (result, "t1", NULL, output, FALSE);
  g_assert_cmpint (sextant_conversation_store_append (f->conversations, conversation, use,
                                                      SEXTANT_MESSAGE_COMPLETE, 0, 0, NULL), >, 0);
  g_assert_cmpint (sextant_conversation_store_append (f->conversations, conversation, result,
                                                      SEXTANT_MESSAGE_COMPLETE, 0, 0, NULL), >, 0);
}

static void
ask_summary (Fixture    *f,
             gint64      conversation,
             const char *answer,
             SextantMessageState state)
{
  append (f, conversation, "user", sextant_agent_committee_summary_prompt (), SEXTANT_MESSAGE_COMPLETE);
  append (f, conversation, "assistant", answer, state);
}

static void
test_newest_summary (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  gint64 about, other, cut, deleted, conversation_id = -1;

  /* A conversation about the result, summarised twice (a tool round before the second answer):
   * the second summary is the one. */
  about = new_conversation (f);
  append (f, about, "user", "Explain these weights.\n\nReference: " REFERENCE, SEXTANT_MESSAGE_COMPLETE);
  append (f, about, "assistant", "They minimise variance.", SEXTANT_MESSAGE_COMPLETE);
  ask_summary (f, about, "First summary.", SEXTANT_MESSAGE_COMPLETE);
  append (f, about, "user", "And with IBM capped at 10 %?", SEXTANT_MESSAGE_COMPLETE);
  append (f, about, "assistant", "Then KO takes its place.", SEXTANT_MESSAGE_COMPLETE);
  append (f, about, "user", sextant_agent_committee_summary_prompt (), SEXTANT_MESSAGE_COMPLETE);
  append_tool_round (f, about);
  append (f, about, "assistant", "## Committee summary\n\nSecond summary.", SEXTANT_MESSAGE_COMPLETE);

  /* Newer summaries that do not count: of another conversation, cut short, or deleted. */
  other = new_conversation (f);
  append (f, other, "user", "Something else entirely.", SEXTANT_MESSAGE_COMPLETE);
  ask_summary (f, other, "Summary of something else.", SEXTANT_MESSAGE_COMPLETE);
  cut = new_conversation (f);
  append (f, cut, "user", "Again about " REFERENCE, SEXTANT_MESSAGE_COMPLETE);
  ask_summary (f, cut, "A summary cut sh", SEXTANT_MESSAGE_INTERRUPTED);
  deleted = new_conversation (f);
  append (f, deleted, "user", "Once more about " REFERENCE, SEXTANT_MESSAGE_COMPLETE);
  ask_summary (f, deleted, "A deleted summary.", SEXTANT_MESSAGE_COMPLETE);
  g_assert_true (sextant_conversation_store_delete (f->conversations, deleted, NULL));

  found = sextant_committee_summary_find (f->conversations, REFERENCE, &conversation_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "## Committee summary\n\nSecond summary.");
  g_assert_cmpint (conversation_id, ==, about);
  g_clear_pointer (&found, g_free);

  /* A result nobody asked about has no summary, and that is no error. */
  found = sextant_committee_summary_find (f->conversations, "sextant-result-00000000", &conversation_id,
                                          &error);
  g_assert_no_error (error);
  g_assert_null (found);
  g_assert_cmpint (conversation_id, ==, 0);
}

static void
test_no_summary_yet (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  gint64 about = new_conversation (f);

  /* Asked about, but never summarised: the committee prompt was not sent. */
  append (f, about, "user", "Reference: " REFERENCE, SEXTANT_MESSAGE_COMPLETE);
  append (f, about, "assistant", "A plain answer.", SEXTANT_MESSAGE_COMPLETE);
  found = sextant_committee_summary_find (f->conversations, REFERENCE, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sextant/agent/committee-summary/newest", Fixture, NULL, fixture_setup,
              test_newest_summary, fixture_teardown);
  g_test_add ("/sextant/agent/committee-summary/none-yet", Fixture, NULL, fixture_setup,
              test_no_summary_yet, fixture_teardown);

  return g_test_run ();
}
