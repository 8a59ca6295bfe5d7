#define G_LOG_DOMAIN "sextant-coupon-schedule"

#include "config.h"

#include "analytics/sextant-coupon-schedule.h"
#include "base/sextant-day.h"

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
  int next_year, next_month, next_mday;

  sextant_day_to_ymd (day, &year, &month, &mday);
  sextant_day_to_ymd (day + 1, &next_year, &next_month, &next_mday);
  return next_month != month;
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
  int year, month, mday, total, last;
  gboolean was_month_end = sextant_day_is_month_end (day);

  sextant_day_to_ymd (day, &year, &month, &mday);
  total = year * 12 + (month - 1) + months;
  year = total / 12;
  month = total % 12 + 1;
  last = days_in_month (year, month);
  if (mday > last || (end_of_month && was_month_end))
    mday = last;
  return sextant_day_from_ymd (year, month, mday);
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
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (gint32));
  SextantCouponPeriod *periods;
  gboolean short_first = FALSE;
  gsize n;

  *n_periods = 0;
  if (effective >= maturity || months_per_period <= 0)
    return NULL;

  g_array_append_val (days, maturity);
  for (int k = 1;; k++)
    {
      gint32 day = sextant_day_add_months (maturity, -k * months_per_period, end_of_month);

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
  for (int k = 1;; k++)
    {
      gint32 day = sextant_day_add_months (maturity, -k * months_per_period, end_of_month);

      if (day <= settlement)
        return sextant_day_add_months (maturity, -(k + 1) * months_per_period, end_of_month);
    }
}
