#define G_LOG_DOMAIN "sextant-chat-session"

#include "config.h"

#include "sextant-chat-session.h"

/* What the chat window talks to: one question in, a stream of signals out (text deltas, tool
 * calls, stored messages, the end of the turn). It forwards SextantAgent's, and makes a new agent
 * when the Bedrock client changes (an agent keeps its client for life); with no client the agent
 * answers through the offline analyst. */

struct _SextantChatSession
{
  GObject                   parent_instance;
  SextantConversationStore *conversations;
  SextantToolRegistry      *registry;
  SextantInvocationLog     *log;
  SextantAgent             *agent;
  char                     *offline_reason;
  char                     *model;
  GHashTable               *desk_models;   /* desk id → model id */
  SextantModelPrices       *prices;
  double                    monthly_limit;
  double                    conversation_limit;
  GArray                   *over_limit;   /* gint64 conversation ids, kept across agents */
};

enum { TEXT_DELTA, TOOL_CALL_STARTED, TOOL_CALL_FINISHED, MESSAGE_STORED, TURN_FINISHED, RETRYING, SPENDING_WARNING,
       N_SIGNALS };
static guint signals [N_SIGNALS];

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantChatSession, sextant_chat_session, G_TYPE_OBJECT)

void
sextant_chat_reply_free (SextantChatReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->text);
  g_free (reply->region);
  g_free (reply);
}

static void
drop_agent (SextantChatSession *self)
{
  if (self->agent != NULL)
    g_signal_handlers_disconnect_by_data (self->agent, self);
  g_clear_object (&self->agent);
}

static void
sextant_chat_session_dispose (GObject *object)
{
  SextantChatSession *self = (SextantChatSession *)object;

  drop_agent (self);
  g_clear_object (&self->conversations);
  g_clear_object (&self->registry);
  g_clear_object (&self->log);
  g_clear_object (&self->prices);

  G_OBJECT_CLASS (sextant_chat_session_parent_class)->dispose (object);
}

static void
sextant_chat_session_finalize (GObject *object)
{
  SextantChatSession *self = (SextantChatSession *)object;

  g_free (self->offline_reason);
  g_free (self->model);
  g_clear_pointer (&self->desk_models, g_hash_table_unref);
  g_array_unref (self->over_limit);

  G_OBJECT_CLASS (sextant_chat_session_parent_class)->finalize (object);
}

