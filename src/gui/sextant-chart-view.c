#define G_LOG_DOMAIN "sextant-chart-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "sextant-chart-view-tooltip.h"
#include "sextant-chart-view.h"

/* The fewest bars a zoomed price chart shows: fewer make candles wider than they are useful. */
#define MIN_VISIBLE_BARS 10
#define ZOOM_STEP 1.25
#define EXPORT_WIDTH 1200
#define EXPORT_HEIGHT 750

struct _SextantChartView
{
  GtkWidget          parent_instance;

  SextantChartKind   kind;
  gconstpointer      model;
  /* A shallow copy of a price model: zoom changes its visible range without touching the
   * owner's struct; the arrays stay the owner's. */
  SextantPriceChart  price;
  gpointer           owner;
  GDestroyNotify     owner_destroy;

  SextantChartStyle *style;
  GtkWidget         *context_menu;

  double             pointer_x;
  double             pointer_y;
  gboolean           pointer_inside;
  gsize              drag_first;
  gsize              zoom_span;
  gboolean           data_export_refused;
};

G_DEFINE_FINAL_TYPE (SextantChartView, sextant_chart_view, GTK_TYPE_WIDGET)

static void
sextant_chart_view_update_style (SextantChartView *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkStyleContext *context;
  GdkRGBA color;

  g_clear_pointer (&self->style, sextant_chart_style_free);
  self->style = adw_style_manager_get_dark (manager) ? sextant_chart_style_new_dark ()
                                                     : sextant_chart_style_new_light ();

  /* Text takes the theme's foreground, so high-contrast themes carry into the chart. The
   * background stays the preset's: the chart reads as a card, and exports match the screen. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (context, &color);
G_GNUC_END_IGNORE_DEPRECATIONS
  self->style->foreground = (SextantChartColor) { color.red, color.green, color.blue, color.alpha };
  self->style->axis_text = (SextantChartColor) { color.red, color.green, color.blue,
                                                 0.8 * color.alpha };
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
sextant_chart_view_update_description (SextantChartView *self)
{
  g_autofree char *description = sextant_chart_view_dup_description (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : _("No chart"),
                                  -1);
}

static gboolean
sextant_chart_view_layout (SextantChartView   *self,
                           SextantChartLayout *layout)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->model == NULL || width <= 0 || height <= 0)
    return FALSE;

  return sextant_chart_compute_layout (self->kind, self->model, self->style, width, height, layout);
}

static void
append_line (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         width,
             double         height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
sextant_chart_view_snapshot_crosshair (SextantChartView *self,
                                       GtkSnapshot      *snapshot)
{
  SextantChartLayout layout;
  SextantChartColor c = self->style->axis;
  GdkRGBA color = { c.red, c.green, c.blue, 0.6 };

  if (!self->pointer_inside || !sextant_chart_view_layout (self, &layout))
    return;
  if (self->pointer_x < layout.x || self->pointer_x > layout.x + layout.width ||
      self->pointer_y < layout.y || self->pointer_y > layout.y + layout.height)
    return;

  append_line (snapshot, &color, floor (self->pointer_x), layout.y, 1, layout.height);
  append_line (snapshot, &color, layout.x, floor (self->pointer_y), layout.width, 1);
}

static void
sextant_chart_view_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  SextantChartView *self = SEXTANT_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->model == NULL || width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  sextant_chart_paint (cr, self->kind, self->model, self->style, width, height);
  cairo_destroy (cr);

  sextant_chart_view_snapshot_crosshair (self, snapshot);
}

static gboolean
sextant_chart_view_query_tooltip (GtkWidget  *widget,
                                  int         x,
                                  int         y,
                                  gboolean    keyboard_mode,
                                  GtkTooltip *tooltip)
{
  SextantChartView *self = SEXTANT_CHART_VIEW (widget);
  SextantChartLayout layout;
  g_autofree char *text = NULL;

  if (keyboard_mode || !sextant_chart_view_layout (self, &layout))
    return FALSE;
  if (x < layout.x || x > layout.x + layout.width || y < layout.y || y > layout.y + layout.height)
    return FALSE;

  text = _sextant_chart_view_tooltip_text (self->kind, self->model, &layout, x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static void
sextant_chart_view_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 160;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 360;
}

static void
sextant_chart_view_css_changed (GtkWidget         *widget,
                                GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sextant_chart_view_parent_class)->css_changed (widget, change);

  sextant_chart_view_update_style (SEXTANT_CHART_VIEW (widget));
}

static void
sextant_chart_view_release_model (SextantChartView *self)
{
  gpointer owner = g_steal_pointer (&self->owner);
  GDestroyNotify destroy = g_steal_pointer (&self->owner_destroy);

  self->model = NULL;
  memset (&self->price, 0, sizeof self->price);
  if (owner != NULL && destroy != NULL)
    destroy (owner);
}

static void
sextant_chart_view_dispose (GObject *object)
{
  SextantChartView *self = (SextantChartView *)object;

  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  sextant_chart_view_release_model (self);

  G_OBJECT_CLASS (sextant_chart_view_parent_class)->dispose (object);
}

static void
sextant_chart_view_finalize (GObject *object)
{
  SextantChartView *self = (SextantChartView *)object;

  g_clear_pointer (&self->style, sextant_chart_style_free);

  G_OBJECT_CLASS (sextant_chart_view_parent_class)->finalize (object);
}

/* Zoom, pan and keyboard ------------------------------------------------------------------ */

static gboolean
price_range (SextantChartView *self,
             gsize            *first,
             gsize            *last)
{
  const SextantPriceChart *m = &self->price;

  if (self->model == NULL || self->kind != SEXTANT_CHART_KIND_PRICE || m->n == 0)
    return FALSE;
  *first = MIN (m->first_visible, m->n - 1);
  *last = m->last_visible > *first && m->last_visible < m->n ? m->last_visible : m->n - 1;

  return TRUE;
}

static void
set_price_range (SextantChartView *self,
                 gssize            first,
                 gsize             span)
{
  gsize n = self->price.n;

  span = CLAMP (span, MIN (MIN_VISIBLE_BARS, n), n);
  first = CLAMP (first, 0, (gssize) (n - span));
  if (self->price.first_visible == (gsize) first && self->price.last_visible == first + span - 1)
    return;
  self->price.first_visible = first;
  self->price.last_visible = first + span - 1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  sextant_chart_view_update_description (self);
}

static double
pointer_anchor (SextantChartView *self,
                double            x)
{
  SextantChartLayout layout;

  if (!sextant_chart_view_layout (self, &layout) || layout.width <= 0)
    return 0.5;

  return CLAMP ((x - layout.x) / layout.width, 0.0, 1.0);
}

static gboolean
scroll_cb (SextantChartView         *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state;
  gsize first, last;

  if (!price_range (self, &first, &last))
    return FALSE;
  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  if (dx != 0 || (state & GDK_SHIFT_MASK) != 0)
    sextant_chart_view_pan (self, (dx != 0 ? dx : dy) * (last - first + 1) / 20.0);
  else
    sextant_chart_view_zoom (self, pow (ZOOM_STEP, dy), pointer_anchor (self, self->pointer_x));

  return TRUE;
}

static void
drag_begin_cb (SextantChartView *self,
               double            x,
               double            y,
               GtkGestureDrag   *gesture)
{
  gsize first, last;

  if (!price_range (self, &first, &last))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->drag_first = first;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
drag_update_cb (SextantChartView *self,
                double            offset_x,
                double            offset_y,
                GtkGestureDrag   *gesture)
{
  SextantChartLayout layout;
  gsize first, last;
  double bars;

  if (!price_range (self, &first, &last) || !sextant_chart_view_layout (self, &layout) ||
      layout.width <= 0)
    return;
  bars = -offset_x / layout.width * (last - first + 1);
  set_price_range (self, (gssize) self->drag_first + (gssize) lround (bars), last - first + 1);
}

static void
zoom_begin_cb (SextantChartView *self,
               GdkEventSequence *sequence,
               GtkGesture       *gesture)
{
  gsize first, last;

  if (!price_range (self, &first, &last))
    {
      gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->zoom_span = last - first + 1;
}

static void
zoom_scale_changed_cb (SextantChartView *self,
                       double            scale,
                       GtkGestureZoom   *gesture)
{
  gsize first, last, span;
  double cx = 0, cy = 0, anchor;

  if (!price_range (self, &first, &last) || scale <= 0)
    return;
  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy);
  anchor = pointer_anchor (self, cx);
  span = (gsize) lround (self->zoom_span / scale);
  set_price_range (self, (gssize) lround (first + anchor * (last - first) - anchor * (span - 1)),
                   span);
}

static void
motion_cb (SextantChartView *self,
           double            x,
           double            y)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (SextantChartView *self)
{
  self->pointer_inside = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pressed_cb (SextantChartView *self,
            int               n_press,
            double            x,
            double            y,
            GtkGestureClick  *gesture)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)) != GDK_BUTTON_SECONDARY ||
      self->model == NULL)
    return;

  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { x, y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SextantChartView *self = SEXTANT_CHART_VIEW (widget);

  if (self->model == NULL)
    return;
  /* From the keyboard the menu opens at the middle of the chart. */
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { gtk_widget_get_width (widget) / 2,
                                                 gtk_widget_get_height (widget) / 2, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SextantChartView *self = SEXTANT_CHART_VIEW (widget);
  double steps = g_variant_get_int32 (parameter);

  sextant_chart_view_zoom (self, pow (ZOOM_STEP, -steps), 0.5);
}

static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SextantChartView *self = SEXTANT_CHART_VIEW (widget);
  gsize first, last;

  if (price_range (self, &first, &last))
    sextant_chart_view_pan (self, g_variant_get_int32 (parameter) * MAX (1.0, (last - first + 1) / 10.0));
}

