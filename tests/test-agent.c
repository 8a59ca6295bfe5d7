#define G_LOG_DOMAIN "test-agent"

#include "config.h"

#include <string.h>

#include "fake-bedrock-server.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* SextantAgent against the in-process fake Bedrock (tests/fake-bedrock-server.c, which checks
 * every SigV4 signature), a temporary database and the bundled demo data. The fake server's
 * scripted replies report 12 input tokens per call and stream text in 5-character pieces. */

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define MODEL "anthropic.claude-3-haiku-20240307-v1:0"

static SextantWorkspace *workspace;

typedef struct
{
  char                     *dir;
  SextantStore             *store;
  SextantConversationStore *conversations;
  SextantInvocationLog     *log;
  SextantToolRegistry      *registry;
  FakeBedrockServer        *server;
  SoupSession              *session;
  SextantBedrockClient     *client;
  SextantAgent             *agent;
  gint64                    conversation;
  GString                  *streamed;
  GPtrArray                *started;     /* tool names */
  GPtrArray                *finished;    /* JsonNode results */
  guint                     n_errors;
  guint                     n_stored;
  char                     *outcome;
} Fixture;

static void
text_delta_cb (SextantAgent *agent,
               const char   *text,
               Fixture      *f)
{
  g_string_append (f->streamed, text);
}

static void
tool_started_cb (SextantAgent *agent,
                 const char   *id,
                 const char   *name,
                 JsonNode     *input,
                 Fixture      *f)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (input));
  g_ptr_array_add (f->started, g_strdup (name));
}

static void
tool_finished_cb (SextantAgent *agent,
                  const char   *id,
                  const char   *name,
                  JsonNode     *result,
                  gboolean      is_error,
                  Fixture      *f)
{
  g_ptr_array_add (f->finished, json_node_copy (result));
  f->n_errors += is_error;
}

static void
message_stored_cb (SextantAgent *agent,
                   gint64        conversation,
                   gint64        message,
                   Fixture      *f)
{
  g_assert_cmpint (conversation, ==, f->conversation);
  f->n_stored++;
}

static void
turn_finished_cb (SextantAgent *agent,
                  gint64        conversation,
                  const char   *outcome,
                  Fixture      *f)
{
  g_free (f->outcome);
  f->outcome = g_strdup (outcome);
}

