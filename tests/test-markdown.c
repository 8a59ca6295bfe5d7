#define G_LOG_DOMAIN "test-markdown"

#include "config.h"

#include <pango/pango.h>
#include <string.h>

#include "document/sextant-markdown.h"
#include "sextant-test-util.h"

/* The chat's Markdown renderer: each kind of block an answer uses, the markup it yields (the
 * expected strings are written by hand from the CommonMark/GFM rules md4c implements), and
 * answers cut at every byte, as they arrive while streaming, must always give valid markup. */

static SextantMarkdownBlock *
block (GPtrArray *blocks,
       guint      index)
{
  g_assert_cmpuint (index, <, blocks->len);

  return blocks->pdata[index];
}

/* Pango parses its own markup; GtkLabel adds <a>, so links are checked apart. */
static void
assert_valid_markup (const char *markup)
{
  g_autoptr(GError) error = NULL;

  if (markup == NULL || strstr (markup, "<a href") != NULL)
    return;
  if (!pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, &error))
    g_error ("Invalid markup “%s”: %s", markup, error->message);
}

static void
assert_all_valid (GPtrArray *blocks)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      SextantMarkdownBlock *b = blocks->pdata[i];

      assert_valid_markup (b->markup);
      for (guint j = 0; b->cells != NULL && j < b->cells->len; j++)
        assert_valid_markup (b->cells->pdata[j]);
    }
}

static void
test_inline (void)
{
  g_autoptr(GPtrArray) blocks = sextant_markdown_render ("Hello *world*, **bold** `x < 1` ~~old~~ "
                                                         "[docs](https://example.org/?a=1&b=2) AT&amp;T", -1);

  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpint (block (blocks, 0)->kind, ==, SEXTANT_MARKDOWN_PARAGRAPH);
  g_assert_cmpstr (block (blocks, 0)->markup, ==,
                   "Hello <i>world</i>, <b>bold</b> <tt>x &lt; 1</tt> <s>old</s> "
                   "<a href=\"https://example.org/?a=1&amp;b=2\">docs</a> AT&amp;T");
}

static void
test_headings_and_paragraphs (void)
{
  g_autoptr(GPtrArray) blocks = sextant_markdown_render ("# Risk\n\nVaR is *high*.\nSecond line.\n\n"
                                                         "### Detail\n---\nEnd", -1);

  g_assert_cmpuint (blocks->len, ==, 5);
  g_assert_cmpint (block (blocks, 0)->kind, ==, SEXTANT_MARKDOWN_HEADING);
  g_assert_cmpuint (block (blocks, 0)->level, ==, 1);
  g_assert_cmpstr (block (blocks, 0)->markup, ==, "Risk");
  /* A soft line break is a space. */
  g_assert_cmpstr (block (blocks, 1)->markup, ==, "VaR is <i>high</i>. Second line.");
  g_assert_cmpuint (block (blocks, 2)->level, ==, 3);
  g_assert_cmpint (block (blocks, 3)->kind, ==, SEXTANT_MARKDOWN_RULE);
  g_assert_cmpstr (block (blocks, 4)->markup, ==, "End");
  assert_all_valid (blocks);
}

static void
test_lists (void)
{
  g_autoptr(GPtrArray) blocks = sextant_markdown_render ("- MSFT\n- IBM\n  1. one\n  2. two\n- [x] done\n\n"
                                                         "3. three\n4. four", -1);

  g_assert_cmpuint (blocks->len, ==, 2);
  g_assert_cmpint (block (blocks, 0)->kind, ==, SEXTANT_MARKDOWN_LIST);
  g_assert_cmpstr (block (blocks, 0)->markup, ==,
                   "• MSFT\n• IBM\n    1. one\n    2. two\n• ☑ done");
  /* An ordered list keeps its start number. */
  g_assert_cmpstr (block (blocks, 1)->markup, ==, "3. three\n4. four");
  assert_all_valid (blocks);
}

static void
test_code (void)
{
  g_autoptr(GPtrArray) blocks = sextant_markdown_render ("```json\n{\"a\": \"<b>\"}\n```\n\n    indented\n", -1);

  g_assert_cmpuint (blocks->len, ==, 2);
  g_assert_cmpint (block (blocks, 0)->kind, ==, SEXTANT_MARKDOWN_CODE);
  g_assert_cmpstr (block (blocks, 0)->language, ==, "json");
  g_assert_cmpstr (block (blocks, 0)->markup, ==, "{&quot;a&quot;: &quot;&lt;b&gt;&quot;}");
  g_assert_null (block (blocks, 1)->language);
  g_assert_cmpstr (block (blocks, 1)->markup, ==, "indented");
  assert_all_valid (blocks);
}

