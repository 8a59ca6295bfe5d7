#define G_LOG_DOMAIN "test-book-shock"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* Issue 17's question — “what does a 100 bp parallel rise in euro rates and a 10 % dollar fall
 * do to this book?” — put three ways to one store: `sextant-cli shock --portfolio NAME --rates
 * +100bp --fx USD=-10%`, the desks' `shock_portfolio` tool, and the offline analyst. The book is
 * tests/data/shock/desk_book.csv (base EUR), its dollar bonds on the Treasury's curve of
 * 2025-02-28 and its euro bond on the ECB's AAA spot curve of that day, both in the cache;
 * the three give the same numbers, which equal QuantLib's
 * (tests/data/shock/shock_reference_question.json, make_shock_reference.py). */

#define BOOK "Desk book"
#define QUESTION "What does a 100 bp parallel rise in euro rates and a 10 % dollar fall do to this book?"

static const char *cli_path;

typedef struct
{
  FakeMarketServer    *server;
  char                *dir;
  char                *db;
  char               **env;
  char                *out;
  char                *err;
  int                  status;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = sextant_test_make_temp_dir ();
  f->db = g_build_filename (f->dir, "sextant.db", NULL);
  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "SEXTANT_DATABASE", f->db, TRUE);
  f->env = g_environ_setenv (f->env, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  f->env = g_environ_unsetenv (f->env, "SEXTANT_PROVIDERS");
  f->env = g_environ_unsetenv (f->env, "SEXTANT_ALLOW_INSECURE_ENDPOINT");
  f->server = fake_market_server_new ();
  fake_market_server_serve_ecb (f->server, "../shock/ecb_exr_2025-01-02.csv");
  f->env = g_environ_setenv (f->env, "SEXTANT_ECB_BASE_URL",
                             fake_market_server_get_base_url (f->server), TRUE);
  /* The curve is in the cache: a Treasury request would be a failure, never the internet. */
  f->env = g_environ_setenv (f->env, "SEXTANT_TREASURY_BASE_URL", "http://127.0.0.1:9/", TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sextant_test_remove_temp_dir (f->dir);
  g_free (f->dir);
  g_free (f->db);
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
  /* The CLI talks to the fake ECB on this process's main context (the curves are cached: a
   * request for one would get the fake's 404). */
  f->status = sextant_test_run_in_env ((const char * const *) args->pdata,
                                       (const char * const *) f->env, &f->out, &f->err);
}

#define run(f, ...) runv ((f), (const char * const []) { __VA_ARGS__, NULL })

/* The book through the CLI, as a user makes it; the Treasury curves of February 2025 and the
 * (synthetic) ECB AAA curves of its last two days in the cache, as `sextant-cli curve --source
 * treasury|ecb` leaves them. */
static void
create_book (Fixture *f)
{
  g_autofree char *closes = sextant_test_reference_path ("shock/acme_2025-02.csv");
  g_autofree char *holdings = sextant_test_reference_path ("shock/desk_book.csv");
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(GError) error = NULL;

  run (f, "import", closes, "--symbol", "ACME");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "portfolio", "create", BOOK, "--currency", "EUR");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "import", holdings, "--portfolio", BOOK);
  if (f->status != 0)
    g_error ("import: %s", f->err);

  store = sextant_schema_open (f->db, &error);
  g_assert_no_error (error);
  cache = sextant_market_cache_new (store);
  sextant_test_put_par_curves (cache, TRUE, TRUE);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* `sextant-cli shock` on the question's moves; its JSON. */
static JsonNode *
cli_shock (Fixture *f)
{
  run (f, "shock", "--portfolio", BOOK, "--date", "2025-02-28", "--rates", "+100bp", "--fx",
       "USD=-10%", "--format", "json");
  if (f->status != 0)
    g_error ("shock exited %d: %s", f->status, f->err);
  return parse (f->out);
}

static const char *figures[] = { "value", "pnl", "rates_pnl", "spreads_pnl", "fx_pnl", NULL };

