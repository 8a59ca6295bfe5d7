#define G_LOG_DOMAIN "test-cli-book"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

#define DEMO "Dow Blue Chips (demo)"

/* The built sextant-cli, passed by tests/meson.build. */
static const char *cli_path;

typedef struct
{
  FakeMarketServer *server;
  char  *dir;
  char  *db;
  char **env;
  char  *out;
  char  *err;
  int    status;
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
  /* The ECB's data API with the synthetic 2000-2001 rates of tests/data/fx. */
  f->server = fake_market_server_new ();
  fake_market_server_serve_ecb (f->server, "../fx/ecb_exr_2000-2001.csv");
  f->env = g_environ_setenv (f->env, "SEXTANT_ECB_BASE_URL",
                             fake_market_server_get_base_url (f->server), TRUE);
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
  f->status = sextant_test_run_in_env ((const char * const *) args->pdata, (const char * const *) f->env,
                                       &f->out, &f->err);
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

/* Key by key, in order, values exactly equal: the contract is "the same figures". */
static void
assert_same_json (JsonNode   *a,
                  JsonNode   *b,
                  const char *path)
{
  g_assert_cmpint (JSON_NODE_TYPE (a), ==, JSON_NODE_TYPE (b));
  if (JSON_NODE_HOLDS_OBJECT (a))
    {
      g_autoptr(GList) ka = json_object_get_members (json_node_get_object (a));
      g_autoptr(GList) kb = json_object_get_members (json_node_get_object (b));

      g_assert_cmpuint (g_list_length (ka), ==, g_list_length (kb));
      for (GList *l = ka, *m = kb; l != NULL; l = l->next, m = m->next)
        {
          g_autofree char *sub = g_strconcat (path, ".", l->data, NULL);

          if (g_strcmp0 (l->data, m->data) != 0)
            g_error ("%s: key %s where %s was expected", path, (char *) m->data, (char *) l->data);
          assert_same_json (json_object_get_member (json_node_get_object (a), l->data),
                            json_object_get_member (json_node_get_object (b), l->data), sub);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (a))
    {
      JsonArray *xa = json_node_get_array (a), *xb = json_node_get_array (b);

      g_assert_cmpuint (json_array_get_length (xa), ==, json_array_get_length (xb));
      for (guint i = 0; i < json_array_get_length (xa); i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);

          assert_same_json (json_array_get_element (xa, i), json_array_get_element (xb, i), sub);
        }
    }
  else if (!json_node_equal (a, b))
    {
      g_autofree char *ta = json_to_string (a, FALSE), *tb = json_to_string (b, FALSE);

      g_error ("%s: %s differs from %s", path, ta, tb);
    }
}

/* US dollars per euro on each date of tests/data/fx/ecb_exr_2000-2001.csv (NaN on closed days). */
static GHashTable *
read_usd_per_eur (void)
{
  g_autofree char *path = sextant_test_reference_path ("fx/ecb_exr_2000-2001.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *rates = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", 9);
      double *rate;
      gint32 day;

      if (g_strv_length (fields) < 9 || g_strcmp0 (fields[2], "USD") != 0)
        continue;
      g_assert_true (sextant_day_parse_iso (fields[6], &day));
      rate = g_new (double, 1);
      *rate = fields[7][0] != '\0' ? g_ascii_strtod (fields[7], NULL) : NAN;
      g_hash_table_insert (rates, GINT_TO_POINTER (day), rate);
    }

  return rates;
}

/* Euros per dollar on @day: 1 / (dollars per euro) of that date, or of the latest of the 5 days
 * before it with a rate (the documented rule for a closed day). */
static double
eur_per_usd (GHashTable *rates,
             gint32      day)
{
  for (gint32 back = 0; back <= 5; back++)
    {
      double *rate = g_hash_table_lookup (rates, GINT_TO_POINTER (day - back));

      if (rate != NULL && !isnan (*rate))
        return 1.0 / *rate;
    }
  g_error ("no USD rate near day %d", day);
}

/* The wide CSV of the closes the CLI read: every date any symbol has in the range, blank where
 * one has none, read from the same database through the core, 17 digits so they read back the
 * same; in euros when @in_euros (every symbol here is a dollar stock). Returns the symbols'
 * closes on the last date they all share in @last. */
