#define G_LOG_DOMAIN "sextant-markdown"

#include "config.h"

#include <md4c.h>
#include <stdlib.h>
#include <string.h>

#include "document/sextant-markdown.h"

/* Markdown (CommonMark with GitHub tables, strikethrough and task lists, parsed by md4c) turned
 * into a flat list of top-level blocks, each holding Pango markup. Flat because a chat answer
 * is shown as a column of labels: a label per paragraph, heading or list, a grid per table, a
 * monospace frame per code block. Nested containers (a list in a quote, a quote in a list) are
 * flattened into their top-level block's markup with indents, which is what a label can show.
 * The renderer knows nothing of GTK, so it is tested without a display, and a streaming answer
 * can be re-rendered on every frame: md4c parses a few kilobytes in microseconds. */

typedef struct
{
  gboolean ordered;
  guint    next;
} ListLevel;

typedef struct
{
  GPtrArray            *blocks;
  SextantMarkdownBlock *current;
  GString              *buf;
  GString              *cell;
  GArray               *lists;
  guint                 depth;
  gboolean              item_start;
  gboolean              in_head;
  guint                 row_cells;
} Render;

void
sextant_markdown_block_free (SextantMarkdownBlock *block)
{
  if (block == NULL)
    return;
  g_free (block->markup);
  g_free (block->language);
  g_clear_pointer (&block->cells, g_ptr_array_unref);
  g_free (block->align);
  g_free (block);
}

/**
 * sextant_markdown_block_equal:
 * @a: a block
 * @b: another block
 *
 * Lets a view keep the widgets of blocks that did not change when a streaming answer is
 * rendered again.
 *
 * Returns: whether the blocks would display the same
 */
gboolean
sextant_markdown_block_equal (const SextantMarkdownBlock *a,
                              const SextantMarkdownBlock *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->kind != b->kind || a->level != b->level || g_strcmp0 (a->markup, b->markup) != 0 ||
      g_strcmp0 (a->language, b->language) != 0 || a->n_columns != b->n_columns ||
      a->n_rows != b->n_rows)
    return FALSE;
  if (a->cells == NULL || b->cells == NULL)
    return a->cells == b->cells;
  if (a->cells->len != b->cells->len)
    return FALSE;
  for (guint i = 0; i < a->cells->len; i++)
    if (g_strcmp0 (a->cells->pdata[i], b->cells->pdata[i]) != 0)
      return FALSE;
  for (guint i = 0; i < a->n_columns; i++)
    if (a->align[i] != b->align[i])
      return FALSE;

  return TRUE;
}

static GString *
out (Render *r)
{
  return r->cell != NULL ? r->cell : r->buf;
}

static void
append_escaped (GString    *s,
                const char *text,
                gsize       size)
{
  g_autofree char *escaped = g_markup_escape_text (text, size);

  g_string_append (s, escaped);
}

static void
newline_unless_fresh (Render *r)
{
  if (r->buf->len > 0 && r->buf->str[r->buf->len - 1] != '\n')
    g_string_append_c (r->buf, '\n');
}

static void
start_block (Render                   *r,
             SextantMarkdownBlockKind  kind)
{
  r->current = g_new0 (SextantMarkdownBlock, 1);
  r->current->kind = kind;
  g_string_truncate (r->buf, 0);
}

static void
start_table (Render *r)
{
  start_block (r, SEXTANT_MARKDOWN_TABLE);
  r->current->cells = g_ptr_array_new_with_free_func (g_free);
}

static void
start_top_level (Render      *r,
                 MD_BLOCKTYPE type,
                 void        *detail)
{
  switch ((int) type)
    {
    case MD_BLOCK_QUOTE: start_block (r, SEXTANT_MARKDOWN_QUOTE); break;
    case MD_BLOCK_UL: case MD_BLOCK_OL: start_block (r, SEXTANT_MARKDOWN_LIST); break;
    case MD_BLOCK_HR: start_block (r, SEXTANT_MARKDOWN_RULE); break;
    case MD_BLOCK_TABLE: start_table (r); break;
    case MD_BLOCK_H:
      start_block (r, SEXTANT_MARKDOWN_HEADING);
      r->current->level = ((MD_BLOCK_H_DETAIL *) detail)->level;
      break;
    case MD_BLOCK_CODE:
      {
        MD_BLOCK_CODE_DETAIL *code = detail;

        start_block (r, SEXTANT_MARKDOWN_CODE);
        if (code->lang.size > 0)
          r->current->language = g_strndup (code->lang.text, code->lang.size);
      }
      break;
    default: start_block (r, SEXTANT_MARKDOWN_PARAGRAPH); break;
    }
}

