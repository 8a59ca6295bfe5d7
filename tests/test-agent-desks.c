#define G_LOG_DOMAIN "test-agent-desks"

#include "config.h"

#include <string.h>

#include "fake-bedrock-server.h"
#include "fake-market-server.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* Delegation to the specialist desks (issue 17) against the fake Bedrock: the portfolio
 * manager's model asks the rates desk, the desk's own tool loop runs with the desk's model,
 * system prompt and tool subset, and its finding comes back as the tool's result. The fake
 * server answers requests in order and reports 12 input tokens per call. The bond priced is the
 * first row of tests/data/rates/bond_reference.csv (QuantLib). The shock delegations put issue
 * 17's question to the FX and rates desks on the book of tests/data/shock/desk_book.csv, made
 * and shocked with the built sextant-cli on the same store: the desks' figures are the CLI's,
 * and QuantLib's (tests/data/shock/shock_reference_question.json). */

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define MODEL "anthropic.claude-3-haiku-20240307-v1:0"
#define DESK_MODEL "anthropic.claude-3-5-sonnet-20240620-v1:0"
#define BOND_INPUT \
  "{\"coupon\":4.25,\"maturity\":\"2034-11-15\",\"settlement\":\"2026-12-07\",\"yield\":4.1," \
  "\"frequency\":2,\"day_count\":\"act/act-icma\",\"face\":100}"
#define QUESTION "Price the 4.25% Treasury of 2034-11-15 at a 4.1% yield, settling 2026-12-07."
#define BOOK "Desk book"
#define SHOCK_QUESTION "What does a 100 bp parallel rise in euro rates and a 10 % dollar fall do to this book?"
#define SHOCK_INPUT \
  "{\"portfolio\":\"" BOOK "\",\"rates_bp\":100,\"fx\":[{\"currency\":\"USD\",\"shock_percent\":-10}]}"

/* The built sextant-cli, passed by tests/meson.build. */
static const char *cli_path;

typedef struct
{
  char                     *dir;
  SextantStore             *store;
  SextantConversationStore *conversations;
  SextantInvocationLog     *log;
  SextantToolRegistry      *registry;
  SextantPortfolioStore    *portfolios;
  FakeBedrockServer        *server;
  SoupSession              *session;
  SextantBedrockClient     *client;
  SextantAgent             *agent;
  gint64                    conversation;
  GPtrArray                *started;    /* tool names the portfolio manager's turn showed */
  GPtrArray                *finished;   /* their results */
  guint                     n_errors;
} Fixture;

