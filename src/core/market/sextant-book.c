#define G_LOG_DOMAIN "sextant-book"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-risk.h"
#include "base/sextant-day.h"
#include "market/sextant-book.h"
#include "market/sextant-ecb-rates.h"
#include "market/sextant-fx-series.h"
#include "market/sextant-market-error.h"

/* A stored portfolio in its base currency. Each holding's closes are converted with the ECB's
 * reference rates in the cache, crossed through the euro, on each of its own dates (a rate of up
 * to SEXTANT_FX_MAX_STALE_DAYS days before stands in for a closed day); a date with no rate at
 * all is an error naming the pair and the date, never a silently shorter history. The columns
 * then meet as a wide CSV of the same converted closes would: every date any of them has, NaN
 * where one has none, so that `risk --portfolio` and `risk --prices` agree to the last digit. */

void
sextant_book_clear (SextantBook *self)
{
  g_clear_object (&self->portfolio);
  g_clear_pointer (&self->closes, sextant_price_table_unref);
  g_clear_pointer (&self->symbols, g_strfreev);
  g_clear_pointer (&self->currencies, g_strfreev);
  g_clear_pointer (&self->weights, g_free);
  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->min_weight, g_free);
  g_clear_pointer (&self->max_weight, g_free);
}

/**
 * sextant_book_dup_holding_currency:
 * @cache: the market cache
 * @portfolio: a portfolio
 * @index: a holding's index
 *
 * The holding's own currency when it has one, else its instrument's when the cache knows it,
 * else the portfolio's base currency.
 *
 * Returns: (transfer full): an ISO 4217 code, upper case
 */
char *
sextant_book_dup_holding_currency (SextantMarketCache *cache,
                                   SextantPortfolio   *portfolio,
                                   guint               index)
{
  const SextantHolding *h;
  g_autofree char *known = NULL;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (portfolio), NULL);
  g_return_val_if_fail (index < sextant_portfolio_get_n_holdings (portfolio), NULL);

  h = sextant_portfolio_get_holding (portfolio, index);
  if (h->currency != NULL && h->currency[0] != '\0')
    return g_ascii_strup (h->currency, -1);
  if (cache != NULL && (known = sextant_market_cache_dup_currency (cache, h->symbol)) != NULL)
    return g_ascii_strup (known, -1);

  return g_ascii_strup (sextant_portfolio_get_base_currency (portfolio), -1);
}

/**
 * sextant_book_dup_rate_currencies:
 * @cache: (nullable): the market cache
 * @portfolio: a portfolio
 *
 * The currencies whose euro reference rates valuing @portfolio in its base currency needs: its
 * holdings' currencies other than the base, and the base itself when one differs; never EUR,
 * the rates' own base.
 *
 * Returns: (transfer full): a %NULL-terminated list, empty when every holding is in the base
 *   currency
 */
char **
sextant_book_dup_rate_currencies (SextantMarketCache *cache,
                                  SextantPortfolio   *portfolio)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base = NULL;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (portfolio), NULL);

  base = g_ascii_strup (sextant_portfolio_get_base_currency (portfolio), -1);
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      char *currency = sextant_book_dup_holding_currency (cache, portfolio, i);

      if (g_strcmp0 (currency, base) == 0 ||
          g_ptr_array_find_with_equal_func (seen, currency, g_str_equal, NULL))
        {
          g_free (currency);
          continue;
        }
      g_ptr_array_add (seen, currency);
    }
  if (seen->len > 0)
    g_ptr_array_add (seen, g_steal_pointer (&base));
  for (guint i = 0; i < seen->len; i++)
    if (g_strcmp0 (seen->pdata[i], "EUR") != 0)
      g_strv_builder_add (builder, seen->pdata[i]);

  return g_strv_builder_end (builder);
}

/**
 * sextant_book_get_rate_range:
 * @cache: the market cache
 * @portfolio: a portfolio
 * @from_day: the first date asked for, or 0
 * @to_day: the last date asked for, or 0
 * @first_day: (out): the first date whose rate the book may need (a few days early, for a
 *   closed day's stand-in), never before the ECB's first
 * @last_day: (out): the last
 *
 * The dates to fetch rates for (sextant_ecb_rates_update_cache_async()) before loading the book:
 * those of its holdings' stored closes within the range.
 *
 * Returns: %FALSE when no holding has a stored close in the range
 */
