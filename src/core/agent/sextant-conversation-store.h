#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "bedrock/sextant-converse-message.h"
#include "base/sextant-store.h"

G_BEGIN_DECLS

/**
 * SextantMessageState:
 * @SEXTANT_MESSAGE_COMPLETE: a whole message
 * @SEXTANT_MESSAGE_INTERRUPTED: an answer cut short (Stop, a broken stream); its text is partial.
 *   A question is interrupted when it was stopped before any answer came (it is then not sent
 *   again with later questions)
 * @SEXTANT_MESSAGE_FAILED: a user message whose request failed with no answer at all
 */
typedef enum
{
  SEXTANT_MESSAGE_COMPLETE,
  SEXTANT_MESSAGE_INTERRUPTED,
  SEXTANT_MESSAGE_FAILED,
} SextantMessageState;

const char *sextant_message_state_to_string (SextantMessageState state);

/**
 * SextantConversationInfo:
 * @id: the conversation id
 * @title: its title
 * @role: the role id (`portfolio-manager`, `risk-officer`, `analyst`)
 * @model: (nullable): the model id last used
 * @created_at: unix microseconds
 * @updated_at: unix microseconds of the last message or rename
 * @n_messages: how many messages with text it holds: questions and answers, not the tool calls
 *   and results of a round, which show as cards
 * @input_tokens: input tokens over all its messages
 * @output_tokens: output tokens over all its messages
 * @pinned: kept whatever the retention period
 * @cache_read_tokens: input tokens its Bedrock turns read from the prompt cache (from the
 *   invocation log: messages do not keep them)
 * @cache_write_tokens: input tokens its Bedrock turns wrote to the prompt cache
 */
typedef struct
{
  gint64  id;
  char   *title;
  char   *role;
  char   *model;
  gint64  created_at;
  gint64  updated_at;
  gint64  n_messages;
  gint64  input_tokens;
  gint64  output_tokens;
  gboolean pinned;
  gint64  cache_read_tokens;
  gint64  cache_write_tokens;
} SextantConversationInfo;

/**
 * SextantStoredMessage:
 * @id: the message id (increasing in time)
 * @conversation_id: its conversation
 * @role: `user` or `assistant`
 * @content: a JSON array of Converse content blocks (text, toolUse, toolResult, …)
 * @text: the text of its text blocks, joined
 * @state: complete, interrupted or failed
 * @input_tokens: input tokens of the request that produced it (assistant messages)
 * @output_tokens: output tokens of it
 * @created_at: unix microseconds
 */
typedef struct
{
  gint64               id;
  gint64               conversation_id;
  char                *role;
  JsonNode            *content;
  char                *text;
  SextantMessageState  state;
  gint64               input_tokens;
  gint64               output_tokens;
  gint64               created_at;
} SextantStoredMessage;

/**
 * SextantSearchHit:
 * @conversation_id: the conversation
 * @message_id: the matching message
 * @title: the conversation's title
 * @snippet: the matching text with the terms in `**bold**`
 */
typedef struct
{
  gint64  conversation_id;
  gint64  message_id;
  char   *title;
  char   *snippet;
} SextantSearchHit;

#define SEXTANT_TYPE_CONVERSATION_INFO (sextant_conversation_info_get_type ())
#define SEXTANT_TYPE_STORED_MESSAGE (sextant_stored_message_get_type ())

GType                    sextant_conversation_info_get_type (void) G_GNUC_CONST;
SextantConversationInfo *sextant_conversation_info_copy     (const SextantConversationInfo *info);
void                     sextant_conversation_info_free     (SextantConversationInfo       *info);
GType                    sextant_stored_message_get_type    (void) G_GNUC_CONST;
SextantStoredMessage    *sextant_stored_message_copy        (const SextantStoredMessage    *message);
void                     sextant_stored_message_free        (SextantStoredMessage          *message);
SextantConverseMessage  *sextant_stored_message_to_converse (const SextantStoredMessage    *message);
void                     sextant_search_hit_free            (SextantSearchHit              *hit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantConversationInfo, sextant_conversation_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantStoredMessage, sextant_stored_message_free)

#define SEXTANT_TYPE_CONVERSATION_STORE (sextant_conversation_store_get_type ())

G_DECLARE_FINAL_TYPE (SextantConversationStore, sextant_conversation_store, SEXTANT, CONVERSATION_STORE, GObject)

SextantConversationStore *sextant_conversation_store_new            (SextantStore             *store);
SextantStore             *sextant_conversation_store_get_store      (SextantConversationStore *self);
gint64                    sextant_conversation_store_create         (SextantConversationStore *self,
                                                                     const char               *title,
                                                                     const char               *role,
                                                                     const char               *model,
                                                                     GError                  **error);
SextantConversationInfo  *sextant_conversation_store_get            (SextantConversationStore *self,
                                                                     gint64                    id,
                                                                     GError                  **error);
