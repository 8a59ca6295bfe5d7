#pragma once

#include <json-glib/json-glib.h>

#include "base/sextant-json-util.h"
#include "analytics/sextant-price-series.h"
#include "analytics/sextant-price-table.h"
#include "analytics/sextant-returns.h"
#include "agent/sextant-tool-data.h"
#include "agent/sextant-tool-registry.h"

G_BEGIN_DECLS

/* Helpers shared by the tool handlers in sextant-tools-market.c and sextant-tools-portfolio.c. */

#define TOOL_PERIODS_PER_YEAR 252.0

typedef struct
{
  gint32 start;   /* 0: from the first row */
  gint32 end;     /* 0: to the last row */
} ToolWindow;

gboolean            _tool_read_window      (JsonObject          *input,
                                            ToolWindow          *window,
                                            GError             **error);
SextantPriceSeries *_tool_slice_series     (SextantPriceSeries  *series,
                                            const ToolWindow    *window,
                                            GError             **error);
SextantPriceTable  *_tool_slice_table      (SextantPriceTable   *table,
                                            const ToolWindow    *window,
                                            GError             **error);
char              **_tool_read_symbols     (JsonObject          *input,
                                            const char          *member);
double             *_tool_read_weights     (JsonObject          *input,
                                            gsize                k,
                                            GError             **error);
guint               _tool_get_uint         (JsonObject          *input,
                                            const char          *member,
                                            guint                default_value);
double              _tool_get_double       (JsonObject          *input,
                                            const char          *member,
                                            double               default_value);
void                _tool_add_date         (JsonBuilder         *builder,
                                            const char          *name,
                                            gint32               day);
void                _tool_add_data_note    (JsonBuilder         *builder,
                                            const char          *source,
                                            gint32               first_day,
                                            gint32               last_day);
void                _tool_add_weights      (JsonBuilder         *builder,
                                            const char          *name,
                                            const SextantReturnMatrix *returns,
                                            const double        *weights);
SextantReturnMatrix *_tool_returns_for     (SextantToolData     *data,
                                            char               **symbols,
                                            JsonObject          *input,
                                            SextantReturnKind    kind,
                                            SextantPriceTable  **closes,
                                            GError             **error);

void                _sextant_tools_register_market    (SextantToolRegistry *self);
void                _sextant_tools_register_portfolio (SextantToolRegistry *self);
void                _sextant_tools_register_knowledge (SextantToolRegistry *self);
void                _sextant_tools_register_rates     (SextantToolRegistry *self);

G_END_DECLS
