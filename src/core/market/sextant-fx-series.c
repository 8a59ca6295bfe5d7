#define G_LOG_DOMAIN "sextant-fx-series"

#include "config.h"

#include <math.h>

#include "market/sextant-fx-series.h"
#include "market/sextant-market-error.h"

struct _SextantFxSeries
{
  char   *base;
  char   *quote;
  char   *source;
  gint64  fetched_at;
  GArray *days;
  GArray *rates;
};

G_DEFINE_BOXED_TYPE (SextantFxSeries, sextant_fx_series, sextant_fx_series_ref,
                     sextant_fx_series_unref)

/**
 * sextant_fx_series_new:
 * @base: the ISO 4217 code of the currency one unit of which each rate prices (`EUR`)
 * @quote: the ISO 4217 code the rates are in (`USD`)
 *
 * Returns: (transfer full): an empty series of @quote per 1 @base
 */
SextantFxSeries *
sextant_fx_series_new (const char *base,
                       const char *quote)
{
  SextantFxSeries *self;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (quote != NULL, NULL);

  self = g_atomic_rc_box_new0 (SextantFxSeries);
  self->base = g_strdup (base);
  self->quote = g_strdup (quote);
  self->days = g_array_new (FALSE, FALSE, sizeof (gint32));
  self->rates = g_array_new (FALSE, FALSE, sizeof (double));

  return self;
}

SextantFxSeries *
sextant_fx_series_ref (SextantFxSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
sextant_fx_series_clear (gpointer data)
{
  SextantFxSeries *self = data;

  g_free (self->base);
  g_free (self->quote);
  g_free (self->source);
  g_array_unref (self->days);
  g_array_unref (self->rates);
}

void
sextant_fx_series_unref (SextantFxSeries *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, sextant_fx_series_clear);
}

const char *
sextant_fx_series_get_base (SextantFxSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->base;
}

const char *
sextant_fx_series_get_quote (SextantFxSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->quote;
}

/**
 * sextant_fx_series_get_source:
 * @self: a series
 *
 * Returns: (nullable): where the rates came from (`ecb`), or %NULL when unknown
 */
const char *
sextant_fx_series_get_source (SextantFxSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->source;
}

void
sextant_fx_series_set_source (SextantFxSeries *self,
                              const char      *source)
{
  g_return_if_fail (self != NULL);

  g_free (self->source);
  self->source = g_strdup (source);
}

/**
 * sextant_fx_series_get_fetched_at:
 * @self: a series
 *
 * Returns: when its newest rate was fetched, unix seconds, or 0 when unknown
 */
gint64
sextant_fx_series_get_fetched_at (SextantFxSeries *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->fetched_at;
}

void
sextant_fx_series_set_fetched_at (SextantFxSeries *self,
                                  gint64           fetched_at)
{
  g_return_if_fail (self != NULL);

  self->fetched_at = fetched_at;
}

/**
 * sextant_fx_series_append:
 * @self: a series
 * @day: days since 1970-01-01, after the last day appended
 * @rate: the rate, NaN for a date published without a value
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * A zero or negative rate is refused: a rate is missing or positive, never zero.
 *
 * Returns: %TRUE when appended
 */
gboolean
sextant_fx_series_append (SextantFxSeries  *self,
                          gint32            day,
                          double            rate,
                          GError          **error)
{
  g_autofree char *date = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->days->len > 0 && day <= g_array_index (self->days, gint32, self->days->len - 1))
    {
      date = sextant_day_format_iso (day);
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE,
                   "%s per %s: %s is out of order or repeated", self->quote, self->base, date);
      return FALSE;
    }
  if (!isnan (rate) && !(rate > 0.0 && isfinite (rate)))
    {
      date = sextant_day_format_iso (day);
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE,
                   "%s per %s on %s: %g is not an exchange rate", self->quote, self->base, date,
                   rate);
      return FALSE;
    }
  g_array_append_val (self->days, day);
  g_array_append_val (self->rates, rate);

  return TRUE;
}

gsize
sextant_fx_series_get_length (SextantFxSeries *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->days->len;
}

