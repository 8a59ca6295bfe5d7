#pragma once

#include "sextant-chat-message.h"

G_BEGIN_DECLS

/* The end of a part that runs to the end of its message's text, however long it grows. */
#define SEXTANT_CHAT_PART_OPEN G_MAXSIZE

#define SEXTANT_TYPE_CHAT_PART (sextant_chat_part_get_type ())

G_DECLARE_FINAL_TYPE (SextantChatPart, sextant_chat_part, SEXTANT, CHAT_PART, GObject)

SextantChatPart    *sextant_chat_part_new         (SextantChatMessage *message,
                                                   gsize               start,
                                                   gsize               end,
                                                   gboolean            first,
                                                   gboolean            last);
SextantChatMessage *sextant_chat_part_get_message (SextantChatPart    *self);
gsize               sextant_chat_part_get_start   (SextantChatPart    *self);
gsize               sextant_chat_part_get_end     (SextantChatPart    *self);
void                sextant_chat_part_set_end     (SextantChatPart    *self,
                                                   gsize               end);
void                sextant_chat_part_close       (SextantChatPart    *self,
                                                   gsize               end);
gboolean            sextant_chat_part_is_first    (SextantChatPart    *self);
gboolean            sextant_chat_part_is_last     (SextantChatPart    *self);
GPtrArray          *sextant_chat_part_render      (SextantChatPart    *self);

G_END_DECLS
