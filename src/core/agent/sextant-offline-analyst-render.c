#define G_LOG_DOMAIN "sextant-offline-analyst-render"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "agent/sextant-offline-analyst-private.h"

/* Turns a parsed request into tool calls and their results into Markdown. */

typedef struct
{
  SextantToolRegistry         *registry;
  const SextantOfflineRequest *request;
  GCancellable                *cancellable;
  GString                     *out;
  GPtrArray                   *available;   /* symbols of the request that have data */
  GPtrArray                   *calls;       /* SextantOfflineToolCall, or NULL */
} Render;

static void
add_number (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

static void
add_symbols (JsonBuilder *b,
             GPtrArray   *symbols,
             guint        max)
{
  json_builder_set_member_name (b, "symbols");
  json_builder_begin_array (b);
  for (guint i = 0; i < MIN (symbols->len, max); i++)
    json_builder_add_string_value (b, symbols->pdata[i]);
  json_builder_end_array (b);
}

/* Runs a tool; on failure writes why into the answer and returns NULL. */
static JsonObject *
call (Render       *r,
      const char   *tool,
      JsonBuilder  *input,
      JsonNode    **keep)
{
  g_autoptr(JsonNode) node = json_builder_get_root (input);
  g_autoptr(GError) error = NULL;

  *keep = sextant_tool_registry_invoke (r->registry, tool, node, r->cancellable, &error);
  if (r->calls != NULL)
    {
      SextantOfflineToolCall *record = g_new0 (SextantOfflineToolCall, 1);

      record->name = g_strdup (tool);
      record->input = json_node_ref (node);
      record->is_error = *keep == NULL;
      if (*keep != NULL)
        record->result = json_node_ref (*keep);
      else
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, error->message);
          json_builder_end_object (b);
          record->result = json_builder_get_root (b);
        }
      g_ptr_array_add (r->calls, record);
    }
  if (*keep == NULL)
    {
      /* Translators: why a tool failed */
      g_string_append_printf (r->out, _("The calculation failed: %s.\n\n"), error->message);
      return NULL;
    }

  return json_node_get_object (*keep);
}

static double
num (JsonObject *o,
     const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node != NULL && !json_node_is_null (node) ? json_node_get_double (node) : NAN;
}

/* “12.34%”, or “n/a” */
static char *
pct_text (double value)
{
  if (isfinite (value))
    return g_strdup_printf ("%.2f%%", 100 * value);

  /* Translators: a figure that could not be computed */
  return g_strdup (_("n/a"));
}

static void
pct (GString    *out,
     double      value)
{
  g_autofree char *text = pct_text (value);

  g_string_append (out, text);
}

/* A table row “| @label | @value% |”. */
static void
pct_row (GString    *out,
         const char *label,
         double      value)
{
  g_autofree char *text = pct_text (value);

  g_string_append_printf (out, "| %s | %s |\n", label, text);
}

static void
data_note (Render     *r,
           JsonObject *o)
{
  const char *source = json_object_get_string_member_with_default (o, "source", "unknown");

  if (g_str_equal (source, "demo"))
    /* Translators: the first and the last date of the data */
    g_string_append_printf (r->out, _("\n_Data: demo (bundled historical data, not live prices), %s … %s._\n\n"),
                            json_object_get_string_member (o, "data_from"),
                            json_object_get_string_member (o, "as_of"));
  else
    /* Translators: where the data came from, then its first and last date */
    g_string_append_printf (r->out, _("\n_Data: %s, %s … %s._\n\n"), source,
                            json_object_get_string_member (o, "data_from"),
                            json_object_get_string_member (o, "as_of"));
}

static void
weights_table (GString    *out,
               JsonObject *weights)
{
  g_autoptr(GList) members = json_object_get_members (weights);

  g_string_append_printf (out, "| %s | %s |\n|---|---:|\n", _("Symbol"), _("Weight"));
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_string_append_printf (out, "| %s | ", (const char *) l->data);
      pct (out, json_object_get_double_member (weights, l->data));
      g_string_append (out, " |\n");
    }
}

/* quote ------------------------------------------------------------------------------------- */

static void
render_quote (Render *r)
{
  for (guint i = 0; i < MIN (r->available->len, 5); i++)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) keep = NULL;
      g_autofree char *change = NULL;
      JsonObject *o;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "symbol");
      json_builder_add_string_value (b, r->available->pdata[i]);
      json_builder_end_object (b);
      if (!(o = call (r, "get_quote", b, &keep)))
        continue;
      change = g_strdup_printf ("%s%.2f%%", num (o, "change_percent") >= 0 ? "+" : "", num (o, "change_percent"));
      /* Translators: a symbol, a price, a date, the day's change in percent */
      g_string_append_printf (r->out, _("**%s** closed at **%.2f** on %s (%s on the day).\n"),
                              (const char *) r->available->pdata[i], num (o, "price"),
                              json_object_get_string_member (o, "as_of"), change);
      if (i + 1 == MIN (r->available->len, 5))
        data_note (r, o);
    }
}

