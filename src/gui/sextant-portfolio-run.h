#pragma once

#include <gio/gio.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/*
 * The work behind the portfolio window, kept free of GTK so it runs in a GTask thread and in
 * tests: it wires the analytics core together (returns → moments → optimizer, scenarios,
 * backtests) and keeps the numbers and chart models of one run together.
 *
 * Conventions: simple daily returns of closes, sample covariance, 252 trading days a year;
 * returns annualise as μ·252, volatilities as σ·√252; Sharpe ratios use a zero risk-free rate.
 */

#define SEXTANT_TRADING_DAYS 252.0

typedef enum
{
  SEXTANT_OBJECTIVE_MIN_VARIANCE,
  SEXTANT_OBJECTIVE_MAX_SHARPE,
  SEXTANT_OBJECTIVE_RISK_PARITY,
  SEXTANT_OBJECTIVE_TARGET_RETURN,
  SEXTANT_OBJECTIVE_TARGET_VOLATILITY,
} SextantObjective;

typedef enum
{
  SEXTANT_SCENARIO_MODEL_GBM,
  SEXTANT_SCENARIO_MODEL_HESTON,
} SextantScenarioModel;

/* A progress sink the worker writes and the window polls: 0..1000 per mille. */
typedef struct
{
  int permille;
} SextantRunProgress;

/**
 * SextantOptimizationRequest:
 * @name: the portfolio's name
 * @symbols: the assets
 * @quantities: (array length=k): the shares held, which give @current
 * @lower: (array length=k): minimum weights
 * @upper: (array length=k): maximum weights
 * @current: (array length=k): the current weights, for comparison
 * @closes: (array length=k): the closes of @valued_at that value the holdings (NaN: none), which
 *   price the trade list
 * @value: the holdings' value at @valued_at, in @currency
 * @currency: the ISO 4217 code of every amount (the portfolio's base currency; closes and
 *   values are converted to it)
 * @valued_at: the day of the closes that value the holdings
 * @first_day: the first day of data used
 * @last_day: the last day
 * @objective: what to optimize
 * @target: the annualised return or volatility for the target objectives
 */
typedef struct
{
  char              *name;
  char             **symbols;
  gsize              k;
  double            *quantities;
  double            *lower;
  double            *upper;
  double            *current;
  double            *closes;
  double             value;
  char              *currency;
  gint32             valued_at;
  gint32             first_day;
  gint32             last_day;
  SextantObjective   objective;
  double             target;
} SextantOptimizationRequest;

/**
 * SextantOptimizationResult:
 * @request: the inputs it was computed from
 * @reference: a short random token naming this result in text (the assistant's conversation
 *   about it quotes it, so that the committee report can find the summary again)
 *
 * Reference-counted: the window, its charts and a report being written share one.
 */
typedef struct
{
  SextantOptimizationRequest *request;
  char                 *reference;
  gsize                 k;
  char                **symbols;
  SextantReturnMatrix  *returns;
  double               *mean;
  double               *covariance;
  double               *weights;
  double               *current;
  double                expected_return;
  double                volatility;
  double                sharpe;
  double                current_return;
  double                current_volatility;
  double                current_sharpe;
  gsize                 n_frontier;
  double               *frontier_return;
  double               *frontier_volatility;
  SextantChartPoint    *assets;
  SextantChartPoint     chosen;
  SextantChartPoint     current_point;
  SextantFrontierChart  chart;
} SextantOptimizationResult;

/**
 * SextantDriftChoice:
 * @SEXTANT_DRIFT_ZERO: no drift (E[S_t] = S₀): the default, so that a bull market's in-sample
 *   mean is not projected forward
 * @SEXTANT_DRIFT_HISTORICAL: the optimization's expected return, the in-sample mean
 * @SEXTANT_DRIFT_USER: a value the user typed
 */
typedef enum
{
  SEXTANT_DRIFT_ZERO,
  SEXTANT_DRIFT_HISTORICAL,
  SEXTANT_DRIFT_USER,
} SextantDriftChoice;

/**
 * SextantScenarioRequest:
 * @drift: where @annual_return came from, for the description
 * @annual_return: the drift r, E[S_t] = S₀ e^{rt}
 * @annual_volatility: GBM's volatility
 * @v0: Heston's parameters (annualised, as #SextantHestonSpec)
 */
typedef struct
{
  SextantScenarioModel model;
  double               start_value;
  SextantDriftChoice   drift;
  double               annual_return;
  double               annual_volatility;
  double               v0;
  double               kappa;
  double               theta;
  double               xi;
  double               rho;
  guint                n_paths;
  guint                n_steps;
  guint64              seed;
} SextantScenarioRequest;

/**
 * SextantScenarioDefaults:
 * @historical_drift: the optimized portfolio's in-sample mean return, annualised
 * @volatility: its sample volatility, annualised
 * @heston: the variance process estimated from its daily returns, or conventional values
 * @estimated: whether @heston was estimated (else: κ 2, θ = v₀ = σ², ξ 0.3, ρ −0.7)
 */
typedef struct
{
  double                historical_drift;
  double                volatility;
  SextantHestonEstimate heston;
  gboolean              estimated;
} SextantScenarioDefaults;

