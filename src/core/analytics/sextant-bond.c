#define G_LOG_DOMAIN "sextant-bond"

#include "config.h"

#include <math.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-bond.h"
#include "analytics/sextant-coupon-schedule.h"
#include "base/sextant-day.h"

/**
 * sextant_bond_validate:
 * @bond: the bond
 * @settlement: settlement day
 * @error: return location for an error naming the field at fault
 *
 * Returns: %TRUE when the bond can be priced at @settlement
 */
gboolean
sextant_bond_validate (const SextantBond  *bond,
                       gint32              settlement,
                       GError            **error)
{
  if (bond->frequency != 1 && bond->frequency != 2 && bond->frequency != 4
      && bond->frequency != 12)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "The coupon frequency must be 1, 2, 4 or 12 a year, not %d", bond->frequency);
      return FALSE;
    }
  if (!isfinite (bond->coupon) || bond->coupon < 0 || bond->coupon > 1)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "The coupon must be between 0 and 100 %%, not %g %%", bond->coupon * 100);
      return FALSE;
    }
  /* Up to a quadrillion: beyond, a DV01 in money loses every digit that matters. */
  if (!isfinite (bond->face) || bond->face <= 0 || bond->face > 1e15)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "The face amount must be positive and at most 1e15, not %g", bond->face);
      return FALSE;
    }
  if (settlement >= bond->maturity)
    {
      g_autofree char *settle_text = sextant_day_format_iso (settlement);
      g_autofree char *maturity_text = sextant_day_format_iso (bond->maturity);

      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "The settlement day %s is not before the maturity %s", settle_text,
                   maturity_text);
      return FALSE;
    }
  return TRUE;
}

/**
 * sextant_bond_flows_free:
 * @flows: (nullable): flows
 */
void
sextant_bond_flows_free (SextantBondFlows *flows)
{
  if (flows == NULL)
    return;
  g_free (flows->amount);
  g_free (flows->time);
  g_free (flows->day);
  g_free (flows);
}

static double
period_fraction (const SextantBond         *bond,
                 const SextantCouponPeriod *p,
                 gint32                     from,
                 gint32                     to)
{
  return sextant_day_count_fraction (bond->day_count, from, to, p->reference_start,
                                     p->reference_end);
}

/**
 * sextant_bond_flows_new:
 * @bond: the bond
 * @settlement: settlement day (no lag, no ex-coupon period)
 * @error: return location for an error
 *
 * The cash flows after @settlement. The schedule starts a whole period before the last coupon
 * day on or before settlement, so every period from settlement on is regular; a coupon paid on
 * the settlement day is not included, and nothing has accrued then. The first flow's time is the
 * period's fraction less the accrued fraction, as QuantLib's stepwise discount time (which
 * differs from the fraction from settlement under 30/360 when settlement is a 31st).
 *
 * Returns: (transfer full): the flows, or %NULL with @error set
 */
SextantBondFlows *
sextant_bond_flows_new (const SextantBond  *bond,
                        gint32              settlement,
                        GError            **error)
{
  g_autofree SextantCouponPeriod *periods = NULL;
  g_autoptr(SextantBondFlows) flows = NULL;
  int months = 12 / bond->frequency;
  gboolean end_of_month;
  gint32 issue;
  gsize n_periods, first = 0;
  double time = 0;

  if (!sextant_bond_validate (bond, settlement, error))
    return NULL;

  end_of_month = sextant_day_is_month_end (bond->maturity);
  issue = sextant_coupon_schedule_grid_before (settlement, bond->maturity, months, end_of_month);
  periods = sextant_coupon_schedule_backward (issue, bond->maturity, months, end_of_month,
                                              &n_periods);
  while (first < n_periods && periods[first].end <= settlement)
    first++;
  g_assert (first < n_periods);

  flows = g_new0 (SextantBondFlows, 1);
  flows->n = n_periods - first;
  flows->amount = g_new (double, flows->n);
  flows->time = g_new (double, flows->n);
  flows->day = g_new (gint32, flows->n);
  for (gsize i = first; i < n_periods; i++)
    {
      const SextantCouponPeriod *p = &periods[i];
      double whole = period_fraction (bond, p, p->start, p->end);
      gsize k = i - first;

      if (i == first)
        {
          double accrued_fraction = settlement > p->start
                                    ? period_fraction (bond, p, p->start, settlement) : 0;

          flows->accrued = 100.0 * bond->coupon * accrued_fraction;
          time = whole - accrued_fraction;
        }
      else
        time += whole;
      flows->amount[k] = 100.0 * bond->coupon * whole;
      flows->time[k] = time;
      flows->day[k] = p->end;
    }
  flows->amount[flows->n - 1] += 100.0;
  return g_steal_pointer (&flows);
}

/* Dirty price per 100 and its first two derivatives in the yield, the sums of QuantLib's
 * CashFlows::npv, duration (Modified) and convexity for compounded yields. */
static void
dirty_and_derivatives (const SextantBondFlows *flows,
                       int                     frequency,
                       double                  yield,
                       double                 *price,
                       double                 *first,
                       double                 *second)
{
  double f = frequency, base = 1.0 + yield / f;
  double p = 0, d1 = 0, d2 = 0;

  for (gsize i = 0; i < flows->n; i++)
    {
      double t = flows->time[i];
      double value = flows->amount[i] * pow (base, -f * t);

      p += value;
      d1 -= value * t / base;
      d2 += value * t * (f * t + 1.0) / (f * base * base);
    }
  *price = p;
  if (first)
    *first = d1;
  if (second)
    *second = d2;
}