#define write_wide_csv(f, symbols, from, to, last) write_wide_csv_in (f, symbols, from, to, FALSE, last)

static char *
write_wide_csv_in (Fixture            *f,
                   const char * const *symbols,
                   const char         *from,
                   const char         *to,
                   gboolean            in_euros,
                   double             *last)
{
  g_autoptr(GHashTable) rates = in_euros ? read_usd_per_eur () : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (f->db, &error);
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(GTree) rows = g_tree_new ((GCompareFunc) g_strcmp0);
  g_autoptr(GString) csv = g_string_new ("date");
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  char *path = g_build_filename (f->dir, "closes.csv", NULL);
  guint n = g_strv_length ((char **) symbols);
  gint32 from_day, to_day;

  g_assert_no_error (error);
  cache = sextant_market_cache_new (store);
  g_assert_true (sextant_day_parse_iso (from, &from_day) && sextant_day_parse_iso (to, &to_day));
  for (guint j = 0; j < n; j++)
    {
      g_autoptr(SextantPriceSeries) s = sextant_market_cache_get_bars (cache, symbols[j], from_day,
                                                                       to_day, &error);

      g_assert_no_error (error);
      g_string_append_printf (csv, ",%s", symbols[j]);
      for (gsize i = 0; i < sextant_price_series_get_length (s); i++)
        {
          char *date = sextant_day_format_iso (sextant_price_series_get_days (s)[i]);
          double *values = g_tree_lookup (rows, date);

          if (values == NULL)
            {
              values = g_new (double, n);
              for (guint k = 0; k < n; k++)
                values[k] = NAN;
              g_tree_insert (rows, date, values);
              g_ptr_array_add (lines, date);
              g_ptr_array_add (lines, values);
            }
          else
            g_free (date);
          values[j] = sextant_price_series_get_close (s)[i];
          if (rates != NULL)
            values[j] *= eur_per_usd (rates, sextant_price_series_get_days (s)[i]);
        }
    }
  g_string_append_c (csv, '\n');
  for (guint j = 0; j < n; j++)
    last[j] = NAN;
  for (GTreeNode *node = g_tree_node_first (rows); node != NULL; node = g_tree_node_next (node))
    {
      const double *values = g_tree_node_value (node);
      gboolean complete = TRUE;

      g_string_append (csv, g_tree_node_key (node));
      for (guint j = 0; j < n; j++)
        {
          complete = complete && isfinite (values[j]);
          if (isfinite (values[j]))
            g_string_append_printf (csv, ",%.17g", values[j]);
          else
            g_string_append_c (csv, ',');
        }
      g_string_append_c (csv, '\n');
      for (guint j = 0; complete && j < n; j++)
        last[j] = values[j];
    }
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));

  return path;
}

static char *
weights_option (JsonObject         *weights,
                const char * const *symbols)
{
  GString *text = g_string_new (NULL);

  for (guint j = 0; symbols[j] != NULL; j++)
    g_string_append_printf (text, "%s%s=%.17g", j > 0 ? "," : "", symbols[j],
                            json_object_get_double_member (weights, symbols[j]));

  return g_string_free (text, FALSE);
}

static const char *demo_symbols[] = { "MSFT", "IBM", "INTC", "KO", "JNJ", "XOM", "GE", "PG", "WMT",
                                      "JPM", NULL };
static const double demo_shares[] = { 400, 150, 500, 300, 200, 250, 400, 150, 250, 200 };

/* The demo portfolio (data/demo/demo-portfolio.json: shares) on the seeded demo closes: the same
 * keys and numbers as --prices on a wide CSV of those closes with --weights of their market
 * values, which are shares × close on the last shared date over the total. */