static void
reset_zoom_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  sextant_chart_view_reset_zoom (SEXTANT_CHART_VIEW (widget));
}

/* Export ---------------------------------------------------------------------------------- */

static void
export_response_cb (GtkNativeDialog  *dialog,
                    int               response,
                    SextantChartView *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    path = g_file_get_path (file);
  if (path != NULL && !sextant_chart_view_export_to_path (self, path, &error))
    {
      GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));

      g_warning ("Exporting the chart to %s failed: %s", path, error->message);
      if (ADW_IS_APPLICATION_WINDOW (root) || GTK_IS_WINDOW (root))
        {
          GtkWidget *message = adw_message_dialog_new (GTK_WINDOW (root),
                                                       _("The Chart Could Not Be Exported"),
                                                       error->message);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (message));
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *mime_type)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SextantChartView *self = SEXTANT_CHART_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *suffix = parameter != NULL ? g_variant_get_string (parameter, NULL) : "png";
  g_autofree char *name = NULL;
  GtkFileChooserNative *dialog;

  if (self->model == NULL)
    return;
  if (self->data_export_refused && g_strcmp0 (suffix, "csv") == 0)
    return;

  dialog = gtk_file_chooser_native_new (_("Export Chart"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* Translators: the default file name of an exported chart, before its suffix */
  name = g_strdup_printf ("%s.%s", _("chart"), suffix);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  add_filter (GTK_FILE_CHOOSER (dialog), _("PNG Image"), "image/png");
  add_filter (GTK_FILE_CHOOSER (dialog), _("SVG Image"), "image/svg+xml");
  add_filter (GTK_FILE_CHOOSER (dialog), _("PDF Document"), "application/pdf");
  if (!self->data_export_refused)
    add_filter (GTK_FILE_CHOOSER (dialog), _("CSV Data"), "text/csv");
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
sextant_chart_view_class_init (SextantChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sextant_chart_view_dispose;
  object_class->finalize = sextant_chart_view_finalize;
  widget_class->snapshot = sextant_chart_view_snapshot;
  widget_class->measure = sextant_chart_view_measure;
  widget_class->css_changed = sextant_chart_view_css_changed;
  widget_class->query_tooltip = sextant_chart_view_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  gtk_widget_class_install_action (widget_class, "chart.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "chart.zoom", "i", zoom_action);
  gtk_widget_class_install_action (widget_class, "chart.pan", "i", pan_action);
  gtk_widget_class_install_action (widget_class, "chart.reset-zoom", NULL, reset_zoom_action);
  gtk_widget_class_install_action (widget_class, "chart.menu", NULL, menu_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "chart.export", "s", "png");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "chart.zoom", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "chart.zoom", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "chart.zoom", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "chart.zoom", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "chart.zoom", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "chart.pan", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "chart.pan", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "chart.reset-zoom", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "chart.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "chart.menu", NULL);
}

static GMenuModel *
create_context_menu_model (gboolean with_data)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) export = g_menu_new ();
  g_autoptr(GMenu) zoom = g_menu_new ();

  g_menu_append (export, _("Export as _PNG…"), "chart.export::png");
  g_menu_append (export, _("Export as _SVG…"), "chart.export::svg");
  g_menu_append (export, _("Export as P_DF…"), "chart.export::pdf");
  if (with_data)
    g_menu_append (export, _("Export Data as _CSV…"), "chart.export::csv");
  g_menu_append (zoom, _("_Reset Zoom"), "chart.reset-zoom");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (export));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (zoom));

  return G_MENU_MODEL (menu);
}

