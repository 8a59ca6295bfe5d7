#define G_LOG_DOMAIN "sextant-csv-importer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-csv-importer-private.h"
#include "market/sextant-market-error.h"

/* What a file is, judged before anything is imported: its delimiter, its columns and their roles,
 * its layout, its decimal separator and its date format. */

static char *
normalize_name (const char *name)
{
  GString *key = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    if (*p != ' ' && *p != '_' && *p != '-' && *p != '.')
      g_string_append_c (key, g_ascii_tolower (*p));

  return g_string_free (key, FALSE);
}

/* Header matching ignores case, spaces, underscores, dashes and dots: "Adj Close", "adj_close"
 * and "AdjClose" are one name. Close synonyms carry a rank: a raw close wins over an adjusted
 * one, so that open/high/low/close stay consistent with each other. */
static SextantCsvRole
role_for_name (const char *name,
               int        *close_rank)
{
  static const struct { const char *name; SextantCsvRole role; int rank; } synonyms[] = {
    { "date", SEXTANT_CSV_ROLE_DATE, 0 }, { "tradedate", SEXTANT_CSV_ROLE_DATE, 0 },
    { "timestamp", SEXTANT_CSV_ROLE_DATE, 0 }, { "datetime", SEXTANT_CSV_ROLE_DATE, 0 },
    { "time", SEXTANT_CSV_ROLE_DATE, 0 }, { "day", SEXTANT_CSV_ROLE_DATE, 0 },
    { "gmttime", SEXTANT_CSV_ROLE_DATE, 0 }, { "localtime", SEXTANT_CSV_ROLE_DATE, 0 },
    { "symbol", SEXTANT_CSV_ROLE_SYMBOL, 0 }, { "ticker", SEXTANT_CSV_ROLE_SYMBOL, 0 },
    { "instrument", SEXTANT_CSV_ROLE_SYMBOL, 0 }, { "security", SEXTANT_CSV_ROLE_SYMBOL, 0 },
    { "open", SEXTANT_CSV_ROLE_OPEN, 0 }, { "high", SEXTANT_CSV_ROLE_HIGH, 0 },
    { "low", SEXTANT_CSV_ROLE_LOW, 0 }, { "volume", SEXTANT_CSV_ROLE_VOLUME, 0 },
    { "vol", SEXTANT_CSV_ROLE_VOLUME, 0 },
    { "close", SEXTANT_CSV_ROLE_CLOSE, 1 }, { "closeprice", SEXTANT_CSV_ROLE_CLOSE, 2 },
    { "last", SEXTANT_CSV_ROLE_CLOSE, 3 }, { "lastprice", SEXTANT_CSV_ROLE_CLOSE, 3 },
    { "price", SEXTANT_CSV_ROLE_CLOSE, 4 }, { "adjclose", SEXTANT_CSV_ROLE_CLOSE, 5 },
    { "adjustedclose", SEXTANT_CSV_ROLE_CLOSE, 5 },
    { "quantity", SEXTANT_CSV_ROLE_QUANTITY, 0 }, { "shares", SEXTANT_CSV_ROLE_QUANTITY, 0 },
    { "units", SEXTANT_CSV_ROLE_QUANTITY, 0 }, { "qty", SEXTANT_CSV_ROLE_QUANTITY, 0 },
    { "position", SEXTANT_CSV_ROLE_QUANTITY, 0 },
    { "weight", SEXTANT_CSV_ROLE_WEIGHT, 0 }, { "allocation", SEXTANT_CSV_ROLE_WEIGHT, 0 },
    { "currency", SEXTANT_CSV_ROLE_CURRENCY, 0 }, { "ccy", SEXTANT_CSV_ROLE_CURRENCY, 0 },
    { "minweight", SEXTANT_CSV_ROLE_MIN_WEIGHT, 0 }, { "min", SEXTANT_CSV_ROLE_MIN_WEIGHT, 0 },
    { "maxweight", SEXTANT_CSV_ROLE_MAX_WEIGHT, 0 }, { "max", SEXTANT_CSV_ROLE_MAX_WEIGHT, 0 },
    /* Bonds and cash in a holdings file (the ISIN or name is the symbol, the face amount held
     * or the cash the quantity): their terms. Only a holdings file keeps these roles. */
    { "type", SEXTANT_CSV_ROLE_KIND, 0 }, { "kind", SEXTANT_CSV_ROLE_KIND, 0 },
    { "assetclass", SEXTANT_CSV_ROLE_KIND, 0 }, { "assettype", SEXTANT_CSV_ROLE_KIND, 0 },
    { "coupon", SEXTANT_CSV_ROLE_COUPON, 0 }, { "couponrate", SEXTANT_CSV_ROLE_COUPON, 0 },
    { "maturity", SEXTANT_CSV_ROLE_MATURITY, 0 }, { "maturitydate", SEXTANT_CSV_ROLE_MATURITY, 0 },
    { "frequency", SEXTANT_CSV_ROLE_FREQUENCY, 0 }, { "couponfrequency", SEXTANT_CSV_ROLE_FREQUENCY, 0 },
    { "daycount", SEXTANT_CSV_ROLE_DAY_COUNT, 0 }, { "spread", SEXTANT_CSV_ROLE_SPREAD, 0 },
  };
  g_autofree char *key = normalize_name (name);

  for (guint i = 0; i < G_N_ELEMENTS (synonyms); i++)
    if (g_str_equal (key, synonyms[i].name))
      {
        *close_rank = synonyms[i].rank;
        return synonyms[i].role;
      }

  return SEXTANT_CSV_ROLE_IGNORED;
}

