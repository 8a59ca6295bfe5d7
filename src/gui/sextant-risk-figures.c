#define G_LOG_DOMAIN "sextant-risk-figures"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sextant-money-format.h"
#include "sextant-risk-figures.h"

static const double confidences[2] = { 0.95, 0.99 };

static const SextantRiskMeasure measures[] = {
  { "var95-historical", N_("VaR 95 %"), N_("Historical, one day"), TRUE },
  { "var95-gaussian", N_("VaR 95 %"), N_("Gaussian, one day"), TRUE },
  { "var95-cornish-fisher", N_("VaR 95 %"), N_("Cornish-Fisher, one day"), TRUE },
  { "var99-historical", N_("VaR 99 %"), N_("Historical, one day"), TRUE },
  { "var99-gaussian", N_("VaR 99 %"), N_("Gaussian, one day"), TRUE },
  { "var99-cornish-fisher", N_("VaR 99 %"), N_("Cornish-Fisher, one day"), TRUE },
  { "es95-historical", N_("Expected Shortfall 95 %"), N_("Historical, one day"), TRUE },
  { "es99-historical", N_("Expected Shortfall 99 %"), N_("Historical, one day"), TRUE },
  { "volatility", N_("Volatility"), N_("Annualised"), TRUE },
  { "beta", N_("Beta"), N_("Against the equal-weight Dow 30"), FALSE },
  { "max-drawdown", N_("Maximum Drawdown"), N_("Peak to trough"), TRUE },
  { "sharpe", N_("Sharpe Ratio"), N_("Annualised, risk-free rate 0"), FALSE },
};

/**
 * sextant_risk_measures:
 * @n_measures: (out): how many there are
 *
 * Returns: (array length=n_measures): the headline figures, in the dashboard's order
 */
const SextantRiskMeasure *
sextant_risk_measures (guint *n_measures)
{
  g_return_val_if_fail (n_measures != NULL, NULL);

  *n_measures = G_N_ELEMENTS (measures);

  return measures;
}

/**
 * sextant_risk_figures_get_measure:
 * @self: figures
 * @measure: an index into sextant_risk_measures()
 *
 * Returns: the measure's value (a fraction for a percent measure)
 */
double
sextant_risk_figures_get_measure (const SextantRiskFigures *self,
                                  guint                     measure)
{
  double values[G_N_ELEMENTS (measures)];

  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (measure < G_N_ELEMENTS (measures), NAN);

  values[0] = self->var_historical[SEXTANT_RISK_95];
  values[1] = self->var_gaussian[SEXTANT_RISK_95];
  values[2] = self->var_cornish_fisher[SEXTANT_RISK_95];
  values[3] = self->var_historical[SEXTANT_RISK_99];
  values[4] = self->var_gaussian[SEXTANT_RISK_99];
  values[5] = self->var_cornish_fisher[SEXTANT_RISK_99];
  values[6] = self->es_historical[SEXTANT_RISK_95];
  values[7] = self->es_historical[SEXTANT_RISK_99];
  values[8] = self->volatility;
  values[9] = self->beta;
  values[10] = self->drawdown.max_drawdown;
  values[11] = self->sharpe;

  return values[measure];
}

/**
 * sextant_risk_measure_format:
 * @measure: a measure
 * @value: its value
 *
 * Returns: (transfer full): @value as the dashboard shows it ("1.71 %", "0.98")
 */
char *
sextant_risk_measure_format (const SextantRiskMeasure *measure,
                             double                    value)
{
  g_return_val_if_fail (measure != NULL, NULL);

  return measure->percent ? g_strdup_printf ("%.2f %%", 100 * value) : g_strdup_printf ("%.2f", value);
}

/**
 * sextant_risk_format_money:
 * @amount: an amount
 * @currency: (nullable): its ISO 4217 code; %NULL is taken as USD
 *
 * Returns: (transfer full): @amount in whole units, as "$12,340" or "CHF 12,340"
 *   (sextant_format_money())
 */
char *
sextant_risk_format_money (double      amount,
                           const char *currency)
{
  return sextant_format_money (amount, currency, 0);
}

