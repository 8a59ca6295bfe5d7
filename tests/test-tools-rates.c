#define G_LOG_DOMAIN "test-tools-rates"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* The desks' tools (issue 17) against independent references: QuantLib's bond figures
 * (tests/data/rates/bond_reference.csv), QuantLib's and SciPy's curve (curve_reference.json),
 * and cross rates read straight from the ECB fixture (tests/data/desks/tools_reference.json, made
 * by make_tools_reference.py); shock_portfolio's figures are test-book-shock's. The cache holds the
 * fixtures as a fetch would have left them. */

typedef struct
{
  char                *dir;
  SextantStore        *store;
  SextantMarketCache  *cache;
  SextantToolRegistry *registry;
} Fixture;

static void
put_fixtures (SextantMarketCache *cache)
{
  g_autofree char *fx_path = sextant_test_reference_path ("fx/ecb_exr_2000-2001.csv");
  g_autofree char *curve_path = sextant_test_reference_path ("rates/treasury_par_2025-02.csv");
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GPtrArray) curves = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (fx_path, &text, &length, &error));
  series = sextant_ecb_rates_parse_csv (text, length, &error);
  g_assert_no_error (error);
  g_assert_true (sextant_market_cache_put_fx_rates (cache, series, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (curve_path, &text, &length, &error));
  curves = sextant_treasury_parse_csv (text, length, "treasury", &error);
  g_assert_no_error (error);
  g_assert_true (sextant_market_cache_put_par_curves (cache, curves, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  with_data)
{
  g_autofree char *path = NULL;
  g_autoptr(SextantToolData) data = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = sextant_test_make_temp_dir ();
  path = g_build_filename (f->dir, "sextant.db", NULL);
  f->store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  f->cache = sextant_market_cache_new (f->store);
  if (GPOINTER_TO_INT (with_data))
    put_fixtures (f->cache);
  data = sextant_tool_data_new (NULL, f->cache);
  f->registry = sextant_tool_registry_new_default (data);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  with_data)
{
  g_clear_object (&f->registry);
  g_clear_object (&f->cache);
  g_clear_object (&f->store);
  sextant_test_remove_temp_dir (f->dir);
  g_free (f->dir);
}

static JsonNode *
invoke (Fixture     *f,
        const char  *name,
        const char  *input_json,
        GError     **error)
{
  g_autoptr(JsonNode) input = json_from_string (input_json, NULL);

  g_assert_nonnull (input);
  return sextant_tool_registry_invoke (f->registry, name, input, NULL, error);
}

static JsonObject *
invoke_ok (Fixture     *f,
           const char  *name,
           const char  *input_json,
           JsonNode   **keep)
{
  g_autoptr(GError) error = NULL;

  *keep = invoke (f, name, input_json, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*keep));
  return json_node_get_object (*keep);
}

static JsonObject *
load_reference (const char  *relative,
                JsonParser **keep)
{
  g_autofree char *path = sextant_test_reference_path (relative);
  g_autoptr(GError) error = NULL;

  *keep = json_parser_new ();
  g_assert_true (json_parser_load_from_file (*keep, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (*keep));
}

static void
test_registered (Fixture       *f,
                 gconstpointer  data)
{
  const char *names[] = { "get_fx_rates", "get_yield_curve", "price_bond", "shock_portfolio",
                          "get_credit_spreads" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      SextantTool *tool = sextant_tool_registry_lookup (f->registry, names[i]);

      g_assert_nonnull (tool);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (sextant_tool_get_schema (tool)));
    }
}

/* Every row of QuantLib's bond table, given a yield or a price, through the tool. */
static void
test_price_bond (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = sextant_test_reference_path ("rates/bond_reference.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  const char *keys[] = { "clean_price", "dirty_price", "accrued", "yield", "macaulay_duration",
                         "modified_duration", "convexity", "dv01" };
  const double tolerance[] = { 1e-10, 1e-10, 1e-12, 1e-10, 1e-8, 1e-8, 1e-8, 1e-8 };
  guint n_rows = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) c = g_strsplit (lines[i], ",", -1);
      g_autofree char *input = NULL;
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *out;

      g_assert_cmpuint (g_strv_length (c), ==, 16);
      input = g_strdup_printf ("{\"coupon\":%s,\"maturity\":\"%s\",\"settlement\":\"%s\",\"frequency\":%s,"
                               "\"day_count\":\"%s\",\"face\":%s,\"%s\":%s}",
                               c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
      out = invoke_ok (f, "price_bond", input, &keep);
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          double expected = g_ascii_strtod (c[8 + k], NULL);

          /* accrued is 0 on coupon days; relative error means nothing there. */
          if (expected == 0)
            g_assert_cmpfloat (fabs (json_object_get_double_member (out, keys[k])), <, 1e-12);
          else
            sextant_assert_close_rel (json_object_get_double_member (out, keys[k]), expected, tolerance[k]);
        }
      n_rows++;
    }
  g_assert_cmpuint (n_rows, >=, 20);
}

