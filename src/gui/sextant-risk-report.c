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
  SextantReport      *report;
  SextantRiskFigures *figures;   /* the charts point into it */
};

void
sextant_risk_report_free (SextantRiskReport *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->report, sextant_report_free);
  g_clear_pointer (&self->figures, sextant_risk_figures_unref);
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