/* @got's holdings and total are @want's to the last bit: one routine computed both. */
static void
assert_same_numbers (JsonObject *got,
                     JsonObject *want)
{
  JsonArray *rows = json_object_get_array_member (got, "holdings");
  JsonArray *want_rows = json_object_get_array_member (want, "holdings");

  g_assert_cmpstr (json_object_get_string_member (got, "date"), ==,
                   json_object_get_string_member (want, "date"));
  g_assert_cmpstr (json_object_get_string_member (got, "base_currency"), ==,
                   json_object_get_string_member (want, "base_currency"));
  g_assert_cmpuint (json_array_get_length (rows), ==, json_array_get_length (want_rows));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *w = json_array_get_object_element (want_rows, i);

      g_assert_cmpstr (json_object_get_string_member (row, "symbol"), ==,
                       json_object_get_string_member (w, "symbol"));
      for (guint k = 0; figures[k] != NULL; k++)
        g_assert_cmpfloat (json_object_get_double_member (row, figures[k]), ==,
                           json_object_get_double_member (w, figures[k]));
    }
  for (guint k = 0; figures[k] != NULL; k++)
    g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (got, "total"), figures[k]), ==,
                       json_object_get_double_member (json_object_get_object_member (want, "total"), figures[k]));
}

/* The curves used, one per currency of the book's bonds, as the reference lists them; `curve`
 * is the first of them, as before there were several. */
static void
assert_curves (JsonObject *got,
               JsonObject *ref)
{
  JsonArray *curves = json_object_get_array_member (got, "curves");
  JsonArray *ref_curves = json_object_get_array_member (ref, "curves");
  JsonObject *curve = json_object_get_object_member (got, "curve");

  g_assert_cmpuint (json_array_get_length (curves), ==, json_array_get_length (ref_curves));
  for (guint i = 0; i < json_array_get_length (curves); i++)
    {
      JsonObject *one = json_array_get_object_element (curves, i);
      JsonObject *want = json_array_get_object_element (ref_curves, i);

      for (guint k = 0; k < 3; k++)
        {
          const char *member = (const char *[]) { "currency", "source", "date" }[k];

          g_assert_cmpstr (json_object_get_string_member (one, member), ==,
                           json_object_get_string_member (want, member));
        }
    }
  g_assert_cmpstr (json_object_get_string_member (curve, "source"), ==, "treasury");
  g_assert_cmpstr (json_object_get_string_member (curve, "date"), ==, "2025-02-28");
}

/* QuantLib's figures: values to 1e-10 relative, P&L to 1e-9 of max(1, |P&L|), as test-cli-shock. */
static void
assert_reference (JsonObject *got)
{
  g_autofree char *path = sextant_test_reference_path ("shock/shock_reference_question.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *ref;
  JsonArray *rows, *ref_rows;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  ref = json_node_get_object (json_parser_get_root (parser));
  rows = json_object_get_array_member (got, "holdings");
  ref_rows = json_object_get_array_member (ref, "holdings");
  g_assert_cmpstr (json_object_get_string_member (got, "date"), ==, json_object_get_string_member (ref, "date"));
  g_assert_cmpuint (json_array_get_length (rows), ==, json_array_get_length (ref_rows));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *want = json_array_get_object_element (ref_rows, i);

      g_assert_cmpstr (json_object_get_string_member (row, "symbol"), ==,
                       json_object_get_string_member (want, "symbol"));
      g_assert_cmpstr (json_object_get_string_member (row, "currency"), ==,
                       json_object_get_string_member (want, "currency"));
      sextant_assert_close_rel (json_object_get_double_member (row, "value"),
                                json_object_get_double_member (want, "value"), 1e-10);
      for (guint k = 1; figures[k] != NULL; k++)
        sextant_assert_close_mixed (json_object_get_double_member (row, figures[k]),
                                    json_object_get_double_member (want, figures[k]), 1e-9);
      /* Each bond on its own currency's curve: the euro note on the ECB's, to QuantLib's price. */
      if (json_object_has_member (want, "dirty_price"))
        {
          sextant_assert_close_rel (json_object_get_double_member (row, "dirty_price"),
                                    json_object_get_double_member (want, "dirty_price"), 1e-10);
          sextant_assert_close_rel (json_object_get_double_member (row, "dirty_price_after"),
                                    json_object_get_double_member (want, "dirty_price_after"), 1e-10);
          sextant_assert_close_rel (json_object_get_double_member (row, "spread_duration"),
                                    json_object_get_double_member (want, "spread_duration"), 1e-10);
        }
    }
  assert_curves (got, ref);
  sextant_assert_close_rel (json_object_get_double_member (json_object_get_object_member (got, "total"), "value"),
                            json_object_get_double_member (json_object_get_object_member (ref, "total"), "value"),
                            1e-10);
  for (guint k = 1; figures[k] != NULL; k++)
    sextant_assert_close_mixed (json_object_get_double_member (json_object_get_object_member (got, "total"), figures[k]),
                                json_object_get_double_member (json_object_get_object_member (ref, "total"), figures[k]),
                                1e-9);
}

