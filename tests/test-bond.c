#define G_LOG_DOMAIN "test-bond"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Every expected number comes from QuantLib 1.29 through tests/data/rates/make_bond_reference.py
 * (bond_reference.csv); the README there gives the conventions. */

typedef struct
{
  SextantBond bond;
  gint32      settlement;
  gboolean    given_yield;
  double      value;
  double      expected[8];
} BondCase;

static GPtrArray *
load_cases (void)
{
  g_autofree char *path = sextant_test_reference_path ("rates/bond_reference.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      BondCase *c = g_new0 (BondCase, 1);

      g_assert_cmpuint (g_strv_length (f), ==, 16);
      c->bond.coupon = g_ascii_strtod (f[0], NULL) / 100.0;
      g_assert_true (sextant_day_parse_iso (f[1], &c->bond.maturity));
      g_assert_true (sextant_day_parse_iso (f[2], &c->settlement));
      c->bond.frequency = atoi (f[3]);
      g_assert_true (sextant_day_count_from_name (f[4], &c->bond.day_count));
      c->bond.face = g_ascii_strtod (f[5], NULL);
      c->given_yield = g_str_equal (f[6], "yield");
      c->value = g_ascii_strtod (f[7], NULL);
      for (int k = 0; k < 8; k++)
        c->expected[k] = g_ascii_strtod (f[8 + k], NULL);
      g_ptr_array_add (cases, c);
    }
  g_assert_cmpuint (cases->len, >=, 20);
  return cases;
}

/* The targets: prices and yields to 1e-10 relative, durations and convexity to 1e-8. A
 * price QuantLib quotes as 0 (no accrued on a coupon day) must be 0 to 1e-12 absolute. */
static void
check_figures (const BondCase             *c,
               const SextantBondAnalytics *a,
               guint                       row)
{
  const double got[8] = { a->clean_price, a->dirty_price, a->accrued, a->yield * 100,
                          a->macaulay_duration, a->modified_duration, a->convexity, a->dv01 };
  static const char * const names[8] = { "clean", "dirty", "accrued", "yield", "macaulay",
                                          "modified", "convexity", "dv01" };

  for (int k = 0; k < 8; k++)
    {
      double tol = k < 4 ? 1e-10 : 1e-8;
      double scale = MAX (fabs (c->expected[k]), k == 2 ? 1.0 : 1e-300);

      if (fabs (got[k] - c->expected[k]) > tol * scale)
        g_error ("row %u %s: %.17g, QuantLib %.17g", row, names[k], got[k], c->expected[k]);
    }
}

static void
test_against_quantlib (void)
{
  g_autoptr(GPtrArray) cases = load_cases ();

  for (guint i = 0; i < cases->len; i++)
    {
      const BondCase *c = cases->pdata[i];
      SextantBondAnalytics a;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (c->given_yield)
        ok = sextant_bond_from_yield (&c->bond, c->settlement, c->value / 100.0, &a, &error);
      else
        ok = sextant_bond_from_clean_price (&c->bond, c->settlement, c->value, &a, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
      check_figures (c, &a, i + 2);
    }
}

/* The round trip price → yield → price returns the price to 1e-12. */
static void
test_round_trip (void)
{
  SextantBond bond = { 0.0425, 0, 2, SEXTANT_DAY_COUNT_ACT_ACT_ICMA, 100 };
  SextantBondAnalytics from_yield, from_price;
  gint32 settlement;
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_day_parse_iso ("2034-11-15", &bond.maturity));
  g_assert_true (sextant_day_parse_iso ("2026-12-07", &settlement));
  for (double y = -0.01; y < 0.2; y += 0.0137)
    {
      g_assert_true (sextant_bond_from_yield (&bond, settlement, y, &from_yield, &error));
      g_assert_true (sextant_bond_from_clean_price (&bond, settlement, from_yield.clean_price,
                                                    &from_price, &error));
      g_assert_no_error (error);
      sextant_assert_close_rel (from_price.yield, y, 1e-12);
    }
}

