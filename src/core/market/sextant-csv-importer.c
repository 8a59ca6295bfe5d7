#define G_LOG_DOMAIN "sextant-csv-importer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-csv-importer.h"
#include "market/sextant-market-error.h"

/* More columns than this is not a price file anyone exports; it bounds the per-row arrays. */
#define MAX_COLUMNS 4096
#define SAMPLE_LINES 50

struct _SextantCsvImporter
{
  GObject            parent_instance;
  GBytes            *data;
  const char        *body;          /* first byte after the header line */
  const char        *end;
  int                body_line;     /* line number of the first line after the header */
  char               delimiter;
  gboolean           decimal_comma;
  SextantCsvLayout   layout;
  SextantDateFormat  date_format;
  const char        *date_rule;
  GPtrArray         *names;
  GArray            *roles;         /* SextantCsvRole per column */
  int                columns[SEXTANT_CSV_N_ROLES];  /* first column with each role, or -1 */
  char              *symbol;
  GArray            *rejected;
  GArray            *gaps;
  GString           *scratch;
  SextantCsvField   *fields;
  GHashTable        *symbol_ids;    /* symbol → small integer, for duplicate detection */
  GHashTable        *seen_rows;     /* (symbol id << 32 | day) → line that gave it first */
  GHashTable        *known;         /* upper-case symbol → its spelling, or NULL: any symbol */
};

G_DEFINE_FINAL_TYPE (SextantCsvImporter, sextant_csv_importer, G_TYPE_OBJECT)

static const char *role_names[] = {
  "ignored", "date", "symbol", "open", "high", "low", "close", "volume", "quantity", "weight",
  "currency", "min weight", "max weight", "close (one symbol per column)",
};

const char *
sextant_csv_role_get_name (SextantCsvRole role)
{
  g_return_val_if_fail (role < SEXTANT_CSV_N_ROLES, NULL);

  return role_names[role];
}

static void
problem_clear (gpointer data)
{
  SextantCsvProblem *problem = data;

  g_free (problem->column);
  g_free (problem->message);
}

static void
sextant_csv_importer_finalize (GObject *object)
{
  SextantCsvImporter *self = SEXTANT_CSV_IMPORTER (object);

  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->roles, g_array_unref);
  g_clear_pointer (&self->rejected, g_array_unref);
  g_clear_pointer (&self->gaps, g_array_unref);
  g_string_free (self->scratch, TRUE);
  g_free (self->symbol);
  g_free (self->fields);
  g_clear_pointer (&self->symbol_ids, g_hash_table_unref);
  g_clear_pointer (&self->seen_rows, g_hash_table_unref);
  g_clear_pointer (&self->known, g_hash_table_unref);

  G_OBJECT_CLASS (sextant_csv_importer_parent_class)->finalize (object);
}

static void
sextant_csv_importer_class_init (SextantCsvImporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_csv_importer_finalize;
}

