#define G_LOG_DOMAIN "sextant-risk-report"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-money-format.h"
#include "sextant-risk-report.h"

/*
 * The risk dashboard as a PDF for those who do not run Sextant: the headline figures with how
 * each is computed, the distribution of daily returns with VaR and ES, the drawdown, the
 * correlations, each asset's share of the VaR and the stress scenarios. Laid out by the core's
 * SextantReport from the figures the dashboard shows, so both always agree; GTK-free, so the
 * PDF is written in a worker thread.
 */

struct _SextantRiskReport
{
  SextantReport       *report;
  SextantRiskFigures  *figures;   /* the charts point into it */
  SextantRatesFigures *rates;     /* and into this one, once the rates pages are added */
};

void
sextant_risk_report_free (SextantRiskReport *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->report, sextant_report_free);
  g_clear_pointer (&self->figures, sextant_risk_figures_unref);
  g_clear_pointer (&self->rates, sextant_rates_figures_unref);
  g_free (self);
}

static char *
percent (double value,
         int    digits)
{
  return g_strdup_printf ("%.*f %%", digits, 100 * value);
}

static void
add_figures_page (SextantRiskReport *self,
                  const char        *prices_note)
{
  const SextantRiskFigures *f = self->figures;
  g_autofree char *from = sextant_day_format_iso (f->returns->days[0]);
  g_autofree char *to = sextant_day_format_iso (f->returns->days[f->n - 1]);
  g_autofree char *data = NULL;
  guint n_measures;
  const SextantRiskMeasure *measures = sextant_risk_measures (&n_measures);

  sextant_report_add_page (self->report, _("Risk Figures"));
  /* Translators: the number of daily returns, the first and last dates, where the prices came
   * from (a sentence) */
  data = g_strdup_printf (_("%zu daily returns from %s to %s. %s"), f->n, from, to, prices_note);
  sextant_report_add_paragraph (self->report, data);
  sextant_report_add_paragraph (self->report,
                                _("Simple daily returns of closes, for weights held constant (rebalanced "
                                  "daily). VaR and expected shortfall are one-day losses, as positive "
                                  "fractions of the portfolio's value; volatility is annualised with the "
                                  "square root of 252 days."));
  for (guint i = 0; i < n_measures; i++)
    {
      /* Translators: a measure, then how it is computed, as in “VaR 95 % (Historical, one day)” */
      g_autofree char *label = g_strdup_printf (_("%s (%s)"), _(measures[i].title), _(measures[i].caption));
      g_autofree char *value = sextant_risk_figures_format_measure (f, i);

      sextant_report_add_row (self->report, label, value);
    }
}

static void
add_chart_pages (SextantRiskReport *self)
{
  SextantRiskFigures *f = self->figures;

  sextant_report_add_page (self->report, _("Distribution of Daily Returns"));
  sextant_report_add_paragraph (self->report,
                                /* xgettext:no-c-format */
                                _("The portfolio's daily returns, with the 95 % historical VaR and "
                                  "expected shortfall marked."));
  sextant_report_set_chart_model (self->report, SEXTANT_CHART_KIND_HISTOGRAM, &f->histogram_chart, NULL);

  sextant_report_add_page (self->report, _("Drawdown"));
  sextant_report_add_paragraph (self->report, _("How far the portfolio stood below its previous peak."));
  sextant_report_set_chart_model (self->report, SEXTANT_CHART_KIND_DRAWDOWN, &f->drawdown_chart, NULL);

  sextant_report_add_page (self->report, _("Correlation"));
  sextant_report_add_paragraph (self->report, _("Correlations of the daily returns of the portfolio's assets."));
  sextant_report_set_chart_model (self->report, SEXTANT_CHART_KIND_HEATMAP, &f->heatmap_chart, NULL);
}

/* The book by the currency of its instruments, in the base currency, after the contributions. */
static void
add_exposure (SextantRiskReport *self)
{
  const SextantRiskFigures *f = self->figures;
  g_autofree char *text = NULL;

  if (f->fx_exposure == NULL || f->fx_exposure->len == 0)
    return;
  /* Translators: a currency code */
  text = g_strdup_printf (_("Currency exposure: the holdings' market value by the currency they are "
                            "priced in, in %s (ECB reference rates)."), f->currency);
  sextant_report_add_paragraph (self->report, text);
  for (guint i = 0; i < f->fx_exposure->len; i++)
    {
      const SextantFxExposure *row = &g_array_index (f->fx_exposure, SextantFxExposure, i);
      g_autofree char *money = sextant_format_money (row->value, f->currency, 0);
      g_autofree char *share = percent (row->share, 1);
      /* Translators: an amount of money, then a share of the portfolio in percent */
      g_autofree char *value = g_strdup_printf (_("%s · %s of the portfolio"), money, share);

      sextant_report_add_row (self->report, row->currency, value);
    }
}