/**
 * sextant_risk_figures_format_measure:
 * @self: risk figures
 * @measure: an index into sextant_risk_measures()
 *
 * The measure as the dashboard shows it: a VaR or an expected shortfall also in money, the
 * portfolio's value times the loss fraction ("1.70 % · $12,340"), when the portfolio has one.
 *
 * Returns: (transfer full): the text
 */
char *
sextant_risk_figures_format_measure (const SextantRiskFigures *self,
                                     guint                     measure)
{
  double value;
  g_autofree char *percent = NULL;
  g_autofree char *money = NULL;

  g_return_val_if_fail (self != NULL && measure < G_N_ELEMENTS (measures), NULL);

  value = sextant_risk_figures_get_measure (self, measure);
  percent = sextant_risk_measure_format (&measures[measure], value);
  if (!isfinite (self->value) || self->value <= 0 || !isfinite (value) ||
      !(g_str_has_prefix (measures[measure].key, "var") || g_str_has_prefix (measures[measure].key, "es")))
    return g_steal_pointer (&percent);
  money = sextant_risk_format_money (self->value * value, self->currency);

  /* Translators: a loss in percent, then the same loss in money */
  return g_strdup_printf (_("%s · %s"), percent, money);
}

/**
 * sextant_risk_equal_weight_name:
 *
 * Returns: the name of the built-in equal-weight portfolio of every demo stock, translated
 */
const char *
sextant_risk_equal_weight_name (void)
{
  return _("Equal-weight Dow 30");
}

static void
sextant_risk_figures_clear (SextantRiskFigures *self)
{
  g_free (self->name);
  g_strfreev (self->symbols);
  g_strfreev (self->unpriced);
  g_free (self->weights);
  g_free (self->currency);
  g_clear_pointer (&self->fx_exposure, g_array_unref);
  g_clear_pointer (&self->returns, sextant_return_matrix_free);
  g_free (self->portfolio);
  g_free (self->market);
  g_free (self->mean);
  g_free (self->covariance);
  g_free (self->correlation);
  g_free (self->component_var);
  g_free (self->drawdown_series);
  g_free (self->replay_shocks);
}

SextantRiskFigures *
sextant_risk_figures_ref (SextantRiskFigures *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
sextant_risk_figures_unref (SextantRiskFigures *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) sextant_risk_figures_clear);
}

/* The portfolio's symbols and weights: the chosen portfolio's holdings at their valuation
 * weights, or all columns at equal weights. A holding with no price in the table cannot be
 * valued: it is listed in @unpriced (the window shows it as needing prices) and the others'
 * weights are their shares of what can be valued. */
static gboolean
choose_portfolio (SextantRiskFigures   *self,
                  SextantPriceTable    *stocks,
                  SextantPortfolio     *portfolio,
                  SextantRiskPortfolio  which,
                  GError              **error)
{
  g_autoptr(SextantValuation) valuation = NULL;
  g_autoptr(GStrvBuilder) unpriced = g_strv_builder_new ();
  gsize k = 0;

  self->value = NAN;
  if (which == SEXTANT_RISK_PORTFOLIO_EQUAL_WEIGHT)
    {
      self->k = sextant_price_table_get_n_columns (stocks);
      self->name = g_strdup (sextant_risk_equal_weight_name ());
      self->symbols = g_new0 (char *, self->k + 1);
      self->weights = g_new (double, self->k);
      self->unpriced = g_new0 (char *, 1);
      for (gsize j = 0; j < self->k; j++)
        {
          self->symbols[j] = g_strdup (sextant_price_table_get_column_name (stocks, j));
          self->weights[j] = 1.0 / self->k;
        }
      return TRUE;
    }

  self->name = g_strdup (sextant_portfolio_get_name (portfolio));
  if (sextant_portfolio_get_n_holdings (portfolio) == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   _("%s has no holdings"), self->name);
      return FALSE;
    }
  valuation = sextant_portfolio_valuate (portfolio, stocks, error);
  if (valuation == NULL)
    return FALSE;
  self->symbols = g_new0 (char *, valuation->n_positions + 1);
  self->weights = g_new (double, MAX (valuation->n_positions, 1));
  for (gsize j = 0; j < valuation->n_positions; j++)
    {
      const SextantPositionValue *position = &valuation->positions[j];

      if (!isfinite (position->price))
        {
          g_strv_builder_add (unpriced, position->symbol);
          continue;
        }
      self->symbols[k] = g_strdup (position->symbol);
      self->weights[k++] = isfinite (position->weight) ? position->weight : 0;
    }
  self->k = k;
  self->unpriced = g_strv_builder_end (unpriced);
  self->value = valuation->total;
  self->currency = g_strdup (sextant_portfolio_get_base_currency (portfolio));

  return TRUE;
}

