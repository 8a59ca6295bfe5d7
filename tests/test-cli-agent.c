#define G_LOG_DOMAIN "test-cli-agent"

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cli-fixture.h"
#include "sextant-test-util.h"

/* The built sextant-cli (its path is the first argument, from tests/meson.build): `ask --tools`
 * and `--conversation` without credentials (the offline analyst) and against the fake Bedrock
 * running in this process, then `conversations list|show|search|export|rename|delete|restore`
 * on the same temporary database. */

static const char *cli_path;

typedef CliFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  cli_fixture_setup (f, cli_path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_fixture_teardown (f);
}

#define RUN(f, creds, ...) cli_fixture_run ((f), (creds), NULL, (const char * const[]) { __VA_ARGS__, NULL })

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);

  return node;
}

static void
test_offline_and_history (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) list = NULL, hits = NULL, exported = NULL, listed = NULL;
  JsonObject *first;
  g_autofree char *path = g_build_filename (f->home, "out.md", NULL);
  g_autofree char *md = NULL;

  /* No credentials: the offline analyst answers and the chat is stored. */
  g_assert_cmpint (RUN (f, FALSE, "ask", "--tools", "RSI of MSFT"), ==, 0);
  g_assert_true (g_str_has_prefix (f->out, "> **Offline analyst — no Bedrock connection.** No AWS credentials"));
  g_assert_nonnull (strstr (f->out, "| RSI(14) |"));
  g_assert_nonnull (strstr (f->err, "--conversation 1"));

  g_assert_cmpint (RUN (f, FALSE, "ask", "--conversation", "1", "--format", "json", "VaR of portfolio Dow Blue Chips"), ==, 0);
  {
    g_autoptr(JsonNode) reply = parse (f->out);
    JsonObject *o = json_node_get_object (reply);

    g_assert_true (json_object_get_boolean_member (o, "offline"));
    g_assert_cmpint (json_object_get_int_member (o, "conversation_id"), ==, 1);
    g_assert_nonnull (strstr (json_object_get_string_member (o, "text"), "### Risk of “Dow Blue Chips (demo)”"));
  }

  g_assert_cmpint (RUN (f, FALSE, "conversations", "list", "--format", "json"), ==, 0);
  list = parse (f->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "title"), ==, "RSI of MSFT");
  g_assert_cmpint (json_object_get_int_member (first, "n_messages"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (first, "role"), ==, "analyst");

  g_assert_cmpint (RUN (f, FALSE, "conversations", "search", "Blue", "Chips", "--format", "json"), ==, 0);
  hits = parse (f->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hits)), ==, 2);

  g_assert_cmpint (RUN (f, FALSE, "conversations", "show", "1"), ==, 0);
  g_assert_true (g_str_has_prefix (f->out, "# RSI of MSFT\n"));
  g_assert_nonnull (strstr (f->out, "## You — "));

  g_assert_cmpint (RUN (f, FALSE, "conversations", "export", "1", "--format", "json"), ==, 0);
  exported = parse (f->out);
  /* Two questions and answers, each with the round of the tool the analyst ran (its call and
   * result), as an online conversation exports its tool rounds. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (exported), "messages")), ==, 8);
  g_assert_cmpint (RUN (f, FALSE, "conversations", "export", "1", "--format", "markdown", "--output", path), ==, 0);
  g_assert_true (g_file_get_contents (path, &md, NULL, NULL));
  g_assert_true (g_str_has_prefix (md, "# RSI of MSFT\n"));

  g_assert_cmpint (RUN (f, FALSE, "conversations", "rename", "1", "MSFT", "review"), ==, 0);
  g_assert_cmpint (RUN (f, FALSE, "conversations", "delete", "1"), ==, 0);
  g_assert_nonnull (strstr (f->err, "conversations restore 1"));
  g_assert_cmpint (RUN (f, FALSE, "conversations", "list"), ==, 0);
  g_assert_nonnull (strstr (f->out, "No conversations yet"));
  g_assert_cmpint (RUN (f, FALSE, "conversations", "restore", "1"), ==, 0);
  g_assert_cmpint (RUN (f, FALSE, "conversations", "list", "--format", "json"), ==, 0);
  listed = parse (f->out);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (listed), 0), "title"),
                   ==, "MSFT review");
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (json_node_get_array (listed), 0), "pinned"));

  /* Pinned: kept whatever the retention period (issue 19). */
  g_assert_cmpint (RUN (f, FALSE, "conversations", "pin", "1"), ==, 0);
  g_assert_cmpint (RUN (f, FALSE, "conversations", "list", "--format", "json"), ==, 0);
  g_clear_pointer (&listed, json_node_unref);
  listed = parse (f->out);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (json_node_get_array (listed), 0), "pinned"));
  g_assert_cmpint (RUN (f, FALSE, "conversations", "unpin", "1"), ==, 0);
  g_assert_cmpint (RUN (f, FALSE, "conversations", "pin", "42"), ==, 3);
  g_assert_cmpint (RUN (f, FALSE, "conversations", "pin"), ==, 2);
}