static void
tool_started_cb (SextantAgent *agent,
                 const char   *id,
                 const char   *name,
                 JsonNode     *input,
                 Fixture      *f)
{
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

/* The ECB rates and Treasury curves a fetch would have cached (the fixtures of test-tools-rates). */
static void
put_fixtures (SextantMarketCache *cache)
{
  g_autofree char *fx_path = sextant_test_reference_path ("fx/ecb_exr_2000-2001.csv");
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (fx_path, &text, &length, &error));
  series = sextant_ecb_rates_parse_csv (text, length, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_market_cache_put_fx_rates (cache, series, NULL, &error));
  /* The Treasury's curve for the book's dollar bonds, the ECB's for its euro bond. */
  sextant_test_put_par_curves (cache, TRUE, TRUE);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(SextantToolData) tool_data = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = sextant_test_make_temp_dir ();
  path = g_build_filename (f->dir, "sextant.db", NULL);
  f->store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  cache = sextant_market_cache_new (f->store);
  put_fixtures (cache);
  tool_data = sextant_tool_data_new (NULL, cache);
  f->portfolios = sextant_portfolio_store_new (f->store);
  sextant_tool_data_set_portfolio_store (tool_data, f->portfolios);
  f->conversations = sextant_conversation_store_new (f->store);
  f->log = sextant_invocation_log_new (f->store);
  f->registry = sextant_tool_registry_new_default (tool_data);
  f->server = fake_bedrock_server_new ("us-east-1", AKID, SECRET);
  f->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  config = sextant_aws_config_new_for_endpoint ("us-east-1", fake_bedrock_server_get_url (f->server));
  f->client = sextant_bedrock_client_new (config, provider, f->session);
  g_object_set (f->client, "retry-base-delay-ms", 2, "idle-timeout-ms", 15000, NULL);
  f->agent = sextant_agent_new (f->client, f->registry, f->conversations, f->log);
  sextant_agent_set_model (f->agent, MODEL);
  sextant_agent_set_desk_model (f->agent, SEXTANT_ROLE_RATES_DESK, DESK_MODEL);
  g_signal_connect (f->agent, "tool-call-started", G_CALLBACK (tool_started_cb), f);
  g_signal_connect (f->agent, "tool-call-finished", G_CALLBACK (tool_finished_cb), f);
  f->conversation = sextant_conversation_store_create (f->conversations, "Desks", SEXTANT_ROLE_PORTFOLIO_MANAGER,
                                                       NULL, &error);
  g_assert_no_error (error);
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
  g_object_unref (f->portfolios);
  g_object_unref (f->log);
  g_object_unref (f->conversations);
  g_object_unref (f->store);
  g_ptr_array_unref (f->started);
  g_ptr_array_unref (f->finished);
  sextant_test_remove_temp_dir (f->dir);
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
ask (Fixture     *f,
     const char  *question,
     GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_agent_ask_async (f->agent, f->conversation, question, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return sextant_agent_ask_finish (f->agent, result, error);
}

static JsonObject *
request_json (Fixture    *f,
              guint       i,
              JsonNode  **keep)
{
  const FakeRequest *r = fake_bedrock_server_get_request (f->server, i);
  g_autofree char *body = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));

  *keep = json_from_string (body, NULL);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

/* The names in a request's tool configuration, "a,b,c". */
static char *
tool_names (JsonObject *request)
{
  JsonArray *tools = json_object_get_array_member (json_object_get_object_member (request, "toolConfig"), "tools");
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (tools); i++)
    {
      JsonObject *spec = json_object_get_object_member (json_array_get_object_element (tools, i), "toolSpec");

      g_string_append_printf (names, "%s%s", i > 0 ? "," : "", json_object_get_string_member (spec, "name"));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static const char *
system_text (JsonObject *request)
{
  return json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (request, "system"), 0),
                                        "text");
}

static double
reference_clean_price (void)
{
  g_autofree char *path = sextant_test_reference_path ("rates/bond_reference.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) row = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", 3);
  row = g_strsplit (lines[1], ",", -1);
  g_assert_cmpstr (row[1], ==, "2034-11-15");
  g_assert_cmpstr (row[6], ==, "yield");
  return g_ascii_strtod (row[8], NULL);
}

static GPtrArray *
invocations (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *all = sextant_invocation_log_list (f->log, 0, G_MAXINT64, &error);

  g_assert_no_error (error);
  return all;
}

static SextantInvocation *
invocation_of (GPtrArray  *all,
               const char *role)
{
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (((SextantInvocation *) all->pdata[i])->role, role) == 0)
      return all->pdata[i];
  g_error ("no invocation of %s", role);
  return NULL;
}

