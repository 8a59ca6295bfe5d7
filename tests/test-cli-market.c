#define G_LOG_DOMAIN "test-cli-market"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

/* The built sextant-cli, passed by tests/meson.build. */
static const char *cli_path;

typedef struct
{
  char  *dir;
  char **env;
  char  *out;
  char  *err;
  int    status;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *db = NULL;

  f->dir = sextant_test_make_temp_dir ();
  db = g_build_filename (f->dir, "sextant.db", NULL);
  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "SEXTANT_DATABASE", db, TRUE);
  f->env = g_environ_setenv (f->env, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  f->env = g_environ_unsetenv (f->env, "SEXTANT_PROVIDERS");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sextant_test_remove_temp_dir (f->dir);
  g_free (f->dir);
  g_strfreev (f->env);
  g_free (f->out);
  g_free (f->err);
}

/* Runs the CLI while this process's fake server answers it. */
static void
run (Fixture    *f,
     const char *first,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (args, (char *) cli_path);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  f->status = sextant_test_run_in_env ((const char * const *) args->pdata, (const char * const *) f->env,
                                       &f->out, &f->err);
}

static JsonObject *
parse_object (const char  *text,
              JsonParser  *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (parser));
}

/* Offline: the last MSFT bar of the demo set, 2001-09-27 close 49.96, is the quote, stale. */
static void
test_quote_offline (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *quote;

  run (f, "quote", "MSFT", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "MSFT 49.96"));
  g_assert_nonnull (strstr (f->out, "demo (stale)"));

  run (f, "quote", "MSFT", "--format", "json", NULL);
  g_assert_cmpint (f->status, ==, 0);
  quote = parse_object (f->out, parser);
  g_assert_cmpfloat (json_object_get_double_member (quote, "price"), ==, 49.96);
  g_assert_cmpstr (json_object_get_string_member (quote, "provider"), ==, "demo");
  g_assert_cmpstr (json_object_get_string_member (quote, "as_of"), ==, "2001-09-27T00:00:00Z");
  g_assert_true (json_object_get_boolean_member (quote, "stale"));

  run (f, "quote", "NOPE", NULL);
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "No cached data for NOPE"));
}

/* Bars of data/demo/msft_2000-09_2001-09_ohlcv.csv, 2001-09-25 … 27. */
static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *bars;

  run (f, "history", "MSFT", "--from", "2001-09-25", "--to", "2001-09-27", "--format", "csv", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->out, ==,
                   "date,open,high,low,close,volume\n"
                   "2001-09-25,52.27,53,50.16,51.3,42470300\n"
                   "2001-09-26,51.51,51.8,49.55,50.27,29262200\n"
                   "2001-09-27,50.1,50.68,48,49.96,40595600\n");

  /* ^GSPC is the demo S&P 500; 2020-04-17 closes at 2874.560059 in the bundled file. */
  run (f, "history", "^GSPC", "--from", "2020-04-17", "--format", "json", NULL);
  g_assert_cmpint (f->status, ==, 0);
  bars = json_object_get_array_member (parse_object (f->out, parser), "bars");
  g_assert_cmpuint (json_array_get_length (bars), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (bars, 0), "close"),
                     ==, 2874.560059);

  run (f, "history", "MSFT", "--from", "27/09/2001", NULL);
  g_assert_cmpint (f->status, ==, 2);
  run (f, "history", "MSFT", "--format", "xml", NULL);
  g_assert_cmpint (f->status, ==, 2);
  run (f, "history", NULL);
  g_assert_cmpint (f->status, ==, 2);
}

