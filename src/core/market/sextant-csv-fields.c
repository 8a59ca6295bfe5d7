#define G_LOG_DOMAIN "sextant-csv-fields"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "market/sextant-csv-fields.h"
#include "analytics/sextant-price-series.h"

static const char *format_names[] = {
  "unknown", "YYYY-MM-DD", "M/D/YYYY", "D/M/YYYY", "D.M.YYYY", "YYYYMMDD", "unix seconds",
  "D-M-YYYY", "D-Mon-YYYY", "Mon D, YYYY",
};

G_STATIC_ASSERT (G_N_ELEMENTS (format_names) == SEXTANT_DATE_FORMAT_N_FORMATS);

const char *
sextant_date_format_get_name (SextantDateFormat format)
{
  g_return_val_if_fail (format < SEXTANT_DATE_FORMAT_N_FORMATS, NULL);

  return format_names[format];
}

/**
 * sextant_date_format_from_name:
 * @name: `iso`, `us`, `eu`, `eu-dot`, `compact`, `unix`, `eu-dash`, `day-month`, `month-day` or
 *   a name from sextant_date_format_get_name()
 * @format: (out): the format
 *
 * Returns: %TRUE if @name is known
 */
gboolean
sextant_date_format_from_name (const char        *name,
                               SextantDateFormat *format)
{
  static const char *short_names[] = { NULL, "iso", "us", "eu", "eu-dot", "compact", "unix",
                                       "eu-dash", "day-month", "month-day" };

  G_STATIC_ASSERT (G_N_ELEMENTS (short_names) == SEXTANT_DATE_FORMAT_N_FORMATS);

  for (guint i = 1; i < SEXTANT_DATE_FORMAT_N_FORMATS; i++)
    if (g_ascii_strcasecmp (name, short_names[i]) == 0 || g_strcmp0 (name, format_names[i]) == 0)
      {
        *format = i;
        return TRUE;
      }

  return FALSE;
}

/* Reads 1 to @max digits; returns the count read. */
static int
read_digits (const char *p,
             const char *end,
             int         max,
             int        *value)
{
  int n = 0;

  *value = 0;
  while (p + n < end && n < max && g_ascii_isdigit (p[n]))
    {
      *value = *value * 10 + (p[n] - '0');
      n++;
    }

  return n;
}

/* Three numbers separated by @sep; @widths give the maximum digits of each (a width of 4 is a
 * year and needs all four). Returns the bytes read, 0 if @p does not start that way. */
static gsize
read_triple (const char *p,
             const char *end,
             char        sep,
             const int   widths[3],
             int         out[3])
{
  const char *start = p;

  for (int i = 0; i < 3; i++)
    {
      int n = read_digits (p, end, widths[i], &out[i]);

      if (n == 0 || (widths[i] == 4 && n != 4))
        return 0;
      p += n;
      if (i < 2)
        {
          if (p >= end || *p != sep)
            return 0;
          p++;
        }
    }

  return p - start;
}

/* English month names or their first three letters (`Sep`, `Sept.`, `September`), any case.
 * Returns the month, 0 if there is none; @consumed gets the bytes read. */
static int
read_month_name (const char *p,
                 const char *end,
                 gsize      *consumed)
{
  static const char *months[] = { "january", "february", "march", "april", "may", "june", "july",
                                  "august", "september", "october", "november", "december" };
  gsize n = 0;

  while (p + n < end && g_ascii_isalpha (p[n]))
    n++;
  if (n < 3)
    return 0;
  for (int m = 0; m < 12; m++)
    if (n <= strlen (months[m]) && g_ascii_strncasecmp (p, months[m], n) == 0)
      {
        if (p + n < end && p[n] == '.')
          n++;
        *consumed = n;
        return m + 1;
      }

  return 0;
}

/* A two-digit year is read as POSIX strptime() reads %y: 69–99 are 1969–1999, 00–68 2000–2068. */
static int
full_year (int year,
           int digits)
{
  if (digits == 2)
    return year + (year < 69 ? 2000 : 1900);

  return year;
}

