#define G_LOG_DOMAIN "test-money-format"

#include "config.h"

#include <locale.h>
#include <math.h>

#include "sextant-money-format.h"

static void
check (double      amount,
       const char *currency,
       int         decimals,
       const char *expected)
{
  g_autofree char *text = sextant_format_money (amount, currency, decimals);

  g_assert_cmpstr (text, ==, expected);
}

/* The C locale groups no digits; a locale's grouping comes from printf's ' flag. */
static void
test_formats (void)
{
  check (12340.5, "USD", 2, "$12340.50");
  check (12340.5, NULL, 0, "$12340");
  check (-1200, "eur", 0, "−€1200");
  check (999.994, "GBP", 2, "£999.99");
  check (150000, "JPY", 0, "¥150000");
  check (12340, "CHF", 0, "CHF 12340");
  check (-5.25, "sek", 2, "−SEK 5.25");
  check (-0.4, "EUR", 0, "€0");
  check (NAN, "EUR", 2, "—");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/money-format/formats", test_formats);

  return g_test_run ();
}