/* For the analysis reader, which names its columns as the importer does. */
SextantCsvRole
_sextant_csv_role_for_name (const char *name,
                            int        *close_rank)
{
  return role_for_name (name, close_rank);
}

static SextantCsvRole
role_for_name_simple (const char *start,
                      gsize       length)
{
  g_autofree char *name = g_strndup (start, length);
  int rank = 0;

  return role_for_name (name, &rank);
}

static gboolean
read_header (SextantCsvImporter  *self,
             const char          *header,
             gsize                length,
             GError             **error)
{
  int n = sextant_csv_split_line (header, length, self->delimiter, self->fields, MAX_COLUMNS,
                                  self->scratch);
  int best_close_rank = G_MAXINT;

  if (n < 0 || n > MAX_COLUMNS)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   n < 0 ? "Line %d: unterminated quote in the header"
                         : "Line %d: more than 4096 columns", self->body_line - 1);
      return FALSE;
    }
  for (int i = 0; i < SEXTANT_CSV_N_ROLES; i++)
    self->columns[i] = -1;
  for (int i = 0; i < n; i++)
    {
      char *name = g_strndup (self->fields[i].start, self->fields[i].length);
      int rank = 0;
      SextantCsvRole role = role_for_name (name, &rank);

      /* "Time" is the date column of a file with timestamps, and the time of day beside a
       * "Date" column. */
      if (role == SEXTANT_CSV_ROLE_DATE && self->columns[role] >= 0 &&
          g_ascii_strcasecmp (name, "time") == 0 && self->columns[SEXTANT_CSV_ROLE_TIME] < 0)
        role = SEXTANT_CSV_ROLE_TIME;
      if (role == SEXTANT_CSV_ROLE_CLOSE && rank < best_close_rank)
        {
          if (self->columns[role] >= 0)
            g_array_index (self->roles, SextantCsvRole, self->columns[role]) = SEXTANT_CSV_ROLE_IGNORED;
          best_close_rank = rank;
          self->columns[role] = i;
        }
      else if (role != SEXTANT_CSV_ROLE_IGNORED && self->columns[role] < 0)
        self->columns[role] = i;
      else
        role = SEXTANT_CSV_ROLE_IGNORED;
      g_ptr_array_add (self->names, name);
      g_array_append_val (self->roles, role);
    }

  return TRUE;
}