gboolean
sextant_book_get_rate_range (SextantMarketCache *cache,
                             SextantPortfolio   *portfolio,
                             gint32              from_day,
                             gint32              to_day,
                             gint32             *first_day,
                             gint32             *last_day)
{
  gint32 first = G_MAXINT32, last = 0;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (cache), FALSE);
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (portfolio), FALSE);

  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      SextantBarCoverage coverage = { 0 };

      if (!sextant_market_cache_get_coverage (cache, sextant_portfolio_get_holding (portfolio, i)->symbol,
                                              &coverage, NULL) || coverage.n_bars == 0)
        continue;
      first = MIN (first, coverage.first_day);
      last = MAX (last, coverage.last_day);
    }
  if (from_day > 0)
    first = MAX (first, from_day);
  if (to_day > 0)
    last = MIN (last, to_day);
  first = MAX (first - SEXTANT_FX_MAX_STALE_DAYS, SEXTANT_ECB_FIRST_DAY);
  if (last < first)
    return FALSE;
  *first_day = first;
  *last_day = last;

  return TRUE;
}

static gboolean
check_holdings (SextantPortfolio  *portfolio,
                GError           **error)
{
  if (sextant_portfolio_get_n_holdings (portfolio) == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   _("The portfolio “%s” has no holdings"), sextant_portfolio_get_name (portfolio));
      return FALSE;
    }
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      /* Bonds and cash have no closes to take returns of; `sextant-cli shock` values them. */
      if (h->kind != SEXTANT_HOLDING_EQUITY)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       h->kind == SEXTANT_HOLDING_BOND
                       ? _("%s is a bond: risk figures and optimization take holdings with daily "
                           "closes only")
                       : _("%s is cash: risk figures and optimization take holdings with daily "
                           "closes only"), h->symbol);
          return FALSE;
        }
      if (!isfinite (h->quantity) && !isfinite (h->weight))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       _("%s has neither a number of shares nor a weight"), h->symbol);
          return FALSE;
        }
    }

  return TRUE;
}

/* With no first date given, the history starts where every rate it needs does: the ECB's
 * begin on 1999-01-04, and prices often reach further back. */
static gboolean
first_rate_day (SextantMarketCache  *cache,
                char               **currencies,
                gint32              *day,
                GError             **error)
{
  *day = 0;
  for (guint i = 0; currencies[i] != NULL; i++)
    {
      g_autoptr(SextantFxSeries) rates = sextant_market_cache_get_fx_rates (cache, currencies[i],
                                                                            0, 0, error);
      gsize n, first = 0;

      if (rates == NULL)
        return FALSE;
      n = sextant_fx_series_get_length (rates);
      while (first < n && isnan (sextant_fx_series_get_rates (rates)[first]))
        first++;
      if (first == n)
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
                       _("No ECB exchange rates for %s are stored: fetch them first"),
                       currencies[i]);
          return FALSE;
        }
      *day = MAX (*day, sextant_fx_series_get_days (rates)[first]);
    }

  return TRUE;
}

/* One symbol's cached bars in the range; a symbol with no bars at all needs prices. */
static SextantPriceSeries *
get_closes (SextantMarketCache  *cache,
            const char          *symbol,
            gint32               from,
            gint32               to,
            GError             **error)
{
  SextantBarCoverage coverage = { 0 };

  if (!sextant_market_cache_get_coverage (cache, symbol, &coverage, error))
    return NULL;
  if (coverage.n_bars == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
                   _("%s needs prices: none are stored; import or fetch them"), symbol);
      return NULL;
    }

  return sextant_market_cache_get_bars (cache, symbol, from, to, error);
}

