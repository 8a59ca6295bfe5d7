#define G_LOG_DOMAIN "sextant-portfolio-report"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pango.h>

#include "agent/sextant-citations.h"
#include "document/sextant-markdown.h"
#include "sextant-money-format.h"
#include "sextant-portfolio-report.h"

/*
 * The committee report of an optimization, laid out by the core's SextantReport: the portfolio
 * and its constraints, the proposed weights, return and risk against the frontier, the risk of
 * the proposed weights (VaR, ES, drawdown, risk contributions) over the optimization's own
 * returns, the simulation and backtest when they were run, and the assistant's summary when
 * there is one. GTK-free, so the PDF is written in a worker thread.
 *
 * Risk conventions as on the risk dashboard: one-day VaR and ES as positive loss fractions of
 * the constant-weight portfolio's simple daily returns; volatility annualised with √252.
 */

typedef struct
{
  double *returns;
  double *drawdown;
  double  var_historical[2];
  double  es_historical[2];
  double  var_gaussian[2];
  double  var_cornish_fisher[2];
  double  volatility;
  double  max_drawdown;
  double *contribution;
  double  sigma;
} RiskOfWeights;

struct _SextantPortfolioReport
{
  SextantReport             *report;
  SextantOptimizationResult *result;
  SextantScenarioOutcome    *scenario;
  SextantBacktestOutcome    *backtest;
  RiskOfWeights              optimized;
  RiskOfWeights              current;
  SextantAllocationChart     allocation_chart;
  SextantHistogramChart      histogram_chart;
  SextantDrawdownChart       drawdown_chart;
};

static const double confidences[2] = { 0.95, 0.99 };

static void
risk_clear (RiskOfWeights *risk)
{
  g_free (risk->returns);
  g_free (risk->drawdown);
  g_free (risk->contribution);
}

void
sextant_portfolio_report_free (SextantPortfolioReport *self)
{
  if (self == NULL)
    return;
  /* The report's charts point into the rest: it goes first. */
  g_clear_pointer (&self->report, sextant_report_free);
  risk_clear (&self->optimized);
  risk_clear (&self->current);
  g_clear_pointer (&self->result, sextant_optimization_result_unref);
  g_clear_pointer (&self->scenario, sextant_scenario_outcome_unref);
  g_clear_pointer (&self->backtest, sextant_backtest_outcome_unref);
  g_free (self);
}

static gboolean
compute_risk (SextantOptimizationResult  *r,
              const double               *weights,
              RiskOfWeights              *risk,
              GError                    **error)
{
  gsize n = r->returns->n_obs;
  SextantMoments moments;
  SextantDrawdown drawdown;
  double wealth = 1, peak = 1;

  risk->returns = g_new (double, n);
  risk->drawdown = g_new (double, n);
  risk->contribution = g_new (double, r->k);
  if (!sextant_portfolio_returns (r->returns, weights, risk->returns, error) ||
      !sextant_moments_compute (risk->returns, n, &moments, error) ||
      !sextant_volatility_annualised (risk->returns, n, SEXTANT_TRADING_DAYS, &risk->volatility, error) ||
      !sextant_max_drawdown (risk->returns, n, &drawdown, error) ||
      !sextant_risk_contributions (r->covariance, weights, r->k, risk->contribution, &risk->sigma,
                                   error))
    return FALSE;
  for (guint c = 0; c < 2; c++)
    if (!sextant_var_historical (risk->returns, n, confidences[c], &risk->var_historical[c],
                                 &risk->es_historical[c], error) ||
        !sextant_var_gaussian (moments.mean, moments.sd, confidences[c], &risk->var_gaussian[c],
                               NULL, error) ||
        !sextant_var_cornish_fisher (&moments, confidences[c], &risk->var_cornish_fisher[c], error))
      return FALSE;
  risk->max_drawdown = drawdown.max_drawdown;
  /* The curve for the chart, on sextant_max_drawdown()'s definition, as falls ≤ 0. */
  for (gsize t = 0; t < n; t++)
    {
      wealth *= 1 + risk->returns[t];
      peak = MAX (peak, wealth);
      risk->drawdown[t] = wealth / peak - 1;
    }

  return TRUE;
}

static char *
percent (double value)
{
  return g_strdup_printf ("%.2f %%", 100 * value);
}

