#define G_LOG_DOMAIN "test-conversation-store"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Chat history in a temporary database: CRUD, soft delete with undo, FTS5 search, exports, role
 * prompts, and the context builder's rules (alternation, merged user turns, paired tool blocks,
 * no lone failed question, token budget). */

#define TEST_HISTORY_KEY "c2V4dGFudC10ZXN0LWhpc3Rvcnkta2V5LTMyYnl0ZXM="

typedef struct
{
  char                     *dir;
  SextantStore             *store;
  SextantConversationStore *conversations;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = sextant_test_make_temp_dir ();
  path = g_build_filename (f->dir, "sextant.db", NULL);
  f->store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  /* The sealed variant runs every test on a history encrypted at rest (issue 19), which must
   * behave as the clear one does, search included. */
  if (g_strcmp0 (data, "sealed") == 0)
    {
      g_autoptr(SextantStoreKey) key = sextant_store_key_new_from_base64 (TEST_HISTORY_KEY, &error);

      g_assert_no_error (error);
      g_assert_cmpint (sextant_store_encryption_attach (f->store, key, &error), ==, SEXTANT_ENCRYPTION_MIGRATING);
      g_assert_no_error (error);
    }
  f->conversations = sextant_conversation_store_new (f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->conversations);
  g_clear_object (&f->store);
  g_free (f->dir);
}

static SextantConverseMessage *
text_message (const char *role,
              const char *text)
{
  SextantConverseMessage *m = sextant_converse_message_new (role);

  sextant_converse_message_add_text (m, text);

  return m;
}

