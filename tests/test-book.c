#define G_LOG_DOMAIN "test-book"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* A portfolio in its base currency (issue 14): closes converted with the ECB's rates, weights
 * and values in the base currency, FX exposure and historical VaR/ES of the converted book.
 * Every expected number comes from tests/data/fx/book_reference.json, which
 * tests/data/fx/make_book_reference.py computes with numpy from the committed CSV files
 * (the Dow closes of tests/data/market and the synthetic ECB-shaped rates of tests/data/fx). */

#define TOL 1e-12

typedef struct
{
  char               *dir;
  SextantStore       *store;
  SextantMarketCache *cache;
  JsonParser         *reference;
} Fixture;

/* Dow closes as bars (open = high = low = close) from FIRST_DATE on, which is enough for every
 * case here and keeps the sanitized build quick; BTL is the column T priced in sterling. */
#define FIRST_DATE "1999-06-01"
static void
put_closes (SextantMarketCache *cache)
{
  static const struct { const char *symbol, *column, *currency; } wanted[] = {
    { "KO", "KO", "USD" }, { "IBM", "IBM", "USD" }, { "PG", "PG", "USD" }, { "BTL", "T", "GBP" },
    { "AAPL", "HWP", "USD" }, { "SAP", "DD", "EUR" },
  };
  g_autofree char *path = sextant_test_reference_path ("market/dowjones30_1990-2001_closes.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows, first = 1;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (text);
  lines = g_strsplit (text, "\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  while (lines[first] != NULL && strncmp (lines[first], FIRST_DATE, strlen (FIRST_DATE)) < 0)
    first++;
  n_rows = g_strv_length (lines) - first;
  for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
    {
      g_autoptr(SextantPriceSeries) series = sextant_price_series_new (wanted[w].symbol, n_rows);
      guint column = 0;

      while (g_strcmp0 (header[column], wanted[w].column) != 0)
        column++;
      for (guint r = 0; r < n_rows; r++)
        {
          g_auto(GStrv) fields = g_strsplit (lines[first + r], ",", -1);
          double close = g_ascii_strtod (fields[column], NULL);
          gint32 day;

          g_assert_true (sextant_day_parse_iso (fields[0], &day));
          sextant_price_series_set_row (series, r, day, close, close, close, close, 0);
        }
      g_assert_true (sextant_market_cache_put_bars (cache, series, "test", 1700000000, &error));
      g_assert_no_error (error);
      g_assert_true (sextant_market_cache_put_instrument (cache, wanted[w].symbol, NULL,
                                                          wanted[w].currency, "test", &error));
      g_assert_no_error (error);
    }
}

static void
put_rates (SextantMarketCache *cache)
{
  g_autofree char *path = sextant_test_reference_path ("fx/ecb_exr_2000-2001.csv");
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);
  series = sextant_ecb_rates_parse_csv (text, length, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_market_cache_put_fx_rates (cache, series, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *db = NULL;
  g_autofree char *reference = sextant_test_reference_path ("fx/book_reference.json");
  g_autoptr(GError) error = NULL;

  f->dir = sextant_test_make_temp_dir ();
  db = g_build_filename (f->dir, "sextant.db", NULL);
  f->store = sextant_schema_open (db, &error);
  g_assert_no_error (error);
  f->cache = sextant_market_cache_new (f->store);
  put_closes (f->cache);
  if (data == NULL)
    put_rates (f->cache);
  f->reference = json_parser_new ();
  json_parser_load_from_file (f->reference, reference, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->reference);
  g_clear_object (&f->cache);
  g_clear_object (&f->store);
  sextant_test_remove_temp_dir (f->dir);
  g_free (f->dir);
}

static JsonObject *
reference_book (Fixture *f,
                guint    index)
{
  JsonObject *root = json_node_get_object (json_parser_get_root (f->reference));

  return json_array_get_object_element (json_object_get_array_member (root, "books"), index);
}

/* The reference's portfolio, its holdings in their own currencies. */
static SextantPortfolio *
make_portfolio (JsonObject *book)
{
  SextantPortfolio *portfolio = sextant_portfolio_new (json_object_get_string_member (book, "name"));
  JsonArray *holdings = json_object_get_array_member (book, "holdings");

  sextant_portfolio_set_base_currency (portfolio, json_object_get_string_member (book, "base"));
  for (guint i = 0; i < json_array_get_length (holdings); i++)
    {
      JsonObject *h = json_array_get_object_element (holdings, i);
      JsonNode *shares = json_object_get_member (h, "shares");
      JsonNode *weight = json_object_get_member (h, "weight");

      sextant_portfolio_add_holding (portfolio, json_object_get_string_member (h, "symbol"),
                                     JSON_NODE_HOLDS_NULL (shares) ? NAN : json_node_get_double (shares),
                                     JSON_NODE_HOLDS_NULL (weight) ? NAN : json_node_get_double (weight),
                                     json_object_get_string_member (h, "currency"));
    }

  return portfolio;
}

static gint32
reference_day (JsonObject *object,
               const char *member)
{
  gint32 day = 0;

  if (!json_object_get_null_member (object, member))
    g_assert_true (sextant_day_parse_iso (json_object_get_string_member (object, member), &day));

  return day;
}

static void
assert_array_close (JsonArray    *expected,
                    const double *actual,
                    guint         n)
{
  g_assert_cmpuint (json_array_get_length (expected), ==, n);
  for (guint i = 0; i < n; i++)
    sextant_assert_close_rel (actual[i], json_array_get_double_element (expected, i), TOL);
}

static void
load_book (Fixture      *f,
           JsonObject   *expected,
           SextantBook  *book)
{
  g_autoptr(SextantPortfolio) portfolio = make_portfolio (expected);
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_book_load (book, f->cache, portfolio, reference_day (expected, "from"), 0,
                                    NULL, &error));
  g_assert_no_error (error);
}

/* The converted closes on the reference's probe dates, and the dates the book spans. */
static void
assert_closes (SextantBook *book,
               JsonObject  *expected)
{
  JsonArray *probes = json_object_get_array_member (expected, "closes");
  const gint32 *days = sextant_price_table_get_days (book->closes);
  gsize n_rows = sextant_price_table_get_n_rows (book->closes);
  gint32 first, last;

  g_assert_true (sextant_day_parse_iso (json_object_get_string_member (expected, "first_date"), &first));
  g_assert_true (sextant_day_parse_iso (json_object_get_string_member (expected, "last_date"), &last));
  g_assert_cmpint (days[0], ==, first);
  g_assert_cmpint (days[n_rows - 1], ==, last);
  g_assert_cmpint (book->last_day, ==, last);
  g_assert_cmpuint (n_rows, ==, json_object_get_int_member (expected, "n_dates"));
  for (guint p = 0; p < json_array_get_length (probes); p++)
    {
      JsonObject *probe = json_array_get_object_element (probes, p);
      JsonArray *values = json_object_get_array_member (probe, "values");
      gsize row = 0;
      gint32 day;

      g_assert_true (sextant_day_parse_iso (json_object_get_string_member (probe, "date"), &day));
      while (row < n_rows && days[row] != day)
        row++;
      g_assert_cmpuint (row, <, n_rows);
      for (guint j = 0; j < json_array_get_length (values); j++)
        sextant_assert_close_rel (sextant_price_table_get_column (book->closes, j)[row],
                                  json_array_get_double_element (values, j), TOL);
    }
}

static void
check_book_with_risk (Fixture *f,
                      guint    index)
{
  JsonObject *expected = reference_book (f, index);
  g_auto(SextantBook) book = { 0 };
  g_autoptr(SextantReturnMatrix) returns = NULL;
  g_autoptr(GArray) exposure = NULL;
  g_autofree double *r = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *expected_exposure;
  guint n = json_array_get_length (json_object_get_array_member (expected, "holdings"));
  double sum = 0, var, es;

  load_book (f, expected, &book);
  assert_closes (&book, expected);
  assert_array_close (json_object_get_array_member (expected, "weights"), book.weights, n);
  assert_array_close (json_object_get_array_member (expected, "values"), book.values, n);
  sextant_assert_close_rel (book.total_value, json_object_get_double_member (expected, "total_value"), TOL);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (book.currencies[i], ==,
                     json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (expected, "holdings"), i),
                                                    "currency"));

  exposure = sextant_book_get_fx_exposure (&book);
  expected_exposure = json_object_get_array_member (expected, "fx_exposure");
  g_assert_cmpuint (exposure->len, ==, json_array_get_length (expected_exposure));
  for (guint i = 0; i < exposure->len; i++)
    {
      const SextantFxExposure *row = &g_array_index (exposure, SextantFxExposure, i);
      JsonObject *want = json_array_get_object_element (expected_exposure, i);

      g_assert_cmpstr (row->currency, ==, json_object_get_string_member (want, "currency"));
      sextant_assert_close_rel (row->value, json_object_get_double_member (want, "value"), TOL);
      sextant_assert_close_rel (row->share, json_object_get_double_member (want, "share"), TOL);
      g_assert_cmpuint (row->n_holdings, ==, json_object_get_int_member (want, "n_holdings"));
    }

  /* Risk of the converted book: the analytics core on the book's closes and weights. */
  returns = sextant_return_matrix_from_prices (book.closes, SEXTANT_RETURN_SIMPLE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (returns->n_obs, ==, json_object_get_int_member (expected, "n_returns"));
  r = g_new (double, returns->n_obs);
  g_assert_true (sextant_portfolio_returns (returns, book.weights, r, &error));
  for (gsize t = 0; t < returns->n_obs; t++)
    sum += r[t];
  sextant_assert_close_rel (sum, json_object_get_double_member (expected, "portfolio_returns_sum"), 1e-10);
  g_assert_true (sextant_var_historical (r, returns->n_obs, 0.95, &var, &es, &error));
  sextant_assert_close_rel (var, json_object_get_double_member (expected, "var95"), 1e-10);
  sextant_assert_close_rel (es, json_object_get_double_member (expected, "es95"), 1e-10);
  g_assert_true (sextant_var_historical (r, returns->n_obs, 0.99, &var, &es, &error));
  sextant_assert_close_rel (var, json_object_get_double_member (expected, "var99"), 1e-10);
  sextant_assert_close_rel (es, json_object_get_double_member (expected, "es99"), 1e-10);

  /* FX value at risk: every foreign currency's daily change applied to today's exposure. */
  {
    JsonObject *want = json_object_get_object_member (expected, "fx_var");
    const double confidences[] = { 0.95, 0.99 };
    const char *var_keys[] = { "var95", "var99" }, *es_keys[] = { "es95", "es99" };
    SextantFxVar levels[2];
    guint n_changes = 0;
    gint32 first_day = 0, want_first;

    g_assert_nonnull (want);
    g_assert_true (sextant_book_get_fx_var (&book, f->cache, confidences, 2, levels, &n_changes, &first_day,
                                            &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n_changes, ==, json_object_get_int_member (want, "changes"));
    g_assert_true (sextant_day_parse_iso (json_object_get_string_member (want, "from"), &want_first));
    g_assert_cmpint (first_day, ==, want_first);
    for (guint l = 0; l < 2; l++)
      {
        double share = json_object_get_double_member (want, var_keys[l]);

        sextant_assert_close_rel (levels[l].share, share, 1e-10);
        sextant_assert_close_rel (levels[l].var, share * book.total_value, 1e-10);
        sextant_assert_close_rel (levels[l].es, json_object_get_double_member (want, es_keys[l]) * book.total_value,
                                  1e-10);
      }
  }
}

static void
test_euro_book (Fixture       *f,
                gconstpointer  data)
{
  check_book_with_risk (f, 0);
}

/* The book of tests/test-gui-own-book.c: a dollar stock and one priced in euros. */
static void
test_own_book (Fixture       *f,
               gconstpointer  data)
{
  check_book_with_risk (f, 2);
}

/* The assistant's calculate_portfolio_metrics on a stored portfolio in euros of dollar and
 * sterling instruments: the same converted figures as numpy's, not a mix of currencies. */
static void
check_tool_in_base_currency (Fixture *f,
                             guint    index)
{
  JsonObject *expected = reference_book (f, index);
  g_autoptr(SextantPortfolio) portfolio = make_portfolio (expected);
  g_autoptr(SextantToolData) tools = sextant_tool_data_new (NULL, f->cache);
  g_autoptr(SextantToolRegistry) registry = NULL;
  g_autoptr(JsonNode) input = NULL, result = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  sextant_tool_data_add_portfolio (tools, portfolio);
  registry = sextant_tool_registry_new_default (tools);
  json = g_strdup_printf ("{\"portfolio\": \"%s\", \"confidence\": 0.95}",
                          json_object_get_string_member (expected, "name"));
  input = json_from_string (json, &error);
  g_assert_no_error (error);
  result = sextant_tool_registry_invoke (registry, "calculate_portfolio_metrics", input, NULL, &error);
  g_assert_no_error (error);
  o = json_node_get_object (result);
  g_assert_cmpint (json_object_get_int_member (o, "n_returns"), ==, json_object_get_int_member (expected, "n_returns"));
  sextant_assert_close_rel (json_object_get_double_member (o, "var_historical_1d"),
                            json_object_get_double_member (expected, "var95"), 1e-10);
  sextant_assert_close_rel (json_object_get_double_member (o, "es_historical_1d"),
                            json_object_get_double_member (expected, "es95"), 1e-10);
}

static void
test_tool_euro_book (Fixture       *f,
                     gconstpointer  data)
{
  check_tool_in_base_currency (f, 0);
}

static void
test_tool_own_book (Fixture       *f,
                    gconstpointer  data)
{
  check_tool_in_base_currency (f, 2);
}

/* A sterling book of a dollar stock: USD to GBP crossed through the euro. */
static void
test_sterling_book (Fixture       *f,
                    gconstpointer  data)
{
  JsonObject *expected = reference_book (f, 1);
  g_auto(SextantBook) book = { 0 };

  load_book (f, expected, &book);
  assert_closes (&book, expected);
  assert_array_close (json_object_get_array_member (expected, "weights"), book.weights, 2);
  assert_array_close (json_object_get_array_member (expected, "values"), book.values, 2);
}

static void
test_rate_currencies (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SextantPortfolio) euro = make_portfolio (reference_book (f, 0));
  g_autoptr(SextantPortfolio) sterling = make_portfolio (reference_book (f, 1));
  g_autoptr(SextantPortfolio) dollar = sextant_portfolio_new ("Dollars");
  g_auto(GStrv) a = sextant_book_dup_rate_currencies (f->cache, euro);
  g_auto(GStrv) b = sextant_book_dup_rate_currencies (f->cache, sterling);
  g_auto(GStrv) c = NULL;

  sextant_portfolio_add_holding (dollar, "KO", 10, NAN, NULL);
  c = sextant_book_dup_rate_currencies (f->cache, dollar);
  g_assert_cmpstrv (a, ((const char * const []) { "USD", "GBP", NULL }));
  g_assert_cmpstrv (b, ((const char * const []) { "USD", "GBP", NULL }));
  g_assert_cmpuint (g_strv_length (c), ==, 0);
}

/* A first date before the stored rates: the pair and the date are named, nothing is dropped. */
static void
test_missing_rate (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SextantPortfolio) portfolio = make_portfolio (reference_book (f, 0));
  g_auto(SextantBook) book = { 0 };
  g_autoptr(GError) error = NULL;
  gint32 from;

  g_assert_true (sextant_day_parse_iso ("1999-12-01", &from));
  g_assert_false (sextant_book_load (&book, f->cache, portfolio, from, 0, NULL, &error));
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "between USD and EUR on 1999-12-01"));
  g_assert_nonnull (strstr (error->message, "KO"));
}

