#define G_LOG_DOMAIN "sextant-csv-importer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "base/sextant-day.h"
#include "market/sextant-csv-importer-private.h"
#include "market/sextant-market-error.h"

/* The row's symbol as the known symbols spell it, or as written when any symbol goes; an
 * unknown one is rejected, or kept in capitals (and listed) when unknown symbols are kept; NULL
 * (the row rejected) for an empty one. */
static char *
holding_symbol (SextantCsvImporter *self,
                int                 line)
{
  SextantCsvField *sym = &self->fields[self->columns[SEXTANT_CSV_ROLE_SYMBOL]];
  g_autofree char *symbol = g_strndup (sym->start, sym->length);
  g_autofree char *upper = NULL;
  const char *known;

  g_strstrip (symbol);
  if (*symbol == '\0')
    {
      _sextant_csv_importer_reject (self, line, "no symbol");
      return NULL;
    }
  if (self->known == NULL)
    return g_steal_pointer (&symbol);
  upper = g_ascii_strup (symbol, -1);
  if ((known = g_hash_table_lookup (self->known, upper)) == NULL && self->keep_unknown)
    {
      /* Listed once even if the row turns out to repeat an earlier one. */
      if (!g_ptr_array_find_with_equal_func (self->unpriced, upper, g_str_equal, NULL))
        g_ptr_array_add (self->unpriced, g_strdup (upper));
      return g_steal_pointer (&upper);
    }
  if (known == NULL)
    {
      _sextant_csv_importer_reject (self, line, "no prices for %s", symbol);
      return NULL;
    }

  return g_strdup (known);
}

/* Amounts and bounds describe a long-only, fully invested portfolio, as everywhere in Sextant:
 * no negative amount, and 0 ≤ minimum ≤ maximum ≤ 1. */
static gboolean
check_holding_numbers (SextantCsvImporter *self,
                       int                 line,
                       const char         *symbol,
                       double              quantity,
                       double              weight,
                       double              lo,
                       double              hi)
{
  if (isnan (quantity) && isnan (weight))
    _sextant_csv_importer_reject (self, line, "%s has neither a quantity nor a weight", symbol);
  else if (quantity < 0 || weight < 0)
    _sextant_csv_importer_reject (self, line, "%s has a negative %s", symbol, quantity < 0 ? "quantity" : "weight");
  else if ((isnan (lo) ? 0.0 : lo) < 0 || (isnan (hi) ? 1.0 : hi) > 1 ||
           (isnan (lo) ? 0.0 : lo) > (isnan (hi) ? 1.0 : hi))
    _sextant_csv_importer_reject (self, line, "bounds %g to %g of %s are not within 0 to 1 in order",
            isnan (lo) ? 0.0 : lo, isnan (hi) ? 1.0 : hi, symbol);
  else
    return TRUE;

  return FALSE;
}

/* A face amount or cash above this is a typing error (as `sextant-cli bond --face` says). */
#define MAX_AMOUNT 1e15

/* The text of the row's cell in the column of @role, stripped, or NULL when the file has no
 * such column. */
static char *
dup_cell (SextantCsvImporter *self,
          SextantCsvRole      role)
{
  int column = self->columns[role];

  if (column < 0)
    return NULL;
  return g_strstrip (g_strndup (self->fields[column].start, self->fields[column].length));
}

static gboolean
read_kind (SextantCsvImporter  *self,
           int                  line,
           SextantHoldingKind  *kind)
{
  g_autofree char *text = dup_cell (self, SEXTANT_CSV_ROLE_KIND);

  *kind = SEXTANT_HOLDING_EQUITY;
  if (text == NULL || *text == '\0' || sextant_holding_kind_from_name (text, kind))
    return TRUE;
  _sextant_csv_importer_reject (self, line, "type “%.40s” is not equity, bond or cash", text);
  return FALSE;
}