static void
sextant_chart_view_init_controllers (SextantChartView *self)
{
  GtkEventController *controller;

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES |
                                                GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_drag_new ());
  g_signal_connect_swapped (controller, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (controller, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_zoom_new ());
  g_signal_connect_swapped (controller, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect_swapped (controller, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), 0);
  g_signal_connect_swapped (controller, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
sextant_chart_view_init (SextantChartView *self)
{
  g_autoptr(GMenuModel) menu = create_context_menu_model (TRUE);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  self->context_menu = gtk_popover_menu_new_from_model (menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));

  sextant_chart_view_init_controllers (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (sextant_chart_view_update_style), self, G_CONNECT_SWAPPED);
  sextant_chart_view_update_style (self);
  sextant_chart_view_update_description (self);
}

/* Public API ------------------------------------------------------------------------------ */

GtkWidget *
sextant_chart_view_new (void)
{
  return g_object_new (SEXTANT_TYPE_CHART_VIEW, NULL);
}

/**
 * sextant_chart_view_set_chart:
 * @self: a chart view
 * @kind: which model @model points to
 * @model: the model, kept alive by @owner
 * @owner: (nullable): what keeps @model and its arrays alive
 * @owner_destroy: (nullable): frees @owner when the chart is replaced or the view disposed
 *
 * Shows a chart. A price chart's zoom starts from the model's visible range.
 */
void
sextant_chart_view_set_chart (SextantChartView *self,
                              SextantChartKind  kind,
                              gconstpointer     model,
                              gpointer          owner,
                              GDestroyNotify    owner_destroy)
{
  g_return_if_fail (SEXTANT_IS_CHART_VIEW (self));
  g_return_if_fail (model != NULL);

  sextant_chart_view_release_model (self);
  self->kind = kind;
  self->owner = owner;
  self->owner_destroy = owner_destroy;
  if (kind == SEXTANT_CHART_KIND_PRICE)
    {
      self->price = *(const SextantPriceChart *) model;
      self->model = &self->price;
    }
  else
    self->model = model;

  sextant_chart_view_update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * sextant_chart_view_clear:
 * @self: a chart view
 *
 * Shows nothing, and frees the owner of the chart shown so far.
 */
void
sextant_chart_view_clear (SextantChartView *self)
{
  g_return_if_fail (SEXTANT_IS_CHART_VIEW (self));

  sextant_chart_view_release_model (self);
  sextant_chart_view_update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
sextant_chart_view_has_chart (SextantChartView *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHART_VIEW (self), FALSE);

  return self->model != NULL;
}

SextantChartKind
sextant_chart_view_get_kind (SextantChartView *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHART_VIEW (self), 0);

  return self->kind;
}

/**
 * sextant_chart_view_get_model:
 * @self: a chart view
 *
 * Returns: (nullable): the model shown (for a price chart, the view's copy with its zoom)
 */
gconstpointer
sextant_chart_view_get_model (SextantChartView *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHART_VIEW (self), NULL);

  return self->model;
}

