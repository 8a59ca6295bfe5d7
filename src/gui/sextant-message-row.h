#pragma once

#include <gtk/gtk.h>

#include "sextant-chat-message.h"
#include "sextant-chat-part.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_MESSAGE_ROW (sextant_message_row_get_type ())

G_DECLARE_FINAL_TYPE (SextantMessageRow, sextant_message_row, SEXTANT, MESSAGE_ROW, GtkWidget)

typedef char *(*SextantMessageCostFunc) (SextantChatMessage *message,
                                         gpointer            user_data);

GtkWidget          *sextant_message_row_new           (void);
SextantChatMessage *sextant_message_row_get_message   (SextantMessageRow      *self);
void                sextant_message_row_set_message   (SextantMessageRow      *self,
                                                       SextantChatMessage     *message);
SextantChatPart    *sextant_message_row_get_part      (SextantMessageRow      *self);
void                sextant_message_row_set_part      (SextantMessageRow      *self,
                                                       SextantChatPart        *part);
void                sextant_message_row_set_cost_func (SextantMessageRow      *self,
                                                       SextantMessageCostFunc  func,
                                                       gpointer                user_data);
void                sextant_message_row_update_cost   (SextantMessageRow      *self);
GtkWidget          *sextant_message_row_get_body      (SextantMessageRow      *self);

G_END_DECLS
