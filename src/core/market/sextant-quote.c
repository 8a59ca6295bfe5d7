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