static void
test_risk_equals_prices (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) book = NULL, prices = NULL;
  g_autofree char *csv = NULL, *weights = NULL;
  double last[10], total = 0;
  JsonObject *w;

  run (f, "risk", "--portfolio", DEMO, "--from", "2000-01-03", "--to", "2001-09-28",
       "--simulations", "2000", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  book = parse (f->out);

  csv = write_wide_csv (f, demo_symbols, "2000-01-03", "2001-09-28", last);
  w = json_object_get_object_member (json_node_get_object (book), "weights");
  for (guint j = 0; j < 10; j++)
    total += demo_shares[j] * last[j];
  for (guint j = 0; j < 10; j++)
    sextant_assert_close_rel (json_object_get_double_member (w, demo_symbols[j]),
                              demo_shares[j] * last[j] / total, 1e-12);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (book), "rows_dropped"), >, 0);

  weights = weights_option (w, demo_symbols);
  run (f, "risk", "--prices", csv, "--weights", weights, "--simulations", "2000", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  prices = parse (f->out);
  assert_same_json (book, prices, "risk");
}

/* Holdings stored by weight keep their weights; the figures are --prices --weights's. */
static void
test_risk_held_weights (Fixture       *f,
                        gconstpointer  data)
{
  const char *symbols[] = { "KO", "PG", NULL };
  g_autoptr(JsonNode) book = NULL, prices = NULL;
  g_autofree char *csv = NULL;
  double last[2];

  run (f, "portfolio", "create", "Staples");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "portfolio", "add", "Staples", "KO", "--weight", "0.6");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "portfolio", "add", "Staples", "pg", "--weight", "0.4");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "risk", "--portfolio", "Staples", "--simulations", "1000", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  book = parse (f->out);

  csv = write_wide_csv (f, symbols, "1900-01-01", "2100-01-01", last);
  run (f, "risk", "--prices", csv, "--weights", "KO=0.6,PG=0.4", "--simulations", "1000",
       "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  prices = parse (f->out);
  assert_same_json (book, prices, "risk");
}

/* optimize --portfolio prints what --prices prints for the same closes; a holding's --max
 * bounds it. */
