#define G_LOG_DOMAIN "sextant-rates-figures"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sextant-rates-figures.h"

/* Enough points for a smooth fitted line out to 30 years. */
#define FIT_POINTS 121
/* The FX changes are looked for over a year and a few days before the newest rate. */
#define FX_WINDOW_DAYS 380

static const int horizon_days[SEXTANT_RATES_N_HORIZONS] = { 1, 7, 30, 365 };

static void
rates_curve_clear (SextantRatesCurve *curve)
{
  g_clear_pointer (&curve->tenors, g_free);
  g_clear_pointer (&curve->par, g_free);
  g_clear_pointer (&curve->zero, g_free);
  g_clear_pointer (&curve->forward, g_free);
  curve->n = 0;
  curve->day = 0;
}

static void
rates_curve_alloc (SextantRatesCurve *curve,
                   gint32             day,
                   gsize              n)
{
  curve->day = day;
  curve->n = n;
  curve->tenors = g_new (double, n);
  curve->par = g_new (double, n);
  curve->zero = g_new (double, n);
  curve->forward = g_new (double, n);
}

static void
figures_free (SextantRatesFigures *self)
{
  g_free (self->base_currency);
  rates_curve_clear (&self->curve);
  rates_curve_clear (&self->compare);
  g_free (self->fit_x);
  g_free (self->fit_y);
  g_free (self->curve_note);
  for (guint i = 0; i < G_N_ELEMENTS (self->series_names); i++)
    g_free (self->series_names[i]);
  g_strfreev (self->currencies);
  g_free (self->fx_changes);
  g_free (self->fx_note);
  g_clear_pointer (&self->spreads, sextant_fred_series_free);
  g_free (self->spread_note);
  g_free (self->spread_title);
  g_free (self->spread_times);
}

SextantRatesFigures *
sextant_rates_figures_ref (SextantRatesFigures *self)
{
  return g_rc_box_acquire (self);
}

void
sextant_rates_figures_unref (SextantRatesFigures *self)
{
  g_rc_box_release_full (self, (GDestroyNotify) figures_free);
}

/* The Treasury's par yields bootstrapped as `sextant-cli curve --source treasury` does. */
static gboolean
treasury_figures (const SextantParCurve  *par,
                  SextantRatesCurve      *out,
                  GError                **error)
{
  g_autofree double *fractions = g_new (double, par->n);
  g_autoptr(SextantYieldCurve) curve = NULL;

  for (gsize i = 0; i < par->n; i++)
    fractions[i] = par->yield[i] / 100.0;
  if ((curve = sextant_yield_curve_bootstrap (par->day, par->months, fractions, par->n, error)) == NULL)
    return FALSE;
  rates_curve_alloc (out, par->day, par->n);
  for (gsize i = 0; i < par->n; i++)
    {
      out->tenors[i] = par->months[i] / 12.0;
      out->par[i] = par->yield[i];
      out->zero[i] = sextant_yield_curve_zero (curve, curve->time[i]) * 100;
      out->forward[i] = sextant_yield_curve_forward (curve, i > 0 ? curve->time[i - 1] : 0,
                                                     curve->time[i]) * 100;
    }
  return TRUE;
}

/* The ECB's spot rates as published, its par yields where the day has them, forwards between
 * tenors from the spot rates (as `sextant-cli curve --source ecb`). */
static void
ecb_figures (const SextantParCurve *spot,
             const SextantParCurve *par,
             SextantRatesCurve     *out)
{
  rates_curve_alloc (out, spot->day, spot->n);
  for (gsize i = 0; i < spot->n; i++)
    {
      out->tenors[i] = spot->months[i] / 12.0;
      out->zero[i] = spot->yield[i];
      out->forward[i] = i == 0 ? spot->yield[0]
                               : (spot->yield[i] * out->tenors[i] - spot->yield[i - 1] * out->tenors[i - 1])
                                 / (out->tenors[i] - out->tenors[i - 1]);
      out->par[i] = NAN;
      for (gsize j = 0; par != NULL && j < par->n; j++)
        if (par->months[j] == spot->months[i])
          out->par[i] = par->yield[j];
    }
}

/* The curve of @day or the last day before it (the newest for 0) from the cache; %FALSE with
 * no error when the cache has none. */
static gboolean
load_curve (SextantMarketCache  *cache,
            SextantRatesSource   source,
            gint32               day,
            SextantRatesCurve   *out,
            GError             **error)
{
  g_autoptr(SextantParCurve) par = NULL;
  g_autoptr(SextantParCurve) spot = NULL;

  if (source == SEXTANT_RATES_SOURCE_TREASURY)
    {
      if (!sextant_market_cache_get_par_curve (cache, "treasury", day, &par, error))
        return FALSE;
      return par != NULL && treasury_figures (par, out, error);
    }
  if (!sextant_market_cache_get_par_curve (cache, "ecb-aaa-spot", day, &spot, error))
    return FALSE;
  if (spot == NULL)
    return FALSE;
  if (!sextant_market_cache_get_par_curve (cache, "ecb-aaa-par", spot->day, &par, error))
    return FALSE;
  ecb_figures (spot, par, out);
  return TRUE;
}