/* indicators -------------------------------------------------------------------------------- */

static void
indicator_rows (GString    *out,
                JsonObject *o)
{
  g_autoptr(GList) members = json_object_get_members (o);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (o, l->data);
      JsonObject *ind;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      ind = json_node_get_object (node);
      if (g_str_equal (l->data, "rsi"))
        g_string_append_printf (out, "| RSI(%" G_GINT64_FORMAT ") | %.2f — %s |\n",
                                json_object_get_int_member (ind, "period"), num (ind, "value"),
                                json_object_get_string_member (ind, "reading"));
      else if (g_str_equal (l->data, "macd"))
        /* Translators: MACD's three values */
        g_string_append_printf (out, _("| MACD(12,26,9) | line %.3f, signal %.3f, histogram %.3f |\n"),
                                num (ind, "macd"), num (ind, "signal"), num (ind, "histogram"));
      else if (g_str_equal (l->data, "bbands"))
        g_string_append_printf (out, "| Bollinger(%" G_GINT64_FORMAT ", 2) | %.2f / %.2f / %.2f |\n",
                                json_object_get_int_member (ind, "period"), num (ind, "upper"),
                                num (ind, "middle"), num (ind, "lower"));
      else if (g_str_equal (l->data, "volatility"))
        {
          g_autofree char *annualised = pct_text (num (ind, "annualised"));

          /* Translators: a number of days, then a volatility in percent */
          g_string_append_printf (out, _("| Volatility(%lld), annualised | %s |\n"),
                                  (long long) json_object_get_int_member (ind, "period"), annualised);
        }
      else
        {
          g_autofree char *up = g_ascii_strup (l->data, -1);

          g_string_append_printf (out, "| %s(%" G_GINT64_FORMAT ") | %.2f |\n", up,
                                  json_object_get_int_member (ind, "period"), num (ind, "value"));
        }
    }
}

static void
render_indicators (Render *r)
{
  for (guint i = 0; i < MIN (r->available->len, 3); i++)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *o;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "symbol");
      json_builder_add_string_value (b, r->available->pdata[i]);
      json_builder_set_member_name (b, "indicators");
      json_builder_begin_array (b);
      for (guint k = 0; r->request->indicators[k] != NULL; k++)
        json_builder_add_string_value (b, r->request->indicators[k]);
      json_builder_end_array (b);
      if (r->request->period >= 2)
        {
          json_builder_set_member_name (b, "period");
          json_builder_add_int_value (b, r->request->period);
        }
      json_builder_end_object (b);
      g_string_append_printf (r->out, "### %s\n\n", (const char *) r->available->pdata[i]);
      if (!(o = call (r, "compute_indicators", b, &keep)))
        continue;
      /* Translators: a price and its date, then the head of a table */
      g_string_append_printf (r->out, _("Last close %.2f on %s.\n\n| Indicator | Value |\n|---|---|\n"),
                              num (o, "last_close"), json_object_get_string_member (o, "as_of"));
      indicator_rows (r->out, o);
      data_note (r, o);
    }
}

/* optimize ---------------------------------------------------------------------------------- */

static void
render_optimize (Render *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o;
  const char *objective = r->request->objective;
  g_autofree char *expected = NULL;
  g_autofree char *volatility = NULL;

  if (r->available->len < 2)
    {
      g_string_append (r->out, _("Optimising needs at least two symbols with data.\n"));
      return;
    }
  json_builder_begin_object (b);
  add_symbols (b, r->available, 50);
  json_builder_set_member_name (b, "objective");
  json_builder_add_string_value (b, objective);
  json_builder_end_object (b);
  if (!(o = call (r, "optimize_allocation_weights", b, &keep)))
    return;
  g_string_append_printf (r->out, "### %s\n\n",
                          g_str_equal (objective, "max_sharpe") ? _("Maximum Sharpe weights") :
                          g_str_equal (objective, "risk_parity") ? _("Risk parity weights") : _("Minimum variance weights"));
  weights_table (r->out, json_object_get_object_member (o, "weights"));
  expected = pct_text (num (o, "expected_return_annualised"));
  volatility = pct_text (num (o, "volatility_annualised"));
  /* Translators: an annual return and an annual volatility in percent */
  g_string_append_printf (r->out, _("\nExpected return %s a year, volatility %s (annualised, long-only, fully invested).\n"),
                          expected, volatility);
  data_note (r, o);
}

/* risk and drawdown ------------------------------------------------------------------------- */

