#define G_LOG_DOMAIN "sextant-yield-curve"

#include "config.h"

#include <math.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-coupon-schedule.h"
#include "analytics/sextant-day-count.h"
#include "analytics/sextant-yield-curve.h"

/* Conventions of the US Treasury par curve as Sextant bootstraps it (tests/data/rates/README.md):
 * - the curve starts on its day, no settlement lag, no calendar; maturities are the day plus the
 *   tenor's months (a day the month lacks becomes its last day), the 1.5-month point six weeks;
 * - tenors under 6 months are bills: a discount factor 1/(1 + y τ), τ act/365f (the
 *   bond-equivalent yield of a bill, as QuantLib's DepositRateHelper on Actual365Fixed);
 * - from 6 months out a par yield is the coupon of a semi-annual act/act-icma bond issued on the
 *   curve's day that prices at 100 (schedule backward from maturity, no end-of-month rule);
 * - discount factors are interpolated log-linearly in act/365f time between nodes (QuantLib's
 *   PiecewiseLogLinearDiscount), each node solved so its instrument reprices exactly. */

#define BILL_MONTHS 6.0
#define SIX_WEEKS_DAYS 42

/**
 * sextant_tenor_maturity:
 * @as_of: the curve's day
 * @months: the tenor in months; 1.5 means six weeks, the Treasury's "1.5 Month" bill
 *
 * Returns: the maturity day
 */
gint32
sextant_tenor_maturity (gint32 as_of,
                        double months)
{
  if (months == 1.5)
    return as_of + SIX_WEEKS_DAYS;
  return sextant_day_add_months (as_of, (int) months, FALSE);
}

/**
 * sextant_yield_curve_free:
 * @curve: (nullable): a curve
 */
void
sextant_yield_curve_free (SextantYieldCurve *curve)
{
  if (curve == NULL)
    return;
  g_free (curve->months);
  g_free (curve->par);
  g_free (curve->maturity);
  g_free (curve->time);
  g_free (curve->discount);
  g_free (curve);
}

/**
 * sextant_yield_curve_time:
 * @curve: a curve
 * @day: a day
 *
 * Returns: act/365f years from the curve's day to @day
 */
double
sextant_yield_curve_time (const SextantYieldCurve *curve,
                          gint32                   day)
{
  return (day - curve->as_of) / 365.0;
}

/* Log-linear interpolation among the first @n_known nodes (and 1 at time 0); beyond the last
 * known node the last segment's forward rate continues, as QuantLib extrapolates. */
static double
discount_among (const SextantYieldCurve *curve,
                gsize                    n_known,
                double                   time)
{
  double t0 = 0, ln0 = 0;
  gsize i = 0;

  if (time <= 0 || n_known == 0)
    return 1.0;
  while (i + 1 < n_known && curve->time[i] < time)
    {
      t0 = curve->time[i];
      ln0 = log (curve->discount[i]);
      i++;
    }
  {
    double t1 = curve->time[i], ln1 = log (curve->discount[i]);

    return exp (ln0 + (ln1 - ln0) * (time - t0) / (t1 - t0));
  }
}

/**
 * sextant_yield_curve_discount:
 * @curve: a curve
 * @time: act/365f years from the curve's day
 *
 * Returns: the discount factor, log-linear between nodes, the last segment's forward beyond
 */
double
sextant_yield_curve_discount (const SextantYieldCurve *curve,
                              double                   time)
{
  return discount_among (curve, curve->n, time);
}

/**
 * sextant_yield_curve_zero:
 * @curve: the curve
 * @time: act/365f years from the curve's day, positive
 *
 * Returns: the continuously compounded zero rate to @time, a fraction
 */
double
sextant_yield_curve_zero (const SextantYieldCurve *curve,
                          double                   time)
{
  return -log (sextant_yield_curve_discount (curve, time)) / time;
}

/**
 * sextant_yield_curve_forward:
 * @curve: the curve
 * @from: start, act/365f years from the curve's day
 * @to: end, after @from
 *
 * Returns: the continuously compounded forward rate from @from to @to, a fraction
 */
double
sextant_yield_curve_forward (const SextantYieldCurve *curve,
                             double                   from,
                             double                   to)
{
  return log (sextant_yield_curve_discount (curve, from)
              / sextant_yield_curve_discount (curve, to)) / (to - from);
}

/* The price per 100 of the par bond of node @k, with the node's discount factor set to
 * exp(@log_discount), and its derivative in @log_discount. */