/* Palette entries: the fit in reddish purple, well apart from the zero curve it is fitted to. */
enum { COLOR_PAR = 0, COLOR_ZERO = 1, COLOR_FORWARD = 2, COLOR_FIT = 4 };

static void
add_series (SextantRatesFigures *self,
            char                *name,
            const double        *x,
            const double        *y,
            gsize                n,
            gboolean             markers,
            gboolean             dashed,
            guint                color)
{
  gsize k = self->curve_chart.n_series++;

  g_assert (k < G_N_ELEMENTS (self->series));
  self->series_names[k] = name;
  self->series[k] = (SextantCurveSeries) { name, x, y, n, markers, dashed, color };
}

static void
build_curve_chart (SextantRatesFigures *self)
{
  g_autofree char *date = sextant_day_format_iso (self->curve.day);
  g_autofree char *before = self->compare.day > 0 ? sextant_day_format_iso (self->compare.day) : NULL;

  self->curve_chart.title = self->source == SEXTANT_RATES_SOURCE_TREASURY
                            ? _("US Treasury Yield Curve") : _("Euro Area AAA Yield Curve (ECB)");
  self->curve_chart.x_title = _("Maturity (years)");
  /* xgettext:no-c-format */
  self->curve_chart.y_title = _("Rate (%)");
  self->curve_chart.y_format = SEXTANT_CHART_FORMAT_NUMBER;
  self->curve_chart.series = self->series;
  if (self->curve.day == 0)
    return;
  /* Translators: a date */
  add_series (self, g_strdup_printf (_("Par, observed %s"), date), self->curve.tenors,
              self->curve.par, self->curve.n, TRUE, FALSE, COLOR_PAR);
  add_series (self, g_strdup_printf (_("Zero %s"), date), self->curve.tenors, self->curve.zero,
              self->curve.n, FALSE, FALSE, COLOR_ZERO);
  add_series (self, g_strdup_printf (_("Forward %s"), date), self->curve.tenors,
              self->curve.forward, self->curve.n, FALSE, FALSE, COLOR_FORWARD);
  if (self->has_fit)
    add_series (self, g_strdup_printf (_("Zero, Svensson fit %s"), date), self->fit_x, self->fit_y,
                self->n_fit, FALSE, TRUE, COLOR_FIT);
  if (before != NULL)
    {
      add_series (self, g_strdup_printf (_("Par, observed %s"), before), self->compare.tenors,
                  self->compare.par, self->compare.n, TRUE, TRUE, COLOR_PAR);
      add_series (self, g_strdup_printf (_("Zero %s"), before), self->compare.tenors,
                  self->compare.zero, self->compare.n, FALSE, TRUE, COLOR_ZERO);
    }
}

static void
compute_fit (SextantRatesFigures *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *times = g_new (double, self->curve.n);
  double last;

  /* The Treasury's zero rates are fitted on the bootstrap's act/365f times, the ECB's on the
   * nominal years, as the CLI fits them; the two differ by days, invisible at this scale but
   * not in the parameters. */
  if (self->source == SEXTANT_RATES_SOURCE_TREASURY)
    {
      g_autoptr(SextantYieldCurve) curve = NULL;
      g_autofree double *fractions = g_new (double, self->curve.n);
      g_autofree double *months = g_new (double, self->curve.n);

      for (gsize i = 0; i < self->curve.n; i++)
        {
          fractions[i] = self->curve.par[i] / 100.0;
          months[i] = self->curve.tenors[i] * 12.0;
        }
      curve = sextant_yield_curve_bootstrap (self->curve.day, months, fractions, self->curve.n, NULL);
      if (curve == NULL)
        return;
      memcpy (times, curve->time, self->curve.n * sizeof (double));
    }
  else
    memcpy (times, self->curve.tenors, self->curve.n * sizeof (double));
  if (!sextant_curve_fit (SEXTANT_CURVE_MODEL_SVENSSON, times, self->curve.zero, self->curve.n,
                          &self->fit, &error))
    {
      g_debug ("No Svensson fit: %s", error->message);
      return;
    }
  self->has_fit = TRUE;
  last = times[self->curve.n - 1];
  self->n_fit = FIT_POINTS;
  self->fit_x = g_new (double, FIT_POINTS);
  self->fit_y = g_new (double, FIT_POINTS);
  for (gsize i = 0; i < FIT_POINTS; i++)
    {
      /* From the first tenor: the model's short end before it is extrapolation. */
      self->fit_x[i] = times[0] + (last - times[0]) * i / (FIT_POINTS - 1);
      self->fit_y[i] = sextant_curve_fit_value (&self->fit, self->fit_x[i]);
    }
}

