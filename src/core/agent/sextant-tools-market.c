#define G_LOG_DOMAIN "sextant-tools-market"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>

#include "agent/sextant-agent-error.h"
#include "analytics/sextant-forecast.h"
#include "analytics/sextant-indicators.h"
#include "agent/sextant-tool-registry.h"
#include "agent/sextant-tools-private.h"

/* The single-instrument tools: quote, history, indicators, forecast. Each reads one symbol's
 * bars from the data source and calls the analytics core; none computes anything itself. */

#define WINDOW_PROPERTIES \
  "\"start\":{\"type\":\"string\",\"description\":\"First day, YYYY-MM-DD (default: first available)\"}," \
  "\"end\":{\"type\":\"string\",\"description\":\"Last day, YYYY-MM-DD (default: last available)\"}"

#define SYMBOL_PROPERTY \
  "\"symbol\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":20,\"description\":\"Ticker symbol, e.g. MSFT\"}"

typedef struct
{
  SextantPriceSeries *series;
  char               *source;
} Bars;

static void
bars_clear (Bars *bars)
{
  g_clear_pointer (&bars->series, sextant_price_series_unref);
  g_clear_pointer (&bars->source, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Bars, bars_clear)

static gboolean
load_bars (SextantToolData  *data,
           JsonObject       *input,
           Bars             *bars,
           GError          **error)
{
  g_autoptr(SextantPriceSeries) all = NULL;
  ToolWindow window;

  if (!_tool_read_window (input, &window, error))
    return FALSE;
  all = sextant_tool_data_get_series (data, json_object_get_string_member (input, "symbol"),
                                      &bars->source, error);
  if (all == NULL)
    return FALSE;

  return (bars->series = _tool_slice_series (all, &window, error)) != NULL;
}

static gsize
n_rows (Bars *bars)
{
  return sextant_price_series_get_length (bars->series);
}

static void
begin_result (JsonBuilder *b,
              Bars        *bars)
{
  const gint32 *days = sextant_price_series_get_days (bars->series);

  json_builder_begin_object (b);
  sextant_json_add_string (b, "symbol", sextant_price_series_get_symbol (bars->series));
  _tool_add_data_note (b, bars->source, days[0], days[n_rows (bars) - 1]);
}

static JsonNode *
end_result (JsonBuilder *b)
{
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* get_quote ---------------------------------------------------------------------------------- */

static JsonNode *
get_quote (SextantToolData  *data,
           JsonObject       *input,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(Bars) bars = { NULL, };
  const double *close;
  gsize n;

  if (!load_bars (data, input, &bars, error))
    return NULL;
  n = n_rows (&bars);
  close = sextant_price_series_get_close (bars.series);
  begin_result (b, &bars);
  sextant_json_add_double (b, "price", close[n - 1]);
  sextant_json_add_double (b, "previous_close", close[n - 2]);
  sextant_json_add_double (b, "change", close[n - 1] - close[n - 2]);
  sextant_json_add_double (b, "change_percent", 100.0 * (close[n - 1] - close[n - 2]) / close[n - 2]);
  sextant_json_add_string (b, "kind", "end-of-day close");

  return end_result (b);
}

/* get_price_history -------------------------------------------------------------------------- */

static void
add_row (JsonBuilder        *b,
         SextantPriceSeries *s,
         gsize               r)
{
  g_autofree char *date = sextant_day_format_iso (sextant_price_series_get_days (s)[r]);
  const double values[] = { sextant_price_series_get_open (s)[r], sextant_price_series_get_high (s)[r],
                            sextant_price_series_get_low (s)[r], sextant_price_series_get_close (s)[r],
                            sextant_price_series_get_volume (s)[r] };

  json_builder_begin_array (b);
  json_builder_add_string_value (b, date);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (isfinite (values[i]))
      json_builder_add_double_value (b, values[i]);
    else
      json_builder_add_null_value (b);
  json_builder_end_array (b);
}

static JsonNode *
get_price_history (SextantToolData  *data,
                   JsonObject       *input,
                   GCancellable     *cancellable,
                   GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(Bars) bars = { NULL, };
  guint max_points = _tool_get_uint (input, "max_points", 20);
  const double *close;
  double lo = INFINITY, hi = -INFINITY;
  gsize n;

  if (!load_bars (data, input, &bars, error))
    return NULL;
  n = n_rows (&bars);
  close = sextant_price_series_get_close (bars.series);
  for (gsize i = 0; i < n; i++)
    {
      lo = MIN (lo, close[i]);
      hi = MAX (hi, close[i]);
    }
  begin_result (b, &bars);
  sextant_json_add_int (b, "n_rows", n);
  sextant_json_add_double (b, "first_close", close[0]);
  sextant_json_add_double (b, "last_close", close[n - 1]);
  sextant_json_add_double (b, "min_close", lo);
  sextant_json_add_double (b, "max_close", hi);
  sextant_json_add_double (b, "total_return", close[n - 1] / close[0] - 1);
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint i = 0; i < 6; i++)
    json_builder_add_string_value (b, (const char *[]) { "date", "open", "high", "low", "close", "volume" }[i]);
  json_builder_end_array (b);
  /* The most recent rows only: a tool result goes into the model's context. */
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (gsize r = n > max_points ? n - max_points : 0; r < n; r++)
    add_row (b, bars.series, r);
  json_builder_end_array (b);

  return end_result (b);
}

/* compute_indicators ------------------------------------------------------------------------- */

/* The last value of an indicator and its date; the lookback leaves NaN at the start only. */
static void
add_last (JsonBuilder        *b,
          const char         *name,
          const double       *values,
          SextantPriceSeries *s)
{
  gsize n = sextant_price_series_get_length (s);

  sextant_json_add_double (b, name, values[n - 1]);
}

/* Each indicator writes its parameters and latest values into the open object. */
typedef gboolean (*IndicatorFunc) (JsonBuilder *b, SextantPriceSeries *s, guint period, GError **error);

static gboolean
indicator_simple (JsonBuilder                                                  *b,
                  SextantPriceSeries                                           *s,
                  guint                                                         period,
                  gboolean (*compute) (const double *, gsize, guint, double *, GError **),
                  GError                                                      **error)
{
  gsize n = sextant_price_series_get_length (s);
  g_autofree double *out = g_new (double, n);

  sextant_json_add_int (b, "period", period);
  if (!compute (sextant_price_series_get_close (s), n, period, out, error))
    return FALSE;
  add_last (b, "value", out, s);

  return TRUE;
}

static gboolean
indicator_sma (JsonBuilder *b, SextantPriceSeries *s, guint period, GError **error)
{
  return indicator_simple (b, s, period ? period : 20, sextant_sma_compute, error);
}

static gboolean
indicator_ema (JsonBuilder *b, SextantPriceSeries *s, guint period, GError **error)
{
  return indicator_simple (b, s, period ? period : 20, sextant_ema_compute, error);
}

static gboolean
indicator_rsi (JsonBuilder *b, SextantPriceSeries *s, guint period, GError **error)
{
  gsize n = sextant_price_series_get_length (s);
  g_autofree double *out = g_new (double, n);
  guint p = period ? period : 14;

  sextant_json_add_int (b, "period", p);
  if (!sextant_rsi_compute (sextant_price_series_get_close (s), n, p, out, error))
    return FALSE;
  add_last (b, "value", out, s);
  sextant_json_add_string (b, "reading", out[n - 1] >= 70 ? "overbought (≥ 70)" :
                                         out[n - 1] <= 30 ? "oversold (≤ 30)" : "neutral (30–70)");

  return TRUE;
}

static gboolean
indicator_macd (JsonBuilder *b, SextantPriceSeries *s, guint period, GError **error)
{
  gsize n = sextant_price_series_get_length (s);
  g_autofree double *line = g_new (double, n), *signal = g_new (double, n), *hist = g_new (double, n);

  sextant_json_add_string (b, "periods", "12,26,9");
  if (!sextant_macd_compute (sextant_price_series_get_close (s), n, 12, 26, 9, line, signal, hist, error))
    return FALSE;
  add_last (b, "macd", line, s);
  add_last (b, "signal", signal, s);
  add_last (b, "histogram", hist, s);

  return TRUE;
}

static gboolean
indicator_bbands (JsonBuilder *b, SextantPriceSeries *s, guint period, GError **error)
{
  gsize n = sextant_price_series_get_length (s);
  g_autofree double *upper = g_new (double, n), *middle = g_new (double, n), *lower = g_new (double, n);
  guint p = period ? period : 20;

  sextant_json_add_int (b, "period", p);
  sextant_json_add_double (b, "k", 2.0);
  if (!sextant_bbands_compute (sextant_price_series_get_close (s), n, p, 2.0, upper, middle, lower, error))
    return FALSE;
  add_last (b, "upper", upper, s);
  add_last (b, "middle", middle, s);
  add_last (b, "lower", lower, s);

  return TRUE;
}

static gboolean
indicator_atr (JsonBuilder *b, SextantPriceSeries *s, guint period, GError **error)
{
  gsize n = sextant_price_series_get_length (s);
  const double *high = sextant_price_series_get_high (s), *low = sextant_price_series_get_low (s);
  g_autofree double *out = g_new (double, n);
  guint p = period ? period : 14;

  sextant_json_add_int (b, "period", p);
  for (gsize i = 0; i < n; i++)
    if (!isfinite (high[i]) || !isfinite (low[i]))
      {
        g_autofree char *date = sextant_day_format_iso (sextant_price_series_get_days (s)[i]);

        g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA,
                     _("ATR needs daily highs and lows; %s has none on %s (the demo Dow prices are "
                       "closes only); choose a window with full bars or another indicator"),
                     sextant_price_series_get_symbol (s), date);
        return FALSE;
      }
  if (!sextant_atr_compute (high, low, sextant_price_series_get_close (s), n, p, out, error))
    return FALSE;
  add_last (b, "value", out, s);

  return TRUE;
}

