#define G_LOG_DOMAIN "sextant-message-tool-card"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include <inttypes.h>
#include <math.h>

#include "sextant-core.h"
#include "sextant-markdown-view.h"
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

/* desks ------------------------------------------------------------------------------------ */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* A count the desk's result holds; anything else (a stored conversation is read back as it
 * was written, by whatever wrote it) counts as 0 rather than a double cast out of range. */
static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
         ? MAX (json_node_get_int (node), 0) : 0;
}

/* The built-in prices: a card has no window to ask for the user's edited table. */
static SextantModelPrices *
default_prices (void)
{
  static SextantModelPrices *prices;

  if (g_once_init_enter (&prices))
    g_once_init_leave (&prices, sextant_model_prices_new ());
  return prices;
}

/* “2 rounds · 1 tool call · 1,234 in · 321 out · ≈ $0.0042” */
static char *
desk_usage (JsonObject *finding)
{
  gint64 rounds = member_int (finding, "rounds"), calls = member_int (finding, "tool_calls");
  gint64 input = member_int (finding, "input_tokens"), output = member_int (finding, "output_tokens");
  const char *model = member_string (finding, "model");
  double cost = model != NULL ? sextant_model_prices_estimate (default_prices (), model, input, output) : NAN;
  g_autofree char *input_text = g_strdup_printf ("%'" G_GINT64_FORMAT, input);
  g_autofree char *output_text = g_strdup_printf ("%'" G_GINT64_FORMAT, output);
  g_autofree char *rounds_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " round", "%" PRId64 " rounds",
                                                              rounds), rounds);
  g_autofree char *calls_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " tool call",
                                                              "%" PRId64 " tool calls", calls), calls);
  g_autofree char *cost_text = isfinite (cost) ? g_strdup_printf (" · ≈ $%.4f", cost) : g_strdup ("");

  if (json_object_has_member (finding, "offline") && json_object_get_boolean_member (finding, "offline"))
    /* Translators: a desk's usage when the offline analyst answered; %s are rounds and tool calls */
    return g_strdup_printf (_("%s · %s · offline, no model"), rounds_text, calls_text);
  /* Translators: a desk's usage: rounds, tool calls, input and output tokens, then a cost or nothing */
  return g_strdup_printf (_("%s · %s · %s in · %s out%s"), rounds_text, calls_text, input_text, output_text,
                          cost_text);
}

static GtkWidget *
make_text_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  return label;
}

static GtkWidget *
make_inner_call (JsonObject *call)
{
  const char *name = member_string (call, "name");
  gboolean failed = json_object_has_member (call, "is_error") && json_object_get_boolean_member (call, "is_error");
  /* Translators: a desk's own tool call inside its card; %s is the tool's name */
  g_autofree char *title = g_strdup_printf (failed ? _("%s — failed") : _("%s — done"), name != NULL ? name : "?");
  GtkWidget *expander = gtk_expander_new (title);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_add_css_class (expander, "tool-card");
  gtk_widget_add_css_class (expander, "desk-tool-call");
  if (failed)
    gtk_widget_add_css_class (expander, "error");
  gtk_box_append (GTK_BOX (box), make_heading (_("Input")));
  gtk_box_append (GTK_BOX (box), make_json_label (json_object_get_member (call, "input")));
  gtk_box_append (GTK_BOX (box), make_heading (failed ? _("Error") : _("Result")));
  gtk_box_append (GTK_BOX (box), make_json_label (json_object_get_member (call, "result")));
  gtk_widget_set_margin_top (box, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);
  return expander;
}

/* A question put to a desk: who was asked what, the desk's own tool calls as cards inside this
 * one, its finding, and what it used, so the committee sees who concluded what. */
static GtkWidget *
make_desk_card (const SextantChatToolCall *call,
                const char                *desk)
{
  JsonObject *finding = call->result != NULL && JSON_NODE_HOLDS_OBJECT (call->result)
                        ? json_node_get_object (call->result) : NULL;
  JsonObject *input = call->input != NULL && JSON_NODE_HOLDS_OBJECT (call->input)
                      ? json_node_get_object (call->input) : NULL;
  const char *name = _(sextant_agent_role_get_name (desk));
  const char *question = member_string (input, "question");
  const char *answer = member_string (finding, "answer");
  const char *error = member_string (finding, "error");
  GtkWidget *expander, *box, *usage;
  g_autofree char *title = NULL;
  g_autofree char *usage_text = NULL;

  if (call->result == NULL)
    /* Translators: a desk's card while it works; %s is the desk (“Rates desk”) */
    title = g_strdup_printf (_("%s — working…"), name);
  else if (call->is_error)
    /* Translators: a desk's card after it failed; %s is the desk */
    title = g_strdup_printf (_("%s — failed"), name);
  else
    /* Translators: a desk's card after it answered; %s is the desk */
    title = g_strdup_printf (_("%s — answered"), name);
  expander = gtk_expander_new (title);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (expander, "tool-card");
  gtk_widget_add_css_class (expander, "desk-card");
  if (call->is_error)
    gtk_widget_add_css_class (expander, "error");

  gtk_box_append (GTK_BOX (box), make_heading (_("Question")));
  gtk_box_append (GTK_BOX (box), make_text_label (question != NULL ? question : ""));
  if (finding != NULL && json_object_has_member (finding, "calls") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (finding, "calls")))
    {
      JsonArray *calls = json_object_get_array_member (finding, "calls");

      if (json_array_get_length (calls) > 0)
        gtk_box_append (GTK_BOX (box), make_heading (_("The desk's tool calls")));
      for (guint i = 0; i < json_array_get_length (calls); i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (calls, i)))
          gtk_box_append (GTK_BOX (box), make_inner_call (json_array_get_object_element (calls, i)));
    }
  if (answer != NULL)
    {
      g_autoptr(GPtrArray) blocks = sextant_markdown_render (answer, -1);
      GtkWidget *view = sextant_markdown_view_new ();

      sextant_markdown_view_set_blocks (SEXTANT_MARKDOWN_VIEW (view), blocks);
      gtk_box_append (GTK_BOX (box), make_heading (_("Finding")));
      gtk_box_append (GTK_BOX (box), view);
    }
  else if (error != NULL || (call->is_error && call->result != NULL))
    {
      gtk_box_append (GTK_BOX (box), make_heading (_("Error")));
      gtk_box_append (GTK_BOX (box), error != NULL ? make_text_label (error) : make_json_label (call->result));
    }
  if (finding != NULL && json_object_has_member (finding, "rounds"))
    {
      usage_text = desk_usage (finding);
      usage = gtk_label_new (usage_text);
      gtk_label_set_xalign (GTK_LABEL (usage), 0);
      gtk_widget_add_css_class (usage, "caption");
      gtk_widget_add_css_class (usage, "dim-label");
      gtk_widget_add_css_class (usage, "desk-usage");
      gtk_box_append (GTK_BOX (box), usage);
    }
  gtk_widget_set_margin_top (box, 6);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);
  gtk_expander_set_expanded (GTK_EXPANDER (expander), call->expanded);
  g_signal_connect (expander, "notify::expanded", G_CALLBACK (expanded_cb), (gpointer) call);

  return expander;
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
  g_autofree char *title = NULL;
  GtkWidget *expander, *box;
  WeightsChart *chart;
  const char *desk;

  g_return_val_if_fail (call != NULL, NULL);

  if ((desk = sextant_agent_desk_from_tool_name (call->name)) != NULL)
    return make_desk_card (call, desk);
  title = card_title (call);
  expander = gtk_expander_new (title);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

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
