#define G_LOG_DOMAIN "test-offline-analyst"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* The offline analyst on the bundled demo data: the three example requests (with symbols
 * the demo has, and with TSLA/AAPL/NVDA, which it has not), the other intents, and requests it
 * cannot parse. Expected figures are recomputed here with direct core calls and formatted the
 * way the answer formats them. */

static SextantWorkspace *workspace;

static SextantOfflineAnalyst *
make_analyst (void)
{
  g_autoptr(SextantToolData) data = sextant_tool_data_new (sextant_workspace_get_demo_set (workspace), NULL);
  g_autoptr(SextantToolRegistry) registry = sextant_tool_registry_new_default (data);

  return sextant_offline_analyst_new (registry);
}

static char *
answer (const char *text)
{
  g_autoptr(SextantOfflineAnalyst) analyst = make_analyst ();
  char *markdown = sextant_offline_analyst_answer (analyst, text, "No AWS credentials were found.", NULL);

  g_test_message ("%s\n---\n%s", text, markdown);
  g_assert_true (g_str_has_prefix (markdown, "> **" SEXTANT_OFFLINE_LABEL ".** No AWS credentials were found."));

  return markdown;
}

#define assert_contains(haystack, needle) \
  G_STMT_START { \
    if (strstr ((haystack), (needle)) == NULL) \
      g_error ("%s:%d: “%s” not found in:\n%s", __FILE__, __LINE__, (needle), (haystack)); \
  } G_STMT_END

static void
test_parse (void)
{
  g_autoptr(SextantOfflineAnalyst) analyst = make_analyst ();
  g_autoptr(SextantOfflineRequest) rsi = sextant_offline_analyst_parse (analyst, "RSI of TSLA");
  g_autoptr(SextantOfflineRequest) opt = sextant_offline_analyst_parse (analyst, "optimise AAPL MSFT NVDA for minimum variance");
  g_autoptr(SextantOfflineRequest) var = sextant_offline_analyst_parse (analyst, "VaR of portfolio Dow Blue Chips?");
  g_autoptr(SextantOfflineRequest) var2 = sextant_offline_analyst_parse (analyst, "99% VaR of msft and ko");
  g_autoptr(SextantOfflineRequest) fc = sextant_offline_analyst_parse (analyst, "Forecast Microsoft for 10 days");
  g_autoptr(SextantOfflineRequest) rsi10 = sextant_offline_analyst_parse (analyst, "How does TSLA's RSI(10) look?");
  g_autoptr(SextantOfflineRequest) rp = sextant_offline_analyst_parse (analyst, "risk parity allocation for IBM, INTC and KO");

  g_assert_cmpint (rsi->intent, ==, SEXTANT_OFFLINE_INTENT_INDICATORS);
  g_assert_cmpstrv (rsi->symbols, ((const char *[]) { "TSLA", NULL }));
  g_assert_cmpstrv (rsi->indicators, ((const char *[]) { "rsi", NULL }));

  g_assert_cmpint (opt->intent, ==, SEXTANT_OFFLINE_INTENT_OPTIMIZE);
  g_assert_cmpstrv (opt->symbols, ((const char *[]) { "AAPL", "MSFT", "NVDA", NULL }));
  g_assert_cmpstr (opt->objective, ==, "min_variance");

  g_assert_cmpint (var->intent, ==, SEXTANT_OFFLINE_INTENT_RISK);
  g_assert_cmpstr (var->portfolio, ==, "Dow Blue Chips");
  g_assert_cmpuint (g_strv_length (var->symbols), ==, 0);

  /* Lower-case tickers count when the data has them ("ko" has only two letters: upper case needed). */
  g_assert_cmpstrv (var2->symbols, ((const char *[]) { "MSFT", NULL }));
  g_assert_cmpfloat (var2->confidence, ==, 0.99);

  g_assert_cmpint (fc->intent, ==, SEXTANT_OFFLINE_INTENT_FORECAST);
  g_assert_cmpstrv (fc->symbols, ((const char *[]) { "MSFT", NULL }));
  g_assert_cmpuint (fc->horizon, ==, 10);

  g_assert_cmpstrv (rsi10->symbols, ((const char *[]) { "TSLA", NULL }));
  g_assert_cmpuint (rsi10->period, ==, 10);

  g_assert_cmpint (rp->intent, ==, SEXTANT_OFFLINE_INTENT_OPTIMIZE);
  g_assert_cmpstr (rp->objective, ==, "risk_parity");
  g_assert_cmpstrv (rp->symbols, ((const char *[]) { "IBM", "INTC", "KO", NULL }));
}

static void
test_rsi (void)
{
  g_autofree char *md = answer ("RSI of MSFT");
  SextantPriceTable *stocks = sextant_workspace_get_stocks (workspace);
  const double *close = sextant_price_table_get_column (stocks, sextant_price_table_find_column (stocks, "MSFT"));
  gsize n = sextant_price_table_get_n_rows (stocks);
  g_autofree double *rsi = g_new (double, n);
  g_autofree char *expected = NULL;

  g_assert_true (sextant_rsi_compute (close, n, 14, rsi, NULL));
  expected = g_strdup_printf ("| RSI(14) | %.2f — ", rsi[n - 1]);
  assert_contains (md, "### MSFT");
  assert_contains (md, expected);
  assert_contains (md, "2001-01-02");
  assert_contains (md, "not live prices");
}