static SextantAgent *
make_agent (Fixture              *f,
            SextantBedrockClient *client)
{
  SextantAgent *agent = sextant_agent_new (client, f->registry, f->conversations, f->log);

  sextant_agent_set_model (agent, MODEL);
  g_signal_connect (agent, "text-delta", G_CALLBACK (text_delta_cb), f);
  g_signal_connect (agent, "tool-call-started", G_CALLBACK (tool_started_cb), f);
  g_signal_connect (agent, "tool-call-finished", G_CALLBACK (tool_finished_cb), f);
  g_signal_connect (agent, "message-stored", G_CALLBACK (message_stored_cb), f);
  g_signal_connect (agent, "turn-finished", G_CALLBACK (turn_finished_cb), f);

  return agent;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(SextantToolData) tool_data = sextant_tool_data_new (sextant_workspace_get_demo_set (workspace), NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = sextant_test_make_temp_dir ();
  path = g_build_filename (f->dir, "sextant.db", NULL);
  f->store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  f->conversations = sextant_conversation_store_new (f->store);
  f->log = sextant_invocation_log_new (f->store);
  f->registry = sextant_tool_registry_new_default (tool_data);
  f->server = fake_bedrock_server_new ("us-east-1", AKID, SECRET);
  f->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  config = sextant_aws_config_new_for_endpoint ("us-east-1", fake_bedrock_server_get_url (f->server));
  f->client = sextant_bedrock_client_new (config, provider, f->session);
  /* Backoff scaled down so retries take milliseconds. */
  g_object_set (f->client, "retry-base-delay-ms", 2, "idle-timeout-ms", 2000, NULL);
  f->agent = make_agent (f, f->client);
  f->conversation = sextant_conversation_store_create (f->conversations, "Test", SEXTANT_ROLE_PORTFOLIO_MANAGER,
                                                       NULL, &error);
  g_assert_no_error (error);
  f->streamed = g_string_new (NULL);
  f->started = g_ptr_array_new_with_free_func (g_free);
  f->finished = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_cmpuint (fake_bedrock_server_get_n_bad_signatures (f->server), ==, 0);
  g_assert_finalize_object (f->agent);
  g_assert_finalize_object (f->client);
  soup_session_abort (f->session);
  g_object_unref (f->session);
  fake_bedrock_server_free (f->server);
  g_object_unref (f->registry);
  g_object_unref (f->log);
  g_object_unref (f->conversations);
  g_object_unref (f->store);
  g_string_free (f->streamed, TRUE);
  g_ptr_array_unref (f->started);
  g_ptr_array_unref (f->finished);
  g_free (f->outcome);
  g_free (f->dir);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static SextantAgentReply *
ask_with (Fixture       *f,
          SextantAgent  *agent,
          const char    *question,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_agent_ask_async (agent, f->conversation, question, cancellable, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sextant_agent_ask_finish (agent, result, error);
}

static SextantAgentReply *
ask (Fixture     *f,
     const char  *question,
     GError     **error)
{
  return ask_with (f, f->agent, question, NULL, error);
}

static GPtrArray *
stored (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *messages = sextant_conversation_store_load_messages (f->conversations, f->conversation, &error);

  g_assert_no_error (error);

  return messages;
}

static SextantStoredMessage *
nth (GPtrArray *messages,
     guint      i)
{
  return messages->pdata[i];
}

/* The kinds of a stored message's blocks, "text+toolUse". */
static char *
kinds (SextantStoredMessage *m)
{
  JsonArray *content = json_node_get_array (m->content);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      g_autoptr(GList) members = json_object_get_members (json_array_get_object_element (content, i));

      g_string_append_printf (out, "%s%s", i ? "+" : "", (const char *) members->data);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
request_body (Fixture *f,
              guint    i)
{
  const FakeRequest *r = fake_bedrock_server_get_request (f->server, i);

  return g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
}

static gint64
body_max_tokens (const char *body)
{
  g_autoptr(JsonNode) root = json_from_string (body, NULL);

  g_assert_nonnull (root);

  return json_object_get_int_member (json_object_get_object_member (json_node_get_object (root), "inferenceConfig"),
                                     "maxTokens");
}

static SextantInvocation *
only_invocation (Fixture   *f,
                 GPtrArray **keep)
{
  g_autoptr(GError) error = NULL;

  *keep = sextant_invocation_log_list (f->log, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint ((*keep)->len, ==, 1);

  return (*keep)->pdata[0];
}

static void
test_two_tool_calls (Fixture       *f,
                     gconstpointer  data)
{
  const char *final = "MSFT's RSI(14) is 31.86, near oversold. The minimum-variance mix is 43% MSFT, 57% IBM.";
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL, invocations = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body0 = NULL, *body1 = NULL, *body2 = NULL, *expected_text = NULL;
  g_autofree char *k1 = NULL, *k2 = NULL, *k3 = NULL, *k4 = NULL;
  g_autoptr(JsonNode) direct_input = json_from_string ("{\"symbol\":\"MSFT\",\"indicators\":[\"rsi\"]}", NULL);
  g_autoptr(JsonNode) direct = sextant_tool_registry_invoke (f->registry, "compute_indicators", direct_input, NULL, NULL);
  SextantInvocation *inv;

  fake_bedrock_server_push_tool_use (f->server, "Let me compute that.", "tu-1", "compute_indicators",
                                     "{\"symbol\":\"MSFT\",\"indicators\":[\"rsi\"]}");
  fake_bedrock_server_push_tool_use (f->server, "", "tu-2", "optimize_allocation_weights",
                                     "{\"symbols\":[\"MSFT\",\"IBM\"],\"objective\":\"min_variance\"}");
  fake_bedrock_server_push_text (f->server, final);

  reply = ask (f, "How does MSFT's RSI look, and what would a min-variance mix of MSFT and IBM be?", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reply->region, ==, "us-east-1");

  /* Streamed: the first round's text, then the final answer. */
  expected_text = g_strconcat ("Let me compute that.", final, NULL);
  g_assert_cmpstr (f->streamed->str, ==, expected_text);
  g_assert_cmpstr (reply->text, ==, final);
  g_assert_false (reply->offline);
  g_assert_cmpuint (reply->rounds, ==, 3);
  g_assert_cmpuint (reply->tool_calls, ==, 2);
  g_assert_cmpint (reply->input_tokens, ==, 36);
  g_assert_cmpstr (reply->stop_reason, ==, "end_turn");
  g_assert_cmpstr (f->outcome, ==, "success");

  /* The tools ran and their results are what the core gives directly. */
  g_assert_cmpuint (f->started->len, ==, 2);
  g_assert_cmpstr (f->started->pdata[0], ==, "compute_indicators");
  g_assert_cmpstr (f->started->pdata[1], ==, "optimize_allocation_weights");
  g_assert_cmpuint (f->n_errors, ==, 0);
  g_assert_true (json_node_equal (f->finished->pdata[0], direct));

  /* Stored: question, answer with toolUse, results, toolUse, results, final answer. */
  messages = stored (f);
  g_assert_cmpuint (messages->len, ==, 6);
  g_assert_cmpuint (f->n_stored, ==, 6);
  k1 = kinds (nth (messages, 1));
  k2 = kinds (nth (messages, 2));
  k3 = kinds (nth (messages, 3));
  k4 = kinds (nth (messages, 5));
  g_assert_cmpstr (nth (messages, 0)->role, ==, "user");
  g_assert_cmpstr (k1, ==, "text+toolUse");
  g_assert_cmpstr (k2, ==, "toolResult");
  g_assert_cmpstr (k3, ==, "toolUse");
  g_assert_cmpstr (k4, ==, "text");
  g_assert_cmpstr (nth (messages, 5)->text, ==, final);
  for (guint i = 0; i < messages->len; i++)
    g_assert_cmpint (nth (messages, i)->state, ==, SEXTANT_MESSAGE_COMPLETE);
  g_assert_cmpint (nth (messages, 5)->input_tokens, ==, 12);
  g_assert_cmpint (reply->message_id, ==, nth (messages, 5)->id);

  /* What went over the wire: the role's system prompt and 8 tools, then each result paired. */
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 3);
  body0 = request_body (f, 0);
  body1 = request_body (f, 1);
  body2 = request_body (f, 2);
  g_assert_nonnull (strstr (body0, "\"toolConfig\""));
  g_assert_nonnull (strstr (body0, "\"generate_risk_scenarios\""));
  g_assert_nonnull (strstr (body0, "You assist a portfolio manager"));
  g_assert_nonnull (strstr (body1, "\"toolUseId\":\"tu-1\""));
  g_assert_nonnull (strstr (body1, "\"status\":\"success\""));
  g_assert_nonnull (strstr (body2, "\"toolUseId\":\"tu-2\""));
  /* maxTokens sized to each round: 1,024 plus the question's estimated tokens (its bytes / 4,
   * rounded up) for the first; more for a round answering from tool results. */
  g_assert_cmpint (body_max_tokens (body0), ==,
                   1024 + (strlen ("How does MSFT's RSI look, and what would a min-variance mix of MSFT and IBM be?") + 3) / 4);
  g_assert_cmpint (body_max_tokens (body1), >, body_max_tokens (body0));
  g_assert_cmpint (body_max_tokens (body1), <=, SEXTANT_AGENT_DEFAULT_MAX_TOKENS);
  /* Claude 3 Haiku has no prompt caching on Bedrock: no cache point anywhere. */
  g_assert_null (strstr (body0, "cachePoint"));
  g_assert_null (strstr (body2, "cachePoint"));

  inv = only_invocation (f, &invocations);
  g_assert_cmpstr (inv->outcome, ==, "success");
  g_assert_cmpstr (inv->model, ==, MODEL);
  g_assert_cmpstr (inv->role, ==, "portfolio-manager");
  g_assert_cmpuint (inv->tool_calls, ==, 2);
  g_assert_cmpuint (inv->retries, ==, 0);
  g_assert_cmpint (inv->input_tokens, ==, 36);
  g_assert_cmpint (inv->ttft_ms, >=, 0);
  g_assert_cmpint (inv->ttft_ms, <=, inv->latency_ms);
  g_assert_cmpstr (inv->region, ==, "us-east-1");
}

static gint64
json_tokens (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return ((gint64) strlen (text) + 3) / 4;
}

static gboolean
ends_with_cache_point (JsonArray *array)
{
  guint n = json_array_get_length (array);

  return n > 0 && json_object_has_member (json_array_get_object_element (array, n - 1), "cachePoint");
}

/* A copy of @array without a trailing cache point, as the size it measures. */
static JsonNode *
without_cache_point (JsonArray *array)
{
  JsonArray *copy = json_array_new ();
  JsonNode *node;

  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!json_object_has_member (json_array_get_object_element (array, i), "cachePoint"))
      json_array_add_element (copy, json_node_copy (json_array_get_element (array, i)));

  node = json_node_init_array (json_node_alloc (), copy);
  json_array_unref (copy);

  return node;
}

/* Prompt caching with a model that has it (Claude Sonnet 4, 1,024 tokens at least): cache points
 * after the tool specs and the system prompt where the prefix (tools, then system) reaches the
 * minimum, and after the older turns once they do; the usage's cache counts reach the reply and
 * the invocation log. Sizes are measured here on the JSON the fake received, a quarter token a
 * byte. */
static void
test_prompt_cache (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) long_question = g_string_new (NULL);
  g_autoptr(SextantAgentReply) first = NULL, second = NULL;
  g_autoptr(GPtrArray) invocations = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body0 = NULL, *body1 = NULL;
  g_autoptr(JsonNode) root0 = NULL, root1 = NULL, tools = NULL;
  g_autoptr(JsonNode) system_text = NULL;
  JsonObject *o;
  JsonArray *messages, *system;
  gint64 prefix;

  sextant_agent_set_model (f->agent, "us.anthropic.claude-sonnet-4-20250514-v1:0");
  fake_bedrock_server_set_cache_usage (f->server, 1500, 300);
  /* A long first question (a pasted report), so that the first exchange alone passes the
   * minimum; questions are not streamed, so this stays quick in a sanitized build. */
  g_string_append (long_question, "Summarise the risk of my book from this report: ");
  for (guint i = 0; i < 120; i++)
    g_string_append (long_question, "The book's one-day 95 % VaR is 2.1 % of its value. ");
  fake_bedrock_server_push_text (f->server, "The VaR is 2.1 %.");
  first = ask (f, long_question->str, &error);
  g_assert_no_error (error);
  fake_bedrock_server_push_text (f->server, "Short answer.");
  second = ask (f, "And its beta?", &error);
  g_assert_no_error (error);

  body0 = request_body (f, 0);
  root0 = json_from_string (body0, NULL);
  o = json_node_get_object (root0);
  tools = without_cache_point (json_object_get_array_member (json_object_get_object_member (o, "toolConfig"), "tools"));
  prefix = json_tokens (tools);
  g_assert_cmpint (ends_with_cache_point (json_object_get_array_member (json_object_get_object_member (o, "toolConfig"), "tools")),
                   ==, prefix >= 1024);
  system = json_object_get_array_member (o, "system");
  system_text = json_node_init_string (json_node_alloc (),
                                       json_object_get_string_member (json_array_get_object_element (system, 0), "text"));
  prefix += json_tokens (system_text);
  g_assert_cmpint (ends_with_cache_point (system), ==, prefix >= 1024);
  /* The 8 tools' specs and the role's prompt reach 1,024 tokens: both points are there. */
  g_assert_true (ends_with_cache_point (system));
  /* One message: nothing older to cache. */
  messages = json_object_get_array_member (o, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  g_assert_false (ends_with_cache_point (json_object_get_array_member (json_array_get_object_element (messages, 0), "content")));

  /* The second question: the first exchange (over 1,024 tokens) gets its point, the new
   * question none. */
  body1 = request_body (f, 1);
  root1 = json_from_string (body1, NULL);
  messages = json_object_get_array_member (json_node_get_object (root1), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);
  g_assert_false (ends_with_cache_point (json_object_get_array_member (json_array_get_object_element (messages, 0), "content")));
  g_assert_true (ends_with_cache_point (json_object_get_array_member (json_array_get_object_element (messages, 1), "content")));
  g_assert_false (ends_with_cache_point (json_object_get_array_member (json_array_get_object_element (messages, 2), "content")));

  /* Usage: the fake's cache counts, in the reply and the log. */
  g_assert_cmpint (second->cache_read_tokens, ==, 1500);
  g_assert_cmpint (second->cache_write_tokens, ==, 300);
  invocations = sextant_invocation_log_list (f->log, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invocations->len, ==, 2);
  g_assert_cmpint (((SextantInvocation *) invocations->pdata[1])->cache_read_tokens, ==, 1500);
  g_assert_cmpint (((SextantInvocation *) invocations->pdata[1])->cache_write_tokens, ==, 300);
}

static void
spending_warning_cb (SextantAgent *agent,
                     gint64        conversation_id,
                     const char   *message,
                     GPtrArray    *warnings)
{
  g_ptr_array_add (warnings, g_strdup (message));
}

static void
record_spent (Fixture *f,
              gint64   conversation_id,
              gint64   input_tokens)
{
  g_autoptr(GError) error = NULL;
  SextantInvocation inv = {
    .conversation_id = conversation_id,
    .started_at = g_get_real_time () - G_USEC_PER_SEC,
    .model = (char *) "us.anthropic.claude-sonnet-4-20250514-v1:0",
    .role = (char *) "portfolio-manager",
    .input_tokens = input_tokens,
    .outcome = (char *) "success",
  };

  g_assert_true (sextant_invocation_log_record (f->log, &inv, &error));
  g_assert_no_error (error);
}

/* The monthly and per-conversation limits: a warning from 80 %, a stop at 100 % that sends and
 * stores nothing, and the override. Costs: Claude Sonnet 4 input at $3 per million tokens, so
 * 1,000,000 input tokens cost $3.00. */
static void
test_spending_limits (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SextantModelPrices) prices = sextant_model_prices_new ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  gint64 other;

  g_signal_connect (f->agent, "spending-warning", G_CALLBACK (spending_warning_cb), warnings);
  record_spent (f, 0, 1000000);

  /* $3.00 of $3.50 is 85 %: a warning, and the answer. */
  sextant_agent_set_spending_limits (f->agent, prices, 3.50, 0);
  reply = ask (f, "First question", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (warnings->pdata[0], "85 %"));
  g_assert_nonnull (strstr (warnings->pdata[0], "$3.00 of $3.50"));
  g_clear_pointer (&reply, sextant_agent_reply_free);

  /* $3.00 of $3.00: stopped before anything is stored or sent. */
  sextant_agent_set_spending_limits (f->agent, prices, 3.00, 0);
  reply = ask (f, "Second question", &error);
  g_assert_null (reply);
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_SPENDING_LIMIT);
  g_assert_nonnull (strstr (error->message, "monthly limit of $3.00"));
  g_clear_error (&error);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 1);
  messages = stored (f);
  g_assert_cmpuint (messages->len, ==, 2);
  g_clear_pointer (&messages, g_ptr_array_unref);

  /* Ask anyway: the conversation goes on, with a warning. */
  sextant_agent_allow_over_limit (f->agent, f->conversation);
  reply = ask (f, "Second question", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_clear_pointer (&reply, sextant_agent_reply_free);

  /* The per-conversation limit: $1.50 spent in another conversation stops it at $1.50, not this one. */
  other = sextant_conversation_store_create (f->conversations, "Other", SEXTANT_ROLE_PORTFOLIO_MANAGER, NULL, &error);
  g_assert_no_error (error);
  record_spent (f, other, 500000);
  sextant_agent_set_spending_limits (f->agent, prices, 0, 1.50);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(SextantAgentReply) refused = NULL;

    sextant_agent_ask_async (f->agent, other, "Third question", NULL, done_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    refused = sextant_agent_ask_finish (f->agent, result, &error);
    g_assert_null (refused);
    g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_SPENDING_LIMIT);
    g_assert_nonnull (strstr (error->message, "This conversation"));
    g_clear_error (&error);
  }
  reply = ask (f, "Fourth question", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 3);
}

