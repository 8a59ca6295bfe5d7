#define G_LOG_DOMAIN "sextant-returns"

#include "config.h"

#include <math.h>
#include <string.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-returns.h"

/**
 * sextant_returns_compute:
 * @prices: (array length=n): prices, oldest first
 * @n: number of prices, at least 2
 * @kind: simple or log returns
 * @returns: (out caller-allocates) (array length=n-1): the n − 1 returns
 * @error: return location for an error naming the first bad price (1-based)
 *
 * Returns: %TRUE if every price was finite and positive
 */
gboolean
sextant_returns_compute (const double       *prices,
                         gsize               n,
                         SextantReturnKind   kind,
                         double             *returns,
                         GError            **error)
{
  g_return_val_if_fail (prices != NULL || n == 0, FALSE);

  if (n < 2)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "Returns need at least two prices, got %" G_GSIZE_FORMAT, n);
      return FALSE;
    }

  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (prices[i]))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                       "Price %" G_GSIZE_FORMAT " is missing or not a number", i + 1);
          return FALSE;
        }
      if (prices[i] <= 0)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE,
                       "Price %" G_GSIZE_FORMAT " is not positive (%g)", i + 1, prices[i]);
          return FALSE;
        }
    }

  for (gsize i = 1; i < n; i++)
    returns[i - 1] = kind == SEXTANT_RETURN_LOG ? log (prices[i] / prices[i - 1])
                                                : prices[i] / prices[i - 1] - 1.0;

  return TRUE;
}

SextantReturnMatrix *
sextant_return_matrix_new (gsize               n_obs,
                           const char * const *names)
{
  SextantReturnMatrix *self = g_new0 (SextantReturnMatrix, 1);

  self->n_obs = n_obs;
  self->n_assets = g_strv_length ((char **) names);
  self->values = g_new0 (double, MAX (n_obs * self->n_assets, 1));
  self->days = g_new0 (gint32, MAX (n_obs, 1));
  self->names = g_strdupv ((char **) names);

  return self;
}

void
sextant_return_matrix_free (SextantReturnMatrix *self)
{
  if (self == NULL)
    return;

  g_free (self->values);
  g_free (self->days);
  g_strfreev (self->names);
  g_free (self);
}

const double *
sextant_return_matrix_get_column (const SextantReturnMatrix *self,
                                  gsize                      asset)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (asset < self->n_assets, NULL);

  return self->values + asset * self->n_obs;
}

/**
 * sextant_return_matrix_from_prices:
 * @prices: a table with no missing values (see sextant_price_table_drop_incomplete())
 * @kind: simple or log returns
 * @error: return location for an error naming the asset and row
 *
 * Returns: (transfer full): the returns of every column, or %NULL
 */
SextantReturnMatrix *
sextant_return_matrix_from_prices (SextantPriceTable  *prices,
                                   SextantReturnKind   kind,
                                   GError            **error)
{
  g_autoptr(SextantReturnMatrix) matrix = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gsize n_rows, n_cols;

  g_return_val_if_fail (prices != NULL, NULL);

  n_rows = sextant_price_table_get_n_rows (prices);
  n_cols = sextant_price_table_get_n_columns (prices);
  if (n_rows < 2 || n_cols == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "Returns need at least two dates and one asset (got %" G_GSIZE_FORMAT
                   " × %" G_GSIZE_FORMAT ")", n_rows, n_cols);
      return NULL;
    }

  for (gsize j = 0; j < n_cols; j++)
    g_ptr_array_add (names, (gpointer) sextant_price_table_get_column_name (prices, j));
  g_ptr_array_add (names, NULL);

  matrix = sextant_return_matrix_new (n_rows - 1, (const char * const *) names->pdata);
  memcpy (matrix->days, sextant_price_table_get_days (prices) + 1, sizeof (gint32) * (n_rows - 1));
  for (gsize j = 0; j < n_cols; j++)
    if (!sextant_returns_compute (sextant_price_table_get_column (prices, j), n_rows, kind,
                                  matrix->values + j * matrix->n_obs, error))
      {
        g_prefix_error (error, "%s: ", sextant_price_table_get_column_name (prices, j));
        return NULL;
      }

  return g_steal_pointer (&matrix);
}
