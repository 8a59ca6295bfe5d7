#define G_LOG_DOMAIN "sextant-kb-chunker"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "knowledge/sextant-kb-chunker.h"
#include "knowledge/sextant-kb-error.h"

/* Chunks end where the text does: the page is cut into units (sentences, lines, paragraphs; a
 * sentence too long for a chunk into runs of words), and units are packed greedily up to the size,
 * ending at a paragraph when one closes a chunk at least half full. The next chunk starts with
 * the last whole units of this one that fit in the overlap, so a sentence is never cut in two
 * and a passage that straddles chunks is whole in one of them. Lengths are counted in
 * characters, tokens estimated at four characters each. */

typedef enum
{
  BREAK_WORD,
  BREAK_SENTENCE,
  BREAK_LINE,
  BREAK_PARAGRAPH,
} BreakStrength;

typedef struct
{
  gsize          start;
  gsize          end;
  gsize          char_start;
  gsize          char_end;
  BreakStrength  strength;
} Unit;

void
sextant_kb_chunk_options_init (SextantKbChunkOptions *options)
{
  options->max_tokens = SEXTANT_KB_CHUNK_TOKENS_DEFAULT;
  options->overlap = SEXTANT_KB_CHUNK_OVERLAP_DEFAULT;
}

/**
 * sextant_kb_chunk_options_check:
 * @options: chunking options
 * @error: return location for %SEXTANT_KB_ERROR_INVALID
 *
 * Returns: whether the size and overlap are usable
 */
gboolean
sextant_kb_chunk_options_check (const SextantKbChunkOptions  *options,
                                GError                      **error)
{
  if (options->max_tokens < 16 || options->max_tokens > 8000)
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID,
                   _("Chunks hold 16 to 8,000 tokens, not %u"), options->max_tokens);
      return FALSE;
    }
  if (!(options->overlap >= 0 && options->overlap <= 0.5))
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID,
                   _("Chunk overlap is a share from 0 to 0.5, not %g"), options->overlap);
      return FALSE;
    }

  return TRUE;
}

static gboolean
closes_sentence (gunichar c)
{
  return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x3002;
}

static gboolean
closes_quote (gunichar c)
{
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 || c == 0xBB;
}

/* The character at @p, ASCII without a call: most text is ASCII, and the chunker reads every
 * character (it was a tenth of indexing's time). */
static inline gunichar
char_at (const char *p)
{
  return (guchar) *p < 0x80 ? (gunichar) *p : g_utf8_get_char (p);
}

static inline const char *
after_char (const char *p)
{
  return (guchar) *p < 0x80 ? p + 1 : g_utf8_next_char (p);
}

static inline gboolean
is_space (gunichar c)
{
  return c < 0x80 ? c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' : g_unichar_isspace (c);
}

/* Appends the unit [start, end), cut at spaces into runs of at most @max_chars when longer. */
static void
add_unit (GArray        *units,
          const char    *text,
          gsize          start,
          gsize          end,
          gsize          char_start,
          gsize          char_end,
          BreakStrength  strength,
          gsize          max_chars)
{
  while (char_end - char_start > max_chars)
    {
      const char *p = text + start;
      const char *last_space = NULL;
      gsize n = 0, chars_at_space = 0;
      Unit piece;

      for (; n < max_chars; n++, p = g_utf8_next_char (p))
        if (g_unichar_isspace (g_utf8_get_char (p)) && n > 0)
          {
            last_space = p;
            chars_at_space = n;
          }
      if (last_space == NULL)
        {
          last_space = p;
          chars_at_space = n;
        }
      piece = (Unit) { start, last_space - text, char_start, char_start + chars_at_space, BREAK_WORD };
      g_array_append_val (units, piece);
      /* The next piece starts after the spaces. */
      for (p = last_space; g_unichar_isspace (g_utf8_get_char (p)); p = g_utf8_next_char (p))
        chars_at_space++;
      start = p - text;
      char_start += chars_at_space;
    }
  if (end > start)
    {
      Unit unit = { start, end, char_start, char_end, strength };

      g_array_append_val (units, unit);
    }
}

