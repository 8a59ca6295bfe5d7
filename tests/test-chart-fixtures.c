#define G_LOG_DOMAIN "test-chart-fixtures"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "sextant-test-util.h"
#include "test-chart-fixtures.h"

/* Reads TA-Lib's values for the S&P 500 file (tests/data/ta/sp500_talib.csv); its rows are
 * the demo file's dates, which is checked. */
static void
load_talib (ChartFixtures *self)
{
  g_autofree char *path = sextant_test_reference_path ("ta/sp500_talib.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  const gint32 *days = sextant_price_series_get_days (self->sp500);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint k = 0; k < 9; k++)
    self->ta[k] = g_new (double, self->sp500_n);
  for (gsize row = 0; row < self->sp500_n; row++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[row + 1], ",", -1);
      gint32 day;

      g_assert_cmpuint (g_strv_length (fields), >=, 10);
      g_assert_true (sextant_day_parse_iso (fields[0], &day));
      g_assert_cmpint (day, ==, days[row]);
      for (guint k = 0; k < 9; k++)
        self->ta[k][row] = *fields[k + 1] ? g_ascii_strtod (fields[k + 1], NULL) : NAN;
    }
}

static void
build_price (ChartFixtures *self)
{
  g_autofree char *path = sextant_data_dirs_dup_bundled_file ("demo/sp500_2000-2020_ohlcv.csv");
  g_autoptr(GError) error = NULL;

  self->sp500 = sextant_csv_read_price_series (path, "^GSPC", &error);
  g_assert_no_error (error);
  self->sp500_n = sextant_price_series_get_length (self->sp500);
  load_talib (self);

  self->price_line = (SextantPriceChart) {
    .symbol = "^GSPC", .style = SEXTANT_PRICE_CHART_LINE, .n = self->sp500_n,
    .days = sextant_price_series_get_days (self->sp500),
    .close = sextant_price_series_get_close (self->sp500),
  };

  /* Log scale over 2007-2020, where the index ranges from 676 to 3386: under one decade, so the
   * axis gets linear 1-2-5 ticks placed logarithmically. */
  self->price_log = self->price_line;
  self->price_log.log_scale = TRUE;
  self->price_log.overlays = &self->overlays[0];
  self->price_log.n_overlays = 1;
  self->price_log.first_visible = 1760;

  self->overlays[0] = (SextantChartSeries) { "SMA(20)", self->ta[0], self->sp500_n };
  self->overlays[1] = (SextantChartSeries) { "EMA(20)", self->ta[1], self->sp500_n };
  self->band = (SextantChartBand) { "Bollinger(20, 2)", self->ta[8], self->ta[6], self->sp500_n };
  self->rsi_line = (SextantChartSeries) { "RSI(14)", self->ta[2], self->sp500_n };
  self->macd_lines[0] = (SextantChartSeries) { "MACD", self->ta[3], self->sp500_n };
  self->macd_lines[1] = (SextantChartSeries) { "Signal", self->ta[4], self->sp500_n };
  self->rsi_guides[0] = 30, self->rsi_guides[1] = 70;
  self->panes[0] = (SextantChartPane) { .title = "Volume",
                                        .bars = sextant_price_series_get_volume (self->sp500) };
  self->panes[1] = (SextantChartPane) { .title = "RSI(14)", .lines = &self->rsi_line, .n_lines = 1,
                                        .guides = self->rsi_guides, .n_guides = 2,
                                        .min = 0, .max = 100 };
  self->panes[2] = (SextantChartPane) { .title = "MACD(12, 26, 9)", .bars = self->ta[5],
                                        .bars_name = "MACD histogram",
                                        .lines = self->macd_lines, .n_lines = 2 };
  self->price_candles = self->price_line;
  self->price_candles.style = SEXTANT_PRICE_CHART_CANDLES;
  self->price_candles.open = sextant_price_series_get_open (self->sp500);
  self->price_candles.high = sextant_price_series_get_high (self->sp500);
  self->price_candles.low = sextant_price_series_get_low (self->sp500);
  self->price_candles.overlays = self->overlays;
  self->price_candles.n_overlays = 2;
  self->price_candles.bands = &self->band;
  self->price_candles.n_bands = 1;
  self->price_candles.panes = self->panes;
  self->price_candles.n_panes = 3;
  /* The last 120 sessions: late October 2019 to the March 2020 crash and rebound. */
  self->price_candles.first_visible = self->sp500_n - 120;
  self->price_candles.last_visible = self->sp500_n - 1;
}

