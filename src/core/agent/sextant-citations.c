#define G_LOG_DOMAIN "sextant-citations"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "agent/sextant-citations.h"
#include "agent/sextant-conversation-store.h"

/* The knowledge base's passages an answer cites (issue 16). `search_knowledge_base` returns
 * numbered passages and the model cites them as `[n]`; this turns those bare numbers into the
 * links the offline analyst writes (the file at its page), and tells which passages an answer
 * relied on, for the committee's pack. Within one question the numbers are the turn's: a second
 * search's passages are numbered after the first's, so `[n]` names one passage. */

#define TOOL_NAME "search_knowledge_base"
#define MAX_NUMBER 100000

struct _SextantCitations
{
  GHashTable *passages; /* number → SextantCitedPassage */
  guint       max_number;
};

/**
 * sextant_cited_passage_copy:
 * @passage: a passage
 *
 * Returns: (transfer full): a copy of @passage
 */
SextantCitedPassage *
sextant_cited_passage_copy (const SextantCitedPassage *passage)
{
  SextantCitedPassage *copy;

  g_return_val_if_fail (passage != NULL, NULL);

  copy = g_memdup2 (passage, sizeof *passage);
  copy->document = g_strdup (passage->document);
  copy->title = g_strdup (passage->title);
  copy->text = g_strdup (passage->text);
  copy->uri = g_strdup (passage->uri);

  return copy;
}

void
sextant_cited_passage_free (SextantCitedPassage *passage)
{
  if (passage == NULL)
    return;
  g_free (passage->document);
  g_free (passage->title);
  g_free (passage->text);
  g_free (passage->uri);
  g_free (passage);
}

/**
 * sextant_citations_new:
 *
 * Returns: (transfer full): no passages yet
 */
SextantCitations *
sextant_citations_new (void)
{
  SextantCitations *self = g_new0 (SextantCitations, 1);

  self->passages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) sextant_cited_passage_free);

  return self;
}

void
sextant_citations_free (SextantCitations *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->passages);
  g_free (self);
}

gboolean
sextant_citations_is_empty (SextantCitations *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return g_hash_table_size (self->passages) == 0;
}