/* `2-Jan-90`, `27-Sep-2001`, `27 Sep 2001`, `27/Sep/2001`. */
static gsize
read_day_month_name (const char *text,
                     const char *end,
                     int         v[3])
{
  const char *p = text;
  gsize n;
  char sep;
  int digits;

  if ((n = read_digits (p, end, 2, &v[2])) == 0)
    return 0;
  p += n;
  if (p >= end || (*p != '-' && *p != ' ' && *p != '/' && *p != '.'))
    return 0;
  sep = *p++;
  if ((v[1] = read_month_name (p, end, &n)) == 0)
    return 0;
  p += n;
  if (p >= end || *p != sep)
    return 0;
  p++;
  digits = read_digits (p, end, 4, &v[0]);
  if (digits != 2 && digits != 4)
    return 0;
  v[0] = full_year (v[0], digits);

  return p + digits - text;
}

/* `Dec 01, 2023`, `Dec 1 2023`, `December 1, 2023`. */
static gsize
read_month_name_day (const char *text,
                     const char *end,
                     int         v[3])
{
  const char *p = text;
  gsize n;

  if ((v[1] = read_month_name (p, end, &n)) == 0)
    return 0;
  p += n;
  if (p >= end || *p != ' ')
    return 0;
  p++;
  if ((n = read_digits (p, end, 2, &v[2])) == 0)
    return 0;
  p += n;
  if (p < end && *p == ',')
    p++;
  if (p >= end || *p != ' ')
    return 0;
  p++;
  if (read_digits (p, end, 4, &v[0]) != 4)
    return 0;

  return p + 4 - text;
}