static void
test_tool_error (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body1 = NULL;
  JsonObject *result;

  fake_bedrock_server_push_tool_use (f->server, "", "tu-9", "get_quote", "{\"symbol\":\"TSLA\"}");
  fake_bedrock_server_push_text (f->server, "TSLA is not in the local data.");
  reply = ask (f, "Quote of TSLA?", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_errors, ==, 1);
  result = json_node_get_object (f->finished->pdata[0]);
  g_assert_nonnull (strstr (json_object_get_string_member (result, "error"), "No price data for TSLA"));
  body1 = request_body (f, 1);
  g_assert_nonnull (strstr (body1, "\"status\":\"error\""));
  g_assert_nonnull (strstr (body1, "No price data for TSLA"));
  g_assert_cmpstr (reply->text, ==, "TSLA is not in the local data.");
}

static void
retrying_cb (SextantAgent *agent,
             gint64        conversation_id,
             guint         failed_attempt,
             guint         max_attempts,
             guint         delay_ms,
             const char   *reason,
             GString      *seen)
{
  g_string_append_printf (seen, "%u/%u:%s;", failed_attempt, max_attempts, reason);
}

static void
test_throttled_then_success (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL, invocations = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) retries = g_string_new (NULL);
  SextantInvocation *inv;

  g_signal_connect (f->agent, "retrying", G_CALLBACK (retrying_cb), retries);
  fake_bedrock_server_push_http_error (f->server, 429, "ThrottlingException", "Rate exceeded");
  fake_bedrock_server_push_text (f->server, "Hello after a retry.");
  reply = ask (f, "Hello?", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reply->text, ==, "Hello after a retry.");
  g_assert_cmpstr (f->streamed->str, ==, "Hello after a retry.");
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 2);
  messages = stored (f);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpint (nth (messages, 0)->state, ==, SEXTANT_MESSAGE_COMPLETE);
  inv = only_invocation (f, &invocations);
  g_assert_cmpstr (inv->outcome, ==, "success");
  g_assert_cmpuint (inv->retries, ==, 1);
  /* The window's countdown hears of the one retry, with the server's own message in it. */
  g_assert_nonnull (strstr (retries->str, "1/3:"));
  g_assert_nonnull (strstr (retries->str, "Rate exceeded"));
  g_assert_null (strstr (retries->str, "2/3:"));
}

