#define G_LOG_DOMAIN "sextant-agent-desk"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "agent/sextant-agent-error.h"
#include "agent/sextant-agent-private.h"
#include "agent/sextant-agent-roles.h"

/* Delegation to the specialist desks (issue 17). The portfolio manager's assistant asks a desk
 * through `ask_<desk>_desk`; the desk answers with its own agent: its role's system prompt (which
 * the user may edit like any role's), its own subset of the tools, its own model, and its own
 * bounds on rounds and tokens. The desk's finding goes back as the tool's result together with
 * the calls it made and what it used, so the conversation keeps who concluded what and the chat
 * shows it as a nested card, also when reopened. */

#define QUESTION_MAX_CHARS 4000

static const char *desk_descriptions[][2] = {
  { SEXTANT_ROLE_FX_DESK,
    "Ask the FX desk, a specialist with ECB reference rates and currency scenario P&L, one precise "
    "question (currencies, base currency, dates, shocks). Returns its finding, the tools it ran and the "
    "tokens it used." },
  { SEXTANT_ROLE_RATES_DESK,
    "Ask the rates desk, a specialist with the Treasury and ECB yield curves, bond pricing (yield, "
    "duration, convexity, DV01) and rates scenario P&L, one precise question (bonds with coupon, "
    "maturity and yield, curve dates, shocks in bp). Returns its finding, the tools it ran and the tokens "
    "it used." },
  { SEXTANT_ROLE_CREDIT_DESK,
    "Ask the credit desk, a specialist with credit spreads, bond analytics and spread-shock P&L, one "
    "precise question. Returns its finding, the tools it ran and the tokens it used." },
};

#define DESK_SCHEMA \
  "{\"type\":\"object\",\"properties\":{" \
  "\"question\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4000," \
  "\"description\":\"The question, with every figure the desk needs (it does not see this conversation)\"}}," \
  "\"required\":[\"question\"],\"additionalProperties\":false}"

/**
 * _sextant_agent_add_desk_tools:
 * @request: a Converse request of a portfolio manager's conversation
 *
 * Adds `ask_fx_desk`, `ask_rates_desk` and `ask_credit_desk`.
 */
void
_sextant_agent_add_desk_tools (SextantConverseRequest *request)
{
  static JsonNode *schema;

  if (g_once_init_enter (&schema))
    g_once_init_leave (&schema, json_from_string (DESK_SCHEMA, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (desk_descriptions); i++)
    sextant_converse_request_add_tool (request, sextant_agent_desk_get_tool_name (desk_descriptions[i][0]),
                                       desk_descriptions[i][1], schema);
}

typedef struct
{
  SextantAgent *desk_agent;
  char         *desk;
  char         *question;
  GHashTable   *inputs;   /* tool_use_id → JsonNode input */
  JsonArray    *calls;
  gulong        started_handler;
  gulong        finished_handler;
} DeskRun;

static void
desk_run_free (DeskRun *run)
{
  if (run->desk_agent != NULL)
    {
      g_clear_signal_handler (&run->started_handler, run->desk_agent);
      g_clear_signal_handler (&run->finished_handler, run->desk_agent);
    }
  g_clear_object (&run->desk_agent);
  g_free (run->desk);
  g_free (run->question);
  g_hash_table_unref (run->inputs);
  json_array_unref (run->calls);
  g_free (run);
}

static void
desk_tool_started_cb (SextantAgent *desk_agent,
                      const char   *id,
                      const char   *name,
                      JsonNode     *input,
                      DeskRun      *run)
{
  g_hash_table_insert (run->inputs, g_strdup (id), input != NULL ? json_node_copy (input) : json_node_new (JSON_NODE_NULL));
}

static void
desk_tool_finished_cb (SextantAgent *desk_agent,
                       const char   *id,
                       const char   *name,
                       JsonNode     *result,
                       gboolean      is_error,
                       DeskRun      *run)
{
  JsonObject *call = json_object_new ();
  JsonNode *input = g_hash_table_lookup (run->inputs, id);

  json_object_set_string_member (call, "id", id);
  json_object_set_string_member (call, "name", name);
  json_object_set_member (call, "input", input != NULL ? json_node_copy (input) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (call, "result", result != NULL ? json_node_copy (result) : json_node_new (JSON_NODE_NULL));
  json_object_set_boolean_member (call, "is_error", is_error);
  json_array_add_object_element (run->calls, call);
}

static JsonNode *
build_result (DeskRun                 *run,
              const SextantAgentReply *reply,
              const GError            *error)
{
  SextantAgent *agent = run->desk_agent;
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "desk", run->desk);
  json_object_set_string_member (o, "desk_name", sextant_agent_role_get_name (run->desk));
  json_object_set_string_member (o, "question", run->question);
  if (agent->last_offline || sextant_agent_get_model (agent) == NULL)
    json_object_set_null_member (o, "model");
  else
    json_object_set_string_member (o, "model", sextant_agent_get_model (agent));
  json_object_set_boolean_member (o, "offline", agent->last_offline);
  if (reply != NULL)
    json_object_set_string_member (o, "answer", reply->text != NULL ? reply->text : "");
  else
    json_object_set_string_member (o, "error", error->message);
  json_object_set_int_member (o, "rounds", agent->last_rounds);
  json_object_set_int_member (o, "tool_calls", agent->last_tool_calls);
  json_object_set_int_member (o, "input_tokens", agent->last_input_tokens);
  json_object_set_int_member (o, "output_tokens", agent->last_output_tokens);
  json_object_set_int_member (o, "max_rounds", sextant_agent_get_max_rounds (agent));
  json_object_set_int_member (o, "max_tokens", agent->max_total_tokens);
  json_object_set_array_member (o, "calls", json_array_ref (run->calls));
  json_node_take_object (node, o);

  return node;
}

static void
desk_turn_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeskRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantAgentReply) reply = sextant_agent_ask_finish (SEXTANT_AGENT (object), result, &error);
  SextantDeskCounts *counts = g_new0 (SextantDeskCounts, 1);

  counts->rounds = run->desk_agent->last_rounds;
  counts->input_tokens = run->desk_agent->last_input_tokens;
  counts->output_tokens = run->desk_agent->last_output_tokens;
  counts->failed = reply == NULL;
  g_object_set_data_full (G_OBJECT (task), "sextant-desk-counts", counts, g_free);
  /* Stopped by the user: the round ends as any cancelled tool does. A desk that failed (its
   * bounds, Bedrock) still reports what it did, and the assistant can say so. */
  if (reply == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, build_result (run, reply, error), (GDestroyNotify) json_node_unref);
}

