#define G_LOG_DOMAIN "test-cli-fx"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

/* The built sextant-cli, passed by tests/meson.build. */
static const char *cli_path;

typedef struct
{
  FakeMarketServer *server;
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
  f->env = g_environ_unsetenv (f->env, "SEXTANT_ALLOW_INSECURE_ENDPOINT");
  f->server = fake_market_server_new ();
  fake_market_server_serve_ecb (f->server, "ecb_exr_daily.csv");
  f->env = g_environ_setenv (f->env, "SEXTANT_ECB_BASE_URL",
                             fake_market_server_get_base_url (f->server), TRUE);
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
  fake_market_server_free (f->server);
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

/* Rates of tests/data/market-apis/ecb_exr_daily.csv (synthetic values in the ECB's layout);
 * EUR per USD is 1 / (USD per EUR), printed as the shortest text that reads back the same. */
static void
test_series_csv (Fixture       *f,
                 gconstpointer  data)
{
  run (f, "fx", "--base", "EUR", "USD", "--from", "2023-12-28", "--to", "2024-01-05",
       "--format", "csv", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->out, ==,
                   "symbol,currency,base,date,rate,source\n"
                   "USD,USD,EUR,2023-12-28,0.9009009009009008,ECB statistics\n"   /* 1/1.11 */
                   "USD,USD,EUR,2023-12-29,0.90497737556561086,ECB statistics\n"  /* 1/1.105 */
                   "USD,USD,EUR,2024-01-01,,ECB statistics\n"                     /* holiday */
                   "USD,USD,EUR,2024-01-02,0.91324200913242015,ECB statistics\n"  /* 1/1.095 */
                   "USD,USD,EUR,2024-01-03,0.9174311926605504,ECB statistics\n"   /* 1/1.09 */
                   "USD,USD,EUR,2024-01-04,0.91324200913242015,ECB statistics\n"  /* 1/1.095 */
                   "USD,USD,EUR,2024-01-05,0.91575091575091572,ECB statistics\n"); /* 1/1.092 */
  g_assert_nonnull (strstr (fake_market_server_get_last_query (f->server),
                            "startPeriod=2023-12-28&endPeriod=2024-01-05&format=csvdata"));

  /* The same range again comes from the cache. */
  run (f, "fx", "USD", "--from", "2024-01-02", "--to", "2024-01-03", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 1);
  g_assert_cmpstr (f->out, ==,
                   "USD: 1 USD in EUR (Source: ECB statistics)\n"
                   "2024-01-02  0.913242\n"
                   "2024-01-03  0.917431\n");
}

/* Cross rates through the euro, hand: GBP per USD = 0.86 / 1.092 = 0.787546, GBP per JPY =
 * 0.86 / 158.5 = 0.00542587, on Friday 2024-01-05, the latest on or before Sunday the 7th; MSFT
 * is priced in USD (the demo set says so). */
static void
test_latest_cross (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *msft;
  JsonArray *rates;

  run (f, "fx", "--base", "GBP", "USD", "JPY", "MSFT", "EUR", "--to", "2024-01-07", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->out, ==,
                   "1 USD = 0.787546 GBP on 2024-01-05 (Source: ECB statistics)\n"
                   "1 JPY = 0.00542587 GBP on 2024-01-05 (Source: ECB statistics)\n"
                   "MSFT: 1 USD = 0.787546 GBP on 2024-01-05 (Source: ECB statistics)\n"
                   "1 EUR = 0.86 GBP on 2024-01-05 (Source: ECB statistics)\n");
  g_assert_nonnull (strstr (fake_market_server_get_last_query (f->server),
                            "startPeriod=2023-12-24&endPeriod=2024-01-07"));

  run (f, "fx", "--base", "GBP", "MSFT", "GBP", "--to", "2024-01-07", "--format", "json", NULL);
  g_assert_cmpint (f->status, ==, 0);
  root = parse_object (f->out, parser);
  g_assert_cmpstr (json_object_get_string_member (root, "base"), ==, "GBP");
  g_assert_cmpstr (json_object_get_string_member (root, "citation"), ==, "Source: ECB statistics");
  g_assert_false (json_object_get_boolean_member (root, "offline"));
  rates = json_object_get_array_member (root, "rates");
  g_assert_cmpuint (json_array_get_length (rates), ==, 2);
  msft = json_array_get_object_element (rates, 0);
  g_assert_cmpstr (json_object_get_string_member (msft, "symbol"), ==, "MSFT");
  g_assert_cmpstr (json_object_get_string_member (msft, "currency"), ==, "USD");
  g_assert_cmpstr (json_object_get_string_member (msft, "date"), ==, "2024-01-05");
  g_assert_cmpstr (json_object_get_string_member (msft, "source"), ==, "ECB statistics");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (msft, "rate"), 0.86 / 1.092, 1e-15);
  /* A currency in itself needs no rate. */
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (rates, 1), "rate"), ==, 1.0);
}

