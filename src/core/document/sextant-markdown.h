#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantMarkdownBlockKind:
 * @SEXTANT_MARKDOWN_PARAGRAPH: a paragraph
 * @SEXTANT_MARKDOWN_HEADING: a heading of @level 1 … 6
 * @SEXTANT_MARKDOWN_LIST: a list, one line per item, bullets and numbers included
 * @SEXTANT_MARKDOWN_QUOTE: a block quote, flattened to one markup text
 * @SEXTANT_MARKDOWN_CODE: a code block; @markup is its escaped text
 * @SEXTANT_MARKDOWN_TABLE: a table; @cells holds @n_columns markups per row, header first
 * @SEXTANT_MARKDOWN_RULE: a horizontal rule
 */
typedef enum
{
  SEXTANT_MARKDOWN_PARAGRAPH,
  SEXTANT_MARKDOWN_HEADING,
  SEXTANT_MARKDOWN_LIST,
  SEXTANT_MARKDOWN_QUOTE,
  SEXTANT_MARKDOWN_CODE,
  SEXTANT_MARKDOWN_TABLE,
  SEXTANT_MARKDOWN_RULE,
} SextantMarkdownBlockKind;

/**
 * SextantMarkdownAlign:
 * @SEXTANT_MARKDOWN_ALIGN_START: default or left
 * @SEXTANT_MARKDOWN_ALIGN_CENTER: centred
 * @SEXTANT_MARKDOWN_ALIGN_END: right (numbers)
 */
typedef enum
{
  SEXTANT_MARKDOWN_ALIGN_START,
  SEXTANT_MARKDOWN_ALIGN_CENTER,
  SEXTANT_MARKDOWN_ALIGN_END,
} SextantMarkdownAlign;

/**
 * SextantMarkdownBlock:
 * @kind: what the block is
 * @level: the heading level
 * @markup: Pango markup of the block (all kinds but tables and rules)
 * @language: (nullable): the info string of a fenced code block
 * @n_columns: table columns
 * @n_rows: table rows, the header row included
 * @cells: (element-type utf8): table cells as Pango markup, row by row
 * @align: (array length=n_columns): alignment of each table column
 *
 * One top-level block of a Markdown text, ready for a label.
 */
typedef struct
{
  SextantMarkdownBlockKind  kind;
  guint                     level;
  char                     *markup;
  char                     *language;
  guint                     n_columns;
  guint                     n_rows;
  GPtrArray                *cells;
  SextantMarkdownAlign     *align;
} SextantMarkdownBlock;

void       sextant_markdown_block_free  (SextantMarkdownBlock       *block);
gboolean   sextant_markdown_block_equal (const SextantMarkdownBlock *a,
                                         const SextantMarkdownBlock *b);
GPtrArray *sextant_markdown_render      (const char                 *text,
                                         gssize                      length);
gsize      sextant_markdown_find_settled (const char                *text,
                                          gsize                      from,
                                          gsize                      length);
gsize      sextant_markdown_find_cut     (const char                *text,
                                          gsize                      from,
                                          gsize                      length,
                                          gsize                      min_length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantMarkdownBlock, sextant_markdown_block_free)

G_END_DECLS