typedef struct
{
  SextantStore          *store;
  SextantMarketCache    *cache;
  SextantPortfolioStore *portfolios;
  SextantToolRegistry   *registry;
} Tools;

static void
tools_open (Tools      *t,
            const char *db)
{
  g_autoptr(SextantToolData) data = NULL;
  g_autoptr(GError) error = NULL;

  t->store = sextant_schema_open (db, &error);
  g_assert_no_error (error);
  t->cache = sextant_market_cache_new (t->store);
  t->portfolios = sextant_portfolio_store_new (t->store);
  data = sextant_tool_data_new (NULL, t->cache);
  sextant_tool_data_set_portfolio_store (data, t->portfolios);
  t->registry = sextant_tool_registry_new_default (data);
}

static void
tools_close (Tools *t)
{
  g_clear_object (&t->registry);
  g_clear_object (&t->portfolios);
  g_clear_object (&t->cache);
  g_clear_object (&t->store);
}

/* The tool, on the store the command just used, gives the command's numbers. */
static void
test_tool_equals_cli (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) cli = NULL;
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  Tools t = { NULL };

  create_book (f);
  cli = cli_shock (f);
  assert_reference (json_node_get_object (cli));

  tools_open (&t, f->db);
  input = json_from_string ("{\"portfolio\":\"" BOOK "\",\"rates_bp\":100,"
                            "\"fx\":[{\"currency\":\"USD\",\"shock_percent\":-10}],\"date\":\"2025-02-28\"}", NULL);
  result = sextant_tool_registry_invoke (t.registry, "shock_portfolio", input, NULL, &error);
  g_assert_no_error (error);
  assert_same_numbers (json_node_get_object (result), json_node_get_object (cli));
  assert_reference (json_node_get_object (result));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (result), "curve"),
                                                  "source"), ==, "treasury");

  /* The newest curve in the cache is that day's: no date gives the same answer. */
  g_clear_pointer (&input, json_node_unref);
  g_clear_pointer (&result, json_node_unref);
  input = json_from_string ("{\"portfolio\":\"desk book\",\"rates_bp\":100,"
                            "\"fx\":[{\"currency\":\"usd\",\"shock_percent\":-10}]}", NULL);
  result = sextant_tool_registry_invoke (t.registry, "shock_portfolio", input, NULL, &error);
  g_assert_no_error (error);
  assert_same_numbers (json_node_get_object (result), json_node_get_object (cli));
  tools_close (&t);
}

