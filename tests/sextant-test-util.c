#define G_LOG_DOMAIN "sextant-test-util"

#include "config.h"

#include <math.h>
#include <glib/gstdio.h>

#include "sextant-test-util.h"

/**
 * sextant_test_reference_path:
 * @relative_path: a path below shared/reference, such as `ta/msft_talib.csv`
 *
 * Returns: (transfer full): the absolute path; the test is skipped by the caller if missing
 */
char *
sextant_test_reference_path (const char *relative_path)
{
  const char *dir = g_getenv ("SEXTANT_REFERENCE_DIR");

  g_assert_nonnull (dir);

  return g_build_filename (dir, relative_path, NULL);
}

/**
 * sextant_test_output_path:
 * @file_name: a file name such as `chat-window.png`
 *
 * Returns: (transfer full): a path under the build dir's test-output folder, which is created
 */
char *
sextant_test_output_path (const char *file_name)
{
  const char *dir = g_getenv ("SEXTANT_TEST_OUTPUT_DIR");

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);

  return g_build_filename (dir, file_name, NULL);
}

/**
 * sextant_test_make_temp_dir:
 *
 * Returns: (transfer full): a fresh private directory
 */
char *
sextant_test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sextant-test-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

/**
 * sextant_test_close_rel:
 *
 * Pure relative comparison: |a − e| ≤ tol · |e|; NaN matches only NaN.
 */
gboolean
sextant_test_close_rel (double actual,
                        double expected,
                        double rel_tol)
{
  if (isnan (expected))
    return isnan (actual);

  return fabs (actual - expected) <= rel_tol * fabs (expected);
}

/**
 * sextant_test_close_mixed:
 *
 * Relative comparison that turns absolute near zero, for values that cross zero (MACD, alpha):
 * |a − e| ≤ tol · max(1, |e|), the rule in shared/reference/README.md.
 */
gboolean
sextant_test_close_mixed (double actual,
                          double expected,
                          double tol)
{
  if (isnan (expected))
    return isnan (actual);

  return fabs (actual - expected) <= tol * fmax (1.0, fabs (expected));
}