static void
start_item (Render                *r,
            const MD_BLOCK_LI_DETAIL *li)
{
  ListLevel *level = &g_array_index (r->lists, ListLevel, r->lists->len - 1);

  newline_unless_fresh (r);
  for (guint i = 1; i < r->lists->len; i++)
    g_string_append (r->buf, "    ");
  if (level->ordered)
    g_string_append_printf (r->buf, "%u. ", level->next++);
  else
    g_string_append (r->buf, "• ");
  if (li->is_task)
    g_string_append (r->buf, li->task_mark == ' ' ? "☐ " : "☑ ");
  r->item_start = TRUE;
}

/* A block inside a quote or list: separated from what came before by a line break, or by an
 * empty line between paragraphs of a quote. */
static void
start_nested (Render      *r,
              MD_BLOCKTYPE type,
              void        *detail)
{
  ListLevel level = { FALSE, 1 };

  switch ((int) type)
    {
    case MD_BLOCK_UL: case MD_BLOCK_OL:
      if (r->lists->len == 0 && r->buf->len > 0)
        {
          /* A list after a paragraph of a quote: an empty line between them, as between paragraphs. */
          newline_unless_fresh (r);
          g_string_append_c (r->buf, '\n');
        }
      level.ordered = type == MD_BLOCK_OL;
      level.next = type == MD_BLOCK_OL ? ((MD_BLOCK_OL_DETAIL *) detail)->start : 1;
      g_array_append_val (r->lists, level);
      break;
    case MD_BLOCK_LI: start_item (r, detail); break;
    case MD_BLOCK_HR: newline_unless_fresh (r); g_string_append (r->buf, "———"); break;
    case MD_BLOCK_TH: case MD_BLOCK_TD:
      if (r->current->kind != SEXTANT_MARKDOWN_TABLE)
        {
          /* A table inside a list or quote: a label cannot hold a grid, so cells are joined. */
          g_string_append (r->buf, " │ ");
          break;
        }
      r->cell = g_string_new (NULL);
      if (r->in_head)
        {
          MD_ALIGN align = ((MD_BLOCK_TD_DETAIL *) detail)->align;

          r->current->align = g_renew (SextantMarkdownAlign, r->current->align, r->current->n_columns + 1);
          r->current->align[r->current->n_columns++] = align == MD_ALIGN_RIGHT ? SEXTANT_MARKDOWN_ALIGN_END
                                                       : align == MD_ALIGN_CENTER ? SEXTANT_MARKDOWN_ALIGN_CENTER
                                                       : SEXTANT_MARKDOWN_ALIGN_START;
        }
      break;
    case MD_BLOCK_THEAD: r->in_head = TRUE; break;
    case MD_BLOCK_P: case MD_BLOCK_H: case MD_BLOCK_CODE: case MD_BLOCK_QUOTE: case MD_BLOCK_HTML:
      if (r->current->kind == SEXTANT_MARKDOWN_TABLE)
        break;
      if (!r->item_start && r->buf->len > 0)
        {
          newline_unless_fresh (r);
          if (r->lists->len == 0)
            g_string_append_c (r->buf, '\n');
        }
      if (type == MD_BLOCK_CODE)
        g_string_append (r->buf, "<tt>");
      else if (type == MD_BLOCK_H)
        g_string_append (r->buf, "<b>");
      break;
    default: break;
    }
}

static int
enter_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  Render *r = user_data;

  if (type == MD_BLOCK_DOC)
    return 0;
  if (r->depth++ == 0)
    {
      start_top_level (r, type, detail);
      if (type == MD_BLOCK_UL || type == MD_BLOCK_OL)
        start_nested (r, type, detail);
      return 0;
    }
  start_nested (r, type, detail);

  return 0;
}

static void
finish_top_level (Render *r)
{
  SextantMarkdownBlock *block = g_steal_pointer (&r->current);

  while (r->buf->len > 0 && r->buf->str[r->buf->len - 1] == '\n')
    g_string_truncate (r->buf, r->buf->len - 1);
  if (block->kind != SEXTANT_MARKDOWN_TABLE && block->kind != SEXTANT_MARKDOWN_RULE)
    block->markup = g_strdup (r->buf->str);
  if (block->kind == SEXTANT_MARKDOWN_TABLE && block->n_columns == 0)
    {
      sextant_markdown_block_free (block);
      return;
    }
  g_ptr_array_add (r->blocks, block);
}