/* A broken row is named by its line, exit 3, and the good rows are in the cache afterwards. */
static void
test_import_prices (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "prices.csv", NULL);

  g_assert_true (g_file_set_contents (csv, "date;ticker;close\n"
                                           "2024-01-02;ACME;10,5\n"
                                           "2024-01-03;ACME;oops\n"
                                           "2024-01-04;ACME;11,25\n", -1, NULL));
  run (f, "import", csv, "--preview", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "Delimiter: semicolon"));
  g_assert_nonnull (strstr (f->out, "Decimal separator: comma"));

  run (f, "import", csv, NULL);
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "Line 3: close “oops” is not a number"));
  g_assert_nonnull (strstr (f->out, "Imported 2 bars"));

  run (f, "history", "ACME", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->out, ==, "date,open,high,low,close,volume\n"
                               "2024-01-02,,,,10.5,\n"
                               "2024-01-04,,,,11.25,\n");

  /* A one-instrument file is named by its file name: msft_2000-09_2001-09_ohlcv.csv is MSFT
   * (249 rows, counted with Python's csv module). */
  {
    g_autofree char *msft = g_build_filename (g_getenv ("SEXTANT_DATADIR"), "demo",
                                              "msft_2000-09_2001-09_ohlcv.csv", NULL);

    run (f, "import", msft, NULL);
    g_assert_cmpint (f->status, ==, 0);
    g_assert_nonnull (strstr (f->out, "Imported 249 bars from"));
    g_assert_nonnull (strstr (f->out, " as MSFT\n"));
  }

  /* Ambiguous dates: exit 3 unless the format is given. */
  {
    g_autofree char *ambiguous = g_build_filename (f->dir, "ambiguous.csv", NULL);

    g_assert_true (g_file_set_contents (ambiguous, "date,ticker,close\n01/02/2024,AMB,1\n"
                                                   "03/04/2024,AMB,2\n", -1, NULL));
    run (f, "import", ambiguous, NULL);
    g_assert_cmpint (f->status, ==, 3);
    g_assert_nonnull (strstr (f->err, "--date-format"));
    run (f, "import", ambiguous, "--date-format", "eu", NULL);
    g_assert_cmpint (f->status, ==, 0);
    run (f, "history", "AMB", "--format", "csv", NULL);
    g_assert_cmpstr (f->out, ==, "date,open,high,low,close,volume\n"
                                 "2024-02-01,,,,1,\n"
                                 "2024-04-03,,,,2,\n");
  }

  run (f, "import", "/nonexistent/file.csv", NULL);
  g_assert_cmpint (f->status, ==, 3);
}

static void
test_import_portfolio (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "holdings.csv", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *holdings;

  g_assert_true (g_file_set_contents (csv, "Symbol,Shares,Currency\nMSFT,100,USD\nIBM,50,USD\n",
                                      -1, NULL));
  run (f, "import", csv, "--portfolio", "Mine", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "Imported 2 holdings"));

  run (f, "portfolio", "list", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->out, ==, "Mine\n");

  run (f, "portfolio", "show", "Mine", "--format", "json", NULL);
  g_assert_cmpint (f->status, ==, 0);
  holdings = json_object_get_array_member (parse_object (f->out, parser), "holdings");
  g_assert_cmpuint (json_array_get_length (holdings), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (holdings, 1),
                                                    "quantity"), ==, 50);
}

/* A fresh database gets the demo portfolio (data/demo/demo-portfolio.json). */
static void
test_portfolio_demo (Fixture       *f,
                     gconstpointer  data)
{
  run (f, "portfolio", "list", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->out, ==, "Dow Blue Chips (demo)\n");
  run (f, "portfolio", "show", "Dow Blue Chips (demo)", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "benchmark ^GSPC"));
  g_assert_nonnull (strstr (f->out, "MSFT"));
  run (f, "portfolio", "show", "Nope", NULL);
  g_assert_cmpint (f->status, ==, 3);
  run (f, "portfolio", NULL);
  g_assert_cmpint (f->status, ==, 2);
}

/* With a provider from the environment, pointed at a fake server. The key comes from the
 * environment because the keyring is unreachable (DBUS_SESSION_BUS_ADDRESS=disabled:). */
static void
test_quote_from_provider (Fixture       *f,
                          gconstpointer  data)
{
  FakeMarketServer *server = fake_market_server_new ();

  fake_market_server_push (server, "/quote", NULL, 200, "application/json", "finnhub_quote.json");
  f->env = g_environ_setenv (f->env, "SEXTANT_PROVIDERS", "finnhub", TRUE);
  f->env = g_environ_setenv (f->env, "SEXTANT_FINNHUB_BASE_URL",
                             fake_market_server_get_base_url (server), TRUE);
  f->env = g_environ_setenv (f->env, "SEXTANT_FINNHUB_KEY", "CLIKEY", TRUE);
  f->env = g_environ_setenv (f->env, "no_proxy", "127.0.0.1", TRUE);
  run (f, "quote", "MSFT", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "MSFT 49.96"));
  g_assert_nonnull (strstr (f->out, "from finnhub"));
  g_assert_cmpstr (fake_market_server_get_last_header (server, "X-Finnhub-Token"), ==, "CLIKEY");

  /* A second quote within a minute comes from the cache. */
  run (f, "quote", "MSFT", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpuint (fake_market_server_get_count (server, "/quote"), ==, 1);

  /* A refused key for a symbol with nothing cached: exit 4, and the key is not printed. */
  fake_market_server_push (server, "/quote", "symbol=ZZZZ", 401, "application/json",
                           "finnhub_401_invalid_key.json");
  run (f, "quote", "ZZZZ", NULL);
  g_assert_cmpint (f->status, ==, 4);
  g_assert_nonnull (strstr (f->err, "Finnhub: HTTP 401"));
  g_assert_null (strstr (f->err, "CLIKEY"));
  fake_market_server_free (server);
}

