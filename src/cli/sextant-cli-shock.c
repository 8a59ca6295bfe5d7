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
  "Every holding is valued on one day: that of the newest of the curves its bonds need (each\n" \
  "on or before --date, at most 5 days apart), else --date (default: the latest close of its\n" \
  "stocks). A bond is discounted on its own currency's curve only: USD bonds on the US\n" \
  "Treasury's par yield curve (--curve: treasury, from the cache or fetched as `sextant-cli\n" \
  "curve` does, or a FILE in its CSV format), bootstrapped; EUR bonds on the ECB's euro-area\n" \
  "AAA spot curve (as `sextant-cli curve --source ecb` reads it), its continuously compounded\n" \
  "spot rates taken as act/365f zero rates to each tenor's maturity, discount factors\n" \
  "log-linear between them; a bond in another currency is an error. Bonds settle on the\n" \
  "valuation day and are discounted on their curve plus their spread (a z-spread,\n" \
  "continuously compounded on act/365f time); stocks are worth their last close on or before\n" \
  "it; cash its amount. Amounts in other currencies are converted to the base currency with\n" \
  "the ECB's reference rates of that day or of the 5 days before.\n" \
  "--rates moves every rate of every curve (the Treasury's par yields, which are bootstrapped\n" \
  "again; the ECB's spot rates) and reprices the bonds. --spreads moves the spread of the\n" \
  "bonds held with one (a bond without is a government bond) by its spread duration: P&L =\n" \
  "-duration x change x value. --fx CUR=±N% moves what holdings in CUR are worth in the base\n" \
  "currency after those moves (repeat it, or separate with commas). Shocks take bp or %\n" \
  "(percentage points): +100bp, -0.5%.\n" \
  "  SEXTANT_TREASURY_BASE_URL, SEXTANT_ECB_BASE_URL  where requests go (tests)\n" \
  "  SEXTANT_DATABASE                                 the database file\n" \
  "Exit status: 0 success, 2 bad usage, 3 bad or missing data, 7 network with nothing cached.\n"

#define MAX_SHOCK 0.5

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
parse_fx_one (const char            *text,
              SextantShockScenario  *scenario,
              GError               **error)
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
          if (!sextant_shock_scenario_add_fx (scenario, currency, change / 100))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--fx names %s twice", currency);
              return FALSE;
            }
          return TRUE;
        }
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--fx takes a currency and its change against the base currency, above -100%%, "
               "such as USD=-10%%, not “%s”", text);
  return FALSE;
}

static gboolean
parse_fx (char                 **texts,
          SextantShockScenario  *scenario,
          GError               **error)
{
  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (texts[i], ",", -1);

      /* "" splits into nothing: it is a bad value, not no shock. */
      if (parts[0] == NULL)
        return parse_fx_one (texts[i], scenario, error);
      for (guint j = 0; parts[j] != NULL; j++)
        if (!parse_fx_one (g_strstrip (parts[j]), scenario, error))
          return FALSE;
    }
  return TRUE;
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
  gint32 first = MAX (day - SEXTANT_BOOK_SHOCK_CLOSE_WINDOW_DAYS - SEXTANT_FX_MAX_STALE_DAYS,
                     SEXTANT_ECB_FIRST_DAY);

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

static void
print_text (const SextantBookShock *shock)
{
  g_autofree char *date = sextant_day_format_iso (shock->day);
  double value = 0, pnl = 0;

  printf ("%s: shock P&L on %s, in %s (exchange rates: " SEXTANT_FX_ECB_CITATION ")\n",
          sextant_portfolio_get_name (shock->portfolio), date,
          sextant_portfolio_get_base_currency (shock->portfolio));
  printf ("%-24s %-6s %-4s %16s %14s %14s %14s %14s\n", "holding", "kind", "ccy", "value",
          "rates", "spreads", "fx", "P&L");
  for (guint i = 0; i < shock->lines->len; i++)
    {
      const SextantShockLine *l = &g_array_index (shock->lines, SextantShockLine, i);

      printf ("%-24.24s %-6s %-4s %16.2f %14.2f %14.2f %14.2f %14.2f\n", l->holding->symbol,
              sextant_holding_kind_name (l->holding->kind), l->currency, l->value, l->rates_pnl,
              l->spreads_pnl, l->fx_pnl, l->pnl);
      value += l->value;
      pnl += l->pnl;
    }
  printf ("%-24s %-6s %-4s %16.2f %59.2f\n", "total", "", "", value, pnl);
}

