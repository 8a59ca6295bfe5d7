#define G_LOG_DOMAIN "sextant-cli-risk-input"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sextant-cli-risk-input.h"

void
sextant_cli_returns_clear (SextantCliReturns *self)
{
  g_clear_pointer (&self->assets, sextant_return_matrix_free);
  g_clear_pointer (&self->benchmark, g_free);
  g_clear_pointer (&self->benchmark_name, g_free);
}

static gboolean
in_list (const char * const *list,
         const char         *name)
{
  for (gsize i = 0; list != NULL && list[i] != NULL; i++)
    if (g_ascii_strcasecmp (list[i], name) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
array_has (GPtrArray  *names,
           const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (names, i), name) == 0)
      return TRUE;

  return FALSE;
}

/* The used columns: the assets (given, or every column but the benchmark and the excluded ones),
 * then the benchmark. Excluded columns still count when incomplete rows are dropped, as a
 * benchmark's do: `optimize --exclude SPI` then sees the same dates as `risk --benchmark SPI`
 * and as make_reference.R. */
static GPtrArray *
used_columns (SextantPriceTable   *table,
              const char * const  *symbols,
              const char          *benchmark,
              const char * const  *exclude,
              gsize               *n_assets)
{
  GPtrArray *names = g_ptr_array_new ();

  for (gsize i = 0; symbols != NULL && symbols[i] != NULL; i++)
    g_ptr_array_add (names, (gpointer) symbols[i]);
  for (gsize j = 0; symbols == NULL && j < sextant_price_table_get_n_columns (table); j++)
    {
      const char *name = sextant_price_table_get_column_name (table, j);

      if ((benchmark == NULL || g_ascii_strcasecmp (name, benchmark) != 0) && !in_list (exclude, name))
        g_ptr_array_add (names, (gpointer) name);
    }
  *n_assets = names->len;
  if (benchmark != NULL)
    g_ptr_array_add (names, (gpointer) benchmark);
  for (gsize i = 0; exclude != NULL && exclude[i] != NULL; i++)
    if (!array_has (names, exclude[i]))
      g_ptr_array_add (names, (gpointer) exclude[i]);
  g_ptr_array_add (names, NULL);

  return names;
}

/* NA, empty and NaN fields are missing values, dropped with their row as the reference does; an
 * infinite one is a broken number and is reported. */
static gboolean
check_infinite (SextantPriceTable  *table,
                GError            **error)
{
  gsize n = sextant_price_table_get_n_rows (table);

  for (gsize j = 0; j < sextant_price_table_get_n_columns (table); j++)
    {
      const double *v = sextant_price_table_get_column (table, j);

      for (gsize r = 0; r < n; r++)
        if (isinf (v[r]))
          {
            g_autofree char *date = sextant_day_format_iso (sextant_price_table_get_days (table)[r]);

            g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                         "Data row %" G_GSIZE_FORMAT " (%s), column %s: %g is not a finite number",
                         r + 1, date, sextant_price_table_get_column_name (table, j), v[r]);
            return FALSE;
          }
    }

  return TRUE;
}

static gboolean
check_dates (SextantPriceTable  *table,
             GError            **error)
{
  const gint32 *days = sextant_price_table_get_days (table);

  for (gsize r = 1; r < sextant_price_table_get_n_rows (table); r++)
    if (days[r] <= days[r - 1])
      {
        g_autofree char *date = sextant_day_format_iso (days[r]);

        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_DATE_ORDER,
                     "Data row %" G_GSIZE_FORMAT " (%s) is %s the row before it", r + 1, date,
                     days[r] == days[r - 1] ? "a duplicate of" : "earlier than");
        return FALSE;
      }

  return TRUE;
}

