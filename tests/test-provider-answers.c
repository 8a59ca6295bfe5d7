#define G_LOG_DOMAIN "test-provider-answers"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sys/resource.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

/* Provider answers that parse but must not become data (issue 15): wrong shapes, impossible
 * values, the providers' own error texts, bodies too large, a Retry-After too long, a key echoed
 * back, the data lake's retention, and quotes shown with the provider's precision. g_test_init()
 * makes every CRITICAL fatal, as G_DEBUG=fatal-criticals does: a json-glib type assertion on a
 * wrong-shaped answer fails these tests. The fixtures are in tests/data/providers/ (README there)
 * and tests/data/market-apis/. */

#define PROVIDER_TEST_KEY "PROVIDERTESTKEY1"
/* With a `+` and a `/`, so that its percent-encoded spellings differ from it. */
#define PROVIDER_ESCAPED_KEY "ProviderKey+Test/2"

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

typedef struct
{
  const char *provider;
  const char *kind;
  guint       status;
  const char *content_type;
  const char *fixture;
  int         code;
  const char *contains[3];
  const char *absent;
} AnswerCase;

#define JSON "application/json"
#define PARSE SEXTANT_MARKET_ERROR_PARSE

static const AnswerCase answer_cases[] = {
  /* Wrong shapes: a typed error naming the provider and the member, never a CRITICAL. */
  { "alphavantage", "quote", 200, JSON, "providers/alphavantage_shape_root_array.json", PARSE,
    { "Alpha Vantage: ", "“the answer” for MSFT is an array" } },
  { "alphavantage", "quote", 200, JSON, "providers/alphavantage_shape_quote_array.json", PARSE,
    { "“Global Quote” for MSFT is an array, expected an object" } },
  { "alphavantage", "quote", 200, JSON, "providers/alphavantage_shape_price_text.json", PARSE,
    { "“05. price” for MSFT is the string “n/a”" } },
  { "alphavantage", "quote", 200, JSON, "providers/alphavantage_shape_price_object.json", PARSE,
    { "“05. price” for MSFT is an object" } },
  { "alphavantage", "quote", 200, JSON, "providers/alphavantage_shape_day_null.json", PARSE,
    { "“07. latest trading day” for MSFT is not a date" } },
  { "alphavantage", "daily", 200, JSON, "providers/alphavantage_shape_series_text.json", PARSE,
    { "“Time Series (Daily)” for MSFT is the string “none”" } },
  { "alphavantage", "daily", 200, JSON, "providers/alphavantage_shape_bar_array.json", PARSE,
    { "bar “2001-09-27” of MSFT", "is an array" } },
  { "alphavantage", "daily", 200, JSON, "providers/alphavantage_shape_bar_no_close.json", PARSE,
    { "bar “2001-09-27” of MSFT has no “4. close”" } },
  { "alphavantage", "quote", 200, JSON, "providers/alphavantage_shape_information_object.json",
    PARSE, { "“Global Quote” for MSFT is missing, expected an object" } },
  { "alphavantage", "search", 200, JSON, "providers/alphavantage_shape_search_object.json", PARSE,
    { "“bestMatches” for MSFT is an object, expected an array" } },
  { "finnhub", "quote", 200, JSON, "providers/finnhub_shape_root_array.json", PARSE,
    { "Finnhub: ", "“the answer” for MSFT is an array" } },
  { "finnhub", "quote", 200, JSON, "providers/finnhub_shape_t_null.json", PARSE,
    { "“t” for MSFT is not a time" } },
  { "finnhub", "quote", 200, JSON, "providers/finnhub_shape_c_text.json", PARSE,
    { "“c” for MSFT is the string “49.96 USD”" } },
  { "finnhub", "quote", 200, JSON, "providers/finnhub_shape_t_overflow.json", PARSE,
    { "an integer too large" } },
  { "finnhub", "quote", 200, JSON, "providers/finnhub_shape_t_huge.json", PARSE,
    { "“t” for MSFT is not a time (1e+300)" } },
  { "finnhub", "daily", 200, JSON, "providers/finnhub_shape_candle_t_object.json", PARSE,
    { "“t” for MSFT is an object, expected an array" } },
  { "finnhub", "daily", 200, JSON, "providers/finnhub_shape_candle_t_null.json", PARSE,
    { "“t” for MSFT is not a time (nan)" } },
  { "yahoo", "daily", 200, JSON, "providers/yahoo_shape_chart_array.json", PARSE,
    { "Yahoo (unofficial): ", "“chart” for MSFT is an array" } },
  { "yahoo", "daily", 200, JSON, "providers/yahoo_shape_result_object.json", PARSE,
    { "“result” for MSFT is an object, expected an array" } },
  { "yahoo", "daily", 200, JSON, "providers/yahoo_shape_timestamp_null.json", PARSE,
    { "“timestamp” for MSFT is not a time" } },
  { "yahoo", "daily", 200, JSON, "providers/yahoo_shape_close_boolean.json", PARSE,
    { "“close[1]” for bar 2 (2001-09-26) of MSFT is true" } },

  /* Impossible values: refused with the row named. */
  { "alphavantage", "quote", 200, JSON, "providers/alphavantage_range_inf_change.json", PARSE,
    { "“10. change percent” for MSFT is the string “+inf%”, expected a finite number" } },
  { "alphavantage", "daily", 200, JSON, "providers/alphavantage_range_negative_close.json", PARSE,
    { "bar “2001-09-27” of MSFT: the close is -49.96, not a positive price" } },
  { "alphavantage", "daily", 200, JSON, "providers/alphavantage_range_high_below_low.json", PARSE,
    { "bar “2001-09-27” of MSFT: the high (48) is below the low (50.68)" } },
  { "alphavantage", "daily", 200, JSON, "providers/alphavantage_range_nan_close.json", PARSE,
    { "“4. close” for bar “2001-09-27” of MSFT is the string “NaN”" } },
  { "finnhub", "quote", 200, JSON, "providers/finnhub_range_negative_previous_close.json", PARSE,
    { "quote for MSFT: the previous close is -50.27, not a positive price" } },
  { "finnhub", "daily", 200, JSON, "providers/finnhub_range_zero_close.json", PARSE,
    { "candle 2 (2001-09-26) of MSFT: the close is 0, not a positive price" } },
  { "yahoo", "quote", 200, JSON, "providers/yahoo_range_infinite_price.json", PARSE,
    { "“regularMarketPrice” for MSFT is a number, expected a finite number" } },
  { "stooq", "daily", 200, "text/csv", "providers/stooq_range_negative_close.csv", PARSE,
    { "Stooq: ", "bar 2 (2001-09-26) of MSFT: the close is -50.27" } },
  { "stooq", "daily", 200, "text/csv", "providers/stooq_range_high_below_low.csv", PARSE,
    { "bar 1 (2001-09-25) of MSFT: the high (50.16) is below the low (53)" } },

  /* The providers' own error texts: mapped to the CLI's exit codes, the text kept. */
  { "alphavantage", "quote", 200, JSON, "providers/alphavantage_demo_key.json",
    SEXTANT_MARKET_ERROR_AUTH, { "the API key was refused", "The **demo** API key" } },
  { "alphavantage", "quote", 200, JSON, "providers/alphavantage_burst_limit.json",
    SEXTANT_MARKET_ERROR_RATE_LIMITED, { "rate limit reached", "spreading out" } },
  { "alphavantage", "daily", 200, JSON, "market-apis/alphavantage_rate_limit_legacy_note.json",
    SEXTANT_MARKET_ERROR_RATE_LIMITED, { "5 calls per minute" } },
  { "alphavantage", "quote", 200, JSON, "market-apis/alphavantage_rate_limit_daily.json",
    SEXTANT_MARKET_ERROR_RATE_LIMITED, { "25 requests per day" } },
  { "alphavantage", "quote", 200, JSON, "market-apis/alphavantage_invalid_key.json",
    SEXTANT_MARKET_ERROR_AUTH, { "apikey is invalid or missing" } },
  { "stooq", "daily", 200, "text/plain", "providers/stooq_daily_hits_limit.txt",
    SEXTANT_MARKET_ERROR_RATE_LIMITED, { "Stooq: ", "requests per day", "Exceeded the daily hits limit" } },
  { "stooq", "quote", 200, "text/plain", "providers/stooq_daily_hits_limit.txt",
    SEXTANT_MARKET_ERROR_RATE_LIMITED, { "Exceeded the daily hits limit" } },
  { "finnhub", "quote", 403, JSON, "market-apis/finnhub_403_no_access.json",
    SEXTANT_MARKET_ERROR_NOT_ENTITLED, { "HTTP 403: quotes for MSFT", "You don't have access" },
    "candles" },
  { "finnhub", "daily", 403, JSON, "market-apis/finnhub_403_no_access.json",
    SEXTANT_MARKET_ERROR_NOT_ENTITLED, { "HTTP 403: daily candles for MSFT", "You don't have access" } },
  { "finnhub", "quote", 429, JSON, "market-apis/finnhub_429_rate_limit.json",
    SEXTANT_MARKET_ERROR_RATE_LIMITED, { "API limit reached. Please try again later" } },
  { "finnhub", "quote", 401, JSON, "market-apis/finnhub_401_invalid_key.json",
    SEXTANT_MARKET_ERROR_AUTH, { "the API key was refused", "Invalid API key." } },
};