/* Two columns of one symbol in a wide file would both be its closes, the second silently
 * replacing the first day by day. */
static gboolean
check_unique_symbols (SextantCsvImporter  *self,
                      GError             **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->roles->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);
      gpointer first;

      if (g_array_index (self->roles, SextantCsvRole, i) != SEXTANT_CSV_ROLE_SYMBOL_CLOSE)
        continue;
      if (g_hash_table_lookup_extended (seen, name, NULL, &first))
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                       "Line %d: the column “%s” appears twice (columns %u and %u); each "
                       "instrument needs a column of its own name", self->body_line - 1, name,
                       GPOINTER_TO_UINT (first) + 1, i + 1);
          return FALSE;
        }
      g_hash_table_insert (seen, (gpointer) name, GUINT_TO_POINTER (i));
    }

  return TRUE;
}

/* A price file's "Type" or "Coupon" column is ignored as before bond terms had roles, or, in a
 * wide file, an instrument's closes. */
static void
forget_bond_terms (SextantCsvImporter *self)
{
  for (guint i = 0; i < self->roles->len; i++)
    if (g_array_index (self->roles, SextantCsvRole, i) >= SEXTANT_CSV_ROLE_KIND)
      g_array_index (self->roles, SextantCsvRole, i) = SEXTANT_CSV_ROLE_IGNORED;
  for (int r = SEXTANT_CSV_ROLE_KIND; r < SEXTANT_CSV_N_ROLES; r++)
    self->columns[r] = -1;
}

static gboolean
choose_layout (SextantCsvImporter  *self,
               GError             **error)
{
  gboolean has_date = self->columns[SEXTANT_CSV_ROLE_DATE] >= 0;
  gboolean has_symbol = self->columns[SEXTANT_CSV_ROLE_SYMBOL] >= 0;
  gboolean has_close = self->columns[SEXTANT_CSV_ROLE_CLOSE] >= 0;
  gboolean has_amount = self->columns[SEXTANT_CSV_ROLE_QUANTITY] >= 0 ||
                        self->columns[SEXTANT_CSV_ROLE_WEIGHT] >= 0;
  int line = self->body_line - 1;

  if (self->wide_by_header)
    {
      self->layout = SEXTANT_CSV_LAYOUT_WIDE;
      return TRUE;
    }
  /* A quantity or weight per symbol is a holding even beside a date, a description, a price and
   * a market value (a broker's positions export); price files have no amounts. */
  if (has_symbol && has_amount)
    {
      self->layout = SEXTANT_CSV_LAYOUT_HOLDINGS;
      return TRUE;
    }
  forget_bond_terms (self);
  if (!has_date)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line %d: the header needs a date column (date, tradedate, timestamp) for "
                   "prices, or symbol with quantity/shares/units or weight for holdings", line);
      return FALSE;
    }
  else if (has_close)
    self->layout = has_symbol ? SEXTANT_CSV_LAYOUT_LONG : SEXTANT_CSV_LAYOUT_SINGLE;
  else if (has_symbol || self->columns[SEXTANT_CSV_ROLE_OPEN] >= 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line %d: the header needs a price column (close, adj close, price, last)",
                   line);
      return FALSE;
    }
  else
    {
      self->layout = SEXTANT_CSV_LAYOUT_WIDE;
      for (guint i = 0; i < self->roles->len; i++)
        if (g_array_index (self->roles, SextantCsvRole, i) == SEXTANT_CSV_ROLE_IGNORED &&
            *(const char *) g_ptr_array_index (self->names, i) != '\0')
          g_array_index (self->roles, SextantCsvRole, i) = SEXTANT_CSV_ROLE_SYMBOL_CLOSE;
    }

  return check_unique_symbols (self, error);
}

static gboolean
is_value_role (SextantCsvRole role)
{
  return role >= SEXTANT_CSV_ROLE_OPEN && role != SEXTANT_CSV_ROLE_CURRENCY &&
         role != SEXTANT_CSV_ROLE_TIME && role != SEXTANT_CSV_ROLE_KIND &&
         role != SEXTANT_CSV_ROLE_MATURITY && role != SEXTANT_CSV_ROLE_DAY_COUNT;
}

