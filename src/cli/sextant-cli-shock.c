#define G_LOG_DOMAIN "sextant-cli-shock"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sextant-cli-book.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"
#include "sextant-cli-curve.h"

/* `sextant-cli shock --portfolio NAME [--rates ±Nbp] [--fx CUR=±N%] [--spreads ±Nbp]`: what a
 * scenario does to a stored portfolio, holding by holding, in its base currency. */

#define SHOCK_CONVENTIONS \
  "Every holding is valued on one day: the day of the par yield curve (--curve: treasury, the\n" \
  "US Treasury's, from the cache or fetched as `sextant-cli curve` does, or a FILE in its CSV\n" \
  "format) on or before --date when the book holds bonds, else --date (default: the latest\n" \
  "close of its stocks). Bonds settle on that day and are discounted on that one curve plus\n" \
  "their spread (a z-spread, continuously compounded on act/365f time); stocks are worth their\n" \
  "last close on or before it; cash its amount. Amounts in other currencies are converted to\n" \
  "the base currency with the ECB's reference rates of that day or of the 5 days before.\n" \
  "--rates moves every par yield of the curve, which is bootstrapped again, and reprices the\n" \
  "bonds. --spreads moves the spread of the bonds held with one (a bond without is a\n" \
  "government bond) by its spread duration: P&L = -duration x change x value. --fx CUR=±N%\n" \
  "moves what holdings in CUR are worth in the base currency after those moves (repeat it, or\n" \
  "separate with commas). Shocks take bp or % (percentage points): +100bp, -0.5%.\n" \
  "  SEXTANT_TREASURY_BASE_URL, SEXTANT_ECB_BASE_URL  where requests go (tests)\n" \
  "  SEXTANT_DATABASE                                 the database file\n" \
  "Exit status: 0 success, 2 bad usage, 3 bad or missing data, 7 network with nothing cached.\n"

/* Rates kept for the conversion of stocks' closes over the days before the valuation day. */
#define CLOSE_WINDOW_DAYS 31
#define MAX_SHOCK 0.5

typedef struct
{
  double      rates;
  double      spreads;
  GHashTable *fx;   /* currency → change as a fraction (double *) */
} Shocks;

typedef struct
{
  const SextantHolding *holding;
  const char           *currency;
  gint32                as_of;
  double                value;
  double                rates_pnl;
  double                spreads_pnl;
  double                fx_pnl;
  double                dirty_price;
  double                dirty_price_after;
  double                spread_duration;
} ShockLine;

/* "+100bp", "-25bp", "0.5%" (percentage points) as a fraction. */
static gboolean
parse_move (const char  *text,
            const char  *option,
            double      *value,
            GError     **error)
{
  char *end = NULL;
  double number;

  *value = 0;
  if (text == NULL)
    return TRUE;
  number = g_ascii_strtod (text, &end);
  if (end != text && isfinite (number))
    {
      if (g_ascii_strcasecmp (end, "bp") == 0)
        *value = number / 1e4;
      else if (strcmp (end, "%") == 0)
        *value = number / 100;
      else
        end = NULL;
    }
  else
    end = NULL;
  if (end == NULL || !(fabs (*value) <= MAX_SHOCK))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s takes a move in bp or percentage points within ±5000bp, such as +100bp "
                   "or -0.5%%, not “%s”", option, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_fx_one (const char  *text,
              GHashTable  *fx,
              GError     **error)
{
  const char *equals = strchr (text, '=');
  g_autofree char *currency = NULL;
  char *end = NULL;
  double change;

  if (equals != NULL && equals - text == 3 && g_ascii_isalpha (text[0]) &&
      g_ascii_isalpha (text[1]) && g_ascii_isalpha (text[2]))
    {
      currency = g_ascii_strup (text, 3);
      change = g_ascii_strtod (equals + 1, &end);
      if (end != equals + 1 && strcmp (end, "%") == 0 && isfinite (change) && change > -100 &&
          change <= 1000)
        {
          if (g_hash_table_contains (fx, currency))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--fx names %s twice", currency);
              return FALSE;
            }
          g_hash_table_insert (fx, g_steal_pointer (&currency), g_memdup2 (&(double) { change / 100 },
                                                                            sizeof (double)));
          return TRUE;
        }
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--fx takes a currency and its change against the base currency, above -100%%, "
               "such as USD=-10%%, not “%s”", text);
  return FALSE;
}

