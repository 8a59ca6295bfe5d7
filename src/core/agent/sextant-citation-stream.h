#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _SextantCitationStream SextantCitationStream;

SextantCitationStream *sextant_citation_stream_new        (void);
void                   sextant_citation_stream_free       (SextantCitationStream *self);
void                   sextant_citation_stream_add_result (SextantCitationStream *self,
                                                           JsonNode              *result);
char                  *sextant_citation_stream_push       (SextantCitationStream *self,
                                                           const char            *delta);
char                  *sextant_citation_stream_flush      (SextantCitationStream *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantCitationStream, sextant_citation_stream_free)

G_END_DECLS