static gint64
append_text (Fixture             *f,
             gint64               conversation,
             const char          *role,
             const char          *text,
             SextantMessageState  state)
{
  g_autoptr(SextantConverseMessage) m = text_message (role, text);
  g_autoptr(GError) error = NULL;
  gint64 id = sextant_conversation_store_append (f->conversations, conversation, m, state, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static gint64
append_tool_use (Fixture    *f,
                 gint64      conversation,
                 const char *text,
                 const char *id,
                 SextantMessageState state)
{
  g_autoptr(SextantConverseMessage) m = sextant_converse_message_new ("assistant");
  g_autoptr(JsonNode) input = json_from_string ("{\"symbol\":\"MSFT\"}", NULL);

  if (text != NULL)
    sextant_converse_message_add_text (m, text);
  sextant_converse_message_add_tool_use (m, id, "get_quote", input);

  return sextant_conversation_store_append (f->conversations, conversation, m, state, 10, 5, NULL);
}

static gint64
append_tool_result (Fixture    *f,
                    gint64      conversation,
                    const char *id)
{
  g_autoptr(SextantConverseMessage) m = sextant_converse_message_new ("user");
  g_autoptr(JsonNode) result = json_from_string ("{\"price\":43.5}", NULL);

  sextant_converse_message_add_tool_result (m, id, NULL, result, FALSE);

  return sextant_conversation_store_append (f->conversations, conversation, m, SEXTANT_MESSAGE_COMPLETE, 0, 0, NULL);
}

static gint64
new_conversation (Fixture    *f,
                  const char *title)
{
  g_autoptr(GError) error = NULL;
  gint64 id = sextant_conversation_store_create (f->conversations, title, SEXTANT_ROLE_ANALYST, "model-x", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
changed_cb (SextantConversationStore *store,
            gint64                    id,
            GArray                   *ids)
{
  g_array_append_val (ids, id);
}

static void
test_crud (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (gint64));
  gulong handler = g_signal_connect (f->conversations, "changed", G_CALLBACK (changed_cb), changes);
  gint64 a = new_conversation (f, "First");
  gint64 b = new_conversation (f, "Second");
  g_autoptr(SextantConverseMessage) answer = text_message ("assistant", "RSI is 31.86");

  append_text (f, a, "user", "RSI of MSFT?", SEXTANT_MESSAGE_COMPLETE);
  g_assert_cmpint (sextant_conversation_store_append (f->conversations, a, answer, SEXTANT_MESSAGE_COMPLETE,
                                                      1200, 80, &error), >, 0);
  info = sextant_conversation_store_get (f->conversations, a, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->title, ==, "First");
  g_assert_cmpstr (info->role, ==, "analyst");
  g_assert_cmpstr (info->model, ==, "model-x");
  g_assert_cmpint (info->n_messages, ==, 2);
  g_assert_cmpint (info->input_tokens, ==, 1200);
  g_assert_cmpint (info->output_tokens, ==, 80);
  g_assert_cmpint (info->updated_at, >=, info->created_at);

  /* The conversation with the latest message comes first. */
  list = sextant_conversation_store_list (f->conversations, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((SextantConversationInfo *) list->pdata[0])->id, ==, a);
  g_assert_cmpint (((SextantConversationInfo *) list->pdata[1])->id, ==, b);

  g_assert_true (sextant_conversation_store_rename (f->conversations, b, "  Renamed  ", &error));
  g_clear_pointer (&info, sextant_conversation_info_free);
  info = sextant_conversation_store_get (f->conversations, b, &error);
  g_assert_cmpstr (info->title, ==, "Renamed");
  g_assert_false (sextant_conversation_store_rename (f->conversations, b, " ", &error));
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (sextant_conversation_store_rename (f->conversations, 9999, "x", &error));
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (sextant_conversation_store_set_role (f->conversations, b, SEXTANT_ROLE_RISK_OFFICER, &error));
  g_assert_false (sextant_conversation_store_set_role (f->conversations, b, "trader", &error));
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "trader"));

  /* One “changed” per successful change: 2 creations, 2 messages, a rename and a role change. */
  g_signal_handler_disconnect (f->conversations, handler);
  g_assert_cmpuint (changes->len, ==, 6);
  g_assert_cmpint (g_array_index (changes, gint64, 0), ==, a);
  g_assert_cmpint (g_array_index (changes, gint64, 2), ==, a);
  g_assert_cmpint (g_array_index (changes, gint64, 4), ==, b);
}

static void
test_delete_undo (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL, list = NULL;
  gint64 a = new_conversation (f, "Doomed");
  g_autoptr(SextantConversationInfo) info = NULL;

  append_text (f, a, "user", "drawdown of intel", SEXTANT_MESSAGE_COMPLETE);
  g_assert_true (sextant_conversation_store_delete (f->conversations, a, &error));
  g_assert_null (sextant_conversation_store_get (f->conversations, a, &error));
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  hits = sextant_conversation_store_search (f->conversations, "intel", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Undo */
  g_assert_true (sextant_conversation_store_undelete (f->conversations, a, &error));
  info = sextant_conversation_store_get (f->conversations, a, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->n_messages, ==, 1);
  hits = sextant_conversation_store_search (f->conversations, "intel", 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Purge: only deleted conversations go, and their messages and index entries with them. */
  new_conversation (f, "Kept");
  g_assert_cmpint (sextant_conversation_store_purge_deleted (f->conversations, 0, &error), ==, 0);
  g_assert_true (sextant_conversation_store_delete (f->conversations, a, &error));
  g_assert_cmpint (sextant_conversation_store_purge_deleted (f->conversations, 0, &error), ==, 1);
  g_assert_false (sextant_conversation_store_undelete (f->conversations, a, &error));
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  hits = sextant_conversation_store_search (f->conversations, "intel", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  list = sextant_conversation_store_list (f->conversations, &error);
  g_assert_cmpuint (list->len, ==, 1);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL, none = NULL, odd = NULL;
  gint64 a = new_conversation (f, "Tech risk");
  gint64 b = new_conversation (f, "Energy");
  SextantSearchHit *hit;

  append_text (f, a, "user", "What is the minimum variance mix of MSFT and INTC?", SEXTANT_MESSAGE_COMPLETE);
  append_text (f, a, "assistant", "The minimum-variance weights are 62% MSFT and 38% INTC.", SEXTANT_MESSAGE_COMPLETE);
  append_text (f, b, "user", "Backtest XOM quarterly", SEXTANT_MESSAGE_COMPLETE);

  hits = sextant_conversation_store_search (f->conversations, "variance intc", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
  hit = hits->pdata[0];
  g_assert_cmpint (hit->conversation_id, ==, a);
  g_assert_cmpstr (hit->title, ==, "Tech risk");
  g_assert_nonnull (strstr (hit->snippet, "**INTC**"));

  none = sextant_conversation_store_search (f->conversations, "gold", 10, &error);
  g_assert_cmpuint (none->len, ==, 0);
  /* FTS5 syntax characters are taken as text, not as a query that fails. */
  odd = sextant_conversation_store_search (f->conversations, "XOM\" OR NEAR(:", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (odd->len, ==, 0);
}

/* @n messages that mention a hedge in passing, newer than any before them; rows of their own in
 * one transaction, as the append path would take a commit each. */
static void
add_passing_mentions (Fixture *f,
                      gint64   conversation,
                      guint    n)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_store_begin (f->store, &error));
  stmt = sextant_store_prepare (f->store, "INSERT INTO messages (conversation_id, role, content, text, created_at) "
                                "VALUES (?1, 'assistant', json_array (json_object ('text', ?2)), ?2, 0)", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("Note %u: the desk could hedge part of the book with index "
                                               "futures before the quarter ends, if the committee agrees.", i);

      sqlite3_bind_int64 (stmt, 1, conversation);
      sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
      g_assert_true (sextant_store_step_done (f->store, stmt, &error));
    }
  g_assert_true (sextant_store_commit (f->store, &error));
  /* Written clear, as a history not yet migrated holds them: sealed as the migration would. */
  if (sextant_store_get_key (f->store) != NULL)
    while (sextant_conversation_store_seal_batch (f->store, 1000, NULL, &error) > 0)
      ;
  g_assert_no_error (error);
}

/* BM25 ranks a short message all about the word above long ones that mention it once; once the
 * word is in more than 5,000 newer messages, only the newest 5,000 matches are ranked (what keeps
 * a search of a common word within a frame). */
static void
test_search_ranking (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) few = NULL, many = NULL;
  gint64 old_conversation = new_conversation (f, "Hedging");
  gint64 new_conversation_id = new_conversation (f, "Desk notes");
  gint64 best = append_text (f, old_conversation, "assistant", "Hedge, hedge: the hedge ratio.", SEXTANT_MESSAGE_COMPLETE);

  add_passing_mentions (f, new_conversation_id, 100);
  few = sextant_conversation_store_search (f->conversations, "hedge", 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (few->len, ==, 3);
  g_assert_cmpint (((SextantSearchHit *) few->pdata[0])->message_id, ==, best);
  g_assert_cmpint (((SextantSearchHit *) few->pdata[1])->conversation_id, ==, new_conversation_id);

  /* 5,100 newer matches: the old message is no longer among the ranked. */
  add_passing_mentions (f, new_conversation_id, 5000);
  many = sextant_conversation_store_search (f->conversations, "hedge", 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (many->len, ==, 50);
  for (guint i = 0; i < many->len; i++)
    g_assert_cmpint (((SextantSearchHit *) many->pdata[i])->conversation_id, ==, new_conversation_id);
}

static void
test_role_prompts (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *def = sextant_conversation_store_dup_role_prompt (f->conversations, SEXTANT_ROLE_RISK_OFFICER, &error);
  g_autofree char *edited = NULL, *reset = NULL;

  g_assert_cmpstr (def, ==, sextant_agent_role_get_default_prompt (SEXTANT_ROLE_RISK_OFFICER));
  g_assert_nonnull (strstr (def, "expected shortfall"));
  g_assert_true (sextant_conversation_store_set_role_prompt (f->conversations, SEXTANT_ROLE_RISK_OFFICER,
                                                             "Be brief.", &error));
  edited = sextant_conversation_store_dup_role_prompt (f->conversations, SEXTANT_ROLE_RISK_OFFICER, &error);
  g_assert_cmpstr (edited, ==, "Be brief.");
  g_assert_true (sextant_conversation_store_set_role_prompt (f->conversations, SEXTANT_ROLE_RISK_OFFICER, NULL, &error));
  reset = sextant_conversation_store_dup_role_prompt (f->conversations, SEXTANT_ROLE_RISK_OFFICER, &error);
  g_assert_cmpstr (reset, ==, def);
  g_assert_null (sextant_conversation_store_dup_role_prompt (f->conversations, "cfo", &error));
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND);
  g_assert_cmpstrv (sextant_agent_role_list_ids (),
                    ((const char *[]) { "portfolio-manager", "risk-officer", "analyst", NULL }));
  g_assert_nonnull (strstr (sextant_agent_committee_summary_prompt (), "Investment Committee"));
}

/* The roles and block kinds of a context, as "user:text+text assistant:text+toolUse …". */
static char *
describe (GPtrArray *context)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < context->len; i++)
    {
      SextantConverseMessage *m = context->pdata[i];
      g_autoptr(JsonNode) json = sextant_converse_message_to_json (m);
      JsonArray *content = json_object_get_array_member (json_node_get_object (json), "content");

      g_string_append_printf (out, "%s%s:", i ? " " : "", sextant_converse_message_get_role (m));
      for (guint b = 0; b < json_array_get_length (content); b++)
        {
          g_autoptr(GList) members = json_object_get_members (json_array_get_object_element (content, b));

          g_string_append_printf (out, "%s%s", b ? "+" : "", (const char *) members->data);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
context_of (Fixture *f,
            gint64   conversation,
            gint64   budget)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) context = sextant_conversation_store_build_context (f->conversations, conversation,
                                                                           budget, &error);

  g_assert_no_error (error);

  return describe (context);
}

static void
test_context_rules (Fixture       *f,
                    gconstpointer  data)
{
  gint64 c1 = new_conversation (f, "merge"), c2 = new_conversation (f, "lone failed");
  gint64 c3 = new_conversation (f, "tools"), c4 = new_conversation (f, "cut after toolUse");
  gint64 c5 = new_conversation (f, "orphans");
  g_autofree char *d1 = NULL, *d2 = NULL, *d3 = NULL, *d4 = NULL, *d5 = NULL;

  /* A question whose request failed, then the next question: one user turn of both. */
  append_text (f, c1, "user", "q1", SEXTANT_MESSAGE_FAILED);
  append_text (f, c1, "user", "q2", SEXTANT_MESSAGE_COMPLETE);
  d1 = context_of (f, c1, 100000);
  g_assert_cmpstr (d1, ==, "user:text+text");

  /* A failed question with nothing after it is not sent; a failed answer is never sent. */
  append_text (f, c2, "user", "q1", SEXTANT_MESSAGE_COMPLETE);
  append_text (f, c2, "assistant", "a1", SEXTANT_MESSAGE_COMPLETE);
  append_text (f, c2, "user", "q2", SEXTANT_MESSAGE_COMPLETE);
  append_text (f, c2, "assistant", "", SEXTANT_MESSAGE_FAILED);
  append_text (f, c2, "user", "q3", SEXTANT_MESSAGE_FAILED);
  d2 = context_of (f, c2, 100000);
  g_assert_cmpstr (d2, ==, "user:text assistant:text user:text");

  /* A tool round trip stays as it is. (A request always ends with a user turn: a trailing answer
   * is dropped, which is what a retried question needs.) */
  append_text (f, c3, "user", "quote?", SEXTANT_MESSAGE_COMPLETE);
  append_tool_use (f, c3, "Looking", "t1", SEXTANT_MESSAGE_COMPLETE);
  append_tool_result (f, c3, "t1");
  append_text (f, c3, "assistant", "43.38", SEXTANT_MESSAGE_COMPLETE);
  append_text (f, c3, "user", "And IBM?", SEXTANT_MESSAGE_COMPLETE);
  d3 = context_of (f, c3, 100000);
  g_assert_cmpstr (d3, ==, "user:text assistant:text+toolUse user:toolResult assistant:text user:text");

  /* Stopped after asking for a tool: the partial text stays, the unanswered toolUse goes. */
  append_text (f, c4, "user", "quote?", SEXTANT_MESSAGE_COMPLETE);
  append_tool_use (f, c4, "Let me check", "t9", SEXTANT_MESSAGE_INTERRUPTED);
  append_text (f, c4, "user", "never mind, RSI?", SEXTANT_MESSAGE_COMPLETE);
  d4 = context_of (f, c4, 100000);
  g_assert_cmpstr (d4, ==, "user:text assistant:text user:text");

  /* A leading assistant turn and a toolResult without its toolUse go; the users around merge. */
  append_text (f, c5, "assistant", "hello", SEXTANT_MESSAGE_COMPLETE);
  append_text (f, c5, "user", "q1", SEXTANT_MESSAGE_COMPLETE);
  append_tool_use (f, c5, NULL, "t2", SEXTANT_MESSAGE_INTERRUPTED);
  append_tool_result (f, c5, "t3");
  append_text (f, c5, "user", "q2", SEXTANT_MESSAGE_COMPLETE);
  d5 = context_of (f, c5, 100000);
  g_assert_cmpstr (d5, ==, "user:text+text");
}

static void
test_context_budget (Fixture       *f,
                     gconstpointer  data)
{
  gint64 c = new_conversation (f, "long");
  g_autofree char *filler = g_strnfill (392, 'x');
  g_autoptr(GPtrArray) context = NULL;
  g_autoptr(GPtrArray) tiny = NULL;
  gint64 total = 0;

  /* Each message's content is [{"text":"<392 chars>"}], 405 bytes of JSON: ⌈405 / 4⌉ = 102
   * estimated tokens. */
  for (guint i = 0; i < 10; i++)
    {
      append_text (f, c, "user", filler, SEXTANT_MESSAGE_COMPLETE);
      append_text (f, c, "assistant", filler, SEXTANT_MESSAGE_COMPLETE);
    }
  append_text (f, c, "user", filler, SEXTANT_MESSAGE_COMPLETE);
  context = sextant_conversation_store_build_context (f->conversations, c, 500, NULL);
  for (guint i = 0; i < context->len; i++)
    {
      g_autoptr(JsonNode) json = sextant_converse_message_to_json (context->pdata[i]);

      total += sextant_conversation_estimate_tokens (json_object_get_member (json_node_get_object (json), "content"));
    }
  /* 500 / 102 = 4.9: the last four messages (408 tokens) would fit but would start with an
   * assistant turn, so the last three (user, assistant, user: 306 tokens) are sent. */
  g_assert_cmpuint (context->len, ==, 3);
  g_assert_cmpint (total, ==, 306);
  g_assert_cmpstr (sextant_converse_message_get_role (context->pdata[0]), ==, "user");

  /* A budget smaller than the question still sends the question. */
  tiny = sextant_conversation_store_build_context (f->conversations, c, 10, NULL);
  g_assert_cmpuint (tiny->len, ==, 1);
  g_assert_cmpstr (sextant_converse_message_get_role (tiny->pdata[0]), ==, "user");
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 c = new_conversation (f, "Committee prep");
  g_autofree char *md = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonArray *messages;

  append_text (f, c, "user", "Quote of MSFT", SEXTANT_MESSAGE_COMPLETE);
  append_tool_use (f, c, "Checking.", "t1", SEXTANT_MESSAGE_COMPLETE);
  append_tool_result (f, c, "t1");
  append_text (f, c, "assistant", "MSFT closed at 43.38", SEXTANT_MESSAGE_INTERRUPTED);

  md = sextant_conversation_store_export_markdown (f->conversations, c, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (md, "# Committee prep\n\n_Role: Analyst · Model: model-x · Started "));
  g_assert_nonnull (strstr (md, "## You — "));
  g_assert_nonnull (strstr (md, "Quote of MSFT"));
  g_assert_nonnull (strstr (md, "> Tool call `get_quote` with `{\"symbol\":\"MSFT\"}`"));
  g_test_message ("%s", md);
  g_assert_nonnull (strstr (md, "> Tool result (success): `[{\"json\":{\"price\":43.5}}]`"));
  g_assert_nonnull (strstr (md, "_(interrupted: this answer is incomplete)_"));

  json = sextant_conversation_store_export_json (f->conversations, c, &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (json), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "title"), ==, "Committee prep");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 3), "state"), ==, "interrupted");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (messages, 1), "input_tokens"), ==, 10);
  g_assert_null (sextant_conversation_store_export_json (f->conversations, 4242, &error));
}

