#define G_LOG_DOMAIN "sextant-markdown-view"

#include "config.h"

#include <string.h>

#include "sextant-markdown.h"
#include "sextant-markdown-view.h"

/* Shows rendered Markdown blocks as a column of widgets: labels for text, a grid for a table, a
 * framed monospace label for code. Given new blocks for the same growing text, it keeps the
 * widgets of the leading blocks that did not change and rebuilds only the rest, so a streaming
 * answer costs one or two new labels per frame however long it is; the label of a block that
 * grew (the paragraph being written) gets the new text in place. */

struct _SextantMarkdownView
{
  GtkWidget  parent_instance;
  GPtrArray *blocks;
  GPtrArray *children;
  guint      n_rebuilt;
};

G_DEFINE_FINAL_TYPE (SextantMarkdownView, sextant_markdown_view, GTK_TYPE_WIDGET)

#define SPACING 8

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

static char *
cell_markup (const SextantMarkdownBlock *block,
             guint                       row,
             guint                       col)
{
  const char *cell = block->cells->pdata[row * block->n_columns + col];

  return row == 0 ? g_strdup_printf ("<b>%s</b>", cell) : g_strdup (cell);
}

/* Adds the cells of @block's rows from @first_row on. */
static void
fill_table (GtkGrid                    *grid,
            const SextantMarkdownBlock *block,
            guint                       first_row)
{
  for (guint row = first_row; row < block->n_rows; row++)
    for (guint col = 0; col < block->n_columns; col++)
      {
        g_autofree char *markup = cell_markup (block, row, col);
        GtkWidget *label = make_label (markup);

        gtk_label_set_wrap (GTK_LABEL (label), FALSE);
        gtk_label_set_xalign (GTK_LABEL (label),
                              block->align[col] == SEXTANT_MARKDOWN_ALIGN_END ? 1.0
                              : block->align[col] == SEXTANT_MARKDOWN_ALIGN_CENTER ? 0.5 : 0.0);
        gtk_widget_add_css_class (label, "numeric");
        gtk_grid_attach (grid, label, col, row, 1, 1);
      }
}

static GtkWidget *
make_table (const SextantMarkdownBlock *block)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_add_css_class (grid, "md-table");
  fill_table (GTK_GRID (grid), block, 0);
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

static GtkSizeRequestMode
sextant_markdown_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* Blocks stack top to bottom, SPACING apart, each as wide as the view. Across, the view asks
 * for nothing: it takes the width it is given and its labels wrap at it. A box would ask every
 * label for its widths, and GtkLabel answers by laying its whole text out twice more, at its
 * narrowest and on one line — most of what a new paragraph cost while an answer streamed. */
static void
sextant_markdown_view_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  int min = 0, nat = 0;
  guint n = 0;

  if (orientation == GTK_ORIENTATION_VERTICAL)
    for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
      {
        int child_min, child_nat;

        if (!gtk_widget_should_layout (child))
          continue;
        gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, for_size, &child_min, &child_nat, NULL, NULL);
        min += child_min + (n > 0 ? SPACING : 0);
        nat += child_nat + (n > 0 ? SPACING : 0);
        n++;
      }
  *minimum = min;
  *natural = nat;
}

static void
sextant_markdown_view_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  int y = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &child_min, &child_nat, NULL, NULL);
      gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, child_nat }, -1);
      y += child_nat + SPACING;
    }
}

static void
sextant_markdown_view_class_init (SextantMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sextant_markdown_view_dispose;
  widget_class->get_request_mode = sextant_markdown_view_get_request_mode;
  widget_class->measure = sextant_markdown_view_measure;
  widget_class->size_allocate = sextant_markdown_view_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "markdown");
}

static void
sextant_markdown_view_init (SextantMarkdownView *self)
{
  self->children = g_ptr_array_new ();
}

GtkWidget *
sextant_markdown_view_new (void)
{
  return g_object_new (SEXTANT_TYPE_MARKDOWN_VIEW, NULL);
}

/* A table still arriving grows by rows, and its last row by cells: the cells already there
 * take their new text, new rows get labels. */
static gboolean
refill_table (GtkWidget                  *widget,
              const SextantMarkdownBlock *old,
              const SextantMarkdownBlock *block)
{
  GtkWidget *grid = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (widget));

  if (GTK_IS_VIEWPORT (grid))
    grid = gtk_viewport_get_child (GTK_VIEWPORT (grid));
  if (!GTK_IS_GRID (grid) || old->n_columns != block->n_columns || block->n_rows < old->n_rows ||
      memcmp (old->align, block->align, sizeof (SextantMarkdownAlign) * block->n_columns) != 0)
    return FALSE;
  for (guint row = 0; row < old->n_rows; row++)
    for (guint col = 0; col < old->n_columns; col++)
      {
        guint i = row * block->n_columns + col;
        g_autofree char *markup = NULL;

        if (g_strcmp0 (old->cells->pdata[i], block->cells->pdata[i]) == 0)
          continue;
        markup = cell_markup (block, row, col);
        gtk_label_set_markup (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), col, row)), markup);
      }
  fill_table (GTK_GRID (grid), block, old->n_rows);

  return TRUE;
}

/* Puts the text of @block into @widget, made for @old, when both are tables or labels of the
 * same kind; returns whether it could. */
static gboolean
refill (GtkWidget                  *widget,
        const SextantMarkdownBlock *old,
        const SextantMarkdownBlock *block)
{
  if (old->kind == SEXTANT_MARKDOWN_TABLE && block->kind == SEXTANT_MARKDOWN_TABLE && GTK_IS_SCROLLED_WINDOW (widget))
    return refill_table (widget, old, block);
  if (old->kind != block->kind || old->level != block->level || !GTK_IS_LABEL (widget) ||
      (block->kind != SEXTANT_MARKDOWN_PARAGRAPH && block->kind != SEXTANT_MARKDOWN_LIST &&
       block->kind != SEXTANT_MARKDOWN_QUOTE && block->kind != SEXTANT_MARKDOWN_HEADING &&
       block->kind != SEXTANT_MARKDOWN_CODE))
    return FALSE;
  gtk_label_set_markup (GTK_LABEL (widget), block->markup != NULL ? block->markup : "");

  return TRUE;
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
  /* The first changed block often is the one still being written: same kind, more text. */
  if (self->blocks != NULL && blocks != NULL && keep < self->blocks->len && keep < blocks->len &&
      refill (self->children->pdata[keep], self->blocks->pdata[keep], blocks->pdata[keep]))
    {
      keep++;
      self->n_rebuilt++;
    }
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
