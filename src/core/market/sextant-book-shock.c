#define G_LOG_DOMAIN "sextant-book-shock"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-curve-shock.h"
#include "analytics/sextant-yield-curve.h"
#include "base/sextant-day.h"
#include "base/sextant-json-util.h"
#include "market/sextant-book.h"
#include "market/sextant-book-shock.h"
#include "market/sextant-fx-series.h"
#include "market/sextant-market-error.h"

/* One shock valuation for `sextant-cli shock` and the desks' `shock_portfolio`, so that a
 * desk's figure is the command's (issue 17). Every holding is valued on one day: the newest of
 * the curves' days when there are curves (each curve at most SEXTANT_FX_MAX_STALE_DAYS older,
 * its rates taken as that day's), else the day asked for, else the latest close of the book's
 * stocks. A bond is valued on the curve of its own currency only — a dollar bond on the
 * Treasury's, a euro bond on the ECB's — never on another's. Bonds settle on the valuation day
 * and are discounted on their curve (par yields bootstrapped, or published zero rates) plus
 * their spread (a z-spread, continuously compounded on act/365f time); stocks are worth their
 * last close on or before it; cash its amount. Other currencies are converted with the ECB's
 * reference rates of that day or of the SEXTANT_FX_MAX_STALE_DAYS before. The rates move
 * shifts every rate of every curve (par yields, or zero rates) and builds the curves again; the
 * spread move acts through a bond's spread duration; a currency's move acts on what its
 * holdings are worth after those. These are the conventions
 * tests/data/shock/make_shock_reference.py checks with QuantLib. */

/**
 * sextant_shock_scenario_init:
 * @self: a scenario to initialise
 *
 * No move: rates and spreads 0, no currency moved.
 */
void
sextant_shock_scenario_init (SextantShockScenario *self)
{
  self->rates = 0;
  self->spreads = 0;
  self->fx = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

void
sextant_shock_scenario_clear (SextantShockScenario *self)
{
  g_clear_pointer (&self->fx, g_hash_table_unref);
}

/**
 * sextant_shock_scenario_add_fx:
 * @self: a scenario
 * @currency: an ISO 4217 code (any case)
 * @change: the change of what one unit of it is worth in the base currency, a fraction
 *
 * Returns: %FALSE when @currency is moved already (the scenario is left as it was)
 */
gboolean
sextant_shock_scenario_add_fx (SextantShockScenario *self,
                               const char           *currency,
                               double                change)
{
  g_autofree char *code = g_ascii_strup (currency, -1);

  if (g_hash_table_contains (self->fx, code))
    return FALSE;
  g_hash_table_insert (self->fx, g_steal_pointer (&code), g_memdup2 (&change, sizeof change));
  return TRUE;
}

static void
shock_curve_free (SextantShockCurve *curve)
{
  g_free (curve->currency);
  sextant_par_curve_free (curve->rates);
  g_free (curve);
}

void
sextant_book_shock_clear (SextantBookShock *self)
{
  g_clear_object (&self->portfolio);
  g_clear_pointer (&self->curves, g_ptr_array_unref);
  g_clear_pointer (&self->curve_source, g_free);
  g_clear_pointer (&self->fx, g_hash_table_unref);
  g_clear_pointer (&self->lines, g_array_unref);
}

static gint32
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return sextant_day_from_ymd (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now));
}

/* The last day on which every stock of the book may have a close (the earliest of their newest
 * closes), or 0. */
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

/**
 * sextant_book_shock_add_curve:
 * @self: a zeroed shock, before sextant_book_shock_run()
 * @currency: the ISO 4217 code (any case) of the bonds @rates values
 * @kind: what @rates are
 * @rates: the curve's day, tenors and rates in percent (copied)
 *
 * Returns: %FALSE when @currency has a curve already (@self is left as it was)
 */
gboolean
sextant_book_shock_add_curve (SextantBookShock      *self,
                              const char            *currency,
                              SextantShockCurveKind  kind,
                              const SextantParCurve *rates)
{
  SextantShockCurve *curve;

  g_return_val_if_fail (self != NULL && currency != NULL && rates != NULL, FALSE);

  if (sextant_book_shock_get_curve (self, currency) != NULL)
    return FALSE;
  if (self->curves == NULL)
    self->curves = g_ptr_array_new_with_free_func ((GDestroyNotify) shock_curve_free);
  curve = g_new0 (SextantShockCurve, 1);
  curve->currency = g_ascii_strup (currency, -1);
  curve->kind = kind;
  curve->rates = sextant_par_curve_new (rates->day, rates->source);
  curve->rates->fetched_at = rates->fetched_at;
  for (gsize i = 0; i < rates->n; i++)
    sextant_par_curve_add (curve->rates, rates->months[i], rates->yield[i]);
  g_ptr_array_add (self->curves, curve);
  return TRUE;
}