/* Pages from the newest back, and a page boundary that would have fallen between an answer
 * and its tool results moves back to take the answer in. */
static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  gint64 id = new_conversation (f, "Paged");
  gint64 ids[8];
  g_autoptr(GPtrArray) newest = NULL, older = NULL, oldest = NULL, empty = NULL;
  g_autoptr(GError) error = NULL;
  gboolean more = FALSE;

  ids[0] = append_text (f, id, "user", "Quote of MSFT?", SEXTANT_MESSAGE_COMPLETE);
  ids[1] = append_tool_use (f, id, NULL, "tu-1", SEXTANT_MESSAGE_COMPLETE);
  ids[2] = append_tool_result (f, id, "tu-1");
  ids[3] = append_text (f, id, "assistant", "MSFT is at 43.50.", SEXTANT_MESSAGE_COMPLETE);
  ids[4] = append_text (f, id, "user", "And IBM?", SEXTANT_MESSAGE_COMPLETE);
  ids[5] = append_tool_use (f, id, "Let me look.", "tu-2", SEXTANT_MESSAGE_COMPLETE);
  ids[6] = append_tool_result (f, id, "tu-2");
  ids[7] = append_text (f, id, "assistant", "IBM is at 90.", SEXTANT_MESSAGE_COMPLETE);

  /* Two requested (ids[7], ids[6]); ids[6] holds only tool results, so ids[5], the answer
   * that asked for them, comes too. */
  newest = sextant_conversation_store_load_page (f->conversations, id, 0, 2, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (newest->len, ==, 3);
  g_assert_cmpint (((SextantStoredMessage *) newest->pdata[0])->id, ==, ids[5]);
  g_assert_cmpint (((SextantStoredMessage *) newest->pdata[2])->id, ==, ids[7]);
  g_assert_true (more);

  /* A clean boundary: exactly what was asked. */
  g_clear_pointer (&newest, g_ptr_array_unref);
  newest = sextant_conversation_store_load_page (f->conversations, id, ids[5], 1, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (newest->len, ==, 1);
  g_assert_cmpint (((SextantStoredMessage *) newest->pdata[0])->id, ==, ids[4]);

  older = sextant_conversation_store_load_page (f->conversations, id, ids[4], 2, &more, &error);
  g_assert_no_error (error);
  /* Two requested (ids[3], ids[2]); ids[2] is tool results only, so ids[1] comes too. */
  g_assert_cmpuint (older->len, ==, 3);
  g_assert_cmpint (((SextantStoredMessage *) older->pdata[0])->id, ==, ids[1]);
  g_assert_cmpint (((SextantStoredMessage *) older->pdata[2])->id, ==, ids[3]);
  g_assert_true (more);

  oldest = sextant_conversation_store_load_page (f->conversations, id, ids[1], 10, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (oldest->len, ==, 1);
  g_assert_cmpint (((SextantStoredMessage *) oldest->pdata[0])->id, ==, ids[0]);
  g_assert_false (more);

  empty = sextant_conversation_store_load_page (f->conversations, id, ids[0], 10, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_false (more);
}

typedef struct
{
  GArray *ids;      /* gint64, as the appends finish */
  GError *error;
  guint   pending;
} Appends;

static void
appended_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Appends *appends = user_data;
  GError *error = NULL;
  gint64 id = sextant_conversation_store_append_finish (SEXTANT_CONVERSATION_STORE (object), result, &error);

  g_array_append_val (appends->ids, id);
  if (error != NULL)
    {
      g_clear_error (&appends->error);
      appends->error = error;
    }
  appends->pending--;
}

/* How many of this process's threads run at @nice (Linux: field 19 of /proc/self/task/N/stat). */
static guint
count_threads_at_nice (int nice)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", name, "stat", NULL);
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *after_name;

      if (!g_file_get_contents (path, &stat, NULL, NULL) || (after_name = strrchr (stat, ')')) == NULL)
        continue;
      /* Fields from the state on, after the thread's name: the state is field 3, nice field 19. */
      fields = g_strsplit (after_name + 2, " ", -1);
      if (g_strv_length (fields) > 16 && atoi (fields[16]) == nice)
        n++;
    }

  return n;
}