static gboolean
portfolio_input (Render      *r,
                 JsonBuilder *b)
{
  if (r->available->len > 0 && !(r->request->mentions_portfolio && r->request->portfolio != NULL))
    {
      add_symbols (b, r->available, 50);
      return FALSE;
    }
  if (r->request->portfolio != NULL)
    {
      json_builder_set_member_name (b, "portfolio");
      json_builder_add_string_value (b, r->request->portfolio);
    }

  return TRUE;
}

static void
render_risk (Render *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) keep = NULL;
  double c = r->request->confidence > 0 ? r->request->confidence : 0.95;
  gboolean is_portfolio;
  JsonObject *o;

  json_builder_begin_object (b);
  is_portfolio = portfolio_input (r, b);
  add_number (b, "confidence", c);
  json_builder_end_object (b);
  if (!(o = call (r, "calculate_portfolio_metrics", b, &keep)))
    return;
  if (is_portfolio)
    /* Translators: a portfolio's name */
    g_string_append_printf (r->out, _("### Risk of “%s”\n\n"), json_object_get_string_member (o, "portfolio"));
  else
    g_string_append_printf (r->out, ngettext ("### Risk of an equal-weight basket of %u symbol\n\n",
                                              "### Risk of an equal-weight basket of %u symbols\n\n",
                                              r->available->len), r->available->len);
  /* Translators: a confidence level in percent */
  g_string_append_printf (r->out, _("| Measure (1 day, %.4g%%) | Value |\n|---|---:|\n"), 100 * c);
  pct_row (r->out, _("Historical VaR"), num (o, "var_historical_1d"));
  pct_row (r->out, _("Historical ES"), num (o, "es_historical_1d"));
  pct_row (r->out, _("Gaussian VaR"), num (o, "var_gaussian_1d"));
  pct_row (r->out, _("Cornish-Fisher VaR"), num (o, "var_cornish_fisher_1d"));
  pct_row (r->out, _("Volatility (annualised)"), num (o, "volatility_annualised"));
  g_string_append_printf (r->out, "| %s | %.2f |\n", _("Sharpe (rf 0)"), num (o, "sharpe_annualised_rf0"));
  pct_row (r->out, _("Max drawdown"), num (o, "max_drawdown"));
  g_string_append (r->out, _("\nVaR and ES are losses as a share of the portfolio's value.\n"));
  data_note (r, o);
}

static void
render_drawdown (Render *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o;
  gboolean is_portfolio;
  g_autofree char *drawdown = NULL;
  gint64 days;

  json_builder_begin_object (b);
  is_portfolio = portfolio_input (r, b);
  json_builder_end_object (b);
  if (!(o = call (r, "calculate_portfolio_metrics", b, &keep)))
    return;
  drawdown = pct_text (num (o, "max_drawdown"));
  days = json_object_get_int_member (o, "max_drawdown_duration_days");
  if (is_portfolio)
    /* Translators: a portfolio, a drawdown in percent, a number of days */
    g_string_append_printf (r->out, _("The maximum drawdown of “%s” was **%s**, lasting %lld trading days from peak "
                                      "to recovery (or to the end of the data).\n"),
                            json_object_get_string_member (o, "portfolio"), drawdown, (long long) days);
  else if (r->available->len == 1)
    /* Translators: a symbol, a drawdown in percent, a number of days */
    g_string_append_printf (r->out, _("The maximum drawdown of %s was **%s**, lasting %lld trading days from peak "
                                      "to recovery (or to the end of the data).\n"),
                            (const char *) r->available->pdata[0], drawdown, (long long) days);
  else
    /* Translators: a drawdown in percent, a number of days */
    g_string_append_printf (r->out, _("The maximum drawdown of an equal-weight basket of these symbols was **%s**, "
                                      "lasting %lld trading days from peak to recovery (or to the end of the data).\n"),
                            drawdown, (long long) days);
  data_note (r, o);
}

/* forecast, backtest, scenarios ------------------------------------------------------------- */

static void
render_forecast (Render *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) keep = NULL;
  guint horizon = r->request->horizon > 0 ? MIN (r->request->horizon, 252) : 20;
  JsonObject *o;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "symbol");
  json_builder_add_string_value (b, r->available->pdata[0]);
  json_builder_set_member_name (b, "horizon");
  json_builder_add_int_value (b, horizon);
  json_builder_end_object (b);
  if (!(o = call (r, "forecast_prices", b, &keep)))
    return;
  /* Translators: a symbol, a horizon in days, prices, the days held out, how the method did */
  g_string_append_printf (r->out, _("### %s in %u trading days\n\nDamped-trend forecast **%.2f** (last close %.2f); "
                                    "80%% interval %.2f – %.2f, 95%% interval %.2f – %.2f.\n\nChecked on the last %u days "
                                    "held out, the method %s (RMSE ratio to naive %.3f).\n"), (const char *) r->available->pdata[0], horizon, num (o, "forecast"),
                          num (o, "last_close"), num (o, "lower80"), num (o, "upper80"), num (o, "lower95"),
                          num (o, "upper95"), horizon, json_object_get_string_member (o, "skill"), num (o, "skill_ratio"));
  data_note (r, o);
}