static double
par_bond_value (SextantYieldCurve         *curve,
                gsize                      k,
                const SextantCouponPeriod *periods,
                gsize                      n_periods,
                double                     log_discount,
                double                    *derivative)
{
  double value = 0, slope = 0;

  curve->discount[k] = exp (log_discount);
  for (gsize i = 0; i < n_periods; i++)
    {
      const SextantCouponPeriod *p = &periods[i];
      double t = sextant_yield_curve_time (curve, p->end);
      double t0 = k > 0 ? curve->time[k - 1] : 0;
      double w = CLAMP ((t - t0) / (curve->time[k] - t0), 0.0, 1.0);
      double amount = 100.0 * curve->par[k]
                      * sextant_day_count_fraction (SEXTANT_DAY_COUNT_ACT_ACT_ICMA, p->start, p->end,
                                                    p->reference_start, p->reference_end);
      double df = discount_among (curve, k + 1, t);

      if (i == n_periods - 1)
        amount += 100.0;
      value += amount * df;
      if (t > t0)
        slope += amount * df * w;
    }
  *derivative = slope;
  return value;
}

/* The node's log discount factor that prices its par bond at 100. The bond's value rises with
 * it and is convex in it (a sum of exponentials), so the root is bracketed first, by doubling
 * steps, and found by Newton's method kept inside the bracket (bisection when a step leaves it),
 * to a step below 1e-15. */
static gboolean
solve_bond_node (SextantYieldCurve  *curve,
                 gsize               k,
                 GError            **error)
{
  g_autofree SextantCouponPeriod *periods = NULL;
  gsize n_periods;
  double x = -curve->par[k] * curve->time[k], lo = x - 0.5, hi = x + 0.5, slope;

  periods = sextant_coupon_schedule_backward (curve->as_of, curve->maturity[k], 6, FALSE,
                                              &n_periods);
  for (int i = 0; i < 60 && par_bond_value (curve, k, periods, n_periods, lo, &slope) > 100; i++)
    lo -= (hi - lo);
  for (int i = 0; i < 60 && par_bond_value (curve, k, periods, n_periods, hi, &slope) < 100; i++)
    hi += (hi - lo);
  /* Coupons paid before the previous node may already be worth more than 100: then no discount
   * factor of this node prices the bond at par. */
  if (!(par_bond_value (curve, k, periods, n_periods, lo, &slope) <= 100)
      || !(par_bond_value (curve, k, periods, n_periods, hi, &slope) >= 100))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "No discount factor prices the %g-month par bond of %g %% at 100 after the "
                   "tenors before it", curve->months[k], curve->par[k] * 100);
      return FALSE;
    }
  for (int iteration = 0; iteration < 200; iteration++)
    {
      double value = par_bond_value (curve, k, periods, n_periods, x, &slope), next;

      if (value < 100)
        lo = x;
      else
        hi = x;
      next = slope > 0 ? x - (value - 100.0) / slope : NAN;
      if (!(next > lo && next < hi))
        next = 0.5 * (lo + hi);
      if (fabs (next - x) < 1e-15 || hi - lo < 1e-15)
        {
          curve->discount[k] = exp (next);
          return TRUE;
        }
      x = next;
    }
  g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NOT_CONVERGED,
               "The %g-month par yield of %g %% could not be bootstrapped", curve->months[k],
               curve->par[k] * 100);
  return FALSE;
}

