#define G_LOG_DOMAIN "sextant-markdown-table-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-markdown-table-view.h"

/* A Markdown table of a chat answer, drawn as one widget: a Pango layout per cell, columns as
 * wide as their widest cell. A grid of labels in a scrolled window costs some thirty widgets and
 * CSS nodes a table; the chat's list view keeps two hundred rows alive, most answers have tables,
 * and GTK restyles every node after a row that is added — that was most of the work of a frame
 * while a long answer streamed. Narrower than its columns want, the table wraps the text of its
 * cells instead of widening the chat. Right-click copies it as tab-separated text. */

#define COLUMN_SPACING 18
#define ROW_SPACING 4
#define MIN_COLUMN_WIDTH 48

struct _SextantMarkdownTableView
{
  GtkWidget             parent_instance;

  guint                 n_columns;
  guint                 n_rows;
  GPtrArray            *cells;          /* char *: Pango markup, row by row, header first */
  SextantMarkdownAlign *align;          /* n_columns */

  GPtrArray            *layouts;        /* PangoLayout, as cells; NULL until needed */
  int                  *layout_widths;  /* Pango units given to each layout, -1 for none */
  int                  *natural_widths; /* n_columns, pixels; valid with the layouts */

  GtkWidget            *menu;
};

G_DEFINE_FINAL_TYPE (SextantMarkdownTableView, sextant_markdown_table_view, GTK_TYPE_WIDGET)

static void
drop_layouts (SextantMarkdownTableView *self)
{
  g_clear_pointer (&self->layouts, g_ptr_array_unref);
  g_clear_pointer (&self->layout_widths, g_free);
  g_clear_pointer (&self->natural_widths, g_free);
}

static PangoAlignment
pango_alignment (SextantMarkdownAlign align)
{
  switch (align)
    {
    case SEXTANT_MARKDOWN_ALIGN_END: return PANGO_ALIGN_RIGHT;
    case SEXTANT_MARKDOWN_ALIGN_CENTER: return PANGO_ALIGN_CENTER;
    case SEXTANT_MARKDOWN_ALIGN_START:
    default: return PANGO_ALIGN_LEFT;
    }
}

static void
ensure_layouts (SextantMarkdownTableView *self)
{
  guint n = self->n_rows * self->n_columns;

  if (self->layouts != NULL)
    return;
  self->layouts = g_ptr_array_new_full (n, g_object_unref);
  self->layout_widths = g_new (int, MAX (n, 1));
  self->natural_widths = g_new0 (int, MAX (self->n_columns, 1));
  for (guint i = 0; i < n; i++)
    {
      guint row = i / self->n_columns, col = i % self->n_columns;
      /* Figures line up: tabular digits, as the numeric style class gives labels. */
      g_autofree char *markup = g_strdup_printf (row == 0 ? "<span font_features=\"tnum=1\"><b>%s</b></span>"
                                                          : "<span font_features=\"tnum=1\">%s</span>",
                                                 (const char *) self->cells->pdata[i]);
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      int width;

      pango_layout_set_markup (layout, markup, -1);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment (layout, pango_alignment (self->align[col]));
      pango_layout_get_pixel_size (layout, &width, NULL);
      self->natural_widths[col] = MAX (self->natural_widths[col], width);
      self->layout_widths[i] = -1;
      g_ptr_array_add (self->layouts, layout);
    }
}

/* The room between @n_columns columns. */
static int
spacing_width (guint n_columns)
{
  return COLUMN_SPACING * ((int) MAX (n_columns, 1) - 1);
}

static int
natural_width (SextantMarkdownTableView *self)
{
  int width = spacing_width (self->n_columns);

  ensure_layouts (self);
  for (guint col = 0; col < self->n_columns; col++)
    width += self->natural_widths[col];

  return width;
}

/* Column widths for a table @width wide: as wide as they want, or all narrowed in proportion
 * (never below MIN_COLUMN_WIDTH) when that does not fit. */
static void
column_widths (SextantMarkdownTableView *self,
               int                       width,
               int                      *widths)
{
  int natural = natural_width (self);
  int spacing = spacing_width (self->n_columns);

  for (guint col = 0; col < self->n_columns; col++)
    {
      int wanted = self->natural_widths[col];

      if (width < 0 || width >= natural || natural <= spacing)
        widths[col] = wanted;
      else
        widths[col] = MAX (MIN (wanted, MIN_COLUMN_WIDTH),
                           (int) ((gint64) wanted * (width - spacing) / (natural - spacing)));
    }
}

/* Sets each layout to wrap at its column's width; returns the height of each row. */
static void
lay_out_rows (SextantMarkdownTableView *self,
              const int                *widths,
              int                      *heights)
{
  for (guint row = 0; row < self->n_rows; row++)
    {
      heights[row] = 0;
      for (guint col = 0; col < self->n_columns; col++)
        {
          guint i = row * self->n_columns + col;
          PangoLayout *layout = self->layouts->pdata[i];
          /* A column as wide as it wants needs no wrapping: leaving the width unset keeps
           * Pango's lines, and a table's cells are laid out once. */
          int pango_width = widths[col] >= self->natural_widths[col] ? -1 : widths[col] * PANGO_SCALE;
          int height;

          if (self->layout_widths[i] != pango_width)
            {
              pango_layout_set_width (layout, pango_width);
              self->layout_widths[i] = pango_width;
            }
          pango_layout_get_pixel_size (layout, NULL, &height);
          heights[row] = MAX (heights[row], height);
        }
    }
}