/* "12.34 % (current 10.00 %)": the proposal first, the current weights' figure in brackets. */
static void
add_compared_row (SextantReport *report,
                  const char    *label,
                  double         proposed,
                  double         current,
                  gboolean       as_percent)
{
  g_autofree char *a = as_percent ? percent (proposed) : g_strdup_printf ("%.2f", proposed);
  g_autofree char *b = as_percent ? percent (current) : g_strdup_printf ("%.2f", current);
  /* Translators: a figure of the proposed weights, then the same figure of the current ones */
  g_autofree char *value = g_strdup_printf (_("%s (current %s)"), a, b);

  sextant_report_add_row (report, label, value);
}

static void
add_portfolio_page (SextantPortfolioReport *self)
{
  const SextantOptimizationRequest *q = self->result->request;
  const SextantReturnMatrix *returns = self->result->returns;
  g_autofree char *from = sextant_day_format_iso (returns->days[0]);
  g_autofree char *to = sextant_day_format_iso (returns->days[returns->n_obs - 1]);
  g_autofree char *valued = sextant_day_format_iso (q->valued_at);
  g_autofree char *objective = NULL;
  g_autofree char *text = NULL;
  g_autofree char *worth = sextant_format_money (q->value, q->currency, 2);

  objective = q->objective == SEXTANT_OBJECTIVE_TARGET_RETURN ||
              q->objective == SEXTANT_OBJECTIVE_TARGET_VOLATILITY
                ? g_strdup_printf ("%s (%.1f %%)", sextant_objective_get_name (q->objective), 100 * q->target)
                : g_strdup (sextant_objective_get_name (q->objective));
  sextant_report_add_page (self->report, _("Portfolio and Constraints"));
  /* Translators: objective; number of returns; first and last date; value; date; a reference */
  text = g_strdup_printf (_("Objective: %s. Data: %zu simple daily returns of closes from %s to %s, "
                            "sample covariance, 252 trading days a year, risk-free rate 0. The "
                            "holdings are worth %s at the closes of %s. Reference: %s."),
                          objective, returns->n_obs, from, to, worth, valued, self->result->reference);
  sextant_report_add_paragraph (self->report, text);
  for (gsize j = 0; j < q->k; j++)
    {
      /* Translators: a symbol and its number of shares */
      g_autofree char *label = g_strdup_printf (_("%s · %'.0f shares"), q->symbols[j], q->quantities[j]);
      /* Translators: the current weight, then the minimum and maximum weights, in percent */
      g_autofree char *value = g_strdup_printf (_("%.2f %% now · bounds %.0f–%.0f %%"),
                                                100 * q->current[j], 100 * q->lower[j],
                                                100 * q->upper[j]);

      sextant_report_add_row (self->report, label, value);
    }
}

static void
add_weights_page (SextantPortfolioReport *self)
{
  SextantOptimizationResult *r = self->result;

  sextant_report_add_page (self->report, _("Proposed Weights"));
  for (gsize j = 0; j < r->k; j++)
    {
      g_autofree char *weight = percent (r->weights[j]);
      g_autofree char *current = percent (r->current[j]);
      /* Translators: the proposed weight, the current weight, the change in percentage points */
      g_autofree char *value = g_strdup_printf (_("%s (current %s, %+.2f points)"), weight, current,
                                                100 * (r->weights[j] - r->current[j]));

      sextant_report_add_row (self->report, r->symbols[j], value);
    }
  self->allocation_chart = (SextantAllocationChart) {
    .title = _("Proposed weights, current weights beside"),
    .style = SEXTANT_ALLOCATION_CHART_BARS,
    .labels = (const char * const *) r->symbols,
    .weights = r->weights,
    .compare = r->current,
    .n = r->k,
  };
  sextant_report_set_chart_model (self->report, SEXTANT_CHART_KIND_ALLOCATION, &self->allocation_chart,
                                  NULL);
}

/* What to buy and sell at the closes that valued the holdings, so the committee sees the orders
 * the proposal means, not only its percentages. */