/* A stored result is untrusted JSON: a member of the wrong type or range reads as absent. */
static gint64
get_count (JsonObject *o,
           const char *member)
{
  JsonNode *node = json_object_get_member (o, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;

  return CLAMP (json_node_get_int (node), 0, MAX_NUMBER);
}

static const char *
get_text (JsonObject *o,
          const char *member)
{
  JsonNode *node = json_object_get_member (o, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
add_passage (SextantCitations *self,
             JsonObject       *p,
             guint             number)
{
  SextantCitedPassage *passage;

  if (number == 0 || get_text (p, "document") == NULL || get_text (p, "text") == NULL)
    return FALSE;
  passage = g_new0 (SextantCitedPassage, 1);
  passage->number = number;
  passage->document = g_strdup (get_text (p, "document"));
  passage->title = g_strdup (get_text (p, "title"));
  passage->page = get_count (p, "page");
  passage->text = g_strdup (get_text (p, "text"));
  passage->uri = g_strdup (get_text (p, "uri"));
  g_hash_table_replace (self->passages, GUINT_TO_POINTER (number), passage);
  self->max_number = MAX (self->max_number, number);

  return TRUE;
}

/**
 * sextant_citations_add_result:
 * @self: the passages of a turn so far
 * @result: what `search_knowledge_base` returned: `{"passages": [{"id", "document", "page",
 *   "text", "uri", …}]}`
 * @renumber: whether to number its passages after those already there, writing the new numbers
 *   into @result (a turn's tool results before they reach the model), or to keep its numbers,
 *   a later passage replacing an earlier one of the same number (a stored conversation)
 *
 * Adds the passages of one search.
 */
void
sextant_citations_add_result (SextantCitations *self,
                              JsonNode         *result,
                              gboolean          renumber)
{
  JsonObject *o;
  JsonNode *passages;
  JsonArray *array;
  guint offset;

  g_return_if_fail (self != NULL);

  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    return;
  o = json_node_get_object (result);
  if ((passages = json_object_get_member (o, "passages")) == NULL || !JSON_NODE_HOLDS_ARRAY (passages))
    return;
  array = json_node_get_array (passages);
  offset = renumber ? self->max_number : 0;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *p;
      guint number;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      p = json_node_get_object (element);
      number = get_count (p, "id");
      if (number == 0)
        continue;
      number = MIN (number + offset, MAX_NUMBER);
      if (add_passage (self, p, number) && offset > 0)
        json_object_set_int_member (p, "id", number);
    }
}

/* citations in Markdown ------------------------------------------------------------------------ */

/* `[1]` or `[1, 2]` at @text[at]: the numbers, and where it ends (after the `]`), or 0. */
static gsize
parse_citation (const char *text,
                gsize       at,
                GArray     *numbers)
{
  gsize i = at + 1;

  g_array_set_size (numbers, 0);
  for (;;)
    {
      guint number = 0;
      gsize digits = 0;

      while (g_ascii_isdigit (text[i]) && digits < 6)
        number = number * 10 + (text[i++] - '0'), digits++;
      if (digits == 0 || digits == 6 || number == 0)
        return 0;
      g_array_append_val (numbers, number);
      if (text[i] == ']')
        return i + 1;
      if (text[i] != ',')
        return 0;
      i++;
      while (text[i] == ' ')
        i++;
    }
}

typedef gboolean (*CitationFunc) (SextantCitations *self,
                                  const char       *text,
                                  gsize             start,
                                  gsize             end,
                                  GArray           *numbers,
                                  gpointer          user_data);

/* Calls @func on each `[n]` of prose: not in code, not an index such as `a[1]` or an escaped
 * `\[1]`. Code spans are told on one line, which is where answers put them. */
static void
scan_citations (SextantCitations *self,
                const char       *text,
                CitationFunc      func,
                gpointer          user_data)
{
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean in_fence = FALSE;
  gboolean in_span = FALSE;
  gsize line_start = 0;

  for (gsize i = 0; text[i] != '\0'; i++)
    {
      if (i == line_start)
        {
          const char *p = text + i;

          while (*p == ' ')
            p++;
          in_span = FALSE;
          if (g_str_has_prefix (p, "```") || g_str_has_prefix (p, "~~~"))
            in_fence = !in_fence;
        }
      if (text[i] == '\n')
        line_start = i + 1;
      else if (text[i] == '`')
        in_span = !in_span;
      else if (text[i] == '[' && !in_fence && !in_span &&
               (i == 0 || !(g_ascii_isalnum (text[i - 1]) || text[i - 1] == '\\')))
        {
          gsize end = parse_citation (text, i, numbers);

          if (end > 0 && !func (self, text, i, end, numbers, user_data))
            return;
        }
    }
}

static gboolean
all_known (SextantCitations *self,
           GArray           *numbers,
           gboolean          need_uri)
{
  for (guint n = 0; n < numbers->len; n++)
    {
      SextantCitedPassage *passage = g_hash_table_lookup (self->passages,
                                                          GUINT_TO_POINTER (g_array_index (numbers, guint, n)));

      if (passage == NULL || (need_uri && passage->uri == NULL))
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  GString *out;
  gsize    copied;
} Linking;

static gboolean
link_citation (SextantCitations *self,
               const char       *text,
               gsize             start,
               gsize             end,
               GArray           *numbers,
               gpointer          user_data)
{
  Linking *linking = user_data;
  gboolean starts_line = start == 0 || text[start - 1] == '\n';

  /* Already a link (`[[1]](…)`, `[1](…)`), a reference (`[1][a]`) or its definition (`[1]: …`). */
  if ((start > 0 && (text[start - 1] == '[' || text[start - 1] == ']')) ||
      text[end] == '(' || text[end] == '[' || text[end] == ']' || (starts_line && text[end] == ':') ||
      !all_known (self, numbers, TRUE))
    return TRUE;
  g_string_append_len (linking->out, text + linking->copied, start - linking->copied);
  for (guint n = 0; n < numbers->len; n++)
    {
      guint number = g_array_index (numbers, guint, n);
      SextantCitedPassage *passage = g_hash_table_lookup (self->passages, GUINT_TO_POINTER (number));

      g_string_append_printf (linking->out, "%s[[%u]](<%s>)", n > 0 ? ", " : "", number, passage->uri);
    }
  linking->copied = end;

  return TRUE;
}

/**
 * sextant_citations_link:
 * @self: the passages the answer could cite
 * @markdown: an answer
 *
 * Makes each bare citation of a known passage, `[1]` or `[1, 2]`, a link to the passage's
 * document at its page, `[[1]](<file:///…#page=12>)`, as the offline analyst writes them.
 * Citations already linked, numbers no passage has, and brackets in code stay as they are.
 *
 * Returns: (transfer full): the answer with its citations linked
 */
char *
sextant_citations_link (SextantCitations *self,
                        const char       *markdown)
{
  Linking linking = { g_string_new (NULL), 0 };

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (markdown != NULL, NULL);

  if (!sextant_citations_is_empty (self))
    scan_citations (self, markdown, link_citation, &linking);
  g_string_append (linking.out, markdown + linking.copied);

  return g_string_free (linking.out, FALSE);
}

static gboolean
collect_citation (SextantCitations *self,
                  const char       *text,
                  gsize             start,
                  gsize             end,
                  GArray           *numbers,
                  gpointer          user_data)
{
  GPtrArray *cited = user_data;

  for (guint n = 0; n < numbers->len; n++)
    {
      SextantCitedPassage *passage = g_hash_table_lookup (self->passages,
                                                          GUINT_TO_POINTER (g_array_index (numbers, guint, n)));

      if (passage != NULL && !g_ptr_array_find (cited, passage, NULL))
        g_ptr_array_add (cited, passage);
    }

  return TRUE;
}

/**
 * sextant_citations_find_cited:
 * @self: the passages the answer could cite
 * @markdown: an answer
 *
 * Returns: (transfer container) (element-type SextantCitedPassage): the passages @markdown
 *   cites, bare or linked, in the order of their first citation; they belong to @self
 */
GPtrArray *
sextant_citations_find_cited (SextantCitations *self,
                              const char       *markdown)
{
  GPtrArray *cited = g_ptr_array_new ();

  g_return_val_if_fail (self != NULL, cited);

  if (markdown != NULL && !sextant_citations_is_empty (self))
    scan_citations (self, markdown, collect_citation, cited);

  return cited;
}

/* from a stored conversation ------------------------------------------------------------------- */

static void
add_stored_results (SextantCitations     *self,
                    SextantStoredMessage *message,
                    GHashTable           *search_ids)
{
  JsonArray *content;

  if (message->content == NULL || !JSON_NODE_HOLDS_ARRAY (message->content))
    return;
  content = json_node_get_array (message->content);
  for (guint b = 0; b < json_array_get_length (content); b++)
    {
      JsonNode *node = json_array_get_element (content, b);
      JsonObject *block = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *inner = block != NULL ? json_object_get_member (block, g_str_equal (message->role, "assistant")
                                                                       ? "toolUse" : "toolResult") : NULL;
      JsonObject *o = inner != NULL && JSON_NODE_HOLDS_OBJECT (inner) ? json_node_get_object (inner) : NULL;
      const char *id = o != NULL ? get_text (o, "toolUseId") : NULL;
      JsonNode *results;

      if (id == NULL)
        continue;
      if (g_str_equal (message->role, "assistant"))
        {
          if (g_strcmp0 (get_text (o, "name"), TOOL_NAME) == 0)
            g_hash_table_add (search_ids, g_strdup (id));
          continue;
        }
      if (!g_hash_table_contains (search_ids, id) || g_strcmp0 (get_text (o, "status"), "error") == 0 ||
          (results = json_object_get_member (o, "content")) == NULL || !JSON_NODE_HOLDS_ARRAY (results))
        continue;
      for (guint r = 0; r < json_array_get_length (json_node_get_array (results)); r++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (results), r);

          if (JSON_NODE_HOLDS_OBJECT (element))
            sextant_citations_add_result (self, json_object_get_member (json_node_get_object (element), "json"),
                                          FALSE);
        }
    }
}

/**
 * sextant_citations_new_for_answer:
 * @messages: (element-type SextantStoredMessage): a conversation's messages, oldest first
 * @index: an answer among them
 *
 * Collects the passages the knowledge base returned while the question the answer at @index
 * replies to was being answered: from that question (the last user message with text before
 * it) to the answer.
 *
 * Returns: (transfer full): the passages the answer can cite, maybe none
 */
SextantCitations *
sextant_citations_new_for_answer (GPtrArray *messages,
                                  guint      index)
{
  SextantCitations *self = sextant_citations_new ();
  g_autoptr(GHashTable) search_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint first = 0;

  g_return_val_if_fail (messages != NULL && index < messages->len, self);

  for (guint i = index; i > 0; i--)
    {
      SextantStoredMessage *m = messages->pdata[i - 1];

      if (g_str_equal (m->role, "user") && m->text != NULL && m->text[0] != '\0')
        {
          first = i;
          break;
        }
    }
  for (guint i = first; i < index; i++)
    add_stored_results (self, messages->pdata[i], search_ids);

  return self;
}

/**
 * sextant_citations_dup_cited_answer:
 * @messages: (element-type SextantStoredMessage): a conversation's messages, oldest first
 * @index: an answer among them
 *
 * Returns: (transfer container) (element-type SextantCitedPassage): copies of the knowledge
 *   base's passages the answer at @index cites, in the order of their first citation (the
 *   array frees them)
 */
GPtrArray *
sextant_citations_dup_cited_answer (GPtrArray *messages,
                                    guint      index)
{
  g_autoptr(SextantCitations) citations = sextant_citations_new_for_answer (messages, index);
  g_autoptr(GPtrArray) cited = NULL;
  GPtrArray *copies = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_cited_passage_free);
  SextantStoredMessage *answer;

  g_return_val_if_fail (messages != NULL && index < messages->len, copies);

  answer = messages->pdata[index];
  cited = sextant_citations_find_cited (citations, answer->text);
  for (guint i = 0; i < cited->len; i++)
    g_ptr_array_add (copies, sextant_cited_passage_copy (cited->pdata[i]));

  return copies;
}

/**
 * sextant_cited_passage_dup_place:
 * @passage: a passage
 *
 * Returns: (transfer full): where a reader finds it: “investment-policy.pdf, page 12”, or the
 *   document's name for a document without pages
 */
char *
sextant_cited_passage_dup_place (const SextantCitedPassage *passage)
{
  g_return_val_if_fail (passage != NULL, NULL);

  if (passage->page == 0)
    return g_strdup (passage->document);
  /* Translators: a cited passage's document (its file name) and page */
  return g_strdup_printf (_("%s, page %u"), passage->document, passage->page);
}

/**
 * sextant_cited_passage_dup_excerpt:
 * @passage: a passage
 * @max_chars: the longest excerpt, in characters
 *
 * Returns: (transfer full): the passage on one line, cut after a word with “…” when longer
 */
char *
sextant_cited_passage_dup_excerpt (const SextantCitedPassage *passage,
                                   guint                      max_chars)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p;
  gboolean space = FALSE;
  guint n_chars = 0;

  g_return_val_if_fail (passage != NULL, NULL);

  for (p = passage->text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (n_chars + (space ? 1 : 0) >= max_chars)
        break;
      if (space)
        g_string_append_c (out, ' '), n_chars++;
      space = FALSE;
      g_string_append_unichar (out, c);
      n_chars++;
    }
  if (*p != '\0')
    {
      char *last_space = strrchr (out->str, ' ');

      /* Cut inside a word: end after the last whole one when there is one in the second half. */
      if (!space && last_space != NULL && (gsize) (last_space - out->str) > out->len / 2)
        g_string_truncate (out, last_space - out->str);
      g_string_append (out, "…");
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