const SextantChartStyle *
sextant_chart_view_get_style (SextantChartView *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHART_VIEW (self), NULL);

  return self->style;
}

/**
 * sextant_chart_view_dup_description:
 * @self: a chart view
 *
 * Returns: (transfer full) (nullable): what the chart shows, in words, or %NULL without one
 */
char *
sextant_chart_view_dup_description (SextantChartView *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHART_VIEW (self), NULL);

  if (self->model == NULL)
    return NULL;

  return sextant_chart_describe (self->kind, self->model);
}

/**
 * sextant_chart_view_get_visible_range:
 * @self: a chart view
 * @first: (out) (optional): the first bar shown
 * @last: (out) (optional): the last bar shown
 *
 * Returns: %TRUE if a price chart is shown (only price charts zoom)
 */
gboolean
sextant_chart_view_get_visible_range (SextantChartView *self,
                                      gsize            *first,
                                      gsize            *last)
{
  gsize f = 0, l = 0;
  gboolean ret;

  g_return_val_if_fail (SEXTANT_IS_CHART_VIEW (self), FALSE);

  ret = price_range (self, &f, &l);
  if (first != NULL)
    *first = f;
  if (last != NULL)
    *last = l;

  return ret;
}

/**
 * sextant_chart_view_zoom:
 * @self: a chart view showing a price chart
 * @factor: the new span over the old one (below 1 zooms in)
 * @anchor: where the bar that stays put lies, from 0 (left edge) to 1 (right edge)
 */