/* The ECB out of reach: the cache answers and says so; with nothing cached, exit 7. */
static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *closed = g_strdup_printf ("http://127.0.0.1:%u", fake_market_closed_port ());
  JsonObject *root, *usd;

  run (f, "fx", "GBP", "--from", "2023-12-28", "--to", "2024-01-05", "--format", "json", NULL);
  g_assert_cmpint (f->status, ==, 0);
  f->env = g_environ_setenv (f->env, "SEXTANT_ECB_BASE_URL", closed, TRUE);

  run (f, "fx", "GBP", "--format", "json", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->err, "offline"));
  g_assert_nonnull (strstr (f->err, "rates from the local cache"));
  root = parse_object (f->out, parser);
  g_assert_true (json_object_get_boolean_member (root, "offline"));
  usd = json_array_get_object_element (json_object_get_array_member (root, "rates"), 0);
  g_assert_cmpstr (json_object_get_string_member (usd, "date"), ==, "2024-01-05");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (usd, "rate"), 1 / 0.86, 1e-14);

  run (f, "fx", "JPY", NULL);
  g_assert_cmpint (f->status, ==, 7);
  g_assert_nonnull (strstr (f->err, "no cached ECB rate for JPY"));
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  /* Bad usage: 2. */
  run (f, "fx", NULL);
  g_assert_cmpint (f->status, ==, 2);
  run (f, "fx", "USD", "--from", "2024-01-05", "--to", "2024-01-01", NULL);
  g_assert_cmpint (f->status, ==, 2);
  run (f, "fx", "USD", "--format", "xml", NULL);
  g_assert_cmpint (f->status, ==, 2);
  run (f, "fx", "USD", "--base", "euro", NULL);
  g_assert_cmpint (f->status, ==, 2);
  run (f, "fx", "NOT-A-SYMBOL", NULL);
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "neither an ISO 4217 currency code nor an instrument"));
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 0);

  /* An unknown currency: HTTP 404, "no such series", an API error. */
  run (f, "fx", "ZZZ", "--from", "2024-01-02", "--to", "2024-01-05", NULL);
  g_assert_cmpint (f->status, ==, 6);
  g_assert_nonnull (strstr (f->err, "no such series for ZZZ"));

  fake_market_server_set_ecb_fault (f->server, FAKE_ECB_SERVER_ERROR);
  run (f, "fx", "USD", "--from", "2024-01-02", "--to", "2024-01-05", NULL);
  g_assert_cmpint (f->status, ==, 6);
  g_assert_nonnull (strstr (f->err, "HTTP 500"));

  /* Bad data: 3. */
  fake_market_server_set_ecb_fault (f->server, FAKE_ECB_TRUNCATED);
  run (f, "fx", "USD", "--from", "2024-01-02", "--to", "2024-01-05", NULL);
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "truncated"));

  /* Only empty values: the currency has no rate, never a zero one. */
  fake_market_server_set_ecb_fault (f->server, FAKE_ECB_EMPTY_VALUES);
  run (f, "fx", "USD", "--from", "2024-01-02", "--to", "2024-01-05", "--format", "csv", NULL);
  g_assert_cmpint (f->status, ==, 6);
  g_assert_nonnull (strstr (f->err, "the ECB has no rate for USD between 2024-01-02 and 2024-01-05"));

  /* A plain-HTTP base URL to another computer is refused before any request. */
  f->env = g_environ_setenv (f->env, "SEXTANT_ECB_BASE_URL", "http://rates.example.org", TRUE);
  run (f, "fx", "USD", NULL);
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "Refusing the plain-HTTP endpoint"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

#define ADD(path, func) \
  g_test_add ("/sextant/cli/fx/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("series-csv", test_series_csv);
  ADD ("latest-cross", test_latest_cross);
  ADD ("offline", test_offline);
  ADD ("errors", test_errors);
#undef ADD

  return g_test_run ();
}