static void
sextant_csv_importer_init (SextantCsvImporter *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->roles = g_array_new (FALSE, TRUE, sizeof (SextantCsvRole));
  self->rejected = g_array_new (FALSE, TRUE, sizeof (SextantCsvProblem));
  self->gaps = g_array_new (FALSE, TRUE, sizeof (SextantCsvProblem));
  g_array_set_clear_func (self->rejected, problem_clear);
  g_array_set_clear_func (self->gaps, problem_clear);
  self->scratch = g_string_sized_new (256);
  self->fields = g_new0 (SextantCsvField, MAX_COLUMNS);
  self->symbol_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen_rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
add_problem (GArray     *array,
             int         line,
             const char *column,
             char       *message)
{
  SextantCsvProblem problem = { line, g_strdup (column), message };

  g_array_append_val (array, problem);
}

static void
reject (SextantCsvImporter *self,
        int                 line,
        const char         *format,
        ...) G_GNUC_PRINTF (3, 4);

static void
reject (SextantCsvImporter *self,
        int                 line,
        const char         *format,
        ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  add_problem (self->rejected, line, NULL, g_strdup_printf ("Line %d: %s", line, message));
  g_free (message);
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

static gboolean
prepare (SextantCsvImporter  *self,
         SextantDateFormat    date_format,
         GError             **error)
{
  gsize size = 0;
  const char *text = g_bytes_get_data (self->data, &size);
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

/**
 * sextant_csv_importer_new_for_data:
 * @data: the file's bytes
 * @date_format: the date format, or %SEXTANT_DATE_FORMAT_UNKNOWN to detect it from the column
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the line
 *
 * Reads the header and detects the delimiter (`,` `;` tab `|`), the decimal separator, the
 * layout (one instrument, long, wide or holdings) and the date format, judged on the whole date
 * column. Nothing is imported yet: the importer is the preview of what will be.
 *
 * Returns: (transfer full): the importer, or %NULL if the file cannot be understood
 */
SextantCsvImporter *
sextant_csv_importer_new_for_data (GBytes             *data,
                                   SextantDateFormat   date_format,
                                   GError            **error)
{
  g_autoptr(SextantCsvImporter) self = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (SEXTANT_TYPE_CSV_IMPORTER, NULL);
  self->data = g_bytes_ref (data);
  if (!prepare (self, date_format, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * sextant_csv_importer_new_for_file:
 * @path: a CSV file
 * @date_format: the date format, or %SEXTANT_DATE_FORMAT_UNKNOWN
 * @error: return location
 *
 * The file is mapped, not read, so that large files cost no copy. A single-instrument file gets
 * the start of its file name as symbol, up to the first `_`, `.`, `-` or space and in upper case
 * (`msft_2000-09_2001-09_ohlcv.csv` is MSFT), until sextant_csv_importer_set_symbol().
 *
 * Returns: (transfer full): the importer, or %NULL
 */
SextantCsvImporter *
sextant_csv_importer_new_for_file (const char         *path,
                                   SextantDateFormat   date_format,
                                   GError            **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *base = NULL;
  SextantCsvImporter *self;
  char *dot;

  g_return_val_if_fail (path != NULL, NULL);

  if ((file = g_mapped_file_new (path, FALSE, error)) == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (file);
  if ((self = sextant_csv_importer_new_for_data (bytes, date_format, error)) == NULL)
    return NULL;

  base = g_path_get_basename (path);
  if ((dot = strpbrk (base, "_.- ")) != NULL && dot != base)
    *dot = '\0';
  self->symbol = g_ascii_strup (base, -1);

  return self;
}

char
sextant_csv_importer_get_delimiter (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), ',');

  return self->delimiter;
}

gboolean
sextant_csv_importer_get_decimal_comma (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), FALSE);

  return self->decimal_comma;
}

SextantCsvLayout
sextant_csv_importer_get_layout (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), SEXTANT_CSV_LAYOUT_SINGLE);

  return self->layout;
}

SextantDateFormat
sextant_csv_importer_get_date_format (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), SEXTANT_DATE_FORMAT_UNKNOWN);

  return self->date_format;
}

/**
 * sextant_csv_importer_get_date_rule:
 * @self: an importer
 *
 * Returns: (nullable): why this date format was chosen, in words
 */
const char *
sextant_csv_importer_get_date_rule (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);

  return self->date_rule;
}

guint
sextant_csv_importer_get_n_columns (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), 0);

  return self->names->len;
}

const char *
sextant_csv_importer_get_column_name (SextantCsvImporter *self,
                                      guint               column)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);
  g_return_val_if_fail (column < self->names->len, NULL);

  return g_ptr_array_index (self->names, column);
}

SextantCsvRole
sextant_csv_importer_get_column_role (SextantCsvImporter *self,
                                      guint               column)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), SEXTANT_CSV_ROLE_IGNORED);
  g_return_val_if_fail (column < self->roles->len, SEXTANT_CSV_ROLE_IGNORED);

  return g_array_index (self->roles, SextantCsvRole, column);
}

/**
 * sextant_csv_importer_set_symbol:
 * @self: an importer
 * @symbol: the symbol of a single-instrument file
 */
void
sextant_csv_importer_set_symbol (SextantCsvImporter *self,
                                 const char         *symbol)
{
  g_return_if_fail (SEXTANT_IS_CSV_IMPORTER (self));

  g_free (self->symbol);
  self->symbol = g_strdup (symbol);
}

/**
 * sextant_csv_importer_get_symbol:
 * @self: an importer
 *
 * Returns: (nullable): the symbol a single-instrument file is imported as
 */
const char *
sextant_csv_importer_get_symbol (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);

  return self->symbol;
}