static void
test_delegation (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep0 = NULL, keep1 = NULL, keep2 = NULL, keep3 = NULL;
  g_autoptr(GPtrArray) messages = NULL, conversations = NULL, logged = NULL;
  g_autofree char *pm_tools = NULL, *desk_tools = NULL, *desk_input = NULL;
  JsonObject *pm0, *desk1, *desk2, *pm3, *finding, *call;
  const FakeRequest *r1;
  SextantInvocation *desk_inv, *pm_inv;
  double clean = reference_clean_price ();

  desk_input = g_strdup_printf ("{\"question\":\"%s\"}", QUESTION);
  fake_bedrock_server_push_tool_use (f->server, "I'll ask the rates desk.", "tu-pm-1", "ask_rates_desk", desk_input);
  fake_bedrock_server_push_tool_use (f->server, "", "tu-desk-1", "price_bond", BOND_INPUT);
  fake_bedrock_server_push_text (f->server, "Clean price 101.0055, modified duration 6.67.");
  fake_bedrock_server_push_text (f->server, "The rates desk prices it at 101.0055.");

  reply = ask (f, "What is the 4.25% 2034 Treasury worth at 4.1%?", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reply->text, ==, "The rates desk prices it at 101.0055.");
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 4);

  /* The portfolio manager's model sees its own tools and one per desk. */
  pm0 = request_json (f, 0, &keep0);
  pm_tools = tool_names (pm0);
  g_assert_nonnull (strstr (pm_tools, "get_quote,"));
  g_assert_true (g_str_has_suffix (pm_tools, ",ask_fx_desk,ask_rates_desk,ask_credit_desk"));
  g_assert_nonnull (strstr (system_text (pm0), "You assist a portfolio manager"));

  /* The desk's own loop: its model, its prompt, its tool subset, the question alone. */
  r1 = fake_bedrock_server_get_request (f->server, 1);
  g_assert_cmpstr (r1->model_id, ==, DESK_MODEL);
  g_assert_cmpstr (fake_bedrock_server_get_request (f->server, 0)->model_id, ==, MODEL);
  g_assert_cmpstr (fake_bedrock_server_get_request (f->server, 3)->model_id, ==, MODEL);
  desk1 = request_json (f, 1, &keep1);
  desk_tools = tool_names (desk1);
  g_assert_cmpstr (desk_tools, ==, "get_yield_curve,price_bond,shock_portfolio");
  g_assert_nonnull (strstr (system_text (desk1), "You are the interest-rates desk"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk1, "messages")), ==, 1);
  {
    JsonObject *first = json_array_get_object_element (json_object_get_array_member (desk1, "messages"), 0);
    JsonObject *block = json_array_get_object_element (json_object_get_array_member (first, "content"), 0);

    g_assert_cmpstr (json_object_get_string_member (block, "text"), ==, QUESTION);
  }
  desk2 = request_json (f, 2, &keep2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk2, "messages")), ==, 3);

  /* The finding goes back to the portfolio manager with what the desk did and used. */
  g_assert_cmpuint (f->started->len, ==, 1);
  g_assert_cmpstr (f->started->pdata[0], ==, "ask_rates_desk");
  g_assert_cmpuint (f->n_errors, ==, 0);
  finding = json_node_get_object (f->finished->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (finding, "desk"), ==, "rates-desk");
  g_assert_cmpstr (json_object_get_string_member (finding, "desk_name"), ==, "Rates desk");
  g_assert_cmpstr (json_object_get_string_member (finding, "question"), ==, QUESTION);
  g_assert_cmpstr (json_object_get_string_member (finding, "model"), ==, DESK_MODEL);
  g_assert_cmpstr (json_object_get_string_member (finding, "answer"), ==, "Clean price 101.0055, modified duration 6.67.");
  g_assert_cmpint (json_object_get_int_member (finding, "rounds"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (finding, "tool_calls"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (finding, "input_tokens"), ==, 24);
  g_assert_cmpint (json_object_get_int_member (finding, "max_rounds"), ==, SEXTANT_AGENT_DEFAULT_DESK_MAX_ROUNDS);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (finding, "calls")), ==, 1);
  call = json_array_get_object_element (json_object_get_array_member (finding, "calls"), 0);
  g_assert_cmpstr (json_object_get_string_member (call, "name"), ==, "price_bond");
  g_assert_false (json_object_get_boolean_member (call, "is_error"));
  sextant_assert_close_rel (json_object_get_double_member (json_object_get_object_member (call, "result"), "clean_price"),
                            clean, 1e-10);
  pm3 = request_json (f, 3, &keep3);
  {
    JsonArray *msgs = json_object_get_array_member (pm3, "messages");
    JsonObject *results = json_array_get_object_element (msgs, json_array_get_length (msgs) - 1);
    JsonObject *result = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (results, "content"), 0),
                                                        "toolResult");

    g_assert_cmpstr (json_object_get_string_member (result, "toolUseId"), ==, "tu-pm-1");
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "success");
  }

  /* Counted per desk: in the reply, and in the invocation log under the desk's role. */
  g_assert_cmpuint (reply->rounds, ==, 2);
  g_assert_cmpuint (reply->desk_calls, ==, 1);
  g_assert_cmpuint (reply->desk_rounds, ==, 2);
  g_assert_cmpint (reply->desk_input_tokens, ==, 24);
  g_assert_cmpint (reply->input_tokens, ==, 24);
  logged = invocations (f);
  g_assert_cmpuint (logged->len, ==, 2);
  desk_inv = invocation_of (logged, "rates-desk");
  pm_inv = invocation_of (logged, "portfolio-manager");
  g_assert_cmpstr (desk_inv->model, ==, DESK_MODEL);
  g_assert_cmpuint (desk_inv->tool_calls, ==, 1);
  g_assert_cmpint (desk_inv->input_tokens, ==, 24);
  g_assert_cmpint (desk_inv->conversation_id, ==, f->conversation);
  g_assert_cmpstr (desk_inv->outcome, ==, "success");
  g_assert_cmpuint (pm_inv->tool_calls, ==, 1);

  /* The desk's messages are not a conversation of their own; the manager's holds the finding. */
  conversations = sextant_conversation_store_list (f->conversations, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversations->len, ==, 1);
  messages = sextant_conversation_store_load_messages (f->conversations, f->conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 4);
}