static void
test_optimize_equals_prices (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonNode) book = NULL, prices = NULL, capped = NULL;
  g_autofree char *csv = NULL;
  double last[10];
  JsonObject *w;

  run (f, "optimize", "--portfolio", DEMO, "--from", "2000-01-03", "--to", "2001-09-28",
       "--objective", "max-sharpe", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  book = parse (f->out);
  w = json_object_get_object_member (json_node_get_object (book), "weights");
  g_assert_cmpuint (json_object_get_size (w), ==, 10);

  csv = write_wide_csv (f, demo_symbols, "2000-01-03", "2001-09-28", last);
  run (f, "optimize", "--prices", csv, "--objective", "max-sharpe", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  prices = parse (f->out);
  assert_same_json (book, prices, "optimize");

  run (f, "portfolio", "add", DEMO, "MSFT", "--shares", "400", "--max", "0.05");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "optimize", "--portfolio", DEMO, "--objective", "max-sharpe", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  capped = parse (f->out);
  w = json_object_get_object_member (json_node_get_object (capped), "weights");
  g_assert_cmpfloat (json_object_get_double_member (w, "MSFT"), <=, 0.05 + 1e-9);
}

static const char *euro_symbols[] = { "MSFT", "KO", "IBM", NULL };
static const double euro_shares[] = { 400, 300, 150 };

static void
create_euro_book (Fixture *f)
{
  run (f, "portfolio", "create", "Euro book", "--currency", "EUR");
  g_assert_cmpint (f->status, ==, 0);
  for (guint j = 0; euro_symbols[j] != NULL; j++)
    {
      g_autofree char *shares = g_strdup_printf ("%g", euro_shares[j]);

      run (f, "portfolio", "add", "Euro book", euro_symbols[j], "--shares", shares);
      g_assert_cmpint (f->status, ==, 0);
    }
}

/* A portfolio in euros of dollar stocks: the same keys and numbers as --prices on a wide CSV of
 * the closes converted to euros with the ECB's rates (computed here from the fixture), with
 * --weights of their market values in euros. The rates were fetched from the (fake) ECB once. */
static void
test_risk_euro_equals_prices (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonNode) book = NULL, prices = NULL, optimized = NULL, optimized_prices = NULL;
  g_autofree char *csv = NULL, *weights = NULL;
  double last[3], total = 0;
  JsonObject *w;

  create_euro_book (f);
  run (f, "risk", "--portfolio", "Euro book", "--from", "2000-01-03", "--to", "2001-09-28",
       "--simulations", "2000", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  book = parse (f->out);
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 1);
  g_assert_nonnull (strstr (fake_market_server_get_last_query (f->server), "format=csvdata"));

  csv = write_wide_csv_in (f, euro_symbols, "2000-01-03", "2001-09-28", TRUE, last);
  w = json_object_get_object_member (json_node_get_object (book), "weights");
  for (guint j = 0; j < 3; j++)
    total += euro_shares[j] * last[j];
  for (guint j = 0; j < 3; j++)
    sextant_assert_close_rel (json_object_get_double_member (w, euro_symbols[j]),
                              euro_shares[j] * last[j] / total, 1e-12);

  weights = weights_option (w, euro_symbols);
  run (f, "risk", "--prices", csv, "--weights", weights, "--simulations", "2000", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  prices = parse (f->out);
  assert_same_json (book, prices, "risk");

  /* optimize on the same converted closes; the rates now come from the cache. */
  run (f, "optimize", "--portfolio", "Euro book", "--from", "2000-01-03", "--to", "2001-09-28",
       "--objective", "min-variance", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  optimized = parse (f->out);
  run (f, "optimize", "--prices", csv, "--objective", "min-variance", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  optimized_prices = parse (f->out);
  assert_same_json (optimized, optimized_prices, "optimize");
  g_assert_cmpuint (fake_market_server_get_count (f->server, NULL), ==, 1);
}

/* fx --portfolio: the market value in euros by currency on the last shared date. */
static void
test_fx_exposure (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) exposure = NULL;
  g_autofree char *csv = NULL;
  double last[3], total = 0;
  JsonObject *root, *usd;
  JsonArray *rows;

  create_euro_book (f);
  run (f, "fx", "--portfolio", "Euro book", "--from", "2000-01-03", "--to", "2000-12-29",
       "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  exposure = parse (f->out);
  root = json_node_get_object (exposure);
  csv = write_wide_csv_in (f, euro_symbols, "2000-01-03", "2000-12-29", TRUE, last);
  for (guint j = 0; j < 3; j++)
    total += euro_shares[j] * last[j];
  g_assert_cmpstr (json_object_get_string_member (root, "base_currency"), ==, "EUR");
  g_assert_cmpstr (json_object_get_string_member (root, "date"), ==, "2000-12-29");
  sextant_assert_close_rel (json_object_get_double_member (root, "total_value"), total, 1e-12);
  rows = json_object_get_array_member (root, "exposure");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  usd = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (usd, "currency"), ==, "USD");
  g_assert_cmpfloat (json_object_get_double_member (usd, "share"), ==, 1.0);
  g_assert_cmpint (json_object_get_int_member (usd, "holdings"), ==, 3);

  /* The FX value at risk of the all-dollar book: the daily changes of a dollar's worth in euros,
   * against numpy on the ECB fixture (tests/data/fx/make_fx_var_reference.py). */
  {
    g_autofree char *path = sextant_test_reference_path ("fx/fx_var_reference.json");
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonObject *reference, *fx_var;
    JsonArray *expected, *levels;

    json_parser_load_from_file (parser, path, &error);
    g_assert_no_error (error);
    reference = json_node_get_object (json_parser_get_root (parser));
    fx_var = json_object_get_object_member (root, "fx_var");
    g_assert_nonnull (fx_var);
    g_assert_cmpstr (json_object_get_string_member (fx_var, "from"), ==,
                     json_object_get_string_member (reference, "from"));
    g_assert_cmpint (json_object_get_int_member (fx_var, "changes"), ==,
                     json_object_get_int_member (reference, "changes"));
    expected = json_object_get_array_member (reference, "levels");
    levels = json_object_get_array_member (fx_var, "levels");
    g_assert_cmpuint (json_array_get_length (levels), ==, json_array_get_length (expected));
    for (guint l = 0; l < json_array_get_length (levels); l++)
      {
        JsonObject *want = json_array_get_object_element (expected, l);
        JsonObject *got = json_array_get_object_element (levels, l);
        double share = json_object_get_double_member (want, "var_share");

        g_assert_cmpfloat (json_object_get_double_member (got, "confidence"), ==,
                           json_object_get_double_member (want, "confidence"));
        sextant_assert_close_rel (json_object_get_double_member (got, "var_share"), share, 1e-10);
        sextant_assert_close_rel (json_object_get_double_member (got, "var"), share * total, 1e-10);
        sextant_assert_close_rel (json_object_get_double_member (got, "es"),
                                  json_object_get_double_member (want, "es_share") * total, 1e-10);
      }
  }

  run (f, "fx", "--portfolio", "Euro book", "--to", "2000-12-29");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "Euro book: FX exposure on 2000-12-29, in EUR"));
  g_assert_nonnull (strstr (f->out, "FX value at risk, 1 day, historical over"));
  g_assert_nonnull (strstr (f->out, "USD"));
  run (f, "fx", "--portfolio", "Euro book", "USD");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "fx", "--portfolio", "Nope");
  g_assert_cmpint (f->status, ==, 3);
}