static void
render_backtest (Render *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o;

  json_builder_begin_object (b);
  add_symbols (b, r->available, 50);
  json_builder_end_object (b);
  if (!(o = call (r, "evaluate_strategy_performance", b, &keep)))
    return;
  g_string_append_printf (r->out, _("### Equal weights, rebalanced monthly\n\n| Measure | Value |\n|---|---:|\n"));
  pct_row (r->out, _("CAGR"), num (o, "cagr"));
  pct_row (r->out, _("Volatility"), num (o, "volatility_annualised"));
  g_string_append_printf (r->out, "| %s | %.2f |\n", _("Sharpe (rf 0)"), num (o, "sharpe_annualised_rf0"));
  pct_row (r->out, _("Max drawdown"), num (o, "max_drawdown"));
  g_string_append_printf (r->out, "| %s | %lld |\n", _("Rebalances"), (long long) json_object_get_int_member (o, "n_rebalances"));
  data_note (r, o);
}

static void
render_scenarios (Render *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) keep = NULL;
  guint horizon = r->request->horizon > 0 ? MIN (r->request->horizon, 252) : 20;
  JsonObject *o;
  g_autofree char *expected = NULL, *loss = NULL, *var = NULL, *p05 = NULL, *p95 = NULL;

  json_builder_begin_object (b);
  add_symbols (b, r->available, 20);
  json_builder_set_member_name (b, "horizon_days");
  json_builder_add_int_value (b, horizon);
  json_builder_end_object (b);
  if (!(o = call (r, "generate_risk_scenarios", b, &keep)))
    return;
  expected = pct_text (num (o, "expected_return"));
  loss = pct_text (num (o, "probability_of_loss"));
  var = pct_text (num (o, "var"));
  p05 = pct_text (num (o, "return_p05"));
  p95 = pct_text (num (o, "return_p95"));
  /* Translators: a number of paths, of days, then five figures in percent */
  g_string_append_printf (r->out, _("### %lld Monte Carlo paths over %u trading days (equal weights)\n\n"
                                    "Expected return %s, probability of a loss %s, 95%% VaR %s, 5th–95th percentile "
                                    "return %s to %s.\n"),
                          (long long) json_object_get_int_member (o, "n_paths"), horizon, expected, loss, var, p05, p95);
  data_note (r, o);
}

/* knowledge --------------------------------------------------------------------------------- */

/* The passages as quotes, each with the citation a committee can check: document, page. */
static void
render_knowledge (Render *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o;
  JsonArray *passages;
  guint n;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "query");
  json_builder_add_string_value (b, r->request->query);
  json_builder_set_member_name (b, "top_k");
  json_builder_add_int_value (b, 3);
  json_builder_end_object (b);
  if (!(o = call (r, "search_knowledge_base", b, &keep)))
    return;
  passages = json_object_get_array_member (o, "passages");
  n = json_array_get_length (passages);
  if (n == 0)
    {
      g_string_append (r->out, "No passage of your documents matches that question.\n\n");
      g_string_append (r->out, _sextant_offline_help ());
      return;
    }
  g_string_append (r->out, "From your documents (keyword search, best matches first):\n\n");
  for (guint i = 0; i < n; i++)
    {
      JsonObject *p = json_array_get_object_element (passages, i);
      JsonNode *page = json_object_get_member (p, "page");
      const char *uri = json_object_get_string_member_with_default (p, "uri", NULL);
      g_autofree char *quoted = g_strdup (json_object_get_string_member (p, "text"));
      g_auto(GStrv) lines = NULL;

      g_strstrip (quoted);
      lines = g_strsplit (quoted, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        g_string_append_printf (r->out, "> %s\n", lines[l]);
      /* The citation links to the document at its page, so a click opens the passage's source. */
      g_string_append_printf (r->out, "\n[%" G_GINT64_FORMAT "] *%s* (%s%s", json_object_get_int_member (p, "id"),
                              json_object_get_string_member (p, "title"), uri != NULL ? "[" : "",
                              json_object_get_string_member (p, "document"));
      if (page != NULL && !json_node_is_null (page))
        g_string_append_printf (r->out, ", page %" G_GINT64_FORMAT, json_node_get_int (page));
      if (uri != NULL)
        g_string_append_printf (r->out, "](<%s>)", uri);
      g_string_append (r->out, ")\n\n");
    }
}

/* availability ------------------------------------------------------------------------------ */

