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
 * @SEXTANT_DATE_FORMAT_EU_DASH: `27-09-2001` (day first)
 * @SEXTANT_DATE_FORMAT_DAY_MONTH_NAME: `27-Sep-2001`, `2-Jan-90`, `27 Sep 2001`
 * @SEXTANT_DATE_FORMAT_MONTH_NAME_DAY: `Sep 27, 2001`, `September 27 2001`
 *
 * Every format but unix seconds may be followed by a time of day (`27.09.2001 16:00:00`).
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
  SEXTANT_DATE_FORMAT_EU_DASH,
  SEXTANT_DATE_FORMAT_DAY_MONTH_NAME,
  SEXTANT_DATE_FORMAT_MONTH_NAME_DAY,
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

/**
 * SextantCsvSplitResult:
 * @SEXTANT_CSV_UNTERMINATED_QUOTE: a quoted field runs to the end of the text
 * @SEXTANT_CSV_TEXT_AFTER_QUOTE: a quoted field is followed by text before the next delimiter
 *
 * The negative results of sextant_csv_split_record().
 */
typedef enum
{
  SEXTANT_CSV_UNTERMINATED_QUOTE = -1,
  SEXTANT_CSV_TEXT_AFTER_QUOTE = -2,
} SextantCsvSplitResult;

const char *sextant_date_format_get_name   (SextantDateFormat  format);
gboolean    sextant_date_format_from_name  (const char        *name,
                                            SextantDateFormat *format);
gboolean    sextant_csv_parse_date         (const char        *text,
                                            gsize              length,
                                            SextantDateFormat  format,
                                            gint32            *day);
gboolean    sextant_csv_parse_date_time    (const char        *text,
                                            gsize              length,
                                            SextantDateFormat  format,
                                            gint32            *day,
                                            int               *seconds);
gboolean    sextant_csv_parse_time         (const char        *text,
                                            gsize              length,
                                            int               *seconds);
gboolean    sextant_csv_parse_volume       (const char        *text,
                                            gsize              length,
                                            gboolean           decimal_comma,
                                            double            *value,
                                            gboolean          *missing);
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
int         sextant_csv_split_record       (const char        *record,
                                            gsize              length,
                                            char               delimiter,
                                            SextantCsvField   *fields,
                                            int                max_fields,
                                            GString           *scratch,
                                            int               *bad_field);
gboolean    sextant_csv_next_record        (const char       **cursor,
                                            const char        *end,
                                            char               delimiter,
                                            const char       **record,
                                            gsize             *length,
                                            int               *n_lines);
gboolean    sextant_csv_separator_hint     (const char        *line,
                                            gsize              length,
                                            char              *delimiter);
char        sextant_csv_detect_delimiter   (const char        *header,
                                            gsize              header_length,
                                            const char        *body,
                                            const char        *end);
gboolean    sextant_csv_next_line          (const char       **cursor,
                                            const char        *end,
                                            const char       **line,
                                            gsize             *length);
char       *sextant_csv_text_to_utf8       (const char        *data,
                                            gsize              size,
                                            gsize             *length);

G_END_DECLS
