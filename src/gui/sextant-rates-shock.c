#define G_LOG_DOMAIN "sextant-rates-shock"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-rates-shock.h"

/* Rates kept for converting the stocks' closes over the days before the valuation day, as
 * `sextant-cli shock` keeps them. */
#define CLOSE_WINDOW_DAYS 31

void
sextant_rates_shock_free (SextantRatesShock *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->lines, g_array_unref);
  g_clear_object (&self->portfolio);
  g_free (self);
}

static gint32
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return sextant_day_from_ymd (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now));
}

/* The earliest of the stocks' newest closes: the last day every stock may have one. */
static gint32
latest_close_day (SextantMarketCache *cache,
                  SextantPortfolio   *portfolio)
{
  gint32 last = G_MAXINT32;

  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);
      SextantBarCoverage coverage = { 0 };

      if (h->kind == SEXTANT_HOLDING_EQUITY &&
          sextant_market_cache_get_coverage (cache, h->symbol, &coverage, NULL) &&
          coverage.n_bars > 0)
        last = MIN (last, coverage.last_day);
    }
  return last == G_MAXINT32 ? 0 : last;
}

static gboolean
unit_value (SextantMarketCache  *cache,
            const char          *currency,
            const char          *base,
            gint32               day,
            double              *value,
            GError             **error)
{
  g_autoptr(SextantPriceSeries) one = NULL;
  g_autoptr(SextantPriceSeries) converted = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *date = NULL;

  if (g_ascii_strcasecmp (currency, base) == 0)
    {
      *value = 1;
      return TRUE;
    }
  one = sextant_price_series_new (currency, 1);
  sextant_price_series_set_row (one, 0, day, 1, 1, 1, 1, 0);
  converted = sextant_market_cache_convert_series (cache, one, currency, base, NULL, &local_error);
  if (converted != NULL && sextant_price_series_get_length (converted) == 1)
    {
      *value = sextant_price_series_get_close (converted)[0];
      return TRUE;
    }
  if (local_error != NULL &&
      !g_error_matches (local_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  date = sextant_day_format_iso (day);
  /* Translators: two currency codes, a date and a number of days */
  g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
               _("No ECB exchange rate between %s and %s on %s or in the %d days before it: refresh the "
                 "rates"), currency, base, date, SEXTANT_FX_MAX_STALE_DAYS);
  return FALSE;
}

static gboolean
value_stocks (SextantMarketCache  *cache,
              SextantRatesShock   *self,
              GError             **error)
{
  SextantPortfolio *portfolio = self->portfolio;
  g_autoptr(SextantPortfolio) stocks = sextant_portfolio_new (sextant_portfolio_get_name (portfolio));
  g_auto(SextantBook) book = { 0 };
  guint k = 0;

  sextant_portfolio_set_base_currency (stocks, sextant_portfolio_get_base_currency (portfolio));
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      if (h->kind != SEXTANT_HOLDING_EQUITY)
        continue;
      if (!isfinite (h->quantity))
        {
          /* Translators: a symbol */
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       _("%s is held by weight: a shock's profit or loss needs its number of shares"),
                       h->symbol);
          return FALSE;
        }
      sextant_portfolio_add_holding (stocks, h->symbol, h->quantity, NAN, h->currency);
    }
  if (sextant_portfolio_get_n_holdings (stocks) == 0)
    return TRUE;
  if (!sextant_book_load (&book, cache, stocks, self->day - CLOSE_WINDOW_DAYS, self->day, NULL, error))
    return FALSE;
  for (guint i = 0; i < self->lines->len; i++)
    {
      SextantRatesShockLine *line = &g_array_index (self->lines, SextantRatesShockLine, i);

      if (line->holding->kind != SEXTANT_HOLDING_EQUITY)
        continue;
      line->value = book.values[k];
      line->currency = g_intern_string (book.currencies[k]);
      k++;
    }
  return TRUE;
}

