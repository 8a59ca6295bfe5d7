#define G_LOG_DOMAIN "sextant-cli-fx"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-cli-book.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

#define FX_ENVIRONMENT \
  "Rates are the ECB's euro reference rates (daily from 1999-01-04; cross rates through the\n" \
  "euro), fetched when the local cache lacks the dates and read from it when the ECB cannot be\n" \
  "reached. SYMBOL is an ISO 4217 code (USD, GBP, JPY) or an instrument whose currency is known\n" \
  "(MSFT: USD). Each rate is the price of 1 unit of the currency in the base currency.\n" \
  "  SEXTANT_ECB_BASE_URL     where requests go (tests, proxies); http:// only to this\n" \
  "                           computer unless SEXTANT_ALLOW_INSECURE_ENDPOINT=1\n" \
  "  SEXTANT_DATABASE         the database file\n" \
  SEXTANT_FX_ECB_CITATION ".\n"

/* How far back the latest rate is looked for online: longer than any ECB closure. */
#define LATEST_WINDOW_DAYS 14

/* The currencies of the ECB's reference rates, today's and discontinued ones: a symbol among
 * them is a currency even when an instrument has the same ticker. */
static const char *ecb_currencies[] = {
  "EUR", "USD", "JPY", "BGN", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK",
  "NOK", "TRY", "AUD", "BRL", "CAD", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR",
  "NZD", "PHP", "SGD", "THB", "ZAR", "HRK", "RUB", "CYP", "EEK", "LTL", "LVL", "MTL", "SIT",
  "SKK", NULL,
};

typedef struct
{
  char            *symbol;
  char            *currency;
  SextantFxSeries *rates;   /* units of the base per 1 currency; NULL when it is the base */
} Request;

static void
request_free (Request *request)
{
  g_free (request->symbol);
  g_free (request->currency);
  g_clear_pointer (&request->rates, sextant_fx_series_unref);
  g_free (request);
}

static gboolean
parse_day (const char  *text,
           const char  *option,
           gint32      *day,
           GError     **error)
{
  *day = 0;
  if (text == NULL || sextant_day_parse_iso (text, day))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s must be a date in YYYY-MM-DD form, not “%s”", option, text);

  return FALSE;
}

static char *
resolve_currency (SextantMarketCache  *cache,
                  const char          *symbol,
                  GError             **error)
{
  g_autofree char *upper = g_ascii_strup (symbol, -1);
  char *currency;

  if (g_strv_contains (ecb_currencies, upper))
    return g_steal_pointer (&upper);
  if ((currency = sextant_market_cache_dup_instrument_currency (cache, symbol)) != NULL)
    return currency;
  if (sextant_ecb_rates_check_currency (upper, NULL))
    return g_steal_pointer (&upper);
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "“%s” is neither an ISO 4217 currency code nor an instrument whose currency is "
               "known", symbol);

  return NULL;
}