static void
test_bad_usage (Fixture       *f,
                gconstpointer  data)
{
  g_assert_cmpint (RUN (f, FALSE, "ask", "--conversation", "99", "hello"), ==, 3);
  g_assert_nonnull (strstr (f->err, "No conversation with id 99"));
  g_assert_cmpint (RUN (f, FALSE, "conversations", "export", "1", "--format", "csv"), ==, 2);
  g_assert_nonnull (strstr (f->err, "export takes --format markdown or json"));
  g_assert_cmpint (RUN (f, FALSE, "conversations", "show", "abc"), ==, 2);
  g_assert_nonnull (strstr (f->err, "“abc” is not a conversation id"));
  g_assert_cmpint (RUN (f, FALSE, "conversations", "frobnicate"), ==, 2);
  g_assert_cmpint (RUN (f, FALSE, "conversations", "show", "7"), ==, 3);
  g_assert_cmpint (RUN (f, FALSE, "ask", "--tools", "--system", "x", "hello"), ==, 2);
}

static void
test_tools_against_fake_bedrock (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(JsonNode) exported = NULL;
  JsonArray *messages;

  fake_bedrock_server_push_tool_use (f->server, "Checking.", "tu-1", "get_quote", "{\"symbol\":\"IBM\"}");
  fake_bedrock_server_push_text (f->server, "IBM closed at 84.50 on 2001-01-02 (demo data).");
  g_assert_cmpint (RUN (f, TRUE, "ask", "--tools", "--model", "anthropic.claude-3-haiku-20240307-v1:0", "Quote", "IBM"), ==, 0);
  g_assert_cmpstr (f->out, ==, "Checking.\nIBM closed at 84.50 on 2001-01-02 (demo data).\n");
  g_assert_nonnull (strstr (f->err, "[tool] get_quote {\"symbol\":\"IBM\"}"));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 2);

  g_assert_cmpint (RUN (f, TRUE, "conversations", "export", "1", "--format", "json"), ==, 0);
  exported = parse (f->out);
  messages = json_object_get_array_member (json_node_get_object (exported), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (exported), "model"), ==,
                   "anthropic.claude-3-haiku-20240307-v1:0");

  /* A throttled stream that never recovers: exit 5, the question kept and marked failed. */
  for (guint i = 0; i < 3; i++)
    fake_bedrock_server_push_http_error (f->server, 429, "ThrottlingException", "Rate exceeded");
  g_assert_cmpint (RUN (f, TRUE, "ask", "--conversation", "1", "And KO?"), ==, 5);
  g_assert_cmpint (RUN (f, TRUE, "conversations", "export", "1", "--format", "json"), ==, 0);
  g_clear_pointer (&exported, json_node_unref);
  exported = parse (f->out);
  messages = json_object_get_array_member (json_node_get_object (exported), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 4), "state"), ==, "failed");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  g_test_add ("/sextant/cli-agent/offline-and-history", Fixture, NULL, fixture_setup, test_offline_and_history, fixture_teardown);
  g_test_add ("/sextant/cli-agent/bad-usage", Fixture, NULL, fixture_setup, test_bad_usage, fixture_teardown);
  g_test_add ("/sextant/cli-agent/tools-against-fake-bedrock", Fixture, NULL, fixture_setup,
              test_tools_against_fake_bedrock, fixture_teardown);

  return g_test_run ();
}