static SextantMarketResponse *
response_from_fixture (const AnswerCase *c)
{
  g_autofree char *path = sextant_test_reference_path (c->fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SextantMarketResponse *response;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  body = g_bytes_new_take (contents, len);
  response = sextant_market_response_new (c->provider, c->kind, "MSFT", c->status,
                                          c->content_type, body);
  response->fetched_at = 1700000000;

  return response;
}

static void
test_answer (gconstpointer data)
{
  const AnswerCase *c = data;
  g_autoptr(SextantMarketProvider) provider = sextant_market_provider_new_for_id (c->provider);
  g_autoptr(SextantMarketResponse) response = response_from_fixture (c);
  g_autoptr(GError) error = NULL;
  gpointer value;

  if (g_str_equal (c->kind, "quote"))
    value = sextant_market_provider_parse_quote (provider, response, &error);
  else if (g_str_equal (c->kind, "search"))
    value = SEXTANT_HTTP_PROVIDER_GET_CLASS (provider)->parse_search (SEXTANT_HTTP_PROVIDER (provider),
                                                                     response, &error);
  else
    value = sextant_market_provider_parse_daily (provider, response, &error);
  g_assert_null (value);
  g_assert_error (error, SEXTANT_MARKET_ERROR, c->code);
  g_test_message ("%s: %s", c->fixture, error->message);
  g_assert_true (g_str_has_prefix (error->message,
                                   sextant_market_provider_get_name (provider)));
  for (guint i = 0; i < G_N_ELEMENTS (c->contains) && c->contains[i] != NULL; i++)
    if (strstr (error->message, c->contains[i]) == NULL)
      g_error ("“%s” is not in “%s”", c->contains[i], error->message);
  if (c->absent != NULL)
    g_assert_null (strstr (error->message, c->absent));
}

/* Search results of the wrong shape are passed over, one by one, without a CRITICAL: the
 * well-formed matches of an answer are still offered. */
static void
test_search_items (void)
{
  const AnswerCase c = { "finnhub", "search", 200, JSON, "providers/finnhub_shape_search_items.json" };
  g_autoptr(SextantMarketProvider) provider = sextant_market_provider_new_for_id ("finnhub");
  g_autoptr(SextantMarketResponse) response = response_from_fixture (&c);
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  const SextantSymbolMatch *match;

  matches = SEXTANT_HTTP_PROVIDER_GET_CLASS (provider)->parse_search (SEXTANT_HTTP_PROVIDER (provider),
                                                                     response, &error);
  g_assert_no_error (error);
  /* Only the fourth item has a symbol that is a string; its type, an object, is left out. */
  g_assert_cmpuint (matches->len, ==, 1);
  match = g_ptr_array_index (matches, 0);
  g_assert_cmpstr (match->symbol, ==, "AAPL");
  g_assert_cmpstr (match->name, ==, "APPLE INC");
  g_assert_null (match->type);
}

/* The inputs the fuzzers once failed on (tests/fuzz/regressions/, the first byte is the
 * harness's selector of status and content type, as in tests/fuzz/fuzz-provider.h): each is now
 * refused, not stored as a quote dated 1970 or year 1000; and the empty file that was undefined
 * behaviour in the CSV sniffer is refused with a message. */
static void
test_fuzz_regressions (void)
{
  static const guint statuses[] = { 200, 200, 200, 200, 401, 403, 404, 429, 500, 200 };
  static const char *types[] = { "application/json", "text/csv", "text/plain", "text/html", NULL };
  static const struct { const char *file; const char *provider; } cases[] = {
    { "alphavantage-quote-year-1000", "alphavantage" },
    { "finnhub-quote-integer-overflow", "finnhub" },
    { "yahoo-quote-before-1970", "yahoo" },
    { "stooq-quote-before-1970", "stooq" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "regressions",
                                                     cases[i].file, NULL);
      g_autoptr(SextantMarketProvider) provider = sextant_market_provider_new_for_id (cases[i].provider);
      g_autoptr(SextantMarketResponse) response = NULL;
      g_autoptr(SextantQuote) quote = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      char *contents = NULL;
      gsize len = 0;
      guint8 selector;

      g_file_get_contents (path, &contents, &len, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (len, >, 1);
      selector = (guint8) contents[0];
      body = g_bytes_new (contents + 1, len - 1);
      g_free (contents);
      response = sextant_market_response_new (cases[i].provider, "quote", "MSFT",
                                              statuses[selector % G_N_ELEMENTS (statuses)],
                                              types[(selector / 16) % G_N_ELEMENTS (types)], body);
      quote = sextant_market_provider_parse_quote (provider, response, &error);
      g_assert_null (quote);
      g_assert_error (error, SEXTANT_MARKET_ERROR, PARSE);
      g_test_message ("%s: %s", cases[i].file, error->message);
    }

  {
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "regressions",
                                                   "csv-importer-empty", NULL);
    g_autoptr(SextantCsvImporter) importer = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    char *contents = NULL;
    gsize len = 0;

    g_file_get_contents (path, &contents, &len, &error);
    g_assert_no_error (error);
    bytes = g_bytes_new_take (contents, len);
    importer = sextant_csv_importer_new_for_data (bytes, 0, &error);
    g_assert_null (importer);
    g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER);
    g_test_message ("csv-importer-empty: %s", error->message);
  }
}