/* The tool says what is wrong rather than computing something else. */
static void
test_tool_errors (Fixture       *f,
                  gconstpointer  data)
{
  const struct { const char *input, *text; } cases[] = {
    { "{\"portfolio\":\"" BOOK "\",\"fx\":[{\"currency\":\"EUR\",\"shock_percent\":5}]}", "EUR is the base currency" },
    { "{\"portfolio\":\"" BOOK "\",\"fx\":[{\"currency\":\"USD\",\"shock_percent\":5},"
      "{\"currency\":\"usd\",\"shock_percent\":1}]}", "fx names USD twice" },
    { "{\"portfolio\":\"No such book\"}", "No such book" },
    { "{\"portfolio\":\"" BOOK "\",\"date\":\"2025-01-31\"}", "no US Treasury par yield curve on or before 2025-01-31" },
    /* The Treasury has that day, the ECB's curve does not: the euro bond is not valued at all. */
    { "{\"portfolio\":\"" BOOK "\",\"date\":\"2025-02-20\"}",
      "holds EUR bonds and the local cache has no ECB euro-area AAA spot rate curve on or before 2025-02-20" },
    { "{\"portfolio\":\"Gilts\"}", "The bond GILT 4 2031 of “Gilts” is in GBP, and there is no GBP yield curve" },
    { "{\"portfolio\":\"" BOOK "\",\"date\":\"31/01/2025\"}", "date must be a date in YYYY-MM-DD form" },
    { "{\"portfolio\":\"" BOOK "\",\"rates_bp\":9000}", "rates_bp" },
  };
  Tools t = { NULL };
  g_autofree char *gilts = g_build_filename (f->dir, "gilts.csv", NULL);

  create_book (f);
  /* Sextant has no sterling curve: a gilt is never valued on the Treasury's instead. */
  g_assert_true (g_file_set_contents (gilts,
                                      "type,symbol,quantity,currency,coupon,maturity,frequency,day_count,spread\n"
                                      "bond,UST 4.25 2034,1000000,USD,4.25,2034-11-15,2,act/act-icma,\n"
                                      "bond,GILT 4 2031,100000,GBP,4,2031-10-22,2,act/act-icma,\n", -1, NULL));
  run (f, "portfolio", "create", "Gilts", "--currency", "EUR");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "import", gilts, "--portfolio", "Gilts");
  g_assert_cmpint (f->status, ==, 0);
  tools_open (&t, f->db);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) input = json_from_string (cases[i].input, NULL);
      g_autoptr(JsonNode) out = sextant_tool_registry_invoke (t.registry, "shock_portfolio", input, NULL, &error);

      g_assert_null (out);
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].text) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].text);
    }
  tools_close (&t);
}

/* The core routine: a bond on its own currency's curve only, one curve per currency, and curves
 * of days far apart refused rather than mixed. */