static gboolean
indicator_volatility (JsonBuilder *b, SextantPriceSeries *s, guint period, GError **error)
{
  gsize n = sextant_price_series_get_length (s);
  g_autofree double *out = g_new (double, n);
  guint p = period ? period : 20;

  sextant_json_add_int (b, "period", p);
  if (!sextant_rolling_volatility_compute (sextant_price_series_get_close (s), n, p, TOOL_PERIODS_PER_YEAR,
                                           out, error))
    return FALSE;
  add_last (b, "annualised", out, s);

  return TRUE;
}

static gboolean
add_indicator (JsonBuilder        *b,
               const char         *name,
               guint               period,
               SextantPriceSeries *s,
               GError            **error)
{
  const struct { const char *name; IndicatorFunc func; } indicators[] = {
    { "sma", indicator_sma }, { "ema", indicator_ema }, { "rsi", indicator_rsi },
    { "macd", indicator_macd }, { "bbands", indicator_bbands }, { "atr", indicator_atr },
    { "volatility", indicator_volatility },
  };
  gboolean ok = FALSE;

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (indicators); i++)
    if (g_str_equal (indicators[i].name, name))
      ok = indicators[i].func (b, s, period, error);
  json_builder_end_object (b);
  if (!ok)
    g_prefix_error (error, "%s: ", name);

  return ok;
}