/* A provider base URL in plain HTTP to another host: refused before any request, exit 2, and the
 * message names the variable and the opt-in. */
static void
test_insecure_base_url (Fixture       *f,
                        gconstpointer  data)
{
  f->env = g_environ_setenv (f->env, "SEXTANT_PROVIDERS", "finnhub", TRUE);
  f->env = g_environ_setenv (f->env, "SEXTANT_FINNHUB_BASE_URL", "http://example.com", TRUE);
  f->env = g_environ_setenv (f->env, "SEXTANT_FINNHUB_KEY", "CLIKEY", TRUE);
  f->env = g_environ_unsetenv (f->env, "SEXTANT_ALLOW_INSECURE_ENDPOINT");
  run (f, "quote", "MSFT", NULL);
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "SEXTANT_FINNHUB_BASE_URL"));
  g_assert_nonnull (strstr (f->err, "SEXTANT_ALLOW_INSECURE_ENDPOINT=1"));
}

/* With every debug message on, stdout still holds nothing but the JSON asked for, and the key,
 * which the fake Alpha Vantage echoes back percent-encoded as the real one echoes a query, never
 * reaches stderr in any spelling: sextant-cli installs the redacting writer, and it writes to
 * stderr. The key has a `+` and a `/` so that its spellings differ. */
#define CLI_DEBUG_KEY "sextant-test-cli-av-key+7/Qx"

static void
test_debug_output_on_stderr (Fixture       *f,
                             gconstpointer  data)
{
  FakeMarketServer *server = fake_market_server_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *spellings[] = { CLI_DEBUG_KEY, "sextant-test-cli-av-key%2B7%2FQx",
                              "sextant-test-cli-av-key%2b7%2fQx", "sextant-test-cli-av-key+7\\/Qx" };

  fake_market_server_push_body (server, "/query", NULL, 200, "application/json",
                                "{\"Information\": \"Invalid API call for apikey="
                                "sextant-test-cli-av-key%2B7%2FQx, see the documentation.\"}");
  f->env = g_environ_setenv (f->env, "G_MESSAGES_DEBUG", "all", TRUE);
  f->env = g_environ_setenv (f->env, "SEXTANT_PROVIDERS", "alphavantage", TRUE);
  f->env = g_environ_setenv (f->env, "SEXTANT_ALPHAVANTAGE_BASE_URL",
                             fake_market_server_get_base_url (server), TRUE);
  f->env = g_environ_setenv (f->env, "SEXTANT_ALPHAVANTAGE_KEY", CLI_DEBUG_KEY, TRUE);
  f->env = g_environ_setenv (f->env, "no_proxy", "127.0.0.1", TRUE);
  run (f, "quote", "MSFT", "--format", "json", NULL);

  /* The debug output is there (a fresh database is migrated), but on stderr. */
  g_assert_nonnull (strstr (f->err, "Database migrated"));
  g_assert_null (strstr (f->out, "Database migrated"));
  g_assert_cmpstr (json_object_get_string_member (parse_object (f->out, parser), "symbol"), ==, "MSFT");
  g_assert_cmpuint (fake_market_server_get_count (server, "/query"), >=, 1);
  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_assert_null (strstr (f->err, spellings[i]));
      g_assert_null (strstr (f->out, spellings[i]));
    }
  fake_market_server_free (server);
}

/* Points the CLI at one provider of the fake server, with a key from the environment. */
static void
use_provider (Fixture          *f,
              FakeMarketServer *server,
              const char       *id,
              const char       *upper)
{
  g_autofree char *url_variable = g_strdup_printf ("SEXTANT_%s_BASE_URL", upper);
  g_autofree char *key_variable = g_strdup_printf ("SEXTANT_%s_KEY", upper);

  f->env = g_environ_setenv (f->env, "SEXTANT_PROVIDERS", id, TRUE);
  f->env = g_environ_setenv (f->env, url_variable, fake_market_server_get_base_url (server), TRUE);
  f->env = g_environ_setenv (f->env, key_variable, "CLIKEY", TRUE);
  f->env = g_environ_setenv (f->env, "no_proxy", "127.0.0.1", TRUE);
}

