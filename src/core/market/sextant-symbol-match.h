#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEXTANT_TYPE_SYMBOL_MATCH (sextant_symbol_match_get_type ())

/**
 * SextantSymbolMatch:
 * @symbol: the symbol to ask prices for (`AAPL`, `TSCO.LON`)
 * @name: (nullable): the instrument's name ("Apple Inc")
 * @type: (nullable): the provider's kind of instrument (`Equity`, `Common Stock`, `ETF`)
 * @region: (nullable): where it trades ("United States"), as the provider says it
 * @currency: (nullable): ISO 4217 code, when the provider gives one
 * @exchange: (nullable): the exchange, when known
 * @score: how well it matched, 0..1 (1 for an exact symbol; NaN when the provider gives none)
 * @source: where the match came from: a provider id, or `local` for the market cache
 * @has_bars: whether the market cache holds daily bars for @symbol
 *
 * One answer to "which instrument did the user mean", from the local store or a provider's
 * symbol search.
 */
typedef struct
{
  char     *symbol;
  char     *name;
  char     *type;
  char     *region;
  char     *currency;
  char     *exchange;
  double    score;
  char     *source;
  gboolean  has_bars;
} SextantSymbolMatch;

GType               sextant_symbol_match_get_type (void) G_GNUC_CONST;
SextantSymbolMatch *sextant_symbol_match_new      (const char               *symbol,
                                                   const char               *source);
SextantSymbolMatch *sextant_symbol_match_copy     (const SextantSymbolMatch *self);
void                sextant_symbol_match_free     (SextantSymbolMatch       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantSymbolMatch, sextant_symbol_match_free)

G_END_DECLS
