#pragma once

#include <gio/gio.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/**
 * SextantChatReply:
 * @text: the final answer (Markdown)
 * @offline: %TRUE when the offline analyst answered
 * @tool_calls: tools run
 * @input_tokens: input tokens over the turn's model calls
 * @output_tokens: output tokens over them
 * @region: (nullable): the AWS region that answered (%NULL offline)
 * @cache_read_tokens: input tokens read from the prompt cache over the turn
 * @cache_write_tokens: input tokens written to it
 */
typedef struct
{
  char     *text;
  gboolean  offline;
  guint     tool_calls;
  gint64    input_tokens;
  gint64    output_tokens;
  char     *region;
  gint64    cache_read_tokens;
  gint64    cache_write_tokens;
} SextantChatReply;

void sextant_chat_reply_free (SextantChatReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantChatReply, sextant_chat_reply_free)

#define SEXTANT_TYPE_CHAT_SESSION (sextant_chat_session_get_type ())

G_DECLARE_FINAL_TYPE (SextantChatSession, sextant_chat_session, SEXTANT, CHAT_SESSION, GObject)

SextantChatSession       *sextant_chat_session_new               (SextantConversationStore *conversations,
                                                                  SextantToolRegistry      *registry,
                                                                  SextantInvocationLog     *log);
SextantConversationStore *sextant_chat_session_get_conversations (SextantChatSession       *self);
void                      sextant_chat_session_set_client        (SextantChatSession       *self,
                                                                  SextantBedrockClient     *client,
                                                                  const char               *offline_reason);
SextantBedrockClient     *sextant_chat_session_get_client        (SextantChatSession       *self);
gboolean                  sextant_chat_session_get_online        (SextantChatSession       *self);
void                      sextant_chat_session_set_desk_models   (SextantChatSession       *self,
                                                                  GVariant                 *desk_models);
void                      sextant_chat_session_set_model         (SextantChatSession       *self,
                                                                  const char               *model_id);
void                      sextant_chat_session_set_spending_limits (SextantChatSession *self,
                                                                    SextantModelPrices *prices,
                                                                    double              monthly_limit,
                                                                    double              conversation_limit);
void                      sextant_chat_session_allow_over_limit  (SextantChatSession       *self,
                                                                  gint64                    conversation_id);
gboolean                  sextant_chat_session_get_busy          (SextantChatSession       *self);
void                      sextant_chat_session_ask_async         (SextantChatSession       *self,
                                                                  gint64                    conversation_id,
                                                                  const char               *question,
                                                                  GCancellable             *cancellable,
                                                                  GAsyncReadyCallback       callback,
                                                                  gpointer                  user_data);
SextantChatReply         *sextant_chat_session_ask_finish        (SextantChatSession       *self,
                                                                  GAsyncResult             *result,
                                                                  GError                  **error);

G_END_DECLS