/**
 * sextant_book_shock_get_curve:
 * @self: a shock
 * @currency: an ISO 4217 code (any case)
 *
 * Returns: (nullable) (transfer none): the curve of @currency's bonds
 */
const SextantShockCurve *
sextant_book_shock_get_curve (const SextantBookShock *self,
                              const char             *currency)
{
  for (guint i = 0; self->curves != NULL && i < self->curves->len; i++)
    {
      const SextantShockCurve *curve = self->curves->pdata[i];

      if (g_ascii_strcasecmp (curve->currency, currency) == 0)
        return curve;
    }
  return NULL;
}

/**
 * sextant_book_shock_holds_bonds_in:
 * @portfolio: a portfolio
 * @currency: an ISO 4217 code (any case)
 *
 * Returns: whether @portfolio holds a bond in @currency (which then needs that currency's curve)
 */
gboolean
sextant_book_shock_holds_bonds_in (SextantPortfolio *portfolio,
                                   const char       *currency)
{
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      if (h->kind == SEXTANT_HOLDING_BOND && g_ascii_strcasecmp (h->currency, currency) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The curves Sextant knows a currency's government bonds by, as the cache stores them. */
static const struct
{
  const char            *currency;
  const char            *source;
  SextantShockCurveKind  kind;
  const char            *name;
  const char            *cli_source;
} known_curves[] = {
  { "USD", "treasury", SEXTANT_SHOCK_CURVE_PAR, N_("US Treasury par yield"), "treasury" },
  { "EUR", "ecb-aaa-spot", SEXTANT_SHOCK_CURVE_ZERO, N_("ECB euro-area AAA spot rate"), "ecb" },
};

/**
 * sextant_book_shock_add_cached_curves:
 * @self: a zeroed shock (curves added already are kept)
 * @cache: the market cache (read only; nothing is fetched)
 * @portfolio: the portfolio
 * @day: the curves of this day or the last before it, 0 for the newest
 * @error: return location for an error naming the curve the cache lacks
 *
 * Adds, for each currency @portfolio holds bonds in that has no curve yet, the cached curve
 * Sextant values it on: the US Treasury's par curve for USD, the ECB's euro-area AAA spot
 * curve for EUR. Other currencies get none (sextant_book_shock_run() then names the bond).
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_book_shock_add_cached_curves (SextantBookShock    *self,
                                      SextantMarketCache  *cache,
                                      SextantPortfolio    *portfolio,
                                      gint32               day,
                                      GError             **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (known_curves); i++)
    {
      g_autoptr(SextantParCurve) rates = NULL;

      if (!sextant_book_shock_holds_bonds_in (portfolio, known_curves[i].currency) ||
          sextant_book_shock_get_curve (self, known_curves[i].currency) != NULL)
        continue;
      if (!sextant_market_cache_get_par_curve (cache, known_curves[i].source, day, &rates, error))
        return FALSE;
      if (rates == NULL)
        {
          g_autofree char *date = day > 0 ? sextant_day_format_iso (day) : NULL;

          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
                       _("“%s” holds %s bonds and the local cache has no %s curve on or before "
                         "%s to value them on; fetch it with “sextant-cli curve --source %s”"),
                       sextant_portfolio_get_name (portfolio), known_curves[i].currency,
                       _(known_curves[i].name), date != NULL ? date : _("today"),
                       known_curves[i].cli_source);
          return FALSE;
        }
      sextant_book_shock_add_curve (self, known_curves[i].currency, known_curves[i].kind, rates);
    }
  return TRUE;
}

/* The newest of the curves' days, 0 without curves. */
static gint32
newest_curve_day (const SextantBookShock *self)
{
  gint32 newest = 0;

  for (guint i = 0; self->curves != NULL && i < self->curves->len; i++)
    newest = MAX (newest, ((SextantShockCurve *) self->curves->pdata[i])->rates->day);
  return newest;
}

/**
 * sextant_book_shock_pick_day:
 * @self: a shock with its curves added
 * @cache: the market cache
 * @portfolio: the portfolio
 * @day: the day asked for, or 0
 *
 * The valuation day sextant_book_shock_run() will use: the newest of @self's curves' days,
 * else @day, else the last day on which every stock of @portfolio has a close, else today. A
 * caller fetches the exchange rates of the days before it first.
 *
 * Returns: a day (days since 1970-01-01)
 */
gint32
sextant_book_shock_pick_day (const SextantBookShock *self,
                             SextantMarketCache     *cache,
                             SextantPortfolio       *portfolio,
                             gint32                  day)
{
  gint32 newest;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (portfolio), 0);

  if ((newest = newest_curve_day (self)) != 0)
    return newest;
  if (day == 0 && sextant_portfolio_has_kind (portfolio, SEXTANT_HOLDING_EQUITY))
    day = latest_close_day (cache, portfolio);
  return day != 0 ? day : today ();
}

/* What one unit of @currency is worth in @base on @day (or the latest of the days before that
 * the ECB's rates allow). */
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
  g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
               _("no ECB exchange rate between %s and %s on %s or in the %d days before it "
                 "(sextant-cli fx --base %s %s --date %s fetches it)"), currency, base, date,
               SEXTANT_FX_MAX_STALE_DAYS, base, currency, date);
  return FALSE;
}