static void
set_missing_rate (GError     **error,
                  const char  *currency,
                  const char  *base,
                  gint32       day,
                  const char  *symbol)
{
  g_autofree char *date = sextant_day_format_iso (day);

  g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
               /* Translators: two currency codes, a date, a number of days, a symbol, a currency */
               _("No ECB exchange rate between %s and %s on %s or in the %d days before it: "
                 "the closes of %s cannot be converted to %s; fetch the rates for these dates "
                 "or choose a later first date"),
               currency, base, date, SEXTANT_FX_MAX_STALE_DAYS, symbol, base);
}

/* @bars in @base, or an error naming the first date that has no rate. */
static SextantPriceSeries *
convert_closes (SextantMarketCache  *cache,
                SextantPriceSeries  *bars,
                const char          *currency,
                const char          *base,
                GError             **error)
{
  g_autoptr(GArray) dropped = NULL;
  g_autoptr(GError) local_error = NULL;
  SextantPriceSeries *converted;

  if (g_strcmp0 (currency, base) == 0 || sextant_price_series_get_length (bars) == 0)
    return sextant_price_series_ref (bars);
  converted = sextant_market_cache_convert_series (cache, bars, currency, base, &dropped,
                                                   &local_error);
  if (converted == NULL)
    {
      if (!g_error_matches (local_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      set_missing_rate (error, currency, base, sextant_price_series_get_days (bars)[0],
                        sextant_price_series_get_symbol (bars));
      return NULL;
    }
  if (dropped->len > 0)
    {
      set_missing_rate (error, currency, base, g_array_index (dropped, gint32, 0),
                        sextant_price_series_get_symbol (bars));
      sextant_price_series_unref (converted);
      return NULL;
    }

  return converted;
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  gint32 da = *(const gint32 *) a, db = *(const gint32 *) b;

  return (da > db) - (da < db);
}

/* Every date any series has, NaN where one has no close: a wide CSV of the same closes. */
static SextantPriceTable *
union_table (GPtrArray *series)
{
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  SextantPriceTable *table;

  for (guint s = 0; s < series->len; s++)
    {
      SextantPriceSeries *one = series->pdata[s];
      const gint32 *d = sextant_price_series_get_days (one);

      g_ptr_array_add (names, (gpointer) sextant_price_series_get_symbol (one));
      for (gsize i = 0; i < sextant_price_series_get_length (one); i++)
        if (g_hash_table_add (seen, GINT_TO_POINTER (d[i])))
          g_array_append_val (days, d[i]);
    }
  g_ptr_array_add (names, NULL);
  g_array_sort (days, compare_days);

  table = sextant_price_table_new (days->len, (const char * const *) names->pdata);
  memcpy (sextant_price_table_get_days_mutable (table), days->data, sizeof (gint32) * days->len);
  for (guint s = 0; s < series->len; s++)
    {
      SextantPriceSeries *one = series->pdata[s];
      const gint32 *d = sextant_price_series_get_days (one);
      const double *close = sextant_price_series_get_close (one);
      double *column = sextant_price_table_get_column_mutable (table, s);
      gsize i = 0;

      for (guint r = 0; r < days->len; r++)
        {
          while (i < sextant_price_series_get_length (one) && d[i] < g_array_index (days, gint32, r))
            i++;
          column[r] = i < sextant_price_series_get_length (one) &&
                      d[i] == g_array_index (days, gint32, r) ? close[i] : NAN;
        }
    }

  return table;
}

/* The last row on which every column has a close, or -1. */
static gssize
last_complete_row (SextantPriceTable *table)
{
  for (gssize r = (gssize) sextant_price_table_get_n_rows (table) - 1; r >= 0; r--)
    {
      gsize j = 0;

      while (j < sextant_price_table_get_n_columns (table) &&
             isfinite (sextant_price_table_get_column (table, j)[r]))
        j++;
      if (j == sextant_price_table_get_n_columns (table))
        return r;
    }

  return -1;
}

/* Holdings stored by weight keep it; those held in shares share the rest by market value in the
 * base currency, which also gives the weight-held ones a value: their weight of the whole. */
static gboolean
compute_weights (SextantBook  *book,
                 gsize         row,
                 GError      **error)
{
  guint n = sextant_portfolio_get_n_holdings (book->portfolio);
  double fixed = 0, value = 0;

  for (guint i = 0; i < n; i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (book->portfolio, i);

      if (isfinite (h->quantity))
        value += (book->weights[i] = h->quantity * sextant_price_table_get_column (book->closes, i)[row]);
      else
        fixed += (book->weights[i] = h->weight);
    }
  book->total_value = NAN;
  for (guint i = 0; i < n; i++)
    book->values[i] = NAN;
  if (value == 0)
    return TRUE;
  if (!(value > 0) || !(fixed < 1))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   _("The holdings stored by weight add up to %g, which leaves no weight for "
                     "those held in shares (market value %g)"), fixed, value);
      return FALSE;
    }
  book->total_value = value / (1 - fixed);
  for (guint i = 0; i < n; i++)
    {
      if (isfinite (sextant_portfolio_get_holding (book->portfolio, i)->quantity))
        book->weights[i] = book->weights[i] / value * (1 - fixed);
      book->values[i] = book->weights[i] * book->total_value;
    }

  return TRUE;
}