static void
add_contributions_page (SextantRiskReport *self)
{
  const SextantRiskFigures *f = self->figures;

  sextant_report_add_page (self->report, _("Contributions to VaR"));
  sextant_report_add_paragraph (self->report,
                                /* xgettext:no-c-format */
                                _("Each asset's weight, its component of the 99 % Gaussian VaR and its "
                                  "share of it (Euler contributions; they add up to the VaR)."));
  for (gsize j = 0; j < f->k; j++)
    {
      g_autofree char *weight = percent (f->weights[j], 2);
      g_autofree char *component = percent (f->component_var[j], 3);
      g_autofree char *share = percent (f->component_var[j] / f->component_total, 1);
      /* Translators: an asset's weight, its component VaR and its share of the VaR */
      g_autofree char *value = g_strdup_printf (_("weight %s · VaR %s · %s of it"), weight, component, share);

      sextant_report_add_row (self->report, f->symbols[j], value);
    }
  add_exposure (self);
}

static void
add_stress_page (SextantRiskReport *self)
{
  const SextantRiskFigures *f = self->figures;

  sextant_report_add_page (self->report, _("Stress Scenarios"));
  sextant_report_add_paragraph (self->report,
                                _("The portfolio's worst historical days, weeks and months, and the "
                                  "market's worst month replayed on today's weights."));
  for (guint s = 0; s < G_N_ELEMENTS (f->stress); s++)
    for (gsize i = 0; i < f->stress[s].n; i++)
      {
        const SextantStressWindow *w = &f->stress[s].worst[i];
        g_autofree char *from = sextant_day_format_iso (f->returns->days[w->start]);
        g_autofree char *to = sextant_day_format_iso (f->returns->days[w->start + w->length - 1]);
        g_autofree char *loss = percent (w->loss, 2);
        /* Translators: a loss, then the first and last day of its window */
        g_autofree char *value = g_strdup_printf (_("loss %s, %s to %s"), loss, from, to);

        sextant_report_add_row (self->report, i == 0 ? _(f->stress[s].label) : "", value);
      }
  {
    const SextantStressWindow *w = &f->market_worst_month;
    g_autofree char *from = sextant_day_format_iso (f->returns->days[w->start]);
    g_autofree char *to = sextant_day_format_iso (f->returns->days[w->start + w->length - 1]);
    g_autofree char *loss = percent (-f->replay_return, 2);
    g_autofree char *value = g_strdup_printf (_("loss %s, %s to %s"), loss, from, to);

    sextant_report_add_row (self->report, _("Market's worst month, today's weights"), value);
  }
}

/**
 * sextant_risk_report_new:
 * @figures: what the dashboard shows; kept until the report is freed
 * @prices_note: where the prices came from, a sentence
 * @date: the report's date, as the reader should see it
 *
 * Returns: (transfer full): the report, laid out
 */
SextantRiskReport *
sextant_risk_report_new (SextantRiskFigures *figures,
                         const char         *prices_note,
                         const char         *date)
{
  SextantRiskReport *self;

  g_return_val_if_fail (figures != NULL && figures->n > 0, NULL);
  g_return_val_if_fail (prices_note != NULL, NULL);
  g_return_val_if_fail (date != NULL, NULL);

  self = g_new0 (SextantRiskReport, 1);
  self->figures = sextant_risk_figures_ref (figures);
  self->report = sextant_report_new (_("Risk Report"), figures->name, date);
  add_figures_page (self, prices_note);
  add_chart_pages (self);
  add_contributions_page (self);
  add_stress_page (self);

  return self;
}

static void
add_curve_page (SextantRiskReport *self)
{
  SextantRatesFigures *r = self->rates;

  sextant_report_add_page (self->report, _("Yield Curve"));
  if (r->curve.day > 0)
    {
      g_autofree char *date = sextant_day_format_iso (r->curve.day);
      /* Translators: a date */
      g_autofree char *text = g_strdup_printf (r->source == SEXTANT_RATES_SOURCE_TREASURY
                                               ? _("The US Treasury's par yields of %s, bootstrapped to zero "
                                                   "rates (continuously compounded, act/365f) and forwards "
                                                   "between tenors, with a Svensson fit of the zero rates.")
                                               : _("The ECB's euro area AAA curve of %s: spot rates as published, "
                                                   "par yields where published, forwards between tenors, with a "
                                                   "Svensson fit. Source: ECB statistics."), date);

      sextant_report_add_paragraph (self->report, text);
      if (r->has_fit)
        {
          g_autofree char *betas = g_strdup_printf ("%.4f · %.4f · %.4f · %.4f", r->fit.beta[0],
                                                    r->fit.beta[1], r->fit.beta[2], r->fit.beta[3]);
          g_autofree char *taus = g_strdup_printf ("%.3f · %.3f", r->fit.tau[0], r->fit.tau[1]);
          g_autofree char *rmse = g_strdup_printf (_("%.4f percentage points"), r->fit.rmse);

          sextant_report_add_row (self->report, _("Svensson β0 to β3"), betas);
          sextant_report_add_row (self->report, _("Svensson τ1, τ2"), taus);
          sextant_report_add_row (self->report, _("Fit error (RMSE)"), rmse);
        }
    }
  if (r->curve_note != NULL)
    sextant_report_add_paragraph (self->report, r->curve_note);
  if (r->curve_chart.n_series > 0)
    sextant_report_set_chart_model (self->report, SEXTANT_CHART_KIND_CURVE, &r->curve_chart, NULL);
}

