#pragma once

#include "agent/sextant-agent.h"
#include "agent/sextant-offline-analyst.h"

G_BEGIN_DECLS

/* Shared by sextant-agent.c (the object, its properties and signals) and sextant-agent-turn.c
 * (one question's rounds of model calls and tool calls). */

struct _SextantAgent
{
  GObject                   parent_instance;
  SextantBedrockClient     *client;
  SextantToolRegistry      *registry;
  SextantConversationStore *conversations;
  SextantInvocationLog     *log;
  SextantOfflineAnalyst    *analyst;
  char                     *model;
  char                     *offline_reason;
  guint                     max_rounds;
  gint64                    token_budget;
  int                       max_tokens;
  gboolean                  busy;
  gboolean                  no_offline_fallback;
};

enum
{
  AGENT_TEXT_DELTA,
  AGENT_TOOL_CALL_STARTED,
  AGENT_TOOL_CALL_FINISHED,
  AGENT_MESSAGE_STORED,
  AGENT_TURN_FINISHED,
  AGENT_RETRYING,
  AGENT_N_SIGNALS
};

extern guint _sextant_agent_signals[AGENT_N_SIGNALS];

void _sextant_agent_set_busy   (SextantAgent *self,
                                gboolean      busy);
void _sextant_agent_turn_start (SextantAgent *self,
                                GTask        *task,
                                gint64        conversation_id,
                                const char   *question);

G_END_DECLS
