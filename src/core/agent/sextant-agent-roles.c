#define G_LOG_DOMAIN "sextant-agent-roles"

#include "config.h"

#include "agent/sextant-agent-roles.h"

/* The roles a conversation can take, with the default system prompts. Users may edit a prompt;
 * the edited text is stored by SextantConversationStore and wins over these defaults. */

static const char *common =
  "You work inside Sextant, a desktop tool for portfolio managers and risk officers. Use the "
  "tools for every number: never estimate a price, an indicator or a risk figure yourself. Each "
  "tool result has an as_of date and a source; say how old the data is, and say when it is "
  "bundled demo data rather than live prices. If a tool reports an error, explain it plainly and "
  "suggest what would fix it (another symbol, importing data, a provider key). Answer in Markdown "
  "with short headings, tables for figures and no more words than needed.";

static const struct { const char *id, *name, *prompt; } roles[] = {
  { SEXTANT_ROLE_PORTFOLIO_MANAGER, "Portfolio manager",
    "You assist a portfolio manager. Focus on allocation, expected return against risk, "
    "diversification and what a change of weights would do; compare against the current "
    "holdings and the benchmark where you can." },
  { SEXTANT_ROLE_RISK_OFFICER, "Risk officer",
    "You assist a risk officer. Focus on downside: VaR and expected shortfall (state the "
    "confidence level and horizon), drawdowns, concentration, stress scenarios and model "
    "limits. Flag anything that breaches a usual limit and say which assumption drives it." },
  { SEXTANT_ROLE_ANALYST, "Analyst",
    "You assist a market analyst. Focus on price history, technical indicators and forecasts "
    "with their intervals and hold-out skill; separate what the data shows from interpretation." },
};

static const char * const role_ids[] = {
  SEXTANT_ROLE_PORTFOLIO_MANAGER, SEXTANT_ROLE_RISK_OFFICER, SEXTANT_ROLE_ANALYST, NULL,
};

/**
 * sextant_agent_role_list_ids:
 *
 * Returns: (transfer none): the role ids, in the order a picker shows them
 */
const char * const *
sextant_agent_role_list_ids (void)
{
  return role_ids;
}

/**
 * sextant_agent_role_is_known:
 * @role: (nullable): a role id
 *
 * Returns: whether @role is one of sextant_agent_role_list_ids()
 */
gboolean
sextant_agent_role_is_known (const char *role)
{
  return role != NULL && g_strv_contains (role_ids, role);
}

/**
 * sextant_agent_role_get_name:
 * @role: a role id
 *
 * Returns: (nullable): the role's English name, or %NULL for an unknown id
 */
const char *
sextant_agent_role_get_name (const char *role)
{
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (g_strcmp0 (roles[i].id, role) == 0)
      return roles[i].name;

  return NULL;
}

/**
 * sextant_agent_role_get_default_prompt:
 * @role: a role id
 *
 * Returns: (nullable): the built-in system prompt of @role (the shared rules, then the role's)
 */
const char *
sextant_agent_role_get_default_prompt (const char *role)
{
  static char *prompts[G_N_ELEMENTS (roles)];

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (g_strcmp0 (roles[i].id, role) == 0)
      {
        if (g_once_init_enter (&prompts[i]))
          g_once_init_leave (&prompts[i], g_strconcat (common, "\n\n", roles[i].prompt, NULL));
        return prompts[i];
      }

  return NULL;
}

/**
 * sextant_agent_committee_summary_prompt:
 *
 * Returns: the request the “Summarise for the committee” action sends as a user turn
 */
const char *
sextant_agent_committee_summary_prompt (void)
{
  return "Summarise this conversation for the Investment Committee in at most one page: the "
         "question, the figures that matter (with their as-of dates and sources), the "
         "recommendation and its main risks, and open points. Use a short heading per part and "
         "a table for figures. Do not call tools; use only what is already in the conversation.";
}