/* An in-process server whose answers the tests script: a status, headers, and a body given
 * whole or streamed in chunks up to a size. */
typedef struct
{
  SoupServer  *server;
  char        *base_url;
  guint        requests;
  guint        status;
  char        *retry_after;
  char        *body;
  gsize        content_length;
  gsize        stream_size;
  gsize        streamed;
  guint        second_status;
  char        *second_body;
} ScriptServer;

static const char chunk_text[] = "[1.5,2.5,3.5,4.5,5.5,6.5,7.5,8.5,9.5,10.5,11.5,12.5,13.5,14.5],";

static void
append_chunk (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  static char block[64 * 1024];

  if (block[0] == '\0')
    for (gsize i = 0; i + sizeof chunk_text - 1 <= sizeof block; i += sizeof chunk_text - 1)
      memcpy (block + i, chunk_text, sizeof chunk_text - 1);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, block, sizeof block);
}

static void
wrote_chunk_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  ScriptServer *s = user_data;

  s->streamed += 64 * 1024;
  if (s->streamed >= s->stream_size)
    soup_message_body_complete (soup_server_message_get_response_body (msg));
  else
    append_chunk (msg);
  soup_server_message_unpause (msg);
}

static void
script_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  ScriptServer *s = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gboolean second = s->requests++ > 0 && s->second_body != NULL;
  const char *text = second ? s->second_body : s->body;

  soup_server_message_set_status (msg, second ? s->second_status : s->status, NULL);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  if (s->retry_after != NULL && !second)
    soup_message_headers_replace (headers, "Retry-After", s->retry_after);
  if (s->stream_size > 0)
    {
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
      s->streamed = 0;
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (wrote_chunk_cb), s);
      append_chunk (msg);
      return;
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
  if (s->content_length > 0)
    soup_message_headers_set_content_length (headers, s->content_length);
}

