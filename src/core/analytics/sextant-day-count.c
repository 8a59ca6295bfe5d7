#define G_LOG_DOMAIN "sextant-day-count"

#include "config.h"

#include <math.h>

#include "analytics/sextant-day-count.h"
#include "analytics/sextant-coupon-schedule.h"

static const char * const day_count_names[] = {
  [SEXTANT_DAY_COUNT_ACT_ACT_ICMA] = "act/act-icma",
  [SEXTANT_DAY_COUNT_30_360] = "30/360",
  [SEXTANT_DAY_COUNT_ACT_360] = "act/360",
  [SEXTANT_DAY_COUNT_ACT_365F] = "act/365f",
};

/**
 * sextant_day_count_from_name:
 * @name: `act/act-icma`, `30/360`, `act/360` or `act/365f` (the CLI's spelling, any case)
 * @day_count: (out): the day count
 *
 * Returns: %TRUE when @name is one of them
 */
gboolean
sextant_day_count_from_name (const char      *name,
                             SextantDayCount *day_count)
{
  for (guint i = 0; i < G_N_ELEMENTS (day_count_names); i++)
    if (g_ascii_strcasecmp (name, day_count_names[i]) == 0)
      {
        *day_count = (SextantDayCount) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * sextant_day_count_name:
 * @day_count: a day count
 *
 * Returns: (transfer none): its CLI spelling, as sextant_day_count_from_name() reads it
 */
const char *
sextant_day_count_name (SextantDayCount day_count)
{
  g_return_val_if_fail (day_count <= SEXTANT_DAY_COUNT_ACT_365F, NULL);
  return day_count_names[day_count];
}

static double
thirty_360_bond_basis (gint32 start,
                       gint32 end)
{
  int y1, m1, d1, y2, m2, d2;

  sextant_civil_from_day (start, &y1, &m1, &d1);
  sextant_civil_from_day (end, &y2, &m2, &d2);
  if (d1 == 31)
    d1 = 30;
  if (d2 == 31 && d1 == 30)
    d2 = 30;
  return (360.0 * (y2 - y1) + 30.0 * (m2 - m1) + (d2 - d1)) / 360.0;
}

/* The ICMA fraction of QuantLib's ActualActual(ISMA) for dates inside one reference period, the
 * only case a bond's schedule built backward from maturity needs: the months of the reference
 * period are rounded from its days, so a 181- or 184-day half year both count 6 months. */
static double
act_act_icma (gint32 start,
              gint32 end,
              gint32 reference_start,
              gint32 reference_end)
{
  double reference_days = reference_end - reference_start;
  double months = round (12.0 * reference_days / 365.0);

  if (reference_days <= 0)
    return NAN;
  return months / 12.0 * (double) (end - start) / reference_days;
}

/**
 * sextant_day_count_fraction:
 * @day_count: the convention
 * @start: first day (days since 1970-01-01)
 * @end: last day
 * @reference_start: start of the coupon period holding @start … @end (act/act-icma only)
 * @reference_end: its end
 *
 * Returns: the year fraction from @start to @end; NaN for act/act-icma with an empty
 *   reference period
 */
double
sextant_day_count_fraction (SextantDayCount day_count,
                            gint32          start,
                            gint32          end,
                            gint32          reference_start,
                            gint32          reference_end)
{
  switch (day_count)
    {
    case SEXTANT_DAY_COUNT_ACT_ACT_ICMA:
      return act_act_icma (start, end, reference_start, reference_end);
    case SEXTANT_DAY_COUNT_30_360:
      return thirty_360_bond_basis (start, end);
    case SEXTANT_DAY_COUNT_ACT_360:
      return (end - start) / 360.0;
    case SEXTANT_DAY_COUNT_ACT_365F:
      return (end - start) / 365.0;
    default:
      g_return_val_if_reached (NAN);
    }
}
