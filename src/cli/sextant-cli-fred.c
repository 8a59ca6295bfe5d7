#define G_LOG_DOMAIN "sextant-cli-fred"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

/* `sextant-cli fred SERIES [--from DATE] [--to DATE] [--format text|json]`: a FRED series, such
 * as DGS10 or the ICE BofA spreads. */

#define FRED_CONVENTIONS \
  "The FRED API is asked with your key (sextant-cli secrets set fred, or SEXTANT_FRED_KEY);\n" \
  "without one, FRED's keyless CSV download. A value FRED marks missing (\".\" or empty) is\n" \
  "shown as missing, never 0. ICE BofA series (BAML…, such as the high-yield option-adjusted\n" \
  "spread BAMLH0A0HYM2) are licensed to FRED and not redistributable: they are shown as text\n" \
  "only, never written as JSON. Source: FRED, Federal Reserve Bank of St. Louis.\n" \
  "Every answer is kept in the local cache with its source and fetch time; when FRED cannot\n" \
  "be reached (or answers with a server error, its rate limit or a page that is not the data),\n" \
  "the cached observations of those days are shown instead, with a note on stderr: \"as of\n" \
  "DATE, cached (fetched …)\" and why. A refused key or an unknown series is never answered\n" \
  "from the cache.\n" \
  "  SEXTANT_FRED_BASE_URL  where requests go (tests); http:// only to this computer unless\n" \
  "                         SEXTANT_ALLOW_INSECURE_ENDPOINT=1\n" \
  "Exit status: 0 success, 2 bad usage, 3 bad data, 4 key refused, 5 rate limited, 6 other\n" \
  "HTTP failure, 7 network.\n"

#define DEFAULT_DAYS 30

static gint32
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return sextant_day_from_ymd (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now));
}

static void
print_json (const SextantFredSeries *series)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "series");
  json_builder_add_string_value (builder, series->series_id);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, series->keyless ? "fred-csv" : "fred");
  json_builder_set_member_name (builder, "cached");
  json_builder_add_boolean_value (builder, series->cached_note != NULL);
  if (series->fetched_at > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (series->fetched_at);
      g_autofree char *text = g_date_time_format_iso8601 (when);

      json_builder_set_member_name (builder, "fetched_at");
      json_builder_add_string_value (builder, text);
    }
  json_builder_set_member_name (builder, "observations");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < series->n; i++)
    {
      g_autofree char *date = sextant_day_format_iso (series->days[i]);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, date);
      json_builder_set_member_name (builder, "value");
      if (isnan (series->values[i]))
        json_builder_add_null_value (builder);
      else
        json_builder_add_double_value (builder, series->values[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

static void
print_text (const SextantFredSeries *series)
{
  printf ("%s (Source: FRED, Federal Reserve Bank of St. Louis%s)\n", series->series_id,
          series->licensed ? "; ICE BofA data licensed to FRED, shown only" : "");
  for (gsize i = 0; i < series->n; i++)
    {
      g_autofree char *date = sextant_day_format_iso (series->days[i]);

      if (isnan (series->values[i]))
        printf ("%s  %10s\n", date, "missing");
      else
        printf ("%s  %10.4g\n", date, series->values[i]);
    }
}

/**
 * sextant_cli_fred_main:
 *
 * `sextant-cli fred SERIES [--from DATE] [--to DATE] [--format text|json]`.
 */
int
sextant_cli_fred_main (int    argc,
                       char **argv)
{
  g_autofree char *from_text = NULL, *to_text = NULL, *format_text = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, "First day (default: 30 days before --to)",
      "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, "Last day (default: today)", "YYYY-MM-DD" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format (default text)",
      "text|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("SERIES");
  g_autoptr(SextantSecretStore) secrets = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantFredClient) client = NULL;
  g_autoptr(SextantFredSeries) series = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SextantCliFormat format = SEXTANT_CLI_FORMAT_TEXT;
  gint32 from = 0, to = 0;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "A FRED series: Treasury yields (DGS10), ICE BofA credit "
                                         "spreads (BAMLH0A0HYM2), …");
  g_option_context_set_description (context, FRED_CONVENTIONS);
  if (!sextant_cli_parse_options (context, &argc, &argv, "fred", &exit_code))
    return exit_code;
  if (argc != 2)
    return sextant_cli_usage_error (context, "fred", "expected one SERIES, such as DGS10");
  if (!sextant_fred_check_series_id (argv[1], &error))
    return sextant_cli_usage_error (context, "fred", error->message);
  if (!sextant_cli_parse_format (format_text, (1 << SEXTANT_CLI_FORMAT_TEXT)
                                 | (1 << SEXTANT_CLI_FORMAT_JSON), &format, &error))
    return sextant_cli_usage_error (context, "fred", error->message);
  if ((from_text != NULL && !sextant_day_parse_iso (from_text, &from)) ||
      (to_text != NULL && !sextant_day_parse_iso (to_text, &to)))
    return sextant_cli_usage_error (context, "fred", "--from and --to take dates such as 2025-02-28");
  if (to == 0)
    to = today ();
  if (from == 0)
    from = to - DEFAULT_DAYS;
  if (from > to)
    return sextant_cli_usage_error (context, "fred", "--from is after --to");
  if (format == SEXTANT_CLI_FORMAT_JSON && sextant_fred_series_id_is_licensed (argv[1]))
    return sextant_cli_usage_error (context, "fred", "ICE BofA series are licensed to FRED and not "
                                                     "redistributable: shown as text only");

  secrets = sextant_secret_store_new ();
  sextant_secret_store_set_timeout (secrets, 2000);
  if ((client = sextant_fred_client_new_configured (secrets, &error)) == NULL)
    return sextant_cli_fail (-1, "fred", error);
  if ((store = sextant_schema_open_default (&error)) == NULL)
    return sextant_cli_fail (-1, "fred", error);
  cache = sextant_market_cache_new (store);
  sextant_fred_client_set_cache (client, cache);
  sextant_fred_client_fetch_async (client, argv[1], from, to, NULL, sextant_cli_store_result_cb,
                                   &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if ((series = sextant_fred_client_fetch_finish (client, result, &error)) == NULL)
    return sextant_cli_fail (-1, "fred", error);
  /* Never a stale answer taken for a fresh one: scripts read stdout, people see stderr. */
  if (series->cached_note != NULL)
    fprintf (stderr, "sextant-cli fred: %s %s\n", series->series_id, series->cached_note);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (series);
  else
    print_text (series);
  return SEXTANT_CLI_EXIT_OK;
}