static GArray *
split_units (const char *text,
             gsize       max_chars)
{
  GArray *units = g_array_new (FALSE, FALSE, sizeof (Unit));
  const char *p = text;
  gsize chars = 0;

  while (*p != '\0')
    {
      const char *start;
      gsize char_start;
      BreakStrength strength = BREAK_SENTENCE;
      const char *end;
      gsize char_end;
      guint newlines = 0;

      while (*p != '\0' && is_space (char_at (p)))
        {
          p = after_char (p);
          chars++;
        }
      if (*p == '\0')
        break;
      start = p;
      char_start = chars;
      for (;;)
        {
          gunichar c = char_at (p);

          if (c == 0 || c == '\n')
            break;
          p = after_char (p);
          chars++;
          if (closes_sentence (c))
            {
              while (closes_sentence (char_at (p)) || closes_quote (char_at (p)))
                {
                  p = after_char (p);
                  chars++;
                }
              if (*p == '\0' || is_space (char_at (p)))
                break;
            }
        }
      end = p;
      char_end = chars;
      /* What follows says how strong the break is: a blank line ends a paragraph. */
      for (const char *q = p; *q != '\0' && is_space (char_at (q)); q = after_char (q))
        if (*q == '\n')
          newlines++;
      if (newlines >= 2 || *p == '\0')
        strength = BREAK_PARAGRAPH;
      else if (newlines == 1)
        strength = BREAK_LINE;
      while (end > start && g_ascii_isspace (end[-1]))
        {
          end--;
          char_end--;
        }
      add_unit (units, text, start - text, end - text, char_start, char_end, strength, max_chars);
    }

  return units;
}

#define UNIT(i) (&g_array_index (units, Unit, (i)))

/**
 * sextant_kb_chunk_text:
 * @text: a page's UTF-8 text
 * @options: size and overlap (see sextant_kb_chunk_options_check())
 *
 * Returns: (transfer full) (element-type SextantKbSpan): the chunks' spans in @text, in order
 */
GArray *
sextant_kb_chunk_text (const char                  *text,
                       const SextantKbChunkOptions *options)
{
  gsize max_chars = (gsize) options->max_tokens * SEXTANT_KB_CHARS_PER_TOKEN;
  gsize overlap_chars = (gsize) (options->overlap * max_chars);
  g_autoptr(GArray) units = split_units (text, max_chars);
  GArray *chunks = g_array_new (FALSE, FALSE, sizeof (SextantKbSpan));
  guint i = 0;

  while (i < units->len)
    {
      guint j = i, next;
      SextantKbSpan span;

      while (j + 1 < units->len && UNIT (j + 1)->char_end - UNIT (i)->char_start <= max_chars)
        j++;
      /* End at the last paragraph of a chunk at least half full rather than mid-paragraph. */
      if (j + 1 < units->len && UNIT (j)->strength < BREAK_PARAGRAPH)
        for (guint k = j; k > i; k--)
          if (UNIT (k - 1)->strength == BREAK_PARAGRAPH &&
              UNIT (k - 1)->char_end - UNIT (i)->char_start >= max_chars / 2)
            {
              j = k - 1;
              break;
            }
      span = (SextantKbSpan) { UNIT (i)->start, UNIT (j)->end, UNIT (i)->char_start, UNIT (j)->char_end };
      g_array_append_val (chunks, span);
      if (j + 1 >= units->len)
        break;
      next = j + 1;
      for (guint m = i + 1; m <= j; m++)
        if (UNIT (j)->char_end - UNIT (m)->char_start <= overlap_chars)
          {
            next = m;
            break;
          }
      /* An overlap that leaves no room for anything new is dropped. */
      if (next <= j && UNIT (j + 1)->char_end - UNIT (next)->char_start > max_chars)
        next = j + 1;
      i = next;
    }

  return chunks;
}
