#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEXTANT_ROLE_PORTFOLIO_MANAGER "portfolio-manager"
#define SEXTANT_ROLE_RISK_OFFICER "risk-officer"
#define SEXTANT_ROLE_ANALYST "analyst"

const char * const *sextant_agent_role_list_ids          (void);
gboolean            sextant_agent_role_is_known          (const char *role);
const char         *sextant_agent_role_get_name          (const char *role);
const char         *sextant_agent_role_get_default_prompt (const char *role);
const char         *sextant_agent_committee_summary_prompt (void);

G_END_DECLS