static JsonNode *
compute_indicators (SextantToolData  *data,
                    JsonObject       *input,
                    GCancellable     *cancellable,
                    GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(Bars) bars = { NULL, };
  g_auto(GStrv) names = NULL;
  guint period = _tool_get_uint (input, "period", 0);

  if (!load_bars (data, input, &bars, error))
    return NULL;
  names = json_object_has_member (input, "indicators")
          ? _tool_read_symbols (input, "indicators") : g_strsplit ("RSI,SMA,MACD", ",", -1);
  begin_result (b, &bars);
  sextant_json_add_double (b, "last_close", sextant_price_series_get_close (bars.series)[n_rows (&bars) - 1]);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = g_ascii_strdown (names[i], -1);

      if (!add_indicator (b, name, period, bars.series, error))
        return NULL;
    }

  return end_result (b);
}

/* forecast_prices ---------------------------------------------------------------------------- */

static JsonNode *
forecast_prices (SextantToolData  *data,
                 JsonObject       *input,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(Bars) bars = { NULL, };
  g_autoptr(SextantForecast) f = NULL;
  guint horizon = _tool_get_uint (input, "horizon", 20);
  const char *method = json_object_get_string_member_with_default (input, "method", "damped_trend");
  gboolean gbm = g_str_equal (method, "gbm");
  const double *close;

  if (!load_bars (data, input, &bars, error))
    return NULL;
  close = sextant_price_series_get_close (bars.series);
  f = gbm ? sextant_forecast_gbm (close, n_rows (&bars), horizon, _tool_get_uint (input, "n_paths", 2000),
                                  (guint64) _tool_get_double (input, "seed", 42), cancellable, error)
          : sextant_forecast_damped_trend (close, n_rows (&bars), horizon, error);
  if (f == NULL)
    return NULL;

  begin_result (b, &bars);
  sextant_json_add_string (b, "method", method);
  sextant_json_add_int (b, "horizon_days", horizon);
  sextant_json_add_double (b, "last_close", close[n_rows (&bars) - 1]);
  sextant_json_add_double (b, "forecast", f->point[horizon - 1]);
  sextant_json_add_double (b, "lower80", f->lower80[horizon - 1]);
  sextant_json_add_double (b, "upper80", f->upper80[horizon - 1]);
  sextant_json_add_double (b, "lower95", f->lower95[horizon - 1]);
  sextant_json_add_double (b, "upper95", f->upper95[horizon - 1]);
  sextant_json_add_double (b, "holdout_rmse", f->rmse);
  sextant_json_add_double (b, "naive_rmse", f->naive_rmse);
  sextant_json_add_double (b, "skill_ratio", f->skill_ratio);
  sextant_json_add_string (b, "skill", isfinite (f->skill_ratio) && f->skill_ratio < 1
                                       ? "beat the naive forecast"
                                       : "showed no skill over the naive forecast");

  return end_result (b);
}