/* The stocks of the book valued by a SextantBook (closes in the base currency) on @day. */
static gboolean
value_stocks (SextantMarketCache  *cache,
              SextantPortfolio    *portfolio,
              gint32               day,
              GArray              *lines,
              GError             **error)
{
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
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       _("%s is held by weight: a shock's P&L needs the number of shares "
                         "(sextant-cli portfolio add NAME %s --shares N)"), h->symbol, h->symbol);
          return FALSE;
        }
      sextant_portfolio_add_holding (stocks, h->symbol, h->quantity, NAN, h->currency);
    }
  if (sextant_portfolio_get_n_holdings (stocks) == 0)
    return TRUE;
  if (!sextant_book_load (&book, cache, stocks, day - SEXTANT_BOOK_SHOCK_CLOSE_WINDOW_DAYS, day,
                          NULL, error))
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    {
      SextantShockLine *line = &g_array_index (lines, SextantShockLine, i);

      if (line->holding->kind != SEXTANT_HOLDING_EQUITY)
        continue;
      line->value = book.values[k];
      line->currency = g_intern_string (book.currencies[k]);
      line->as_of = book.last_day;
      k++;
    }
  return TRUE;
}

/* A bond or cash in its own currency; the rates and spread moves of a bond. */
static gboolean
value_other (SextantShockLine           *line,
             const SextantYieldCurve    *curve,
             const SextantYieldCurve    *shocked,
             const SextantShockScenario *scenario,
             double                     *value,
             double                     *rates_pnl,
             double                     *spreads_pnl,
             GError                    **error)
{
  const SextantHolding *h = line->holding;
  SextantBond bond = h->bond;
  double spread = isnan (h->spread) ? 0 : h->spread;
  g_autoptr(GError) local_error = NULL;

  *rates_pnl = *spreads_pnl = 0;
  if (h->kind == SEXTANT_HOLDING_CASH)
    {
      *value = h->quantity;
      return TRUE;
    }
  bond.face = h->quantity;
  if (!sextant_yield_curve_price_bond_spread (curve, &bond, spread, &line->dirty_price,
                                              &line->spread_duration, &local_error) ||
      !sextant_yield_curve_price_bond_spread (shocked, &bond, spread, &line->dirty_price_after,
                                              NULL, &local_error))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "%s: %s", h->symbol, local_error->message);
      return FALSE;
    }
  *value = line->dirty_price / 100 * bond.face;
  *rates_pnl = (line->dirty_price_after - line->dirty_price) / 100 * bond.face;
  /* A bond held without a spread is a government bond: no credit spread to move. */
  if (!isnan (h->spread))
    *spreads_pnl = -line->spread_duration * scenario->spreads * *value;
  return TRUE;
}

/* A curve of the shock built for the valuation day, as it is and moved by the rates. */
typedef struct
{
  const SextantShockCurve *spec;
  SextantYieldCurve       *curve;
  SextantYieldCurve       *shocked;
} BuiltCurve;

static void
built_curve_clear (BuiltCurve *built)
{
  g_clear_pointer (&built->curve, sextant_yield_curve_free);
  g_clear_pointer (&built->shocked, sextant_yield_curve_free);
}