static void
test_curve_per_currency (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(SextantPortfolio) book = NULL;
  g_autoptr(SextantParCurve) treasury = NULL;
  g_autoptr(SextantParCurve) treasury_early = NULL;
  g_autoptr(SextantParCurve) ecb = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(SextantShockScenario) scenario = { 0 };
  gint32 day;
  Tools t = { NULL };

  create_book (f);
  /* The command fetches the exchange rates of the day into the store. */
  json_node_unref (cli_shock (f));
  tools_open (&t, f->db);
  sextant_shock_scenario_init (&scenario);
  scenario.rates = 0.01;
  sextant_shock_scenario_add_fx (&scenario, "USD", -0.1);
  book = sextant_portfolio_store_load (t.portfolios, BOOK, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_book_shock_holds_bonds_in (book, "usd"));
  g_assert_true (sextant_book_shock_holds_bonds_in (book, "EUR"));
  g_assert_false (sextant_book_shock_holds_bonds_in (book, "GBP"));
  g_assert_true (sextant_day_parse_iso ("2025-02-28", &day));
  g_assert_true (sextant_market_cache_get_par_curve (t.cache, "treasury", day, &treasury, &error));
  g_assert_true (sextant_market_cache_get_par_curve (t.cache, "ecb-aaa-spot", day, &ecb, &error));
  g_assert_true (sextant_market_cache_get_par_curve (t.cache, "treasury", day - 18, &treasury_early, &error));
  g_assert_no_error (error);
  g_assert_nonnull (treasury);
  g_assert_nonnull (ecb);
  g_assert_nonnull (treasury_early);

  /* Only the Treasury's curve: the euro bond is named, not valued on it. */
  {
    g_auto(SextantBookShock) shock = { 0 };

    g_assert_true (sextant_book_shock_add_curve (&shock, "usd", SEXTANT_SHOCK_CURVE_PAR, treasury));
    g_assert_false (sextant_book_shock_add_curve (&shock, "USD", SEXTANT_SHOCK_CURVE_PAR, treasury));
    g_assert_nonnull (sextant_book_shock_get_curve (&shock, "USD"));
    g_assert_null (sextant_book_shock_get_curve (&shock, "EUR"));
    g_assert_false (sextant_book_shock_run (&shock, t.cache, book, 0, &scenario, &error));
    g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "The bond EUR note 2029 of “" BOOK "” is in EUR, and there is no EUR yield curve"));
    g_clear_error (&error);
  }
  /* Curves 18 days apart would value one currency's bonds on stale rates. */
  {
    g_auto(SextantBookShock) shock = { 0 };

    sextant_book_shock_add_curve (&shock, "USD", SEXTANT_SHOCK_CURVE_PAR, treasury_early);
    sextant_book_shock_add_curve (&shock, "EUR", SEXTANT_SHOCK_CURVE_ZERO, ecb);
    g_assert_cmpint (sextant_book_shock_pick_day (&shock, t.cache, book, 0), ==, day);
    g_assert_false (sextant_book_shock_run (&shock, t.cache, book, 0, &scenario, &error));
    g_assert_nonnull (strstr (error->message, "The USD curve (treasury) is of 2025-02-10, more than 5 days from the valuation day 2025-02-28"));
    g_clear_error (&error);
  }
  /* Both, from the cache: the euro bond's prices are QuantLib's on the ECB-like curve. */
  {
    g_auto(SextantBookShock) shock = { 0 };
    g_autoptr(JsonNode) json = NULL;

    g_assert_true (sextant_book_shock_add_cached_curves (&shock, t.cache, book, day, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (shock.curves->len, ==, 2);
    g_assert_cmpint (sextant_book_shock_get_curve (&shock, "EUR")->kind, ==, SEXTANT_SHOCK_CURVE_ZERO);
    g_assert_cmpstr (sextant_book_shock_get_curve (&shock, "EUR")->rates->source, ==, "ecb-aaa-spot");
    sextant_book_shock_run (&shock, t.cache, book, 0, &scenario, &error);
    g_assert_no_error (error);
    json = sextant_book_shock_to_json (&shock);
    assert_reference (json_node_get_object (json));
  }
  tools_close (&t);
}

static void
shock_finished_cb (SextantAgent *agent,
                   const char   *id,
                   const char   *name,
                   JsonNode     *result,
                   gboolean      is_error,
                   GPtrArray    *results)
{
  g_assert_cmpstr (name, ==, "shock_portfolio");
  g_assert_false (is_error);
  g_ptr_array_add (results, json_node_copy (result));
}

/* Offline, the analyst answers the question itself through the same tool: the numbers behind
 * its table are the CLI's, and its table shows them to the cent (+ 0.0: no “-0.00”). */
static void
test_offline_equals_cli (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) cli = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(SextantConversationStore) conversations = NULL;
  g_autoptr(SextantInvocationLog) log = NULL;
  g_autoptr(SextantAgent) agent = NULL;
  g_autoptr(SextantAgentReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *rows;
  JsonObject *total;
  g_autofree char *total_row = NULL;
  gint64 conversation;
  Tools t = { NULL };

  create_book (f);
  cli = cli_shock (f);
  tools_open (&t, f->db);
  conversations = sextant_conversation_store_new (t.store);
  log = sextant_invocation_log_new (t.store);
  agent = sextant_agent_new (NULL, t.registry, conversations, log);
  g_signal_connect (agent, "tool-call-finished", G_CALLBACK (shock_finished_cb), results);
  conversation = sextant_conversation_store_create (conversations, "Shock", SEXTANT_ROLE_PORTFOLIO_MANAGER, NULL, &error);
  g_assert_no_error (error);

  reply = sextant_agent_ask_sync (agent, conversation, QUESTION, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (reply->offline);
  if (results->len != 1)
    g_error ("%u shock_portfolio calls in:\n%s", results->len, reply->text);
  assert_same_numbers (json_node_get_object (results->pdata[0]), json_node_get_object (cli));
  assert_reference (json_node_get_object (results->pdata[0]));

  g_assert_nonnull (strstr (reply->text, "rates +100 bp, spreads +0 bp, USD -10 %"));
  /* It says which curve each currency's bonds were valued on. */
  if (strstr (reply->text, "USD on treasury of 2025-02-28; EUR on ecb-aaa-spot of 2025-02-28") == NULL)
    g_error ("no curves in:\n%s", reply->text);
  rows = json_object_get_array_member (json_node_get_object (cli), "holdings");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      g_autofree char *cells = g_strdup_printf ("| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f |",
                                                json_object_get_string_member (row, "symbol"),
                                                json_object_get_string_member (row, "kind"),
                                                json_object_get_string_member (row, "currency"),
                                                json_object_get_double_member (row, "value") + 0.0,
                                                json_object_get_double_member (row, "rates_pnl") + 0.0,
                                                json_object_get_double_member (row, "spreads_pnl") + 0.0,
                                                json_object_get_double_member (row, "fx_pnl") + 0.0,
                                                json_object_get_double_member (row, "pnl") + 0.0);

      if (strstr (reply->text, cells) == NULL)
        g_error ("“%s” not in:\n%s", cells, reply->text);
    }
  total = json_object_get_object_member (json_node_get_object (cli), "total");
  total_row = g_strdup_printf ("| **Total** | | | %.2f | %.2f | %.2f | %.2f | **%.2f** |",
                               json_object_get_double_member (total, "value") + 0.0,
                               json_object_get_double_member (total, "rates_pnl") + 0.0,
                               json_object_get_double_member (total, "spreads_pnl") + 0.0,
                               json_object_get_double_member (total, "fx_pnl") + 0.0,
                               json_object_get_double_member (total, "pnl") + 0.0);
  if (strstr (reply->text, total_row) == NULL)
    g_error ("“%s” not in:\n%s", total_row, reply->text);

  g_clear_object (&agent);
  tools_close (&t);
}

/* The moves in other words: signs, spreads, two currencies, a named portfolio and a date. */
static void
test_offline_parse (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SextantToolData) tool_data = sextant_tool_data_new (NULL, NULL);
  g_autoptr(SextantToolRegistry) registry = sextant_tool_registry_new_default (tool_data);
  g_autoptr(SextantOfflineAnalyst) analyst = sextant_offline_analyst_new (registry);
  const struct { const char *question, *moves, *portfolio; gint32 day; } cases[] = {
    { QUESTION, "{\"rates_bp\":100.0,\"spreads_bp\":0.0,\"fx\":[{\"currency\":\"USD\",\"shock_percent\":-10.0}]}", NULL, 0 },
    { "P&L of portfolio Desk book if rates fall 25 bp, credit spreads widen 50bp and sterling rises 5%",
      "{\"rates_bp\":-25.0,\"spreads_bp\":50.0,\"fx\":[{\"currency\":\"GBP\",\"shock_percent\":5.0}]}", "Desk book" },
    { "shock my book: +75 bp on rates, USD -3% and a 2 % yen drop on 2025-02-28",
      "{\"rates_bp\":75.0,\"spreads_bp\":0.0,\"fx\":[{\"currency\":\"USD\",\"shock_percent\":-3.0},"
      "{\"currency\":\"JPY\",\"shock_percent\":-2.0}]}", NULL, 20147 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SextantOfflineRequest) request = sextant_offline_analyst_parse (analyst, cases[i].question);
      g_autofree char *moves = NULL;

      g_assert_cmpint (request->intent, ==, SEXTANT_OFFLINE_INTENT_SHOCK);
      moves = json_to_string (request->shock, FALSE);
      g_assert_cmpstr (moves, ==, cases[i].moves);
      g_assert_cmpstr (request->portfolio, ==, cases[i].portfolio);
      g_assert_cmpint (request->day, ==, cases[i].day);
    }
  /* Not a shock: the desks' other questions keep their intents. */
  {
    g_autoptr(SextantOfflineRequest) bond = sextant_offline_analyst_parse (
      analyst, "Price the 4.25% Treasury of 2034-11-15 at a 4.1% yield, settling 2026-12-07.");
    g_autoptr(SextantOfflineRequest) var = sextant_offline_analyst_parse (analyst, "99% VaR of portfolio Dow Blue Chips");

    g_assert_cmpint (bond->intent, ==, SEXTANT_OFFLINE_INTENT_BOND);
    g_assert_cmpint (var->intent, ==, SEXTANT_OFFLINE_INTENT_RISK);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

#define ADD(path, func) \
  g_test_add ("/sextant/book-shock/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("tool-equals-cli", test_tool_equals_cli);
  ADD ("tool-errors", test_tool_errors);
  ADD ("curve-per-currency", test_curve_per_currency);
  ADD ("offline-equals-cli", test_offline_equals_cli);
  ADD ("offline-parse", test_offline_parse);
#undef ADD

  return g_test_run ();
}