static int
run (const char                 *name,
     const char                 *curve_source,
     gboolean                    curve_given,
     gint32                      date,
     const SextantShockScenario *scenario,
     SextantCliFormat            format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(SextantParCurve) par = NULL;
  g_autoptr(SextantParCurve) spot = NULL;
  g_auto(SextantBookShock) shock = { 0 };
  const char *base;
  gint32 day;

  if ((store = sextant_cli_open_book_store (&error)) == NULL)
    return sextant_cli_fail (-1, "shock", error);
  portfolios = sextant_portfolio_store_new (store);
  cache = sextant_market_cache_new (store);
  if ((portfolio = sextant_portfolio_store_load (portfolios, name, &error)) == NULL)
    return sextant_cli_fail (sextant_cli_book_exit_for_error (error), "shock", error);
  base = sextant_portfolio_get_base_currency (portfolio);
  if (g_hash_table_contains (scenario->fx, base))
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
  /* A curve named on the command line is read even for a book without dollar bonds: a wrong
   * file is said, not passed over. */
  if (curve_given || sextant_book_shock_holds_bonds_in (portfolio, "USD"))
    {
      if ((par = sextant_cli_curve_load_par (curve_source, date, &error)) == NULL)
        return sextant_cli_fail (-1, "shock", error);
      sextant_book_shock_add_curve (&shock, "USD", SEXTANT_SHOCK_CURVE_PAR, par);
    }
  /* Euro bonds are discounted on the ECB's AAA spot curve, never on the Treasury's. */
  if (sextant_book_shock_holds_bonds_in (portfolio, "EUR"))
    {
      if ((spot = sextant_cli_curve_load_ecb_spot (date, &error)) == NULL)
        return sextant_cli_fail (-1, "shock", error);
      sextant_book_shock_add_curve (&shock, "EUR", SEXTANT_SHOCK_CURVE_ZERO, spot);
    }
  day = sextant_book_shock_pick_day (&shock, cache, portfolio, date);
  if (!update_rates (cache, portfolio, day, &error) ||
      !sextant_book_shock_run (&shock, cache, portfolio, day, scenario, &error))
    return sextant_cli_fail (sextant_cli_book_exit_for_error (error), "shock", error);

  if (format == SEXTANT_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonNode) root = sextant_book_shock_to_json (&shock);

      sextant_cli_print_json (root);
    }
  else
    print_text (&shock);
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
      "The par yield curve USD bonds are valued on (default treasury)", "treasury|FILE" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      "Value on the curves of this day or the last before it (default: the newest)", "YYYY-MM-DD" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format (default text)",
      "text|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(SextantShockScenario) shocks = { 0 };
  SextantCliFormat format = SEXTANT_CLI_FORMAT_TEXT;
  gint32 day = 0;
  int exit_code;

  sextant_shock_scenario_init (&shocks);
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
      !parse_fx (fx, &shocks, &error))
    return sextant_cli_usage_error (context, "shock", error->message);
  if (date_text != NULL && !sextant_day_parse_iso (date_text, &day))
    return sextant_cli_usage_error (context, "shock", "--date must be a date in YYYY-MM-DD form");
  if (curve != NULL && *curve == '\0')
    return sextant_cli_usage_error (context, "shock", "--curve needs treasury or a FILE");

  return run (portfolio, curve != NULL ? curve : "treasury", curve != NULL, day, &shocks, format);
}