static void
finish_cell (Render *r)
{
  SextantMarkdownBlock *table = r->current;
  g_autoptr(GString) cell = g_steal_pointer (&r->cell);

  g_strstrip (cell->str);
  /* A body row with more cells than the header: md4c drops them, but be safe. */
  if (++r->row_cells <= table->n_columns)
    g_ptr_array_add (table->cells, g_strdup (cell->str));
}

static void
finish_row (Render *r)
{
  SextantMarkdownBlock *table = r->current;

  /* A body row with fewer cells than the header is padded, so the grid stays rectangular. */
  for (; r->row_cells < table->n_columns; r->row_cells++)
    g_ptr_array_add (table->cells, g_strdup (""));
  r->row_cells = 0;
  table->n_rows++;
}

static int
leave_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  Render *r = user_data;

  if (type == MD_BLOCK_DOC)
    return 0;
  switch ((int) type)
    {
    case MD_BLOCK_UL: case MD_BLOCK_OL: g_array_set_size (r->lists, r->lists->len - 1); break;
    case MD_BLOCK_TH: case MD_BLOCK_TD:
      if (r->cell != NULL)
        finish_cell (r);
      break;
    case MD_BLOCK_TR:
      if (r->current->kind == SEXTANT_MARKDOWN_TABLE)
        finish_row (r);
      else
        g_string_append_c (r->buf, '\n');
      break;
    case MD_BLOCK_THEAD: r->in_head = FALSE; break;
    case MD_BLOCK_CODE:
      while (r->buf->len > 0 && r->buf->str[r->buf->len - 1] == '\n')
        g_string_truncate (r->buf, r->buf->len - 1);
      if (r->depth > 1)
        g_string_append (r->buf, "</tt>");
      break;
    case MD_BLOCK_H: if (r->depth > 1) g_string_append (r->buf, "</b>"); break;
    default: break;
    }
  if (--r->depth == 0)
    finish_top_level (r);

  return 0;
}

static void
append_attribute (GString            *s,
                  const MD_ATTRIBUTE *attr)
{
  append_escaped (s, attr->text, attr->size);
}

static int
enter_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  GString *s = out (user_data);

  switch ((int) type)
    {
    case MD_SPAN_EM: g_string_append (s, "<i>"); break;
    case MD_SPAN_STRONG: g_string_append (s, "<b>"); break;
    case MD_SPAN_CODE: g_string_append (s, "<tt>"); break;
    case MD_SPAN_DEL: g_string_append (s, "<s>"); break;
    case MD_SPAN_U: g_string_append (s, "<u>"); break;
    case MD_SPAN_LATEXMATH: case MD_SPAN_LATEXMATH_DISPLAY: g_string_append (s, "<i>"); break;
    case MD_SPAN_A:
      g_string_append (s, "<a href=\"");
      append_attribute (s, &((MD_SPAN_A_DETAIL *) detail)->href);
      g_string_append (s, "\">");
      break;
    default: break;
    }

  return 0;
}

static int
leave_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  GString *s = out (user_data);

  switch ((int) type)
    {
    case MD_SPAN_EM: g_string_append (s, "</i>"); break;
    case MD_SPAN_STRONG: g_string_append (s, "</b>"); break;
    case MD_SPAN_CODE: g_string_append (s, "</tt>"); break;
    case MD_SPAN_DEL: g_string_append (s, "</s>"); break;
    case MD_SPAN_U: g_string_append (s, "</u>"); break;
    case MD_SPAN_LATEXMATH: case MD_SPAN_LATEXMATH_DISPLAY: g_string_append (s, "</i>"); break;
    case MD_SPAN_A: g_string_append (s, "</a>"); break;
    default: break;
    }

  return 0;
}

/* md4c hands entities over undecoded; the common ones and numeric ones are decoded, any other
 * is shown as written. */