static GtkSizeRequestMode
sextant_markdown_table_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
sextant_markdown_table_view_measure (GtkWidget      *widget,
                                     GtkOrientation  orientation,
                                     int             for_size,
                                     int            *minimum,
                                     int            *natural,
                                     int            *minimum_baseline,
                                     int            *natural_baseline)
{
  SextantMarkdownTableView *self = SEXTANT_MARKDOWN_TABLE_VIEW (widget);

  if (self->n_rows == 0 || self->n_columns == 0)
    {
      *minimum = *natural = 0;
      return;
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *natural = natural_width (self);
      *minimum = MIN (*natural, (int) self->n_columns * MIN_COLUMN_WIDTH + spacing_width (self->n_columns));
    }
  else
    {
      g_autofree int *widths = g_new (int, self->n_columns);
      g_autofree int *heights = g_new (int, self->n_rows);
      int height = ROW_SPACING * ((int) self->n_rows - 1);

      ensure_layouts (self);
      column_widths (self, for_size, widths);
      lay_out_rows (self, widths, heights);
      for (guint row = 0; row < self->n_rows; row++)
        height += heights[row];
      *minimum = *natural = height;
    }
}

static void
sextant_markdown_table_view_size_allocate (GtkWidget *widget,
                                           int        width,
                                           int        height,
                                           int        baseline)
{
  SextantMarkdownTableView *self = SEXTANT_MARKDOWN_TABLE_VIEW (widget);

  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
sextant_markdown_table_view_snapshot (GtkWidget   *widget,
                                      GtkSnapshot *snapshot)
{
  SextantMarkdownTableView *self = SEXTANT_MARKDOWN_TABLE_VIEW (widget);
  g_autofree int *widths = NULL;
  g_autofree int *heights = NULL;
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int table_width = gtk_widget_get_width (widget);
  GdkRGBA color, rule;
  int y = 0;

  if (self->n_rows == 0 || self->n_columns == 0)
    return;
  ensure_layouts (self);
  widths = g_new (int, self->n_columns);
  heights = g_new (int, self->n_rows);
  column_widths (self, table_width, widths);
  lay_out_rows (self, widths, heights);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  rule = color;
  rule.alpha *= 0.15f;

  for (guint row = 0; row < self->n_rows; row++)
    {
      int x = 0;

      for (guint col = 0; col < self->n_columns; col++)
        {
          guint i = row * self->n_columns + col;
          PangoLayout *layout = self->layouts->pdata[i];
          int cell_width, cell_x;

          pango_layout_get_pixel_size (layout, &cell_width, NULL);
          /* An unwrapped layout is as wide as its text: place it in its column by hand. */
          if (self->layout_widths[i] < 0)
            cell_x = self->align[col] == SEXTANT_MARKDOWN_ALIGN_END ? widths[col] - cell_width
                     : self->align[col] == SEXTANT_MARKDOWN_ALIGN_CENTER ? (widths[col] - cell_width) / 2 : 0;
          else
            cell_x = 0;
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rtl ? table_width - x - widths[col] + cell_x
                                                                      : x + cell_x, y));
          gtk_snapshot_append_layout (snapshot, layout, &color);
          gtk_snapshot_restore (snapshot);
          x += widths[col] + COLUMN_SPACING;
        }
      y += heights[row];
      /* The header is set off by a hairline. */
      if (row == 0)
        gtk_snapshot_append_color (snapshot, &rule, &GRAPHENE_RECT_INIT (0, y + ROW_SPACING / 2.0f - 0.5f, table_width, 1));
      y += ROW_SPACING;
    }
}

