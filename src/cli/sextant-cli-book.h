#pragma once

#include <glib.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"

G_BEGIN_DECLS

/* The user's stored portfolios as input to the risk and optimize commands (`--portfolio`): a
 * SextantBook, every amount in the portfolio's base currency. */

typedef SextantBook SextantCliBook;

SextantStore *sextant_cli_open_book_store     (GError             **error);
int           sextant_cli_book_exit_for_error (const GError        *error);
gboolean      sextant_cli_book_update_rates   (SextantMarketCache  *cache,
                                               SextantPortfolio    *portfolio,
                                               gint32               from_day,
                                               gint32               to_day,
                                               const char          *command,
                                               GError             **error);
gboolean      sextant_cli_book_load           (const char          *name,
                                               const char          *from,
                                               const char          *to,
                                               const char          *benchmark,
                                               SextantCliBook      *out,
                                               SextantMarketCache **cache_out,
                                               GError             **error);
int           sextant_cli_fx_exposure         (const char          *name,
                                               const char          *from,
                                               const char          *to,
                                               SextantCliFormat     format);

G_END_DECLS