static void
explain_missing (Render    *r,
                 GPtrArray *missing)
{
  g_autofree char *available = sextant_tool_data_describe_symbols (sextant_tool_registry_get_data (r->registry));

  for (guint i = 0; i < missing->len; i++)
    /* Translators: the separators of a list, “A, B and C” */
    g_string_append_printf (r->out, "%s**%s**", i == 0 ? "" : i + 1 == missing->len ? _(" and ") : _(", "),
                            (const char *) missing->pdata[i]);
  /* Translators: after the symbols missing, the symbols there are */
  g_string_append_printf (r->out, ngettext (" is not in the local data. Available symbols: %s. The bundled demo "
                                            "holds the 30 Dow Jones stocks (1990-12-31 … 2001-01-02) and the S&P 500 as ^GSPC "
                                            "(2000–2020). To analyse other symbols, import a CSV of their prices or add a "
                                            "market data provider key and fetch them.\n\n",
                                            " are not in the local data. Available symbols: %s. The bundled demo "
                                            "holds the 30 Dow Jones stocks (1990-12-31 … 2001-01-02) and the S&P 500 as ^GSPC "
                                            "(2000–2020). To analyse other symbols, import a CSV of their prices or add a "
                                            "market data provider key and fetch them.\n\n", missing->len),
                          available);
}

static gboolean
needs_symbols (const SextantOfflineRequest *request)
{
  return request->intent != SEXTANT_OFFLINE_INTENT_RISK && request->intent != SEXTANT_OFFLINE_INTENT_DRAWDOWN;
}

/* desks (issue 17) ------------------------------------------------------------------------ */

static void
render_fx_rates (Render *r)
{
  const SextantOfflineRequest *q = r->request;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) keep = NULL;
  const char *base = q->base != NULL ? q->base : "EUR";
  JsonObject *o;
  JsonArray *rates;

  if (q->currencies == NULL || q->currencies[0] == NULL)
    {
      g_string_append (r->out, _("Which currencies? Name them as ISO codes, for example “exchange rate of USD and "
                                 "GBP in EUR”.\n"));
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "base");
  json_builder_add_string_value (b, base);
  json_builder_set_member_name (b, "currencies");
  json_builder_begin_array (b);
  for (guint i = 0; q->currencies[i] != NULL && i < 40; i++)
    json_builder_add_string_value (b, q->currencies[i]);
  json_builder_end_array (b);
  if (q->day > 0)
    {
      g_autofree char *date = sextant_day_format_iso (q->day);

      json_builder_set_member_name (b, "date");
      json_builder_add_string_value (b, date);
    }
  json_builder_end_object (b);
  if (!(o = call (r, "get_fx_rates", b, &keep)))
    return;
  rates = json_object_get_array_member (o, "rates");
  /* Translators: a table heading; %s is the base currency */
  g_string_append_printf (r->out, _("| Currency | %s per unit | Date |\n|---|--:|---|\n"), base);
  for (guint i = 0; i < json_array_get_length (rates); i++)
    {
      JsonObject *rate = json_array_get_object_element (rates, i);
      const char *date = json_object_get_null_member (rate, "date") ? "—" : json_object_get_string_member (rate, "date");

      g_string_append_printf (r->out, "| %s | %.6g | %s |\n", json_object_get_string_member (rate, "currency"),
                              num (rate, "rate"), date);
    }
  g_string_append_printf (r->out, "\n%s\n", json_object_get_string_member (o, "source"));
}

static void
render_yield_curve (Render *r)
{
  const SextantOfflineRequest *q = r->request;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o;
  JsonArray *tenors, *par, *zero, *forward;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, q->curve_source);
  if (q->day > 0)
    {
      g_autofree char *date = sextant_day_format_iso (q->day);

      json_builder_set_member_name (b, "date");
      json_builder_add_string_value (b, date);
    }
  if (q->fit != NULL)
    {
      json_builder_set_member_name (b, "fit");
      json_builder_add_string_value (b, q->fit);
    }
  json_builder_end_object (b);
  if (!(o = call (r, "get_yield_curve", b, &keep)))
    return;
  tenors = json_object_get_array_member (o, "tenors");
  par = json_object_get_array_member (o, "par");
  zero = json_object_get_array_member (o, "zero");
  forward = json_object_get_array_member (o, "forward");
  /* Translators: %s are the curve's source (treasury, ecb) and its date */
  g_string_append_printf (r->out, _("**%s curve of %s** (percent)\n\n| Years | Par | Zero | Forward |\n|--:|--:|--:|--:|\n"),
                          g_str_equal (q->curve_source, "ecb") ? "ECB AAA" : "US Treasury",
                          json_object_get_string_member (o, "date"));
  for (guint i = 0; i < json_array_get_length (tenors); i++)
    {
      JsonNode *p = json_array_get_element (par, i);
      g_autofree char *par_text = json_node_is_null (p) ? g_strdup ("—") : g_strdup_printf ("%.3f", json_node_get_double (p));

      g_string_append_printf (r->out, "| %.4g | %s | %.4f | %.4f |\n", json_array_get_double_element (tenors, i), par_text,
                              json_array_get_double_element (zero, i), json_array_get_double_element (forward, i));
    }
  if (json_object_has_member (o, "fit"))
    {
      JsonObject *fit = json_object_get_object_member (o, "fit");
      JsonObject *params = json_object_get_object_member (fit, "params");
      g_autoptr(GList) names = json_object_get_members (params);

      /* Translators: %s is the model (svensson, nelson-siegel) */
      g_string_append_printf (r->out, _("\n**%s fit**: "), json_object_get_string_member (fit, "model"));
      for (GList *l = names; l != NULL; l = l->next)
        g_string_append_printf (r->out, "%s %.6g%s", (const char *) l->data, num (params, l->data), l->next ? ", " : "");
      /* Translators: the fit's root mean square error, in percentage points */
      g_string_append_printf (r->out, _("; RMSE %.4f pp\n"), num (fit, "rmse"));
    }
}

