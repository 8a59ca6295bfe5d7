#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SextantContentType:
 * @SEXTANT_CONTENT_TEXT: `text`
 * @SEXTANT_CONTENT_TOOL_USE: `toolUse` (the model asks for a tool call)
 * @SEXTANT_CONTENT_TOOL_RESULT: `toolResult` (the app answers a tool call)
 * @SEXTANT_CONTENT_REASONING: `reasoningContent` text
 * @SEXTANT_CONTENT_OTHER: any other block, kept as raw JSON and sent back unchanged
 */
typedef enum
{
  SEXTANT_CONTENT_TEXT,
  SEXTANT_CONTENT_TOOL_USE,
  SEXTANT_CONTENT_TOOL_RESULT,
  SEXTANT_CONTENT_REASONING,
  SEXTANT_CONTENT_OTHER,
} SextantContentType;

/**
 * SextantContentBlock:
 * @type: the kind of block
 * @text: the text of TEXT and REASONING blocks, or of a TOOL_RESULT given as text
 * @tool_use_id: the id of TOOL_USE and TOOL_RESULT blocks
 * @name: the tool name of a TOOL_USE block
 * @json: the input of a TOOL_USE, the JSON content of a TOOL_RESULT, the whole block of OTHER
 * @is_error: whether a TOOL_RESULT reports a failure (`status: error`)
 */
typedef struct
{
  SextantContentType  type;
  char               *text;
  char               *tool_use_id;
  char               *name;
  JsonNode           *json;
  gboolean            is_error;
} SextantContentBlock;

typedef struct _SextantConverseMessage SextantConverseMessage;

#define SEXTANT_TYPE_CONVERSE_MESSAGE (sextant_converse_message_get_type ())

GType                      sextant_converse_message_get_type        (void) G_GNUC_CONST;
SextantConverseMessage    *sextant_converse_message_new             (const char              *role);
SextantConverseMessage    *sextant_converse_message_new_from_json   (JsonNode                *node,
                                                                     GError                 **error);
SextantConverseMessage    *sextant_converse_message_ref             (SextantConverseMessage  *self);
void                       sextant_converse_message_unref           (SextantConverseMessage  *self);
const char                *sextant_converse_message_get_role        (SextantConverseMessage  *self);
guint                      sextant_converse_message_get_n_blocks    (SextantConverseMessage  *self);
SextantContentBlock       *sextant_converse_message_get_block       (SextantConverseMessage  *self,
                                                                     guint                    index);
SextantContentBlock       *sextant_converse_message_ensure_block    (SextantConverseMessage  *self,
                                                                     guint                    index,
                                                                     SextantContentType       type);
void                       sextant_converse_message_add_text        (SextantConverseMessage  *self,
                                                                     const char              *text);
void                       sextant_converse_message_add_tool_use    (SextantConverseMessage  *self,
                                                                     const char              *tool_use_id,
                                                                     const char              *name,
                                                                     JsonNode                *input);
void                       sextant_converse_message_add_tool_result (SextantConverseMessage  *self,
                                                                     const char              *tool_use_id,
                                                                     const char              *text,
                                                                     JsonNode                *json,
                                                                     gboolean                 is_error);
char                      *sextant_converse_message_dup_text        (SextantConverseMessage  *self);
JsonNode                  *sextant_converse_message_to_json         (SextantConverseMessage  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantConverseMessage, sextant_converse_message_unref)

G_END_DECLS