/* The font or the text direction changed: the layouts are made again when next needed. */
static void
relayout (SextantMarkdownTableView *self)
{
  drop_layouts (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
sextant_markdown_table_view_css_changed (GtkWidget         *widget,
                                         GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sextant_markdown_table_view_parent_class)->css_changed (widget, change);
  relayout (SEXTANT_MARKDOWN_TABLE_VIEW (widget));
}

static void
sextant_markdown_table_view_direction_changed (GtkWidget        *widget,
                                               GtkTextDirection  previous)
{
  relayout (SEXTANT_MARKDOWN_TABLE_VIEW (widget));
}

char *
sextant_markdown_table_view_get_text (SextantMarkdownTableView *self)
{
  GString *text;

  g_return_val_if_fail (SEXTANT_IS_MARKDOWN_TABLE_VIEW (self), NULL);

  text = g_string_new (NULL);
  for (guint row = 0; row < self->n_rows; row++)
    {
      for (guint col = 0; col < self->n_columns; col++)
        {
          const char *cell = self->cells->pdata[row * self->n_columns + col];
          g_autofree char *plain = NULL;

          if (!pango_parse_markup (cell, -1, 0, NULL, &plain, NULL, NULL))
            plain = g_strdup (cell);
          if (col > 0)
            g_string_append_c (text, '\t');
          g_string_append (text, plain);
        }
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_autofree char *text = sextant_markdown_table_view_get_text (SEXTANT_MARKDOWN_TABLE_VIEW (widget));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

/* Made when first asked for: most tables are never right-clicked. */
static void
popup_menu (SextantMarkdownTableView *self,
            int                       x,
            int                       y)
{
  if (self->menu == NULL)
    {
      g_autoptr(GMenu) model = g_menu_new ();

      g_menu_append (model, _("Copy Table"), "table.copy");
      self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (model));
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
      gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { x, y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
pressed_cb (GtkGestureClick          *gesture,
            int                       n_press,
            double                    x,
            double                    y,
            SextantMarkdownTableView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  popup_menu (self, (int) x, (int) y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* From the keyboard (Shift+F10, Menu) the menu opens at the table's top left corner. */
static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  popup_menu (SEXTANT_MARKDOWN_TABLE_VIEW (widget), 0, 0);
}

static void
update_accessible_label (SextantMarkdownTableView *self)
{
  g_autofree char *text = sextant_markdown_table_view_get_text (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
sextant_markdown_table_view_dispose (GObject *object)
{
  SextantMarkdownTableView *self = (SextantMarkdownTableView *)object;

  g_clear_pointer (&self->menu, gtk_widget_unparent);
  drop_layouts (self);

  G_OBJECT_CLASS (sextant_markdown_table_view_parent_class)->dispose (object);
}

static void
sextant_markdown_table_view_finalize (GObject *object)
{
  SextantMarkdownTableView *self = (SextantMarkdownTableView *)object;

  g_ptr_array_unref (self->cells);
  g_free (self->align);

  G_OBJECT_CLASS (sextant_markdown_table_view_parent_class)->finalize (object);
}

static void
sextant_markdown_table_view_class_init (SextantMarkdownTableViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sextant_markdown_table_view_dispose;
  object_class->finalize = sextant_markdown_table_view_finalize;
  widget_class->get_request_mode = sextant_markdown_table_view_get_request_mode;
  widget_class->measure = sextant_markdown_table_view_measure;
  widget_class->size_allocate = sextant_markdown_table_view_size_allocate;
  widget_class->snapshot = sextant_markdown_table_view_snapshot;
  widget_class->css_changed = sextant_markdown_table_view_css_changed;
  widget_class->direction_changed = sextant_markdown_table_view_direction_changed;
  gtk_widget_class_install_action (widget_class, "table.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "table.menu", NULL, menu_action);
  /* A table takes the keyboard focus so that keyboard users can copy it too. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "table.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "table.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "table.menu", NULL);
  gtk_widget_class_set_css_name (widget_class, "markdowntable");
  /* Its cells are no widgets of their own: screen readers get the table as text. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sextant_markdown_table_view_init (SextantMarkdownTableView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->cells = g_ptr_array_new_with_free_func (g_free);
  /* As wide as its columns, not the chat: the header's rule ends with the table. */
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
sextant_markdown_table_view_new (void)
{
  return g_object_new (SEXTANT_TYPE_MARKDOWN_TABLE_VIEW, NULL);
}

/**
 * sextant_markdown_table_view_set_block:
 * @self: a table
 * @block: a block of kind %SEXTANT_MARKDOWN_TABLE
 *
 * Shows the cells of @block; a table being streamed is set again as it grows.
 */
void
sextant_markdown_table_view_set_block (SextantMarkdownTableView   *self,
                                       const SextantMarkdownBlock *block)
{
  g_return_if_fail (SEXTANT_IS_MARKDOWN_TABLE_VIEW (self));
  g_return_if_fail (block != NULL && block->kind == SEXTANT_MARKDOWN_TABLE);

  drop_layouts (self);
  g_ptr_array_set_size (self->cells, 0);
  for (guint i = 0; i < block->n_rows * block->n_columns && i < block->cells->len; i++)
    g_ptr_array_add (self->cells, g_strdup (block->cells->pdata[i]));
  self->n_columns = block->n_columns;
  self->n_rows = block->n_columns > 0 ? self->cells->len / block->n_columns : 0;
  g_free (self->align);
  self->align = block->n_columns > 0 ? g_memdup2 (block->align, sizeof (SextantMarkdownAlign) * block->n_columns) : NULL;
  update_accessible_label (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
sextant_markdown_table_view_get_n_rows (SextantMarkdownTableView *self)
{
  g_return_val_if_fail (SEXTANT_IS_MARKDOWN_TABLE_VIEW (self), 0);

  return self->n_rows;
}

guint
sextant_markdown_table_view_get_n_columns (SextantMarkdownTableView *self)
{
  g_return_val_if_fail (SEXTANT_IS_MARKDOWN_TABLE_VIEW (self), 0);

  return self->n_columns;
}
