#pragma once

#include <gio/gio.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/*
 * What the risk dashboard shows, computed off the main thread from the analytics core.
 * Conventions: simple daily returns of closes over every day on which all 30 demo stocks have a
 * price (the bundled closes, or the newer fetched ones once every stock has them: see
 * sextant_price_refresh_collect_closes()); a constant-weight portfolio (rebalanced daily, as sextant_portfolio_returns()); VaR and
 * ES are one-day, positive loss fractions, also shown in money as the portfolio's value (@value,
 * in @currency, at the last closes; NaN for the equal-weight portfolio, which holds no shares)
 * times the fraction; volatility annualised with √252; Sharpe with a zero
 * risk-free rate; beta against the equal-weight average of the 30 demo stocks.
 */

#define SEXTANT_RISK_N_STRESS_WINDOWS 3

typedef enum
{
  SEXTANT_RISK_PORTFOLIO_DEMO,
  SEXTANT_RISK_PORTFOLIO_EQUAL_WEIGHT,
} SextantRiskPortfolio;

typedef struct
{
  const char *label;
  gsize       window;
  gsize       n;
  SextantStressWindow worst[SEXTANT_RISK_N_STRESS_WINDOWS];
} SextantRiskStress;

typedef struct
{
  char                 *name;
  gsize                 k;
  char                **symbols;
  char                **unpriced;
  double               *weights;
  double                value;
  char                 *currency;
  GArray               *fx_exposure;   /* of SextantFxExposure, largest share first */
  SextantReturnMatrix  *returns;
  double               *portfolio;
  double               *market;
  gsize                 n;

  double                var_historical[2];
  double                es_historical[2];
  double                var_gaussian[2];
  double                es_gaussian[2];
  double                var_cornish_fisher[2];
  double                volatility;
  double                beta;
  double                sharpe;
  SextantDrawdown       drawdown;

  double               *mean;
  double               *covariance;
  double               *correlation;
  double               *component_var;
  double                component_total;
  SextantRiskStress     stress[3];
  SextantStressWindow   market_worst_month;
  double               *replay_shocks;
  double                replay_return;

  double               *drawdown_series;
  SextantHistogramChart histogram_chart;
  SextantDrawdownChart  drawdown_chart;
  SextantHeatmapChart   heatmap_chart;
} SextantRiskFigures;

/* Index into the two-element arrays above. */
#define SEXTANT_RISK_95 0
#define SEXTANT_RISK_99 1

SextantRiskFigures *sextant_risk_figures_compute (SextantPriceTable    *stocks,
                                                  SextantPortfolio     *portfolio,
                                                  SextantRiskPortfolio  which,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
/**
 * SextantRiskMeasure:
 * @key: a stable name, such as `var95-historical`
 * @title: the measure, untranslated (mark for translation with N_())
 * @caption: how it is computed, untranslated
 * @percent: whether it is a fraction shown in percent (else a ratio)
 *
 * One of the headline figures, as the dashboard's tiles and the risk report show them.
 */
typedef struct
{
  const char *key;
  const char *title;
  const char *caption;
  gboolean    percent;
} SextantRiskMeasure;

const char               *sextant_risk_equal_weight_name    (void);
const SextantRiskMeasure *sextant_risk_measures             (guint                    *n_measures);
double                    sextant_risk_figures_get_measure  (const SextantRiskFigures *self,
                                                             guint                     measure);
char                     *sextant_risk_measure_format       (const SextantRiskMeasure *measure,
                                                             double                    value);
char                     *sextant_risk_figures_format_measure (const SextantRiskFigures *self,
                                                             guint                     measure);
char                     *sextant_risk_format_money         (double                    amount,
                                                             const char               *currency);

SextantRiskFigures *sextant_risk_figures_ref     (SextantRiskFigures   *self);
void                sextant_risk_figures_unref   (SextantRiskFigures   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantRiskFigures, sextant_risk_figures_unref)

G_END_DECLS