/* The providers' own refusals end with the documented exit codes, their text kept: a rate limit
 * (Alpha Vantage's Note and Information, Stooq's daily hits limit) is throttled (5), the demo
 * key is credentials (4). Nothing is cached for ZZZZ, so the refusal is the answer. */
static void
test_provider_refusals (Fixture       *f,
                        gconstpointer  data)
{
  static const struct
  {
    const char *id;
    const char *upper;
    const char *path;
    const char *fixture;
    const char *content_type;
    int         status;
    const char *text;
  } cases[] = {
    { "alphavantage", "ALPHAVANTAGE", "/query", "alphavantage_rate_limit_legacy_note.json",
      "application/json", 5, "5 calls per minute" },
    { "alphavantage", "ALPHAVANTAGE", "/query", "alphavantage_rate_limit_daily.json",
      "application/json", 5, "25 requests per day" },
    { "alphavantage", "ALPHAVANTAGE", "/query", "../providers/alphavantage_burst_limit.json",
      "application/json", 5, "spreading out" },
    { "alphavantage", "ALPHAVANTAGE", "/query", "../providers/alphavantage_demo_key.json",
      "application/json", 4, "The **demo** API key" },
    { "stooq", "STOOQ", "/q/d/l/", "../providers/stooq_daily_hits_limit.txt", "text/plain", 5,
      "Exceeded the daily hits limit" },
    { "finnhub", "FINNHUB", "/quote", "../providers/finnhub_shape_t_null.json",
      "application/json", 3, "“t” for ZZZZ is not a time" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FakeMarketServer *server = fake_market_server_new ();

      fake_market_server_push (server, cases[i].path, NULL, 200, cases[i].content_type,
                               cases[i].fixture);
      use_provider (f, server, cases[i].id, cases[i].upper);
      run (f, "quote", "ZZZZ", NULL);
      g_test_message ("%s: exit %d, %s", cases[i].fixture, f->status, f->err);
      g_assert_cmpint (f->status, ==, cases[i].status);
      g_assert_nonnull (strstr (f->err, cases[i].text));
      g_assert_cmpstr (f->out, ==, "");
      fake_market_server_free (server);
      f->env = g_environ_unsetenv (f->env, "SEXTANT_PROVIDERS");
    }
}

/* Prices as the provider gave them: an index at 18606.59 (not 1.861e+04) and EUR/USD at 1.1252
 * (not 1.125); the change with the same decimals. Expected texts are the fixtures' own. */
static void
test_quote_precision (Fixture       *f,
                      gconstpointer  data)
{
  FakeMarketServer *server = fake_market_server_new ();

  fake_market_server_push (server, "/quote", NULL, 200, "application/json",
                           "../providers/finnhub_quote_index.json");
  use_provider (f, server, "finnhub", "FINNHUB");
  run (f, "quote", "NDX", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "NDX 18606.59 -120.33 (-0.64%)"));
  fake_market_server_free (server);

  server = fake_market_server_new ();
  fake_market_server_push (server, "/q/d/l/", NULL, 200, "text/csv",
                           "../providers/stooq_eurusd_daily.csv");
  use_provider (f, server, "stooq", "STOOQ");
  run (f, "quote", "EURUSD", NULL);
  g_assert_cmpint (f->status, ==, 0);
  /* 1.1252 − 1.1442 = −0.0190, shown with the closes' four decimals. */
  g_assert_nonnull (strstr (f->out, "EURUSD 1.1252 -0.0190 (-1.66%) as of 2025-06-03"));
  g_assert_null (strstr (f->out, "nan"));
  fake_market_server_free (server);
}

/* Yahoo's newest session without a close yet (nulls) is fetched and kept as a gap; the quote
 * shown offline afterwards is the last real close with its own date, never nan. */
