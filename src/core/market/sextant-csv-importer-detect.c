#define G_LOG_DOMAIN "sextant-csv-importer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-csv-importer-private.h"
#include "market/sextant-market-error.h"

/* What a file is, judged before anything is imported: its delimiter, its columns and their roles,
 * its layout, its decimal separator and its date format. */

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
  };
  g_autoptr(GString) key = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    if (*p != ' ' && *p != '_' && *p != '-' && *p != '.')
      g_string_append_c (key, g_ascii_tolower (*p));
  for (guint i = 0; i < G_N_ELEMENTS (synonyms); i++)
    if (g_str_equal (key->str, synonyms[i].name))
      {
        *close_rank = synonyms[i].rank;
        return synonyms[i].role;
      }

  return SEXTANT_CSV_ROLE_IGNORED;
}

static int
count_delimiters (const char *line,
                  gsize       length,
                  char        delimiter)
{
  gboolean quoted = FALSE;
  int n = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (line[i] == '"')
        quoted = !quoted;
      else if (!quoted && line[i] == delimiter)
        n++;
    }

  return n;
}

/* The delimiter is the candidate that the header has and that most sample rows have exactly as
 * often as the header; a decimal comma fails that test because headers have no decimals. */
static char
detect_delimiter (const char *header,
                  gsize       header_length,
                  const char *body,
                  const char *end)
{
  static const char candidates[] = { ';', '\t', '|', ',' };
  char best = ',';
  int best_score = -1;

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      int expected = count_delimiters (header, header_length, candidates[c]);
      const char *cursor = body, *line;
      gsize length;
      int score = 0;

      if (expected == 0)
        continue;
      for (int i = 0; i < SAMPLE_LINES && sextant_csv_next_line (&cursor, end, &line, &length); i++)
        if (length > 0 && count_delimiters (line, length, candidates[c]) == expected)
          score++;
      if (score > best_score)
        {
          best = candidates[c];
          best_score = score;
        }
    }

  return best;
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

  if (!has_date && has_symbol && has_amount)
    self->layout = SEXTANT_CSV_LAYOUT_HOLDINGS;
  else if (!has_date)
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

  return TRUE;
}

static gboolean
is_value_role (SextantCsvRole role)
{
  return role >= SEXTANT_CSV_ROLE_OPEN && role != SEXTANT_CSV_ROLE_CURRENCY;
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
  for (int i = 0; i < SAMPLE_LINES && sextant_csv_next_line (&cursor, self->end, &line, &length); i++)
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
  while (sextant_csv_next_line (&cursor, self->end, &line, &length))
    {
      SextantCsvField field;
      gboolean any = FALSE;
      gint32 day;

      number++;
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
          *first_bad_line = number;
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

gboolean
_sextant_csv_importer_detect (SextantCsvImporter  *self,
         SextantDateFormat    date_format,
         GError             **error)
{
  gsize size = 0;
  /* An empty file's bytes are NULL, and NULL + 0 is undefined behaviour. */
  const char *text = size_or_empty (self->data, &size);
  const char *cursor = text, *header = NULL;
  gsize header_length = 0;
  int number = 0;

  self->end = text + size;
  if (size >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    cursor += 3;
  while (sextant_csv_next_line (&cursor, self->end, &header, &header_length) && ++number &&
         header_length == 0)
    ;
  if (header == NULL || header_length == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER, "The file is empty");
      return FALSE;
    }
  self->body = cursor;
  self->body_line = number + 1;
  self->delimiter = detect_delimiter (header, header_length, self->body, self->end);
  if (!read_header (self, header, header_length, error) || !choose_layout (self, error))
    return FALSE;
  detect_decimal_comma (self);
  if (self->layout == SEXTANT_CSV_LAYOUT_HOLDINGS)
    return TRUE;
  if (date_format != SEXTANT_DATE_FORMAT_UNKNOWN)
    {
      self->date_format = date_format;
      self->date_rule = "as requested";
      return TRUE;
    }

  return detect_date_format (self, error);
}

gboolean
_sextant_csv_importer_read_date (SextantCsvImporter *self,
               int                 line,
               gint32             *day)
{
  SextantCsvField *field = &self->fields[self->columns[SEXTANT_CSV_ROLE_DATE]];

  if (sextant_csv_parse_date (field->start, field->length, self->date_format, day))
    return TRUE;

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