static void
sextant_chat_session_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SextantChatSession *self = SEXTANT_CHAT_SESSION (object);

  switch (prop_id)
    {
    case PROP_BUSY: g_value_set_boolean (value, sextant_chat_session_get_busy (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_chat_session_class_init (SextantChatSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = sextant_chat_session_dispose;
  object_class->finalize = sextant_chat_session_finalize;
  object_class->get_property = sextant_chat_session_get_property;

  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The same signals as SextantAgent's; see there. */
  signals [TEXT_DELTA] =
    g_signal_new ("text-delta", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals [TOOL_CALL_STARTED] =
    g_signal_new ("tool-call-started", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, JSON_TYPE_NODE);
  signals [TOOL_CALL_FINISHED] =
    g_signal_new ("tool-call-finished", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, JSON_TYPE_NODE, G_TYPE_BOOLEAN);
  signals [MESSAGE_STORED] =
    g_signal_new ("message-stored", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_INT64, G_TYPE_INT64);
  signals [TURN_FINISHED] =
    g_signal_new ("turn-finished", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_INT64, G_TYPE_STRING);
  /* SextantAgent::retrying: failed attempt, attempts in all, wait in ms, the reason. */
  signals [RETRYING] =
    g_signal_new ("retrying", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
  /* SextantAgent::spending-warning: the conversation and the sentence. */
  signals [SPENDING_WARNING] =
    g_signal_new ("spending-warning", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_INT64, G_TYPE_STRING);
}

static void
sextant_chat_session_init (SextantChatSession *self)
{
  self->over_limit = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
spending_warning_cb (SextantAgent       *agent,
                     gint64              conversation_id,
                     const char         *message,
                     SextantChatSession *self)
{
  g_signal_emit (self, signals [SPENDING_WARNING], 0, conversation_id, message);
}

static void
apply_spending (SextantChatSession *self)
{
  if (self->agent == NULL)
    return;
  sextant_agent_set_spending_limits (self->agent, self->prices, self->monthly_limit, self->conversation_limit);
  for (guint i = 0; i < self->over_limit->len; i++)
    sextant_agent_allow_over_limit (self->agent, g_array_index (self->over_limit, gint64, i));
}

/**
 * sextant_chat_session_set_spending_limits:
 * @self: a session
 * @prices: (nullable): the price table the limits are checked with
 * @monthly_limit: US dollars a month, 0 for none
 * @conversation_limit: US dollars a conversation, 0 for none
 *
 * Kept across the agents the session makes (see sextant_agent_set_spending_limits()).
 */
void
sextant_chat_session_set_spending_limits (SextantChatSession *self,
                                          SextantModelPrices *prices,
                                          double              monthly_limit,
                                          double              conversation_limit)
{
  g_return_if_fail (SEXTANT_IS_CHAT_SESSION (self));

  g_set_object (&self->prices, prices);
  self->monthly_limit = monthly_limit;
  self->conversation_limit = conversation_limit;
  apply_spending (self);
}

/**
 * sextant_chat_session_allow_over_limit:
 *
 * The user chose Ask Anyway: @conversation_id goes past the limits from now on.
 */
void
sextant_chat_session_allow_over_limit (SextantChatSession *self,
                                       gint64              conversation_id)
{
  g_return_if_fail (SEXTANT_IS_CHAT_SESSION (self));

  g_array_append_val (self->over_limit, conversation_id);
  apply_spending (self);
}

static void
text_delta_cb (SextantAgent       *agent,
               const char         *text,
               SextantChatSession *self)
{
  g_signal_emit (self, signals [TEXT_DELTA], 0, text);
}

static void
tool_call_started_cb (SextantAgent       *agent,
                      const char         *id,
                      const char         *name,
                      JsonNode           *input,
                      SextantChatSession *self)
{
  g_signal_emit (self, signals [TOOL_CALL_STARTED], 0, id, name, input);
}

static void
tool_call_finished_cb (SextantAgent       *agent,
                       const char         *id,
                       const char         *name,
                       JsonNode           *result,
                       gboolean            is_error,
                       SextantChatSession *self)
{
  g_signal_emit (self, signals [TOOL_CALL_FINISHED], 0, id, name, result, is_error);
}

static void
message_stored_cb (SextantAgent       *agent,
                   gint64              conversation_id,
                   gint64              message_id,
                   SextantChatSession *self)
{
  g_signal_emit (self, signals [MESSAGE_STORED], 0, conversation_id, message_id);
}

static void
turn_finished_cb (SextantAgent       *agent,
                  gint64              conversation_id,
                  const char         *outcome,
                  SextantChatSession *self)
{
  g_signal_emit (self, signals [TURN_FINISHED], 0, conversation_id, outcome);
}

static void
retrying_cb (SextantAgent       *agent,
             gint64              conversation_id,
             guint               failed_attempt,
             guint               max_attempts,
             guint               delay_ms,
             const char         *reason,
             SextantChatSession *self)
{
  g_signal_emit (self, signals [RETRYING], 0, failed_attempt, max_attempts, delay_ms, reason);
}

static void
busy_cb (SextantChatSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
make_agent (SextantChatSession   *self,
            SextantBedrockClient *client)
{
  drop_agent (self);
  self->agent = sextant_agent_new (client, self->registry, self->conversations, self->log);
  sextant_agent_set_model (self->agent, self->model);
  sextant_agent_set_offline_reason (self->agent, self->offline_reason);
  if (self->desk_models != NULL)
    {
      GHashTableIter iter;
      gpointer desk, model;

      g_hash_table_iter_init (&iter, self->desk_models);
      while (g_hash_table_iter_next (&iter, &desk, &model))
        sextant_agent_set_desk_model (self->agent, desk, model);
    }
  g_signal_connect (self->agent, "text-delta", G_CALLBACK (text_delta_cb), self);
  g_signal_connect (self->agent, "tool-call-started", G_CALLBACK (tool_call_started_cb), self);
  g_signal_connect (self->agent, "tool-call-finished", G_CALLBACK (tool_call_finished_cb), self);
  g_signal_connect (self->agent, "message-stored", G_CALLBACK (message_stored_cb), self);
  g_signal_connect (self->agent, "turn-finished", G_CALLBACK (turn_finished_cb), self);
  g_signal_connect (self->agent, "retrying", G_CALLBACK (retrying_cb), self);
  g_signal_connect_swapped (self->agent, "notify::busy", G_CALLBACK (busy_cb), self);
  g_signal_connect (self->agent, "spending-warning", G_CALLBACK (spending_warning_cb), self);
  apply_spending (self);
}

/**
 * sextant_chat_session_new:
 * @conversations: where messages are stored
 * @registry: the tools
 * @log: (nullable): where invocations are recorded
 *
 * Returns: (transfer full): a session, offline until sextant_chat_session_set_client()
 */
SextantChatSession *
sextant_chat_session_new (SextantConversationStore *conversations,
                          SextantToolRegistry      *registry,
                          SextantInvocationLog     *log)
{
  SextantChatSession *self;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (conversations), NULL);
  g_return_val_if_fail (SEXTANT_IS_TOOL_REGISTRY (registry), NULL);

  self = g_object_new (SEXTANT_TYPE_CHAT_SESSION, NULL);
  self->conversations = g_object_ref (conversations);
  self->registry = g_object_ref (registry);
  g_set_object (&self->log, log);
  make_agent (self, NULL);

  return self;
}

/**
 * sextant_chat_session_get_conversations:
 *
 * Returns: (transfer none): the conversation store
 */
SextantConversationStore *
sextant_chat_session_get_conversations (SextantChatSession *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_SESSION (self), NULL);

  return self->conversations;
}

/**
 * sextant_chat_session_set_client:
 * @self: a session, not busy
 * @client: (nullable): a Bedrock client, or %NULL for the offline analyst
 * @offline_reason: (nullable): why there is no client, for the offline label (a sentence)
 */
void
sextant_chat_session_set_client (SextantChatSession   *self,
                                 SextantBedrockClient *client,
                                 const char           *offline_reason)
{
  g_return_if_fail (SEXTANT_IS_CHAT_SESSION (self));
  g_return_if_fail (!sextant_chat_session_get_busy (self));

  g_free (self->offline_reason);
  self->offline_reason = g_strdup (offline_reason);
  if (client != sextant_agent_get_client (self->agent))
    make_agent (self, client);
  else
    sextant_agent_set_offline_reason (self->agent, offline_reason);
}

/**
 * sextant_chat_session_get_client:
 *
 * Returns: (transfer none) (nullable): the Bedrock client questions go to, or %NULL offline
 */
SextantBedrockClient *
sextant_chat_session_get_client (SextantChatSession *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_SESSION (self), NULL);

  return sextant_agent_get_client (self->agent);
}

/**
 * sextant_chat_session_get_online:
 *
 * Returns: whether questions go to Amazon Bedrock (the offline analyst answers if it cannot be
 *   reached)
 */
gboolean
sextant_chat_session_get_online (SextantChatSession *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_SESSION (self), FALSE);

  return sextant_agent_get_client (self->agent) != NULL;
}

void
sextant_chat_session_set_model (SextantChatSession *self,
                                const char         *model_id)
{
  g_return_if_fail (SEXTANT_IS_CHAT_SESSION (self));

  g_free (self->model);
  self->model = g_strdup (model_id);
  sextant_agent_set_model (self->agent, model_id);
}

/**
 * sextant_chat_session_set_desk_models:
 * @self: a session
 * @desk_models: (nullable): the `desk-models` setting, `a{ss}` from a desk id to a model id;
 *   a desk not in it, or with an empty id, answers with the conversation's model
 */
void
sextant_chat_session_set_desk_models (SextantChatSession *self,
                                      GVariant           *desk_models)
{
  const char * const *desks = sextant_agent_desk_list_ids ();

  g_return_if_fail (SEXTANT_IS_CHAT_SESSION (self));

  g_clear_pointer (&self->desk_models, g_hash_table_unref);
  self->desk_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; desks[i] != NULL; i++)
    {
      const char *model = NULL;

      if (desk_models != NULL && g_variant_lookup (desk_models, desks[i], "&s", &model) && model[0] != '\0')
        g_hash_table_insert (self->desk_models, g_strdup (desks[i]), g_strdup (model));
      sextant_agent_set_desk_model (self->agent, desks[i], model);
    }
}

gboolean
sextant_chat_session_get_busy (SextantChatSession *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_SESSION (self), FALSE);

  return self->agent != NULL && sextant_agent_get_busy (self->agent);
}

static void
ask_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantAgentReply) agent_reply = sextant_agent_ask_finish (SEXTANT_AGENT (object), result, &error);
  SextantChatReply *reply;

  if (agent_reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  reply = g_new0 (SextantChatReply, 1);
  reply->text = g_steal_pointer (&agent_reply->text);
  reply->offline = agent_reply->offline;
  reply->tool_calls = agent_reply->tool_calls;
  reply->input_tokens = agent_reply->input_tokens;
  reply->output_tokens = agent_reply->output_tokens;
  reply->region = g_steal_pointer (&agent_reply->region);
  reply->cache_read_tokens = agent_reply->cache_read_tokens;
  reply->cache_write_tokens = agent_reply->cache_write_tokens;
  g_task_return_pointer (task, reply, (GDestroyNotify) sextant_chat_reply_free);
}

/**
 * sextant_chat_session_ask_async:
 * @self: a session
 * @conversation_id: a conversation of the store
 * @question: (nullable): the question, stored before anything else; %NULL to retry the last one
 * @cancellable: (nullable): Stop; what arrived is kept, marked interrupted
 * @callback: called when the turn ends
 * @user_data: data for @callback
 */
void
sextant_chat_session_ask_async (SextantChatSession  *self,
                                gint64               conversation_id,
                                const char          *question,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SEXTANT_IS_CHAT_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_chat_session_ask_async);
  /* The task keeps the session, and so the agent, alive until the turn ends. */
  sextant_agent_ask_async (self->agent, conversation_id, question, cancellable, ask_cb, task);
}

/**
 * sextant_chat_session_ask_finish:
 *
 * Returns: (transfer full): the reply, or %NULL with @error set
 */
SextantChatReply *
sextant_chat_session_ask_finish (SextantChatSession  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
