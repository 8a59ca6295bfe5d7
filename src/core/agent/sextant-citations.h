#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SextantCitedPassage:
 * @number: what the answer cites it as, `[number]`
 * @document: the document's file name
 * @title: (nullable): the document's title
 * @page: the 1-based page, 0 for a document without pages
 * @text: the passage
 * @uri: (nullable): what its citation link opens: the file, at its page
 */
typedef struct
{
  guint  number;
  char  *document;
  char  *title;
  guint  page;
  char  *text;
  char  *uri;
} SextantCitedPassage;

typedef struct _SextantCitations SextantCitations;

SextantCitedPassage *sextant_cited_passage_copy        (const SextantCitedPassage *passage);
void                 sextant_cited_passage_free        (SextantCitedPassage       *passage);
char                *sextant_cited_passage_dup_place   (const SextantCitedPassage *passage);
char                *sextant_cited_passage_dup_excerpt (const SextantCitedPassage *passage,
                                                        guint                      max_chars);

SextantCitations *sextant_citations_new            (void);
void              sextant_citations_free           (SextantCitations  *self);
void              sextant_citations_add_result     (SextantCitations  *self,
                                                    JsonNode          *result,
                                                    gboolean           renumber);
gboolean          sextant_citations_is_empty       (SextantCitations  *self);
char             *sextant_citations_link           (SextantCitations  *self,
                                                    const char        *markdown);
GPtrArray        *sextant_citations_find_cited     (SextantCitations  *self,
                                                    const char        *markdown);
SextantCitations *sextant_citations_new_for_answer (GPtrArray         *messages,
                                                    guint              index);
GPtrArray        *sextant_citations_dup_cited_answer (GPtrArray        *messages,
                                                     guint             index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantCitations, sextant_citations_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantCitedPassage, sextant_cited_passage_free)

G_END_DECLS
