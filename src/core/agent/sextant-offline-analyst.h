#pragma once

#include <gio/gio.h>

#include "agent/sextant-tool-registry.h"

G_BEGIN_DECLS

/**
 * SextantOfflineIntent:
 * @SEXTANT_OFFLINE_INTENT_UNKNOWN: not understood: the answer lists what the analyst can do
 * @SEXTANT_OFFLINE_INTENT_QUOTE: last close (`quote of MSFT`)
 * @SEXTANT_OFFLINE_INTENT_INDICATORS: technical indicators (`RSI of MSFT`)
 * @SEXTANT_OFFLINE_INTENT_OPTIMIZE: weights (`optimise MSFT IBM INTC for minimum variance`)
 * @SEXTANT_OFFLINE_INTENT_RISK: VaR, ES and ratios (`VaR of portfolio Dow Blue Chips`)
 * @SEXTANT_OFFLINE_INTENT_FORECAST: price forecast (`forecast KO 10 days`)
 * @SEXTANT_OFFLINE_INTENT_DRAWDOWN: maximum drawdown (`drawdown of IBM`)
 * @SEXTANT_OFFLINE_INTENT_BACKTEST: rebalancing backtest (`backtest XOM GE monthly`)
 * @SEXTANT_OFFLINE_INTENT_SCENARIOS: Monte Carlo scenarios (`scenarios for MSFT KO`)
 * @SEXTANT_OFFLINE_INTENT_KNOWLEDGE: passages of the desk's documents (`what does our policy say
 *   about a single issuer?`), when the registry has the knowledge base's tool
 * @SEXTANT_OFFLINE_INTENT_FX_RATES: ECB reference rates (`exchange rate of USD and GBP in EUR`)
 * @SEXTANT_OFFLINE_INTENT_YIELD_CURVE: a yield curve (`Treasury yield curve with a Svensson fit`)
 * @SEXTANT_OFFLINE_INTENT_BOND: a fixed-rate bond's price or yield (`price the 4.25% bond of
 *   2034-11-15 at 4.1%, settling 2026-12-07`)
 * @SEXTANT_OFFLINE_INTENT_SHOCK: a rates, spread and FX scenario's P&L on a stored portfolio
 *   (`what does a 100 bp rise in rates and a 10 % dollar fall do to portfolio Desk book?`)
 */
typedef enum
{
  SEXTANT_OFFLINE_INTENT_UNKNOWN,
  SEXTANT_OFFLINE_INTENT_QUOTE,
  SEXTANT_OFFLINE_INTENT_INDICATORS,
  SEXTANT_OFFLINE_INTENT_OPTIMIZE,
  SEXTANT_OFFLINE_INTENT_RISK,
  SEXTANT_OFFLINE_INTENT_FORECAST,
  SEXTANT_OFFLINE_INTENT_DRAWDOWN,
  SEXTANT_OFFLINE_INTENT_BACKTEST,
  SEXTANT_OFFLINE_INTENT_SCENARIOS,
  SEXTANT_OFFLINE_INTENT_KNOWLEDGE,
  SEXTANT_OFFLINE_INTENT_FX_RATES,
  SEXTANT_OFFLINE_INTENT_YIELD_CURVE,
  SEXTANT_OFFLINE_INTENT_BOND,
  SEXTANT_OFFLINE_INTENT_SHOCK,
} SextantOfflineIntent;

/**
 * SextantOfflineRequest:
 * @intent: what was asked
 * @symbols: (array zero-terminated=1): symbols named, upper case, in order
 * @indicators: (array zero-terminated=1) (nullable): indicator names (`rsi`, `macd`, …)
 * @objective: (nullable): `min_variance`, `max_sharpe` or `risk_parity`
 * @portfolio: (nullable): a portfolio name after the word “portfolio”
 * @mentions_portfolio: the request says “portfolio”
 * @confidence: a confidence level (`99%` → 0.99), 0 when none was given
 * @horizon: a number of days, 0 when none was given
 * @period: an indicator period (`RSI(10)`, `10-day RSI`), 0 when none was given
 * @query: the request as written, for the knowledge base's search
 * @currencies: (array zero-terminated=1) (nullable): ISO 4217 codes named, in order
 * @base: (nullable): the currency after “in”, “against” or “base”
 * @day: a date named (YYYY-MM-DD), 0 when none
 * @curve_source: (nullable): `treasury` or `ecb`
 * @fit: (nullable): `nelson-siegel` or `svensson`
 * @bond: (nullable): the `price_bond` input read from the request
 * @bond_missing: (nullable): what the request lacks for a bond's price
 * @shock: (nullable): the moves of a shock read from the request: `rates_bp`, `spreads_bp`
 *   and `fx` as `shock_portfolio` takes them
 */
typedef struct
{
  SextantOfflineIntent   intent;
  char                 **symbols;
  char                 **indicators;
  char                  *objective;
  char                  *portfolio;
  gboolean               mentions_portfolio;
  double                 confidence;
  guint                  horizon;
  guint                  period;
  char                  *query;
  char                 **currencies;
  char                  *base;
  gint32                 day;
  char                  *curve_source;
  char                  *fit;
  JsonNode              *bond;
  char                  *bond_missing;
  JsonNode              *shock;
} SextantOfflineRequest;

void sextant_offline_request_free (SextantOfflineRequest *request);

/**
 * SextantOfflineToolCall:
 * @name: the tool
 * @input: what it was given
 * @result: what it returned, or `{"error": message}`
 * @is_error: whether it failed
 *
 * One tool the offline analyst ran for an answer, so the chat can show it as a card, as it does
 * the tools Claude calls.
 */
typedef struct
{
  char     *name;
  JsonNode *input;
  JsonNode *result;
  gboolean  is_error;
} SextantOfflineToolCall;

void sextant_offline_tool_call_free (SextantOfflineToolCall *call);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantOfflineRequest, sextant_offline_request_free)

#define SEXTANT_OFFLINE_LABEL "Offline analyst — no Bedrock connection"

#define SEXTANT_TYPE_OFFLINE_ANALYST (sextant_offline_analyst_get_type ())

G_DECLARE_FINAL_TYPE (SextantOfflineAnalyst, sextant_offline_analyst, SEXTANT, OFFLINE_ANALYST, GObject)

SextantOfflineAnalyst *sextant_offline_analyst_new          (SextantToolRegistry    *registry);
SextantOfflineRequest *sextant_offline_analyst_parse        (SextantOfflineAnalyst  *self,
                                                             const char             *text);
char                  *sextant_offline_analyst_answer       (SextantOfflineAnalyst  *self,
                                                             const char             *text,
                                                             const char             *reason,
                                                             GCancellable           *cancellable);
char                  *sextant_offline_analyst_answer_with_calls (SextantOfflineAnalyst *self,
                                                             const char             *text,
                                                             const char             *reason,
                                                             GCancellable           *cancellable,
                                                             GPtrArray             **calls);
void                   sextant_offline_analyst_answer_async (SextantOfflineAnalyst  *self,
                                                             const char             *text,
                                                             const char             *reason,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
char                  *sextant_offline_analyst_answer_finish (SextantOfflineAnalyst *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
GPtrArray             *sextant_offline_analyst_answer_get_calls (SextantOfflineAnalyst *self,
                                                             GAsyncResult           *result);

G_END_DECLS