/**
 * sextant_csv_importer_set_known_symbols:
 * @self: an importer
 * @symbols: (nullable) (array zero-terminated=1): the symbols there are prices for, or %NULL
 *   to accept any symbol
 *
 * Makes sextant_csv_importer_read_holdings() reject the rows of symbols outside @symbols, and
 * match the others ignoring case: a file's `ko` becomes the `KO` of the list, so that a row
 * repeating a symbol in another case is caught as a repeat.
 */
void
sextant_csv_importer_set_known_symbols (SextantCsvImporter *self,
                                        const char * const *symbols)
{
  g_return_if_fail (SEXTANT_IS_CSV_IMPORTER (self));

  g_clear_pointer (&self->known, g_hash_table_unref);
  if (symbols == NULL)
    return;
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; symbols[i] != NULL; i++)
    g_hash_table_insert (self->known, g_ascii_strup (symbols[i], -1), g_strdup (symbols[i]));
}

/**
 * sextant_csv_importer_describe:
 * @self: an importer
 *
 * Returns: (transfer full): the detected mapping in words, one item per line
 */
char *
sextant_csv_importer_describe (SextantCsvImporter *self)
{
  static const char *layouts[] = { "one instrument", "long (symbol, date, price)",
                                   "wide (one column per symbol)", "holdings" };
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "Layout: %s\n", layouts[self->layout]);
  g_string_append_printf (text, "Delimiter: %s\n", self->delimiter == '\t' ? "tab"
                                                    : self->delimiter == ';' ? "semicolon"
                                                    : self->delimiter == '|' ? "pipe" : "comma");
  g_string_append_printf (text, "Decimal separator: %s\n", self->decimal_comma ? "comma" : "point");
  if (self->layout != SEXTANT_CSV_LAYOUT_HOLDINGS)
    g_string_append_printf (text, "Dates: %s (%s)\n", sextant_date_format_get_name (self->date_format),
                            self->date_rule);
  if (self->layout == SEXTANT_CSV_LAYOUT_SINGLE)
    g_string_append_printf (text, "Symbol: %s\n", self->symbol != NULL ? self->symbol : "(none)");
  for (guint i = 0; i < self->names->len; i++)
    g_string_append_printf (text, "Column %u “%s”: %s\n", i + 1,
                            (const char *) g_ptr_array_index (self->names, i),
                            role_names[g_array_index (self->roles, SextantCsvRole, i)]);

  return g_string_free (text, FALSE);
}

guint
sextant_csv_importer_get_n_rejected (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), 0);

  return self->rejected->len;
}

/**
 * sextant_csv_importer_get_rejected:
 * @self: an importer
 * @index: which rejected row
 *
 * Returns: (transfer none): the row's line and reason (the message starts with "Line N: ")
 */
const SextantCsvProblem *
sextant_csv_importer_get_rejected (SextantCsvImporter *self,
                                   guint               index)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);
  g_return_val_if_fail (index < self->rejected->len, NULL);

  return &g_array_index (self->rejected, SextantCsvProblem, index);
}

guint
sextant_csv_importer_get_n_gaps (SextantCsvImporter *self)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), 0);

  return self->gaps->len;
}

/**
 * sextant_csv_importer_get_gap:
 * @self: an importer
 * @index: which gap
 *
 * Returns: (transfer none): the line and column of a missing value, kept as NaN
 */
const SextantCsvProblem *
sextant_csv_importer_get_gap (SextantCsvImporter *self,
                              guint               index)
{
  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);
  g_return_val_if_fail (index < self->gaps->len, NULL);

  return &g_array_index (self->gaps, SextantCsvProblem, index);
}

static gboolean
is_price_role (SextantCsvRole role)
{
  return (role >= SEXTANT_CSV_ROLE_OPEN && role <= SEXTANT_CSV_ROLE_VOLUME) ||
         role == SEXTANT_CSV_ROLE_SYMBOL_CLOSE;
}

/* Reads one value cell. Gaps are kept (NaN) and reported; text that is no number rejects the
 * row. */
