#define G_LOG_DOMAIN "sextant-cli-chat"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-chat.h"
#include "sextant-cli-commands.h"

/* `sextant-cli ask --tools` and `--conversation ID`: the agent loop from a terminal. The answer
 * streams to stdout; tool calls are noted on stderr so that stdout stays the answer. Without
 * usable credentials the offline analyst answers, labelled as such. */

typedef struct
{
  gboolean               print_text;
  SextantCliStream       stream;
  SextantCitationStream *citations;  /* the answer's [n] linked as it streams, as it is stored */
  gboolean               online;     /* Bedrock answers; the offline analyst writes its own links */
} ChatPrint;

static void
text_delta_cb (SextantAgent *agent,
               const char   *text,
               ChatPrint    *state)
{
  g_autofree char *linked = NULL;

  if (!state->print_text)
    return;
  linked = sextant_citation_stream_push (state->citations, text);
  sextant_cli_stream_text (&state->stream, linked);
}

/* Ends the answer's text block: what was held back while a citation was incomplete, then the
 * line. */
static void
end_text (ChatPrint *state)
{
  g_autofree char *rest = sextant_citation_stream_flush (state->citations);

  if (state->print_text)
    sextant_cli_stream_text (&state->stream, rest);
  sextant_cli_stream_end_line (&state->stream);
}

static void
tool_started_cb (SextantAgent *agent,
                 const char   *id,
                 const char   *name,
                 JsonNode     *input,
                 ChatPrint    *state)
{
  g_autofree char *json = json_to_string (input, FALSE);

  end_text (state);
  fprintf (stderr, "[tool] %s %s\n", name, json);
}

static void
tool_finished_cb (SextantAgent *agent,
                  const char   *id,
                  const char   *name,
                  JsonNode     *output,
                  gboolean      is_error,
                  ChatPrint    *state)
{
  /* The agent has numbered the passages as the model sees them. */
  if (state->online && !is_error && g_strcmp0 (name, "search_knowledge_base") == 0)
    sextant_citation_stream_add_result (state->citations, output);
}

static void
retrying_cb (SextantAgent *agent,
             gint64        conversation_id,
             guint         failed_attempt,
             guint         max_attempts,
             guint         delay_ms,
             const char   *reason,
             ChatPrint    *state)
{
  sextant_cli_print_retry (failed_attempt, max_attempts, delay_ms, reason);
}

/**
 * sextant_cli_open_agent_store:
 * @error: return location
 *
 * Returns: (transfer full): the default database (`SEXTANT_DATABASE` overrides it)
 */
SextantStore *
sextant_cli_open_agent_store (GError **error)
{
  return sextant_schema_open_default (error);
}

static SextantToolRegistry *
make_registry (SextantStore          *store,
               SextantBedrockClient  *client,
               GError               **error)
{
  g_autoptr(SextantWorkspace) workspace = sextant_workspace_new ();
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(SextantToolData) data = NULL;
  g_autoptr(SextantKbStore) kb = NULL;
  g_autoptr(SextantKbSearcher) searcher = NULL;
  g_autofree char *embedding_model = NULL;
  guint dims = 0;

  if (!sextant_workspace_load_demo (workspace, error))
    return NULL;
  /* Imported and fetched bars come from the cache; the bundled demo set from the workspace. */
  cache = sextant_market_cache_new (store);
  portfolios = sextant_portfolio_store_new (store);
  data = sextant_tool_data_new (sextant_workspace_get_demo_set (workspace), cache);
  sextant_tool_data_set_portfolio_store (data, portfolios);
  /* The knowledge base (`kb add`): questions are embedded as its passages were. */
  kb = sextant_kb_store_new (store);
  sextant_kb_store_get_embedding (kb, &embedding_model, &dims);
  searcher = sextant_kb_searcher_new (kb, client, embedding_model, dims > 0 ? dims : 1024);
  sextant_tool_data_set_knowledge (data, searcher);

  return sextant_tool_registry_new_default (data);
}

static gint64
find_or_create (SextantConversationStore  *conversations,
                gint64                     id,
                const char                *question,
                const char                *model,
                GError                   **error)
{
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autofree char *title = NULL;

  if (id != 0)
    return (info = sextant_conversation_store_get (conversations, id, error)) != NULL ? id : 0;
  title = g_utf8_substring (question, 0, MIN (g_utf8_strlen (question, -1), 60));

  return sextant_conversation_store_create (conversations, title, SEXTANT_ROLE_ANALYST, model, error);
}

static void
print_reply_json (const SextantAgentReply *reply)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "conversation_id");
  json_builder_add_int_value (b, reply->conversation_id);
  json_builder_set_member_name (b, "message_id");
  json_builder_add_int_value (b, reply->message_id);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, reply->text != NULL ? reply->text : "");
  json_builder_set_member_name (b, "offline");
  json_builder_add_boolean_value (b, reply->offline);
  json_builder_set_member_name (b, "rounds");
  json_builder_add_int_value (b, reply->rounds);
  json_builder_set_member_name (b, "tool_calls");
  json_builder_add_int_value (b, reply->tool_calls);
  json_builder_set_member_name (b, "stop_reason");
  if (reply->stop_reason != NULL)
    json_builder_add_string_value (b, reply->stop_reason);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "usage");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "input_tokens");
  json_builder_add_int_value (b, reply->input_tokens);
  json_builder_set_member_name (b, "output_tokens");
  json_builder_add_int_value (b, reply->output_tokens);
  json_builder_end_object (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  sextant_cli_print_json (node);
}