static gboolean
value_bonds_and_cash (SextantMarketCache         *cache,
                      SextantPortfolio           *portfolio,
                      gint32                      day,
                      GArray                     *built,
                      const SextantShockScenario *scenario,
                      GArray                     *lines,
                      GError                    **error)
{
  const char *base = sextant_portfolio_get_base_currency (portfolio);

  for (guint i = 0; i < lines->len; i++)
    {
      SextantShockLine *line = &g_array_index (lines, SextantShockLine, i);
      const BuiltCurve *curve = NULL;
      double unit = 1, value = 0, rates_pnl = 0, spreads_pnl = 0;

      if (line->holding->kind == SEXTANT_HOLDING_EQUITY)
        continue;
      for (guint k = 0; k < built->len && line->holding->kind == SEXTANT_HOLDING_BOND; k++)
        if (g_ascii_strcasecmp (g_array_index (built, BuiltCurve, k).spec->currency,
                                line->currency) == 0)
          curve = &g_array_index (built, BuiltCurve, k);
      g_assert (line->holding->kind != SEXTANT_HOLDING_BOND || curve != NULL);
      if (!value_other (line, curve != NULL ? curve->curve : NULL,
                        curve != NULL ? curve->shocked : NULL, scenario, &value, &rates_pnl,
                        &spreads_pnl, error)
          || !unit_value (cache, line->currency, base, day, &unit, error))
        return FALSE;
      line->as_of = day;
      line->value = value * unit;
      line->rates_pnl = rates_pnl * unit;
      line->spreads_pnl = spreads_pnl * unit;
    }
  return TRUE;
}

/* The currency moves act on what a holding is worth after the rates and spread moves, so the
 * parts add up to a full revaluation. */
static void
apply_fx (GArray                     *lines,
          const SextantShockScenario *scenario)
{
  for (guint i = 0; i < lines->len; i++)
    {
      SextantShockLine *line = &g_array_index (lines, SextantShockLine, i);
      const double *change = g_hash_table_lookup (scenario->fx, line->currency);

      line->fx_pnl = change != NULL
                     ? (line->value + line->rates_pnl + line->spreads_pnl) * *change : 0;
      line->pnl = line->rates_pnl + line->spreads_pnl + line->fx_pnl;
    }
}

/* A curve on @day from @rates (percent) moved by @move, a fraction. */
static SextantYieldCurve *
build_one (const SextantShockCurve  *spec,
           gint32                    day,
           const double             *move,
           GError                  **error)
{
  const SextantParCurve *rates = spec->rates;
  g_autofree double *fractions = g_new (double, MAX (rates->n, 1));
  g_autoptr(GError) local_error = NULL;
  SextantYieldCurve *curve;

  for (gsize i = 0; i < rates->n; i++)
    fractions[i] = rates->yield[i] / 100.0 + move[i];
  if (spec->kind == SEXTANT_SHOCK_CURVE_ZERO)
    curve = sextant_yield_curve_from_zero (day, rates->months, fractions, rates->n, &local_error);
  else
    curve = sextant_yield_curve_bootstrap (day, rates->months, fractions, rates->n, &local_error);
  if (curve == NULL)
    g_set_error (error, local_error->domain, local_error->code, _("The %s curve (%s): %s"),
                 spec->currency, rates->source, local_error->message);
  return curve;
}

/* Each currency's curve on the valuation day, as it is and moved by the scenario's rates; a
 * curve much older than the day would value its bonds on stale rates. */