static gboolean
parse_fx (char       **texts,
          GHashTable  *fx,
          GError     **error)
{
  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (texts[i], ",", -1);

      /* "" splits into nothing: it is a bad value, not no shock. */
      if (parts[0] == NULL)
        return parse_fx_one (texts[i], fx, error);
      for (guint j = 0; parts[j] != NULL; j++)
        if (!parse_fx_one (g_strstrip (parts[j]), fx, error))
          return FALSE;
    }
  return TRUE;
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

/* Fetches the ECB rates of the book's currencies the cache lacks around @day; unreachable, the
 * cache answers alone and stderr says so. */
static gboolean
update_rates (SextantMarketCache  *cache,
              SextantPortfolio    *portfolio,
              gint32               day,
              GError             **error)
{
  g_auto(GStrv) currencies = sextant_book_dup_rate_currencies (cache, portfolio);
  g_autoptr(SextantEcbRates) ecb = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  gint32 first = MAX (day - CLOSE_WINDOW_DAYS - SEXTANT_FX_MAX_STALE_DAYS, SEXTANT_ECB_FIRST_DAY);

  if (currencies[0] == NULL || day < first)
    return TRUE;
  if ((ecb = sextant_ecb_rates_new_from_environment (error)) == NULL)
    return FALSE;
  sextant_ecb_rates_update_cache_async (ecb, cache, (const char * const *) currencies, first, day,
                                        NULL, sextant_cli_store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (sextant_ecb_rates_update_cache_finish (ecb, result, NULL, &local_error))
    return TRUE;
  if (g_error_matches (local_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK))
    {
      g_autofree char *message = sextant_log_writer_redact (local_error->message);

      fprintf (stderr, "sextant-cli shock: offline (%s); exchange rates from the local cache\n",
               message);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
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
               "no ECB exchange rate between %s and %s on %s or in the %d days before it "
               "(sextant-cli fx --base %s %s --date %s fetches it)", currency, base, date,
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
                       "%s is held by weight: a shock's P&L needs the number of shares "
                       "(sextant-cli portfolio add NAME %s --shares N)", h->symbol, h->symbol);
          return FALSE;
        }
      sextant_portfolio_add_holding (stocks, h->symbol, h->quantity, NAN, h->currency);
    }
  if (sextant_portfolio_get_n_holdings (stocks) == 0)
    return TRUE;
  if (!sextant_book_load (&book, cache, stocks, day - CLOSE_WINDOW_DAYS, day, NULL, error))
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    {
      ShockLine *line = &g_array_index (lines, ShockLine, i);

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
value_other (const ShockLine         *line,
             const SextantYieldCurve *curve,
             const SextantYieldCurve *shocked,
             const Shocks            *shocks,
             double                  *value,
             double                  *rates_pnl,
             double                  *spreads_pnl,
             ShockLine               *out,
             GError                 **error)
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
  if (!sextant_yield_curve_price_bond_spread (curve, &bond, spread, &out->dirty_price,
                                              &out->spread_duration, &local_error) ||
      !sextant_yield_curve_price_bond_spread (shocked, &bond, spread, &out->dirty_price_after,
                                              NULL, &local_error))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "%s: %s", h->symbol, local_error->message);
      return FALSE;
    }
  *value = out->dirty_price / 100 * bond.face;
  *rates_pnl = (out->dirty_price_after - out->dirty_price) / 100 * bond.face;
  if (!isnan (h->spread))
    *spreads_pnl = -out->spread_duration * shocks->spreads * *value;
  return TRUE;
}

