#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SEXTANT_TYPE_MARKDOWN_VIEW (sextant_markdown_view_get_type ())

G_DECLARE_FINAL_TYPE (SextantMarkdownView, sextant_markdown_view, SEXTANT, MARKDOWN_VIEW, GtkWidget)

GtkWidget *sextant_markdown_view_new        (void);
void       sextant_markdown_view_set_blocks (SextantMarkdownView *self,
                                             GPtrArray           *blocks);
guint      sextant_markdown_view_get_n_rebuilt (SextantMarkdownView *self);

G_END_DECLS
