#pragma once

#include <gio/gio.h>

#include "sextant-core.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_CONVERSATION_ITEM (sextant_conversation_item_get_type ())

G_DECLARE_FINAL_TYPE (SextantConversationItem, sextant_conversation_item, SEXTANT, CONVERSATION_ITEM, GObject)

SextantConversationItem *sextant_conversation_item_new_for_info   (const SextantConversationInfo *info);
SextantConversationItem *sextant_conversation_item_new_for_hit    (gint64                         id,
                                                                   const char                    *title,
                                                                   const char                    *snippet_markup);
gint64                   sextant_conversation_item_get_id         (SextantConversationItem       *self);
const char              *sextant_conversation_item_get_title      (SextantConversationItem       *self);
void                     sextant_conversation_item_set_title      (SextantConversationItem       *self,
                                                                   const char                    *title);
const char              *sextant_conversation_item_get_subtitle   (SextantConversationItem       *self);
gboolean                 sextant_conversation_item_get_pinned     (SextantConversationItem       *self);
gboolean                 sextant_conversation_item_get_use_markup (SextantConversationItem       *self);
void                     sextant_conversation_item_update         (SextantConversationItem       *self,
                                                                   const SextantConversationInfo *info);
int                      sextant_conversation_item_compare        (gconstpointer                  a,
                                                                   gconstpointer                  b,
                                                                   gpointer                       user_data);
gboolean                 sextant_conversation_items_find          (GListModel                    *items,
                                                                   gint64                         id,
                                                                   guint                         *position);

G_END_DECLS