static void
test_price_bond_errors (Fixture       *f,
                        gconstpointer  data)
{
  const struct { const char *input; int code; const char *text; } cases[] = {
    { "{\"coupon\":4,\"maturity\":\"2030-01-01\",\"settlement\":\"2026-01-01\"}",
      SEXTANT_AGENT_ERROR_INVALID_INPUT, "exactly one of yield and price" },
    { "{\"coupon\":4,\"maturity\":\"2030-01-01\",\"settlement\":\"2026-01-01\",\"yield\":4,\"price\":99}",
      SEXTANT_AGENT_ERROR_INVALID_INPUT, "exactly one of yield and price" },
    { "{\"coupon\":4,\"maturity\":\"2030-13-01\",\"settlement\":\"2026-01-01\",\"yield\":4}",
      SEXTANT_AGENT_ERROR_INVALID_INPUT, "maturity must be a date" },
    { "{\"coupon\":4,\"maturity\":\"2030-01-01\",\"settlement\":\"2026-01-01\",\"yield\":4,\"frequency\":3}",
      SEXTANT_AGENT_ERROR_INVALID_INPUT, "frequency must be 1, 2, 4 or 12" },
    { "{\"coupon\":4,\"maturity\":\"2030-01-01\",\"settlement\":\"2026-01-01\",\"yield\":4,\"face\":0}",
      SEXTANT_AGENT_ERROR_INVALID_INPUT, "face must be positive" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) out = invoke (f, "price_bond", cases[i].input, &error);

      g_assert_null (out);
      g_assert_error (error, SEXTANT_AGENT_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].text) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].text);
    }
  {
    /* Settlement at maturity is the core's error, passed on. */
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) out = invoke (f, "price_bond", "{\"coupon\":4,\"maturity\":\"2026-01-01\","
                                      "\"settlement\":\"2026-01-01\",\"yield\":4}", &error);

    g_assert_null (out);
    g_assert_nonnull (error);
  }
}

static void
compare_array (JsonObject *out,
               JsonObject *ref,
               const char *name,
               double      tolerance)
{
  JsonArray *got = json_object_get_array_member (out, name);
  JsonArray *want = json_object_get_array_member (ref, name);

  g_assert_cmpuint (json_array_get_length (got), ==, json_array_get_length (want));
  for (guint i = 0; i < json_array_get_length (want); i++)
    sextant_assert_close_rel (json_array_get_double_element (got, i), json_array_get_double_element (want, i),
                              tolerance);
}

/* The Treasury curve of 2025-02-28 from the cache: QuantLib's bootstrap and SciPy's fits, with
 * the tolerances of test-yield-curve and test-cli-rates. */
static void
test_yield_curve (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *reference = load_reference ("rates/curve_reference.json", &parser);
  JsonObject *ref = json_array_get_object_element (json_object_get_array_member (reference, "curves"), 0);
  const char *models[] = { "nelson_siegel", "svensson" };

  g_assert_cmpstr (json_object_get_string_member (ref, "date"), ==, "2025-02-28");
  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      g_autofree char *input = g_strdup_printf ("{\"source\":\"treasury\",\"date\":\"2025-02-28\",\"fit\":\"%s\"}",
                                                m == 0 ? "nelson-siegel" : "svensson");
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *out = invoke_ok (f, "get_yield_curve", input, &keep);
      JsonObject *fit = json_object_get_object_member (out, "fit");
      JsonObject *fit_ref = json_object_get_object_member (ref, models[m]);

      g_assert_cmpstr (json_object_get_string_member (out, "date"), ==, "2025-02-28");
      compare_array (out, ref, "tenors", 1e-15);
      compare_array (out, ref, "par", 1e-15);
      compare_array (out, ref, "zero", 1e-10);
      compare_array (out, ref, "forward", 1e-9);
      g_assert_cmpstr (json_object_get_string_member (fit, "model"), ==, m == 0 ? "nelson-siegel" : "svensson");
      sextant_assert_close_rel (json_object_get_double_member (fit, "rmse"),
                                json_object_get_double_member (fit_ref, "rmse"), 1e-8);
      g_assert_cmpuint (json_object_get_size (json_object_get_object_member (fit, "params")), ==, m == 0 ? 4 : 6);
    }
  {
    /* A day before the fixture's first: the last before it does not exist. */
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) out = invoke (f, "get_yield_curve", "{\"date\":\"2024-01-02\"}", &error);

    g_assert_null (out);
    g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA);
    g_assert_nonnull (strstr (error->message, "sextant-cli curve --source treasury"));
  }
}

