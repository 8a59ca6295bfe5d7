#define G_LOG_DOMAIN "sextant-agent"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "agent/sextant-agent-error.h"
#include "agent/sextant-agent-private.h"
#include "agent/sextant-agent-roles.h"
#include "base/sextant-glib-compat.h"

/**
 * SextantAgent:
 *
 * The analyst on Claude: sends a conversation to Bedrock's ConverseStream with Sextant's tools,
 * runs the tools the model asks for (on worker threads), sends their results back and loops
 * until the model answers, within a bound on rounds. Every message is stored as it happens —
 * the question before anything is sent, a cut-off answer as interrupted — and every turn is
 * recorded for monitoring. Without a Bedrock client, or when Bedrock cannot be reached, the
 * offline analyst answers through the same tools, labelled as such.
 *
 * Signals are emitted on the thread-default main context of the caller of
 * sextant_agent_ask_async(), so a window can update widgets from them directly.
 */

guint _sextant_agent_signals[AGENT_N_SIGNALS];

enum { PROP_0, PROP_MODEL, PROP_MAX_ROUNDS, PROP_BUSY, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantAgent, sextant_agent, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (SextantAgentReply, sextant_agent_reply, sextant_agent_reply_copy, sextant_agent_reply_free)

SextantAgentReply *
sextant_agent_reply_copy (const SextantAgentReply *reply)
{
  SextantAgentReply *copy = g_memdup2 (reply, sizeof *reply);

  copy->text = g_strdup (reply->text);
  copy->stop_reason = g_strdup (reply->stop_reason);
  copy->region = g_strdup (reply->region);

  return copy;
}

void
sextant_agent_reply_free (SextantAgentReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->text);
  g_free (reply->stop_reason);
  g_free (reply->region);
  g_free (reply);
}

static void
sextant_agent_dispose (GObject *object)
{
  SextantAgent *self = (SextantAgent *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->registry);
  g_clear_object (&self->conversations);
  g_clear_object (&self->log);
  g_clear_object (&self->analyst);
  g_clear_object (&self->prices);

  G_OBJECT_CLASS (sextant_agent_parent_class)->dispose (object);
}

static void
sextant_agent_finalize (GObject *object)
{
  SextantAgent *self = (SextantAgent *)object;

  g_free (self->model);
  g_free (self->offline_reason);
  g_free (self->desk);
  g_hash_table_unref (self->desk_models);
  g_clear_pointer (&self->over_limit, g_hash_table_unref);

  G_OBJECT_CLASS (sextant_agent_parent_class)->finalize (object);
}