static void
append_entity (GString    *s,
               const char *text,
               gsize       size)
{
  static const struct { const char *name, *utf8; } named[] = {
    { "&amp;", "&amp;" }, { "&lt;", "&lt;" }, { "&gt;", "&gt;" }, { "&quot;", "&quot;" },
    { "&apos;", "&apos;" }, { "&nbsp;", "\xc2\xa0" }, { "&mdash;", "—" }, { "&ndash;", "–" },
    { "&hellip;", "…" }, { "&euro;", "€" }, { "&pound;", "£" }, { "&copy;", "©" },
  };
  g_autofree char *entity = g_strndup (text, size);
  gunichar c = 0;

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_str_equal (entity, named[i].name))
      {
        g_string_append (s, named[i].utf8);
        return;
      }
  if (size > 3 && entity[1] == '#')
    c = (entity[2] == 'x' || entity[2] == 'X') ? strtoul (entity + 3, NULL, 16) : strtoul (entity + 2, NULL, 10);
  if (c != 0 && g_unichar_validate (c))
    {
      char utf8[8] = { 0 };
      g_autofree char *escaped = NULL;

      g_unichar_to_utf8 (c, utf8);
      escaped = g_markup_escape_text (utf8, -1);
      g_string_append (s, escaped);
      return;
    }
  append_escaped (s, text, size);
}

static int
text_cb (MD_TEXTTYPE    type,
         const MD_CHAR *text,
         MD_SIZE        size,
         void          *user_data)
{
  Render *r = user_data;
  GString *s = out (r);

  r->item_start = FALSE;
  switch ((int) type)
    {
    case MD_TEXT_NULLCHAR: g_string_append (s, "\xef\xbf\xbd"); break;
    case MD_TEXT_BR: g_string_append_c (s, '\n'); break;
    case MD_TEXT_SOFTBR: g_string_append_c (s, ' '); break;
    case MD_TEXT_ENTITY: append_entity (s, text, size); break;
    default: append_escaped (s, text, size); break;
    }

  return 0;
}

/**
 * sextant_markdown_render:
 * @text: Markdown, possibly cut anywhere (a streaming answer)
 * @length: its length in bytes, or -1 when nul-terminated
 *
 * Parses @text into top-level blocks. Invalid UTF-8 is replaced first, so the markup is
 * always valid.
 *
 * Returns: (transfer full) (element-type SextantMarkdownBlock): the blocks
 */
GPtrArray *
sextant_markdown_render (const char *text,
                         gssize      length)
{
  g_autofree char *valid = NULL;
  Render r = { 0, };
  MD_PARSER parser = {
    .abi_version = 0,
    .flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML,
    .enter_block = enter_block_cb,
    .leave_block = leave_block_cb,
    .enter_span = enter_span_cb,
    .leave_span = leave_span_cb,
    .text = text_cb,
  };

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  valid = g_utf8_make_valid (text != NULL ? text : "", length);
  r.blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_markdown_block_free);
  r.buf = g_string_new (NULL);
  r.lists = g_array_new (FALSE, FALSE, sizeof (ListLevel));
  if (md_parse (valid, strlen (valid), &parser, &r) != 0)
    g_debug ("md4c stopped early; showing the blocks parsed so far");
  /* Only reached when md4c stops early: close the block being built. */
  if (r.current != NULL)
    {
      if (r.cell != NULL)
        g_string_free (g_steal_pointer (&r.cell), TRUE);
      finish_top_level (&r);
    }
  g_string_free (r.buf, TRUE);
  g_array_unref (r.lists);

  return r.blocks;
}

/* Settling ------------------------------------------------------------------------------------ */

typedef struct
{
  char  fence_char;   /* '`' or '~' inside a fenced code block, else 0 */
  gsize fence_len;
} FenceState;

/* A fence line: up to three spaces, then at least three backticks or tildes. */
static gboolean
read_fence (const char *line,
            const char *end,
            char       *c,
            gsize      *n)
{
  const char *p = line;
  gsize count = 0;

  while (p < end && *p == ' ' && p - line < 3)
    p++;
  if (p >= end || (*p != '`' && *p != '~'))
    return FALSE;
  *c = *p;
  while (p < end && *p == *c)
    p++, count++;
  *n = count;

  return count >= 3;
}

static void
update_fence (FenceState *state,
              const char *line,
              const char *end)
{
  char c;
  gsize n;

  if (!read_fence (line, end, &c, &n))
    return;
  if (state->fence_char == 0)
    {
      state->fence_char = c;
      state->fence_len = n;
      return;
    }
  /* A closing fence: the same character, at least as long, nothing after it but spaces. */
  if (c == state->fence_char && n >= state->fence_len)
    {
      const char *p = line;

      while (p < end && (*p == ' ' || *p == c))
        p++;
      while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
      if (p == end)
        state->fence_char = 0;
    }
}

