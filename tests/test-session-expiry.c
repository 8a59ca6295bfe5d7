#include "config.h"

#include "sextant-core.h"

static void
test_classify (void)
{
  gint64 left = -1;
  const gint64 now = 1795000000; /* an arbitrary instant; only differences matter */

  g_assert_cmpint (sextant_session_expiry_classify (0, now, &left), ==, SEXTANT_SESSION_EXPIRY_UNKNOWN);
  g_assert_cmpint (left, ==, 0);
  /* One hour left is outside the 15-minute warning period. */
  g_assert_cmpint (sextant_session_expiry_classify (now + 3600, now, &left), ==,
                   SEXTANT_SESSION_EXPIRY_VALID);
  g_assert_cmpint (left, ==, 3600);
  /* Exactly 15 minutes left is the first moment of the warning. */
  g_assert_cmpint (sextant_session_expiry_classify (now + 900, now, NULL), ==,
                   SEXTANT_SESSION_EXPIRY_SOON);
  g_assert_cmpint (sextant_session_expiry_classify (now + 901, now, NULL), ==,
                   SEXTANT_SESSION_EXPIRY_VALID);
  g_assert_cmpint (sextant_session_expiry_classify (now, now, &left), ==,
                   SEXTANT_SESSION_EXPIRY_EXPIRED);
  g_assert_cmpint (sextant_session_expiry_classify (now - 5, now, &left), ==,
                   SEXTANT_SESSION_EXPIRY_EXPIRED);
  g_assert_cmpint (left, ==, -5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/session-expiry/classify", test_classify);

  return g_test_run ();
}