static gboolean
value_bonds_and_cash (SextantMarketCache      *cache,
                      const char              *base,
                      gint32                   day,
                      const SextantYieldCurve *curve,
                      const SextantYieldCurve *shocked,
                      const Shocks            *shocks,
                      GArray                  *lines,
                      GError                 **error)
{
  for (guint i = 0; i < lines->len; i++)
    {
      ShockLine *line = &g_array_index (lines, ShockLine, i);
      double unit = 1, value = 0, rates_pnl = 0, spreads_pnl = 0;

      if (line->holding->kind == SEXTANT_HOLDING_EQUITY)
        continue;
      if (!value_other (line, curve, shocked, shocks, &value, &rates_pnl, &spreads_pnl, line, error)
          || !unit_value (cache, line->currency, base, day, &unit, error))
        return FALSE;
      line->as_of = day;
      line->value = value * unit;
      line->rates_pnl = rates_pnl * unit;
      line->spreads_pnl = spreads_pnl * unit;
    }
  return TRUE;
}

static void
apply_fx (GArray       *lines,
          const Shocks *shocks)
{
  for (guint i = 0; i < lines->len; i++)
    {
      ShockLine *line = &g_array_index (lines, ShockLine, i);
      const double *change = g_hash_table_lookup (shocks->fx, line->currency);

      line->fx_pnl = change != NULL
                     ? (line->value + line->rates_pnl + line->spreads_pnl) * *change : 0;
    }
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_figures (JsonBuilder *builder,
             double       value,
             double       rates_pnl,
             double       spreads_pnl,
             double       fx_pnl)
{
  add_number (builder, "value", value);
  add_number (builder, "pnl", rates_pnl + spreads_pnl + fx_pnl);
  add_number (builder, "rates_pnl", rates_pnl);
  add_number (builder, "spreads_pnl", spreads_pnl);
  add_number (builder, "fx_pnl", fx_pnl);
}

static void
add_line (JsonBuilder     *builder,
          const ShockLine *line)
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
  add_figures (builder, line->value, line->rates_pnl, line->spreads_pnl, line->fx_pnl);
  if (h->kind == SEXTANT_HOLDING_BOND)
    {
      add_number (builder, "dirty_price", line->dirty_price);
      add_number (builder, "dirty_price_after", line->dirty_price_after);
      add_number (builder, "spread_duration", line->spread_duration);
      add_number (builder, "spread_bp", h->spread * 1e4);
    }
  json_builder_end_object (builder);
}

static void
print_json (SextantPortfolio      *portfolio,
            gint32                 day,
            const SextantParCurve *par,
            const Shocks          *shocks,
            GArray                *lines)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *date = sextant_day_format_iso (day);
  g_autoptr(GList) currencies = g_list_sort (g_hash_table_get_keys (shocks->fx),
                                             (GCompareFunc) g_strcmp0);
  double total[4] = { 0, 0, 0, 0 };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "portfolio");
  json_builder_add_string_value (builder, sextant_portfolio_get_name (portfolio));
  json_builder_set_member_name (builder, "base_currency");
  json_builder_add_string_value (builder, sextant_portfolio_get_base_currency (portfolio));
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, date);
  json_builder_set_member_name (builder, "curve");
  if (par != NULL)
    {
      g_autofree char *curve_date = sextant_day_format_iso (par->day);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, par->source);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, curve_date);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "shocks");
  json_builder_begin_object (builder);
  add_number (builder, "rates_bp", shocks->rates * 1e4);
  add_number (builder, "spreads_bp", shocks->spreads * 1e4);
  json_builder_set_member_name (builder, "fx");
  json_builder_begin_object (builder);
  for (GList *l = currencies; l != NULL; l = l->next)
    add_number (builder, l->data, *(double *) g_hash_table_lookup (shocks->fx, l->data) * 100);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "holdings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < lines->len; i++)
    {
      const ShockLine *line = &g_array_index (lines, ShockLine, i);

      add_line (builder, line);
      total[0] += line->value;
      total[1] += line->rates_pnl;
      total[2] += line->spreads_pnl;
      total[3] += line->fx_pnl;
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_begin_object (builder);
  add_figures (builder, total[0], total[1], total[2], total[3]);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, SEXTANT_FX_ECB_CITATION);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

