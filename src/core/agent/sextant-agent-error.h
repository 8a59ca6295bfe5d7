#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEXTANT_AGENT_ERROR (sextant_agent_error_quark ())

/**
 * SextantAgentError:
 * @SEXTANT_AGENT_ERROR_INVALID_INPUT: a tool input that does not match the tool's JSON schema
 * @SEXTANT_AGENT_ERROR_UNKNOWN_TOOL: the model asked for a tool that is not registered
 * @SEXTANT_AGENT_ERROR_UNKNOWN_SYMBOL: no price data for a symbol (the message lists those there are)
 * @SEXTANT_AGENT_ERROR_NO_DATA: the data lacks what a computation needs (OHLC, enough rows, …)
 * @SEXTANT_AGENT_ERROR_TOO_MANY_ROUNDS: the model kept asking for tools past the round limit
 * @SEXTANT_AGENT_ERROR_NOT_FOUND: no conversation, message or role with that id
 * @SEXTANT_AGENT_ERROR_UNPARSED: the offline analyst could not understand the request
 * @SEXTANT_AGENT_ERROR_BUSY: the agent is already answering
 * @SEXTANT_AGENT_ERROR_TOKEN_LIMIT: the model kept asking for tools past the token bound
 * @SEXTANT_AGENT_ERROR_SPENDING_LIMIT: the monthly or the conversation's spending limit is reached
 *   (nothing was sent; sextant_agent_allow_over_limit() lets the conversation go on)
 */
typedef enum
{
  SEXTANT_AGENT_ERROR_INVALID_INPUT,
  SEXTANT_AGENT_ERROR_UNKNOWN_TOOL,
  SEXTANT_AGENT_ERROR_UNKNOWN_SYMBOL,
  SEXTANT_AGENT_ERROR_NO_DATA,
  SEXTANT_AGENT_ERROR_TOO_MANY_ROUNDS,
  SEXTANT_AGENT_ERROR_NOT_FOUND,
  SEXTANT_AGENT_ERROR_UNPARSED,
  SEXTANT_AGENT_ERROR_BUSY,
  SEXTANT_AGENT_ERROR_TOKEN_LIMIT,
  SEXTANT_AGENT_ERROR_SPENDING_LIMIT,
} SextantAgentError;

GQuark sextant_agent_error_quark (void);

G_END_DECLS
