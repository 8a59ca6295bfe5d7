#define G_LOG_DOMAIN "sextant-citation-stream"

#include "config.h"

#include <string.h>

#include "agent/sextant-citation-stream.h"
#include "agent/sextant-citations.h"

/* An answer's citations linked while it streams, as sextant_citations_link() links the stored
 * answer: a terminal cannot take back what it printed, so the text from a `[` that may still
 * become a citation (`[1`, `[1, 2]` with nothing after it yet) is held until the next piece
 * decides it. Everything before that point links the same way whatever follows, so the text
 * given out is always a prefix of the linked answer. */

struct _SextantCitationStream
{
  SextantCitations *citations;
  GString          *raw;        /* the text block so far, as the model wrote it */
  gsize             given_out;  /* bytes of its linked form already returned */
  GPtrArray        *later;      /* results that came during a block, for the next one */
};

/**
 * sextant_citation_stream_new:
 *
 * Returns: (transfer full): a stream that knows no passages yet
 */
SextantCitationStream *
sextant_citation_stream_new (void)
{
  SextantCitationStream *self = g_new0 (SextantCitationStream, 1);

  self->citations = sextant_citations_new ();
  self->raw = g_string_new (NULL);
  self->later = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  return self;
}

void
sextant_citation_stream_free (SextantCitationStream *self)
{
  if (self == NULL)
    return;
  sextant_citations_free (self->citations);
  g_string_free (self->raw, TRUE);
  g_ptr_array_unref (self->later);
  g_free (self);
}

/**
 * sextant_citation_stream_add_result:
 * @self: a stream
 * @result: what `search_knowledge_base` returned, numbered as the model was sent it (the
 *   agent's `tool-call-finished` output)
 *
 * Lets the text that follows cite the passages of one search. A block's citations are those
 * known when it began (the agent's results come between blocks): linking a passage that arrived
 * in the middle of a block would change text already given out.
 */
void
sextant_citation_stream_add_result (SextantCitationStream *self,
                                    JsonNode              *result)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (result != NULL);

  if (self->raw->len > 0)
    g_ptr_array_add (self->later, json_node_ref (result));
  else
    sextant_citations_add_result (self->citations, result, FALSE);
}

/* Where the text stops being settled: at the last `[` when what follows it could still be, or
 * is, a citation whose next character has not arrived; otherwise the end. */
static gsize
settled_length (GString *raw)
{
  const char *open = strrchr (raw->str, '[');
  gsize after;

  if (open == NULL)
    return raw->len;
  after = open - raw->str + 1;
  after += strspn (raw->str + after, "0123456789, ");
  if (after == raw->len || (raw->str[after] == ']' && after + 1 == raw->len))
    return open - raw->str;

  return raw->len;
}

static char *
give_out (SextantCitationStream *self,
          gsize                  length)
{
  g_autofree char *prefix = g_strndup (self->raw->str, length);
  g_autofree char *linked = sextant_citations_link (self->citations, prefix);
  gsize linked_length = strlen (linked);
  char *fresh;

  /* Settled text never changes its links, so the linked prefix only grows. */
  g_assert (linked_length >= self->given_out);
  fresh = g_strdup (linked + self->given_out);
  self->given_out = linked_length;

  return fresh;
}

/**
 * sextant_citation_stream_push:
 * @self: a stream
 * @delta: the next piece of the answer's text
 *
 * Returns: (transfer full): the text to show now, its citations of known passages linked as
 *   `[[1]](<file:///…#page=12>)`; maybe empty while a citation is incomplete
 */
char *
sextant_citation_stream_push (SextantCitationStream *self,
                              const char            *delta)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (delta != NULL, NULL);

  g_string_append (self->raw, delta);
  if (sextant_citations_is_empty (self->citations))
    {
      char *fresh = g_strdup (self->raw->str + self->given_out);

      self->given_out = self->raw->len;
      return fresh;
    }

  return give_out (self, settled_length (self->raw));
}

/**
 * sextant_citation_stream_flush:
 * @self: a stream
 *
 * Ends the text block (before a tool call or at the end of the answer): the text still held
 * back, linked. The next piece starts a new block, as each of the stored answer's text blocks
 * is linked on its own.
 *
 * Returns: (transfer full): the rest of the block, maybe empty
 */
char *
sextant_citation_stream_flush (SextantCitationStream *self)
{
  char *rest;

  g_return_val_if_fail (self != NULL, NULL);

  rest = sextant_citations_is_empty (self->citations) ? g_strdup (self->raw->str + self->given_out)
                                                      : give_out (self, self->raw->len);
  g_string_truncate (self->raw, 0);
  self->given_out = 0;
  for (guint i = 0; i < self->later->len; i++)
    sextant_citations_add_result (self->citations, self->later->pdata[i], FALSE);
  g_ptr_array_set_size (self->later, 0);

  return rest;
}