static gboolean
build_curves (const SextantBookShock      *self,
              gint32                       day,
              const SextantShockScenario  *scenario,
              GArray                      *built,
              GError                     **error)
{
  for (guint i = 0; self->curves != NULL && i < self->curves->len; i++)
    {
      const SextantShockCurve *spec = self->curves->pdata[i];
      const SextantParCurve *rates = spec->rates;
      g_autofree double *none = g_new0 (double, MAX (rates->n, 1));
      g_autofree double *shifts = g_new (double, MAX (rates->n, 1));
      BuiltCurve one = { spec, NULL, NULL };

      if (day - rates->day > SEXTANT_FX_MAX_STALE_DAYS || rates->day > day)
        {
          g_autofree char *curve_date = sextant_day_format_iso (rates->day);
          g_autofree char *date = sextant_day_format_iso (day);

          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
                       _("The %s curve (%s) is of %s, more than %d days from the valuation day "
                         "%s"), spec->currency, rates->source, curve_date,
                       SEXTANT_FX_MAX_STALE_DAYS, date);
          return FALSE;
        }
      sextant_curve_shock_shifts (SEXTANT_CURVE_SHOCK_PARALLEL, scenario->rates, rates->months,
                                  rates->n, shifts);
      one.curve = build_one (spec, day, none, error);
      if (one.curve != NULL)
        one.shocked = build_one (spec, day, shifts, error);
      g_array_append_val (built, one);
      if (one.shocked == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * sextant_book_shock_run:
 * @self: (inout caller-allocates): a zeroed shock with the curves of the book's bonds added
 *   (sextant_book_shock_add_curve()); the result goes there
 * @cache: the market cache: the stocks' closes and the ECB's rates (nothing is fetched)
 * @portfolio: the portfolio, with every stock held by a number of shares
 * @day: the valuation day without curves, or 0 (see sextant_book_shock_pick_day())
 * @scenario: the moves; the base currency may not be among its currencies
 * @error: return location for an error naming the holding, pair, curve or day that is missing
 *
 * Values @portfolio on one day and applies @scenario to it, holding by holding, in the
 * portfolio's base currency (the conventions are at the top of this file). A bond whose
 * currency has no curve is an error.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_book_shock_run (SextantBookShock            *self,
                        SextantMarketCache          *cache,
                        SextantPortfolio            *portfolio,
                        gint32                       day,
                        const SextantShockScenario  *scenario,
                        GError                     **error)
{
  g_autoptr(GArray) built = g_array_new (FALSE, TRUE, sizeof (BuiltCurve));
  g_autoptr(GArray) lines = NULL;
  const SextantShockCurve *first;
  const char *base;
  SextantShockLine total = { NULL };

  g_return_val_if_fail (self != NULL && self->lines == NULL, FALSE);
  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (cache), FALSE);
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (portfolio), FALSE);
  g_return_val_if_fail (scenario != NULL && scenario->fx != NULL, FALSE);

  g_array_set_clear_func (built, (GDestroyNotify) built_curve_clear);
  base = sextant_portfolio_get_base_currency (portfolio);
  if (g_hash_table_contains (scenario->fx, base))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   _("%s is the base currency of “%s”; shock the other currencies"), base,
                   sextant_portfolio_get_name (portfolio));
      return FALSE;
    }
  if (sextant_portfolio_get_n_holdings (portfolio) == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   _("The portfolio “%s” has no holdings"), sextant_portfolio_get_name (portfolio));
      return FALSE;
    }
  /* Discounting a bond on another currency's curve would give a plausible, wrong number. */
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      if (h->kind == SEXTANT_HOLDING_BOND && sextant_book_shock_get_curve (self, h->currency) == NULL)
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
                       _("The bond %s of “%s” is in %s, and there is no %s yield curve to value it "
                         "on (a bond is valued on its own currency's curve only)"),
                       h->symbol, sextant_portfolio_get_name (portfolio), h->currency, h->currency);
          return FALSE;
        }
    }
  day = sextant_book_shock_pick_day (self, cache, portfolio, day);
  if (!build_curves (self, day, scenario, built, error))
    return FALSE;

  lines = g_array_new (FALSE, TRUE, sizeof (SextantShockLine));
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      SextantShockLine line = { sextant_portfolio_get_holding (portfolio, i) };

      line.currency = g_intern_string (line.holding->currency);
      line.dirty_price = line.dirty_price_after = line.spread_duration = NAN;
      g_array_append_val (lines, line);
    }
  if (!value_stocks (cache, portfolio, day, lines, error) ||
      !value_bonds_and_cash (cache, portfolio, day, built, scenario, lines, error))
    return FALSE;
  apply_fx (lines, scenario);

  for (guint i = 0; i < lines->len; i++)
    {
      const SextantShockLine *line = &g_array_index (lines, SextantShockLine, i);

      total.value += line->value;
      total.rates_pnl += line->rates_pnl;
      total.spreads_pnl += line->spreads_pnl;
      total.fx_pnl += line->fx_pnl;
    }
  total.pnl = total.rates_pnl + total.spreads_pnl + total.fx_pnl;
  total.currency = g_intern_string (base);
  total.as_of = day;
  total.dirty_price = total.dirty_price_after = total.spread_duration = NAN;

  first = self->curves != NULL && self->curves->len > 0 ? self->curves->pdata[0] : NULL;
  g_set_object (&self->portfolio, portfolio);
  self->day = day;
  g_free (self->curve_source);
  self->curve_source = first != NULL ? g_strdup (first->rates->source) : NULL;
  self->curve_day = first != NULL ? first->rates->day : 0;
  self->rates = scenario->rates;
  self->spreads = scenario->spreads;
  g_clear_pointer (&self->fx, g_hash_table_unref);
  self->fx = g_hash_table_ref (scenario->fx);
  self->lines = g_steal_pointer (&lines);
  self->total = total;
  return TRUE;
}