typedef struct
{
  GCancellable *cancellable;
  int           signal;
} Interrupt;

static gboolean
sigint_cb (gpointer user_data)
{
  Interrupt *interrupt = user_data;

  interrupt->signal = SIGINT;
  g_cancellable_cancel (interrupt->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
sigterm_cb (gpointer user_data)
{
  Interrupt *interrupt = user_data;

  interrupt->signal = SIGTERM;
  g_cancellable_cancel (interrupt->cancellable);
  return G_SOURCE_REMOVE;
}

static void
ask_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* sextant_agent_ask_sync() with Ctrl-C and SIGTERM turned into Stop: the agent then stores what
 * arrived, marked interrupted, as the chat window's Stop does, instead of the process dying
 * with the answer lost and the question left looking unanswered. */
static SextantAgentReply *
ask_interruptible (SextantAgent  *agent,
                   gint64         id,
                   const char    *question,
                   Interrupt     *interrupt,
                   GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) on_int = g_unix_signal_source_new (SIGINT);
  g_autoptr(GSource) on_term = g_unix_signal_source_new (SIGTERM);
  g_autoptr(GAsyncResult) result = NULL;
  SextantAgentReply *reply;

  g_main_context_push_thread_default (context);
  g_source_set_callback (on_int, sigint_cb, interrupt, NULL);
  g_source_set_callback (on_term, sigterm_cb, interrupt, NULL);
  g_source_attach (on_int, context);
  g_source_attach (on_term, context);
  sextant_agent_ask_async (agent, id, question, interrupt->cancellable, ask_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  reply = sextant_agent_ask_finish (agent, result, error);
  g_source_destroy (on_int);
  g_source_destroy (on_term);
  g_main_context_pop_thread_default (context);

  return reply;
}

static int
fail (const GError *error)
{
  if (error->domain == SEXTANT_AGENT_ERROR && error->code == SEXTANT_AGENT_ERROR_NOT_FOUND)
    return sextant_cli_fail (SEXTANT_CLI_EXIT_INPUT, "ask", error);

  return sextant_cli_fail (-1, "ask", error);
}

/**
 * sextant_cli_ask_with_tools:
 * @client: (nullable): a Bedrock client, %NULL when none could be made
 * @client_error: (nullable): why there is no client
 * @question: the question
 * @model: the model id
 * @conversation_id: a stored conversation to continue, 0 for a new one
 * @format: text (streamed) or json (the reply at the end)
 *
 * Returns: the exit code
 */
int
sextant_cli_ask_with_tools (SextantBedrockClient *client,
                            const GError         *client_error,
                            const char           *question,
                            const char           *model,
                            gint64                conversation_id,
                            SextantCliFormat      format)
{
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantConversationStore) conversations = NULL;
  g_autoptr(SextantInvocationLog) log = NULL;
  g_autoptr(SextantToolRegistry) registry = NULL;
  g_autoptr(SextantAgent) agent = NULL;
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCitationStream) citations = sextant_citation_stream_new ();
  ChatPrint state = { format == SEXTANT_CLI_FORMAT_TEXT, { FALSE, FALSE }, citations, client != NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Interrupt interrupt = { cancellable, 0 };
  gint64 id;

  /* Only missing credentials make the offline analyst answer: a refused endpoint, a region or
   * file that cannot be used is the user's to fix, and a script must see it fail. */
  if (client == NULL && client_error != NULL &&
      !g_error_matches (client_error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS))
    return sextant_cli_fail (-1, "ask", client_error);
  if (!(store = sextant_cli_open_agent_store (&error)) || !(registry = make_registry (store, client, &error)))
    return sextant_cli_fail (-1, "ask", error);
  conversations = sextant_conversation_store_new (store);
  log = sextant_invocation_log_new (store);
  if ((id = find_or_create (conversations, conversation_id, question, model, &error)) == 0)
    return fail (error);

  agent = sextant_agent_new (client, registry, conversations, log);
  sextant_agent_set_model (agent, model);
  sextant_agent_set_offline_fallback (agent, FALSE);
  if (client == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("%s.", client_error != NULL ? client_error->message
                                                                            : "No AWS credentials were found");

      sextant_agent_set_offline_reason (agent, reason);
    }
  g_signal_connect (agent, "text-delta", G_CALLBACK (text_delta_cb), &state);
  g_signal_connect (agent, "tool-call-started", G_CALLBACK (tool_started_cb), &state);
  g_signal_connect (agent, "tool-call-finished", G_CALLBACK (tool_finished_cb), &state);
  g_signal_connect (agent, "retrying", G_CALLBACK (retrying_cb), &state);
  reply = ask_interruptible (agent, id, question, &interrupt, &error);
  end_text (&state);
  if (reply == NULL && interrupt.signal != 0)
    {
      fprintf (stderr, "sextant-cli ask: interrupted; what arrived is kept in conversation %"
               G_GINT64_FORMAT ", marked interrupted\n", id);
      return 128 + interrupt.signal;
    }
  if (reply == NULL)
    return fail (error);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_reply_json (reply);
  else
    fprintf (stderr, "(conversation %" G_GINT64_FORMAT "; continue it with --conversation %" G_GINT64_FORMAT ")\n",
             id, id);

  return SEXTANT_CLI_EXIT_OK;
}
