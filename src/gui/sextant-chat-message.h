#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sextant-core.h"
#include "document/sextant-markdown.h"

G_BEGIN_DECLS

/**
 * SextantChatToolCall:
 * @id: the model's tool-use id
 * @name: the tool
 * @input: (nullable): the input the model gave
 * @result: (nullable): the result, %NULL while the tool runs
 * @is_error: whether the call failed
 * @expanded: whether its card is open (kept while the list view recycles rows)
 *
 * One tool call shown as a card under the assistant message that asked for it.
 */
typedef struct
{
  char     *id;
  char     *name;
  JsonNode *input;
  JsonNode *result;
  gboolean  is_error;
  gboolean  expanded;
} SextantChatToolCall;

/**
 * SextantChatMessageState:
 * @SEXTANT_CHAT_MESSAGE_COMPLETE: a whole message
 * @SEXTANT_CHAT_MESSAGE_STREAMING: an answer still arriving
 * @SEXTANT_CHAT_MESSAGE_INTERRUPTED: an answer cut short; its text is partial
 * @SEXTANT_CHAT_MESSAGE_FAILED: a question whose request failed
 */
typedef enum
{
  SEXTANT_CHAT_MESSAGE_COMPLETE,
  SEXTANT_CHAT_MESSAGE_STREAMING,
  SEXTANT_CHAT_MESSAGE_INTERRUPTED,
  SEXTANT_CHAT_MESSAGE_FAILED,
} SextantChatMessageState;

#define SEXTANT_TYPE_CHAT_MESSAGE (sextant_chat_message_get_type ())

G_DECLARE_FINAL_TYPE (SextantChatMessage, sextant_chat_message, SEXTANT, CHAT_MESSAGE, GObject)

SextantChatMessage      *sextant_chat_message_new             (const char              *role);
SextantChatMessage      *sextant_chat_message_new_from_stored (const SextantStoredMessage *stored);
gint64                   sextant_chat_message_get_id          (SextantChatMessage      *self);
void                     sextant_chat_message_set_id          (SextantChatMessage      *self,
                                                               gint64                   id);
const char              *sextant_chat_message_get_role        (SextantChatMessage      *self);
gboolean                 sextant_chat_message_is_user         (SextantChatMessage      *self);
const char              *sextant_chat_message_get_text        (SextantChatMessage      *self);
void                     sextant_chat_message_set_text        (SextantChatMessage      *self,
                                                               const char              *text);
void                     sextant_chat_message_append_text     (SextantChatMessage      *self,
                                                               const char              *delta);
GPtrArray               *sextant_chat_message_get_blocks      (SextantChatMessage      *self);
SextantChatMessageState  sextant_chat_message_get_state       (SextantChatMessage      *self);
void                     sextant_chat_message_set_state       (SextantChatMessage      *self,
                                                               SextantChatMessageState  state);
gboolean                 sextant_chat_message_get_offline     (SextantChatMessage      *self);
void                     sextant_chat_message_set_offline     (SextantChatMessage      *self,
                                                               gboolean                 offline);
void                     sextant_chat_message_get_tokens      (SextantChatMessage      *self,
                                                               gint64                  *input_tokens,
                                                               gint64                  *output_tokens);
void                     sextant_chat_message_set_region      (SextantChatMessage      *self,
                                                               const char              *region);
void                     sextant_chat_message_set_cache_tokens (SextantChatMessage     *self,
                                                                gint64                  cache_read_tokens,
                                                                gint64                  cache_write_tokens);
void                     sextant_chat_message_get_cache_tokens (SextantChatMessage     *self,
                                                                gint64                 *cache_read_tokens,
                                                                gint64                 *cache_write_tokens);
const char              *sextant_chat_message_get_region      (SextantChatMessage      *self);
void                     sextant_chat_message_set_tokens      (SextantChatMessage      *self,
                                                               gint64                   input_tokens,
                                                               gint64                   output_tokens);
guint                    sextant_chat_message_get_n_tool_calls (SextantChatMessage     *self);
SextantChatToolCall     *sextant_chat_message_get_tool_call   (SextantChatMessage      *self,
                                                               guint                    index);
void                     sextant_chat_message_add_tool_call   (SextantChatMessage      *self,
                                                               const char              *id,
                                                               const char              *name,
                                                               JsonNode                *input);
gboolean                 sextant_chat_message_set_tool_result (SextantChatMessage      *self,
                                                               const char              *id,
                                                               JsonNode                *result,
                                                               gboolean                 is_error);
gboolean                 sextant_chat_message_has_only_tool_results (const SextantStoredMessage *stored);
void                     sextant_chat_message_add_stored_results (SextantChatMessage      *self,
                                                               const SextantStoredMessage *stored);

G_END_DECLS