/* A returns file is already the matrix: copy its columns, dates unchanged. */
static SextantReturnMatrix *
matrix_from_return_table (SextantPriceTable  *table,
                          GError            **error)
{
  gsize n = sextant_price_table_get_n_rows (table), k = sextant_price_table_get_n_columns (table);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  SextantReturnMatrix *m;

  if (n < 2)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "The returns file has %" G_GSIZE_FORMAT " complete rows; at least 2 are needed",
                   n);
      return NULL;
    }
  for (gsize j = 0; j < k; j++)
    g_ptr_array_add (names, (gpointer) sextant_price_table_get_column_name (table, j));
  g_ptr_array_add (names, NULL);
  m = sextant_return_matrix_new (n, (const char * const *) names->pdata);
  memcpy (m->days, sextant_price_table_get_days (table), sizeof (gint32) * n);
  for (gsize j = 0; j < k; j++)
    memcpy (m->values + j * n, sextant_price_table_get_column (table, j), sizeof (double) * n);

  return m;
}

static gboolean
split_benchmark (SextantReturnMatrix  *all,
                 gsize                 n_assets,
                 const char           *benchmark,
                 SextantCliReturns    *out)
{
  g_auto(GStrv) names = g_new0 (char *, n_assets + 1);

  for (gsize j = 0; j < n_assets; j++)
    names[j] = g_strdup (all->names[j]);
  out->assets = sextant_return_matrix_new (all->n_obs, (const char * const *) names);
  memcpy (out->assets->values, all->values, sizeof (double) * all->n_obs * n_assets);
  memcpy (out->assets->days, all->days, sizeof (gint32) * all->n_obs);
  if (benchmark != NULL)
    {
      out->benchmark = g_memdup2 (all->values + n_assets * all->n_obs, sizeof (double) * all->n_obs);
      out->benchmark_name = g_strdup (all->names[n_assets]);
    }

  return TRUE;
}

/**
 * sextant_cli_load_returns:
 * @prices_path: (nullable): a wide CSV of prices (date plus one column per symbol)
 * @returns_path: (nullable): a wide CSV of returns instead
 * @symbols: (nullable): the portfolio's symbols, %NULL for every column
 * @benchmark: (nullable): a column kept apart as the benchmark
 * @exclude: (nullable): columns that are not assets
 * @out: (out caller-allocates): the returns
 * @error: return location for an error naming the file, row or column
 */
gboolean
sextant_cli_load_returns (const char          *prices_path,
                          const char          *returns_path,
                          const char * const  *symbols,
                          const char          *benchmark,
                          const char * const  *exclude,
                          SextantCliReturns   *out,
                          GError             **error)
{
  g_autoptr(SextantPriceTable) table = NULL;

  memset (out, 0, sizeof *out);
  table = sextant_csv_read_price_table (prices_path != NULL ? prices_path : returns_path, error);
  if (table == NULL)
    return FALSE;

  return sextant_cli_returns_from_table (table, prices_path != NULL, symbols, benchmark, exclude,
                                         out, error);
}

/**
 * sextant_cli_returns_from_table:
 * @table: prices or returns, one column per symbol, NaN where one is missing
 * @prices: whether @table holds prices (else returns)
 * @symbols: (nullable): the portfolio's symbols, %NULL for every column
 * @benchmark: (nullable): a column kept apart as the benchmark
 * @exclude: (nullable): columns that are not assets
 * @out: (out caller-allocates): the returns
 * @error: return location for an error naming the row or column
 *
 * What sextant_cli_load_returns() does once the file is read, so that closes from the market
 * cache (`--portfolio`) give the very figures a wide CSV of the same closes gives.
 */
gboolean
sextant_cli_returns_from_table (SextantPriceTable   *table,
                                gboolean             prices,
                                const char * const  *symbols,
                                const char          *benchmark,
                                const char * const  *exclude,
                                SextantCliReturns   *out,
                                GError             **error)
{
  g_autoptr(SextantPriceTable) used = NULL, complete = NULL;
  g_autoptr(SextantReturnMatrix) all = NULL;
  g_autoptr(GPtrArray) names = NULL;
  gsize n_assets;

  memset (out, 0, sizeof *out);
  if (benchmark != NULL && in_list (symbols, benchmark))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "The benchmark %s cannot also be in the portfolio", benchmark);
      return FALSE;
    }

  names = used_columns (table, symbols, benchmark, exclude, &n_assets);
  if (n_assets == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "No asset columns are left once the benchmark and excluded columns are set apart");
      return FALSE;
    }
  used = sextant_price_table_select (table, (const char * const *) names->pdata, error);
  if (used == NULL)
    return FALSE;
  if (!check_infinite (used, error))
    return FALSE;
  complete = sextant_price_table_drop_incomplete (used, &out->n_dropped);
  if (!check_dates (complete, error))
    return FALSE;

  all = prices ? sextant_return_matrix_from_prices (complete, SEXTANT_RETURN_SIMPLE, error)
               : matrix_from_return_table (complete, error);
  if (all == NULL)
    return FALSE;

  return split_benchmark (all, n_assets, benchmark, out);
}