/* Returns of the portfolio's assets and of the equal-weight market on the same days: both cut
 * from one matrix of every column, so that no date alignment is needed. */
static gboolean
compute_returns (SextantRiskFigures  *self,
                 SextantPriceTable   *stocks,
                 GError             **error)
{
  g_autoptr(SextantPriceTable) complete = sextant_price_table_drop_incomplete (stocks, NULL);
  g_autoptr(SextantReturnMatrix) all = NULL;
  gsize n_all;

  all = sextant_return_matrix_from_prices (complete, SEXTANT_RETURN_SIMPLE, error);
  if (all == NULL)
    return FALSE;
  self->n = all->n_obs;
  n_all = all->n_assets;
  self->returns = sextant_return_matrix_new (self->n, (const char * const *) self->symbols);
  memcpy (self->returns->days, all->days, sizeof (gint32) * self->n);
  for (gsize j = 0; j < self->k; j++)
    {
      int column = sextant_price_table_find_column (complete, self->symbols[j]);

      if (column < 0)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       _("%s is not in the demo data"), self->symbols[j]);
          return FALSE;
        }
      memcpy (self->returns->values + j * self->n, sextant_return_matrix_get_column (all, column),
              sizeof (double) * self->n);
    }

  self->market = g_new0 (double, self->n);
  for (gsize c = 0; c < n_all; c++)
    for (gsize t = 0; t < self->n; t++)
      self->market[t] += sextant_return_matrix_get_column (all, c)[t] / n_all;
  self->portfolio = g_new (double, self->n);

  return sextant_portfolio_returns (self->returns, self->weights, self->portfolio, error);
}

static gboolean
compute_var (SextantRiskFigures  *self,
             GError             **error)
{
  SextantMoments moments;

  if (!sextant_moments_compute (self->portfolio, self->n, &moments, error))
    return FALSE;
  for (guint c = 0; c < 2; c++)
    if (!sextant_var_historical (self->portfolio, self->n, confidences[c], &self->var_historical[c],
                                 &self->es_historical[c], error) ||
        !sextant_var_gaussian (moments.mean, moments.sd, confidences[c], &self->var_gaussian[c],
                               &self->es_gaussian[c], error) ||
        !sextant_var_cornish_fisher (&moments, confidences[c], &self->var_cornish_fisher[c], error))
      return FALSE;

  return TRUE;
}

static gboolean
compute_performance (SextantRiskFigures  *self,
                     GError             **error)
{
  SextantBenchmarkStats stats;
  double wealth = 1, peak = 1;

  if (!sextant_volatility_annualised (self->portfolio, self->n, 252, &self->volatility, error) ||
      !sextant_sharpe_ratio (self->portfolio, self->n, 0, 252, &self->sharpe, error) ||
      !sextant_max_drawdown (self->portfolio, self->n, &self->drawdown, error) ||
      !sextant_benchmark_stats (self->portfolio, self->market, self->n, 252, &stats, error))
    return FALSE;
  self->beta = stats.beta;

  /* The drawdown curve for the chart, on the same definition as sextant_max_drawdown(). */
  self->drawdown_series = g_new (double, self->n);
  for (gsize t = 0; t < self->n; t++)
    {
      wealth *= 1 + self->portfolio[t];
      peak = MAX (peak, wealth);
      self->drawdown_series[t] = wealth / peak - 1;
    }

  return TRUE;
}