static void
test_stream_cut (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL, invocations = NULL;
  g_autoptr(GError) error = NULL;
  SextantInvocation *inv;

  /* The stream ends after some text, without messageStop or metadata. */
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_TRUNCATED, "The portfolio's 95% VaR is", NULL, NULL);
  reply = ask (f, "VaR of my portfolio?", &error);
  g_assert_null (reply);
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_TRUNCATED);
  g_assert_cmpstr (f->streamed->str, ==, "The portfolio's 95% VaR is");
  g_assert_cmpstr (f->outcome, ==, "interrupted");

  messages = stored (f);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (nth (messages, 0)->text, ==, "VaR of my portfolio?");
  g_assert_cmpint (nth (messages, 0)->state, ==, SEXTANT_MESSAGE_COMPLETE);
  g_assert_cmpstr (nth (messages, 1)->role, ==, "assistant");
  g_assert_cmpstr (nth (messages, 1)->text, ==, "The portfolio's 95% VaR is");
  g_assert_cmpint (nth (messages, 1)->state, ==, SEXTANT_MESSAGE_INTERRUPTED);
  inv = only_invocation (f, &invocations);
  g_assert_cmpstr (inv->outcome, ==, "interrupted");
  g_assert_cmpstr (inv->error_type, ==, "truncated");

  /* Retry: the question is sent again, without the cut-off answer, and answered in full. */
  fake_bedrock_server_push_text (f->server, "The portfolio's 95% VaR is 1.70%.");
  {
    g_autoptr(GError) retry_error = NULL;
    g_autoptr(SextantAgentReply) retried = ask (f, NULL, &retry_error);
    g_autofree char *body = request_body (f, 1);
    g_autoptr(JsonNode) json = json_from_string (body, NULL);
    JsonArray *sent = json_object_get_array_member (json_node_get_object (json), "messages");
    g_autoptr(GPtrArray) after = stored (f);

    g_assert_no_error (retry_error);
    g_assert_cmpstr (retried->text, ==, "The portfolio's 95% VaR is 1.70%.");
    g_assert_cmpuint (json_array_get_length (sent), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sent, 0), "role"), ==, "user");
    g_assert_cmpuint (after->len, ==, 3);
    g_assert_cmpint (nth (after, 2)->state, ==, SEXTANT_MESSAGE_COMPLETE);
  }
}