static gboolean
read_value (SextantCsvImporter *self,
            int                 line,
            int                 column,
            const char         *symbol,
            double             *value)
{
  SextantCsvField *field = &self->fields[column];
  gboolean missing = FALSE;

  if (column < 0)
    {
      *value = NAN;
      return TRUE;
    }
  if (!sextant_csv_parse_double (field->start, field->length, self->decimal_comma, value, &missing))
    {
      reject (self, line, "%s “%.*s” is not a number",
              (const char *) g_ptr_array_index (self->names, column), (int) MIN (field->length, 40),
              field->start);
      return FALSE;
    }
  /* Gaps are reported for prices and volumes; an empty weight beside a quantity is no gap. */
  if (missing && is_price_role (g_array_index (self->roles, SextantCsvRole, column)))
    add_problem (self->gaps, line, symbol, g_strdup_printf ("Line %d: no %s for %s", line,
                                                            (const char *) g_ptr_array_index (self->names, column),
                                                            symbol));

  return TRUE;
}

static gboolean
read_row_date (SextantCsvImporter *self,
               int                 line,
               gint32             *day)
{
  SextantCsvField *field = &self->fields[self->columns[SEXTANT_CSV_ROLE_DATE]];

  if (sextant_csv_parse_date (field->start, field->length, self->date_format, day))
    return TRUE;

  for (guint f = 0; f < G_N_ELEMENTS (date_candidates); f++)
    if (sextant_csv_parse_date (field->start, field->length, date_candidates[f], day))
      {
        reject (self, line, "date “%.*s” is %s, but the column is %s", (int) MIN (field->length, 40),
                field->start, sextant_date_format_get_name (date_candidates[f]),
                sextant_date_format_get_name (self->date_format));
        return FALSE;
      }
  reject (self, line, "“%.*s” is not a valid date", (int) MIN (field->length, 40), field->start);

  return FALSE;
}

/* A second row for the same instrument and date would silently replace the first in the cache;
 * it is rejected instead, naming the line that came first. @symbol is %NULL for a wide row,
 * whose date stands for every column at once. */
static gboolean
is_duplicate_row (SextantCsvImporter *self,
                  const char         *symbol,
                  gint32              day,
                  int                 line)
{
  gpointer id = NULL;
  gint64 key;
  int first;
  g_autofree char *date = NULL;

  if (symbol != NULL && !g_hash_table_lookup_extended (self->symbol_ids, symbol, NULL, &id))
    {
      id = GUINT_TO_POINTER (g_hash_table_size (self->symbol_ids) + 1);
      g_hash_table_insert (self->symbol_ids, g_strdup (symbol), id);
    }
  key = ((gint64) GPOINTER_TO_UINT (id) << 32) | (guint32) day;
  first = GPOINTER_TO_INT (g_hash_table_lookup (self->seen_rows, &key));
  if (first == 0)
    {
      g_hash_table_insert (self->seen_rows, g_memdup2 (&key, sizeof key), GINT_TO_POINTER (line));
      return FALSE;
    }

  date = sextant_day_format_iso (day);
  if (symbol != NULL)
    reject (self, line, "%s on %s is already on line %d", symbol, date, first);
  else
    reject (self, line, "%s is already on line %d", date, first);

  return TRUE;
}

/* One row of a single-instrument or long file. */
static gboolean
import_bar_row (SextantCsvImporter  *self,
                SextantMarketCache  *cache,
                int                  line,
                gint32               day,
                gsize               *n_bars,
                GError             **error)
{
  static const SextantCsvRole order[] = { SEXTANT_CSV_ROLE_OPEN, SEXTANT_CSV_ROLE_HIGH,
                                          SEXTANT_CSV_ROLE_LOW, SEXTANT_CSV_ROLE_CLOSE,
                                          SEXTANT_CSV_ROLE_VOLUME };
  char symbol[64];
  double v[5];

  if (self->layout == SEXTANT_CSV_LAYOUT_LONG)
    {
      SextantCsvField *field = &self->fields[self->columns[SEXTANT_CSV_ROLE_SYMBOL]];

      if (field->length == 0 || field->length >= sizeof symbol)
        {
          reject (self, line, field->length == 0 ? "no symbol" : "symbol longer than 63 bytes");
          return TRUE;
        }
      memcpy (symbol, field->start, field->length);
      symbol[field->length] = '\0';
    }
  else
    g_strlcpy (symbol, self->symbol, sizeof symbol);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (!read_value (self, line, self->columns[order[i]], symbol, &v[i]))
      return TRUE;
  if (is_duplicate_row (self, symbol, day, line))
    return TRUE;
  if (!sextant_market_cache_import_bar (cache, symbol, day, v[0], v[1], v[2], v[3], v[4], error))
    return FALSE;
  (*n_bars)++;

  return TRUE;
}

