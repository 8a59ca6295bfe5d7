#define G_LOG_DOMAIN "sextant-agent-error"

#include "config.h"

#include "agent/sextant-agent-error.h"

G_DEFINE_QUARK (sextant-agent-error-quark, sextant_agent_error)