static gboolean
is_blank_line (const char *line,
               const char *end)
{
  for (const char *p = line; p < end; p++)
    if (*p != ' ' && *p != '\t' && *p != '\r')
      return FALSE;

  return TRUE;
}

/* Whether a line after a blank line starts a block of its own, one that cannot continue the
 * block before the blank line: not indented (list content, indented code), not a list item
 * (a list goes on across blank lines). */
static gboolean
starts_new_block (const char *line,
                  const char *end)
{
  const char *p = line;

  if (p >= end || *p == ' ' || *p == '\t')
    return FALSE;
  if ((*p == '-' || *p == '+' || *p == '*') && (p + 1 == end || p[1] == ' ' || p[1] == '\t'))
    return FALSE;
  while (p < end && g_ascii_isdigit (*p) && p - line < 9)
    p++;
  if (p > line && p < end && (*p == '.' || *p == ')') && (p + 1 == end || p[1] == ' ' || p[1] == '\t'))
    return FALSE;

  return TRUE;
}

/* The cuts of @text after @from: the starts of complete lines that follow a blank line, are not
 * indented, are not list items and lie outside fenced code. Returns the first cut at least
 * @min_length bytes after @from, or with @want_first unset the last one; @from when none. */
static gsize
scan_cuts (const char *text,
           gsize       from,
           gsize       length,
           gsize       min_length,
           gboolean    want_first)
{
  FenceState fence = { 0, 0 };
  const char *end = text + length;
  const char *line = text + from;
  gsize cut = from;
  gboolean after_blank = FALSE;

  while (line < end)
    {
      const char *eol = memchr (line, '\n', end - line);

      /* Only a complete line can be judged: "1" may yet become "1. item". */
      if (eol == NULL)
        break;
      if (fence.fence_char == 0 && after_blank && starts_new_block (line, eol) &&
          (gsize) (line - text) >= from + min_length)
        {
          cut = line - text;
          if (want_first)
            return cut;
        }
      if (fence.fence_char != 0 || !is_blank_line (line, eol))
        {
          update_fence (&fence, line, eol);
          after_blank = FALSE;
        }
      else
        after_blank = TRUE;
      line = eol + 1;
    }

  return cut;
}

/**
 * sextant_markdown_find_settled:
 * @text: Markdown, possibly still growing (a streaming answer)
 * @from: an offset known to be a cut: 0, or an earlier result for the same text
 * @length: the length of @text in bytes
 *
 * Finds the last offset at which @text can be cut so that the blocks before the cut never change
 * as more text is appended: rendering the two parts apart gives the blocks of the whole. A
 * streaming message renders the part before the cut once and then only what follows, so a frame
 * costs the same at the first kilobyte as at the thousandth.
 *
 * A cut is the start of a complete line that follows a blank line, is not indented, is not a
 * list item and lies outside fenced code: CommonMark ends every other block at a blank line.
 * (Raw HTML is off in sextant_markdown_render(); a link reference definition that comes after
 * its use is the one construct this cannot see, and answers do not use them.)
 *
 * Returns: the offset of the last cut, or @from when there is none after it
 */
gsize
sextant_markdown_find_settled (const char *text,
                               gsize       from,
                               gsize       length)
{
  g_return_val_if_fail (text != NULL, from);
  g_return_val_if_fail (from <= length, from);

  return scan_cuts (text, from, length, 0, FALSE);
}

/**
 * sextant_markdown_find_cut:
 * @text: Markdown
 * @from: an offset known to be a cut (see sextant_markdown_find_settled())
 * @length: the length of @text in bytes
 * @min_length: how far after @from the cut must be at least
 *
 * Splits a long text into pieces of about @min_length bytes that render apart to the blocks of
 * the whole, so that a chat shows a long answer as many short rows.
 *
 * Returns: the first cut at least @min_length bytes after @from, or @from when there is none
 */
gsize
sextant_markdown_find_cut (const char *text,
                           gsize       from,
                           gsize       length,
                           gsize       min_length)
{
  g_return_val_if_fail (text != NULL, from);
  g_return_val_if_fail (from <= length, from);

  return scan_cuts (text, from, length, MAX (min_length, 1), TRUE);
}
