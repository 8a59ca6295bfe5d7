#pragma once

#include <adwaita.h>

#include "sextant-chat-session.h"
#include "sextant-chat-transcript.h"
#include "sextant-workspace-window.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_CHAT_WINDOW (sextant_chat_window_get_type ())

G_DECLARE_FINAL_TYPE (SextantChatWindow, sextant_chat_window, SEXTANT, CHAT_WINDOW, SextantWorkspaceWindow)

SextantChatWindow  *sextant_chat_window_new                 (GtkApplication           *application,
                                                             SextantWorkspace         *workspace);
SextantChatWindow  *sextant_chat_window_new_with_store      (GtkApplication           *application,
                                                             SextantWorkspace         *workspace,
                                                             SextantConversationStore *conversations);
SextantChatSession *sextant_chat_window_get_session         (SextantChatWindow        *self);
const char         *sextant_chat_window_get_model           (SextantChatWindow        *self);
void                sextant_chat_window_set_client          (SextantChatWindow        *self,
                                                             SextantBedrockClient     *client,
                                                             const char               *offline_reason);
GListModel         *sextant_chat_window_get_messages        (SextantChatWindow        *self);
SextantChatTranscript *sextant_chat_window_get_transcript   (SextantChatWindow        *self);
gint64              sextant_chat_window_get_conversation_id (SextantChatWindow        *self);
char               *sextant_chat_window_dup_draft           (SextantChatWindow        *self);
void                sextant_chat_window_set_draft           (SextantChatWindow        *self,
                                                             const char               *text);
void                sextant_chat_window_set_role            (SextantChatWindow        *self,
                                                             const char               *role);
const char         *sextant_chat_window_get_error           (SextantChatWindow        *self);
gboolean            sextant_chat_window_get_busy            (SextantChatWindow        *self);
gboolean            sextant_chat_window_export_to_file      (SextantChatWindow        *self,
                                                             GFile                    *file,
                                                             const char               *format,
                                                             GError                  **error);

const char        *sextant_chat_window_get_spending_warning (SextantChatWindow *self);

G_END_DECLS