static void
add_figures (JsonBuilder            *builder,
             const SextantShockLine *line)
{
  sextant_json_add_double (builder, "value", line->value);
  sextant_json_add_double (builder, "pnl", line->pnl);
  sextant_json_add_double (builder, "rates_pnl", line->rates_pnl);
  sextant_json_add_double (builder, "spreads_pnl", line->spreads_pnl);
  sextant_json_add_double (builder, "fx_pnl", line->fx_pnl);
}

static void
add_line (JsonBuilder            *builder,
          const SextantShockLine *line)
{
  const SextantHolding *h = line->holding;
  g_autofree char *as_of = sextant_day_format_iso (line->as_of);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "symbol");
  json_builder_add_string_value (builder, h->symbol);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, sextant_holding_kind_name (h->kind));
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, line->currency);
  json_builder_set_member_name (builder, "as_of");
  json_builder_add_string_value (builder, as_of);
  add_figures (builder, line);
  if (h->kind == SEXTANT_HOLDING_BOND)
    {
      sextant_json_add_double (builder, "dirty_price", line->dirty_price);
      sextant_json_add_double (builder, "dirty_price_after", line->dirty_price_after);
      sextant_json_add_double (builder, "spread_duration", line->spread_duration);
      sextant_json_add_double (builder, "spread_bp", h->spread * 1e4);
    }
  json_builder_end_object (builder);
}

/**
 * sextant_book_shock_to_json:
 * @self: a shock's result
 *
 * The result as `sextant-cli shock --format json` prints it: `portfolio`, `base_currency`,
 * `date`, `curve` (the first curve's `source` and `date`, or null), `curves` (each curve's
 * `currency`, `source`, `date` and `rates`, par or zero), `shocks` (`rates_bp`, `spreads_bp`, `fx` in
 * percent by currency), `holdings` (each with `symbol`, `kind`, `currency`, `as_of`, `value`,
 * `pnl`, `rates_pnl`, `spreads_pnl`, `fx_pnl`, and a bond's `dirty_price`, `dirty_price_after`,
 * `spread_duration` and `spread_bp`), `total` and `source`.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
sextant_book_shock_to_json (const SextantBookShock *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *date = sextant_day_format_iso (self->day);
  g_autoptr(GList) currencies = g_list_sort (g_hash_table_get_keys (self->fx),
                                             (GCompareFunc) g_strcmp0);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "portfolio");
  json_builder_add_string_value (builder, sextant_portfolio_get_name (self->portfolio));
  json_builder_set_member_name (builder, "base_currency");
  json_builder_add_string_value (builder, sextant_portfolio_get_base_currency (self->portfolio));
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, date);
  json_builder_set_member_name (builder, "curve");
  if (self->curve_day != 0)
    {
      g_autofree char *curve_date = sextant_day_format_iso (self->curve_day);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, self->curve_source);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, curve_date);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "curves");
  json_builder_begin_array (builder);
  for (guint i = 0; self->curves != NULL && i < self->curves->len; i++)
    {
      const SextantShockCurve *curve = self->curves->pdata[i];
      g_autofree char *curve_date = sextant_day_format_iso (curve->rates->day);

      json_builder_begin_object (builder);
      sextant_json_add_string (builder, "currency", curve->currency);
      sextant_json_add_string (builder, "source", curve->rates->source);
      sextant_json_add_string (builder, "date", curve_date);
      sextant_json_add_string (builder, "rates", curve->kind == SEXTANT_SHOCK_CURVE_ZERO
                                                 ? "zero" : "par");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "shocks");
  json_builder_begin_object (builder);
  sextant_json_add_double (builder, "rates_bp", self->rates * 1e4);
  sextant_json_add_double (builder, "spreads_bp", self->spreads * 1e4);
  json_builder_set_member_name (builder, "fx");
  json_builder_begin_object (builder);
  for (GList *l = currencies; l != NULL; l = l->next)
    sextant_json_add_double (builder, l->data, *(double *) g_hash_table_lookup (self->fx, l->data) * 100);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "holdings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->lines->len; i++)
    add_line (builder, &g_array_index (self->lines, SextantShockLine, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_begin_object (builder);
  add_figures (builder, &self->total);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, SEXTANT_FX_ECB_CITATION);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