static gboolean
compute_moments (SextantRiskFigures  *self,
                 GError             **error)
{
  self->mean = g_new (double, self->k);
  self->covariance = g_new (double, self->k * self->k);
  self->correlation = g_new (double, self->k * self->k);
  self->component_var = g_new (double, self->k);

  return sextant_mean_vector (self->returns, self->mean, error) &&
         sextant_covariance_sample (self->returns, self->covariance, error) &&
         sextant_correlation_from_covariance (self->covariance, self->k, self->correlation, error) &&
         sextant_var_components_gaussian (self->mean, self->covariance, self->weights, self->k,
                                          0.99, NULL, self->component_var,
                                          &self->component_total, error);
}

static gboolean
compute_stress (SextantRiskFigures  *self,
                GError             **error)
{
  const SextantRiskStress windows[3] = {
    { N_("Worst days"), 1, 0, { { 0 } } },
    { N_("Worst weeks (5 days)"), 5, 0, { { 0 } } },
    { N_("Worst months (21 days)"), 21, 0, { { 0 } } },
  };

  for (guint s = 0; s < 3; s++)
    {
      self->stress[s] = windows[s];
      if (!sextant_stress_worst_windows (self->portfolio, self->n, windows[s].window,
                                         SEXTANT_RISK_N_STRESS_WINDOWS, self->stress[s].worst,
                                         &self->stress[s].n, error))
        return FALSE;
    }

  return TRUE;
}

/* A historical scenario on today's weights: each asset's own move over the equal-weight
 * market's worst 21 days, applied at once (no rebalancing inside the window). */
static gboolean
compute_replay (SextantRiskFigures  *self,
                GError             **error)
{
  gsize n_out = 0;

  if (!sextant_stress_worst_windows (self->market, self->n, 21, 1, &self->market_worst_month,
                                     &n_out, error))
    return FALSE;
  self->replay_shocks = g_new (double, self->k);
  for (gsize j = 0; j < self->k; j++)
    {
      const double *r = sextant_return_matrix_get_column (self->returns, j);
      double growth = 1;

      for (gsize t = 0; t < self->market_worst_month.length; t++)
        growth *= 1 + r[self->market_worst_month.start + t];
      self->replay_shocks[j] = growth - 1;
    }

  return sextant_stress_shock (self->weights, self->replay_shocks, self->k, &self->replay_return,
                               NULL, error);
}

static void
fill_charts (SextantRiskFigures *self)
{
  self->histogram_chart = (SextantHistogramChart) {
    .title = _("Daily returns with 95 % historical VaR and ES"),
    .returns = self->portfolio, .n = self->n, .n_bins = 0,
    .var = self->var_historical[SEXTANT_RISK_95], .es = self->es_historical[SEXTANT_RISK_95],
    .confidence = 0.95,
  };
  self->drawdown_chart = (SextantDrawdownChart) {
    .title = _("Drawdown"), .days = self->returns->days, .drawdown = self->drawdown_series,
    .n = self->n,
  };
  self->heatmap_chart = (SextantHeatmapChart) {
    .title = _("Correlation of daily returns"), .labels = (const char * const *) self->symbols,
    .values = self->correlation, .n = self->k, .min = -1, .max = 1, .show_values = TRUE,
  };
}

/**
 * sextant_risk_figures_compute:
 * @stocks: closes of the demo stocks
 * @portfolio: the portfolio, when @which is %SEXTANT_RISK_PORTFOLIO_DEMO
 * @which: @portfolio or the equal-weight portfolio of every stock
 * @cancellable: (nullable): checked between stages
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): every figure of the dashboard
 */
SextantRiskFigures *
sextant_risk_figures_compute (SextantPriceTable    *stocks,
                              SextantPortfolio     *portfolio,
                              SextantRiskPortfolio  which,
                              GCancellable         *cancellable,
                              GError              **error)
{
  g_autoptr(SextantRiskFigures) self = g_atomic_rc_box_new0 (SextantRiskFigures);

  if (!choose_portfolio (self, stocks, portfolio, which, error) ||
      !compute_returns (self, stocks, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !compute_var (self, error) ||
      !compute_performance (self, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !compute_moments (self, error) ||
      !compute_stress (self, error) ||
      !compute_replay (self, error))
    return NULL;
  fill_charts (self);

  return g_steal_pointer (&self);
}