static double *
json_weights (JsonObject         *root,
              const char         *member,
              char * const       *assets,
              gsize               n)
{
  JsonObject *weights = json_object_get_object_member (root, member);
  double *w = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    w[i] = json_object_get_double_member (weights, assets[i]);

  return w;
}

/* The SPISECTOR frontier and portfolios from tests/data/portfolio/spisector_reference.json
 * (R + quadprog), annualised for display: return × 252, volatility × √252. */
static void
build_portfolio (ChartFixtures *self)
{
  g_autofree char *path = sextant_test_reference_path ("portfolio/spisector_reference.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *mean;
  JsonArray *assets, *frontier, *cov;
  double *sharpe, var = 0, ret = 0;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  assets = json_object_get_array_member (root, "assets");
  self->n_assets = json_array_get_length (assets);
  self->assets = g_new0 (char *, self->n_assets + 1);
  for (gsize i = 0; i < self->n_assets; i++)
    self->assets[i] = g_strdup (json_array_get_string_element (assets, i));

  frontier = json_object_get_array_member (root, "frontier_20");
  self->n_frontier = json_array_get_length (frontier);
  self->frontier_risk = g_new (double, self->n_frontier);
  self->frontier_ret = g_new (double, self->n_frontier);
  for (gsize i = 0; i < self->n_frontier; i++)
    {
      JsonArray *row = json_array_get_array_element (frontier, i);

      self->frontier_ret[i] = json_array_get_double_element (row, 0) * 252;
      self->frontier_risk[i] = json_array_get_double_element (row, 1) * sqrt (252);
    }

  mean = json_object_get_object_member (root, "mean");
  /* The sample covariance is stored flat, row-major. */
  cov = json_object_get_array_member (root, "covariance_sample");
  g_assert_cmpuint (json_array_get_length (cov), ==, self->n_assets * self->n_assets);
  self->asset_points = g_new (SextantChartPoint, self->n_assets);
  self->correlation = g_new (double, self->n_assets * self->n_assets);
  sharpe = json_weights (root, "max_sharpe_long_only_rf0", self->assets, self->n_assets);
  for (gsize i = 0; i < self->n_assets; i++)
    {
      double mu = json_object_get_double_member (mean, self->assets[i]);
      double cii = json_array_get_double_element (cov, i * self->n_assets + i);

      self->asset_points[i] = (SextantChartPoint) { self->assets[i], sqrt (cii * 252), mu * 252 };
      ret += sharpe[i] * mu;
      for (gsize j = 0; j < self->n_assets; j++)
        {
          double cij = json_array_get_double_element (cov, i * self->n_assets + j);
          double cjj = json_array_get_double_element (cov, j * self->n_assets + j);

          var += sharpe[i] * sharpe[j] * cij;
          self->correlation[i * self->n_assets + j] = cij / sqrt (cii * cjj);
        }
    }
  /* The max-Sharpe portfolio's risk and return from its weights: w'μ and √(w'Σw). */
  self->chosen = (SextantChartPoint) { "Max Sharpe", sqrt (var * 252), ret * 252 };
  g_free (sharpe);

  self->frontier = (SextantFrontierChart) {
    "Efficient frontier (SPI sectors)", self->frontier_risk, self->frontier_ret, self->n_frontier,
    self->asset_points, self->n_assets, &self->chosen, NULL,
  };

  /* Proposed: the 11th frontier point's weights (columns 2..); current: equal weights. */
  self->proposed_weights = g_new (double, self->n_assets);
  self->equal_weights = g_new (double, self->n_assets);
  for (gsize i = 0; i < self->n_assets; i++)
    {
      self->proposed_weights[i] =
        json_array_get_double_element (json_array_get_array_element (frontier, 10), i + 2);
      self->equal_weights[i] = 1.0 / self->n_assets;
    }
  self->min_variance_weights = json_weights (root, "min_variance_long_only", self->assets,
                                             self->n_assets);
  self->allocation_bars = (SextantAllocationChart) {
    "Proposed vs current weights", SEXTANT_ALLOCATION_CHART_BARS,
    (const char * const *) self->assets, self->proposed_weights, self->equal_weights,
    self->n_assets,
  };
  self->allocation_donut = (SextantAllocationChart) {
    "Minimum variance, long only", SEXTANT_ALLOCATION_CHART_DONUT,
    (const char * const *) self->assets, self->min_variance_weights, NULL, self->n_assets,
  };

  self->heatmap = (SextantHeatmapChart) {
    "Correlation of daily returns", (const char * const *) self->assets, self->correlation,
    self->n_assets, -1, 1, TRUE,
  };

  {
    JsonObject *ew = json_object_get_object_member (root, "equal_weight_portfolio");

    self->histogram.var = json_object_get_double_member (ew, "var_hist_95");
    self->histogram.es = json_object_get_double_member (ew, "es_hist_95");
  }
}

/* The equal-weight portfolio's simple daily returns over the nine sectors, rows with a gap
 * dropped: the same convention as the reference VaR and ES it is drawn with. */
static void
build_histogram (ChartFixtures *self)
{
  g_autofree char *path = sextant_data_dirs_dup_bundled_file ("demo/spisector_prices.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPriceTable) table = sextant_csv_read_price_table (path, &error);
  g_autoptr(SextantPriceTable) selected = NULL;
  g_autoptr(SextantPriceTable) complete = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gsize n;

  g_assert_no_error (error);
  /* The reference drops rows with a gap in any column it uses, the benchmark SPI included. */
  for (gsize j = 0; j < self->n_assets; j++)
    g_ptr_array_add (names, self->assets[j]);
  g_ptr_array_add (names, (gpointer) "SPI");
  g_ptr_array_add (names, NULL);
  selected = sextant_price_table_select (table, (const char * const *) names->pdata, &error);
  g_assert_no_error (error);
  complete = sextant_price_table_drop_incomplete (selected, NULL);
  n = sextant_price_table_get_n_rows (complete);
  self->n_returns = n - 1;
  self->returns = g_new0 (double, n - 1);
  for (gsize j = 0; j < self->n_assets; j++)
    {
      const double *p = sextant_price_table_get_column (complete, j);

      for (gsize t = 1; t < n; t++)
        self->returns[t - 1] += (p[t] / p[t - 1] - 1) / self->n_assets;
    }
  /* 2198 returns, as the reference's n_obs says. */
  g_assert_cmpuint (self->n_returns, ==, 2198);
  self->histogram.title = "Equal-weight portfolio, daily returns";
  self->histogram.returns = self->returns;
  self->histogram.n = self->n_returns;
  self->histogram.confidence = 0.95;
}

static void
build_drawdown (ChartFixtures *self)
{
  const double *close = sextant_price_series_get_close (self->sp500);
  double peak = -INFINITY;

  self->drawdown = g_new (double, self->sp500_n);
  for (gsize i = 0; i < self->sp500_n; i++)
    {
      peak = MAX (peak, close[i]);
      self->drawdown[i] = close[i] / peak - 1;
    }
  self->drawdown_chart = (SextantDrawdownChart) {
    "^GSPC drawdown", sextant_price_series_get_days (self->sp500), self->drawdown, self->sp500_n,
  };
  /* Zoomed on the rows of 2008 and 2009 (indices 2010..2514 of the demo file). */
  self->drawdown_zoom = self->drawdown_chart;
  self->drawdown_zoom.title = "^GSPC drawdown, 2008–2009";
  self->drawdown_zoom.first_visible = 2010;
  self->drawdown_zoom.last_visible = 2514;
}

/* Percentiles of geometric Brownian motion in closed form, S0·exp((μ − σ²/2)t + σ√t·z_p), with
 * μ = 8 % and σ = 20 % a year over 252 trading days: deterministic, unlike a simulation. */
static void
build_fan (ChartFixtures *self)
{
  static const double z[5] = { -1.6448536269514722, -0.6744897501960817, 0,
                               0.6744897501960817, 1.6448536269514722 };
  const gsize n = 253;
  const double mu = 0.08 / 252, sigma = 0.20 / sqrt (252);

  for (guint k = 0; k < 6; k++)
    self->fan_data[k] = g_new (double, n);
  for (gsize t = 0; t < n; t++)
    {
      self->fan_data[0][t] = t;
      for (guint k = 0; k < 5; k++)
        self->fan_data[k + 1][t] = 100000 * exp ((mu - sigma * sigma / 2) * t +
                                                 sigma * sqrt (t) * z[k]);
    }
  self->fan = (SextantFanChart) {
    "Portfolio value, GBM scenarios", self->fan_data[0], n, self->fan_data[1], self->fan_data[2],
    self->fan_data[3], self->fan_data[4], self->fan_data[5], FALSE, SEXTANT_CHART_FORMAT_NUMBER,
  };
}

/* An hour of assistant traffic, one bucket a minute, from a fixed formula. */
static void
build_timeseries (ChartFixtures *self)
{
  const gsize n = 60;
  const double t0 = sextant_day_from_ymd (2026, 11, 23) * 86400.0 + 13 * 3600;

  self->times = g_new (double, n);
  self->requests = g_new (double, n);
  self->latency[0] = g_new (double, n);
  self->latency[1] = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    {
      self->times[i] = t0 + 60.0 * i;
      self->requests[i] = round (12 + 8 * sin (i / 6.0) + (i % 7 == 3 ? 9 : 0));
      self->latency[0][i] = round (850 + 120 * cos (i / 9.0));
      self->latency[1][i] = round (self->latency[0][i] * 1.9 + (i % 11 == 5 ? 900 : 0));
    }
  self->latency_lines[0] = (SextantChartSeries) { "p50", self->latency[0], n };
  self->latency_lines[1] = (SextantChartSeries) { "p95", self->latency[1], n };
  self->timeseries = (SextantTimeSeriesChart) {
    "Assistant traffic", self->times, n, self->requests, "Requests per minute",
    self->latency_lines, 2, "Latency (ms)",
  };
}

ChartFixtures *
chart_fixtures_new (void)
{
  ChartFixtures *self = g_new0 (ChartFixtures, 1);

  build_price (self);
  build_portfolio (self);
  build_histogram (self);
  build_drawdown (self);
  build_fan (self);
  build_timeseries (self);

  return self;
}

void
chart_fixtures_free (ChartFixtures *self)
{
  g_clear_pointer (&self->sp500, sextant_price_series_unref);
  for (guint k = 0; k < 9; k++)
    g_free (self->ta[k]);
  g_strfreev (self->assets);
  g_free (self->frontier_risk);
  g_free (self->frontier_ret);
  g_free (self->asset_points);
  g_free (self->proposed_weights);
  g_free (self->equal_weights);
  g_free (self->min_variance_weights);
  g_free (self->returns);
  g_free (self->drawdown);
  for (guint k = 0; k < 6; k++)
    g_free (self->fan_data[k]);
  g_free (self->correlation);
  g_free (self->times);
  g_free (self->requests);
  g_free (self->latency[0]);
  g_free (self->latency[1]);
  g_free (self);
}