/* registration ------------------------------------------------------------------------------- */

void
_sextant_tools_register_market (SextantToolRegistry *self)
{
  const struct { const char *name, *description, *schema; SextantToolHandler handler; } tools[] = {
    { "get_quote",
      "Latest end-of-day close of a symbol with the change from the previous close and the as-of date.",
      "{\"type\":\"object\",\"properties\":{" SYMBOL_PROPERTY "," WINDOW_PROPERTIES "},"
      "\"required\":[\"symbol\"],\"additionalProperties\":false}",
      get_quote },
    { "get_price_history",
      "Daily OHLCV history of a symbol: summary (first/last/min/max close, total return) and the most recent rows.",
      "{\"type\":\"object\",\"properties\":{" SYMBOL_PROPERTY "," WINDOW_PROPERTIES ","
      "\"max_points\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"description\":\"Most recent rows to return (default 20)\"}},"
      "\"required\":[\"symbol\"],\"additionalProperties\":false}",
      get_price_history },
    { "compute_indicators",
      "Technical indicators of a symbol's closes (TA-Lib conventions): latest SMA, EMA, RSI, MACD, Bollinger bands, ATR or rolling volatility.",
      "{\"type\":\"object\",\"properties\":{" SYMBOL_PROPERTY "," WINDOW_PROPERTIES ","
      "\"indicators\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":7,\"items\":{\"type\":\"string\","
      "\"enum\":[\"sma\",\"ema\",\"rsi\",\"macd\",\"bbands\",\"atr\",\"volatility\"]},\"description\":\"Default: rsi, sma, macd\"},"
      "\"period\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":1000,\"description\":\"Lookback (default: 14 for RSI/ATR, 20 otherwise)\"}},"
      "\"required\":[\"symbol\"],\"additionalProperties\":false}",
      compute_indicators },
    { "forecast_prices",
      "Price forecast of a symbol with 80% and 95% intervals and its hold-out error against a naive forecast.",
      "{\"type\":\"object\",\"properties\":{" SYMBOL_PROPERTY "," WINDOW_PROPERTIES ","
      "\"horizon\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":252,\"description\":\"Trading days ahead (default 20)\"},"
      "\"method\":{\"type\":\"string\",\"enum\":[\"damped_trend\",\"gbm\"]},"
      "\"n_paths\":{\"type\":\"integer\",\"minimum\":100,\"maximum\":100000},"
      "\"seed\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":9007199254740991}},"
      "\"required\":[\"symbol\"],\"additionalProperties\":false}",
      forecast_prices },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autoptr(SextantTool) tool = sextant_tool_new (tools[i].name, tools[i].description,
                                                      tools[i].schema, tools[i].handler);

      sextant_tool_registry_add (self, tool);
    }
}
