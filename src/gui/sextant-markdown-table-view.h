#pragma once

#include <gtk/gtk.h>

#include "document/sextant-markdown.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_MARKDOWN_TABLE_VIEW (sextant_markdown_table_view_get_type ())

G_DECLARE_FINAL_TYPE (SextantMarkdownTableView, sextant_markdown_table_view, SEXTANT, MARKDOWN_TABLE_VIEW, GtkWidget)

GtkWidget *sextant_markdown_table_view_new           (void);
void       sextant_markdown_table_view_set_block     (SextantMarkdownTableView   *self,
                                                      const SextantMarkdownBlock *block);
guint      sextant_markdown_table_view_get_n_rows    (SextantMarkdownTableView   *self);
guint      sextant_markdown_table_view_get_n_columns (SextantMarkdownTableView   *self);
char      *sextant_markdown_table_view_get_text      (SextantMarkdownTableView   *self);

G_END_DECLS