static gboolean
load_closes (SextantBook         *book,
             SextantMarketCache  *cache,
             gint32               from,
             gint32               to,
             const char          *benchmark,
             GError             **error)
{
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_price_series_unref);
  const char *base = sextant_portfolio_get_base_currency (book->portfolio);
  guint n = sextant_portfolio_get_n_holdings (book->portfolio);

  for (guint i = 0; i <= n; i++)
    {
      const char *symbol = i < n ? book->symbols[i] : benchmark;
      g_autofree char *benchmark_currency = NULL;
      const char *currency;
      g_autoptr(SextantPriceSeries) bars = NULL;
      SextantPriceSeries *converted;

      if (symbol == NULL)
        break;
      /* A benchmark whose currency is unknown is taken as it is, like a column of a CSV. */
      if (i == n)
        benchmark_currency = sextant_market_cache_dup_currency (cache, symbol);
      currency = i < n ? book->currencies[i] : benchmark_currency != NULL ? benchmark_currency : base;
      if ((bars = get_closes (cache, symbol, from, to, error)) == NULL ||
          (converted = convert_closes (cache, bars, currency, base, error)) == NULL)
        return FALSE;
      g_ptr_array_add (series, converted);
    }
  book->closes = union_table (series);

  return TRUE;
}

/**
 * sextant_book_load:
 * @self: (out caller-allocates): the book, cleared with sextant_book_clear()
 * @cache: the market cache with the closes and the ECB's rates (fetch missing rates first:
 *   sextant_book_dup_rate_currencies() says which)
 * @portfolio: a portfolio
 * @from_day: the first date, or 0 for the oldest on which every rate needed is stored
 * @to_day: the last date, or 0 for the newest
 * @benchmark: (nullable): a symbol whose closes are added as the last column
 * @error: %SEXTANT_MARKET_ERROR_NOT_FOUND for a holding that needs prices or a date without a
 *   rate, %SEXTANT_ANALYTICS_ERROR for a book with no holdings or no shared date
 *
 * Returns: %TRUE when @self holds the book
 */
gboolean
sextant_book_load (SextantBook         *self,
                   SextantMarketCache  *cache,
                   SextantPortfolio    *portfolio,
                   gint32               from_day,
                   gint32               to_day,
                   const char          *benchmark,
                   GError             **error)
{
  g_auto(GStrv) rate_currencies = NULL;
  guint n;
  gssize row;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (cache), FALSE);
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (portfolio), FALSE);

  memset (self, 0, sizeof *self);
  self->portfolio = g_object_ref (portfolio);
  if (!check_holdings (portfolio, error))
    return FALSE;
  rate_currencies = sextant_book_dup_rate_currencies (cache, portfolio);
  if (from_day == 0 && rate_currencies[0] != NULL &&
      !first_rate_day (cache, rate_currencies, &from_day, error))
    return FALSE;

  n = sextant_portfolio_get_n_holdings (portfolio);
  self->symbols = sextant_portfolio_dup_symbols (portfolio);
  self->currencies = g_new0 (char *, n + 1);
  self->weights = g_new (double, n);
  self->values = g_new (double, n);
  self->min_weight = g_new (double, n);
  self->max_weight = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      self->currencies[i] = sextant_book_dup_holding_currency (cache, portfolio, i);
      self->min_weight[i] = sextant_portfolio_get_holding (portfolio, i)->min_weight;
      self->max_weight[i] = sextant_portfolio_get_holding (portfolio, i)->max_weight;
    }
  if (!load_closes (self, cache, from_day, to_day, benchmark, error))
    return FALSE;
  if ((row = last_complete_row (self->closes)) < 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   _("The instruments of “%s” share no date with a close in the chosen range"),
                   sextant_portfolio_get_name (portfolio));
      return FALSE;
    }
  self->last_day = sextant_price_table_get_days (self->closes)[row];

  return compute_weights (self, row, error);
}