static void
test_round_bound (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL, context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantConverseMessage) next = NULL;
  g_autofree char *last = NULL;

  sextant_agent_set_max_rounds (f->agent, 2);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("loop-%u", i);

      fake_bedrock_server_push_tool_use (f->server, "", id, "get_quote", "{\"symbol\":\"MSFT\"}");
    }
  reply = ask (f, "Keep quoting", &error);
  g_assert_null (reply);
  g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_TOO_MANY_ROUNDS);
  g_assert_nonnull (strstr (error->message, "after 2 rounds"));
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpuint (f->started->len, ==, 1);

  /* Stored: question, toolUse, result, toolUse (unanswered). A next question's context leaves
   * the unanswered toolUse out, so Bedrock accepts it. */
  messages = stored (f);
  g_assert_cmpuint (messages->len, ==, 4);
  last = kinds (nth (messages, 3));
  g_assert_cmpstr (last, ==, "toolUse");
  next = sextant_converse_message_new ("user");
  sextant_converse_message_add_text (next, "Stop that.");
  sextant_conversation_store_append (f->conversations, f->conversation, next, SEXTANT_MESSAGE_COMPLETE, 0, 0, NULL);
  context = sextant_conversation_store_build_context (f->conversations, f->conversation, 100000, NULL);
  g_assert_cmpuint (context->len, ==, 3);
  g_assert_cmpstr (sextant_converse_message_get_role (context->pdata[2]), ==, "user");
}

