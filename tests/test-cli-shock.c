#define G_LOG_DOMAIN "test-cli-shock"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

/* `sextant-cli shock` on a book of a stock, three bonds (two dollar bonds on the Treasury's
 * curve, a euro bond on the ECB's AAA spot curve) and cash in three currencies (base EUR),
 * imported from tests/data/shock/desk_book.csv, against tests/data/shock/shock_reference.json:
 * QuantLib's curve, bond cash flows and z-spread prices and plain arithmetic for the rest
 * (make_shock_reference.py; the conventions are in its docstring and tests/data/shock/README.md). */

#define BOOK "Desk book"

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
  /* The ECB's data API with the synthetic January-February 2025 rates of tests/data/shock. */
  f->server = fake_market_server_new ();
  fake_market_server_serve_ecb (f->server, "../shock/ecb_exr_2025-01-02.csv");
  /* …and its euro-area AAA yield curves (synthetic) of 27–28 February 2025, for the euro bond. */
  fake_market_server_serve_ecb_curve (f->server, "rates/ecb_yc_aaa_synthetic.csv");
  fake_market_server_serve_treasury (f->server, "rates/treasury_par_2025-02.csv", 2025);
  f->env = g_environ_setenv (f->env, "SEXTANT_ECB_BASE_URL",
                             fake_market_server_get_base_url (f->server), TRUE);
  /* No Treasury unless a test points at the fake's: a test that needed it would fail, not reach
   * the internet. */
  f->env = g_environ_setenv (f->env, "SEXTANT_TREASURY_BASE_URL", "http://127.0.0.1:9/", TRUE);
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

static void
runv (Fixture            *f,
      const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (char *) cli_path);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);
  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  f->status = sextant_test_run_in_env ((const char * const *) args->pdata,
                                       (const char * const *) f->env, &f->out, &f->err);
}

#define run(f, ...) runv ((f), (const char * const []) { __VA_ARGS__, NULL })

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
load_reference (void)
{
  g_autofree char *path = sextant_test_reference_path ("shock/shock_reference.json");
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return parse (text);
}

/* The stock's closes, then the book in euros from its holdings file. */
static void
create_book (Fixture *f)
{
  g_autofree char *closes = sextant_test_reference_path ("shock/acme_2025-02.csv");
  g_autofree char *holdings = sextant_test_reference_path ("shock/desk_book.csv");

  run (f, "import", closes, "--symbol", "ACME");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "portfolio", "create", BOOK, "--currency", "EUR");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "import", holdings, "--portfolio", BOOK);
  if (f->status != 0)
    g_error ("import: %s", f->err);
}

static void
run_shock (Fixture     *f,
           const char  *rates,
           const char  *spreads,
           const char  *fx_usd,
           const char  *fx_gbp)
{
  g_autofree char *curve = sextant_test_reference_path ("rates/treasury_par_2025-02.csv");

  run (f, "shock", "--portfolio", BOOK, "--curve", curve, "--date", "2025-02-28", "--rates", rates,
       "--spreads", spreads, "--fx", fx_usd, "--fx", fx_gbp, "--format", "json");
  if (f->status != 0)
    g_error ("shock exited %d: %s", f->status, f->err);
}

static const char *figures[] = { "value", "pnl", "rates_pnl", "spreads_pnl", "fx_pnl", NULL };

/* Values to 1e-10 relative, P&L to 1e-9 of max(1, |P&L|) (a difference of two prices of the
 * curve, which agrees with QuantLib's to 1e-12 in discount factors), bond prices and spread
 * durations to 1e-10. With @no_moves, every P&L is exactly 0. */