static gboolean
value_others (SextantMarketCache       *cache,
              SextantRatesShock        *self,
              const SextantYieldCurve  *curve,
              const SextantYieldCurve  *shocked,
              double                    spreads,
              GError                  **error)
{
  const char *base = sextant_portfolio_get_base_currency (self->portfolio);

  for (guint i = 0; i < self->lines->len; i++)
    {
      SextantRatesShockLine *line = &g_array_index (self->lines, SextantRatesShockLine, i);
      const SextantHolding *h = line->holding;
      double unit = 1, value = 0, rates_pnl = 0, spreads_pnl = 0;

      if (h->kind == SEXTANT_HOLDING_EQUITY)
        continue;
      if (h->kind == SEXTANT_HOLDING_CASH)
        value = h->quantity;
      else
        {
          SextantBond bond = h->bond;
          double spread = isnan (h->spread) ? 0 : h->spread, dirty, after, duration;
          g_autoptr(GError) local_error = NULL;

          bond.face = h->quantity;
          if (!sextant_yield_curve_price_bond_spread (curve, &bond, spread, &dirty, &duration, &local_error) ||
              !sextant_yield_curve_price_bond_spread (shocked, &bond, spread, &after, NULL, &local_error))
            {
              g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                           "%s: %s", h->symbol, local_error->message);
              return FALSE;
            }
          value = dirty / 100 * bond.face;
          rates_pnl = (after - dirty) / 100 * bond.face;
          if (!isnan (h->spread))
            spreads_pnl = -duration * spreads * value;
        }
      if (!unit_value (cache, line->currency, base, self->day, &unit, error))
        return FALSE;
      line->value = value * unit;
      line->rates_pnl = rates_pnl * unit;
      line->spreads_pnl = spreads_pnl * unit;
    }
  return TRUE;
}

static gboolean
load_curves (SextantMarketCache  *cache,
             double               rates,
             gint32              *day,
             SextantYieldCurve  **curve,
             SextantYieldCurve  **shocked,
             GError             **error)
{
  g_autoptr(SextantParCurve) par = NULL;
  g_autofree double *fractions = NULL;
  g_autofree double *shifts = NULL;

  if (!sextant_market_cache_get_par_curve (cache, "treasury", 0, &par, error))
    return FALSE;
  if (par == NULL)
    {
      g_set_error_literal (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
                           _("The book holds bonds and no US Treasury curve is stored to value them on: "
                             "refresh to fetch it"));
      return FALSE;
    }
  fractions = g_new (double, par->n);
  shifts = g_new (double, par->n);
  for (gsize i = 0; i < par->n; i++)
    fractions[i] = par->yield[i] / 100.0;
  if ((*curve = sextant_yield_curve_bootstrap (par->day, par->months, fractions, par->n, error)) == NULL)
    return FALSE;
  sextant_curve_shock_shifts (SEXTANT_CURVE_SHOCK_PARALLEL, rates, par->months, par->n, shifts);
  *day = par->day;
  *shocked = sextant_yield_curve_shifted (*curve, shifts, error);
  return *shocked != NULL;
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
  g_autoptr(SextantYieldCurve) curve = NULL;
  g_autoptr(SextantYieldCurve) shocked = NULL;

  g_return_val_if_fail (cache != NULL && SEXTANT_IS_PORTFOLIO (portfolio), NULL);

  self->portfolio = g_object_ref (portfolio);
  self->lines = g_array_new (FALSE, TRUE, sizeof (SextantRatesShockLine));
  if (sextant_portfolio_get_n_holdings (portfolio) == 0)
    {
      /* Translators: a portfolio's name */
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   _("The portfolio “%s” has no holdings"), sextant_portfolio_get_name (portfolio));
      return NULL;
    }
  if (sextant_portfolio_has_kind (portfolio, SEXTANT_HOLDING_BOND))
    {
      if (!load_curves (cache, rates, &self->day, &curve, &shocked, error))
        return NULL;
      self->curve_day = self->day;
    }
  else
    self->day = sextant_portfolio_has_kind (portfolio, SEXTANT_HOLDING_EQUITY)
                ? latest_close_day (cache, portfolio) : today ();
  if (self->day == 0)
    self->day = today ();
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      SextantRatesShockLine line = { sextant_portfolio_get_holding (portfolio, i) };

      line.currency = g_intern_string (line.holding->currency);
      g_array_append_val (self->lines, line);
    }
  if (!value_stocks (cache, self, error) ||
      !value_others (cache, self, curve, shocked, spreads, error))
    return NULL;
  for (guint i = 0; i < self->lines->len; i++)
    {
      SextantRatesShockLine *line = &g_array_index (self->lines, SextantRatesShockLine, i);
      const double *change = fx != NULL ? g_hash_table_lookup (fx, line->currency) : NULL;

      line->fx_pnl = change != NULL ? (line->value + line->rates_pnl + line->spreads_pnl) * *change : 0;
      self->value += line->value;
      self->rates_pnl += line->rates_pnl;
      self->spreads_pnl += line->spreads_pnl;
      self->fx_pnl += line->fx_pnl;
    }
  return g_steal_pointer (&self);
}
