#pragma once

#include <gio/gio.h>

#include "sextant-chat-message.h"
#include "sextant-chat-part.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_CHAT_TRANSCRIPT (sextant_chat_transcript_get_type ())

G_DECLARE_FINAL_TYPE (SextantChatTranscript, sextant_chat_transcript, SEXTANT, CHAT_TRANSCRIPT, GObject)

SextantChatTranscript *sextant_chat_transcript_new          (GListModel            *messages);
void                   sextant_chat_transcript_queue_update (SextantChatTranscript *self,
                                                             SextantChatMessage    *message);
gsize                  sextant_chat_transcript_flush        (SextantChatTranscript *self,
                                                             gsize                  budget);
gboolean               sextant_chat_transcript_get_pending  (SextantChatTranscript *self);

G_END_DECLS
