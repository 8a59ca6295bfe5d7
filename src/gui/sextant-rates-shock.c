#define G_LOG_DOMAIN "sextant-rates-shock"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-rates-shock.h"

void
sextant_rates_shock_free (SextantRatesShock *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->lines, g_array_unref);
  g_clear_pointer (&self->curves_note, g_free);
  g_clear_object (&self->portfolio);
  g_free (self);
}

/**
 * sextant_rates_shock_compute:
 * @cache: the market cache, read only (any thread)
 * @portfolio: the stored book
 * @rates: the parallel move of the par curve, a fraction
 * @spreads: the move of the bonds' credit spreads, a fraction
 * @fx: (element-type utf8 double): currency → change against the base, a fraction (`double *`)
 * @error: return location for an error
 *
 * Returns: (transfer full): the P&L per holding, in the book's base currency, or %NULL
 */
SextantRatesShock *
sextant_rates_shock_compute (SextantMarketCache  *cache,
                             SextantPortfolio    *portfolio,
                             double               rates,
                             double               spreads,
                             GHashTable          *fx,
                             GError             **error)
{
  g_autoptr(SextantRatesShock) self = g_new0 (SextantRatesShock, 1);
  g_auto(SextantShockScenario) scenario = { 0 };
  g_auto(SextantBookShock) shock = { 0 };
  GHashTableIter iter;
  gpointer currency, change;

  g_return_val_if_fail (cache != NULL && SEXTANT_IS_PORTFOLIO (portfolio), NULL);

  sextant_shock_scenario_init (&scenario);
  scenario.rates = rates;
  scenario.spreads = spreads;
  if (fx != NULL)
    {
      g_hash_table_iter_init (&iter, fx);
      while (g_hash_table_iter_next (&iter, &currency, &change))
        sextant_shock_scenario_add_fx (&scenario, currency, *(const double *) change);
    }
  /* Each currency's bonds on their own curve: the newest stored Treasury and ECB curves. */
  if (!sextant_book_shock_add_cached_curves (&shock, cache, portfolio, 0, error) ||
      !sextant_book_shock_run (&shock, cache, portfolio, 0, &scenario, error))
    return NULL;

  for (guint i = 0; shock.curves != NULL && i < shock.curves->len; i++)
    {
      const SextantShockCurve *curve = shock.curves->pdata[i];
      g_autofree char *date = sextant_day_format_iso (curve->rates->day);
      g_autofree char *one = NULL;

      if (curve->kind == SEXTANT_SHOCK_CURVE_ZERO)
        /* Translators: a currency code and a date */
        one = g_strdup_printf (_("%s bonds on the ECB AAA spot curve of %s"), curve->currency, date);
      else
        /* Translators: a currency code and a date */
        one = g_strdup_printf (_("%s bonds on the US Treasury par curve of %s"), curve->currency, date);
      if (self->curves_note == NULL)
        self->curves_note = g_steal_pointer (&one);
      else
        {
          /* Translators: two parts of a list of curves, joined */
          char *joined = g_strdup_printf (_("%s; %s"), self->curves_note, one);

          g_free (self->curves_note);
          self->curves_note = joined;
        }
    }
  self->portfolio = g_object_ref (portfolio);
  self->day = shock.day;
  self->curve_day = shock.curve_day;
  self->lines = g_array_new (FALSE, TRUE, sizeof (SextantRatesShockLine));
  for (guint i = 0; i < shock.lines->len; i++)
    {
      const SextantShockLine *l = &g_array_index (shock.lines, SextantShockLine, i);
      /* l->holding points into @portfolio, which the result keeps */
      SextantRatesShockLine line = { l->holding, l->currency, l->value, l->rates_pnl, l->spreads_pnl,
                                     l->fx_pnl };

      g_array_append_val (self->lines, line);
    }
  self->value = shock.total.value;
  self->rates_pnl = shock.total.rates_pnl;
  self->spreads_pnl = shock.total.spreads_pnl;
  self->fx_pnl = shock.total.fx_pnl;

  return g_steal_pointer (&self);
}
