#define G_LOG_DOMAIN "sextant-csv-fields"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "market/sextant-csv-fields.h"
#include "analytics/sextant-price-series.h"

static const char *format_names[] = {
  "unknown", "YYYY-MM-DD", "M/D/YYYY", "D/M/YYYY", "D.M.YYYY", "YYYYMMDD", "unix seconds",
};

const char *
sextant_date_format_get_name (SextantDateFormat format)
{
  g_return_val_if_fail (format < SEXTANT_DATE_FORMAT_N_FORMATS, NULL);

  return format_names[format];
}

/**
 * sextant_date_format_from_name:
 * @name: `iso`, `us`, `eu`, `eu-dot`, `compact`, `unix` or a name from
 *   sextant_date_format_get_name()
 * @format: (out): the format
 *
 * Returns: %TRUE if @name is known
 */
gboolean
sextant_date_format_from_name (const char        *name,
                               SextantDateFormat *format)
{
  static const char *short_names[] = { NULL, "iso", "us", "eu", "eu-dot", "compact", "unix" };

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

/* Three numbers separated by @sep; @widths give the maximum digits of each. */
static gboolean
read_triple (const char *p,
             const char *end,
             char        sep,
             const int   widths[3],
             int         out[3])
{
  for (int i = 0; i < 3; i++)
    {
      int n = read_digits (p, end, widths[i], &out[i]);

      if (n == 0 || (widths[i] == 4 && n != 4))
        return FALSE;
      p += n;
      if (i < 2)
        {
          if (p >= end || *p != sep)
            return FALSE;
          p++;
        }
    }

  /* A time may follow an ISO date; anything else is junk. */
  return p == end || (widths[0] == 4 && (*p == 'T' || *p == ' '));
}

static gboolean
make_day (int     y,
          int     m,
          int     d,
          gint32 *day)
{
  if (y < 1800 || y > 2200 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  *day = sextant_day_from_ymd (y, m, d);

  return TRUE;
}

/**
 * sextant_csv_parse_date:
 * @text: the field
 * @length: its length
 * @format: the format to read
 * @day: (out): days since 1970-01-01
 *
 * Returns: %TRUE if @text is a valid date in @format
 */
gboolean
sextant_csv_parse_date (const char        *text,
                        gsize              length,
                        SextantDateFormat  format,
                        gint32            *day)
{
  static const int ymd[3] = { 4, 2, 2 }, xxy[3] = { 2, 2, 4 };
  const char *end = text + length;
  int v[3];

  switch (format)
    {
    case SEXTANT_DATE_FORMAT_ISO:
      return (read_triple (text, end, '-', ymd, v) || read_triple (text, end, '/', ymd, v)) &&
             make_day (v[0], v[1], v[2], day);
    case SEXTANT_DATE_FORMAT_US:
      return read_triple (text, end, '/', xxy, v) && make_day (v[2], v[0], v[1], day);
    case SEXTANT_DATE_FORMAT_EU_SLASH:
      return read_triple (text, end, '/', xxy, v) && make_day (v[2], v[1], v[0], day);
    case SEXTANT_DATE_FORMAT_EU_DOT:
      return read_triple (text, end, '.', xxy, v) && make_day (v[2], v[1], v[0], day);
    case SEXTANT_DATE_FORMAT_COMPACT:
      return length == 8 && read_digits (text, end, 4, &v[0]) == 4 &&
             read_digits (text + 4, end, 2, &v[1]) == 2 &&
             read_digits (text + 6, end, 2, &v[2]) == 2 && make_day (v[0], v[1], v[2], day);
    case SEXTANT_DATE_FORMAT_UNIX:
      {
        gint64 seconds = 0;

        if (length < 9 || length > 10)
          return FALSE;
        for (gsize i = 0; i < length; i++)
          {
            if (!g_ascii_isdigit (text[i]))
              return FALSE;
            seconds = seconds * 10 + (text[i] - '0');
          }
        *day = (gint32) (seconds / 86400);
        return TRUE;
      }
    case SEXTANT_DATE_FORMAT_UNKNOWN:
    case SEXTANT_DATE_FORMAT_N_FORMATS:
    default:
      return FALSE;
    }
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
 * sextant_csv_split_line:
 * @line: one line without its end-of-line
 * @length: its length
 * @delimiter: the field separator
 * @fields: (out caller-allocates): at least @max_fields views
 * @max_fields: the size of @fields
 * @scratch: a buffer for unquoted copies of quoted fields (reset by this call)
 *
 * Splits RFC 4180 style: fields may be quoted, with `""` for a quote inside. Surrounding spaces
 * are trimmed. Quoted fields cannot span lines.
 *
 * Returns: the number of fields (which may exceed @max_fields; only that many are filled), or
 *   -1 for an unterminated quote
 */
int
sextant_csv_split_line (const char      *line,
                        gsize            length,
                        char             delimiter,
                        SextantCsvField *fields,
                        int              max_fields,
                        GString         *scratch)
{
  const char *p = line, *end = line + length;
  int n = 0;

  g_string_set_size (scratch, 0);
  /* Pre-size so that pointers into scratch stay valid while it grows. */
  if (memchr (line, '"', length) != NULL)
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
                return -1;
              if (*p == '"' && (p + 1 >= end || p[1] != '"'))
                break;
              if (*p == '"')
                p++;
              g_string_append_c (scratch, *p);
            }
          p++;
          start = scratch->str + offset;
          stop = scratch->str + scratch->len;
          while (p < end && *p != delimiter)
            p++;
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