/* A coupon in percent ("4.25"), or as a fraction with a percent sign ("4.25%"). */
static gboolean
read_coupon (SextantCsvImporter *self,
             int                 line,
             const char         *symbol,
             double             *coupon)
{
  int column = self->columns[SEXTANT_CSV_ROLE_COUPON];
  gboolean percent_sign;

  if (column < 0 || !_sextant_csv_importer_read_value (self, line, column, symbol, coupon))
    {
      if (column < 0)
        _sextant_csv_importer_reject (self, line, "bond %s needs a coupon (percent)", symbol);
      return FALSE;
    }
  percent_sign = self->fields[column].length > 0 &&
                 self->fields[column].start[self->fields[column].length - 1] == '%';
  if (!percent_sign)
    *coupon /= 100;
  if (isnan (*coupon))
    _sextant_csv_importer_reject (self, line, "bond %s needs a coupon (percent)", symbol);
  else if (!(*coupon >= 0 && *coupon < 1))
    _sextant_csv_importer_reject (self, line, "bond %s: coupon %g %% is not between 0 and 100",
                                  symbol, *coupon * 100);
  else
    return TRUE;
  return FALSE;
}

static gboolean
read_frequency (SextantCsvImporter *self,
                int                 line,
                const char         *symbol,
                int                *frequency)
{
  static const struct { const char *name; int frequency; } names[] = {
    { "1", 1 }, { "2", 2 }, { "4", 4 }, { "12", 12 }, { "annual", 1 }, { "semiannual", 2 },
    { "semi-annual", 2 }, { "quarterly", 4 }, { "monthly", 12 },
  };
  g_autofree char *text = dup_cell (self, SEXTANT_CSV_ROLE_FREQUENCY);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i].name) == 0)
      {
        *frequency = names[i].frequency;
        return TRUE;
      }
  _sextant_csv_importer_reject (self, line, "bond %s: coupons a year “%.40s” is not 1, 2, 4 or 12",
                                symbol, text != NULL ? text : "");
  return FALSE;
}

/* A spread in basis points ("120" or "120bp"); empty for a bond with no credit spread. */
static gboolean
read_spread (SextantCsvImporter *self,
             int                 line,
             const char         *symbol,
             double             *spread)
{
  g_autofree char *text = dup_cell (self, SEXTANT_CSV_ROLE_SPREAD);
  gsize length;
  char *end = NULL;

  *spread = NAN;
  if (text == NULL || *text == '\0')
    return TRUE;
  length = strlen (text);
  if (length > 2 && g_ascii_strcasecmp (text + length - 2, "bp") == 0)
    text[length - 2] = '\0';
  *spread = g_ascii_strtod (text, &end) / 1e4;
  if (end != text && *end == '\0' && isfinite (*spread) && fabs (*spread) < 1)
    return TRUE;
  _sextant_csv_importer_reject (self, line, "bond %s: spread “%.40s” is not a number of basis "
                                "points", symbol, text);
  return FALSE;
}

/* A bond row: face amount in the quantity column, coupon, maturity (ISO date), coupons a year
 * and day count required, spread optional. */
static gboolean
read_bond_terms (SextantCsvImporter *self,
                 int                 line,
                 const char         *symbol,
                 double              face,
                 SextantBond        *bond,
                 double             *spread)
{
  g_autofree char *maturity = dup_cell (self, SEXTANT_CSV_ROLE_MATURITY);
  g_autofree char *day_count = dup_cell (self, SEXTANT_CSV_ROLE_DAY_COUNT);

  if (!(face > 0 && face <= MAX_AMOUNT))
    {
      _sextant_csv_importer_reject (self, line, "bond %s needs a face amount above 0 and at most "
                                    "10^15 in the quantity column", symbol);
      return FALSE;
    }
  bond->face = face;
  if (!read_coupon (self, line, symbol, &bond->coupon))
    return FALSE;
  if (maturity == NULL || !sextant_day_parse_iso (maturity, &bond->maturity))
    {
      _sextant_csv_importer_reject (self, line, "bond %s: maturity “%.40s” is not a date such as "
                                    "2034-11-15", symbol, maturity != NULL ? maturity : "");
      return FALSE;
    }
  if (!read_frequency (self, line, symbol, &bond->frequency))
    return FALSE;
  if (day_count == NULL || !sextant_day_count_from_name (day_count, &bond->day_count))
    {
      _sextant_csv_importer_reject (self, line, "bond %s: day count “%.40s” is not act/act-icma, "
                                    "30/360, act/360 or act/365f", symbol,
                                    day_count != NULL ? day_count : "");
      return FALSE;
    }
  return read_spread (self, line, symbol, spread);
}