/* What risk --portfolio refuses, and with which exit code. */
static void
test_risk_errors (Fixture       *f,
                  gconstpointer  data)
{
  run (f, "risk", "--portfolio", "Nope");
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "No portfolio named “Nope”"));

  run (f, "portfolio", "create", "Euro", "--currency", "EUR");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "risk", "--portfolio", "Euro");
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "has no holdings"));
  run (f, "portfolio", "add", "Euro", "MSFT", "--shares", "10");
  g_assert_cmpint (f->status, ==, 0);
  /* Before the first rate the ECB (here its fake) has: the pair and the date are named. */
  run (f, "risk", "--portfolio", "Euro", "--from", "1999-06-01", "--to", "2000-06-30");
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "No ECB exchange rate between USD and EUR on 1999-06-01"));
  g_assert_nonnull (strstr (f->err, "MSFT"));
  run (f, "optimize", "--portfolio", "Euro", "--from", "1999-06-01", "--objective", "min-variance");
  g_assert_cmpint (f->status, ==, 3);

  run (f, "portfolio", "create", "Gaps");
  run (f, "portfolio", "add", "Gaps", "KO", "--shares", "10");
  run (f, "portfolio", "add", "Gaps", "ZZZZ", "--shares", "10");
  run (f, "risk", "--portfolio", "Gaps");
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "ZZZZ needs prices"));
  run (f, "optimize", "--portfolio", "Gaps", "--objective", "min-variance");
  g_assert_cmpint (f->status, ==, 3);

  run (f, "risk", "--portfolio", DEMO, "--from", "2001-13-01");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "risk", "--portfolio", DEMO, "--from", "2001-06-01", "--to", "2001-01-01");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "risk", "--portfolio", DEMO, "--weights", "KO=1");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "risk", "--portfolio", DEMO, "--from", "2030-01-01");
  g_assert_cmpint (f->status, ==, 3);
}

/* A fresh database has the demo portfolio once; deleted, it does not come back. */
static void
test_demo_seeded_once (Fixture       *f,
                       gconstpointer  data)
{
  run (f, "portfolio", "list");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->out, ==, DEMO "\n");
  run (f, "portfolio", "delete", DEMO);
  g_assert_cmpint (f->status, ==, 0);
  run (f, "portfolio", "list");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->out, ==, "");
}

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) shown = NULL;

  run (f, "portfolio", "create", "Mine", "--currency", "chf", "--benchmark", "^GSPC");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "portfolio", "show", "Mine", "--format", "json");
  g_assert_cmpint (f->status, ==, 0);
  shown = parse (f->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "base_currency"), ==, "CHF");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "benchmark"), ==, "^GSPC");

  run (f, "portfolio", "create", "Mine");
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "already exists"));
  run (f, "portfolio", "create", "Other", "--currency", "DOLLARS");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "portfolio", "create", "");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "portfolio", "create");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "portfolio", "create", "--help");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "--currency"));
}

static void
test_rename_delete (Fixture       *f,
                    gconstpointer  data)
{
  run (f, "portfolio", "create", "A");
  run (f, "portfolio", "add", "A", "KO", "--shares", "3");
  run (f, "portfolio", "rename", "A", "B");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "portfolio", "show", "B");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "KO"));
  run (f, "portfolio", "show", "A");
  g_assert_cmpint (f->status, ==, 3);
  run (f, "portfolio", "rename", "A", "C");
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "No portfolio named “A”"));
  run (f, "portfolio", "rename", "B", DEMO);
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "already exists"));
  run (f, "portfolio", "rename", "B");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "portfolio", "rename", "--help");
  g_assert_cmpint (f->status, ==, 0);

  run (f, "portfolio", "delete", "B");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "portfolio", "delete", "B");
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "No portfolio named “B”"));
  run (f, "portfolio", "delete");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "portfolio", "delete", "--help");
  g_assert_cmpint (f->status, ==, 0);
}

