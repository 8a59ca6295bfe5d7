#pragma once

#include <gtk/gtk.h>

#include "sextant-chat-message.h"

G_BEGIN_DECLS

GtkWidget *sextant_message_tool_card_new (const SextantChatToolCall *call);

G_END_DECLS