/* Long answers are stored in a thread, through a connection of its own: in the order they were
 * asked for, indexed for search, seen by the main connection, announced once committed; an
 * unknown conversation is an error and stores nothing. The writer thread runs at a lower
 * priority than the window it works for. A database in memory does it at once. */
static void
test_append_async (Fixture       *f,
                   gconstpointer  data)
{
  gint64 id = new_conversation (f, "Threaded");
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (gint64));
  Appends appends = { g_array_new (FALSE, FALSE, sizeof (gint64)), NULL, 0 };
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(SextantConverseMessage) question = text_message ("user", "Write the long report.");
  g_autoptr(SextantConverseMessage) answer = NULL;
  g_autoptr(SextantConverseMessage) orphan = text_message ("assistant", "nobody asked");
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  gulong handler;

  for (guint i = 0; long_text->len < 256 * 1024; i++)
    g_string_append_printf (long_text, "Section %u: the drawdown of IBM since March is 6.8%%.\n\n", i);
  g_string_append (long_text, "In the end, the committee keeps quixotically 52% in IBM.");
  answer = text_message ("assistant", long_text->str);
  handler = g_signal_connect (f->conversations, "changed", G_CALLBACK (changed_cb), changes);

  g_assert_true (sextant_store_is_file (f->store));
  /* Long and short in turn: a short one asked for later must not overtake a long one. */
  for (guint i = 0; i < 3; i++)
    {
      sextant_conversation_store_append_async (f->conversations, id, answer, SEXTANT_MESSAGE_COMPLETE, 900, 70000,
                                               appended_cb, &appends);
      sextant_conversation_store_append_async (f->conversations, id, question, SEXTANT_MESSAGE_COMPLETE, 0, 0,
                                               appended_cb, &appends);
      appends.pending += 2;
    }
  /* Nothing is announced before it is committed and back on the main loop. */
  g_assert_cmpuint (changes->len, ==, 0);
  while (appends.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (appends.error);
  g_assert_cmpuint (appends.ids->len, ==, 6);
  g_assert_cmpint (g_array_index (appends.ids, gint64, 0), >, 0);
  for (guint i = 1; i < 6; i++)
    g_assert_cmpint (g_array_index (appends.ids, gint64, i), >, g_array_index (appends.ids, gint64, i - 1));
  g_assert_cmpuint (changes->len, ==, 6);
  g_assert_cmpint (g_array_index (changes, gint64, 5), ==, id);
#ifdef __linux__
  g_assert_cmpuint (count_threads_at_nice (10), ==, 1);
#endif

  messages = sextant_conversation_store_load_messages (f->conversations, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      SextantStoredMessage *stored = messages->pdata[i];

      g_assert_cmpint (stored->id, ==, g_array_index (appends.ids, gint64, i));
      g_assert_cmpstr (stored->role, ==, i % 2 == 0 ? "assistant" : "user");
    }
  hits = sextant_conversation_store_search (f->conversations, "quixotically", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 3);

  /* An unknown conversation: an error, and no row. */
  appends.pending = 1;
  sextant_conversation_store_append_async (f->conversations, 987654, orphan, SEXTANT_MESSAGE_COMPLETE, 0, 0,
                                           appended_cb, &appends);
  while (appends.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  /* The messages' foreign key refuses it before the conversation's update could. */
  g_assert_error (appends.error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT);
  g_assert_cmpint (g_array_index (appends.ids, gint64, 6), ==, 0);
  g_clear_error (&appends.error);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = sextant_conversation_store_search (f->conversations, "nobody", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_signal_handler_disconnect (f->conversations, handler);

  /* In memory: one connection, the same result from the main loop. */
  {
    g_autoptr(SextantStore) memory = sextant_schema_open (":memory:", &error);
    g_autoptr(SextantConversationStore) conversations = sextant_conversation_store_new (memory);
    gint64 other = sextant_conversation_store_create (conversations, "In memory", SEXTANT_ROLE_ANALYST, NULL, &error);

    g_assert_no_error (error);
    g_assert_false (sextant_store_is_file (memory));
    g_assert_null (sextant_store_open_connection (memory, &error));
    g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_OPEN);
    g_clear_error (&error);
    appends.pending = 1;
    sextant_conversation_store_append_async (conversations, other, answer, SEXTANT_MESSAGE_COMPLETE, 0, 0,
                                             appended_cb, &appends);
    while (appends.pending > 0)
      g_main_context_iteration (NULL, TRUE);
    g_assert_no_error (appends.error);
    g_assert_cmpint (g_array_index (appends.ids, gint64, 7), >, 0);
  }
  g_array_unref (appends.ids);
}

/* Only an interrupted answer can be replaced, and only in its own conversation; the search index
 * forgets it with it. */
static void
test_replace_interrupted (Fixture       *f,
                          gconstpointer  data)
{
  gint64 a = new_conversation (f, "Replace");
  gint64 b = new_conversation (f, "Other");
  gint64 question = append_text (f, a, "user", "VaR please", SEXTANT_MESSAGE_COMPLETE);
  gint64 cut = append_text (f, a, "assistant", "zanzibarish partial", SEXTANT_MESSAGE_INTERRUPTED);
  gint64 whole = append_text (f, a, "assistant", "The VaR is 1.7%.", SEXTANT_MESSAGE_COMPLETE);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (sextant_conversation_store_replace_message (f->conversations, a, question, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (sextant_conversation_store_replace_message (f->conversations, a, whole, &error));
  g_clear_error (&error);
  g_assert_false (sextant_conversation_store_replace_message (f->conversations, b, cut, &error));
  g_clear_error (&error);

  g_assert_true (sextant_conversation_store_replace_message (f->conversations, a, cut, &error));
  g_assert_no_error (error);
  messages = sextant_conversation_store_load_messages (f->conversations, a, &error);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpint (((SextantStoredMessage *) messages->pdata[1])->id, ==, whole);
  hits = sextant_conversation_store_search (f->conversations, "zanzibarish", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sextant/conversation-store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown); \
  g_test_add ("/sextant/conversation-store/sealed/" path, Fixture, "sealed", fixture_setup, func, fixture_teardown)
  ADD ("crud", test_crud);
  ADD ("append-async", test_append_async);
  ADD ("delete-undo", test_delete_undo);
  ADD ("search", test_search);
  ADD ("search-ranking", test_search_ranking);
  ADD ("role-prompts", test_role_prompts);
  ADD ("context-rules", test_context_rules);
  ADD ("context-budget", test_context_budget);
  ADD ("export", test_export);
  ADD ("pages", test_pages);
  ADD ("replace-interrupted", test_replace_interrupted);
#undef ADD

  return g_test_run ();
}
