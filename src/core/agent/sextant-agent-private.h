#pragma once

#include "agent/sextant-agent.h"
#include "agent/sextant-offline-analyst.h"
#include "agent/sextant-spending.h"

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
  gint64                    max_total_tokens;   /* 0: no bound beyond the rounds */
  /* Delegation to the specialist desks (issue 17) */
  gboolean                  no_delegation;
  GHashTable               *desk_models;        /* desk id → model id */
  guint                     desk_max_rounds;
  gint64                    desk_max_tokens;
  char                     *desk;               /* set on a desk's own agent: its turns are the desk's */
  /* The counts of the last turn, also when it failed (a desk's card shows what it used) */
  guint                     last_rounds;
  guint                     last_tool_calls;
  gint64                    last_input_tokens;
  gint64                    last_output_tokens;
  gboolean                  last_offline;
  SextantModelPrices       *prices;
  double                    monthly_limit;
  double                    conversation_limit;
  GHashTable               *over_limit;   /* conversation ids allowed past their limit */
};

typedef struct
{
  guint    rounds;
  gint64   input_tokens;
  gint64   output_tokens;
  gboolean failed;
} SextantDeskCounts;

enum
{
  AGENT_TEXT_DELTA,
  AGENT_TOOL_CALL_STARTED,
  AGENT_TOOL_CALL_FINISHED,
  AGENT_MESSAGE_STORED,
  AGENT_TURN_FINISHED,
  AGENT_RETRYING,
  AGENT_SPENDING_WARNING,
  AGENT_N_SIGNALS
};

extern guint _sextant_agent_signals[AGENT_N_SIGNALS];

void _sextant_agent_set_busy   (SextantAgent *self,
                                gboolean      busy);
void _sextant_agent_turn_start (SextantAgent *self,
                                GTask        *task,
                                gint64        conversation_id,
                                const char   *question);

/* A desk's turn: the desk's system prompt and tools, its messages kept in memory (the finding
 * goes back to the portfolio manager's conversation as the tool's result), recorded in the
 * invocation log under the desk's role and @parent_conversation_id. */
void _sextant_agent_desk_turn_start (SextantAgent *desk_agent,
                                     GTask        *task,
                                     gint64        parent_conversation_id,
                                     const char   *question);

void      _sextant_agent_add_desk_tools  (SextantConverseRequest *request);
void      _sextant_agent_run_desk_async  (SextantAgent           *self,
                                          const char             *desk,
                                          const char             *model,
                                          JsonNode               *input,
                                          gint64                  conversation_id,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data);
JsonNode *_sextant_agent_run_desk_finish (GAsyncResult           *result,
                                          SextantDeskCounts      *counts,
                                          GError                **error);

G_END_DECLS