static gboolean
import_wide_row (SextantCsvImporter  *self,
                 SextantMarketCache  *cache,
                 int                  line,
                 gint32               day,
                 double              *values,
                 gsize               *n_bars,
                 GError             **error)
{
  guint n = self->roles->len;

  /* Read the whole row first: a broken cell rejects the row, not half of it. */
  for (guint c = 0; c < n; c++)
    if (g_array_index (self->roles, SextantCsvRole, c) == SEXTANT_CSV_ROLE_SYMBOL_CLOSE &&
        !read_value (self, line, c, g_ptr_array_index (self->names, c), &values[c]))
      return TRUE;
  if (is_duplicate_row (self, NULL, day, line))
    return TRUE;
  for (guint c = 0; c < n; c++)
    if (g_array_index (self->roles, SextantCsvRole, c) == SEXTANT_CSV_ROLE_SYMBOL_CLOSE)
      {
        if (!sextant_market_cache_import_bar (cache, g_ptr_array_index (self->names, c), day,
                                              NAN, NAN, NAN, values[c], NAN, error))
          return FALSE;
        (*n_bars)++;
      }

  return TRUE;
}

static gboolean
import_line (SextantCsvImporter  *self,
             SextantMarketCache  *cache,
             const char          *text,
             gsize                length,
             int                  line,
             double              *values,
             gsize               *n_bars,
             GError             **error)
{
  int n = sextant_csv_split_line (text, length, self->delimiter, self->fields, MAX_COLUMNS,
                                  self->scratch);
  gint32 day;

  if (n < 0)
    {
      reject (self, line, "unterminated quote");
      return TRUE;
    }
  if (n != (int) self->roles->len)
    {
      reject (self, line, "%d fields where the header has %u", n, self->roles->len);
      return TRUE;
    }
  if (!read_row_date (self, line, &day))
    return TRUE;
  if (self->layout == SEXTANT_CSV_LAYOUT_WIDE)
    return import_wide_row (self, cache, line, day, values, n_bars, error);

  return import_bar_row (self, cache, line, day, n_bars, error);
}

/**
 * sextant_csv_importer_import_prices:
 * @self: an importer of a price file
 * @cache: where the bars go, with provider `csv`
 * @n_bars: (out) (optional): how many bars were written
 * @error: return location
 *
 * Imports every readable row in one transaction. Broken rows are rejected with their line and
 * reason (see sextant_csv_importer_get_rejected()) and do not stop the import; missing values
 * are kept as NaN and listed as gaps. Nothing is dropped without a report.
 *
 * Returns: %TRUE if the readable rows were stored (check the rejected rows)
 */
gboolean
sextant_csv_importer_import_prices (SextantCsvImporter  *self,
                                    SextantMarketCache  *cache,
                                    gsize               *n_bars,
                                    GError             **error)
{
  g_autofree double *values = NULL;
  const char *cursor, *text;
  int line;
  gsize length, count = 0;

  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), FALSE);
  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (cache), FALSE);

  if (self->layout == SEXTANT_CSV_LAYOUT_HOLDINGS)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "This file holds holdings, not prices; import it into a portfolio");
      return FALSE;
    }
  if (self->layout == SEXTANT_CSV_LAYOUT_SINGLE && (self->symbol == NULL || *self->symbol == '\0'))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "The file has no symbol column; say which instrument it holds");
      return FALSE;
    }

  values = g_new0 (double, self->roles->len);
  g_array_set_size (self->rejected, 0);
  g_array_set_size (self->gaps, 0);
  g_hash_table_remove_all (self->symbol_ids);
  g_hash_table_remove_all (self->seen_rows);
  if (!sextant_market_cache_begin_import (cache, "csv", g_get_real_time () / G_USEC_PER_SEC, error))
    return FALSE;
  for (cursor = self->body, line = self->body_line;
       sextant_csv_next_line (&cursor, self->end, &text, &length); line++)
    if (length > 0 && !import_line (self, cache, text, length, line, values, &count, error))
      {
        sextant_market_cache_abort_import (cache);
        return FALSE;
      }
  if (!sextant_market_cache_commit_import (cache, error))
    return FALSE;
  if (n_bars != NULL)
    *n_bars = count;

  return TRUE;
}