/**
 * sextant_rates_figures_dup_currencies:
 * @cache: the market cache
 * @portfolio: (nullable): the book
 *
 * The currencies the FX heatmap shows: the book's own, then the ECB's most traded ones, without
 * the base currency.
 *
 * Returns: (transfer full): ISO 4217 codes
 */
char **
sextant_rates_figures_dup_currencies (SextantMarketCache *cache,
                                      SextantPortfolio   *portfolio)
{
  static const char *majors[] = { "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK" };
  const char *base = portfolio != NULL ? sextant_portfolio_get_base_currency (portfolio) : "USD";
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_add (seen, g_ascii_strup (base, -1));
  for (guint i = 0; portfolio != NULL && i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      g_autofree char *currency = sextant_book_dup_holding_currency (cache, portfolio, i);

      if (currency != NULL && !g_hash_table_contains (seen, currency))
        {
          g_strv_builder_add (builder, currency);
          g_hash_table_add (seen, g_steal_pointer (&currency));
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (majors); i++)
    if (!g_hash_table_contains (seen, majors[i]))
      {
        g_strv_builder_add (builder, majors[i]);
        g_hash_table_add (seen, g_strdup (majors[i]));
      }
  return g_strv_builder_end (builder);
}

/* Base units per one @currency over [@from, @to], through the euro; NULL when the cache has none. */
static SextantFxSeries *
cross_series (SextantMarketCache *cache,
              const char         *currency,
              const char         *base,
              gint32              from,
              gint32              to)
{
  g_autoptr(SextantFxSeries) per_eur = NULL;
  g_autoptr(SextantFxSeries) base_per_eur = NULL;
  g_autoptr(GError) error = NULL;
  SextantFxSeries *cross;

  if (g_ascii_strcasecmp (currency, "EUR") != 0 &&
      ((per_eur = sextant_market_cache_get_fx_rates (cache, currency, from, to, &error)) == NULL ||
       sextant_fx_series_get_length (per_eur) == 0))
    return NULL;
  if (g_ascii_strcasecmp (base, "EUR") != 0 &&
      ((base_per_eur = sextant_market_cache_get_fx_rates (cache, base, from, to, &error)) == NULL ||
       sextant_fx_series_get_length (base_per_eur) == 0))
    return NULL;
  if ((cross = sextant_fx_series_cross (per_eur, base_per_eur, &error)) == NULL)
    g_debug ("No %s/%s cross: %s", currency, base, error->message);
  return cross;
}

static gint32
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return sextant_day_from_ymd (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now));
}

/* Each currency's change against the base over each horizon, in percent, from the newest rate
 * any of them has: the value of one unit then against the last rate on or before the day the
 * horizon reaches back to (within SEXTANT_FX_MAX_STALE_DAYS; else the cell is empty). */
static void
compute_fx (SextantRatesFigures *self,
            SextantMarketCache  *cache,
            SextantPortfolio    *portfolio)
{
  g_auto(GStrv) wanted = sextant_rates_figures_dup_currencies (cache, portfolio);
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_fx_series_unref);
  g_autoptr(GStrvBuilder) rows = g_strv_builder_new ();
  gint32 to = today (), newest = 0;
  gsize n = 0;

  self->horizons[0] = _("1 day");
  self->horizons[1] = _("1 week");
  self->horizons[2] = _("1 month");
  self->horizons[3] = _("1 year");
  for (guint i = 0; wanted[i] != NULL; i++)
    {
      SextantFxSeries *cross = cross_series (cache, wanted[i], self->base_currency,
                                             to - 20 * 365, to);
      gint32 day = 0;

      if (cross == NULL || isnan (sextant_fx_series_get_latest (cross, &day)))
        {
          g_clear_pointer (&cross, sextant_fx_series_unref);
          continue;
        }
      newest = MAX (newest, day);
      g_ptr_array_add (series, cross);
      g_strv_builder_add (rows, wanted[i]);
    }
  self->currencies = g_strv_builder_end (rows);
  n = series->len;
  self->fx_day = newest;
  self->fx_changes = g_new (double, MAX (n, 1) * SEXTANT_RATES_N_HORIZONS);
  for (gsize r = 0; r < n; r++)
    {
      double now = sextant_fx_series_lookup (series->pdata[r], newest, SEXTANT_FX_MAX_STALE_DAYS, NULL);

      for (guint h = 0; h < SEXTANT_RATES_N_HORIZONS; h++)
        {
          double then = sextant_fx_series_lookup (series->pdata[r], newest - horizon_days[h],
                                                  SEXTANT_FX_MAX_STALE_DAYS, NULL);

          self->fx_changes[r * SEXTANT_RATES_N_HORIZONS + h] = (now / then - 1) * 100;
        }
    }
  if (n == 0)
    /* Translators: a currency code */
    self->fx_note = g_strdup_printf (_("No ECB reference rates against %s are stored yet: refresh to fetch them."),
                                     self->base_currency);
  self->fx_chart = (SextantHeatmapChart) {
    /* xgettext:no-c-format */
    .title = _("Currency Moves against the Base Currency (%)"),
    .labels = (const char * const *) self->currencies,
    .values = self->fx_changes,
    .n = n,
    .min = -5,
    .max = 5,
    .show_values = TRUE,
    .column_labels = self->horizons,
    .n_columns = SEXTANT_RATES_N_HORIZONS,
  };
}