static void
add_trades_page (SextantPortfolioReport *self)
{
  SextantOptimizationResult *r = self->result;
  g_autoptr(GError) error = NULL;
  g_autofree SextantTrade *trades = sextant_optimization_result_dup_trades (r, &error);
  g_autofree char *valued = sextant_day_format_iso (r->request->valued_at);
  g_autofree char *text = NULL;
  g_autofree char *bought_text = NULL, *sold_text = NULL;
  double bought = 0, sold = 0;

  sextant_report_add_page (self->report, _("Trade List"));
  if (trades == NULL)
    {
      sextant_report_add_paragraph (self->report, error->message);
      return;
    }
  for (gsize j = 0; j < r->k; j++)
    {
      const SextantTrade *t = &trades[j];
      g_autofree char *label = NULL;
      g_autofree char *value = NULL;

      if (t->shares > 0)
        /* Translators: a symbol and a number of shares */
        label = g_strdup_printf (_("%s · buy %'.0f shares"), r->symbols[j], t->shares);
      else if (t->shares < 0)
        /* Translators: a symbol and a number of shares */
        label = g_strdup_printf (_("%s · sell %'.0f shares"), r->symbols[j], -t->shares);
      else
        /* Translators: a symbol */
        label = g_strdup_printf (_("%s · no trade"), r->symbols[j]);
      /* Translators: the amount traded, the close, then the target value */
      {
        g_autofree char *amount = sextant_format_money (fabs (t->amount), r->request->currency, 2);
        g_autofree char *close = sextant_format_money (t->close, r->request->currency, 2);
        g_autofree char *target = sextant_format_money (t->target_value, r->request->currency, 2);

        value = g_strdup_printf (_("%s at %s · target %s"), amount, close, target);
      }
      sextant_report_add_row (self->report, label, value);
      if (t->amount > 0)
        bought += t->amount;
      else
        sold -= t->amount;
    }
  bought_text = sextant_format_money (bought, r->request->currency, 2);
  sold_text = sextant_format_money (sold, r->request->currency, 2);
  /* Translators: a date, the amount bought, the amount sold */
  text = g_strdup_printf (_("Whole shares at the closes of %s: the target value of a holding is its "
                            "optimized weight times the portfolio's value. Buys %s, sells %s; "
                            "rounding to whole shares leaves the difference in cash."),
                          valued, bought_text, sold_text);
  sextant_report_add_paragraph (self->report, text);
}

static void
add_frontier_page (SextantPortfolioReport *self)
{
  SextantOptimizationResult *r = self->result;

  sextant_report_add_page (self->report, _("Expected Return and Risk"));
  sextant_report_add_paragraph (self->report,
                                _("Annualised from the daily returns of the data range. The frontier "
                                  "holds the least volatile portfolios within the bounds for each "
                                  "expected return."));
  add_compared_row (self->report, _("Expected return"), r->expected_return, r->current_return, TRUE);
  add_compared_row (self->report, _("Volatility"), r->volatility, r->current_volatility, TRUE);
  add_compared_row (self->report, _("Sharpe ratio"), r->sharpe, r->current_sharpe, FALSE);
  sextant_report_set_chart_model (self->report, SEXTANT_CHART_KIND_FRONTIER, &r->chart, NULL);
}

static void
add_risk_rows (SextantPortfolioReport *self)
{
  const RiskOfWeights *o = &self->optimized, *c = &self->current;

  add_compared_row (self->report, _("VaR 95 %, historical"), o->var_historical[0],
                    c->var_historical[0], TRUE);
  add_compared_row (self->report, _("VaR 99 %, historical"), o->var_historical[1],
                    c->var_historical[1], TRUE);
  add_compared_row (self->report, _("Expected shortfall 95 %, historical"), o->es_historical[0],
                    c->es_historical[0], TRUE);
  add_compared_row (self->report, _("Expected shortfall 99 %, historical"), o->es_historical[1],
                    c->es_historical[1], TRUE);
  add_compared_row (self->report, _("VaR 95 %, Gaussian"), o->var_gaussian[0], c->var_gaussian[0], TRUE);
  add_compared_row (self->report, _("VaR 99 %, Gaussian"), o->var_gaussian[1], c->var_gaussian[1], TRUE);
  add_compared_row (self->report, _("VaR 99 %, Cornish–Fisher"), o->var_cornish_fisher[1],
                    c->var_cornish_fisher[1], TRUE);
  add_compared_row (self->report, _("Realised volatility, annualised"), o->volatility, c->volatility, TRUE);
  add_compared_row (self->report, _("Maximum drawdown"), o->max_drawdown, c->max_drawdown, TRUE);
}