static ScriptServer *
script_server_new (void)
{
  ScriptServer *s = g_new0 (ScriptServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  s->status = 200;
  s->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (s->server, NULL, script_handler, s, NULL);
  soup_server_listen_local (s->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (s->server);
  s->base_url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  while (g_str_has_suffix (s->base_url, "/"))
    s->base_url[strlen (s->base_url) - 1] = '\0';

  return s;
}

static void
script_server_free (ScriptServer *s)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (s->server);
  g_object_unref (s->server);
  g_free (s->base_url);
  g_free (s->retry_after);
  g_free (s->body);
  g_free (s->second_body);
  g_free (s);
}

static SextantMarketProvider *
provider_for (ScriptServer *s,
              const char   *id,
              const char   *key)
{
  g_autoptr(SoupSession) session = fake_market_session_new ();
  SextantMarketProvider *provider = sextant_market_provider_new_for_id (id);

  g_object_set (provider, "session", session, "base-url", s->base_url, "api-key", key, NULL);

  return provider;
}

static glong
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);

  return usage.ru_maxrss;
}

/* AddressSanitizer keeps freed memory in quarantine (256 MB by default), so peak RSS there says
 * nothing about what a normal build holds: the bound is checked in normal builds. */
static void
check_peak_growth (glong before_kb,
                   glong bound_kb)
{
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpint (peak_rss_kb () - before_kb, <, bound_kb);
#endif
}

/* A 200 MB answer is refused once 32 MB have come, and memory grows by about that, not by the
 * 692 MB that reading it whole took. */
static void
test_body_limit_streamed (void)
{
  ScriptServer *s = script_server_new ();
  g_autoptr(SextantMarketProvider) provider = provider_for (s, "finnhub", "FHKEY");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  glong before = peak_rss_kb ();

  s->stream_size = 200 * 1024 * 1024;
  series = fake_market_fetch_daily (provider, "MSFT", 0, 0, NULL, &error);
  g_assert_null (series);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "Finnhub: the answer for MSFT is over"));
  g_assert_nonnull (strstr (error->message, "more than the 33554432 bytes Sextant reads"));
  g_assert_cmpuint (s->streamed, <, s->stream_size);
  g_test_message ("%s; peak RSS grew by %ld kB", error->message, peak_rss_kb () - before);
  check_peak_growth (before, 128 * 1024);
  g_clear_object (&provider);
  script_server_free (s);
}

/* The ECB's rates are read with a limit too (128 MB: the whole history of every currency is some
 * tens of megabytes). */
static void
test_body_limit_ecb (void)
{
  ScriptServer *s = script_server_new ();
  g_autoptr(SoupSession) session = fake_market_session_new ();
  g_autoptr(SextantEcbRates) ecb = g_object_new (SEXTANT_TYPE_ECB_RATES, "session", session, NULL);
  const char *currencies[] = { "USD", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GError) error = NULL;
  glong before = peak_rss_kb ();

  sextant_ecb_rates_set_base_url (ecb, s->base_url);
  s->stream_size = 200 * 1024 * 1024;
  sextant_ecb_rates_fetch_async (ecb, currencies, 0, 0, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  series = sextant_ecb_rates_fetch_finish (ecb, result, NULL, &error);
  g_assert_null (series);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "ECB: the answer for the rates is over"));
  g_assert_cmpuint (s->streamed, <, s->stream_size);
  g_test_message ("%s; peak RSS grew by %ld kB", error->message, peak_rss_kb () - before);
  check_peak_growth (before, 192 * 1024);
  g_clear_object (&result);
  g_clear_object (&ecb);
  script_server_free (s);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

/* The other sources of numbers read with the same limits: FRED (API and keyless CSV), the US
 * Treasury's par curves and the ECB's €STR at 32 MB, the ECB's yield curves at 128 MB. Each
 * got a 200 MB answer read whole before. */