static void
test_table (void)
{
  /* The shape of the offline analyst's weights table. */
  g_autoptr(GPtrArray) blocks = sextant_markdown_render ("| Symbol | Weight |\n|:---|---:|\n"
                                                         "| MSFT | **41.20%** |\n| IBM |\n", -1);
  SextantMarkdownBlock *t;

  g_assert_cmpuint (blocks->len, ==, 1);
  t = block (blocks, 0);
  g_assert_cmpint (t->kind, ==, SEXTANT_MARKDOWN_TABLE);
  g_assert_cmpuint (t->n_columns, ==, 2);
  g_assert_cmpuint (t->n_rows, ==, 3);
  g_assert_cmpuint (t->cells->len, ==, 6);
  g_assert_cmpint (t->align[0], ==, SEXTANT_MARKDOWN_ALIGN_START);
  g_assert_cmpint (t->align[1], ==, SEXTANT_MARKDOWN_ALIGN_END);
  g_assert_cmpstr (t->cells->pdata[0], ==, "Symbol");
  g_assert_cmpstr (t->cells->pdata[3], ==, "<b>41.20%</b>");
  /* The short last row is padded to the header's width. */
  g_assert_cmpstr (t->cells->pdata[4], ==, "IBM");
  g_assert_cmpstr (t->cells->pdata[5], ==, "");
  assert_all_valid (blocks);
}

static void
test_quote (void)
{
  g_autoptr(GPtrArray) blocks = sextant_markdown_render ("> **Offline analyst.** No keys.\n>\n> - a\n> - b", -1);

  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpint (block (blocks, 0)->kind, ==, SEXTANT_MARKDOWN_QUOTE);
  g_assert_cmpstr (block (blocks, 0)->markup, ==, "<b>Offline analyst.</b> No keys.\n\n• a\n• b");
  assert_all_valid (blocks);
}

static void
test_equal (void)
{
  g_autoptr(GPtrArray) a = sextant_markdown_render ("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |", -1);
  g_autoptr(GPtrArray) b = sextant_markdown_render ("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nmore", -1);
  g_autoptr(GPtrArray) c = sextant_markdown_render ("# T\n\n| a | b |\n|---|---|\n| 1 | 3 |", -1);

  g_assert_true (sextant_markdown_block_equal (block (a, 0), block (b, 0)));
  g_assert_true (sextant_markdown_block_equal (block (a, 1), block (b, 1)));
  g_assert_false (sextant_markdown_block_equal (block (a, 1), block (c, 1)));
  g_assert_false (sextant_markdown_block_equal (block (a, 0), block (a, 1)));
}

/* Every prefix of a rich answer, as a stream delivers it, renders to valid markup, and the
 * blocks completed early do not change as later text arrives. */
static void
test_streaming_prefixes (void)
{
  const char *answer = "## MSFT\n\nThe **RSI(14)** is *58.3* — neutral.\n\n| Metric | Value |\n|---|--:|\n"
                       "| VaR 95% | 2.1% |\n\n```\ncode <here> & there\n```\n\n1. first\n2. second\n\n"
                       "> note with `code` and [a link](https://example.org)\n\nÜnïcödé ✓ end";
  gsize len = strlen (answer);
  g_autoptr(GPtrArray) whole = sextant_markdown_render (answer, -1);

  g_assert_cmpuint (whole->len, ==, 7);
  for (gsize i = 0; i <= len; i++)
    {
      g_autoptr(GPtrArray) blocks = sextant_markdown_render (answer, i);

      assert_all_valid (blocks);
      /* The heading is final once the blank line after it has arrived. */
      if (i > strlen ("## MSFT\n\n"))
        g_assert_true (sextant_markdown_block_equal (block (blocks, 0), block (whole, 0)));
    }
}

/* Streams @text byte by byte, moving the settled cut forward as a chat message does, and checks
 * at every length that the blocks before the cut and the blocks after it are those of the whole. */
static gsize
check_settled_stream (const char *text)
{
  gsize len = strlen (text);
  gsize settled = 0;

  for (gsize k = 0; k <= len; k++)
    {
      gsize before = settled;
      g_autoptr(GPtrArray) whole = sextant_markdown_render (text, k);
      g_autoptr(GPtrArray) head = NULL;
      g_autoptr(GPtrArray) tail = NULL;

      settled = sextant_markdown_find_settled (text, settled, k);
      g_assert_cmpuint (settled, >=, before);
      g_assert_cmpuint (settled, <=, k);
      /* A cut is always at the start of a line. */
      g_assert_true (settled == 0 || text[settled - 1] == '\n');
      head = sextant_markdown_render (text, settled);
      tail = sextant_markdown_render (text + settled, k - settled);
      if (head->len + tail->len != whole->len)
        g_error ("%zu bytes, cut at %zu: %u + %u blocks, the whole has %u", k, settled, head->len, tail->len, whole->len);
      for (guint i = 0; i < whole->len; i++)
        {
          SextantMarkdownBlock *part = i < head->len ? head->pdata[i] : tail->pdata[i - head->len];

          if (!sextant_markdown_block_equal (part, whole->pdata[i]))
            g_error ("%zu bytes, cut at %zu: block %u differs", k, settled, i);
        }
    }

  return settled;
}

