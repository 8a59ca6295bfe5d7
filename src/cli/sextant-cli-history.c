#define G_LOG_DOMAIN "sextant-cli-history"

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

/* %g with 17 significant digits round-trips every double; NaN (a gap) is an empty field. */
/* The shortest of %.15g and %.17g that reads back as the same double: 49.96, not
 * 49.960000000000001. NaN (a gap) is an empty field. */
static void
print_csv_number (double value,
                  char   separator)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isnan (value))
    {
      g_ascii_formatd (text, sizeof text, "%.15g", value);
      if (g_ascii_strtod (text, NULL) != value)
        g_ascii_formatd (text, sizeof text, "%.17g", value);
      fputs (text, stdout);
    }
  putchar (separator);
}

static void
print_csv (SextantPriceSeries *bars)
{
  printf ("date,open,high,low,close,volume\n");
  for (gsize i = 0; i < sextant_price_series_get_length (bars); i++)
    {
      g_autofree char *date = sextant_day_format_iso (sextant_price_series_get_days (bars)[i]);

      printf ("%s,", date);
      print_csv_number (sextant_price_series_get_open (bars)[i], ',');
      print_csv_number (sextant_price_series_get_high (bars)[i], ',');
      print_csv_number (sextant_price_series_get_low (bars)[i], ',');
      print_csv_number (sextant_price_series_get_close (bars)[i], ',');
      print_csv_number (sextant_price_series_get_volume (bars)[i], '\n');
    }
}

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

static void
print_json (SextantPriceSeries *bars)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "symbol");
  json_builder_add_string_value (builder, sextant_price_series_get_symbol (bars));
  json_builder_set_member_name (builder, "bars");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < sextant_price_series_get_length (bars); i++)
    {
      g_autofree char *date = sextant_day_format_iso (sextant_price_series_get_days (bars)[i]);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, date);
      add_number (builder, "open", sextant_price_series_get_open (bars)[i]);
      add_number (builder, "high", sextant_price_series_get_high (bars)[i]);
      add_number (builder, "low", sextant_price_series_get_low (bars)[i]);
      add_number (builder, "close", sextant_price_series_get_close (bars)[i]);
      add_number (builder, "volume", sextant_price_series_get_volume (bars)[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

static gboolean
parse_day (const char  *text,
           const char  *option,
           gint32      *day,
           GError     **error)
{
  *day = 0;
  if (text == NULL)
    return TRUE;
  if (sextant_day_parse_iso (text, day))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s must be a date in YYYY-MM-DD form, not “%s”", option, text);

  return FALSE;
}

static SextantPriceSeries *
fetch (const char  *symbol,
       gint32       from,
       gint32       to,
       GError     **error)
{
  g_autoptr(SextantMarketData) data = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) fetch_error = NULL;
  SextantPriceSeries *bars;

  if ((data = sextant_cli_open_market_data (error)) == NULL)
    return NULL;
  sextant_market_data_get_daily_async (data, symbol, from, to, NULL, sextant_cli_store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  bars = sextant_market_data_get_daily_finish (data, result, &fetch_error, error);
  if (bars != NULL && fetch_error != NULL && fetch_error->code != SEXTANT_MARKET_ERROR_NO_PROVIDER)
    {
      g_autofree char *message = sextant_log_writer_redact (fetch_error->message);

      fprintf (stderr, "sextant-cli history: warning: %s; showing cached bars\n", message);
    }

  return bars;
}

/**
 * sextant_cli_history_main:
 *
 * `sextant-cli history SYMBOL [--from DATE] [--to DATE] [--format csv|json]`: daily bars from the
 * cache, fetching what it lacks from the providers of `SEXTANT_PROVIDERS`.
 */
int
sextant_cli_history_main (int    argc,
                          char **argv)
{
  g_autofree char *format_text = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, "First day", "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, "Last day", "YYYY-MM-DD" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format (default csv)", "csv|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("SYMBOL");
  g_autoptr(SextantPriceSeries) bars = NULL;
  g_autoptr(GError) error = NULL;
  SextantCliFormat format = SEXTANT_CLI_FORMAT_CSV;
  gint32 from, to;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Print daily bars of SYMBOL, oldest first.");
  g_option_context_set_description (context, SEXTANT_CLI_MARKET_ENVIRONMENT);
  if (!sextant_cli_parse_options (context, &argc, &argv, "history", &exit_code))
    return exit_code;
  if (argc != 2)
    return sextant_cli_usage_error (context, "history", "expected one SYMBOL");
  if ((format_text != NULL &&
       !sextant_cli_parse_format (format_text, (1 << SEXTANT_CLI_FORMAT_CSV) |
                                  (1 << SEXTANT_CLI_FORMAT_JSON), &format, &error)) ||
      !parse_day (from_text, "--from", &from, &error) || !parse_day (to_text, "--to", &to, &error))
    return sextant_cli_usage_error (context, "history", error->message);
  if (from > 0 && to > 0 && from > to)
    return sextant_cli_usage_error (context, "history", "--from is after --to");

  if ((bars = fetch (argv[1], from, to, &error)) == NULL)
    return sextant_cli_fail (-1, "history", error);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (bars);
  else
    print_csv (bars);

  return SEXTANT_CLI_EXIT_OK;
}
