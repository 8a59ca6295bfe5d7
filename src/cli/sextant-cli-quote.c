#define G_LOG_DOMAIN "sextant-cli-quote"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

/* Kept word for word in sextant-cli-quote.c and sextant-cli-history.c. */
#define SEXTANT_CLI_MARKET_ENVIRONMENT \
  "Works offline from the local cache and the bundled demo prices. To fetch, set:\n" \
  "  SEXTANT_PROVIDERS        provider order, e.g. finnhub,alphavantage,stooq (yahoo: opt-in,\n" \
  "                           unofficial); unset means offline\n" \
  "  SEXTANT_<P>_KEY          API key when the keyring has none (P = ALPHAVANTAGE, FINNHUB,\n" \
  "                           STOOQ); the keyring is always asked first\n" \
  "  SEXTANT_<P>_BASE_URL     where requests go (tests, proxies; P also YAHOO); http:// only\n" \
  "                           to this computer unless SEXTANT_ALLOW_INSECURE_ENDPOINT=1\n" \
  "  SEXTANT_DATABASE         the database file\n"

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isnan (value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, value);
}

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format_iso8601 (time);
}

static void
print_json (const SextantQuote *quote)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *as_of = format_time (quote->as_of);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "symbol");
  json_builder_add_string_value (builder, quote->symbol);
  add_number (builder, "price", quote->price);
  add_number (builder, "change", quote->change);
  add_number (builder, "change_percent", quote->change_percent);
  add_number (builder, "previous_close", quote->previous_close);
  json_builder_set_member_name (builder, "as_of");
  json_builder_add_string_value (builder, as_of);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, quote->provider);
  json_builder_set_member_name (builder, "stale");
  json_builder_add_boolean_value (builder, quote->stale);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

/* Prices with the decimals the provider gave (18606.59, EUR/USD 1.1252); the change with as many
 * as the more precise of the two closes it comes from. */
static void
print_text (const SextantQuote *quote)
{
  g_autofree char *as_of = format_time (quote->as_of);
  g_autofree char *price = sextant_quote_format_price (quote->price, -1);

  printf ("%s %s", quote->symbol, price);
  if (isfinite (quote->change) && isfinite (quote->change_percent))
    {
      int decimals = MAX (sextant_quote_price_decimals (quote->price),
                          sextant_quote_price_decimals (quote->previous_close));
      g_autofree char *change = sextant_quote_format_price (fabs (quote->change), decimals);

      printf (" %s%s (%+.2f%%)", quote->change < 0 ? "-" : "+", change, quote->change_percent);
    }
  printf (" as of %s from %s%s\n", as_of, quote->provider,
          quote->stale ? " (stale)" : "");
}

/**
 * sextant_cli_quote_main:
 *
 * `sextant-cli quote SYMBOL [--format text|json]`: the cached quote when fresh, else the first
 * provider of `SEXTANT_PROVIDERS` that answers, else the newest cached bar (demo set included),
 * flagged stale.
 */
int
sextant_cli_quote_main (int    argc,
                        char **argv)
{
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format", "text|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("SYMBOL");
  g_autoptr(SextantMarketData) data = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  g_autoptr(GError) fetch_error = NULL;
  g_autoptr(GError) error = NULL;
  SextantCliFormat format;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Show the last price of SYMBOL with its “as of” time.");
  g_option_context_set_description (context, SEXTANT_CLI_MARKET_ENVIRONMENT);
  if (!sextant_cli_parse_options (context, &argc, &argv, "quote", &exit_code))
    return exit_code;
  if (argc != 2)
    return sextant_cli_usage_error (context, "quote", "expected one SYMBOL");
  if (!sextant_cli_parse_format (format_text, (1 << SEXTANT_CLI_FORMAT_TEXT) |
                                 (1 << SEXTANT_CLI_FORMAT_JSON), &format, &error))
    return sextant_cli_usage_error (context, "quote", error->message);

  if ((data = sextant_cli_open_market_data (&error)) == NULL)
    return sextant_cli_fail (-1, "quote", error);
  sextant_market_data_get_quote_async (data, argv[1], NULL, sextant_cli_store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  quote = sextant_market_data_get_quote_finish (data, result, &fetch_error, &error);
  if (quote == NULL)
    return sextant_cli_fail (-1, "quote", error);
  if (fetch_error != NULL && fetch_error->code != SEXTANT_MARKET_ERROR_NO_PROVIDER)
    {
      g_autofree char *message = sextant_log_writer_redact (fetch_error->message);

      fprintf (stderr, "sextant-cli quote: warning: %s; showing cached data\n", message);
    }

  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (quote);
  else
    print_text (quote);

  return SEXTANT_CLI_EXIT_OK;
}
