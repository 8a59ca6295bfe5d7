#define G_LOG_DOMAIN "sextant-cli-book"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-cli-book.h"
#include "sextant-cli-common.h"

G_DEFINE_QUARK (sextant-cli-book-error-quark, sextant_cli_book_error)

void
sextant_cli_book_clear (SextantCliBook *self)
{
  g_clear_object (&self->portfolio);
  g_clear_pointer (&self->closes, sextant_price_table_unref);
  g_clear_pointer (&self->symbols, g_strfreev);
  g_clear_pointer (&self->weights, g_free);
  g_clear_pointer (&self->min_weight, g_free);
  g_clear_pointer (&self->max_weight, g_free);
}

/**
 * sextant_cli_open_book_store:
 * @error: return location for an error
 *
 * The default database (`SEXTANT_DATABASE` overrides it), seeded on its first use as the app
 * seeds it (sextant_workspace_seed_store()).
 *
 * Returns: (transfer full): the store, or %NULL
 */
SextantStore *
sextant_cli_open_book_store (GError **error)
{
  g_autoptr(SextantStore) store = sextant_schema_open_default (error);

  if (store == NULL || !sextant_workspace_seed_store (store, error))
    return NULL;

  return g_steal_pointer (&store);
}

/**
 * sextant_cli_book_exit_for_error:
 * @error: what ended a portfolio command
 *
 * An unknown portfolio or holding, and a name already taken, are the user's input (3), not a
 * storage failure (8); the rest maps as for every command.
 */
int
sextant_cli_book_exit_for_error (const GError *error)
{
  if (g_error_matches (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND) ||
      g_error_matches (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT))
    return SEXTANT_CLI_EXIT_INPUT;

  return sextant_cli_exit_for_error (error);
}

static gboolean
parse_day (const char  *text,
           const char  *option,
           gint32      *day,
           GError     **error)
{
  if (text == NULL || sextant_day_parse_iso (text, day))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s takes a date such as 2001-01-31, not “%s”", option, text);

  return FALSE;
}

static gboolean
check_holdings (SextantPortfolio  *portfolio,
                GError           **error)
{
  const char *base = sextant_portfolio_get_base_currency (portfolio);

  if (sextant_portfolio_get_n_holdings (portfolio) == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "The portfolio “%s” has no holdings; add some with “sextant-cli portfolio add”",
                   sextant_portfolio_get_name (portfolio));
      return FALSE;
    }
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      if (h->currency != NULL && g_ascii_strcasecmp (h->currency, base) != 0)
        {
          g_set_error (error, SEXTANT_CLI_BOOK_ERROR, SEXTANT_CLI_BOOK_ERROR_NO_FX,
                       "%s is held in %s but the portfolio “%s” is valued in %s: FX conversion "
                       "is not available yet", h->symbol, h->currency,
                       sextant_portfolio_get_name (portfolio), base);
          return FALSE;
        }
      if (!isfinite (h->quantity) && !isfinite (h->weight))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       "%s has neither a number of shares nor a weight", h->symbol);
          return FALSE;
        }
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
                   "%s needs prices: none are stored; import them (sextant-cli import FILE) or "
                   "fetch them (sextant-cli history %s)", symbol, symbol);
      return NULL;
    }

  return sextant_market_cache_get_bars (cache, symbol, from, to, error);
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

/* Holdings stored by weight keep it; those held in shares share the rest by market value. */
static gboolean
compute_weights (SextantCliBook  *book,
                 gsize            row,
                 GError         **error)
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
  if (value == 0)
    return TRUE;
  if (!(value > 0) || !(fixed < 1))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "The holdings stored by weight add up to %g, which leaves no weight for those "
                   "held in shares (market value %g)", fixed, value);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (isfinite (sextant_portfolio_get_holding (book->portfolio, i)->quantity))
      book->weights[i] = book->weights[i] / value * (1 - fixed);

  return TRUE;
}

static gboolean
load_closes (SextantStore    *store,
             SextantCliBook  *book,
             gint32           from,
             gint32           to,
             const char      *benchmark,
             GError         **error)
{
  g_autoptr(SextantMarketCache) cache = sextant_market_cache_new (store);
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_price_series_unref);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();

  /* The demo closes are in the cache from the first use on, as for every price command. */
  if (!sextant_market_cache_ensure_demo (cache, error))
    return FALSE;
  for (guint i = 0; book->symbols[i] != NULL; i++)
    g_ptr_array_add (wanted, book->symbols[i]);
  if (benchmark != NULL)
    g_ptr_array_add (wanted, (gpointer) benchmark);
  for (guint i = 0; i < wanted->len; i++)
    {
      SextantPriceSeries *one = get_closes (cache, wanted->pdata[i], from, to, error);

      if (one == NULL)
        return FALSE;
      g_ptr_array_add (series, one);
    }
  book->closes = union_table (series);

  return TRUE;
}

/**
 * sextant_cli_book_load:
 * @name: a stored portfolio's name
 * @from: (nullable): the first date, `YYYY-MM-DD`
 * @to: (nullable): the last date
 * @benchmark: (nullable): a symbol whose closes are added as the last column
 * @out: (out caller-allocates): the portfolio, its closes from the market cache and its weights
 * @error: %SEXTANT_STORE_ERROR_NOT_FOUND for an unknown portfolio, %SEXTANT_MARKET_ERROR_NOT_FOUND
 *   for a holding that needs prices, %SEXTANT_CLI_BOOK_ERROR_NO_FX for a holding in another
 *   currency, …
 */
gboolean
sextant_cli_book_load (const char      *name,
                       const char      *from,
                       const char      *to,
                       const char      *benchmark,
                       SextantCliBook  *out,
                       GError         **error)
{
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  gint32 from_day = 0, to_day = 0;
  guint n;
  gssize row;

  memset (out, 0, sizeof *out);
  if (!parse_day (from, "--from", &from_day, error) || !parse_day (to, "--to", &to_day, error))
    return FALSE;
  if (from != NULL && to != NULL && from_day > to_day)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--from %s is after --to %s", from, to);
      return FALSE;
    }
  if ((store = sextant_cli_open_book_store (error)) == NULL)
    return FALSE;
  portfolios = sextant_portfolio_store_new (store);
  if ((out->portfolio = sextant_portfolio_store_load (portfolios, name, error)) == NULL ||
      !check_holdings (out->portfolio, error))
    return FALSE;

  n = sextant_portfolio_get_n_holdings (out->portfolio);
  out->symbols = sextant_portfolio_dup_symbols (out->portfolio);
  out->weights = g_new (double, n);
  out->min_weight = g_new (double, n);
  out->max_weight = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      out->min_weight[i] = sextant_portfolio_get_holding (out->portfolio, i)->min_weight;
      out->max_weight[i] = sextant_portfolio_get_holding (out->portfolio, i)->max_weight;
    }
  if (!load_closes (store, out, from_day, to_day, benchmark, error))
    return FALSE;
  if ((row = last_complete_row (out->closes)) < 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "The instruments of “%s” share no date with a close%s%s%s%s", name,
                   from != NULL ? " from " : "", from != NULL ? from : "",
                   to != NULL ? " to " : "", to != NULL ? to : "");
      return FALSE;
    }
  out->last_day = sextant_price_table_get_days (out->closes)[row];

  return compute_weights (out, row, error);
}