/**
 * sextant_bond_flows_analytics:
 * @flows: the bond's flows after settlement
 * @bond: the bond they belong to (frequency, face)
 * @yield: yield to maturity, a fraction
 * @out: (out caller-allocates): the figures
 * @error: return location for an error
 *
 * Returns: %TRUE unless the yield is not a number or not above −frequency
 */
gboolean
sextant_bond_flows_analytics (const SextantBondFlows *flows,
                              const SextantBond      *bond,
                              double                  yield,
                              SextantBondAnalytics   *out,
                              GError                **error)
{
  double f = bond->frequency, dirty, first, second, value, delta, gamma;

  /* 1000 % is the solver's ceiling too: beyond it the price underflows to 0. */
  if (!isfinite (yield) || yield <= -f || yield > 10)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "A yield of %g %% compounded %d times a year is not possible", yield * 100,
                   bond->frequency);
      return FALSE;
    }
  dirty_and_derivatives (flows, bond->frequency, yield, &dirty, &first, &second);
  out->yield = yield;
  out->dirty_price = dirty;
  out->accrued = flows->accrued;
  out->clean_price = dirty - flows->accrued;
  out->modified_duration = -first / dirty;
  out->macaulay_duration = out->modified_duration * (1.0 + yield / f);
  out->convexity = second / dirty;
  /* QuantLib's basisPointValue scales the convexity term by convexity/100: kept, so the figure is
   * the one a committee gets from QuantLib. */
  value = dirty / 100.0 * bond->face;
  delta = -out->modified_duration * value * 1e-4;
  gamma = out->convexity / 100.0 * value * 1e-8;
  out->dv01 = -(delta + 0.5 * gamma);
  return TRUE;
}

/**
 * sextant_bond_from_yield:
 * @bond: the bond
 * @settlement: settlement day
 * @yield: yield to maturity, a fraction, compounded @bond's frequency a year in its day count
 * @out: (out caller-allocates): prices, accrued, durations, convexity, DV01
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_bond_from_yield (const SextantBond     *bond,
                         gint32                 settlement,
                         double                 yield,
                         SextantBondAnalytics  *out,
                         GError               **error)
{
  g_autoptr(SextantBondFlows) flows = sextant_bond_flows_new (bond, settlement, error);

  return flows != NULL && sextant_bond_flows_analytics (flows, bond, yield, out, error);
}

/**
 * sextant_bond_flows_yield:
 * @flows: the flows
 * @frequency: compounding a year
 * @dirty_price: the target dirty price per 100
 * @yield: (out): the yield that prices the flows at @dirty_price
 * @error: return location for an error
 *
 * Newton's method kept inside a bracket that bisection shrinks, to a step below 1e-15; the
 * price falls with the yield as every flow is positive, so the root is unique.
 *
 * Returns: %TRUE when a yield gives that price
 */
gboolean
sextant_bond_flows_yield (const SextantBondFlows *flows,
                          int                     frequency,
                          double                  dirty_price,
                          double                 *yield,
                          GError                **error)
{
  double lo = -0.999 * frequency, hi = 10.0, y, p_lo, p_hi;

  dirty_and_derivatives (flows, frequency, lo, &p_lo, NULL, NULL);
  dirty_and_derivatives (flows, frequency, hi, &p_hi, NULL, NULL);
  if (!isfinite (dirty_price) || !(dirty_price < p_lo) || !(dirty_price > p_hi))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "No yield between %g %% and %g %% gives a dirty price of %g", lo * 100,
                   hi * 100, dirty_price);
      return FALSE;
    }

  y = 0.05;
  for (int iteration = 0; iteration < 200; iteration++)
    {
      double p, dp, next;

      dirty_and_derivatives (flows, frequency, y, &p, &dp, NULL);
      if (p > dirty_price)
        lo = y;
      else
        hi = y;
      next = y - (p - dirty_price) / dp;
      if (!(next > lo && next < hi))
        next = 0.5 * (lo + hi);
      if (fabs (next - y) < 1e-15 || hi - lo < 1e-15)
        {
          *yield = next;
          return TRUE;
        }
      y = next;
    }
  g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NOT_CONVERGED,
               "The yield for a dirty price of %g did not converge", dirty_price);
  return FALSE;
}

/**
 * sextant_bond_from_clean_price:
 * @bond: the bond
 * @settlement: settlement day
 * @clean_price: clean price, percent of face
 * @out: (out caller-allocates): the yield and the figures at it
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_bond_from_clean_price (const SextantBond     *bond,
                               gint32                 settlement,
                               double                 clean_price,
                               SextantBondAnalytics  *out,
                               GError               **error)
{
  g_autoptr(SextantBondFlows) flows = NULL;
  double yield;

  if (!isfinite (clean_price) || clean_price <= 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE,
                   "The clean price must be positive, not %g", clean_price);
      return FALSE;
    }
  flows = sextant_bond_flows_new (bond, settlement, error);
  if (flows == NULL
      || !sextant_bond_flows_yield (flows, bond->frequency, clean_price + flows->accrued, &yield,
                                    error))
    return FALSE;
  return sextant_bond_flows_analytics (flows, bond, yield, out, error);
}