static SextantPriceTable *
copy_table (SextantPriceTable *table)
{
  gsize n_rows = sextant_price_table_get_n_rows (table);
  gsize n_columns = sextant_price_table_get_n_columns (table);
  g_autofree const char **names = g_new0 (const char *, n_columns + 1);
  SextantPriceTable *copy;

  for (gsize j = 0; j < n_columns; j++)
    names[j] = sextant_price_table_get_column_name (table, j);
  copy = sextant_price_table_new (n_rows, names);
  memcpy (sextant_price_table_get_days_mutable (copy), sextant_price_table_get_days (table),
          sizeof (gint32) * n_rows);
  for (gsize j = 0; j < n_columns; j++)
    memcpy (sextant_price_table_get_column_mutable (copy, j),
            sextant_price_table_get_column (table, j), sizeof (double) * n_rows);

  return copy;
}

/* One column of @table in @base: NaN where it has no close or no rate. */
static gboolean
convert_column (SextantMarketCache  *cache,
                SextantPriceTable   *table,
                gsize                column,
                const char          *currency,
                const char          *base,
                double              *out,
                GError             **error)
{
  const double *closes = sextant_price_table_get_column (table, column);
  const gint32 *days = sextant_price_table_get_days (table);
  gsize n = sextant_price_table_get_n_rows (table), n_finite = 0, row = 0;
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autoptr(SextantPriceSeries) converted = NULL;
  g_autoptr(GError) local_error = NULL;
  const gint32 *converted_days;

  for (gsize i = 0; i < n; i++)
    {
      out[i] = NAN;
      n_finite += isfinite (closes[i]);
    }
  if (n_finite == 0)
    return TRUE;
  series = sextant_price_series_new (sextant_price_table_get_column_name (table, column), n_finite);
  for (gsize i = 0; i < n; i++)
    if (isfinite (closes[i]))
      sextant_price_series_set_row (series, row++, days[i], closes[i], closes[i], closes[i],
                                    closes[i], 0);
  converted = sextant_market_cache_convert_series (cache, series, currency, base, NULL, &local_error);
  if (converted == NULL)
    {
      if (g_error_matches (local_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  converted_days = sextant_price_series_get_days (converted);
  row = 0;
  for (gsize i = 0; i < n && row < sextant_price_series_get_length (converted); i++)
    if (days[i] == converted_days[row])
      out[i] = sextant_price_series_get_close (converted)[row++];

  return TRUE;
}

/**
 * sextant_book_convert_table:
 * @cache: the market cache with the ECB's rates
 * @table: closes, one column per instrument
 * @currencies: (array zero-terminated=1): each column's currency, in @table's order
 * @base: the currency to convert into
 * @error: return location (storage errors only)
 *
 * @table in @base, for windows that show a book as it is being edited: a close on a date
 * without a rate becomes NaN, which the windows' date alignment then drops and reports, rather
 * than failing the whole table while the rates are being fetched.
 *
 * Returns: (transfer full): a new table, or a reference to @table when no column needs
 *   converting; %NULL on a storage error
 */
SextantPriceTable *
sextant_book_convert_table (SextantMarketCache  *cache,
                            SextantPriceTable   *table,
                            const char * const  *currencies,
                            const char          *base,
                            GError             **error)
{
  g_autoptr(SextantPriceTable) result = NULL;
  gsize n_columns;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (cache), NULL);
  g_return_val_if_fail (table != NULL && currencies != NULL && base != NULL, NULL);

  n_columns = sextant_price_table_get_n_columns (table);
  g_return_val_if_fail (g_strv_length ((char **) currencies) == n_columns, NULL);
  for (gsize j = 0; j < n_columns; j++)
    {
      double *out;

      if (g_ascii_strcasecmp (currencies[j], base) == 0)
        continue;
      if (result == NULL)
        result = copy_table (table);
      out = sextant_price_table_get_column_mutable (result, j);
      if (!convert_column (cache, table, j, currencies[j], base, out, error))
        return NULL;
    }

  return result != NULL ? g_steal_pointer (&result) : sextant_price_table_ref (table);
}

static void
fx_exposure_clear (SextantFxExposure *exposure)
{
  g_free (exposure->currency);
}

/**
 * sextant_book_get_fx_exposure:
 * @self: a loaded book
 *
 * The book by the currency its instruments are priced in, the base currency included, largest
 * share first (then by code).
 *
 * Returns: (transfer full) (element-type SextantFxExposure): one entry per currency
 */
GArray *
sextant_book_get_fx_exposure (const SextantBook *self)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (SextantFxExposure));
  guint n;

  g_return_val_if_fail (self != NULL && self->portfolio != NULL, rows);

  g_array_set_clear_func (rows, (GDestroyNotify) fx_exposure_clear);
  n = sextant_portfolio_get_n_holdings (self->portfolio);
  for (guint i = 0; i < n; i++)
    {
      SextantFxExposure *row = NULL;

      for (guint r = 0; r < rows->len && row == NULL; r++)
        if (g_strcmp0 (g_array_index (rows, SextantFxExposure, r).currency, self->currencies[i]) == 0)
          row = &g_array_index (rows, SextantFxExposure, r);
      if (row == NULL)
        {
          SextantFxExposure fresh = { g_strdup (self->currencies[i]), 0, 0, 0 };

          g_array_append_val (rows, fresh);
          row = &g_array_index (rows, SextantFxExposure, rows->len - 1);
        }
      row->share += self->weights[i];
      row->value += self->values[i];
      row->n_holdings++;
    }
  for (guint r = 0; r < rows->len; r++)
    for (guint s = r + 1; s < rows->len; s++)
      {
        SextantFxExposure *a = &g_array_index (rows, SextantFxExposure, r);
        SextantFxExposure *b = &g_array_index (rows, SextantFxExposure, s);

        if (b->share > a->share || (b->share == a->share && g_strcmp0 (b->currency, a->currency) < 0))
          {
            SextantFxExposure t = *a;

            *a = *b;
            *b = t;
          }
      }

  return rows;
}

