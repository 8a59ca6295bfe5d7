#pragma once

#include <glib.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/* The user's stored portfolios as input to the risk and optimize commands (`--portfolio`). */

#define SEXTANT_CLI_BOOK_ERROR (sextant_cli_book_error_quark ())

/**
 * SextantCliBookError:
 * @SEXTANT_CLI_BOOK_ERROR_NO_FX: a holding is in another currency than the portfolio's base
 *   currency, and there is no FX conversion yet (exit code 1)
 */
typedef enum
{
  SEXTANT_CLI_BOOK_ERROR_NO_FX,
} SextantCliBookError;

/**
 * SextantCliBook:
 * @portfolio: the stored portfolio
 * @closes: one column per holding (then the benchmark, if any) on every date in the range on
 *   which any of them has a close, NaN where one has none: what a wide CSV of the same closes
 *   holds
 * @symbols: the holdings' symbols, in the portfolio's order
 * @weights: each holding's weight: its market value (shares × close) on the last date all the
 *   columns share, or its stored weight
 * @min_weight: each holding's lowest weight for optimization
 * @max_weight: each holding's highest weight for optimization
 * @last_day: the date the market values are taken on
 */
typedef struct
{
  SextantPortfolio  *portfolio;
  SextantPriceTable *closes;
  char             **symbols;
  double            *weights;
  double            *min_weight;
  double            *max_weight;
  gint32             last_day;
} SextantCliBook;

GQuark        sextant_cli_book_error_quark    (void);
SextantStore *sextant_cli_open_book_store     (GError             **error);
int           sextant_cli_book_exit_for_error (const GError        *error);
gboolean      sextant_cli_book_load           (const char          *name,
                                               const char          *from,
                                               const char          *to,
                                               const char          *benchmark,
                                               SextantCliBook      *out,
                                               GError             **error);
void          sextant_cli_book_clear          (SextantCliBook      *self);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SextantCliBook, sextant_cli_book_clear)

G_END_DECLS