static void
render_bond (Render *r)
{
  const SextantOfflineRequest *q = r->request;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *o, *input;
  const struct { const char *key, *label; int digits; } rows[] = {
    /* xgettext:no-c-format */
    { "clean_price", N_("Clean price (% of face)"), 6 },
    /* xgettext:no-c-format */
    { "dirty_price", N_("Dirty price (% of face)"), 6 },
    { "accrued", N_("Accrued"), 6 },
    { "yield", N_("Yield (%)"), 6 },
    { "macaulay_duration", N_("Macaulay duration (years)"), 4 },
    { "modified_duration", N_("Modified duration"), 4 },
    { "convexity", N_("Convexity"), 4 },
    { "dv01", N_("DV01 (per 100 face)"), 6 },
  };

  if (q->bond == NULL)
    {
      /* Translators: %s is what is missing: coupon, maturity, or yield or price */
      g_string_append_printf (r->out, _("The bond's %s is missing. Write it as “price the 4.25%% bond of 2034-11-15 at "
                                        "4.1%%, settling 2026-12-07” (or “priced 101.5” for its yield).\n"),
                              q->bond_missing != NULL ? q->bond_missing : "?");
      return;
    }
  input = json_node_get_object (q->bond);
  members = json_object_get_members (input);
  json_builder_begin_object (b);
  for (GList *l = members; l != NULL; l = l->next)
    {
      json_builder_set_member_name (b, l->data);
      json_builder_add_value (b, json_node_copy (json_object_get_member (input, l->data)));
    }
  json_builder_end_object (b);
  if (!(o = call (r, "price_bond", b, &keep)))
    return;
  /* Translators: the bond's coupon, maturity and settlement */
  g_string_append_printf (r->out, _("**%.4g%% bond maturing %s**, settling %s\n\n| Figure | Value |\n|---|--:|\n"),
                          num (input, "coupon"), json_object_get_string_member (input, "maturity"),
                          json_object_get_string_member (input, "settlement"));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *value = g_strdup_printf ("%.*f", rows[i].digits, num (o, rows[i].key));

      g_string_append_printf (r->out, "| %s | %s |\n", _(rows[i].label), value);
    }
  g_string_append_printf (r->out, "\n%s.\n", json_object_get_string_member (o, "conventions"));
}

/* Whether rates or currency moves touch @portfolio at all: bonds, or holdings in another currency. */
static gboolean
has_rates_or_fx (SextantPortfolio *portfolio)
{
  const char *base = sextant_portfolio_get_base_currency (portfolio);

  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      if (h->kind != SEXTANT_HOLDING_EQUITY ||
          (h->currency != NULL && h->currency[0] != '\0' && g_ascii_strcasecmp (h->currency, base) != 0))
        return TRUE;
    }
  return FALSE;
}

/* The portfolio a shock is about: the one named, else the only one a rates or FX move touches
 * (“this book”: the bundled demo of dollar stocks is not it). */
static char *
shock_portfolio_name (Render *r)
{
  SextantToolData *data = sextant_tool_registry_get_data (r->registry);
  g_auto(GStrv) names = sextant_tool_data_list_portfolios (data);
  g_autoptr(GPtrArray) touched = g_ptr_array_new ();
  g_autofree char *list = NULL;

  if (r->request->portfolio != NULL)
    return g_strdup (r->request->portfolio);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(SextantPortfolio) portfolio = sextant_tool_data_find_portfolio (data, names[i], NULL);

      if (portfolio != NULL && has_rates_or_fx (portfolio))
        g_ptr_array_add (touched, names[i]);
    }
  if (touched->len == 1)
    return g_strdup (touched->pdata[0]);
  list = names[0] != NULL ? g_strjoinv (", ", names) : g_strdup ("—");
  /* Translators: %s lists the stored portfolios */
  g_string_append_printf (r->out, _("Which portfolio? Name it, for example “… do to portfolio NAME?”. "
                                    "Portfolios: %s.\n"), list);
  return NULL;
}