/* Decimal commas show as "12,5" in value columns of a file whose delimiter is not a comma. */
static void
detect_decimal_comma (SextantCsvImporter *self)
{
  const char *cursor = self->body, *line;
  int commas = 0, dots = 0;
  gsize length;

  if (self->delimiter == ',')
    return;
  for (int i = 0; i < SAMPLE_LINES &&
                  sextant_csv_next_record (&cursor, self->end, self->delimiter, &line, &length,
                                           NULL); i++)
    {
      int n = sextant_csv_split_line (line, length, self->delimiter, self->fields, MAX_COLUMNS,
                                      self->scratch);

      for (int c = 0; c < MIN (n, (int) self->roles->len); c++)
        if (is_value_role (g_array_index (self->roles, SextantCsvRole, c)))
          {
            commas += memchr (self->fields[c].start, ',', self->fields[c].length) != NULL;
            dots += memchr (self->fields[c].start, '.', self->fields[c].length) != NULL;
          }
    }
  self->decimal_comma = commas > 0 && commas >= dots;
}

static const SextantDateFormat date_candidates[] = {
  SEXTANT_DATE_FORMAT_ISO, SEXTANT_DATE_FORMAT_US, SEXTANT_DATE_FORMAT_EU_SLASH,
  SEXTANT_DATE_FORMAT_EU_DOT, SEXTANT_DATE_FORMAT_COMPACT, SEXTANT_DATE_FORMAT_UNIX,
  SEXTANT_DATE_FORMAT_EU_DASH, SEXTANT_DATE_FORMAT_DAY_MONTH_NAME,
  SEXTANT_DATE_FORMAT_MONTH_NAME_DAY,
};

static gboolean
date_field (SextantCsvImporter *self,
            const char         *line,
            gsize               length,
            SextantCsvField    *field)
{
  int date_col = self->columns[SEXTANT_CSV_ROLE_DATE];
  int n = sextant_csv_split_line (line, length, self->delimiter, self->fields, date_col + 1,
                                  self->scratch);

  if (n <= date_col || self->fields[date_col].length == 0)
    return FALSE;
  *field = self->fields[date_col];

  return TRUE;
}

/* Counts, over the whole column, how many dates each format reads. */
static int
count_date_formats (SextantCsvImporter *self,
                    int                 counts[G_N_ELEMENTS (date_candidates)],
                    int                *first_bad_line,
                    char              **first_bad)
{
  const char *cursor = self->body, *line;
  int total = 0, number = self->body_line - 1;
  gsize length;

  memset (counts, 0, sizeof (int) * G_N_ELEMENTS (date_candidates));
  int n_lines = 1;

  while (sextant_csv_next_record (&cursor, self->end, self->delimiter, &line, &length, &n_lines))
    {
      SextantCsvField field;
      gboolean any = FALSE;
      gint32 day;

      number += n_lines;
      if (length == 0 || !date_field (self, line, length, &field))
        continue;
      total++;
      for (guint f = 0; f < G_N_ELEMENTS (date_candidates); f++)
        if (sextant_csv_parse_date (field.start, field.length, date_candidates[f], &day))
          {
            counts[f]++;
            any = TRUE;
            /* ISO dates parse as nothing else: skip the other tests for speed. */
            if (f == 0)
              break;
          }
      if (!any && *first_bad == NULL)
        {
          *first_bad = g_strndup (field.start, field.length);
          *first_bad_line = number - n_lines + 1;
        }
    }

  return total;
}

static gboolean
ambiguous_dates (SextantCsvImporter  *self,
                 GError             **error)
{
  /* The stated rule: day first when the file also writes numbers the European way. */
  if (self->decimal_comma || self->delimiter == ';')
    {
      self->date_format = SEXTANT_DATE_FORMAT_EU_SLASH;
      self->date_rule = "every date reads as both D/M/YYYY and M/D/YYYY; day first assumed "
                        "because the file uses European number format";
      return TRUE;
    }
  g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_DATE,
               "Every date reads as both M/D/YYYY and D/M/YYYY; choose the date format "
               "(--date-format us or eu)");

  return FALSE;
}

