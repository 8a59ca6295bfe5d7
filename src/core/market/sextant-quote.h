#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEXTANT_TYPE_QUOTE (sextant_quote_get_type ())

/**
 * SextantQuote:
 * @symbol: the instrument
 * @price: last price
 * @change: change against the previous close (NaN when the provider gives none)
 * @change_percent: the same in percent (NaN when unknown)
 * @previous_close: the previous session's close (NaN when unknown)
 * @open: session open (NaN when unknown)
 * @high: session high (NaN when unknown)
 * @low: session low (NaN when unknown)
 * @volume: session volume (NaN when unknown)
 * @as_of: when the price was current, unix seconds (UTC)
 * @fetched_at: when Sextant received it, unix seconds
 * @provider: the id of the provider that gave it (`alphavantage`, `finnhub`, `stooq`, `yahoo`,
 *   `demo`, `csv`)
 * @stale: %TRUE when @as_of is older than the caller's staleness threshold
 *
 * A last price with the time it was true. A quote is never shown without its "as of" time: users
 * of free feeds get delayed or end-of-day prices and must be able to tell.
 */
typedef struct
{
  char     *symbol;
  double    price;
  double    change;
  double    change_percent;
  double    previous_close;
  double    open;
  double    high;
  double    low;
  double    volume;
  gint64    as_of;
  gint64    fetched_at;
  char     *provider;
  gboolean  stale;
} SextantQuote;

GType         sextant_quote_get_type (void) G_GNUC_CONST;
SextantQuote *sextant_quote_new      (const char         *symbol,
                                      const char         *provider);
SextantQuote *sextant_quote_copy     (const SextantQuote *self);
void          sextant_quote_free     (SextantQuote       *self);
void          sextant_quote_update_stale (SextantQuote   *self,
                                      gint64              now,
                                      gint64              max_age_seconds);

int           sextant_quote_price_decimals (double        value);
char         *sextant_quote_format_price  (double             value,
                                           int                decimals);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantQuote, sextant_quote_free)

G_END_DECLS