static gboolean
check_points (const double  *months,
              const double  *par,
              gsize          n,
              const char    *what,
              GError       **error)
{
  if (n == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "The curve has no %ss", what);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (par[i]) || par[i] <= -0.5 || par[i] > 1)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                       "The %g-month %s is %g %%", months[i], what, par[i] * 100);
          return FALSE;
        }
      if (!(months[i] > 0) || (months[i] != 1.5 && months[i] != floor (months[i]))
          || (i > 0 && months[i] <= months[i - 1]))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_DATE_ORDER,
                       "Tenor %" G_GSIZE_FORMAT " (%g months) is not a whole number of months "
                       "after the one before it", i + 1, months[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * sextant_yield_curve_bootstrap:
 * @as_of: the curve's day
 * @months: (array length=n): tenors in months, increasing (1.5 is six weeks)
 * @par: (array length=n): par yields, fractions (missing tenors are left out, never zero)
 * @n: number of tenors
 * @error: return location for an error naming the tenor at fault
 *
 * Returns: (transfer full): the curve, or %NULL with @error set
 */
SextantYieldCurve *
sextant_yield_curve_bootstrap (gint32         as_of,
                               const double  *months,
                               const double  *par,
                               gsize          n,
                               GError       **error)
{
  g_autoptr(SextantYieldCurve) curve = NULL;

  if (!check_points (months, par, n, "par yield", error))
    return NULL;
  curve = g_new0 (SextantYieldCurve, 1);
  curve->as_of = as_of;
  curve->n = n;
  curve->months = g_memdup2 (months, n * sizeof (double));
  curve->par = g_memdup2 (par, n * sizeof (double));
  curve->maturity = g_new (gint32, n);
  curve->time = g_new (double, n);
  curve->discount = g_new (double, n);
  for (gsize k = 0; k < n; k++)
    {
      curve->maturity[k] = sextant_tenor_maturity (as_of, months[k]);
      curve->time[k] = sextant_yield_curve_time (curve, curve->maturity[k]);
      if (months[k] < BILL_MONTHS)
        curve->discount[k] = 1.0 / (1.0 + par[k] * curve->time[k]);
      else if (!solve_bond_node (curve, k, error))
        return NULL;
    }
  return g_steal_pointer (&curve);
}

/**
 * sextant_yield_curve_from_zero:
 * @as_of: the curve's day
 * @months: (array length=n): tenors in months, increasing, whole months (1.5 is six weeks)
 * @zero: (array length=n): continuously compounded zero rates, fractions, to each tenor's
 *   maturity in act/365f years (as the ECB publishes its spot rates)
 * @n: number of tenors
 * @error: return location for an error naming the tenor at fault
 *
 * A curve from published zero rates, not bootstrapped: each node's discount factor is
 * e^(−z t), t act/365f from @as_of to the tenor's maturity day, interpolated like a
 * bootstrapped curve's (QuantLib's `DiscountCurve` on those dates). Its @par is NaN: there are
 * no par yields to shift, so sextant_yield_curve_shifted() does not apply; build it again from
 * moved zero rates instead.
 *
 * Returns: (transfer full): the curve, or %NULL with @error set
 */
SextantYieldCurve *
sextant_yield_curve_from_zero (gint32         as_of,
                               const double  *months,
                               const double  *zero,
                               gsize          n,
                               GError       **error)
{
  SextantYieldCurve *curve;

  /* The same bounds as par yields: a rate outside them is a wrong unit or a broken file. */
  if (!check_points (months, zero, n, "zero rate", error))
    return NULL;
  curve = g_new0 (SextantYieldCurve, 1);
  curve->as_of = as_of;
  curve->n = n;
  curve->months = g_memdup2 (months, n * sizeof (double));
  curve->par = g_new (double, n);
  curve->maturity = g_new (gint32, n);
  curve->time = g_new (double, n);
  curve->discount = g_new (double, n);
  for (gsize k = 0; k < n; k++)
    {
      curve->par[k] = NAN;
      curve->maturity[k] = sextant_tenor_maturity (as_of, months[k]);
      curve->time[k] = sextant_yield_curve_time (curve, curve->maturity[k]);
      curve->discount[k] = exp (-zero[k] * curve->time[k]);
    }
  return curve;
}

/**
 * sextant_yield_curve_price_bond:
 * @curve: the curve
 * @bond: a bond settling on the curve's day
 * @dirty_price: (out): its dirty price per 100 of face, discounted on @curve
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_yield_curve_price_bond (const SextantYieldCurve  *curve,
                                const SextantBond        *bond,
                                double                   *dirty_price,
                                GError                  **error)
{
  g_autoptr(SextantBondFlows) flows = sextant_bond_flows_new (bond, curve->as_of, error);
  double value = 0;

  if (flows == NULL)
    return FALSE;
  for (gsize i = 0; i < flows->n; i++)
    value += flows->amount[i]
             * sextant_yield_curve_discount (curve, sextant_yield_curve_time (curve, flows->day[i]));
  *dirty_price = value;
  return TRUE;
}

/**
 * sextant_yield_curve_price_bond_spread:
 * @curve: the curve
 * @bond: a bond settling on the curve's day
 * @spread: a constant spread over the curve's zero rates, a fraction continuously compounded on
 *   the curve's act/365f time (QuantLib's z-spread with `Continuous` compounding)
 * @dirty_price: (out): the dirty price per 100 of face: Σ flow × D(t) × e^(−spread t)
 * @spread_duration: (out) (optional): −(dP/d spread)/P, years: Σ t × flow × D(t) × e^(−spread t) / P
 * @error: return location for an error
 *
 * With a spread of 0, the price is sextant_yield_curve_price_bond()'s.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_yield_curve_price_bond_spread (const SextantYieldCurve  *curve,
                                       const SextantBond        *bond,
                                       double                    spread,
                                       double                   *dirty_price,
                                       double                   *spread_duration,
                                       GError                  **error)
{
  g_autoptr(SextantBondFlows) flows = NULL;
  double value = 0, weighted = 0;

  if (!isfinite (spread))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "the spread is not a number");
      return FALSE;
    }
  if ((flows = sextant_bond_flows_new (bond, curve->as_of, error)) == NULL)
    return FALSE;
  for (gsize i = 0; i < flows->n; i++)
    {
      double t = sextant_yield_curve_time (curve, flows->day[i]);
      double pv = flows->amount[i] * sextant_yield_curve_discount (curve, t) * exp (-spread * t);

      value += pv;
      weighted += t * pv;
    }
  *dirty_price = value;
  if (spread_duration != NULL)
    *spread_duration = value > 0 ? weighted / value : 0;
  return TRUE;
}