static gboolean
detect_date_format (SextantCsvImporter  *self,
                    GError             **error)
{
  int counts[G_N_ELEMENTS (date_candidates)], total, best = -1, n_full = 0;
  g_autofree char *first_bad = NULL;
  int first_bad_line = 0;

  total = count_date_formats (self, counts, &first_bad_line, &first_bad);
  for (guint f = 0; f < G_N_ELEMENTS (date_candidates); f++)
    {
      if (counts[f] == total && total > 0)
        n_full++;
      if (best < 0 || counts[f] > counts[best])
        best = f;
    }
  if (total == 0 || counts[best] == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_DATE,
                   first_bad != NULL ? "Line %d: “%s” is not a date in any known format"
                                     : "Line %d: no dates below the header%s",
                   first_bad != NULL ? first_bad_line : self->body_line - 1,
                   first_bad != NULL ? first_bad : "");
      return FALSE;
    }
  if (n_full > 1 && counts[1] == total && counts[2] == total && counts[0] < total)
    return ambiguous_dates (self, error);

  self->date_format = date_candidates[best];
  self->date_rule = counts[best] == total ? "the only format that reads every date"
                                          : "the format most dates use; rows in other formats "
                                            "are rejected";
  return TRUE;
}

static const char *
size_or_empty (GBytes *data,
               gsize  *size)
{
  const char *text = g_bytes_get_data (data, size);

  return text != NULL ? text : "";
}

/* Broker activity files (Schwab, Fidelity, Interactive Brokers, Degiro exports) have a date,
 * a symbol, often a quantity and a price: read as prices, a 0.62 dividend would become a close;
 * read as holdings, every buy would be a position. They are recognised by a column that says
 * what each row did, beside an amount or fee column, or holding such words. */
static gboolean
is_transaction_export (SextantCsvImporter *self,
                       char              **action_name)
{
  static const char *actions[] = { "action", "type", "transactiontype", "activity",
                                   "activitytype", "transaction", "side", "buysell", "buy/sell",
                                   "tradetype",
                                   "operation", "transactioncode", "txntype", "entrytype" };
  static const char *money[] = { "amount", "netamount", "totalamount", "amountusd", "fees",
                                 "fee", "fees&comm", "feescomm", "commission", "commissions",
                                 "proceeds", "netcash", "netproceeds", "transactionfee" };
  static const char *words[] = { "buy", "sell", "bought", "sold", "dividend", "div",
                                 "reinvest", "reinvestment", "interest", "deposit", "withdrawal",
                                 "transfer", "fee", "split", "buy to open", "sell to close",
                                 "cash dividend", "qualified dividend", "reinvest dividend",
                                 "reinvest shares" };
  int action = -1;
  gboolean has_money = FALSE;
  const char *cursor = self->body, *line;
  gsize length;

  for (guint i = 0; i < self->names->len; i++)
    {
      g_autofree char *key = normalize_name (g_ptr_array_index (self->names, i));

      for (guint a = 0; action < 0 && a < G_N_ELEMENTS (actions); a++)
        if (g_str_equal (key, actions[a]))
          action = i;
      for (guint m = 0; m < G_N_ELEMENTS (money); m++)
        has_money = has_money || g_str_equal (key, money[m]);
    }
  if (action < 0)
    return FALSE;
  *action_name = g_strdup (g_ptr_array_index (self->names, action));
  if (has_money)
    return TRUE;

  for (int i = 0; i < SAMPLE_LINES &&
                  sextant_csv_next_record (&cursor, self->end, self->delimiter, &line, &length,
                                           NULL); i++)
    {
      int n = sextant_csv_split_line (line, length, self->delimiter, self->fields, MAX_COLUMNS,
                                      self->scratch);

      if (n <= action)
        continue;
      for (guint w = 0; w < G_N_ELEMENTS (words); w++)
        if (self->fields[action].length == strlen (words[w]) &&
            g_ascii_strncasecmp (self->fields[action].start, words[w], strlen (words[w])) == 0)
          return TRUE;
    }

  return FALSE;
}

