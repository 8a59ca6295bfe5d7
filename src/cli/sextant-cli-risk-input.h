#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/* Inputs shared by the risk, optimize, frontier and backtest commands. */

typedef struct
{
  SextantReturnMatrix *assets;
  double              *benchmark;       /* NULL without --benchmark */
  char                *benchmark_name;
  gsize                n_dropped;       /* rows dropped for a missing price */
} SextantCliReturns;

void      sextant_cli_returns_clear     (SextantCliReturns   *self);
gboolean  sextant_cli_load_returns      (const char          *prices_path,
                                         const char          *returns_path,
                                         const char * const  *symbols,
                                         const char          *benchmark,
                                         const char * const  *exclude,
                                         SextantCliReturns   *out,
                                         GError             **error);
gboolean  sextant_cli_returns_from_table (SextantPriceTable  *table,
                                         gboolean             prices,
                                         const char * const  *symbols,
                                         const char          *benchmark,
                                         const char * const  *exclude,
                                         SextantCliReturns   *out,
                                         GError             **error);
gboolean  sextant_cli_parse_assignments (const char          *text,
                                         const char          *option,
                                         GStrv               *symbols,
                                         double             **values,
                                         GError             **error);
gboolean  sextant_cli_parse_bounds      (const char          *text,
                                         double              *lo,
                                         double              *hi,
                                         GError             **error);
SextantOptimizer *sextant_cli_make_optimizer (const char     *prices_path,
                                         const char          *returns_path,
                                         const char * const  *exclude,
                                         const char          *bounds,
                                         const char          *covariance,
                                         SextantCliReturns   *out,
                                         GError             **error);
gboolean  sextant_cli_check_covariance  (const char          *covariance,
                                         GError             **error);
SextantOptimizer *sextant_cli_optimizer_for_returns (SextantCliReturns *in,
                                         const double        *lo,
                                         const double        *hi,
                                         const char          *covariance,
                                         GError             **error);
void      sextant_cli_print_table       (JsonNode            *node);
JsonNode *sextant_cli_weights_object    (const SextantReturnMatrix *assets,
                                         const double        *weights);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SextantCliReturns, sextant_cli_returns_clear)

G_END_DECLS