static void
test_body_limit_rate_sources (void)
{
  static const char *sources[] = { "fred", "fred-csv", "treasury", "estr", "ecb-curve" };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      ScriptServer *s = script_server_new ();
      g_autoptr(SoupSession) session = fake_market_session_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      const char *expected = NULL;
      gpointer value = NULL;
      glong before = peak_rss_kb ();
      gsize limit = 32 * 1024 * 1024;

      s->stream_size = 200 * 1024 * 1024;
      if (g_str_has_prefix (sources[i], "fred"))
        {
          g_autoptr(SextantFredClient) fred = sextant_fred_client_new ();

          sextant_fred_client_set_base_urls (fred, s->base_url, s->base_url);
          sextant_fred_client_set_session (fred, session);
          if (g_str_equal (sources[i], "fred"))
            sextant_fred_client_set_api_key (fred, PROVIDER_TEST_KEY);
          sextant_fred_client_fetch_async (fred, "DGS10", 20000, 20010, NULL, store_result_cb,
                                           &result);
          value = sextant_fred_client_fetch_finish (fred, wait_for_result (&result), &error);
          expected = "FRED: the answer for DGS10 is over";
          g_clear_pointer ((SextantFredSeries **) &value, sextant_fred_series_free);
        }
      else if (g_str_equal (sources[i], "treasury"))
        {
          g_autoptr(SextantTreasuryRates) treasury = g_object_new (SEXTANT_TYPE_TREASURY_RATES,
                                                                   "session", session, NULL);

          sextant_treasury_rates_set_base_url (treasury, s->base_url);
          sextant_treasury_rates_fetch_year_async (treasury, 2025, NULL, store_result_cb, &result);
          value = sextant_treasury_rates_fetch_year_finish (treasury, wait_for_result (&result),
                                                            NULL, &error);
          expected = "US Treasury: the answer for 2025 is over";
          g_clear_pointer ((GPtrArray **) &value, g_ptr_array_unref);
        }
      else if (g_str_equal (sources[i], "estr"))
        {
          sextant_estr_fetch_async (session, s->base_url, 20000, 20010, NULL, store_result_cb,
                                    &result);
          value = sextant_estr_fetch_finish (wait_for_result (&result), &error);
          expected = "ECB €STR: the answer is over";
          g_clear_pointer ((SextantEstrRates **) &value, sextant_estr_rates_free);
        }
      else
        {
          sextant_ecb_curve_fetch_async (session, s->base_url, 20000, 20010, NULL, store_result_cb,
                                         &result);
          value = sextant_ecb_curve_fetch_finish (wait_for_result (&result), NULL, &error);
          expected = "ECB: the answer for the yield curve is over";
          limit = 128 * 1024 * 1024;
          g_clear_pointer ((GPtrArray **) &value, g_ptr_array_unref);
        }
      g_test_message ("%s: %s; peak RSS grew by %ld kB", sources[i],
                      error != NULL ? error->message : "no error", peak_rss_kb () - before);
      g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE);
      g_assert_true (g_str_has_prefix (error->message, expected));
      g_assert_cmpuint (s->streamed, <, s->stream_size);
      g_assert_cmpuint (s->streamed, <, limit + 16 * 1024 * 1024);
      check_peak_growth (before, limit / 1024 + 64 * 1024);
      g_clear_object (&result);
      script_server_free (s);
    }
}

/* A Content-Length over the limit is refused before the body is read. */
static void
test_body_limit_announced (void)
{
  ScriptServer *s = script_server_new ();
  g_autoptr(SextantMarketProvider) provider = provider_for (s, "finnhub", "FHKEY");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  GString *big = g_string_new ("{\"c\":[");

  while (big->len < 300 * 1024)
    g_string_append (big, "1.5,");
  g_string_append (big, "1.5]}");
  s->status = 200;
  s->body = g_string_free (big, FALSE);
  sextant_http_provider_set_max_body_size (SEXTANT_HTTP_PROVIDER (provider), 100 * 1024);
  quote = fake_market_fetch_quote (provider, "MSFT", NULL, &error);
  g_assert_null (quote);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "is 30720"));
  g_clear_object (&provider);
  script_server_free (s);
}

/* A Retry-After longer than Sextant waits is reported at once, with the time it names. */
static void
test_retry_after_too_long (void)
{
  ScriptServer *s = script_server_new ();
  g_autoptr(SextantMarketProvider) provider = provider_for (s, "finnhub", "FHKEY");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  gint64 start = g_get_monotonic_time ();

  s->status = 429;
  s->retry_after = g_strdup ("3600");
  s->body = g_strdup ("{\"error\":\"API limit reached. Please try again later. Remaining Limit: 0\"}");
  quote = fake_market_fetch_quote (provider, "MSFT", NULL, &error);
  g_assert_null (quote);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "the provider asks to wait 3600 s, until "));
  g_assert_nonnull (strstr (error->message, "API limit reached"));
  g_assert_cmpuint (s->requests, ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_clear_object (&provider);
  script_server_free (s);
}

/* The same for a Retry-After given as an HTTP date two hours ahead. */
static void
test_retry_after_date (void)
{
  ScriptServer *s = script_server_new ();
  g_autoptr(SextantMarketProvider) provider = provider_for (s, "finnhub", "FHKEY");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;

  s->status = 429;
  s->retry_after = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  s->body = g_strdup ("{\"error\":\"API limit reached. Please try again later. Remaining Limit: 0\"}");
  quote = fake_market_fetch_quote (provider, "MSFT", NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "the provider asks to wait 7"));
  g_assert_cmpuint (s->requests, ==, 1);
  g_clear_object (&provider);
  script_server_free (s);
}

