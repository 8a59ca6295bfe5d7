#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Documents for the knowledge-base tests, written at run time: PDFs through cairo's PDF surface
 * (read back by poppler, so no binary fixture is committed), and text files. */

#define KB_PAGE12_SENTENCE "The committee caps any single issuer at seven percent of net assets."

void  kb_fixture_write_pdf    (const char  *path,
                               guint        n_pages,
                               const char  *title,
                               const guint *pages_without_text,
                               guint        n_pages_without_text);
char *kb_fixture_write_file   (const char  *dir,
                               const char  *name,
                               const char  *contents);
void  kb_fixture_write_corpus (const char  *dir);

G_END_DECLS