static void
test_bad_input (void)
{
  SextantBond bond = { 0.05, 0, 2, SEXTANT_DAY_COUNT_30_360, 100 };
  SextantBondAnalytics a;
  gint32 settlement;
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_day_parse_iso ("2030-01-15", &bond.maturity));
  g_assert_true (sextant_day_parse_iso ("2030-01-15", &settlement));
  g_assert_false (sextant_bond_from_yield (&bond, settlement, 0.05, &a, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "not before the maturity 2030-01-15"));
  g_clear_error (&error);

  settlement -= 400;
  bond.frequency = 3;
  g_assert_false (sextant_bond_from_yield (&bond, settlement, 0.05, &a, &error));
  g_assert_nonnull (strstr (error->message, "1, 2, 4 or 12"));
  g_clear_error (&error);

  bond.frequency = 2;
  g_assert_false (sextant_bond_from_yield (&bond, settlement, -2.5, &a, &error));
  g_assert_nonnull (strstr (error->message, "not possible"));
  g_clear_error (&error);

  g_assert_false (sextant_bond_from_clean_price (&bond, settlement, -1, &a, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE);
  g_clear_error (&error);

  g_assert_false (sextant_bond_from_clean_price (&bond, settlement, NAN, &a, &error));
  g_assert_nonnull (error);
}

/* Day counts on the cases where they differ, worked by hand: 30/360 Bond Basis counts
 * 2026-01-31 → 2026-03-31 as 60 days (both 31sts become 30ths) and 2026-01-30 → 2026-02-28 as
 * 28; act/act-icma measures 91 days of a 181-day half year as 0.5 × 91/181. */
static void
test_day_counts (void)
{
  gint32 jan30 = sextant_day_from_ymd (2026, 1, 30), jan31 = jan30 + 1;
  gint32 feb28 = sextant_day_from_ymd (2026, 2, 28), mar31 = sextant_day_from_ymd (2026, 3, 31);
  gint32 jul31 = sextant_day_from_ymd (2026, 7, 31);

  g_assert_cmpfloat (sextant_day_count_fraction (SEXTANT_DAY_COUNT_30_360, jan31, mar31, 0, 0),
                     ==, 60.0 / 360);
  g_assert_cmpfloat (sextant_day_count_fraction (SEXTANT_DAY_COUNT_30_360, jan30, feb28, 0, 0),
                     ==, 28.0 / 360);
  g_assert_cmpfloat (sextant_day_count_fraction (SEXTANT_DAY_COUNT_ACT_360, jan31, mar31, 0, 0),
                     ==, 59.0 / 360);
  g_assert_cmpfloat (sextant_day_count_fraction (SEXTANT_DAY_COUNT_ACT_ACT_ICMA, jan31,
                                                 jan31 + 91, jan31, jul31),
                     ==, 0.5 * 91 / 181);
  g_assert_cmpint (sextant_day_add_months (sextant_day_from_ymd (2026, 8, 31), -6, FALSE), ==,
                   feb28);
  g_assert_cmpint (sextant_day_add_months (feb28, 6, TRUE), ==, sextant_day_from_ymd (2026, 8, 31));
  g_assert_cmpint (sextant_day_add_months (feb28, 6, FALSE), ==, sextant_day_from_ymd (2026, 8, 28));
}

/* The schedule's own calendar arithmetic agrees with base/sextant-day (GDate) on every day from
 * 1900 to 2200. */
static void
test_civil_days (void)
{
  for (gint32 day = sextant_day_from_ymd (1900, 1, 1); day < sextant_day_from_ymd (2200, 1, 1);
       day++)
    {
      int y, m, d, gy, gm, gd;

      sextant_civil_from_day (day, &y, &m, &d);
      g_assert_true (sextant_day_to_ymd (day, &gy, &gm, &gd));
      if (y != gy || m != gm || d != gd || sextant_civil_to_day (y, m, d) != day)
        g_error ("day %d: %d-%d-%d, GDate %d-%d-%d", day, y, m, d, gy, gm, gd);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sextant/bond/against-quantlib", test_against_quantlib);
  g_test_add_func ("/sextant/bond/round-trip", test_round_trip);
  g_test_add_func ("/sextant/bond/bad-input", test_bad_input);
  g_test_add_func ("/sextant/bond/day-counts", test_day_counts);
  g_test_add_func ("/sextant/bond/civil-days", test_civil_days);
  return g_test_run ();
}