static void
test_offline_without_client (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(SextantAgent) offline = make_agent (f, NULL);
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL, invocations = NULL;
  g_autoptr(GError) error = NULL;
  SextantInvocation *inv;

  sextant_agent_set_offline_reason (offline, "No AWS credentials were found.");
  reply = ask_with (f, offline, "RSI of MSFT", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (reply->offline);
  g_assert_true (g_str_has_prefix (reply->text, "> **" SEXTANT_OFFLINE_LABEL ".** No AWS credentials were found."));
  g_assert_nonnull (strstr (reply->text, "| RSI(14) |"));
  g_assert_cmpstr (f->streamed->str, ==, reply->text);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 0);
  /* The tool the analyst ran is told as Claude's are, and stored as a round: its call, its
   * result, then the answer. */
  g_assert_cmpuint (f->started->len, ==, 1);
  g_assert_cmpstr (f->started->pdata[0], ==, "compute_indicators");
  g_assert_cmpuint (f->finished->len, ==, 1);
  g_assert_cmpuint (f->n_errors, ==, 0);
  messages = stored (f);
  g_assert_cmpuint (messages->len, ==, 4);
  g_assert_cmpstr (nth (messages, 1)->role, ==, "assistant");
  g_assert_cmpstr (nth (messages, 1)->text, ==, "");
  g_assert_cmpstr (nth (messages, 2)->role, ==, "user");
  g_assert_cmpstr (nth (messages, 3)->text, ==, reply->text);
  inv = only_invocation (f, &invocations);
  g_assert_cmpstr (inv->outcome, ==, "offline");
  g_assert_cmpuint (inv->tool_calls, ==, 1);
  g_assert_null (inv->model);
}