/* Fetches what the cache lacks; unreachable, the cache answers alone and @offline says so. */
static gboolean
update_cache (SextantMarketCache  *cache,
              GPtrArray           *currencies,
              gint32               from,
              gint32               to,
              GError             **offline,
              GError             **error)
{
  g_autoptr(SextantEcbRates) ecb = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;

  if ((ecb = sextant_ecb_rates_new_from_environment (error)) == NULL)
    return FALSE;
  sextant_ecb_rates_update_cache_async (ecb, cache, (const char * const *) currencies->pdata,
                                        from, to, NULL, sextant_cli_store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (sextant_ecb_rates_update_cache_finish (ecb, result, NULL, &local_error))
    return TRUE;
  if (g_error_matches (local_error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK))
    {
      g_autofree char *message = sextant_log_writer_redact (local_error->message);

      fprintf (stderr, "sextant-cli fx: offline (%s); rates from the local cache\n", message);
      *offline = g_steal_pointer (&local_error);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

/* The per-EUR rates of @currency from the cache, refusing a currency that has none. */
static SextantFxSeries *
load_per_eur (SextantMarketCache  *cache,
              const char          *currency,
              gint32               from,
              gint32               to,
              const GError        *offline,
              GError             **error)
{
  g_autoptr(SextantFxSeries) rates = NULL;
  g_autofree char *first = sextant_day_format_iso (from);
  g_autofree char *last = sextant_day_format_iso (to);

  if (g_strcmp0 (currency, "EUR") == 0)
    return NULL;
  if ((rates = sextant_market_cache_get_fx_rates (cache, currency, from, to, error)) == NULL)
    return NULL;
  if (!isnan (sextant_fx_series_get_latest (rates, NULL)))
    return g_steal_pointer (&rates);
  if (offline != NULL)
    g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK,
                 "no cached ECB rate for %s up to %s, and %s", currency, last, offline->message);
  else
    g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                 "the ECB has no rate for %s between %s and %s (no such series, or only dates "
                 "without a value)", currency,
                 from > 0 ? first : "1999-01-04", last);

  return NULL;
}

static gboolean
load_rates (SextantMarketCache  *cache,
            GPtrArray           *requests,
            const char          *base,
            gint32               from,
            gint32               to,
            const GError        *offline,
            GError             **error)
{
  g_autoptr(SextantFxSeries) base_per_eur = NULL;

  if (g_strcmp0 (base, "EUR") != 0 &&
      (base_per_eur = load_per_eur (cache, base, from, to, offline, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < requests->len; i++)
    {
      Request *request = g_ptr_array_index (requests, i);
      g_autoptr(SextantFxSeries) per_eur = NULL;

      if (g_strcmp0 (request->currency, base) == 0)
        continue;
      if (g_strcmp0 (request->currency, "EUR") != 0 &&
          (per_eur = load_per_eur (cache, request->currency, from, to, offline, error)) == NULL)
        return FALSE;
      if ((request->rates = sextant_fx_series_cross (per_eur, base_per_eur, error)) == NULL)
        return FALSE;
    }

  return TRUE;
}

/* The shortest of %.15g and %.17g that reads back as the same double. */
static char *
format_number (double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return g_strdup ("");
  g_ascii_formatd (text, sizeof text, "%.15g", value);
  if (g_ascii_strtod (text, NULL) != value)
    g_ascii_formatd (text, sizeof text, "%.17g", value);

  return g_strdup (text);
}

static void
print_csv_row (const Request *request,
               const char    *base,
               gint32         day,
               double         rate)
{
  g_autofree char *date = day > 0 ? sextant_day_format_iso (day) : g_strdup ("");
  g_autofree char *number = format_number (rate);

  printf ("%s,%s,%s,%s,%s,%s\n", request->symbol, request->currency, base, date, number,
          day > 0 ? "ECB statistics" : "");
}

static void
print_text_latest (const Request *request,
                   const char    *base,
                   gint32         day,
                   double         rate)
{
  g_autofree char *date = day > 0 ? sextant_day_format_iso (day) : NULL;
  g_autofree char *prefix = g_strcmp0 (request->symbol, request->currency) != 0
                            ? g_strdup_printf ("%s: ", request->symbol) : g_strdup ("");

  if (date == NULL)
    printf ("%s1 %s = 1 %s (same currency)\n", prefix, request->currency, base);
  else
    printf ("%s1 %s = %.6g %s on %s (" SEXTANT_FX_ECB_CITATION ")\n", prefix, request->currency,
            rate, base, date);
}

static void
add_rate (JsonBuilder *builder,
          gint32       day,
          double       rate)
{
  g_autofree char *date = day > 0 ? sextant_day_format_iso (day) : NULL;

  json_builder_set_member_name (builder, "date");
  if (date != NULL)
    json_builder_add_string_value (builder, date);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "rate");
  if (isnan (rate))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, rate);
}

static void
begin_json_entry (JsonBuilder   *builder,
                  const Request *request,
                  const char    *base)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "symbol");
  json_builder_add_string_value (builder, request->symbol);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, request->currency);
  json_builder_set_member_name (builder, "base");
  json_builder_add_string_value (builder, base);
  json_builder_set_member_name (builder, "source");
  if (request->rates != NULL)
    json_builder_add_string_value (builder, "ECB statistics");
  else
    json_builder_add_null_value (builder);
}

typedef struct
{
  SextantCliFormat format;
  const char      *base;
  gboolean         series;
  gboolean         offline;
} Output;