/**
 * sextant_cli_parse_assignments:
 * @text: `S=w,S=w,…`
 * @option: the option's name, for messages
 * @symbols: (out) (transfer full): the symbols in order
 * @values: (out) (transfer full): their values
 * @error: G_OPTION_ERROR_BAD_VALUE naming the bad item
 */
gboolean
sextant_cli_parse_assignments (const char  *text,
                               const char  *option,
                               GStrv       *symbols,
                               double     **values,
                               GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  guint n = g_strv_length (items);
  g_auto(GStrv) names = g_new0 (char *, n + 1);
  g_autofree double *v = g_new (double, MAX (n, 1));

  if (n == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s needs at least one SYMBOL=NUMBER", option);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      const char *eq = strchr (items[i], '=');
      char *end = NULL;

      if (eq == NULL || eq == items[i] || (v[i] = g_ascii_strtod (eq + 1, &end), *end != '\0') ||
          end == eq + 1 || !isfinite (v[i]))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s: “%s” is not SYMBOL=NUMBER", option, items[i]);
          return FALSE;
        }
      names[i] = g_strndup (items[i], eq - items[i]);
      g_strstrip (names[i]);
      for (guint j = 0; j < i; j++)
        if (g_ascii_strcasecmp (names[j], names[i]) == 0)
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "%s: %s is given twice", option, names[i]);
            return FALSE;
          }
    }

  *symbols = g_steal_pointer (&names);
  *values = g_steal_pointer (&v);
  return TRUE;
}

gboolean
sextant_cli_parse_bounds (const char  *text,
                          double      *lo,
                          double      *hi,
                          GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  char *end1 = NULL, *end2 = NULL;

  if (g_strv_length (parts) != 2 ||
      (*lo = g_ascii_strtod (parts[0], &end1), *end1 != '\0' || end1 == parts[0]) ||
      (*hi = g_ascii_strtod (parts[1], &end2), *end2 != '\0' || end2 == parts[1]) ||
      !isfinite (*lo) || !isfinite (*hi))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--bounds takes MIN,MAX (two numbers), not “%s”", text);
      return FALSE;
    }
  /* A weight is a fraction of the portfolio: beyond ±10 (1,000%) it is a percentage typed where
   * a fraction is meant, or no bound at all, and the optimum would be leverage nobody asked for. */
  if (!(*lo >= -10 && *hi <= 10 && *lo <= *hi))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--bounds MIN,MAX are fractions of the portfolio from -10 to 10 with MIN ≤ MAX, "
                   "such as 0,0.25, not “%s”", text);
      return FALSE;
    }

  return TRUE;
}

JsonNode *
sextant_cli_weights_object (const SextantReturnMatrix *assets,
                            const double              *weights)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  for (gsize j = 0; j < assets->n_assets; j++)
    {
      json_builder_set_member_name (builder, assets->names[j]);
      json_builder_add_double_value (builder, weights[j]);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Text output: one "name  value" line per figure, nested objects indented beneath. */
static void
print_text (JsonObject *object,
            int         indent)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          printf ("%*s%s\n", indent, "", (const char *) l->data);
          print_text (json_node_get_object (node), indent + 2);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          printf ("%*s%s\n", indent, "", (const char *) l->data);
          for (guint i = 0; i < json_array_get_length (array); i++)
            if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
              {
                printf ("%*s#%u\n", indent + 2, "", i + 1);
                print_text (json_array_get_object_element (array, i), indent + 4);
              }
        }
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        printf ("%*s%-28s %14.8g\n", indent, "", (const char *) l->data,
                json_node_get_double (node));
      else if (json_node_get_value_type (node) == G_TYPE_STRING)
        printf ("%*s%-28s %14s\n", indent, "", (const char *) l->data, json_node_get_string (node));
      else if (JSON_NODE_HOLDS_NULL (node))
        printf ("%*s%-28s %14s\n", indent, "", (const char *) l->data, "—");
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);

          printf ("%*s%-28s %14s\n", indent, "", (const char *) l->data, text);
        }
    }
}