static void
test_rsi_unavailable (void)
{
  g_autofree char *md = answer ("RSI of TSLA");

  assert_contains (md, "**TSLA** is not in the local data");
  assert_contains (md, "MSFT");
  assert_contains (md, "IBM");
  assert_contains (md, "INTC");
  assert_contains (md, "import a CSV");
  assert_contains (md, "provider key");
  g_assert_null (strstr (md, "| RSI"));
}

static void
test_optimise (void)
{
  g_autofree char *md = answer ("optimise MSFT IBM INTC for minimum variance");
  const char *symbols[] = { "MSFT", "IBM", "INTC", NULL };
  g_autoptr(SextantPriceTable) sel = sextant_price_table_select (sextant_workspace_get_stocks (workspace), symbols, NULL);
  g_autoptr(SextantReturnMatrix) r = sextant_return_matrix_from_prices (sel, SEXTANT_RETURN_SIMPLE, NULL);
  double mean[3], cov[9], w[3];
  g_autoptr(SextantOptimizer) opt = NULL;

  g_assert_true (sextant_mean_vector (r, mean, NULL) && sextant_covariance_sample (r, cov, NULL));
  opt = sextant_optimizer_new (mean, cov, 3, symbols, NULL);
  g_assert_true (sextant_optimizer_min_variance (opt, w, NULL));
  assert_contains (md, "### Minimum variance weights");
  for (guint j = 0; j < 3; j++)
    {
      g_autofree char *row = g_strdup_printf ("| %s | %.2f%% |", symbols[j], 100 * w[j]);

      assert_contains (md, row);
    }
}

static void
test_optimise_unavailable (void)
{
  g_autofree char *md = answer ("optimise AAPL MSFT NVDA for minimum variance");
  g_autofree char *md2 = answer ("optimise AAPL MSFT NVDA IBM for minimum variance");

  assert_contains (md, "**AAPL** and **NVDA** are not in the local data");
  assert_contains (md, "Optimising needs at least two symbols with data.");
  /* With two of them in the data, it optimises those and says so. */
  assert_contains (md2, "With the symbols that are available");
  assert_contains (md2, "| MSFT |");
  assert_contains (md2, "| IBM |");
  g_assert_null (strstr (md2, "| AAPL |"));
}

static void
test_var_portfolio (void)
{
  g_autofree char *md = answer ("VaR of portfolio Dow Blue Chips");
  g_autofree char *md_bad = answer ("VaR of portfolio X");
  g_autoptr(SextantToolData) data = sextant_tool_data_new (sextant_workspace_get_demo_set (workspace), NULL);
  g_autoptr(SextantToolRegistry) registry = sextant_tool_registry_new_default (data);
  g_autoptr(JsonNode) input = json_from_string ("{\"confidence\":0.95}", NULL);
  g_autoptr(JsonNode) result = sextant_tool_registry_invoke (registry, "calculate_portfolio_metrics", input, NULL, NULL);
  g_autofree char *row = g_strdup_printf ("| Historical VaR | %.2f%% |",
                                          100 * json_object_get_double_member (json_node_get_object (result),
                                                                               "var_historical_1d"));

  assert_contains (md, "### Risk of “Dow Blue Chips (demo)”");
  assert_contains (md, "| Measure (1 day, 95%) | Value |");
  assert_contains (md, row);
  assert_contains (md_bad, "No portfolio named “X”");
  assert_contains (md_bad, "Dow Blue Chips (demo)");
}

static void
test_other_intents (void)
{
  g_autofree char *quote = answer ("What's the price of IBM?");
  g_autofree char *forecast = answer ("forecast KO 10 days");
  g_autofree char *drawdown = answer ("max drawdown of INTC");
  g_autofree char *help = answer ("tell me a joke");
  g_autofree char *no_symbols = answer ("RSI please");

  assert_contains (quote, "**IBM** closed at **");
  assert_contains (quote, "on 2001-01-02");
  assert_contains (forecast, "### KO in 10 trading days");
  assert_contains (forecast, "95% interval");
  assert_contains (drawdown, "The maximum drawdown of INTC was **");
  assert_contains (help, "I could not understand that request");
  assert_contains (help, "“RSI of MSFT”");
  assert_contains (help, "“VaR of portfolio Dow Blue Chips”");
  assert_contains (no_symbols, "Which symbols?");
}

static void
answer_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  char **out = user_data;

  *out = sextant_offline_analyst_answer_finish (SEXTANT_OFFLINE_ANALYST (object), result, NULL);
  g_assert_nonnull (*out);
}

static void
test_async (void)
{
  g_autoptr(SextantOfflineAnalyst) analyst = make_analyst ();
  g_autofree char *md = NULL;

  sextant_offline_analyst_answer_async (analyst, "RSI of IBM", NULL, NULL, answer_cb, &md);
  while (md == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (md, "> **" SEXTANT_OFFLINE_LABEL ".** Answers below"));
  assert_contains (md, "### IBM");
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  workspace = sextant_test_load_demo_workspace ();

  g_test_add_func ("/sextant/offline-analyst/parse", test_parse);
  g_test_add_func ("/sextant/offline-analyst/rsi", test_rsi);
  g_test_add_func ("/sextant/offline-analyst/rsi-unavailable", test_rsi_unavailable);
  g_test_add_func ("/sextant/offline-analyst/optimise", test_optimise);
  g_test_add_func ("/sextant/offline-analyst/optimise-unavailable", test_optimise_unavailable);
  g_test_add_func ("/sextant/offline-analyst/var-portfolio", test_var_portfolio);
  g_test_add_func ("/sextant/offline-analyst/other-intents", test_other_intents);
  g_test_add_func ("/sextant/offline-analyst/async", test_async);

  status = g_test_run ();
  g_object_unref (workspace);

  return status;
}