/* yfinance's download().to_csv() writes three header rows: the price names after "Price", the
 * tickers after "Ticker", then "Date" alone. One ticker makes a one-instrument file of that
 * symbol; several make a wide file of their closes (the raw close, as everywhere). Returns a
 * header to read in place of the first row, or NULL if the file is not written that way. */
static char *
read_ticker_rows (SextantCsvImporter *self,
                  const char         *header,
                  gsize               header_length,
                  const char        **cursor,
                  int                *number,
                  GPtrArray         **tickers)
{
  const char *next = *cursor, *line;
  gsize length;
  int n_header, n, n_lines = 1, lines = 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *synthetic;

  n_header = sextant_csv_split_line (header, header_length, self->delimiter, self->fields,
                                     MAX_COLUMNS, self->scratch);
  if (n_header < 2 || n_header > MAX_COLUMNS || self->fields[0].length != 5 ||
      g_ascii_strncasecmp (self->fields[0].start, "Price", 5) != 0)
    return NULL;
  synthetic = g_string_new ("Date");
  for (int i = 1; i < n_header; i++)
    {
      g_string_append_c (synthetic, self->delimiter);
      g_string_append_c (synthetic, '"');
      for (gsize k = 0; k < self->fields[i].length; k++)
        {
          if (self->fields[i].start[k] == '"')
            g_string_append_c (synthetic, '"');
          g_string_append_c (synthetic, self->fields[i].start[k]);
        }
      g_string_append_c (synthetic, '"');
    }

  /* The ticker row. */
  if (!sextant_csv_next_record (&next, self->end, self->delimiter, &line, &length, &n_lines) ||
      (n = sextant_csv_split_line (line, length, self->delimiter, self->fields, MAX_COLUMNS,
                                   self->scratch)) != n_header ||
      self->fields[0].length != 6 || g_ascii_strncasecmp (self->fields[0].start, "Ticker", 6) != 0)
    goto not_yfinance;
  lines += n_lines;
  for (int i = 0; i < n; i++)
    g_ptr_array_add (names, g_strndup (self->fields[i].start, self->fields[i].length));

  /* The date row: "Date" (or "Datetime") and nothing else. */
  if (!sextant_csv_next_record (&next, self->end, self->delimiter, &line, &length, &n_lines) ||
      (n = sextant_csv_split_line (line, length, self->delimiter, self->fields, MAX_COLUMNS,
                                   self->scratch)) < 1 ||
      role_for_name_simple (self->fields[0].start, self->fields[0].length) != SEXTANT_CSV_ROLE_DATE)
    goto not_yfinance;
  for (int i = 1; i < MIN (n, MAX_COLUMNS); i++)
    if (self->fields[i].length != 0)
      goto not_yfinance;
  lines += n_lines;

  *cursor = next;
  *number += lines;
  *tickers = g_steal_pointer (&names);
  return g_string_free (synthetic, FALSE);

not_yfinance:
  g_string_free (synthetic, TRUE);
  return NULL;
}

/* After read_header() of yfinance's rows: one ticker names the instrument, several make the
 * close columns a wide file's, named by their tickers. */
