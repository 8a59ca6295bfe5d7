#define G_LOG_DOMAIN "sextant-portfolio-run-trades"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-portfolio-run-private.h"

/* The trade list of a result, and the holdings, weights and trades as CSV for a spreadsheet or
 * an order system. The numbers come from the core's sextant_trade_list_compute(). */

/**
 * sextant_optimization_result_dup_trades:
 * @self: an optimization result
 * @error: why the trades cannot be priced (a holding without a close)
 *
 * The trades that take the holdings the result was computed from to its optimized weights, at
 * the closes that valued them.
 *
 * Returns: (transfer full) (array) (nullable): one trade per holding, in the result's order
 */
SextantTrade *
sextant_optimization_result_dup_trades (SextantOptimizationResult  *self,
                                        GError                    **error)
{
  const SextantOptimizationRequest *q;
  g_autofree SextantTrade *trades = NULL;

  g_return_val_if_fail (self != NULL && self->request != NULL, NULL);

  q = self->request;
  /* The core names the row; the window names the symbol. */
  for (gsize j = 0; j < self->k; j++)
    if (!isfinite (q->closes[j]) || q->closes[j] <= 0)
      {
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE,
                     /* Translators: a stock symbol */
                     _("There is no close of %s to price its trade"), self->symbols[j]);
        return NULL;
      }
  trades = g_new0 (SextantTrade, self->k);
  if (!sextant_trade_list_compute (self->weights, q->quantities, q->closes, self->k, trades, NULL,
                                   error))
    return NULL;

  return g_steal_pointer (&trades);
}

/* Numbers in CSV are written with a point whatever the locale, as spreadsheets import them. */
static void
append_number (GString    *csv,
               double      value,
               const char *format)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (csv, ',');
  if (isfinite (value))
    g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, format, value));
}

/**
 * sextant_optimization_result_to_csv:
 * @self: an optimization result
 * @error: why the trades cannot be priced
 *
 * One row per holding: shares held, last close, current value and weight, optimized weight,
 * target value, and the whole shares and amount to buy (positive) or sell (negative), then
 * the currency of every amount (the portfolio's base currency). The header is in English so
 * that a script reading the file does not depend on the locale.
 *
 * Returns: (transfer full) (nullable): the CSV text
 */
char *
sextant_optimization_result_to_csv (SextantOptimizationResult  *self,
                                    GError                    **error)
{
  g_autofree SextantTrade *trades = NULL;
  const SextantOptimizationRequest *q;
  GString *csv;

  g_return_val_if_fail (self != NULL && self->request != NULL, NULL);

  if ((trades = sextant_optimization_result_dup_trades (self, error)) == NULL)
    return NULL;
  q = self->request;
  csv = g_string_new ("symbol,shares_held,last_close,current_value,current_weight,"
                      "optimized_weight,target_value,trade_shares,trade_amount,action,currency\r\n");
  for (gsize j = 0; j < self->k; j++)
    {
      const SextantTrade *t = &trades[j];
      g_autofree char *symbol = g_strdup (self->symbols[j]);

      /* Symbols are letters, dots and dashes; a comma or quote would break the row. */
      g_strdelimit (symbol, ",\"\r\n", '_');
      g_string_append (csv, symbol);
      append_number (csv, q->quantities[j], "%.0f");
      append_number (csv, t->close, "%.4f");
      append_number (csv, t->current_value, "%.2f");
      append_number (csv, self->current[j], "%.6f");
      append_number (csv, self->weights[j], "%.6f");
      append_number (csv, t->target_value, "%.2f");
      append_number (csv, t->shares, "%.0f");
      append_number (csv, t->amount, "%.2f");
      /* Closes, values and amounts are in the portfolio's base currency. */
      g_string_append_printf (csv, ",%s,%s\r\n", t->shares > 0 ? "buy" : t->shares < 0 ? "sell" : "hold",
                              q->currency != NULL ? q->currency : "USD");
    }

  return g_string_free (csv, FALSE);
}