static JsonObject *
holding (JsonNode *shown,
         guint     index)
{
  JsonArray *holdings = json_object_get_array_member (json_node_get_object (shown), "holdings");

  return json_array_get_object_element (holdings, index);
}

static void
test_add_remove (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) shown = NULL, after = NULL;

  run (f, "portfolio", "create", "P");
  run (f, "portfolio", "add", "P", "msft", "--shares", "10", "--min", "0.1", "--max", "0.5",
       "--cost-basis", "25.5");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "Added MSFT"));
  /* A symbol with no prices is kept, and said so. */
  run (f, "portfolio", "add", "P", "NOPRICES", "--weight", "0.25");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->err, "NOPRICES needs prices"));
  run (f, "portfolio", "show", "P");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "needs prices"));
  run (f, "portfolio", "show", "P", "--format", "json");
  shown = parse (f->out);
  g_assert_cmpstr (json_object_get_string_member (holding (shown, 0), "symbol"), ==, "MSFT");
  g_assert_cmpfloat (json_object_get_double_member (holding (shown, 0), "quantity"), ==, 10);
  g_assert_cmpfloat (json_object_get_double_member (holding (shown, 0), "min_weight"), ==, 0.1);
  g_assert_cmpfloat (json_object_get_double_member (holding (shown, 0), "max_weight"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (holding (shown, 0), "cost_basis"), ==, 25.5);
  g_assert_false (json_object_get_boolean_member (holding (shown, 0), "needs_prices"));
  g_assert_cmpstr (json_object_get_string_member (holding (shown, 1), "symbol"), ==, "NOPRICES");
  g_assert_true (json_object_get_boolean_member (holding (shown, 1), "needs_prices"));

  run (f, "portfolio", "add", "P", "KO", "--shares", "-5");
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "--shares must be a positive number"));
  run (f, "portfolio", "add", "P", "KO", "--shares", "5", "--weight", "0.1");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "portfolio", "add", "P", "KO");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "portfolio", "add", "P", "KO", "--weight", "1.5");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "portfolio", "add", "P", "KO", "--shares", "5", "--min", "0.6", "--max", "0.2");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "portfolio", "add", "P", "KO", "--shares", "lots");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "portfolio", "add", "Nope", "KO", "--shares", "5");
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "No portfolio named “Nope”"));
  run (f, "portfolio", "add", "--help");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "--cost-basis"));

  run (f, "portfolio", "remove", "P", "NOPRICES");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "portfolio", "remove", "P", "NOPRICES");
  g_assert_cmpint (f->status, ==, 3);
  g_assert_nonnull (strstr (f->err, "holds no NOPRICES"));
  run (f, "portfolio", "remove", "Nope", "KO");
  g_assert_cmpint (f->status, ==, 3);
  run (f, "portfolio", "remove", "P");
  g_assert_cmpint (f->status, ==, 2);
  run (f, "portfolio", "remove", "--help");
  g_assert_cmpint (f->status, ==, 0);
  run (f, "portfolio", "show", "P", "--format", "json");
  after = parse (f->out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (after),
                                                                         "holdings")), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

#define ADD(path, func) \
  g_test_add ("/sextant/book/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("demo-seeded-once", test_demo_seeded_once);
  ADD ("risk-equals-prices", test_risk_equals_prices);
  ADD ("risk-held-weights", test_risk_held_weights);
  ADD ("optimize-equals-prices", test_optimize_equals_prices);
  ADD ("risk-errors", test_risk_errors);
  ADD ("risk-euro-equals-prices", test_risk_euro_equals_prices);
  ADD ("fx-exposure", test_fx_exposure);
  ADD ("create", test_create);
  ADD ("rename-delete", test_rename_delete);
  ADD ("add-remove", test_add_remove);

  return g_test_run ();
}