static void
test_offline_when_unreachable (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  /* Port 9 (discard) on loopback: nothing listens, the connection is refused. */
  g_autoptr(SextantAwsConfig) config = sextant_aws_config_new_for_endpoint ("us-east-1", "http://127.0.0.1:9");
  g_autoptr(SextantBedrockClient) client = sextant_bedrock_client_new (config, provider, f->session);
  g_autoptr(SextantAgent) agent = NULL;
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GPtrArray) invocations = NULL;
  g_autoptr(GError) error = NULL;
  SextantInvocation *inv;

  g_object_set (client, "retry-base-delay-ms", 2, NULL);
  agent = make_agent (f, client);
  reply = ask_with (f, agent, "optimise MSFT IBM INTC for minimum variance", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (reply->offline);
  g_assert_nonnull (strstr (reply->text, "Amazon Bedrock could not be reached"));
  g_assert_nonnull (strstr (reply->text, "### Minimum variance weights"));
  inv = only_invocation (f, &invocations);
  g_assert_cmpstr (inv->outcome, ==, "offline");
  g_assert_cmpstr (inv->error_type, ==, "network");
}

static void
test_failure_then_retry (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL, retried = NULL;
  g_autoptr(GPtrArray) messages = NULL, after = NULL;
  g_autoptr(GError) error = NULL;

  /* A validation error is not retried by the client: the question is marked failed. */
  fake_bedrock_server_push_http_error (f->server, 400, "ValidationException", "Bad input");
  reply = ask (f, "What is the beta of IBM?", &error);
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_VALIDATION);
  g_clear_error (&error);
  messages = stored (f);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpint (nth (messages, 0)->state, ==, SEXTANT_MESSAGE_FAILED);

  /* Retry keeps the draft: the same stored question, sent again, no second copy. */
  fake_bedrock_server_push_text (f->server, "IBM's beta is about 1.");
  retried = ask (f, NULL, &error);
  g_assert_no_error (error);
  after = stored (f);
  g_assert_cmpuint (after->len, ==, 2);
  g_assert_cmpint (nth (after, 0)->state, ==, SEXTANT_MESSAGE_COMPLETE);
  g_assert_cmpstr (nth (after, 0)->text, ==, "What is the beta of IBM?");
  g_assert_cmpstr (retried->text, ==, "IBM's beta is about 1.");
}