/* A desk stopped by its round bound reports that, with what it did, and the manager goes on. */
static void
test_desk_round_bound (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logged = NULL;
  JsonObject *finding;

  sextant_agent_set_desk_limits (f->agent, 1, 0);
  fake_bedrock_server_push_tool_use (f->server, "", "tu-pm-1", "ask_rates_desk", "{\"question\":\"" QUESTION "\"}");
  fake_bedrock_server_push_tool_use (f->server, "", "tu-desk-1", "price_bond", BOND_INPUT);
  fake_bedrock_server_push_text (f->server, "The rates desk could not finish.");

  reply = ask (f, "Price it.", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 3);
  g_assert_cmpuint (f->n_errors, ==, 1);
  finding = json_node_get_object (f->finished->pdata[0]);
  g_assert_nonnull (strstr (json_object_get_string_member (finding, "error"), "after 1 rounds"));
  g_assert_cmpint (json_object_get_int_member (finding, "rounds"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (finding, "max_rounds"), ==, 1);
  g_assert_cmpuint (reply->desk_rounds, ==, 1);
  logged = invocations (f);
  g_assert_cmpstr (invocation_of (logged, "rates-desk")->outcome, ==, "failed");
  g_assert_cmpstr (invocation_of (logged, "rates-desk")->error_type, !=, NULL);
}

/* The token bound: 12 input tokens a call, a bound of 10, so the desk stops after its first. */
static void
test_desk_token_bound (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *finding;

  sextant_agent_set_desk_limits (f->agent, 6, 10);
  fake_bedrock_server_push_tool_use (f->server, "", "tu-pm-1", "ask_rates_desk", "{\"question\":\"" QUESTION "\"}");
  fake_bedrock_server_push_tool_use (f->server, "", "tu-desk-1", "price_bond", BOND_INPUT);
  fake_bedrock_server_push_text (f->server, "The rates desk ran out of tokens.");

  reply = ask (f, "Price it.", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 3);
  finding = json_node_get_object (f->finished->pdata[0]);
  g_assert_nonnull (strstr (json_object_get_string_member (finding, "error"), "over the bound of 10"));
  g_assert_cmpint (json_object_get_int_member (finding, "max_tokens"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (finding, "input_tokens"), ==, 12);
}

/* Other roles and a desk's own turn get no desk tools; a question of nothing is refused. */
static void
test_no_delegation_elsewhere (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *names = NULL;

  g_assert_true (sextant_conversation_store_set_role (f->conversations, f->conversation,
                                                      SEXTANT_ROLE_RISK_OFFICER, &error));
  fake_bedrock_server_push_text (f->server, "No desks here.");
  reply = ask (f, "Hello", &error);
  g_assert_no_error (error);
  names = tool_names (request_json (f, 0, &keep));
  g_assert_null (strstr (names, "ask_"));

  g_assert_false (sextant_conversation_store_create (f->conversations, "x", "no-such-role", NULL, NULL) > 0);
  /* A desk is no conversation's role. */
  g_assert_false (sextant_conversation_store_create (f->conversations, "x", SEXTANT_ROLE_RATES_DESK, NULL, NULL) > 0);
  g_assert_true (sextant_agent_role_is_desk (SEXTANT_ROLE_CREDIT_DESK));
  g_assert_false (sextant_agent_role_is_desk (SEXTANT_ROLE_ANALYST));
  g_assert_cmpstr (sextant_agent_desk_from_tool_name ("ask_fx_desk"), ==, SEXTANT_ROLE_FX_DESK);
  g_assert_null (sextant_agent_desk_from_tool_name ("get_quote"));
}

static void
test_empty_question (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *finding;

  fake_bedrock_server_push_tool_use (f->server, "", "tu-pm-1", "ask_credit_desk", "{\"question\":\"\"}");
  fake_bedrock_server_push_text (f->server, "I will rephrase.");
  reply = ask (f, "Spreads?", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpuint (f->n_errors, ==, 1);
  finding = json_node_get_object (f->finished->pdata[0]);
  g_assert_nonnull (strstr (json_object_get_string_member (finding, "error"), "needs a question"));
  g_assert_cmpuint (reply->desk_calls, ==, 1);
  g_assert_cmpuint (reply->desk_rounds, ==, 0);
}

/* Offline, the analyst answers the desks' questions through the same tools. */
static void
test_offline_desk_questions (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(SextantAgent) agent = sextant_agent_new (NULL, f->registry, f->conversations, f->log);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = sextant_test_reference_path ("rates/curve_reference.json");
  g_autofree char *clean_text = g_strdup_printf ("| Clean price (%% of face) | %.6f |", reference_clean_price ());
  g_autofree char *zero_text = NULL;
  const struct { const char *question, *tool; } cases[] = {
    { QUESTION, "price_bond" },
    { "What is the exchange rate of USD in GBP on 2001-06-15?", "get_fx_rates" },
    { "Show the Treasury yield curve of 2025-02-28 with a Svensson fit", "get_yield_curve" },
  };
  JsonObject *curve;

  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  curve = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                       "curves"), 0);
  /* The 10-year zero rate, QuantLib's, as the answer's table rounds it. */
  zero_text = g_strdup_printf ("| 10 | 4.240 | %.4f |",
                               json_array_get_double_element (json_object_get_array_member (curve, "zero"), 11));
  g_signal_connect (agent, "tool-call-started", G_CALLBACK (tool_started_cb), f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SextantAgentReply) reply = sextant_agent_ask_sync (agent, f->conversation, cases[i].question, NULL, NULL);

      g_assert_nonnull (reply);
      g_assert_true (reply->offline);
      g_assert_cmpuint (f->started->len, ==, i + 1);
      g_assert_cmpstr (f->started->pdata[i], ==, cases[i].tool);
      if (i == 0 && strstr (reply->text, clean_text) == NULL)
        g_error ("“%s” not in:\n%s", clean_text, reply->text);
      /* 1 USD in GBP on that day, read straight from the fixture (tests/data/desks). */
      if (i == 1 && strstr (reply->text, "| USD | 0.672093 | 2001-06-15 |") == NULL)
        g_error ("the USD rate is not in:\n%s", reply->text);
      if (i == 2 && (strstr (reply->text, zero_text) == NULL || strstr (reply->text, "svensson fit") == NULL))
        g_error ("“%s” not in:\n%s", zero_text, reply->text);
    }
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 0);
}

