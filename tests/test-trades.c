#define G_LOG_DOMAIN "test-trades"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sextant-core.h"

/* Worked by hand: A 10 shares at $50 ($500), B 20 at $25 ($500), C none at $40; the portfolio is
 * worth $1,000. Targets 20 %, 50 %, 30 %: A $200, so (200 − 500)/50 = −6 shares, −$300; B stays;
 * C (300 − 0)/40 = 7.5, rounded away from zero to 8 shares, $320. */
static void
test_trade_list (void)
{
  const double weights[] = { 0.2, 0.5, 0.3 };
  const double quantities[] = { 10, 20, 0 };
  const double closes[] = { 50, 25, 40 };
  SextantTrade trades[3];
  g_autoptr(GError) error = NULL;
  double value = 0;

  g_assert_true (sextant_trade_list_compute (weights, quantities, closes, 3, trades, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (value, ==, 1000);

  g_assert_cmpfloat (trades[0].current_value, ==, 500);
  g_assert_cmpfloat (trades[0].target_value, ==, 200);
  g_assert_cmpfloat (trades[0].shares, ==, -6);
  g_assert_cmpfloat (trades[0].amount, ==, -300);

  g_assert_cmpfloat (trades[1].target_value, ==, 500);
  g_assert_cmpfloat (trades[1].shares, ==, 0);
  g_assert_false (signbit (trades[1].shares));
  g_assert_cmpfloat (trades[1].amount, ==, 0);

  g_assert_cmpfloat (trades[2].close, ==, 40);
  g_assert_cmpfloat (trades[2].current_value, ==, 0);
  g_assert_cmpfloat (trades[2].target_value, ==, 300);
  g_assert_cmpfloat (trades[2].shares, ==, 8);
  g_assert_cmpfloat (trades[2].amount, ==, 320);
}

/* A holding without a close cannot be traded: the error names it (the second, 1-based). */
static void
test_trade_list_no_close (void)
{
  const double weights[] = { 0.5, 0.5 };
  const double quantities[] = { 10, 10 };
  const double closes[] = { 50, NAN };
  SextantTrade trades[2];
  g_autoptr(GError) error = NULL;

  g_assert_false (sextant_trade_list_compute (weights, quantities, closes, 2, trades, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE);
  g_assert_nonnull (strstr (error->message, "Holding 2"));
}

/* Six days, 100 to 105. X has every price; Y starts on day 102 and misses day 104. */
static SextantPriceTable *
gap_table (void)
{
  const char *names[] = { "X", "Y", NULL };
  SextantPriceTable *table = sextant_price_table_new (6, names);
  double *x = sextant_price_table_get_column_mutable (table, 0);
  double *y = sextant_price_table_get_column_mutable (table, 1);
  const double ys[] = { NAN, NAN, 10, 11, NAN, 12 };

  for (gsize t = 0; t < 6; t++)
    {
      sextant_price_table_get_days_mutable (table)[t] = 100 + t;
      x[t] = 1 + t;
      y[t] = ys[t];
    }

  return table;
}

static void
test_gap_summary (void)
{
  g_autoptr(SextantPriceTable) table = gap_table ();
  SextantGapSummary s;

  /* The whole table: days 102, 103 and 105 are kept, 100, 101 and 104 dropped. */
  sextant_price_table_summarize_gaps (table, 0, G_MAXINT32, &s);
  g_assert_cmpuint (s.n_rows, ==, 3);
  g_assert_cmpuint (s.n_dropped, ==, 3);
  g_assert_cmpint (s.first_day, ==, 102);
  g_assert_cmpint (s.last_day, ==, 105);
  g_assert_cmpint (s.late_column, ==, 1);
  g_assert_cmpint (s.late_first_day, ==, 102);
  g_assert_cmpint (s.gap_column, ==, 1);
  g_assert_cmpuint (s.n_gap_rows, ==, 1);

  /* Days 101 to 103: only 101 is dropped, and Y's hole on 104 is outside. */
  sextant_price_table_summarize_gaps (table, 101, 103, &s);
  g_assert_cmpuint (s.n_rows, ==, 2);
  g_assert_cmpuint (s.n_dropped, ==, 1);
  g_assert_cmpint (s.late_column, ==, 1);
  g_assert_cmpint (s.gap_column, ==, -1);

  /* Days 102 to 103: nothing to drop. */
  sextant_price_table_summarize_gaps (table, 102, 103, &s);
  g_assert_cmpuint (s.n_dropped, ==, 0);
  g_assert_cmpint (s.late_column, ==, -1);

  /* Days 100 to 101: Y has no price at all there. */
  sextant_price_table_summarize_gaps (table, 100, 101, &s);
  g_assert_cmpuint (s.n_rows, ==, 0);
  g_assert_cmpint (s.late_column, ==, 1);
  g_assert_cmpint (s.late_first_day, ==, G_MAXINT32);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/trades/list", test_trade_list);
  g_test_add_func ("/sextant/trades/list-no-close", test_trade_list_no_close);
  g_test_add_func ("/sextant/trades/gap-summary", test_gap_summary);

  return g_test_run ();
}
