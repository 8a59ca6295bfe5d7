#define G_LOG_DOMAIN "sextant-markdown-view"

#include "config.h"

#include <string.h>

#include "document/sextant-markdown.h"
#include "sextant-markdown-table-view.h"
#include "sextant-markdown-view.h"

/* Shows rendered Markdown blocks as a column of widgets: labels for text, a table view
 * (SextantMarkdownTableView) for a table, a framed monospace label for code. Given new blocks
 * for the same growing text, it keeps the widgets of the leading blocks that did not change and
 * rebuilds only the rest, so a streaming answer costs one or two new labels per frame however
 * long it is; the label of a block that grew (the paragraph being written) gets the new text in
 * place, and so do the widgets of a row the list view recycles for other text. */

struct _SextantMarkdownView
{
  GtkWidget  parent_instance;
  GPtrArray *blocks;
  GPtrArray *children;
  guint      n_rebuilt;
};

G_DEFINE_FINAL_TYPE (SextantMarkdownView, sextant_markdown_view, GTK_TYPE_WIDGET)

#define SPACING 8

/* Longer words than this may be wider than the narrowest column the chat gives its text. */
#define LONG_WORD_CHARS 24

/* Whether the text of @markup has a word (a run of characters without a space) so long that
 * only breaking it inside keeps it in the column. Tags do not count: they are not shown. */
static gboolean
has_long_word (const char *markup)
{
  guint run = 0;
  gboolean in_tag = FALSE;

  for (const char *p = markup; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '>' && in_tag)
        in_tag = FALSE;
      else if (!in_tag && (*p == ' ' || *p == '\n' || *p == '\t'))
        run = 0;
      else if (!in_tag && ++run > LONG_WORD_CHARS)
        return TRUE;
    }

  return FALSE;
}

/* Breaking only between words is five times quicker to lay out with Pango 1.50 than falling back
 * to breaking inside them (1.6 ms against 0.3 ms for a 300-character paragraph here), and a
 * label's text is laid out again each frame while it streams. So the fallback is only for text
 * with a word that could need it: a URL, a hash, a long identifier. */
static void
set_label_markup (GtkLabel      *label,
                  const char    *markup,
                  PangoWrapMode  long_word_mode)
{
  markup = markup != NULL ? markup : "";
  if (g_strcmp0 (gtk_label_get_label (label), markup) == 0 && gtk_label_get_use_markup (label))
    return;
  gtk_label_set_markup (label, markup);
  gtk_label_set_wrap_mode (label, has_long_word (markup) ? long_word_mode : PANGO_WRAP_WORD);
}

static GtkWidget *
make_label (const char    *markup,
            PangoWrapMode  long_word_mode)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  set_label_markup (GTK_LABEL (label), markup, long_word_mode);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);

  return label;
}

static GtkWidget *
make_code (const SextantMarkdownBlock *block)
{
  GtkWidget *label = make_label (block->markup, PANGO_WRAP_CHAR);

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
    case SEXTANT_MARKDOWN_TABLE:
      widget = sextant_markdown_table_view_new ();
      sextant_markdown_table_view_set_block (SEXTANT_MARKDOWN_TABLE_VIEW (widget), block);
      return widget;
    case SEXTANT_MARKDOWN_CODE: return make_code (block);
    case SEXTANT_MARKDOWN_RULE: return gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
    case SEXTANT_MARKDOWN_HEADING:
      widget = make_label (block->markup, PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (widget, block->level <= 1 ? "title-2" : block->level == 2 ? "title-3" : "title-4");
      return widget;
    case SEXTANT_MARKDOWN_QUOTE:
      widget = make_label (block->markup, PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (widget, "md-quote");
      return widget;
    case SEXTANT_MARKDOWN_PARAGRAPH:
    case SEXTANT_MARKDOWN_LIST:
    default:
      return make_label (block->markup, PANGO_WRAP_WORD_CHAR);
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

  /* A height for no width in particular: the scrolled window above the list asks it of every
   * row, each frame one changes, and labels would answer with their text on one line, laid out
   * anew. The height at the width the view has is as good an answer, and one already known. */
  if (for_size < 0 && gtk_widget_get_width (widget) > 0)
    for_size = gtk_widget_get_width (widget);
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

/* Puts the text of @block into @widget, made for @old, when both are tables or labels of the
 * same kind; returns whether it could. */
static gboolean
refill (GtkWidget                  *widget,
        const SextantMarkdownBlock *old,
        const SextantMarkdownBlock *block)
{
  if (old->kind == SEXTANT_MARKDOWN_TABLE && block->kind == SEXTANT_MARKDOWN_TABLE && SEXTANT_IS_MARKDOWN_TABLE_VIEW (widget))
    {
      sextant_markdown_table_view_set_block (SEXTANT_MARKDOWN_TABLE_VIEW (widget), block);
      return TRUE;
    }
  if (old->kind != block->kind || old->level != block->level || !GTK_IS_LABEL (widget) ||
      (block->kind != SEXTANT_MARKDOWN_PARAGRAPH && block->kind != SEXTANT_MARKDOWN_LIST &&
       block->kind != SEXTANT_MARKDOWN_QUOTE && block->kind != SEXTANT_MARKDOWN_HEADING &&
       block->kind != SEXTANT_MARKDOWN_CODE))
    return FALSE;
  set_label_markup (GTK_LABEL (widget), block->markup,
                    block->kind == SEXTANT_MARKDOWN_CODE ? PANGO_WRAP_CHAR : PANGO_WRAP_WORD_CHAR);

  return TRUE;
}

/**
 * sextant_markdown_view_set_blocks:
 * @self: a view
 * @blocks: (element-type SextantMarkdownBlock) (nullable): blocks from sextant_markdown_render()
 *
 * Shows @blocks, keeping the widgets of the leading blocks equal to those shown before and
 * reusing those of the following blocks of the same kind.
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
  /* The first changed block often is the one still being written: same kind, more text. When
   * the list view recycles a row for another part, every block changes, and labels take their
   * new text: making widgets, and styling them, costs far more than setting text. */
  while (self->blocks != NULL && blocks != NULL && keep < self->blocks->len && keep < blocks->len &&
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