static void
check_against_reference (JsonObject *answer,
                         gboolean    no_moves)
{
  g_autoptr(JsonNode) reference = load_reference ();
  JsonObject *ref = json_node_get_object (reference);
  JsonArray *rows = json_object_get_array_member (answer, "holdings");
  JsonArray *ref_rows = json_object_get_array_member (ref, "holdings");
  JsonObject *total = json_object_get_object_member (answer, "total");

  g_assert_cmpstr (json_object_get_string_member (answer, "date"), ==, "2025-02-28");
  g_assert_cmpstr (json_object_get_string_member (answer, "base_currency"), ==, "EUR");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer, "curve"),
                                                  "date"), ==, "2025-02-28");
  /* One curve per currency of the book's bonds: the dollar bonds' and the euro bond's. */
  {
    JsonArray *curves = json_object_get_array_member (answer, "curves");
    JsonArray *ref_curves = json_object_get_array_member (ref, "curves");

    g_assert_cmpuint (json_array_get_length (curves), ==, json_array_get_length (ref_curves));
    for (guint i = 0; i < json_array_get_length (curves); i++)
      {
        JsonObject *one = json_array_get_object_element (curves, i);
        JsonObject *want = json_array_get_object_element (ref_curves, i);

        g_assert_cmpstr (json_object_get_string_member (one, "currency"), ==,
                         json_object_get_string_member (want, "currency"));
        g_assert_cmpstr (json_object_get_string_member (one, "date"), ==,
                         json_object_get_string_member (want, "date"));
      }
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (curves, 1),
                                                    "source"), ==, "ecb-aaa-spot");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (curves, 1),
                                                    "rates"), ==, "zero");
  }
  g_assert_cmpuint (json_array_get_length (rows), ==, json_array_get_length (ref_rows));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *want = json_array_get_object_element (ref_rows, i);

      g_assert_cmpstr (json_object_get_string_member (row, "symbol"), ==,
                       json_object_get_string_member (want, "symbol"));
      g_assert_cmpstr (json_object_get_string_member (row, "kind"), ==,
                       json_object_get_string_member (want, "kind"));
      g_assert_cmpstr (json_object_get_string_member (row, "currency"), ==,
                       json_object_get_string_member (want, "currency"));
      if (json_object_has_member (want, "as_of"))
        g_assert_cmpstr (json_object_get_string_member (row, "as_of"), ==,
                         json_object_get_string_member (want, "as_of"));
      sextant_assert_close_rel (json_object_get_double_member (row, "value"),
                                json_object_get_double_member (want, "value"), 1e-10);
      for (guint k = 1; figures[k] != NULL; k++)
        if (no_moves)
          g_assert_cmpfloat (json_object_get_double_member (row, figures[k]), ==, 0.0);
        else
          sextant_assert_close_mixed (json_object_get_double_member (row, figures[k]),
                                      json_object_get_double_member (want, figures[k]), 1e-9);
      if (g_str_equal (json_object_get_string_member (want, "kind"), "bond"))
        {
          sextant_assert_close_rel (json_object_get_double_member (row, "dirty_price"),
                                    json_object_get_double_member (want, "dirty_price"), 1e-10);
          sextant_assert_close_rel (json_object_get_double_member (row, "spread_duration"),
                                    json_object_get_double_member (want, "spread_duration"), 1e-10);
          if (!no_moves)
            sextant_assert_close_rel (json_object_get_double_member (row, "dirty_price_after"),
                                      json_object_get_double_member (want, "dirty_price_after"),
                                      1e-10);
        }
    }
  sextant_assert_close_rel (json_object_get_double_member (total, "value"),
                            json_object_get_double_member (json_object_get_object_member (ref, "total"),
                                                           "value"), 1e-10);
  for (guint k = 1; figures[k] != NULL; k++)
    if (no_moves)
      g_assert_cmpfloat (json_object_get_double_member (total, figures[k]), ==, 0.0);
    else
      sextant_assert_close_mixed (json_object_get_double_member (total, figures[k]),
                                  json_object_get_double_member (json_object_get_object_member (ref, "total"),
                                                                 figures[k]), 1e-9);
}

/* +100 bp on the Treasury curve, −10 % on the dollar, +5 % on sterling, +50 bp on spreads: every
 * holding's value and P&L and the totals equal the reference. */