static void
test_fx_rates (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *cases = json_object_get_array_member (load_reference ("desks/tools_reference.json", &parser), "fx");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      g_autofree char *input = json_to_string (json_object_get_member (c, "input"), FALSE);
      JsonArray *want = json_object_get_array_member (c, "rates");
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *out = invoke_ok (f, "get_fx_rates", input, &keep);
      JsonArray *got = json_object_get_array_member (out, "rates");

      g_assert_cmpstr (json_object_get_string_member (out, "source"), ==, "Source: ECB statistics");
      g_assert_cmpuint (json_array_get_length (got), ==, json_array_get_length (want));
      for (guint k = 0; k < json_array_get_length (want); k++)
        {
          JsonObject *g = json_array_get_object_element (got, k);
          JsonObject *w = json_array_get_object_element (want, k);

          g_assert_cmpstr (json_object_get_string_member (g, "currency"), ==, json_object_get_string_member (w, "currency"));
          g_assert_cmpstr (json_object_get_string_member (g, "date"), ==, json_object_get_string_member (w, "date"));
          sextant_assert_close_rel (json_object_get_double_member (g, "rate"), json_object_get_double_member (w, "rate"),
                                    1e-14);
        }
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) out = invoke (f, "get_fx_rates", "{\"currencies\":[\"JPY\"]}", &error);

    g_assert_null (out);
    g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA);
    g_assert_nonnull (strstr (error->message, "no ECB reference rate for JPY"));
  }
}

static void
test_shock_errors (Fixture       *f,
                   gconstpointer  data)
{
  /* The figures themselves are checked against the CLI's and QuantLib's in test-book-shock. */
  const struct { const char *input; const char *text; } cases[] = {
    { "{\"rates_bp\":100}", "portfolio" },
    { "{\"portfolio\":\"Nope\"}", "Nope" },
    { "{\"portfolio\":\"Nope\",\"bonds\":[]}", "bonds" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) out = invoke (f, "shock_portfolio", cases[i].input, &error);

      g_assert_null (out);
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].text) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].text);
    }
}

/* An empty cache: each data tool names what is missing and how to fetch it. */
static void
test_empty_cache (Fixture       *f,
                  gconstpointer  data)
{
  const struct { const char *name, *input, *text; } cases[] = {
    { "get_fx_rates", "{\"currencies\":[\"USD\"],\"date\":\"2001-06-15\"}", "sextant-cli fx --base EUR USD" },
    { "get_yield_curve", "{\"source\":\"treasury\"}", "sextant-cli curve --source treasury" },
    { "get_yield_curve", "{\"source\":\"ecb\"}", "sextant-cli curve --source ecb" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) out = invoke (f, cases[i].name, cases[i].input, &error);

      g_assert_null (out);
      g_assert_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA);
      if (strstr (error->message, cases[i].text) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, with_data) \
  g_test_add (path, Fixture, GINT_TO_POINTER (with_data), fixture_set_up, func, fixture_tear_down)
  ADD ("/tools-rates/registered", test_registered, TRUE);
  ADD ("/tools-rates/price-bond", test_price_bond, TRUE);
  ADD ("/tools-rates/price-bond-errors", test_price_bond_errors, TRUE);
  ADD ("/tools-rates/yield-curve", test_yield_curve, TRUE);
  ADD ("/tools-rates/fx-rates", test_fx_rates, TRUE);
  ADD ("/tools-rates/shock-errors", test_shock_errors, TRUE);
  ADD ("/tools-rates/empty-cache", test_empty_cache, FALSE);
#undef ADD

  return g_test_run ();
}
