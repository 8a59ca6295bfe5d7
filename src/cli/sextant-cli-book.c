#define G_LOG_DOMAIN "sextant-cli-book"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sextant-cli-book.h"
#include "sextant-cli-common.h"

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

/**
 * sextant_cli_book_update_rates:
 * @cache: the market cache
 * @portfolio: a portfolio
 * @from_day: the first date asked for, or 0
 * @to_day: the last date asked for, or 0
 * @command: (nullable): the command as typed ("sextant-cli risk"), for the offline note
 * @error: return location for an error
 *
 * Fetches the ECB rates the portfolio's holdings in other currencies need and the cache lacks
 * (`SEXTANT_ECB_BASE_URL` as for `sextant-cli fx`). Unreachable, the cache answers alone and a
 * note on stderr says so; a date it cannot cover is then named when the book is loaded.
 */
gboolean
sextant_cli_book_update_rates (SextantMarketCache  *cache,
                               SextantPortfolio    *portfolio,
                               gint32               from_day,
                               gint32               to_day,
                               const char          *command,
                               GError             **error)
{
  g_auto(GStrv) currencies = sextant_book_dup_rate_currencies (cache, portfolio);
  g_autoptr(SextantEcbRates) ecb = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  gint32 first, last;

  if (currencies[0] == NULL ||
      !sextant_book_get_rate_range (cache, portfolio, from_day, to_day, &first, &last))
    return TRUE;
  if ((ecb = sextant_ecb_rates_new_from_environment (error)) == NULL)
    return FALSE;
  sextant_ecb_rates_update_cache_async (ecb, cache, (const char * const *) currencies, first, last,
                                        NULL, sextant_cli_store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (sextant_ecb_rates_update_cache_finish (ecb, result, NULL, &local_error))
    return TRUE;
  if (g_error_matches (local_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK))
    {
      g_autofree char *message = sextant_log_writer_redact (local_error->message);

      fprintf (stderr, "%s: offline (%s); exchange rates from the local cache\n",
               command != NULL ? command : "sextant-cli", message);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

/**
 * sextant_cli_book_load:
 * @name: a stored portfolio's name
 * @from: (nullable): the first date, `YYYY-MM-DD`
 * @to: (nullable): the last date
 * @benchmark: (nullable): a symbol whose closes are added as the last column
 * @out: (out caller-allocates): the portfolio, its closes from the market cache in its base
 *   currency and its weights (sextant_book_load())
 * @cache_out: (out) (optional) (nullable): the market cache the book was loaded from, for
 *   further figures on the same rates
 * @error: %SEXTANT_STORE_ERROR_NOT_FOUND for an unknown portfolio, %SEXTANT_MARKET_ERROR_NOT_FOUND
 *   for a holding that needs prices or a date with no exchange rate, …
 */
gboolean
sextant_cli_book_load (const char      *name,
                       const char      *from,
                       const char      *to,
                       const char      *benchmark,
                       SextantCliBook      *out,
                       SextantMarketCache **cache_out,
                       GError             **error)
{
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(GError) local_error = NULL;
  gint32 from_day = 0, to_day = 0;

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
  cache = sextant_market_cache_new (store);
  /* The demo closes are in the cache from the first use on, as for every price command. */
  if ((portfolio = sextant_portfolio_store_load (portfolios, name, error)) == NULL ||
      !sextant_market_cache_ensure_demo (cache, error) ||
      !sextant_cli_book_update_rates (cache, portfolio, from_day, to_day, g_get_prgname (), error))
    return FALSE;
  if (sextant_book_load (out, cache, portfolio, from_day, to_day, benchmark, &local_error))
    {
      if (cache_out != NULL)
        *cache_out = g_steal_pointer (&cache);
      return TRUE;
    }
  /* The command line names the way out. */
  if (g_error_matches (local_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND))
    {
      const char *hint = strstr (local_error->message, "needs prices") != NULL
                         ? " (sextant-cli import FILE, or sextant-cli history SYMBOL)"
                         : " (sextant-cli fx --base BASE CURRENCY --from DATE --to DATE fetches "
                           "the ECB's rates)";
      char *message = g_strconcat (local_error->message, hint, NULL);

      g_free (local_error->message);
      local_error->message = message;
    }
  if (g_error_matches (local_error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY) &&
      sextant_portfolio_get_n_holdings (portfolio) == 0)
    {
      g_clear_error (&local_error);
      g_set_error (&local_error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "The portfolio “%s” has no holdings; add some with “sextant-cli portfolio add”",
                   name);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}
