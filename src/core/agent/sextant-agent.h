#pragma once

#include <gio/gio.h>

#include "bedrock/sextant-bedrock-client.h"
#include "agent/sextant-conversation-store.h"
#include "agent/sextant-invocation-log.h"
#include "agent/sextant-model-prices.h"
#include "agent/sextant-tool-registry.h"

G_BEGIN_DECLS

#define SEXTANT_AGENT_DEFAULT_MAX_ROUNDS 8
#define SEXTANT_AGENT_DEFAULT_TOKEN_BUDGET 60000
/* The most maxTokens a round may ask for; each round asks for what it needs, see
 * sextant_model_limits_size_max_tokens(). */
#define SEXTANT_AGENT_DEFAULT_MAX_TOKENS 4096
#define SEXTANT_AGENT_DEFAULT_DESK_MAX_ROUNDS 6
#define SEXTANT_AGENT_DEFAULT_DESK_MAX_TOKENS 60000

/**
 * SextantAgentReply:
 * @conversation_id: the conversation
 * @message_id: the stored id of the final assistant message
 * @text: the final answer's text (Markdown)
 * @offline: %TRUE when the offline analyst answered
 * @rounds: model calls made (each tool round is one more)
 * @tool_calls: tools run
 * @input_tokens: input tokens over all rounds
 * @output_tokens: output tokens over all rounds
 * @stop_reason: (nullable): the model's last stop reason
 * @desk_calls: questions put to the specialist desks
 * @desk_rounds: model calls the desks made
 * @desk_input_tokens: input tokens the desks used
 * @desk_output_tokens: output tokens the desks used
 * @region: (nullable): the region that answered the last round (%NULL offline)
 * @cache_read_tokens: input tokens read from the prompt cache, over all rounds
 * @cache_write_tokens: input tokens written to the prompt cache, over all rounds
 */
typedef struct
{
  gint64    conversation_id;
  gint64    message_id;
  char     *text;
  gboolean  offline;
  guint     rounds;
  guint     tool_calls;
  gint64    input_tokens;
  gint64    output_tokens;
  char     *stop_reason;
  guint     desk_calls;
  guint     desk_rounds;
  gint64    desk_input_tokens;
  gint64    desk_output_tokens;
  char     *region;
  gint64    cache_read_tokens;
  gint64    cache_write_tokens;
} SextantAgentReply;

#define SEXTANT_TYPE_AGENT_REPLY (sextant_agent_reply_get_type ())

GType              sextant_agent_reply_get_type (void) G_GNUC_CONST;
SextantAgentReply *sextant_agent_reply_copy     (const SextantAgentReply *reply);
void               sextant_agent_reply_free     (SextantAgentReply       *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantAgentReply, sextant_agent_reply_free)

#define SEXTANT_TYPE_AGENT (sextant_agent_get_type ())

G_DECLARE_FINAL_TYPE (SextantAgent, sextant_agent, SEXTANT, AGENT, GObject)

SextantAgent             *sextant_agent_new                (SextantBedrockClient     *client,
                                                            SextantToolRegistry      *registry,
                                                            SextantConversationStore *conversations,
                                                            SextantInvocationLog     *log);
SextantBedrockClient     *sextant_agent_get_client         (SextantAgent             *self);
SextantToolRegistry      *sextant_agent_get_registry       (SextantAgent             *self);
SextantConversationStore *sextant_agent_get_conversations  (SextantAgent             *self);
const char               *sextant_agent_get_model          (SextantAgent             *self);
void                      sextant_agent_set_model          (SextantAgent             *self,
                                                            const char               *model_id);
guint                     sextant_agent_get_max_rounds     (SextantAgent             *self);
void                      sextant_agent_set_max_rounds     (SextantAgent             *self,
                                                            guint                     max_rounds);
void                      sextant_agent_set_token_budget   (SextantAgent             *self,
                                                            gint64                    token_budget);
void                      sextant_agent_set_offline_reason (SextantAgent             *self,
                                                            const char               *reason);
void                      sextant_agent_set_offline_fallback (SextantAgent           *self,
                                                              gboolean                allowed);
void                      sextant_agent_set_max_total_tokens (SextantAgent           *self,
                                                              gint64                  max_tokens);
void                      sextant_agent_set_delegation     (SextantAgent             *self,
                                                            gboolean                  enabled);
const char               *sextant_agent_get_desk_model     (SextantAgent             *self,
                                                            const char               *desk);
void                      sextant_agent_set_desk_model     (SextantAgent             *self,
                                                            const char               *desk,
                                                            const char               *model_id);
void                      sextant_agent_set_desk_limits    (SextantAgent             *self,
                                                            guint                     max_rounds,
                                                            gint64                    max_tokens);
gboolean                  sextant_agent_get_busy           (SextantAgent             *self);
void                      sextant_agent_set_spending_limits (SextantAgent            *self,
                                                             SextantModelPrices      *prices,
                                                             double                   monthly_limit,
                                                             double                   conversation_limit);
void                      sextant_agent_allow_over_limit   (SextantAgent             *self,
                                                            gint64                    conversation_id);
void                      sextant_agent_ask_async          (SextantAgent             *self,
                                                            gint64                    conversation_id,
                                                            const char               *question,
                                                            GCancellable             *cancellable,
                                                            GAsyncReadyCallback       callback,
                                                            gpointer                  user_data);
SextantAgentReply        *sextant_agent_ask_finish         (SextantAgent             *self,
                                                            GAsyncResult             *result,
                                                            GError                  **error);
SextantAgentReply        *sextant_agent_ask_sync           (SextantAgent             *self,
                                                            gint64                    conversation_id,
                                                            const char               *question,
                                                            GCancellable             *cancellable,
                                                            GError                  **error);

G_END_DECLS
