#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantDateFormat:
 * @SEXTANT_DATE_FORMAT_UNKNOWN: not detected yet
 * @SEXTANT_DATE_FORMAT_ISO: `2001-09-27` (also `2001/09/27`, and with a time after `T` or a space)
 * @SEXTANT_DATE_FORMAT_US: `9/27/2001` (month first)
 * @SEXTANT_DATE_FORMAT_EU_SLASH: `27/09/2001` (day first)
 * @SEXTANT_DATE_FORMAT_EU_DOT: `27.09.2001`
 * @SEXTANT_DATE_FORMAT_COMPACT: `20010927`
 * @SEXTANT_DATE_FORMAT_UNIX: unix seconds (`1001548800`)
 */
typedef enum
{
  SEXTANT_DATE_FORMAT_UNKNOWN,
  SEXTANT_DATE_FORMAT_ISO,
  SEXTANT_DATE_FORMAT_US,
  SEXTANT_DATE_FORMAT_EU_SLASH,
  SEXTANT_DATE_FORMAT_EU_DOT,
  SEXTANT_DATE_FORMAT_COMPACT,
  SEXTANT_DATE_FORMAT_UNIX,
  SEXTANT_DATE_FORMAT_N_FORMATS,
} SextantDateFormat;

/**
 * SextantCsvField:
 * @start: first byte of the field (inside the line, or inside the scratch copy when unquoted)
 * @length: its length
 *
 * A view of one field, trimmed, with quotes removed.
 */
typedef struct
{
  const char *start;
  gsize       length;
} SextantCsvField;

const char *sextant_date_format_get_name   (SextantDateFormat  format);
gboolean    sextant_date_format_from_name  (const char        *name,
                                            SextantDateFormat *format);
gboolean    sextant_csv_parse_date         (const char        *text,
                                            gsize              length,
                                            SextantDateFormat  format,
                                            gint32            *day);
gboolean    sextant_csv_parse_double       (const char        *text,
                                            gsize              length,
                                            gboolean           decimal_comma,
                                            double            *value,
                                            gboolean          *missing);
int         sextant_csv_split_line         (const char        *line,
                                            gsize              length,
                                            char               delimiter,
                                            SextantCsvField   *fields,
                                            int                max_fields,
                                            GString           *scratch);
gboolean    sextant_csv_next_line          (const char       **cursor,
                                            const char        *end,
                                            const char       **line,
                                            gsize             *length);

G_END_DECLS