/* Bedrock unreachable while the desk works: the desk's question is answered offline, through
 * the desk's own tools, and the finding says so. */
static void
test_desk_offline_fallback (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *clean_text = g_strdup_printf ("%.6f", reference_clean_price ());
  JsonObject *finding, *call;

  g_object_set (f->client, "max-attempts", 1, NULL);
  fake_bedrock_server_push_tool_use (f->server, "", "tu-pm-1", "ask_rates_desk", "{\"question\":\"" QUESTION "\"}");
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_RESET, NULL, NULL, NULL);
  fake_bedrock_server_push_text (f->server, "The rates desk answered offline.");
  reply = ask (f, "Price it.", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 3);
  g_assert_cmpuint (f->n_errors, ==, 0);
  finding = json_node_get_object (f->finished->pdata[0]);
  g_assert_true (json_object_get_boolean_member (finding, "offline"));
  g_assert_true (json_object_get_null_member (finding, "model"));
  g_assert_nonnull (strstr (json_object_get_string_member (finding, "answer"), clean_text));
  call = json_array_get_object_element (json_object_get_array_member (finding, "calls"), 0);
  g_assert_cmpstr (json_object_get_string_member (call, "name"), ==, "price_bond");
}

static void
record_arrival_cb (FakeBedrockServer *server,
                   const FakeRequest *request,
                   gpointer           user_data)
{
  GArray *arrivals = user_data;
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (arrivals, now);
}