static void
build_spread_chart (SextantRatesFigures     *self,
                    const SextantFredSeries *spreads)
{
  if (spreads == NULL || spreads->n == 0)
    {
      self->spread_note = g_strdup (_("Credit spreads come from FRED (ICE BofA option-adjusted spreads, "
                                      "licensed to FRED: shown, never exported as data). Refresh to fetch "
                                      "them; nothing is shown until then."));
      return;
    }
  self->spreads = sextant_fred_series_copy (spreads);
  /* Translators: a FRED series id */
  self->spread_title = g_strdup_printf (_("US High Yield Option-Adjusted Spread (%s)"),
                                        spreads->series_id);
  self->spread_times = g_new (double, spreads->n);
  for (gsize i = 0; i < spreads->n; i++)
    self->spread_times[i] = spreads->days[i] * 86400.0;
  self->spread_line = (SextantChartSeries) { _("Option-adjusted spread"), self->spreads->values,
                                             self->spreads->n };
  self->spread_chart = (SextantTimeSeriesChart) {
    .title = self->spread_title,
    .times = self->spread_times,
    .n = self->spreads->n,
    .lines = &self->spread_line,
    .n_lines = 1,
    /* xgettext:no-c-format */
    .lines_label = _("Spread (%)"),
  };
}

/**
 * sextant_rates_figures_compute:
 * @cache: the market cache, read only (from any thread)
 * @portfolio: (nullable): the book, for its base currency and its currencies
 * @source: which curve
 * @compare_days: compare with the curve this many days before the newest (0: none)
 * @spreads: (nullable): the credit spreads fetched, copied; %NULL for those a fetch stored before,
 *   if any, with their "as of …, cached" note
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Returns: (transfer full): the figures; a part the cache lacks has a note saying so
 */
SextantRatesFigures *
sextant_rates_figures_compute (SextantMarketCache      *cache,
                               SextantPortfolio        *portfolio,
                               SextantRatesSource       source,
                               int                      compare_days,
                               const SextantFredSeries *spreads,
                               GCancellable            *cancellable,
                               GError                 **error)
{
  g_autoptr(SextantRatesFigures) self = g_rc_box_new0 (SextantRatesFigures);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (cache != NULL, NULL);

  self->source = source;
  self->base_currency = g_strdup (portfolio != NULL ? sextant_portfolio_get_base_currency (portfolio) : "USD");
  if (!load_curve (cache, source, 0, &self->curve, &local_error))
    {
      rates_curve_clear (&self->curve);
      if (local_error != NULL)
        self->curve_note = g_strdup (local_error->message);
      else
        self->curve_note = g_strdup (source == SEXTANT_RATES_SOURCE_TREASURY
                                     ? _("No US Treasury curve is stored yet: refresh to fetch it.")
                                     : _("No ECB euro area curve is stored yet: refresh to fetch it."));
    }
  else
    {
      compute_fit (self);
      if (compare_days > 0 &&
          (!load_curve (cache, source, self->curve.day - compare_days, &self->compare, NULL) ||
           self->compare.day == self->curve.day))
        {
          g_autofree char *date = sextant_day_format_iso (self->curve.day - compare_days);

          rates_curve_clear (&self->compare);
          /* Translators: a date */
          self->curve_note = g_strdup_printf (_("No curve on or before %s is stored to compare with."), date);
        }
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  build_curve_chart (self);
  compute_fx (self, cache, portfolio);
  if (spreads == NULL)
    {
      g_autoptr(SextantFredSeries) cached = NULL;

      cached = sextant_fred_series_load_cached (cache, SEXTANT_RATES_SPREAD_SERIES, 0, G_MAXINT32, NULL, NULL);
      build_spread_chart (self, cached);
    }
  else
    build_spread_chart (self, spreads);
  return g_steal_pointer (&self);
}
