#pragma once

#include <glib.h>

#include "analytics/sextant-price-table.h"

G_BEGIN_DECLS

/**
 * SextantReturnKind:
 * @SEXTANT_RETURN_SIMPLE: P_t / P_{t-1} − 1
 * @SEXTANT_RETURN_LOG: ln (P_t / P_{t-1})
 */
typedef enum
{
  SEXTANT_RETURN_SIMPLE,
  SEXTANT_RETURN_LOG,
} SextantReturnKind;

/**
 * SextantReturnMatrix:
 * @n_obs: number of periods (rows)
 * @n_assets: number of assets (columns)
 * @values: column-major, asset j's returns at `values + j * n_obs`
 * @days: the date of each return (the later of its two prices)
 * @names: (array zero-terminated=1): asset names
 */
typedef struct
{
  gsize    n_obs;
  gsize    n_assets;
  double  *values;
  gint32  *days;
  char   **names;
} SextantReturnMatrix;

gboolean             sextant_returns_compute            (const double        *prices,
                                                         gsize                n,
                                                         SextantReturnKind    kind,
                                                         double              *returns,
                                                         GError             **error);
SextantReturnMatrix *sextant_return_matrix_from_prices  (SextantPriceTable   *prices,
                                                         SextantReturnKind    kind,
                                                         GError             **error);
SextantReturnMatrix *sextant_return_matrix_new          (gsize                n_obs,
                                                         const char * const  *names);
void                 sextant_return_matrix_free         (SextantReturnMatrix *self);
const double        *sextant_return_matrix_get_column   (const SextantReturnMatrix *self,
                                                         gsize                asset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantReturnMatrix, sextant_return_matrix_free)

G_END_DECLS
