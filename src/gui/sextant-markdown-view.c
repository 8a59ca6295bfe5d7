#define G_LOG_DOMAIN "sextant-markdown-view"

#include "config.h"

#include "sextant-markdown.h"
#include "sextant-markdown-view.h"

/* Shows rendered Markdown blocks as a column of widgets: labels for text, a grid for a table, a
 * framed monospace label for code. Given new blocks for the same growing text, it keeps the
 * widgets of the leading blocks that did not change and rebuilds only the rest, so a streaming
 * answer costs one or two new labels per frame however long it is. */

struct _SextantMarkdownView
{
  GtkWidget  parent_instance;
  GPtrArray *blocks;
  GPtrArray *children;
  guint      n_rebuilt;
};

G_DEFINE_FINAL_TYPE (SextantMarkdownView, sextant_markdown_view, GTK_TYPE_WIDGET)

static GtkWidget *
make_label (const char *markup)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup != NULL ? markup : "");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);

  return label;
}

static GtkWidget *
make_table (const SextantMarkdownBlock *block)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_add_css_class (grid, "md-table");
  for (guint row = 0; row < block->n_rows; row++)
    for (guint col = 0; col < block->n_columns; col++)
      {
        const char *cell = block->cells->pdata[row * block->n_columns + col];
        g_autofree char *markup = row == 0 ? g_strdup_printf ("<b>%s</b>", cell) : g_strdup (cell);
        GtkWidget *label = make_label (markup);

        gtk_label_set_wrap (GTK_LABEL (label), FALSE);
        gtk_label_set_xalign (GTK_LABEL (label),
                              block->align[col] == SEXTANT_MARKDOWN_ALIGN_END ? 1.0
                              : block->align[col] == SEXTANT_MARKDOWN_ALIGN_CENTER ? 0.5 : 0.0);
        gtk_widget_add_css_class (label, "numeric");
        gtk_grid_attach (GTK_GRID (grid), label, col, row, 1, 1);
      }
  /* A wide table scrolls sideways instead of widening the whole chat. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_widget_set_halign (scroller, GTK_ALIGN_START);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), grid);

  return scroller;
}

static GtkWidget *
make_code (const SextantMarkdownBlock *block)
{
  GtkWidget *label = make_label (block->markup);

  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "md-code");

  return label;
}

static GtkWidget *
make_block (const SextantMarkdownBlock *block)
{
  GtkWidget *widget;

  switch (block->kind)
    {
    case SEXTANT_MARKDOWN_TABLE: return make_table (block);
    case SEXTANT_MARKDOWN_CODE: return make_code (block);
    case SEXTANT_MARKDOWN_RULE: return gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
    case SEXTANT_MARKDOWN_HEADING:
      widget = make_label (block->markup);
      gtk_widget_add_css_class (widget, block->level <= 1 ? "title-2" : block->level == 2 ? "title-3" : "title-4");
      return widget;
    case SEXTANT_MARKDOWN_QUOTE:
      widget = make_label (block->markup);
      gtk_widget_add_css_class (widget, "md-quote");
      return widget;
    case SEXTANT_MARKDOWN_PARAGRAPH:
    case SEXTANT_MARKDOWN_LIST:
    default:
      return make_label (block->markup);
    }
}

static void
sextant_markdown_view_dispose (GObject *object)
{
  SextantMarkdownView *self = (SextantMarkdownView *)object;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);

  G_OBJECT_CLASS (sextant_markdown_view_parent_class)->dispose (object);
}

static void
sextant_markdown_view_class_init (SextantMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sextant_markdown_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "markdown");
}

static void
sextant_markdown_view_init (SextantMarkdownView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 8);
  self->children = g_ptr_array_new ();
}

GtkWidget *
sextant_markdown_view_new (void)
{
  return g_object_new (SEXTANT_TYPE_MARKDOWN_VIEW, NULL);
}

/**
 * sextant_markdown_view_set_blocks:
 * @self: a view
 * @blocks: (element-type SextantMarkdownBlock) (nullable): blocks from sextant_markdown_render()
 *
 * Shows @blocks, keeping the widgets of the leading blocks equal to those shown before.
 */
void
sextant_markdown_view_set_blocks (SextantMarkdownView *self,
                                  GPtrArray           *blocks)
{
  guint keep = 0;

  g_return_if_fail (SEXTANT_IS_MARKDOWN_VIEW (self));

  if (blocks == self->blocks)
    return;
  while (self->blocks != NULL && blocks != NULL && keep < self->blocks->len && keep < blocks->len &&
         sextant_markdown_block_equal (self->blocks->pdata[keep], blocks->pdata[keep]))
    keep++;
  while (self->children->len > keep)
    {
      gtk_widget_unparent (self->children->pdata[self->children->len - 1]);
      g_ptr_array_set_size (self->children, self->children->len - 1);
    }
  for (guint i = keep; blocks != NULL && i < blocks->len; i++)
    {
      GtkWidget *child = make_block (blocks->pdata[i]);

      gtk_widget_set_parent (child, GTK_WIDGET (self));
      g_ptr_array_add (self->children, child);
      self->n_rebuilt++;
    }
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  self->blocks = blocks != NULL ? g_ptr_array_ref (blocks) : NULL;
}

/**
 * sextant_markdown_view_get_n_rebuilt:
 *
 * Returns: how many block widgets were made so far (tests check that streaming keeps old ones)
 */
guint
sextant_markdown_view_get_n_rebuilt (SextantMarkdownView *self)
{
  g_return_val_if_fail (SEXTANT_IS_MARKDOWN_VIEW (self), 0);

  return self->n_rebuilt;
}