static void
test_cancel_and_busy (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL, second = NULL;
  g_autoptr(SextantAgentReply) reply = NULL, busy_reply = NULL;
  g_autoptr(GError) error = NULL, busy = NULL;

  fake_bedrock_server_push_slow_text (f->server, "Too late.", 2000);
  sextant_agent_ask_async (f->agent, f->conversation, "Slow one", cancellable, done_cb, &first);
  g_assert_true (sextant_agent_get_busy (f->agent));
  sextant_agent_ask_async (f->agent, f->conversation, "Another", NULL, done_cb, &second);
  while (second == NULL)
    g_main_context_iteration (NULL, TRUE);
  busy_reply = sextant_agent_ask_finish (f->agent, second, &busy);
  g_assert_error (busy, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_BUSY);

  g_cancellable_cancel (cancellable);
  while (first == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply = sextant_agent_ask_finish (f->agent, first, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (f->outcome, ==, "cancelled");
  g_assert_false (sextant_agent_get_busy (f->agent));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  workspace = sextant_test_load_demo_workspace ();

#define ADD(path, func) g_test_add ("/sextant/agent/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("two-tool-calls", test_two_tool_calls);
  ADD ("prompt-cache", test_prompt_cache);
  ADD ("spending-limits", test_spending_limits);
  ADD ("tool-error", test_tool_error);
  ADD ("throttled-then-success", test_throttled_then_success);
  ADD ("stream-cut", test_stream_cut);
  ADD ("round-bound", test_round_bound);
  ADD ("offline-without-client", test_offline_without_client);
  ADD ("offline-when-unreachable", test_offline_when_unreachable);
  ADD ("failure-then-retry", test_failure_then_retry);
  ADD ("cancel-and-busy", test_cancel_and_busy);
#undef ADD

  status = g_test_run ();
  g_object_unref (workspace);

  return status;
}
