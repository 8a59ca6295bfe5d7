#define G_LOG_DOMAIN "test-frontier"

#include "config.h"

#include <math.h>

#include "sextant-core.h"
#include "sextant-test-util.h"
#include "test-risk-fixture.h"

/* `frontier_20` of tests/data/portfolio/spisector_reference.json: per row the target return,
 * the volatility and the nine weights (R quadprog, make_reference.R). */
static void
test_spisector_frontier (void)
{
  g_autoptr(SpiFixture) fx = spi_fixture_load ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantOptimizer) opt = NULL;
  JsonArray *rows = json_object_get_array_member (fx->ref, "frontier_20");
  double ret[20], vol[20];
  g_autofree double *w = g_new (double, 20 * fx->k);

  opt = sextant_optimizer_new (fx->mean, fx->covariance, fx->k,
                               (const char * const *) fx->assets->names, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rows), ==, 20);
  g_assert_true (sextant_optimizer_frontier (opt, 20, ret, vol, w, &error));
  g_assert_no_error (error);

  for (guint p = 0; p < 20; p++)
    {
      JsonArray *row = json_array_get_array_element (rows, p);

      sextant_assert_close_rel (ret[p], json_array_get_double_element (row, 0), 1e-8);
      sextant_assert_close_rel (vol[p], json_array_get_double_element (row, 1), 1e-8);
      for (gsize j = 0; j < fx->k; j++)
        if (fabs (w[p * fx->k + j] - json_array_get_double_element (row, 2 + j)) > 1e-6)
          g_error ("point %u, %s: %.15g, expected %.15g", p, fx->assets->names[j],
                   w[p * fx->k + j], json_array_get_double_element (row, 2 + j));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/frontier/spisector-20", test_spisector_frontier);

  return g_test_run ();
}
