#define G_LOG_DOMAIN "sextant-coupon-schedule"

#include "config.h"

#include "analytics/sextant-coupon-schedule.h"

/* Civil dates from days since 1970-01-01 and back (H. Hinnant's algorithms, proleptic
 * Gregorian): the same days as base/sextant-day's GDate, without its cost, since pricing many
 * bonds walks many schedules. */
void
sextant_civil_from_day (gint32  day,
                        int    *year,
                        int    *month,
                        int    *mday)
{
  gint64 z = (gint64) day + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int m = (int) (mp < 10 ? mp + 3 : mp - 9);

  *mday = (int) (doy - (153 * mp + 2) / 5 + 1);
  *month = m;
  *year = (int) (yoe + era * 400 + (m <= 2));
}

gint32
sextant_civil_to_day (int year,
                      int month,
                      int mday)
{
  gint64 y = year - (month <= 2);
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + mday - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return (gint32) (era * 146097 + doe - 719468);
}

static int
days_in_month (int year,
               int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  return month == 2 && leap ? 29 : days[month - 1];
}

/**
 * sextant_day_is_month_end:
 * @day: days since 1970-01-01
 *
 * Returns: %TRUE when @day is the last day of its month
 */
gboolean
sextant_day_is_month_end (gint32 day)
{
  int year, month, mday;

  sextant_civil_from_day (day, &year, &month, &mday);
  return mday == days_in_month (year, month);
}


/* A day split once, shifted by whole months many times: the schedule's dates are all
 * maturity − k periods. */
typedef struct
{
  int      year, month, mday;
  gboolean month_end;
} SplitDay;

static void
split_day (gint32    day,
           SplitDay *split)
{
  sextant_civil_from_day (day, &split->year, &split->month, &split->mday);
  split->month_end = split->mday == days_in_month (split->year, split->month);
}

static gint32
split_add_months (const SplitDay *split,
                  int             months,
                  gboolean        end_of_month)
{
  int total = split->year * 12 + (split->month - 1) + months;
  int year = total / 12, month = total % 12 + 1, last = days_in_month (year, month);
  int mday = split->mday;

  if (mday > last || (end_of_month && split->month_end))
    mday = last;
  return sextant_civil_to_day (year, month, mday);
}

/**
 * sextant_day_add_months:
 * @day: days since 1970-01-01
 * @months: months to add, negative to go back
 * @end_of_month: move a month's last day to the result month's last day
 *
 * A day of the month the result month lacks becomes its last day (31 January + 1 month is
 * 28 or 29 February), as QuantLib's `Date + Period` does.
 *
 * Returns: the day
 */
gint32
sextant_day_add_months (gint32   day,
                        int      months,
                        gboolean end_of_month)
{
  SplitDay split;

  split_day (day, &split);
  return split_add_months (&split, months, end_of_month);
}

/**
 * sextant_coupon_schedule_backward:
 * @effective: the first accrual day
 * @maturity: the last payment day
 * @months_per_period: 12 / frequency
 * @end_of_month: keep coupon days on months' last days
 * @n_periods: (out): the number of periods
 *
 * Builds the schedule as QuantLib's `DateGeneration.Backward` with no calendar and no
 * adjustment: coupon days are maturity − k periods, each computed from maturity (not from the
 * day after it, so a 31st is not lost after a short month), and a first period shorter than a
 * whole one is measured against the whole period that ends where it ends.
 *
 * Returns: (transfer full) (array length=n_periods): the periods, oldest first, or %NULL when
 *   @effective is not before @maturity
 */
SextantCouponPeriod *
sextant_coupon_schedule_backward (gint32    effective,
                                  gint32    maturity,
                                  int       months_per_period,
                                  gboolean  end_of_month,
                                  gsize    *n_periods)
{
  g_autoptr(GArray) days = NULL;
  SextantCouponPeriod *periods;
  gboolean short_first = FALSE;
  SplitDay split;
  gsize n;

  *n_periods = 0;
  if (effective >= maturity || months_per_period <= 0)
    return NULL;

  days = g_array_sized_new (FALSE, FALSE, sizeof (gint32),
                            (maturity - effective) / (28 * months_per_period) + 3);
  split_day (maturity, &split);
  g_array_append_val (days, maturity);
  for (int k = 1;; k++)
    {
      gint32 day = split_add_months (&split, -k * months_per_period, end_of_month);

      if (day < effective)
        break;
      g_array_append_val (days, day);
    }
  if (g_array_index (days, gint32, days->len - 1) != effective)
    {
      g_array_append_val (days, effective);
      short_first = TRUE;
    }

  n = days->len - 1;
  periods = g_new (SextantCouponPeriod, n);
  for (gsize i = 0; i < n; i++)
    {
      SextantCouponPeriod *p = &periods[i];

      p->start = g_array_index (days, gint32, n - i);
      p->end = g_array_index (days, gint32, n - i - 1);
      p->reference_end = p->end;
      p->reference_start = p->start;
      /* QuantLib's FixedRateLeg measures a short first coupon against `end - tenor`, a plain
       * date shift even under the end-of-month rule. */
      if (i == 0 && short_first)
        p->reference_start = sextant_day_add_months (p->end, -months_per_period, FALSE);
    }
  *n_periods = n;
  return periods;
}

/**
 * sextant_coupon_schedule_grid_before:
 * @settlement: a day before @maturity
 * @maturity: the last payment day
 * @months_per_period: 12 / frequency
 * @end_of_month: keep coupon days on months' last days
 *
 * The coupon day of the backward grid one whole period before the last one on or before
 * @settlement: an issue day from which every period from settlement on is regular, and which is
 * not itself the settlement day.
 *
 * Returns: that day
 */
gint32
sextant_coupon_schedule_grid_before (gint32   settlement,
                                     gint32   maturity,
                                     int      months_per_period,
                                     gboolean end_of_month)
{
  /* Start a period short of the estimate from the days between, and step back from there. */
  int k = MAX (1, (int) ((maturity - settlement) / (30.4375 * months_per_period)) - 1);
  SplitDay split;

  split_day (maturity, &split);
  for (;; k++)
    {
      gint32 day = split_add_months (&split, -k * months_per_period, end_of_month);

      if (day <= settlement)
        return split_add_months (&split, -(k + 1) * months_per_period, end_of_month);
    }
}