static void
add_fx_page (SextantRiskReport *self)
{
  SextantRatesFigures *r = self->rates;

  sextant_report_add_page (self->report, _("Currency Moves"));
  if (r->fx_chart.n == 0)
    {
      sextant_report_add_paragraph (self->report, r->fx_note);
      return;
    }
  {
    g_autofree char *date = sextant_day_format_iso (r->fx_day);
    /* Translators: a currency code, then a date */
    g_autofree char *text = g_strdup_printf (_("Change of each currency's value in %s over 1 day, 1 week, "
                                               "1 month and 1 year to %s, in percent. Source: ECB statistics."),
                                             r->base_currency, date);

    sextant_report_add_paragraph (self->report, text);
  }
  sextant_report_set_chart_model (self->report, SEXTANT_CHART_KIND_HEATMAP, &r->fx_chart, NULL);
}

static void
add_shock_rows (SextantRiskReport *self,
                SextantRatesShock *shock)
{
  const char *base = sextant_portfolio_get_base_currency (shock->portfolio);
  g_autofree char *date = sextant_day_format_iso (shock->day);
  g_autofree char *total = sextant_format_money (shock->rates_pnl + shock->spreads_pnl + shock->fx_pnl, base, 0);
  /* Translators: a date, then the scenario's total profit or loss */
  g_autofree char *text = g_strdup_printf (_("The scenario applied in the dashboard, valued on %s: profit "
                                             "or loss %s in total (bonds revalued on the moved curve, "
                                             "spreads by spread duration, currencies after the other "
                                             "moves; exchange rates: ECB statistics)."), date, total);

  sextant_report_add_paragraph (self->report, text);
  {
    g_autofree char *rates = sextant_format_money (shock->rates_pnl, base, 0);
    g_autofree char *spreads = sextant_format_money (shock->spreads_pnl, base, 0);
    g_autofree char *fx = sextant_format_money (shock->fx_pnl, base, 0);

    sextant_report_add_row (self->report, _("Rates"), rates);
    sextant_report_add_row (self->report, _("Spreads"), spreads);
    sextant_report_add_row (self->report, _("Currencies"), fx);
  }
  for (guint i = 0; i < shock->lines->len; i++)
    {
      const SextantRatesShockLine *l = &g_array_index (shock->lines, SextantRatesShockLine, i);
      g_autofree char *value = sextant_format_money (l->value, base, 0);
      g_autofree char *pnl = sextant_format_money (l->rates_pnl + l->spreads_pnl + l->fx_pnl, base, 0);
      /* Translators: a holding's profit or loss, then its value before the moves */
      g_autofree char *row = g_strdup_printf (_("P&L %s of %s"), pnl, value);

      sextant_report_add_row (self->report, l->holding->symbol, row);
    }
}

/**
 * sextant_risk_report_add_rates:
 * @self: a report
 * @rates: the Rates & FX view's figures; kept until the report is freed
 * @shock: (nullable): the shock applied in that view, written out now
 *
 * Adds the rates and FX section, for a book with exposure to them (bonds, or holdings in other
 * currencies than its base): the yield curve with its fit, the currency moves and, when one was
 * applied, the shock's P&L by holding.
 */
void
sextant_risk_report_add_rates (SextantRiskReport   *self,
                               SextantRatesFigures *rates,
                               SextantRatesShock   *shock)
{
  g_return_if_fail (self != NULL && rates != NULL);

  g_clear_pointer (&self->rates, sextant_rates_figures_unref);
  self->rates = sextant_rates_figures_ref (rates);
  add_curve_page (self);
  add_fx_page (self);
  if (shock != NULL)
    {
      sextant_report_add_page (self->report, _("Rates, FX and Spread Shock"));
      add_shock_rows (self, shock);
    }
}

guint
sextant_risk_report_count_pages (SextantRiskReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return sextant_report_count_pages (self->report);
}

/**
 * sextant_risk_report_write:
 * @self: a report
 * @file: where to write the PDF
 * @error: return location
 *
 * May run in any one thread at a time.
 *
 * Returns: whether the file was written
 */
gboolean
sextant_risk_report_write (SextantRiskReport  *self,
                           GFile              *file,
                           GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  return sextant_report_write_pdf (self->report, file, error);
}
