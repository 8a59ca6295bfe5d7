#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SextantChatPrice:
 * @pattern: matched against model ids (`claude-sonnet-4` matches `us.anthropic.claude-sonnet-4-…`)
 * @input: US dollars per million input tokens
 * @output: US dollars per million output tokens
 */
typedef struct
{
  char   *pattern;
  double  input;
  double  output;
} SextantChatPrice;

#define SEXTANT_TYPE_CHAT_PRICES (sextant_chat_prices_get_type ())

G_DECLARE_FINAL_TYPE (SextantChatPrices, sextant_chat_prices, SEXTANT, CHAT_PRICES, GObject)

SextantChatPrices      *sextant_chat_prices_new          (const char         *path);
guint                   sextant_chat_prices_get_n_prices (SextantChatPrices  *self);
const SextantChatPrice *sextant_chat_prices_get_price    (SextantChatPrices  *self,
                                                          guint               index);
const SextantChatPrice *sextant_chat_prices_lookup       (SextantChatPrices  *self,
                                                          const char         *model_id);
void                    sextant_chat_prices_set          (SextantChatPrices  *self,
                                                          guint               index,
                                                          double              input,
                                                          double              output);
gboolean                sextant_chat_prices_estimate     (SextantChatPrices  *self,
                                                          const char         *model_id,
                                                          gint64              input_tokens,
                                                          gint64              output_tokens,
                                                          double             *cost);
gboolean                sextant_chat_prices_save         (SextantChatPrices  *self,
                                                          GError            **error);
char                   *sextant_chat_prices_format_cost  (double              cost);

G_END_DECLS