/* The row's symbol as the known symbols spell it, or as written when any symbol goes; NULL
 * (the row rejected) for an empty or unknown one. */
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
      reject (self, line, "no symbol");
      return NULL;
    }
  if (self->known == NULL)
    return g_steal_pointer (&symbol);
  upper = g_ascii_strup (symbol, -1);
  if ((known = g_hash_table_lookup (self->known, upper)) == NULL)
    {
      reject (self, line, "no prices for %s", symbol);
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
    reject (self, line, "%s has neither a quantity nor a weight", symbol);
  else if (quantity < 0 || weight < 0)
    reject (self, line, "%s has a negative %s", symbol, quantity < 0 ? "quantity" : "weight");
  else if ((isnan (lo) ? 0.0 : lo) < 0 || (isnan (hi) ? 1.0 : hi) > 1 ||
           (isnan (lo) ? 0.0 : lo) > (isnan (hi) ? 1.0 : hi))
    reject (self, line, "bounds %g to %g of %s are not within 0 to 1 in order",
            isnan (lo) ? 0.0 : lo, isnan (hi) ? 1.0 : hi, symbol);
  else
    return TRUE;

  return FALSE;
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
  double quantity, weight, lo, hi;

  if ((symbol = holding_symbol (self, line)) == NULL)
    return FALSE;
  /* A portfolio holds a symbol once whatever its case (sextant_portfolio_add_holding() would
   * replace the first row with the second): the repeat is rejected instead. */
  key = g_ascii_strup (symbol, -1);
  if (g_hash_table_contains (seen, key))
    {
      reject (self, line, "%s is already listed on line %d", symbol,
              GPOINTER_TO_INT (g_hash_table_lookup (seen, key)));
      return FALSE;
    }
  if (!read_value (self, line, self->columns[SEXTANT_CSV_ROLE_QUANTITY], symbol, &quantity) ||
      !read_value (self, line, self->columns[SEXTANT_CSV_ROLE_WEIGHT], symbol, &weight) ||
      !read_value (self, line, self->columns[SEXTANT_CSV_ROLE_MIN_WEIGHT], symbol, &lo) ||
      !read_value (self, line, self->columns[SEXTANT_CSV_ROLE_MAX_WEIGHT], symbol, &hi) ||
      !check_holding_numbers (self, line, symbol, quantity, weight, lo, hi))
    return FALSE;
  if (cur >= 0 && self->fields[cur].length > 0)
    currency = g_ascii_strup (self->fields[cur].start, self->fields[cur].length);

  g_hash_table_insert (seen, g_steal_pointer (&key), GINT_TO_POINTER (line));
  sextant_portfolio_add_holding (portfolio, symbol, quantity, weight,
                                 currency != NULL ? currency : "USD");
  if (!isnan (lo) || !isnan (hi))
    sextant_portfolio_set_bounds (portfolio, sextant_portfolio_get_n_holdings (portfolio) - 1,
                                  isnan (lo) ? 0.0 : lo, isnan (hi) ? 1.0 : hi);

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
 * amount, or bounds that are not 0 ≤ minimum ≤ maximum ≤ 1.
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
  int line;

  g_return_val_if_fail (SEXTANT_IS_CSV_IMPORTER (self), NULL);

  if (self->layout != SEXTANT_CSV_LAYOUT_HOLDINGS)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "Line %d: a holdings file needs symbol and quantity/shares/units or weight "
                   "columns, and no date column", self->body_line - 1);
      return NULL;
    }

  portfolio = sextant_portfolio_new (name);
  g_array_set_size (self->rejected, 0);
  for (cursor = self->body, line = self->body_line;
       sextant_csv_next_line (&cursor, self->end, &text, &length); line++)
    {
      int n;

      if (length == 0)
        continue;
      n = sextant_csv_split_line (text, length, self->delimiter, self->fields, MAX_COLUMNS,
                                  self->scratch);
      if (n != (int) self->roles->len)
        reject (self, line, n < 0 ? "unterminated quote" : "%d fields where the header has %u",
                n, self->roles->len);
      else
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
