#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SextantKbFormat:
 *
 * The kinds of file the knowledge base reads, told by the file name's extension.
 */
typedef enum
{
  SEXTANT_KB_FORMAT_PDF,
  SEXTANT_KB_FORMAT_MARKDOWN,
  SEXTANT_KB_FORMAT_TEXT,
  SEXTANT_KB_FORMAT_HTML,
  SEXTANT_KB_FORMAT_CSV,
} SextantKbFormat;

/**
 * SextantKbText:
 * @title: the document's own title (PDF metadata, the first Markdown heading, HTML `<title>`),
 *   else its file name
 * @format: what the file was read as
 * @paged: whether @pages are real pages (PDF); other formats are one page without a number
 * @pages: (element-type utf8): the UTF-8 text of each page, in order
 * @pages_without_text: (element-type guint): 1-based numbers of PDF pages that had no text layer
 *
 * A document's text as the chunker reads it. Character spans of chunks index into a page's text.
 */
typedef struct
{
  char            *title;
  SextantKbFormat  format;
  gboolean         paged;
  GPtrArray       *pages;
  GArray          *pages_without_text;
} SextantKbText;

gboolean       sextant_kb_format_from_path (const char       *path,
                                            SextantKbFormat  *format);
SextantKbText *sextant_kb_text_extract     (const char       *path,
                                            GCancellable     *cancellable,
                                            GError          **error);
void           sextant_kb_text_free        (SextantKbText    *text);
guint          sextant_kb_text_get_peak_held (gboolean        reset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantKbText, sextant_kb_text_free)

G_END_DECLS