static void
test_reference (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *shocks;

  create_book (f);
  run_shock (f, "+100bp", "+50bp", "USD=-10%", "GBP=+5%");
  answer = parse (f->out);
  check_against_reference (json_node_get_object (answer), FALSE);

  shocks = json_object_get_object_member (json_node_get_object (answer), "shocks");
  g_assert_cmpfloat (json_object_get_double_member (shocks, "rates_bp"), ==, 100);
  g_assert_cmpfloat (json_object_get_double_member (shocks, "spreads_bp"), ==, 50);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (shocks, "fx"),
                                                    "USD"), ==, -10);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "source"), ==,
                   "Source: ECB statistics");

  /* The same moves spelt in percentage points and as one --fx list. */
  {
    g_autofree char *curve = sextant_test_reference_path ("rates/treasury_par_2025-02.csv");
    g_autoptr(JsonNode) again = NULL;

    run (f, "shock", "--portfolio", BOOK, "--curve", curve, "--date", "2025-02-28", "--rates",
         "1%", "--spreads", "0.5%", "--fx", "usd=-10%,GBP=5%", "--format", "json");
    g_assert_cmpint (f->status, ==, 0);
    again = parse (f->out);
    check_against_reference (json_node_get_object (again), FALSE);
  }
}

/* No move: the values alone, every P&L exactly 0. */
static void
test_no_moves (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;

  create_book (f);
  run_shock (f, "0bp", "0bp", "USD=0%", "GBP=0%");
  answer = parse (f->out);
  check_against_reference (json_node_get_object (answer), TRUE);
}

static void
expect (Fixture    *f,
        int         status,
        const char *message)
{
  g_assert_cmpint (f->status, ==, status);
  if (strstr (f->err, message) == NULL)
    g_error ("expected “%s” in: %s", message, f->err);
  g_assert_cmpstr (f->out, ==, "");
}

/* Bad options are usage errors (2) naming the option; missing data is exit 3, said. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *curve = sextant_test_reference_path ("rates/treasury_par_2025-02.csv");

  create_book (f);
  run (f, "shock", "--rates", "+100bp");
  expect (f, 2, "--portfolio is required");
  run (f, "shock", "--portfolio", BOOK, "--rates", "100");
  expect (f, 2, "--rates takes a move in bp");
  run (f, "shock", "--portfolio", BOOK, "--spreads", "+9000bp");
  expect (f, 2, "--spreads takes a move in bp");
  run (f, "shock", "--portfolio", BOOK, "--fx", "USD=-10");
  expect (f, 2, "--fx takes a currency");
  run (f, "shock", "--portfolio", BOOK, "--fx", "USD=-100%");
  expect (f, 2, "--fx takes a currency");
  run (f, "shock", "--portfolio", BOOK, "--fx", "USD=-1%,usd=2%");
  expect (f, 2, "--fx names USD twice");
  run (f, "shock", "--portfolio", BOOK, "--curve", curve, "--fx", "EUR=-10%");
  expect (f, 2, "EUR is the base currency");
  run (f, "shock", "--portfolio", "No such book", "--curve", curve);
  expect (f, 3, "No portfolio named");
  run (f, "shock", "--portfolio", BOOK, "--curve", curve, "--date", "2025-01-31");
  expect (f, 3, "no par yield curve on or before 2025-01-31");
  /* A bond is not a stock: risk figures say so instead of asking for its prices. */
  run (f, "risk", "--portfolio", BOOK);
  expect (f, 3, "UST 4.25 2034 is a bond");
}

/* Nothing in the cache and no --curve: the command fetches the Treasury's par curve and the
 * ECB's AAA curve from their (fake) servers, and values each bond on its own currency's. */
static void
test_fetches_both_curves (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *curve;

  f->env = g_environ_setenv (f->env, "SEXTANT_TREASURY_BASE_URL",
                             fake_market_server_get_base_url (f->server), TRUE);
  create_book (f);
  run (f, "shock", "--portfolio", BOOK, "--date", "2025-02-28", "--rates", "+100bp",
       "--spreads", "+50bp", "--fx", "USD=-10%", "--fx", "GBP=+5%", "--format", "json");
  if (f->status != 0)
    g_error ("shock exited %d: %s", f->status, f->err);
  answer = parse (f->out);
  check_against_reference (json_node_get_object (answer), FALSE);
  g_assert_cmpuint (fake_market_server_get_count (f->server, "/service/data/YC"), >=, 1);
  curve = json_object_get_object_member (json_node_get_object (answer), "curve");
  g_assert_cmpstr (json_object_get_string_member (curve, "source"), ==, "treasury");
}