static void
print_text (SextantPortfolio *portfolio,
            gint32            day,
            GArray           *lines)
{
  g_autofree char *date = sextant_day_format_iso (day);
  double value = 0, pnl = 0;

  printf ("%s: shock P&L on %s, in %s (exchange rates: " SEXTANT_FX_ECB_CITATION ")\n",
          sextant_portfolio_get_name (portfolio), date,
          sextant_portfolio_get_base_currency (portfolio));
  printf ("%-24s %-6s %-4s %16s %14s %14s %14s %14s\n", "holding", "kind", "ccy", "value",
          "rates", "spreads", "fx", "P&L");
  for (guint i = 0; i < lines->len; i++)
    {
      const ShockLine *l = &g_array_index (lines, ShockLine, i);
      double line_pnl = l->rates_pnl + l->spreads_pnl + l->fx_pnl;

      printf ("%-24.24s %-6s %-4s %16.2f %14.2f %14.2f %14.2f %14.2f\n", l->holding->symbol,
              sextant_holding_kind_name (l->holding->kind), l->currency, l->value, l->rates_pnl,
              l->spreads_pnl, l->fx_pnl, line_pnl);
      value += l->value;
      pnl += line_pnl;
    }
  printf ("%-24s %-6s %-4s %16.2f %59.2f\n", "total", "", "", value, pnl);
}

/* The curve of the book's bonds, today's and shocked; the valuation day is its day. */
static gboolean
load_curves (const char          *source,
             gint32               day,
             const Shocks        *shocks,
             SextantParCurve    **par,
             SextantYieldCurve  **curve,
             SextantYieldCurve  **shocked,
             GError             **error)
{
  g_autofree double *fractions = NULL;
  g_autofree double *shifts = NULL;

  if ((*par = sextant_cli_curve_load_par (source, day, error)) == NULL)
    return FALSE;
  fractions = g_new (double, (*par)->n);
  shifts = g_new (double, (*par)->n);
  for (gsize i = 0; i < (*par)->n; i++)
    fractions[i] = (*par)->yield[i] / 100.0;
  if ((*curve = sextant_yield_curve_bootstrap ((*par)->day, (*par)->months, fractions, (*par)->n,
                                               error)) == NULL)
    return FALSE;
  sextant_curve_shock_shifts (SEXTANT_CURVE_SHOCK_PARALLEL, shocks->rates, (*par)->months,
                              (*par)->n, shifts);
  *shocked = sextant_yield_curve_shifted (*curve, shifts, error);
  return *shocked != NULL;
}

static int
run (const char   *name,
     const char   *curve_source,
     gboolean      curve_given,
     gint32        date,
     const Shocks *shocks,
     SextantCliFormat format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(SextantParCurve) par = NULL;
  g_autoptr(SextantYieldCurve) curve = NULL;
  g_autoptr(SextantYieldCurve) shocked = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (ShockLine));
  const char *base;
  gint32 day = date;

  if ((store = sextant_cli_open_book_store (&error)) == NULL)
    return sextant_cli_fail (-1, "shock", error);
  portfolios = sextant_portfolio_store_new (store);
  cache = sextant_market_cache_new (store);
  if ((portfolio = sextant_portfolio_store_load (portfolios, name, &error)) == NULL)
    return sextant_cli_fail (sextant_cli_book_exit_for_error (error), "shock", error);
  base = sextant_portfolio_get_base_currency (portfolio);
  if (g_hash_table_contains (shocks->fx, base))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--fx %s: %s is the base currency of “%s”; shock the other currencies", base,
                   base, name);
      return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "shock", error);
    }
  if (sextant_portfolio_get_n_holdings (portfolio) == 0)
    {
      g_set_error (&error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "The portfolio “%s” has no holdings", name);
      return sextant_cli_fail (-1, "shock", error);
    }
  if (!sextant_market_cache_ensure_demo (cache, &error))
    return sextant_cli_fail (-1, "shock", error);
  /* A curve named on the command line is read even for a book without bonds: a wrong file is
   * said, not passed over. */
  if (curve_given || sextant_portfolio_has_kind (portfolio, SEXTANT_HOLDING_BOND))
    {
      if (!load_curves (curve_source, date, shocks, &par, &curve, &shocked, &error))
        return sextant_cli_fail (-1, "shock", error);
      day = par->day;
    }
  else if (day == 0)
    day = sextant_portfolio_has_kind (portfolio, SEXTANT_HOLDING_EQUITY)
          ? latest_close_day (cache, portfolio) : today ();
  if (day == 0)
    day = today ();

  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      ShockLine line = { sextant_portfolio_get_holding (portfolio, i) };

      line.currency = g_intern_string (line.holding->currency);
      line.dirty_price = line.dirty_price_after = line.spread_duration = NAN;
      g_array_append_val (lines, line);
    }
  if (!update_rates (cache, portfolio, day, &error) ||
      !value_stocks (cache, portfolio, day, lines, &error) ||
      !value_bonds_and_cash (cache, base, day, curve, shocked, shocks, lines, &error))
    return sextant_cli_fail (sextant_cli_book_exit_for_error (error), "shock", error);
  apply_fx (lines, shocks);

  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (portfolio, day, par, shocks, lines);
  else
    print_text (portfolio, day, lines);
  return SEXTANT_CLI_EXIT_OK;
}