static gboolean
make_day (int     y,
          int     m,
          int     d,
          gint32 *day)
{
  /* Index histories reach back to the 18th century (Stooq's start in the 1700s); the bounds only
   * keep placeholders such as 0001-01-01 and 9999-12-31 out. */
  if (y < 1000 || y > 2200 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  *day = sextant_day_from_ymd (y, m, d);

  return TRUE;
}

static gsize
skip_spaces (const char *p,
             const char *end)
{
  gsize n = 0;

  while (p + n < end && p[n] == ' ')
    n++;

  return n;
}

/**
 * sextant_csv_parse_time:
 * @text: a time of day: `16:00`, `9:30:00`, `09:30:00.250`, `4:00 PM`, `093000`, optionally
 *   followed by `Z`, an offset (`+01:00`) or `UTC`
 * @length: its length
 * @seconds: (out): seconds since midnight as written (any offset is not applied)
 *
 * Returns: %TRUE if @text is a time and nothing else
 */
gboolean
sextant_csv_parse_time (const char *text,
                        gsize       length,
                        int        *seconds)
{
  const char *p = text, *end = text + length;
  int h = 0, m = 0, s = 0, n;

  if (length == 4 || length == 6)
    {
      gboolean digits = TRUE;

      for (gsize i = 0; i < length; i++)
        digits = digits && g_ascii_isdigit (text[i]);
      if (digits)
        {
          read_digits (p, end, 2, &h);
          read_digits (p + 2, end, 2, &m);
          if (length == 6)
            read_digits (p + 4, end, 2, &s);
          if (h > 23 || m > 59 || s > 60)
            return FALSE;
          *seconds = h * 3600 + m * 60 + s;
          return TRUE;
        }
    }

  if ((n = read_digits (p, end, 2, &h)) == 0 || p + n >= end || p[n] != ':')
    return FALSE;
  p += n + 1;
  if (read_digits (p, end, 2, &m) != 2)
    return FALSE;
  p += 2;
  if (p < end && *p == ':')
    {
      if (read_digits (p + 1, end, 2, &s) != 2)
        return FALSE;
      p += 3;
      if (p < end && (*p == '.' || *p == ','))
        for (p++; p < end && g_ascii_isdigit (*p); p++)
          ;
    }
  p += skip_spaces (p, end);
  if (end - p >= 2 && (p[1] == 'M' || p[1] == 'm') &&
      (p[0] == 'A' || p[0] == 'a' || p[0] == 'P' || p[0] == 'p'))
    {
      if (h < 1 || h > 12)
        return FALSE;
      h = h % 12 + (p[0] == 'P' || p[0] == 'p' ? 12 : 0);
      p += 2;
      p += skip_spaces (p, end);
    }
  /* Dukascopy writes "GMT+0200", others "UTC", "Z" or a bare offset. */
  if (end - p >= 3 && (g_ascii_strncasecmp (p, "UTC", 3) == 0 ||
                       g_ascii_strncasecmp (p, "GMT", 3) == 0))
    p += 3;
  if (p < end && (*p == 'Z' || *p == 'z'))
    p++;
  else if (p < end && (*p == '+' || *p == '-'))
    {
      int offset;

      p++;
      if (read_digits (p, end, 2, &offset) != 2)
        return FALSE;
      p += 2;
      if (p < end && *p == ':')
        p++;
      p += read_digits (p, end, 2, &offset);
    }
  if (p != end || h > 23 || m > 59 || s > 60)
    return FALSE;
  *seconds = h * 3600 + m * 60 + s;

  return TRUE;
}

/**
 * sextant_csv_parse_date_time:
 * @text: the field
 * @length: its length
 * @format: the format to read
 * @day: (out): days since 1970-01-01
 * @seconds: (out) (optional): the time of day in seconds, or -1 when the field has none
 *
 * A time of day may follow the date after `T` or spaces. For ISO dates anything after `T` or a
 * space is accepted (as ISO 8601 writes times and zones in many ways), and @seconds is -1 when
 * it is not a time sextant_csv_parse_time() reads.
 *
 * Returns: %TRUE if @text is a valid date in @format
 */
gboolean
sextant_csv_parse_date_time (const char        *text,
                             gsize              length,
                             SextantDateFormat  format,
                             gint32            *day,
                             int               *seconds)
{
  static const int ymd[3] = { 4, 2, 2 }, xxy[3] = { 2, 2, 4 };
  const char *end = text + length, *rest;
  int v[3], when = -1;
  gsize n = 0;

  switch (format)
    {
    case SEXTANT_DATE_FORMAT_ISO:
      if ((n = read_triple (text, end, '-', ymd, v)) == 0)
        n = read_triple (text, end, '/', ymd, v);
      break;
    case SEXTANT_DATE_FORMAT_US:
      if ((n = read_triple (text, end, '/', xxy, v)) != 0)
        {
          int month = v[0], mday = v[1];

          v[0] = v[2], v[1] = month, v[2] = mday;
        }
      break;
    case SEXTANT_DATE_FORMAT_EU_SLASH:
    case SEXTANT_DATE_FORMAT_EU_DOT:
    case SEXTANT_DATE_FORMAT_EU_DASH:
      n = read_triple (text, end, format == SEXTANT_DATE_FORMAT_EU_SLASH ? '/'
                                  : format == SEXTANT_DATE_FORMAT_EU_DOT ? '.' : '-', xxy, v);
      if (n != 0)
        {
          int mday = v[0];

          v[0] = v[2], v[2] = mday;
        }
      break;
    case SEXTANT_DATE_FORMAT_COMPACT:
      if (length >= 8 && read_digits (text, end, 4, &v[0]) == 4 &&
          read_digits (text + 4, end, 2, &v[1]) == 2 &&
          read_digits (text + 6, end, 2, &v[2]) == 2 &&
          (length == 8 || !g_ascii_isdigit (text[8])))
        n = 8;
      break;
    case SEXTANT_DATE_FORMAT_DAY_MONTH_NAME:
      n = read_day_month_name (text, end, v);
      break;
    case SEXTANT_DATE_FORMAT_MONTH_NAME_DAY:
      n = read_month_name_day (text, end, v);
      break;
    case SEXTANT_DATE_FORMAT_UNIX:
      {
        gint64 unix_seconds = 0;

        if (length < 9 || length > 10)
          return FALSE;
        for (gsize i = 0; i < length; i++)
          {
            if (!g_ascii_isdigit (text[i]))
              return FALSE;
            unix_seconds = unix_seconds * 10 + (text[i] - '0');
          }
        *day = (gint32) (unix_seconds / 86400);
        if (seconds != NULL)
          *seconds = (int) (unix_seconds % 86400);
        return TRUE;
      }
    case SEXTANT_DATE_FORMAT_UNKNOWN:
    case SEXTANT_DATE_FORMAT_N_FORMATS:
    default:
      return FALSE;
    }

  if (n == 0)
    return FALSE;
  rest = text + n;
  if (rest < end)
    {
      gsize spaces = skip_spaces (rest, end);

      if (*rest != 'T' && spaces == 0)
        return FALSE;
      rest += *rest == 'T' ? 1 : spaces;
      if (!sextant_csv_parse_time (rest, end - rest, &when))
        {
          if (format != SEXTANT_DATE_FORMAT_ISO)
            return FALSE;
          when = -1;
        }
    }
  if (!make_day (v[0], v[1], v[2], day))
    return FALSE;
  if (seconds != NULL)
    *seconds = when;

  return TRUE;
}

/**
 * sextant_csv_parse_date:
 * @text: the field
 * @length: its length
 * @format: the format to read
 * @day: (out): days since 1970-01-01
 *
 * Returns: %TRUE if @text is a valid date in @format (see sextant_csv_parse_date_time())
 */
gboolean
sextant_csv_parse_date (const char        *text,
                        gsize              length,
                        SextantDateFormat  format,
                        gint32            *day)
{
  return sextant_csv_parse_date_time (text, length, format, day, NULL);
}

static gboolean
is_missing (const char *text,
            gsize       length)
{
  static const char *names[] = { "NA", "N/A", "NaN", "null", "#N/A", "-", "." };

  if (length == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (length == strlen (names[i]) && g_ascii_strncasecmp (text, names[i], length) == 0)
      return TRUE;

  return FALSE;
}

/**
 * sextant_csv_parse_double:
 * @text: the field
 * @length: its length
 * @decimal_comma: read `1.234,5` as 1234.5
 * @value: (out): the number, NaN when missing
 * @missing: (out): %TRUE when the field is a gap (empty, `NA`, `null`, …)
 *
 * A trailing `%` divides by 100.
 *
 * Returns: %TRUE for a number or a gap, %FALSE for text that is neither
 */
gboolean
sextant_csv_parse_double (const char *text,
                          gsize       length,
                          gboolean    decimal_comma,
                          double     *value,
                          gboolean   *missing)
{
  char buffer[64];
  gsize n = 0;
  gboolean percent = FALSE;
  char *end = NULL;

  *missing = FALSE;
  if (is_missing (text, length))
    {
      *missing = TRUE;
      *value = NAN;
      return TRUE;
    }
  if (length > 0 && text[length - 1] == '%')
    {
      percent = TRUE;
      length--;
    }
  if (length == 0 || length >= sizeof buffer)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      /* In decimal-comma files a dot can only group thousands: it must be followed by exactly
       * three digits, or the value is refused rather than read a thousand times off. */
      if (decimal_comma && c == '.')
        {
          if (i + 3 >= length)
            return FALSE;
          if (!g_ascii_isdigit (text[i + 1]) || !g_ascii_isdigit (text[i + 2]) ||
              !g_ascii_isdigit (text[i + 3]) ||
              (i + 4 < length && text[i + 4] != '.' && text[i + 4] != ','))
            return FALSE;
          continue;
        }
      /* In decimal-point files a comma can only group thousands ("41,903.5", as every cell
       * of a quoted export is written): digits before it and exactly three after it. */
      if (!decimal_comma && c == ',')
        {
          if (i == 0 || !g_ascii_isdigit (text[i - 1]) || i + 3 >= length ||
              !g_ascii_isdigit (text[i + 1]) || !g_ascii_isdigit (text[i + 2]) ||
              !g_ascii_isdigit (text[i + 3]) ||
              (i + 4 < length && text[i + 4] != ',' && text[i + 4] != '.'))
            return FALSE;
          continue;
        }
      buffer[n++] = decimal_comma && c == ',' ? '.' : c;
    }
  buffer[n] = '\0';

  *value = g_ascii_strtod (buffer, &end);
  if (end == buffer || *end != '\0' || !isfinite (*value))
    return FALSE;
  if (percent)
    *value /= 100.0;

  return TRUE;
}

/**
 * sextant_csv_parse_volume:
 * @text: the field
 * @length: its length
 * @decimal_comma: the file writes decimals with a comma
 * @value: (out): the number, NaN when missing
 * @missing: (out): %TRUE when the field is a gap
 *
 * Like sextant_csv_parse_double(), and a `K`, `M` or `B` suffix (`73.40K`, `1.2M`, as
 * investing.com writes volumes) multiplies by a thousand, a million or a billion. The decimal
 * point is moved in the text, so that `73.40K` is exactly 73400.
 *
 * Returns: %TRUE for a number or a gap
 */
gboolean
sextant_csv_parse_volume (const char *text,
                          gsize       length,
                          gboolean    decimal_comma,
                          double     *value,
                          gboolean   *missing)
{
  char point = decimal_comma ? ',' : '.';
  g_autoptr(GString) shifted = NULL;
  const char *sep;
  int shift;
  gsize whole, fraction;

  switch (length >= 2 && g_ascii_isdigit (text[length - 2])
          ? g_ascii_tolower (text[length - 1]) : 0)
    {
    case 'k': shift = 3; break;
    case 'm': shift = 6; break;
    case 'b': shift = 9; break;
    default:
      return sextant_csv_parse_double (text, length, decimal_comma, value, missing);
    }
  length--;
  sep = memchr (text, point, length);
  whole = sep != NULL ? (gsize) (sep - text) : length;
  fraction = sep != NULL ? length - whole - 1 : 0;
  shifted = g_string_new_len (text, whole);
  for (int i = 0; i < shift; i++)
    g_string_append_c (shifted, (gsize) i < fraction ? sep[1 + i] : '0');
  if ((gsize) shift < fraction)
    {
      g_string_append_c (shifted, point);
      g_string_append_len (shifted, sep + 1 + shift, fraction - shift);
    }

  return sextant_csv_parse_double (shifted->str, shifted->len, decimal_comma, value, missing) &&
         !*missing;
}

/**
 * sextant_csv_split_record:
 * @record: one record (see sextant_csv_next_record()) without its end-of-line
 * @length: its length
 * @delimiter: the field separator
 * @fields: (out caller-allocates): at least @max_fields views
 * @max_fields: the size of @fields
 * @scratch: a buffer for unquoted copies of quoted fields (reset by this call)
 * @bad_field: (out) (optional): the 0-based field of a %SEXTANT_CSV_TEXT_AFTER_QUOTE
 *
 * Splits RFC 4180 style: fields may be quoted, with `""` for a quote inside, and a quoted field
 * may hold delimiters and line breaks. Surrounding spaces are trimmed. Text between a closing
 * quote and the next delimiter (`"12"5`) is an error rather than dropped: it is part of a value
 * the writer meant, and reading the value without it would be a wrong number.
 *
 * This is the one tokenizer of every CSV reader in Sextant: the importer, the analysis reader
 * (sextant-csv-reader.c) and the ECB rates.
 *
 * Returns: the number of fields (which may exceed @max_fields; only that many are filled), or a
 *   negative #SextantCsvSplitResult
 */
int
sextant_csv_split_record (const char      *record,
                          gsize            length,
                          char             delimiter,
                          SextantCsvField *fields,
                          int              max_fields,
                          GString         *scratch,
                          int             *bad_field)
{
  const char *p = record, *end = record + length;
  int n = 0;

  g_string_set_size (scratch, 0);
  /* Pre-size so that pointers into scratch stay valid while it grows. */
  if (memchr (record, '"', length) != NULL)
    {
      g_string_set_size (scratch, length + 1);
      g_string_set_size (scratch, 0);
    }

  for (;;)
    {
      const char *start, *stop;

      while (p < end && (*p == ' ' || (*p == '\t' && delimiter != '\t')))
        p++;
      if (p < end && *p == '"')
        {
          gsize offset = scratch->len;

          for (p++; ; p++)
            {
              if (p >= end)
                return SEXTANT_CSV_UNTERMINATED_QUOTE;
              if (*p == '"' && (p + 1 >= end || p[1] != '"'))
                break;
              if (*p == '"')
                p++;
              g_string_append_c (scratch, *p);
            }
          p++;
          start = scratch->str + offset;
          stop = scratch->str + scratch->len;
          while (p < end && (*p == ' ' || (*p == '\t' && delimiter != '\t')))
            p++;
          if (p < end && *p != delimiter)
            {
              if (bad_field != NULL)
                *bad_field = n;
              return SEXTANT_CSV_TEXT_AFTER_QUOTE;
            }
        }
      else
        {
          start = p;
          while (p < end && *p != delimiter)
            p++;
          stop = p;
          while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t'))
            stop--;
        }
      if (n < max_fields)
        {
          fields[n].start = start;
          fields[n].length = stop - start;
        }
      n++;
      if (p >= end)
        return n;
      p++;   /* the delimiter */
    }
}

/**
 * sextant_csv_split_line:
 * @line: one line without its end-of-line
 * @length: its length
 * @delimiter: the field separator
 * @fields: (out caller-allocates): at least @max_fields views
 * @max_fields: the size of @fields
 * @scratch: a buffer for unquoted copies of quoted fields (reset by this call)
 *
 * sextant_csv_split_record() without the position of an error.
 *
 * Returns: the number of fields, or a negative #SextantCsvSplitResult
 */
int
sextant_csv_split_line (const char      *line,
                        gsize            length,
                        char             delimiter,
                        SextantCsvField *fields,
                        int              max_fields,
                        GString         *scratch)
{
  return sextant_csv_split_record (line, length, delimiter, fields, max_fields, scratch, NULL);
}

/**
 * sextant_csv_next_record:
 * @cursor: (inout): where to read from
 * @end: the end of the text
 * @delimiter: the field separator (a quote opens a quoted field only at a field's start)
 * @record: (out): the record, without its final `\r\n` or `\n`
 * @length: (out): its length
 * @n_lines: (out) (optional): how many lines of the text it spans
 *
 * A record is a line, unless a quoted field holds line breaks: then it runs to the line that
 * closes the quote. A quote still open at the end of the text makes the record one line again,
 * so that one stray quote costs one row, not the rest of the file.
 *
 * Returns: %FALSE at the end of the text
 */
gboolean
sextant_csv_next_record (const char **cursor,
                         const char  *end,
                         char         delimiter,
                         const char **record,
                         gsize       *length,
                         int         *n_lines)
{
  const char *start = *cursor, *eol, *p;
  gboolean quoted = FALSE, field_start = TRUE;
  int lines = 1;

  if (start >= end)
    return FALSE;
  eol = memchr (start, '\n', end - start);
  if (memchr (start, '"', (eol != NULL ? eol : end) - start) == NULL)
    {
      if (n_lines != NULL)
        *n_lines = 1;
      return sextant_csv_next_line (cursor, end, record, length);
    }

  for (p = start; p < end; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p + 1 < end && p[1] == '"')
            p++;
          else if (*p == '"')
            quoted = FALSE;
          else if (*p == '\n')
            lines++;
        }
      else if (*p == '\n')
        break;
      else if (*p == delimiter)
        field_start = TRUE;
      else if (*p == '"' && field_start)
        {
          quoted = TRUE;
          field_start = FALSE;
        }
      else if (*p != ' ' && *p != '\t')
        field_start = FALSE;
    }
  if (quoted)
    {
      if (n_lines != NULL)
        *n_lines = 1;
      return sextant_csv_next_line (cursor, end, record, length);
    }

  *record = start;
  *length = p - start;
  if (*length > 0 && start[*length - 1] == '\r')
    (*length)--;
  *cursor = p < end ? p + 1 : end;
  if (n_lines != NULL)
    *n_lines = lines;

  return TRUE;
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

