#define G_LOG_DOMAIN "sextant-quote"

#include "config.h"

#include <math.h>

#include "market/sextant-quote.h"

G_DEFINE_BOXED_TYPE (SextantQuote, sextant_quote, sextant_quote_copy, sextant_quote_free)

/**
 * sextant_quote_new:
 * @symbol: the instrument
 * @provider: the provider id
 *
 * Returns: (transfer full): a quote whose numbers are all NaN until set
 */
SextantQuote *
sextant_quote_new (const char *symbol,
                   const char *provider)
{
  SextantQuote *self = g_new0 (SextantQuote, 1);

  g_return_val_if_fail (symbol != NULL, NULL);

  self->symbol = g_strdup (symbol);
  self->provider = g_strdup (provider);
  self->price = self->change = self->change_percent = self->previous_close = NAN;
  self->open = self->high = self->low = self->volume = NAN;
  self->fetched_at = g_get_real_time () / G_USEC_PER_SEC;

  return self;
}

SextantQuote *
sextant_quote_copy (const SextantQuote *self)
{
  SextantQuote *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->symbol = g_strdup (self->symbol);
  copy->provider = g_strdup (self->provider);

  return copy;
}

void
sextant_quote_free (SextantQuote *self)
{
  if (self == NULL)
    return;

  g_free (self->symbol);
  g_free (self->provider);
  g_free (self);
}

/**
 * sextant_quote_update_stale:
 * @self: a quote
 * @now: the current time, unix seconds (a parameter so that tests can fix it)
 * @max_age_seconds: how old @as_of may be before the quote is stale
 */
void
sextant_quote_update_stale (SextantQuote *self,
                            gint64        now,
                            gint64        max_age_seconds)
{
  g_return_if_fail (self != NULL);

  self->stale = now - self->as_of > max_age_seconds;
}

/* The fewest decimals (up to @max) that give @value back when read as a double, or as a float
 * when @as_float; -1 if none does. */
static int
round_trip_decimals (double   value,
                     int      max,
                     gboolean as_float)
{
  for (int decimals = 0; decimals <= max; decimals++)
    {
      char format[16];
      char text[G_ASCII_DTOSTR_BUF_SIZE + 32];
      double back;

      g_snprintf (format, sizeof format, "%%.%df", decimals);
      g_ascii_formatd (text, sizeof text, format, value);
      back = g_ascii_strtod (text, NULL);
      if (as_float ? (float) back == (float) value : back == value)
        return decimals;
    }

  return -1;
}

/**
 * sextant_quote_price_decimals:
 * @value: a price as a provider sent it
 *
 * How many decimals show @value as the provider wrote it: `18606.59` has 2, `1.1252` has 4. A
 * value that is exactly a float (Yahoo's chart values are rounded to float) gets the decimals of
 * the shortest text that float came from, not the float's noise (`51.29999923706055` is 51.3).
 *
 * Returns: the decimals, at most 8
 */
int
sextant_quote_price_decimals (double value)
{
  int decimals;

  if (!isfinite (value))
    return 2;
  if ((decimals = round_trip_decimals (value, 8, FALSE)) >= 0)
    return decimals;
  if ((double) (float) value == value && (decimals = round_trip_decimals (value, 8, TRUE)) >= 0)
    return decimals;

  return 8;
}

/**
 * sextant_quote_format_price:
 * @value: a price
 * @decimals: decimals to show, or -1 for sextant_quote_price_decimals()
 *
 * Returns: (transfer full): @value in fixed notation (never an exponent, never `nan`: a missing
 *   value is an em dash)
 */
char *
sextant_quote_format_price (double value,
                            int    decimals)
{
  char format[16];
  char text[G_ASCII_DTOSTR_BUF_SIZE + 32];

  if (!isfinite (value))
    return g_strdup ("—");
  if (decimals < 0)
    decimals = sextant_quote_price_decimals (value);
  g_snprintf (format, sizeof format, "%%.%df", decimals);

  return g_strdup (g_ascii_formatd (text, sizeof text, format, value));
}