/* The cut a streaming message renders from: before it, nothing changes as text arrives. The
 * second text holds what could fool a cut after a blank line: lists going on across blank
 * lines, blank lines inside fences of both kinds (a ``` inside a ~~~ fence), indented code,
 * quotes, a setext heading, a rule, a table, and emphasis that a blank line breaks. */
static void
test_settled (void)
{
  const char *answer = "## MSFT\n\nThe **RSI(14)** is *58.3* — neutral.\n\n| Metric | Value |\n|---|--:|\n"
                       "| VaR 95% | 2.1% |\n\n```\ncode <here> & there\n```\n\n1. first\n2. second\n\n"
                       "> note with `code` and [a link](https://example.org)\n\nÜnïcödé ✓ end";
  const char *tricky = "- a\n\n- b\n\n  still b\n\nPara\n\n1. one\n\n2. two\n\n10) ten\n\n"
                       "```python\ncode\n\nmore code\n```\n\n~~~~\nx\n\n```\n\ny\n~~~~\n\n> q1\n\n> q2\n\n"
                       "    indented\n\n    code\n\nText\n===\n\n---\n\n* star\n\n+ plus\n\n"
                       "| a | b |\n|---|---|\n| 1 | 2 |\n\nEnd *em\n\nphasis* no\n\n2023 was a year.\n";
  const char *open_fence = "Intro\n\n```\na\n\nb\n\nc\n";
  gsize cut;

  /* Every cut point found along the way is checked; the last one is the start of "Ünïcödé". */
  cut = check_settled_stream (answer);
  g_assert_cmpstr (answer + cut, ==, "> note with `code` and [a link](https://example.org)\n\nÜnïcödé ✓ end");
  cut = check_settled_stream (tricky);
  g_assert_cmpstr (tricky + cut, ==, "2023 was a year.\n");
  /* Inside an open fence nothing after it settles. */
  g_assert_cmpuint (sextant_markdown_find_settled (open_fence, 0, strlen (open_fence)), ==, strlen ("Intro\n\n"));
  /* Pieces of at least n bytes render to the blocks of the whole. */
  for (gsize n = 1; n <= 256; n *= 4)
    {
      const char *texts[] = { answer, tricky };

      for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
        {
          gsize len = strlen (texts[t]);
          g_autoptr(GPtrArray) whole = sextant_markdown_render (texts[t], len);
          g_autoptr(GPtrArray) joined = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_markdown_block_free);
          guint n_pieces = 0;

          for (gsize start = 0, next; start < len; start = next, n_pieces++)
            {
              g_autoptr(GPtrArray) piece = NULL;

              next = sextant_markdown_find_cut (texts[t], start, len, n);
              if (next == start)
                next = len;
              g_assert_true (next == len || next - start >= n);
              piece = sextant_markdown_render (texts[t] + start, next - start);
              g_ptr_array_extend_and_steal (joined, g_steal_pointer (&piece));
            }
          g_assert_cmpuint (joined->len, ==, whole->len);
          for (guint i = 0; i < whole->len; i++)
            g_assert_true (sextant_markdown_block_equal (joined->pdata[i], whole->pdata[i]));
          /* Pieces of one byte: a piece at every cut; the answer has five (its last line is unfinished). */
          if (n == 1)
            g_assert_cmpuint (n_pieces, >=, 5);
        }
    }
  /* "1" could still become "1. item": an unfinished line is not judged. */
  g_assert_cmpuint (sextant_markdown_find_settled ("- a\n\n1", 0, 7), ==, 0);
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(GPtrArray) blocks = sextant_markdown_render ("caf\xc3 ok\x00hidden", 7);

  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_true (g_utf8_validate (block (blocks, 0)->markup, -1, NULL));
  assert_all_valid (blocks);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/markdown/inline", test_inline);
  g_test_add_func ("/sextant/markdown/headings-paragraphs", test_headings_and_paragraphs);
  g_test_add_func ("/sextant/markdown/lists", test_lists);
  g_test_add_func ("/sextant/markdown/code", test_code);
  g_test_add_func ("/sextant/markdown/table", test_table);
  g_test_add_func ("/sextant/markdown/quote", test_quote);
  g_test_add_func ("/sextant/markdown/equal", test_equal);
  g_test_add_func ("/sextant/markdown/streaming-prefixes", test_streaming_prefixes);
  g_test_add_func ("/sextant/markdown/settled", test_settled);
  g_test_add_func ("/sextant/markdown/invalid-utf8", test_invalid_utf8);

  return g_test_run ();
}