/* The symbol of a bond (its ISIN or name as written) or of cash (from its currency). */
static char *
other_symbol (SextantCsvImporter *self,
              int                 line,
              SextantHoldingKind  kind,
              const char         *currency)
{
  g_autofree char *symbol = dup_cell (self, SEXTANT_CSV_ROLE_SYMBOL);

  if (kind == SEXTANT_HOLDING_CASH)
    {
      if (currency == NULL || strlen (currency) != 3)
        {
          _sextant_csv_importer_reject (self, line, "cash needs a currency such as USD");
          return NULL;
        }
      return sextant_holding_cash_symbol (currency);
    }
  if (symbol == NULL || *symbol == '\0')
    {
      _sextant_csv_importer_reject (self, line, "a bond needs its ISIN or name in the symbol "
                                    "column");
      return NULL;
    }
  return g_steal_pointer (&symbol);
}

static gboolean
read_holding (SextantCsvImporter *self,
              SextantPortfolio   *portfolio,
              GHashTable         *seen,
              int                 line)
{
  int cur = self->columns[SEXTANT_CSV_ROLE_CURRENCY];
  g_autofree char *symbol = NULL;
  g_autofree char *key = NULL;
  g_autofree char *currency = NULL;
  double quantity, weight, lo, hi, spread = NAN;
  SextantHoldingKind kind;
  SextantBond bond = { 0 };

  if (cur >= 0 && self->fields[cur].length > 0)
    currency = g_strstrip (g_ascii_strup (self->fields[cur].start, self->fields[cur].length));
  if (!read_kind (self, line, &kind))
    return FALSE;
  symbol = kind == SEXTANT_HOLDING_EQUITY ? holding_symbol (self, line)
                                          : other_symbol (self, line, kind, currency);
  if (symbol == NULL)
    return FALSE;
  /* A portfolio holds a symbol once whatever its case (sextant_portfolio_add_holding() would
   * replace the first row with the second): the repeat is rejected instead. */
  key = g_ascii_strup (symbol, -1);
  if (g_hash_table_contains (seen, key))
    {
      _sextant_csv_importer_reject (self, line, "%s is already listed on line %d", symbol,
              GPOINTER_TO_INT (g_hash_table_lookup (seen, key)));
      return FALSE;
    }
  if (!_sextant_csv_importer_read_value (self, line, self->columns[SEXTANT_CSV_ROLE_QUANTITY], symbol, &quantity) ||
      !_sextant_csv_importer_read_value (self, line, self->columns[SEXTANT_CSV_ROLE_WEIGHT], symbol, &weight) ||
      !_sextant_csv_importer_read_value (self, line, self->columns[SEXTANT_CSV_ROLE_MIN_WEIGHT], symbol, &lo) ||
      !_sextant_csv_importer_read_value (self, line, self->columns[SEXTANT_CSV_ROLE_MAX_WEIGHT], symbol, &hi) ||
      !check_holding_numbers (self, line, symbol, quantity, weight, lo, hi))
    return FALSE;
  if (kind != SEXTANT_HOLDING_EQUITY && !isnan (weight))
    {
      _sextant_csv_importer_reject (self, line, "%s is held by weight: a %s needs %s in the "
                                    "quantity column", symbol, sextant_holding_kind_name (kind),
                                    kind == SEXTANT_HOLDING_BOND ? "its face amount" : "the amount");
      return FALSE;
    }
  if (kind == SEXTANT_HOLDING_CASH && !(quantity <= MAX_AMOUNT))
    {
      _sextant_csv_importer_reject (self, line, "%s: an amount of cash above 10^15 is a typing "
                                    "error", symbol);
      return FALSE;
    }
  if (kind == SEXTANT_HOLDING_BOND && !read_bond_terms (self, line, symbol, quantity, &bond, &spread))
    return FALSE;

  g_hash_table_insert (seen, g_steal_pointer (&key), GINT_TO_POINTER (line));
  if (kind == SEXTANT_HOLDING_BOND)
    sextant_portfolio_add_bond (portfolio, symbol, &bond, spread, currency != NULL ? currency : "USD");
  else if (kind == SEXTANT_HOLDING_CASH)
    sextant_portfolio_add_cash (portfolio, currency, quantity);
  else
    sextant_portfolio_add_holding (portfolio, symbol, quantity, weight,
                                   currency != NULL ? currency : "USD");
  if (!isnan (lo) || !isnan (hi))
    sextant_portfolio_set_bounds (portfolio, sextant_portfolio_get_n_holdings (portfolio) - 1,
                                  isnan (lo) ? 0.0 : lo, isnan (hi) ? 1.0 : hi);

  return TRUE;
}