/* A bond is valued on its own currency's curve or not at all: a sterling bond, which has no
 * curve, is an error naming it, and a euro bond is not valued on the Treasury's curve when the
 * ECB's cannot be had. */
static void
test_bond_without_its_curve (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "gilt.csv", NULL);
  g_autofree char *curve = sextant_test_reference_path ("rates/treasury_par_2025-02.csv");
  const char *text =
    "type,symbol,quantity,currency,coupon,maturity,frequency,day_count,spread\n"
    "bond,UST 4.25 2034,1000000,USD,4.25,2034-11-15,2,act/act-icma,\n"
    "bond,GILT 4 2031,100000,GBP,4,2031-10-22,2,act/act-icma,\n";

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  run (f, "portfolio", "create", "Gilts", "--currency", "EUR");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "import", path, "--portfolio", "Gilts");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "shock", "--portfolio", "Gilts", "--curve", curve, "--date", "2025-02-28", "--format",
       "json");
  expect (f, 3, "The bond GILT 4 2031 of “Gilts” is in GBP, and there is no GBP yield curve");

  /* The ECB's curves have nothing on or before this day: the euro bond is not valued at all. */
  create_book (f);
  run (f, "shock", "--portfolio", BOOK, "--curve", curve, "--date", "2025-02-20", "--format",
       "json");
  expect (f, 6, "ECB: no yield curve in those days");
}

/* A bad row of a holdings file is rejected with its line and reason; the good rows are kept. */
static void
test_import_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "bad.csv", NULL);
  const char *text =
    "type,symbol,quantity,currency,coupon,maturity,frequency,day_count,spread\n"
    "bond,GOOD,1000,USD,4,2030-05-15,2,act/act-icma,\n"
    "bond,NOMAT,1000,USD,4,,2,act/act-icma,\n"
    "bond,BADFREQ,1000,USD,4,2030-05-15,3,act/act-icma,\n"
    "bond,BADDC,1000,USD,4,2030-05-15,2,act/366,\n"
    "bond,BADCPN,1000,USD,abc,2030-05-15,2,30/360,\n"
    "bond,BIGCPN,1000,USD,150,2030-05-15,2,30/360,\n"
    "bond,BADSPREAD,1000,USD,4,2030-05-15,2,30/360,wide\n"
    "bond,NOFACE,0,USD,4,2030-05-15,2,30/360,\n"
    "cash,,500,,,,,,\n"
    "future,ES,1,USD,,,,,\n"
    "cash,,500,GBP,,,,,\n";

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  run (f, "import", path, "--portfolio", "Bad rows");
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "Line 3: bond NOMAT: maturity “” is not a date"));
  g_assert_nonnull (strstr (f->err, "Line 4: bond BADFREQ: coupons a year “3” is not 1, 2, 4 or 12"));
  g_assert_nonnull (strstr (f->err, "Line 5: bond BADDC: day count “act/366”"));
  g_assert_nonnull (strstr (f->err, "Line 6: coupon “abc” is not a number"));
  g_assert_nonnull (strstr (f->err, "Line 7: bond BIGCPN: coupon 150 % is not between 0 and 100"));
  g_assert_nonnull (strstr (f->err, "Line 8: bond BADSPREAD: spread “wide” is not a number"));
  g_assert_nonnull (strstr (f->err, "Line 9: bond NOFACE needs a face amount above 0 and at most"));
  g_assert_nonnull (strstr (f->err, "Line 10: cash needs a currency"));
  g_assert_nonnull (strstr (f->err, "Line 11: type “future” is not equity, bond or cash"));
  g_assert_nonnull (strstr (f->out, "Imported 2 holdings"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

#define ADD(path, func) \
  g_test_add ("/sextant/shock/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("reference", test_reference);
  ADD ("no-moves", test_no_moves);
  ADD ("fetches-both-curves", test_fetches_both_curves);
  ADD ("bond-without-its-curve", test_bond_without_its_curve);
  ADD ("errors", test_errors);
  ADD ("import-errors", test_import_errors);

  return g_test_run ();
}
