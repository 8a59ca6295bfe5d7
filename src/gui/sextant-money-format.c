#define G_LOG_DOMAIN "sextant-money-format"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-money-format.h"

/* Money in any ISO 4217 currency. The few currencies whose sign nobody misreads get it ("$",
 * "€", "£", "¥"); every other code is written out ("CHF 12,340"), which is what a desk reads
 * anyway and never confuses the Canadian dollar with the American one. Digits are grouped as
 * the locale groups them (printf's ' flag follows LC_NUMERIC), and translators may move the
 * sign after the amount, as German writes "12.340 €". */

static const struct
{
  const char *code;
  const char *sign;
} signs[] = {
  { "USD", "$" }, { "EUR", "€" }, { "GBP", "£" }, { "JPY", "¥" },
};

/**
 * sextant_format_money:
 * @amount: an amount
 * @currency: (nullable): its ISO 4217 code, any case; %NULL or empty is taken as USD
 * @decimals: digits after the decimal point (0 for whole units)
 *
 * Returns: (transfer full): @amount with its currency, as "$12,340.50", "−€1,200" or
 *   "CHF 12,340"; "—" for an amount that is not a number
 */
char *
sextant_format_money (double      amount,
                      const char *currency,
                      int         decimals)
{
  g_autofree char *code = NULL;
  g_autofree char *number = NULL;
  const char *sign = NULL;
  const char *minus = amount < 0 ? "−" : "";

  g_return_val_if_fail (decimals >= 0 && decimals <= 6, NULL);

  if (!isfinite (amount))
    return g_strdup ("—");
  code = g_ascii_strup (currency != NULL && currency[0] != '\0' ? currency : "USD", -1);
  number = g_strdup_printf ("%'.*f", decimals, fabs (amount));
  /* A negative amount that rounds to zero is shown as zero, not as a loss. */
  if (round (fabs (amount) * pow (10, decimals)) == 0)
    minus = "";
  for (guint i = 0; i < G_N_ELEMENTS (signs); i++)
    if (g_strcmp0 (code, signs[i].code) == 0)
      sign = signs[i].sign;

  if (sign != NULL)
    /* Translators: a minus sign or nothing, a currency sign, then the amount ("−$1,234");
     * reorder as "%1$s%3$s %2$s" where the sign follows the amount */
    return g_strdup_printf (_("%1$s%2$s%3$s"), minus, sign, number);

  /* Translators: a minus sign or nothing, an ISO 4217 code, then the amount ("−CHF 1,234");
   * reorder as "%1$s%3$s %2$s" where the code follows the amount */
  return g_strdup_printf (_("%1$s%2$s %3$s"), minus, code, number);
}