/**
 * sextant_csv_separator_hint:
 * @line: a file's first line
 * @length: its length
 * @delimiter: (out): the delimiter it names
 *
 * Spreadsheets (Excel) write `sep=;` above the header of a file whose delimiter is not the
 * locale's.
 *
 * Returns: %TRUE if @line is such a hint
 */
gboolean
sextant_csv_separator_hint (const char *line,
                            gsize       length,
                            char       *delimiter)
{
  if (length < 5 || g_ascii_strncasecmp (line, "sep=", 4) != 0 ||
      (line[4] != ',' && line[4] != ';' && line[4] != '\t' && line[4] != '|'))
    return FALSE;
  for (gsize i = 5; i < length; i++)
    if (line[i] != ' ' && line[i] != '\t')
      return FALSE;
  *delimiter = line[4];

  return TRUE;
}

/**
 * sextant_csv_detect_delimiter:
 * @header: the header line
 * @header_length: its length
 * @body: the text after the header
 * @end: the end of the text
 *
 * The delimiter is the candidate (`;` tab `|` `,`) that the header has and that most of the
 * first 50 rows have exactly as often as the header; a decimal comma fails that test because
 * headers have no decimals.
 *
 * Returns: the delimiter, `,` when nothing fits better
 */
char
sextant_csv_detect_delimiter (const char *header,
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
      for (int i = 0; i < 50 && sextant_csv_next_record (&cursor, end, candidates[c], &line,
                                                         &length, NULL); i++)
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

/**
 * sextant_csv_next_line:
 * @cursor: (inout): where to read from
 * @end: the end of the text
 * @line: (out): the line, without `\r\n` or `\n`
 * @length: (out): its length
 *
 * Returns: %FALSE at the end of the text
 */
gboolean
sextant_csv_next_line (const char **cursor,
                       const char  *end,
                       const char **line,
                       gsize       *length)
{
  const char *p = *cursor, *eol;

  if (p >= end)
    return FALSE;
  eol = memchr (p, '\n', end - p);
  if (eol == NULL)
    eol = end;
  *line = p;
  *length = eol - p;
  if (*length > 0 && p[*length - 1] == '\r')
    (*length)--;
  *cursor = eol < end ? eol + 1 : end;

  return TRUE;
}

/**
 * sextant_csv_text_to_utf8:
 * @data: a file's bytes
 * @size: their number
 * @length: (out): the length of the text returned
 *
 * A file's text as UTF-8, for every CSV path alike. UTF-16 with its byte-order mark (what a
 * spreadsheet saves as "Unicode text") is converted; other bytes that are not UTF-8 (a file in
 * Latin-1 or Windows-1252, a "Caf\xe9" symbol) become U+FFFD: numbers and dates are ASCII, so
 * only names change, and no name that is not UTF-8 reaches the database or JSON output.
 *
 * Returns: (transfer full) (nullable): the text, NUL-terminated, or %NULL when @data is UTF-8
 *   already
 */
char *
sextant_csv_text_to_utf8 (const char *data,
                          gsize       size,
                          gsize      *length)
{
  const guint8 *bytes = (const guint8 *) data;
  char *text;

  g_return_val_if_fail (data != NULL || size == 0, NULL);
  g_return_val_if_fail (length != NULL, NULL);

  if (size >= 2 && ((bytes[0] == 0xff && bytes[1] == 0xfe) || (bytes[0] == 0xfe && bytes[1] == 0xff)))
    {
      gsize written = 0;

      text = g_convert (data + 2, size - 2, "UTF-8", bytes[0] == 0xff ? "UTF-16LE" : "UTF-16BE",
                        NULL, &written, NULL);
      /* Broken UTF-16 (an odd byte count, a lone surrogate) is left to the repair below. */
      if (text != NULL && g_utf8_validate_len (text, written, NULL))
        {
          *length = written;
          return text;
        }
      g_free (text);
    }
  if (size == 0 || g_utf8_validate_len (data, size, NULL))
    return NULL;
  text = g_utf8_make_valid (data, size);
  *length = strlen (text);

  return text;
}
