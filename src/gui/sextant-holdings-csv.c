#define G_LOG_DOMAIN "sextant-holdings-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sextant-holdings-csv.h"

/*
 * Holdings from a spreadsheet: a header naming `symbol` and `quantity` (any order, any case),
 * optionally `min_weight` and `max_weight` as fractions, then one holding per row. A minimal
 * private reader: the market layer's CSV reader handles price tables, not holdings.
 */

enum { COL_SYMBOL, COL_QUANTITY, COL_MIN, COL_MAX, N_COLS };

static const char *column_names[N_COLS] = { "symbol", "quantity", "min_weight", "max_weight" };

static gboolean
read_header (const char  *line,
             int          columns[N_COLS],
             GError     **error)
{
  g_auto(GStrv) fields = g_strsplit (line, ",", -1);

  for (guint c = 0; c < N_COLS; c++)
    columns[c] = -1;
  for (guint i = 0; fields[i] != NULL; i++)
    for (guint c = 0; c < N_COLS; c++)
      if (g_ascii_strcasecmp (g_strstrip (fields[i]), column_names[c]) == 0)
        columns[c] = i;
  for (guint c = COL_SYMBOL; c <= COL_QUANTITY; c++)
    if (columns[c] < 0)
      {
        g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                     _("The header has no “%s” column (found “%s”)"), column_names[c], line);
        return FALSE;
      }

  return TRUE;
}

static gboolean
parse_number (char        **fields,
              guint         n_fields,
              int           column,
              gsize         row,
              double        fallback,
              double       *value,
              GError      **error)
{
  char *end = NULL;

  if (column < 0 || (guint) column >= n_fields || *g_strstrip (fields[column]) == '\0')
    {
      /* An empty optional field takes its default; the quantity has none. */
      *value = fallback;
      if (isnan (fallback))
        g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                     _("Row %zu has no %s"), row, column_names[COL_QUANTITY]);
      return !isnan (fallback);
    }
  *value = g_ascii_strtod (fields[column], &end);
  if (*end != '\0' || !isfinite (*value) || *value < 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   _("Row %zu: “%s” is not a non-negative number"), row, fields[column]);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_row (SextantPortfolio   *portfolio,
          const char         *line,
          gsize               row,
          const int           columns[N_COLS],
          SextantPriceTable  *known,
          GError            **error)
{
  g_auto(GStrv) fields = g_strsplit (line, ",", -1);
  guint n = g_strv_length (fields);
  g_autofree char *symbol = NULL;
  double quantity, lo, hi;

  if ((guint) columns[COL_SYMBOL] >= n || *g_strstrip (fields[columns[COL_SYMBOL]]) == '\0')
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   _("Row %zu has no symbol"), row);
      return FALSE;
    }
  symbol = g_ascii_strup (fields[columns[COL_SYMBOL]], -1);
  if (known != NULL && sextant_price_table_find_column (known, symbol) < 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                   _("Row %zu: no prices for %s"), row, symbol);
      return FALSE;
    }
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    if (g_str_equal (sextant_portfolio_get_holding (portfolio, i)->symbol, symbol))
      {
        g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                     _("Row %zu: %s is listed twice"), row, symbol);
        return FALSE;
      }
  if (!parse_number (fields, n, columns[COL_QUANTITY], row, NAN, &quantity, error) ||
      !parse_number (fields, n, columns[COL_MIN], row, 0, &lo, error) ||
      !parse_number (fields, n, columns[COL_MAX], row, 1, &hi, error))
    return FALSE;
  if (lo > hi || hi > 1)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   _("Row %zu: bounds %g to %g are not within 0 to 1 in order"), row, lo, hi);
      return FALSE;
    }

  sextant_portfolio_add_holding (portfolio, symbol, quantity, NAN, "USD");
  sextant_portfolio_set_bounds (portfolio, sextant_portfolio_get_n_holdings (portfolio) - 1, lo, hi);

  return TRUE;
}

/**
 * sextant_holdings_csv_parse:
 * @text: the CSV text
 * @name: the portfolio's name
 * @known: (nullable): prices whose columns are the symbols allowed
 * @error: %SEXTANT_MARKET_ERROR_CSV_HEADER, %SEXTANT_MARKET_ERROR_CSV_ROW (naming the row),
 *   %SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL or %SEXTANT_MARKET_ERROR_EMPTY
 *
 * Returns: (transfer full) (nullable): the holdings, by quantity, with their bounds
 */
SextantPortfolio *
sextant_holdings_csv_parse (const char         *text,
                            const char         *name,
                            SextantPriceTable  *known,
                            GError            **error)
{
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new (name);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  int columns[N_COLS];
  gsize header = 0;

  while (lines[header] != NULL && *g_strstrip (lines[header]) == '\0')
    header++;
  if (lines[header] == NULL || !read_header (lines[header], columns, error))
    {
      if (lines[header] == NULL)
        g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_EMPTY, _("The file is empty"));
      return NULL;
    }
  for (gsize i = header + 1; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0' &&
        !read_row (portfolio, lines[i], i + 1, columns, known, error))
      return NULL;
  if (sextant_portfolio_get_n_holdings (portfolio) == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_EMPTY,
                   _("The file has a header but no holdings"));
      return NULL;
    }

  return g_steal_pointer (&portfolio);
}

/**
 * sextant_holdings_csv_read:
 * @path: a CSV file
 * @known: (nullable): prices whose columns are the symbols allowed
 * @error: a #GFileError, or an error of sextant_holdings_csv_parse()
 *
 * Returns: (transfer full) (nullable): the holdings, named after the file
 */
SextantPortfolio *
sextant_holdings_csv_read (const char         *path,
                           SextantPriceTable  *known,
                           GError            **error)
{
  g_autofree char *text = NULL;
  g_autofree char *base = NULL;
  char *dot;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  base = g_path_get_basename (path);
  if ((dot = strrchr (base, '.')) != NULL)
    *dot = '\0';

  return sextant_holdings_csv_parse (text, base, known, error);
}