static void
sextant_agent_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SextantAgent *self = SEXTANT_AGENT (object);

  switch (prop_id)
    {
    case PROP_MODEL: g_value_set_string (value, self->model); break;
    case PROP_MAX_ROUNDS: g_value_set_uint (value, self->max_rounds); break;
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_agent_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SextantAgent *self = SEXTANT_AGENT (object);

  switch (prop_id)
    {
    case PROP_MODEL: sextant_agent_set_model (self, g_value_get_string (value)); break;
    case PROP_MAX_ROUNDS: sextant_agent_set_max_rounds (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
install_signals (GObjectClass *klass)
{
  GType type = G_TYPE_FROM_CLASS (klass);

  /**
   * SextantAgent::text-delta:
   * @self: the agent
   * @text: answer text to append to what came before
   */
  _sextant_agent_signals[AGENT_TEXT_DELTA] =
    g_signal_new ("text-delta", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * SextantAgent::tool-call-started:
   * @self: the agent
   * @tool_use_id: the model's id for the call
   * @name: the tool
   * @input: (type Json.Node): the model's input
   */
  _sextant_agent_signals[AGENT_TOOL_CALL_STARTED] =
    g_signal_new ("tool-call-started", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, JSON_TYPE_NODE);
  /**
   * SextantAgent::tool-call-finished:
   * @self: the agent
   * @tool_use_id: the model's id for the call
   * @name: the tool
   * @result: (type Json.Node): the result sent back; for a failure `{"error": message}`
   * @is_error: whether the call failed (sent as `status: error`)
   */
  _sextant_agent_signals[AGENT_TOOL_CALL_FINISHED] =
    g_signal_new ("tool-call-finished", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, JSON_TYPE_NODE, G_TYPE_BOOLEAN);
  /**
   * SextantAgent::message-stored:
   * @self: the agent
   * @conversation_id: the conversation
   * @message_id: the new message's id in the #SextantConversationStore
   */
  _sextant_agent_signals[AGENT_MESSAGE_STORED] =
    g_signal_new ("message-stored", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_INT64, G_TYPE_INT64);
  /**
   * SextantAgent::turn-finished:
   * @self: the agent
   * @conversation_id: the conversation
   * @outcome: `success`, `offline`, `interrupted`, `failed` or `cancelled`
   */
  _sextant_agent_signals[AGENT_TURN_FINISHED] =
    g_signal_new ("turn-finished", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_INT64, G_TYPE_STRING);
  /**
   * SextantAgent::retrying:
   * @self: the agent
   * @conversation_id: the conversation
   * @failed_attempt: the Bedrock attempt that failed, from 1
   * @max_attempts: how many attempts the client makes in all
   * @delay_ms: the wait before the next attempt
   * @reason: why it failed (throttling, a 5xx, a dropped connection), for the user
   *
   * So that a window shows a countdown rather than a turn that looks stuck.
   */
  _sextant_agent_signals[AGENT_RETRYING] =
    g_signal_new ("retrying", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_INT64, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);

  /**
   * SextantAgent::spending-warning:
   * @agent: the agent
   * @conversation_id: the conversation asking
   * @message: what was reached, for the user
   *
   * A turn starts with 80 % or more of the monthly or the conversation's limit spent, or past a
   * limit the user allowed it to go over.
   */
  _sextant_agent_signals[AGENT_SPENDING_WARNING] =
    g_signal_new ("spending-warning", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_INT64, G_TYPE_STRING);
}

static void
sextant_agent_class_init (SextantAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sextant_agent_dispose;
  object_class->finalize = sextant_agent_finalize;
  object_class->get_property = sextant_agent_get_property;
  object_class->set_property = sextant_agent_set_property;

  properties [PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_MAX_ROUNDS] =
    g_param_spec_uint ("max-rounds", NULL, NULL, 1, 100, SEXTANT_AGENT_DEFAULT_MAX_ROUNDS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
  install_signals (object_class);
}

static void
sextant_agent_init (SextantAgent *self)
{
  self->max_rounds = SEXTANT_AGENT_DEFAULT_MAX_ROUNDS;
  self->token_budget = SEXTANT_AGENT_DEFAULT_TOKEN_BUDGET;
  self->max_tokens = SEXTANT_AGENT_DEFAULT_MAX_TOKENS;
  self->desk_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->desk_max_rounds = SEXTANT_AGENT_DEFAULT_DESK_MAX_ROUNDS;
  self->desk_max_tokens = SEXTANT_AGENT_DEFAULT_DESK_MAX_TOKENS;
  self->over_limit = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/**
 * sextant_agent_new:
 * @client: (nullable): a Bedrock client; %NULL when there are no credentials (offline analyst)
 * @registry: the tools
 * @conversations: where messages are stored
 * @log: (nullable): where invocations are recorded
 *
 * Returns: (transfer full): an agent
 */
SextantAgent *
sextant_agent_new (SextantBedrockClient     *client,
                   SextantToolRegistry      *registry,
                   SextantConversationStore *conversations,
                   SextantInvocationLog     *log)
{
  SextantAgent *self;

  g_return_val_if_fail (client == NULL || SEXTANT_IS_BEDROCK_CLIENT (client), NULL);
  g_return_val_if_fail (SEXTANT_IS_TOOL_REGISTRY (registry), NULL);
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (conversations), NULL);

  self = g_object_new (SEXTANT_TYPE_AGENT, NULL);
  g_set_object (&self->client, client);
  self->registry = g_object_ref (registry);
  self->conversations = g_object_ref (conversations);
  g_set_object (&self->log, log);
  self->analyst = sextant_offline_analyst_new (registry);

  return self;
}

/**
 * sextant_agent_get_client:
 *
 * Returns: (transfer none) (nullable): the Bedrock client
 */
SextantBedrockClient *
sextant_agent_get_client (SextantAgent *self)
{
  g_return_val_if_fail (SEXTANT_IS_AGENT (self), NULL);

  return self->client;
}

/**
 * sextant_agent_get_registry:
 *
 * Returns: (transfer none): the tools
 */
SextantToolRegistry *
sextant_agent_get_registry (SextantAgent *self)
{
  g_return_val_if_fail (SEXTANT_IS_AGENT (self), NULL);

  return self->registry;
}

/**
 * sextant_agent_get_conversations:
 *
 * Returns: (transfer none): the conversation store
 */
SextantConversationStore *
sextant_agent_get_conversations (SextantAgent *self)
{
  g_return_val_if_fail (SEXTANT_IS_AGENT (self), NULL);

  return self->conversations;
}

/**
 * sextant_agent_get_model:
 *
 * Returns: (nullable): the model id used when the conversation names none
 */
const char *
sextant_agent_get_model (SextantAgent *self)
{
  g_return_val_if_fail (SEXTANT_IS_AGENT (self), NULL);

  return self->model;
}

/**
 * sextant_agent_set_model:
 * @self: an agent
 * @model_id: (nullable): the model, inference profile id or ARN to use; it is stored on the
 *   conversation when a turn starts
 */
void
sextant_agent_set_model (SextantAgent *self,
                         const char   *model_id)
{
  g_return_if_fail (SEXTANT_IS_AGENT (self));

  if (sextant_set_str (&self->model, model_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODEL]);
}

/**
 * sextant_agent_set_spending_limits:
 * @self: an agent
 * @prices: (nullable): the price table the spending is estimated with; %NULL for no limits
 * @monthly_limit: US dollars Bedrock may cost in a UTC month, 0 for no limit
 * @conversation_limit: US dollars one conversation may cost, 0 for no limit
 *
 * Before each Bedrock turn the agent compares the invocation log's estimate with the limits:
 * from 80 % it emits #SextantAgent::spending-warning, at 100 % it sends nothing and fails the
 * turn with %SEXTANT_AGENT_ERROR_SPENDING_LIMIT. The offline analyst is never stopped.
 */
void
sextant_agent_set_spending_limits (SextantAgent       *self,
                                   SextantModelPrices *prices,
                                   double              monthly_limit,
                                   double              conversation_limit)
{
  g_return_if_fail (SEXTANT_IS_AGENT (self));
  g_return_if_fail (prices == NULL || SEXTANT_IS_MODEL_PRICES (prices));

  g_set_object (&self->prices, prices);
  self->monthly_limit = isfinite (monthly_limit) && monthly_limit > 0 ? monthly_limit : 0;
  self->conversation_limit = isfinite (conversation_limit) && conversation_limit > 0 ? conversation_limit : 0;
}

/**
 * sextant_agent_allow_over_limit:
 * @self: an agent
 * @conversation_id: a conversation
 *
 * The override of the stop: the conversation's next turns go ahead past the limits (with a
 * warning) for as long as this agent lives.
 */
void
sextant_agent_allow_over_limit (SextantAgent *self,
                                gint64        conversation_id)
{
  g_return_if_fail (SEXTANT_IS_AGENT (self));

  g_hash_table_add (self->over_limit, g_memdup2 (&conversation_id, sizeof conversation_id));
}

guint
sextant_agent_get_max_rounds (SextantAgent *self)
{
  g_return_val_if_fail (SEXTANT_IS_AGENT (self), 0);

  return self->max_rounds;
}

/**
 * sextant_agent_set_max_rounds:
 * @self: an agent
 * @max_rounds: the most model calls per question (1 … 100); a model still asking for tools
 *   after that ends the turn with %SEXTANT_AGENT_ERROR_TOO_MANY_ROUNDS
 */
void
sextant_agent_set_max_rounds (SextantAgent *self,
                              guint         max_rounds)
{
  g_return_if_fail (SEXTANT_IS_AGENT (self));
  g_return_if_fail (max_rounds >= 1 && max_rounds <= 100);

  if (self->max_rounds == max_rounds)
    return;
  self->max_rounds = max_rounds;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MAX_ROUNDS]);
}

/**
 * sextant_agent_set_token_budget:
 * @self: an agent
 * @token_budget: the most history tokens sent per request (estimated, see
 *   sextant_conversation_estimate_tokens())
 */
void
sextant_agent_set_token_budget (SextantAgent *self,
                                gint64        token_budget)
{
  g_return_if_fail (SEXTANT_IS_AGENT (self));
  g_return_if_fail (token_budget > 0);

  self->token_budget = token_budget;
}

/**
 * sextant_agent_set_offline_reason:
 * @self: an agent
 * @reason: (nullable): why there is no client (“No AWS credentials were found.”), shown in the
 *   offline analyst's label
 */
void
sextant_agent_set_offline_reason (SextantAgent *self,
                                  const char   *reason)
{
  g_return_if_fail (SEXTANT_IS_AGENT (self));

  sextant_set_str (&self->offline_reason, reason);
}

/**
 * sextant_agent_set_offline_fallback:
 * @self: an agent
 * @allowed: whether an unreachable Bedrock is answered by the offline analyst (the default)
 *
 * The chat window answers offline when Bedrock cannot be reached, labelled as such, because the
 * user is there to read the label. A script reading `sextant-cli ask --tools` is not: it gets the
 * network error and its exit code instead of an offline answer that looks like the model's.
 */
void
sextant_agent_set_offline_fallback (SextantAgent *self,
                                    gboolean      allowed)
{
  g_return_if_fail (SEXTANT_IS_AGENT (self));

  self->no_offline_fallback = !allowed;
}

/**
 * sextant_agent_set_max_total_tokens:
 * @self: an agent
 * @max_tokens: the most input and output tokens one question may use over all its rounds, or 0
 *   for no bound but the rounds; a model still asking for tools past it ends the turn with
 *   %SEXTANT_AGENT_ERROR_TOKEN_LIMIT
 */
void
sextant_agent_set_max_total_tokens (SextantAgent *self,
                                    gint64        max_tokens)
{
  g_return_if_fail (SEXTANT_IS_AGENT (self));
  g_return_if_fail (max_tokens >= 0);

  self->max_total_tokens = max_tokens;
}

/**
 * sextant_agent_set_delegation:
 * @self: an agent
 * @enabled: whether a portfolio manager's conversation may ask the specialist desks (the
 *   default), through `ask_fx_desk`, `ask_rates_desk` and `ask_credit_desk`
 */
void
sextant_agent_set_delegation (SextantAgent *self,
                              gboolean      enabled)
{
  g_return_if_fail (SEXTANT_IS_AGENT (self));

  self->no_delegation = !enabled;
}

/**
 * sextant_agent_get_desk_model:
 * @self: an agent
 * @desk: a desk id (sextant_agent_desk_list_ids())
 *
 * Returns: (nullable): the model @desk answers with; %NULL when it uses the conversation's
 */
const char *
sextant_agent_get_desk_model (SextantAgent *self,
                              const char   *desk)
{
  g_return_val_if_fail (SEXTANT_IS_AGENT (self), NULL);

  return desk != NULL ? g_hash_table_lookup (self->desk_models, desk) : NULL;
}

/**
 * sextant_agent_set_desk_model:
 * @self: an agent
 * @desk: a desk id
 * @model_id: (nullable): the model, inference profile id or ARN @desk answers with; %NULL or
 *   empty for the conversation's model
 */
void
sextant_agent_set_desk_model (SextantAgent *self,
                              const char   *desk,
                              const char   *model_id)
{
  g_return_if_fail (SEXTANT_IS_AGENT (self));
  g_return_if_fail (sextant_agent_role_is_desk (desk));

  if (model_id == NULL || model_id[0] == '\0')
    g_hash_table_remove (self->desk_models, desk);
  else
    g_hash_table_insert (self->desk_models, g_strdup (desk), g_strdup (model_id));
}

/**
 * sextant_agent_set_desk_limits:
 * @self: an agent
 * @max_rounds: the most model calls a desk makes for one question (1 … 100)
 * @max_tokens: the most input and output tokens a desk uses for one question (0: no bound but
 *   the rounds)
 */
void
sextant_agent_set_desk_limits (SextantAgent *self,
                               guint         max_rounds,
                               gint64        max_tokens)
{
  g_return_if_fail (SEXTANT_IS_AGENT (self));
  g_return_if_fail (max_rounds >= 1 && max_rounds <= 100);
  g_return_if_fail (max_tokens >= 0);

  self->desk_max_rounds = max_rounds;
  self->desk_max_tokens = max_tokens;
}

/**
 * sextant_agent_get_busy:
 *
 * Returns: whether a turn is running (the #SextantAgent:busy property, for a Stop button)
 */
gboolean
sextant_agent_get_busy (SextantAgent *self)
{
  g_return_val_if_fail (SEXTANT_IS_AGENT (self), FALSE);

  return self->busy;
}

void
_sextant_agent_set_busy (SextantAgent *self,
                         gboolean      busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

/**
 * sextant_agent_ask_async:
 * @self: an agent
 * @conversation_id: a conversation of the #SextantConversationStore
 * @question: (nullable): the user's question, stored before anything is sent; %NULL to retry
 *   the conversation's last question (after a failure or an interruption)
 * @cancellable: (nullable): cancels the turn (Stop); what arrived is kept, marked interrupted
 * @callback: called on the caller's thread-default main context when the turn ends
 * @user_data: data for @callback
 *
 * Answers one question. Connect to the signals to follow the turn as it happens.
 */
void
sextant_agent_ask_async (SextantAgent        *self,
                         gint64               conversation_id,
                         const char          *question,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEXTANT_IS_AGENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_agent_ask_async);
  if (self->busy)
    {
      g_task_return_new_error (task, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_BUSY,
                               _("The agent is still answering the previous question"));
      return;
    }
  _sextant_agent_turn_start (self, g_steal_pointer (&task), conversation_id, question);
}

/**
 * sextant_agent_ask_finish:
 * @self: an agent
 * @result: the result
 * @error: why the turn failed: a #SEXTANT_BEDROCK_ERROR, %SEXTANT_AGENT_ERROR_TOO_MANY_ROUNDS,
 *   %G_IO_ERROR_CANCELLED, …; whatever text arrived is stored as interrupted
 *
 * Returns: (transfer full): the reply
 */
SextantAgentReply *
sextant_agent_ask_finish (SextantAgent  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/**
 * sextant_agent_ask_sync:
 *
 * sextant_agent_ask_async() on a private main context, for the CLI; the signals are emitted on
 * the calling thread while it waits.
 *
 * Returns: (transfer full): the reply, or %NULL
 */
SextantAgentReply *
sextant_agent_ask_sync (SextantAgent  *self,
                        gint64         conversation_id,
                        const char    *question,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  SextantAgentReply *reply;

  g_main_context_push_thread_default (context);
  sextant_agent_ask_async (self, conversation_id, question, cancellable, sync_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  reply = sextant_agent_ask_finish (self, result, error);
  g_main_context_pop_thread_default (context);

  return reply;
}