/**
 * sextant_fx_series_get_days:
 * @self: a series
 *
 * Returns: (array) (transfer none): the days, oldest first
 */
const gint32 *
sextant_fx_series_get_days (SextantFxSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const gint32 *) (gpointer) self->days->data;
}

/**
 * sextant_fx_series_get_rates:
 * @self: a series
 *
 * Returns: (array) (transfer none): the rates, NaN where missing
 */
const double *
sextant_fx_series_get_rates (SextantFxSeries *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const double *) (gpointer) self->rates->data;
}

/* The index of the last day on or before @day, or -1. */
static gssize
find_at_or_before (SextantFxSeries *self,
                   gint32           day)
{
  const gint32 *days = sextant_fx_series_get_days (self);
  gsize lo = 0, hi = self->days->len;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (days[mid] <= day)
        lo = mid + 1;
      else
        hi = mid;
    }

  return (gssize) lo - 1;
}

/**
 * sextant_fx_series_lookup:
 * @self: a series
 * @day: the date wanted
 * @max_stale_days: how many days before @day a rate may be from (0: that day only)
 * @rate_day: (out) (optional): the date of the rate used
 *
 * The rate on @day or, when that date has none (not published, or published without a value),
 * the last earlier rate within @max_stale_days.
 *
 * Returns: the rate, or NaN when there is none close enough
 */
double
sextant_fx_series_lookup (SextantFxSeries *self,
                          gint32           day,
                          gint32           max_stale_days,
                          gint32          *rate_day)
{
  const gint32 *days;
  const double *rates;

  g_return_val_if_fail (self != NULL, NAN);

  days = sextant_fx_series_get_days (self);
  rates = sextant_fx_series_get_rates (self);
  for (gssize i = find_at_or_before (self, day); i >= 0 && day - days[i] <= max_stale_days; i--)
    if (!isnan (rates[i]))
      {
        if (rate_day != NULL)
          *rate_day = days[i];
        return rates[i];
      }

  return NAN;
}

/**
 * sextant_fx_series_get_latest:
 * @self: a series
 * @day: (out) (optional): the date of that rate
 *
 * Returns: the newest rate that is not missing, or NaN when there is none
 */
double
sextant_fx_series_get_latest (SextantFxSeries *self,
                              gint32          *day)
{
  g_return_val_if_fail (self != NULL, NAN);

  for (guint i = self->days->len; i > 0; i--)
    if (!isnan (g_array_index (self->rates, double, i - 1)))
      {
        if (day != NULL)
          *day = g_array_index (self->days, gint32, i - 1);
        return g_array_index (self->rates, double, i - 1);
      }

  return NAN;
}

/* A copy of @per_eur inverted, for the cross from a currency into the euro. */
static SextantFxSeries *
invert (SextantFxSeries *per_eur)
{
  SextantFxSeries *result = sextant_fx_series_new (per_eur->quote, per_eur->base);

  for (guint i = 0; i < per_eur->days->len; i++)
    {
      double rate = g_array_index (per_eur->rates, double, i);
      double inverse = 1.0 / rate;

      g_array_append_val (result->days, g_array_index (per_eur->days, gint32, i));
      g_array_append_val (result->rates, inverse);
    }

  return result;
}

/**
 * sextant_fx_series_cross:
 * @per_eur_from: (nullable): units of the currency converted from per 1 EUR, %NULL for the euro
 * @per_eur_to: (nullable): units of the currency converted into per 1 EUR, %NULL for the euro
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * The cross rate through the euro on each date both series have: to convert USD into GBP,
 * GBP per USD = (GBP per EUR) / (USD per EUR). A date missing in either is missing (NaN).
 *
 * Returns: (transfer full): units of the "to" currency per 1 unit of the "from" currency, or
 *   %NULL when both are the euro or the series are not per EUR
 */