static void
apply_tickers (SextantCsvImporter *self,
               GPtrArray          *tickers)
{
  int close = self->columns[SEXTANT_CSV_ROLE_CLOSE];
  g_autofree char *close_name = NULL;
  gboolean one = TRUE;

  for (guint i = 2; i < tickers->len; i++)
    one = one && g_str_equal (g_ptr_array_index (tickers, i), g_ptr_array_index (tickers, 1));
  if (one)
    {
      g_free (self->symbol);
      self->symbol = g_strdup (g_ptr_array_index (tickers, 1));
      return;
    }
  if (close < 0)
    return;

  close_name = g_strdup (g_ptr_array_index (self->names, close));
  for (int r = 0; r < SEXTANT_CSV_N_ROLES; r++)
    if (r != SEXTANT_CSV_ROLE_DATE)
      self->columns[r] = -1;
  for (guint i = 0; i < self->names->len; i++)
    {
      SextantCsvRole *role = &g_array_index (self->roles, SextantCsvRole, i);

      if (*role == SEXTANT_CSV_ROLE_DATE)
        continue;
      if (g_str_equal (g_ptr_array_index (self->names, i), close_name) &&
          *(const char *) g_ptr_array_index (tickers, i) != '\0')
        {
          *role = SEXTANT_CSV_ROLE_SYMBOL_CLOSE;
          g_free (g_ptr_array_index (self->names, i));
          g_ptr_array_index (self->names, i) = g_strdup (g_ptr_array_index (tickers, i));
        }
      else
        *role = SEXTANT_CSV_ROLE_IGNORED;
    }
  self->wide_by_header = TRUE;
}

/* The text of the date (and time) cells of a row, and its day; FALSE for a row without one. */
static gboolean
row_stamp (SextantCsvImporter *self,
           const char         *line,
           gsize               length,
           GString            *stamp,
           gint32             *day)
{
  int date_col = self->columns[SEXTANT_CSV_ROLE_DATE];
  int time_col = self->columns[SEXTANT_CSV_ROLE_TIME];
  int n = sextant_csv_split_line (line, length, self->delimiter, self->fields, MAX_COLUMNS,
                                  self->scratch);

  if (n <= MAX (date_col, time_col) ||
      !sextant_csv_parse_date (self->fields[date_col].start, self->fields[date_col].length,
                               self->date_format, day))
    return FALSE;
  g_string_truncate (stamp, 0);
  g_string_append_len (stamp, self->fields[date_col].start, self->fields[date_col].length);
  if (time_col >= 0)
    {
      g_string_append_c (stamp, ' ');
      g_string_append_len (stamp, self->fields[time_col].start, self->fields[time_col].length);
    }

  return TRUE;
}

/* Intraday files have rows of one day with different times; a daily file's repeated day has the
 * same text (a duplicate row, rejected as such). Rows may come in any order. */
static void
detect_intraday (SextantCsvImporter *self)
{
  g_autoptr(GHashTable) stamps = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GString) stamp = g_string_new (NULL);
  const char *cursor = self->body, *line;
  gint32 day;
  gsize length;

  while (sextant_csv_next_record (&cursor, self->end, self->delimiter, &line, &length, NULL))
    {
      guint hash;
      gpointer seen;

      if (length == 0 || !row_stamp (self, line, length, stamp, &day))
        continue;
      /* The stamp's hash stands for its text; 0 is kept free to mean "no entry". */
      hash = g_str_hash (stamp->str) | 1;
      seen = g_hash_table_lookup (stamps, GINT_TO_POINTER (day));
      if (seen == NULL)
        g_hash_table_insert (stamps, GINT_TO_POINTER (day), GUINT_TO_POINTER (hash));
      else if (GPOINTER_TO_UINT (seen) != hash)
        {
          self->intraday = TRUE;
          return;
        }
    }
}

