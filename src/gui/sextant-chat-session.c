#define G_LOG_DOMAIN "sextant-chat-session"

#include "config.h"

#include "sextant-chat-session.h"

/* What the chat window talks to: one question in, a stream of signals out (text deltas, tool
 * calls, stored messages, the end of the turn), the same shape as SextantAgent's so the window
 * does not care whether Claude or the offline analyst answers. Until the agent loop is in the
 * core, every turn is answered by the offline analyst here, stored the way the agent stores
 * its turns (the question first, then the answer). */

struct _SextantChatSession
{
  GObject                   parent_instance;
  SextantConversationStore *conversations;
  SextantToolRegistry      *registry;
  SextantInvocationLog     *log;
  SextantOfflineAnalyst    *analyst;
  SextantBedrockClient     *client;
  char                     *offline_reason;
  char                     *model;
  gboolean                  busy;
};

enum { TEXT_DELTA, TOOL_CALL_STARTED, TOOL_CALL_FINISHED, MESSAGE_STORED, TURN_FINISHED, N_SIGNALS };
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
  g_free (reply);
}

static void
sextant_chat_session_dispose (GObject *object)
{
  SextantChatSession *self = (SextantChatSession *)object;

  g_clear_object (&self->conversations);
  g_clear_object (&self->registry);
  g_clear_object (&self->log);
  g_clear_object (&self->analyst);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sextant_chat_session_parent_class)->dispose (object);
}

static void
sextant_chat_session_finalize (GObject *object)
{
  SextantChatSession *self = (SextantChatSession *)object;

  g_free (self->offline_reason);
  g_free (self->model);

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
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
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
}

static void
sextant_chat_session_init (SextantChatSession *self)
{
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
  self->analyst = sextant_offline_analyst_new (registry);

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
 * @self: a session
 * @client: (nullable): a Bedrock client, or %NULL for the offline analyst
 * @offline_reason: (nullable): why there is no client, for the offline label
 */
void
sextant_chat_session_set_client (SextantChatSession   *self,
                                 SextantBedrockClient *client,
                                 const char           *offline_reason)
{
  g_return_if_fail (SEXTANT_IS_CHAT_SESSION (self));

  g_set_object (&self->client, client);
  g_free (self->offline_reason);
  self->offline_reason = g_strdup (offline_reason);
}

/**
 * sextant_chat_session_get_online:
 *
 * Returns: whether questions go to Amazon Bedrock
 */
gboolean
sextant_chat_session_get_online (SextantChatSession *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_SESSION (self), FALSE);

  /* The agent loop is not in the core yet: every answer is the offline analyst's. */
  return FALSE;
}

void
sextant_chat_session_set_model (SextantChatSession *self,
                                const char         *model_id)
{
  g_return_if_fail (SEXTANT_IS_CHAT_SESSION (self));

  g_free (self->model);
  self->model = g_strdup (model_id);
}

gboolean
sextant_chat_session_get_busy (SextantChatSession *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_SESSION (self), FALSE);

  return self->busy;
}

static void
set_busy (SextantChatSession *self,
          gboolean            busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

typedef struct
{
  gint64  conversation_id;
  char   *question;
} Turn;

static void
turn_free (Turn *turn)
{
  g_free (turn->question);
  g_free (turn);
}

static gint64
store_text (SextantChatSession  *self,
            gint64               conversation_id,
            const char          *role,
            const char          *text,
            GError             **error)
{
  g_autoptr(SextantConverseMessage) message = sextant_converse_message_new (role);
  gint64 id;

  sextant_converse_message_add_text (message, text);
  id = sextant_conversation_store_append (self->conversations, conversation_id, message,
                                          SEXTANT_MESSAGE_COMPLETE, 0, 0, error);
  if (id > 0)
    g_signal_emit (self, signals [MESSAGE_STORED], 0, conversation_id, id);

  return id;
}

static void
finish (GTask      *task,
        const char *outcome)
{
  SextantChatSession *self = g_task_get_source_object (task);
  Turn *turn = g_task_get_task_data (task);

  set_busy (self, FALSE);
  g_signal_emit (self, signals [TURN_FINISHED], 0, turn->conversation_id, outcome);
}

static void
offline_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SextantChatSession *self = g_task_get_source_object (task);
  Turn *turn = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = sextant_offline_analyst_answer_finish (SEXTANT_OFFLINE_ANALYST (object), result, &error);
  SextantChatReply *reply;

  if (answer == NULL)
    {
      finish (task, "cancelled");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_signal_emit (self, signals [TEXT_DELTA], 0, answer);
  if (store_text (self, turn->conversation_id, "assistant", answer, &error) == 0)
    {
      finish (task, "failed");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  reply = g_new0 (SextantChatReply, 1);
  reply->text = g_steal_pointer (&answer);
  reply->offline = TRUE;
  finish (task, "offline");
  g_task_return_pointer (task, reply, (GDestroyNotify) sextant_chat_reply_free);
}

/* A retry answers the conversation's last question again. */
static char *
last_question (SextantChatSession  *self,
               gint64               conversation_id,
               GError             **error)
{
  g_autoptr(GPtrArray) messages = sextant_conversation_store_load_messages (self->conversations,
                                                                            conversation_id, error);

  for (guint i = messages != NULL ? messages->len : 0; i-- > 0;)
    {
      SextantStoredMessage *m = messages->pdata[i];

      if (g_str_equal (m->role, "user") && m->text != NULL && m->text[0] != '\0')
        {
          if (m->state == SEXTANT_MESSAGE_FAILED)
            sextant_conversation_store_set_state (self->conversations, m->id, SEXTANT_MESSAGE_COMPLETE, NULL);
          return g_strdup (m->text);
        }
    }
  if (messages != NULL)
    g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND,
                 "Conversation %" G_GINT64_FORMAT " has no question to retry", conversation_id);

  return NULL;
}

/**
 * sextant_chat_session_ask_async:
 * @self: a session
 * @conversation_id: a conversation of the store
 * @question: (nullable): the question, stored before anything else; %NULL to retry the last one
 * @cancellable: (nullable): Stop
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
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Turn *turn;

  g_return_if_fail (SEXTANT_IS_CHAT_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_chat_session_ask_async);
  if (self->busy)
    {
      g_task_return_new_error (task, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_BUSY,
                               "The assistant is still answering the previous question");
      return;
    }
  turn = g_new0 (Turn, 1);
  turn->conversation_id = conversation_id;
  g_task_set_task_data (task, turn, (GDestroyNotify) turn_free);
  set_busy (self, TRUE);
  if (question != NULL && store_text (self, conversation_id, "user", question, &error) > 0)
    turn->question = g_strdup (question);
  else if (question == NULL)
    turn->question = last_question (self, conversation_id, &error);
  if (turn->question == NULL)
    {
      finish (task, "failed");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sextant_offline_analyst_answer_async (self->analyst, turn->question,
                                        self->offline_reason != NULL ? self->offline_reason
                                                                     : "No Amazon Bedrock connection is set up.",
                                        cancellable, offline_done_cb, g_steal_pointer (&task));
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