SextantFxSeries *
sextant_fx_series_cross (SextantFxSeries  *per_eur_from,
                         SextantFxSeries  *per_eur_to,
                         GError          **error)
{
  SextantFxSeries *result;
  guint i = 0, j = 0;

  if ((per_eur_from != NULL && g_strcmp0 (per_eur_from->base, "EUR") != 0) ||
      (per_eur_to != NULL && g_strcmp0 (per_eur_to->base, "EUR") != 0) ||
      (per_eur_from == NULL && per_eur_to == NULL))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                   "A cross rate needs two series of rates per EUR, at most one of them the euro");
      return NULL;
    }
  if (per_eur_to == NULL)
    return invert (per_eur_from);
  if (per_eur_from == NULL)
    {
      result = sextant_fx_series_new ("EUR", per_eur_to->quote);
      g_array_append_vals (result->days, per_eur_to->days->data, per_eur_to->days->len);
      g_array_append_vals (result->rates, per_eur_to->rates->data, per_eur_to->rates->len);
      return result;
    }

  /* Both sorted by day: walk them together and keep the dates they share. */
  result = sextant_fx_series_new (per_eur_from->quote, per_eur_to->quote);
  while (i < per_eur_from->days->len && j < per_eur_to->days->len)
    {
      gint32 a = g_array_index (per_eur_from->days, gint32, i);
      gint32 b = g_array_index (per_eur_to->days, gint32, j);
      double rate;

      if (a < b)
        i++;
      else if (b < a)
        j++;
      else
        {
          rate = g_array_index (per_eur_to->rates, double, j) /
                 g_array_index (per_eur_from->rates, double, i);
          g_array_append_val (result->days, a);
          g_array_append_val (result->rates, rate);
          i++, j++;
        }
    }

  return result;
}

/**
 * sextant_fx_convert_series:
 * @prices: daily bars in one currency
 * @rates: units of the target currency per 1 unit of @prices' currency (see
 *   sextant_fx_series_cross())
 * @dropped_days: (out) (optional) (transfer full) (element-type gint32): the dates of @prices
 *   left out because no rate was within %SEXTANT_FX_MAX_STALE_DAYS days before them
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * Converts open, high, low and close on each date with that date's rate, or the last earlier
 * rate within %SEXTANT_FX_MAX_STALE_DAYS days; dates with neither are dropped and reported.
 * Volume is a count of shares and is kept as it is.
 *
 * Returns: (transfer full): the converted bars (same symbol), or %NULL when no date had a rate
 */
SextantPriceSeries *
sextant_fx_convert_series (SextantPriceSeries  *prices,
                           SextantFxSeries     *rates,
                           GArray             **dropped_days,
                           GError             **error)
{
  g_autoptr(GArray) dropped = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) factors = g_array_new (FALSE, FALSE, sizeof (double));
  gsize n, kept = 0, row = 0;
  const gint32 *days;
  SextantPriceSeries *result;

  g_return_val_if_fail (prices != NULL, NULL);
  g_return_val_if_fail (rates != NULL, NULL);

  n = sextant_price_series_get_length (prices);
  days = sextant_price_series_get_days (prices);
  for (gsize i = 0; i < n; i++)
    {
      double factor = sextant_fx_series_lookup (rates, days[i], SEXTANT_FX_MAX_STALE_DAYS, NULL);

      g_array_append_val (factors, factor);
      if (isnan (factor))
        g_array_append_val (dropped, days[i]);
      else
        kept++;
    }
  if (kept == 0 && n > 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                   "No %s per %s rate within %d days of any of the %" G_GSIZE_FORMAT " dates of %s",
                   rates->quote, rates->base, SEXTANT_FX_MAX_STALE_DAYS, n,
                   sextant_price_series_get_symbol (prices));
      return NULL;
    }

  result = sextant_price_series_new (sextant_price_series_get_symbol (prices), kept);
  for (gsize i = 0; i < n; i++)
    {
      double f = g_array_index (factors, double, i);

      if (isnan (f))
        continue;
      sextant_price_series_set_row (result, row++, days[i],
                                    sextant_price_series_get_open (prices)[i] * f,
                                    sextant_price_series_get_high (prices)[i] * f,
                                    sextant_price_series_get_low (prices)[i] * f,
                                    sextant_price_series_get_close (prices)[i] * f,
                                    sextant_price_series_get_volume (prices)[i]);
    }
  if (dropped_days != NULL)
    *dropped_days = g_steal_pointer (&dropped);

  return result;
}