/* An amount to the cent, without the “-0.00” of a spread duration times no move. */
static double
money (JsonObject *o,
       const char *name)
{
  return num (o, name) + 0.0;
}

static void
render_shock (Render *r)
{
  const SextantOfflineRequest *q = r->request;
  g_autofree char *name = shock_portfolio_name (r);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *o, *moves = json_node_get_object (q->shock), *total;
  JsonArray *holdings, *fx;
  JsonNode *curve;
  JsonArray *curves;

  if (name == NULL)
    return;
  members = json_object_get_members (moves);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "portfolio");
  json_builder_add_string_value (b, name);
  for (GList *l = members; l != NULL; l = l->next)
    {
      json_builder_set_member_name (b, l->data);
      json_builder_add_value (b, json_node_copy (json_object_get_member (moves, l->data)));
    }
  if (q->day > 0)
    {
      g_autofree char *date = sextant_day_format_iso (q->day);

      json_builder_set_member_name (b, "date");
      json_builder_add_string_value (b, date);
    }
  json_builder_end_object (b);
  if (!(o = call (r, "shock_portfolio", b, &keep)))
    return;

  /* Translators: a shock's heading: the portfolio, the valuation day and the base currency */
  g_string_append_printf (r->out, _("**Shock of %s on %s**, in %s: "), json_object_get_string_member (o, "portfolio"),
                          json_object_get_string_member (o, "date"), json_object_get_string_member (o, "base_currency"));
  /* Translators: the moves of a shock, in basis points */
  g_string_append_printf (r->out, _("rates %+g bp, spreads %+g bp"), num (moves, "rates_bp"), num (moves, "spreads_bp"));
  fx = json_object_get_array_member (moves, "fx");
  for (guint i = 0; i < json_array_get_length (fx); i++)
    {
      JsonObject *one = json_array_get_object_element (fx, i);

      g_string_append_printf (r->out, ", %s %+g %%", json_object_get_string_member (one, "currency"),
                              num (one, "shock_percent"));
    }
  /* Translators: the table of a shock's P&L; keep the columns */
  g_string_append (r->out, _("\n\n| Holding | Kind | Currency | Value | Rates P&L | Spreads P&L | FX P&L | P&L |\n"
                             "|---|---|---|--:|--:|--:|--:|--:|\n"));
  holdings = json_object_get_array_member (o, "holdings");
  for (guint i = 0; i < json_array_get_length (holdings); i++)
    {
      JsonObject *h = json_array_get_object_element (holdings, i);

      g_string_append_printf (r->out, "| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n",
                              json_object_get_string_member (h, "symbol"), json_object_get_string_member (h, "kind"),
                              json_object_get_string_member (h, "currency"), money (h, "value"), money (h, "rates_pnl"),
                              money (h, "spreads_pnl"), money (h, "fx_pnl"), money (h, "pnl"));
    }
  total = json_object_get_object_member (o, "total");
  /* Translators: the last row of a shock's table */
  g_string_append_printf (r->out, _("| **Total** | | | %.2f | %.2f | %.2f | %.2f | **%.2f** |\n\n"), money (total, "value"),
                          money (total, "rates_pnl"), money (total, "spreads_pnl"), money (total, "fx_pnl"),
                          money (total, "pnl"));
  curves = json_object_has_member (o, "curves") ? json_object_get_array_member (o, "curves") : NULL;
  curve = json_object_get_member (o, "curve");
  if (curves != NULL && json_array_get_length (curves) > 0)
    {
      g_string_append (r->out, _("Bonds on their own currency's curve:"));
      for (guint i = 0; i < json_array_get_length (curves); i++)
        {
          JsonObject *c = json_array_get_object_element (curves, i);

          /* Translators: a currency, a curve's source (treasury, ecb-aaa-spot) and its date */
          g_string_append_printf (r->out, _(" %s on %s of %s%s"), json_object_get_string_member (c, "currency"),
                                  json_object_get_string_member (c, "source"),
                                  json_object_get_string_member (c, "date"),
                                  i + 1 < json_array_get_length (curves) ? ";" : "");
        }
      g_string_append (r->out, _(", every rate moved. "));
    }
  else if (curve != NULL && JSON_NODE_HOLDS_OBJECT (curve))
    /* Translators: the par curve's source and date */
    g_string_append_printf (r->out, _("Bonds on the %s par curve of %s, every par yield moved. "),
                            json_object_get_string_member (json_node_get_object (curve), "source"),
                            json_object_get_string_member (json_node_get_object (curve), "date"));
  /* Translators: %s is the exchange rates' citation, “Source: ECB statistics” */
  g_string_append_printf (r->out, _("%s. The same figures as “sextant-cli shock”.\n"),
                          json_object_get_string_member (o, "source"));
}

