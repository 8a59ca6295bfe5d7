#define G_LOG_DOMAIN "sextant-symbol-match"

#include "config.h"

#include <math.h>

#include "market/sextant-symbol-match.h"

G_DEFINE_BOXED_TYPE (SextantSymbolMatch, sextant_symbol_match, sextant_symbol_match_copy,
                     sextant_symbol_match_free)

/**
 * sextant_symbol_match_new:
 * @symbol: the symbol
 * @source: a provider id, or `local`
 *
 * Returns: (transfer full): a match with no name, currency or score yet
 */
SextantSymbolMatch *
sextant_symbol_match_new (const char *symbol,
                          const char *source)
{
  SextantSymbolMatch *self;

  g_return_val_if_fail (symbol != NULL, NULL);

  self = g_new0 (SextantSymbolMatch, 1);
  self->symbol = g_strdup (symbol);
  self->source = g_strdup (source);
  self->score = NAN;

  return self;
}

/**
 * sextant_symbol_match_copy:
 * @self: a match
 *
 * Returns: (transfer full): a copy
 */
SextantSymbolMatch *
sextant_symbol_match_copy (const SextantSymbolMatch *self)
{
  SextantSymbolMatch *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = sextant_symbol_match_new (self->symbol, self->source);
  copy->name = g_strdup (self->name);
  copy->type = g_strdup (self->type);
  copy->region = g_strdup (self->region);
  copy->currency = g_strdup (self->currency);
  copy->exchange = g_strdup (self->exchange);
  copy->score = self->score;
  copy->has_bars = self->has_bars;

  return copy;
}

void
sextant_symbol_match_free (SextantSymbolMatch *self)
{
  if (self == NULL)
    return;

  g_free (self->symbol);
  g_free (self->name);
  g_free (self->type);
  g_free (self->region);
  g_free (self->currency);
  g_free (self->exchange);
  g_free (self->source);
  g_free (self);
}