/**
 * SextantScenarioOutcome:
 * @parameters: the model and parameters simulated, in words, for the window and the report
 */
typedef struct
{
  gsize            n;
  double          *x;
  double          *p[5];
  char            *parameters;
  SextantFanChart  chart;
} SextantScenarioOutcome;

/**
 * SextantBacktestEvaluation:
 * @SEXTANT_BACKTEST_IN_SAMPLE: the optimization's weights over the returns they were chosen from
 * @SEXTANT_BACKTEST_SPLIT: optimized on the first part of the returns, held on the rest
 * @SEXTANT_BACKTEST_WALK_FORWARD: re-optimized every few months on a trailing window
 */
typedef enum
{
  SEXTANT_BACKTEST_IN_SAMPLE,
  SEXTANT_BACKTEST_SPLIT,
  SEXTANT_BACKTEST_WALK_FORWARD,
} SextantBacktestEvaluation;

/**
 * SextantBacktestRequest:
 * @evaluation: in sample, split or walk-forward
 * @rebalance: how the portfolios are traded back to their weights between optimizations
 * @cost_bps: cost of trading, in basis points of the value traded
 * @train_share: %SEXTANT_BACKTEST_SPLIT: the share of the returns the optimization sees, 0 … 1
 * @every_months: %SEXTANT_BACKTEST_WALK_FORWARD: months between optimizations
 * @window: %SEXTANT_BACKTEST_WALK_FORWARD: daily returns each optimization sees
 */
typedef struct
{
  SextantBacktestEvaluation evaluation;
  SextantRebalance          rebalance;
  double                    cost_bps;
  double                    train_share;
  guint                     every_months;
  gsize                     window;
} SextantBacktestRequest;

/**
 * SextantBacktestOutcome:
 * @description: how the weights were chosen and over which dates they were tested, in words
 */
typedef struct
{
  SextantBacktestResult optimized;
  SextantBacktestResult current;
  char                 *description;
  double               *times;
  SextantChartSeries    lines[2];
  SextantTimeSeriesChart chart;
} SextantBacktestOutcome;

SextantOptimizationRequest *sextant_optimization_request_new   (gsize                       k);
SextantOptimizationRequest *sextant_optimization_request_copy  (const SextantOptimizationRequest *self);
void                        sextant_optimization_request_free  (SextantOptimizationRequest *self);
char                       *sextant_optimization_reference_new (void);
const char                 *sextant_objective_get_name         (SextantObjective            objective);
SextantReturnMatrix        *sextant_portfolio_run_returns      (SextantPriceTable          *prices,
                                                                const char * const         *symbols,
                                                                gint32                      first_day,
                                                                gint32                      last_day,
                                                                GError                    **error);
SextantOptimizationResult  *sextant_optimization_run           (SextantPriceTable          *prices,
                                                                const SextantOptimizationRequest *request,
                                                                GCancellable               *cancellable,
                                                                SextantRunProgress         *progress,
                                                                GError                    **error);
SextantOptimizationResult  *sextant_optimization_result_ref    (SextantOptimizationResult  *self);
void                        sextant_optimization_result_unref  (SextantOptimizationResult  *self);
char                       *sextant_optimization_result_to_text (SextantOptimizationResult *self);
char                       *sextant_optimization_result_describe (SextantOptimizationResult *self);
SextantTrade               *sextant_optimization_result_dup_trades (SextantOptimizationResult *self,
                                                                  GError                   **error);
char                       *sextant_optimization_result_to_csv (SextantOptimizationResult  *self,
                                                                GError                    **error);
void                        sextant_optimization_result_serialize (SextantOptimizationResult  *self,
                                                                   char                      **kind,
                                                                   char                      **parameters,
                                                                   char                      **inputs,
                                                                   char                      **result);
SextantOptimizationRequest *sextant_optimization_request_new_from_saved (const SextantSavedResult *saved,
                                                                         GError                  **error);
SextantOptimizationResult  *sextant_optimization_result_new_from_saved  (const SextantSavedResult *saved,
                                                                         SextantPriceTable        *prices,
                                                                         GError                  **error);

void                        sextant_scenario_defaults          (SextantOptimizationResult  *result,
                                                                SextantScenarioDefaults    *out);
SextantScenarioOutcome     *sextant_scenario_run               (const SextantScenarioRequest *request,
                                                                GCancellable               *cancellable,
                                                                SextantRunProgress         *progress,
                                                                GError                    **error);
SextantScenarioOutcome     *sextant_scenario_outcome_ref       (SextantScenarioOutcome     *self);
void                        sextant_scenario_outcome_unref     (SextantScenarioOutcome     *self);

SextantBacktestOutcome     *sextant_backtest_outcome_run       (SextantOptimizationResult  *result,
                                                                const SextantBacktestRequest *request,
                                                                GError                    **error);
SextantBacktestOutcome     *sextant_backtest_outcome_ref       (SextantBacktestOutcome     *self);
void                        sextant_backtest_outcome_unref     (SextantBacktestOutcome     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantOptimizationRequest, sextant_optimization_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantOptimizationResult, sextant_optimization_result_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantScenarioOutcome, sextant_scenario_outcome_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantBacktestOutcome, sextant_backtest_outcome_unref)

G_END_DECLS
