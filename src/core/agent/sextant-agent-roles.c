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

/* The specialist desks (issue 17): roles the portfolio manager's assistant delegates to through
 * one tool each, never roles of a conversation. Each works with its own subset of the tools, so
 * the rates desk cannot wander into equity forecasts. */
static const char * const fx_tools[] = { "get_fx_rates", "shock_portfolio", NULL };
static const char * const rates_tools[] = { "get_yield_curve", "price_bond", "shock_portfolio", NULL };
static const char * const credit_tools[] = { "get_credit_spreads", "price_bond", "shock_portfolio", NULL };

static const struct { const char *id, *tool, *name, *prompt; const char * const *tools; } desks[] = {
  { SEXTANT_ROLE_FX_DESK, "ask_fx_desk", "FX desk",
    "You are the foreign-exchange desk. The portfolio manager's assistant asks you one question at "
    "a time. Answer it with ECB reference rates (get_fx_rates) and scenario P&L (shock_portfolio): "
    "state each rate's date and that the source is ECB statistics, and give currency exposures and "
    "P&L in the base currency. Reply with the finding in a few lines and a small table; no preamble.",
    fx_tools },
  { SEXTANT_ROLE_RATES_DESK, "ask_rates_desk", "Rates desk",
    "You are the interest-rates desk. The portfolio manager's assistant asks you one question at a "
    "time. Answer it with the yield curves (get_yield_curve), bond analytics (price_bond: price, "
    "yield, duration, convexity, DV01) and scenario P&L (shock_portfolio). State the curve's date "
    "and source and the conventions behind a figure. Reply with the finding in a few lines and a "
    "small table; no preamble.",
    rates_tools },
  { SEXTANT_ROLE_CREDIT_DESK, "ask_credit_desk", "Credit desk",
    "You are the credit desk. The portfolio manager's assistant asks you one question at a time. "
    "Answer it with credit spreads (get_credit_spreads), bond analytics (price_bond) and spread-shock "
    "P&L (shock_portfolio with spreads_bp). Say plainly when spread data is not available rather than "
    "guessing. Reply with the finding in a few lines and a small table; no preamble.",
    credit_tools },
};

static const char * const desk_ids[] = {
  SEXTANT_ROLE_FX_DESK, SEXTANT_ROLE_RATES_DESK, SEXTANT_ROLE_CREDIT_DESK, NULL,
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
 * Returns: whether @role is one of sextant_agent_role_list_ids() or a desk; a desk's prompt is
 *   stored and edited like a role's
 */
gboolean
sextant_agent_role_is_known (const char *role)
{
  return role != NULL && (g_strv_contains (role_ids, role) || g_strv_contains (desk_ids, role));
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
  for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
    if (g_strcmp0 (desks[i].id, role) == 0)
      return desks[i].name;

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
  static char *desk_prompts[G_N_ELEMENTS (desks)];

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (g_strcmp0 (roles[i].id, role) == 0)
      {
        if (g_once_init_enter (&prompts[i]))
          g_once_init_leave (&prompts[i], g_strconcat (common, "\n\n", roles[i].prompt, NULL));
        return prompts[i];
      }
  for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
    if (g_strcmp0 (desks[i].id, role) == 0)
      {
        if (g_once_init_enter (&desk_prompts[i]))
          g_once_init_leave (&desk_prompts[i], g_strconcat (common, "\n\n", desks[i].prompt, NULL));
        return desk_prompts[i];
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

/**
 * sextant_agent_desk_list_ids:
 *
 * Returns: (transfer none): the specialist desks' role ids
 */
const char * const *
sextant_agent_desk_list_ids (void)
{
  return desk_ids;
}

/**
 * sextant_agent_role_is_desk:
 * @role: (nullable): a role id
 *
 * Returns: whether @role is a specialist desk
 */
gboolean
sextant_agent_role_is_desk (const char *role)
{
  return role != NULL && g_strv_contains (desk_ids, role);
}

/**
 * sextant_agent_desk_get_tool_name:
 * @desk: a desk id
 *
 * Returns: (nullable): the tool the portfolio manager's assistant asks @desk through
 *   (`ask_rates_desk`, …)
 */
const char *
sextant_agent_desk_get_tool_name (const char *desk)
{
  for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
    if (g_strcmp0 (desks[i].id, desk) == 0)
      return desks[i].tool;

  return NULL;
}

/**
 * sextant_agent_desk_from_tool_name:
 * @tool_name: (nullable): a tool name
 *
 * Returns: (nullable): the desk @tool_name asks, or %NULL when it is no desk's tool
 */
const char *
sextant_agent_desk_from_tool_name (const char *tool_name)
{
  for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
    if (g_strcmp0 (desks[i].tool, tool_name) == 0)
      return desks[i].id;

  return NULL;
}

/**
 * sextant_agent_desk_get_tools:
 * @desk: a desk id
 *
 * Returns: (transfer none) (nullable): the names of the tools @desk may use
 */
const char * const *
sextant_agent_desk_get_tools (const char *desk)
{
  for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
    if (g_strcmp0 (desks[i].id, desk) == 0)
      return desks[i].tools;

  return NULL;
}