/* The latest date of a positions export with a date column, or G_MININT32. */
static gint32
latest_date (SextantCsvImporter *self)
{
  int date_col = self->columns[SEXTANT_CSV_ROLE_DATE];
  const char *cursor = self->body, *text;
  gint32 latest = G_MININT32, day;
  gsize length;

  if (date_col < 0)
    return G_MININT32;
  while (sextant_csv_next_record (&cursor, self->end, self->delimiter, &text, &length, NULL))
    if (sextant_csv_split_line (text, length, self->delimiter, self->fields, MAX_COLUMNS,
                                self->scratch) > date_col &&
        sextant_csv_parse_date (self->fields[date_col].start, self->fields[date_col].length,
                                self->date_format, &day))
      latest = MAX (latest, day);

  return latest;
}

/* A file of positions on several days holds what was owned on its latest day; rows of earlier
 * days are reported, not added up or taken in place of the latest. */
static gboolean
is_of_latest_date (SextantCsvImporter *self,
                   int                 line,
                   gint32              latest)
{
  int seconds;
  gint32 day;

  if (latest == G_MININT32)
    return TRUE;
  if (!_sextant_csv_importer_read_date (self, line, &day, &seconds))
    return FALSE;
  if (day != latest)
    {
      g_autofree char *date = sextant_day_format_iso (day);
      g_autofree char *last = sextant_day_format_iso (latest);

      _sextant_csv_importer_reject (self, line, "a holding of %s; the file's latest day is %s",
                                    date, last);
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_csv_importer_read_holdings:
 * @self: an importer of a holdings file
 * @name: the portfolio's name
 * @error: return location
 *
 * Weights may be fractions (0.25) or percentages (`25%`). Broken rows are rejected with their
 * line and reason; the rest make the portfolio. A row is broken when it has no symbol, one
 * outside sextant_csv_importer_set_known_symbols(), a symbol listed before, no amount, a negative
 * amount, or bounds that are not 0 ≤ minimum ≤ maximum ≤ 1. In a file with a date column (a
 * positions export), the rows of the latest date are the holdings; earlier rows are rejected.
 *
 * Returns: (transfer full): the portfolio, or %NULL if the file holds no holding at all
 */
SextantPortfolio *
sextant_csv_importer_read_holdings (SextantCsvImporter  *self,
                                    const char          *name,
                                    GError             **error)
{
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *cursor, *text;
  gsize length;
  int line, n_lines = 1;
  gint32 latest;

  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);

  if (self->layout != SEXTANT_CSV_LAYOUT_HOLDINGS)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line %d: a holdings file needs symbol and quantity/shares/units or weight "
                   "columns", self->body_line - 1);
      return NULL;
    }

  portfolio = sextant_portfolio_new (name);
  latest = latest_date (self);
  g_array_set_size (self->rejected, 0);
  g_ptr_array_set_size (self->unpriced, 0);
  for (cursor = self->body, line = self->body_line;
       sextant_csv_next_record (&cursor, self->end, self->delimiter, &text, &length, &n_lines);
       line += n_lines)
    {
      int n, bad_field = 0;

      if (length == 0)
        continue;
      n = sextant_csv_split_record (text, length, self->delimiter, self->fields, MAX_COLUMNS,
                                    self->scratch, &bad_field);
      if (n == SEXTANT_CSV_UNTERMINATED_QUOTE)
        _sextant_csv_importer_reject (self, line, "unterminated quote");
      else if (n == SEXTANT_CSV_TEXT_AFTER_QUOTE)
        _sextant_csv_importer_reject (self, line, "column %d (“%s”): text after the closing quote",
                                      bad_field + 1, bad_field < (int) self->names->len
                                      ? (const char *) g_ptr_array_index (self->names, bad_field) : "");
      else if (n != (int) self->roles->len)
        _sextant_csv_importer_reject (self, line, "%d fields where the header has %u", n, self->roles->len);
      else if (is_of_latest_date (self, line, latest))
        read_holding (self, portfolio, seen, line);
    }
  if (sextant_portfolio_get_n_holdings (portfolio) == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "No readable holding in the file%s%s", self->rejected->len > 0 ? "; " : "",
                   self->rejected->len > 0 ? g_array_index (self->rejected, SextantCsvProblem, 0).message : "");
      return NULL;
    }

  return g_steal_pointer (&portfolio);
}