/* A short Retry-After is still waited for, and the retry answers. */
static void
test_retry_after_short (void)
{
  ScriptServer *s = script_server_new ();
  g_autoptr(SextantMarketProvider) provider = provider_for (s, "finnhub", "FHKEY");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  g_autofree char *path = sextant_test_reference_path ("market-apis/finnhub_quote.json");

  s->status = 429;
  s->retry_after = g_strdup ("1");
  s->body = g_strdup ("{\"error\":\"API limit reached. Please try again later. Remaining Limit: 0\"}");
  s->second_status = 200;
  g_file_get_contents (path, &s->second_body, NULL, &error);
  g_assert_no_error (error);
  quote = fake_market_fetch_quote (provider, "MSFT", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (quote->price, ==, 49.96);
  g_assert_cmpuint (s->requests, ==, 2);
  g_clear_object (&provider);
  script_server_free (s);
}

static gint64
fixed_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

/* The router takes a provider at its word: after a 429 asking for an hour, the provider is not
 * asked again for that hour (the clock is fixed, so the wait left is the whole hour). */
static void
test_router_honours_retry_after (void)
{
  ScriptServer *s = script_server_new ();
  g_autoptr(SextantMarketProvider) provider = provider_for (s, "finnhub", "FHKEY");
  g_autoptr(SextantMarketRouter) router = sextant_market_router_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  gint64 now = 1000 * G_USEC_PER_SEC;
  gint64 wait = 0;

  s->status = 429;
  s->retry_after = g_strdup ("3600");
  s->body = g_strdup ("{\"error\":\"API limit reached. Please try again later. Remaining Limit: 0\"}");
  sextant_market_router_set_clock (router, fixed_clock, &now);
  sextant_market_router_add_provider (router, provider);
  sextant_market_router_fetch_quote_async (router, "MSFT", NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  quote = sextant_market_router_fetch_quote_finish (router, result, NULL, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED);
  g_assert_false (sextant_rate_limiter_try_acquire (sextant_market_router_get_limiter (router,
                                                                                       "finnhub"),
                                                    &wait));
  g_assert_cmpint (wait, ==, G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  g_clear_object (&result);
  g_clear_object (&router);
  g_clear_object (&provider);
  script_server_free (s);
}

static SextantStore *
open_store (char **dir)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  SextantStore *store;

  *dir = sextant_test_make_temp_dir ();
  path = g_build_filename (*dir, "sextant.db", NULL);
  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);

  return store;
}

static void
remove_store (SextantStore *store,
              char         *dir)
{
  g_assert_finalize_object (store);
  sextant_test_remove_temp_dir (dir);
  g_free (dir);
}

/* Alpha Vantage's daily-limit answer quotes the key back: the key is out of the response, of
 * the error, and of what the data lake keeps. */
static void
test_key_echo (void)
{
  ScriptServer *s = script_server_new ();
  g_autoptr(SextantMarketProvider) provider = provider_for (s, "alphavantage", PROVIDER_TEST_KEY);
  g_autofree char *path = sextant_test_reference_path ("providers/alphavantage_rate_limit_echoes_key.json");
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(SextantMarketResponse) stored = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  g_autofree char *body = NULL;
  g_autofree char *stored_body = NULL;
  SextantStore *store;
  char *dir;
  gint64 id;

  g_file_get_contents (path, &s->body, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (s->body, PROVIDER_TEST_KEY));
  s->status = 200;
  quote = fake_market_fetch_quote (provider, "MSFT", &response, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED);
  g_assert_null (strstr (error->message, PROVIDER_TEST_KEY));
  g_assert_nonnull (strstr (error->message, "detected your API key as REDACTED"));
  body = g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
  g_assert_null (strstr (body, PROVIDER_TEST_KEY));
  g_clear_error (&error);

  store = open_store (&dir);
  cache = sextant_market_cache_new (store);
  id = sextant_market_cache_put_response (cache, response, &error);
  g_assert_no_error (error);
  stored = sextant_market_cache_get_response (cache, id, &error);
  g_assert_no_error (error);
  stored_body = g_strndup (g_bytes_get_data (stored->body, NULL), g_bytes_get_size (stored->body));
  g_assert_null (strstr (stored_body, PROVIDER_TEST_KEY));
  g_assert_nonnull (strstr (stored_body, "25 requests per day"));
  g_clear_object (&cache);
  remove_store (store, dir);
  g_clear_object (&provider);
  script_server_free (s);
}

/* The key echoed percent-encoded, in either case of the escapes, is taken out too. */
static void
test_key_echo_escaped (void)
{
  ScriptServer *s = script_server_new ();
  g_autoptr(SextantMarketProvider) provider = provider_for (s, "alphavantage", PROVIDER_ESCAPED_KEY);
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  g_autofree char *body = NULL;

  s->body = g_strdup ("{\"Error Message\": \"Invalid API call for apikey=ProviderKey%2BTest%2F2 "
                      "(also seen as ProviderKey%2btest%2f2 and ProviderKey%2bTest%2f2)\"}");
  quote = fake_market_fetch_quote (provider, "MSFT", &response, &error);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_AUTH);
  body = g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
  g_assert_cmpstr (body, ==, "{\"Error Message\": \"Invalid API call for apikey=REDACTED "
                             "(also seen as ProviderKey%2btest%2f2 and REDACTED)\"}");
  g_assert_null (strstr (error->message, "ProviderKey%2BTest"));
  g_clear_object (&provider);
  script_server_free (s);
}