void
sextant_cli_print_table (JsonNode *node)
{
  print_text (json_node_get_object (node), 0);
}


/**
 * sextant_cli_make_optimizer:
 * @prices_path: (nullable): a wide CSV of prices
 * @returns_path: (nullable): a wide CSV of returns instead
 * @exclude: (nullable): columns that are not assets (a benchmark)
 * @bounds: (nullable): `MIN,MAX` for every asset, %NULL for long-only 0,1
 * @covariance: (nullable): `sample` (default) or `ledoit-wolf`
 * @out: (out caller-allocates): the returns the optimizer was built from
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): an optimizer over the sample means and covariance
 */
SextantOptimizer *
sextant_cli_make_optimizer (const char          *prices_path,
                            const char          *returns_path,
                            const char * const  *exclude,
                            const char          *bounds,
                            const char          *covariance,
                            SextantCliReturns   *out,
                            GError             **error)
{
  g_autofree double *lo = NULL, *hi = NULL;
  double blo = 0, bhi = 1;
  gsize k;

  if (!sextant_cli_check_covariance (covariance, error) ||
      (bounds != NULL && !sextant_cli_parse_bounds (bounds, &blo, &bhi, error)))
    return NULL;
  if (!sextant_cli_load_returns (prices_path, returns_path, NULL, NULL, exclude, out, error))
    return NULL;

  k = out->assets->n_assets;
  lo = g_new (double, k);
  hi = g_new (double, k);
  for (gsize j = 0; j < k; j++)
    {
      lo[j] = blo;
      hi[j] = bhi;
    }

  return sextant_cli_optimizer_for_returns (out, lo, hi, covariance, error);
}

gboolean
sextant_cli_check_covariance (const char  *covariance,
                              GError     **error)
{
  if (covariance == NULL || g_strcmp0 (covariance, "sample") == 0 ||
      g_strcmp0 (covariance, "ledoit-wolf") == 0)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--covariance must be sample or ledoit-wolf, not “%s”", covariance);

  return FALSE;
}

/**
 * sextant_cli_optimizer_for_returns:
 * @in: the returns
 * @lo: the lowest weight of each asset
 * @hi: the highest weight of each asset
 * @covariance: (nullable): `sample` (default) or `ledoit-wolf`, checked already
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): an optimizer over the sample means and covariance
 */
SextantOptimizer *
sextant_cli_optimizer_for_returns (SextantCliReturns  *in,
                                   const double       *lo,
                                   const double       *hi,
                                   const char         *covariance,
                                   GError            **error)
{
  g_autoptr(SextantOptimizer) opt = NULL;
  g_autofree double *mean = NULL, *cov = NULL;
  gsize k = in->assets->n_assets;
  gboolean ok;

  mean = g_new (double, k);
  cov = g_new (double, k * k);
  ok = g_strcmp0 (covariance, "ledoit-wolf") == 0
         ? sextant_covariance_ledoit_wolf (in->assets, cov, NULL, error)
         : sextant_covariance_sample (in->assets, cov, error);
  if (!ok || !sextant_mean_vector (in->assets, mean, error))
    return NULL;
  opt = sextant_optimizer_new (mean, cov, k, (const char * const *) in->assets->names, error);
  if (opt == NULL || !sextant_optimizer_set_bounds (opt, lo, hi, error))
    return NULL;

  return g_steal_pointer (&opt);
}
