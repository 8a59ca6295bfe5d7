#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEXTANT_ROLE_PORTFOLIO_MANAGER "portfolio-manager"
#define SEXTANT_ROLE_RISK_OFFICER "risk-officer"
#define SEXTANT_ROLE_ANALYST "analyst"
#define SEXTANT_ROLE_FX_DESK "fx-desk"
#define SEXTANT_ROLE_RATES_DESK "rates-desk"
#define SEXTANT_ROLE_CREDIT_DESK "credit-desk"

const char * const *sextant_agent_role_list_ids          (void);
gboolean            sextant_agent_role_is_known          (const char *role);
const char         *sextant_agent_role_get_name          (const char *role);
const char         *sextant_agent_role_get_default_prompt (const char *role);
const char         *sextant_agent_committee_summary_prompt (void);

const char * const *sextant_agent_desk_list_ids          (void);
gboolean            sextant_agent_role_is_desk           (const char *role);
const char         *sextant_agent_desk_get_tool_name     (const char *desk);
const char         *sextant_agent_desk_from_tool_name    (const char *tool_name);
const char * const *sextant_agent_desk_get_tools         (const char *desk);

G_END_DECLS