/* A body that reaches the lake with a secret Sextant knows (one read from the keyring is
 * registered with the log writer) is stored without it. */
static void
test_lake_redacts_secrets (void)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"Information\": \"key PROVIDERTESTKEY1 refused\"}",
                                               strlen ("{\"Information\": \"key PROVIDERTESTKEY1 refused\"}"));
  g_autoptr(SextantMarketResponse) response = sextant_market_response_new ("alphavantage", "quote",
                                                                          "MSFT", 200, JSON, body);
  g_autoptr(SextantMarketResponse) stored = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SextantStore *store = NULL;
  char *dir = NULL;
  gint64 id;

  sextant_log_writer_register_secret (PROVIDER_TEST_KEY);
  store = open_store (&dir);
  cache = sextant_market_cache_new (store);
  id = sextant_market_cache_put_response (cache, response, &error);
  g_assert_no_error (error);
  stored = sextant_market_cache_get_response (cache, id, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (stored->body, NULL), g_bytes_get_size (stored->body));
  g_assert_null (strstr (text, PROVIDER_TEST_KEY));
  g_assert_nonnull (strstr (text, "refused"));
  g_clear_object (&cache);
  remove_store (store, dir);
}

static void
put (SextantMarketCache *cache,
     const char         *symbol,
     const char         *kind,
     gint64              fetched_at,
     gsize               size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) fetched_at);
  guint8 *data = g_malloc (size);

  /* Random bytes do not compress: the stored size is the size asked for. */
  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  body = g_bytes_new_take (data, size);
  response = sextant_market_response_new ("finnhub", kind, symbol, 200, JSON, body);
  response->fetched_at = fetched_at;
  sextant_market_cache_put_response (cache, response, &error);
  g_assert_no_error (error);
}

/* Row ids are reused after a delete, so responses are told apart by their symbol. */
static gboolean
has_response (SextantMarketCache *cache,
              const char         *symbol)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = sextant_market_cache_list_responses (cache, symbol, NULL, &error);

  g_assert_no_error (error);

  return ids->len == 1;
}

/* The lake keeps responses up to its age and its size; the last day's and the ECB's are kept
 * whatever the limits. */
static void
test_lake_retention (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(SextantMarketCache) cache = NULL;
  SextantStore *store;
  char *dir;

  store = open_store (&dir);
  cache = sextant_market_cache_new (store);
  sextant_market_cache_set_lake_limits (cache, 30 * 86400, 10000);
  put (cache, "OLD", "daily", now - 60 * 86400, 100);
  put (cache, "OLDFX", "fx", now - 60 * 86400, 100);
  put (cache, "W0", "daily", now - 7 * 86400, 3000);
  put (cache, "W1", "daily", now - 6 * 86400, 3000);
  put (cache, "W2", "daily", now - 5 * 86400, 3000);
  put (cache, "W3", "daily", now - 4 * 86400, 3000);
  /* Over the size limit alone, but fetched within the day. */
  put (cache, "NOW", "quote", now - 600, 11000);

  g_assert_false (has_response (cache, "OLD"));
  g_assert_true (has_response (cache, "OLDFX"));
  g_assert_false (has_response (cache, "W0"));
  g_assert_false (has_response (cache, "W1"));
  g_assert_false (has_response (cache, "W2"));
  g_assert_false (has_response (cache, "W3"));
  g_assert_true (has_response (cache, "NOW"));
  g_clear_object (&cache);
  remove_store (store, dir);
}

/* Within the limits nothing is dropped: three days of 3000 bytes fit in 10000. */
static void
test_lake_within_limits (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(SextantMarketCache) cache = NULL;
  SextantStore *store;
  char *dir;

  store = open_store (&dir);
  cache = sextant_market_cache_new (store);
  sextant_market_cache_set_lake_limits (cache, 30 * 86400, 10000);
  put (cache, "W0", "daily", now - 20 * 86400, 3000);
  put (cache, "W1", "daily", now - 10 * 86400, 3000);
  put (cache, "W2", "daily", now - 5 * 86400, 3000);
  g_assert_true (has_response (cache, "W0"));
  g_assert_true (has_response (cache, "W1"));
  g_assert_true (has_response (cache, "W2"));
  /* A fourth pushes the oldest out. */
  put (cache, "W3", "daily", now - 4 * 86400, 3000);
  g_assert_false (has_response (cache, "W0"));
  g_assert_true (has_response (cache, "W1"));
  g_assert_true (has_response (cache, "W3"));
  g_clear_object (&cache);
  remove_store (store, dir);
}

/* Without limits set, the lake keeps a year: a response fetched 400 days ago goes at the next
 * store, one of 300 days stays. */