GPtrArray                *sextant_conversation_store_list           (SextantConversationStore *self,
                                                                     GError                  **error);
gboolean                  sextant_conversation_store_rename         (SextantConversationStore *self,
                                                                     gint64                    id,
                                                                     const char               *title,
                                                                     GError                  **error);
gboolean                  sextant_conversation_store_set_role       (SextantConversationStore *self,
                                                                     gint64                    id,
                                                                     const char               *role,
                                                                     GError                  **error);
gboolean                  sextant_conversation_store_set_model      (SextantConversationStore *self,
                                                                     gint64                    id,
                                                                     const char               *model,
                                                                     GError                  **error);
gboolean                  sextant_conversation_store_delete         (SextantConversationStore *self,
                                                                     gint64                    id,
                                                                     GError                  **error);
gboolean                  sextant_conversation_store_undelete       (SextantConversationStore *self,
                                                                     gint64                    id,
                                                                     GError                  **error);
gint64                    sextant_conversation_store_purge_deleted  (SextantConversationStore *self,
                                                                     gint64                    deleted_before,
                                                                     GError                  **error);
gint64                    sextant_conversation_store_append         (SextantConversationStore *self,
                                                                     gint64                    conversation_id,
                                                                     SextantConverseMessage   *message,
                                                                     SextantMessageState       state,
                                                                     gint64                    input_tokens,
                                                                     gint64                    output_tokens,
                                                                     GError                  **error);
void                      sextant_conversation_store_append_async   (SextantConversationStore *self,
                                                                     gint64                    conversation_id,
                                                                     SextantConverseMessage   *message,
                                                                     SextantMessageState       state,
                                                                     gint64                    input_tokens,
                                                                     gint64                    output_tokens,
                                                                     GAsyncReadyCallback       callback,
                                                                     gpointer                  user_data);
gint64                    sextant_conversation_store_append_finish  (SextantConversationStore *self,
                                                                     GAsyncResult             *result,
                                                                     GError                  **error);
gboolean                  sextant_conversation_store_replace_message (SextantConversationStore *self,
                                                                     gint64                    conversation_id,
                                                                     gint64                    message_id,
                                                                     GError                  **error);
gboolean                  sextant_conversation_store_set_state      (SextantConversationStore *self,
                                                                     gint64                    message_id,
                                                                     SextantMessageState       state,
                                                                     GError                  **error);
GPtrArray                *sextant_conversation_store_load_messages  (SextantConversationStore *self,
                                                                     gint64                    conversation_id,
                                                                     GError                  **error);
GPtrArray                *sextant_conversation_store_load_page      (SextantConversationStore *self,
                                                                     gint64                    conversation_id,
                                                                     gint64                    before_id,
                                                                     guint                     limit,
                                                                     gboolean                 *more,
                                                                     GError                  **error);
GPtrArray                *sextant_conversation_store_search         (SextantConversationStore *self,
                                                                     const char               *query,
                                                                     guint                     limit,
                                                                     GError                  **error);
GPtrArray                *sextant_conversation_store_build_context  (SextantConversationStore *self,
                                                                     gint64                    conversation_id,
                                                                     gint64                    token_budget,
                                                                     GError                  **error);
GPtrArray                *sextant_conversation_build_context        (GPtrArray                *messages,
                                                                     gint64                    token_budget);
gint64                    sextant_conversation_estimate_tokens      (JsonNode                 *content);
char                     *sextant_conversation_store_export_markdown (SextantConversationStore *self,
                                                                     gint64                    id,
                                                                     GError                  **error);
JsonNode                 *sextant_conversation_store_export_json    (SextantConversationStore *self,
                                                                     gint64                    id,
                                                                     GError                  **error);
char                     *sextant_conversation_store_dup_role_prompt (SextantConversationStore *self,
                                                                     const char               *role,
                                                                     GError                  **error);
gboolean                  sextant_conversation_store_set_role_prompt (SextantConversationStore *self,
                                                                     const char               *role,
                                                                     const char               *prompt,
                                                                     GError                  **error);

gboolean                  sextant_conversation_store_set_pinned     (SextantConversationStore *self,
                                                                     gint64                    id,
                                                                     gboolean                  pinned,
                                                                     GError                  **error);
gint64                    sextant_conversation_store_expire         (SextantConversationStore *self,
                                                                     gint64                    updated_before,
                                                                     GError                  **error);
void                      sextant_conversation_store_emit_changed   (SextantConversationStore *self,
                                                                     gint64                    conversation_id);
gint64                    sextant_conversation_store_count_clear    (SextantStore             *store,
                                                                     GError                  **error);
gint64                    sextant_conversation_store_seal_batch     (SextantStore             *store,
                                                                     guint                     max_rows,
                                                                     gint64                   *after_id,
                                                                     GError                  **error);

G_END_DECLS