/* Units of @base one unit of @currency buys on each ECB date from @from_day to @to_day, crossed
 * through the euro as the book's closes are. */
static SextantFxSeries *
unit_values (SextantMarketCache  *cache,
             const char          *currency,
             const char          *base,
             gint32               from_day,
             gint32               to_day,
             GError             **error)
{
  g_autoptr(SextantFxSeries) from = NULL;
  g_autoptr(SextantFxSeries) to = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_ascii_strcasecmp (currency, "EUR") != 0 &&
      (from = sextant_market_cache_get_fx_rates (cache, currency, from_day, to_day, error)) == NULL)
    return NULL;
  if (g_ascii_strcasecmp (base, "EUR") != 0 &&
      (to = sextant_market_cache_get_fx_rates (cache, base, from_day, to_day, error)) == NULL)
    return NULL;
  return sextant_fx_series_cross (from, to, error);
}

/* The fewest daily changes an FX VaR is computed from: a year of them is the usual window;
 * fewer than a month of them would make a 99 % quantile the worst day or two. */
#define FX_VAR_MIN_CHANGES 20

/**
 * sextant_book_get_fx_var:
 * @self: a loaded book
 * @cache: the market cache with the ECB's rates for the book's range
 * @confidences: (array length=n_levels): e.g. 0.95 and 0.99
 * @n_levels: how many
 * @levels: (out caller-allocates) (array length=n_levels): the FX VaR at each confidence
 * @n_changes: (out): how many daily changes it was computed from
 * @first_day: (out): the first ECB date used
 * @error: return location for an error
 *
 * Historical FX value at risk: each day's change of every foreign currency's value in the base
 * currency, on the ECB dates of the book's range on which all of them have a rate, applied to
 * today's exposure (sextant_book_get_fx_exposure()); the loss quantile is type 7, as for the
 * book's own VaR. A book with no foreign currency has none (all zero).
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_book_get_fx_var (const SextantBook   *self,
                         SextantMarketCache  *cache,
                         const double        *confidences,
                         guint                n_levels,
                         SextantFxVar        *levels,
                         guint               *n_changes,
                         gint32              *first_day,
                         GError             **error)
{
  const char *base;
  g_autoptr(GArray) exposure = NULL;
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_fx_series_unref);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree double *previous = NULL;
  gint32 from_day;
  gboolean have_previous = FALSE;

  g_return_val_if_fail (self != NULL && self->portfolio != NULL && self->closes != NULL, FALSE);
  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (cache), FALSE);

  base = sextant_portfolio_get_base_currency (self->portfolio);
  from_day = sextant_price_table_get_days (self->closes)[0];
  *n_changes = 0;
  *first_day = 0;
  for (guint l = 0; l < n_levels; l++)
    levels[l] = (SextantFxVar) { confidences[l], 0, 0, 0 };
  if (!isfinite (self->total_value) || self->total_value <= 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   _("“%s” has no value in money (only weights), so its FX value at risk has no amount"),
                   sextant_portfolio_get_name (self->portfolio));
      return FALSE;
    }

  exposure = sextant_book_get_fx_exposure (self);
  for (guint r = 0; r < exposure->len; r++)
    {
      const SextantFxExposure *row = &g_array_index (exposure, SextantFxExposure, r);
      SextantFxSeries *series;

      if (g_ascii_strcasecmp (row->currency, base) == 0 || row->value == 0)
        continue;
      if ((series = unit_values (cache, row->currency, base, from_day, self->last_day, error)) == NULL)
        return FALSE;
      g_ptr_array_add (units, series);
      g_array_append_val (values, row->value);
    }
  if (units->len == 0)
    return TRUE;

  /* The dates of the first currency's series on which every currency has a rate. */
  previous = g_new (double, units->len);
  {
    SextantFxSeries *first = units->pdata[0];
    const gint32 *days = sextant_fx_series_get_days (first);

    for (gsize i = 0; i < sextant_fx_series_get_length (first); i++)
      {
        g_autofree double *now = g_new (double, units->len);
        gboolean complete = days[i] >= from_day && days[i] <= self->last_day;
        double pnl = 0;

        for (guint c = 0; c < units->len && complete; c++)
          {
            gint32 rate_day = 0;

            now[c] = sextant_fx_series_lookup (units->pdata[c], days[i], 0, &rate_day);
            complete = isfinite (now[c]) && now[c] > 0 && rate_day == days[i];
          }
        if (!complete)
          continue;
        if (have_previous)
          {
            for (guint c = 0; c < units->len; c++)
              pnl += g_array_index (values, double, c) * (now[c] / previous[c] - 1);
            pnl /= self->total_value;
            g_array_append_val (changes, pnl);
          }
        else
          *first_day = days[i];
        memcpy (previous, now, units->len * sizeof (double));
        have_previous = TRUE;
      }
  }
  *n_changes = changes->len;
  if (changes->len < FX_VAR_MIN_CHANGES)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   _("Only %u daily changes of the exchange rates in the range; an FX value at risk "
                     "needs at least %d"), changes->len, FX_VAR_MIN_CHANGES);
      return FALSE;
    }
  for (guint l = 0; l < n_levels; l++)
    {
      double var, es;

      if (!sextant_var_historical ((const double *) changes->data, changes->len, confidences[l], &var, &es,
                                   error))
        return FALSE;
      levels[l].share = var;
      levels[l].var = var * self->total_value;
      levels[l].es = es * self->total_value;
    }

  return TRUE;
}
