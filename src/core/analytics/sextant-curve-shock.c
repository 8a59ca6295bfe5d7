#define G_LOG_DOMAIN "sextant-curve-shock"

#include "config.h"

#include <math.h>

#include "analytics/sextant-curve-shock.h"

#define BELLY_YEARS 5.0
#define KEY_RATE_BUMP 1e-4

/**
 * sextant_curve_shock_shifts:
 * @kind: parallel, twist or butterfly
 * @size: the shock's size, a fraction (0.01 for 100 bp)
 * @months: (array length=n): the curve's tenors in months, increasing
 * @n: number of tenors
 * @shifts: (out caller-allocates) (array length=n): the change of each par yield
 *
 * Shapes are in tenor years (months / 12) between the curve's shortest and longest tenor.
 */
void
sextant_curve_shock_shifts (SextantCurveShockKind  kind,
                            double                 size,
                            const double          *months,
                            gsize                  n,
                            double                *shifts)
{
  double first = months[0] / 12, last = months[n - 1] / 12;
  double belly = CLAMP (BELLY_YEARS, first, last);

  for (gsize i = 0; i < n; i++)
    {
      double years = months[i] / 12, u;

      switch (kind)
        {
        case SEXTANT_CURVE_SHOCK_TWIST:
          shifts[i] = last > first ? size * ((years - first) / (last - first) - 0.5) : 0;
          break;
        case SEXTANT_CURVE_SHOCK_BUTTERFLY:
          if (years <= belly)
            u = belly > first ? (years - first) / (belly - first) : 1;
          else
            u = (last - years) / (last - belly);
          shifts[i] = size * (1 - 2 * u);
          break;
        case SEXTANT_CURVE_SHOCK_PARALLEL:
        default:
          shifts[i] = size;
          break;
        }
    }
}

/**
 * sextant_yield_curve_shifted:
 * @curve: a bootstrapped curve
 * @shifts: (array length=curve->n): a change for each par yield
 * @error: return location for an error
 *
 * Returns: (transfer full): the curve bootstrapped again from the shifted par yields
 */
SextantYieldCurve *
sextant_yield_curve_shifted (const SextantYieldCurve  *curve,
                             const double             *shifts,
                             GError                  **error)
{
  g_autofree double *par = g_new (double, curve->n);

  for (gsize i = 0; i < curve->n; i++)
    par[i] = curve->par[i] + shifts[i];
  return sextant_yield_curve_bootstrap (curve->as_of, curve->months, par, curve->n, error);
}

/**
 * sextant_curve_shock_pnl:
 * @curve: today's curve
 * @bond: a bond settling on the curve's day
 * @kind: the shock's shape
 * @size: its size, a fraction
 * @dirty_after: (out) (optional): the dirty price per 100 on the shocked curve
 * @pnl: (out): the change in value, in the money of the bond's face
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_curve_shock_pnl (const SextantYieldCurve  *curve,
                         const SextantBond        *bond,
                         SextantCurveShockKind     kind,
                         double                    size,
                         double                   *dirty_after,
                         double                   *pnl,
                         GError                  **error)
{
  g_autofree double *shifts = g_new (double, curve->n);
  g_autoptr(SextantYieldCurve) shocked = NULL;
  double before, after;

  sextant_curve_shock_shifts (kind, size, curve->months, curve->n, shifts);
  shocked = sextant_yield_curve_shifted (curve, shifts, error);
  if (shocked == NULL || !sextant_yield_curve_price_bond (curve, bond, &before, error)
      || !sextant_yield_curve_price_bond (shocked, bond, &after, error))
    return FALSE;
  if (dirty_after)
    *dirty_after = after;
  *pnl = (after - before) / 100.0 * bond->face;
  return TRUE;
}

/**
 * sextant_curve_key_rate_durations:
 * @curve: the curve
 * @bond: a bond settling on the curve's day
 * @durations: (out caller-allocates) (array length=curve->n): one per tenor
 * @error: return location for an error
 *
 * Each tenor's par yield alone is moved 1 bp up and down, the curve bootstrapped again, and the
 * bond's dirty price P recomputed: (P₋ − P₊) / (2 P × 1 bp).
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_curve_key_rate_durations (const SextantYieldCurve  *curve,
                                  const SextantBond        *bond,
                                  double                   *durations,
                                  GError                  **error)
{
  g_autofree double *shifts = g_new0 (double, curve->n);
  double base;

  if (!sextant_yield_curve_price_bond (curve, bond, &base, error))
    return FALSE;
  for (gsize k = 0; k < curve->n; k++)
    {
      double price[2];

      for (int side = 0; side < 2; side++)
        {
          g_autoptr(SextantYieldCurve) bumped = NULL;

          shifts[k] = side == 0 ? KEY_RATE_BUMP : -KEY_RATE_BUMP;
          bumped = sextant_yield_curve_shifted (curve, shifts, error);
          if (bumped == NULL || !sextant_yield_curve_price_bond (bumped, bond, &price[side], error))
            return FALSE;
        }
      shifts[k] = 0;
      durations[k] = (price[1] - price[0]) / (2 * base * KEY_RATE_BUMP);
    }
  return TRUE;
}
