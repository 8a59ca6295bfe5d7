#define G_LOG_DOMAIN "test-price-history"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

static void
put_bars (SextantMarketCache *cache,
          const char         *symbol,
          const gint32       *days,
          gsize               n)
{
  g_autoptr(SextantPriceSeries) bars = sextant_price_series_new (symbol, n);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < n; i++)
    sextant_price_series_set_row (bars, i, days[i], 50 + i, 50 + i, 50 + i, 50 + i, 1000);
  g_assert_true (sextant_market_cache_put_bars (cache, bars, "csv", 1700000000, &error));
  g_assert_no_error (error);
}

/* Bundled closes of A and B on days 10–13; the cache gets C on days 100–102, then A twice
 * across a hole (20–21 and 200–202). Each expected table is written out by hand below. */
static void
test_collect (void)
{
  const char *names[] = { "A", "B", NULL };
  const char *abc[] = { "A", "B", "C", NULL };
  const char *ac[] = { "A", "C", NULL };
  const gint32 c_days[] = { 100, 101, 102 };
  const gint32 a_days[] = { 20, 21, 200, 201, 202 };
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(SextantPriceTable) bundled = sextant_price_table_new (4, names);
  g_autoptr(SextantPriceTable) table = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  gboolean fetched = TRUE;

  for (gsize t = 0; t < 4; t++)
    {
      sextant_price_table_get_days_mutable (bundled)[t] = 10 + t;
      sextant_price_table_get_column_mutable (bundled, 0)[t] = 1 + t;
      sextant_price_table_get_column_mutable (bundled, 1)[t] = 5 + t;
    }
  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  cache = sextant_market_cache_new (store);

  /* Nothing stored: the bundled columns, and C, which nobody has, all NaN. */
  table = sextant_price_history_collect (cache, bundled, abc, &fetched);
  g_assert_false (fetched);
  g_assert_cmpuint (sextant_price_table_get_n_rows (table), ==, 4);
  g_assert_cmpfloat (sextant_price_table_get_column (table, 1)[3], ==, 8);
  for (gsize t = 0; t < 4; t++)
    g_assert_true (isnan (sextant_price_table_get_column (table, 2)[t]));
  g_clear_pointer (&table, sextant_price_table_unref);

  /* C stored, A not: A's bundled days and C's stored ones, side by side on 7 days. */
  put_bars (cache, "C", c_days, G_N_ELEMENTS (c_days));
  table = sextant_price_history_collect (cache, bundled, ac, &fetched);
  g_assert_false (fetched);
  g_assert_cmpuint (sextant_price_table_get_n_rows (table), ==, 7);
  g_assert_cmpint (sextant_price_table_get_days (table)[4], ==, 100);
  g_assert_cmpfloat (sextant_price_table_get_column (table, 0)[0], ==, 1);
  g_assert_true (isnan (sextant_price_table_get_column (table, 0)[4]));
  g_assert_true (isnan (sextant_price_table_get_column (table, 1)[0]));
  g_assert_cmpfloat (sextant_price_table_get_column (table, 1)[4], ==, 50);
  g_clear_pointer (&table, sextant_price_table_unref);

  /* A stored too: both from the cache, A from its newest run only (200–202, not 20–21). */
  put_bars (cache, "A", a_days, G_N_ELEMENTS (a_days));
  table = sextant_price_history_collect (cache, bundled, ac, &fetched);
  g_assert_true (fetched);
  g_assert_cmpuint (sextant_price_table_get_n_rows (table), ==, 6);
  g_assert_cmpint (sextant_price_table_get_days (table)[0], ==, 100);
  g_assert_cmpint (sextant_price_table_get_days (table)[3], ==, 200);
  g_assert_cmpfloat (sextant_price_table_get_column (table, 0)[3], ==, 52);
  g_assert_true (isnan (sextant_price_table_get_column (table, 0)[0]));

  g_clear_pointer (&table, sextant_price_table_unref);

  /* No holdings (a new portfolio): an empty table. */
  {
    const char *none[] = { NULL };

    table = sextant_price_history_collect (cache, bundled, none, &fetched);
    g_assert_false (fetched);
    g_assert_cmpuint (sextant_price_table_get_n_rows (table), ==, 0);
    g_assert_cmpuint (sextant_price_table_get_n_columns (table), ==, 0);
  }

  g_clear_object (&cache);
  g_clear_object (&store);
  sextant_test_remove_temp_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/market/price-history/collect", test_collect);

  return g_test_run ();
}