static void
test_lake_default_retention (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(SextantMarketCache) cache = NULL;
  SextantStore *store;
  char *dir;

  store = open_store (&dir);
  cache = sextant_market_cache_new (store);
  put (cache, "MONTHS", "daily", now - 300 * 86400, 100);
  put (cache, "YEAR", "daily", now - 400 * 86400, 100);
  put (cache, "TODAY", "quote", now - 60, 100);
  g_assert_true (has_response (cache, "MONTHS"));
  g_assert_false (has_response (cache, "YEAR"));
  g_assert_true (has_response (cache, "TODAY"));
  g_clear_object (&cache);
  remove_store (store, dir);
}

/* Prices print with the decimals the provider gave, never in exponent form, never nan. The
 * expected texts are the providers' own (tests/data/providers/README.md). */
static void
test_price_format (void)
{
  static const struct { double value; const char *text; } cases[] = {
    { 18606.59, "18606.59" }, { 1.1252, "1.1252" }, { 49.96, "49.96" }, { 20000, "20000" },
    { 0.00012345, "0.00012345" }, { (double) 51.3f, "51.3" }, { 1.1e-9, "0.00000000" },
    { NAN, "—" }, { INFINITY, "—" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sextant_quote_format_price (cases[i].value, -1);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* A fetched series whose newest session has no close yet (Yahoo's nulls): the offline quote is
 * the last real close, dated by its own day, never NaN. */
static void
test_quote_skips_empty_bar (void)
{
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantMarketRouter) router = sextant_market_router_new ();
  g_autoptr(SextantMarketData) market = NULL;
  g_autoptr(SextantPriceSeries) series = sextant_price_series_new ("XYZ", 3);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  g_autoptr(GError) fetch_error = NULL;
  g_autoptr(GError) error = NULL;
  SextantStore *store;
  char *dir;

  store = open_store (&dir);
  cache = sextant_market_cache_new (store);
  /* 2001-09-25 … 2001-09-27 are days 11590 … 11592. */
  sextant_price_series_set_row (series, 0, 11590, 52.27, 53, 50.16, 51.3, 42470300);
  sextant_price_series_set_row (series, 1, 11591, 51.51, 51.8, 49.55, 50.27, 29262200);
  sextant_price_series_set_row (series, 2, 11592, NAN, NAN, NAN, NAN, NAN);
  g_assert_true (sextant_market_cache_store_fetch (cache, NULL, series, NULL, "yahoo", &error));
  g_assert_no_error (error);

  market = sextant_market_data_new (cache, router);
  sextant_market_data_get_quote_async (market, "XYZ", NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  quote = sextant_market_data_get_quote_finish (market, result, &fetch_error, &error);
  g_assert_no_error (error);
  g_assert_nonnull (quote);
  g_assert_cmpfloat (quote->price, ==, 50.27);
  g_assert_cmpint (quote->as_of, ==, (gint64) 11591 * 86400);
  g_assert_cmpfloat (quote->previous_close, ==, 51.3);
  g_assert_false (isnan (quote->change));
  g_clear_object (&result);
  g_clear_object (&market);
  g_clear_object (&cache);
  remove_store (store, dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (answer_cases); i++)
    {
      g_autofree char *base = g_path_get_basename (answer_cases[i].fixture);
      g_autofree char *name = g_strdup_printf ("/sextant/market/answers/%s/%s", answer_cases[i].kind,
                                               base);

      g_test_add_data_func (name, &answer_cases[i], test_answer);
    }
  g_test_add_func ("/sextant/market/answers/search-items", test_search_items);
  g_test_add_func ("/sextant/market/answers/fuzz-regressions", test_fuzz_regressions);
  g_test_add_func ("/sextant/market/answers/body-limit-streamed", test_body_limit_streamed);
  g_test_add_func ("/sextant/market/answers/body-limit-announced", test_body_limit_announced);
  g_test_add_func ("/sextant/market/answers/body-limit-ecb", test_body_limit_ecb);
  g_test_add_func ("/sextant/market/answers/body-limit-rate-sources", test_body_limit_rate_sources);
  g_test_add_func ("/sextant/market/answers/retry-after-too-long", test_retry_after_too_long);
  g_test_add_func ("/sextant/market/answers/retry-after-date", test_retry_after_date);
  g_test_add_func ("/sextant/market/answers/retry-after-short", test_retry_after_short);
  g_test_add_func ("/sextant/market/answers/router-honours-retry-after",
                   test_router_honours_retry_after);
  g_test_add_func ("/sextant/market/answers/key-echo", test_key_echo);
  g_test_add_func ("/sextant/market/answers/key-echo-escaped", test_key_echo_escaped);
  g_test_add_func ("/sextant/market/answers/lake-redacts-secrets", test_lake_redacts_secrets);
  g_test_add_func ("/sextant/market/answers/lake-retention", test_lake_retention);
  g_test_add_func ("/sextant/market/answers/lake-within-limits", test_lake_within_limits);
  g_test_add_func ("/sextant/market/answers/lake-default-retention", test_lake_default_retention);
  g_test_add_func ("/sextant/market/answers/price-format", test_price_format);
  g_test_add_func ("/sextant/market/answers/quote-skips-empty-bar", test_quote_skips_empty_bar);

  return g_test_run ();
}