static void
print_latest (const Output *out,
              GPtrArray    *requests,
              JsonBuilder  *builder)
{
  for (guint i = 0; i < requests->len; i++)
    {
      const Request *request = g_ptr_array_index (requests, i);
      gint32 day = 0;
      double rate = request->rates != NULL ? sextant_fx_series_get_latest (request->rates, &day)
                                           : 1.0;

      if (out->format == SEXTANT_CLI_FORMAT_TEXT)
        print_text_latest (request, out->base, day, rate);
      else if (out->format == SEXTANT_CLI_FORMAT_CSV)
        print_csv_row (request, out->base, day, rate);
      else
        {
          begin_json_entry (builder, request, out->base);
          add_rate (builder, day, rate);
          json_builder_end_object (builder);
        }
    }
}

static void
print_series (const Output *out,
              GPtrArray    *requests,
              JsonBuilder  *builder)
{
  for (guint i = 0; i < requests->len; i++)
    {
      const Request *request = g_ptr_array_index (requests, i);
      gsize n = request->rates != NULL ? sextant_fx_series_get_length (request->rates) : 0;
      const gint32 *days = n > 0 ? sextant_fx_series_get_days (request->rates) : NULL;
      const double *rates = n > 0 ? sextant_fx_series_get_rates (request->rates) : NULL;

      if (out->format == SEXTANT_CLI_FORMAT_TEXT)
        printf ("%s%s: 1 %s in %s (" SEXTANT_FX_ECB_CITATION ")\n", i > 0 ? "\n" : "",
                request->symbol, request->currency, out->base);
      if (out->format == SEXTANT_CLI_FORMAT_JSON)
        {
          begin_json_entry (builder, request, out->base);
          json_builder_set_member_name (builder, "series");
          json_builder_begin_array (builder);
        }
      if (request->rates == NULL && out->format == SEXTANT_CLI_FORMAT_TEXT)
        printf ("1 on every date (same currency)\n");
      for (gsize r = 0; r < n; r++)
        {
          g_autofree char *date = sextant_day_format_iso (days[r]);

          if (out->format == SEXTANT_CLI_FORMAT_CSV)
            print_csv_row (request, out->base, days[r], rates[r]);
          else if (out->format == SEXTANT_CLI_FORMAT_TEXT && isnan (rates[r]))
            printf ("%s  (no rate)\n", date);
          else if (out->format == SEXTANT_CLI_FORMAT_TEXT)
            printf ("%s  %.6g\n", date, rates[r]);
          else
            {
              json_builder_begin_object (builder);
              add_rate (builder, days[r], rates[r]);
              json_builder_end_object (builder);
            }
        }
      if (out->format == SEXTANT_CLI_FORMAT_JSON)
        {
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
    }
}

static void
print_rates (const Output *out,
             GPtrArray    *requests)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (out->format == SEXTANT_CLI_FORMAT_CSV)
    printf ("symbol,currency,base,date,rate,source\n");
  if (out->format == SEXTANT_CLI_FORMAT_JSON)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "base");
      json_builder_add_string_value (builder, out->base);
      json_builder_set_member_name (builder, "citation");
      json_builder_add_string_value (builder, SEXTANT_FX_ECB_CITATION);
      json_builder_set_member_name (builder, "offline");
      json_builder_add_boolean_value (builder, out->offline);
      json_builder_set_member_name (builder, "rates");
      json_builder_begin_array (builder);
    }
  if (out->series)
    print_series (out, requests, builder);
  else
    print_latest (out, requests, builder);
  if (out->format == SEXTANT_CLI_FORMAT_JSON)
    {
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sextant_cli_print_json (root);
    }
}

static SextantMarketCache *
open_cache (GError **error)
{
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;

  if ((store = sextant_schema_open_default (error)) == NULL)
    return NULL;
  cache = sextant_market_cache_new (store);
  /* The demo instruments carry their currency. */
  if (!sextant_market_cache_ensure_demo (cache, error))
    return NULL;

  return g_steal_pointer (&cache);
}

