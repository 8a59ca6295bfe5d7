#define G_LOG_DOMAIN "sextant-message-tool-card"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sextant-message-tool-card.h"

/* A tool call under the answer that asked for it: an expander titled with the tool and its
 * status, holding the input and the result as indented JSON, and a small allocation chart when
 * the result carries weights (the optimizer's and the portfolio tools'). */

/* Beyond this a result is cut: a price history can run to megabytes, and a label that size
 * would stall the frame that shows it. */
#define MAX_JSON_CHARS 20000

typedef struct
{
  GStrv   labels;
  double *weights;
  gsize   n;
} WeightsChart;

static void
weights_chart_free (gpointer data)
{
  WeightsChart *chart = data;

  g_strfreev (chart->labels);
  g_free (chart->weights);
  g_free (chart);
}

static void
draw_weights_cb (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  WeightsChart *chart = user_data;
  g_autoptr(SextantChartStyle) style = NULL;
  SextantAllocationChart model = {
    .title = NULL,
    .style = SEXTANT_ALLOCATION_CHART_BARS,
    .labels = (const char * const *) chart->labels,
    .weights = chart->weights,
    .compare = NULL,
    .n = chart->n,
  };

  style = adw_style_manager_get_dark (adw_style_manager_get_default ())
          ? sextant_chart_style_new_dark () : sextant_chart_style_new_light ();
  sextant_chart_paint_allocation (cr, &model, style, width, height);
}

/* Weights as `{"MSFT": 0.41, …}` under `weights` or `target_weights`. */
static WeightsChart *
find_weights (JsonNode *result)
{
  JsonObject *object, *weights = NULL;
  g_autoptr(GList) members = NULL;
  WeightsChart *chart;
  guint i = 0;

  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    return NULL;
  object = json_node_get_object (result);
  if (json_object_has_member (object, "weights") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "weights")))
    weights = json_object_get_object_member (object, "weights");
  else if (json_object_has_member (object, "target_weights") &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "target_weights")))
    weights = json_object_get_object_member (object, "target_weights");
  if (weights == NULL || json_object_get_size (weights) == 0 || json_object_get_size (weights) > 30)
    return NULL;

  members = json_object_get_members (weights);
  chart = g_new0 (WeightsChart, 1);
  chart->n = g_list_length (members);
  chart->labels = g_new0 (char *, chart->n + 1);
  chart->weights = g_new0 (double, chart->n);
  for (GList *l = members; l != NULL; l = l->next, i++)
    {
      JsonNode *value = json_object_get_member (weights, l->data);

      chart->labels[i] = g_strdup (l->data);
      chart->weights[i] = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_double (value) : 0;
    }

  return chart;
}

static GtkWidget *
make_json_label (JsonNode *node)
{
  g_autofree char *json = node != NULL ? json_to_string (node, TRUE) : g_strdup ("null");
  GtkWidget *label;

  if (g_utf8_strlen (json, -1) > MAX_JSON_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (json, MAX_JSON_CHARS);
      g_autofree char *cut = NULL;

      *end = '\0';
      /* Translators: shown after a JSON text cut short */
      cut = g_strconcat (json, "\n… ", _("(cut short)"), NULL);
      label = gtk_label_new (cut);
    }
  else
    label = gtk_label_new (json);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "md-code");

  return label;
}

static GtkWidget *
make_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption-heading");

  return label;
}

static char *
card_title (const SextantChatToolCall *call)
{
  if (call->result == NULL)
    /* Translators: a tool call card's title while the tool runs; %s is the tool's name */
    return g_strdup_printf (_("%s — running…"), call->name);
  if (call->is_error)
    /* Translators: a tool call card's title after the tool failed */
    return g_strdup_printf (_("%s — failed"), call->name);

  /* Translators: a tool call card's title after the tool answered */
  return g_strdup_printf (_("%s — done"), call->name);
}

static void
expanded_cb (GtkExpander         *expander,
             GParamSpec          *pspec,
             SextantChatToolCall *call)
{
  call->expanded = gtk_expander_get_expanded (expander);
}

/**
 * sextant_message_tool_card_new:
 * @call: a tool call
 *
 * The card writes its open state back into @call, which must outlive it (the message holds
 * both: the row drops its cards before it lets go of the message).
 *
 * Returns: (transfer floating): a card showing @call
 */
GtkWidget *
sextant_message_tool_card_new (const SextantChatToolCall *call)
{
  g_autofree char *title = card_title (call);
  GtkWidget *expander = gtk_expander_new (title);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  WeightsChart *chart;

  g_return_val_if_fail (call != NULL, NULL);

  gtk_widget_add_css_class (expander, "tool-card");
  if (call->is_error)
    gtk_widget_add_css_class (expander, "error");
  gtk_box_append (GTK_BOX (box), make_heading (_("Input")));
  gtk_box_append (GTK_BOX (box), make_json_label (call->input));
  if (call->result != NULL)
    {
      gtk_box_append (GTK_BOX (box), make_heading (call->is_error ? _("Error") : _("Result")));
      gtk_box_append (GTK_BOX (box), make_json_label (call->result));
    }
  if (!call->is_error && (chart = find_weights (call->result)) != NULL)
    {
      GtkWidget *area = gtk_drawing_area_new ();

      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 40 + 28 * (int) chart->n);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_weights_cb, chart, weights_chart_free);
      gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Chart of the weights"), -1);
      gtk_widget_add_css_class (area, "tool-chart");
      /* The chart is what most people look for: shown above the JSON. */
      gtk_box_insert_child_after (GTK_BOX (box), area, NULL);
    }
  gtk_widget_set_margin_top (box, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);
  gtk_expander_set_expanded (GTK_EXPANDER (expander), call->expanded);
  g_signal_connect (expander, "notify::expanded", G_CALLBACK (expanded_cb), (gpointer) call);

  return expander;
}
