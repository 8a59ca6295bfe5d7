#define G_LOG_DOMAIN "test-stress-scenario"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* User-defined stress scenarios (issue 14): their P&L, checked by hand, and their table. */

static void
test_apply (void)
{
  const char *symbols[] = { "A", "B", "C" };
  const char *currencies[] = { "USD", "EUR", "EUR" };
  const double weights[] = { 0.5, 0.3, 0.2 };
  g_autoptr(SextantStressScenario) s = sextant_stress_scenario_new ("Euro crisis");
  g_autoptr(GError) error = NULL;
  double shocks[3], pnl[3], total;

  /* Market −10 %, C −30 % instead, EUR −5 % against the base, on $1,000,000:
   *   A  −10 %                         × 0.5 → −50,000
   *   B  0.90 · 0.95 − 1 = −14.5 %     × 0.3 → −43,500
   *   C  0.70 · 0.95 − 1 = −33.5 %     × 0.2 → −67,000     total −160,500 */
  s->market = -0.10;
  sextant_stress_scenario_set_instrument (s, "C", -0.50);
  sextant_stress_scenario_set_instrument (s, "C", -0.30);   /* replaces, does not add */
  sextant_stress_scenario_set_currency (s, "EUR", -0.05);
  g_assert_cmpuint (s->instruments->len, ==, 1);
  g_assert_true (sextant_stress_scenario_apply (s, 3, symbols, currencies, weights, 1e6, shocks, pnl,
                                                &total, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (shocks[0], -0.10, 1e-15);
  g_assert_cmpfloat_with_epsilon (shocks[1], -0.145, 1e-15);
  g_assert_cmpfloat_with_epsilon (shocks[2], -0.335, 1e-15);
  g_assert_cmpfloat_with_epsilon (pnl[0], -50000, 1e-8);
  g_assert_cmpfloat_with_epsilon (pnl[1], -43500, 1e-8);
  g_assert_cmpfloat_with_epsilon (pnl[2], -67000, 1e-8);
  g_assert_cmpfloat_with_epsilon (total, -160500, 1e-8);

  /* Without currencies every holding is in the base currency: −50,000 − 30,000 − 60,000. */
  g_assert_true (sextant_stress_scenario_apply (s, 3, symbols, NULL, weights, 1e6, NULL, NULL,
                                                &total, &error));
  g_assert_cmpfloat_with_epsilon (total, -140000, 1e-8);

  /* A fall of more than 100 % is refused. */
  sextant_stress_scenario_set_instrument (s, "A", -1.5);
  g_assert_false (sextant_stress_scenario_apply (s, 3, symbols, NULL, weights, 1e6, NULL, NULL,
                                                 &total, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

static void
test_store (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "stress.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStressScenario) s = sextant_stress_scenario_new ("Rates up");
  g_autoptr(SextantStressScenario) empty = sextant_stress_scenario_new ("  ");
  g_autoptr(SextantStressScenario) loaded = NULL;
  g_auto(GStrv) names = NULL;
  SextantStore *store;
  sqlite3_stmt *count;

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  s->market = -0.07;
  sextant_stress_scenario_set_instrument (s, "MSFT", -0.2);
  sextant_stress_scenario_set_currency (s, "JPY", 0.04);
  g_assert_true (sextant_stress_scenario_save (store, s, &error));
  g_assert_no_error (error);
  g_assert_false (sextant_stress_scenario_save (store, empty, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Saving under the same name replaces the scenario and its shocks. */
  g_clear_pointer (&s, sextant_stress_scenario_free);
  s = sextant_stress_scenario_new ("Rates up");
  s->market = -0.05;
  sextant_stress_scenario_set_instrument (s, "KO", 0.01);
  g_assert_true (sextant_stress_scenario_save (store, s, &error));
  g_clear_pointer (&s, sextant_stress_scenario_free);
  s = sextant_stress_scenario_new ("Crash");
  s->market = -0.3;
  g_assert_true (sextant_stress_scenario_save (store, s, &error));
  g_assert_finalize_object (store);

  /* Reopened: both are there, in name order, as saved. */
  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  names = sextant_stress_scenario_list_names (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, ((const char *[]) { "Crash", "Rates up", NULL }));
  loaded = sextant_stress_scenario_load (store, "Rates up", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (loaded->market, ==, -0.05);
  g_assert_cmpuint (loaded->instruments->len, ==, 1);
  g_assert_cmpstr (g_array_index (loaded->instruments, SextantStressShock, 0).key, ==, "KO");
  g_assert_cmpfloat (g_array_index (loaded->instruments, SextantStressShock, 0).shock, ==, 0.01);
  g_assert_cmpuint (loaded->currencies->len, ==, 0);
  g_clear_pointer (&loaded, sextant_stress_scenario_free);

  /* A deleted scenario takes its shocks with it. */
  g_assert_true (sextant_stress_scenario_delete (store, "Rates up", &error));
  loaded = sextant_stress_scenario_load (store, "Rates up", &error);
  g_assert_null (loaded);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND);
  count = sextant_store_prepare (store, "SELECT count(*) FROM stress_shocks", NULL);
  g_assert_cmpint (sqlite3_step (count), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (count, 0), ==, 0);
  sqlite3_finalize (count);
  g_assert_finalize_object (store);

  remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/stress-scenario/apply", test_apply);
  g_test_add_func ("/sextant/stress-scenario/store", test_store);

  return g_test_run ();
}