/* Resolves the symbols, fetches what is missing, prints. Errors carry their exit code's domain. */
static gboolean
run (char             **symbols,
     const char        *base,
     gint32             from,
     gint32             to,
     SextantCliFormat   format,
     GError           **error)
{
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  g_autoptr(GPtrArray) currencies = g_ptr_array_new ();
  g_autoptr(GError) offline = NULL;
  Output out = { format, base, from > 0, FALSE };
  /* Online, the latest rate is looked for in the last weeks; from the cache, whatever its age. */
  gint32 fetch_from = from > 0 ? from : MAX (to - LATEST_WINDOW_DAYS, SEXTANT_ECB_FIRST_DAY);

  if ((cache = open_cache (error)) == NULL)
    return FALSE;
  g_ptr_array_add (currencies, (char *) base);
  for (guint i = 0; symbols[i] != NULL; i++)
    {
      Request *request = g_new0 (Request, 1);

      g_ptr_array_add (requests, request);
      request->symbol = g_strdup (symbols[i]);
      if ((request->currency = resolve_currency (cache, symbols[i], error)) == NULL)
        return FALSE;
      g_ptr_array_add (currencies, request->currency);
    }
  g_ptr_array_add (currencies, NULL);

  if (!update_cache (cache, currencies, fetch_from, to, &offline, error) ||
      !load_rates (cache, requests, base, from, to, offline, error))
    return FALSE;
  out.offline = offline != NULL;
  print_rates (&out, requests);

  return TRUE;
}

static gint32
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return sextant_day_from_ymd (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now));
}

/**
 * sextant_cli_fx_main:
 *
 * `sextant-cli fx [--base EUR] [--from D --to D] [--format text|csv|json] SYMBOL…`: the
 * latest ECB reference rate of each symbol's currency in the base currency, or its daily series.
 * `sextant-cli fx --portfolio NAME [--from D] [--to D]`: a stored portfolio's FX exposure.
 */
int
sextant_cli_fx_main (int    argc,
                     char **argv)
{
  g_autofree char *base_text = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *portfolio = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  const GOptionEntry entries[] = {
    { "base", 0, 0, G_OPTION_ARG_STRING, &base_text, "Currency to price in (default EUR)",
      "CODE" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, "First day: print the daily series",
      "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      "Last day (default today); alone, the latest rate on or before it", "YYYY-MM-DD" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format (default text)",
      "text|csv|json" },
    { "portfolio", 0, 0, G_OPTION_ARG_STRING, &portfolio,
      "A stored portfolio's FX exposure: its market value by currency, in its base currency",
      "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("SYMBOL…");
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  SextantCliFormat format = SEXTANT_CLI_FORMAT_TEXT;
  gint32 from, to;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Exchange rates of currencies, or of the currencies of "
                                         "instruments, in a base currency.");
  g_option_context_set_description (context, FX_ENVIRONMENT);
  if (!sextant_cli_parse_options (context, &argc, &argv, "fx", &exit_code))
    return exit_code;
  if (portfolio != NULL)
    {
      if (argc > 1 || base_text != NULL)
        return sextant_cli_usage_error (context, "fx", "--portfolio takes no SYMBOL and no --base: "
                                                       "the portfolio's base currency is the base");
      if (!sextant_cli_parse_format (format_text, (1 << SEXTANT_CLI_FORMAT_TEXT) |
                                     (1 << SEXTANT_CLI_FORMAT_JSON), &format, &error) ||
          !parse_day (from_text, "--from", &from, &error) ||
          !parse_day (to_text, "--to", &to, &error))
        return sextant_cli_usage_error (context, "fx", error->message);
      return sextant_cli_fx_exposure (portfolio, from_text, to_text, format);
    }
  if (argc < 2)
    return sextant_cli_usage_error (context, "fx", "expected at least one SYMBOL");
  base = g_ascii_strup (base_text != NULL ? base_text : "EUR", -1);
  if (!sextant_cli_parse_format (format_text, (1 << SEXTANT_CLI_FORMAT_TEXT) |
                                 (1 << SEXTANT_CLI_FORMAT_CSV) | (1 << SEXTANT_CLI_FORMAT_JSON),
                                 &format, &error) ||
      !parse_day (from_text, "--from", &from, &error) ||
      !parse_day (to_text, "--to", &to, &error) ||
      !sextant_ecb_rates_check_currency (base, &error))
    return sextant_cli_usage_error (context, "fx", error->message);
  if (to == 0 || to > today ())
    to = today ();
  if (from > 0 && from > to)
    return sextant_cli_usage_error (context, "fx", "--from is after --to (or after today)");
  if (from > 0 && from < SEXTANT_ECB_FIRST_DAY)
    from = SEXTANT_ECB_FIRST_DAY;

  if (!run (argv + 1, base, from, to, format, &error))
    return sextant_cli_fail (-1, "fx", error);

  return SEXTANT_CLI_EXIT_OK;
}