static void
test_quote_after_empty_bar (Fixture       *f,
                            gconstpointer  data)
{
  FakeMarketServer *server = fake_market_server_new ();

  fake_market_server_push (server, "/v8/finance/chart/XYZ", NULL, 200, "application/json",
                           "../providers/yahoo_chart_null_last.json");
  f->env = g_environ_setenv (f->env, "SEXTANT_PROVIDERS", "yahoo", TRUE);
  f->env = g_environ_setenv (f->env, "SEXTANT_YAHOO_BASE_URL",
                             fake_market_server_get_base_url (server), TRUE);
  f->env = g_environ_setenv (f->env, "no_proxy", "127.0.0.1", TRUE);
  run (f, "history", "XYZ", "--from", "2001-09-25", "--to", "2001-09-27", "--format", "csv", NULL);
  g_assert_cmpint (f->status, ==, 0);
  fake_market_server_free (server);

  f->env = g_environ_unsetenv (f->env, "SEXTANT_PROVIDERS");
  run (f, "quote", "XYZ", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "XYZ 50.27 -1.03 (-2.01%) as of 2001-09-26"));
  g_assert_null (strstr (f->out, "nan"));
  run (f, "quote", "XYZ", "--format", "json", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "\"price\" : 50.27"));
  g_assert_null (strstr (f->out, "nan"));
}

/* Issue 15: a dividend row with empty price cells for 2001-09-27 does not turn the demo's close
 * of that day (49.96) into NaN: the import keeps it as a gap and `quote` still says 49.96. */
static void
test_import_empty_row (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *csv = sextant_test_reference_path ("imports/msft_with_dividend_row.csv");

  run (f, "import", csv, NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, " as MSFT\n"));
  g_assert_nonnull (strstr (f->err, "gap kept as missing: Line 4: no Close for MSFT"));

  run (f, "quote", "MSFT", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "MSFT 49.96"));
  g_assert_null (strstr (f->out, "nan"));
}

/* Issue 15: a broker's transaction export is refused, saying so; nothing is stored. */
static void
test_import_transactions (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *csv = sextant_test_reference_path ("imports/schwab_transactions.csv");

  run (f, "import", csv, NULL);
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "transaction export"));
  run (f, "quote", "KO", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "KO 60.36"));   /* the demo's last close, not the 0.62 dividend */
}

/* Issue 15: `indicators --csv` reads with the importer's tokenizer: a `;` file with every cell
 * quoted, decimal commas and a quoted line break; and a value with text after its closing
 * quote is an error naming line and column. The SMA(2) is checked against the closes Python's
 * csv module read (tests/data/imports/expected/). */
static void
test_indicators_csv_tokenizer (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *csv = sextant_test_reference_path ("imports/msft_quoted_semicolon_multiline.csv");
  g_autofree char *expected_path = sextant_test_reference_path ("imports/expected/msft_quoted_semicolon_multiline.csv");
  g_autofree char *bad = sextant_test_reference_path ("imports/msft_text_after_quote.csv");
  g_autofree char *expected = NULL;
  g_auto(GStrv) expected_lines = NULL;
  g_auto(GStrv) lines = NULL;

  run (f, "indicators", "--csv", csv, "--sma", "2", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  expected_lines = g_strsplit (expected, "\n", -1);
  lines = g_strsplit (f->out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "date,sma_2");
  for (guint i = 2; expected_lines[i] != NULL && *expected_lines[i] != '\0'; i++)
    {
      g_auto(GStrv) previous = g_strsplit (expected_lines[i - 1], ",", -1);
      g_auto(GStrv) current = g_strsplit (expected_lines[i], ",", -1);
      g_auto(GStrv) got = NULL;
      double sma = (g_ascii_strtod (previous[5], NULL) + g_ascii_strtod (current[5], NULL)) / 2;

      g_assert_nonnull (lines[i]);
      got = g_strsplit (lines[i], ",", -1);
      g_assert_cmpstr (got[0], ==, current[1]);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (got[1], NULL), sma, 1e-9);
    }

  run (f, "indicators", "--csv", bad, "--sma", "2", NULL);
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "Line 3, column 5: text after the closing quote"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

#define ADD(path, func) \
  g_test_add ("/sextant/market/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("quote-offline", test_quote_offline);
  ADD ("history", test_history);
  ADD ("import-prices", test_import_prices);
  ADD ("import-portfolio", test_import_portfolio);
  ADD ("import-empty-row", test_import_empty_row);
  ADD ("import-transactions", test_import_transactions);
  ADD ("indicators-csv-tokenizer", test_indicators_csv_tokenizer);
  ADD ("portfolio-demo", test_portfolio_demo);
  ADD ("quote-from-provider", test_quote_from_provider);
  ADD ("insecure-base-url", test_insecure_base_url);
  ADD ("debug-output-on-stderr", test_debug_output_on_stderr);
  ADD ("provider-refusals", test_provider_refusals);
  ADD ("quote-precision", test_quote_precision);
  ADD ("quote-after-empty-bar", test_quote_after_empty_bar);
#undef ADD

  return g_test_run ();
}