static void
add_risk_pages (SextantPortfolioReport *self)
{
  SextantOptimizationResult *r = self->result;
  gsize n = r->returns->n_obs;

  sextant_report_add_page (self->report, _("Risk of the Proposed Weights"));
  sextant_report_add_paragraph (self->report,
                                _("One-day figures from the daily returns of the data range, as "
                                  "positive losses, for weights held constant; the current weights' "
                                  "figures in brackets."));
  add_risk_rows (self);
  self->histogram_chart = (SextantHistogramChart) {
    .title = _("Daily returns of the proposed weights, 95 % historical VaR and ES"),
    .returns = self->optimized.returns, .n = n, .n_bins = 0,
    .var = self->optimized.var_historical[0], .es = self->optimized.es_historical[0],
    .confidence = 0.95,
  };
  sextant_report_set_chart_model (self->report, SEXTANT_CHART_KIND_HISTOGRAM, &self->histogram_chart, NULL);

  sextant_report_add_page (self->report, _("Risk Contributions and Drawdown"));
  sextant_report_add_paragraph (self->report,
                                _("Each asset's share of the proposed portfolio's volatility (Euler "
                                  "contributions; they add up to 100 %)."));
  for (gsize j = 0; j < r->k; j++)
    {
      g_autofree char *value = percent (self->optimized.contribution[j] / self->optimized.sigma);

      sextant_report_add_row (self->report, r->symbols[j], value);
    }
  self->drawdown_chart = (SextantDrawdownChart) {
    .title = _("Drawdown of the proposed weights"), .days = r->returns->days,
    .drawdown = self->optimized.drawdown, .n = n,
  };
  sextant_report_set_chart_model (self->report, SEXTANT_CHART_KIND_DRAWDOWN, &self->drawdown_chart, NULL);
}

static void
add_scenario_page (SextantPortfolioReport *self)
{
  SextantScenarioOutcome *s = self->scenario;
  gsize last = s->n - 1;
  const char *currency = self->result != NULL ? self->result->request->currency : NULL;
  g_autofree char *text = NULL;
  g_autofree char *median = NULL, *low = NULL, *high = NULL;

  sextant_report_add_page (self->report, _("Scenarios"));
  /* Translators: horizon in days, then the 5th percentile, median and 95th percentile values */
  median = sextant_format_money (s->p[2][last], currency, 0);
  low = sextant_format_money (s->p[0][last], currency, 0);
  high = sextant_format_money (s->p[4][last], currency, 0);
  text = g_strdup_printf (_("After %zu trading days: median %s, 5th percentile %s, "
                            "95th percentile %s."), last, median, low, high);
  sextant_report_add_paragraph (self->report, text);
  sextant_report_set_chart_model (self->report, SEXTANT_CHART_KIND_FAN, &s->chart, NULL);
}

static void
add_backtest_page (SextantPortfolioReport *self)
{
  SextantBacktestOutcome *b = self->backtest;

  sextant_report_add_page (self->report, _("Backtest"));
  sextant_report_add_paragraph (self->report,
                                _("Both sets of weights traded back to their targets over the data "
                                  "range, 10 basis points per trade."));
  add_compared_row (self->report, _("Growth rate (CAGR)"), b->optimized.cagr, b->current.cagr, TRUE);
  add_compared_row (self->report, _("Volatility"), b->optimized.volatility, b->current.volatility, TRUE);
  add_compared_row (self->report, _("Sharpe ratio"), b->optimized.sharpe, b->current.sharpe, FALSE);
  add_compared_row (self->report, _("Maximum drawdown"), b->optimized.max_drawdown,
                    b->current.max_drawdown, TRUE);
  sextant_report_set_chart_model (self->report, SEXTANT_CHART_KIND_TIMESERIES, &b->chart, NULL);
}

static char *
plain_text (const char *markup)
{
  g_autofree char *text = NULL;
  g_autofree char *unlinked = NULL;
  g_autoptr(GRegex) link_tags = g_regex_new ("</?a(\\s[^>]*)?>", 0, 0, NULL);

  if (markup == NULL)
    return g_strdup ("");
  /* Links (a citation [1] of the knowledge base) are GtkLabel markup, not Pango's: the
   * paper keeps their text. */
  unlinked = g_regex_replace (link_tags, markup, -1, 0, "", 0, NULL);
  if (unlinked == NULL || !pango_parse_markup (unlinked, -1, 0, NULL, &text, NULL, NULL))
    return g_strdup (markup);

  return g_steal_pointer (&text);
}

/* The summary is Markdown; the report prints plain paragraphs: one per block, a table's rows
 * as lines of cells. */