gboolean
_sextant_csv_importer_detect (SextantCsvImporter  *self,
         SextantDateFormat    date_format,
         GError             **error)
{
  gsize size = 0;
  /* An empty file's bytes are NULL, and NULL + 0 is undefined behaviour. */
  const char *text = size_or_empty (self->data, &size);
  const char *cursor = text, *header = NULL;
  g_autofree char *yfinance_header = NULL;
  g_autofree char *action = NULL;
  g_autoptr(GPtrArray) tickers = NULL;
  gsize header_length = 0;
  int number = 0;
  char hint = '\0';

  self->end = text + size;
  if (size >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    cursor += 3;
  while (sextant_csv_next_line (&cursor, self->end, &header, &header_length) && ++number &&
         header_length == 0)
    ;
  /* Excel's "sep=;" line names the delimiter; the header follows it. */
  if (header != NULL && sextant_csv_separator_hint (header, header_length, &hint))
    while (sextant_csv_next_line (&cursor, self->end, &header, &header_length) && ++number &&
           header_length == 0)
      ;
  if (header == NULL || header_length == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER, "The file is empty");
      return FALSE;
    }
  self->delimiter = hint != '\0' ? hint
                                  : sextant_csv_detect_delimiter (header, header_length, cursor,
                                                                  self->end);
  yfinance_header = read_ticker_rows (self, header, header_length, &cursor, &number, &tickers);
  self->body = cursor;
  self->body_line = number + 1;
  if (yfinance_header != NULL)
    {
      header = yfinance_header;
      header_length = strlen (yfinance_header);
    }
  if (!read_header (self, header, header_length, error))
    return FALSE;
  if (tickers != NULL)
    apply_tickers (self, tickers);
  if (is_transaction_export (self, &action))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line %d: this is a transaction export (a broker's activity file: its “%s” "
                   "column lists Buy, Sell or Dividend rows with amounts and fees), not prices "
                   "or holdings; it is not imported. Export the price history, or the current "
                   "positions, instead", self->body_line - 1, action);
      return FALSE;
    }
  if (!choose_layout (self, error))
    return FALSE;
  detect_decimal_comma (self);
  if (self->layout == SEXTANT_CSV_LAYOUT_HOLDINGS)
    {
      int date_col = self->columns[SEXTANT_CSV_ROLE_DATE];

      /* A positions export's date says which day the holdings are of; when its dates do not
       * read, they are not needed. */
      if (date_col >= 0 && date_format != SEXTANT_DATE_FORMAT_UNKNOWN)
        self->date_format = date_format;
      else if (date_col >= 0 && !detect_date_format (self, NULL))
        {
          g_array_index (self->roles, SextantCsvRole, date_col) = SEXTANT_CSV_ROLE_IGNORED;
          self->columns[SEXTANT_CSV_ROLE_DATE] = -1;
        }
      return TRUE;
    }
  if (date_format != SEXTANT_DATE_FORMAT_UNKNOWN)
    {
      self->date_format = date_format;
      self->date_rule = "as requested";
    }
  else if (!detect_date_format (self, error))
    return FALSE;
  detect_intraday (self);

  return TRUE;
}

/* Reads the row's date, and its time of day when the file is intraday (from the date cell or a
 * time column). */
gboolean
_sextant_csv_importer_read_date (SextantCsvImporter *self,
                                 int                 line,
                                 gint32             *day,
                                 int                *seconds)
{
  SextantCsvField *field = &self->fields[self->columns[SEXTANT_CSV_ROLE_DATE]];
  int time_col = self->columns[SEXTANT_CSV_ROLE_TIME];

  *seconds = -1;
  if (sextant_csv_parse_date_time (field->start, field->length, self->date_format, day, seconds))
    {
      if (time_col >= 0 && self->fields[time_col].length > 0 &&
          !sextant_csv_parse_time (self->fields[time_col].start, self->fields[time_col].length,
                                   seconds))
        {
          _sextant_csv_importer_reject (self, line, "“%.*s” is not a time of day",
                                        (int) MIN (self->fields[time_col].length, 40),
                                        self->fields[time_col].start);
          return FALSE;
        }
      return TRUE;
    }

  for (guint f = 0; f < G_N_ELEMENTS (date_candidates); f++)
    if (sextant_csv_parse_date (field->start, field->length, date_candidates[f], day))
      {
        _sextant_csv_importer_reject (self, line, "date “%.*s” is %s, but the column is %s", (int) MIN (field->length, 40),
                field->start, sextant_date_format_get_name (date_candidates[f]),
                sextant_date_format_get_name (self->date_format));
        return FALSE;
      }
  _sextant_csv_importer_reject (self, line, "“%.*s” is not a valid date", (int) MIN (field->length, 40), field->start);

  return FALSE;
}