static void
test_no_rates_stored (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SextantPortfolio) portfolio = make_portfolio (reference_book (f, 0));
  g_autoptr(SextantPortfolio) dollar = sextant_portfolio_new ("Dollars");
  g_auto(SextantBook) book = { 0 };
  g_auto(SextantBook) plain = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (sextant_book_load (&book, f->cache, portfolio, 0, 0, NULL, &error));
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "No ECB exchange rates for USD are stored"));
  g_clear_error (&error);

  /* A book all in its base currency needs no rate. */
  sextant_portfolio_add_holding (dollar, "KO", 10, NAN, "USD");
  g_assert_true (sextant_book_load (&plain, f->cache, dollar, 0, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (plain.weights[0], ==, 1.0);
}

/* A window's table in the base currency: NaN before the first rate, the reference after. */
static void
test_convert_table (Fixture       *f,
                    gconstpointer  data)
{
  JsonObject *expected = reference_book (f, 0);
  JsonObject *first = json_array_get_object_element (json_object_get_array_member (expected, "closes"), 0);
  const char *names[] = { "KO", "BTL", NULL };
  const char *currencies[] = { "USD", "GBP", NULL };
  g_autoptr(SextantPriceTable) table = sextant_price_table_new (2, names);
  g_autoptr(SextantPriceTable) converted = NULL;
  g_autoptr(SextantPriceTable) same = NULL;
  g_autoptr(GError) error = NULL;
  const char *dates[] = { "1999-12-31", "2000-01-03" };

  for (guint r = 0; r < 2; r++)
    {
      gint32 day;

      g_assert_true (sextant_day_parse_iso (dates[r], &day));
      sextant_price_table_get_days_mutable (table)[r] = day;
      for (guint j = 0; j < 2; j++)
        {
          g_autoptr(SextantPriceSeries) bars = sextant_market_cache_get_bars (f->cache, names[j], day, day, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (sextant_price_series_get_length (bars), ==, 1);
          sextant_price_table_get_column_mutable (table, j)[r] = sextant_price_series_get_close (bars)[0];
        }
    }
  converted = sextant_book_convert_table (f->cache, table, currencies, "EUR", &error);
  g_assert_no_error (error);
  g_assert_true (isnan (sextant_price_table_get_column (converted, 0)[0]));
  g_assert_true (isnan (sextant_price_table_get_column (converted, 1)[0]));
  g_assert_cmpstr (json_object_get_string_member (first, "date"), ==, "2000-01-03");
  sextant_assert_close_rel (sextant_price_table_get_column (converted, 0)[1],
                            json_array_get_double_element (json_object_get_array_member (first, "values"), 0), TOL);
  sextant_assert_close_rel (sextant_price_table_get_column (converted, 1)[1],
                            json_array_get_double_element (json_object_get_array_member (first, "values"), 2), TOL);

  /* Nothing to convert: the same table back. */
  same = sextant_book_convert_table (f->cache, table, (const char *[]) { "EUR", "EUR", NULL }, "EUR", &error);
  g_assert_true (same == table);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sextant/book/euro", Fixture, NULL, fixture_setup, test_euro_book, fixture_teardown);
  g_test_add ("/sextant/book/own-book", Fixture, NULL, fixture_setup, test_own_book, fixture_teardown);
  g_test_add ("/sextant/book/assistant-tool-euro", Fixture, NULL, fixture_setup, test_tool_euro_book,
              fixture_teardown);
  g_test_add ("/sextant/book/assistant-tool-own-book", Fixture, NULL, fixture_setup, test_tool_own_book,
              fixture_teardown);
  g_test_add ("/sextant/book/sterling-cross", Fixture, NULL, fixture_setup, test_sterling_book,
              fixture_teardown);
  g_test_add ("/sextant/book/rate-currencies", Fixture, NULL, fixture_setup, test_rate_currencies,
              fixture_teardown);
  g_test_add ("/sextant/book/missing-rate", Fixture, NULL, fixture_setup, test_missing_rate,
              fixture_teardown);
  g_test_add ("/sextant/book/convert-table", Fixture, NULL, fixture_setup, test_convert_table,
              fixture_teardown);
  g_test_add ("/sextant/book/no-rates-stored", Fixture, "no rates", fixture_setup,
              test_no_rates_stored, fixture_teardown);

  return g_test_run ();
}