/* Two desks asked in one round work side by side: the second desk's request reaches Bedrock
 * while the first desk's answer is still held back by the fake server (1.5 s), and the results
 * go back in the order of the calls. */
static void
test_desks_in_parallel (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonNode) keep1 = NULL, keep2 = NULL, keep3 = NULL;
  g_autoptr(GPtrArray) logged = NULL;
  const char *prompt1, *prompt2;
  JsonArray *msgs;
  JsonArray *results;

  fake_bedrock_server_set_hook (f->server, record_arrival_cb, arrivals);
  fake_bedrock_server_push_tool_use (f->server, "", "tu-fx", "ask_fx_desk", "{\"question\":\"USD in EUR today?\"}");
  fake_bedrock_server_add_tool_use (f->server, "tu-rates", "ask_rates_desk", "{\"question\":\"10-year Treasury zero rate?\"}");
  fake_bedrock_server_push_slow_text (f->server, "First desk's finding.", 1500);
  fake_bedrock_server_push_slow_text (f->server, "Second desk's finding.", 1500);
  fake_bedrock_server_push_text (f->server, "Both desks answered.");

  reply = ask (f, "Dollar and rates, please.", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 4);
  g_assert_cmpuint (arrivals->len, ==, 4);
  /* Sequential desks would put the whole 1.5 s delay between these two requests. */
  g_assert_cmpint (g_array_index (arrivals, gint64, 2) - g_array_index (arrivals, gint64, 1), <, 1000 * G_TIME_SPAN_MILLISECOND);
  prompt1 = system_text (request_json (f, 1, &keep1));
  prompt2 = system_text (request_json (f, 2, &keep2));
  g_assert_true ((strstr (prompt1, "foreign-exchange desk") != NULL && strstr (prompt2, "interest-rates desk") != NULL) ||
                 (strstr (prompt2, "foreign-exchange desk") != NULL && strstr (prompt1, "interest-rates desk") != NULL));

  g_assert_cmpuint (f->started->len, ==, 2);
  g_assert_cmpstr (f->started->pdata[0], ==, "ask_fx_desk");
  g_assert_cmpstr (f->started->pdata[1], ==, "ask_rates_desk");
  g_assert_cmpuint (f->n_errors, ==, 0);
  msgs = json_object_get_array_member (request_json (f, 3, &keep3), "messages");
  results = json_object_get_array_member (json_array_get_object_element (msgs, json_array_get_length (msgs) - 1), "content");
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (results, 0), "toolResult"), "toolUseId"),
                   ==, "tu-fx");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (results, 1), "toolResult"), "toolUseId"),
                   ==, "tu-rates");
  g_assert_cmpuint (reply->desk_calls, ==, 2);
  g_assert_cmpuint (reply->desk_rounds, ==, 2);
  g_assert_cmpint (reply->desk_input_tokens, ==, 24);
  logged = invocations (f);
  g_assert_cmpuint (logged->len, ==, 3);
  g_assert_cmpuint (invocation_of (logged, "fx-desk")->tool_calls, ==, 0);
  g_assert_cmpint (invocation_of (logged, "rates-desk")->input_tokens, ==, 12);
}