static void
add_summary_page (SextantPortfolioReport *self,
                  const char             *summary)
{
  g_autoptr(GPtrArray) blocks = sextant_markdown_render (summary, -1);

  sextant_report_add_page (self->report, _("The Assistant's Summary"));
  for (guint i = 0; i < blocks->len; i++)
    {
      SextantMarkdownBlock *block = blocks->pdata[i];
      g_autoptr(GString) text = g_string_new (NULL);

      if (block->kind == SEXTANT_MARKDOWN_RULE)
        continue;
      if (block->kind != SEXTANT_MARKDOWN_TABLE)
        {
          g_autofree char *plain = plain_text (block->markup);

          g_string_append (text, plain);
        }
      for (guint row = 0; block->kind == SEXTANT_MARKDOWN_TABLE && row < block->n_rows; row++)
        for (guint col = 0; col < block->n_columns; col++)
          {
            g_autofree char *cell = plain_text (block->cells->pdata[row * block->n_columns + col]);

            g_string_append_printf (text, "%s%s", col == 0 ? (row == 0 ? "" : "\n") : "  |  ", cell);
          }
      if (text->len > 0)
        sextant_report_add_paragraph (self->report, text->str);
    }
}

/* Each passage of the desk's documents the summary cites, with where to find it, so the
 * committee can check the summary against its own policy without opening the files. */
static void
add_cited_page (SextantPortfolioReport *self,
                GPtrArray              *cited)
{
  sextant_report_add_page (self->report, _("Passages Cited"));
  for (guint i = 0; i < cited->len; i++)
    {
      SextantCitedPassage *passage = cited->pdata[i];
      g_autofree char *place = sextant_cited_passage_dup_place (passage);
      g_autofree char *excerpt = sextant_cited_passage_dup_excerpt (passage, 600);
      g_autofree char *text = NULL;

      if (passage->title != NULL && passage->title[0] != '\0')
        /* Translators: a citation's number, the document's title, where in it (file name and
         * page), then the passage */
        text = g_strdup_printf (_("[%u] %s — %s: “%s”"), passage->number, passage->title, place, excerpt);
      else
        /* Translators: a citation's number, where (file name and page), then the passage */
        text = g_strdup_printf (_("[%u] %s: “%s”"), passage->number, place, excerpt);
      sextant_report_add_paragraph (self->report, text);
    }
}

/**
 * sextant_portfolio_report_new:
 * @input: what goes into the report
 * @error: an analytics error when the risk figures cannot be computed
 *
 * Computes the risk figures and lays out the report; nothing is written yet.
 *
 * Returns: (transfer full) (nullable): the report
 */
SextantPortfolioReport *
sextant_portfolio_report_new (const SextantPortfolioReportInput  *input,
                              GError                            **error)
{
  g_autoptr(SextantPortfolioReport) self = g_new0 (SextantPortfolioReport, 1);
  SextantOptimizationResult *r;

  g_return_val_if_fail (input != NULL && input->result != NULL, NULL);
  g_return_val_if_fail (input->result->request != NULL, NULL);

  r = self->result = sextant_optimization_result_ref (input->result);
  self->scenario = input->scenario != NULL ? sextant_scenario_outcome_ref (input->scenario) : NULL;
  self->backtest = input->backtest != NULL ? sextant_backtest_outcome_ref (input->backtest) : NULL;
  if (!compute_risk (r, r->weights, &self->optimized, error) ||
      !compute_risk (r, r->current, &self->current, error))
    return NULL;

  self->report = sextant_report_new (_("Investment Committee Report"), r->request->name, input->date);
  add_portfolio_page (self);
  add_weights_page (self);
  add_trades_page (self);
  add_frontier_page (self);
  add_risk_pages (self);
  if (self->scenario != NULL)
    add_scenario_page (self);
  if (self->backtest != NULL)
    add_backtest_page (self);
  if (input->summary != NULL && input->summary[0] != '\0')
    add_summary_page (self, input->summary);
  if (input->summary != NULL && input->summary[0] != '\0' && input->cited != NULL && input->cited->len > 0)
    add_cited_page (self, input->cited);

  return g_steal_pointer (&self);
}

guint
sextant_portfolio_report_count_pages (SextantPortfolioReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return sextant_report_count_pages (self->report);
}

/**
 * sextant_portfolio_report_write:
 * @self: a report
 * @file: where to write the PDF
 * @error: a GIO error, or %SEXTANT_CHART_ERROR_CAIRO
 *
 * Safe to call in a worker thread: the report and what it draws belong to it alone, and the
 * results it shares with the window are never changed.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_portfolio_report_write (SextantPortfolioReport  *self,
                                GFile                   *file,
                                GError                 **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return sextant_report_write_pdf (self->report, file, error);
}