char *
_sextant_offline_render (SextantToolRegistry         *registry,
                         const SextantOfflineRequest *request,
                         GCancellable                *cancellable,
                         GPtrArray                   *calls)
{
  g_autoptr(GPtrArray) available = g_ptr_array_new ();
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  Render r = { registry, request, cancellable, g_string_new (NULL), available, calls };
  SextantToolData *data = sextant_tool_registry_get_data (registry);

  /* A question to the documents names no symbol it needs, nor does a desk's. */
  if (request->intent == SEXTANT_OFFLINE_INTENT_KNOWLEDGE)
    {
      render_knowledge (&r);
      return g_string_free (r.out, FALSE);
    }
  if (request->intent == SEXTANT_OFFLINE_INTENT_FX_RATES || request->intent == SEXTANT_OFFLINE_INTENT_YIELD_CURVE ||
      request->intent == SEXTANT_OFFLINE_INTENT_BOND || request->intent == SEXTANT_OFFLINE_INTENT_SHOCK)
    {
      if (request->intent == SEXTANT_OFFLINE_INTENT_SHOCK)
        render_shock (&r);
      else if (request->intent == SEXTANT_OFFLINE_INTENT_FX_RATES)
        render_fx_rates (&r);
      else if (request->intent == SEXTANT_OFFLINE_INTENT_YIELD_CURVE)
        render_yield_curve (&r);
      else
        render_bond (&r);
      return g_string_free (r.out, FALSE);
    }
  for (guint i = 0; request->symbols[i] != NULL; i++)
    g_ptr_array_add (sextant_tool_data_has_symbol (data, request->symbols[i]) ? available : missing,
                     request->symbols[i]);
  if (missing->len > 0)
    explain_missing (&r, missing);
  if (available->len == 0 && (missing->len > 0 || needs_symbols (request)))
    {
      if (missing->len == 0)
        g_string_append (r.out, _("Which symbols? Name them as tickers, for example “RSI of MSFT”.\n"));
      return g_string_free (r.out, FALSE);
    }
  if (missing->len > 0)
    g_string_append (r.out, _("With the symbols that are available:\n\n"));

  switch (request->intent)
    {
    case SEXTANT_OFFLINE_INTENT_QUOTE: render_quote (&r); break;
    case SEXTANT_OFFLINE_INTENT_INDICATORS: render_indicators (&r); break;
    case SEXTANT_OFFLINE_INTENT_OPTIMIZE: render_optimize (&r); break;
    case SEXTANT_OFFLINE_INTENT_RISK: render_risk (&r); break;
    case SEXTANT_OFFLINE_INTENT_DRAWDOWN: render_drawdown (&r); break;
    case SEXTANT_OFFLINE_INTENT_FORECAST: render_forecast (&r); break;
    case SEXTANT_OFFLINE_INTENT_BACKTEST: render_backtest (&r); break;
    case SEXTANT_OFFLINE_INTENT_SCENARIOS: render_scenarios (&r); break;
    case SEXTANT_OFFLINE_INTENT_KNOWLEDGE:
    case SEXTANT_OFFLINE_INTENT_FX_RATES:
    case SEXTANT_OFFLINE_INTENT_YIELD_CURVE:
    case SEXTANT_OFFLINE_INTENT_BOND:
    case SEXTANT_OFFLINE_INTENT_SHOCK:
    case SEXTANT_OFFLINE_INTENT_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  return g_string_free (r.out, FALSE);
}

char *
_sextant_offline_help (void)
{
  return g_strdup (_("I could not understand that request. Offline, I can answer:\n\n"
                   "- **Quote** — “quote of MSFT”\n"
                   "- **Indicators** — “RSI of MSFT”, “MACD of IBM”, “Bollinger bands of KO”\n"
                   "- **Optimisation** — “optimise MSFT IBM INTC for minimum variance” (or maximum Sharpe, risk parity)\n"
                   "- **Risk** — “VaR of portfolio Dow Blue Chips”, “99% VaR of MSFT KO”\n"
                   "- **Forecast** — “forecast KO 10 days”\n"
                   "- **Drawdown** — “drawdown of IBM”\n"
                   "- **Backtest** — “backtest XOM GE rebalanced monthly”\n"
                   "- **Scenarios** — “Monte Carlo scenarios for MSFT KO over 20 days”\n"
                   "- **FX rates** — “exchange rate of USD and GBP in EUR”\n"
                   "- **Yield curve** — “Treasury yield curve with a Svensson fit”\n"
                   "- **Bond** — “price the 4.25% bond of 2034-11-15 at 4.1%, settling 2026-12-07”\n"
                   "- **Shock** — “what does a 100 bp rise in rates and a 10% dollar fall do to portfolio Desk book?”\n\n"
                   "Connect Sextant to Amazon Bedrock for free-form questions.\n"));
}