/**
 * sextant_cli_shock_main:
 *
 * `sextant-cli shock --portfolio NAME [--rates ±Nbp] [--fx CUR=±N%]… [--spreads ±Nbp]
 * [--curve treasury|FILE] [--date DATE] [--format text|json]`: P&L in the base currency per
 * holding and in total.
 */
int
sextant_cli_shock_main (int    argc,
                        char **argv)
{
  g_autofree char *portfolio = NULL, *rates = NULL, *spreads = NULL, *curve = NULL;
  g_autofree char *date_text = NULL, *format_text = NULL;
  g_auto(GStrv) fx = NULL;
  const GOptionEntry entries[] = {
    { "portfolio", 0, 0, G_OPTION_ARG_STRING, &portfolio, "The stored portfolio", "NAME" },
    { "rates", 0, 0, G_OPTION_ARG_STRING, &rates, "Parallel move of the par yield curve",
      "±Nbp" },
    { "fx", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fx,
      "Change of a currency against the base currency (repeatable)", "CUR=±N%" },
    { "spreads", 0, 0, G_OPTION_ARG_STRING, &spreads, "Move of the bonds' credit spreads",
      "±Nbp" },
    { "curve", 0, 0, G_OPTION_ARG_STRING, &curve,
      "The par yield curve bonds are valued on (default treasury)", "treasury|FILE" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      "Value on the curve of this day or the last before it (default: the newest)", "YYYY-MM-DD" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format (default text)",
      "text|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GHashTable) fx_shocks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  Shocks shocks = { 0, 0, fx_shocks };
  SextantCliFormat format = SEXTANT_CLI_FORMAT_TEXT;
  gint32 day = 0;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "P&L of a rates, FX and credit-spread scenario on a "
                                         "stored portfolio, per holding and in total.");
  g_option_context_set_description (context, SHOCK_CONVENTIONS);
  if (!sextant_cli_parse_options (context, &argc, &argv, "shock", &exit_code))
    return exit_code;
  if (argc != 1)
    return sextant_cli_usage_error (context, "shock", "unexpected arguments");
  if (portfolio == NULL || *portfolio == '\0')
    return sextant_cli_usage_error (context, "shock", "--portfolio is required");
  if (!sextant_cli_parse_format (format_text, (1 << SEXTANT_CLI_FORMAT_TEXT)
                                 | (1 << SEXTANT_CLI_FORMAT_JSON), &format, &error) ||
      !parse_move (rates, "--rates", &shocks.rates, &error) ||
      !parse_move (spreads, "--spreads", &shocks.spreads, &error) ||
      !parse_fx (fx, fx_shocks, &error))
    return sextant_cli_usage_error (context, "shock", error->message);
  if (date_text != NULL && !sextant_day_parse_iso (date_text, &day))
    return sextant_cli_usage_error (context, "shock", "--date must be a date in YYYY-MM-DD form");
  if (curve != NULL && *curve == '\0')
    return sextant_cli_usage_error (context, "shock", "--curve needs treasury or a FILE");

  return run (portfolio, curve != NULL ? curve : "treasury", curve != NULL, day, &shocks, format);
}