void
sextant_chart_view_zoom (SextantChartView *self,
                         double            factor,
                         double            anchor)
{
  gsize first, last, span, new_span;
  double pivot;

  g_return_if_fail (SEXTANT_IS_CHART_VIEW (self));

  if (!price_range (self, &first, &last) || !(factor > 0))
    return;
  span = last - first + 1;
  new_span = (gsize) CLAMP (lround (span * factor), 1, (long) self->price.n);
  if (new_span == span)
    new_span = factor < 1 ? span - 1 : span + 1;
  anchor = CLAMP (anchor, 0.0, 1.0);
  pivot = first + anchor * (span - 1);
  set_price_range (self, (gssize) lround (pivot - anchor * (MAX (new_span, 1) - 1)), new_span);
}

/**
 * sextant_chart_view_pan:
 * @self: a chart view showing a price chart
 * @bars: how many bars to move by, positive towards later dates
 */
void
sextant_chart_view_pan (SextantChartView *self,
                        double            bars)
{
  gsize first, last;

  g_return_if_fail (SEXTANT_IS_CHART_VIEW (self));

  if (price_range (self, &first, &last))
    set_price_range (self, (gssize) first + (gssize) lround (bars), last - first + 1);
}

void
sextant_chart_view_reset_zoom (SextantChartView *self)
{
  g_return_if_fail (SEXTANT_IS_CHART_VIEW (self));

  if (self->model != NULL && self->kind == SEXTANT_CHART_KIND_PRICE && self->price.n > 0)
    set_price_range (self, 0, self->price.n);
}

/**
 * sextant_chart_view_export_to_path:
 * @self: a chart view
 * @path: the file to write; its suffix (.png, .svg, .pdf, .csv) picks the format
 * @error: return location for an error
 *
 * Draws the chart as shown (zoom included) with the light or dark style in use, at the view's
 * size or 1200 × 750 when it has none, or writes its data as CSV.
 *
 * Returns: %TRUE when the file was written
 */
gboolean
sextant_chart_view_export_to_path (SextantChartView  *self,
                                   const char        *path,
                                   GError           **error)
{
  g_autoptr(SextantChartStyle) style = NULL;
  g_autoptr(GFile) file = NULL;
  SextantChartExportFormat format;
  int width, height;

  g_return_val_if_fail (SEXTANT_IS_CHART_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->model == NULL)
    {
      g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_EMPTY,
                   _("There is no chart to export"));
      return FALSE;
    }
  /* A name without a known suffix is saved as PNG, the format most people mean. */
  if (!sextant_chart_export_format_from_path (path, &format, NULL))
    format = SEXTANT_CHART_EXPORT_PNG;
  if (format == SEXTANT_CHART_EXPORT_CSV && self->data_export_refused)
    {
      g_set_error (error, SEXTANT_CHART_ERROR, SEXTANT_CHART_ERROR_UNSUPPORTED,
                   _("This chart's data are licensed for display only and cannot be exported"));
      return FALSE;
    }

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width < 100 || height < 100)
    {
      width = EXPORT_WIDTH;
      height = EXPORT_HEIGHT;
    }
  /* On screen the text follows the theme; a file keeps the preset's own contrast. */
  style = self->style->dark ? sextant_chart_style_new_dark () : sextant_chart_style_new_light ();

  file = g_file_new_for_path (path);

  return sextant_chart_export (self->kind, self->model, style, format, width, height, file, error);
}

/**
 * sextant_chart_view_set_data_export:
 * @self: a chart view
 * @allowed: whether the chart's data may be written as CSV
 *
 * Data licensed for display only (FRED's ICE BofA series) are drawn and exported as pictures,
 * never as numbers: the CSV export is taken out of the menu and refused.
 */
void
sextant_chart_view_set_data_export (SextantChartView *self,
                                    gboolean          allowed)
{
  g_autoptr(GMenuModel) menu = NULL;

  g_return_if_fail (SEXTANT_IS_CHART_VIEW (self));

  if (self->data_export_refused == !allowed)
    return;
  self->data_export_refused = !allowed;
  menu = create_context_menu_model (allowed);
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_menu), menu);
}