static SextantToolRegistry *
desk_registry (SextantToolRegistry *all,
               const char          *desk)
{
  SextantToolRegistry *registry = sextant_tool_registry_new (sextant_tool_registry_get_data (all));
  const char * const *names = sextant_agent_desk_get_tools (desk);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      SextantTool *tool = sextant_tool_registry_lookup (all, names[i]);

      if (tool != NULL)
        sextant_tool_registry_add (registry, tool);
    }
  return registry;
}

/**
 * _sextant_agent_run_desk_async:
 * @self: the portfolio manager's agent
 * @desk: the desk asked
 * @model: (nullable): the conversation's model, for a desk without a model of its own
 * @input: the tool input, `{"question": …}`
 * @conversation_id: the conversation that asks, for the invocation log
 * @cancellable: (nullable): the turn's cancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Runs the desk's own tool loop for one question.
 */
void
_sextant_agent_run_desk_async (SextantAgent        *self,
                               const char          *desk,
                               const char          *model,
                               JsonNode            *input,
                               gint64               conversation_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(SextantToolRegistry) registry = NULL;
  const char *desk_model = sextant_agent_get_desk_model (self, desk);
  const char *question = NULL;
  DeskRun *run;
  GTask *inner;

  g_task_set_source_tag (task, _sextant_agent_run_desk_async);
  if (input != NULL && JSON_NODE_HOLDS_OBJECT (input))
    question = json_object_get_string_member_with_default (json_node_get_object (input), "question", NULL);
  if (question == NULL || question[0] == '\0' || g_utf8_strlen (question, -1) > QUESTION_MAX_CHARS)
    {
      g_task_return_new_error (task, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                               _("A desk needs a question of 1 to %d characters in “question”"), QUESTION_MAX_CHARS);
      return;
    }

  run = g_new0 (DeskRun, 1);
  run->desk = g_strdup (desk);
  run->question = g_strdup (question);
  run->inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  run->calls = json_array_new ();
  registry = desk_registry (self->registry, desk);
  run->desk_agent = sextant_agent_new (self->client, registry, self->conversations, self->log);
  run->desk_agent->desk = g_strdup (desk);
  sextant_agent_set_model (run->desk_agent, desk_model != NULL ? desk_model : model);
  sextant_agent_set_max_rounds (run->desk_agent, self->desk_max_rounds);
  sextant_agent_set_max_total_tokens (run->desk_agent, self->desk_max_tokens);
  sextant_agent_set_token_budget (run->desk_agent, self->token_budget);
  sextant_agent_set_offline_reason (run->desk_agent, self->offline_reason);
  run->desk_agent->no_offline_fallback = self->no_offline_fallback;
  run->desk_agent->max_tokens = self->max_tokens;
  run->started_handler = g_signal_connect (run->desk_agent, "tool-call-started", G_CALLBACK (desk_tool_started_cb), run);
  run->finished_handler = g_signal_connect (run->desk_agent, "tool-call-finished", G_CALLBACK (desk_tool_finished_cb), run);
  g_task_set_task_data (task, run, (GDestroyNotify) desk_run_free);

  inner = g_task_new (run->desk_agent, cancellable, desk_turn_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (inner, sextant_agent_ask_async);
  _sextant_agent_desk_turn_start (run->desk_agent, inner, conversation_id, question);
}

/**
 * _sextant_agent_run_desk_finish:
 * @result: the result
 * @counts: (out caller-allocates): the rounds and tokens the desk used
 * @error: an invalid question, or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): the desk's finding as the tool's result: desk, question, model,
 *   answer (or error), rounds, tool_calls, input_tokens, output_tokens and its calls
 */
JsonNode *
_sextant_agent_run_desk_finish (GAsyncResult       *result,
                                SextantDeskCounts  *counts,
                                GError            **error)
{
  SextantDeskCounts *got = g_object_get_data (G_OBJECT (result), "sextant-desk-counts");

  if (got != NULL)
    *counts = *got;
  return g_task_propagate_pointer (G_TASK (result), error);
}