/* A desk's prompt is edited like a role's, and the desk's requests carry the edited one. */
static void
test_edited_desk_prompt (Fixture       *f,
                         gconstpointer  data)
{
  const char *edited = "You are our rates desk. Answer in one line.";
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *stored = NULL;

  g_assert_true (sextant_conversation_store_set_role_prompt (f->conversations, SEXTANT_ROLE_RATES_DESK, edited, &error));
  g_assert_no_error (error);
  stored = sextant_conversation_store_dup_role_prompt (f->conversations, SEXTANT_ROLE_RATES_DESK, &error);
  g_assert_cmpstr (stored, ==, edited);
  fake_bedrock_server_push_tool_use (f->server, "", "tu-pm-1", "ask_rates_desk", "{\"question\":\"" QUESTION "\"}");
  fake_bedrock_server_push_text (f->server, "One line.");
  fake_bedrock_server_push_text (f->server, "Done.");
  reply = ask (f, "Price it.", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (system_text (request_json (f, 1, &keep)), ==, edited);
}

/* Runs the built sextant-cli on the fixture's store, with the fake ECB of @ecb; its output. */
static char *
run_cli (Fixture            *f,
         FakeMarketServer   *ecb,
         const char * const *args)
{
  g_autofree char *db = g_build_filename (f->dir, "sextant.db", NULL);
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  env = g_environ_setenv (env, "SEXTANT_DATABASE", db, TRUE);
  env = g_environ_setenv (env, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  env = g_environ_unsetenv (env, "SEXTANT_PROVIDERS");
  env = g_environ_setenv (env, "SEXTANT_ECB_BASE_URL", fake_market_server_get_base_url (ecb), TRUE);
  /* The curve is in the cache: a Treasury request would be a failure, never the internet. */
  env = g_environ_setenv (env, "SEXTANT_TREASURY_BASE_URL", "http://127.0.0.1:9/", TRUE);
  g_ptr_array_add (argv, (char *) cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  status = sextant_test_run_in_env ((const char * const *) argv->pdata, (const char * const *) env, &out, &err);
  if (status != 0)
    g_error ("sextant-cli %s exited %d: %s", args[0], status, err);
  return out;
}

#define cli(f, ecb, ...) run_cli ((f), (ecb), (const char * const []) { __VA_ARGS__, NULL })

static const char *shock_figures[] = { "value", "pnl", "rates_pnl", "spreads_pnl", "fx_pnl", NULL };

/* A desk's shock_portfolio result holds the CLI's numbers, to the last bit, and QuantLib's. */
static void
assert_shock_equals_cli (JsonObject *result,
                         JsonObject *cli_out,
                         JsonObject *reference)
{
  JsonArray *rows = json_object_get_array_member (result, "holdings");
  JsonArray *cli_rows = json_object_get_array_member (cli_out, "holdings");
  JsonArray *ref_rows = json_object_get_array_member (reference, "holdings");
  JsonObject *total = json_object_get_object_member (result, "total");

  g_assert_cmpstr (json_object_get_string_member (result, "date"), ==, json_object_get_string_member (cli_out, "date"));
  g_assert_cmpuint (json_array_get_length (rows), ==, json_array_get_length (cli_rows));
  g_assert_cmpuint (json_array_get_length (rows), ==, json_array_get_length (ref_rows));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *c = json_array_get_object_element (cli_rows, i);
      JsonObject *q = json_array_get_object_element (ref_rows, i);

      g_assert_cmpstr (json_object_get_string_member (row, "symbol"), ==, json_object_get_string_member (c, "symbol"));
      g_assert_cmpstr (json_object_get_string_member (row, "symbol"), ==, json_object_get_string_member (q, "symbol"));
      for (guint k = 0; shock_figures[k] != NULL; k++)
        {
          double got = json_object_get_double_member (row, shock_figures[k]);

          g_assert_cmpfloat (got, ==, json_object_get_double_member (c, shock_figures[k]));
          if (k == 0)
            sextant_assert_close_rel (got, json_object_get_double_member (q, shock_figures[k]), 1e-10);
          else
            sextant_assert_close_mixed (got, json_object_get_double_member (q, shock_figures[k]), 1e-9);
        }
    }
  for (guint k = 0; shock_figures[k] != NULL; k++)
    {
      double got = json_object_get_double_member (total, shock_figures[k]);

      g_assert_cmpfloat (got, ==, json_object_get_double_member (json_object_get_object_member (cli_out, "total"),
                                                                 shock_figures[k]));
      sextant_assert_close_mixed (got, json_object_get_double_member (json_object_get_object_member (reference, "total"),
                                                                      shock_figures[k]), 1e-9);
    }
}

/* Issue 17's question, delegated by the portfolio manager to the FX desk, then to the rates
 * desk: each desk's shock_portfolio call — what its nested card shows — gives the numbers
 * `sextant-cli shock --portfolio NAME --rates +100bp --fx USD=-10%` prints on the same store. */
static void
test_shock_delegation (Fixture       *f,
                       gconstpointer  data)
{
  FakeMarketServer *ecb = fake_market_server_new ();
  g_autofree char *closes = sextant_test_reference_path ("shock/acme_2025-02.csv");
  g_autofree char *holdings = sextant_test_reference_path ("shock/desk_book.csv");
  g_autofree char *reference_path = sextant_test_reference_path ("shock/shock_reference_question.json");
  g_autofree char *shock_text = NULL;
  g_autofree char *desk_input = g_strdup_printf ("{\"question\":\"%s\"}", SHOCK_QUESTION);
  g_autoptr(JsonParser) reference = json_parser_new ();
  g_autoptr(JsonNode) cli_out = NULL;
  const struct { const char *tool, *desk, *model_id; } desks[] = {
    { "ask_fx_desk", "fx-desk", MODEL },
    { "ask_rates_desk", "rates-desk", DESK_MODEL },
  };

  fake_market_server_serve_ecb (ecb, "../shock/ecb_exr_2025-01-02.csv");
  g_free (cli (f, ecb, "import", closes, "--symbol", "ACME"));
  g_free (cli (f, ecb, "portfolio", "create", BOOK, "--currency", "EUR"));
  g_free (cli (f, ecb, "import", holdings, "--portfolio", BOOK));
  shock_text = cli (f, ecb, "shock", "--portfolio", BOOK, "--date", "2025-02-28", "--rates", "+100bp",
                    "--fx", "USD=-10%", "--format", "json");
  cli_out = json_from_string (shock_text, NULL);
  g_assert_nonnull (cli_out);
  g_assert_true (json_parser_load_from_file (reference, reference_path, NULL));

  for (guint d = 0; d < G_N_ELEMENTS (desks); d++)
    {
      g_autoptr(SextantAgentReply) reply = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *finding, *call;
      guint first = fake_bedrock_server_get_n_requests (f->server);

      fake_bedrock_server_push_tool_use (f->server, "", "tu-pm-shock", desks[d].tool, desk_input);
      fake_bedrock_server_push_tool_use (f->server, "", "tu-desk-shock", "shock_portfolio", SHOCK_INPUT);
      fake_bedrock_server_push_text (f->server, "A loss; the table has the figures.");
      fake_bedrock_server_push_text (f->server, "The desk's figures are above.");
      reply = ask (f, SHOCK_QUESTION, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, first + 4);
      g_assert_cmpstr (fake_bedrock_server_get_request (f->server, first + 1)->model_id, ==, desks[d].model_id);
      g_assert_cmpuint (f->finished->len, ==, d + 1);
      g_assert_cmpuint (f->n_errors, ==, 0);
      finding = json_node_get_object (f->finished->pdata[d]);
      g_assert_cmpstr (json_object_get_string_member (finding, "desk"), ==, desks[d].desk);
      g_assert_cmpstr (json_object_get_string_member (finding, "question"), ==, SHOCK_QUESTION);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (finding, "calls")), ==, 1);
      call = json_array_get_object_element (json_object_get_array_member (finding, "calls"), 0);
      g_assert_cmpstr (json_object_get_string_member (call, "name"), ==, "shock_portfolio");
      g_assert_false (json_object_get_boolean_member (call, "is_error"));
      assert_shock_equals_cli (json_object_get_object_member (call, "result"), json_node_get_object (cli_out),
                               json_node_get_object (json_parser_get_root (reference)));
    }
  fake_market_server_free (ecb);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

#define ADD(path, func) g_test_add ("/sextant/agent-desks/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("delegation", test_delegation);
  ADD ("desks-in-parallel", test_desks_in_parallel);
  ADD ("desk-round-bound", test_desk_round_bound);
  ADD ("desk-token-bound", test_desk_token_bound);
  ADD ("no-delegation-elsewhere", test_no_delegation_elsewhere);
  ADD ("empty-question", test_empty_question);
  ADD ("edited-desk-prompt", test_edited_desk_prompt);
  ADD ("offline-desk-questions", test_offline_desk_questions);
  ADD ("desk-offline-fallback", test_desk_offline_fallback);
  ADD ("shock-delegation", test_shock_delegation);
#undef ADD

  return g_test_run ();
}
